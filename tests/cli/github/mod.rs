//! `temis ci github` against a fake GitHub on 127.0.0.1 that checks every request against a
//! description of GitHub's API (its routes in `cargo test`, GitHub's own OpenAPI description in
//! the conformance target: `openapi.rs`): the sticky comment, the check run and its annotation
//! batches, degrading on a refused write or a fork, escaping of hostile report text, and the
//! token never printed.

mod fake;
pub mod openapi;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};

use fake::{FakeGitHub, Recorded, State};
use serde_json::{Value, json};

use crate::support::BIN;

const TOKEN: &str = "ghs_TESTtokenVALUE0123456789";
const HEAD: &str = "6dcb09b5b57875f334f61aebed695e2e4193db5e";

/// What one `temis ci github` step left behind.
struct Step {
    code: i32,
    stdout: String,
    stderr: String,
    summary: String,
    outputs: BTreeMap<String, String>,
}

/// A workspace with reports and a pull-request event.
struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    /// The example's sources (what its reports name), then `files`.
    fn new(files: &[(&str, &str)]) -> Workspace {
        let ws = Workspace::empty();
        crate::support::example_sources(ws.path());
        ws.with(files)
    }

    /// An empty folder (to clone into).
    fn empty() -> Workspace {
        Workspace { dir: tempfile::tempdir().unwrap() }
    }

    fn with(self, files: &[(&str, &str)]) -> Workspace {
        let dir = self.dir;
        for (rel, text) in files {
            let p = dir.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        Workspace { dir }
    }

    /// The example project's phase-2 reports (BLOCKED: coverage 77.33 %, one failing test).
    fn example() -> Workspace {
        let reports = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/jwt-auth/reports/phase-2");
        let read = |f: &str| std::fs::read_to_string(reports.join(f)).unwrap();
        Workspace::new(&[
            ("reports/phase-2/coverage.xml", &read("coverage.xml")),
            ("reports/phase-2/junit.xml", &read("junit.xml")),
        ])
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs `temis ci github ARGS` as a pull_request step of `head_repo` against `api`.
    fn step(&self, api: &str, head_repo: &str, args: &[&str]) -> Step {
        let event = json!({"pull_request": {"number": 7, "head": {"sha": HEAD, "repo": {"full_name": head_repo}},
                                             "base": {"ref": "main", "repo": {"full_name": "octo/app"}}}});
        self.step_with(api, "pull_request", &event, TOKEN, args)
    }

    fn step_with(&self, api: &str, event_name: &str, event: &Value, token: &str, args: &[&str]) -> Step {
        let d = self.path();
        std::fs::write(d.join("event.json"), event.to_string()).unwrap();
        let (summary, output) = (d.join("summary.md"), d.join("output.txt"));
        let _ = std::fs::remove_file(&summary);
        let _ = std::fs::remove_file(&output);
        let out = Command::new(BIN)
            .args(["ci", "github", "--root", &d.display().to_string()])
            .args(args)
            .current_dir(d)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", d)
            .env("GITHUB_TOKEN", token)
            .env("GITHUB_REPOSITORY", "octo/app")
            .env("GITHUB_EVENT_NAME", event_name)
            .env("GITHUB_EVENT_PATH", d.join("event.json"))
            .env("GITHUB_API_URL", api)
            .env("GITHUB_SHA", "0000000000000000000000000000000000000000")
            .env("GITHUB_SERVER_URL", "https://github.com")
            .env("GITHUB_RUN_ID", "42")
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("GITHUB_OUTPUT", &output)
            .env("RUNNER_TEMP", d)
            .env("TEMIS_TODAY", "2026-11-24")
            .stdin(Stdio::null())
            .output()
            .expect("temis runs");
        let step = Step {
            code: out.status.code().expect("exit code"),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
            summary: std::fs::read_to_string(&summary).unwrap_or_default(),
            outputs: parse_outputs(&std::fs::read_to_string(&output).unwrap_or_default()),
        };
        for (what, text) in [("stdout", &step.stdout), ("stderr", &step.stderr), ("summary", &step.summary)] {
            assert!(!text.contains(TOKEN), "the token is printed in {what}:\n{text}");
        }
        assert!(!format!("{:?}", step.outputs).contains(TOKEN), "the token is in the outputs");
        step
    }
}

/// `name<<DELIM` … `DELIM` blocks (the only form temis writes).
fn parse_outputs(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut lines = text.lines();
    while let Some(head) = lines.next() {
        let (name, delim) = head.split_once("<<").unwrap_or_else(|| panic!("not a multi-line output: {head:?}"));
        assert!(delim.starts_with("ghadelimiter_") && delim.len() > 20, "weak delimiter {delim:?}");
        let value: Vec<&str> = lines.by_ref().take_while(|l| *l != delim).collect();
        out.insert(name.to_string(), value.join("\n"));
    }
    out
}

/// Snapshots of this module are the same files whichever target runs it (`cli`, or `conformance`
/// with GitHub's own description): `tests/cli/snapshots/cli__github__NAME.snap`.
fn snapshot(name: &str, value: &str) {
    insta::with_settings!({
        snapshot_path => concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cli/snapshots"),
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!(format!("cli__github__{name}"), value);
    });
}

/// Every request kept the OpenAPI contract and carried the token.
fn assert_valid(requests: &[Recorded]) {
    for r in requests {
        assert!(r.problems.is_empty(), "{} {} broke the contract: {:?}", r.method, r.path, r.problems);
        let auth = r.authorization.as_deref().unwrap_or_default();
        assert!(auth.ends_with(TOKEN), "{} {} without the token", r.method, r.path);
    }
}

fn ops(requests: &[Recorded]) -> Vec<String> {
    requests.iter().map(|r| r.operation.clone()).collect()
}

/// The example pull request: it adds lines 41-57 of jwt.py (refresh, rotate_secret).
fn example_pr() -> State {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/jwt-auth/src/authsvc/jwt.py");
    let text = std::fs::read_to_string(src).unwrap();
    let added: Vec<String> = text.lines().skip(40).take(17).map(|l| format!("+{l}")).collect();
    let patch = format!("@@ -40,0 +41,17 @@\n{}", added.join("\n"));
    State {
        files: vec![json!({"sha": "bbcd538c8e72b8c175046e27cc8f907076331401", "filename": "src/authsvc/jwt.py",
                           "status": "modified", "additions": 17, "deletions": 0, "changes": 17,
                           "blob_url": "https://github.com/octo/app/blob/x/src/authsvc/jwt.py",
                           "raw_url": "https://github.com/octo/app/raw/x/src/authsvc/jwt.py",
                           "contents_url": "https://api.github.com/repos/octo/app/contents/src/authsvc/jwt.py",
                           "patch": patch})],
        pr_head_sha: HEAD.to_string(),
        ..State::default()
    }
}

const EXAMPLE_ARGS: &[&str] = &["--phase", "2", "reports/phase-2/coverage.xml", "reports/phase-2/junit.xml"];

#[test]
fn the_example_gets_one_comment_and_one_check_run_and_the_next_push_updates_the_same_comment() {
    let gh = FakeGitHub::start(example_pr());
    let ws = Workspace::example();

    let first = ws.step(&gh.url, "octo/app", EXAMPLE_ARGS);
    assert_eq!(first.code, 1, "BLOCKED\n{}", first.stderr);
    assert_valid(&gh.requests());
    assert_eq!(
        ops(&gh.writes()),
        ["issues/create-comment", "checks/create"],
        "one comment and one check run, nothing else written"
    );
    let listing = gh.requests().into_iter().find(|r| r.operation == "issues/list-comments").unwrap();
    assert_eq!(listing.query, "per_page=100&page=1");
    let comment_id = first.outputs["comment-id"].clone();
    assert!(!comment_id.is_empty());
    assert_eq!(first.outputs["verdict"], "BLOCKED");
    assert_eq!(first.outputs["coverage"], "77.33");
    assert!(!first.outputs["patch-coverage"].is_empty());
    assert!(!first.outputs["check-run-id"].is_empty());
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&first.outputs["report-json"]).unwrap()).unwrap();
    assert_eq!((json["schema"].as_str(), json["verdict"].as_str()), (Some("temis.verdict/v1"), Some("BLOCKED")));

    let second = ws.step(&gh.url, "octo/app", EXAMPLE_ARGS);
    assert_eq!(second.code, 1);
    assert_valid(&gh.requests());
    let writes = gh.writes();
    assert_eq!(ops(&writes), ["issues/create-comment", "checks/create", "issues/update-comment", "checks/create"]);
    assert_eq!(writes[2].path, format!("/repos/octo/app/issues/comments/{comment_id}"));
    assert_eq!(second.outputs["comment-id"], comment_id, "the same comment, updated in place");
    let st = gh.state.lock().unwrap();
    assert_eq!(st.comments.len(), 1);
    let body = st.comments[0]["body"].as_str().unwrap().to_string();
    let run = &st.check_runs[0].1;
    assert_eq!((run["head_sha"].as_str(), run["conclusion"].as_str()), (Some(HEAD), Some("failure")));
    drop(st);

    assert!(body.starts_with("<!-- temis:sticky-comment name=temis -->\n### ❌ temis: BLOCKED"), "{body}");
    snapshot("example_pr_comment", &body);
    snapshot("example_step_summary", &second.summary);
    snapshot("example_step_log", &second.stdout.replace(delimiter_of(&second.stdout).as_str(), "[STOP]"));
}

