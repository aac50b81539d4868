//! Plans on disk: finding and reading the plan, reading its records, asking git where a phase
//! began and what it changed, choosing the phase a judgement is about, and writing documents
//! inside the plan's folder without losing what a user wrote.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::write::{self, Mode};
use super::{ChangeSpec, Judgement, Request, Scope};
use crate::docs::record as records;
use crate::error::Error;
use crate::gate::{Outcome as CheckOutcome, Status};
use crate::git::{self, Since};
use crate::model::FileChange;
use crate::plan::locate::{PLAN_GLOBS, PlanFiles};
use crate::plan::state::{self, Facts, Live, Overview, Recorded};
use crate::plan::{self, Phase, Plan};

/// A plan read from disk.
pub struct Loaded {
    pub root: PathBuf,
    pub plan: Plan,
    pub files: PlanFiles,
}

/// The repository root as plans see it: `given`, else the git work tree containing the current
/// directory, else the current directory; canonical.
pub fn root(given: Option<&Path>) -> Result<PathBuf, Error> {
    let r = super::root_dir(given)?;
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
    find_open(root)?.ok_or_else(|| {
        Error::usage(format!(
            "no plan found under {} (looked for {}); write plans/<feature>/plan.md with `## Phase 1: Title (Owner)` sections, or name the plan",
            root.display(),
            PLAN_GLOBS.join(", ")
        ))
    })
}

