//! The normalized report model: what every parser produces and everything else consumes.
//!
//! Coverage is kept per file, with per-line data where the format has it, so that merging,
//! per-path thresholds and patch coverage can work on lines rather than on totals. The compact
//! form ([`FileCoverage`]) keeps two bits per source line; the detailed form ([`FileDetail`])
//! keeps hit counts and branch identities and is what `temis merge` writes back out.

pub mod a11y;
pub mod bench;
mod bits;
mod change;
mod counts;
mod coverage;
mod detail;
pub mod merge;
mod testrun;

pub mod owasp;
pub mod security;

pub use security::{Finding, FindingKind, SecurityReport, Severity};

pub use bits::{LineBits, show_ranges};
pub use change::{ChangeKind, FileChange};
pub use counts::{Counts, Rounding, Unit};
pub use coverage::{Coverage, CoverageBuilder, FileCoverage, Sink, Staged, WARNING, add_opt as add_counts};
pub use detail::{Block, Branch, DetailSet, FileDetail, Function, SummaryTotals, statements};
pub use merge::Merger;
pub use testrun::{MESSAGE_MAX, Outcome, TestCase, TestRun, TestTotals, first_line};
