//! What changed in a phase, and where a phase began, asked of git for the phase records
//! (Mnemosyne): files created, modified and deleted with their line counts and added lines
//! (which patch coverage needs), the commits that introduced a file, the committer's name.

use std::path::{Path, PathBuf};

use git2::{Delta, DiffOptions, Repository, Sort};

use super::GitError;
use crate::model::{ChangeKind, FileChange};

/// What the changes are measured against.
#[derive(Clone, Copy, Debug)]
pub enum Since<'a> {
    /// The staged change: HEAD (or nothing, before the first commit) to the index.
    Staged,
    /// Everything since `base` (a commit id; `None` for the empty tree) in the work tree,
    /// staged or not, untracked files included, ignored files not.
    WorkTree { base: Option<&'a str> },
}

fn open(root: &Path) -> Result<Repository, GitError> {
    Ok(Repository::discover(root)?)
}

/// The files changed, sorted by path.
pub fn changes(root: &Path, since: Since<'_>) -> Result<Vec<FileChange>, GitError> {
    let repo = open(root)?;
    let mut opts = DiffOptions::new();
    opts.context_lines(0).ignore_submodules(true);
    let diff = match since {
        Since::Staged => {
            let head = head_tree(&repo)?;
            repo.diff_tree_to_index(head.as_ref(), None, Some(&mut opts))?
        }
        Since::WorkTree { base } => {
            opts.include_untracked(true).recurse_untracked_dirs(true).show_untracked_content(true);
            let tree = match base {
                Some(id) => Some(repo.find_commit(git2::Oid::from_str(id)?)?.tree()?),
                None => None,
            };
            repo.diff_tree_to_workdir_with_index(tree.as_ref(), Some(&mut opts))?
        }
    };
    // Files moved are found as git finds them, and their lines read against their old content.
    let contents = super::renames::Contents::new(&repo);
    let moved = super::renames::find(&diff, &contents)?;
    let gone: std::collections::HashSet<usize> = moved.iter().map(|p| p.deleted).collect();
    let came: std::collections::HashMap<usize, super::renames::Pair> = moved.iter().map(|&p| (p.added, p)).collect();
    let path_of = |f: git2::DiffFile<'_>| f.path().map(|p| p.to_string_lossy().replace('\\', "/"));
    let mut out = Vec::new();
    // Deltas in diff order; lines are attributed to the delta whose old and new files they came
    // from (a moved file's, to the pair: below).
    let mut index: std::collections::HashMap<(Option<String>, Option<String>), usize> = Default::default();
    let mut moved_at = Vec::new();
    for (i, delta) in diff.deltas().enumerate() {
        if gone.contains(&i) {
            continue;
        }
        let pair = came.get(&i);
        let kind = match (pair, delta.status()) {
            (Some(p), _) => ChangeKind::Renamed {
                from: diff.get_delta(p.deleted).and_then(|d| path_of(d.old_file())).unwrap_or_default(),
            },
            (None, Delta::Added | Delta::Untracked | Delta::Copied) => ChangeKind::Created,
            (None, Delta::Deleted) => ChangeKind::Deleted,
            (None, Delta::Renamed) => ChangeKind::Renamed { from: path_of(delta.old_file()).unwrap_or_default() },
            (None, Delta::Modified | Delta::Typechange) => ChangeKind::Modified,
            _ => continue,
        };
        let path = match kind {
            ChangeKind::Deleted => path_of(delta.old_file()),
            _ => path_of(delta.new_file()),
        }
        .unwrap_or_default();
        match pair {
            Some(&p) => moved_at.push((p, out.len())),
            None => _ = index.insert((path_of(delta.old_file()), path_of(delta.new_file())), out.len()),
        }
        out.push(FileChange {
            path,
            kind,
            added: 0,
            deleted: 0,
            binary: delta.flags().is_binary(),
            added_lines: Vec::new(),
        });
    }
    let key = |d: &git2::DiffDelta<'_>| (path_of(d.old_file()), path_of(d.new_file()));
    let mut binary = Vec::new();
    super::diff::for_lines(
        &diff,
        |delta| {
            if delta.flags().is_binary() {
                binary.extend(index.get(&key(delta)).copied());
            }
        },
        |delta, origin, n, text| {
            if let Some(&i) = index.get(&key(delta)) {
                count_line(&mut out[i], origin, n, text);
            }
        },
    )?;
    for (pair, i) in moved_at {
        let change = &mut out[i];
        change.binary = super::diff::for_moved_lines(&diff, pair, &contents, |origin, n, text| {
            count_line(change, origin, n, text);
        })?;
    }
    for i in binary {
        out[i].binary = true;
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// A diff line of `change`'s: `+` added (with its number in the new file), `-` deleted.
fn count_line(change: &mut FileChange, origin: char, n: Option<u32>, text: &[u8]) {
    if origin == '+' {
        change.added += 1;
        change.added_lines.push((n.unwrap_or(0), String::from_utf8_lossy(text).into_owned()));
    } else {
        change.deleted += 1;
    }
}

fn head_tree(repo: &Repository) -> Result<Option<git2::Tree<'_>>, GitError> {
    match repo.head() {
        Ok(h) => Ok(Some(h.peel_to_tree()?)),
        Err(e) if matches!(e.code(), git2::ErrorCode::UnbornBranch | git2::ErrorCode::NotFound) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The commit HEAD points at, or `None` before the first commit.
pub fn head(root: &Path) -> Result<Option<String>, GitError> {
    let repo = open(root)?;
    let id = match repo.head() {
        Ok(h) => Some(h.peel_to_commit()?.id().to_string()),
        Err(e) if matches!(e.code(), git2::ErrorCode::UnbornBranch | git2::ErrorCode::NotFound) => None,
        Err(e) => return Err(e.into()),
    };
    Ok(id)
}

/// A commit found in history, with its first parent (`None` for a root commit).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub commit: String,
    pub parent: Option<String>,
}

/// The oldest commit on HEAD's first-parent line in which the file at `path` exists and its
/// content satisfies `accept`.
pub fn first_commit_where(root: &Path, path: &str, accept: impl Fn(&[u8]) -> bool) -> Result<Option<Found>, GitError> {
    let repo = open(root)?;
    if head(root)?.is_none() {
        return Ok(None);
    }
    let mut walk = repo.revwalk()?;
    walk.push_head()?;
    walk.simplify_first_parent()?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)?;
    let mut last_blob: Option<git2::Oid> = None;
    for id in walk {
        let commit = repo.find_commit(id?)?;
        let Ok(entry) = commit.tree()?.get_path(Path::new(path)) else {
            last_blob = None;
            continue;
        };
        if last_blob == Some(entry.id()) {
            continue;
        }
        last_blob = Some(entry.id());
        let Ok(blob) = repo.find_blob(entry.id()) else { continue };
        if accept(blob.content()) {
            let parent = commit.parent_ids().next().map(|p| p.to_string());
            return Ok(Some(Found { commit: commit.id().to_string(), parent }));
        }
    }
    Ok(None)
}

/// Whether the file at `path` (repository-relative) is committed in HEAD with the bytes it
/// has in the work tree.
pub fn committed_as_is(root: &Path, path: &str) -> Result<bool, GitError> {
    let repo = open(root)?;
    let Some(tree) = head_tree(&repo)? else { return Ok(false) };
    let Ok(entry) = tree.get_path(Path::new(path)) else { return Ok(false) };
    let Some(workdir) = repo.workdir() else { return Ok(false) };
    let Ok(bytes) = std::fs::read(workdir.join(path)) else { return Ok(false) };
    Ok(git2::Oid::hash_object(git2::ObjectType::Blob, &bytes)? == entry.id())
}

/// Of `paths` (files on disk, absolute or relative to the current directory), those whose bytes
/// are what HEAD holds for them: as git checked them out. Their modification times say when the
/// checkout wrote them, not when they were made. A path outside the repository, untracked or
/// changed is not among them; without a repository, none is.
pub fn checked_out_as_is(start: &Path, paths: &[PathBuf]) -> Vec<PathBuf> {
    let Ok(repo) = open(start) else { return Vec::new() };
    let (Ok(Some(tree)), Some(workdir)) = (head_tree(&repo), repo.workdir()) else { return Vec::new() };
    let Ok(top) = workdir.canonicalize() else { return Vec::new() };
    paths
        .iter()
        .filter(|p| {
            let Ok(full) = p.canonicalize() else { return false };
            let Ok(rel) = full.strip_prefix(&top) else { return false };
            let Ok(entry) = tree.get_path(rel) else { return false };
            std::fs::read(&full)
                .ok()
                .and_then(|bytes| git2::Oid::hash_object(git2::ObjectType::Blob, &bytes).ok())
                .is_some_and(|id| id == entry.id())
        })
        .cloned()
        .collect()
}

/// How far back the commit that last changed a file is looked for.
const MOST_COMMITS_BACK: usize = 10_000;

/// How old a committed file is: what the commits after the one that made it changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CommittedAge {
    /// The files (relative to the root asked about) that commits after the one that last changed
    /// it changed: empty when HEAD itself did.
    Changed(std::collections::HashSet<String>),
    /// The commit that made it is not here: a shallow clone ends before it (or it is more than
    /// [`MOST_COMMITS_BACK`] commits back).
    Unknown,
}

