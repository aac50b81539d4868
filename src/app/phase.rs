//! Mnemosyne's work on a plan: completing a phase (the gate on it, then — only when it approves —
//! its record with the commit message), the feature's summary, and the commit message of a phase
//! or of the staged change.
//!
//! `temis phase`, `temis commit-msg generate` and the MCP server's `phase_complete`,
//! `phase_summary` and `commit_message` tools all call these; none of them writes a record of
//! its own. A record is written only for an APPROVED verdict, and only inside the plan's folder
//! ([`plans::write_doc`]).

use std::path::Path;

use super::plans::{self, Loaded, Written};
use super::{Judgement, Request};
use crate::docs::{commit, conventional, record, summary};
use crate::error::Error;
use crate::gate::Status;
use crate::git::{self, Since};
use crate::policy::Date;

/// A phase judged as `temis phase complete` judges it.
#[derive(Debug)]
pub struct Judged {
    pub phase: u32,
    pub judgement: Judgement,
    /// The commit the phase started from.
    pub base: Option<String>,
    /// Said when the start had to be guessed (the approval or the previous record not committed).
    pub note: Option<String>,
}

/// A phase record written.
#[derive(Debug)]
pub struct Recorded {
    /// The record, repository-relative.
    pub path: String,
    pub written: Written,
    /// The commit message the record holds.
    pub message: String,
}

/// The previous phases must be recorded as approved before phase `n` completes.
pub fn check_order(loaded: &Loaded, n: u32) -> Result<(), Error> {
    if !loaded.approved() {
        return Err(Error::usage(format!(
            "{} is not approved yet: review it, then `temis plan approve` (the first pause point)",
            loaded.files.plan
        )));
    }
    let records = loaded.records();
    if let Some(missing) = (1..n).find(|k| !records.get(k).is_some_and(|(_, r)| r.approves())) {
        return Err(Error::usage(format!(
            "phase {missing} is not complete ({} is missing); complete the phases in order: temis phase complete {missing}",
            loaded.files.record(missing)
        )));
    }
    Ok(())
}

/// Gates phase `n` of the plan: the phases before it must be complete; the phase starts at
/// `base` (else where the approval or the previous record was committed); the template gives the
/// policy, the reports named, the path rules and the date.
pub fn judge(loaded: &Loaded, n: u32, base: Option<&str>, template: Request) -> Result<Judged, Error> {
    let phase = loaded.phase(n)?.number;
    check_order(loaded, phase)?;
    let (base, note) = loaded.phase_base(phase, base)?;
    let judgement = plans::judge_phase(loaded, phase, base.as_deref(), template)?;
    Ok(Judged { phase, judgement, base, note })
}

/// What an agent's work is held against ([`judge_under_way`]).
#[derive(Debug)]
pub struct UnderWay {
    /// The plan (repository-relative) and its phase under way, when there is one.
    pub phase: Option<(String, u32)>,
    pub judgement: Judgement,
    /// Said when the phase's start had to be guessed.
    pub note: Option<String>,
}

/// The work under way, judged: the current phase of the plan (`plan`, else the repository's one
/// unfinished plan) once the plan is approved, judged as `temis phase complete` judges it (its
/// `[phase.N]` policy, the reports its `Reports:` line names, patch coverage since it began); with
/// no phase under way (no plan, a plan not approved yet, every phase complete), the repository
/// as `temis gate` judges it. A plan that cannot be read, or several open plans, is an error.
pub fn judge_under_way(plan: Option<&Path>, template: Request) -> Result<UnderWay, Error> {
    let root = template.root.clone();
    let path = match plan {
        Some(p) => Some(plans::find(&root, Some(p))?),
        None => plans::find_open(&root)?,
    };
    if let Some(path) = path {
        let loaded = plans::load(&root, &path)?;
        if let Some(n) = loaded.current().filter(|_| loaded.approved()) {
            let judged = judge(&loaded, n, None, template)?;
            return Ok(UnderWay {
                phase: Some((loaded.files.plan.clone(), n)),
                judgement: judged.judgement,
                note: judged.note,
            });
        }
    }
    Ok(UnderWay { phase: None, judgement: super::judge(&template)?, note: None })
}

/// Writes the record of a phase [`judge`] approved, with its commit message; refuses any other
/// verdict (nothing is written). An existing record with other content is replaced only with
/// `force`.
pub fn record(loaded: &Loaded, judged: &Judged, date: Option<Date>, force: bool) -> Result<Recorded, Error> {
    let phase = loaded.phase(judged.phase)?;
    let rel = loaded.files.record(phase.number);
    let Judgement { verdict, inputs, changes, today, .. } = &judged.judgement;
    if verdict.status != Status::Approved {
        return Err(Error::usage(format!(
            "phase {} is {}: {rel} was not written; fix what the verdict lists and complete the phase again",
            phase.number,
            verdict.status.label()
        )));
    }
    let scope = plans::scope(&loaded.root, changes);
    let message =
        commit::for_phase(&loaded.files.plan, loaded.plan.phases.len(), phase, changes, scope, Some(&verdict.figures))
            .render();
    let problems = conventional::problems(&message);
    if !problems.is_empty() {
        return Err(Error::BadMessage { problems: problems.join("; "), message });
    }
    let coverage = crate::gate::combined_coverage(inputs);
    let date = date.map(|d| d.to_string());
    // A waiver with an expiry date applies up to it: the record says which day it was judged on
    // (`--today` may have named another), so that a reader can tell it was in force.
    let judged_on = verdict
        .checks
        .iter()
        .any(|c| c.waiver.as_ref().is_some_and(|w| w.expires.is_some()))
        .then(|| today.to_string());
    let text = record::render(&record::RecordInput {
        plan: &loaded.plan,
        files: &loaded.files,
        phase,
        verdict,
        changes,
        coverage: coverage.as_ref(),
        base: judged.base.as_deref(),
        date: date.as_deref(),
        waivers_judged_on: judged_on.as_deref(),
        message: &message,
    });
    let written = plans::write_doc(loaded, &rel, &text, force)?;
    Ok(Recorded { path: rel, written, message })
}

