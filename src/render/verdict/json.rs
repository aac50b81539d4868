//! `temis.verdict/v1`: the verdict for machines. Field names are a contract; more are welcome.

use serde::Serialize;

use crate::gate::{Check, Figures, ReportRef, Verdict};

pub const VERDICT_SCHEMA: &str = "temis.verdict/v1";

#[derive(Serialize)]
struct Doc<'a> {
    schema: &'static str,
    /// `APPROVED`, `BLOCKED` or `COULD_NOT_JUDGE`.
    verdict: crate::gate::Status,
    exit_code: u8,
    policy: &'a str,
    phase: Option<u32>,
    summary: Summary,
    figures: &'a Figures,
    checks: &'a [Check],
    reports: &'a [ReportRef],
}

#[derive(Serialize)]
struct Summary {
    failed: usize,
    waived: usize,
    warnings: usize,
    passed: usize,
    skipped: usize,
}

pub fn render(v: &Verdict) -> String {
    use crate::gate::Outcome::*;
    let doc = Doc {
        schema: VERDICT_SCHEMA,
        verdict: v.status,
        exit_code: exit_code(v),
        policy: &v.policy,
        phase: v.phase,
        summary: Summary {
            failed: v.count(Fail),
            waived: v.count(Waived),
            warnings: v.count(Warn),
            passed: v.count(Pass),
            skipped: v.count(Skipped),
        },
        figures: &v.figures,
        checks: &v.checks,
        reports: &v.reports,
    };
    let mut s = serde_json::to_string_pretty(&doc).expect("a verdict serializes");
    s.push('\n');
    s
}

/// The process exit code for a verdict: 0 approved, 1 blocked, 2 could not judge.
pub fn exit_code(v: &Verdict) -> u8 {
    match v.status {
        crate::gate::Status::Approved => 0,
        crate::gate::Status::Blocked => 1,
        crate::gate::Status::CouldNotJudge => 2,
    }
}
