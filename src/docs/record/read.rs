//! Reading a phase record back: the front matter's measured values and verdict (for `temis
//! plan` and the feature's summary), and the commit message (for `commit-msg generate` and the
//! `prepare-commit-msg` hook).

use super::MESSAGE_HEADING;
use crate::plan::front;
use crate::plan::state::Recorded;

/// What a record says: its front matter, or, for a record written by hand in Conductor's style,
/// its `**Review Status:**` line; neither is [`NO_VERDICT`].
pub fn read(text: &str) -> Recorded {
    let fm = match front::split(text) {
        Ok((Some((fm, _)), _)) if fm.scalar("verdict").is_some() => fm,
        _ => return by_hand(text),
    };
    // Front matter without temis's schema (`verdict: APPROVED` typed by someone): a record by
    // hand — its verdict is the writer's, and its figures no one measured.
    if fm.scalar("schema") != Some(super::SCHEMA) {
        let verdict = fm.scalar("verdict").unwrap_or_default().to_ascii_uppercase();
        return Recorded { verdict, by_hand: true, ..Recorded::default() };
    }
    let figures: Vec<(String, String)> = match fm.get("figures").map(|e| &e.value) {
        Some(front::Value::Map(m)) => m.clone(),
        _ => Vec::new(),
    };
    let num = |k: &str| figures.iter().find(|(key, _)| key == k).and_then(|(_, v)| v.parse::<f64>().ok());
    Recorded {
        verdict: fm.scalar("verdict").unwrap_or_default().to_ascii_uppercase(),
        line_coverage: num("line_coverage"),
        branch_coverage: num("branch_coverage"),
        tests_total: num("tests_total").map(|v| v as u64),
        tests_failed: num("tests_failed").map(|v| v as u64),
        line_threshold: fm.nested("thresholds", crate::gate::codes::COVERAGE_LINE).and_then(|v| v.parse().ok()),
        base: fm.scalar("base").map(str::to_string),
        figures,
        by_hand: false,
    }
}

fn by_hand(text: &str) -> Recorded {
    let status = text.lines().find_map(|l| {
        let l = l.trim().trim_start_matches("- ");
        let rest = l.strip_prefix("**Review Status:**").or_else(|| l.strip_prefix("**Status:**"))?;
        Some(rest.split_whitespace().next().unwrap_or("").trim_matches(['*', '`']).to_ascii_uppercase())
    });
    // No verdict written at all (an empty file, a `touch`): no phase approved.
    Recorded { verdict: status.unwrap_or_else(|| NO_VERDICT.to_string()), by_hand: true, ..Recorded::default() }
}

/// What a record written by hand without a `**Review Status:**` (or `**Status:**`) line says: no
/// verdict, which approves nothing.
pub const NO_VERDICT: &str = "NO VERDICT";

/// The commit message a record carries, ending in one line break as a message file does: the
/// fenced block under its message heading (what [`super::render`] writes, [`MESSAGE_HEADING`]; a
/// hand-written `## Commit message` too), else a `commit_message:` in its front matter.
pub fn commit_message(record: &str) -> Option<String> {
    let message = section_message(record).or_else(|| front_matter_message(record))?;
    let message = message.trim_end();
    (!message.trim().is_empty()).then(|| format!("{message}\n"))
}

fn front_matter_message(text: &str) -> Option<String> {
    let body = text.strip_prefix("---\n").or_else(|| text.strip_prefix("---\r\n"))?;
    let end = body.find("\n---")?;
    let mut lines = body[..end].lines().peekable();
    while let Some(line) = lines.next() {
        let Some(value) = line.strip_prefix("commit_message:") else { continue };
        let value = value.trim();
        if value == "|" || value == "|-" || value == "|+" {
            let mut out = Vec::new();
            while let Some(next) = lines.peek() {
                if !next.is_empty() && !next.starts_with(' ') {
                    break;
                }
                out.push(next.strip_prefix("  ").unwrap_or(next.trim_start()));
                lines.next();
            }
            return Some(out.join("\n").trim_end().to_string());
        }
        return Some(unquote(value));
    }
    None
}

