//! SimpleCov's `.resultset.json` (raw Ruby `Coverage` data, old and new form) and the
//! `coverage.json` of its JSON formatter (0.1.x and the versioned 1.x schema).
//!
//! Lines: `lines[i]` is line `i + 1`; `null` is a line that is not relevant, `"ignored"` one
//! inside `:nocov:`; relevant lines are covered when their count is above 0, which is
//! SimpleCov's covered / (covered + missed). Branches: in a resultset every entry of a
//! condition's inner map is one branch, reported on SimpleCov's `report_line`; in
//! `coverage.json` every element of `branches` not marked `"ignored"`. Methods (method coverage)
//! become functions.
//!
//! A resultset with several top-level command names (suites, parallel shards) is merged the
//! way SimpleCov merges them: counts summed per line, branch and method. SimpleCov leaves out
//! the suites older than its `merge_timeout` (600 s by default) when it reports, counted from
//! then — from the newest suite's timestamp here: such a suite is left out too, and said (a
//! suite of yesterday's run kept a line covered that today's run no longer covers).
//!
//! Limits: a resultset does not say which lines sit in `:nocov:` blocks (SimpleCov reads the
//! source for that), so for a project that uses them its figures are SimpleCov's without the
//! exclusions. `coverage.json` states them, and its per-file counts win where they differ.
//!
//! Paths stay as SimpleCov wrote them: absolute in a resultset, project-relative in 1.x
//! `coverage.json`.

use std::collections::HashMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, IgnoredAny, MapAccess, Visitor};

use crate::input::Source;
use crate::model::{Counts, FileDetail, Sink, add_counts};
use crate::parsers::ParseError;
use crate::parsers::json::{self, Count};
use crate::parsers::{Meta, Totals};

mod file;
mod ruby;

use file::{FileCov, tally};

/// Whether `head` (the first bytes of a JSON file) looks like a `.resultset.json`: an object
/// whose first value is an object whose first key is `"coverage"`. SimpleCov writes the
/// `timestamp` key after the coverage data, too late for detection to rely on it.
pub fn looks_like_resultset(head: &[u8]) -> bool {
    ruby::looks_like_resultset(head)
}

/// Reads `input` into `sink`.
pub fn parse(input: &Source, sink: &mut dyn Sink) -> Result<Meta, ParseError> {
    let lossy = sink.is_lossy();
    let mut state = State {
        sink,
        lossy,
        merged: Vec::new(),
        index: HashMap::new(),
        current: None,
        suite: None,
        coverage_seen: false,
        suites: 0,
        read: Vec::new(),
        buffer: None,
        total: None,
        sum: Totals::default(),
        disagreeing: 0,
    };
    let result = json::read(input, json::Object(Top(&mut state)));
    let context = match (&state.suite, &state.current) {
        (Some(s), Some(f)) => Some(format!("the entry for {f:?} of suite {s:?}")),
        (None, Some(f)) => Some(format!("the entry for {f:?}")),
        (Some(s), None) => Some(format!("suite {s:?}")),
        (None, None) => None,
    };
    result.map_err(|e| json::within(e, context.as_deref()))?;
    let left_out = state.merge_suites();
    if !state.coverage_seen {
        return Err(ParseError::whole(
            "no \"coverage\" object: this is neither a SimpleCov .resultset.json nor its coverage.json",
        ));
    }
    for detail in &mut state.merged {
        state.sink.file(detail);
    }
    let mut meta = Meta::default();
    if state.suites > 1 {
        meta.notes
            .push(format!("{} suites (command names) were merged, counts summed per line and branch", state.suites));
    }
    if !left_out.is_empty() {
        meta.notes.push(format!(
            "{}left out, as SimpleCov leaves out a result older than its merge_timeout (600 s by default): \
             {} — the figure is the newer suites'; if .simplecov sets a longer merge_timeout, judge the \
             coverage/coverage.json of SimpleCov's JSON formatter instead (SimpleCov::Formatter::JSONFormatter: \
             SimpleCov's own merge), or delete the old results",
            crate::model::WARNING,
            left_out.join(", ")
        ));
    }
    if state.disagreeing > 0 {
        meta.notes.push(format!(
            "{} file(s) state counts that differ from their lines and branches; temis uses the \
             stated counts, SimpleCov's own",
            state.disagreeing
        ));
    }
    if let Some(total) = state.total {
        let stated = Totals {
            lines: total.lines.map_or(state.sum.lines, Metric::counts),
            branches: total.branches.map(Metric::counts).or(state.sum.branches),
            functions: total.methods.map(Metric::counts).or(state.sum.functions),
        };
        if stated != state.sum {
            meta.notes.push(format!(
                "the report's \"total\" ({} of {} lines) differs from the sum of its files \
                 ({} of {}); temis uses the stated total, SimpleCov's own figure",
                stated.lines.covered, stated.lines.total, state.sum.lines.covered, state.sum.lines.total
            ));
            meta.totals = Some(stated);
        }
    }
    Ok(meta)
}