/// `--fail-on-blocked false` changes the exit code only: the check run is a `failure`, not the
/// `neutral` a required check lets through.
#[test]
fn fail_on_blocked_false_still_concludes_the_check_run_as_a_failure() {
    let gh = FakeGitHub::start(example_pr());
    let ws = Workspace::example();
    let args: Vec<&str> = EXAMPLE_ARGS.iter().copied().chain(["--fail-on-blocked", "false"]).collect();
    let step = ws.step(&gh.url, "octo/app", &args);
    assert_eq!(step.code, 0, "{}", step.stderr);
    let st = gh.state.lock().unwrap();
    assert_eq!(st.check_runs[0].1["conclusion"].as_str(), Some("failure"));
}

/// The random `::stop-commands::` token of a log.
fn delimiter_of(log: &str) -> String {
    log.lines()
        .find_map(|l| l.strip_prefix("::stop-commands::"))
        .expect("commands are stopped around report text")
        .into()
}

#[test]
fn a_hundred_and_twenty_annotations_reach_the_check_run_in_three_requests_and_ten_reach_the_log() {
    // 240 lines, the odd ones uncovered; the change added the 120 odd ones.
    let mut lcov = String::from("TN:\nSF:src/big.rs\n");
    let mut patch = String::from("@@ -1,120 +1,240 @@\n");
    for n in 1..=240 {
        lcov.push_str(&format!("DA:{n},{}\n", n % 2 == 0));
        patch.push_str(if n % 2 == 1 { "+    added();\n" } else { "     kept();\n" });
    }
    let lcov = lcov.replace(",true\n", ",1\n").replace(",false\n", ",0\n") + "end_of_record\n";
    // The file as the pull request's head has it: the patch's lines where the patch puts them.
    let source = "    added();\n    kept();\n".repeat(120);
    let ws = Workspace::new(&[
        ("src/big.rs", &source),
        ("lcov.info", &lcov),
        ("temis.toml", "[coverage]\nmin_line = 40\n\n[tests]\nrequired = false\n"),
    ]);
    let gh = FakeGitHub::start(State {
        files: vec![json!({"sha": null, "filename": "src/big.rs", "status": "added", "additions": 120,
                           "deletions": 0, "changes": 120, "blob_url": "b", "raw_url": "r", "contents_url": "c",
                           "patch": patch})],
        pr_head_sha: HEAD.into(),
        ..State::default()
    });
    let step = ws.step(&gh.url, "octo/app", &["--comment", "off", "lcov.info"]);
    assert_eq!(step.code, 0, "{}\n{}", step.stdout, step.stderr);
    assert_valid(&gh.requests());
    let writes = gh.writes();
    assert_eq!(ops(&writes), ["checks/create", "checks/update", "checks/update"]);
    let sizes: Vec<usize> =
        writes.iter().map(|r| r.body.as_ref().unwrap()["output"]["annotations"].as_array().unwrap().len()).collect();
    assert_eq!(sizes, [50, 50, 20]);
    let st = gh.state.lock().unwrap();
    let all = &st.check_runs[0].2;
    assert_eq!(all.len(), 120);
    assert!(all.iter().all(|a| a["annotation_level"] == "warning" && a["path"] == "src/big.rs"));
    assert_eq!(all[0]["start_line"], 1);
    assert_eq!(all[119]["start_line"], 239);
    assert_eq!(step.stdout.lines().filter(|l| l.starts_with("::warning ")).count(), 10, "{}", step.stdout);
    assert_eq!(step.outputs["patch-coverage"], "0");
}

