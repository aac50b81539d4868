//! The gate: a validated policy and the reports, in; a verdict with every reason, out.
//!
//! Pure: no file system, no clock (today's date is an argument), no network. Each check family
//! lives in its own module and adds [`Check`]s; waivers are applied last, over all of them, so
//! that a new family (security, accessibility, performance) slots in as one more module.

mod a11y;
pub mod codes;
mod coverage;
pub mod patch;
mod performance;
mod security;
mod tests;
pub mod verdict;
mod waivers;

pub use verdict::{Check, Evidence, Figures, Measure, Outcome, OwaspRow, ReportRef, SecurityFigures, Status, Verdict};

use crate::model::a11y::A11yReport;
use crate::model::bench::BenchReport;
use crate::model::{Coverage, TestRun};
use crate::policy::{Date, Policy};

/// Everything the gate judges.
#[derive(Clone, Debug, Default)]
pub struct Inputs {
    pub coverage: Vec<(ReportRef, Coverage)>,
    /// Several coverage reports as one project: their merge ([`crate::model::Merger`], what
    /// `temis merge` writes), built where the reports are read. `None` with one report.
    pub combined_coverage: Option<Coverage>,
    /// How the coverage reports' paths resolved against the repository, one per report (none
    /// when the root is not a git work tree).
    pub coverage_paths: Vec<crate::paths::resolve::Resolved>,
    /// The repository's files a `[[coverage.paths]]` glob matches (tracked, and untracked ones
    /// not ignored), sorted: what the rule says it judges (none outside a git work tree).
    pub path_rule_files: Vec<String>,
    /// Coverage reports older than files they measure.
    pub stale: Vec<StaleReport>,
    /// Test or code files changed after the newest test report was written.
    pub stale_tests: Option<NewerFiles>,
    /// Code files changed after a benchmark report was written (each is held to the code).
    pub stale_bench: Option<NewerFiles>,
    /// Files a security report's scanner reads, changed after the report was written.
    pub stale_security: Option<NewerFiles>,
    /// Coverage reports that name no file of the repository (none outside a git work tree).
    pub unmatched: Vec<UnmatchedReport>,
    /// Files of coverage reports that also name the repository's own: files neither the
    /// repository nor its work tree holds (`/usr/lib/python3/…`), as the reports write them.
    pub foreign: Vec<String>,
    /// Reports that could not be read: the gate cannot judge.
    pub unreadable: Vec<Unreadable>,
    pub tests: Vec<(ReportRef, TestRun)>,
    pub a11y: Vec<(ReportRef, A11yReport)>,
    pub bench: Vec<(ReportRef, BenchReport)>,
    /// `[performance] baseline`: its path and what it held.
    pub baseline: Option<(String, BenchReport)>,
    pub security: Vec<(ReportRef, crate::model::SecurityReport)>,
    /// The security baseline of the base commit, for `new_only`.
    pub security_baseline: BaselineInput,
    /// Where reports were looked for, to say so when none was found.
    pub searched: Searched,
    /// The lines the change adds (`--base`), for patch coverage.
    pub patch: Option<patch::PatchInput>,
    /// Why the change could not be read, when it could not.
    pub patch_unavailable: Option<String>,
    /// The base commit's recorded figures, for the ratchet.
    pub ratchet_base: Option<patch::Baseline>,
}

impl Inputs {
    /// Every report read, coverage first, in the order the verdict lists them.
    pub fn reports(&self) -> impl Iterator<Item = &ReportRef> {
        self.coverage
            .iter()
            .map(|(r, _)| r)
            .chain(self.tests.iter().map(|(r, _)| r))
            .chain(self.a11y.iter().map(|(r, _)| r))
            .chain(self.bench.iter().map(|(r, _)| r))
            .chain(self.security.iter().map(|(r, _)| r))
    }
}

/// A report that could not be read, and why (the reader's placed error and hint).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unreadable {
    pub path: String,
    pub why: String,
}

/// A coverage report written before some of the files it measures last changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StaleReport {
    pub report: String,
    /// The measured files that are newer than the report.
    pub newer: Vec<String>,
    /// Source files it does not list, in folders it measures, newer than it (written after the
    /// tests ran).
    pub unlisted: Vec<String>,
    /// Files it measures past their end: it is of another version of them, whatever the times
    /// say.
    pub past_end: Vec<PastEnd>,
    /// Committed, and the commit that made it is not in this clone (a shallow one): how old it
    /// is cannot be told.
    pub undated: bool,
}

/// A file a coverage report measures past its end: `line` of its `lines`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PastEnd {
    pub path: String,
    pub line: u32,
    pub lines: usize,
}

impl std::fmt::Display for PastEnd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: line {} of {}", self.path, self.line, self.lines)
    }
}

/// Files of the repository changed after the newest report of a kind was written (test files
/// after the test reports, code files after the benchmark reports): the reports are of other
/// code.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewerFiles {
    /// The test reports, as shown.
    pub reports: Vec<String>,
    /// The files newer than the newest of them, sorted.
    pub newer: Vec<String>,
}

