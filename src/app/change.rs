//! The change under judgement: the lines it adds (for patch coverage), the figures recorded on its
//! base (for the ratchet), and the commit `[security] new_only` reads its baseline from.
//!
//! Whoever knows the change says how: `--base REF` (merge-base(REF, HEAD)..HEAD, or the work
//! tree), the range a push sends, a pull request's file patches read through an API, or a phase's
//! work since it began. Each becomes the same [`PatchInput`] the gate measures once, its lines
//! numbered as the commit checked out: the one the reports measured.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::gate::Inputs;
use crate::gate::patch::{Baseline, PatchInput, Recorded};
use crate::git::{self, Repo, Since};
use crate::model::{ChangeKind, FileChange};
use crate::plan::locate::PlanFiles;

/// How the change is known.
#[derive(Clone, Debug, Default)]
pub enum ChangeSpec {
    /// No change: no patch coverage, no ratchet.
    #[default]
    None,
    /// `--base REF`: merge-base(REF, HEAD)..HEAD, or the work tree with `worktree`.
    Base { rev: String, worktree: bool },
    /// `base..head` (commit ids; a push, a pull request's base), `label` naming the base for
    /// people.
    Range { base: String, label: String, head: String },
    /// A pull request's file patches read through its platform's API ([`Patches`]).
    Patches(Box<Patches>),
    /// A phase: everything since `base` (the phase's start; the empty tree when `None`) in the
    /// work tree, untracked files included, so the figure is the same before the phase is
    /// committed and after. The gated reports and the plan's own documents are not part of the
    /// change.
    WorkTree { base: Option<String>, label: String, plan: Box<PlanFiles> },
}

impl ChangeSpec {
    /// The commit `[security] new_only` reads its baseline from, when the change names one.
    pub fn security_base(&self) -> Option<&str> {
        match self {
            ChangeSpec::Base { rev, .. } => Some(rev),
            ChangeSpec::Range { base, .. } => Some(base),
            ChangeSpec::WorkTree { base, .. } => base.as_deref(),
            ChangeSpec::Patches(p) => p.base.as_deref(),
            ChangeSpec::None => None,
        }
    }
}

/// A pull request as its platform's API gives it: the lines its file patches add, numbered as its
/// head commit, and its base commit. The reports measured the commit checked out, which CI often
/// makes a merge of the two (GitHub's `refs/pull/N/merge`): there the same lines have other
/// numbers when the base added lines above them. So the change is measured in HEAD's numbering
/// ([`patches`]): git's diff from the base when the base is in the clone, as `--base` measures
/// it; the patches' lines when HEAD is the head, or when the files checked out read as the
/// patches at every line they show; else git's diff, the base fetched; else not at all.
#[derive(Clone, Debug)]
pub struct Patches {
    /// The pull request's base commit, when the event names it: the ratchet's figures are
    /// recorded on it (on its merge base with HEAD when git measures).
    pub base: Option<String>,
    /// The base for people: `the pull request's base`.
    pub label: String,
    /// The pull request's head commit, when known: the numbering of `lines`.
    pub head: Option<String>,
    /// The lines the patches add.
    pub lines: AddedLines,
}

/// What measuring the change gave.
#[derive(Default)]
pub(super) struct Measured {
    pub patch: Option<PatchInput>,
    /// Why the change could not be read, when it could not (the gate judges what that means).
    pub unavailable: Option<String>,
    pub ratchet: Option<Baseline>,
    pub changes: Vec<FileChange>,
    pub notes: Vec<String>,
}

/// How a change that cannot be read is handled.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reading {
    /// Say it in the verdict (the patch check cannot be measured) instead of failing the run:
    /// CI, where the verdict is reported whatever happens.
    pub tolerant: bool,
    /// Fetch a base commit a shallow checkout lacks from `origin` (CI).
    pub fetch: bool,
}

