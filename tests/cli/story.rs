//! The newcomer's path: `temis plan new` writes a plan the rest of temis reads; `temis badge`
//! draws the gate's figures as SVG; the README's main job (`examples/jwt-auth/gate.sh`) tells
//! the example feature's story with the verdicts it promises.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::support::{BIN, temis, temis_in, write};

fn example(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/jwt-auth").join(rel).display().to_string()
}

#[test]
fn plan_new_writes_a_plan_temis_reads_and_never_overwrites_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let args = [
        "plan",
        "new",
        "JWT authentication",
        "--phases",
        "Database schema, Backend services, Frontend",
        "--owners",
        "Maat, Hermes, Athena",
        "--root",
        ".",
    ];
    let r = temis_in(d, &args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!("plan_new_stdout", r.stdout);
    let written = std::fs::read_to_string(d.join("plans/jwt-authentication/plan.md")).unwrap();
    insta::assert_snapshot!("plan_new_plan_md", written);

    // temis's own plan reader takes it: three phases, owners, tasks open, reports named.
    let r = temis_in(d, &["plan", "--root", ".", "--no-gate", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let text = v.to_string();
    for needle in ["Database schema", "Hermes", "Athena", "The next task"] {
        assert!(text.contains(needle), "{needle} missing from {text}");
    }
    // The gate follows a phase's `Reports:` line: none of them exists yet, so it cannot judge.
    let r = temis_in(d, &["gate", "--root", ".", "--plan", "plans/jwt-authentication/plan.md", "--phase", "3"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stdout.contains("reports/phase-3/junit.xml"), "{}", r.stdout);
    // Not the plan's current phase (its looser [phase.3] judged it without a word): said.
    let said = format!("{}{}", r.stdout, r.stderr);
    assert!(said.contains("phase 3 is not plans/jwt-authentication/plan.md's current phase (1)"), "{said}");

    // A second run refuses, names the file, and leaves it as it was.
    std::fs::write(d.join("plans/jwt-authentication/plan.md"), "edited\n").unwrap();
    let r = temis_in(d, &args);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("plans/jwt-authentication/plan.md already exists"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(d.join("plans/jwt-authentication/plan.md")).unwrap(), "edited\n");
}

#[test]
fn plan_new_refuses_what_it_could_not_read_back() {
    let r = temis(&["plan", "new", "X", "--phases", "UI (React), API", "--root", "."]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("parentheses"), "{}", r.stderr);
    let r = temis(&["plan", "new", "X", "--phases", "A, B", "--owners", "a, b, c", "--root", "."]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("3 owners for 2 phases"), "{}", r.stderr);
}

#[test]
fn plan_new_help_has_an_example() {
    let r = temis(&["plan", "new", "--help"]);
    assert_eq!(r.code, 0);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn badge_draws_coverage_and_the_verdict() {
    let cov = example("reports/phase-2/coverage.xml");
    let junit = example("reports/phase-2/junit.xml");
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    crate::support::example_sources(d);
    // Phase 2's first attempt: 77.33 % against 80 %, yellow, to stdout.
    let r = temis_in(d, &["badge", "--root", ".", &cov, &junit]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!("badge_coverage", r.stdout);
    // Its verdict, to a file.
    let r = temis_in(d, &["badge", "--kind", "verdict", "-o", "temis.svg", "--root", ".", &cov, &junit]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "");
    assert!(r.stderr.contains("wrote temis.svg (temis: BLOCKED)"), "{}", r.stderr);
    let svg = std::fs::read_to_string(d.join("temis.svg")).unwrap();
    insta::assert_snapshot!("badge_verdict", svg);
    // Written again over the earlier badge; never over a file of the user's (`-o README.md`)
    // nor a report it read.
    let r = temis_in(d, &["badge", "--kind", "verdict", "-o", "temis.svg", "--root", ".", &cov, &junit]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    std::fs::write(d.join("README.md"), "# my project\n").unwrap();
    std::fs::copy(&cov, d.join("coverage.xml")).unwrap();
    std::fs::write(
        d.join("logo.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"64\" height=\"64\"><circle r=\"9\"/></svg>\n",
    )
    .unwrap();
    for mine in ["README.md", "coverage.xml", "logo.svg"] {
        let before = std::fs::read(d.join(mine)).unwrap();
        let r = temis_in(d, &["badge", "-o", mine, "--root", ".", "coverage.xml", &junit]);
        assert_eq!(r.code, 2, "{mine}: {}", r.stderr);
        assert!(
            r.stderr.contains("is not an earlier badge (an SVG image of one): nothing was written"),
            "{}",
            r.stderr
        );
        assert_eq!(std::fs::read(d.join(mine)).unwrap(), before, "{mine}");
    }
    // Phase 1: 100 %, green.
    let r = temis_in(
        d,
        &["badge", "--root", ".", &example("reports/phase-1/coverage.xml"), &example("reports/phase-1/junit.xml")],
    );
    assert!(r.stdout.contains("fill=\"#4c1\"") && r.stdout.contains("100 %"), "{}", r.stdout);
}

#[test]
fn a_coverage_badge_needs_a_measured_coverage() {
    let r = temis(&["badge", "--root", ".", &example("reports/phase-1/junit.xml")]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("no line coverage was measured"), "{}", r.stderr);
}

/// A badge beside a report that could not be read (it may have been the poorly covered shard)
/// drew the readable one's figure without a word; one of a report of no repository file drew
/// 100 % of other code. Neither is drawn.
#[test]
fn a_coverage_badge_is_not_drawn_beside_an_unreadable_report_or_of_other_code() {
    let dir = crate::support::repo();
    let d = dir.path();
    write(d, "src/a.py", "x = 1\ny = 2\n");
    write(d, "mine.info", "SF:src/a.py\nDA:1,1\nDA:2,0\nend_of_record\n");
    write(d, "cut.json", "{\"meta\": {\"version\": \"7.4\"}, \"files\": {\"src/b.py\": {\"exec");
    write(d, "other.info", "SF:lib/vendored.py\nDA:1,1\nend_of_record\n");
    crate::support::git(d, &["add", "src/a.py"]);
    let r = temis_in(d, &["badge", "mine.info", "cut.json"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("no coverage badge: cut.json"), "{}", r.stderr);
    let r = temis_in(d, &["badge", "other.info"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("no coverage badge") && r.stderr.contains("lib/vendored.py"), "{}", r.stderr);
    let r = temis_in(d, &["badge", "mine.info"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("50 %"), "{}", r.stdout);
}

#[test]
fn badge_help_has_examples() {
    let r = temis(&["badge", "--help"]);
    assert_eq!(r.code, 0);
    insta::assert_snapshot!(r.stdout);
}

/// The README's main job, run as a newcomer runs it (with the test's binary): every verdict as
/// expected, exit 0, and the same transcript every time.
#[test]
fn the_main_job_tells_the_story_with_the_expected_verdicts() {
    let scratch = tempfile::tempdir().unwrap();
    let run = Command::new("sh")
        .arg(example("gate.sh"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", scratch.path())
        .env("TEMIS", BIN)
        .env("TEMIS_TODAY", "2026-11-24")
        .stdin(Stdio::null())
        .output()
        .expect("this test needs `sh` on PATH");
    let stdout = String::from_utf8_lossy(&run.stdout).into_owned();
    assert!(
        run.status.success(),
        "gate.sh exited {:?}:\n{stdout}\n{}",
        run.status.code(),
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(stdout.ends_with("every verdict as expected\n"), "{stdout}");
    assert!(!stdout.contains("UNEXPECTED"), "{stdout}");
    insta::assert_snapshot!(stdout);
}

/// The main job runs on the embedded default policy: the example has no `temis.toml`, and phase
/// 2's benchmark budget is the plan's `Budget:` line.
#[test]
fn the_example_runs_on_the_default_policy_with_the_budget_in_the_plan() {
    assert!(!Path::new(&example("temis.toml")).exists(), "the example carries no policy of its own");
    let plan = std::fs::read_to_string(example("plans/jwt-authentication/plan.md")).unwrap();
    assert!(plan.contains("\nBudget: test_verify_token p95 < 10 ms\n"), "{plan}");
}

/// A budget the plan declares is judged on the phase's benchmark report, and without one the
/// phase is not approved: a limit nothing measured is not met.
#[test]
fn a_plan_budget_is_judged_and_needs_a_benchmark_report() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let reports = ["coverage.xml", "junit.xml", "benchmark.json"];
    crate::support::example_sources(d);
    std::fs::create_dir_all(d.join("r")).unwrap();
    for r in reports {
        std::fs::copy(example(&format!("reports/phase-2-rerun/{r}")), d.join("r").join(r)).unwrap();
    }
    let plan = |budget: &str, listed: &str| {
        std::fs::create_dir_all(d.join("plans/x")).unwrap();
        let text = format!("# X\n\n## Phase 1: One (Ada)\n\nReports: {listed}\n{budget}\n\n- [x] done\n");
        std::fs::write(d.join("plans/x/plan.md"), text).unwrap();
    };
    let gate = || temis_in(d, &["gate", "--root", ".", "--plan", "plans/x/plan.md", "--phase", "1"]);
    plan("Budget: test_verify_token p95 < 10 ms", "r/coverage.xml, r/junit.xml, r/benchmark.json");
    let r = gate();
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("test_verify_token p95 6.96 µs < 10 ms"), "{}", r.stdout);
    plan("Budget: test_verify_token p95 < 5 us", "r/coverage.xml, r/junit.xml, r/benchmark.json");
    let r = gate();
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    plan("Budget: test_verify_token p95 < 10 ms", "r/coverage.xml, r/junit.xml");
    let r = gate();
    assert_ne!(r.code, 0, "a budget with no benchmark report is not met: {}", r.stdout);
    assert!(r.stdout.contains("no benchmark report was found"), "{}", r.stdout);
    plan("Budget: test_verify_token p95 10 ms", "r/coverage.xml, r/junit.xml, r/benchmark.json");
    let r = gate();
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("plans/x/plan.md") && r.stderr.contains(":6"), "{}", r.stderr);
}
