//! Conformance: the checks that need the shared test data (`../shared` beside the project, or
//! `$TEMIS_SHARED`), which a clone of temis does not have. `cargo test` does not build this
//! target (`test = false`); `ci/conformance.sh` runs it with `cargo test --test conformance`.
//!
//! - `github`: every `temis ci github` test of the `cli` target again (the same files, by
//!   `#[path]`), with each request held to GitHub's own OpenAPI description, body schemas
//!   included, instead of the routes the `cli` target knows;
//! - `openapi`: that description against those routes, and the body schemas it enforces;
//! - `report`: figures of the real reports of `corpus/` that the fixtures show only in small.
//!
//! A missing shared file fails the test that needs it, naming the path.

/// The fake GitHub holds requests to GitHub's OpenAPI description (`github-api/openapi-subset.json`).
pub const GITHUB_CONTRACT: bool = true;

#[path = "../cli/github/mod.rs"]
mod github;
mod openapi;
mod report;
#[allow(dead_code)] // shared with the `cli` target, which uses all of it
#[path = "../cli/support.rs"]
mod support;
