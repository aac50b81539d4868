//! The plan commands' edge: finding and reading the plan, reading its records, asking git where
//! a phase began and what it changed, naming the dominant package, gating a phase, and writing
//! documents atomically inside the plan's folder without losing what a user wrote.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::gate::load_policy;
use super::{PathArgs, discover};
use crate::error::Error;
use crate::gate::patch::PatchInput;
use crate::gate::{self, Inputs, Verdict};
use crate::git::{self, FileChange, Since};
use crate::plan::locate::{PLAN_GLOBS, PlanFiles};
use crate::plan::state::{self, Recorded};
use crate::plan::{self, Phase, Plan};
use crate::policy::Date;

/// A plan read from disk.
pub struct Loaded {
    pub root: PathBuf,
    pub plan: Plan,
    pub files: PlanFiles,
}

fn git_err(e: git::ChangeError) -> Error {
    Error::Other(e.to_string())
}

impl PathArgs {
    /// Only `--root`, for the commands that read no report.
    pub fn root_only(root: Option<PathBuf>) -> Self {
        Self { root, strip_prefix: Vec::new(), map: Vec::new(), input_format: None }
    }
}

/// The repository root: `--root`, else the git work tree, else the current directory.
pub fn root(paths: &PathArgs) -> Result<PathBuf, Error> {
    let r = paths.root_dir()?;
    Ok(std::fs::canonicalize(&r).unwrap_or(r))
}

/// Finds the plan: `given` (a file, or a folder holding one), else the one plan under the
/// conventional locations that is not finished yet.
pub fn find(root: &Path, given: Option<&Path>) -> Result<PathBuf, Error> {
    if let Some(g) = given {
        let g = if g.is_absolute() {
            g.to_path_buf()
        } else {
            std::env::current_dir().map(|d| d.join(g)).unwrap_or(g.to_path_buf())
        };
        if g.is_dir() {
            for name in ["plan.md", "tasks.md"] {
                if g.join(name).is_file() {
                    return Ok(g.join(name));
                }
            }
            return Err(Error::usage(format!("{} holds no plan.md or tasks.md; name the plan file", g.display())));
        }
        if !g.is_file() {
            return Err(Error::usage(format!("{}: no such plan file", g.display())));
        }
        return Ok(g);
    }
    let (mut found, _) = discover::find(root, PLAN_GLOBS);
    found.sort();
    found.dedup();
    if found.len() > 1 {
        let open: Vec<PathBuf> = found
            .iter()
            .filter(|p| {
                let rel = relative(root, p);
                let fm = std::fs::read_to_string(p)
                    .ok()
                    .and_then(|t| plan::front::split(&t).ok().and_then(|(f, _)| f.map(|f| f.0)));
                PlanFiles::new(&rel, &fm.unwrap_or_default()).map(|f| !root.join(f.summary()).exists()).unwrap_or(true)
            })
            .cloned()
            .collect();
        if open.len() == 1 {
            return Ok(open[0].clone());
        }
        let list: Vec<String> = found.iter().map(|p| relative(root, p)).collect();
        return Err(Error::usage(format!(
            "{} plans found ({}); name one: --plan PATH (or `temis plan PATH`)",
            list.len(),
            list.join(", ")
        )));
    }
    found.pop().ok_or_else(|| {
        Error::usage(format!(
            "no plan found under {} (looked for {}); write plans/<feature>/plan.md with `## Phase 1: Title (Owner)` sections, or name the plan",
            root.display(),
            PLAN_GLOBS.join(", ")
        ))
    })
}

/// `path` relative to `root`, forward slashes.
pub fn relative(root: &Path, path: &Path) -> String {
    let p = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    p.strip_prefix(root).unwrap_or(&p).to_string_lossy().replace('\\', "/")
}

/// Reads the plan at `path`; an unreadable plan is an error naming its file and line.
pub fn load(root: &Path, path: &Path) -> Result<Loaded, Error> {
    let rel = relative(root, path);
    if Path::new(&rel).is_absolute() {
        return Err(Error::usage(format!("{rel} is outside the repository {}; plans live inside it", root.display())));
    }
    let text = std::fs::read_to_string(path).map_err(|e| Error::Read { path: rel.clone(), source: e })?;
    let plan = plan::read(&text).map_err(|e| Error::Other(format!("{rel}:{e}")))?;
    let files = PlanFiles::new(&rel, &plan.front).map_err(|e| Error::Other(format!("{rel}:{e}")))?;
    Ok(Loaded { root: root.to_path_buf(), plan, files })
}

