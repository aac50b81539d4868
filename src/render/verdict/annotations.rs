//! The annotations a verdict leaves on a pull request's diff, most important first.
//!
//! One list feeds both channels: workflow commands in the log (GitHub shows 10 errors and 10
//! warnings per step, so the order decides what is seen) and a check run's annotations (50 per
//! request). The order is: uncovered lines the change added, then the evidence of the checks that
//! block, then warnings; pathless checks come last within their level.

use crate::gate::{Outcome, Verdict};

/// How serious an annotation is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Failure,
    Warning,
    Notice,
}

impl Level {
    /// The workflow command: `error`, `warning`, `notice`.
    pub fn command(self) -> &'static str {
        match self {
            Level::Failure => "error",
            Level::Warning => "warning",
            Level::Notice => "notice",
        }
    }

    /// The Checks API's `annotation_level`.
    pub fn api(self) -> &'static str {
        match self {
            Level::Failure => "failure",
            Level::Warning => "warning",
            Level::Notice => "notice",
        }
    }
}

/// One annotation. Text is as the reports wrote it: each channel escapes it its own way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Annotation {
    pub level: Level,
    /// The check code it comes from (`patch-coverage-below-threshold` for uncovered added lines).
    pub code: &'static str,
    /// What the annotation is about, without its line numbers: with the code, the path and the
    /// title, what identifies it from one run to the next ([`fingerprints`]).
    pub key: String,
    /// Repository-relative path; `None` for a check that names no file.
    pub path: Option<String>,
    pub start_line: u32,
    pub end_line: u32,
    pub title: String,
    pub message: String,
}

/// Every annotation of `v` (the change's uncovered added lines first), most important first.
pub fn collect(v: &Verdict) -> Vec<Annotation> {
    let mut out = Vec::new();
    if let Some(p) = &v.patch {
        let coverage_blocks = v.checks.iter().any(|c| c.outcome == Outcome::Fail && c.family == "coverage");
        let level = if coverage_blocks { Level::Failure } else { Level::Warning };
        let figure = match p.percent() {
            Some(pct) => format!(
                "patch coverage {} %: {} of {} added lines covered",
                crate::gate::verdict::trim_number(pct),
                p.lines.covered,
                p.lines.total
            ),
            None => "the change added no coverable line".to_string(),
        };
        for (path, ranges) in p.uncovered() {
            for &(a, b) in ranges {
                let which = if a == b { format!("Added line {a} is") } else { format!("Added lines {a}-{b} are") };
                out.push(Annotation {
                    level,
                    code: crate::gate::codes::PATCH_COVERAGE,
                    key: format!("{} uncovered added line(s)", b - a + 1),
                    path: Some(path.to_string()),
                    start_line: a,
                    end_line: b,
                    title: "temis: uncovered added lines".to_string(),
                    message: format!("{which} not covered by the tests ({figure})"),
                });
            }
        }
    }
    for (outcome, level) in [(Outcome::Fail, Level::Failure), (Outcome::Warn, Level::Warning)] {
        let mut pathless = Vec::new();
        for c in super::ordered(v).into_iter().filter(|c| c.outcome == outcome) {
            let title = format!("temis: {} ({})", c.title, c.code);
            let located: Vec<_> = c.evidence.iter().filter(|e| e.path.is_some()).collect();
            if located.is_empty() {
                let mut message = c.message.clone();
                if let Some(h) = &c.hint {
                    message.push('\n');
                    message.push_str(h);
                }
                let key = c.message.clone();
                pathless.push(Annotation {
                    level,
                    code: c.code,
                    key,
                    path: None,
                    start_line: 0,
                    end_line: 0,
                    title,
                    message,
                });
                continue;
            }
            for e in located {
                let line = e.line.unwrap_or(1).max(1);
                out.push(Annotation {
                    level,
                    code: c.code,
                    key: e.text.clone(),
                    path: e.path.clone(),
                    start_line: line,
                    end_line: line,
                    title: title.clone(),
                    message: format!("{}\n{}", e.text, c.message),
                });
            }
        }
        out.extend(pathless);
    }
    out
}

/// A stable identity for each annotation of `list`, 32 hex digits: the SHA-256 of its check
/// code, path, title and [`key`](Annotation::key), and of how many annotations before it share
/// all four. Lines are left out, so a finding keeps its fingerprint when code above it moves it;
/// GitLab's Code Quality widget, Bitbucket's annotations and warnings-ng's issues use it to tell
/// a finding that stayed from a new one.
pub fn fingerprints(list: &[Annotation]) -> Vec<String> {
    use sha2::{Digest, Sha256};
    let mut seen: std::collections::HashMap<[u8; 32], u32> = std::collections::HashMap::new();
    list.iter()
        .map(|a| {
            let mut h = Sha256::new();
            for part in [a.code, a.path.as_deref().unwrap_or_default(), &a.title, &a.key] {
                h.update(part.as_bytes());
                h.update([0]);
            }
            let base: [u8; 32] = h.finalize().into();
            let n = seen.entry(base).or_insert(0);
            let mut h = Sha256::new();
            h.update(base);
            h.update(n.to_be_bytes());
            *n += 1;
            h.finalize()[..16].iter().map(|b| format!("{b:02x}")).collect()
        })
        .collect()
}

/// Plain text for the API's plain-text fields (annotation titles and messages): no control
/// characters but line breaks and tabs, @mentions broken with a zero-width space, `<` and `>` as
/// `‹` and `›` (no tag survives, should a field ever be rendered), at most `max` characters.
pub fn plain_text(s: &str, max: usize) -> String {
    let mut out = String::with_capacity(s.len().min(max.saturating_mul(4)));
    let mut count = 0;
    for ch in s.chars() {
        let piece: &[char] = match ch {
            '@' => &['@', '\u{200B}'],
            '<' => &['‹'],
            '>' => &['›'],
            '\n' | '\t' => &[ch],
            c if c.is_control() => &[' '],
            _ => &[ch],
        };
        if count + piece.len() >= max {
            out.push('…');
            break;
        }
        out.extend(piece);
        count += piece.len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uncovered(path: &str, a: u32, b: u32) -> Annotation {
        Annotation {
            level: Level::Warning,
            code: "patch-coverage-below-threshold",
            key: format!("{} uncovered added line(s)", b - a + 1),
            path: Some(path.into()),
            start_line: a,
            end_line: b,
            title: "temis: uncovered added lines".into(),
            message: format!("Added lines {a}-{b} are not covered"),
        }
    }

    #[test]
    fn fingerprints_survive_a_move_and_tell_twins_apart() {
        let before = [uncovered("src/a.rs", 10, 12), uncovered("src/a.rs", 40, 42), uncovered("src/b.rs", 10, 12)];
        let after = [uncovered("src/a.rs", 40, 42), uncovered("src/a.rs", 70, 72), uncovered("src/b.rs", 10, 11)];
        let (f, g) = (fingerprints(&before), fingerprints(&after));
        assert_eq!(f[0], g[0], "the finding that moved 30 lines keeps its fingerprint");
        assert_eq!(f[1], g[1]);
        assert_ne!(f[0], f[1], "two alike findings in one file differ");
        assert_ne!(f[2], g[2], "another finding, another fingerprint");
        assert!(f.iter().all(|x| x.len() == 32 && x.chars().all(|c| c.is_ascii_hexdigit())));
    }

    #[test]
    fn mentions_are_broken_and_text_is_capped() {
        assert_eq!(plain_text("hi @everyone\u{7} <img>", 100), "hi @\u{200B}everyone  ‹img›");
        assert_eq!(plain_text("abcdef", 4), "abc…");
    }
}
