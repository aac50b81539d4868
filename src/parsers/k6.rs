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
//!
//! A summary whose `iterations` counter is 0, or that has none (a `setup()` that threw: k6 exits
//! 107 and still writes it), is a failed run: no iteration ran, so its trends (all 0) measure
//! nothing; and so is one in which every request failed (`http_req_failed` true for all: their
//! timings are of requests never answered). So is one in which a threshold the script declares was crossed (k6
//! exits 99), on any metric: a `--summary-export` writes each threshold as `true` when crossed
//! (k6 writes `!ok` there: `"thresholds": {"p(95)<25": true}`), handleSummary's data as
//! `{"ok": false}`. A time is never negative, a metric, its `values` and its `thresholds` are
//! objects, a threshold is a boolean or an object with a boolean `ok`: anything else is an error
//! at its place. k6 names each metric once: a metric named twice is an error.

use std::fmt;

use serde::Deserialize;
use serde::de::value::MapAccessDeserializer;
use serde::de::{self, MapAccess, Visitor};

use super::json::{self, Entries};
use super::tolerant::{LooseStr, NonNegative, Object};
use crate::input::Source;
use crate::model::bench::{BenchReport, Benchmark, Stat};
use crate::parsers::ParseError;

#[derive(Deserialize)]
struct Doc {
    metrics: Entries<Object<Metric>>,
}

#[derive(Deserialize)]
struct Metric {
    #[serde(rename = "type", default)]
    kind: LooseStr,
    #[serde(default)]
    contains: LooseStr,
    /// handleSummary's values; absent in a `--summary-export`, where they are flat.
    #[serde(default, deserialize_with = "values")]
    values: Option<Values>,
    /// The script's thresholds on the metric, by their expression (`p(95)<25`), in both forms.
    #[serde(default, deserialize_with = "thresholds")]
    thresholds: Entries<Crossed>,
    #[serde(flatten)]
    flat: Values,
}

/// An object when the key is there: `null` or any other value is an error.
fn values<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Values>, D::Error> {
    Object::deserialize(d).map(|Object(v)| Some(v))
}

/// An object when the key is there: `null` or any other value is an error.
fn thresholds<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Entries<Crossed>, D::Error> {
    Object::deserialize(d).map(|Object(v)| v)
}

/// Whether a threshold was crossed: `true` in a `--summary-export` (k6 writes `!ok` there),
/// `{"ok": false}` in handleSummary's data. Any other value is an error.
struct Crossed(bool);

impl<'de> Deserialize<'de> for Crossed {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(CrossedVisitor)
    }
}

struct CrossedVisitor;

/// handleSummary's form of a threshold.
#[derive(Deserialize)]
struct Outcome {
    ok: bool,
}

impl<'de> Visitor<'de> for CrossedVisitor {
    type Value = Crossed;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a boolean (true: crossed) or an object with a boolean `ok`")
    }

    fn visit_bool<E: de::Error>(self, crossed: bool) -> Result<Crossed, E> {
        Ok(Crossed(crossed))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Crossed, A::Error> {
        Outcome::deserialize(MapAccessDeserializer::new(map)).map(|o| Crossed(!o.ok))
    }
}

