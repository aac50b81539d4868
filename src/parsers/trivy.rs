//! Trivy's JSON report (`trivy fs|image|config --format json`, schema 2; the schema-1 top-level
//! list of results is read too).
//!
//! Findings: every `Results[].Vulnerabilities[]` (dependency), `Misconfigurations[]` whose
//! `Status` is not PASS or EXCEPTION (configuration), `Secrets[]` (secret) and `Licenses[]`
//! (licence) entry. The severity is the entry's own `Severity` — the one Trivy's `--severity`
//! filters on — CRITICAL, HIGH, MEDIUM, LOW; UNKNOWN or none → `unknown`. Vendor ratings and
//! CVSS figures are not used. The path is the result's `Target`.
//!
//! A report without `Results` is clean: since 0.31 Trivy leaves out the targets in which it found
//! nothing (`--list-all-pkgs` keeps them), and `Results` with them. A target whose
//! `MisconfSummary` counts more failures than it lists is incomplete; a `MisconfSummary.Failures`
//! that is not a whole number is an error.

use std::fmt;

use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::json::Keys;
use super::tolerant::{LineNo, Object, Objects, Text, Texts};
use crate::input::Source;
use crate::model::security::{Finding, FindingKind, SecurityReport, Severity, cwe_in, snippet_hash};
use crate::parsers::ParseError;

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawResult {
    #[serde(rename = "Target")]
    target: Text,
    #[serde(rename = "Vulnerabilities")]
    vulnerabilities: Objects<Vulnerability>,
    #[serde(rename = "Misconfigurations")]
    misconfigurations: Objects<Misconfiguration>,
    #[serde(rename = "Secrets")]
    secrets: Objects<Secret>,
    #[serde(rename = "Licenses")]
    licenses: Objects<License>,
    #[serde(rename = "MisconfSummary")]
    misconf_summary: Option<MisconfSummary>,
}

