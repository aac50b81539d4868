//! Lines a change adds: the staged change (what `pre-commit` judges) and a commit range (what
//! patch coverage judges).
//!
//! The staged change is read from the index git hands the hook: `GIT_INDEX_FILE` points at a
//! temporary index for `git commit -a` and `git commit PATH`, and [`Repo::open_from_env`] honours
//! it, so the content judged is the content being committed, without stashing anything.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;
use std::path::Path;

use super::{GitError, Repo, renames};

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

/// Walks the files of `diff` (`file(delta)`, once its content is loaded: binary files are known
/// then) and their added (`+`) and removed (`-`) lines (`each(delta, origin, new line number,
/// text without its line ending)`): the one reading of a diff's lines that the staged change, a
/// commit range and a phase's changes all use.
pub(super) fn for_lines(
    diff: &git2::Diff<'_>,
    mut file: impl FnMut(&git2::DiffDelta<'_>),
    mut each: impl FnMut(&git2::DiffDelta<'_>, char, Option<u32>, &[u8]),
) -> Result<(), GitError> {
    diff.foreach(
        &mut |delta, _| {
            file(&delta);
            true
        },
        None,
        None,
        Some(&mut |delta, _hunk, line| {
            let origin = line.origin();
            if origin == '+' || origin == '-' {
                each(&delta, origin, line.new_lineno(), line_text(line.content()));
            }
            true
        }),
    )
    .map_err(|e| GitError::new("cannot read the diff", e))
}

/// A diff line's text, without its line ending.
fn line_text(content: &[u8]) -> &[u8] {
    let text = content.strip_suffix(b"\n").unwrap_or(content);
    text.strip_suffix(b"\r").unwrap_or(text)
}

/// Walks the added and removed lines of a file git pairs as moved ([`renames::find`]): its old
/// content against its new, as [`for_lines`] walks a diff's (`each(origin, new line number,
/// text)`). Says whether the pair is binary (then without lines).
pub(super) fn for_moved_lines(
    diff: &git2::Diff<'_>,
    pair: renames::Pair,
    contents: &renames::Contents<'_>,
    mut each: impl FnMut(char, Option<u32>, &[u8]),
) -> Result<bool, GitError> {
    let (Some(gone), Some(came)) = (diff.get_delta(pair.deleted), diff.get_delta(pair.added)) else {
        return Ok(false);
    };
    let (old, new) = (gone.old_file(), came.new_file());
    let (old_bytes, new_bytes) = (contents.read(&old)?, contents.read(&new)?);
    let patch = git2::Patch::from_buffers(&old_bytes, old.path(), &new_bytes, new.path(), Some(&mut diff_options()))
        .map_err(|e| GitError::new("cannot diff a moved file", e))?;
    for hunk in 0..patch.num_hunks() {
        let lines = patch.num_lines_in_hunk(hunk).map_err(|e| GitError::new("cannot read the diff", e))?;
        for i in 0..lines {
            let line = patch.line_in_hunk(hunk, i).map_err(|e| GitError::new("cannot read the diff", e))?;
            let origin = line.origin();
            if origin == '+' || origin == '-' {
                each(origin, line.new_lineno(), line_text(line.content()));
            }
        }
    }
    Ok(patch.delta().flags().is_binary())
}

/// Walks the added lines of `diff`, calling `each(path, line_no, text)`.
fn for_added(diff: &git2::Diff<'_>, mut each: impl FnMut(&str, u32, &[u8])) -> Result<(), GitError> {
    for_lines(
        diff,
        |_| {},
        |delta, origin, n, text| {
            if let (Some(path), Some(n), '+') = (delta.new_file().path().and_then(Path::to_str), n, origin) {
                each(path, n, text);
            }
        },
    )
}

/// The lines the commit being made adds: `HEAD` (or nothing, before the first commit) against the
/// index git handed the hook. Binary files are skipped.
pub fn staged_additions(repo: &Repo) -> Result<Vec<AddedText>, GitError> {
    match repo.fast_index() {
        Some(index) => staged_from_index(repo, index),
        None => staged_with_libgit2(repo),
    }
}

/// A staged file that differs from `HEAD`.
struct Changed<'a> {
    path: &'a [u8],
    old: Option<git2::Oid>,
    new: git2::Oid,
}

/// The entries of `index` that differ from `HEAD`, walking only the trees the cache-tree does not
/// vouch for.
fn changed_entries<'a>(repo: &Repo, index: &'a super::index::Index) -> Result<Vec<Changed<'a>>, GitError> {
    let r = &repo.inner;
    let head = r.head().ok().and_then(|h| h.peel_to_tree().ok());
    let mut head_files: HashMap<Vec<u8>, git2::Oid> = HashMap::default();
    let mut skipped: Vec<Vec<u8>> = Vec::new();
    // A directory whose cache-tree entry equals HEAD's tree is unchanged: neither it nor its
    // index entries need a look, and its tree object is never even read.
    let unchanged = |dir: &[u8], oid: git2::Oid| index.valid_trees.get(dir).is_some_and(|v| v == oid.as_bytes());
    if let Some(tree) = head {
        if unchanged(b"", tree.id()) {
            return Ok(Vec::new());
        }
        let mut stack = vec![(Vec::new(), tree)];
        while let Some((dir, tree)) = stack.pop() {
            for e in tree.iter() {
                let mut path = dir.clone();
                if !path.is_empty() {
                    path.push(b'/');
                }
                path.extend_from_slice(e.name_bytes());
                match e.kind() {
                    Some(git2::ObjectType::Tree) if unchanged(&path, e.id()) => skipped.push(path),
                    Some(git2::ObjectType::Tree) => {
                        let sub =
                            r.find_tree(e.id()).map_err(|err| GitError::new("cannot read a tree of HEAD", err))?;
                        stack.push((path, sub));
                    }
                    _ => {
                        head_files.insert(path, e.id());
                    }
                }
            }
        }
    }
    skipped.sort();
    let under =
        |path: &[u8], dir: &[u8]| dir.is_empty() || (path.starts_with(dir) && path.get(dir.len()) == Some(&b'/'));
    let mut out = Vec::new();
    let mut last_skip: Option<&[u8]> = None;
    for e in &index.entries {
        if last_skip.is_some_and(|d| under(&e.path, d)) {
            continue;
        }
        if let Some(d) = skipped.iter().find(|d| under(&e.path, d)) {
            last_skip = Some(d);
            continue;
        }
        if e.intent_to_add || e.mode == 0o160000 {
            continue;
        }
        let new = git2::Oid::from_bytes(&e.oid).map_err(|err| GitError::new("bad object id in the index", err))?;
        match head_files.get(&e.path) {
            Some(old) if *old == new => {}
            old => out.push(Changed { path: &e.path, old: old.copied(), new }),
        }
    }
    Ok(out)
}

