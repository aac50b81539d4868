//! hyperfine `--export-json`: one benchmark per command, times in seconds.
//!
//! mean, median, min, max and stddev are hyperfine's own; p90/p95/p99 are computed from the
//! `times` it lists (linear interpolation, as numpy and hyperfine's `advanced_statistics.py`
//! script do). A command's name is its `command` string (`-n NAME` sets it). hyperfine times a
//! command given twice twice, under one name and nothing else to tell the two apart: both are
//! kept, a budget judges each, and the regression check, which cannot tell which to compare with
//! which, compares neither (it fails).
//!
//! `exit_codes` (one a run; `null` for a run a signal ended) that are not all 0 make the run a
//! failed one: hyperfine stops at a failing command unless `--ignore-failure`, so such timings
//! measure a command that failed.
//!
//! hyperfine computes `mean`, `min` and `max` from `times` and writes one exit code a time: a
//! command whose figures disagree with its `times`, or whose `exit_codes` are not one a time (a
//! run without its code may have failed), is an error, as any statistics that contradict one
//! another are.

use serde::Deserialize;

use super::json;
use super::tolerant::{LooseStr, NonNegative, Object};
use crate::input::Source;
use crate::model::bench::{BenchReport, Benchmark, fill_percentiles};
use crate::parsers::ParseError;

#[derive(Deserialize)]
struct Doc {
    results: Vec<Object<Run>>,
}

#[derive(Deserialize)]
struct Run {
    #[serde(default)]
    command: LooseStr,
    mean: Option<NonNegative>,
    stddev: Option<NonNegative>,
    median: Option<NonNegative>,
    min: Option<NonNegative>,
    max: Option<NonNegative>,
    #[serde(default)]
    times: Option<Vec<NonNegative>>,
    /// Absent before hyperfine wrote it; `null` or any other type is an error.
    #[serde(default, deserialize_with = "codes")]
    exit_codes: Option<Vec<Option<i64>>>,
}

fn codes<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Vec<Option<i64>>>, D::Error> {
    Vec::deserialize(d).map(Some)
}

const NS: f64 = 1e9;

/// Reads a hyperfine JSON export.
pub fn parse(input: &Source) -> Result<BenchReport, ParseError> {
    let doc: Doc = json::read_doc(input)?;
    let mut report = BenchReport { tool: "hyperfine".into(), ..BenchReport::default() };
    for (i, Object(r)) in doc.results.into_iter().enumerate() {
        let name = r.command.0.unwrap_or_else(|| format!("command {}", i + 1));
        let mut b = Benchmark::new(name);
        let ns = |v: Option<NonNegative>| v.map(|v| v.0 * NS);
        b.mean = ns(r.mean);
        b.stddev = ns(r.stddev);
        b.median = ns(r.median);
        b.min = ns(r.min);
        b.max = ns(r.max);
        if let Some(times) = &r.times {
            b.samples = Some(times.len() as u64);
            let samples: Vec<f64> = times.iter().map(|t| t.0 * NS).collect();
            fill_percentiles(&mut b, &samples);
        }
        let against_times =
            || disagrees_with_times(r.times.as_deref().unwrap_or_default(), &r.exit_codes, [r.mean, r.min, r.max]);
        if let Some(why) = b.contradiction().or_else(against_times) {
            return Err(contradiction(&format!("results[{i}]"), &b.name, &why));
        }
        if let Some(failed) = r.exit_codes.as_deref().and_then(|codes| failed_runs(&b.name, codes)) {
            report.failures.push(failed);
        }
        report.benchmarks.push(b);
    }
    Ok(report)
}

/// How a command's figures disagree with the `times` they were made from: hyperfine computes
/// `mean`, `min` and `max` from `times`, and writes one exit code a time. A report where they
/// disagree was edited or cut, and a run whose exit code is missing may have failed.
fn disagrees_with_times(
    times: &[NonNegative],
    codes: &Option<Vec<Option<i64>>>,
    [mean, min, max]: [Option<NonNegative>; 3],
) -> Option<String> {
    if let Some(codes) = codes
        && codes.len() != times.len()
    {
        return Some(format!("`exit_codes` lists {} runs and `times` {}", codes.len(), times.len()));
    }
    let (first, rest) = times.split_first()?;
    let (mut lo, mut hi, mut sum) = (first.0, first.0, first.0);
    for t in rest {
        lo = lo.min(t.0);
        hi = hi.max(t.0);
        sum += t.0;
    }
    let computed = [("mean", mean, sum / times.len() as f64), ("min", min, lo), ("max", max, hi)];
    computed.into_iter().find_map(|(what, stated, from_times)| {
        let stated = stated?.0;
        let slack = from_times.abs().max(stated.abs()) * 1e-9 + 1e-15;
        ((stated - from_times).abs() > slack)
            .then(|| format!("its {what} is {stated} s but its `times` make {from_times} s"))
    })
}

