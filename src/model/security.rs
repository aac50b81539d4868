//! Security findings, as read from scanner reports: SARIF 2.1.0 (CodeQL, Semgrep, bandit, Trivy,
//! gitleaks, ESLint, clippy, Snyk, grype…) and the native JSON of bandit, Semgrep, npm audit,
//! cargo audit, pip-audit, Trivy, gitleaks and OSV-Scanner.
//!
//! Every parser produces the same [`Finding`]: the tool's own severity word is kept beside the
//! normalized [`Severity`], and a tool that gives no severity lands in [`Severity::Unknown`],
//! whose treatment the policy decides. A [`SecurityReport`] also says whether the scan finished
//! ([`SecurityReport::incomplete`]): an empty, `null` or failed scan is never a clean one.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::owasp::{Edition, OwaspRef};

/// The normalized severity scale. `Unknown` is a bucket of its own, below `Info` in order only
/// so that sorting puts it last; the policy says what it counts as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Unknown,
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// Most severe first, `unknown` last: the order of every table.
    pub const ALL: [Severity; 6] =
        [Severity::Critical, Severity::High, Severity::Medium, Severity::Low, Severity::Info, Severity::Unknown];

    pub fn name(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
            Severity::Info => "info",
            Severity::Unknown => "unknown",
        }
    }

    /// A severity name as the policy writes it.
    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|v| v.name().eq_ignore_ascii_case(s.trim()))
    }

    /// GitHub's cut-offs for SARIF `security-severity`, also used for CVSS base scores:
    /// ≥ 9.0 critical, ≥ 7.0 high, ≥ 4.0 medium, > 0 low. A score of 0, out of range or not a
    /// number is no severity (`None`).
    pub fn from_score(score: f64) -> Option<Severity> {
        if !score.is_finite() || score <= 0.0 || score > 10.0 {
            return None;
        }
        Some(if score >= 9.0 {
            Severity::Critical
        } else if score >= 7.0 {
            Severity::High
        } else if score >= 4.0 {
            Severity::Medium
        } else {
            Severity::Low
        })
    }

    /// The CVSS base score of a v3.0, v3.1 or v4.0 vector, as a severity (`None` when the
    /// vector cannot be read).
    pub fn from_cvss_vector(vector: &str) -> Option<(f64, Severity)> {
        let cvss: cvss::Cvss = vector.trim().parse().ok()?;
        let score = cvss.score();
        Some((score, Severity::from_score(score).unwrap_or(Severity::Info)))
    }
}

/// What a finding is about: it decides the OWASP category of dependency and secret findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FindingKind {
    /// A weakness in the project's own code (SAST).
    Code,
    /// A vulnerable or unmaintained dependency (SCA).
    Dependency,
    /// A secret committed to the repository.
    Secret,
    /// A misconfiguration (IaC, Dockerfile).
    Config,
    /// A licence finding.
    License,
}

/// An in-source or external suppression the tool recorded (`# nosec`, `nosemgrep`, SARIF
/// `suppressions[]`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Suppression {
    /// `inSource` or `external`.
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
}

/// One finding of one scanner.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    pub tool: String,
    pub kind: FindingKind,
    /// The rule, test or advisory id (`B608`, `python.lang…`, `RUSTSEC-2022-0013`, `GHSA-…`).
    pub rule: Option<String>,
    /// Other rule ids this one finding stands for (an npm package with several advisories).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<String>,
    /// Advisory ids and their aliases (CVE, GHSA, RUSTSEC, PYSEC…), for waivers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ids: Vec<String>,
    /// The tool's own severity word or score, as written (`moderate`, `WARNING`, `7.5`).
    pub native_severity: Option<Cow<'static, str>>,
    pub severity: Severity,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<String>,
    /// CWE ids, distinct, ascending.
    #[serde(serialize_with = "cwe_names")]
    pub cwe: Vec<u32>,
    /// OWASP Top 10 categories the tool states itself (with their edition).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub owasp: Vec<OwaspRef>,
    pub path: Option<String>,
    pub line: Option<u32>,
    /// `name@version` of a dependency finding.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub package: Option<String>,
    /// The first line of the tool's message, at most [`MESSAGE_MAX`] characters.
    pub message: String,
    /// The tool's own stable identity for the finding, when it gives one, hashed (see
    /// [`Finding::set_tool_fingerprint`]): only its identity matters, and it can be long.
    #[serde(skip)]
    pub tool_fingerprint: Option<u64>,
    /// A hash of the flagged source text, normalized (no line numbers, no blank runs).
    #[serde(skip)]
    pub snippet: Option<u64>,
    /// The report withheld the flagged text ([`PLACEHOLDER`] where it would be): the finding is
    /// known by its line in the repository's file instead.
    #[serde(skip)]
    pub withheld: bool,
    /// The identity baselines and waivers match: see [`assign_fingerprints`].
    pub fingerprint: String,
    pub suppressed: Option<Suppression>,
    /// SARIF `baselineState`, when the producer compared with its own baseline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline_state: Option<String>,
}

