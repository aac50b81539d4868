//! `temis badge`: an SVG badge of the gate's line coverage or its verdict, in the flat style of
//! shields.io and octocov, written offline (no badge service) to a file or to stdout. The
//! figures are the verdict's: the same judgement `temis gate` makes, rendered as a picture.

use std::path::PathBuf;

use super::{JudgeArgs, Outcome};
use crate::app::{self, ChangeSpec};
use crate::error::Error;
use crate::gate::Status;
use crate::gate::codes;
use crate::gate::verdict::trim_number;
use crate::output::Output;
use crate::render::svg::{self, Colour};

pub const AFTER_HELP: &str = "The badge is judged like `temis gate` (same reports, policy and phase): `--kind coverage` \
(the default) shows the project's line coverage, green at or above the policy's minimum (80 % when none is set), yellow up to 20 \
points below, red further down; `--kind verdict` shows APPROVED (green), BLOCKED (red) or could not judge (grey). A coverage \
badge with no coverage report, with a report that could not be read, or of a report of other code than the \
repository's (`coverage-report-matches-no-file`) is an error (exit 2): a badge never shows a figure nobody measured.

The file is written atomically; an existing one is replaced only when it is empty or an earlier badge (a flat \
badge's SVG), never another file of yours (a logo, a README). The exit code is 0 once it is written, whatever the verdict (the badge shows it).

Examples:
  temis badge -o coverage.svg                      line coverage of the discovered reports
  temis badge --kind verdict -o temis.svg          APPROVED / BLOCKED
  temis badge --phase 2 coverage.xml junit.xml     phase 2's figures, to stdout
  temis badge --label tests-coverage -o badge.svg  another label";

/// What the badge shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum BadgeKind {
    /// The project's line coverage.
    Coverage,
    /// The gate's verdict.
    Verdict,
}

#[derive(Debug, clap::Args)]
pub struct BadgeArgs {
    /// What the badge shows.
    #[arg(long, value_enum, default_value = "coverage")]
    pub kind: BadgeKind,

    #[command(flatten)]
    pub judge: JudgeArgs,

    /// Write the SVG to FILE (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// The badge's label [default: coverage, or temis].
    #[arg(long, value_name = "TEXT")]
    pub label: Option<String>,
}

/// The minimum coverage is held to when the policy sets none.
const DEFAULT_MINIMUM: f64 = 80.0;

pub fn run(args: BadgeArgs, out: Output) -> Result<Outcome, Error> {
    let req = args.judge.request(ChangeSpec::None)?;
    let verdict = app::judge(&req)?.verdict;
    let (label, value, colour) = match args.kind {
        BadgeKind::Coverage => {
            if let Some(c) = verdict.coverage_not_measured() {
                return Err(Error::usage(format!(
                    "no coverage badge: {} — a badge never shows a figure nobody measured; see `temis gate`",
                    c.message
                )));
            }
            let Some(percent) = verdict.published_line_coverage() else {
                return Err(Error::usage(
                    "no line coverage was measured, so there is no coverage badge to draw: name a coverage report \
                     (temis badge coverage.xml), or see `temis gate` for what was found",
                ));
            };
            let minimum = verdict
                .checks
                .iter()
                .find(|c| c.code == codes::COVERAGE_LINE)
                .and_then(|c| c.threshold.as_ref())
                .map_or(DEFAULT_MINIMUM, |m| m.value);
            ("coverage", format!("{} %", trim_number(percent)), Colour::of_coverage(percent, minimum))
        }
        BadgeKind::Verdict => match verdict.status {
            Status::Approved => ("temis", "APPROVED".to_string(), Colour::Green),
            Status::Blocked => ("temis", "BLOCKED".to_string(), Colour::Red),
            Status::CouldNotJudge => ("temis", "could not judge".to_string(), Colour::Grey),
        },
    };
    let text = svg::badge(args.label.as_deref().unwrap_or(label), &value, colour);
    match &args.output {
        None => out.stdout(&text).map_err(Error::stdout)?,
        Some(path) => {
            refuse_to_overwrite(path)?;
            app::write::write(path, text.as_bytes(), app::write::Mode::Keep)
                .map_err(|e| Error::Write { path: path.display().to_string(), source: e })?;
            out.stderr(&format!("wrote {} ({label}: {value})\n", path.display()));
        }
    }
    Ok(Outcome::Ok)
}

/// An existing `-o` file is replaced only when it is empty or an earlier badge (a flat badge's SVG):
/// `-o README.md`, or `-o lcov.info` (a report it read), was replaced without a word.
fn refuse_to_overwrite(path: &std::path::Path) -> Result<(), Error> {
    let shown = path.display();
    match app::write::replaceable(path, is_badge) {
        Ok(()) => Ok(()),
        Err(app::write::Kept::NotAFile) => {
            Err(Error::usage(format!("{shown} exists and is not a file: name the badge's file with -o")))
        }
        Err(app::write::Kept::Theirs) => Err(Error::usage(format!(
            "{shown} exists and is not an earlier badge (an SVG image of one): nothing was written; remove it or \
             choose another -o"
        ))),
    }
}

/// Whether the file at `path` is a flat badge as temis (and shields.io) draws it: an SVG 20
/// pixels high with its gradient `s`. Another SVG (a logo, a diagram) is the user's.
fn is_badge(path: &std::path::Path) -> bool {
    use std::io::Read;
    let mut head = Vec::with_capacity(1024);
    if std::fs::File::open(path).and_then(|f| f.take(1024).read_to_end(&mut head)).is_err() {
        return false;
    }
    let text = String::from_utf8_lossy(&head);
    let text = text.trim_start_matches('\u{feff}').trim_start();
    let svg = text.starts_with("<svg") || (text.starts_with("<?xml") && text.contains("<svg"));
    svg && text.contains("height=\"20\"") && text.contains("<linearGradient id=\"s\"")
}
