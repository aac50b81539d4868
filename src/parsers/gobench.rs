//! `go test -bench` text output (what `benchstat` reads): one line per benchmark run,
//! `BenchmarkVerifyToken-8   110037   3186 ns/op   528 B/op   7 allocs/op`.
//!
//! A benchmark's name is benchstat's: without the `Benchmark` prefix and the `-GOMAXPROCS`
//! suffix (`VerifyToken`, `Split/short`). With `-count N` each benchmark has N lines: mean,
//! median, min, max (and p90/p95/p99 from the lines, interpolated) are over their `ns/op`
//! figures; with one line they are all that figure. Lines are taken together as benchstat takes
//! them, by package (the `pkg:` line before them) and full name: the same name in two packages,
//! or at two GOMAXPROCS (`-cpu 1,8`), is two benchmarks, each with its variant (`example.com/b`,
//! `GOMAXPROCS 8`), never one over both. Other lines (`goos:`, `PASS`, test output) are skipped,
//! but for `--- FAIL` and `FAIL` lines: a run that failed is one the gate blocks. So is a run that
//! did not end: a `panic:` or `*** Test killed` line, a benchmark whose name go printed and whose
//! result never came, `go test`'s own output (with its `goos:` line) that stops before the
//! `PASS`/`ok`/`FAIL` closing its last package, and a result of 0 iterations.

use std::collections::HashMap;

use super::text::LineReader;
use crate::input::Source;
use crate::model::bench::{BenchReport, Benchmark, Stat, fill_percentiles, percentile, same_named};
use crate::parsers::ParseError;

