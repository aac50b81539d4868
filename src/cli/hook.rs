//! `temis hook EVENT [ARGS…]`: what the installed shims run.
//!
//! Each event does the least it can: `pre-commit` reads the index git handed it and never reads a
//! report; `commit-msg` reads one small file and the policy; `prepare-commit-msg` looks for a
//! phase record the commit adds; `pre-push` runs the gate with patch coverage against what the
//! remote already has. Nothing here rewrites a file the user did not hand over, or stashes.
//!
//! `agent-stop` is an agent runtime's hook, not git's: Claude Code runs it when an agent (or a
//! subagent) is about to stop, with the hook's JSON on standard input. It judges the work under
//! way and refuses the stop — exit 2, the reasons on stderr, which Claude Code hands back to the
//! model — unless the verdict is APPROVED. Exit 2 is the only code that blocks there (any other
//! failing code lets the agent stop), so every error of temis's own ends with it too.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::Outcome;
use crate::app::{self, ChangeSpec, Request, Scope};
use crate::commits;
use crate::docs::record;
use crate::error::Error;
use crate::gate::Status;
use crate::git::{self, Repo};
use crate::hooks::{Event, HookEvent};
use crate::output::{Output, Paint};
use crate::policy::{Policy, SecretsPolicy};
use crate::render::verdict::{self, VerdictFormat};
use crate::secrets::Scanner;

pub const AFTER_HELP: &str = "The git events are run by the shims `temis hooks install` writes.

