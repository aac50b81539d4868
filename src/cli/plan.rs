//! `temis plan [PLAN]`: the plan's phases with their state and last verdicts; `temis plan
//! approve`: record the plan's approval (the first pause point) in its front matter.

use std::path::PathBuf;

use super::{Outcome, PathArgs, parse_date};
use crate::app::Request;
use crate::app::plans;
use crate::app::write::{self, Mode};
use crate::error::Error;
use crate::output::Output;
use crate::policy::Date;
use crate::render::plan::{self as view, Header};

pub const AFTER_HELP: &str = "State comes from files in git, nothing else: the plan's front matter says whether it \
is approved (`temis plan approve`), each phase-N-complete.md says a phase is complete and with which verdict, and \
the gate, run now on the current phase's reports, says whether it is blocked.

The plan is PLAN (a file, or a folder holding plan.md or tasks.md), else the one unfinished plan among \
plans/*/plan.md, plans/*-plan.md (Conductor), specs/*/tasks.md (spec-kit), .kiro/specs/*/tasks.md (Kiro).

Examples:
  temis plan new \"Login\" --phases \"Schema, API, UI\"  write plans/login/plan.md, ready to edit
  temis plan                                   the current plan, its phases and what to do next
  temis plan plans/jwt-authentication          a plan by its folder
  temis plan approve                           record approval (approved_by: git user.name)
  temis plan --format json                     the temis.plan/v1 JSON";

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct PlanArgs {
    #[command(subcommand)]
    pub command: Option<PlanCommand>,

    /// The plan file or its folder [default: the one unfinished plan in the conventional places].
    #[arg(value_name = "PLAN")]
    pub plan: Option<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: PlanFormat,

    /// Do not run the gate on the current phase's reports.
    #[arg(long)]
    pub no_gate: bool,

    /// Policy file for the current phase's gate [default: temis.toml at the root, else the embedded default].
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,

    #[command(flatten)]
    pub paths: PathArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum PlanFormat {
    Human,
    /// The temis.plan/v1 JSON.
    Json,
}

#[derive(Debug, clap::Subcommand)]
pub enum PlanCommand {
    /// Record that the plan is approved (approved: true, approved_by) in its front matter.
    Approve(ApproveArgs),
    /// Write a new plan, plans/<feature>/plan.md, with one section per phase, ready to edit.
    #[command(after_help = super::plan_new::AFTER_HELP)]
    New(super::plan_new::NewArgs),
}

#[derive(Debug, clap::Args)]
pub struct ApproveArgs {
    /// The plan file or its folder [default: the one unfinished plan].
    #[arg(value_name = "PLAN")]
    pub plan: Option<PathBuf>,

    /// Who approves [default: git config user.name].
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,

    /// Also record the date of approval (YYYY-MM-DD); no date is written unless asked.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub date: Option<Date>,

    /// Repository root [default: the git work tree containing the current directory].
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
}

pub fn run(args: PlanArgs, out: Output) -> Result<Outcome, Error> {
    match args.command {
        Some(PlanCommand::Approve(a)) => return approve(a, out),
        Some(PlanCommand::New(a)) => return super::plan_new::run(a, out),
        None => {}
    }
    let root = plans::root(args.paths.root.as_deref())?;
    let loaded = plans::load(&root, &plans::find(&root, args.plan.as_deref())?)?;
    let gate = (!args.no_gate).then(|| Request {
        policy: args.policy.clone(),
        paths: args.paths.rules(),
        ..Request::new(loaded.root.clone())
    });
    let overview = plans::status(&loaded, gate);
    let summary = loaded.written_summary();
    let header = Header {
        plan: &loaded.plan,
        path: &loaded.files.plan,
        feature: &loaded.files.feature,
        summary: summary.as_deref(),
    };
    let text = match args.format {
        PlanFormat::Human => view::human(&header, &overview, crate::output::Paint(out.color())),
        PlanFormat::Json => view::json(&header, &overview),
    };
    out.stdout(&text).map_err(Error::stdout)?;
    Ok(Outcome::Ok)
}

fn approve(args: ApproveArgs, out: Output) -> Result<Outcome, Error> {
    let root = plans::root(args.root.as_deref())?;
    let path = plans::find(&root, args.plan.as_deref())?;
    let loaded = plans::load(&root, &path)?;
    let rel = loaded.files.plan.clone();
    if loaded.plan.front.flag("approved") {
        let by = loaded.plan.front.scalar("approved_by").map(|b| format!(" by {b}")).unwrap_or_default();
        out.stdout(&format!("{rel} is already approved{by}; nothing changed\n")).map_err(Error::stdout)?;
        return Ok(Outcome::Ok);
    }
    let by = match args.by.or_else(|| crate::git::user_name(&root)) {
        Some(b) => b,
        None => return Err(Error::usage("say who approves the plan: --by NAME (git config user.name is not set)")),
    };
    let text = std::fs::read_to_string(&path).map_err(|e| Error::Read { path: rel.clone(), source: e })?;
    let mut set = vec![("approved", "true".to_string()), ("approved_by", by.clone())];
    if let Some(d) = args.date {
        set.push(("approved_on", d.to_string()));
    }
    let updated = crate::plan::front::upsert(&text, &set).map_err(|e| Error::plan(&rel, e))?;
    // The approved plan must still read the same.
    crate::plan::read(&updated).map_err(|e| Error::plan(&rel, e))?;
    write::write(&path, updated.as_bytes(), Mode::Keep).map_err(|e| Error::Write { path: rel.clone(), source: e })?;
    let first = &loaded.plan.phases[0];
    out.stdout(&format!(
        "approved {rel} (by {by})\ncommit it: git add {rel} && git commit -m \"docs(plans): approve the {} plan\"\n\
         next: phase 1 — {}; when it is done, temis phase complete 1\n",
        loaded.files.feature, first.title
    ))
    .map_err(|e| Error::Write { path: "stdout".into(), source: e })?;
    Ok(Outcome::Ok)
}
