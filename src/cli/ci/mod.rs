//! `temis ci`: the gate inside a CI system, reported where that system's users look.
//!
//! One module per platform (`github`, `gitlab`, `bitbucket`, `azure`, `jenkins`) and one entry
//! of [`PLATFORMS`]: its name, what it is called, the variable that gives it away. `temis ci`
//! with no platform named reads those variables, says on stderr which platform it picked, and
//! runs it with the arguments given.
//!
//! What the surfaces share is here: the options, the judgement (one `app::judge`, reading
//! tolerantly and fetching a shallow checkout's base, as CI needs), the change a platform names
//! by a commit or by a branch, the artifacts directory, the log, and the exit code, which only
//! the verdict sets: a report that could not be published is a note, never another outcome.

pub mod azure;
pub mod bitbucket;
pub mod github;
pub mod gitlab;
pub mod jenkins;

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use clap::Parser;

use crate::app::change::Reading;
use crate::app::write::{self, Mode};
use crate::app::{self, ChangeSpec, Judgement, Request};
use crate::cli::{JudgeArgs, Outcome};
use crate::error::Error;
use crate::gate::{Status, Verdict};
use crate::output::Output;
use crate::render::verdict::{self as render, VerdictFormat, log};

/// A CI platform temis reports on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Platform {
    /// The subcommand: `gitlab`.
    pub name: &'static str,
    /// For people: `GitLab CI/CD`.
    pub title: &'static str,
    /// The variable every job of the platform has.
    pub variable: &'static str,
}

/// The platforms, in the order detection tries them.
pub const PLATFORMS: &[Platform] = &[
    Platform { name: "github", title: "GitHub Actions", variable: "GITHUB_ACTIONS" },
    Platform { name: "gitlab", title: "GitLab CI/CD", variable: "GITLAB_CI" },
    Platform { name: "bitbucket", title: "Bitbucket Pipelines", variable: "BITBUCKET_BUILD_NUMBER" },
    Platform { name: "azure", title: "Azure Pipelines", variable: "TF_BUILD" },
    Platform { name: "jenkins", title: "Jenkins", variable: "JENKINS_URL" },
];

const AFTER_HELP: &str = "With no platform named, temis picks it from the environment — GITHUB_ACTIONS: github, \
GITLAB_CI: gitlab, BITBUCKET_BUILD_NUMBER: bitbucket, TF_BUILD: azure, JENKINS_URL: jenkins (the first set, in \
that order) — says on stderr which it picked, and runs it with ARGS, which are that platform's (`temis ci PLATFORM \
--help`).

Every platform: the same verdict and exit code as `temis gate` (0 APPROVED, 1 BLOCKED, 2 could not judge; \
--fail-on-blocked false turns BLOCKED into 0). A report that could not be published (no token, a refused or \
failed API call) is said on stderr and in the summary, and never changes the verdict or the exit code. Report \
text is escaped for each channel: no markup, mention or logging command gets through. Tokens are never printed.

Examples:
  temis ci                                    the detected platform, discovered reports
  temis ci --phase 2 coverage.xml junit.xml   … with that platform's arguments
  temis ci gitlab --comment on-failure        GitLab, a merge-request note only when not APPROVED";

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true, after_help = AFTER_HELP)]
pub struct CiArgs {
    #[command(subcommand)]
    pub target: Option<CiTarget>,

    /// With no platform named: the arguments of the platform detected from the environment.
    #[arg(value_name = "ARGS", trailing_var_arg = true, allow_hyphen_values = true)]
    pub args: Vec<OsString>,
}

#[derive(Debug, clap::Subcommand)]
pub enum CiTarget {
    /// The gate as a GitHub Actions step: job summary, outputs, annotations, sticky PR comment,
    /// check run.
    #[command(after_help = github::AFTER_HELP)]
    Github(github::GithubArgs),
    /// GitLab CI/CD: Code Quality, Cobertura coverage and JUnit reports, the `coverage:` line, one
    /// merge-request note, a commit status.
    #[command(after_help = gitlab::AFTER_HELP)]
    Gitlab(gitlab::GitlabArgs),
    /// Bitbucket Pipelines: a Code Insights report with annotations, and a JUnit report.
    #[command(after_help = bitbucket::AFTER_HELP)]
    Bitbucket(bitbucket::BitbucketArgs),
    /// Azure Pipelines: logging-command annotations, the build summary, one pull-request thread,
    /// a pull-request status, Cobertura and JUnit reports.
    #[command(after_help = azure::AFTER_HELP)]
    Azure(azure::AzureArgs),
    /// Jenkins: a warnings-ng issues report, Cobertura for the Coverage plugin, JUnit.
    #[command(after_help = jenkins::AFTER_HELP)]
    Jenkins(jenkins::JenkinsArgs),
}

