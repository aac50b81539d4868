//! OSV-Scanner's JSON report (`osv-scanner --format json`).
//!
//! One finding per `results[].packages[].vulnerabilities[]` record (aliases are not merged: the
//! number of alias groups is given in `extra.groups_total`). The severity is the record's
//! `database_specific.severity` (GitHub's LOW / MODERATE / HIGH / CRITICAL), else the highest
//! CVSS base score of its `severity[]` vectors (v3 and v4, same cut-offs as SARIF), else
//! `unknown`. CWE ids come from `database_specific.cwe_ids` and
//! `affected[].database_specific.cwes[].cweId`. The path is the scanned source (lock file).
//!
//! A package's `license_violations` (osv-scanner's licence check, which fails its run) are licence
//! findings of unknown severity. A package with alias `groups` and no `vulnerabilities` is an
//! error: osv-scanner makes the groups from the vulnerabilities it lists.

use serde::Deserialize;

use super::tolerant::{LooseList, Objects, Text, Texts};
use crate::input::Source;
use crate::model::security::{Finding, FindingKind, SecurityReport, Severity, cwe_in};
use crate::parsers::ParseError;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Doc {
    results: Option<Objects<Scanned>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Scanned {
    source: SourceInfo,
    packages: Objects<Package>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SourceInfo {
    path: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Package {
    package: PackageInfo,
    vulnerabilities: Objects<Record>,
    groups: LooseList<serde::de::IgnoredAny>,
    license_violations: Texts,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PackageInfo {
    name: Text,
    version: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Record {
    id: Text,
    aliases: Texts,
    summary: Text,
    severity: Objects<Score>,
    database_specific: DatabaseSpecific,
    affected: LooseList<Affected>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Score {
    #[serde(rename = "type")]
    kind: Text,
    score: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DatabaseSpecific {
    severity: Text,
    cwe_ids: Texts,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Affected {
    database_specific: AffectedSpecific,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AffectedSpecific {
    cwes: LooseList<CweEntry>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CweEntry {
    #[serde(rename = "cweId")]
    cwe_id: Text,
}

/// GitHub's advisory severity word, normalized.
pub fn severity(word: &str) -> Severity {
    match word.trim().to_ascii_uppercase().as_str() {
        "CRITICAL" => Severity::Critical,
        "HIGH" => Severity::High,
        "MODERATE" | "MEDIUM" => Severity::Medium,
        "LOW" => Severity::Low,
        _ => Severity::Unknown,
    }
}

/// Reads an OSV-Scanner JSON report.
pub fn parse(input: &Source) -> Result<SecurityReport, ParseError> {
    let doc: Doc = super::json::read_doc(input)?;
    let Some(results) = doc.results else {
        return Err(ParseError::whole("not an OSV-Scanner report: there is no `results` list"));
    };
    let mut report = SecurityReport { tools: vec!["osv-scanner".into()], ..SecurityReport::default() };
    let mut groups = 0usize;
    for src in results.0 {
        let path = src.source.path.0;
        for mut p in src.packages.0 {
            groups += p.groups.0.len();
            let name = p.package.name.take().unwrap_or_else(|| "?".into());
            let package = match p.package.version.take() {
                Some(v) => format!("{name}@{v}"),
                None => name,
            };
            // osv-scanner groups the package's vulnerabilities by alias: groups without them are a
            // report cut or edited, whose vulnerabilities are gone.
            if !p.groups.0.is_empty() && p.vulnerabilities.0.is_empty() {
                return Err(ParseError::whole(format!(
                    "{package} has {} alias group(s) and no `vulnerabilities`: osv-scanner makes the groups from the \
                     vulnerabilities it lists, so the report contradicts itself",
                    p.groups.0.len()
                )));
            }
            for licence in &p.license_violations.0 {
                let mut f = Finding::new("osv-scanner", FindingKind::License, Severity::Unknown);
                f.rule = Some(licence.clone());
                f.set_message(&format!("licence {licence} is not in the allowed list"));
                f.package = Some(package.clone());
                f.path = path.clone();
                report.findings.push(f);
            }
            for mut v in p.vulnerabilities.0 {
                let (sev, native) = record_severity(&v);
                let mut f = Finding::new("osv-scanner", FindingKind::Dependency, sev);
                f.native_severity = native.map(Into::into);
                f.rule = v.id.take();
                f.ids = f.rule.iter().cloned().chain(v.aliases.0).collect();
                f.add_cwe(v.database_specific.cwe_ids.0.iter().filter_map(|c| cwe_in(c)));
                for a in &v.affected.0 {
                    f.add_cwe(a.database_specific.cwes.0.iter().filter_map(|c| c.cwe_id.as_deref().and_then(cwe_in)));
                }
                let message = v.summary.take().or_else(|| f.rule.clone()).unwrap_or_default();
                f.set_message(&message);
                f.package = Some(package.clone());
                f.path = path.clone();
                report.findings.push(f);
            }
        }
    }
    report.extra.insert("groups_total".into(), groups.into());
    report.finish();
    Ok(report)
}

fn record_severity(v: &Record) -> (Severity, Option<String>) {
    if let Some(word) = v.database_specific.severity.non_empty() {
        let s = severity(word);
        if s != Severity::Unknown {
            return (s, Some(word.to_string()));
        }
    }
    let best = v
        .severity
        .0
        .iter()
        .filter(|s| s.kind.as_deref().is_some_and(|k| k.starts_with("CVSS_V3") || k.starts_with("CVSS_V4")))
        .filter_map(|s| s.score.as_deref().and_then(Severity::from_cvss_vector))
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        Some((score, s)) => (s, Some(format!("CVSS {score:.1}"))),
        None => (Severity::Unknown, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(package: &str) -> Result<SecurityReport, ParseError> {
        let text = format!(
            r#"{{"results":[{{"source":{{"path":"/app/package-lock.json","type":"lockfile"}},"packages":[{package}]}}]}}"#
        );
        parse(&Source::bytes("osv-scanner.json", text.as_bytes()))
    }

    /// Alias groups without the vulnerabilities they group, and licence violations, read as
    /// clean before: an error, and licence findings.
    #[test]
    fn groups_without_vulnerabilities_and_licence_violations() {
        let info = r#""package":{"name":"lodash","version":"4.17.4","ecosystem":"npm"}"#;
        let groups = r#""groups":[{"ids":["GHSA-jf85-cpcp-j695"],"max_severity":"9.1"}]"#;
        for vulns in ["", r#","vulnerabilities":null"#, r#","vulnerabilities":[]"#] {
            let e = read(&format!("{{{info},{groups}{vulns}}}")).unwrap_err();
            assert!(e.message.contains("lodash@4.17.4 has 1 alias group(s) and no `vulnerabilities`"), "{e}");
        }
        let r = read(&format!(r#"{{{info},"license_violations":["GPL-3.0"]}}"#)).unwrap();
        assert_eq!(r.findings.len(), 1);
        let f = &r.findings[0];
        assert_eq!((f.kind, f.severity, f.rule.as_deref()), (FindingKind::License, Severity::Unknown, Some("GPL-3.0")));
        assert_eq!(f.package.as_deref(), Some("lodash@4.17.4"));
    }
}
