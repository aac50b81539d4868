//! RSpec's JSON formatter (`rspec --format json`, `--out rspec.json`).
//!
//! The figures are the formatter's own `summary`: total = `example_count`, failed =
//! `failure_count`, skipped = `pending_count` (RSpec's pending and skipped examples), passed =
//! the rest; RSpec has no per-example error state, so errors is 0. `examples[]` name the tests
//! (`full_description`, `file_path`, `line_number`) with the first line of
//! `exception.message`, and are checked against the summary (a note where they disagree; the
//! summary is the figure). An example whose `status` is neither passed, failed nor pending is
//! other and blocks. `errors_outside_of_examples_count` (a spec file that failed to load, an
//! error in `before(:suite)`) counts no example: those errors are kept apart, explained by
//! `messages[]`, and block. RSpec writes no retries into its JSON (rspec-retry does not either).

use std::fmt;

use serde::Deserialize;
use serde::de::{IgnoredAny, MapAccess, Visitor};

use super::testjson::{self, each};
use super::tolerant::{LineNo, LooseList, Num, Object, Text};
use crate::input::Source;
use crate::model::{Outcome, TestCase, TestRun, TestTotals};
use crate::parsers::ParseError;
use crate::parsers::json;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Summary {
    #[serde(deserialize_with = "count")]
    example_count: Option<u64>,
    #[serde(deserialize_with = "count")]
    failure_count: Option<u64>,
    #[serde(deserialize_with = "count")]
    pending_count: Option<u64>,
    #[serde(deserialize_with = "count")]
    errors_outside_of_examples_count: Option<u64>,
}

/// A count RSpec writes: absent is `None`, but `null` (or anything but a whole number) is an
/// error, never 0.
fn count<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    u64::deserialize(d).map(Some)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Example {
    description: Text,
    full_description: Text,
    #[serde(deserialize_with = "super::tolerant::some_string")]
    status: Option<String>,
    file_path: Text,
    line_number: LineNo,
    run_time: Num,
    pending_message: Text,
    exception: Exception,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Exception {
    class: Text,
    message: Text,
}

#[derive(Default)]
struct Doc {
    summary: Option<Summary>,
    messages: Vec<String>,
    examples: bool,
}

/// Reads an RSpec JSON report.
pub fn parse(input: &Source) -> Result<TestRun, ParseError> {
    let mut run = TestRun::default();
    let doc = json::read(input, json::Object(Top(&mut run)))
        .map_err(|e| json::explain(input, e, json::Object(Top(&mut TestRun::default()))))?;
    let Some(summary) = doc.summary else {
        if doc.examples {
            return Err(ParseError::whole("no `summary`: the RSpec report is cut short (rspec writes it last)"));
        }
        return Err(ParseError::whole("no `summary` and no `examples`: not an RSpec JSON report"));
    };
    let (Some(total), Some(failed), Some(skipped)) =
        (summary.example_count, summary.failure_count, summary.pending_count)
    else {
        return Err(ParseError::whole("`summary` lacks example_count, failure_count or pending_count"));
    };
    let Some(passed) = total.checked_sub(failed.saturating_add(skipped)) else {
        return Err(ParseError::whole(format!(
            "`summary` states {failed} failures and {skipped} pending of only {total} examples"
        )));
    };
    let stated = TestTotals { total, passed, failed, skipped, errors: 0, other: 0, flaky: 0 };
    run.prefer_stated(stated, "RSpec's `summary`");
    for (k, v) in [("example_count", total), ("failure_count", failed), ("pending_count", skipped)] {
        run.stated.insert(k.into(), v.into());
    }
    let outside = summary.errors_outside_of_examples_count.unwrap_or(0);
    if outside > 0 {
        run.stated.insert("errors_outside_of_examples_count".into(), outside.into());
        let mut messages = doc.messages.iter().filter_map(|m| testjson::message(m));
        for i in 0..outside.min(1000) {
            let mut c = TestCase::new(format!("error outside examples #{}", i + 1), Outcome::Error);
            c.message = messages.next();
            run.record_outside(c);
        }
    }
    Ok(run)
}

struct Top<'a>(&'a mut TestRun);

impl<'de> Visitor<'de> for Top<'_> {
    type Value = Doc;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an RSpec JSON report (an object with `examples` and `summary`)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Doc, A::Error> {
        let run = self.0;
        let (mut doc, mut keys) = (Doc::default(), json::Keys::default());
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "summary" => {
                    keys.once("summary")?;
                    doc.summary = Some(map.next_value::<Object<Summary>>()?.0);
                }
                "messages" => {
                    doc.messages = map.next_value::<LooseList<Text>>()?.0.into_iter().filter_map(|t| t.0).collect()
                }
                "examples" => {
                    doc.examples = true;
                    map.next_value_seed(each("example objects", &mut |e: Example| {
                        example(run, e);
                        Ok(())
                    }))?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(doc)
    }
}

