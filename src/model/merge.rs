//! Coverage reports of one run made one: the combination `temis merge` writes and the gate
//! judges when given several reports — one implementation for both.
//!
//! Reports of one format are summed the way `lcov -a` sums them: line hits per line, branches
//! per (line, block, branch), functions per name, Go blocks per block (so Go keeps its statement
//! figures, as `go tool cover` reading the profiles together). A file that reports of different
//! formats describe is merged "covered in any input is covered": a line or branch covered in any
//! of them is covered, never counted twice (summing counts of differently-shaped data is how 0/2
//! + 0/1 becomes 2/2).

use rustc_hash::FxHashMap as HashMap;

use super::{DetailSet, FileDetail};

/// Accumulates the detailed reports of one run, keyed by format (`K`).
#[derive(Debug)]
pub struct Merger<K> {
    sets: Vec<(K, DetailSet)>,
}

impl<K> Default for Merger<K> {
    fn default() -> Self {
        Self { sets: Vec::new() }
    }
}

/// What [`Merger::finish`] made.
#[derive(Debug, Default)]
pub struct Merged {
    pub set: DetailSet,
    /// Files that reports of different formats both described (merged covered-in-any).
    pub mixed: usize,
    /// Go blocks given twice with different statement counts (profiles of different code).
    pub inconsistent: u64,
}

impl<K: PartialEq + Copy> Merger<K> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one report of format `key`.
    pub fn add(&mut self, key: K, set: DetailSet) {
        match self.sets.iter_mut().find(|(k, _)| *k == key) {
            Some((_, acc)) => {
                for f in &set.files {
                    acc.add(f);
                }
            }
            None => self.sets.push((key, set)),
        }
    }

    /// The files of `set` that a report added before also gives where either gives only totals
    /// (no per-line data): their merge has no answer — summed, a file's line counts twice (3 of
    /// 5 and 4 of 5 made 7 of 10), and which lines ran in both no total says. The caller refuses
    /// them.
    pub fn totals_only_twice(&self, set: &DetailSet) -> Vec<String> {
        let totals_only = |d: &FileDetail| d.lines.is_empty() && d.blocks.is_empty() && d.summary.is_some();
        set.files
            .iter()
            .filter(|f| {
                self.sets.iter().any(|(_, acc)| acc.get(&f.path).is_some_and(|a| totals_only(a) || totals_only(f)))
            })
            .map(|f| f.path.clone())
            .collect()
    }

    /// A line that `set` and the reports of format `key` added before both measure, run in one
    /// and not in the other: `(path, line, run in set)`. Two formats one tool wrote in one run
    /// (coverage.py's XML and JSON, c8's LCOV and Cobertura) say the same of every line; when
    /// they do not, they are of two runs, and their merge is no figure of either.
    pub fn disagreement(&self, key: K, set: &DetailSet) -> Option<(String, u32, bool)> {
        let (_, earlier) = self.sets.iter().find(|(k, _)| *k == key)?;
        let run = |lines: &[(u32, u64)]| {
            let mut hits: HashMap<u32, u64> = HashMap::default();
            for &(line, h) in lines {
                let e = hits.entry(line).or_insert(0);
                *e = e.saturating_add(h);
            }
            hits
        };
        set.files.iter().find_map(|f| {
            let e = earlier.get(&f.path).filter(|e| !e.lines.is_empty() && !f.lines.is_empty())?;
            let theirs = run(&e.lines);
            let mut ours: Vec<(u32, u64)> = run(&f.lines).into_iter().collect();
            ours.sort_unstable();
            ours.into_iter()
                .find(|(line, h)| theirs.get(line).is_some_and(|t| (*t > 0) != (*h > 0)))
                .map(|(line, h)| (f.path.clone(), line, h > 0))
        })
    }

    /// The first file of `set` that a report added before also gives.
    pub fn shared(&self, set: &DetailSet) -> Option<String> {
        set.files.iter().find(|f| self.sets.iter().any(|(_, acc)| acc.get(&f.path).is_some())).map(|f| f.path.clone())
    }

    /// Whether `set` says what one report added before says, file for file and line for line
    /// (which lines count, which ran): the same run written in another format (llvm-cov's JSON
    /// and its LCOV; gcovr's LCOV and Cobertura), not a second run. Only reports of another
    /// format than `key` are compared: two of one format that agree so are two runs (of two
    /// template instances, say) as likely as one.
    pub fn same_as_one_before(&self, key: K, set: &DetailSet) -> bool {
        self.sets.iter().filter(|(k, _)| *k != key).any(|(_, acc)| {
            acc.files.len() == set.files.len()
                && set.files.iter().all(|f| acc.get(&f.path).is_some_and(|a| a.ran_lines() == f.ran_lines()))
        })
    }

    /// The formats added, in the order they came.
    pub fn keys(&self) -> Vec<K> {
        self.sets.iter().map(|(k, _)| *k).collect()
    }

    pub fn is_empty(&self) -> bool {
        self.sets.is_empty()
    }

    /// Every report as one, sorted by path.
    pub fn finish(self) -> Merged {
        let mut sets = self.sets.into_iter().map(|(_, s)| s);
        let mut set = sets.next().unwrap_or_default();
        let mut mixed = 0;
        for other in sets {
            mixed += fold_covered_in_any(&mut set, other);
        }
        set.sort();
        let inconsistent = set.files.iter().map(|f| f.inconsistent).sum();
        Merged { set, mixed, inconsistent }
    }
}

