//! `temis hooks install|uninstall|status|doctor`: put the shims where git runs hooks from, keep
//! and chain whatever was there, and put it back byte for byte.
//!
//! Nothing a user wrote is lost: a foreign hook is hard-linked to `HOOK.pre-temis` before the shim
//! replaces it (both names exist at every moment), every write is a rename of a finished temporary
//! file, and a file without temis's marker is never removed. A `core.hooksPath` that points
//! elsewhere (husky's `.husky/_`, a global directory) is refused unless `--use-hooks-path` says to
//! write there.

use std::fs;
use std::path::{Path, PathBuf};

mod doctor;

use super::Outcome;
use crate::app::write::{self, Mode};
use crate::error::Error;
use crate::git::{ConfigScope, Layout, Repo};
use crate::hooks::{self, Event, LEGACY_SUFFIX, Manager};
use crate::output::{Output, Paint};

pub const AFTER_HELP: &str = "The hooks go where git itself runs hooks from: core.hooksPath when set (local or \
global), else hooks/ in the common git directory, which linked worktrees share; a submodule has its own. A hook \
already there is kept as HOOK.pre-temis and runs first; `temis hooks uninstall` puts it back byte for byte.

Each hook finds temis through $TEMIS_BIN, then the path recorded at install time, then PATH. When the \
repository has a temis.toml and temis cannot be found, the hook fails closed and says how to bypass it: \
`git commit --no-verify`, or TEMIS_SKIP=HOOK (TEMIS_SKIP=all for every temis hook). TEMIS_SKIP skips \
temis's check only: the hook that was there before still runs (--no-verify skips every hook).

Examples:
  temis hooks install                      all four hooks
  temis hooks install pre-commit commit-msg
  temis hooks install --use-hooks-path     write into the directory core.hooksPath names (husky's .husky/_)
  temis hooks doctor                       check the set-up, as a GUI git client would run it";

#[derive(Debug, clap::Args)]
pub struct HooksArgs {
    #[command(subcommand)]
    pub action: HooksAction,
}

#[derive(Debug, clap::Subcommand)]
pub enum HooksAction {
    /// Install the hooks (all four by default), keeping and chaining any hook already there.
    Install(InstallArgs),
    /// Remove temis's hooks and put back the hooks they replaced, byte for byte.
    Uninstall(Select),
    /// Show which hooks are installed, where, and what they chain.
    Status(Select),
    /// Check everything a hook needs to run, including from a GUI client's minimal PATH.
    Doctor(Select),
}

#[derive(Debug, Clone, clap::Args)]
pub struct Select {
    /// Hooks to act on [default: pre-commit, prepare-commit-msg, commit-msg, pre-push].
    #[arg(value_enum, value_name = "HOOK")]
    pub hooks: Vec<Event>,
}

impl Select {
    fn events(&self) -> Vec<Event> {
        if self.hooks.is_empty() {
            return Event::ALL.to_vec();
        }
        let mut v = self.hooks.clone();
        v.sort();
        v.dedup();
        v
    }
}

#[derive(Debug, clap::Args)]
pub struct InstallArgs {
    #[command(flatten)]
    pub select: Select,

    /// Write into the directory core.hooksPath names even though another manager (husky) or
    /// another scope (global) owns it; what is there is kept and chained like any foreign hook.
    #[arg(long)]
    pub use_hooks_path: bool,

    /// The temis binary the hooks record [default: this one].
    #[arg(long, value_name = "PATH")]
    pub bin: Option<PathBuf>,
}

pub fn run(args: HooksArgs, out: Output) -> Result<Outcome, Error> {
    let repo = Repo::open_from_env().map_err(|e| Error::usage(format!("{e}; run this inside a git repository")))?;
    let layout = repo.layout()?;
    match args.action {
        HooksAction::Install(a) => install(&layout, &a, out),
        HooksAction::Uninstall(s) => uninstall(&layout, &s.events(), out),
        HooksAction::Status(s) => status(&layout, &s.events(), out),
        HooksAction::Doctor(s) => doctor::run(&layout, &s.events(), out),
    }
}

fn say(out: Output, text: &str) -> Result<(), Error> {
    out.stdout(text).map_err(|e| Error::Write { path: "stdout".into(), source: e })
}

/// What is at a hook's path.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum State {
    Missing,
    /// temis's shim; whether it is byte-identical to what this binary would write, and whether
    /// someone changed it since a temis wrote it.
    Ours {
        current: bool,
        bin: Option<String>,
        edited: bool,
    },
    Foreign(Option<Manager>),
}

