//! `temis hook agent-stop`, fed the hook payloads Claude Code writes (`tests/fixtures/agent-stop/`):
//! the plan's current phase BLOCKED refuses the stop (exit 2, the reasons and the verdict on
//! stderr), APPROVED lets it through (0), `stop_hook_active` always lets it through (never a
//! loop), and temis's own errors refuse it (exit 2 with the error) — never a silent pass.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::support::{BIN, Run, fixture, git, repo, write};

fn example(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/jwt-auth").join(rel)).unwrap()
}

/// The example during phase 2: the approved plan, phase 1 recorded and committed, phase 2's code
/// and reports in the work tree, not committed yet. `phase2_reports` is the folder of phase 2's reports
/// its `Reports:` line names: `phase-2` (the first attempt, BLOCKED) or `phase-2-rerun` (APPROVED).
fn phase_two_repo(phase2_reports: &str) -> tempfile::TempDir {
    let dir = repo();
    let d = dir.path();
    let plan = example("plans/jwt-authentication/plan.md")
        .replace("reports/phase-2-rerun/", &format!("reports/{phase2_reports}/"));
    write(d, "plans/jwt-authentication/plan.md", &plan);
    write(d, "plans/jwt-authentication/phase-1-complete.md", &example("plans/jwt-authentication/phase-1-complete.md"));
    for f in ["src/authsvc/__init__.py", "src/authsvc/store.py", "tests/test_store.py"] {
        write(d, f, &example(f));
    }
    git(d, &["add", "-A"]);
    git(d, &["commit", "-q", "-m", "feat(authsvc): add database schema"]);
    // Phase 2's work, not committed yet: the agent is about to stop.
    for f in [
        "src/authsvc/jwt.py",
        "tests/test_jwt.py",
        "reports/phase-2/coverage.xml",
        "reports/phase-2/junit.xml",
        "reports/phase-2-rerun/coverage.xml",
        "reports/phase-2-rerun/junit.xml",
    ] {
        write(d, f, &example(f));
    }
    // The scans and the benchmark the phase's `Reports:` line names too.
    for run in ["phase-2", "phase-2-rerun"] {
        for f in ["bandit.json", "semgrep.json", "benchmark.json"] {
            let rel = format!("reports/{run}/{f}");
            write(d, &rel, &example(&rel));
        }
    }
    dir
}

/// Runs `temis hook agent-stop ARGS` in `dir` with `payload` on standard input.
fn stop_hook(dir: &Path, args: &[&str], payload: &[u8]) -> Run {
    let mut child = Command::new(BIN)
        .args(["hook", "agent-stop"])
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", dir)
        .env("TEMIS_TODAY", "2026-11-24")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("temis runs");
    child.stdin.take().unwrap().write_all(payload).unwrap();
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().expect("exit code"),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// A recorded payload, its `cwd` made the repository's.
fn payload(name: &str, dir: &Path) -> Vec<u8> {
    let text = std::fs::read_to_string(fixture("agent-stop").join(name)).unwrap();
    text.replace("/home/ada/jwt-auth", &dir.display().to_string()).into_bytes()
}

#[test]
fn a_blocked_phase_refuses_the_stop_with_the_reasons_and_the_verdict() {
    let dir = phase_two_repo("phase-2");
    let d = dir.path();
    let run = stop_hook(d, &[], &payload("stop.json", d));
    assert_eq!(run.code, 2, "Claude Code refuses the stop on exit 2 only: {}", run.stderr);
    assert_eq!(run.stdout, "", "stdout stays empty (Claude Code would read JSON there)");
    let e = &run.stderr;
    assert!(
        e.starts_with(
            "temis: phase 2 of plans/jwt-authentication/plan.md is BLOCKED: the work is not done, do not stop yet."
        ),
        "{e}"
    );
    assert!(e.contains("Statement coverage 77.33 %, need 80 % minimum"), "{e}");
    assert!(e.contains("tests.test_jwt::test_refresh_issues_access_token"), "{e}");
    assert!(e.contains("`temis gate --plan plans/jwt-authentication/plan.md`"), "{e}");
    assert!(e.contains("Then `temis phase complete 2` records the phase."), "{e}");
    insta::assert_snapshot!(crate::support::scrub_tmp(e, d));
    // The last line is the verdict itself, temis.verdict/v1.
    let verdict: Value = serde_json::from_str(e.lines().last().unwrap()).unwrap();
    assert_eq!(verdict["schema"], "temis.verdict/v1");
    assert_eq!(verdict["verdict"], "BLOCKED");
    assert_eq!(verdict["phase"], 2);
    // The same for a subagent.
    let sub = stop_hook(d, &[], &payload("subagent-stop.json", d));
    assert_eq!(sub.code, 2, "{}", sub.stderr);
    assert!(sub.stderr.contains("is BLOCKED"), "{}", sub.stderr);
}

#[test]
fn an_approved_phase_lets_the_agent_stop() {
    let dir = phase_two_repo("phase-2-rerun");
    let d = dir.path();
    let run = stop_hook(d, &[], &payload("stop.json", d));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "temis: phase 2 of plans/jwt-authentication/plan.md is APPROVED\n");
    let sub = stop_hook(d, &[], &payload("subagent-stop.json", d));
    assert_eq!(sub.code, 0, "{}", sub.stderr);
}