#[test]
fn a_403_on_the_comment_degrades_to_the_summary_and_keeps_the_exit_code() {
    let mut state = example_pr();
    state.failures.push(("POST".into(), "issues/create-comment".into(), 403));
    let gh = FakeGitHub::start(state);
    let ws = Workspace::example();
    let step = ws.step(&gh.url, "octo/app", EXAMPLE_ARGS);
    assert_eq!(step.code, 1, "BLOCKED stays BLOCKED: exit 1, not 2\n{}", step.stderr);
    assert_valid(&gh.requests());
    assert!(step.stderr.contains("the pull-request comment was not written: GitHub answered 403"), "{}", step.stderr);
    assert!(step.summary.contains("the pull-request comment was not written"), "{}", step.summary);
    assert_eq!(step.outputs["verdict"], "BLOCKED");
    assert_eq!(step.outputs["comment-id"], "");
    assert!(!step.outputs["check-run-id"].is_empty(), "the check run still goes out");
    assert!(step.stdout.contains("::error "), "annotations are still printed");

    let approved = Workspace::new(&[
        (
            "coverage.xml",
            &std::fs::read_to_string(
                Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/jwt-auth/reports/phase-1/coverage.xml"),
            )
            .unwrap(),
        ),
        (
            "junit.xml",
            &std::fs::read_to_string(
                Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/jwt-auth/reports/phase-1/junit.xml"),
            )
            .unwrap(),
        ),
    ]);
    let step = approved.step(&gh.url, "octo/app", &["coverage.xml", "junit.xml"]);
    assert_eq!(step.code, 0, "APPROVED stays APPROVED\n{}", step.stderr);
    assert!(step.stderr.contains("403"), "{}", step.stderr);
}

#[test]
fn a_pull_request_from_a_fork_is_only_read() {
    let gh = FakeGitHub::start(example_pr());
    let ws = Workspace::example();
    let step = ws.step(&gh.url, "mallory/app", EXAMPLE_ARGS);
    assert_eq!(step.code, 1);
    assert_valid(&gh.requests());
    assert!(gh.writes().is_empty(), "no write on a fork: {:?}", ops(&gh.writes()));
    assert!(step.stderr.contains("pull request from a fork (mallory/app)"), "{}", step.stderr);
    assert!(step.summary.starts_with("### ❌ temis: BLOCKED"), "{}", step.summary);
    assert!(!step.outputs["patch-coverage"].is_empty(), "reading the diff works with a read-only token");
}

#[test]
fn without_a_token_the_summary_outputs_and_annotations_are_still_written() {
    let gh = FakeGitHub::start(example_pr());
    let ws = Workspace::example();
    let event = json!({"pull_request": {"number": 7, "head": {"sha": HEAD, "repo": {"full_name": "octo/app"}}}});
    let step = ws.step_with(&gh.url, "pull_request", &event, "", EXAMPLE_ARGS);
    assert_eq!(step.code, 1);
    assert!(gh.requests().is_empty(), "no API call without a token");
    assert!(step.stderr.contains("no GITHUB_TOKEN"), "{}", step.stderr);
    assert_eq!(step.outputs["verdict"], "BLOCKED");
    assert_eq!(step.outputs["patch-coverage"], "");
}

#[test]
fn hostile_report_text_cannot_inject_markup_mentions_or_workflow_commands() {
    let junit = r#"<?xml version="1.0"?>
<testsuite name="s" tests="2" failures="1">
  <testcase classname="tests.test_x" name="test_ok" file="tests/test_x.py" line="3"/>
  <testcase classname="tests.test_x" name="test_@everyone&#10;::error::pwned" file="tests/test_x.py" line="9">
    <failure message="&lt;img src=x onerror=alert(1)&gt; @everyone ::error::pwned">boom</failure>
  </testcase>
</testsuite>"#;
    let ws = Workspace::new(&[("junit.xml", junit), ("temis.toml", "[coverage]\nrequired = false\n")]);
    let gh = FakeGitHub::start(State { pr_head_sha: HEAD.into(), ..State::default() });
    let step = ws.step(&gh.url, "octo/app", &["junit.xml"]);
    assert_eq!(step.code, 1, "{}", step.stderr);
    assert_valid(&gh.requests());
    let writes = gh.writes();
    assert_eq!(ops(&writes), ["issues/create-comment", "checks/create"]);

    for r in &writes {
        let body = r.body.as_ref().unwrap().to_string();
        assert!(!body.contains("@everyone"), "a live mention reaches GitHub: {body}");
        assert!(!body.contains("<img"), "raw HTML reaches GitHub: {body}");
    }
    let comment = writes[0].body.as_ref().unwrap()["body"].as_str().unwrap();
    assert!(comment.contains("&lt;img src=x onerror=alert(1)&gt; &#64;everyone ::error::pwned"), "{comment}");
    let summary = writes[1].body.as_ref().unwrap()["output"]["summary"].as_str().unwrap();
    assert!(summary.contains("&lt;img src=x"), "{summary}");
    let annotation = &writes[1].body.as_ref().unwrap()["output"]["annotations"][0];
    assert_eq!(annotation["path"], "tests/test_x.py");
    assert_eq!(annotation["start_line"], 9);
    assert!(annotation["message"].as_str().unwrap().contains("@\u{200B}everyone"), "{annotation}");

    assert!(!step.summary.contains("<img") && !step.summary.contains("@everyone"), "{}", step.summary);
    // In the log, every line that starts a command is temis's own, and the report's text stays
    // inside the stopped block or an escaped annotation.
    let stop = delimiter_of(&step.stdout);
    let mut stopped = false;
    for line in step.stdout.lines() {
        if line == format!("::stop-commands::{stop}") {
            stopped = true;
            continue;
        }
        if line == format!("::{stop}::") {
            stopped = false;
            continue;
        }
        if !stopped && line.starts_with("::") {
            let own = [
                "::group::",
                "::endgroup::",
                "::error file=",
                "::error title=",
                "::warning ",
                "::notice title=temis::",
            ];
            assert!(own.iter().any(|p| line.starts_with(p)), "a command temis did not write: {line}");
            assert!(!line.contains("%0A::error::pwned") || line.starts_with("::error file=tests/test_x.py,line=9,"));
        }
    }
    assert!(step.stdout.contains("@everyone%0A::error::pwned"), "the message is escaped data: {}", step.stdout);
}