/// How old `file` (a file of the work tree, committed in HEAD) is: the commit that last changed
/// it is the newest commit, on any line of HEAD's history, that holds its bytes where none of its
/// parents does (a merge brings it, it does not make it); the files the commits after it changed
/// are [`CommittedAge::Changed`]. `None` when `file` is not in HEAD.
pub fn changed_after_commit_of(root: &Path, file: &Path) -> Option<CommittedAge> {
    let repo = open(root).ok()?;
    let top = repo.workdir()?.canonicalize().ok()?;
    let rel = file.canonicalize().ok()?.strip_prefix(&top).ok()?.to_path_buf();
    let head = repo.head().ok()?.peel_to_commit().ok()?;
    let blob = |c: &git2::Commit<'_>| c.tree().ok()?.get_path(&rel).ok().map(|e| e.id());
    let ours = blob(&head)?;
    let mut walk = repo.revwalk().ok()?;
    walk.push(head.id()).ok()?;
    walk.set_sorting(Sort::TOPOLOGICAL).ok()?;
    // A shallow clone's last commits show no parents: which they are, git keeps in `shallow`.
    let cut: std::collections::HashSet<String> = if repo.is_shallow() {
        std::fs::read_to_string(repo.path().join("shallow"))
            .unwrap_or_default()
            .lines()
            .map(|l| l.trim().to_string())
            .collect()
    } else {
        std::collections::HashSet::new()
    };
    let mut made = None;
    for id in walk.take(MOST_COMMITS_BACK) {
        let Ok(c) = id.and_then(|id| repo.find_commit(id)) else { return Some(CommittedAge::Unknown) };
        if blob(&c) != Some(ours) {
            continue;
        }
        if cut.contains(&c.id().to_string()) {
            return Some(CommittedAge::Unknown);
        }
        let mut inherited = false;
        for i in 0..c.parent_count() {
            match c.parent(i) {
                Ok(p) => inherited |= blob(&p) == Some(ours),
                // A shallow clone's last commit: its parents are not here.
                Err(_) => return Some(CommittedAge::Unknown),
            }
        }
        if !inherited {
            made = Some(c);
            break;
        }
    }
    let Some(made) = made else { return Some(CommittedAge::Unknown) };
    let diff = repo.diff_tree_to_tree(Some(&made.tree().ok()?), Some(&head.tree().ok()?), None).ok()?;
    let under = root.canonicalize().ok()?.strip_prefix(&top).ok()?.to_path_buf();
    Some(CommittedAge::Changed(
        diff.deltas()
            .filter_map(|d| d.new_file().path().or_else(|| d.old_file().path()).map(Path::to_path_buf))
            .filter_map(|p| p.strip_prefix(&under).ok().map(|p| p.to_string_lossy().replace('\\', "/")))
            .collect(),
    ))
}

