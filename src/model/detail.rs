//! The detailed per-file model: hit counts, branch identities and functions.
//!
//! Parsers fill one [`FileDetail`] per file record; `temis merge` sums them the way lcov does.

use rustc_hash::FxHashMap as HashMap;

use super::coverage::Sink;
use super::{Counts, FileCoverage, LineBits};

/// One branch outcome. `block` and `branch` identify it within its line the way LCOV's
/// `BRDA:<line>,<block>,<branch>,<taken>` does; `taken` is `None` when the branch's
/// expression was never evaluated (LCOV's `-`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Branch {
    pub line: u32,
    pub block: u32,
    pub branch: u32,
    pub taken: Option<u64>,
}

impl Branch {
    fn key(&self) -> (u32, u32, u32) {
        (self.line, self.block, self.branch)
    }
}

/// A Go coverprofile block: statements counted together, run `count` times. Go's figures are
/// statements, so a file's blocks (when it has any) decide its `lines` figure, and profiles of
/// one run merge block by block as `go tool cover` merges them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Block {
    /// (start line, start column, end line, end column).
    pub span: (u32, u32, u32, u32),
    pub statements: u64,
    pub count: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Function {
    pub name: String,
    pub line: u32,
    pub hits: u64,
}

/// One file with hit counts. Lines and branches may repeat until [`FileDetail::normalize`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FileDetail {
    pub path: String,
    pub lines: Vec<(u32, u64)>,
    pub branches: Vec<Branch>,
    pub functions: Vec<Function>,
    /// Whether the record carried branch data at all (a file with zero branches measured
    /// differs from one whose producer did not measure branches).
    pub has_branches: bool,
    pub has_functions: bool,
    /// Totals given by a summary-only record, used when it carries no per-line data.
    pub summary: Option<SummaryTotals>,
    /// Go's statement blocks, when the report is a Go profile (they decide `lines`).
    pub blocks: Vec<Block>,
    /// Blocks given twice with different statement counts (profiles of different code).
    pub inconsistent: u64,
}

/// Totals a record states: the producer's own figures for this file (LCOV `LF`/`LH`,
/// Istanbul's json-summary). When present they win over counting the records, which a
/// producer may write more of than it counts (llvm-cov).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SummaryTotals {
    pub lines: Option<Counts>,
    pub branches: Option<Counts>,
    pub functions: Option<Counts>,
}

impl SummaryTotals {
    fn add(self, other: SummaryTotals) -> SummaryTotals {
        let sum = |a: Option<Counts>, b: Option<Counts>| {
            let mut acc = a;
            super::coverage::add_opt(&mut acc, b);
            acc
        };
        SummaryTotals {
            lines: sum(self.lines, other.lines),
            branches: sum(self.branches, other.branches),
            functions: sum(self.functions, other.functions),
        }
    }
}

impl FileDetail {
    pub fn new(path: impl Into<String>) -> Self {
        Self { path: path.into(), ..Self::default() }
    }

    pub fn clear(&mut self) {
        self.path.clear();
        self.lines.clear();
        self.branches.clear();
        self.functions.clear();
        self.has_branches = false;
        self.has_functions = false;
        self.summary = None;
        self.blocks.clear();
        self.inconsistent = 0;
    }

    /// Each line once, in order, and whether it ran (any of its records hit): what two reports of
    /// one run say alike, and what a line count counts.
    pub fn ran_lines(&self) -> Vec<(u32, bool)> {
        let mut lines: Vec<(u32, bool)> = self.lines.iter().map(|&(n, h)| (n, h > 0)).collect();
        lines.sort_unstable();
        lines.dedup_by(|next, kept| {
            let same = next.0 == kept.0;
            kept.1 |= same && next.1;
            same
        });
        lines
    }

    /// Sorts lines and branches and sums repeated ones: hit counts add up (saturating),
    /// a branch never evaluated (`-`) merged with a count takes the count.
    pub fn normalize(&mut self) {
        if !self.lines.windows(2).all(|w| w[0].0 < w[1].0) {
            self.lines.sort_by_key(|l| l.0);
            self.lines.dedup_by(|next, kept| {
                let same = next.0 == kept.0;
                if same {
                    kept.1 = kept.1.saturating_add(next.1);
                }
                same
            });
        }
        if !self.branches.windows(2).all(|w| w[0].key() < w[1].key()) {
            self.branches.sort_by_key(Branch::key);
            self.branches.dedup_by(|next, kept| {
                let same = next.key() == kept.key();
                if same {
                    kept.taken = match (kept.taken, next.taken) {
                        (Some(a), Some(b)) => Some(a.saturating_add(b)),
                        (a, b) => a.or(b),
                    };
                }
                same
            });
        }
        if !self.blocks.windows(2).all(|w| w[0].span < w[1].span) {
            self.blocks.sort_by_key(|b| b.span);
            let mut inconsistent = 0;
            self.blocks.dedup_by(|next, kept| {
                let same = next.span == kept.span;
                if same {
                    if next.statements != kept.statements {
                        inconsistent += 1;
                        kept.statements = kept.statements.max(next.statements);
                    }
                    kept.count = kept.count.saturating_add(next.count);
                }
                same
            });
            self.inconsistent += inconsistent;
        }
        if self.functions.len() > 1 {
            let mut seen: HashMap<&str, usize> =
                HashMap::with_capacity_and_hasher(self.functions.len(), Default::default());
            let mut merged: Vec<Function> = Vec::with_capacity(self.functions.len());
            for f in &self.functions {
                match seen.get(f.name.as_str()) {
                    Some(&i) => {
                        let m: &mut Function = &mut merged[i];
                        m.hits = m.hits.saturating_add(f.hits);
                        if m.line == 0 {
                            m.line = f.line;
                        }
                    }
                    None => {
                        seen.insert(&f.name, merged.len());
                        merged.push(f.clone());
                    }
                }
            }
            drop(seen);
            self.functions = merged;
        }
    }