fn staged_from_index(repo: &Repo, index: std::rc::Rc<super::index::Index>) -> Result<Vec<AddedText>, GitError> {
    let r = &repo.inner;
    let mut files = Vec::new();
    for c in changed_entries(repo, &index)? {
        let Ok(path) = std::str::from_utf8(c.path) else { continue };
        let new = r.find_blob(c.new).map_err(|e| GitError::new(format!("cannot read the staged {path}"), e))?;
        if new.is_binary() {
            continue;
        }
        let mut file = AddedText { path: path.to_string(), lines: Vec::new() };
        let old = c.old.and_then(|o| r.find_blob(o).ok());
        file.lines = added_by_content(old.as_ref().map_or(&[][..], |b| b.content()), new.content());
        if !file.lines.is_empty() {
            files.push(file);
        }
    }
    Ok(files)
}

/// The lines of `new` that `old` does not have, counting repeats, with their line numbers. For
/// what a commit introduces this is what matters (a moved line is not new), and it needs no diff
/// machinery: libgit2's blob diff would load the whole index again to look up diff attributes.
fn added_by_content(old: &[u8], new: &[u8]) -> Vec<(u32, Vec<u8>)> {
    fn lines(b: &[u8]) -> impl Iterator<Item = &[u8]> {
        b.split_inclusive(|&c| c == b'\n').map(|l| {
            let l = l.strip_suffix(b"\n").unwrap_or(l);
            l.strip_suffix(b"\r").unwrap_or(l)
        })
    }
    let mut seen: HashMap<&[u8], u32> = HashMap::default();
    for l in lines(old) {
        *seen.entry(l).or_default() += 1;
    }
    let mut out = Vec::new();
    for (i, l) in lines(new).enumerate() {
        match seen.get_mut(l) {
            Some(n) if *n > 0 => *n -= 1,
            _ => out.push((i as u32 + 1, l.to_vec())),
        }
    }
    out
}

