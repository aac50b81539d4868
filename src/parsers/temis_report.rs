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
//!
//! Only coverage is read back: a document holding any other report (tests, security…) is an
//! error — pass the original reports instead, so that nothing in it goes unjudged. What temis
//! never writes is an error too: more covered than there are, and totals other than the sum of
//! the files unless the document marks them as the producer's own (`"stated_totals": true`,
//! which temis writes where they differ: OpenCover's branch points in no file, Istanbul's and
//! SimpleCov's stated figures; older documents said so in a note). A file in two of the
//! document's reports that gives only its figures (a `temis report` document) is an error too:
//! its lines cannot be joined as the original reports' are.

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
    path: Option<String>,
    #[serde(default)]
    kind: Option<String>,
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
    #[serde(default)]
    notes: Vec<String>,
    /// The totals are the producer's own, not the files' sum (temis says so where they differ).
    #[serde(default)]
    stated_totals: bool,
}

#[derive(Deserialize, Clone, Copy)]
struct Stat {
    total: Count,
    covered: Count,
}

impl Stat {
    /// The counts, or an error naming `what` when more are covered than there are.
    fn counts(self, what: &str) -> Result<Counts, ParseError> {
        if self.covered.0 > self.total.0 {
            return Err(ParseError::whole(format!(
                "{what}: {} covered of {}: more covered than there are (temis never writes this)",
                self.covered.0, self.total.0
            )));
        }
        Ok(Counts::new(self.total.0, self.covered.0))
    }
}

fn opt_counts(stat: Option<Stat>, what: &str) -> Result<Option<Counts>, ParseError> {
    stat.map(|s| s.counts(what)).transpose()
}