/// Measures `spec` in the repository at `root`; `inputs` says which reports were gated. With no
/// change given and `[coverage] min_patch` set (`wanted`), the branch's base is looked for (the
/// pull request's base branch, the upstream); when there is none the change is unavailable.
pub(super) fn measure(
    spec: &ChangeSpec,
    reading: Reading,
    wanted: bool,
    root: &Path,
    inputs: &Inputs,
) -> Result<Measured, Error> {
    let outcome = match spec {
        ChangeSpec::None if wanted => auto(root, reading),
        ChangeSpec::None => return Ok(Measured::default()),
        ChangeSpec::Patches(p) => patches(p, root, reading),
        ChangeSpec::Base { rev, worktree } => open_repo(root).and_then(|repo| {
            let head = repo.head().ok_or_else(|| Error::usage("--base needs a commit: HEAD has none yet"))?;
            let base_sha = match repo.resolve(rev) {
                Ok(sha) => sha,
                Err(e) if reading.tolerant => {
                    return Err(Error::usage(format!("{e} (is the base fetched? check out with fetch-depth: 0)")));
                }
                Err(e) => return Err(Error::usage(e.to_string())),
            };
            range(&repo, root, &base_sha, rev, &head, *worktree, reading)
        }),
        ChangeSpec::Range { base, label, head } => {
            open_repo(root).and_then(|repo| range(&repo, root, base, label, head, false, reading))
        }
        ChangeSpec::WorkTree { base, label, plan } => {
            let gated: Vec<String> = inputs.reports().map(|r| within(root, &r.path)).collect();
            let changes: Vec<FileChange> = git::changes(root, Since::WorkTree { base: base.as_deref() })?
                .into_iter()
                .filter(|c| !plan.is_own(&c.path) && !gated.contains(&c.path))
                .collect();
            let files = changes
                .iter()
                .filter(|c| c.kind != ChangeKind::Deleted && !c.added_lines.is_empty())
                .map(|c| (c.path.clone(), c.added_lines.iter().map(|(line, _)| *line).collect()))
                .collect();
            let patch = PatchInput { base: label.clone(), files };
            return Ok(Measured { patch: Some(patch), changes, ..Measured::default() });
        }
    };
    match outcome {
        Ok(m) => Ok(m),
        Err(e) if reading.tolerant || matches!(spec, ChangeSpec::None) => {
            Ok(Measured { unavailable: Some(e.to_string()), ..Measured::default() })
        }
        Err(e) => Err(e),
    }
}

/// The branch's base when none was given: the pull request's base branch (`GITHUB_BASE_REF`),
/// else the upstream's merge-base.
fn auto(root: &Path, reading: Reading) -> Result<Measured, Error> {
    let pr_base = std::env::var("GITHUB_BASE_REF").ok();
    let Some(base) = git::change_base(root, pr_base.as_deref())? else {
        return Err(Error::usage(
            "there is no base to compare the change with (no --base, no pull request's base branch, no upstream \
             branch)",
        ));
    };
    let repo = open_repo(root)?;
    let head = repo.head().ok_or_else(|| Error::usage("HEAD has no commit yet"))?;
    range(&repo, root, &base.commit, &base.how, &head, false, reading)
}

pub(crate) fn open_repo(root: &Path) -> Result<Repo, Error> {
    Repo::discover(root).map_err(|e| Error::usage(format!("{e}; --base and --record need a git repository")))
}

/// The lines `merge-base(base, head)..head` adds, and the base's recorded figures. Paths are made
/// relative to `root` when it is a sub-directory of the work tree (as report paths are). With
/// `reading.fetch`, a base a shallow checkout lacks is fetched first.
fn range(
    repo: &Repo,
    root: &Path,
    base: &str,
    label: &str,
    head: &str,
    worktree: bool,
    reading: Reading,
) -> Result<Measured, Error> {
    let mut notes = Vec::new();
    let fetched_repo;
    let mut repo = repo;
    if reading.fetch && !(repo.has_commit(base) && repo.merge_base(base, head).is_ok()) {
        let fetched = git::fetch_base(root, "origin", base, head)?;
        if !fetched.is_empty() {
            notes.push(fetched);
            // The fetch changed the object store and the shallow boundary: read them anew.
            fetched_repo = open_repo(root)?;
            repo = &fetched_repo;
        }
    }
    let range = git::added_lines(repo, base, head, worktree)?;
    let prefix = repo
        .workdir()
        .and_then(|w| root.canonicalize().ok()?.strip_prefix(w.canonicalize().ok()?).ok().map(Path::to_path_buf))
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .filter(|p| !p.is_empty());
    let files = range
        .files
        .into_iter()
        .filter_map(|(path, lines)| match &prefix {
            Some(pre) => path.strip_prefix(&format!("{pre}/")).map(|rest| (rest.to_string(), lines)),
            None => Some((path, lines)),
        })
        .collect();
    // From the empty tree (a first push) there is no base commit to name or to hold figures.
    if range.base == git::EMPTY_TREE {
        let patch = PatchInput { base: label.to_string(), files };
        return Ok(Measured { patch: Some(patch), notes, ..Measured::default() });
    }
    let short = short(&range.base);
    let label = if label == range.base { short.to_string() } else { format!("{label} ({short})") };
    let ratchet = recorded(Some(repo), &range.base);
    tracing::debug!(base = %range.base, head = %range.head, "patch measured");
    Ok(Measured {
        patch: Some(PatchInput { base: label, files }),
        ratchet: Some(ratchet),
        notes,
        ..Measured::default()
    })
}

