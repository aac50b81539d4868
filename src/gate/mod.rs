//! The gate: a validated policy and the reports, in; a verdict with every reason, out.
//!
//! Pure: no file system, no clock (today's date is an argument), no network. Each check family
//! lives in its own module and adds [`Check`]s; waivers are applied last, over all of them, so
//! that a new family (security, accessibility, performance) slots in as one more module.

pub mod codes;
mod coverage;
pub mod patch;
mod tests;
pub mod verdict;
mod waivers;

pub use verdict::{Check, Evidence, Figures, Measure, Outcome, ReportRef, Status, Verdict};

use crate::model::{Coverage, TestRun};
use crate::policy::{Date, Policy};

/// Everything the gate judges.
#[derive(Clone, Debug, Default)]
pub struct Inputs {
    pub coverage: Vec<(ReportRef, Coverage)>,
    pub tests: Vec<(ReportRef, TestRun)>,
    /// Where reports were looked for, to say so when none was found.
    pub searched: Searched,
    /// The lines the change adds (`--base`), for patch coverage.
    pub patch: Option<patch::PatchInput>,
    /// The base commit's recorded figures, for the ratchet.
    pub baseline: Option<patch::Baseline>,
}

/// The places discovery looked at, by kind.
#[derive(Clone, Debug, Default)]
pub struct Searched {
    pub coverage: Vec<String>,
    pub tests: Vec<String>,
}

/// Judges `inputs` against `policy` (already narrowed to its phase) on `today`.
pub fn evaluate(policy: &Policy, inputs: &Inputs, today: Date) -> Verdict {
    let mut checks = Vec::new();
    let mut figures = Figures::default();
    let project = coverage::combine(&inputs.coverage);
    coverage::checks(&policy.coverage, project.as_ref(), &inputs.searched, &mut checks, &mut figures);
    patch::checks(&policy.coverage, inputs.patch.as_ref(), project.as_ref(), &mut checks, &mut figures);
    patch::ratchet(&policy.coverage, inputs.baseline.as_ref(), &figures, &mut checks);
    let mut failing = tests::checks(&policy.tests, &inputs.tests, &inputs.searched, &mut checks, &mut figures);
    waivers::apply(&policy.waivers, &policy.source, today, &mut checks, &mut failing);
    tests::finish(&policy.tests, failing, &mut checks);
    let reports = inputs.coverage.iter().map(|(r, _)| r).chain(inputs.tests.iter().map(|(r, _)| r)).cloned().collect();
    Verdict { status: Status::Approved, policy: policy.source.clone(), phase: policy.phase, checks, reports, figures }
        .decide()
}