agent-stop is Claude Code's Stop (or SubagentStop) hook, set in .claude/settings.json:
  {\"hooks\": {\"Stop\": [{\"hooks\": [{\"type\": \"command\", \"command\": \"temis hook agent-stop\"}]}]}}
It reads the hook's JSON on standard input and judges the work under way (the current phase of the approved plan, \
as `temis phase complete N` would; else the repository, as `temis gate` would). Exit 0: APPROVED, the agent stops. \
Exit 2: BLOCKED or could not judge, or an error of temis's own: the reasons and the temis.verdict/v1 JSON on \
stderr, which Claude Code hands back to the agent. With stop_hook_active true the agent stops (no loop).

Examples:
  temis hook commit-msg .git/COMMIT_EDITMSG    what the commit-msg shim runs
  temis hook agent-stop < payload.json         what Claude Code runs when the agent stops
  temis hook agent-stop plans/auth/plan.md     … naming the plan when there are several";

#[derive(Debug, clap::Args)]
pub struct HookArgs {
    /// The hook event: a git hook's name, or `agent-stop` (Claude Code's Stop / SubagentStop hook).
    #[arg(value_enum)]
    pub event: HookEvent,

    /// The arguments git passed to the hook (`agent-stop`: the plan, when the repository has several).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, value_name = "ARGS")]
    pub args: Vec<String>,
}

/// Whether `TEMIS_SKIP` (comma-separated) names `what`, or says `all`.
fn skipped(what: &str) -> bool {
    std::env::var("TEMIS_SKIP").is_ok_and(|v| v.split(',').map(str::trim).any(|s| s == what || s == "all" || s == "1"))
}

pub fn run(args: HookArgs, out: Output) -> Result<Outcome, Error> {
    if skipped(args.event.name()) {
        return Ok(Outcome::Ok);
    }
    match args.event {
        HookEvent::Git(Event::PreCommit) => pre_commit(out),
        HookEvent::Git(Event::CommitMsg) => commit_msg(&args.args, out),
        HookEvent::Git(Event::PrepareCommitMsg) => prepare_commit_msg(&args.args, out),
        HookEvent::Git(Event::PrePush) => pre_push(&args.args, out),
        HookEvent::AgentStop => agent_stop(&args.args, out),
    }
}

fn pre_commit(out: Output) -> Result<Outcome, Error> {
    let repo = Repo::open_from_env()?;
    let paint = Paint(out.color_stderr());
    let mut blocked = false;
    let mut secrets = SecretsPolicy::default();
    // The policy being committed is the one that must be valid.
    if let Some(staged) = repo.staged_file_followed("temis.toml") {
        let parsed = staged.and_then(|bytes| {
            Policy::parse("temis.toml (staged)", &String::from_utf8_lossy(&bytes)).map_err(|e| e.to_string())
        });
        match parsed {
            Ok(p) => secrets = p.secrets,
            Err(e) if !skipped("policy") => {
                blocked = true;
                out.stderr(&format!(
                    "{} {e}\n  fix the policy and stage it again; bypass once: TEMIS_SKIP=policy git commit …\n",
                    paint.red("temis pre-commit:")
                ));
            }
            Err(_) => {}
        }
    }
    if secrets.enabled && !skipped("secrets") {
        let scanner = Scanner::new(&secrets);
        let mut findings = Vec::new();
        for file in git::staged_additions(&repo)? {
            if scanner.skips(&file.path) {
                continue;
            }
            for (line, text) in &file.lines {
                scanner.scan_line(&file.path, *line, text, &mut findings);
            }
        }
        if !findings.is_empty() {
            blocked = true;
            let n = findings.len();
            let mut s = format!(
                "{} {n} possible secret{} in the staged change [{}]\n",
                paint.red("temis pre-commit:"),
                if n == 1 { "" } else { "s" },
                crate::gate::codes::SECRET_STAGED
            );
            for f in &findings {
                s.push_str(&format!("  {}:{}: [{}] {}: {}\n", f.path, f.line, f.rule, f.description, f.redacted));
                s.push_str(&format!("    {} {}\n", paint.dim("|"), f.context));
            }
            s.push_str(
                "  remove it from the change (and rotate it if it ever left this machine);\n  \
                 not a secret? add `temis:allow-secret` on its line, or [secrets] allow / allow_paths in temis.toml\n  \
                 bypass once: TEMIS_SKIP=secrets git commit …   (git commit --no-verify skips every check)\n",
            );
            out.stderr(&s);
        }
    }
    Ok(if blocked { Outcome::Blocked } else { Outcome::Ok })
}

fn commit_msg(args: &[String], out: Output) -> Result<Outcome, Error> {
    let Some(file) = args.first() else {
        return Err(Error::usage("the commit-msg hook needs the message file git passes it"));
    };
    let root = std::env::current_dir().map_err(Error::CurrentDir)?;
    let policy = super::commit_msg::commits_policy_in(&root)?;
    if !policy.enabled {
        return Ok(Outcome::Ok);
    }
    let text = super::commit_msg::read_message(&PathBuf::from(file))?;
    let lint = commits::lint_with(&text, &policy, commits::Comments::in_hook());
    let bypass = format!(
        "your message is kept in {file}: fix it with `git commit -e -F {file}`\n\
         bypass once: git commit --no-verify, or TEMIS_SKIP=commit-msg git commit …"
    );
    let shown = super::commit_msg::render(&lint, "commit message", Paint(out.color_stderr()), Some(&bypass));
    if !shown.is_empty() && !matches!(lint, commits::Lint::Ignored(_) | commits::Lint::Empty) {
        out.stderr(&shown);
    }
    Ok(if lint.blocks(&policy) { Outcome::Blocked } else { Outcome::Ok })
}

/// Pre-fills the message when the commit adds a phase record (`plans/<feature>/phase-N-complete.md`)
/// that carries one; otherwise leaves the file alone.
fn prepare_commit_msg(args: &[String], out: Output) -> Result<Outcome, Error> {
    let Some(file) = args.first() else { return Ok(Outcome::Ok) };
    // Only when git is about to open the editor on its own text: not with -m, -F, -c, merges, squashes.
    if !matches!(args.get(1).map(String::as_str), None | Some("") | Some("template")) {
        return Ok(Outcome::Ok);
    }
    let Ok(repo) = Repo::open_from_env() else { return Ok(Outcome::Ok) };
    let mut records = repo.staged_new_paths(record::is_record_path);
    records.sort_by_key(|p| record::phase_number(p));
    let messages: Vec<(&String, String)> = records
        .iter()
        .filter_map(|p| Some((p, record::commit_message(&String::from_utf8_lossy(&repo.staged_file(p)?))?)))
        .collect();
    let Some(((shown, message), others)) = messages.split_last() else {
        return Ok(Outcome::Ok);
    };
    let path = PathBuf::from(file);
    let existing = std::fs::read_to_string(&path).unwrap_or_default();
    // Several records in one commit: the last phase's message, and the others' said in comments
    // (git drops them), not dropped without a word.
    let mut said = String::new();
    if !others.is_empty() {
        said = format!(
            "# temis: this commit adds {} phase records; the message above is {shown}'s. The others':\n",
            messages.len()
        );
        for (p, m) in others {
            said.push_str(&format!("#   {p}: {}\n", m.lines().next().unwrap_or_default()));
        }
        out.warning(&format!(
            "temis prepare-commit-msg: this commit adds {} phase records; the message is {shown}'s (one commit \
             per phase keeps each phase's message)",
            messages.len()
        ));
    }
    let text = prefilled(message.trim_end(), &existing, &said);
    app::write::write(&path, text.as_bytes(), app::write::Mode::Keep)
        .map_err(|e| Error::Write { path: path.display().to_string(), source: e })?;
    Ok(Outcome::Ok)
}

/// The phase's `message` put before what git wrote in the message file (`existing`). Git's own
/// text starts with the blank line it leaves for the message; a `commit.template`'s text does not:
/// it was glued onto the message's last line, its trailers (`Plan:`, `Phase:`). The template's
/// own lines go between the message's body and its trailers, which stay the last paragraph.
/// `comments` (temis's, as comment lines) go before git's.
fn prefilled(message: &str, existing: &str, comments: &str) -> String {
    // What comes before the first comment line: git's blank line, or a template's own lines.
    let first_comment =
        if existing.starts_with('#') { 0 } else { existing.find("\n#").map_or(existing.len(), |i| i + 1) };
    let (own, rest) = existing.split_at(first_comment);
    let own = own.trim();
    if own.is_empty() {
        if existing.is_empty() && comments.is_empty() {
            return format!("{message}\n");
        }
        // One blank line after the message, then the comments (temis's, git's).
        let rest = existing.strip_prefix('\n').unwrap_or(existing);
        return format!("{message}\n\n{comments}{rest}");
    }
    let trailer = |l: &str| {
        l.split_once(": ")
            .is_some_and(|(k, _)| !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
    };
    match message.rsplit_once("\n\n") {
        Some((body, last)) if last.lines().all(trailer) => format!("{body}\n\n{own}\n\n{last}\n\n{comments}{rest}"),
        _ => format!("{message}\n\n{own}\n\n{comments}{rest}"),
    }
}

/// `pre-push REMOTE URL`, refs on standard input: the gate for each pushed ref, with patch
/// coverage against the remote's tip (or, for a new branch, the merge base with the remote's
/// default branch).
fn pre_push(args: &[String], out: Output) -> Result<Outcome, Error> {
    let remote = args.first().cloned().unwrap_or_else(|| "origin".to_string());
    let mut stdin = String::new();
    std::io::stdin().read_to_string(&mut stdin).map_err(|e| Error::Read { path: "<stdin>".into(), source: e })?;
    let repo = Repo::open_from_env()?;
    let zero = |s: &str| s.bytes().all(|b| b == b'0');
    let Some(root) = repo.workdir().map(std::path::Path::to_path_buf) else {
        // A bare repository (a mirror) has no work tree and no reports: what it pushes cannot be
        // judged here. It let every push through without a word.
        let pushes = stdin.lines().any(|l| l.split_whitespace().nth(1).is_some_and(|sha| !zero(sha)));
        if !pushes {
            return Ok(Outcome::Ok);
        }
        out.stderr(
            "temis pre-push: could not judge: this is a bare repository, with no work tree and no reports to judge \
             what it pushes\n  judge the change where it is checked out (`temis gate`), or remove the hook here \
             (`temis hooks uninstall pre-push`); bypass once: git push --no-verify, or TEMIS_SKIP=pre-push git push …\n",
        );
        return Ok(Outcome::CouldNotJudge);
    };
    let checked_out = repo.head();
    let mut worst = Outcome::Ok;
    let mut lines: Vec<String> = stdin.lines().filter(|l| !l.trim().is_empty()).map(str::to_string).collect();
    // Git passes no line when everything is up to date, and so does a hook runner that does not
    // forward standard input. HEAD's branch ahead of its branch on the remote is what such a
    // runner's `git push` pushes: judged. Otherwise (nothing pushed, or no way to tell) it is
    // said, and the push goes on: `git push origin --tags` from a branch not pushed yet pushes
    // nothing of it.
    if lines.is_empty() {
        match (checked_out.as_deref(), repo.ahead_of_tracking(&remote)) {
            (Some(head), Some(true)) => {
                out.warning(&format!(
                    "temis pre-push: git passed no ref on standard input, and {remote} lacks commits of HEAD's \
                     branch: judging HEAD (a hook runner must forward standard input: lefthook `use_stdin: true`)"
                ));
                let zero = "0".repeat(head.len());
                lines.push(format!("{} {head} {} {zero}", repo.head_ref(), repo.head_ref()));
            }
            (Some(head), None) if repo.unpushed_base(head, &remote).is_some() => out.warning(
                "temis pre-push: git passed no ref on standard input: nothing judged (everything up to date, or a \
                 hook runner that does not forward standard input: lefthook `use_stdin: true`)",
            ),
            _ => {}
        }
    }
    for line in &lines {
        let parts: Vec<&str> = line.split_whitespace().collect();
        let [local_ref, local_sha, remote_ref, remote_sha] = parts[..] else {
            out.stderr(&format!(
                "temis pre-push: could not judge: {line:?} is not a line git writes (`<local ref> <local sha> \
                 <remote ref> <remote sha>`)\n  run the hook from git (git push), with its standard input\n"
            ));
            worst = Outcome::CouldNotJudge;
            continue;
        };
        if zero(local_sha) {
            continue; // a deletion pushes nothing to check
        }
        // An annotated tag is pushed as its tag object: judged as the commit it names.
        let peeled = repo.commit_of(local_sha);
        let local_sha = peeled.as_deref().unwrap_or(local_sha);
        let peeled_remote = (!zero(remote_sha)).then(|| repo.commit_of(remote_sha)).flatten();
        let remote_sha = peeled_remote.as_deref().unwrap_or(remote_sha);
        // The reports in the work tree are the checked-out commit's: they say nothing about
        // another branch pushed from here.
        if checked_out.as_deref() != Some(local_sha) {
            let head = checked_out.as_deref().map_or("no commit", |h| &h[..h.len().min(10)]);
            out.stderr(&format!(
                "temis pre-push: {local_ref}: could not judge: it is not checked out (HEAD is {head}), so the \
                 reports in the work tree are not its reports\n  check it out, run its tests with coverage, and \
                 push again; bypass once: git push --no-verify, or TEMIS_SKIP=pre-push git push …\n"
            ));
            worst = Outcome::CouldNotJudge;
            continue;
        }
        let base = if !zero(remote_sha) && repo.has_commit(remote_sha) {
            Some((remote_sha.to_string(), format!("{remote}'s {}", remote_ref.trim_start_matches("refs/heads/"))))
        } else {
            repo.remote_default_branch(&remote).map(|b| (b, format!("{remote}'s default branch"))).or_else(|| {
                repo.unpushed_base(local_sha, &remote).map(|base| {
                    let label = match (base == crate::git::EMPTY_TREE, repo.tracks(&remote)) {
                        (true, _) => format!("the empty tree ({remote} has none of this branch)"),
                        (false, true) => format!("the commits not on the remote ({remote} has none of this branch)"),
                        (false, false) => format!(
                            "the commits on no remote ({remote} was never fetched: `git fetch {remote}` tells what it has)"
                        ),
                    };
                    (base, label)
                })
            })
        };
        // `TEMIS_PHASE=N` says which phase, else the current phase of the repository's plan; the
        // reports that phase's `Reports:` line names, else discovery.
        let phase = std::env::var("TEMIS_PHASE").ok().and_then(|p| p.parse().ok());
        let change = match base {
            Some((base, label)) => ChangeSpec::Range { base, label, head: local_sha.to_string() },
            None => ChangeSpec::None,
        };
        let req = Request {
            scope: Scope::FollowPlan { phase },
            change,
            today: std::env::var("TEMIS_TODAY")
                .ok()
                .and_then(|d| crate::policy::Date::parse(&d))
                .unwrap_or_else(app::today_utc),
            ..Request::new(root.clone())
        };
        let judgement = app::judge(&req)?;
        for note in &judgement.notes {
            out.warning(note);
        }
        // The reports were made from the work tree: with measured code, tests or the tools'
        // configuration changed and not committed, they are not the pushed commit's (nor is a
        // policy changed and not committed).
        let dirty = uncommitted_measured(&root, local_sha, &judgement.inputs)?;
        if !dirty.is_empty() {
            let shown = dirty.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
            let more = if dirty.len() > 3 { format!(" and {} more", dirty.len() - 3) } else { String::new() };
            out.stderr(&format!(
                "temis pre-push: {local_ref}: could not judge: {shown}{more} changed and not committed, so the \
                 reports in the work tree (and the policy judged with) are not the pushed commit's\n  commit them (or stash them: git stash -u), \
                 run the tests with coverage again, and push again; bypass once: git push --no-verify, or \
                 TEMIS_SKIP=pre-push git push …\n"
            ));
            worst = Outcome::CouldNotJudge;
            continue;
        }
        let v = judgement.verdict;
        let mut text = format!("temis pre-push: {local_ref}\n");
        text.push_str(&verdict::render(&v, VerdictFormat::Human, out.color_stderr()));
        if v.status != Status::Approved {
            text.push_str("bypass once: git push --no-verify, or TEMIS_SKIP=pre-push git push …\n");
        }
        out.stderr(&text);
        let outcome = Outcome::of(v.status);
        if outcome.code() > worst.code() {
            worst = outcome;
        }
    }
    Ok(worst)
}

/// Files of the work tree whose content differs from `head` (changed, staged or not, deleted,
/// or new and not ignored) that shape what was judged: a file a coverage report lists, a source
/// file of a kind it lists in a folder it measures, a file named as a test, a coverage or test
/// tool's own configuration (`.coveragerc`, `jest.config.js`…), or the policy file (`temis.toml`,
/// also when deleted: the embedded default was judged with).
/// The gated reports themselves, other files (notes, other configuration) and mode changes are
/// not counted.
fn uncommitted_measured(root: &Path, head: &str, inputs: &crate::gate::Inputs) -> Result<Vec<String>, Error> {
    let reports: Vec<&str> = inputs.reports().map(|r| r.path.as_str()).collect();
    let changed: Vec<String> = git::changes(root, git::Since::WorkTree { base: Some(head) })?
        .into_iter()
        .filter(|c| (c.added > 0 || c.deleted > 0) && !reports.contains(&c.path.as_str()))
        .map(|c| c.path)
        .collect();
    let mut measured: std::collections::HashSet<&str> = changed
        .iter()
        .map(String::as_str)
        .filter(|p| crate::paths::is_test_named(p) || crate::paths::is_coverage_config(p) || *p == app::policy::FILE)
        .collect();
    for (_, c) in &inputs.coverage {
        let listed: std::collections::HashSet<&str> = c.files.iter().map(|f| f.path.as_str()).collect();
        measured.extend(changed.iter().map(String::as_str).filter(|p| listed.contains(p)));
        measured.extend(c.unlisted_sources_beside(changed.iter().map(String::as_str)));
    }
    Ok(changed.iter().filter(|p| measured.contains(p.as_str())).cloned().collect())
}

/// What temis reads of Claude Code's `Stop` / `SubagentStop` hook input; the other fields
/// (`session_id`, `transcript_path`, `last_assistant_message`, `agent_id`…) are not needed.
#[derive(Debug, serde::Deserialize)]
struct StopInput {
    hook_event_name: Option<String>,
    /// True when the agent is already continuing because a stop hook blocked it: the stop is let
    /// through, so that the hook never loops.
    #[serde(default)]
    stop_hook_active: bool,
    /// The session's working directory: the repository judged is the one containing it.
    cwd: Option<PathBuf>,
}

/// `agent-stop [PLAN]`: refuses an agent's stop (exit 2, the reasons on stderr) unless the work
/// under way is APPROVED — the plan's current phase, judged as `temis phase complete` judges it,
/// else the repository as `temis gate` judges it. A panic is an error too: the stop is refused.
fn agent_stop(args: &[String], out: Output) -> Result<Outcome, Error> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| judge_stop(args, out))) {
        Ok(result) => result,
        Err(_) => Err(Error::usage(
            "temis hook agent-stop: temis failed while judging the work (a bug, said above); the stop is refused. \
             Run `temis gate` to see why; remove the hook from .claude/settings.json to stop anyway",
        )),
    }
}

