//! The verdict in every format a CI user expects: a table for people, the `temis.verdict/v1`
//! JSON contract, markdown for PR comments and step summaries, SARIF 2.1.0 for code scanning,
//! JUnit XML for any CI's test tab, and GitHub workflow-command annotations. `annotations` (the
//! ranked list a pull request's diff gets) and `summary` (the job summary, the sticky comment and
//! the check run's text, each fitted to its size limit) serve `temis ci github`, and with
//! `codequality` (GitLab), `cobertura` (GitLab, Jenkins, Azure), `warnings_ng` (Jenkins), `azure`
//! (logging commands) and `log` (any CI log), every other `temis ci` surface.
//!
//! Text from reports (test names, messages, paths) is untrusted: each format escapes it so it
//! cannot inject markup, mentions or workflow commands.

pub mod annotations;
pub mod azure;
pub mod cobertura;
pub mod codequality;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod log;
pub mod markdown;
pub mod sarif;
pub mod summary;
pub mod warnings_ng;

use crate::gate::{Check, Outcome, Verdict};

/// `--format` of `temis gate`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum VerdictFormat {
    /// A table a person reads at a glance.
    Human,
    /// The temis.verdict/v1 JSON contract.
    Json,
    /// Markdown, for PR comments and job summaries.
    Markdown,
    /// SARIF 2.1.0: each failed check a result (GitHub code scanning).
    Sarif,
    /// JUnit XML: each check a test case, for any CI's test tab.
    Junit,
    /// GitHub Actions workflow commands (::error / ::warning annotations).
    Github,
}

/// Renders `verdict` as `format`. `color` applies to `human` only.
pub fn render(verdict: &Verdict, format: VerdictFormat, color: bool) -> String {
    match format {
        VerdictFormat::Human => human::render(verdict, crate::output::Paint(color)),
        VerdictFormat::Json => json::render(verdict),
        VerdictFormat::Markdown => markdown::render(verdict),
        VerdictFormat::Sarif => sarif::render(verdict),
        VerdictFormat::Junit => junit::render(verdict),
        VerdictFormat::Github => github::render(verdict),
    }
}

/// Checks worth showing first: failures, then warnings and waivers, then the rest.
pub(crate) fn ordered(v: &Verdict) -> Vec<&Check> {
    let mut c: Vec<&Check> = v.checks.iter().collect();
    c.sort_by_key(|c| c.outcome);
    c
}

/// `2 failed, 1 warning, 3 passed`.
pub(crate) fn tally(v: &Verdict) -> String {
    let mut parts = Vec::new();
    for (o, one, many) in [
        (Outcome::Fail, "failed", "failed"),
        (Outcome::Waived, "waived", "waived"),
        (Outcome::Warn, "warning", "warnings"),
        (Outcome::Pass, "passed", "passed"),
        (Outcome::Skipped, "skipped", "skipped"),
    ] {
        let n = v.count(o);
        if n > 0 {
            parts.push(format!("{n} {}", if n == 1 { one } else { many }));
        }
    }
    parts.join(", ")
}
