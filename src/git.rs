//! Everything temis asks of git, behind small types of our own. git2 is used here and nowhere
//! else; it is built without network support.

use std::path::{Path, PathBuf};

/// The working-tree root of the repository containing `start`, if any.
pub fn repo_root(start: &Path) -> Option<PathBuf> {
    let repo = git2::Repository::discover(start).ok()?;
    repo.workdir().map(Path::to_path_buf)
}

// --- Phase records (Mnemosyne): what a phase changed and where it began. -------------------
// Kept in its own file so that other additions to this module do not meet it.
mod changes;
pub use changes::{
    ChangeKind, FileChange, Found, GitError, Since, changes, committed_as_is, first_commit_where, head, in_head,
    user_name,
};
