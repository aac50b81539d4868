//! Conformance: the checks that need the shared test data (`../shared` beside the project, or
//! `$TEMIS_SHARED`), which a clone of temis does not have. `cargo test` does not build this
//! target (`test = false`); `ci/conformance.sh` runs it with `cargo test --test conformance`.
//!
//! - `github`: every `temis ci github` test of the `cli` target again (the same files, by
//!   `#[path]`), with each request held to GitHub's own OpenAPI description, body schemas
//!   included, instead of the routes the `cli` target knows;
//! - `openapi`: that description against those routes, and the body schemas it enforces;
//! - `ci`: every `temis ci gitlab|bitbucket|azure|jenkins` test of the `cli` target again, with
//!   each request the fake server records also held to the platform's own API description
//!   (`ci-apis/`: method, path, parameters, body schema);
//! - `ci_artifacts`: the files those surfaces write against the formats' transcribed schemas
//!   (`codequality.schema.json`, `warnings-ng-issues.schema.json`), and the validator against
//!   the schemas' own examples;
//! - `report`: figures of the real reports of `corpus/` that the fixtures show only in small.
//!
//! A missing shared file fails the test that needs it, naming the path.

/// The fake GitHub holds requests to GitHub's OpenAPI description (`github-api/openapi-subset.json`).
pub const GITHUB_CONTRACT: bool = true;

/// The fake CI APIs hold requests to the platforms' own descriptions (`ci-apis/`).
pub const CI_CONTRACT: bool = true;

#[path = "../cli/ci/mod.rs"]
mod ci;
mod ci_artifacts;
#[path = "../cli/github/mod.rs"]
mod github;
mod openapi;
mod report;
#[allow(dead_code)] // shared with the `cli` target, which uses all of it
#[path = "../cli/support.rs"]
mod support;
