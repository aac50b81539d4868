//! Istanbul's `coverage-summary.json` (the `json-summary` reporter): totals only.
//!
//! Each file becomes a record with no lines and its stated totals (`pct` and `skipped` are
//! not read: percentages are recomputed from the counts, floored to two decimals as Istanbul
//! floors them). The report's `total` entry wins where it differs from the sum of the files;
//! its statement figure goes to `meta.extra` as `statements: {total, covered}`.

use std::fmt;

use serde::Deserialize;
use serde::de::{MapAccess, Visitor};

use crate::input::Source;
use crate::model::{Counts, FileDetail, Sink, SummaryTotals, add_counts};
use crate::parsers::ParseError;
use crate::parsers::json::{self, Count};
use crate::parsers::{Meta, Totals};

/// Reads a `coverage-summary.json` into `sink`.
pub fn parse_summary(input: &Source, sink: &mut dyn Sink) -> Result<Meta, ParseError> {
    let mut state =
        SummaryState { sink, current: None, total: None, sum: Totals::default(), statements: Counts::default() };
    json::read(input, json::Object(SummaryTop(&mut state))).map_err(|e| json::within(e, state.current.as_deref()))?;
    let Some(total) = state.total else {
        return Err(ParseError::whole("no \"total\" entry: this is not an Istanbul coverage-summary.json"));
    };
    let mut meta = Meta::default();
    let stated = Totals {
        lines: total.lines.counts(),
        branches: total.branches.map(Metric::counts),
        functions: total.functions.map(Metric::counts),
    };
    let statements = total.statements.map_or(state.statements, Metric::counts);
    meta.extra.insert("statements".into(), serde_json::json!(statements));
    if stated != state.sum {
        meta.notes.push(format!(
            "the report's \"total\" ({} of {} lines) differs from the sum of its files ({} of {}); \
             temis uses the stated total, Istanbul's own figure",
            stated.lines.covered, stated.lines.total, state.sum.lines.covered, state.sum.lines.total
        ));
        meta.totals = Some(stated);
    }
    Ok(meta)
}

struct SummaryState<'s> {
    sink: &'s mut dyn Sink,
    current: Option<String>,
    total: Option<FileSummary>,
    sum: Totals,
    statements: Counts,
}

/// One entry: a file, or the report's `total`.
#[derive(Deserialize)]
struct FileSummary {
    lines: Metric,
    statements: Option<Metric>,
    functions: Option<Metric>,
    branches: Option<Metric>,
}

/// A metric's `total` and `covered`: more covered than there are is refused (istanbul-lib-coverage
/// never writes it; clamped, it read as 100 %).
#[derive(Clone, Copy, Deserialize)]
#[serde(try_from = "RawMetric")]
struct Metric {
    total: Count,
    covered: Count,
}

#[derive(Deserialize)]
struct RawMetric {
    total: Count,
    covered: Count,
}

impl TryFrom<RawMetric> for Metric {
    type Error = String;

    fn try_from(r: RawMetric) -> Result<Self, String> {
        if r.covered.0 > r.total.0 {
            return Err(format!("{} covered of {} in all: more than there are", r.covered.0, r.total.0));
        }
        Ok(Metric { total: r.total, covered: r.covered })
    }
}

impl Metric {
    fn counts(self) -> Counts {
        Counts::new(self.total.0, self.covered.0)
    }
}

struct SummaryTop<'a, 's>(&'a mut SummaryState<'s>);