fn judge_stop(args: &[String], out: Output) -> Result<Outcome, Error> {
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text).map_err(|e| Error::Read { path: "<stdin>".into(), source: e })?;
    let input: StopInput = serde_json::from_str(&text).map_err(|e| {
        Error::usage(format!(
            "temis hook agent-stop reads the agent's Stop / SubagentStop hook JSON on standard input, and this is \
             not it: {e}"
        ))
    })?;
    match input.hook_event_name.as_deref() {
        None | Some("Stop") | Some("SubagentStop") => {}
        Some(other) => {
            return Err(Error::usage(format!(
                "temis hook agent-stop handles the Stop and SubagentStop events, not {other}: move it under \
                 \"Stop\" (or \"SubagentStop\") in .claude/settings.json"
            )));
        }
    }
    if input.stop_hook_active {
        out.stderr(
            "temis: a stop hook already sent the agent back once this turn (stop_hook_active): letting it stop\n",
        );
        return Ok(Outcome::Ok);
    }
    let dir = match &input.cwd {
        Some(cwd) => cwd.clone(),
        None => std::env::current_dir().map_err(Error::CurrentDir)?,
    };
    let root = app::root_containing(&dir);
    let root = std::fs::canonicalize(&root).map_err(|e| Error::Read { path: root.display().to_string(), source: e })?;
    let plan = args.first().map(|p| if Path::new(p).is_absolute() { PathBuf::from(p) } else { root.join(p) });
    let template = Request {
        today: std::env::var("TEMIS_TODAY")
            .ok()
            .and_then(|d| crate::policy::Date::parse(&d))
            .unwrap_or_else(app::today_utc),
        ..Request::new(root)
    };
    let under_way = app::phase::judge_under_way(plan.as_deref(), template)?;
    let judgement = &under_way.judgement;
    for note in under_way.note.iter().chain(&judgement.notes) {
        out.warning(note);
    }
    let v = &judgement.verdict;
    let (what, again) = match &under_way.phase {
        Some((plan, n)) => (format!("phase {n} of {plan}"), format!("temis gate --plan {plan}")),
        None => ("the work in this repository".to_string(), "temis gate".to_string()),
    };
    if v.status == Status::Approved {
        out.stderr(&format!("temis: {what} is APPROVED\n"));
        return Ok(Outcome::Ok);
    }
    let state = match v.status {
        Status::CouldNotJudge => "could not be judged",
        _ => "is BLOCKED",
    };
    let mut s = format!("temis: {what} {state}: the work is not done, do not stop yet.\n\n");
    s.push_str(&verdict::render(v, VerdictFormat::Human, false));
    s.push_str(&format!(
        "\nFix what is listed above (run the tests again with coverage, so that the reports are this code's), then \
         check with `{again}` (or the temis MCP server's gate tool) until it is APPROVED.\n"
    ));
    if let Some((_, n)) = &under_way.phase {
        s.push_str(&format!("Then `temis phase complete {n}` records the phase.\n"));
    }
    s.push_str("\nThe verdict as temis.verdict/v1 JSON:\n");
    s.push_str(&verdict::json::compact(&verdict::json::for_agents(v)));
    out.stderr(&s);
    // Claude Code refuses the stop on exit 2 only: a BLOCKED phase ends with 2, as one that
    // could not be judged does.
    Ok(Outcome::CouldNotJudge)
}

