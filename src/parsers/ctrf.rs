//! CTRF, the Common Test Report Format (`ctrf-json`): the JSON that the CTRF reporters write for
//! jest, playwright, cypress, mocha, vitest, WebdriverIO, go test, pytest… (`ctrf/ctrf-report.json`).
//!
//! One test is one element of `results.tests[]`: `status` passed, failed and skipped map to the
//! buckets of the same name; `pending` and `other` are other (not blocking: CTRF reporters write
//! them for `it.todo` and for statuses they do not know); CTRF has no error state, so errors is
//! 0. A passed test marked `flaky: true` failed before it passed (its first failed
//! `retryAttempts[]` message is kept). A test without a status is other and blocks.
//!
//! The counting is the tests listed, not `results.summary`: real reports carry summaries that
//! disagree with their own tests (a playwright shard states 24 passed and 26 skipped and lists
//! 21 and 29), and the summary is a count the reporter made of the same list. The summary is kept
//! as stated (`stated`), and a note says where it disagrees. `results` and `results.tests` are
//! required; `tests: []` is a clean, empty run.

use std::fmt;

use serde::Deserialize;
use serde::de::{IgnoredAny, MapAccess, Visitor};

use super::testjson::{self, each};
use super::tolerant::{First, LineNo, Num, Object, Text, Texts};
use crate::input::Source;
use crate::model::{Outcome, TestCase, TestRun};
use crate::parsers::ParseError;
use crate::parsers::json;

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Test {
    name: Text,
    #[serde(deserialize_with = "super::tolerant::some_string")]
    status: Option<String>,
    duration: Num,
    message: Text,
    trace: Text,
    suite: Texts,
    file_path: Text,
    line: LineNo,
    flaky: Option<bool>,
    retries: Num,
    retry_attempts: First<Attempt>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Attempt {
    message: Text,
}

/// Reads a CTRF report.
pub fn parse(input: &Source) -> Result<TestRun, ParseError> {
    let mut run = TestRun::default();
    let found = json::read(input, json::Object(Top(&mut run)))
        .map_err(|e| json::explain(input, e, json::Object(Top(&mut TestRun::default()))))?;
    match found {
        Found { results: false, .. } => Err(ParseError::whole("no `results`: not a CTRF report")),
        Found { tests: false, .. } => {
            Err(ParseError::whole("no `results.tests` list: the CTRF report lists no tests, not even an empty list"))
        }
        Found { summary, .. } => {
            if let Some(s) = summary {
                note_summary(&mut run, &s);
                for (k, v) in s.0 {
                    run.stated.insert(k, v.into());
                }
            }
            Ok(run)
        }
    }
}

struct Found {
    results: bool,
    tests: bool,
    summary: Option<Counters>,
}

/// `results.summary`'s counts, by name.
#[derive(Default)]
struct Counters(Vec<(String, u64)>);

impl<'de> Deserialize<'de> for Counters {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let Object(entries) = Object::<json::Entries<IgnoredOr>>::deserialize(d)?;
        Ok(Counters(entries.0.into_iter().filter_map(|(k, v)| v.0.map(|n| (k, n))).collect()))
    }
}

/// A count, or anything else (a timestamp written as text) skipped.
struct IgnoredOr(Option<u64>);

impl<'de> Deserialize<'de> for IgnoredOr {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let Num(n) = Num::deserialize(d)?;
        Ok(IgnoredOr(n.filter(|n| *n >= 0.0 && n.fract() == 0.0).map(|n| n as u64)))
    }
}

fn note_summary(run: &mut TestRun, s: &Counters) {
    let get = |k: &str| s.0.iter().find(|(key, _)| key == k).map(|(_, n)| *n);
    let t = run.totals;
    let pairs = [
        ("tests", t.total),
        ("passed", t.passed),
        ("failed", t.failed),
        ("skipped", t.skipped),
        ("pending+other", t.other),
    ];
    let mut off = Vec::new();
    for (key, mine) in pairs {
        let stated = if key == "pending+other" {
            match (get("pending"), get("other")) {
                (None, None) => None,
                (a, b) => Some(a.unwrap_or(0).saturating_add(b.unwrap_or(0))),
            }
        } else {
            get(key)
        };
        if let Some(stated) = stated.filter(|s| *s != mine) {
            off.push(format!("{key} {stated} (listed: {mine})"));
        }
    }
    if !off.is_empty() {
        run.notes.push(format!(
            "results.summary disagrees with the tests listed: {}; temis counts the tests listed",
            off.join(", ")
        ));
    }
}

struct Top<'a>(&'a mut TestRun);