/// A metric's values, in k6's names: a trend's times in milliseconds, a counter's count;
/// anything else in the object is ignored.
#[derive(Deserialize, Default)]
struct Values {
    avg: Option<NonNegative>,
    med: Option<NonNegative>,
    min: Option<NonNegative>,
    max: Option<NonNegative>,
    #[serde(rename = "p(90)")]
    p90: Option<NonNegative>,
    #[serde(rename = "p(95)")]
    p95: Option<NonNegative>,
    #[serde(rename = "p(99)")]
    p99: Option<NonNegative>,
    count: Option<f64>,
    /// A rate's true values (`http_req_failed`: the requests that failed) and false ones.
    passes: Option<f64>,
    fails: Option<f64>,
    /// A rate's share of true values: a --summary-export's `value`, handleSummary's `rate`.
    value: Option<f64>,
    rate: Option<f64>,
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
    let mut named = json::OnceNamed::default();
    let mut iterations = false;
    for (name, Object(m)) in doc.metrics.0 {
        named.note(&name);
        for (expression, Crossed(crossed)) in &m.thresholds.0 {
            if *crossed {
                report.failures.push(format!("{name}: {expression} crossed"));
            }
        }
        let (values, typed) = match m.values {
            Some(v) => (v, true),
            None => (m.flat, false),
        };
        if name == "http_req_failed"
            && let (Some(failed), Some(ok)) = (values.passes, values.fails)
            && failed > 0.0
            && ok == 0.0
        {
            // The timings of requests that never got an answer (a refused connection: 0 ms).
            report.failures.push(format!("every request failed (`http_req_failed`: {failed} of {failed})"));
        } else if name == "http_req_failed"
            && values.passes.is_none()
            && let Some(share) = values.value.or(values.rate).filter(|&v| v >= 1.0)
        {
            report.failures.push(format!("every request failed (`http_req_failed` rate {share})"));
        }
        iterations |= name == "iterations";
        if name == "iterations" && values.count.is_none() {
            // k6 writes the count of every counter: without it, no iteration is known to have run.
            return Err(ParseError::whole("`metrics.iterations` has no `count`: how many iterations ran is not known"));
        }
        if name == "iterations"
            && let Some(count) = values.count
        {
            if count < 0.0 {
                return Err(ParseError::whole(format!("`metrics.iterations`: its count {count} is below 0")));
            }
            if count == 0.0 {
                report.failures.push("no iteration ran (`metrics.iterations` counts 0)".into());
            }
        }
        // handleSummary names a metric's type; a --summary-export's trend is known by its values.
        let trend = match (typed, m.kind.0.as_deref()) {
            (true, Some(kind)) => kind == "trend",
            _ => values.is_trend(),
        };
        if !trend || typed && m.contains.0.as_deref().is_some_and(|c| c != "time") {
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
            if let Some(ms) = v {
                b.set(stat, ms.0 * 1e6);
            }
        }
        if let Some(why) = b.contradiction() {
            return Err(super::hyperfine::contradiction(&format!("metrics.{}", b.name), &b.name, &why));
        }
        report.benchmarks.push(b);
    }
    named.check("`metrics`")?;
    if !iterations {
        // k6 writes `iterations` once one has run (a `setup()` that throws ends the run first,
        // k6 exits 107, and the summary is still written).
        report.failures.push("no iteration ran (the summary has no `metrics.iterations`)".into());
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
        let text = r#"{"root_group":{},"metrics":{"iterations":{"count":30,"rate":1},
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
        assert_eq!(r.failures, ["http_req_duration: p(95)<25 crossed"], "p(95) 28.4 ms is not below 25");
    }

    const CROSSED_EXPORT: &[u8] = include_bytes!("../../tests/fixtures/perf/k6/thresholds/crossed/summary.json");
    const CROSSED_DATA: &[u8] = include_bytes!("../../tests/fixtures/perf/k6/thresholds/crossed/handle-summary.json");
    const HELD_EXPORT: &[u8] = include_bytes!("../../tests/fixtures/perf/k6/thresholds/held/summary.json");
    const HELD_DATA: &[u8] = include_bytes!("../../tests/fixtures/perf/k6/thresholds/held/handle-summary.json");

