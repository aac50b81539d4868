//! Patch coverage and the ratchet: how well the lines a change adds are covered, and how far the
//! project's coverage fell below its base's recorded figure. The one place patch coverage is
//! measured: the hooks, `gate --base`, every CI surface and the phase records all read the
//! [`PatchCoverage`] the verdict carries.
//!
//! Patch coverage is diff-cover's and Codecov's figure: among the lines the change adds, those the
//! coverage reports know (coverable), the share executed. Added lines the reports do not mention
//! (comments, blank lines, files not measured) are not counted either way; the row names the changed
//! files of a kind the reports list that no report lists (files named as tests apart).
//! `ci/patch_conformance.py` checks the figure against diff-cover's own on real repositories.

use std::collections::BTreeMap;

use serde::Serialize;

use super::codes;
use super::verdict::{Check, Evidence, Figures, Measure, Outcome, trim_number};
pub use super::verdict::{FilePatch, PatchCoverage};
use crate::model::show_ranges;
use crate::model::{Counts, Coverage, FileCoverage};
use crate::paths::resolve::Resolved;
use crate::policy::CoveragePolicy;

/// The lines a change adds, per file (repository paths, ascending line numbers).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PatchInput {
    /// What the change is measured against, for people: `origin/main (3f2a91c)`.
    pub base: String,
    pub files: BTreeMap<String, Vec<u32>>,
}

/// The base commit's recorded figures (git notes under `refs/notes/temis`).
#[derive(Clone, Debug, PartialEq)]
pub enum Baseline {
    Recorded {
        commit: String,
        figures: Recorded,
    },
    /// Nothing recorded for this commit.
    Missing {
        commit: String,
    },
}

/// What `temis gate --record` writes (`temis.figures/v1`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct Recorded {
    pub schema: String,
    pub line_coverage: Option<f64>,
    pub branch_coverage: Option<f64>,
    pub lines_total: Option<u64>,
    pub lines_covered: Option<u64>,
    pub tests_total: Option<u64>,
}

impl Recorded {
    pub const SCHEMA: &'static str = "temis.figures/v1";

    pub fn from_figures(f: &Figures) -> Recorded {
        Recorded {
            schema: Self::SCHEMA.to_string(),
            line_coverage: f.line_coverage,
            branch_coverage: f.branch_coverage,
            lines_total: f.lines_total,
            lines_covered: f.lines_covered,
            tests_total: f.tests_total,
        }
    }
}

/// Intersects the added lines with what the reports know.
pub fn measure(patch: &PatchInput, cov: &Coverage) -> PatchCoverage {
    measure_except(patch, cov, &Default::default())
}

/// [`measure`], the reports' paths that could be several repository files (`ambiguous`, as
/// written) naming none: a package's `src/index.ts`, written as the root's file of that name,
/// credited the root's file with the package's hits.
fn measure_except(patch: &PatchInput, cov: &Coverage, ambiguous: &std::collections::HashSet<&str>) -> PatchCoverage {
    let by_path: BTreeMap<&str, &FileCoverage> =
        cov.files.iter().filter(|f| !ambiguous.contains(&f.path.as_str())).map(|f| (f.path.as_str(), f)).collect();
    let mut out = PatchCoverage { base: patch.base.clone(), ..PatchCoverage::default() };
    for (path, added) in &patch.files {
        out.added += added.len() as u64;
        let Some(f) = by_path.get(path.as_str()) else {
            out.unmentioned.push(path.clone());
            continue;
        };
        let Some(bits) = &f.line_bits else {
            out.unmeasurable.push(path.clone());
            continue;
        };
        let mut counts = Counts::default();
        let mut uncovered: Vec<(u32, u32)> = Vec::new();
        for &line in added {
            if !bits.is_coverable(line) {
                continue;
            }
            counts.total += 1;
            if bits.is_covered(line) {
                counts.covered += 1;
            } else {
                match uncovered.last_mut() {
                    Some((_, end)) if *end + 1 == line => *end = line,
                    _ => uncovered.push((line, line)),
                }
            }
        }
        if counts.total > 0 {
            out.lines.add(counts);
            out.files.push(FilePatch { path: path.clone(), lines: counts, uncovered });
        }
    }
    out
}