impl Loaded {
    /// The phase numbered `n`, or a usage error listing the plan's phases.
    pub fn phase(&self, n: u32) -> Result<&Phase, Error> {
        self.plan.phase(n).ok_or_else(|| {
            Error::usage(format!(
                "{} has no phase {n}; its phases are 1 to {}",
                self.files.plan,
                self.plan.phases.len()
            ))
        })
    }

    /// The phase records on disk: number → (path, what it says).
    pub fn records(&self) -> BTreeMap<u32, (String, Recorded)> {
        let mut out = BTreeMap::new();
        for p in &self.plan.phases {
            let rel = self.files.record(p.number);
            if let Ok(text) = std::fs::read_to_string(self.root.join(&rel)) {
                out.insert(p.number, (rel, state::recorded(&text)));
            }
        }
        out
    }

    /// The report paths phase `n` names in the plan (checked to stay in the repository).
    pub fn phase_reports(&self, phase: &Phase) -> Result<Vec<String>, Error> {
        self.files.reports(phase).map_err(|e| Error::Other(format!("{}:{e}", self.files.plan)))
    }

    /// The commit phase `n` started from, and a note when it had to be guessed.
    ///
    /// Phase 1 starts where the plan's approval was committed (its parent); phase N starts at the
    /// commit that added phase N-1's record. When those are not committed yet, HEAD.
    pub fn base(&self, n: u32) -> Result<(Option<String>, Option<String>), Error> {
        let head = git::head(&self.root).map_err(git_err)?;
        if n == 1 {
            let conductor = self.plan.layout == plan::Layout::Conductor;
            let found = git::first_commit_where(&self.root, &self.files.plan, |bytes| {
                conductor || approved_text(&String::from_utf8_lossy(bytes))
            })
            .map_err(git_err)?;
            return Ok(match found {
                Some(f) => (f.parent, None),
                None => (head, Some("the plan's approval is not committed yet: changes are counted since HEAD".into())),
            });
        }
        let prev = self.files.record(n - 1);
        let found = git::first_commit_where(&self.root, &prev, |_| true).map_err(git_err)?;
        Ok(match found {
            Some(f) => (Some(f.commit), None),
            None => (head, Some(format!("{prev} is not committed yet: changes are counted since HEAD"))),
        })
    }

    /// Where phase `n` started: `given` (any revision git understands: a commit id, a branch,
    /// `HEAD~2`), else [`Loaded::base`]; with a note when it had to be guessed.
    pub fn phase_base(&self, n: u32, given: Option<&str>) -> Result<(Option<String>, Option<String>), Error> {
        let Some(rev) = given else { return self.base(n) };
        let repo = super::gate::open_repo(&self.root)?;
        let sha = repo.resolve(rev).map_err(|e| Error::usage(format!("--base: {e}")))?;
        Ok((Some(sha), None))
    }

    /// What changed since `base`, the plan's own documents and `exclude` (the gated reports)
    /// left out.
    pub fn changes(&self, base: Option<&str>, exclude: &[String]) -> Result<Vec<FileChange>, Error> {
        let all = git::changes(&self.root, Since::WorkTree { base }).map_err(git_err)?;
        Ok(all.into_iter().filter(|c| !self.files.is_own(&c.path) && !exclude.contains(&c.path)).collect())
    }
}

/// Whether a plan's text says it is approved.
pub fn approved_text(text: &str) -> bool {
    matches!(plan::front::split(text), Ok((Some((fm, _)), _)) if fm.flag("approved"))
}

