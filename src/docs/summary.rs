//! `complete.md`: the feature's summary once every phase is recorded — each phase's verdict,
//! tests and coverage, the totals, security and accessibility status, Mermaid charts of the
//! figures across phases (GitHub renders them), the plan's deployment notes, and sign-off lines.
//! Written from the phase records alone, so it can be regenerated at any time, byte for byte.
//! The same metrics are drawn as SVG too (`complete.svg` beside it, [`chart`]), for the places
//! where Mermaid does not render.

use std::fmt::Write;

use crate::gate::verdict::trim_number;
use crate::plan::front::{self, Value};
use crate::plan::locate::PlanFiles;
use crate::plan::state::Recorded;
use crate::plan::{Phase, Plan};

pub const SCHEMA: &str = "temis.summary/v1";

/// The summary's chart, beside it: `complete.md` → `complete.svg`.
pub fn chart_path(summary: &str) -> String {
    match summary.strip_suffix(".md") {
        Some(stem) => format!("{stem}.svg"),
        None => format!("{summary}.svg"),
    }
}

/// The percentages recorded in each phase — line, branch and patch coverage, the accessibility
/// score — as an SVG bar chart, with the minimum line coverage each phase was held to; `None`
/// when no phase recorded any of them.
pub fn chart(s: &SummaryInput<'_>) -> Option<String> {
    let figure = |d: &Done<'_>, key: &str| d.record.figure(key).and_then(|v| v.parse::<f64>().ok());
    let all = [
        ("line coverage", "#4c78a8", "line_coverage"),
        ("branch coverage", "#72b7b2", "branch_coverage"),
        ("patch coverage", "#54a24b", "patch_coverage"),
        ("accessibility score", "#f58518", "a11y_score"),
    ];
    let series: Vec<crate::render::svg::Series<'_>> = all
        .iter()
        .map(|(name, colour, key)| crate::render::svg::Series {
            name,
            colour,
            values: s
                .phases
                .iter()
                .map(|d| match *key {
                    "line_coverage" => d.record.line_coverage,
                    "branch_coverage" => d.record.branch_coverage,
                    k => figure(d, k),
                })
                .collect(),
        })
        .filter(|x| x.values.iter().any(Option::is_some))
        .collect();
    if series.is_empty() {
        return None;
    }
    let title = s.plan.title.clone().unwrap_or_else(|| s.files.feature.clone());
    let minimum: Option<Vec<f64>> = s.phases.iter().map(|d| d.record.line_threshold).collect();
    Some(crate::render::svg::chart(&crate::render::svg::Chart {
        title: &format!("{title}: metrics by phase (%)"),
        labels: s.phases.iter().map(|d| format!("Phase {}", d.phase.number)).collect(),
        series,
        minimum,
    }))
}

/// One recorded phase.
pub struct Done<'a> {
    pub phase: &'a Phase,
    pub record: &'a Recorded,
    /// The record's path, repository-relative.
    pub path: String,
}

pub struct SummaryInput<'a> {
    pub plan: &'a Plan,
    pub files: &'a PlanFiles,
    pub phases: Vec<Done<'a>>,
    /// Only when the user asked for one.
    pub date: Option<&'a str>,
}

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// Every figure whose name starts with one of `prefixes`, over all phases: (phase, name, value).
fn family<'a>(s: &'a SummaryInput<'_>, prefixes: &[&str]) -> Vec<(u32, &'a str, &'a str)> {
    s.phases
        .iter()
        .flat_map(|d| {
            d.record
                .figures
                .iter()
                .filter(|(k, _)| prefixes.iter().any(|p| k.starts_with(p)))
                .map(move |(k, v)| (d.phase.number, k.as_str(), v.as_str()))
        })
        .collect()
}

