//! Snyk Open Source's JSON (`snyk test --json`, and `--all-projects`, which writes an array of
//! projects), and `snyk container test --json`, whose `applications[]` (the application
//! dependencies found in the image) are read as projects of their own.
//!
//! One finding is one element of a project's `vulnerabilities[]`: Snyk lists a vulnerable
//! dependency once per path that brings it in (`from`), so one advisory can be several findings,
//! as `snyk test` counts them in its "N vulnerable paths"; the report's own `uniqueCount`
//! (distinct issues) is kept in `extra`. The severity is the element's `severity` (critical,
//! high, medium, low; anything else unknown); `identifiers.CWE` give the CWE ids, `CVE` and `GHSA`
//! the aliases. Licence issues (`type: "license"`) are licence findings. What `.snyk` ignores
//! (`filtered.ignore[]`) is suppressed, with its reason: `honor_suppressions = false` counts it. The path is the
//! project's `displayTargetFile`; the identity for `new_only` is the issue id and its dependency
//! path. A project that Snyk could not test (`ok: false` with an `error`) makes the scan
//! incomplete, never clean; so does a project with `ok: false` (Snyk found issues) that lists
//! no vulnerability (and no application that does), and a document with no project at all
//! (`[]`). Every project must have `ok`, as Snyk writes it, and `vulnerabilities` must be a
//! list of objects. `snyk iac test --json` output (a project
//! with `infrastructureAsCodeIssues`) is not read: it is an error that points to
//! `snyk iac test --sarif-file-output=…`, whose SARIF temis reads.

use serde::Deserialize;
use serde::de::IgnoredAny;