#[test]
fn a_workflow_run_stage_comments_only_when_the_pull_request_is_at_the_tested_commit() {
    let gh = FakeGitHub::start(example_pr());
    let ws = Workspace::example();
    let args: Vec<&str> = ["--pr", "7"].iter().chain(EXAMPLE_ARGS).copied().collect();
    let moved = json!({"workflow_run": {"head_sha": "1111111111111111111111111111111111111111", "pull_requests": []}});
    let step = ws.step_with(&gh.url, "workflow_run", &moved, TOKEN, &args);
    assert_eq!(step.code, 1);
    assert_valid(&gh.requests());
    assert!(step.stderr.contains("pull request #7 is at"), "{}", step.stderr);
    assert!(!ops(&gh.writes()).contains(&"issues/create-comment".to_string()), "{:?}", ops(&gh.writes()));

    let tested = json!({"workflow_run": {"head_sha": HEAD, "pull_requests": []}});
    let step = ws.step_with(&gh.url, "workflow_run", &tested, TOKEN, &args);
    assert_eq!(step.code, 1);
    assert_valid(&gh.requests());
    assert_eq!(gh.state.lock().unwrap().comments.len(), 1, "{}", step.stderr);
}

#[test]
fn an_invalid_policy_still_says_so_in_the_summary_and_the_outputs() {
    let ws = Workspace::new(&[("temis.toml", "[coverage]\nmin_line = \"eighty\"\n")]);
    let step = ws.step_with("http://127.0.0.1:9", "push", &json!({}), "", &[]);
    assert_eq!(step.code, 2);
    assert!(step.summary.starts_with("### ⚠️ temis: COULD NOT JUDGE"), "{}", step.summary);
    assert_eq!(step.outputs["verdict"], "COULD_NOT_JUDGE");
}

#[test]
fn the_api_url_may_carry_a_path_as_on_github_enterprise() {
    let gh = FakeGitHub::start(State { prefix: "/api/v3".into(), ..example_pr() });
    let ws = Workspace::example();
    let step = ws.step(&format!("{}/api/v3", gh.url), "octo/app", EXAMPLE_ARGS);
    assert_eq!(step.code, 1);
    assert_valid(&gh.requests());
    assert_eq!(ops(&gh.writes()), ["issues/create-comment", "checks/create"], "{}", step.stderr);
}

#[test]
fn the_token_is_not_sent_over_plain_http_to_another_machine() {
    let ws = Workspace::example();
    let step = ws.step("http://api.example.com", "octo/app", EXAMPLE_ARGS);
    assert_eq!(step.code, 1, "the verdict stands");
    assert!(step.stderr.contains("refusing to send the token to http://api.example.com"), "{}", step.stderr);
}

#[test]
fn huge_report_text_is_cut_to_each_channels_limit() {
    // A failing test whose name and message fill megabytes: the job summary stays under 1 MiB,
    // the comment under 65,536 characters, the check run's summary under 65,535.
    let name = "n".repeat(300_000);
    let cases: String = (0..8)
        .map(|i| format!("<testcase classname=\"c{i}\" name=\"{name}\" file=\"t.py\" line=\"{}\"><failure message=\"{}\"/></testcase>", i + 1, "m".repeat(50_000)))
        .collect();
    let junit = format!("<?xml version=\"1.0\"?><testsuite name=\"s\">{cases}</testsuite>");
    let ws = Workspace::new(&[("junit.xml", &junit), ("temis.toml", "[coverage]\nrequired = false\n")]);
    let gh = FakeGitHub::start(State { pr_head_sha: HEAD.into(), ..State::default() });
    let step = ws.step(&gh.url, "octo/app", &["junit.xml"]);
    assert_eq!(step.code, 1, "{}", step.stderr);
    assert_valid(&gh.requests());
    assert_eq!(ops(&gh.writes()), ["issues/create-comment", "checks/create"], "{}", step.stderr);
    assert!(step.summary.len() < 1 << 20, "{} bytes", step.summary.len());
    assert!(step.summary.contains("cut to fit"));
    let st = gh.state.lock().unwrap();
    assert!(st.comments[0]["body"].as_str().unwrap().chars().count() <= 65_536);
    assert!(st.check_runs[0].1["output"]["summary"].as_str().unwrap().chars().count() <= 65_535);
}

#[test]
fn help_of_ci_github() {
    let r = crate::support::temis(&["ci", "github", "--help"]);
    assert_eq!(r.code, 0);
    snapshot("help_of_ci_github", &r.stdout);
}

