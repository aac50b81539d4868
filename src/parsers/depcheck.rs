//! OWASP Dependency-Check's JSON report (`dependency-check.sh --format JSON`, the Maven and
//! Gradle plugins' `dependency-check-report.json`; report schema 1.x).
//!
//! One finding is one element of a dependency's `vulnerabilities[]` (an advisory on one file of
//! the project: a dependency finding). The severity is the element's own `severity`, the one
//! Dependency-Check prints and fails builds on — CRITICAL, HIGH, MEDIUM (MODERATE from npm
//! audit), LOW, INFO — else the CVSS v3 base score, else the v2 score (cut-offs as SARIF), else
//! unknown. `cwes` give the CWE ids (`NVD-CWE-Other` is none); the rule is the advisory `name`
//! (CVE-…, GHSA-…), the package the dependency's first `packages[].id` (a purl), else its
//! `fileName`; the path is its `filePath`. `suppressedVulnerabilities[]` (matched by a
//! suppression file) are kept as suppressed. `dependencies` is required and must be a list of
//! objects, as must each `vulnerabilities`. Every file analysed is listed, so `dependencies: []`
//! is a scan of nothing (`--scan` pointed elsewhere): incomplete. A dependency without
//! vulnerabilities is clean — unless
//! `scanInfo.analysisExceptions` lists exceptions (each `{"exception": {"message", "stackTrace",
//! "cause"}}`: the NVD update failed, an analyzer failed…): each one makes the scan incomplete,
//! named by its message's first line, and a value there that is not a list is incomplete too.

use serde::Deserialize;