impl<'de> Visitor<'de> for Top<'_> {
    type Value = Found;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a CTRF report (an object with `results`)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Found, A::Error> {
        let mut found = Found { results: false, tests: false, summary: None };
        while let Some(key) = map.next_key::<String>()? {
            if key == "results" {
                found = map.next_value_seed(json::Object(Results(&mut *self.0)))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

/// `results`: `summary`, then `tests`, each test read into the run as it comes.
struct Results<'a>(&'a mut TestRun);

impl<'de> Visitor<'de> for Results<'_> {
    type Value = Found;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the CTRF `results` object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Found, A::Error> {
        let run = self.0;
        let mut found = Found { results: true, tests: false, summary: None };
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "summary" => found.summary = Some(map.next_value()?),
                "tests" => {
                    found.tests = true;
                    map.next_value_seed(each("test objects", &mut |t: Test| {
                        test(run, t);
                        Ok(())
                    }))?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(found)
    }
}

fn test(run: &mut TestRun, t: Test) {
    let (outcome, word) = match t.status.as_deref() {
        Some("passed") if t.flaky != Some(true) => return run.record_pass(),
        Some("passed") => (Outcome::Failed, None),
        Some("failed") => (Outcome::Failed, None),
        Some("skipped") => (Outcome::Skipped, None),
        Some("pending") => (Outcome::Other, Some("pending".to_string())),
        Some("other") => (Outcome::Other, Some("other".to_string())),
        Some(word) => (Outcome::Incomplete, Some(format!("status {word:?}"))),
        None => (Outcome::Incomplete, Some("no status".to_string())),
    };
    let mut c = TestCase::new(t.name.0.unwrap_or_default(), outcome);
    c.suite = t.suite.0.join(" > ");
    c.file = t.file_path.0;
    c.line = t.line.0;
    c.time = t.duration.0.map(|ms| ms / 1000.0);
    c.status = word;
    c.message =
        t.message.as_deref().and_then(testjson::message).or_else(|| t.trace.as_deref().and_then(testjson::message));
    if t.status.as_deref() == Some("passed") {
        let retries = t.retries.0.unwrap_or(0.0);
        c.message = t.retry_attempts.0.and_then(|a| a.message.as_deref().and_then(testjson::message)).or_else(|| {
            Some(format!("flaky: passed after {retries} retr{}", if retries == 1.0 { "y" } else { "ies" }))
        });
        return run.record_flaky(c);
    }
    run.record(c);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<TestRun, ParseError> {
        parse(&Source::bytes("ctrf.json", text.as_bytes()))
    }

    #[test]
    fn statuses_fall_in_their_buckets_and_flaky_tests_are_said() {
        let run = read(r#"{"reportFormat":"CTRF","results":{"tool":{"name":"jest"},
"summary":{"tests":6,"passed":2,"failed":1,"pending":1,"skipped":1,"other":1,"start":1,"stop":2},
"tests":[{"name":"a","status":"passed","duration":5},
{"name":"b","status":"failed","message":"\u001b[31mexpected 1\u001b[39m","suite":["S","T"],"filePath":"t/b.test.js"},
{"name":"c","status":"passed","flaky":true,"retries":2,"retryAttempts":[{"attempt":1,"status":"failed","message":"timeout"}]},
{"name":"d","status":"skipped"},{"name":"e","status":"pending"},{"name":"f","status":"other"}]}}"#)
        .unwrap();
        let t = run.totals;
        assert_eq!((t.total, t.passed, t.failed, t.skipped, t.other, t.flaky), (6, 2, 1, 1, 2, 1));
        assert!(run.notes.is_empty(), "{:?}", run.notes);
        let b = run.failing().next().unwrap();
        assert_eq!((b.suite.as_str(), b.message.as_deref()), ("S > T", Some("expected 1")));
        assert_eq!(run.flaky[0].message.as_deref(), Some("timeout"));
        assert_eq!(run.failing().count(), 1, "pending and other do not block");
        assert_eq!(run.stated.get("pending"), Some(&serde_json::json!(1)));
    }

    #[test]
    fn a_disagreeing_summary_is_noted_and_the_list_counts() {
        let run = read(
            r#"{"results":{"summary":{"tests":2,"passed":2,"failed":0},"tests":[{"name":"a","status":"failed"}]}}"#,
        )
        .unwrap();
        assert_eq!((run.totals.total, run.totals.failed), (1, 1));
        assert!(run.notes[0].contains("tests 2 (listed: 1)"), "{:?}", run.notes);
    }

    #[test]
    fn missing_or_wrong_lists_are_errors_and_an_empty_list_is_clean() {
        assert!(read(r#"{"results":{"summary":{}}}"#).unwrap_err().to_string().contains("no `results.tests`"));
        let e = read(r#"{"results":{"tests":{"name":"a"}}}"#).unwrap_err();
        assert!(e.to_string().contains("results.tests"), "{e}");
        let e = read(r#"{"results":{"tests":[{"name":"a","status":["passed"]}]}}"#).unwrap_err();
        assert!(e.to_string().contains("status"), "{e}");
        assert_eq!(read(r#"{"results":{"tests":[]}}"#).unwrap().totals.total, 0);
        assert!(!read(r#"{"results":{"tests":[{"name":"x"}]}}"#).unwrap().all_passed(), "no status blocks");
    }
}
