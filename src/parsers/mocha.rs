//! mocha's JSON reporter (`mocha --reporter json`, also `--reporter-option output=…`).
//!
//! The figures are the reporter's own `stats` block: total = `stats.tests`, passed =
//! `stats.passes`, failed = `stats.failures`, skipped = `stats.pending` (mocha's pending tests:
//! `it.skip`, `it` without a body); mocha has no error state, so errors is 0. The `failures`,
//! `pending` and `passes` lists name the tests (`fullTitle`) with the first line of `err.message`
//! (colours taken out), and are checked against `stats`: where they disagree `stats` is the
//! figure and a note says so. A failing hook (`"before all" hook for "a"`) is in `failures` and
//! counted in `stats.failures` but is no test: it is an error outside the tests (it blocks), and
//! `stats.failures` less the hooks is the failed tests — a run whose only failure is its `before`
//! hook ran no test. mocha keeps only a
//! retried test's last attempt, with `currentRetry`: a passed test with `currentRetry > 0`
//! failed before it passed, and is flaky. The `tests` list repeats the others and is skipped.
//! A `stats.tests` above passes, failures and pending counts the rest as other, and blocks (an
//! error outside tests): every test mocha ends is one of the three, so those were never measured.
//! A run whose passed tests carry no `duration` (mocha times every test it runs) is a dry run
//! (`mocha --dry-run`, which runs none and lists each as passed): an error outside the tests.
//! Each list must be a list of objects and each `stats` count a number: anything else is an
//! error naming the field.

use std::fmt;

use serde::Deserialize;
use serde::de::{IgnoredAny, MapAccess, Visitor};

