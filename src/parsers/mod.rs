//! Report parsers, one module per format, and detection of the format from content.
//!
//! A file name never decides the format: `coverage.json` is written by coverage.py, SimpleCov
//! and Istanbul alike, `coverage.xml` by coverage.py and PHPUnit. [`detect`] looks at the first
//! bytes; `--input-format` overrides it.
//!
//! Every parser has the same shape: `parse(&Input, &mut dyn Sink) -> Result<Meta, ParseError>`.
//! It streams the input, hands each file record to the sink, and returns what it learned about
//! the report as a whole.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::{ParseError, ReportError};
use crate::input::Input;
use crate::model::{Counts, Coverage, CoverageBuilder, DetailSet, Rounding, Sink};

pub mod axe;
pub mod clover;
pub mod cobertura;
pub mod coveragepy;
pub mod criterion;
pub mod gobench;
pub mod gocover;
pub mod hyperfine;
pub mod istanbul;
pub mod jacoco;
pub(crate) mod json;
pub mod junit;
pub mod k6;
pub mod lcov;
pub mod lhci;
pub mod lighthouse;
pub mod llvm_cov;
pub(crate) mod loose;
pub mod pa11y;
pub mod pytest_benchmark;
pub mod simplecov;
pub mod tarpaulin;
pub mod text;
pub mod wcag;
pub mod xml;
#[cfg(test)]
mod xml_agree;
pub(crate) mod xml_walk;

// --- security formats (helper-security) ---
pub mod bandit;
pub mod cargo_audit;
pub mod gitleaks;
pub(crate) mod lenient;
pub mod npm_audit;
pub mod osv;
pub mod pip_audit;
pub mod sarif;
pub mod semgrep;
pub mod trivy;
// --- end security formats ---

/// Every report format temis reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    Lcov,
    Cobertura,
    Jacoco,
    Clover,
    CoveragepyJson,
    IstanbulFinal,
    IstanbulSummary,
    LlvmCovJson,
    TarpaulinJson,
    Gocover,
    Simplecov,
    Junit,
    // --- accessibility ---
    #[value(alias = "lighthouse-json")]
    Lighthouse,
    LhciManifest,
    AxeJson,
    Pa11yJson,
    Pa11yCiJson,
    // --- performance ---
    HyperfineJson,
    CriterionJson,
    PytestBenchmarkJson,
    Gobench,
    K6Json,
    // --- security formats ---
    Sarif,
    BanditJson,
    SemgrepJson,
    NpmAuditJson,
    PipAuditJson,
    CargoAuditJson,
    TrivyJson,
    GitleaksJson,
    OsvJson,
    // --- end security formats ---
}

/// What a report is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Coverage,
    Tests,
    A11y,
    Performance,
    Security,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Coverage => "coverage",
            Kind::Tests => "tests",
            Kind::A11y => "a11y",
            Kind::Performance => "performance",
            Kind::Security => "security",
        }
    }
}

impl Format {
    pub const ALL: [Format; 31] = [
        Format::Lcov,
        Format::Cobertura,
        Format::Jacoco,
        Format::Clover,
        Format::CoveragepyJson,
        Format::IstanbulFinal,
        Format::IstanbulSummary,
        Format::LlvmCovJson,
        Format::TarpaulinJson,
        Format::Gocover,
        Format::Simplecov,
        Format::Junit,
        Format::Lighthouse,
        Format::LhciManifest,
        Format::AxeJson,
        Format::Pa11yJson,
        Format::Pa11yCiJson,
        Format::HyperfineJson,
        Format::CriterionJson,
        Format::PytestBenchmarkJson,
        Format::Gobench,
        Format::K6Json,
        // --- security formats ---
        Format::Sarif,
        Format::BanditJson,
        Format::SemgrepJson,
        Format::NpmAuditJson,
        Format::PipAuditJson,
        Format::CargoAuditJson,
        Format::TrivyJson,
        Format::GitleaksJson,
        Format::OsvJson,
    ];

