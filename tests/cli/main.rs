//! Integration tests: the real `temis` binary, driven as a user drives it.
//!
//! One test binary with topic modules (one link step). Every rendered output is snapshotted
//! with insta; the environment is cleared so that colour, CI variables and the caller's git
//! repository never leak in.

mod a11y;
mod action;
mod example;
mod explain;
mod gate;
mod github;
mod gitrepo;
mod help;
mod hooks;
mod init;
mod merge;
mod patch;
mod perf;
mod phases;
mod report;
mod security;
mod stack;
mod streams;
mod support;
mod wrong_types;
