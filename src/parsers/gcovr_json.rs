//! gcovr's JSON (`gcovr --json`, `gcovr/format_version`) and JSON summary (`gcovr
//! --json-summary`, `gcovr/summary_format_version`).
//!
//! gcovr counts a line once per function it belongs to: a C++ template's line instantiated
//! for `int` and for `double` is two lines, covered each when its instance ran (constructors
//! and destructors likewise). `gcovr --print-summary` prints exactly that, and so do its JSON
//! entries, one per (line, function): temis counts them so. The per-line data (which lines ran,
//! for patch coverage) is the union of a line's entries. Entries marked `gcovr/noncode` or
//! `gcovr/excluded` are not counted, nor their branches. A branch is one entry of a line's
//! `branches` not marked `gcovr/excluded`, covered when its count is above 0; a function is one
//! entry of `functions` not marked `gcovr/excluded`, called when its `execution_count` is above 0
//! (what gcovr itself counts).
//!
//! The summary carries figures only: each file's `line_total`/`line_covered`, `branch_total`/
//! `branch_covered`, `function_total`/`function_covered`, all integers (missing or `null` is an
//! error), and the report's own totals, the sum of the files' (anything else is an error, as is
//! more covered than there are).

use serde::Deserialize;

use crate::input::Source;
use crate::model::{Branch, Counts, FileDetail, Function, Sink, SummaryTotals};
use crate::parsers::json::{Count, Line, read_doc};
use crate::parsers::{Meta, ParseError, Totals};

/// Whether a JSON report is gcovr's `--json` output.
pub fn looks_like(body: &[u8]) -> bool {
    memchr::memmem::find(body, b"\"gcovr/format_version\"").is_some()
}

/// Whether a JSON report is gcovr's `--json-summary` output.
pub fn looks_like_summary(body: &[u8]) -> bool {
    memchr::memmem::find(body, b"\"gcovr/summary_format_version\"").is_some()
}

#[derive(Deserialize)]
struct Doc {
    #[serde(rename = "gcovr/format_version")]
    version: serde_json::Value,
    files: Vec<File>,
}

#[derive(Deserialize)]
struct File {
    file: String,
    lines: Vec<LineEntry>,
    #[serde(default)]
    functions: Vec<FunctionEntry>,
}

#[derive(Deserialize)]
struct LineEntry {
    line_number: Line,
    count: Count,
    #[serde(default)]
    branches: Vec<BranchEntry>,
    #[serde(rename = "gcovr/noncode", default)]
    noncode: bool,
    #[serde(rename = "gcovr/excluded", default)]
    excluded: bool,
}

#[derive(Deserialize)]
struct BranchEntry {
    count: Count,
    #[serde(rename = "gcovr/excluded", default)]
    excluded: bool,
}

#[derive(Deserialize)]
struct FunctionEntry {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    demangled_name: Option<String>,
    #[serde(default)]
    lineno: Option<Line>,
    execution_count: Count,
    #[serde(rename = "gcovr/excluded", default)]
    excluded: bool,
}

/// Reads gcovr's `--json` report into `sink`.
pub fn parse(input: &Source, sink: &mut dyn Sink) -> Result<Meta, ParseError> {
    let doc: Doc = read_doc(input)?;
    let mut meta = Meta::default();
    meta.extra.insert("gcovr_format_version".into(), doc.version);
    let (mut skipped, mut line_zero) = (0u64, 0u64);
    let mut detail = FileDetail::default();
    for file in doc.files {
        detail.clear();
        detail.path = file.file;
        let mut entries = Counts::default();
        let mut branch = 0u32;
        for l in &file.lines {
            if l.noncode || l.excluded {
                skipped += 1;
                continue;
            }
            let Line(number) = l.line_number;
            if number == 0 {
                line_zero += 1;
                continue;
            }
            entries.add(Counts::new(1, u64::from(l.count.0 > 0)));
            detail.lines.push((number, l.count.0));
            for b in l.branches.iter().filter(|b| !b.excluded) {
                // One outcome each, in the order gcovr lists them (instances apart).
                detail.branches.push(Branch { line: number, block: 0, branch, taken: Some(b.count.0) });
                branch += 1;
            }
        }
        if detail.lines.is_empty() {
            continue;
        }
        for f in file.functions.into_iter().filter(|f| !f.excluded) {
            let name = f.demangled_name.or(f.name).unwrap_or_default();
            let line = f.lineno.map_or(0, |Line(l)| l);
            detail.functions.push(Function { name, line, hits: f.execution_count.0 });
        }
        let branches = Counts::new(
            detail.branches.len() as u64,
            detail.branches.iter().filter(|b| b.taken.unwrap_or(0) > 0).count() as u64,
        );
        let functions =
            Counts::new(detail.functions.len() as u64, detail.functions.iter().filter(|f| f.hits > 0).count() as u64);
        detail.has_branches = true;
        detail.has_functions = true;
        // gcovr's own counts: a line per (line, function), every function instance apart.
        detail.summary =
            Some(SummaryTotals { lines: Some(entries), branches: Some(branches), functions: Some(functions) });
        sink.file(&mut detail);
    }
    if skipped > 0 {
        meta.notes.push(format!("{skipped} line entr(ies) marked gcovr/noncode or gcovr/excluded were not counted"));
    }
    if line_zero > 0 {
        meta.notes.push(format!("{line_zero} line entr(ies) with line_number 0 were skipped"));
    }
    Ok(meta)
}

