//! The outcome of a test run, as read from a test-results report (JUnit XML, TRX, NUnit, xUnit,
//! `go test -json`, mocha, RSpec, dart, CTRF, TAP).
//!
//! It exists so that a gate can say "all tests pass" and "at least N tests ran", and name the
//! tests that did not pass. Passing tests are only counted; the tests that failed, errored, were
//! skipped, ended otherwise or passed only on a rerun are kept with their names and first message
//! line, so memory grows with the failures, never with the size of the report.
//!
//! Five disjoint buckets make the total: passed, failed, errors, skipped and `other` — what is
//! neither (a TAP `# TODO`, an NUnit inconclusive or not-runnable test, a Go test that never
//! finished, a CTRF `pending`). `other` is never dropped: it is counted, broken down by the
//! producer's word ([`TestRun::other_kinds`]), and its tests are listed. An `other` test that
//! started and never finished, or could not run ([`Outcome::Incomplete`]), blocks like a failure;
//! the rest ([`Outcome::Other`]) do not. Errors outside any test (a Go package that did not
//! build, an RSpec error outside examples, an xUnit assembly error) are no test and in no bucket:
//! they are kept apart ([`TestRun::outside`]) and block.

use compact_str::{CompactString, ToCompactString, format_compact};
use serde::Serialize;

/// How many tests a run had, by outcome.
///
/// `total = passed + failed + errors + skipped + other`; `flaky` counts tests that failed at
/// first and passed on a rerun: they are already in `passed`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TestTotals {
    pub total: u64,
    pub passed: u64,
    pub failed: u64,
    pub skipped: u64,
    pub errors: u64,
    pub flaky: u64,
    /// Tests that neither passed, failed, errored nor were skipped (see the module's docs).
    pub other: u64,
}

impl TestTotals {
    /// The tests that ran to a verdict: passed, failed or errored.
    pub fn ran(&self) -> u64 {
        self.passed.saturating_add(self.failed).saturating_add(self.errors)
    }

    /// Adds another run's totals.
    pub fn add(&mut self, o: &TestTotals) {
        self.total = self.total.saturating_add(o.total);
        self.passed = self.passed.saturating_add(o.passed);
        self.failed = self.failed.saturating_add(o.failed);
        self.skipped = self.skipped.saturating_add(o.skipped);
        self.errors = self.errors.saturating_add(o.errors);
        self.flaky = self.flaky.saturating_add(o.flaky);
        self.other = self.other.saturating_add(o.other);
    }
}

/// Why a test is listed in a [`TestRun`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// An assertion failed (`<failure>`).
    Failed,
    /// The test could not run to its end (`<error>`: an exception, a crash, a timeout).
    Error,
    /// The test did not run, or its failure was expected (`<skipped>`, pytest's xfail).
    Skipped,
    /// In `other`, and blocking: the test started and never finished (a `go test` timeout, a
    /// TRX `Aborted`/`Timeout`, a dart `testStart` without `testDone`) or could not be run at
    /// all (NUnit's not-runnable tests, which NUnit counts as failures).
    Incomplete,
    /// In `other`, not blocking: neither passed nor failed by the producer's own rule (a TAP
    /// `# TODO`, NUnit `Inconclusive`, xUnit `NotRun`, CTRF `pending`/`other`).
    Other,
}

impl Outcome {
    /// Whether a test with this outcome keeps the run from passing.
    pub fn blocks(self) -> bool {
        matches!(self, Outcome::Failed | Outcome::Error | Outcome::Incomplete)
    }
}

/// One test that did not simply pass. Its strings are [`CompactString`]s: names of up to 24 bytes
/// are held in place, not allocated (a large report keeps tens of thousands of cases, and each new
/// page of memory costs more than the reading of it).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TestCase {
    /// The enclosing `<testsuite>`'s name (empty when the report gives none).
    pub suite: CompactString,
    pub classname: CompactString,
    pub name: CompactString,
    pub file: Option<CompactString>,
    pub line: Option<u32>,
    /// For a flaky test, how its failed attempt(s) ended.
    pub outcome: Outcome,
    /// The first line of the producer's message, at most [`MESSAGE_MAX`] characters.
    pub message: Option<CompactString>,
    /// Seconds, as the report states them.
    pub time: Option<f64>,
    /// The producer's own word for an `other` outcome (`todo`, `inconclusive`, `incomplete`,
    /// `not runnable`, `pending`…), which [`TestRun::other_kinds`] counts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<CompactString>,
}

