//! The commit message a phase record carries (`plans/<feature>/phase-N-complete.md`, written by
//! `temis phase complete`): front matter `commit_message:`, else the fenced block under a
//! `## Commit message` heading. Read by the `prepare-commit-msg` hook.

/// Whether `path` is a phase record: `plans/…/phase-N-complete.md`.
pub fn is_phase_record(path: &str) -> bool {
    path.starts_with("plans/") && phase_number(path).is_some()
}

/// N in `…/phase-N-complete.md`.
pub fn phase_number(path: &str) -> Option<u32> {
    let name = path.rsplit('/').next()?;
    name.strip_prefix("phase-")?.strip_suffix("-complete.md")?.parse().ok()
}

/// The commit message in a phase record, if it has one.
pub fn commit_message(record: &str) -> Option<String> {
    front_matter_message(record).or_else(|| section_message(record)).filter(|m| !m.trim().is_empty())
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

fn section_message(text: &str) -> Option<String> {
    let mut lines = text.lines();
    lines.find(|l| {
        let h = l.trim_start_matches('#');
        l.starts_with("##") && h.trim().eq_ignore_ascii_case("commit message")
    })?;
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
    fn phase_records_are_recognised() {
        assert!(is_phase_record("plans/jwt-auth/phase-2-complete.md"));
        assert_eq!(phase_number("plans/x/phase-12-complete.md"), Some(12));
        assert!(!is_phase_record("plans/x/plan.md") && !is_phase_record("docs/phase-1-complete.md"));
    }

    #[test]
    fn the_message_comes_from_front_matter_or_the_section() {
        let fm = "---\nphase: 2\ncommit_message: |\n  feat(auth): refresh tokens\n\n  - rotate on use\nverdict: APPROVED\n---\n# Phase 2\n";
        assert_eq!(commit_message(fm).as_deref(), Some("feat(auth): refresh tokens\n\n- rotate on use"));
        let quoted = "---\ncommit_message: \"fix: a\\n\\nbody\"\n---\n";
        assert_eq!(commit_message(quoted).as_deref(), Some("fix: a\n\nbody"));
        let section = "# Phase 1\n\n## Commit message\n\n```text\nfeat(db): schema\n\n- users table\n```\n\n## Next\n";
        assert_eq!(commit_message(section).as_deref(), Some("feat(db): schema\n\n- users table"));
        assert_eq!(commit_message("# Phase 1\n\nno message here\n"), None);
    }
}