    /// k6 exited 99 for the crossed run (its `p(95)<25`), 0 for the held one: both forms say so.
    #[test]
    fn a_crossed_threshold_is_a_failed_run_in_both_forms() {
        for (name, bytes) in [("summary.json", CROSSED_EXPORT), ("handle-summary.json", CROSSED_DATA)] {
            let r = parse(&Source::bytes(name, bytes)).unwrap();
            assert_eq!(r.failures, ["http_req_duration: p(95)<25 crossed"], "{name}");
            let d = r.benchmarks.iter().find(|b| b.name == "http_req_duration").unwrap();
            assert!((d.p95.unwrap() - 50_586_033.0).abs() < 1.0, "{name}: the timings are read as before");
        }
        for (name, bytes) in [("summary.json", HELD_EXPORT), ("handle-summary.json", HELD_DATA)] {
            let r = parse(&Source::bytes(name, bytes)).unwrap();
            assert_eq!(r.failures, Vec::<String>::new(), "{name}: `false` / `ok: true` is a threshold that held");
        }
        // A threshold on a metric that is no timing (a rate, a counter) fails the run all the same.
        let rate = r#"{"root_group":{},"metrics":{"iterations":{"count":100,"rate":1},"http_req_failed":{"passes":3,"fails":97,"value":0.03,
            "thresholds":{"rate<0.01":true}},"checks":{"type":"rate","contains":"default","values":{"rate":0.5},
            "thresholds":{"rate>0.99":{"ok":false},"rate>0.1":{"ok":true}}}}}"#;
        assert_eq!(
            parse(&Source::bytes("k6.json", rate.as_bytes())).unwrap().failures,
            ["http_req_failed: rate<0.01 crossed", "checks: rate>0.99 crossed"]
        );
    }

    /// Real k6 1.1.0 runs (`tests/fixtures/perf/k6/no-measure`) whose `http_req_duration` is all
    /// 0 and that approved under any budget: a `setup()` that threw (k6 exits 107; no
    /// `iterations` metric), and a server that refused every request (k6 exits 0).
    #[test]
    fn runs_that_measured_nothing_failed() {
        let setup = include_bytes!("../../tests/fixtures/perf/k6/no-measure/setup-fails.json");
        let r = parse(&Source::bytes("summary.json", setup)).unwrap();
        assert_eq!(
            r.failures,
            [
                "every request failed (`http_req_failed`: 1 of 1)",
                "no iteration ran (the summary has no `metrics.iterations`)"
            ]
        );
        let down = include_bytes!("../../tests/fixtures/perf/k6/no-measure/server-down.json");
        let r = parse(&Source::bytes("summary.json", down)).unwrap();
        assert_eq!(r.failures, ["every request failed (`http_req_failed`: 5 of 5)"]);
        // The rate alone, every request failed: approved before.
        let share = r#"{"metrics":{"iterations":{"count":5},"http_req_failed":{"value":1},"http_req_duration":{"avg":1,"med":1,"max":2,"min":0,"p(90)":1,"p(95)":1}}}"#;
        let r = parse(&Source::bytes("k6.json", share.as_bytes())).unwrap();
        assert_eq!(r.failures, ["every request failed (`http_req_failed` rate 1)"]);
        // Some failed requests are a measurement (the script's thresholds judge them).
        let some = String::from_utf8_lossy(down).replace(r#""fails": 0"#, r#""fails": 95"#);
        assert!(some.contains(r#""fails": 95"#));
        assert!(parse(&Source::bytes("summary.json", some.as_bytes())).unwrap().failures.is_empty());
    }

    #[test]
    fn thresholds_of_the_wrong_type_are_errors_naming_the_metric() {
        for (thresholds, place) in [
            (r#""p(95)<25""#, "`metrics.http_req_duration.thresholds`"),
            ("null", "`metrics.http_req_duration.thresholds`"),
            (r#"["p(95)<25"]"#, "`metrics.http_req_duration.thresholds`"),
            (r#"{"p(95)<25":"true"}"#, "`metrics.http_req_duration.thresholds.p(95)<25`"),
            (r#"{"p(95)<25":1}"#, "`metrics.http_req_duration.thresholds.p(95)<25`"),
            (r#"{"p(95)<25":null}"#, "`metrics.http_req_duration.thresholds.p(95)<25`"),
            (r#"{"p(95)<25":{}}"#, "`metrics.http_req_duration.thresholds.p(95)<25`"),
            (r#"{"p(95)<25":{"ok":"false"}}"#, "`metrics.http_req_duration.thresholds.p(95)<25.ok`"),
            (r#"{"p(95)<25":{"ok":null}}"#, "`metrics.http_req_duration.thresholds.p(95)<25.ok`"),
        ] {
            for metric in [
                format!(r#"{{"avg":5,"med":4,"max":9,"min":1,"thresholds":{thresholds}}}"#),
                format!(r#"{{"type":"trend","contains":"time","values":{{"avg":5}},"thresholds":{thresholds}}}"#),
            ] {
                let text = format!(r#"{{"root_group":{{}},"metrics":{{"http_req_duration":{metric}}}}}"#);
                let e = parse(&Source::bytes("k6.json", text.as_bytes())).unwrap_err();
                assert!(e.message.starts_with(place), "{metric}: {}", e.message);
            }
        }
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
    fn a_handle_summary_trend_is_known_by_its_type_whatever_its_statistics() {
        let text = r#"{"metrics":{"http_req_duration":{"type":"trend","contains":"time","values":{"p(95)":8}}}}"#;
        let r = parse(&Source::bytes("k6.json", text.as_bytes())).unwrap();
        assert_eq!((r.benchmarks[0].p95, r.benchmarks[0].mean), (Some(8e6), None), "summaryTrendStats: [\"p(95)\"]");
    }

    #[test]
    fn a_run_in_which_no_iteration_ran_failed() {
        let export = r#"{"root_group":{},"metrics":{"iterations":{"count":0,"rate":0},"http_reqs":{"count":0,"rate":0},
            "http_req_duration":{"avg":0,"min":0,"med":0,"max":0,"p(90)":0,"p(95)":0}}}"#;
        let r = parse(&Source::bytes("k6.json", export.as_bytes())).unwrap();
        assert_eq!(r.failures, ["no iteration ran (`metrics.iterations` counts 0)"]);
        let data =
            r#"{"metrics":{"iterations":{"type":"counter","contains":"default","values":{"count":0,"rate":0}}}}"#;
        assert_eq!(parse(&Source::bytes("k6.json", data.as_bytes())).unwrap().failures.len(), 1);
        let ran = export.replace(r#""iterations":{"count":0"#, r#""iterations":{"count":12"#);
        assert!(parse(&Source::bytes("k6.json", ran.as_bytes())).unwrap().failures.is_empty());
        let below = export.replace(r#""iterations":{"count":0"#, r#""iterations":{"count":-1"#);
        assert!(parse(&Source::bytes("k6.json", below.as_bytes())).unwrap_err().message.contains("metrics.iterations"));
    }

    /// JSON readers keep the last of two equal keys; the reader kept both, so a budget judged the
    /// two, and the regression check the first.
    #[test]
    fn a_metric_named_twice_is_an_error() {
        let text = r#"{"root_group":{},"metrics":{"http_req_duration":{"avg":5,"med":4,"max":9,"p(95)":8},
            "http_reqs":{"count":3,"rate":1},"http_req_duration":{"avg":50,"med":40,"max":90,"p(95)":80}}}"#;
        let e = parse(&Source::bytes("k6.json", text.as_bytes())).unwrap_err();
        assert!(e.message.starts_with("`metrics` names \"http_req_duration\" twice"), "{}", e.message);
    }

    #[test]
    fn hostile_values_are_placed_errors() {
        let e = parse(&Source::bytes("k", &b"{\"metrics\":{\"x\":{\"avg\":\n1e999}}}"[..])).unwrap_err();
        assert_eq!(e.line, Some(2));
        for (text, place) in [
            // A negative time used to be dropped, leaving a budget on it nothing to judge.
            (
                r#"{"root_group":{},"metrics":{"http_req_duration":{"avg":-1,"med":-1,"max":-1,"p(95)":-1}}}"#,
                "`metrics.http_req_duration`",
            ),
            (
                r#"{"metrics":{"d":{"type":"trend","contains":"time","values":{"avg":5,"med":-4,"max":9}}}}"#,
                "`metrics.d.values.med`",
            ),
            // `null` or a string where the values are: the metric used to vanish.
            (r#"{"metrics":{"d":{"type":"trend","contains":"time","values":null}}}"#, "`metrics.d.values`"),
            (r#"{"metrics":{"d":{"type":"trend","contains":"time","values":"n/a"}}}"#, "`metrics.d.values`"),
            (r#"{"metrics":{"http_req_duration":null}}"#, "`metrics.http_req_duration`"),
            (r#"{"metrics":{"iterations":{"count":"0"}}}"#, "`metrics.iterations`"),
            // No count at all: read as iterations that ran (approved).
            (r#"{"metrics":{"iterations":{"count":null,"rate":280}}}"#, "`metrics.iterations` has no `count`"),
            (r#"{"metrics":{"iterations":{"rate":280}}}"#, "`metrics.iterations` has no `count`"),
            (r#"{"metrics":{"iterations":{"type":"counter","values":{}}}}"#, "`metrics.iterations` has no `count`"),
        ] {
            let e = parse(&Source::bytes("k6.json", text.as_bytes())).unwrap_err();
            assert!(e.message.starts_with(place), "{text}: {}", e.message);
        }
    }
}
