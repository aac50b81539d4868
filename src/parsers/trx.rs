//! VSTest/MSTest TRX test results (`dotnet test --logger trx`, `vstest.console /Logger:trx`,
//! MSTest, and the NUnit and xUnit adapters through VSTest).
//!
//! One test is one `<UnitTestResult>` directly in `<Results>`; its `outcome` (VSTest's
//! `TestOutcome`) decides: `Passed` → passed, `Failed` → failed, `Error` → errors; `Timeout`,
//! `Aborted` and `InProgress` → other, blocking (the test never finished); the other words VSTest writes
//! (`NotExecuted`, `NotRunnable`, `Inconclusive`, `PassedButRunAborted`, `Disconnected`…) →
//! skipped; a missing or unknown outcome (`failed`, a word VSTest does not write) → other,
//! blocking: an unknown result is never a pass. That is the split of the run's own
//! `<ResultSummary><Counters>`: `total`, `passed`, `failed`, `error`, `timeout` + `aborted`, and
//! the rest skipped (INDEX.md's rule). Where those counters disagree with the results listed,
//! the counters are the figures (with a note), and the failing results still block; counters
//! over a `<Results>` that lists no test at all are an error outside tests (the results were
//! cut out).
//!
//! A run cut short blocks through its own outcome: a `<RunInfo outcome="Error">` (a test host
//! that crashed, an error message of the run) is an error outside tests, its `<Text>` the
//! message, and so is a `<ResultSummary outcome>` other than `Completed`, `Passed`, `Warning` or
//! `Inconclusive` (`Aborted`, `Error`, `Timeout`…) — `Failed` only when no failing result,
//! failure counter or run error explains it.
//!
//! Data-driven rows (`<InnerResults>`, MSTest `[DataRow]`) are parts of their parent result,
//! which VSTest counts once: they are not counted again; a failing row's message explains a
//! parent that has none. A failing test's class comes from `<TestDefinitions>` (read after the
//! results; only the failing tests' ids are kept for it), its message from
//! `<Output><ErrorInfo><Message>` (else the first line of `<StackTrace>`).
//!
//! A large report is read on every core: `<Results>` in pieces, then what follows in pieces that
//! each know every failing test's id ([`in_pieces`]); the passing results and the definitions no
//! failing test needs, written in the plainest form, straight from the read buffer.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use compact_str::CompactString;
use quick_xml::events::BytesStart;

use super::testxml::{self, Grab, Handler};
use crate::input::Source;
use crate::model::{Outcome, TestCase, TestRun, TestTotals};
use crate::parsers::ParseError;
use crate::parsers::xml_walk::{
    Tuning, Walker, cut_points_in, plain_tag, read_pieces, read_pieces_at, skip_spaces, starts_tag,
};

/// Failing tests by `testId` (indices into `run.cases`).
type ById = HashMap<String, Vec<usize>>;

/// The failing tests each piece of `<Results>` read, by `testId`: the index of the piece's first
/// test in the whole run, and its own [`ById`]. Looked up part by part, never merged: merging a
/// large report's maps took ~10 ms on one thread, while both cores waited.
#[derive(Default)]
struct Failing(Vec<(usize, ById)>);

impl Failing {
    /// The failing tests of `id`, as indices into the whole run, in report order.
    fn contains(&self, id: &str) -> bool {
        self.0.iter().any(|(_, m)| m.contains_key(id))
    }

    fn indexes<'a>(&'a self, id: &'a str) -> impl Iterator<Item = usize> + 'a {
        self.0
            .iter()
            .filter_map(move |(at, m)| Some((*at, m.get(id)?)))
            .flat_map(|(at, v)| v.iter().map(move |i| at + i))
    }
}

/// Reads a TRX file.
pub fn parse(input: &Source) -> Result<TestRun, ParseError> {
    parse_tuned(input, Tuning::default())
}

/// [`parse`], reading as `tuning` says (tests vary it: every way reads the same).
fn parse_tuned(input: &Source, tuning: Tuning) -> Result<TestRun, ParseError> {
    if let Some(st) = in_pieces(input, tuning) {
        return st.finish();
    }
    let mut w = Walker::tuned(input, "TestRun", "TRX", tuning)?;
    w.keep_spaces();
    let mut st = State::default();
    testxml::walk(&mut w, &mut st)?;
    st.finish()
}

/// Where every top-level result stands.
const RESULTS: [&str; 2] = ["TestRun", "Results"];

