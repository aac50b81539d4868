//! The policy: what the gate holds reports against.
//!
//! `temis.toml` at the repository root (or `--policy FILE`); without one, the embedded default
//! (`policies/default.toml`). The raw TOML is read into a validated [`Policy`] in one pass that
//! reports every problem at once with line and column ([`PolicyError`]); the gate only ever sees
//! the validated type. `[phase.N]` tables override the top-level thresholds for phase N.

pub mod glob;
mod read;
pub mod spec;

use std::collections::BTreeMap;
use std::fmt;

use crate::model::Severity;
use crate::model::a11y::{Aggregation, Impact, Level};
use crate::model::bench::Stat;
use crate::model::owasp::Edition;
pub use glob::Globs;

/// The embedded default policy, `policies/default.toml`.
pub const DEFAULT_POLICY: &str = include_str!("../../policies/default.toml");

/// The embedded default policy's name, as [`Policy::source`] gives it.
pub const EMBEDDED: &str = "embedded default policy";

/// A validated policy.
#[derive(Clone, Debug, Default)]
pub struct Policy {
    /// Where it came from: a path, or `embedded default`.
    pub source: String,
    pub coverage: CoveragePolicy,
    pub tests: TestsPolicy,
    pub a11y: A11yPolicy,
    pub performance: PerformancePolicy,
    pub security: SecurityPolicy,
    pub reports: ReportPaths,
    pub waivers: Vec<Waiver>,
    pub phases: BTreeMap<u32, PhaseOverride>,
    /// The phase whose overrides were applied, if any.
    pub phase: Option<u32>,
    pub commits: CommitsPolicy,
    pub secrets: SecretsPolicy,
}

#[derive(Clone, Debug)]
pub struct CoveragePolicy {
    pub required: bool,
    pub min_line: Option<f64>,
    pub min_branch: Option<f64>,
    pub max_uncovered_lines: Option<u64>,
    pub paths: Vec<PathRule>,
    /// Minimum patch coverage (added lines), percent.
    pub min_patch: Option<f64>,
    /// Changes with fewer coverable added lines only warn below `min_patch`.
    pub patch_small_change: Option<u64>,
    /// Most the line coverage may drop below the base's recorded figure, in points.
    pub max_drop: Option<f64>,
    /// `min_line` is the embedded default's, the policy file's `[coverage]` leaving it out: the
    /// failing row says where its figure came from.
    pub min_line_default: bool,
}

impl CoveragePolicy {
    /// Whether anything holds the coverage reports to a figure (the project's, a path's, the
    /// patch's or the ratchet's). Without one, the reports are read and not judged.
    pub fn sets_threshold(&self) -> bool {
        self.min_line.is_some()
            || self.min_branch.is_some()
            || self.max_uncovered_lines.is_some()
            || !self.paths.is_empty()
            || self.min_patch.is_some()
            || self.max_drop.is_some()
    }
}

impl Default for CoveragePolicy {
    fn default() -> Self {
        Self {
            required: true,
            min_line: None,
            min_branch: None,
            max_uncovered_lines: None,
            paths: Vec::new(),
            min_patch: None,
            patch_small_change: None,
            max_drop: None,
            min_line_default: false,
        }
    }
}

/// `[commits]`: the commit-msg hook's rules (commitlint's config-conventional by default).
#[derive(Clone, Debug)]
pub struct CommitsPolicy {
    pub enabled: bool,
    pub types: Vec<String>,
    pub scopes: Vec<String>,
    pub require_scope: bool,
    pub header_max_length: u64,
    pub body_max_line_length: u64,
    pub footer_max_line_length: u64,
    pub default_ignores: bool,
    pub ignores: Vec<String>,
    pub warnings_block: bool,
}

/// The commit types config-conventional accepts: `[commits] types` by default.
pub const DEFAULT_COMMIT_TYPES: &[&str] =
    &["build", "chore", "ci", "docs", "feat", "fix", "perf", "refactor", "revert", "style", "test"];

impl Default for CommitsPolicy {
    fn default() -> Self {
        Self {
            enabled: true,
            types: DEFAULT_COMMIT_TYPES.iter().map(|s| s.to_string()).collect(),
            scopes: Vec::new(),
            require_scope: false,
            header_max_length: 100,
            body_max_line_length: 100,
            footer_max_line_length: 100,
            default_ignores: true,
            ignores: Vec::new(),
            warnings_block: false,
        }
    }
}

