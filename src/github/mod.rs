//! Everything temis asks of GitHub, behind small types of our own.
//!
//! - [`context`]: what the Actions environment says about this run (repository, pull request,
//!   fork or not, the environment files), read once at the edge;
//! - [`env_files`]: the job summary and step outputs (`$GITHUB_STEP_SUMMARY`, `$GITHUB_OUTPUT`);
//! - [`Client`]: the REST calls (pull-request files, the sticky comment, the check run).
//!
//! octocrab is imported here and nowhere else. The async runtime (tokio, current-thread) lives
//! inside [`Client`] and is built only when an API call is about to be made, so every other path
//! of temis stays synchronous. The token never reaches a log line or an error message: it is held
//! in a [`Token`] (shared with the other platforms' clients, `crate::http`) whose `Debug` and
//! `Display` print `***`.

mod client;
pub mod context;
pub mod env_files;
mod publish;

pub use crate::http::Token;
pub use client::{Client, DiffEntry, PullRequest};
pub use publish::{CheckAnnotation, CheckRun, publish_check_run, upsert_comment};

/// `owner/name`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Repo {
    pub owner: String,
    pub name: String,
}

impl Repo {
    /// Parses `owner/name`; anything else (`GITHUB_REPOSITORY` unset or odd) is `None`.
    pub fn parse(s: &str) -> Option<Repo> {
        let (owner, name) = s.trim().split_once('/')?;
        let ok = |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
        (ok(owner) && ok(name)).then(|| Repo { owner: owner.to_string(), name: name.to_string() })
    }

    pub fn full_name(&self) -> String {
        format!("{}/{}", self.owner, self.name)
    }
}

/// A GitHub API call that did not succeed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// GitHub answered with an error status.
    #[error("GitHub answered {status} to {what}: {message}")]
    Status { what: String, status: u16, message: String },
    /// No answer (connection, TLS, timeout) or an answer temis could not read.
    #[error("{what} failed: {message}")]
    Transport { what: String, message: String },
}

impl ApiError {
    /// 403 or 404 on a write: the token may not write here (a fork's read-only token, missing
    /// `permissions:`).
    pub fn is_permission(&self) -> bool {
        matches!(self, ApiError::Status { status: 401 | 403 | 404, .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repositories_are_owner_slash_name() {
        assert_eq!(Repo::parse("octo-org/app.rs").unwrap().full_name(), "octo-org/app.rs");
        assert!(Repo::parse("no-slash").is_none());
        assert!(Repo::parse("a/b/c").is_none());
    }
}