/// `user.name` from git's configuration.
pub fn user_name(root: &Path) -> Option<String> {
    let repo = open(root).ok()?;
    repo.config().ok()?.get_string("user.name").ok().filter(|s| !s.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::tests::git;

    #[test]
    fn changes_count_lines_follow_renames_and_know_binary_files() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        git(d, &["init", "-q"]);
        let long: String = (0..20).map(|i| format!("line {i}\n")).collect();
        std::fs::write(d.join("a.txt"), "one\ntwo\nthree\n").unwrap();
        std::fs::write(d.join("old.txt"), &long).unwrap();
        git(d, &["add", "-A"]);
        git(d, &["commit", "-q", "-m", "base"]);
        let base = head(d).unwrap().unwrap();
        std::fs::write(d.join("a.txt"), "one\n2\nthree\nfour\n").unwrap();
        std::fs::rename(d.join("old.txt"), d.join("new.txt")).unwrap();
        std::fs::write(d.join("logo.png"), b"\x89PNG\r\n\x1a\n\0\0\0binary").unwrap();
        let all = changes(d, Since::WorkTree { base: Some(&base) }).unwrap();
        let by = |p: &str| all.iter().find(|c| c.path == p).unwrap_or_else(|| panic!("{p}: {all:?}"));
        let a = by("a.txt");
        assert_eq!((a.kind.clone(), a.added, a.deleted), (ChangeKind::Modified, 2, 1));
        assert_eq!(a.added_lines, vec![(2, "2".to_string()), (4, "four".to_string())]);
        assert_eq!(by("new.txt").kind, ChangeKind::Renamed { from: "old.txt".into() });
        assert_eq!(by("new.txt").added, 0);
        let png = by("logo.png");
        assert!(png.binary && png.added_lines.is_empty(), "{png:?}");
    }
}
