//! Everything temis asks of the repository, behind small types of our own: git (git2 is used
//! here and nowhere else, built without network support; the `git` program only where a check
//! must see what git itself sees) and the work tree's package manifests (`cargo metadata`).
//! Every failure is a [`GitError`].

use std::path::{Path, PathBuf};

/// The working-tree root of the repository containing `start`, if any.
pub fn repo_root(start: &Path) -> Option<PathBuf> {
    let repo = git2::Repository::discover(start).ok()?;
    repo.workdir().map(Path::to_path_buf)
}

mod changes;
mod diff;
mod files;
mod index;
mod layout;
mod notes;
mod packages;
mod program;
mod renames;

pub use changes::{
    CommittedAge, Found, Since, changed_after_commit_of, changes, checked_out_as_is, committed_as_is,
    first_commit_where, head, user_name,
};
pub use diff::{AddedText, PatchRange, added_lines, staged_additions};
pub use files::{ignored, work_tree_files};
pub use layout::{ConfigScope, HooksPathSetting, Layout};
pub use notes::{NOTES_REF, read_note, write_note};
pub use packages::{cargo_target_dir, packages};
pub use program::{fetch_base, fetch_branch, git_hooks_dir, git_version};

/// Something git could not do, said in a sentence: what temis was doing, and git's own message.
#[derive(Debug, thiserror::Error)]
#[error("{}{message}", if context.is_empty() { "git: ".to_string() } else { format!("{context}: ") })]
pub struct GitError {
    pub context: String,
    pub message: String,
}

impl GitError {
    pub(crate) fn new(context: impl Into<String>, e: git2::Error) -> Self {
        Self { context: context.into(), message: e.message().to_string() }
    }

    fn say(context: impl Into<String>, message: impl Into<String>) -> Self {
        Self { context: context.into(), message: message.into() }
    }
}

impl From<git2::Error> for GitError {
    fn from(e: git2::Error) -> Self {
        Self::new("", e)
    }
}

/// The commit a change is judged against, and how it was chosen (for messages).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Base {
    /// The commit id.
    pub commit: String,
    /// `--base origin/main`, `merge-base with origin/main (GITHUB_BASE_REF)`, `HEAD~1`…
    pub how: String,
}

/// git's empty tree: a change from it adds every line (a branch's first push to an empty
/// remote). Given where a base commit goes, it is read as no tree at all.
pub const EMPTY_TREE: &str = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

/// The base commit: `explicit` (a revision), else [`branch_base`] (for a branch never pushed,
/// [`local_default_base`]), else HEAD's parent — the
/// last commit is then the change under review. Never HEAD itself, so that a change cannot
/// whitelist its own findings.
pub fn base_commit(start: &Path, explicit: Option<&str>, pr_base: Option<&str>) -> Result<Base, GitError> {
    let repo = git2::Repository::discover(start).map_err(|_| GitError::say("", "not inside a git repository"))?;
    if let Some(rev) = explicit {
        let commit = repo
            .revparse_single(rev)
            .and_then(|o| o.peel_to_commit())
            .map_err(|e| GitError::new(format!("--base {rev}"), e))?;
        return Ok(Base { commit: commit.id().to_string(), how: format!("--base {rev}") });
    }
    if let Some(base) = branch_base(&repo, pr_base, false)? {
        return Ok(base);
    }
    let head = repo.head().and_then(|h| h.peel_to_commit()).map_err(|e| GitError::new("no HEAD commit", e))?;
    let parent =
        head.parent(0).map_err(|_| GitError::say("", "HEAD has no parent commit to compare with (pass --base)"))?;
    Ok(Base { commit: parent.id().to_string(), how: "HEAD~1".to_string() })
}

