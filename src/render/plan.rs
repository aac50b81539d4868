//! `temis plan`: the phases of a plan with their state, last verdict and unchecked tasks, for
//! people (a table) and for machines (`temis.plan/v1` JSON).

use std::fmt::Write;

use serde::Serialize;

use crate::gate::verdict::trim_number;
use crate::output::Paint;
use crate::plan::state::{Overview, PhaseView, State};
use crate::plan::{Layout, Plan};

pub const PLAN_SCHEMA: &str = "temis.plan/v1";

/// What the renderers need besides the overview.
pub struct Header<'a> {
    pub plan: &'a Plan,
    /// The plan file, repository-relative.
    pub path: &'a str,
    pub feature: &'a str,
    /// The summary's path when it exists.
    pub summary: Option<&'a str>,
}

fn verdict_cell(p: &PhaseView) -> String {
    if let Some(r) = &p.recorded {
        let mut parts = vec![r.verdict.clone()];
        if let Some(c) = r.line_coverage {
            parts.push(format!("{} %", trim_number(c)));
        }
        if let Some(t) = r.tests_total {
            parts.push(format!("{t} tests"));
        }
        if r.by_hand {
            parts.push("by hand".into());
        }
        return parts.join(" · ");
    }
    if let Some(l) = &p.live {
        let mut parts = vec![format!("{} now", l.verdict.replace('_', " "))];
        if let Some(c) = l.line_coverage {
            parts.push(format!("{} %", trim_number(c)));
        }
        if let Some(t) = l.tests_total {
            parts.push(format!("{t} tests"));
        }
        return parts.join(" · ");
    }
    "—".to_string()
}

pub fn human(h: &Header<'_>, o: &Overview, paint: Paint) -> String {
    let mut out = String::new();
    let title = h.plan.title.clone().unwrap_or_else(|| h.feature.to_string());
    let layout = match h.plan.layout {
        Layout::Headings => "phase headings",
        Layout::Conductor => "Conductor",
        Layout::Kiro => "Kiro tasks",
    };
    let _ = writeln!(out, "{} — {} ({layout})", paint.bold(&title), h.path);
    let approval = match (&o.approved, &o.approved_by) {
        (true, Some(by)) => format!("approved by {by}"),
        (true, None) => "approved".to_string(),
        (false, _) => paint.yellow("not approved yet"),
    };
    let current = o.current.map(|n| format!(" · current: phase {n}")).unwrap_or_default();
    let _ = writeln!(out, "{approval} · {} of {} phases complete{current}\n", o.complete, o.phases.len());

    let rows: Vec<[String; 6]> = o
        .phases
        .iter()
        .map(|p| {
            let (done, total) = (p.tasks_done, p.tasks_total);
            [
                format!("{} {}", if p.current { "▶" } else { " " }, p.number),
                p.title.clone(),
                p.owner.clone().unwrap_or_else(|| "—".into()),
                p.state.label().to_string(),
                verdict_cell(p),
                if total == 0 { "—".into() } else { format!("{done}/{total}") },
            ]
        })
        .collect();
    let headers = ["  #", "PHASE", "OWNER", "STATE", "LAST VERDICT", "TASKS"];
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let mut s = String::new();
        for (i, (c, w)) in cells.iter().zip(&widths).enumerate() {
            s.push_str(c);
            if i + 1 < cells.len() {
                s.push_str(&" ".repeat(w - c.chars().count() + 2));
            }
        }
        s.trim_end().to_string()
    };
    let _ = writeln!(out, "{}", paint.bold(&line(&headers.map(String::from))));
    for (r, p) in rows.iter().zip(&o.phases) {
        let text = line(r);
        let text = match p.state {
            State::Complete => paint.green(&text),
            State::Blocked => paint.red(&text),
            _ => text,
        };
        let _ = writeln!(out, "{text}");
    }

    if let Some(cur) = o.phases.iter().find(|p| p.current) {
        let _ = writeln!(out, "\nPhase {} — {}: {}", cur.number, cur.title, cur.state.label());
        if let Some(l) = &cur.live {
            for why in &l.stale {
                let _ = writeln!(out, "  {} {why}", paint.yellow("note:"));
            }
            if !l.blocking.is_empty() {
                let _ = writeln!(out, "  blocking:");
                for b in &l.blocking {
                    let _ = writeln!(out, "    - {b}");
                }
            }
        }
        if !cur.open_tasks.is_empty() {
            let _ = writeln!(out, "  unchecked tasks:");
            for t in &cur.open_tasks {
                let id = t.id.as_deref().map(|i| format!("{i} ")).unwrap_or_default();
                let _ = writeln!(out, "    - [ ] {id}{} (line {})", t.text, t.line);
            }
        }
    }
    let _ = writeln!(out, "\nnext: {}", next_step(h, o));
    out
}

/// The one thing to do next.
pub fn next_step(h: &Header<'_>, o: &Overview) -> String {
    if !o.approved {
        return format!("review {}, then approve it: temis plan approve {}", h.path, h.path);
    }
    match o.phases.iter().find(|p| p.current) {
        Some(p) if p.state == State::Blocked => {
            format!(
                "fix what blocks phase {n} (temis gate --phase {n} says why), then temis phase complete {n}",
                n = p.number
            )
        }
        Some(p) => format!("finish phase {n} — {}, then temis phase complete {n}", p.title, n = p.number),
        None => match h.summary {
            Some(s) => format!("nothing: every phase is complete and summarized in {s}"),
            None => "every phase is complete: temis phase summary".to_string(),
        },
    }
}

#[derive(Serialize)]
struct Doc<'a> {
    schema: &'static str,
    plan: &'a str,
    feature: &'a str,
    title: Option<&'a str>,
    layout: Layout,
    #[serde(flatten)]
    overview: &'a Overview,
    next: String,
}

pub fn json(h: &Header<'_>, o: &Overview) -> String {
    let doc = Doc {
        schema: PLAN_SCHEMA,
        plan: h.path,
        feature: h.feature,
        title: h.plan.title.as_deref(),
        layout: h.plan.layout,
        overview: o,
        next: next_step(h, o),
    };
    let mut s = serde_json::to_string_pretty(&doc).expect("an overview serializes");
    s.push('\n');
    s
}
