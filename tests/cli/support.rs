//! Running the binary in a clean environment.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_temis");

/// The crate's own fixtures.
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rel)
}

/// `REL` under the shared test data: `$TEMIS_SHARED`, else `../shared` beside the project. Only
/// the conformance target reaches it (`cargo test --test conformance`, run by `ci/conformance.sh`);
/// `cargo test` never does, so that it passes on any clone. A missing path fails, naming it.
pub fn shared(rel: &str) -> PathBuf {
    let root = std::env::var_os("TEMIS_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let p = root.join(rel);
    assert!(
        p.exists(),
        "missing {}: the conformance checks need ../shared beside the project (or TEMIS_SHARED=DIR)",
        p.display()
    );
    p
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `temis ARGS` in `dir` with a cleared environment.
pub fn temis_in(dir: &Path, args: &[&str]) -> Run {
    temis_env::<&str>(dir, args, &[])
}

/// Runs `temis ARGS` in `dir` with a cleared environment plus `envs`.
pub fn temis_env<S: AsRef<str>>(dir: &Path, args: &[&str], envs: &[(&str, S)]) -> Run {
    let out: Output = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", dir)
        .envs(envs.iter().map(|(k, v)| (*k, v.as_ref())))
        .stdin(Stdio::null())
        .output()
        .expect("temis runs");
    Run {
        code: out.status.code().expect("exit code"),
        stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
    }
}

/// Runs `temis ARGS` from a fresh temporary directory (not a git repository).
pub fn temis(args: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    temis_in(dir.path(), args)
}

/// Replaces the machine-specific parts of paths in output.
pub fn scrub(text: &str) -> String {
    let root = env!("CARGO_MANIFEST_DIR");
    text.replace(root, "[ROOT]")
}

/// A copy of `tests/fixtures/gate/NAME` in a fresh temporary directory (not a git repository), so
/// that temis takes it for the repository root, as at the root of a user's checkout.
/// Writes the example's sources (`src/authsvc/`) into `dir`: what its reports name. Outside a
/// git work tree the files on disk are what a report's paths must name; write them before the
/// reports, which are then the newer.
pub fn example_sources(dir: &Path) {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/jwt-auth");
    for f in ["src/authsvc/__init__.py", "src/authsvc/jwt.py", "src/authsvc/store.py", "src/authsvc/web.py"] {
        write(dir, f, &std::fs::read_to_string(example.join(f)).unwrap());
    }
}

pub fn scenario(name: &str) -> tempfile::TempDir {
    let from = fixture("gate").join(name);
    assert!(from.is_dir(), "missing scenario {}", from.display());
    let dir = tempfile::tempdir().unwrap();
    // The sources the reports name, before the reports (which are then the newer): outside a git
    // work tree the files on disk are what a report's paths must name.
    example_sources(dir.path());
    write(dir.path(), "src/app/notify.py", "def notify(user):\n    send(user)\n\n\ndef send(user):\n    return user\n");
    copy_dir(&from, dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Replaces a temporary directory's path (as given and canonical) with `[TMP]`.
pub fn scrub_tmp(text: &str, dir: &Path) -> String {
    let mut out = scrub(text);
    if let Ok(canonical) = dir.canonicalize() {
        out = out.replace(&canonical.display().to_string(), "[TMP]");
    }
    out.replace(&dir.display().to_string(), "[TMP]")
}

// --- git repositories built inside the tests (phase records). --------------------------------

/// Fails the test, naming the tool, when `tool` cannot run.
pub fn need(tool: &str) {
    let ok = Command::new(tool).arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status();
    assert!(ok.is_ok_and(|s| s.success()), "this test needs `{tool}` on PATH, and it is not there");
}

/// The environment every git command in a test runs with: nothing from the caller, pinned
/// author, committer and date.
pub fn git_env(cmd: &mut Command, home: &Path) {
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Ada Lovelace")
        .env("GIT_AUTHOR_EMAIL", "ada@example.com")
        .env("GIT_COMMITTER_NAME", "Ada Lovelace")
        .env("GIT_COMMITTER_EMAIL", "ada@example.com")
        .env("GIT_AUTHOR_DATE", "2026-11-20T10:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-11-20T10:00:00Z");
}

/// Runs `git ARGS` in `dir`; panics with git's message when it fails.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let mut cmd = Command::new("git");
    git_env(&mut cmd, dir);
    let out = cmd.args(args).current_dir(dir).stdin(Stdio::null()).output().expect("git runs (is it installed?)");
    assert!(out.status.success(), "git {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A new repository in a temporary directory, with a user configured.
pub fn repo() -> tempfile::TempDir {
    need("git");
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q", "-b", "main"]);
    git(dir.path(), &["config", "user.name", "Ada Lovelace"]);
    git(dir.path(), &["config", "user.email", "ada@example.com"]);
    dir
}

/// Writes `text` to `rel` under `dir`, creating folders.
pub fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// Where rustup and cargo live, so that a `cargo metadata` temis runs finds its toolchain in a
/// cleared environment.
pub fn cargo_env() -> Vec<(&'static str, String)> {
    let home = std::env::var("HOME").unwrap_or_default();
    let mut v = vec![
        ("RUSTUP_HOME", std::env::var("RUSTUP_HOME").unwrap_or_else(|_| format!("{home}/.rustup"))),
        ("CARGO_HOME", std::env::var("CARGO_HOME").unwrap_or_else(|_| format!("{home}/.cargo"))),
    ];
    if let Ok(t) = std::env::var("RUSTUP_TOOLCHAIN") {
        v.push(("RUSTUP_TOOLCHAIN", t));
    }
    v
}

/// The codes of a `temis.verdict/v1` document's failed checks, in order.
pub fn failed_codes(verdict: &serde_json::Value) -> Vec<&str> {
    verdict["checks"]
        .as_array()
        .expect("a verdict's checks")
        .iter()
        .filter(|c| c["outcome"] == "fail")
        .filter_map(|c| c["code"].as_str())
        .collect()
}
