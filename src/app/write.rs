//! The one way temis writes a file: into a temporary file beside the target, flushed and synced,
//! then renamed over it, so that a reader (git running a hook, an editor, a CI step) sees the old
//! bytes or the new ones and never a half-written file.
//!
//! The file keeps the mode it had; a new file gets the usual one (0644, or 0755 for an
//! executable), never the temporary file's 0600. The temporary file is removed on every error
//! path (it is deleted when dropped unless it was renamed into place).

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// The permissions a written file ends with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The existing file's mode; 0644 for a new file.
    Keep,
    /// 0755: hook shims.
    Executable,
}

/// Writes `bytes` to `path` atomically.
pub fn write(path: &Path, bytes: &[u8], mode: Mode) -> io::Result<()> {
    write_with(path, mode, |w| w.write_all(bytes))
}

/// Writes what `fill` writes to `path` atomically, through a buffer (for large outputs).
pub fn write_with(path: &Path, mode: Mode, fill: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new().prefix(".temis-").suffix(".tmp").tempfile_in(dir)?;
    {
        let mut w = BufWriter::with_capacity(1 << 16, tmp.as_file_mut());
        fill(&mut w)?;
        w.flush()?;
    }
    let perms = permissions(path, mode, tmp.as_file())?;
    tmp.as_file().set_permissions(perms)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(unix)]
fn permissions(path: &Path, mode: Mode, _: &fs::File) -> io::Result<fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Ok(match (mode, fs::metadata(path)) {
        (Mode::Executable, _) => fs::Permissions::from_mode(0o755),
        (Mode::Keep, Ok(m)) => m.permissions(),
        (Mode::Keep, Err(_)) => fs::Permissions::from_mode(0o644),
    })
}

#[cfg(not(unix))]
fn permissions(path: &Path, _: Mode, tmp: &fs::File) -> io::Result<fs::Permissions> {
    match fs::metadata(path) {
        Ok(m) => Ok(m.permissions()),
        Err(_) => Ok(tmp.metadata()?.permissions()),
    }
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
    fn new_files_get_0644_and_existing_ones_keep_their_mode() {
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