fn staged_with_libgit2(repo: &Repo) -> Result<Vec<AddedText>, GitError> {
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
/// working tree instead of `head` (staged and unstaged changes included, and files not added
/// yet that git does not ignore).
/// A file moved counts the lines it gained, as `git diff` pairs moved files ([`renames`]).
pub fn added_lines(repo: &Repo, base: &str, head: &str, worktree: bool) -> Result<PatchRange, GitError> {
    let r = &repo.inner;
    // Against the empty tree every line of `head` is added.
    let merge_base = if base == super::EMPTY_TREE { base.to_string() } else { repo.merge_base(base, head)? };
    let tree_of = |sha: &str| -> Result<git2::Tree<'_>, GitError> {
        let oid = git2::Oid::from_str(sha).map_err(|e| GitError::new(format!("bad object id {sha:?}"), e))?;
        r.find_commit(oid).and_then(|c| c.tree()).map_err(|e| GitError::new(format!("cannot read commit {sha}"), e))
    };
    let old = if base == super::EMPTY_TREE { None } else { Some(tree_of(&merge_base)?) };
    let mut opts = diff_options();
    let diff = if worktree {
        // New files not added yet are the change's too (an agent's new module): left out, a
        // module the report listed at 0 % was no added line, and the patch approved.
        opts.include_untracked(true).recurse_untracked_dirs(true).show_untracked_content(true);
        r.diff_tree_to_workdir_with_index(old.as_ref(), Some(&mut opts))
    } else {
        let new = tree_of(head)?;
        r.diff_tree_to_tree(old.as_ref(), Some(&new), Some(&mut opts))
    }
    .map_err(|e| GitError::new(format!("cannot diff {merge_base}..{head}"), e))?;
    // Files moved are found as git finds them, and their lines read against their old content.
    let contents = renames::Contents::new(r);
    let moved = renames::find(&diff, &contents)?;
    let moved_to: std::collections::HashSet<String> =
        moved.iter().filter_map(|p| diff.get_delta(p.added)?.new_file().path()?.to_str().map(str::to_string)).collect();
    let mut files: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    let mut add = |path: &str, n: u32| {
        if let Some(v) = files.get_mut(path) {
            v.push(n);
        } else {
            files.insert(path.to_string(), vec![n]);
        }
    };
    // Files the diff calls binary: by `.gitattributes` (`-diff`, `binary`) as well as by content.
    let mut binary: Vec<(String, git2::Oid, git2::Oid)> = Vec::new();
    for_lines(
        &diff,
        |delta| {
            if delta.flags().is_binary()
                && let Some(path) = delta.new_file().path().and_then(Path::to_str)
            {
                binary.push((path.to_string(), delta.old_file().id(), delta.new_file().id()));
            }
        },
        |delta, origin, n, _| {
            if let (Some(path), Some(n), '+') = (delta.new_file().path().and_then(Path::to_str), n, origin)
                && !moved_to.contains(path)
                // A new file in another project's folder (a `venv/` no `.gitignore` names) is not
                // the change's.
                && !(delta.status() == git2::Delta::Untracked && crate::paths::in_other_project(path))
            {
                add(path, n);
            }
        },
    )?;
    // Attributes the change leaves as they were are the team's (generated files kept out of
    // diffs) and stand; a change that writes `.gitattributes` has its binary files read as text
    // where they are text.
    if attributes_changed(&diff) {
        for (path, old_id, new_id) in binary.into_iter().filter(|b| !moved_to.contains(&b.0)) {
            for n in added_as_text(repo, &path, old_id, new_id, worktree)? {
                add(&path, n);
            }
        }
    }
    for &pair in &moved {
        let Some(path) = diff.get_delta(pair.added).and_then(|d| d.new_file().path()?.to_str().map(str::to_string))
        else {
            continue;
        };
        for_moved_lines(&diff, pair, &contents, |origin, n, _| {
            if let (Some(n), '+') = (n, origin) {
                add(&path, n);
            }
        })?;
    }
    for v in files.values_mut() {
        v.sort_unstable();
        v.dedup();
    }
    Ok(PatchRange { base: merge_base, head: head.to_string(), files })
}

