//! Phase records (`phase-N-complete.md`): the one module that writes them and reads them back.
//!
//! A record is written from facts when `temis phase complete N` approves a phase
//! ([`write::render`]); `temis plan`, `phase summary`, `commit-msg generate` and the
//! `prepare-commit-msg` hook read it back ([`read()`], [`commit_message`]). Both sides share the
//! names below, so that what the writer writes is what the readers find.
//!
//! Field names follow copilot-orchestra's Conductor records (Files created/changed, Review
//! Status, QA Status, Git Commit Message) so that agent prompts that read them keep working; the
//! front matter mirrors BMAD's gate file (`gate: PASS | CONCERNS | WAIVED`).

mod read;
mod write;

pub use read::{commit_message, read};
pub use write::{RecordInput, gate_word, render};

/// The front matter's `schema:`.
pub const SCHEMA: &str = "temis.phase/v1";

/// The heading the commit message's fenced block sits under.
pub const MESSAGE_HEADING: &str = "## Git Commit Message";

/// Whether `path` names a phase record: `…/phase-N-complete.md`, or Conductor's flat
/// `plans/<task>-phase-N-complete.md`.
pub fn is_record_path(path: &str) -> bool {
    phase_number(path).is_some()
}

/// N in `…/phase-N-complete.md` (or `…/<task>-phase-N-complete.md`).
pub fn phase_number(path: &str) -> Option<u32> {
    let name = path.rsplit('/').next()?;
    let stem = name.strip_suffix("-complete.md")?;
    let at = stem.rfind("phase-")?;
    if at > 0 && !stem[..at].ends_with('-') {
        return None;
    }
    stem[at + "phase-".len()..].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_paths_are_recognised_in_every_layout() {
        assert_eq!(phase_number("plans/jwt-auth/phase-2-complete.md"), Some(2));
        assert_eq!(phase_number("plans/x/phase-12-complete.md"), Some(12));
        assert_eq!(phase_number("plans/auth-phase-3-complete.md"), Some(3), "Conductor's flat layout");
        assert_eq!(phase_number("specs/login/records/phase-1-complete.md"), Some(1));
        assert!(!is_record_path("plans/x/plan.md") && !is_record_path("plans/x/complete.md"));
        assert!(!is_record_path("plans/x/rephase-1-complete.md") && !is_record_path("plans/x/phase-x-complete.md"));
    }
}