/// `[secrets]`: the pre-commit hook's scan of the staged change.
#[derive(Clone, Debug)]
pub struct SecretsPolicy {
    pub enabled: bool,
    pub entropy: bool,
    pub allow: Vec<String>,
    pub allow_paths: Vec<String>,
}

impl Default for SecretsPolicy {
    fn default() -> Self {
        Self { enabled: true, entropy: true, allow: Vec::new(), allow_paths: Vec::new() }
    }
}

#[derive(Clone, Debug)]
pub struct PathRule {
    pub glob: String,
    pub matcher: Globs,
    pub min_line: Option<f64>,
    pub min_branch: Option<f64>,
    pub max_uncovered_lines: Option<u64>,
}

#[derive(Clone, Debug)]
pub struct TestsPolicy {
    pub required: bool,
    pub all_passing: bool,
    pub min_count: Option<u64>,
    pub allow_flaky: bool,
}

impl Default for TestsPolicy {
    fn default() -> Self {
        Self { required: true, all_passing: true, min_count: None, allow_flaky: true }
    }
}

#[derive(Clone, Debug, Default)]
pub struct ReportPaths {
    pub coverage: Vec<String>,
    pub tests: Vec<String>,
    pub a11y: Vec<String>,
    pub performance: Vec<String>,
    pub security: Vec<String>,
    /// What a coverage report older than a file it measures does.
    pub stale: Stale,
}

/// `[reports] stale`: what a coverage report does when a file it measures changed after it was
/// written (the tests ran on other code).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Stale {
    /// A warning (the default).
    #[default]
    Warn,
    /// The check fails: the gate blocks.
    Block,
    /// Not checked.
    Off,
}

/// Caps on violation counts: the total, and by axe impact.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImpactCaps {
    pub total: Option<u64>,
    pub critical: Option<u64>,
    pub serious: Option<u64>,
    pub moderate: Option<u64>,
    pub minor: Option<u64>,
}

impl ImpactCaps {
    pub fn get(&self, impact: Impact) -> Option<u64> {
        match impact {
            Impact::Critical => self.critical,
            Impact::Serious => self.serious,
            Impact::Moderate => self.moderate,
            Impact::Minor => self.minor,
        }
    }
}

#[derive(Clone, Debug)]
pub struct A11yPolicy {
    pub enabled: bool,
    pub required: bool,
    pub min_score: Option<f64>,
    pub wcag: Option<Level>,
    pub max_violations: Option<ImpactCaps>,
    pub count_needs_review: bool,
    pub pages: Vec<A11yPageRule>,
    /// How several Lighthouse runs of one URL are folded into the run judged.
    pub aggregation: Aggregation,
}

impl Default for A11yPolicy {
    fn default() -> Self {
        Self {
            enabled: true,
            required: false,
            min_score: None,
            wcag: None,
            max_violations: None,
            count_needs_review: false,
            pages: Vec::new(),
            aggregation: Aggregation::Median,
        }
    }
}

/// `[a11y] pages = [{ glob = …, … }]`: settings for the pages whose URL matches.
#[derive(Clone, Debug)]
pub struct A11yPageRule {
    pub glob: String,
    pub matcher: Globs,
    pub min_score: Option<f64>,
    pub wcag: Option<Level>,
    pub max_violations: Option<ImpactCaps>,
    pub count_needs_review: Option<bool>,
}

impl A11yPageRule {
    /// Whether the rule holds its pages to a figure (a score, a WCAG level or caps).
    pub fn sets_threshold(&self) -> bool {
        self.min_score.is_some() || self.wcag.is_some() || self.max_violations.is_some()
    }
}

/// The settings that apply to one page: the section's, with the first matching page rule over them.
#[derive(Clone, Debug, PartialEq)]
pub struct A11yPageSettings {
    pub min_score: Option<f64>,
    pub wcag: Option<Level>,
    pub max_violations: Option<ImpactCaps>,
    pub count_needs_review: bool,
    /// The glob of the page rule that applied.
    pub rule: Option<String>,
}

