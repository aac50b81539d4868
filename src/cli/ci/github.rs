//! `temis ci github`: the gate as a GitHub Actions step (what `action.yml` runs).
//!
//! Always: the markdown verdict in the job summary, the step outputs, and the most important
//! annotations as workflow commands. With a token that may write: one sticky pull-request comment
//! and one check run. A pull request from a fork (read-only token) or any API failure degrades to
//! the summary and the annotations, says so on stderr and in the summary, and never changes the
//! verdict or the exit code.

use std::path::{Path, PathBuf};

use super::CommentMode;
use crate::app::change::Reading;
use crate::app::change::{AddedLines, Patches};
use crate::app::{self, ChangeSpec, Request};
use crate::cli::{JudgeArgs, Outcome};
use crate::error::Error;
use crate::gate::verdict::trim_number;
use crate::gate::{Status, Verdict};
use crate::github::context::Context;
use crate::github::{self, ApiError, CheckRun, Client, Token, env_files};
use crate::output::Output;
use crate::render::verdict::annotations::{self, Annotation, plain_text};
use crate::render::verdict::summary::{self, Extras};
use crate::render::verdict::{self as render, VerdictFormat};
use crate::sticky;

pub const AFTER_HELP: &str =
    "Environment (set by GitHub Actions): GITHUB_TOKEN (never printed; without it, or on a pull \
request from a fork, only the job summary and the annotations are written), GITHUB_REPOSITORY, GITHUB_EVENT_NAME, \
GITHUB_EVENT_PATH, GITHUB_SHA, GITHUB_API_URL (GitHub Enterprise), GITHUB_STEP_SUMMARY, GITHUB_OUTPUT, \
GITHUB_SERVER_URL, GITHUB_RUN_ID.

The change (patch coverage, and the base the ratchet holds against) is numbered as HEAD, the commit checked out, \
which the reports measured (on a pull request, actions/checkout's default is the merge commit refs/pull/N/merge, \
not the pull request's head): --base REF, merge-base(REF, HEAD)..HEAD; else, on a pull request, git's \
merge-base(pull_request.base.sha, HEAD)..HEAD when the clone has the base, as `temis gate --base`; else its files \
through the API (when they carry its whole diff), numbered as its head: used when HEAD is the head, or when the \
files checked out read as the patches at every line they show; else git's diff, the base fetched; else patch \
coverage is not measured (min_patch: could not judge) — check out with fetch-depth: 0, or the pull request's \
head (ref: github.event.pull_request.head.sha). The ratchet (max_drop) holds against the figures recorded on that \
merge base, or on pull_request.base.sha when the clone lacks it (fetch refs/notes/temis). A push to a branch other \
than the repository's default: the default branch, fetched (what the branch adds, as a pull request shows it); a \
push to the default branch: the push's `before`.

Outputs: verdict (APPROVED, BLOCKED, COULD_NOT_JUDGE), coverage, patch-coverage, report-json, comment-id, \
check-run-id.

[coverage] min_patch in the policy judges patch coverage, as with `temis gate --base`.

Exit codes: as `temis gate` (0 APPROVED, 1 BLOCKED, 2 could not judge); --fail-on-blocked false turns BLOCKED into 0. \
A reporting failure never changes the exit code.";

#[derive(Debug, clap::Args)]
pub struct GithubArgs {
    #[command(flatten)]
    pub judge: JudgeArgs,

    /// The sticky pull-request comment.
    #[arg(long, value_enum, default_value = "on", value_name = "WHEN")]
    pub comment: CommentMode,

    /// Publish a check run with the verdict and every annotation.
    #[arg(long = "check-run", default_value_t = true, action = clap::ArgAction::Set, value_name = "BOOL")]
    pub check_run: bool,

    /// The check run's name; also keys the sticky comment (its hidden marker, the name
    /// percent-encoded but for letters, digits, `-`, `_` and `.`), which shows a name other than
    /// the default.
    #[arg(long = "check-name", default_value = crate::render::verdict::summary::DEFAULT_CHECK_NAME, value_name = "NAME")]
    pub check_name: String,

