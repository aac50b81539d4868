//! What a summary keeps of one file record, gathered while the record is read.
//!
//! A [`CoverageBuilder`](crate::model::CoverageBuilder) keeps two bits per line and three counts
//! per file. Collecting every `(line, hits)` pair and every branch first, then sorting them, is
//! most of the work for a large report; here a `DA` record sets its bits at once (a line given
//! twice is the same bit, so nothing is sorted). Branch and function records are only noted while
//! records state their own `BRF`/`BRH` and `FNF`/`FNH` totals (which a summary then uses); once
//! one does not, branch keys and function names are kept too. Branch keys are checked for order
//! as they come: only a record whose branches are out of order (or repeated) is sorted at its end.

use crate::model::{Counts, Function, LineBits};
use crate::parsers::text::MAX_LINE_NUMBER;

/// Words of a bit array with a bit for every line up to [`MAX_LINE_NUMBER`].
const WORDS: usize = (MAX_LINE_NUMBER as usize >> 6) + 1;

/// A branch's identity within its file, ordered as [`crate::model::Branch`] keys are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    line: u32,
    block: u32,
    branch: u32,
}

/// The bits of one word of lines (64 line numbers) not yet written to a [`Tally`]: kept by the
/// read loop in registers, so that consecutive `DA` records do not each wait for the previous
/// one's write to memory.
#[derive(Clone, Copy, Default)]
#[cfg_attr(test, derive(Debug, PartialEq, Eq))]
pub(super) struct Pending {
    word: u32,
    coverable: u64,
    covered: u64,
}

/// Lines and branches of the record being read, in summary form.
#[derive(Default)]
pub(super) struct Tally {
    /// Two bit arrays indexed by line number, allocated on first use ([`WORDS`] long, zeroed
    /// memory the system hands out untouched: only the pages of real line numbers are used);
    /// words from `top` on are zero.
    coverable: Vec<u64>,
    covered: Vec<u64>,
    top: usize,
    /// Whether branch keys (and function names) are kept, else their records are only noted.
    pub(super) keys: bool,
    /// Whether there was a branch record.
    any_branch: bool,
    /// Whether there was a function record only noted here (without `keys`).
    any_function: bool,
    /// With `keys`: the last branch key, and the branch records counted so far (distinct while
    /// the keys increase, as producers write them).
    last: Option<Key>,
    count: u64,
    /// Branch records taken at least once.
    taken: u64,
    /// A key came out of order (or twice): the counts are not of distinct branches, and the
    /// record is read again in full.
    disordered: bool,
}

impl Tally {
    /// A `DA` record: `line` (1 to [`MAX_LINE_NUMBER`]) is coverable, and covered when `hit`.
    #[cfg(test)]
    pub(super) fn line(&mut self, line: u32, hit: bool) {
        let mut pending = Pending::default();
        self.line_via(&mut pending, line, hit);
        self.flush(&mut pending);
    }

    /// [`line`](Self::line), through `pending` (which [`flush`](Self::flush) writes out).
    #[inline(always)]
    pub(super) fn line_via(&mut self, pending: &mut Pending, line: u32, hit: bool) {
        let word = line >> 6;
        if word != pending.word {
            self.flush(pending);
            pending.word = word;
        }
        let bit = 1u64 << (line & 63);
        pending.coverable |= bit;
        pending.covered |= bit & u64::from(hit).wrapping_neg();
    }

    /// Writes the bits `pending` holds.
    #[inline(always)]
    pub(super) fn flush(&mut self, pending: &mut Pending) {
        if pending.coverable == 0 {
            return;
        }
        let word = pending.word as usize;
        match (self.coverable.get_mut(word), self.covered.get_mut(word)) {
            (Some(c), Some(h)) => {
                *c |= pending.coverable;
                *h |= pending.covered;
                if word >= self.top {
                    self.top = word + 1;
                }
            }
            _ => self.first_word(word, *pending),
        }
        (pending.coverable, pending.covered) = (0, 0);
    }

    #[cold]
    #[inline(never)]
    fn first_word(&mut self, word: usize, pending: Pending) {
        if word >= WORDS || !self.coverable.is_empty() {
            return; // parsers reject these lines; ignored as `LineBits::set` ignores them
        }
        self.coverable = vec![0; WORDS];
        self.covered = vec![0; WORDS];
        self.coverable[word] = pending.coverable;
        self.covered[word] = pending.covered;
        self.top = word + 1;
    }

    /// An `FN` or `FNDA` record, read only as far as being one (without `keys`).
    #[inline(always)]
    pub(super) fn function_record(&mut self) {
        self.any_function = true;
    }

    pub(super) fn has_functions(&self) -> bool {
        self.any_function
    }

    /// A `BRDA` record, read only as far as being one (without `keys`).
    #[inline(always)]
    pub(super) fn branch_record(&mut self) {
        self.any_branch = true;
    }