#[test]
fn stop_hook_active_lets_the_agent_stop_so_the_hook_never_loops() {
    let dir = phase_two_repo("phase-2");
    let d = dir.path();
    let run = stop_hook(d, &[], &payload("stop-active.json", d));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("stop_hook_active"), "{}", run.stderr);
}

#[test]
fn its_own_errors_refuse_the_stop_and_say_why() {
    let dir = phase_two_repo("phase-2-rerun");
    let d = dir.path();
    // A broken policy: exit 2 with the error, even though the phase would be APPROVED.
    write(d, "temis.toml", "[coverage]\nmin_line = 180\n");
    let run = stop_hook(d, &[], &payload("stop.json", d));
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.starts_with("error: temis.toml: invalid policy (1 problem):"), "{}", run.stderr);
    std::fs::remove_file(d.join("temis.toml")).unwrap();
    // Standard input that is not the hook's JSON: empty, or something else.
    for (input, says) in [
        (&b""[..], "EOF while parsing"),
        (&b"Stop"[..], "expected value"),
        (
            &br#"{"hook_event_name": "Stop", "stop_hook_active": "yes"}"#[..],
            "invalid type: string \"yes\", expected a boolean",
        ),
    ] {
        let run = stop_hook(d, &[], input);
        assert_eq!(run.code, 2, "{input:?}: {}", run.stderr);
        assert!(run.stderr.starts_with("error: temis hook agent-stop reads the agent's Stop"), "{}", run.stderr);
        assert!(run.stderr.contains(says), "{input:?}: {}", run.stderr);
    }
    // Wired to another event.
    let run = stop_hook(d, &[], br#"{"hook_event_name": "PreToolUse", "cwd": "/"}"#);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("handles the Stop and SubagentStop events, not PreToolUse"), "{}", run.stderr);
    // A plan that cannot be read.
    write(d, "plans/jwt-authentication/plan.md", "---\napproved: [\n---\n# x\n");
    let run = stop_hook(d, &[], &payload("stop.json", d));
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.starts_with("error: plans/jwt-authentication/plan.md:"), "{}", run.stderr);
}

#[test]
fn with_no_plan_the_repository_is_gated_as_temis_gate_gates_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for f in ["coverage.xml", "junit.xml"] {
        write(d, f, &example(&format!("reports/phase-2/{f}")));
    }
    let run = stop_hook(d, &[], &payload("stop.json", d));
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.starts_with("temis: the work in this repository is BLOCKED"), "{}", run.stderr);
    assert!(run.stderr.contains("check with `temis gate`"), "{}", run.stderr);
    // Nothing to judge at all is not a pass either.
    let empty = tempfile::tempdir().unwrap();
    let run = stop_hook(empty.path(), &[], &payload("stop.json", empty.path()));
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.starts_with("temis: the work in this repository could not be judged:"), "{}", run.stderr);
}

#[test]
fn temis_skip_is_honoured_and_hooks_install_never_writes_an_agent_stop_hook() {
    let dir = phase_two_repo("phase-2");
    let d = dir.path();
    let mut child = Command::new(BIN)
        .args(["hook", "agent-stop"])
        .current_dir(d)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("TEMIS_SKIP", "agent-stop")
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Skipped, the hook does not read its input: it may be gone before the payload is written.
    let _ = child.stdin.take().unwrap().write_all(&payload("stop.json", d));
    assert_eq!(child.wait_with_output().unwrap().status.code(), Some(0));
    let run = crate::support::temis_in(d, &["hooks", "install", "agent-stop"]);
    assert_eq!(run.code, 2, "agent-stop is not a git hook: {}", run.stderr);
}
