//! temis's own `temis.report` JSON read back, v2 and v1: what `temis merge --output-format json`
//! writes (and `temis report --format json`), so that a merged report is judged like any other.
//! Version 2 gives each file's lines as ranges (`uncovered_ranges`, `covered_ranges`: inclusive,
//! ascending, disjoint — anything else is an error), version 1 as numbers (`uncovered_lines`,
//! `covered_lines`).
//!
//! Each coverage report in the document gives its files: their stated figures (statements for
//! Go, gcovr's per-instance lines… as the merge counted them), and, where the document has both
//! lists (`temis merge` writes them), which lines ran and which did not, for patch coverage. A
//! document written by `temis report` has only the uncovered lines: its files are figures only.
//! The unit and the rounding the document names are kept.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::input::Source;
use crate::model::{Counts, FileDetail, LineBits, Rounding, Sink, SummaryTotals, Unit};
use crate::parsers::json::{Count, Line, read_doc};
use crate::parsers::{Meta, ParseError, Totals};

/// The schemas this reader reads.
pub const SCHEMAS: [&str; 2] = ["temis.report/v2", "temis.report/v1"];

/// Whether a JSON report is temis's own.
pub fn looks_like(body: &[u8]) -> bool {
    memchr::memmem::find(body, b"\"schema\"").is_some()
        && SCHEMAS.iter().any(|s| memchr::memmem::find(body, s.as_bytes()).is_some())
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
    #[serde(default)]
    uncovered_lines: Option<Vec<Line>>,
    #[serde(default)]
    covered_lines: Option<Vec<Line>>,
    #[serde(default)]
    uncovered_ranges: Option<Vec<[Line; 2]>>,
    #[serde(default)]
    covered_ranges: Option<Vec<[Line; 2]>>,
}

/// v2's ranges as lines with their hit (`hit`), after checking them: each `[from, to]` with
/// `1 <= from <= to <= 2^24`, each past the one before.
fn expand(ranges: &[[Line; 2]], hit: u64, path: &str, out: &mut Vec<(u32, u64)>) -> Result<(), ParseError> {
    let mut after = 0u32;
    for &[Line(from), Line(to)] in ranges {
        if from == 0 || from > to || to > LineBits::MAX_LINE || from <= after {
            return Err(ParseError::whole(format!(
                "file {path:?}: the range [{from}, {to}] is not a range of lines (1 <= from <= to <= {}, \
                 ascending, not overlapping the one before)",
                LineBits::MAX_LINE
            )));
        }
        out.extend((from..=to).map(|l| (l, hit)));
        after = to;
    }
    Ok(())
}

