//! Reading a policy file: every problem at once, each with its line and column.
//!
//! The TOML is parsed with spans and recovery; then each table is read against the spec in
//! [`super::spec`]: unknown keys are named with the closest known one, wrong types and
//! out-of-range values are reported where they stand, and reading goes on so that one run
//! shows every mistake.

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::glob::Globs;
use super::spec::{self, Field};
use super::{
    A11yPageRule, A11yPolicy, Budget, CoveragePolicy, Date, ImpactCaps, PathRule, PerformancePolicy, PhaseOverride,
    Policy, Problem, ReportPaths, SecurityPolicy, TestsPolicy, Waiver,
};
use super::{CommitsPolicy, SecretsPolicy};
use crate::model::Severity;
use crate::model::a11y::{Aggregation, Level};
use crate::model::bench::{Stat, parse_duration};
use crate::model::owasp::Edition;

type Table<'i> = DeTable<'i>;

pub(super) struct Reader<'a> {
    source: &'a str,
    pub problems: Vec<Problem>,
}

impl<'a> Reader<'a> {
    pub fn new(source: &'a str) -> Self {
        Self { source, problems: Vec::new() }
    }

    fn problem(&mut self, span: std::ops::Range<usize>, message: impl Into<String>) {
        let (line, column) = line_col(self.source, span.start);
        self.problems.push(Problem { line, column, message: message.into() });
    }

    /// Reads the policy; a `[coverage]` or `[tests]` table the text leaves out is `base`'s (the
    /// embedded default's, for a `temis.toml`), and a key such a table leaves out too: the checks
    /// the default requires keep their thresholds. Accessibility and performance, which the default judges only where reports
    /// exist, are held to nothing unless the file says so.
    pub fn read(&mut self, base: &Policy) -> Policy {
        let (doc, errors) = DeTable::parse_recoverable(self.source);
        for e in errors {
            let span = e.span().unwrap_or(0..0);
            let msg = e.message().trim().to_string();
            self.problem(span, format!("invalid TOML: {msg}"));
        }
        let root = doc.get_ref();
        self.check_keys(root, spec::ROOT, "");
        let mut inherited = base.coverage.clone();
        inherited.min_line_default = inherited.min_line.is_some();
        let mut policy = Policy { coverage: inherited.clone(), tests: base.tests.clone(), ..Policy::default() };
        // Key by key: a key the table leaves out keeps the default's (`[coverage] min_branch = 70`
        // alone held line coverage to nothing, and `max_drop` alone, without a base, judged no
        // coverage at all and approved); `min_line = 0` says no minimum.
        if let Some(t) = self.table(root, "coverage") {
            policy.coverage = self.coverage(t, "coverage", inherited);
        }
        if let Some(t) = self.table(root, "tests") {
            policy.tests = self.tests(t, "tests", base.tests.clone());
        }
        if let Some(t) = self.table(root, "security") {
            policy.security = self.security(t, "security", SecurityPolicy::default());
        }
        if let Some(t) = self.table(root, "reports") {
            self.check_keys(t, spec::REPORTS, "reports");
            policy.reports = ReportPaths {
                coverage: self.strings(t, "coverage").unwrap_or_default(),
                tests: self.strings(t, "tests").unwrap_or_default(),
                a11y: self.strings(t, "a11y").unwrap_or_default(),
                performance: self.strings(t, "performance").unwrap_or_default(),
                security: self.strings(t, "security").unwrap_or_default(),
                stale: self.stale(t, "stale").unwrap_or_default(),
            };
        }
        if let Some(t) = self.table(root, "a11y") {
            policy.a11y = self.a11y(t, "a11y", A11yPolicy::default());
        }
        if let Some(t) = self.table(root, "performance") {
            policy.performance = self.performance(t, "performance", PerformancePolicy::default());
        }
        for (i, t) in self.tables(root, "waivers").into_iter().enumerate() {
            if let Some(w) = self.waiver(t, i) {
                policy.waivers.push(w);
            }
        }
        if let Some(t) = self.table(root, "commits") {
            policy.commits = self.commits(t);
        }
        if let Some(t) = self.table(root, "secrets") {
            policy.secrets = self.secrets(t);
        }
        if let Some(v) = root.get("phase") {
            match v.get_ref() {
                DeValue::Table(phases) => {
                    for (key, value) in phases.iter() {
                        self.phase(key, value, &mut policy);
                    }
                }
                _ => self.problem(v.span(), "`phase` must be a table: [phase.1], [phase.2]…"),
            }
        }
        policy
    }

