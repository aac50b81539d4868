//! Integration tests: the real `temis` binary, driven as a user drives it.
//!
//! One test binary with topic modules (one link step). Every rendered output is snapshotted
//! with insta; the environment is cleared so that colour, CI variables and the caller's git
//! repository never leak in.

mod gitrepo;
mod help;
mod hooks;
mod merge;
mod patch;
mod report;
mod support;
