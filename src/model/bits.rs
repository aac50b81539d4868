//! Per-line coverage in two bits a line: coverable, and covered.
//!
//! A report of 25 million line records summarizes in a few megabytes this way; memory grows with
//! the number of files and their length, not with the size of the report. Lines far beyond a
//! file's others (a hostile `DA:16777215`) go to a small map instead of stretching the bit words
//! to them: memory stays bounded by the number of line records, not by the largest line number.

use std::collections::BTreeMap;
use std::fmt::Write;

/// Which lines of one file are coverable and which of those were executed.
#[derive(Clone, Debug, Default)]
pub struct LineBits {
    coverable: Vec<u64>,
    covered: Vec<u64>,
    /// Coverable lines at or past `coverable.len() * 64`, with whether each was covered.
    far: BTreeMap<u32, bool>,
    /// Coverable lines set in the words (for the growth rule).
    dense: u64,
}

/// The words may grow to `FREE_WORDS`, or to this many words per coverable line, whichever is
/// more (a file of 100,000 lines uses 3,125 words; a stray line at 16.7 M would need 262,144).
const FREE_WORDS: usize = 4096;
const WORDS_PER_LINE: u64 = 8;

impl LineBits {
    /// The largest line number kept (2^24, as the parsers enforce).
    pub const MAX_LINE: u32 = 1 << 24;

    pub fn new() -> Self {
        Self::default()
    }

    /// Marks `line` (1-based) coverable, and covered when `hit`. Lines past
    /// [`MAX_LINE`](Self::MAX_LINE) are ignored: parsers reject them.
    #[inline]
    pub fn set(&mut self, line: u32, hit: bool) {
        if line > Self::MAX_LINE {
            return;
        }
        let (word, bit) = ((line >> 6) as usize, 1u64 << (line & 63));
        if word >= self.coverable.len() && !self.grow(word) {
            let covered = self.far.entry(line).or_insert(false);
            *covered |= hit;
            return;
        }
        if self.coverable[word] & bit == 0 {
            self.dense += 1;
        }
        self.coverable[word] |= bit;
        if hit {
            self.covered[word] |= bit;
        }
    }

    /// The bits of `lines` (line numbers ascending, each once, with their hits), as
    /// [`set`](Self::set) builds them line by line: at once when the words they need fit where
    /// `set` may grow them without counting lines, else by `set`.
    pub fn of_sorted(lines: &[(u32, u64)]) -> Self {
        debug_assert!(lines.windows(2).all(|w| w[0].0 < w[1].0), "lines ascending, each once");
        let mut bits = Self::new();
        let Some(&(last, _)) = lines.last() else { return bits };
        let len = ((last >> 6) as usize + 1).next_power_of_two().max(4);
        if last > Self::MAX_LINE || len > FREE_WORDS {
            lines.iter().for_each(|&(line, hits)| bits.set(line, hits > 0));
            return bits;
        }
        bits.coverable = vec![0; len];
        bits.covered = vec![0; len];
        // Ascending, a word's lines come together: its bits are gathered in registers and stored
        // once a word, not read back from memory line after line.
        let (mut word, mut coverable, mut covered) = ((lines[0].0 >> 6) as usize, 0u64, 0u64);
        for &(line, hits) in lines {
            if (line >> 6) as usize != word {
                bits.coverable[word] |= coverable;
                bits.covered[word] |= covered;
                (word, coverable, covered) = ((line >> 6) as usize, 0, 0);
            }
            let bit = 1u64 << (line & 63);
            coverable |= bit;
            covered |= bit * u64::from(hits > 0);
        }
        bits.coverable[word] |= coverable;
        bits.covered[word] |= covered;
        bits.dense = lines.len() as u64;
        bits
    }

    /// Grows the words to hold `word`, when that stays within the budget; moves the far lines
    /// the words now reach into them.
    fn grow(&mut self, word: usize) -> bool {
        let len = (word + 1).next_power_of_two().max(4);
        let budget = FREE_WORDS.max(((self.dense + self.far.len() as u64 + 1) * WORDS_PER_LINE) as usize);
        if len > budget {
            return false;
        }
        self.coverable.resize(len, 0);
        self.covered.resize(len, 0);
        let reach = (len as u64 * 64).min(u64::from(u32::MAX)) as u32;
        let near: Vec<(u32, bool)> = self.far.range(..reach).map(|(&l, &h)| (l, h)).collect();
        for (line, hit) in near {
            self.far.remove(&line);
            self.set(line, hit);
        }
        true
    }