#[test]
fn with_base_patch_coverage_comes_from_the_local_git_diff() {
    let ws = Workspace::new(&[("app.py", "a = 1\nb = 2\n")]);
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args(args)
            .current_dir(ws.path())
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", ws.path())
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .env("GIT_AUTHOR_DATE", "2026-11-24T10:00:00Z")
            .env("GIT_COMMITTER_DATE", "2026-11-24T10:00:00Z")
            .output()
            .expect("this test needs git");
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    git(&["init", "-q", "-b", "main"]);
    git(&["add", "app.py"]);
    git(&["commit", "-q", "-m", "base"]);
    git(&["checkout", "-q", "-b", "feature"]);
    std::fs::write(ws.path().join("app.py"), "a = 1\nb = 2\nc = 3\nd = 4\n").unwrap();
    git(&["commit", "-q", "-am", "add c and d"]);
    // Lines 3 (covered) and 4 (not) were added.
    std::fs::write(ws.path().join("lcov.info"), "SF:app.py\nDA:1,1\nDA:2,1\nDA:3,1\nDA:4,0\nend_of_record\n").unwrap();
    std::fs::write(ws.path().join("temis.toml"), "[coverage]\nmin_line = 50\n\n[tests]\nrequired = false\n").unwrap();
    let step = ws.step_with("http://127.0.0.1:9", "push", &json!({}), "", &["--base", "main", "lcov.info"]);
    assert_eq!(step.code, 0, "{}", step.stderr);
    assert_eq!(step.outputs["patch-coverage"], "50");
    assert!(
        step.stdout.contains("::warning file=app.py,line=4,title=temis%3A uncovered added lines::Added line 4 is"),
        "{}",
        step.stdout
    );
    assert!(step.summary.contains("**Patch coverage 50 %**: 1 of 2 coverable added lines covered"), "{}", step.summary);
}

/// `[coverage] min_patch` judges the pull request's added lines (read through the API) like any
/// threshold: the verdict, the exit code and the outputs follow it.
#[test]
fn min_patch_blocks_a_pull_request_whose_added_lines_are_not_covered() {
    let gh = FakeGitHub::start(example_pr());
    let ws = Workspace::example();
    let policy = |min: u32| format!("[coverage]\nmin_line = 50\nmin_patch = {min}\n\n[tests]\nall_passing = false\n");
    std::fs::write(ws.path().join("temis.toml"), policy(30)).unwrap();
    let passing = ws.step(&gh.url, "octo/app", EXAMPLE_ARGS);
    assert_eq!(passing.code, 0, "{}\n{}", passing.stdout, passing.stderr);
    assert_eq!(passing.outputs["verdict"], "APPROVED");
    assert!(passing.stdout.contains("Patch coverage 40 % ≥ 30 %"), "{}", passing.stdout);

    std::fs::write(ws.path().join("temis.toml"), policy(50)).unwrap();
    let blocked = ws.step(&gh.url, "octo/app", EXAMPLE_ARGS);
    assert_eq!(blocked.code, 1, "{}\n{}", blocked.stdout, blocked.stderr);
    assert_eq!(blocked.outputs["verdict"], "BLOCKED");
    assert_eq!(blocked.outputs["patch-coverage"], "40");
    assert!(
        blocked.summary.contains("Patch coverage 40 %, need 50 % minimum"),
        "the summary says what blocks: {}",
        blocked.summary
    );
    assert_valid(&gh.requests());
}

#[test]
fn a_failing_read_is_retried_and_then_only_patch_coverage_is_lost() {
    let mut state = example_pr();
    state.failures.push(("GET".into(), "pulls/list-files".into(), 502));
    let gh = FakeGitHub::start(state);
    let step = Workspace::example().step(&gh.url, "octo/app", EXAMPLE_ARGS);
    assert_eq!(step.code, 1);
    assert_valid(&gh.requests());
    let reads = gh.requests().iter().filter(|r| r.operation == "pulls/list-files").count();
    assert_eq!(reads, 3, "a read is tried three times");
    assert!(step.stderr.contains("no patch coverage: GitHub answered 502"), "{}", step.stderr);
    assert_eq!(step.outputs["patch-coverage"], "");
    assert_eq!(ops(&gh.writes()), ["issues/create-comment", "checks/create"], "the rest is published");
}

/// GitHub leaves a large file's `patch` out of the pull request's files (and lists at most 3,000):
/// the file's added lines were read as none, and patch coverage approved a change whose added
/// lines no test ran. Without the whole diff from the API, patch coverage is git's diff, or not
/// measured.
#[test]
fn a_pull_request_file_without_its_patch_is_no_file_without_added_lines() {
    let policy = "[coverage]\nmin_line = 50\nmin_patch = 30\n\n[tests]\nall_passing = false\n";
    let step = |state: State| {
        let ws = Workspace::example();
        std::fs::write(ws.path().join("temis.toml"), policy).unwrap();
        ws.step(&FakeGitHub::start(state).url, "octo/app", EXAMPLE_ARGS)
    };
    let approved = step(example_pr());
    assert_eq!(approved.code, 0, "{}\n{}", approved.stdout, approved.stderr);
    let mut no_patch = example_pr();
    no_patch.files[0].as_object_mut().unwrap().remove("patch");
    let no_files = State { files: Vec::new(), ..example_pr() };
    for (state, why) in
        [(no_patch, "`src/authsvc/jwt.py` adds lines and GitHub gives no patch"), (no_files, "GitHub lists no file")]
    {
        let step = step(state);
        assert_ne!(step.code, 0, "{why}: {}\n{}", step.stdout, step.stderr);
        assert_ne!(step.outputs["verdict"], "APPROVED", "{why}");
        assert!(step.stderr.contains("do not carry its whole diff") && step.stderr.contains(why), "{}", step.stderr);
        assert_eq!(step.outputs["patch-coverage"], "", "{why}");
    }
}

/// The action's `plan` input: with `--phase`, the phase's `Reports:` from the plan are judged.
#[test]
fn a_plan_and_a_phase_judge_the_reports_the_plan_names() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/jwt-auth");
    let read = |f: &str| std::fs::read_to_string(example.join(f)).unwrap();
    let ws = Workspace::new(&[
        ("plans/jwt-authentication/plan.md", &read("plans/jwt-authentication/plan.md")),
        ("reports/phase-1/coverage.xml", &read("reports/phase-1/coverage.xml")),
        ("reports/phase-1/junit.xml", &read("reports/phase-1/junit.xml")),
    ]);
    let args = ["--plan", "plans/jwt-authentication/plan.md", "--phase", "1"];
    let step = ws.step_with("http://127.0.0.1:9", "push", &json!({}), "", &args);
    assert_eq!(step.code, 0, "{}{}", step.stdout, step.stderr);
    assert_eq!(step.outputs["verdict"], "APPROVED");
    assert!(step.summary.contains("phase 1"), "{}", step.summary);
    assert!(step.stdout.contains("reports/phase-1/junit.xml"), "the plan's reports were judged:\n{}", step.stdout);
    // Without `phase`, the plan's current phase: phase 1, nothing being recorded yet.
    let step = ws.step_with("http://127.0.0.1:9", "push", &json!({}), "", &args[..2]);
    assert_eq!(step.code, 0, "{}{}", step.stdout, step.stderr);
    assert!(step.summary.contains("phase 1"), "{}", step.summary);
}