/// The one plan under the conventional locations that is not finished yet (the only plan, when
/// there is one); `None` when there is no plan at all; an error listing them when several are
/// open.
pub fn find_open(root: &Path) -> Result<Option<PathBuf>, Error> {
    let (mut found, _) = super::discover::find(root, PLAN_GLOBS);
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
            return Ok(Some(open[0].clone()));
        }
        let list: Vec<String> = found.iter().map(|p| relative(root, p)).collect();
        return Err(Error::usage(format!(
            "{} plans found ({}); name one: --plan PATH (or `temis plan PATH`)",
            list.len(),
            list.join(", ")
        )));
    }
    Ok(found.pop())
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
    let plan = plan::read(&text).map_err(|e| Error::plan(&rel, e))?;
    let files = PlanFiles::new(&rel, &plan.front).map_err(|e| Error::plan(&rel, e))?;
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
                out.insert(p.number, (rel, records::read(&text)));
            }
        }
        out
    }

    /// The report paths phase `n` names in the plan (checked to stay in the repository).
    /// The phase's `Reports:`, each inside the repository — links followed: a `reports/ext`
    /// linked to a folder elsewhere recorded APPROVED from reports the repository does not hold.
    pub fn phase_reports(&self, phase: &Phase) -> Result<Vec<String>, Error> {
        let reports = self.files.reports(phase).map_err(|e| Error::plan(&self.files.plan, e))?;
        for r in &reports {
            if !crate::paths::resolves_inside(&self.root, &self.root.join(r)).unwrap_or(true) {
                return Err(Error::plan(
                    &self.files.plan,
                    crate::plan::PlanError::at(
                        phase.line,
                        format!(
                            "phase {}'s report `{r}` leads outside the repository through a symbolic link; name \
                             reports inside the repository",
                            phase.number
                        ),
                    ),
                ));
            }
        }
        Ok(reports)
    }

    /// The feature's summary (`complete.md`), repository-relative, when it is written.
    pub fn written_summary(&self) -> Option<String> {
        let rel = self.files.summary();
        self.root.join(&rel).is_file().then_some(rel)
    }

    /// The current phase: the first one without an approving record.
    pub fn current(&self) -> Option<u32> {
        let facts = crate::plan::state::Facts { records: self.records(), ..Default::default() };
        crate::plan::state::overview(&self.plan, &facts).current
    }

    /// Whether the plan was approved (its front matter, or a Conductor layout's records).
    pub fn approved(&self) -> bool {
        crate::plan::state::approved(
            &self.plan,
            &crate::plan::state::Facts { records: self.records(), ..Default::default() },
        )
    }

    /// The commit phase `n` started from, and a note when it had to be guessed.
    ///
    /// Phase 1 starts at the commit that approved the plan (its changes are the plan's, not the
    /// phase's), or when the approval is not committed, the commit that last changed the plan;
    /// phase N starts at the commit that added phase N-1's record. When those are not committed
    /// yet, HEAD.
    pub fn base(&self, n: u32) -> Result<(Option<String>, Option<String>), Error> {
        let head = git::head(&self.root)?;
        if n == 1 {
            let conductor = self.plan.layout == plan::Layout::Conductor;
            let found = git::first_commit_where(&self.root, &self.files.plan, |bytes| {
                conductor || approved_text(&String::from_utf8_lossy(bytes))
            })?;
            if let Some(f) = found {
                return Ok((Some(f.commit), None));
            }
            // Not committed approved: the commit that last changed the plan is the nearest start
            // (work committed since is the phase's; HEAD would leave it out).
            let committed = match head.as_deref() {
                Some(h) => git::file_at(&self.root, h, &self.files.plan)?,
                None => None,
            };
            let last = match committed {
                Some(bytes) => git::first_commit_where(&self.root, &self.files.plan, |b| b == bytes.as_slice())?,
                None => None,
            };
            return Ok(match last {
                Some(f) => {
                    let short = f.commit.get(..10).unwrap_or(&f.commit).to_string();
                    let note = format!(
                        "the plan's approval is not committed yet: changes are counted since the plan was last \
                         committed ({short})"
                    );
                    (Some(f.commit), Some(note))
                }
                None => (head, Some("the plan's approval is not committed yet: changes are counted since HEAD".into())),
            });
        }
        let prev = self.files.record(n - 1);
        let found = git::first_commit_where(&self.root, &prev, |_| true)?;
        Ok(match found {
            Some(f) => (Some(f.commit), None),
            None => (head, Some(format!("{prev} is not committed yet: changes are counted since HEAD"))),
        })
    }

    /// Where phase `n` started: `given` (any revision git understands: a commit id, a branch,
    /// `HEAD~2`), else [`Loaded::base`]; with a note when it had to be guessed.
    pub fn phase_base(&self, n: u32, given: Option<&str>) -> Result<(Option<String>, Option<String>), Error> {
        let Some(rev) = given else { return self.base(n) };
        let repo = super::change::open_repo(&self.root)?;
        let sha = repo.resolve(rev).map_err(|e| Error::usage(format!("--base: {e}")))?;
        Ok((Some(sha), None))
    }

    /// What changed since `base`, the plan's own documents left out.
    pub fn changes(&self, base: Option<&str>) -> Result<Vec<FileChange>, Error> {
        let all = git::changes(&self.root, Since::WorkTree { base })?;
        Ok(all.into_iter().filter(|c| !self.files.is_own(&c.path)).collect())
    }

    /// The request that judges phase `n`: its `[phase.N]` overrides, the reports named (else the
    /// phase's `Reports:`, else the policy's and the conventional ones), patch coverage of the
    /// lines added since `base` (the phase's start, [`Loaded::phase_base`]).
    pub fn phase_request(&self, n: u32, base: Option<&str>, template: Request) -> Result<Request, Error> {
        let phase = self.phase(n)?;
        let reports = if template.reports.is_empty() {
            self.phase_reports(phase)?.into_iter().map(|r| self.root.join(r)).collect()
        } else {
            template.reports
        };
        let label = match base {
            Some(sha) => format!("the start of phase {n} ({})", sha.get(..10).unwrap_or(sha)),
            None => "the empty tree".to_string(),
        };
        Ok(Request {
            root: self.root.clone(),
            // The plan's phase (not only the policy's `[phase.N]`): its budgets apply too.
            scope: Scope::Plan { plan: self.root.join(&self.files.plan), phase: Some(n) },
            reports,
            change: ChangeSpec::WorkTree { base: base.map(str::to_string), label, plan: Box::new(self.files.clone()) },
            ..template
        })
    }
}