impl TestCase {
    /// A test of `name` with `outcome`, every other part empty.
    pub fn new(name: impl Into<CompactString>, outcome: Outcome) -> Self {
        TestCase {
            suite: CompactString::default(),
            classname: CompactString::default(),
            name: name.into(),
            file: None,
            line: None,
            outcome,
            message: None,
            time: None,
            status: None,
        }
    }

    /// `classname::name`, or the name alone when the report gives no class.
    pub fn full_name(&self) -> String {
        if self.classname.is_empty() { self.name.to_string() } else { format!("{}::{}", self.classname, self.name) }
    }
}

/// The longest message kept for a test case, in characters.
pub const MESSAGE_MAX: usize = 500;

/// The outcome of a test run.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TestRun {
    pub totals: TestTotals,
    /// The tests that failed, errored or ended otherwise (incomplete, todo, inconclusive…), in
    /// report order; a skipped test is counted and not kept (no output lists one, and keeping
    /// them was a third of a large JUnit report's new pages). Each is boxed: the runs
    /// of a large report's pieces are joined by moving pointers, not the cases (a fold of 60,000
    /// cases of a JUnit report's second half copied 10 MB into new pages, on one thread).
    pub cases: Vec<Box<TestCase>>,
    /// The tests that failed and then passed on a rerun (counted as passed).
    pub flaky: Vec<TestCase>,
    /// How many `other` tests there are by the producer's word (`todo`, `inconclusive`…).
    pub other_kinds: std::collections::BTreeMap<String, u64>,
    /// Errors outside any test (a package that did not build, an error outside RSpec examples,
    /// an xUnit assembly error): in no bucket and not in the total; any of them blocks.
    pub outside: Vec<TestCase>,
    /// Decisions a user should know about (a stated test count that was not used…).
    pub notes: Vec<String>,
    /// The producer's own summary figures, kept as it wrote them (NUnit's `<test-run>`
    /// counters, CTRF's `results.summary`…), where they are not the buckets themselves.
    pub stated: std::collections::BTreeMap<String, serde_json::Value>,
}

impl TestRun {
    /// True when no test failed, errored or stayed incomplete and no error happened outside the
    /// tests (skipped and other tests do not count against a run).
    pub fn all_passed(&self) -> bool {
        self.blocking().next().is_none()
    }

    /// The tests that failed, errored or stayed incomplete, in report order.
    pub fn failing(&self) -> impl Iterator<Item = &TestCase> {
        self.cases.iter().map(Box::as_ref).filter(|c| c.outcome.blocks())
    }

    /// What keeps the run from passing: [`TestRun::failing`], then the errors outside tests.
    pub fn blocking(&self) -> impl Iterator<Item = &TestCase> {
        self.failing().chain(self.outside.iter())
    }

    /// The `other` tests that do not block (todo, inconclusive, pending…), in report order.
    pub fn others(&self) -> impl Iterator<Item = &TestCase> {
        self.cases.iter().map(Box::as_ref).filter(|c| c.outcome == Outcome::Other)
    }

    /// Adds a test that failed, errored, was skipped or ended otherwise (as `case.outcome`
    /// says), and keeps it unless it was skipped: its place in [`TestRun::cases`], if kept. An
    /// `other` test is counted under its `status` word (`other` when it has none).
    pub fn record(&mut self, case: TestCase) -> Option<usize> {
        let t = &mut self.totals;
        t.total = t.total.saturating_add(1);
        match case.outcome {
            Outcome::Failed => t.failed = t.failed.saturating_add(1),
            Outcome::Error => t.errors = t.errors.saturating_add(1),
            Outcome::Skipped => {
                t.skipped = t.skipped.saturating_add(1);
                return None;
            }
            Outcome::Incomplete | Outcome::Other => {
                t.other = t.other.saturating_add(1);
                let word = case.status.as_deref().unwrap_or("other").to_string();
                let n = self.other_kinds.entry(word).or_insert(0);
                *n = n.saturating_add(1);
            }
        }
        self.cases.push(Box::new(case));
        Some(self.cases.len() - 1)
    }

