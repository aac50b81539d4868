//! bandit's JSON report (`bandit -r . -f json`).
//!
//! One finding per `results[]` entry: `test_id` is the rule, `issue_severity` HIGH → high,
//! MEDIUM → medium, LOW → low, UNDEFINED → info (bandit has no critical), `issue_cwe.id` the CWE,
//! `issue_confidence` the confidence. The fingerprint's snippet is the flagged line of `code`
//! without bandit's line-number prefix, so a finding that moves keeps its identity.
//!
//! bandit leaves issues silenced by `# nosec` out of `results` and only counts them
//! (`metrics._totals.nosec`, `skipped_tests`): they are reported as a note, in `extra`, and as
//! suppressed findings not listed (which a policy that does not honour suppressions blocks). Files bandit could not parse (`errors[]`) are tool errors: the scan
//! did not look at them; when they are every file bandit was given (the keys of `metrics`), the
//! scan looked at nothing and is incomplete.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};

use super::json::Keys;
use super::tolerant::{LineNo, Num, Objects, Text};
use crate::input::Source;
use crate::model::security::{Finding, FindingKind, SecurityReport, Severity, Unlisted};
use crate::parsers::ParseError;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Doc {
    errors: Objects<RawError>,
    metrics: Metrics,
    results: Option<Objects<Issue>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawError {
    filename: Text,
    reason: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Issue {
    test_id: Text,
    test_name: Text,
    issue_severity: Text,
    issue_confidence: Text,
    issue_cwe: Cwe,
    issue_text: Text,
    filename: Text,
    line_number: LineNo,
    code: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Cwe {
    id: Num,
}

/// `metrics._totals`, and the names of the files bandit was given (the per-file entries'
/// keys; their figures are skipped).
#[derive(Default)]
pub(super) struct Metrics(pub(super) BTreeMap<String, Num>, pub(super) Vec<String>);

impl<'de> Deserialize<'de> for Metrics {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Metrics;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("bandit's metrics object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Metrics, A::Error> {
                let (mut totals, mut files, mut keys) = (BTreeMap::new(), Vec::new(), Keys::default());
                while let Some(k) = map.next_key::<String>()? {
                    if k == "_totals" {
                        keys.once("_totals")?;
                        totals = map.next_value::<Option<BTreeMap<String, Num>>>()?.unwrap_or_default();
                    } else {
                        map.next_value::<IgnoredAny>()?;
                        files.push(k);
                    }
                }
                Ok(Metrics(totals, files))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Metrics, E> {
                Ok(Metrics::default())
            }
        }
        d.deserialize_any(V)
    }
}

/// bandit's severity word, normalized.
pub fn severity(word: &str) -> Severity {
    match word.trim().to_ascii_uppercase().as_str() {
        "HIGH" => Severity::High,
        "MEDIUM" => Severity::Medium,
        "LOW" => Severity::Low,
        "UNDEFINED" => Severity::Info,
        _ => Severity::Unknown,
    }
}

/// Reads a bandit JSON report.
pub fn parse(input: &Source) -> Result<SecurityReport, ParseError> {
    let doc: Doc = super::json::read_doc(input)?;
    let Some(results) = doc.results else {
        return Err(ParseError::whole("not a bandit report: there is no `results` list"));
    };
    let mut report = SecurityReport { tools: vec!["bandit".into()], ..SecurityReport::default() };
    for mut i in results.0 {
        let word = i.issue_severity.take().unwrap_or_default();
        let mut f = Finding::new("bandit", FindingKind::Code, severity(&word));
        f.native_severity = Some(word).filter(|w| !w.is_empty()).map(Into::into);
        f.rule = i.test_id.take().or_else(|| i.test_name.take());
        f.confidence = i.issue_confidence.take();
        if let Some(id) = i.issue_cwe.id.0.filter(|v| *v >= 0.0 && *v < 1e9 && v.fract() == 0.0) {
            f.add_cwe([id as u32]);
        }
        f.set_message(i.issue_text.as_deref().unwrap_or(""));
        f.path = i.filename.take().map(|p| p.strip_prefix("./").map(str::to_string).unwrap_or(p));
        f.line = i.line_number.0;
        f.snippet = i.code.as_deref().and_then(|c| flagged_line(c, f.line));
        report.findings.push(f);
    }
    let mut errored = std::collections::BTreeSet::new();
    for e in doc.errors.0 {
        let file = e.filename.as_deref().unwrap_or("?");
        report.errors.push(format!("{file}: {}", e.reason.as_deref().unwrap_or("could not be scanned")));
        errored.insert(file.to_string());
    }
    // Every file bandit was given failed to parse (Python 2 code under Python 3): nothing was
    // scanned. Some files among others that were scanned do not make the scan a failed one.
    let Metrics(totals, files) = doc.metrics;
    report.scanned = files.iter().take(crate::model::security::SCANNED_KEPT).cloned().collect();
    // `bandit -r` of a folder holding no Python file (the code is elsewhere): its metrics name no
    // file, nothing was scanned ("No issues identified" of nothing). Bandit given no file at all
    // writes no report.
    if errored.is_empty() && files.is_empty() && !totals.is_empty() {
        report.incomplete.push("bandit was given no file (its metrics name none), so nothing was scanned".into());
    }
    if !errored.is_empty() && files.iter().all(|f| errored.contains(f)) {
        report.incomplete.push(format!(
            "bandit could not parse any of the {} file(s) it was given, so nothing was scanned: {}",
            files.len().max(errored.len()),
            report.errors[0]
        ));
    }
    // bandit's counts: whole numbers a scan can reach; anything else is not bandit's report.
    for (k, n) in &totals {
        if let Some(v) = n.0.filter(|v| !(v.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(v))) {
            return Err(ParseError::whole(format!("`metrics._totals.{k}`: {v} is not a count")));
        }
    }
    let listed = 0..report.findings.len();
    read_totals(&mut report, &totals, listed);
    report.extra.insert("parse_errors".into(), report.errors.len().into());
    report.finish();
    Ok(report)
}

/// What bandit's `metrics._totals` say beyond the findings it listed (`report.findings[listed]`,
/// this scan's), for its JSON and its SARIF (`runs[].properties.metrics`) alike: the lines under
/// `# nosec` it counted and left out ([`SecurityReport::unlisted_suppressed`]), the findings its
/// filters left out ([`SecurityReport::filtered`]), and the totals themselves (in `extra`).
pub(super) fn read_totals(report: &mut SecurityReport, totals: &BTreeMap<String, Num>, listed: std::ops::Range<usize>) {
    // Counts a scan can reach (bandit's JSON refuses others before; its SARIF's are left out).
    let get = |k: &str| {
        totals
            .get(k)
            .and_then(|n| n.0)
            .filter(|v| v.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(v))
            .map(|v| v as u64)
    };
    let nosec = get("nosec").unwrap_or(0);
    let skipped = get("skipped_tests").unwrap_or(0);
    if nosec > 0 || skipped > 0 {
        // Added to what an earlier bandit run of the same SARIF log counted.
        let before = report.unlisted_suppressed.as_ref().and_then(|u| u.count).unwrap_or(0);
        report.unlisted_suppressed = Some(Unlisted {
            count: Some(before.saturating_add(nosec).saturating_add(skipped)),
            fix: "run bandit with --ignore-nosec so that it lists them".into(),
        });
        report.notes.push(format!(
            "bandit left out issues silenced in source: {nosec} line(s) with a bare `# nosec`, {skipped} issue(s) \
             skipped by `# nosec BXXX`; run bandit with --ignore-nosec to have them listed"
        ));
    }
    let hidden = filtered(&report.findings[listed], |word| get(&format!("SEVERITY.{word}")));
    for &(sev, n) in &hidden {
        match report.filtered.iter_mut().find(|(s, _)| *s == sev) {
            Some((_, count)) => *count = count.saturating_add(n),
            None => report.filtered.push((sev, n)),
        }
    }
    if !hidden.is_empty() {
        let hidden = hidden.iter().fold(0u64, |sum, (_, n)| sum.saturating_add(*n));
        report.notes.push(format!(
            "bandit's totals count {hidden} issue(s) more than the report lists: it was filtered (-l / \
             --severity-level, -i / --confidence-level, a baseline with -b); a limit on their severity cannot pass"
        ));
    }
    // Summed with an earlier bandit run's of the same SARIF log.
    let mut metrics = match report.extra.remove("metrics_totals") {
        Some(serde_json::Value::Object(m)) => m,
        _ => serde_json::Map::new(),
    };
    for (k, v) in totals {
        if let Some(n) = v.0 {
            let before = metrics.get(k).and_then(serde_json::Value::as_u64).unwrap_or(0);
            metrics.insert(k.clone(), serde_json::json!(before.saturating_add(n as u64)));
        }
    }
    if !metrics.is_empty() {
        report.extra.insert("metrics_totals".into(), serde_json::Value::Object(metrics));
    }
}

/// The findings bandit counted in `metrics._totals` (`stated`, by its severity word) beyond those
/// `listed`, by severity: what `-l`/`-ll`/`-lll`, `-i` or a baseline (`-b`) left out of its
/// `results` (bandit counts every issue it found there; lines under `# nosec` are counted apart).
/// The same for its JSON and its SARIF (`runs[].properties.metrics`).
pub fn filtered(listed: &[Finding], stated: impl Fn(&str) -> Option<u64>) -> Vec<(Severity, u64)> {
    ["HIGH", "MEDIUM", "LOW", "UNDEFINED"]
        .into_iter()
        .filter_map(|word| {
            let sev = severity(word);
            let shown = listed.iter().filter(|f| f.severity == sev).count() as u64;
            let hidden = stated(word)?.saturating_sub(shown);
            (hidden > 0).then_some((sev, hidden))
        })
        .collect()
}

/// The line bandit flagged, from its `code` excerpt (`"496  text\n497  text"`), without the
/// number; the whole excerpt, unnumbered, when the line is not in it.
fn flagged_line(code: &str, line: Option<u32>) -> Option<u64> {
    let split = |l: &str| -> (Option<u32>, String) {
        let t = l.trim_start();
        let digits = t.bytes().take_while(u8::is_ascii_digit).count();
        (t[..digits].parse().ok(), t[digits..].to_string())
    };
    let lines: Vec<(Option<u32>, String)> = code.lines().map(split).collect();
    if let Some((_, text)) = lines.iter().find(|(n, _)| n.is_some() && *n == line) {
        return crate::model::security::snippet_hash(text);
    }
    let all: Vec<&str> = lines.iter().map(|(_, t)| t.as_str()).collect();
    crate::model::security::snippet_hash(&all.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> SecurityReport {
        parse(&Source::bytes("bandit.json", text.as_bytes())).unwrap()
    }

    #[test]
    fn every_file_failing_to_parse_is_a_failed_scan_some_are_errors() {
        // Python 2 code under a Python 3 bandit: each file given is in `errors`.
        let all = r#"{"errors":[{"filename":"src/a.py","reason":"syntax error while parsing AST from file"},
            {"filename":"src/b.py","reason":"syntax error while parsing AST from file"}],
            "metrics":{"_totals":{"loc":6,"nosec":0},"src/a.py":{"loc":3},"src/b.py":{"loc":3}},"results":[]}"#;
        let r = read(all);
        assert!(r.incomplete.len() == 1 && r.incomplete[0].contains("any of the 2 file(s)"), "{:?}", r.incomplete);
        let some = all.replace(r#""src/b.py":{"loc":3}"#, r#""src/b.py":{"loc":3},"src/c.py":{"loc":1}"#);
        let r = read(&some);
        assert!(!r.is_incomplete() && r.errors.len() == 2, "{r:?}");
        // `bandit -r` of a folder with no Python file (bandit 1.8): `_totals` alone.
        let none = r#"{"errors":[],"metrics":{"_totals":{"loc":0,"nosec":0,"skipped_tests":0}},"results":[]}"#;
        let r = read(none);
        assert_eq!(r.incomplete, ["bandit was given no file (its metrics name none), so nothing was scanned"]);
    }
}
