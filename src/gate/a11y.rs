//! Accessibility checks: a minimum score, no violation at or below the target WCAG level, caps on
//! violations by impact, and pages the tool could not audit; each page judged with its own
//! settings (`[a11y] pages` by URL glob).
//!
//! Several Lighthouse runs of one URL (Lighthouse CI's `.lighthouseci/lhr-*.json`, or the runs a
//! Lighthouse CI manifest lists) are folded into one run as `[a11y] aggregation` says (by default
//! their median run, as lhci does); the same run read twice counts once. Other reports are
//! judged page by page.
//!
//! Waivers that name a rule (`rule = "color-contrast"`, optionally `pages = [URL globs]`) excuse
//! that rule's violations one by one, before the WCAG level and the caps are judged; the score is
//! the tool's and stays as it is.

use super::codes;
use super::verdict::{AppliedWaiver, Check, Evidence, Figures, Measure, Outcome, ReportRef, trim_number};
use super::waivers::Ledger;
use crate::model::a11y::{A11yReport, Aggregation, Impact, Level, Page, Violation, pick_run};
use crate::policy::{A11yPageSettings, A11yPolicy, ImpactCaps};

/// One page to judge, with where it came from.
struct Judged<'a> {
    page: &'a Page,
    report: &'a ReportRef,
    /// `median of 3 runs`, for Lighthouse CI.
    runs: Option<String>,
}

impl Judged<'_> {
    /// The page's URL, or the report's path when the producer gives none.
    fn name(&self) -> &str {
        if self.page.url.is_empty() { &self.report.path } else { &self.page.url }
    }
}

pub(super) fn checks(
    p: &A11yPolicy,
    reports: &[(ReportRef, A11yReport)],
    searched: &[String],
    out: &mut Vec<Check>,
    figures: &mut Figures,
    ledger: &mut Ledger<'_>,
) {
    if !p.enabled {
        if !reports.is_empty() {
            out.push(Check::new(
                codes::A11Y_LEVEL,
                "Accessibility",
                Outcome::Skipped,
                "accessibility checks are off ([a11y] enabled = false)",
            ));
        }
        return;
    }
    if reports.is_empty() {
        if p.requires_report() {
            out.push(
                Check::new(
                    codes::A11Y_MISSING,
                    "Accessibility report",
                    Outcome::Fail,
                    "no accessibility report (Lighthouse, axe, pa11y) was found",
                )
                .hint(format!(
                    "looked for {}; run the audit (lighthouse --output=json, lhci collect, @axe-core/cli --save, pa11y \
                     --reporter json), name the report on the command line, or set [reports] a11y in temis.toml \
                     ([a11y] required = false turns this off)",
                    super::coverage::searched_list(searched)
                )),
            );
        }
        return;
    }
    let pages = pages(reports, p.aggregation);
    let mut scored = 0;
    let mut level_failed = false;
    let mut worst_score: Option<f64> = None;
    let mut total = 0u64;
    for j in &pages {
        let s = p.for_page(j.name());
        total += j.page.violations.len() as u64;
        if let Some(error) = &j.page.error {
            out.push(scan_error(j, error));
            continue;
        }
        if let Some(score) = j.page.score {
            scored += 1;
            worst_score = Some(worst_score.map_or(score, |w: f64| w.min(score)));
            if let Some(min) = s.min_score {
                out.push(score_check(j, score, min, &s));
            }
        }
        // Without a level, violations of every level count: a run that tested no level-A rule
        // (axe's `runOnly` of best-practice rules alone) measured none of them.
        let untested = match (s.wcag, &s.max_violations) {
            (Some(target), _) => untested(j, target, false),
            (None, Some(_)) => untested(j, crate::model::a11y::Level::A, true),
            (None, None) => None,
        };
        if let Some(c) = untested {
            level_failed = true;
            out.push(c);
        }
        if let Some(target) = s.wcag
            && let Some(c) = level_check(j, target, &s, ledger)
        {
            level_failed = true;
            out.push(c);
        }
        if let Some(caps) = s.max_violations {
            out.push(caps_check(j, &caps, &s, ledger));
        }
    }
    // A page rule that holds pages to a figure and matches none of the pages read measured
    // nothing: its pages were not audited, or its glob is off.
    // A page is judged by the first rule that matches it ([`A11yPolicy::for_page`]): a rule that
    // matches only pages an earlier one takes judges nothing either.
    let applied: std::collections::HashSet<usize> =
        pages.iter().filter_map(|j| p.pages.iter().position(|r| r.matcher.is_match(j.name()))).collect();
    for (i, rule) in p.pages.iter().enumerate() {
        if rule.sets_threshold() && !applied.contains(&i) {
            let names: Vec<&str> = pages.iter().map(|j| j.name()).take(5).collect();
            let message = if pages.iter().any(|j| rule.matcher.is_match(j.name())) {
                format!("every page the pages rule {} matches is judged by an earlier rule", rule.glob)
            } else {
                format!("no page the reports audited matches the pages rule {}", rule.glob)
            };
            out.push(
                Check::new(
                    codes::A11Y_PAGES_UNMATCHED,
                    format!("Accessibility of {}", rule.glob),
                    Outcome::Fail,
                    message,
                )
                .hint(format!(
                    "the reports audited: {}; audit the pages the rule names, or correct its glob",
                    names.join(", ")
                )),
            );
        }
    }
    // A minimum score nothing gave is never met: approving it would say a score was checked.
    if scored == 0 && (p.min_score.is_some() || p.pages.iter().any(|r| r.min_score.is_some())) {
        out.push(
            Check::new(
                codes::A11Y_SCORE,
                "Accessibility score",
                Outcome::Fail,
                "no report gives an accessibility score (axe and pa11y have none; Lighthouse does): min_score cannot be met",
            )
            .threshold(Measure { value: p.min_score.unwrap_or_default(), unit: "/100" })
            .hint("add a Lighthouse report (lighthouse --output=json, or lhci), or remove min_score"),
        );
    }
    // A pass says the pages were audited: with none audited (each a scan error, failed above),
    // there is nothing to pass.
    if let Some(target) = p.wcag.filter(|_| !level_failed && pages.iter().any(|j| j.page.error.is_none())) {
        out.push(level_pass(&pages, target, p));
    }
    // Reports read and nothing to hold them to: said, never a silent approval. Required, with
    // violations, they cannot pass: the policy asks for an accessibility check and gives it
    // nothing to check them against (no threshold passes a clean report alone).
    if !p.sets_threshold() {
        let (outcome, why) = if p.required && total > 0 {
            (Outcome::Fail, "[a11y] required = true, and it sets no threshold: nothing was judged")
        } else {
            (Outcome::Skipped, "not judged: [a11y] sets no threshold")
        };
        out.push(
            Check::new(
                codes::A11Y_LEVEL,
                "Accessibility",
                outcome,
                format!("{total} violation(s) on {} page(s) read, {why}", pages.len()),
            )
            .hint("set [a11y] wcag = \"AA\" (violations at that level block), min_score, or max_violations"),
        );
    }
    figures.a11y_score = worst_score;
    figures.a11y_violations = Some(total);
}

