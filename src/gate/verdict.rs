//! The verdict: every check's outcome with its numbers and evidence, and the overall answer.
//!
//! This is what every output format renders (human, `temis.verdict/v1` JSON, markdown, SARIF,
//! JUnit, GitHub annotations); nothing is computed while rendering.

use schemars::JsonSchema;
use serde::Serialize;

use super::codes;
use crate::model::Counts;

/// How one check came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Failed: blocks the phase.
    Fail,
    /// Failed, but a waiver in the policy excuses it.
    Waived,
    /// Worth knowing; does not block.
    Warn,
    Pass,
    /// Not evaluated (nothing to measure, or not configured); says why.
    Skipped,
}

impl Outcome {
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Fail => "FAIL",
            Outcome::Waived => "WAIVED",
            Outcome::Warn => "WARN",
            Outcome::Pass => "PASS",
            Outcome::Skipped => "SKIP",
        }
    }
}

/// A number with its unit, as the check measured or required it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, JsonSchema)]
pub struct Measure {
    pub value: f64,
    /// `%`, `lines`, `tests`.
    pub unit: &'static str,
}

impl Measure {
    pub fn percent(value: f64) -> Self {
        Self { value, unit: "%" }
    }

    pub fn count(value: u64, unit: &'static str) -> Self {
        Self { value: value as f64, unit }
    }

    /// `77.33 %`, `80 %`, `12 lines`.
    pub fn show(&self) -> String {
        if self.unit == "%" {
            format!("{} %", trim_number(self.value))
        } else {
            format!("{} {}", trim_number(self.value), self.unit)
        }
    }
}

/// Two decimals at most, no trailing zeros: 80, 77.33, 95.5.
pub fn trim_number(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

/// One piece of evidence: a file, a test, a waiver.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct Evidence {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    pub text: String,
}

/// The waiver that excused a failure.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct AppliedWaiver {
    pub reason: String,
    /// `temis.toml:23`.
    pub at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
}

/// One check's result.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct Check {
    /// Stable kebab-case code (see `temis explain`).
    pub code: &'static str,
    pub family: &'static str,
    /// What was checked, for people: `Line coverage`, `Tests`, `Coverage of src/auth/**`.
    pub title: String,
    pub outcome: Outcome,
    pub measured: Option<Measure>,
    pub threshold: Option<Measure>,
    /// One line: `Line coverage 77.33 %, need 80 % minimum (2 more lines to cover)`.
    pub message: String,
    /// What to do next.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiver: Option<AppliedWaiver>,
    /// Every file the failure is about (evidence lists only the worst few): what a waiver's
    /// `paths` are matched against.
    #[serde(skip)]
    pub subjects: Vec<String>,
}

impl Check {
    pub fn new(code: &'static str, title: impl Into<String>, outcome: Outcome, message: impl Into<String>) -> Self {
        let family = codes::lookup(code).map_or("gate", |c| c.family);
        Self {
            code,
            family,
            title: title.into(),
            outcome,
            measured: None,
            threshold: None,
            message: message.into(),
            hint: None,
            evidence: Vec::new(),
            waiver: None,
            subjects: Vec::new(),
        }
    }

    pub fn measured(mut self, m: Measure) -> Self {
        self.measured = Some(m);
        self
    }

    pub fn threshold(mut self, m: Measure) -> Self {
        self.threshold = Some(m);
        self
    }

    pub fn hint(mut self, h: impl Into<String>) -> Self {
        self.hint = Some(h.into());
        self
    }

    pub fn evidence(mut self, e: Vec<Evidence>) -> Self {
        self.evidence = e;
        self
    }

    pub fn subjects(mut self, s: Vec<String>) -> Self {
        self.subjects = s;
        self
    }
}

/// The overall answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    Approved,
    Blocked,
    /// A required report was missing or unreadable: exit 2.
    CouldNotJudge,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Approved => "APPROVED",
            Status::Blocked => "BLOCKED",
            Status::CouldNotJudge => "COULD NOT JUDGE",
        }
    }
}

/// A report the gate read.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct ReportRef {
    pub path: String,
    pub format: &'static str,
    pub kind: &'static str,
}