#[derive(Deserialize)]
struct Summary {
    files: Vec<SummaryFile>,
    #[serde(flatten)]
    totals: Figures,
}

#[derive(Deserialize)]
struct SummaryFile {
    filename: String,
    #[serde(flatten)]
    figures: Figures,
}

/// gcovr writes all six figures as integers, for every file and the root: a missing or `null`
/// one is an error (it would leave branches or functions "not measured", a threshold skipped).
#[derive(Deserialize)]
struct Figures {
    line_total: Count,
    line_covered: Count,
    branch_total: Count,
    branch_covered: Count,
    function_total: Count,
    function_covered: Count,
}

impl Figures {
    /// The figures, or an error naming `what` when more are covered than there are.
    fn totals(&self, what: &str) -> Result<Totals, ParseError> {
        let pair = |kind: &str, t: &Count, c: &Count| {
            if c.0 > t.0 {
                return Err(ParseError::whole(format!(
                    "{what}: {kind}_covered {} is above {kind}_total {} (gcovr never writes this)",
                    c.0, t.0
                )));
            }
            Ok(Counts::new(t.0, c.0))
        };
        Ok(Totals {
            lines: pair("line", &self.line_total, &self.line_covered)?,
            branches: Some(pair("branch", &self.branch_total, &self.branch_covered)?),
            functions: Some(pair("function", &self.function_total, &self.function_covered)?),
        })
    }
}