/// A push to a feature branch was measured from its `before`: a README line pushed after a
/// blocked change approved what the branch adds. It is measured from the repository's default
/// branch (fetched: the checkout has only the branch), as a pull request shows it.
#[test]
fn a_push_to_a_feature_branch_is_measured_from_the_default_branch() {
    let origin = tempfile::tempdir().unwrap();
    let ws = Workspace::empty();
    let git = |dir: &Path, args: &[&str]| crate::support::git(dir, args).trim().to_string();
    let o = origin.path();
    git(o, &["init", "-q", "-b", "main"]);
    std::fs::write(o.join("app.py"), "a = 1\nb = 2\n").unwrap();
    git(o, &["add", "app.py"]);
    git(o, &["commit", "-q", "-m", "base"]);
    git(o, &["checkout", "-q", "-b", "feature"]);
    std::fs::write(o.join("app.py"), "a = 1\nb = 2\nc = 3\nd = 4\n").unwrap();
    git(o, &["commit", "-q", "-am", "feat: c and d"]);
    let before = git(o, &["rev-parse", "HEAD"]);
    std::fs::write(o.join("README.md"), "notes\n").unwrap();
    git(o, &["add", "README.md"]);
    git(o, &["commit", "-q", "-m", "docs: notes"]);
    let after = git(o, &["rev-parse", "HEAD"]);
    let url = format!("file://{}", o.display());
    git(ws.path(), &["clone", "-q", "--single-branch", "--branch", "feature", &url, "."]);
    std::fs::write(ws.path().join("lcov.info"), "SF:app.py\nDA:1,1\nDA:2,1\nDA:3,1\nDA:4,0\nend_of_record\n").unwrap();
    std::fs::write(
        ws.path().join("temis.toml"),
        "[coverage]\nmin_line = 50\nmin_patch = 80\n\n[tests]\nrequired = false\n",
    )
    .unwrap();
    let push = |branch: &str| {
        let event = json!({"before": before, "after": after, "ref": format!("refs/heads/{branch}"),
                           "repository": {"default_branch": "main", "full_name": "octo/app"}});
        ws.step_with("http://127.0.0.1:9", "push", &event, "", &["--sha", &after, "lcov.info"])
    };
    let step = push("feature");
    assert_eq!(step.outputs["patch-coverage"], "50", "1 of 2 added lines covered: {}\n{}", step.stdout, step.stderr);
    assert_eq!(step.code, 1, "BLOCKED by min_patch: {}", step.stderr);
    // A push to the default branch is its own change: the README line adds nothing to cover.
    let step = push("main");
    assert_ne!(step.outputs["patch-coverage"], "50", "{}", step.stdout);
}

/// A push checked out shallow (`fetch-depth: 1`, the default) lacks the push's `before` commit:
/// temis fetches what it needs from `origin` and measures the pushed range, instead of skipping
/// patch coverage; `min_patch` then judges it.
#[test]
fn a_shallow_push_checkout_fetches_the_base_and_measures_the_pushed_range() {
    let origin = tempfile::tempdir().unwrap();
    let ws = Workspace::empty();
    let git = |dir: &Path, args: &[&str]| crate::support::git(dir, args).trim().to_string();
    let o = origin.path();
    git(o, &["init", "-q", "-b", "main"]);
    std::fs::write(o.join("app.py"), "a = 1\nb = 2\n").unwrap();
    git(o, &["add", "app.py"]);
    git(o, &["commit", "-q", "-m", "base"]);
    let before = git(o, &["rev-parse", "HEAD"]);
    std::fs::write(o.join("app.py"), "a = 1\nb = 2\nc = 3\nd = 4\n").unwrap();
    git(o, &["commit", "-q", "-am", "one"]);
    std::fs::write(o.join("app.py"), "a = 1\nb = 2\nc = 3\nd = 4\ne = 5\n").unwrap();
    git(o, &["commit", "-q", "-am", "two"]);
    let after = git(o, &["rev-parse", "HEAD"]);
    let url = format!("file://{}", o.display());
    git(ws.path(), &["clone", "-q", "--depth", "1", &url, "."]);
    let present = Command::new("git").args(["cat-file", "-e", &before]).current_dir(ws.path()).status().unwrap();
    assert!(!present.success(), "the shallow clone lacks the push's base");
    std::fs::write(ws.path().join("lcov.info"), "SF:app.py\nDA:1,1\nDA:2,1\nDA:3,1\nDA:4,0\nDA:5,0\nend_of_record\n")
        .unwrap();
    std::fs::write(
        ws.path().join("temis.toml"),
        "[coverage]\nmin_line = 50\nmin_patch = 50\n\n[tests]\nrequired = false\n",
    )
    .unwrap();
    let event = json!({"before": before, "after": after, "ref": "refs/heads/main"});
    let step = ws.step_with("http://127.0.0.1:9", "push", &event, "", &["--sha", &after, "lcov.info"]);
    assert!(step.stderr.contains(&format!("fetched {before} from origin")), "{}", step.stderr);
    assert_eq!(step.outputs["patch-coverage"], "33.33", "1 of 3 added lines covered: {}", step.stdout);
    assert_eq!(step.code, 1, "BLOCKED by min_patch: {}", step.stderr);
}

/// What the base branch did after the pull request's branch left it.
#[derive(Clone, Copy, PartialEq)]
enum BaseMoved {
    /// Nothing: the base is the branch point.
    No,
    /// Five lines on top of `src/a.py`: in the merge commit the pull request's lines are 5 lower.
    AboveTheLines,
    /// A new file, `src/b.py`: the merge numbers `src/a.py` as the head does.
    OtherFile,
}

