//! The one way temis writes a file: into a temporary file beside the target, flushed and synced,
//! then renamed over it, so that a reader (git running a hook, an editor, a CI step) sees the old
//! bytes or the new ones and never a half-written file.
//!
//! A symbolic link is written through: the file it names gets the new bytes and the link stays
//! (a record or a baseline kept in another folder of the repository stays linked) — only within
//! the git work tree the link is in (else the link's own folder): a link a cloned repository
//! holds (`.temis/security-baseline.json -> ~/.bashrc`) never makes temis write outside it.
//! Only a hook shim replaces what is at its path ([`replace`]: the hook there was kept aside
//! first).
//!
//! The file keeps the mode it had; a new file gets the mode any new file gets (0666, or 0777 for
//! an executable, less the umask: 0644 and 0755 with the usual umask), never a temporary file's
//! 0600. The temporary file is removed on every error path (it is deleted when dropped unless it
//! was renamed into place), an interruption included: while a file is written, SIGINT, SIGTERM
//! and SIGHUP stop the write instead of the process, the temporary file is removed, and the
//! command ends with an error that says so (not `ErrorKind::Interrupted`, which writers retry).
//! A temporary file left by a write that was killed (no handler runs for `kill -9`) is removed by
//! the next write in its folder an hour later.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// The permissions a written file ends with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The existing file's mode; a new file's usual mode (0666 less the umask).
    Keep,
    /// Executable (0777 less the umask): hook shims.
    Executable,
}

/// Why [`replaceable`] will not have a file written over.
#[derive(Debug, PartialEq, Eq)]
pub enum Kept {
    /// A folder, a pipe, a device.
    NotAFile,
    /// A file `ours` does not know: the user's.
    Theirs,
}

/// Whether what is at `path` may be written over by an output of temis's: nothing, an empty file
/// (`mktemp`'s), or a file `ours` knows as one an earlier run wrote (a merge, a badge, a CI
/// artifact). Anything else is the user's, never replaced.
pub fn replaceable(path: &Path, ours: impl FnOnce(&Path) -> bool) -> Result<(), Kept> {
    match std::fs::metadata(path) {
        Err(_) => Ok(()),
        Ok(m) if !m.is_file() => Err(Kept::NotAFile),
        Ok(m) if m.len() == 0 || ours(path) => Ok(()),
        Ok(_) => Err(Kept::Theirs),
    }
}

/// Writes `bytes` to `path` atomically (through a symbolic link, to the file it names).
pub fn write(path: &Path, bytes: &[u8], mode: Mode) -> io::Result<()> {
    write_with(path, mode, |w| w.write_all(bytes))
}

/// Writes `bytes` atomically in place of whatever is at `path`, a symbolic link included (a hook
/// shim, written once the hook there was kept aside).
pub fn replace(path: &Path, bytes: &[u8], mode: Mode) -> io::Result<()> {
    let tmp = filled(path, mode, |w| w.write_all(bytes))?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Writes `bytes` to `path` atomically, only if nothing is there: a file that appeared meanwhile
/// is never replaced (`AlreadyExists`).
pub fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = filled(path, Mode::Keep, |w| w.write_all(bytes))?;
    tmp.persist_noclobber(path).map_err(|e| e.error)?;
    Ok(())
}

/// Writes what `fill` writes to `path` atomically, through a buffer (for large outputs), and
/// through a symbolic link to the file it names.
pub fn write_with(path: &Path, mode: Mode, fill: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let target = linked(path)?;
    let tmp = filled(&target, mode, fill)?;
    tmp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

/// The file `path` names once every symbolic link on the way is followed (a link's target is
/// taken from the link's folder when relative); `path` itself when it is no link. The file need
/// not exist: a link to nothing yet is written through, as `echo x > link` does. A link whose
/// file is outside the git work tree the link is in (else the link's folder) is refused.
fn linked(path: &Path) -> io::Result<std::path::PathBuf> {
    let mut at = path.to_path_buf();
    // As many as Linux follows before `ELOOP`.
    for hop in 0..40 {
        match fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                let next = fs::read_link(&at)?;
                at = match at.parent() {
                    Some(dir) => dir.join(next),
                    None => next,
                };
            }
            _ => return within(path, at, hop > 0),
        }
    }
    Err(io::Error::other(format!("{}: too many levels of symbolic links", path.display())))
}