impl A11yPolicy {
    /// Whether the gate blocks without an accessibility report (`a11y-missing`): only while the
    /// checks are on. The one statement of this rule, for the gate and for `[reports]` paths.
    pub fn requires_report(&self) -> bool {
        self.enabled && self.required
    }

    /// Whether anything holds the reports to a figure: a score, a WCAG level or caps, for all
    /// pages or some. Without one, nothing is judged.
    pub fn sets_threshold(&self) -> bool {
        self.min_score.is_some()
            || self.wcag.is_some()
            || self.max_violations.is_some()
            || self.pages.iter().any(A11yPageRule::sets_threshold)
    }

    pub fn for_page(&self, url: &str) -> A11yPageSettings {
        let mut s = A11yPageSettings {
            min_score: self.min_score,
            wcag: self.wcag,
            max_violations: self.max_violations,
            count_needs_review: self.count_needs_review,
            rule: None,
        };
        if let Some(r) = self.pages.iter().find(|r| r.matcher.is_match(url)) {
            s.min_score = r.min_score.or(s.min_score);
            s.wcag = r.wcag.or(s.wcag);
            s.max_violations = r.max_violations.or(s.max_violations);
            s.count_needs_review = r.count_needs_review.unwrap_or(s.count_needs_review);
            s.rule = Some(r.glob.clone());
        }
        s
    }
}

#[derive(Clone, Debug)]
pub struct PerformancePolicy {
    pub enabled: bool,
    pub required: bool,
    /// Whether the policy wrote `required` (else budgets and `max_regression` imply it).
    pub required_said: bool,
    pub budgets: Vec<Budget>,
    /// A benchmark report of the base, relative to the repository root.
    pub baseline: Option<String>,
    pub max_regression: Option<f64>,
    pub regression_stat: Stat,
}

impl Default for PerformancePolicy {
    fn default() -> Self {
        Self {
            enabled: true,
            required: false,
            required_said: false,
            budgets: Vec::new(),
            baseline: None,
            max_regression: None,
            regression_stat: Stat::Mean,
        }
    }
}

/// A limit on one statistic of the benchmarks a glob names.
#[derive(Clone, Debug)]
pub struct Budget {
    pub name: String,
    pub matcher: Globs,
    pub stat: Stat,
    /// Nanoseconds.
    pub max: Option<f64>,
    /// As written in the policy (`10ms`), for messages.
    pub max_text: Option<String>,
    /// The limit itself is over budget: a plan's `Budget: NAME < 10 ms` (the policy's `max` and a
    /// plan's `<=` allow it).
    pub strict: bool,
    pub max_regression: Option<f64>,
}

impl PerformancePolicy {
    /// Whether the gate blocks without a benchmark report (`performance-missing`): only while
    /// the checks are on. The one statement of this rule, for the gate and for `[reports]` paths.
    pub fn requires_report(&self) -> bool {
        self.enabled && self.required
    }
}

impl Budget {
    /// Whether the budget names benchmark `name`: as a glob — or, when `exact` (a benchmark of the
    /// run bears the budget's name as written), only that benchmark. pytest's parametrized names
    /// (`test_parse[small]`) are globs with a class of characters: as a glob, that budget judged
    /// `test_parsel` and never `test_parse[small]`.
    pub fn names(&self, name: &str, exact: bool) -> bool {
        if exact { name == self.name } else { self.matcher.is_match(name) }
    }

    /// A budget a plan's phase declares (`Budget: verify_token p95 < 10 ms`).
    pub fn from_plan(b: &crate::plan::PlanBudget) -> Result<Budget, glob::GlobError> {
        Ok(Budget {
            name: b.name.clone(),
            matcher: Globs::one(&b.name)?,
            stat: b.stat,
            max: Some(b.max),
            max_text: Some(b.max_text.clone()),
            strict: b.strict,
            max_regression: None,
        })
    }
}

