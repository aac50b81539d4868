//! The command line: raw arguments (clap), dispatch, logging set-up, outcomes.
//!
//! Each subcommand lives in its own file and returns an [`Outcome`] or an [`Error`]; `main`
//! maps them to exit codes in one place: 0 ok / approved, 1 blocked, 2 could not judge.

mod ci;
mod discover;
mod explain;
mod gate;
mod init;
mod merge;
mod report;
mod security;

// Plans, phase records and commit messages (Mnemosyne).
mod commit_msg_generate;
mod phase;
mod plan;
mod workspace;
// The hooks issue: hook management, the hook entry point, commit message checks.
mod commit_msg;
mod doctor;
mod hook;
mod hooks;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::error::Error;
use crate::output::{ColorChoice, Output};
use crate::parsers::Format;
use crate::paths::PathMapper;

const ABOUT: &str = "A quality gate for git hooks and CI: reads the reports your tools write and \
holds them against a policy.";

const LONG_ABOUT: &str = "temis reads the coverage reports your own tools write (lcov, coverage.py, \
jest/nyc/c8, cargo-llvm-cov, tarpaulin, go test, JaCoCo, Clover, SimpleCov…), with the same numbers \
those tools print, and summarizes or merges them.

Exit codes: 0 ok / approved, 1 blocked (a threshold failed), 2 could not judge (usage error, \
unreadable or unrecognised report).";

const AFTER_HELP: &str = "Examples:
  temis report coverage.xml                 one line per report: files, lines, branches, functions
  temis report --files lcov.info            per-file rows with the uncovered line ranges
  temis report --format json cover.out      the temis.report/v1 JSON contract
  temis merge shard-*/lcov.info -o lcov.info   merge CI matrix shards into one LCOV file

Logging: -v, -vv, -vvv, or TEMIS_LOG=debug (tracing filter syntax); logs go to stderr only.";

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
    /// Parse coverage and test reports and summarize them, with no policy.
    #[command(after_help = report::AFTER_HELP)]
    Report(report::ReportArgs),
    /// Merge coverage reports of one test run (CI matrix shards) into one.
    #[command(after_help = merge::AFTER_HELP)]
    Merge(merge::MergeArgs),
    /// Judge the reports against the policy: APPROVED (exit 0) or BLOCKED (exit 1), with every reason.
    #[command(after_help = gate::after_help())]
    Gate(gate::GateArgs),
    /// Explain a check code: what it means and how to fix it.
    Explain(explain::ExplainArgs),
    /// Write a commented temis.toml for this repository (never overwrites one).
    Init(init::InitArgs),
    /// List the report formats temis reads and who writes them.
    Formats,

    // --- Plans, phase records and commit messages (Mnemosyne). ---
    /// Show the plan's phases with their state and last verdict; `approve` records approval.
    #[command(after_help = plan::AFTER_HELP)]
    Plan(plan::PlanArgs),
    /// Complete a phase (gate it, write its record) or summarize the feature.
    #[command(after_help = phase::AFTER_HELP)]
    Phase(phase::PhaseArgs),
    /// Run the gate inside a CI system and report there (`temis ci github`).
    Ci(ci::CiArgs),
    /// Security helpers: write the baseline that [security] new_only judges against.
    Security(security::SecurityArgs),
    /// Install, remove, show or check temis's git hooks.
    #[command(after_help = hooks::AFTER_HELP)]
    Hooks(hooks::HooksArgs),
    /// What the installed git hooks run: `temis hook pre-commit`, `temis hook commit-msg FILE`…
    Hook(hook::HookArgs),
    /// Conventional Commit messages: check one (the commit-msg hook), or generate one for the phase.
    CommitMsg(commit_msg::CommitMsgArgs),
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
    /// Repository root that absolute report paths are made relative to
    /// [default: the git work tree containing the current directory, else the current directory].
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,

    /// Remove this prefix from report paths (repeatable), e.g. /home/runner/work/app/app.
    #[arg(long = "strip-prefix", value_name = "PREFIX")]
    pub strip_prefix: Vec<String>,

    /// Rewrite a leading FROM with TO in report paths (repeatable), for reports made in another
    /// directory or on another machine: --map /build/src=src.
    #[arg(long = "map", value_name = "FROM=TO", value_parser = parse_map)]
    pub map: Vec<(String, String)>,

    /// Read every report as this format instead of detecting it from content.
    #[arg(long = "input-format", value_enum, value_name = "FORMAT")]
    pub input_format: Option<Format>,
}

fn parse_map(s: &str) -> Result<(String, String), String> {
    s.split_once('=').map(|(a, b)| (a.to_string(), b.to_string())).ok_or_else(|| format!("expected FROM=TO, got {s:?}"))
}

impl PathArgs {
    /// `--root`, else the git work tree containing the current directory, else the current directory.
    pub fn root_dir(&self) -> Result<PathBuf, Error> {
        match &self.root {
            Some(r) => std::path::absolute(r).map_err(|e| Error::Read { path: r.display().to_string(), source: e }),
            None => {
                let cwd = std::env::current_dir()
                    .map_err(|e| Error::Other(format!("cannot read the current directory: {e}")))?;
                Ok(crate::git::repo_root(&cwd).unwrap_or(cwd))
            }
        }
    }

    pub fn mapper(&self) -> Result<PathMapper, Error> {
        let root = Some(self.root_dir()?.display().to_string());
        tracing::debug!(root = ?root, "report paths are made relative to this root");
        let mut m = PathMapper::new(root.as_deref());
        for p in &self.strip_prefix {
            m = m.strip_prefix(p);
        }
        for (from, to) in &self.map {
            m = m.rewrite(from, to);
        }
        Ok(m)
    }
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
        Command::Formats => {
            let mut text = String::from("FORMAT            WRITTEN BY\n");
            for f in Format::all() {
                text.push_str(&format!("{:<17} {}\n", f.name(), f.producers()));
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

/// The inputs named on the command line; `-` is standard input. Nothing is read yet: each is
/// opened once when it is read ([`crate::input::Input::open`]).
pub(crate) fn inputs(files: &[PathBuf]) -> Result<Vec<crate::input::Input>, Error> {
    let mut inputs = Vec::with_capacity(files.len());
    for f in files {
        if f.as_os_str() == "-" {
            inputs.push(crate::input::Input::stdin());
            continue;
        }
        match std::fs::metadata(f) {
            Ok(m) if m.is_dir() => {
                return Err(Error::usage(format!(
                    "{} is a directory; name the report files in it (e.g. {}/lcov.info)",
                    f.display(),
                    f.display()
                )));
            }
            Ok(_) => inputs.push(crate::input::Input::file(f)),
            Err(e) => {
                return Err(Error::Read { path: f.display().to_string(), source: e });
            }
        }
    }
    Ok(inputs)
}