/// `target` (what `path` names once links to files are `followed`), when its folder lies in the
/// git work tree `path` is in — found from `path`'s own folders, never through a folder that is
/// a link (`.temis -> ~` in a cloned repository) — else in `path`'s nearest folder that is no
/// link; and, through a link to a file, not in the work tree's `.git`.
fn within(path: &Path, target: std::path::PathBuf, followed: bool) -> io::Result<std::path::PathBuf> {
    let folder = std::path::absolute(folder_of(path))?;
    let plain = |a: &Path| !fs::symlink_metadata(a).is_ok_and(|m| m.file_type().is_symlink());
    let tree = folder.ancestors().filter(|a| plain(a)).find(|a| a.join(".git").exists());
    let bound = tree.or_else(|| folder.ancestors().find(|a| plain(a))).unwrap_or(&folder).canonicalize()?;
    // The target's folder, resolved (the file itself may not exist yet); a folder that is not
    // there is for the write itself to report.
    let real = match folder_of(&target).canonicalize() {
        Ok(real) => real,
        Err(_) if !followed => return Ok(target),
        Err(e) => return Err(e),
    };
    let in_git = followed && tree.is_some() && real.starts_with(bound.join(".git"));
    if real.starts_with(&bound) && !in_git {
        return Ok(target);
    }
    Err(io::Error::other(format!(
        "{} leads to {}, outside {}{}: temis does not write through a symbolic link out of it (a link \
         in a repository may point anywhere); remove the link, or name the file itself",
        path.display(),
        real.join(target.file_name().unwrap_or_default()).display(),
        bound.display(),
        if in_git { "'s files (into .git)" } else { "" }
    )))
}

/// The folder `path` is in (`.` for a bare file name).
fn folder_of(path: &Path) -> &Path {
    path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// A temporary file beside `path` holding what `fill` writes, synced, with the mode `path` will
/// have.
fn filled(
    path: &Path,
    mode: Mode,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<tempfile::NamedTempFile> {
    let dir = folder_of(path);
    let existing = fs::metadata(path).ok().filter(|_| mode == Mode::Keep).map(|m| m.permissions());
    let mut builder = tempfile::Builder::new();
    builder.prefix(".temis-").suffix(".tmp");
    // Created with the usual mode, so that the umask applies as to any new file.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(match mode {
        Mode::Keep => 0o666,
        Mode::Executable => 0o777,
    }));
    sweep(dir);
    let guard = signals::Guard::new();
    let mut tmp = builder.tempfile_in(dir)?;
    {
        let mut w = Interruptible { inner: BufWriter::with_capacity(1 << 16, tmp.as_file_mut()), guard: &guard };
        fill(&mut w)?;
        w.flush()?;
    }
    if let Some(perms) = existing {
        tmp.as_file().set_permissions(perms)?;
    }
    tmp.as_file().sync_all()?;
    guard.check()?;
    Ok(tmp)
}

/// How old a temporary file of temis's must be to be a leftover: a write takes seconds.
const LEFTOVER_AGE: std::time::Duration = std::time::Duration::from_secs(3600);

/// Removes the temporary files of temis's in `dir` left by a write that was killed (`kill -9`, a
/// power cut: no handler runs) an hour or more ago: `git add -A` committed one into a phase's
/// commit. A write under way elsewhere is younger.
fn sweep(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    let old =
        |m: &fs::Metadata| m.modified().ok().and_then(|t| t.elapsed().ok()).is_some_and(|age| age >= LEFTOVER_AGE);
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(".temis-")
            && name.ends_with(".tmp")
            && entry.metadata().is_ok_and(|m| m.is_file() && old(&m))
        {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// A writer that fails once a termination signal arrived.
struct Interruptible<'a, W: Write> {
    inner: W,
    guard: &'a signals::Guard,
}

impl<W: Write> Write for Interruptible<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.guard.check()?;
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.guard.check()?;
        self.inner.flush()
    }
}

#[cfg(unix)]
mod signals {
    use std::io;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};

    /// While it lives, termination signals set a flag instead of ending the process.
    pub struct Guard {
        hit: Arc<AtomicBool>,
        ids: Vec<signal_hook::SigId>,
    }

    impl Guard {
        pub fn new() -> Guard {
            let hit = Arc::new(AtomicBool::new(false));
            let ids = [SIGINT, SIGTERM, SIGHUP]
                .into_iter()
                .filter_map(|s| signal_hook::flag::register(s, Arc::clone(&hit)).ok())
                .collect();
            Guard { hit, ids }
        }

        /// An `Interrupted` error once a signal arrived.
        pub fn check(&self) -> io::Result<()> {
            if self.hit.load(Ordering::Relaxed) {
                return Err(io::Error::other("interrupted by a signal; nothing was written"));
            }
            Ok(())
        }
    }

    impl Drop for Guard {
        fn drop(&mut self) {
            for id in self.ids.drain(..) {
                signal_hook::low_level::unregister(id);
            }
        }
    }
}