/// `[security]`: limits per severity, OWASP categories that block, suppressions, new findings.
#[derive(Clone, Debug)]
pub struct SecurityPolicy {
    /// A security report must be found (default false: scans are judged where they exist).
    pub required: bool,
    /// Most findings allowed per severity; severities not listed are not limited. A `max` table
    /// sets the severities it names, the others keep their limits (critical 0, high 0 by
    /// default; the top level's in a phase).
    pub max: BTreeMap<Severity, u64>,
    /// What a finding of unknown severity (pip-audit, gitleaks…) counts as.
    pub unknown_as: Severity,
    /// The Top 10 edition CWE ids are mapped with.
    pub owasp: Edition,
    /// Categories (1 to 10) in which a finding at or above `owasp_min_severity` blocks.
    pub owasp_block: Vec<u8>,
    pub owasp_min_severity: Severity,
    /// In-source and SARIF suppressions are honoured (they are counted and listed either way).
    pub honor_suppressions: bool,
    /// An incomplete scan (failed run, dependencies not audited) only warns instead of failing.
    pub allow_incomplete: bool,
    /// Only findings absent from the baseline of the base commit are judged.
    pub new_only: bool,
    /// Where the baseline lives, relative to the repository root.
    pub baseline: String,
}

/// The baseline path when the policy names none.
pub const DEFAULT_BASELINE: &str = ".temis/security-baseline.json";

impl Default for SecurityPolicy {
    fn default() -> Self {
        Self {
            required: false,
            max: BTreeMap::from([(Severity::Critical, 0), (Severity::High, 0)]),
            unknown_as: Severity::High,
            owasp: Edition::Y2021,
            owasp_block: Vec::new(),
            owasp_min_severity: Severity::Medium,
            honor_suppressions: true,
            allow_incomplete: false,
            new_only: false,
            baseline: DEFAULT_BASELINE.to_string(),
        }
    }
}

/// An accepted exception.
#[derive(Clone, Debug)]
pub struct Waiver {
    pub check: Option<String>,
    pub rule: Option<String>,
    pub rule_matcher: Option<Globs>,
    /// An advisory id (CVE, GHSA, RUSTSEC…; glob allowed): security findings only.
    pub id: Option<String>,
    pub id_matcher: Option<Globs>,
    /// A finding's fingerprint, exactly: security findings only.
    pub fingerprint: Option<String>,
    pub paths: Vec<String>,
    pub paths_matcher: Option<Globs>,
    /// Accessibility pages (URL globs, `*` crossing `/`): with `rule`, one rule's violations
    /// on those pages.
    pub pages: Vec<String>,
    pub pages_matcher: Option<Globs>,
    pub reason: String,
    pub expires: Option<Date>,
    /// Line of the policy file where it is declared.
    pub line: u64,
}

impl Waiver {
    /// Whether this waiver covers a failure of `code`, about `rule`, at `path`.
    pub fn matches(&self, code: &str, rule: Option<&str>, path: Option<&str>) -> bool {
        if self.id.is_some() || self.fingerprint.is_some() {
            return false;
        }
        // Paths alone (no check, no rule, no pages) is a security finding's waiver, as the
        // findings' fix teaches (`paths = ["tests/**"]` for bandit's asserts): it excused every
        // failing test under tests/ too, and a coverage minimum missed in those paths.
        if self.check.is_none() && self.rule.is_none() && self.pages.is_empty() && !code.starts_with("security-") {
            return false;
        }
        // `pages` limits a waiver to accessibility pages: on a whole accessibility check, the
        // page is what follows " of " in its title (`rule`).
        if let Some(set) = self.pages_matcher.as_ref().filter(|_| !self.pages.is_empty())
            && (!code.starts_with("a11y-") || !rule.is_some_and(|page| set.is_match(page)))
        {
            return false;
        }
        if self.check.as_deref().is_some_and(|c| c != code) {
            return false;
        }
        if let Some(m) = &self.rule_matcher
            && !rule.is_some_and(|r| m.is_match(r))
        {
            return false;
        }
        if let Some(set) = &self.paths_matcher
            && !self.paths.is_empty()
            && !path.is_some_and(|p| set.is_match(p))
        {
            return false;
        }
        true
    }

