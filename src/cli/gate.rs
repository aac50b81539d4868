//! `temis gate`: find and read the reports, judge them against the policy, print the verdict.

use std::path::{Path, PathBuf};

use super::{Outcome, PathArgs, discover};
use crate::error::Error;
use crate::gate::patch::{Baseline, PatchInput, Recorded};
use crate::gate::{self, Inputs, ReportRef, Searched, Status};
use crate::git::{self, Repo};
use crate::output::Output;
use crate::parsers::{self, Content};
use crate::policy::{Date, Policy};
use crate::render::verdict::{self, VerdictFormat};

pub fn after_help() -> String {
    format!(
        "Exit codes: 0 APPROVED, 1 BLOCKED (a threshold failed), 2 could not judge (a required report is missing \
or unreadable, the policy is invalid, a usage error).

The policy is --policy FILE, else temis.toml at the repository root, else the embedded default (coverage ≥ 80 %, \
every test passing, at least one test; where accessibility reports exist, a score ≥ 95 and no WCAG A/AA violation). Reports are the files named on the command line, else the policy's \
[reports] paths and globs, else the conventional locations below. Each report's format is detected from its \
content.

{}
Examples:
  temis gate                                   discover reports, embedded or repository policy
  temis gate --phase 3 coverage.xml junit.xml  phase 3's [phase.3] overrides, these reports
  temis gate --plan plans/auth/plan.md         the plan's current phase, on the reports it names
  temis gate --format sarif > temis.sarif      for GitHub code scanning
  temis gate --format junit > temis-junit.xml  the gate in your CI's test tab
  temis gate --base origin/main                patch coverage of this branch's change, and the ratchet
  temis gate --record                          record the figures on HEAD (git notes, refs/notes/temis)",
        discover::help_list()
    )
}

#[derive(Debug, clap::Args)]
pub struct GateArgs {
    /// Reports to judge (coverage, JUnit XML, accessibility, benchmarks; any supported format). Default: discovered.
    #[arg(value_name = "REPORT")]
    pub reports: Vec<PathBuf>,

    /// Policy file [default: temis.toml at the repository root, else the embedded default].
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,

    /// Apply the policy's [phase.N] overrides.
    #[arg(long, value_name = "N")]
    pub phase: Option<u32>,

    /// Judge a phase of this plan: --phase N (default: the plan's current phase), on the reports
    /// the phase's `Reports:` line names unless reports are given.
    #[arg(long, value_name = "PLAN")]
    pub plan: Option<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: VerdictFormat,

    /// The date waivers are judged on (YYYY-MM-DD) [default: today, or TEMIS_TODAY].
    #[arg(long, value_name = "DATE", env = "TEMIS_TODAY", value_parser = parse_date)]
    pub today: Option<Date>,

    #[command(flatten)]
    pub paths: PathArgs,

    /// The change is merge-base(REF, HEAD)..HEAD: patch coverage of its added lines, the ratchet
    /// against the figures recorded on that merge base, and the commit [security] new_only reads
    /// its baseline from [default for the baseline: the pull request's base (GITHUB_BASE_REF),
    /// else the upstream's merge-base, else HEAD~1].
    #[arg(long, value_name = "REF")]
    pub base: Option<String>,

    /// With --base: measure against the working tree, staged and unstaged changes included (as
    /// diff-cover does by default).
    #[arg(long, requires = "base")]
    pub worktree: bool,

    /// Record this run's figures on HEAD as a git note under refs/notes/temis, for later ratchets
    /// (push them with `git push origin refs/notes/temis`).
    #[arg(long)]
    pub record: bool,
}

pub(super) fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).ok_or_else(|| format!("expected a date like 2026-11-24, got {s:?}"))
}

/// Today in UTC, from the system clock (the only clock read in temis, at the edge).
pub fn today_utc() -> Date {
    let secs =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
    Date::from_days(secs.div_euclid(86_400))
}

pub fn run(mut args: GateArgs, out: Output) -> Result<Outcome, Error> {
    let root = args.paths.root_dir()?;
    if let Some(plan) = &args.plan {
        let (n, reports) = super::workspace::plan_selection(&root, plan, args.phase, &args.reports)?;
        (args.phase, args.reports) = (Some(n), reports);
    }
    let policy = load_policy(args.policy.as_deref(), &root)?.for_phase(args.phase);
    if let Some(n) = args.phase {
        if !policy.phases.contains_key(&n) {
            tracing::info!(phase = n, "the policy has no [phase.{n}] overrides; the top-level thresholds apply");
        }
    }
    let mut inputs = read_inputs(&args.reports, &args.paths, args.base.as_deref(), &policy, &root)?;
    let repo = if args.base.is_some() || args.record { Some(open_repo(&root)?) } else { None };
    if let (Some(base), Some(repo)) = (&args.base, &repo) {
        let head = repo.head().ok_or_else(|| Error::usage("--base needs a commit: HEAD has none yet"))?;
        let base_sha = repo.resolve(base).map_err(|e| Error::usage(e.to_string()))?;
        attach_change(
            repo,
            &root,
            &Change { base_sha, label: base.clone(), head, worktree: args.worktree },
            &mut inputs,
        )?;
    }
    let today = args.today.unwrap_or_else(today_utc);
    let verdict = gate::evaluate(&policy, &inputs, today);
    if let (true, Some(repo)) = (args.record, &repo) {
        record(repo, &verdict, out)?;
    }
    let text = verdict::render(&verdict, args.format, out.color());
    out.stdout(&text).map_err(|e| Error::Write { path: "stdout".into(), source: e })?;
    Ok(match verdict.status {
        Status::Approved => Outcome::Ok,
        Status::Blocked => Outcome::Blocked,
        Status::CouldNotJudge => Outcome::CouldNotJudge,
    })
}

