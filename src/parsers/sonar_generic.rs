//! SonarQube's generic test coverage XML (`<coverage version="1"><file path><lineToCover
//! lineNumber covered branchesToCover coveredBranches/></file></coverage>`), as gcovr
//! (`--sonarqube`), slather, Go and Swift converters write it.
//!
//! Each `<file>` is one file, named by its `path`. Each `<lineToCover>` is one line, covered
//! when it says `covered="true"`; its `branchesToCover` and `coveredBranches` add that many
//! branch outcomes (an absent `coveredBranches` is 0; more covered than to cover is an error, as
//! SonarQube makes it). Any element but `<file>` in `<coverage>` and `<lineToCover>` in `<file>`
//! is an error, as SonarQube's "Unknown XML node" is. A line number given twice in a file is
//! how gcovr writes a line of a C++ template once per instance: it counts once per entry, as
//! `gcovr --print-summary` counts it (no other producer writes one twice), and its per-line
//! data is the union of its entries. A `<file>` without lines adds nothing. Nothing in the
//! format counts functions.
//!
//! Detection tells it from Cobertura, whose root is also `<coverage>`: here the root's only
//! attribute is `version` and its first child is `<file>`.

use quick_xml::events::{BytesStart, Event};

use crate::input::Source;
use crate::model::{Counts, FileDetail, Sink, SummaryTotals};
use crate::parsers::Meta;
use crate::parsers::ParseError;
use crate::parsers::xml::Root;
use crate::parsers::xml_walk::{Walker, push_branches};

/// Whether an XML root is SonarQube's generic coverage: `<coverage version="1">` holding
/// `<file>` elements (Cobertura's root has `line-rate`, its children are `<sources>` and
/// `<packages>`).
pub fn looks_like(root: &Root) -> bool {
    root.name == "coverage"
        && root.attrs.contains("version=")
        && !root.attrs.contains("line-rate")
        && !root.attrs.contains("lines-valid")
        && !root.attrs.contains("clover")
        && matches!(root.next_child.as_deref(), Some("file") | None)
}

/// Reads `input` into `sink`.
pub fn parse(input: &Source, sink: &mut dyn Sink) -> Result<Meta, ParseError> {
    let mut w = Walker::new(input, "coverage", "SonarQube generic coverage")?;
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
    if !doc.root_seen {
        return Err(ParseError::whole("no <coverage> root element"));
    }
    Ok(doc.meta())
}

#[derive(Default)]
struct Doc {
    root_seen: bool,
    file_depth: usize,
    detail: FileDetail,
    /// The open file's entries, and those covered.
    entries: Counts,
    branch_count: u64,
    files: u64,
    empty: u64,
    line_zero: u64,
}

impl Doc {
    fn open(&mut self, w: &Walker<'_>, e: &BytesStart<'_>) -> Result<(), ParseError> {
        match e.name().0 {
            "coverage" if w.tag_depth() == 1 => {
                self.root_seen = true;
                for a in e.attributes() {
                    let a = a.map_err(|err| w.attr_error(err))?;
                    if a.key.0 == "version" && a.value.trim() != "1" {
                        return Err(w.fail(format!(
                            "version=\"{}\": temis reads SonarQube's generic coverage version 1",
                            a.value.trim()
                        )));
                    }
                }
            }
            "file" if self.file_depth == 0 && w.tag_depth() == 2 => {
                let mut path = String::new();
                for a in e.attributes() {
                    let a = a.map_err(|err| w.attr_error(err))?;
                    if a.key.0 == "path" {
                        path = w.text(&a)?;
                    }
                }
                if path.trim().is_empty() {
                    return Err(w.fail("<file> without a path attribute"));
                }
                self.file_depth = w.tag_depth();
                self.detail.clear();
                self.detail.path = path;
                self.branch_count = 0;
                self.entries = Counts::default();
            }
            "lineToCover" if self.file_depth > 0 && w.tag_depth() == 3 && w.within(&["file"]) => self.line(w, e)?,
            other => {
                let expected = match w.tag_depth() {
                    2 => "<file> in <coverage>",
                    3 => "<lineToCover> in <file>",
                    _ => "nothing in <lineToCover>",
                };
                return Err(w.fail(format!(
                    "unknown element <{other}>: SonarQube's generic coverage has {expected} (SonarQube refuses \
                     the report: \"Unknown XML node\")"
                )));
            }
        }
        Ok(())
    }

    fn line(&mut self, w: &Walker<'_>, e: &BytesStart<'_>) -> Result<(), ParseError> {
        let (mut number, mut covered, mut branches, mut taken) = (None, None, 0, 0);
        let mut seen = 0;
        for a in e.attributes() {
            let a = a.map_err(|err| w.attr_error(err))?;
            match a.key.0 {
                "lineNumber" => {
                    w.once(&mut seen, 0, &a)?;
                    number = Some(w.line_number(&a)?);
                }
                "covered" => {
                    w.once(&mut seen, 1, &a)?;
                    covered = Some(match a.value.trim() {
                        "true" => true,
                        "false" => false,
                        other => return Err(w.fail(format!("covered=\"{other}\" is neither true nor false"))),
                    });
                }
                "branchesToCover" => {
                    w.once(&mut seen, 2, &a)?;
                    branches = w.count(&a)?;
                }
                "coveredBranches" => {
                    w.once(&mut seen, 3, &a)?;
                    taken = w.count(&a)?;
                }
                _ => {}
            }
        }
        let number = number.ok_or_else(|| w.fail("<lineToCover> without a lineNumber attribute"))?;
        let covered = covered.ok_or_else(|| w.fail("<lineToCover> without a covered attribute"))?;
        let Some(line) = number else {
            self.line_zero += 1;
            return Ok(());
        };
        let d = &mut self.detail;
        d.lines.push((line, u64::from(covered)));
        self.entries.add(Counts::new(1, u64::from(covered)));
        if taken > branches {
            return Err(w.fail(format!(
                "coveredBranches=\"{taken}\" is above branchesToCover=\"{branches}\" (SonarQube refuses it: \
                 \"coveredBranches should not be greater than branchesToCover\")"
            )));
        }
        if branches > 0 {
            w.branch_budget(&mut self.branch_count, branches)?;
            // A line given twice adds its branches again, as SonarQube sums them: each entry
            // is a block of its own.
            let block = d.branches.iter().filter(|b| b.line == line && b.branch == 0).count() as u32;
            push_branches(&mut d.branches, line, block, taken, branches);
            d.has_branches = true;
        }
        Ok(())
    }

