//! `temis init`: the commented default policy written as `temis.toml`, `[reports]` filled in for
//! the stack found at the root, never over an existing file; and `temis gate` reads what it wrote.

use std::path::Path;
use std::process::Command;

use crate::support::{Run, fixture, scrub_tmp, temis_env, temis_in};

/// The cargo running these tests, for `cargo metadata` inside `temis init` (the environment is
/// cleared, so rustup's proxy could not find a toolchain).
fn cargo() -> String {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| env!("CARGO").to_string());
    let works = Command::new(&cargo).arg("--version").output().is_ok_and(|o| o.status.success());
    assert!(
        works,
        "these tests need cargo (not found at {cargo}): temis init asks `cargo metadata` for the target directory"
    );
    cargo
}

fn init(dir: &Path, args: &[&str]) -> Run {
    let cargo = cargo();
    let mut full = vec!["init"];
    full.extend_from_slice(args);
    let r = temis_env(dir, &full, &[("CARGO", &cargo)]);
    Run { code: r.code, stdout: scrub_tmp(&r.stdout, dir), stderr: scrub_tmp(&r.stderr, dir) }
}

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// What follows `[reports]` in a written policy.
fn reports_section(policy: &str) -> &str {
    policy.split_once("\n[reports]\n").map_or("", |(_, rest)| rest)
}

/// `temis gate` reads the written policy: a verdict under it (not a policy error), looking for
/// coverage reports where `[reports]` says (`looked for LOCATIONS`).
fn assert_gate_reads_it(dir: &Path, coverage_looked_for: &str) {
    let r = temis_in(dir, &["gate", "--today", "2026-11-24"]);
    assert!(r.stderr.is_empty(), "the written policy is invalid:\n{}", r.stderr);
    assert!(r.stdout.starts_with("temis gate — policy: temis.toml\n"), "{}", r.stdout);
    assert!(r.stdout.contains(&format!("looked for {coverage_looked_for}")), "{}", r.stdout);
    assert_eq!(r.code, 2, "no reports yet: {}", r.stdout);
}

#[test]
fn each_stack_gets_its_report_locations() {
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "package.json",
            "{\n  \"name\": \"web\",\n  \"version\": \"1.0.0\",\n  \"scripts\": { \"test\": \"jest --coverage\" }\n}\n",
            "JavaScript/TypeScript (package.json)",
            "coverage = [\"coverage/lcov.info\"]\ntests = [\"junit.xml\"]   # or where yours write it: test-results/junit.xml\n",
        ),
        (
            "pyproject.toml",
            "[project]\nname = \"authsvc\"\nversion = \"0.1.0\"\n",
            "Python",
            "coverage = [\"coverage.xml\"]\ntests = [\"junit.xml\"]\n",
        ),
        (
            "go.mod",
            "module example.com/authsvc\n\ngo 1.23\n",
            "Go (go.mod)",
            "coverage = [\"cover.out\"]   # or where yours write it: coverage.out\ntests = [\"report.xml\"]\n",
        ),
        (
            "pom.xml",
            "<project><modelVersion>4.0.0</modelVersion><groupId>dev.temis</groupId>\
             <artifactId>authsvc</artifactId><version>0.1.0</version></project>\n",
            "Java (Maven)",
            "coverage = [\"target/site/jacoco/jacoco.xml\"]\ntests = [\"target/surefire-reports/TEST-*.xml\"]\n",
        ),
        (
            "build.gradle.kts",
            "plugins { java; jacoco }\n",
            "JVM (Gradle)",
            "coverage = [\"build/reports/jacoco/test/jacocoTestReport.xml\"]\ntests = [\"build/test-results/test/TEST-*.xml\"]\n",
        ),
        (
            "Cargo.toml",
            "[package]\nname = \"authsvc\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
            "Rust (Cargo)",
            "coverage = [\"lcov.info\"]   # or where yours write it: target/lcov.info, tarpaulin-report.json\n\
             tests = [\"target/nextest/*/junit.xml\"]\n",
        ),
    ];
    for (manifest, text, stack, reports) in cases {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), manifest, text);
        if *manifest == "Cargo.toml" {
            write(dir.path(), "src/lib.rs", "");
        }
        let r = init(dir.path(), &[]);
        assert_eq!(r.code, 0, "{manifest}: {}", r.stderr);
        assert_eq!(r.stdout.lines().next().unwrap(), format!("wrote [TMP]/temis.toml ({stack})"), "{manifest}");
        let policy = std::fs::read_to_string(dir.path().join("temis.toml")).unwrap();
        assert!(policy.contains(&format!("# Where this repository's reports are ({stack}).")), "{manifest}:\n{policy}");
        assert_eq!(reports_section(&policy), *reports, "{manifest}:\n{policy}");
        let coverage = reports.lines().next().unwrap().trim_start_matches("coverage = [").split(']').next().unwrap();
        assert_gate_reads_it(dir.path(), &format!("{};", coverage.replace('"', "")));
    }
}

