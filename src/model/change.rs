//! A change to a repository as the phase records and commit messages describe it: the files
//! created, modified, deleted or renamed, with their line counts and added lines. `git/` reads it
//! from git; `docs/` writes about it.

/// How a file changed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    Created,
    Modified,
    Deleted,
    Renamed { from: String },
}

impl ChangeKind {
    pub fn label(&self) -> &'static str {
        match self {
            ChangeKind::Created => "created",
            ChangeKind::Modified => "modified",
            ChangeKind::Deleted => "deleted",
            ChangeKind::Renamed { .. } => "renamed",
        }
    }
}

/// One changed file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileChange {
    /// Repository-relative, forward slashes (the new path of a rename).
    pub path: String,
    pub kind: ChangeKind,
    pub added: u64,
    pub deleted: u64,
    pub binary: bool,
    /// The added lines: (line number in the new file, text without its line ending).
    pub added_lines: Vec<(u32, String)>,
}
