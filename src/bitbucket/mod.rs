//! Everything temis asks of Bitbucket Cloud, behind small types of our own.
//!
//! - [`context`]: what Bitbucket Pipelines' default variables say (the repository, the commit,
//!   the pull request and its destination), read once at the edge;
//! - [`Client`]: the Code Insights calls: one report per commit (created or replaced under the
//!   same id, so a second run updates it) and its annotations (upserted by `external_id`).
//!
//! Inside Pipelines the calls go through the pipeline's proxy with no token
//! ([`crate::http::Api::through_proxy`]); elsewhere with a repository or workspace access token
//! as a Bearer token. HTTP goes through [`crate::http`]; the token is never printed.

pub mod client;
pub mod context;

pub use client::{Annotation, Client, DataField, Report};
