//! The markdown a plan is written in, one line at a time: headings, list items, field labels
//! (`**Tests to Write:**`, `### Risks`), task checkboxes; and a collector that turns the lines of
//! one phase into its tasks, test requirements, risks and reports. Every layout reader shares it.

use super::{Phase, PlanBudget, PlanError, Task};

/// What a line is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind<'a> {
    Blank,
    Heading {
        level: u8,
        text: &'a str,
    },
    /// A list item (`- `, `* `, `+ `, `1. `, `1) `); `text` follows the marker.
    Item {
        text: &'a str,
    },
    Text(&'a str),
    /// A code fence or a line inside one: never a phase, a task or a field.
    Code,
}

#[derive(Clone, Copy, Debug)]
pub(super) struct Line<'a> {
    /// 1-based line number in the file.
    pub n: u32,
    pub raw: &'a str,
    /// Leading spaces (a tab counts 4).
    pub indent: usize,
    pub kind: Kind<'a>,
}

/// A plan's body as classified lines.
pub(super) struct Doc<'a> {
    pub lines: Vec<Line<'a>>,
}

impl<'a> Doc<'a> {
    /// `offset` is the number of lines before `body` in the file (the front matter).
    pub fn new(body: &'a str, offset: u32) -> Result<Self, PlanError> {
        let mut lines = Vec::new();
        let mut fence: Option<&str> = None;
        for (i, raw) in body.lines().enumerate() {
            let n = offset + i as u32 + 1;
            let trimmed = raw.trim_start();
            let indent = raw.len() - trimmed.len() + 3 * raw[..raw.len() - trimmed.len()].matches('\t').count();
            let marker = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m));
            let kind = match (fence, marker) {
                (Some(open), Some(m)) if m == open => {
                    fence = None;
                    Kind::Code
                }
                (Some(_), _) => Kind::Code,
                (None, Some(m)) => {
                    fence = Some(m);
                    Kind::Code
                }
                (None, None) => classify(trimmed),
            };
            lines.push(Line { n, raw, indent, kind });
        }
        Ok(Self { lines })
    }

    /// The first `# Title` (or `## Plan: Title`), without a `Plan:` / `Tasks:` prefix.
    pub fn title(&self) -> Option<String> {
        let headings = self.lines.iter().filter_map(|l| match l.kind {
            Kind::Heading { level, text } => Some((level, text)),
            _ => None,
        });
        let mut best: Option<(u8, &str)> = None;
        for (level, text) in headings {
            let prefixed = strip_label_prefix(text).is_some();
            if level == 1 || (prefixed && best.is_none()) {
                best = Some((level, text));
                if level == 1 {
                    break;
                }
            }
        }
        let text = best?.1;
        let text = strip_label_prefix(text).unwrap_or(text);
        let t = plain(text);
        (!t.is_empty()).then_some(t)
    }

    /// A `## Deployment…` / `## Rollout…` section, as written, blank lines at its ends trimmed.
    pub fn deployment(&self) -> Option<String> {
        let start = self.lines.iter().position(|l| {
            matches!(l.kind, Kind::Heading { text, .. } if {
                let t = plain(text).to_lowercase();
                t.starts_with("deploy") || t.starts_with("rollout") || t.starts_with("release notes")
            })
        })?;
        let Kind::Heading { level, .. } = self.lines[start].kind else { return None };
        let body: Vec<&str> = self.lines[start + 1..]
            .iter()
            .take_while(|l| !matches!(l.kind, Kind::Heading { level: m, .. } if m <= level))
            .map(|l| l.raw)
            .collect();
        let text = body.join("\n");
        let text = text.trim_matches('\n').trim_end();
        (!text.trim().is_empty()).then(|| text.to_string())
    }
}

fn strip_label_prefix(text: &str) -> Option<&str> {
    let t = text.trim();
    for p in ["Plan:", "Tasks:", "Implementation Plan:", "Feature:"] {
        if let Some(rest) = t.strip_prefix(p) {
            return Some(rest.trim());
        }
    }
    None
}