    /// A `BRDA` record.
    #[inline(always)]
    pub(super) fn branch(&mut self, line: u32, block: u32, branch: u32, taken: bool) {
        self.any_branch = true;
        if !self.keys {
            return;
        }
        let key = Key { line, block, branch };
        if let Some(last) = self.last {
            self.disordered |= key <= last;
        }
        self.last = Some(key);
        self.count += 1;
        self.taken += u64::from(taken);
    }

    /// The last branch key, for tests.
    #[cfg(test)]
    pub(super) fn last_key(&self) -> Option<(u32, u32, u32)> {
        self.last.map(|k| (k.line, k.block, k.branch))
    }

    /// Whether a branch key came out of order: [`branch_counts`](Self::branch_counts) is then
    /// not the count of distinct branches.
    pub(super) fn disordered(&self) -> bool {
        self.disordered
    }

    pub(super) fn has_lines(&self) -> bool {
        self.top > 0
    }

    pub(super) fn has_branches(&self) -> bool {
        self.any_branch
    }

    /// Distinct lines, and those hit.
    pub(super) fn line_counts(&self) -> Counts {
        let ones = |words: &[u64]| words.iter().map(|w| u64::from(w.count_ones())).sum();
        Counts::new(ones(&self.coverable[..self.top]), ones(&self.covered[..self.top]))
    }

    /// Distinct branches, and those taken (known with `keys`, unless [`disordered`](Self::disordered)).
    pub(super) fn branch_counts(&mut self) -> Counts {
        Counts::new(self.count, self.taken)
    }

    /// The line bits, as [`LineBits::set`] would have built them line by line; `None` without
    /// lines. Leaves the lines empty.
    pub(super) fn take_bits(&mut self) -> Option<LineBits> {
        if self.top == 0 {
            return None;
        }
        let top = self.top;
        let bits = LineBits::from_words(&self.coverable[..top], &self.covered[..top]);
        self.clear_lines();
        Some(bits)
    }

    fn clear_lines(&mut self) {
        let top = std::mem::take(&mut self.top);
        self.coverable[..top].fill(0);
        self.covered[..top].fill(0);
    }

    pub(super) fn clear(&mut self) {
        if self.top > 0 {
            self.clear_lines();
        }
        self.last = None;
        self.count = 0;
        self.any_branch = false;
        self.any_function = false;
        self.disordered = false;
        self.taken = 0;
    }
}

/// Distinct functions (by name, as [`crate::model::FileDetail::normalize`] merges them), and
/// those called in any of their records.
pub(super) fn function_counts(functions: &[Function]) -> Counts {
    if functions.len() < 2 {
        let hit = functions.iter().filter(|f| f.hits > 0).count();
        return Counts::new(functions.len() as u64, hit as u64);
    }
    let mut seen: rustc_hash::FxHashMap<&str, bool> =
        rustc_hash::FxHashMap::with_capacity_and_hasher(functions.len(), Default::default());
    for f in functions {
        *seen.entry(f.name.as_str()).or_default() |= f.hits > 0;
    }
    Counts::new(seen.len() as u64, seen.values().filter(|&&hit| hit).count() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Branch, FileDetail};

    #[test]
    fn agrees_with_the_detailed_model() {
        let lines = [(5, 0), (3, 2), (5, 7), (70, 0), (1, 0), (200, 1), (3, 0)];
        let branches = [(2, 9, 9, None), (4, 0, 0, None), (4, 0, 1, Some(3)), (7, 0, 0, Some(0))];
        let mut detail = FileDetail::new("x.c");
        let mut tally = Tally { keys: true, ..Tally::default() };
        for (line, hits) in lines {
            detail.lines.push((line, hits));
            tally.line(line, hits > 0);
        }
        for (line, block, branch, taken) in branches {
            detail.branches.push(Branch { line, block, branch, taken });
            tally.branch(line, block, branch, taken.unwrap_or(0) > 0);
        }
        let summary = detail.summarize();
        assert_eq!(tally.line_counts(), summary.lines);
        assert_eq!(Some(tally.branch_counts()), summary.branches);
        assert_eq!(tally.take_bits(), summary.line_bits);
        assert!(!tally.has_lines());
        tally.clear();
        assert_eq!(tally.branch_counts(), Counts::default());
    }

    #[test]
    fn sorted_branches_are_counted_as_they_come() {
        let mut tally = Tally { keys: true, ..Tally::default() };
        tally.branch(1, 0, 0, true);
        tally.branch(1, 0, 1, false);
        tally.branch(2, 0, 0, true);
        assert!(!tally.disordered());
        assert_eq!(tally.branch_counts(), Counts::new(3, 2));
        tally.branch(2, 0, 0, false);
        assert!(tally.disordered(), "a repeated key: the record is read again in full");
    }

    #[test]
    fn functions_count_once_per_name() {
        let f = |name: &str, hits| Function { name: name.into(), line: 1, hits };
        assert_eq!(function_counts(&[f("a", 0), f("b", 2), f("a", 1)]), Counts::new(2, 2));
        assert_eq!(function_counts(&[f("a", 0)]), Counts::new(1, 0));
        assert_eq!(function_counts(&[]), Counts::default());
    }
}