/// `temis ci ARGS` after detection: the platform's name, then ARGS.
#[derive(Debug, Parser)]
#[command(name = "temis ci", no_binary_name = true)]
struct Detected {
    #[command(subcommand)]
    target: CiTarget,
}

pub fn run(args: CiArgs, out: Output) -> Result<Outcome, Error> {
    let target = match args.target {
        Some(t) => t,
        None => {
            let (platform, others) = detect(|k| std::env::var(k).ok()).ok_or_else(|| {
                let vars: Vec<String> = PLATFORMS.iter().map(|p| format!("{} ({})", p.variable, p.name)).collect();
                Error::usage(format!(
                    "no CI platform detected: none of {} is set; name one: temis ci github|gitlab|bitbucket|azure|jenkins",
                    vars.join(", ")
                ))
            })?;
            let also = if others.is_empty() {
                String::new()
            } else {
                let names: Vec<&str> = others.iter().map(|p| p.variable).collect();
                format!("; {} also set, ignored", names.join(", "))
            };
            out.stderr(&format!(
                "temis: {} detected ({} is set{also}): running `temis ci {}`\n",
                platform.title, platform.variable, platform.name
            ));
            let argv = std::iter::once(OsString::from(platform.name)).chain(args.args);
            match Detected::try_parse_from(argv) {
                Ok(d) => d.target,
                Err(e)
                    if matches!(
                        e.kind(),
                        clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion
                    ) =>
                {
                    out.stdout(&e.render().to_string()).map_err(Error::stdout)?;
                    return Ok(Outcome::Ok);
                }
                Err(e) => {
                    let text = e.render().to_string();
                    return Err(Error::usage(text.trim().trim_start_matches("error: ").to_string()));
                }
            }
        }
    };
    match target {
        CiTarget::Github(a) => github::run(a, out),
        CiTarget::Gitlab(a) => gitlab::run(a, out),
        CiTarget::Bitbucket(a) => bitbucket::run(a, out),
        CiTarget::Azure(a) => azure::run(a, out),
        CiTarget::Jenkins(a) => jenkins::run(a, out),
    }
}

/// The platform whose variable `env` sets (the first, in [`PLATFORMS`] order), and the others
/// whose variable is set too. A variable set to nothing, `false` or `0` is not set.
pub fn detect(env: impl Fn(&str) -> Option<String>) -> Option<(&'static Platform, Vec<&'static Platform>)> {
    let set = |p: &&Platform| {
        env(p.variable).is_some_and(|v| {
            let v = v.trim();
            !v.is_empty() && !v.eq_ignore_ascii_case("false") && v != "0"
        })
    };
    let mut found = PLATFORMS.iter().filter(set);
    let first = found.next()?;
    Some((first, found.collect()))
}

/// When to write the sticky note (pull-request comment, merge-request note, thread).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum CommentMode {
    /// On every run (created once, then updated in place).
    On,
    /// Never.
    Off,
    /// Created only when the verdict is not APPROVED; an existing one is still updated.
    OnFailure,
}

/// What every platform but GitHub takes.
#[derive(Debug, clap::Args)]
pub struct CommonArgs {
    #[command(flatten)]
    pub judge: JudgeArgs,

    /// The directory the report files are written to (created when missing; relative to the
    /// current directory). A report the run judged, or any file there temis did not write (a
    /// project's junit.xml, summary.md…), is never written over (a warning says so): give it a
    /// folder of its own.
    #[arg(long, default_value = "temis-ci", value_name = "DIR")]
    pub artifacts: PathBuf,

    /// Exit 1 on BLOCKED; with false a BLOCKED verdict exits 0. Only the exit code changes: what is
    /// published (a status, a check run, a report) still fails.
    #[arg(long = "fail-on-blocked", default_value_t = true, action = clap::ArgAction::Set, value_name = "BOOL")]
    pub fail_on_blocked: bool,
}

