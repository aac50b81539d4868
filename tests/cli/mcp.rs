//! `temis mcp`: a JSON-RPC session over the server's standard input and output, written here by
//! hand (no SDK; `ci/mcp_client.py` drives it with the official Python SDK): initialize, the
//! tools and their schemas, the gate's verdict (the same bytes as `temis gate --format json`),
//! the uncovered added lines (the verdict's patch), a tool that writes refusing a path outside the
//! repository, and a tool error reading as the CLI's.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use serde_json::{Value, json};

use crate::support::{BIN, git, repo, temis_env};

const TODAY: &str = "2026-11-24";
const PHASE2: [&str; 2] = ["reports/phase-2/coverage.xml", "reports/phase-2/junit.xml"];

/// The eight tools, and which of them write.
const TOOLS: [&str; 8] = [
    "gate",
    "uncovered_patch_lines",
    "report",
    "plan_status",
    "phase_complete",
    "phase_summary",
    "commit_message",
    "explain",
];
const WRITERS: [&str; 2] = ["phase_complete", "phase_summary"];

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/jwt-auth")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The shipped example as a git repository: phase 1's code committed, then phase 2's code added
/// (`HEAD~1..HEAD` adds `src/authsvc/jwt.py`).
pub fn example_repo() -> tempfile::TempDir {
    let dir = repo();
    let d = dir.path();
    copy_dir(&example(), d);
    git(d, &["add", "-A"]);
    git(d, &["reset", "-q", "--", "src/authsvc/jwt.py", "tests/test_jwt.py"]);
    git(d, &["commit", "-q", "-m", "feat: phase 1"]);
    git(d, &["add", "-A"]);
    git(d, &["commit", "-q", "-m", "feat: phase 2"]);
    dir
}

/// A running `temis mcp` and the lines it answers with.
pub struct Session {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    next_id: u64,
}

impl Session {
    pub fn start(root: &Path) -> Session {
        let mut child = Command::new(BIN)
            .args(["mcp", "--root"])
            .arg(root)
            .current_dir(root)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", root)
            .env("TEMIS_TODAY", TODAY)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("temis mcp starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take();
        let mut s = Session { child, stdin, lines, next_id: 0 };
        let init = s.request(
            "initialize",
            json!({ "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": { "name": "temis-tests", "version": "0" } }),
        );
        assert_eq!(init["result"]["protocolVersion"], "2025-06-18", "{init}");
        assert_eq!(init["result"]["serverInfo"]["name"], "temis", "{init}");
        assert!(init["result"]["capabilities"]["tools"].is_object(), "{init}");
        assert!(init["result"]["capabilities"]["resources"].is_object(), "{init}");
        s.send(&json!({ "jsonrpc": "2.0", "method": "notifications/initialized" }));
        s
    }

    fn send(&mut self, message: &Value) {
        let stdin = self.stdin.as_mut().expect("the session is open");
        writeln!(stdin, "{message}").unwrap();
        stdin.flush().unwrap();
    }

    /// Sends `line` as it is, and waits for the answer with no id (a parse error's).
    fn raw(&mut self, line: &[u8]) -> Value {
        let stdin = self.stdin.as_mut().expect("the session is open");
        stdin.write_all(line).unwrap();
        stdin.write_all(b"\n").unwrap();
        stdin.flush().unwrap();
        loop {
            let line = self.lines.recv_timeout(Duration::from_secs(60)).expect("temis mcp answers within a minute");
            let message: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON-RPC ({e}): {line}"));
            if message["id"].is_null() {
                return message;
            }
        }
    }

    /// Sends a request and waits for its answer (a minute at most).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let line = self.lines.recv_timeout(Duration::from_secs(60)).expect("temis mcp answers within a minute");
            let message: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON-RPC ({e}): {line}"));
            if message["id"] == id {
                return message;
            }
        }
    }

    /// `tools/call`: the result object.
    fn call(&mut self, tool: &str, arguments: Value) -> Value {
        let answer = self.request("tools/call", json!({ "name": tool, "arguments": arguments }));
        assert!(answer["error"].is_null(), "{tool}: a protocol error: {answer}");
        answer["result"].clone()
    }

    /// Closes the session; the server ends with exit 0.
    pub fn close(mut self) {
        drop(self.stdin.take());
        let status = self.child.wait().unwrap();
        assert_eq!(status.code(), Some(0), "temis mcp ends with 0 when the client closes the session");
    }
}