    /// Adds another record of the same file (hit counts summed, as lcov does).
    pub fn merge(&mut self, other: &FileDetail) {
        let summary = match (self.lines.is_empty() && other.lines.is_empty(), self.summary, other.summary) {
            (true, Some(a), Some(b)) => Some(a.add(b)),
            _ => None,
        };
        self.lines.extend_from_slice(&other.lines);
        self.branches.extend_from_slice(&other.branches);
        self.blocks.extend_from_slice(&other.blocks);
        self.inconsistent += other.inconsistent;
        self.functions.extend(other.functions.iter().cloned());
        self.has_branches |= other.has_branches;
        self.has_functions |= other.has_functions;
        // Stated totals describe one record; two records are recounted from their data, unless
        // neither has any (summary-only records), whose totals add up.
        self.summary = summary;
        self.normalize();
    }

    /// The compact form. Normalizes first.
    pub fn summarize(&mut self) -> FileCoverage {
        self.normalize();
        let stated = self.summary.unwrap_or_default();
        let line_bits = (!self.lines.is_empty()).then(|| LineBits::of_sorted(&self.lines));
        let lines = match (stated.lines, &line_bits) {
            _ if !self.blocks.is_empty() => statements(&self.blocks),
            (Some(c), _) => c,
            (None, Some(bits)) => Counts::new(bits.coverable_count(), bits.covered_count()),
            (None, None) => Counts::default(),
        };
        let branches = stated.branches.or_else(|| {
            (self.has_branches || !self.branches.is_empty()).then(|| {
                let covered = self.branches.iter().filter(|b| b.taken.unwrap_or(0) > 0).count();
                Counts::new(self.branches.len() as u64, covered as u64)
            })
        });
        let functions = stated.functions.or_else(|| {
            (self.has_functions || !self.functions.is_empty()).then(|| {
                let covered = self.functions.iter().filter(|f| f.hits > 0).count();
                Counts::new(self.functions.len() as u64, covered as u64)
            })
        });
        FileCoverage { path: self.path.clone(), lines, branches, functions, line_bits }
    }
}

/// Go's figure for `blocks`: Σ statements, and Σ statements of the blocks that ran.
pub fn statements(blocks: &[Block]) -> Counts {
    let mut c = Counts::default();
    for b in blocks {
        c.total = c.total.saturating_add(b.statements);
        if b.count > 0 {
            c.covered = c.covered.saturating_add(b.statements);
        }
    }
    c
}

/// Files with hit counts, merged by path: what `temis merge` accumulates.
#[derive(Debug, Default)]
pub struct DetailSet {
    index: HashMap<String, usize>,
    pub files: Vec<FileDetail>,
}

impl DetailSet {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, detail: &FileDetail) {
        match self.index.get(&detail.path) {
            Some(&i) => self.files[i].merge(detail),
            None => {
                self.index.insert(detail.path.clone(), self.files.len());
                let mut own = detail.clone();
                own.normalize();
                self.files.push(own);
            }
        }
    }

    /// The file of `path`, if the set has it.
    pub fn get(&self, path: &str) -> Option<&FileDetail> {
        self.index.get(path).map(|&i| &self.files[i])
    }

    pub fn sort(&mut self) {
        self.files.sort_by(|a, b| a.path.cmp(&b.path));
        self.index = self.files.iter().enumerate().map(|(i, f)| (f.path.clone(), i)).collect();
    }
}

impl Sink for DetailSet {
    fn file(&mut self, detail: &mut FileDetail) {
        self.add(detail);
    }

    fn replace(&mut self, detail: &mut FileDetail) {
        match self.index.get(&detail.path) {
            Some(&i) => {
                detail.normalize();
                self.files[i] = detail.clone();
            }
            None => self.add(detail),
        }
    }

    fn is_lossy(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_sum_by_key() {
        let mut a = FileDetail::new("x.c");
        a.lines = vec![(1, 1), (2, 0)];
        a.branches = vec![
            Branch { line: 2, block: 0, branch: 0, taken: None },
            Branch { line: 2, block: 0, branch: 1, taken: Some(0) },
        ];
        let mut b = a.clone();
        b.lines = vec![(2, 3), (3, 0)];
        b.branches[0].taken = Some(4);
        a.merge(&b);
        assert_eq!(a.lines, vec![(1, 1), (2, 3), (3, 0)]);
        assert_eq!(a.branches[0].taken, Some(4));
        let s = a.summarize();
        assert_eq!(s.lines, Counts::new(3, 2));
        assert_eq!(s.branches, Some(Counts::new(2, 1)));
    }
}
