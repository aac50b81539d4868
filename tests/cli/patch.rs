//! Patch coverage, the ratchet and the pre-push hook, on real git repositories.

use crate::gitrepo::{Sandbox, write};

const POLICY: &str = "[coverage]\nmin_line = 0\nmin_patch = 80\nmax_drop = 0.5\n\n[tests]\nrequired = false\n\n\
[reports]\ncoverage = [\"lcov.info\"]\n";

/// An LCOV report for `src/a.py` with these (line, hits).
fn lcov(lines: &[(u32, u32)]) -> String {
    let mut s = String::from("SF:src/a.py\n");
    for (l, h) in lines {
        s.push_str(&format!("DA:{l},{h}\n"));
    }
    s.push_str("end_of_record\n");
    s
}

fn app(s: &Sandbox) -> std::path::PathBuf {
    let repo = s.repo("app");
    write(&repo, "temis.toml", POLICY);
    write(&repo, ".gitignore", "lcov.info\n");
    write(&repo, "src/a.py", "def a():\n    return 1\n\n");
    s.git(&repo, &["add", "."]).ok();
    s.git(&repo, &["commit", "-q", "-m", "feat: a"]).ok();
    repo
}

#[test]
fn gate_base_measures_the_added_lines_and_lists_the_uncovered_ones() {
    let s = Sandbox::new();
    let repo = app(&s);
    s.git(&repo, &["branch", "base"]).ok();
    write(&repo, "src/a.py", "def a():\n    return 1\n\ndef b(x):\n    if x:\n        return 2\n    return 3\n");
    s.git(&repo, &["commit", "-q", "-am", "feat: b"]).ok();
    write(&repo, "lcov.info", &lcov(&[(1, 1), (2, 1), (4, 1), (5, 1), (6, 0), (7, 0)]));
    let r = s.temis(&repo, &["gate", "--base", "base", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.all());
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["figures"]["patch_lines_total"], 4);
    assert_eq!(v["figures"]["patch_lines_covered"], 2);
    let check = v["checks"].as_array().unwrap().iter().find(|c| c["code"] == "patch-coverage-below-threshold").unwrap();
    assert_eq!(check["outcome"], "fail");
    assert_eq!(check["evidence"][0]["path"], "src/a.py");
    assert_eq!(check["evidence"][0]["text"], "2 of 4 added lines uncovered: 6-7");
    assert!(check["message"].as_str().unwrap().contains("base ("), "{}", check["message"]);

    // A renamed file counts only its changed lines.
    s.git(&repo, &["branch", "-f", "base"]).ok();
    s.git(&repo, &["mv", "src/a.py", "src/b.py"]).ok();
    s.git(&repo, &["commit", "-q", "-m", "refactor: rename"]).ok();
    write(&repo, "lcov.info", &lcov(&[(1, 1), (2, 1), (4, 1), (5, 1), (6, 0), (7, 0)]).replace("src/a.py", "src/b.py"));
    let r = s.temis(&repo, &["gate", "--base", "base", "--format", "json"]).ok();
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["figures"]["patch_lines_total"], 0, "{}", r.stdout);
    assert!(r.stdout.contains("the change adds no line the coverage reports measure"), "{}", r.stdout);
}

#[test]
fn the_ratchet_holds_the_change_to_the_figures_recorded_on_its_base() {
    let s = Sandbox::new();
    let repo = app(&s);
    write(&repo, "lcov.info", &lcov(&[(1, 1), (2, 1)]));
    // No figures recorded on the base yet: the ratchet says so and does not block.
    let r = s.temis(&repo, &["gate", "--base", "HEAD"]).ok();
    assert!(r.stdout.contains("no figures recorded for the base commit"), "{}", r.stdout);
    let r = s.temis(&repo, &["gate", "--record"]).ok();
    assert!(r.stderr.contains("refs/notes/temis"), "{}", r.stderr);
    let note = s.git(&repo, &["notes", "--ref=temis", "show", "HEAD"]).ok().stdout;
    assert!(note.contains("\"line_coverage\":100.0"), "{note}");

    write(&repo, "src/a.py", "def a():\n    return 1\n\ndef c():\n    pass\n");
    s.git(&repo, &["commit", "-q", "-am", "feat: c"]).ok();
    write(&repo, "lcov.info", &lcov(&[(1, 1), (2, 1), (4, 1), (5, 0)]));
    let r = s.temis(&repo, &["gate", "--base", "HEAD~1", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.all());
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let codes: Vec<(&str, &str)> = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["code"].as_str().unwrap(), c["outcome"].as_str().unwrap()))
        .collect();
    assert!(codes.contains(&("ratchet-coverage-dropped", "fail")), "{codes:?}");
    assert!(codes.contains(&("patch-coverage-below-threshold", "fail")), "{codes:?}");
}