struct State<'s> {
    sink: &'s mut dyn Sink,
    /// A lossy sink cannot merge branches exactly: files are merged here and given at the end.
    lossy: bool,
    merged: Vec<FileDetail>,
    index: HashMap<String, usize>,
    current: Option<String>,
    suite: Option<String>,
    coverage_seen: bool,
    /// The suites merged.
    suites: u64,
    /// The suites of a resultset, read: merged at the end, once the newest timestamp is known.
    read: Vec<SuiteRead>,
    /// The files of the suite being read.
    buffer: Option<Vec<FileDetail>>,
    total: Option<Total>,
    sum: Totals,
    disagreeing: u64,
}

/// One suite of a resultset, read whole.
struct SuiteRead {
    name: String,
    time: Option<f64>,
    files: Vec<FileDetail>,
}

/// How long SimpleCov keeps a result to merge with newer ones by default (`merge_timeout`).
const MERGE_TIMEOUT: f64 = 600.0;

/// The formatter's `total` object (1.x).
#[derive(Deserialize)]
struct Total {
    lines: Option<Metric>,
    branches: Option<Metric>,
    methods: Option<Metric>,
}

#[derive(Clone, Copy, Deserialize)]
struct Metric {
    covered: Count,
    missed: Count,
}

impl Metric {
    fn counts(self) -> Counts {
        Counts::new(self.covered.0.saturating_add(self.missed.0), self.covered.0)
    }
}

struct Top<'a, 's>(&'a mut State<'s>);

impl<'de> Visitor<'de> for Top<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a SimpleCov report (an object of suites, or one with \"meta\" and \"coverage\")")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let state = self.0;
        let mut seen = json::OnceNamed::default();
        while let Some(key) = map.next_key::<String>()? {
            // A suite (or `coverage`, `total`) named twice: Ruby's JSON keeps the last.
            if !seen.first(&key) {
                return Err(de::Error::custom(json::twice("the report", &key)));
            }
            match key.as_str() {
                // coverage.json (JSON formatter)
                "coverage" => map.next_value_seed(json::Object(Files(&mut *state)))?,
                "total" => state.total = Some(map.next_value()?),
                // and what is not a suite in other SimpleCov JSON (simplecov-json gem)
                "meta" | "$schema" | "groups" | "errors" | "timestamp" | "command_name" | "files" | "metrics" => {
                    map.next_value::<IgnoredAny>()?;
                }
                // .resultset.json: one entry a suite
                _ => {
                    state.suite = Some(key);
                    map.next_value_seed(json::Object(Suite(&mut *state)))?;
                    state.suite = None;
                }
            }
        }
        Ok(())
    }
}

/// One suite of a resultset: `{"coverage": {...}, "timestamp": n}`.
struct Suite<'a, 's>(&'a mut State<'s>);

impl<'de> Visitor<'de> for Suite<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a SimpleCov suite ({\"coverage\": …, \"timestamp\": …})")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let state = self.0;
        let mut had_coverage = false;
        let mut time = None;
        state.buffer = Some(Vec::new());
        let mut keys = json::Keys::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "coverage" => {
                    keys.once("coverage")?;
                    map.next_value_seed(json::Object(Files(&mut *state)))?;
                    had_coverage = true;
                }
                "timestamp" => time = map.next_value::<Option<f64>>()?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let files = state.buffer.take().unwrap_or_default();
        if had_coverage {
            let name = state.suite.clone().unwrap_or_default();
            state.read.push(SuiteRead { name, time, files });
        }
        Ok(())
    }
}