fn text(result: &Value) -> &str {
    result["content"][0]["text"].as_str().unwrap_or_else(|| panic!("no text content: {result}"))
}

fn cli(dir: &Path, args: &[&str]) -> crate::support::Run {
    temis_env(dir, args, &[("TEMIS_TODAY", TODAY)])
}

#[test]
fn the_server_lists_its_tools_with_their_schemas_and_which_write() {
    let dir = example_repo();
    let mut s = Session::start(dir.path());
    let listed = s.request("tools/list", json!({}));
    let tools = listed["result"]["tools"].as_array().unwrap_or_else(|| panic!("{listed}"));
    let names: Vec<&str> = tools.iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, TOOLS);
    for t in tools {
        let name = t["name"].as_str().unwrap();
        assert_eq!(t["inputSchema"]["type"], "object", "{name}");
        assert_eq!(t["inputSchema"]["$schema"], "https://json-schema.org/draft/2020-12/schema", "{name}");
        assert!(t["description"].as_str().is_some_and(|d| d.len() > 40), "{name} is described");
        let writes = WRITERS.contains(&name);
        assert_eq!(t["annotations"]["readOnlyHint"], !writes, "{name}");
        assert_eq!(t["annotations"]["destructiveHint"], false, "{name}");
    }
    let gate = &tools[0];
    let committed: Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/temis.verdict.schema.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(gate["outputSchema"], committed, "the gate tool's output schema is the committed verdict schema");
    assert_eq!(gate["inputSchema"]["additionalProperties"], false, "unknown arguments are refused");
    let mut shown = listed["result"]["tools"].clone();
    shown[0]["outputSchema"] = json!("docs/temis.verdict.schema.json");
    insta::assert_snapshot!(serde_json::to_string_pretty(&shown).unwrap());
    s.close();
}

/// The agent being gated chose the day its waivers were judged on: `today: 2019-06-01` brought
/// back a waiver that had expired, and a phase was recorded APPROVED. A day before the server's
/// is refused; a later one judges more strictly, and is taken.
#[test]
fn the_client_cannot_turn_the_date_back() {
    let dir = example_repo();
    let d = dir.path();
    let mut s = Session::start(d);
    for tool in ["gate", "phase_complete"] {
        let result = s.call(tool, json!({ "phase": 2, "today": "2019-06-01" }));
        assert_eq!(result["isError"], true, "{tool}: {result}");
        assert!(text(&result).contains("is before the server's date, 2026-11-24"), "{tool}: {result}");
    }
    let later = s.call("gate", json!({ "phase": 2, "reports": PHASE2, "today": "2027-01-01" }));
    assert_ne!(later["isError"], true, "{later}");
    assert_eq!(later["structuredContent"]["verdict"], "BLOCKED");
    s.close();
}

