//! temis: a quality gate for git hooks and CI.
//!
//! It reads the reports a team's own tools write (coverage today; tests, security,
//! accessibility and benchmarks as their check families land), holds them against a policy, and
//! answers APPROVED or BLOCKED with every reason.
//!
//! The core is pure: [`parsers`] turn bytes into [`model`] values, [`render`] turns model values
//! into text. Only [`cli`], [`git`] and [`github`] touch the world.

pub mod app;
pub mod cli;
pub mod commits;
pub mod docs;
pub mod error;
pub mod gate;
pub mod git;
pub mod github;
pub mod hooks;
pub mod input;
pub mod model;
pub mod output;
pub mod parsers;
pub mod paths;
pub mod plan;
pub mod policy;
pub mod render;
pub mod secrets;