    /// The name used in JSON output and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Lcov => "lcov",
            Format::Cobertura => "cobertura",
            Format::Jacoco => "jacoco",
            Format::Clover => "clover",
            Format::CoveragepyJson => "coveragepy-json",
            Format::IstanbulFinal => "istanbul-final",
            Format::IstanbulSummary => "istanbul-summary",
            Format::LlvmCovJson => "llvm-cov-json",
            Format::TarpaulinJson => "tarpaulin-json",
            Format::Gocover => "gocover",
            Format::Simplecov => "simplecov",
            Format::Junit => "junit",
            Format::Lighthouse => "lighthouse",
            Format::LhciManifest => "lhci-manifest",
            Format::AxeJson => "axe-json",
            Format::Pa11yJson => "pa11y-json",
            Format::Pa11yCiJson => "pa11y-ci-json",
            Format::HyperfineJson => "hyperfine-json",
            Format::CriterionJson => "criterion-json",
            Format::PytestBenchmarkJson => "pytest-benchmark-json",
            Format::Gobench => "gobench",
            Format::K6Json => "k6-json",
            // --- security formats ---
            Format::Sarif => "sarif",
            Format::BanditJson => "bandit-json",
            Format::SemgrepJson => "semgrep-json",
            Format::NpmAuditJson => "npm-audit-json",
            Format::PipAuditJson => "pip-audit-json",
            Format::CargoAuditJson => "cargo-audit-json",
            Format::TrivyJson => "trivy-json",
            Format::GitleaksJson => "gitleaks-json",
            Format::OsvJson => "osv-json",
        }
    }

    /// Who writes it, for `--help` and error messages.
    pub fn producers(self) -> &'static str {
        match self {
            Format::Lcov => "lcov/geninfo, llvm-cov, cargo-llvm-cov, c8, nyc, jest, coverage.py",
            Format::Cobertura => "coverage.py/pytest-cov, gcovr, Istanbul, coverlet, tarpaulin",
            Format::Jacoco => "JaCoCo (Maven, Gradle, Ant)",
            Format::Clover => "OpenClover, PHPUnit, Istanbul",
            Format::CoveragepyJson => "coverage.py `coverage json`",
            Format::IstanbulFinal => "Istanbul coverage-final.json (jest, nyc, c8, vitest)",
            Format::IstanbulSummary => "Istanbul coverage-summary.json (json-summary reporter)",
            Format::LlvmCovJson => "llvm-cov export, cargo llvm-cov --json",
            Format::TarpaulinJson => "cargo-tarpaulin --out Json",
            Format::Gocover => "go test -coverprofile (set, count, atomic)",
            Format::Simplecov => "SimpleCov .resultset.json and coverage.json",
            Format::Junit => {
                "JUnit XML test results (pytest, jest-junit, vitest, Surefire, Gradle, nextest, gotestsum…)"
            }
            Format::Lighthouse => "Lighthouse --output=json, Lighthouse CI .lighthouseci/lhr-*.json",
            Format::LhciManifest => {
                "Lighthouse CI manifest.json (lhci upload --target=filesystem) and the runs it lists"
            }
            Format::AxeJson => "axe-core results (axe.run(), @axe-core/cli --save, playwright/puppeteer scripts)",
            Format::Pa11yJson => "pa11y --reporter json (htmlcs or axe runner)",
            Format::Pa11yCiJson => "pa11y-ci --json",
            Format::HyperfineJson => "hyperfine --export-json",
            Format::CriterionJson => "criterion target/criterion/**/new/estimates.json (cargo bench)",
            Format::PytestBenchmarkJson => "pytest-benchmark --benchmark-json (and .benchmarks/ autosaves)",
            Format::Gobench => "go test -bench text output (as benchstat reads it)",
            Format::K6Json => "k6 run --summary-export, and handleSummary's data as JSON",
            // --- security formats ---
            Format::Sarif => {
                "SARIF 2.1.0 (CodeQL, Semgrep, bandit, Trivy, gitleaks, ESLint, clippy-sarif, Snyk, grype…)"
            }
            Format::BanditJson => "bandit -f json",
            Format::SemgrepJson => "semgrep scan --json",
            Format::NpmAuditJson => "npm audit --json (npm 7+ and npm 6)",
            Format::PipAuditJson => "pip-audit -f json",
            Format::CargoAuditJson => "cargo audit --json",
            Format::TrivyJson => "trivy fs|image|config --format json",
            Format::GitleaksJson => "gitleaks detect|git|dir --report-format json (v7 and v8)",
            Format::OsvJson => "osv-scanner --format json",
        }
    }

    pub fn kind(self) -> Kind {
        match self {
            Format::Junit => Kind::Tests,
            Format::Lighthouse | Format::LhciManifest | Format::AxeJson | Format::Pa11yJson | Format::Pa11yCiJson => {
                Kind::A11y
            }
            Format::HyperfineJson
            | Format::CriterionJson
            | Format::PytestBenchmarkJson
            | Format::Gobench
            | Format::K6Json => Kind::Performance,
            Format::Sarif
            | Format::BanditJson
            | Format::SemgrepJson
            | Format::NpmAuditJson
            | Format::PipAuditJson
            | Format::CargoAuditJson
            | Format::TrivyJson
            | Format::GitleaksJson
            | Format::OsvJson => Kind::Security,
            _ => Kind::Coverage,
        }
    }

    /// How the producer rounds the percentages it prints.
    pub fn rounding(self) -> Rounding {
        match self {
            Format::IstanbulFinal | Format::IstanbulSummary | Format::Simplecov => Rounding::Floor,
            _ => Rounding::Nearest,
        }
    }

    fn parse(self, input: &Input, sink: &mut dyn Sink) -> Result<Meta, ParseError> {
        match self {
            Format::Lcov => lcov::parse(input, sink),
            Format::Cobertura => cobertura::parse(input, sink),
            Format::Jacoco => jacoco::parse(input, sink),
            Format::Clover => clover::parse(input, sink),
            Format::CoveragepyJson => coveragepy::parse(input, sink),
            Format::IstanbulFinal => istanbul::parse_final(input, sink),
            Format::IstanbulSummary => istanbul::parse_summary(input, sink),
            Format::LlvmCovJson => llvm_cov::parse(input, sink),
            Format::TarpaulinJson => tarpaulin::parse(input, sink),
            Format::Gocover => gocover::parse(input, sink),
            Format::Simplecov => simplecov::parse(input, sink),
            Format::Junit => Err(ParseError::whole("a JUnit XML file holds test results, not coverage")),
            Format::Lighthouse | Format::LhciManifest | Format::AxeJson | Format::Pa11yJson | Format::Pa11yCiJson => {
                Err(ParseError::whole("an accessibility report holds no coverage"))
            }
            Format::HyperfineJson
            | Format::CriterionJson
            | Format::PytestBenchmarkJson
            | Format::Gobench
            | Format::K6Json => Err(ParseError::whole("a benchmark report holds no coverage")),
            _ => Err(ParseError::whole("a security report holds findings, not coverage")),
        }
    }

    /// Reads a security report of this format.
    fn parse_security(self, input: &Input) -> Result<crate::model::SecurityReport, ParseError> {
        match self {
            Format::Sarif => sarif::parse(input),
            Format::BanditJson => bandit::parse(input),
            Format::SemgrepJson => semgrep::parse(input),
            Format::NpmAuditJson => npm_audit::parse(input),
            Format::PipAuditJson => pip_audit::parse(input),
            Format::CargoAuditJson => cargo_audit::parse(input),
            Format::TrivyJson => trivy::parse(input),
            Format::GitleaksJson => gitleaks::parse(input),
            Format::OsvJson => osv::parse(input),
            _ => Err(ParseError::whole("not a security report")),
        }
    }
}

