//! The rules of commitlint's `@commitlint/config-conventional`, as temis's own generator must
//! meet them: every message `temis commit-msg generate` writes is checked here before it is
//! printed, and the CI script checks the same messages with the real commitlint.
//!
//! Errors (level 2 in commitlint): type-enum, type-case, type-empty, subject-empty, subject-case
//! (never sentence-, start-, pascal- or upper-case), subject-full-stop, header-max-length 100,
//! header-trim, body-max-line-length 100, footer-max-line-length 100. Warnings (level 1):
//! body-leading-blank, footer-leading-blank — the generator meets those too.

/// commitlint's `type-enum`.
pub const TYPES: &[&str] =
    &["build", "chore", "ci", "docs", "feat", "fix", "perf", "refactor", "revert", "style", "test"];

pub const HEADER_MAX: usize = 100;
pub const LINE_MAX: usize = 100;

/// Every rule `message` breaks, named as commitlint names it.
pub fn problems(message: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut lines = message.lines();
    let header = lines.next().unwrap_or("");
    if header.trim() != header {
        out.push("header-trim: the header has leading or trailing whitespace".to_string());
    }
    if header.chars().count() > HEADER_MAX {
        out.push(format!("header-max-length: {} characters, at most {HEADER_MAX}", header.chars().count()));
    }
    match header.split_once(": ") {
        None => out.push("type-empty / subject-empty: the header is not `type(scope): subject`".to_string()),
        Some((head, subject)) => {
            let ty = head.split('(').next().unwrap_or("").trim_end_matches('!');
            if ty.is_empty() {
                out.push("type-empty: no type".to_string());
            } else if ty != ty.to_lowercase() {
                out.push(format!("type-case: `{ty}` is not lower-case"));
            } else if !TYPES.contains(&ty) {
                out.push(format!("type-enum: `{ty}` is not one of {}", TYPES.join(", ")));
            }
            if head.contains('(') && !head.trim_end_matches('!').ends_with(')') {
                out.push("scope: unbalanced parentheses".to_string());
            }
            let subject = subject.trim();
            if subject.is_empty() {
                out.push("subject-empty: no subject".to_string());
            } else {
                if subject.ends_with('.') {
                    out.push("subject-full-stop: the subject ends with `.`".to_string());
                }
                if let Some(case) = forbidden_case(subject) {
                    out.push(format!("subject-case: the subject is {case}"));
                }
            }
        }
    }
    let rest: Vec<&str> = lines.collect();
    if let Some(first) = rest.first()
        && !first.is_empty()
    {
        out.push("body-leading-blank: the body must follow a blank line".to_string());
    }
    for l in &rest {
        if l.chars().count() > LINE_MAX {
            out.push(format!("body-max-line-length: a line of {} characters, at most {LINE_MAX}", l.chars().count()));
        }
    }
    out
}

/// commitlint's `subject-case: never sentence-case, start-case, pascal-case, upper-case`, after
/// its own rule of ignoring quoted words and subjects that do not start with a letter.
fn forbidden_case(subject: &str) -> Option<&'static str> {
    let stripped = strip_quoted(subject);
    let s = stripped.trim();
    if !s.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    if s == s.to_uppercase() && s.chars().any(char::is_alphabetic) {
        return Some("upper-case");
    }
    let first_upper = s.chars().next().is_some_and(char::is_uppercase);
    if first_upper {
        return Some("sentence-case");
    }
    None
}

fn strip_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut quote: Option<char> = None;
    for c in s.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if matches!(c, '`' | '"' | '\'') && s.matches(c).count() >= 2 => quote = Some(c),
            None => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_conventional_rules_are_enforced() {
        assert!(problems("feat(auth): add token refresh\n\n- body\n\nPlan: plans/x/plan.md\n").is_empty());
        assert!(problems("fix: `Eslint` configuration").is_empty(), "quoted words are ignored");
        let named = |m: &str| problems(m).join("\n");
        assert!(named("Feat: x").contains("type-case"));
        assert!(named("feature: x").contains("type-enum"));
        assert!(named("feat: Add x").contains("sentence-case"));
        assert!(named("feat: ADD X").contains("upper-case"));
        assert!(named("feat: add x.").contains("full-stop"));
        assert!(named("feat: add x\nbody").contains("body-leading-blank"));
        assert!(named(&format!("feat: {}", "x".repeat(100))).contains("header-max-length"));
        assert!(named("add x").contains("type-empty"));
    }
}
