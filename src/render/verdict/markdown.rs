//! Markdown for PR comments and `$GITHUB_STEP_SUMMARY`.

use std::fmt::Write;

use super::{ordered, tally};
use crate::gate::{Outcome, Status, Verdict};

/// Escapes untrusted text for a markdown table cell: no HTML, no markup, no @mentions, no
/// line breaks.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '@' => out.push_str("&#64;"),
            '|' => out.push_str("\\|"),
            '\n' | '\r' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '~' | '!' => {
                out.push('\\');
                out.push(ch);
            }
            c => out.push(c),
        }
    }
    out
}

pub fn render(v: &Verdict) -> String {
    render_with(v, "", "")
}

/// [`render`] with `headline` (markdown, already escaped) under the tally line and `folded`
/// after the details.
pub fn render_with(v: &Verdict, headline: &str, folded: &str) -> String {
    let mut out = String::new();
    let icon = match v.status {
        Status::Approved => "✅",
        Status::Blocked => "❌",
        Status::CouldNotJudge => "⚠️",
    };
    let phase = v.phase.map(|p| format!(" — phase {p}")).unwrap_or_default();
    let _ = writeln!(out, "### {icon} temis: {}{phase}\n", v.status.label());
    let _ = writeln!(out, "{} · policy: {}\n", tally(v), escape(&v.policy));
    out.push_str(headline);
    let _ = writeln!(out, "| | Check | Result |\n| --- | --- | --- |");
    for c in ordered(v) {
        let mark = match c.outcome {
            Outcome::Fail => "❌",
            Outcome::Waived => "🟡",
            Outcome::Warn => "⚠️",
            Outcome::Pass => "✅",
            Outcome::Skipped => "➖",
        };
        let mut cell = escape(&c.message);
        if let Some(w) = &c.waiver {
            let _ = write!(cell, "<br>waived: {} ({})", escape(&w.reason), escape(&w.at));
        }
        let _ = writeln!(out, "| {mark} | {} <sub>`{}`</sub> | {cell} |", escape(&c.title), c.code);
    }
    if let Some(sec) = &v.security {
        out.push_str(&security_block(sec));
    }
    let details: Vec<_> = ordered(v)
        .into_iter()
        .filter(|c| matches!(c.outcome, Outcome::Fail | Outcome::Warn) && (!c.evidence.is_empty() || c.hint.is_some()))
        .collect();
    if !details.is_empty() {
        let _ = writeln!(out, "\n<details><summary>What to fix</summary>\n");
        for c in details {
            let _ = writeln!(out, "**{}** — {}\n", escape(&c.title), c.hint.as_deref().map(escape).unwrap_or_default());
            for e in c.evidence.iter().take(super::human::SHOWN) {
                let place = e.path.as_deref().map(|p| format!("`{}` ", p.replace('`', "'"))).unwrap_or_default();
                let _ = writeln!(out, "- {place}{}", escape(&e.text));
            }
            if let Some(more) = c.evidence.len().checked_sub(super::human::SHOWN).filter(|n| *n > 0) {
                let _ = writeln!(out, "- … and {more} more (the verdict JSON lists every one)");
            }
            out.push('\n');
        }
        let _ = writeln!(out, "</details>");
    }
    out.push_str(folded);
    out
}

/// The security counts and the OWASP Top 10 table, ten rows.
fn security_block(s: &crate::gate::SecurityFigures) -> String {
    let mut out = String::new();
    let b = &s.by_severity;
    let _ = writeln!(
        out,
        "\n**Security:** {} finding(s) judged — {} critical, {} high, {} medium, {} low, {} info, {} unknown; \
         {} suppressed, {} waived{}{}\n",
        s.total,
        b.critical,
        b.high,
        b.medium,
        b.low,
        b.info,
        b.unknown,
        s.suppressed,
        s.waived,
        s.existing.map(|e| format!(", {e} already in the baseline")).unwrap_or_default(),
        s.fixed.map(|f| format!(", {f} fixed")).unwrap_or_default(),
    );
    let _ = writeln!(out, "| OWASP Top 10 ({}) | Findings |\n| --- | ---: |", s.owasp_edition);
    for r in &s.owasp {
        let _ = writeln!(out, "| {} {} | {} |", r.id, escape(&r.name), r.findings);
    }
    if s.owasp_unplaced > 0 {
        let _ = writeln!(out, "\n⚠️ {}", super::human::unplaced(s.owasp_unplaced));
    }
    if s.owasp_clean {
        let _ = writeln!(out, "\n✅ OWASP Top 10: clean");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untrusted_text_cannot_inject() {
        assert_eq!(escape("<img src=x> @admin | *x*"), "&lt;img src=x&gt; &#64;admin \\| \\*x\\*");
        assert_eq!(escape("a\nb"), "a b");
    }
}