/// A coverage report of which not one file is a file of the repository.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UnmatchedReport {
    pub report: String,
    /// How many files it measures, and the first few of them as written.
    pub files: usize,
    pub examples: Vec<String>,
    /// What the path resolution suggests (`--strip-prefix …`), when it has a suggestion.
    pub hint: Option<String>,
    /// The report names classes, not files (JaCoCo's CSV), and none has a source file here.
    pub classes: bool,
}

/// The places discovery looked at, by kind.
#[derive(Clone, Debug, Default)]
pub struct Searched {
    pub coverage: Vec<String>,
    pub tests: Vec<String>,
    pub a11y: Vec<String>,
    pub performance: Vec<String>,
    pub security: Vec<String>,
}

impl Searched {
    /// The places looked at for reports of `kind`.
    pub fn of_kind(&mut self, kind: crate::parsers::Kind) -> &mut Vec<String> {
        use crate::parsers::Kind;
        match kind {
            Kind::Coverage => &mut self.coverage,
            Kind::Tests => &mut self.tests,
            Kind::A11y => &mut self.a11y,
            Kind::Performance => &mut self.performance,
            Kind::Security => &mut self.security,
        }
    }
}

/// The security baseline as read from the base commit (never from the change under review).
#[derive(Clone, Debug, Default)]
pub enum BaselineInput {
    /// `new_only` is off: no baseline was looked for.
    #[default]
    NotAsked,
    Found {
        /// `origin/main:.temis/security-baseline.json`.
        at: String,
        baseline: crate::model::security::Baseline,
    },
    /// Why none could be read (no base commit, no file there, unreadable).
    Missing { why: String },
}

/// All coverage reports of `inputs` as one project: a file in several reports is covered where
/// any covers it. `None` without a coverage report.
pub fn combined_coverage(inputs: &Inputs) -> Option<Coverage> {
    coverage::combine(inputs)
}

/// Judges `inputs` against `policy` (already narrowed to its phase) on `today`.
pub fn evaluate(policy: &Policy, inputs: &Inputs, today: Date) -> Verdict {
    let mut checks = Vec::new();
    let mut figures = Figures::default();
    for u in &inputs.unreadable {
        let (first, rest) = u.why.split_once('\n').unwrap_or((&u.why, ""));
        let hint = rest.trim().trim_start_matches("hint:").trim();
        let mut c = Check::new(codes::REPORT_UNREADABLE, "Report", Outcome::Fail, first.to_string())
            .subjects(vec![u.path.clone()]);
        if !hint.is_empty() {
            c = c.hint(hint.to_string());
        }
        checks.push(c);
    }
    let project = coverage::combine(inputs);
    coverage::checks(
        &policy.coverage,
        project.as_ref(),
        &inputs.searched,
        &inputs.coverage_paths,
        &inputs.path_rule_files,
        &mut checks,
        &mut figures,
    );
    coverage::branchless(&policy.coverage, &inputs.coverage, &mut checks);
    coverage::stale(policy.reports.stale, &inputs.stale, &mut checks);
    coverage::unmatched(&inputs.unmatched, &mut checks);
    coverage::foreign(&policy.coverage, project.as_ref(), &inputs.foreign, &mut checks);
    let change = patch::Change {
        patch: inputs.patch.as_ref(),
        unavailable: inputs.patch_unavailable.as_deref(),
        resolved: &inputs.coverage_paths,
        stale: &inputs.stale,
    };
    let patch = patch::checks(&policy.coverage, change, project.as_ref(), &mut checks, &mut figures);
    patch::ratchet(&policy.coverage, inputs.ratchet_base.as_ref(), &figures, &mut checks);
    let mut failing = tests::checks(&policy.tests, &inputs.tests, &inputs.searched, &mut checks, &mut figures);
    tests::stale(policy.reports.stale, inputs.stale_tests.as_ref(), &mut checks);
    performance::stale(policy.reports.stale, inputs.stale_bench.as_ref(), &mut checks);
    security::stale(policy.reports.stale, inputs.stale_security.as_ref(), &mut checks);
    let mut ledger = waivers::Ledger::new(&policy.waivers, &policy.source, today);
    a11y::checks(&policy.a11y, &inputs.a11y, &inputs.searched.a11y, &mut checks, &mut figures, &mut ledger);
    performance::checks(
        &policy.performance,
        &inputs.bench,
        inputs.baseline.as_ref(),
        &inputs.searched.performance,
        &mut checks,
        &mut figures,
    );
    let mut findings =
        security::checks(&policy.security, &inputs.security, &inputs.security_baseline, &inputs.searched, &mut checks);
    tests::waive(&mut failing, &mut ledger);
    security::waive(&mut findings, &mut ledger);
    ledger.whole_checks(&mut checks);
    tests::finish(&policy.tests, failing, &mut checks);
    let security = security::finish(&policy.security, findings, &mut checks, &mut figures);
    ledger.finish(&mut checks);
    let reports = inputs.reports().cloned().collect();
    Verdict {
        status: Status::Approved,
        policy: policy.source.clone(),
        phase: policy.phase,
        checks,
        reports,
        figures,
        security,
        patch,
    }
    .decide()
}
