//! OWASP ZAP's JSON report (the "Traditional JSON Report": `zap-baseline.py -J`, `zap-full-scan.py
//! -J`, the reports add-on's `traditional-json` and `traditional-json-plus` templates).
//!
//! One finding is one alert of one site (`site[].alerts[]`: an alert type, however many URLs it
//! was seen on; `count` and `instances[]` are kept in the message). The severity is ZAP's risk,
//! `riskcode`: 3 high, 2 medium, 1 low, 0 informational → info; the confidence is `confidence`
//! (1 low, 2 medium, 3 high, 4 confirmed). An alert whose confidence is 0 is one a person marked
//! as a false positive in ZAP: kept as suppressed (external). `cweid` gives the CWE (and so the
//! OWASP Top 10 category); `-1` and `0` are none. The rule is `alertRef` (else `pluginid`); the
//! finding's identity for `new_only` is the site, the rule and the alert's title (`name`, else
//! `alert`): one `alertRef` can carry several titles and risks (zaproxy/zaproxy#9144), so a new
//! alert never hides behind a baselined one of the same rule. `riskcode` must be a number (or a
//! numeric string, as ZAP writes it) from 0 to 3: anything else is an error. A report with no
//! site (`"site": []`) scanned nothing, and a site without an `alerts` list (missing or `null`;
//! ZAP always writes one, `[]` when it found nothing) was not reported whole: both make the scan
//! incomplete.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer};

