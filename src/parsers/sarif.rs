//! SARIF 2.1.0 logs: CodeQL, Semgrep, bandit, Trivy, gitleaks, ESLint, clippy-sarif, Snyk, grype,
//! OSV-Scanner, cargo-audit…
//!
//! A log holds several runs; each run is resolved and turned into findings once the next one is
//! read, so memory grows with two runs' results, never with the file's bytes (code flows,
//! related locations and message arguments are skipped without being kept). A log of 32 MiB or
//! more has each run's `results` read a chunk at a time from memory, one chunk per thread
//! ([`json::read_object_in_chunks`]); what lies between them is read as a stream, and anything
//! the chunks cannot prove has the log read in one stream.
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
//!   warning → medium, note → low, none → info, any other word unknown;
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
//! `null`, a run that reports errors and lists no rule and no result (the tool stopped before
//! running any), and a log with no run make the report incomplete: that is a failed scan, not a
//! clean one. `executionSuccessful` other than `true` or `false`, a run's key given twice, a run
//! without `tool`, and what the verdict depends on of the wrong JSON type (`rules`, `extensions`,
//! notifications and overrides not lists of objects, `level` or `kind` not a string) are errors.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::json;
use super::tolerant::{First, LineNo, LooseList, Objects, SnippetHash, Text, Texts};
use crate::input::Source;
use crate::model::owasp::OwaspRef;
use crate::model::security::{
    Finding, FindingKind, SecurityReport, Severity, Suppression, cwe_in, cwe_tag, is_placeholder,
};
use crate::parsers::ParseError;

/// Reads a SARIF log: a large one's runs' `results` a chunk at a time, one chunk per thread
/// ([`json::read_object_in_chunks`], cut where a result begins as the first run's first one
/// does), any other in one stream.
pub fn parse(input: &Source) -> Result<SecurityReport, ParseError> {
    let mut report = SecurityReport::default();
    let mut state = State::default();
    let chunked = read_in_chunks(input, &mut report, &mut state);
    if chunked.is_err() {
        // Read in one go, from a fresh start (what came before the results may have been read);
        // a document refused in chunks is refused here too, with the error in its own place.
        (report, state) = (SecurityReport::default(), State::default());
        json::read(input, LogSeed { report: &mut report, state: &mut state }).map_err(|e| {
            let (mut report, mut state) = (SecurityReport::default(), State::default());
            json::explain(input, e, LogSeed { report: &mut report, state: &mut state })
        })?;
        if chunked == Err(json::ChunkError::Invalid) {
            return Err(ParseError::whole(
                "internal error: the log was refused in chunks but read whole; please report this with the file",
            ));
        }
    }
    if let Some(run) = state.open_run.take() {
        convert(run, &mut report, &mut state);
    }
    if !state.saw_runs {
        return Err(ParseError::whole("not a SARIF log: there is no `runs` array"));
    }
    if let Some(i) = state.without_tool {
        return Err(ParseError::whole(format!(
            "`runs[{i}]` has no `tool`: every SARIF run names the tool that wrote it (SARIF 2.1.0 §3.14.6), so this \
             is not a log a scanner wrote"
        )));
    }
    if state.run_index == 0 {
        report.incomplete.push("the log has no run (`runs` is empty): nothing was scanned".into());
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

/// The log read a chunk of results at a time ([`parse`]); not when it is small, or its runs'
/// results cannot be found and proven.
fn read_in_chunks(input: &Source, report: &mut SecurityReport, state: &mut State) -> Result<(), json::ChunkError> {
    let results =
        json::Records::Members(&[json::Step::Key("runs"), json::Step::First, json::Step::Key("results")], b'[');
    let cut = json::records_like_the_first(input, "results").ok_or(json::ChunkError::NotChunked)?;
    json::read_object_in_chunks(input, results, cut, &mut Reading(report, state))
}

#[derive(Default)]
struct State {
    version: Option<String>,
    saw_runs: bool,
    runs: Vec<serde_json::Value>,
    notifications: u64,
    not_findings: u64,
    absent: u64,
    /// How many runs were converted.
    run_index: usize,
    /// The first run without a `tool` (an error).
    without_tool: Option<usize>,
    /// The last run read, converted once the next one is read or the log ends: a document
    /// read in chunks may end inside it (its results are to come).
    open_run: Option<RawRun>,
    /// The next list of runs goes on with `open_run` (a document read in chunks goes on where
    /// the one before ended).
    resume: bool,
    /// Whether the last key read is `results`, the last of the last run of `runs`.
    at_results: bool,
}

/// A log read in chunks ([`json::ObjectReader`]): each run's results are the records.
struct Reading<'a>(&'a mut SecurityReport, &'a mut State);

impl json::ObjectReader for Reading<'_> {
    /// A chunk's results, as findings and what each leaves to resolve.
    type Part = (Vec<Finding>, Vec<Unresolved>);

    fn read<'de, D: Deserializer<'de>>(&mut self, d: D) -> Result<(), D::Error> {
        self.1.resume = true;
        LogSeed { report: self.0, state: self.1 }.deserialize(d)
    }

    fn read_part(chunk: &[u8], _: bool) -> Option<Self::Part> {
        let (mut findings, mut pending) = (Vec::new(), Vec::new());
        json::read_chunk(chunk, |de| {
            ResultsSeed { findings: &mut findings, pending: &mut pending }.deserialize(de).map(|_| ())
        })?;
        Some((findings, pending))
    }

    fn absorb(&mut self, (findings, pending): Self::Part) {
        // `read_the_member` holds only with a run open, the last, whose findings end the list.
        if let Some(run) = self.1.open_run.as_mut() {
            self.0.findings.extend(findings);
            run.pending.extend(pending);
        }
    }

    fn read_the_member(&self) -> bool {
        self.1.at_results && self.1.open_run.is_some()
    }
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
            self.state.at_results = false;
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
        let state = self.state;
        // In a document read in chunks after another, the list goes on with the run it ended in;
        // a list read before in the same document (a second `runs`) ended with its last run.
        let mut resume = None;
        if std::mem::take(&mut state.resume) {
            resume = state.open_run.take();
        } else if let Some(run) = state.open_run.take() {
            convert(run, self.report, state);
        }
        loop {
            let start = resume.as_ref().map_or(self.report.findings.len(), |r| r.start);
            let seed = RunSeed { start, report: self.report, resume: resume.take(), at_results: &mut state.at_results };
            let Some(run) = seq.next_element_seed(seed)? else { break };
            if let Some(before) = state.open_run.replace(run) {
                let dropped = convert(before, self.report, state);
                if let Some(run) = state.open_run.as_mut() {
                    run.start -= dropped;
                }
            }
        }
        Ok(())
    }
}

