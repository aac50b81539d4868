//! The verdict as a person reads it in a terminal.

use std::fmt::Write;

use super::{ordered, tally};
use crate::gate::{Outcome, Status, Verdict};
use crate::output::Paint;

/// The pieces of evidence shown per check (the markdown shows as many); a line says how many
/// more the verdict holds.
pub(super) const SHOWN: usize = 10;

pub fn render(v: &Verdict, paint: Paint) -> String {
    let mut out = String::new();
    let phase = v.phase.map(|p| format!(" — phase {p}")).unwrap_or_default();
    let _ = writeln!(out, "{}{phase} — policy: {}", paint.bold("temis gate"), v.policy);
    let _ = writeln!(out);
    let width = v.checks.iter().map(|c| c.title.chars().count()).max().unwrap_or(0);
    for c in ordered(v) {
        let label = match c.outcome {
            Outcome::Fail => paint.red(&format!("{:<6}", c.outcome.label())),
            Outcome::Warn | Outcome::Waived => paint.yellow(&format!("{:<6}", c.outcome.label())),
            Outcome::Pass => paint.green(&format!("{:<6}", c.outcome.label())),
            Outcome::Skipped => paint.dim(&format!("{:<6}", c.outcome.label())),
        };
        let pad = width - c.title.chars().count();
        let _ = writeln!(out, "  {label} {}{}  {}", c.title, " ".repeat(pad), one_line(&c.message));
        let indent = " ".repeat(width + 11);
        if let Some(w) = &c.waiver {
            let _ = writeln!(out, "{indent}{} {} ({})", paint.dim("waived:"), one_line(&w.reason), w.at);
        }
        if matches!(c.outcome, Outcome::Fail | Outcome::Warn) {
            if let Some(h) = &c.hint {
                let _ = writeln!(out, "{indent}{} {}", paint.dim("→"), one_line(h));
            }
            for e in c.evidence.iter().take(SHOWN) {
                let place = match (&e.path, e.line) {
                    (Some(p), Some(l)) if !e.text.contains(p.as_str()) => format!("{p}:{l}: "),
                    (Some(p), None) if !e.text.contains(p.as_str()) => format!("{p}: "),
                    _ => String::new(),
                };
                let _ = writeln!(out, "{indent}  {}{}", one_line(&place), one_line(&e.text));
            }
            if let Some(more) = c.evidence.len().checked_sub(SHOWN).filter(|n| *n > 0) {
                let _ = writeln!(
                    out,
                    "{indent}  {}",
                    paint.dim(&format!("… and {more} more (the verdict JSON lists every one)"))
                );
            }
        }
    }
    if let Some(sec) = &v.security {
        let _ = writeln!(out);
        out.push_str(&security_block(sec, paint));
    }
    let _ = writeln!(out);
    let status = match v.status {
        Status::Approved => paint.green(&paint.bold(v.status.label())),
        Status::Blocked => paint.red(&paint.bold(v.status.label())),
        Status::CouldNotJudge => paint.red(&paint.bold(v.status.label())),
    };
    let reports: Vec<&str> = v.reports.iter().map(|r| r.path.as_str()).collect();
    let reports = if reports.is_empty() { "no reports".to_string() } else { reports.join(", ") };
    let _ = writeln!(out, "{status}: {} ({})", tally(v), one_line(&reports));
    out
}

/// The security counts and the OWASP Top 10 table, ten rows.
fn security_block(s: &crate::gate::SecurityFigures, paint: Paint) -> String {
    let mut out = String::new();
    let b = &s.by_severity;
    let mut extra = format!("{} suppressed, {} waived", s.suppressed, s.waived);
    if let Some(e) = s.existing {
        let _ = write!(extra, ", {e} already in the baseline");
    }
    if let Some(f) = s.fixed {
        let _ = write!(extra, ", {f} fixed");
    }
    let _ = writeln!(
        out,
        "{} {} finding(s) judged: {} critical, {} high, {} medium, {} low, {} info, {} unknown ({extra})",
        paint.bold("Security:"),
        s.total,
        b.critical,
        b.high,
        b.medium,
        b.low,
        b.info,
        b.unknown
    );
    let _ = writeln!(out, "{}", paint.bold(&format!("OWASP Top 10 ({}):", s.owasp_edition)));
    let width = s.owasp.iter().map(|r| r.name.chars().count()).max().unwrap_or(0);
    for r in &s.owasp {
        let n = if r.findings == 1 { "1 finding".to_string() } else { format!("{} findings", r.findings) };
        let pad = " ".repeat(width - r.name.chars().count());
        let line = format!("  {} {}:{pad} {n}", r.id, r.name);
        let _ = writeln!(out, "{}", if r.findings > 0 { paint.yellow(&line) } else { line });
    }
    if s.owasp_unplaced > 0 {
        let _ = writeln!(out, "{}", paint.yellow(&unplaced(s.owasp_unplaced)));
    }
    if s.owasp_clean {
        let _ = writeln!(out, "{}", paint.green("OWASP Top 10: clean"));
    }
    out
}

/// What a table of the ten categories leaves out, and why it is not said to be clean.
pub(super) fn unplaced(n: u64) -> String {
    let (n, name) = if n == 1 { ("1 finding".to_string(), "names") } else { (format!("{n} findings"), "name") };
    format!("OWASP Top 10: {n} {name} no CWE or category, in none of the rows: not known to be clean")
}

/// Text from reports on one line: control characters (line breaks, terminal escapes) become
/// spaces, so a test name cannot break the table, start a line of its own or restyle the terminal;
/// and nothing in it reads as a CI runner command (`::cmd::` leading a line, `##[cmd]` or
/// `##vso[` anywhere: `log::break_azure`), since this output often lands in a CI log.
fn one_line(text: &str) -> String {
    let flat: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let flat = super::log::break_azure(&flat);
    match flat.trim_start().strip_prefix("::") {
        Some(rest) => format!(":\u{200B}:{rest}"),
        None => flat,
    }
}

#[cfg(test)]
mod tests {
    use super::one_line;

    #[test]
    fn report_text_stays_on_its_line() {
        assert_eq!(one_line("a\n::error::x\r\u{1b}[31mred"), "a ::error::x  [31mred");
        assert_eq!(one_line("::error::pwned"), ":\u{200B}:error::pwned");
        assert_eq!(one_line("x ##[error]y ##vso[task.complete]"), "x #-#[error]y #-#vso[task.complete]");
        assert_eq!(one_line("tests::parse::ok"), "tests::parse::ok", "ordinary test names are untouched");
    }
}