#[test]
fn cargo_target_directory_comes_from_cargo_metadata() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Cargo.toml", "[package]\nname = \"authsvc\"\nversion = \"0.1.0\"\nedition = \"2021\"\n");
    write(dir.path(), "src/lib.rs", "");
    write(dir.path(), ".cargo/config.toml", "[build]\ntarget-dir = \"out/cargo\"\n");
    let r = init(dir.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let policy = std::fs::read_to_string(dir.path().join("temis.toml")).unwrap();
    assert_eq!(
        reports_section(&policy),
        "coverage = [\"lcov.info\"]   # or where yours write it: out/cargo/lcov.info, tarpaulin-report.json\n\
         tests = [\"out/cargo/nextest/*/junit.xml\"]\n",
        "{policy}"
    );
    // The locations it wrote are where `temis gate` then finds the reports.
    std::fs::create_dir_all(dir.path().join("out/cargo/nextest/ci")).unwrap();
    write(dir.path(), "src/app/notify.py", "def notify(user):\n    send(user)\n\n\ndef send(user):\n    return user\n");
    std::fs::copy(fixture("gate/untrusted-names/coverage.lcov"), dir.path().join("lcov.info")).unwrap();
    std::fs::copy(fixture("gate/phases/junit.xml"), dir.path().join("out/cargo/nextest/ci/junit.xml")).unwrap();
    let r = temis_in(dir.path(), &["gate", "--today", "2026-11-24"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("APPROVED: 3 passed (lcov.info, out/cargo/nextest/ci/junit.xml)"), "{}", r.stdout);
}

#[test]
fn the_written_policy_is_the_commented_default_plus_reports() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pyproject.toml", "[project]\nname = \"authsvc\"\nversion = \"0.1.0\"\n");
    let r = init(dir.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!("init_stdout", r.stdout);
    let policy = std::fs::read_to_string(dir.path().join("temis.toml")).unwrap();
    assert!(policy.starts_with(include_str!("../../policies/default.toml")), "{policy}");
    insta::assert_snapshot!("init_python_policy", policy);
}

#[test]
fn without_a_known_stack_reports_are_left_commented() {
    let dir = tempfile::tempdir().unwrap();
    let r = init(dir.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("wrote [TMP]/temis.toml (no known stack detected)\n"), "{}", r.stdout);
    let policy = std::fs::read_to_string(dir.path().join("temis.toml")).unwrap();
    assert!(!policy.contains("\n[reports]"), "{policy}");
    assert!(policy.ends_with("\n# [reports]\n# coverage = [\"coverage.xml\"]   # paths or globs; conventional locations are searched when absent\n# tests = [\"junit.xml\"]\n"), "{policy}");
    // With no [reports], gate searches the conventional locations.
    assert_gate_reads_it(dir.path(), "coverage.xml, coverage.json");
}

#[test]
fn stacks_that_share_a_location_list_it_once() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "package.json", "{\"name\": \"web\"}\n");
    write(dir.path(), "pyproject.toml", "[project]\nname = \"api\"\n");
    let r = init(dir.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("(JavaScript/TypeScript (package.json), Python)"), "{}", r.stdout);
    let policy = std::fs::read_to_string(dir.path().join("temis.toml")).unwrap();
    assert_eq!(
        reports_section(&policy),
        "coverage = [\"coverage/lcov.info\", \"coverage.xml\"]\ntests = [\"junit.xml\"]   # or where yours write it: test-results/junit.xml\n"
    );
}

