//! `temis report`: parse coverage reports and summarize them, no policy.

use std::path::PathBuf;

use super::{Outcome, PathArgs};
use crate::app::reports;
use crate::error::Error;
use crate::output::{Output, Paint};
use crate::render;

pub const AFTER_HELP: &str = "Coverage reports, test reports (JUnit XML, TRX, NUnit, xUnit.net, go test -json, mocha, RSpec, \
dart, CTRF, TAP), security scans, accessibility reports (Lighthouse, Lighthouse CI \
manifests with their runs, axe-core, \
pa11y, pa11y-ci) and benchmark reports (hyperfine, criterion, pytest-benchmark, go test -bench, k6) are read. The format of \
each report is detected from its content, never from its name alone (`temis formats` lists them); --input-format overrides detection.

Numbers are the producing tool's own, rounded as it rounds them: coverage.py and Go count \
statements, Istanbul its lines figure (truncated, in every report Istanbul writes), gcovr a line once \
per function instance; LCOV totals are counted from DA/BRDA records as `lcov --summary` does (a \
stated LF/LH that differs is a warning naming both), except in files llvm-cov and gcovr write, whose \
stated totals are what those tools print. A merged report (`temis merge -o merged.json`) reads back.

Examples:
  temis report coverage.xml lcov.info
  temis report --files --root . coverage/lcov.info
  temis report --format json cover.out > report.json

--format json writes temis.report/v2: each file's uncovered lines as inclusive ranges \
(`\"uncovered_ranges\": [[3,7],[12,12]]`); --format json-v1 writes temis.report/v1, every \
uncovered line number listed (`\"uncovered_lines\"`). Both read back as the temis-report format.";

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// A table for people.
    Human,
    /// The temis.report/v2 JSON contract (each file's uncovered lines as ranges).
    Json,
    /// The temis.report/v1 JSON contract (every uncovered line number listed).
    #[value(name = "json-v1")]
    JsonV1,
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Report files to read (`-` for standard input).
    #[arg(required = true, value_name = "REPORT")]
    pub files: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: ReportFormat,

    /// Also list every file with its uncovered line ranges (human format).
    #[arg(long = "files")]
    pub files_table: bool,

    #[command(flatten)]
    pub paths: PathArgs,
}

pub fn run(args: ReportArgs, out: Output) -> Result<Outcome, Error> {
    let reports = reports::read_named(&args.files, &args.paths.rules(), &args.paths.root_dir()?)?;
    let write_err = |e| Error::Write { path: "stdout".into(), source: e };
    match args.format {
        ReportFormat::Json | ReportFormat::JsonV1 => {
            let version =
                if args.format == ReportFormat::JsonV1 { render::json::Version::V1 } else { render::json::Version::V2 };
            let mut w = out.stdout_writer();
            crate::output::ignore_broken_pipe(render::json::write_reports(&mut w, &reports, version))
                .map_err(write_err)?;
            crate::output::ignore_broken_pipe(std::io::Write::flush(&mut w)).map_err(write_err)?;
        }
        ReportFormat::Human => {
            let paint = Paint(out.color());
            let mut text = render::human::summary_table(&reports, paint);
            if args.files_table {
                for r in &reports {
                    text.push('\n');
                    text.push_str(&render::human::file_table(r, paint));
                }
            }
            out.stdout(&text).map_err(write_err)?;
        }
    }
    // The process ends here: freeing what was read (a large log's findings are millions of
    // allocations) would only cost time.
    std::mem::forget(reports);
    Ok(Outcome::Ok)
}