/// How many counted (unsuppressed) findings fall in each OWASP category of `edition`, A01 first.
pub fn owasp_tally<'a>(edition: Edition, findings: impl Iterator<Item = &'a Finding>) -> [u64; 10] {
    let mut out = [0u64; 10];
    for f in findings.filter(|f| f.suppressed.is_none()) {
        for c in f.owasp_categories(edition) {
            out[usize::from(c) - 1] += 1;
        }
    }
    out
}

/// The longest message kept for a finding, in characters.
pub const MESSAGE_MAX: usize = 300;

fn cwe_names<S: serde::Serializer>(cwe: &[u32], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(cwe.iter().map(|n| format!("CWE-{n}")))
}

impl Finding {
    /// The OWASP Top 10 categories (1 to 10) of this finding in `edition`, distinct and
    /// ascending; empty when it maps to none. A category the producer stated for the edition
    /// wins; else dependencies and secrets have their own category, code its CWE ids' ones.
    pub fn owasp_categories(&self, edition: Edition) -> Vec<u8> {
        let stated: Vec<u8> = self.owasp.iter().filter(|r| r.edition == edition).map(|r| r.category).collect();
        let mut out = if !stated.is_empty() {
            stated
        } else {
            match self.kind {
                FindingKind::Dependency => vec![edition.dependency_category()],
                FindingKind::Secret => vec![edition.secret_category()],
                _ => self.cwe.iter().flat_map(|&c| edition.categories_of_cwe(c)).collect(),
            }
        };
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Whether nothing places this finding in or out of the OWASP Top 10 of `edition`: code or
    /// configuration whose report names no CWE and no category of that edition (a dependency or
    /// a secret has its category; a CWE outside the ten, as bandit's CWE-703, places it out).
    pub fn names_no_category(&self, edition: Edition) -> bool {
        matches!(self.kind, FindingKind::Code | FindingKind::Config)
            && self.cwe.is_empty()
            && !self.owasp.iter().any(|r| r.edition == edition)
    }

    /// A finding with every optional part empty.
    pub fn new(tool: &str, kind: FindingKind, severity: Severity) -> Self {
        Self {
            tool: tool.to_string(),
            kind,
            rule: None,
            also: Vec::new(),
            ids: Vec::new(),
            native_severity: None,
            severity,
            confidence: None,
            cwe: Vec::new(),
            owasp: Vec::new(),
            path: None,
            line: None,
            package: None,
            message: String::new(),
            tool_fingerprint: None,
            snippet: None,
            withheld: false,
            fingerprint: String::new(),
            suppressed: None,
            baseline_state: None,
        }
    }

    /// Keeps the tool's own fingerprint (hashed), unless blank.
    pub fn set_tool_fingerprint(&mut self, fp: &str) {
        if !fp.trim().is_empty() && !is_placeholder(fp) {
            self.tool_fingerprint = Some(stable_hash(&[fp]));
        }
    }

    /// Every rule id this finding counts under.
    pub fn rules(&self) -> impl Iterator<Item = &str> {
        self.rule.iter().chain(self.also.iter()).map(String::as_str)
    }

    /// Sets the message to the first line of `text`, shortened.
    pub fn set_message(&mut self, text: &str) {
        self.message = first_line(text);
    }

    /// Adds CWE ids, keeping them distinct and sorted.
    pub fn add_cwe(&mut self, ids: impl IntoIterator<Item = u32>) {
        self.cwe.extend(ids);
        self.cwe.sort_unstable();
        self.cwe.dedup();
    }
}

/// The first non-empty line of `text`, at most [`MESSAGE_MAX`] characters.
pub fn first_line(text: &str) -> String {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
    // No more characters than bytes: most lines are counted without reading them.
    if line.len() <= MESSAGE_MAX || line.chars().count() <= MESSAGE_MAX {
        line.to_string()
    } else {
        let mut s: String = line.chars().take(MESSAGE_MAX - 1).collect();
        s.push('…');
        s
    }
}

/// A CWE id in a tag or text: `external/cwe/cwe-089`, `CWE-89: Improper…`, `cwe_79`, `CWE 22`.
/// Leading zeros are dropped; `CWE-` alone is no id.
pub fn cwe_in(text: &str) -> Option<u32> {
    let lower = text.to_ascii_lowercase();
    let mut rest = lower.as_str();
    while let Some(i) = rest.find("cwe") {
        let after = &rest[i + 3..];
        let after = after.strip_prefix(['-', '_', '/', ' ']).unwrap_or(after);
        let digits: &str = &after[..after.bytes().take_while(u8::is_ascii_digit).count()];
        if !digits.is_empty() {
            let trimmed = digits.trim_start_matches('0');
            return if trimmed.is_empty() { Some(0) } else { trimmed.parse().ok() };
        }
        rest = &rest[i + 3..];
    }
    None
}

/// A CWE id in a SARIF rule tag: only tags that start with `external/cwe/cwe-N` or `CWE-N` name
/// one (a tag such as `owasp-cwe-mapping` does not).
pub fn cwe_tag(tag: &str) -> Option<u32> {
    let t = tag.trim();
    let lower = t.to_ascii_lowercase();
    let starts = lower.starts_with("external/cwe/cwe-")
        || (lower.starts_with("cwe-") && lower.as_bytes().get(4).is_some_and(u8::is_ascii_digit));
    if starts { cwe_in(t) } else { None }
}

/// How many findings a report holds, by normalized severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct BySeverity {
    pub critical: u64,
    pub high: u64,
    pub medium: u64,
    pub low: u64,
    pub info: u64,
    pub unknown: u64,
}