/// What the gate knows about the change: the lines it adds, or why they are not known.
#[derive(Clone, Copy, Debug)]
pub(super) struct Change<'a> {
    pub patch: Option<&'a PatchInput>,
    /// Why the change could not be read (no base, a base that is not fetched…).
    pub unavailable: Option<&'a str>,
    /// How the coverage reports' paths resolved against the repository.
    pub resolved: &'a [Resolved],
    /// Coverage reports older than files they measure (none are looked for with `[reports] stale =
    /// "off"`: [`crate::app::reports`]): a
    /// changed file among those was edited after the tests ran, and its added lines are in no
    /// figure, whatever line numbers the old report happens to hold.
    pub stale: &'a [super::StaleReport],
}

/// The patch-coverage check; returns the measurement (when there is a change and coverage), for
/// the verdict to carry. With `min_patch` set, a change that could not be measured is never a
/// pass: no base, no coverage report, added lines that match no report path while report paths
/// match no repository file, or added lines only in source files no report lists (of a kind the
/// reports list, files named as tests apart: [`crate::paths::is_test_named`]) give
/// [`codes::PATCH_UNMEASURED`] (could not judge).
pub(super) fn checks(
    p: &CoveragePolicy,
    change: Change<'_>,
    cov: Option<&Coverage>,
    out: &mut Vec<Check>,
    figures: &mut Figures,
) -> Option<PatchCoverage> {
    const TITLE: &str = "Patch coverage";
    let unmeasured = |min: f64, why: String, hint: &str| {
        Check::new(codes::PATCH_UNMEASURED, TITLE, Outcome::Fail, format!("{TITLE} could not be measured: {why}"))
            .threshold(Measure::percent(min))
            .hint(hint)
    };
    let Some(patch) = change.patch else {
        if let Some(min) = p.min_patch {
            let why = change.unavailable.unwrap_or("there is no base to compare the change with");
            out.push(unmeasured(
                min,
                why.to_string(),
                "give the base: --base origin/main (in CI, check out with fetch-depth: 0 so the base commit is \
                 there; the pre-push hook uses what the remote has)",
            ));
        }
        return None;
    };
    let Some(cov) = cov else {
        if let Some(min) = p.min_patch {
            out.push(unmeasured(
                min,
                "no coverage report to measure the change with".into(),
                "run the tests with coverage and name the report, or set [reports] coverage in temis.toml",
            ));
        }
        return None;
    };
    let ambiguous: std::collections::HashSet<&str> =
        change.resolved.iter().flat_map(|r| r.ambiguous.iter().map(|(p, _)| p.as_str())).collect();
    let m = measure_except(patch, cov, &ambiguous);
    figures.patch_coverage = m.lines.percent();
    figures.patch_lines_total = Some(m.lines.total);
    figures.patch_lines_covered = Some(m.lines.covered);
    let mut counts =
        format!("{} of {} coverable added lines covered, against {}", m.lines.covered, m.lines.total, patch.base);
    // Said on every row, a pass included: a figure of part of the change must say so.
    if !m.unmeasurable.is_empty() {
        counts.push_str(&format!("; not counted, no per-line data in the reports: {}", m.unmeasurable.join(", ")));
    }
    // Changed files of a kind the reports measure (the extension of a file they list) that no
    // report lists: their added lines are in no figure (diff-cover leaves them out alike).
    let unlisted = unlisted_sources(&m, cov, patch);
    if !unlisted.is_empty() {
        let added: usize = unlisted.iter().filter_map(|p| patch.files.get(*p)).map(Vec::len).sum();
        counts.push_str(&format!(
            "; not counted, in no coverage report: {} ({added} added line{})",
            super::coverage::shown_list(&unlisted),
            if added == 1 { "" } else { "s" }
        ));
    }
    if let Some(min) = p.min_patch {
        if let Some((why, hint)) = stale_lines(patch, change.stale) {
            out.push(unmeasured(min, why, &hint));
            return Some(m);
        }
        if let Some((why, hint)) = mismatch(&m, change.resolved) {
            out.push(unmeasured(min, why, &hint));
            return Some(m);
        }
        if m.lines.total == 0 && !m.unmeasurable.is_empty() {
            let why =
                format!("the reports hold no per-line data for the changed files ({})", m.unmeasurable.join(", "));
            out.push(unmeasured(min, why, "use a report with per-line data (LCOV, Cobertura, coverage.py JSON…)"));
            return Some(m);
        }
        // Such files alone: coverage.py lists no module the tests never imported, unless told its
        // source. With nothing else measured, the change was not measured at all — where a change
        // of other files (docs, configuration) has nothing to measure.
        if m.lines.total == 0 && !unlisted.is_empty() {
            let why = format!(
                "no coverage report lists the changed source file(s) {} (the reports list files of that kind)",
                unlisted.iter().take(3).copied().collect::<Vec<_>>().join(", ")
            );
            out.push(unmeasured(
                min,
                why,
                "have the coverage tool measure every source file, imported by a test or not (coverage.py: \
                 --cov=PACKAGE or [run] source; nyc: --all; c8: --all; jest: collectCoverageFrom)",
            ));
            return Some(m);
        }
    }
    let Some(exact) = m.lines.percent() else {
        // Code files the change adds lines to that no report lists (a header of a kind the
        // reports do not list, a template nobody instantiates): named, the SKIP says what it left.
        let code: Vec<&str> = adding_unmentioned(&m, patch).filter(|p| crate::paths::is_code(p)).collect();
        let named = if code.is_empty() {
            String::new()
        } else {
            format!("; code in no coverage report: {}", super::coverage::shown_list(&code))
        };
        let msg = format!(
            "the change adds no line the coverage reports measure ({} added lines in {} files{named})",
            m.added,
            patch.files.len()
        );
        out.push(Check::new(codes::PATCH_COVERAGE, TITLE, Outcome::Skipped, msg));
        return Some(m);
    };
    let measured = Measure::percent(round2(exact));
    let Some(min) = p.min_patch else {
        out.push(
            Check::new(
                codes::PATCH_COVERAGE,
                TITLE,
                Outcome::Skipped,
                format!("{TITLE} {} ({counts}); no minimum set ([coverage] min_patch)", measured.show()),
            )
            .measured(measured),
        );
        return Some(m);
    };
    let threshold = Measure::percent(min);
    if exact + 1e-9 >= min {
        out.push(
            Check::new(
                codes::PATCH_COVERAGE,
                TITLE,
                Outcome::Pass,
                format!("{TITLE} {} ≥ {} ({counts})", measured.show(), threshold.show()),
            )
            .measured(measured)
            .threshold(threshold),
        );
        return Some(m);
    }
    let needed = ((min * m.lines.total as f64 / 100.0) - 1e-9).ceil() as u64;
    let short = needed.saturating_sub(m.lines.covered);
    let evidence = uncovered_evidence(&m);
    let small = p.patch_small_change.filter(|&n| m.lines.total < n);
    let (outcome, tail) = match small {
        Some(n) => {
            (Outcome::Warn, format!("; a small change ({} coverable lines, under {n}) only warns", m.lines.total))
        }
        None => (Outcome::Fail, String::new()),
    };
    let check = Check::new(
        codes::PATCH_COVERAGE,
        TITLE,
        outcome,
        format!(
            "{TITLE} {}, need {} minimum: {short} more added lines to cover ({counts}){tail}",
            measured.show(),
            threshold.show()
        ),
    )
    .measured(measured)
    .threshold(threshold)
    .hint(format!("test the added lines listed ({short} more to cover), or waive the check with a reason"))
    .evidence(evidence);
    out.push(check);
    Some(m)
}