fn state(path: &Path, e: Event, expected: &str) -> State {
    match fs::read(path) {
        // A symbolic link whose target is gone is still the user's hook: kept, never replaced.
        Err(_) if fs::symlink_metadata(path).is_ok() => State::Foreign(None),
        Err(_) => State::Missing,
        Ok(bytes) if hooks::is_ours(&bytes) => State::Ours {
            current: bytes == expected.as_bytes(),
            bin: hooks::recorded_bin(&String::from_utf8_lossy(&bytes)),
            edited: !hooks::as_written(&bytes, e),
        },
        Ok(bytes) => State::Foreign(Manager::of_hook(&bytes)),
    }
}

fn legacy_path(dir: &Path, e: Event) -> PathBuf {
    dir.join(format!("{}{LEGACY_SUFFIX}", e.name()))
}

/// Where the pre-commit framework keeps the hook it found (`pre-commit install` over temis's
/// shim: "migration mode") and runs it first: `HOOK.legacy`.
fn framework_legacy_path(dir: &Path, e: Event) -> PathBuf {
    dir.join(format!("{}.legacy", e.name()))
}

/// Whether the hook at `path` is the pre-commit framework's, running temis's shim it moved to
/// `HOOK.legacy` (and the state of that shim).
pub(super) fn run_by_framework(path: &Path, dir: &Path, e: Event, expected: &str) -> Option<State> {
    if state(path, e, "") != State::Foreign(Some(Manager::PreCommit)) {
        return None;
    }
    match state(&framework_legacy_path(dir, e), e, expected) {
        ours @ State::Ours { .. } => Some(ours),
        _ => None,
    }
}

fn edited_path(dir: &Path, e: Event) -> PathBuf {
    dir.join(format!("{}{}", e.name(), hooks::EDITED_SUFFIX))
}

/// Keeps a temis shim someone changed as `HOOK.temis-edited` before it is replaced or removed;
/// returns what to say.
fn keep_edited(path: &Path, dir: &Path, e: Event) -> Result<String, Error> {
    let kept = edited_path(dir, e);
    keep_aside(path, &kept)?;
    Ok(format!(
        "; it had been changed since temis wrote it, and is kept as {}",
        kept.file_name().unwrap_or_default().to_string_lossy()
    ))
}

/// The binary the shims should record.
fn this_binary(explicit: Option<&Path>) -> Result<String, Error> {
    let p = match explicit {
        Some(p) => std::path::absolute(p).map_err(|e| Error::Read { path: p.display().to_string(), source: e })?,
        None => std::env::current_exe().and_then(|p| p.canonicalize()).map_err(Error::OwnBinary)?,
    };
    Ok(p.display().to_string())
}

/// Refuses a `core.hooksPath` that another manager or scope owns, unless told to use it.
fn check_hooks_path(layout: &Layout, events: &[Event], use_it: bool) -> Result<(), Error> {
    let Some(hp) = &layout.hooks_path else { return Ok(()) };
    if same_dir(&hp.resolved, &layout.default_hooks_dir()) || use_it {
        return Ok(());
    }
    // Already ours there (an earlier --use-hooks-path): reinstalling is fine.
    if events.iter().any(|e| hooks::is_ours(&fs::read(hp.resolved.join(e.name())).unwrap_or_default())) {
        return Ok(());
    }
    let owner = Manager::of_hooks_path(&hp.value).or_else(|| {
        events.iter().find_map(|e| fs::read(hp.resolved.join(e.name())).ok().and_then(|b| Manager::of_hook(&b)))
    });
    let whose = match owner {
        Some(m) => format!("That directory belongs to {}", m.name()),
        None if hp.scope == ConfigScope::Global || hp.scope == ConfigScope::System => {
            format!("That directory is set in your {} git config, so it serves every repository", hp.scope.name())
        }
        None => "That directory is not git's default one".to_string(),
    };
    let mut msg = format!(
        "core.hooksPath is set to {:?} ({} config), so git runs hooks from {} and ignores {}. {whose}; temis will \
         not take it over silently.\n  to write temis's hooks there anyway (what is there is kept and runs first): \
         temis hooks install --use-hooks-path",
        hp.value,
        hp.scope.name(),
        hp.resolved.display(),
        layout.default_hooks_dir().display(),
    );
    if owner == Some(Manager::Husky) {
        msg.push_str(
            "\n  husky rewrites .husky/_ when `husky` runs again (npm install): then run that again, or instead add \
             `temis hook pre-commit` to .husky/pre-commit (and `temis hook commit-msg \"$1\"` to .husky/commit-msg)",
        );
    }
    msg.push_str(&format!(
        "\n  or stop using that directory: git config {} --unset core.hooksPath, then temis hooks install",
        hp.scope.flag()
    ));
    Err(Error::usage(msg))
}