/// The misconfiguration checks of a target, counted by Trivy from the list it writes.
#[derive(Deserialize, Default)]
#[serde(default)]
struct MisconfSummary {
    #[serde(rename = "Failures")]
    failures: u64,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Vulnerability {
    #[serde(rename = "VulnerabilityID")]
    id: Text,
    #[serde(rename = "VendorIDs")]
    vendor_ids: Texts,
    #[serde(rename = "PkgName")]
    package: Text,
    #[serde(rename = "InstalledVersion")]
    version: Text,
    #[serde(rename = "Severity")]
    severity: Text,
    #[serde(rename = "CweIDs")]
    cwe: Texts,
    #[serde(rename = "Title")]
    title: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Misconfiguration {
    #[serde(rename = "ID")]
    id: Text,
    #[serde(rename = "AVDID")]
    avd_id: Text,
    #[serde(rename = "Title")]
    title: Text,
    #[serde(rename = "Message")]
    message: Text,
    #[serde(rename = "Severity")]
    severity: Text,
    #[serde(rename = "Status")]
    status: Text,
    #[serde(rename = "CauseMetadata")]
    cause: Cause,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Cause {
    #[serde(rename = "StartLine")]
    start_line: LineNo,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Secret {
    #[serde(rename = "RuleID")]
    rule: Text,
    #[serde(rename = "Title")]
    title: Text,
    #[serde(rename = "Severity")]
    severity: Text,
    #[serde(rename = "StartLine")]
    start_line: LineNo,
    #[serde(rename = "Match")]
    matched: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct License {
    #[serde(rename = "Name")]
    name: Text,
    #[serde(rename = "PkgName")]
    package: Text,
    #[serde(rename = "Severity")]
    severity: Text,
}

#[derive(Default)]
struct Doc {
    results: Option<Vec<RawResult>>,
}

impl<'de> Deserialize<'de> for Doc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Doc;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a Trivy report (an object with `Results`)")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Doc, A::Error> {
                let mut out = Vec::new();
                while let Some(Object(r)) = seq.next_element::<Object<RawResult>>()? {
                    out.push(r);
                }
                Ok(Doc { results: Some(out) })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Doc, A::Error> {
                let (mut doc, mut keys) = (Doc::default(), Keys::default());
                let mut schema = false;
                while let Some(k) = map.next_key::<String>()? {
                    match k.as_str() {
                        "Results" => {
                            keys.once("Results")?;
                            doc.results = Some(map.next_value::<Objects<RawResult>>()?.0);
                        }
                        "SchemaVersion" | "ArtifactName" => {
                            schema = true;
                            map.next_value::<IgnoredAny>()?;
                        }
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                if doc.results.is_none() && schema {
                    doc.results = Some(Vec::new());
                }
                Ok(doc)
            }
        }
        d.deserialize_any(V)
    }
}

/// Trivy's severity word, normalized.
pub fn severity(word: Option<&str>) -> Severity {
    match word.unwrap_or("").trim().to_ascii_uppercase().as_str() {
        "CRITICAL" => Severity::Critical,
        "HIGH" => Severity::High,
        "MEDIUM" => Severity::Medium,
        "LOW" => Severity::Low,
        _ => Severity::Unknown,
    }
}

fn finding(kind: FindingKind, word: &mut Text, target: &Option<String>) -> Finding {
    let mut f = Finding::new("trivy", kind, severity(word.as_deref()));
    f.native_severity = word.take().map(Into::into);
    f.path = target.clone();
    f
}

/// Reads a Trivy JSON report.
pub fn parse(input: &Source) -> Result<SecurityReport, ParseError> {
    let doc: Doc = super::json::read_doc(input)?;
    let Some(results) = doc.results else {
        return Err(ParseError::whole("not a Trivy report: there is no `Results` list"));
    };
    let mut report = SecurityReport { tools: vec!["trivy".into()], ..SecurityReport::default() };
    let mut passed = 0u64;
    for r in results {
        let target = r.target.0;
        let stated_failures = r.misconf_summary.as_ref().map_or(0, |m| m.failures);
        for mut v in r.vulnerabilities.0 {
            let mut f = finding(FindingKind::Dependency, &mut v.severity, &target);
            f.rule = v.id.take();
            f.ids = f.rule.iter().cloned().chain(v.vendor_ids.0).collect();
            f.add_cwe(v.cwe.0.iter().filter_map(|c| cwe_in(c)));
            let message = v.title.take().or_else(|| f.rule.clone()).unwrap_or_default();
            f.set_message(&message);
            f.package = v.package.take().map(|p| match v.version.take() {
                Some(ver) => format!("{p}@{ver}"),
                None => p,
            });
            report.findings.push(f);
        }
        let failing = r
            .misconfigurations
            .0
            .iter()
            .filter(|m| {
                !matches!(m.status.as_deref().map(str::to_ascii_uppercase).as_deref(), Some("PASS" | "EXCEPTION"))
            })
            .count() as u64;
        if stated_failures > failing {
            report.incomplete.push(format!(
                "{}: `MisconfSummary` counts {stated_failures} failed check(s) and the report lists {failing}: \
                 failures are missing from it",
                target.as_deref().unwrap_or("a target")
            ));
        }
        for mut m in r.misconfigurations.0 {
            if matches!(m.status.as_deref().map(str::to_ascii_uppercase).as_deref(), Some("PASS" | "EXCEPTION")) {
                passed += 1;
                continue;
            }
            let mut f = finding(FindingKind::Config, &mut m.severity, &target);
            f.rule = m.id.take().or_else(|| m.avd_id.take());
            f.set_message(m.message.as_deref().or(m.title.as_deref()).unwrap_or(""));
            f.line = m.cause.start_line.0;
            report.findings.push(f);
        }
        for mut s in r.secrets.0 {
            let mut f = finding(FindingKind::Secret, &mut s.severity, &target);
            f.rule = s.rule.take();
            f.set_message(s.title.as_deref().unwrap_or(""));
            f.line = s.start_line.0;
            f.snippet = s.matched.as_deref().and_then(snippet_hash);
            report.findings.push(f);
        }
        for mut l in r.licenses.0 {
            let mut f = finding(FindingKind::License, &mut l.severity, &target);
            f.rule = l.name.take();
            f.package = l.package.take();
            f.set_message(&format!("licence {}", f.rule.as_deref().unwrap_or("?")));
            report.findings.push(f);
        }
    }
    if passed > 0 {
        report.extra.insert("misconfigurations_not_failed".into(), passed.into());
    }
    report.finish();
    Ok(report)
}