// ---- Patch coverage, the ratchet and recorded figures (the hooks issue). ----

/// A change to measure: `merge-base(base, head)..head`.
pub(crate) struct Change {
    pub base_sha: String,
    /// How the user named the base, for messages.
    pub label: String,
    pub head: String,
    pub worktree: bool,
}

pub(crate) fn open_repo(root: &Path) -> Result<Repo, Error> {
    Repo::discover(root).map_err(|e| Error::usage(format!("{e}; --base and --record need a git repository")))
}

/// Adds the change's added lines and the base's recorded figures to `inputs`. Paths are made
/// relative to `root` when it is a sub-directory of the work tree (as report paths are).
pub(crate) fn attach_change(repo: &Repo, root: &Path, change: &Change, inputs: &mut Inputs) -> Result<(), Error> {
    let range = git::added_lines(repo, &change.base_sha, &change.head, change.worktree)
        .map_err(|e| Error::Other(e.to_string()))?;
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
    let short = range.base.get(..10).unwrap_or(&range.base);
    let label = if change.label == range.base { short.to_string() } else { format!("{} ({short})", change.label) };
    inputs.patch = Some(PatchInput { base: label, files });
    inputs.ratchet_base = Some(match git::read_note(repo, &range.base) {
        Some(text) => match serde_json::from_str::<Recorded>(&text) {
            Ok(figures) => Baseline::Recorded { commit: range.base.clone(), figures },
            Err(e) => {
                tracing::warn!("the note on {} under {} is not temis figures: {e}", range.base, git::NOTES_REF);
                Baseline::Missing { commit: range.base.clone() }
            }
        },
        None => Baseline::Missing { commit: range.base.clone() },
    });
    tracing::debug!(base = %range.base, head = %range.head, "patch measured");
    Ok(())
}

/// Writes the verdict's figures as a note on HEAD.
fn record(repo: &Repo, verdict: &gate::Verdict, out: Output) -> Result<(), Error> {
    let head = repo.head().ok_or_else(|| Error::usage("--record needs a commit: HEAD has none yet"))?;
    let figures = Recorded::from_figures(&verdict.figures);
    let text = serde_json::to_string(&figures).map_err(|e| Error::Other(e.to_string()))?;
    git::write_note(repo, &head, &text).map_err(|e| Error::Other(e.to_string()))?;
    out.stderr(&format!("recorded the figures on {} under {}\n", &head[..10.min(head.len())], git::NOTES_REF));
    Ok(())
}

/// `--policy`, else `temis.toml` at the root, else the embedded default.
pub fn load_policy(explicit: Option<&Path>, root: &Path) -> Result<Policy, Error> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => {
            let candidate = root.join("temis.toml");
            if !candidate.is_file() {
                tracing::info!("no temis.toml at {}; using the embedded default policy", root.display());
                return Ok(Policy::embedded_default());
            }
            candidate
        }
    };
    let text =
        std::fs::read_to_string(&path).map_err(|e| Error::Read { path: path.display().to_string(), source: e })?;
    // Named relative to the root, as report paths are: waiver locations and SARIF need it so.
    Policy::parse(&shown_path(&path.display().to_string(), root), &text).map_err(Error::Policy)
}

