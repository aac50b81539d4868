//! Coverage checks: project line and branch minimums, a cap on uncovered lines, per-path rules.

use super::Searched;
use super::codes;
use super::verdict::{Check, Evidence, Figures, Measure, Outcome};
use crate::model::show_ranges;
use crate::model::{Counts, Coverage, CoverageBuilder, FileCoverage, Rounding, Unit};
use crate::policy::{CoveragePolicy, Stale};

/// All coverage reports as one project: the one report, or the merge of several
/// ([`super::Inputs::combined_coverage`], made as `temis merge` makes it). Several reports
/// without their merge (inputs built by hand) are unioned line by line, their other figures
/// summed.
pub(super) fn combine(inputs: &super::Inputs) -> Option<Coverage> {
    let mut project = merged(inputs)?;
    // A report whose branch figure is not its producer's makes the project's none, and that of
    // every path rule holding one of its files.
    let unlike = inputs.coverage.iter().filter(|(_, c)| c.branches_unlike_producer.is_some());
    project.branches_unlike_producer =
        unlike.clone().find_map(|(r, c)| c.branches_unlike_producer.as_ref().map(|why| format!("{}: {why}", r.path)));
    project.branches_unlike_files = unlike.flat_map(|(_, c)| c.files.iter().map(|f| f.path.clone())).collect();
    Some(project)
}

fn merged(inputs: &super::Inputs) -> Option<Coverage> {
    match (&inputs.combined_coverage, inputs.coverage.as_slice()) {
        (_, []) => None,
        (_, [(_, only)]) => Some(only.clone()),
        (Some(combined), _) => Some(combined.clone()),
        (None, many) => {
            let mut b = CoverageBuilder::new();
            for (_, c) in many {
                for f in &c.files {
                    b.add(f.clone());
                }
            }
            let mut all = b.finish();
            let first = many[0].1.rounding;
            all.rounding = if many.iter().all(|(_, c)| c.rounding == first) { first } else { Rounding::Nearest };
            let unit = many[0].1.unit;
            all.unit = if many.iter().all(|(_, c)| c.unit == unit) { unit } else { Unit::Lines };
            Some(all)
        }
    }
}

/// Coverage reports written before files they measure last changed: their figures are of other
/// code. A warning, or a failure with `[reports] stale = "block"`.
pub(super) fn stale(policy: Stale, reports: &[super::StaleReport], out: &mut Vec<Check>) {
    if policy == Stale::Off {
        return;
    }
    for r in reports {
        let outcome = if policy == Stale::Block { Outcome::Fail } else { Outcome::Warn };
        let list = |paths: &[String]| shown_list(&paths.iter().map(String::as_str).collect::<Vec<_>>());
        let mut said = Vec::new();
        if !r.newer.is_empty() {
            said.push(format!(
                "{} is older than {} file(s) it measures ({}): its figures are of other code",
                r.report,
                r.newer.len(),
                list(&r.newer)
            ));
        }
        if !r.unlisted.is_empty() {
            said.push(format!(
                "{} is older than {} source file(s) in folders it measures that it does not list ({}): the tests \
                 ran before they were written, and no figure holds them",
                r.report,
                r.unlisted.len(),
                list(&r.unlisted)
            ));
        }
        if r.undated {
            said.push(format!(
                "{} is committed, and the commit that made it is not in this clone (a shallow one): whether code \
                 changed since cannot be told (fetch the history: `git fetch --unshallow`, or `fetch-depth: 0`)",
                r.report
            ));
        }
        if !r.past_end.is_empty() {
            said.push(format!(
                "{} measures lines past the end of {} file(s) ({}): it is of another version of them",
                r.report,
                r.past_end.len(),
                list(&r.past_end.iter().map(ToString::to_string).collect::<Vec<_>>())
            ));
        }
        let evidence = r
            .newer
            .iter()
            .map(|p| (p, "changed after"))
            .chain(r.unlisted.iter().map(|p| (p, "written after, and not in")))
            .take(10)
            .map(|(p, how)| Evidence { path: Some(p.clone()), line: None, text: format!("{p} {how} {}", r.report) })
            .collect();
        out.push(
            Check::new(codes::COVERAGE_STALE, "Coverage report age", outcome, said.join("; "))
                .hint("run the tests with coverage again on this code (after a checkout, a pull or an edit)")
                .evidence(evidence),
        );
    }
}