/// The figures recorded on `commit` (a git note under `refs/notes/temis`), for the ratchet;
/// missing when there is no repository, no note, or a note that is not temis figures.
fn recorded(repo: Option<&Repo>, commit: &str) -> Baseline {
    let missing = || Baseline::Missing { commit: commit.to_string() };
    let Some(text) = repo.and_then(|r| git::read_note(r, commit)) else { return missing() };
    match serde_json::from_str::<Recorded>(&text) {
        Ok(figures) => Baseline::Recorded { commit: commit.to_string(), figures },
        Err(e) => {
            tracing::warn!("the note on {commit} under {} is not temis figures: {e}", git::NOTES_REF);
            missing()
        }
    }
}

fn short(sha: &str) -> &str {
    sha.get(..10).unwrap_or(sha)
}

/// What to do when a pull request's lines cannot be measured in the checked-out commit's
/// numbering.
const PLACE_IT: &str = "fetch the base (actions/checkout: `fetch-depth: 0`), or check out the pull request's head \
                        (`ref: ${{ github.event.pull_request.head.sha }}`), whose numbering the patches use";

/// A pull request's patches measured in the numbering of the commit checked out ([`Patches`]):
/// lines of another numbering are never measured, and what cannot be placed is an error that says
/// how to check out.
fn patches(p: &Patches, root: &Path, reading: Reading) -> Result<Measured, Error> {
    let repo = open_repo(root).ok();
    let head = repo.as_ref().and_then(Repo::head);
    // The base in the clone: git's diff, as `--base` measures it.
    if let (Some(repo), Some(base), Some(head)) = (&repo, &p.base, &head)
        && repo.has_commit(base)
        && repo.merge_base(base, head).is_ok()
    {
        return range(repo, root, base, &p.label, head, false, reading);
    }
    let top = repo.as_ref().and_then(Repo::workdir).unwrap_or(root);
    let misplaced = if head.is_some() && head == p.head { None } else { p.lines.misplaced(top) };
    let Some(misplaced) = misplaced else {
        let label = match &p.base {
            Some(base) => format!("{} ({})", p.label, short(base)),
            None => p.label.clone(),
        };
        return Ok(Measured {
            patch: Some(p.lines.clone().into_patch(label)),
            ratchet: p.base.as_deref().map(|base| recorded(repo.as_ref(), base)),
            ..Measured::default()
        });
    };
    let checked_out = match (&head, &p.head) {
        (None, _) => "nothing is checked out here (no git work tree)".to_string(),
        (Some(h), Some(pr)) => format!("the commit checked out ({}) is not its head ({})", short(h), short(pr)),
        (Some(h), None) => format!("its head is not known to be the commit checked out ({})", short(h)),
    };
    let why = format!(
        "the pull request's patches number its lines as its head commit; {checked_out}, and the files here do not \
         read as the patches ({misplaced}): their numbers would point at other lines"
    );
    match (&repo, &p.base, &head) {
        (Some(repo), Some(base), Some(head)) => range(repo, root, base, &p.label, head, false, reading).map_err(|e| {
            Error::usage(format!("{why}; git's diff from its base could not be read either ({e}): {PLACE_IT}"))
        }),
        _ => Err(Error::usage(format!("{why}; there is no base commit for git's diff: {PLACE_IT}"))),
    }
}

/// A report path as the change names files: relative to the root when under it.
fn within(root: &Path, path: &str) -> String {
    let p = Path::new(path);
    if !p.is_absolute() {
        return path.to_string();
    }
    let canon = std::fs::canonicalize(p).unwrap_or_else(|_| PathBuf::from(p));
    canon.strip_prefix(root).map(|r| r.to_string_lossy().replace('\\', "/")).unwrap_or_else(|_| path.to_string())
}

/// The lines a change added, from unified-diff hunks (a pull request's `patch` fields, as the
/// GitHub API returns them, or a whole `git diff` of one file).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AddedLines {
    files: BTreeMap<String, Vec<u32>>,
    /// The lines each file's hunks show of its new side (added and context), by number: what
    /// the file reads there when it is numbered as the patch.
    shown: BTreeMap<String, Vec<(u32, String)>>,
}

