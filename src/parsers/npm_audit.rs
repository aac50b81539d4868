//! `npm audit --json`: npm 7+ (`auditReportVersion: 2`) and the npm 6 shape.
//!
//! - npm 7+: one finding per `vulnerabilities` entry, that is per package, as npm's own
//!   `metadata.vulnerabilities` counts them. Its severity is the package's (`moderate` → medium);
//!   its rules are the advisories in its `via` list (GHSA id from the advisory URL, else npm's
//!   `source` number), the most severe first (its rule; the others `also`), so the distinct rules
//!   of a report are its distinct advisories; a package that is only vulnerable through another
//!   one (`via` names) has no rule of its own. Its fingerprint holds all its advisories.
//!   `metadata.vulnerabilities` (per severity word, and `total`) must count the packages listed:
//!   a figure that differs is an error.
//! - npm 6: one finding per `advisories` entry; `cwe` may be a string or a list. A severity
//!   `metadata.vulnerabilities` counts (it counts paths) with no advisory of it listed is an error.
//!
//! When npm cannot audit it prints an error object (`{"error": {…}}`, or `{"message": …,
//! "statusCode": 405}` from a registry that refuses the audit endpoint) instead of a report:
//! that is a failed scan, an error here, never "no vulnerabilities".

use serde::Deserialize;
use serde::de::IgnoredAny;