/// What a parser learned about the report as a whole.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Meta {
    /// Decisions a user should know about (records skipped, summary lines trusted…).
    pub notes: Vec<String>,
    /// The producer's own figures that are not plain line/branch/function coverage.
    pub extra: BTreeMap<String, serde_json::Value>,
    /// Totals the report states, when they are the producer's figure and differ from the sum
    /// of the files (rare; most formats leave this `None`).
    pub totals: Option<Totals>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub lines: Counts,
    pub branches: Option<Counts>,
    pub functions: Option<Counts>,
}

/// The list printed when a format is not recognised.
pub fn supported_list() -> String {
    Format::ALL.iter().map(|f| f.name()).collect::<Vec<_>>().join(", ")
}

/// Guesses the format from the first bytes of a report.
pub fn detect(head: &[u8]) -> Result<Format, ParseError> {
    let unknown = || {
        ParseError::whole(format!(
            "unrecognised report format (supported: {}); pass --input-format to say which it is",
            supported_list()
        ))
    };
    let body = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let body = body.trim_ascii_start();
    if body.is_empty() {
        return Err(ParseError::whole("the file is empty: no report to read"));
    }
    if head[..head.len().min(8192)].contains(&0) {
        return Err(ParseError::whole("this is a binary file, not a report"));
    }
    match body[0] {
        b'<' => detect_xml(body).ok_or_else(unknown),
        b'{' | b'[' => detect_json(body).ok_or_else(unknown),
        _ => detect_text(body).ok_or_else(unknown),
    }
}