/// The plan's phases with their state, as `temis plan` shows them: approval and completion from
/// the files in git, whether the current phase has started, and — with `gate` (the policy and the
/// path rules to judge with) — the gate run now on the current phase's reports.
pub fn status(loaded: &Loaded, gate: Option<Request>) -> Overview {
    let mut facts = Facts { records: loaded.records(), ..Facts::default() };
    let current = state::overview(&loaded.plan, &facts).current;
    if let Some(n) = current.filter(|_| state::approved(&loaded.plan, &facts)) {
        // Where the phase began (a walk of the plan's history), asked once for both.
        if let Ok((base, _)) = loaded.base(n) {
            facts.started = loaded.changes(base.as_deref()).is_ok_and(|c| !c.is_empty());
            if let Some(template) = gate {
                facts.live = live(loaded, n, base.as_deref(), template);
            }
        }
    }
    state::overview(&loaded.plan, &facts)
}

/// The gate on phase `n`'s reports now (patch coverage since `base`, where the phase began);
/// `None` when it cannot judge (no reports yet).
fn live(loaded: &Loaded, n: u32, base: Option<&str>, template: Request) -> Option<Live> {
    let verdict = match judge_phase(loaded, n, base, template) {
        Ok(j) => j.verdict,
        Err(e) => {
            tracing::info!("the gate could not judge phase {n}: {e}");
            return None;
        }
    };
    if verdict.status == Status::CouldNotJudge {
        return None;
    }
    Some(Live {
        verdict: verdict.status.label().replace(' ', "_"),
        line_coverage: verdict.figures.line_coverage,
        tests_total: verdict.figures.tests_total,
        blocking: verdict
            .checks
            .iter()
            .filter(|c| c.outcome == CheckOutcome::Fail)
            .map(|c| c.message.clone())
            .collect(),
        stale: verdict
            .checks
            .iter()
            .filter(|c| {
                matches!(c.code, crate::gate::codes::COVERAGE_STALE | crate::gate::codes::TESTS_STALE)
                    && c.outcome != CheckOutcome::Pass
            })
            .map(|c| c.message.clone())
            .collect(),
    })
}

/// Judges phase `n` of a loaded plan (see [`Loaded::phase_request`]); the verdict names its
/// policy relative to the repository.
pub fn judge_phase(loaded: &Loaded, n: u32, base: Option<&str>, template: Request) -> Result<Judgement, Error> {
    let req = loaded.phase_request(n, base, template)?;
    let mut judgement = super::judge(&req)?;
    judgement.verdict.policy = shown(&loaded.root, &judgement.verdict.policy);
    Ok(judgement)
}

/// Whether a plan's text says it is approved.
pub fn approved_text(text: &str) -> bool {
    matches!(plan::front::split(text), Ok((Some((fm, _)), _)) if fm.flag("approved"))
}

/// What a request's [`Scope`] comes to once resolved against the plan.
pub(super) struct Selected {
    pub phase: Option<u32>,
    /// The reports to read (empty: the policy's or the conventional ones).
    pub reports: Vec<PathBuf>,
    /// What the user should know (a plan's reports that could not be used).
    pub notes: Vec<String>,
    /// The performance budgets the phase declares in the plan, and the plan's file.
    pub budgets: Vec<crate::plan::PlanBudget>,
    pub plan_file: String,
}