/// A large report read in two parts, each in pieces on threads of their own, folded in order.
/// First `<Results>`, up to its end tag, cut before its `<UnitTestResult`s; then what follows
/// (the definitions, which give the failing tests their class, and the summary), cut before its
/// `<UnitTest`s, each piece knowing every failing test's id. `None` when the end of `<Results>`
/// is not found, a piece does not read cleanly to where the next one starts, a piece of
/// `<Results>` after the first reads a definition (whose class would depend on the results of
/// the pieces before), or a piece of the second part reads a result: the report is then read
/// in one walk, which gives every result and every error exactly.
fn in_pieces(input: &Source, tuning: Tuning) -> Option<State> {
    if !input.splits() {
        return None;
    }
    let end = results_end(input)?;
    let cuts = cut_points_in(input, (0, end), b"<UnitTestResult");
    let read = |index: usize, w: &mut Walker<'_>| {
        w.keep_spaces();
        let mut st = State::default();
        if index > 0 {
            st.results = Some(RESULTS.len());
        }
        testxml::walk(w, &mut st)?;
        Ok(st)
    };
    let pieces = read_pieces(input, ("TestRun", "TRX"), &cuts, &RESULTS, tuning, read)?;
    let mut pieces = pieces.into_iter();
    let mut whole = pieces.next()?;
    let mut parts = vec![(0, std::mem::take(&mut whole.by_id))];
    for piece in pieces {
        if piece.defined {
            return None;
        }
        parts.push((whole.run.cases.len(), piece.by_id));
        whole.run.absorb(piece.run);
        whole.counters = piece.counters.or(whole.counters);
        whole.summary = piece.summary.or(whole.summary);
    }
    // What follows `<Results>`: its pieces cut before the definitions, each knowing every
    // failing test's id.
    whole.failing = Arc::new(Failing(parts));
    let cuts = cut_points_in(input, (end, input.len()), b"<UnitTest");
    if cuts.is_empty() {
        let mut w = Walker::piece(input, ("TestRun", "TRX"), (end, input.len()), &RESULTS, tuning).ok()?;
        w.keep_spaces();
        testxml::walk(&mut w, &mut whole).ok()?;
        return Some(whole);
    }
    let failing = &whole.failing;
    let read = |index: usize, w: &mut Walker<'_>| {
        w.keep_spaces();
        let mut st = State { failing: Arc::clone(failing), ..State::default() };
        if index == 0 {
            st.results = Some(RESULTS.len());
        }
        testxml::walk(w, &mut st)?;
        Ok(st)
    };
    let pieces = read_pieces_at(input, ("TestRun", "TRX"), &cuts, &RESULTS, &DEFINITIONS, tuning, read)?;
    for piece in pieces {
        if piece.resulted {
            return None;
        }
        whole.run.absorb(piece.run);
        whole.classes.extend(piece.classes);
        whole.counters = piece.counters.or(whole.counters);
        whole.summary = piece.summary.or(whole.summary);
    }
    Some(whole)
}

/// Where every definition stands.
const DEFINITIONS: [&str; 2] = ["TestRun", "TestDefinitions"];

/// Where `</Results>` stands in a large report, found by halving: a stretch of the report that
/// holds a `<UnitTestResult` lies before it, one that holds a `<UnitTest` (a definition) after
/// it. `None` when a stretch holds neither, or the report is small. The place is only a guess
/// until the pieces read up to it and from it prove it.
fn results_end(input: &Source) -> Option<u64> {
    const STRETCH: u64 = 64 << 10;
    let (mut low, mut high) = (0, input.len());
    let end = memchr::memmem::Finder::new(b"</Results>");
    let result = memchr::memmem::Finder::new(b"<UnitTestResult ");
    let definition = memchr::memmem::Finder::new(b"<UnitTest ");
    while high - low > STRETCH {
        let middle = low + (high - low) / 2;
        let stretch = input.bytes_at(middle, (middle + STRETCH).min(input.len())).ok()?;
        if let Some(i) = end.find(&stretch) {
            return Some(middle + i as u64);
        }
        match (result.find(&stretch), definition.find(&stretch)) {
            (Some(_), None) => low = middle,
            (None, Some(_)) => high = middle,
            _ => return None,
        }
    }
    let stretch = input.bytes_at(low, (high + STRETCH).min(input.len())).ok()?;
    end.find(&stretch).map(|i| low + i as u64)
}

#[derive(Default)]
struct State {
    run: TestRun,
    /// The depth of `<Results>` while inside it.
    results: Option<usize>,
    /// The top-level result being read, and its depth.
    current: Option<(usize, Current)>,
    message: Grab,
    trace: Grab,
    /// Failing tests by their `testId`, for their class name: those this walk read…
    by_id: ById,
    /// …and those the pieces of `<Results>` read before it, shared by the pieces that read the
    /// definitions.
    failing: Arc<Failing>,
    /// The `<UnitTest id>` being read in `<TestDefinitions>`.
    definition: Option<String>,
    /// The classes the definitions give failing tests (indices into `run.cases`), in the order
    /// read: given to them at the end, so that definitions read in pieces give them alike.
    classes: Vec<(usize, CompactString)>,
    /// Whether a definition was read (a piece of `<Results>` after the first that reads one
    /// cannot be folded: the class would depend on the results of the pieces before).
    defined: bool,
    /// Whether a top-level result was read (a piece of what follows `<Results>` that reads one
    /// cannot be folded).
    resulted: bool,
    counters: Option<TestTotals>,
    /// The run's own outcome (`<ResultSummary outcome>`), when it has a summary.
    summary: Option<String>,
    /// The `<RunInfo outcome="Error">` being read (an error of the run, outside any test).
    run_info: Option<TestCase>,
}

struct Current {
    case: TestCase,
    /// Passed: counted, not kept.
    passed: bool,
    test_id: Option<String>,
    message: Option<CompactString>,
    trace: Option<CompactString>,
    /// The first message of a failing inner result (a data row).
    inner: Option<CompactString>,
}

/// The bucket of a TRX outcome word (VSTest's `TestOutcome`), and the word kept for an `other`
/// test: VSTest's own counters' split (`timeout` and `aborted` are other; every other known word
/// that is not passed, failed or error is skipped). A missing or unknown word (a misspelt one,
/// another case) is never a pass: other, blocking.
fn outcome(word: Option<&str>) -> Option<(Outcome, Option<&'static str>)> {
    Some(match word {
        Some("Passed") => return None,
        Some("Failed") => (Outcome::Failed, None),
        Some("Error") => (Outcome::Error, None),
        Some("Timeout") => (Outcome::Incomplete, Some("timeout")),
        Some("Aborted") => (Outcome::Incomplete, Some("aborted")),
        // Started and never finished (the run ended while it ran): never measured.
        Some("InProgress") => (Outcome::Incomplete, Some("in progress")),
        Some(
            "NotExecuted"
            | "NotRunnable"
            | "Inconclusive"
            | "PassedButRunAborted"
            | "Disconnected"
            | "Warning"
            | "Completed"
            | "Pending",
        ) => (Outcome::Skipped, None),
        // An unknown result is never a pass.
        _ => (Outcome::Incomplete, Some("unknown result")),
    })
}