use super::tolerant::{Named, Num, Objects, OneOrList, Text, Texts};
use crate::input::Source;
use crate::model::security::{Finding, FindingKind, SecurityReport, Severity, Suppression, cwe_in};
use crate::parsers::ParseError;

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Project {
    vulnerabilities: Option<Objects<Vuln>>,
    ok: Option<bool>,
    error: Text,
    path: Text,
    display_target_file: Text,
    project_name: Text,
    unique_count: Num,
    dependency_count: Num,
    /// `snyk iac test --json`: present (any non-null value) means an IaC report.
    infrastructure_as_code_issues: Option<IgnoredAny>,
    /// `snyk container test --json`: the application projects found in the image.
    applications: Objects<Project>,
    /// What `.snyk` ignores (or patches): left out of `vulnerabilities`.
    filtered: Filtered,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Filtered {
    ignore: Objects<Vuln>,
}

/// Why a vulnerability is ignored (`filtered.ignored[]` of an ignored one).
#[derive(Deserialize, Default)]
#[serde(default)]
struct Ignored {
    reason: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct VulnFiltered {
    ignored: Objects<Ignored>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Vuln {
    id: Text,
    title: Text,
    severity: Text,
    package_name: Text,
    version: Text,
    from: Texts,
    identifiers: Identifiers,
    #[serde(rename = "type")]
    kind: Text,
    filtered: VulnFiltered,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Identifiers {
    #[serde(rename = "CVE")]
    cve: Texts,
    #[serde(rename = "CWE")]
    cwe: Texts,
    #[serde(rename = "GHSA")]
    ghsa: Texts,
}

impl Named for Project {
    const WHAT: &'static str = "a Snyk report: a project object, or a list of them (--all-projects)";
}

/// Snyk's severity word, normalized.
pub fn severity(word: Option<&str>) -> Severity {
    match word.unwrap_or("").trim().to_ascii_lowercase().as_str() {
        "critical" => Severity::Critical,
        "high" => Severity::High,
        "medium" => Severity::Medium,
        "low" => Severity::Low,
        _ => Severity::Unknown,
    }
}

/// Reads a Snyk JSON report.
pub fn parse(input: &Source) -> Result<SecurityReport, ParseError> {
    let OneOrList::<Project>(top) = super::json::read_doc(input)?;
    let mut report = SecurityReport { tools: vec!["snyk".into()], ..SecurityReport::default() };
    if top.is_empty() {
        report.incomplete.push("snyk report lists no project: no project was tested".into());
    }
    // A container project's applications are projects of their own, read after it.
    let mut projects = Vec::with_capacity(top.len());
    for mut p in top {
        let apps = std::mem::take(&mut p.applications.0);
        let app_has_vulns = apps.iter().any(|a| a.vulnerabilities.as_ref().is_some_and(|v| !v.0.is_empty()));
        projects.push((p, app_has_vulns));
        projects.extend(apps.into_iter().map(|a| (a, false)));
    }
    let (mut unique, mut deps) = (0u64, 0u64);
    for (i, (mut p, app_has_vulns)) in projects.into_iter().enumerate() {
        if p.infrastructure_as_code_issues.is_some() {
            return Err(ParseError::whole(
                "this is `snyk iac test --json` output (`infrastructureAsCodeIssues`), which temis does not read: \
                 run `snyk iac test --sarif-file-output=snyk-iac.sarif` and give temis the SARIF file",
            ));
        }
        let target = p.display_target_file.0.or(p.project_name.0.clone());
        if let Some(err) = p.error.non_empty() {
            let at = p.path.as_deref().or(target.as_deref()).unwrap_or("a project");
            report.incomplete.push(format!("snyk could not test {at}: {}", crate::model::security::first_line(err)));
            continue;
        }
        // `snyk test --json` writes `ok` for every project it tested: without it the verdict
        // of the project is not known.
        if p.ok.is_none() {
            return Err(ParseError::whole(format!(
                "project {i} has no `ok` (snyk test --json writes it for every project it tests): not a \
                 snyk test --json report, or one written otherwise"
            )));
        }
        let Some(vulns) = p.vulnerabilities else {
            report.incomplete.push(format!(
                "snyk lists no vulnerabilities for {} (ok without a list)",
                target.as_deref().unwrap_or("a project")
            ));
            continue;
        };
        if p.ok == Some(false) && vulns.0.is_empty() && !app_has_vulns {
            report.incomplete.push(format!(
                "snyk says {} has issues (ok: false{}) but lists no vulnerability",
                target.as_deref().unwrap_or("a project"),
                p.unique_count.0.map(|n| format!(", uniqueCount {n}")).unwrap_or_default()
            ));
        }
        unique = unique.saturating_add(p.unique_count.0.map_or(0, |n| n as u64));
        deps = deps.saturating_add(p.dependency_count.0.map_or(0, |n| n as u64));
        let ignored = std::mem::take(&mut p.filtered.ignore.0).into_iter().map(|v| (v, true));
        for (v, ignored) in vulns.0.into_iter().map(|v| (v, false)).chain(ignored) {
            let kind =
                if v.kind.as_deref() == Some("license") { FindingKind::License } else { FindingKind::Dependency };
            let mut f = Finding::new("snyk", kind, severity(v.severity.as_deref()));
            f.native_severity = v.severity.0.map(Into::into);
            f.rule = v.id.0;
            f.ids = f.rule.iter().cloned().chain(v.identifiers.cve.0).chain(v.identifiers.ghsa.0).collect();
            f.add_cwe(v.identifiers.cwe.0.iter().filter_map(|c| cwe_in(c)));
            let name = v.package_name.0.unwrap_or_default();
            f.package = Some(match v.version.0 {
                Some(ver) => format!("{name}@{ver}"),
                None => name,
            });
            f.path = target.clone();
            let via = v.from.0.join(" > ");
            f.set_message(&format!(
                "{} in {}{}",
                v.title.as_deref().unwrap_or("vulnerability"),
                f.package.as_deref().unwrap_or("?"),
                if via.is_empty() { String::new() } else { format!(" (via {via})") }
            ));
            f.set_tool_fingerprint(&format!(
                "{}|{}|{via}",
                f.rule.as_deref().unwrap_or(""),
                target.as_deref().unwrap_or("")
            ));
            if ignored {
                let reason = v.filtered.ignored.0.iter().find_map(|i| i.reason.non_empty().map(str::to_string));
                f.suppressed = Some(Suppression {
                    kind: "external".into(),
                    justification: reason.or(Some("ignored in .snyk".into())),
                });
            }
            report.findings.push(f);
        }
    }
    report.extra.insert("unique_count".into(), unique.into());
    report.extra.insert("dependency_count".into(), deps.into());
    report.finish();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<SecurityReport, ParseError> {
        parse(&Source::bytes("snyk.json", text.as_bytes()))
    }

    const VULN: &str = r#"{"id":"SNYK-JAVA-X-1","title":"Information Disclosure","severity":"medium","packageName":"com.google.guava:guava",
"version":"29.0-jre","from":["app@1","com.google.guava:guava@29.0-jre"],"identifiers":{"CVE":["CVE-2020-8908"],"CWE":["CWE-200"]}}"#;

    #[test]
    fn one_finding_per_vulnerable_path_and_projects_in_an_array() {
        let r = read(&format!(
            r#"[{{"vulnerabilities":[{VULN},{VULN}],"ok":false,"uniqueCount":1,"dependencyCount":5,"displayTargetFile":"pom.xml"}},
{{"vulnerabilities":[],"ok":true,"displayTargetFile":"b/pom.xml"}}]"#
        ))
        .unwrap();
        let s = r.summary();
        assert_eq!((s.total, s.by_severity.medium), (2, 2));
        let f = &r.findings[0];
        assert_eq!((f.cwe.clone(), f.path.as_deref()), (vec![200], Some("pom.xml")));
        assert!(f.ids.contains(&"CVE-2020-8908".to_string()));
        assert_eq!(r.extra.get("unique_count"), Some(&serde_json::json!(1)));
        assert!(!r.is_incomplete());
    }

    #[test]
    fn a_project_snyk_could_not_test_is_incomplete_and_wrong_types_are_errors() {
        let r = read(r#"[{"ok":false,"error":"Could not detect supported target files","path":"/app"}]"#).unwrap();
        assert!(r.is_incomplete());
        assert_eq!(read(r#"{"vulnerabilities":[],"ok":true,"dependencyCount":0}"#).unwrap().summary().total, 0);
        // Snyk writes `ok` for every project: without it, the project's verdict is unknown.
        let e = read(r#"{"vulnerabilities":[],"dependencyCount":3}"#).unwrap_err();
        assert!(e.to_string().contains("no `ok`"), "{e}");
        assert!(read(r#"[{"vulnerabilities":[],"ok":true},{"vulnerabilities":[]}]"#).is_err());
        let e = read(r#"{"vulnerabilities":{"id":1},"ok":false}"#).unwrap_err();
        assert!(e.to_string().contains("vulnerabilities"), "{e}");
        assert!(read(r#"{"foo":1}"#).is_err());
    }

    #[test]
    fn snyk_iac_json_is_an_error_pointing_to_sarif() {
        let e = read(
            r#"{"vulnerabilities":[],"ok":false,"packageManager":"terraformconfig","targetFile":"main.tf",
"infrastructureAsCodeIssues":[{"id":"SNYK-CC-TF-1","severity":"high","title":"S3 bucket is publicly readable"}]}"#,
        )
        .unwrap_err();
        assert!(e.to_string().contains("--sarif-file-output"), "{e}");
        assert!(read(r#"[{"vulnerabilities":[],"ok":true,"infrastructureAsCodeIssues":[]}]"#).is_err());
    }

    #[test]
    fn container_applications_are_read_as_projects() {
        let r = read(&format!(
            r#"{{"vulnerabilities":[],"ok":true,"packageManager":"deb","displayTargetFile":"Dockerfile","uniqueCount":0,
"applications":[{{"vulnerabilities":[{VULN}],"ok":false,"uniqueCount":1,"displayTargetFile":"/app/pom.xml"}},
{{"ok":false,"error":"could not read /app2/package-lock.json","path":"/app2"}}]}}"#
        ))
        .unwrap();
        assert_eq!(r.summary().total, 1);
        assert_eq!(r.findings[0].path.as_deref(), Some("/app/pom.xml"));
        assert_eq!(r.extra.get("unique_count"), Some(&serde_json::json!(1)));
        assert_eq!(r.incomplete.len(), 1, "{:?}", r.incomplete);
        assert!(r.incomplete[0].contains("/app2"), "{:?}", r.incomplete);
    }

    #[test]
    fn ok_false_without_vulnerabilities_and_an_empty_list_are_incomplete() {
        let r =
            read(r#"{"vulnerabilities":[],"ok":false,"dependencyCount":10,"packageManager":"npm","uniqueCount":3}"#)
                .unwrap();
        assert!(r.is_incomplete());
        assert!(r.incomplete[0].contains("uniqueCount 3"), "{:?}", r.incomplete);
        let r = read("[]").unwrap();
        assert!(r.is_incomplete());
        assert!(r.incomplete[0].contains("no project was tested"), "{:?}", r.incomplete);
        // A container image whose own list is empty but whose applications list findings is whole.
        let r = read(&format!(
            r#"{{"vulnerabilities":[],"ok":false,"applications":[{{"vulnerabilities":[{VULN}],"ok":false}}]}}"#
        ))
        .unwrap();
        assert!(!r.is_incomplete(), "{:?}", r.incomplete);
    }

    /// What `.snyk` ignores is left out of `vulnerabilities` and listed in `filtered.ignore`:
    /// read as suppressed (with its reason), so that `honor_suppressions = false` counts it; it
    /// was not read at all.
    #[test]
    fn ignored_vulnerabilities_are_suppressed_findings() {
        let ignored = VULN.replacen('{', r#"{"filtered":{"ignored":[{"reason":"no fix yet","source":"cli"}]},"#, 1);
        let r = read(&format!(
            r#"{{"ok":true,"vulnerabilities":[],"dependencyCount":3,"filtered":{{"ignore":[{ignored}],"patch":[]}}}}"#
        ))
        .unwrap();
        assert_eq!(r.findings.len(), 1);
        let s = r.findings[0].suppressed.as_ref().expect("suppressed");
        assert_eq!(s.justification.as_deref(), Some("no fix yet"));
        assert!(!r.is_incomplete());
    }
}