#[test]
fn the_gate_tool_returns_the_verdict_temis_gate_prints() {
    let dir = example_repo();
    let d = dir.path();
    let mut s = Session::start(d);
    let result = s.call("gate", json!({ "phase": 2, "reports": PHASE2 }));
    assert_ne!(result["isError"], true, "{result}");
    let v = &result["structuredContent"];
    assert_eq!(v["schema"], "temis.verdict/v1");
    assert_eq!(v["verdict"], "BLOCKED");
    let line = v["checks"].as_array().unwrap().iter().find(|c| c["code"] == "coverage-line-below-threshold").unwrap();
    assert_eq!(line["outcome"], "fail");
    assert_eq!(line["measured"], json!({ "value": 77.33, "unit": "%" }));
    assert_eq!(line["threshold"], json!({ "value": 80.0, "unit": "%" }));
    let tests = v["checks"].as_array().unwrap().iter().find(|c| c["code"] == "tests-failing").unwrap();
    assert!(
        tests["evidence"][0]["text"].as_str().unwrap().starts_with("tests.test_jwt::test_refresh_issues_access_token")
    );
    // One contract: the text is byte for byte what `temis gate --format json` prints.
    let mut args = vec!["gate", "--phase", "2"];
    args.extend(PHASE2);
    args.extend(["--format", "json"]);
    let run = cli(d, &args);
    assert_eq!(run.code, 1);
    assert_eq!(text(&result), run.stdout);
    assert_eq!(&serde_json::from_str::<Value>(&run.stdout).unwrap(), v);
    s.close();
}

#[test]
fn uncovered_patch_lines_are_the_patch_temis_gate_base_reports() {
    let dir = example_repo();
    let d = dir.path();
    let mut s = Session::start(d);
    let result = s.call("uncovered_patch_lines", json!({ "base": "HEAD~1", "reports": [PHASE2[0]] }));
    assert_ne!(result["isError"], true, "{result}");
    let patch = &result["structuredContent"];
    let run = cli(d, &["gate", "--base", "HEAD~1", PHASE2[0], "--format", "json"]);
    let verdict: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(&verdict["patch"], patch);
    assert_eq!(
        patch["files"],
        json!([{
            "path": "src/authsvc/jwt.py",
            "lines": { "total": 49, "covered": 32, "uncovered": 17 },
            "uncovered": [
                { "start": 30, "end": 31 }, { "start": 44, "end": 44 },
                { "start": 50, "end": 57 }, { "start": 62, "end": 67 }
            ]
        }])
    );
    // What cannot be measured is an error, never an empty list.
    let none = s.call("uncovered_patch_lines", json!({ "base": "HEAD~1", "reports": [PHASE2[1]] }));
    assert_eq!(none["isError"], true, "{none}");
    assert!(text(&none).contains("no coverage report"), "{none}");
    let bad = s.call("uncovered_patch_lines", json!({ "base": "no-such-branch", "reports": [PHASE2[0]] }));
    assert_eq!(bad["isError"], true, "{bad}");
    s.close();
}

