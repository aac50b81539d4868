//! `## Phase N: Title (Owner)` sections: temis's `plan.md` and spec-kit's `tasks.md`.
//!
//! A phase runs from its heading to the next heading of the same or a higher level. Deeper
//! headings (`### Tasks`, `### Test requirements`, `### Risks`) and bold labels name the fields;
//! checkbox items anywhere in the phase, outside test requirements and risks, are its tasks.

use super::lines::{Collector, Doc, Head, Kind, Line, field_label, phase_title};
use super::{Phase, PlanError};

/// The phase a heading line opens, if it is one: (level, number, title, owner). A heading of
/// `phase_level` (the phases' own, `##` until one is read) that starts a phase temis cannot read
/// is an error; deeper or higher ones (`### Phase 2 notes`, a `# Phase 1 rollout` title) are prose.
pub(super) fn phase_heading(l: &Line, phase_level: u8) -> Option<(u8, Head)> {
    match l.kind {
        Kind::Heading { level, text } => phase_title(text, l.n, level == phase_level).map(|r| (level, r)),
        _ => None,
    }
}

pub(super) fn read(doc: &Doc) -> Result<Vec<Phase>, PlanError> {
    let mut phases = Vec::new();
    let mut current: Option<(u8, Collector)> = None;
    let mut phase_level = 2;
    for l in &doc.lines {
        if let Some((level, parsed)) = phase_heading(l, phase_level) {
            let (number, title, owner) = parsed?;
            if phases.is_empty() && current.is_none() {
                phase_level = level;
            }
            if let Some((_, c)) = current.take() {
                phases.push(c.finish());
            }
            current = Some((level, Collector::new(Phase::new(number, title, owner, l.n))));
            continue;
        }
        let Some((level, c)) = current.as_mut() else { continue };
        match l.kind {
            Kind::Heading { level: h, .. } if h <= *level => {
                let (_, c) = current.take().expect("a phase is open");
                phases.push(c.finish());
            }
            Kind::Heading { text, .. } => {
                let (field, rest) = field_label(&format!("{}:", text.trim_end_matches(':')))
                    .map(|(f, r)| (f, r.to_string()))
                    .unwrap_or((super::lines::Field::Other, String::new()));
                c.field(field, &rest, l.n)?;
            }
            Kind::Item { text } => c.item(l.indent, text, l.n)?,
            Kind::Text(text) => c.text(text, l.n)?,
            Kind::Blank | Kind::Code => {}
        }
    }
    if let Some((_, c)) = current {
        phases.push(c.finish());
    }
    // spec-kit titles carry parentheses that are not owners: "Foundational (Blocking Prerequisites)".
    let speckit = phases.iter().flat_map(|p| &p.tasks).any(|t| t.id.as_deref().is_some_and(|i| i.starts_with('T')));
    if speckit {
        for p in &mut phases {
            if let Some(o) = p.owner.take() {
                p.title = format!("{} ({o})", p.title);
            }
        }
    }
    Ok(phases)
}
