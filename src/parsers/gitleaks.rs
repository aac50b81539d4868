//! gitleaks' JSON report: a list of leaks, with gitleaks 8 keys (`RuleID`, `File`, `StartLine`,
//! `Fingerprint`) or gitleaks 7 keys (`rule`, `file`, `lineNumber`, `offender`).
//!
//! gitleaks gives no severity: every finding is `unknown` (the policy says what that counts
//! as), a secret (OWASP A07; gitleaks states no CWE, so none is added). gitleaks 8's `Fingerprint` (`commit:file:rule:line`, what
//! `.gitleaksignore` lists) is the finding's identity for baselines and waivers. A report that
//! is `null` is not a scan that found nothing: it is read as an incomplete scan.

use serde::Deserialize;

use super::tolerant::{LineNo, Object, Text};
use crate::input::Source;
use crate::model::security::{Finding, FindingKind, SecurityReport, Severity, snippet_hash};
use crate::parsers::ParseError;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Leak {
    #[serde(rename = "RuleID", alias = "rule")]
    rule: Text,
    #[serde(rename = "Description")]
    description: Text,
    #[serde(rename = "File", alias = "file")]
    file: Text,
    #[serde(rename = "StartLine", alias = "lineNumber")]
    line: LineNo,
    #[serde(rename = "Secret")]
    secret: Text,
    #[serde(rename = "Match")]
    matched: Text,
    #[serde(rename = "Fingerprint")]
    fingerprint: Text,
    /// gitleaks 7's matched text.
    offender: Text,
}

/// Reads a gitleaks JSON report.
pub fn parse(input: &Source) -> Result<SecurityReport, ParseError> {
    let leaks: Option<Vec<Object<Leak>>> = super::json::read_doc(input)?;
    let mut report = SecurityReport { tools: vec!["gitleaks".into()], ..SecurityReport::default() };
    let Some(leaks) = leaks else {
        report.incomplete.push(
            "the report is `null`, not a list of leaks: gitleaks writes `[]` when it finds nothing, so this scan did \
             not finish (or its output was replaced)"
                .into(),
        );
        return Ok(report);
    };
    for Object(mut l) in leaks {
        let mut f = Finding::new("gitleaks", FindingKind::Secret, Severity::Unknown);
        f.rule = l.rule.take();
        f.path = l.file.take();
        f.line = l.line.0;
        let what = l.description.take().or_else(|| f.rule.clone()).unwrap_or_default();
        f.set_message(&format!("secret: {what}"));
        if let Some(fp) = l.fingerprint.as_deref() {
            f.set_tool_fingerprint(fp);
        }
        f.snippet = l.secret.non_empty().or(l.matched.non_empty()).or(l.offender.non_empty()).and_then(snippet_hash);
        report.findings.push(f);
    }
    report.finish();
    Ok(report)
}
