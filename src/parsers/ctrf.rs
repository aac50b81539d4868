//! CTRF, the Common Test Report Format (`ctrf-json`): the JSON that the CTRF reporters write for
//! jest, playwright, cypress, mocha, vitest, WebdriverIO, go test, pytest… (`ctrf/ctrf-report.json`).
//!
//! One test is one element of `results.tests[]`: `status` passed, failed and skipped map to the
//! buckets of the same name; `pending` and `other` are other (not blocking: CTRF reporters write
//! them for `it.todo` and for statuses they do not know); CTRF has no error state, so errors is
//! 0. A passed test marked `flaky: true`, or with `retries` above 0, failed before it passed (its
//! first failed `retryAttempts[]` message is kept). A test without a status is other and blocks.
//! Errors a reporter lists in `results.extra.errors[]` (playwright's: global set-up, a crashed
//! worker, a web server that never started), or one given there as an object, are errors outside
//! tests, and block.
//!
//! The counting is the tests listed, not `results.summary`: real reports carry summaries that
//! disagree with their own tests (a playwright shard states 24 passed and 26 skipped and lists
//! 21 and 29), and the summary is a count the reporter made of the same list. The summary is kept
//! as stated (`stated`), and a note says where it disagrees. Failed tests the summary counts
//! beyond the failing tests listed (a list cut short, a reporter that dropped a test) are an
//! error outside tests, and block: the counts stay the list's, the verdict never approves what
//! the producer said failed. `results` and `results.tests` are required; `tests: []` is a clean,
//! empty run.

use std::fmt;

use serde::Deserialize;
use serde::de::{IgnoredAny, MapAccess, Visitor};

use super::testjson::{self, each};
use super::tolerant::{First, LineNo, Loose, Num, Object, Text, Texts};
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

/// `results.extra`, where a reporter may list errors outside the tests.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Extra {
    errors: Option<RunErrors>,
}

/// `results.extra.errors`: a list of errors, as playwright's reporter writes it; one error given
/// as an object is an error too (it was passed over). Any other value is the reporter's own.
enum RunErrors {
    List(Vec<Loose<RunError>>),
    One(RunError),
}

impl<'de> Deserialize<'de> for RunErrors {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Object {
            #[serde(default)]
            message: Text,
            #[serde(flatten)]
            rest: std::collections::BTreeMap<String, serde::de::IgnoredAny>,
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Shape {
            List(Vec<Loose<RunError>>),
            One(Object),
            Other(serde::de::IgnoredAny),
        }
        Ok(match Shape::deserialize(d)? {
            Shape::List(l) => RunErrors::List(l),
            Shape::One(o) if o.message.0.is_none() && o.rest.is_empty() => RunErrors::List(Vec::new()),
            Shape::One(o) => RunErrors::One(RunError { message: o.message }),
            Shape::Other(_) => RunErrors::List(Vec::new()),
        })
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RunError {
    message: Text,
}

/// Reads a CTRF report: a large one a chunk of tests at a time, one chunk per thread
/// ([`json::read_object_in_chunks`] on `results.tests`, cut where a `{"name":` test begins), any
/// other in one stream.
pub fn parse(input: &Source) -> Result<TestRun, ParseError> {
    let mut state = State::default();
    let records = json::Records::Member(&[json::Step::Key("results"), json::Step::Key("tests")], b'[');
    match json::read_object_in_chunks(input, records, test_start, &mut state) {
        Ok(()) => {}
        Err(json::ChunkError::NotChunked) => {
            // Read in one go, from a fresh start (what came before the tests may have been read).
            state = State::default();
            json::read(input, json::Object(Top(&mut state)))
                .map_err(|e| json::explain(input, e, json::Object(Top(&mut State::default()))))?;
        }
        Err(json::ChunkError::Invalid) => {
            let e = json::read(input, json::Object(Top(&mut State::default())))
                .map_err(|e| json::explain(input, e, json::Object(Top(&mut State::default()))))
                .err();
            return Err(e.unwrap_or_else(|| {
                ParseError::whole(
                    "internal error: the report was refused in chunks but read whole; please report this with the file",
                )
            }));
        }
    }
    let State { mut run, results, tests, summary, .. } = state;
    if !results {
        return Err(ParseError::whole("no `results`: not a CTRF report"));
    }
    if !tests {
        return Err(ParseError::whole(
            "no `results.tests` list: the CTRF report lists no tests, not even an empty list",
        ));
    }
    if let Some(s) = summary {
        note_summary(&mut run, &s);
        if let Some(failed) = s.get("failed") {
            run.block_unlisted(failed, "results.summary");
        }
        for (k, v) in s.0 {
            run.stated.insert(k, v.into());
        }
    }
    Ok(run)
}

/// What a CTRF report gave, over every document it is read as.
#[derive(Default)]
struct State {
    run: TestRun,
    results: bool,
    tests: bool,
    summary: Option<Counters>,
    /// Whether the last key read is `tests` in `results` (at the top level).
    at_tests: bool,
}

impl json::ObjectReader for State {
    type Part = TestRun;