#[test]
fn pre_push_gates_what_the_remote_does_not_have_and_deletions_pass() {
    let s = Sandbox::new();
    let remote = s.root.join("remote.git");
    s.git(&s.root, &["init", "-q", "--bare", remote.to_str().unwrap()]).ok();
    let repo = app(&s);
    s.git(&repo, &["remote", "add", "origin", remote.to_str().unwrap()]).ok();
    s.git(&repo, &["push", "-q", "origin", "main"]).ok();
    s.temis(&repo, &["hooks", "install", "pre-push"]).ok();

    s.git(&repo, &["switch", "-q", "-c", "feature"]).ok();
    write(&repo, "src/a.py", "def a():\n    return 1\n\ndef b():\n    return 2\n\ndef c():\n    return 3\n");
    s.git(&repo, &["commit", "-q", "-am", "feat: b and c"]).ok();
    write(&repo, "lcov.info", &lcov(&[(1, 1), (2, 1), (4, 1), (5, 1), (7, 1), (8, 0)]));
    // A new branch: measured against the merge base with the remote's main.
    let r = s.git(&repo, &["push", "-q", "origin", "feature"]);
    assert_ne!(r.code, 0, "{}", r.all());
    assert!(r.stderr.contains("Patch coverage 75 %, need 80 % minimum"), "{}", r.stderr);
    assert!(r.stderr.contains("git push --no-verify"), "{}", r.stderr);
    write(&repo, "lcov.info", &lcov(&[(1, 1), (2, 1), (4, 1), (5, 1), (7, 1), (8, 1)]));
    s.git(&repo, &["push", "-q", "origin", "feature"]).ok();
    // An existing branch: against the remote's tip, so only the new commit's lines count.
    write(
        &repo,
        "src/a.py",
        "def a():\n    return 1\n\ndef b():\n    return 2\n\ndef c():\n    return 3\n\ndef d():\n    return 4\n",
    );
    s.git(&repo, &["commit", "-q", "-am", "feat: d"]).ok();
    write(&repo, "lcov.info", &lcov(&[(1, 1), (2, 1), (4, 1), (5, 1), (7, 1), (8, 0), (10, 1), (11, 1)]));
    let r = s.git(&repo, &["push", "-q", "origin", "feature"]).ok();
    assert!(r.stderr.contains("APPROVED"), "{}", r.stderr);
    // Deleting a branch pushes nothing to check.
    write(&repo, "lcov.info", &lcov(&[(1, 0)]));
    s.git(&repo, &["push", "-q", "origin", ":feature"]).ok();
}

/// Following the repository's plan, pre-push gates the current phase on the reports that phase
/// names (not on whatever discovery finds).
#[test]
fn pre_push_gates_the_current_phase_on_the_reports_the_plan_names() {
    let s = Sandbox::new();
    let remote = s.root.join("remote.git");
    s.git(&s.root, &["init", "-q", "--bare", remote.to_str().unwrap()]).ok();
    let repo = app(&s);
    write(
        &repo,
        "plans/calc/plan.md",
        "---\napproved: true\n---\n\n# Calc\n\n## Phase 1: More functions (Ada)\n\nReports: reports/phase-1/lcov.info\n\n- [ ] b\n",
    );
    s.git(&repo, &["add", "."]).ok();
    s.git(&repo, &["commit", "-q", "-m", "docs(plans): approve the calc plan"]).ok();
    s.git(&repo, &["remote", "add", "origin", remote.to_str().unwrap()]).ok();
    s.git(&repo, &["push", "-q", "origin", "main"]).ok();
    s.temis(&repo, &["hooks", "install", "pre-push"]).ok();

    write(&repo, "src/a.py", "def a():\n    return 1\n\ndef b():\n    return 2\n");
    s.git(&repo, &["commit", "-q", "-am", "feat: b"]).ok();
    // Discovery's lcov.info says everything ran; the phase's own report says line 5 did not.
    write(&repo, "lcov.info", &lcov(&[(1, 1), (2, 1), (4, 1), (5, 1)]));
    write(&repo, "reports/phase-1/lcov.info", &lcov(&[(1, 1), (2, 1), (4, 1), (5, 0)]));
    let r = s.git(&repo, &["push", "-q", "origin", "main"]);
    assert_ne!(r.code, 0, "{}", r.all());
    assert!(r.stderr.contains("phase 1"), "{}", r.stderr);
    assert!(r.stderr.contains("Patch coverage 50 %, need 80 % minimum"), "{}", r.stderr);
    assert!(r.stderr.contains("reports/phase-1/lcov.info"), "{}", r.stderr);
}