/// The phase a request is about, and the reports it names.
pub(super) fn select(req: &Request) -> Result<Selected, Error> {
    let selected =
        |phase, reports, notes| Ok(Selected { phase, reports, notes, budgets: Vec::new(), plan_file: String::new() });
    let with_budgets = |s: Result<Selected, Error>, phase: &crate::plan::Phase, file: &str| {
        s.map(|s| Selected { budgets: phase.budgets.clone(), plan_file: file.to_string(), ..s })
    };
    match &req.scope {
        Scope::Policy => selected(None, req.reports.clone(), Vec::new()),
        Scope::Phase(n) => selected(Some(*n), req.reports.clone(), Vec::new()),
        Scope::Plan { plan, phase } => {
            let loaded = load(&req.root, &find(&req.root, Some(plan))?)?;
            let n = match phase {
                Some(n) => *n,
                None => loaded.current().ok_or_else(|| {
                    Error::usage(format!(
                        "every phase of {} is complete; name the phase to judge with --phase N",
                        loaded.files.plan
                    ))
                })?,
            };
            let named = phase.is_some();
            let phase = loaded.phase(n)?;
            let file = loaded.files.plan.as_str();
            // A phase named that is not the plan's current one is judged by its own `[phase.N]`
            // (looser, perhaps): said, not silently.
            let mut notes = Vec::new();
            if let Some(current) = loaded.current().filter(|c| named && *c != n) {
                notes.push(format!(
                    "phase {n} is not {}'s current phase ({current}): judged with phase {n}'s thresholds and reports",
                    loaded.files.plan
                ));
            }
            if !req.reports.is_empty() {
                return with_budgets(selected(Some(n), req.reports.clone(), notes), phase, file);
            }
            let listed = loaded.phase_reports(phase)?;
            with_budgets(
                selected(Some(n), listed.into_iter().map(|r| loaded.root.join(r)).collect(), notes),
                phase,
                file,
            )
        }
        Scope::FollowPlan { phase } => {
            let (n, reports, declared) = followed_phase(&req.root, *phase);
            let notes = Vec::new();
            // The phase's `Reports:` cannot be used (a path out of the repository, through a link
            // or not): judging whatever lies at the conventional places instead approved reports
            // the phase never named. Named reports still replace them.
            let reports = match reports {
                Ok(r) => r,
                Err(_) if !req.reports.is_empty() => Vec::new(),
                Err(e) => return Err(e),
            };
            selected(n, if req.reports.is_empty() { reports } else { req.reports.clone() }, notes).map(|s| Selected {
                budgets: declared.budgets,
                plan_file: declared.plan_file,
                ..s
            })
        }
    }
}

/// What pre-push gates: phase `given` (`TEMIS_PHASE`), else the current phase of the
/// repository's one unfinished, approved plan; and the reports that phase's `Reports:` line names
/// (none: discovery), or why they cannot be used. The plan is read once.
fn followed_phase(root: &Path, given: Option<u32>) -> (Option<u32>, Result<Vec<PathBuf>, Error>, Selected) {
    let none = || Selected {
        phase: None,
        reports: Vec::new(),
        notes: Vec::new(),
        budgets: Vec::new(),
        plan_file: String::new(),
    };
    let Some(loaded) = find(root, None).ok().and_then(|p| load(root, &p).ok()) else {
        return (given, Ok(Vec::new()), none());
    };
    let phase = given.or_else(|| loaded.current().filter(|_| loaded.approved()));
    let found = phase.and_then(|n| loaded.plan.phase(n));
    let reports = match found {
        Some(p) => loaded.phase_reports(p).map(|r| r.into_iter().map(|r| loaded.root.join(r)).collect()),
        None => Ok(Vec::new()),
    };
    let budgets = Selected {
        budgets: found.map(|p| p.budgets.clone()).unwrap_or_default(),
        plan_file: loaded.files.plan.clone(),
        ..none()
    };
    (phase, reports, budgets)
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

/// The scope for a change: the dominant package, else the top folder.
pub fn scope(root: &Path, changes: &[FileChange]) -> Option<String> {
    let paths: Vec<&str> = changes.iter().map(|c| c.path.as_str()).collect();
    let pkgs = git::packages(root, &paths);
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
/// `force`, and then kept beside it as `<name>.bak` (`.bak.1`, `.bak.2`… beside an earlier backup)
/// unless git has it as it is.
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
                // Never over an earlier backup: `.bak`, else `.bak.1`, `.bak.2`… (one that holds
                // these bytes already is kept as it is). Each name is taken only if nothing is
                // there when the backup lands (two runs at once took the same name, and one
                // backup was renamed over the other).
                let mut n = 0u32;
                let bak = loop {
                    let b = if n == 0 { format!("{clean}.bak") } else { format!("{clean}.bak.{n}") };
                    match write::write_new(&root.join(&b), &existing) {
                        Ok(()) => break b,
                        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                            let same = std::fs::symlink_metadata(root.join(&b)).is_ok_and(|m| m.is_file())
                                && std::fs::read(root.join(&b)).is_ok_and(|held| held == existing);
                            if same {
                                break b;
                            }
                            n += 1;
                        }
                        Err(e) => return Err(err(e)),
                    }
                };
                Some(bak)
            };
            outcome = Written::Replaced { backup };
        }
        Err(_) => {}
    }
    write::write(&target, text.as_bytes(), Mode::Keep).map_err(err)?;
    Ok(outcome)
}

#[cfg(test)]
mod tests {
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