/// A line that is not JSON, or longer than the SDK takes, got no answer at all: a client waiting
/// on its request waited for ever. JSON-RPC's parse error (and invalid request) answers it, and
/// the session goes on.
#[test]
fn a_line_that_is_not_json_or_too_long_is_answered() {
    let dir = example_repo();
    let mut s = Session::start(dir.path());
    let bad = s.raw(br#"{"jsonrpc":"2.0","id":7,"method":"ping""#);
    assert_eq!(bad["error"]["code"], -32700, "{bad}");
    // Not UTF-8 inside a string the parser skips over: the SDK dropped it too.
    let latin1 = s.raw(b"{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"ping\",\"params\":{\"x\":\"\xff\"}}");
    assert_eq!(latin1["error"]["code"], -32700, "{latin1}");
    let long = [
        &b"{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"ping\",\"params\":{\"x\":\""[..],
        &vec![b'a'; 17 << 20],
        b"\"}}",
    ]
    .concat();
    let too_long = s.raw(&long);
    assert_eq!(too_long["error"]["code"], -32600, "{too_long}");
    let ping = s.request("ping", json!({}));
    assert!(ping["error"].is_null(), "{ping}");
    s.close();
}

/// The tools that only read took any path: `report` read `../.env` and echoed its first line in
/// its error, and `gate` approved under a lax policy kept outside the repository.
#[test]
fn a_tool_that_reads_refuses_a_path_outside_the_repository() {
    let dir = example_repo();
    let d = dir.path();
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join(".env");
    std::fs::write(&secret, "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n").unwrap();
    std::fs::write(outside.path().join("lax.toml"), "[coverage]\nrequired = false\n").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path(), d.join("linked")).unwrap();
    let mut s = Session::start(d);
    let mut calls = vec![
        ("report", json!({ "paths": [secret], "input_format": "gocover" })),
        ("report", json!({ "paths": ["../x/.env"] })),
        ("gate", json!({ "policy": outside.path().join("lax.toml") })),
        ("gate", json!({ "reports": [secret] })),
        ("uncovered_patch_lines", json!({ "base": "HEAD", "policy": outside.path().join("lax.toml") })),
        ("plan_status", json!({ "plan": outside.path().join("plan.md") })),
        ("commit_message", json!({ "plan": "../plan.md" })),
    ];
    #[cfg(unix)]
    calls.push(("report", json!({ "paths": ["linked/.env"] })));
    for (tool, args) in calls {
        let result = s.call(tool, args.clone());
        assert_eq!(result["isError"], true, "{tool} {args}: {result}");
        assert!(text(&result).contains("outside the repository"), "{tool} {args}: {result}");
        assert!(!text(&result).contains("wJalrXUtnFEMI"), "{tool} {args}: {result}");
    }
    s.close();
}

#[test]
fn a_tool_that_writes_refuses_a_path_outside_the_repository() {
    let dir = example_repo();
    let d = dir.path();
    let outside = tempfile::tempdir().unwrap();
    let plan = outside.path().join("plans/x/plan.md");
    std::fs::create_dir_all(plan.parent().unwrap()).unwrap();
    std::fs::copy(d.join("plans/jwt-authentication/plan.md"), &plan).unwrap();
    let mut s = Session::start(d);
    for (tool, args) in [
        ("phase_complete", json!({ "phase": 1, "plan": plan })),
        ("phase_complete", json!({ "phase": 1, "plan": "../x/plan.md" })),
        ("phase_complete", json!({ "phase": 1, "reports": [outside.path().join("coverage.xml")] })),
        // A lax policy outside the repository recorded APPROVED what the repository's blocks.
        ("phase_complete", json!({ "phase": 1, "policy": outside.path().join("lax.toml") })),
        ("phase_complete", json!({ "phase": 1, "policy": "../lax.toml" })),
        ("phase_summary", json!({ "plan": plan.parent().unwrap() })),
    ] {
        let result = s.call(tool, args.clone());
        assert_eq!(result["isError"], true, "{tool} {args}: {result}");
        assert!(text(&result).contains("outside the repository"), "{tool} {args}: {result}");
    }
    let left: Vec<_> = std::fs::read_dir(plan.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left, ["plan.md"], "nothing was written outside");
    s.close();
}

#[test]
fn tool_errors_read_as_the_cli_prints_them() {
    let dir = example_repo();
    let d = dir.path();
    std::fs::write(d.join("broken.toml"), "[coverage]\nmin_line = 180\n").unwrap();
    let mut s = Session::start(d);
    let result = s.call("gate", json!({ "policy": "broken.toml" }));
    assert_eq!(result["isError"], true, "{result}");
    let run = cli(d, &["gate", "--policy", "broken.toml"]);
    assert_eq!(run.code, 2);
    assert_eq!(text(&result), run.stderr.trim_end());
    let typo = s.call("gate", json!({ "polcy": "temis.toml" }));
    assert_eq!(typo["isError"], true);
    assert!(text(&typo).starts_with("error: invalid arguments: unknown field `polcy`"), "{typo}");
    let unknown = s.request("tools/call", json!({ "name": "gates", "arguments": {} }));
    assert!(unknown["error"]["message"].as_str().unwrap().contains("its tools are gate,"), "{unknown}");
    s.close();
}