/// Every page of every report; Lighthouse runs of one URL (single results and the runs of
/// manifests alike) folded into one as `how` says.
fn pages(reports: &[(ReportRef, A11yReport)], how: Aggregation) -> Vec<Judged<'_>> {
    let mut out: Vec<Judged<'_>> = Vec::new();
    let mut lighthouse: Vec<(&str, Vec<(&Page, &ReportRef)>)> = Vec::new();
    for (r, a) in reports {
        let runs = match r.format {
            "lighthouse" => &a.pages,
            "lhci-manifest" => &a.runs,
            _ => {
                out.extend(a.pages.iter().map(|page| Judged { page, report: r, runs: None }));
                continue;
            }
        };
        for page in runs {
            match lighthouse.iter_mut().find(|(u, _)| *u == page.url) {
                Some((_, runs)) if runs.iter().any(|(p, _)| same_run(p, page)) => {}
                Some((_, runs)) => runs.push((page, r)),
                None => lighthouse.push((&page.url, vec![(page, r)])),
            }
        }
    }
    for (_, runs) in lighthouse {
        let pages: Vec<&Page> = runs.iter().map(|(p, _)| *p).collect();
        let picked = pick_run(&pages, how);
        let (page, report) = runs[picked.index];
        out.push(Judged { page, report, runs: picked.how });
    }
    out
}

/// Whether two pages are the same Lighthouse run read twice (an `lhr-*.json` and the copy a
/// manifest lists): the same `fetchTime`.
fn same_run(a: &Page, b: &Page) -> bool {
    fn time(p: &Page) -> Option<&str> {
        p.run.as_ref().and_then(|r| r.fetch_time.as_deref())
    }
    time(a).is_some() && time(a) == time(b)
}