/// Files outside the repository in reports that also measure the repository's own (`foreign`,
/// as the reports write them): counted in the project figure, as the producer counts them, and
/// said. Where `min_line` is met only with them (the repository's own files are below it), the
/// check fails: the figure the gate passed was of other code.
pub(super) fn foreign(p: &CoveragePolicy, cov: Option<&Coverage>, foreign: &[String], out: &mut Vec<Check>) {
    let Some(cov) = cov.filter(|_| !foreign.is_empty()) else { return };
    let set: std::collections::HashSet<&str> = foreign.iter().map(String::as_str).collect();
    let mut theirs = Counts::default();
    let mut all = Vec::new();
    for f in cov.files.iter().filter(|f| set.contains(f.path.as_str())) {
        theirs.add(f.lines);
        all.push(f.path.clone());
    }
    let examples: Vec<&str> = all.iter().take(3).map(String::as_str).collect();
    if theirs.total == 0 {
        return;
    }
    let own = Counts {
        total: cov.lines.total.saturating_sub(theirs.total),
        covered: cov.lines.covered.saturating_sub(theirs.covered),
    };
    let unit = cov.unit.plural();
    let own_shown = Measure::percent(cov.rounding.percent(own).unwrap_or(0.0));
    let more = if all.len() > examples.len() { ", …" } else { "" };
    let said = format!(
        "the coverage counts {} file(s) that are not this repository's ({}{more}): {} of its {} {unit} are \
         theirs; the repository's own files: {} of {} {unit} covered ({})",
        all.len(),
        examples.join(", "),
        theirs.total,
        cov.lines.total,
        own.covered,
        own.total,
        own_shown.show()
    );
    let met_by_theirs = p.min_line.is_some_and(|min| {
        let own_exact = own.percent().unwrap_or(0.0);
        let all_exact = cov.lines.percent().unwrap_or(0.0);
        own_exact + 1e-9 < min && all_exact + 1e-9 >= min
    });
    let (outcome, message) = if met_by_theirs {
        (Outcome::Fail, format!("{said}: min_line is met only with files of other code"))
    } else {
        (Outcome::Warn, said)
    };
    out.push(
        Check::new(codes::COVERAGE_UNMATCHED, "Coverage of other code", outcome, message)
            // Every one of them: a waiver excuses the row only when its paths cover them all.
            .subjects(all)
            .hint(
                "leave them out of the coverage run (coverage.py --omit or [run] source, lcov --remove, \
                 collectCoverageFrom), or map them to the repository's files with --map FROM=TO",
            ),
    );
}

/// Coverage reports of other code: not one of their files is a file of the repository, so their
/// figures cannot be this project's. Always a failure: the gate does not judge coverage on them.
pub(super) fn unmatched(reports: &[super::UnmatchedReport], out: &mut Vec<Check>) {
    for r in reports {
        let shown = r.examples.join(", ");
        let more = if r.files > r.examples.len() { ", …" } else { "" };
        let hint = match &r.hint {
            Some(s) => format!("{s}; or run the gate at the root of the repository the report was made for (--root)"),
            None => "run the gate at the root of the repository the report was made for (--root), or make the \
                     report's paths the repository's with --strip-prefix or --map FROM=TO"
                .to_string(),
        };
        let (message, hint) = match r.files {
            n if r.classes => (
                format!(
                    "{} names {n} class(es) and none has a source file of its name in this repository \
                     ({shown}{more}): its figures are of other code",
                    r.report
                ),
                "run the gate at the root of the repository the report was made for (--root); JaCoCo's CSV names \
                 classes, not files, and a class is matched to a source file of its name anywhere in the \
                 repository (App.java, App.kt, App.groovy, App.scala)"
                    .to_string(),
            ),
            0 => (
                format!("{} gives totals and names no file: nothing ties its figures to this repository", r.report),
                "write the report with its files, as its producer does by default".to_string(),
            ),
            n => (
                format!(
                    "{} names {n} file(s) and none is a file of this repository ({shown}{more}): its figures are \
                     of other code",
                    r.report
                ),
                hint,
            ),
        };
        out.push(
            Check::new(codes::COVERAGE_UNMATCHED, "Coverage report", Outcome::Fail, message)
                .subjects(vec![r.report.clone()])
                .hint(hint),
        );
    }
}

