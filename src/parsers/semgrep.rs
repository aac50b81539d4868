//! Semgrep's JSON report (`semgrep scan --json`).
//!
//! One finding per `results[]` entry: `check_id` is the rule; `extra.severity` CRITICAL →
//! critical, ERROR and HIGH → high, WARNING and MEDIUM → medium, INFO and LOW → low,
//! EXPERIMENT and INVENTORY → info (Semgrep's own word; `metadata.security-severity` is not
//! used for the JSON); `metadata.cwe` (string or list) the CWE ids; `metadata.owasp` the
//! categories the rule states (those with a year); `metadata.confidence` the confidence.
//!
//! `# nosemgrep` matches are left out of the JSON by Semgrep, uncounted (its SARIF keeps them as
//! suppressed): with `honor_suppressions = false` the report cannot be judged (it blocks, naming
//! SARIF as the fix). A result with `extra.is_ignored: true` is kept as suppressed in source.
//! `extra.fingerprint` and `extra.lines` say "requires login" in OSS runs and are then not
//! used. `errors[]` are tool errors (their `message`, else `short_msg` and `long_msg`); errors
//! with `paths.scanned` empty are a scan that failed (an invalid rule stops Semgrep before it
//! scans anything): the report is incomplete.

use serde::Deserialize;

