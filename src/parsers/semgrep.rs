//! Semgrep's JSON report (`semgrep scan --json`).
//!
//! One finding per `results[]` entry: `check_id` is the rule; `extra.severity` CRITICAL →
//! critical, ERROR and HIGH → high, WARNING and MEDIUM → medium, INFO and LOW → low,
//! EXPERIMENT and INVENTORY → info (Semgrep's own word; `metadata.security-severity` is not
//! used for the JSON); `metadata.cwe` (string or list) the CWE ids; `metadata.owasp` the
//! categories the rule states (those with a year); `metadata.confidence` the confidence.
//!
//! `# nosemgrep` matches are left out of the JSON by Semgrep (its SARIF keeps them as
//! suppressed); a result with `extra.is_ignored: true` is kept as suppressed in source.
//! `extra.fingerprint` and `extra.lines` say "requires login" in OSS runs and are then not
//! used. `errors[]` are tool errors.

use serde::Deserialize;

use super::tolerant::{LineNo, Objects, Text, Texts};
use crate::input::Source;
use crate::model::owasp::OwaspRef;
use crate::model::security::{Finding, FindingKind, SecurityReport, Severity, Suppression, cwe_in, snippet_hash};
use crate::parsers::ParseError;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Doc {
    results: Option<Objects<Match>>,
    errors: Objects<RawError>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Match {
    check_id: Text,
    path: Text,
    start: Position,
    extra: Extra,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Position {
    line: LineNo,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Extra {
    severity: Text,
    message: Text,
    metadata: Metadata,
    fingerprint: Text,
    lines: Text,
    is_ignored: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Metadata {
    cwe: Texts,
    owasp: Texts,
    confidence: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawError {
    level: Text,
    message: Text,
    path: Text,
}

/// Semgrep's severity word, normalized.
pub fn severity(word: &str) -> Severity {
    match word.trim().to_ascii_uppercase().as_str() {
        "CRITICAL" => Severity::Critical,
        "ERROR" | "HIGH" => Severity::High,
        "WARNING" | "MEDIUM" => Severity::Medium,
        "INFO" | "LOW" => Severity::Low,
        "EXPERIMENT" | "INVENTORY" => Severity::Info,
        _ => Severity::Unknown,
    }
}

const NO_LOGIN: &str = "requires login";

/// Reads a Semgrep JSON report.
pub fn parse(input: &Source) -> Result<SecurityReport, ParseError> {
    let doc: Doc = super::json::read_doc(input)?;
    let Some(results) = doc.results else {
        return Err(ParseError::whole("not a Semgrep report: there is no `results` list"));
    };
    let mut report = SecurityReport { tools: vec!["semgrep".into()], ..SecurityReport::default() };
    for mut m in results.0 {
        let word = m.extra.severity.take().unwrap_or_default();
        let mut f = Finding::new("semgrep", FindingKind::Code, severity(&word));
        f.native_severity = Some(word).filter(|w| !w.is_empty()).map(Into::into);
        f.rule = m.check_id.take();
        f.add_cwe(m.extra.metadata.cwe.0.iter().filter_map(|c| cwe_in(c)));
        let mut owasp: Vec<OwaspRef> = m.extra.metadata.owasp.0.iter().filter_map(|o| OwaspRef::parse(o)).collect();
        owasp.sort();
        owasp.dedup();
        f.owasp = owasp;
        f.confidence = m.extra.metadata.confidence.take();
        f.set_message(m.extra.message.as_deref().unwrap_or(""));
        f.path = m.path.take();
        f.line = m.start.line.0;
        if let Some(fp) = m.extra.fingerprint.as_deref().filter(|s| *s != NO_LOGIN) {
            f.set_tool_fingerprint(fp);
        }
        f.snippet = m.extra.lines.non_empty().filter(|s| *s != NO_LOGIN).and_then(snippet_hash);
        if m.extra.is_ignored == Some(true) {
            f.suppressed = Some(Suppression { kind: "inSource".into(), justification: Some("nosemgrep".into()) });
        }
        report.findings.push(f);
    }
    for e in doc.errors.0 {
        let level = e.level.as_deref().unwrap_or("error");
        let place = e.path.as_deref().map(|p| format!("{p}: ")).unwrap_or_default();
        let msg = crate::model::security::first_line(e.message.as_deref().unwrap_or("(no message)"));
        report.errors.push(format!("{level}: {place}{msg}"));
    }
    report.extra.insert("tool_errors".into(), report.errors.len().into());
    report.finish();
    Ok(report)
}