impl AddedLines {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the `+` lines of the unified diff `patch` to `path`. Removed lines, `\ No newline`
    /// markers and file headers are skipped.
    pub fn add_patch(&mut self, path: &str, patch: &str) {
        let mut next: Option<u32> = None;
        let mut added = Vec::new();
        let mut shown = Vec::new();
        for line in patch.lines() {
            if let Some(rest) = line.strip_prefix("@@ ") {
                next = hunk_new_start(rest);
                continue;
            }
            let Some(n) = next.as_mut() else { continue };
            match line.as_bytes().first() {
                Some(b'+') if !line.starts_with("+++ ") => {
                    added.push(*n);
                    shown.push((*n, line[1..].to_string()));
                    *n += 1;
                }
                Some(b' ') | None => {
                    shown.push((*n, line.get(1..).unwrap_or_default().to_string()));
                    *n += 1;
                }
                Some(b'-') | Some(b'\\') => {}
                _ => next = None,
            }
        }
        self.shown.entry(path.to_string()).or_default().extend(shown);
        let entry = self.files.entry(path.to_string()).or_default();
        entry.extend(added);
        entry.sort_unstable();
        entry.dedup();
        if entry.is_empty() {
            self.files.remove(path);
        }
    }

    /// The change, measured against `base` (a label for people).
    pub fn into_patch(self, base: impl Into<String>) -> PatchInput {
        PatchInput { base: base.into(), files: self.files }
    }

    /// Where a file under `top` (the work tree) does not read as the patches do, at a line their
    /// hunks show of a file they add lines to: then its lines are numbered otherwise than the
    /// patches' (a merge commit whose base added lines above them), said for people. `None` when
    /// every such line is where the patches put it.
    pub fn misplaced(&self, top: &Path) -> Option<String> {
        for (path, lines) in self.shown.iter().filter(|(path, _)| self.files.contains_key(*path)) {
            if !Path::new(path).components().all(|c| matches!(c, std::path::Component::Normal(_))) {
                return Some(format!("{path} is not a path in the repository"));
            }
            let Ok(bytes) = std::fs::read(top.join(path)) else { return Some(format!("there is no {path}")) };
            let file: Vec<&[u8]> = bytes.split(|b| *b == b'\n').map(|l| l.strip_suffix(b"\r").unwrap_or(l)).collect();
            let at = |n: u32| file.get(n.checked_sub(1)? as usize).copied();
            if let Some((n, _)) = lines.iter().find(|(n, text)| at(*n) != Some(text.as_bytes())) {
                return Some(format!("{path} line {n} is not the line the patch shows there"));
            }
        }
        None
    }
}

/// `-a,b +c,d @@ …` → `c`.
fn hunk_new_start(rest: &str) -> Option<u32> {
    let plus = rest.split_whitespace().find(|w| w.starts_with('+'))?;
    plus[1..].split(',').next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn added_lines_follow_the_hunk_headers() {
        let mut a = AddedLines::new();
        a.add_patch(
            "src/a.py",
            "@@ -1,3 +1,4 @@\n def f():\n-    return 1\n+    x = 1\n+    return x\n \n@@ -10,2 +11,3 @@ def g():\n \
             \n+    pass\n\\ No newline at end of file\n",
        );
        a.add_patch("README.md", "@@ -1 +1 @@\n-a\n");
        let p = a.into_patch("main");
        assert_eq!(p.files.into_iter().collect::<Vec<_>>(), vec![("src/a.py".to_string(), vec![2, 3, 12])]);
    }

    #[test]
    fn patches_are_placed_only_where_the_files_read_as_they_show() {
        let dir = tempfile::tempdir().unwrap();
        let mut a = AddedLines::new();
        a.add_patch("a.py", "@@ -1,2 +1,3 @@\n x = 1\n+y = 2\n z = 3\n");
        assert_eq!(a.misplaced(dir.path()).as_deref(), Some("there is no a.py"));
        for placed in ["x = 1\ny = 2\nz = 3\n", "x = 1\r\ny = 2\r\nz = 3", "x = 1\ny = 2\nz = 3\nmore\n"] {
            std::fs::write(dir.path().join("a.py"), placed).unwrap();
            assert_eq!(a.misplaced(dir.path()), None, "{placed:?}");
        }
        // A line added above (a merge whose base did): the patch's numbers are other lines here.
        std::fs::write(dir.path().join("a.py"), "top\nx = 1\ny = 2\nz = 3\n").unwrap();
        assert_eq!(a.misplaced(dir.path()).as_deref(), Some("a.py line 1 is not the line the patch shows there"));
        // The added line alone changed (a merge resolved it otherwise).
        std::fs::write(dir.path().join("a.py"), "x = 1\ny = 5\nz = 3\n").unwrap();
        assert_eq!(a.misplaced(dir.path()).as_deref(), Some("a.py line 2 is not the line the patch shows there"));
        let mut out = AddedLines::new();
        out.add_patch("../a.py", "@@ -0,0 +1 @@\n+y = 2\n");
        assert_eq!(out.misplaced(dir.path()).as_deref(), Some("../a.py is not a path in the repository"));
    }
}