/// Whether a run outcome (`<ResultSummary outcome>`) says the run went through: VSTest writes
/// `Completed` (or `Passed`/`Warning`; mstest.exe `Inconclusive` when no test failed) for a run
/// that went through, `Failed` for one with a failing test or an error message, and `Aborted`,
/// `Error`, `Timeout`… for one cut short.
fn run_went_through(word: &str) -> bool {
    matches!(word, "Completed" | "Passed" | "Warning" | "Inconclusive")
}

impl Handler for State {
    fn open(&mut self, w: &Walker<'_>, e: &BytesStart<'_>, depth: usize) -> Result<(), ParseError> {
        let name = e.local_name();
        match name.as_ref() {
            "Results" if depth == 2 => self.results = Some(depth),
            "UnitTestResult" if self.results == Some(depth - 1) => {
                self.resulted = true;
                let [word, name, time, test_id] = testxml::attrs(w, e, ["outcome", "testName", "duration", "testId"])?;
                let bucket = outcome(word.as_deref());
                let passed = bucket.is_none();
                // A passing test is counted, not kept: nothing of it is copied.
                let name = if passed { CompactString::default() } else { name.as_deref().unwrap_or_default().into() };
                let (kind, status) = bucket.unwrap_or((Outcome::Failed, None));
                let mut case = TestCase::new(name, kind);
                if !passed {
                    case.time = time.as_deref().and_then(duration);
                }
                case.status = status.map(Into::into);
                let test_id = if passed { None } else { test_id.map(Cow::into_owned) };
                self.current =
                    Some((depth, Current { case, passed, test_id, message: None, trace: None, inner: None }));
            }
            "UnitTestResult" if self.current.is_some() => {}
            "Message" if self.current.is_some() => self.message.start(depth),
            "StackTrace" if self.current.is_some() => self.trace.start(depth),
            "UnitTest" if depth == 3 => {
                self.defined = true;
                self.definition = testxml::attr(w, e, "id")?;
            }
            "TestMethod" if self.definition.is_some() => {
                let id = self.definition.as_deref().unwrap_or_default();
                let indexes: Vec<usize> = self.failing_indexes(id).collect();
                if !indexes.is_empty() {
                    let class = testxml::attr(w, e, "className")?.unwrap_or_default();
                    let class = CompactString::from(class.split(',').next().unwrap_or("").trim());
                    self.classes.extend(indexes.into_iter().map(|i| (i, class.clone())));
                }
            }
            "ResultSummary" if depth == 2 => {
                self.summary = Some(testxml::attr(w, e, "outcome")?.unwrap_or_default());
            }
            "RunInfo" if depth == 4 => {
                let [word, computer] = testxml::attrs(w, e, ["outcome", "computerName"])?;
                if word.as_deref() == Some("Error") {
                    let computer = computer.map(|c| format!(" on {c}")).unwrap_or_default();
                    self.run_info = Some(TestCase::new(format!("the test run{computer} (run error)"), Outcome::Error));
                }
            }
            "Text" if depth == 5 && self.run_info.is_some() => self.message.start(depth),
            "Counters" if depth == 3 => {
                let mut t = TestTotals::default();
                let get = |k| testxml::count(w, e, k).map(Option::unwrap_or_default);
                t.total = get("total")?;
                t.passed = get("passed")?;
                t.failed = get("failed")?;
                t.errors = get("error")?;
                // VSTest's counters of the outcomes read as other (see [`outcome`]).
                t.other = get("timeout")?.saturating_add(get("aborted")?).saturating_add(get("inProgress")?);
                let counted = t.passed.saturating_add(t.failed).saturating_add(t.errors).saturating_add(t.other);
                t.skipped = t.total.saturating_sub(counted);
                if counted > t.total {
                    return Err(w.fail(format!(
                        "<Counters> state total=\"{}\" but {counted} passed, failed, errored or ended otherwise",
                        t.total
                    )));
                }
                self.counters = Some(t);
            }
            _ => {}
        }
        Ok(())
    }