    fn read<'de, D: serde::Deserializer<'de>>(&mut self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(Top(self))
    }

    fn read_part(chunk: &[u8], _: bool) -> Option<TestRun> {
        let mut run = TestRun::default();
        json::read_chunk(chunk, |de| {
            serde::de::DeserializeSeed::deserialize(
                each("test objects", &mut |t: Test| {
                    test(&mut run, t);
                    Ok(())
                }),
                de,
            )
        })?;
        Some(run)
    }

    fn absorb(&mut self, part: TestRun) {
        self.run.absorb(part);
    }

    fn read_the_member(&self) -> bool {
        self.at_tests
    }
}

/// Where a test of `results.tests` begins in `window`: a `{"name":` right after a comma.
fn test_start(window: &[u8]) -> Option<usize> {
    memchr::memmem::find_iter(window, b"{\"name\":").find(|&i| json::follows_comma(window, i))
}

/// `results.summary`'s counts, by name.
#[derive(Default)]
struct Counters(Vec<(String, u64)>);

impl Counters {
    /// The count named `key`, if the summary gives it.
    fn get(&self, key: &str) -> Option<u64> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, n)| *n)
    }
}

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
    let get = |k: &str| s.get(k);
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

struct Top<'a>(&'a mut State);

impl<'de> Visitor<'de> for Top<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a CTRF report (an object with `results`)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            self.0.at_tests = false;
            if key == "results" {
                map.next_value_seed(json::Object(Results(&mut *self.0)))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// `results`: `summary`, then `tests`, each test read into the run as it comes.
struct Results<'a>(&'a mut State);

