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
