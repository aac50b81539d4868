//! `temis ci azure` against the fake Azure DevOps, and its logging commands.

use super::fake::{Fake, Platform, State, ops};
use super::{Run, TOKEN, Workspace, clone_of_change, foreign_commands, read_back};

/// The commands temis itself writes to an Azure log.
const OWN: &[&str] = &[
    "##vso[task.logissue type=",
    "##vso[task.uploadsummary]",
    "##vso[task.setvariable variable=TEMIS_VERDICT;isoutput=true]",
    "##vso[task.complete result=",
];

/// A pull-request build's variables, the organization at `api`.
fn pr_env(api: &str, dir: &str) -> Vec<(&'static str, String)> {
    vec![
        ("TF_BUILD", "True".into()),
        ("SYSTEM_ACCESSTOKEN", TOKEN.into()),
        ("SYSTEM_COLLECTIONURI", format!("{api}/acme/")),
        ("SYSTEM_TEAMPROJECT", "My App".into()),
        ("BUILD_REPOSITORY_ID", "3f2a91c0-8a2e-4b8e-9a52-5a1f1c0e7d11".into()),
        ("BUILD_REPOSITORY_PROVIDER", "TfsGit".into()),
        ("SYSTEM_PULLREQUEST_PULLREQUESTID", "7".into()),
        ("BUILD_BUILDID", "314".into()),
        ("BUILD_SOURCESDIRECTORY", dir.into()),
    ]
}