impl<'de> Visitor<'de> for SummaryTop<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an Istanbul coverage summary (an object with \"total\" and one entry a file)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let state = self.0;
        let mut detail = FileDetail::default();
        let mut seen = json::OnceNamed::default();
        while let Some(key) = map.next_key::<String>()? {
            // `JSON.parse` keeps the last of two; summed or replaced, neither is the producer's.
            if !seen.first(&key) {
                return Err(serde::de::Error::custom(json::twice("the summary", &key)));
            }
            state.current = Some(format!("the entry for {key:?}"));
            let entry: FileSummary = map.next_value()?;
            state.current = None;
            if key == "total" {
                state.total = Some(entry);
                continue;
            }
            let totals = SummaryTotals {
                lines: Some(entry.lines.counts()),
                branches: entry.branches.map(Metric::counts),
                functions: entry.functions.map(Metric::counts),
            };
            state.sum.lines.add(entry.lines.counts());
            add_counts(&mut state.sum.branches, totals.branches);
            add_counts(&mut state.sum.functions, totals.functions);
            if let Some(s) = entry.statements {
                state.statements.add(s.counts());
            }
            detail.clear();
            detail.path = key;
            detail.has_branches = totals.branches.is_some();
            detail.has_functions = totals.functions.is_some();
            detail.summary = Some(totals);
            state.sink.file(&mut detail);
        }
        Ok(())
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Coverage, CoverageBuilder};

    const SUMMARY: &[u8] = include_bytes!("../../../tests/fixtures/coverage/istanbul/coverage-summary.json");

    fn read(
        parser: fn(&Source, &mut dyn Sink) -> Result<Meta, ParseError>,
        bytes: &[u8],
    ) -> Result<(Coverage, Meta), ParseError> {
        let mut builder = CoverageBuilder::new();
        let meta = parser(&Source::bytes("coverage-summary.json", bytes), &mut builder)?;
        Ok((builder.finish(), meta))
    }

    #[test]
    fn summary_uses_the_stated_totals() {
        let (cov, meta) = read(parse_summary, SUMMARY).unwrap();
        assert_eq!(cov.files.len(), 2);
        assert_eq!(cov.lines, Counts::new(9, 5));
        assert_eq!(cov.branches, Some(Counts::new(8, 1)));
        assert_eq!(cov.functions, Some(Counts::new(4, 1)));
        assert_eq!(cov.files[0].lines, Counts::new(7, 5));
        assert!(cov.files[0].line_bits.is_none());
        assert_eq!(meta.extra["statements"], serde_json::json!({"total": 11, "covered": 6}));
        assert!(meta.notes.is_empty() && meta.totals.is_none());
    }

    #[test]
    fn summary_total_wins_over_the_files() {
        let (_, meta) = read(
            parse_summary,
            br#"{"total": {"lines": {"total": 10, "covered": 4, "pct": 40}},
                 "a.js": {"lines": {"total": 3, "covered": 1, "pct": 33.33}}}"#,
        )
        .unwrap();
        assert_eq!(meta.totals.unwrap().lines, Counts::new(10, 4));
        assert_eq!(meta.notes.len(), 1);
    }

    /// Clamped, 50 covered of 10 read as 100 % and approved.
    #[test]
    fn more_covered_than_there_are_is_an_error() {
        for text in [
            &br#"{"total": {"lines": {"total": 10, "covered": 50}}, "a.js": {"lines": {"total": 10, "covered": 5}}}"#[..],
            br#"{"total": {"lines": {"total": 10, "covered": 5}}, "a.js": {"lines": {"total": 10, "covered": 11}}}"#,
        ] {
            let e = read(parse_summary, text).unwrap_err();
            assert!(e.message.contains("more than there are"), "{e}");
        }
    }

    /// A file or `total` named twice was summed or replaced (JSON.parse keeps the last).
    #[test]
    fn an_entry_named_twice_is_an_error() {
        for text in [
            &br#"{"total": {"lines": {"total": 2, "covered": 2}}, "a.js": {"lines": {"total": 2, "covered": 2}}, "a.js": {"lines": {"total": 2, "covered": 0}}}"#[..],
            br#"{"total": {"lines": {"total": 2, "covered": 2}}, "total": {"lines": {"total": 2, "covered": 0}}, "a.js": {"lines": {"total": 2, "covered": 0}}}"#,
        ] {
            let e = read(parse_summary, text).unwrap_err();
            assert!(e.message.contains("named twice"), "{e}");
        }
    }

    #[test]
    fn summary_without_total_or_with_wrong_shape_is_an_error() {
        let e = read(parse_summary, br#"{"a.js": {"lines": {"total": 1, "covered": 1}}}"#).unwrap_err();
        assert_eq!(e.message, "no \"total\" entry: this is not an Istanbul coverage-summary.json");
        let e = read(parse_summary, b"{\"total\": {\n\"lines\": {\"total\": 1}}}").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert_eq!(e.message, "missing field `covered` (in the entry for \"total\")");
        let e = read(parse_summary, b"{\"total\": {\"lines\": {\"total\": -1, \"covered\": 0}}}").unwrap_err();
        assert!(e.message.starts_with("negative hit count -1"), "{}", e.message);
    }

    /// A figure no producer writes — a fraction, one past `u64::MAX` — is an error at its place,
    /// in `total` and in a file: never truncated, never clamped.
    #[test]
    fn figures_that_are_not_whole_numbers_are_errors() {
        for (figure, message) in [
            ("0.5", "hit count 0.5 is not a whole number"),
            ("9.5", "hit count 9.5 is not a whole number"),
            ("1e300", "hit count 1e300 is past the largest a counter holds (2^64 - 1)"),
        ] {
            for text in [
                format!(
                    r#"{{"total": {{"lines": {{"total": 10,
 "covered": {figure}}}}}}}"#
                ),
                format!(
                    r#"{{"total": {{"lines": {{"total": 10, "covered": 1}}}}, "a.js": {{"lines": {{"total": 10,
 "covered": {figure}}}}}}}"#
                ),
                format!(
                    r#"{{"total": {{"lines": {{"total": 10, "covered": 1}},
 "branches": {{"total": {figure}, "covered": 0}}}}}}"#
                ),
            ] {
                let e = read(parse_summary, text.as_bytes()).unwrap_err();
                assert_eq!(e.line, Some(2), "{text}");
                assert!(e.message.starts_with(message), "{text}: {}", e.message);
            }
        }
    }
}