/// Reads `go test -bench` output.
pub fn parse(input: &Source) -> Result<BenchReport, ParseError> {
    let raw = input.reader();
    let mut lines = LineReader::new(raw);
    // What takes lines together: the package and the full name (`Split/short-8`).
    let mut order: Vec<(Option<String>, String)> = Vec::new();
    let mut runs: HashMap<(Option<String>, String), Vec<f64>> = HashMap::new();
    let mut pkg: Option<String> = None;
    let mut report = BenchReport { tool: "go test -bench".into(), ..BenchReport::default() };
    let mut failed = Vec::new();
    let mut package_failed = None;
    // `go test`'s own output (it starts with `goos:`), whose every package ends with `PASS`,
    // `ok` or `FAIL`; whether results came since the last such line.
    let (mut raw, mut open) = (false, false);
    // Benchmarks that began (their name printed, as go does before running one) and gave no
    // result yet: a panic or a kill in the middle of one leaves its name alone on a line.
    let mut started: Vec<(String, u64)> = Vec::new();
    while let Some((line, pos)) = lines.next_with_pos()? {
        let text = std::str::from_utf8(line)
            .map_err(|e| ParseError::at(pos.line, e.valid_up_to() as u64 + 1, "the line is not valid UTF-8 text"))?;
        let text = text.trim();
        if let Some(name) = text.strip_prefix("pkg:") {
            pkg = Some(name.trim().to_string());
        }
        raw |= text.starts_with("goos:");
        if text == "PASS" || text.starts_with("ok ") || text.starts_with("ok\t") || text.starts_with("FAIL") {
            open = false;
        }
        if text.starts_with("panic:") || text.starts_with("*** Test killed") {
            failed.push(format!("`{text}` (line {}): the benchmarks did not run to their end", pos.line));
        }
        if text.starts_with("Benchmark") && !text.contains(char::is_whitespace) {
            started.push((text.to_string(), pos.line));
        }
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
        // Go leaves `ns/op` out of a result whose time is 0 (`b.ReportMetric(0, "ns/op")`): the
        // benchmark is kept, with no time, which no budget passes; it was dropped, and a budget
        // on every benchmark approved the others.
        let ns = match fields.iter().position(|f| *f == "ns/op") {
            Some(i) => {
                let Some(value) = i.checked_sub(1).map(|j| fields[j]) else { continue };
                let ns: f64 =
                    value.parse().ok().filter(|v: &f64| v.is_finite() && *v >= 0.0 && *v < 1e18).ok_or_else(|| {
                        ParseError::at_line(pos.line, format!("{value:?} is not a usable ns/op figure"))
                    })?;
                Some(ns)
            }
            None if fields.len() >= 2 && fields.iter().skip(1).step_by(2).all(|unit| unit.contains('/')) => None,
            None => continue,
        };
        // `-v` prints the name without its `-GOMAXPROCS` before the result line, and a parent's
        // name before its sub-benchmarks' (it has no result of its own).
        let base = split_procs(full).0;
        started.retain(|(name, _)| {
            !(name == full || name == base || base.strip_prefix(name.as_str()).is_some_and(|r| r.starts_with('/')))
        });
        open = true;
        if iterations == "0" {
            failed.push(format!("`{full}` (line {}) ran 0 iterations: it measured nothing", pos.line));
        }
        let key = (pkg.clone(), full.strip_prefix("Benchmark").unwrap_or(full).to_string());
        match runs.get_mut(&key) {
            Some(v) => v.extend(ns),
            None => {
                order.push(key.clone());
                runs.insert(key, ns.into_iter().collect());
            }
        }
    }
    for key in &order {
        let v = &runs[key];
        let mut b = Benchmark::new(split_procs(&key.1).0);
        if v.is_empty() {
            report.benchmarks.push(b);
            continue;
        }
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
    tell_apart(&mut report.benchmarks, &order);
    // A `--- FAIL` names the benchmark; a `FAIL` line alone (a panic, a failed test) says only
    // that the package failed.
    for (name, line) in started {
        failed.push(format!("`{name}` (line {line}) began and gave no result: the run ended inside it"));
    }
    if raw && open {
        failed.push("the output ends before go's closing `PASS`/`ok` or `FAIL` line: the run was cut short".into());
    }
    report.failures = if failed.is_empty() { package_failed.into_iter().collect() } else { failed };
    if report.benchmarks.is_empty() {
        return Err(ParseError::whole("no benchmark result line (`BenchmarkX-8  N  T ns/op`) in the output"));
    }
    Ok(report)
}

/// `Split/short-8` → (`Split/short`, `8`).
fn split_procs(name: &str) -> (&str, Option<&str>) {
    match name.rsplit_once('-') {
        Some((base, procs)) if !procs.is_empty() && procs.bytes().all(|b| b.is_ascii_digit()) => (base, Some(procs)),
        _ => (name, None),
    }
}

/// Sets the variant of each benchmark of `benchmarks` that bears another's name, from its
/// package and full name (`keys`, one a benchmark): the package where theirs differ, the
/// GOMAXPROCS where theirs do (`example.com/b, GOMAXPROCS 8`).
fn tell_apart(benchmarks: &mut [Benchmark], keys: &[(Option<String>, String)]) {
    for group in same_named(benchmarks) {
        let pkgs: Vec<Option<&str>> = group.iter().map(|&i| keys[i].0.as_deref()).collect();
        let procs: Vec<Option<&str>> = group.iter().map(|&i| split_procs(&keys[i].1).1).collect();
        let (by_pkg, by_procs) = (pkgs.iter().any(|p| *p != pkgs[0]), procs.iter().any(|p| *p != procs[0]));
        for (at, &i) in group.iter().enumerate() {
            let mut parts = Vec::new();
            if by_pkg {
                parts.push(pkgs[at].unwrap_or("no pkg line").to_string());
            }
            if by_procs {
                parts.push(procs[at].map_or("no GOMAXPROCS suffix".to_string(), |n| format!("GOMAXPROCS {n}")));
            }
            benchmarks[i].variant = Some(parts.join(", "));
        }
    }
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

    /// benchstat takes lines together by package and full name: one sample of two packages'
    /// `Parse`, or of `-cpu 1,8`, used to hide the slower under a mean over both.
    #[test]
    fn the_same_name_in_two_packages_or_at_two_gomaxprocs_is_two_benchmarks() {
        let out = "goos: linux\npkg: example.com/a\nBenchmarkParse-8 \t 1000\t 100 ns/op\nBenchmarkParse-8 \t 1000\t 120 ns/op\n\
                   PASS\nok  \texample.com/a\t1.0s\npkg: example.com/b\nBenchmarkParse-8 \t 10\t 90000 ns/op\n\
                   BenchmarkParse-8 \t 10\t 91000 ns/op\nBenchmarkOnly-8 \t 10\t 5 ns/op\nPASS\nok  \texample.com/b\t1.0s\n";
        let r = parse(&Source::bytes("bench.txt", out.as_bytes())).unwrap();
        let got: Vec<(String, Option<u64>, Option<f64>)> =
            r.benchmarks.iter().map(|b| (b.label(), b.samples, b.mean)).collect();
        assert_eq!(
            got,
            [
                ("Parse (example.com/a)".to_string(), Some(2), Some(110.0)),
                ("Parse (example.com/b)".to_string(), Some(2), Some(90500.0)),
                ("Only".to_string(), Some(1), Some(5.0)),
            ]
        );
        let cpu = "pkg: example.com/a\nBenchmarkParse \t 1000\t 100 ns/op\nBenchmarkParse-8 \t 1000\t 30 ns/op\n\
                   BenchmarkParse \t 1000\t 110 ns/op\nBenchmarkParse-8 \t 1000\t 32 ns/op\n";
        let r = parse(&Source::bytes("bench.txt", cpu.as_bytes())).unwrap();
        let got: Vec<(String, Option<f64>)> = r.benchmarks.iter().map(|b| (b.label(), b.max)).collect();
        assert_eq!(
            got,
            [
                ("Parse (no GOMAXPROCS suffix)".to_string(), Some(110.0)),
                ("Parse (GOMAXPROCS 8)".to_string(), Some(32.0))
            ]
        );
    }

    #[test]
    fn a_failed_run_is_kept_with_what_failed() {
        let out = "BenchmarkVerifyToken-8   \t  110037\t      3190 ns/op\n--- FAIL: BenchmarkParse-8\n    \
                   parse_test.go:31: unexpected error: boom\nFAIL\nexit status 1\nFAIL\texample.com/tokens\t2.524s\n";
        let r = parse(&Source::bytes("bench.txt", out.as_bytes())).unwrap();
        assert_eq!(r.failures, ["`--- FAIL: BenchmarkParse-8` (line 2)"]);
        let panicked = "BenchmarkA-8 10 5 ns/op\npanic: boom\nFAIL\texample.com/tokens\t0.1s\n";
        let r = parse(&Source::bytes("bench.txt", panicked.as_bytes())).unwrap();
        assert_eq!(r.failures, ["`panic: boom` (line 2): the benchmarks did not run to their end"]);
        // Go's own output cut inside a benchmark (its name printed, no result: a panic or a
        // kill), cut after one, a timeout or a kill, and a result of 0 iterations: each
        // approved its budgets before. With -v the bare name comes before its result: a run.
        let head = "goos: linux\npkg: x\nBenchmarkOK-2 \t 2000\t 102.4 ns/op\n";
        for (tail, said) in [
            ("BenchmarkPanic-2 \t", "began and gave no result"),
            ("", "ends before go's closing"),
            ("panic: test timed out after 10m0s\n", "did not run to their end"),
            ("*** Test killed with quit: ran too long (11m0s).\n", "did not run to their end"),
            ("BenchmarkZ-2 \t 0\t 0 ns/op\nPASS\nok  \tx\t0.1s\n", "ran 0 iterations"),
        ] {
            let r = parse(&Source::bytes("b", format!("{head}{tail}").as_bytes())).unwrap();
            assert!(r.failures.iter().any(|f| f.contains(said)), "{tail:?}: {:?}", r.failures);
        }
        let verbose = "goos: linux\npkg: x\nBenchmarkA\nBenchmarkA-2 \t 2000\t 10 ns/op\nBenchmarkB\nBenchmarkB/x\n\
                       BenchmarkB/x-2 \t 100\t 3.9 ns/op\nPASS\nok  \tx\t0.1s\n";
        assert!(parse(&Source::bytes("b", verbose.as_bytes())).unwrap().failures.is_empty());
        // Real go 1.19 output (tests/fixtures/perf/gobench/MAKE.md).
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/perf/gobench");
        let real = parse(&Source::open(dir.join("verbose-count2.txt")).unwrap()).unwrap();
        assert!(real.failures.is_empty() && real.benchmarks.len() == 2, "{:?}", real.failures);
        assert!(parse(&Source::open(dir.join("panic.txt")).unwrap()).is_err(), "0 NaN ns/op is no timing");
        assert!(parse(&Source::bytes("bench.txt", OUT.as_bytes())).unwrap().failures.is_empty());
    }

    #[test]
    fn hostile_lines_are_placed_errors() {
        let e = parse(&Source::bytes("b", &b"BenchmarkX-2 10 1e999 ns/op\n"[..])).unwrap_err();
        assert_eq!(e.line, Some(1));
        let e = parse(&Source::bytes("b", &b"goos: linux\nBenchmarkX-2 10 \xff ns/op\n"[..])).unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(parse(&Source::bytes("b", &b"PASS\n"[..])).is_err());
        assert_eq!(split_procs("A-b"), ("A-b", None));
        assert_eq!(split_procs("Split/short-8"), ("Split/short", Some("8")));
    }
}
