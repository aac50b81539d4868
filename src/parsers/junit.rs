//! JUnit XML test results: pytest, jest-junit, vitest, Maven Surefire, Gradle, cargo-nextest,
//! go-junit-report, gotestsum, Ant `<junitreport>`, mocha-junit-reporter, tap-junit…
//!
//! The totals are the `<testcase>` elements counted, never the `tests=`/`failures=` attributes:
//! pytest 9 adds its subtests to `tests=` without writing an element for them, and producers
//! disagree on whether `tests=` includes skipped tests. A test case's outcome comes from its
//! direct children: `<failure>` (which wins over `<error>`), then `<error>`, then `<skipped>`
//! (pytest writes xfail so). The rerun elements of Surefire, Gradle and nextest decide flakiness:
//! `<flakyFailure>`/`<flakyError>` (or `<rerunFailure>`/`<rerunError>`) without a final
//! `<failure>`/`<error>` is a test that passed on a rerun; with one, the test failed.
//!
//! The reader streams with one reused buffer and keeps only the test cases that did not pass.
//! No DTD is read, let alone fetched; a reference to any entity but the five XML ones is an
//! error, as are a truncated file, invalid UTF-8, a root other than `<testsuites>` or
//! `<testsuite>`, and nesting deeper than [`MAX_DEPTH`]. Every error carries a line and column.

use quick_xml::events::{BytesStart, Event};

use crate::input::Source;
use crate::model::TestRun;
use crate::parsers::ParseError;
use crate::parsers::xml::{self, Root};

mod case;
mod checks;

use case::{Case, Verdict};
use checks::{Malformed, check_attributes, read_error, resolve_reference};

/// How deep elements may nest. Real reports nest a handful of levels; this bounds the memory a
/// hostile file can make the reader hold.
pub const MAX_DEPTH: usize = 256;

/// Whether a document with this root is a JUnit XML report.
pub fn looks_like_junit(root: &Root) -> bool {
    matches!(root.name.as_str(), "testsuites" | "testsuite")
}

/// Reads a JUnit XML report.
pub fn parse(input: &Source) -> Result<TestRun, ParseError> {
    let mut reader = xml::reader(input)?;
    // Untrimmed text keeps every event starting where the previous one ended, so the position
    // before an event is its first byte (the `<` of a tag, the `&` of a reference).
    reader.config_mut().trim_text(false);
    let mut buf = Vec::new();
    let mut state = State::default();
    loop {
        let at = reader.buffer_position();
        let event = match reader.read_event_into(&mut buf) {
            Ok(event) => event,
            Err(err) => return Err(read_error(input, &reader, &err)),
        };
        let step = match event {
            Event::Start(e) => state.open(&e, false),
            Event::Empty(e) => state.open(&e, true),
            Event::End(_) => {
                state.close();
                Ok(())
            }
            Event::Text(t) => state.text(&t.xml10_content()),
            Event::CData(t) => state.text(&t.xml10_content()),
            Event::GeneralRef(r) => match resolve_reference(&r) {
                Ok(c) => state.text(c.encode_utf8(&mut [0; 4])),
                Err(message) => Err(message),
            },
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => Ok(()),
        };
        step.map_err(|e| xml::error_at(input, at, e.to_string()))?;
        buf.clear();
    }
    state.finish(input, reader.buffer_position())
}

/// Where the reader is in the document.
#[derive(Default, PartialEq, Eq)]
enum Stage {
    /// Before the root element (declaration, DOCTYPE, comments).
    #[default]
    Prolog,
    /// Inside the root element.
    Report,
    /// After the root element closed.
    Epilog,
}

/// The names of the open elements, outermost first, in one reused string.
#[derive(Default)]
struct Stack {
    names: String,
    starts: Vec<usize>,
}

impl Stack {
    fn len(&self) -> usize {
        self.starts.len()
    }

    fn push(&mut self, name: &str) {
        self.starts.push(self.names.len());
        self.names.push_str(name);
    }

    fn pop(&mut self) {
        if let Some(start) = self.starts.pop() {
            self.names.truncate(start);
        }
    }

    fn get(&self, index: usize) -> Option<&str> {
        let start = *self.starts.get(index)?;
        let end = self.starts.get(index + 1).copied().unwrap_or(self.names.len());
        self.names.get(start..end)
    }

    fn last(&self) -> Option<&str> {
        self.get(self.len().checked_sub(1)?)
    }
}

/// An open `<testsuite>`.
struct Suite {
    name: String,
    file: Option<String>,
}

#[derive(Default)]
struct State {
    run: TestRun,
    stage: Stage,
    open: Stack,
    suites: Vec<Suite>,
    case: Option<Case>,
    /// The `tests=` figure the report states, for a note when it is not the count.
    stated: Stated,
}