fn contains(hay: &[u8], needle: &str) -> bool {
    memchr::memmem::find(hay, needle.as_bytes()).is_some()
}

fn detect_xml(body: &[u8]) -> Option<Format> {
    let root = xml::root_element(body)?;
    match root.name.as_str() {
        "coverage" if root.attrs.contains("clover=") => Some(Format::Clover),
        "coverage" if root.next_child.as_deref() == Some("project") => Some(Format::Clover),
        "coverage" => Some(Format::Cobertura),
        "report" => Some(Format::Jacoco),
        _ if junit::looks_like_junit(&root) => Some(Format::Junit),
        _ => None,
    }
}

fn detect_json(body: &[u8]) -> Option<Format> {
    if let Some(f) = detect_a11y(body).or_else(|| detect_bench(body)) {
        return Some(f);
    }
    if contains(body, "\"llvm.coverage.json.export\"") || starts_like_llvm_export(body) {
        Some(Format::LlvmCovJson)
    } else if let Some(f) = detect_security_json(body) {
        Some(f)
    } else if contains(body, "\"statementMap\"") {
        Some(Format::IstanbulFinal)
    } else if contains(body, "\"simplecov_version\"") || simplecov::looks_like_resultset(body) {
        Some(Format::Simplecov)
    } else if contains(body, "\"meta\"")
        && (contains(body, "\"show_contexts\"") || contains(body, "\"branch_coverage\""))
    {
        Some(Format::CoveragepyJson)
    } else if regex_lite_tarpaulin(body) {
        Some(Format::TarpaulinJson)
    } else if contains(body, "\"total\"") && contains(body, "\"pct\"") {
        Some(Format::IstanbulSummary)
    } else if contains(body, "\"coverage\"") && contains(body, "\"timestamp\"") {
        Some(Format::Simplecov)
    } else {
        None
    }
}

/// Accessibility reports: Lighthouse, axe-core, pa11y, pa11y-ci.
fn detect_a11y(body: &[u8]) -> Option<Format> {
    if lhci::looks_like(body) {
        Some(Format::LhciManifest)
    } else if lighthouse::looks_like(body) {
        Some(Format::Lighthouse)
    } else if axe::looks_like(body) {
        Some(Format::AxeJson)
    } else if pa11y::looks_like_ci(body) {
        Some(Format::Pa11yCiJson)
    } else if pa11y::looks_like(body) {
        Some(Format::Pa11yJson)
    } else {
        None
    }
}

// --- security formats (helper-security) ---

/// The security report formats, by the keys their producers write near the top.
fn detect_security_json(body: &[u8]) -> Option<Format> {
    let has = |k: &str| contains(body, k);
    let array = body.first() == Some(&b'[');
    if has("\"runs\"") && (has("sarif") || has("\"2.1.0\"") || (has("\"tool\"") && has("\"driver\""))) {
        Some(Format::Sarif)
    } else if has("\"generated_at\"") && has("\"metrics\"") && (has("\"results\"") || has("\"errors\"")) {
        Some(Format::BanditJson)
    } else if has("\"check_id\"") || (has("\"results\"") && (has("\"engine_requested\"") || has("\"skipped_rules\""))) {
        Some(Format::SemgrepJson)
    } else if has("\"auditReportVersion\"")
        || (has("\"advisories\"") && (has("\"muted\"") || has("\"actions\"")))
        || npm_error_object(body)
    {
        Some(Format::NpmAuditJson)
    } else if has("\"advisory-count\"") || (has("\"lockfile\"") && has("\"dependency-count\"")) {
        Some(Format::CargoAuditJson)
    } else if has("\"SchemaVersion\"") && (has("\"Results\"") || has("\"ArtifactName\"")) {
        Some(Format::TrivyJson)
    } else if array && (has("\"RuleID\"") || (has("\"offender\"") && has("\"rule\""))) {
        Some(Format::GitleaksJson)
    } else if has("\"results\"") && has("\"packages\"") && (has("\"source\"") || has("\"experimental_config\"")) {
        Some(Format::OsvJson)
    } else if has("\"skip_reason\"") || has("\"vulns\"") || (has("\"dependencies\"") && has("\"fixes\"")) {
        Some(Format::PipAuditJson)
    } else {
        None
    }
}

