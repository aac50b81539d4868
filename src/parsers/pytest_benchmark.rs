//! pytest-benchmark `--benchmark-json` (and its `.benchmarks/` autosaves): one benchmark per
//! test, statistics in seconds.
//!
//! min, max, mean, median and stddev are pytest-benchmark's own; p90/p95/p99 are computed from
//! `stats.data` when the run kept it (`--benchmark-save-data`), else not given. The name is the
//! test's `name` (`test_verify_token`, `test_parse[small]`); tests of one name in two modules are
//! told apart by their `fullname` (`tests/a/test_x.py::test_parse`, the benchmark's variant),
//! which pytest-benchmark gives each benchmark once: a `fullname` given twice is an error.

use std::collections::HashMap;

use serde::Deserialize;

use super::json::{self, Count};
use super::tolerant::{LooseStr, NonNegative, Object};
use crate::input::Source;
use crate::model::bench::{BenchReport, Benchmark, fill_percentiles, same_named};
use crate::parsers::ParseError;

#[derive(Deserialize)]
struct Doc {
    benchmarks: Vec<Object<Bench>>,
    #[serde(default)]
    version: LooseStr,
}

#[derive(Deserialize)]
struct Bench {
    #[serde(default)]
    name: LooseStr,
    #[serde(default)]
    fullname: LooseStr,
    stats: Object<Stats>,
}

#[derive(Deserialize)]
struct Stats {
    min: Option<NonNegative>,
    max: Option<NonNegative>,
    mean: Option<NonNegative>,
    median: Option<NonNegative>,
    stddev: Option<NonNegative>,
    rounds: Option<Count>,
    #[serde(default)]
    data: Option<Vec<NonNegative>>,
}

const NS: f64 = 1e9;

/// Reads a pytest-benchmark JSON report.
pub fn parse(input: &Source) -> Result<BenchReport, ParseError> {
    let doc: Doc = json::read_doc(input)?;
    let version = doc.version.0.map(|v| format!(" {v}")).unwrap_or_default();
    let mut report = BenchReport { tool: format!("pytest-benchmark{version}"), ..BenchReport::default() };
    // Each benchmark's fullname (its name where it has none), and where it came first.
    let mut fullnames: Vec<String> = Vec::new();
    let mut first: HashMap<String, usize> = HashMap::new();
    for (i, Object(bench)) in doc.benchmarks.into_iter().enumerate() {
        let fullname = bench.fullname.0.or_else(|| bench.name.0.clone());
        let name = bench.name.0.or_else(|| fullname.clone()).unwrap_or_else(|| format!("benchmark {}", i + 1));
        let fullname = fullname.unwrap_or_else(|| name.clone());
        if let Some(earlier) = first.insert(fullname.clone(), i) {
            return Err(ParseError::whole(format!(
                "`benchmarks[{i}]` ({fullname:?}): `benchmarks[{earlier}]` bears this fullname too: pytest-benchmark \
                 names each benchmark once, so which figures stand for it cannot be told; write the report again"
            )));
        }
        fullnames.push(fullname);
        let Object(s) = bench.stats;
        let ns = |v: Option<NonNegative>| v.map(|v| v.0 * NS);
        let mut b = Benchmark::new(name);
        b.min = ns(s.min);
        b.max = ns(s.max);
        b.mean = ns(s.mean);
        b.median = ns(s.median);
        b.stddev = ns(s.stddev);
        b.samples = s.rounds.map(|r| r.0);
        if let Some(data) = s.data {
            let samples: Vec<f64> = data.iter().map(|d| d.0 * NS).collect();
            fill_percentiles(&mut b, &samples);
        }
        if let Some(why) = b.contradiction() {
            return Err(super::hyperfine::contradiction(&format!("benchmarks[{i}].stats"), &b.name, &why));
        }
        report.benchmarks.push(b);
    }
    for i in same_named(&report.benchmarks).into_iter().flatten() {
        report.benchmarks[i].variant = Some(std::mem::take(&mut fullnames[i]));
    }
    Ok(report)
}

/// Whether a JSON document's opening looks like pytest-benchmark's.
pub fn looks_like(body: &[u8]) -> bool {
    let has = |s: &str| memchr::memmem::find(body, s.as_bytes()).is_some();
    has("\"machine_info\"") && (has("\"benchmarks\"") || has("\"commit_info\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_stats_and_percentiles_from_saved_data() {
        let text = r#"{"machine_info":{},"benchmarks":[{"name":"test_v","fullname":"t.py::test_v","stats":
            {"min":1e-6,"max":3e-6,"mean":2e-6,"stddev":1e-7,"rounds":4,"median":2e-6,"data":[1e-6,2e-6,2e-6,3e-6]}}],"version":"5.1.0"}"#;
        let r = parse(&Source::bytes("b.json", text.as_bytes())).unwrap();
        assert_eq!(r.tool, "pytest-benchmark 5.1.0");
        let b = &r.benchmarks[0];
        assert_eq!((b.name.as_str(), b.samples), ("test_v", Some(4)));
        assert!((b.mean.unwrap() - 2000.0).abs() < 1e-6);
        assert!((b.p95.unwrap() - 2850.0).abs() < 1e-6);
    }

    /// `name` is the test's, `fullname` its node id: tests of one name in two modules are two
    /// benchmarks, told apart by their fullname; one fullname twice cannot be judged.
    #[test]
    fn benchmarks_of_one_name_are_told_apart_by_their_fullname() {
        let doc = |a: &str, b: &str| {
            format!(
                r#"{{"machine_info":{{}},"benchmarks":[
                {{"name":"test_parse","fullname":"{a}","stats":{{"mean":1e-6,"rounds":3}}}},
                {{"name":"test_verify","fullname":"tests/test_v.py::test_verify","stats":{{"mean":2e-6,"rounds":3}}}},
                {{"name":"test_parse","fullname":"{b}","stats":{{"mean":9e-6,"rounds":3}}}}]}}"#
            )
        };
        let r = parse(&Source::bytes(
            "b.json",
            doc("tests/a/test_x.py::test_parse", "tests/b/test_x.py::test_parse").as_bytes(),
        ))
        .unwrap();
        let got: Vec<String> = r.benchmarks.iter().map(Benchmark::label).collect();
        assert_eq!(
            got,
            ["test_parse (tests/a/test_x.py::test_parse)", "test_verify", "test_parse (tests/b/test_x.py::test_parse)"]
        );
        let same = doc("tests/a/test_x.py::test_parse", "tests/a/test_x.py::test_parse");
        let e = parse(&Source::bytes("b.json", same.as_bytes())).unwrap_err();
        assert!(
            e.message.starts_with(
                "`benchmarks[2]` (\"tests/a/test_x.py::test_parse\"): `benchmarks[0]` bears this fullname too"
            ),
            "{}",
            e.message
        );
    }

    #[test]
    fn a_benchmark_without_stats_is_a_placed_error() {
        let e =
            parse(&Source::bytes("b", &b"{\"machine_info\":{},\n\"benchmarks\":[{\"name\":\"x\"}]}"[..])).unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("stats"), "{}", e.message);
        // serde reads a struct from a list, by position: min, max, mean… would be 1, 2, 3.
        let listed = b"{\"machine_info\":{},\"benchmarks\":[{\"name\":\"x\",\"stats\":[1,2,3,4,5]}]}";
        let e = parse(&Source::bytes("b", &listed[..])).unwrap_err();
        assert!(e.message.starts_with("`benchmarks[0].stats`: invalid type: sequence"), "{}", e.message);
    }
}
