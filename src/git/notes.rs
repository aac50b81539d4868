//! Figures recorded on commits as git notes under `refs/notes/temis`, so that a later change can
//! be held against its base's figures (the ratchet) with nothing but git.

use super::{GitError, Repo};

/// The notes ref temis writes and reads.
pub const NOTES_REF: &str = "refs/notes/temis";

/// The note temis recorded on `commit`, if any.
pub fn read_note(repo: &Repo, commit: &str) -> Option<String> {
    let oid = git2::Oid::from_str(commit).ok()?;
    repo.inner.find_note(Some(NOTES_REF), oid).ok()?.message().ok().map(str::to_string)
}

/// Records `text` on `commit`, replacing an earlier temis note there.
pub fn write_note(repo: &Repo, commit: &str, text: &str) -> Result<(), GitError> {
    let r = &repo.inner;
    let oid = git2::Oid::from_str(commit).map_err(|e| GitError::new(format!("bad object id {commit:?}"), e))?;
    let sig = r
        .signature()
        .or_else(|_| git2::Signature::now("temis", "temis@localhost"))
        .map_err(|e| GitError::new("cannot make a signature for the note", e))?;
    r.note(&sig, &sig, Some(NOTES_REF), oid, text, true)
        .map(|_| ())
        .map_err(|e| GitError::new(format!("cannot write the note on {commit}"), e))
}
