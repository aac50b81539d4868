//! `go test -bench` text output (what `benchstat` reads): one line per benchmark run,
//! `BenchmarkVerifyToken-8   110037   3186 ns/op   528 B/op   7 allocs/op`.
//!
//! A benchmark's name is benchstat's: without the `Benchmark` prefix and the `-GOMAXPROCS`
//! suffix (`VerifyToken`, `Split/short`). With `-count N` each benchmark has N lines: mean,
//! median, min, max (and p90/p95/p99 from the lines, interpolated) are over their `ns/op`
//! figures; with one line they are all that figure. Other lines (`goos:`, `PASS`, test output)
//! are skipped, but for `--- FAIL` and `FAIL` lines: a run that failed is one the gate blocks.

use std::collections::BTreeMap;

use super::text::LineReader;
use crate::input::Source;
use crate::model::bench::{BenchReport, Benchmark, Stat, fill_percentiles, percentile};
use crate::parsers::ParseError;

/// Reads `go test -bench` output.
pub fn parse(input: &Source) -> Result<BenchReport, ParseError> {
    let raw = input.reader();
    let mut lines = LineReader::new(raw);
    let mut order: Vec<String> = Vec::new();
    let mut runs: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let mut report = BenchReport { tool: "go test -bench".into(), ..BenchReport::default() };
    let mut failed = Vec::new();
    let mut package_failed = None;
    while let Some((line, pos)) = lines.next_with_pos()? {
        let text = std::str::from_utf8(line)
            .map_err(|e| ParseError::at(pos.line, e.valid_up_to() as u64 + 1, "the line is not valid UTF-8 text"))?;
        let text = text.trim();
        if text.starts_with("--- FAIL") {
            failed.push(format!("`{text}` (line {})", pos.line));
        } else if package_failed.is_none()
            && (text == "FAIL" || text.starts_with("FAIL\t") || text.starts_with("FAIL "))
        {
            package_failed =
                Some(format!("`{}` (line {})", text.split_whitespace().collect::<Vec<_>>().join(" "), pos.line));
        }
        let Some(rest) = text.strip_prefix("Benchmark") else { continue };
        let mut fields = text.split_whitespace();
        let Some(full) = fields.next() else { continue };
        let Some(iterations) = fields.next() else { continue };
        if iterations.parse::<u64>().is_err() || rest.is_empty() {
            continue; // a log line starting with "Benchmark", not a result
        }
        let fields: Vec<&str> = fields.collect();
        let Some(i) = fields.iter().position(|f| *f == "ns/op") else { continue };
        let Some(value) = i.checked_sub(1).map(|j| fields[j]) else { continue };
        let ns: f64 = value
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite() && *v >= 0.0 && *v < 1e18)
            .ok_or_else(|| ParseError::at_line(pos.line, format!("{value:?} is not a usable ns/op figure")))?;
        let name = bench_name(full);
        match runs.get_mut(&name) {
            Some(v) => v.push(ns),
            None => {
                order.push(name.clone());
                runs.insert(name, vec![ns]);
            }
        }
    }
    for name in order {
        let v = &runs[&name];
        let mut b = Benchmark::new(name.clone());
        b.mean = Some(v.iter().sum::<f64>() / v.len() as f64);
        b.median = percentile(v, 50.0);
        b.min = v.iter().copied().reduce(f64::min);
        b.max = v.iter().copied().reduce(f64::max);
        b.samples = Some(v.len() as u64);
        if v.len() == 1 {
            for s in [Stat::P90, Stat::P95, Stat::P99] {
                b.set(s, v[0]);
            }
        } else {
            fill_percentiles(&mut b, v);
        }
        report.benchmarks.push(b);
    }
    // A `--- FAIL` names the benchmark; a `FAIL` line alone (a panic, a failed test) says only
    // that the package failed.
    report.failures = if failed.is_empty() { package_failed.into_iter().collect() } else { failed };
    if report.benchmarks.is_empty() {
        return Err(ParseError::whole("no benchmark result line (`BenchmarkX-8  N  T ns/op`) in the output"));
    }
    Ok(report)
}

/// `BenchmarkSplit/short-8` → `Split/short`.
fn bench_name(full: &str) -> String {
    let name = full.strip_prefix("Benchmark").unwrap_or(full);
    let name = match name.rsplit_once('-') {
        Some((base, procs)) if !procs.is_empty() && procs.bytes().all(|b| b.is_ascii_digit()) => base,
        _ => name,
    };
    name.to_string()
}

/// Whether a text's opening looks like `go test -bench` output.
pub fn looks_like(body: &[u8]) -> bool {
    body.split(|&b| b == b'\n').take(400).any(|l| {
        let l = l.trim_ascii();
        l.starts_with(b"Benchmark") && memchr::memmem::find(l, b" ns/op").is_some()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUT: &str = "goos: linux\ngoarch: amd64\npkg: example.com/tokens\ncpu: AMD EPYC\n\
BenchmarkVerifyToken-2   \t  110037\t      3186 ns/op\t     528 B/op\t       7 allocs/op\n\
BenchmarkVerifyToken-2   \t   72223\t      4348 ns/op\t     528 B/op\t       7 allocs/op\n\
BenchmarkSplit/short-2   \t300602240\t         0.7951 ns/op\n\
PASS\nok  \texample.com/tokens\t2.524s\n";

    #[test]
    fn lines_of_one_benchmark_are_taken_together() {
        let r = parse(&Source::bytes("bench.txt", OUT.as_bytes())).unwrap();
        assert_eq!(r.benchmarks.len(), 2);
        let v = &r.benchmarks[0];
        assert_eq!((v.name.as_str(), v.samples, v.mean, v.max), ("VerifyToken", Some(2), Some(3767.0), Some(4348.0)));
        let s = &r.benchmarks[1];
        assert_eq!((s.name.as_str(), s.p95), ("Split/short", Some(0.7951)));
        assert!(looks_like(OUT.as_bytes()));
    }

    #[test]
    fn a_failed_run_is_kept_with_what_failed() {
        let out = "BenchmarkVerifyToken-8   \t  110037\t      3190 ns/op\n--- FAIL: BenchmarkParse-8\n    \
                   parse_test.go:31: unexpected error: boom\nFAIL\nexit status 1\nFAIL\texample.com/tokens\t2.524s\n";
        let r = parse(&Source::bytes("bench.txt", out.as_bytes())).unwrap();
        assert_eq!(r.failures, ["`--- FAIL: BenchmarkParse-8` (line 2)"]);
        let panicked = "BenchmarkA-8 10 5 ns/op\npanic: boom\nFAIL\texample.com/tokens\t0.1s\n";
        let r = parse(&Source::bytes("bench.txt", panicked.as_bytes())).unwrap();
        assert_eq!(r.failures, ["`FAIL example.com/tokens 0.1s` (line 3)"]);
        assert!(parse(&Source::bytes("bench.txt", OUT.as_bytes())).unwrap().failures.is_empty());
    }

    #[test]
    fn hostile_lines_are_placed_errors() {
        let e = parse(&Source::bytes("b", &b"BenchmarkX-2 10 1e999 ns/op\n"[..])).unwrap_err();
        assert_eq!(e.line, Some(1));
        let e = parse(&Source::bytes("b", &b"goos: linux\nBenchmarkX-2 10 \xff ns/op\n"[..])).unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(parse(&Source::bytes("b", &b"PASS\n"[..])).is_err());
        assert_eq!(bench_name("BenchmarkA-b"), "A-b");
    }
}
