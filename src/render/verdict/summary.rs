//! The job summary, the sticky pull-request comment and the check run's summary: the markdown
//! verdict (verdict first, one table, details folded) with the change's patch coverage, fitted
//! to each channel's size limit.
//!
//! Every piece of report text goes through [`escape`](super::markdown::escape) or into a code
//! span; what is added here (figures, run links) is temis's own.

use std::fmt::Write;

use super::markdown;
use crate::gate::Verdict;
use crate::gate::verdict::trim_number;
use crate::model::show_ranges;

/// GitHub refuses a step summary over 1 MiB; keep well under it.
pub const STEP_SUMMARY_MAX_BYTES: usize = 1_000_000;
/// GitHub refuses a comment over 65,536 characters.
pub const COMMENT_MAX_CHARS: usize = 60_000;
/// A check run's `output.summary` and `output.text` take at most 65,535 characters.
pub const CHECK_SUMMARY_MAX_CHARS: usize = 65_000;

/// What the channel adds to the verdict.
#[derive(Clone, Copy, Debug, Default)]
pub struct Extras<'a> {
    /// Notes about the reporting itself (a comment that could not be posted…), already plain.
    pub notes: &'a [String],
    /// The workflow run, for the comment's footer.
    pub run_url: Option<&'a str>,
}

/// The markdown verdict with patch coverage and notes.
pub fn render(v: &Verdict, x: Extras<'_>) -> String {
    let mut headline = String::new();
    let mut folded = String::new();
    if let Some(p) = &v.patch {
        match p.percent() {
            Some(pct) => {
                let _ = writeln!(
                    headline,
                    "**Patch coverage {} %**: {} of {} coverable added lines covered{}\n",
                    trim_number(pct),
                    p.lines.covered,
                    p.lines.total,
                    if p.uncovered().next().is_none() {
                        String::new()
                    } else {
                        " (uncovered ones listed below)".into()
                    }
                );
            }
            None => headline.push_str("**Patch coverage**: the change added no coverable line\n\n"),
        }
        if p.uncovered().next().is_some() {
            let _ = writeln!(folded, "\n<details><summary>Uncovered added lines ({})</summary>\n", p.uncovered_lines());
            for (path, r) in p.uncovered() {
                let _ = writeln!(folded, "- {}: {}", code_span(path), show_ranges(r));
            }
            folded.push_str("\n</details>\n");
        }
    }
    if !x.notes.is_empty() {
        folded.push('\n');
        for n in x.notes {
            let _ = writeln!(folded, "> {}", markdown::escape(n));
        }
    }
    markdown::render_with(v, &headline, &folded)
}

/// The sticky comment: the hidden `marker` first (so the next run finds it), the verdict, and a
/// footer naming the check (`check_name`) and linking the run.
pub fn comment(v: &Verdict, x: Extras<'_>, marker: &str, check_name: &str) -> String {
    note(v, x, marker, check_name, COMMENT_MAX_CHARS, "workflow run")
}

/// The check name every surface defaults to (`--check-name`); a note of another names it.
pub const DEFAULT_CHECK_NAME: &str = "temis";

/// A sticky note of at most `max_chars` characters (each platform's own limit): the hidden
/// `marker`, the verdict, and a footer naming the check when it is not the default (two temis
/// jobs on one change: which note is whose) and linking the run as `run_label` (`pipeline job`,
/// `build`).
pub fn note(v: &Verdict, x: Extras<'_>, marker: &str, check_name: &str, max_chars: usize, run_label: &str) -> String {
    let mut footer = String::from("\n<sub>temis updates this comment on every push");
    if check_name != DEFAULT_CHECK_NAME {
        let _ = write!(footer, " · check {}", code_span(check_name));
    }
    if let Some(url) = x.run_url {
        let _ = write!(footer, " · [{run_label}]({})", url.replace(['(', ')', ' '], ""));
    }
    footer.push_str("</sub>\n");
    let head = format!("{marker}\n");
    let room = max_chars.saturating_sub(head.chars().count() + footer.chars().count());
    format!("{head}{}{footer}", fit_chars(&render(v, x), room))
}

/// A path in a code span: nothing in it renders as markup, HTML or a mention.
pub fn code_span(text: &str) -> String {
    let clean: String = text
        .chars()
        .map(|c| {
            if c == '`' {
                '\''
            } else if c.is_control() {
                ' '
            } else {
                c
            }
        })
        .collect();
    format!("`{clean}`")
}

const TRUNCATED: &str = "\n_… cut to fit; the job summary has the whole verdict._\n";

/// `text` cut to at most `max` characters, at a line end, with any `<details>` it leaves open
/// closed and a note saying so.
pub fn fit_chars(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let budget = max.saturating_sub(TRUNCATED.len() + "</details>\n".len() * 4);
    let end = text.char_indices().nth(budget).map_or(text.len(), |(i, _)| i);
    cut(text, end)
}

/// `text` cut to at most `max` bytes, the same way.
pub fn fit_bytes(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max.saturating_sub(TRUNCATED.len() + "</details>\n".len() * 4);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    cut(text, end)
}

fn cut(text: &str, end: usize) -> String {
    let kept = &text[..text[..end].rfind('\n').map_or(0, |i| i + 1)];
    let mut out = kept.to_string();
    let open = kept.matches("<details>").count().saturating_sub(kept.matches("</details>").count());
    for _ in 0..open.min(4) {
        out.push_str("</details>\n");
    }
    out.push_str(TRUNCATED);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_closes_what_it_left_open_and_says_so() {
        let text = format!("### verdict\n<details><summary>x</summary>\n{}", "- line\n".repeat(10_000));
        let cut = fit_chars(&text, 1_000);
        assert!(cut.chars().count() <= 1_000);
        assert!(cut.ends_with(&format!("</details>\n{TRUNCATED}")), "{cut}");
        assert!(cut.starts_with("### verdict\n"));
        let cut = fit_bytes(&"é\n".repeat(1000), 501);
        assert!(cut.len() <= 501);
    }

    #[test]
    fn code_spans_cannot_be_closed_early() {
        assert_eq!(code_span("a`<b>\n"), "`a'<b> `");
    }
}
