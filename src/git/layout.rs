//! Where git keeps a repository's parts, and which hooks directory git itself runs hooks from.
//!
//! libgit2 runs no hooks and knows nothing of `core.hooksPath`, so the rule is written out here
//! the way git applies it: `core.hooksPath` from any config scope (the innermost wins; `~/` is the
//! home directory; a relative value is relative to the working-tree root, where hooks run), else
//! `hooks/` in the *common* git directory, which linked worktrees share with the main one and
//! which is `.git/modules/NAME` for a submodule. The tests check this against
//! `git rev-parse --git-path hooks` in each of those layouts.

use std::path::{Path, PathBuf};

use super::{GitError, Repo};

/// Which configuration file a setting came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfigScope {
    System,
    Global,
    Local,
    Worktree,
    Other,
}

impl ConfigScope {
    pub fn name(self) -> &'static str {
        match self {
            ConfigScope::System => "system",
            ConfigScope::Global => "global",
            ConfigScope::Local => "local",
            ConfigScope::Worktree => "worktree",
            ConfigScope::Other => "command-line or included",
        }
    }

    /// The `git config` option that edits this scope.
    pub fn flag(self) -> &'static str {
        match self {
            ConfigScope::System => "--system",
            ConfigScope::Global => "--global",
            ConfigScope::Worktree => "--worktree",
            ConfigScope::Local | ConfigScope::Other => "--local",
        }
    }
}

/// `core.hooksPath` as configured.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HooksPathSetting {
    /// The value as written.
    pub value: String,
    pub scope: ConfigScope,
    /// The directory it names.
    pub resolved: PathBuf,
}

/// A repository's directories.
#[derive(Clone, Debug)]
pub struct Layout {
    /// This worktree's git directory (`.git`, `.git/worktrees/NAME`, `.git/modules/NAME`).
    pub git_dir: PathBuf,
    /// The directory shared by every worktree (objects, refs, config, default hooks).
    pub common_dir: PathBuf,
    pub workdir: Option<PathBuf>,
    /// Whether this is a linked worktree (its `.git` is a file).
    pub linked_worktree: bool,
    /// Where git runs hooks from.
    pub hooks_dir: PathBuf,
    /// `core.hooksPath`, when set.
    pub hooks_path: Option<HooksPathSetting>,
}

impl Layout {
    /// The default hooks directory, `hooks/` in the common git directory.
    pub fn default_hooks_dir(&self) -> PathBuf {
        self.common_dir.join("hooks")
    }
}

impl Repo {
    /// The repository's directories and the hooks directory git would use.
    pub fn layout(&self) -> Result<Layout, GitError> {
        let repo = &self.inner;
        let git_dir = clean(repo.path());
        let common_dir = clean(repo.commondir());
        let workdir = repo.workdir().map(clean);
        let config = repo.config().map_err(|e| GitError::new("cannot read the git configuration", e))?;
        let hooks_path = match config.get_entry("core.hooksPath") {
            Ok(entry) => match entry.value().ok() {
                Some(value) if !value.is_empty() => {
                    let scope = match entry.level() {
                        git2::ConfigLevel::System | git2::ConfigLevel::ProgramData => ConfigScope::System,
                        git2::ConfigLevel::Global | git2::ConfigLevel::XDG => ConfigScope::Global,
                        git2::ConfigLevel::Local => ConfigScope::Local,
                        git2::ConfigLevel::Worktree => ConfigScope::Worktree,
                        _ => ConfigScope::Other,
                    };
                    let base = workdir.clone().unwrap_or_else(|| git_dir.clone());
                    let resolved = resolve_hooks_path(value, &base, home().as_deref());
                    Some(HooksPathSetting { value: value.to_string(), scope, resolved })
                }
                _ => None,
            },
            Err(_) => None,
        };
        let hooks_dir = hooks_path.as_ref().map(|h| h.resolved.clone()).unwrap_or_else(|| common_dir.join("hooks"));
        Ok(Layout { linked_worktree: repo.is_worktree(), git_dir, common_dir, workdir, hooks_dir, hooks_path })
    }
}

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME").filter(|h| !h.is_empty()).map(PathBuf::from)
}

/// The directory a `core.hooksPath` value names, as git resolves it.
pub fn resolve_hooks_path(value: &str, base: &Path, home: Option<&Path>) -> PathBuf {
    let expanded = match (value.strip_prefix("~/"), home) {
        (Some(rest), Some(h)) => h.join(rest),
        _ if value == "~" && home.is_some() => home.unwrap_or(base).to_path_buf(),
        _ => PathBuf::from(value),
    };
    clean(&if expanded.is_absolute() { expanded } else { base.join(expanded) })
}

/// `path` without `.` components, trailing slashes or `..` that can be folded lexically.
fn clean(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hooks_path_values_resolve_like_git() {
        let base = Path::new("/repo");
        let home = Some(Path::new("/home/u"));
        assert_eq!(resolve_hooks_path(".husky/_", base, home), PathBuf::from("/repo/.husky/_"));
        assert_eq!(resolve_hooks_path("~/.githooks", base, home), PathBuf::from("/home/u/.githooks"));
        assert_eq!(resolve_hooks_path("/etc/hooks/", base, home), PathBuf::from("/etc/hooks"));
        assert_eq!(resolve_hooks_path("./.git/hooks", base, home), PathBuf::from("/repo/.git/hooks"));
    }
}
