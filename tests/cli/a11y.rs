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

// --- Lighthouse CI manifest (tests/fixtures/a11y/lhci-manifest, MAKE.md there) ---------------
//
// Three runs of one page that answers a different version on each request: accessibility 100,
// 91 (label) and 80 (label, image-alt); lhci marked the 80 run as its representative run.

const MANIFEST: &str = "a11y/lhci-manifest/manifest.json";
const RUN_100: &str = "a11y/lhci-manifest/127_0_0_1--2026_11_24_12_02_02.report.json";
const RUN_91: &str = "a11y/lhci-manifest/127_0_0_1--2026_11_24_12_02_16.report.json";
const RUN_80: &str = "a11y/lhci-manifest/127_0_0_1--2026_11_24_12_02_28.report.json";

/// The measured score of the one accessibility score row of a JSON verdict, and its message.
fn score_row(g: &crate::support::Run) -> (f64, String) {
    let v: serde_json::Value = serde_json::from_str(&g.stdout).unwrap_or_else(|e| panic!("{e}: {}", g.stdout));
    let rows: Vec<&serde_json::Value> =
        v["checks"].as_array().unwrap().iter().filter(|c| c["code"] == "a11y-score-below-threshold").collect();
    assert_eq!(rows.len(), 1, "{}", g.stdout);
    (rows[0]["measured"]["value"].as_f64().unwrap(), rows[0]["message"].as_str().unwrap().to_string())
}

