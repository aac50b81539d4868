//! JUnit XML test results: pytest, jest-junit, vitest, Maven Surefire, Gradle, cargo-nextest,
//! go-junit-report, gotestsum, Ant `<junitreport>`, mocha-junit-reporter, tap-junit…
//!
//! The totals are the `<testcase>` elements counted, never the `tests=`/`failures=` attributes:
//! pytest 9 adds its subtests to `tests=` without writing an element for them, and producers
//! disagree on whether `tests=` includes skipped tests — except that `failures=` plus `errors=`
//! above 0 with no blocking test listed at all block, as one error outside tests; an `<error>`
//! or `<failure>` right in a suite is such an error too. A test case's outcome comes from its
//! direct children: `<failure>` (which wins over `<error>`), then `<error>`, then `<skipped>`
//! (pytest writes xfail so). The rerun elements of Surefire, Gradle and nextest decide flakiness:
//! `<flakyFailure>`/`<flakyError>` (or `<rerunFailure>`/`<rerunError>`) without a final
//! `<failure>`/`<error>` is a test that passed on a rerun; with one, the test failed.
//!
//! The reader streams with one reused buffer and keeps only the test cases that did not pass.
//! A passing `<testcase … />` written in the plainest form, nearly every element of a large
//! report, is counted straight from the read buffer (`plain_passing_case`); quick-xml reads the rest.
//! No DTD is read, let alone fetched; a reference to any entity but the five XML ones is an
//! error, as are a truncated file, invalid UTF-8, a root other than `<testsuites>` or
//! `<testsuite>`, and nesting deeper than [`MAX_DEPTH`]. Every error carries a line and column.

use std::borrow::Cow;

use compact_str::CompactString;
use quick_xml::events::{BytesStart, Event};

use crate::input::Source;
use crate::model::{Outcome, TestCase, TestRun, first_line};
use crate::parsers::ParseError;
use crate::parsers::xml::{self, Root};
use crate::parsers::xml_walk::{Tuning, hot_run, plain_tag};

mod case;
mod checks;

use case::{Case, Verdict};
use checks::{Malformed, attributes, resolve_reference};

/// A suite's (or the root's) `failures=` and `errors=` added up; `None` when neither is there (or
/// either is blank). A value that is not a count is an error: read as none, it approved a report
/// that said tests failed.
fn failed(values: &[Option<Cow<'_, str>>; 7]) -> Result<Option<u64>, Malformed> {
    let count = |key: &'static str, v: &Option<Cow<'_, str>>| match v.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => v.parse::<u64>().map(Some).map_err(|_| Malformed::Counter { key, value: v.to_string() }),
    };
    Ok(match (count("failures", &values[3])?, count("errors", &values[4])?) {
        (None, None) => None,
        (a, b) => Some(a.unwrap_or(0).saturating_add(b.unwrap_or(0))),
    })
}

/// How deep elements may nest. Real reports nest a handful of levels; this bounds the memory a
/// hostile file can make the reader hold.
pub const MAX_DEPTH: usize = 256;

/// Whether a document with this root is a JUnit XML report.
pub fn looks_like_junit(root: &Root) -> bool {
    matches!(root.name.as_str(), "testsuites" | "testsuite")
}

/// Reads a JUnit XML report. A large one whose root is `<testsuites>` is read in pieces, one per
/// thread, cut before its `<testsuite>`s: each piece must read cleanly to where the next one
/// starts, standing in the root alone; when any does not (a suite nested in a suite, a cut inside
/// a comment or a CDATA section, any error), the report is read in one walk, which gives every
/// result and every error exactly.
pub fn parse(input: &Source) -> Result<TestRun, ParseError> {
    parse_tuned(input, Tuning::default())
}

/// Whether the JUnit report opening with `head` is the one `temis ci` writes of its own checks
/// (`<testsuites name="temis">`, one suite `temis gate`, `temis gate (phase N)` for a phase): read
/// as the project's tests, a gate over
/// a folder it had written to judged temis's checks as tests.
pub fn is_temis_checks(head: &[u8]) -> bool {
    xml::root_element(head).is_some_and(|r| {
        r.name == "testsuites" && r.attrs.contains("name=\"temis\"") && r.next_child.as_deref() == Some("testsuite")
    }) && memchr::memmem::find(head, b"<testsuite name=\"temis gate").is_some()
}