pub(super) fn checks(
    p: &CoveragePolicy,
    cov: Option<&Coverage>,
    searched: &Searched,
    resolved: &[crate::paths::resolve::Resolved],
    rule_files: &[String],
    out: &mut Vec<Check>,
    figures: &mut Figures,
) {
    let Some(cov) = cov else {
        if p.required {
            out.push(
                Check::new(codes::COVERAGE_MISSING, "Coverage report", Outcome::Fail, "no coverage report was found")
                    .hint(format!(
                        "looked for {}; run the tests with coverage, name the report on the command line, or set \
                         [reports] coverage in temis.toml ([coverage] required = false turns this off)",
                        searched_list(&searched.coverage)
                    )),
            );
        } else {
            out.push(Check::new(
                codes::COVERAGE_MISSING,
                "Coverage",
                Outcome::Skipped,
                "no coverage report (not required)",
            ));
        }
        return;
    };
    figures.lines_total = Some(cov.lines.total);
    figures.lines_covered = Some(cov.lines.covered);
    figures.line_coverage = cov.lines.percent();
    // A branch figure that is not the producer's is not published either.
    figures.branch_coverage = cov.branches.and_then(Counts::percent).filter(|_| cov.branches_unlike_producer.is_none());
    if cov.lines.total == 0 {
        out.push(
            Check::new(
                codes::COVERAGE_EMPTY,
                "Line coverage",
                Outcome::Fail,
                "the coverage reports hold nothing coverable",
            )
            .hint("check what the coverage run measured (--cov=PACKAGE, collectCoverageFrom, the report's paths)"),
        );
        return;
    }
    let unit = cov.unit;
    let worst = worst_files(cov.files.iter(), cov.rounding, unit);
    let subjects = missed_paths(cov.files.iter());
    // Read and held to no figure: a row says so, never a silent approval of any percentage.
    if !p.sets_threshold() {
        let measured = Measure::percent(cov.rounding.percent(cov.lines).unwrap_or(0.0));
        out.push(
            Check::new(
                codes::COVERAGE_LINE,
                unit.title(),
                Outcome::Skipped,
                format!(
                    "{} {} ({} of {} {} covered), not judged: [coverage] sets no threshold",
                    unit.title(),
                    measured.show(),
                    cov.lines.covered,
                    cov.lines.total,
                    unit.plural()
                ),
            )
            .measured(measured)
            .hint("set [coverage] min_line (or min_branch, max_uncovered_lines, paths, min_patch)"),
        );
    }
    if let Some(min) = p.min_line {
        let mut check =
            minimum(codes::COVERAGE_LINE, unit.title(), unit.plural(), cov.lines, min, cov.rounding, worst.clone())
                .subjects(subjects.clone());
        if let Some(total) = cov.coveragepy_total() {
            // coverage.py's TOTAL with branches, beside the statement figure the minimum holds.
            check
                .message
                .push_str(&format!("; coverage.py's total with branches: {} %", super::verdict::trim_number(total)));
        }
        if p.min_line_default && check.outcome == Outcome::Fail {
            let hint = check.hint.take().unwrap_or_default();
            check.hint = Some(format!(
                "{hint} ({} % is the embedded default's, which a [coverage] table that leaves min_line out keeps: \
                 `min_line = N` sets another, `min_line = 0` none)",
                super::verdict::trim_number(min)
            ));
        }
        out.push(check);
    }
    if let Some(min) = p.min_branch {
        match cov.branches {
            _ if cov.branches_unlike_producer.is_some() => out.push(unmeasurable("Branch coverage", min, cov)),
            Some(b) if b.total > 0 => out.push(minimum(
                codes::COVERAGE_BRANCH,
                "Branch coverage",
                "branches",
                b,
                min,
                cov.rounding,
                worst_branch_files(cov.files.iter(), cov.rounding),
            )),
            // A minimum nothing measured is never met: approving it would say branches were
            // checked.
            _ => out.push(
                Check::new(
                    codes::COVERAGE_BRANCH,
                    "Branch coverage",
                    Outcome::Fail,
                    "no report measured branches: min_branch cannot be met",
                )
                .threshold(Measure::percent(min))
                .hint(BRANCH_HINT),
            ),
        }
    }
    if let Some(max) = p.max_uncovered_lines {
        let title = format!("Uncovered {}", unit.plural());
        out.push(cap(codes::COVERAGE_UNCOVERED, &title, cov.lines, max, unit, worst).subjects(subjects.clone()));
    }
    for rule in &p.paths {
        let files: Vec<&FileCoverage> = cov.files.iter().filter(|f| rule.matcher.is_match(&f.path)).collect();
        let title = format!("Coverage of {}", rule.glob);
        // Source files of the repository the glob matches that no report lists (a module no test
        // imported): in no figure, said on each of the rule's rows, a pass included.
        let unlisted = cov.unlisted_sources(rule_files.iter().map(String::as_str).filter(|f| rule.matcher.is_match(f)));
        let rows = out.len();
        // A report path several repository files end with, one of them the rule's: kept as
        // written, it matched no glob, and the rule was judged without it (a package's
        // `SF:src/index.js` beside another package's `src/index.js`).
        let placeless: Vec<&str> = resolved
            .iter()
            .flat_map(|r| r.ambiguous.iter())
            .filter(|(_, candidates)| candidates.iter().any(|c| rule.matcher.is_match(c)))
            .map(|(path, _)| path.as_str())
            .collect();
        if let Some(first) = placeless.first() {
            out.push(
                Check::new(
                    codes::COVERAGE_PATH_UNMATCHED,
                    title,
                    Outcome::Fail,
                    format!(
                        "{} report path(s) may be files of {} but name several repository files ({first}{}): the \
                         rule cannot be judged without them",
                        placeless.len(),
                        rule.glob,
                        if placeless.len() > 1 { ", …" } else { "" }
                    ),
                )
                .hint("make the report's paths the repository's with --strip-prefix or --map (a package's report: --map with its folder)"),
            );
            continue;
        }
        if files.is_empty() {
            out.push(
                Check::new(
                    codes::COVERAGE_PATH_UNMATCHED,
                    title,
                    Outcome::Fail,
                    format!("no file in the reports matches {}", rule.glob),
                )
                .hint("check the glob, or map the report's paths with --root, --strip-prefix or --map"),
            );
            continue;
        }
        let mut lines = Counts::default();
        let mut branches: Option<Counts> = None;
        for f in &files {
            lines.add(f.lines);
            crate::model::add_counts(&mut branches, f.branches);
        }
        let worst = worst_files(files.iter().copied(), cov.rounding, unit);
        let subjects = missed_paths(files.iter().copied());
        let named = |label: &str| format!("{label} of {}", rule.glob);
        if let Some(min) = rule.min_line {
            out.push(minimum(
                codes::COVERAGE_PATH,
                &named(unit.title()),
                unit.plural(),
                lines,
                min,
                cov.rounding,
                worst.clone(),
            ));
        }
        if let Some(min) = rule.min_branch {
            out.push(match branches.filter(|b| b.total > 0) {
                _ if cov.branches_unlike_producer.is_some()
                    && files.iter().any(|f| cov.branches_unlike_files.contains(&f.path)) =>
                {
                    unmeasurable(&named("Branch coverage"), min, cov)
                }
                Some(b) => minimum(
                    codes::COVERAGE_PATH,
                    &named("Branch coverage"),
                    "branches",
                    b,
                    min,
                    cov.rounding,
                    worst_branch_files(files.iter().copied(), cov.rounding),
                ),
                None => Check::new(
                    codes::COVERAGE_PATH,
                    named("Branch coverage"),
                    Outcome::Fail,
                    format!("no report measured the branches of {}: min_branch cannot be met", rule.glob),
                )
                .threshold(Measure::percent(min))
                .hint(BRANCH_HINT),
            });
        }
        if let Some(max) = rule.max_uncovered_lines {
            let title = named(&format!("Uncovered {}", unit.plural()));
            out.push(cap(codes::COVERAGE_PATH, &title, lines, max, unit, worst).subjects(subjects));
        }
        if !unlisted.is_empty() {
            let note = format!("; in no coverage report, so in no figure: {}", shown_list(&unlisted));
            for row in &mut out[rows..] {
                row.message.push_str(&note);
            }
        }
    }
}