    fn phase(&mut self, key: &Spanned<std::borrow::Cow<'_, str>>, value: &Spanned<DeValue<'_>>, policy: &mut Policy) {
        let n = match key.get_ref().parse::<u32>() {
            Ok(n) if n > 0 => n,
            _ => {
                self.problem(key.span(), format!("phase keys are phase numbers (1, 2, 3…), not {:?}", key.get_ref()));
                return;
            }
        };
        let DeValue::Table(t) = value.get_ref() else {
            self.problem(value.span(), format!("`phase.{n}` must be a table"));
            return;
        };
        let path = format!("phase.{n}");
        self.check_keys(t, spec::PHASE, &path);
        let mut o = PhaseOverride::default();
        if let Some(c) = self.table(t, "coverage") {
            o.coverage = Some(self.coverage(c, &format!("{path}.coverage"), policy.coverage.clone()));
        }
        if let Some(c) = self.table(t, "tests") {
            o.tests = Some(self.tests(c, &format!("{path}.tests"), policy.tests.clone()));
        }
        if let Some(c) = self.table(t, "a11y") {
            o.a11y = Some(self.a11y(c, &format!("{path}.a11y"), policy.a11y.clone()));
        }
        if let Some(c) = self.table(t, "performance") {
            o.performance = Some(self.performance(c, &format!("{path}.performance"), policy.performance.clone()));
        }
        if let Some(c) = self.table(t, "security") {
            o.security = Some(self.security(c, &format!("{path}.security"), policy.security.clone()));
        }
        policy.phases.insert(n, o);
    }

    fn coverage(&mut self, t: &Table<'_>, path: &str, base: CoveragePolicy) -> CoveragePolicy {
        self.check_keys(t, spec::COVERAGE, path);
        let mut c = base;
        if let Some(v) = self.bool(t, "required") {
            c.required = v;
        }
        if let Some(v) = self.percent(t, "min_line") {
            c.min_line = Some(v);
            c.min_line_default = false;
        }
        if let Some(v) = self.percent(t, "min_branch") {
            c.min_branch = Some(v);
        }
        if let Some(v) = self.count(t, "max_uncovered_lines") {
            c.max_uncovered_lines = Some(v);
        }
        if let Some(v) = self.percent(t, "min_patch") {
            c.min_patch = Some(v);
        }
        if let Some(v) = self.count(t, "patch_small_change") {
            c.patch_small_change = Some(v);
        }
        if let Some(v) = self.percent(t, "max_drop") {
            c.max_drop = Some(v);
        }
        if t.contains_key("paths") {
            c.paths.clear();
            for (i, p) in self.tables(t, "paths").into_iter().enumerate() {
                let here = format!("{path}.paths[{i}]");
                self.check_keys(p, spec::PATH_RULE, &here);
                let Some(glob) = self.required_str(p, "glob", &here) else { continue };
                let Some(matcher) = self.glob(p, "glob", &glob) else { continue };
                c.paths.push(PathRule {
                    glob,
                    matcher,
                    min_line: self.percent(p, "min_line"),
                    min_branch: self.percent(p, "min_branch"),
                    max_uncovered_lines: self.count(p, "max_uncovered_lines"),
                });
            }
        }
        c
    }

