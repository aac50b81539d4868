//! Writing a phase record from facts — the plan's phase, the gate's verdict, git's list of
//! changed files. Pure and deterministic: the same inputs give the same bytes; no clock is read.

use std::fmt::Write;

use super::{MESSAGE_HEADING, SCHEMA};
use crate::docs::figures;
use crate::gate::verdict::trim_number;
use crate::gate::{Check, Outcome, Status, Verdict};
use crate::model::Coverage;
use crate::model::{ChangeKind, FileChange};
use crate::plan::front::{self, Value};
use crate::plan::locate::PlanFiles;
use crate::plan::{Phase, Plan};
use crate::render::verdict::markdown::escape;

/// Everything a record is written from.
pub struct RecordInput<'a> {
    pub plan: &'a Plan,
    pub files: &'a PlanFiles,
    pub phase: &'a Phase,
    /// The gate's verdict on the phase (its policy path relative to the repository).
    pub verdict: &'a Verdict,
    /// The files the phase changed, the plan's own documents and the gated reports left out.
    pub changes: &'a [FileChange],
    /// The coverage reports as one project, for the per-file table.
    pub coverage: Option<&'a Coverage>,
    /// The commit the phase started from.
    pub base: Option<&'a str>,
    /// A date to stamp the record with, only when the user asked for one.
    pub date: Option<&'a str>,
    /// The date waivers were judged on, when a waiver used has an expiry date.
    pub waivers_judged_on: Option<&'a str>,
    /// The commit message for the phase.
    pub message: &'a str,
}

/// BMAD's gate word for a verdict: PASS, CONCERNS (warnings), WAIVED (a failure waived), FAIL.
pub fn gate_word(v: &Verdict) -> &'static str {
    match v.status {
        Status::Approved if v.count(Outcome::Waived) > 0 => "WAIVED",
        Status::Approved if v.count(Outcome::Warn) > 0 => "CONCERNS",
        Status::Approved => "PASS",
        _ => "FAIL",
    }
}

/// Conductor's QA status.
fn qa_word(v: &Verdict) -> &'static str {
    match gate_word(v) {
        "PASS" => "PASS",
        "FAIL" => "FAIL",
        _ => "ADVISORY",
    }
}

fn front_matter(i: &RecordInput<'_>) -> String {
    let s = |v: &str| Value::Scalar(v.to_string());
    let v = i.verdict;
    let mut e: Vec<(String, Value)> = vec![
        ("schema".into(), s(SCHEMA)),
        ("feature".into(), s(&i.files.feature)),
        ("plan".into(), s(&i.files.plan)),
        ("phase".into(), s(&i.phase.number.to_string())),
        ("phases".into(), s(&i.plan.phases.len().to_string())),
        ("title".into(), s(&i.phase.title)),
    ];
    if let Some(o) = &i.phase.owner {
        e.push(("owner".into(), s(o)));
    }
    e.push(("verdict".into(), s(v.status.label())));
    e.push(("gate".into(), s(gate_word(v))));
    e.push(("policy".into(), s(&v.policy)));
    if let Some(b) = i.base {
        e.push(("base".into(), s(b)));
    }
    if let Some(d) = i.date {
        e.push(("date".into(), s(d)));
    }
    e.push(("figures".into(), Value::Map(figures::of(v))));
    let mut thresholds: Vec<(String, String)> = Vec::new();
    for c in &v.checks {
        if let Some(t) = c.threshold
            && !thresholds.iter().any(|(k, _)| k == c.code)
        {
            thresholds.push((c.code.to_string(), trim_number(t.value)));
        }
    }
    thresholds.sort();
    if !thresholds.is_empty() {
        e.push(("thresholds".into(), Value::Map(thresholds)));
    }
    let checks = [
        ("failed", Outcome::Fail),
        ("waived", Outcome::Waived),
        ("warnings", Outcome::Warn),
        ("passed", Outcome::Pass),
        ("skipped", Outcome::Skipped),
    ];
    e.push((
        "checks".into(),
        Value::Map(checks.iter().map(|(k, o)| (k.to_string(), v.count(*o).to_string())).collect()),
    ));
    let t = Totals::of(i.changes);
    e.push((
        "changes".into(),
        Value::Map(vec![
            ("created".into(), t.created.to_string()),
            ("modified".into(), t.modified.to_string()),
            ("deleted".into(), t.deleted.to_string()),
            ("renamed".into(), t.renamed.to_string()),
            ("lines_added".into(), t.added.to_string()),
            ("lines_deleted".into(), t.removed.to_string()),
        ]),
    ));
    if !v.reports.is_empty() {
        e.push(("reports".into(), Value::List(v.reports.iter().map(|r| r.path.clone()).collect())));
    }
    front::render(&e)
}