/// `/dev/stdin` or a named pipe as a report: the call waited for ever (and `/dev/stdin` read the
/// session's own messages). Anything that is not a regular file is refused, at once (and a path
/// outside the repository, as every tool refuses one).
#[cfg(unix)]
#[test]
fn a_report_that_is_a_pipe_or_standard_input_is_refused_at_once() {
    let dir = example_repo();
    let d = dir.path();
    let fifo = d.join("fifo.info");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let mut s = Session::start(d);
    for (report, says) in [("/dev/stdin", "refusing /dev/stdin"), ("fifo.info", "is not a regular file")] {
        for (tool, key) in [("gate", "reports"), ("report", "paths")] {
            let result = s.call(tool, json!({ key: [report] }));
            assert_eq!(result["isError"], true, "{result}");
            assert!(text(&result).contains(says), "{result}");
        }
    }
    // The session goes on.
    let listed = s.request("tools/list", json!({}));
    assert!(listed["result"]["tools"].as_array().is_some_and(|t| !t.is_empty()), "{listed}");
    s.close();
}

#[test]
fn the_other_tools_return_the_commands_contracts() {
    let dir = example_repo();
    let d = dir.path();
    let mut s = Session::start(d);
    let plan = s.call("plan_status", json!({ "gate": false }));
    let run = cli(d, &["plan", "--no-gate", "--format", "json"]);
    assert_eq!(text(&plan), run.stdout, "plan_status is `temis plan --format json`");
    let report = s.call("report", json!({ "paths": PHASE2 }));
    let run = cli(d, &["report", "--format", "json", PHASE2[0], PHASE2[1]]);
    assert_eq!(text(&report), run.stdout, "report is `temis report --format json`");
    let report_v1 = s.call("report", json!({ "paths": PHASE2, "schema_version": 1 }));
    let run = cli(d, &["report", "--format", "json-v1", PHASE2[0], PHASE2[1]]);
    assert_eq!(text(&report_v1), run.stdout, "schema_version 1 is `temis report --format json-v1`");
    let message = s.call("commit_message", json!({ "phase": 1 }));
    let run = cli(d, &["commit-msg", "generate", "--phase", "1"]);
    assert_eq!(message["structuredContent"]["message"], run.stdout);
    assert_eq!(message["structuredContent"]["problems"], json!([]));
    let explained = s.call("explain", json!({ "code": "tests-failing" }));
    assert_eq!(explained["structuredContent"]["codes"][0]["code"], "tests-failing");
    s.close();
}