/// [`parse`], reading as `tuning` says (tests vary it: every way reads the same).
fn parse_tuned(input: &Source, tuning: Tuning) -> Result<TestRun, ParseError> {
    let playwright = by_playwright(input.head());
    let (state, end) = match in_pieces(input, tuning, playwright) {
        Some(state) => (state, input.len()),
        None => {
            let reader = xml::reader_with_capacity(input, tuning.capacity)?;
            walk(input, reader, State { playwright, ..State::default() }, 0, tuning.hot)?
        }
    };
    if !state.may_hold_reruns() {
        return state.finish(input, end);
    }
    // Read again, every case by its name (the fast path counts passes without one).
    let reader = xml::reader_with_capacity(input, tuning.capacity)?;
    let again = State { tries: Some(std::collections::HashMap::new()), playwright, ..State::default() };
    let (state, end) = walk(input, reader, again, 0, false)?;
    state.finish(input, end)
}

type XmlReader<'a> = quick_xml::Reader<std::io::BufReader<Box<dyn std::io::Read + 'a>>>;

/// Reads the events of `reader` (bytes of `input` from `base` on) into `state`; gives it back
/// with the offset where the reader stopped. With `hot`, the passing test cases written in the
/// plainest form ([`plain_passing_case`]) are counted straight from the read buffer, between
/// events, without quick-xml's work on each ([`hot_run`]).
fn walk(
    input: &Source,
    mut reader: XmlReader<'_>,
    mut state: State,
    base: u64,
    hot: bool,
) -> Result<(State, u64), ParseError> {
    // Untrimmed text keeps every event starting where the previous one ended, so the position
    // before an event is its first byte (the `<` of a tag, the `&` of a reference).
    reader.config_mut().trim_text(false);
    let mut buf = Vec::new();
    // Bytes read by the hot path, which quick-xml's positions miss.
    let mut skipped = 0;
    // Whether quick-xml stands in text, its next bytes unread (not after text: it has then
    // seen the `<` that follows).
    let mut in_text = false;
    loop {
        if hot && in_text && state.takes_a_case() {
            let before = state.hot_cases;
            let at_root = state.open.len() == 1;
            let (run, hot_cases) = (&mut state.run, &mut state.hot_cases);
            skipped += hot_run(reader.get_mut(), b"<testcase", |rest| {
                let used = plain_passing_case(rest)?;
                run.record_pass();
                *hot_cases += 1;
                Some(used)
            });
            if at_root && state.hot_cases > before {
                state.case_at_root();
            }
        }
        let at = base + skipped + reader.buffer_position();
        let event = match reader.read_event_into(&mut buf) {
            Ok(event) => event,
            Err(err) => {
                // Invalid UTF-8 is placed at its first bad byte.
                return Err(xml::syntax_error(input, skipped + xml::error_offset(&reader, &err), &err));
            }
        };
        in_text = !matches!(event, Event::Text(_) | Event::Eof);
        let step = match event {
            Event::Start(e) => state.open(&e, false),
            Event::Empty(e) => state.open(&e, true),
            Event::End(e) => state.close(e.name().as_ref()),
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
    Ok((state, base + skipped + reader.buffer_position()))
}

/// Whether Playwright's JUnit reporter wrote the report: its root is `<testsuites id=… name=…
/// tests=… failures=… skipped=… errors=… time=…>`, those attributes in that order.
fn by_playwright(head: &[u8]) -> bool {
    const ORDER: [&str; 7] = ["id", "name", "tests", "failures", "skipped", "errors", "time"];
    let Some(root) = xml::root_element(head).filter(|r| r.name == "testsuites") else { return false };
    let names: Result<Vec<String>, _> = quick_xml::events::attributes::Attributes::new(&root.attrs, 0)
        .map(|a| a.map(|a| a.key.into_inner().to_string()))
        .collect();
    names.is_ok_and(|n| n == ORDER)
}

/// The length of a `<testcase` element, from just after its name, when it is written in the
/// plainest form ([`plain_tag`]) and has no child: a test case that passed, only counted. The
/// general path would read such a tag alike (its attributes hold nothing to refuse); `None`
/// leaves any other form to it, and a GoogleTest case that is not `status="run"
/// result="completed"` (a disabled test, `status="notrun"`, did not run: [`case::Case`] decides).
fn plain_passing_case(rest: &[u8]) -> Option<usize> {
    let tag = plain_tag(rest, [b"status", b"result", b"name"], false)?;
    match tag.values {
        // A case without a name is no plain pass ([`case::Case::unnamed`]).
        [None | Some(b"run"), None | Some(b"completed"), Some(_)] => Some(tag.used),
        _ => None,
    }
}

/// The report read in pieces on threads of their own, folded in order; `None` when it is small,
/// not cut, or any piece does not read cleanly (the caller then reads it in one walk).
fn in_pieces(input: &Source, tuning: Tuning, playwright: bool) -> Option<State> {
    let root = xml::root_element(input.head()).filter(|r| r.name == "testsuites")?;
    let cuts = super::xml_walk::cut_points(input, b"<testsuite");
    let end = *cuts.last()?;
    let states = input.in_pieces(&cuts, |piece| {
        let mut state = State { playwright, ..State::default() };
        let mut reader = xml::range_reader(input, (piece.from, piece.to), tuning.capacity);
        if piece.index > 0 {
            // Inside the root, opened before the piece: end tags are checked by the reader's
            // stack ([`State::close`]), since quick-xml's knows nothing of it.
            state.stage = Stage::Report;
            state.open.push(&root.qname);
            let config = reader.config_mut();
            config.check_end_names = false;
            config.allow_unmatched_ends = true;
        }
        let (state, at) = walk(input, reader, state, piece.from, tuning.hot).ok()?;
        let clean = if piece.to == end {
            state.open.len() == 0
        } else {
            at == piece.to && state.open.len() == 1 && state.case.is_none() && state.suites.is_empty()
        };
        clean.then_some(state)
    });
    let mut states = states.into_iter().map(Option::flatten).collect::<Option<Vec<State>>>()?.into_iter();
    let mut whole = states.next()?;
    for piece in states {
        whole.run.absorb(piece.run);
        whole.stated.suites = match (whole.stated.suites, piece.stated.suites) {
            (Some(a), Some(b)) => Some(a.saturating_add(b)),
            (a, b) => a.or(b),
        };
        whole.stated.failed_suites = match (whole.stated.failed_suites, piece.stated.failed_suites) {
            (Some(a), Some(b)) => Some(a.saturating_add(b)),
            (a, b) => a.or(b),
        };
        whole.stated.unreadable |= piece.stated.unreadable;
        whole.unnamed += piece.unnamed;
        whole.pytest |= piece.pytest;
        whole.stated.suites_unknown |= piece.stated.suites_unknown;
        whole.open = piece.open;
        whole.stage = piece.stage;
    }
    Some(whole)
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

/// The local part of an element's name as written (`testcase` of `x:testcase`).
fn local(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, local)| local)
}

/// The names of the open elements as written (prefix included), outermost first, in one reused
/// string.
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
    name: CompactString,
    file: Option<CompactString>,
}