/// Folds `other` (another format) into `acc`, covered-in-any; returns how many files both had.
fn fold_covered_in_any(acc: &mut DetailSet, other: DetailSet) -> usize {
    let index: HashMap<String, usize> = acc.files.iter().enumerate().map(|(i, f)| (f.path.clone(), i)).collect();
    let mut both = 0;
    for f in other.files {
        match index.get(&f.path) {
            Some(&i) => {
                both += 1;
                covered_in_any(&mut acc.files[i], f);
            }
            None => acc.add(&f),
        }
    }
    both
}

fn covered_in_any(a: &mut FileDetail, mut b: FileDetail) {
    let mut lines: HashMap<u32, u64> = a.lines.iter().copied().collect();
    for (line, hits) in b.lines.drain(..) {
        let e = lines.entry(line).or_insert(0);
        *e = (*e).max(hits);
    }
    a.lines = lines.into_iter().collect();
    a.lines.sort_unstable();
    if b.branches.len() > a.branches.len() {
        std::mem::swap(&mut a.branches, &mut b.branches);
    }
    for br in &b.branches {
        if let Some(x) = a.branches.iter_mut().find(|x| (x.line, x.block, x.branch) == (br.line, br.block, br.branch)) {
            x.taken = x.taken.max(br.taken);
        }
    }
    a.has_branches |= b.has_branches;
    for func in b.functions {
        match a.functions.iter_mut().find(|x| x.name == func.name) {
            Some(x) => x.hits = x.hits.max(func.hits),
            None => a.functions.push(func),
        }
    }
    // Statements of one format and lines of another are not one unit: the lines decide.
    a.blocks.clear();
    a.summary = None;
}

/// The error for a file that two reports give, one of them only its totals
/// ([`Merger::totals_only_twice`]).
pub fn totals_only_twice(report: &str, path: &str) -> String {
    format!(
        "{report} and a report before it both give {path}, one of them only its totals (no per-line data): \
         totals cannot be merged (summed, its lines count twice); merge reports with per-line data \
         (coverage-final.json rather than coverage-summary.json, LCOV with DA lines)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_run_in_one_format_and_not_in_another_is_a_disagreement() {
        let file = |lines: &[(u32, u64)]| {
            let mut set = DetailSet::new();
            set.add(&FileDetail { lines: lines.to_vec(), ..FileDetail::new("a.py") });
            set
        };
        let mut m = Merger::new();
        m.add("lcov", file(&[(1, 1), (2, 3), (3, 0)]));
        // Hits differ, run or not alike: one run.
        assert_eq!(m.disagreement("lcov", &file(&[(1, 5), (2, 1), (3, 0), (9, 1)])), None);
        // A line given twice (repeated records) is summed first.
        assert_eq!(m.disagreement("lcov", &file(&[(3, 0), (3, 2)])), Some(("a.py".to_string(), 3, true)));
        assert_eq!(m.disagreement("lcov", &file(&[(2, 0)])), Some(("a.py".to_string(), 2, false)));
        assert_eq!(m.disagreement("cobertura", &file(&[(2, 0)])), None, "no report of that format");
    }
    use crate::model::{Block, Branch, Counts};

    fn file(path: &str, lines: &[(u32, u64)]) -> FileDetail {
        FileDetail { path: path.into(), lines: lines.to_vec(), ..FileDetail::default() }
    }

    fn set(files: Vec<FileDetail>) -> DetailSet {
        let mut s = DetailSet::new();
        for f in &files {
            s.add(f);
        }
        s
    }

    #[test]
    fn one_format_sums_and_formats_apart_are_covered_in_any() {
        let mut m = Merger::new();
        let mut a = file("a.c", &[(1, 1), (2, 0)]);
        a.branches = vec![Branch { line: 2, block: 0, branch: 0, taken: Some(0) }];
        let mut b = file("a.c", &[(2, 3)]);
        b.branches = vec![Branch { line: 2, block: 0, branch: 0, taken: Some(1) }];
        m.add("lcov", set(vec![a]));
        m.add("lcov", set(vec![b]));
        m.add("cobertura", set(vec![file("a.c", &[(3, 0)]), file("b.c", &[(1, 1)])]));
        let merged = m.finish();
        assert_eq!(merged.mixed, 1);
        let mut a = merged.set.files[0].clone();
        assert_eq!(a.lines, vec![(1, 1), (2, 3), (3, 0)]);
        assert_eq!(a.summarize().branches, Some(Counts::new(1, 1)), "one branch, taken in a shard: not two");
    }

    #[test]
    fn go_blocks_merge_block_by_block() {
        let block = |statements, count| Block { span: (1, 1, 3, 2), statements, count };
        let other = Block { span: (5, 1, 6, 2), statements: 2, count: 0 };
        let mut a = file("x.go", &[(1, 0), (2, 0), (3, 0), (5, 0), (6, 0)]);
        a.blocks = vec![block(3, 0), other];
        let mut b = file("x.go", &[(1, 4), (2, 4), (3, 4)]);
        b.blocks = vec![block(3, 4)];
        let mut m = Merger::new();
        m.add("gocover", set(vec![a]));
        m.add("gocover", set(vec![b]));
        let mut merged = m.finish();
        assert_eq!(merged.inconsistent, 0);
        assert_eq!(merged.set.files[0].summarize().lines, Counts::new(5, 3), "statements, not lines");
    }
}