    /// The bits of words `coverable` and `covered` (line `l` is bit `l % 64` of word `l / 64`;
    /// `covered` within `coverable`), as [`set`](Self::set) would have built them.
    pub fn from_words(coverable: &[u64], covered: &[u64]) -> Self {
        let top = coverable.iter().rposition(|&w| w != 0).map_or(0, |i| i + 1);
        if top == 0 {
            return Self::new();
        }
        let dense: u64 = coverable[..top].iter().map(|w| u64::from(w.count_ones())).sum();
        let len = top.next_power_of_two().max(4);
        if len > FREE_WORDS.max((dense * WORDS_PER_LINE) as usize) {
            // Sparse: line by line, as set() keeps it.
            let mut bits = Self::new();
            for (i, (&c, &h)) in coverable[..top].iter().zip(covered).enumerate() {
                let mut w = c;
                while w != 0 {
                    let b = w.trailing_zeros();
                    w &= w - 1;
                    bits.set((i as u32) * 64 + b, h & (1 << b) != 0);
                }
            }
            return bits;
        }
        let mut bits = Self { coverable: vec![0; len], covered: vec![0; len], far: BTreeMap::new(), dense };
        bits.coverable[..top].copy_from_slice(&coverable[..top]);
        for (h, (&w, &c)) in bits.covered.iter_mut().zip(covered.iter().zip(coverable)).take(top) {
            *h = w & c;
        }
        bits
    }

    /// Lines in both, covered when covered in either ("covered in any input is covered").
    pub fn union(&mut self, other: &LineBits) {
        if other.coverable.len() > self.coverable.len() && !self.grow(other.coverable.len() - 1) {
            for line in other.lines() {
                self.set(line.0, line.1);
            }
            return;
        }
        for (i, (c, h)) in other.coverable.iter().zip(&other.covered).enumerate() {
            self.dense += u64::from((c & !self.coverable[i]).count_ones());
            self.coverable[i] |= c;
            self.covered[i] |= h;
        }
        for (&line, &hit) in &other.far {
            self.set(line, hit);
        }
    }

    pub fn is_coverable(&self, line: u32) -> bool {
        Self::test(&self.coverable, line) || self.far.contains_key(&line)
    }

    pub fn is_covered(&self, line: u32) -> bool {
        Self::test(&self.covered, line) || self.far.get(&line).copied().unwrap_or(false)
    }

    fn test(words: &[u64], line: u32) -> bool {
        words.get((line >> 6) as usize).is_some_and(|w| w & (1u64 << (line & 63)) != 0)
    }

    /// The highest coverable line, `None` when there is none.
    pub fn last_line(&self) -> Option<u32> {
        if let Some((&line, _)) = self.far.last_key_value() {
            return Some(line);
        }
        let (i, w) = self.coverable.iter().enumerate().rev().find(|(_, w)| **w != 0)?;
        Some(i as u32 * 64 + 63 - w.leading_zeros())
    }

    pub fn coverable_count(&self) -> u64 {
        self.dense + self.far.len() as u64
    }

    pub fn covered_count(&self) -> u64 {
        self.covered.iter().map(|w| u64::from(w.count_ones())).sum::<u64>()
            + self.far.values().filter(|h| **h).count() as u64
    }

    /// Every coverable line with whether it was covered, ascending.
    pub fn lines(&self) -> impl Iterator<Item = (u32, bool)> + '_ {
        let near = self.coverable.iter().zip(&self.covered).enumerate().flat_map(|(i, (c, h))| {
            let (mut rest, hits) = (*c, *h);
            std::iter::from_fn(move || {
                (rest != 0).then(|| {
                    let bit = rest.trailing_zeros();
                    rest &= rest - 1;
                    ((i as u32) * 64 + bit, hits & (1 << bit) != 0)
                })
            })
        });
        near.chain(self.far.iter().map(|(&l, &h)| (l, h)))
    }

    /// Coverable lines that were not executed, ascending.
    pub fn uncovered(&self) -> impl Iterator<Item = u32> + '_ {
        self.lines().filter(|(_, hit)| !hit).map(|(line, _)| line)
    }

    /// Uncovered lines folded into inclusive ranges, as `3-7, 12` is printed.
    pub fn uncovered_ranges(&self) -> Vec<(u32, u32)> {
        self.ranges(false)
    }

    /// The covered (`hit`) or uncovered lines as inclusive ranges of adjacent line numbers,
    /// ascending ([`LineBits::each_range`], gathered).
    pub fn ranges(&self, hit: bool) -> Vec<(u32, u32)> {
        let mut ranges = Vec::new();
        self.each_range(hit, |from, to| ranges.push((from, to)));
        ranges
    }

    /// Hands `f` the covered (`hit`) or uncovered lines as inclusive ranges of adjacent line
    /// numbers, ascending, without gathering them. Read a word at a time: each run of set bits
    /// is one range (or the end of one that began in the word before).
    pub fn each_range(&self, hit: bool, mut f: impl FnMut(u32, u32)) {
        // The range being grown: handed on once a line not next to it comes.
        let mut open: Option<(u32, u32)> = None;
        let mut add = |from: u32, to: u32| match &mut open {
            Some((_, end)) if end.checked_add(1) == Some(from) => *end = to,
            _ => {
                if let Some((a, b)) = open.replace((from, to)) {
                    f(a, b);
                }
            }
        };
        for (i, (&c, &h)) in self.coverable.iter().zip(&self.covered).enumerate() {
            let mut rest = c & if hit { h } else { !h };
            let base = (i as u32) * 64;
            while rest != 0 {
                let start = rest.trailing_zeros();
                // The run's length: the ones from `start` up (64 - start when they reach the top).
                let len = (!(rest >> start)).trailing_zeros();
                add(base + start, base + start + len - 1);
                rest = rest.checked_shr(start + len).map_or(0, |r| r << (start + len));
            }
        }
        for (&line, &h) in &self.far {
            if h == hit {
                add(line, line);
            }
        }
        if let Some((a, b)) = open {
            f(a, b);
        }
    }
}

