//! Integration tests: the real `temis` binary, driven as a user drives it.
//!
//! One test binary with topic modules (one link step). Every rendered output is snapshotted
//! with insta; the environment is cleared so that colour, CI variables and the caller's git
//! repository never leak in.
//!
//! Nothing here reads `../shared`: `cargo test` passes on any clone. The checks that need it are
//! the `conformance` target (`tests/conformance/`, run by `ci/conformance.sh`).

/// The fake GitHub holds requests to the routes of `github/openapi.rs`, not to GitHub's OpenAPI
/// description (which lives in `../shared`; the conformance target holds them to it).
pub const GITHUB_CONTRACT: bool = false;

/// The fake CI APIs (`ci::fake`) hold requests to the platforms' limits only; the conformance
/// target sets this and holds them to the platforms' own API descriptions too.
pub const CI_CONTRACT: bool = false;

mod a11y;
mod action;
mod agent_stop;
mod agents;
mod ci;
mod clean;
mod example;
mod explain;
mod fuzz;
mod gate;
mod github;
mod gitrepo;
mod help;
mod hit_counts;
mod hooks;
mod init;
mod mcp;
mod merge;
mod patch;
mod perf;
mod phases;
mod report;
mod security;
mod stack;
mod story;
mod streams;
mod support;
mod wrong_types;