    fn commits(&mut self, t: &Table<'_>) -> CommitsPolicy {
        self.check_keys(t, spec::COMMITS, "commits");
        let mut c = CommitsPolicy::default();
        if let Some(v) = self.bool(t, "enabled") {
            c.enabled = v;
        }
        if let Some(v) = self.strings(t, "types") {
            c.types = v;
        }
        if let Some(v) = self.strings(t, "scopes") {
            c.scopes = v;
        }
        if let Some(v) = self.bool(t, "require_scope") {
            c.require_scope = v;
        }
        for (key, slot) in [
            ("header_max_length", &mut c.header_max_length),
            ("body_max_line_length", &mut c.body_max_line_length),
            ("footer_max_line_length", &mut c.footer_max_line_length),
        ] {
            if let Some(v) = self.count(t, key) {
                *slot = v;
            }
        }
        if let Some(v) = self.bool(t, "default_ignores") {
            c.default_ignores = v;
        }
        if let Some(v) = self.globs(t, "ignores") {
            c.ignores = v;
        }
        if let Some(v) = self.bool(t, "warnings_block") {
            c.warnings_block = v;
        }
        c
    }

    fn secrets(&mut self, t: &Table<'_>) -> SecretsPolicy {
        self.check_keys(t, spec::SECRETS, "secrets");
        let mut s = SecretsPolicy::default();
        if let Some(v) = self.bool(t, "enabled") {
            s.enabled = v;
        }
        if let Some(v) = self.bool(t, "entropy") {
            s.entropy = v;
        }
        if let Some(v) = self.globs(t, "allow") {
            s.allow = v;
        }
        if let Some(v) = self.globs(t, "allow_paths") {
            s.allow_paths = v;
        }
        s
    }

    /// A list of strings that must each be a valid glob.
    fn globs(&mut self, t: &Table<'_>, key: &str) -> Option<Vec<String>> {
        let list = self.strings(t, key)?;
        for g in &list {
            if let Err(e) = Globs::one(g) {
                let span = t.get(key).map(Spanned::span).unwrap_or(0..0);
                self.problem(span, format!("{e} in `{key}`"));
            }
        }
        Some(list)
    }

    /// `pattern` (the value at `key` of `t`) compiled, or a problem placed at it.
    fn glob(&mut self, t: &Table<'_>, key: &str, pattern: &str) -> Option<Globs> {
        self.compiled(t, key, &[pattern])
    }

    /// `patterns` (the list at `key` of `t`) compiled as one set, or a problem placed at it.
    fn compiled<S: AsRef<str>>(&mut self, t: &Table<'_>, key: &str, patterns: &[S]) -> Option<Globs> {
        match Globs::new(patterns) {
            Ok(g) => Some(g),
            Err(e) => {
                let span = t.get(key).map(Spanned::span).unwrap_or(0..0);
                self.problem(span, e.to_string());
                None
            }
        }
    }

    fn tests(&mut self, t: &Table<'_>, path: &str, base: TestsPolicy) -> TestsPolicy {
        self.check_keys(t, spec::TESTS, path);
        let mut p = base;
        if let Some(v) = self.bool(t, "required") {
            p.required = v;
        }
        if let Some(v) = self.bool(t, "all_passing") {
            p.all_passing = v;
        }
        if let Some(v) = self.count(t, "min_count") {
            p.min_count = Some(v);
        }
        if let Some(v) = self.bool(t, "allow_flaky") {
            p.allow_flaky = v;
        }
        p
    }

