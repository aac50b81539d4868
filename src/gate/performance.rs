//! Performance checks: budgets on a statistic of the benchmarks a glob names
//! (`verify_token p95 8.2 ms ≤ 10 ms`), and regressions against a baseline report of the base
//! ("no more than 10 % slower").

use std::collections::{HashMap, HashSet};

use super::codes;
use super::verdict::{Check, Evidence, Figures, Measure, Outcome, ReportRef, trim_number};
use crate::model::bench::{BenchReport, Benchmark, Stat, show_duration};
use crate::policy::{Budget, PerformancePolicy};

pub(super) fn checks(
    p: &PerformancePolicy,
    reports: &[(ReportRef, BenchReport)],
    baseline: Option<&(String, BenchReport)>,
    searched: &[String],
    out: &mut Vec<Check>,
    figures: &mut Figures,
) {
    let configured = !p.budgets.is_empty() || p.max_regression.is_some();
    if !p.enabled {
        if !reports.is_empty() {
            out.push(Check::new(
                codes::PERFORMANCE_BUDGET,
                "Performance",
                Outcome::Skipped,
                "performance checks are off ([performance] enabled = false)",
            ));
        }
        return;
    }
    if reports.is_empty() {
        if p.requires_report() {
            out.push(
                Check::new(
                    codes::PERFORMANCE_MISSING,
                    "Benchmark report",
                    Outcome::Fail,
                    "no benchmark report was found",
                )
                .hint(format!(
                    "looked for {}; run the benchmarks (hyperfine --export-json, cargo bench, pytest --benchmark-json, \
                     go test -bench > bench.txt, k6 run --summary-export), name the report on the command line, or \
                     set [reports] performance in temis.toml ([performance] required = false turns this off)",
                    super::coverage::searched_list(searched)
                )),
            );
        } else if configured {
            out.push(Check::new(
                codes::PERFORMANCE_BUDGET,
                "Performance",
                Outcome::Skipped,
                "no benchmark report (not required)",
            ));
        }
        return;
    }
    for (r, b) in reports.iter().filter(|(_, b)| !b.failures.is_empty()) {
        out.push(run_failed(r, b));
    }
    // A report with no benchmark, or none with a statistic (pytest-benchmark's `"benchmarks": []`,
    // a hyperfine result of nulls), measured nothing: the budgets would find nothing to judge
    // and, without budgets, nothing would be said at all.
    for (r, b) in
        reports.iter().filter(|(_, b)| b.failures.is_empty() && b.benchmarks.iter().all(|x| x.stats().next().is_none()))
    {
        let what = if b.benchmarks.is_empty() {
            "holds no benchmark".to_string()
        } else {
            format!("holds {} benchmark(s) and not one statistic", b.benchmarks.len())
        };
        out.push(
            Check::new(
                codes::PERFORMANCE_MISSING,
                "Benchmark report",
                Outcome::Fail,
                format!("{} {what}: it measured nothing", r.path),
            )
            .subjects(vec![r.path.clone()])
            .hint("run the benchmarks again and keep the report they write; a run whose benchmarks all failed or were skipped writes none"),
        );
    }
    let all: Vec<(&ReportRef, &Benchmark)> =
        reports.iter().flat_map(|(r, b)| b.benchmarks.iter().map(move |x| (r, x))).collect();
    figures.benchmarks = Some(all.len() as u64);
    for budget in &p.budgets {
        let exact = all.iter().any(|(_, b)| b.name == budget.name);
        let matched: Vec<&(&ReportRef, &Benchmark)> =
            all.iter().filter(|(_, b)| budget.names(&b.name, exact)).collect();
        if matched.is_empty() {
            let names: Vec<&str> = all.iter().take(8).map(|(_, b)| b.name.as_str()).collect();
            out.push(
                Check::new(
                    codes::PERFORMANCE_UNMATCHED,
                    format!("Budget of {}", budget.name),
                    Outcome::Fail,
                    format!("no benchmark in the reports is named {}", budget.name),
                )
                .hint(format!("the reports hold: {}", names.join(", "))),
            );
            continue;
        }
        if budget.max.is_none() {
            continue;
        }
        for (r, b) in matched {
            out.push(budget_check(budget, r, b));
        }
    }
    if let Some((path, base)) = baseline {
        regressions(p, &all, path, base, out);
    }
    if !configured {
        // Read and held to nothing: a row says so (the run's own failure still blocks, above).
        out.push(
            Check::new(
                codes::PERFORMANCE_BUDGET,
                "Performance",
                Outcome::Skipped,
                format!(
                    "{} benchmark(s) read, not judged: [performance] sets no budget and no max_regression",
                    all.len()
                ),
            )
            .hint("add [[performance.budgets]] (name, stat, max) or max_regression with a baseline"),
        );
    }
}