fn run(ws: &Workspace, env: &[(&'static str, String)], args: &[&str]) -> Run {
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let argv: Vec<&str> = ["ci", "azure"].iter().chain(args).copied().collect();
    ws.run(&argv, &env)
}

fn assert_valid(az: &Fake) {
    for r in az.requests() {
        assert!(r.problems.is_empty(), "{} {} broke the contract: {:?}", r.method, r.path, r.problems);
        assert_eq!(r.header("authorization"), Some(format!("Bearer {TOKEN}").as_str()));
        assert!(r.query.contains("api-version=7.1"), "{}", r.query);
    }
}

/// The thread's status and first comment.
fn thread(az: &Fake) -> (String, String) {
    let st = az.state.lock().unwrap();
    assert_eq!(st.threads.len(), 1, "one thread: {:?}", st.threads);
    let t = &st.threads[0];
    (t["status"].as_str().unwrap().to_string(), t["comments"][0]["content"].as_str().unwrap().to_string())
}

#[test]
fn azure_first_run_creates_one_thread_the_next_updates_it_and_approval_closes_it() {
    let az = Fake::start(Platform::Azure, State::default());
    let ws = Workspace::example();
    let env = pr_env(&az.url, &ws.path().display().to_string());

    let first = run(&ws, &env, &[]);
    assert_eq!(first.code, 1, "{}", first.stderr);
    assert_valid(&az);
    assert_eq!(ops(&az.writes()), ["Pull Request Threads_Create", "Pull Request Statuses_Create"]);
    let w = az.writes();
    assert_eq!(
        w[0].path,
        "/acme/My%20App/_apis/git/repositories/3f2a91c0-8a2e-4b8e-9a52-5a1f1c0e7d11/pullRequests/7/threads"
    );
    let (status, content) = thread(&az);
    assert_eq!(status, "active", "a BLOCKED verdict keeps the thread active");
    assert!(content.starts_with("<!-- temis:sticky-comment name=temis -->\n### ❌ temis: BLOCKED"), "{content}");
    let pr_status = w[1].body.clone().unwrap();
    assert_eq!(
        pr_status,
        serde_json::json!({"state": "failed", "description": "BLOCKED: 2 failed, 1 passed",
                           "context": {"name": "temis", "genre": "temis"},
                           "targetUrl": format!("{}/acme/My%20App/_build/results?buildId=314", az.url)})
    );

    let second = run(&ws, &env, &[]);
    assert_eq!(second.code, 1);
    assert_valid(&az);
    assert_eq!(
        ops(&az.writes())[2..],
        ["Pull Request Thread Comments_Update", "Pull Request Statuses_Create"],
        "the same thread's comment is updated; its status is already right"
    );

    let approved = Workspace::approved();
    let third = run(&approved, &pr_env(&az.url, &approved.path().display().to_string()), &[]);
    assert_eq!(third.code, 0, "{}", third.stderr);
    assert_valid(&az);
    assert_eq!(
        ops(&az.writes())[4..],
        ["Pull Request Thread Comments_Update", "Pull Request Threads_Update", "Pull Request Statuses_Create"]
    );
    let (status, content) = thread(&az);
    assert_eq!(status, "closed", "an APPROVED verdict closes the thread");
    assert!(content.contains("### ✅ temis: APPROVED"), "{content}");
}

#[test]
fn azure_logging_commands_carry_the_verdict_and_the_summary_is_uploaded() {
    let ws = Workspace::example();
    let dir = ws.path().display().to_string();
    let r = run(&ws, &[("TF_BUILD", "True".into()), ("BUILD_SOURCESDIRECTORY", dir.clone())], &["--annotations", "1"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let commands: Vec<&str> = r.stdout.lines().filter(|l| l.starts_with("##vso[")).collect();
    assert_eq!(commands.len(), 4, "one error (--annotations 1), the summary, the variable, the end: {commands:#?}");
    assert!(
        commands[0].starts_with(&format!(
            "##vso[task.logissue type=error;sourcepath={dir}/src/authsvc/jwt.py;linenumber=30;code=coverage-line-below-threshold]"
        )),
        "{}",
        commands[0]
    );
    let summary = std::fs::canonicalize(ws.path().join("temis-ci/summary.md")).unwrap();
    assert_eq!(commands[1], format!("##vso[task.uploadsummary]{}", summary.display()));
    assert_eq!(commands[2], "##vso[task.setvariable variable=TEMIS_VERDICT;isoutput=true]BLOCKED");
    assert_eq!(commands[3], "##vso[task.complete result=Failed;]temis: BLOCKED: 2 failed, 1 passed");
    assert_eq!(foreign_commands(&r.stdout, OWN), Vec::<&str>::new());
    let cobertura = read_back(&r.artifacts.join("cobertura.xml"));
    assert_eq!(cobertura["coverage"]["lines"]["covered"], 58);

    let advisory = run(&ws, &[("TF_BUILD", "True".into())], &["--fail-on-blocked", "false"]);
    assert_eq!(advisory.code, 0);
    assert!(advisory.stdout.contains("##vso[task.complete result=SucceededWithIssues;]"), "{}", advisory.stdout);
}

/// A reviewer's thread quoting temis's marker (not at the start of her comment) is hers: temis
/// updates its own thread, and never replaces her words nor closes her thread.
#[test]
fn azure_a_thread_quoting_the_marker_is_never_taken_over() {
    let m = "<!-- temis:sticky-comment name=temis -->";
    let threads = vec![
        serde_json::json!({"id": 2, "status": "active", "isDeleted": false, "comments": [{"id": 1, "parentCommentId": 0,
            "content": format!("Blocking: the retry loop is wrong. (The bot said: {m} BLOCKED earlier.)"),
            "author": {"uniqueName": "alice"}}]}),
        serde_json::json!({"id": 3, "status": "active", "isDeleted": false, "comments": [{"id": 1, "parentCommentId": 0,
            "content": format!("{m}\n### temis: BLOCKED"), "author": {"uniqueName": "build-service"}}]}),
    ];
    let az = Fake::start(Platform::Azure, State { threads: threads.clone(), ..State::default() });
    let ws = Workspace::approved();
    let r = run(&ws, &pr_env(&az.url, &ws.path().display().to_string()), &["--status", "false"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_valid(&az);
    let writes = az.writes();
    assert_eq!(ops(&writes), ["Pull Request Thread Comments_Update", "Pull Request Threads_Update"]);
    assert!(
        writes.iter().all(|w| w.path.contains("/threads/3")),
        "{:?}",
        writes.iter().map(|w| &w.path).collect::<Vec<_>>()
    );
    let st = az.state.lock().unwrap();
    assert_eq!(st.threads[0], threads[0], "alice's thread: her words, still active");
    assert_eq!(st.threads[1]["status"], "closed");
}

/// `--fail-on-blocked false` changes the exit code only: the pull-request status a branch
/// policy reads still fails.
#[test]
fn azure_fail_on_blocked_false_still_publishes_a_failed_status() {
    let az = Fake::start(Platform::Azure, State::default());
    let ws = Workspace::example();
    let r = run(&ws, &pr_env(&az.url, &ws.path().display().to_string()), &["--fail-on-blocked", "false"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("##vso[task.complete result=SucceededWithIssues;]"), "{}", r.stdout);
    let st = az.state.lock().unwrap();
    assert_eq!(st.statuses.len(), 1);
    assert_eq!(st.statuses[0]["state"], "failed", "{}", st.statuses[0]);
}

#[test]
fn azure_a_403_degrades_to_the_log_and_keeps_the_exit_code() {
    let az = Fake::start(Platform::Azure, State::default());
    az.fail("POST", "Pull Request Threads_Create", 403, 0);
    let ws = Workspace::example();
    let r = run(&ws, &pr_env(&az.url, &ws.path().display().to_string()), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("the pull-request thread was not written: Azure DevOps answered 403"), "{}", r.stderr);
    assert!(r.stderr.contains("Bearer ***"), "the echoed token is cut out: {}", r.stderr);
    assert_eq!(ops(&az.writes()), ["Pull Request Threads_Create", "Pull Request Statuses_Create"]);
    assert!(r.stdout.contains("##vso[task.complete result=Failed;]"));
}

#[test]
fn azure_hostile_report_text_cannot_inject_a_logging_command_or_markup() {
    let az = Fake::start(Platform::Azure, State::default());
    let ws = Workspace::hostile();
    let r = run(&ws, &pr_env(&az.url, &ws.path().display().to_string()), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_valid(&az);
    assert_eq!(foreign_commands(&r.stdout, OWN), Vec::<&str>::new(), "{}", r.stdout);
    for line in r.stdout.lines().filter(|l| l.to_ascii_lowercase().contains("##vso[")) {
        assert_eq!(line.to_ascii_lowercase().matches("##vso[").count(), 1, "one command per line: {line}");
        assert!(!line.contains('\r'));
    }
    assert!(!r.stdout.contains("##vso[task.setvariable variable=X"), "{}", r.stdout);
    let (_, content) = thread(&az);
    for bad in ["<img", "<script", "@everyone", "@here"] {
        assert!(!content.contains(bad), "{bad} reaches the thread: {content}");
    }
}

#[test]
fn azure_measures_the_pull_request_from_its_target_branch_fetched_from_origin() {
    let (_origin, ws, _base, head) = clone_of_change();
    let r = run(
        &ws,
        &[
            ("TF_BUILD", "True".into()),
            ("SYSTEM_PULLREQUEST_PULLREQUESTID", "7".into()),
            ("SYSTEM_PULLREQUEST_TARGETBRANCH", "refs/heads/main".into()),
            ("BUILD_SOURCEVERSION", head),
        ],
        &["lcov.info"],
    );
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(r.artifact("summary.md").contains("**Patch coverage 50 %**"), "{}", r.artifact("summary.md"));
    assert!(r.stdout.contains("type=warning;sourcepath="), "the uncovered added line: {}", r.stdout);
}

#[test]
fn azure_an_invalid_policy_fails_the_task_and_says_why() {
    let ws = Workspace::new(&[("temis.toml", "[coverage]\nmin_line = \"eighty\"\n")]);
    let r = run(&ws, &[("TF_BUILD", "True".into())], &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let last = r.stdout.lines().last().unwrap_or_default();
    assert!(last.starts_with("##vso[task.complete result=Failed;]temis could not judge: "), "{}", r.stdout);
    assert!(r.stdout.contains("##vso[task.uploadsummary]"), "{}", r.stdout);
}

/// `--annotations` keeps the log short; the log says how many findings it left out.
#[test]
fn azure_says_how_many_issues_the_log_leaves_out() {
    let ws = Workspace::findings(25);
    let r = run(&ws, &[("TF_BUILD", "True".into())], &["scan.sarif"]);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(r.stdout.matches("##vso[task.logissue type=error").count(), 10);
    assert!(
        r.stderr
            .contains("15 of 25 errors not logged as issues (--annotations 10 per level, the most important first)"),
        "{}",
        r.stderr
    );
}