/// Writes the feature's summary (`complete.md`) once every phase is recorded as approved; returns
/// its path, repository-relative. Its chart (`complete.svg`) is written beside it.
pub fn summarize(loaded: &Loaded, date: Option<Date>, force: bool) -> Result<(String, Written), Error> {
    summarize_all(loaded, date, force).map(|s| s.summary)
}

/// What `temis phase summary` wrote: the summary, and its chart when a phase recorded a
/// percentage to draw.
pub struct Summary {
    pub summary: (String, Written),
    pub chart: Option<(String, Written)>,
}

/// Writes `complete.md` and `complete.svg` beside it (see [`summarize`]).
pub fn summarize_all(loaded: &Loaded, date: Option<Date>, force: bool) -> Result<Summary, Error> {
    let records = loaded.records();
    let missing: Vec<String> = loaded
        .plan
        .phases
        .iter()
        .filter_map(|p| {
            let path = loaded.files.record(p.number);
            match records.get(&p.number) {
                Some((_, r)) if r.approves() => None,
                Some((_, r)) => Some(format!("phase {} ({path}: {})", p.number, r.verdict)),
                None => Some(format!("phase {} ({path} missing)", p.number)),
            }
        })
        .collect();
    if !missing.is_empty() {
        return Err(Error::usage(format!(
            "not every phase is complete: {}; complete them first (temis phase complete N)",
            missing.join(", ")
        )));
    }
    let date = date.map(|d| d.to_string());
    let phases = loaded
        .plan
        .phases
        .iter()
        .map(|p| {
            let (path, rec) = &records[&p.number];
            summary::Done { phase: p, record: rec, path: path.clone() }
        })
        .collect();
    let input = summary::SummaryInput { plan: &loaded.plan, files: &loaded.files, phases, date: date.as_deref() };
    let text = summary::render(&input);
    let rel = loaded.files.summary();
    let chart = match summary::chart(&input) {
        Some(svg) => {
            let path = summary::chart_path(&rel);
            let w = plans::write_doc(loaded, &path, &svg, force)?;
            Some((path, w))
        }
        None => None,
    };
    let written = plans::write_doc(loaded, &rel, &text, force)?;
    Ok(Summary { summary: (rel, written), chart })
}

/// The Conventional Commit message `temis commit-msg generate` prints: with a plan (`plan`, else
/// the one unfinished plan, if any), the phase's (`phase`, else the newest phase whose record is
/// not committed yet, else the current one); without a plan, or with `staged`, one describing the
/// staged change.
pub fn commit_message(root: &Path, plan: Option<&Path>, phase: Option<u32>, staged: bool) -> Result<String, Error> {
    let plan = if staged {
        None
    } else if plan.is_some() || phase.is_some() {
        Some(plans::find(root, plan)?)
    } else {
        plans::find(root, None).ok()
    };
    match plan {
        Some(path) => for_plan(&plans::load(root, &path)?, phase),
        None => {
            let changes = git::changes(root, Since::Staged)?;
            if changes.is_empty() {
                return Err(Error::usage(
                    "nothing is staged: `git add` the change first, or name a phase with --phase N",
                ));
            }
            let scope = plans::scope(root, &changes);
            Ok(commit::for_change(&changes, scope).render())
        }
    }
}

/// The phase's message: from its record when there is one, else built from the plan.
fn for_plan(loaded: &Loaded, phase: Option<u32>) -> Result<String, Error> {
    let records = loaded.records();
    let n = match phase {
        Some(n) => n,
        None => {
            let fresh = records
                .iter()
                .rev()
                .find(|(_, (path, _))| !git::committed_as_is(&loaded.root, path).unwrap_or(false))
                .map(|(n, _)| *n);
            let current = crate::plan::state::overview(
                &loaded.plan,
                &crate::plan::state::Facts { records: records.clone(), ..Default::default() },
            )
            .current;
            match fresh.or(current) {
                Some(n) => n,
                None => {
                    return Err(Error::usage(format!(
                        "every phase of {} is committed; name one with --phase N, or use --staged",
                        loaded.files.plan
                    )));
                }
            }
        }
    };
    let phase = loaded.phase(n)?;
    if let Some((path, _)) = records.get(&n) {
        let text = std::fs::read_to_string(loaded.root.join(path))
            .map_err(|e| Error::Read { path: path.clone(), source: e })?;
        if let Some(m) = record::commit_message(&text) {
            return Ok(m);
        }
        tracing::info!("{path} holds no `{}` block; building the message from the plan", record::MESSAGE_HEADING);
    }
    let (base, _) = loaded.base(n)?;
    let changes = loaded.changes(base.as_deref())?;
    let scope = plans::scope(&loaded.root, &changes);
    Ok(commit::for_phase(&loaded.files.plan, loaded.plan.phases.len(), phase, &changes, scope, None).render())
}