/// Reports that already exist are where the tools write: a Go module that keeps gotestsum's
/// JUnit at `junit.xml` gets `tests = ["junit.xml"]`, not the usual `report.xml` (with which the
/// next gate could not judge), and the gate then reads them.
#[test]
fn reports_that_exist_are_the_ones_listed() {
    let dir = crate::support::repo();
    let d = dir.path();
    write(d, "go.mod", "module example.com/authsvc\n\ngo 1.23\n");
    write(d, "coverage.out", "mode: set\nexample.com/authsvc/a.go:3.13,5.2 1 1\n");
    write(d, "a.go", "package authsvc\n\nfunc A() int {\n\treturn 1\n}\n");
    write(d, "junit.xml", "<testsuite name=\"a\" tests=\"1\"><testcase name=\"TestA\"/></testsuite>\n");
    let r = init(d, &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let policy = std::fs::read_to_string(d.join("temis.toml")).unwrap();
    assert_eq!(reports_section(&policy), "coverage = [\"coverage.out\"]\ntests = [\"junit.xml\"]\n");
    // It says what the hooks it installed will enforce, and how to opt out.
    assert!(r.stdout.contains("commit-msg   the message must follow Conventional Commits"), "{}", r.stdout);
    assert!(r.stdout.contains("opt out: `temis hooks uninstall`"), "{}", r.stdout);
    let g = temis_in(d, &["gate", "--today", "2026-11-24"]);
    assert_eq!(g.code, 0, "{}{}", g.stdout, g.stderr);
}

#[test]
fn a_second_init_refuses_and_leaves_the_file_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "go.mod", "module example.com/authsvc\n\ngo 1.23\n");
    assert_eq!(init(dir.path(), &[]).code, 0);
    let path = dir.path().join("temis.toml");
    let before = std::fs::read(&path).unwrap();
    let r = init(dir.path(), &[]);
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert_eq!(
        r.stderr,
        "error: [TMP]/temis.toml already exists; temis init never overwrites a policy (edit it, or remove it first)\n"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);

    // A policy the user wrote is never touched, and nothing is left beside it.
    let mine = b"# mine\n[coverage]\nmin_line = 42\n";
    std::fs::write(&path, mine).unwrap();
    assert_eq!(init(dir.path(), &[]).code, 2);
    assert_eq!(std::fs::read(&path).unwrap(), mine);
    let mut names: Vec<String> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["go.mod", "temis.toml"]);
}

#[test]
fn root_option_writes_there() {
    let elsewhere = tempfile::tempdir().unwrap();
    let repo = tempfile::tempdir().unwrap();
    write(repo.path(), "go.mod", "module example.com/authsvc\n");
    let r = init(elsewhere.path(), &["--root", repo.path().to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(repo.path().join("temis.toml").is_file());
    assert!(!elsewhere.path().join("temis.toml").exists());
}

#[cfg(unix)]
#[test]
fn the_policy_is_created_like_any_other_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(init(dir.path(), &[]).code, 0);
    std::fs::write(dir.path().join("other"), "").unwrap();
    let mode = |name: &str| std::fs::metadata(dir.path().join(name)).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode("temis.toml"), mode("other"), "the umask's mode, not a temporary file's 0600");
}

#[test]
fn in_a_git_repository_init_also_installs_the_hooks_unless_told_not_to() {
    let dir = crate::support::repo();
    let r = init(dir.path(), &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    for hook in ["pre-commit", "prepare-commit-msg", "commit-msg", "pre-push"] {
        let shim = std::fs::read_to_string(dir.path().join(".git/hooks").join(hook))
            .unwrap_or_else(|e| panic!("{hook} not installed: {e}\n{}", r.stdout));
        assert!(shim.contains("temis-managed-hook"), "{hook} is not temis's shim");
    }
    let other = crate::support::repo();
    let r = init(other.path(), &["--no-hooks"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("hooks: not installed (--no-hooks)"), "{}", r.stdout);
    assert!(!other.path().join(".git/hooks/pre-commit").exists(), "no hook with --no-hooks");
}

/// A frontend and a backend, the frontend's coverage already written: the backend's usual place
/// is listed beside it, not dropped (the backend's coverage would then never be read, and the
/// frontend's alone would approve); until the backend's is written the gate cannot judge.
#[test]
fn a_stack_whose_reports_are_not_there_yet_keeps_its_place() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "package.json", "{\"name\": \"web\"}\n");
    write(dir.path(), "pyproject.toml", "[project]\nname = \"api\"\n");
    write(dir.path(), "coverage/lcov.info", "SF:web/a.js\nDA:1,1\nend_of_record\n");
    let r = init(dir.path(), &["--no-hooks"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let policy = std::fs::read_to_string(dir.path().join("temis.toml")).unwrap();
    assert_eq!(
        reports_section(&policy),
        "coverage = [\"coverage/lcov.info\", \"coverage.xml\"]\ntests = [\"junit.xml\"]   # or where yours write it: \
         test-results/junit.xml\n"
    );
    let g = temis_in(dir.path(), &["gate", "--today", "2026-11-24"]);
    assert_eq!(g.code, 2, "{}{}", g.stdout, g.stderr);
    assert!(g.stdout.contains("coverage.xml is not there: `[reports] coverage` lists it"), "{}", g.stdout);
}
