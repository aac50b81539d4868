//! The command line: raw arguments (clap), dispatch, logging set-up, outcomes.
//!
//! Each subcommand lives in its own file and returns an [`Outcome`] or an [`Error`]; `main`
//! maps them to exit codes in one place: 0 ok / approved, 1 blocked, 2 could not judge.

mod badge;
mod ci;
mod commit_msg;
mod commit_msg_generate;
mod explain;
mod gate;
mod hook;
mod hooks;
mod init;
mod mcp;
mod merge;
mod phase;
mod plan;
mod plan_new;
mod report;
mod security;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::app::{self, ChangeSpec, PathRules, Request, Scope};
use crate::error::Error;
use crate::output::{ColorChoice, Output};
use crate::parsers::Format;
use crate::policy::Date;

const ABOUT: &str = "A quality gate for git hooks and CI: reads the reports your tools write and \
holds them against a policy.";

const LONG_ABOUT: &str = "temis reads the reports your own tools write — coverage (lcov, coverage.py, \
jest/nyc/c8, cargo-llvm-cov, tarpaulin, go test, JaCoCo, Clover, SimpleCov, OpenCover, coverlet…), test results \
(JUnit XML, TRX, NUnit, xUnit.net, go test -json, mocha, RSpec, dart, CTRF, TAP), security scans (SARIF and \
fourteen native formats, OWASP ZAP among them), accessibility audits (Lighthouse, axe, pa11y) and benchmarks — with the \
same numbers those tools print, holds them against a policy (temis.toml, else an embedded default) and answers \
APPROVED or BLOCKED with every reason. It runs by hand, in git hooks, and in CI; for a feature built in \
phases it writes each phase's record, the feature's summary and a Conventional Commit message.

Exit codes: 0 ok / approved, 1 blocked (a threshold failed), 2 could not judge (usage error, invalid \
policy, unreadable, unrecognised or missing report).";

const AFTER_HELP: &str = "Examples:
  temis gate                                  judge the discovered reports against the policy
  temis gate --base origin/main               … with patch coverage of this branch's change
  temis report --files coverage.xml           what a report says, per file, no policy
  temis merge shard-*/lcov.info -o lcov.info  merge CI matrix shards into one report
  temis hooks install                         pre-commit, commit-msg, prepare-commit-msg, pre-push
  temis plan                                  the plan's phases, their state and last verdicts
  temis phase complete 2                      gate phase 2; if approved, write its record
  temis commit-msg generate | git commit -F - the phase's Conventional Commit message
  temis ci github                             the gate as a GitHub Actions step (action.yml)
  temis ci                                    … on any CI: GitLab, Bitbucket, Azure, Jenkins
  temis explain coverage-line-below-threshold what a check code means and how to fix it
  temis mcp                                   the MCP server for agents (VS Code, Claude Code)

Logging: -v, -vv, -vvv, or TEMIS_LOG=debug (tracing filter syntax); logs go to stderr only.

Documentation, in the repository's docs/: formats.md (every format, who writes it, where temis \
looks), policy.md (every check and temis.toml key), codes.md, workflow.md (plans, phase records, \
commit messages), hooks.md, ci-platforms.md and ci.md, agents.md, install.md.";

#[derive(Debug, Parser)]
#[command(name = "temis", version, about = ABOUT, long_about = LONG_ABOUT, after_help = AFTER_HELP)]
pub struct Args {
    /// When to colour output; NO_COLOR in the environment turns `auto` off.
    #[arg(long, value_enum, default_value_t, global = true, value_name = "WHEN")]
    pub color: ColorChoice,

