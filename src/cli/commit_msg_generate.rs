//! `temis commit-msg generate`: a Conventional Commit message for the phase (the one its record
//! holds, or one built from the plan and the change) or, with no plan, for the staged change.

use std::path::PathBuf;

use super::Outcome;
use crate::app::plans::{self, Loaded};
use crate::app::write::{self, Mode};
use crate::docs::{commit, conventional, record};
use crate::error::Error;
use crate::git::{self, Since};
use crate::output::Output;

pub const AFTER_HELP: &str = "With a plan, the message is the phase's: the one its record holds once `temis phase \
complete N` wrote it, else one built from the plan (type from `Type:` or the change, subject from the phase title, \
the tasks done as bullets, trailers Plan: and Phase: N/M). The phase is --phase N, else the newest phase whose \
record is not committed yet, else the current one. Without a plan (or with --staged), the message describes the \
staged change. Every message meets commitlint's config-conventional rules.

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
    let plan = if args.staged {
        None
    } else if args.plan.is_some() || args.phase.is_some() {
        Some(plans::find(&root, args.plan.as_deref())?)
    } else {
        plans::find(&root, None).ok()
    };
    let message = match plan {
        Some(path) => {
            let loaded = plans::load(&root, &path)?;
            for_plan(&loaded, args.phase)?
        }
        None => {
            let changes = git::changes(&root, Since::Staged)?;
            if changes.is_empty() {
                return Err(Error::usage(
                    "nothing is staged: `git add` the change first, or name a phase with --phase N",
                ));
            }
            let scope = plans::scope(&root, &changes);
            commit::for_change(&changes, scope).render()
        }
    };
    let problems = conventional::problems(&message);
    if !problems.is_empty() {
        out.warning(&format!("the message breaks commitlint's conventional rules: {}", problems.join("; ")));
    }
    match &args.output {
        Some(file) => write::write(file, message.as_bytes(), Mode::Keep)
            .map_err(|e| Error::Write { path: file.display().to_string(), source: e })?,
        None => out.stdout(&message).map_err(Error::stdout)?,
    }
    Ok(Outcome::Ok)
}

/// The phase's message: from its record when there is one, else built from the plan.
fn for_plan(loaded: &Loaded, phase: Option<u32>) -> Result<String, Error> {
    let records = loaded.records();
    let n = match phase {
        Some(n) => n,
        None => {
            let fresh = records
                .iter()
                .rev()
                .find(|(_, (path, _))| !git::committed_as_is(&loaded.root, path).unwrap_or(false))
                .map(|(n, _)| *n);
            let current = crate::plan::state::overview(
                &loaded.plan,
                &crate::plan::state::Facts { records: records.clone(), ..Default::default() },
            )
            .current;
            match fresh.or(current) {
                Some(n) => n,
                None => {
                    return Err(Error::usage(format!(
                        "every phase of {} is committed; name one with --phase N, or use --staged",
                        loaded.files.plan
                    )));
                }
            }
        }
    };
    let phase = loaded.phase(n)?;
    if let Some((path, _)) = records.get(&n) {
        let text = std::fs::read_to_string(loaded.root.join(path))
            .map_err(|e| Error::Read { path: path.clone(), source: e })?;
        if let Some(m) = record::commit_message(&text) {
            return Ok(m);
        }
        tracing::info!("{path} holds no `{}` block; building the message from the plan", record::MESSAGE_HEADING);
    }
    let (base, _) = loaded.base(n)?;
    let changes = loaded.changes(base.as_deref())?;
    let scope = plans::scope(&loaded.root, &changes);
    Ok(commit::for_phase(&loaded.files.plan, loaded.plan.phases.len(), phase, &changes, scope, None).render())
}