impl<'de> Visitor<'de> for Results<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the CTRF `results` object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let state = self.0;
        state.results = true;
        while let Some(key) = map.next_key::<String>()? {
            state.at_tests = key == "tests";
            match key.as_str() {
                "summary" => {
                    // Kept across the documents a large report is read as: one `summary` in all.
                    if state.summary.is_some() {
                        return Err(serde::de::Error::duplicate_field("summary"));
                    }
                    state.summary = Some(map.next_value()?);
                }
                "extra" => {
                    // Producer-specific; playwright's reporter puts the run's own errors here
                    // (global set-up and tear-down, a worker that crashed, a web server that
                    // never came up).
                    let Loose(extra) = map.next_value::<Loose<Extra>>()?;
                    let errors = match extra.and_then(|e| e.errors) {
                        Some(RunErrors::List(l)) => l,
                        Some(RunErrors::One(e)) => vec![Loose(Some(e))],
                        None => Vec::new(),
                    };
                    for e in errors {
                        let Loose(e) = e;
                        let mut c = TestCase::new("run error", Outcome::Error);
                        c.message = e
                            .and_then(|e| e.message.0)
                            .as_deref()
                            .and_then(testjson::message)
                            .or_else(|| Some("an error outside the tests (results.extra.errors)".into()));
                        state.run.record_outside(c);
                    }
                }
                "tests" => {
                    state.tests = true;
                    let run = &mut state.run;
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
        Ok(())
    }
}

fn test(run: &mut TestRun, t: Test) {
    // A test that passed on a retry failed before: flaky, whether or not the reporter says so
    // (`flaky` is optional in CTRF; `retries` counts the attempts after the first).
    let retried = t.retries.0.is_some_and(|r| r > 0.0);
    let (outcome, word) = match t.status.as_deref() {
        Some("passed") if t.flaky != Some(true) && !retried => return run.record_pass(),
        Some("passed") => (Outcome::Failed, None),
        Some("failed") => (Outcome::Failed, None),
        Some("skipped") => (Outcome::Skipped, None),
        Some("pending") => (Outcome::Other, Some("pending".to_string())),
        Some("other") => (Outcome::Other, Some("other".to_string())),
        Some(word) => (Outcome::Incomplete, Some(format!("status {word:?}"))),
        None => (Outcome::Incomplete, Some("no status".to_string())),
    };
    let mut c = TestCase::new(t.name.0.unwrap_or_default(), outcome);
    c.suite = t.suite.0.join(" > ").into();
    c.file = t.file_path.0.map(Into::into);
    c.line = t.line.0;
    c.time = t.duration.0.map(|ms| ms / 1000.0);
    c.status = word.map(Into::into);
    c.message =
        t.message.as_deref().and_then(testjson::message).or_else(|| t.trace.as_deref().and_then(testjson::message));
    if t.status.as_deref() == Some("passed") {
        let retries = t.retries.0.unwrap_or(0.0);
        c.message = t.retry_attempts.0.and_then(|a| a.message.as_deref().and_then(testjson::message)).or_else(|| {
            Some(compact_str::format_compact!(
                "flaky: passed after {retries} retr{}",
                if retries == 1.0 { "y" } else { "ies" }
            ))
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

    /// A test that passed on its third attempt, with `retries` but no `flaky` (CTRF makes
    /// `flaky` optional): it was a pass, and `allow_flaky = false` approved it.
    #[test]
    fn a_test_passed_after_retries_is_flaky() {
        let run = read(
            r#"{"results":{"summary":{"tests":2,"passed":2,"flaky":1},"tests":[
{"name":"a","status":"passed","retries":2,"retryAttempts":[{"attempt":1,"status":"failed","message":"boom"}]},
{"name":"b","status":"passed","retries":0}]}}"#,
        )
        .unwrap();
        assert_eq!((run.totals.passed, run.totals.flaky), (2, 1));
        assert_eq!(run.flaky[0].message.as_deref(), Some("boom"));
    }

    /// playwright's CTRF reporter lists the run's own errors (a web server that never came up)
    /// in `results.extra.errors`: they used to be passed over, and two passed tests approved.
    #[test]
    fn errors_the_reporter_lists_outside_the_tests_block() {
        let run = read(
            r#"{"results":{"tests":[{"name":"a","status":"passed"},{"name":"b","status":"passed"}],
"extra":{"errors":[{"message":"Error: Timed out waiting 60000ms from config.webServer."},{"stack":"x"}]}}}"#,
        )
        .unwrap();
        assert_eq!(run.totals.passed, 2);
        let messages: Vec<_> = run.outside.iter().map(|c| c.message.as_deref().unwrap_or("")).collect();
        assert_eq!(
            messages,
            [
                "Error: Timed out waiting 60000ms from config.webServer.",
                "an error outside the tests (results.extra.errors)"
            ]
        );
        // One error given as an object is an error too (it was passed over).
        let run = read(
            r#"{"results":{"tests":[{"name":"a","status":"passed"}],"extra":{"errors":{"message":"worker crashed"}}}}"#,
        )
        .unwrap();
        assert_eq!(run.outside.len(), 1);
        assert_eq!(run.outside[0].message.as_deref(), Some("worker crashed"));
        // Other extras, of any shape, are the reporter's own.
        for extra in
            [r#"{"errors":[]}"#, r#"{"errors":{}}"#, r#"{"errors":"none"}"#, r#"{"buildName":"x"}"#, "[]", "null"]
        {
            let run = read(&format!(r#"{{"results":{{"tests":[{{"name":"a","status":"passed"}}],"extra":{extra}}}}}"#))
                .unwrap();
            assert!(run.outside.is_empty(), "{extra}");
        }
    }

    #[test]
    fn a_disagreeing_summary_is_noted_and_the_list_counts() {
        let run = read(
            r#"{"results":{"summary":{"tests":2,"passed":2,"failed":0},"tests":[{"name":"a","status":"failed"}]}}"#,
        )
        .unwrap();
        assert_eq!((run.totals.total, run.totals.failed), (1, 1));
        assert!(run.notes[0].contains("tests 2 (listed: 1)"), "{:?}", run.notes);
        assert!(run.outside.is_empty(), "the failure is listed: {:?}", run.outside);
    }

    /// A summary that counts failures the list does not hold: the list's counts, and a block.
    /// Without it, the run below passes.
    #[test]
    fn failures_the_summary_counts_beyond_the_list_block() {
        let run = read(
            r#"{"results":{"summary":{"tests":3,"passed":1,"failed":2},"tests":[{"name":"a","status":"passed"},{"name":"b","status":"failed"}]}}"#,
        )
        .unwrap();
        assert_eq!((run.totals.total, run.totals.failed), (2, 1));
        assert_eq!(run.outside.len(), 1, "{:?}", run.outside);
        assert!(run.outside[0].message.as_deref().is_some_and(|m| m.contains("counts 2")), "{:?}", run.outside);
        let run = read(
            r#"{"results":{"summary":{"tests":1,"passed":0,"failed":1},"tests":[{"name":"a","status":"passed"}]}}"#,
        )
        .unwrap();
        assert!(!run.all_passed(), "{run:?}");
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

    /// A report of 400 tests (failing, flaky, skipped, one whose message holds `{"name":`) read a
    /// chunk of tests at a time on 1 to 4 threads is the report read in one stream, notes and
    /// errors included; a `tests` list elsewhere at the same depth is not taken for it.
    #[test]
    fn a_large_report_read_in_chunks_is_the_report_read_whole() {
        use crate::input::Split;
        let tests: Vec<String> = (0..400)
            .map(|i| match i % 7 {
                1 => format!(r#"{{"name":"t{i}","status":"failed","message":"boom ,{{\"name\":1}}","suite":["S"]}}"#),
                3 => format!(r#"{{"name":"t{i}","status":"passed","flaky":true,"retries":1}}"#),
                5 => format!(r#"{{"name":"t{i}","status":"skipped"}}"#),
                _ => format!(r#"{{"name":"t{i}","status":"passed","duration":{i}}}"#),
            })
            .collect();
        let doc = format!(
            r#"{{"reportFormat":"CTRF","results":{{"tool":{{"name":"jest"}},"summary":{{"tests":401,"passed":1}},"tests":[{}],"extra":{{"a":1}}}}}}"#,
            tests.join(",")
        );
        let on =
            |bytes: &[u8], split: Split| format!("{:?}", parse(&Source::bytes("ctrf.json", bytes).with_split(split)));
        let whole = on(doc.as_bytes(), Split::none());
        assert!(whole.contains("total: 400") && whole.contains("tests 401 (listed: 400)"), "{whole}");
        for threads in 1..=4 {
            assert_eq!(on(doc.as_bytes(), Split { threads, min_len: 0 }), whole, "{threads} threads");
        }
        // A `tests` list elsewhere, or under a key whose name holds `"tests":[`, is not the tests.
        let list = tests.join(",");
        for elsewhere in [
            doc.replacen(r#""results":{"#, r#""other":{"tests":[{"name":"x","status":"failed"}]},"results":{"#, 1),
            format!(r#"{{"results":{{"tests":null}},"other":{{"tests":[{list}]}}}}"#),
            format!(r#"{{"results":{{"a\"tests":[{list}],"tests":[]}}}}"#),
        ] {
            let whole = on(elsewhere.as_bytes(), Split::none());
            assert_eq!(on(elsewhere.as_bytes(), Split { threads: 2, min_len: 0 }), whole);
        }
        for bad in [
            doc[..doc.len() - 200].to_string(),
            doc.replace(r#""name":"t200","status":"passed""#, r#""name":"t200","status":["passed"]"#),
            doc.replace(r#"{"name":"t300""#, r#"7,{"name":"t300""#),
        ] {
            assert_eq!(on(bad.as_bytes(), Split { threads: 2, min_len: 0 }), on(bad.as_bytes(), Split::none()));
        }
    }
}