fn same_dir(a: &Path, b: &Path) -> bool {
    a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}

fn install(layout: &Layout, args: &InstallArgs, out: Output) -> Result<Outcome, Error> {
    let events = args.select.events();
    check_hooks_path(layout, &events, args.use_hooks_path)?;
    let bin = this_binary(args.bin.as_deref())?;
    if args.bin.is_some() && !doctor::is_executable(Path::new(&bin)) {
        out.warning(&format!(
            "--bin {bin} is not an executable file here: until it is, the hooks look for temis in $TEMIS_BIN and on \
             PATH, and fail closed where there is a temis.toml and no temis (`temis hooks doctor` checks)"
        ));
    }
    let dir = &layout.hooks_dir;
    fs::create_dir_all(dir).map_err(|e| Error::Write { path: dir.display().to_string(), source: e })?;
    let mut text = format!("hooks directory: {}\n", dir.display());
    for e in events {
        let path = dir.join(e.name());
        let shim = hooks::shim(e, &bin);
        let line = match install_one(&path, dir, e, &shim) {
            Ok(line) => line,
            Err(err) => {
                // What was installed before the failure is said, and the failure names the hook.
                say(out, &text)?;
                return Err(err);
            }
        };
        text.push_str(&line);
    }
    text.push_str(&format!(
        "temis for these hooks: $TEMIS_BIN when set, else {bin}, else PATH; check with `temis hooks doctor`\n"
    ));
    say(out, &text)?;
    Ok(Outcome::Ok)
}

/// Installs the shim for `e` at `path`; the line that says what was done.
fn install_one(path: &Path, dir: &Path, e: Event, shim: &str) -> Result<String, Error> {
    // The pre-commit framework already runs temis's shim (it moved it to HOOK.legacy): wrapped
    // again, each ran the other, and the framework refused every commit ("installed in migration
    // mode"). The shim there is brought up to date instead.
    if let Some(kept) = run_by_framework(path, dir, e, shim) {
        let legacy = framework_legacy_path(dir, e);
        let shown = legacy.file_name().unwrap_or_default().to_string_lossy().into_owned();
        return Ok(match kept {
            State::Ours { current: true, .. } => {
                format!("{:<19} already installed (the pre-commit framework runs it as {shown})\n", e.name())
            }
            State::Ours { edited, .. } => {
                let kept = if edited { keep_edited(&legacy, dir, e)? } else { String::new() };
                write_shim(&legacy, shim)?;
                format!("{:<19} updated (the pre-commit framework runs it as {shown}){kept}\n", e.name())
            }
            _ => unreachable!("run_by_framework gives temis's shim only"),
        });
    }
    Ok(match state(path, e, shim) {
        State::Ours { current: true, .. } => format!("{:<19} already installed\n", e.name()),
        State::Ours { edited, .. } => {
            let kept = if edited { keep_edited(path, dir, e)? } else { String::new() };
            write_shim(path, shim)?;
            format!("{:<19} updated{kept}\n", e.name())
        }
        State::Missing => {
            write_shim(path, shim)?;
            format!("{:<19} installed ({})\n", e.name(), e.purpose())
        }
        State::Foreign(manager) => {
            let legacy = legacy_path(dir, e);
            keep_aside(path, &legacy)?;
            if let Err(err) = write_shim(path, shim) {
                // The hook stays as it was, under its one name: a copy left as HOOK.pre-temis
                // made the retry refuse to run ("exists and so does").
                undo_keep_aside(path, &legacy);
                return Err(err);
            }
            let whose = manager.map(|m| format!(" ({}'s)", m.name())).unwrap_or_default();
            format!(
                "{:<19} installed; the hook that was there{whose} is kept as {} and runs first\n",
                e.name(),
                legacy.file_name().unwrap_or_default().to_string_lossy()
            )
        }
    })
}