    /// More log lines on stderr (-v info, -vv debug, -vvv trace). TEMIS_LOG overrides.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Judge the reports against the policy: APPROVED (exit 0) or BLOCKED (exit 1), with every reason.
    #[command(after_help = gate::after_help())]
    Gate(gate::GateArgs),
    /// Read reports of any kind and summarize them, with no policy.
    #[command(after_help = report::AFTER_HELP)]
    Report(report::ReportArgs),
    /// Merge coverage reports of one test run (CI matrix shards) into one.
    #[command(after_help = merge::AFTER_HELP)]
    Merge(merge::MergeArgs),
    /// Install, remove, show or check temis's git hooks.
    #[command(after_help = hooks::AFTER_HELP)]
    Hooks(hooks::HooksArgs),
    /// What the installed git hooks run (`temis hook pre-commit`…), and Claude Code's stop hook (`agent-stop`).
    #[command(after_help = hook::AFTER_HELP)]
    Hook(hook::HookArgs),
    /// Show the plan's phases with their state and last verdict; `approve` records approval.
    #[command(after_help = plan::AFTER_HELP)]
    Plan(plan::PlanArgs),
    /// Complete a phase (gate it, write its record) or summarize the feature.
    #[command(after_help = phase::AFTER_HELP)]
    Phase(phase::PhaseArgs),
    /// Conventional Commit messages: check one (the commit-msg hook), or generate one for the phase.
    CommitMsg(commit_msg::CommitMsgArgs),
    /// Run the gate inside a CI system and report there: GitHub, GitLab, Bitbucket, Azure DevOps,
    /// Jenkins (detected, or named: `temis ci gitlab`).
    Ci(ci::CiArgs),
    /// Security helpers: write the baseline that [security] new_only judges against.
    Security(security::SecurityArgs),
    /// Write a commented temis.toml for this repository (never overwrites one).
    Init(init::InitArgs),
    /// Explain a check code: what it means and how to fix it.
    Explain(explain::ExplainArgs),
    /// List the report formats temis reads, their kind, who writes them and where temis looks for them.
    Formats,
    /// Write an SVG badge of the line coverage or the verdict (flat style, offline).
    #[command(after_help = badge::AFTER_HELP)]
    Badge(badge::BadgeArgs),
    /// Serve the gate to AI agents: an MCP server on standard input and output.
    #[command(after_help = mcp::AFTER_HELP)]
    Mcp(mcp::McpArgs),
}

/// How a command ended when it did not fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0: done, or approved.
    Ok,
    /// Exit 1: a threshold failed.
    Blocked,
    /// Exit 2, already explained in the output (a required report missing).
    CouldNotJudge,
}

impl Outcome {
    /// How a verdict ends the command: approved 0, blocked 1, could not judge 2.
    pub fn of(status: crate::gate::Status) -> Self {
        match status {
            crate::gate::Status::Approved => Outcome::Ok,
            crate::gate::Status::Blocked => Outcome::Blocked,
            crate::gate::Status::CouldNotJudge => Outcome::CouldNotJudge,
        }
    }

    pub fn code(self) -> u8 {
        match self {
            Outcome::Ok => 0,
            Outcome::Blocked => 1,
            Outcome::CouldNotJudge => 2,
        }
    }
}

/// Options that say how report paths become repository paths.
#[derive(Debug, Clone, clap::Args)]
pub struct PathArgs {
    /// Repository root: its temis.toml is the policy, and absolute report paths are made relative
    /// to it (judging, a path that is no folder is an error) [default: the git work tree containing the
    /// current directory, else the current directory; judging from a folder below it that has its
    /// own temis.toml (a monorepo package's) needs --root: that folder, or the repository].
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,

    /// Remove this prefix from report paths (repeatable), e.g. /home/runner/work/app/app.
    #[arg(long = "strip-prefix", value_name = "PREFIX")]
    pub strip_prefix: Vec<String>,

    /// Rewrite a leading FROM with TO in report paths (repeatable), for reports made in another
    /// directory or on another machine: --map /build/src=src (whole folders; a whole file's path
    /// maps that one file). A --map or --strip-prefix that changes no path is warned of.
    #[arg(long = "map", value_name = "FROM=TO", value_parser = parse_map)]
    pub map: Vec<(String, String)>,

    /// Read every report as this format instead of detecting it from content.
    #[arg(long = "input-format", value_enum, value_name = "FORMAT")]
    pub input_format: Option<Format>,
}

/// A command-line value that is not of the expected shape.
#[derive(Debug, thiserror::Error)]
pub enum ValueError {
    #[error("expected FROM=TO, got {0:?}")]
    Map(String),
    #[error("expected a date like 2026-11-24, got {0:?}")]
    Date(String),
}

fn parse_map(s: &str) -> Result<(String, String), ValueError> {
    s.split_once('=').map(|(a, b)| (a.to_string(), b.to_string())).ok_or_else(|| ValueError::Map(s.to_string()))
}

impl PathArgs {
    /// Only `--root`, for the commands that read no report.
    pub fn root_only(root: Option<PathBuf>) -> Self {
        Self { root, strip_prefix: Vec::new(), map: Vec::new(), input_format: None }
    }

    /// `--root`, else the git work tree containing the current directory, else the current directory.
    pub fn root_dir(&self) -> Result<PathBuf, Error> {
        app::root_dir(self.root.as_deref())
    }

    /// The mapper that makes report paths relative to the root.
    pub fn mapper(&self) -> Result<crate::paths::PathMapper, Error> {
        Ok(self.rules().mapper(&self.root_dir()?))
    }

    /// The path options, validated.
    pub fn rules(&self) -> PathRules {
        PathRules { strip_prefix: self.strip_prefix.clone(), map: self.map.clone(), input_format: self.input_format }
    }
}

