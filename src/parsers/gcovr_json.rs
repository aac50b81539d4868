//! gcovr's JSON (`gcovr --json`, `gcovr/format_version`) and JSON summary (`gcovr
//! --json-summary`, `gcovr/summary_format_version`).
//!
//! gcovr counts a line once per function it belongs to: a C++ template's line instantiated
//! for `int` and for `double` is two lines, covered each when its instance ran (constructors
//! and destructors likewise). `gcovr --print-summary` prints exactly that, and so do its JSON
//! entries, one per (line, function): temis counts them so. The per-line data (which lines ran,
//! for patch coverage) is the union of a line's entries. Entries marked `gcovr/noncode` or
//! `gcovr/excluded` are not counted, nor their branches. A branch is one entry of a line's
//! `branches`, covered when its count is above 0; a function is one entry of `functions`,
//! called when its `execution_count` is above 0.
//!
//! The summary carries figures only: each file's `line_total`/`line_covered` (and branches,
//! functions), and the report's own totals, which temis takes.

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
            for b in &l.branches {
                // One outcome each, in the order gcovr lists them (instances apart).
                detail.branches.push(Branch { line: number, block: 0, branch, taken: Some(b.count.0) });
                branch += 1;
            }
        }
        if detail.lines.is_empty() {
            continue;
        }
        for f in file.functions {
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

#[derive(Deserialize)]
struct Figures {
    line_total: Count,
    line_covered: Count,
    #[serde(default)]
    branch_total: Option<Count>,
    #[serde(default)]
    branch_covered: Option<Count>,
    #[serde(default)]
    function_total: Option<Count>,
    #[serde(default)]
    function_covered: Option<Count>,
}

impl Figures {
    fn totals(&self) -> Totals {
        let pair = |t: &Option<Count>, c: &Option<Count>| {
            t.as_ref().map(|t| Counts::new(t.0, c.as_ref().map_or(0, |c| c.0).min(t.0)))
        };
        Totals {
            lines: Counts::new(self.line_total.0, self.line_covered.0.min(self.line_total.0)),
            branches: pair(&self.branch_total, &self.branch_covered),
            functions: pair(&self.function_total, &self.function_covered),
        }
    }
}

/// Reads gcovr's `--json-summary` report into `sink`: figures only, no per-line data.
pub fn parse_summary(input: &Source, sink: &mut dyn Sink) -> Result<Meta, ParseError> {
    let doc: Summary = read_doc(input)?;
    let mut detail = FileDetail::default();
    for f in &doc.files {
        detail.clear();
        detail.path.push_str(&f.filename);
        let t = f.figures.totals();
        detail.summary = Some(SummaryTotals { lines: Some(t.lines), branches: t.branches, functions: t.functions });
        sink.file(&mut detail);
    }
    let mut meta =
        Meta { totals: Some(doc.totals.totals()), totals_from: Some("gcovr's summary totals"), ..Meta::default() };
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
}
