//! Waivers: a failure excused with a reason, until a date.
//!
//! A waiver matches a failing check by code, rule and paths, or one item within a check (a
//! failing test by name, a security finding by rule, advisory id, fingerprint or path, an
//! accessibility violation by rule and page); an
//! expired waiver no longer applies and fails the gate until it is renewed or removed; one
//! expiring within 14 days warns; one that matched nothing warns.
//!
//! The [`Ledger`] is used in two passes: check families excuse their items one by one
//! ([`Ledger::find`]), then the checks that failed as a whole are matched
//! ([`Ledger::whole_checks`]); [`Ledger::finish`] adds the rows about the waivers themselves.

use super::codes;
use super::verdict::{AppliedWaiver, Check, Outcome};
use crate::policy::{Date, Waiver};

/// How close an expiry date must be to warn.
const EXPIRY_WARNING_DAYS: i64 = 14;

fn in_days(n: i64) -> String {
    match n {
        0 => "today".to_string(),
        1 => "tomorrow".to_string(),
        n => format!("in {n} days"),
    }
}

/// The policy's waivers, which of them were used, and the date they are judged on.
pub(super) struct Ledger<'a> {
    waivers: &'a [Waiver],
    source: &'a str,
    today: Date,
    used: Vec<bool>,
}

impl<'a> Ledger<'a> {
    pub fn new(waivers: &'a [Waiver], source: &'a str, today: Date) -> Self {
        Self { waivers, source, today, used: vec![false; waivers.len()] }
    }

    fn live(&self, w: &Waiver) -> bool {
        w.expires.is_none_or(|d| d >= self.today)
    }

    fn applied(&self, w: &Waiver) -> AppliedWaiver {
        AppliedWaiver {
            reason: w.reason.clone(),
            at: format!("{}:{}", self.source, w.line),
            expires: w.expires.map(|d| d.to_string()),
        }
    }

    /// The first live waiver for which `matches` holds, marked used.
    pub fn find(&mut self, matches: impl Fn(&Waiver) -> bool) -> Option<AppliedWaiver> {
        let i = (0..self.waivers.len()).find(|&i| self.live(&self.waivers[i]) && matches(&self.waivers[i]))?;
        self.used[i] = true;
        Some(self.applied(&self.waivers[i]))
    }

    /// Waives checks that failed as a whole (coverage thresholds, counts…). What could not be
    /// measured (an unreadable or missing report, an unmeasured patch: [`codes::COULD_NOT_JUDGE`];
    /// a threshold that measured nothing: [`codes::NOT_MEASURED`]) and a figure of other code
    /// ([`codes::OF_OTHER_CODE`]) are never waived
    /// ([`codes::never_waived`]): a waiver excuses a failure that was measured, and one that excused these
    /// approved what nothing measured (a path waiver meant for findings matched an unreadable
    /// report under its folder).
    pub fn whole_checks(&mut self, checks: &mut [Check]) {
        let waivable = |c: &&mut Check| c.outcome == Outcome::Fail && !codes::never_waived(c.code);
        for check in checks.iter_mut().filter(waivable) {
            let paths: Vec<&str> = if check.subjects.is_empty() {
                check.evidence.iter().filter_map(|e| e.path.as_deref()).collect()
            } else {
                check.subjects.iter().map(String::as_str).collect()
            };
            let rule = check.title.split_once(" of ").map(|(_, glob)| glob);
            let found = self.find(|w| {
                if paths.is_empty() {
                    w.matches(check.code, rule, None)
                } else {
                    paths.iter().all(|p| w.matches(check.code, rule, Some(p)))
                }
            });
            if let Some(applied) = found {
                check.outcome = Outcome::Waived;
                check.waiver = Some(applied);
            }
        }
    }

