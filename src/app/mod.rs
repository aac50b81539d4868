//! The application layer: the judgement, built once, for every surface.
//!
//! `temis gate`, `temis ci`, the pre-push hook, `temis phase complete` and `temis plan` all ask
//! the same question: which repository (root), which rules (the policy, narrowed to a phase),
//! which reports (named, a plan's `Reports:` line, the policy's `[reports]`, or the conventional
//! locations), which change (a base and the lines added since), and what the gate says about
//! them. [`judge`] answers it in one place and returns a [`Judgement`] that carries everything a
//! renderer or a publisher needs — the verdict with its patch coverage, the inputs, the changed
//! files — so that no surface measures anything twice.
//!
//! Surfaces validate their command-line arguments into a [`Request`] (the app's own type) and
//! render or publish the [`Judgement`]; they do not assemble the pipeline themselves.

pub mod change;
pub mod discover;
pub mod phase;
pub mod plans;
pub mod policy;
pub mod reports;
pub mod write;

use std::path::PathBuf;

use crate::error::Error;
use crate::gate::{self, Inputs, Verdict};
use crate::model::FileChange;
use crate::parsers::Format;
use crate::paths::PathMapper;
use crate::policy::{Date, Policy};

pub use change::ChangeSpec;

/// How report paths become repository paths, and how reports are read.
#[derive(Clone, Debug, Default)]
pub struct PathRules {
    /// `--strip-prefix`, in order.
    pub strip_prefix: Vec<String>,
    /// `--map FROM=TO`, in order.
    pub map: Vec<(String, String)>,
    /// `--input-format`: every report is read as this format.
    pub input_format: Option<Format>,
}

impl PathRules {
    /// The mapper that makes report paths relative to `root`.
    pub fn mapper(&self, root: &std::path::Path) -> PathMapper {
        let root = root.display().to_string();
        tracing::debug!(root, "report paths are made relative to this root");
        let mut m = PathMapper::new(Some(&root));
        for p in &self.strip_prefix {
            m = m.strip_prefix(p);
        }
        for (from, to) in &self.map {
            m = m.rewrite(from, to);
        }
        m
    }
}

/// Which phase the policy is narrowed to, and where the reports come from.
#[derive(Clone, Debug, Default)]
pub enum Scope {
    /// The policy's top level, or its `[phase.N]` overrides.
    #[default]
    Policy,
    /// `--phase N`: the policy's `[phase.N]` overrides.
    Phase(u32),
    /// `--plan PLAN`: the plan's phase (`--phase N`, else its current one), on the reports its
    /// `Reports:` line names unless reports are named.
    Plan { plan: PathBuf, phase: Option<u32> },
    /// The pre-push hook: the phase given (`TEMIS_PHASE`), else the current phase of the
    /// repository's one approved, unfinished plan, if any; that phase's `Reports:`, else discovery.
    FollowPlan { phase: Option<u32> },
}

impl Scope {
    /// The scope `--plan` and `--phase` say: the plan's phase (`phase`, else its current one), else
    /// the policy's `[phase.N]`, else the policy's top level.
    pub fn of(plan: Option<PathBuf>, phase: Option<u32>) -> Scope {
        match (plan, phase) {
            (Some(plan), phase) => Scope::Plan { plan, phase },
            (None, Some(n)) => Scope::Phase(n),
            (None, None) => Scope::Policy,
        }
    }
}

/// One judgement to make, validated.
#[derive(Clone, Debug)]
pub struct Request {
    /// The repository root: report and change paths are relative to it.
    pub root: PathBuf,
    /// `--policy`; else `temis.toml` at the root, else the embedded default.
    pub policy: Option<PathBuf>,
    pub scope: Scope,
    /// Reports named on the command line (empty: the plan's, the policy's or the conventional ones).
    pub reports: Vec<PathBuf>,
    pub paths: PathRules,
    pub change: ChangeSpec,
    /// How a change that cannot be read is handled (CI: said in the verdict, base fetched).
    pub reading: change::Reading,
    /// The date waivers are judged on.
    pub today: Date,
    /// The base was named on the command line (`--base`): the security baseline is read there as
    /// it is. Any other base (the pre-push hook's, an agent's, a CI job's own earlier build) is
    /// held to the trunk ([`crate::git::on_trunk`]).
    pub base_named: bool,
    /// The work tree is a CI job's fresh checkout (`temis ci`): files as git checked them out
    /// are judged by no time against the reports (their times are the checkout's; reports an
    /// earlier job made keep theirs, GitLab's artifacts for one).
    pub fresh_checkout: bool,
    /// A `temis.toml` between the current directory and the root (a monorepo package's, run
    /// from inside the package) is refused, exit 2, instead of said unread: a person ran the
    /// command there without `--root` or `--policy`, and the root's policy (or the embedded
    /// default) judging in its place approved what the package's own blocks (`temis gate`, `temis
    /// ci …`). The hooks run at the root, an agent's tools name their root, and a plan's phases
    /// are the repository's (`temis plan`, `temis phase complete`): for them it is only said.
    pub refuse_nearer_policy: bool,
}

