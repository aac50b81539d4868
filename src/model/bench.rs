//! Benchmark results, as read from hyperfine, criterion, pytest-benchmark, `go test -bench` and
//! k6 reports: one entry per benchmark with the statistics its producer gives.
//!
//! Durations are kept in nanoseconds (`f64`), whatever unit the producer wrote, so that a budget
//! of "10ms" compares with a hyperfine mean in seconds and a Go `ns/op` alike. A statistic the
//! producer does not give is `None`, never estimated: a check on it fails and says so.

use serde::Serialize;

/// A statistic a budget can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stat {
    Mean,
    Median,
    P90,
    P95,
    P99,
    Min,
    Max,
}

impl Stat {
    pub const ALL: [Stat; 7] = [Stat::Mean, Stat::Median, Stat::P90, Stat::P95, Stat::P99, Stat::Min, Stat::Max];

    pub fn name(self) -> &'static str {
        match self {
            Stat::Mean => "mean",
            Stat::Median => "median",
            Stat::P90 => "p90",
            Stat::P95 => "p95",
            Stat::P99 => "p99",
            Stat::Min => "min",
            Stat::Max => "max",
        }
    }

    pub fn parse(s: &str) -> Option<Stat> {
        let s = s.trim().to_ascii_lowercase();
        match s.as_str() {
            "avg" | "average" => Some(Stat::Mean),
            "med" | "p50" => Some(Stat::Median),
            _ => Stat::ALL.into_iter().find(|x| x.name() == s),
        }
    }
}

/// One benchmark's statistics, in nanoseconds.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Benchmark {
    /// As the producer names it (`verify_token`, `parse/small`, `BenchmarkVerify-8`, `http_req_duration`).
    pub name: String,
    /// What tells it from the other benchmarks of its report that bear its name, as its producer
    /// tells them apart (Go's package and GOMAXPROCS, pytest-benchmark's `fullname`); `None` where
    /// the name is its own, or the producer tells them apart by nothing. A budget matches the
    /// name; the regression check pairs name and variant with the baseline's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    pub mean: Option<f64>,
    pub median: Option<f64>,
    pub p90: Option<f64>,
    pub p95: Option<f64>,
    pub p99: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub stddev: Option<f64>,
    /// Runs, rounds or iterations measured, where the producer says.
    pub samples: Option<u64>,
}

impl Benchmark {
    pub fn new(name: impl Into<String>) -> Self {
        Self { name: name.into(), ..Self::default() }
    }

    /// Its name, and its variant where it has one: `Parse (GOMAXPROCS 8)`.
    pub fn label(&self) -> String {
        match &self.variant {
            Some(v) => format!("{} ({v})", self.name),
            None => self.name.clone(),
        }
    }

    pub fn get(&self, stat: Stat) -> Option<f64> {
        match stat {
            Stat::Mean => self.mean,
            Stat::Median => self.median,
            Stat::P90 => self.p90,
            Stat::P95 => self.p95,
            Stat::P99 => self.p99,
            Stat::Min => self.min,
            Stat::Max => self.max,
        }
    }

    pub fn set(&mut self, stat: Stat, ns: f64) {
        let slot = match stat {
            Stat::Mean => &mut self.mean,
            Stat::Median => &mut self.median,
            Stat::P90 => &mut self.p90,
            Stat::P95 => &mut self.p95,
            Stat::P99 => &mut self.p99,
            Stat::Min => &mut self.min,
            Stat::Max => &mut self.max,
        };
        *slot = Some(ns);
    }

    /// How its statistics contradict one another, if they do: statistics over no sample, a
    /// minimum above the maximum, a mean or a median outside `[min, max]` (within a billionth,
    /// for rounding). A report whose figures cannot all be true is not judged.
    pub fn contradiction(&self) -> Option<String> {
        if self.samples == Some(0)
            && let Some((stat, v)) = self.stats().next()
        {
            return Some(format!("its {} is {} over 0 samples", stat.name(), show_duration(v)));
        }
        let (min, max) = (self.min?, self.max?);
        if min > max {
            return Some(format!("its min {} is above its max {}", show_duration(min), show_duration(max)));
        }
        let slack = max.abs().max(1.0) * 1e-9;
        let inside = [Stat::Mean, Stat::Median, Stat::P90, Stat::P95, Stat::P99].into_iter().find_map(|stat| {
            let v = self.get(stat)?;
            (v < min - slack || v > max + slack).then(|| {
                format!(
                    "its {} {} is outside [min {}, max {}]",
                    stat.name(),
                    show_duration(v),
                    show_duration(min),
                    show_duration(max)
                )
            })
        });
        inside.or_else(|| self.disordered(slack))
    }

