//! The format registry: one [`Entry`] per format, holding every fact about it that the rest of
//! temis looks up — name, kind, who writes it, how it is detected, its reader, where its
//! producers put it, how they round.
//!
//! Adding a format is one module (its reader) plus one variant of [`Format`] and one entry here.
//!
//! Detection is a cascade per family of syntax (XML, JSON, text: the first byte decides the
//! family): the [`Rule`]s of a family are tried by rank, lowest first, and the first that holds
//! names the format. Ranks are spaced by ten so that a rule can be put between two others; a
//! format may have several rules at different ranks (SimpleCov's `.resultset.json` is known
//! early, its plain `coverage.json` only once the other formats have had their turn).
//!
//! Conventional locations are listed per kind in their rank's order (`temis gate --help` prints
//! them so, and discovery searches them so); a location's rank is its place in its kind's list,
//! checked at compile time to run from 0 without a gap.

use super::{Format, Kind, Parsed, Sniff};
use super::{
    axe, bandit, cargo_audit, clover, cobertura, coveragepy, criterion, gcovr_json, gitleaks, gobench, gocover,
    hyperfine, istanbul, jacoco, junit, k6, lcov, lhci, lighthouse, llvm_cov, npm_audit, osv, pa11y, pip_audit,
    pytest_benchmark, sarif, semgrep, simplecov, sonar_generic, tarpaulin, temis_report, trivy,
};
use super::{
    checkov, coverlet, ctrf, dart, depcheck, gotest, grype, jacoco_csv, mocha, nunit, opencover, rspec, snyk, tap, trx,
    xunit, zap,
};
use crate::input::Source;
use crate::model::{Rounding, Sink, Unit};
use crate::parsers::ParseError;

/// Reads a report. Coverage readers hand each file to `sink` and return
/// [`Parsed::Coverage`] with what they learned of the report as a whole; the others ignore the
/// sink and return their model.
pub type Reader = fn(&Source, &mut dyn Sink) -> Result<Parsed, ParseError>;

/// The syntax a report is written in, told by its first byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    Xml,
    Json,
    Text,
}

impl Family {
    /// The family of a report whose first byte past a BOM and blanks is `body[0]`.
    pub fn of(body: &[u8]) -> Family {
        match body.first() {
            Some(b'<') => Family::Xml,
            Some(b'{' | b'[') => Family::Json,
            _ => Family::Text,
        }
    }

    /// What the family's syntax is called in messages.
    pub fn syntax(self) -> &'static str {
        match self {
            Family::Xml => "XML",
            Family::Json => "JSON",
            Family::Text => "text",
        }
    }
}