/// A pull request on GitHub: `origin` holds `main` (the base: `src/a.py`, ten lines), `feature`
/// (the head: two lines appended, `y1 = 2` and `y2 = 3`) and, when the base moved, `merge`
/// (`refs/pull/7/merge`, what actions/checkout checks out by default). The API lists the head's
/// patch, numbered as the head: lines 11 and 12.
struct PullRequest {
    origin: tempfile::TempDir,
    base: String,
    head: String,
}

impl PullRequest {
    /// `record`: the base's figures as its CI recorded them (`refs/notes/temis`: 100 % line
    /// coverage).
    fn new(moved: BaseMoved, record: bool) -> PullRequest {
        use crate::support::{git, repo, write};
        let origin = repo();
        let o = origin.path();
        let ten: String = (1..=10).map(|i| format!("x{i} = 1\n")).collect();
        write(o, "src/a.py", &ten);
        git(o, &["add", "src/a.py"]);
        git(o, &["commit", "-q", "-m", "init"]);
        if record {
            let all: String = (1..=10).map(|i| format!("DA:{i},1\n")).collect();
            write(o, "base.info", &format!("SF:src/a.py\n{all}end_of_record\n"));
            write(o, "base.toml", "[coverage]\nmin_line = 50\n\n[tests]\nrequired = false\n");
            let r = crate::support::temis_in(o, &["gate", "--policy", "base.toml", "--record", "base.info"]);
            assert_eq!(r.code, 0, "recording the base's figures: {}{}", r.stdout, r.stderr);
            std::fs::remove_file(o.join("base.info")).unwrap();
            std::fs::remove_file(o.join("base.toml")).unwrap();
        }
        git(o, &["checkout", "-q", "-b", "feature"]);
        write(o, "src/a.py", &format!("{ten}y1 = 2\ny2 = 3\n"));
        git(o, &["commit", "-q", "-am", "feat: y"]);
        let head = git(o, &["rev-parse", "HEAD"]).trim().to_string();
        git(o, &["checkout", "-q", "main"]);
        match moved {
            BaseMoved::No => {}
            BaseMoved::AboveTheLines => {
                let five: String = (1..=5).map(|i| format!("m{i} = 0\n")).collect();
                write(o, "src/a.py", &format!("{five}{ten}"));
                git(o, &["commit", "-q", "-am", "main: five lines on top"]);
            }
            BaseMoved::OtherFile => {
                write(o, "src/b.py", "b = 1\n");
                git(o, &["add", "src/b.py"]);
                git(o, &["commit", "-q", "-m", "main: b"]);
            }
        }
        let base = git(o, &["rev-parse", "HEAD"]).trim().to_string();
        if moved != BaseMoved::No {
            git(o, &["checkout", "-q", "-b", "merge"]);
            git(o, &["merge", "-q", "--no-edit", "feature"]);
        }
        git(o, &["checkout", "-q", "main"]);
        PullRequest { origin, base, head }
    }

    /// GitHub's answer to `GET /pulls/7/files`: the head's patch.
    fn api(&self) -> FakeGitHub {
        let patch = "@@ -8,3 +8,5 @@\n x8 = 1\n x9 = 1\n x10 = 1\n+y1 = 2\n+y2 = 3";
        FakeGitHub::start(State {
            files: vec![json!({"sha": "bbcd538c8e72b8c175046e27cc8f907076331401", "filename": "src/a.py",
                               "status": "modified", "additions": 2, "deletions": 0, "changes": 2,
                               "blob_url": "https://github.com/octo/app/blob/x/src/a.py",
                               "raw_url": "https://github.com/octo/app/raw/x/src/a.py",
                               "contents_url": "https://api.github.com/repos/octo/app/contents/src/a.py",
                               "patch": patch})],
            pr_head_sha: self.head.clone(),
            ..State::default()
        })
    }

    /// A clone of `branch` (`--depth N` when `depth`), with `lcov.info` (`covered` and
    /// `uncovered` lines of `src/a.py`) and `policy` beside it, untracked.
    fn clone(&self, branch: &str, depth: Option<u32>, lines: (u32, &[u32]), policy: &str) -> Workspace {
        let ws = Workspace::empty();
        let url = format!("file://{}", self.origin.path().display());
        let mut args = vec!["clone", "-q", "--branch", branch];
        let depth = depth.map(|d| d.to_string());
        if let Some(d) = &depth {
            args.extend(["--depth", d]);
        }
        args.extend([url.as_str(), "."]);
        crate::support::git(ws.path(), &args);
        let (covered, uncovered) = lines;
        let mut lcov = String::from("SF:src/a.py\n");
        for n in 1..=covered {
            lcov.push_str(&format!("DA:{n},1\n"));
        }
        for n in uncovered {
            lcov.push_str(&format!("DA:{n},0\n"));
        }
        ws.with(&[("lcov.info", &format!("{lcov}end_of_record\n")), ("temis.toml", policy)])
    }

    /// `temis ci github` on the pull_request event, in `ws`.
    fn step(&self, api: &FakeGitHub, ws: &Workspace) -> Step {
        let event = json!({"pull_request": {"number": 7,
            "head": {"sha": self.head, "repo": {"full_name": "octo/app"}},
            "base": {"sha": self.base, "ref": "main", "repo": {"full_name": "octo/app"}}}});
        ws.step_with(
            &api.url,
            "pull_request",
            &event,
            TOKEN,
            &["--comment", "off", "--check-run", "false", "lcov.info"],
        )
    }
}

const MIN_PATCH: &str = "[coverage]\nmin_line = 50\nmin_patch = 80\n\n[tests]\nrequired = false\n";