#[derive(Default)]
struct State {
    run: TestRun,
    /// Playwright wrote the report ([`by_playwright`]): a bare `<skipped>` is a test it did not run.
    playwright: bool,
    stage: Stage,
    open: Stack,
    suites: Vec<Suite>,
    case: Option<Case>,
    /// The last test case read, kept so that the next one reuses its strings' memory.
    spare: Case,
    /// The `tests=` figure the report states, for a note when it is not the count.
    stated: Stated,
    /// How many test cases the hot path counted (tests show that it reads what producers write).
    hot_cases: u64,
    /// Test cases without a name ([`Case::unnamed`]): the run was cut short.
    unnamed: u64,
    /// A suite named `pytest` (pytest's own name for its suite).
    pytest: bool,
    /// Each test's tries, by (classname, name), when the report is read again for them
    /// ([`State::may_hold_reruns`]).
    tries: Option<std::collections::HashMap<(CompactString, CompactString), Tries>>,
}

/// How often a test (classname, name) was written, how many of those passed, and whether the
/// last one did.
#[derive(Default)]
struct Tries {
    count: u64,
    passed: u64,
    last_passed: bool,
}

#[derive(Default)]
struct Stated {
    root: Option<u64>,
    suites: Option<u64>,
    unreadable: bool,
    /// The root's `failures=` and `errors=` added up, and the top-level suites' (when none is
    /// readable, `None`): a report whose counters say tests failed but that lists none blocks.
    failed_root: Option<u64>,
    failed_suites: Option<u64>,
    /// The root's `skipped=`.
    skipped_root: Option<u64>,
    /// A top-level suite without `tests=`: `suites` is then not the suites' count.
    suites_unknown: bool,
}

