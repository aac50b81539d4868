//! `temis phase complete N`: gate the phase and, when APPROVED, write its record;
//! `temis phase summary`: write the feature's `complete.md` (and its chart, `complete.svg`) from the records.

use std::path::PathBuf;

use super::{Outcome, PathArgs, parse_date};
use crate::app::plans::{self, Written};
use crate::app::{self, Request, phase};
use crate::error::Error;
use crate::gate::Status;
use crate::output::Output;
use crate::policy::Date;

pub const AFTER_HELP: &str = "Exit codes: 0 APPROVED and recorded, 1 BLOCKED (nothing written), 2 could not judge or \
could not write (nothing written).

`temis phase complete N` gates phase N with the policy's [phase.N] overrides on the reports named on the command \
line, else the phase's `Reports:` in the plan (reports named either way replace [reports] of their kinds only: a \
kind they leave out is read from [reports] still), else the policy's [reports], else the conventional locations. When \
APPROVED it writes plans/<feature>/phase-N-complete.md: what was implemented (the plan's tasks), the files created, \
modified and deleted since the phase began (from git), tests, coverage (the project's, and the patch's: the lines \
added since the phase began, untracked files included; `[coverage] min_patch` makes it block), the families the \
verdict has (security, accessibility, performance), waivers used, the verdict and the commit message, with a front-matter block `temis \
plan` reads back. The same inputs write the same bytes. An existing record with other content is never replaced \
without --force.

Examples:
  temis phase complete 1                        gate phase 1; write phase-1-complete.md if approved
  temis phase complete 2 coverage.xml junit.xml phase 2 on these reports
  temis phase summary                           write complete.md (and complete.svg) once every phase is recorded";

#[derive(Debug, clap::Args)]
pub struct PhaseArgs {
    #[command(subcommand)]
    pub command: PhaseCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum PhaseCommand {
    /// Gate phase N; if APPROVED, write its record (phase-N-complete.md).
    Complete(CompleteArgs),
    /// Write the feature's summary (complete.md) once every phase is recorded.
    Summary(SummaryArgs),
}

#[derive(Debug, clap::Args)]
pub struct CompleteArgs {
    /// The phase's number.
    #[arg(value_name = "N")]
    pub phase: u32,

    /// Reports to gate [default: the phase's `Reports:` in the plan, else discovered].
    #[arg(value_name = "REPORT")]
    pub reports: Vec<PathBuf>,

    /// The plan file or its folder [default: the one unfinished plan].
    #[arg(long, value_name = "PLAN")]
    pub plan: Option<PathBuf>,

    /// Policy file [default: temis.toml at the repository root, else the embedded default].
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,

    /// The commit the phase started from [default: where the plan's approval, or the previous
    /// phase's record, was committed].
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,

    /// The date waivers are judged on (YYYY-MM-DD) [default: today, or TEMIS_TODAY]; the record
    /// says it when a waiver it used has an expiry date.
    #[arg(long, value_name = "DATE", env = "TEMIS_TODAY", value_parser = parse_date)]
    pub today: Option<Date>,

    /// Stamp the record with this date (no date is written unless asked).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub date: Option<Date>,

    /// Replace an existing record that differs (an uncommitted one is kept as .bak, or .bak.1, .bak.2… beside an earlier one).
    #[arg(long)]
    pub force: bool,

    #[command(flatten)]
    pub paths: PathArgs,
}

#[derive(Debug, clap::Args)]
pub struct SummaryArgs {
    /// The plan file or its folder [default: the one unfinished plan].
    #[arg(long, value_name = "PLAN")]
    pub plan: Option<PathBuf>,

    /// Stamp the summary with this date (no date is written unless asked).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub date: Option<Date>,

    /// Replace an existing summary that differs (an uncommitted one is kept as .bak, or .bak.1, .bak.2… beside an earlier one).
    #[arg(long)]
    pub force: bool,

    /// Repository root [default: the git work tree containing the current directory].
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
}

pub fn run(args: PhaseArgs, out: Output) -> Result<Outcome, Error> {
    match args.command {
        PhaseCommand::Complete(a) => complete(a, out),
        PhaseCommand::Summary(a) => summarize(a, out),
    }
}

fn say(out: &Output, text: &str) -> Result<(), Error> {
    out.stdout(text).map_err(Error::stdout)
}

fn written(out: &Output, rel: &str, w: &Written) -> Result<(), Error> {
    match w {
        Written::Created => say(out, &format!("wrote {rel}\n")),
        Written::Unchanged => say(out, &format!("{rel} is up to date (same bytes); nothing written\n")),
        Written::Replaced { backup: None } => say(out, &format!("replaced {rel} (the previous version is in git)\n")),
        Written::Replaced { backup: Some(b) } => {
            say(out, &format!("replaced {rel}; the previous version is kept as {b}\n"))
        }
    }
}

fn complete(args: CompleteArgs, out: Output) -> Result<Outcome, Error> {
    let root = plans::root(args.paths.root.as_deref())?;
    let loaded = plans::load(&root, &plans::find(&root, args.plan.as_deref())?)?;
    let template = Request {
        policy: args.policy.clone(),
        reports: args.reports.clone(),
        paths: args.paths.rules(),
        today: args.today.unwrap_or_else(app::today_utc),
        ..Request::new(root.clone())
    };
    let judged = phase::judge(&loaded, args.phase, args.base.as_deref(), template)?;
    if let Some(n) = &judged.note {
        out.warning(n);
    }
    let n = judged.phase;
    let verdict = &judged.judgement.verdict;
    say(&out, &crate::render::verdict::render(verdict, crate::render::verdict::VerdictFormat::Human, out.color()))?;
    let rel = loaded.files.record(n);
    match verdict.status {
        Status::Approved => {}
        Status::Blocked => {
            say(
                &out,
                &format!(
                    "\nphase {n} is BLOCKED: {rel} was not written. Fix what is listed above, then run `temis phase complete {n}` again.\n"
                ),
            )?;
            return Ok(Outcome::Blocked);
        }
        Status::CouldNotJudge => {
            say(&out, &format!("\nphase {n} could not be judged: {rel} was not written.\n"))?;
            return Ok(Outcome::CouldNotJudge);
        }
    }
    let recorded = phase::record(&loaded, &judged, args.date, args.force)?;
    say(&out, "\n")?;
    written(&out, &recorded.path, &recorded.written)?;
    say(
        &out,
        &format!(
            "next: review it, then commit the phase as one commit:\n  git add -A && temis commit-msg generate --phase {n} | git commit -F -\n"
        ),
    )?;
    Ok(Outcome::Ok)
}

fn summarize(args: SummaryArgs, out: Output) -> Result<Outcome, Error> {
    let root = plans::root(args.root.as_deref())?;
    let loaded = plans::load(&root, &plans::find(&root, args.plan.as_deref())?)?;
    let done = phase::summarize_all(&loaded, args.date, args.force)?;
    written(&out, &done.summary.0, &done.summary.1)?;
    if let Some((rel, w)) = &done.chart {
        written(&out, rel, w)?;
    }
    Ok(Outcome::Ok)
}