fn example(run: &mut TestRun, e: Example) {
    let outcome = match e.status.as_deref() {
        Some("passed") => return run.record_pass(),
        Some("failed") => Outcome::Failed,
        Some("pending") => Outcome::Skipped,
        _ => Outcome::Incomplete,
    };
    let name = e.full_description.0.or(e.description.0).unwrap_or_default();
    let mut c = TestCase::new(name, outcome);
    c.file = e.file_path.0.map(|p| p.strip_prefix("./").unwrap_or(&p).into());
    c.line = e.line_number.0;
    c.time = e.run_time.0;
    c.message = match outcome {
        Outcome::Skipped => e.pending_message.as_deref().and_then(testjson::message),
        Outcome::Incomplete => {
            c.status = Some(e.status.as_deref().unwrap_or("no status").into());
            Some(compact_str::format_compact!("status {:?}", e.status.as_deref().unwrap_or("")))
        }
        _ => e.exception.message.as_deref().and_then(testjson::message).or(e.exception.class.0.map(Into::into)),
    };
    run.record(c);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<TestRun, ParseError> {
        parse(&Source::bytes("r.json", text.as_bytes()))
    }

    #[test]
    fn the_summary_is_the_figure_and_examples_name_the_failures() {
        let run = read(r#"{"version":"3.12.0","examples":[
{"id":"./spec/a_spec.rb[1:1]","description":"adds","full_description":"Calc adds","status":"passed","file_path":"./spec/a_spec.rb","line_number":3},
{"description":"divides","full_description":"Calc divides","status":"failed","file_path":"./spec/a_spec.rb","line_number":7,
 "exception":{"class":"RSpec::Expectations::ExpectationNotMetError","message":"\nexpected: 2\n     got: 3","backtrace":[]}},
{"description":"later","full_description":"Calc later","status":"pending","pending_message":"Temporarily skipped with xit"}],
"summary":{"duration":0.01,"example_count":3,"failure_count":1,"pending_count":1,"errors_outside_of_examples_count":0},
"summary_line":"3 examples, 1 failure, 1 pending"}"#)
        .unwrap();
        let t = run.totals;
        assert_eq!((t.total, t.passed, t.failed, t.skipped), (3, 1, 1, 1));
        let f = run.failing().next().unwrap();
        assert_eq!(
            (f.file.as_deref(), f.line, f.message.as_deref()),
            (Some("spec/a_spec.rb"), Some(7), Some("expected: 2"))
        );
        assert!(run.notes.is_empty(), "{:?}", run.notes);
    }

    #[test]
    fn errors_outside_examples_are_kept_apart_and_block() {
        let run = read(
            r#"{"messages":["An error occurred while loading ./spec/b_spec.rb.\nNameError"],"examples":[],
"summary":{"example_count":0,"failure_count":0,"pending_count":0,"errors_outside_of_examples_count":1}}"#,
        )
        .unwrap();
        assert_eq!(run.totals.total, 0);
        assert_eq!(run.outside[0].message.as_deref(), Some("An error occurred while loading ./spec/b_spec.rb."));
        assert!(!run.all_passed());
    }

    #[test]
    fn wrong_types_and_a_missing_summary_are_errors() {
        let e = read(r#"{"examples":{"a":1},"summary":{"example_count":0,"failure_count":0,"pending_count":0}}"#)
            .unwrap_err();
        assert!(e.to_string().contains("examples"), "{e}");
        let e =
            read(r#"{"examples":[{"status":1}],"summary":{"example_count":1,"failure_count":0,"pending_count":0}}"#)
                .unwrap_err();
        assert!(e.to_string().contains("status"), "{e}");
        assert!(read(r#"{"examples":[]}"#).unwrap_err().to_string().contains("cut short"));
        // A count written as null is not 0: RSpec writes whole numbers.
        assert!(read(r#"{"examples":[{"status":"passed"}],"summary":{"example_count":1,"failure_count":0,"pending_count":0,"errors_outside_of_examples_count":null}}"#).is_err());
        let clean = read(r#"{"examples":[],"summary":{"example_count":0,"failure_count":0,"pending_count":0,"errors_outside_of_examples_count":0}}"#).unwrap();
        assert!(clean.all_passed() && clean.totals.total == 0);
    }
}