/// The sticky note and the status, where the platform has them.
#[derive(Debug, clap::Args)]
pub struct NoteArgs {
    /// The sticky note on the merge or pull request.
    #[arg(long, value_enum, default_value = "on", value_name = "WHEN")]
    pub comment: CommentMode,

    /// Names the status and keys the sticky note (its hidden marker, the name percent-encoded
    /// but for letters, digits, `-`, `_` and `.`): two temis jobs on one change each keep their
    /// own, and a note of a name other than the default shows it.
    #[arg(long = "check-name", default_value = crate::render::verdict::summary::DEFAULT_CHECK_NAME, value_name = "NAME")]
    pub check_name: String,

    /// Only a note written by this user is taken as the sticky note to update [default: the
    /// first whose text starts with the marker; a note quoting it further on is a person's and
    /// is never touched].
    #[arg(long = "comment-author", env = "TEMIS_COMMENT_AUTHOR", value_name = "LOGIN")]
    pub comment_author: Option<String>,
}

impl NoteArgs {
    /// Whether a note is created when there is none yet (an existing one is always updated).
    pub fn creates(&self, status: Status) -> bool {
        match self.comment {
            CommentMode::On => true,
            CommentMode::Off => false,
            CommentMode::OnFailure => status != Status::Approved,
        }
    }
}

/// How the platform names the change's base.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Named {
    /// A commit id, and what it is, for people.
    Commit { sha: String, label: String },
    /// A branch of `origin` (the pull request's target), fetched first.
    Branch { name: String, label: String },
    /// Nothing: the branch's base when the policy asks for patch coverage.
    Nothing,
}

/// The change: `--base` when given, else what the platform names, against HEAD — the commit
/// checked out, which the reports measured — else, with no checkout, `head` (the commit the
/// platform says it built). The two differ where the platform builds a merge it made itself
/// (Bitbucket merges a pull request's destination into the checkout): the lines of the commit it
/// names are numbered otherwise. A branch that cannot be fetched is still tried as
/// `origin/BRANCH`; what cannot be measured goes into the verdict.
pub fn change(args: &JudgeArgs, named: Named, head: Option<String>, notes: &mut Vec<String>) -> ChangeSpec {
    if let Some(base) = &args.base {
        return ChangeSpec::Base { rev: base.clone(), worktree: false };
    }
    let head = || args.paths.root_dir().ok().and_then(|r| crate::git::head(&r).ok().flatten()).or_else(|| head.clone());
    match named {
        Named::Nothing => ChangeSpec::None,
        Named::Commit { sha, label } => match head() {
            Some(head) => ChangeSpec::Range { base: sha, label, head },
            None => ChangeSpec::Base { rev: sha, worktree: false },
        },
        Named::Branch { name, label } => {
            let fetched = args.paths.root_dir().and_then(|root| Ok(crate::git::fetch_branch(&root, "origin", &name)?));
            match (fetched, head()) {
                (Ok(sha), Some(head)) => ChangeSpec::Range { base: sha, label, head },
                (Ok(sha), None) => ChangeSpec::Base { rev: sha, worktree: false },
                (Err(e), _) => {
                    notes.push(format!("cannot fetch origin/{name} ({e}); trying the local origin/{name}"));
                    ChangeSpec::Base { rev: format!("origin/{name}"), worktree: false }
                }
            }
        }
    }
}

/// The judgement, as every CI surface makes it: a change that cannot be read goes into the
/// verdict, and a base a shallow checkout lacks is fetched from `origin`.
///
/// When it cannot judge, the artifacts' `summary.md` says why ([`could_not_judge`]) before the
/// error goes on; the judgement's notes join `notes`.
pub fn judge(
    args: &JudgeArgs,
    change: ChangeSpec,
    artifacts: &Artifacts,
    notes: &mut Vec<String>,
) -> Result<Judgement, Error> {
    let judged = args.request(change).and_then(|req| {
        app::judge(&Request { reading: Reading { tolerant: true, fetch: true }, fresh_checkout: true, ..req })
    });
    match judged {
        Ok(j) => {
            if let Ok(root) = args.paths.root_dir() {
                artifacts.judging(&root, &j.verdict.reports);
            }
            notes.extend(j.notes.iter().cloned());
            Ok(j)
        }
        Err(e) => {
            could_not_judge(artifacts, &e);
            Err(e)
        }
    }
}