fn scan_error(j: &Judged<'_>, error: &str) -> Check {
    Check::new(
        codes::A11Y_SCAN_ERROR,
        format!("Accessibility scan of {}", j.name()),
        Outcome::Fail,
        format!("{} could not audit {}: {error}", tool_of(j), j.name()),
    )
    .hint(
        "the message says what stopped the audit: make the page reachable where the audit runs (start the server, \
         check the URL), or run the audit whole; then audit again",
    )
    .evidence(vec![Evidence {
        path: Some(j.report.path.clone()),
        line: None,
        text: format!("{}: {}", j.report.path, error.split(':').next().unwrap_or(error)),
    }])
}

/// A page whose audit left out rules of the policy's level (axe's `runOnly`, a rule turned off,
/// pa11y's standard): no violation at that level there is not a pass.
fn untested(j: &Judged<'_>, target: Level, no_wcag_only: bool) -> Option<Check> {
    let left_out: Vec<&str> = j
        .page
        .left_out
        .iter()
        .filter(|l| l.level <= target && (l.no_wcag || !no_wcag_only))
        .map(|l| l.what.as_str())
        .collect();
    let first = *left_out.first()?;
    Some(
        Check::new(
            codes::A11Y_SCAN_ERROR,
            format!("Accessibility scan of {}", j.name()),
            Outcome::Fail,
            format!(
                "{} did not test all of WCAG {} on {}: {}",
                tool_of(j),
                target.name(),
                j.name(),
                left_out.join("; ")
            ),
        )
        .hint(
            "audit with every rule of the policy's level (axe: tags wcag2a,wcag2aa,wcag21a,wcag21aa,wcag22aa, no rule \
             turned off; pa11y: --standard WCAG2AA); a rule's violations a team accepts are a waiver, not a rule left out",
        )
        .evidence(vec![Evidence { path: Some(j.report.path.clone()), line: None, text: first.to_string() }]),
    )
}

fn tool_of(j: &Judged<'_>) -> &'static str {
    match j.report.format {
        "lighthouse" | "lhci-manifest" => "Lighthouse",
        "axe-json" => "axe",
        "pa11y-ci-json" => "pa11y-ci",
        _ => "pa11y",
    }
}

/// The violations that count on a page: its violations, and needs-review items when the policy
/// says so.
fn counted<'a>(page: &'a Page, s: &A11yPageSettings) -> Vec<&'a Violation> {
    let mut v: Vec<&Violation> = page.violations.iter().collect();
    if s.count_needs_review {
        v.extend(page.needs_review.iter());
    }
    v
}

/// `color-contrast ×12 (AA), label ×3 (A)`: rules by their failing elements, most first.
fn rules_summary(violations: &[&Violation], limit: usize) -> String {
    let grouped = group(violations);
    let mut parts: Vec<String> = grouped
        .iter()
        .take(limit)
        .map(|g| format!("{} ×{} ({})", g.rule, g.nodes, g.level.map_or("best practice", Level::name)))
        .collect();
    if grouped.len() > limit {
        parts.push(format!("{} more", grouped.len() - limit));
    }
    parts.join(", ")
}

/// A rule's violations on one page, taken together.
struct Group<'a> {
    rule: &'a str,
    level: Option<Level>,
    impact: Option<Impact>,
    nodes: u64,
    criteria: Vec<&'a str>,
    targets: Vec<&'a str>,
    help: Option<&'a str>,
}

fn group<'a>(violations: &[&'a Violation]) -> Vec<Group<'a>> {
    let mut out: Vec<Group<'a>> = Vec::new();
    for v in violations {
        let g = match out.iter_mut().position(|g| g.rule == v.rule) {
            Some(i) => &mut out[i],
            None => {
                out.push(Group {
                    rule: &v.rule,
                    level: v.level,
                    impact: v.impact,
                    nodes: 0,
                    criteria: Vec::new(),
                    targets: Vec::new(),
                    help: v.help.as_deref(),
                });
                out.last_mut().expect("just pushed")
            }
        };
        g.nodes = g.nodes.saturating_add(v.nodes.max(1));
        for c in &v.criteria {
            if !g.criteria.contains(&c.as_str()) {
                g.criteria.push(c);
            }
        }
        for t in &v.targets {
            if g.targets.len() < 3 {
                g.targets.push(t);
            }
        }
    }
    out.sort_by(|a, b| b.nodes.cmp(&a.nodes).then(a.rule.cmp(b.rule)));
    out
}

