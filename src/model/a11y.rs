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
    /// What the audit was told to leave out (axe's `runOnly` and disabled rules, the standard a
    /// pa11y run names): a check of a WCAG level the audit did not test measured nothing there.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub left_out: Vec<LeftOut>,
    /// For a Lighthouse run: what folding several runs of one URL needs.
    #[serde(skip)]
    pub run: Option<RunFacts>,
}

/// Rules an audit left out, and the lowest WCAG level among them: a policy's `wcag` at that
/// level or above was not measured by it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LeftOut {
    /// What the report says was left out, as it says it (`runOnly tags: wcag2a`).
    pub what: String,
    pub level: Level,
    /// No rule of any WCAG level ran (axe's `runOnly` of best-practice tags alone): what a policy
    /// that counts violations without a level (`max_violations`, no `wcag`) cannot pass.
    pub no_wcag: bool,
}

/// What one Lighthouse run says about itself, for choosing among several runs of one URL.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunFacts {
    /// `fetchTime`: the same run read twice (an `lhr-*.json` and a manifest entry) counts once.
    pub fetch_time: Option<String>,
    /// `first-contentful-paint` and `interactive` `numericValue`s (ms), which Lighthouse CI's
    /// representative run is chosen by.
    pub fcp: Option<f64>,
    pub interactive: Option<f64>,
    /// Lighthouse CI's `isRepresentativeRun`, from a manifest.
    pub representative: Option<bool>,
    /// The file the run was read from (a manifest's entry), for messages.
    pub file: Option<String>,
}

/// How several Lighthouse runs of one URL are folded into the one that is judged (`[a11y]
/// aggregation`), named after `lhci assert`'s `aggregationMethod`. Each picks a whole run: its
/// score and its violations are judged together, never figures of different runs mixed. A run
/// that errored (no score: the page did not load, an audit could not run) is never left out: it
/// is the run judged, whichever the aggregation, and blocks as a scan error.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Aggregation {
    /// The median run by accessibility score (with an even count, the lower of the two middle
    /// runs).
    #[default]
    Median,
    /// The best-scored run (lhci: the highest value for a minimum).
    Optimistic,
    /// The worst-scored run; a run that errored is the worst of all (lhci's pessimistic fails
    /// when a run gave no value).
    Pessimistic,
    /// Lighthouse CI's representative run: the manifest's `isRepresentativeRun`, else the run
    /// closest to the median first-contentful-paint and time-to-interactive, as lhci picks it.
    MedianRun,
}

impl Aggregation {
    pub const NAMES: [&'static str; 4] = ["median", "optimistic", "pessimistic", "median-run"];

    pub fn name(self) -> &'static str {
        match self {
            Aggregation::Median => "median",
            Aggregation::Optimistic => "optimistic",
            Aggregation::Pessimistic => "pessimistic",
            Aggregation::MedianRun => "median-run",
        }
    }

    pub fn parse(s: &str) -> Option<Aggregation> {
        match s.trim().to_ascii_lowercase().as_str() {
            "median" => Some(Aggregation::Median),
            "optimistic" => Some(Aggregation::Optimistic),
            "pessimistic" => Some(Aggregation::Pessimistic),
            "median-run" | "median_run" => Some(Aggregation::MedianRun),
            _ => None,
        }
    }
}

/// The run picked among several runs of one URL, and how (`median of 3 runs`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Picked {
    /// Index into the runs given.
    pub index: usize,
    /// `None` for a single run.
    pub how: Option<String>,
}

/// Picks the run that stands for several Lighthouse runs of one URL, as `how` says.
pub fn pick_run(runs: &[&Page], how: Aggregation) -> Picked {
    let n = runs.len();
    if n <= 1 {
        return Picked { index: 0, how: None };
    }
    // A run errored when it could not be audited in full (an audit that errored, one the
    // category lists and the run lacks), even where Lighthouse still gave it a score (an audit
    // of weight 0 does not move it).
    let failed = |i: usize| runs[i].score.is_none() || runs[i].error.is_some();
    let scored: Vec<usize> = (0..n).filter(|&i| !failed(i)).collect();
    let errored = n - scored.len();
    if let Some(failed) = (0..n).find(|&i| failed(i)) {
        // What a run that errored did not measure, no other run can stand for.
        return Picked { index: failed, how: Some(format!("{errored} of {n} runs errored")) };
    }
    let score = |i: usize| runs[i].score.unwrap_or(0.0);
    match how {
        Aggregation::Median => {
            let mut sorted = scored;
            sorted.sort_by(|&a, &b| score(a).total_cmp(&score(b)));
            Picked { index: sorted[(n - 1) / 2], how: Some(format!("median of {n} runs")) }
        }
        Aggregation::Optimistic => {
            let best = scored.iter().copied().fold(scored[0], |b, i| if score(i) > score(b) { i } else { b });
            Picked { index: best, how: Some(format!("best of {n} runs")) }
        }
        Aggregation::Pessimistic => {
            let worst = scored.iter().copied().fold(scored[0], |w, i| if score(i) < score(w) { i } else { w });
            Picked { index: worst, how: Some(format!("worst of {n} runs")) }
        }
        Aggregation::MedianRun => {
            let flagged =
                scored.iter().copied().find(|&i| runs[i].run.as_ref().is_some_and(|r| r.representative == Some(true)));
            let index = flagged.unwrap_or_else(|| representative(runs, &scored));
            Picked { index, how: Some(format!("representative run of {n}")) }
        }
    }
}