/// The exit code the verdict gives.
pub fn outcome(status: Status, fail_on_blocked: bool) -> Outcome {
    match status {
        Status::Blocked if !fail_on_blocked => Outcome::Ok,
        status => Outcome::of(status),
    }
}

/// A short line for statuses and titles: `BLOCKED: 2 failed, 3 passed`.
pub fn headline(v: &Verdict) -> String {
    format!("{}: {}", v.status.label(), render::tally(v))
}

/// The directory the report files go to. Every file is written whole or not at all; one that
/// cannot be written is a note.
pub struct Artifacts {
    dir: PathBuf,
    /// The reports the run judged, never written over: `--artifacts .` replaced the project's
    /// `junit.xml` with temis's checks.
    judged: std::cell::RefCell<Vec<PathBuf>>,
}

impl Artifacts {
    pub fn new(dir: &Path) -> Artifacts {
        Artifacts { dir: dir.to_path_buf(), judged: Default::default() }
    }

    /// Whether `path` is one of the reports the run judged.
    fn judged(&self, path: &Path) -> bool {
        path.canonicalize().is_ok_and(|p| self.judged.borrow().contains(&p))
    }

    /// Notes the reports a judgement read (paths as its verdict shows them, from `root`).
    fn judging(&self, root: &Path, reports: &[crate::gate::ReportRef]) {
        self.judged.borrow_mut().extend(reports.iter().filter_map(|r| root.join(&r.path).canonicalize().ok()));
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Writes `text` to `name` in the directory; its path, or `None` (and a note).
    pub fn write(&self, name: &str, text: &str, notes: &mut Vec<String>) -> Option<PathBuf> {
        let path = self.path(name);
        let refused = if self.judged(&path) {
            Some("it is a report this run judged")
        } else if write::replaceable(&path, written_by_temis).is_err() {
            // The JUnit and Cobertura names are a project's own reports' too, and `summary.md`,
            // `verdict.json`, `issues.json` a project's own files as well (`--artifacts .`).
            Some("a file temis did not write is there")
        } else {
            None
        };
        if let Some(why) = refused {
            notes.push(format!(
                "{} not written: {why}; give --artifacts a folder of its own (the default, temis-ci)",
                path.display()
            ));
            return None;
        }
        let done = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| write::write(&path, text.as_bytes(), Mode::Keep));
        match done {
            Ok(()) => Some(path),
            Err(e) => {
                notes.push(format!("cannot write {}: {e}", path.display()));
                None
            }
        }
    }

    /// The verdict JSON (`verdict.json`), the markdown summary (`summary.md`) and the JUnit
    /// report of the checks (`junit`, a path in the directory).
    pub fn common(&self, v: &Verdict, summary: &str, junit: &str, notes: &mut Vec<String>) -> Option<PathBuf> {
        self.write("verdict.json", &render::json::render(v), notes);
        self.write(junit, &render::junit::render(v), notes);
        self.write("summary.md", summary, notes)
    }

    /// The Cobertura report of the coverage judged (`cobertura.xml`, or `cobertura-1.xml`… when
    /// GitLab's 10 MiB limit splits it), earlier runs' files removed first; their paths.
    pub fn cobertura(&self, judgement: &Judgement, source: &str, notes: &mut Vec<String>) -> Vec<PathBuf> {
        if let Ok(entries) = std::fs::read_dir(&self.dir) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().to_string();
                // Only what temis wrote (its comment opens the file): a project's own
                // `cobertura.xml` in the folder is its coverage report.
                if name.starts_with("cobertura")
                    && name.ends_with(".xml")
                    && written_by_temis(&e.path())
                    && !self.judged(&e.path())
                {
                    let _ = std::fs::remove_file(e.path());
                }
            }
        }
        let Some(cov) = crate::gate::combined_coverage(&judgement.inputs) else { return Vec::new() };
        let c = render::cobertura::render(&cov, source, render::cobertura::MAX_BYTES);
        notes.extend(c.notes);
        let many = c.parts.len() > 1;
        c.parts
            .iter()
            .enumerate()
            .filter_map(|(i, xml)| {
                let name = if many { format!("cobertura-{}.xml", i + 1) } else { "cobertura.xml".to_string() };
                self.write(&name, xml, notes)
            })
            .collect()
    }
}

