//! Per-line coverage in two bits a line: coverable, and covered.
//!
//! A report of 25 million line records summarizes in a few megabytes this way; memory grows with
//! the number of files and their length, not with the size of the report.

use std::fmt::Write;

/// Which lines of one file are coverable and which of those were executed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineBits {
    coverable: Vec<u64>,
    covered: Vec<u64>,
}

impl LineBits {
    /// The largest line number kept (2^24, as the parsers enforce).
    pub const MAX_LINE: u32 = 1 << 24;

    pub fn new() -> Self {
        Self::default()
    }

    /// Marks `line` (1-based) coverable, and covered when `hit`. Lines past
    /// [`MAX_LINE`](Self::MAX_LINE) are ignored: parsers reject them, and a hostile report must
    /// not make a two-bit-per-line store allocate gigabytes.
    #[inline]
    pub fn set(&mut self, line: u32, hit: bool) {
        if line > Self::MAX_LINE {
            return;
        }
        let (word, bit) = ((line >> 6) as usize, 1u64 << (line & 63));
        if word >= self.coverable.len() {
            let len = (word + 1).next_power_of_two().max(4);
            self.coverable.resize(len, 0);
            self.covered.resize(len, 0);
        }
        self.coverable[word] |= bit;
        if hit {
            self.covered[word] |= bit;
        }
    }

    /// The bits of words `coverable` and `covered` (line `l` is bit `l % 64` of word `l / 64`;
    /// `covered` within `coverable`), sized as [`set`](Self::set) would have sized them.
    pub fn from_words(coverable: &[u64], covered: &[u64]) -> Self {
        let top = coverable.iter().rposition(|&w| w != 0).map_or(0, |i| i + 1);
        if top == 0 {
            return Self::new();
        }
        let len = top.next_power_of_two().max(4);
        let mut bits = Self { coverable: vec![0; len], covered: vec![0; len] };
        bits.coverable[..top].copy_from_slice(&coverable[..top]);
        for (h, (&w, &c)) in bits.covered.iter_mut().zip(covered.iter().zip(coverable)).take(top) {
            *h = w & c;
        }
        bits
    }

    /// Lines in both, covered when covered in either ("covered in any input is covered").
    pub fn union(&mut self, other: &LineBits) {
        if other.coverable.len() > self.coverable.len() {
            self.coverable.resize(other.coverable.len(), 0);
            self.covered.resize(other.coverable.len(), 0);
        }
        for (i, (c, h)) in other.coverable.iter().zip(&other.covered).enumerate() {
            self.coverable[i] |= c;
            self.covered[i] |= h;
        }
    }

    pub fn is_coverable(&self, line: u32) -> bool {
        self.test(&self.coverable, line)
    }

    pub fn is_covered(&self, line: u32) -> bool {
        self.test(&self.covered, line)
    }

    fn test(&self, words: &[u64], line: u32) -> bool {
        words.get((line >> 6) as usize).is_some_and(|w| w & (1u64 << (line & 63)) != 0)
    }

    pub fn coverable_count(&self) -> u64 {
        self.coverable.iter().map(|w| u64::from(w.count_ones())).sum()
    }

    pub fn covered_count(&self) -> u64 {
        self.covered.iter().map(|w| u64::from(w.count_ones())).sum()
    }

    /// Coverable lines that were not executed, ascending.
    pub fn uncovered(&self) -> impl Iterator<Item = u32> + '_ {
        self.coverable.iter().zip(&self.covered).enumerate().flat_map(|(i, (c, h))| {
            let mut missed = c & !h;
            std::iter::from_fn(move || {
                (missed != 0).then(|| {
                    let bit = missed.trailing_zeros();
                    missed &= missed - 1;
                    (i as u32) * 64 + bit
                })
            })
        })
    }

    /// Uncovered lines folded into inclusive ranges, as `3-7, 12` is printed.
    pub fn uncovered_ranges(&self) -> Vec<(u32, u32)> {
        let mut ranges: Vec<(u32, u32)> = Vec::new();
        for line in self.uncovered() {
            match ranges.last_mut() {
                Some((_, end)) if *end + 1 == line => *end = line,
                _ => ranges.push((line, line)),
            }
        }
        ranges
    }
}

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
    use super::*;

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
