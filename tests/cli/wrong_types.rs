//! A value the verdict depends on, of the wrong JSON type, is an error naming the file and the
//! field (exit 2), never an empty list that reads as a clean scan. Each report here gave a clean
//! reading (exit 0, no finding, no violation, or a benchmark within budget) before.

use crate::support::temis_in;

/// `temis report NAME` on `text` written to NAME: the exit code and stderr.
fn report(name: &str, text: &str) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), text).unwrap();
    let r = temis_in(dir.path(), &["report", name]);
    (r.code, r.stderr)
}

/// The report must be refused, naming `name` and `field` (its path in the document).
fn refused(name: &str, text: &str, field: &str) {
    let (code, err) = report(name, text);
    assert_eq!(code, 2, "{name} was read: {err}");
    assert!(err.starts_with(&format!("error: {name}:")), "{err}");
    assert!(err.contains(field), "{field} not named: {err}");
}

const BANDIT: &str =
    r#"{"generated_at": "2026-01-01T00:00:00Z", "metrics": {"_totals": {}}, "errors": [], "results": RESULTS}"#;

#[test]
fn bandit_results_that_are_not_a_list_of_findings() {
    refused("bandit.json", &BANDIT.replace("RESULTS", r#""x""#), "1:97: `results`: invalid type: string \"x\"");
    let nested = r#"[[{"test_id": "B105", "issue_severity": "HIGH"}]]"#;
    refused("bandit.json", &BANDIT.replace("RESULTS", nested), "`results[0]`: invalid type: sequence");
    // The producer's own clean run still reads.
    assert_eq!(report("bandit.json", &BANDIT.replace("RESULTS", "[]")).0, 0);
}

#[test]
fn semgrep_results_of_the_wrong_type() {
    let doc = r#"{"version": "1.90.0", "results": {}, "errors": [], "skipped_rules": []}"#;
    refused("semgrep.json", doc, "`results`: invalid type: map");
}

#[test]
fn trivy_results_and_vulnerabilities_of_the_wrong_type() {
    let doc = r#"{"SchemaVersion": 2, "ArtifactName": ".", "Results": "…"}"#;
    refused("trivy.json", doc, "`Results`: invalid type: string");
    let doc = r#"{"SchemaVersion": 2, "ArtifactName": ".", "Results": [{"Target": "go.sum", "Vulnerabilities": "x"}]}"#;
    refused("trivy.json", doc, "`Results[0].Vulnerabilities`: invalid type: string \"x\"");
    let null =
        r#"{"SchemaVersion": 2, "ArtifactName": ".", "Results": [{"Target": "go.sum", "Vulnerabilities": null}]}"#;
    assert_eq!(report("trivy.json", null).0, 0, "null is Trivy's own \"none\"");
}

#[test]
fn osv_vulnerabilities_and_results_of_the_wrong_type() {
    let doc = r#"{"results": [{"source": {"path": "go.mod", "type": "lockfile"}, "packages": [{"package": {"name": "x"}, "vulnerabilities": "x"}]}]}"#;
    refused("osv-scanner.json", doc, "`results[0].packages[0].vulnerabilities`: invalid type: string");
    let doc = r#"{"results": {"source": 1}, "experimental_config": {}, "packages": []}"#;
    refused("osv-scanner.json", doc, "`results`: invalid type: map");
}

#[test]
fn sarif_results_of_the_wrong_type() {
    let doc = r#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": "none"}]}"#;
    refused("scan.sarif", doc, "`runs[0].results`: invalid type: string");
}

#[test]
fn pa11y_issues_in_a_nested_list() {
    let doc = r#"[[{"code": "WCAG2AA.Principle1.Guideline1_1.1_1_1.H37", "type": "error", "typeCode": 1, "message": "Img element missing an alt attribute.", "selector": "img"}]]"#;
    refused("pa11y.json", doc, "`[0]`: invalid type: sequence");
}

#[test]
fn axe_violations_and_hyperfine_results_in_a_nested_list() {
    let axe = r#"{"url": "http://x/", "violations": [[{"id": "image-alt", "impact": "critical", "tags": ["wcag2a"], "nodes": [{"target": ["img"]}]}]],
      "incomplete": [], "inapplicable": [], "passes": []}"#;
    refused("axe.json", axe, "`violations[0]`: invalid type: sequence");
    let hyperfine = r#"{"results": [["sleep 0.1", 0.1, 0.01, 0.1, 0.1, 0.1, [0.1]]], "command": "", "stddev": 0}"#;
    refused("hyperfine.json", hyperfine, "`results[0]`: invalid type: sequence");
}

#[test]
fn a_failing_lighthouse_audit_whose_mode_is_not_a_string() {
    let doc = r#"{"lighthouseVersion": "12.6.1", "requestedUrl": "http://x/", "finalDisplayedUrl": "http://x/",
      "audits": {"image-alt": {"score": 0, "scoreDisplayMode": 7, "title": "Image elements do not have [alt]"}},
      "categories": {"accessibility": {"score": 1, "auditRefs": [{"id": "image-alt", "weight": 10}]}}}"#;
    refused("lighthouse.json", doc, "`audits.image-alt.scoreDisplayMode`: invalid type: integer `7`");
}