/// Reads the reports named (`reports`), else the policy's, else the conventional ones.
/// `base` is the commit a change is judged against (`--base`), for the security baseline.
pub(super) fn read_inputs(
    reports: &[PathBuf],
    paths: &PathArgs,
    base: Option<&str>,
    policy: &Policy,
    root: &Path,
) -> Result<Inputs, Error> {
    let mapper = paths.mapper()?;
    let mut inputs = Inputs::default();
    let files: Vec<PathBuf> = if !reports.is_empty() {
        let named: Vec<String> = reports.iter().map(|p| p.display().to_string()).collect();
        inputs.searched = Searched {
            coverage: named.clone(),
            tests: named.clone(),
            a11y: named.clone(),
            performance: named.clone(),
            security: named,
        };
        reports.to_vec()
    } else {
        let pick = |configured: &Vec<String>, conventional: &[(&str, &str)]| {
            let pats: Vec<&str> = if configured.is_empty() {
                conventional.iter().map(|(p, _)| *p).collect()
            } else {
                configured.iter().map(String::as_str).collect()
            };
            discover::find(root, &pats)
        };
        let (cov, cov_shown) = pick(&policy.reports.coverage, discover::COVERAGE_LOCATIONS);
        let (tests, tests_shown) = pick(&policy.reports.tests, discover::TEST_LOCATIONS);
        let (a11y, a11y_shown) = if policy.a11y.enabled {
            pick(&policy.reports.a11y, discover::A11Y_LOCATIONS)
        } else {
            (Vec::new(), Vec::new())
        };
        let (perf, perf_shown) = if policy.performance.enabled {
            pick(&policy.reports.performance, discover::PERFORMANCE_LOCATIONS)
        } else {
            (Vec::new(), Vec::new())
        };
        let (mut security, security_shown) = pick(&policy.reports.security, discover::SECURITY_LOCATIONS);
        if policy.reports.security.is_empty() {
            security.retain(|p| !discover::is_own_output(p));
        }
        inputs.searched = Searched {
            coverage: cov_shown,
            tests: tests_shown,
            a11y: a11y_shown,
            performance: perf_shown,
            security: security_shown,
        };
        tracing::info!(
            coverage = cov.len(),
            tests = tests.len(),
            a11y = a11y.len(),
            performance = perf.len(),
            security = security.len(),
            "discovered reports under {}",
            root.display()
        );
        cov.into_iter().chain(tests).chain(a11y).chain(perf).chain(security).collect()
    };
    for input in super::inputs(&files)? {
        let (format, content) = parsers::read_report(&input, paths.input_format)?;
        let r = ReportRef { path: shown_path(input.name(), root), format: format.name(), kind: format.kind().name() };
        match content {
            Content::Coverage(c) => inputs.coverage.push((r, super::report::map_paths(c, &mapper))),
            Content::Tests(t) => inputs.tests.push((r, t)),
            Content::A11y(a) => inputs.a11y.push((r, a)),
            Content::Bench(b) => inputs.bench.push((r, b)),
            Content::Security(s) => inputs.security.push((r, super::report::map_security_paths(s, &mapper))),
        }
    }
    if let Some(base) = policy.performance.baseline.as_deref().filter(|_| policy.performance.enabled) {
        inputs.baseline = Some(read_baseline(base, root)?);
    }
    if policy.security.new_only && !inputs.security.is_empty() {
        inputs.security_baseline = read_security_baseline(base, &policy.security.baseline, root);
    }
    Ok(inputs)
}

/// `[performance] baseline`, relative to the root: a benchmark report in any format temis reads.
fn read_baseline(path: &str, root: &Path) -> Result<(String, crate::model::bench::BenchReport), Error> {
    let full = root.join(path);
    if !full.is_file() {
        return Err(Error::Other(format!(
            "{}: the [performance] baseline is missing; write it from the base (e.g. the base branch's benchmark \
             report) or remove `baseline` from the policy",
            full.display()
        )));
    }
    let input = crate::input::Input::file(&full);
    match parsers::read_report(&input, None)? {
        (_, Content::Bench(b)) => Ok((path.to_string(), b)),
        (format, _) => Err(Error::Other(format!(
            "{}: the [performance] baseline is a {} report, not a benchmark report",
            full.display(),
            format.name()
        ))),
    }
}

/// The security baseline at the base commit, never the work tree's: a change cannot whitelist
/// its own findings.
fn read_security_baseline(base: Option<&str>, path: &str, root: &Path) -> gate::BaselineInput {
    use gate::BaselineInput::{Found, Missing};
    let pr_base = std::env::var("GITHUB_BASE_REF").ok();
    let base = match crate::git::base_commit(root, base, pr_base.as_deref()) {
        Ok(b) => b,
        Err(why) => return Missing { why: format!("no base commit ({why})") },
    };
    let short = &base.commit[..base.commit.len().min(12)];
    let at = format!("{path} at {short} ({})", base.how);
    match crate::git::file_at(root, &base.commit, path) {
        Ok(Some(bytes)) => match crate::model::security::Baseline::parse(&bytes) {
            Ok(baseline) => {
                tracing::info!(entries = baseline.findings.len(), "security baseline: {at}");
                Found { at, baseline }
            }
            Err(e) => Missing { why: format!("{at} is unreadable: {e}") },
        },
        Ok(None) => Missing { why: format!("there is no {at}") },
        Err(e) => Missing { why: format!("{at} cannot be read: {e}") },
    }
}

/// A report's path relative to the root when it is under it.
fn shown_path(name: &str, root: &Path) -> String {
    Path::new(name).strip_prefix(root).map(|p| p.display().to_string()).unwrap_or_else(|_| name.to_string())
}
