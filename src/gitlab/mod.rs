//! Everything temis asks of GitLab, behind small types of our own.
//!
//! - [`context`]: what the pipeline's predefined variables say (the project, the merge request,
//!   the commits that give the change's base), read once at the edge;
//! - [`Client`]: the REST calls (API v4): the merge request's notes, for the one sticky note
//!   ([`crate::sticky`]), and the commit status.
//!
//! HTTP goes through [`crate::http`]; the token (a project, group or personal access token
//! with the `api` scope: the CI job token may not write notes) is sent in `PRIVATE-TOKEN` and
//! never printed.

pub mod client;
pub mod context;

pub use client::{Client, CommitStatus, MergeRequestNotes};
