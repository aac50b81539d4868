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
    temis_env(dir, args, &[])
}

/// Runs `temis ARGS` in `dir` with a cleared environment plus `env`.
pub fn temis_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let out: Output = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", dir)
        .envs(env.iter().copied())
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
pub fn scenario(name: &str) -> tempfile::TempDir {
    let from = fixture("gate").join(name);
    assert!(from.is_dir(), "missing scenario {}", from.display());
    let dir = tempfile::tempdir().unwrap();
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