/// The first three of `paths`, then how many more.
pub(super) fn shown_list(paths: &[&str]) -> String {
    let first = paths.iter().take(3).copied().collect::<Vec<_>>().join(", ");
    match paths.len() {
        n if n > 3 => format!("{first} and {} more", n - 3),
        _ => first,
    }
}

/// `min_branch` met on a project whose reports do not all measure branches (a Go cover profile
/// beside coverage.py's `--branch` report): the figure is of the others' files only, and the
/// check fails, naming the reports that measure none. It approved 100 % with half the code's
/// branches never measured.
pub(super) fn branchless(p: &CoveragePolicy, reports: &[(super::ReportRef, Coverage)], out: &mut [Check]) {
    if p.min_branch.is_none() {
        return;
    }
    let without: Vec<&(super::ReportRef, Coverage)> =
        reports.iter().filter(|(_, c)| c.branches.is_none() && c.lines.total > 0).collect();
    if without.is_empty() || without.len() == reports.len() {
        return;
    }
    let none: Vec<&str> = without.iter().map(|(r, _)| r.path.as_str()).collect();
    let files: usize = without.iter().map(|(_, c)| c.files.len()).sum();
    for c in out.iter_mut().filter(|c| c.code == codes::COVERAGE_BRANCH && c.outcome != Outcome::Fail) {
        c.outcome = Outcome::Fail;
        c.message.push_str(&format!(
            "; but {} measure(s) no branch: the figure leaves their {files} file(s) out, so min_branch is not met by \
             the project",
            shown_list(&none)
        ));
        c.hint = Some(
            "hold the code whose reports measure branches to a [[coverage.paths]] min_branch of its folders, or have \
             every coverage tool measure branches"
                .into(),
        );
    }
}