#[cfg(not(unix))]
mod signals {
    pub struct Guard;

    impl Guard {
        pub fn new() -> Guard {
            Guard
        }

        pub fn check(&self) -> std::io::Result<()> {
            Ok(())
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    /// The interruption test raises a real SIGINT, which every write in progress in this process
    /// sees: the tests here take turns.
    static TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());

    fn mode_of(p: &Path) -> u32 {
        fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    fn leftovers(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".temis-"))
            .collect()
    }

    #[test]
    fn new_files_get_the_usual_mode_and_existing_ones_keep_theirs() {
        let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
        let dir = tempfile::tempdir().unwrap();
        let new = dir.path().join("new.md");
        write(&new, b"a", Mode::Keep).unwrap();
        assert_eq!(mode_of(&new), 0o644);
        let kept = dir.path().join("kept.md");
        fs::write(&kept, "old").unwrap();
        fs::set_permissions(&kept, fs::Permissions::from_mode(0o600)).unwrap();
        write(&kept, b"new", Mode::Keep).unwrap();
        assert_eq!((mode_of(&kept), fs::read_to_string(&kept).unwrap().as_str()), (0o600, "new"));
        let hook = dir.path().join("pre-commit");
        write(&hook, b"#!/bin/sh\n", Mode::Executable).unwrap();
        assert_eq!(mode_of(&hook), 0o755);
        let err = write_new(&kept, b"never").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read_to_string(&kept).unwrap(), "new");
        write_new(&dir.path().join("fresh.toml"), b"x").unwrap();
        assert_eq!(mode_of(&dir.path().join("fresh.toml")), 0o644);
        assert!(leftovers(dir.path()).is_empty());
    }

    /// Ctrl-C during `temis merge -o`: the write stops, the temporary file goes, the destination
    /// keeps its bytes and its mode.
    #[test]
    fn an_interrupted_write_leaves_the_target_and_no_temporary_file() {
        let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("merged.info");
        fs::write(&target, "before").unwrap();
        fs::set_permissions(&target, fs::Permissions::from_mode(0o640)).unwrap();
        let err = write_with(&target, Mode::Keep, |w| {
            w.write_all(b"SF:a.c\n")?;
            signal_hook::low_level::raise(signal_hook::consts::SIGINT).unwrap();
            for _ in 0..1000 {
                w.write_all(&[b'x'; 4096])?;
            }
            Ok(())
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "interrupted by a signal; nothing was written");
        assert_eq!((fs::read_to_string(&target).unwrap().as_str(), mode_of(&target)), ("before", 0o640));
        assert!(leftovers(dir.path()).is_empty(), "{:?}", leftovers(dir.path()));
    }

    /// `temis merge -o coverage.json` where `coverage.json` links to a shared folder's file: the
    /// link stays, the file it names gets the merge (a rename over the link replaced it).
    #[test]
    fn a_symbolic_link_is_written_through_and_kept() {
        let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
        let dir = tempfile::tempdir().unwrap();
        let shared = dir.path().join("shared");
        fs::create_dir(&shared).unwrap();
        let target = shared.join("record.md");
        fs::write(&target, "old").unwrap();
        fs::set_permissions(&target, fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("record.md");
        std::os::unix::fs::symlink("shared/record.md", &link).unwrap();
        // A link to that link, by an absolute path.
        let again = dir.path().join("again.md");
        std::os::unix::fs::symlink(&link, &again).unwrap();
        write(&again, b"new", Mode::Keep).unwrap();
        assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert!(fs::symlink_metadata(&again).unwrap().file_type().is_symlink());
        assert_eq!((fs::read_to_string(&target).unwrap().as_str(), mode_of(&target)), ("new", 0o640));
        // A link to a file not written yet: the file is made where it points.
        let dangling = dir.path().join("later.json");
        std::os::unix::fs::symlink("shared/later.json", &dangling).unwrap();
        write_with(&dangling, Mode::Keep, |w| w.write_all(b"{}")).unwrap();
        assert!(fs::symlink_metadata(&dangling).unwrap().file_type().is_symlink());
        assert_eq!(fs::read_to_string(shared.join("later.json")).unwrap(), "{}");
        assert!(leftovers(dir.path()).is_empty() && leftovers(&shared).is_empty());
        // A loop is an error, and nothing is written.
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::os::unix::fs::symlink("b", &a).unwrap();
        std::os::unix::fs::symlink("a", &b).unwrap();
        assert!(write(&a, b"x", Mode::Keep).unwrap_err().to_string().contains("too many levels"));
        // A link a repository holds to a file outside it is never written through.
        let repo = dir.path().join("repo");
        git2::Repository::init(&repo).unwrap();
        fs::create_dir_all(repo.join(".temis")).unwrap();
        let bashrc = dir.path().join("bashrc");
        fs::write(&bashrc, "alias ll='ls -l'\n").unwrap();
        let planted = repo.join(".temis/security-baseline.json");
        std::os::unix::fs::symlink("../../bashrc", &planted).unwrap();
        let err = write(&planted, b"{}", Mode::Keep).unwrap_err();
        assert!(err.to_string().contains("temis does not write through a symbolic link"), "{err}");
        // A folder that is a link out of the repository, and a link into its `.git`.
        let home = dir.path().join("home");
        fs::create_dir(&home).unwrap();
        std::os::unix::fs::symlink(&home, repo.join("out")).unwrap();
        assert!(write(&repo.join("out/record.md"), b"x", Mode::Keep).is_err());
        assert!(fs::read_dir(&home).unwrap().next().is_none(), "nothing written there");
        std::os::unix::fs::symlink("../.git/config", repo.join(".temis/config.json")).unwrap();
        let before = fs::read(repo.join(".git/config")).unwrap();
        assert!(write(&repo.join(".temis/config.json"), b"{}", Mode::Keep).is_err());
        assert_eq!(fs::read(repo.join(".git/config")).unwrap(), before);
        // A file of `.git` named itself (git's COMMIT_EDITMSG) is written.
        write(&repo.join(".git/COMMIT_EDITMSG"), b"feat: x\n", Mode::Keep).unwrap();
        assert_eq!(fs::read_to_string(&bashrc).unwrap(), "alias ll='ls -l'\n");
        assert!(leftovers(&repo.join(".temis")).is_empty() && leftovers(dir.path()).is_empty());
        // Inside the repository, a link is followed.
        fs::write(repo.join("baseline.json"), "[]").unwrap();
        let inside = repo.join(".temis/inside.json");
        std::os::unix::fs::symlink("../baseline.json", &inside).unwrap();
        write(&inside, b"{}", Mode::Keep).unwrap();
        assert_eq!(fs::read_to_string(repo.join("baseline.json")).unwrap(), "{}");
        // A hook shim replaces the link itself (the hook it named was kept aside first).
        replace(&link, b"#!/bin/sh\n", Mode::Executable).unwrap();
        assert!(fs::symlink_metadata(&link).unwrap().file_type().is_file());
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
    }

    #[test]
    fn a_failed_write_leaves_the_target_and_no_temporary_file() {
        let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.json");
        fs::write(&target, "before").unwrap();
        let err = write_with(&target, Mode::Keep, |w| {
            w.write_all(b"half")?;
            Err(io::Error::other("disk full"))
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "disk full");
        assert_eq!(fs::read_to_string(&target).unwrap(), "before");
        assert!(leftovers(dir.path()).is_empty(), "{:?}", leftovers(dir.path()));
    }

    /// A write killed with `kill -9` leaves its temporary file (no handler runs): the next write
    /// in the folder removes it once it is an hour old, and leaves a younger one (a write under
    /// way) and other files alone.
    #[test]
    fn a_killed_writes_temporary_file_is_removed_by_a_later_write() {
        let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
        let dir = tempfile::tempdir().unwrap();
        let hour_ago = std::time::SystemTime::now() - LEFTOVER_AGE - std::time::Duration::from_secs(5);
        for (name, modified) in [
            (".temis-killed.tmp", hour_ago),
            (".temis-writing.tmp", std::time::SystemTime::now()),
            ("notes.tmp", hour_ago),
        ] {
            let f = fs::File::create(dir.path().join(name)).unwrap();
            f.set_modified(modified).unwrap();
        }
        write(&dir.path().join("phase-1-complete.md"), b"record", Mode::Keep).unwrap();
        let mut left: Vec<String> =
            fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        left.sort();
        assert_eq!(left, [".temis-writing.tmp", "notes.tmp", "phase-1-complete.md"]);
    }
}
