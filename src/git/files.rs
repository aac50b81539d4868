//! The files of the work tree as git knows them — tracked (the index) and untracked ones that are
//! not ignored — for resolving the paths reports name against the repository.

use std::path::Path;

use super::GitError;

/// The work tree's files under `root` (a folder of the work tree, or its top), relative to `root`
/// with forward slashes, sorted. `None` when `root` is not in a git work tree.
pub fn work_tree_files(root: &Path) -> Result<Option<Vec<String>>, GitError> {
    let Ok(repo) = git2::Repository::discover(root) else { return Ok(None) };
    let Some(workdir) = repo.workdir() else { return Ok(None) };
    let prefix = match (root.canonicalize(), workdir.canonicalize()) {
        (Ok(r), Ok(w)) => match r.strip_prefix(&w) {
            Ok(rel) => rel.to_string_lossy().replace('\\', "/"),
            Err(_) => return Ok(None),
        },
        _ => return Ok(None),
    };
    let prefix = if prefix.is_empty() { String::new() } else { format!("{prefix}/") };
    let mut files = Vec::new();
    let index = repo.index().map_err(|e| GitError::new("cannot read the index", e))?;
    for entry in index.iter() {
        if let Ok(path) = std::str::from_utf8(&entry.path)
            && let Some(rel) = path.strip_prefix(&prefix)
        {
            files.push(rel.to_string());
        }
    }
    let mut opts = git2::StatusOptions::new();
    opts.include_untracked(true).recurse_untracked_dirs(true).include_ignored(false).exclude_submodules(true);
    let statuses = repo.statuses(Some(&mut opts)).map_err(|e| GitError::new("cannot list untracked files", e))?;
    for s in statuses.iter().filter(|s| s.status().contains(git2::Status::WT_NEW)) {
        if let Some(rel) = s.path().ok().and_then(|p| p.strip_prefix(&prefix)) {
            files.push(rel.to_string());
        }
    }
    files.sort_unstable();
    files.dedup();
    Ok(Some(files))
}

/// Whether git ignores a path relative to `root` (a generated file under an ignored `build/`):
/// `None` outside a git work tree.
pub fn ignored(root: &Path) -> Option<impl Fn(&str) -> bool> {
    let repo = git2::Repository::discover(root).ok()?;
    let workdir = repo.workdir()?.canonicalize().ok()?;
    let prefix = root.canonicalize().ok()?.strip_prefix(&workdir).ok()?.to_path_buf();
    Some(move |path: &str| repo.is_path_ignored(prefix.join(path)).unwrap_or(false))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::tests::git;

    #[test]
    fn tracked_and_untracked_files_not_ignored_from_a_sub_folder() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        git(d, &["init", "-q"]);
        for f in ["app/src/a.py", "app/src/b.py", "app/build/x.py", "docs/r.md", "app/.gitignore"] {
            std::fs::create_dir_all(d.join(f).parent().unwrap()).unwrap();
            std::fs::write(d.join(f), if f.ends_with(".gitignore") { "build/\n" } else { "x\n" }).unwrap();
        }
        git(d, &["add", "app/src/a.py", "docs/r.md", "app/.gitignore"]);
        assert_eq!(
            work_tree_files(d).unwrap().unwrap(),
            ["app/.gitignore", "app/src/a.py", "app/src/b.py", "docs/r.md"]
        );
        assert_eq!(work_tree_files(&d.join("app")).unwrap().unwrap(), [".gitignore", "src/a.py", "src/b.py"]);
        let outside = tempfile::tempdir().unwrap();
        assert_eq!(work_tree_files(outside.path()).unwrap(), None);
    }
}