/// The same lines, covered the same way, however they are stored.
impl PartialEq for LineBits {
    fn eq(&self, other: &Self) -> bool {
        self.coverable_count() == other.coverable_count() && self.lines().eq(other.lines())
    }
}

impl Eq for LineBits {}

/// Line ranges as people read them: `3-7, 12, 20-21`, shortened past 12 ranges.
pub fn show_ranges(list: &[(u32, u32)]) -> String {
    let mut s = String::new();
    for (i, (a, b)) in list.iter().enumerate() {
        if i == 12 {
            let _ = write!(s, ", … ({} more)", list.len() - 12);
            break;
        }
        if i > 0 {
            s.push_str(", ");
        }
        if a == b {
            let _ = write!(s, "{a}");
        } else {
            let _ = write!(s, "{a}-{b}");
        }
    }
    s
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_last_line_is_the_highest_coverable_one() {
        let mut b = LineBits::new();
        assert_eq!(b.last_line(), None);
        for line in [3, 64, 65, 127] {
            b.set(line, false);
            assert_eq!(b.last_line(), Some(line));
        }
        b.set(LineBits::MAX_LINE, true);
        assert_eq!(b.last_line(), Some(LineBits::MAX_LINE));
    }

    use super::*;

    /// Bits made at once of sorted lines are the very bits line-by-line growth builds: dense,
    /// sparse (far lines), past the words `set` grows to unasked, and past the largest line.
    #[test]
    fn bits_of_sorted_lines_are_the_bits_set_line_by_line() {
        let sets: [&[u32]; 8] = [
            &[],
            &[0, 1, 2, 3, 400],
            &[5],
            &[1, 70_000],
            &[1, 262_143],
            &[3, 262_144, 1 << 20],
            &[10, 20, 5_000_000, LineBits::MAX_LINE],
            &[10, 20, LineBits::MAX_LINE, LineBits::MAX_LINE + 1],
        ];
        // Many lines a word, hit and not, across several words.
        let dense: Vec<u32> = (1..700).filter(|l| l % 7 != 3 && l % 64 != 5).collect();
        for lines in sets.into_iter().chain([&dense[..]]) {
            let lines: Vec<(u32, u64)> = lines.iter().enumerate().map(|(i, &l)| (l, (i % 2) as u64 * 3)).collect();
            let mut one_by_one = LineBits::new();
            lines.iter().for_each(|&(line, hits)| one_by_one.set(line, hits > 0));
            assert_eq!(format!("{:?}", LineBits::of_sorted(&lines)), format!("{one_by_one:?}"), "{lines:?}");
        }
    }

    #[test]
    fn counts_and_ranges() {
        let mut b = LineBits::new();
        for (line, hit) in [(1, true), (2, false), (3, false), (5, true), (64, false), (200, false)] {
            b.set(line, hit);
        }
        b.set(2, false);
        assert_eq!(b.coverable_count(), 6);
        assert_eq!(b.covered_count(), 2);
        assert_eq!(b.uncovered_ranges(), vec![(2, 3), (64, 64), (200, 200)]);
        assert!(b.is_covered(5) && !b.is_covered(2) && !b.is_coverable(4));
    }

    /// The word-at-a-time ranges are the lines folded one by one: runs across word boundaries,
    /// runs reaching a word's top bit, whole words, and far lines that continue a run.
    #[test]
    fn ranges_are_the_lines_folded() {
        let fold = |b: &LineBits, hit: bool| {
            let mut ranges: Vec<(u32, u32)> = Vec::new();
            for line in b.lines().filter(|l| l.1 == hit).map(|l| l.0) {
                match ranges.last_mut() {
                    Some((_, end)) if *end + 1 == line => *end = line,
                    _ => ranges.push((line, line)),
                }
            }
            ranges
        };
        let mut next = crate::testing::below(0x9E37_79B9_7F4A_7C15);
        for round in 0..400 {
            let mut b = LineBits::new();
            let top = [70, 130, 300, 2000][round % 4];
            let density = next(5);
            for line in 1..top {
                if next(5) < density {
                    b.set(line, next(3) != 0 || round % 7 == 0);
                }
            }
            if round % 3 == 0 {
                // Whole words, and runs ending at a word's top bit.
                for line in 64..=191 {
                    b.set(line, round % 2 == 0);
                }
            }
            if round % 5 == 0 {
                let edge = (b.coverable.len() * 64) as u32;
                for line in [edge.max(1) - 1, edge, edge + 1, LineBits::MAX_LINE] {
                    b.set(line, round % 2 == 1);
                }
            }
            for hit in [false, true] {
                assert_eq!(b.ranges(hit), fold(&b, hit), "round {round}, hit {hit}");
            }
        }
        // Lines past the words' budget are kept apart (`far`); their runs join the words' and
        // each other.
        let mut apart = LineBits::new();
        for line in [5, 262_142, 262_143, 262_144, 262_145, 262_147] {
            apart.set(line, false);
        }
        assert!(apart.far.len() >= 2, "{:?}", apart.far);
        assert_eq!(apart.uncovered_ranges(), vec![(5, 5), (262_142, 262_145), (262_147, 262_147)]);
        assert_eq!(apart.uncovered_ranges(), fold(&apart, false));
        let mut full = LineBits::new();
        for line in 1..=256 {
            full.set(line, false);
        }
        assert_eq!(full.uncovered_ranges(), vec![(1, 256)]);
        assert_eq!(full.ranges(true), vec![]);
    }

    /// A hostile report's stray lines near the largest line number cost a map entry each, not
    /// 4 MB of words (a 38 KB LCOV took 4 GB).
    #[test]
    fn stray_far_lines_are_kept_without_stretching_the_words() {
        let mut b = LineBits::new();
        b.set(3, true);
        b.set(LineBits::MAX_LINE - 1, false);
        b.set(LineBits::MAX_LINE, true);
        assert!(b.coverable.len() <= FREE_WORDS, "{} words", b.coverable.len());
        assert_eq!((b.coverable_count(), b.covered_count()), (3, 2));
        assert!(b.is_covered(LineBits::MAX_LINE) && !b.is_covered(LineBits::MAX_LINE - 1));
        assert_eq!(b.uncovered_ranges(), vec![(LineBits::MAX_LINE - 1, LineBits::MAX_LINE - 1)]);
        // A long file still fills its words, and far lines it reaches move into them.
        let mut long = LineBits::new();
        long.set(300_000, true);
        for line in 1..=300_000 {
            long.set(line, line % 2 == 0);
        }
        assert!(long.far.is_empty());
        assert_eq!((long.coverable_count(), long.covered_count()), (300_000, 150_000));
        let mut u = LineBits::new();
        u.union(&b);
        u.union(&long);
        assert_eq!(u.coverable_count(), 300_002);
    }

    #[test]
    fn from_words_is_what_set_builds() {
        for lines in [&[(1, true)][..], &[(300, false), (2, true), (64, true)], &[(1 << 24, false), (5, true)]] {
            let mut set = LineBits::new();
            let (mut coverable, mut covered) = (vec![0u64; (1 << 18) + 1], vec![0u64; (1 << 18) + 1]);
            for &(line, hit) in lines {
                set.set(line, hit);
                coverable[(line >> 6) as usize] |= 1 << (line & 63);
                covered[(line >> 6) as usize] |= u64::from(hit) << (line & 63);
            }
            assert_eq!(LineBits::from_words(&coverable, &covered), set);
        }
        assert_eq!(LineBits::from_words(&[0, 0], &[0, 0]), LineBits::new());
    }

    #[test]
    fn union_is_covered_in_any() {
        let mut a = LineBits::new();
        a.set(1, false);
        a.set(2, true);
        let mut b = LineBits::new();
        b.set(1, true);
        b.set(300, false);
        a.union(&b);
        assert_eq!((a.coverable_count(), a.covered_count()), (3, 2));
    }
}
