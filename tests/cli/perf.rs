//! Performance: real hyperfine, criterion, pytest-benchmark, go test -bench and k6 outputs
//! (tests/fixtures/perf; README there says how each was made), read and gated.

use crate::support::{fixture, temis, temis_in};

fn p(rel: &str) -> String {
    fixture(rel).display().to_string()
}

fn benchmarks(rel: &str) -> (String, Vec<serde_json::Value>) {
    let r = temis(&["report", "--format", "json", &p(rel)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let e = &doc["reports"][0];
    assert_eq!(e["kind"], "performance");
    (e["format"].as_str().unwrap().to_string(), e["performance"]["benchmarks"].as_array().unwrap().clone())
}

fn gate(policy: &str, reports: &[String]) -> crate::support::Run {
    gate_with(policy, &[], reports)
}

/// `temis gate` with `policy` in a folder holding `base.json` (the hyperfine fixture) and `files`
/// (name, text), judging `reports` (paths, or names of `files`).
fn gate_with(policy: &str, files: &[(&str, &str)], reports: &[String]) -> crate::support::Run {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("[coverage]\nrequired = false\n[tests]\nrequired = false\n{policy}");
    std::fs::write(dir.path().join("temis.toml"), text).unwrap();
    std::fs::copy(fixture("perf/hyperfine/hyperfine.json"), dir.path().join("base.json")).unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let mut args = vec!["gate", "--color", "never", "--root", "."];
    args.extend(reports.iter().map(String::as_str));
    temis_in(dir.path(), &args)
}

#[test]
fn every_producer_is_read_with_its_own_figures() {
    let (f, b) = benchmarks("perf/hyperfine/hyperfine.json");
    assert_eq!((f.as_str(), b[0]["name"].as_str()), ("hyperfine-json", Some("sleep 0.005")));
    assert!((b[0]["mean"].as_f64().unwrap() - 8_370_723.35).abs() < 1.0, "{}", b[0]);
    let (f, b) = benchmarks("perf/pytest-benchmark/bench.json");
    assert_eq!((f.as_str(), b[0]["name"].as_str()), ("pytest-benchmark-json", Some("test_verify_token")));
    let (f, b) = benchmarks("perf/gobench/bench.txt");
    assert_eq!(
        (f.as_str(), b[0]["name"].as_str(), b[0]["samples"].as_u64()),
        ("gobench", Some("VerifyToken"), Some(2))
    );
    assert_eq!(b[0]["mean"], 3767.0, "(3186 + 4348) / 2 ns/op");
    let (f, b) = benchmarks("perf/criterion/target/criterion/parse/split_token/new/estimates.json");
    assert_eq!((f.as_str(), b[0]["name"].as_str()), ("criterion-json", Some("parse/split_token")));
    // criterion printed `time: [21.274 ns 21.902 ns 22.458 ns]`: its slope, not its mean (20.31).
    assert!((b[0]["mean"].as_f64().unwrap() - 21.902_332_832_302_953).abs() < 1e-9, "{}", b[0]);
    let (f, b) = benchmarks("perf/k6/summary.json");
    assert_eq!((f.as_str(), b.len()), ("k6-json", 9), "k6's nine trend metrics");
    let duration = b.iter().find(|m| m["name"] == "http_req_duration").unwrap();
    // summary.json says `"p(95)": 52.2378868` (ms; k6 printed `p(95)=52.23ms`); temis keeps ns.
    assert!((duration["p95"].as_f64().unwrap() - 52_237_886.8).abs() < 1.0, "{duration}");
}

#[test]
fn a_k6_p95_breach_blocks_with_its_numbers() {
    let g = gate(
        "[performance]\nbudgets = [{ name = \"http_req_duration\", stat = \"p95\", max = \"25ms\" }]\n",
        &[p("perf/k6/summary.json")],
    );
    assert_eq!(g.code, 1, "{}{}", g.stdout, g.stderr);
    assert!(g.stdout.contains("http_req_duration p95 52.2 ms > 25 ms"), "{}", g.stdout);
}

#[test]
fn budgets_pass_with_units() {
    let g = gate(
        "[performance]\nbudgets = [\n  { name = \"VerifyToken\", stat = \"p95\", max = \"10us\" },\n  { name = \"verify_token\", stat = \"median\", max = \"1ms\" },\n]\n",
        &[p("perf/gobench/bench.txt"), p("perf/criterion/target/criterion/verify_token/new/estimates.json")],
    );
    assert_eq!(g.code, 0, "{}{}", g.stdout, g.stderr);
    assert!(g.stdout.contains("VerifyToken p95 4.29 µs ≤ 10 µs"), "{}", g.stdout);
    assert!(g.stdout.contains("verify_token median 1.36 ns ≤ 1 ms"), "{}", g.stdout);
}

#[test]
fn a_budget_on_a_statistic_the_report_lacks_blocks() {
    let g = gate(
        "[performance]\nbudgets = [{ name = \"verify_token\", stat = \"p99\", max = \"1ms\" }]\n",
        &[p("perf/criterion/target/criterion/verify_token/new/estimates.json")],
    );
    assert_eq!(g.code, 1, "criterion gives no percentiles: {}{}", g.stdout, g.stderr);
    assert!(g.stdout.contains("criterion-json gives no p99 for verify_token (it has mean, median)"), "{}", g.stdout);
    assert!(g.stdout.contains("judge one of those"), "{}", g.stdout);
    // What the producers write where they measured nothing: each used to pass as a skipped budget.
    // The report measured nothing: could not judge (exit 2), each budget saying why too.
    let budget = "[performance]\nbudgets = [{ name = \"*\", stat = \"mean\", max = \"10ms\" }]\n";
    for (name, text) in [
        (
            "hyperfine.json",
            r#"{"results":[{"command":"sleep 0.5","mean":null,"stddev":null,"median":null,"user":0.0,"system":0.0,"min":null,"max":null,"times":[]}]}"#,
        ),
        ("bench.json", r#"{"machine_info":{},"benchmarks":[{"name":"test_v","stats":{}}],"version":"5.1.0"}"#),
        (
            "bench.json",
            r#"{"machine_info":{},"benchmarks":[{"name":"test_v","stats":{"min":null,"max":null,"mean":null,"median":null,"stddev":null,"rounds":0}}]}"#,
        ),
    ] {
        let g = gate_with(budget, &[(name, text)], &[name.to_string()]);
        assert_eq!(g.code, 2, "{name}: {}{}", g.stdout, g.stderr);
        assert!(g.stdout.contains("and not one statistic: it measured nothing"), "{name}: {}", g.stdout);
        assert!(g.stdout.contains("(it has no statistic at all)"), "{name}: {}", g.stdout);
    }
}

#[test]
fn regressions_against_a_baseline_file() {
    let g =
        gate("[performance]\nbaseline = \"base.json\"\nmax_regression = 10\n", &[p("perf/hyperfine/hyperfine.json")]);
    assert_eq!(g.code, 0, "the same report is no regression: {}{}", g.stdout, g.stderr);
    assert!(g.stdout.contains("2 benchmark(s) within their regression limit"), "{}", g.stdout);
    let g = gate(
        "[performance]\nbaseline = \"missing.json\"\nmax_regression = 10\n",
        &[p("perf/hyperfine/hyperfine.json")],
    );
    assert_eq!(g.code, 2, "a missing baseline cannot be judged: {}", g.stdout);
}

#[test]
fn a_regression_check_that_compared_nothing_blocks() {
    let base = "goos: linux\nBenchmarkVerifyToken-8   \t  110037\t      3186 ns/op\nBenchmarkParse-8   \t  500000\t      2000 ns/op\nPASS\n";
    let policy = "[performance]\nbaseline = \"go-base.txt\"\nmax_regression = 10\n";
    // Renamed benchmarks, ~280 times slower: nothing was compared, which used to pass.
    let renamed = "BenchmarkVerifyTokenV2-8   \t  1100\t      903186 ns/op\nBenchmarkParseV2-8   \t  5000\t      802000 ns/op\nPASS\n";
    let g = gate_with(policy, &[("go-base.txt", base), ("bench.txt", renamed)], &["bench.txt".into()]);
    assert_eq!(g.code, 1, "{}{}", g.stdout, g.stderr);
    assert!(
        g.stdout.contains("2 benchmark(s) of the baseline (go-base.txt) are not in this run: VerifyToken, Parse"),
        "{}",
        g.stdout
    );
    // A baseline of 0 ns/op gives no percentage: "+0.0 %" used to pass a benchmark now 5 ms.
    let zero = "BenchmarkVerifyToken-8   \t1000000000\t         0.0000 ns/op\nPASS\n";
    let slow = "BenchmarkVerifyToken-8   \t  1000\t      5000000 ns/op\nPASS\n";
    let g = gate_with(policy, &[("go-base.txt", zero), ("bench.txt", slow)], &["bench.txt".into()]);
    assert_eq!(g.code, 1, "{}{}", g.stdout, g.stderr);
    assert!(g.stdout.contains("a change from 0 has no percentage"), "{}", g.stdout);
    // criterion gives no p95 on either side: nothing compared, which used to pass.
    let estimates = p("perf/criterion/target/criterion/verify_token/new/estimates.json");
    let g = gate_with(
        "[performance]\nbaseline = \"base/criterion/verify_token/new/estimates.json\"\nmax_regression = 10\n\
         regression_stat = \"p95\"\n",
        &[("base/criterion/verify_token/new/estimates.json", &std::fs::read_to_string(&estimates).unwrap())],
        std::slice::from_ref(&estimates),
    );
    assert_eq!(g.code, 1, "{}{}", g.stdout, g.stderr);
    assert!(g.stdout.contains("criterion-json gives no p95 for verify_token"), "{}", g.stdout);
}

#[test]
fn a_failed_go_benchmark_run_blocks() {
    let failed = "goos: linux\nBenchmarkVerifyToken-8   \t  110037\t      3190 ns/op\n--- FAIL: BenchmarkParse-8\n    \
                  parse_test.go:31: unexpected error: boom\nFAIL\nexit status 1\nFAIL\texample.com/tokens\t2.524s\n";
    let budget = "[performance]\nbudgets = [{ name = \"*\", stat = \"mean\", max = \"10ms\" }]\n";
    let g = gate_with(budget, &[("bench.txt", failed)], &["bench.txt".into()]);
    assert_eq!(g.code, 1, "VerifyToken is within budget, but the run failed: {}{}", g.stdout, g.stderr);
    assert!(
        g.stdout.contains("go test -bench reports a failed run: `--- FAIL: BenchmarkParse-8` (line 3)"),
        "{}",
        g.stdout
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bench.txt"), failed).unwrap();
    let r = temis_in(dir.path(), &["report", "--color", "never", "bench.txt"]);
    assert!(r.stdout.contains("failed: bench.txt: `--- FAIL: BenchmarkParse-8` (line 3)"), "{}", r.stdout);
}

#[test]
fn a_hyperfine_command_that_exited_non_zero_blocks() {
    let failed = r#"{"results":[{"command":"./app","mean":0.001,"stddev":0.0001,"median":0.001,"user":0.0005,"system":0.0001,"min":0.0009,"max":0.0012,"times":[0.0009,0.0009,0.0012],"exit_codes":[127,127,127]}]}"#;
    let budget = "[performance]\nbudgets = [{ name = \"*\", stat = \"mean\", max = \"10ms\" }]\n";
    let g = gate_with(budget, &[("hyperfine.json", failed)], &["hyperfine.json".into()]);
    assert_eq!(g.code, 1, "{}{}", g.stdout, g.stderr);
    assert!(g.stdout.contains("`./app` failed in 3 of 3 runs (exit code 127)"), "{}", g.stdout);
    let wrong = failed.replace("[127,127,127]", "\"127\"");
    let g = gate_with(budget, &[("hyperfine.json", &wrong)], &["hyperfine.json".into()]);
    assert_eq!(g.code, 2, "{}{}", g.stdout, g.stderr);
    assert!(g.stdout.contains("`results[0].exit_codes`: invalid type: string"), "{}", g.stdout);
}

#[test]
fn a_k6_run_without_iterations_blocks_and_null_values_cannot_be_judged() {
    let budget = "[performance]\nbudgets = [{ name = \"*\", stat = \"p95\", max = \"10ms\" }]\n";
    let zero = r#"{"root_group":{"name":"","path":"","groups":{},"checks":{}},"metrics":{"iterations":{"count":0,"rate":0},"http_reqs":{"count":0,"rate":0},"http_req_failed":{"passes":0,"fails":0,"value":0},"http_req_duration":{"avg":0,"min":0,"med":0,"max":0,"p(90)":0,"p(95)":0}}}"#;
    let g = gate_with(budget, &[("k6-summary.json", zero)], &["k6-summary.json".into()]);
    assert_eq!(g.code, 1, "p95 0 ns used to pass: {}{}", g.stdout, g.stderr);
    assert!(g.stdout.contains("k6 reports a failed run: no iteration ran"), "{}", g.stdout);
    // The other metric within budget used to pass the "*" budget, the null one dropped.
    let null = r#"{"metrics":{"http_req_duration":{"type":"trend","contains":"time","values":null},"iteration_duration":{"type":"trend","contains":"time","values":{"avg":5,"med":4,"max":9,"min":1,"p(95)":8}}}}"#;
    let g = gate_with(budget, &[("k6-summary.json", null)], &["k6-summary.json".into()]);
    assert_eq!(g.code, 2, "{}{}", g.stdout, g.stderr);
    assert!(g.stdout.contains("`metrics.http_req_duration.values`: invalid type: null"), "{}", g.stdout);
}

/// k6 exits 99 when a threshold its script declares is crossed: the summary says so (`true` in a
/// `--summary-export`, `ok: false` in handleSummary's data), and the gate used to approve such a
/// run whenever its budgets held.
#[test]
fn a_crossed_k6_threshold_blocks_whatever_the_budgets_say() {
    let within = "[performance]\nbudgets = [{ name = \"http_req_duration\", stat = \"mean\", max = \"100ms\" }]\n";
    for report in [
        "perf/k6/summary.json",
        "perf/k6/thresholds/crossed/summary.json",
        "perf/k6/thresholds/crossed/handle-summary.json",
    ] {
        let g = gate(within, &[p(report)]);
        assert_eq!(g.code, 1, "{report}: the mean is within budget, but k6 failed the run: {}{}", g.stdout, g.stderr);
        assert!(g.stdout.contains("http_req_duration mean 16"), "{report}: {}", g.stdout);
        assert!(
            g.stdout.contains("k6 reports a failed run: http_req_duration: p(95)<25 crossed"),
            "{report}: {}",
            g.stdout
        );
        let j = gate(within, &[p(report), "--format".into(), "json".into()]);
        let v: serde_json::Value = serde_json::from_str(&j.stdout).unwrap();
        assert_eq!(crate::support::failed_codes(&v), ["performance-run-failed"], "{report}");
    }
    for report in ["perf/k6/thresholds/held/summary.json", "perf/k6/thresholds/held/handle-summary.json"] {
        let g = gate(within, &[p(report)]);
        assert_eq!(g.code, 0, "{report}: every threshold held (k6 exited 0): {}{}", g.stdout, g.stderr);
    }
    // A threshold of the wrong type cannot be judged.
    let wrong = r#"{"root_group":{},"metrics":{"iterations":{"count":3,"rate":1},"http_req_duration":{"avg":5,"min":1,"med":4,"max":9,"p(95)":8,"thresholds":{"p(95)<25":"crossed"}}}}"#;
    let g = gate_with(within, &[("k6-summary.json", wrong)], &["k6-summary.json".into()]);
    assert_eq!(g.code, 2, "{}{}", g.stdout, g.stderr);
    assert!(
        g.stdout.contains("k6-summary.json:1:") && g.stdout.contains("`metrics.http_req_duration.thresholds.p(95)<25`"),
        "{}",
        g.stdout
    );
}

/// A hyperfine result for `command` of `ms` milliseconds (three runs at that time).
fn hyperfine_result(command: &str, ms: f64) -> String {
    let s = ms / 1000.0;
    format!(
        r#"{{"command":"{command}","mean":{s},"stddev":0.0,"median":{s},"user":0.0,"system":0.0,"min":{s},"max":{s},"times":[{s},{s},{s}],"exit_codes":[0,0,0]}}"#
    )
}

fn hyperfine(results: &[(&str, f64)]) -> String {
    let results: Vec<String> = results.iter().map(|(c, ms)| hyperfine_result(c, *ms)).collect();
    format!(r#"{{"results":[{}]}}"#, results.join(","))
}

/// A report holding one benchmark name twice: every one is judged, and none is compared with a
/// baseline by the luck of the order.
#[test]
fn benchmarks_named_twice_are_each_judged_and_never_paired_by_chance() {
    // hyperfine times a command given twice twice: the second copy over budget blocks.
    let budget = "[performance]\nbudgets = [{ name = \"sleep 0.1\", stat = \"mean\", max = \"20ms\" }]\n";
    let twice = hyperfine(&[("sleep 0.1", 10.0), ("sleep 0.1", 95.0)]);
    let g = gate_with(budget, &[("hyperfine.json", &twice)], &["hyperfine.json".into()]);
    assert_eq!(g.code, 1, "{}{}", g.stdout, g.stderr);
    assert!(g.stdout.contains("sleep 0.1 mean 95 ms > 20 ms"), "{}", g.stdout);
    // Its second copy went from 10 ms to 95 ms; each copy compared with the baseline's first
    // (90 ms) passed.
    let limit = "[performance]\nbaseline = \"base-h.json\"\nmax_regression = 10\n";
    let base = hyperfine(&[("sleep 0.1", 90.0), ("sleep 0.1", 10.0)]);
    let now = hyperfine(&[("sleep 0.1", 90.0), ("sleep 0.1", 95.0)]);
    let g = gate_with(limit, &[("base-h.json", &base), ("hyperfine.json", &now)], &["hyperfine.json".into()]);
    assert_eq!(g.code, 1, "used to be approved: {}{}", g.stdout, g.stderr);
    assert!(
        g.stdout.contains(
            "2 benchmark(s) of this run and 2 of the baseline (base-h.json) are named sleep 0.1: which to compare \
             with which cannot be told"
        ),
        "{}",
        g.stdout
    );

    // pytest-benchmark: `test_parse` of two modules, told apart by their fullnames. The one of
    // tests/a went from 1 µs to 50 µs; compared with the baseline's first `test_parse` (that of
    // tests/b, 100 µs) it passed.
    let pytest = |first: (&str, f64), second: (&str, f64)| {
        let bench = |(module, us): (&str, f64)| {
            format!(
                r#"{{"name":"test_parse","fullname":"tests/{module}/test_x.py::test_parse","stats":{{"min":{s},"max":{s},"mean":{s},"median":{s},"stddev":0.0,"rounds":5}}}}"#,
                s = us / 1e6
            )
        };
        format!(r#"{{"machine_info":{{}},"benchmarks":[{},{}],"version":"5.1.0"}}"#, bench(first), bench(second))
    };
    let limit = "[performance]\nbaseline = \"base.json\"\nmax_regression = 10\n";
    let base = pytest(("b", 100.0), ("a", 1.0));
    let now = pytest(("a", 50.0), ("b", 100.0));
    let g = gate_with(limit, &[("base.json", &base), ("benchmark.json", &now)], &["benchmark.json".into()]);
    assert_eq!(g.code, 1, "used to be approved: {}{}", g.stdout, g.stderr);
    assert!(
        g.stdout
            .contains("test_parse (tests/a/test_x.py::test_parse) mean 50 µs vs 1 µs in the baseline: +4900 % > 10 %"),
        "{}",
        g.stdout
    );
    let same = pytest(("a", 50.0), ("a", 1.0));
    let g = gate_with(limit, &[("base.json", &base), ("benchmark.json", &same)], &["benchmark.json".into()]);
    assert_eq!(g.code, 2, "one fullname twice cannot be judged: {}{}", g.stdout, g.stderr);
    assert!(
        g.stdout.contains("`benchmarks[1]` (\"tests/a/test_x.py::test_parse\"): `benchmarks[0]` bears"),
        "{}",
        g.stdout
    );

    // go test -bench ./...: a Parse in two packages used to be one benchmark, its mean (45 µs) over
    // both within a budget the one of example.com/b (90.5 µs) is not.
    let go = "goos: linux\npkg: example.com/a\nBenchmarkParse-8 \t 1000\t 100 ns/op\nBenchmarkParse-8 \t 1000\t 120 ns/op\n\
              PASS\nok  \texample.com/a\t1.0s\npkg: example.com/b\nBenchmarkParse-8 \t 10\t 90000 ns/op\n\
              BenchmarkParse-8 \t 10\t 91000 ns/op\nPASS\nok  \texample.com/b\t1.0s\n";
    let budget = "[performance]\nbudgets = [{ name = \"Parse\", stat = \"mean\", max = \"50us\" }]\n";
    let g = gate_with(budget, &[("bench.txt", go)], &["bench.txt".into()]);
    assert_eq!(g.code, 1, "used to be approved: {}{}", g.stdout, g.stderr);
    assert!(g.stdout.contains("Parse (example.com/a) mean 110 ns ≤ 50 µs"), "{}", g.stdout);
    assert!(g.stdout.contains("Parse (example.com/b) mean 90.5 µs > 50 µs"), "{}", g.stdout);

    // k6 names each metric once: one named twice cannot be judged.
    let k6 = r#"{"root_group":{},"metrics":{"http_req_duration":{"avg":5,"min":1,"med":4,"max":9,"p(95)":8},"http_req_duration":{"avg":50,"min":10,"med":40,"max":90,"p(95)":80}}}"#;
    let g = gate_with(budget, &[("k6-summary.json", k6)], &["k6-summary.json".into()]);
    assert_eq!(g.code, 2, "{}{}", g.stdout, g.stderr);
    assert!(g.stdout.contains("`metrics` names \"http_req_duration\" twice"), "{}", g.stdout);
}

#[test]
fn hostile_benchmark_reports_exit_2_with_a_place() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes, expect) in [
        ("b.txt", &b"goos: linux\nBenchmarkX-2 10 1e999 ns/op\n"[..], "b.txt:2"),
        ("h.json", &b"{\"results\":[{\"command\":\"x\",\"times\":[0.1,\n-4],\"stddev\":1}]}"[..], "h.json:2:"),
        ("k.json", &b"{\"root_group\":{},\"metrics\":{\"http_req_duration\":{\"avg\":\"x\""[..], "k.json:1:"),
        (
            "n.json",
            &br#"{"root_group":{},"metrics":{"http_req_duration":{"avg":-1,"min":-1,"med":-1,"max":-1,"p(95)":-1}}}"#[..],
            "n.json:1:96: `metrics.http_req_duration`: -1 is out of range",
        ),
    ] {
        let f = dir.path().join(name);
        std::fs::write(&f, bytes).unwrap();
        let r = temis(&["report", &f.display().to_string()]);
        assert_eq!(r.code, 2, "{name}: {}", r.stdout);
        assert!(r.stderr.contains(expect), "{name}: {}", r.stderr);
    }
}

/// Budgets and a regression bound hold benchmarks to a figure: with no benchmark report they
/// measured nothing, and were a SKIP ("not required") that approved. `required = false` still
/// says a run without benchmarks is fine.
#[test]
fn budgets_without_a_benchmark_report_cannot_be_judged() {
    let budget = "budgets = [{ name = \"verify_token\", stat = \"p95\", max = \"10ms\" }]\n";
    for policy in
        [format!("[performance]\n{budget}"), "[performance]\nbaseline = \"base.json\"\nmax_regression = 10\n".into()]
    {
        let g = gate(&policy, &[]);
        assert_eq!(g.code, 2, "{policy}: {}{}", g.stdout, g.stderr);
        assert!(g.stdout.contains("no benchmark report"), "{}", g.stdout);
    }
    let g = gate(&format!("[performance]\nrequired = false\n{budget}"), &[]);
    assert_eq!(g.code, 0, "{}{}", g.stdout, g.stderr);
}

/// The baseline where runs are written (`bench.json`) was found as this run's report and
/// compared with itself: +0.0 %, within budget, approved.
#[test]
fn the_baseline_is_never_read_as_the_run() {
    let bench = std::fs::read_to_string(fixture("perf/hyperfine/hyperfine.json")).unwrap();
    let policy = "[performance]\nbaseline = \"bench.json\"\nmax_regression = 10\n\
                  budgets = [{ name = \"sleep 0.005\", stat = \"mean\", max = \"200ms\" }]\n";
    let g = gate_with(policy, &[("bench.json", &bench)], &[]);
    assert_eq!(g.code, 2, "{}{}", g.stdout, g.stderr);
    assert!(g.stdout.contains("bench.json is the performance baseline"), "{}", g.stdout);
    let g =
        gate_with(policy, &[("bench.json", &bench), ("run/hyperfine.json", &bench)], &["run/hyperfine.json".into()]);
    assert_eq!(g.code, 0, "a run of its own is compared: {}{}", g.stdout, g.stderr);
}

/// A time of 0 measured nothing: hyperfine writes 0 for a command quicker than its shell's
/// start-up (real hyperfine 1.15 on `:`), and go leaves `ns/op` out of a result whose time is 0
/// (real go 1.19). The first passed every budget ("p95 0 ns ≤ 1 ms"); the second was dropped,
/// and a budget on every benchmark approved the others.
#[test]
fn a_time_of_zero_or_none_passes_no_budget() {
    let g = gate(
        "[performance]\nbudgets = [{ name = \":\", stat = \"p95\", max = \"1ms\" }]\n",
        &[p("perf/hyperfine/all-zero.json")],
    );
    assert_eq!(g.code, 1, "{}", g.stdout);
    assert!(g.stdout.contains("every statistic hyperfine-json gives for : is 0"), "{}", g.stdout);
    let (_, list) = benchmarks("perf/gobench/no-ns-op.txt");
    let names: Vec<&str> = list.iter().map(|b| b["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Stopped", "ZeroMetric", "Custom", "Log"]);
    let g = gate("[performance]\nbudgets = [{ name = \"*\", max = \"1ms\" }]\n", &[p("perf/gobench/no-ns-op.txt")]);
    assert_eq!(g.code, 1, "{}", g.stdout);
    assert!(g.stdout.contains("gives no mean for ZeroMetric (it has no statistic at all)"), "{}", g.stdout);
}