/// Gates phase `n`: its `[phase.N]` policy overrides, the reports named on the command line,
/// else the phase's `Reports:` in the plan, else the policy's and the conventional ones; patch
/// coverage of the lines added since `base` (the phase's start, [`Loaded::phase_base`]).
///
/// The added lines are those of [`Loaded::changes`]: the base against the work tree, untracked
/// files included, so the figure is the same before the phase is committed and after.
pub fn gate_phase(
    loaded: &Loaded,
    n: u32,
    reports: &[PathBuf],
    policy: Option<&Path>,
    today: Option<Date>,
    paths: &PathArgs,
    base: Option<&str>,
) -> Result<Gated, Error> {
    let phase = loaded.phase(n)?;
    let reports: Vec<PathBuf> = if reports.is_empty() {
        loaded.phase_reports(phase)?.into_iter().map(|r| loaded.root.join(r)).collect()
    } else {
        reports.to_vec()
    };
    let root = &loaded.root;
    let paths = PathArgs { root: Some(root.clone()), ..paths.clone() };
    let policy = load_policy(policy, root)?.for_phase(Some(n));
    // The phase's start is also the commit [security] new_only reads its baseline from.
    let mut inputs = super::gate::read_inputs(&reports, &paths, base, &policy, root)?;
    let gated: Vec<String> = inputs.reports().map(|r| shown(root, &r.path)).collect();
    let changes = loaded.changes(base, &gated)?;
    let files = changes
        .iter()
        .filter(|c| c.kind != git::ChangeKind::Deleted && !c.added_lines.is_empty())
        .map(|c| (c.path.clone(), c.added_lines.iter().map(|(line, _)| *line).collect()))
        .collect();
    let label = match base {
        Some(sha) => format!("the start of phase {n} ({})", sha.get(..10).unwrap_or(sha)),
        None => "the empty tree".to_string(),
    };
    inputs.patch = Some(PatchInput { base: label, files });
    let today = today.unwrap_or_else(super::gate::today_utc);
    let mut verdict = gate::evaluate(&policy, &inputs, today);
    verdict.policy = shown(root, &verdict.policy);
    Ok(Gated { verdict, inputs, changes })
}

/// A phase judged: the verdict, what it read, and what changed since the phase began.
pub struct Gated {
    pub verdict: Verdict,
    pub inputs: Inputs,
    /// Files changed since the phase's start, the plan's documents and the gated reports left out.
    pub changes: Vec<FileChange>,
}

/// A path as records show it: relative to the root when under it.
fn shown(root: &Path, path: &str) -> String {
    let p = Path::new(path);
    if !p.is_absolute() {
        return path.to_string();
    }
    let canon = std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    canon.strip_prefix(root).map(|r| r.to_string_lossy().replace('\\', "/")).unwrap_or_else(|_| path.to_string())
}

/// Names the package each path belongs to: the Cargo package (from `cargo metadata`) whose
/// folder holds it, else the nearest `package.json` or `pyproject.toml` name.
pub fn packages(root: &Path, paths: &[&str]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let cargo = cargo_packages(root);
    for path in paths {
        let from_cargo = cargo
            .iter()
            .filter(|(dir, _)| dir.is_empty() || path.starts_with(&format!("{dir}/")))
            .max_by_key(|(dir, _)| dir.len())
            .map(|(_, name)| name.clone());
        if let Some(name) = from_cargo.or_else(|| manifest_name(root, path)) {
            out.insert((*path).to_string(), name);
        }
    }
    out
}

/// (package folder relative to the root, package name) for a Cargo workspace at the root.
fn cargo_packages(root: &Path) -> Vec<(String, String)> {
    if !root.join("Cargo.toml").is_file() {
        return Vec::new();
    }
    let Ok(meta) = cargo_metadata::MetadataCommand::new()
        .manifest_path(root.join("Cargo.toml"))
        .no_deps()
        .other_options(vec!["--offline".to_string()])
        .exec()
    else {
        return Vec::new();
    };
    let ws = meta.workspace_root.as_std_path().to_path_buf();
    meta.packages
        .iter()
        .filter_map(|p| {
            let dir = p.manifest_path.parent()?.as_std_path();
            let rel = dir.strip_prefix(&ws).ok()?.to_string_lossy().replace('\\', "/");
            Some((rel, p.name.to_string()))
        })
        .collect()
}

