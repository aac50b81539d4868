//! Running the binary in a clean environment.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_temis");

/// The crate's own fixtures.
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rel)
}

/// `../shared/corpus`, which must sit beside the project: a test that needs it fails, naming it.
pub fn corpus(rel: &str) -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus").join(rel);
    assert!(p.exists(), "missing corpus file {} (../shared must sit beside the project)", p.display());
    p
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `temis ARGS` in `dir` with a cleared environment.
pub fn temis_in(dir: &Path, args: &[&str]) -> Run {
    let out: Output = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", dir)
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