/// Whether `diff` writes a `.gitattributes`: a change that can mark its own source `-diff`,
/// its added lines then hidden behind the attribute (the patch measured none).
fn attributes_changed(diff: &git2::Diff<'_>) -> bool {
    diff.deltas().any(|d| {
        [d.old_file().path(), d.new_file().path()]
            .into_iter()
            .flatten()
            .any(|p| p.file_name().is_some_and(|n| n == ".gitattributes"))
    })
}

/// The largest file [`added_as_text`] reads.
const TEXT_MAX: u64 = 16 << 20;

/// The lines a file the diff calls binary adds, read as text when git's content rule says it is
/// (no NUL in its first 8,000 bytes), as for the staged change: none for a binary file, or one
/// over [`TEXT_MAX`]. Its new side is the work tree's file with `worktree`, else the blob.
fn added_as_text(
    repo: &Repo,
    path: &str,
    old_id: git2::Oid,
    new_id: git2::Oid,
    worktree: bool,
) -> Result<Vec<u32>, GitError> {
    let r = &repo.inner;
    let small_blob =
        |id: git2::Oid| r.odb().ok().and_then(|o| o.read_header(id).ok()).is_some_and(|(n, _)| n as u64 <= TEXT_MAX);
    let new = if worktree {
        let file = repo.workdir().unwrap_or(Path::new(".")).join(path);
        let small = std::fs::metadata(&file).is_ok_and(|m| m.len() <= TEXT_MAX);
        small.then(|| std::fs::read(&file).ok()).flatten()
    } else {
        small_blob(new_id).then(|| r.find_blob(new_id).ok().map(|b| b.content().to_vec())).flatten()
    };
    let Some(new) = new.filter(|b| !b[..b.len().min(8000)].contains(&0)) else { return Ok(Vec::new()) };
    let old = if old_id.is_zero() || !small_blob(old_id) {
        Vec::new()
    } else {
        r.find_blob(old_id).map(|b| b.content().to_vec()).unwrap_or_default()
    };
    let mut text = git2::DiffOptions::new();
    text.context_lines(0).force_text(true);
    let patch = git2::Patch::from_buffers(&old, None, &new, Some(Path::new(path)), Some(&mut text))
        .map_err(|e| GitError::new(format!("cannot diff {path} as text"), e))?;
    let mut added = Vec::new();
    for h in 0..patch.num_hunks() {
        for l in 0..patch.num_lines_in_hunk(h).unwrap_or(0) {
            if let Ok(line) = patch.line_in_hunk(h, l)
                && line.origin() == '+'
                && let Some(n) = line.new_lineno()
            {
                added.push(n);
            }
        }
    }
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::tests::git;

    fn write(dir: &Path, rel: &str, text: &str) {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    /// The lines `git diff -M -U0` adds, per file: `+++ b/<path>` and each `@@ … +c,d @@`.
    fn git_added(dir: &Path, base: &str) -> BTreeMap<String, Vec<u32>> {
        let out = std::process::Command::new("git")
            .args(["diff", "-M", "-U0", "--no-color", base, "HEAD"])
            .current_dir(dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", dir)
            .output()
            .unwrap();
        let mut files: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        let mut path = String::new();
        for line in String::from_utf8(out.stdout).unwrap().lines() {
            if let Some(p) = line.strip_prefix("+++ b/") {
                path = p.to_string();
            } else if let Some(rest) = line.strip_prefix("@@ ") {
                let plus = rest.split_whitespace().find(|w| w.starts_with('+')).unwrap();
                let mut f = plus[1..].split(',').map(|n| n.parse::<u32>().unwrap());
                let (start, count) = (f.next().unwrap(), f.next().unwrap_or(1));
                if count > 0 {
                    files.entry(path.clone()).or_default().extend(start..start + count);
                }
            }
        }
        files
    }

    /// A change that marks its own source file `-diff` in `.gitattributes` hid that file's added
    /// lines (git and libgit2 call it binary): patch coverage measured none, and approved. In a
    /// change that writes `.gitattributes`, text is text, as `git diff --text` reads it; a file
    /// with a NUL stays binary.
    #[test]
    fn a_diff_attribute_does_not_hide_added_lines() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        git(d, &["init", "-q"]);
        write(d, "src/a.py", "def f():\n    return 1\n");
        git(d, &["add", "-A"]);
        git(d, &["commit", "-q", "-m", "base"]);
        let base = Repo::discover(d).unwrap().resolve("HEAD").unwrap();
        write(d, ".gitattributes", "src/a.py -diff\n*.bin binary\n");
        write(d, "src/a.py", "def g():\n    return 0\n\ndef f():\n    return 1\n");
        std::fs::write(d.join("src/data.bin"), b"\0\x01\x02\nmore\n").unwrap();
        git(d, &["add", "-A"]);
        git(d, &["commit", "-q", "-m", "change"]);
        let repo = Repo::discover(d).unwrap();
        let head = repo.resolve("HEAD").unwrap();
        for worktree in [false, true] {
            let ours = added_lines(&repo, &base, &head, worktree).unwrap();
            assert_eq!(ours.files.get("src/a.py"), Some(&vec![1, 2, 3]), "worktree {worktree}: {:?}", ours.files);
            assert!(!ours.files.contains_key("src/data.bin"), "{:?}", ours.files);
        }
        // Attributes the change leaves as they were are the team's (a generated file kept out of
        // diffs): they stand, as `git diff` and diff-cover read them.
        write(d, "src/a.py", "def h():\n    return 2\n\ndef g():\n    return 0\n\ndef f():\n    return 1\n");
        git(d, &["commit", "-q", "-am", "again"]);
        let next = repo.resolve("HEAD").unwrap();
        assert!(added_lines(&repo, &head, &next, false).unwrap().files.is_empty());
    }

    /// Measured against the work tree, a new module not added yet is the change's; one git
    /// ignores is not.
    #[test]
    fn the_work_tree_counts_new_files_git_does_not_ignore() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        git(d, &["init", "-q"]);
        write(d, ".gitignore", "build/\n");
        write(d, "src/a.py", "a = 1\n");
        git(d, &["add", "-A"]);
        git(d, &["commit", "-q", "-m", "base"]);
        write(d, "src/new/b.py", "b = 1\nc = 2\n");
        write(d, "build/gen.py", "g = 1\n");
        write(d, "venv/lib/site.py", "s = 1\n");
        let repo = Repo::discover(d).unwrap();
        let head = repo.resolve("HEAD").unwrap();
        let ours = added_lines(&repo, &head, &head, true).unwrap();
        assert_eq!(ours.files.keys().collect::<Vec<_>>(), ["src/new/b.py"]);
        assert_eq!(ours.files["src/new/b.py"], [1, 2]);
        assert!(added_lines(&repo, &head, &head, false).unwrap().files.is_empty());
    }

    /// Files moved and rewritten in part, around git's 50 %: the lines temis counts as added
    /// are the lines `git diff` adds (and diff-cover, which reads it), file by file. libgit2's
    /// own rename detection paired files git does not, and then counted only their changed lines.
    #[test]
    fn a_range_adds_the_lines_git_diff_adds() {
        let mut seed = 0x0123_4567_89AB_CDEFu64;
        let mut below = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let mut differed = 0;
        for case in 0..30 {
            let dir = tempfile::tempdir().unwrap();
            let d = dir.path();
            git(d, &["init", "-q"]);
            // Lines of their own (no two alike), so that any two diffs of the files agree.
            let n = 6 + below(60);
            let text: String = (0..n).map(|i| format!("    v{case}_{i} = compute({})\n", below(1000))).collect();
            write(d, "src/old.py", &text);
            write(d, "src/kept.py", "a\nb\n");
            git(d, &["add", "-A"]);
            git(d, &["commit", "-q", "-m", "base"]);
            let rev = |d: &Path| {
                let out = std::process::Command::new("git").args(["rev-parse", "HEAD"]).current_dir(d).output();
                String::from_utf8(out.unwrap().stdout).unwrap().trim().to_string()
            };
            let base = rev(d);
            std::fs::remove_file(d.join("src/old.py")).unwrap();
            let percent = 30 + below(40);
            let edited: String = text
                .lines()
                .enumerate()
                .map(
                    |(i, l)| {
                        if below(100) < percent { format!("    w{case}_{i} = other()\n") } else { format!("{l}\n") }
                    },
                )
                .collect();
            write(d, "lib/new.py", &edited);
            write(d, "src/kept.py", "a\nb\nc\n");
            git(d, &["add", "-A"]);
            git(d, &["commit", "-q", "-m", "head"]);
            let repo = Repo::discover(d).unwrap();
            let ours = added_lines(&repo, &base, &rev(d), false).unwrap();
            let theirs = git_added(d, &base);
            assert_eq!(ours.files, theirs, "case {case} ({percent} % of lines rewritten)");
            let all = theirs.get("lib/new.py").map_or(0, Vec::len) as u64 == n;
            differed += usize::from(!all);
        }
        assert!(differed > 3 && differed < 27, "some files moved, some not: {differed} of 30 moved");
    }

    /// temis's own index reader and libgit2's diff agree on what a commit adds, for every index
    /// version and with a cache-tree that is partly valid.
    #[test]
    fn the_fast_index_path_agrees_with_libgit2() {
        for version in ["2", "3", "4"] {
            let dir = tempfile::tempdir().unwrap();
            let d = dir.path();
            git(d, &["init", "-q"]);
            for i in 0..30 {
                write(d, &format!("src/m{}/f{i}.txt", i % 4), &format!("line one {i}\nline two\n"));
            }
            write(d, "docs/a very long directory name/with spaces é.md", "hello\n");
            git(d, &["add", "-A"]);
            git(d, &["commit", "-q", "-m", "base"]);
            git(d, &["update-index", "--index-version", version]);
            write(d, "src/m1/f1.txt", "line one 1\ninserted\nline two\nappended\n");
            write(d, "src/new/deep/n.txt", "n1\nn2\n");
            write(d, "docs/a very long directory name/with spaces é.md", "hello\nworld\n");
            std::fs::remove_file(d.join("src/m2/f2.txt")).unwrap();
            git(d, &["add", "-A"]);
            git(d, &["write-tree"]);
            write(d, "src/m3/f3.txt", "unstaged change\n");
            let repo = Repo::discover(d).unwrap();
            let index = repo.fast_index().expect("the reader handles this index");
            let mut fast = staged_from_index(&repo, index).unwrap();
            let mut slow = staged_with_libgit2(&repo).unwrap();
            fast.sort_by(|a, b| a.path.cmp(&b.path));
            slow.sort_by(|a, b| a.path.cmp(&b.path));
            assert_eq!(fast, slow, "index version {version}");
            assert_eq!(fast.len(), 3, "{fast:?}");
        }
    }
}
