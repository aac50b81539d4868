//! Everything temis asks of Azure DevOps, behind small types of our own.
//!
//! - [`context`]: what the pipeline's predefined variables say (the organization, project and
//!   repository, the pull request and its target branch, the build), read once at the edge;
//! - [`Client`]: the Git REST calls (api-version 7.1 by default): the pull request's threads,
//!   for one sticky thread ([`crate::sticky`]), and the pull request's status.
//!
//! HTTP goes through [`crate::http`]; the token is the job's `System.AccessToken` (mapped to
//! `SYSTEM_ACCESSTOKEN` in the step's `env:`), sent as a Bearer token and never printed.

pub mod client;
pub mod context;

pub use client::{Client, PullRequestThreads, Status, ThreadRef};