    fn a11y(&mut self, t: &Table<'_>, path: &str, base: A11yPolicy) -> A11yPolicy {
        self.check_keys(t, spec::A11Y, path);
        let mut p = base;
        if let Some(v) = self.bool(t, "enabled") {
            p.enabled = v;
        }
        if let Some(v) = self.bool(t, "required") {
            p.required = v;
        }
        if let Some(v) = self.percent(t, "min_score") {
            p.min_score = Some(v);
        }
        if let Some(v) = self.level(t, "wcag") {
            p.wcag = Some(v);
        }
        if let Some(v) = self.caps(t, "max_violations", path) {
            p.max_violations = Some(v);
        }
        if let Some(v) = self.bool(t, "count_needs_review") {
            p.count_needs_review = v;
        }
        if let Some(v) = self.aggregation(t, "aggregation") {
            p.aggregation = v;
        }
        if t.contains_key("pages") {
            p.pages.clear();
            for (i, r) in self.tables(t, "pages").into_iter().enumerate() {
                let here = format!("{path}.pages[{i}]");
                self.check_keys(r, spec::A11Y_PAGE, &here);
                let Some(glob) = self.required_str(r, "glob", &here) else { continue };
                let Some(matcher) = self.glob(r, "glob", &glob) else { continue };
                p.pages.push(A11yPageRule {
                    glob,
                    matcher,
                    min_score: self.percent(r, "min_score"),
                    wcag: self.level(r, "wcag"),
                    max_violations: self.caps(r, "max_violations", &here),
                    count_needs_review: self.bool(r, "count_needs_review"),
                });
            }
        }
        p
    }

    fn aggregation(&mut self, t: &Table<'_>, key: &str) -> Option<Aggregation> {
        let s = self.str(t, key)?;
        let how = Aggregation::parse(&s);
        if how.is_none() {
            let span = t.get(key).map(Spanned::span).unwrap_or(0..0);
            self.problem(span, format!("`{key}` is one of {}, not {s:?}", spec::AGGREGATIONS.join(", ")));
        }
        how
    }

    fn stale(&mut self, t: &Table<'_>, key: &str) -> Option<super::Stale> {
        let s = self.str(t, key)?;
        let stale = match s.as_str() {
            "warn" => super::Stale::Warn,
            "block" => super::Stale::Block,
            "off" => super::Stale::Off,
            _ => {
                let span = t.get(key).map(Spanned::span).unwrap_or(0..0);
                self.problem(span, format!("`{key}` is \"warn\", \"block\" or \"off\", not {s:?}"));
                return None;
            }
        };
        Some(stale)
    }

    fn level(&mut self, t: &Table<'_>, key: &str) -> Option<Level> {
        let s = self.str(t, key)?;
        let level = Level::parse(&s);
        if level.is_none() {
            let span = t.get(key).map(Spanned::span).unwrap_or(0..0);
            self.problem(span, format!("`{key}` is a WCAG level: \"A\", \"AA\" or \"AAA\", not {s:?}"));
        }
        level
    }

    /// A cap on the total (a number), or a table of caps by impact.
    fn caps(&mut self, t: &Table<'_>, key: &str, path: &str) -> Option<ImpactCaps> {
        let v = t.get(key)?;
        match v.get_ref() {
            DeValue::Table(inner) => {
                self.check_keys(inner, spec::IMPACT_CAPS, &format!("{path}.{key}"));
                Some(ImpactCaps {
                    total: self.count(inner, "total"),
                    critical: self.count(inner, "critical"),
                    serious: self.count(inner, "serious"),
                    moderate: self.count(inner, "moderate"),
                    minor: self.count(inner, "minor"),
                })
            }
            DeValue::Integer(_) | DeValue::Float(_) => {
                self.count(t, key).map(|n| ImpactCaps { total: Some(n), ..ImpactCaps::default() })
            }
            other => {
                self.problem(
                    v.span(),
                    format!(
                        "`{key}` must be a number or a table like {{ critical = 0, serious = 0 }}, not {}",
                        kind(other)
                    ),
                );
                None
            }
        }
    }

