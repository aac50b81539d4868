//! The outcome of an accessibility audit, as read from Lighthouse, axe-core or pa11y.
//!
//! One model for every producer: pages, each with the producer's score where it gives one, its
//! violations (rule, impact, WCAG criteria and level, the failing elements) and, kept apart, the
//! items that need a person to review them (axe `incomplete`, pa11y warnings and notices). The
//! counting conventions are the product's (`../shared/corpus/a11y/INDEX.md`): axe counts failing
//! rules per page (elements apart, as nodes), Lighthouse its visible failing audits, pa11y its
//! issues of type error (with the axe runner, one issue per failing element).

use std::collections::BTreeMap;

use serde::Serialize;

/// A WCAG conformance level. Ordered: `A < AA < AAA`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Level {
    A,
    AA,
    AAA,
}

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::A => "A",
            Level::AA => "AA",
            Level::AAA => "AAA",
        }
    }

    /// `A`, `AA` or `AAA` (any case).
    pub fn parse(s: &str) -> Option<Level> {
        match s.trim().to_ascii_uppercase().as_str() {
            "A" => Some(Level::A),
            "AA" => Some(Level::AA),
            "AAA" => Some(Level::AAA),
            _ => None,
        }
    }
}

/// axe-core's impact scale, most severe first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Impact {
    Critical,
    Serious,
    Moderate,
    Minor,
}

impl Impact {
    pub const ALL: [Impact; 4] = [Impact::Critical, Impact::Serious, Impact::Moderate, Impact::Minor];

    pub fn name(self) -> &'static str {
        match self {
            Impact::Critical => "critical",
            Impact::Serious => "serious",
            Impact::Moderate => "moderate",
            Impact::Minor => "minor",
        }
    }

    pub fn parse(s: &str) -> Option<Impact> {
        Impact::ALL.into_iter().find(|i| i.name().eq_ignore_ascii_case(s.trim()))
    }
}

/// pa11y's issue types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum IssueType {
    Error,
    Warning,
    Notice,
}

impl IssueType {
    pub fn name(self) -> &'static str {
        match self {
            IssueType::Error => "error",
            IssueType::Warning => "warning",
            IssueType::Notice => "notice",
        }
    }
}

/// How many selectors of failing elements are kept per violation.
pub const TARGETS_KEPT: usize = 5;

/// One failing rule on one page (for pa11y: one issue).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Violation {
    /// The rule id: an axe rule (`color-contrast`), a Lighthouse audit, a pa11y code.
    pub rule: String,
    /// axe's impact, where the producer gives it.
    pub impact: Option<Impact>,
    /// pa11y's issue type, for pa11y reports.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<IssueType>,
    /// WCAG success criteria (`1.4.3`).
    pub criteria: Vec<String>,
    /// The lowest WCAG level among the criteria; `None` for best-practice rules.
    pub level: Option<Level>,
    /// Failing elements (axe nodes, Lighthouse table rows; 1 for a pa11y issue).
    pub nodes: u64,
    /// Selectors of the first failing elements (at most [`TARGETS_KEPT`]).
    pub targets: Vec<String>,
    /// One line saying what is wrong (axe `help`, Lighthouse title, pa11y message).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The audit's weight in the Lighthouse score.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
}

impl Violation {
    pub fn new(rule: impl Into<String>) -> Self {
        Self {
            rule: rule.into(),
            impact: None,
            kind: None,
            criteria: Vec::new(),
            level: None,
            nodes: 0,
            targets: Vec::new(),
            help: None,
            weight: None,
        }
    }

    /// Adds a failing element's selector, keeping the first few.
    pub fn target(&mut self, selector: String) {
        if self.targets.len() < TARGETS_KEPT && !selector.is_empty() {
            self.targets.push(selector);
        }
    }
}

/// One audited page.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Page {
    pub url: String,
    /// The producer's score, 0–100 (Lighthouse).
    pub score: Option<f64>,
    /// Why the page could not be audited (Lighthouse `runtimeError`, a pa11y-ci load error).
    pub error: Option<String>,
    pub violations: Vec<Violation>,
    /// Items a person must review: axe `incomplete`, pa11y warnings and notices.
    pub needs_review: Vec<Violation>,
    /// Rules (or audits) that passed, where the producer lists them.
    pub passes: u64,
}

/// An accessibility report: one or more pages.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct A11yReport {
    /// The producer and its version (`lighthouse 12.8.2`, `axe-core 4.13.0`, `pa11y (htmlcs)`).
    pub tool: String,
    pub pages: Vec<Page>,
    /// Whether violations carry axe impacts (axe, Lighthouse, pa11y's axe runner).
    pub has_impact: bool,
    /// Whether violations carry pa11y issue types.
    pub has_types: bool,
    /// Decisions a user should know about.
    pub notes: Vec<String>,
    /// The producer's own figures that are not part of the common model.
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// Violation counts by impact.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ByImpact {
    pub critical: u64,
    pub serious: u64,
    pub moderate: u64,
    pub minor: u64,
}

