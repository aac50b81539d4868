//! The `git` program itself, for the checks that must see what git sees when it runs a hook
//! (`temis hooks doctor`): its version, and the hooks directory it resolves.

use std::path::{Path, PathBuf};
use std::process::Command;

/// `git --version`, or `None` when git is not on `PATH`.
pub fn git_version() -> Option<String> {
    let o = Command::new("git").arg("--version").output().ok()?;
    o.status.success().then(|| String::from_utf8_lossy(&o.stdout).trim().to_string())
}

/// The hooks directory git itself resolves in `cwd` (`git rev-parse --git-path hooks`), absolute.
pub fn git_hooks_dir(cwd: &Path) -> Option<PathBuf> {
    let o = Command::new("git").args(["rev-parse", "--git-path", "hooks"]).current_dir(cwd).output().ok()?;
    let said = String::from_utf8_lossy(&o.stdout).trim().to_string();
    Some(if Path::new(&said).is_absolute() { PathBuf::from(&said) } else { cwd.join(&said) })
}
