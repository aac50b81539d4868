//! SARIF 2.1.0 logs: CodeQL, Semgrep, bandit, Trivy, gitleaks, ESLint, clippy-sarif, Snyk, grype,
//! OSV-Scanner, cargo-audit…
//!
//! A log holds several runs; each run is read, resolved and turned into findings before the next
//! one is read, so memory grows with one run's results, never with the file's bytes (code flows,
//! related locations and message arguments are skipped without being kept).
//!
//! Per result (SARIF §3.27):
//! - the rule: `ruleIndex` (or `rule.index`) into the driver's rules, or into the extension that
//!   `rule.toolComponent` names, before `ruleId`; a `ruleId` alone is looked up in the driver, then
//!   in every extension;
//! - the effective level (§3.27.10): `level`; else `none` when `kind` is present and not `fail`;
//!   else the rule's configuration override in the result's invocation; else the rule's
//!   `defaultConfiguration.level`; else `warning`;
//! - the severity: `properties["security-severity"]` of the result, else of its rule, with GitHub's
//!   cut-offs (≥ 9.0 critical, ≥ 7.0 high, ≥ 4.0 medium, > 0 low); else the level: error → high,
//!   warning → medium, note → low, none → info;
//! - CWE ids from rule and result tags (`external/cwe/cwe-089`, `CWE-89: …`) and a `cwe` property
//!   (Snyk Code); OWASP categories from tags that carry a year (`OWASP-A03:2021 - Injection`);
//! - suppressed when `suppressions[]` is not empty and none is `underReview` or `rejected`;
//! - `kind` `pass`, `notApplicable` and `informational` are not findings (counted in
//!   `extra.not_findings`), nor is `baselineState: absent` (a finding fixed since the producer's
//!   own baseline);
//! - the path: `artifactLocation.uri` (or the run's `artifacts[index]`) resolved through
//!   `originalUriBaseIds`, `file://` and percent-escapes removed (the caller makes it
//!   repository-relative).
//!
//! A run whose invocation says `executionSuccessful: false`, or whose `results` is absent or
//! `null`, makes the report incomplete: that is a failed scan, not a clean one.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::lenient::{First, LineNo, List, SnippetHash, Text, Texts};
use crate::error::ParseError;
use crate::input::Input;
use crate::model::owasp::OwaspRef;
use crate::model::security::{Finding, FindingKind, SecurityReport, Severity, Suppression, cwe_in, cwe_tag};

/// Reads a SARIF log.
pub fn parse(input: &Input) -> Result<SecurityReport, ParseError> {
    let mut report = SecurityReport::default();
    let mut state = State::default();
    super::json::read(input, LogSeed { report: &mut report, state: &mut state })?;
    if !state.saw_runs {
        return Err(ParseError::whole("not a SARIF log: there is no `runs` array"));
    }
    if let Some(v) = state.version.filter(|v| v != "2.1.0") {
        report.notes.push(format!("SARIF version {v:?}: temis reads 2.1.0; the fields it knows were read"));
    }
    if state.not_findings > 0 {
        report.extra.insert("not_findings".into(), state.not_findings.into());
    }
    if state.absent > 0 {
        report.extra.insert("baseline_absent".into(), state.absent.into());
        report.notes.push(format!(
            "{} result(s) have baselineState \"absent\" (fixed since the producer's baseline) and are not findings",
            state.absent
        ));
    }
    report.extra.insert("runs".into(), serde_json::Value::Array(state.runs));
    report.extra.insert("notifications".into(), state.notifications.into());
    report.finish();
    Ok(report)
}

#[derive(Default)]
struct State {
    version: Option<String>,
    saw_runs: bool,
    runs: Vec<serde_json::Value>,
    notifications: u64,
    not_findings: u64,
    absent: u64,
}

struct LogSeed<'a> {
    report: &'a mut SecurityReport,
    state: &'a mut State,
}

impl<'de> DeserializeSeed<'de> for LogSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for LogSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a SARIF log (an object with `version` and `runs`)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "version" => self.state.version = map.next_value::<Text>()?.0,
                "runs" => {
                    self.state.saw_runs = true;
                    map.next_value_seed(RunsSeed { report: self.report, state: self.state })?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

struct RunsSeed<'a> {
    report: &'a mut SecurityReport,
    state: &'a mut State,
}

