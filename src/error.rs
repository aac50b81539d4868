//! The one aggregate of every module's errors, which the CLI maps to the documented exit code in
//! one place ([`Error::exit_code`]). Each module has its own typed error (`ReportError`,
//! `PolicyError`, `PlanError`, `GitError`…), joined here with `#[from]`.

use std::io;

/// Everything that makes temis unable to judge: exit code 2 (see [`Error::exit_code`]).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Report(#[from] crate::parsers::ReportError),
    /// The command line asks for something that cannot be done; the message says what to do.
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Policy(#[from] crate::policy::PolicyError),
    /// A plan (or a record's front matter) that cannot be read, in `file`.
    #[error("{file}:{source}")]
    Plan { file: String, source: crate::plan::PlanError },
    #[error("{0}")]
    Git(#[from] crate::git::GitError),
    #[error("cannot read {path}: {source}")]
    Read { path: String, source: io::Error },
    #[error("cannot write {path}: {source}")]
    Write { path: String, source: io::Error },
    #[error("cannot read the current directory: {0}")]
    CurrentDir(io::Error),
    #[error("cannot tell where this temis binary is: {0}")]
    OwnBinary(io::Error),
    /// temis wrote a commit message that breaks the rules it checks: a bug, said as such.
    #[error("temis generated a commit message that breaks {problems}: {message}")]
    BadMessage { problems: String, message: String },
}

impl Error {
    pub fn usage(message: impl Into<String>) -> Self {
        Self::Usage(message.into())
    }

    pub fn plan(file: &str, source: crate::plan::PlanError) -> Self {
        Self::Plan { file: file.to_string(), source }
    }

    /// Writing to standard output failed.
    pub fn stdout(source: io::Error) -> Self {
        Self::Write { path: "stdout".into(), source }
    }

    /// The documented exit code: every error means the gate could not judge.
    pub fn exit_code(&self) -> u8 {
        2
    }
}