/// The `name` of the nearest `package.json` or `pyproject.toml` above `path`, up to the root.
fn manifest_name(root: &Path, path: &str) -> Option<String> {
    let mut dir = Path::new(path).parent();
    while let Some(d) = dir {
        let here = root.join(d);
        if let Ok(text) = std::fs::read_to_string(here.join("package.json")) {
            if let Some(n) =
                serde_json::from_str::<serde_json::Value>(&text).ok().and_then(|v| v["name"].as_str().map(String::from))
            {
                return Some(n);
            }
        }
        if let Ok(text) = std::fs::read_to_string(here.join("pyproject.toml")) {
            if let Ok(v) = text.parse::<toml::Table>() {
                let name = v
                    .get("project")
                    .and_then(|p| p.get("name"))
                    .or_else(|| v.get("tool").and_then(|t| t.get("poetry")).and_then(|p| p.get("name")));
                if let Some(n) = name.and_then(|n| n.as_str()) {
                    return Some(n.to_string());
                }
            }
        }
        if d.as_os_str().is_empty() {
            break;
        }
        dir = d.parent();
    }
    None
}

/// The scope for a change: the dominant package, else the top folder.
pub fn scope(root: &Path, changes: &[FileChange]) -> Option<String> {
    let paths: Vec<&str> = changes.iter().map(|c| c.path.as_str()).collect();
    let pkgs = packages(root, &paths);
    crate::docs::commit::dominant_scope(changes, |p| pkgs.get(p).cloned())
}

/// What writing a document did.
#[derive(Debug, PartialEq, Eq)]
pub enum Written {
    Created,
    /// The file already held these bytes.
    Unchanged,
    /// Replaced (`--force`); the previous bytes kept at this path when git did not have them.
    Replaced {
        backup: Option<String>,
    },
}

/// Writes `text` to `rel` (repository-relative) atomically, refusing any path outside the plan's
/// folder (symbolic links included). An existing file with other content is replaced only with
/// `force`, and then kept beside it as `<name>.bak` unless git has it as it is.
pub fn write_doc(loaded: &Loaded, rel: &str, text: &str, force: bool) -> Result<Written, Error> {
    let root = &loaded.root;
    let inside = |what: &str| {
        Error::usage(format!(
            "refusing to write {rel}: {what}; temis writes only inside the plan's folder {}/",
            loaded.files.dir
        ))
    };
    let clean = crate::plan::locate::confined(rel).map_err(&inside)?;
    let dir = &loaded.files.dir;
    if !(dir.is_empty() || clean.starts_with(&format!("{dir}/"))) {
        return Err(inside("it is not under the plan's folder"));
    }
    let target = root.join(&clean);
    let parent = target.parent().ok_or_else(|| inside("it has no folder"))?;
    std::fs::create_dir_all(parent).map_err(|e| Error::Write { path: rel.to_string(), source: e })?;
    let plan_dir = std::fs::canonicalize(root.join(dir)).map_err(|e| Error::Read { path: dir.clone(), source: e })?;
    let real_parent = std::fs::canonicalize(parent).map_err(|e| Error::Read { path: rel.to_string(), source: e })?;
    if !real_parent.starts_with(&plan_dir) {
        return Err(inside("its folder is a link that leads outside"));
    }
    let err = |e: std::io::Error| Error::Write { path: rel.to_string(), source: e };
    let mut outcome = Written::Created;
    match std::fs::symlink_metadata(&target) {
        Ok(m) if m.file_type().is_symlink() => return Err(inside("it is a symbolic link")),
        Ok(_) => {
            let existing = std::fs::read(&target).map_err(|e| Error::Read { path: rel.to_string(), source: e })?;
            if existing == text.as_bytes() {
                return Ok(Written::Unchanged);
            }
            if !force {
                return Err(Error::usage(format!(
                    "{rel} exists and differs from what temis would write now; nothing was written. \
                     Compare, then run again with --force to replace it (an uncommitted version is kept as {rel}.bak)"
                )));
            }
            let safe = git::committed_as_is(root, &clean).unwrap_or(false);
            let backup = if safe {
                None
            } else {
                let bak = format!("{clean}.bak");
                atomic(&root.join(&bak), &existing).map_err(err)?;
                Some(bak)
            };
            outcome = Written::Replaced { backup };
        }
        Err(_) => {}
    }
    atomic(&target, text.as_bytes()).map_err(err)?;
    Ok(outcome)
}

