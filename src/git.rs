//! Everything temis asks of git, behind small types of our own. git2 is used here and nowhere
//! else; it is built without network support.

use std::path::{Path, PathBuf};

/// The working-tree root of the repository containing `start`, if any.
pub fn repo_root(start: &Path) -> Option<PathBuf> {
    let repo = git2::Repository::discover(start).ok()?;
    repo.workdir().map(Path::to_path_buf)
}