fn evidence(violations: &[&Violation]) -> Vec<Evidence> {
    group(violations)
        .into_iter()
        .take(10)
        .map(|g| {
            let mut facts = vec![g.level.map_or("best practice", Level::name).to_string()];
            facts.extend(g.criteria.iter().map(|c| c.to_string()));
            if let Some(i) = g.impact {
                facts.push(i.name().to_string());
            }
            let targets = if g.targets.is_empty() { String::new() } else { format!(", e.g. {}", g.targets.join(", ")) };
            let help = g.help.map(|h| format!(" — {h}")).unwrap_or_default();
            Evidence {
                path: None,
                line: None,
                text: format!("{} ({}): {} element(s){targets}{help}", g.rule, facts.join(", "), g.nodes),
            }
        })
        .collect()
}

fn applied(s: &A11yPageSettings) -> String {
    s.rule.as_ref().map(|g| format!(" (pages rule {g})")).unwrap_or_default()
}

fn score_check(j: &Judged<'_>, score: f64, min: f64, s: &A11yPageSettings) -> Check {
    let title = format!("Accessibility score of {}", j.name());
    let measured = Measure { value: score, unit: "/100" };
    let threshold = Measure { value: min, unit: "/100" };
    let runs = j.runs.as_ref().map(|r| format!(" ({r})")).unwrap_or_default();
    let violations: Vec<&Violation> = j.page.violations.iter().collect();
    if score + 1e-9 >= min {
        return Check::new(
            codes::A11Y_SCORE,
            title,
            Outcome::Pass,
            format!("Accessibility {}/100 ≥ {}{runs}{}", trim_number(score), trim_number(min), applied(s)),
        )
        .measured(measured)
        .threshold(threshold);
    }
    let rules = if violations.is_empty() { String::new() } else { format!(": {}", rules_summary(&violations, 5)) };
    Check::new(
        codes::A11Y_SCORE,
        title,
        Outcome::Fail,
        format!("Accessibility {}/100 < {}{runs}{}{rules}", trim_number(score), trim_number(min), applied(s)),
    )
    .measured(measured)
    .threshold(threshold)
    .hint("fix the failing audits listed, heaviest first (critical and serious rules weigh most)")
    .evidence(evidence(&violations))
}

fn level_check(j: &Judged<'_>, target: Level, s: &A11yPageSettings, ledger: &mut Ledger<'_>) -> Option<Check> {
    let at_level: Vec<&Violation> =
        counted(j.page, s).into_iter().filter(|v| v.level.is_some_and(|l| l <= target)).collect();
    let (failing, waived) = waive(at_level, codes::A11Y_LEVEL, j.name(), ledger);
    if failing.is_empty() && waived.is_empty() {
        return None;
    }
    let title = format!("WCAG {} of {}", target.name(), j.name());
    if failing.is_empty() {
        let excused: Vec<&Violation> = waived.iter().map(|(v, _)| *v).collect();
        let rules = group(&excused).len();
        let mut c = Check::new(
            codes::A11Y_LEVEL,
            title,
            Outcome::Waived,
            format!(
                "{rules} rule(s) fail WCAG {}{}, all waived: {}",
                target.name(),
                applied(s),
                rules_summary(&excused, 5)
            ),
        )
        .measured(Measure::count(0, "rules"))
        .threshold(Measure::count(0, "rules"))
        .evidence(waived_evidence(&waived));
        c.waiver = Some(waived[0].1.clone());
        return Some(c);
    }
    let rules = group(&failing).len();
    let mut evidence = evidence(&failing);
    evidence.extend(waived_evidence(&waived));
    Some(
        Check::new(
            codes::A11Y_LEVEL,
            title,
            Outcome::Fail,
            format!(
                "{rules} rule(s) fail WCAG {}{}: {}{}",
                target.name(),
                applied(s),
                rules_summary(&failing, 5),
                waived_note(&waived)
            ),
        )
        .measured(Measure::count(rules as u64, "rules"))
        .threshold(Measure::count(0, "rules"))
        .hint(format!("fix the rules listed on the elements shown ({})", j.report.path))
        .evidence(evidence),
    )
}

/// Splits violations into those still counted under `code` and those a waiver naming their rule
/// excuses (on this page).
fn waive<'a>(
    violations: Vec<&'a Violation>,
    code: &str,
    page: &str,
    ledger: &mut Ledger<'_>,
) -> (Vec<&'a Violation>, Vec<(&'a Violation, AppliedWaiver)>) {
    let (mut still, mut waived) = (Vec::new(), Vec::new());
    for v in violations {
        match ledger.find(|w| w.matches_violation(code, &v.rule, page)) {
            Some(applied) => waived.push((v, applied)),
            None => still.push(v),
        }
    }
    (still, waived)
}

