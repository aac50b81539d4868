//! LLVM's per-line rule (`LineCoverageStats`, llvm-cov 14 and later) over a file's segments.
//!
//! Segments come sorted by position. Walking them line by line, a line is *mapped* (coverable)
//! when it does not start a skipped region and either a non-gap region with a count starts on
//! it or the region wrapping in from an earlier line has a count. Its count is the highest of
//! the wrapped count and the counts of the regions starting on it. This is what
//! `llvm-cov show` marks and what its LCOV export writes as `DA` records; the totals llvm-cov
//! prints come from `summary` instead and may differ by a few lines.
//!
//! LLVM 19 added one more rule (any region entry with a count maps its line, even a gap region
//! or one after a skipped region's start). The export names its version only after all its
//! data, so the rule of LLVM 14 to 18 is applied to every export; on a newer one a rare line
//! may be missing from the per-line data. Totals are not affected.

/// The highest line number accepted (a source file of 16 million lines); a region wrapping
/// lines up to it is expanded line by line, so it also bounds the work one file can cause.
pub const MAX_LINE: u32 = 1 << 24;

/// One `[line, col, count, hasCount, isRegionEntry, isGapRegion]` segment (column not needed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    pub line: u32,
    pub count: u64,
    pub has_count: bool,
    pub is_entry: bool,
    pub is_gap: bool,
}

impl Segment {
    fn starts_region(&self) -> bool {
        !self.is_gap && self.has_count && self.is_entry
    }
}

/// Turns a stream of segments into `(line, count)` for every mapped line.
#[derive(Debug, Default)]
pub struct LineWalker {
    lines: Vec<(u32, u64)>,
    /// The line whose segments are being gathered.
    line: u32,
    first: Option<Segment>,
    last: Option<Segment>,
    /// Whether a region with a count starts on the line, and the highest such count.
    starts: bool,
    max_start: u64,
    /// The last segment of the last line that had any.
    wrapped: Option<Segment>,
}

/// Why a file's segments cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SegmentError {
    #[error("line {0} is past the {MAX_LINE} lines temis accepts for a source file")]
    PastMaxLine(u64),
    #[error("segments out of order: line {line} after line {previous}")]
    OutOfOrder { line: u64, previous: u64 },
}

impl LineWalker {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, seg: Segment) -> Result<(), SegmentError> {
        if seg.line > MAX_LINE {
            return Err(SegmentError::PastMaxLine(u64::from(seg.line)));
        }
        if self.first.is_some() {
            if seg.line < self.line {
                return Err(SegmentError::OutOfOrder { line: u64::from(seg.line), previous: u64::from(self.line) });
            }
            if seg.line > self.line {
                self.finish_line();
                // Lines without segments of their own take the wrapping region's count.
                if let Some(w) = self.wrapped.filter(|w| w.has_count) {
                    self.lines.extend((self.line + 1..seg.line).map(|l| (l, w.count)));
                }
            }
        }
        if self.first.is_none() || seg.line > self.line {
            self.line = seg.line;
            self.first = Some(seg);
            self.starts = false;
            self.max_start = 0;
        }
        if seg.starts_region() {
            self.max_start = if self.starts { self.max_start.max(seg.count) } else { seg.count };
            self.starts = true;
        }
        self.last = Some(seg);
        Ok(())
    }

    /// The mapped lines, ascending. Lines after the last segment are not mapped.
    pub fn finish(mut self) -> Vec<(u32, u64)> {
        if self.first.is_some() {
            self.finish_line();
        }
        self.lines
    }

    fn finish_line(&mut self) {
        let skipped = self.first.is_some_and(|f| f.is_entry && !f.has_count);
        let wrapped_count = self.wrapped.filter(|w| w.has_count);
        if !skipped && (wrapped_count.is_some() || self.starts) && self.line > 0 {
            let mut count = self.wrapped.map_or(0, |w| w.count);
            if self.starts {
                count = count.max(self.max_start);
            }
            self.lines.push((self.line, count));
        }
        self.wrapped = self.last;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(line: u32, count: u64, has_count: bool, is_entry: bool, is_gap: bool) -> Segment {
        Segment { line, count, has_count, is_entry, is_gap }
    }

    fn walk(segs: &[Segment]) -> Vec<(u32, u64)> {
        let mut w = LineWalker::new();
        for &s in segs {
            w.push(s).unwrap();
        }
        w.finish()
    }

    #[test]
    fn a_function_body_with_an_unexecuted_branch() {
        // fn f() {            line 1: the body region, count 3
        //     if x {          line 2: a gap region, then the `then` region (count 0) starts
        //         y();        line 3: wrapped by the `then` region
        //     }               line 4: back to the body's count, not a region entry
        // }                   line 5: end of the body
        let lines = walk(&[
            seg(1, 3, true, true, false),
            seg(2, 3, true, true, true),
            seg(2, 0, true, true, false),
            seg(4, 3, true, false, false),
            seg(5, 0, false, false, false),
        ]);
        assert_eq!(lines, vec![(1, 3), (2, 3), (3, 0), (4, 0), (5, 3)]);
    }

    #[test]
    fn wrapped_lines_without_segments_take_the_wrapping_count() {
        let lines = walk(&[seg(10, 7, true, true, false), seg(13, 0, false, false, false)]);
        assert_eq!(lines, vec![(10, 7), (11, 7), (12, 7), (13, 7)]);
    }

    #[test]
    fn skipped_regions_and_gaps_are_not_mapped() {
        let lines = walk(&[
            seg(1, 0, false, true, false), // #ifdef'd out: skipped region start
            seg(3, 0, false, false, false),
            seg(5, 2, true, true, true), // a gap region alone does not map a line
            seg(5, 0, false, false, false),
        ]);
        assert_eq!(lines, vec![]);
    }

    #[test]
    fn the_highest_count_on_a_line_wins() {
        let lines = walk(&[seg(4, 1, true, true, false), seg(4, 9, true, true, false), seg(4, 0, false, false, false)]);
        assert_eq!(lines, vec![(4, 9)]);
    }

    #[test]
    fn disorder_and_huge_lines_are_errors() {
        let mut w = LineWalker::new();
        w.push(seg(5, 1, true, true, false)).unwrap();
        assert_eq!(
            w.push(seg(4, 1, true, true, false)).unwrap_err().to_string(),
            "segments out of order: line 4 after line 5"
        );
        let mut w = LineWalker::new();
        assert!(w.push(seg(MAX_LINE + 1, 1, true, true, false)).unwrap_err().to_string().contains("past the"));
    }
}