pub fn render(s: &SummaryInput<'_>) -> String {
    let title = s.plan.title.clone().unwrap_or_else(|| s.files.feature.clone());
    let n = s.phases.len();
    let all_approved = s.phases.iter().all(|d| d.record.approves());
    let coverages: Vec<f64> = s.phases.iter().filter_map(|d| d.record.line_coverage).collect();
    let average = mean(&coverages);
    // The last phase that measured each: a phase recorded by hand measured nothing, and the
    // figures of the phase before it are the feature's last ones.
    let final_cov = s.phases.iter().rev().find_map(|d| Some((d.phase.number, d.record.line_coverage?)));
    let final_tests = s.phases.iter().rev().find_map(|d| Some((d.phase.number, d.record.tests_total?)));
    let last_number = s.phases.last().map(|d| d.phase.number);
    let failed: u64 = s.phases.iter().filter_map(|d| d.record.tests_failed).sum();
    let by_hand: Vec<String> =
        s.phases.iter().filter(|d| d.record.by_hand).map(|d| d.phase.number.to_string()).collect();

    let mut e: Vec<(String, Value)> = vec![
        ("schema".into(), Value::Scalar(SCHEMA.into())),
        ("feature".into(), Value::Scalar(s.files.feature.clone())),
        ("plan".into(), Value::Scalar(s.files.plan.clone())),
        ("phases".into(), Value::Scalar(n.to_string())),
        // APPROVED only for what temis gated: phases recorded by hand approve the feature in
        // part (their verdicts are their writers'), or not at all when every one is by hand.
        (
            "verdict".into(),
            Value::Scalar(
                match (all_approved, by_hand.len()) {
                    (false, _) => "BLOCKED",
                    (true, 0) => "APPROVED",
                    (true, h) if h == n => "NOT_GATED",
                    (true, _) => "PARTLY_GATED",
                }
                .into(),
            ),
        ),
    ];
    if !by_hand.is_empty() {
        // Phases whose records someone wrote: their verdicts are theirs, temis measured nothing.
        e.push(("phases_by_hand".into(), Value::Scalar(by_hand.join(", "))));
    }
    if let Some(d) = s.date {
        e.push(("date".into(), Value::Scalar(d.into())));
    }
    let mut figs = Vec::new();
    if let Some((_, t)) = final_tests {
        figs.push(("tests_final".to_string(), t.to_string()));
    }
    figs.push(("tests_failed".to_string(), failed.to_string()));
    if let Some(a) = average {
        figs.push(("line_coverage_average".to_string(), trim_number(a)));
    }
    if let Some((_, f)) = final_cov {
        figs.push(("line_coverage_final".to_string(), trim_number(f)));
    }
    e.push(("figures".into(), Value::Map(figs)));
    let mut out = front::render(&e);

    let _ = writeln!(out, "\n# Plan Complete: {title}\n");
    let icon = match (all_approved, by_hand.is_empty()) {
        (false, _) => "❌",
        (true, true) => "✅",
        (true, false) => "⚠️",
    };
    let recorded = match by_hand.len() {
        0 => "recorded by temis".to_string(),
        h if h == n => "recorded by hand (temis gated none of them)".to_string(),
        h => format!(
            "recorded, {} by temis and {h} by hand (phase{} {}: temis measured nothing there)",
            n - h,
            if h == 1 { "" } else { "s" },
            by_hand.join(", ")
        ),
    };
    let _ = writeln!(
        out,
        "{icon} **{n} of {n} phases** of [{title}]({}) {recorded}{}.\n",
        s.files.relative(&s.files.plan),
        if all_approved { ", every one approved" } else { "; not every one approved" }
    );

    let _ = writeln!(out, "**Phases Completed:** {n} of {n}\n");
    let _ = writeln!(
        out,
        "| Phase | Owner | Verdict | Tests | Line coverage | Branch coverage | Patch coverage | Record |\n| --- | --- | --- | ---: | ---: | ---: | ---: | --- |"
    );
    for d in &s.phases {
        let r = d.record;
        // CONCERNS and WAIVED complete a phase, with something said against it.
        let mark = match r.verdict.as_str() {
            _ if !r.approves() => "❌",
            "APPROVED" | "PASS" => "✅",
            _ => "⚠️",
        };
        let _ = writeln!(
            out,
            "| {}. {} | {} | {mark} {}{} | {} | {} | {} | {} | [{}]({}) |",
            d.phase.number,
            d.phase.title,
            d.phase.owner.as_deref().unwrap_or("—"),
            r.verdict,
            if r.by_hand { " (by hand)" } else { "" },
            r.tests_total.map(|t| t.to_string()).unwrap_or_else(|| "—".into()),
            r.line_coverage.map(|c| format!("{} %", trim_number(c))).unwrap_or_else(|| "—".into()),
            r.branch_coverage.map(|c| format!("{} %", trim_number(c))).unwrap_or_else(|| "—".into()),
            r.figures
                .iter()
                .find(|(k, _)| k == "patch_coverage")
                .map(|(_, v)| format!("{v} %"))
                .unwrap_or_else(|| "—".into()),
            d.path.rsplit('/').next().unwrap_or(&d.path),
            s.files.relative(&d.path)
        );
    }

    let _ = writeln!(out, "\n## Metrics\n");
    let which = |phase: u32| {
        if Some(phase) == last_number {
            "the final phase's run".to_string()
        } else {
            format!("phase {phase}'s run, the last gated")
        }
    };
    match final_tests {
        Some((phase, t)) => {
            let _ = writeln!(
                out,
                "- **Tests:** {t} in {}; {}",
                which(phase),
                if failed == 0 {
                    "all passing in every phase".to_string()
                } else {
                    format!("{failed} failures recorded across phases")
                }
            );
        }
        None => {
            let _ = writeln!(out, "- **Tests:** no test report was gated");
        }
    }
    match (average, final_cov) {
        (Some(a), Some((phase, f))) => {
            let at = if Some(phase) == last_number {
                "at the end".to_string()
            } else {
                format!("in phase {phase}, the last gated")
            };
            let over = if coverages.len() == n {
                "the phases".to_string()
            } else {
                format!("the {} phases measured", coverages.len())
            };
            let _ = writeln!(
                out,
                "- **Line coverage:** {} % average over {over}, {} % {at}",
                trim_number(a),
                trim_number(f)
            );
        }
        _ => {
            let _ = writeln!(out, "- **Line coverage:** not measured");
        }
    }
    for (prefixes, heading) in super::FAMILY_SECTIONS {
        let found = family(s, prefixes);
        if found.is_empty() {
            let _ = writeln!(out, "- **{heading}:** not gated (no {} report in any phase)", heading.to_lowercase());
        } else {
            let shown: Vec<String> =
                found.iter().map(|(p, k, v)| format!("phase {p} {} {v}", k.replace('_', " "))).collect();
            let _ = writeln!(out, "- **{heading}:** {}", shown.join("; "));
        }
    }
    out.push('\n');

    // Each chart has the phases that measured its figure: a phase nothing measured is no bar of
    // 0 (a figure no tool printed).
    let labels = |phases: &[&Done<'_>]| -> String {
        phases.iter().map(|d| format!("\"Phase {}\"", d.phase.number)).collect::<Vec<_>>().join(", ")
    };
    let measured: Vec<&Done<'_>> = s.phases.iter().filter(|d| d.record.line_coverage.is_some()).collect();
    if !measured.is_empty() {
        let _ = writeln!(out, "```mermaid\nxychart-beta\n    title \"Line coverage by phase (%)\"");
        let _ = writeln!(out, "    x-axis [{}]\n    y-axis \"Line coverage (%)\" 0 --> 100", labels(&measured));
        let values: Vec<String> = measured.iter().filter_map(|d| d.record.line_coverage.map(trim_number)).collect();
        let _ = writeln!(out, "    bar [{}]", values.join(", "));
        let minimums: Vec<Option<f64>> = measured.iter().map(|d| d.record.line_threshold).collect();
        let every_minimum = minimums.iter().all(Option::is_some);
        if every_minimum {
            let shown: Vec<String> = minimums.into_iter().flatten().map(trim_number).collect();
            let _ = writeln!(out, "    line [{}]", shown.join(", "));
        }
        let _ = writeln!(out, "```\n");
        if every_minimum {
            let _ = writeln!(out, "Bars: line coverage of each phase; line: the minimum it was held to.\n");
        }
    }
    let tested: Vec<&Done<'_>> = s.phases.iter().filter(|d| d.record.tests_total.is_some()).collect();
    if !tested.is_empty() {
        let max = tested.iter().filter_map(|d| d.record.tests_total).max().unwrap_or(0).max(1);
        let _ = writeln!(out, "```mermaid\nxychart-beta\n    title \"Tests by phase\"");
        let _ = writeln!(out, "    x-axis [{}]\n    y-axis \"Tests\" 0 --> {}", labels(&tested), round_up(max));
        let tests: Vec<String> = tested.iter().filter_map(|d| d.record.tests_total.map(|t| t.to_string())).collect();
        let _ = writeln!(out, "    bar [{}]\n```\n", tests.join(", "));
    }
    if chart(s).is_some() {
        let svg = chart_path(&s.files.summary());
        let _ = writeln!(
            out,
            "The same figures as a picture, where Mermaid does not render: [{}]({}).\n",
            svg.rsplit('/').next().unwrap_or(&svg),
            s.files.relative(&svg)
        );
    }

    if let Some(notes) = &s.plan.deployment {
        let _ = writeln!(out, "## Deployment\n\nFrom the plan:\n\n{notes}\n");
    }

    let _ = writeln!(out, "## Sign-off\n");
    let mut owners: Vec<&str> = Vec::new();
    for d in &s.phases {
        if let Some(o) = d.phase.owner.as_deref()
            && !owners.contains(&o)
        {
            owners.push(o);
        }
    }
    for o in owners {
        let phases: Vec<String> = s
            .phases
            .iter()
            .filter(|d| d.phase.owner.as_deref() == Some(o))
            .map(|d| d.phase.number.to_string())
            .collect();
        let _ = writeln!(
            out,
            "- [ ] {o} (phase{} {}) — signed: ________ date: ________",
            if phases.len() == 1 { "" } else { "s" },
            phases.join(", ")
        );
    }
    let _ = writeln!(out, "- [ ] Reviewer — signed: ________ date: ________");
    let _ = writeln!(out, "- [ ] Ready for production — signed: ________ date: ________");
    out
}

/// 4 → 5, 13 → 15, 41 → 50: a round axis maximum.
fn round_up(n: u64) -> u64 {
    let step = if n <= 10 {
        5
    } else if n <= 100 {
        10
    } else {
        10u64.pow((n as f64).log10().floor() as u32)
    };
    n.div_ceil(step) * step
}