impl ByImpact {
    pub fn add(&mut self, impact: Option<Impact>, n: u64) {
        let slot = match impact {
            Some(Impact::Critical) => &mut self.critical,
            Some(Impact::Serious) => &mut self.serious,
            Some(Impact::Moderate) => &mut self.moderate,
            Some(Impact::Minor) => &mut self.minor,
            None => return,
        };
        *slot = slot.saturating_add(n);
    }

    pub fn get(&self, impact: Impact) -> u64 {
        match impact {
            Impact::Critical => self.critical,
            Impact::Serious => self.serious,
            Impact::Moderate => self.moderate,
            Impact::Minor => self.minor,
        }
    }
}

/// Issue counts by pa11y type.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ByType {
    pub error: u64,
    pub warning: u64,
    pub notice: u64,
}

impl ByType {
    pub fn add(&mut self, kind: Option<IssueType>) {
        let slot = match kind {
            Some(IssueType::Error) => &mut self.error,
            Some(IssueType::Warning) => &mut self.warning,
            Some(IssueType::Notice) => &mut self.notice,
            None => return,
        };
        *slot = slot.saturating_add(1);
    }
}

impl A11yReport {
    /// The score of the report: the page's for one page, the lowest page's for several; `None`
    /// when the producer gives none or a page could not be scored.
    pub fn score(&self) -> Option<f64> {
        let mut worst: Option<f64> = None;
        for p in &self.pages {
            let s = p.score?;
            worst = Some(worst.map_or(s, |w: f64| w.min(s)));
        }
        worst
    }

    pub fn violations(&self) -> impl Iterator<Item = &Violation> {
        self.pages.iter().flat_map(|p| p.violations.iter())
    }

    pub fn needs_review(&self) -> impl Iterator<Item = &Violation> {
        self.pages.iter().flat_map(|p| p.needs_review.iter())
    }

    pub fn total(&self) -> u64 {
        self.violations().count() as u64
    }

    pub fn nodes(&self) -> u64 {
        self.violations().fold(0u64, |n, v| n.saturating_add(v.nodes))
    }

    pub fn by_impact(&self) -> Option<ByImpact> {
        self.has_impact.then(|| {
            let mut b = ByImpact::default();
            for v in self.violations() {
                b.add(v.impact, 1);
            }
            b
        })
    }

    pub fn by_impact_nodes(&self) -> Option<ByImpact> {
        self.has_impact.then(|| {
            let mut b = ByImpact::default();
            for v in self.violations() {
                b.add(v.impact, v.nodes);
            }
            b
        })
    }

    pub fn by_type(&self) -> Option<ByType> {
        self.has_types.then(|| {
            let mut b = ByType::default();
            for v in self.violations().chain(self.needs_review()) {
                b.add(v.kind);
            }
            b
        })
    }

    /// Distinct failing rules, sorted.
    pub fn failing_rules(&self) -> Vec<&str> {
        let mut rules: Vec<&str> = self.violations().map(|v| v.rule.as_str()).collect();
        rules.sort_unstable();
        rules.dedup();
        rules
    }

    /// The WCAG levels that some violation fails, lowest first.
    pub fn levels_failed(&self) -> Vec<Level> {
        let mut levels: Vec<Level> = self.violations().filter_map(|v| v.level).collect();
        levels.sort_unstable();
        levels.dedup();
        levels
    }

    /// The pages that could not be audited.
    pub fn errors(&self) -> impl Iterator<Item = &Page> {
        self.pages.iter().filter(|p| p.error.is_some())
    }
}

/// A number as JSON: an integer when it is whole (`87`, not `87.0`), else as is.
pub fn number_json(v: f64) -> serde_json::Value {
    if v.fract() == 0.0 && v.abs() < 1e15 { serde_json::Value::from(v as i64) } else { serde_json::Value::from(v) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(rule: &str, impact: Option<Impact>, level: Option<Level>, nodes: u64) -> Violation {
        Violation { impact, level, nodes, ..Violation::new(rule) }
    }

    #[test]
    fn counts_rules_apart_from_nodes() {
        let page = |url: &str, vs: Vec<Violation>| Page { url: url.into(), violations: vs, ..Page::default() };
        let r = A11yReport {
            pages: vec![
                page("a", vec![v("color-contrast", Some(Impact::Serious), Some(Level::AA), 3)]),
                page(
                    "b",
                    vec![
                        v("region", Some(Impact::Moderate), None, 2),
                        v("color-contrast", Some(Impact::Serious), Some(Level::AA), 1),
                    ],
                ),
            ],
            has_impact: true,
            ..A11yReport::default()
        };
        assert_eq!((r.total(), r.nodes()), (3, 6));
        assert_eq!(r.by_impact().unwrap().serious, 2);
        assert_eq!(r.by_impact_nodes().unwrap().serious, 4);
        assert_eq!(r.failing_rules(), ["color-contrast", "region"]);
        assert_eq!(r.levels_failed(), [Level::AA]);
        assert!(r.by_type().is_none());
        assert_eq!(r.score(), None);
    }

    #[test]
    fn levels_order_and_parse() {
        assert!(Level::A < Level::AA && Level::AA < Level::AAA);
        assert_eq!(Level::parse("aa"), Some(Level::AA));
        assert_eq!(Impact::parse("Serious"), Some(Impact::Serious));
        assert_eq!(Impact::parse("bad"), None);
    }
}
