//! `temis ci jenkins`: the files Jenkins' plugins read.

use super::{Run, Workspace, clone_of_change, foreign_commands, read_back, repo_with_change, uncovered_added};

fn run(ws: &Workspace, env: &[(&'static str, String)], args: &[&str]) -> Run {
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let argv: Vec<&str> = ["ci", "jenkins"].iter().chain(args).copied().collect();
    ws.run(&argv, &env)
}

#[test]
fn jenkins_writes_warnings_ng_issues_cobertura_and_junit() {
    let ws = Workspace::example();
    let r = run(&ws, &[("JENKINS_URL", "https://ci.example.com/".into())], &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let issues = r.json("issues.json");
    let list = issues["issues"].as_array().unwrap();
    assert!(!list.is_empty());
    assert_eq!(list[0]["severity"], "ERROR");
    assert_eq!(list[0]["fileName"], "src/authsvc/jwt.py");
    assert!(list.iter().all(|i| i["fingerprint"].as_str().is_some_and(|f| f.len() == 32)));
    assert_eq!(read_back(&r.artifacts.join("cobertura.xml"))["coverage"]["lines"]["total"], 75);
    assert_eq!(read_back(&r.artifacts.join("junit.xml"))["tests"]["total"], 3);
    assert!(r.stdout.contains("BLOCKED: 2 failed, 1 passed"), "{}", r.stdout);
}

#[test]
fn jenkins_measures_a_change_request_from_its_target_branch() {
    let (_origin, ws, _base, head) = clone_of_change();
    let env = [("CHANGE_ID", "12".to_string()), ("CHANGE_TARGET", "main".into()), ("GIT_COMMIT", head)];
    let r = run(&ws, &env, &["lcov.info"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let issues = r.json("issues.json");
    assert_eq!(
        uncovered_added(issues["issues"].as_array().unwrap(), "patch-coverage-below-threshold"),
        [("app.py".to_string(), 4)]
    );
}

#[test]
fn jenkins_measures_a_branch_build_from_the_last_successful_commit() {
    let (dir, base, head) = repo_with_change(0);
    let env = [("GIT_PREVIOUS_SUCCESSFUL_COMMIT", base), ("GIT_COMMIT", head)];
    let r = run(&Workspace::at(dir), &env, &["lcov.info"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.artifact("summary.md").contains("**Patch coverage 50 %**"), "{}", r.artifact("summary.md"));
}

#[test]
fn jenkins_hostile_report_text_stays_plain() {
    let r = run(&Workspace::hostile(), &[], &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let issues = r.artifact("issues.json");
    for bad in ["<img", "<script", "@everyone", "@here"] {
        assert!(!issues.contains(bad), "{bad} reaches warnings-ng: {issues}");
    }
    assert_eq!(foreign_commands(&r.stdout, &[]), Vec::<&str>::new(), "{}", r.stdout);
    assert!(!r.stdout.contains('\u{1b}'));
}

/// `temis ci jenkins --artifacts .` wrote its checks over the project's `junit.xml` (one failing
/// test), and the next run read temis's checks as the project's tests. The reports a run judged
/// are never written over, a project's `cobertura.xml` there is not removed, and temis's own
/// check report is never judged as tests.
#[test]
fn artifacts_never_replace_a_report_judged_nor_count_as_tests() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    crate::support::write(d, "src/app.py", "def a():\n    return 1\n");
    let lcov = "TN:\nSF:src/app.py\nDA:1,1\nDA:2,1\nLF:2\nLH:2\nend_of_record\n";
    let junit = "<testsuites><testsuite name=\"pytest\" tests=\"2\" failures=\"1\"><testcase classname=\"t\" name=\"a\"/>\
                 <testcase classname=\"t\" name=\"b\"><failure message=\"boom\">x</failure></testcase></testsuite></testsuites>\n";
    let cobertura =
        "<?xml version=\"1.0\" ?>\n<coverage lines-valid=\"2\" lines-covered=\"2\" line-rate=\"1\"></coverage>\n";
    crate::support::write(d, "lcov.info", lcov);
    crate::support::write(d, "junit.xml", junit);
    crate::support::write(d, "cobertura.xml", cobertura);
    // The project's own summary.md and issues.json were replaced with temis's too.
    // (Naming temis in them does not make them temis's.)
    let (summary, issues) =
        ("# My project\nchecked by temis: yes\n", "{\"issues\": [{\"message\": \"mine, see temis\"}]}\n");
    crate::support::write(d, "summary.md", summary);
    crate::support::write(d, "issues.json", issues);
    let env = [("JENKINS_URL", "http://jenkins/"), ("WORKSPACE", d.to_str().unwrap())];
    for args in [
        &["init", "-q", "-b", "main"][..],
        &["add", "src"],
        &["-c", "user.name=t", "-c", "user.email=t@x", "commit", "-qm", "init"],
    ] {
        assert!(std::process::Command::new("git").args(args).current_dir(d).status().unwrap().success());
    }
    let r = crate::support::temis_env(d, &["ci", "jenkins", "--artifacts", ".", "lcov.info", "junit.xml"], &env);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("junit.xml not written: it is a report this run judged"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(d.join("junit.xml")).unwrap(), junit);
    assert_eq!(std::fs::read_to_string(d.join("cobertura.xml")).unwrap(), cobertura, "not temis's: kept");
    assert_eq!(std::fs::read_to_string(d.join("summary.md")).unwrap(), summary, "not temis's: kept");
    assert_eq!(std::fs::read_to_string(d.join("issues.json")).unwrap(), issues, "not temis's: kept");
    assert!(r.stderr.contains("summary.md not written: a file temis did not write is there"), "{}", r.stderr);
    // temis's own verdict.json, written by this run, is replaced by the next.
    assert!(std::fs::read_to_string(d.join("verdict.json")).unwrap().contains("temis.verdict"));
    let r = crate::support::temis_env(d, &["ci", "jenkins", "--artifacts", ".", "lcov.info", "junit.xml"], &env);
    assert!(!r.stderr.contains("verdict.json not written"), "{}", r.stderr);
    // temis's check report, wherever it lies, is not the project's tests.
    let r = crate::support::temis_env(d, &["ci", "jenkins", "--artifacts", "out", "lcov.info", "junit.xml"], &env);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let r = crate::support::temis_in(d, &["gate", "--root", ".", "lcov.info", "out/junit.xml"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stdout.contains("out/junit.xml is temis's own report of its checks"), "{}", r.stdout);
}

/// Every finding reaches warnings-ng's issues, not the first 20 the gate once kept.
#[test]
fn jenkins_issues_carry_every_finding() {
    let ws = Workspace::findings(1_050);
    let r = run(&ws, &[("JENKINS_URL", "https://ci.example.com/".into())], &["scan.sarif"]);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    let issues = r.json("issues.json");
    let findings =
        issues["issues"].as_array().unwrap().iter().filter(|i| i["type"] == "security-findings-above-limit").count();
    assert_eq!(findings, 1_050);
}
