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
                pathless.push(Annotation { level, path: None, start_line: 0, end_line: 0, title, message });
                continue;
            }
            for e in located {
                let line = e.line.unwrap_or(1).max(1);
                out.push(Annotation {
                    level,
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

    #[test]
    fn mentions_are_broken_and_text_is_capped() {
        assert_eq!(plain_text("hi @everyone\u{7} <img>", 100), "hi @\u{200B}everyone  ‹img›");
        assert_eq!(plain_text("abcdef", 4), "abc…");
    }
}