impl BySeverity {
    pub fn add(&mut self, s: Severity) {
        *self.get_mut(s) += 1;
    }

    pub fn get(&self, s: Severity) -> u64 {
        match s {
            Severity::Critical => self.critical,
            Severity::High => self.high,
            Severity::Medium => self.medium,
            Severity::Low => self.low,
            Severity::Info => self.info,
            Severity::Unknown => self.unknown,
        }
    }

    fn get_mut(&mut self, s: Severity) -> &mut u64 {
        match s {
            Severity::Critical => &mut self.critical,
            Severity::High => &mut self.high,
            Severity::Medium => &mut self.medium,
            Severity::Low => &mut self.low,
            Severity::Info => &mut self.info,
            Severity::Unknown => &mut self.unknown,
        }
    }

    pub fn total(&self) -> u64 {
        Severity::ALL.iter().map(|s| self.get(*s)).sum()
    }
}

/// The counts of the report contract: suppressed findings apart, not in the total; `rules` the
/// distinct rule ids among counted findings; `cwe` their distinct CWE ids.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub total: u64,
    pub by_severity: BySeverity,
    pub suppressed: u64,
    pub rules: usize,
    pub cwe: Vec<String>,
}

/// What one security report held.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SecurityReport {
    /// The tools that wrote it (one per SARIF run).
    pub tools: Vec<String>,
    /// Every finding, suppressed ones included, in report order.
    pub findings: Vec<Finding>,
    /// Why the scan is not a complete one (a failed run, dependencies not audited, a `null`
    /// report…); empty when it is.
    pub incomplete: Vec<String>,
    /// Errors the tool reported that did not stop the scan (files it could not parse…).
    pub errors: Vec<String>,
    /// Findings the tool suppressed and counted but did not list (bandit's `# nosec`); none when
    /// every suppressed finding is listed.
    pub unlisted_suppressed: Option<Unlisted>,
    /// Findings the tool counted, by severity, and filtered out of its report (bandit's
    /// `-l`/`-ll`/`-lll`, `-i`, a baseline given with `-b`); empty when it lists all it counts.
    pub filtered: Vec<(Severity, u64)>,
    /// Decisions a user should know about.
    pub notes: Vec<String>,
    /// The producer's own figures that are not findings (cargo-audit warnings, metrics…).
    pub extra: BTreeMap<String, serde_json::Value>,
    /// The files a code scanner says it scanned (bandit's `metrics`, Semgrep's
    /// `paths.scanned`), at most [`SCANNED_KEPT`]: a scan of none of this repository's files is
    /// of other code. Empty where the report does not say.
    #[serde(skip)]
    pub scanned: Vec<String>,
}