    /// Percentiles out of order (a p90 above the p95, a median above the p90…).
    fn disordered(&self, slack: f64) -> Option<String> {
        let ranked: Vec<(Stat, f64)> = [Stat::Median, Stat::P90, Stat::P95, Stat::P99]
            .into_iter()
            .filter_map(|s| self.get(s).map(|v| (s, v)))
            .collect();
        ranked.windows(2).find_map(|w| {
            let ((a, x), (b, y)) = (w[0], w[1]);
            (x > y + slack).then(|| {
                format!("its {} {} is above its {} {}", a.name(), show_duration(x), b.name(), show_duration(y))
            })
        })
    }

    /// Whether it has statistics and every one is 0: a time of 0 is no measurement (hyperfine
    /// takes its shell's start-up off each run and floors at 0 for a command quicker than that;
    /// k6 writes a trend no request matched, criterion an estimate of nothing, as 0).
    pub fn measured_nothing(&self) -> bool {
        let mut stats = self.stats().peekable();
        stats.peek().is_some() && stats.all(|(_, v)| v == 0.0)
    }

    /// The statistics it has, in [`Stat::ALL`] order.
    pub fn stats(&self) -> impl Iterator<Item = (Stat, f64)> + '_ {
        Stat::ALL.into_iter().filter_map(|s| self.get(s).map(|v| (s, v)))
    }
}

/// A benchmark report.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct BenchReport {
    /// The producer (`hyperfine`, `criterion`, `pytest-benchmark 5.1.0`, `go test -bench`, `k6`).
    pub tool: String,
    pub benchmarks: Vec<Benchmark>,
    pub notes: Vec<String>,
    /// What the producer says failed in the run (a failed benchmark, a command that exited
    /// non-zero, a load test in which no iteration ran), each naming what failed. The timings of
    /// a failed run measure the failure, or nothing: the gate blocks on any.
    pub failures: Vec<String>,
}

/// The benchmarks of `benchmarks` that share their name with another, as lists of indices, one
/// list a name, in the order the names first come.
pub fn same_named(benchmarks: &[Benchmark]) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut by_name: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, b) in benchmarks.iter().enumerate() {
        match by_name.get(b.name.as_str()) {
            Some(&g) => groups[g].push(i),
            None => {
                by_name.insert(&b.name, groups.len());
                groups.push(vec![i]);
            }
        }
    }
    groups.retain(|g| g.len() > 1);
    groups
}

/// The `q`-th percentile (0–100) of `values`, linearly interpolated between the closest ranks
/// (numpy's default, which hyperfine's and pytest-benchmark's own statistics scripts use).
/// `values` need not be sorted; `None` when empty.
pub fn percentile(values: &[f64], q: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let rank = (q / 100.0) * (v.len() - 1) as f64;
    let (lo, hi) = (rank.floor() as usize, rank.ceil() as usize);
    Some(v[lo] + (v[hi] - v[lo]) * (rank - lo as f64))
}

/// Fills p90, p95 and p99 from the sample durations, where the producer lists them.
pub fn fill_percentiles(b: &mut Benchmark, samples: &[f64]) {
    for (stat, q) in [(Stat::P90, 90.0), (Stat::P95, 95.0), (Stat::P99, 99.0)] {
        if b.get(stat).is_none()
            && let Some(v) = percentile(samples, q)
        {
            b.set(stat, v);
        }
    }
}