/// Changed files a coverage report measures, or would list, that changed after it was written
/// (`coverage-report-stale`): their added lines were written after the tests ran, so no report
/// measured them — the old report's figures for those line numbers are of the code before (a
/// report restored from an earlier run, the tests not run again after an edit). The diagnosis
/// and the fix.
fn stale_lines(patch: &PatchInput, stale: &[super::StaleReport]) -> Option<(String, String)> {
    let mut hit: Vec<(&str, &str)> = Vec::new();
    for r in stale {
        let past_end = r.past_end.iter().map(|p| p.path.as_str());
        for f in r.newer.iter().chain(&r.unlisted).map(String::as_str).chain(past_end) {
            if patch.files.contains_key(f) && !hit.iter().any(|(p, _)| *p == f) {
                hit.push((f, r.report.as_str()));
            }
        }
    }
    let (first, report) = *hit.first()?;
    let added: usize = hit.iter().filter_map(|(p, _)| patch.files.get(*p)).map(Vec::len).sum();
    let files: Vec<&str> = hit.iter().map(|(p, _)| *p).collect();
    let lines = format!("{added} added line{}", if added == 1 { "" } else { "s" });
    let edited = match files.as_slice() {
        [_] => format!("{first}, which the change edits ({lines})"),
        _ => format!("{} files the change edits ({}; {lines})", files.len(), super::coverage::shown_list(&files)),
    };
    let why = format!("{report} is older than {edited}: the tests ran before those lines were written");
    Some((
        why,
        "run the tests with coverage again on this code, then gate (a rebase, a pull or a checkout after the test \
         run rewrites files: newer than the report even when their bytes are the ones tested; in CI, `temis ci \
         <platform>` judges a fresh checkout's files by their bytes, not their times; `[reports] stale = \"off\"` \
         judges by the old report all the same)"
            .to_string(),
    ))
}