/// A one-line YAML scalar: `"a\nb"`, `'it''s'`, or plain.
fn unquote(v: &str) -> String {
    if let Some(inner) = v.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        return inner.replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\");
    }
    if let Some(inner) = v.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')) {
        return inner.replace("''", "'");
    }
    v.to_string()
}

/// Whether a markdown line is the heading the message sits under.
fn is_message_heading(line: &str) -> bool {
    let wanted = MESSAGE_HEADING.trim_start_matches('#').trim();
    let text = line.trim_start_matches('#').trim();
    line.starts_with("##") && (text.eq_ignore_ascii_case(wanted) || text.eq_ignore_ascii_case("commit message"))
}

fn section_message(text: &str) -> Option<String> {
    let mut lines = text.lines();
    lines.find(|l| is_message_heading(l))?;
    let mut fence = None;
    let mut out = Vec::new();
    for line in lines {
        match fence {
            None if line.trim_start().starts_with("```") || line.trim_start().starts_with("~~~") => {
                fence = Some(line.trim_start()[..3].to_string());
            }
            None if line.starts_with('#') => return None,
            None => {}
            Some(ref f) if line.trim_start().starts_with(f.as_str()) => return Some(out.join("\n")),
            Some(_) => out.push(line),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_comes_from_the_section_or_front_matter() {
        let written = "---\nschema: temis.phase/v1\nverdict: APPROVED\n---\n\n# Phase 1\n\n## Git Commit Message\n\n\
                       ```text\nfeat(db): schema\n\n- users table\n```\n";
        assert_eq!(commit_message(written).as_deref(), Some("feat(db): schema\n\n- users table\n"));
        let fm = "---\nphase: 2\ncommit_message: |\n  feat(auth): refresh tokens\n\n  - rotate on use\nverdict: APPROVED\n---\n# Phase 2\n";
        assert_eq!(commit_message(fm).as_deref(), Some("feat(auth): refresh tokens\n\n- rotate on use\n"));
        let quoted = "---\ncommit_message: \"fix: a\\n\\nbody\"\n---\n";
        assert_eq!(commit_message(quoted).as_deref(), Some("fix: a\n\nbody\n"));
        let section = "# Phase 1\n\n## Commit message\n\n```text\nfeat(db): schema\n\n- users table\n```\n\n## Next\n";
        assert_eq!(commit_message(section).as_deref(), Some("feat(db): schema\n\n- users table\n"));
        assert_eq!(commit_message("# Phase 1\n\nno message here\n"), None);
    }

    #[test]
    fn front_matter_and_hand_written_records_read_back() {
        let rec = read(
            "---\nschema: temis.phase/v1\nverdict: APPROVED\nfigures:\n  line_coverage: 100\n  tests_total: 4\n---\n",
        );
        assert_eq!((rec.line_coverage, rec.tests_total, rec.by_hand), (Some(100.0), Some(4), false));
        // The same front matter without temis's schema was typed by someone: by hand, its
        // verdict the writer's, its figures no one's measure.
        let rec = read("---\nverdict: APPROVED\nfigures:\n  line_coverage: 100\n  tests_total: 4\n---\n");
        assert_eq!((rec.line_coverage, rec.tests_total, rec.by_hand), (None, None, true));
        assert!(rec.approves());
        let r = read("## Phase 1 Complete: X\n\n**Review Status:** APPROVED with minor recommendations\n");
        assert!(r.by_hand && r.approves());
        // An empty record (`touch phase-1-complete.md`) approved a phase never gated.
        for text in ["", "## Phase 1 Complete: X\n\nDone.\n", "---\nphase: 1\n---\n"] {
            let r = read(text);
            assert!(!r.approves() && r.verdict == NO_VERDICT, "{text:?}: {r:?}");
        }
    }

    #[test]
    fn the_shipped_records_read_back() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/jwt-auth/plans/jwt-authentication");
        for n in 1..=3 {
            let text = std::fs::read_to_string(dir.join(format!("phase-{n}-complete.md"))).unwrap();
            let message = commit_message(&text).unwrap_or_else(|| panic!("phase {n}: no message read back"));
            assert!(message.contains(&format!("Phase: {n}/3")), "{message}");
            assert!(read(&text).approves());
        }
    }
}