/// Reads `input` into `sink`.
pub fn parse(input: &Source, sink: &mut dyn Sink) -> Result<Meta, ParseError> {
    let doc: Doc = read_doc(input)?;
    let v2 = match doc.schema.as_str() {
        "temis.report/v2" => true,
        "temis.report/v1" => false,
        other => {
            return Err(ParseError::whole(format!("`schema` is {other:?}: temis reads {}", SCHEMAS.join(" and "))));
        }
    };
    let covs: Vec<Cov> = doc.reports.into_iter().filter_map(|r| r.coverage).collect();
    if covs.is_empty() {
        return Err(ParseError::whole(
            "this temis.report document holds no coverage report (temis reads back coverage only)",
        ));
    }
    let mut meta = Meta::default();
    let mut figures_only = 0u64;
    let mut detail = FileDetail::default();
    let one = covs.len() == 1;
    for cov in covs {
        for f in cov.files {
            detail.clear();
            if v2 && (f.uncovered_lines.is_some() || f.covered_lines.is_some())
                || !v2 && (f.uncovered_ranges.is_some() || f.covered_ranges.is_some())
            {
                return Err(ParseError::whole(format!(
                    "file {:?}: {} lists lines as {}: a document of {} gives them as {}",
                    f.path,
                    doc.schema,
                    if v2 { "numbers (`uncovered_lines`)" } else { "ranges (`uncovered_ranges`)" },
                    doc.schema,
                    if v2 {
                        "ranges (`uncovered_ranges`, `covered_ranges`)"
                    } else {
                        "numbers (`uncovered_lines`, `covered_lines`)"
                    },
                )));
            }
            match (&f.covered_lines, &f.uncovered_lines, &f.covered_ranges, &f.uncovered_ranges) {
                (Some(covered), Some(uncovered), _, _) => {
                    detail.lines.extend(covered.iter().map(|&Line(l)| (l, 1)));
                    detail.lines.extend(uncovered.iter().map(|&Line(l)| (l, 0)));
                    detail.lines.retain(|l| l.0 > 0);
                }
                (_, _, Some(covered), Some(uncovered)) => {
                    expand(covered, 1, &f.path, &mut detail.lines)?;
                    expand(uncovered, 0, &f.path, &mut detail.lines)?;
                }
                _ => figures_only += 1,
            }
            detail.path = f.path;
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
    fn v2_ranges_read_back_whole() {
        let json =
            br#"{"schema": "temis.report/v2", "reports": [{"path": "m.json", "format": "lcov", "kind": "coverage",
            "coverage": {"unit": "lines", "rounding": "nearest", "lines": {"total": 6, "covered": 3, "percent": 50.0},
            "branches": null, "functions": null,
            "files": [{"path": "a.c", "lines": {"total": 6, "covered": 3, "percent": 50.0}, "branches": null,
                       "functions": null, "uncovered_ranges": [[4, 5], [9, 9]], "covered_ranges": [[1, 3]]}]}}]}"#;
        let mut b = CoverageBuilder::new();
        let meta = parse(&Source::bytes("m.json", &json[..]), &mut b).unwrap();
        let c = b.finish();
        let bits = c.files[0].line_bits.as_ref().unwrap();
        assert_eq!(
            bits.lines().collect::<Vec<_>>(),
            [(1, true), (2, true), (3, true), (4, false), (5, false), (9, false)]
        );
        assert!(meta.notes.is_empty());
    }

    #[test]
    fn v2_ranges_out_of_order_reversed_or_of_v1_are_errors() {
        let doc = |ranges: &str| {
            format!(
                r#"{{"schema": "temis.report/v2", "reports": [{{"coverage": {{"lines": {{"total": 1, "covered": 0}},
                "branches": null, "functions": null, "files": [{{"path": "a.c", "lines": {{"total": 1, "covered": 0}},
                "branches": null, "functions": null, {ranges}}}]}}}}]}}"#
            )
        };
        for (ranges, says) in [
            (r#""uncovered_ranges": [[5, 4]], "covered_ranges": []"#, "[5, 4] is not a range"),
            (r#""uncovered_ranges": [[0, 4]], "covered_ranges": []"#, "[0, 4] is not a range"),
            (r#""uncovered_ranges": [[3, 4], [4, 9]], "covered_ranges": []"#, "[4, 9] is not a range"),
            (r#""uncovered_ranges": [[1, 16777217]], "covered_ranges": []"#, "[1, 16777217] is not a range"),
            (r#""uncovered_ranges": [[1, "2"]], "covered_ranges": []"#, "a line number"),
            (r#""uncovered_ranges": [[1]], "covered_ranges": []"#, "expected an array of length 2"),
            (r#""uncovered_lines": [1], "covered_lines": []"#, "lists lines as numbers"),
        ] {
            let e = parse(&Source::bytes("r", doc(ranges).as_bytes()), &mut CoverageBuilder::new());
            let e = e.err().unwrap_or_else(|| panic!("{ranges} was read")).to_string();
            assert!(e.contains(says), "{ranges}: {e}");
        }
        let v1 = doc(r#""uncovered_ranges": [[1, 1]], "covered_ranges": []"#).replace("/v2", "/v1");
        let e = parse(&Source::bytes("r", v1.as_bytes()), &mut CoverageBuilder::new()).unwrap_err();
        assert!(e.to_string().contains("lists lines as ranges"), "{e}");
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
        assert!(e.unwrap_err().to_string().contains("temis reads temis.report/v2 and temis.report/v1"));
    }
}