impl Request {
    /// A request for `root` with the defaults: no phase, discovered reports, no change, today.
    pub fn new(root: PathBuf) -> Self {
        Self {
            root,
            policy: None,
            scope: Scope::Policy,
            reports: Vec::new(),
            paths: PathRules::default(),
            change: ChangeSpec::None,
            reading: change::Reading::default(),
            today: today_utc(),
            base_named: false,
            fresh_checkout: false,
            refuse_nearer_policy: false,
        }
    }
}

/// The gate's answer and everything it was built from.
#[derive(Debug)]
pub struct Judgement {
    /// The policy as applied (narrowed to the phase).
    pub policy: Policy,
    /// The phase judged, if any.
    pub phase: Option<u32>,
    pub inputs: Inputs,
    pub verdict: Verdict,
    /// The files the change touched, when the change was measured on the work tree (a phase).
    pub changes: Vec<FileChange>,
    /// What the user should know about how the judgement was made (a plan's reports that could
    /// not be used, a change that could not be measured), said on stderr and in summaries.
    pub notes: Vec<String>,
    /// The date waivers were judged on (the request's).
    pub today: Date,
}

/// Builds the judgement: root, policy, inputs, change, evaluate.
pub fn judge(req: &Request) -> Result<Judgement, Error> {
    let plans::Selected { phase, reports, mut notes, budgets, plan_file } = plans::select(req)?;
    let mut policy = policy::load(req.policy.as_deref(), &req.root)?.for_phase(phase);
    if req.policy.is_none()
        && let Some(nearer) = std::env::current_dir().ok().and_then(|cwd| policy::nearer(&cwd, &req.root))
    {
        let folder = nearer.parent().map_or_else(|| ".".into(), |p| p.display().to_string());
        let judged_with = match policy.source.as_str() {
            crate::policy::EMBEDDED => format!("the {}", crate::policy::EMBEDDED),
            root_policy => format!("its policy {root_policy}"),
        };
        if req.refuse_nearer_policy {
            return Err(Error::usage(format!(
                "{} is not read: temis judges the repository at {} with {judged_with}, not this folder's policy; \
                 nothing was judged — to judge the folder with its policy and its reports, run with --root {folder}; \
                 to judge the whole repository, run with --root {} (or name the policy with --policy)",
                nearer.display(),
                req.root.display(),
                req.root.display(),
            )));
        }
        notes.push(format!(
            "{} is not read: temis judges the repository at {} with {judged_with}; to judge the folder alone, run \
             with --root {folder}",
            nearer.display(),
            req.root.display(),
        ));
    }
    // A budget the plan declares is judged like the policy's own, and needs a benchmark report:
    // a limit nothing measured is not met.
    for b in &budgets {
        let budget = crate::policy::Budget::from_plan(b)
            .map_err(|e| Error::usage(format!("{plan_file}:{}: budget `{}`: {e}", b.line, b.name)))?;
        policy.performance.budgets.push(budget);
        policy.performance.enabled = true;
        policy.performance.required = true;
    }
    if let Some(n) = phase
        && !policy.phases.contains_key(&n)
    {
        tracing::info!(phase = n, "the policy has no [phase.{n}] overrides; the top-level thresholds apply");
        // A policy that writes phase overrides and not this one: said (a `--phase 3` meant for
        // `[phase.2]`'s looser thresholds, or the other way round).
        if !policy.phases.is_empty() {
            let written: Vec<String> = policy.phases.keys().map(|k| format!("[phase.{k}]")).collect();
            notes.push(format!(
                "the policy has no [phase.{n}] (it has {}): the top-level thresholds judge phase {n}",
                written.join(", ")
            ));
        }
    }
    let base = req.change.security_base();
    let named = req.base_named && matches!(req.change, ChangeSpec::Base { .. });
    let mut inputs = reports::read(&reports, &req.paths, base, named, &policy, &req.root, req.fresh_checkout)?;
    // What a coverage reader warns of (`temis report` shows every note) is said by the gate too:
    // a figure that is not the producer's, a suite left out.
    for (r, c) in &inputs.coverage {
        notes.extend(c.warnings().map(|n| format!("{}: {n}", r.path)));
    }
    // The branch's base, looked for when a check needs it: patch coverage, and the ratchet's figures
    // recorded there (without it, `max_drop` alone was never measured, whatever `--help` says).
    let wanted = policy.coverage.min_patch.is_some() || policy.coverage.max_drop.is_some();
    let measured = change::measure(&req.change, req.reading, wanted, &req.root, &inputs)?;
    inputs.patch = measured.patch;
    if let (Some(why), false) = (&measured.unavailable, wanted) {
        notes.push(format!("no patch coverage: {why}"));
    }
    // The ratchet alone looked for the base: why it found none is said beside its SKIP row.
    if let (Some(why), None, Some(_)) = (&measured.unavailable, policy.coverage.min_patch, policy.coverage.max_drop) {
        notes.push(format!("no base for the coverage ratchet: {why}"));
    }
    inputs.patch_unavailable = measured.unavailable;
    inputs.ratchet_base = measured.ratchet;
    let verdict = gate::evaluate(&policy, &inputs, req.today);
    notes.extend(measured.notes);
    Ok(Judgement { policy, phase, inputs, verdict, changes: measured.changes, notes, today: req.today })
}