/// A report whose producer says the run failed: whatever its timings say, they measure the
/// failure or nothing, so it blocks.
fn run_failed(r: &ReportRef, b: &BenchReport) -> Check {
    Check::new(
        codes::PERFORMANCE_RUN_FAILED,
        "Benchmark run",
        Outcome::Fail,
        format!("{} reports a failed run: {}", b.tool, b.failures.join("; ")),
    )
    .hint("make the run succeed, then benchmark again")
    .evidence(b.failures.iter().map(|f| Evidence { path: Some(r.path.clone()), line: None, text: f.clone() }).collect())
}

/// Code files changed after a benchmark report was written: the benchmarks timed
/// other code (a skipped or filtered run leaves the last one's report in place).
pub(super) fn stale(policy: crate::policy::Stale, stale: Option<&super::NewerFiles>, out: &mut Vec<Check>) {
    let what = super::tests::Stale {
        code: codes::PERFORMANCE_STALE,
        title: "Benchmark report age",
        files: "code file(s)",
        of: "code",
        hint: "run the benchmarks again on this code (a skipped or filtered run leaves the last report in place)",
    };
    out.extend(what.check(policy, stale));
}

fn budget_check(budget: &Budget, r: &ReportRef, b: &Benchmark) -> Check {
    let max = budget.max.unwrap_or(f64::INFINITY);
    let stat = budget.stat;
    let name = b.label();
    let title = format!("{} of {name}", stat.name());
    let limit = show_duration(max);
    let threshold = Measure { value: max / 1e6, unit: "ms" };
    let Some(v) = b.get(stat) else {
        return unmeasured(title, stat, r, b).threshold(threshold);
    };
    if b.measured_nothing() {
        return zero_times(title, r, b).threshold(threshold);
    }
    let measured = Measure { value: v / 1e6, unit: "ms" };
    let samples = b.samples.map(|n| format!(", {n} samples")).unwrap_or_default();
    let (within, under, over_sign) = if budget.strict { (v < max, "<", "≥") } else { (v <= max, "≤", ">") };
    let over_by =
        |over: f64| if over > 0.0 { format!("{} % over", trim_number(over)) } else { "at its limit".to_string() };
    if within {
        return Check::new(
            codes::PERFORMANCE_BUDGET,
            title,
            Outcome::Pass,
            format!("{name} {} {} {under} {limit}", stat.name(), show_duration(v)),
        )
        .measured(measured)
        .threshold(threshold);
    }
    let over = (v / max - 1.0) * 100.0;
    let others: Vec<String> =
        b.stats().filter(|(s, _)| *s != stat).map(|(s, x)| format!("{} {}", s.name(), show_duration(x))).collect();
    Check::new(
        codes::PERFORMANCE_BUDGET,
        title,
        Outcome::Fail,
        format!("{name} {} {} {over_sign} {limit} ({})", stat.name(), show_duration(v), over_by(over)),
    )
    .measured(measured)
    .threshold(threshold)
    .hint("make it faster, or revisit the budget with the numbers shown")
    .evidence(vec![Evidence {
        path: Some(r.path.clone()),
        line: None,
        text: format!("{name}: {}{samples}", others.join(", ")),
    }])
}

/// A benchmark of report `r` whose every statistic is 0 ([`Benchmark::measured_nothing`]): a
/// budget or a regression judged on it measured nothing.
fn zero_times(title: String, r: &ReportRef, b: &Benchmark) -> Check {
    Check::new(
        codes::PERFORMANCE_STAT_MISSING,
        title,
        Outcome::Fail,
        format!("every statistic {} gives for {} is 0: a time of 0 measured nothing", r.format, b.label()),
    )
    .hint(
        "hyperfine takes its shell's start-up off each run and writes 0 for a quicker command: benchmark more \
         work, or run it without a shell (hyperfine -N); a k6 trend of a sub-metric no request matched is 0: \
         check the threshold's tags",
    )
}

/// A benchmark of report `r` without the statistic `stat` a check names: not measured, so it
/// fails, saying what the report has and how to make its producer give `stat`.
fn unmeasured(title: String, stat: Stat, r: &ReportRef, b: &Benchmark) -> Check {
    let has: Vec<&str> = b.stats().map(|(s, _)| s.name()).collect();
    let (has, hint) = if has.is_empty() {
        (
            "it has no statistic at all".to_string(),
            "the report measured nothing for it: check that the benchmark ran and succeeded, then benchmark again"
                .to_string(),
        )
    } else {
        (format!("it has {}", has.join(", ")), how_to_get(r.format, stat))
    };
    Check::new(
        codes::PERFORMANCE_STAT_MISSING,
        title,
        Outcome::Fail,
        format!("{} gives no {} for {} ({has})", r.format, stat.name(), b.label()),
    )
    .hint(hint)
}