/// Lighthouse CI's representative run (`computeRepresentativeRuns`): the run nearest to the
/// median first-contentful-paint and the median time-to-interactive (each the value at index
/// ⌊n/2⌋ of the sorted runs; a missing value is 0), by squared distance; the first on a tie.
fn representative(runs: &[&Page], among: &[usize]) -> usize {
    let value = |i: usize, f: fn(&RunFacts) -> Option<f64>| runs[i].run.as_ref().and_then(f).unwrap_or(0.0);
    let median = |f: fn(&RunFacts) -> Option<f64>| {
        let mut v: Vec<f64> = among.iter().map(|&i| value(i, f)).collect();
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (fcp, tti) = (median(|r| r.fcp), median(|r| r.interactive));
    let distance = |i: usize| {
        let (a, b) = (fcp - value(i, |r| r.fcp), tti - value(i, |r| r.interactive));
        a * a + b * b
    };
    among.iter().copied().fold(among[0], |best, i| if distance(i) < distance(best) { i } else { best })
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
    /// Every run a Lighthouse CI manifest lists; its `pages` are the median run of each URL.
    #[serde(skip)]
    pub runs: Vec<Page>,
}

/// Violation counts by impact.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ByImpact {
    pub critical: u64,
    pub serious: u64,
    pub moderate: u64,
    pub minor: u64,
    /// Violations whose report gives no impact, or one axe does not define (the gate counts them
    /// as critical).
    #[serde(skip_serializing_if = "is_zero")]
    pub unknown: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl ByImpact {
    pub fn add(&mut self, impact: Option<Impact>, n: u64) {
        let slot = match impact {
            Some(Impact::Critical) => &mut self.critical,
            Some(Impact::Serious) => &mut self.serious,
            Some(Impact::Moderate) => &mut self.moderate,
            Some(Impact::Minor) => &mut self.minor,
            None => &mut self.unknown,
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

    fn runs(scores: &[Option<f64>]) -> Vec<Page> {
        scores.iter().map(|&score| Page { url: "http://x/".into(), score, ..Page::default() }).collect()
    }

    fn pick(pages: &[Page], how: Aggregation) -> (usize, Option<String>) {
        let refs: Vec<&Page> = pages.iter().collect();
        let p = pick_run(&refs, how);
        (p.index, p.how)
    }

    #[test]
    fn each_aggregation_picks_a_whole_run() {
        // A run that errored is judged whatever the aggregation: left out, the median of the
        // runs that loaded approved a page that failed to load in one run of four.
        let r = runs(&[Some(91.0), Some(100.0), None, Some(80.0)]);
        for how in [Aggregation::Median, Aggregation::Optimistic, Aggregation::Pessimistic, Aggregation::MedianRun] {
            assert_eq!(pick(&r, how), (2, Some("1 of 4 runs errored".into())), "{how:?}");
        }
        let r = runs(&[Some(91.0), Some(100.0), Some(80.0)]);
        assert_eq!(pick(&r, Aggregation::Median), (0, Some("median of 3 runs".into())));
        assert_eq!(pick(&r, Aggregation::Optimistic).0, 1);
        let clean = runs(&[Some(91.0), Some(100.0), Some(80.0), Some(85.0)]);
        assert_eq!(pick(&clean, Aggregation::Median).0, 3, "an even count: the lower of the two middle runs");
        assert_eq!(pick(&clean, Aggregation::Pessimistic), (2, Some("worst of 4 runs".into())));
        assert_eq!(pick(&runs(&[Some(50.0)]), Aggregation::Optimistic), (0, None));
        assert_eq!(pick(&runs(&[None, None]), Aggregation::Median), (0, Some("2 of 2 runs errored".into())));
        // An audit that errored in a run Lighthouse still scored (its weight is 0): that run
        // errored too, and is judged; it was left out, and the median approved.
        let mut r = runs(&[Some(68.0), Some(68.0), Some(68.0)]);
        r[2].error = Some("audit accesskeys could not run".into());
        for how in [Aggregation::Median, Aggregation::Optimistic, Aggregation::Pessimistic, Aggregation::MedianRun] {
            assert_eq!(pick(&r, how), (2, Some("1 of 3 runs errored".into())), "{how:?}");
        }
    }

    #[test]
    fn median_run_is_lhcis_representative_run() {
        let timed = |score: f64, fcp: f64, tti: f64, flag: Option<bool>| Page {
            url: "u".into(),
            score: Some(score),
            run: Some(RunFacts { fcp: Some(fcp), interactive: Some(tti), representative: flag, ..RunFacts::default() }),
            ..Page::default()
        };
        // Median FCP 700 and TTI 900 (the values at index ⌊3/2⌋): the third run is nearest.
        let r =
            vec![timed(100.0, 500.0, 900.0, None), timed(91.0, 900.0, 1000.0, None), timed(80.0, 700.0, 850.0, None)];
        assert_eq!(pick(&r, Aggregation::MedianRun), (2, Some("representative run of 3".into())));
        assert_eq!(pick(&r, Aggregation::Median).0, 1);
        // A manifest's flag wins over the timings.
        let mut flagged = r.clone();
        flagged[0].run.as_mut().unwrap().representative = Some(true);
        assert_eq!(pick(&flagged, Aggregation::MedianRun).0, 0);
        assert_eq!(Aggregation::parse("Median-Run"), Some(Aggregation::MedianRun));
        assert_eq!(Aggregation::parse("mean"), None);
    }

    #[test]
    fn levels_order_and_parse() {
        assert!(Level::A < Level::AA && Level::AA < Level::AAA);
        assert_eq!(Level::parse("aa"), Some(Level::AA));
        assert_eq!(Impact::parse("Serious"), Some(Impact::Serious));
        assert_eq!(Impact::parse("bad"), None);
    }
}
