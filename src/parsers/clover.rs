//! Clover XML, as OpenClover, PHPUnit (php-code-coverage), Istanbul's `clover` reporter and
//! gcovr write it.
//!
//! Each `<file>` under `<project>` is one file, named by its `path` attribute (OpenClover,
//! Istanbul, gcovr) or, without one, its `name` (PHPUnit writes the absolute path there). The
//! `<testproject>` OpenClover and gcovr add (test sources, a dummy) is left out.
//!
//! Lines are the line numbers of `stmt` and `cond` elements, covered when any element on the
//! line has a positive count: that is Istanbul's line count and PHPUnit's `statements`.
//! `method` elements are the file's functions, not lines. `cond` elements mean two things:
//! - with a `count` attribute (Istanbul), `truecount` is how many of the line's branches were
//!   taken and `falsecount` how many were not;
//! - without one (OpenClover), the element is one condition, evaluated `truecount` times true
//!   and `falsecount` times false: two outcomes, each covered when its count is positive, as
//!   Clover's own `coveredconditionals` counts them.
//!
//! A file without `cond` or `method` elements takes its branch or function totals from its
//! `<metrics>` (Istanbul writes functions only there), when those say there are some. The
//! project's `<metrics>` are Clover's own totals and go to `meta.extra` (`statements`,
//! `conditionals`, `methods`, and `elements`, whose ratio is Clover's "Total Percentage
//! Coverage"). Counts past `u64::MAX` saturate; anything malformed is an error placed at its
//! line and column.

use quick_xml::events::{BytesStart, Event};
use serde_json::json;

use crate::input::Source;
use crate::model::{Branch, Counts, FileDetail, Function, Sink, SummaryTotals};
use crate::parsers::Meta;
use crate::parsers::ParseError;
use crate::parsers::xml_walk::{Walker, hot_attributes, push_branches};