use super::tolerant::{LineNo, Objects, Text, Texts};
use crate::input::Source;
use crate::model::owasp::OwaspRef;
use crate::model::security::{
    Finding, FindingKind, SecurityReport, Severity, Suppression, Unlisted, cwe_in, snippet_hash,
};
use crate::parsers::ParseError;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Doc {
    results: Option<Objects<Match>>,
    errors: Objects<RawError>,
    paths: Paths,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Paths {
    /// The files scanned; `None` when the report does not say (older Semgrep).
    scanned: Option<Vec<String>>,
    /// The files skipped and why (written with `--verbose`).
    skipped: Objects<SkippedPath>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SkippedPath {
    path: Text,
    reason: Text,
}

/// Why Semgrep skips a file it was asked to scan — too large, too many matches, a parser that
/// failed, no permission — as opposed to one it was told to leave (`.semgrepignore`, `--exclude`,
/// another language, a minified or binary file).
const NOT_SCANNED: &[&str] = &[
    "exceeded_size_limit",
    "too_big",
    "too_many_matches",
    "analysis_failed_parser_or_internal_error",
    "insufficient_permissions",
];

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
    /// What an error about a rule says instead of `message` (an invalid rule: "Invalid rule
    /// schema", then the rule).
    short_msg: Text,
    long_msg: Text,
    path: Text,
}

impl RawError {
    /// What the error says: `message`, else its short and long forms.
    fn text(&self) -> String {
        let text = match (self.message.non_empty(), self.short_msg.non_empty(), self.long_msg.non_empty()) {
            (Some(m), ..) => m.to_string(),
            (None, Some(short), Some(long)) => format!("{short}: {long}"),
            (None, short, long) => short.or(long).unwrap_or("(no message)").to_string(),
        };
        crate::model::security::first_line(&text)
    }
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
        if let Some(fp) = m.extra.fingerprint.as_deref() {
            f.set_tool_fingerprint(fp);
        }
        f.snippet = m.extra.lines.non_empty().and_then(snippet_hash);
        f.withheld = m.extra.lines.non_empty().is_some_and(crate::model::security::is_placeholder);
        if m.extra.is_ignored == Some(true) {
            f.suppressed = Some(Suppression { kind: "inSource".into(), justification: Some("nosemgrep".into()) });
        }
        report.findings.push(f);
    }
    let mut failed = None;
    let mut rule_failed = None;
    for e in doc.errors.0 {
        let level = e.level.as_deref().unwrap_or("error");
        let place = e.path.as_deref().map(|p| format!("{p}: ")).unwrap_or_default();
        let msg = e.text();
        if level == "error" && failed.is_none() {
            failed = Some(format!("{place}{msg}"));
        }
        // An error of no scanned file (a rule that does not parse, a configuration Semgrep
        // refuses): rules asked for did not run, and Semgrep exits 2, a failed scan.
        if level == "error" && e.path.as_deref().is_none() && rule_failed.is_none() {
            rule_failed = Some(msg.clone());
        }
        report.errors.push(format!("{level}: {place}{msg}"));
    }
    // Errors and not one file scanned (an invalid rule stops Semgrep before it scans, exit 7):
    // the scan failed; a few files Semgrep could not parse in a scan of others do not.
    match (failed, doc.paths.scanned.as_deref()) {
        (Some(why), Some([])) => report.incomplete.push(format!("Semgrep reported errors and scanned no file: {why}")),
        // "Nothing to scan": said (a warning), not a failed scan — a diff-aware scan
        // (`--baseline-commit`) of a change of no code scans nothing, rightly.
        // …unless it skipped what it was asked to scan (a file over `--max-target-bytes`, 1 MB by
        // default: "Ran 1 rule on 0 files"), which `--verbose` writes in `paths.skipped`.
        (None, Some([])) => {
            // (A code file: a diff-aware scan whose only change is a large lock file scans
            // nothing, rightly.)
            let not_scanned = |s: &&SkippedPath| {
                s.reason.as_deref().is_some_and(|r| NOT_SCANNED.contains(&r))
                    && s.path.as_deref().is_some_and(crate::paths::is_code)
            };
            match doc.paths.skipped.0.iter().find(not_scanned) {
                Some(s) => report.incomplete.push(format!(
                    "Semgrep scanned no file: it skipped {} ({})",
                    s.path.as_deref().unwrap_or("a file"),
                    s.reason.as_deref().unwrap_or_default()
                )),
                None => report.errors.push("Semgrep scanned no file (its `paths.scanned` is empty)".into()),
            }
        }
        _ => {
            if let Some(why) = rule_failed {
                report.incomplete.push(format!("a rule did not run (Semgrep failed, exit 2): {why}"));
            }
        }
    }
    // Semgrep's JSON leaves `# nosemgrep` matches out and counts none of them (its SARIF lists
    // them as suppressed): with suppressions not honoured, the gate cannot tell none from some.
    // A report that marks them (`extra.is_ignored`) lists them.
    let marks = report.findings.iter().any(|f| f.suppressed.is_some());
    report.unlisted_suppressed = (!marks).then(|| Unlisted {
        count: None,
        fix: "have Semgrep write SARIF (--sarif-output FILE), which lists the findings `nosemgrep` silenced".into(),
    });
    report.scanned = doc.paths.scanned.unwrap_or_default();
    report.scanned.truncate(crate::model::security::SCANNED_KEPT);
    report.extra.insert("tool_errors".into(), report.errors.len().into());
    report.finish();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> SecurityReport {
        parse(&Source::bytes("semgrep.json", text.as_bytes())).unwrap()
    }

    /// Semgrep 1.187 skipping the one file it was given (`--max-target-bytes`; "Ran 1 rule on 0
    /// files", exit 0): approved as a clean scan of it.
    #[test]
    fn a_scan_that_skipped_every_code_file_it_was_given_is_incomplete() {
        let r = read(
            r#"{"version":"1.187.0","results":[],"errors":[],"paths":{"scanned":[],
            "skipped":[{"path":"src/app.py","reason":"exceeded_size_limit"}]}}"#,
        );
        assert_eq!(r.incomplete, ["Semgrep scanned no file: it skipped src/app.py (exceeded_size_limit)"]);
        // Skipped as told (`.semgrepignore`): nothing to scan, said.
        let r = read(
            r#"{"version":"1.187.0","results":[],"errors":[],"paths":{"scanned":[],
            "skipped":[{"path":"vendor/x.py","reason":"semgrepignore_patterns_match"}]}}"#,
        );
        assert!(r.incomplete.is_empty(), "{:?}", r.incomplete);
        // Every rule timing out on the one file scanned: an error (a warning row), not a failed
        // scan — Semgrep's JSON does not say how many rules ran, and one rule of hundreds timing
        // out on a file leaves the others' results.
        let timeout = r#"{"type":"Timeout","level":"warn","path":"src/app.py","message":"Timeout when running shell-true on src/app.py"}"#;
        let r = read(&format!(
            r#"{{"version":"1.187.0","results":[],"errors":[{timeout}],"paths":{{"scanned":["src/app.py"]}}}}"#
        ));
        assert!(r.incomplete.is_empty() && r.errors.len() == 1, "{:?}", r.incomplete);
    }

    #[test]
    fn errors_with_no_file_scanned_are_a_failed_scan_and_say_what_failed() {
        // Semgrep 1.187 with an invalid rule: exit 7, nothing scanned, the text in short/long_msg.
        let bad = r#"{"version":"1.187.0","results":[],"errors":[{"code":4,"level":"error","type":"InvalidRuleSchemaError",
            "long_msg":"{'id': 'bad-rule'} is not valid under any of the given schemas","short_msg":"Invalid rule schema"},
            {"code":7,"level":"error","type":"SemgrepError","message":"invalid configuration file found"}],
            "paths":{"scanned":[]},"skipped_rules":[]}"#;
        let r = read(bad);
        assert_eq!(r.incomplete.len(), 1, "{r:?}");
        assert!(r.incomplete[0].contains("Invalid rule schema: {'id': 'bad-rule'}"), "{:?}", r.incomplete);
        assert!(r.errors.iter().all(|e| !e.contains("(no message)")), "{:?}", r.errors);
        // A rule that does not parse in a scan of files (Semgrep 1.187: "Rule parse error",
        // exit 2), said with what was scanned or not: the rule never ran.
        let some = bad.replace(r#""scanned":[]"#, r#""scanned":["a.py"]"#);
        let unsaid = bad.replace(r#""paths":{"scanned":[]},"#, "");
        for text in [&some, &unsaid] {
            let r = read(text);
            assert_eq!(r.errors.len(), 2, "{r:?}");
            assert!(r.incomplete.len() == 1 && r.incomplete[0].starts_with("a rule did not run"), "{r:?}");
        }
        // Files Semgrep could not parse in a scan of others: errors, not a failed scan.
        let files = r#"{"version":"1.187.0","results":[],"errors":[{"code":3,"level":"warn","type":"Syntax error",
            "path":"b.py","message":"Syntax error at line b.py:1"},{"code":3,"level":"error","type":"Other syntax error",
            "path":"c.py","message":"c.py: not parsed"}],"paths":{"scanned":["a.py","b.py","c.py"]}}"#;
        let r = read(files);
        assert!(!r.is_incomplete() && r.errors.len() == 2, "{r:?}");
    }

    /// "Nothing to scan… Ran 1 rule on 0 files": said, as a tool error (a warning), since a
    /// diff-aware scan of a change of no code scans nothing too.
    #[test]
    fn a_scan_of_no_file_is_said() {
        let r = read(r#"{"version":"1.187.0","results":[],"errors":[],"paths":{"scanned":[]}}"#);
        assert!(!r.is_incomplete(), "{r:?}");
        assert_eq!(r.errors, ["Semgrep scanned no file (its `paths.scanned` is empty)"]);
        let r = read(r#"{"version":"1.187.0","results":[],"errors":[],"paths":{"scanned":["a.py"]}}"#);
        assert!(!r.is_incomplete(), "{r:?}");
    }
}