/// actions/checkout checks out the merge commit, the coverage report measures it, and the API's
/// patches number the pull request's lines as its head does: with five lines added above them on
/// the base, lines 11 and 12 of the head are 16 and 17 here. Lines 11 and 12 of the merge are
/// covered (old lines): read as the patch numbers them, the change was 100 % covered and
/// approved. With the base in the clone, git measures `merge-base(base, HEAD)..HEAD`, as
/// `temis gate --base` does.
#[test]
fn on_a_merge_checkout_the_pull_requests_lines_are_measured_where_the_merge_has_them() {
    let pr = PullRequest::new(BaseMoved::AboveTheLines, false);
    let api = pr.api();
    let ws = pr.clone("merge", None, (15, &[16, 17]), MIN_PATCH);
    let step = pr.step(&api, &ws);
    assert_eq!(step.code, 1, "BLOCKED: {}\n{}", step.stdout, step.stderr);
    assert_eq!(step.outputs["verdict"], "BLOCKED");
    assert_eq!(step.outputs["patch-coverage"], "0", "lines 16 and 17, not 11 and 12: {}", step.stdout);
    assert!(
        step.stdout.contains("src/a.py,line=16"),
        "the uncovered added lines, as HEAD numbers them: {}",
        step.stdout
    );
    assert_valid(&api.requests());
}

/// A shallow checkout of the merge commit lacks the base: the API's lines are used only where
/// the files checked out read as the patch at every line it shows (the base changed other
/// files); else the base is fetched and git measures; and when it cannot be fetched, patch
/// coverage is not measured (could not judge), saying how to check out — never the patch's
/// numbers on the merge's lines.
#[test]
fn a_shallow_merge_checkout_uses_the_apis_lines_only_where_they_are_its_own() {
    let pr = PullRequest::new(BaseMoved::AboveTheLines, false);
    let api = pr.api();
    let shallow = || {
        let ws = pr.clone("merge", Some(1), (15, &[16, 17]), MIN_PATCH);
        let absent = Command::new("git").args(["cat-file", "-e", &pr.base]).current_dir(ws.path()).status().unwrap();
        assert!(!absent.success(), "the shallow clone lacks the base");
        ws
    };
    let fetched = pr.step(&api, &shallow());
    assert!(fetched.stderr.contains(&format!("fetched {} from origin", pr.base)), "{}", fetched.stderr);
    assert_eq!(fetched.outputs["patch-coverage"], "0", "{}\n{}", fetched.stdout, fetched.stderr);
    assert_eq!(fetched.code, 1, "BLOCKED by min_patch: {}", fetched.stderr);

    let ws = shallow();
    crate::support::git(ws.path(), &["remote", "set-url", "origin", "file:///nowhere/at/all"]);
    let cannot = pr.step(&api, &ws);
    assert_eq!(cannot.code, 2, "could not judge: {}\n{}", cannot.stdout, cannot.stderr);
    assert_eq!(cannot.outputs["verdict"], "COULD_NOT_JUDGE");
    assert_eq!(cannot.outputs["patch-coverage"], "");
    for said in [
        "Patch coverage could not be measured",
        &format!("is not its head ({})", &pr.head[..10]),
        "src/a.py line 8 is not the line the patch shows there",
        "fetch-depth: 0",
        "ref: ${{ github.event.pull_request.head.sha }}",
    ] {
        assert!(cannot.stdout.contains(said), "the verdict says {said:?}: {}", cannot.stdout);
    }
    assert!(cannot.summary.contains("patch-coverage-unmeasured"), "{}", cannot.summary);

    // The base changed another file: the merge numbers src/a.py as the head does, and the API's
    // lines are these (11 covered, 12 not), measured without fetching anything.
    let other = PullRequest::new(BaseMoved::OtherFile, false);
    let api = other.api();
    let ws = other.clone("merge", Some(1), (11, &[12]), MIN_PATCH);
    crate::support::git(ws.path(), &["remote", "set-url", "origin", "file:///nowhere/at/all"]);
    let step = other.step(&api, &ws);
    assert_eq!(step.outputs["patch-coverage"], "50", "{}\n{}", step.stdout, step.stderr);
    assert_eq!(step.code, 1, "BLOCKED by min_patch: {}", step.stderr);
}

/// On a pull request whose files are read through the API, `max_drop` was skipped ("no base to
/// compare with") although the event names the base and its CI recorded figures there: coverage
/// fell 16.67 points and the pull request was approved. The ratchet holds against the base as
/// `temis gate --base` does: the merge base when the clone has it, else the base commit's notes
/// when they were fetched; with no figures found, it says so as `gate --base` does.
#[test]
fn the_coverage_ratchet_holds_a_pull_request_against_its_base() {
    let pr = PullRequest::new(BaseMoved::No, true);
    let api = pr.api();
    let policy = "[coverage]\nmin_line = 50\nmax_drop = 1\n\n[tests]\nrequired = false\n";
    let fell = "Coverage ratchet: line coverage 100 % at base";
    let notes = |ws: &Workspace| {
        crate::support::git(ws.path(), &["fetch", "-q", "origin", "refs/notes/temis:refs/notes/temis"])
    };

    let full = pr.clone("feature", None, (10, &[11, 12]), policy);
    notes(&full);
    let step = pr.step(&api, &full);
    assert_eq!(step.code, 1, "BLOCKED by the ratchet: {}\n{}", step.stdout, step.stderr);
    assert!(step.stdout.contains(fell) && step.stdout.contains("fell 16.67 points"), "{}", step.stdout);

    // A shallow clone of the head: the base is not in it, its notes are.
    let shallow = pr.clone("feature", Some(1), (10, &[11, 12]), policy);
    notes(&shallow);
    let step = pr.step(&api, &shallow);
    assert_eq!(step.code, 1, "BLOCKED by the ratchet: {}\n{}", step.stdout, step.stderr);
    assert!(step.stdout.contains(&format!("{fell} {}", &pr.base[..10])), "{}", step.stdout);

    // No notes fetched: nothing to hold it against, said as `temis gate --base` says it.
    let bare = pr.clone("feature", Some(1), (10, &[11, 12]), policy);
    let step = pr.step(&api, &bare);
    assert_eq!(step.code, 0, "{}\n{}", step.stdout, step.stderr);
    assert!(
        step.stdout.contains(&format!("no figures recorded for the base commit {}", &pr.base[..10])),
        "{}",
        step.stdout
    );
}