/// One run: everything but its results is kept raw until the run ends; each result becomes a
/// finding as soon as it is read (rules, base URIs and invocations may come after the results
/// in the document, so what depends on them is resolved when the run ends).
struct RunSeed<'a> {
    report: &'a mut SecurityReport,
    start: usize,
    /// The run read so far, when it is read on from the document before.
    resume: Option<RawRun>,
    /// Set when the run's last key is `results`.
    at_results: &'a mut bool,
}

impl<'de> DeserializeSeed<'de> for RunSeed<'_> {
    type Value = RawRun;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<RawRun, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RunSeed<'_> {
    type Value = RawRun;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a SARIF run (an object with `tool` and `results`)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawRun, A::Error> {
        // A run read on from the document before goes on with its `results` (the same member).
        let mut going_on = self.resume.is_some();
        let mut run = self.resume.unwrap_or(RawRun { start: self.start, ..RawRun::default() });
        *self.at_results = false;
        while let Some(key) = map.next_key::<String>()? {
            *self.at_results = key == "results";
            let first = !std::mem::take(&mut going_on);
            match key.as_str() {
                "tool" => {
                    run.keys.once("tool")?;
                    run.tool = map.next_value()?;
                }
                "invocations" => {
                    run.keys.once("invocations")?;
                    run.invocations = map.next_value()?;
                }
                "originalUriBaseIds" => {
                    run.keys.once("originalUriBaseIds")?;
                    run.bases = map.next_value()?;
                }
                "artifacts" => {
                    run.keys.once("artifacts")?;
                    run.artifacts = map.next_value()?;
                }
                "properties" => {
                    run.keys.once("properties")?;
                    run.properties = map.next_value()?;
                }
                "results" => {
                    if first {
                        run.keys.once("results")?;
                    }
                    run.has_results = map.next_value_seed(ResultsSeed {
                        findings: &mut self.report.findings,
                        pending: &mut run.pending,
                    })?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(run)
    }
}

/// A run's `results`: `true` when it is a list (`null` is a run that did not finish).
struct ResultsSeed<'a> {
    findings: &'a mut Vec<Finding>,
    pending: &'a mut Vec<Unresolved>,
}

impl<'de> DeserializeSeed<'de> for ResultsSeed<'_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ResultsSeed<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of results")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        while let Some(r) = seq.next_element::<RawResult>()? {
            let (f, u) = start(r);
            self.findings.push(f);
            self.pending.push(u);
        }
        Ok(true)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }
}

