//! The Jenkins Warnings Next Generation plugin's native JSON issues report
//! (`recordIssues(tool: issues(pattern: 'temis-ci/issues.json'))`): `{"issues": [...]}`, each issue
//! with `fileName`, `lineStart`/`lineEnd`, `severity` (`ERROR`, `HIGH`, `NORMAL`, `LOW`),
//! `message`, `description`, `category`, `type` and a `fingerprint` that leaves lines out
//! ([`fingerprints`]), so the plugin tracks an issue that moves as the same issue.
//!
//! The file name must end in `.json` (the plugin reads other names as one issue per line). The
//! plugin shows `description` as HTML and sanitizes it; report text is made plain
//! ([`plain_text`]) first, so no markup reaches it at all.

use serde::Serialize;

use super::annotations::{Annotation, Level, fingerprints, plain_text};

/// The longest message and description written.
const TEXT_MAX_CHARS: usize = 4_000;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Issue<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    file_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line_start: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line_end: Option<u32>,
    severity: &'static str,
    message: String,
    description: String,
    category: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    fingerprint: &'a str,
}

#[derive(Serialize)]
struct Report<'a> {
    issues: Vec<Issue<'a>>,
}

/// The plugin's severity: what blocks is an `ERROR`.
pub fn severity(level: Level) -> &'static str {
    match level {
        Level::Failure => "ERROR",
        Level::Warning => "NORMAL",
        Level::Notice => "LOW",
    }
}

/// The report for `list`, every annotation an issue (pathless ones without a file).
pub fn render(list: &[Annotation]) -> String {
    let prints = fingerprints(list);
    let issues = list
        .iter()
        .zip(&prints)
        .map(|(a, fingerprint)| {
            let located = a.path.is_some();
            Issue {
                file_name: a.path.as_deref(),
                line_start: located.then(|| a.start_line.max(1)),
                line_end: located.then(|| a.end_line.max(a.start_line).max(1)),
                severity: severity(a.level),
                message: plain_text(&a.title.replace(['\n', '\r'], " "), TEXT_MAX_CHARS),
                description: plain_text(&a.message, TEXT_MAX_CHARS),
                category: crate::gate::codes::lookup(a.code).map_or("gate", |c| c.family),
                kind: a.code,
                fingerprint,
            }
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&Report { issues }).expect("issues serialize");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_annotation_is_an_issue_and_text_is_plain() {
        let a = Annotation {
            level: Level::Warning,
            code: "tests-failing",
            key: "k".into(),
            path: None,
            start_line: 0,
            end_line: 0,
            title: "temis: <b>Tests</b>".into(),
            message: "<script>x</script>".into(),
        };
        let v: serde_json::Value = serde_json::from_str(&render(&[a])).unwrap();
        let issue = &v["issues"][0];
        assert_eq!((issue["severity"].as_str(), issue["category"].as_str()), (Some("NORMAL"), Some("tests")));
        assert!(issue.get("fileName").is_none() && issue.get("lineStart").is_none());
        assert!(!v.to_string().contains('<'), "{v}");
    }
}
