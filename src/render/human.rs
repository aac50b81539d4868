//! Tables a person reads at a glance.

use std::fmt::Write;

use super::ReadReport;
use crate::model::a11y::A11yReport;
use crate::model::bench::BenchReport;
use crate::model::{Counts, Coverage, Rounding, SecurityReport, TestRun, show_ranges};
use crate::output::Paint;
use crate::parsers::Content;

/// One row per report: format, files, lines, branches, functions; then one per test report.
pub fn summary_table(reports: &[ReadReport], paint: Paint) -> String {
    let coverage: Vec<(&ReadReport, &Coverage)> = reports
        .iter()
        .filter_map(|r| match &r.content {
            Content::Coverage(c) => Some((r, c)),
            _ => None,
        })
        .collect();
    let tests: Vec<(&ReadReport, &TestRun)> = reports
        .iter()
        .filter_map(|r| match &r.content {
            Content::Tests(t) => Some((r, t)),
            _ => None,
        })
        .collect();
    let mut out = String::new();
    if !coverage.is_empty() {
        out.push_str(&coverage_table(&coverage, paint));
    }
    if !tests.is_empty() {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&tests_table(&tests, paint));
    }
    let a11y: Vec<(&ReadReport, &A11yReport)> = reports
        .iter()
        .filter_map(|r| match &r.content {
            Content::A11y(a) => Some((r, a)),
            _ => None,
        })
        .collect();
    if !a11y.is_empty() {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&a11y_table(&a11y, paint));
    }
    let bench: Vec<(&ReadReport, &BenchReport)> = reports
        .iter()
        .filter_map(|r| match &r.content {
            Content::Bench(b) => Some((r, b)),
            _ => None,
        })
        .collect();
    if !bench.is_empty() {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&bench_table(&bench, paint));
    }
    let security: Vec<(&ReadReport, &SecurityReport)> = reports
        .iter()
        .filter_map(|r| match &r.content {
            Content::Security(s) => Some((r, s)),
            _ => None,
        })
        .collect();
    if !security.is_empty() {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&security_table(&security, paint));
    }
    out
}

fn bench_table(reports: &[(&ReadReport, &BenchReport)], paint: Paint) -> String {
    let headers = ["BENCHMARK", "FORMAT", "MEAN", "MEDIAN", "P95", "P99", "MIN", "MAX", "SAMPLES"];
    let show = |v: Option<f64>| v.map_or("-".to_string(), crate::model::bench::show_duration);
    let rows: Vec<[String; 9]> = reports
        .iter()
        .flat_map(|(r, b)| {
            b.benchmarks.iter().map(move |x| {
                [
                    x.label(),
                    r.format.name().to_string(),
                    show(x.mean),
                    show(x.median),
                    show(x.p95),
                    show(x.p99),
                    show(x.min),
                    show(x.max),
                    x.samples.map_or("-".to_string(), |n| n.to_string()),
                ]
            })
        })
        .collect();
    let mut out = table(&headers, &rows, paint);
    for (r, b) in reports {
        for failure in &b.failures {
            let _ = writeln!(out, "{} {}: {failure}", paint.red("failed:"), r.path);
        }
        for note in &b.notes {
            let _ = writeln!(out, "{} {}: {note}", paint.dim("note:"), r.path);
        }
    }
    out
}

