//! JaCoCo XML (`report.dtd` 1.1), as the Maven, Gradle and Ant tasks write it.
//!
//! Each `package/sourcefile` is one file, named `<package name>/<sourcefile name>` (JaCoCo
//! knows no more of the path; `<group>`s of multi-module reports nest but add nothing to it).
//! Its `<line nr mi ci mb cb>` elements give the lines, as JaCoCo's LINE counter counts them:
//! every line is coverable and covered when `ci > 0` (its hits are `ci`, the instructions
//! run); `mb + cb` branch outcomes, `cb` of them covered. A sourcefile with no lines (an
//! interface, `package-info.java`) is left out, as JaCoCo's own per-file table does.
//!
//! Functions are the `class/method` elements of the classes compiled from that source file,
//! covered when their METHOD counter says so, named `Class.method(descriptor)` so overloads
//! stay apart. The report-level counters (INSTRUCTION, BRANCH, LINE, COMPLEXITY, METHOD,
//! CLASS) are JaCoCo's own totals and go to `meta.extra` (`instructions`, `branches`, `lines`,
//! `complexity`, `methods`, `classes`, each `{covered, missed, total}`).
//!
//! The DOCTYPE JaCoCo writes (`report.dtd`) is never fetched. Counts past `u64::MAX`
//! saturate; anything malformed is an error placed at its line and column.

use std::collections::{BTreeMap, HashMap};

use quick_xml::events::{BytesStart, Event};
use serde_json::json;

use crate::error::ParseError;
use crate::input::Input;
use crate::model::{Counts, FileDetail, Function, Sink};
use crate::parsers::Meta;
use crate::parsers::xml_walk::{Walker, hot_attributes, push_branches};

