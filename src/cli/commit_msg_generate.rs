//! `temis commit-msg generate`: a Conventional Commit message for the phase (the one its record
//! holds, or one built from the plan and the change) or, with no plan, for the staged change.

use std::path::PathBuf;

use super::Outcome;
use crate::app::phase;
use crate::app::plans;
use crate::app::write::{self, Mode};
use crate::docs::conventional;
use crate::error::Error;
use crate::output::Output;

pub const AFTER_HELP: &str = "With a plan, the message is the phase's: the one its record holds once `temis phase \
complete N` wrote it, else one built from the plan (type from `Type:` or the change, subject from the phase title, \
the tasks ticked as bullets — every step of a list without boxes, the files changed when no box is ticked — trailers Plan: and Phase: N/M). The phase is --phase N, else the newest phase whose \
record is not committed yet, else the current one. Without a plan (or with --staged), the message describes the \
staged change. Every message temis builds meets commitlint's config-conventional rules; one a record written \
by hand holds that breaks them is printed all the same, with a warning naming each rule, and the exit code is 1.

Examples:
  temis commit-msg generate                      the message for the phase just completed
  git add -A && temis commit-msg generate | git commit -F -
  temis commit-msg generate --staged -o .git/COMMIT_EDITMSG";

#[derive(Debug, clap::Args)]
pub struct GenerateArgs {
    /// The plan file or its folder [default: the one unfinished plan, if any].
    #[arg(long, value_name = "PLAN", conflicts_with = "staged")]
    pub plan: Option<PathBuf>,

    /// The phase [default: the newest phase with an uncommitted record, else the current one].
    #[arg(long, value_name = "N", conflicts_with = "staged")]
    pub phase: Option<u32>,

    /// Describe the staged change, ignoring any plan.
    #[arg(long)]
    pub staged: bool,

    /// Write the message to FILE (atomically) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Repository root [default: the git work tree containing the current directory].
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
}

pub fn run(args: GenerateArgs, out: Output) -> Result<Outcome, Error> {
    let root = plans::root(args.root.as_deref())?;
    let message = phase::commit_message(&root, args.plan.as_deref(), args.phase, args.staged)?;
    let problems = conventional::problems(&message);
    if !problems.is_empty() {
        out.warning(&format!("the message breaks commitlint's conventional rules: {}", problems.join("; ")));
    }
    match &args.output {
        Some(file) => write::write(file, message.as_bytes(), Mode::Keep)
            .map_err(|e| Error::Write { path: file.display().to_string(), source: e })?,
        None => out.stdout(&message).map_err(Error::stdout)?,
    }
    // A message commitlint rejects (a hand-written record's `Feat: Bad Message.`) is not a good
    // message to commit with: `commit-msg check` rejects it too.
    Ok(if problems.is_empty() { Outcome::Ok } else { Outcome::Blocked })
}