/// Counts of the changed files by kind, and of lines.
#[derive(Default)]
struct Totals {
    created: usize,
    modified: usize,
    deleted: usize,
    renamed: usize,
    added: u64,
    removed: u64,
}

impl Totals {
    fn of(changes: &[FileChange]) -> Self {
        let mut t = Totals::default();
        for c in changes {
            match c.kind {
                ChangeKind::Created => t.created += 1,
                ChangeKind::Modified => t.modified += 1,
                ChangeKind::Deleted => t.deleted += 1,
                ChangeKind::Renamed { .. } => t.renamed += 1,
            }
            t.added += c.added;
            t.removed += c.deleted;
        }
        t
    }
}

/// The record, front matter first.
pub fn render(i: &RecordInput<'_>) -> String {
    let v = i.verdict;
    let p = i.phase;
    let mut out = front_matter(i);
    let _ = writeln!(out, "\n# Phase {} Complete: {}\n", p.number, p.title);
    let plan_name = i.plan.title.clone().unwrap_or_else(|| i.files.feature.clone());
    let owner = p.owner.as_deref().map(|o| format!(" · owner **{o}**")).unwrap_or_default();
    let icon = if v.status == Status::Approved { "✅" } else { "❌" };
    let _ = writeln!(
        out,
        "Phase {} of {} of [{}]({}){owner} · {icon} **{}** by temis against {}.\n",
        p.number,
        i.plan.phases.len(),
        plan_name,
        i.files.relative(&i.files.plan),
        v.status.label(),
        if v.policy.starts_with("embedded") { format!("the {}", v.policy) } else { format!("`{}`", v.policy) }
    );
    if let Some(o) = &p.objective {
        let _ = writeln!(out, "**Objective:** {o}\n");
    }
    let _ = writeln!(out, "**Review Status:** {}  ", v.status.label());
    let _ = writeln!(out, "**QA Status:** {}\n", qa_word(v));

    implemented(&mut out, p);
    files_changed(&mut out, i.changes, i.base);
    tests(&mut out, v, p);
    coverage(&mut out, v, i.coverage);
    for (family, heading) in crate::docs::FAMILY_SECTIONS {
        family_section(&mut out, v, family, heading);
    }
    waivers(&mut out, v, i.waivers_judged_on);
    let _ = writeln!(out, "## Verdict\n");
    let verdict_md = crate::render::verdict::markdown::render(v);
    out.push_str(verdict_md.trim_end());
    out.push_str("\n\n");
    if !v.reports.is_empty() {
        let _ = writeln!(out, "## Reports\n");
        for r in &v.reports {
            let _ = writeln!(out, "- `{}` ({}, {})", r.path, r.format, r.kind);
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{MESSAGE_HEADING}\n\n```text\n{}```", i.message);
    out
}

fn implemented(out: &mut String, p: &Phase) {
    let _ = writeln!(out, "## What was implemented\n");
    if p.tasks.is_empty() {
        let _ = writeln!(out, "The plan lists no tasks for this phase.\n");
        return;
    }
    for t in &p.tasks {
        let mark = match t.done {
            Some(true) => "- [x] ",
            Some(false) => "- [ ] ",
            None => "- ",
        };
        let id = t.id.as_deref().map(|i| format!("{i} ")).unwrap_or_default();
        let _ = writeln!(out, "{mark}{id}{}", t.text);
    }
    let open = p.tasks.iter().filter(|t| t.is_open()).count();
    if open > 0 {
        let _ = writeln!(out, "\n{open} task{} still unchecked in the plan.", if open == 1 { " is" } else { "s are" });
    }
    out.push('\n');
}

fn files_changed(out: &mut String, changes: &[FileChange], base: Option<&str>) {
    let _ = writeln!(out, "## Files created/changed\n");
    let since = base.map(|b| format!(" since `{}`", &b[..b.len().min(12)])).unwrap_or_default();
    if changes.is_empty() {
        let _ = writeln!(out, "No file changed{since}, outside the plan's own documents.\n");
        return;
    }
    let _ = writeln!(out, "| File | Change | Lines |\n| --- | --- | ---: |");
    for c in changes {
        let change = match &c.kind {
            ChangeKind::Renamed { from } => format!("renamed from `{}`", from.replace('`', "'")),
            k => k.label().to_string(),
        };
        let lines = if c.binary {
            "binary".to_string()
        } else {
            match (c.added, c.deleted) {
                (a, 0) => format!("+{a}"),
                (0, d) => format!("−{d}"),
                (a, d) => format!("+{a} −{d}"),
            }
        };
        let _ = writeln!(out, "| `{}` | {change} | {lines} |", c.path.replace('`', "'"));
    }
    let t = Totals::of(changes);
    let _ = writeln!(
        out,
        "\n{} file{}{since}: {} created, {} modified, {} deleted{}; +{} −{} lines.\n",
        changes.len(),
        if changes.len() == 1 { "" } else { "s" },
        t.created,
        t.modified,
        t.deleted,
        if t.renamed > 0 { format!(", {} renamed", t.renamed) } else { String::new() },
        t.added,
        t.removed
    );
}

fn tests(out: &mut String, v: &Verdict, p: &Phase) {
    let _ = writeln!(out, "## Tests\n");
    let f = &v.figures;
    match f.tests_total {
        Some(total) => {
            let passed = f.tests_passed.unwrap_or(0);
            let failed = f.tests_failed.unwrap_or(0);
            let skipped = total.saturating_sub(passed + failed);
            let _ = writeln!(
                out,
                "| Tests | Passed | Failed | Skipped |\n| ---: | ---: | ---: | ---: |\n| {total} | {passed} | {failed} | {skipped} |\n"
            );
        }
        None => {
            let _ = writeln!(out, "No test report was gated.\n");
        }
    }
    let failures: Vec<&Check> = v
        .checks
        .iter()
        .filter(|c| c.family == "tests" && matches!(c.outcome, Outcome::Waived | Outcome::Fail))
        .collect();
    for c in failures {
        let _ = writeln!(out, "{} — {}", c.outcome.label(), escape(&c.message));
        for e in &c.evidence {
            let _ = writeln!(out, "- {}", escape(&e.text));
        }
        out.push('\n');
    }
    if !p.tests.is_empty() {
        let _ = writeln!(out, "Test requirements from the plan:\n");
        for t in &p.tests {
            let _ = writeln!(out, "- {t}");
        }
        out.push('\n');
    }
}

fn coverage(out: &mut String, v: &Verdict, cov: Option<&Coverage>) {
    let _ = writeln!(out, "## Coverage\n");
    let rows: Vec<&Check> = v.checks.iter().filter(|c| c.family == "coverage").collect();
    if v.figures.line_coverage.is_none() && rows.is_empty() {
        let _ = writeln!(out, "No coverage report was gated.\n");
        return;
    }
    let _ = writeln!(out, "| Measure | Value | Required | |\n| --- | ---: | ---: | --- |");
    if let (Some(pct), Some(total), Some(covered)) =
        (v.figures.line_coverage, v.figures.lines_total, v.figures.lines_covered)
    {
        let shown = cov.and_then(|c| c.rounding.percent(c.lines)).unwrap_or(pct);
        let check = rows.iter().find(|c| c.code == crate::gate::codes::COVERAGE_LINE);
        let _ = writeln!(
            out,
            "| Line coverage (project) | {} % ({covered} of {total}) | {} | {} |",
            trim_number(shown),
            check.and_then(|c| c.threshold).map(|t| format!("≥ {}", t.show())).unwrap_or_else(|| "—".into()),
            check.map(|c| mark(c.outcome)).unwrap_or("")
        );
    }
    if let Some(b) = v.figures.branch_coverage {
        let check = rows.iter().find(|c| c.code == crate::gate::codes::COVERAGE_BRANCH);
        let _ = writeln!(
            out,
            "| Branch coverage (project) | {} % | {} | {} |",
            trim_number(b),
            check.and_then(|c| c.threshold).map(|t| format!("≥ {}", t.show())).unwrap_or_else(|| "—".into()),
            check.map(|c| mark(c.outcome)).unwrap_or("")
        );
    }
    let patch = v.checks.iter().find(|c| c.code == crate::gate::codes::PATCH_COVERAGE);
    let required = patch.and_then(|c| c.threshold).map(|t| format!("≥ {}", t.show())).unwrap_or_else(|| "—".into());
    match (v.figures.patch_coverage, v.figures.patch_lines_total, v.figures.patch_lines_covered) {
        (Some(pct), Some(total), Some(covered)) => {
            let _ = writeln!(
                out,
                "| Patch coverage (lines added in the phase) | {} % ({covered} of {total}) | {required} | {} |",
                trim_number(pct),
                patch.map(|c| mark(c.outcome)).unwrap_or("")
            );
        }
        _ => {
            let why = if v.figures.patch_lines_total == Some(0) { "no coverable line added" } else { "not measured" };
            let _ = writeln!(out, "| Patch coverage (lines added in the phase) | {why} | {required} | |");
        }
    }
    for c in rows.iter().filter(|c| {
        c.code != crate::gate::codes::COVERAGE_LINE
            && c.code != crate::gate::codes::COVERAGE_BRANCH
            && c.code != crate::gate::codes::PATCH_COVERAGE
            && c.measured.is_some()
    }) {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            escape(&c.title),
            c.measured.map(|m| m.show()).unwrap_or_default(),
            c.threshold.map(|t| t.show()).unwrap_or_default(),
            mark(c.outcome)
        );
    }
    out.push('\n');
    if let Some(cov) = cov {
        let mut files: Vec<_> = cov.files.iter().filter(|f| f.lines.missed() > 0).collect();
        if files.is_empty() && !cov.files.is_empty() {
            let _ = writeln!(out, "Every file in the coverage reports is fully covered ({} files).\n", cov.files.len());
        }
        files.sort_by(|a, b| {
            let pa = a.lines.covered as u128 * b.lines.total as u128;
            let pb = b.lines.covered as u128 * a.lines.total as u128;
            pa.cmp(&pb).then_with(|| b.lines.missed().cmp(&a.lines.missed())).then_with(|| a.path.cmp(&b.path))
        });
        if !files.is_empty() {
            let _ = writeln!(out, "Files with the lowest line coverage:\n");
            let _ = writeln!(out, "| File | Line coverage | Lines | Uncovered |\n| --- | ---: | ---: | --- |");
            for f in files.iter().take(5) {
                let pct = cov.rounding.percent(f.lines).map(trim_number).unwrap_or_default();
                let uncovered =
                    f.line_bits.as_ref().map(|b| crate::model::show_ranges(&b.uncovered_ranges())).unwrap_or_default();
                let uncovered = if uncovered.is_empty() { "—".to_string() } else { uncovered };
                let _ = writeln!(
                    out,
                    "| `{}` | {pct} % | {}/{} | {uncovered} |",
                    f.path.replace('`', "'"),
                    f.lines.covered,
                    f.lines.total
                );
            }
            out.push('\n');
        }
    }
}

fn mark(o: Outcome) -> &'static str {
    match o {
        Outcome::Fail => "❌",
        Outcome::Waived => "🟡 waived",
        Outcome::Warn => "⚠️",
        Outcome::Pass => "✅",
        Outcome::Skipped => "➖",
    }
}