    fn close(&mut self, _: &Walker<'_>, name: &str, depth: usize) -> Result<(), ParseError> {
        if let Some(m) = self.message.end(depth) {
            if let Some(info) = self.run_info.as_mut() {
                info.message = info.message.take().or(m);
            } else if let Some((top, cur)) = self.current.as_mut() {
                if depth > *top + 3 && cur.inner.is_none() {
                    // A data row's message (inside <InnerResults>).
                    cur.inner = m;
                } else if cur.message.is_none() {
                    cur.message = m;
                }
            }
        }
        if let Some(t) = self.trace.end(depth)
            && let Some((_, cur)) = self.current.as_mut()
            && cur.trace.is_none()
        {
            cur.trace = t;
        }
        match name {
            "Results" if self.results == Some(depth) => self.results = None,
            "UnitTestResult" if self.current.as_ref().is_some_and(|(d, _)| *d == depth) => {
                if let Some((_, cur)) = self.current.take() {
                    self.finish_result(cur);
                }
            }
            "UnitTest" if depth == 3 => self.definition = None,
            "RunInfo" if depth == 4 => {
                if let Some(info) = self.run_info.take() {
                    self.run.record_outside(info);
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn text(&mut self, text: &str) {
        self.message.push(text);
        self.trace.push(text);
    }

    /// Outside any result and any text being kept: a passing `<UnitTestResult … outcome="Passed"
    /// />` directly in `<Results>` is counted, and the definition of a test that did not fail
    /// ([`unused_definition`]) passed over, as the general path does, when written in the
    /// plainest form.
    fn hot(&mut self, w: &mut Walker<'_>) {
        if self.current.is_some() || self.message.active() || self.trace.active() {
            return;
        }
        if self.results == Some(w.depth()) {
            let (run, resulted) = (&mut self.run, &mut self.resulted);
            w.hot_tags(b"<UnitTestResult", |rest| {
                let tag = plain_tag(rest, [b"outcome"], false)?;
                (tag.values[0] == Some(b"Passed")).then(|| {
                    run.record_pass();
                    *resulted = true;
                    tag.used
                })
            });
        } else if w.depth() == 2 && self.definition.is_none() {
            let (mine, failing, defined) = (&self.by_id, &self.failing, &mut self.defined);
            w.hot_tags(b"<UnitTest", |rest| {
                let used = unused_definition(rest, |id| mine.contains_key(id) || failing.contains(id))?;
                *defined = true;
                Some(used)
            });
        }
    }
}

/// The length of a `<UnitTest` definition from just after its name, when no failing test read so
/// far has its `id` (`failing`) and it is written as VSTest writes it: a plain start tag
/// ([`plain_tag`]) holding nothing but whitespace and plain `<Execution … />` and `<TestMethod …
/// />` before `</UnitTest>`. The general path keeps nothing of such a definition; `None` leaves
/// any other form to it.
fn unused_definition(rest: &[u8], failing: impl Fn(&str) -> bool) -> Option<usize> {
    let tag = plain_tag(rest, [b"id"], true)?;
    let id = std::str::from_utf8(tag.values[0]?).ok()?;
    if tag.empty || failing(id) {
        return None;
    }
    let mut at = tag.used;
    loop {
        at = skip_spaces(rest, at);
        let next = rest.get(at..)?;
        let end = b"</UnitTest>";
        if next.starts_with(end) {
            return Some(at + end.len());
        }
        let child = [&b"<Execution"[..], b"<TestMethod"].into_iter().find(|c| starts_tag(next, c))?;
        let tag = plain_tag(&next[child.len()..], [], false)?;
        at += child.len() + tag.used;
    }
}

impl State {
    /// The failing tests of `id` read so far (this walk's and the pieces' before it), as
    /// indices into the whole run.
    fn failing_indexes<'a>(&'a self, id: &'a str) -> impl Iterator<Item = usize> + 'a {
        self.failing.indexes(id).chain(self.by_id.get(id).into_iter().flatten().copied())
    }

    fn finish_result(&mut self, cur: Current) {
        if cur.passed {
            self.run.record_pass();
            return;
        }
        let mut case = cur.case;
        case.message = cur.message.or(cur.inner).or(cur.trace);
        if let (Some(kept), Some(id)) = (self.run.record(case), cur.test_id) {
            self.by_id.entry(id).or_default().push(kept);
        }
    }

    fn finish(mut self) -> Result<TestRun, ParseError> {
        for (i, class) in self.classes {
            if let Some(c) = self.run.cases.get_mut(i) {
                c.classname = class;
            }
        }
        // A run that did not go through blocks: `Failed` when nothing else says why (no failing
        // result, no failure in the counters, no run error), anything else always.
        if let Some(word) = self.summary.as_deref()
            && !run_went_through(word)
        {
            let explained = word == "Failed"
                && (self.run.blocking().next().is_some()
                    || self.counters.is_some_and(|c| c.failed.saturating_add(c.errors) > 0));
            if !explained {
                let shown = if word.is_empty() { "no outcome" } else { word };
                let mut case = TestCase::new(format!("the test run (outcome {shown})"), Outcome::Error);
                case.message = Some(compact_str::format_compact!(
                    "<ResultSummary outcome=\"{word}\">: the run did not complete, its results are not all measured"
                ));
                self.run.record_outside(case);
            }
        }
        if let Some(stated) = self.counters {
            if stated.total > 0 && self.run.totals.total == 0 {
                // VSTest lists every result it counts: counters over an empty `<Results>` are a
                // report whose results were cut out, and nothing it states was seen.
                let mut case = TestCase::new("the test run (no results)", Outcome::Error);
                case.message = Some(compact_str::format_compact!(
                    "<Counters total=\"{}\"> but <Results> lists no test: the results are not in the report",
                    stated.total
                ));
                self.run.record_outside(case);
            }
            // Tests VSTest counts as timed out, aborted or in progress block where listed: those
            // the counters count and `<Results>` does not list block too.
            if stated.other > self.run.totals.other {
                let n = stated.other - self.run.totals.other;
                let mut case = TestCase::new(format!("{n} test(s) that did not end"), Outcome::Error);
                case.message = Some(compact_str::format_compact!(
                    "<Counters> count {} test(s) as timed out, aborted or in progress, <Results> lists {}",
                    stated.other,
                    self.run.totals.other
                ));
                self.run.record_outside(case);
            }
            self.run.prefer_stated(stated, "<ResultSummary><Counters> (VSTest's own summary)");
        }
        Ok(self.run)
    }
}

/// A TRX duration (`00:00:01.2345678`) in seconds.
fn duration(text: &str) -> Option<f64> {
    let mut parts = text.trim().split(':');
    let (h, m, s) = (parts.next()?, parts.next()?, parts.next()?);
    let secs = h.parse::<f64>().ok()? * 3600.0 + m.parse::<f64>().ok()? * 60.0 + s.parse::<f64>().ok()?;
    secs.is_finite().then_some(secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::parsers::testxml::{damaged_read_alike, read_every_way};

    fn read(xml: &str) -> Result<TestRun, ParseError> {
        parse(&Source::bytes("r.trx", xml.as_bytes()))
    }

    const NS: &str = "xmlns=\"http://microsoft.com/schemas/VisualStudio/TeamTest/2010\"";

    #[test]
    fn outcomes_fall_into_the_counters_buckets_and_classes_come_from_definitions() {
        let xml = format!(
            r#"<?xml version="1.0" encoding="utf-8"?>
<TestRun id="1" {NS}><Results>
<UnitTestResult testId="a" testName="Adds" outcome="Passed" duration="00:00:00.5"/>
<UnitTestResult testId="b" testName="Divides" outcome="Failed"><Output><ErrorInfo><Message>Assert.AreEqual failed. Expected:&lt;2&gt;.
second line</Message><StackTrace>at Calc.Divides()</StackTrace></ErrorInfo></Output></UnitTestResult>
<UnitTestResult testId="c" testName="Hangs" outcome="Timeout"/>
<UnitTestResult testId="d" testName="Later" outcome="NotExecuted"/>
<UnitTestResult testId="e" testName="Rows" outcome="Failed"><InnerResults>
  <UnitTestResult testId="e" testName="Rows (1)" outcome="Passed"/>
  <UnitTestResult testId="e" testName="Rows (2)" outcome="Failed"><Output><ErrorInfo><Message>row 2 broke</Message></ErrorInfo></Output></UnitTestResult>
</InnerResults></UnitTestResult>
</Results>
<TestDefinitions><UnitTest name="Divides" id="b"><TestMethod codeBase="x.dll" className="Calc.Tests, Calc, Version=1.0" name="Divides"/></UnitTest></TestDefinitions>
<ResultSummary outcome="Failed"><Counters total="5" executed="4" passed="1" failed="2" error="0" timeout="1" aborted="0" notExecuted="1"/></ResultSummary>
</TestRun>"#
        );
        let run = read(&xml).unwrap();
        let t = run.totals;
        assert_eq!((t.total, t.passed, t.failed, t.errors, t.skipped, t.other), (5, 1, 2, 0, 1, 1));
        assert!(run.notes.is_empty(), "{:?}", run.notes);
        let divides = &run.cases[0];
        assert_eq!(divides.full_name(), "Calc.Tests::Divides");
        assert_eq!(divides.message.as_deref(), Some("Assert.AreEqual failed. Expected:<2>."));
        assert_eq!(run.cases[1].status.as_deref(), Some("timeout"));
        assert_eq!(run.cases[2].message.as_deref(), Some("row 2 broke"), "a data row explains its parent");
        assert!(!run.all_passed());
    }

    #[test]
    fn an_aborted_run_and_a_run_error_block_outside_tests() {
        let xml = format!(
            r#"<TestRun id="1" {NS}><Results><UnitTestResult testId="a" testName="A" outcome="Passed"/></Results>
<ResultSummary outcome="Aborted"><Counters total="1" executed="1" passed="1" failed="0" error="0"/><RunInfos><RunInfo computerName="x" outcome="Error" timestamp="2024-01-01"><Text>The active test run was aborted. Reason: Test host process crashed</Text></RunInfo><RunInfo computerName="x" outcome="Warning"><Text>just a warning</Text></RunInfo></RunInfos></ResultSummary></TestRun>"#
        );
        let run = read(&xml).unwrap();
        assert!(!run.all_passed());
        assert_eq!(run.outside.len(), 2, "{:?}", run.outside);
        assert_eq!(
            run.outside[0].message.as_deref(),
            Some("The active test run was aborted. Reason: Test host process crashed")
        );
        assert!(run.outside[1].name.contains("Aborted"), "{:?}", run.outside[1]);
        // A failed run with nothing failing listed blocks; one a failing test explains is that test.
        let failed = |results: &str| {
            read(&format!(
                r#"<TestRun {NS}><Results>{results}</Results><ResultSummary outcome="Failed"><Counters total="1"/></ResultSummary></TestRun>"#
            ))
            .unwrap()
        };
        let run = failed(r#"<UnitTestResult testId="a" testName="A" outcome="Passed"/>"#);
        assert_eq!(run.outside.len(), 1, "{:?}", run.outside);
        let run = failed(r#"<UnitTestResult testId="a" testName="A" outcome="Failed"/>"#);
        assert!(run.outside.is_empty() && !run.all_passed(), "{run:?}");
        // A completed run with passing tests is clean.
        let run = read(&format!(
            r#"<TestRun {NS}><Results><UnitTestResult testId="a" testName="A" outcome="Passed"/></Results><ResultSummary outcome="Completed"><Counters total="1" passed="1"/></ResultSummary></TestRun>"#
        ))
        .unwrap();
        assert!(run.all_passed(), "{run:?}");
        // mstest.exe's run of inconclusive tests, none failed: the run went through.
        let run = read(&format!(
            r#"<TestRun {NS}><Results><UnitTestResult testId="a" testName="A" outcome="Inconclusive"/></Results><ResultSummary outcome="Inconclusive"><Counters total="1" inconclusive="1"/></ResultSummary></TestRun>"#
        ))
        .unwrap();
        assert!(run.all_passed(), "{run:?}");
    }

    #[test]
    fn a_missing_or_unknown_outcome_is_never_a_pass() {
        let xml = format!(
            r#"<TestRun id="1" {NS}><Results><UnitTestResult testId="a" testName="A" outcome="Passed"/><UnitTestResult testId="b" testName="B"/>
<UnitTestResult testId="c" testName="C" outcome="failed"/><UnitTestResult testId="d" testName="D" outcome="InProgress"/>
<UnitTestResult testId="e" testName="E" outcome="PassedButRunAborted"/><UnitTestResult testId="f" testName="F" outcome="Inconclusive"/>
<UnitTestResult testId="g" testName="G" outcome="NotExecuted"/></Results></TestRun>"#
        );
        let run = read(&xml).unwrap();
        let t = run.totals;
        assert_eq!((t.total, t.passed, t.skipped, t.other), (7, 1, 3, 3));
        assert_eq!(run.failing().count(), 3, "{:?}", run.cases);
        assert_eq!(run.other_kinds.get("unknown result"), Some(&2));
        // A test the run ended while it ran was never measured: it was skipped, and approved.
        assert_eq!(run.other_kinds.get("in progress"), Some(&1));
    }

    #[test]
    fn words_around_an_entity_keep_their_spaces() {
        let xml = format!(
            r#"<TestRun id="1" {NS}><Results>
<UnitTestResult testId="b" testName="Divides" outcome="Failed"><Output><ErrorInfo><Message>
  expected 42 but was 41 &amp; the list differed</Message></ErrorInfo></Output></UnitTestResult>
</Results></TestRun>"#
        );
        let run = read(&xml).unwrap();
        assert_eq!(run.cases[0].message.as_deref(), Some("expected 42 but was 41 & the list differed"));
    }

    #[test]
    fn counters_that_disagree_are_the_figures_and_said() {
        let xml = format!(
            r#"<TestRun {NS}><Results><UnitTestResult testId="a" testName="A" outcome="Passed"/></Results>
<ResultSummary><Counters total="3" passed="2" failed="1" error="0"/></ResultSummary></TestRun>"#
        );
        let run = read(&xml).unwrap();
        assert_eq!((run.totals.total, run.totals.failed), (3, 1));
        assert!(run.notes[0].contains("temis gives the producer's summary"), "{:?}", run.notes);
    }

    /// Counters of five passed tests over an empty `<Results>`: they were the figures, and
    /// approved a report in which no result was seen.
    #[test]
    fn counters_over_no_result_block() {
        let xml = format!(
            r#"<TestRun {NS}><Results></Results><ResultSummary outcome="Completed"><Counters total="5" passed="5"/></ResultSummary></TestRun>"#
        );
        let run = read(&xml).unwrap();
        assert_eq!(run.outside.len(), 1, "{:?}", run.outside);
        assert!(run.outside[0].message.as_deref().unwrap().contains("lists no test"), "{:?}", run.outside);
        let xml = format!(
            r#"<TestRun {NS}><Results><UnitTestResult testId="a" testName="A" outcome="InProgress"/></Results><ResultSummary outcome="Completed"><Counters total="1" inProgress="1"/></ResultSummary></TestRun>"#
        );
        let run = read(&xml).unwrap();
        assert_eq!((run.totals.total, run.totals.other, run.totals.skipped), (1, 1, 0));
        assert!(run.blocking().next().is_some());
        // A timeout the counters count and `<Results>` does not list blocks too (approved).
        for counter in ["timeout", "aborted", "inProgress"] {
            let xml = format!(
                r#"<TestRun {NS}><Results><UnitTestResult testId="a" testName="A" outcome="Passed"/></Results><ResultSummary outcome="Completed"><Counters total="2" passed="1" {counter}="1"/></ResultSummary></TestRun>"#
            );
            let run = read(&xml).unwrap();
            assert!(!run.all_passed(), "{counter}");
            assert!(run.outside[0].name.contains("did not end"), "{counter}: {:?}", run.outside);
        }
    }

    #[test]
    fn a_clean_empty_run_is_read_and_a_wrong_root_or_count_is_an_error() {
        let run =
            read(&format!("<TestRun {NS}><ResultSummary><Counters total=\"0\"/></ResultSummary></TestRun>")).unwrap();
        assert_eq!(run.totals, TestTotals::default());
        assert!(read("<testsuites/>").unwrap_err().to_string().contains("not a TRX report"));
        let e = read(&format!("<TestRun {NS}><ResultSummary><Counters total=\"x\"/></ResultSummary></TestRun>"))
            .unwrap_err();
        assert!(e.to_string().contains("total=\"x\""), "{e}");
        let e = read(&format!("<TestRun {NS}><Results>")).unwrap_err();
        assert!(e.to_string().contains("truncated"), "{e}");
    }

    /// What VSTest writes for passing results (`<UnitTestResult … outcome="Passed" />`) and for
    /// the definitions of tests that did not fail is read by the hot path, and every look-alike
    /// reads as the general path reads it: another outcome, a duplicated or prefixed attribute,
    /// a result with output, an inner result, a definition a failing test needs for its class,
    /// other children, and errors placed after what the hot path read.
    #[test]
    fn the_hot_path_reads_passing_results_and_unused_definitions_as_the_general_path() {
        let pass = |i: usize| {
            format!(
                r#"<UnitTestResult executionId="e{i}" testId="t{i}" testName="N.C.T{i}" duration="00:00:00.0011482" outcome="Passed" testListId="l" />"#
            )
        };
        let def = |i: usize| {
            format!(
                "<UnitTest name=\"T{i}\" storage=\"/a.dll\" id=\"t{i}\">\n      <Execution id=\"e{i}\" />\n      \
                 <TestMethod codeBase=\"/a.dll\" adapterTypeName=\"executor://x\" className=\"N.C\" name=\"T{i}\" />\n    </UnitTest>"
            )
        };
        let fail = r#"<UnitTestResult testId="t9" testName="N.C.T9" outcome="Failed"><Output><ErrorInfo><Message>boom</Message></ErrorInfo></Output></UnitTestResult>"#;
        let doc = |result: &str, definition: &str| {
            format!(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<TestRun id=\"1\" {NS}>\n  <Results>\n    {}\n    {}\n    {fail}\n    {result}\n    {}\n  </Results>\n  \
                 <TestDefinitions>\n    {}\n    {}\n    {}\n    {definition}\n    {}\n  </TestDefinitions>\n</TestRun>\n",
                pass(1),
                pass(2),
                pass(3),
                def(1),
                def(2),
                def(9),
                def(3),
            )
        };
        let canonical = doc(&pass(4), &def(4));
        let shown = read_every_way("r.trx", &canonical, parse_tuned);
        assert!(shown.contains("passed: 4") && shown.contains("classname: \"N.C\""), "{shown}");
        let hot = |xml: &str| testxml::hot_bytes(xml, "TestRun", &mut State::default()) as usize;
        // Every passing result and every definition but the failing test's.
        let lens: usize =
            [pass(1), pass(2), pass(3), pass(4), def(1), def(2), def(3), def(4)].iter().map(|t| t.len() + 5).sum();
        assert_eq!(hot(&canonical), lens);
        damaged_read_alike("r.trx", &canonical, parse_tuned);
        let results = [
            r#"<UnitTestResult testId="x" outcome="Failed" />"#.to_string(),
            r#"<UnitTestResult testId="x" outcome="NotExecuted" />"#.to_string(),
            r#"<UnitTestResult testId="x" outcome="Passed" outcome="Failed" />"#.to_string(),
            r#"<UnitTestResult testId="x" a:outcome="Failed" outcome="Passed" />"#.to_string(),
            r#"<UnitTestResult testId="x" outcome="Passed"><Output><StdOut>out</StdOut></Output></UnitTestResult>"#.to_string(),
            r#"<UnitTestResult testId="x" outcome="Failed"><InnerResults><UnitTestResult testId="x" outcome="Passed" /></InnerResults></UnitTestResult>"#.to_string(),
            r#"<UnitTestResult testId="x" outcome="Passed" /><bogus a="1"<"#.to_string(),
            "<UnitTestResult testId=\"x\" outcome=\"Passed\" />\u{FF}".to_string(),
        ];
        for result in &results {
            read_every_way("r.trx", &doc(result, &def(4)), parse_tuned);
        }
        let definitions = [
            r#"<UnitTest name="T9" id="t9"><TestMethod className="Other.Class" name="T9" /></UnitTest>"#.to_string(),
            r#"<UnitTest name="T5" id="t5" />"#.to_string(),
            r#"<UnitTest name="T5"><TestMethod className="C" name="T5" /></UnitTest>"#.to_string(),
            r#"<UnitTest name="T5" id="t5" id="t9"><TestMethod className="C" name="T5" /></UnitTest>"#.to_string(),
            r#"<UnitTest name="T5" x:id="t9" id="t5"><TestMethod className="C" name="T5" /></UnitTest>"#.to_string(),
            r#"<UnitTest name="T5" id="t5"><Other a="1" /></UnitTest>"#.to_string(),
            r#"<UnitTest name="T5" id="t5"><TestMethod className="C" name="T5"></TestMethod></UnitTest>"#.to_string(),
            r#"<UnitTest name="T5" id="t5">text<TestMethod className="C" name="T5" /></UnitTest>"#.to_string(),
            r#"<UnitTest name="T5" id="t5"><TestMethod className="C" name="T5" /></UnitTests>"#.to_string(),
            r#"<UnitTest name="T5" id="t5"><TestMethod className="C" name="T5" /></UnitTest><bogus a="1"<"#.to_string(),
        ];
        for definition in &definitions {
            read_every_way("r.trx", &doc(&pass(4), definition), parse_tuned);
        }
        // Definitions before the results (no failing id is known yet: every one is passed over,
        // as the general path keeps none), and a definition inside `<Results>`.
        let before = format!(
            "<TestRun {NS}>\n<TestDefinitions>\n{}\n{}\n</TestDefinitions>\n<Results>\n{}\n{fail}\n</Results>\n</TestRun>\n",
            def(1),
            def(9),
            pass(1)
        );
        let shown = read_every_way("r.trx", &before, parse_tuned);
        assert!(shown.contains("classname: \"\""), "{shown}");
        let inside = format!("<TestRun {NS}>\n<Results>\n{}\n{}\n{fail}\n</Results>\n</TestRun>\n", def(1), pass(1));
        read_every_way("r.trx", &inside, parse_tuned);
        // A second definition of the failing test is read too, by the general path: the last
        // one read gives the class.
        let other = doc(&pass(4), &definitions[0]);
        let shown = read_every_way("r.trx", &other, parse_tuned);
        assert!(shown.contains("classname: \"Other.Class\""), "{shown}");
    }

    /// A report read in pieces (`<Results>` cut before its results, then what follows cut
    /// before its definitions) on 1 to 6 threads, and each of its damaged copies on 1 and 3,
    /// reads as one walk: the same run, classes, counters and errors. So do reports the pieces
    /// must leave to one walk: a definition inside `<Results>`, a result after the definitions,
    /// `</Results>` in a comment, and definitions before the results.
    #[test]
    fn a_report_read_on_threads_reads_as_one_walk() {
        use crate::input::Split;
        use crate::parsers::xml_walk::{damaged_same_on_threads, same_on_threads};
        let result = |i: usize| match i % 4 {
            0 => format!(
                r#"<UnitTestResult testId="t{i}" testName="T{i}" outcome="Failed"><Output><ErrorInfo><Message>boom {i} &amp; more</Message></ErrorInfo></Output></UnitTestResult>"#
            ),
            1 => format!(r#"<UnitTestResult testId="t{i}" testName="T{i}" outcome="NotExecuted" />"#),
            _ => format!(r#"<UnitTestResult testId="t{i}" testName="T{i}" outcome="Passed" />"#),
        };
        let definition = |i: usize| {
            format!(
                "<UnitTest name=\"T{i}\" id=\"t{i}\">\n  <Execution id=\"e{i}\" />\n  <TestMethod codeBase=\"a.dll\" className=\"N.C{i}, a\" name=\"T{i}\" />\n</UnitTest>"
            )
        };
        let report = |results: &str, definitions: &str, after: &str| {
            format!(
                "<?xml version=\"1.0\"?>\n<TestRun id=\"1\" {NS}>\n<Results>\n{results}</Results>\n<TestDefinitions>\n{definitions}</TestDefinitions>\n{after}\
                 <ResultSummary outcome=\"Failed\"><Counters total=\"40\" executed=\"30\" passed=\"20\" failed=\"10\" error=\"0\" timeout=\"0\" aborted=\"0\" /></ResultSummary>\n</TestRun>\n"
            )
        };
        let results: String = (0..40).map(|i| result(i) + "\n").collect();
        let definitions: String = (0..40).rev().map(|i| definition(i) + "\n").collect();
        let xml = report(&results, &definitions, "");
        let one = same_on_threads("r.trx", xml.as_bytes(), parse);
        assert!(
            one.contains("passed: 20") && one.contains("classname: \"N.C36\"") && one.contains("boom 0 & more"),
            "{one}"
        );
        let split =
            |xml: &str, threads| Source::bytes("r.trx", xml.as_bytes()).with_split(Split { threads, min_len: 0 });
        let cut = |threads| in_pieces(&split(&xml, threads), Tuning::default());
        assert!((2..=6).filter(|&t| cut(t).is_some()).count() >= 4);
        damaged_same_on_threads("r.trx", &xml, parse);
        // A definition in `<Results>` of a failing test read before it, which no later definition
        // names: one walk gives its class.
        let more: String = (100..140).map(|i| result(i) + "\n").collect();
        let inside = r#"<UnitTest name="T0" id="t0"><TestMethod className="Inside.C" name="T0" /></UnitTest>"#;
        let others: String = (1..40).rev().map(|i| definition(i) + "\n").collect();
        let inside_results = report(&format!("{results}{inside}\n{more}"), &others, "");
        let shown = same_on_threads("r.trx", inside_results.as_bytes(), parse);
        assert!(shown.contains("classname: \"Inside.C\""), "{shown}");
        // A failing result after the definitions, and its own definition after it.
        let late = format!(
            "<Results>\n{}\n</Results>\n<TestDefinitions>\n{}\n{definitions}</TestDefinitions>\n",
            result(40),
            definition(40)
        );
        let after_definitions = report(&results, &definitions, &late);
        let shown = same_on_threads("r.trx", after_definitions.as_bytes(), parse);
        assert!(shown.contains("classname: \"N.C40\""), "{shown}");
        let commented = report(
            &format!("{}<!-- </Results> -->\n{}", &results[..results.len() / 2], &results[results.len() / 2..]),
            &definitions,
            "",
        );
        let definitions_first = format!(
            "<TestRun {NS}>\n<TestDefinitions>\n{definitions}</TestDefinitions>\n<Results>\n{results}</Results>\n</TestRun>\n"
        );
        // A result after the definitions is never read in pieces: the second part refuses it.
        assert!((2..=6).all(|t| in_pieces(&split(&after_definitions, t), Tuning::default()).is_none()));
        for xml in [inside_results, after_definitions, commented, definitions_first] {
            same_on_threads("r.trx", xml.as_bytes(), parse);
        }
        // A report large enough for the end of `<Results>` to be found by halving (over 512 KiB):
        // found where it is, and the report read in both parts on every thread count, the hot path
        // on or off.
        let results: String = (0..3000).map(|i| result(i) + "\n").collect();
        let definitions: String = (0..3000).map(|i| definition(i) + "\n").collect();
        let large = report(&results, &definitions, "");
        assert!(large.len() > 512 << 10);
        assert_eq!(results_end(&split(&large, 2)), large.find("</Results>").map(|i| i as u64));
        let one = format!("{:?}", parse_tuned(&split(&large, 1), Tuning::default()));
        for threads in 2..=4 {
            assert!(in_pieces(&split(&large, threads), Tuning::default()).is_some(), "{threads}");
            for hot in [true, false] {
                let read = parse_tuned(&split(&large, threads), Tuning { capacity: 4096, hot });
                assert_eq!(format!("{read:?}"), one, "{threads} threads, hot path {hot}");
            }
        }
    }
}
