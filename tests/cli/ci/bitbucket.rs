//! `temis ci bitbucket` against the fake Bitbucket, both as the API behind the Pipelines proxy
//! and as the API itself.

use super::fake::{Fake, Platform, State, ops};
use super::{Run, TOKEN, Workspace, clone_of_change, foreign_commands, read_back};

const COMMIT: &str = "6dcb09b5b57875f334f61aebed695e2e4193db5e";

/// A pull-request step's variables, the fake as the pipeline's proxy.
fn pipeline_env(proxy: &str) -> Vec<(&'static str, String)> {
    vec![
        ("BITBUCKET_BUILD_NUMBER", "42".into()),
        ("BITBUCKET_WORKSPACE", "acme".into()),
        ("BITBUCKET_REPO_SLUG", "app".into()),
        ("BITBUCKET_COMMIT", COMMIT.into()),
        ("BITBUCKET_PR_ID", "7".into()),
        ("TEMIS_BITBUCKET_PROXY", proxy.into()),
    ]
}

fn run(ws: &Workspace, env: &[(&'static str, String)], args: &[&str]) -> Run {
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let argv: Vec<&str> = ["ci", "bitbucket"].iter().chain(args).copied().collect();
    ws.run(&argv, &env)
}

fn assert_valid(bb: &Fake) {
    for r in bb.requests() {
        assert!(r.problems.is_empty(), "{} {} broke the contract: {:?}", r.method, r.target, r.problems);
    }
}

#[test]
fn bitbucket_through_the_proxy_one_report_is_written_and_the_next_run_replaces_it() {
    let bb = Fake::start(Platform::Bitbucket, State::default());
    let ws = Workspace::example();
    let env = pipeline_env(&bb.url);

    let first = run(&ws, &env, &[]);
    assert_eq!(first.code, 1, "{}", first.stderr);
    assert_valid(&bb);
    assert_eq!(ops(&bb.writes()), ["createOrUpdateReport", "bulkCreateOrUpdateAnnotations"]);
    for r in bb.requests() {
        assert!(
            r.target.starts_with(&format!(
                "http://api.bitbucket.org/2.0/repositories/acme/app/commit/{COMMIT}/reports/temis"
            )),
            "absolute form through the proxy: {}",
            r.target
        );
        assert_eq!(r.header("host"), Some("api.bitbucket.org"));
        assert_eq!(r.header("authorization"), None, "no credentials of temis's own through the proxy");
    }
    let second = run(&ws, &env, &[]);
    assert_eq!(second.code, 1);
    assert_valid(&bb);
    let st = bb.state.lock().unwrap();
    assert_eq!(st.reports.len(), 1, "one report on the commit");
    let report = st.reports.values().next().unwrap().clone();
    let annotations: Vec<_> = st.annotations.values().next().unwrap().values().cloned().collect();
    drop(st);
    let first_batch = bb.writes()[1].body.clone().unwrap();
    assert_eq!(annotations.len(), first_batch.as_array().unwrap().len(), "the second run updated the same annotations");
    assert_eq!(report["result"], "FAILED");
    assert_eq!(report["report_type"], "COVERAGE");
    let data = report["data"].as_array().unwrap();
    assert!(data.len() <= 6, "{report}");
    assert_eq!(data[0], serde_json::json!({"type": "TEXT", "title": "Verdict", "value": "BLOCKED"}));
    assert_eq!(data[1], serde_json::json!({"type": "PERCENTAGE", "title": "Line coverage", "value": 77.33}));
    assert!(annotations.iter().all(|a| a["external_id"].as_str().is_some_and(|id| id.starts_with("temis-"))));
    super::snapshot("bitbucket_report", &serde_json::to_string_pretty(&report).unwrap());

    let junit = read_back(&second.artifacts.join("test-results/temis-junit.xml"));
    assert_eq!(junit["tests"]["failed"], 2);
}

#[test]
fn bitbucket_outside_pipelines_a_token_reaches_the_api() {
    let bb = Fake::start(Platform::Bitbucket, State::default());
    let env = vec![
        ("BITBUCKET_WORKSPACE", "acme".to_string()),
        ("BITBUCKET_REPO_SLUG", "app".into()),
        ("BITBUCKET_COMMIT", COMMIT.into()),
        ("TEMIS_BITBUCKET_TOKEN", TOKEN.into()),
        ("TEMIS_BITBUCKET_API_URL", format!("{}/2.0", bb.url)),
    ];
    let r = run(&Workspace::approved(), &env, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_valid(&bb);
    let writes = bb.writes();
    assert_eq!(ops(&writes), ["createOrUpdateReport"], "no annotation to add when nothing is wrong");
    assert_eq!(writes[0].target, format!("/2.0/repositories/acme/app/commit/{COMMIT}/reports/temis"));
    assert_eq!(writes[0].header("authorization"), Some(format!("Bearer {TOKEN}").as_str()));
    assert_eq!(writes[0].body.as_ref().unwrap()["result"], "PASSED");
}

#[test]
fn bitbucket_a_403_degrades_to_the_artifacts_and_keeps_the_exit_code() {
    let bb = Fake::start(Platform::Bitbucket, State::default());
    bb.fail("PUT", "createOrUpdateReport", 403, 0);
    let mut env = pipeline_env(&bb.url);
    env.push(("TEMIS_BITBUCKET_TOKEN", TOKEN.into()));
    env.push(("TEMIS_BITBUCKET_API_URL", format!("{}/2.0", bb.url)));
    let r = run(&Workspace::example(), &env, &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("the Code Insights report was not written: Bitbucket answered 403"), "{}", r.stderr);
    assert!(r.stderr.contains("credentials Bearer ***"), "the echoed token is cut out: {}", r.stderr);
    assert_eq!(ops(&bb.writes()), ["createOrUpdateReport"], "no annotations without their report");
    assert!(r.artifact("summary.md").contains("was not written"));
}

#[test]
fn bitbucket_keeps_a_thousand_annotations_a_hundred_per_request_and_says_what_it_left_out() {
    use crate::support::{git, repo, write};
    // 2,400 added lines, every other one uncovered: 1,200 uncovered ranges.
    let dir = repo();
    let d = dir.path();
    write(d, "big.py", "x = 0\n");
    git(d, &["add", "big.py"]);
    git(d, &["commit", "-q", "-m", "base"]);
    let base = git(d, &["rev-parse", "HEAD"]).trim().to_string();
    let body: String = (0..2_400).map(|i| format!("y{i} = {i}\n")).collect();
    write(d, "big.py", &format!("x = 0\n{body}"));
    git(d, &["commit", "-q", "-am", "grow"]);
    let head = git(d, &["rev-parse", "HEAD"]).trim().to_string();
    let lcov: String = (2..=2_401).map(|l| format!("DA:{l},{}\n", l % 2)).collect();
    write(d, "lcov.info", &format!("SF:big.py\nDA:1,1\n{lcov}end_of_record\n"));
    write(d, "temis.toml", "[coverage]\nmin_line = 10\n\n[tests]\nrequired = false\n");
    let bb = Fake::start(Platform::Bitbucket, State::default());
    let mut env = pipeline_env(&bb.url);
    env.retain(|(k, _)| *k != "BITBUCKET_COMMIT");
    env.push(("BITBUCKET_COMMIT", head));
    env.push(("BITBUCKET_PR_DESTINATION_COMMIT", base));
    let r = run(&Workspace::at(dir), &env, &["lcov.info"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert_valid(&bb);
    let writes = bb.writes();
    assert_eq!(writes.len(), 11, "the report, then ten batches: {:?}", ops(&writes));
    assert!(writes[1..].iter().all(|w| w.body.as_ref().unwrap().as_array().unwrap().len() == 100));
    let st = bb.state.lock().unwrap();
    assert_eq!(st.annotations.values().next().unwrap().len(), 1_000);
    let details = st.reports.values().next().unwrap()["details"].as_str().unwrap().to_string();
    drop(st);
    assert!(details.contains("200 of 1200 annotations not sent"), "{details}");
    assert!(r.stderr.contains("200 of 1200 annotations not sent"), "{}", r.stderr);
    let first = &writes[1].body.as_ref().unwrap()[0];
    assert_eq!((first["path"].as_str(), first["line"].as_u64()), (Some("big.py"), Some(2)), "{first}");
}

#[test]
fn bitbucket_a_short_destination_commit_is_resolved_by_fetching_the_destination_branch() {
    let (_origin, ws, base, head) = clone_of_change();
    let r = run(
        &ws,
        &[
            ("BITBUCKET_BUILD_NUMBER", "42".into()),
            ("BITBUCKET_COMMIT", head),
            ("BITBUCKET_PR_ID", "7".into()),
            ("BITBUCKET_PR_DESTINATION_BRANCH", "main".into()),
            ("BITBUCKET_PR_DESTINATION_COMMIT", base[..12].to_string()),
        ],
        &["--insights", "false", "lcov.info"],
    );
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(r.artifact("summary.md").contains("**Patch coverage 50 %**"), "{}", r.artifact("summary.md"));
}

#[test]
fn bitbucket_hostile_report_text_arrives_escaped() {
    let bb = Fake::start(Platform::Bitbucket, State::default());
    let r = run(&Workspace::hostile(), &pipeline_env(&bb.url), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_valid(&bb);
    for w in bb.writes() {
        let body = w.body.unwrap().to_string();
        for bad in ["<img", "<script", "@everyone", "@here"] {
            assert!(!body.contains(bad), "{bad} reaches Bitbucket: {body}");
        }
    }
    assert_eq!(foreign_commands(&r.stdout, &[]), Vec::<&str>::new(), "{}", r.stdout);
}

/// A pull-request pipeline merges the destination into the checkout before the build: the
/// coverage report measures that merge, not BITBUCKET_COMMIT (the source branch's tip). The
/// change was measured on BITBUCKET_COMMIT, whose lines are numbered otherwise when the
/// destination added lines above them: the added lines read were other, covered ones, and the
/// pull request was approved. It is measured on HEAD, the commit checked out.
#[test]
fn bitbucket_a_pull_request_pipelines_merge_is_what_the_change_is_measured_on() {
    use crate::support::{git, write};
    let (dir, _, head) = super::repo_with_change(0);
    let d = dir.path();
    // The destination moves on: five lines on top of app.py.
    git(d, &["checkout", "-q", "main"]);
    let five: String = (1..=5).map(|i| format!("# top {i}\n")).collect();
    write(d, "app.py", &format!("{five}a = 1\nb = 2\n"));
    git(d, &["commit", "-q", "-am", "main: five lines on top"]);
    let destination = git(d, &["rev-parse", "HEAD"]).trim().to_string();
    // What Pipelines does: the source branch, the destination merged into it.
    git(d, &["checkout", "-q", "feature"]);
    git(d, &["merge", "-q", "--no-edit", "main"]);
    assert_ne!(git(d, &["rev-parse", "HEAD"]).trim(), head);
    // The merge's app.py: the five, a, b, then the pull request's c (8) and d (9), uncovered.
    write(
        d,
        "lcov.info",
        "SF:app.py\nDA:1,1\nDA:2,1\nDA:3,1\nDA:4,1\nDA:5,1\nDA:6,1\nDA:7,1\nDA:8,0\nDA:9,0\nend_of_record\n",
    );
    write(d, "temis.toml", "[coverage]\nmin_line = 50\nmin_patch = 50\n\n[tests]\nrequired = false\n");
    let env = [
        ("BITBUCKET_BUILD_NUMBER", "42".to_string()),
        ("BITBUCKET_COMMIT", head),
        ("BITBUCKET_PR_ID", "7".into()),
        ("BITBUCKET_PR_DESTINATION_COMMIT", destination),
    ];
    let r = run(&Workspace::at(dir), &env, &["--insights", "false", "lcov.info"]);
    assert_eq!(r.code, 1, "BLOCKED by min_patch: {}\n{}", r.stdout, r.stderr);
    assert!(r.artifact("summary.md").contains("**Patch coverage 0 %**"), "{}", r.artifact("summary.md"));
}

/// 1,050 findings: every one is judged, 1,000 reach Code Insights (100 per request, the most
/// important first) and the report and the log say how many were left out.
#[test]
fn bitbucket_sends_a_thousand_findings_and_says_how_many_were_left_out() {
    let bb = Fake::start(Platform::Bitbucket, State::default());
    let ws = Workspace::findings(1_050);
    let r = run(&ws, &pipeline_env(&bb.url), &["scan.sarif"]);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    assert_valid(&bb);
    let writes = bb.writes();
    assert_eq!(writes.len(), 11, "the report, then 10 requests of 100 annotations");
    let st = bb.state.lock().unwrap();
    assert_eq!(st.annotations.values().next().unwrap().len(), 1_000);
    let said = "50 of 1050 annotations not sent: Code Insights keeps at most 1000 per report";
    let details = st.reports.values().next().unwrap()["details"].as_str().unwrap().to_string();
    assert!(details.contains(said), "{details}");
    assert!(r.stderr.contains(said), "{}", r.stderr);
}
