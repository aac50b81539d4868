//! copilot-orchestra's Conductor plans (`plans/<task>-plan.md`): a numbered list whose items are
//! `**Phase N: Title**`, each with nested `**Objective:**`, `**Files/Functions to Modify/Create:**`,
//! `**Tests to Write:**` and `**Steps:**` fields. The steps are the phase's tasks.

use super::lines::{Collector, Doc, Head, Kind, Line, phase_title};
use super::{Phase, PlanError};

/// The phase a line opens: `1. **Phase 1: Title**`, `- **Phase 1: Title**` or a bold line.
pub(super) fn phase_item(l: &Line) -> Option<Head> {
    let text = match l.kind {
        Kind::Item { text } | Kind::Text(text) => text,
        _ => return None,
    };
    let inner = text.strip_prefix("**")?;
    let end = inner.find("**")?;
    // Bold prose (`**Phase 2 depends on 1**`) is no phase: only readable titles open one.
    phase_title(&inner[..end], l.n, false)
}

pub(super) fn read(doc: &Doc) -> Result<Vec<Phase>, PlanError> {
    let mut phases = Vec::new();
    let mut current: Option<(usize, Collector)> = None;
    for l in &doc.lines {
        if let Some(parsed) = phase_item(l) {
            let (number, title, owner) = parsed?;
            if let Some((_, c)) = current.take() {
                phases.push(c.finish());
            }
            current = Some((l.indent, Collector::new(Phase::new(number, title, owner, l.n))));
            continue;
        }
        let Some((indent, c)) = current.as_mut() else { continue };
        let ends = match l.kind {
            Kind::Heading { .. } => true,
            Kind::Text(t) => l.indent <= *indent && t.starts_with("**"),
            Kind::Item { .. } => l.indent <= *indent,
            _ => false,
        };
        if ends {
            let (_, c) = current.take().expect("a phase is open");
            phases.push(c.finish());
            continue;
        }
        match l.kind {
            Kind::Item { text } => c.item(l.indent, text, l.n)?,
            Kind::Text(text) => c.text(text, l.n)?,
            _ => {}
        }
    }
    if let Some((_, c)) = current {
        phases.push(c.finish());
    }
    Ok(phases)
}
