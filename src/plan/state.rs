//! Phase state, derived from files alone: the plan's front matter says whether it was approved,
//! each phase record says a phase is complete and with which verdict, and the gate run now on
//! the current phase's reports says whether it is blocked. No hidden database.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Layout, Plan, Task};

/// Where a phase stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// The plan is not approved yet.
    Planned,
    /// The plan is approved; the phase has not started.
    Approved,
    /// The current phase: work has started (a task ticked, or changes since the phase began).
    InProgress,
    /// A record exists with an approving verdict.
    Complete,
    /// The current phase's reports, gated now, block it.
    Blocked,
}

impl State {
    pub fn label(self) -> &'static str {
        match self {
            State::Planned => "planned",
            State::Approved => "approved",
            State::InProgress => "in progress",
            State::Complete => "complete",
            State::Blocked => "blocked",
        }
    }
}

/// What a phase record says, read back from its front matter (or, for a record written by
/// hand in Conductor's style, from its `**Review Status:**` line).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Recorded {
    /// `APPROVED`, `BLOCKED`… as recorded.
    pub verdict: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line_coverage: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub branch_coverage: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tests_total: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tests_failed: Option<u64>,
    /// Every measured value in the record's `figures:` block, as written.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub figures: Vec<(String, String)>,
    /// The line-coverage minimum the phase was held to (`thresholds:`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line_threshold: Option<f64>,
    /// The commit the phase started from (`base:`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
    /// No temis front matter: a record someone (or another tool) wrote.
    pub by_hand: bool,
}

impl Recorded {
    pub fn approves(&self) -> bool {
        matches!(self.verdict.as_str(), "APPROVED" | "PASS" | "WAIVED" | "CONCERNS")
    }

    pub fn figure(&self, key: &str) -> Option<&str> {
        self.figures.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

/// The gate's verdict on the current phase, run now.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Live {
    /// `APPROVED`, `BLOCKED` or `COULD_NOT_JUDGE`.
    pub verdict: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line_coverage: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tests_total: Option<u64>,
    /// The checks that failed, one line each.
    pub blocking: Vec<String>,
    /// Why the figures may not be this code's: reports older than files they measure.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub stale: Vec<String>,
}

/// One phase as `temis plan` shows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PhaseView {
    pub number: u32,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    pub state: State,
    pub current: bool,
    /// The last verdict: the record's, else (current phase) the gate's now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded: Option<Recorded>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub live: Option<Live>,
    pub tasks_done: usize,
    pub tasks_total: usize,
    pub open_tasks: Vec<Task>,
    /// The record's path, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
}

/// The whole plan's state.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Overview {
    pub approved: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<String>,
    pub phases: Vec<PhaseView>,
    /// The first phase without an approving record.
    pub current: Option<u32>,
    pub complete: usize,
}

/// Facts gathered at the edge for [`overview`].
#[derive(Clone, Debug, Default)]
pub struct Facts {
    /// Phase records found: phase number → (path, what it says).
    pub records: BTreeMap<u32, (String, Recorded)>,
    /// The gate's verdict on the current phase, if it was run.
    pub live: Option<Live>,
    /// Files changed since the current phase began.
    pub started: bool,
}

/// Whether the plan is approved: its front matter says so, or it is a Conductor plan (Conductor
/// writes the plan file only once the user approved it), or temis recorded a phase approved
/// (which it does only on an approved plan). A record written by hand (an empty file `touch`ed,
/// a note) approves no plan: the approval pause point was skipped on it.
pub fn approved(plan: &Plan, facts: &Facts) -> bool {
    plan.front.flag("approved")
        || plan.layout == Layout::Conductor
        || facts.records.values().any(|(_, r)| !r.by_hand && r.approves())
}

pub fn overview(plan: &Plan, facts: &Facts) -> Overview {
    let approved = approved(plan, facts);
    let current =
        plan.phases.iter().find(|p| !facts.records.get(&p.number).is_some_and(|(_, r)| r.approves())).map(|p| p.number);
    let phases = plan
        .phases
        .iter()
        .map(|p| {
            let rec = facts.records.get(&p.number);
            let is_current = current == Some(p.number);
            let (done, total) = p.progress();
            let live = if is_current { facts.live.clone() } else { None };
            let state = match (rec, approved) {
                (Some((_, r)), _) if r.approves() => State::Complete,
                (Some(_), _) => State::Blocked,
                (None, false) => State::Planned,
                (None, true) if is_current => match &live {
                    Some(l) if l.verdict == "BLOCKED" => State::Blocked,
                    _ if facts.started || done > 0 => State::InProgress,
                    _ => State::Approved,
                },
                (None, true) => State::Approved,
            };
            PhaseView {
                number: p.number,
                title: p.title.clone(),
                owner: p.owner.clone(),
                state,
                current: is_current,
                recorded: rec.map(|(_, r)| r.clone()),
                live,
                tasks_done: done,
                tasks_total: total,
                open_tasks: p.tasks.iter().filter(|t| t.is_open()).cloned().collect(),
                record: rec.map(|(path, _)| path.clone()),
            }
        })
        .collect::<Vec<_>>();
    Overview {
        approved,
        approved_by: plan.front.scalar("approved_by").map(str::to_string),
        complete: phases.iter().filter(|p| p.state == State::Complete).count(),
        phases,
        current,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAN: &str =
        "# F\n\n## Phase 1: A (Ann)\n- [x] a\n\n## Phase 2: B\n- [x] b\n- [ ] c\n\n## Phase 3: C\n- [ ] d\n";

    #[test]
    fn state_follows_approval_records_and_the_gate() {
        let plan = crate::plan::read(PLAN).unwrap();
        let mut facts = Facts::default();
        let o = overview(&plan, &facts);
        assert!(o.phases.iter().all(|p| p.state == State::Planned));
        assert_eq!(o.current, Some(1));

        let approved = crate::plan::read(&format!("---\napproved: true\n---\n{PLAN}")).unwrap();
        let o = overview(&approved, &facts);
        assert_eq!(o.phases[0].state, State::InProgress, "a ticked task means started");
        assert_eq!(o.phases[1].state, State::Approved);

        let rec = Recorded {
            verdict: "APPROVED".into(),
            line_coverage: Some(100.0),
            tests_total: Some(4),
            ..Recorded::default()
        };
        facts.records.insert(1, ("p/phase-1-complete.md".into(), rec));
        facts.live = Some(Live {
            verdict: "BLOCKED".into(),
            line_coverage: Some(70.0),
            tests_total: None,
            blocking: vec![],
            stale: vec![],
        });
        let o = overview(&approved, &facts);
        assert_eq!(o.current, Some(2));
        assert_eq!(o.phases[0].state, State::Complete);
        assert_eq!(o.phases[1].state, State::Blocked);
        assert_eq!(o.phases[1].open_tasks.len(), 1);
        assert_eq!(o.phases[2].state, State::Approved);
        assert_eq!(o.complete, 1);
    }
}