/// Writes through a temporary file in the same folder, renamed over the target. The file keeps
/// the mode it had, or gets the usual one (0644), not the temporary file's 0600.
pub fn atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut tmp, bytes)?;
    let perms = match std::fs::metadata(path) {
        Ok(m) => m.permissions(),
        Err(_) => usual_permissions(tmp.as_file())?,
    };
    tmp.as_file().set_permissions(perms)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(unix)]
fn usual_permissions(_: &std::fs::File) -> std::io::Result<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Ok(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn usual_permissions(f: &std::fs::File) -> std::io::Result<std::fs::Permissions> {
    Ok(f.metadata()?.permissions())
}

/// `--plan PLAN` on `temis gate` and `temis ci github`: the phase judged (`phase`, else the
/// plan's current one) and the reports (`reports` when any are named, else those the phase's
/// `Reports:` line lists, else none: discovery as usual).
pub fn plan_selection(
    root: &Path,
    plan: &Path,
    phase: Option<u32>,
    reports: &[PathBuf],
) -> Result<(u32, Vec<PathBuf>), Error> {
    let loaded = load(root, &find(root, Some(plan))?)?;
    let n = match phase {
        Some(n) => n,
        None => {
            let facts = crate::plan::state::Facts { records: loaded.records(), ..Default::default() };
            crate::plan::state::overview(&loaded.plan, &facts).current.ok_or_else(|| {
                Error::usage(format!(
                    "every phase of {} is complete; name the phase to judge with --phase N",
                    loaded.files.plan
                ))
            })?
        }
    };
    let phase = loaded.phase(n)?;
    if !reports.is_empty() {
        return Ok((n, reports.to_vec()));
    }
    let listed = loaded.phase_reports(phase)?;
    Ok((n, listed.into_iter().map(|r| loaded.root.join(r)).collect()))
}

/// What `pre-push` gates: phase `given` (`TEMIS_PHASE`), else the current phase of the
/// repository's one unfinished, approved plan; and the reports that phase's `Reports:` line names
/// (none: discovery), or why they cannot be used. The plan is read once.
pub fn followed_phase(root: &Path, given: Option<u32>) -> (Option<u32>, Result<Vec<PathBuf>, Error>) {
    let Some(loaded) = find(root, None).ok().and_then(|p| load(root, &p).ok()) else { return (given, Ok(Vec::new())) };
    let phase = given.or_else(|| {
        let facts = crate::plan::state::Facts { records: loaded.records(), ..Default::default() };
        let current = crate::plan::state::overview(&loaded.plan, &facts).current;
        current.filter(|_| crate::plan::state::approved(&loaded.plan, &facts))
    });
    let reports = match phase.and_then(|n| loaded.plan.phase(n)) {
        Some(p) => loaded.phase_reports(p).map(|r| r.into_iter().map(|r| loaded.root.join(r)).collect()),
        None => Ok(Vec::new()),
    };
    (phase, reports)
}

#[cfg(test)]
mod current_phase_tests {
    use super::followed_phase;

    fn current_phase(root: &std::path::Path) -> Option<u32> {
        followed_phase(root, None).0
    }

    /// The shipped example's plan (approved, phases 1 to 3 recorded), copied with fewer records.
    fn example_with_records(records: &[u32]) -> tempfile::TempDir {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/jwt-auth/plans/jwt-authentication");
        let dir = tempfile::tempdir().unwrap();
        let plans = dir.path().join("plans/jwt-authentication");
        std::fs::create_dir_all(&plans).unwrap();
        std::fs::copy(src.join("plan.md"), plans.join("plan.md")).unwrap();
        for n in records {
            let name = format!("phase-{n}-complete.md");
            std::fs::copy(src.join(&name), plans.join(&name)).unwrap();
        }
        dir
    }

    #[test]
    fn pre_push_follows_the_plan_to_its_current_phase() {
        let dir = example_with_records(&[1]);
        assert_eq!(current_phase(dir.path()), Some(2), "phase 1 recorded: phase 2 is current");
        let dir = example_with_records(&[]);
        assert_eq!(current_phase(dir.path()), Some(1));
        let none = tempfile::tempdir().unwrap();
        assert_eq!(current_phase(none.path()), None, "no plan, no phase");
    }
}