    /// Annotations printed as workflow commands, per level (GitHub shows at most 10 per step).
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub annotations: usize,

    /// Exit 1 on BLOCKED; with false a BLOCKED verdict exits 0. Only the exit code changes: what is
    /// published (a status, a check run, a report) still fails.
    #[arg(long = "fail-on-blocked", default_value_t = true, action = clap::ArgAction::Set, value_name = "BOOL")]
    pub fail_on_blocked: bool,

    /// Where to write the temis.verdict/v1 JSON [default: $RUNNER_TEMP/temis-verdict.json].
    #[arg(long = "report-json", value_name = "FILE")]
    pub report_json: Option<PathBuf>,

    /// The pull request [default: from the event]; for a `workflow_run` stage, the number the
    /// first stage recorded (checked against the run's head commit before anything is posted).
    #[arg(long, env = "TEMIS_PR", value_name = "N")]
    pub pr: Option<u64>,

    /// The commit the check run belongs to [default: the pull request's head, else GITHUB_SHA].
    #[arg(long, value_name = "SHA")]
    pub sha: Option<String>,

    /// Only a comment by this login is taken as the sticky comment to update.
    #[arg(
        long = "comment-author",
        env = "TEMIS_COMMENT_AUTHOR",
        default_value = "github-actions[bot]",
        value_name = "LOGIN"
    )]
    pub comment_author: String,
}

/// What the reporting did, for the outputs and the log.
#[derive(Default)]
struct Reported {
    comment_id: Option<u64>,
    check_run_id: Option<u64>,
    /// Reporting that did not happen, and why (shown on stderr and in the job summary).
    notes: Vec<String>,
}

/// Runs the step.
pub fn run(args: GithubArgs, out: Output) -> Result<Outcome, Error> {
    let ctx = Context::from_env();
    let token = std::env::var("GITHUB_TOKEN").ok().and_then(Token::new);
    let mut rep = Reported::default();
    let mut pr = args.pr.or(ctx.pr);
    let head_sha = args.sha.clone().or_else(|| ctx.head_sha.clone());
    // The runtime and the client only when a call will be made.
    let needed = pr.is_some() || (args.check_run && head_sha.is_some() && !ctx.fork);
    let client = if needed { connect(&ctx, token.as_ref(), &mut rep.notes) } else { None };
    if let (Some(c), Some(n), "workflow_run") = (&client, pr, ctx.event.as_str()) {
        pr = verify_pr_head(c, n, head_sha.as_deref(), &mut rep.notes);
    }
    // The change's lines go through the gate like `temis gate --base`: `min_patch` judges them.
    let change = change(&args, &ctx, client.as_ref(), pr, &mut rep.notes);
    let request =
        args.judge.request(change).map(|req| Request { reading: Reading { tolerant: true, fetch: true }, ..req });
    let judgement = match request.and_then(|req| app::judge(&req)) {
        Ok(j) => j,
        Err(e) => {
            could_not_judge(&ctx, &e, out);
            return Err(e);
        }
    };
    rep.notes.extend(judgement.notes);
    let verdict = judgement.verdict;
    let list = annotations::collect(&verdict);

    if let Some(c) = &client {
        if ctx.fork {
            rep.notes.push(format!(
                "pull request from a fork ({}): its token is read-only, so no comment and no check run; the job \
                 summary and the annotations carry the verdict",
                ctx.head_repo.as_deref().unwrap_or("another repository")
            ));
        } else {
            let judged = Judged { verdict: &verdict, annotations: &list };
            publish(c, &args, &ctx, &judged, pr, head_sha.as_deref(), &mut rep);
        }
    } else if token.is_none() && (args.comment != CommentMode::Off || args.check_run) {
        rep.notes.push(
            "no GITHUB_TOKEN: no comment and no check run; the job summary and annotations carry the verdict".into(),
        );
    }

    for n in &rep.notes {
        out.warning(n);
    }
    let extras = Extras { notes: &rep.notes, run_url: ctx.run_url.as_deref() };
    let markdown = summary::render(&verdict, extras);
    let json_path = write_json(&args, &verdict, out);
    write_summary(&ctx, &markdown, out)?;
    write_outputs(&ctx, &verdict, json_path.as_deref(), &rep, out);
    let log = format!(
        "{}{}",
        log_block(&render::render(&verdict, VerdictFormat::Human, false)),
        render::github::commands(&list, args.annotations, &verdict)
    );
    out.stdout(&log).map_err(Error::stdout)?;
    Ok(match verdict.status {
        Status::Blocked if !args.fail_on_blocked => Outcome::Ok,
        status => Outcome::of(status),
    })
}

