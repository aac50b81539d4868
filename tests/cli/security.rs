//! Security reports through the real binary: the report contract, the verdict with its OWASP
//! table, npm's error object, and baselines read from the base commit in a real git repository.

use std::path::Path;
use std::process::Command;

use crate::support::{BIN, fixture, scrub, temis, temis_in};

#[test]
fn report_json_for_a_codeql_style_sarif() {
    let f = fixture("security/sarif/codeql-no-levels.sarif");
    let r = temis(&["report", "--format", "json", "--root", "/home/runner/work/app/app", f.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let sec = &doc["reports"][0]["security"];
    assert_eq!(sec["total"], 4);
    assert_eq!(sec["by_severity"]["critical"], 1);
    assert_eq!(sec["findings"][0]["path"], "src/db.py", "absolute file:// URIs become repository-relative");
    insta::assert_snapshot!(scrub(&r.stdout));
}

#[test]
fn npm_error_objects_are_failed_scans_not_findings() {
    for name in ["error-405.json", "error-enolock.json", "error-405-npm11.json"] {
        let f = fixture(&format!("security/npm-audit-json/{name}"));
        let r = temis(&["report", f.to_str().unwrap()]);
        assert_eq!(r.code, 2, "{name}: {}", r.stdout);
        assert!(r.stderr.contains("failed scan"), "{name}: {}", r.stderr);
    }
    // npm 11's empty `error` beside the registry's answer: the answer is the reason given.
    let r = temis(&["report", fixture("security/npm-audit-json/error-405-npm11.json").to_str().unwrap()]);
    assert!(r.stderr.contains("(HTTP 405): 405 Method Not Allowed"), "{}", r.stderr);
}

#[test]
fn verdict_shows_the_owasp_table() {
    let f = fixture("security/bandit-json/app.json");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("temis.toml"), "[coverage]\nrequired = false\n[tests]\nrequired = false\n").unwrap();
    // The file bandit scanned, older than its report.
    crate::support::write(dir.path(), "app/db.py", "import sqlite3\n");
    let long_ago = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(86_400);
    std::fs::File::options().write(true).open(dir.path().join("app/db.py")).unwrap().set_modified(long_ago).unwrap();
    let r = temis_in(
        dir.path(),
        &["gate", "--policy", "temis.toml", "--root", ".", "--today", "2027-01-01", f.to_str().unwrap()],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    insta::assert_snapshot!("verdict_human", scrub(&r.stdout));
    let r = temis_in(
        dir.path(),
        &[
            "gate",
            "--policy",
            "temis.toml",
            "--root",
            ".",
            "--today",
            "2027-01-01",
            "--format",
            "markdown",
            f.to_str().unwrap(),
        ],
    );
    insta::assert_snapshot!("verdict_markdown", scrub(&r.stdout));
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .env("GIT_AUTHOR_DATE", "2026-11-24T10:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-11-24T10:00:00Z")
        .output()
        .expect("the git command line is needed for this test (apt-get install git)");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_change_cannot_baseline_its_own_finding() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    let policy = "[coverage]\nrequired = false\n[tests]\nrequired = false\n[security]\nnew_only = true\n";
    std::fs::write(d.join("temis.toml"), policy).unwrap();
    crate::support::write(d, "app/db.py", "import sqlite3\n");
    git(d, &["add", "."]);
    git(d, &["commit", "-q", "-m", "chore: policy"]);
    // One commit adds a finding and a baseline entry for it.
    std::fs::copy(fixture("security/bandit-json/app.json"), d.join("bandit.json")).unwrap();
    let r = temis_in(d, &["security", "baseline", "--root", "."]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(d.join(".temis/security-baseline.json").is_file());
    git(d, &["add", "."]);
    git(d, &["commit", "-q", "-m", "feat: new code and its baseline"]);
    let r = temis_in(d, &["gate", "--root", ".", "--today", "2027-01-01"]);
    assert_eq!(r.code, 1, "the baseline is read from HEAD~1, where the finding is not: {}", r.stdout);
    assert!(r.stdout.contains("new_only is on but there is no .temis/security-baseline.json"), "{}", r.stdout);
    // Judged against the commit that holds the baseline, the same finding moved 30 lines is not new.
    std::fs::copy(fixture("security/bandit-json/app-moved.json"), d.join("bandit.json")).unwrap();
    let r = temis_in(d, &["gate", "--root", ".", "--today", "2027-01-01", "--base", "HEAD"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("2 already in the baseline"), "{}", r.stdout);
    let _ = BIN;
}

/// A feature branch's first push held a baseline entry alone (for code not committed yet); its
/// next commit added the finding, judged against the branch's own pushed copy (its upstream),
/// where the entry was: approved as known, by `temis gate` and the pre-push hook. The baseline
/// is read where the base meets the trunk: a branch's own commits never hold it.
#[test]
fn a_branch_cannot_baseline_its_finding_in_an_earlier_push() {
    let root = tempfile::tempdir().unwrap();
    let remote = root.path().join("remote.git");
    git(root.path(), &["init", "-q", "--bare", "-b", "main", remote.to_str().unwrap()]);
    let d = &root.path().join("app");
    git(root.path(), &["clone", "-q", remote.to_str().unwrap(), d.to_str().unwrap()]);
    git(d, &["checkout", "-q", "-B", "main"]);
    let policy = "[coverage]\nrequired = false\n[tests]\nrequired = false\n[security]\nnew_only = true\n";
    std::fs::write(d.join("temis.toml"), policy).unwrap();
    std::fs::write(d.join(".gitignore"), "bandit.json\n").unwrap();
    crate::support::write(d, "app/db.py", "import sqlite3\n");
    git(d, &["add", "."]);
    git(d, &["commit", "-q", "-m", "chore: policy"]);
    git(d, &["push", "-q", "origin", "main"]);
    // Push 1: the baseline of findings the branch has not written yet.
    // A name with a slash, as most teams name branches: its upstream `origin/feature/login` is
    // its own copy, not another branch.
    git(d, &["checkout", "-q", "-b", "feature/login"]);
    std::fs::copy(fixture("security/bandit-json/app.json"), d.join("bandit.json")).unwrap();
    assert_eq!(temis_in(d, &["security", "baseline", "--root", "."]).code, 0);
    git(d, &["add", "."]);
    git(d, &["commit", "-q", "-m", "chore: refresh the security baseline"]);
    git(d, &["push", "-q", "-u", "origin", "feature/login"]);
    // Commit 2: the code.
    crate::support::write(d, "app/db.py", "import sqlite3\nimport subprocess\n");
    git(d, &["commit", "-q", "-am", "feat: the code"]);
    let r = temis_in(d, &["gate", "--root", ".", "--today", "2027-01-01"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stdout.contains("where it meets origin/main: a branch's own commits never hold its baseline"),
        "{}",
        r.stdout
    );
    // The pre-push hook judges the push against the remote's tip of the branch: held to the
    // trunk too.
    let head = String::from_utf8(
        std::process::Command::new("git")
            .args(["rev-parse", "HEAD", "origin/feature/login"])
            .current_dir(d)
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let shas: Vec<&str> = head.lines().collect();
    let line = format!("refs/heads/feature/login {} refs/heads/feature/login {}\n", shas[0], shas[1]);
    let mut hook = std::process::Command::new(BIN)
        .args(["hook", "pre-push", "origin", remote.to_str().unwrap()])
        .current_dir(d)
        .env("TEMIS_TODAY", "2027-01-01")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut hook.stdin.take().unwrap(), line.as_bytes()).unwrap();
    let out = hook.wait_with_output().unwrap();
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("High findings"), "{said}");
    // A branch that tracks another (git-flow: `origin/develop`) holds to that one: the baseline
    // develop committed is known there, not only main's.
    git(d, &["push", "-q", "origin", "HEAD~1:refs/heads/develop"]);
    git(d, &["fetch", "-q", "origin"]);
    git(d, &["checkout", "-q", "-b", "feature/x", "--track", "origin/develop"]);
    crate::support::write(d, "app/db.py", "import sqlite3\nimport subprocess\n");
    git(d, &["commit", "-q", "-am", "feat: the code on develop's branch"]);
    let r = temis_in(d, &["gate", "--root", ".", "--today", "2027-01-01"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("already in the baseline"), "{}", r.stdout);
    git(d, &["checkout", "-q", "feature/login"]);
    // Once the baseline is on the trunk, its findings are known.
    git(d, &["push", "-q", "origin", "HEAD:main"]);
    git(d, &["fetch", "-q", "origin"]);
    let r = temis_in(d, &["gate", "--root", ".", "--today", "2027-01-01", "--base", "origin/main"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("already in the baseline"), "{}", r.stdout);
}

/// A clean bandit (or Semgrep) scan of another project's files approved this one's security: the
/// files a scan names must be files here, as a coverage report's must.
#[test]
fn a_scan_of_another_projects_files_is_incomplete() {
    let dir = crate::support::repo();
    let d = dir.path();
    crate::support::write(d, "src/app.py", "x = 1\n");
    crate::support::write(
        d,
        "temis.toml",
        "[coverage]\nrequired = false\n\n[tests]\nrequired = false\n\n[security]\nrequired = true\n",
    );
    let bandit = |file: &str| {
        format!(
            r#"{{"errors":[],"metrics":{{"_totals":{{"loc":1,"nosec":0}},"{file}":{{"loc":1,"nosec":0}}}},"results":[]}}"#
        )
    };
    crate::support::write(d, "bandit.json", &bandit("/home/ci/other-project/lib/ok.py"));
    let r = temis_in(d, &["gate", "bandit.json"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("none is a file of this repository (/home/ci/other-project/lib/ok.py)"), "{}", r.stdout);
    let semgrep = r#"{"version":"1.187.0","results":[],"errors":[],"paths":{"scanned":["/elsewhere/lib/x.py"]}}"#;
    crate::support::write(d, "semgrep.json", semgrep);
    assert_eq!(temis_in(d, &["gate", "semgrep.json"]).code, 1);
    // This repository's files, as the scanner names them (relative, or under a CI machine's
    // checkout): judged.
    for file in ["src/app.py", "./src/app.py", "/home/runner/work/app/app/src/app.py"] {
        crate::support::write(d, "bandit.json", &bandit(file));
        let r = temis_in(d, &["gate", "bandit.json"]);
        assert_eq!(r.code, 0, "{file}: {}{}", r.stdout, r.stderr);
    }
}

/// A security report older than files its scanner reads is of other code: bandit's clean scan
/// of `app.py`, then `subprocess.call(x, shell=True)` added and no scan since, approved without a
/// word (every other kind of report had its age checked). Each report is held to what its scanner
/// reads: code for bandit, the requirements for pip-audit; a warning, a failure with `[reports]
/// stale = "block"`, and no waiver excuses it.
#[test]
fn a_security_report_older_than_what_its_scanner_reads_is_stale() {
    let dir = crate::support::repo();
    let d = dir.path();
    let policy = |stale: &str| {
        format!(
            "[coverage]\nrequired = false\n[tests]\nrequired = false\n[security]\nrequired = true\n[reports]\nstale = \"{stale}\"\n\n[[waivers]]\ncheck = \"security-report-stale\"\nreason = \"x\"\nexpires = 2099-01-01\n"
        )
    };
    crate::support::write(d, "temis.toml", &policy("warn"));
    crate::support::write(d, "app.py", "import subprocess\n");
    crate::support::write(d, "requirements.txt", "requests==2.32.0\n");
    let bandit = r#"{"errors":[],"metrics":{"_totals":{"loc":1,"nosec":0},"app.py":{"loc":1,"nosec":0}},"results":[]}"#;
    crate::support::write(d, "bandit.json", bandit);
    let pip = r#"{"dependencies":[{"name":"requests","version":"2.32.0","vulns":[]}],"fixes":[]}"#;
    crate::support::write(d, "pip-audit.json", pip);
    let age = |file: &str, secs: u64| {
        let at = std::time::SystemTime::now() - std::time::Duration::from_secs(secs);
        std::fs::File::options().write(true).open(d.join(file)).unwrap().set_modified(at).unwrap();
    };
    // The reports after the files: fresh.
    for (f, secs) in [("app.py", 300), ("requirements.txt", 300), ("bandit.json", 100), ("pip-audit.json", 100)] {
        age(f, secs);
    }
    let r = temis_in(d, &["gate", "--color", "never", "bandit.json", "pip-audit.json"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(!r.stdout.contains("Security report age"), "{}", r.stdout);
    // requirements.txt changed since: pip-audit's report is stale, bandit's is not.
    age("requirements.txt", 10);
    let r = temis_in(d, &["gate", "--color", "never", "bandit.json", "pip-audit.json"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("WARN   Security report age  1 file(s) its scanner reads changed after pip-audit.json was written (requirements.txt)"),
        "{}",
        r.stdout
    );
    // A stale scan says nothing of the coverage and test figures: they are recorded for later
    // ratchets (a skipped audit job on main left every later change without a base).
    crate::support::git(d, &["add", "app.py", "requirements.txt", "temis.toml"]);
    crate::support::git(d, &["commit", "-qm", "init"]);
    age("requirements.txt", 10);
    let r = temis_in(d, &["gate", "--color", "never", "--record", "bandit.json", "pip-audit.json"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("WARN   Security report age") && r.stderr.contains("recorded the figures"),
        "{}{}",
        r.stdout,
        r.stderr
    );
    // app.py changed since too; with stale = "block" both fail, the waiver excusing nothing.
    age("app.py", 10);
    crate::support::write(d, "temis.toml", &policy("block"));
    let r = temis_in(d, &["gate", "--color", "never", "bandit.json", "pip-audit.json"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("FAIL   Security report age"), "{}", r.stdout);
    assert!(r.stdout.contains("(app.py, requirements.txt)"), "{}", r.stdout);
}

/// Semgrep OSS writes "requires login" for every result's fingerprint (and, in its JSON, for the
/// flagged lines): taken for a fingerprint, or leaving the message alone to know a finding by,
/// the baseline entry of `subprocess.call("ls", shell=True)` excused `subprocess.call(x,
/// shell=True)` in the same file. Real Semgrep 1.187.0 output, both formats.
#[test]
fn semgrep_oss_placeholders_identify_no_finding() {
    let policy = "[coverage]\nrequired = false\n[tests]\nrequired = false\n[security]\nnew_only = true\n";
    for format in ["json", "sarif"] {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        git(d, &["init", "-q", "-b", "main"]);
        std::fs::write(d.join("temis.toml"), policy).unwrap();
        let copy = |from: &str, to: &str| {
            std::fs::create_dir_all(d.join(to).parent().unwrap()).unwrap();
            std::fs::copy(fixture(&format!("security/semgrep-oss/{from}")), d.join(to)).unwrap();
        };
        copy("app-base.py", "src/app.py");
        std::fs::write(d.join(".gitignore"), "semgrep.*\n").unwrap();
        let report = format!("semgrep.{format}");
        copy(&format!("base.{format}"), &report);
        let r = temis_in(d, &["security", "baseline", "--root", ".", &report]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        git(d, &["add", "."]);
        git(d, &["commit", "-q", "-m", "chore: baseline"]);
        // The same finding as the baseline's: not new.
        let r = temis_in(d, &["gate", "--root", ".", "--today", "2027-01-01", "--base", "HEAD", &report]);
        assert_eq!(r.code, 0, "{format}: {}", r.stdout);
        assert!(r.stdout.contains("1 already in the baseline"), "{format}: {}", r.stdout);
        // Another line flagged by the same rule in the same file: new.
        copy("app-head.py", "src/app.py");
        copy(&format!("head.{format}"), &report);
        let r = temis_in(d, &["gate", "--root", ".", "--today", "2027-01-01", "--base", "HEAD", &report]);
        assert_eq!(r.code, 1, "{format}: {}", r.stdout);
        assert!(r.stdout.contains("0 already in the baseline"), "{format}: {}", r.stdout);
    }
}

/// `temis security baseline` of a SARIF run that did not finish (`executionSuccessful: false`)
/// wrote an empty baseline over the committed one, exit 0; the gate calls the same report
/// incomplete.
#[test]
fn a_baseline_is_never_taken_from_an_unfinished_scan() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    let failed = r#"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"bandit"}},"invocations":[{"executionSuccessful":false,"toolExecutionNotifications":[{"level":"error","message":{"text":"syntax error in app.py"}}]}],"results":[]}]}"#;
    std::fs::write(d.join("failed.sarif"), failed).unwrap();
    std::fs::create_dir_all(d.join(".temis")).unwrap();
    std::fs::write(d.join(".temis/security-baseline.json"), "kept\n").unwrap();
    let r = temis_in(d, &["security", "baseline", "--root", ".", "failed.sarif"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("failed.sarif: the scan did not finish"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(d.join(".temis/security-baseline.json")).unwrap(), "kept\n");
}

/// `bandit -lll` (high only) wrote no finding and counted a medium and a low in its
/// `metrics._totals`; the gate judged the list and approved, JSON and SARIF alike ("Medium
/// findings 0 ≤ 0"). Findings counted and filtered out, at a severity the policy limits, cannot
/// pass; a filter that only leaves out severities the policy does not limit is fine. bandit's
/// SARIF keeps the same totals in the run's properties, and its `# nosec` lines counted there
/// cannot be judged where suppressions are not honoured.
#[test]
fn findings_bandit_counted_and_filtered_out_are_not_a_clean_scan() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    crate::support::write(d, "src/app.py", "import os\nimport pickle\n");
    let strict = "[coverage]\nrequired = false\n[tests]\nrequired = false\n\
                  [security]\nmax = { critical = 0, high = 0, medium = 0 }\n";
    for (report, name) in [
        ("security/bandit-json/filtered-lll.json", "bandit.json"),
        ("security/sarif/bandit-filtered-lll.sarif", "bandit.sarif"),
    ] {
        std::fs::write(d.join("temis.toml"), strict).unwrap();
        std::fs::copy(fixture(report), d.join(name)).unwrap();
        let r = temis_in(d, &["gate", "--root", ".", "--color", "never", name]);
        assert_eq!(r.code, 1, "{name}: {}", r.stdout);
        assert!(
            r.stdout.contains("counts 1 medium finding(s) it does not list — filtered out of its report"),
            "{name}: {}",
            r.stdout
        );
        // The default limits critical and high only: what -lll left out is not limited.
        std::fs::write(d.join("temis.toml"), "[coverage]\nrequired = false\n[tests]\nrequired = false\n").unwrap();
        let r = temis_in(d, &["gate", "--root", ".", "--color", "never", name]);
        assert_eq!(r.code, 0, "{name}: {}", r.stdout);
        assert!(!r.stdout.contains("Filtered findings"), "{name}: {}", r.stdout);
    }
    // A full scan's SARIF with a `# nosec` line: counted, not listed.
    std::fs::copy(fixture("security/sarif/bandit-nosec.sarif"), d.join("bandit.sarif")).unwrap();
    let policy = "[coverage]\nrequired = false\n[tests]\nrequired = false\n[security]\nhonor_suppressions = false\n";
    std::fs::write(d.join("temis.toml"), policy).unwrap();
    let r = temis_in(d, &["gate", "--root", ".", "--color", "never", "bandit.sarif"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("left 1 suppressed finding(s) out of its report"), "{}", r.stdout);
    assert!(!r.stdout.contains("Filtered findings"), "a full scan: {}", r.stdout);
}