/// Reads `input` into `sink`.
pub fn parse(input: &Source, sink: &mut dyn Sink) -> Result<Meta, ParseError> {
    let mut w = Walker::new(input, "coverage", "Clover")?;
    let mut doc = Doc::default();
    let mut buf = Vec::with_capacity(4096);
    loop {
        match w.next(&mut buf)? {
            Event::Start(e) => doc.open(&w, &e)?,
            Event::Empty(e) => {
                doc.open(&w, &e)?;
                doc.close(&w, sink);
            }
            Event::End(_) => doc.close(&w, sink),
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(doc.meta())
}

/// The `<metrics>` figures temis reads: statements, conditionals, methods, elements, each
/// (total, covered).
type Metrics = [Option<(u64, u64)>; 4];

#[derive(Default)]
struct Doc {
    /// Depth of the open element of each kind, 0 when none is open.
    project_depth: usize,
    skip_depth: usize,
    file_depth: usize,
    detail: FileDetail,
    file_metrics: Metrics,
    project_metrics: Metrics,
    /// The line of the last OpenClover `cond` element and how many came on it.
    cond_line: u32,
    cond_index: u32,
    conds: bool,
    methods: bool,
    branch_count: u64,
    test_files: u64,
    /// Istanbul wrote it (`clover="3.2.0"` on the root): its `<project>` metrics are its own
    /// totals, which the per-line `cond` counts do not always add up to.
    istanbul: bool,
    /// gcovr wrote it (a timestamp in `clover=`): a line is listed once per function instance,
    /// and its `<file>` metrics count each, as gcovr does.
    gcovr: bool,
    files: u64,
    empty: u64,
    line_zero: u64,
    unknown: u64,
}

impl Doc {
    fn open(&mut self, w: &Walker<'_>, e: &BytesStart<'_>) -> Result<(), ParseError> {
        if self.skip_depth > 0 {
            if e.name().0 == "file" {
                self.test_files += 1;
            }
            return Ok(());
        }
        match e.name().0 {
            "line" if self.file_depth > 0 && w.within(&["file"]) => self.line(w, e)?,
            "metrics" if self.file_depth > 0 && w.within(&["file"]) => {
                self.file_metrics = metrics(w, e)?;
            }
            "metrics" if self.project_depth > 0 && w.within(&["project"]) => {
                self.project_metrics = metrics(w, e)?;
            }
            "file" if self.project_depth > 0 && self.file_depth == 0 => self.file(w, e)?,
            "project" if w.tag_depth() == 2 && self.project_depth == 0 => {
                self.project_depth = w.tag_depth();
            }
            "testproject" if w.tag_depth() == 2 => self.skip_depth = w.tag_depth(),
            "coverage" if w.tag_depth() == 1 => {
                for a in e.attributes() {
                    let a = a.map_err(|err| w.attr_error(err))?;
                    if a.key.0 == "clover" && a.value.trim() == "3.2.0" {
                        self.istanbul = true;
                    }
                    if a.key.0 == "clover"
                        && !a.value.trim().is_empty()
                        && a.value.trim().bytes().all(|b| b.is_ascii_digit())
                    {
                        self.gcovr = true;
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn file(&mut self, w: &Walker<'_>, e: &BytesStart<'_>) -> Result<(), ParseError> {
        let (mut name, mut path) = (String::new(), String::new());
        for a in e.attributes() {
            let a = a.map_err(|err| w.attr_error(err))?;
            match a.key.0 {
                "name" => name = w.text(&a)?,
                "path" => path = w.text(&a)?,
                _ => {}
            }
        }
        if path.trim().is_empty() {
            path = name;
        }
        if path.trim().is_empty() {
            return Err(w.fail("<file> without a path or name attribute"));
        }
        self.file_depth = w.tag_depth();
        self.detail.clear();
        self.detail.path = path;
        self.file_metrics = Metrics::default();
        (self.cond_line, self.cond_index) = (0, 0);
        (self.conds, self.methods, self.branch_count) = (false, false, 0);
        Ok(())
    }

    fn line(&mut self, w: &Walker<'_>, e: &BytesStart<'_>) -> Result<(), ParseError> {
        let (mut num, mut count, mut truecount, mut falsecount) = (None, None, 0, 0);
        let (mut kind, mut name, mut signature) = (None, None, None);
        let mut seen = 0;
        for a in hot_attributes(e) {
            let a = a.map_err(|err| w.attr_error(err))?;
            let bit = match a.key.0 {
                "num" => 0,
                "count" => 1,
                "truecount" => 2,
                "falsecount" => 3,
                "type" => 4,
                "name" => 5,
                "signature" => 6,
                _ => continue,
            };
            w.once(&mut seen, bit, &a)?;
            match bit {
                0 => num = Some(w.line_number(&a)?),
                1 => count = Some(w.count(&a)?),
                2 => truecount = w.count(&a)?,
                3 => falsecount = w.count(&a)?,
                4 => kind = Some(a.value),
                5 => name = Some(w.text(&a)?),
                _ => signature = Some(w.text(&a)?),
            }
        }
        let num = num.ok_or_else(|| w.fail("<line> without a num attribute"))?;
        let Some(line) = num else {
            self.line_zero += 1;
            return Ok(());
        };
        let d = &mut self.detail;
        match kind.as_deref().map(str::trim) {
            Some("stmt") | None => {
                let count = count.ok_or_else(|| w.fail("<line> without a count attribute"))?;
                d.lines.push((line, count));
            }
            Some("cond") => {
                self.conds = true;
                if let Some(count) = count {
                    // Istanbul: branches taken and not taken on this line.
                    let total = truecount.saturating_add(falsecount);
                    w.branch_budget(&mut self.branch_count, total)?;
                    d.lines.push((line, count));
                    push_branches(&mut d.branches, line, 0, truecount, total);
                } else {
                    // OpenClover: one condition, its true and false outcomes.
                    w.branch_budget(&mut self.branch_count, 2)?;
                    if line == self.cond_line {
                        self.cond_index += 1;
                    } else {
                        (self.cond_line, self.cond_index) = (line, 0);
                    }
                    d.lines.push((line, truecount.saturating_add(falsecount)));
                    for (branch, taken) in [(0, truecount), (1, falsecount)] {
                        d.branches.push(Branch { line, block: self.cond_index, branch, taken: Some(taken) });
                    }
                }
            }
            Some("method") => {
                self.methods = true;
                let name = signature.or(name).unwrap_or_else(|| format!("line {line}"));
                d.functions.push(Function { name, line, hits: count.unwrap_or(0) });
            }
            Some(_) => self.unknown += 1,
        }
        Ok(())
    }

    /// The element at depth `w.depth() + 1` has just ended.
    fn close(&mut self, w: &Walker<'_>, sink: &mut dyn Sink) {
        let depth = w.depth() + 1;
        if depth == self.file_depth {
            self.file_depth = 0;
            self.finish_file(sink);
        } else if depth == self.skip_depth {
            self.skip_depth = 0;
        } else if depth == self.project_depth {
            self.project_depth = 0;
        }
    }

    fn finish_file(&mut self, sink: &mut dyn Sink) {
        let d = &mut self.detail;
        if d.lines.is_empty() {
            self.empty += 1;
            return;
        }
        // Several elements may share a line (OpenClover: method, statements, conditions).
        d.lines.sort_by_key(|l| l.0);
        d.lines.dedup_by(|next, kept| {
            let same = next.0 == kept.0;
            if same {
                kept.1 = kept.1.max(next.1);
            }
            same
        });
        let stated = |m: Option<(u64, u64)>| {
            m.filter(|&(total, _)| total > 0).map(|(total, covered)| Counts::new(total, covered.min(total)))
        };
        let mut summary = SummaryTotals::default();
        if self.gcovr {
            summary.lines = stated(self.file_metrics[0]);
        }
        if !self.conds {
            summary.branches = stated(self.file_metrics[1]);
        }
        if !self.methods {
            summary.functions = stated(self.file_metrics[2]);
        }
        d.has_branches = self.conds;
        d.has_functions = self.methods;
        d.summary = (summary != SummaryTotals::default()).then_some(summary);
        self.files += 1;
        sink.file(d);
    }

    fn meta(&self) -> Meta {
        let mut meta = Meta::default();
        if self.files == 0 {
            meta.notes.push("the report lists no file with coverable lines (no <file> with lines)".into());
        }
        if self.istanbul {
            meta.rounding = Some(crate::model::Rounding::Floor);
            let counts = |m: Option<(u64, u64)>| m.map(|(t, c)| Counts::new(t, c.min(t)));
            if let Some(lines) = counts(self.project_metrics[0]) {
                meta.totals = Some(crate::parsers::Totals {
                    lines,
                    branches: counts(self.project_metrics[1]).filter(|b| b.total > 0),
                    functions: counts(self.project_metrics[2]).filter(|f| f.total > 0),
                });
                meta.totals_from = Some("Istanbul's <project> metrics");
            }
        }
        let keys = ["statements", "conditionals", "methods", "elements"];
        for (key, m) in keys.into_iter().zip(self.project_metrics) {
            if let Some((total, covered)) = m {
                meta.extra.insert(key.into(), json!({"covered": covered, "total": total}));
            }
        }
        let notes = [
            (self.test_files, "<file> element(s) under <testproject> were left out"),
            (self.empty, "<file> element(s) with no stmt or cond line were left out"),
            (self.line_zero, "<line> element(s) with num=\"0\" were skipped"),
            (self.unknown, "<line> element(s) of an unknown type were skipped"),
        ];
        for (n, what) in notes {
            if n > 0 {
                meta.notes.push(format!("{n} {what}"));
            }
        }
        meta
    }
}

/// The figures of a `<metrics>` element.
fn metrics(w: &Walker<'_>, e: &BytesStart<'_>) -> Result<Metrics, ParseError> {
    let mut raw = [[None; 2]; 4];
    for a in e.attributes() {
        let a = a.map_err(|err| w.attr_error(err))?;
        let (i, j) = match a.key.0 {
            "statements" => (0, 0),
            "coveredstatements" => (0, 1),
            "conditionals" => (1, 0),
            "coveredconditionals" => (1, 1),
            "methods" => (2, 0),
            "coveredmethods" => (2, 1),
            "elements" => (3, 0),
            "coveredelements" => (3, 1),
            _ => continue,
        };
        raw[i][j] = Some(w.count(&a)?);
    }
    Ok(raw.map(|[total, covered]| total.map(|t| (t, covered.unwrap_or(0)))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Coverage, CoverageBuilder, DetailSet};

    const OPENCLOVER: &[u8] = include_bytes!("../../tests/fixtures/coverage/clover/openclover.xml");
    const PHPUNIT: &[u8] = include_bytes!("../../tests/fixtures/coverage/clover/phpunit.xml");
    const ISTANBUL: &[u8] = include_bytes!("../../tests/fixtures/coverage/clover/istanbul.xml");

    fn read(bytes: &[u8]) -> Result<(Coverage, Meta), ParseError> {
        let input = Source::bytes("clover.xml", bytes);
        let mut builder = CoverageBuilder::new();
        let meta = parse(&input, &mut builder)?;
        Ok((builder.finish(), meta))
    }

    /// A report with one file holding `line` (on line 3).
    fn one_line(line: &str) -> String {
        format!(
            "<coverage clover=\"4.4.1\">\n<project><file name=\"A.java\" path=\"/src/A.java\">\n\
             {line}\n</file></project></coverage>"
        )
    }

    #[test]
    fn openclover_conditions_are_true_false_pairs() {
        let (cov, meta) = read(OPENCLOVER).unwrap();
        assert_eq!(cov.files.len(), 1);
        let cart = &cov.files[0];
        assert_eq!(cart.path, "/work/shop/src/main/java/com/shop/Cart.java");
        // Lines 9 10 12 16 17 31 32; method lines are functions, not lines.
        assert_eq!(cart.lines, Counts::new(7, 5));
        assert!(!cart.line_bits.as_ref().unwrap().is_covered(17));
        assert_eq!(cart.branches, Some(Counts::new(6, 3)));
        assert_eq!(cart.functions, Some(Counts::new(3, 3)));
        assert_eq!(meta.extra["conditionals"], json!({"covered": 3, "total": 6}));
        assert_eq!(meta.extra["elements"], json!({"covered": 11, "total": 16}));
        assert_eq!(meta.notes, ["1 <file> element(s) under <testproject> were left out"]);
    }

    #[test]
    fn openclover_details_keep_each_condition() {
        let input = Source::bytes("clover.xml", OPENCLOVER);
        let mut set = DetailSet::new();
        parse(&input, &mut set).unwrap();
        let cart = &set.files[0];
        assert_eq!(cart.lines[0], (9, 4));
        let line9: Vec<_> = cart.branches.iter().filter(|b| b.line == 9).collect();
        assert_eq!(line9.len(), 4);
        assert_eq!((line9[2].block, line9[2].branch, line9[2].taken), (1, 0, Some(0)));
        assert_eq!(cart.functions[0].name, "add(Item) : void");
    }

    #[test]
    fn phpunit_counts_statements_and_methods() {
        let (cov, meta) = read(PHPUNIT).unwrap();
        assert_eq!(cov.files.len(), 1);
        assert_eq!(cov.files[0].path, "/home/ci/app/src/Money.php");
        assert_eq!(cov.lines, Counts::new(5, 3));
        assert_eq!(cov.branches, None);
        assert_eq!(cov.functions, Some(Counts::new(2, 1)));
        assert_eq!(meta.extra["statements"], json!({"covered": 3, "total": 5}));
        assert_eq!(meta.notes.len(), 1, "{:?}", meta.notes);
    }

    #[test]
    fn istanbul_conditions_count_branches_and_metrics_give_functions() {
        let (cov, _) = read(ISTANBUL).unwrap();
        assert_eq!(cov.files.len(), 2);
        assert_eq!(cov.files[0].path, "/home/ci/work/js app/index.js");
        assert_eq!(cov.lines, Counts::new(7, 6));
        assert_eq!(cov.branches, Some(Counts::new(5, 3)));
        assert_eq!(cov.functions, Some(Counts::new(3, 2)));
        assert_eq!(cov.files[0].branches, None);
        assert_eq!(cov.files[1].branches, Some(Counts::new(5, 3)));
    }

    #[test]
    fn hostile_inputs_are_placed_errors() {
        let entity = "<!DOCTYPE coverage [<!ENTITY x SYSTEM \"http://127.0.0.1:9/\">]>\n";
        let cases: Vec<(String, &str, Option<u64>)> = vec![
            (
                one_line("<line num=\"3\" count=\"1\" type=\"stmt\"/>").replace("</project></coverage>", ""),
                "unexpected end of file inside <project>",
                Some(4),
            ),
            (one_line("<line num=\"3\" count=\"1\" type=\"stmt"), "malformed XML", Some(3)),
            (one_line("<line num=\"3\" count=\"1\" type=\"stmt\" type=\"cond\"/>"), "malformed attribute", Some(3)),
            (one_line("<line num=\"3\" count=\"NaN\" type=\"stmt\"/>"), "count=\"NaN\": not a count", Some(3)),
            (one_line("<line num=\"3\" count=\"-7\" type=\"stmt\"/>"), "cannot be negative", Some(3)),
            (
                one_line("<line num=\"3\" count=\"1\" type=\"cond\" truecount=\"99999999\"/>"),
                "branches on one line",
                Some(3),
            ),
            (format!("{entity}{}", one_line("").replace("/src/A.java", "&x;")), "&x;", Some(3)),
            ("<report name=\"x\"/>".into(), "not <coverage>: this is not a Clover report", Some(1)),
            ("<?xml version=\"1.0\"?>".into(), "no <coverage> element", None),
        ];
        for (xml, message, line) in cases {
            let err = read(xml.as_bytes()).unwrap_err();
            assert!(err.message.contains(message), "{err} ≠ {message}");
            assert_eq!(err.line, line, "{err}");
        }
        let mut bytes = one_line("<line num=\"3\" count=\"1\" type=\"stmt\"/>").into_bytes();
        bytes.splice(3..3, [0xE2, 0x82]);
        let err = read(&bytes).unwrap_err();
        assert!(err.message.contains("not valid UTF-8"), "{err}");
        assert_eq!(err.line, Some(1));
    }

    #[test]
    fn what_is_not_an_error() {
        let xml = format!(
            "<!DOCTYPE coverage SYSTEM \"/etc/passwd\">\n{}",
            one_line("<line num=\"3\" count=\"99999999999999999999999\" type=\"stmt\"/>")
        );
        let input = Source::bytes("clover.xml", xml.into_bytes());
        let mut set = DetailSet::new();
        parse(&input, &mut set).unwrap();
        assert_eq!(set.files[0].lines, vec![(3, u64::MAX)]);
        let deep = format!(
            "<coverage><project>{}{}</project></coverage>",
            "<package>".repeat(10_000),
            "</package>".repeat(10_000)
        );
        assert!(read(deep.as_bytes()).unwrap().0.files.is_empty());
    }
}