/// The repository root: `given`, else the git work tree containing the current directory, else
/// the current directory.
pub fn root_dir(given: Option<&std::path::Path>) -> Result<PathBuf, Error> {
    match given {
        Some(r) => std::path::absolute(r).map_err(|e| Error::Read { path: r.display().to_string(), source: e }),
        None => Ok(root_containing(&std::env::current_dir().map_err(Error::CurrentDir)?)),
    }
}

/// The git work tree containing `dir`, else `dir`.
pub fn root_containing(dir: &std::path::Path) -> PathBuf {
    crate::git::repo_root(dir).unwrap_or_else(|| dir.to_path_buf())
}

/// What a check code means and how to fix it (`temis explain CODE`); an unknown code is a usage
/// error naming the closest known one.
pub fn explain(code: &str) -> Result<&'static gate::codes::Code, Error> {
    use gate::codes::{CODES, lookup};
    lookup(code).ok_or_else(|| {
        let close = CODES
            .iter()
            .map(|c| (strsim::jaro_winkler(c.code, code), c.code))
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .filter(|(s, _)| *s > 0.7)
            .map(|(_, c)| format!("; did you mean {c}?"))
            .unwrap_or_default();
        Error::usage(format!("unknown check code {code:?}{close} (`temis explain` lists them all)"))
    })
}

/// Today in UTC, from the system clock (the only clock read in temis, at the edge).
pub fn today_utc() -> Date {
    let secs =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
    Date::from_days(secs.div_euclid(86_400))
}

/// Why the verdict's figures are no figures of HEAD to record for later ratchets: the gate could
/// not judge (what it holds is null or partial, and it replaced a good note), or a report is
/// stale or of other code ([`gate::codes::OF_OTHER_CODE`]). `None` when they are.
pub fn unrecordable(verdict: &Verdict) -> Option<String> {
    if verdict.status == gate::Status::CouldNotJudge {
        return Some("the gate could not judge".into());
    }
    verdict
        .checks
        .iter()
        .find(|c| gate::codes::OF_OTHER_CODE.contains(&c.code) && c.outcome != gate::verdict::Outcome::Pass)
        .map(|c| format!("{} ({})", c.message, c.code))
}

/// Writes the verdict's figures as a git note on HEAD (`temis gate --record`); returns HEAD.
/// The caller has asked [`unrecordable`] first.
pub fn record(root: &std::path::Path, verdict: &Verdict) -> Result<String, Error> {
    let repo = change::open_repo(root)?;
    let head = repo.head().ok_or_else(|| Error::usage("--record needs a commit: HEAD has none yet"))?;
    let figures = gate::patch::Recorded::from_figures(&verdict.figures);
    let text = serde_json::to_string(&figures).expect("figures serialize");
    crate::git::write_note(&repo, &head, &text)?;
    Ok(head)
}