    fn performance(&mut self, t: &Table<'_>, path: &str, base: PerformancePolicy) -> PerformancePolicy {
        self.check_keys(t, spec::PERFORMANCE, path);
        let mut p = base;
        if let Some(v) = self.bool(t, "enabled") {
            p.enabled = v;
        }
        if let Some(v) = self.bool(t, "required") {
            p.required = v;
            p.required_said = true;
        }
        if let Some(v) = self.str(t, "baseline") {
            p.baseline = Some(v);
        }
        if let Some(v) = self.percent(t, "max_regression") {
            p.max_regression = Some(v);
        }
        if let Some(v) = self.stat(t, "regression_stat") {
            p.regression_stat = v;
        }
        if t.contains_key("budgets") {
            p.budgets.clear();
            for (i, b) in self.tables(t, "budgets").into_iter().enumerate() {
                let here = format!("{path}.budgets[{i}]");
                self.check_keys(b, spec::BUDGET, &here);
                let Some(name) = self.required_str(b, "name", &here) else { continue };
                let Some(matcher) = self.glob(b, "name", &name) else { continue };
                let stat = self.stat(b, "stat").unwrap_or(Stat::Mean);
                let (mut max, mut max_text) = (None, None);
                if let Some(v) = b.get("max") {
                    // A duration says its unit: a bare number was read as milliseconds, and Go's
                    // `ns/op` figure copied in made a budget a million times looser than meant.
                    let text = match v.get_ref() {
                        DeValue::String(s) => Some(s.to_string()),
                        _ => None,
                    };
                    match text.as_deref().and_then(parse_duration) {
                        Some(ns) => {
                            max = Some(ns);
                            max_text = text.map(|t| t.trim().to_string());
                        }
                        None => {
                            let bare = match v.get_ref() {
                                DeValue::Integer(i) => Some(i.as_str().to_string()),
                                DeValue::Float(x) => Some(x.as_str().to_string()),
                                DeValue::String(s) => Some(s.trim().to_string()),
                                _ => None,
                            };
                            let example = bare.map_or(String::new(), |n| {
                                format!(
                                    " — `max = {n}` has none: write \"{n}ns\" or \"{n}ms\" (whichever you meant), or `max_ms = {n}`"
                                )
                            });
                            self.problem(
                                v.span(),
                                format!(
                                    "`max` is a duration with its unit: \"10ms\", \"1.5s\", \"250us\", \"800ns\"{example}"
                                ),
                            );
                        }
                    }
                }
                if let Some(ms) = self.nonnegative(b, "max_ms") {
                    if max.is_some() {
                        let span = b.get("max_ms").map(Spanned::span).unwrap_or(0..0);
                        self.problem(span, format!("`{here}` has both `max` and `max_ms`: keep one"));
                    }
                    max = Some(ms * 1e6);
                    max_text = Some(format!("{ms}ms"));
                }
                let max_regression = self.percent(b, "max_regression");
                if max.is_none() && max_regression.is_none() && !b.contains_key("max") {
                    let span = b.values().next().map_or(0..0, Spanned::span);
                    self.problem(span, format!("`{here}` sets no limit: give `max`, `max_ms` or `max_regression`"));
                }
                p.budgets.push(Budget { name, matcher, stat, max, max_text, strict: false, max_regression });
            }
        }
        // Budgets or a regression bound hold benchmarks to a figure: without a report they
        // measured nothing, so they require one unless `required = false` said otherwise, here or
        // in the section this one overrides.
        if !p.required_said && (!p.budgets.is_empty() || p.max_regression.is_some()) {
            p.required = true;
        }
        p
    }

    fn stat(&mut self, t: &Table<'_>, key: &str) -> Option<Stat> {
        let s = self.str(t, key)?;
        let stat = Stat::parse(&s);
        if stat.is_none() {
            let span = t.get(key).map(Spanned::span).unwrap_or(0..0);
            self.problem(span, format!("`{key}` is one of {}, not {s:?}", spec::STATS.join(", ")));
        }
        stat
    }

    fn nonnegative(&mut self, t: &Table<'_>, key: &str) -> Option<f64> {
        let (n, span) = self.number(t, key)?;
        if n < 0.0 {
            self.problem(span, format!("`{key}` must be ≥ 0, not {n}"));
            return None;
        }
        Some(n)
    }