/// How to make a report of `format` give `stat`, for a check that found none.
fn how_to_get(format: &str, stat: Stat) -> String {
    let percentile = matches!(stat, Stat::P90 | Stat::P95 | Stat::P99);
    match format {
        "criterion-json" => "criterion's estimates give mean and median only: judge one of those".into(),
        "k6-json" => format!(
            "k6 writes the statistics of `summaryTrendStats`: add {} to it (k6 run --summary-trend-stats \
             \"avg,min,med,max,p(90),p(95),p(99)\")",
            crate::parsers::k6::trend_stat(stat)
        ),
        "pytest-benchmark-json" if percentile => "percentiles come from each round's time (`stats.data`): \
            --benchmark-json writes them, a --benchmark-save report only with --benchmark-save-data"
            .into(),
        "hyperfine-json" if percentile => {
            "percentiles come from each run's time (`times`): export again with a hyperfine that lists them".into()
        }
        _ => format!("benchmark again so the report gives {}, or budget a statistic it gives", stat.name()),
    }
}

/// One comparison with the baseline.
struct Delta<'a> {
    name: String,
    stat: Stat,
    now: f64,
    /// Above 0: a change from 0 has no percentage.
    base: f64,
    limit: f64,
    report: &'a str,
}

impl Delta<'_> {
    fn percent(&self) -> f64 {
        (self.now / self.base - 1.0) * 100.0
    }
}

/// What pairs a benchmark of the run with one of the baseline: its name and its variant.
type Key<'a> = (&'a str, Option<&'a str>);

fn key(b: &Benchmark) -> Key<'_> {
    (&b.name, b.variant.as_deref())
}

/// The check for benchmark `b`, which `here` benchmarks of the run (`all`) and `there` of the
/// baseline bear the name (and variant) of: which to compare with which cannot be told, so none
/// is compared. Budgets judge each of them.
fn named_alike(b: &Benchmark, all: &[(&ReportRef, &Benchmark)], here: usize, there: usize, path: &str) -> Check {
    let name = b.label();
    let mut reports: Vec<&str> = all.iter().filter(|(_, x)| key(x) == key(b)).map(|(r, _)| r.path.as_str()).collect();
    reports.dedup();
    Check::new(
        codes::PERFORMANCE_NOT_COMPARED,
        format!("Regression of {name}"),
        Outcome::Fail,
        format!(
            "{here} benchmark(s) of this run and {there} of the baseline ({path}) are named {name}: which to compare \
             with which cannot be told, so none of them was compared"
        ),
    )
    .hint(
        "give each benchmark its own name (hyperfine -n, a test or metric of its own), or judge them with a budget, \
         which judges each",
    )
    .evidence(
        reports
            .into_iter()
            .map(|r| Evidence { path: Some(r.to_string()), line: None, text: format!("{name}, in this run") })
            .collect(),
    )
}

/// The regression limit (percent) and statistic that apply to benchmark `name`: those of the
/// first budget with a `max_regression` named as it is, else of the first whose glob names it,
/// else the section's.
fn regression_rule(p: &PerformancePolicy, name: &str) -> Option<(f64, Stat)> {
    let with_limit = || p.budgets.iter().filter(|x| x.max_regression.is_some());
    match with_limit().find(|x| x.names(name, true)).or_else(|| with_limit().find(|x| x.names(name, false))) {
        Some(x) => x.max_regression.map(|limit| (limit, x.stat)),
        None => p.max_regression.map(|limit| (limit, p.regression_stat)),
    }
}

