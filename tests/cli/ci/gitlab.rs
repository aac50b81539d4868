//! `temis ci gitlab` against the fake GitLab.

use serde_json::Value;

use super::fake::{Fake, Platform, State, ops};
use super::{Run, TOKEN, Workspace, foreign_commands, read_back, repo_with_change, uncovered_added};

const HEAD: &str = "6dcb09b5b57875f334f61aebed695e2e4193db5e";

/// A merge-request pipeline's variables, the API at `api`.
fn mr_env(api: &str) -> Vec<(&'static str, String)> {
    vec![
        ("GITLAB_CI", "true".into()),
        ("CI_API_V4_URL", format!("{api}/api/v4")),
        ("CI_PROJECT_ID", "42".into()),
        ("CI_MERGE_REQUEST_IID", "7".into()),
        ("CI_COMMIT_SHA", HEAD.into()),
        ("CI_PIPELINE_ID", "99".into()),
        ("CI_JOB_URL", "https://gitlab.example.com/acme/app/-/jobs/5".into()),
        ("TEMIS_GITLAB_TOKEN", TOKEN.into()),
    ]
}

fn run(ws: &Workspace, env: &[(&'static str, String)], args: &[&str]) -> Run {
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let argv: Vec<&str> = ["ci", "gitlab"].iter().chain(args).copied().collect();
    ws.run(&argv, &env)
}

/// Every request kept the limits (and, in the conformance target, GitLab's description) and
/// carried the token in PRIVATE-TOKEN.
fn assert_valid(gl: &Fake) {
    for r in gl.requests() {
        assert!(r.problems.is_empty(), "{} {} broke the contract: {:?}", r.method, r.path, r.problems);
        assert_eq!(r.header("private-token"), Some(TOKEN), "{} {} without the token", r.method, r.path);
    }
}

#[test]
fn gitlab_first_run_creates_one_note_and_the_next_updates_it() {
    let gl = Fake::start(Platform::GitLab, State::default());
    let ws = Workspace::example();
    let env = mr_env(&gl.url);

    let first = run(&ws, &env, &[]);
    assert_eq!(first.code, 1, "BLOCKED\n{}", first.stderr);
    assert_valid(&gl);
    assert_eq!(ops(&gl.writes()), ["createMergeRequestNote", "postApiV4ProjectsIdStatusesSha"]);
    let listing = gl.requests().into_iter().find(|r| r.operation == "listMergeRequestNotes").unwrap();
    assert_eq!(listing.path, "/api/v4/projects/42/merge_requests/7/notes");
    assert_eq!(listing.query, "sort=desc&order_by=updated_at&per_page=100&page=1");

    let second = run(&ws, &env, &[]);
    assert_eq!(second.code, 1);
    assert_valid(&gl);
    let writes = gl.writes();
    assert_eq!(
        ops(&writes),
        [
            "createMergeRequestNote",
            "postApiV4ProjectsIdStatusesSha",
            "updateMergeRequestNote",
            "postApiV4ProjectsIdStatusesSha"
        ]
    );
    let st = gl.state.lock().unwrap();
    assert_eq!(st.notes.len(), 1, "one note, updated in place");
    assert_eq!(writes[2].path, format!("/api/v4/projects/42/merge_requests/7/notes/{}", st.notes[0]["id"]));
    let body = st.notes[0]["body"].as_str().unwrap().to_string();
    let status = st.statuses[0].clone();
    drop(st);
    assert!(body.starts_with("<!-- temis:sticky-comment name=temis -->\n### ❌ temis: BLOCKED"), "{body}");
    assert!(body.contains("[pipeline job](https://gitlab.example.com/acme/app/-/jobs/5)"), "{body}");
    assert_eq!(
        status,
        serde_json::json!({"state": "failed", "name": "temis", "description": "BLOCKED: 2 failed, 1 passed",
                           "target_url": "https://gitlab.example.com/acme/app/-/jobs/5", "coverage": 77.33,
                           "pipeline_id": 99})
    );
    super::snapshot("gitlab_note", &body);

    assert!(second.stdout.ends_with("temis line coverage: 77.33%\n"), "{}", second.stdout);
    let cq = second.json("codequality.json");
    assert!(cq.as_array().is_some_and(|a| !a.is_empty()), "{cq}");
    assert_eq!(cq[0]["severity"], "blocker");
    assert!(!second.artifact("codequality.json").starts_with('\u{feff}'), "no byte-order mark");
    let verdict = second.json("verdict.json");
    assert_eq!(verdict["verdict"], "BLOCKED");
    assert!(second.artifact("summary.md").starts_with("### ❌ temis: BLOCKED"));
}

/// Beside a report that could not be read, the log still ended with `temis line coverage: 100%`
/// (GitLab's `coverage:` keyword turns it into the badge) and the commit status carried it: no
/// figure is published that was not measured.
#[test]
fn gitlab_publishes_no_coverage_figure_beside_an_unreadable_report() {
    let gl = Fake::start(Platform::GitLab, State::default());
    let ws = Workspace::approved();
    crate::support::write(ws.path(), "cut.xml", "<?xml version=\"1.0\"?><coverage line-rate=\"0.1\"><packages><pack");
    let r = run(&ws, &mr_env(&gl.url), &["coverage.xml", "junit.xml", "cut.xml"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(!r.stdout.contains("temis line coverage:"), "{}", r.stdout);
    let st = gl.state.lock().unwrap();
    assert_eq!(st.statuses[0]["state"], "failed");
    assert!(st.statuses[0].get("coverage").is_none_or(Value::is_null), "{}", st.statuses[0]);
}

#[test]
fn gitlab_artifacts_read_back_with_temis_own_readers() {
    let ws = Workspace::example();
    let r = run(&ws, &[("GITLAB_CI", "true".into())], &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("no TEMIS_GITLAB_TOKEN"), "{}", r.stderr);
    let cobertura = read_back(&r.artifacts.join("cobertura.xml"));
    assert_eq!(cobertura["format"], "cobertura");
    assert_eq!(cobertura["coverage"]["lines"]["total"], 75, "the example's 75 lines: {cobertura}");
    assert_eq!(cobertura["coverage"]["lines"]["covered"], 58);
    let xml = r.artifact("cobertura.xml");
    assert_eq!(xml.matches("<source>").count(), 1);
    assert!(xml.contains("filename=\"src/authsvc/jwt.py\""), "paths relative to the repository");
    let junit = read_back(&r.artifacts.join("junit.xml"));
    assert_eq!(junit["format"], "junit");
    assert_eq!(junit["tests"]["total"], 3, "one test case per check: {junit}");
    assert_eq!(junit["tests"]["failed"], 2);
}

#[test]
fn gitlab_a_403_degrades_to_the_artifacts_and_keeps_the_exit_code() {
    let gl = Fake::start(Platform::GitLab, State::default());
    gl.fail("POST", "createMergeRequestNote", 403, 0);
    let env = mr_env(&gl.url);
    let r = run(&Workspace::example(), &env, &[]);
    assert_eq!(r.code, 1, "BLOCKED stays BLOCKED: exit 1, not 2\n{}", r.stderr);
    assert!(r.stderr.contains("the merge-request note was not written: GitLab answered 403"), "{}", r.stderr);
    assert!(r.stderr.contains("refused for credentials ***"), "the token the server echoed is cut out: {}", r.stderr);
    assert!(r.artifact("summary.md").contains("the merge-request note was not written"));
    assert_eq!(
        ops(&gl.writes()),
        ["createMergeRequestNote", "postApiV4ProjectsIdStatusesSha"],
        "the status still goes"
    );
    assert!(r.artifacts.join("codequality.json").is_file());

    let ok = run(&Workspace::approved(), &env, &[]);
    assert_eq!(ok.code, 0, "APPROVED stays APPROVED\n{}", ok.stderr);
    assert!(ok.stderr.contains("403"), "{}", ok.stderr);
}

/// A reviewer's note quoting temis's (the marker not at its start) is hers: temis updates its
/// own note, never hers; and when GitLab refuses the update, the warning says the note on the
/// merge request still shows an earlier verdict.
#[test]
fn gitlab_a_note_quoting_the_marker_is_never_taken_over() {
    let m = "<!-- temis:sticky-comment name=temis -->";
    let alice = format!("> {m}\n> ### temis: BLOCKED\n\n@bob please look at src/app.py first.");
    let notes = vec![
        serde_json::json!({"id": 1, "body": format!("{m}\n### temis: APPROVED\n(old run)"), "system": false,
                           "updated_at": 1, "author": {"id": 7, "username": "temis-bot"}}),
        serde_json::json!({"id": 2, "body": alice, "system": false, "updated_at": 2,
                           "author": {"id": 8, "username": "alice"}}),
    ];
    let gl = Fake::start(Platform::GitLab, State { notes: notes.clone(), ..State::default() });
    let r = run(&Workspace::example(), &mr_env(&gl.url), &["--status", "false"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_valid(&gl);
    let writes = gl.writes();
    assert_eq!(ops(&writes), ["updateMergeRequestNote"]);
    assert_eq!(writes[0].path, "/api/v4/projects/42/merge_requests/7/notes/1");
    let st = gl.state.lock().unwrap();
    assert_eq!(st.notes[1]["body"], notes[1]["body"], "alice's note is untouched");
    assert!(st.notes[0]["body"].as_str().unwrap().contains("temis: BLOCKED"));
    drop(st);

    let gl = Fake::start(Platform::GitLab, State { notes, ..State::default() });
    gl.fail("PUT", "updateMergeRequestNote", 403, 0);
    let r = run(&Workspace::example(), &mr_env(&gl.url), &["--status", "false"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(ops(&gl.writes()), ["updateMergeRequestNote"], "no second note, and not alice's");
    assert!(
        r.stderr.contains(
            "the merge-request note was not updated, so the note on the merge request still shows an earlier verdict: \
             GitLab answered 403"
        ),
        "{}",
        r.stderr
    );
}

/// Two jobs whose names differ only in what the old marker dropped each keep their own note,
/// and each note names its check.
#[test]
fn gitlab_check_names_alike_but_for_punctuation_keep_a_note_each() {
    let gl = Fake::start(Platform::GitLab, State::default());
    let ws = Workspace::example();
    for name in ["lint: python", "lint (python)", "lint: python"] {
        let r = run(&ws, &mr_env(&gl.url), &["--check-name", name, "--status", "false"]);
        assert_eq!(r.code, 1, "{}", r.stderr);
    }
    assert_valid(&gl);
    assert_eq!(ops(&gl.writes()), ["createMergeRequestNote", "createMergeRequestNote", "updateMergeRequestNote"]);
    let st = gl.state.lock().unwrap();
    let bodies: Vec<&str> = st.notes.iter().map(|n| n["body"].as_str().unwrap()).collect();
    assert!(bodies[0].starts_with("<!-- temis:sticky-comment name=lint%3A%20python -->\n"), "{}", bodies[0]);
    assert!(bodies[1].starts_with("<!-- temis:sticky-comment name=lint%20%28python%29 -->\n"), "{}", bodies[1]);
    assert!(bodies[0].contains("check `lint: python`") && bodies[1].contains("check `lint (python)`"), "{bodies:?}");
}

/// A fork's merge request: the pipeline runs in the fork (`CI_PROJECT_ID` 100), the merge
/// request is !7 of the target project (`CI_MERGE_REQUEST_PROJECT_ID` 42). The note goes to
/// project 42's !7, the commit status to the pipeline's project.
#[test]
fn gitlab_a_forks_merge_request_gets_its_note_in_the_target_project() {
    let gl = Fake::start(Platform::GitLab, State::default());
    let mut env = mr_env(&gl.url);
    env.retain(|(k, _)| *k != "CI_PROJECT_ID");
    env.extend([("CI_PROJECT_ID", "100".to_string()), ("CI_MERGE_REQUEST_PROJECT_ID", "42".to_string())]);
    let r = run(&Workspace::example(), &env, &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_valid(&gl);
    let paths: Vec<String> = gl.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(
        paths,
        [
            "/api/v4/projects/42/merge_requests/7/notes",
            "/api/v4/projects/42/merge_requests/7/notes",
            &format!("/api/v4/projects/100/statuses/{HEAD}"),
        ]
    );
}

/// `--fail-on-blocked false` changes the exit code only: the commit status a required check
/// reads still fails.
#[test]
fn gitlab_fail_on_blocked_false_still_publishes_a_failed_status() {
    let gl = Fake::start(Platform::GitLab, State::default());
    let r = run(&Workspace::example(), &mr_env(&gl.url), &["--fail-on-blocked", "false", "--comment", "off"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let st = gl.state.lock().unwrap();
    assert_eq!(st.statuses.len(), 1);
    assert_eq!(st.statuses[0]["state"], "failed", "{}", st.statuses[0]);
    assert_eq!(st.statuses[0]["description"], "BLOCKED: 2 failed, 1 passed");
}

#[test]
fn gitlab_a_429_on_the_status_is_tried_again() {
    let gl = Fake::start(Platform::GitLab, State::default());
    gl.fail("POST", "postApiV4ProjectsIdStatusesSha", 429, 1);
    let r = run(&Workspace::approved(), &mr_env(&gl.url), &["--comment", "off"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(ops(&gl.writes()), ["postApiV4ProjectsIdStatusesSha", "postApiV4ProjectsIdStatusesSha"]);
    assert_eq!(gl.state.lock().unwrap().statuses.len(), 1);
    assert!(!r.stderr.contains("not set"), "{}", r.stderr);
}

#[test]
fn gitlab_hostile_report_text_arrives_escaped() {
    let gl = Fake::start(Platform::GitLab, State::default());
    let r = run(&Workspace::hostile(), &mr_env(&gl.url), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_valid(&gl);
    let note = gl.state.lock().unwrap().notes[0]["body"].as_str().unwrap().to_string();
    for bad in ["<img", "<script", "@everyone", "@here"] {
        assert!(!note.contains(bad), "{bad} reaches the note: {note}");
    }
    assert!(note.contains("&lt;img src=x onerror=alert(1)&gt;"), "{note}");
    let cq = r.artifact("codequality.json");
    for bad in ["<img", "<script", "@everyone"] {
        assert!(!cq.contains(bad), "{bad} reaches Code Quality: {cq}");
    }
    assert_eq!(foreign_commands(&r.stdout, &[]), Vec::<&str>::new(), "{}", r.stdout);
    assert!(r.stdout.contains("test_@everyone"), "the log still names the test");
}

#[test]
fn gitlab_measures_the_merge_request_from_its_diff_base_and_fingerprints_survive_a_move() {
    let fingerprint = |above: usize| {
        let (dir, base, head) = repo_with_change(above);
        let ws = Workspace::at(dir);
        let env = [
            ("GITLAB_CI", "true".to_string()),
            ("CI_MERGE_REQUEST_IID", "7".into()),
            ("CI_MERGE_REQUEST_DIFF_BASE_SHA", base),
            ("CI_COMMIT_SHA", head),
        ];
        let r = run(&ws, &env, &["lcov.info"]);
        assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
        let cq = r.json("codequality.json");
        let list = cq.as_array().unwrap();
        assert_eq!(
            uncovered_added(list, "patch-coverage-below-threshold"),
            [("app.py".to_string(), above as u64 + 4)],
            "{cq}"
        );
        assert!(r.artifact("summary.md").contains("**Patch coverage 50 %**: 1 of 2 coverable added lines covered"));
        list.iter().find(|f| f["check_name"] == "patch-coverage-below-threshold").unwrap()["fingerprint"].clone()
    };
    let (here, moved) = (fingerprint(0), fingerprint(30));
    assert_eq!(here, moved, "the uncovered line moved 30 lines down and kept its fingerprint");
    assert!(matches!(here, Value::String(ref s) if s.len() == 32));
}

#[test]
fn gitlab_a_push_pipeline_is_measured_from_the_previous_tip() {
    let (dir, base, head) = repo_with_change(0);
    let ws = Workspace::at(dir);
    let env = [("GITLAB_CI", "true".to_string()), ("CI_COMMIT_BEFORE_SHA", base), ("CI_COMMIT_SHA", head)];
    let r = run(&ws, &env, &["lcov.info"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.artifact("summary.md").contains("**Patch coverage 50 %**"), "{}", r.artifact("summary.md"));
}

/// A branch pipeline of a feature branch judged only its last push: a README line pushed after a
/// blocked change approved what the branch adds. It is measured from the default branch, as a
/// merge request shows it (fetched: the clone has only the branch).
#[test]
fn gitlab_a_feature_branch_push_is_measured_from_the_default_branch() {
    use crate::support::{git, write};
    let (_origin, ws, _base, head) = super::clone_of_change();
    write(ws.path(), "README.md", "notes\n");
    git(ws.path(), &["add", "README.md"]);
    git(ws.path(), &["commit", "-q", "-m", "docs: notes"]);
    let tip = git(ws.path(), &["rev-parse", "HEAD"]).trim().to_string();
    write(ws.path(), "temis.toml", "[coverage]\nmin_line = 50\nmin_patch = 80\n\n[tests]\nrequired = false\n");
    let push = |branch: &str| {
        let env = [
            ("GITLAB_CI", "true".to_string()),
            ("CI_COMMIT_BEFORE_SHA", head.clone()),
            ("CI_COMMIT_SHA", tip.clone()),
            ("CI_COMMIT_BRANCH", branch.to_string()),
            ("CI_DEFAULT_BRANCH", "main".to_string()),
        ];
        run(&ws, &env, &["lcov.info"])
    };
    let r = push("feature");
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    let summary = r.artifact("summary.md");
    assert!(summary.contains("**Patch coverage 50 %**: 1 of 2 coverable added lines covered"), "{summary}");
    // On the default branch, a push is its own change: the README line adds nothing to cover.
    let r = push("main");
    assert!(!r.artifact("summary.md").contains("Patch coverage 50 %"), "{}", r.artifact("summary.md"));
}

/// A gate job that clones the commit and then unpacks the test job's artifacts (GitLab keeps
/// their times): every file the checkout wrote is newer than the reports, and the gate warned
/// that they were stale on every pipeline (blocked with `stale = "block"`). In `temis ci`, files
/// as git checked them out are judged by no time; `temis gate` on the same work tree still says it.
#[test]
fn gitlab_reports_from_an_earlier_job_are_not_stale_beside_a_fresh_checkout() {
    use crate::support::{git, write};
    let (dir, _base, head) = repo_with_change(0);
    let d = dir.path();
    write(d, "tests/test_app.py", "def test_a():\n    assert True\n");
    git(d, &["add", "tests/test_app.py"]);
    git(d, &["commit", "-q", "-m", "test: a"]);
    write(
        d,
        "junit.xml",
        r#"<testsuite name="pytest" tests="1"><testcase classname="tests.test_app" name="test_a"/></testsuite>"#,
    );
    let earlier = std::time::SystemTime::now() - std::time::Duration::from_secs(600);
    for f in ["lcov.info", "junit.xml"] {
        std::fs::File::options().write(true).open(d.join(f)).unwrap().set_modified(earlier).unwrap();
    }
    let ws = Workspace::at(dir);
    let env = [("GITLAB_CI", "true".to_string()), ("CI_COMMIT_SHA", head)];
    let r = run(&ws, &env, &["lcov.info", "junit.xml"]);
    assert!(!r.stdout.contains("older than") && !r.stdout.contains("Test report age"), "{}", r.stdout);
    let gate = ws.run(&["gate", "lcov.info", "junit.xml"], &[]);
    assert!(gate.stdout.contains("lcov.info is older than"), "{}", gate.stdout);
    assert!(gate.stdout.contains("Test report age"), "{}", gate.stdout);
}

#[test]
fn gitlab_an_invalid_policy_still_says_so_in_the_summary() {
    let ws = Workspace::new(&[("temis.toml", "[coverage]\nmin_line = \"eighty\"\n")]);
    let r = run(&ws, &[("GITLAB_CI", "true".into())], &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.artifact("summary.md").starts_with("### ⚠️ temis: COULD NOT JUDGE"), "{}", r.artifact("summary.md"));
}

/// Every finding reaches Code Quality, not the first 20 the gate once kept; the log says how
/// many it does not list itself.
#[test]
fn gitlab_code_quality_carries_every_finding() {
    let ws = Workspace::findings(1_050);
    let r = run(&ws, &[("GITLAB_CI", "true".into())], &["scan.sarif"]);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    let cq = r.json("codequality.json");
    let findings = cq.as_array().unwrap().iter().filter(|f| f["check_name"] == "security-findings-above-limit").count();
    assert_eq!(findings, 1_050);
    assert!(r.stdout.contains("… and 1040 more (the verdict JSON lists every one)"), "{}", r.stdout);
    assert!(r.artifact("summary.md").contains("- … and 1040 more (the verdict JSON lists every one)"));
}