/// Headline figures, for summaries and the JSON contract.
#[derive(Clone, Debug, Default, PartialEq, Serialize, JsonSchema)]
pub struct Figures {
    pub line_coverage: Option<f64>,
    pub branch_coverage: Option<f64>,
    pub lines_total: Option<u64>,
    pub lines_covered: Option<u64>,
    pub tests_total: Option<u64>,
    pub tests_passed: Option<u64>,
    pub tests_failed: Option<u64>,
    /// The lowest accessibility score (0-100) of the pages judged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub a11y_score: Option<f64>,
    /// Accessibility violations on the pages judged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub a11y_violations: Option<u64>,
    /// Benchmarks judged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub benchmarks: Option<u64>,
    /// Security findings judged (suppressed and waived ones apart).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security_findings: Option<u64>,
    /// Patch coverage (`--base`), when measured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patch_coverage: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patch_lines_total: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patch_lines_covered: Option<u64>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// The security figures every output shows: counts and the OWASP Top 10 table.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SecurityFigures {
    /// The Top 10 edition: `2021` or `2025`.
    pub owasp_edition: u16,
    /// Ten rows, A01 first, with the judged findings in each.
    pub owasp: Vec<OwaspRow>,
    /// No judged finding in any of the ten categories, and none that names no category (which
    /// may be in any of them).
    pub owasp_clean: bool,
    /// Judged findings that name no CWE or OWASP category: in no row of the table.
    #[serde(skip_serializing_if = "is_zero")]
    pub owasp_unplaced: u64,
    /// Judged findings (suppressed and waived ones apart), by normalized severity.
    pub by_severity: crate::model::security::BySeverity,
    pub total: u64,
    pub suppressed: u64,
    pub waived: u64,
    /// With `new_only`: findings that were already in the baseline, and baseline entries gone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub existing: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OwaspRow {
    /// `A03`.
    pub id: String,
    pub name: String,
    pub findings: u64,
}

/// Patch coverage of one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilePatch {
    pub path: String,
    pub lines: Counts,
    /// Uncovered added lines, as inclusive ranges.
    pub uncovered: Vec<(u32, u32)>,
}

/// Patch coverage of a change.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PatchCoverage {
    /// What the change was measured against, for people: `origin/main (3f2a91c)`.
    pub base: String,
    /// Coverable added lines, and of those the ones executed.
    pub lines: Counts,
    /// The files with coverable added lines, in path order.
    pub files: Vec<FilePatch>,
    /// Changed files the reports know only as totals (no per-line data): not counted.
    pub unmeasurable: Vec<String>,
    /// Changed files no report mentions: not counted.
    pub unmentioned: Vec<String>,
    /// Every line the change added, coverable or not.
    pub added: u64,
}

impl PatchCoverage {
    /// Percent of coverable added lines covered; `None` when the change added nothing coverable.
    pub fn percent(&self) -> Option<f64> {
        self.lines.percent()
    }

    pub fn uncovered_lines(&self) -> u64 {
        self.lines.missed()
    }

    /// Each file with uncovered added lines and their ranges, in path order.
    pub fn uncovered(&self) -> impl Iterator<Item = (&str, &[(u32, u32)])> {
        self.files.iter().filter(|f| !f.uncovered.is_empty()).map(|f| (f.path.as_str(), f.uncovered.as_slice()))
    }
}

/// The gate's answer with every reason.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Verdict {
    pub status: Status,
    /// Where the policy came from.
    pub policy: String,
    pub phase: Option<u32>,
    pub checks: Vec<Check>,
    pub reports: Vec<ReportRef>,
    pub figures: Figures,
    /// Present when security reports were judged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security: Option<SecurityFigures>,
    /// The change's patch coverage, measured once (when there was a change and coverage).
    #[serde(skip)]
    pub patch: Option<PatchCoverage>,
}

impl Verdict {
    /// Decides the status from the checks: any failure blocks; a missing required report means
    /// the gate could not judge.
    pub fn decide(mut self) -> Self {
        self.checks.sort_by_key(|c| c.outcome);
        let missing =
            self.checks.iter().any(|c| c.outcome == Outcome::Fail && codes::COULD_NOT_JUDGE.contains(&c.code));
        self.status = if missing {
            Status::CouldNotJudge
        } else if self.checks.iter().any(|c| c.outcome == Outcome::Fail) {
            Status::Blocked
        } else {
            Status::Approved
        };
        self
    }

    /// What keeps the project's line coverage from being shown as the repository's measured
    /// figure: a report that could not be read (it may have been the poorly covered one), or a
    /// figure of other code ([`codes::COVERAGE_UNMATCHED`]).
    pub fn coverage_not_measured(&self) -> Option<&Check> {
        self.checks.iter().find(|c| {
            matches!(c.code, codes::REPORT_UNREADABLE | codes::COVERAGE_UNMATCHED) && c.outcome == Outcome::Fail
        })
    }

    /// The project's line coverage to publish (a badge, a CI coverage figure, an output), `None`
    /// where it was not measured as the repository's ([`Verdict::coverage_not_measured`]).
    /// Truncated to two decimals: 79.9975 % rounded was published as 80 % (GitLab's `coverage:`
    /// line, a commit status, Bitbucket's figure) beside a gate that blocked `min_line = 80`.
    pub fn published_line_coverage(&self) -> Option<f64> {
        if self.coverage_not_measured().is_some() {
            return None;
        }
        let (Some(total), Some(covered)) = (self.figures.lines_total, self.figures.lines_covered) else {
            return self.figures.line_coverage;
        };
        crate::model::Rounding::Floor.percent(crate::model::Counts::new(total, covered))
    }

    pub fn count(&self, outcome: Outcome) -> usize {
        self.checks.iter().filter(|c| c.outcome == outcome).count()
    }
}
