//! The JSON reporter of `package:test`: `dart test --reporter json` and `flutter test --machine`
//! (one event per line, protocol 0.1.x).
//!
//! One test is one `testDone` event with `hidden: false`, or a hidden one that did not pass (the
//! runner's own `loading <file>` tests are hidden unless loading fails, when they are the
//! failure); a `testDone` that did not pass and has no `testStart` is one too, named by its id.
//! `skipped: true` → skipped
//! (protocol 0.1.0 has no `skipped`: the `testStart`'s `metadata.skip` decides); else `result`
//! `success` → passed, `failure` → failed (an assertion), `error` → errors (an exception). A
//! `testStart` that never got its `testDone` is other and blocks (`incomplete`). A test's
//! message is its first `error` event's. `done` with `success: false` while every test passed (a
//! failure the runner had outside tests), `done` with `success` null or missing (the runner was
//! closed before all tests completed), or no `done` at all (the stream stops early), is an
//! error outside tests — for each run of a file holding several (`>>` appended: each `start`
//! event begins one, and closes the one before with its tests still open). Lines that are not JSON objects (Flutter's own output) are skipped, and
//! counted in a note; a line that starts with `{` and is not a valid event is an error.

use std::collections::HashMap;

use compact_str::CompactString;
use serde::Deserialize;

use super::testjson;
use super::tolerant::{LineNo, Text};
use crate::input::Source;
use crate::model::{Outcome, TestCase, TestRun};
use crate::parsers::ParseError;
use crate::parsers::text::LineReader;

#[derive(Deserialize)]
struct Event {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    test: Option<TestInfo>,
    #[serde(default)]
    suite: Option<SuiteInfo>,
    #[serde(rename = "testID", default)]
    test_id: Option<u64>,
    #[serde(default)]
    result: Option<String>,
    #[serde(default)]
    skipped: Option<bool>,
    #[serde(default)]
    hidden: Option<bool>,
    #[serde(default)]
    error: Text,
    #[serde(default)]
    success: Option<bool>,
    #[serde(default)]
    time: Option<f64>,
}

