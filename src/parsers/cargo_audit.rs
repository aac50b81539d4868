//! `cargo audit --json`.
//!
//! One finding per `vulnerabilities.list[]` entry. RustSec advisories carry no severity word:
//! the severity is the CVSS base score of the advisory's `cvss` vector (v3.0, v3.1 or v4.0),
//! with the qualitative cut-offs (≥ 9.0 critical, ≥ 7.0 high, ≥ 4.0 medium, > 0 low). An
//! advisory without a vector is counted as **high**, the bucket cargo-audit's own SARIF gives it
//! (level `error`, no security-severity), and a note says how many.
//!
//! `vulnerabilities.count` and `found` are stated of the list: a report whose list is missing, or
//! holds another number, contradicts itself and is an error (a count of 4 with an empty list is
//! never a clean scan).
//!
//! A `lockfile.dependency-count` of 0 (a Cargo.lock of no package) is an incomplete scan: a
//! project's lockfile holds at least the project.
//!
//! `warnings` (unmaintained, unsound, yanked, notice) are not vulnerabilities and not findings,
//! as cargo-audit itself exits 0 on them by default; they are counted in `extra`.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::json::Entries;
use super::tolerant::{LooseList, Num, Objects, Text, Texts};
use crate::input::Source;
use crate::model::security::{Finding, FindingKind, SecurityReport, Severity};
use crate::parsers::ParseError;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Doc {
    vulnerabilities: Option<Vulnerabilities>,
    warnings: Option<Entries<LooseList<Warning>>>,
    lockfile: Lockfile,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Lockfile {
    #[serde(rename = "dependency-count")]
    dependency_count: Num,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Vulnerabilities {
    found: Option<bool>,
    count: Num,
    /// `None` when absent: cargo-audit always writes it, and a missing list is no empty one.
    list: Option<Objects<Vulnerability>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Vulnerability {
    advisory: Advisory,
    package: Package,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Advisory {
    id: Text,
    title: Text,
    aliases: Texts,
    cvss: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Package {
    name: Text,
    version: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Warning {
    kind: Text,
}

/// Reads a cargo-audit JSON report.
pub fn parse(input: &Source) -> Result<SecurityReport, ParseError> {
    let doc: Doc = super::json::read_doc(input)?;
    let Some(vulns) = doc.vulnerabilities else {
        return Err(ParseError::whole("not a cargo-audit report: there is no `vulnerabilities` object"));
    };
    let Some(list) = vulns.list else {
        return Err(ParseError::whole(
            "`vulnerabilities.list` is missing: cargo-audit always lists the vulnerabilities it counts",
        ));
    };
    // cargo-audit's count and `found` are of the list: one that contradicts it is not its report.
    let listed = list.0.len();
    if let Some(count) = vulns.count.0.filter(|&c| c != listed as f64) {
        return Err(ParseError::whole(format!(
            "`vulnerabilities.count` is {count} but `vulnerabilities.list` holds {listed}: the report contradicts itself"
        )));
    }
    if let Some(found) = vulns.found.filter(|&found| found != (listed > 0)) {
        return Err(ParseError::whole(format!(
            "`vulnerabilities.found` is {found} but `vulnerabilities.list` holds {listed}: the report contradicts itself"
        )));
    }
    let mut report = SecurityReport { tools: vec!["cargo-audit".into()], ..SecurityReport::default() };
    // A Cargo.lock lists at least the package it locks: none audited is no audit of a project.
    if doc.lockfile.dependency_count.0 == Some(0.0) {
        report.incomplete.push(
            "cargo-audit audited a Cargo.lock of no package (`lockfile.dependency-count` is 0): \
             run it where the project's Cargo.lock is (`cargo generate-lockfile` first), or give it with `--file`"
                .into(),
        );
    }
    let mut unscored = 0u64;
    for mut v in list.0 {
        let vector = v.advisory.cvss.take().filter(|s| !s.trim().is_empty());
        let scored = vector.as_deref().and_then(Severity::from_cvss_vector);
        let (severity, native) = match (&vector, scored) {
            (Some(vec), Some((score, s))) => (s, format!("{score:.1} ({vec})")),
            (Some(vec), None) => {
                report.notes.push(format!("unreadable CVSS vector {vec:?}: counted as high"));
                unscored += 1;
                (Severity::High, "unreadable CVSS".to_string())
            }
            (None, _) => {
                unscored += 1;
                (Severity::High, "no CVSS".to_string())
            }
        };
        let mut f = Finding::new("cargo-audit", FindingKind::Dependency, severity);
        f.native_severity = Some(native.into());
        f.rule = v.advisory.id.take();
        f.ids = f.rule.iter().cloned().chain(v.advisory.aliases.0).collect();
        f.set_message(v.advisory.title.as_deref().unwrap_or(""));
        f.package = v.package.name.take().map(|n| match v.package.version.take() {
            Some(ver) => format!("{n}@{ver}"),
            None => n,
        });
        f.path = Some("Cargo.lock".into());
        report.findings.push(f);
    }
    if unscored > 0 {
        report.notes.push(format!(
            "{unscored} advisory(ies) without a CVSS vector counted as high (cargo-audit's SARIF gives them level error)"
        ));
    }
    let mut by_kind: BTreeMap<String, u64> = BTreeMap::new();
    for (kind, list) in doc.warnings.map(|w| w.0).unwrap_or_default() {
        for w in list.0 {
            *by_kind.entry(w.kind.0.unwrap_or_else(|| kind.clone())).or_default() += 1;
        }
    }
    report.extra.insert("unscored".into(), unscored.into());
    report.extra.insert("warnings_total".into(), by_kind.values().sum::<u64>().into());
    report.extra.insert("warnings_by_kind".into(), serde_json::json!(by_kind));
    report.finish();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<SecurityReport, ParseError> {
        parse(&Source::bytes("cargo-audit.json", text.as_bytes()))
    }

    /// An audit of a Cargo.lock that locks nothing approved as a clean scan.
    #[test]
    fn an_audit_of_no_package_is_incomplete_and_one_of_a_project_clean() {
        let clean = r#"{"database":{"advisory-count":1225},"lockfile":{"dependency-count":16},
"vulnerabilities":{"found":false,"count":0,"list":[]},"warnings":{}}"#;
        let r = read(clean).unwrap();
        assert!(!r.is_incomplete() && r.findings.is_empty());
        let r = read(&clean.replace("\"dependency-count\":16", "\"dependency-count\":0")).unwrap();
        assert!(r.is_incomplete() && r.incomplete[0].contains("no package"), "{:?}", r.incomplete);
    }
}