#[test]
fn a_lighthouse_ci_manifest_reads_as_its_median_run() {
    let m = report(MANIFEST);
    assert_eq!((m["format"].as_str(), m["kind"].as_str()), (Some("lhci-manifest"), Some("a11y")));
    let median = report(RUN_91);
    for key in ["score", "violations", "failing_rules", "wcag_levels_failed", "nodes_total"] {
        assert_eq!(m["a11y"][key], median["a11y"][key], "{key}");
    }
    assert_eq!(m["a11y"]["score"], 91);
    assert_eq!(m["a11y"]["pages"].as_array().unwrap().len(), 1);
    assert_eq!((m["a11y"]["runs_total"].as_u64(), m["a11y"]["urls_total"].as_u64()), (Some(3), Some(1)));
    let scores: Vec<_> = m["a11y"]["runs"].as_array().unwrap().iter().map(|r| r["score"].clone()).collect();
    assert_eq!(scores, [100, 91, 80]);
    let human = temis(&["report", "--color", "never", &p(MANIFEST)]);
    assert!(human.stdout.contains("each run was read from the manifest's folder by its file name"), "{}", human.stdout);
    let forced = temis(&["report", "--input-format", "lhci-manifest", "--format", "json", &p(MANIFEST)]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
}

#[test]
fn the_aggregation_chooses_which_run_of_the_manifest_is_judged() {
    let g = gate("[a11y]\nmin_score = 95\n", &[MANIFEST], "human");
    assert_eq!(g.code, 1);
    assert!(
        g.stdout.contains("Accessibility 91/100 < 95 (median of 3 runs): label ×1 (A)"),
        "the default is lhci's median: {}",
        g.stdout
    );
    let cases = [
        ("median", 91.0, "median of 3 runs"),
        ("optimistic", 100.0, "best of 3 runs"),
        ("pessimistic", 80.0, "worst of 3 runs"),
        ("median-run", 80.0, "representative run of 3"),
    ];
    for (how, figure, said) in cases {
        let g = gate(&format!("[a11y]\nmin_score = 95\naggregation = \"{how}\"\n"), &[MANIFEST], "json");
        let (value, message) = score_row(&g);
        assert_eq!(value, figure, "{how}: {message}");
        assert!(message.contains(said), "{how}: {message}");
        assert_eq!(g.code, if figure >= 95.0 { 0 } else { 1 }, "{how}");
    }
}

#[test]
fn median_run_without_the_manifest_is_lhcis_pick_and_a_run_read_twice_counts_once() {
    let runs = [RUN_100, RUN_91, RUN_80];
    let g = gate("[a11y]\nmin_score = 95\naggregation = \"median-run\"\n", &runs, "json");
    let (value, message) = score_row(&g);
    assert_eq!(value, 80.0, "the run nearest the median FCP and TTI, as lhci flagged it: {message}");
    let all = [MANIFEST, RUN_100, RUN_91, RUN_80];
    let (value, message) = score_row(&gate("[a11y]\nmin_score = 95\n", &all, "json"));
    assert_eq!((value, message.contains("median of 3 runs")), (91.0, true), "{message}");
}

#[test]
fn a_manifest_whose_run_is_missing_or_outside_its_folder_cannot_be_judged() {
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("manifest.json");
    std::fs::copy(fixture(MANIFEST), &m).unwrap();
    for run in [RUN_100, RUN_80] {
        std::fs::copy(fixture(run), dir.path().join(fixture(run).file_name().unwrap())).unwrap();
    }
    let shown = m.display().to_string();
    let policy = "[coverage]\nrequired = false\n[tests]\nrequired = false\n[a11y]\nmin_score = 90\n";
    std::fs::write(dir.path().join("temis.toml"), policy).unwrap();
    let g = temis_in(dir.path(), &["gate", "--root", ".", &shown]);
    assert_eq!(g.code, 2, "{}{}", g.stdout, g.stderr);
    assert!(g.stdout.contains("manifest.json: entry 2 (http://127.0.0.1:18510/): its run is missing"), "{}", g.stdout);
    assert!(g.stdout.contains("127_0_0_1--2026_11_24_12_02_16.report.json"), "{}", g.stdout);
    let inner = dir.path().join("lhci");
    std::fs::create_dir(&inner).unwrap();
    let escaping = r#"[{"url":"http://x/","isRepresentativeRun":true,"jsonPath":"../manifest.json","summary":{}}]"#;
    std::fs::write(inner.join("manifest.json"), escaping).unwrap();
    let g = temis_in(dir.path(), &["report", "lhci/manifest.json"]);
    assert_eq!(g.code, 2);
    assert!(
        g.stderr.contains(
            "lhci/manifest.json: entry 1 (http://x/): its jsonPath ../manifest.json leaves the manifest's folder"
        ),
        "{}",
        g.stderr
    );
}

#[test]
fn a_rule_waiver_takes_its_rule_out_of_the_block_and_says_so() {
    let form = "a11y/lighthouse-form/lighthouse.json";
    let contrast = "[[waivers]]\nrule = \"color-contrast\"\npages = [\"*/form.html\"]\nreason = \"brand palette lands in \
                    phase 4\"\nexpires = 2027-03-31\n";
    let g = gate(&format!("[a11y]\nwcag = \"AA\"\n{contrast}"), &[form], "json");
    assert_eq!(g.code, 1, "label and image-alt still fail: {}", g.stdout);
    let v: serde_json::Value = serde_json::from_str(&g.stdout).unwrap();
    let checks = v["checks"].as_array().unwrap();
    let level = checks.iter().find(|c| c["code"] == "a11y-violations-at-level").unwrap();
    assert_eq!(level["message"], "2 rule(s) fail WCAG AA: image-alt ×1 (A), label ×1 (A) (1 waived: color-contrast)");
    assert!(
        level["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["text"].as_str().unwrap().starts_with(
                "color-contrast (AA): 1 element(s) (waived: brand palette lands in phase 4 — temis.toml:"
            )),
        "{level}"
    );
    assert!(!checks.iter().any(|c| c["code"] == "waiver-unused"), "the waiver was used: {}", g.stdout);

    let all =
        "[[waivers]]\nrule = \"{color-contrast,label,image-alt}\"\nreason = \"form rewrite\"\nexpires = 2027-03-31\n";
    let g = gate(&format!("[a11y]\nwcag = \"AA\"\n{all}"), &[form], "human");
    assert_eq!(g.code, 0, "{}", g.stdout);
    assert!(g.stdout.contains("WAIVED") && g.stdout.contains("3 rule(s) fail WCAG AA, all waived"), "{}", g.stdout);
    let expired = all.replace("2027-03-31", "2026-11-01");
    let g = gate(&format!("[a11y]\nwcag = \"AA\"\n{expired}"), &[form], "human");
    assert_eq!(g.code, 1);
    assert!(g.stdout.contains("3 rule(s) fail WCAG AA: "), "the expired waiver no longer applies: {}", g.stdout);
    assert!(g.stdout.contains("expired on 2026-11-01 and no longer applies"), "{}", g.stdout);
    let elsewhere = contrast.replace("*/form.html", "*/checkout/*");
    let g = gate(&format!("[a11y]\nwcag = \"AA\"\n{elsewhere}"), &[form], "human");
    assert!(g.stdout.contains("3 rule(s) fail WCAG AA"), "{}", g.stdout);
    assert!(g.stdout.contains("(rule=color-contrast pages=*/checkout/*) matched nothing"), "{}", g.stdout);
}

/// A minimum score no report gives (axe has none) was a SKIP, and the gate approved a threshold
/// it never measured: it fails, saying what gives a score.
#[test]
fn a_min_score_no_report_gives_is_not_met() {
    let g = gate("[a11y]\nmin_score = 90\n", &["a11y/axe-best-practice-only/axe.json"], "human");
    assert_eq!(g.code, 1, "{}{}", g.stdout, g.stderr);
    assert!(g.stdout.contains("min_score cannot be met"), "{}", g.stdout);
}