/// Reads gcovr's `--json-summary` report into `sink`: figures only, no per-line data.
pub fn parse_summary(input: &Source, sink: &mut dyn Sink) -> Result<Meta, ParseError> {
    let doc: Summary = read_doc(input)?;
    let mut detail = FileDetail::default();
    let mut sum = [Counts::default(); 3];
    for f in &doc.files {
        detail.clear();
        detail.path.push_str(&f.filename);
        let t = f.figures.totals(&format!("file {:?}", f.filename))?;
        for (s, c) in sum.iter_mut().zip([Some(t.lines), t.branches, t.functions]) {
            s.add(c.unwrap_or_default());
        }
        detail.summary = Some(SummaryTotals { lines: Some(t.lines), branches: t.branches, functions: t.functions });
        sink.file(&mut detail);
    }
    let totals = doc.totals.totals("the summary's totals")?;
    // gcovr's root figures are the sum of the same files' figures.
    for (kind, stated, sum) in [
        ("line", Some(totals.lines), sum[0]),
        ("branch", totals.branches, sum[1]),
        ("function", totals.functions, sum[2]),
    ] {
        let stated = stated.unwrap_or_default();
        if stated != sum {
            return Err(ParseError::whole(format!(
                "the summary's totals state {kind}s {} covered of {}, but its {} file(s) add up to {} of {} \
                 (gcovr's totals are the sum of its files)",
                stated.covered,
                stated.total,
                doc.files.len(),
                sum.covered,
                sum.total
            )));
        }
    }
    let mut meta = Meta { totals: Some(totals), totals_from: Some("gcovr's summary totals"), ..Meta::default() };
    meta.notes.push("a summary report: figures only, no per-line data (patch coverage cannot use it)".into());
    Ok(meta)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Coverage, CoverageBuilder, DetailSet};

    fn read(bytes: &[u8], summary: bool) -> (Coverage, Meta) {
        let mut b = CoverageBuilder::new();
        let input = Source::bytes("gcovr.json", bytes);
        let meta = if summary { parse_summary(&input, &mut b) } else { parse(&input, &mut b) }.unwrap();
        let mut c = b.finish();
        if let Some(t) = meta.totals {
            c.lines = t.lines;
        }
        (c, meta)
    }

    /// gcovr 8.8 on a C++ template instantiated three times (tests/fixtures/coverage/gcovr/README.md):
    /// `gcovr --print-summary` said lines 28 of 33, functions 6 of 7, branches 11 of 24.
    #[test]
    fn template_instances_count_as_gcovr_counts_them() {
        let (c, _) = read(include_bytes!("../../tests/fixtures/coverage/gcovr/coverage.json"), false);
        assert_eq!(c.lines, Counts::new(33, 28));
        assert_eq!(c.branches, Some(Counts::new(24, 11)));
        assert_eq!(c.functions, Some(Counts::new(7, 6)));
        let stack = c.files.iter().find(|f| f.path == "stack.hpp").unwrap();
        assert_eq!(stack.lines, Counts::new(18, 14));
        // Per line: line 8 ran in one instance of pop() and not in the other: it ran.
        assert!(stack.line_bits.as_ref().unwrap().is_covered(8));
        let (s, _) = read(include_bytes!("../../tests/fixtures/coverage/gcovr/summary.json"), true);
        assert_eq!(s.lines, Counts::new(33, 28));
        assert_eq!(s.files.iter().find(|f| f.path == "stack.hpp").unwrap().lines, Counts::new(18, 14));
        assert!(s.files[0].line_bits.is_none());
    }

    #[test]
    fn excluded_and_noncode_entries_are_not_counted() {
        let json = br#"{"gcovr/format_version": "0.14", "files": [{"file": "a.c", "lines": [
            {"line_number": 1, "count": 1, "branches": [{"count": 0}, {"count": 2}]},
            {"line_number": 2, "count": 0, "branches": [{"count": 0}], "gcovr/excluded": true},
            {"line_number": 3, "count": 0, "branches": [], "gcovr/noncode": true}],
            "functions": [{"name": "f", "lineno": 1, "execution_count": 0}]}]}"#;
        let (c, meta) = read(json, false);
        assert_eq!(c.lines, Counts::new(1, 1));
        assert_eq!(c.branches, Some(Counts::new(2, 1)));
        assert_eq!(c.functions, Some(Counts::new(1, 0)));
        assert!(meta.notes[0].contains("2 line entr(ies)"), "{:?}", meta.notes);
        let mut set = DetailSet::new();
        parse(&Source::bytes("g", &json[..]), &mut set).unwrap();
        assert_eq!(set.files[0].lines, vec![(1, 1)]);
    }

    #[test]
    fn wrong_types_are_errors_naming_the_field() {
        let e = parse(
            &Source::bytes("g", &br#"{"gcovr/format_version": "0.14", "files": {}}"#[..]),
            &mut CoverageBuilder::new(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("files"), "{e}");
    }

    fn summary_error(json: &str) -> String {
        let e = parse_summary(&Source::bytes("s.json", json.as_bytes()), &mut CoverageBuilder::new());
        e.err().unwrap_or_else(|| panic!("{json} was read")).to_string()
    }

    #[test]
    fn summary_totals_must_be_the_files_sum_and_hold_their_covered() {
        let doc = |file: &str, root: &str| {
            format!(
                r#"{{"gcovr/summary_format_version": "0.6", "files": [{{"filename": "src/a.c", {file}}}], {root}}}"#
            )
        };
        let all = |l: (u64, u64), b: (u64, u64), f: (u64, u64)| {
            format!(
                r#""line_total": {}, "line_covered": {}, "branch_total": {}, "branch_covered": {},
                "function_total": {}, "function_covered": {}"#,
                l.0, l.1, b.0, b.1, f.0, f.1
            )
        };
        let e = summary_error(&doc(&all((10, 1), (0, 0), (1, 0)), &all((100, 100), (0, 0), (1, 0))));
        assert!(e.contains("lines 100 covered of 100") && e.contains("add up to 1 of 10"), "{e}");
        let e = summary_error(&doc(&all((10, 1), (0, 0), (1, 0)), &all((10, 1), (0, 0), (1, 1))));
        assert!(e.contains("functions 1 covered of 1"), "{e}");
        let e = summary_error(&doc(&all((10, 50), (0, 0), (0, 0)), &all((10, 50), (0, 0), (0, 0))));
        assert!(e.contains("\"src/a.c\": line_covered 50 is above line_total 10"), "{e}");
        let ok = doc(&all((10, 9), (4, 2), (1, 1)), &all((10, 9), (4, 2), (1, 1)));
        parse_summary(&Source::bytes("s.json", ok.as_bytes()), &mut CoverageBuilder::new()).unwrap();
    }

    #[test]
    fn summary_branch_or_function_figures_missing_or_null_are_errors() {
        let lines = r#""line_total": 10, "line_covered": 9"#;
        for rest in [
            r#", "branch_total": null, "branch_covered": null, "function_total": 1, "function_covered": 1"#,
            r#", "branch_covered": 5, "function_total": 1, "function_covered": 1"#,
            r#", "branch_total": 4, "branch_covered": 2"#,
        ] {
            let json = format!(
                r#"{{"gcovr/summary_format_version": "0.6", "files": [{{"filename": "a.c", {lines}{rest}}}], {lines}{rest}}}"#
            );
            let e = summary_error(&json);
            assert!(e.contains("branch_total") || e.contains("function_total") || e.contains("null"), "{e}");
        }
    }

    /// A count no producer writes — a fraction, a negative count, one past `u64::MAX` — in a
    /// line, a branch, a function or a summary figure is an error naming its place: never
    /// truncated (`0.5` read as not run, `1.5` as run), never clamped.
    #[test]
    fn counts_that_are_not_whole_numbers_are_errors() {
        let doc = |line: &str, branch: &str, function: &str| {
            format!(
                r#"{{"gcovr/format_version": "0.14", "files": [{{"file": "a.c", "lines": [
                {{"line_number": 1, "count": {line}, "branches": [{{"count": {branch}}}]}}],
                "functions": [{{"name": "f", "lineno": 1, "execution_count": {function}}}]}}]}}"#
            )
        };
        let fails = |json: &str| {
            let e = parse(&Source::bytes("g", json.as_bytes()), &mut CoverageBuilder::new());
            e.err().unwrap_or_else(|| panic!("{json} was read"))
        };
        for (count, message) in [
            ("0.5", "hit count 0.5 is not a whole number"),
            ("1.5", "hit count 1.5 is not a whole number"),
            ("-1", "negative hit count -1"),
            ("1e300", "hit count 1e300 is past the largest a counter holds (2^64 - 1)"),
        ] {
            for (json, field) in [
                (doc(count, "1", "1"), "files[0].lines[0].count"),
                (doc("1", count, "1"), "files[0].lines[0].branches[0].count"),
                (doc("1", "1", count), "files[0].functions[0].execution_count"),
            ] {
                let e = fails(&json);
                assert!(e.line.is_some(), "{e}");
                assert!(e.to_string().contains(&format!("`{field}`: {message}")), "{e}");
            }
            let summary = format!(
                r#"{{"gcovr/summary_format_version": "0.6", "files": [{{"filename": "a.c", "line_total": 10,
                "line_covered": {count}, "branch_total": 0, "branch_covered": 0, "function_total": 0,
                "function_covered": 0}}], "line_total": 10, "line_covered": 1, "branch_total": 0,
                "branch_covered": 0, "function_total": 0, "function_covered": 0}}"#
            );
            assert!(summary_error(&summary).contains(message), "{}", summary_error(&summary));
        }
    }

    #[test]
    fn excluded_branches_and_functions_are_not_counted() {
        let json = br#"{"gcovr/format_version": "0.14", "files": [{"file": "src/a.c", "lines": [{"line_number": 1,
            "count": 1, "branches": [{"count": 1}, {"count": 0, "gcovr/excluded": true}]}],
            "functions": [{"name": "f", "lineno": 1, "execution_count": 1},
                          {"name": "g", "lineno": 5, "execution_count": 0, "gcovr/excluded": true}]}]}"#;
        let (c, _) = read(json, false);
        assert_eq!(c.branches, Some(Counts::new(1, 1)));
        assert_eq!(c.functions, Some(Counts::new(1, 1)));
    }
}
