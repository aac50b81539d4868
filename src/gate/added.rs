//! The lines a change added (from a pull request's patches or a diff) and the patch coverage
//! `temis ci github` reports for them: of those lines, how many the tests executed, and which not.
//!
//! Pure like the rest of the gate. The added lines come from whoever knows the change (a pull
//! request's file patches through the GitHub API, a local diff); this module only reads unified
//! diff hunks and holds them against the project's combined coverage.

use std::collections::BTreeMap;

use super::Inputs;
use crate::model::{Counts, Coverage};

/// The lines a change added, by repository path, ascending.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AddedLines {
    files: BTreeMap<String, Vec<u32>>,
}

impl AddedLines {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the `+` lines of a unified diff `patch` (hunks only, as GitHub's `patch` field holds
    /// them, or a whole `git diff` for one file) to `path`. Removed lines, `\ No newline`
    /// markers and file headers are skipped.
    pub fn add_patch(&mut self, path: &str, patch: &str) {
        let mut next: Option<u32> = None;
        let mut added = Vec::new();
        for line in patch.lines() {
            if let Some(rest) = line.strip_prefix("@@ ") {
                next = hunk_new_start(rest);
                continue;
            }
            let Some(n) = next.as_mut() else { continue };
            match line.as_bytes().first() {
                Some(b'+') if !line.starts_with("+++ ") => {
                    added.push(*n);
                    *n += 1;
                }
                Some(b' ') | None => *n += 1,
                Some(b'-') | Some(b'\\') => {}
                _ => next = None,
            }
        }
        self.add_lines(path, added);
    }

    /// Adds explicit line numbers to `path`.
    pub fn add_lines(&mut self, path: &str, lines: impl IntoIterator<Item = u32>) {
        let entry = self.files.entry(path.to_string()).or_default();
        entry.extend(lines);
        entry.sort_unstable();
        entry.dedup();
        if entry.is_empty() {
            self.files.remove(path);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn files(&self) -> impl Iterator<Item = (&str, &[u32])> {
        self.files.iter().map(|(p, l)| (p.as_str(), l.as_slice()))
    }
}

/// `-a,b +c,d @@ …` → `c`.
fn hunk_new_start(rest: &str) -> Option<u32> {
    let plus = rest.split_whitespace().find(|w| w.starts_with('+'))?;
    plus[1..].split(',').next()?.parse().ok()
}

/// Patch coverage of a change.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PatchCoverage {
    /// Added lines that are coverable, and of those the ones executed.
    pub lines: Counts,
    /// Uncovered added lines by file, as inclusive ranges, in path order.
    pub uncovered: Vec<(String, Vec<(u32, u32)>)>,
    /// Files the change added lines to that no coverage report mentions.
    pub unmeasured_files: usize,
}

impl PatchCoverage {
    /// Percent of coverable added lines covered; `None` when the change added nothing coverable.
    pub fn percent(&self) -> Option<f64> {
        self.lines.percent()
    }

    pub fn uncovered_lines(&self) -> u64 {
        self.lines.missed()
    }
}

/// Measures `added` against the project's coverage (all coverage reports as one). `None` when
/// there is no coverage report.
pub fn measure(inputs: &Inputs, added: &AddedLines) -> Option<PatchCoverage> {
    let project = super::coverage::combine(&inputs.coverage)?;
    Some(measure_in(&project, added))
}

/// [`super::patch::measure`], the gate's own figure, in the shape the CI reporters use.
fn measure_in(cov: &Coverage, added: &AddedLines) -> PatchCoverage {
    let input = super::patch::PatchInput {
        base: String::new(),
        files: added.files().map(|(path, lines)| (path.to_string(), lines.to_vec())).collect(),
    };
    let m = super::patch::measure(&input, cov);
    PatchCoverage {
        lines: m.lines,
        uncovered: m.files.into_iter().filter(|f| !f.uncovered.is_empty()).map(|f| (f.path, f.uncovered)).collect(),
        unmeasured_files: m.unmentioned as usize + m.unmeasurable.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FileCoverage, LineBits};

    #[test]
    fn added_lines_follow_the_hunk_headers() {
        let mut a = AddedLines::new();
        a.add_patch(
            "src/a.py",
            "@@ -1,3 +1,4 @@\n def f():\n-    return 1\n+    x = 1\n+    return x\n \n@@ -10,2 +11,3 @@ def g():\n \
             \n+    pass\n\\ No newline at end of file\n",
        );
        assert_eq!(a.files().collect::<Vec<_>>(), vec![("src/a.py", &[2, 3, 12][..])]);
    }

    #[test]
    fn only_coverable_added_lines_count_and_misses_fold_into_ranges() {
        let mut bits = LineBits::new();
        for (l, hit) in [(2, true), (3, false), (4, false), (7, false), (9, true)] {
            bits.set(l, hit);
        }
        let mut f = FileCoverage::new("src/a.py");
        f.line_bits = Some(bits);
        let cov = Coverage { files: vec![f], ..Coverage::default() };
        let mut a = AddedLines::new();
        a.add_lines("src/a.py", [1, 2, 3, 4, 7, 8]);
        a.add_lines("README.md", [1]);
        let p = measure_in(&cov, &a);
        assert_eq!((p.lines.covered, p.lines.total), (1, 4));
        assert_eq!(p.uncovered, vec![("src/a.py".to_string(), vec![(3, 4), (7, 7)])]);
        assert_eq!(p.unmeasured_files, 1);
    }
}