fn a11y_table(reports: &[(&ReadReport, &A11yReport)], paint: Paint) -> String {
    let headers = ["REPORT", "FORMAT", "PAGES", "SCORE", "VIOLATIONS", "BY IMPACT / TYPE", "WCAG FAILED"];
    let rows: Vec<[String; 7]> = reports
        .iter()
        .map(|(r, a)| {
            let split = match (a.by_impact(), a.by_type()) {
                (_, Some(t)) => format!("{} error, {} warning, {} notice", t.error, t.warning, t.notice),
                (Some(i), None) => {
                    format!(
                        "{} critical, {} serious, {} moderate, {} minor",
                        i.critical, i.serious, i.moderate, i.minor
                    )
                }
                (None, None) => "-".to_string(),
            };
            let levels: Vec<&str> = a.levels_failed().into_iter().map(|l| l.name()).collect();
            [
                r.path.clone(),
                r.format.name().to_string(),
                a.pages.len().to_string(),
                a.score().map_or("-".to_string(), |s| format!("{}/100", crate::gate::verdict::trim_number(s))),
                format!("{} ({} elements)", a.total(), a.nodes()),
                split,
                if levels.is_empty() { "-".to_string() } else { levels.join(", ") },
            ]
        })
        .collect();
    let mut out = table(&headers, &rows, paint);
    for (r, a) in reports {
        for p in a.errors() {
            let _ =
                writeln!(out, "{} {}: {}: {}", paint.red("error:"), r.path, p.url, p.error.as_deref().unwrap_or(""));
        }
        let rules = a.failing_rules();
        if !rules.is_empty() {
            let _ = writeln!(out, "{} {}: {}", paint.dim("failing rules:"), r.path, rules.join(", "));
        }
        for note in &a.notes {
            let _ = writeln!(out, "{} {}: {note}", paint.dim("note:"), r.path);
        }
    }
    out
}

fn security_table(reports: &[(&ReadReport, &SecurityReport)], paint: Paint) -> String {
    let headers =
        ["REPORT", "FORMAT", "FINDINGS", "CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO", "UNKNOWN", "SUPPRESSED", "RULES"];
    let rows: Vec<[String; 11]> = reports
        .iter()
        .map(|(r, s)| {
            let sum = s.summary();
            let b = sum.by_severity;
            [
                r.path.clone(),
                r.format.name().to_string(),
                sum.total.to_string(),
                b.critical.to_string(),
                b.high.to_string(),
                b.medium.to_string(),
                b.low.to_string(),
                b.info.to_string(),
                b.unknown.to_string(),
                sum.suppressed.to_string(),
                sum.rules.to_string(),
            ]
        })
        .collect();
    let mut out = table(&headers, &rows, paint);
    for (r, s) in reports {
        for why in &s.incomplete {
            let _ = writeln!(out, "{} {}: {why}", paint.red("incomplete:"), r.path);
        }
        for e in s.errors.iter().take(5) {
            let _ = writeln!(out, "{} {}: {e}", paint.yellow("tool error:"), r.path);
        }
        if s.errors.len() > 5 {
            let _ = writeln!(out, "{} {}: … and {} more", paint.yellow("tool error:"), r.path, s.errors.len() - 5);
        }
        for note in &s.notes {
            let _ = writeln!(out, "{} {}: {note}", paint.dim("note:"), r.path);
        }
    }
    out
}

fn tests_table(reports: &[(&ReadReport, &TestRun)], paint: Paint) -> String {
    let headers = ["REPORT", "FORMAT", "TESTS", "PASSED", "FAILED", "ERRORS", "SKIPPED", "OTHER", "FLAKY"];
    let rows: Vec<[String; 9]> = reports
        .iter()
        .map(|(r, t)| {
            let t = t.totals;
            [
                r.path.clone(),
                r.format.name().to_string(),
                t.total.to_string(),
                t.passed.to_string(),
                t.failed.to_string(),
                t.errors.to_string(),
                t.skipped.to_string(),
                t.other.to_string(),
                t.flaky.to_string(),
            ]
        })
        .collect();
    let mut out = table(&headers, &rows, paint);
    for (r, t) in reports {
        for case in t.failing().take(20) {
            let msg = case.message.as_deref().map(|m| format!(": {m}")).unwrap_or_default();
            let how = match case.outcome {
                crate::model::Outcome::Incomplete => format!(" ({})", case.status.as_deref().unwrap_or("incomplete")),
                crate::model::Outcome::Error => " (error)".to_string(),
                _ => String::new(),
            };
            let _ = writeln!(out, "{} {}: {}{how}{msg}", paint.red("failed:"), r.path, case.full_name());
        }
        for case in t.outside.iter().take(20) {
            let msg = case.message.as_deref().map(|m| format!(": {m}")).unwrap_or_default();
            let _ = writeln!(out, "{} {}: {}{msg}", paint.red("error outside tests:"), r.path, case.full_name());
        }
        if !t.other_kinds.is_empty() {
            let kinds: Vec<String> = t.other_kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
            let _ = writeln!(out, "{} {}: other = {}", paint.dim("note:"), r.path, kinds.join(", "));
        }
        for note in &t.notes {
            let _ = writeln!(out, "{} {}: {note}", paint.dim("note:"), r.path);
        }
    }
    out
}

