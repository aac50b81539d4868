//! Accessibility: real Lighthouse, axe-core, pa11y and pa11y-ci reports (tests/fixtures/a11y,
//! README there says how each was made), read and gated.

use crate::support::{fixture, temis, temis_in};

fn p(rel: &str) -> String {
    fixture(rel).display().to_string()
}

fn report(rel: &str) -> serde_json::Value {
    let r = temis(&["report", "--format", "json", &p(rel)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    doc["reports"][0].clone()
}

/// Runs `temis gate` on `reports` with `policy` (coverage and tests not required).
fn gate(policy: &str, reports: &[&str], format: &str) -> crate::support::Run {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("[coverage]\nrequired = false\n[tests]\nrequired = false\n{policy}");
    std::fs::write(dir.path().join("temis.toml"), text).unwrap();
    let mut args = vec!["gate", "--color", "never", "--root", ".", "--format", format, "--today", "2026-11-24"];
    let paths: Vec<String> = reports.iter().map(|r| p(r)).collect();
    args.extend(paths.iter().map(String::as_str));
    temis_in(dir.path(), &args)
}

#[test]
fn lighthouse_score_failing_audits_and_levels() {
    let r = report("a11y/lighthouse-form/lighthouse.json");
    assert_eq!((r["format"].as_str(), r["kind"].as_str()), (Some("lighthouse"), Some("a11y")));
    let a = &r["a11y"];
    assert_eq!(a["score"], 68);
    assert_eq!(a["violations"]["total"], 3);
    assert_eq!(
        a["violations"]["by_impact"],
        serde_json::json!({"critical": 2, "serious": 1, "moderate": 0, "minor": 0})
    );
    assert_eq!(a["failing_rules"], serde_json::json!(["color-contrast", "image-alt", "label"]));
    assert_eq!(a["wcag_levels_failed"], serde_json::json!(["A", "AA"]));
    assert_eq!(a["runtime_error"], serde_json::Value::Null);
}

#[test]
fn a_lighthouse_runtime_error_is_no_score_and_blocks() {
    let r = report("a11y/lighthouse-404/lighthouse.json");
    assert_eq!(r["a11y"]["score"], serde_json::Value::Null);
    assert_eq!(r["a11y"]["runtime_error"], "ERRORED_DOCUMENT_REQUEST");
    let g = gate("[a11y]\nmin_score = 90\n", &["a11y/lighthouse-404/lighthouse.json"], "human");
    assert_eq!(g.code, 1, "{}{}", g.stdout, g.stderr);
    assert!(
        g.stdout.contains("Lighthouse could not audit http://127.0.0.1:18500/missing.html: ERRORED_DOCUMENT_REQUEST"),
        "{}",
        g.stdout
    );
}

#[test]
fn axe_best_practice_only_passes_at_aa() {
    let r = report("a11y/axe-best-practice-only/axe.json");
    let a = &r["a11y"];
    assert_eq!((a["violations"]["total"].as_u64(), a["nodes_total"].as_u64()), (Some(3), Some(5)));
    assert_eq!(a["wcag_levels_failed"], serde_json::json!([]));
    let g = gate("[a11y]\nwcag = \"AA\"\n", &["a11y/axe-best-practice-only/axe.json"], "human");
    assert_eq!(g.code, 0, "{}{}", g.stdout, g.stderr);
    assert!(
        g.stdout.contains(
            "no violation at WCAG AA or lower on 1 page(s) (3 best-practice violation(s), not WCAG failures)"
        ),
        "{}",
        g.stdout
    );
    let g = gate(
        "[a11y]\nwcag = \"AA\"\nmax_violations = { moderate = 2 }\n",
        &["a11y/axe-best-practice-only/axe.json"],
        "human",
    );
    assert_eq!(g.code, 1, "a cap on violations counts best-practice rules too: {}", g.stdout);
}

#[test]
fn pa11y_levels_come_from_the_success_criterion() {
    let r = report("a11y/pa11y-form/pa11y.json");
    let a = &r["a11y"];
    assert_eq!(a["violations"]["by_type"], serde_json::json!({"error": 4, "warning": 0, "notice": 0}));
    assert_eq!(a["violations"]["by_impact"], serde_json::Value::Null);
    assert_eq!(a["wcag_levels_failed"], serde_json::json!(["A", "AA"]));
    let g = gate("[a11y]\nwcag = \"A\"\n", &["a11y/pa11y-form/pa11y.json"], "json");
    assert_eq!(g.code, 1);
    let v: serde_json::Value = serde_json::from_str(&g.stdout).unwrap();
    let check = v["checks"].as_array().unwrap().iter().find(|c| c["code"] == "a11y-violations-at-level").unwrap();
    assert_eq!(check["measured"]["value"], 3.0, "three A rules; G18 (1.4.3) is AA: {check}");
}

#[test]
fn pa11y_ci_pages_and_fields() {
    let a = report("a11y/pa11y-ci-two-pages/pa11y-ci.json")["a11y"].clone();
    assert_eq!((a["urls_total"].as_u64(), a["urls_passed"].as_u64()), (Some(2), Some(1)));
    assert_eq!(a["violations"]["total"], 4);
    assert_eq!(a["pages"][1]["violations"], 0);
}

#[test]
fn lighthouse_ci_runs_are_judged_by_their_median_and_pages_override() {
    let runs =
        ["a11y/lhci-three-runs/lhr-1.json", "a11y/lhci-three-runs/lhr-2.json", "a11y/lhci-three-runs/lhr-3.json"];
    let g = gate("[a11y]\nmin_score = 95\n", &runs, "human");
    assert_eq!(g.code, 1);
    assert!(
        g.stdout.contains(
            "Accessibility 68/100 < 95 (median of 3 runs): label ×1 (A), color-contrast ×1 (AA), image-alt ×1 (A)"
        ) || g.stdout.contains("Accessibility 68/100 < 95 (median of 3 runs): "),
        "{}",
        g.stdout
    );
    let g = gate("[a11y]\nmin_score = 95\npages = [{ glob = \"*/form.html\", min_score = 60 }]\n", &runs, "human");
    assert_eq!(g.code, 0, "{}", g.stdout);
}

#[test]
fn phases_turn_the_family_on_and_off() {
    let policy = "[a11y]\nenabled = false\n[phase.3]\na11y = { enabled = true, min_score = 95 }\n";
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("temis.toml"),
        format!("[coverage]\nrequired = false\n[tests]\nrequired = false\n{policy}"),
    )
    .unwrap();
    let f = p("a11y/lighthouse-form/lighthouse.json");
    let run = |phase: &str| temis_in(dir.path(), &["gate", "--root", ".", "--phase", phase, &f]).code;
    assert_eq!((run("1"), run("3")), (0, 1));
}

#[test]
fn every_format_renders_the_accessibility_rows() {
    for format in ["markdown", "sarif", "junit", "github"] {
        let g = gate("[a11y]\nmin_score = 95\nwcag = \"AA\"\n", &["a11y/lighthouse-form/lighthouse.json"], format);
        assert_eq!(g.code, 1, "{format}: {}", g.stderr);
        assert!(g.stdout.contains("a11y-score-below-threshold"), "{format}: {}", g.stdout);
        assert!(g.stdout.contains("68/100"), "{format}: {}", g.stdout);
    }
}

#[test]
fn hostile_accessibility_reports_exit_2_with_a_place() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&str, &[u8], &str)] = &[
        ("truncated.json", b"{\"lighthouseVersion\":\"12\",\"audits\":{\"a\":{\"score\":0.5", "truncated"),
        ("score.json", b"{\"lighthouseVersion\":\"12\",\"categories\":{\"accessibility\":{\n\"score\":99}}}", ":2:"),
        ("utf8.json", b"[{\"testEngine\":{\"name\":\"axe-core\"},\"testRunner\":{},\"url\":\"\xff\"}]", "UTF-8"),
        (
            "deep.json",
            &[
                b"{\"testEngine\":{},\"testRunner\":{},\"violations\":[{\"id\":\"x\",\"nodes\":[{\"target\":"
                    .as_slice(),
                &[b'['; 5000],
            ]
            .concat(),
            "nested more than 128",
        ),
        ("huge.json", b"{\"total\":1e999,\"passes\":0,\"errors\":0,\"results\":{}}", "huge.json:1:"),
    ];
    for (name, bytes, expect) in cases {
        let f = dir.path().join(name);
        std::fs::write(&f, bytes).unwrap();
        let r = temis(&["report", &f.display().to_string()]);
        assert_eq!(r.code, 2, "{name}: {}", r.stdout);
        assert!(r.stderr.contains(expect), "{name}: {}", r.stderr);
    }
}