fn classify(trimmed: &str) -> Kind<'_> {
    if trimmed.is_empty() {
        return Kind::Blank;
    }
    let hashes = trimmed.bytes().take_while(|&b| b == b'#').count();
    if (1..=6).contains(&hashes) && trimmed[hashes..].starts_with([' ', '\t']) {
        let text = trimmed[hashes..].trim().trim_end_matches('#').trim_end();
        return Kind::Heading { level: hashes as u8, text };
    }
    for bullet in ["- ", "* ", "+ "] {
        if let Some(rest) = trimmed.strip_prefix(bullet) {
            return Kind::Item { text: rest.trim() };
        }
    }
    if trimmed == "-" || trimmed == "*" {
        return Kind::Item { text: "" };
    }
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=9).contains(&digits) {
        let rest = &trimmed[digits..];
        if let Some(r) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Kind::Item { text: r.trim() };
        }
    }
    Kind::Text(trimmed)
}

/// Markdown emphasis and surrounding whitespace removed: `**Phase 1:**` → `Phase 1:`.
pub(super) fn plain(text: &str) -> String {
    let t = text.trim();
    let t = t.strip_prefix("**").and_then(|s| s.strip_suffix("**")).unwrap_or(t);
    let t = t.strip_prefix("__").and_then(|s| s.strip_suffix("__")).unwrap_or(t);
    t.replace("**", "").trim().to_string()
}

/// The fields a phase's lines can belong to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Field {
    Tasks,
    Tests,
    Risks,
    Reports,
    Budgets,
    Type,
    Owner,
    Objective,
    /// A field temis does not read; its checkbox items are still tasks (spec-kit's
    /// `### Implementation for User Story 1`).
    Other,
}

fn field_named(label: &str) -> Field {
    let mut l = label.trim().trim_end_matches(':').trim().to_lowercase();
    if let Some(i) = l.find(" (") {
        l.truncate(i);
    }
    match l.trim() {
        "tasks"
        | "task list"
        | "steps"
        | "implementation"
        | "implementation tasks"
        | "todo"
        | "to do"
        | "implementation steps" => Field::Tasks,
        "test requirements" | "tests" | "tests to write" | "test cases" | "testing" | "test plan"
        | "tests required" | "required tests" => Field::Tests,
        "risk" | "risks" | "risk assessment" | "known risks" => Field::Risks,
        "reports" | "gate reports" => Field::Reports,
        "budget" | "budgets" | "performance budget" | "performance budgets" => Field::Budgets,
        "type" | "commit type" | "kind" => Field::Type,
        "owner" | "owners" | "assignee" | "agent" => Field::Owner,
        "objective" | "goal" | "purpose" => Field::Objective,
        _ => Field::Other,
    }
}

/// A line that names a field: `**Tests to Write:** a, b`, `**Risk**: x`, `Tasks:`, `Type: feat`.
/// Returns the field and what follows the label on the same line.
pub(super) fn field_label(text: &str) -> Option<(Field, &str)> {
    let t = text.trim();
    if let Some(rest) = t.strip_prefix("**") {
        let end = rest.find("**")?;
        let label = &rest[..end];
        let after = rest[end + 2..].trim_start();
        let (label, after) = match after.strip_prefix(':') {
            Some(a) => (label, a),
            None if label.trim_end().ends_with(':') => (label, after),
            None => return None,
        };
        return Some((field_named(label), after.trim()));
    }
    let (label, rest) = t.split_once(':')?;
    if label.len() > 40 || label.contains(['`', '[', '(']) {
        return None;
    }
    match field_named(label) {
        Field::Other => None,
        f => Some((f, rest.trim())),
    }
}

/// A list item's checkbox task: `[ ] T001 [P] [US1] text`, `[x] 1.2 text`, `[ ]* text`.
/// `None` when the item has no checkbox.
pub(super) fn checkbox_task(text: &str, n: u32) -> Result<Option<Task>, PlanError> {
    let b = text.as_bytes();
    if b.len() < 3 || b[0] != b'[' || b[2] != b']' {
        return Ok(None);
    }
    let after = &text[3..];
    let optional = after.starts_with('*');
    let after = after.strip_prefix('*').unwrap_or(after);
    if !(after.is_empty() || after.starts_with([' ', '\t'])) {
        return Ok(None);
    }
    let done = match b[1] {
        b' ' => false,
        b'x' | b'X' => true,
        b'-' | b'~' | b'/' | b'>' => false,
        other if other.is_ascii_alphanumeric() => {
            return Err(PlanError::at(
                n,
                format!(
                    "`[{}]` is not a task state: write `[ ]` for a task to do and `[x]` for a task done",
                    other as char
                ),
            ));
        }
        _ => return Ok(None),
    };
    let mut task = plain_task(after, n);
    task.done = Some(done);
    task.optional = optional;
    Ok(Some(task))
}