/// Benchmark reports: hyperfine, criterion, pytest-benchmark, k6.
fn detect_bench(body: &[u8]) -> Option<Format> {
    if criterion::looks_like(body) {
        Some(Format::CriterionJson)
    } else if pytest_benchmark::looks_like(body) {
        Some(Format::PytestBenchmarkJson)
    } else if hyperfine::looks_like(body) {
        Some(Format::HyperfineJson)
    } else if k6::looks_like(body) {
        Some(Format::K6Json)
    } else {
        None
    }
}

/// What npm prints when it cannot audit: `{"error": {"code": "ENOLOCK", …}}`, or the registry's
/// answer to the audit endpoint (`{"message": …, "statusCode": 405, … "/-/npm/v1/security/…"}`).
fn npm_error_object(body: &[u8]) -> bool {
    (contains(body, "\"error\"") && contains(body, "\"code\"") && contains(body, "\"summary\""))
        || (contains(body, "\"statusCode\"") && contains(body, "/-/npm/v1/security/"))
}

// --- end security formats ---

/// llvm-cov writes its `"type"` marker at the very end of the document, past what detection
/// reads; its opening `{"data":[{"files":[` is distinctive enough.
fn starts_like_llvm_export(body: &[u8]) -> bool {
    let mut rest = body;
    for token in ["{", "\"data\"", ":", "[", "{", "\"files\"", ":", "["] {
        match rest.trim_ascii_start().strip_prefix(token.as_bytes()) {
            Some(r) => rest = r,
            None => return false,
        }
    }
    true
}

/// tarpaulin writes `"path": [` (a path as an array of components) and `"traces"`.
fn regex_lite_tarpaulin(body: &[u8]) -> bool {
    if contains(body, "\"traces\"") && contains(body, "\"coverable\"") {
        return true;
    }
    let mut rest = body;
    while let Some(i) = memchr::memmem::find(rest, b"\"path\"") {
        let after = rest[i + 6..].trim_ascii_start();
        if let Some(after) = after.strip_prefix(b":") {
            if after.trim_ascii_start().first() == Some(&b'[') {
                return true;
            }
        }
        rest = &rest[i + 6..];
    }
    false
}

fn detect_text(body: &[u8]) -> Option<Format> {
    if gobench::looks_like(body) {
        return Some(Format::Gobench);
    }
    let first = body.split(|&b| b == b'\n').next().unwrap_or(body).trim_ascii();
    if first.starts_with(b"mode:") || (contains(first, ".go:") && first.last().is_some_and(u8::is_ascii_digit)) {
        return Some(Format::Gocover);
    }
    let lcov = body.split(|&b| b == b'\n').take(200).any(|l| {
        let l = l.trim_ascii();
        l.starts_with(b"SF:") || l == b"end_of_record" || l.starts_with(b"DA:") || l.starts_with(b"TN:")
    });
    lcov.then_some(Format::Lcov)
}

/// What a report held.
#[derive(Clone, Debug)]
pub enum Content {
    Coverage(Coverage),
    Tests(crate::model::TestRun),
    A11y(crate::model::a11y::A11yReport),
    Bench(crate::model::bench::BenchReport),
    Security(crate::model::SecurityReport),
}