/// ` (2 waived: color-contrast, label)`, or nothing.
fn waived_note(waived: &[(&Violation, AppliedWaiver)]) -> String {
    if waived.is_empty() {
        return String::new();
    }
    let excused: Vec<&Violation> = waived.iter().map(|(v, _)| *v).collect();
    let rules: Vec<&str> = group(&excused).into_iter().map(|g| g.rule).collect();
    format!(" ({} waived: {})", waived.len(), rules.join(", "))
}

/// One line per waived rule, with the waiver's reason and place.
fn waived_evidence(waived: &[(&Violation, AppliedWaiver)]) -> Vec<Evidence> {
    let excused: Vec<&Violation> = waived.iter().map(|(v, _)| *v).collect();
    group(&excused)
        .into_iter()
        .take(10)
        .map(|g| {
            let w = &waived.iter().find(|(v, _)| v.rule == g.rule).expect("a waived rule").1;
            Evidence {
                path: None,
                line: None,
                text: format!(
                    "{} ({}): {} element(s) (waived: {} — {})",
                    g.rule,
                    g.level.map_or("best practice", Level::name),
                    g.nodes,
                    w.reason,
                    w.at
                ),
            }
        })
        .collect()
}

fn level_pass(pages: &[Judged<'_>], target: Level, p: &A11yPolicy) -> Check {
    let audited = pages.iter().filter(|j| j.page.error.is_none()).count();
    let best_practice: usize =
        pages.iter().map(|j| j.page.violations.iter().filter(|v| v.level.is_none()).count()).sum();
    let review: usize = pages.iter().map(|j| j.page.needs_review.len()).sum();
    let mut extra = Vec::new();
    if best_practice > 0 {
        extra.push(format!("{best_practice} best-practice violation(s), not WCAG failures"));
    }
    if review > 0 && !p.count_needs_review {
        extra.push(format!("{review} item(s) need review"));
    }
    let extra = if extra.is_empty() { String::new() } else { format!(" ({})", extra.join("; ")) };
    Check::new(
        codes::A11Y_LEVEL,
        format!("WCAG {}", target.name()),
        Outcome::Pass,
        format!("no violation at WCAG {} or lower on {audited} page(s){extra}", target.name()),
    )
    .measured(Measure::count(0, "rules"))
    .threshold(Measure::count(0, "rules"))
}

/// What exceeds the caps among `counted`: `2 critical > 0`.
fn over_caps(counted: &[&Violation], caps: &ImpactCaps) -> Vec<String> {
    let mut over = Vec::new();
    let total = counted.len() as u64;
    if let Some(max) = caps.total
        && total > max
    {
        over.push(format!("{total} violations > {max}"));
    }
    // A violation whose impact the report does not say (null, misspelt) counts as critical: a cap
    // cannot miss it.
    for impact in Impact::ALL {
        let Some(max) = caps.get(impact) else { continue };
        let n = counted.iter().filter(|v| v.impact.unwrap_or(Impact::Critical) == impact).count() as u64;
        if n > max {
            let unknown = counted.iter().filter(|v| v.impact.is_none()).count();
            let said = if impact == Impact::Critical && unknown > 0 {
                format!(" ({unknown} of unknown impact, counted as critical)")
            } else {
                String::new()
            };
            over.push(format!("{n} {} > {max}{said}", impact.name()));
        }
    }
    over
}

fn caps_check(j: &Judged<'_>, caps: &ImpactCaps, s: &A11yPageSettings, ledger: &mut Ledger<'_>) -> Check {
    let all = counted(j.page, s);
    let (counted, waived) = waive(all.clone(), codes::A11Y_LIMIT, j.name(), ledger);
    let title = format!("Accessibility violations of {}", j.name());
    let total = counted.len() as u64;
    let over = over_caps(&counted, caps);
    let measured = Measure::count(total, "violations");
    if over.is_empty() {
        if !waived.is_empty() && !over_caps(&all, caps).is_empty() {
            let excused: Vec<&Violation> = waived.iter().map(|(v, _)| *v).collect();
            let mut c = Check::new(
                codes::A11Y_LIMIT,
                title,
                Outcome::Waived,
                format!(
                    "{total} violation(s), within the caps once {} waived{}: {}",
                    waived.len(),
                    applied(s),
                    rules_summary(&excused, 5)
                ),
            )
            .measured(measured)
            .evidence(waived_evidence(&waived));
            c.waiver = Some(waived[0].1.clone());
            return c;
        }
        return Check::new(
            codes::A11Y_LIMIT,
            title,
            Outcome::Pass,
            format!("{total} violation(s), within the caps{}{}", applied(s), waived_note(&waived)),
        )
        .measured(measured);
    }
    let mut evidence = evidence(&counted);
    evidence.extend(waived_evidence(&waived));
    Check::new(
        codes::A11Y_LIMIT,
        title,
        Outcome::Fail,
        format!("{}{}: {}{}", over.join(", "), applied(s), rules_summary(&counted, 5), waived_note(&waived)),
    )
    .measured(measured)
    .hint("fix the violations listed, or raise [a11y] max_violations")
    .evidence(evidence)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Policy;

    fn v(rule: &str, level: Option<Level>, impact: Impact, nodes: u64) -> Violation {
        Violation { level, impact: Some(impact), nodes, ..Violation::new(rule) }
    }

    fn report(format: &'static str, pages: Vec<Page>) -> (ReportRef, A11yReport) {
        (
            ReportRef { path: format!("{format}.json"), format, kind: "a11y" },
            A11yReport { pages, has_impact: true, ..A11yReport::default() },
        )
    }

    fn page(url: &str, score: Option<f64>, violations: Vec<Violation>) -> Page {
        Page { url: url.into(), score, violations, ..Page::default() }
    }

    fn run(policy: &str, reports: &[(ReportRef, A11yReport)]) -> Vec<Check> {
        let p = Policy::parse("t.toml", policy).unwrap_or_else(|e| panic!("{e}"));
        let mut out = Vec::new();
        let mut ledger = Ledger::new(&p.waivers, &p.source, crate::policy::Date::new(2026, 11, 24));
        checks(&p.a11y, reports, &[], &mut out, &mut Figures::default(), &mut ledger);
        ledger.whole_checks(&mut out);
        ledger.finish(&mut out);
        out
    }

    #[test]
    fn a_low_score_names_the_failing_rules_with_elements_and_levels() {
        let r = report(
            "lighthouse",
            vec![page(
                "http://x/",
                Some(82.0),
                vec![
                    v("label", Some(Level::A), Impact::Critical, 3),
                    v("color-contrast", Some(Level::AA), Impact::Serious, 12),
                ],
            )],
        );
        let c = run("[a11y]\nmin_score = 95\n", &[r]);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].outcome, Outcome::Fail);
        assert_eq!(c[0].message, "Accessibility 82/100 < 95: color-contrast ×12 (AA), label ×3 (A)");
    }

    #[test]
    fn best_practice_rules_pass_at_aa_and_a_level_failure_blocks() {
        let clean = report("axe-json", vec![page("http://x/", None, vec![v("region", None, Impact::Moderate, 4)])]);
        let c = run("[a11y]\nwcag = \"AA\"\n", std::slice::from_ref(&clean));
        assert_eq!(c.len(), 1);
        assert_eq!((c[0].outcome, c[0].code), (Outcome::Pass, codes::A11Y_LEVEL));
        assert!(c[0].message.contains("1 best-practice violation"), "{}", c[0].message);
        let aa = report(
            "axe-json",
            vec![page("http://x/", None, vec![v("color-contrast", Some(Level::AA), Impact::Serious, 2)])],
        );
        assert_eq!(run("[a11y]\nwcag = \"AA\"\n", std::slice::from_ref(&aa))[0].outcome, Outcome::Fail);
        assert_eq!(
            run("[a11y]\nwcag = \"A\"\n", &[aa])[0].outcome,
            Outcome::Pass,
            "AA rules do not fail a target of A"
        );
    }

    #[test]
    fn page_rules_override_by_url_glob() {
        let r = report(
            "axe-json",
            vec![
                page("http://x/admin/users", None, vec![v("color-contrast", Some(Level::AA), Impact::Serious, 1)]),
                page("http://x/", None, vec![]),
            ],
        );
        let c = run("[a11y]\nwcag = \"AA\"\npages = [{ glob = \"*/admin/*\", wcag = \"A\" }]\n", &[r]);
        assert!(c.iter().all(|c| c.outcome == Outcome::Pass), "{c:#?}");
    }

    /// A pages rule that matches no audited page held its pages to nothing: a Lighthouse report
    /// of the home page approved `*/admin/*`'s `min_score = 100` without a row.
    #[test]
    fn a_page_rule_matching_no_audited_page_blocks() {
        let home = report("lighthouse", vec![page("http://localhost/", Some(100.0), vec![])]);
        let policy = "[a11y]\nmin_score = 90\npages = [{ glob = \"*/admin/*\", min_score = 100, wcag = \"AAA\" }]\n";
        let c = run(policy, std::slice::from_ref(&home));
        let unmatched: Vec<_> = c.iter().filter(|c| c.code == codes::A11Y_PAGES_UNMATCHED).collect();
        assert_eq!(unmatched.len(), 1, "{c:#?}");
        assert_eq!(unmatched[0].outcome, Outcome::Fail);
        assert_eq!(unmatched[0].message, "no page the reports audited matches the pages rule */admin/*");
        assert!(unmatched[0].hint.as_deref().unwrap().contains("http://localhost/"));
        // Matching a page, it judges it; a rule that sets no figure (only `count_needs_review`)
        // holds nothing to a figure and is not required to match.
        let admin = report("lighthouse", vec![page("http://localhost/admin/x", Some(100.0), vec![])]);
        assert!(run(policy, &[admin]).iter().all(|c| c.code != codes::A11Y_PAGES_UNMATCHED));
        let review = "[a11y]\nmin_score = 90\npages = [{ glob = \"*/admin/*\", count_needs_review = true }]\n";
        assert!(run(review, std::slice::from_ref(&home)).iter().all(|c| c.outcome == Outcome::Pass));
        // A rule every page of which an earlier rule takes judges nothing either.
        let admin = report("lighthouse", vec![page("http://localhost/admin/x", Some(60.0), vec![])]);
        let shadowed = "[a11y]\npages = [{ glob = \"http://localhost/*\", wcag = \"A\" }, { glob = \"*/admin/*\", min_score = 100 }]\n";
        let c = run(shadowed, &[admin]);
        let unmatched: Vec<_> = c.iter().filter(|c| c.code == codes::A11Y_PAGES_UNMATCHED).collect();
        assert_eq!(unmatched.len(), 1, "{c:#?}");
        assert_eq!(unmatched[0].message, "every page the pages rule */admin/* matches is judged by an earlier rule");
    }

    #[test]
    fn caps_count_by_impact() {
        let r = report(
            "axe-json",
            vec![page(
                "http://x/",
                None,
                vec![v("region", None, Impact::Moderate, 1), v("label", Some(Level::A), Impact::Critical, 1)],
            )],
        );
        let c = run("[a11y]\nmax_violations = { critical = 0, moderate = 5 }\n", &[r]);
        assert_eq!(c[0].outcome, Outcome::Fail);
        assert!(c[0].message.starts_with("1 critical > 0"), "{}", c[0].message);
    }

    #[test]
    fn scan_errors_fail_and_lighthouse_runs_fold_into_their_median() {
        let err =
            Page { url: "http://x/404".into(), error: Some("ERRORED_DOCUMENT_REQUEST".into()), ..Page::default() };
        let c = run("[a11y]\nmin_score = 90\n", &[report("lighthouse", vec![err])]);
        assert_eq!((c[0].code, c[0].outcome), (codes::A11Y_SCAN_ERROR, Outcome::Fail));
        let runs: Vec<_> = [80.0, 97.0, 91.0]
            .iter()
            .map(|s| report("lighthouse", vec![page("http://x/", Some(*s), vec![])]))
            .collect();
        let c = run("[a11y]\nmin_score = 90\n", &runs);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].measured.unwrap().value, 91.0);
        assert!(c[0].message.contains("median of 3 runs"), "{}", c[0].message);
    }

    #[test]
    fn the_aggregation_picks_the_run_judged_and_a_run_read_twice_counts_once() {
        let lhr = |score: f64, time: &str| {
            let mut p = page("http://x/", Some(score), vec![]);
            p.run = Some(crate::model::a11y::RunFacts { fetch_time: Some(time.into()), ..Default::default() });
            report("lighthouse", vec![p])
        };
        let runs = vec![lhr(80.0, "t1"), lhr(97.0, "t2"), lhr(91.0, "t3"), lhr(97.0, "t2")];
        let figure = |how: &str| {
            let c = run(&format!("[a11y]\nmin_score = 90\naggregation = \"{how}\"\n"), &runs);
            assert_eq!(c.len(), 1, "{c:#?}");
            (c[0].measured.unwrap().value, c[0].message.clone())
        };
        assert_eq!(figure("median"), (91.0, "Accessibility 91/100 ≥ 90 (median of 3 runs)".to_string()));
        assert_eq!(figure("optimistic").0, 97.0);
        assert_eq!(figure("pessimistic"), (80.0, "Accessibility 80/100 < 90 (worst of 3 runs)".to_string()));
        let manifest = (
            ReportRef { path: "lhci_reports/manifest.json".into(), format: "lhci-manifest", kind: "a11y" },
            A11yReport {
                pages: vec![],
                runs: vec![runs[0].1.pages[0].clone(), runs[1].1.pages[0].clone()],
                has_impact: true,
                ..A11yReport::default()
            },
        );
        let c = run("[a11y]\nmin_score = 90\n", &[manifest, runs[2].clone()]);
        assert_eq!(
            c[0].message, "Accessibility 91/100 ≥ 90 (median of 3 runs)",
            "a manifest's runs fold with the rest"
        );
    }

    #[test]
    fn a_rule_waiver_excuses_that_rule_on_the_pages_it_names() {
        let pages = vec![
            page(
                "http://x/legacy/form",
                None,
                vec![
                    v("color-contrast", Some(Level::AA), Impact::Serious, 3),
                    v("label", Some(Level::A), Impact::Critical, 1),
                ],
            ),
            page("http://x/new", None, vec![v("color-contrast", Some(Level::AA), Impact::Serious, 2)]),
        ];
        let r = report("axe-json", pages);
        let waiver = "[[waivers]]\nrule = \"color-contrast\"\npages = [\"*/legacy/*\"]\nreason = \"palette\"\n";
        let c = run(&format!("[a11y]\nwcag = \"AA\"\n{waiver}"), std::slice::from_ref(&r));
        let legacy = c.iter().find(|c| c.title == "WCAG AA of http://x/legacy/form").unwrap();
        assert_eq!(legacy.outcome, Outcome::Fail);
        assert_eq!(legacy.message, "1 rule(s) fail WCAG AA: label ×1 (A) (1 waived: color-contrast)");
        assert!(legacy.evidence.iter().any(|e| e.text.contains("(waived: palette — t.toml:")), "{legacy:#?}");
        let new = c.iter().find(|c| c.title == "WCAG AA of http://x/new").unwrap();
        assert_eq!(new.outcome, Outcome::Fail, "the waiver names other pages");
        assert!(!c.iter().any(|c| c.code == codes::WAIVER_UNUSED));

        let everywhere =
            "[[waivers]]\ncheck = \"a11y-violations-at-level\"\nrule = \"color-contrast\"\nreason = \"r\"\n";
        let only_contrast = report(
            "axe-json",
            vec![page("http://x/new", None, vec![v("color-contrast", Some(Level::AA), Impact::Serious, 2)])],
        );
        let c =
            run(&format!("[a11y]\nwcag = \"AA\"\nmax_violations = {{ serious = 0 }}\n{everywhere}"), &[only_contrast]);
        let level = c.iter().find(|c| c.code == codes::A11Y_LEVEL).unwrap();
        assert_eq!(level.outcome, Outcome::Waived);
        assert_eq!(level.message, "1 rule(s) fail WCAG AA, all waived: color-contrast ×2 (AA)");
        assert_eq!(level.waiver.as_ref().unwrap().reason, "r");
        let caps = c.iter().find(|c| c.code == codes::A11Y_LIMIT).unwrap();
        assert_eq!(caps.outcome, Outcome::Fail, "the waiver names the level check only: {caps:#?}");
    }

    #[test]
    fn a_rule_waiver_can_carry_a_page_over_its_caps_and_expires() {
        let r = report(
            "axe-json",
            vec![page(
                "http://x/",
                None,
                vec![v("region", None, Impact::Moderate, 4), v("label", Some(Level::A), Impact::Critical, 1)],
            )],
        );
        let policy = |expires: &str| {
            format!(
                "[a11y]\nmax_violations = {{ critical = 0 }}\n[[waivers]]\nrule = \"label\"\nreason = \"rewrite\"\n\
                 expires = {expires}\n"
            )
        };
        let c = run(&policy("2027-01-31"), std::slice::from_ref(&r));
        assert_eq!(c[0].outcome, Outcome::Waived, "{c:#?}");
        assert_eq!(c[0].message, "1 violation(s), within the caps once 1 waived: label ×1 (A)");
        let c = run(&policy("2026-01-31"), &[r]);
        assert_eq!(c[0].outcome, Outcome::Fail);
        assert!(c.iter().any(|c| c.code == codes::WAIVER_EXPIRED));
    }

    #[test]
    fn absent_reports_pass_unless_required_and_disabled_phases_skip() {
        assert!(run("[a11y]\nmin_score = 95\n", &[]).is_empty());
        let c = run("[a11y]\nrequired = true\n", &[]);
        assert_eq!((c[0].code, c[0].outcome), (codes::A11Y_MISSING, Outcome::Fail));
        let r =
            report("axe-json", vec![page("http://x/", None, vec![v("label", Some(Level::A), Impact::Critical, 1)])]);
        let c = run("[a11y]\nwcag = \"AA\"\nenabled = false\n", &[r]);
        assert_eq!(c[0].outcome, Outcome::Skipped);
    }
}