    /// Adds a row for each waiver that expired, expires soon, or matched nothing.
    pub fn finish(self, checks: &mut Vec<Check>) {
        for (i, w) in self.waivers.iter().enumerate() {
            let at = format!("{}:{}", self.source, w.line);
            let what = w.describe();
            let today = self.today;
            match w.expires {
                // Expired waivers fail (as cargo-deny's do): an exception past its date is either
                // renewed deliberately or removed, never left to rot.
                Some(d) if d < today => checks.push(
                    Check::new(
                        codes::WAIVER_EXPIRED,
                        "Waiver",
                        Outcome::Fail,
                        format!("the waiver at {at} ({what}) expired on {d} and no longer applies"),
                    )
                    .hint(format!("fix what it excused, or renew it deliberately (reason was: {})", w.reason)),
                ),
                Some(d) if d.days() - today.days() <= EXPIRY_WARNING_DAYS && self.used[i] => checks.push(
                    Check::new(
                        codes::WAIVER_EXPIRING,
                        "Waiver",
                        Outcome::Warn,
                        format!("the waiver at {at} ({what}) expires on {d}, {}", in_days(d.days() - today.days())),
                    )
                    .hint("plan the fix, or renew it deliberately"),
                ),
                _ if w.check.as_deref().is_some_and(|c| !codes::CODES.iter().any(|k| k.code == c)) => checks.push(
                    Check::new(
                        codes::WAIVER_UNUSED,
                        "Waiver",
                        Outcome::Warn,
                        format!(
                            "the waiver at {at} ({what}) names `{}`, which is no check's code: it excuses nothing",
                            w.check.as_deref().unwrap_or_default()
                        ),
                    )
                    .hint("correct its check (`temis explain` lists the codes: tests-failing, coverage-line-below-threshold…)"),
                ),
                _ if w.check.as_deref().is_some_and(codes::never_waived) => checks.push(
                    Check::new(
                        codes::WAIVER_UNUSED,
                        "Waiver",
                        Outcome::Warn,
                        format!(
                            "the waiver at {at} ({what}) names a check no waiver excuses: what could not be read or \
                             measured, or a figure of other code than the repository's, was not measured"
                        ),
                    )
                    .hint("remove it; make the report readable, or stop listing it"),
                ),
                _ if !self.used[i] => checks.push(
                    Check::new(
                        codes::WAIVER_UNUSED,
                        "Waiver",
                        Outcome::Warn,
                        format!("the waiver at {at} ({what}) matched nothing"),
                    )
                    .hint(if w.pages.is_empty() {
                        "remove it if what it excused is fixed, or correct its check, rule or paths"
                    } else {
                        "remove it if what it excused is fixed, or correct its check, rule or pages"
                    }),
                ),
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gate::{Inputs, ReportRef, evaluate};
    use crate::model::{Outcome as TestOutcome, TestCase, TestRun};
    use crate::policy::Policy;

    fn failing_run() -> Inputs {
        let mut run = TestRun::default();
        run.record(TestCase {
            suite: "s".into(),
            classname: "tests.test_jwt".into(),
            name: "test_refresh".into(),
            file: Some("tests/test_jwt.py".into()),
            line: None,
            outcome: TestOutcome::Failed,
            message: Some("boom".into()),
            time: None,
            status: None,
        });
        let r = ReportRef { path: "junit.xml".into(), format: "junit", kind: "tests" };
        Inputs { tests: vec![(r, run)], ..Inputs::default() }
    }

    fn policy(waiver: &str) -> Policy {
        let text = format!("[coverage]\nrequired = false\n[tests]\nmin_count = 0\n{waiver}");
        Policy::parse("temis.toml", &text).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_failing_test_is_waived_by_name_until_its_date() {
        let p = policy(
            "[[waivers]]\ncheck = \"tests-failing\"\nrule = \"tests.test_jwt::test_refresh*\"\nreason = \"clock skew\"\n\
             expires = 2027-03-31\n",
        );
        let v = evaluate(&p, &failing_run(), Date::new(2027, 1, 1));
        let c = v.checks.iter().find(|c| c.code == codes::TESTS_FAILING).unwrap();
        assert_eq!(c.outcome, Outcome::Waived);
        assert_eq!(v.status, crate::gate::Status::Approved);
        let v = evaluate(&p, &failing_run(), Date::new(2027, 4, 1));
        let c = v.checks.iter().find(|c| c.code == codes::TESTS_FAILING).unwrap();
        assert_eq!(c.outcome, Outcome::Fail, "an expired waiver stops applying");
        assert!(v.checks.iter().any(|c| c.code == codes::WAIVER_EXPIRED));
    }

    #[test]
    fn unused_and_expiring_waivers_warn() {
        let p = policy("[[waivers]]\nrule = \"nothing::matches\"\nreason = \"r\"\n");
        let v = evaluate(&p, &failing_run(), Date::new(2027, 1, 1));
        assert!(v.checks.iter().any(|c| c.code == codes::WAIVER_UNUSED));
        let p = policy("[[waivers]]\ncheck = \"tests-failing\"\nreason = \"r\"\nexpires = 2027-01-10\n");
        let v = evaluate(&p, &failing_run(), Date::new(2027, 1, 1));
        assert!(v.checks.iter().any(|c| c.code == codes::WAIVER_EXPIRING));
    }

    /// A waiver never excuses what could not be measured: a path waiver meant for findings
    /// matched a report under its folder that could not be read, and a waiver naming
    /// `report-unreadable` or `coverage-report-missing` excused them; each approved.
    #[test]
    fn what_could_not_be_measured_is_never_waived() {
        let mut inputs = failing_run();
        inputs.tests.clear();
        inputs.unreadable.push(crate::gate::Unreadable {
            path: "reports/coverage.xml".into(),
            why: "unrecognised report format".into(),
        });
        for waiver in [
            "[[waivers]]\npaths = [\"reports/**\"]\nreason = \"generated code\"\n",
            "[[waivers]]\ncheck = \"report-unreadable\"\nreason = \"flaky upload\"\n",
        ] {
            let v = evaluate(&policy(waiver), &inputs, Date::new(2027, 1, 1));
            let c = v.checks.iter().find(|c| c.code == codes::REPORT_UNREADABLE).unwrap();
            assert_eq!(c.outcome, Outcome::Fail, "{waiver}");
            assert_eq!(v.status, crate::gate::Status::CouldNotJudge, "{waiver}");
        }
        let p = Policy::parse(
            "temis.toml",
            "[tests]\nmin_count = 0\n[[waivers]]\ncheck = \"coverage-report-missing\"\nreason = \"r\"\n",
        )
        .unwrap();
        let v = evaluate(&p, &Inputs::default(), Date::new(2027, 1, 1));
        assert_eq!(v.status, crate::gate::Status::CouldNotJudge);
        let said = v.checks.iter().find(|c| c.code == codes::WAIVER_UNUSED).unwrap();
        assert!(said.message.contains("names a check no waiver excuses"), "{}", said.message);
    }

    /// `paths = ["tests/**"]` alone is how a security finding is waived (bandit's asserts in
    /// tests, as the findings' fix says): it excused every failing test under tests/ as well.
    /// Naming no check and no rule, it is a security finding's waiver only.
    #[test]
    fn a_paths_only_waiver_excuses_no_failing_test() {
        let v = evaluate(
            &policy("[[waivers]]\npaths = [\"tests/**\"]\nreason = \"asserts are fine in tests\"\n"),
            &failing_run(),
            Date::new(2027, 1, 1),
        );
        assert_eq!(v.status, crate::gate::Status::Blocked);
        assert!(v.checks.iter().any(|c| c.code == codes::WAIVER_UNUSED));
        let p = policy("[[waivers]]\ncheck = \"tests-failing\"\npaths = [\"tests/**\"]\nreason = \"r\"\n");
        assert_eq!(evaluate(&p, &failing_run(), Date::new(2027, 1, 1)).status, crate::gate::Status::Approved);
    }

    /// A misspelt check code (`test-failing`) only "matched nothing": said as no check's code.
    #[test]
    fn a_waiver_naming_no_check_code_says_so() {
        let v = evaluate(
            &policy("[[waivers]]\ncheck = \"test-failing\"\nreason = \"r\"\n"),
            &failing_run(),
            Date::new(2027, 1, 1),
        );
        assert_eq!(v.status, crate::gate::Status::Blocked);
        let said = v.checks.iter().find(|c| c.code == codes::WAIVER_UNUSED).unwrap();
        assert!(said.message.contains("names `test-failing`, which is no check's code"), "{}", said.message);
    }

    /// A coverage report of no file of the repository (or `min_line` met only with other code)
    /// is a figure of other code: a waiver on it (`paths = ["lib/**"]`, "vendored") approved
    /// 100 % of code that is not the repository's.
    #[test]
    fn a_figure_of_other_code_is_never_waived() {
        let mut inputs = failing_run();
        inputs.tests.clear();
        inputs.unmatched.push(crate::gate::UnmatchedReport {
            report: "lcov.info".into(),
            files: 1,
            examples: vec!["lib/big.py".into()],
            hint: None,
            ..Default::default()
        });
        for waiver in [
            "[[waivers]]\ncheck = \"coverage-report-matches-no-file\"\nreason = \"vendored\"\n",
            "[[waivers]]\ncheck = \"coverage-report-matches-no-file\"\npaths = [\"lib/**\"]\nreason = \"vendored\"\n",
        ] {
            let v = evaluate(&policy(waiver), &inputs, Date::new(2027, 1, 1));
            let c = v.checks.iter().find(|c| c.code == codes::COVERAGE_UNMATCHED).unwrap();
            assert_eq!(c.outcome, Outcome::Fail, "{waiver}");
            assert_ne!(v.status, crate::gate::Status::Approved, "{waiver}");
        }
    }
}