/// Whether a report's first bytes are of a format.
pub type Holds = fn(&Sniff<'_>) -> bool;

/// One step of detection: within `family`, at `rank`, the format holds when `holds` says so.
#[derive(Clone, Copy)]
pub struct Rule {
    pub family: Family,
    pub rank: u16,
    pub holds: Holds,
}

/// A conventional location: `path` (relative to the repository root; globs allowed), who writes
/// it there, and its place in its kind's list.
#[derive(Clone, Copy, Debug)]
pub struct Location {
    pub rank: u8,
    pub path: &'static str,
    pub written_by: &'static str,
}

/// Everything about one format.
#[derive(Clone, Copy)]
pub struct Entry {
    pub format: Format,
    /// The name in JSON output and on the command line.
    pub name: &'static str,
    pub kind: Kind,
    /// Who writes it, for `temis formats`, `--help` and error messages.
    pub producers: &'static str,
    pub detect: &'static [Rule],
    pub read: Reader,
    pub locations: &'static [Location],
    /// How the producer rounds the percentages it prints.
    pub rounding: Rounding,
    /// What the producer's line figure counts (statements for Go and coverage.py).
    pub unit: Unit,
}

const fn xml(rank: u16, holds: Holds) -> Rule {
    Rule { family: Family::Xml, rank, holds }
}

const fn json(rank: u16, holds: Holds) -> Rule {
    Rule { family: Family::Json, rank, holds }
}

const fn text(rank: u16, holds: Holds) -> Rule {
    Rule { family: Family::Text, rank, holds }
}

const fn at(rank: u8, path: &'static str, written_by: &'static str) -> Location {
    Location { rank, path, written_by }
}

/// Every format, in [`Format`]'s order (which `temis formats` and `--input-format` list).
pub const FORMATS: &[Entry] = &[
    Entry {
        format: Format::Lcov,
        name: "lcov",
        kind: Kind::Coverage,
        producers: "lcov/geninfo, llvm-cov, cargo-llvm-cov, c8, nyc, jest, coverage.py",
        detect: &[text(30, |s| lcov::looks_like(s.body))],
        read: |s, sink| lcov::parse(s, sink).map(Parsed::Coverage),
        locations: &[
            at(2, "coverage.lcov", "coverage.py `coverage lcov`"),
            at(3, "lcov.info", "cargo llvm-cov --lcov --output-path lcov.info"),
            at(4, "target/lcov.info", "cargo llvm-cov --lcov --output-path target/lcov.info"),
            at(5, "coverage/lcov.info", "jest, nyc, c8, vitest (lcov reporter)"),
        ],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::Cobertura,
        name: "cobertura",
        kind: Kind::Coverage,
        producers: "coverage.py/pytest-cov, gcovr, Istanbul, coverlet, tarpaulin",
        detect: &[xml(20, |s| s.root_is("coverage"))],
        read: |s, sink| cobertura::parse(s, sink).map(Parsed::Coverage),
        locations: &[
            at(0, "coverage.xml", "pytest-cov / coverage.py (Cobertura)"),
            at(6, "coverage/cobertura-coverage.xml", "jest, nyc, c8, vitest (cobertura reporter)"),
            at(8, "cobertura.xml", "cargo tarpaulin --out Xml"),
        ],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::Jacoco,
        name: "jacoco",
        kind: Kind::Coverage,
        producers: "JaCoCo (Maven, Gradle, Ant)",
        detect: &[xml(30, |s| s.root_is("report"))],
        read: |s, sink| jacoco::parse(s, sink).map(Parsed::Coverage),
        locations: &[
            at(12, "target/site/jacoco/jacoco.xml", "JaCoCo via Maven"),
            at(13, "build/reports/jacoco/test/jacocoTestReport.xml", "JaCoCo via Gradle"),
        ],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::Clover,
        name: "clover",
        kind: Kind::Coverage,
        producers: "OpenClover, PHPUnit, Istanbul",
        detect: &[xml(10, |s| {
            s.root.as_ref().is_some_and(|r| {
                r.name == "coverage" && (r.attrs.contains("clover=") || r.next_child.as_deref() == Some("project"))
            })
        })],
        read: |s, sink| clover::parse(s, sink).map(Parsed::Coverage),
        locations: &[at(7, "coverage/clover.xml", "jest, nyc, c8, vitest, PHPUnit (clover reporter)")],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::CoveragepyJson,
        name: "coveragepy-json",
        kind: Kind::Coverage,
        producers: "coverage.py `coverage json`",
        detect: &[json(220, |s| s.has("\"meta\"") && (s.has("\"show_contexts\"") || s.has("\"branch_coverage\"")))],
        read: |s, sink| coveragepy::parse(s, sink).map(Parsed::Coverage),
        locations: &[at(1, "coverage.json", "coverage.py `coverage json`")],
        rounding: Rounding::Nearest,
        unit: Unit::Statements,
    },
    Entry {
        format: Format::IstanbulFinal,
        name: "istanbul-final",
        kind: Kind::Coverage,
        producers: "Istanbul coverage-final.json (jest, nyc, c8, vitest)",
        detect: &[json(200, |s| s.has("\"statementMap\""))],
        read: |s, sink| istanbul::parse_final(s, sink).map(Parsed::Coverage),
        locations: &[],
        rounding: Rounding::Floor,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::IstanbulSummary,
        name: "istanbul-summary",
        kind: Kind::Coverage,
        producers: "Istanbul coverage-summary.json (json-summary reporter)",
        detect: &[json(240, |s| s.has("\"total\"") && s.has("\"pct\""))],
        read: |s, sink| istanbul::parse_summary(s, sink).map(Parsed::Coverage),
        locations: &[],
        rounding: Rounding::Floor,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::LlvmCovJson,
        name: "llvm-cov-json",
        kind: Kind::Coverage,
        producers: "llvm-cov export, cargo llvm-cov --json",
        detect: &[json(100, |s| s.has("\"llvm.coverage.json.export\"") || llvm_cov::starts_like_export(s.body))],
        read: |s, sink| llvm_cov::parse(s, sink).map(Parsed::Coverage),
        locations: &[],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::TarpaulinJson,
        name: "tarpaulin-json",
        kind: Kind::Coverage,
        producers: "cargo-tarpaulin --out Json",
        detect: &[json(230, |s| tarpaulin::looks_like(s.body))],
        read: |s, sink| tarpaulin::parse(s, sink).map(Parsed::Coverage),
        locations: &[at(9, "tarpaulin-report.json", "cargo tarpaulin --out Json")],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::Gocover,
        name: "gocover",
        kind: Kind::Coverage,
        producers: "go test -coverprofile (set, count, atomic)",
        detect: &[text(20, |s| gocover::looks_like(s.body))],
        read: |s, sink| gocover::parse(s, sink).map(Parsed::Coverage),
        locations: &[
            at(10, "cover.out", "go test -coverprofile=cover.out"),
            at(11, "coverage.out", "go test -coverprofile=coverage.out"),
        ],
        rounding: Rounding::Nearest,
        unit: Unit::Statements,
    },
    Entry {
        format: Format::Simplecov,
        name: "simplecov",
        kind: Kind::Coverage,
        producers: "SimpleCov .resultset.json and coverage.json",
        detect: &[
            json(210, |s| s.has("\"simplecov_version\"") || simplecov::looks_like_resultset(s.body)),
            json(250, |s| s.has("\"coverage\"") && s.has("\"timestamp\"")),
        ],
        read: |s, sink| simplecov::parse(s, sink).map(Parsed::Coverage),
        locations: &[at(14, "coverage/.resultset.json", "SimpleCov")],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::SonarGenericCoverageXml,
        name: "sonar-generic-coverage-xml",
        kind: Kind::Coverage,
        producers: "SonarQube generic coverage XML (gcovr --sonarqube, slather, Go and Swift converters)",
        detect: &[xml(15, |s| s.root.as_ref().is_some_and(sonar_generic::looks_like))],
        read: |s, sink| sonar_generic::parse(s, sink).map(Parsed::Coverage),
        locations: &[],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::GcovrJson,
        name: "gcovr-json",
        kind: Kind::Coverage,
        producers: "gcovr --json",
        detect: &[json(102, |s| gcovr_json::looks_like(s.body))],
        read: |s, sink| gcovr_json::parse(s, sink).map(Parsed::Coverage),
        locations: &[],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::GcovrJsonSummary,
        name: "gcovr-json-summary",
        kind: Kind::Coverage,
        producers: "gcovr --json-summary",
        detect: &[json(104, |s| gcovr_json::looks_like_summary(s.body))],
        read: |s, sink| gcovr_json::parse_summary(s, sink).map(Parsed::Coverage),
        locations: &[],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::TemisReport,
        name: "temis-report",
        kind: Kind::Coverage,
        producers: "temis's own temis.report/v2 and v1 JSON (temis merge --output-format json, temis report --format json)",
        detect: &[json(6, |s| temis_report::looks_like(s.body))],
        read: |s, sink| temis_report::parse(s, sink).map(Parsed::Coverage),
        locations: &[],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::Junit,
        name: "junit",
        kind: Kind::Tests,
        producers: "JUnit XML test results (pytest, jest-junit, vitest, Surefire, Gradle, nextest, gotestsum…)",
        detect: &[xml(40, |s| s.root.as_ref().is_some_and(junit::looks_like_junit))],
        read: |s, _| junit::parse(s).map(Parsed::Tests),
        locations: &[
            at(0, "junit.xml", "pytest --junitxml=junit.xml, jest-junit, vitest, mocha-junit-reporter"),
            at(1, "report.xml", "gotestsum --junitfile report.xml, go-junit-report"),
            at(2, "test-results/junit.xml", "vitest / playwright outputFile"),
            at(3, "target/nextest/*/junit.xml", "cargo nextest (a profile with [profile.NAME.junit])"),
            at(4, "target/surefire-reports/TEST-*.xml", "Maven Surefire"),
            at(5, "build/test-results/test/TEST-*.xml", "Gradle"),
            at(21, "reports/TESTS-*.xml", "behave --junit"),
        ],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::Lighthouse,
        name: "lighthouse",
        kind: Kind::A11y,
        producers: "Lighthouse --output=json, Lighthouse CI .lighthouseci/lhr-*.json",
        detect: &[json(20, |s| lighthouse::looks_like(s.body))],
        read: |s, _| lighthouse::parse(s).map(Parsed::A11y),
        locations: &[
            at(
                0,
                ".lighthouseci/lhr-*.json",
                "Lighthouse CI (lhci collect; runs of a URL folded by [a11y] aggregation: median)",
            ),
            at(2, "lighthouse.json", "lighthouse URL --output=json --output-path=lighthouse.json"),
            at(3, "lighthouse-report.json", "lighthouse URL --output=json --output-path=lighthouse-report.json"),
        ],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::LhciManifest,
        name: "lhci-manifest",
        kind: Kind::A11y,
        producers: "Lighthouse CI manifest.json (lhci upload --target=filesystem) and the runs it lists",
        detect: &[json(10, |s| lhci::looks_like(s.body))],
        read: |s, _| lhci::parse(s).map(Parsed::A11y),
        locations: &[at(
            1,
            "lhci_reports/manifest.json",
            "lhci upload --target=filesystem --outputDir=lhci_reports (and the runs it lists)",
        )],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::AxeJson,
        name: "axe-json",
        kind: Kind::A11y,
        producers: "axe-core results (axe.run(), @axe-core/cli --save, playwright/puppeteer scripts)",
        detect: &[json(30, |s| axe::looks_like(s.body))],
        read: |s, _| axe::parse(s).map(Parsed::A11y),
        locations: &[
            at(4, "axe.json", "@axe-core/cli URL --save axe.json"),
            at(5, "axe-results.json", "axe-core results written by a test (playwright, puppeteer, cypress-axe)"),
        ],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::Pa11yJson,
        name: "pa11y-json",
        kind: Kind::A11y,
        producers: "pa11y --reporter json (htmlcs or axe runner)",
        detect: &[json(50, |s| pa11y::looks_like(s.body))],
        read: |s, _| pa11y::parse(s).map(Parsed::A11y),
        locations: &[at(6, "pa11y.json", "pa11y --reporter json URL > pa11y.json")],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::Pa11yCiJson,
        name: "pa11y-ci-json",
        kind: Kind::A11y,
        producers: "pa11y-ci --json",
        detect: &[json(40, |s| pa11y::looks_like_ci(s.body))],
        read: |s, _| pa11y::parse_ci(s).map(Parsed::A11y),
        locations: &[at(7, "pa11y-ci.json", "pa11y-ci --json > pa11y-ci.json")],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::HyperfineJson,
        name: "hyperfine-json",
        kind: Kind::Performance,
        producers: "hyperfine --export-json",
        detect: &[json(80, |s| hyperfine::looks_like(s.body))],
        read: |s, _| hyperfine::parse(s).map(Parsed::Bench),
        locations: &[
            at(1, "hyperfine.json", "hyperfine --export-json hyperfine.json"),
            // pytest-benchmark writes there too; detection tells them apart.
            at(2, "bench.json", "hyperfine --export-json bench.json, pytest --benchmark-json bench.json"),
        ],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::CriterionJson,
        name: "criterion-json",
        kind: Kind::Performance,
        producers: "criterion target/criterion/**/new/estimates.json (cargo bench)",
        detect: &[json(60, |s| criterion::looks_like(s.body))],
        read: |s, _| criterion::parse(s).map(Parsed::Bench),
        locations: &[at(0, "target/criterion/**/new/estimates.json", "cargo bench with criterion")],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::PytestBenchmarkJson,
        name: "pytest-benchmark-json",
        kind: Kind::Performance,
        producers: "pytest-benchmark --benchmark-json (and .benchmarks/ autosaves)",
        detect: &[json(70, |s| pytest_benchmark::looks_like(s.body))],
        read: |s, _| pytest_benchmark::parse(s).map(Parsed::Bench),
        locations: &[at(3, "benchmark.json", "pytest --benchmark-json benchmark.json")],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::Gobench,
        name: "gobench",
        kind: Kind::Performance,
        producers: "go test -bench text output (as benchstat reads it)",
        detect: &[text(10, |s| gobench::looks_like(s.body))],
        read: |s, _| gobench::parse(s).map(Parsed::Bench),
        locations: &[at(4, "bench.txt", "go test -bench . > bench.txt")],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::K6Json,
        name: "k6-json",
        kind: Kind::Performance,
        producers: "k6 run --summary-export, and handleSummary's data as JSON",
        detect: &[json(90, |s| k6::looks_like(s.body))],
        read: |s, _| k6::parse(s).map(Parsed::Bench),
        locations: &[at(5, "k6-summary.json", "k6 run --summary-export k6-summary.json")],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::Sarif,
        name: "sarif",
        kind: Kind::Security,
        producers: "SARIF 2.1.0 (CodeQL, Semgrep, bandit, Trivy, gitleaks, ESLint, clippy-sarif, Snyk, grype…)",
        detect: &[json(110, |s| {
            s.has("\"runs\"") && (s.has("sarif") || s.has("\"2.1.0\"") || (s.has("\"tool\"") && s.has("\"driver\"")))
        })],
        read: |s, _| sarif::parse(s).map(Parsed::Security),
        locations: &[at(
            0,
            "*.sarif",
            "SARIF logs at the root: CodeQL, semgrep --sarif-output, bandit -f sarif, trivy, gitleaks…",
        )],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::BanditJson,
        name: "bandit-json",
        kind: Kind::Security,
        producers: "bandit -f json",
        detect: &[json(120, |s| {
            s.has("\"generated_at\"") && s.has("\"metrics\"") && (s.has("\"results\"") || s.has("\"errors\""))
        })],
        read: |s, _| bandit::parse(s).map(Parsed::Security),
        locations: &[at(1, "bandit.json", "bandit -r . -f json -o bandit.json")],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::SemgrepJson,
        name: "semgrep-json",
        kind: Kind::Security,
        producers: "semgrep scan --json",
        detect: &[json(130, |s| {
            s.has("\"check_id\"")
                || (s.has("\"results\"") && (s.has("\"engine_requested\"") || s.has("\"skipped_rules\"")))
        })],
        read: |s, _| semgrep::parse(s).map(Parsed::Security),
        locations: &[at(2, "semgrep.json", "semgrep scan --json-output=semgrep.json")],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::NpmAuditJson,
        name: "npm-audit-json",
        kind: Kind::Security,
        producers: "npm audit --json (npm 7+ and npm 6)",
        detect: &[json(140, |s| {
            s.has("\"auditReportVersion\"")
                || (s.has("\"advisories\"") && (s.has("\"muted\"") || s.has("\"actions\"")))
                || npm_audit::looks_like_error(s)
        })],
        read: |s, _| npm_audit::parse(s).map(Parsed::Security),
        locations: &[at(3, "npm-audit.json", "npm audit --json > npm-audit.json")],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::PipAuditJson,
        name: "pip-audit-json",
        kind: Kind::Security,
        producers: "pip-audit -f json",
        detect: &[json(190, |s| {
            s.has("\"skip_reason\"") || s.has("\"vulns\"") || (s.has("\"dependencies\"") && s.has("\"fixes\""))
        })],
        read: |s, _| pip_audit::parse(s).map(Parsed::Security),
        locations: &[at(4, "pip-audit.json", "pip-audit -f json -o pip-audit.json")],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::CargoAuditJson,
        name: "cargo-audit-json",
        kind: Kind::Security,
        producers: "cargo audit --json",
        detect: &[json(150, |s| {
            s.has("\"advisory-count\"") || (s.has("\"lockfile\"") && s.has("\"dependency-count\""))
        })],
        read: |s, _| cargo_audit::parse(s).map(Parsed::Security),
        locations: &[at(5, "cargo-audit.json", "cargo audit --json > cargo-audit.json")],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::TrivyJson,
        name: "trivy-json",
        kind: Kind::Security,
        producers: "trivy fs|image|config --format json",
        detect: &[json(160, |s| s.has("\"SchemaVersion\"") && (s.has("\"Results\"") || s.has("\"ArtifactName\"")))],
        read: |s, _| trivy::parse(s).map(Parsed::Security),
        locations: &[at(6, "trivy.json", "trivy fs --format json -o trivy.json .")],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::GitleaksJson,
        name: "gitleaks-json",
        kind: Kind::Security,
        producers: "gitleaks detect|git|dir --report-format json (v7 and v8)",
        detect: &[json(170, |s| s.is_array() && (s.has("\"RuleID\"") || (s.has("\"offender\"") && s.has("\"rule\""))))],
        read: |s, _| gitleaks::parse(s).map(Parsed::Security),
        locations: &[at(
            7,
            "gitleaks-report.json",
            "gitleaks detect --report-format json --report-path gitleaks-report.json",
        )],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::OsvJson,
        name: "osv-json",
        kind: Kind::Security,
        producers: "osv-scanner --format json",
        detect: &[json(180, |s| {
            s.has("\"results\"") && s.has("\"packages\"") && (s.has("\"source\"") || s.has("\"experimental_config\""))
        })],
        read: |s, _| osv::parse(s).map(Parsed::Security),
        locations: &[at(8, "osv-scanner.json", "osv-scanner --format json --output osv-scanner.json .")],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::Trx,
        name: "trx",
        kind: Kind::Tests,
        producers: "VSTest/MSTest TRX (dotnet test --logger trx, vstest.console, MSTest; NUnit and xUnit adapters)",
        detect: &[xml(50, |s| s.root_is("TestRun"))],
        read: |s, _| trx::parse(s).map(Parsed::Tests),
        locations: &[
            at(6, "TestResults/*.trx", "dotnet test --logger trx (in the test project's TestResults/)"),
            at(7, "*/TestResults/*.trx", "dotnet test --logger trx, one test project down"),
            at(8, "*/*/TestResults/*.trx", "dotnet test --logger trx, two folders down (tests/Project.Tests/)"),
        ],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::Nunit3Xml,
        name: "nunit3-xml",
        kind: Kind::Tests,
        producers: "NUnit 3 XML (nunit3-console, the NUnit engine, NunitXml.TestLogger)",
        detect: &[xml(60, |s| s.root_is("test-run"))],
        read: |s, _| nunit::parse_v3(s).map(Parsed::Tests),
        locations: &[at(9, "TestResult.xml", "nunit3-console (TestResult.xml in the working folder)")],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::Nunit2Xml,
        name: "nunit2-xml",
        kind: Kind::Tests,
        producers: "NUnit 2 XML (nunit-console 2.x and the tools that write its format)",
        detect: &[xml(70, |s| s.root_is("test-results"))],
        read: |s, _| nunit::parse_v2(s).map(Parsed::Tests),
        locations: &[],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::Xunit2Xml,
        name: "xunit2-xml",
        kind: Kind::Tests,
        producers: "xUnit.net v2 XML (xunit.console -xml, XunitXml.TestLogger)",
        detect: &[xml(80, |s| s.root_is("assemblies") || s.root_is("assembly"))],
        read: |s, _| xunit::parse(s).map(Parsed::Tests),
        locations: &[at(10, "TestResults/*.xml", "dotnet test --logger xunit, --logger nunit (TestResults/)")],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::GoTestJson,
        name: "go-test-json",
        kind: Kind::Tests,
        producers: "go test -json, go tool test2json, gotestsum --jsonfile",
        detect: &[json(1, |s| gotest_like(s.body)), text(45, |s| gotest::looks_like_text(s.body))],
        read: |s, _| gotest::parse(s).map(Parsed::Tests),
        locations: &[
            at(11, "go-test.json", "go test -json ./... > go-test.json"),
            at(12, "gotestsum.json", "gotestsum --jsonfile gotestsum.json"),
        ],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::MochaJson,
        name: "mocha-json",
        kind: Kind::Tests,
        producers: "mocha --reporter json",
        detect: &[json(3, |s| {
            s.has("\"stats\"") && s.has("\"passes\"") && s.has("\"failures\"") && s.has("\"pending\"")
        })],
        read: |s, _| mocha::parse(s).map(Parsed::Tests),
        locations: &[at(
            13,
            "mocha.json",
            "mocha --reporter json > mocha.json (or --reporter-option output=mocha.json)",
        )],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::RspecJson,
        name: "rspec-json",
        kind: Kind::Tests,
        producers: "rspec --format json",
        detect: &[json(4, |s| s.has("\"examples\"") && (s.has("\"full_description\"") || s.has("\"example_count\"")))],
        read: |s, _| rspec::parse(s).map(Parsed::Tests),
        locations: &[
            at(14, "rspec.json", "rspec --format json --out rspec.json"),
            at(15, "tmp/rspec.json", "rspec --format json --out tmp/rspec.json"),
        ],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::DartJson,
        name: "dart-json",
        kind: Kind::Tests,
        producers: "dart test --reporter json, flutter test --machine",
        detect: &[json(2, |s| {
            let first = s.body.split(|&b| b == b'\n').next().unwrap_or(b"");
            let has = |k: &[u8]| memchr::memmem::find(first, k).is_some();
            has(b"\"protocolVersion\"") || (has(b"\"type\"") && (has(b"\"testStart\"") || has(b"\"allSuites\"")))
        })],
        read: |s, _| dart::parse(s).map(Parsed::Tests),
        locations: &[
            at(16, "dart-test.json", "dart test --reporter json > dart-test.json"),
            at(17, "flutter-test.json", "flutter test --machine > flutter-test.json"),
        ],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::CtrfJson,
        name: "ctrf-json",
        kind: Kind::Tests,
        producers: "CTRF reporters (jest, playwright, cypress, mocha, vitest, WebdriverIO, go, pytest…)",
        detect: &[json(5, |s| {
            s.has("\"CTRF\"")
                || (s.has("\"results\"")
                    && s.has("\"tool\"")
                    && s.has("\"summary\"")
                    && s.has("\"tests\"")
                    && !s.has("\"runs\""))
        })],
        read: |s, _| ctrf::parse(s).map(Parsed::Tests),
        locations: &[
            at(18, "ctrf/ctrf-report.json", "the CTRF reporters' default output"),
            at(19, "ctrf-report.json", "a CTRF reporter with outputDir ."),
        ],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::Tap,
        name: "tap",
        kind: Kind::Tests,
        producers: "TAP 12/13/14 (tape, node-tap, node --test --test-reporter=tap, prove, bats)",
        detect: &[text(40, |s| tap::looks_like(s.body))],
        read: |s, _| tap::parse(s).map(Parsed::Tests),
        locations: &[at(20, "*.tap", "tape/node-tap/prove output redirected to a .tap file at the root")],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::OpencoverXml,
        name: "opencover-xml",
        kind: Kind::Coverage,
        producers: "OpenCover, coverlet (opencover format), dotnet-coverage, AltCover",
        detect: &[xml(90, |s| s.root_is("CoverageSession"))],
        read: |s, sink| opencover::parse(s, sink).map(Parsed::Coverage),
        locations: &[
            at(15, "coverage.opencover.xml", "coverlet /p:CoverletOutputFormat=opencover"),
            at(
                16,
                "TestResults/*/coverage.opencover.xml",
                "dotnet test --collect \"XPlat Code Coverage\" (Format=opencover)",
            ),
        ],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::CoverletJson,
        name: "coverlet-json",
        kind: Kind::Coverage,
        producers: "coverlet's native JSON (dotnet test /p:CollectCoverage=true, coverlet --format json)",
        detect: &[json(235, |s| coverlet::looks_like(s.body))],
        read: |s, sink| coverlet::parse(s, sink).map(Parsed::Coverage),
        // coverlet writes coverage.json, already searched for coverage.py: detection tells them apart.
        locations: &[],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::JacocoCsv,
        name: "jacoco-csv",
        kind: Kind::Coverage,
        producers: "JaCoCo CSV (jacoco:report, Gradle csv.required, jacococli report --csv)",
        detect: &[text(35, |s| jacoco_csv::looks_like(s.body))],
        read: |s, sink| jacoco_csv::parse(s, sink).map(Parsed::Coverage),
        // Maven writes jacoco.csv beside jacoco.xml: only the XML is searched, never both.
        locations: &[],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::ZapJson,
        name: "zap-json",
        kind: Kind::Security,
        producers: "OWASP ZAP JSON report (zap-baseline.py -J, zap-full-scan.py -J, traditional-json)",
        detect: &[json(175, |s| {
            s.has("\"site\"")
                && s.has("\"alerts\"")
                && (s.has("\"@version\"") || s.has("\"@programName\"") || s.has("\"riskcode\""))
        })],
        read: |s, _| zap::parse(s).map(Parsed::Security),
        locations: &[
            at(9, "report_json.json", "zap-baseline.py / zap-full-scan.py -J report_json.json"),
            at(10, "zap.json", "zap-baseline.py -J zap.json"),
        ],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::GrypeJson,
        name: "grype-json",
        kind: Kind::Security,
        producers: "grype -o json",
        detect: &[json(165, |s| {
            s.has("\"matches\"")
                && (s.has("\"grype\"") || s.has("\"matchDetails\"") || (s.has("\"source\"") && s.has("\"distro\"")))
        })],
        read: |s, _| grype::parse(s).map(Parsed::Security),
        locations: &[at(11, "grype.json", "grype . -o json --file grype.json")],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::SnykJson,
        name: "snyk-json",
        kind: Kind::Security,
        producers: "snyk test --json (one project, or the --all-projects array)",
        detect: &[json(185, |s| {
            s.has("\"vulnerabilities\"")
                && (s.has("\"dependencyCount\"")
                    || s.has("\"packageManager\"")
                    || s.has("\"uniqueCount\"")
                    || s.has("SNYK-"))
        })],
        read: |s, _| snyk::parse(s).map(Parsed::Security),
        locations: &[at(12, "snyk.json", "snyk test --json > snyk.json (or --json-file-output=snyk.json)")],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::CheckovJson,
        name: "checkov-json",
        kind: Kind::Security,
        producers: "checkov -o json (one framework, or a list of them)",
        detect: &[json(125, |s| {
            s.has("\"check_type\"")
                || s.has("\"checkov_version\"")
                || (s.has("\"failed_checks\"") && s.has("\"passed_checks\""))
        })],
        read: |s, _| checkov::parse(s).map(Parsed::Security),
        locations: &[at(13, "results_json.json", "checkov -d . -o json --output-file-path . (results_json.json)")],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
    Entry {
        format: Format::DependencyCheckJson,
        name: "dependency-check-json",
        kind: Kind::Security,
        producers: "OWASP Dependency-Check --format JSON (CLI, Maven, Gradle)",
        detect: &[json(145, |s| s.has("\"reportSchema\"") || (s.has("\"scanInfo\"") && s.has("\"dependencies\"")))],
        read: |s, _| depcheck::parse(s).map(Parsed::Security),
        locations: &[
            at(14, "dependency-check-report.json", "dependency-check --format JSON --out ."),
            at(15, "target/dependency-check-report.json", "dependency-check-maven (format JSON)"),
            at(16, "build/reports/dependency-check-report.json", "dependency-check-gradle (format JSON)"),
        ],
        rounding: Rounding::Nearest,
        unit: Unit::Lines,
    },
];

/// The first line of a `go test -json` stream: an event with `Action` and `Package` (or Go
/// 1.24's `ImportPath`) — or, from `go tool test2json` without `-p`, which names no package: its
/// first lines (up to 3) each an object whose `Action` is one of go test's words, one of them
/// with a `Test` or an `Output`.
fn gotest_like(body: &[u8]) -> bool {
    let first = body.split(|&b| b == b'\n').next().unwrap_or(b"");
    let has = |line: &[u8], k: &[u8]| memchr::memmem::find(line, k).is_some();
    if has(first, b"\"Action\"") && (has(first, b"\"Package\"") || has(first, b"\"ImportPath\"")) {
        return true;
    }
    const ACTIONS: [&[u8]; 9] = [
        b"\"Action\":\"start\"",
        b"\"Action\":\"run\"",
        b"\"Action\":\"pause\"",
        b"\"Action\":\"cont\"",
        b"\"Action\":\"pass\"",
        b"\"Action\":\"bench\"",
        b"\"Action\":\"fail\"",
        b"\"Action\":\"output\"",
        b"\"Action\":\"skip\"",
    ];
    let lines: Vec<&[u8]> =
        body.split(|&b| b == b'\n').map(<[u8]>::trim_ascii).filter(|l| !l.is_empty()).take(3).collect();
    !lines.is_empty()
        && lines.iter().all(|l| l.starts_with(b"{") && ACTIONS.iter().any(|a| has(l, a)))
        && lines.iter().any(|l| has(l, b"\"Test\"") || has(l, b"\"Output\""))
}

// Each entry stands at its format's place.
const _: () = {
    let mut i = 0;
    while i < FORMATS.len() {
        assert!(FORMATS[i].format as usize == i, "FORMATS must list the formats in Format's order");
        i += 1;
    }
};

/// How many conventional locations formats of `kind` have.
pub const fn location_count(kind: Kind) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < FORMATS.len() {
        if FORMATS[i].kind as u8 == kind as u8 {
            n += FORMATS[i].locations.len();
        }
        i += 1;
    }
    n
}

/// The conventional locations of `kind` (`N` of them: [`location_count`]), as (path, who writes
/// it), in rank order. A rank missing or given twice stops the build.
pub const fn locations<const N: usize>(kind: Kind) -> [(&'static str, &'static str); N] {
    let mut out = [("", ""); N];
    let mut rank = 0;
    while rank < N {
        let mut found = 0;
        let mut i = 0;
        while i < FORMATS.len() {
            let e = &FORMATS[i];
            let mut j = 0;
            while j < e.locations.len() {
                let l = &e.locations[j];
                if e.kind as u8 == kind as u8 && l.rank as usize == rank {
                    out[rank] = (l.path, l.written_by);
                    found += 1;
                }
                j += 1;
            }
            i += 1;
        }
        assert!(found == 1, "each rank of a kind's locations is given once, from 0 without a gap");
        rank += 1;
    }
    out
}

/// The detection rules of `family`, by rank.
/// The one format whose producers write a file of this name at a conventional location
/// (`pa11y.json`, `gitleaks-report.json`, `TEST-x.xml` for `TEST-*.xml`), if only one does.
pub fn named(file_name: &str) -> Option<Format> {
    let mut found: Option<Format> = None;
    for e in FORMATS.iter() {
        let fits = e.locations.iter().any(|l| {
            let last = l.path.rsplit('/').next().unwrap_or(l.path);
            match last.split_once('*') {
                Some((head, tail)) => {
                    file_name.len() >= head.len() + tail.len()
                        && file_name.starts_with(head)
                        && file_name.ends_with(tail)
                }
                None => last == file_name,
            }
        });
        match (fits, found) {
            (false, _) => {}
            (true, None) => found = Some(e.format),
            (true, Some(f)) if f == e.format => {}
            (true, Some(_)) => return None,
        }
    }
    found
}

pub fn rules(family: Family) -> Vec<(u16, Format, Holds)> {
    let mut rules: Vec<_> = FORMATS
        .iter()
        .flat_map(|e| e.detect.iter().filter(move |r| r.family == family).map(move |r| (r.rank, e.format, r.holds)))
        .collect();
    rules.sort_by_key(|r| r.0);
    rules
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_are_unique_within_a_family() {
        for family in [Family::Xml, Family::Json, Family::Text] {
            let ranks: Vec<u16> = rules(family).iter().map(|r| r.0).collect();
            let mut unique = ranks.clone();
            unique.dedup();
            assert_eq!(ranks, unique, "{family:?}");
        }
    }

    #[test]
    fn every_format_has_its_entry() {
        use clap::ValueEnum;
        assert_eq!(FORMATS.len(), Format::value_variants().len());
        assert!(Format::all().eq(Format::value_variants().iter().copied()));
    }

    #[test]
    fn names_agree_with_the_command_line_and_json() {
        use clap::ValueEnum;
        for e in FORMATS {
            let value = e.format.to_possible_value().unwrap();
            assert_eq!(value.get_name(), e.name);
            assert_eq!(serde_json::to_value(e.format).unwrap(), e.name);
        }
    }
}