    /// Whether this waiver covers a security finding judged under `code`: its rule (or advisory
    /// id), advisory id, fingerprint and path must all match what the waiver names.
    pub fn matches_finding(&self, code: &str, f: &crate::model::Finding) -> bool {
        if self.check.as_deref().is_some_and(|c| c != code) || !self.pages.is_empty() {
            return false;
        }
        let ids = || f.rules().chain(f.ids.iter().map(String::as_str));
        // A finding of several advisories (npm 7+'s package) is excused only by a waiver that
        // names each of them: one naming its low advisory does not excuse its critical one.
        let names = |m: &Globs| {
            if f.also.is_empty() { ids().any(|r| m.is_match(r)) } else { f.rules().all(|r| m.is_match(r)) }
        };
        if let Some(m) = &self.rule_matcher
            && !names(m)
        {
            return false;
        }
        if let Some(m) = &self.id_matcher
            && !names(m)
        {
            return false;
        }
        if self.fingerprint.as_deref().is_some_and(|fp| fp != f.fingerprint) {
            return false;
        }
        if let Some(set) = &self.paths_matcher
            && !self.paths.is_empty()
            && !f.path.as_deref().is_some_and(|p| set.is_match(p))
        {
            return false;
        }
        true
    }

    /// Whether this waiver excuses one accessibility violation judged under `code`: it names the
    /// violation's rule (an axe rule id, a Lighthouse audit, a pa11y code; glob allowed) and, if
    /// it gives `pages`, the page's URL matches one of them.
    pub fn matches_violation(&self, code: &str, rule: &str, page: &str) -> bool {
        if self.id.is_some() || self.fingerprint.is_some() || !self.paths.is_empty() {
            return false;
        }
        if self.check.as_deref().is_some_and(|c| c != code) {
            return false;
        }
        if !self.rule_matcher.as_ref().is_some_and(|m| m.is_match(rule)) {
            return false;
        }
        match &self.pages_matcher {
            Some(set) if !self.pages.is_empty() => set.is_match(page),
            _ => true,
        }
    }

    /// `check rule paths`, for messages.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(c) = &self.check {
            parts.push(format!("check={c}"));
        }
        if let Some(r) = &self.rule {
            parts.push(format!("rule={r}"));
        }
        if let Some(i) = &self.id {
            parts.push(format!("id={i}"));
        }
        if let Some(fp) = &self.fingerprint {
            parts.push(format!("fingerprint={fp}"));
        }
        if !self.paths.is_empty() {
            parts.push(format!("paths={}", self.paths.join(",")));
        }
        if !self.pages.is_empty() {
            parts.push(format!("pages={}", self.pages.join(",")));
        }
        parts.join(" ")
    }
}

/// `[phase.N]` overrides: whole sections, already merged over the top-level ones.
#[derive(Clone, Debug, Default)]
pub struct PhaseOverride {
    pub coverage: Option<CoveragePolicy>,
    pub tests: Option<TestsPolicy>,
    pub a11y: Option<A11yPolicy>,
    pub performance: Option<PerformancePolicy>,
    pub security: Option<SecurityPolicy>,
}

/// A calendar date (waiver expiry, today).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub fn new(year: u16, month: u8, day: u8) -> Self {
        Self { year, month, day }
    }

    /// `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Date> {
        let mut it = s.trim().splitn(3, '-');
        let y: u16 = it.next()?.parse().ok()?;
        let m: u8 = it.next()?.parse().ok()?;
        let d: u8 = it.next()?.parse().ok()?;
        let date = Date::new(y, m, d);
        ((1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)).then_some(date)
    }

    /// Days since 1970-01-01.
    pub fn days(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let (y, m, d) = (i64::from(self.year), i64::from(self.month), i64::from(self.day));
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        Date::new(y as u16, m as u8, d as u8)
    }
}

fn days_in_month(y: u16, m: u8) -> u8 {
    match m {
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// One mistake in a policy file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub line: u64,
    pub column: u64,
    pub message: String,
}

/// Every mistake in a policy file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct PolicyError {
    pub file: String,
    pub problems: Vec<Problem>,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        write!(f, "{}: invalid policy ({n} problem{}):", self.file, if n == 1 { "" } else { "s" })?;
        for p in &self.problems {
            write!(f, "\n  {}:{}:{}: {}", self.file, p.line, p.column, p.message)?;
        }
        Ok(())
    }
}