#[cfg(test)]
mod prefill_tests {
    use super::prefilled;

    const MESSAGE: &str = "feat: add x\n\n- Gate: APPROVED\n\nPlan: plans/a/plan.md\nPhase: 2/2";

    /// Git's own text, a template's text, temis's comments about other records: the message's
    /// trailers stay its last paragraph in every case (a template's text was glued onto them,
    /// and with several records it went after them again).
    #[test]
    fn the_trailers_stay_the_last_paragraph() {
        let git = "\n# Please enter the commit message for your changes.\n";
        assert_eq!(prefilled(MESSAGE, git, ""), format!("{MESSAGE}\n{git}"));
        assert_eq!(prefilled(MESSAGE, "", ""), format!("{MESSAGE}\n"));
        let template = "See ticket PROJ-\n\n# the ticket above\n# Please enter…\n";
        let said = "# temis: this commit adds 2 phase records\n";
        for comments in ["", said] {
            let text = prefilled(MESSAGE, template, comments);
            assert_eq!(
                text,
                format!(
                    "feat: add x\n\n- Gate: APPROVED\n\nSee ticket PROJ-\n\nPlan: plans/a/plan.md\nPhase: 2/2\n\n{comments}# the ticket above\n# Please enter…\n"
                )
            );
        }
        assert_eq!(prefilled(MESSAGE, git, said), format!("{MESSAGE}\n\n{said}{}", &git[1..]));
    }
}
