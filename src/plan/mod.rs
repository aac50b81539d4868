//! Plans: the phases of a feature, read from the markdown teams already write.
//!
//! Accepted layouts, all read into the same [`Phase`] list:
//! - temis `plans/<feature>/plan.md`: `## Phase N: Title (Owner)` sections holding tasks
//!   (`- [ ]` / `- [x]`), test requirements and risks ([`headings`]);
//! - spec-kit `specs/<feature>/tasks.md`: `## Phase N: Title` headings, tasks like
//!   `- [ ] T001 [P] [US1] Description` (the same reader);
//! - copilot-orchestra's Conductor `plans/<task>-plan.md`: `1. **Phase N: Title**` list items
//!   with `**Objective:**`, `**Tests to Write:**` and `**Steps:**` fields ([`conductor`]);
//! - Kiro `.kiro/specs/<feature>/tasks.md`: top-level `- [ ] N. Title` items ([`kiro`]).
//!
//! Reading is pure (text in, [`Plan`] out) and every refusal names its line. Where a plan lives,
//! where its records go and what state its phases are in are decided in [`locate`] and [`state`].

mod conductor;
pub mod front;
mod headings;
mod kiro;
mod lines;
pub mod locate;
pub mod state;

use std::fmt;

use serde::Serialize;

pub use front::FrontMatter;

/// A plan that cannot be read: where and why. The caller adds the file name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct PlanError {
    /// 1-based.
    pub line: u32,
    pub message: String,
}

/// A performance budget a plan's phase declares: `NAME [STAT] < DURATION` (`verify_token p95 <
/// 10 ms`; the statistic defaults to the mean, `<=` and `≤` read as `<`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlanBudget {
    /// The benchmark's name, or a glob of names.
    pub name: String,
    pub stat: crate::model::bench::Stat,
    /// Nanoseconds.
    pub max: f64,
    /// As written (`10 ms`), for messages.
    pub max_text: String,
    /// `<`: the limit itself is over budget (`<=` and `≤` allow it).
    pub strict: bool,
    /// The line it is written on.
    pub line: u32,
}

impl Eq for PlanBudget {}

impl PlanBudget {
    /// Reads `verify_token p95 < 10 ms` written on line `line`.
    pub fn parse(text: &str, line: u32) -> Result<PlanBudget, PlanError> {
        let wrong = |why: &str| {
            PlanError::at(
                line,
                format!(
                    "budget `{text}`: {why}; write it as `NAME [STAT] < DURATION`, e.g. `verify_token p95 < 10 ms`"
                ),
            )
        };
        let t = text.trim().trim_matches('`');
        let (op, (left, right)) = ["<=", "≤", "<"]
            .iter()
            .find_map(|op| Some((*op, t.split_once(op)?)))
            .ok_or_else(|| wrong("no `<` between the benchmark and its limit"))?;
        let strict = op == "<";
        let max_text = right.trim().to_string();
        let max = crate::model::bench::parse_duration(&max_text.replace(' ', ""))
            .ok_or_else(|| wrong("the limit is not a duration with its unit (10 ms, 1.5 s, 250 us, 800 ns)"))?;
        let mut words: Vec<&str> = left.split_whitespace().collect();
        let stat = match words.last().and_then(|w| crate::model::bench::Stat::parse(w)) {
            Some(s) if words.len() > 1 => {
                words.pop();
                s
            }
            _ => crate::model::bench::Stat::Mean,
        };
        if words.len() != 1 {
            return Err(wrong("the benchmark's name is one word (a glob matches several)"));
        }
        Ok(PlanBudget { name: words[0].trim_matches('`').to_string(), stat, max, max_text, strict, line })
    }
}

impl PlanError {
    pub fn at(line: u32, message: impl Into<String>) -> Self {
        Self { line, message: message.into() }
    }
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.line, self.message)
    }
}

/// Which convention a plan follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Layout {
    /// `## Phase N: Title (Owner)` sections (temis, and spec-kit's `tasks.md`).
    Headings,
    /// `**Phase N: Title**` list items (copilot-orchestra's Conductor).
    Conductor,
    /// Top-level `- [ ] N. Title` tasks (Kiro).
    Kiro,
}

impl Layout {
    pub fn name(self) -> &'static str {
        match self {
            Layout::Headings => "phase headings",
            Layout::Conductor => "Conductor phase list",
            Layout::Kiro => "Kiro task list",
        }
    }
}