impl Policy {
    /// Reads and validates policy text; `name` is how errors name the file. A `[coverage]` or
    /// `[tests]` table the text leaves out is the embedded default's: a `temis.toml` that only
    /// says where the reports are keeps line coverage ≥ 80 % and at least one test, and so does a
    /// key such a table leaves out (`min_line = 0` says no minimum). `[a11y]` and `[performance]` left out
    /// hold nothing (the default's accessibility score would block a project that never asked).
    pub fn parse(name: &str, text: &str) -> Result<Policy, PolicyError> {
        Self::parse_over(name, text, &Self::embedded_default())
    }

    fn parse_over(name: &str, text: &str, base: &Policy) -> Result<Policy, PolicyError> {
        let mut reader = read::Reader::new(text);
        let mut policy = reader.read(base);
        if !reader.problems.is_empty() {
            let mut problems = reader.problems;
            problems.sort_by_key(|p| (p.line, p.column));
            problems.dedup();
            return Err(PolicyError { file: name.to_string(), problems });
        }
        policy.source = name.to_string();
        Ok(policy)
    }

    /// The embedded default.
    pub fn embedded_default() -> Policy {
        Policy::parse_over(EMBEDDED, DEFAULT_POLICY, &Policy::default()).expect("policies/default.toml is valid")
    }

