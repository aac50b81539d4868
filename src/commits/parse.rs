//! Splitting a commit message into header, body and footer the way
//! `conventional-commits-parser` does with the `conventionalcommits` preset.

/// A message, split. Every line keeps its 1-based line number in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed {
    /// The lines that count (no comments, nothing under the scissors line, no `gpg:` lines).
    pub lines: Vec<(usize, String)>,
    pub header: (usize, String),
    /// `feat` in `feat(parser)!: …`; `None` when the header is not `type(scope): subject`.
    pub kind: Option<String>,
    pub scope: Option<String>,
    pub subject: Option<String>,
    /// `!` before the colon, or a `BREAKING CHANGE:` / `BREAKING-CHANGE:` footer.
    pub breaking: bool,
    pub body: Vec<(usize, String)>,
    pub footer: Vec<(usize, String)>,
}

/// Splits `raw`; `None` when nothing but comments and blank lines remain.
pub fn parse(raw: &str, comment: char) -> Option<Parsed> {
    let scissors = format!("{comment} ------------------------ >8 ------------------------");
    let mut lines: Vec<(usize, String)> = Vec::new();
    for (i, line) in raw.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line == scissors {
            break;
        }
        if line.starts_with(comment) || line.trim_start().starts_with("gpg:") {
            continue;
        }
        lines.push((i + 1, line.to_string()));
    }
    while lines.first().is_some_and(|(_, l)| l.is_empty()) {
        lines.remove(0);
    }
    while lines.last().is_some_and(|(_, l)| l.is_empty()) {
        lines.pop();
    }
    let header = lines.first()?.clone();
    let (kind, scope, subject, bang) = match split_header(&header.1) {
        Some((t, s, sub, bang)) => (Some(t.to_string()), s.map(str::to_string), Some(sub.to_string()), bang),
        None => (None, None, None, false),
    };
    let rest = &lines[1..];
    let footer_at = rest.iter().position(|(_, l)| is_note(l) || has_reference(l)).unwrap_or(rest.len());
    let trim = |v: &[(usize, String)]| -> Vec<(usize, String)> {
        let start = v.iter().position(|(_, l)| !l.is_empty()).unwrap_or(v.len());
        let end = v.iter().rposition(|(_, l)| !l.is_empty()).map_or(start, |e| e + 1);
        v[start..end.max(start)].to_vec()
    };
    let body = trim(&rest[..footer_at]);
    let footer = trim(&rest[footer_at..]);
    let breaking = bang || footer.iter().any(|(_, l)| is_note(l));
    Some(Parsed { header, kind, scope, subject: subject.filter(|s| !s.is_empty()), breaking, body, footer, lines })
}

/// `^(\w*)(?:\((.*)\))?!?: (.*)$`, trying the `!` form first as the preset does (its
/// `breakingHeaderPattern`), with the scope as greedy as the regex's `(.*)`.
fn split_header(h: &str) -> Option<(&str, Option<&str>, &str, bool)> {
    let type_end = h.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(h.len());
    let (kind, after) = h.split_at(type_end);
    for bang in [true, false] {
        let sep: &[&str] = if bang { &["!: "] } else { &["!: ", ": "] };
        if let Some(inner) = after.strip_prefix('(') {
            // The last `)` that the separator follows: the regex's greedy `(.*)`.
            let mut best = None;
            for (i, _) in inner.match_indices(')') {
                let tail = &inner[i + 1..];
                if let Some(s) = sep.iter().find(|s| tail.starts_with(**s)) {
                    best = Some((i, s.len()));
                }
            }
            if let Some((i, n)) = best {
                let subject = &inner[i + 1 + n..];
                let is_bang = inner[i + 1..].starts_with('!');
                return Some((kind, Some(&inner[..i]), subject, is_bang));
            }
        } else if let Some(s) = sep.iter().find(|s| after.starts_with(**s)) {
            return Some((kind, None, &after[s.len()..], s.starts_with('!')));
        }
    }
    None
}

/// `^[\s|*]*(BREAKING CHANGE|BREAKING-CHANGE)[:\s]+(.*)`, case-insensitive.
fn is_note(line: &str) -> bool {
    let l = line.trim_start_matches(|c: char| c.is_whitespace() || c == '|' || c == '*');
    let upper: String = l.chars().take(16).collect::<String>().to_uppercase();
    for kw in ["BREAKING CHANGE", "BREAKING-CHANGE"] {
        if upper.starts_with(kw) {
            let rest = &l[kw.len()..];
            return rest.starts_with(|c: char| c == ':' || c.is_whitespace());
        }
    }
    false
}

/// An issue reference the preset's parser starts a footer at: an action keyword (`closes`,
/// `fixes`, `resolved`…) followed by whitespace, then `#123` further on; lines with a URL excluded.
fn has_reference(line: &str) -> bool {
    if line.contains("http://") || line.contains("https://") {
        return false;
    }
    let lower = line.to_ascii_lowercase();
    let Some(hash) = lower.find('#') else { return false };
    const ACTIONS: [&str; 9] =
        ["close", "closes", "closed", "fix", "fixes", "fixed", "resolve", "resolves", "resolved"];
    let action_before_hash = ACTIONS
        .iter()
        .any(|a| lower[..hash].match_indices(a).any(|(i, _)| lower[i + a.len()..].starts_with(char::is_whitespace)));
    let issue_ok = lower[hash + 1..].starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '-');
    action_before_hash && issue_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_split_like_the_preset() {
        assert_eq!(split_header("feat(parser): read gzip"), Some(("feat", Some("parser"), "read gzip", false)));
        assert_eq!(split_header("feat!: drop v1"), Some(("feat", None, "drop v1", true)));
        assert_eq!(split_header("fix(a)!: x (b): y"), Some(("fix", Some("a"), "x (b): y", true)));
        assert_eq!(split_header("fix(a): x (b): y"), Some(("fix", Some("a): x (b"), "y", false)));
        assert_eq!(split_header("feat:no space"), None);
        assert_eq!(split_header("Update README"), None);
        assert_eq!(split_header(": nothing"), Some(("", None, "nothing", false)));
    }

    #[test]
    fn footers_start_at_notes_and_references() {
        let p = parse("feat: x\n\nbody line\n\nBREAKING CHANGE: gone\nCloses #3\n# a comment\n", '#').unwrap();
        assert_eq!(p.body, vec![(3, "body line".to_string())]);
        assert_eq!(p.footer.len(), 2);
        assert!(p.breaking);
        let p = parse("fix: y\n\nsee https://x.test/#4 closes #4\n", '#').unwrap();
        assert!(p.footer.is_empty(), "a URL line is body");
        let p = parse("fix: y\n\nFixes #12\n", '#').unwrap();
        assert_eq!(p.footer, vec![(3, "Fixes #12".to_string())]);
    }

    #[test]
    fn comments_and_scissors_are_dropped() {
        let raw = "\nfeat: x\n# Please enter the commit message\n# ------------------------ >8 ------------------------\ndiff --git\n";
        let p = parse(raw, '#').unwrap();
        assert_eq!(p.header, (2, "feat: x".to_string()));
        assert_eq!(p.lines.len(), 1);
        assert!(parse("# only\n\n", '#').is_none());
    }
}