    /// Where a producer's own summary (`stated`: its counters, NUnit's `<test-run>`, mocha's
    /// `stats`, RSpec's `summary`, TRX's `<Counters>`) disagrees with the tests listed, the
    /// summary is the figure — when it holds together: its buckets make its total and leave room
    /// for every blocking test listed. Otherwise the tests listed are the figure. Either way a
    /// note names both, `what` naming the summary.
    pub fn prefer_stated(&mut self, stated: TestTotals, what: &str) {
        let mine = self.totals;
        let key = |t: &TestTotals| (t.total, t.passed, t.failed, t.errors, t.skipped, t.other);
        if key(&mine) == key(&stated) {
            return;
        }
        let sum = [stated.passed, stated.failed, stated.errors, stated.skipped, stated.other]
            .iter()
            .fold(0u64, |a, b| a.saturating_add(*b));
        let room = stated.failed.saturating_add(stated.errors).saturating_add(stated.other);
        let holds = sum == stated.total && room >= self.failing().count() as u64;
        let said = format!(
            "{what} states {} tests ({} passed, {} failed, {} errors, {} skipped, {} other) but the report lists {} \
             ({} passed, {} failed, {} errors, {} skipped, {} other)",
            stated.total,
            stated.passed,
            stated.failed,
            stated.errors,
            stated.skipped,
            stated.other,
            mine.total,
            mine.passed,
            mine.failed,
            mine.errors,
            mine.skipped,
            mine.other
        );
        self.block_unlisted(stated.failed.saturating_add(stated.errors), what);
        if holds {
            self.notes.push(format!("{said}; temis gives the producer's summary"));
            self.totals = TestTotals { flaky: mine.flaky.min(stated.passed), ..stated };
        } else {
            self.notes.push(format!("{said}; the summary does not hold together, temis counts the tests listed"));
        }
    }

    /// Failures a producer's summary counts (`failed`: its failed and errored tests) beyond the
    /// blocking tests the report lists still failed: one error outside tests says so, and blocks
    /// (the gate judges the tests listed). `what` names the summary.
    pub fn block_unlisted(&mut self, failed: u64, what: &str) {
        let listed = self.failing().count();
        let unlisted = failed.saturating_sub(listed as u64);
        if unlisted > 0 {
            let mut c = TestCase::new(format!("{unlisted} failed test(s) not listed"), Outcome::Error);
            c.message = Some(format_compact!(
                "{what} counts {failed} failed or errored test(s), the report lists {listed}: the others are not in it"
            ));
            self.record_outside(c);
        }
    }

    /// Keeps an error that happened outside any test (it is not counted as a test).
    pub fn record_outside(&mut self, error: TestCase) {
        self.outside.push(error);
    }

    /// Adds a test that passed on a rerun after failing (`case.outcome`), and keeps it.
    pub fn record_flaky(&mut self, case: TestCase) {
        self.record_pass();
        self.totals.flaky = self.totals.flaky.saturating_add(1);
        self.flaky.push(case);
    }

    /// Appends `later`, the run of what comes after this one in the same report (a later piece
    /// of a report read on several threads): its tests after these, its counts added. The
    /// producer's stated figures are this run's, and `later`'s where this one states none.
    pub fn absorb(&mut self, later: TestRun) {
        self.totals.add(&later.totals);
        self.cases.extend(later.cases);
        self.flaky.extend(later.flaky);
        for (word, n) in later.other_kinds {
            let mine = self.other_kinds.entry(word).or_insert(0);
            *mine = mine.saturating_add(n);
        }
        self.outside.extend(later.outside);
        self.notes.extend(later.notes);
        for (key, value) in later.stated {
            self.stated.entry(key).or_insert(value);
        }
    }

    /// Adds a passing test that is not kept (the common case: no allocation).
    pub fn record_pass(&mut self) {
        let t = &mut self.totals;
        t.total = t.total.saturating_add(1);
        t.passed = t.passed.saturating_add(1);
    }
}

