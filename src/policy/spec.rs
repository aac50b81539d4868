//! The policy file's shape, as data: which keys exist, what they hold, what they mean.
//!
//! One table feeds the validator (unknown keys, wrong types, ranges), the JSON schema that
//! editors use (`policies/temis.schema.json`), and the commented default `temis init` writes.

/// What a key holds.
#[derive(Clone, Copy, Debug)]
pub enum Ty {
    /// A number from 0 to 100.
    Percent,
    /// A whole number ≥ 0.
    Count,
    Bool,
    Str,
    /// A TOML local date (`2027-03-31`).
    Date,
    /// A list of strings (paths or globs).
    Strings,
    Table(&'static [Field]),
    /// A list of tables (`[[waivers]]`, `paths = [{…}]`).
    Tables(&'static [Field]),
    /// A table whose keys are phase numbers, each holding the given fields.
    Phases(&'static [Field]),
    /// A whole number ≥ 0 (a cap on the total), or a table of caps.
    CountOr(&'static [Field]),
    /// A number ≥ 0.
    Number,
    /// One of the listed strings.
    OneOf(&'static [&'static str]),
    /// A duration with its unit: `"10ms"`, `"1.5 s"`, `"250us"` (a bare number is refused).
    Duration,
}

/// One key of a table.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub name: &'static str,
    pub ty: Ty,
    pub doc: &'static str,
    /// Must be present (in a list item).
    pub required: bool,
}

const fn f(name: &'static str, ty: Ty, doc: &'static str) -> Field {
    Field { name, ty, doc, required: false }
}

const fn req(name: &'static str, ty: Ty, doc: &'static str) -> Field {
    Field { name, ty, doc, required: true }
}

pub const PATH_RULE: &[Field] = &[
    req("glob", Ty::Str, "Files this rule applies to (repo-relative glob, e.g. src/auth/**)."),
    f("min_line", Ty::Percent, "Minimum line coverage of the matching files together, percent."),
    f("min_branch", Ty::Percent, "Minimum branch coverage of the matching files together, percent."),
    f("max_uncovered_lines", Ty::Count, "Most uncovered lines allowed in the matching files."),
];

pub const COVERAGE: &[Field] = &[
    f("required", Ty::Bool, "A coverage report must be found; a missing one is never a pass (default true)."),
    f("min_line", Ty::Percent, "Minimum project line coverage, percent (statements for Go and coverage.py)."),
    f("min_branch", Ty::Percent, "Minimum project branch coverage, percent; skipped when no report measured branches."),
    f("max_uncovered_lines", Ty::Count, "Most uncovered lines allowed in the whole project."),
    f(
        "paths",
        Ty::Tables(PATH_RULE),
        "Thresholds for parts of the tree, e.g. { glob = \"src/auth/**\", min_line = 95 }.",
    ),
    // Patch coverage and the ratchet (`temis gate --base REF`, pre-push).
    f(
        "min_patch",
        Ty::Percent,
        "Minimum coverage of the lines the change adds (vs --base / the upstream; a phase: since it began), percent.",
    ),
    f(
        "patch_small_change",
        Ty::Count,
        "A change with fewer coverable added lines than this only warns below min_patch (Sonar uses 20).",
    ),
    f(
        "max_drop",
        Ty::Percent,
        "Most the project line coverage may fall below the base commit's recorded figure, in points.",
    ),
];

pub const TESTS: &[Field] = &[
    f("required", Ty::Bool, "A test report (JUnit XML) must be found; a missing one is never a pass (default true)."),
    f("all_passing", Ty::Bool, "Every test must pass: failures and errors block (default true)."),
    f("min_count", Ty::Count, "Fewest tests that must have run (skipped ones do not count)."),
    f(
        "allow_flaky",
        Ty::Bool,
        "Tests that failed and then passed on a rerun only warn (default true); false blocks them.",
    ),
];

pub const REPORTS: &[Field] = &[
    f("coverage", Ty::Strings, "Coverage reports to read: paths or globs, relative to the repository root."),
    f("tests", Ty::Strings, "Test reports (JUnit XML) to read: paths or globs."),
    f("a11y", Ty::Strings, "Accessibility reports (Lighthouse, axe-core, pa11y, pa11y-ci) to read: paths or globs."),
    f(
        "performance",
        Ty::Strings,
        "Benchmark reports (hyperfine, criterion, pytest-benchmark, go test -bench, k6) to read: paths or globs.",
    ),
    f(
        "security",
        Ty::Strings,
        "Security reports (SARIF, bandit, Semgrep, npm/cargo/pip audit, Trivy, gitleaks, OSV): paths or globs.",
    ),
    f(
        "stale",
        Ty::Str,
        "A report older than what it judged (a coverage report than a file it measures, test, benchmark and security reports than the files they are of): \"warn\" (default), \"block\" or \"off\".",
    ),
];

pub const SEVERITY_MAX: &[Field] = &[
    f("critical", Ty::Count, "Most critical findings allowed."),
    f("high", Ty::Count, "Most high findings allowed."),
    f("medium", Ty::Count, "Most medium findings allowed."),
    f("low", Ty::Count, "Most low findings allowed."),
    f("info", Ty::Count, "Most info findings allowed."),
];

pub const SECURITY: &[Field] = &[
    f("required", Ty::Bool, "A security report must be found; a missing one is never a pass (default false)."),
    f(
        "max",
        Ty::Table(SEVERITY_MAX),
        "Most findings allowed per severity, e.g. { critical = 0, high = 0, medium = 5 } (default: no critical, no high).",
    ),
    f(
        "unknown",
        Ty::Str,
        "What a finding of unknown severity (pip-audit, gitleaks…) counts as: critical, high, medium, low or info (default high).",
    ),
    f("owasp", Ty::Str, "OWASP Top 10 edition CWE ids are mapped with: \"2021\" (default) or \"2025\"."),
    f(
        "owasp_block",
        Ty::Strings,
        "OWASP Top 10 categories in which a finding blocks, e.g. [\"A03\", \"A07\"], or [\"all\"] (default none).",
    ),
    f("owasp_min_severity", Ty::Str, "Least severity that blocks in those categories (default medium)."),
    f(
        "honor_suppressions",
        Ty::Bool,
        "In-source suppressions (# nosec, nosemgrep, SARIF suppressions) excuse findings (default true); counted and listed either way.",
    ),
    f(
        "allow_incomplete",
        Ty::Bool,
        "An incomplete scan (failed run, dependencies not audited) only warns (default false).",
    ),
    f("new_only", Ty::Bool, "Judge only findings absent from the baseline read from the base commit (default false)."),
    f(
        "baseline",
        Ty::Str,
        "The baseline file, relative to the repository root (default .temis/security-baseline.json).",
    ),
];

pub const WAIVER: &[Field] = &[
    f("check", Ty::Str, "The check code it waives (see `temis explain`), e.g. coverage-path-below-threshold."),
    f(
        "rule",
        Ty::Str,
        "What within the check: a failing test's name, a finding's rule id, an accessibility rule such as color-contrast (glob allowed).",
    ),
    f("id", Ty::Str, "A security finding's advisory id: CVE, GHSA, RUSTSEC, PYSEC… (glob allowed)."),
    f("fingerprint", Ty::Str, "A security finding's fingerprint, as `temis report --format json` shows it."),
    f("paths", Ty::Strings, "Files it applies to (globs)."),
    f(
        "pages",
        Ty::Strings,
        "Accessibility pages it applies to (URL globs; `*` crosses `/`): with rule, that rule's violations on those pages only.",
    ),
    req("reason", Ty::Str, "Why this is acceptable. Required."),
    f("expires", Ty::Date, "Last day it applies (YYYY-MM-DD). Past it the waiver no longer applies."),
];

pub const IMPACT_CAPS: &[Field] = &[
    f("total", Ty::Count, "Most violations of any impact."),
    f("critical", Ty::Count, "Most violations of impact critical."),
    f("serious", Ty::Count, "Most violations of impact serious."),
    f("moderate", Ty::Count, "Most violations of impact moderate."),
    f("minor", Ty::Count, "Most violations of impact minor."),
];

pub const WCAG_LEVELS: &[&str] = &["A", "AA", "AAA"];

/// `[a11y] aggregation`: lhci assert's `aggregationMethod` names.
pub const AGGREGATIONS: &[&str] = &["median", "optimistic", "pessimistic", "median-run"];

pub const A11Y_PAGE: &[Field] = &[
    req("glob", Ty::Str, "Page URLs this rule applies to (glob; `*` crosses `/`), e.g. \"*/admin/*\"."),
    f("min_score", Ty::Percent, "Minimum accessibility score (0-100) of the matching pages."),
    f("wcag", Ty::OneOf(WCAG_LEVELS), "Target WCAG level of the matching pages."),
    f("max_violations", Ty::CountOr(IMPACT_CAPS), "Caps on violations per matching page."),
    f("count_needs_review", Ty::Bool, "Whether needs-review items count as violations on the matching pages."),
];

pub const A11Y: &[Field] = &[
    f("enabled", Ty::Bool, "Judge accessibility reports at all (default true); false turns the family off."),
    f("required", Ty::Bool, "An accessibility report must be found; a missing one is never a pass (default false)."),
    f("min_score", Ty::Percent, "Minimum accessibility score, 0-100 (Lighthouse; reports without a score skip it)."),
    f(
        "wcag",
        Ty::OneOf(WCAG_LEVELS),
        "Target WCAG level: violations of rules at this level or lower block (A, AA or AAA); best-practice rules never do.",
    ),
    f(
        "max_violations",
        Ty::CountOr(IMPACT_CAPS),
        "Caps on violations per page, of any rule: a number (the total) or { critical = 0, serious = 0, moderate = 5 }.",
    ),
    f(
        "count_needs_review",
        Ty::Bool,
        "Count needs-review items (axe incomplete, pa11y warnings and notices) as violations (default false).",
    ),
    f("pages", Ty::Tables(A11Y_PAGE), "Per-page overrides by URL glob, e.g. { glob = \"*/legacy/*\", wcag = \"A\" }."),
    f(
        "aggregation",
        Ty::OneOf(AGGREGATIONS),
        "Which of several Lighthouse runs of a URL is judged (lhci's aggregationMethod): median (default), optimistic (best), pessimistic (worst), median-run (lhci's representative run); a run that errored is judged, and blocks, whichever is named.",
    ),
];

pub const BUDGET: &[Field] = &[
    req(
        "name",
        Ty::Str,
        "The benchmark(s) it applies to (glob on the benchmark's name), e.g. verify_token or parse/*.",
    ),
    f(
        "stat",
        Ty::OneOf(STATS),
        "The statistic compared: mean, median, p90, p95, p99, min or max, where the format has it (default mean).",
    ),
    f("max", Ty::Duration, "The limit, with its unit: \"10ms\", \"1.5s\", \"250us\", \"800ns\"."),
    f("max_ms", Ty::Number, "The limit in milliseconds (`max` takes other units)."),
    f(
        "max_regression",
        Ty::Percent,
        "Most slowdown against the baseline for the matching benchmarks, percent (overrides the section's).",
    ),
];

pub const STATS: &[&str] = &["mean", "median", "p90", "p95", "p99", "min", "max"];

pub const PERFORMANCE: &[Field] = &[
    f("enabled", Ty::Bool, "Judge benchmark reports at all (default true)."),
    f(
        "required",
        Ty::Bool,
        "A benchmark report must be found; a missing one is never a pass (default false, true where `budgets` or `max_regression` are set).",
    ),
    f("budgets", Ty::Tables(BUDGET), "Limits: [{ name = \"verify_token\", stat = \"p95\", max = \"10ms\" }]."),
    f("baseline", Ty::Str, "A benchmark report of the base (same format or any other temis reads) to compare against."),
    f(
        "max_regression",
        Ty::Percent,
        "Most slowdown of any benchmark against the baseline, percent (10 = no more than 10 % slower).",
    ),
    f("regression_stat", Ty::OneOf(STATS), "The statistic regressions compare (default mean)."),
];

pub const COMMITS: &[Field] = &[
    f("enabled", Ty::Bool, "Check commit messages in the commit-msg hook (default true)."),
    f("types", Ty::Strings, "Allowed types (default: build chore ci docs feat fix perf refactor revert style test)."),
    f("scopes", Ty::Strings, "Allowed scopes; any scope when empty (the default)."),
    f("require_scope", Ty::Bool, "Every header needs a (scope) (default false)."),
    f("header_max_length", Ty::Count, "Longest header, in characters (default 100)."),
    f("body_max_line_length", Ty::Count, "Longest body line; lines with a URL are exempt (default 100)."),
    f("footer_max_line_length", Ty::Count, "Longest footer line; lines with a URL are exempt (default 100)."),
    f(
        "default_ignores",
        Ty::Bool,
        "Skip merges, reverts, fixup!/squash!/amend! and release versions, as commitlint does (default true).",
    ),
    f("ignores", Ty::Strings, "More headers to skip (globs on the first line), e.g. \"WIP*\"."),
    f("warnings_block", Ty::Bool, "Warnings (blank line before body and footer) block too (default false)."),
];

pub const SECRETS: &[Field] = &[
    f("enabled", Ty::Bool, "Look for secrets in the staged change in the pre-commit hook (default true)."),
    f("entropy", Ty::Bool, "Also flag high-entropy values assigned to secret-looking names (default true)."),
    f("allow", Ty::Strings, "Values that are not secrets (exact text or a glob), e.g. \"AKIA*EXAMPLE\"."),
    f("allow_paths", Ty::Strings, "Files never scanned (globs), e.g. \"tests/fixtures/**\"."),
];

pub const PHASE: &[Field] = &[
    f("coverage", Ty::Table(COVERAGE), "Coverage thresholds for this phase."),
    f("tests", Ty::Table(TESTS), "Test thresholds for this phase."),
    f("a11y", Ty::Table(A11Y), "Accessibility thresholds for this phase: [phase.3] a11y = { min_score = 95 }."),
    f("performance", Ty::Table(PERFORMANCE), "Performance budgets for this phase."),
    f("security", Ty::Table(SECURITY), "Security thresholds for this phase."),
];

pub const ROOT: &[Field] = &[
    f("coverage", Ty::Table(COVERAGE), "Coverage thresholds."),
    f("tests", Ty::Table(TESTS), "Test-result thresholds."),
    f("a11y", Ty::Table(A11Y), "Accessibility thresholds (Lighthouse score, WCAG level, violation caps)."),
    f("performance", Ty::Table(PERFORMANCE), "Performance budgets for benchmarks, and regressions against a baseline."),
    f(
        "security",
        Ty::Table(SECURITY),
        "Security-scan thresholds: severities, OWASP Top 10, suppressions, new findings.",
    ),
    f("reports", Ty::Table(REPORTS), "Where to find reports; conventional locations are searched when absent."),
    f("waivers", Ty::Tables(WAIVER), "Accepted exceptions, each with a reason and, ideally, an expiry date."),
    f("phase", Ty::Phases(PHASE), "Per-phase overrides: [phase.3] coverage = { min_line = 95 }."),
    f("commits", Ty::Table(COMMITS), "Commit message rules for the commit-msg hook (Conventional Commits)."),
    f("secrets", Ty::Table(SECRETS), "The pre-commit hook's scan of the staged change for secrets."),
];

/// The JSON schema (draft 2020-12) of the policy file, for editors (taplo, Even Better TOML).
pub fn json_schema() -> serde_json::Value {
    let mut root = table_schema(ROOT);
    let obj = root.as_object_mut().expect("an object");
    obj.insert("$schema".into(), "https://json-schema.org/draft/2020-12/schema".into());
    obj.insert("$id".into(), "https://temis.dev/schema/policy.json".into());
    obj.insert("title".into(), "temis policy (temis.toml)".into());
    root
}

fn table_schema(fields: &[Field]) -> serde_json::Value {
    let mut props = serde_json::Map::new();
    for field in fields {
        let mut s = ty_schema(field.ty);
        s.as_object_mut().expect("an object").insert("description".into(), field.doc.into());
        props.insert(field.name.into(), s);
    }
    let required: Vec<&str> = fields.iter().filter(|f| f.required).map(|f| f.name).collect();
    let mut schema = serde_json::json!({ "type": "object", "properties": props, "additionalProperties": false });
    if !required.is_empty() {
        schema["required"] = serde_json::json!(required);
    }
    schema
}

fn ty_schema(ty: Ty) -> serde_json::Value {
    use serde_json::json;
    match ty {
        Ty::Percent => json!({ "type": "number", "minimum": 0, "maximum": 100 }),
        Ty::Count => json!({ "type": "integer", "minimum": 0 }),
        Ty::Bool => json!({ "type": "boolean" }),
        Ty::Str => json!({ "type": "string" }),
        Ty::Date => json!({ "type": "string", "format": "date" }),
        Ty::Strings => json!({ "type": "array", "items": { "type": "string" } }),
        Ty::Table(fields) => table_schema(fields),
        Ty::Tables(fields) => json!({ "type": "array", "items": table_schema(fields) }),
        Ty::Phases(fields) => json!({
            "type": "object",
            "patternProperties": { "^[1-9][0-9]*$": table_schema(fields) },
            "additionalProperties": false
        }),
        Ty::CountOr(fields) => json!({ "oneOf": [{ "type": "integer", "minimum": 0 }, table_schema(fields)] }),
        Ty::OneOf(values) => json!({ "type": "string", "enum": values }),
        Ty::Number => json!({ "type": "number", "minimum": 0 }),
        Ty::Duration => json!({ "type": "string", "pattern": "^\\s*[0-9]+(\\.[0-9]+)?\\s*(ns|us|µs|ms|s|m)\\s*$" }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed schema is what the spec generates. Regenerate with
    /// `TEMIS_BLESS=1 cargo test --lib schema_is_fresh`.
    #[test]
    fn schema_is_fresh() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/temis.schema.json");
        let mut fresh = serde_json::to_string_pretty(&json_schema()).unwrap();
        fresh.push('\n');
        if std::env::var_os("TEMIS_BLESS").is_some() {
            std::fs::write(&path, &fresh).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == fresh,
            "policies/temis.schema.json is stale: regenerate it with `TEMIS_BLESS=1 cargo test --lib schema_is_fresh`"
        );
    }

    #[test]
    fn the_schema_accepts_the_shipped_policies_keys() {
        let schema = json_schema();
        let props = schema["properties"].as_object().unwrap();
        for key in ["coverage", "tests", "reports", "waivers", "phase"] {
            assert!(props.contains_key(key), "{key}");
        }
        assert_eq!(schema["properties"]["coverage"]["properties"]["min_line"]["maximum"], 100);
    }
}
