//! The outcome of a test run, as read from a test-results report (JUnit XML).
//!
//! It exists so that a gate can say "all tests pass" and "at least N tests ran", and name the
//! tests that did not pass. Passing tests are only counted; the tests that failed, errored, were
//! skipped or passed only on a rerun are kept with their names and first message line, so memory
//! grows with the failures, never with the size of the report.

use serde::Serialize;

/// How many tests a run had, by outcome.
///
/// `total = passed + failed + errors + skipped`; `flaky` counts tests that failed at first and
/// passed on a rerun: they are already in `passed`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TestTotals {
    pub total: u64,
    pub passed: u64,
    pub failed: u64,
    pub skipped: u64,
    pub errors: u64,
    pub flaky: u64,
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
}

/// One test that did not simply pass.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TestCase {
    /// The enclosing `<testsuite>`'s name (empty when the report gives none).
    pub suite: String,
    pub classname: String,
    pub name: String,
    pub file: Option<String>,
    pub line: Option<u32>,
    /// For a flaky test, how its failed attempt(s) ended.
    pub outcome: Outcome,
    /// The first line of the producer's message, at most [`MESSAGE_MAX`] characters.
    pub message: Option<String>,
    /// Seconds, as the report states them.
    pub time: Option<f64>,
}

impl TestCase {
    /// `classname::name`, or the name alone when the report gives no class.
    pub fn full_name(&self) -> String {
        if self.classname.is_empty() { self.name.clone() } else { format!("{}::{}", self.classname, self.name) }
    }
}

/// The longest message kept for a test case, in characters.
pub const MESSAGE_MAX: usize = 500;

/// The outcome of a test run.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TestRun {
    pub totals: TestTotals,
    /// The tests that failed, errored or were skipped, in report order.
    pub cases: Vec<TestCase>,
    /// The tests that failed and then passed on a rerun (counted as passed).
    pub flaky: Vec<TestCase>,
    /// Decisions a user should know about (a stated test count that was not used…).
    pub notes: Vec<String>,
}

impl TestRun {
    /// True when no test failed or errored (skipped tests do not count against a run).
    pub fn all_passed(&self) -> bool {
        self.totals.failed == 0 && self.totals.errors == 0
    }

    /// The tests that failed or errored, in report order.
    pub fn failing(&self) -> impl Iterator<Item = &TestCase> {
        self.cases.iter().filter(|c| matches!(c.outcome, Outcome::Failed | Outcome::Error))
    }

    /// Adds a test that failed, errored or was skipped (as `case.outcome` says), and keeps it.
    pub fn record(&mut self, case: TestCase) {
        let t = &mut self.totals;
        t.total = t.total.saturating_add(1);
        match case.outcome {
            Outcome::Failed => t.failed = t.failed.saturating_add(1),
            Outcome::Error => t.errors = t.errors.saturating_add(1),
            Outcome::Skipped => t.skipped = t.skipped.saturating_add(1),
        }
        self.cases.push(case);
    }

    /// Adds a test that passed on a rerun after failing (`case.outcome`), and keeps it.
    pub fn record_flaky(&mut self, case: TestCase) {
        self.record_pass();
        self.totals.flaky = self.totals.flaky.saturating_add(1);
        self.flaky.push(case);
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
pub fn first_line(text: &str) -> Option<String> {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    Some(match line.char_indices().nth(MESSAGE_MAX) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(name: &str, outcome: Outcome) -> TestCase {
        TestCase {
            suite: "s".into(),
            classname: "c".into(),
            name: name.into(),
            file: None,
            line: None,
            outcome,
            message: None,
            time: None,
        }
    }

    #[test]
    fn totals_add_up_and_only_non_passing_cases_are_kept() {
        let mut run = TestRun::default();
        run.record_pass();
        run.record(case("a", Outcome::Failed));
        run.record(case("b", Outcome::Error));
        run.record(case("c", Outcome::Skipped));
        run.record_flaky(case("d", Outcome::Failed));
        let t = run.totals;
        assert_eq!((t.total, t.passed, t.failed, t.errors), (5, 2, 1, 1));
        assert_eq!((t.skipped, t.flaky), (1, 1));
        assert_eq!(run.cases.len(), 3);
        assert_eq!(run.flaky[0].name, "d");
        let failing: Vec<_> = run.failing().map(|c| c.name.as_str()).collect();
        assert_eq!(failing, ["a", "b"]);
        assert!(!run.all_passed());
    }

    #[test]
    fn first_line_skips_blank_lines_and_cuts_long_ones() {
        assert_eq!(first_line("\n  \n  boom \nmore"), Some("boom".into()));
        assert_eq!(first_line(" \n "), None);
        let long = "é".repeat(MESSAGE_MAX + 10);
        let cut = first_line(&long).unwrap();
        assert_eq!(cut.chars().count(), MESSAGE_MAX + 1);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn serializes_outcomes_in_lowercase() {
        let json = serde_json::to_value(case("a", Outcome::Skipped)).unwrap();
        assert_eq!(json["outcome"], "skipped");
    }
}