impl<'de> DeserializeSeed<'de> for RunsSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for RunsSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of runs")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0;
        while let Some(run) = seq.next_element::<RawRun>()? {
            convert(run, index, self.report, self.state);
            index += 1;
        }
        Ok(())
    }
}

// --- the parts of a run that the gate uses ---

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawRun {
    tool: RawTool,
    invocations: List<RawInvocation>,
    #[serde(rename = "originalUriBaseIds")]
    bases: Option<BTreeMap<String, RawArtifactLocation>>,
    artifacts: List<RawArtifact>,
    results: Option<Vec<RawResult>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawTool {
    driver: RawComponent,
    extensions: List<RawComponent>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawComponent {
    name: Text,
    rules: List<RawRule>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawRule {
    id: Text,
    #[serde(rename = "defaultConfiguration")]
    default_configuration: RawConfiguration,
    properties: RawProperties,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawConfiguration {
    level: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawProperties {
    #[serde(rename = "security-severity")]
    security_severity: Text,
    tags: Texts,
    cwe: Texts,
    owasp: Texts,
    precision: Text,
    issue_confidence: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawInvocation {
    #[serde(rename = "executionSuccessful")]
    execution_successful: Option<bool>,
    #[serde(rename = "toolExecutionNotifications")]
    execution_notifications: List<RawNotification>,
    #[serde(rename = "toolConfigurationNotifications")]
    configuration_notifications: List<RawNotification>,
    #[serde(rename = "ruleConfigurationOverrides")]
    overrides: List<RawOverride>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawNotification {
    level: Text,
    message: RawMessage,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawOverride {
    descriptor: RawReference,
    configuration: RawConfiguration,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawReference {
    id: Text,
    index: Option<i64>,
    #[serde(rename = "toolComponent")]
    tool_component: RawComponentReference,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawComponentReference {
    name: Text,
    index: Option<i64>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawMessage {
    text: Text,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct RawArtifactLocation {
    uri: Text,
    #[serde(rename = "uriBaseId")]
    uri_base_id: Text,
    index: Option<i64>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawArtifact {
    location: RawArtifactLocation,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawResult {
    #[serde(rename = "ruleId")]
    rule_id: Text,
    #[serde(rename = "ruleIndex")]
    rule_index: Option<i64>,
    rule: RawReference,
    kind: Text,
    level: Text,
    message: RawMessage,
    locations: First<RawLocation>,
    #[serde(rename = "partialFingerprints")]
    partial_fingerprints: Option<BTreeMap<String, Text>>,
    fingerprints: Option<BTreeMap<String, Text>>,
    suppressions: List<RawSuppression>,
    #[serde(rename = "baselineState")]
    baseline_state: Text,
    properties: RawProperties,
    provenance: RawProvenance,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawProvenance {
    #[serde(rename = "invocationIndex")]
    invocation_index: Option<i64>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawLocation {
    #[serde(rename = "physicalLocation")]
    physical: RawPhysical,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawPhysical {
    #[serde(rename = "artifactLocation")]
    artifact: RawArtifactLocation,
    region: RawRegion,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawRegion {
    #[serde(rename = "startLine")]
    start_line: LineNo,
    snippet: RawSnippet,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawSnippet {
    text: SnippetHash,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawSuppression {
    kind: Text,
    status: Text,
    justification: Text,
}

// --- resolution ---

/// What a rule contributes to its results.
#[derive(Default, Clone)]
struct Rule {
    id: Option<String>,
    level: Option<String>,
    security_severity: Option<String>,
    cwe: Vec<u32>,
    owasp: Vec<OwaspRef>,
    tags: Vec<String>,
    confidence: Option<String>,
}

impl Rule {
    fn from_raw(raw: RawRule) -> Rule {
        let (cwe, owasp) = classify(&raw.properties);
        Rule {
            id: raw.id.0,
            level: raw.default_configuration.level.0,
            security_severity: raw.properties.security_severity.0,
            cwe,
            owasp,
            tags: raw.properties.tags.0.iter().map(|t| t.to_ascii_lowercase()).collect(),
            confidence: raw.properties.precision.0.or(raw.properties.issue_confidence.0),
        }
    }
}

/// CWE ids and stated OWASP categories of a property bag.
fn classify(p: &RawProperties) -> (Vec<u32>, Vec<OwaspRef>) {
    let mut cwe: Vec<u32> = p.tags.0.iter().filter_map(|t| cwe_tag(t)).collect();
    cwe.extend(p.cwe.0.iter().filter_map(|c| cwe_in(c)));
    let owasp = p.tags.0.iter().chain(p.owasp.0.iter()).filter_map(|t| OwaspRef::parse(t)).collect();
    (cwe, owasp)
}

struct Tables {
    driver: Vec<Rule>,
    extensions: Vec<(Option<String>, Vec<Rule>)>,
}

impl Tables {
    fn find(&self, r: &RawResult) -> Option<&Rule> {
        let id = r.rule_id.as_deref().or(r.rule.id.as_deref());
        let index = r.rule_index.or(r.rule.index);
        let component = &r.rule.tool_component;
        let table: &[Rule] = if let Some(i) = component.index {
            usize::try_from(i).ok().and_then(|i| self.extensions.get(i)).map_or(&[], |(_, rules)| rules)
        } else if let Some(name) = component.name.as_deref() {
            self.extensions.iter().find(|(n, _)| n.as_deref() == Some(name)).map_or(&self.driver, |(_, rules)| rules)
        } else {
            &self.driver
        };
        if let Some(rule) = index.and_then(|i| usize::try_from(i).ok()).and_then(|i| table.get(i)) {
            return Some(rule);
        }
        let id = id?;
        let all = || std::iter::once(&self.driver).chain(self.extensions.iter().map(|(_, r)| r)).flatten();
        all().find(|rule| rule.id.as_deref() == Some(id)).or_else(|| {
            // A hierarchical id (`parent/child`) falls back to its parent rule.
            let (parent, _) = id.rsplit_once('/')?;
            all().find(|rule| rule.id.as_deref() == Some(parent))
        })
    }
}

fn convert(run: RawRun, index: usize, report: &mut SecurityReport, state: &mut State) {
    let tool = run.tool.driver.name.0.clone().unwrap_or_else(|| "SARIF".to_string());
    let driver = run.tool.driver.rules.0.into_iter().map(Rule::from_raw).collect();
    let extensions = run
        .tool
        .extensions
        .0
        .into_iter()
        .map(|c| (c.name.0, c.rules.0.into_iter().map(Rule::from_raw).collect()))
        .collect();
    let tables = Tables { driver, extensions };
    let run_name = format!("run {} ({tool})", index + 1);
    for inv in &run.invocations.0 {
        if inv.execution_successful == Some(false) {
            let why = inv
                .execution_notifications
                .0
                .iter()
                .find(|n| n.level.as_deref() == Some("error"))
                .and_then(|n| n.message.text.non_empty())
                .map(|m| format!(": {}", crate::model::security::first_line(m)))
                .unwrap_or_default();
            report.incomplete.push(format!("{run_name}: executionSuccessful is false, the scan failed{why}"));
        }
        for n in inv.execution_notifications.0.iter().chain(inv.configuration_notifications.0.iter()) {
            state.notifications += 1;
            if n.level.as_deref() == Some("error") {
                let m = n.message.text.non_empty().unwrap_or("(no message)");
                report.errors.push(format!("{run_name}: {}", crate::model::security::first_line(m)));
            }
        }
    }
    let Some(results) = run.results else {
        report.incomplete.push(format!("{run_name}: no `results` array, so the tool did not run to completion"));
        state.runs.push(serde_json::json!({"tool": tool, "findings": 0, "suppressed": 0}));
        report.tools.push(tool);
        return;
    };
    let bases = run.bases.unwrap_or_default();
    let single_invocation = (run.invocations.0.len() == 1).then_some(0usize);
    let kind_of_tool = tool_kind(&tool);
    let (mut counted, mut suppressed) = (0u64, 0u64);
    for r in results {
        if let Some(k) = r.kind.as_deref() {
            if matches!(k, "pass" | "notApplicable" | "informational") {
                state.not_findings += 1;
                continue;
            }
        }
        if r.baseline_state.as_deref() == Some("absent") {
            state.absent += 1;
            continue;
        }
        let rule = tables.find(&r);
        let invocation = r
            .provenance
            .invocation_index
            .and_then(|i| usize::try_from(i).ok())
            .or(single_invocation)
            .and_then(|i| run.invocations.0.get(i));
        let finding = result_finding(&tool, kind_of_tool, r, rule, invocation, &bases, &run.artifacts.0);
        if finding.suppressed.is_some() {
            suppressed += 1;
        } else {
            counted += 1;
        }
        report.findings.push(finding);
    }
    state.runs.push(serde_json::json!({"tool": tool, "findings": counted, "suppressed": suppressed}));
    report.tools.push(tool);
}

/// What kind of findings a tool writes, by its name; `None` when it depends on the rule.
fn tool_kind(tool: &str) -> Option<FindingKind> {
    let t = tool.to_ascii_lowercase();
    if ["gitleaks", "trufflehog", "detect-secrets", "ggshield"].iter().any(|n| t.contains(n)) {
        Some(FindingKind::Secret)
    } else if ["grype", "cargo-audit", "osv-scanner", "dependency-check", "npm audit", "pip-audit", "govulncheck"]
        .iter()
        .any(|n| t.contains(n))
    {
        Some(FindingKind::Dependency)
    } else {
        None
    }
}

/// The kind of one finding from its rule id and tags (Trivy writes all three kinds).
fn finding_kind(tool: Option<FindingKind>, rule: Option<&str>, tags: &[String]) -> FindingKind {
    if let Some(k) = tool {
        return k;
    }
    if tags.iter().any(|t| t == "secret") {
        return FindingKind::Secret;
    }
    if tags.iter().any(|t| t == "misconfiguration") {
        return FindingKind::Config;
    }
    let advisory = rule.is_some_and(|r| {
        ["CVE-", "GHSA-", "RUSTSEC-", "PYSEC-", "GO-", "OSV-", "MAL-", "SNYK-"].iter().any(|p| r.starts_with(p))
    });
    if advisory || tags.iter().any(|t| t == "vulnerability" || t == "dependency") {
        FindingKind::Dependency
    } else {
        FindingKind::Code
    }
}

fn result_finding(
    tool: &str,
    tool_kind: Option<FindingKind>,
    mut r: RawResult,
    rule: Option<&Rule>,
    invocation: Option<&RawInvocation>,
    bases: &BTreeMap<String, RawArtifactLocation>,
    artifacts: &[RawArtifact],
) -> Finding {
    let empty = Rule::default();
    let rule = rule.unwrap_or(&empty);
    let rule_id = r.rule_id.take().or_else(|| r.rule.id.take()).or_else(|| rule.id.clone());
    let level = effective_level(&r, rule, rule_id.as_deref(), invocation);
    let score = r.properties.security_severity.non_empty().or(rule.security_severity.as_deref());
    let scored = score.and_then(|s| s.trim().parse::<f64>().ok()).and_then(Severity::from_score);
    let (severity, native) = match scored {
        Some(s) => (s, format!("security-severity {}", score.unwrap_or_default().trim())),
        None => (level_severity(&level), level),
    };
    let (mut cwe, mut owasp) = classify(&r.properties);
    cwe.extend(rule.cwe.iter().copied());
    owasp.extend(rule.owasp.iter().copied());
    owasp.sort();
    owasp.dedup();
    let mut tags: Vec<String> = r.properties.tags.0.iter().map(|t| t.to_ascii_lowercase()).collect();
    tags.extend(rule.tags.iter().cloned());
    let kind = finding_kind(tool_kind, rule_id.as_deref(), &tags);
    let mut f = Finding::new(tool, kind, severity);
    f.native_severity = Some(native);
    f.confidence = r.properties.precision.take().or(r.properties.issue_confidence.take()).or(rule.confidence.clone());
    f.add_cwe(cwe);
    f.owasp = owasp;
    if let Some(id) = &rule_id {
        if kind == FindingKind::Dependency {
            f.ids.push(id.clone());
        }
    }
    f.rule = rule_id;
    f.set_message(r.message.text.as_deref().unwrap_or(""));
    if let Some(loc) = r.locations.0 {
        let mut artifact = loc.physical.artifact;
        if artifact.uri.0.is_none() {
            if let Some(a) = artifact.index.and_then(|i| usize::try_from(i).ok()).and_then(|i| artifacts.get(i)) {
                artifact = a.location.clone();
            }
        }
        f.path = artifact.uri.non_empty().map(|u| resolve_uri(u, artifact.uri_base_id.as_deref(), bases));
        f.line = loc.physical.region.start_line.0;
        f.snippet = loc.physical.region.snippet.text.0;
    }
    f.tool_fingerprint = fingerprint(r.fingerprints.as_ref(), r.partial_fingerprints.as_ref());
    let sups = &r.suppressions.0;
    let rejected = sups.iter().any(|s| matches!(s.status.as_deref(), Some("underReview" | "rejected")));
    if !sups.is_empty() && !rejected {
        f.suppressed = Some(Suppression {
            kind: sups[0].kind.as_deref().unwrap_or("external").to_string(),
            justification: sups.iter().find_map(|s| s.justification.non_empty().map(str::to_string)),
        });
    }
    f.baseline_state = r.baseline_state.take();
    f
}

/// SARIF §3.27.10.
fn effective_level(r: &RawResult, rule: &Rule, rule_id: Option<&str>, invocation: Option<&RawInvocation>) -> String {
    if let Some(level) = r.level.non_empty() {
        return level.to_string();
    }
    if r.kind.as_deref().is_some_and(|k| k != "fail") {
        return "none".to_string();
    }
    if let (Some(inv), Some(id)) = (invocation, rule_id) {
        let o = inv.overrides.0.iter().find(|o| o.descriptor.id.as_deref() == Some(id));
        if let Some(level) = o.and_then(|o| o.configuration.level.non_empty()) {
            return level.to_string();
        }
    }
    rule.level.clone().filter(|l| !l.trim().is_empty()).unwrap_or_else(|| "warning".to_string())
}

fn level_severity(level: &str) -> Severity {
    match level {
        "error" => Severity::High,
        "warning" => Severity::Medium,
        "note" => Severity::Low,
        "none" => Severity::Info,
        _ => Severity::Medium,
    }
}

/// `fingerprints` (the full ones), else every partial fingerprint, in key order.
fn fingerprint(full: Option<&BTreeMap<String, Text>>, partial: Option<&BTreeMap<String, Text>>) -> Option<String> {
    for set in [full, partial].into_iter().flatten() {
        let joined: Vec<String> = set.iter().filter_map(|(k, v)| v.non_empty().map(|v| format!("{k}={v}"))).collect();
        if !joined.is_empty() {
            return Some(joined.join(";"));
        }
    }
    None
}

/// A result's URI through `originalUriBaseIds`, without `file://` or percent-escapes.
fn resolve_uri(uri: &str, base: Option<&str>, bases: &BTreeMap<String, RawArtifactLocation>) -> String {
    let mut path = uri.to_string();
    let mut base = base.map(str::to_string);
    for _ in 0..16 {
        if has_scheme(&path) || path.starts_with('/') {
            break;
        }
        let Some(b) = base.take() else { break };
        let Some(loc) = bases.get(&b) else { break };
        if let Some(prefix) = loc.uri.non_empty() {
            path = if prefix.ends_with('/') { format!("{prefix}{path}") } else { format!("{prefix}/{path}") };
        }
        base = loc.uri_base_id.0.clone();
    }
    let path = path.strip_prefix("file://").or_else(|| path.strip_prefix("file:")).unwrap_or(&path);
    let path = path.strip_prefix("localhost/").map(|p| format!("/{p}")).unwrap_or_else(|| path.to_string());
    percent_decode(&path)
}

fn has_scheme(s: &str) -> bool {
    match s.find(':') {
        Some(i) if i > 1 => s[..i].bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')),
        _ => false,
    }
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(v) = hex {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

#[cfg(test)]
mod tests;