fn coverage_table(reports: &[(&ReadReport, &Coverage)], paint: Paint) -> String {
    let headers = ["REPORT", "FORMAT", "FILES", "LINES", "BRANCHES", "FUNCTIONS"];
    let rows: Vec<[String; 6]> = reports
        .iter()
        .map(|(r, c)| {
            [
                r.path.clone(),
                r.format.name().to_string(),
                c.files.len().to_string(),
                match c.coveragepy_total() {
                    Some(total) => format!("{}; with branches {total:.2}%", stat_in(Some(c.lines), c.rounding, c.unit)),
                    None => stat_in(Some(c.lines), c.rounding, c.unit),
                },
                stat(c.branches, c.rounding),
                stat(c.functions, c.rounding),
            ]
        })
        .collect();
    let mut out = table(&headers, &rows, paint);
    for (r, c) in reports {
        for note in &c.notes {
            let _ = writeln!(out, "{} {}: {note}", paint.dim("note:"), r.path);
        }
        if c.lines.total == 0 {
            let _ = writeln!(
                out,
                "{} {}: nothing coverable in this report (no lines, statements or branches to measure)",
                paint.yellow("note:"),
                r.path
            );
        }
    }
    out
}

/// Per-file rows with the uncovered line ranges, worst first within each report.
pub fn file_table(report: &ReadReport, paint: Paint) -> String {
    let Content::Coverage(c) = &report.content else { return String::new() };
    let mut files: Vec<_> = c.files.iter().collect();
    files.sort_by(|a, b| {
        let pa = a.lines.percent().unwrap_or(100.0);
        let pb = b.lines.percent().unwrap_or(100.0);
        pa.total_cmp(&pb).then_with(|| a.path.cmp(&b.path))
    });
    let rows: Vec<[String; 4]> = files
        .iter()
        .map(|f| {
            let missing = match &f.line_bits {
                Some(bits) => show_ranges(&bits.uncovered_ranges()),
                None => "(no per-line data)".to_string(),
            };
            [f.path.clone(), stat(Some(f.lines), c.rounding), stat(f.branches, c.rounding), missing]
        })
        .collect();
    let mut out = format!("{}\n", paint.bold(&format!("{} ({})", report.path, report.format.name())));
    out.push_str(&table(&["FILE", "LINES", "BRANCHES", "UNCOVERED LINES"], &rows, paint));
    out
}

/// [`stat`], naming the unit when it is not lines (`92.60% (1824/1951 statements)`).
fn stat_in(c: Option<Counts>, r: Rounding, unit: crate::model::Unit) -> String {
    let shown = stat(c, r);
    match (unit, shown.strip_suffix(')')) {
        (crate::model::Unit::Statements, Some(open)) => format!("{open} statements)"),
        _ => shown,
    }
}

fn stat(c: Option<Counts>, r: Rounding) -> String {
    match c {
        None => "-".to_string(),
        Some(c) => match r.percent(c) {
            Some(p) => format!("{p:.2}% ({}/{})", c.covered, c.total),
            None => "n/a (0/0)".to_string(),
        },
    }
}

fn table<const N: usize>(headers: &[&str; N], rows: &[[String; N]], paint: Paint) -> String {
    let mut widths = headers.map(|h| h.chars().count());
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[String; N]| {
        let mut s = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            if i + 1 == N {
                s.push_str(cell);
            } else {
                let pad = w - cell.chars().count();
                s.push_str(cell);
                s.push_str(&" ".repeat(pad + 2));
            }
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = paint.bold(line(&headers.map(str::to_string)).trim_end()) + "\n";
    for row in rows {
        out.push_str(&line(row));
    }
    out
}