/// A branch minimum on a report whose branch figure is not its producer's
/// ([`Coverage::branches_unlike_producer`]): not judged, and failed.
fn unmeasurable(title: &str, min: f64, cov: &Coverage) -> Check {
    let why = cov.branches_unlike_producer.as_deref().unwrap_or_default();
    Check::new(codes::COVERAGE_BRANCH_UNMEASURABLE, title, Outcome::Fail, format!("min_branch cannot be judged: {why}"))
        .threshold(Measure::percent(min))
        .hint(
            "give the gate the same run in a format that keeps the producer's branch figure (gcovr --cobertura \
         coverage.xml, or gcovr --json coverage.json) instead of the LCOV",
        )
}

/// What to do when `min_branch` finds no branch measured.
const BRANCH_HINT: &str = "turn on branch measurement (pytest --cov-branch, branch = true in .coveragerc, \
     nyc/c8 do by default), or remove min_branch: the reports read measure no branch";

/// A `covered/total ≥ min %` check. Compares the exact ratio; shows the producer's rounding.
fn minimum(
    code: &'static str,
    title: &str,
    unit: &str,
    c: Counts,
    min: f64,
    rounding: Rounding,
    worst: Vec<Evidence>,
) -> Check {
    let exact = c.percent().unwrap_or(0.0);
    let shown = rounding.percent(c).unwrap_or(0.0);
    let mut measured = Measure::percent(shown);
    let threshold = Measure::percent(min);
    let counts = format!("{} of {} {unit} covered", c.covered, c.total);
    if exact + 1e-9 >= min {
        return Check::new(
            code,
            title,
            Outcome::Pass,
            format!("{title} {} ≥ {} ({counts})", measured.show(), threshold.show()),
        )
        .measured(measured)
        .threshold(threshold);
    }
    // Rounded as the producer prints it, a figure just below the minimum reads as the minimum
    // ("80 %, need 80 %"): shown truncated to the decimals that keep it below.
    let mut figure = measured.show();
    if shown >= min {
        let (below, decimals) = (2..=9)
            .map(|d| {
                let scale = 10f64.powi(d);
                ((exact * scale).floor() / scale, d as usize)
            })
            .find(|(v, _)| *v < min)
            .unwrap_or((exact, 9));
        measured = Measure::percent(Rounding::Floor.percent(c).unwrap_or(0.0));
        figure = format!("{} %", format!("{below:.decimals$}").trim_end_matches('0').trim_end_matches('.'));
    }
    let needed = ((min * c.total as f64 / 100.0) - 1e-9).ceil() as u64;
    let short = needed.saturating_sub(c.covered);
    let plural = unit;
    let unit = match (short, unit) {
        (1, "branches") => "branch",
        (1, u) => u.trim_end_matches('s'),
        (_, u) => u,
    };
    Check::new(
        code,
        title,
        Outcome::Fail,
        format!("{title} {figure}, need {} minimum: {short} more {unit} to cover ({counts})", threshold.show()),
    )
    .measured(measured)
    .threshold(threshold)
    .hint(format!("cover {short} more {unit}; the files with the most uncovered {plural} are listed"))
    .evidence(worst)
}