    fn close(&mut self, w: &Walker<'_>, sink: &mut dyn Sink) {
        if w.depth() + 1 != self.file_depth {
            return;
        }
        self.file_depth = 0;
        let d = &mut self.detail;
        if d.lines.is_empty() {
            self.empty += 1;
            return;
        }
        self.files += 1;
        d.summary = Some(SummaryTotals { lines: Some(self.entries), branches: None, functions: None });
        sink.file(d);
    }

    fn meta(&self) -> Meta {
        let mut meta = Meta::default();
        if self.files == 0 {
            meta.notes.push("the report lists no file with lines to cover (no <file> with <lineToCover>)".into());
        }
        if self.empty > 0 {
            meta.notes.push(format!("{} <file> element(s) with no <lineToCover> add nothing", self.empty));
        }
        if self.line_zero > 0 {
            meta.notes.push(format!("{} <lineToCover> element(s) with lineNumber=\"0\" were skipped", self.line_zero));
        }
        meta
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Coverage, CoverageBuilder};

    fn read(bytes: &[u8]) -> Result<(Coverage, Meta), ParseError> {
        let mut b = CoverageBuilder::new();
        let meta = parse(&Source::bytes("sonar.xml", bytes), &mut b)?;
        Ok((b.finish(), meta))
    }

    /// gcovr 8.8's `--sonarqube` output of a C++ template instantiated three times
    /// (tests/fixtures/coverage/gcovr/README.md): `--print-summary` said lines 28 of 33,
    /// branches 11 of 24.
    #[test]
    fn gcovr_output_reads_as_gcovr_prints_it() {
        let (c, meta) = read(include_bytes!("../../tests/fixtures/coverage/gcovr/sonarqube.xml")).unwrap();
        assert_eq!(c.lines, Counts::new(33, 28));
        assert_eq!(c.branches, Some(Counts::new(24, 11)));
        assert_eq!(c.functions, None);
        assert!(meta.notes.is_empty(), "{:?}", meta.notes);
    }

    #[test]
    fn a_line_given_twice_counts_per_entry_and_its_branches_add_up() {
        let xml = br#"<coverage version="1"><file path="a.c"><lineToCover lineNumber="3" covered="false" branchesToCover="2" coveredBranches="1"/><lineToCover lineNumber="3" covered="true" branchesToCover="2"/><lineToCover lineNumber="4" covered="false"/></file><file path="empty.c"/></coverage>"#;
        let (c, meta) = read(xml).unwrap();
        assert_eq!(c.lines, Counts::new(3, 1));
        assert!(c.files[0].line_bits.as_ref().unwrap().is_covered(3));
        assert_eq!(c.branches, Some(Counts::new(4, 1)));
        assert!(meta.notes.iter().any(|n| n.contains("1 <file> element(s) with no <lineToCover>")));
    }

    #[test]
    fn malformed_entries_are_placed_errors() {
        for (xml, what) in [
            (
                r#"<coverage version="1"><file path="a"><lineToCover covered="true"/></file></coverage>"#,
                "without a lineNumber",
            ),
            (
                r#"<coverage version="1"><file path="a"><lineToCover lineNumber="1" covered="yes"/></file></coverage>"#,
                "neither true nor false",
            ),
            (
                r#"<coverage version="1"><file><lineToCover lineNumber="1" covered="true"/></file></coverage>"#,
                "without a path",
            ),
            (r#"<coverage version="2"><file path="a"/></coverage>"#, "version 1"),
        ] {
            let e = read(xml.as_bytes()).expect_err(what).to_string();
            assert!(e.contains(what), "{e}");
        }
    }

    #[test]
    fn more_covered_branches_than_to_cover_is_an_error() {
        let e = read(
            br#"<coverage version="1"><file path="a.c"><lineToCover lineNumber="1" covered="true"
            branchesToCover="2" coveredBranches="5"/></file></coverage>"#,
        )
        .unwrap_err();
        assert!(e.to_string().contains("coveredBranches=\"5\" is above branchesToCover=\"2\""), "{e}");
    }

    #[test]
    fn unknown_elements_are_errors_as_sonarqube_makes_them() {
        for (xml, says) in [
            (
                &br#"<coverage version="1"><file path="a.c"><lineToCover lineNumber="2" covered="true"/><foo>
                <lineToCover lineNumber="3" covered="false"/></foo></file></coverage>"#[..],
                "unknown element <foo>",
            ),
            (
                br#"<coverage version="1"><file path="a.c"><file path="b.c"><lineToCover lineNumber="1"
                covered="false"/></file><lineToCover lineNumber="2" covered="true"/></file></coverage>"#,
                "unknown element <file>",
            ),
            (br#"<coverage version="1"><files/><file path="a.c"/></coverage>"#, "unknown element <files>"),
        ] {
            let e = read(xml).err().unwrap_or_else(|| panic!("{says}: read")).to_string();
            assert!(e.contains(says) && e.contains("Unknown XML node"), "{e}");
        }
    }
}