#[test]
fn phase_complete_records_only_an_approved_phase() {
    let dir = example_repo();
    let d = dir.path();
    for f in ["phase-2-complete.md", "phase-3-complete.md", "complete.md"] {
        std::fs::remove_file(d.join("plans/jwt-authentication").join(f)).unwrap();
    }
    let record = d.join("plans/jwt-authentication/phase-2-complete.md");
    let mut s = Session::start(d);
    // Phase 2's plan declares a benchmark budget: its benchmark report is named too.
    let blocked = s.call(
        "phase_complete",
        json!({ "phase": 2, "reports": [PHASE2[0], PHASE2[1], "reports/phase-2/benchmark.json"] }),
    );
    assert_ne!(blocked["isError"], true, "{blocked}");
    let c = &blocked["structuredContent"];
    assert_eq!((&c["recorded"], &c["written"], &c["commit_message"]), (&json!(false), &Value::Null, &Value::Null));
    assert_eq!(c["verdict"]["verdict"], "BLOCKED");
    assert!(!record.exists(), "a BLOCKED phase writes nothing");
    // The plan's `Reports:` line names the corrected run: APPROVED, recorded once.
    let approved = s.call("phase_complete", json!({ "phase": 2 }));
    let c = &approved["structuredContent"];
    assert_eq!(c["recorded"], true, "{approved}");
    assert_eq!(c["record"], "plans/jwt-authentication/phase-2-complete.md");
    assert_eq!(c["written"], "created");
    assert_eq!(c["verdict"]["verdict"], "APPROVED");
    let message = c["commit_message"].as_str().unwrap();
    assert!(message.starts_with("feat(authsvc): add backend services"), "{message}");
    assert!(std::fs::read_to_string(&record).unwrap().contains(message.lines().next().unwrap()));
    let again = s.call("phase_complete", json!({ "phase": 2 }));
    assert_eq!(again["structuredContent"]["written"], "unchanged", "{again}");
    // A lax policy the agent writes in the repository, untracked: refused; the committed one is
    // taken.
    std::fs::write(d.join("lax.toml"), "[coverage]\nmin_line = 0\n").unwrap();
    let lax = s.call("phase_complete", json!({ "phase": 2, "policy": "lax.toml" }));
    assert_eq!(lax["isError"], true, "{lax}");
    assert!(text(&lax).contains("git does not hold it"), "{lax}");
    if d.join("temis.toml").exists() {
        let own = s.call("phase_complete", json!({ "phase": 2, "policy": "temis.toml" }));
        assert_ne!(own["isError"], true, "{own}");
    }
    // A base after the phase's start (HEAD: no line added) would pass min_patch over.
    let narrowed = s.call("phase_complete", json!({ "phase": 2, "base": "HEAD" }));
    assert_eq!(narrowed["isError"], true, "{narrowed}");
    assert!(text(&narrowed).contains("refusing base HEAD: phase 2 started at"), "{narrowed}");
    let summary = s.call("phase_summary", json!({}));
    assert_eq!(summary["isError"], true, "phase 3 is not recorded: {summary}");
    assert!(text(&summary).contains("phase 3"), "{summary}");
    s.close();
}

#[test]
fn the_resources_are_the_policy_the_plan_and_its_records() {
    let dir = example_repo();
    let d = dir.path();
    let mut s = Session::start(d);
    let listed = s.request("resources/list", json!({}));
    let uris: Vec<&str> =
        listed["result"]["resources"].as_array().unwrap().iter().map(|r| r["uri"].as_str().unwrap()).collect();
    assert_eq!(
        uris,
        [
            "temis://policy",
            "temis://plan/plans/jwt-authentication/plan.md",
            "temis://record/plans/jwt-authentication/phase-1-complete.md",
            "temis://record/plans/jwt-authentication/phase-2-complete.md",
            "temis://record/plans/jwt-authentication/phase-3-complete.md",
            "temis://summary/plans/jwt-authentication/complete.md",
        ]
    );
    let policy = s.request("resources/read", json!({ "uri": "temis://policy" }));
    assert!(policy["result"]["contents"][0]["text"].as_str().unwrap().contains("min_line = 80"), "{policy}");
    let record = s.request("resources/read", json!({ "uri": uris[2] }));
    let on_disk = std::fs::read_to_string(d.join("plans/jwt-authentication/phase-1-complete.md")).unwrap();
    assert_eq!(record["result"]["contents"][0]["text"], on_disk);
    // Only what the listing names: never a file by its path.
    let sneaky = s.request("resources/read", json!({ "uri": "temis://plan/../../etc/passwd" }));
    assert!(!sneaky["error"].is_null(), "{sneaky}");
    std::fs::write(d.join("temis.toml"), "[coverage]\nmin_lines = 80\n").unwrap();
    let broken = s.request("resources/read", json!({ "uri": "temis://policy" }));
    assert!(broken["error"]["message"].as_str().unwrap().contains("min_lines"), "{broken}");
    s.close();
}

#[test]
fn mcp_help_says_how_to_configure_the_clients() {
    let run = crate::support::temis(&["mcp", "--help"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains(".vscode/mcp.json") && run.stdout.contains("claude mcp add"), "{}", run.stdout);
}