/// Undoes [`keep_aside`] after the shim could not be written (the hook is still at `path`, or,
/// where it was moved, goes back there).
fn undo_keep_aside(path: &Path, legacy: &Path) {
    if fs::symlink_metadata(path).is_ok() {
        let _ = fs::remove_file(legacy);
    } else {
        let _ = fs::rename(legacy, path);
    }
}

/// Keeps a foreign hook as `legacy` without a moment where neither name exists.
fn keep_aside(path: &Path, legacy: &Path) -> Result<(), Error> {
    if fs::symlink_metadata(legacy).is_ok() {
        return Err(Error::usage(format!(
            "{} exists and so does {}: temis keeps the hook it replaces under that name and will not overwrite \
             it; move one of them away, then run this again",
            path.display(),
            legacy.display()
        )));
    }
    fs::hard_link(path, legacy)
        .or_else(|_| fs::rename(path, legacy))
        .map_err(|e| Error::Write { path: legacy.display().to_string(), source: e })
}

/// Writes a hook shim (executable) by renaming a finished temporary file over `path` (over a
/// link too: the hook a link named was kept aside, the link with it).
fn write_shim(path: &Path, text: &str) -> Result<(), Error> {
    write::replace(path, text.as_bytes(), Mode::Executable)
        .map_err(|e| Error::Write { path: path.display().to_string(), source: e })
}

fn uninstall(layout: &Layout, events: &[Event], out: Output) -> Result<Outcome, Error> {
    let dir = &layout.hooks_dir;
    let mut text = format!("hooks directory: {}\n", dir.display());
    for &e in events {
        let path = dir.join(e.name());
        let legacy = legacy_path(dir, e);
        let has_legacy = fs::symlink_metadata(&legacy).is_ok();
        let line = match state(&path, e, "") {
            State::Ours { edited, .. } if has_legacy => {
                let kept = if edited { keep_edited(&path, dir, e)? } else { String::new() };
                put_back(&legacy, &path)?;
                format!("{:<19} removed; the hook it replaced is back{kept}\n", e.name())
            }
            State::Ours { edited: true, .. } => {
                let kept = keep_edited(&path, dir, e)?;
                // Kept by a hard link, or moved where the file system has none.
                match fs::remove_file(&path) {
                    Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
                        return Err(Error::Write { path: path.display().to_string(), source: err });
                    }
                    _ => {}
                }
                format!("{:<19} removed{kept}\n", e.name())
            }
            State::Ours { .. } => {
                fs::remove_file(&path).map_err(|err| Error::Write { path: path.display().to_string(), source: err })?;
                format!("{:<19} removed\n", e.name())
            }
            State::Missing if has_legacy => {
                fs::rename(&legacy, &path)
                    .map_err(|err| Error::Write { path: path.display().to_string(), source: err })?;
                format!("{:<19} the hook temis had kept aside is back\n", e.name())
            }
            State::Missing => format!("{:<19} not installed\n", e.name()),
            State::Foreign(_) if run_by_framework(&path, dir, e, "").is_some() => {
                // The framework runs HOOK.legacy first: temis's shim goes, and the hook temis had
                // kept (the one there before temis) takes its place there, as it was.
                let framework = framework_legacy_path(dir, e);
                let shown = framework.file_name().unwrap_or_default().to_string_lossy().into_owned();
                let kept = if let State::Ours { edited: true, .. } = state(&framework, e, "") {
                    keep_edited(&framework, dir, e)?
                } else {
                    String::new()
                };
                if has_legacy {
                    put_back(&legacy, &framework)?;
                    format!(
                        "{:<19} temis's hook the pre-commit framework ran as {shown} removed; the hook it replaced is \
                         back as {shown}{kept}\n",
                        e.name()
                    )
                } else {
                    match fs::remove_file(&framework) {
                        Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
                            return Err(Error::Write { path: framework.display().to_string(), source: err });
                        }
                        _ => {}
                    }
                    format!("{:<19} temis's hook the pre-commit framework ran as {shown} removed{kept}\n", e.name())
                }
            }
            State::Foreign(_) => format!("{:<19} not temis's; left alone\n", e.name()),
        };
        text.push_str(&line);
    }
    say(out, &text)?;
    Ok(Outcome::Ok)
}