use super::tolerant::{First, Num, Objects, Text, Texts};
use crate::input::Source;
use crate::model::security::{Finding, FindingKind, SecurityReport, Severity, Suppression, cwe_in};
use crate::parsers::ParseError;

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Doc {
    report_schema: Text,
    scan_info: ScanInfo,
    dependencies: Option<Objects<Dependency>>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct ScanInfo {
    engine_version: Text,
    /// Read by hand: any element, whatever its shape, is an exception.
    analysis_exceptions: Option<serde_json::Value>,
}

/// The first line of an analysis exception's message (`exception.message`, else a bare
/// `message`, else the element itself when it is a string), with its cause's.
fn exception_message(e: &serde_json::Value) -> String {
    let inner = e.get("exception").unwrap_or(e);
    let line = |v: Option<&serde_json::Value>| {
        v.and_then(serde_json::Value::as_str).map(crate::model::security::first_line).filter(|m| !m.trim().is_empty())
    };
    let message = line(inner.get("message")).or_else(|| line(Some(inner))).unwrap_or_else(|| "(no message)".into());
    match line(inner.get("cause").and_then(|c| c.get("message"))) {
        Some(cause) if cause != message => format!("{message} (cause: {cause})"),
        _ => message,
    }
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Dependency {
    file_name: Text,
    file_path: Text,
    packages: First<Package>,
    vulnerabilities: Objects<Vulnerability>,
    suppressed_vulnerabilities: Objects<Vulnerability>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Package {
    id: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Vulnerability {
    source: Text,
    name: Text,
    severity: Text,
    cvssv2: Cvss2,
    cvssv3: Cvss3,
    cwes: Texts,
    description: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Cvss2 {
    score: Num,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Cvss3 {
    base_score: Num,
}

/// Dependency-Check's severity word, else its CVSS scores, normalized.
fn severity(v: &Vulnerability) -> Severity {
    match v.severity.as_deref().unwrap_or("").trim().to_ascii_uppercase().as_str() {
        "CRITICAL" => Severity::Critical,
        "HIGH" => Severity::High,
        "MEDIUM" | "MODERATE" => Severity::Medium,
        "LOW" => Severity::Low,
        "INFO" | "INFORMATIONAL" => Severity::Info,
        _ => v.cvssv3.base_score.0.or(v.cvssv2.score.0).and_then(Severity::from_score).unwrap_or(Severity::Unknown),
    }
}

fn finding(d: &Dependency, v: Vulnerability) -> Finding {
    let mut f = Finding::new("dependency-check", FindingKind::Dependency, severity(&v));
    f.native_severity = v.severity.0.map(Into::into);
    f.rule = v.name.0;
    f.ids = f.rule.iter().cloned().collect();
    f.add_cwe(v.cwes.0.iter().filter_map(|c| cwe_in(c)));
    f.package = d.packages.0.as_ref().and_then(|p| p.id.0.clone()).or_else(|| d.file_name.0.clone());
    f.path = d.file_path.0.clone().or_else(|| d.file_name.0.clone());
    let source = v.source.as_deref().map(|s| format!(" [{s}]")).unwrap_or_default();
    let about = v.description.as_deref().map(|t| format!(": {t}")).unwrap_or_default();
    f.set_message(&format!(
        "{} in {}{source}{about}",
        f.rule.as_deref().unwrap_or("?"),
        d.file_name.as_deref().unwrap_or("a dependency")
    ));
    f
}

/// Reads a Dependency-Check JSON report.
pub fn parse(input: &Source) -> Result<SecurityReport, ParseError> {
    let doc: Doc = super::json::read_doc(input)?;
    let Some(dependencies) = doc.dependencies else {
        return Err(ParseError::whole("no `dependencies` list: not a Dependency-Check JSON report"));
    };
    let mut report = SecurityReport { tools: vec!["dependency-check".into()], ..SecurityReport::default() };
    if dependencies.0.is_empty() {
        // Every file analysed is listed, with or without vulnerabilities: none is no scan.
        report.incomplete.push(
            "dependency-check analysed no file (`dependencies` is empty): point `--scan` at the project \
             (its lockfiles, manifests, archives); with Maven or Gradle, a parent module's own report is empty — \
             `dependency-check:aggregate` (`dependencyCheckAggregate`) writes one report of every module"
                .into(),
        );
    }
    for mut d in dependencies.0 {
        let vulns = std::mem::take(&mut d.vulnerabilities.0);
        let suppressed = std::mem::take(&mut d.suppressed_vulnerabilities.0);
        for v in vulns {
            report.findings.push(finding(&d, v));
        }
        for v in suppressed {
            let mut f = finding(&d, v);
            f.suppressed = Some(Suppression {
                kind: "external".into(),
                justification: Some("dependency-check suppression file".into()),
            });
            report.findings.push(f);
        }
    }
    match doc.scan_info.analysis_exceptions {
        None => {}
        Some(serde_json::Value::Array(list)) => {
            for e in &list {
                report.incomplete.push(format!("dependency-check analysis exception: {}", exception_message(e)));
            }
        }
        Some(other) => report.incomplete.push(format!(
            "dependency-check scanInfo.analysisExceptions is not a list ({}): the scan may not be whole",
            crate::model::security::first_line(&other.to_string())
        )),
    }
    if let Some(v) = doc.scan_info.engine_version.0 {
        report.extra.insert("engine_version".into(), v.into());
    }
    if let Some(v) = doc.report_schema.0 {
        report.extra.insert("report_schema".into(), v.into());
    }
    report.finish();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<SecurityReport, ParseError> {
        parse(&Source::bytes("dependency-check-report.json", text.as_bytes()))
    }

    #[test]
    fn each_vulnerability_of_each_dependency_is_a_finding() {
        let r = read(r#"{"reportSchema":"1.1","scanInfo":{"engineVersion":"9.0.9"},"projectInfo":{"name":"app"},"dependencies":[
{"isVirtual":false,"fileName":"log4j-core-2.14.1.jar","filePath":"/app/lib/log4j-core-2.14.1.jar",
 "packages":[{"id":"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1","confidence":"HIGH"}],
 "vulnerabilities":[{"source":"NVD","name":"CVE-2021-44228","severity":"CRITICAL","cvssv3":{"baseScore":10.0,"baseSeverity":"CRITICAL"},"cwes":["CWE-502","CWE-400"],"description":"Log4Shell"},
  {"source":"NVD","name":"CVE-2021-45046","cvssv3":{"baseScore":9.0},"cwes":["NVD-CWE-Other"]}],
 "suppressedVulnerabilities":[{"source":"NVD","name":"CVE-2021-44832","severity":"MEDIUM"}]},
{"isVirtual":false,"fileName":"lodash","filePath":"/app/package-lock.json?lodash","vulnerabilities":[{"source":"NPM","name":"GHSA-jf85","severity":"moderate"}]},
{"fileName":"clean.jar","filePath":"/app/lib/clean.jar"}]}"#)
        .unwrap();
        let s = r.summary();
        assert_eq!((s.total, s.by_severity.critical, s.by_severity.medium, s.suppressed), (3, 2, 1, 1));
        let f = &r.findings[0];
        assert_eq!(f.cwe, vec![400, 502]);
        assert_eq!(f.package.as_deref(), Some("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"));
        assert!(r.findings[1].cwe.is_empty());
    }

    #[test]
    fn a_clean_scan_is_clean_and_wrong_types_are_errors() {
        let clean =
            read(r#"{"reportSchema":"1.1","dependencies":[{"fileName":"a.jar","vulnerabilities":[]}]}"#).unwrap();
        assert_eq!(clean.summary().total, 0);
        assert!(!clean.is_incomplete());
        // Dependency-Check given a folder with nothing it analyses: no file, no scan.
        let nothing = read(r#"{"reportSchema":"1.1","dependencies":[]}"#).unwrap();
        assert!(
            nothing.is_incomplete() && nothing.incomplete[0].contains("analysed no file"),
            "{:?}",
            nothing.incomplete
        );
        let e = read(r#"{"reportSchema":"1.1","dependencies":[{"fileName":"a","vulnerabilities":{"name":"x"}}]}"#)
            .unwrap_err();
        assert!(e.to_string().contains("dependencies[0].vulnerabilities"), "{e}");
        assert!(read(r#"{"reportSchema":"1.1"}"#).unwrap_err().to_string().contains("no `dependencies`"));
    }

    #[test]
    fn analysis_exceptions_make_the_scan_incomplete() {
        let r = read(r#"{"reportSchema":"1.1","scanInfo":{"engineVersion":"9.0.9","dataSource":[],"analysisExceptions":[
{"exception":{"message":"Error updating the NVD Data; the NVD returned a 403 or 404 error\nmore","stackTrace":["a.b(C.java:1)"],
 "cause":{"message":"NVD Returned Status Code: 403"}}},
{"exception":{"message":"Failed to analyze dependency: node_modules","stackTrace":[]}}]},"dependencies":[{"fileName":"a.jar"}]}"#)
        .unwrap();
        assert_eq!(r.incomplete.len(), 2, "{:?}", r.incomplete);
        assert!(r.incomplete[0].contains("NVD returned a 403") && r.incomplete[0].contains("Status Code: 403"));
        assert!(!r.incomplete[0].contains("more"), "{:?}", r.incomplete);
        assert!(r.incomplete[1].contains("node_modules"));
        let r = read(r#"{"scanInfo":{"analysisExceptions":[{}]},"dependencies":[]}"#).unwrap();
        assert!(r.is_incomplete());
        let r = read(r#"{"scanInfo":{"analysisExceptions":"boom"},"dependencies":[]}"#).unwrap();
        assert!(r.is_incomplete());
        let r = read(r#"{"scanInfo":{"analysisExceptions":[]},"dependencies":[{"fileName":"a.jar"}]}"#).unwrap();
        assert!(!r.is_incomplete());
    }
}