/// A list item without a checkbox, as a step: its ID, markers and text.
pub(super) fn plain_task(text: &str, n: u32) -> Task {
    let mut rest = text.trim();
    let mut id = None;
    let first = rest.split_whitespace().next().unwrap_or("");
    let is_speckit_id = first.len() >= 2 && first.starts_with('T') && first[1..].bytes().all(|b| b.is_ascii_digit());
    let is_numbered = !first.is_empty()
        && first.bytes().next().is_some_and(|b| b.is_ascii_digit())
        && first.trim_end_matches('.').split('.').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    if (is_speckit_id || is_numbered) && first.len() < rest.len() {
        id = Some(first.trim_end_matches('.').to_string());
        rest = rest[first.len()..].trim_start();
    }
    let mut parallel = false;
    let mut story = None;
    while let Some(inner) = rest.strip_prefix('[').and_then(|r| r.split_once(']')) {
        let (marker, after) = inner;
        if marker == "P" {
            parallel = true;
        } else if marker.len() <= 8 && !marker.contains(' ') && !after.starts_with('(') {
            story = Some(marker.to_string());
        } else {
            break;
        }
        rest = after.trim_start();
    }
    Task { done: None, id, parallel, story, optional: false, text: rest.to_string(), line: n }
}

/// Splits an inline field value into items: `a, b, c` when every part is one word or a path.
fn inline_items(rest: &str) -> Vec<String> {
    let rest = rest.trim();
    if rest.is_empty() {
        return Vec::new();
    }
    let parts: Vec<&str> = rest.split(',').map(str::trim).filter(|p| !p.is_empty()).collect();
    if parts.len() > 1 && parts.iter().all(|p| !p.contains(' ')) {
        parts.into_iter().map(|p| p.trim_matches('`').to_string()).collect()
    } else {
        vec![rest.to_string()]
    }
}

/// Gathers one phase's lines into a [`Phase`].
pub(super) struct Collector {
    phase: Phase,
    field: Field,
    /// The current field's list items: (indent, task).
    run: Vec<(usize, Task)>,
}

impl Collector {
    pub fn new(phase: Phase) -> Self {
        Self { phase, field: Field::Other, run: Vec::new() }
    }

    pub fn field(&mut self, field: Field, inline: &str, n: u32) -> Result<(), PlanError> {
        self.flush();
        self.field = field;
        let inline = inline.trim();
        if inline.is_empty() {
            return Ok(());
        }
        match field {
            Field::Type => self.phase.kind = Some(inline.trim_matches('`').to_lowercase()),
            Field::Owner => {
                if self.phase.owner.is_none() {
                    self.phase.owner = Some(plain(inline));
                }
            }
            Field::Objective => self.phase.objective = Some(inline.to_string()),
            Field::Tests => self.phase.tests.extend(inline_items(inline)),
            Field::Risks => self.phase.risks.push(inline.to_string()),
            Field::Reports => {
                for r in inline.split([',', ' ']).map(|r| r.trim().trim_matches('`')).filter(|r| !r.is_empty()) {
                    self.phase.reports.push(r.to_string());
                }
                // `Reports: a, b` is whole on its line: a list below it is not more reports.
                self.field = Field::Other;
            }
            Field::Budgets => {
                for b in inline.split([',', ';']).map(str::trim).filter(|b| !b.is_empty()) {
                    self.phase.budgets.push(PlanBudget::parse(b, n)?);
                }
            }
            Field::Tasks | Field::Other => {
                if let Some(t) = checkbox_task(inline, n)? {
                    self.phase.tasks.push(t);
                }
            }
        }
        Ok(())
    }

    /// A list item inside the phase.
    pub fn item(&mut self, indent: usize, text: &str, n: u32) -> Result<(), PlanError> {
        if let Some((field, rest)) = field_label(text) {
            return self.field(field, rest, n);
        }
        let boxed = checkbox_task(text, n)?;
        match self.field {
            Field::Tests | Field::Risks => {
                let t = boxed.unwrap_or_else(|| plain_task(text, n));
                let target = if self.field == Field::Tests { &mut self.phase.tests } else { &mut self.phase.risks };
                if indent == self.run.first().map_or(indent, |(i, _)| *i) {
                    target.push(t.text.clone());
                }
                self.run.push((indent, t));
            }
            // A checkbox is a task, never a report path.
            Field::Reports if boxed.is_some() => self.run.extend(boxed.map(|t| (indent, t))),
            Field::Reports => self.phase.reports.push(text.trim().trim_matches('`').to_string()),
            Field::Budgets if boxed.is_none() => self.phase.budgets.push(PlanBudget::parse(text, n)?),
            _ => match boxed {
                Some(t) => self.run.push((indent, t)),
                None if self.field == Field::Tasks => self.run.push((indent, plain_task(text, n))),
                None => {}
            },
        }
        Ok(())
    }

