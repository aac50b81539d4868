//! Where a plan's documents live, decided from the plan's own path, and the rule that keeps
//! every document temis writes inside the plan's folder.
//!
//! - folder layouts (`plans/<feature>/plan.md`, `specs/<feature>/tasks.md`): records are
//!   `<folder>/phase-N-complete.md`, the summary `<folder>/complete.md`;
//! - Conductor's flat layout (`plans/<task>-plan.md`): `plans/<task>-phase-N-complete.md` and
//!   `plans/<task>-complete.md`, as Conductor itself names them.
//!
//! A plan's front matter may move the records to a sub-folder (`records: records`); a value
//! that leaves the plan's folder is refused with its line. Pure: paths are strings here.

use super::{FrontMatter, Phase, PlanError};

/// The conventional places plans are looked for, relative to the repository root.
pub const PLAN_GLOBS: &[&str] =
    &["plans/*/plan.md", "plans/*-plan.md", "specs/*/tasks.md", ".kiro/specs/*/tasks.md", "plan.md"];

/// A plan's files, repository-relative with forward slashes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanFiles {
    /// The plan file.
    pub plan: String,
    /// The plan's folder (`""` at the repository root).
    pub dir: String,
    /// The feature's name: the folder, or the `<task>` of `<task>-plan.md`.
    pub feature: String,
    /// `<task>-` for Conductor's flat layout, empty otherwise.
    prefix: String,
    /// Where records go, relative to `dir` (`""` for the folder itself).
    records: String,
}

impl PlanFiles {
    /// The files of the plan at `plan` (repository-relative), honouring its front matter.
    pub fn new(plan: &str, front: &FrontMatter) -> Result<Self, PlanError> {
        let plan = plan.replace('\\', "/");
        let (dir, name) = match plan.rsplit_once('/') {
            Some((d, n)) => (d.to_string(), n.to_string()),
            None => (String::new(), plan.clone()),
        };
        let flat = name.ends_with("-plan.md") && name != "-plan.md";
        let (feature, prefix) = if flat {
            let task = name.trim_end_matches("-plan.md").to_string();
            (task.clone(), format!("{task}-"))
        } else {
            let folder = dir.rsplit('/').next().unwrap_or("").to_string();
            (if folder.is_empty() { "plan".to_string() } else { folder }, String::new())
        };
        let mut records = String::new();
        if let Some(entry) = front.get("records") {
            let value = front.scalar("records").unwrap_or("");
            records = confined(value).map_err(|why| {
                PlanError::at(
                    entry.line,
                    format!("`records: {value}` {why}; records are written inside the plan's folder only"),
                )
            })?;
        }
        Ok(Self { plan, dir, feature, prefix, records })
    }

    fn join(&self, name: &str) -> String {
        let mut parts: Vec<&str> = Vec::new();
        if !self.dir.is_empty() {
            parts.push(&self.dir);
        }
        if !self.records.is_empty() {
            parts.push(&self.records);
        }
        parts.push(name);
        parts.join("/")
    }

    /// `phase-N-complete.md` (or `<task>-phase-N-complete.md`), repository-relative.
    pub fn record(&self, n: u32) -> String {
        self.join(&format!("{}phase-{n}-complete.md", self.prefix))
    }

    /// `complete.md` (or `<task>-complete.md`), repository-relative.
    pub fn summary(&self) -> String {
        self.join(&format!("{}complete.md", self.prefix))
    }

    /// A path relative to the plan's folder, for links inside the plan's documents.
    pub fn relative(&self, path: &str) -> String {
        let from = if self.records.is_empty() { self.dir.clone() } else { self.join("") };
        let from = from.trim_end_matches('/');
        let from_parts: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
        let to_parts: Vec<&str> = path.split('/').collect();
        let common = from_parts.iter().zip(&to_parts).take_while(|(a, b)| a == b).count();
        let mut out: Vec<&str> = vec![".."; from_parts.len() - common];
        out.extend(&to_parts[common..]);
        out.join("/")
    }

    /// Whether `path` is one of the plan's own documents (never listed as a change of the phase).
    pub fn is_own(&self, path: &str) -> bool {
        if path == self.plan {
            return true;
        }
        if !self.prefix.is_empty() || self.dir.is_empty() {
            let name = format!(
                "{}{}",
                if self.dir.is_empty() { String::new() } else { format!("{}/", self.dir) },
                self.prefix
            );
            return path.starts_with(&name) && path.ends_with(".md") && (!self.prefix.is_empty() || is_doc_name(path));
        }
        path.starts_with(&format!("{}/", self.dir))
    }

    /// The phase's report paths, each confined to the repository.
    pub fn reports(&self, phase: &Phase) -> Result<Vec<String>, PlanError> {
        phase
            .reports
            .iter()
            .map(|r| {
                confined(r).map_err(|why| {
                    PlanError::at(
                        phase.line,
                        format!("phase {}'s report `{r}` {why}; name reports inside the repository", phase.number),
                    )
                })
            })
            .collect()
    }
}

fn is_doc_name(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name == "complete.md" || (name.starts_with("phase-") && name.ends_with("-complete.md"))
}

/// A relative path that stays where it starts: no absolute path, no `..`, no drive letter.
/// Returns it normalized (`./a//b/` → `a/b`).
pub fn confined(path: &str) -> Result<String, &'static str> {
    let p = path.trim().replace('\\', "/");
    if p.starts_with('/') || p.starts_with('~') || p.as_bytes().get(1) == Some(&b':') {
        return Err("is an absolute path");
    }
    let mut parts = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => return Err("climbs out with `..`"),
            s => parts.push(s),
        }
    }
    Ok(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(plan: &str, front: &str) -> Result<PlanFiles, PlanError> {
        let text = format!("---\n{front}---\n");
        let fm = if front.is_empty() {
            FrontMatter::default()
        } else {
            crate::plan::front::split(&text).unwrap().0.unwrap().0
        };
        PlanFiles::new(plan, &fm)
    }

    #[test]
    fn folder_and_flat_layouts_name_their_records() {
        let f = files("plans/jwt-authentication/plan.md", "").unwrap();
        assert_eq!(f.feature, "jwt-authentication");
        assert_eq!(f.record(2), "plans/jwt-authentication/phase-2-complete.md");
        assert_eq!(f.summary(), "plans/jwt-authentication/complete.md");
        assert!(f.is_own("plans/jwt-authentication/notes.md"));
        assert!(!f.is_own("src/app.py"));
        let c = files("plans/email-validator-plan.md", "").unwrap();
        assert_eq!(c.feature, "email-validator");
        assert_eq!(c.record(1), "plans/email-validator-phase-1-complete.md");
        assert_eq!(c.summary(), "plans/email-validator-complete.md");
        assert!(c.is_own("plans/email-validator-phase-1-complete.md"));
        assert!(!c.is_own("plans/other-plan.md"));
    }

    #[test]
    fn records_may_move_inside_the_folder_but_never_out() {
        let f = files("plans/x/plan.md", "records: done/\n").unwrap();
        assert_eq!(f.record(1), "plans/x/done/phase-1-complete.md");
        assert_eq!(f.relative("plans/x/plan.md"), "../plan.md");
        for bad in ["../elsewhere", "/etc", "done/../../..", "C:/x"] {
            let e = files("plans/x/plan.md", &format!("records: {bad}\n")).unwrap_err();
            assert_eq!(e.line, 2, "{bad}");
            assert!(e.message.contains("inside the plan's folder"), "{}", e.message);
        }
    }
}