/// The base of the branch being judged, when git knows one: the merge-base of HEAD with
/// `pr_base` (a pull request's base branch, tried as `origin/NAME` then `NAME`), else with the
/// current branch's upstream (when HEAD is not already on it), else — HEAD being on its
/// upstream, the branch pushed — with the remote's default branch (`origin/HEAD`, else
/// `origin/main` or `origin/master`); with no upstream, with the local `main` or `master`
/// ([`local_default_base`]). `None` when none is there. HEAD itself when it is on
/// every one of them (the change is empty: the patch's caller refuses it as no base). A pull request's base that cannot be found is an
/// error, never a fall back to another base: the change would be judged against the wrong one.
pub fn change_base(start: &Path, pr_base: Option<&str>) -> Result<Option<Base>, GitError> {
    let repo = git2::Repository::discover(start).map_err(|_| GitError::say("", "not inside a git repository"))?;
    branch_base(&repo, pr_base, true)
}

fn branch_base(repo: &git2::Repository, pr_base: Option<&str>, head_ok: bool) -> Result<Option<Base>, GitError> {
    let head = repo.head().and_then(|h| h.peel_to_commit()).map_err(|e| GitError::new("no HEAD commit", e))?;
    if let Some(name) = pr_base.map(str::trim).filter(|n| !n.is_empty()) {
        let mut found = None;
        for candidate in [format!("origin/{name}"), name.to_string()] {
            if let Ok(target) = repo.revparse_single(&candidate).and_then(|o| o.peel_to_commit()) {
                match repo.merge_base(head.id(), target.id()) {
                    Ok(mb) => {
                        return Ok(Some(Base { commit: mb.to_string(), how: format!("merge-base with {candidate}") }));
                    }
                    Err(_) => found = found.or(Some(candidate)),
                }
            }
        }
        return Err(GitError::say(
            "",
            match found {
                Some(candidate) => format!(
                    "the pull request's base branch {candidate} shares no commit with HEAD in this clone (a shallow \
                     checkout): fetch the history — `fetch-depth: 0` in actions/checkout, or `git fetch --unshallow`"
                ),
                None => format!(
                    "the pull request's base branch {name} (GITHUB_BASE_REF) is not in this clone (tried origin/{name} \
                     and {name}): fetch it — `git fetch origin {name}` — or pass --base"
                ),
            },
        ));
    }
    let upstream = repo.head().ok().filter(git2::Reference::is_branch).and_then(|h| {
        let name = h.shorthand().ok()?.to_string();
        let branch = repo.find_branch(&name, git2::BranchType::Local).ok()?;
        let up = branch.upstream().ok()?;
        let target = up.get().target()?;
        Some((up.name().ok().flatten().unwrap_or("upstream").to_string(), target))
    });
    let Some((name, target)) = upstream else { return Ok(local_default_base(repo, &head)) };
    let Ok(mb) = repo.merge_base(head.id(), target) else { return Ok(None) };
    if mb != head.id() {
        return Ok(Some(Base { commit: mb.to_string(), how: format!("merge-base with {name}") }));
    }
    // HEAD is on its upstream (the branch was pushed): its change is what it adds to the
    // remote's default branch, not the nothing it adds to its own copy.
    let (default, single_branch) = remote_default(repo);
    match default {
        Some((default, commit)) if commit != target => {
            if let Ok(mb) = repo.merge_base(head.id(), commit)
                && mb != head.id()
            {
                let how = format!("merge-base with {default} (HEAD is on its upstream {name})");
                return Ok(Some(Base { commit: mb.to_string(), how }));
            }
        }
        // On the default branch itself, pushed: nothing is new.
        Some(_) => {}
        // No default branch in the clone (a clone of this branch alone): the branch's change is
        // not known, and an empty change would be no measurement of its lines.
        None if head_ok => {
            return Err(GitError::say(
                "",
                format!(
                    "the only base found is HEAD itself (HEAD is on its upstream {name}): the branch's change is \
                     not known — the remote's default branch is not in this clone (no origin/HEAD, origin/main or \
                     origin/master{}); fetch it (`fetch-depth: 0` in actions/checkout, or `git fetch origin \
                     BRANCH`) or pass --base",
                    if single_branch { "; origin/HEAD of a clone of one branch names that branch" } else { "" }
                ),
            ));
        }
        None => {}
    }
    Ok(head_ok.then(|| Base { commit: mb.to_string(), how: format!("merge-base with {name}") }))
}