/// A duration for people: `8.2 ms`, `950 ns`, `1.25 s` (three significant digits).
pub fn show_duration(ns: f64) -> String {
    let (value, unit) = if ns.abs() >= 1e9 {
        (ns / 1e9, "s")
    } else if ns.abs() >= 1e6 {
        (ns / 1e6, "ms")
    } else if ns.abs() >= 1e3 {
        (ns / 1e3, "µs")
    } else {
        (ns, "ns")
    };
    let digits = if value.abs() >= 100.0 {
        0
    } else if value.abs() >= 10.0 {
        1
    } else {
        2
    };
    let s = format!("{value:.digits$}");
    let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s };
    format!("{s} {unit}")
}

/// Reads a duration with its unit (`10ms`, `1.5 s`, `250us`, `250µs`, `800ns`, `2m`); a bare
/// number is none (Go's `ns/op` copied in as milliseconds made a budget a million times looser).
/// Returns nanoseconds.
pub fn parse_duration(text: &str) -> Option<f64> {
    let t = text.trim();
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '_')).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let value: f64 = num.replace('_', "").parse().ok()?;
    let factor = match unit.trim() {
        "ms" => 1e6,
        "ns" => 1.0,
        "us" | "µs" | "μs" => 1e3,
        "s" => 1e9,
        "m" | "min" => 60e9,
        _ => return None,
    };
    let ns = value * factor;
    (ns.is_finite() && ns >= 0.0).then_some(ns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_and_show_with_units() {
        assert_eq!(parse_duration("10ms"), Some(10e6));
        assert_eq!(parse_duration("1.5 s"), Some(1.5e9));
        assert_eq!(parse_duration("250us"), Some(250e3));
        assert_eq!(parse_duration("250µs"), Some(250e3));
        assert_eq!(parse_duration("12"), None, "a duration says its unit");
        assert_eq!(parse_duration("ten ms"), None);
        assert_eq!(parse_duration("5 parsecs"), None);
        assert_eq!(show_duration(8.2e6), "8.2 ms");
        assert_eq!(show_duration(10e6), "10 ms");
        assert_eq!(show_duration(950.0), "950 ns");
        assert_eq!(show_duration(1.25e9), "1.25 s");
        assert_eq!(show_duration(123_456.0), "123 µs");
    }

    #[test]
    fn percentiles_interpolate_like_numpy() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0];
        assert_eq!(percentile(&v, 50.0), Some(5.5));
        assert!((percentile(&v, 95.0).unwrap() - 9.55).abs() < 1e-9);
        assert_eq!(percentile(&[3.0], 99.0), Some(3.0));
        assert_eq!(percentile(&[], 95.0), None);
    }

    #[test]
    fn statistics_over_no_sample_contradict_themselves() {
        let mut b = Benchmark { samples: Some(0), ..Benchmark::new("x") };
        assert_eq!(b.contradiction(), None, "nothing measured, nothing claimed");
        b.set(Stat::Mean, 1e6);
        assert_eq!(b.contradiction().as_deref(), Some("its mean is 1 ms over 0 samples"));
        b.samples = Some(3);
        assert_eq!(b.contradiction(), None);
    }

    #[test]
    fn benchmarks_named_alike_are_found_and_labelled_by_their_variant() {
        let mut b: Vec<Benchmark> = ["a", "b", "a", "c", "b", "a"].into_iter().map(Benchmark::new).collect();
        assert_eq!(same_named(&b), [vec![0, 2, 5], vec![1, 4]]);
        assert!(same_named(&b[..2]).is_empty());
        assert_eq!(b[0].label(), "a");
        b[0].variant = Some("GOMAXPROCS 8".into());
        assert_eq!(b[0].label(), "a (GOMAXPROCS 8)");
    }

    #[test]
    fn stats_parse_with_common_aliases() {
        assert_eq!(Stat::parse("P95"), Some(Stat::P95));
        assert_eq!(Stat::parse("avg"), Some(Stat::Mean));
        assert_eq!(Stat::parse("p50"), Some(Stat::Median));
        assert_eq!(Stat::parse("p42"), None);
        let mut b = Benchmark::new("x");
        b.set(Stat::P95, 3.0);
        assert_eq!(b.stats().collect::<Vec<_>>(), [(Stat::P95, 3.0)]);
    }
}