/// Reads `input` into `sink`.
pub fn parse(input: &Input, sink: &mut dyn Sink) -> Result<Meta, ParseError> {
    let mut w = Walker::new(input, "report", "JaCoCo")?;
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

#[derive(Default)]
struct Doc {
    /// Depth of the open element of each kind, 0 when none is open.
    package_depth: usize,
    class_depth: usize,
    method_depth: usize,
    source_depth: usize,
    package: String,
    /// The open class's `sourcefilename` and its name without the package.
    class_source: String,
    class_name: String,
    method: Option<Function>,
    /// Methods of the package's classes by source file name, until the sourcefile comes.
    functions: HashMap<String, Vec<Function>>,
    source_name: String,
    detail: FileDetail,
    branch_count: u64,
    /// Report-level counters: type → (missed, covered).
    counters: BTreeMap<String, (u64, u64)>,
    /// What the `<line>` elements add up to, to compare with the LINE and BRANCH counters.
    lines: Counts,
    branches: Counts,
    files: u64,
    empty: u64,
    line_zero: u64,
}

impl Doc {
    fn open(&mut self, w: &Walker<'_>, e: &BytesStart<'_>) -> Result<(), ParseError> {
        match e.name().0 {
            "line" if self.source_depth > 0 && w.within(&["sourcefile"]) => self.line(w, e)?,
            "counter" if self.method_depth > 0 && w.within(&["method"]) => {
                let (kind, _, covered) = counter(w, e)?;
                if kind == "METHOD" {
                    if let Some(m) = self.method.as_mut() {
                        m.hits = covered;
                    }
                }
            }
            "counter" if w.tag_depth() == 2 => {
                let (kind, missed, covered) = counter(w, e)?;
                let c = self.counters.entry(kind).or_default();
                *c = (c.0.saturating_add(missed), c.1.saturating_add(covered));
            }
            "method" if self.class_depth > 0 && self.method_depth == 0 => {
                let (mut name, mut desc, mut line) = (String::new(), String::new(), 0);
                for a in e.attributes() {
                    let a = a.map_err(|err| w.attr_error(err))?;
                    match a.key.0 {
                        "name" => name = w.text(&a)?,
                        "desc" => desc = w.text(&a)?,
                        "line" => line = w.line_number(&a)?.unwrap_or(0),
                        _ => {}
                    }
                }
                self.method_depth = w.tag_depth();
                self.method = Some(Function { name: format!("{}.{name}{desc}", self.class_name), line, hits: 0 });
            }
            "class" if self.package_depth > 0 && self.class_depth == 0 => {
                self.class_depth = w.tag_depth();
                self.class_source.clear();
                self.class_name.clear();
                for a in e.attributes() {
                    let a = a.map_err(|err| w.attr_error(err))?;
                    match a.key.0 {
                        "sourcefilename" => self.class_source = w.text(&a)?,
                        "name" => {
                            let name = w.text(&a)?;
                            let simple = name.rsplit('/').next().unwrap_or(&name);
                            self.class_name.push_str(simple);
                        }
                        _ => {}
                    }
                }
            }
            "sourcefile" if self.package_depth > 0 && self.source_depth == 0 => {
                self.source_name = required(w, e, "name")?;
                self.source_depth = w.tag_depth();
                self.branch_count = 0;
                let d = &mut self.detail;
                d.clear();
                if !self.package.is_empty() {
                    d.path.push_str(&self.package);
                    d.path.push('/');
                }
                d.path.push_str(&self.source_name);
            }
            "package" if self.package_depth == 0 => {
                self.package = required(w, e, "name")?;
                self.package_depth = w.tag_depth();
                self.functions.clear();
            }
            _ => {}
        }
        Ok(())
    }

    fn line(&mut self, w: &Walker<'_>, e: &BytesStart<'_>) -> Result<(), ParseError> {
        let (mut nr, mut ci, mut mb, mut cb) = (None, 0, 0, 0);
        let mut seen = 0;
        for a in hot_attributes(e) {
            let a = a.map_err(|err| w.attr_error(err))?;
            let (bit, slot) = match a.key.0 {
                "nr" => {
                    w.once(&mut seen, 0, &a)?;
                    nr = Some(w.line_number(&a)?);
                    continue;
                }
                "mi" => (1, None),
                "ci" => (2, Some(&mut ci)),
                "mb" => (3, Some(&mut mb)),
                "cb" => (4, Some(&mut cb)),
                _ => continue,
            };
            w.once(&mut seen, bit, &a)?;
            let n = w.count(&a)?;
            if let Some(slot) = slot {
                *slot = n;
            }
        }
        let nr = nr.ok_or_else(|| w.fail("<line> without an nr attribute"))?;
        let Some(nr) = nr else {
            self.line_zero += 1;
            return Ok(());
        };
        self.detail.lines.push((nr, ci));
        self.lines.add(Counts::new(1, u64::from(ci > 0)));
        let total = mb.saturating_add(cb);
        if total > 0 {
            w.branch_budget(&mut self.branch_count, total)?;
            push_branches(&mut self.detail.branches, nr, 0, cb, total);
            self.branches.add(Counts::new(total, cb));
        }
        Ok(())
    }

    /// The element at depth `w.depth() + 1` has just ended.
    fn close(&mut self, w: &Walker<'_>, sink: &mut dyn Sink) {
        let depth = w.depth() + 1;
        if depth == self.method_depth {
            self.method_depth = 0;
            if let Some(m) = self.method.take() {
                if !self.class_source.is_empty() {
                    let list = self.functions.entry(self.class_source.clone()).or_default();
                    list.push(m);
                }
            }
        } else if depth == self.class_depth {
            self.class_depth = 0;
        } else if depth == self.source_depth {
            self.source_depth = 0;
            let d = &mut self.detail;
            if let Some(functions) = self.functions.remove(&self.source_name) {
                d.functions = functions;
            }
            d.has_branches = true;
            d.has_functions = true;
            if d.lines.is_empty() {
                self.empty += 1;
            } else {
                self.files += 1;
                sink.file(d);
            }
        } else if depth == self.package_depth {
            self.package_depth = 0;
        }
    }

    fn meta(&self) -> Meta {
        let mut meta = Meta::default();
        if self.files == 0 {
            meta.notes.push("the report lists no file with coverable lines (no <sourcefile> with lines)".into());
        }
        for (kind, &(missed, covered)) in &self.counters {
            let key = match kind.as_str() {
                "INSTRUCTION" => "instructions",
                "BRANCH" => "branches",
                "LINE" => "lines",
                "COMPLEXITY" => "complexity",
                "METHOD" => "methods",
                "CLASS" => "classes",
                _ => continue,
            };
            let total = missed.saturating_add(covered);
            meta.extra.insert(key.into(), json!({"covered": covered, "missed": missed, "total": total}));
        }
        for (kind, counted, what) in [("LINE", self.lines, "lines"), ("BRANCH", self.branches, "branches")] {
            let Some(&(missed, covered)) = self.counters.get(kind) else {
                continue;
            };
            let stated = Counts::new(missed.saturating_add(covered), covered);
            if stated != counted {
                meta.notes.push(format!(
                    "JaCoCo's report {kind} counter says {} of {} {what} covered, its <line> \
                     elements {} of {}",
                    stated.covered, stated.total, counted.covered, counted.total
                ));
            }
        }
        if self.empty > 0 {
            meta.notes.push(format!(
                "{} <sourcefile> element(s) with no <line> (interfaces, package-info) were left out",
                self.empty
            ));
        }
        if self.line_zero > 0 {
            meta.notes.push(format!("{} <line> element(s) with nr=\"0\" were skipped", self.line_zero));
        }
        meta
    }
}

/// A `counter` element: (type, missed, covered).
fn counter(w: &Walker<'_>, e: &BytesStart<'_>) -> Result<(String, u64, u64), ParseError> {
    let (mut kind, mut missed, mut covered) = (String::new(), 0, 0);
    for a in e.attributes() {
        let a = a.map_err(|err| w.attr_error(err))?;
        match a.key.0 {
            "type" => kind = w.text(&a)?,
            "missed" => missed = w.count(&a)?,
            "covered" => covered = w.count(&a)?,
            _ => {}
        }
    }
    Ok((kind, missed, covered))
}

/// The unescaped value of attribute `key`, which the element must have.
fn required(w: &Walker<'_>, e: &BytesStart<'_>, key: &str) -> Result<String, ParseError> {
    for a in e.attributes() {
        let a = a.map_err(|err| w.attr_error(err))?;
        if a.key.0 == key {
            return w.text(&a);
        }
    }
    Err(w.fail(format!("<{}> without a {key} attribute", e.name().0)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Coverage, CoverageBuilder, DetailSet};

    const GROUPS: &[u8] = include_bytes!("../../tests/fixtures/coverage/jacoco/groups.xml");

    fn read(bytes: &[u8]) -> Result<(Coverage, Meta), ParseError> {
        let input = Input::bytes("jacoco.xml", bytes.to_vec());
        let mut builder = CoverageBuilder::new();
        let meta = parse(&input, &mut builder)?;
        Ok((builder.finish(), meta))
    }

    /// A report with one sourcefile holding `line` (on line 3).
    fn one_line(line: &str) -> String {
        format!(
            "<report name=\"r\">\n<package name=\"p\"><sourcefile name=\"A.java\">\n{line}\n\
             </sourcefile></package></report>"
        )
    }

    #[test]
    fn nested_groups_lines_branches_functions_and_counters() {
        let (cov, meta) = read(GROUPS).unwrap();
        let paths: Vec<_> = cov.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["Main.java", "com/shop/cart/Cart.java"]);
        assert_eq!(cov.lines, Counts::new(8, 6));
        assert_eq!(cov.branches, Some(Counts::new(4, 3)));
        assert_eq!(cov.functions, Some(Counts::new(5, 4)));
        let cart = &cov.files[1];
        assert_eq!(cart.lines, Counts::new(6, 4));
        assert!(!cart.line_bits.as_ref().unwrap().is_covered(9));
        assert_eq!(cov.files[0].branches, Some(Counts::new(0, 0)));
        assert_eq!(meta.extra["instructions"], json!({"covered": 20, "missed": 6, "total": 26}));
        assert_eq!(meta.extra["methods"]["total"], json!(5));
        assert_eq!(meta.extra["complexity"]["missed"], json!(2));
        assert_eq!(meta.notes.len(), 1, "{:?}", meta.notes);
    }

    #[test]
    fn details_name_overloads_apart() {
        let input = Input::bytes("jacoco.xml", GROUPS.to_vec());
        let mut set = DetailSet::new();
        parse(&input, &mut set).unwrap();
        set.sort();
        let cart = &set.files[1];
        assert_eq!(cart.lines[1], (8, 5));
        assert_eq!(cart.branches.len(), 4);
        let mut names: Vec<_> = cart.functions.iter().map(|f| (f.name.as_str(), f.line, f.hits)).collect();
        names.sort();
        assert_eq!(
            names,
            [
                ("Cart$Item.total()I", 20, 1),
                ("Cart.<init>()V", 5, 1),
                ("Cart.add(I)V", 8, 1),
                ("Cart.add(Ljava/lang/String;)V", 15, 0)
            ]
        );
    }

    #[test]
    fn hostile_inputs_are_placed_errors() {
        let cases: Vec<(String, &str, Option<u64>)> = vec![
            // Truncated.
            (
                String::from_utf8_lossy(GROUPS).split("<sourcefile").next().unwrap().into(),
                "unexpected end of file inside <package>",
                Some(1),
            ),
            (String::from_utf8_lossy(&GROUPS[..GROUPS.len() / 2]).into_owned(), "malformed XML", Some(1)),
            (one_line("<line nr=\"3\" mi=0 ci=\"1\"/>"), "malformed attribute", Some(3)),
            (one_line("<line nr=\"3\" mi=\"0\" ci=\"lots\"/>"), "ci=\"lots\": not a count", Some(3)),
            (one_line("<line nr=\"3\" mi=\"0\" ci=\"1\" cb=\"-1\"/>"), "cannot be negative", Some(3)),
            (one_line("<line nr=\"3\" mi=\"0\" ci=\"1\" mb=\"99999999999\"/>"), "branches on one line", Some(3)),
            (
                format!(
                    "<!DOCTYPE report [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n{}",
                    one_line("").replace("A.java", "&e;")
                ),
                "&e;",
                Some(3),
            ),
            ("<coverage/>".into(), "not <report>: this is not a JaCoCo report", Some(1)),
            (String::new(), "no <report> element", None),
            (format!("<report>{}", "<group>".repeat(10_000)), "end of file inside <group>", Some(1)),
        ];
        for (xml, message, line) in cases {
            let err = read(xml.as_bytes()).unwrap_err();
            assert!(err.message.contains(message), "{err} ≠ {message}");
            assert_eq!(err.line, line, "{err}");
        }
        let mut bytes = one_line("<line nr=\"3\" mi=\"0\" ci=\"1\"/>").into_bytes();
        let at = bytes.windows(6).position(|w| w == b"A.java").unwrap();
        bytes[at] = 0xC3;
        let err = read(&bytes).unwrap_err();
        assert!(err.message.contains("not valid UTF-8"), "{err}");
        assert_eq!(err.line, Some(2));
    }

    #[test]
    fn what_is_not_an_error() {
        // An external DTD is never fetched; deep nesting is fine; absurd counts saturate.
        let xml = format!(
            "<!DOCTYPE report SYSTEM \"http://127.0.0.1:9/report.dtd\">\n{}",
            one_line("<line nr=\"3\" mi=\"0\" ci=\"99999999999999999999999\" mb=\"0\" cb=\"0\"/>")
        );
        let input = Input::bytes("jacoco.xml", xml.into_bytes());
        let mut set = DetailSet::new();
        parse(&input, &mut set).unwrap();
        assert_eq!(set.files[0].lines, vec![(3, u64::MAX)]);
        let deep = format!("<report>{}{}</report>", "<group>".repeat(10_000), "</group>".repeat(10_000));
        assert!(read(deep.as_bytes()).unwrap().0.files.is_empty());
    }
}