/// A client when there is a token and a repository; `None` (with a note when it was wanted but
/// could not be built) otherwise.
fn connect(ctx: &Context, token: Option<&Token>, notes: &mut Vec<String>) -> Option<Client> {
    let (token, repo) = (token?, ctx.repo.clone()?);
    match Client::new(&ctx.api_url, token, repo) {
        Ok(c) => Some(c),
        Err(e) => {
            notes.push(format!("no GitHub API: {e}"));
            None
        }
    }
}

/// In a `workflow_run` stage the pull request number comes from an artifact the untrusted stage
/// wrote: it is used only when that pull request's head is the commit the run tested.
fn verify_pr_head(c: &Client, pr: u64, head: Option<&str>, notes: &mut Vec<String>) -> Option<u64> {
    match (c.pull_request(pr), head) {
        (Ok(p), Some(h)) if p.head.sha == h => Some(pr),
        (Ok(p), _) => {
            notes.push(format!(
                "pull request #{pr} is at {}, not at the commit the run tested ({}): not commenting on it",
                p.head.sha,
                head.unwrap_or("unknown")
            ));
            None
        }
        (Err(e), _) => {
            notes.push(format!("cannot check pull request #{pr}: {e}"));
            None
        }
    }
}

/// How the change is known: `git diff BASE...HEAD` with `--base`; else the pull request's files
/// through the API with its base and head commits (`ChangeSpec::Patches`: git's diff from the
/// base when the clone has it, the patches' lines only in the numbering of the commit checked
/// out); else, for a push to a branch other than the default one, the default branch (fetched);
/// else the event's base commit (a pull request's base, a push's `before`) against HEAD, fetched
/// when the checkout is shallow; else the branch's base, when the policy asks for patch
/// coverage. What cannot be read goes into the verdict (the patch check cannot be measured),
/// never into a silent pass.
fn change(
    args: &GithubArgs,
    ctx: &Context,
    client: Option<&Client>,
    pr: Option<u64>,
    notes: &mut Vec<String>,
) -> ChangeSpec {
    if let Some(base) = &args.judge.base {
        return ChangeSpec::Base { rev: base.clone(), worktree: false };
    }
    if let (Some(client), Some(pr)) = (client, pr) {
        match client.pull_request_files(pr).map(|files| (whole_diff(&files), files)) {
            Ok((None, files)) => {
                let mut added = AddedLines::new();
                for f in files.iter().filter(|f| f.status != "removed") {
                    if let Some(p) = &f.patch {
                        added.add_patch(&f.filename, p);
                    }
                }
                return ChangeSpec::Patches(Box::new(Patches {
                    base: ctx.base_sha.clone(),
                    label: "the pull request's base".into(),
                    head: ctx.pr_head.clone(),
                    lines: added,
                }));
            }
            Ok((Some(why), _)) if ctx.base_sha.is_some() => notes.push(format!(
                "the pull request's files do not carry its whole diff ({why}); measuring git's diff instead"
            )),
            Ok((Some(why), _)) => {
                notes.push(format!("no patch coverage: the pull request's files do not carry its whole diff ({why})"))
            }
            Err(e) if ctx.base_sha.is_some() => {
                notes.push(format!("the pull request's files could not be read ({e}); measuring git's diff instead"))
            }
            Err(e) => notes.push(format!("no patch coverage: {e}")),
        }
    }
    let head = args.sha.clone().or_else(|| std::env::var("GITHUB_SHA").ok());
    // The context leaves `base_sha` out for such a push.
    if let Some(default) = &ctx.default_branch_base {
        let named = super::Named::Branch { name: default.clone(), label: format!("the default branch ({default})") };
        return super::change(&args.judge, named, head, notes);
    }
    match &ctx.base_sha {
        Some(base) => {
            let label = if ctx.pr.is_some() { "the pull request's base" } else { "the pushed range's base" };
            let named = super::Named::Commit { sha: base.clone(), label: label.to_string() };
            super::change(&args.judge, named, head, notes)
        }
        None => ChangeSpec::None,
    }
}