/// Added lines that could not be matched to the coverage reports because the reports' paths are
/// not the repository's: changed files no report mentions, while report paths match no file of
/// the repository (the same file name on both sides, or nothing matched at all). The diagnosis
/// and the fix.
fn mismatch(m: &PatchCoverage, resolved: &[Resolved]) -> Option<(String, String)> {
    let strays: Vec<&str> = resolved
        .iter()
        .flat_map(|r| r.unmatched.iter().map(String::as_str).chain(r.ambiguous.iter().map(|(p, _)| p.as_str())))
        .collect();
    if strays.is_empty() || m.unmentioned.is_empty() {
        return None;
    }
    let name = |p: &str| p.rsplit('/').next().unwrap_or(p).to_string();
    let pairs: Vec<(&str, &str)> = m
        .unmentioned
        .iter()
        .filter_map(|changed| strays.iter().find(|s| name(s) == name(changed)).map(|s| (*s, changed.as_str())))
        .collect();
    if pairs.is_empty() && m.lines.total > 0 {
        return None;
    }
    let shown: Vec<&str> = strays.iter().take(3).copied().collect();
    let why = format!(
        "{} changed file(s) are in no coverage report, while {} report path(s) match no file of the repository ({}{})",
        m.unmentioned.len(),
        strays.len(),
        shown.join(", "),
        if strays.len() > 3 { ", …" } else { "" }
    );
    let candidates =
        |p: &str| resolved.iter().flat_map(|r| r.ambiguous.iter()).find(|(a, _)| a == p).map(|(_, c)| c.join(" or "));
    let hint = match pairs.first() {
        Some((report, changed)) if report == changed && candidates(report).is_some() => format!(
            "the report names {report}, which could be {}: a package's report names its files from the package \
             — judge it with --root at the package, or say which with --map",
            candidates(report).unwrap_or_default()
        ),
        Some((report, changed)) => {
            let fix = crate::paths::resolve::suggestion(report, &[changed.to_string()])
                .unwrap_or_else(|| format!("--map with the folder {report} was written from"));
            format!("the report names {report} where the repository has {changed}: {fix}")
        }
        None => format!(
            "the changed files are {}; make the report's paths the repository's with --strip-prefix or --map",
            m.unmentioned.iter().take(3).cloned().collect::<Vec<_>>().join(", ")
        ),
    };
    Some((why, hint))
}

/// The changed source files no report lists ([`Coverage::unlisted_sources`]) that add
/// lines (a change of tests alone has nothing to measure).
fn unlisted_sources<'a>(m: &'a PatchCoverage, cov: &Coverage, patch: &'a PatchInput) -> Vec<&'a str> {
    cov.unlisted_sources(adding_unmentioned(m, patch))
}

/// The changed files no coverage report mentions that the change adds lines to.
fn adding_unmentioned<'a>(m: &'a PatchCoverage, patch: &'a PatchInput) -> impl Iterator<Item = &'a str> {
    m.unmentioned.iter().map(String::as_str).filter(|p| patch.files.get(*p).is_some_and(|a| !a.is_empty()))
}

