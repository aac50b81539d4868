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
