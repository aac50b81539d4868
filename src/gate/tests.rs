//! Test-result checks: every test passing (failing tests named), a minimum count, flaky tests.

use super::Searched;
use super::codes;
use super::verdict::{AppliedWaiver, Check, Evidence, Figures, Measure, Outcome, ReportRef};
use crate::model::{TestRun, TestTotals};
use crate::policy::TestsPolicy;

/// One failing test, as waivers see it.
#[derive(Clone, Debug)]
pub(super) struct FailingTest {
    /// `classname::name`: what a waiver's `rule` is matched against.
    pub name: String,
    pub file: Option<String>,
    pub line: Option<u32>,
    pub message: Option<String>,
    pub report: String,
    /// How it failed, when not by an assertion: ` (error)`, ` (incomplete)`, ` (invalid)`, ` (error
    /// outside tests)`.
    pub how: String,
}

/// The failing tests still to be judged once waivers have had their say.
#[derive(Clone, Debug, Default)]
pub(super) struct Failing {
    pub tests: Vec<FailingTest>,
    pub waived: Vec<(FailingTest, AppliedWaiver)>,
    pub totals: TestTotals,
    /// Errors outside any test, among `tests`.
    pub outside: u64,
}

/// Test or code files changed after the newest test report was written: the reports are of
/// other code. A warning, or a failure with `[reports] stale = "block"`.
pub(super) fn stale(policy: crate::policy::Stale, stale: Option<&super::NewerFiles>, out: &mut Vec<Check>) {
    let what = Stale {
        code: codes::TESTS_STALE,
        title: "Test report age",
        files: "test or code file(s)",
        of: "code",
        hint: "run the tests again on this code (after a checkout, a pull or an edit; a run that stopped before \
               writing its report leaves the last one in place)",
    };
    out.extend(what.check(policy, stale));
}

/// A check that reports of one kind are older than the files they are of.
pub(super) struct Stale {
    pub code: &'static str,
    pub title: &'static str,
    /// What the newer files are (`test file(s)`).
    pub files: &'static str,
    /// What the reports are of (`tests`).
    pub of: &'static str,
    pub hint: &'static str,
}

impl Stale {
    /// A warning, or a failure with `[reports] stale = "block"`; none when nothing is newer.
    pub(super) fn check(&self, policy: crate::policy::Stale, stale: Option<&super::NewerFiles>) -> Option<Check> {
        use crate::policy::Stale;
        let stale = stale.filter(|s| policy != Stale::Off && !s.newer.is_empty())?;
        let outcome = if policy == Stale::Block { Outcome::Fail } else { Outcome::Warn };
        let reports = stale.reports.join(", ");
        let newer: Vec<&str> = stale.newer.iter().map(String::as_str).collect();
        let evidence = stale
            .newer
            .iter()
            .take(10)
            .map(|p| Evidence { path: Some(p.clone()), line: None, text: format!("{p} changed after {reports}") })
            .collect();
        Some(
            Check::new(
                self.code,
                self.title,
                outcome,
                format!(
                    "{} {} changed after {reports} was written ({}): the reports are of other {}",
                    newer.len(),
                    self.files,
                    super::coverage::shown_list(&newer),
                    self.of
                ),
            )
            .hint(self.hint)
            .evidence(evidence),
        )
    }
}

pub(super) fn checks(
    p: &TestsPolicy,
    runs: &[(ReportRef, TestRun)],
    searched: &Searched,
    out: &mut Vec<Check>,
    figures: &mut Figures,
) -> Option<Failing> {
    if runs.is_empty() {
        if p.required {
            out.push(Check::new(codes::TESTS_MISSING, "Test report", Outcome::Fail, "no test report was found").hint(
                format!(
                    "looked for {}; have the test runner write a report (pytest --junitxml=junit.xml, jest-junit, \
                         nextest, dotnet test --logger trx, go test -json > go-test.json, rspec --format json --out \
                         rspec.json; `temis formats` lists them all), name it on the command line, or set [reports] \
                         tests in temis.toml ([tests] required = false turns this off)",
                    super::coverage::searched_list(&searched.tests)
                ),
            ));
        } else {
            out.push(Check::new(codes::TESTS_MISSING, "Tests", Outcome::Skipped, "no test report (not required)"));
        }
        return None;
    }
    let mut totals = TestTotals::default();
    let mut failing = Vec::new();
    let mut flaky = Vec::new();
    let mut outside_errors = 0u64;
    for (r, run) in runs {
        totals.add(&run.totals);
        let outside = run.outside.iter().map(|c| (c, " (error outside tests)".to_string()));
        let tests = run.failing().map(|c| {
            let how = match c.outcome {
                crate::model::Outcome::Error => " (error)".to_string(),
                crate::model::Outcome::Incomplete => format!(" ({})", c.status.as_deref().unwrap_or("incomplete")),
                _ => String::new(),
            };
            (c, how)
        });
        for (case, how) in tests.chain(outside) {
            failing.push(FailingTest {
                name: case.full_name(),
                file: case.file.as_deref().map(String::from),
                line: case.line,
                message: case.message.as_deref().map(String::from),
                report: r.path.clone(),
                how,
            });
        }
        outside_errors += run.outside.len() as u64;
        for case in &run.flaky {
            flaky.push(Evidence {
                path: case.file.as_deref().map(String::from),
                line: case.line,
                text: case.full_name(),
            });
        }
    }
    figures.tests_total = Some(totals.total);
    figures.tests_passed = Some(totals.passed);
    figures.tests_failed = Some(totals.failed + totals.errors);

    // With tests required, a run in which no test ran is not a pass, minimum or not.
    let min_count = p.min_count.or(p.required.then_some(1));
    if let Some(min) = min_count {
        let ran = totals.ran();
        let (m, t) = (Measure::count(ran, "tests"), Measure::count(min, "tests"));
        let check = if ran >= min {
            Check::new(
                codes::TESTS_COUNT,
                "Test count",
                Outcome::Pass,
                format!("{ran} tests ran, at least {min} required"),
            )
        } else {
            Check::new(
                codes::TESTS_COUNT,
                "Test count",
                Outcome::Fail,
                format!(
                    "only {ran} tests ran ({} skipped{}), at least {min} required",
                    totals.skipped,
                    if totals.other > 0 { format!(", {} other", totals.other) } else { String::new() }
                ),
            )
            .hint("check that the test run collected the tests (an empty or truncated report looks like this)")
        };
        out.push(check.measured(m).threshold(t));
    }
    if totals.flaky > 0 {
        let outcome = if p.allow_flaky { Outcome::Warn } else { Outcome::Fail };
        out.push(
            Check::new(
                codes::TESTS_FLAKY,
                "Flaky tests",
                outcome,
                format!("{} test(s) failed and then passed on a rerun", totals.flaky),
            )
            .measured(Measure::count(totals.flaky, "tests"))
            .hint("make them deterministic; [tests] allow_flaky = false blocks them")
            .evidence(flaky.into_iter().take(10).collect()),
        );
    }
    Some(Failing {
        tests: if p.all_passing { failing } else { Vec::new() },
        waived: Vec::new(),
        totals,
        outside: outside_errors,
    })
}