/// A section for a check family other than coverage and tests (security, accessibility,
/// performance…): its checks and its figures, present only when the verdict has them.
fn family_section(out: &mut String, v: &Verdict, families: &[&str], heading: &str) {
    let checks: Vec<&Check> = v.checks.iter().filter(|c| families.contains(&c.family)).collect();
    let figs: Vec<(String, String)> =
        figures::of(v).into_iter().filter(|(k, _)| families.iter().any(|f| k.starts_with(f))).collect();
    if checks.is_empty() && figs.is_empty() {
        return;
    }
    let _ = writeln!(out, "## {heading}\n");
    if !figs.is_empty() {
        let _ = writeln!(out, "| Measure | Value |\n| --- | ---: |");
        for (k, val) in &figs {
            let _ = writeln!(out, "| {} | {val} |", k.replace('_', " "));
        }
        out.push('\n');
    }
    if !checks.is_empty() {
        let _ = writeln!(out, "| | Check | Result |\n| --- | --- | --- |");
        for c in checks {
            let _ = writeln!(
                out,
                "| {} | {} <sub>`{}`</sub> | {} |",
                mark(c.outcome),
                escape(&c.title),
                c.code,
                escape(&c.message)
            );
        }
        out.push('\n');
    }
}

fn waivers(out: &mut String, v: &Verdict, judged_on: Option<&str>) {
    let _ = writeln!(out, "## Waivers used\n");
    let used: Vec<&Check> = v.checks.iter().filter(|c| c.waiver.is_some()).collect();
    if used.is_empty() {
        let _ = writeln!(out, "None.\n");
        return;
    }
    let _ = writeln!(out, "| Check | Reason | Declared at | Expires |\n| --- | --- | --- | --- |");
    for c in used {
        let w = c.waiver.as_ref().expect("filtered");
        let _ = writeln!(
            out,
            "| {} <sub>`{}`</sub> | {} | `{}` | {} |",
            escape(&c.title),
            c.code,
            escape(&w.reason),
            w.at,
            w.expires.as_deref().unwrap_or("never")
        );
    }
    if let Some(day) = judged_on {
        let _ = writeln!(out, "\nJudged on {day}: a waiver applies up to its expiry date.");
    }
    out.push('\n');
}