    fn security(&mut self, t: &Table<'_>, path: &str, base: SecurityPolicy) -> SecurityPolicy {
        self.check_keys(t, spec::SECURITY, path);
        let mut p = base;
        if let Some(v) = self.bool(t, "required") {
            p.required = v;
        }
        if let Some(m) = self.table(t, "max") {
            // Per severity: one not written keeps the limit it had (the default's, or the top
            // level's in a phase). Replacing the table, `max = { high = 5 }` dropped the default
            // `critical = 0`, and a critical finding approved.
            self.check_keys(m, spec::SEVERITY_MAX, &format!("{path}.max"));
            for s in [Severity::Critical, Severity::High, Severity::Medium, Severity::Low, Severity::Info] {
                if let Some(n) = self.count(m, s.name()) {
                    p.max.insert(s, n);
                }
            }
        }
        if let Some(s) = self.severity(t, "unknown") {
            p.unknown_as = s;
        }
        if let Some(s) = self.severity(t, "owasp_min_severity") {
            p.owasp_min_severity = s;
        }
        if let Some(v) = t.get("owasp") {
            let year = match v.get_ref() {
                DeValue::String(s) => s.trim().parse::<u16>().ok(),
                DeValue::Integer(i) => i.as_str().parse::<u16>().ok(),
                _ => None,
            };
            match year.and_then(Edition::from_year) {
                Some(e) => p.owasp = e,
                None => self.problem(v.span(), "`owasp` is the Top 10 edition: \"2021\" or \"2025\""),
            }
        }
        if let Some(list) = self.strings(t, "owasp_block") {
            let span = t.get("owasp_block").map(Spanned::span).unwrap_or(0..0);
            p.owasp_block.clear();
            for item in list {
                let up = item.trim().to_ascii_uppercase();
                if up == "ALL" || up == "*" {
                    p.owasp_block = (1..=10).collect();
                    continue;
                }
                let n = up.strip_prefix('A').and_then(|d| d.split(':').next()).and_then(|d| d.parse::<u8>().ok());
                match n.filter(|n| (1..=10).contains(n)) {
                    Some(n) if !p.owasp_block.contains(&n) => p.owasp_block.push(n),
                    Some(_) => {}
                    None => self
                        .problem(span.clone(), format!("`owasp_block` items are A01 to A10 or \"all\", not {item:?}")),
                }
            }
            p.owasp_block.sort_unstable();
        }
        if let Some(v) = self.bool(t, "honor_suppressions") {
            p.honor_suppressions = v;
        }
        if let Some(v) = self.bool(t, "allow_incomplete") {
            p.allow_incomplete = v;
        }
        if let Some(v) = self.bool(t, "new_only") {
            p.new_only = v;
        }
        if let Some(b) = self.str(t, "baseline") {
            // A file temis writes (`temis security baseline`): inside the repository, so that a
            // policy a cloned repository holds never names `~/.bashrc` or `../../x`.
            let path = std::path::Path::new(&b);
            if path.is_absolute()
                || matches!(b.as_bytes(), [d, b':', ..] if d.is_ascii_alphabetic())
                || path.components().any(|c| matches!(c, std::path::Component::ParentDir))
            {
                let span = t.get("baseline").map(Spanned::span).unwrap_or_default();
                self.problem(
                    span,
                    format!("`baseline` must be a path inside the repository (relative, without `..`), not {b:?}"),
                );
            } else {
                p.baseline = b;
            }
        }
        p
    }

    fn severity(&mut self, t: &Table<'_>, key: &str) -> Option<Severity> {
        let span = t.get(key).map(Spanned::span)?;
        let s = self.str(t, key)?;
        match Severity::parse(&s).filter(|s| *s != Severity::Unknown) {
            Some(v) => Some(v),
            None => {
                self.problem(span, format!("`{key}` is one of critical, high, medium, low, info, not {s:?}"));
                None
            }
        }
    }