/// A `coverage` object: path → file.
struct Files<'a, 's>(&'a mut State<'s>);

impl<'de> Visitor<'de> for Files<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object mapping file paths to their coverage")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let state = self.0;
        state.coverage_seen = true;
        let mut seen = json::OnceNamed::default();
        while let Some(path) = map.next_key::<String>()? {
            if !seen.first(&path) {
                return Err(de::Error::custom(json::twice("a `coverage`", &path)));
            }
            state.current = Some(path);
            let file: FileCov = map.next_value()?;
            let path = state.current.take().unwrap_or_default();
            let detail = file.into_detail(path, &mut state.disagreeing);
            match &mut state.buffer {
                Some(suite) => suite.push(detail),
                None => state.add(detail),
            }
        }
        Ok(())
    }
}

impl State<'_> {
    /// Merges the suites read, as SimpleCov does: those older than its merge timeout, counted
    /// from the newest, are left out. Says which were, with their age.
    fn merge_suites(&mut self) -> Vec<String> {
        let newest = self.read.iter().filter_map(|s| s.time).reduce(f64::max);
        let mut left_out = Vec::new();
        for suite in std::mem::take(&mut self.read) {
            let age = newest.zip(suite.time).map(|(n, t)| n - t);
            if let Some(age) = age.filter(|a| *a >= MERGE_TIMEOUT) {
                left_out.push(format!("suite {:?} ({age:.0} s older than the newest)", suite.name));
                continue;
            }
            self.suites += 1;
            for detail in suite.files {
                self.add(detail);
            }
        }
        left_out
    }

    fn add(&mut self, mut detail: FileDetail) {
        let t = match detail.summary {
            Some(s) => Totals { lines: s.lines.unwrap_or_default(), branches: s.branches, functions: s.functions },
            None => tally(&detail),
        };
        self.sum.lines.add(t.lines);
        add_counts(&mut self.sum.branches, t.branches);
        add_counts(&mut self.sum.functions, t.functions);
        if !self.lossy {
            self.sink.file(&mut detail);
        } else if let Some(&i) = self.index.get(&detail.path) {
            self.merged[i].merge(&detail);
        } else {
            self.index.insert(detail.path.clone(), self.merged.len());
            self.merged.push(detail);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Coverage, CoverageBuilder, DetailSet};

    const OLD: &[u8] = include_bytes!("../../tests/fixtures/coverage/simplecov/old.resultset.json");
    const SUITES: &[u8] = include_bytes!("../../tests/fixtures/coverage/simplecov/branches.resultset.json");

    fn read(bytes: &[u8]) -> Result<(Coverage, Meta), ParseError> {
        let mut builder = CoverageBuilder::new();
        let meta = parse(&Source::bytes(".resultset.json", bytes), &mut builder)?;
        Ok((builder.finish(), meta))
    }

    /// A file, a suite or `coverage` named twice: Ruby's JSON keeps the last (SimpleCov gave 0 %
    /// where temis merged the two into 100 %).
    #[test]
    fn a_name_given_twice_is_an_error() {
        for text in [
            r#"{"RSpec":{"coverage":{"/a.rb":{"lines":[1,1]},"/a.rb":{"lines":[0,0]}},"timestamp":1}}"#,
            r#"{"RSpec":{"coverage":{"/a.rb":{"lines":[1,1]}},"timestamp":1},"RSpec":{"coverage":{"/a.rb":{"lines":[0,0]}},"timestamp":1}}"#,
            r#"{"RSpec":{"coverage":{"/a.rb":{"lines":[1,1]}},"coverage":{"/a.rb":{"lines":[0,0]}},"timestamp":1}}"#,
        ] {
            let e = read(text.as_bytes()).unwrap_err();
            assert!(e.message.contains("twice") || e.message.contains("duplicate"), "{text}: {e}");
        }
        // The same file in two suites is SimpleCov's merge, as before.
        let two = r#"{"RSpec":{"coverage":{"/a.rb":{"lines":[1,0]}},"timestamp":1},"Cucumber":{"coverage":{"/a.rb":{"lines":[0,1]}},"timestamp":2}}"#;
        assert!(read(two.as_bytes()).is_ok());
    }

    fn details(bytes: &[u8]) -> DetailSet {
        let mut set = DetailSet::new();
        parse(&Source::bytes(".resultset.json", bytes), &mut set).unwrap();
        set
    }

    fn fails(text: &str) -> ParseError {
        read(text.as_bytes()).unwrap_err()
    }

    #[test]
    fn old_array_resultset() {
        let (cov, meta) = read(OLD).unwrap();
        assert_eq!(cov.files.len(), 2);
        assert_eq!(cov.lines, Counts::new(8, 5));
        assert_eq!((cov.branches, cov.functions), (None, None));
        assert!(meta.notes.is_empty());
        let set = details(OLD);
        let greeter = set.files.iter().find(|f| f.path.ends_with("greeter.rb")).unwrap();
        assert_eq!(greeter.lines, vec![(1, 1), (2, 1), (3, 4), (5, 0)]);
    }

    #[test]
    fn suites_merge_by_summing_counts() {
        let (cov, meta) = read(SUITES).unwrap();
        assert_eq!(cov.files.len(), 2);
        // calc.rb: every relevant line hit by one suite or the other; extra.rb 1 of 2.
        assert_eq!(cov.lines, Counts::new(7, 6));
        // Branches are not counted twice: 4 in calc.rb, 3 taken in either suite.
        assert_eq!(cov.branches, Some(Counts::new(4, 3)));
        assert_eq!(cov.functions, Some(Counts::new(2, 2)));
        assert_eq!(meta.notes.len(), 1, "{:?}", meta.notes);
        // The exact merge (temis merge) agrees, with summed counts.
        let mut set = details(SUITES);
        let calc = set.files.iter_mut().find(|f| f.path.ends_with("calc.rb")).unwrap();
        assert_eq!(calc.lines, vec![(1, 2), (2, 2), (3, 3), (4, 1), (6, 2)]);
        let got: Vec<_> = calc.branches.iter().map(|b| (b.line, b.block, b.branch, b.taken)).collect();
        assert_eq!(got, vec![(2, 3, 4, Some(1)), (2, 3, 5, Some(0)), (3, 0, 1, Some(1)), (5, 0, 2, Some(2))]);
        let add = calc.functions.iter().find(|f| f.name == "Calc#add").unwrap();
        assert_eq!((add.line, add.hits), (1, 2));
        assert_eq!(calc.summarize().branches, Some(Counts::new(4, 3)));
    }

    /// SimpleCov leaves out a suite older than its merge timeout (600 s by default) from the
    /// figure it prints: a suite of an hour ago kept lines covered that the newer run no longer
    /// covers (SimpleCov 0.22: 63.64 %, temis 72.73 %, and `min_line = 70` approved). It is left
    /// out here too, and said; within the timeout both are merged.
    #[test]
    fn suites_older_than_the_merge_timeout_are_left_out() {
        let text = std::str::from_utf8(SUITES).unwrap();
        let minitest_alone = |t: &str| {
            let mut doc: serde_json::Value = serde_json::from_str(t).unwrap();
            doc.as_object_mut().unwrap().remove("RSpec");
            serde_json::to_string(&doc).unwrap()
        };
        for (newer, kept) in [("1700000100.5", 2), ("1700000599.5", 2), ("1700000600", 1), ("1700009000", 1)] {
            let moved = text.replace("1700000100.5", newer);
            let (cov, meta) = read(moved.as_bytes()).unwrap();
            let dropped = meta.notes.iter().find(|n| n.contains("merge_timeout"));
            if kept == 1 {
                let (alone, _) = read(minitest_alone(&moved).as_bytes()).unwrap();
                assert_eq!((cov.lines, cov.branches), (alone.lines, alone.branches), "{newer}");
                assert!(dropped.is_some_and(|n| n.contains("suite \"RSpec\"")), "{:?}", meta.notes);
            } else {
                assert_eq!(cov.lines, Counts::new(7, 6), "{newer}");
                assert!(dropped.is_none(), "{:?}", meta.notes);
            }
        }
    }

    #[test]
    fn wrong_shapes_name_what_is_missing() {
        let e = fails(r#"{"RSpec": {"timestamp": 1}}"#);
        assert!(e.message.starts_with("no \"coverage\" object"), "{}", e.message);
        let e = fails(r#"{"RSpec": 1}"#);
        assert_eq!(
            e.message,
            "invalid type: integer `1`, expected a SimpleCov suite ({\"coverage\": …, \"timestamp\": …}) (in suite \"RSpec\")"
        );
        let e = fails("{}");
        assert!(e.message.starts_with("no \"coverage\" object"));
        let e = fails("null");
        assert!(e.message.starts_with("invalid type: null, expected a SimpleCov report"));
        let (cov, _) = read(br#"{"RSpec": {"coverage": {}, "timestamp": 1}}"#).unwrap();
        assert!(cov.files.is_empty(), "0 files is a report");
        let e = fails("{\"RSpec\": {\"coverage\": {\"/a.rb\": {\n\"branches\": {}}}}}");
        assert_eq!(e.line, Some(2));
        assert_eq!(e.message, "missing field `lines` (in the entry for \"/a.rb\" of suite \"RSpec\")");
        let e = fails(r#"{"RSpec": {"coverage": {"/a.rb": 7}}}"#);
        assert!(e.message.starts_with("invalid type: integer `7`, expected a file's coverage"));
    }

    #[test]
    fn hostile_inputs_are_clear_errors() {
        let text = std::str::from_utf8(SUITES).unwrap();
        let e = fails(&text[..text.len() - 40]);
        assert!(e.message.contains("truncated"), "{}", e.message);

        let e = read(b"{\"RSpec\": {\"coverage\": {\"/\xe9.rb\": [1]}}}").unwrap_err();
        assert!(e.message.contains("not valid UTF-8"), "{}", e.message);

        let deep = format!("{{\"RSpec\": {{\"coverage\": {{\"/a.rb\": {}", "[".repeat(10_000));
        let e = fails(&deep);
        assert_eq!(e.line, Some(1));
        assert!(e.message.starts_with("invalid type: sequence, expected a hit count"), "{}", e.message);

        let e = fails("{\"RSpec\": {\"coverage\": {\"/a.rb\": [1,\n null, -1]}}}");
        assert_eq!(e.line, Some(2));
        assert!(e.message.starts_with("negative hit count -1 (in the entry for \"/a.rb\""));

        let e = fails(r#"{"RSpec": {"coverage": {"/a.rb": [1, "yes"]}}}"#);
        assert!(e.message.starts_with("invalid value: string \"yes\""), "{}", e.message);

        // A count no producer writes is an error at its place: never truncated (`0.5` as not
        // run, `1.5` as run), never clamped; in lines, branches and methods alike.
        for (count, message) in [
            ("0.5", "hit count 0.5 is not a whole number"),
            ("1.5", "hit count 1.5 is not a whole number"),
            ("1e300", "hit count 1e300 is past the largest a counter holds (2^64 - 1)"),
        ] {
            let e = fails(&format!("{{\"RSpec\": {{\"coverage\": {{\"/a.rb\": [1,\n {count}, 0]}}}}}}"));
            assert_eq!(e.line, Some(2));
            assert_eq!(e.message, format!("{message} (in the entry for \"/a.rb\" of suite \"RSpec\")"));
            let e = fails(&format!(
                r#"{{"coverage": {{"a.rb": {{"lines": [1], "branches": [{{"start_line": 1, "coverage": {count}}}]}}}}}}"#
            ));
            assert!(e.message.starts_with(message), "{}", e.message);
            let e = fails(&format!(
                r#"{{"RSpec": {{"coverage": {{"/a.rb": {{"lines": [1], "methods": {{"[Foo, :bar, 1, 2, 3, 4]": {count}}}}}}}}}}}"#
            ));
            assert!(e.message.starts_with(message), "{}", e.message);
        }
        let (cov, _) = read(br#"{"RSpec": {"coverage": {"/a.rb": [18446744073709551615, 0]}}}"#).unwrap();
        assert_eq!(cov.lines, Counts::new(2, 1), "the largest count a counter holds is read");

        let e = fails(r#"{"coverage": {"a.rb": {"lines": [1], "branches": [{"start_line": 1.5, "coverage": 1}]}}}"#);
        assert!(e.message.starts_with("line number 1.5 is not an integer"), "{}", e.message);
    }
}
