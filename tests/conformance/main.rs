//! Conformance: the checks that need the shared test data (`../shared` beside the project, or
//! `$TEMIS_SHARED`), which a clone of temis does not have. `cargo test` does not build this
//! target (`test = false`); `cargo test --test conformance` runs it.
//!
//! - `ci`: every `temis ci gitlab|bitbucket|azure|jenkins` test of the `cli` target again (the
//!   same files, by `#[path]`), with each request the fake server records also held to the
//!   platform's own API description (`ci-apis/`: method, path, parameters, body schema);
//! - `ci_artifacts`: the files those surfaces write against the formats' transcribed schemas
//!   (`codequality.schema.json`, `warnings-ng-issues.schema.json`), and the validator against
//!   the schemas' own examples.
//!
//! A missing shared file fails the test that needs it, naming the path.

/// The fake CI APIs hold requests to the platforms' own descriptions (`ci-apis/`).
pub const CI_CONTRACT: bool = true;

#[path = "../cli/ci/mod.rs"]
mod ci;
mod ci_artifacts;
#[allow(dead_code)] // shared with the `cli` target, which uses all of it
#[path = "../cli/support.rs"]
mod support;