use super::testjson::{self, each};
use super::tolerant::{Num, Text};
use crate::input::Source;
use crate::model::{Outcome, TestCase, TestRun, TestTotals};
use crate::parsers::ParseError;
use crate::parsers::json;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Stats {
    tests: Option<u64>,
    passes: Option<u64>,
    failures: Option<u64>,
    pending: Option<u64>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Test {
    title: Text,
    full_title: Text,
    file: Text,
    duration: Num,
    current_retry: Num,
    err: Err,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Err {
    message: Text,
    stack: Text,
}

impl Test {
    /// Whether this is a hook that failed (`"before all" hook for "a"`), which mocha lists in
    /// `failures` and counts in `stats.failures` but is no test.
    fn is_hook(&self) -> bool {
        let title = self.title.as_deref().unwrap_or_default();
        ["\"before all\" hook", "\"before each\" hook", "\"after all\" hook", "\"after each\" hook"]
            .iter()
            .any(|h| title.starts_with(h))
    }

    fn case(self, outcome: Outcome) -> TestCase {
        let name = self.full_title.0.or(self.title.0).unwrap_or_default();
        let mut c = TestCase::new(name, outcome);
        c.file = self.file.0.map(Into::into);
        c.time = self.duration.0.map(|ms| ms / 1000.0);
        c.message = self
            .err
            .message
            .as_deref()
            .and_then(testjson::message)
            .or_else(|| self.err.stack.as_deref().and_then(testjson::message));
        c
    }
}

/// Reads a mocha JSON report.
pub fn parse(input: &Source) -> Result<TestRun, ParseError> {
    let mut run = TestRun::default();
    let (stats, passes) = json::read(input, json::Object(Doc(&mut run)))
        .map_err(|e| json::explain(input, e, json::Object(Doc(&mut TestRun::default()))))?;
    let Some(stats) = stats else {
        return Err(ParseError::whole("no `stats` block: not a mocha JSON report (mocha --reporter json writes one)"));
    };
    let (Some(tests), Some(passed), Some(failed), Some(skipped)) =
        (stats.tests, stats.passes, stats.failures, stats.pending)
    else {
        return Err(ParseError::whole(
            "`stats` lacks one of tests, passes, failures, pending: not a mocha JSON report",
        ));
    };
    // stats.tests counts tests; stats.failures also counts failing hooks, listed in `failures`
    // and read as errors outside the tests: they are no test that ran.
    let failed = failed.saturating_sub(run.outside.len() as u64);
    let buckets = passed.saturating_add(failed).saturating_add(skipped);
    let other = tests.saturating_sub(buckets);
    let stated = TestTotals { total: tests.max(buckets), passed, failed, skipped, errors: 0, other, flaky: 0 };
    run.prefer_stated(stated, "mocha's `stats`");
    if other > 0 && run.totals.other == other {
        run.other_kinds.insert("not in stats' passes, failures or pending".into(), other);
    }
    if other > 0 {
        // Every test mocha ends is a pass, a failure or pending: the rest were never measured.
        let mut c = TestCase::new("mocha's stats", Outcome::Error);
        c.message = Some(compact_str::format_compact!(
            "`stats` counts {tests} tests but only {buckets} passed, failed or are pending: {other} never reported an end"
        ));
        run.record_outside(c);
    }
    if passes.listed > 0 && passes.timed == 0 {
        // mocha times every test it runs; `--dry-run` runs none and lists each as passed.
        let mut c = TestCase::new("mocha --dry-run", Outcome::Error);
        c.message = Some(compact_str::format_compact!(
            "no passed test has a duration: a dry run (mocha --dry-run), which runs no test"
        ));
        run.record_outside(c);
    }
    for (k, v) in [("tests", tests), ("passes", passed), ("failures", failed), ("pending", skipped)] {
        run.stated.insert(k.into(), v.into());
    }
    Ok(run)
}

/// The document: `stats`, then the lists, each read into the run as it comes.
struct Doc<'a>(&'a mut TestRun);

/// The passed tests listed, and how many of them have a `duration`.
#[derive(Default)]
struct Passes {
    listed: u64,
    timed: u64,
}

impl<'de> Visitor<'de> for Doc<'_> {
    type Value = (Option<Stats>, Passes);

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a mocha JSON report (an object with `stats`)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let run = self.0;
        let (mut stats, mut keys, mut passes) = (None, json::Keys::default(), Passes::default());
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "stats" => {
                    keys.once("stats")?;
                    stats = Some(map.next_value::<super::tolerant::Object<Stats>>()?.0);
                }
                "failures" => map.next_value_seed(each("test objects", &mut |t: Test| {
                    if t.is_hook() {
                        run.record_outside(t.case(Outcome::Error));
                    } else {
                        run.record(t.case(Outcome::Failed));
                    }
                    Ok(())
                }))?,
                "pending" => map.next_value_seed(each("test objects", &mut |t: Test| {
                    run.record(t.case(Outcome::Skipped));
                    Ok(())
                }))?,
                "passes" => map.next_value_seed(each("test objects", &mut |t: Test| {
                    passes.listed += 1;
                    passes.timed += u64::from(t.duration.0.is_some());
                    if t.current_retry.0.is_some_and(|n| n > 0.0) {
                        let retries = t.current_retry.0.unwrap_or(0.0);
                        let mut c = t.case(Outcome::Failed);
                        c.message = Some(compact_str::format_compact!(
                            "passed on retry {retries} (mocha keeps only the last attempt)"
                        ));
                        run.record_flaky(c);
                    } else {
                        run.record_pass();
                    }
                    Ok(())
                }))?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok((stats, passes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<TestRun, ParseError> {
        parse(&Source::bytes("m.json", text.as_bytes()))
    }

    #[test]
    fn stats_are_the_figures_and_lists_name_the_tests() {
        let run = read(r#"{"stats":{"suites":1,"tests":4,"passes":2,"pending":1,"failures":1},
"tests":[],
"pending":[{"title":"later","fullTitle":"math later","err":{}}],
"failures":[{"title":"adds","fullTitle":"math adds","file":"/t/math.js","duration":3,"currentRetry":0,
  "err":{"message":"\u001b[31mexpected 3 to equal 4\u001b[39m\nmore","stack":"AssertionError"}}],
"passes":[{"title":"a","fullTitle":"math a","duration":1,"currentRetry":0,"err":{}},{"title":"b","fullTitle":"math b","duration":0,"currentRetry":2,"err":{}}]}"#)
        .unwrap();
        let t = run.totals;
        assert_eq!((t.total, t.passed, t.failed, t.skipped, t.errors, t.flaky), (4, 2, 1, 1, 0, 1));
        assert!(run.notes.is_empty(), "{:?}", run.notes);
        let failed = run.failing().next().unwrap();
        assert_eq!((failed.name.as_str(), failed.message.as_deref()), ("math adds", Some("expected 3 to equal 4")));
        assert_eq!(run.flaky[0].name, "math b");
    }

    /// A failing hook is an error outside the tests, not a test: a run whose only failure was
    /// its `before all` hook (mocha: `tests: 0`) read as one test that ran.
    #[test]
    fn a_failing_hook_is_an_error_outside_the_tests() {
        let run = read(r#"{"stats":{"tests":1,"passes":1,"pending":0,"failures":1},"failures":[{"title":"\"before all\" hook","fullTitle":"db \"before all\" hook","err":{"message":"db down"}}],"passes":[{"fullTitle":"x","duration":2}]}"#).unwrap();
        assert_eq!((run.totals.total, run.totals.passed, run.totals.failed), (1, 1, 0));
        assert_eq!(run.outside.len(), 1);
        assert_eq!(run.outside[0].message.as_deref(), Some("db down"));
        assert_eq!(run.stated.get("tests"), Some(&serde_json::json!(1)));
        assert!(!run.all_passed());
        let short =
            read(r#"{"stats":{"tests":3,"passes":1,"pending":0,"failures":0},"passes":[{"fullTitle":"x"}]}"#).unwrap();
        assert_eq!(short.totals.total, 3, "stats are the figures");
        assert!(short.notes[0].contains("mocha's `stats`"), "{:?}", short.notes);
    }

    #[test]
    fn tests_stats_counts_beyond_its_buckets_block_and_a_null_list_is_an_error() {
        let run = read(r#"{"stats":{"suites":1,"tests":5,"passes":1,"pending":0,"failures":0},"tests":[],"pending":[],"failures":[],"passes":[{"title":"a","fullTitle":"a","duration":0,"err":{}}]}"#).unwrap();
        assert_eq!((run.totals.total, run.totals.other), (5, 4));
        assert_eq!(run.outside.len(), 1, "{:?}", run.outside);
        assert!(run.outside[0].message.as_deref().unwrap().contains("4 never reported an end"));
        assert!(!run.all_passed());
        let e = read(r#"{"stats":{"tests":0,"passes":0,"pending":0,"failures":0},"failures":null}"#).unwrap_err();
        assert!(e.to_string().contains("failures"), "{e}");
    }

    /// `mocha --dry-run --reporter json` (mocha 11): every test listed as passed, none timed,
    /// and exit 0 — approved as a run of two passing tests.
    #[test]
    fn a_dry_run_ran_no_test() {
        let dry = r#"{"stats":{"suites":1,"tests":2,"passes":2,"pending":0,"failures":0,"start":"2026-01-01T00:00:00.000Z","end":"2026-01-01T00:00:00.001Z","duration":1},
"tests":[{"title":"adds","fullTitle":"math adds","file":"/t/math.test.js","currentRetry":0,"err":{}},{"title":"subtracts","fullTitle":"math subtracts","file":"/t/math.test.js","currentRetry":0,"err":{}}],
"pending":[],"failures":[],
"passes":[{"title":"adds","fullTitle":"math adds","file":"/t/math.test.js","currentRetry":0,"err":{}},{"title":"subtracts","fullTitle":"math subtracts","file":"/t/math.test.js","currentRetry":0,"err":{}}]}"#;
        let run = read(dry).unwrap();
        assert!(!run.all_passed());
        assert!(run.outside[0].message.as_deref().unwrap().contains("mocha --dry-run"), "{:?}", run.outside);
        let ran = read(&dry.replace(r#""currentRetry":0,"err":{}}]}"#, r#""duration":0,"currentRetry":0,"err":{}}]}"#))
            .unwrap();
        assert!(ran.all_passed(), "{:?}", ran.outside);
    }

    #[test]
    fn wrong_types_are_errors_and_an_empty_run_is_clean() {
        let e = read(r#"{"stats":{"tests":0,"passes":0,"pending":0,"failures":0},"failures":{"a":1}}"#).unwrap_err();
        assert!(e.to_string().contains("failures"), "{e}");
        let e = read(r#"{"stats":{"tests":"1","passes":0,"pending":0,"failures":0}}"#).unwrap_err();
        assert!(e.to_string().contains("stats.tests"), "{e}");
        assert!(read(r#"{"tests":[]}"#).unwrap_err().to_string().contains("no `stats`"));
        let run = read(r#"{"stats":{"tests":0,"passes":0,"pending":0,"failures":0},"tests":[],"pending":[],"failures":[],"passes":[]}"#).unwrap();
        assert_eq!(run.totals, TestTotals::default());
    }
}
