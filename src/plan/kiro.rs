//! Kiro's `tasks.md` (`.kiro/specs/<feature>/tasks.md`): top-level checkbox items `- [ ] N. Title`
//! are the phases; `- [ ] N.M Text` items under them are their tasks; plain bullets are details.
//! A phase without sub-tasks is its own single task.

use super::lines::{Doc, Kind, Line, checkbox_task};
use super::{Phase, PlanError, Task};

/// `- [ ] 2. Implement data models` at the left margin: (number, title, done).
pub(super) fn phase_item(l: &Line) -> Option<(u32, String, bool)> {
    let Kind::Item { text } = l.kind else { return None };
    if l.indent > 0 {
        return None;
    }
    let task = checkbox_task(text, l.n).ok()??;
    let id = task.id.as_deref()?;
    let number: u32 = id.parse().ok()?;
    Some((number, task.text, task.done == Some(true)))
}

pub(super) fn read(doc: &Doc) -> Result<Vec<Phase>, PlanError> {
    let mut phases: Vec<(Phase, Task)> = Vec::new();
    for l in &doc.lines {
        if let Some((number, title, done)) = phase_item(l) {
            let own = Task {
                done: Some(done),
                id: Some(number.to_string()),
                parallel: false,
                story: None,
                optional: false,
                text: title.clone(),
                line: l.n,
            };
            phases.push((Phase::new(number, title, None, l.n), own));
            continue;
        }
        let (Some((phase, _)), Kind::Item { text }) = (phases.last_mut(), l.kind) else { continue };
        if let Some(task) = checkbox_task(text, l.n)? {
            phase.tasks.push(task);
        }
    }
    Ok(phases
        .into_iter()
        .map(|(mut p, own)| {
            if p.tasks.is_empty() {
                p.tasks.push(own);
            }
            p
        })
        .collect())
}