/// The most scanned files a report keeps: enough to tell a scan of this work tree from one of
/// another.
pub const SCANNED_KEPT: usize = 256;

/// Suppressed findings a tool counted and left out of its report: they cannot be judged, so a
/// policy that does not honour suppressions cannot pass them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Unlisted {
    /// How many, as the tool counts them; `None` when the tool leaves them out without a count
    /// (Semgrep's JSON and `nosemgrep`).
    pub count: Option<u64>,
    /// How to have the tool list them (`run bandit with --ignore-nosec`).
    pub fix: String,
}

impl SecurityReport {
    pub fn summary(&self) -> Summary {
        summarize(self.findings.iter())
    }

    pub fn is_incomplete(&self) -> bool {
        !self.incomplete.is_empty()
    }

    /// Computes every finding's fingerprint (after paths are final).
    pub fn finish(&mut self) {
        assign_fingerprints(&mut self.findings);
    }
}

/// The counts of the report contract over `findings`.
pub fn summarize<'a>(findings: impl Iterator<Item = &'a Finding>) -> Summary {
    let mut s = Summary::default();
    let mut rules = rustc_hash::FxHashSet::default();
    let mut cwe = BTreeSet::new();
    for f in findings {
        if f.suppressed.is_some() {
            s.suppressed += 1;
            continue;
        }
        s.total += 1;
        s.by_severity.add(f.severity);
        for r in f.rules() {
            rules.insert(r);
        }
        cwe.extend(f.cwe.iter().copied());
    }
    s.rules = rules.len();
    s.cwe = cwe.into_iter().map(|n| format!("CWE-{n}")).collect();
    s
}

/// FNV-1a, 64 bits: a hash that is the same on every machine and in every version of temis.
pub fn stable_hash(parts: &[&str]) -> u64 {
    fnv(parts.iter().map(|p| p.as_bytes()))
}

