//! `temis commit-msg check FILE`: a commit message against Conventional Commits, with
//! commitlint's conventional rules and the policy's `[commits]` settings; and the `generate`
//! subcommand, whose work lives in `commit_msg_generate.rs`.

use std::path::{Path, PathBuf};

use super::Outcome;
use crate::commits::{self, Level, Lint};
use crate::error::Error;
use crate::output::{Output, Paint};
use crate::policy::{CommitsPolicy, Policy};

pub const AFTER_HELP: &str = "The rules are commitlint's @commitlint/config-conventional: type one of build, chore, \
ci, docs, feat, fix, perf, refactor, revert, style, test (lower-case); a subject that does not start with a capital \
nor end with a full stop; header at most 100 characters; body and footer lines at most 100 (lines with a URL \
exempt); a blank line before the body and before the footer (warnings). A breaking change is `type!:` or a \
`BREAKING CHANGE:` footer. Merges, reverts, fixup!/squash!/amend! and release versions are not checked. \
[commits] in temis.toml changes the types, scopes, lengths and ignores. Lines starting with # are comments, as git \
drops them after an editor, except in a message that starts with one and holds no editor template, which is read \
as written (git commits -m and -F messages so); the commit-msg hook knows which git does.

Exit codes: 0 the message is fine (warnings allowed), 1 it breaks a rule, 2 usage error.

Examples:
  temis commit-msg check .git/COMMIT_EDITMSG
  git log -1 --format=%B | temis commit-msg check -";

#[derive(Debug, clap::Args)]
pub struct CommitMsgArgs {
    #[command(subcommand)]
    pub action: CommitMsgAction,
}

#[derive(Debug, clap::Subcommand)]
pub enum CommitMsgAction {
    /// Check a commit message file (`-` for standard input) against Conventional Commits.
    #[command(after_help = AFTER_HELP)]
    Check(CheckArgs),
    /// Write a Conventional Commit message for the phase, or for the staged change.
    #[command(after_help = super::commit_msg_generate::AFTER_HELP)]
    Generate(super::commit_msg_generate::GenerateArgs),
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The message file, as git passes it to the commit-msg hook; `-` reads standard input.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Policy file [default: temis.toml at the repository root, else the defaults].
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
}

pub fn run(args: CommitMsgArgs, out: Output) -> Result<Outcome, Error> {
    match args.action {
        CommitMsgAction::Check(a) => check(a, out),
        CommitMsgAction::Generate(a) => super::commit_msg_generate::run(a, out),
    }
}

fn check(args: CheckArgs, out: Output) -> Result<Outcome, Error> {
    let text = read_message(&args.file)?;
    let policy = match &args.policy {
        Some(p) => commits_policy_at(p)?,
        None => commits_policy_in(&crate::app::root_dir(None)?)?,
    };
    let lint = commits::lint(&text, &policy);
    let shown = if args.file.as_os_str() == "-" { "<stdin>".to_string() } else { args.file.display().to_string() };
    out.stdout(&render(&lint, &shown, Paint(out.color()), None))
        .map_err(|e| Error::Write { path: "stdout".into(), source: e })?;
    Ok(if lint.blocks(&policy) { Outcome::Blocked } else { Outcome::Ok })
}

pub(crate) fn read_message(file: &Path) -> Result<String, Error> {
    let bytes = if file.as_os_str() == "-" {
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut b)
            .map_err(|e| Error::Read { path: "<stdin>".into(), source: e })?;
        b
    } else {
        std::fs::read(file).map_err(|e| Error::Read { path: file.display().to_string(), source: e })?
    };
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// `[commits]` of `root/temis.toml`, or the defaults without one.
pub(crate) fn commits_policy_in(root: &Path) -> Result<CommitsPolicy, Error> {
    let path = root.join("temis.toml");
    if !path.is_file() {
        return Ok(CommitsPolicy::default());
    }
    commits_policy_at(&path)
}

fn commits_policy_at(path: &Path) -> Result<CommitsPolicy, Error> {
    let text =
        std::fs::read_to_string(path).map_err(|e| Error::Read { path: path.display().to_string(), source: e })?;
    Ok(Policy::parse(&path.display().to_string(), &text).map_err(Error::Policy)?.commits)
}

/// The findings as people read them: each with its line, the rule, and the offending text.
pub(crate) fn render(lint: &Lint, file: &str, paint: Paint, bypass: Option<&str>) -> String {
    let problems = match lint {
        Lint::Empty => return String::from("the commit message is empty: nothing to check\n"),
        Lint::Ignored(why) => return format!("commit message not checked: {why}\n"),
        Lint::Checked { problems, .. } if problems.is_empty() => return String::new(),
        Lint::Checked { problems, .. } => problems,
    };
    let errors = problems.iter().filter(|p| p.level == Level::Error).count();
    let warnings = problems.len() - errors;
    let mut s = String::new();
    for p in problems {
        let label = match p.level {
            Level::Error => paint.red("error"),
            Level::Warning => paint.yellow("warning"),
        };
        s.push_str(&format!("{file}:{}: {label} [{}] {}\n", p.line, p.rule, p.message));
        s.push_str(&format!("  {} {}\n", paint.dim("|"), p.text));
    }
    let count = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    s.push_str(&format!(
        "{}, {} — Conventional Commits: `type(scope)!: subject`, e.g. `feat(parser): read gzip reports`\n",
        count(errors, "error"),
        count(warnings, "warning")
    ));
    if errors > 0
        && let Some(b) = bypass
    {
        s.push_str(&format!("{b}\n"));
    }
    s
}