use super::json::Entries;
use super::tolerant::{LooseList, Num, Text, Texts};
use crate::input::Source;
use crate::model::security::{Finding, FindingKind, SecurityReport, Severity, cwe_in};
use crate::parsers::ParseError;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Doc {
    #[serde(rename = "auditReportVersion")]
    version: Num,
    vulnerabilities: Option<Entries<Package>>,
    advisories: Option<Entries<V6Advisory>>,
    error: Option<NpmError>,
    message: Text,
    #[serde(rename = "statusCode")]
    status_code: Num,
    metadata: Metadata,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Metadata {
    /// npm 7+: how many packages are vulnerable at each severity, and in all (`total`).
    vulnerabilities: Option<Entries<Num>>,
    /// npm 7+: the packages audited by kind, and in all (`total`, the project itself left out);
    /// npm 6: the production ones, a number.
    dependencies: Option<Dependencies>,
    /// npm 6: every package audited.
    #[serde(rename = "totalDependencies")]
    total_dependencies: Num,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Dependencies {
    Counts {
        #[serde(default)]
        total: Num,
    },
    /// npm 6's count of production packages (`totalDependencies` counts them all): only its
    /// type is checked.
    Count(#[allow(dead_code)] f64),
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NpmError {
    code: Text,
    summary: Text,
    detail: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Package {
    name: Text,
    severity: Text,
    via: LooseList<Via>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Via {
    Name(String),
    Advisory(Advisory),
    Other(IgnoredAny),
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Advisory {
    source: Text,
    title: Text,
    url: Text,
    cwe: Texts,
    severity: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct V6Advisory {
    id: Text,
    title: Text,
    module_name: Text,
    severity: Text,
    cwe: Texts,
    cves: Texts,
    github_advisory_id: Text,
    url: Text,
    findings: LooseList<V6Finding>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct V6Finding {
    version: Text,
}

/// npm's severity word, normalized.
pub fn severity(word: &str) -> Severity {
    match word.trim().to_ascii_lowercase().as_str() {
        "critical" => Severity::Critical,
        "high" => Severity::High,
        "moderate" | "medium" => Severity::Medium,
        "low" => Severity::Low,
        "info" => Severity::Info,
        _ => Severity::Unknown,
    }
}

/// `GHSA-xxxx-xxxx-xxxx` at the end of an advisory URL.
fn ghsa(url: Option<&str>) -> Option<String> {
    let last = url?.trim_end_matches('/').rsplit('/').next()?;
    last.starts_with("GHSA-").then(|| last.to_string())
}

/// What npm prints when it cannot audit: `{"error": {"code": "ENOLOCK", …}}`, or the registry's
/// answer to the audit endpoint (`{"message": …, "statusCode": 405, … "/-/npm/v1/security/…"}`).
pub fn looks_like_error(s: &super::Sniff<'_>) -> bool {
    (s.has("\"error\"") && s.has("\"code\"") && s.has("\"summary\""))
        || (s.has("\"statusCode\"") && s.has("/-/npm/v1/security/"))
}

/// Reads an npm audit JSON report.
pub fn parse(input: &Source) -> Result<SecurityReport, ParseError> {
    let doc: Doc = super::json::read_doc(input)?;
    // npm 11 writes an `error` of empty strings beside the registry's own `message` (a 405).
    if let Some(e) = doc.error.as_ref().filter(|e| {
        [&e.code, &e.summary, &e.detail].iter().any(|t| t.non_empty().is_some()) || doc.message.non_empty().is_none()
    }) {
        let what = [e.code.non_empty(), e.summary.non_empty()].into_iter().flatten().collect::<Vec<_>>().join(": ");
        let detail = e.detail.non_empty().map(|d| format!(" ({})", crate::model::security::first_line(d)));
        return Err(ParseError::whole(format!(
            "npm audit failed and wrote an error instead of a report: {what}{}; this is a failed scan, not a clean one",
            detail.unwrap_or_default()
        )));
    }
    if doc.vulnerabilities.is_none() && doc.advisories.is_none() {
        let status = doc.status_code.0.map(|s| format!(" (HTTP {s})")).unwrap_or_default();
        let msg = doc.message.non_empty().unwrap_or("no `vulnerabilities` or `advisories` in it");
        return Err(ParseError::whole(format!(
            "npm audit did not write a report{status}: {msg}; this is a failed scan, not a clean one"
        )));
    }
    let mut report = SecurityReport { tools: vec!["npm audit".into()], ..SecurityReport::default() };
    // A lockfile that lists no package (written before the dependencies were declared): npm
    // audits nothing and says "found 0 vulnerabilities".
    let audited = match (&doc.metadata.dependencies, doc.vulnerabilities.is_some()) {
        (Some(Dependencies::Counts { total }), true) => total.0,
        (_, false) => doc.metadata.total_dependencies.0,
        _ => None,
    };
    if audited == Some(0.0) {
        report.incomplete.push(
            "npm audit audited no dependency (its metadata counts 0 packages: the lockfile lists none): nothing was \
             measured; run `npm install` (or `npm install --package-lock-only`) so that package-lock.json lists the \
             project's dependencies, then audit again"
                .into(),
        );
    }
    if let Some(packages) = doc.vulnerabilities {
        if doc.version.0.is_some_and(|v| v != 2.0) {
            report.notes.push("auditReportVersion is not 2: read as npm 7+".into());
        }
        read_v7(packages, &mut report);
        stated_v7(doc.metadata.vulnerabilities.map(|v| v.0).unwrap_or_default(), &report)?;
        report.extra.insert("report_version".into(), "v7+".into());
    } else if let Some(advisories) = doc.advisories {
        read_v6(advisories, &mut report);
        stated_v6(doc.metadata.vulnerabilities.map(|v| v.0).unwrap_or_default(), &report)?;
        report.extra.insert("report_version".into(), "v6".into());
    }
    report.finish();
    Ok(report)
}

fn read_v7(packages: Entries<Package>, report: &mut SecurityReport) {
    let mut advisories = std::collections::BTreeSet::new();
    for (key, mut p) in packages.0 {
        let word = p.severity.take().unwrap_or_default();
        let mut f = Finding::new("npm audit", FindingKind::Dependency, severity(&word));
        f.native_severity = Some(word).filter(|w| !w.is_empty()).map(Into::into);
        let name = p.name.take().unwrap_or(key);
        // Each advisory: its id, its own severity, its title.
        let mut rules: Vec<(String, Severity, Option<String>)> = Vec::new();
        let mut through = Vec::new();
        let mut untitled = None;
        for via in p.via.0 {
            match via {
                Via::Name(n) => through.push(n),
                Via::Advisory(a) => {
                    let id = ghsa(a.url.as_deref()).or_else(|| a.source.0.clone().map(|s| format!("npm-{s}")));
                    f.add_cwe(a.cwe.0.iter().filter_map(|c| cwe_in(c)));
                    match id {
                        Some(id) if !rules.iter().any(|(r, ..)| *r == id) => {
                            advisories.insert(id.clone());
                            rules.push((id, severity(a.severity.as_deref().unwrap_or("")), a.title.0));
                        }
                        Some(_) => {}
                        None => untitled = untitled.or(a.title.0),
                    }
                }
                Via::Other(_) => {}
            }
        }
        // The package's rule is its most severe advisory (the first of those), the others
        // `also`: a package's finding is never known by a lesser advisory than the one that
        // makes its severity (a baseline or a waiver of that one does not cover a worse one).
        let worst = rules.iter().enumerate().min_by_key(|(i, (_, s, _))| (std::cmp::Reverse(*s), *i)).map(|(i, _)| i);
        if let Some(i) = worst {
            rules[..=i].rotate_right(1);
        }
        let title = rules.first().and_then(|(_, _, t)| t.clone()).or(untitled);
        f.ids = rules.iter().map(|(r, ..)| r).filter(|r| r.starts_with("GHSA-")).cloned().collect();
        let mut it = rules.into_iter().map(|(r, ..)| r);
        f.rule = it.next();
        f.also = it.collect();
        let message = match title {
            Some(t) => t,
            None => format!("vulnerable through {}", through.join(", ")),
        };
        f.set_message(&message);
        f.package = Some(name);
        report.findings.push(f);
    }
    report.extra.insert("advisories_total".into(), advisories.len().into());
}

/// npm 7+'s `metadata.vulnerabilities` against the packages listed: npm counts them from the
/// same map, so a figure that differs (`critical: 3` with `vulnerabilities: {}`) is a report that
/// contradicts itself, never the list alone judged.
fn stated_v7(stated: Vec<(String, Num)>, report: &SecurityReport) -> Result<(), ParseError> {
    for (word, n) in stated {
        let Some(n) = n.0 else { continue };
        let listed = match word.as_str() {
            "total" => report.findings.len(),
            _ => report.findings.iter().filter(|f| f.native_severity.as_deref() == Some(word.as_str())).count(),
        };
        if n != listed as f64 {
            return Err(ParseError::whole(format!(
                "`metadata.vulnerabilities.{word}` is {n} but `vulnerabilities` lists {listed} such package(s): the \
                 report contradicts itself"
            )));
        }
    }
    Ok(())
}

/// npm 6's `metadata.vulnerabilities` counts the paths of the advisories listed, by severity: a
/// severity it counts with no advisory of that severity listed (`critical: 3` with `advisories:
/// {}`) is a report that contradicts itself.
fn stated_v6(stated: Vec<(String, Num)>, report: &SecurityReport) -> Result<(), ParseError> {
    for (word, n) in stated {
        let Some(n) = n.0.filter(|&n| n > 0.0) else { continue };
        let listed = match word.as_str() {
            "total" => report.findings.len(),
            _ => report.findings.iter().filter(|f| f.native_severity.as_deref() == Some(word.as_str())).count(),
        };
        if listed == 0 {
            return Err(ParseError::whole(format!(
                "`metadata.vulnerabilities.{word}` is {n} but `advisories` lists no such advisory: the report \
                 contradicts itself"
            )));
        }
    }
    Ok(())
}

fn read_v6(advisories: Entries<V6Advisory>, report: &mut SecurityReport) {
    for (key, mut a) in advisories.0 {
        let word = a.severity.take().unwrap_or_default();
        let mut f = Finding::new("npm audit", FindingKind::Dependency, severity(&word));
        f.native_severity = Some(word).filter(|w| !w.is_empty()).map(Into::into);
        let ghsa_id = a.github_advisory_id.take().or_else(|| ghsa(a.url.as_deref()));
        let id = a.id.take().unwrap_or(key);
        f.rule = Some(ghsa_id.clone().unwrap_or_else(|| format!("npm-{id}")));
        f.ids = ghsa_id.into_iter().chain(a.cves.0).collect();
        f.add_cwe(a.cwe.0.iter().filter_map(|c| cwe_in(c)));
        f.set_message(a.title.as_deref().unwrap_or(""));
        let version = a.findings.0.first().and_then(|x| x.version.0.clone());
        f.package = a.module_name.take().map(|m| match version {
            Some(v) => format!("{m}@{v}"),
            None => m,
        });
        report.findings.push(f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(via: &str) -> SecurityReport {
        let text = format!(
            r#"{{"auditReportVersion":2,"vulnerabilities":{{"lodash":{{"name":"lodash","severity":"critical","via":[{via}]}}}}}}"#
        );
        parse(&Source::bytes("npm-audit.json", text.as_bytes())).unwrap()
    }

    /// A lockfile that lists no package: npm audits nothing and says "found 0 vulnerabilities"
    /// (real npm 11 output). Not a clean scan — nor npm 6's `totalDependencies: 0`; a count of
    /// the wrong type is an error.
    #[test]
    fn an_audit_of_no_dependency_measured_nothing() {
        let real = include_bytes!("../../tests/fixtures/security/npm-audit-json/no-dependency-npm11.json");
        let r = parse(&Source::bytes("npm-audit.json", real)).unwrap();
        assert!(r.findings.is_empty());
        assert!(r.incomplete.iter().any(|m| m.contains("audited no dependency")), "{:?}", r.incomplete);
        let v6 = r#"{"advisories":{},"metadata":{"vulnerabilities":{"info":0,"low":0,"moderate":0,"high":0,"critical":0},"dependencies":0,"devDependencies":0,"totalDependencies":0}}"#;
        let r = parse(&Source::bytes("npm-audit.json", v6.as_bytes())).unwrap();
        assert!(r.incomplete.iter().any(|m| m.contains("audited no dependency")), "{:?}", r.incomplete);
        // Some packages audited: clean.
        for some in [
            r#"{"auditReportVersion":2,"vulnerabilities":{},"metadata":{"dependencies":{"prod":98,"total":97}}}"#,
            r#"{"advisories":{},"metadata":{"dependencies":19,"totalDependencies":194}}"#,
        ] {
            let r = parse(&Source::bytes("npm-audit.json", some.as_bytes())).unwrap();
            assert!(r.incomplete.is_empty(), "{some}: {:?}", r.incomplete);
        }
        let wrong = r#"{"auditReportVersion":2,"vulnerabilities":{},"metadata":{"dependencies":"none"}}"#;
        assert!(parse(&Source::bytes("npm-audit.json", wrong.as_bytes())).is_err());
    }

    const LOW: &str = r#"{"source":1001,"title":"Old low issue","url":"https://github.com/advisories/GHSA-aaaa-aaaa-aaaa","severity":"low"}"#;
    const CRITICAL: &str = r#"{"source":1002,"title":"Prototype pollution RCE","url":"https://github.com/advisories/GHSA-bbbb-bbbb-bbbb","severity":"critical"}"#;

    /// A package of several advisories is known by its most severe one, and its fingerprint
    /// holds them all: a critical advisory added to a package whose low one is in the baseline
    /// is a new finding.
    #[test]
    fn a_package_is_known_by_its_most_severe_advisory_and_all_of_them() {
        let low = read(LOW);
        let both = read(&format!("{LOW},{CRITICAL}"));
        let f = &both.findings[0];
        assert_eq!(f.rule.as_deref(), Some("GHSA-bbbb-bbbb-bbbb"));
        assert_eq!(f.also, ["GHSA-aaaa-aaaa-aaaa"]);
        assert_eq!(f.message, "Prototype pollution RCE");
        assert_eq!(both.findings.len(), 1, "npm's own count: one package");
        assert_ne!(f.fingerprint, low.findings[0].fingerprint);
        assert_eq!(read(&format!("{CRITICAL},{LOW}")).findings[0].fingerprint, f.fingerprint, "in any order");
    }

    /// npm 6 counts in `metadata.vulnerabilities` the paths of the advisories it lists: a
    /// severity counted with none of its advisories listed read as clean before.
    #[test]
    fn npm6_metadata_that_counts_what_is_not_listed_is_an_error() {
        let doc = |advisories: &str, critical: u32| {
            format!(
                r#"{{"advisories":{{{advisories}}},"metadata":{{"vulnerabilities":{{"info":0,"low":0,"moderate":0,"high":0,"critical":{critical}}}}}}}"#
            )
        };
        let read6 = |text: String| parse(&Source::bytes("npm-audit.json", text.as_bytes()));
        let e = read6(doc("", 3)).unwrap_err();
        assert!(e.message.contains("`metadata.vulnerabilities.critical` is 3"), "{e}");
        let one = r#""118":{"id":118,"title":"Prototype pollution","module_name":"lodash","severity":"critical","findings":[{"version":"4.17.4","paths":["lodash"]}]}"#;
        assert_eq!(read6(doc(one, 2)).unwrap().findings.len(), 1, "two paths of one advisory");
        assert!(read6(doc("", 0)).unwrap().findings.is_empty(), "npm 6's clean report");
    }
}