#[derive(Deserialize)]
struct TestInfo {
    id: u64,
    #[serde(default)]
    name: Text,
    #[serde(rename = "suiteID", default)]
    suite_id: Option<u64>,
    #[serde(default)]
    metadata: Metadata,
    #[serde(default)]
    line: LineNo,
    #[serde(default)]
    root_line: LineNo,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Metadata {
    skip: Option<bool>,
    #[serde(rename = "skipReason")]
    skip_reason: Text,
}

#[derive(Deserialize)]
struct SuiteInfo {
    id: u64,
    #[serde(default)]
    path: Text,
}

struct Started {
    name: String,
    suite: Option<u64>,
    skip: bool,
    skip_reason: Option<String>,
    line: Option<u32>,
    start: Option<f64>,
    message: Option<CompactString>,
}

/// Reads a dart/flutter JSON reporter stream.
pub fn parse(input: &Source) -> Result<TestRun, ParseError> {
    let mut lines = LineReader::new(input.reader());
    let mut run = TestRun::default();
    let mut started: HashMap<u64, Started> = HashMap::new();
    let mut order: Vec<u64> = Vec::new();
    let mut suites: HashMap<u64, String> = HashMap::new();
    let (mut events, mut non_json, mut done) = (0u64, 0u64, None);
    // Runs appended to one file (`>> report.json` in a retry loop): each `start` after the
    // first closes the run before it, whose open tests and `done` are its own.
    let (mut starts, mut dones) = (0u64, Vec::new());
    while let Some((line, pos)) = lines.next_with_pos()? {
        let line = line.trim_ascii();
        if line.is_empty() {
            continue;
        }
        if line[0] != b'{' {
            non_json += 1;
            continue;
        }
        let e: Event = serde_json::from_slice(line).map_err(|e| {
            let placed = super::json::error(&e);
            ParseError::at(pos.line, placed.column.unwrap_or(1), format!("not a dart test event: {}", placed.message))
        })?;
        events += 1;
        match e.kind.as_str() {
            "start" => {
                starts += 1;
                if starts > 1 {
                    close_open(&mut run, &mut started, &mut order, &suites);
                    dones.push(done.take());
                }
            }
            "suite" => {
                if let Some(s) = e.suite {
                    suites.insert(s.id, s.path.0.unwrap_or_default());
                }
            }
            "testStart" => {
                let Some(t) = e.test else {
                    return Err(ParseError::at_line(pos.line, "a testStart event without its `test`"));
                };
                order.push(t.id);
                started.insert(
                    t.id,
                    Started {
                        name: t.name.0.unwrap_or_default(),
                        suite: t.suite_id,
                        skip: t.metadata.skip == Some(true),
                        skip_reason: t.metadata.skip_reason.0,
                        line: t.root_line.0.or(t.line.0),
                        start: e.time,
                        message: None,
                    },
                );
            }
            "error" => {
                if let Some(s) = e.test_id.and_then(|id| started.get_mut(&id))
                    && s.message.is_none()
                {
                    s.message = e.error.as_deref().and_then(testjson::message);
                }
            }
            "testDone" => {
                let Some(id) = e.test_id else {
                    return Err(ParseError::at_line(pos.line, "a testDone event without its `testID`"));
                };
                let passed_or_skipped = e.result.as_deref() == Some("success") || e.skipped == Some(true);
                let s = match started.remove(&id) {
                    Some(s) => s,
                    // A test that ends without having started: counted only when it did not pass.
                    None if passed_or_skipped => continue,
                    None => Started {
                        name: format!("test {id} (no testStart)"),
                        suite: None,
                        skip: false,
                        skip_reason: None,
                        line: None,
                        start: None,
                        message: None,
                    },
                };
                let skipped = e.skipped.unwrap_or(s.skip);
                // A hidden test (the runner's own) is counted only when it did not pass.
                if e.hidden == Some(true) && (skipped || e.result.as_deref() == Some("success")) {
                    continue;
                }
                let outcome = match (skipped, e.result.as_deref()) {
                    (true, _) => Outcome::Skipped,
                    (false, Some("success")) => {
                        run.record_pass();
                        continue;
                    }
                    (false, Some("failure")) => Outcome::Failed,
                    (false, Some("error")) => Outcome::Error,
                    (false, _) => Outcome::Incomplete,
                };
                let mut c = TestCase::new(s.name, outcome);
                c.file = s.suite.and_then(|id| suites.get(&id).map(|p| p.as_str().into()));
                c.suite = c.file.clone().unwrap_or_default();
                c.line = s.line;
                c.time = e.time.zip(s.start).map(|(end, start)| (end - start) / 1000.0).filter(|t| *t >= 0.0);
                c.message = if skipped { s.skip_reason.map(Into::into) } else { s.message };
                if outcome == Outcome::Incomplete {
                    c.status = Some(compact_str::format_compact!("result {:?}", e.result.unwrap_or_default()));
                }
                run.record(c);
            }
            "done" => done = Some(e.success),
            _ => {}
        }
    }
    if events == 0 {
        return Err(ParseError::whole("no dart test event: not a `dart test --reporter json` stream"));
    }
    close_open(&mut run, &mut started, &mut order, &suites);
    dones.push(done);
    let several = dones.len() > 1;
    for (i, done) in dones.into_iter().enumerate() {
        let which = if several { format!(" (run {} of the file)", i + 1) } else { String::new() };
        let message = match done {
            None => format!("the stream has no `done` event{which}: the run stopped before its end"),
            Some(None) => format!(
                "the `done` event{which} has no `success` (null): the runner was closed before all tests completed"
            ),
            Some(Some(false)) if run.all_passed() => {
                format!("the runner reported the run{which} as failed (done: success false) with no failing test")
            }
            _ => continue,
        };
        run.record_outside(TestCase { message: Some(message.into()), ..TestCase::new("dart test", Outcome::Error) });
    }
    if non_json > 0 {
        run.notes.push(format!("{non_json} line(s) are not JSON events (runner output) and were skipped"));
    }
    Ok(run)
}

/// The tests of `started` that never finished, recorded as incomplete (in the order they began).
fn close_open(
    run: &mut TestRun,
    started: &mut HashMap<u64, Started>,
    order: &mut Vec<u64>,
    suites: &HashMap<u64, String>,
) {
    for id in order.drain(..) {
        if let Some(s) = started.remove(&id) {
            let mut c = TestCase::new(s.name, Outcome::Incomplete);
            c.file = s.suite.and_then(|id| suites.get(&id).map(|p| p.as_str().into()));
            c.status = Some("incomplete".into());
            c.message = s.message.or_else(|| Some("the test started and never finished (no testDone)".into()));
            run.record(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<TestRun, ParseError> {
        parse(&Source::bytes("d.json", text.as_bytes()))
    }

    const START: &str = r#"{"protocolVersion":"0.1.1","runnerVersion":"1.24.0","pid":1,"type":"start","time":0}
{"suite":{"id":0,"platform":"vm","path":"test/a_test.dart"},"type":"suite","time":0}
{"test":{"id":1,"name":"loading test/a_test.dart","suiteID":0,"groupIDs":[],"metadata":{"skip":false,"skipReason":null}},"type":"testStart","time":1}
{"testID":1,"result":"success","skipped":false,"hidden":true,"type":"testDone","time":5}
"#;

    #[test]
    fn results_map_to_buckets_and_hidden_loading_tests_are_not_counted() {
        let text = format!(
            r#"{START}{{"test":{{"id":2,"name":"adds","suiteID":0,"metadata":{{"skip":false}},"line":5}},"type":"testStart","time":6}}
{{"testID":2,"result":"success","skipped":false,"hidden":false,"type":"testDone","time":8}}
{{"test":{{"id":3,"name":"divides","suiteID":0,"metadata":{{"skip":false}},"line":9}},"type":"testStart","time":9}}
{{"testID":3,"error":"Expected: <2>\n  Actual: <3>","stackTrace":"","isFailure":true,"type":"error","time":10}}
{{"testID":3,"result":"failure","skipped":false,"hidden":false,"type":"testDone","time":11}}
{{"test":{{"id":4,"name":"throws","suiteID":0,"metadata":{{"skip":false}}}},"type":"testStart","time":12}}
{{"testID":4,"error":"Bad state: no","isFailure":false,"type":"error","time":13}}
{{"testID":4,"result":"error","skipped":false,"hidden":false,"type":"testDone","time":14}}
{{"test":{{"id":5,"name":"later","suiteID":0,"metadata":{{"skip":true,"skipReason":"not yet"}}}},"type":"testStart","time":15}}
{{"testID":5,"result":"success","hidden":false,"type":"testDone","time":15}}
{{"success":false,"type":"done","time":20}}
"#
        );
        let run = read(&text).unwrap();
        let t = run.totals;
        assert_eq!((t.total, t.passed, t.failed, t.errors, t.skipped), (4, 1, 1, 1, 1));
        let failed = run.failing().next().unwrap();
        assert_eq!(
            (failed.file.as_deref(), failed.line, failed.message.as_deref()),
            (Some("test/a_test.dart"), Some(9), Some("Expected: <2>"))
        );
        assert_eq!(run.cases.len(), 2, "protocol 0.1.0: the skip is in testStart, counted and not kept");
        assert!(run.outside.is_empty());
    }

    #[test]
    fn a_stream_cut_short_blocks() {
        let text = format!(
            "{START}{{\"test\":{{\"id\":2,\"name\":\"hangs\",\"suiteID\":0}},\"type\":\"testStart\",\"time\":6}}\n"
        );
        let run = read(&text).unwrap();
        assert_eq!((run.totals.total, run.totals.other), (1, 1));
        assert_eq!(run.outside.len(), 1, "no done event");
        assert!(!run.all_passed());
    }

    #[test]
    fn a_done_without_success_blocks() {
        let test = r#"{"test":{"id":2,"name":"adds","suiteID":0},"type":"testStart","time":6}
{"testID":2,"result":"success","skipped":false,"hidden":false,"type":"testDone","time":8}
"#;
        for done in [r#"{"success":null,"type":"done","time":9}"#, r#"{"type":"done","time":9}"#] {
            let run = read(&format!("{START}{test}{done}\n")).unwrap();
            assert_eq!(run.totals.passed, 1);
            assert_eq!(run.outside.len(), 1, "{done}: {:?}", run.outside);
            assert!(run.outside[0].message.as_deref().unwrap_or_default().contains("closed"));
        }
    }

    /// Runs appended to one file (`>> report.json` in a retry loop): a first run cut short
    /// (a test open, no `done`) or failed (`done` false) was absorbed by the run after it, and
    /// approved.
    #[test]
    fn a_run_appended_after_one_that_did_not_end_does_not_hide_it() {
        let open = r#"{"test":{"id":2,"name":"adds","suiteID":0},"type":"testStart","time":6}
"#;
        let pass = r#"{"test":{"id":2,"name":"adds","suiteID":0},"type":"testStart","time":6}
{"testID":2,"result":"success","skipped":false,"hidden":false,"type":"testDone","time":8}
"#;
        let run =
            read(&format!("{START}{open}{START}{pass}{{\"success\":true,\"type\":\"done\",\"time\":9}}\n")).unwrap();
        assert!(!run.all_passed());
        assert!(
            run.outside[0].message.as_deref().unwrap_or_default().contains("run 1 of the file"),
            "{:?}",
            run.outside
        );
        assert_eq!(run.totals.other, 1, "the test the first run left open");
        let run = read(&format!(
            "{START}{pass}{{\"success\":false,\"type\":\"done\",\"time\":9}}\n{START}{pass}{{\"success\":true,\"type\":\"done\",\"time\":9}}\n"
        ))
        .unwrap();
        assert!(!run.all_passed(), "done: false, then done: true");
    }

    #[test]
    fn a_failure_without_its_start_or_hidden_does_not_vanish() {
        let text = format!(
            r#"{START}{{"testID":7,"result":"failure","skipped":false,"hidden":false,"type":"testDone","time":25}}
{{"testID":8,"result":"success","skipped":false,"hidden":false,"type":"testDone","time":25}}
{{"test":{{"id":9,"name":"loading test/b_test.dart","suiteID":0}},"type":"testStart","time":26}}
{{"testID":9,"result":"error","skipped":false,"hidden":true,"type":"testDone","time":27}}
{{"success":true,"type":"done","time":30}}
"#
        );
        let run = read(&text).unwrap();
        assert_eq!((run.totals.total, run.totals.failed, run.totals.errors), (2, 1, 1), "{run:?}");
        assert_eq!(run.cases[0].name, "test 7 (no testStart)");
        assert_eq!(run.cases[1].name, "loading test/b_test.dart");
    }

    #[test]
    fn a_clean_empty_run_is_clean_and_wrong_types_are_errors() {
        let run = read(&format!("{START}{{\"success\":true,\"type\":\"done\",\"time\":9}}\n")).unwrap();
        assert!(run.all_passed() && run.totals.total == 0);
        let e = read("{\"type\":\"testDone\",\"testID\":\"2\"}\n").unwrap_err();
        assert!(e.to_string().contains("invalid type"), "{e}");
        let e = read("{\"type\":\"testDone\",\"testID\":2,\"skipped\":\"yes\"}\n").unwrap_err();
        assert!(e.to_string().contains("invalid type"), "{e}");
    }
}