/// Each file with uncovered added lines, worst first, with their ranges.
fn uncovered_evidence(m: &PatchCoverage) -> Vec<Evidence> {
    let mut files: Vec<&FilePatch> = m.files.iter().filter(|f| f.lines.missed() > 0).collect();
    files.sort_by(|a, b| b.lines.missed().cmp(&a.lines.missed()).then_with(|| a.path.cmp(&b.path)));
    files
        .into_iter()
        .map(|f| Evidence {
            path: Some(f.path.clone()),
            line: f.uncovered.first().map(|r| r.0),
            text: format!(
                "{} of {} added lines uncovered: {}",
                f.lines.missed(),
                f.lines.total,
                show_ranges(&f.uncovered)
            ),
        })
        .collect()
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The ratchet: project line coverage may not fall more than `max_drop` points below the base's
/// recorded figure. Figures are compared as shown (two decimals), so float noise is no drop.
pub(super) fn ratchet(p: &CoveragePolicy, baseline: Option<&Baseline>, figures: &Figures, out: &mut Vec<Check>) {
    const TITLE: &str = "Coverage ratchet";
    let Some(max) = p.max_drop else { return };
    let threshold = Measure { value: max, unit: "points" };
    let skip = |msg: String| Check::new(codes::RATCHET_DROP, TITLE, Outcome::Skipped, msg).threshold(threshold);
    let (commit, base) = match baseline {
        None => return out.push(skip("no base to compare with: give --base REF".into())),
        Some(Baseline::Missing { commit }) => {
            return out.push(
                Check::new(
                    codes::RATCHET_NO_BASE,
                    TITLE,
                    Outcome::Skipped,
                    format!("no figures recorded for the base commit {}: nothing to hold this change against", short(commit)),
                )
                .hint("record them where the base is built (CI on the main branch): temis gate --record, then git push origin refs/notes/temis"),
            );
        }
        Some(Baseline::Recorded { commit, figures }) => (commit, figures),
    };
    let (Some(was), Some(now)) = (base.line_coverage, figures.line_coverage) else {
        return out.push(skip(format!("no line coverage figure on one side (base {})", short(commit))));
    };
    let drop = round2(round2(was) - round2(now));
    let measured = Measure { value: drop.max(0.0), unit: "points" };
    let shown = format!("line coverage {} % at base {}, {} % now", trim_number(was), short(commit), trim_number(now));
    if drop <= max + 1e-9 {
        let msg = if drop > 0.0 {
            format!("{TITLE}: {shown}: fell {}, at most {} allowed", points(drop), points(max))
        } else {
            format!("{TITLE}: {shown}")
        };
        out.push(Check::new(codes::RATCHET_DROP, TITLE, Outcome::Pass, msg).measured(measured).threshold(threshold));
        return;
    }
    out.push(
        Check::new(
            codes::RATCHET_DROP,
            TITLE,
            Outcome::Fail,
            format!("{TITLE}: {shown}: fell {}, at most {} allowed", points(drop), points(max)),
        )
        .measured(measured)
        .threshold(threshold)
        .hint("cover the code this change added or made unreachable by tests, or raise max_drop"),
    );
}

/// `1 point`, `0.5 points`.
fn points(x: f64) -> String {
    let n = trim_number(x);
    if n == "1" { "1 point".to_string() } else { format!("{n} points") }
}

fn short(sha: &str) -> &str {
    sha.get(..10).unwrap_or(sha)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CoverageBuilder, LineBits};

    fn cov(files: &[(&str, &[(u32, bool)])]) -> Coverage {
        let mut b = CoverageBuilder::new();
        for (path, lines) in files {
            let mut bits = LineBits::new();
            for &(l, h) in *lines {
                bits.set(l, h);
            }
            b.add(FileCoverage {
                path: path.to_string(),
                lines: Counts::new(bits.coverable_count(), bits.covered_count()),
                line_bits: Some(bits),
                ..FileCoverage::default()
            });
        }
        b.finish()
    }

    fn patch(files: &[(&str, &[u32])]) -> PatchInput {
        PatchInput { base: "main".into(), files: files.iter().map(|(p, l)| (p.to_string(), l.to_vec())).collect() }
    }

    #[test]
    fn only_added_lines_the_reports_know_count() {
        let c = cov(&[("a.py", &[(1, true), (2, false), (3, true), (10, false)]), ("b.py", &[(1, true)])]);
        let p = patch(&[("a.py", &[2, 3, 4, 5]), ("b.py", &[7]), ("new.md", &[1, 2])]);
        let m = measure(&p, &c);
        assert_eq!(m.lines, Counts::new(2, 1));
        assert_eq!(m.files.len(), 1);
        assert_eq!(m.files[0].uncovered, vec![(2, 2)]);
        assert_eq!(m.added, 7);
    }

    fn run(policy: &CoveragePolicy, p: &PatchInput, c: &Coverage) -> Check {
        let mut out = Vec::new();
        checks(
            policy,
            Change { patch: Some(p), unavailable: None, resolved: &[], stale: &[] },
            Some(c),
            &mut out,
            &mut Figures::default(),
        );
        out.pop().unwrap()
    }

    #[test]
    fn uncovered_added_lines_fold_into_ranges_per_file() {
        let c = cov(&[("src/a.py", &[(2, true), (3, false), (4, false), (7, false), (9, true)])]);
        let m = measure(&patch(&[("src/a.py", &[1, 2, 3, 4, 7, 8]), ("README.md", &[1])]), &c);
        assert_eq!((m.lines.covered, m.lines.total, m.unmentioned.len()), (1, 4, 1));
        assert_eq!(m.uncovered().collect::<Vec<_>>(), vec![("src/a.py", &[(3, 4), (7, 7)][..])]);
        assert_eq!((m.base.as_str(), m.uncovered_lines()), ("main", 3));
    }

    #[test]
    fn below_minimum_fails_with_ranges_unless_the_change_is_small() {
        let c = cov(&[("a.py", &[(1, true), (2, false), (3, false), (4, false), (9, true)])]);
        let p = patch(&[("a.py", &[1, 2, 3, 4, 9])]);
        let policy = CoveragePolicy { min_patch: Some(80.0), ..CoveragePolicy::default() };
        let check = run(&policy, &p, &c);
        assert_eq!(check.outcome, Outcome::Fail);
        assert_eq!(check.measured, Some(Measure::percent(40.0)));
        assert!(check.message.contains("2 more added lines"), "{}", check.message);
        assert_eq!(check.evidence[0].text, "3 of 5 added lines uncovered: 2-4");
        let small = CoveragePolicy { patch_small_change: Some(20), ..policy.clone() };
        assert_eq!(run(&small, &p, &c).outcome, Outcome::Warn);
        let low = CoveragePolicy { min_patch: Some(40.0), ..policy };
        assert_eq!(run(&low, &p, &c).outcome, Outcome::Pass);
    }

    /// A change that adds only an untested module, which coverage.py (run without `--cov=pkg`)
    /// does not list: patch coverage was skipped and the gate approved. A change of docs alone
    /// has nothing to measure.
    #[test]
    fn a_change_only_in_source_files_no_report_lists_is_unmeasured() {
        let c = cov(&[("pkg/a.py", &[(1, true)])]);
        let policy = CoveragePolicy { min_patch: Some(80.0), ..CoveragePolicy::default() };
        let check = run(&policy, &patch(&[("pkg/newmod.py", &[1, 2, 3, 4]), ("README.md", &[1])]), &c);
        assert_eq!((check.code, check.outcome), (codes::PATCH_UNMEASURED, Outcome::Fail), "{check:?}");
        assert!(check.message.contains("pkg/newmod.py") && !check.message.contains("README"), "{}", check.message);
        let docs = run(&policy, &patch(&[("README.md", &[1]), ("docs/x.rst", &[3])]), &c);
        assert_eq!((docs.code, docs.outcome), (codes::PATCH_COVERAGE, Outcome::Skipped), "{docs:?}");
        // Beside lines that are measured, the change is measured as diff-cover measures it.
        let both = run(&policy, &patch(&[("pkg/a.py", &[1]), ("pkg/newmod.py", &[1])]), &c);
        assert_eq!(both.outcome, Outcome::Pass, "{both:?}");
    }

    /// A changed file whose report holds only totals is not counted: a pass says so, where it
    /// said nothing and the figure read as the whole change's.
    #[test]
    fn a_pass_names_the_changed_files_it_could_not_count() {
        let mut c = cov(&[("a.py", &[(1, true), (2, true)])]);
        c.files.push(FileCoverage { path: "b.py".into(), lines: Counts::new(3, 0), ..FileCoverage::default() });
        let policy = CoveragePolicy { min_patch: Some(80.0), ..CoveragePolicy::default() };
        let check = run(&policy, &patch(&[("a.py", &[1, 2]), ("b.py", &[1, 2, 3])]), &c);
        assert_eq!(check.outcome, Outcome::Pass);
        assert!(check.message.contains("not counted, no per-line data in the reports: b.py"), "{}", check.message);
    }

    /// A change to a measured file and to a source file no report lists (a module the tests never
    /// imported): the figure is the measured file's, as diff-cover's is, and the row says which
    /// added lines it leaves out, where it read as the whole change's.
    #[test]
    fn a_pass_names_the_changed_source_files_no_report_lists() {
        let c = cov(&[("a.py", &[(1, true), (2, true)])]);
        let policy = CoveragePolicy { min_patch: Some(80.0), ..CoveragePolicy::default() };
        let changed: [(&str, &[u32]); 4] =
            [("a.py", &[1, 2]), ("new.py", &[1, 2, 3, 4]), ("README.md", &[1]), ("tests/test_a.py", &[1])];
        let check = run(&policy, &patch(&changed), &c);
        assert_eq!(check.outcome, Outcome::Pass);
        assert!(
            check.message.contains("not counted, in no coverage report: new.py (4 added lines)"),
            "{}",
            check.message
        );
        // Neither other kinds of file nor tests, which coverage tools are commonly told to omit.
        assert!(!check.message.contains("README.md") && !check.message.contains("test_a"), "{}", check.message);
    }

    /// A change of tests alone, the tests left out of coverage (`omit = tests/*`): nothing to
    /// measure, as a change of docs has nothing — not a patch that could not be measured.
    #[test]
    fn a_change_of_tests_alone_has_nothing_to_measure() {
        let c = cov(&[("a.py", &[(1, true)])]);
        let policy = CoveragePolicy { min_patch: Some(80.0), ..CoveragePolicy::default() };
        let check = run(&policy, &patch(&[("tests/test_a.py", &[1, 2, 3])]), &c);
        assert_eq!((check.code, check.outcome), (codes::PATCH_COVERAGE, Outcome::Skipped), "{check:?}");
    }

    /// Source in a folder named as tests are (`spec/`, Django's `test/`) is no test: a change of it
    /// alone, in no report, could not be measured (a guess by folder approved it).
    #[test]
    fn a_source_file_in_a_spec_folder_is_not_taken_for_a_test() {
        let c = cov(&[("a.py", &[(1, true)])]);
        let policy = CoveragePolicy { min_patch: Some(80.0), ..CoveragePolicy::default() };
        for path in ["src/spec/parser.py", "django/test/client.py"] {
            let check = run(&policy, &patch(&[(path, &[1, 2, 3])]), &c);
            assert_eq!((check.code, check.outcome), (codes::PATCH_UNMEASURED, Outcome::Fail), "{path}: {check:?}");
        }
    }

    /// A report path left as the report wrote it (absolute, or from another folder) lists the
    /// repository file it ends with: that file is not named as in no report.
    #[test]
    fn a_report_path_left_absolute_lists_the_file_it_ends_with() {
        let c = cov(&[("/ci/src/pay/a.py", &[(1, true)]), ("../src/pay/b.py", &[(1, true)])]);
        let candidates = ["src/pay/a.py", "src/pay/b.py", "src/pay/c.py"];
        assert_eq!(c.unlisted_sources(candidates.into_iter()), ["src/pay/c.py"]);
    }

    #[test]
    fn nothing_coverable_added_is_skipped_not_failed() {
        let c = cov(&[("a.py", &[(1, true)])]);
        let policy = CoveragePolicy { min_patch: Some(80.0), ..CoveragePolicy::default() };
        assert_eq!(run(&policy, &patch(&[("README.md", &[1])]), &c).outcome, Outcome::Skipped);
    }

    #[test]
    fn the_ratchet_blocks_a_drop_past_max_drop_and_not_a_missing_base() {
        let policy = CoveragePolicy { max_drop: Some(0.5), ..CoveragePolicy::default() };
        let now = Figures { line_coverage: Some(80.0), ..Figures::default() };
        let base = |pct| Baseline::Recorded {
            commit: "abcdef1234567".into(),
            figures: Recorded { line_coverage: Some(pct), ..Recorded::default() },
        };
        let judge = |b: Option<&Baseline>| {
            let mut out = Vec::new();
            ratchet(&policy, b, &now, &mut out);
            out.pop().unwrap()
        };
        assert_eq!(judge(Some(&base(80.5))).outcome, Outcome::Pass);
        assert_eq!(judge(Some(&base(80.5000001))).outcome, Outcome::Pass, "jitter below the shown precision");
        let fail = judge(Some(&base(81.0)));
        assert_eq!(fail.outcome, Outcome::Fail);
        assert!(fail.message.contains("fell 1 point, at most 0.5 points allowed"), "{}", fail.message);
        let missing = judge(Some(&Baseline::Missing { commit: "abc".into() }));
        assert_eq!((missing.outcome, missing.code), (Outcome::Skipped, codes::RATCHET_NO_BASE));
    }
}