/// The stated totals against the sum of the files: equal, unless temis noted it kept a
/// producer's own totals.
fn check_sum(what: &str, stated: Option<Counts>, sum: Option<Counts>, files: usize) -> Result<(), ParseError> {
    let Some(stated) = stated else { return Ok(()) };
    let sum = sum.unwrap_or_default();
    if stated != sum {
        return Err(ParseError::whole(format!(
            "the coverage report states {what} {} covered of {}, but its {files} file(s) add up to {} of {} \
             (temis writes totals that are the sum of its files)",
            stated.covered, stated.total, sum.covered, sum.total
        )));
    }
    Ok(())
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
    let mut covs: Vec<Cov> = Vec::with_capacity(doc.reports.len());
    for (i, r) in doc.reports.into_iter().enumerate() {
        match r.coverage {
            Some(cov) => covs.push(cov),
            None => {
                return Err(ParseError::whole(format!(
                    "report {} of the document ({}, kind {}) is not a coverage report: temis reads back only \
                     coverage from its own documents; pass the original reports instead",
                    i + 1,
                    r.path.as_deref().map_or("no path".to_string(), |p| format!("{p:?}")),
                    r.kind.as_deref().unwrap_or("not stated"),
                )));
            }
        }
    }
    if covs.is_empty() {
        return Err(ParseError::whole(
            "this temis.report document holds no coverage report (temis reads back coverage only)",
        ));
    }
    let mut meta = Meta::default();
    let mut figures_only = 0u64;
    let mut detail = FileDetail::default();
    let one = covs.len() == 1;
    // With several reports, each file's first report, and whether it gave figures only.
    let mut seen: std::collections::HashMap<String, (usize, bool)> = std::collections::HashMap::new();
    for (index, cov) in covs.into_iter().enumerate() {
        // Documents written before `stated_totals` said so in a note.
        let stated_kept = cov.stated_totals || cov.notes.iter().any(|n| n.contains(super::KEPT_STATED_TOTALS));
        let n_files = cov.files.len();
        let (mut sum_lines, mut sum_branches, mut sum_functions) = (Counts::default(), None, None);
        for f in cov.files {
            detail.clear();
            let what = |k: &str| format!("file {:?}: {k}", f.path);
            let lines = f.lines.counts(&what("lines"))?;
            let branches = opt_counts(f.branches, &what("branches"))?;
            let functions = opt_counts(f.functions, &what("functions"))?;
            sum_lines.add(lines);
            crate::model::add_counts(&mut sum_branches, branches);
            crate::model::add_counts(&mut sum_functions, functions);
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
            if !one {
                let lines_known = !detail.lines.is_empty() || lines.total == 0;
                match seen.get(&f.path) {
                    Some(&(first, known)) if first != index && !(known && lines_known) => {
                        return Err(ParseError::whole(format!(
                            "file {:?} is in reports {} and {} of the document, which give only its figures: they \
                             cannot be joined as the original reports are (a line covered where any report covers \
                             it); pass the original reports, or the document `temis merge --output-format json` \
                             writes",
                            f.path,
                            first + 1,
                            index + 1
                        )));
                    }
                    Some(_) => {}
                    None => {
                        seen.insert(f.path.clone(), (index, lines_known));
                    }
                }
            }
            detail.path = f.path;
            detail.has_branches = f.branches.is_some();
            detail.has_functions = f.functions.is_some();
            detail.summary = Some(SummaryTotals { lines: Some(lines), branches, functions });
            sink.file(&mut detail);
        }
        let lines = cov.lines.counts("the coverage report's lines")?;
        let branches = opt_counts(cov.branches, "the coverage report's branches")?;
        let functions = opt_counts(cov.functions, "the coverage report's functions")?;
        if !stated_kept {
            check_sum("lines", Some(lines), Some(sum_lines), n_files)?;
            check_sum("branches", branches, sum_branches, n_files)?;
            check_sum("functions", functions, sum_functions, n_files)?;
        }
        if one {
            meta.totals = Some(Totals { lines, branches, functions });
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

    /// A figure temis never writes — a fraction, a negative, one past `u64::MAX` — is an error
    /// at its place, never truncated.
    #[test]
    fn figures_that_are_not_whole_numbers_are_errors() {
        for (figure, message) in [
            ("0.5", "hit count 0.5 is not a whole number"),
            ("-1", "negative hit count -1"),
            ("1e300", "hit count 1e300 is past the largest a counter holds (2^64 - 1)"),
        ] {
            let doc = cov_doc(&format!(r#"{{"total": 10, "covered": {figure}}}"#), "");
            let e = read(&doc).unwrap_err();
            assert!(e.line.is_some() && e.to_string().contains(message), "{e}");
        }
    }

    fn read(json: &str) -> Result<Meta, ParseError> {
        parse(&Source::bytes("r.json", json.as_bytes()), &mut CoverageBuilder::new())
    }

    fn cov_doc(totals: &str, files: &str) -> String {
        format!(
            r#"{{"schema": "temis.report/v2", "reports": [{{"path": "x", "format": "lcov", "kind": "coverage",
            "coverage": {{"lines": {totals}, "branches": null, "functions": null, "files": [{files}]}}}}]}}"#
        )
    }

    #[test]
    fn a_document_with_a_report_other_than_coverage_is_an_error() {
        let cov = r#"{"path": "c.xml", "kind": "coverage", "coverage": {"lines": {"total": 1, "covered": 1},
            "branches": null, "functions": null, "files": [{"path": "a.c", "lines": {"total": 1, "covered": 1},
            "branches": null, "functions": null, "uncovered_ranges": []}]}}"#;
        for other in [
            r#"{"path": "s.sarif", "kind": "security", "security": {"total": 1}}"#,
            r#"{"path": "j.xml", "kind": "tests", "tests": {"total": 2, "failed": 1}}"#,
            r#"{"path": "j.xml", "kind": "tests", "coverage": null}"#,
        ] {
            let doc = format!(r#"{{"schema": "temis.report/v2", "reports": [{cov}, {other}]}}"#);
            let e = read(&doc).err().unwrap_or_else(|| panic!("{other} was dropped")).to_string();
            assert!(e.contains("report 2") && e.contains("pass the original reports"), "{e}");
        }
    }

    #[test]
    fn stated_figures_temis_never_writes_are_errors() {
        let file = |lines: &str, rest: &str| {
            format!(r#"{{"path": "src/a.c", "lines": {lines}, "branches": null, "functions": null{rest}}}"#)
        };
        for (doc, says) in [
            (cov_doc(r#"{"total": 100, "covered": 100}"#, ""), "0 file(s) add up to 0 of 0"),
            (
                cov_doc(r#"{"total": 100, "covered": 100}"#, &file(r#"{"total": 10, "covered": 1}"#, "")),
                "add up to 1 of 10",
            ),
            (
                cov_doc(r#"{"total": 10, "covered": 99}"#, &file(r#"{"total": 10, "covered": 99}"#, "")),
                "99 covered of 10",
            ),
        ] {
            let e = read(&doc).err().unwrap_or_else(|| panic!("{doc} was read")).to_string();
            assert!(e.contains(says), "{e}");
        }
        // Totals other than the files' sum, when temis noted it kept the producer's own: read.
        let kept = cov_doc(r#"{"total": 145, "covered": 139}"#, &file(r#"{"total": 137, "covered": 131}"#, ""))
            .replace(
                r#""files""#,
                &format!(r#""notes": ["Istanbul's root state … {}; …"], "files""#, crate::parsers::KEPT_STATED_TOTALS),
            );
        let meta = read(&kept).unwrap();
        assert_eq!(meta.totals.unwrap().lines, Counts::new(145, 139));
    }

    /// One file in two reports of a `temis report` document (figures only): the original reports
    /// cover it where either does (2 of 2), the document's figures cannot say so (they read
    /// back as 2 of 4); an error. With the covered lines (`temis merge`), it reads.
    #[test]
    fn a_file_in_two_reports_with_figures_only_is_an_error() {
        let report = |path: &str, rest: &str| {
            format!(
                r#"{{"path": "{path}", "kind": "coverage", "coverage": {{"lines": {{"total": 2, "covered": 1}},
                "branches": null, "functions": null, "files": [{{"path": "src/a.c", "lines": {{"total": 2, "covered": 1}},
                "branches": null, "functions": null{rest}}}]}}}}"#
            )
        };
        let doc = |rest_a: &str, rest_b: &str| {
            format!(
                r#"{{"schema": "temis.report/v2", "reports": [{}, {}]}}"#,
                report("a.info", rest_a),
                report("b.info", rest_b)
            )
        };
        let e = read(&doc(r#", "uncovered_ranges": [[1, 1]]"#, r#", "uncovered_ranges": [[2, 2]]"#)).unwrap_err();
        assert!(e.to_string().contains("is in reports 1 and 2"), "{e}");
        let whole = doc(
            r#", "uncovered_ranges": [[1, 1]], "covered_ranges": [[2, 2]]"#,
            r#", "uncovered_ranges": [[2, 2]], "covered_ranges": [[1, 1]]"#,
        );
        assert!(read(&whole).is_ok());
    }

    /// What temis writes, it reads back: totals that are not the files' sum (OpenCover's branch
    /// points in no file) are marked `stated_totals` and read as they are; a file whose lines
    /// are 0 of 0 with a line that ran (llvm-cov's summary of a header) reads too.
    #[test]
    fn a_document_temis_writes_with_its_producers_totals_reads_back() {
        use crate::model::{Coverage, FileCoverage};
        use crate::render::{ReadReport, json};
        let mut file = FileCoverage::new("src/a.c");
        file.lines = Counts::new(10, 5);
        file.branches = Some(Counts::new(690, 562));
        let c = Coverage {
            lines: Counts::new(10, 5),
            branches: Some(Counts::new(702, 562)),
            files: vec![file],
            ..Coverage::default()
        };
        let report = ReadReport {
            path: "oc.xml".into(),
            format: crate::parsers::Format::OpencoverXml,
            content: crate::parsers::Content::Coverage(c),
        };
        for version in [json::Version::V2, json::Version::V1] {
            let mut out = Vec::new();
            json::write_reports(&mut out, std::slice::from_ref(&report), version).unwrap();
            let text = String::from_utf8(out).unwrap();
            assert!(text.contains("\"stated_totals\": true"), "{text}");
            let meta = read(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
            assert_eq!(meta.totals.unwrap().branches, Some(Counts::new(702, 562)));
            // Unmarked, the same totals are refused.
            assert!(read(&text.replace("\"stated_totals\": true,", "")).is_err());
        }
    }
}
