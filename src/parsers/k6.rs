//! k6 end-of-test summaries: `k6 run --summary-export FILE` (trend values flat under each metric)
//! and the `handleSummary` data object (`{"type": "trend", "contains": "time", "values": {…}}`).
//!
//! Each trend metric whose values are times becomes a benchmark named after the metric
//! (`http_req_duration`, `http_req_duration{expected_response:true}`, a custom Trend); k6 writes
//! times in milliseconds. `avg`, `med`, `min`, `max`, `p(90)`, `p(95)`, `p(99)` map to the
//! statistics of the same meaning; which percentiles exist depends on `summaryTrendStats`.
//! Counters, rates and gauges are not timings and are skipped. With `--summary-export` a trend
//! does not say whether it holds times: custom trends are read as milliseconds, and a note says
//! so.

use serde::Deserialize;

use super::json::{self, Entries};
use super::tolerant::{Loose, LooseStr};
use crate::input::Source;
use crate::model::bench::{BenchReport, Benchmark, Stat};
use crate::parsers::ParseError;

#[derive(Deserialize)]
struct Doc {
    metrics: Entries<Loose<Metric>>,
}

#[derive(Deserialize)]
struct Metric {
    #[serde(rename = "type", default)]
    kind: LooseStr,
    #[serde(default)]
    contains: LooseStr,
    #[serde(default)]
    values: Loose<Values>,
    #[serde(flatten)]
    flat: Values,
}

/// A trend's values, in k6's names; anything else in the object is ignored.
#[derive(Deserialize, Default)]
struct Values {
    avg: Option<Ms>,
    med: Option<Ms>,
    min: Option<Ms>,
    max: Option<Ms>,
    #[serde(rename = "p(90)")]
    p90: Option<Ms>,
    #[serde(rename = "p(95)")]
    p95: Option<Ms>,
    #[serde(rename = "p(99)")]
    p99: Option<Ms>,
}

/// A time in milliseconds (finite; k6 writes negative values for none).
#[derive(Clone, Copy)]
struct Ms(f64);

impl<'de> Deserialize<'de> for Ms {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = f64::deserialize(d)?;
        if !v.is_finite() || !(-1e15..=1e15).contains(&v) {
            return Err(serde::de::Error::custom(format!("{v} is not a usable time")));
        }
        Ok(Ms(v))
    }
}

/// `stat` as k6 names it in a trend and in `summaryTrendStats`.
pub fn trend_stat(stat: Stat) -> &'static str {
    match stat {
        Stat::Mean => "avg",
        Stat::Median => "med",
        Stat::P90 => "p(90)",
        Stat::P95 => "p(95)",
        Stat::P99 => "p(99)",
        Stat::Min => "min",
        Stat::Max => "max",
    }
}

impl Values {
    fn is_trend(&self) -> bool {
        self.avg.is_some() && (self.med.is_some() || self.max.is_some())
    }
}

const TIME_METRICS: &[&str] = &[
    "http_req_duration",
    "http_req_waiting",
    "http_req_connecting",
    "http_req_tls_handshaking",
    "http_req_sending",
    "http_req_receiving",
    "http_req_blocked",
    "iteration_duration",
    "group_duration",
    "ws_connecting",
    "ws_session_duration",
    "grpc_req_duration",
    "browser_http_req_duration",
];

/// Reads a k6 summary export or handleSummary data.
pub fn parse(input: &Source) -> Result<BenchReport, ParseError> {
    let doc: Doc = json::read_doc(input)?;
    let mut report = BenchReport { tool: "k6".into(), ..BenchReport::default() };
    let mut assumed = Vec::new();
    for (name, metric) in doc.metrics.0 {
        let Some(m) = metric.0 else { continue };
        let (values, typed) = match m.values.0 {
            Some(v) => (v, true),
            None => (m.flat, false),
        };
        if typed && m.kind.0.as_deref().is_some_and(|k| k != "trend") || !values.is_trend() {
            continue;
        }
        if typed && m.contains.0.as_deref().is_some_and(|c| c != "time") {
            continue;
        }
        let base = name.split('{').next().unwrap_or(&name);
        if !typed && !TIME_METRICS.contains(&base) {
            assumed.push(name.clone());
        }
        let mut b = Benchmark::new(name);
        for (stat, v) in [
            (Stat::Mean, values.avg),
            (Stat::Median, values.med),
            (Stat::Min, values.min),
            (Stat::Max, values.max),
            (Stat::P90, values.p90),
            (Stat::P95, values.p95),
            (Stat::P99, values.p99),
        ] {
            if let Some(Ms(ms)) = v.filter(|v| v.0 >= 0.0) {
                b.set(stat, ms * 1e6);
            }
        }
        if let Some(why) = b.contradiction() {
            return Err(super::hyperfine::contradiction(&format!("metrics.{}", b.name), &b.name, &why));
        }
        report.benchmarks.push(b);
    }
    if !assumed.is_empty() {
        report.notes.push(format!(
            "custom trend(s) {} read as milliseconds (a --summary-export does not say whether a trend holds times)",
            assumed.join(", ")
        ));
    }
    Ok(report)
}

/// Whether a JSON document's opening looks like a k6 summary.
pub fn looks_like(body: &[u8]) -> bool {
    let has = |s: &str| memchr::memmem::find(body, s.as_bytes()).is_some();
    has("\"metrics\"") && (has("\"root_group\"") || has("\"http_req_duration\"") || has("\"iteration_duration\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trends_become_benchmarks_in_nanoseconds() {
        let text = r#"{"root_group":{},"metrics":{
            "http_req_duration":{"avg":12.5,"min":1.1,"med":9.8,"max":130.2,"p(90)":21.0,"p(95)":28.4,"thresholds":{"p(95)<25":true}},
            "http_reqs":{"count":1200,"rate":39.9},
            "checks":{"passes":10,"fails":0,"value":1},
            "login_time":{"avg":3,"min":1,"med":2,"max":9,"p(90)":5,"p(95)":6}}}"#;
        let r = parse(&Source::bytes("k6.json", text.as_bytes())).unwrap();
        assert_eq!(r.benchmarks.len(), 2);
        let b = &r.benchmarks[0];
        assert_eq!(b.name, "http_req_duration");
        assert!((b.p95.unwrap() - 28.4e6).abs() < 1e-3);
        assert_eq!(b.p99, None);
        assert!(r.notes[0].contains("login_time"), "{:?}", r.notes);
    }

    #[test]
    fn handle_summary_data_is_read_by_type() {
        let text = r#"{"metrics":{"http_req_duration":{"type":"trend","contains":"time","values":{"avg":5,"med":4,"max":9,"min":1,"p(95)":8}},
            "data_received":{"type":"counter","contains":"data","values":{"count":5,"rate":1}},
            "size":{"type":"trend","contains":"default","values":{"avg":5,"med":4,"max":9}}}}"#;
        let r = parse(&Source::bytes("k6.json", text.as_bytes())).unwrap();
        assert_eq!(r.benchmarks.len(), 1);
        assert!(r.notes.is_empty());
    }

    #[test]
    fn hostile_values_are_placed_errors() {
        let e = parse(&Source::bytes("k", &b"{\"metrics\":{\"x\":{\"avg\":\n1e999}}}"[..])).unwrap_err();
        assert_eq!(e.line, Some(2));
    }
}
