//! Conventional Commits 1.0, judged as commitlint's `@commitlint/config-conventional` judges it.
//!
//! The message is split the way `conventional-commits-parser` with the `conventionalcommits`
//! preset splits it (comment lines and everything under git's scissors line dropped; the footer
//! starts at a `BREAKING CHANGE` note or an issue reference such as `Closes #12`), then held
//! against the same rules at the same levels: errors block, warnings (`body-leading-blank`,
//! `footer-leading-blank`) are shown and do not, unless the policy says so. Messages commitlint
//! ignores by default (merges, reverts, `fixup!`, `squash!`, `amend!`, release versions) are
//! ignored here too. Pure: text in, findings out.

mod ignore;
mod parse;

pub use parse::{Parsed, parse};

use crate::policy::CommitsPolicy;
pub use crate::policy::DEFAULT_COMMIT_TYPES as DEFAULT_TYPES;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Error,
    Warning,
}

/// One broken rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub level: Level,
    /// commitlint's rule name (`header-max-length`…).
    pub rule: &'static str,
    /// 1-based line of the message file it is about.
    pub line: usize,
    /// That line's text.
    pub text: String,
    pub message: String,
}

/// The verdict on one message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lint {
    /// Nothing but comments and blank lines (git itself aborts such a commit).
    Empty,
    /// Matched one of the ignore patterns (default or configured); which.
    Ignored(String),
    Checked {
        parsed: Parsed,
        problems: Vec<Problem>,
    },
}

impl Lint {
    pub fn problems(&self) -> &[Problem] {
        match self {
            Lint::Checked { problems, .. } => problems,
            _ => &[],
        }
    }

    /// Whether the message must be refused under `policy`.
    pub fn blocks(&self, policy: &CommitsPolicy) -> bool {
        self.problems().iter().any(|p| p.level == Level::Error || policy.warnings_block)
    }
}

/// Whether git drops the message's `#` lines, as the commit-msg hook can tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comments {
    /// Git opened an editor: it drops every `#` line (its template's and the user's).
    Dropped,
    /// Git opened no editor (`-m`, `-F`: git runs the hook with `GIT_EDITOR=:`): it keeps them.
    Kept,
    /// Not known (`temis commit-msg check FILE`): dropped, unless the message starts with a `#`
    /// line and holds no editor template.
    Guess,
}

impl Comments {
    /// What git does with the `#` lines of the commit its commit-msg hook runs for: it sets
    /// `GIT_EDITOR=:` for the hook when it opened no editor.
    pub fn in_hook() -> Self {
        if std::env::var_os("GIT_EDITOR").is_some_and(|e| e == ":") { Comments::Kept } else { Comments::Dropped }
    }
}

/// Whether `raw`'s `#` lines are the message's own. An editor's template ("# Please enter the
/// commit message…", or the scissors line of `-v`) says git opened one, whatever `comments` says
/// (a user's own `GIT_EDITOR=:` makes the hook look like one without).
fn verbatim(raw: &str, comments: Comments) -> bool {
    let scissors = "# ------------------------ >8 ------------------------";
    let template = || {
        raw.lines().any(|l| {
            let l = l.strip_suffix('\r').unwrap_or(l);
            l.starts_with("# Please enter the commit message") || l == scissors
        })
    };
    match comments {
        Comments::Dropped => false,
        Comments::Kept => !template(),
        Comments::Guess => raw.starts_with('#') && !template(),
    }
}

/// Judges the message text (as the commit-msg hook receives it) against `policy`, its `#` lines
/// guessed to be comments or not ([`Comments::Guess`]).
pub fn lint(raw: &str, policy: &CommitsPolicy) -> Lint {
    lint_with(raw, policy, Comments::Guess)
}

