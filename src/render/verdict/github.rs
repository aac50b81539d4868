//! GitHub Actions workflow commands: `::error` and `::warning` annotations, most important first.
//!
//! Escaping follows the runner's rules: in data `%`, CR and LF are percent-encoded; in
//! properties `:` and `,` too. A message can therefore never start a new command.

use std::fmt::Write;

use super::annotations::{Annotation, Level};
use crate::gate::{Outcome, Verdict};

/// GitHub shows at most 10 annotations of each level per step.
pub const MAX_PER_LEVEL: usize = 10;

pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(v: &Verdict) -> String {
    let mut out = String::new();
    for (outcome, level) in [(Outcome::Fail, "error"), (Outcome::Warn, "warning")] {
        for c in super::ordered(v).into_iter().filter(|c| c.outcome == outcome).take(MAX_PER_LEVEL) {
            let mut props = vec![format!("title={}", escape_property(&format!("temis {}: {}", c.code, c.title)))];
            if let Some(e) = c.evidence.iter().find(|e| e.path.is_some()) {
                props.insert(0, format!("file={}", escape_property(e.path.as_deref().unwrap_or_default())));
                if let Some(l) = e.line {
                    props.insert(1, format!("line={l}"));
                }
            }
            let mut msg = c.message.clone();
            if let Some(h) = &c.hint {
                msg.push('\n');
                msg.push_str(h);
            }
            let _ = writeln!(out, "::{level} {}::{}", props.join(","), escape_data(&msg));
        }
    }
    let _ =
        writeln!(out, "::notice title=temis::{}", escape_data(&format!("{}: {}", v.status.label(), super::tally(v))));
    out
}

/// `::error file=…,line=…,endLine=…,title=…::message`, escaped so that no text can start
/// another command.
pub fn command(a: &Annotation) -> String {
    let mut props = Vec::new();
    if let Some(p) = &a.path {
        props.push(format!("file={}", escape_property(p)));
        props.push(format!("line={}", a.start_line));
        if a.end_line > a.start_line {
            props.push(format!("endLine={}", a.end_line));
        }
    }
    props.push(format!("title={}", escape_property(&a.title)));
    format!("::{} {}::{}\n", a.level.command(), props.join(","), escape_data(&a.message))
}

/// The first `max_per_level` errors and warnings of `list` (already most important first), then
/// a notice with the verdict.
pub fn commands(list: &[Annotation], max_per_level: usize, v: &Verdict) -> String {
    let mut out = String::new();
    for level in [Level::Failure, Level::Warning] {
        for a in list.iter().filter(|a| a.level == level).take(max_per_level.min(MAX_PER_LEVEL)) {
            out.push_str(&command(a));
        }
    }
    let _ =
        writeln!(out, "::notice title=temis::{}", escape_data(&format!("{}: {}", v.status.label(), super::tally(v))));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_cannot_start_a_command() {
        assert_eq!(escape_data("x\n::error::pwned 100%"), "x%0A::error::pwned 100%25");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
