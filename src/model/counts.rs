//! Covered-of-total pairs and the producers' rounding conventions.

use serde::Serialize;

/// A covered-of-total pair: lines, statements, branches or functions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub total: u64,
    pub covered: u64,
}

impl Counts {
    pub const fn new(total: u64, covered: u64) -> Self {
        Self { total, covered }
    }

    /// The exact ratio as a percentage, or `None` when there is nothing to measure.
    /// Never 0 % or 100 % by default: an empty denominator is "no data".
    pub fn percent(self) -> Option<f64> {
        (self.total > 0).then(|| self.covered as f64 * 100.0 / self.total as f64)
    }

    pub fn missed(self) -> u64 {
        self.total.saturating_sub(self.covered)
    }

    pub fn add(&mut self, other: Counts) {
        self.total = self.total.saturating_add(other.total);
        self.covered = self.covered.saturating_add(other.covered);
    }
}

/// How a producer rounds the percentages it prints, so that the figure temis shows is the one
/// the user's own tool printed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Rounding {
    /// Round half away from zero to two decimals (coverage.py `--precision=2`, lcov, Go, gcovr,
    /// SimpleCov's `covered_percent.round(2)`).
    #[default]
    Nearest,
    /// Truncate to two decimals (Istanbul's `pct`, in every report Istanbul writes).
    Floor,
}

/// What a coverage report's `lines` figure counts: lines, or the statements a producer counts
/// in their place (Go, coverage.py), which the gate says by name.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    #[default]
    Lines,
    Statements,
}

impl Unit {
    /// The plural noun: "lines", "statements".
    pub fn plural(self) -> &'static str {
        match self {
            Unit::Lines => "lines",
            Unit::Statements => "statements",
        }
    }

    /// The noun for one: "line", "statement".
    pub fn singular(self) -> &'static str {
        match self {
            Unit::Lines => "line",
            Unit::Statements => "statement",
        }
    }

    /// The gate's title for the figure: "Line coverage", "Statement coverage".
    pub fn title(self) -> &'static str {
        match self {
            Unit::Lines => "Line coverage",
            Unit::Statements => "Statement coverage",
        }
    }
}

impl Rounding {
    /// The exact percentage of `counts`, rounded to two decimals the producer's way.
    pub fn percent(self, counts: Counts) -> Option<f64> {
        if counts.total == 0 {
            return None;
        }
        // Integer arithmetic first so that 2/3 does not become 66.66999.
        let scaled = u128::from(counts.covered) * 1_000_000 / u128::from(counts.total);
        let hundredths = match self {
            Rounding::Floor => scaled / 100,
            Rounding::Nearest => (scaled + 50) / 100,
        };
        Some(hundredths as f64 / 100.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_denominator_is_no_data_not_zero_or_hundred() {
        assert_eq!(Counts::new(0, 0).percent(), None);
        assert_eq!(Rounding::Nearest.percent(Counts::new(0, 0)), None);
    }

    #[test]
    fn rounding_matches_producers() {
        // Istanbul truncates 58/64 = 90.625 to 90.62; Go rounds 557/572 = 97.377 to 97.38.
        assert_eq!(Rounding::Floor.percent(Counts::new(64, 58)), Some(90.62));
        assert_eq!(Rounding::Nearest.percent(Counts::new(572, 557)), Some(97.38));
        assert_eq!(Rounding::Nearest.percent(Counts::new(3, 2)), Some(66.67));
        assert_eq!(Rounding::Floor.percent(Counts::new(3, 3)), Some(100.0));
    }
}
