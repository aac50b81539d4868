//! Lines a change adds: the staged change (what `pre-commit` judges) and a commit range (what
//! patch coverage judges).
//!
//! The staged change is read from the index git hands the hook: `GIT_INDEX_FILE` points at a
//! temporary index for `git commit -a` and `git commit PATH`, and [`Repo::open_from_env`] honours
//! it, so the content judged is the content being committed, without stashing anything.

use std::collections::BTreeMap;
use std::path::Path;

use super::{GitError, Repo};

/// Added lines of one file with their text (the staged change).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AddedText {
    pub path: String,
    /// `(line number in the new file, text without the newline)`.
    pub lines: Vec<(u32, Vec<u8>)>,
}

/// The lines a commit range adds, per file in the new tree (renames followed: a moved file
/// counts only the lines that changed).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PatchRange {
    /// The commit the change is measured from (the merge base).
    pub base: String,
    /// `HEAD` (or the pushed tip).
    pub head: String,
    /// Path → added line numbers, ascending and unique.
    pub files: BTreeMap<String, Vec<u32>>,
}

fn diff_options() -> git2::DiffOptions {
    let mut o = git2::DiffOptions::new();
    o.context_lines(0).ignore_submodules(true).include_typechange(true);
    o
}

fn find_renames(diff: &mut git2::Diff<'_>) -> Result<(), GitError> {
    let mut find = git2::DiffFindOptions::new();
    find.renames(true).copies(false);
    diff.find_similar(Some(&mut find)).map_err(|e| GitError::new("rename detection failed", e))
}

/// Walks the added lines of `diff`, calling `each(path, line_no, text)`.
fn for_added(diff: &git2::Diff<'_>, mut each: impl FnMut(&str, u32, &[u8])) -> Result<(), GitError> {
    diff.foreach(
        &mut |_, _| true,
        None,
        None,
        Some(&mut |delta, _hunk, line| {
            if line.origin() == '+' {
                if let (Some(path), Some(n)) = (delta.new_file().path().and_then(Path::to_str), line.new_lineno()) {
                    let text = line.content();
                    let text = text.strip_suffix(b"\n").unwrap_or(text);
                    let text = text.strip_suffix(b"\r").unwrap_or(text);
                    each(path, n, text);
                }
            }
            true
        }),
    )
    .map_err(|e| GitError::new("cannot read the diff", e))
}

/// The lines the commit being made adds: `HEAD` (or nothing, before the first commit) against the
/// index git handed the hook. Binary files are skipped.
pub fn staged_additions(repo: &Repo) -> Result<Vec<AddedText>, GitError> {
    let r = &repo.inner;
    let index = r.index().map_err(|e| GitError::new("cannot read the index", e))?;
    let head = r.head().ok().and_then(|h| h.peel_to_tree().ok());
    let mut opts = diff_options();
    let diff = r
        .diff_tree_to_index(head.as_ref(), Some(&index), Some(&mut opts))
        .map_err(|e| GitError::new("cannot diff the index against HEAD", e))?;
    let mut files: Vec<AddedText> = Vec::new();
    for_added(&diff, |path, n, text| {
        match files.last_mut() {
            Some(f) if f.path == path => {}
            _ => files.push(AddedText { path: path.to_string(), lines: Vec::new() }),
        }
        if let Some(f) = files.last_mut() {
            f.lines.push((n, text.to_vec()));
        }
    })?;
    Ok(files)
}

/// The lines added by `merge-base(base, head)..head`; with `worktree`, measured against the
/// working tree instead of `head` (staged and unstaged changes included, untracked files not).
pub fn added_lines(repo: &Repo, base: &str, head: &str, worktree: bool) -> Result<PatchRange, GitError> {
    let r = &repo.inner;
    let merge_base = repo.merge_base(base, head)?;
    let tree_of = |sha: &str| -> Result<git2::Tree<'_>, GitError> {
        let oid = git2::Oid::from_str(sha).map_err(|e| GitError::new(format!("bad object id {sha:?}"), e))?;
        r.find_commit(oid).and_then(|c| c.tree()).map_err(|e| GitError::new(format!("cannot read commit {sha}"), e))
    };
    let old = tree_of(&merge_base)?;
    let mut opts = diff_options();
    let mut diff = if worktree {
        r.diff_tree_to_workdir_with_index(Some(&old), Some(&mut opts))
    } else {
        let new = tree_of(head)?;
        r.diff_tree_to_tree(Some(&old), Some(&new), Some(&mut opts))
    }
    .map_err(|e| GitError::new(format!("cannot diff {merge_base}..{head}"), e))?;
    find_renames(&mut diff)?;
    let mut files: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for_added(&diff, |path, n, _| {
        if let Some(v) = files.get_mut(path) {
            v.push(n);
        } else {
            files.insert(path.to_string(), vec![n]);
        }
    })?;
    for v in files.values_mut() {
        v.sort_unstable();
        v.dedup();
    }
    Ok(PatchRange { base: merge_base, head: head.to_string(), files })
}
