//! Rendering model values as text: the `temis.report` JSON contract (v2, and v1), the human tables and
//! LCOV for `temis merge`. Pure functions from values to strings or writers.

pub mod human;
pub mod json;
pub mod lcov;
pub mod plan;
pub mod svg;
pub mod verdict;

use crate::parsers::{Content, Format};

/// One report read from disk, ready to render.
#[derive(Clone, Debug)]
pub struct ReadReport {
    /// As given on the command line.
    pub path: String,
    pub format: Format,
    pub content: Content,
}
