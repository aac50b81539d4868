//! The one way temis writes a file: into a temporary file beside the target, flushed and synced,
//! then renamed over it, so that a reader (git running a hook, an editor, a CI step) sees the old
//! bytes or the new ones and never a half-written file.
//!
//! The file keeps the mode it had; a new file gets the mode any new file gets (0666, or 0777 for
//! an executable, less the umask: 0644 and 0755 with the usual umask), never a temporary file's
//! 0600. The temporary file is removed on every error path (it is deleted when dropped unless it
//! was renamed into place).

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

/// Writes `bytes` to `path` atomically.
pub fn write(path: &Path, bytes: &[u8], mode: Mode) -> io::Result<()> {
    write_with(path, mode, |w| w.write_all(bytes))
}

/// Writes `bytes` to `path` atomically, only if nothing is there: a file that appeared meanwhile
/// is never replaced (`AlreadyExists`).
pub fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = filled(path, Mode::Keep, |w| w.write_all(bytes))?;
    tmp.persist_noclobber(path).map_err(|e| e.error)?;
    Ok(())
}

/// Writes what `fill` writes to `path` atomically, through a buffer (for large outputs).
pub fn write_with(path: &Path, mode: Mode, fill: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let tmp = filled(path, mode, fill)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// A temporary file beside `path` holding what `fill` writes, synced, with the mode `path` will
/// have.
fn filled(
    path: &Path,
    mode: Mode,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<tempfile::NamedTempFile> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let existing = fs::metadata(path).ok().filter(|_| mode == Mode::Keep).map(|m| m.permissions());
    let mut builder = tempfile::Builder::new();
    builder.prefix(".temis-").suffix(".tmp");
    // Created with the usual mode, so that the umask applies as to any new file.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(match mode {
        Mode::Keep => 0o666,
        Mode::Executable => 0o777,
    }));
    let mut tmp = builder.tempfile_in(dir)?;
    {
        let mut w = BufWriter::with_capacity(1 << 16, tmp.as_file_mut());
        fill(&mut w)?;
        w.flush()?;
    }
    if let Some(perms) = existing {
        tmp.as_file().set_permissions(perms)?;
    }
    tmp.as_file().sync_all()?;
    Ok(tmp)
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

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

    #[test]
    fn a_failed_write_leaves_the_target_and_no_temporary_file() {
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
}
