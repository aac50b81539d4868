//! Clean scans are clean: a scanner's clean run holds nothing a detector could recognise (`[]`),
//! so its location — a conventional name — says what it is; and the hints say how the format was
//! decided, truthfully.

use crate::support::{temis_in, write};

/// Each scanner's clean-run output, written where the scanner writes it by default.
const CLEAN: &[(&str, &str, &str)] = &[
    ("pa11y.json", "[]\n", "pa11y-json"),
    ("gitleaks-report.json", "[]\n", "gitleaks-json"),
    (
        "pip-audit.json",
        "{\"dependencies\": [{\"name\": \"requests\", \"version\": \"2.32.3\", \"vulns\": []}], \"fixes\": []}\n",
        "pip-audit-json",
    ),
    (
        "osv-scanner.json",
        "{\"results\": [], \"experimental_config\": {\"licenses\": {\"summary\": false, \"allowlist\": null}}}\n",
        "osv-json",
    ),
    (
        "semgrep.json",
        "{\"version\": \"1.185.0\", \"results\": [], \"errors\": [], \"paths\": {\"scanned\": [\"a.py\"]}, \"skipped_rules\": []}\n",
        "semgrep-json",
    ),
    ("trivy.json", "{\"SchemaVersion\": 2, \"ArtifactName\": \".\", \"ArtifactType\": \"filesystem\"}\n", "trivy-json"),
];

#[test]
fn a_clean_run_at_its_conventional_name_is_a_clean_result() {
    for (name, text, format) in CLEAN {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), name, text);
        let r = temis_in(dir.path(), &["report", "--format", "json", name]);
        assert_eq!(r.code, 0, "{name}: {}{}", r.stdout, r.stderr);
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        assert_eq!(v["reports"][0]["format"], *format, "{name}");
        let found = &v["reports"][0];
        let total = found["security"]["total"].as_u64().or(found["a11y"]["violations"]["total"].as_u64());
        assert_eq!(total, Some(0), "{name}: {found}");
    }
    // Discovered by the gate: every clean scan judged clean, the verdict APPROVED.
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "temis.toml",
        "[coverage]\nrequired = false\n[tests]\nrequired = false\n[security]\nrequired = true\n[a11y]\nrequired = true\n",
    );
    for (name, text, _) in CLEAN {
        write(dir.path(), name, text);
    }
    // The file the clean Semgrep scan names.
    write(dir.path(), "a.py", "x = 1\n");
    let r = temis_in(dir.path(), &["gate", "--root", "."]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
}

#[test]
fn a_clean_run_elsewhere_needs_input_format_and_the_hints_say_how_the_format_was_chosen() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "scans/a11y-results.json", "[]\n");
    let r = temis_in(dir.path(), &["report", "scans/a11y-results.json"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("it is JSON, but it is none of the JSON formats temis reads"), "{}", r.stderr);
    let r = temis_in(dir.path(), &["report", "--input-format", "pa11y-json", "scans/a11y-results.json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // A wrong --input-format: the hint does not pretend the format was detected.
    write(dir.path(), "lcov.info", "SF:a.py\nDA:1,1\nend_of_record\n");
    let r = temis_in(dir.path(), &["report", "--input-format", "cobertura", "lcov.info"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("read as cobertura (as --input-format said)"), "{}", r.stderr);
    assert!(!r.stderr.contains("detected from its content"), "{}", r.stderr);
}
