//! The `git` program itself: for the checks that must see what git sees when it runs a hook
//! (`temis hooks doctor`: its version, the hooks directory it resolves), and for fetching a
//! change's base into a shallow CI checkout (git's own transports and credentials).

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

/// Fetches `branch` of `remote` into `refs/remotes/REMOTE/BRANCH` and returns its commit: the
/// base of a pull request whose CI names only its target branch (Azure Pipelines, Jenkins,
/// Bitbucket's short destination commit). A shallow checkout gets 50 commits of it
/// ([`fetch_base`] deepens from there); a complete one is not made shallow.
pub fn fetch_branch(root: &Path, remote: &str, branch: &str) -> Result<String, super::GitError> {
    let say = |what: String, e: String| super::GitError::say(what, e);
    if branch.starts_with('-') || branch.contains("..") || branch.contains(char::is_whitespace) {
        return Err(say(format!("the branch {branch:?}"), "is not a branch name".into()));
    }
    let shallow = Command::new("git")
        .args(["rev-parse", "--is-shallow-repository"])
        .current_dir(root)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "true")
        .unwrap_or(false);
    let tracking = format!("refs/remotes/{remote}/{branch}");
    let mut cmd = Command::new("git");
    cmd.args(["fetch", "--no-tags", "--quiet"]);
    if shallow {
        cmd.arg("--depth=50");
    }
    let out = cmd
        .args([remote, &format!("+refs/heads/{branch}:{tracking}")])
        .current_dir(root)
        .output()
        .map_err(|e| say("cannot run git fetch".into(), e.to_string()))?;
    if !out.status.success() {
        return Err(say(
            format!("git fetch {remote} {branch}"),
            String::from_utf8_lossy(&out.stderr).trim().to_string(),
        ));
    }
    super::Repo::discover(root)?.resolve(&tracking)
}

/// Makes the merge base of `base` and `head` available in the repository at `root`, fetching from
/// `remote` what a shallow checkout lacks: `base` itself, then deeper history (50, 500 commits,
/// then all). Returns what was fetched, for a note; an error when git cannot fetch or the merge
/// base is still not there.
pub fn fetch_base(root: &Path, remote: &str, base: &str, head: &str) -> Result<String, super::GitError> {
    let repo = super::Repo::discover(root)?;
    let joined = |repo: &super::Repo| repo.has_commit(base) && repo.merge_base(base, head).is_ok();
    if joined(&repo) {
        return Ok(String::new());
    }
    let mut done = Vec::new();
    for depth in ["--depth=50", "--depth=500", "--unshallow"] {
        let mut cmd = Command::new("git");
        cmd.args(["fetch", "--no-tags", "--quiet", depth, remote]);
        if depth != "--unshallow" {
            cmd.args([base, head]);
        }
        let out =
            cmd.current_dir(root).output().map_err(|e| super::GitError::say("cannot run git fetch", e.to_string()))?;
        let said = String::from_utf8_lossy(&out.stderr).trim().to_string();
        let complete = depth == "--unshallow" && said.contains("complete repository");
        if !out.status.success() && !complete {
            return Err(super::GitError::say(format!("git fetch {depth} {remote} {base}"), said));
        }
        done.push(depth.trim_start_matches("--").to_string());
        let repo = super::Repo::discover(root)?;
        if joined(&repo) {
            return Ok(format!("fetched {base} from {remote} ({})", done.join(", then ")));
        }
    }
    Err(super::GitError::say(
        format!("{base} and {head}"),
        format!("have no merge base even after fetching all of {remote}'s history"),
    ))
}