#[test]
fn benchmark_statistics_that_contradict_one_another() {
    let hyperfine = r#"{"results": [{"command": "sleep 0.1", "mean": 0.5, "stddev": 0.01, "median": 0.1, "min": 0.1, "max": 0.2, "times": [0.1, 0.2]}]}"#;
    refused(
        "hyperfine.json",
        hyperfine,
        "`results[0]` (\"sleep 0.1\"): its mean 500 ms is outside [min 100 ms, max 200 ms]",
    );
    let pytest = r#"{"machine_info": {}, "benchmarks": [{"name": "test_x", "stats": {"min": 0.3, "max": 0.1, "mean": 0.2, "median": 0.2, "stddev": 0.0, "rounds": 5}}]}"#;
    refused("benchmark.json", pytest, "`benchmarks[0].stats` (\"test_x\"): its min 300 ms is above its max 100 ms");
    let none = r#"{"results": [{"command": "./app", "mean": 0.001, "median": 0.001, "times": []}]}"#;
    refused("hyperfine.json", none, "`results[0]` (\"./app\"): its mean is 1 ms over 0 samples");
    let rounds = r#"{"machine_info": {}, "benchmarks": [{"name": "test_x", "stats": {"mean": 0.2, "rounds": 0}}]}"#;
    refused("benchmark.json", rounds, "`benchmarks[0].stats` (\"test_x\"): its mean is 200 ms over 0 samples");
    let k6 = r#"{"metrics": {"http_req_duration": {"avg": 900, "med": 5, "min": 1, "max": 10, "p(90)": 8, "p(95)": 9}}, "root_group": {}}"#;
    refused("k6-summary.json", k6, "`metrics.http_req_duration`");
    let dir = tempfile::tempdir().unwrap();
    let at = dir.path().join("target/criterion/parse/new");
    std::fs::create_dir_all(&at).unwrap();
    let estimate = |point: f64| {
        format!(
            r#"{{"confidence_interval": {{"confidence_level": 0.95, "lower_bound": 10.0, "upper_bound": 12.0}}, "point_estimate": {point}, "standard_error": 0.5}}"#
        )
    };
    let doc = format!(r#"{{"mean": {}, "median": {}, "std_dev": {}}}"#, estimate(50.0), estimate(11.0), estimate(1.0));
    std::fs::write(at.join("estimates.json"), doc).unwrap();
    let r = temis_in(dir.path(), &["report", "target/criterion/parse/new/estimates.json"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("`mean` (\"parse\"): its point estimate 50 is outside its confidence interval"),
        "{}",
        r.stderr
    );
}

/// A key the verdict depends on given twice is an error naming it, never the last one winning
/// (each first value below blocks, or makes the scan or the run a failed one; the second is clean).
#[test]
fn a_key_given_twice_is_refused_by_name() {
    let pip = r#"{"dependencies": [{"name": "jinja2", "version": "2.4", "vulns": [{"id": "PYSEC-1"}]}], "dependencies": [], "fixes": []}"#;
    refused("pip-audit.json", pip, "1:102: duplicate field `dependencies`");
    let trivy = r#"{"SchemaVersion": 2, "Results": [{"Target": "go.sum", "Vulnerabilities": [{"VulnerabilityID": "CVE-1", "Severity": "CRITICAL"}]}], "Results": []}"#;
    refused("trivy.json", trivy, "duplicate field `Results`");
    let bandit = BANDIT
        .replace(r#""_totals": {}"#, r#""_totals": {"nosec": 2}, "_totals": {"nosec": 0}"#)
        .replace("RESULTS", "[]");
    refused("bandit.json", &bandit, "`metrics`: duplicate field `_totals`");
    let sarif = r#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "invocations": [{"executionSuccessful": false}], "invocations": [{"executionSuccessful": true}], "results": []}]}"#;
    refused("scan.sarif", sarif, "`runs[0]`: duplicate field `invocations`");
    let mocha = r#"{"stats": {"suites": 1, "tests": 1, "passes": 0, "pending": 0, "failures": 1}, "stats": {"suites": 1, "tests": 1, "passes": 1, "pending": 0, "failures": 0}, "passes": [{"title": "t", "fullTitle": "t"}], "failures": [], "pending": []}"#;
    refused("mocha.json", mocha, "duplicate field `stats`");
    let rspec = r#"{"version": "3.13.0", "examples": [], "summary": {"example_count": 1, "failure_count": 1, "pending_count": 0, "errors_outside_of_examples_count": 0}, "summary": {"example_count": 0, "failure_count": 0, "pending_count": 0, "errors_outside_of_examples_count": 0}}"#;
    refused("rspec.json", rspec, "duplicate field `summary`");
    let ctrf = r#"{"results": {"tool": {"name": "jest"}, "summary": {"tests": 1, "passed": 0, "failed": 1, "pending": 0, "skipped": 0, "other": 0, "start": 0, "stop": 1}, "summary": {"tests": 0, "passed": 0, "failed": 0, "pending": 0, "skipped": 0, "other": 0, "start": 0, "stop": 1}, "tests": []}}"#;
    refused("ctrf.json", ctrf, "duplicate field `summary`");
}

/// A producer's stated count that contradicts its list is refused, naming both: each report
/// below read as a clean scan before (its list empty or missing).
#[test]
fn stated_counts_that_contradict_the_list_are_refused() {
    let cargo = r#"{"database": {"advisory-count": 1}, "lockfile": {"dependency-count": 16}, "vulnerabilities": VULNS, "warnings": {}}"#;
    let four = cargo.replace("VULNS", r#"{"found": true, "count": 4, "list": []}"#);
    refused("audit.json", &four, "`vulnerabilities.count` is 4 but `vulnerabilities.list` holds 0");
    let found = cargo.replace("VULNS", r#"{"found": true, "count": 0, "list": []}"#);
    refused("audit.json", &found, "`vulnerabilities.found` is true but `vulnerabilities.list` holds 0");
    let no_list = cargo.replace("VULNS", r#"{"found": true, "count": 4}"#);
    refused("audit.json", &no_list, "`vulnerabilities.list` is missing");
    assert_eq!(report("audit.json", &cargo.replace("VULNS", r#"{"found": false, "count": 0, "list": []}"#)).0, 0);
    let npm = r#"{"auditReportVersion": 2, "vulnerabilities": {}, "metadata": {"vulnerabilities": {"info": 0, "low": 0, "moderate": 0, "high": 0, "critical": CRITICAL, "total": CRITICAL}}}"#;
    refused("npm-audit.json", &npm.replace("CRITICAL", "3"), "`metadata.vulnerabilities.critical` is 3 but");
    assert_eq!(report("npm-audit.json", &npm.replace("CRITICAL", "0")).0, 0);
}
