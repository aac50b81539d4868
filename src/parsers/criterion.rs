//! criterion's `target/criterion/<id>/new/estimates.json`: one benchmark per file, in
//! nanoseconds.
//!
//! The mean is the figure `cargo bench` prints on its `time:` line, criterion's typical estimate
//! (`Estimates::typical`): the `slope` of its regression of time on iterations where it sampled
//! linearly (the default for fast benchmarks), else the `mean` of its samples (flat sampling,
//! where `slope` is `null`). Both estimate the time of one iteration; the slope is the one
//! criterion reports. median and the standard deviation are its point estimates. The file does
//! not name its benchmark: the name is the path between `criterion/` and `/new/`
//! (`parse/split_token`), as criterion lays its folders out, else the folder name. Percentiles,
//! min and max are not given (criterion keeps iteration batches, not per-run times).
//! `change/estimates.json` (the relative change against the base run, with no `std_dev` nor
//! `median_abs_dev`) is an error: read as times, +3 % was 0.03 ns.

use serde::Deserialize;

use super::json;
use super::tolerant::{Loose, NonNegative, Object};
use crate::input::Source;
use crate::model::bench::{BenchReport, Benchmark};
use crate::parsers::ParseError;

#[derive(Deserialize)]
struct Estimates {
    mean: Object<Estimate>,
    /// `null` where criterion sampled flat; of another type, an error.
    #[serde(default)]
    slope: Option<Object<Estimate>>,
    #[serde(default)]
    median: Option<Object<Estimate>>,
    #[serde(default)]
    std_dev: Loose<Estimate>,
    /// Times come with their spread; `change/estimates.json` (relative changes) has none.
    #[serde(default)]
    median_abs_dev: Option<serde::de::IgnoredAny>,
}

#[derive(Deserialize)]
struct Estimate {
    point_estimate: NonNegative,
    #[serde(default)]
    confidence_interval: Loose<Interval>,
}

#[derive(Deserialize)]
struct Interval {
    #[serde(default)]
    lower_bound: Option<f64>,
    #[serde(default)]
    upper_bound: Option<f64>,
}

impl Estimate {
    /// How the estimate contradicts its own confidence interval, if it does.
    fn contradiction(&self) -> Option<String> {
        let i = self.confidence_interval.0.as_ref()?;
        let (lower, upper) = (i.lower_bound?, i.upper_bound?);
        let (point, slack) = (self.point_estimate.0, upper.abs().max(1.0) * 1e-9);
        if lower > upper {
            Some(format!("its confidence interval runs backwards ({lower} > {upper})"))
        } else if point < lower - slack || point > upper + slack {
            Some(format!("its point estimate {point} is outside its confidence interval [{lower}, {upper}]"))
        } else {
            None
        }
    }
}

/// Reads one criterion `estimates.json`.
pub fn parse(input: &Source) -> Result<BenchReport, ParseError> {
    let e: Estimates = json::read_doc(input)?;
    if e.std_dev.0.is_none() && e.median_abs_dev.is_none() {
        return Err(ParseError::whole(
            "no `std_dev` nor `median_abs_dev`: these are criterion's change estimates (`change/estimates.json`, \
             the relative change against the base run: 0.03 is +3 %), not times; give temis \
             `new/estimates.json`",
        ));
    }
    let mut b = Benchmark::new(name_from_path(input.name()));
    let (mean, slope, median) = (e.mean.0, e.slope.map(|s| s.0), e.median.map(|m| m.0));
    for (at, e) in [("mean", Some(&mean)), ("slope", slope.as_ref()), ("median", median.as_ref())] {
        if let Some(why) = e.and_then(Estimate::contradiction) {
            return Err(super::hyperfine::contradiction(at, &b.name, &why));
        }
    }
    b.mean = Some(slope.as_ref().unwrap_or(&mean).point_estimate.0);
    b.median = median.map(|m| m.point_estimate.0);
    b.stddev = e.std_dev.0.map(|m| m.point_estimate.0);
    Ok(BenchReport { tool: "criterion".into(), benchmarks: vec![b], ..BenchReport::default() })
}

/// `target/criterion/parse/split_token/new/estimates.json` → `parse/split_token`.
pub fn name_from_path(path: &str) -> String {
    let parts: Vec<&str> = path.split(['/', '\\']).filter(|p| !p.is_empty()).collect();
    let end =
        parts.iter().rposition(|p| matches!(*p, "new" | "base" | "change")).unwrap_or(parts.len().saturating_sub(1));
    let start = parts[..end].iter().rposition(|p| *p == "criterion").map_or(end.saturating_sub(1), |i| i + 1);
    let name = parts.get(start..end).map(|p| p.join("/")).unwrap_or_default();
    if name.is_empty() { "criterion benchmark".to_string() } else { name }
}