    fn waiver(&mut self, t: &Table<'_>, i: usize) -> Option<Waiver> {
        let here = format!("waivers[{i}]");
        self.check_keys(t, spec::WAIVER, &here);
        // Where the waiver is: its first key in the file (not the alphabetically first).
        let (line, _) = line_col(self.source, t.keys().map(|k| k.span().start).min().unwrap_or(0));
        let reason = self.required_str(t, "reason", &here);
        if let (Some(r), Some(v)) = (&reason, t.get("reason"))
            && r.trim().is_empty()
        {
            self.problem(v.span(), format!("`{here}.reason` is empty: say why this exception is acceptable"));
        }
        let check = self.str(t, "check");
        let rule = self.str(t, "rule");
        let paths = self.strings(t, "paths").unwrap_or_default();
        let paths_matcher = if paths.is_empty() { None } else { self.compiled(t, "paths", &paths) };
        let pages = self.strings(t, "pages").unwrap_or_default();
        let pages_matcher = if pages.is_empty() { None } else { self.compiled(t, "pages", &pages) };
        let rule_matcher = match rule.as_deref() {
            Some(r) => Some(self.glob(t, "rule", r)?),
            None => None,
        };
        let id = self.str(t, "id");
        let id_matcher = match id.as_deref() {
            Some(r) => Some(self.glob(t, "id", r)?),
            None => None,
        };
        let fingerprint = self.str(t, "fingerprint");
        if check.is_none()
            && rule.is_none()
            && paths.is_empty()
            && pages.is_empty()
            && id.is_none()
            && fingerprint.is_none()
        {
            let span = t.values().next().map_or(0..0, Spanned::span);
            self.problem(
                span,
                format!(
                    "`{here}` matches nothing: give at least one of `check`, `rule`, `id`, `fingerprint`, `paths` or \
                     `pages`"
                ),
            );
        }
        if !pages.is_empty() && !paths.is_empty() {
            let span = t.get("pages").map(Spanned::span).unwrap_or(0..0);
            self.problem(
                span,
                format!("`{here}` gives both `paths` (files) and `pages` (accessibility page URLs): give one"),
            );
        }
        let expires = self.date(t, "expires");
        Some(Waiver {
            check,
            rule,
            rule_matcher,
            id,
            id_matcher,
            fingerprint,
            paths_matcher,
            paths,
            pages_matcher,
            pages,
            reason: reason?,
            expires,
            line,
        })
    }