/// Puts the hook kept as `legacy` back at `path`, over the shim: renamed over it, a file or a link
/// is, without a moment where neither name exists; a folder cannot be renamed over a file, so the
/// shim goes first.
fn put_back(legacy: &Path, path: &Path) -> Result<(), Error> {
    let write = |err| Error::Write { path: path.display().to_string(), source: err };
    if fs::symlink_metadata(legacy).is_ok_and(|m| m.is_dir()) {
        match fs::remove_file(path) {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => return Err(write(err)),
            _ => {}
        }
    }
    fs::rename(legacy, path).map_err(write)
}

fn status(layout: &Layout, events: &[Event], out: Output) -> Result<Outcome, Error> {
    let paint = Paint(out.color());
    let dir = &layout.hooks_dir;
    let mut text = format!("hooks directory: {}", dir.display());
    match &layout.hooks_path {
        Some(hp) => text.push_str(&format!(" (core.hooksPath = {:?}, {} config)\n", hp.value, hp.scope.name())),
        None => text.push_str(if layout.linked_worktree { " (shared with the main worktree)\n" } else { "\n" }),
    }
    let bin = this_binary(None).unwrap_or_default();
    for &e in events {
        let path = dir.join(e.name());
        let chained = fs::symlink_metadata(legacy_path(dir, e)).is_ok();
        let chain = if chained { format!(", runs {}{LEGACY_SUFFIX} first", e.name()) } else { String::new() };
        let line = match state(&path, e, &hooks::shim(e, &bin)) {
            State::Ours { current: true, .. } => format!("{} {:<19} installed{chain}", paint.green("✓"), e.name()),
            State::Ours { edited: true, .. } => format!(
                "{} {:<19} installed and changed since{chain}; `temis hooks install` keeps the change as {}{} and \
                 writes it anew",
                paint.yellow("~"),
                e.name(),
                e.name(),
                hooks::EDITED_SUFFIX
            ),
            State::Ours { bin: recorded, .. } => format!(
                "{} {:<19} installed by another temis ({}){chain}; `temis hooks install` updates it",
                paint.yellow("~"),
                e.name(),
                recorded.unwrap_or_default()
            ),
            State::Missing => format!("{} {:<19} not installed", paint.dim("·"), e.name()),
            State::Foreign(_) if let Some(kept) = run_by_framework(&path, dir, e, &hooks::shim(e, &bin)) => {
                let current = matches!(kept, State::Ours { current: true, .. });
                format!(
                    "{} {:<19} installed, run by the pre-commit framework as {}.legacy{}",
                    if current { paint.green("✓") } else { paint.yellow("~") },
                    e.name(),
                    e.name(),
                    if current { "" } else { "; `temis hooks install` updates it" }
                )
            }
            State::Foreign(m) => format!(
                "{} {:<19} another hook is there{}; `temis hooks install` keeps it and runs it first",
                paint.yellow("!"),
                e.name(),
                m.map(|m| format!(" ({})", m.name())).unwrap_or_default()
            ),
        };
        text.push_str(&line);
        text.push('\n');
    }
    say(out, &text)?;
    Ok(Outcome::Ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A shim that could not be written (a full disk) leaves the hook as it was, under its one
    /// name: a copy left as HOOK.pre-temis made the retry refuse to run.
    #[test]
    fn a_hook_kept_aside_goes_back_when_the_shim_cannot_be_written() {
        let dir = tempfile::tempdir().unwrap();
        let (path, legacy) = (dir.path().join("pre-push"), dir.path().join("pre-push.pre-temis"));
        fs::write(&path, "#!/bin/sh\nexit 0\n").unwrap();
        keep_aside(&path, &legacy).unwrap();
        assert!(legacy.exists());
        undo_keep_aside(&path, &legacy);
        assert!(!legacy.exists());
        assert_eq!(fs::read_to_string(&path).unwrap(), "#!/bin/sh\nexit 0\n");
        // Moved where the file system has no hard links: moved back.
        fs::rename(&path, &legacy).unwrap();
        undo_keep_aside(&path, &legacy);
        assert!(!legacy.exists());
        assert_eq!(fs::read_to_string(&path).unwrap(), "#!/bin/sh\nexit 0\n");
        keep_aside(&path, &legacy).unwrap();
    }
}