    /// A plain text line inside the phase (a field label, or prose).
    pub fn text(&mut self, text: &str, n: u32) -> Result<(), PlanError> {
        if let Some((field, rest)) = field_label(text) {
            return self.field(field, rest, n);
        }
        Ok(())
    }

    /// Ends the current field: checkbox items are its tasks; a field of plain items only keeps
    /// the outermost ones as steps.
    fn flush(&mut self) {
        let run = std::mem::take(&mut self.run);
        if matches!(self.field, Field::Tests | Field::Risks) {
            return;
        }
        if run.iter().any(|(_, t)| t.done.is_some()) {
            self.phase.tasks.extend(run.into_iter().map(|(_, t)| t).filter(|t| t.done.is_some()));
        } else if let Some(min) = run.iter().map(|(i, _)| *i).min() {
            self.phase.tasks.extend(run.into_iter().filter(|(i, _)| *i == min).map(|(_, t)| t));
        }
    }

    pub fn finish(mut self) -> Phase {
        self.flush();
        self.phase
    }
}

/// `Phase N: Title (Owner)` → number, title, owner. `None` when the text does not start with
/// `Phase <number>`; an error when the phase has no title.
/// A phase's number, title and owner, or why its heading is unreadable.
pub(super) type Head = Result<(u32, String, Option<String>), PlanError>;

/// With `strict`, a heading that starts a phase temis cannot read (`Phase 2 (Bob)`, `Phase Two`)
/// is an error; without, it opens no phase.
pub(super) fn phase_title(text: &str, n: u32, strict: bool) -> Option<Head> {
    let t = plain(text);
    let rest = t.get(..5).filter(|p| p.eq_ignore_ascii_case("phase")).map(|_| &t[5..])?;
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    let rest = rest.trim_start();
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    // A phase heading temis cannot read is an error, never passed over with its tasks: the plan
    // lost the phase, and the feature was complete without it.
    let unreadable = |why: &str| {
        strict.then(|| {
            Err(PlanError::at(
                n,
                format!("`{t}` is not a phase heading temis reads ({why}): write `Phase N: Title (Owner)`"),
            ))
        })
    };
    if digits == 0 {
        const WORDS: &[&str] = &[
            "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "i",
            "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x",
        ];
        let word = rest.split(|c: char| !c.is_alphanumeric()).next().unwrap_or_default();
        return WORDS
            .iter()
            .any(|w| w.eq_ignore_ascii_case(word))
            .then(|| unreadable("its number is not in digits"))
            .flatten();
    }
    if digits > 4 {
        return None;
    }
    let number: u32 = rest[..digits].parse().ok()?;
    let after = rest[digits..].trim_start();
    let title = match after.chars().next() {
        None => "",
        Some(c @ (':' | '.' | '-' | '–' | '—')) => after[c.len_utf8()..].trim(),
        Some(_) => return unreadable(&format!("no `:` after its number {number}")),
    };
    let title = title.trim_end_matches("**").trim();
    if title.is_empty() {
        return Some(Err(PlanError::at(
            n,
            format!("phase {number} has no title: write `Phase {number}: Title (Owner)`"),
        )));
    }
    let (title, owner) = split_owner(title);
    Some(Ok((number, title, owner)))
}

/// `Backend services (Hermes)` → (`Backend services`, `Hermes`).
fn split_owner(title: &str) -> (String, Option<String>) {
    if let Some(inner) = title.strip_suffix(')')
        && let Some(open) = inner.rfind('(')
    {
        let owner = inner[open + 1..].trim();
        let before = inner[..open].trim();
        if !owner.is_empty() && !before.is_empty() && owner.len() <= 60 && !owner.contains([':', '(']) {
            return (before.to_string(), Some(owner.to_string()));
        }
    }
    (title.to_string(), None)
}