impl State {
    fn open(&mut self, e: &BytesStart<'_>, empty: bool) -> Result<(), Malformed> {
        let qname = e.name();
        let name = e.local_name();
        let name = name.as_ref();
        // Every attribute is checked, and those the reader needs are kept, in one pass.
        let keys = match name {
            "testcase" => Case::KEYS,
            "testsuites" | "testsuite" => ["name", "file", "tests", "failures", "errors", "skipped", ""],
            _ => Case::CHILD_KEYS,
        };
        let values = attributes(e, keys)?;
        match self.stage {
            Stage::Prolog if matches!(name, "testsuites" | "testsuite") => {
                self.stage = Stage::Report;
                self.stated.root = self.stated_tests(values[2].as_deref());
                self.stated.failed_root = failed(&values)?;
                self.stated.skipped_root = values[5].as_deref().and_then(|v| v.trim().parse().ok());
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
            case.child(&values, name, depth, empty);
        } else if name == "testsuite" {
            if depth == 1 && self.open.get(0).map(local) == Some("testsuites") {
                self.stated.suites_unknown |= values[2].is_none();
                let tests = self.stated_tests(values[2].as_deref()).unwrap_or(0);
                let sum = self.stated.suites.unwrap_or(0).saturating_add(tests);
                self.stated.suites = Some(sum);
                if let Some(n) = failed(&values)? {
                    self.stated.failed_suites = Some(self.stated.failed_suites.unwrap_or(0).saturating_add(n));
                }
            }
            let [name, file, ..] = values;
            self.pytest |= name.as_deref() == Some("pytest");
            self.suites.push(Suite {
                name: name.as_deref().unwrap_or_default().into(),
                file: file.as_deref().map(Into::into),
            });
            if empty {
                self.suites.pop();
            }
        } else if matches!(name, "error" | "failure")
            && matches!(self.open.last().map(local), Some("testsuite" | "testsuites"))
        {
            // Outside any test case, right in a suite (pytest's error collecting a module, a
            // suite's setup that failed): an error outside the tests, which blocks.
            let mut c = TestCase::new(format!("<{name}> outside any test case"), Outcome::Error);
            c.suite = self.suites.last().map(|s| s.name.clone()).unwrap_or_default();
            let [message, kind, ..] = &values;
            c.message = [message, kind].into_iter().find_map(|v| v.as_deref().and_then(first_line));
            self.run.record_outside(c);
        } else if name == "testcase" {
            if depth == 1 {
                self.case_at_root();
            }
            let mut case = std::mem::take(&mut self.spare);
            case.open(values, depth);
            case.playwright = self.playwright;
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
            self.open.push(qname.as_ref());
        }
        Ok(())
    }

    /// An end tag, `name` as written: quick-xml checks that end tags match, except in a piece
    /// that starts inside the root, so the stack of names as written is checked here too.
    fn close(&mut self, name: &str) -> Result<(), Malformed> {
        if self.open.last() != Some(name) {
            return Err(Malformed::UnmatchedEnd(name.to_string()));
        }
        let suite = local(name) == "testsuite";
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
        Ok(())
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

    /// pytest's report with more test cases than its `tests=`: pytest-rerunfailures writes each
    /// try of a rerun test as a `<testcase>` of the same name, the failed tries without their
    /// failure. Rare: the report is then read again for the names.
    fn may_hold_reruns(&self) -> bool {
        let stated = self.stated.root.or(self.stated.suites.filter(|_| !self.stated.suites_unknown));
        self.pytest && self.tries.is_none() && stated.is_some_and(|s| s < self.run.totals.total)
    }

    /// The tries [`State::may_hold_reruns`] looked for: a test written more than once, its earlier
    /// tries passes without a child (as pytest-rerunfailures writes them), is one test — flaky
    /// when its last try passed. How many tries were taken out.
    fn fold_tries(&mut self) -> u64 {
        let Some(tries) = self.tries.take() else { return 0 };
        let mut reruns = 0u64;
        let mut flaky: Vec<(CompactString, CompactString, u64)> = Vec::new();
        for ((classname, name), t) in tries {
            let earlier = t.count - 1;
            if earlier == 0 || t.passed - u64::from(t.last_passed) != earlier {
                continue;
            }
            reruns += earlier;
            if t.last_passed {
                flaky.push((classname, name, earlier));
            }
        }
        // The earlier tries and the flaky tests' last ones were counted as passes; the flaky
        // ones are counted again, as flaky passes.
        let totals = &mut self.run.totals;
        totals.total -= reruns + flaky.len() as u64;
        totals.passed -= reruns + flaky.len() as u64;
        flaky.sort();
        for (classname, name, earlier) in flaky {
            let mut case = TestCase::new(name, Outcome::Failed);
            case.classname = classname;
            case.message = Some(format!("passed on try {} (pytest-rerunfailures)", earlier + 1).into());
            self.run.record_flaky(case);
        }
        reruns
    }

    /// A `<testcase>` right in the root (Node's test runner writes its top-level tests so): the
    /// top-level suites' `tests=` do not count it, and their sum is not the count.
    fn case_at_root(&mut self) {
        if self.open.get(0).map(local) == Some("testsuites") {
            self.stated.suites_unknown = true;
        }
    }

    fn finish_case(&mut self, mut case: Case) {
        self.unnamed += u64::from(case.unnamed);
        let key = self.tries.as_ref().map(|_| case.key());
        let suites = &self.suites;
        let verdict =
            case.verdict(suites.last().map(|s| s.name.as_str()), || suites.iter().rev().find_map(|s| s.file.clone()));
        let passed = matches!(verdict, Verdict::Passed);
        match verdict {
            Verdict::Passed => self.run.record_pass(),
            Verdict::Flaky(c) => self.run.record_flaky(c),
            Verdict::NotPassed(c) => _ = self.run.record(c),
        }
        if let (Some(tries), Some(key)) = (self.tries.as_mut(), key) {
            let t = tries.entry(key).or_default();
            t.count += 1;
            t.passed += u64::from(passed);
            t.last_passed = passed;
        }
        self.spare = case;
    }

    /// Whether a `<testcase>` may open here without error: inside the root, outside any test
    /// case, below the deepest nesting.
    fn takes_a_case(&self) -> bool {
        self.stage == Stage::Report && self.case.is_none() && self.open.len() < MAX_DEPTH
    }

    fn stated_tests(&mut self, raw: Option<&str>) -> Option<u64> {
        let n = raw?.trim().parse::<u64>().ok();
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
        // Counters that say tests failed, and not one blocking test listed: they failed all the
        // same. (Listed failures under a higher counter are not blocked again: pytest counts
        // subtests in failures= without an element of their own.)
        if let Some(n) = self.stated.failed_root.or(self.stated.failed_suites).filter(|&n| n > 0)
            && self.run.blocking().next().is_none()
        {
            self.run.block_unlisted(n, "the report's failures= and errors= counters");
        }
        // mocha-junit-reporter leaves pending tests out of the elements and counts them in the
        // root's tests= and skipped=: tests stated beyond the elements, exactly as many as the
        // skipped ones stated beyond those listed, are those skipped tests.
        let (listed, skipped) = (self.run.totals.total, self.run.totals.skipped);
        if let (Some(tests), Some(stated_skipped)) = (self.stated.root, self.stated.skipped_root)
            && tests > listed
            && !self.stated.unreadable
            && stated_skipped.checked_sub(skipped) == Some(tests - listed)
        {
            let n = tests - listed;
            self.run.totals.total += n;
            self.run.totals.skipped += n;
            self.run.notes.push(format!(
                "{n} skipped test(s) the report counts (tests=\"{tests}\", skipped=\"{stated_skipped}\") have no \
                 <testcase> (mocha-junit-reporter leaves pending tests out): counted as skipped"
            ));
        }
        let reruns = self.fold_tries();
        if reruns > 0 {
            self.run.notes.push(format!(
                "{reruns} rerun tries (pytest-rerunfailures writes each try as a <testcase> of the same name, \
                 without its failure): each test counted once; one whose last try passed is flaky"
            ));
        }
        let stated = self.stated.root.or(self.stated.suites.filter(|_| !self.stated.suites_unknown));
        let total = self.run.totals.total;
        // jest-junit writes a `test.todo` as a `<testcase>` without a child, and leaves it out of
        // tests= (jest prints "2 todo"): test cases beyond what the counters count are no passes.
        let passed = self.run.totals.passed;
        let counted = self.stated.root.or(self.stated.suites.filter(|_| !self.stated.suites_unknown));
        // (Not when a case without a name says the run was cut short: then it is the one beyond.)
        if let Some(stated) =
            counted.filter(|&s| s < total && total - s <= passed && !self.stated.unreadable && self.unnamed == 0)
        {
            let n = total - stated;
            self.run.totals.passed -= n;
            self.run.totals.skipped += n;
            self.run.notes.push(format!(
                "the report states tests=\"{stated}\" but holds {total} <testcase> element(s): {n} of those that \
                 passed are counted as skipped, not passed (jest-junit writes its todo tests so, and leaves them \
                 out of tests=)"
            ));
            return Ok(self.run);
        }
        if let Some(stated) = stated.filter(|&s| s != total && !self.stated.unreadable) {
            self.run.notes.push(format!(
                "the report states tests=\"{stated}\" but holds {total} <testcase> element(s); \
                 temis counts the elements (pytest 9, for one, adds its subtests to tests=)"
            ));
        }
        Ok(self.run)
    }
}

#[cfg(test)]
mod hostile_tests;
#[cfg(test)]
mod tests;