#[derive(Default)]
struct RawRun {
    tool: RawTool,
    invocations: Objects<RawInvocation>,
    bases: Option<BTreeMap<String, RawArtifactLocation>>,
    artifacts: LooseList<RawArtifact>,
    has_results: bool,
    /// The run's own `properties` (bandit keeps its `metrics` there), as written.
    properties: serde_json::Value,
    /// The run's keys read so far: one given twice is an error, never the last one winning.
    keys: json::Keys,
    /// Where this run's findings start in the report, and what is left to resolve in each.
    start: usize,
    pending: Vec<Unresolved>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawTool {
    driver: RawComponent,
    extensions: Objects<RawComponent>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawComponent {
    name: Text,
    rules: Objects<RawRule>,
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
    level: Option<String>,
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
    #[serde(rename = "executionSuccessful", deserialize_with = "a_bool")]
    execution_successful: Option<bool>,
    #[serde(rename = "toolExecutionNotifications")]
    execution_notifications: Objects<RawNotification>,
    #[serde(rename = "toolConfigurationNotifications")]
    configuration_notifications: Objects<RawNotification>,
    #[serde(rename = "ruleConfigurationOverrides")]
    overrides: Objects<RawOverride>,
}

/// `executionSuccessful`, when given: `true` or `false` (SARIF requires it, §3.20.14); `null`
/// or any other value says nothing of how the scan went, and is an error, never a success.
fn a_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    bool::deserialize(d).map(Some)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawNotification {
    level: Option<String>,
    message: RawMessage,
    descriptor: RawReference,
    /// How many places the notification is about (none: the run itself, its rules).
    locations: super::json::Len,
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
    kind: Option<String>,
    level: Option<String>,
    message: RawMessage,
    locations: First<RawLocation>,
    #[serde(rename = "partialFingerprints")]
    partial_fingerprints: Option<BTreeMap<String, Text>>,
    fingerprints: Option<BTreeMap<String, Text>>,
    suppressions: LooseList<RawSuppression>,
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
            level: raw.default_configuration.level,
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
    fn find(
        &self,
        id: Option<&str>,
        index: Option<i64>,
        component_index: Option<i64>,
        component_name: Option<&str>,
    ) -> Option<&Rule> {
        let table: &[Rule] = if let Some(i) = component_index {
            usize::try_from(i).ok().and_then(|i| self.extensions.get(i)).map_or(&[], |(_, rules)| rules)
        } else if let Some(name) = component_name {
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

/// Converts a run that was read whole, the next in the log; how many of its results were not
/// findings (and left the list, moving the findings after it).
fn convert(run: RawRun, report: &mut SecurityReport, state: &mut State) -> usize {
    let index = state.run_index;
    state.run_index += 1;
    if !run.keys.has("tool") {
        state.without_tool.get_or_insert(index);
    }
    let tool = run.tool.driver.name.0.clone().unwrap_or_else(|| "SARIF".to_string());
    let no_rules = run.tool.driver.rules.0.is_empty() && run.tool.extensions.0.iter().all(|c| c.rules.0.is_empty());
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
    // The first error the run's invocations report; the first about no file (a rule that does
    // not parse: Semgrep exits 2 and its SARIF still says `executionSuccessful: true`).
    let mut failed = None;
    let mut run_failed = None;
    let said = report.incomplete.len();
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
                let m = crate::model::security::first_line(n.message.text.non_empty().unwrap_or("(no message)"));
                failed.get_or_insert_with(|| m.clone());
                if n.locations.0 == 0 {
                    run_failed.get_or_insert_with(|| m.clone());
                }
                report.errors.push(format!("{run_name}: {m}"));
            }
        }
    }
    // Semgrep's timeouts (a rule that did not finish on a file) are warning-level execution
    // notifications: what they name was not fully scanned, said as errors are. (Other warnings —
    // CodeQL's extraction diagnostics, by the hundred — are not read as such.)
    let timeout = |n: &&RawNotification| {
        n.level.as_deref() == Some("warning")
            && (n.descriptor.id.as_deref() == Some("Timeout")
                || n.message.text.as_deref().is_some_and(|m| m.starts_with("Timeout when running")))
    };
    for inv in &run.invocations.0 {
        for n in inv.execution_notifications.0.iter().filter(timeout) {
            let m = crate::model::security::first_line(n.message.text.non_empty().unwrap_or("(no message)"));
            report.errors.push(format!("{run_name}: warning: {m}"));
        }
    }
    // Errors, no rule and no result (an invalid rule stops Semgrep before any rule runs, with
    // `executionSuccessful: true`): the scan failed. Errors beside rules that ran (a file the
    // tool could not parse) do not.
    if let Some(why) = failed.filter(|_| no_rules && run.pending.is_empty() && run.has_results) {
        report.incomplete.push(format!("{run_name}: the tool reported errors and ran no rule: {why}"));
    } else if let Some(why) = run_failed.filter(|_| report.incomplete.len() == said) {
        // An error about no file: the run's rules or configuration, not a file among others.
        report.incomplete.push(format!(
            "{run_name}: the tool reported an error about no file, so what it was asked to run did not all run: {why}"
        ));
    }
    if !run.has_results {
        report.incomplete.push(format!("{run_name}: no `results` array, so the tool did not run to completion"));
    }
    let bases = run.bases.unwrap_or_default();
    let single_invocation = (run.invocations.0.len() == 1).then_some(0usize);
    let kind_of_tool = tool_kind(&tool);
    let (mut counted, mut suppressed) = (0u64, 0u64);
    let end = run.start + run.pending.len();
    // Resolved in place: kept findings slide down over the ones that are not findings.
    let mut kept = run.start;
    for (i, u) in (run.start..).zip(run.pending) {
        if u.not_a_finding {
            state.not_findings += 1;
            continue;
        }
        if report.findings[i].baseline_state.as_deref() == Some("absent") {
            state.absent += 1;
            continue;
        }
        report.findings.swap(kept, i);
        let f = &mut report.findings[kept];
        let invocation = u.invocation.or(single_invocation).and_then(|i| run.invocations.0.get(i));
        resolve(f, u, &tool, kind_of_tool, &tables, invocation, &bases, &run.artifacts.0);
        if f.suppressed.is_some() {
            suppressed += 1;
        } else {
            counted += 1;
        }
        kept += 1;
    }
    report.findings.drain(kept..end);
    // bandit's SARIF keeps its JSON's `metrics` in the run's properties: what it counted beyond
    // what it listed (`# nosec` lines, findings its filters left out) is read as from its JSON.
    if tool.eq_ignore_ascii_case("bandit")
        && let Some(totals) = run.properties.pointer("/metrics/_totals").and_then(serde_json::Value::as_object)
    {
        let totals = totals.iter().map(|(k, v)| (k.clone(), crate::parsers::tolerant::Num(v.as_f64()))).collect();
        super::bandit::read_totals(report, &totals, run.start..kept);
    }
    state.runs.push(serde_json::json!({"tool": tool, "findings": counted, "suppressed": suppressed}));
    report.tools.push(tool);
    end - kept
}

/// What a result leaves to resolve once its run has been read whole.
struct Unresolved {
    rule_index: Option<i64>,
    component_index: Option<i64>,
    component_name: Option<String>,
    level: Option<String>,
    /// `kind` is present and not `fail`.
    kind_not_fail: bool,
    /// `kind` is `pass`, `notApplicable` or `informational`.
    not_a_finding: bool,
    security_severity: Option<String>,
    invocation: Option<usize>,
    uri_base: Option<String>,
    artifact_index: Option<i64>,
    /// Kind hints from the result's own tags.
    tags: Vec<String>,
}

/// A result as a finding, with what depends on the run's rules and base URIs left aside.
fn start(mut r: RawResult) -> (Finding, Unresolved) {
    let kind = r.kind.take();
    let not_a_finding = matches!(kind.as_deref(), Some("pass" | "notApplicable" | "informational"));
    let (cwe, owasp) = classify(&r.properties);
    let mut f = Finding::new("", FindingKind::Code, Severity::Medium);
    f.rule = r.rule_id.take().or_else(|| r.rule.id.take());
    f.add_cwe(cwe);
    f.owasp = owasp;
    f.confidence = r.properties.precision.take().or(r.properties.issue_confidence.take());
    f.set_message(r.message.text.as_deref().unwrap_or(""));
    let mut uri_base = None;
    let mut artifact_index = None;
    if let Some(loc) = r.locations.0 {
        let a = loc.physical.artifact;
        f.path = a.uri.0.filter(|u| !u.trim().is_empty());
        uri_base = a.uri_base_id.0;
        artifact_index = a.index;
        f.line = loc.physical.region.start_line.0;
        f.snippet = loc.physical.region.snippet.text.0;
    }
    if let Some(fp) = fingerprint(r.fingerprints.as_ref(), r.partial_fingerprints.as_ref()) {
        f.set_tool_fingerprint(&fp);
    }
    let sups = &r.suppressions.0;
    let rejected = sups.iter().any(|s| matches!(s.status.as_deref(), Some("underReview" | "rejected")));
    if !sups.is_empty() && !rejected {
        f.suppressed = Some(Suppression {
            kind: sups[0].kind.as_deref().unwrap_or("external").to_string(),
            justification: sups.iter().find_map(|s| s.justification.non_empty().map(str::to_string)),
        });
    }
    f.baseline_state = r.baseline_state.take();
    let u = Unresolved {
        rule_index: r.rule_index.or(r.rule.index),
        component_index: r.rule.tool_component.index,
        component_name: r.rule.tool_component.name.take(),
        level: r.level.take().filter(|l| !l.trim().is_empty()),
        kind_not_fail: kind.as_deref().is_some_and(|k| k != "fail"),
        not_a_finding,
        security_severity: r.properties.security_severity.take().filter(|s| !s.trim().is_empty()),
        invocation: r.provenance.invocation_index.and_then(|i| usize::try_from(i).ok()),
        uri_base,
        artifact_index,
        tags: r.properties.tags.0.iter().map(|t| t.to_ascii_lowercase()).filter(|t| is_kind_tag(t)).collect(),
    };
    (f, u)
}

fn is_kind_tag(t: &str) -> bool {
    matches!(t, "secret" | "misconfiguration" | "vulnerability" | "dependency")
}

#[allow(clippy::too_many_arguments)]
fn resolve(
    f: &mut Finding,
    u: Unresolved,
    tool: &str,
    tool_kind: Option<FindingKind>,
    tables: &Tables,
    invocation: Option<&RawInvocation>,
    bases: &BTreeMap<String, RawArtifactLocation>,
    artifacts: &[RawArtifact],
) {
    let empty = Rule::default();
    let rule = tables.find(f.rule.as_deref(), u.rule_index, u.component_index, u.component_name.as_deref());
    let rule = rule.unwrap_or(&empty);
    if f.rule.is_none() {
        f.rule = rule.id.clone();
    }
    let level = effective_level(&u, rule, f.rule.as_deref(), invocation);
    let score = u.security_severity.as_deref().or(rule.security_severity.as_deref());
    let scored = score.and_then(|s| s.trim().parse::<f64>().ok()).and_then(Severity::from_score);
    f.tool = tool.to_string();
    match scored {
        Some(s) => {
            f.severity = s;
            f.native_severity = Some(format!("security-severity {}", score.unwrap_or_default().trim()).into());
        }
        None => {
            f.severity = level_severity(&level);
            f.native_severity = Some(level);
        }
    }
    f.add_cwe(rule.cwe.iter().copied());
    f.owasp.extend(rule.owasp.iter().copied());
    f.owasp.sort();
    f.owasp.dedup();
    if f.confidence.is_none() {
        f.confidence = rule.confidence.clone();
    }
    let tags: Vec<&str> = u.tags.iter().chain(rule.tags.iter()).map(String::as_str).collect();
    f.kind = finding_kind(tool_kind, f.rule.as_deref(), &tags);
    if f.kind == FindingKind::Dependency
        && let Some(id) = &f.rule
    {
        f.ids.push(id.clone());
    }
    let mut uri_base = u.uri_base;
    if f.path.is_none()
        && let Some(a) = u.artifact_index.and_then(|i| usize::try_from(i).ok()).and_then(|i| artifacts.get(i))
    {
        f.path = a.location.uri.0.clone().filter(|s| !s.trim().is_empty());
        uri_base = a.location.uri_base_id.0.clone();
    }
    if let Some(p) = f.path.take() {
        f.path = Some(resolve_uri(&p, uri_base.as_deref(), bases));
    }
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
fn finding_kind(tool: Option<FindingKind>, rule: Option<&str>, tags: &[&str]) -> FindingKind {
    if let Some(k) = tool {
        return k;
    }
    if tags.contains(&"secret") {
        return FindingKind::Secret;
    }
    if tags.contains(&"misconfiguration") {
        return FindingKind::Config;
    }
    let advisory = rule.is_some_and(|r| {
        ["CVE-", "GHSA-", "RUSTSEC-", "PYSEC-", "GO-", "OSV-", "MAL-", "SNYK-"].iter().any(|p| r.starts_with(p))
    });
    if advisory || tags.iter().any(|t| *t == "vulnerability" || *t == "dependency") {
        FindingKind::Dependency
    } else {
        FindingKind::Code
    }
}

/// SARIF §3.27.10.
fn effective_level(
    u: &Unresolved,
    rule: &Rule,
    rule_id: Option<&str>,
    invocation: Option<&RawInvocation>,
) -> Cow<'static, str> {
    if let Some(level) = &u.level {
        return known_level(level);
    }
    if u.kind_not_fail {
        return Cow::Borrowed("none");
    }
    if let (Some(inv), Some(id)) = (invocation, rule_id) {
        let o = inv.overrides.0.iter().find(|o| o.descriptor.id.as_deref() == Some(id));
        if let Some(level) = o.and_then(|o| o.configuration.level.as_deref().filter(|l| !l.trim().is_empty())) {
            return known_level(level);
        }
    }
    match rule.level.as_deref().filter(|l| !l.trim().is_empty()) {
        Some(l) => known_level(l),
        None => Cow::Borrowed("warning"),
    }
}

/// The four SARIF levels without an allocation; anything else as written.
fn known_level(level: &str) -> Cow<'static, str> {
    match level {
        "error" => Cow::Borrowed("error"),
        "warning" => Cow::Borrowed("warning"),
        "note" => Cow::Borrowed("note"),
        "none" => Cow::Borrowed("none"),
        other => Cow::Owned(other.to_string()),
    }
}

fn level_severity(level: &str) -> Severity {
    match level {
        "error" => Severity::High,
        "warning" => Severity::Medium,
        "note" => Severity::Low,
        "none" => Severity::Info,
        // Not one of SARIF's four levels: a severity temis cannot tell ([security] unknown).
        _ => Severity::Unknown,
    }
}

/// `fingerprints` (the full ones), else every partial fingerprint, in key order; Semgrep OSS's
/// placeholder is none.
fn fingerprint(full: Option<&BTreeMap<String, Text>>, partial: Option<&BTreeMap<String, Text>>) -> Option<String> {
    for set in [full, partial].into_iter().flatten() {
        let joined: Vec<String> = set
            .iter()
            .filter_map(|(k, v)| v.non_empty().filter(|v| !is_placeholder(v)).map(|v| format!("{k}={v}")))
            .collect();
        if !joined.is_empty() {
            return Some(joined.join(";"));
        }
    }
    None
}

/// A result's URI through `originalUriBaseIds`, without `file://` or percent-escapes.
fn resolve_uri(uri: &str, base: Option<&str>, bases: &BTreeMap<String, RawArtifactLocation>) -> String {
    let mut path = Cow::Borrowed(uri);
    let mut base = base;
    for _ in 0..16 {
        if has_scheme(&path) || path.starts_with('/') {
            break;
        }
        let Some(b) = base.take() else { break };
        let Some(loc) = bases.get(b) else { break };
        if let Some(prefix) = loc.uri.non_empty() {
            path =
                Cow::Owned(if prefix.ends_with('/') { format!("{prefix}{path}") } else { format!("{prefix}/{path}") });
        }
        base = loc.uri_base_id.0.as_deref();
    }
    let path = path.strip_prefix("file://").or_else(|| path.strip_prefix("file:")).unwrap_or(&path);
    match path.strip_prefix("localhost/") {
        Some(rest) => percent_decode(&format!("/{rest}")),
        None => percent_decode(path),
    }
}

fn has_scheme(s: &str) -> bool {
    match s.find(':') {
        Some(i) if i > 1 => s[..i].bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')),
        _ => false,
    }
}

/// `s` with its percent-escapes (`%20`: two hex digits) decoded; as written when what they
/// decode to is not UTF-8.
fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    percent_encoding::percent_decode_str(s).decode_utf8().map_or_else(|_| s.to_string(), String::from)
}

#[cfg(test)]
mod tests;
