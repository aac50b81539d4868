//! temis's own `temis.report/v1` JSON read back: what `temis merge --output-format json` writes
//! (and `temis report --format json`), so that a merged report is judged like any other.
//!
//! Each coverage report in the document gives its files: their stated figures (statements for
//! Go, gcovr's per-instance lines… as the merge counted them), and, where the document has both
//! lists (`temis merge` writes them), which lines ran and which did not, for patch coverage. A
//! document written by `temis report` has only the uncovered lines: its files are figures only.
//! The unit and the rounding the document names are kept.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::input::Source;
use crate::model::{Counts, FileDetail, Rounding, Sink, SummaryTotals, Unit};
use crate::parsers::json::{Count, Line, read_doc};
use crate::parsers::{Meta, ParseError, Totals};

/// The schema this reader reads.
pub const SCHEMA: &str = "temis.report/v1";

/// Whether a JSON report is temis's own.
pub fn looks_like(body: &[u8]) -> bool {
    memchr::memmem::find(body, b"\"schema\"").is_some() && memchr::memmem::find(body, SCHEMA.as_bytes()).is_some()
}

#[derive(Deserialize)]
struct Doc {
    schema: String,
    reports: Vec<Report>,
}

#[derive(Deserialize)]
struct Report {
    #[serde(default)]
    coverage: Option<Cov>,
}

#[derive(Deserialize)]
struct Cov {
    #[serde(default)]
    unit: Option<Unit>,
    #[serde(default)]
    rounding: Option<String>,
    lines: Stat,
    branches: Option<Stat>,
    functions: Option<Stat>,
    files: Vec<FileJson>,
    #[serde(default)]
    extra: BTreeMap<String, serde_json::Value>,
}

#[derive(Deserialize, Clone, Copy)]
struct Stat {
    total: Count,
    covered: Count,
}

impl Stat {
    fn counts(self) -> Counts {
        Counts::new(self.total.0, self.covered.0.min(self.total.0))
    }
}

#[derive(Deserialize)]
struct FileJson {
    path: String,
    lines: Stat,
    branches: Option<Stat>,
    functions: Option<Stat>,
    uncovered_lines: Option<Vec<Line>>,
    #[serde(default)]
    covered_lines: Option<Vec<Line>>,
}

/// Reads `input` into `sink`.
pub fn parse(input: &Source, sink: &mut dyn Sink) -> Result<Meta, ParseError> {
    let doc: Doc = read_doc(input)?;
    if doc.schema != SCHEMA {
        return Err(ParseError::whole(format!("`schema` is {:?}: temis reads {SCHEMA}", doc.schema)));
    }
    let covs: Vec<Cov> = doc.reports.into_iter().filter_map(|r| r.coverage).collect();
    if covs.is_empty() {
        return Err(ParseError::whole(
            "this temis.report/v1 document holds no coverage report (temis reads back coverage only)",
        ));
    }
    let mut meta = Meta::default();
    let mut figures_only = 0u64;
    let mut detail = FileDetail::default();
    let one = covs.len() == 1;
    for cov in covs {
        for f in cov.files {
            detail.clear();
            detail.path = f.path;
            if let (Some(covered), Some(uncovered)) = (&f.covered_lines, &f.uncovered_lines) {
                detail.lines.extend(covered.iter().map(|&Line(l)| (l, 1)));
                detail.lines.extend(uncovered.iter().map(|&Line(l)| (l, 0)));
                detail.lines.retain(|l| l.0 > 0);
            } else {
                figures_only += 1;
            }
            detail.has_branches = f.branches.is_some();
            detail.has_functions = f.functions.is_some();
            detail.summary = Some(SummaryTotals {
                lines: Some(f.lines.counts()),
                branches: f.branches.map(Stat::counts),
                functions: f.functions.map(Stat::counts),
            });
            sink.file(&mut detail);
        }
        if one {
            meta.totals = Some(Totals {
                lines: cov.lines.counts(),
                branches: cov.branches.map(Stat::counts),
                functions: cov.functions.map(Stat::counts),
            });
            meta.unit = cov.unit;
            meta.rounding = match cov.rounding.as_deref() {
                Some("floor") => Some(Rounding::Floor),
                Some("nearest") => Some(Rounding::Nearest),
                _ => None,
            };
            meta.extra = cov.extra;
        }
    }
    if figures_only > 0 {
        meta.notes.push(format!(
            "{figures_only} file(s) list no covered lines (a `temis report` document, not `temis merge`'s): \
             figures only, patch coverage cannot use them"
        ));
    }
    Ok(meta)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CoverageBuilder;

    #[test]
    fn merge_output_reads_back_whole() {
        let json = br#"{"schema": "temis.report/v1", "reports": [{"path": "m.json", "format": "gocover", "kind": "coverage",
            "coverage": {"unit": "statements", "rounding": "nearest", "lines": {"total": 5, "covered": 3, "percent": 60.0},
            "branches": null, "functions": null, "extra": {"mode": "set"},
            "files": [{"path": "a.go", "lines": {"total": 5, "covered": 3, "percent": 60.0}, "branches": null,
                       "functions": null, "uncovered_lines": [4], "covered_lines": [1, 2]}]}}]}"#;
        let mut b = CoverageBuilder::new();
        let meta = parse(&Source::bytes("m.json", &json[..]), &mut b).unwrap();
        let c = b.finish();
        assert_eq!(c.files[0].lines, Counts::new(5, 3), "the statements, not the 3 lines");
        assert!(c.files[0].line_bits.as_ref().unwrap().is_covered(2));
        assert_eq!(meta.unit, Some(Unit::Statements));
        assert_eq!(meta.extra["mode"], "set");
        assert!(meta.notes.is_empty());
    }

    #[test]
    fn a_document_without_coverage_or_of_another_schema_is_an_error() {
        let e = parse(
            &Source::bytes("r", &br#"{"schema": "temis.report/v1", "reports": []}"#[..]),
            &mut CoverageBuilder::new(),
        );
        assert!(e.unwrap_err().to_string().contains("holds no coverage report"));
        let e = parse(
            &Source::bytes("r", &br#"{"schema": "temis.verdict/v1", "reports": []}"#[..]),
            &mut CoverageBuilder::new(),
        );
        assert!(e.unwrap_err().to_string().contains("temis reads temis.report/v1"));
    }
}