/// GitHub lists at most this many files of a pull request.
const MOST_FILES: usize = 3000;

/// Why the pull request's files, as the API lists them, are not its whole diff: a file that adds
/// lines without its `patch` (GitHub leaves the patch of a large diff out), no file at all, or as
/// many files as GitHub lists at most. `None` when they are.
fn whole_diff(files: &[github::DiffEntry]) -> Option<String> {
    if files.is_empty() {
        return Some("GitHub lists no file".into());
    }
    if files.len() >= MOST_FILES {
        return Some(format!("GitHub lists at most {MOST_FILES} files"));
    }
    let cut = files.iter().find(|f| f.status != "removed" && f.patch.is_none() && f.additions != Some(0))?;
    Some(format!("`{}` adds lines and GitHub gives no patch of it, as for a large diff", cut.filename))
}

/// What there is to publish.
struct Judged<'a> {
    verdict: &'a Verdict,
    annotations: &'a [Annotation],
}

/// The sticky comment and the check run. Failures become notes; nothing here changes the verdict.
fn publish(
    c: &Client,
    args: &GithubArgs,
    ctx: &Context,
    judged: &Judged<'_>,
    pr: Option<u64>,
    head_sha: Option<&str>,
    rep: &mut Reported,
) {
    let Judged { verdict: v, annotations: list } = *judged;
    let extras = Extras { notes: &rep.notes, run_url: ctx.run_url.as_deref() };
    let comment_body = summary::comment(v, extras, &sticky::marker(&args.check_name), &args.check_name);
    let check_summary = summary::fit_chars(&summary::render(v, extras), summary::CHECK_SUMMARY_MAX_CHARS);
    let mut notes = Vec::new();
    match (args.comment, pr) {
        (CommentMode::Off, _) => {}
        (_, None) => tracing::info!("no pull request in this event: no comment"),
        (mode, Some(n)) => {
            let create = mode == CommentMode::On || v.status != Status::Approved;
            let author = Some(args.comment_author.as_str()).filter(|a| !a.is_empty());
            match github::upsert_comment(c, n, &sticky::marker(&args.check_name), author, &comment_body, create) {
                Ok(Some((id, created))) => {
                    tracing::info!("{} comment {id} on #{n}", if created { "created" } else { "updated" });
                    rep.comment_id = Some(id);
                }
                Ok(None) => tracing::info!("approved and no earlier comment: none written (comment: on-failure)"),
                Err(f) => notes.push(degraded(&f.said("the pull-request comment", "the pull request"), f.error())),
            }
        }
    }
    match (args.check_run, head_sha) {
        (false, _) => {}
        (true, None) => notes.push("no commit to attach a check run to (no --sha, no GITHUB_SHA)".into()),
        (true, Some(sha)) => {
            let run = CheckRun {
                name: args.check_name.clone(),
                head_sha: sha.to_string(),
                // The verdict's, never the exit code's: `neutral` passes a required check, so
                // --fail-on-blocked false must not publish it for a BLOCKED change.
                conclusion: if v.status == Status::Approved { "success" } else { "failure" },
                details_url: ctx.run_url.clone(),
                title: plain_text(&format!("{}: {}", v.status.label(), render::tally(v)), 255),
                summary: check_summary,
                annotations: check_annotations(list),
            };
            match github::publish_check_run(c, &run) {
                Ok((id, later)) => {
                    rep.check_run_id = Some(id);
                    if let Some(e) = later {
                        notes.push(degraded("some check-run annotations were not added", &e));
                    }
                }
                Err(e) => notes.push(degraded("the check run was not created", &e)),
            }
        }
    }
    rep.notes.extend(notes);
}