/// The first non-blank line of `text`, trimmed and cut to [`MESSAGE_MAX`] characters (an
/// ellipsis marks a cut). `None` when the text is blank.
pub fn first_line(text: &str) -> Option<CompactString> {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    if line.len() <= MESSAGE_MAX {
        // No more characters than bytes.
        return Some(line.to_compact_string());
    }
    Some(match line.char_indices().nth(MESSAGE_MAX) {
        Some((cut, _)) => format_compact!("{}…", &line[..cut]),
        None => line.to_compact_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(name: &str, outcome: Outcome) -> TestCase {
        TestCase { suite: "s".into(), classname: "c".into(), ..TestCase::new(name, outcome) }
    }

    #[test]
    fn totals_add_up_and_only_non_passing_cases_are_kept() {
        let mut run = TestRun::default();
        run.record_pass();
        assert_eq!(run.record(case("a", Outcome::Failed)), Some(0));
        assert_eq!(run.record(case("b", Outcome::Error)), Some(1));
        assert_eq!(run.record(case("c", Outcome::Skipped)), None, "a skipped test is counted, not kept");
        run.record_flaky(case("d", Outcome::Failed));
        let t = run.totals;
        assert_eq!((t.total, t.passed, t.failed, t.errors), (5, 2, 1, 1));
        assert_eq!((t.skipped, t.flaky), (1, 1));
        assert_eq!(run.cases.len(), 2);
        assert_eq!(run.flaky[0].name, "d");
        let failing: Vec<_> = run.failing().map(|c| c.name.as_str()).collect();
        assert_eq!(failing, ["a", "b"]);
        assert!(!run.all_passed());
    }

    #[test]
    fn other_tests_are_counted_by_word_and_incomplete_ones_block() {
        let mut run = TestRun::default();
        run.record_pass();
        run.record(TestCase { status: Some("todo".into()), ..case("t", Outcome::Other) });
        run.record(TestCase { status: Some("todo".into()), ..case("u", Outcome::Other) });
        assert!(run.all_passed(), "todo tests do not block");
        assert_eq!((run.totals.total, run.totals.other, run.totals.ran()), (3, 2, 1));
        assert_eq!(run.other_kinds.get("todo"), Some(&2));
        assert_eq!(run.others().count(), 2);
        run.record(TestCase { status: Some("incomplete".into()), ..case("v", Outcome::Incomplete) });
        assert!(!run.all_passed(), "a test that never finished blocks");
        assert_eq!(run.failing().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["v"]);
        let mut outside = TestRun::default();
        outside.record_pass();
        outside.record_outside(case("pkg", Outcome::Error));
        assert_eq!(outside.totals.total, 1, "an error outside tests is not a test");
        assert!(!outside.all_passed());
    }

    #[test]
    fn a_summary_is_preferred_only_when_it_holds_together() {
        let mut run = TestRun::default();
        run.record_pass();
        run.record(case("a", Outcome::Failed));
        let stated = TestTotals { total: 3, passed: 2, failed: 1, ..TestTotals::default() };
        run.prefer_stated(stated, "the summary");
        assert_eq!(run.totals, stated);
        let mut run = TestRun::default();
        run.record(case("a", Outcome::Failed));
        run.prefer_stated(TestTotals { total: 1, passed: 1, ..TestTotals::default() }, "the summary");
        assert_eq!(run.totals.failed, 1, "a summary with no room for the failing test listed");
        run.prefer_stated(TestTotals { total: 1, passed: 2, ..TestTotals::default() }, "the summary");
        assert_eq!(run.totals.failed, 1, "a summary whose buckets exceed its total");
        assert_eq!(run.notes.len(), 2);
    }

    /// A summary that counts failures the report does not list (mocha's `stats.failures` with an
    /// empty `failures[]`, TRX's `<Counters failed>`, RSpec's `failure_count`): the run does not
    /// pass (the gate approved it, judging only the tests listed).
    #[test]
    fn failures_a_summary_counts_but_does_not_list_block() {
        let mut run = TestRun::default();
        run.record_pass();
        run.prefer_stated(TestTotals { total: 2, passed: 1, failed: 1, ..TestTotals::default() }, "the summary");
        assert_eq!(run.totals.failed, 1);
        assert!(!run.all_passed());
        assert_eq!(run.outside.len(), 1);
        assert!(
            run.outside[0]
                .message
                .as_deref()
                .unwrap()
                .contains("counts 1 failed or errored test(s), the report lists 0")
        );
        let mut listed = TestRun::default();
        listed.record(case("a", Outcome::Failed));
        listed.prefer_stated(TestTotals { total: 2, passed: 1, failed: 1, ..TestTotals::default() }, "the summary");
        assert!(listed.outside.is_empty(), "the failure is listed");
    }

    #[test]
    fn first_line_skips_blank_lines_and_cuts_long_ones() {
        assert_eq!(first_line("\n  \n  boom \nmore"), Some("boom".into()));
        assert_eq!(first_line(" \n "), None);
        let long = "é".repeat(MESSAGE_MAX + 10);
        let cut = first_line(&long).unwrap();
        assert_eq!(cut.chars().count(), MESSAGE_MAX + 1);
        assert!(cut.ends_with('…'));
        // At the limit, counted in characters, not bytes.
        for (text, kept) in [("a".repeat(MESSAGE_MAX), true), ("a".repeat(MESSAGE_MAX + 1), false)] {
            assert_eq!(first_line(&text).as_deref() == Some(text.as_str()), kept, "{} bytes", text.len());
        }
        let wide = "é".repeat(MESSAGE_MAX);
        assert_eq!(first_line(&wide).as_deref(), Some(wide.as_str()));
    }

    #[test]
    fn serializes_outcomes_in_lowercase() {
        let json = serde_json::to_value(case("a", Outcome::Skipped)).unwrap();
        assert_eq!(json["outcome"], "skipped");
    }
}