    fn check_keys(&mut self, t: &Table<'_>, fields: &[Field], path: &str) {
        for (key, _) in t.iter() {
            let name = key.get_ref();
            if fields.iter().any(|f| f.name == name.as_ref()) {
                continue;
            }
            let full = if path.is_empty() { name.to_string() } else { format!("{path}.{name}") };
            let suggestion = fields
                .iter()
                .map(|f| (strsim::jaro_winkler(f.name, name), f.name))
                .filter(|(score, _)| *score > 0.8)
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, n)| format!("; did you mean `{n}`?"))
                .unwrap_or_else(|| {
                    let known: Vec<_> = fields.iter().map(|f| f.name).collect();
                    format!(" (known keys: {})", known.join(", "))
                });
            self.problem(key.span(), format!("unknown key `{full}`{suggestion}"));
        }
    }

    fn table<'t, 'i>(&mut self, t: &'t Table<'i>, key: &str) -> Option<&'t Table<'i>> {
        let v = t.get(key)?;
        match v.get_ref() {
            DeValue::Table(inner) => Some(inner),
            other => {
                self.problem(v.span(), format!("`{key}` must be a table, not {}", kind(other)));
                None
            }
        }
    }

    fn tables<'t, 'i>(&mut self, t: &'t Table<'i>, key: &str) -> Vec<&'t Table<'i>> {
        let Some(v) = t.get(key) else { return Vec::new() };
        match v.get_ref() {
            DeValue::Array(items) => {
                let mut out = Vec::new();
                for item in items.iter() {
                    match item.get_ref() {
                        DeValue::Table(inner) => out.push(inner),
                        other => {
                            self.problem(item.span(), format!("`{key}` items must be tables, not {}", kind(other)))
                        }
                    }
                }
                out
            }
            other => {
                self.problem(v.span(), format!("`{key}` must be a list of tables, not {}", kind(other)));
                Vec::new()
            }
        }
    }

    fn number(&mut self, t: &Table<'_>, key: &str) -> Option<(f64, std::ops::Range<usize>)> {
        let v = t.get(key)?;
        let n = match v.get_ref() {
            DeValue::Integer(i) => i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok().map(|n| n as f64),
            DeValue::Float(x) => x.as_str().replace('_', "").parse::<f64>().ok(),
            other => {
                self.problem(v.span(), format!("`{key}` must be a number, not {}", kind(other)));
                return None;
            }
        };
        match n {
            Some(n) if n.is_finite() => Some((n, v.span())),
            _ => {
                self.problem(v.span(), format!("`{key}` is not a usable number"));
                None
            }
        }
    }

    fn percent(&mut self, t: &Table<'_>, key: &str) -> Option<f64> {
        let (n, span) = self.number(t, key)?;
        if !(0.0..=100.0).contains(&n) {
            self.problem(span, format!("`{key}` is a percentage from 0 to 100, not {n}"));
            return None;
        }
        Some(n)
    }

    fn count(&mut self, t: &Table<'_>, key: &str) -> Option<u64> {
        let (n, span) = self.number(t, key)?;
        if n < 0.0 || n.fract() != 0.0 || n > 1e15 {
            self.problem(span, format!("`{key}` must be a whole number ≥ 0, not {n}"));
            return None;
        }
        Some(n as u64)
    }

    fn bool(&mut self, t: &Table<'_>, key: &str) -> Option<bool> {
        let v = t.get(key)?;
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            other => {
                self.problem(v.span(), format!("`{key}` must be true or false, not {}", kind(other)));
                None
            }
        }
    }

    fn str(&mut self, t: &Table<'_>, key: &str) -> Option<String> {
        let v = t.get(key)?;
        match v.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            other => {
                self.problem(v.span(), format!("`{key}` must be a string, not {}", kind(other)));
                None
            }
        }
    }

    fn required_str(&mut self, t: &Table<'_>, key: &str, here: &str) -> Option<String> {
        if !t.contains_key(key) {
            let span = t.values().next().map_or(0..0, Spanned::span);
            self.problem(span, format!("`{here}` needs `{key}`"));
            return None;
        }
        self.str(t, key)
    }

    fn strings(&mut self, t: &Table<'_>, key: &str) -> Option<Vec<String>> {
        let v = t.get(key)?;
        match v.get_ref() {
            DeValue::String(s) => Some(vec![s.to_string()]),
            DeValue::Array(items) => {
                let mut out = Vec::new();
                for item in items.iter() {
                    match item.get_ref() {
                        DeValue::String(s) => out.push(s.to_string()),
                        other => {
                            self.problem(item.span(), format!("`{key}` items must be strings, not {}", kind(other)))
                        }
                    }
                }
                Some(out)
            }
            other => {
                self.problem(v.span(), format!("`{key}` must be a list of strings, not {}", kind(other)));
                None
            }
        }
    }

    fn date(&mut self, t: &Table<'_>, key: &str) -> Option<Date> {
        let v = t.get(key)?;
        let parsed = match v.get_ref() {
            DeValue::Datetime(d) if d.time.is_none() => d.date.map(|d| Date::new(d.year, d.month, d.day)),
            DeValue::String(s) => Date::parse(s),
            _ => None,
        };
        if parsed.is_none() {
            self.problem(v.span(), format!("`{key}` must be a date like 2027-03-31"));
        }
        parsed
    }
}

fn kind(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

/// 1-based line and column (in characters) of byte `offset`.
pub(super) fn line_col(source: &str, offset: usize) -> (u64, u64) {
    let offset = offset.min(source.len());
    let before = &source.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    let start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[start..]).chars().count() as u64 + 1;
    (line, column)
}