/// @axe-core/cli on a URL that did not load audits Chromium's error page, saved under
/// `chrome-error://chromewebdata/` (the URL asked for is gone), and exits 0: at `wcag = "A"` the
/// gate approved "2 page(s)". That page is a scan error.
#[test]
fn axe_on_a_page_that_did_not_load_is_a_scan_error() {
    let g = gate("[a11y]\nwcag = \"A\"\n", &["a11y/axe-unreachable-url/axe.json"], "human");
    assert_eq!(g.code, 1, "{}{}", g.stdout, g.stderr);
    assert!(g.stdout.contains("the page did not load"), "{}", g.stdout);
}

/// `[a11y] required = true` and no threshold (wcag, min_score, max_violations): a report of
/// violations was approved, and no row said it was read. It blocks now; not required, it is a
/// visible row that says nothing was judged.
#[test]
fn a_required_check_without_a_threshold_judges_nothing_and_says_so() {
    let g = gate("[a11y]\nrequired = true\n", &["a11y/axe-best-practice-only/axe.json"], "human");
    assert_eq!(g.code, 1, "{}{}", g.stdout, g.stderr);
    assert!(g.stdout.contains("3 violation(s) on 1 page(s) read, [a11y] required = true"), "{}", g.stdout);
    let g = gate("[a11y]\nrequired = false\n", &["a11y/axe-best-practice-only/axe.json"], "human");
    assert_eq!(g.code, 0, "{}{}", g.stdout, g.stderr);
    assert!(g.stdout.contains("not judged: [a11y] sets no threshold"), "{}", g.stdout);
}

/// An audit told to leave rules out approved as "no violation at WCAG AA": Lighthouse limited
/// to two audits, or skipping the three that failed (100/100 where the whole run says 59); axe
/// with only level-A rules, or with color-contrast turned off (no violation where the whole run
/// fails 1.4.3). Each is a scan error; the same audits run whole block on their violations.
#[test]
fn an_audit_that_left_rules_out_is_not_a_pass() {
    let policy = "[a11y]\nrequired = true\nmin_score = 90\nwcag = \"AA\"\n";
    for (file, says) in [
        ("lighthouse-only-audits.json", "limited to 2 audit(s) (onlyAudits: document-title, html-has-lang)"),
        (
            "lighthouse-skip-audits.json",
            "skipped 3 accessibility audit(s) (skipAudits: color-contrast, image-alt, link-name)",
        ),
        (
            "axe-runonly-wcag2a.json",
            "did not test all of WCAG AA on http://127.0.0.1:8765/contrast.html: runOnly tags wcag2a: no rule of WCAG 2.0 AA ran",
        ),
        ("axe-rule-off.json", "rule color-contrast turned off (a WCAG AA rule)"),
        (
            "axe-runonly-wcag21aa.json",
            "runOnly tags wcag2a, wcag21a, wcag21aa: no rule of WCAG 2.0 AA ran (the later versions' tags hold only \
             their additions; add wcag2aa)",
        ),
    ] {
        let g = gate(policy, &[&format!("a11y/limited/{file}")], "human");
        assert_eq!(g.code, 1, "{file}: {}", g.stdout);
        assert!(
            g.stdout.contains("a11y-scan-error") || g.stdout.contains("Accessibility scan of"),
            "{file}: {}",
            g.stdout
        );
        assert!(g.stdout.contains(says), "{file}: {}", g.stdout);
        assert!(!g.stdout.contains("no violation at WCAG AA"), "{file}: {}", g.stdout);
    }
    for file in ["lighthouse-full.json", "axe-full.json"] {
        let g = gate(policy, &[&format!("a11y/limited/{file}")], "human");
        assert_eq!(g.code, 1, "{file}: {}", g.stdout);
        assert!(g.stdout.contains("color-contrast") && !g.stdout.contains("did not test"), "{file}: {}", g.stdout);
    }
    // A level-A policy: a run of the level-A rules tested all of it.
    let g = gate("[a11y]\nrequired = true\nwcag = \"A\"\n", &["a11y/limited/axe-runonly-wcag2a.json"], "human");
    assert_eq!(g.code, 0, "{}", g.stdout);
    // `max_violations` without a level counts every level's violations: a run of best-practice
    // rules alone (no WCAG rule ran) was approved with none.
    let g = gate(
        "[a11y]\nrequired = true\nmax_violations = 0\n",
        &["a11y/limited/axe-runonly-best-practice.json"],
        "human",
    );
    assert_eq!(g.code, 1, "{}", g.stdout);
    assert!(g.stdout.contains("did not test all of WCAG A on"), "{}", g.stdout);
}