/// [`lint`], knowing what git does with the `#` lines.
pub fn lint_with(raw: &str, policy: &CommitsPolicy, comments: Comments) -> Lint {
    if let Some(why) = ignore::ignored(raw, policy) {
        return Lint::Ignored(why);
    }
    // Git drops `#` lines when it opened an editor, and keeps them with -m and -F: `git commit
    // -m "#42 fix" -m "feat: x"` commits the subject "#42 fix", and was judged by "feat: x".
    let p = match parse(raw, if verbatim(raw, comments) { '\0' } else { '#' }) {
        Some(p) => p,
        None => return Lint::Empty,
    };
    let mut problems = Vec::new();
    let mut add = |level, rule, line: usize, text: &str, message: String| {
        problems.push(Problem { level, rule, line, text: text.to_string(), message });
    };
    let (hl, header) = (p.header.0, p.header.1.as_str());

    if header.trim() != header {
        add(Level::Error, "header-trim", hl, header, "the header must not start or end with whitespace".into());
    }
    let len = js_len(header);
    if len > policy.header_max_length {
        add(
            Level::Error,
            "header-max-length",
            hl,
            header,
            format!("the header is {len} characters long, at most {} allowed", policy.header_max_length),
        );
    }
    match p.kind.as_deref() {
        None | Some("") => add(
            Level::Error,
            "type-empty",
            hl,
            header,
            "no type: the header must read `type(scope): subject`, e.g. `feat(parser): read gzip reports`".into(),
        ),
        Some(t) => {
            if t.to_lowercase() != t {
                add(Level::Error, "type-case", hl, header, format!("the type `{t}` must be lower-case"));
            }
            if !policy.types.iter().any(|x| x == t) {
                add(
                    Level::Error,
                    "type-enum",
                    hl,
                    header,
                    format!("the type `{t}` is not one of: {}", policy.types.join(", ")),
                );
            }
        }
    }
    match p.scope.as_deref() {
        None | Some("") if policy.require_scope && p.kind.is_some() => {
            add(Level::Error, "scope-empty", hl, header, "a scope is required: `type(scope): subject`".into())
        }
        Some(s) if !s.is_empty() && !policy.scopes.is_empty() => {
            for part in s.split(['/', '\\', ',']).map(str::trim) {
                if !policy.scopes.iter().any(|x| x == part) {
                    add(
                        Level::Error,
                        "scope-enum",
                        hl,
                        header,
                        format!("the scope `{part}` is not one of: {}", policy.scopes.join(", ")),
                    );
                }
            }
        }
        _ => {}
    }
    match p.subject.as_deref() {
        None | Some("") => {
            if p.kind.is_some() {
                add(Level::Error, "subject-empty", hl, header, "the subject after `type: ` is empty".into())
            } else {
                add(Level::Error, "subject-empty", hl, header, "no subject: nothing follows `type: `".into())
            }
        }
        Some(s) => {
            if subject_is_capitalised(s) {
                add(
                    Level::Error,
                    "subject-case",
                    hl,
                    header,
                    "the subject must not start with a capital letter (sentence, start, pascal or upper case)".into(),
                );
            }
        }
    }
    let colon_last = header.find(':').is_some_and(|i| i > 0 && i == header.len() - 1);
    if !colon_last && header.ends_with('.') && !header.ends_with("...") {
        add(Level::Error, "subject-full-stop", hl, header, "the subject must not end with a full stop".into());
    }
    // Both blank-line rules look at the raw text, as commitlint does (comment lines included).
    let raw_lines: Vec<&str> = raw.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
    if !p.body.is_empty()
        && let Some(next) = raw_lines.get(hl).filter(|t| !t.is_empty())
    {
        add(
            Level::Warning,
            "body-leading-blank",
            hl + 1,
            next,
            "the body must be separated from the header by a blank line".into(),
        );
    }
    for (line, text) in &p.body {
        if too_long(text, policy.body_max_line_length) {
            add(
                Level::Error,
                "body-max-line-length",
                *line,
                text,
                format!("body line of {} characters, at most {} allowed", js_len(text), policy.body_max_line_length),
            );
        }
    }
    if let Some((fl, ft)) = p.footer.first() {
        let at = raw_lines.iter().position(|l| l == ft).unwrap_or(fl - 1);
        if at > 0 && !raw_lines[at - 1].is_empty() {
            add(
                Level::Warning,
                "footer-leading-blank",
                at + 1,
                ft,
                "the footer must be separated from the body by a blank line".into(),
            );
        }
    }
    for (line, text) in &p.footer {
        if too_long(text, policy.footer_max_line_length) {
            add(
                Level::Error,
                "footer-max-line-length",
                *line,
                text,
                format!(
                    "footer line of {} characters, at most {} allowed",
                    js_len(text),
                    policy.footer_max_line_length
                ),
            );
        }
    }
    problems.sort_by_key(|p| (p.level, p.line));
    Lint::Checked { parsed: p, problems }
}

/// Length as JavaScript counts it (UTF-16 code units), so that limits match commitlint's.
fn js_len(s: &str) -> u64 {
    s.encode_utf16().count() as u64
}

/// commitlint exempts lines holding a URL from line-length limits.
fn too_long(line: &str, max: u64) -> bool {
    js_len(line) > max && !line.contains("http://") && !line.contains("https://")
}

/// config-conventional's `subject-case: never [sentence, start, pascal, upper]`: a subject that
/// starts with a cased letter must not start with a capital one.
fn subject_is_capitalised(subject: &str) -> bool {
    let Some(c) = subject.chars().next() else { return false };
    let cased = c.is_lowercase() || c.is_uppercase();
    cased && c.to_uppercase().eq(std::iter::once(c))
}

#[cfg(test)]
mod tests;