use super::tolerant::{Objects, Text};
use crate::input::Source;
use crate::model::security::{Finding, FindingKind, SecurityReport, Severity, Suppression};
use crate::parsers::ParseError;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Doc {
    site: Option<Objects<Site>>,
    #[serde(rename = "@version")]
    version: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Site {
    #[serde(rename = "@name")]
    name: Text,
    /// `None` when the key is missing or `null`: not a site ZAP reported whole.
    alerts: Option<Objects<Alert>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Alert {
    pluginid: Text,
    #[serde(rename = "alertRef")]
    alert_ref: Text,
    alert: Text,
    name: Text,
    riskcode: Option<Code>,
    confidence: Option<Code>,
    count: Text,
    instances: Objects<Instance>,
    cweid: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Instance {
    uri: Text,
}

/// A small code written as a number or a numeric string (`"3"`).
struct Code(u8);

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = Code;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a code from 0 to 4 (a number or a numeric string)")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Code, E> {
                u8::try_from(v)
                    .ok()
                    .filter(|v| *v <= 4)
                    .map(Code)
                    .ok_or_else(|| E::custom(format!("code {v} is out of range (0 to 4)")))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Code, E> {
                Err(E::custom(format!("code {v} is out of range (0 to 4)")))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Code, E> {
                match v.trim().parse::<u64>() {
                    Ok(n) => self.visit_u64(n),
                    Err(_) => Err(E::custom(format!("{v:?} is not a code from 0 to 4"))),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// ZAP's risk code, normalized.
pub fn severity(riskcode: u8) -> Severity {
    match riskcode {
        3 => Severity::High,
        2 => Severity::Medium,
        1 => Severity::Low,
        _ => Severity::Info,
    }
}

fn risk_word(riskcode: u8) -> &'static str {
    ["Informational", "Low", "Medium", "High"].get(usize::from(riskcode)).copied().unwrap_or("?")
}

fn confidence_word(c: u8) -> &'static str {
    ["False Positive", "Low", "Medium", "High", "Confirmed"].get(usize::from(c)).copied().unwrap_or("?")
}

/// Reads a ZAP JSON report.
pub fn parse(input: &Source) -> Result<SecurityReport, ParseError> {
    let doc: Doc = super::json::read_doc(input)?;
    let Some(sites) = doc.site else {
        return Err(ParseError::whole("no `site` list: not a ZAP JSON report"));
    };
    let mut report = SecurityReport { tools: vec!["zap".into()], ..SecurityReport::default() };
    if sites.0.is_empty() {
        report.incomplete.push("zap report lists no site: nothing was scanned".into());
    }
    for site in sites.0 {
        let site_name = site.name.0.unwrap_or_default();
        let Some(alerts) = site.alerts else {
            report.incomplete.push(format!(
                "zap report has no `alerts` list for site {}: its results are missing",
                if site_name.is_empty() { "(unnamed)" } else { &site_name }
            ));
            continue;
        };
        for a in alerts.0 {
            let risk = a.riskcode.as_ref().map(|c| c.0);
            if risk.is_some_and(|r| r > 3) {
                return Err(ParseError::whole(format!("riskcode {} is out of range (0 to 3)", risk.unwrap_or(0))));
            }
            let mut f = Finding::new("zap", FindingKind::Code, risk.map_or(Severity::Unknown, severity));
            f.native_severity = risk.map(|r| risk_word(r).into());
            f.rule = a.alert_ref.0.or(a.pluginid.0);
            f.confidence = a.confidence.as_ref().map(|c| confidence_word(c.0).to_string());
            if let Some(cwe) = a.cweid.as_deref().and_then(|c| c.trim().parse::<u32>().ok()).filter(|c| *c > 0) {
                f.add_cwe([cwe]);
            }
            let title = a.name.0.or(a.alert.0).unwrap_or_default();
            let count =
                a.count.as_deref().and_then(|c| c.trim().parse::<u64>().ok()).unwrap_or(a.instances.0.len() as u64);
            let first = a.instances.0.first().and_then(|i| i.uri.0.clone()).unwrap_or_else(|| site_name.clone());
            f.set_message(&format!("{title} ({count} instance{}: {first})", if count == 1 { "" } else { "s" }));
            f.path = None;
            f.set_tool_fingerprint(&format!("{site_name}|{}|{title}", f.rule.as_deref().unwrap_or("")));
            if a.confidence.is_some_and(|c| c.0 == 0) {
                f.suppressed = Some(Suppression {
                    kind: "external".into(),
                    justification: Some("marked a false positive in ZAP".into()),
                });
            }
            report.findings.push(f);
        }
    }
    if let Some(v) = doc.version.0 {
        report.extra.insert("zap_version".into(), v.into());
    }
    report.finish();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<SecurityReport, ParseError> {
        parse(&Source::bytes("zap.json", text.as_bytes()))
    }

    #[test]
    fn alerts_are_findings_with_risk_confidence_and_cwe() {
        let r = read(r#"{"@programName":"ZAP","@version":"2.14.0","site":[{"@name":"http://app","alerts":[
{"pluginid":"40012","alertRef":"40012","name":"Cross Site Scripting (Reflected)","riskcode":"3","confidence":"2","count":"2",
 "instances":[{"uri":"http://app/q?x=1"},{"uri":"http://app/q?x=2"}],"cweid":"79"},
{"pluginid":"10038","alertRef":"10038-1","name":"CSP Header Not Set","riskcode":2,"confidence":"3","instances":[],"cweid":"693"},
{"pluginid":"10096","name":"Timestamp Disclosure","riskcode":"0","confidence":"1","cweid":"-1"},
{"pluginid":"1","name":"Marked","riskcode":"1","confidence":"0","cweid":"0"}]}]}"#)
        .unwrap();
        let s = r.summary();
        assert_eq!(
            (s.total, s.by_severity.high, s.by_severity.medium, s.by_severity.info, s.suppressed),
            (3, 1, 1, 1, 1)
        );
        let xss = &r.findings[0];
        assert_eq!(xss.cwe, vec![79]);
        assert_eq!(xss.owasp_categories(crate::model::owasp::Edition::Y2021), vec![3]);
        assert_eq!(xss.confidence.as_deref(), Some("Medium"));
        assert!(xss.message.contains("2 instances: http://app/q?x=1"), "{}", xss.message);
        assert!(r.findings[2].cwe.is_empty());
    }

    #[test]
    fn an_alert_keeps_its_identity_when_its_instances_change() {
        let doc = |count: &str, uri: &str| {
            format!(
                r#"{{"site":[{{"@name":"http://app","alerts":[{{"pluginid":"10038","alertRef":"10038-1","name":"CSP","riskcode":"2","count":"{count}","instances":[{{"uri":"{uri}"}}],"cweid":"693"}}]}}]}}"#
            )
        };
        let a = read(&doc("1", "http://app/")).unwrap();
        let b = read(&doc("7", "http://app/login")).unwrap();
        assert_eq!(a.findings[0].fingerprint, b.findings[0].fingerprint);
        let other_site = read(&doc("1", "http://app/").replace("\"http://app\"", "\"http://other\"")).unwrap();
        assert_ne!(a.findings[0].fingerprint, other_site.findings[0].fingerprint);
    }

    #[test]
    fn a_clean_scan_is_clean_and_wrong_types_are_errors() {
        assert_eq!(
            read(r#"{"@version":"2.14.0","site":[{"@name":"http://app","alerts":[]}]}"#).unwrap().summary().total,
            0
        );
        let e = read(r#"{"site":[{"alerts":{"a":1}}]}"#).unwrap_err();
        assert!(e.to_string().contains("site[0].alerts"), "{e}");
        let e = read(r#"{"site":[{"alerts":[{"riskcode":"high"}]}]}"#).unwrap_err();
        assert!(e.to_string().contains("riskcode"), "{e}");
        assert!(read(r#"{"@version":"2.14.0"}"#).unwrap_err().to_string().contains("no `site`"));
    }

    #[test]
    fn alerts_of_one_alert_ref_with_different_titles_are_distinct() {
        let r = read(
            r#"{"site":[{"@name":"http://app","alerts":[
{"pluginid":"10020","alertRef":"10020","name":"Missing Anti-clickjacking Header","riskcode":"2","count":"1"},
{"pluginid":"10020","alertRef":"10020","name":"Multiple X-Frame-Options Header Entries","riskcode":"2","count":"1"},
{"pluginid":"10020","alertRef":"10020","alert":"X-Frame-Options Defined via META","riskcode":"1","count":"1"}]}]}"#,
        )
        .unwrap();
        let fps: std::collections::BTreeSet<_> = r.findings.iter().map(|f| f.fingerprint.clone()).collect();
        assert_eq!(fps.len(), 3, "{fps:?}");
    }

    #[test]
    fn no_site_or_a_site_without_alerts_is_incomplete() {
        let r = read(r#"{"@version":"2.14.0","site":[]}"#).unwrap();
        assert!(r.is_incomplete());
        let r =
            read(r#"{"@version":"2.14.0","site":[{"@name":"http://a","alerts":[]},{"@name":"http://b","@host":"b"}]}"#)
                .unwrap();
        assert_eq!(r.incomplete.len(), 1, "{:?}", r.incomplete);
        assert!(r.incomplete[0].contains("http://b"), "{:?}", r.incomplete);
        assert!(read(r#"{"site":[{"@name":"http://a","alerts":null}]}"#).unwrap().is_incomplete());
    }
}
