//! Real git repositories built inside the tests: pinned dates and identities, a cleared
//! environment (no `GIT_*`, `TEMIS_*`, `CI`, `NO_COLOR` from the caller), `HOME` inside the
//! temporary directory and no system git config.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use super::support::BIN;

pub struct Sandbox {
    _dir: tempfile::TempDir,
    /// `HOME` for every command.
    pub home: PathBuf,
    /// Where repositories are created.
    pub root: PathBuf,
}

pub struct Ran {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Ran {
    pub fn ok(self) -> Ran {
        assert_eq!(self.code, 0, "expected success\nstdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        self
    }

    pub fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

/// The directory holding `git` and `sh`, for a PATH without temis on it.
fn system_path() -> String {
    let git = which("git").unwrap_or_else(|| panic!("these tests need `git` on PATH"));
    let mut dirs = vec![git.parent().unwrap().display().to_string()];
    for d in ["/usr/bin", "/bin"] {
        if !dirs.iter().any(|x| x == d) {
            dirs.push(d.to_string());
        }
    }
    dirs.join(":")
}

pub fn which(name: &str) -> Option<PathBuf> {
    std::env::var("PATH").ok()?.split(':').map(|d| Path::new(d).join(name)).find(|p| p.is_file())
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().canonicalize().unwrap();
        let home = base.join("home");
        let root = base.join("work");
        std::fs::create_dir_all(&home).unwrap();
        std::fs::create_dir_all(&root).unwrap();
        let s = Sandbox { _dir: dir, home, root };
        s.git(&s.root, &["config", "--global", "init.defaultBranch", "main"]).ok();
        s.git(&s.root, &["config", "--global", "protocol.file.allow", "always"]).ok();
        s
    }

    fn command(&self, program: &str, cwd: &Path) -> Command {
        let mut c = Command::new(program);
        c.current_dir(cwd)
            .env_clear()
            .env("PATH", system_path())
            .env("HOME", &self.home)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "Ada")
            .env("GIT_AUTHOR_EMAIL", "ada@example.test")
            .env("GIT_COMMITTER_NAME", "Ada")
            .env("GIT_COMMITTER_EMAIL", "ada@example.test")
            .env("GIT_AUTHOR_DATE", "2026-01-01T12:00:00Z")
            .env("GIT_COMMITTER_DATE", "2026-01-01T12:00:00Z")
            .env("TEMIS_TODAY", "2026-01-01")
            .stdin(Stdio::null());
        c
    }

    fn finish(mut c: Command, extra_env: &[(&str, &str)]) -> Ran {
        for (k, v) in extra_env {
            c.env(k, v);
        }
        let out: Output = c.output().expect("the command runs");
        Ran {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    pub fn git(&self, cwd: &Path, args: &[&str]) -> Ran {
        let mut c = self.command("git", cwd);
        c.args(args);
        Self::finish(c, &[])
    }

    pub fn git_env(&self, cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Ran {
        let mut c = self.command("git", cwd);
        c.args(args);
        Self::finish(c, env)
    }

    pub fn temis(&self, cwd: &Path, args: &[&str]) -> Ran {
        self.temis_env(cwd, args, &[])
    }

    pub fn temis_env(&self, cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Ran {
        let mut c = self.command(BIN, cwd);
        c.args(args);
        Self::finish(c, env)
    }

    /// A new repository with one commit holding `README.md`.
    pub fn repo(&self, name: &str) -> PathBuf {
        let dir = self.root.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        self.git(&dir, &["init", "-q"]).ok();
        write(&dir, "README.md", "# demo\n");
        self.git(&dir, &["add", "README.md"]).ok();
        self.git(&dir, &["commit", "-q", "-m", "chore: start"]).ok();
        dir
    }

    /// `git rev-parse --git-path hooks` as an absolute path.
    pub fn git_hooks_dir(&self, cwd: &Path) -> PathBuf {
        let said = self.git(cwd, &["rev-parse", "--git-path", "hooks"]).ok().stdout.trim().to_string();
        let p = cwd.join(said);
        normalize(&p)
    }
}

/// `..` and `.` folded without touching the file system.
pub fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

pub fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

#[cfg(unix)]
pub fn make_executable(p: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// A key-shaped value assembled at run time (so that no source file holds one).
pub fn fake_aws_key() -> String {
    format!("AKIA{}", "Q3ZT7LMN2PXR5VWY")
}