/// Detects (unless `forced`) and reads one report of any kind.
pub fn read_report(input: &Input, forced: Option<Format>) -> Result<(Format, Content), ReportError> {
    let format = resolve_format(input, forced)?;
    match format.kind() {
        Kind::Tests => {
            let run = junit::parse(input).map_err(|e| report_error(input, format, e))?;
            Ok((format, Content::Tests(run)))
        }
        Kind::A11y => {
            let report = read_a11y(input, format).map_err(|e| report_error(input, format, e))?;
            Ok((format, Content::A11y(report)))
        }
        Kind::Performance => {
            let report = read_bench(input, format).map_err(|e| report_error(input, format, e))?;
            Ok((format, Content::Bench(report)))
        }
        Kind::Security => {
            let report = format.parse_security(input).map_err(|e| report_error(input, format, e))?;
            Ok((format, Content::Security(report)))
        }
        Kind::Coverage => read_coverage(input, Some(format)).map(|(f, c)| (f, Content::Coverage(c))),
    }
}

/// Reads a benchmark report of `format` (a performance format).
pub fn read_bench(input: &Input, format: Format) -> Result<crate::model::bench::BenchReport, ParseError> {
    match format {
        Format::HyperfineJson => hyperfine::parse(input),
        Format::CriterionJson => criterion::parse(input),
        Format::PytestBenchmarkJson => pytest_benchmark::parse(input),
        Format::Gobench => gobench::parse(input),
        Format::K6Json => k6::parse(input),
        other => Err(ParseError::whole(format!("{} is not a benchmark format", other.name()))),
    }
}

fn read_a11y(input: &Input, format: Format) -> Result<crate::model::a11y::A11yReport, ParseError> {
    match format {
        Format::Lighthouse => lighthouse::parse(input),
        Format::LhciManifest => lhci::parse(input),
        Format::AxeJson => axe::parse(input),
        Format::Pa11yJson => pa11y::parse(input),
        Format::Pa11yCiJson => pa11y::parse_ci(input),
        other => Err(ParseError::whole(format!("{} is not an accessibility format", other.name()))),
    }
}

/// Detects (unless `forced`) and reads one coverage report into the compact model.
pub fn read_coverage(input: &Input, forced: Option<Format>) -> Result<(Format, Coverage), ReportError> {
    let format = resolve_format(input, forced)?;
    not_coverage(input, format)?;
    let mut builder = CoverageBuilder::new();
    let meta = format.parse(input, &mut builder).map_err(|e| report_error(input, format, e))?;
    let mut coverage = builder.finish();
    apply_meta(&mut coverage, format, meta);
    Ok((format, coverage))
}

/// Detects (unless `forced`) and reads one coverage report keeping hit counts, for merging.
pub fn read_detail(input: &Input, forced: Option<Format>) -> Result<(Format, DetailSet, Meta), ReportError> {
    let format = resolve_format(input, forced)?;
    not_coverage(input, format)?;
    let mut set = DetailSet::new();
    let meta = format.parse(input, &mut set).map_err(|e| report_error(input, format, e))?;
    set.sort();
    Ok((format, set, meta))
}

fn not_coverage(input: &Input, format: Format) -> Result<(), ReportError> {
    if format.kind() == Kind::Coverage {
        return Ok(());
    }
    Err(ReportError {
        file: input.name().to_string(),
        error: ParseError::whole(format!(
            "this is a {} report ({}), not a coverage report",
            format.kind().name(),
            format.name()
        )),
        hint: None,
    })
}

fn resolve_format(input: &Input, forced: Option<Format>) -> Result<Format, ReportError> {
    if let Some(f) = forced {
        return Ok(f);
    }
    let head = input.sniff().map_err(|e| ReportError {
        file: input.name().to_string(),
        error: ParseError::io(&e),
        hint: None,
    })?;
    detect(&head).map_err(|error| ReportError { file: input.name().to_string(), error, hint: None })
}

fn report_error(input: &Input, format: Format, error: ParseError) -> ReportError {
    ReportError {
        file: input.name().to_string(),
        error,
        hint: Some(format!(
            "read as {} (detected from its content); if it is another format, pass --input-format",
            format.name(),
        )),
    }
}

fn apply_meta(coverage: &mut Coverage, format: Format, meta: Meta) {
    coverage.rounding = format.rounding();
    for n in meta.notes {
        coverage.note(n);
    }
    coverage.extra = meta.extra;
    if let Some(t) = meta.totals {
        coverage.lines = t.lines;
        coverage.branches = t.branches;
        coverage.functions = t.functions;
    }
}