    /// This policy with `[phase.N]` applied. A phase with no overrides uses the top level.
    pub fn for_phase(mut self, phase: Option<u32>) -> Policy {
        self.phase = phase;
        if let Some(o) = phase.and_then(|n| self.phases.get(&n)).cloned() {
            if let Some(c) = o.coverage {
                self.coverage = c;
            }
            if let Some(t) = o.tests {
                self.tests = t;
            }
            if let Some(a) = o.a11y {
                self.a11y = a;
            }
            if let Some(p) = o.performance {
                self.performance = p;
            }
            if let Some(s) = o.security {
                self.security = s;
            }
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_default_validates() {
        let p = Policy::embedded_default();
        assert_eq!(p.coverage.min_line, Some(80.0));
        assert!(p.tests.all_passing);
    }

    /// A `temis.toml` that left `[coverage]` out had no line threshold, and approved 0 %.
    #[test]
    fn a_table_or_key_left_out_is_the_defaults() {
        let p =
            Policy::parse("temis.toml", "[reports]\ncoverage = [\"lcov.info\"]\n").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.coverage.min_line, Some(80.0));
        assert_eq!(p.tests.min_count, Some(1));
        assert_eq!(p.a11y.min_score, None, "accessibility is held to what the file says");
        assert_eq!(p.reports.coverage, ["lcov.info"]);
        // A key the table leaves out keeps the default's: `min_branch` alone held line coverage
        // to nothing, `max_drop` alone (without a base) judged no coverage at all.
        let p = Policy::parse("temis.toml", "[coverage]\nmin_branch = 70\n").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((p.coverage.min_line, p.coverage.min_branch), (Some(80.0), Some(70.0)));
        assert_eq!(p.tests.min_count, Some(1));
        let p = Policy::parse("temis.toml", "[coverage]\nmin_line = 0\n[tests]\nallow_flaky = false\n").unwrap();
        assert_eq!((p.coverage.min_line, p.tests.min_count, p.tests.all_passing), (Some(0.0), Some(1), true));
    }

    #[test]
    fn the_strict_example_validates() {
        let text = include_str!("../../policies/strict.toml");
        let p = Policy::parse("strict.toml", text).unwrap_or_else(|e| panic!("{e}"));
        assert!(p.coverage.min_branch.is_some());
    }

    #[test]
    fn a_waiver_is_placed_at_its_first_line_not_its_alphabetically_first_key() {
        let text = "[coverage]\nmin_line = 80\n\n[[waivers]]\nrule = \"test_flaky\"\ncheck = \"tests-failing\"\nreason = \"upstream bug 12\"\n";
        let p = Policy::parse("temis.toml", text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.waivers[0].line, 5, "the `rule` line, right under [[waivers]]");
    }

    /// The baseline is a file temis writes: a policy a cloned repository holds may not point it
    /// at `~/.bashrc` or out of the repository.
    #[test]
    fn the_security_baseline_stays_inside_the_repository() {
        for bad in ["/home/u/.bashrc", "../../.bashrc", "a/../../b.json", "C:/x.json"] {
            let text = format!("[security]\nbaseline = {bad:?}\n");
            let e = Policy::parse("temis.toml", &text).unwrap_err();
            assert!(e.problems[0].message.contains("inside the repository"), "{bad}: {e}");
        }
        let p = Policy::parse("temis.toml", "[security]\nbaseline = \"sec/base.json\"\n").unwrap();
        assert_eq!(p.security.baseline, "sec/base.json");
    }

    #[test]
    fn every_problem_is_reported_with_line_and_column() {
        let text = "[coverage]\nmin_lne = 80\nmin_branch = 140\n\n[tests]\nall_passing = \"yes\"\n";
        let e = Policy::parse("temis.toml", text).unwrap_err();
        let shown: Vec<_> = e.problems.iter().map(|p| (p.line, p.column, p.message.as_str())).collect();
        assert_eq!(
            shown,
            vec![
                (2, 1, "unknown key `coverage.min_lne`; did you mean `min_line`?"),
                (3, 14, "`min_branch` is a percentage from 0 to 100, not 140"),
                (6, 15, "`all_passing` must be true or false, not a string"),
            ]
        );
    }

    #[test]
    fn phases_override_whole_sections_over_the_top_level() {
        let text = "[coverage]\nmin_line = 80\nmin_branch = 60\n[phase.3]\ncoverage = { min_line = 95 }\n";
        let p = Policy::parse("t", text).unwrap();
        let p3 = p.clone().for_phase(Some(3));
        assert_eq!(p3.coverage.min_line, Some(95.0));
        assert_eq!(p3.coverage.min_branch, Some(60.0), "unset keys keep the top-level value");
        assert_eq!(p.for_phase(Some(2)).coverage.min_line, Some(80.0));
        let e = Policy::parse("t", "[phase.zero]\n").unwrap_err();
        assert!(e.problems[0].message.contains("phase numbers"), "{e}");
    }

    /// `max = { high = 5 }` dropped the default `critical = 0` (and a phase's `max` the top
    /// level's limits): a critical finding approved.
    #[test]
    fn a_severity_max_leaves_out_keeps_its_limit() {
        use crate::model::Severity::{Critical, High, Medium};
        let p = Policy::parse("t", "[security]\nmax = { high = 5 }\n").unwrap();
        assert_eq!(p.security.max, BTreeMap::from([(Critical, 0), (High, 5)]));
        let text = "[security]\nmax = { critical = 0, high = 1 }\n[phase.3]\nsecurity = { max = { medium = 3 } }\n";
        let p3 = Policy::parse("t", text).unwrap().for_phase(Some(3));
        assert_eq!(p3.security.max, BTreeMap::from([(Critical, 0), (High, 1), (Medium, 3)]));
    }

    #[test]
    fn waivers_need_a_reason_and_a_valid_date() {
        let text = "[[waivers]]\ncheck = \"tests-failing\"\nexpires = 2027-02-30\n";
        let e = Policy::parse("t", text).unwrap_err().to_string();
        assert!(e.contains("needs `reason`"), "{e}");
        assert!(e.contains("must be a date"), "{e}");
    }

    #[test]
    fn the_aggregation_is_one_of_lhcis_methods_median_by_default() {
        assert_eq!(Policy::embedded_default().a11y.aggregation, Aggregation::Median);
        let p = Policy::parse(
            "t",
            "[a11y]\naggregation = \"pessimistic\"\n[phase.2]\na11y = { aggregation = \"median-run\" }\n",
        )
        .unwrap();
        assert_eq!(p.a11y.aggregation, Aggregation::Pessimistic);
        assert_eq!(p.for_phase(Some(2)).a11y.aggregation, Aggregation::MedianRun);
        let e = Policy::parse("t", "[a11y]\naggregation = \"mean\"\n").unwrap_err();
        assert_eq!(
            e.problems[0].message,
            "`aggregation` is one of median, optimistic, pessimistic, median-run, not \"mean\""
        );
    }

    #[test]
    fn an_accessibility_waiver_names_a_rule_and_pages() {
        let text = "[[waivers]]\nrule = \"color-contrast\"\npages = [\"*/legacy/*\"]\nreason = \"r\"\n";
        let w = &Policy::parse("t", text).unwrap().waivers[0];
        assert!(w.matches_violation("a11y-violations-at-level", "color-contrast", "http://x/legacy/a/b"));
        assert!(!w.matches_violation("a11y-violations-at-level", "color-contrast", "http://x/new"));
        assert!(!w.matches_violation("a11y-violations-at-level", "label", "http://x/legacy/a"));
        assert!(!w.matches("tests-failing", Some("color-contrast"), None), "pages limit it to accessibility");
        assert_eq!(w.describe(), "rule=color-contrast pages=*/legacy/*");
        let page_only =
            "[[waivers]]\ncheck = \"a11y-score-below-threshold\"\npages = [\"*/legacy/*\"]\nreason = \"r\"\n";
        let w = &Policy::parse("t", page_only).unwrap().waivers[0];
        assert!(w.matches("a11y-score-below-threshold", Some("http://x/legacy/a"), None));
        assert!(!w.matches("a11y-score-below-threshold", Some("http://x/new"), None));
        assert!(!w.matches_violation("a11y-score-below-threshold", "label", "http://x/legacy/a"), "no rule named");
        let both = "[[waivers]]\nrule = \"label\"\npages = [\"*\"]\npaths = [\"src/**\"]\nreason = \"r\"\n";
        let e = Policy::parse("t", both).unwrap_err().to_string();
        assert!(e.contains("gives both `paths`"), "{e}");
    }

    #[test]
    fn dates_round_trip() {
        for d in [Date::new(1970, 1, 1), Date::new(2026, 11, 24), Date::new(2000, 2, 29)] {
            assert_eq!(Date::from_days(d.days()), d);
        }
        assert_eq!(Date::new(2026, 12, 8).days() - Date::new(2026, 11, 24).days(), 14);
    }

    #[test]
    fn invalid_toml_is_placed() {
        let e = Policy::parse("t", "[coverage\nmin_line = 80\n").unwrap_err();
        assert_eq!(e.problems[0].line, 1);
        assert!(e.problems[0].message.starts_with("invalid TOML"), "{e}");
    }

    /// A budget's `max` says its unit: `max = "10"` was read as 10 ms while the error for a bad
    /// `max` asked for a unit, and a bare number was milliseconds (Go's `9944331 ns/op` copied
    /// in as `max = 1000000` made a budget of 1000 s, approved). `max_ms` takes a number. Budgets
    /// also make a benchmark report required, unless `required = false` says otherwise.
    #[test]
    fn a_budget_string_says_its_unit_and_budgets_require_a_report() {
        let budget =
            |max: &str| Policy::parse("t", &format!("[performance]\nbudgets = [{{ name = \"x\", max = {max} }}]\n"));
        let e = budget("\"10\"").unwrap_err().to_string();
        assert!(e.contains("a duration with its unit"), "{e}");
        assert_eq!(budget("\"10ms\"").unwrap().performance.budgets[0].max, Some(10e6));
        for bare in ["10", "1000000", "2.5"] {
            let e = budget(bare).unwrap_err().to_string();
            assert!(e.contains(&format!("`max = {bare}` has none")) && e.contains("max_ms"), "{e}");
        }
        let ms = Policy::parse("t", "[performance]\nbudgets = [{ name = \"x\", max_ms = 10 }]\n").unwrap();
        assert_eq!(ms.performance.budgets[0].max, Some(10e6));
        assert!(budget("\"1.5 s\"").unwrap().performance.required);
        let p = Policy::parse("t", "[performance]\nrequired = false\nmax_regression = 5\n").unwrap();
        assert!(!p.performance.required);
        assert!(Policy::parse("t", "[performance]\nmax_regression = 5\n").unwrap().performance.required);
        assert!(!Policy::parse("t", "[performance]\nbaseline = \"b.json\"\n").unwrap().performance.required);
        assert!(!Policy::parse("t", "[performance]\nbudgets = []\n").unwrap().performance.required);
        // `required = false` in `[performance]` holds for a phase that adds budgets.
        let phased =
            "[performance]\nrequired = false\n[phase.2.performance]\nbudgets = [{ name = \"x\", max = \"1s\" }]\n";
        let p = Policy::parse("t", phased).unwrap();
        assert!(!p.for_phase(Some(2)).performance.required);
    }
}