/// Whether a JSON document's opening looks like criterion's estimates.
pub fn looks_like(body: &[u8]) -> bool {
    let has = |s: &str| memchr::memmem::find(body, s.as_bytes()).is_some();
    has("\"point_estimate\"") && has("\"confidence_interval\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_criterions_folders() {
        assert_eq!(name_from_path("target/criterion/parse/split_token/new/estimates.json"), "parse/split_token");
        assert_eq!(name_from_path("/r/target/criterion/verify_token/new/estimates.json"), "verify_token");
        assert_eq!(name_from_path("bench/verify/estimates.json"), "verify");
        assert_eq!(name_from_path("estimates.json"), "criterion benchmark");
    }

    #[test]
    fn reads_point_estimates_in_nanoseconds() {
        let text = r#"{"mean":{"confidence_interval":{"confidence_level":0.95,"lower_bound":9.1,"upper_bound":9.3},"point_estimate":9.2,"standard_error":0.05},
            "median":{"confidence_interval":{},"point_estimate":9.0,"standard_error":0.01},"median_abs_dev":{"point_estimate":0.1},"slope":null,
            "std_dev":{"confidence_interval":{},"point_estimate":0.4,"standard_error":0.1}}"#;
        let r = parse(&Source::bytes("target/criterion/verify_token/new/estimates.json", text.as_bytes())).unwrap();
        let b = &r.benchmarks[0];
        assert_eq!((b.name.as_str(), b.mean, b.median, b.stddev), ("verify_token", Some(9.2), Some(9.0), Some(0.4)));
        let e = parse(&Source::bytes("e.json", &b"{\"mean\":{\"point_estimate\":\"fast\"}}"[..])).unwrap_err();
        assert_eq!(e.line, Some(1));
        let e = parse(&Source::bytes("e.json", &b"{\"mean\":[9.2]}"[..])).unwrap_err();
        assert!(e.message.starts_with("`mean`"), "{}", e.message);
    }

    /// criterion's `change/estimates.json` is the relative change against the base run (+2.78 %
    /// here): read as times, it passed a budget of 1 ns.
    #[test]
    fn change_estimates_are_no_times() {
        let change = r#"{"mean":{"confidence_interval":{"confidence_level":0.95,"lower_bound":0.0132,"upper_bound":0.0421},"point_estimate":0.0278,"standard_error":0.007},
            "median":{"confidence_interval":{"confidence_level":0.95,"lower_bound":0.01,"upper_bound":0.03},"point_estimate":0.0234,"standard_error":0.005}}"#;
        let e = parse(&Source::bytes("target/criterion/verify_token/change/estimates.json", change.as_bytes()))
            .unwrap_err();
        assert!(e.message.contains("change estimates"), "{}", e.message);
    }

    #[test]
    fn the_mean_is_the_slope_criterion_prints_when_it_fitted_one() {
        // tests/fixtures/perf: criterion printed `verify_token time: [1.3662 ns 1.3708 ns 1.3768 ns]`.
        let text = r#"{"mean":{"confidence_interval":{"lower_bound":1.3659,"upper_bound":1.3738},"point_estimate":1.3695},
            "median":{"confidence_interval":{},"point_estimate":1.3643},"std_dev":{"point_estimate":0.02},
            "slope":{"confidence_interval":{"lower_bound":1.3661,"upper_bound":1.3768},"point_estimate":1.3708}}"#;
        let r = parse(&Source::bytes("target/criterion/verify_token/new/estimates.json", text.as_bytes())).unwrap();
        assert_eq!((r.benchmarks[0].mean, r.benchmarks[0].median), (Some(1.3708), Some(1.3643)));
        let outside = text.replace("\"point_estimate\":1.3708", "\"point_estimate\":25.5");
        let e = parse(&Source::bytes("e.json", outside.as_bytes())).unwrap_err();
        assert!(e.message.starts_with("`slope`"), "{}", e.message);
        for wrong in [r#""slope":"fast""#, r#""slope":[1]"#] {
            let doc = text.replace(r#""slope":{"#, &format!("{wrong},\"x\":{{"));
            assert!(
                parse(&Source::bytes("e.json", doc.as_bytes())).unwrap_err().message.contains("`slope`"),
                "{wrong}"
            );
        }
        let doc = text.replace(r#""median":{"#, r#""median":"n/a","x":{"#);
        assert!(parse(&Source::bytes("e.json", doc.as_bytes())).unwrap_err().message.contains("`median`"));
    }
}