/// One task of a phase.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Task {
    /// `Some(true)` for `[x]`, `Some(false)` for `[ ]`, `None` for a plain list item (a step with
    /// no checkbox).
    pub done: Option<bool>,
    /// `T001`, `1.2`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// spec-kit's `[P]`: can run in parallel.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub parallel: bool,
    /// spec-kit's `[US1]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub story: Option<String>,
    /// Kiro's `[ ]*`: optional.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub optional: bool,
    pub text: String,
    pub line: u32,
}

impl Task {
    /// Unchecked and required.
    pub fn is_open(&self) -> bool {
        self.done == Some(false) && !self.optional
    }
}

/// One phase of a plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Phase {
    pub number: u32,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// The commit type the plan declares for the phase (`Type: feat`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub objective: Option<String>,
    pub tasks: Vec<Task>,
    /// Test requirements.
    pub tests: Vec<String>,
    pub risks: Vec<String>,
    /// Report paths (repository-relative) the phase is gated on (`Reports:` field).
    pub reports: Vec<String>,
    /// Performance budgets the phase declares (`Budget: verify_token p95 < 10 ms`), added to the
    /// policy's when the phase is judged.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub budgets: Vec<PlanBudget>,
    /// Line of the phase's heading or list item.
    pub line: u32,
}

impl Phase {
    pub fn new(number: u32, title: String, owner: Option<String>, line: u32) -> Self {
        Self {
            number,
            title,
            owner,
            kind: None,
            objective: None,
            tasks: Vec::new(),
            tests: Vec::new(),
            risks: Vec::new(),
            reports: Vec::new(),
            budgets: Vec::new(),
            line,
        }
    }

    /// Tasks with a checkbox that is ticked, of those with a checkbox.
    pub fn progress(&self) -> (usize, usize) {
        let boxed: Vec<&Task> = self.tasks.iter().filter(|t| t.done.is_some()).collect();
        (boxed.iter().filter(|t| t.done == Some(true)).count(), boxed.len())
    }
}

/// A plan as read.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub layout: Layout,
    /// The plan's own title (`# Title`, `## Plan: Title`), when it has one.
    pub title: Option<String>,
    pub front: FrontMatter,
    pub phases: Vec<Phase>,
    /// The text of a `## Deployment…` section, as written.
    pub deployment: Option<String>,
}

impl Plan {
    pub fn phase(&self, n: u32) -> Option<&Phase> {
        self.phases.iter().find(|p| p.number == n)
    }
}

/// Reads a plan. The layout is decided by what the text holds: phase headings, else Conductor's
/// bold phase items, else Kiro's numbered top-level tasks.
pub fn read(text: &str) -> Result<Plan, PlanError> {
    let (front, body) = front::split(text)?;
    let (front, offset) = match front {
        Some((fm, span)) => (fm, span.closing_line),
        None => (FrontMatter::default(), 0),
    };
    let doc = lines::Doc::new(body, offset)?;
    let (layout, phases) = if doc.lines.iter().any(|l| headings::phase_heading(l, 2).is_some()) {
        (Layout::Headings, headings::read(&doc)?)
    } else if doc.lines.iter().any(|l| conductor::phase_item(l).is_some()) {
        (Layout::Conductor, conductor::read(&doc)?)
    } else if doc.lines.iter().any(|l| kiro::phase_item(l).is_some()) {
        (Layout::Kiro, kiro::read(&doc)?)
    } else {
        return Err(PlanError::at(
            offset + 1,
            "no phase found: write one section per phase, `## Phase 1: Title (Owner)`, or a Conductor list item \
             `1. **Phase 1: Title**`",
        ));
    };
    check_numbers(&phases)?;
    Ok(Plan { layout, title: doc.title(), deployment: doc.deployment(), front, phases })
}

/// Phases are numbered 1, 2, 3… in order, each once.
fn check_numbers(phases: &[Phase]) -> Result<(), PlanError> {
    for (i, p) in phases.iter().enumerate() {
        let expected = i as u32 + 1;
        if let Some(first) = phases[..i].iter().find(|q| q.number == p.number) {
            return Err(PlanError::at(
                p.line,
                format!(
                    "phase {} appears twice (first at line {}); number phases 1, 2, 3… once each",
                    p.number, first.line
                ),
            ));
        }
        if p.number != expected {
            return Err(PlanError::at(
                p.line,
                format!(
                    "phase {} comes where phase {expected} was expected; number phases 1, 2, 3… in order",
                    p.number
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