/// What every judging command takes (`temis gate`, `temis ci …`): the reports, the policy, the
/// phase, the change's base, the date and the path options.
#[derive(Debug, Clone, clap::Args)]
pub struct JudgeArgs {
    /// Reports to judge (coverage, tests, security, accessibility, benchmarks; any supported format)
    /// [default: discovered].
    #[arg(value_name = "REPORT")]
    pub reports: Vec<PathBuf>,

    /// Policy file [default: temis.toml at the repository root, else the embedded default].
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,

    /// Apply the policy's [phase.N] overrides.
    #[arg(long, value_name = "N")]
    pub phase: Option<u32>,

    /// Judge a phase of this plan: --phase N (default: the plan's current phase), on the reports
    /// the phase's `Reports:` line names unless reports are given.
    #[arg(long, value_name = "PLAN")]
    pub plan: Option<PathBuf>,

    /// The change is merge-base(REF, HEAD)..HEAD: patch coverage of its added lines, the ratchet
    /// against the figures recorded on that merge base, and the commit [security] new_only reads
    /// its baseline from [default: the pull request's base (GITHUB_BASE_REF; not in the clone is
    /// an error, never another base), else the upstream's merge-base, else, the branch being on
    /// its upstream (pushed), the remote's default branch's (origin/HEAD), else, off main with no
    /// upstream (or detached), the local main's (or master's), else the remote's default
    /// branch's (a CI checkout of origin/* alone); for the baseline, else HEAD~1].
    #[arg(long, value_name = "REF")]
    pub base: Option<String>,

    /// The date waivers are judged on (YYYY-MM-DD) [default: today, or TEMIS_TODAY].
    #[arg(long, value_name = "DATE", env = "TEMIS_TODAY", value_parser = parse_date)]
    pub today: Option<Date>,

    #[command(flatten)]
    pub paths: PathArgs,
}

impl JudgeArgs {
    /// The request these arguments make, with the change known as `change`.
    pub fn request(&self, change: ChangeSpec) -> Result<Request, Error> {
        let scope = Scope::of(self.plan.clone(), self.phase);
        Ok(Request {
            root: self.paths.root_dir()?,
            policy: self.policy.clone(),
            scope,
            reports: self.reports.clone(),
            paths: self.paths.rules(),
            change,
            reading: Default::default(),
            today: self.today.unwrap_or_else(app::today_utc),
            // `--base REF` typed by the user: the baseline is read there as it is.
            base_named: self.base.is_some(),
            fresh_checkout: false,
            refuse_nearer_policy: self.paths.root.is_none(),
        })
    }
}

pub(crate) fn parse_date(s: &str) -> Result<Date, ValueError> {
    Date::parse(s).ok_or_else(|| ValueError::Date(s.to_string()))
}

/// Runs a parsed command line.
pub fn run(args: Args, out: Output) -> Result<Outcome, Error> {
    match args.command {
        Command::Report(a) => report::run(a, out),
        Command::Merge(a) => merge::run(a, out),
        Command::Gate(a) => gate::run(a, out),
        Command::Explain(a) => explain::run(a, out),
        Command::Init(a) => init::run(a, out),
        Command::Plan(a) => plan::run(a, out),
        Command::Phase(a) => phase::run(a, out),
        Command::Ci(a) => ci::run(a, out),
        Command::Security(a) => security::run(a, out),
        Command::Hooks(a) => hooks::run(a, out),
        Command::Hook(a) => hook::run(a, out),
        Command::CommitMsg(a) => commit_msg::run(a, out),
        Command::Mcp(a) => mcp::run(a, out),
        Command::Badge(a) => badge::run(a, out),
        Command::Formats => {
            let width = Format::all().map(|f| f.name().len()).max().unwrap_or(6);
            let mut text = format!("{:<width$} {:<11} WRITTEN BY\n", "FORMAT", "KIND");
            for f in Format::all() {
                text.push_str(&format!("{:<width$} {:<11} {}\n", f.name(), f.kind().name(), f.producers()));
                let paths: Vec<&str> = f.entry().locations.iter().map(|l| l.path).collect();
                if !paths.is_empty() {
                    text.push_str(&format!("{:<width$} {:<11} searched at: {}\n", "", "", paths.join(", ")));
                }
            }
            out.stdout(&text).map_err(|e| Error::Write { path: "stdout".into(), source: e })?;
            Ok(Outcome::Ok)
        }
    }
}

/// Sets up tracing on stderr: `TEMIS_LOG` if set, else from `-v`.
pub fn init_logging(verbose: u8) {
    use tracing_subscriber::EnvFilter;
    let default = match verbose {
        0 => "warn",
        1 => "temis=info",
        2 => "temis=debug",
        _ => "temis=trace",
    };
    let filter = std::env::var("TEMIS_LOG")
        .ok()
        .and_then(|s| EnvFilter::try_new(s).ok())
        .unwrap_or_else(|| EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .without_time()
        .try_init();
}
