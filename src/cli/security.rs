//! `temis security …`: the security baseline that `[security] new_only` judges against.

use std::path::PathBuf;

use super::{Outcome, PathArgs};
use crate::app::write::{self, Mode};
use crate::app::{self, reports};
use crate::error::Error;
use crate::model::security::Baseline;
use crate::output::Output;
use crate::parsers::{self, Content};

pub const AFTER_HELP: &str = "The baseline lists the fingerprints of today's findings (the tool's own \
fingerprint, else rule + path + the flagged source text, never the line number). Commit it: with \
[security] new_only = true, `temis gate` reads it from the base commit (--base, the pull request's base, \
the upstream's merge-base, else the local main's for a branch never pushed or a detached HEAD, else the remote's \
default branch's, else HEAD~1), never from the change under review, and judges only findings \
that are not in it. Findings of the baseline that are gone are reported as fixed. A scan that did not \
finish (a failed run, dependencies not audited) is refused: its baseline would leave findings out.

Examples:
  temis security baseline                        discovered security reports -> .temis/security-baseline.json
  temis security baseline semgrep.sarif -o base.json";

#[derive(Debug, clap::Args)]
pub struct SecurityArgs {
    #[command(subcommand)]
    pub command: SecurityCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum SecurityCommand {
    /// Write the baseline of the current findings (for [security] new_only).
    #[command(after_help = AFTER_HELP)]
    Baseline(BaselineArgs),
}

#[derive(Debug, clap::Args)]
pub struct BaselineArgs {
    /// Security reports to take the findings from. Default: discovered as `temis gate` does.
    #[arg(value_name = "REPORT")]
    pub reports: Vec<PathBuf>,

    /// Where to write it [default: the policy's [security] baseline, .temis/security-baseline.json].
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Policy file [default: temis.toml at the repository root, else the embedded default].
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,

    #[command(flatten)]
    pub paths: PathArgs,
}

pub fn run(args: SecurityArgs, out: Output) -> Result<Outcome, Error> {
    match args.command {
        SecurityCommand::Baseline(a) => baseline(a, out),
    }
}

fn baseline(args: BaselineArgs, out: Output) -> Result<Outcome, Error> {
    let root = args.paths.root_dir()?;
    let policy = app::policy::load(args.policy.as_deref(), &root)?;
    let mapper = args.paths.rules().mapper(&root);
    let repo = reports::repository(&root);
    let files =
        if args.reports.is_empty() { reports::security_reports(&root, &policy).0 } else { args.reports.clone() };
    let mut findings = Vec::new();
    let mut read = 0;
    for input in crate::app::reports::inputs(&files)? {
        let (format, content) = parsers::read_report(&input, args.paths.input_format)?;
        match content {
            Content::Security(s) => {
                read += 1;
                let shown = reports::shown_path(input.name(), &root);
                let s = reports::resolve_security(reports::map_security_paths(s, &mapper), repo.as_ref(), &shown);
                // An unfinished scan lists fewer findings than the code has: written over the
                // committed baseline, it would say findings known for long are new.
                if let Some(why) = s.incomplete.first() {
                    return Err(Error::usage(format!(
                        "{shown}: the scan did not finish ({why}): a baseline of it would leave findings out; run \
                         the scanner to its end, then write the baseline (the one there is kept)"
                    )));
                }
                findings.extend(s.findings);
            }
            _ if args.reports.is_empty() => {}
            _ => {
                return Err(Error::usage(format!(
                    "{} is a {} report ({}), not a security report",
                    input.name(),
                    format.kind().name(),
                    format.name()
                )));
            }
        }
    }
    reports::say_unused(&mapper);
    if read == 0 {
        return Err(Error::usage(
            "no security report to take a baseline from: name the reports, or write them at the conventional locations \
             (`temis gate --help` lists them)",
        ));
    }
    let baseline = Baseline::of(findings.iter());
    let path = args.output.unwrap_or_else(|| root.join(&policy.security.baseline));
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::Write { path: dir.display().to_string(), source: e })?;
    }
    let mut text = serde_json::to_string_pretty(&baseline).expect("a baseline serializes");
    text.push('\n');
    write::write(&path, text.as_bytes(), Mode::Keep)
        .map_err(|e| Error::Write { path: path.display().to_string(), source: e })?;
    out.stdout(&format!("wrote {} ({} finding(s) from {read} report(s))\n", path.display(), baseline.findings.len()))
        .map_err(Error::stdout)?;
    Ok(Outcome::Ok)
}