/// Compares each benchmark a regression limit applies to with the baseline at `path`. Only a
/// comparison made is a pass: a benchmark of the baseline missing from the run, a statistic
/// missing on either side, a baseline figure of 0 and a run that compared nothing fail.
fn regressions(
    p: &PerformancePolicy,
    all: &[(&ReportRef, &Benchmark)],
    path: &str,
    base: &BenchReport,
    out: &mut Vec<Check>,
) {
    if p.max_regression.is_none() && p.budgets.iter().all(|b| b.max_regression.is_none()) {
        return;
    }
    let before = out.len();
    if !base.failures.is_empty() {
        out.push(
            Check::new(
                codes::PERFORMANCE_NOT_COMPARED,
                "Regressions",
                Outcome::Fail,
                format!("the baseline ({path}) comes from a failed run: {}", base.failures.join("; ")),
            )
            .hint(format!("record the baseline ({path}) again from a run that succeeded")),
        );
    }
    let mut in_run: HashMap<Key<'_>, usize> = HashMap::new();
    for (_, b) in all {
        *in_run.entry(key(b)).or_default() += 1;
    }
    let mut in_base: HashMap<Key<'_>, Vec<&Benchmark>> = HashMap::new();
    for b in &base.benchmarks {
        in_base.entry(key(b)).or_default().push(b);
    }
    let mut told = HashSet::new();
    let mut deltas = Vec::new();
    let mut new = Vec::new();
    for (r, b) in all {
        let Some((limit, stat)) = regression_rule(p, &b.name) else { continue };
        let (here, there) = (in_run[&key(b)], in_base.get(&key(b)).map_or(&[][..], Vec::as_slice));
        let old = match there {
            [] => {
                new.push(b.label());
                continue;
            }
            [old] if here == 1 => old,
            _ => {
                if told.insert(key(b)) {
                    out.push(named_alike(b, all, here, there.len(), path));
                }
                continue;
            }
        };
        let title = format!("Regression of {}", b.label());
        // No time in the run nor in the baseline (a Go benchmark that reports only metrics of
        // its own, `b.ReportMetric(0, "ns/op")`): there is no time to compare, and none to fail.
        if b.stats().next().is_none() && old.stats().next().is_none() {
            continue;
        }
        let Some(now) = b.get(stat) else {
            out.push(unmeasured(title, stat, r, b));
            continue;
        };
        // Every statistic 0: no measurement, not "100 % faster".
        if b.measured_nothing() {
            out.push(zero_times(title, r, b));
            continue;
        }
        let Some(then) = old.get(stat) else {
            out.push(
                Check::new(
                    codes::PERFORMANCE_STAT_MISSING,
                    title,
                    Outcome::Fail,
                    format!("the baseline ({path}) gives no {} for {}", stat.name(), b.label()),
                )
                .hint(format!(
                    "record the baseline again from a run that gives {}, or set regression_stat to a statistic \
                     both give",
                    stat.name()
                )),
            );
            continue;
        };
        if then <= 0.0 {
            out.push(
                Check::new(
                    codes::PERFORMANCE_NOT_COMPARED,
                    title,
                    Outcome::Fail,
                    format!(
                        "{} {} is {} in the baseline ({path}): a change from 0 has no percentage, so {} cannot \
                         be compared",
                        b.label(),
                        stat.name(),
                        show_duration(then),
                        show_duration(now)
                    ),
                )
                .hint(
                    "record the baseline again from a run that measures the work (Go prints 0 ns/op when the \
                     compiler removed it), or judge the benchmark with a budget",
                ),
            );
            continue;
        }
        deltas.push(Delta { name: b.label(), stat, now, base: then, limit, report: &r.path });
    }
    let mut missing = HashSet::new();
    let gone: Vec<String> = base
        .benchmarks
        .iter()
        .filter(|x| regression_rule(p, &x.name).is_some() && !in_run.contains_key(&key(x)) && missing.insert(key(x)))
        .map(Benchmark::label)
        .collect();
    if !gone.is_empty() {
        let renamed = if new.is_empty() { String::new() } else { format!("; new in this run: {}", new.join(", ")) };
        out.push(
            Check::new(
                codes::PERFORMANCE_NOT_COMPARED,
                "Regressions",
                Outcome::Fail,
                format!(
                    "{} benchmark(s) of the baseline ({path}) are not in this run: {}{renamed}",
                    gone.len(),
                    gone.join(", ")
                ),
            )
            .hint(format!(
                "run them; if they were renamed or removed on purpose, record the baseline ({path}) again from this \
                 run and say why"
            )),
        );
    }
    let mut worst: Option<&Delta<'_>> = None;
    for d in &deltas {
        let pct = d.percent();
        if pct > d.limit + 1e-9 {
            out.push(
                Check::new(
                    codes::PERFORMANCE_REGRESSION,
                    format!("Regression of {}", d.name),
                    Outcome::Fail,
                    format!(
                        "{} {} {} vs {} in the baseline: +{} % > {} %",
                        d.name,
                        d.stat.name(),
                        show_duration(d.now),
                        show_duration(d.base),
                        trim_number(pct),
                        trim_number(d.limit)
                    ),
                )
                .measured(Measure::percent(pct))
                .threshold(Measure::percent(d.limit))
                .hint(format!("find what made it slower; if intended, refresh the baseline ({path}) and say why"))
                .evidence(vec![Evidence {
                    path: Some(d.report.to_string()),
                    line: None,
                    text: format!(
                        "{}: now {}, baseline {} ({path})",
                        d.name,
                        show_duration(d.now),
                        show_duration(d.base)
                    ),
                }]),
            );
        } else if worst.is_none_or(|w| pct > w.percent()) {
            worst = Some(d);
        }
    }
    let regressed = deltas.iter().filter(|d| d.percent() > d.limit + 1e-9).count();
    if deltas.len() > regressed {
        let mut msg =
            format!("{} benchmark(s) within their regression limit of the baseline", deltas.len() - regressed);
        if let Some(w) = worst {
            msg.push_str(&format!(" (slowest change: {} {:+.1} %)", w.name, w.percent()));
        }
        if !new.is_empty() && gone.is_empty() {
            msg.push_str(&format!("; not in the baseline: {}", new.join(", ")));
        }
        out.push(Check::new(codes::PERFORMANCE_REGRESSION, "Regressions", Outcome::Pass, msg));
    } else if deltas.is_empty() && out.len() == before {
        let held: Vec<&str> = base.benchmarks.iter().take(8).map(|b| b.name.as_str()).collect();
        out.push(
            Check::new(
                codes::PERFORMANCE_NOT_COMPARED,
                "Regressions",
                Outcome::Fail,
                format!("no benchmark of this run was compared with the baseline ({path})"),
            )
            .hint(format!(
                "the baseline holds: {}; this run: {}. Record the baseline from a run of the same benchmarks",
                if held.is_empty() { "no benchmark".to_string() } else { held.join(", ") },
                if new.is_empty() { "none with a regression limit".to_string() } else { new.join(", ") }
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Policy;

    fn report(benches: &[(&str, Stat, f64)]) -> (ReportRef, BenchReport) {
        let mut r = BenchReport { tool: "k6".into(), ..BenchReport::default() };
        for (name, stat, ms) in benches {
            let b = match r.benchmarks.iter_mut().find(|b| b.name == *name) {
                Some(b) => b,
                None => {
                    r.benchmarks.push(Benchmark::new(*name));
                    r.benchmarks.last_mut().unwrap()
                }
            };
            b.set(*stat, ms * 1e6);
        }
        (ReportRef { path: "k6.json".into(), format: "k6-json", kind: "performance" }, r)
    }

    fn run(policy: &str, reports: &[(ReportRef, BenchReport)], base: Option<BenchReport>) -> Vec<Check> {
        let p = Policy::parse("t.toml", policy).unwrap_or_else(|e| panic!("{e}"));
        let mut out = Vec::new();
        let base = base.map(|b| ("base.json".to_string(), b));
        checks(&p.performance, reports, base.as_ref(), &[], &mut out, &mut Figures::default());
        out
    }

    #[test]
    fn budgets_compare_the_named_statistic_with_units() {
        let r = report(&[("verify_token", Stat::P95, 8.2), ("verify_token", Stat::Mean, 5.0)]);
        let c = run(
            "[performance]\nbudgets = [{ name = \"verify_token\", stat = \"p95\", max = \"10ms\" }]\n",
            std::slice::from_ref(&r),
            None,
        );
        assert_eq!((c[0].outcome, c[0].message.as_str()), (Outcome::Pass, "verify_token p95 8.2 ms ≤ 10 ms"));
        let c = run(
            "[performance]\nbudgets = [{ name = \"verify_*\", stat = \"p95\", max_ms = 5 }]\n",
            std::slice::from_ref(&r),
            None,
        );
        assert_eq!(c[0].outcome, Outcome::Fail);
        assert_eq!(c[0].message, "verify_token p95 8.2 ms > 5 ms (64 % over)");
        let c = run(
            "[performance]\nbudgets = [{ name = \"verify_token\", stat = \"p99\", max = \"1s\" }]\n",
            std::slice::from_ref(&r),
            None,
        );
        assert_eq!((c[0].code, c[0].outcome), (codes::PERFORMANCE_STAT_MISSING, Outcome::Fail), "not measured");
        assert_eq!(c[0].message, "k6-json gives no p99 for verify_token (it has mean, p95)");
        assert!(c[0].hint.as_deref().unwrap().contains("--summary-trend-stats"), "{:?}", c[0].hint);
        let c = run("[performance]\nbudgets = [{ name = \"nope\", max = \"1s\" }]\n", &[r], None);
        assert_eq!((c[0].code, c[0].outcome), (codes::PERFORMANCE_UNMATCHED, Outcome::Fail));
    }

    /// A plan's `Budget: verify_token < 10 ms` passed a benchmark of exactly 10 ms, and said
    /// "≤ 10 ms": `<` keeps the limit out (`<=`, `≤` and the policy's `max` let it in).
    #[test]
    fn a_strict_budget_keeps_its_limit_out() {
        let r = report(&[("verify_token", Stat::Mean, 10.0)]);
        let budget = |text: &str| crate::plan::PlanBudget::parse(text, 1).unwrap();
        let mut p = Policy::parse("t.toml", "[performance]\n").unwrap();
        for (text, outcome, says) in [
            ("verify_token < 10 ms", Outcome::Fail, "verify_token mean 10 ms ≥ 10 ms (at its limit)"),
            ("verify_token <= 10 ms", Outcome::Pass, "verify_token mean 10 ms ≤ 10 ms"),
            ("verify_token < 11 ms", Outcome::Pass, "verify_token mean 10 ms < 11 ms"),
        ] {
            p.performance.budgets = vec![Budget::from_plan(&budget(text)).unwrap()];
            let mut out = Vec::new();
            checks(&p.performance, std::slice::from_ref(&r), None, &[], &mut out, &mut Figures::default());
            assert_eq!((out[0].outcome, out[0].message.as_str()), (outcome, says), "{text}");
        }
    }

    /// pytest-benchmark names a parametrized test `test_parse[small]`: as a glob, `[small]` is a
    /// class of characters, and the budget judged `test_parsel` (1 µs) and never the 500 ms one.
    #[test]
    fn a_budget_named_as_a_benchmark_is_written_judges_that_one() {
        let r = report(&[("test_parse[small]", Stat::Mean, 500.0), ("test_parsel", Stat::Mean, 0.001)]);
        let policy = "[performance]\nbudgets = [{ name = \"test_parse[small]\", max = \"10ms\" }]\n";
        let c = run(policy, std::slice::from_ref(&r), None);
        assert_eq!(
            failed_checks(&c),
            [(codes::PERFORMANCE_BUDGET, "test_parse[small] mean 500 ms > 10 ms (4900 % over)")]
        );
        assert_eq!(c.len(), 1, "{c:?}");
        // A glob that names no benchmark as written is a glob.
        let c = run("[performance]\nbudgets = [{ name = \"test_parse*\", max = \"10ms\" }]\n", &[r], None);
        assert_eq!(c.len(), 2, "{c:?}");
    }

    #[test]
    fn a_benchmark_without_any_statistic_blocks_every_budget_on_it() {
        let mut r = report(&[]);
        r.1.benchmarks.push(Benchmark::new("sleep 0.5"));
        for stat in Stat::ALL {
            let policy =
                format!("[performance]\nbudgets = [{{ name = \"*\", stat = \"{}\", max = \"1s\" }}]\n", stat.name());
            let c = run(&policy, std::slice::from_ref(&r), None);
            assert_eq!(
                failed_checks(&c)[0],
                (codes::PERFORMANCE_MISSING, "k6.json holds 1 benchmark(s) and not one statistic: it measured nothing")
            );
            assert_eq!((c[1].code, c[1].outcome), (codes::PERFORMANCE_STAT_MISSING, Outcome::Fail), "{stat:?}");
            assert!(c[1].message.ends_with("(it has no statistic at all)"), "{}", c[1].message);
        }
        // Without budgets, as much: a report that measured nothing is never a pass.
        let c = run("[performance]\nrequired = true\n", &[r, report(&[])], None);
        assert_eq!(failed_checks(&c).len(), 2, "{c:?}");
        assert!(c[1].message.ends_with("holds no benchmark: it measured nothing"), "{c:?}");
    }

    /// A run of all-zero times is no "100 % faster"; a benchmark with no time in the run nor in
    /// the baseline (Go's metrics-only benchmark) has nothing to compare, and is not failed.
    #[test]
    fn a_regression_needs_a_time_on_both_sides() {
        let (_, base) = report(&[("a", Stat::Mean, 10.0)]);
        let mut zero = report(&[]);
        let mut a = Benchmark::new("a");
        for stat in [Stat::Mean, Stat::Median, Stat::Min, Stat::Max] {
            a.set(stat, 0.0);
        }
        zero.1.benchmarks.push(a);
        let c = run("[performance]\nmax_regression = 10\n", &[zero], Some(base));
        assert_eq!(
            failed_checks(&c),
            [(
                codes::PERFORMANCE_STAT_MISSING,
                "every statistic k6-json gives for a is 0: a time of 0 measured nothing"
            )]
        );
        let (mut now, mut base) = (report(&[("b", Stat::Mean, 1.0)]), report(&[("b", Stat::Mean, 1.0)]).1);
        now.1.benchmarks.push(Benchmark::new("metrics_only"));
        base.benchmarks.push(Benchmark::new("metrics_only"));
        let c = run("[performance]\nmax_regression = 10\n", &[now], Some(base));
        assert!(failed_checks(&c).is_empty(), "{c:?}");
    }

    #[test]
    fn regressions_against_the_baseline() {
        let now = report(&[("a", Stat::Mean, 11.5), ("b", Stat::Mean, 10.0), ("new", Stat::Mean, 1.0)]);
        let (_, base) = report(&[("a", Stat::Mean, 10.0), ("b", Stat::Mean, 10.0)]);
        let c = run("[performance]\nmax_regression = 10\n", &[now], Some(base));
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].outcome, Outcome::Fail);
        assert_eq!(c[0].message, "a mean 11.5 ms vs 10 ms in the baseline: +15 % > 10 %");
        assert_eq!(c[1].outcome, Outcome::Pass);
        assert!(c[1].message.contains("not in the baseline: new"), "{}", c[1].message);
        // Nothing configured: one row says the benchmarks were read and not judged.
        let c = run("[performance]\n", &[report(&[("a", Stat::Mean, 1.0)])], Some(BenchReport::default()));
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].outcome, Outcome::Skipped);
        assert!(c[0].message.starts_with("1 benchmark(s) read, not judged"), "{}", c[0].message);
    }

    /// The checks that fail, as (code, message).
    fn failed_checks(c: &[Check]) -> Vec<(&str, &str)> {
        c.iter().filter(|c| c.outcome == Outcome::Fail).map(|c| (c.code, c.message.as_str())).collect()
    }

    #[test]
    fn baseline_benchmarks_missing_from_the_run_block() {
        let limit = "[performance]\nmax_regression = 10\n";
        let now = report(&[("VerifyTokenV2", Stat::Mean, 903.0)]);
        let (_, base) = report(&[("VerifyToken", Stat::Mean, 3.2)]);
        let c = run(limit, &[now], Some(base));
        assert_eq!(c.len(), 1, "{c:#?}");
        assert_eq!(
            failed_checks(&c),
            [(
                codes::PERFORMANCE_NOT_COMPARED,
                "1 benchmark(s) of the baseline (base.json) are not in this run: VerifyToken; new in this run: \
                 VerifyTokenV2"
            )]
        );
        let now = report(&[("a", Stat::Mean, 10.0)]);
        let (_, base) = report(&[("a", Stat::Mean, 10.0), ("gone", Stat::Mean, 1.0)]);
        let c = run(limit, &[now], Some(base));
        assert_eq!(failed_checks(&c).len(), 1, "the one compared passes, the one missing fails: {c:#?}");
        assert!(c[0].message.ends_with("not in this run: gone"), "{}", c[0].message);
        // A baseline benchmark no limit applies to is not asked for.
        let now = report(&[("verify", Stat::Mean, 10.0)]);
        let (_, base) = report(&[("verify", Stat::Mean, 10.0), ("parse", Stat::Mean, 1.0)]);
        let c = run("[performance]\nbudgets = [{ name = \"verify\", max_regression = 10 }]\n", &[now], Some(base));
        assert_eq!(failed_checks(&c), []);
    }

    #[test]
    fn a_run_that_compared_nothing_blocks() {
        let c = run(
            "[performance]\nmax_regression = 10\n",
            &[report(&[("a", Stat::Mean, 10.0)])],
            Some(BenchReport::default()),
        );
        assert_eq!(
            failed_checks(&c),
            [(codes::PERFORMANCE_NOT_COMPARED, "no benchmark of this run was compared with the baseline (base.json)")]
        );
    }

    #[test]
    fn a_statistic_missing_on_either_side_blocks() {
        let p95 = "[performance]\nmax_regression = 10\nregression_stat = \"p95\"\n";
        let (_, both) = report(&[("a", Stat::Mean, 10.0), ("a", Stat::P95, 10.0)]);
        let c = run(p95, &[report(&[("a", Stat::Mean, 10.0)])], Some(both));
        assert_eq!(failed_checks(&c), [(codes::PERFORMANCE_STAT_MISSING, "k6-json gives no p95 for a (it has mean)")]);
        let (_, mean) = report(&[("a", Stat::Mean, 10.0)]);
        let c = run(p95, &[report(&[("a", Stat::P95, 10.0)])], Some(mean));
        assert_eq!(
            failed_checks(&c),
            [(codes::PERFORMANCE_STAT_MISSING, "the baseline (base.json) gives no p95 for a")]
        );
    }

    #[test]
    fn a_baseline_of_zero_cannot_be_compared() {
        let (_, zero) = report(&[("VerifyToken", Stat::Mean, 0.0)]);
        let c = run("[performance]\nmax_regression = 10\n", &[report(&[("VerifyToken", Stat::Mean, 5.0)])], Some(zero));
        let f = failed_checks(&c);
        assert_eq!(f.len(), 1, "{c:#?}");
        assert_eq!(f[0].0, codes::PERFORMANCE_NOT_COMPARED);
        assert!(
            f[0].1.contains("is 0 ns in the baseline (base.json): a change from 0 has no percentage"),
            "{}",
            f[0].1
        );
    }

    #[test]
    fn a_failed_run_blocks_whatever_its_timings() {
        let (r, mut failed) = report(&[("VerifyToken", Stat::Mean, 0.003)]);
        failed.failures.push("`--- FAIL: BenchmarkParse-8` (line 5)".into());
        let within = "[performance]\nbudgets = [{ name = \"*\", stat = \"mean\", max = \"10ms\" }]\n";
        let c = run(within, &[(r.clone(), failed.clone())], None);
        assert_eq!(
            failed_checks(&c),
            [(codes::PERFORMANCE_RUN_FAILED, "k6 reports a failed run: `--- FAIL: BenchmarkParse-8` (line 5)")]
        );
        assert_eq!(c[0].evidence[0].path.as_deref(), Some("k6.json"));
        assert_eq!(failed_checks(&run("[performance]\n", &[(r.clone(), failed.clone())], None)).len(), 1, "always");
        // A baseline from a failed run is no reference.
        let c =
            run("[performance]\nmax_regression = 10\n", &[report(&[("VerifyToken", Stat::Mean, 0.003)])], Some(failed));
        assert_eq!(failed_checks(&c)[0].0, codes::PERFORMANCE_NOT_COMPARED);
        assert!(failed_checks(&c)[0].1.starts_with("the baseline (base.json) comes from a failed run"), "{c:#?}");
    }

    /// `benches` (name, variant, mean in ms) as a report, each its own benchmark.
    fn alike(benches: &[(&str, Option<&str>, f64)]) -> (ReportRef, BenchReport) {
        let (r, mut b) = report(&[]);
        for (name, variant, ms) in benches {
            let mut x = Benchmark::new(*name);
            x.variant = variant.map(str::to_string);
            x.mean = Some(ms * 1e6);
            b.benchmarks.push(x);
        }
        (r, b)
    }

    #[test]
    fn a_budget_judges_every_benchmark_of_its_name() {
        let twice = alike(&[("sleep 0.1", None, 5.0), ("sleep 0.1", None, 50.0)]);
        let c = run(
            "[performance]\nbudgets = [{ name = \"sleep 0.1\", stat = \"mean\", max = \"10ms\" }]\n",
            &[twice],
            None,
        );
        assert_eq!(c.len(), 2, "{c:#?}");
        assert_eq!(failed_checks(&c), [(codes::PERFORMANCE_BUDGET, "sleep 0.1 mean 50 ms > 10 ms (400 % over)")]);
        let told = alike(&[("Parse", Some("GOMAXPROCS 1"), 50.0), ("Parse", Some("GOMAXPROCS 8"), 5.0)]);
        let c =
            run("[performance]\nbudgets = [{ name = \"Parse\", stat = \"mean\", max = \"10ms\" }]\n", &[told], None);
        assert_eq!(
            failed_checks(&c),
            [(codes::PERFORMANCE_BUDGET, "Parse (GOMAXPROCS 1) mean 50 ms > 10 ms (400 % over)")]
        );
        assert_eq!(c[0].title, "mean of Parse (GOMAXPROCS 1)");
    }

    /// Two benchmarks of one name on either side: comparing the first found with the baseline
    /// used to pass the second, however much slower it was.
    #[test]
    fn benchmarks_named_alike_are_not_paired_by_chance() {
        let limit = "[performance]\nmax_regression = 10\n";
        let base = || alike(&[("sleep 0.1", None, 10.0)]).1;
        let c = run(limit, &[alike(&[("sleep 0.1", None, 10.0), ("sleep 0.1", None, 90.0)])], Some(base()));
        let f = failed_checks(&c);
        assert_eq!(f.len(), 1, "{c:#?}");
        assert_eq!(
            f[0],
            (
                codes::PERFORMANCE_NOT_COMPARED,
                "2 benchmark(s) of this run and 1 of the baseline (base.json) are named sleep 0.1: which to compare \
                 with which cannot be told, so none of them was compared"
            )
        );
        // The baseline's second copy was never looked at.
        let (_, twice) = alike(&[("sleep 0.1", None, 90.0), ("sleep 0.1", None, 10.0)]);
        let c = run(limit, &[alike(&[("sleep 0.1", None, 85.0)])], Some(twice));
        assert_eq!(failed_checks(&c)[0].0, codes::PERFORMANCE_NOT_COMPARED, "{c:#?}");
        assert!(failed_checks(&c)[0].1.starts_with("1 benchmark(s) of this run and 2 of the baseline"), "{c:#?}");
        // Across reports too.
        let c = run(limit, &[alike(&[("sleep 0.1", None, 10.0)]), alike(&[("sleep 0.1", None, 90.0)])], Some(base()));
        assert_eq!(failed_checks(&c).len(), 1, "{c:#?}");
        assert_eq!(c[0].evidence.len(), 1, "both in k6.json: {c:#?}");
        // Told apart by their variants, each is compared with its own.
        let told = |slow: f64| alike(&[("Parse", Some("GOMAXPROCS 1"), 10.0), ("Parse", Some("GOMAXPROCS 8"), slow)]);
        let c = run(limit, &[told(30.0)], Some(told(10.0).1));
        assert_eq!(
            failed_checks(&c),
            [(
                codes::PERFORMANCE_REGRESSION,
                "Parse (GOMAXPROCS 8) mean 30 ms vs 10 ms in the baseline: +200 % > 10 %"
            )]
        );
        let c = run(limit, &[told(10.0)], Some(told(10.0).1));
        assert_eq!(failed_checks(&c), [], "{c:#?}");
        assert!(c[0].message.starts_with("2 benchmark(s) within"), "{c:#?}");
        // A baseline that did not tell them apart is no pair for a run that does; its copies
        // missing from the run are named once.
        let c = run(limit, &[told(10.0)], Some(alike(&[("Parse", None, 10.0), ("Parse", None, 10.0)]).1));
        assert_eq!(
            failed_checks(&c),
            [(
                codes::PERFORMANCE_NOT_COMPARED,
                "1 benchmark(s) of the baseline (base.json) are not in this run: Parse; new in this run: Parse \
                 (GOMAXPROCS 1), Parse (GOMAXPROCS 8)"
            )]
        );
    }

    #[test]
    fn missing_reports() {
        assert!(run("[performance]\n", &[], None).is_empty());
        let c = run("[performance]\nrequired = true\n", &[], None);
        assert_eq!((c[0].code, c[0].outcome), (codes::PERFORMANCE_MISSING, Outcome::Fail));
    }
}
