//! Grype's JSON report (`grype IMAGE|DIR|SBOM -o json`).
//!
//! One finding is one element of `matches[]`: a vulnerability matched on one package at its
//! locations (the same CVE on two packages, or twice on one package found by two matchers, is two
//! matches, as grype lists and counts them). The severity is `vulnerability.severity`: Critical,
//! High, Medium, Low; Negligible → info (below low: Debian's "unimportant"); Unknown or none →
//! unknown. The rule is `vulnerability.id`; `relatedVulnerabilities[].id` are its aliases (for
//! waivers); the package is `artifact.name@artifact.version`, the path its first location. The
//! identity for `new_only` is the rule, the package name and the location, numbered among equal
//! ones. `ignoredMatches[]` (matches a grype ignore rule hid: `--only-fixed`, a `.grype.yaml`
//! `ignore:` rule, a VEX statement) are read the same way but kept as suppressed (`external`,
//! naming the rule's vulnerability and reason), so a policy that does not honour suppressions
//! still counts them. `matches` is required and, like `ignoredMatches`, must be a list of
//! objects; `[]` is a clean scan.

use serde::Deserialize;

use super::tolerant::{First, Objects, Text};
use crate::input::Source;
use crate::model::security::{Finding, FindingKind, SecurityReport, Severity, Suppression};
use crate::parsers::ParseError;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Doc {
    matches: Option<Objects<Match>>,
    #[serde(rename = "ignoredMatches")]
    ignored_matches: Objects<Match>,
    descriptor: Descriptor,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Descriptor {
    name: Text,
    version: Text,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Match {
    vulnerability: Vulnerability,
    related_vulnerabilities: Objects<Related>,
    artifact: Artifact,
    applied_ignore_rules: Objects<IgnoreRule>,
}

/// One of an ignored match's `appliedIgnoreRules[]`.
#[derive(Deserialize, Default)]
#[serde(default)]
struct IgnoreRule {
    vulnerability: Text,
    reason: Text,
    #[serde(rename = "vex-justification")]
    vex_justification: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Vulnerability {
    id: Text,
    severity: Text,
    description: Text,
    fix: Fix,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Fix {
    versions: super::tolerant::Texts,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Related {
    id: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Artifact {
    name: Text,
    version: Text,
    locations: First<Location>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Location {
    path: Text,
}

/// Grype's severity word, normalized.
pub fn severity(word: Option<&str>) -> Severity {
    match word.unwrap_or("").trim().to_ascii_lowercase().as_str() {
        "critical" => Severity::Critical,
        "high" => Severity::High,
        "medium" => Severity::Medium,
        "low" => Severity::Low,
        "negligible" => Severity::Info,
        _ => Severity::Unknown,
    }
}

/// One match (or ignored match) as a finding.
fn finding(m: Match) -> Finding {
    let v = m.vulnerability;
    let mut f = Finding::new("grype", FindingKind::Dependency, severity(v.severity.as_deref()));
    f.native_severity = v.severity.0.map(Into::into);
    f.rule = v.id.0;
    f.ids = f.rule.iter().cloned().chain(m.related_vulnerabilities.0.into_iter().filter_map(|r| r.id.0)).collect();
    f.ids.dedup();
    let name = m.artifact.name.0.unwrap_or_default();
    f.package = Some(match m.artifact.version.0 {
        Some(ver) => format!("{name}@{ver}"),
        None => name.clone(),
    });
    f.path = m.artifact.locations.0.and_then(|l| l.path.0);
    let fixed = if v.fix.versions.0.is_empty() {
        String::new()
    } else {
        format!(" (fixed in {})", v.fix.versions.0.join(", "))
    };
    let about = v.description.as_deref().map(|d| format!(": {d}")).unwrap_or_default();
    f.set_message(&format!(
        "{} in {}{fixed}{about}",
        f.rule.as_deref().unwrap_or("?"),
        f.package.as_deref().unwrap_or("?")
    ));
    f
}

/// Reads a Grype JSON report.
pub fn parse(input: &Source) -> Result<SecurityReport, ParseError> {
    let doc: Doc = super::json::read_doc(input)?;
    let Some(matches) = doc.matches else {
        return Err(ParseError::whole("no `matches` list: not a Grype JSON report"));
    };
    let mut report = SecurityReport { tools: vec!["grype".into()], ..SecurityReport::default() };
    for m in matches.0 {
        report.findings.push(finding(m));
    }
    for mut m in doc.ignored_matches.0 {
        let rules: Vec<String> = std::mem::take(&mut m.applied_ignore_rules.0)
            .into_iter()
            .map(|r| {
                let what = r.vulnerability.0.unwrap_or_else(|| "any vulnerability".into());
                match r.reason.0.or(r.vex_justification.0) {
                    Some(why) => format!("{what}: {why}"),
                    None => what,
                }
            })
            .collect();
        let mut f = finding(m);
        let justification = if rules.is_empty() {
            "ignored by a grype ignore rule".to_string()
        } else {
            format!("ignored by a grype ignore rule ({})", rules.join("; "))
        };
        f.suppressed = Some(Suppression { kind: "external".into(), justification: Some(justification) });
        report.findings.push(f);
    }
    if let (Some(n), Some(v)) = (doc.descriptor.name.0, doc.descriptor.version.0) {
        report.extra.insert("scanner".into(), format!("{n} {v}").into());
    }
    report.finish();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<SecurityReport, ParseError> {
        parse(&Source::bytes("grype.json", text.as_bytes()))
    }

    #[test]
    fn matches_are_findings_on_grypes_scale() {
        let r = read(r#"{"matches":[
{"vulnerability":{"id":"CVE-2021-33574","severity":"Critical","fix":{"versions":["2.31-13"]}},"relatedVulnerabilities":[{"id":"CVE-2021-33574"}],
 "artifact":{"name":"libc6","version":"2.28-10","locations":[{"path":"/var/lib/dpkg/status"}]}},
{"vulnerability":{"id":"CVE-2021-33574","severity":"Critical"},"artifact":{"name":"libc-bin","version":"2.28-10","locations":[]}},
{"vulnerability":{"id":"CVE-2004-0971","severity":"Negligible"},"artifact":{"name":"krb5","version":"1"}},
{"vulnerability":{"id":"GHSA-x","severity":"Unknown"},"artifact":{"name":"django","version":"3.2.9"}}],
"descriptor":{"name":"grype","version":"0.28.0"}}"#)
        .unwrap();
        let s = r.summary();
        assert_eq!((s.total, s.by_severity.critical, s.by_severity.info, s.by_severity.unknown), (4, 2, 1, 1));
        assert_eq!(r.findings[0].package.as_deref(), Some("libc6@2.28-10"));
        assert_eq!(r.findings[0].path.as_deref(), Some("/var/lib/dpkg/status"));
        assert!(r.findings[0].message.contains("fixed in 2.31-13"));
        assert_ne!(r.findings[0].fingerprint, r.findings[1].fingerprint);
        assert_eq!(r.findings[0].owasp_categories(crate::model::owasp::Edition::Y2021), vec![6]);
    }

    #[test]
    fn a_clean_scan_is_clean_and_wrong_types_are_errors() {
        assert_eq!(read(r#"{"matches":[],"source":{"type":"image"}}"#).unwrap().summary().total, 0);
        assert!(read(r#"{"matches":{"a":1}}"#).unwrap_err().to_string().contains("matches"));
        assert!(read(r#"{"matches":[[1]]}"#).unwrap_err().to_string().contains("matches[0]"));
        assert!(read(r#"{"source":{}}"#).unwrap_err().to_string().contains("no `matches`"));
    }

    #[test]
    fn ignored_matches_are_suppressed_findings() {
        let r = read(r#"{"matches":[],"ignoredMatches":[{"vulnerability":{"id":"CVE-2021-44228","severity":"Critical"},
"artifact":{"name":"log4j-core","version":"2.14.1"},"appliedIgnoreRules":[{"vulnerability":"CVE-2021-44228","reason":"not reachable"}]}],
"descriptor":{"name":"grype","version":"0.74.0"}}"#)
        .unwrap();
        assert_eq!(r.findings.len(), 1);
        let f = &r.findings[0];
        assert_eq!((f.severity, f.rule.as_deref()), (Severity::Critical, Some("CVE-2021-44228")));
        let s = f.suppressed.as_ref().expect("an ignored match is a suppressed finding");
        assert_eq!(s.kind, "external");
        let why = s.justification.as_deref().unwrap();
        assert!(why.contains("grype ignore rule") && why.contains("not reachable"), "{why}");
        assert_eq!(r.summary().suppressed, 1);
        assert!(read(r#"{"matches":[],"ignoredMatches":{"a":1}}"#).unwrap_err().to_string().contains("ignoredMatches"));
    }
}
