//! Mnemosyne, the record keeper: the documents temis writes from facts — a phase's record
//! (`phase-N-complete.md`), the feature's summary (`complete.md`) and Conventional Commit
//! messages — and the rules those messages meet.
//!
//! Pure: every function here takes values (the plan, the verdict, git's list of changes) and
//! returns text. Reading the world and writing files atomically, confined to the plan's folder,
//! happen in `cli`.

pub mod commit;
pub mod conventional;
pub mod figures;
pub mod record;
pub mod summary;

/// Check families that get a section of their own in a record when the verdict has them, with
/// the headings they get. Coverage and tests always have theirs.
pub const FAMILY_SECTIONS: &[(&[&str], &str)] = &[
    (&["security"], "Security"),
    (&["a11y", "accessibility"], "Accessibility"),
    (&["performance", "perf", "benchmarks"], "Performance"),
];
