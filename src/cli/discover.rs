//! Where reports are found when the command line names none: the policy's `[reports]` paths and
//! globs, else the conventional locations of the common producers.

use std::path::{Path, PathBuf};

/// Conventional coverage report locations, relative to the repository root, with who writes them.
pub const COVERAGE_LOCATIONS: &[(&str, &str)] = &[
    ("coverage.xml", "pytest-cov / coverage.py (Cobertura)"),
    ("coverage.json", "coverage.py `coverage json`"),
    ("coverage.lcov", "coverage.py `coverage lcov`"),
    ("lcov.info", "cargo llvm-cov --lcov --output-path lcov.info"),
    ("target/lcov.info", "cargo llvm-cov --lcov --output-path target/lcov.info"),
    ("coverage/lcov.info", "jest, nyc, c8, vitest (lcov reporter)"),
    ("coverage/cobertura-coverage.xml", "jest, nyc, c8, vitest (cobertura reporter)"),
    ("coverage/clover.xml", "jest, nyc, c8, vitest, PHPUnit (clover reporter)"),
    ("cobertura.xml", "cargo tarpaulin --out Xml"),
    ("tarpaulin-report.json", "cargo tarpaulin --out Json"),
    ("cover.out", "go test -coverprofile=cover.out"),
    ("coverage.out", "go test -coverprofile=coverage.out"),
    ("target/site/jacoco/jacoco.xml", "JaCoCo via Maven"),
    ("build/reports/jacoco/test/jacocoTestReport.xml", "JaCoCo via Gradle"),
    ("coverage/.resultset.json", "SimpleCov"),
];

/// Conventional test report locations (JUnit XML); globs allowed.
pub const TEST_LOCATIONS: &[(&str, &str)] = &[
    ("junit.xml", "pytest --junitxml=junit.xml, jest-junit, vitest, mocha-junit-reporter"),
    ("report.xml", "gotestsum --junitfile report.xml, go-junit-report"),
    ("test-results/junit.xml", "vitest / playwright outputFile"),
    ("target/nextest/*/junit.xml", "cargo nextest (a profile with [profile.NAME.junit])"),
    ("target/surefire-reports/TEST-*.xml", "Maven Surefire"),
    ("build/test-results/test/TEST-*.xml", "Gradle"),
];

/// Conventional accessibility report locations; globs allowed.
pub const A11Y_LOCATIONS: &[(&str, &str)] = &[
    (".lighthouseci/lhr-*.json", "Lighthouse CI (lhci collect; runs of a URL folded by [a11y] aggregation: median)"),
    ("lhci_reports/manifest.json", "lhci upload --target=filesystem --outputDir=lhci_reports (and the runs it lists)"),
    ("lighthouse.json", "lighthouse URL --output=json --output-path=lighthouse.json"),
    ("lighthouse-report.json", "lighthouse URL --output=json --output-path=lighthouse-report.json"),
    ("axe.json", "@axe-core/cli URL --save axe.json"),
    ("axe-results.json", "axe-core results written by a test (playwright, puppeteer, cypress-axe)"),
    ("pa11y.json", "pa11y --reporter json URL > pa11y.json"),
    ("pa11y-ci.json", "pa11y-ci --json > pa11y-ci.json"),
];

/// Conventional benchmark report locations; globs allowed (`**` crosses directories).
pub const PERFORMANCE_LOCATIONS: &[(&str, &str)] = &[
    ("target/criterion/**/new/estimates.json", "cargo bench with criterion"),
    ("hyperfine.json", "hyperfine --export-json hyperfine.json"),
    ("bench.json", "hyperfine --export-json bench.json, pytest --benchmark-json bench.json"),
    ("benchmark.json", "pytest --benchmark-json benchmark.json"),
    ("bench.txt", "go test -bench . > bench.txt"),
    ("k6-summary.json", "k6 run --summary-export k6-summary.json"),
];
// --- security (helper-security) ---

/// Conventional security report locations; globs allowed.
pub const SECURITY_LOCATIONS: &[(&str, &str)] = &[
    ("*.sarif", "SARIF logs at the root: CodeQL, semgrep --sarif-output, bandit -f sarif, trivy, gitleaks…"),
    ("bandit.json", "bandit -r . -f json -o bandit.json"),
    ("semgrep.json", "semgrep scan --json-output=semgrep.json"),
    ("npm-audit.json", "npm audit --json > npm-audit.json"),
    ("pip-audit.json", "pip-audit -f json -o pip-audit.json"),
    ("cargo-audit.json", "cargo audit --json > cargo-audit.json"),
    ("trivy.json", "trivy fs --format json -o trivy.json ."),
    ("gitleaks-report.json", "gitleaks detect --report-format json --report-path gitleaks-report.json"),
    ("osv-scanner.json", "osv-scanner --format json --output osv-scanner.json ."),
];

/// Whether a discovered security report is temis's own output (`temis gate --format sarif >
/// temis.sarif`), which must not be judged as a scan.
pub fn is_own_output(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("temis"))
}

// --- end security ---

/// The files matching `patterns` (paths or globs, relative to `root`), in order, without
/// duplicates; and the patterns as shown to the user.
pub fn find(root: &Path, patterns: &[&str]) -> (Vec<PathBuf>, Vec<String>) {
    let mut found: Vec<PathBuf> = Vec::new();
    let mut shown = Vec::new();
    for pat in patterns {
        shown.push((*pat).to_string());
        let full = root.join(pat);
        let text = full.to_string_lossy();
        if pat.contains(['*', '?', '[']) {
            if let Ok(paths) = glob::glob(&text) {
                let mut matched: Vec<PathBuf> = paths.flatten().filter(|p| p.is_file()).collect();
                matched.sort();
                for p in matched {
                    if !found.contains(&p) {
                        found.push(p);
                    }
                }
            }
        } else if full.is_file() && !found.contains(&full) {
            found.push(full);
        }
    }
    (found, shown)
}

/// The conventional locations by kind, for `--help` (README has who writes each).
pub fn help_list() -> String {
    let mut s =
        String::from("Conventional locations, relative to the repository root (README says who writes each):\n");
    for (kind, list) in [
        ("coverage", COVERAGE_LOCATIONS),
        ("tests", TEST_LOCATIONS),
        ("accessibility", A11Y_LOCATIONS),
        ("benchmarks", PERFORMANCE_LOCATIONS),
    ] {
        let paths: Vec<&str> = list.iter().map(|(p, _)| *p).collect();
        s.push_str(&format!("  {kind}: {}\n", paths.join(", ")));
    }
    s.push_str("Conventional security report locations:\n");
    for (p, who) in SECURITY_LOCATIONS {
        s.push_str(&format!("  {p:<48} {who}\n"));
    }
    s
}
