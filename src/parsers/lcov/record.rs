//! What each hot LCOV record means, once its fields are found: one function per field and per
//! record, called by every path that reads one — the summary fast path on the read buffer
//! ([`super::scan::hot_record`]), the detailed fast path ([`super::section::Section::fast_record`])
//! and the general reader ([`super::section::Section::record`]). The fast paths only find the
//! fields (plain digits, at fixed places); what a field may hold and what a record adds to its
//! file is decided here, once.

use super::tally::{Pending, Tally};
use crate::model::{Branch, FileDetail};
use crate::parsers::text::MAX_LINE_NUMBER;

/// A `DA` or `BRDA` line number field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum LineNo {
    /// 1 to [`MAX_LINE_NUMBER`].
    Line(u32),
    /// `0`: a record lcov rejects, which is skipped (and counted in a note).
    Zero,
    /// Anything else: a malformed record.
    Invalid,
}

/// A line number field already read as a number (the fast paths read plain digits).
#[inline(always)]
pub(super) fn line_number(n: u64) -> LineNo {
    match n {
        0 => LineNo::Zero,
        n if n <= u64::from(MAX_LINE_NUMBER) => LineNo::Line(n as u32),
        _ => LineNo::Invalid,
    }
}

/// A line number field as written: digits only, `0` exactly for line zero.
pub(super) fn line_field(field: &[u8]) -> LineNo {
    if field == b"0" {
        return LineNo::Zero;
    }
    if field.is_empty() || field.len() > 10 || !field.iter().all(u8::is_ascii_digit) {
        return LineNo::Invalid;
    }
    match line_number(field.iter().fold(0u64, |n, d| n * 10 + u64::from(d - b'0'))) {
        LineNo::Line(l) => LineNo::Line(l),
        _ => LineNo::Invalid,
    }
}

/// A `BRDA` block or branch id that is a number of at most nine digits is itself (the fast
/// paths read up to seven); anything else is interned by the reader above this range.
#[inline(always)]
pub(super) fn numeric_id(field: &[u8]) -> Option<u32> {
    (field.len() <= 9 && !field.is_empty() && field.iter().all(u8::is_ascii_digit))
        .then(|| field.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0')))
}

/// `DA:<line>,<hits>` kept in full: the line, run `hits` times (repeats are summed later).
#[inline(always)]
pub(super) fn da_detail(detail: &mut FileDetail, line: u32, hits: u64) {
    detail.lines.push((line, hits));
}

/// `DA:<line>,<hits>` in a summary: the line is coverable, and covered when `run` (hits > 0).
#[inline(always)]
pub(super) fn da_summary(tally: &mut Tally, pending: &mut Pending, line: u32, run: bool) {
    tally.line_via(pending, line, run);
}

/// `BRDA`'s taken field: `-` is a branch never evaluated (`None`), else how often it was taken.
#[inline(always)]
pub(super) fn was_taken(taken: Option<u64>) -> bool {
    taken.is_some_and(|t| t > 0)
}

/// `BRDA:<line>,<block>,<branch>,<taken>` kept in full.
#[inline(always)]
pub(super) fn brda_detail(detail: &mut FileDetail, line: u32, block: u32, branch: u32, taken: Option<u64>) {
    detail.branches.push(Branch { line, block, branch, taken });
}

/// `BRDA:<line>,<block>,<branch>,<taken>` in a summary: one branch, taken or not
/// ([`was_taken`]).
#[inline(always)]
pub(super) fn brda_summary(tally: &mut Tally, line: u32, block: u32, branch: u32, taken: bool) {
    tally.branch(line, block, branch, taken);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_numbers_read_alike_as_digits_and_as_numbers() {
        for (field, expected) in [
            (&b"1"[..], LineNo::Line(1)),
            (b"16777216", LineNo::Line(MAX_LINE_NUMBER)),
            (b"16777217", LineNo::Invalid),
            (b"0", LineNo::Zero),
            (b"000", LineNo::Invalid),
            (b"", LineNo::Invalid),
            (b"1x", LineNo::Invalid),
            (b"99999999999", LineNo::Invalid),
        ] {
            assert_eq!(line_field(field), expected, "{:?}", String::from_utf8_lossy(field));
        }
        assert_eq!(line_number(0), LineNo::Zero);
        assert_eq!(line_number(12), LineNo::Line(12));
        assert_eq!(line_number(u64::from(MAX_LINE_NUMBER) + 1), LineNo::Invalid);
    }
}