/// The remote's default branch, the first of these the clone has, with its commit; and whether
/// the clone is of one branch (`git clone --single-branch`, `--depth`), where `origin/HEAD` names
/// that branch, whatever it is, and is not asked.
fn remote_default(repo: &git2::Repository) -> (Option<(&'static str, git2::Oid)>, bool) {
    let single_branch = repo.find_remote("origin").ok().is_some_and(|r| {
        r.fetch_refspecs()
            .is_ok_and(|specs| !specs.is_empty() && !specs.iter().any(|s| matches!(s, Ok(Some(s)) if s.contains('*'))))
    });
    let candidates: &[&'static str] = if single_branch {
        &["origin/main", "origin/master"]
    } else {
        &["origin/HEAD", "origin/main", "origin/master"]
    };
    let default = candidates.iter().find_map(|r| Some((*r, repo.revparse_single(r).ok()?.peel_to_commit().ok()?.id())));
    (default, single_branch)
}

/// For a branch with no upstream (never pushed, or a clone without remotes) or a detached HEAD:
/// its merge-base with the local `main` (else `master`, else the remote's default branch), when
/// HEAD is off it. A branch of two commits judged against
/// `HEAD~1` let its first commit add a finding to the security baseline that its second was
/// judged against. `None` when HEAD is on that branch, or neither is there.
fn local_default_base(repo: &git2::Repository, head: &git2::Commit<'_>) -> Option<Base> {
    // On `main` or `master` itself the change is its last commit (a stale other one is no base).
    let on = repo.head().ok().filter(git2::Reference::is_branch).and_then(|h| h.shorthand().ok().map(str::to_string));
    if on.as_deref().is_some_and(|b| b == "main" || b == "master") {
        return None;
    }
    // The local `main` (else `master`), else the remote's default branch: a CI checkout has only
    // `origin/*` (and a detached HEAD), where HEAD~1 let a change's first commit baseline what
    // its second added.
    let local = ["main", "master"].into_iter().find_map(|name| {
        let target = repo.find_branch(name, git2::BranchType::Local).ok()?.get().target()?;
        Some((name.to_string(), target))
    });
    let remote = || remote_default(repo).0.map(|(name, target)| (name.to_string(), target));
    let (name, target) = local.or_else(remote)?;
    let mb = repo.merge_base(head.id(), target).ok()?;
    (target != head.id() && mb != head.id())
        .then(|| Base { commit: mb.to_string(), how: format!("merge-base with {name} (no upstream)") })
}

/// The commit the security baseline is read from: `base`, when a trunk holds it; else where
/// `base` meets the nearest trunk. The trunks: the branch's upstream when it is another branch
/// (a feature branch tracking `origin/develop`), the branches named in `targets` (a pull
/// request's target, as a CI job names it; `origin/NAME`, else `NAME`), the remote's default
/// branch, else the local `main` or `master`. A feature branch's own pushed copy (its upstream
/// of the same name, what the pre-push hook compares with), or an earlier commit of it, is the
/// change under review: its first push could add a baseline entry for a finding its next commit
/// adds. `base` as it is when there is no trunk, or it shares no commit with one.
pub fn on_trunk(start: &Path, base: Base, targets: &[String]) -> Base {
    let Ok(repo) = git2::Repository::discover(start) else { return base };
    let Ok(commit) = git2::Oid::from_str(&base.commit) else { return base };
    let mut trunks: Vec<(String, git2::Oid)> = Vec::new();
    // The upstream, unless it is the branch's own copy: `branch.<name>.merge` names
    // `refs/heads/<name>` (whatever slashes the name holds: `feature/login`).
    trunks.extend(repo.head().ok().filter(git2::Reference::is_branch).and_then(|h| {
        let own = h.shorthand().ok()?.to_string();
        let merge = repo.branch_upstream_merge(&format!("refs/heads/{own}")).ok()?;
        if merge.as_str().ok()? == format!("refs/heads/{own}") {
            return None;
        }
        let up = repo.find_branch(&own, git2::BranchType::Local).ok()?.upstream().ok()?;
        Some((up.name().ok().flatten()?.to_string(), up.get().target()?))
    }));
    for name in targets.iter().map(|t| t.trim().trim_start_matches("refs/heads/")).filter(|t| !t.is_empty()) {
        if let Some(found) = [format!("origin/{name}"), name.to_string()].into_iter().find_map(|r| {
            let target = repo.revparse_single(&r).ok()?.peel_to_commit().ok()?.id();
            Some((r, target))
        }) {
            trunks.push(found);
        }
    }
    let local = || {
        ["main", "master"].into_iter().find_map(|name| {
            let target = repo.find_branch(name, git2::BranchType::Local).ok()?.get().target()?;
            Some((name.to_string(), target))
        })
    };
    trunks.extend(remote_default(&repo).0.map(|(name, target)| (name.to_string(), target)).or_else(local));
    let holds = |t: git2::Oid| t == commit || repo.graph_descendant_of(t, commit).unwrap_or(false);
    if trunks.is_empty() || trunks.iter().any(|(_, t)| holds(*t)) {
        return base;
    }
    trunks
        .iter()
        .find_map(|(name, trunk)| {
            let mb = repo.merge_base(commit, *trunk).ok()?;
            Some(Base {
                commit: mb.to_string(),
                how: format!("{}, where it meets {name}: a branch's own commits never hold its baseline", base.how),
            })
        })
        .unwrap_or(base)
}

/// The bytes of `path` (relative to the work tree root) at `commit`; `None` when the file is not
/// there.
pub fn file_at(start: &Path, commit: &str, path: &str) -> Result<Option<Vec<u8>>, GitError> {
    let repo = git2::Repository::discover(start).map_err(|_| GitError::say("", "not inside a git repository"))?;
    let commit = repo.revparse_single(commit).and_then(|o| o.peel_to_commit())?;
    let tree = commit.tree()?;
    let entry = match tree.get_path(Path::new(path.trim_start_matches("./"))) {
        Ok(e) => e,
        Err(e) if e.code() == git2::ErrorCode::NotFound => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let object = entry.to_object(&repo)?;
    let blob = object.as_blob().ok_or_else(|| GitError::say("", format!("{path} is not a file at that commit")))?;
    Ok(Some(blob.content().to_vec()))
}

/// A repository opened the way git opens it for a hook or a command run inside it.
pub struct Repo {
    inner: git2::Repository,
    /// The index as temis's own reader sees it, read once.
    index: std::cell::OnceCell<Option<std::rc::Rc<index::Index>>>,
}

impl Repo {
    /// `GIT_DIR`, `GIT_INDEX_FILE`, `GIT_WORK_TREE`, `GIT_OBJECT_DIRECTORY`… are honoured, else the
    /// repository is discovered from the current directory (a linked worktree's `.git` file too).
    pub fn open_from_env() -> Result<Repo, GitError> {
        git2::Repository::open_from_env()
            .map(|inner| Repo { inner, index: Default::default() })
            .map_err(|e| GitError::new("not in a git repository", e))
    }

    /// The repository containing `dir` (discovery upwards, as git does).
    pub fn discover(dir: &Path) -> Result<Repo, GitError> {
        git2::Repository::discover(dir)
            .map(|inner| Repo { inner, index: Default::default() })
            .map_err(|e| GitError::new(format!("{} is not in a git repository", dir.display()), e))
    }

    /// The working-tree root (`None` for a bare repository).
    pub fn workdir(&self) -> Option<&Path> {
        self.inner.workdir()
    }

    /// The object id `rev` names (a branch, a tag, `HEAD~2`, a sha…).
    pub fn resolve(&self, rev: &str) -> Result<String, GitError> {
        let obj = self.inner.revparse_single(rev).map_err(|e| GitError::new(format!("cannot resolve {rev:?}"), e))?;
        let commit = obj.peel_to_commit().map_err(|e| GitError::new(format!("{rev:?} is not a commit"), e))?;
        Ok(commit.id().to_string())
    }

    /// `HEAD`'s commit id, `None` before the first commit.
    pub fn head(&self) -> Option<String> {
        self.inner.head().ok()?.peel_to_commit().ok().map(|c| c.id().to_string())
    }

    /// Whether HEAD's branch has commits its remote-tracking branch on `remote` lacks
    /// (`refs/remotes/REMOTE/BRANCH`); `None` when HEAD is on no branch, or the branch has no
    /// such tracking branch.
    pub fn ahead_of_tracking(&self, remote: &str) -> Option<bool> {
        let head = self.inner.head().ok().filter(git2::Reference::is_branch)?;
        let branch = head.shorthand().ok()?.to_string();
        let ours = head.peel_to_commit().ok()?.id();
        let tracking = self.inner.find_reference(&format!("refs/remotes/{remote}/{branch}")).ok()?;
        let theirs = tracking.peel_to_commit().ok()?.id();
        Some(ours != theirs && !self.inner.graph_descendant_of(theirs, ours).unwrap_or(false))
    }

    /// The reference HEAD names (`refs/heads/main`), `HEAD` when detached.
    pub fn head_ref(&self) -> String {
        let head = self.inner.head().ok();
        head.filter(git2::Reference::is_branch).and_then(|h| h.name().ok().map(str::to_string)).unwrap_or("HEAD".into())
    }

    /// The commit an object id names: a commit's own, an annotated tag's target (peeled);
    /// `None` when it names no commit here.
    pub fn commit_of(&self, sha: &str) -> Option<String> {
        let object = self.inner.find_object(git2::Oid::from_str(sha).ok()?, None).ok()?;
        object.peel_to_commit().ok().map(|c| c.id().to_string())
    }

    /// Whether an object with this id exists here.
    pub fn has_commit(&self, sha: &str) -> bool {
        git2::Oid::from_str(sha).ok().is_some_and(|oid| self.inner.find_commit(oid).is_ok())
    }

    /// The merge base of two commits.
    pub fn merge_base(&self, a: &str, b: &str) -> Result<String, GitError> {
        let oid = |s: &str| git2::Oid::from_str(s).map_err(|e| GitError::new(format!("bad object id {s:?}"), e));
        self.inner
            .merge_base(oid(a)?, oid(b)?)
            .map(|o| o.to_string())
            .map_err(|e| GitError::new(format!("no merge base between {a} and {b}"), e))
    }

    /// The index git handed us (`GIT_INDEX_FILE`, else the git directory's), read by temis's own
    /// reader; `None` when it cannot (then libgit2 reads it).
    fn fast_index(&self) -> Option<std::rc::Rc<index::Index>> {
        self.index
            .get_or_init(|| {
                let path = match std::env::var_os("GIT_INDEX_FILE") {
                    Some(p) if !p.is_empty() => std::path::PathBuf::from(p),
                    _ => self.inner.path().join("index"),
                };
                index::Index::parse(&std::fs::read(path).ok()?).map(std::rc::Rc::new)
            })
            .clone()
    }

    /// The bytes of `path` as staged in the index git handed us (`GIT_INDEX_FILE`).
    pub fn staged_file(&self, path: &str) -> Option<Vec<u8>> {
        self.staged_entry(path).map(|(bytes, _)| bytes)
    }

    /// The staged blob at `path` and its mode.
    fn staged_entry(&self, path: &str) -> Option<(Vec<u8>, u32)> {
        let (oid, mode) = match self.fast_index() {
            Some(idx) => {
                let e = idx.entries.iter().find(|e| e.path == path.as_bytes())?;
                (git2::Oid::from_bytes(&e.oid).ok()?, e.mode)
            }
            None => {
                let e = self.inner.index().ok()?.get_path(Path::new(path), 0)?;
                (e.id, e.mode)
            }
        };
        self.inner.find_blob(oid).ok().map(|b| (b.content().to_vec(), mode))
    }

    /// [`staged_file`](Self::staged_file), a staged symbolic link followed: to the staged file
    /// it names in the repository, else to the file on disk (a link out of the repository). A
    /// link's blob is the path it names: a `temis.toml` linked to `config/temis.toml` was parsed
    /// as the TOML `config/temis.toml`, and the commit refused. `None` when nothing is staged at
    /// `path`; an error (why) when a link names a file the commit does not hold, or links loop.
    pub fn staged_file_followed(&self, path: &str) -> Option<Result<Vec<u8>, String>> {
        let (mut bytes, mut mode) = self.staged_entry(path)?;
        let mut at = path.to_string();
        for _ in 0..16 {
            if mode & 0o170_000 != 0o120_000 {
                return Some(Ok(bytes));
            }
            let target = String::from_utf8_lossy(&bytes).into_owned();
            let joined = match at.rsplit_once('/') {
                Some((dir, _)) if !target.starts_with('/') => format!("{dir}/{target}"),
                _ => target.clone(),
            };
            let next = crate::paths::normalize(&joined);
            if next.starts_with('/') || next == ".." || next.starts_with("../") {
                let link = self.workdir()?.join(&at);
                return Some(
                    std::fs::read(&link).map_err(|e| format!("{path} links to {target}, which cannot be read: {e}")),
                );
            }
            match self.staged_entry(&next) {
                Some(entry) => (bytes, mode) = entry,
                None => {
                    return Some(Err(format!(
                        "{path} links to {next}, which this commit does not hold: stage it, or link to a file the \
                         commit holds"
                    )));
                }
            }
            at = next;
        }
        Some(Err(format!("{path} is a link that leads to a link, sixteen times over: a loop")))
    }

    /// Staged paths matching `keep` that `HEAD` does not have (added by the commit being made).
    pub fn staged_new_paths(&self, keep: impl Fn(&str) -> bool) -> Vec<String> {
        let paths: Vec<String> = match self.fast_index() {
            Some(idx) => idx
                .entries
                .iter()
                .filter_map(|e| std::str::from_utf8(&e.path).ok().filter(|p| keep(p)).map(str::to_string))
                .collect(),
            None => match self.inner.index() {
                Ok(index) => index.iter().filter_map(|e| String::from_utf8(e.path).ok()).filter(|p| keep(p)).collect(),
                Err(_) => return Vec::new(),
            },
        };
        if paths.is_empty() {
            return paths;
        }
        let tree = self.inner.head().ok().and_then(|h| h.peel_to_tree().ok());
        paths.into_iter().filter(|p| tree.as_ref().is_none_or(|t| t.get_path(Path::new(p)).is_err())).collect()
    }

    /// What a push of a new branch brings is measured from: the parent of the first commit
    /// reachable from `tip` that no remote-tracking ref of `remote` contains (pre-commit's rule),
    /// or [`EMPTY_TREE`] when that commit is a root one (a first push to an empty remote: every
    /// line is new). `None` when every commit is known. A remote with no tracking ref at all (a
    /// fork's remote added and never fetched) may well hold the branch's parent: then the commits
    /// no remote's tracking ref contains ([`Repo::tracks`]): judged against the empty tree, every
    /// line of the repository counted as new, and old covered code lifted the change's figure.
    pub fn unpushed_base(&self, tip: &str, remote: &str) -> Option<String> {
        let mut walk = self.inner.revwalk().ok()?;
        walk.push(git2::Oid::from_str(tip).ok()?).ok()?;
        let hidden = if self.tracks(remote) { remote } else { "*" };
        walk.hide_glob(&format!("refs/remotes/{hidden}/*")).ok()?;
        walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE).ok()?;
        let first = self.inner.find_commit(walk.flatten().next()?).ok()?;
        Some(first.parent_id(0).map_or_else(|_| EMPTY_TREE.to_string(), |p| p.to_string()))
    }

    /// Whether git has a remote-tracking ref of `remote` (it was fetched from or pushed to).
    pub fn tracks(&self, remote: &str) -> bool {
        self.inner.references_glob(&format!("refs/remotes/{remote}/*")).is_ok_and(|mut refs| refs.next().is_some())
    }

    /// The default branch of `remote` as git knows it locally (`refs/remotes/R/HEAD`, else
    /// `R/main`, else `R/master`).
    pub fn remote_default_branch(&self, remote: &str) -> Option<String> {
        for name in [
            format!("refs/remotes/{remote}/HEAD"),
            format!("refs/remotes/{remote}/main"),
            format!("refs/remotes/{remote}/master"),
        ] {
            if let Ok(r) = self.inner.find_reference(&name)
                && let Ok(c) = r.peel_to_commit()
            {
                return Some(c.id().to_string());
            }
        }
        None
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::path::Path;

    /// Runs `git ARGS` in `dir` with a cleared environment and pinned identities and dates.
    pub fn git(dir: &Path, args: &[&str]) {
        let ok = std::process::Command::new("git")
            .args(args)
            .current_dir(dir)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "a")
            .env("GIT_AUTHOR_EMAIL", "a@example.test")
            .env("GIT_COMMITTER_NAME", "a")
            .env("GIT_COMMITTER_EMAIL", "a@example.test")
            .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
            .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
            .stdout(std::process::Stdio::null())
            .status()
            .expect("this test needs `git` on PATH")
            .success();
        assert!(ok, "git {args:?}");
    }

    /// A branch never pushed is judged against where it left the local `main`, not against its
    /// own last commit but one: a first commit could add a finding to the security baseline that
    /// the second was judged against.
    #[test]
    fn a_branch_without_upstream_is_judged_against_the_local_main() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        git(d, &["init", "-q", "-b", "main"]);
        std::fs::write(d.join("a"), "1").unwrap();
        git(d, &["add", "a"]);
        git(d, &["commit", "-q", "-m", "one"]);
        let on_main = super::base_commit(d, None, None).err();
        assert!(on_main.is_some(), "a root commit on main has no base");
        git(d, &["checkout", "-q", "-b", "feature"]);
        for n in ["2", "3"] {
            std::fs::write(d.join("a"), n).unwrap();
            git(d, &["commit", "-q", "-am", n]);
        }
        let main = git2::Repository::open(d).unwrap().revparse_single("main").unwrap().id().to_string();
        let base = super::base_commit(d, None, None).unwrap();
        assert_eq!((base.commit.as_str(), base.how.as_str()), (main.as_str(), "merge-base with main (no upstream)"));
        git(d, &["checkout", "-q", "main"]);
        git(d, &["merge", "-q", "--ff-only", "feature"]);
        assert_eq!(super::base_commit(d, None, None).unwrap().how, "HEAD~1", "on main itself: the last commit");
        // A stale `master` beside it is no base for `main`'s last commit.
        git(d, &["branch", "master", "HEAD~2"]);
        assert_eq!(super::base_commit(d, None, None).unwrap().how, "HEAD~1");
    }

    /// A CI checkout: a detached HEAD, `origin/*` refs alone. HEAD~1 let a change's first commit
    /// baseline the finding its second was judged with; the remote's default branch is the base.
    #[test]
    fn a_detached_checkout_is_judged_against_the_remotes_default_branch() {
        let dir = tempfile::tempdir().unwrap();
        let (origin, clone) = (dir.path().join("origin"), dir.path().join("clone"));
        std::fs::create_dir(&origin).unwrap();
        git(&origin, &["init", "-q", "-b", "main"]);
        std::fs::write(origin.join("a"), "1").unwrap();
        git(&origin, &["add", "a"]);
        git(&origin, &["commit", "-q", "-m", "one"]);
        git(&origin, &["checkout", "-q", "-b", "feature"]);
        for n in ["2", "3"] {
            std::fs::write(origin.join("a"), n).unwrap();
            git(&origin, &["commit", "-q", "-am", n]);
        }
        git(&origin, &["checkout", "-q", "main"]);
        git(dir.path(), &["clone", "-q", "--no-checkout", origin.to_str().unwrap(), "clone"]);
        git(&clone, &["checkout", "-q", "--detach", "origin/feature"]);
        git(&clone, &["branch", "-q", "-D", "main"]);
        let main = git2::Repository::open(&origin).unwrap().revparse_single("main").unwrap().id().to_string();
        let base = super::base_commit(&clone, None, None).unwrap();
        assert_eq!(
            (base.commit.as_str(), base.how.as_str()),
            (main.as_str(), "merge-base with origin/HEAD (no upstream)")
        );
        // On the default branch itself: its last commit.
        git(&clone, &["checkout", "-q", "--detach", "origin/main"]);
        assert!(super::base_commit(&clone, None, None).is_err(), "a root commit has no base");
    }
}