#[derive(Default)]
struct Stated {
    root: Option<u64>,
    suites: Option<u64>,
    unreadable: bool,
}

impl State {
    fn open(&mut self, e: &BytesStart<'_>, empty: bool) -> Result<(), Malformed> {
        let name = e.local_name();
        let name = name.as_ref();
        check_attributes(e)?;
        match self.stage {
            Stage::Prolog if matches!(name, "testsuites" | "testsuite") => {
                self.stage = Stage::Report;
                self.stated.root = self.stated_tests(e);
            }
            Stage::Prolog => return Err(Malformed::Root(name.to_string())),
            Stage::Epilog => return Err(Malformed::AfterRoot(name.to_string())),
            Stage::Report => {}
        }
        if self.open.len() >= MAX_DEPTH {
            return Err(Malformed::TooDeep(MAX_DEPTH));
        }
        let depth = self.open.len();
        if let Some(case) = self.case.as_mut() {
            if matches!(name, "testcase" | "testsuite") {
                return Err(Malformed::InsideCase(name.to_string()));
            }
            case.child(e, name, depth, empty)?;
        } else if name == "testsuite" {
            if depth == 1 && self.open.get(0) == Some("testsuites") {
                let tests = self.stated_tests(e).unwrap_or(0);
                let sum = self.stated.suites.unwrap_or(0).saturating_add(tests);
                self.stated.suites = Some(sum);
            }
            self.suites.push(Suite { name: attr(e, "name")?.unwrap_or_default(), file: attr(e, "file")? });
            if empty {
                self.suites.pop();
            }
        } else if name == "testcase" {
            let case = Case::open(e, depth)?;
            if empty {
                self.finish_case(case);
            } else {
                self.case = Some(case);
            }
        }
        if empty {
            if self.open.len() == 0 {
                self.stage = Stage::Epilog;
            }
        } else {
            self.open.push(name);
        }
        Ok(())
    }

    fn close(&mut self) {
        // quick-xml checks that end tags match, so the innermost open element is this one.
        let suite = self.open.last() == Some("testsuite");
        self.open.pop();
        let depth = self.open.len();
        match self.case.as_mut() {
            Some(case) if case.depth == depth => {
                if let Some(case) = self.case.take() {
                    self.finish_case(case);
                }
            }
            Some(case) => case.close(depth),
            None if suite => {
                self.suites.pop();
            }
            None => {}
        }
        if self.open.len() == 0 {
            self.stage = Stage::Epilog;
        }
    }

    fn text(&mut self, text: &str) -> Result<(), Malformed> {
        if self.stage != Stage::Report {
            if text.trim().is_empty() {
                return Ok(());
            }
            return Err(Malformed::TextOutsideRoot);
        }
        if let Some(case) = self.case.as_mut() {
            case.text(text, &self.open);
        }
        Ok(())
    }

    fn finish_case(&mut self, case: Case) {
        let suites = &self.suites;
        let verdict =
            case.verdict(suites.last().map(|s| s.name.as_str()), || suites.iter().rev().find_map(|s| s.file.clone()));
        match verdict {
            Verdict::Passed => self.run.record_pass(),
            Verdict::Flaky(c) => self.run.record_flaky(c),
            Verdict::NotPassed(c) => self.run.record(c),
        }
    }

    fn stated_tests(&mut self, e: &BytesStart<'_>) -> Option<u64> {
        let raw = xml::raw_attr(e, "tests")?;
        let n = raw.trim().parse::<u64>().ok();
        self.stated.unreadable |= n.is_none();
        n
    }

    fn finish(mut self, input: &Source, end: u64) -> Result<TestRun, ParseError> {
        if let Some(name) = self.open.last() {
            return Err(xml::error_at(input, end, format!("the file ends inside <{name}>: the report is truncated")));
        }
        if self.stage == Stage::Prolog {
            return Err(ParseError::whole(
                "no XML element: not a JUnit XML report (expected <testsuites> or <testsuite>)",
            ));
        }
        let stated = self.stated.root.or(self.stated.suites);
        let total = self.run.totals.total;
        if let Some(stated) = stated.filter(|&s| s != total && !self.stated.unreadable) {
            self.run.notes.push(format!(
                "the report states tests=\"{stated}\" but holds {total} <testcase> element(s); \
                 temis counts the elements (pytest 9, for one, adds its subtests to tests=)"
            ));
        }
        Ok(self.run)
    }
}

/// An attribute's unescaped value.
fn attr(e: &BytesStart<'_>, key: &str) -> Result<Option<String>, Malformed> {
    Ok(xml::attr(e, key)?.map(|v| v.into_owned()))
}

#[cfg(test)]
mod hostile_tests;
#[cfg(test)]
mod tests;