fn cap(code: &'static str, title: &str, lines: Counts, max: u64, unit: Unit, worst: Vec<Evidence>) -> Check {
    let missed = lines.missed();
    let measured = Measure::count(missed, unit.plural());
    let threshold = Measure::count(max, unit.plural());
    if missed <= max {
        return Check::new(code, title, Outcome::Pass, format!("{title}: {missed}, at most {max} allowed"))
            .measured(measured)
            .threshold(threshold);
    }
    Check::new(
        code,
        title,
        Outcome::Fail,
        format!("{title}: {missed}, at most {max} allowed ({} too many)", missed - max),
    )
    .measured(measured)
    .threshold(threshold)
    .hint(format!("cover the {} listed, or raise max_uncovered_lines", unit.plural()))
    .evidence(worst)
}

/// Every file with an uncovered line: what a failure is about, for waivers.
fn missed_paths<'a>(files: impl Iterator<Item = &'a FileCoverage>) -> Vec<String> {
    files.filter(|f| f.lines.missed() > 0).map(|f| f.path.clone()).collect()
}

/// The five files with the most uncovered lines (or statements), with their ranges.
fn worst_files<'a>(files: impl Iterator<Item = &'a FileCoverage>, rounding: Rounding, unit: Unit) -> Vec<Evidence> {
    let mut v: Vec<&FileCoverage> = files.filter(|f| f.lines.missed() > 0).collect();
    v.sort_by(|a, b| b.lines.missed().cmp(&a.lines.missed()).then_with(|| a.path.cmp(&b.path)));
    v.into_iter()
        .take(5)
        .map(|f| {
            let pct =
                rounding.percent(f.lines).map(|p| format!("{} %", super::verdict::trim_number(p))).unwrap_or_default();
            let uncovered = f.line_bits.as_ref().map(|b| b.uncovered_ranges()).unwrap_or_default();
            let first = uncovered.first().map(|r| r.0);
            let lines =
                if uncovered.is_empty() { String::new() } else { format!("; uncovered: {}", show_ranges(&uncovered)) };
            Evidence {
                path: Some(f.path.clone()),
                line: first,
                text: format!(
                    "{pct} ({}/{}{}), {} uncovered{lines}",
                    f.lines.covered,
                    f.lines.total,
                    if unit == Unit::Statements { " statements" } else { "" },
                    f.lines.missed()
                ),
            }
        })
        .collect()
}

/// The files with the most uncovered branches, worst first: what a failing branch minimum asks
/// to test.
fn worst_branch_files<'a>(files: impl Iterator<Item = &'a FileCoverage>, rounding: Rounding) -> Vec<Evidence> {
    let mut v: Vec<(&FileCoverage, Counts)> =
        files.filter_map(|f| f.branches.filter(|b| b.missed() > 0).map(|b| (f, b))).collect();
    v.sort_by(|(a, x), (b, y)| y.missed().cmp(&x.missed()).then_with(|| a.path.cmp(&b.path)));
    v.into_iter()
        .take(5)
        .map(|(f, b)| {
            let pct = rounding.percent(b).map(|p| format!("{} %", super::verdict::trim_number(p))).unwrap_or_default();
            Evidence {
                path: Some(f.path.clone()),
                line: None,
                text: format!("{pct} of branches ({}/{}), {} not taken", b.covered, b.total, b.missed()),
            }
        })
        .collect()
}

pub(super) fn searched_list(list: &[String]) -> String {
    if list.is_empty() {
        return "nothing (no paths given)".to_string();
    }
    let shown: Vec<&str> = list.iter().take(12).map(String::as_str).collect();
    let more = if list.len() > 12 { format!(" and {} more", list.len() - 12) } else { String::new() };
    format!("{}{more}", shown.join(", "))
}