/// Whether the file at `path` is one an earlier run wrote in the artifacts: temis names itself
/// in each, where a project's own file would not — `<!-- temis …` opening the Cobertura,
/// `name="temis"` the JUnit, the verdict's `"schema": "temis.verdict/`, the summary's first line
/// (`### ✅ temis: APPROVED`), each issue's `"message": "temis: …"` (warnings-ng) or
/// `"engine_name": "temis"` (GitLab's code quality) — or it is an empty list of issues as temis
/// writes one (`[]`, `{"issues": []}`). (An empty file is anyone's: [`write::replaceable`].)
fn written_by_temis(path: &Path) -> bool {
    use std::io::Read;
    let mut head = Vec::new();
    let _ = std::fs::File::open(path).and_then(|f| f.take(64 << 10).read_to_end(&mut head));
    let has = |m: &[u8]| memchr::memmem::find(&head, m).is_some();
    match path.extension().and_then(|e| e.to_str()) {
        Some("xml") => has(b"<!-- temis ") || has(b"<testsuites name=\"temis\""),
        Some("md") => {
            head.split(|&b| b == b'\n').next().is_some_and(|l| memchr::memmem::find(l, b" temis: ").is_some())
        }
        _ => {
            let bare: Vec<u8> = head.iter().copied().filter(|b| !b.is_ascii_whitespace()).collect();
            has(b"\"schema\": \"temis.verdict/")
                || has(b"\"message\": \"temis: ")
                || has(b"\"engine_name\": \"temis\"")
                || matches!(&bare[..], b"[]" | b"{\"issues\":[]}")
        }
    }
}

/// The human verdict for a CI log, nothing in it able to become a command of the CI system.
pub fn log_verdict(v: &Verdict) -> String {
    log::safe(&render::render(v, VerdictFormat::Human, false))
}

/// The notes on stderr, log-safe.
pub fn say_notes(notes: &[String], out: Output) {
    for n in notes {
        out.warning(&log::safe(n));
    }
}

/// The gate could not run (an invalid policy, an unreadable report named on the command line):
/// the summary says so before the error goes to stderr.
pub fn could_not_judge(artifacts: &Artifacts, e: &Error) {
    let text = e.to_string().replace("```", "'''");
    let md = format!(
        "### ⚠️ temis: {}\n\n```text\n{}\n```\n",
        Status::CouldNotJudge.label(),
        render::summary::fit_chars(&text, 100_000)
    );
    artifacts.write("summary.md", &md, &mut Vec::new());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
    }

    #[test]
    fn each_platform_is_detected_by_its_variable() {
        for (pairs, name) in [
            (&[("GITHUB_ACTIONS", "true")][..], "github"),
            (&[("GITLAB_CI", "true"), ("CI", "true")][..], "gitlab"),
            (&[("BITBUCKET_BUILD_NUMBER", "17")][..], "bitbucket"),
            (&[("TF_BUILD", "True")][..], "azure"),
            (&[("JENKINS_URL", "https://ci.example.com/")][..], "jenkins"),
        ] {
            let owned: Vec<(String, String)> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            let found = detect(|k| owned.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()));
            assert_eq!(found.map(|(p, _)| p.name), Some(name));
        }
        assert!(detect(env(&[("CI", "true"), ("GITHUB_ACTIONS", "false"), ("TF_BUILD", "")])).is_none());
        let (p, others) = detect(env(&[("JENKINS_URL", "x"), ("GITLAB_CI", "true")])).unwrap();
        assert_eq!((p.name, others.iter().map(|o| o.name).collect::<Vec<_>>()), ("gitlab", vec!["jenkins"]));
    }

    #[test]
    fn the_platform_table_names_every_subcommand() {
        use clap::CommandFactory;
        let cmd = Detected::command();
        let subs: Vec<&str> = cmd.get_subcommands().map(|s| s.get_name()).collect();
        let names: Vec<&str> = PLATFORMS.iter().map(|p| p.name).collect();
        assert_eq!(subs, names);
    }
}