/// The `tests-failing` row, once waivers have taken the tests they excuse.
pub(super) fn finish(p: &TestsPolicy, failing: Option<Failing>, out: &mut Vec<Check>) {
    let Some(f) = failing else { return };
    let t = f.totals;
    let mut summary = format!(
        "{} passed, {} failed, {} errors, {} skipped of {} tests",
        t.passed, t.failed, t.errors, t.skipped, t.total
    );
    if t.other > 0 {
        summary = format!(
            "{} passed, {} failed, {} errors, {} skipped, {} other of {} tests",
            t.passed, t.failed, t.errors, t.skipped, t.other, t.total
        );
    }
    if f.outside > 0 {
        summary.push_str(&format!("; {} error(s) outside tests", f.outside));
    }
    if !p.all_passing {
        out.push(Check::new(
            codes::TESTS_FAILING,
            "Tests",
            Outcome::Skipped,
            format!("{summary} (all_passing = false)"),
        ));
        return;
    }
    let failed = Measure::count(f.tests.len() as u64 + f.waived.len() as u64, "failing tests");
    let waived_evidence = f.waived.iter().map(|(test, w)| Evidence {
        path: test.file.clone(),
        line: test.line,
        text: format!("{} (waived: {} — {})", test.name, w.reason, w.at),
    });
    if f.tests.is_empty() && f.waived.is_empty() {
        out.push(Check::new(codes::TESTS_FAILING, "Tests", Outcome::Pass, summary).measured(failed));
        return;
    }
    if f.tests.is_empty() {
        let first = f.waived[0].1.clone();
        let mut c = Check::new(
            codes::TESTS_FAILING,
            "Tests",
            Outcome::Waived,
            format!("{summary}; every failing test is waived"),
        )
        .measured(failed)
        .evidence(waived_evidence.collect());
        c.waiver = Some(first);
        out.push(c);
        return;
    }
    let n = f.tests.len();
    let names: Vec<&str> = f.tests.iter().take(3).map(|t| t.name.as_str()).collect();
    let more = if n > 3 { format!(" and {} more", n - 3) } else { String::new() };
    let mut evidence: Vec<Evidence> = f
        .tests
        .iter()
        .take(20)
        .map(|t| Evidence {
            path: t.file.clone(),
            line: t.line,
            text: format!("{}{}{}", t.name, t.how, t.message.as_deref().map(|m| format!(": {m}")).unwrap_or_default()),
        })
        .collect();
    evidence.extend(waived_evidence);
    out.push(
        Check::new(
            codes::TESTS_FAILING,
            "Tests",
            Outcome::Fail,
            format!("{n} failing test(s): {}{more} ({summary})", names.join(", ")),
        )
        .measured(failed)
        .threshold(Measure::count(0, "failing tests"))
        .hint(format!("fix the failing tests (reported in {})", f.tests[0].report))
        .evidence(evidence),
    );
}

/// Excuses failing tests one by one, by name and file.
pub(super) fn waive(failing: &mut Option<Failing>, ledger: &mut super::waivers::Ledger<'_>) {
    let Some(f) = failing.as_mut() else { return };
    let mut still = Vec::new();
    for test in f.tests.drain(..) {
        match ledger.find(|w| w.matches(codes::TESTS_FAILING, Some(&test.name), test.file.as_deref())) {
            Some(applied) => f.waived.push((test, applied)),
            None => still.push(test),
        }
    }
    f.tests = still;
}