/// [`stable_hash`] over bytes.
fn fnv<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, p) in parts.into_iter().enumerate() {
        if i > 0 {
            h ^= 0x1f;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        for &b in p {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// The hash of a flagged snippet with whitespace runs folded, so that re-indenting or moving the
/// code does not change it.
pub fn snippet_hash(text: &str) -> Option<u64> {
    let folded: Vec<&str> = text.split_whitespace().collect();
    if folded.is_empty() || is_placeholder(text) {
        return None;
    }
    Some(stable_hash(&[&folded.join(" ")]))
}

/// What Semgrep OSS writes where a fingerprint or the flagged lines would be, the same for every
/// finding (`extra.fingerprint`, `extra.lines`; SARIF's `matchBasedId/v1` and snippets): taken
/// for one, a baseline entry matched every finding of its rule in its file.
pub const PLACEHOLDER: &str = "requires login";

/// Whether `text` is [`PLACEHOLDER`], no identity.
pub fn is_placeholder(text: &str) -> bool {
    text.trim() == PLACEHOLDER
}

/// Sets each finding's `fingerprint`: the tool's own fingerprint when it gives one; else the
/// rule, the path and the normalized snippet (or, without one, the message; for dependencies,
/// the package name), with the occurrence number among findings sharing that key, so that two
/// identical lines stay two findings. Line numbers are never part of it: a finding that moved
/// keeps its identity.
pub fn assign_fingerprints(findings: &mut [Finding]) {
    let mut seen: rustc_hash::FxHashMap<u64, u32> = rustc_hash::FxHashMap::default();
    // A tool's findings come together: its name is lowercased once for them.
    let mut tool = (String::new(), String::new());
    let mut hex = [0u8; 16];
    for f in findings.iter_mut() {
        if f.tool != tool.0 {
            tool = (f.tool.clone(), f.tool.to_ascii_lowercase());
        }
        let lower = tool.1.as_str();
        let (key, occurrence) = if let Some(tf) = f.tool_fingerprint {
            // A tool's fingerprint stands as it is; a second finding with the same one (ZAP gives
            // one alert reference to several alerts) is numbered from 2, so that it can never
            // hide behind the first one in a baseline.
            let key = fnv([&b"tool"[..], lower.as_bytes(), hex16(tf, &mut hex)]);
            let n = seen.entry(key).or_insert(0);
            *n += 1;
            (key, (*n > 1).then_some(*n))
        } else {
            let rule = f.rule.as_deref().unwrap_or("");
            let path = f.path.as_deref().unwrap_or("");
            let key = match (f.kind, f.snippet) {
                (FindingKind::Dependency, _) => {
                    let package = f.package.as_deref().map(package_name).unwrap_or("");
                    if f.also.is_empty() {
                        stable_hash(&[lower, rule, path, package])
                    } else {
                        // Several advisories in one finding (npm 7+'s package): all of them, so
                        // that a new one on a package already known makes a new finding.
                        let mut all: Vec<&str> = f.rules().collect();
                        all.sort_unstable();
                        all.dedup();
                        stable_hash(&[lower, &all.join(" "), path, package])
                    }
                }
                (_, Some(h)) => fnv([lower.as_bytes(), rule.as_bytes(), path.as_bytes(), hex16(h, &mut hex)]),
                (_, None) => stable_hash(&[lower, rule, path, &f.message]),
            };
            let n = seen.entry(key).or_insert(0);
            *n += 1;
            (key, Some(*n))
        };
        let fingerprint = &mut f.fingerprint;
        fingerprint.clear();
        fingerprint.extend(hex16(key, &mut hex).iter().map(|&b| char::from(b)));
        if let Some(n) = occurrence {
            use std::fmt::Write;
            write!(fingerprint, ":{n}").expect("a String takes any text");
        }
    }
}

/// The name of a `name@version` package, without its version: `@scope/name@1.0` is
/// `@scope/name` (a scoped npm package's name starts with `@`).
fn package_name(package: &str) -> &str {
    match package.rfind('@') {
        Some(at) if at > 0 => &package[..at],
        _ => package,
    }
}

/// `v` as 16 lowercase hex digits (`format!("{v:016x}")`, without the allocation).
fn hex16(v: u64, out: &mut [u8; 16]) -> &[u8] {
    for (i, digit) in out.iter_mut().rev().enumerate() {
        *digit = b"0123456789abcdef"[(v >> (4 * i)) as usize & 0xf];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owasp_categories_follow_the_research_and_stated_ones_win() {
        let f = |cwe: u32| {
            let mut f = Finding::new("bandit", FindingKind::Code, Severity::Low);
            f.cwe = vec![cwe];
            f
        };
        let (y21, y25) = (Edition::Y2021, Edition::Y2025);
        assert_eq!(f(78).owasp_categories(y21), vec![3]);
        assert_eq!(f(89).owasp_categories(y25), vec![5]);
        assert_eq!(f(327).owasp_categories(y21), vec![2]);
        assert_eq!(f(327).owasp_categories(y25), vec![4]);
        assert_eq!(f(502).owasp_categories(y21), vec![8]);
        assert_eq!(f(259).owasp_categories(y21), vec![2, 7]);
        assert_eq!(f(259).owasp_categories(y25), vec![7]);
        assert!(f(400).owasp_categories(y21).is_empty());
        let mut dep = f(400);
        dep.kind = FindingKind::Dependency;
        assert_eq!(dep.owasp_categories(y21), vec![6]);
        assert_eq!(dep.owasp_categories(y25), vec![3]);
        let mut stated = Finding::new("semgrep", FindingKind::Code, Severity::High);
        stated.cwe = vec![78];
        stated.owasp = vec![OwaspRef { edition: y21, category: 1 }];
        assert_eq!(stated.owasp_categories(y21), vec![1]);
        assert_eq!(stated.owasp_categories(y25), vec![5], "another edition's statement falls back to CWE");
    }

    #[test]
    fn cwe_ids_are_read_tolerantly() {
        assert_eq!(cwe_in("external/cwe/cwe-089"), Some(89));
        assert_eq!(cwe_in("CWE-78: Improper Neutralization"), Some(78));
        assert_eq!(cwe_in("cwe_79"), Some(79));
        assert_eq!(cwe_in("CWE-"), None);
        assert_eq!(cwe_tag("external/cwe/cwe-022"), Some(22));
        assert_eq!(cwe_tag("CWE-1333: Inefficient Regular Expression"), Some(1333));
        assert_eq!(cwe_tag("security"), None);
        assert_eq!(cwe_tag("owasp-cwe-79"), None);
    }

    #[test]
    fn scores_use_githubs_cut_offs() {
        assert_eq!(Severity::from_score(9.0), Some(Severity::Critical));
        assert_eq!(Severity::from_score(8.95), Some(Severity::High));
        assert_eq!(Severity::from_score(4.0), Some(Severity::Medium));
        assert_eq!(Severity::from_score(0.1), Some(Severity::Low));
        assert_eq!(Severity::from_score(0.0), None);
        assert_eq!(Severity::from_score(11.0), None);
        assert_eq!(Severity::from_score(f64::NAN), None);
        let (score, s) = Severity::from_cvss_vector("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").unwrap();
        assert_eq!((score, s), (9.8, Severity::Critical));
        let (score, _) = Severity::from_cvss_vector("CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H").unwrap();
        assert_eq!(score, 6.2);
        assert!(
            Severity::from_cvss_vector("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N").is_some()
        );
        assert!(Severity::from_cvss_vector("not a vector").is_none());
    }

    #[test]
    fn hex16_is_the_formatted_hex() {
        let mut out = [0u8; 16];
        for v in [0, 1, 0xf, 0xabc, u64::MAX, 0x0123_4567_89ab_cdef, 1 << 63] {
            assert_eq!(hex16(v, &mut out), format!("{v:016x}").as_bytes());
        }
    }

    /// The values baselines hold: a fingerprint never changes from one version to the next
    /// (the one change, on 2026-12-06, is in docs/formats.md).
    #[test]
    fn fingerprints_are_the_stored_values() {
        let mut a = Finding::new("Bandit", FindingKind::Code, Severity::Low);
        a.rule = Some("B105".into());
        a.path = Some("app.py".into());
        a.snippet = snippet_hash("password = 'x'");
        let mut b = Finding::new("Trivy", FindingKind::Dependency, Severity::High);
        b.package = Some("lodash@4.17.20".into());
        b.rule = Some("CVE-2021-23337".into());
        let mut c = Finding::new("semgrep", FindingKind::Code, Severity::Low);
        c.message = "Use of eval".into();
        let mut d = c.clone();
        d.set_tool_fingerprint("abc");
        // A scoped npm package (its name in the key since 2026-12-06: it was empty).
        let mut e = Finding::new("grype", FindingKind::Dependency, Severity::High);
        e.package = Some("@acme/server@1.2.0".into());
        e.rule = Some("GHSA-x".into());
        let mut list = vec![a.clone(), b, c.clone(), d, c, a, e];
        assign_fingerprints(&mut list);
        let got: Vec<&str> = list.iter().map(|f| f.fingerprint.as_str()).collect();
        insta::assert_debug_snapshot!(got);
    }

    #[test]
    fn fingerprints_ignore_lines_and_count_repeats() {
        let mut a = Finding::new("bandit", FindingKind::Code, Severity::Low);
        a.rule = Some("B105".into());
        a.path = Some("app.py".into());
        a.snippet = snippet_hash("  password = 'x'  ");
        a.line = Some(3);
        let mut b = a.clone();
        b.line = Some(33);
        b.snippet = snippet_hash("password   =   'x'");
        let mut list = vec![a.clone(), b];
        assign_fingerprints(&mut list);
        assert_ne!(list[0].fingerprint, list[1].fingerprint, "two identical lines are two findings");
        let mut moved = vec![Finding { line: Some(90), ..a }];
        assign_fingerprints(&mut moved);
        assert_eq!(moved[0].fingerprint, list[0].fingerprint, "a moved finding keeps its identity");
    }

    /// Two findings a tool gives one fingerprint (ZAP's alert reference for several alerts) stay
    /// two identities: the first keeps the tool's, so stored baselines still match it.
    #[test]
    fn a_repeated_tool_fingerprint_is_numbered_from_the_second() {
        let mut a = Finding::new("zap", FindingKind::Code, Severity::Low);
        a.set_tool_fingerprint("http://app|10097");
        let mut b = Finding::new("zap", FindingKind::Code, Severity::High);
        b.set_tool_fingerprint("http://app|10097");
        let mut alone = vec![a.clone()];
        assign_fingerprints(&mut alone);
        let mut list = vec![a, b];
        assign_fingerprints(&mut list);
        assert_eq!(list[0].fingerprint, alone[0].fingerprint);
        assert_eq!(list[1].fingerprint, format!("{}:2", alone[0].fingerprint));
    }

    /// A scoped npm package's name starts with `@`: its version is cut at the last `@`.
    #[test]
    fn scoped_packages_keep_their_names() {
        assert_eq!(package_name("@acme/server@1.2.0"), "@acme/server");
        assert_eq!(package_name("@acme/server"), "@acme/server");
        assert_eq!(package_name("lodash@4.17.20"), "lodash");
        assert_eq!(package_name("lodash"), "lodash");
        let dep = |package: &str| {
            let mut f = Finding::new("grype", FindingKind::Dependency, Severity::High);
            f.rule = Some("GHSA-x".into());
            f.package = Some(package.into());
            f
        };
        let (mut one, mut other) = (vec![dep("@acme/server@1.0.0")], vec![dep("@other/client@2.0.0")]);
        assign_fingerprints(&mut one);
        assign_fingerprints(&mut other);
        assert_ne!(one[0].fingerprint, other[0].fingerprint);
    }
}

/// The schema name of a baseline file.
pub const BASELINE_SCHEMA: &str = "temis.security-baseline/v1";

/// The findings a project has accepted as they stand: `temis security baseline` writes it, and
/// `new_only` judges only findings whose fingerprint is not in it. It is read from the base
/// commit, never from the change under review.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Baseline {
    pub schema: String,
    pub findings: Vec<BaselineEntry>,
}

/// One accepted finding; everything but the fingerprint is there for people reading the file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct BaselineEntry {
    pub fingerprint: String,
    #[serde(default)]
    pub tool: String,
    #[serde(default)]
    pub rule: Option<String>,
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub severity: Option<String>,
}

impl Baseline {
    /// The baseline of the unsuppressed findings of `reports`, in a stable order.
    pub fn of<'a>(findings: impl Iterator<Item = &'a Finding>) -> Baseline {
        let mut entries: Vec<BaselineEntry> = findings
            .filter(|f| f.suppressed.is_none())
            .map(|f| BaselineEntry {
                fingerprint: f.fingerprint.clone(),
                tool: f.tool.clone(),
                rule: f.rule.clone(),
                path: f.path.clone(),
                severity: Some(f.severity.name().to_string()),
            })
            .collect();
        entries.sort_by(|a, b| (&a.path, &a.rule, &a.fingerprint).cmp(&(&b.path, &b.rule, &b.fingerprint)));
        entries.dedup_by(|a, b| a.fingerprint == b.fingerprint);
        Baseline { schema: BASELINE_SCHEMA.to_string(), findings: entries }
    }

    /// Reads a baseline file's bytes.
    pub fn parse(bytes: &[u8]) -> Result<Baseline, BaselineError> {
        let b: Baseline = serde_json::from_slice(bytes).map_err(BaselineError::Json)?;
        if b.schema != BASELINE_SCHEMA {
            return Err(BaselineError::Schema(b.schema));
        }
        Ok(b)
    }
}

/// A security baseline that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("not a temis security baseline: {0}")]
    Json(serde_json::Error),
    #[error("baseline schema {0:?}, expected {BASELINE_SCHEMA:?}")]
    Schema(String),
}
