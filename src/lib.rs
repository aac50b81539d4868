//! temis: a quality gate for git hooks and CI.
//!
//! It reads the reports a team's own tools write — coverage, test results, security scans,
//! accessibility audits, benchmarks — with the numbers those tools print, holds them against a
//! policy, answers APPROVED or BLOCKED with every reason, and writes each phase's record, the
//! feature's summary and a Conventional Commit message.
//!
//! Layers, lowest first (`docs/ARCHITECTURE.md` is the map): [`model`]; [`parsers`] (bytes to
//! model values, one [`parsers::Format`] table) and [`policy`], [`plan`], [`commits`], [`secrets`]
//! (text to rules); [`gate`] (policy and inputs to a verdict, pure); [`render`] and [`docs`]
//! (verdicts to text and documents); [`git`], [`github`], [`gitlab`], [`bitbucket`], [`azure`]
//! (each platform's API, the last three over [`http`], their notes kept by [`sticky`]) and
//! [`input`] (the world); [`app`] (the judgement, built once for every surface); [`mcp`] (the
//! same judgement served to agents over the Model Context Protocol); [`cli`] (arguments to the
//! app, results to [`output`]). No layer imports a higher one.

pub mod app;
pub mod azure;
pub mod bitbucket;
pub mod cli;
pub mod commits;
pub mod docs;
pub mod error;
pub mod gate;
pub mod git;
pub mod github;
pub mod gitlab;
pub mod hooks;
pub mod http;
pub mod input;
pub mod mcp;
pub mod model;
pub mod output;
pub mod parsers;
pub mod paths;
pub mod plan;
pub mod policy;
pub mod render;
pub mod secrets;
pub mod sticky;

#[cfg(test)]
pub(crate) mod testing;