fn degraded(what: &str, e: &ApiError) -> String {
    let why = if e.is_permission() {
        " (the token may not write here: a fork's read-only token, or `permissions:` without `pull-requests: write` / \
         `checks: write`)"
    } else {
        ""
    };
    format!("{what}: {e}{why}; the verdict stands, the job summary and the annotations carry it")
}

/// Check-run annotations need a file: pathless ones stay in the summary. At most 1,000 (20
/// requests).
fn check_annotations(list: &[Annotation]) -> Vec<github::CheckAnnotation> {
    list.iter()
        .filter_map(|a| {
            let path = a.path.as_ref()?;
            Some(github::CheckAnnotation {
                path: path.clone(),
                start_line: a.start_line.max(1),
                end_line: a.end_line.max(a.start_line).max(1),
                annotation_level: a.level.api(),
                message: plain_text(&a.message, 60_000),
                title: plain_text(&a.title, 255),
            })
        })
        .take(1_000)
        .collect()
}

/// The human verdict for the run's log, with workflow commands stopped around it: nothing a
/// report says can become a command.
fn log_block(text: &str) -> String {
    let token = env_files::delimiter();
    format!("::group::temis verdict\n::stop-commands::{token}\n{text}::{token}::\n::endgroup::\n")
}

fn write_json(args: &GithubArgs, v: &Verdict, out: Output) -> Option<PathBuf> {
    let path = args.report_json.clone().unwrap_or_else(|| {
        std::env::var_os("RUNNER_TEMP").map(PathBuf::from).unwrap_or_else(std::env::temp_dir).join("temis-verdict.json")
    });
    match std::fs::write(&path, render::json::render(v)) {
        Ok(()) => Some(path),
        Err(e) => {
            out.warning(&format!("cannot write {}: {e}", path.display()));
            None
        }
    }
}

fn write_summary(ctx: &Context, markdown: &str, out: Output) -> Result<(), Error> {
    let text = summary::fit_bytes(markdown, summary::STEP_SUMMARY_MAX_BYTES);
    match &ctx.step_summary {
        Some(path) => {
            if let Err(e) = env_files::append_summary(path, &text) {
                out.warning(&format!("cannot write the job summary {}: {e}", path.display()));
            }
            Ok(())
        }
        None => {
            tracing::info!("GITHUB_STEP_SUMMARY is not set: the summary goes to stdout");
            out.stdout(&text).map_err(|e| Error::Write { path: "stdout".into(), source: e })
        }
    }
}

fn write_outputs(ctx: &Context, v: &Verdict, json: Option<&Path>, rep: &Reported, out: Output) {
    let Some(path) = &ctx.output else { return };
    let status = v.status.label().replace(' ', "_");
    let id = |i: Option<u64>| i.map(|i| i.to_string()).unwrap_or_default();
    let outputs = [
        ("verdict", status),
        ("coverage", v.published_line_coverage().map(trim_number).unwrap_or_default()),
        ("patch-coverage", v.patch.as_ref().and_then(|p| p.percent()).map(trim_number).unwrap_or_default()),
        ("report-json", json.map(|p| p.display().to_string()).unwrap_or_default()),
        ("comment-id", id(rep.comment_id)),
        ("check-run-id", id(rep.check_run_id)),
    ];
    if let Err(e) = env_files::write_outputs(path, &outputs) {
        out.warning(&format!("cannot write the step outputs {}: {e}", path.display()));
    }
}

/// The gate could not run (invalid policy, unreadable report): the summary and the outputs say
/// so before the error goes to stderr.
fn could_not_judge(ctx: &Context, e: &Error, out: Output) {
    let text = e.to_string().replace("```", "'''");
    let md = format!(
        "### ⚠️ temis: {}\n\n```text\n{}\n```\n",
        Status::CouldNotJudge.label(),
        summary::fit_chars(&text, 100_000)
    );
    if let Some(p) = &ctx.step_summary {
        let _ = env_files::append_summary(p, &md);
    }
    if let Some(p) = &ctx.output
        && let Err(err) = env_files::write_outputs(p, &[("verdict", "COULD_NOT_JUDGE".into())])
    {
        out.warning(&format!("cannot write the step outputs {}: {err}", p.display()));
    }
}
