//! Everything temis asks of git, behind small types of our own. git2 is used here and nowhere
//! else; it is built without network support.

use std::path::{Path, PathBuf};

/// The working-tree root of the repository containing `start`, if any.
pub fn repo_root(start: &Path) -> Option<PathBuf> {
    let repo = git2::Repository::discover(start).ok()?;
    repo.workdir().map(Path::to_path_buf)
}

// --- Phase records (Mnemosyne): what a phase changed and where it began. -------------------
// Kept in its own file so that other additions to this module do not meet it.
mod changes;
pub use changes::{
    ChangeKind, FileChange, Found, GitError, Since, changes, committed_as_is, first_commit_where, head, in_head,
    user_name,
};

// ---- `temis ci github --base REF`: the lines a change added -------------------------------

/// The lines added between the merge base of `base` and `HEAD`, and `HEAD`, by repository path
/// (forward slashes). Deleted files and binary files add nothing.
pub fn added_lines(start: &Path, base: &str) -> Result<Vec<(String, Vec<u32>)>, String> {
    let repo = git2::Repository::discover(start).map_err(|e| format!("not in a git repository: {}", e.message()))?;
    let commit = |spec: &str| {
        repo.revparse_single(spec)
            .and_then(|o| o.peel_to_commit())
            .map_err(|e| format!("cannot resolve {spec:?}: {} (is the base fetched? fetch-depth: 0)", e.message()))
    };
    let (base_commit, head) = (commit(base)?, commit("HEAD")?);
    let merge_base = repo
        .merge_base(base_commit.id(), head.id())
        .and_then(|id| repo.find_commit(id))
        .map_err(|e| format!("no merge base of {base:?} and HEAD: {}", e.message()))?;
    let mut opts = git2::DiffOptions::new();
    opts.context_lines(0);
    let diff = repo
        .diff_tree_to_tree(Some(&tree(&merge_base)?), Some(&tree(&head)?), Some(&mut opts))
        .map_err(|e| e.message().to_string())?;
    let mut files: std::collections::BTreeMap<String, Vec<u32>> = std::collections::BTreeMap::new();
    diff.foreach(
        &mut |_, _| true,
        None,
        None,
        Some(&mut |delta, _, line| {
            if let (b'+', Some(n), Some(path)) = (line.origin() as u8, line.new_lineno(), delta.new_file().path()) {
                files.entry(path.to_string_lossy().replace('\\', "/")).or_default().push(n);
            }
            true
        }),
    )
    .map_err(|e| e.message().to_string())?;
    Ok(files.into_iter().collect())
}

fn tree<'r>(c: &git2::Commit<'r>) -> Result<git2::Tree<'r>, String> {
    c.tree().map_err(|e| e.message().to_string())
}

// --- security baselines (helper-security) ---

/// The commit a change is judged against, and how it was chosen (for messages).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Base {
    /// The commit id.
    pub commit: String,
    /// `--base origin/main`, `merge-base with origin/main (GITHUB_BASE_REF)`, `HEAD~1`…
    pub how: String,
}

fn git_err(e: git2::Error) -> String {
    e.message().to_string()
}

/// The base commit: `explicit` (a revision), else the merge-base of HEAD with `pr_base` (the
/// pull request's base branch, tried as `origin/NAME` then `NAME`), else the merge-base with
/// the current branch's upstream, else HEAD's parent — the last commit is then the change under
/// review. Never HEAD itself, so that a change cannot whitelist its own findings.
pub fn base_commit(start: &Path, explicit: Option<&str>, pr_base: Option<&str>) -> Result<Base, String> {
    let repo = git2::Repository::discover(start).map_err(|_| "not inside a git repository".to_string())?;
    if let Some(rev) = explicit {
        let commit = repo
            .revparse_single(rev)
            .and_then(|o| o.peel_to_commit())
            .map_err(|e| format!("--base {rev}: {}", git_err(e)))?;
        return Ok(Base { commit: commit.id().to_string(), how: format!("--base {rev}") });
    }
    let head = repo.head().and_then(|h| h.peel_to_commit()).map_err(|e| format!("no HEAD commit: {}", git_err(e)))?;
    if let Some(name) = pr_base.filter(|n| !n.trim().is_empty()) {
        for candidate in [format!("origin/{name}"), name.to_string()] {
            if let Ok(target) = repo.revparse_single(&candidate).and_then(|o| o.peel_to_commit()) {
                if let Ok(mb) = repo.merge_base(head.id(), target.id()) {
                    return Ok(Base { commit: mb.to_string(), how: format!("merge-base with {candidate}") });
                }
            }
        }
    }
    let upstream = repo.head().ok().filter(git2::Reference::is_branch).and_then(|h| {
        let name = h.shorthand().ok()?.to_string();
        let branch = repo.find_branch(&name, git2::BranchType::Local).ok()?;
        let up = branch.upstream().ok()?;
        let target = up.get().target()?;
        Some((up.name().ok().flatten().unwrap_or("upstream").to_string(), target))
    });
    if let Some((name, target)) = upstream {
        if let Ok(mb) = repo.merge_base(head.id(), target) {
            if mb != head.id() {
                return Ok(Base { commit: mb.to_string(), how: format!("merge-base with {name}") });
            }
        }
    }
    let parent = head.parent(0).map_err(|_| "HEAD has no parent commit to compare with (pass --base)".to_string())?;
    Ok(Base { commit: parent.id().to_string(), how: "HEAD~1".to_string() })
}

/// The bytes of `path` (relative to the work tree root) at `commit`; `None` when the file is not
/// there.
pub fn file_at(start: &Path, commit: &str, path: &str) -> Result<Option<Vec<u8>>, String> {
    let repo = git2::Repository::discover(start).map_err(|_| "not inside a git repository".to_string())?;
    let commit = repo.revparse_single(commit).and_then(|o| o.peel_to_commit()).map_err(git_err)?;
    let tree = commit.tree().map_err(git_err)?;
    let entry = match tree.get_path(Path::new(path.trim_start_matches("./"))) {
        Ok(e) => e,
        Err(e) if e.code() == git2::ErrorCode::NotFound => return Ok(None),
        Err(e) => return Err(git_err(e)),
    };
    let object = entry.to_object(&repo).map_err(git_err)?;
    let blob = object.as_blob().ok_or_else(|| format!("{path} is not a file at that commit"))?;
    Ok(Some(blob.content().to_vec()))
}