/// What failed, when command `name`'s runs did not all exit 0.
fn failed_runs(name: &str, codes: &[Option<i64>]) -> Option<String> {
    let failed: Vec<Option<i64>> = codes.iter().copied().filter(|c| *c != Some(0)).collect();
    if failed.is_empty() {
        return None;
    }
    let mut how: Vec<String> =
        failed.iter().map(|c| c.map_or("killed by a signal".to_string(), |c| format!("exit code {c}"))).collect();
    how.sort();
    how.dedup();
    Some(format!(
        "`{name}` failed in {} of {} runs ({}): hyperfine timed a failing command (run with --ignore-failure)",
        failed.len(),
        codes.len(),
        how.join(", ")
    ))
}

/// The error for benchmark `name` at `at` whose statistics contradict one another.
pub(crate) fn contradiction(at: &str, name: &str, why: &str) -> ParseError {
    ParseError::whole(format!(
        "`{at}` ({name:?}): {why}: the statistics contradict one another, so the report cannot be judged"
    ))
}

/// Whether a JSON document's opening looks like a hyperfine export.
pub fn looks_like(body: &[u8]) -> bool {
    let has = |s: &str| memchr::memmem::find(body, s.as_bytes()).is_some();
    has("\"results\"") && has("\"command\"") && (has("\"times\"") || has("\"stddev\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_become_nanoseconds_and_percentiles_come_from_times() {
        let text = r#"{"results":[{"command":"sleep 0.01","mean":0.0105,"stddev":0.0002,"median":0.0104,
            "user":0.001,"system":0.0,"min":0.0101,"max":0.0112,"times":[0.0101,0.0102,0.0104,0.0106,0.0112],"exit_codes":[0,0,0,0,0]}]}"#;
        let r = parse(&Source::bytes("h.json", text.as_bytes())).unwrap();
        let b = &r.benchmarks[0];
        assert_eq!(b.name, "sleep 0.01");
        assert!((b.mean.unwrap() - 10.5e6).abs() < 1.0);
        assert!((b.p95.unwrap() - 11.08e6).abs() < 1.0, "{:?}", b.p95);
        assert_eq!(b.samples, Some(5));
    }

    #[test]
    fn non_zero_exit_codes_are_a_failed_run() {
        let run = |codes: &str| {
            let text = format!(
                r#"{{"results":[{{"command":"./app","mean":0.001,"times":[0.001,0.001,0.001],"exit_codes":{codes}}}]}}"#
            );
            parse(&Source::bytes("h.json", text.as_bytes()))
        };
        assert_eq!(
            run("[127,127,127]").unwrap().failures,
            [
                "`./app` failed in 3 of 3 runs (exit code 127): hyperfine timed a failing command (run with --ignore-failure)"
            ]
        );
        assert!(run("[0,null,1]").unwrap().failures[0].contains("2 of 3 runs (exit code 1, killed by a signal)"));
        assert!(run("[0,0,0]").unwrap().failures.is_empty());
        let older = br#"{"results":[{"command":"./app","mean":0.001,"times":[0.001]}]}"#;
        assert!(parse(&Source::bytes("h.json", &older[..])).unwrap().failures.is_empty(), "no codes written");
        for wrong in ["null", r#""127""#, r#"["0"]"#, "[0.5]", "{}"] {
            let e = run(wrong).unwrap_err();
            assert!(e.message.contains("exit_codes"), "{wrong}: {}", e.message);
        }
    }

    /// hyperfine computes `mean`, `min` and `max` from `times` and writes an exit code a run: a
    /// report where they disagree was edited or cut (a run without its exit code may have
    /// failed), and was judged on its stated figures.
    #[test]
    fn figures_that_disagree_with_their_times_are_errors() {
        let run = |fields: &str| {
            let text = format!(r#"{{"results":[{{"command":"./app",{fields}}}]}}"#);
            parse(&Source::bytes("h.json", text.as_bytes()))
        };
        assert!(
            run(r#""mean":0.002,"min":0.001,"max":0.003,"times":[0.001,0.002,0.003],"exit_codes":[0,0,0]"#).is_ok()
        );
        for (fields, said) in [
            (
                r#""mean":0.002,"times":[0.001,0.002,0.003],"exit_codes":[0,0]"#,
                "`exit_codes` lists 2 runs and `times` 3",
            ),
            (r#""mean":0.001,"times":[0.001,0.002,0.003]"#, "its mean is 0.001 s but its `times` make 0.002 s"),
            (r#""mean":0.002,"min":0.0005,"times":[0.001,0.002,0.003]"#, "its min is 0.0005 s"),
            (r#""mean":0.002,"max":0.0025,"times":[0.001,0.002,0.003]"#, "its max is 0.0025 s"),
        ] {
            let e = run(fields).unwrap_err();
            assert!(e.message.contains(said), "{fields}: {}", e.message);
        }
    }

    #[test]
    fn hostile_values_are_placed_errors() {
        let e = parse(&Source::bytes("h", &b"{\"results\":[{\"command\":\"x\",\n\"mean\":-1}]}"[..])).unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(parse(&Source::bytes("h", &b"{\"results\":[{\"mean\":1e999}]}"[..])).is_err());
        assert!(parse(&Source::bytes("h", &b"{\"results\":[{\"mean\":0.1"[..])).is_err());
    }
}
