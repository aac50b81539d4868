//! `temis hooks doctor`: everything a hook needs to run, checked one line at a time.
//!
//! The checks follow what users of hook managers trip on: git and temis disagreeing on the hooks
//! directory, a `core.hooksPath` that names a missing directory (then no hook runs and git says
//! nothing), a shim without its exec bit or with CRLF line endings, and a binary that a GUI git
//! client, with its short `PATH`, cannot find.

use std::fs;
use std::path::{Path, PathBuf};

use super::{State, legacy_path, run_by_framework, state, this_binary};
use crate::cli::Outcome;
use crate::error::Error;
use crate::git::Layout;
use crate::hooks::{self, Event};
use crate::output::{Output, Paint};

/// The `PATH` a GUI git client (SourceTree, Tower, an IDE started from a launcher) typically has.
pub const GUI_PATH: &str = "/usr/bin:/bin:/usr/sbin:/sbin";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Level {
    Ok,
    Warn,
    Fail,
}

struct Report {
    lines: Vec<(Level, String)>,
}

impl Report {
    fn add(&mut self, level: Level, text: impl Into<String>) {
        self.lines.push((level, text.into()));
    }
}

pub fn run(layout: &Layout, events: &[Event], out: Output) -> Result<Outcome, Error> {
    let mut r = Report { lines: Vec::new() };
    check_git(layout, &mut r);
    check_hooks_path(layout, &mut r);
    let recorded = check_hooks(layout, events, &mut r);
    check_binary(recorded.as_deref(), &mut r);
    check_policy(layout, &mut r);

    let paint = Paint(out.color());
    let mut text = String::new();
    for (level, line) in &r.lines {
        let tag = match level {
            Level::Ok => paint.green("ok  "),
            Level::Warn => paint.yellow("warn"),
            Level::Fail => paint.red("FAIL"),
        };
        text.push_str(&format!("{tag} {line}\n"));
    }
    let fails = r.lines.iter().filter(|(l, _)| *l == Level::Fail).count();
    let warns = r.lines.iter().filter(|(l, _)| *l == Level::Warn).count();
    text.push_str(&format!("{fails} problem{}, {warns} warning{}\n", plural(fails), plural(warns)));
    out.stdout(&text).map_err(|e| Error::Write { path: "stdout".into(), source: e })?;
    Ok(if fails > 0 { Outcome::Blocked } else { Outcome::Ok })
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn check_git(layout: &Layout, r: &mut Report) {
    let cwd = layout.workdir.clone().unwrap_or_else(|| layout.git_dir.clone());
    match crate::git::git_version() {
        Some(v) => r.add(Level::Ok, v),
        None => {
            r.add(Level::Fail, "git is not on PATH: hooks only run under git");
            return;
        }
    }
    if let Some(said) = crate::git::git_hooks_dir(&cwd) {
        let same = said.canonicalize().ok().zip(layout.hooks_dir.canonicalize().ok()).is_some_and(|(a, b)| a == b)
            || said == layout.hooks_dir;
        if same {
            r.add(Level::Ok, format!("git and temis agree on the hooks directory: {}", layout.hooks_dir.display()));
        } else {
            r.add(
                Level::Fail,
                format!(
                    "git runs hooks from {} but temis resolved {}: please report this with `git config --show-origin core.hooksPath`",
                    said.display(),
                    layout.hooks_dir.display()
                ),
            );
        }
    }
}

fn check_hooks_path(layout: &Layout, r: &mut Report) {
    let Some(hp) = &layout.hooks_path else { return };
    if hp.resolved.is_dir() {
        r.add(Level::Ok, format!("core.hooksPath = {:?} ({} config) exists", hp.value, hp.scope.name()));
    } else {
        r.add(
            Level::Fail,
            format!(
                "core.hooksPath = {:?} ({} config) names {}, which does not exist: git runs no hook at all and says \
                 nothing; create it with `temis hooks install --use-hooks-path`, or `git config {} --unset core.hooksPath`",
                hp.value,
                hp.scope.name(),
                hp.resolved.display(),
                hp.scope.flag()
            ),
        );
    }
}

/// Checks each hook file; returns the binary path the shims record.
fn check_hooks(layout: &Layout, events: &[Event], r: &mut Report) -> Option<String> {
    let bin_now = this_binary(None).unwrap_or_default();
    let mut recorded = None;
    for &e in events {
        let path = layout.hooks_dir.join(e.name());
        match state(&path, e, &hooks::shim(e, &bin_now)) {
            State::Missing => {
                r.add(Level::Warn, format!("{}: not installed (`temis hooks install {}`)", e.name(), e.name()))
            }
            // The pre-commit framework runs temis's shim it moved to HOOK.legacy.
            State::Foreign(_)
                if let Some(kept) = run_by_framework(&path, &layout.hooks_dir, e, &hooks::shim(e, &bin_now)) =>
            {
                let note = if matches!(kept, State::Ours { current: true, .. }) {
                    ""
                } else {
                    " (written by another temis build, or changed; `temis hooks install` refreshes it)"
                };
                r.add(
                    Level::Ok,
                    format!("{}: temis's shim, run by the pre-commit framework as {}.legacy{note}", e.name(), e.name()),
                );
                if let State::Ours { bin, .. } = kept {
                    recorded = recorded.or(bin);
                }
            }
            State::Foreign(m) => r.add(
                Level::Warn,
                format!(
                    "{}: another hook is there{}, temis's is not installed",
                    e.name(),
                    m.map(|m| format!(" ({})", m.name())).unwrap_or_default()
                ),
            ),
            State::Ours { current, bin, edited } => {
                let bytes = fs::read(&path).unwrap_or_default();
                let mut problems = Vec::new();
                if !is_executable(&path) {
                    problems.push("not executable: git skips it (`temis hooks install` rewrites it 0755)".to_string());
                }
                if bytes.contains(&b'\r') {
                    problems.push(
                        "has CRLF line endings: `/bin/sh\\r` cannot run (reinstall; mark hooks eol=lf)".to_string(),
                    );
                }
                if !bytes.starts_with(b"#!/bin/sh\n") {
                    problems.push("does not start with #!/bin/sh".to_string());
                }
                if problems.is_empty() {
                    let note = if current {
                        ""
                    } else if edited {
                        " (changed since temis wrote it; `temis hooks install` keeps the change as \
                         HOOK.temis-edited and writes it anew)"
                    } else {
                        " (written by another temis build; `temis hooks install` refreshes it)"
                    };
                    r.add(Level::Ok, format!("{}: temis's shim, executable, LF{note}", e.name()));
                } else {
                    r.add(Level::Fail, format!("{}: {}", e.name(), problems.join("; ")));
                }
                let legacy = legacy_path(&layout.hooks_dir, e);
                if legacy.exists() {
                    if is_executable(&legacy) {
                        r.add(Level::Ok, format!("{}: chains {} (runs first)", e.name(), legacy.display()));
                    } else {
                        r.add(
                            Level::Warn,
                            format!(
                                "{}: {} is kept but not executable, so it does not run (nor did it before)",
                                e.name(),
                                legacy.display()
                            ),
                        );
                    }
                }
                recorded = recorded.or(bin);
            }
        }
    }
    recorded
}

fn check_binary(recorded: Option<&str>, r: &mut Report) {
    let Some(recorded) = recorded else { return };
    let at_recorded = is_executable(Path::new(recorded));
    if at_recorded {
        r.add(Level::Ok, format!("temis recorded by the hooks is there: {recorded}"));
    } else {
        r.add(Level::Warn, format!("temis recorded by the hooks is gone: {recorded} (PATH is searched instead)"));
    }
    if let Ok(t) = std::env::var("TEMIS_BIN")
        && !t.is_empty()
        && !is_executable(Path::new(&t))
    {
        r.add(Level::Fail, format!("TEMIS_BIN={t} is not an executable file"));
    }
    let gui = if at_recorded { Some(PathBuf::from(recorded)) } else { search(GUI_PATH) };
    match gui {
        Some(p) => r.add(Level::Ok, format!("a GUI git client (PATH={GUI_PATH}) finds temis at {}", p.display())),
        None => r.add(
            Level::Fail,
            format!(
                "a GUI git client (PATH={GUI_PATH}) cannot find temis: reinstall the hooks with \
                 `temis hooks install --bin /usr/local/bin/temis` (a path that stays), or link temis into /usr/bin"
            ),
        ),
    }
    let path = std::env::var("PATH").unwrap_or_default();
    if !at_recorded && search(&path).is_none() {
        r.add(Level::Fail, "temis is not on this PATH either: hooks fail closed where a temis.toml exists");
    }
}

fn search(path: &str) -> Option<PathBuf> {
    path.split(':').filter(|d| !d.is_empty()).map(|d| Path::new(d).join("temis")).find(|p| is_executable(p))
}

fn check_policy(layout: &Layout, r: &mut Report) {
    let Some(root) = &layout.workdir else { return };
    let path = root.join("temis.toml");
    match fs::read_to_string(&path) {
        Err(_) => r.add(
            Level::Warn,
            "no temis.toml: the hooks use the embedded default policy, and let commits through when temis is missing",
        ),
        Ok(text) => match crate::policy::Policy::parse("temis.toml", &text) {
            Ok(_) => r.add(Level::Ok, "temis.toml is a valid policy (hooks fail closed when temis is missing)"),
            Err(e) => r.add(Level::Fail, e.to_string()),
        },
    }
}

/// Whether `p` is a file this user may run (the shim's `[ -x … ]`).
#[cfg(unix)]
pub(super) fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
pub(super) fn is_executable(p: &Path) -> bool {
    p.is_file()
}
