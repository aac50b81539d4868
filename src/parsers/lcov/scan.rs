//! The read loop, and the hot records read straight from its buffer.
//!
//! An LCOV file is some forty million short lines. Finding each line's end by parsing it makes
//! every line wait for the one before; here the newlines of 64 bytes at a time are found first
//! (eight bytes per step, without branches), so each line is read knowing where it ends and lines
//! do not wait on one another. `DA` and `BRDA` records with plain numbers are then read in a few
//! instructions; everything else goes to the general reader line by line.

use std::io::{self, Read};

use super::record::{LineNo, brda_summary, da_summary, line_number, was_taken};
use super::tally::{Pending, Tally};
use crate::parsers::ParseError;
use crate::parsers::text::MAX_LINE_NUMBER;

/// Bytes read at a time: small enough to stay in the core's cache while it is parsed.
const CHUNK: usize = 256 << 10;
/// Bytes before the data and past a line's end a hot record may look at (without using them).
const FRONT: usize = 8;
const SLACK: usize = 64;
/// The longest line a report may have.
const MAX_LINE: usize = 64 << 20;

/// Where a line stands in the input.
#[derive(Clone, Copy, Debug)]
pub(super) struct Pos {
    /// 1-based line number.
    pub line: u64,
    /// Byte offset of the line's start.
    pub offset: u64,
    /// Byte offset past the line and its newline.
    pub next: u64,
}

/// What [`lines`] hands the lines to.
pub(super) trait Lines {
    /// Reads the line `buf[s..e]` if it is a hot record this reader takes straight from the
    /// buffer, and says whether it did. `buf` holds [`FRONT`] bytes before `s` and [`SLACK`] bytes
    /// past `e` (`buf[e]` is a newline). Inlined into the read loop.
    fn hot(&mut self, buf: &[u8], s: usize, e: usize, pending: &mut Pending) -> bool;
    /// Takes in what `pending` holds; called before [`line`](Self::line) and at the end.
    fn flush(&mut self, pending: &mut Pending);
    /// Any other line: `buf[s..e]`, where `e` is its `\n` or the end of the input.
    fn line(&mut self, buf: &[u8], s: usize, e: usize, pos: Pos) -> Result<(), ParseError>;
}

/// Reads `reader` to its end and hands every line to `to`. Returns how many bytes were read.
pub(super) fn lines<R: Read>(mut reader: R, to: &mut impl Lines) -> Result<u64, ParseError> {
    let mut buf = vec![0u8; FRONT + CHUNK + SLACK];
    // `start`: the first byte of the line being gathered; `scanned`: where the newline search
    // stands; `end`: the end of what was read. `base`: the input offset of `buf[FRONT]`.
    let (mut start, mut scanned, mut end) = (FRONT, FRONT, FRONT);
    let (mut base, mut line) = (0u64, 0u64);
    let mut pending = Pending::default();
    let pos = |line, base: u64, s: usize, next: usize| Pos {
        line,
        offset: base + (s - FRONT) as u64,
        next: base + (next - FRONT) as u64,
    };
    loop {
        // Keep the unfinished line, read more after it.
        if start > FRONT {
            buf.copy_within(start..end, FRONT);
            let gone = start - FRONT;
            (scanned, end, base) = (scanned - gone, end - gone, base + gone as u64);
            start = FRONT;
        }
        if end + SLACK == buf.len() {
            if end - FRONT >= MAX_LINE {
                return Err(ParseError::at_line(line + 1, "line is longer than 64 MiB; this is not a text report"));
            }
            buf.resize(FRONT + (end - FRONT) * 2 + SLACK, 0);
        }
        let limit = buf.len() - SLACK;
        let n = loop {
            match reader.read(&mut buf[end..limit]) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(ParseError::io(&e)),
            }
        };
        end += n;
        while scanned + 64 <= end {
            let block: &[u8; 64] = buf[scanned..scanned + 64].try_into().expect("64 bytes");
            let mut mask = newlines(block);
            while mask != 0 {
                let e = scanned + mask.trailing_zeros() as usize;
                mask &= mask - 1;
                line += 1;
                if !to.hot(&buf, start, e, &mut pending) {
                    to.flush(&mut pending);
                    to.line(&buf, start, e, pos(line, base, start, e + 1))?;
                }
                start = e + 1;
            }
            scanned += 64;
        }
        if n == 0 {
            // The last bytes, fewer than 64, and a last line without a newline.
            while let Some(i) = memchr::memchr(b'\n', &buf[scanned..end]) {
                let e = scanned + i;
                line += 1;
                if !to.hot(&buf, start, e, &mut pending) {
                    to.flush(&mut pending);
                    to.line(&buf, start, e, pos(line, base, start, e + 1))?;
                }
                (start, scanned) = (e + 1, e + 1);
            }
            if start < end {
                // Within the slack: the hot records then see every line end the same way.
                buf[end] = b'\n';
                line += 1;
                if !to.hot(&buf, start, end, &mut pending) {
                    to.flush(&mut pending);
                    to.line(&buf, start, end, pos(line, base, start, end))?;
                }
            }
            to.flush(&mut pending);
            return Ok(base + (end - FRONT) as u64);
        }
    }
}

/// Bit `i` set where `block[i]` is a newline: sixteen bytes compared at once, and their results
/// gathered into sixteen bits, by SSE2 instructions.
#[cfg(all(any(target_arch = "x86", target_arch = "x86_64"), target_feature = "sse2"))]
#[inline(always)]
fn newlines(block: &[u8; 64]) -> u64 {
    use safe_arch::{cmp_eq_mask_i8_m128i, load_unaligned_m128i, move_mask_i8_m128i, set_splat_i8_m128i};
    let newline = set_splat_i8_m128i(b'\n' as i8);
    let mut mask = 0u64;
    for (k, sixteen) in block.chunks_exact(16).enumerate() {
        let bytes = load_unaligned_m128i(sixteen.try_into().expect("16 bytes"));
        let bits = move_mask_i8_m128i(cmp_eq_mask_i8_m128i(bytes, newline)) as u16;
        mask |= u64::from(bits) << (16 * k);
    }
    mask
}

#[cfg(not(all(any(target_arch = "x86", target_arch = "x86_64"), target_feature = "sse2")))]
#[inline(always)]
fn newlines(block: &[u8; 64]) -> u64 {
    newlines_portable(block)
}

/// [`newlines`] in plain Rust: compared a byte at a time (which compilers turn into vector
/// compares), then gathered eight 0-or-1 bytes at a time into the top byte of a product.
#[cfg(any(test, not(all(any(target_arch = "x86", target_arch = "x86_64"), target_feature = "sse2"))))]
#[inline(always)]
fn newlines_portable(block: &[u8; 64]) -> u64 {
    let flags: [u8; 64] = std::array::from_fn(|i| u8::from(block[i] == b'\n'));
    let mut mask = 0u64;
    for (k, eight) in flags.chunks_exact(8).enumerate() {
        let eight = u64::from_le_bytes(eight.try_into().expect("8 bytes"));
        mask |= (eight.wrapping_mul(0x0102_0408_1020_4080) >> 56) << (8 * k);
    }
    mask
}

#[inline(always)]
fn word(buf: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(buf[at..at + 8].try_into().expect("8 bytes"))
}

const HIGH: u64 = 0x8080_8080_8080_8080;
const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
const NIBBLES: u64 = 0x0F0F_0F0F_0F0F_0F0F;

/// The digits at the start of `w` (eight bytes, first lowest): each byte minus `'0'` (exact up to
/// the first non-digit), and how many there are (8 when all are).
#[inline(always)]
fn digits(w: u64) -> (u64, usize) {
    let d = digits_of(w);
    // High bit set in a byte that is not '0'..='9'; carries and borrows only move upwards, so
    // every byte before the first non-digit is exact.
    let non_digit = (w.wrapping_add(0x4646_4646_4646_4646) | d) & HIGH;
    (d, (non_digit.trailing_zeros() / 8) as usize)
}

/// The high bit of every byte of `w` that is `byte`, exactly.
#[inline(always)]
fn bytes_equal(w: u64, byte: u8) -> u64 {
    let x = w ^ (u64::from(byte) * 0x0101_0101_0101_0101);
    !(((x & LOW7) + LOW7) | x) & HIGH
}

/// The value of the first `len` (1 to 7) digits of `d` (as [`digits`] returns them).
#[inline(always)]
fn value(d: u64, len: usize) -> u64 {
    if len <= 4 {
        // Line numbers mostly: two steps instead of three.
        let mut x = (d as u32) << (32 - 8 * len as u32);
        x = (x & 0x0F0F_0F0F).wrapping_mul(2561) >> 8;
        return u64::from((x & 0x00FF_00FF).wrapping_mul(6_553_601) >> 16);
    }
    let mut x = d << (64 - 8 * len as u32);
    x = (x & NIBBLES).wrapping_mul(2561) >> 8;
    x = (x & 0x00FF_00FF_00FF_00FF).wrapping_mul(6_553_601) >> 16;
    (x & 0x0000_FFFF_0000_FFFF).wrapping_mul(42_949_672_960_001) >> 32
}

/// Whether the first `len` (1 to 7) digits of `d` make a number above zero.
#[inline(always)]
fn above_zero(d: u64, len: usize) -> bool {
    d << (64 - 8 * len as u32) != 0
}

/// A number of 1 to 7 digits at `buf[at..]` followed by a comma: its digits (as [`digits`]
/// returns them), how many there are, and where the comma is.
#[inline(always)]
fn field(buf: &[u8], at: usize) -> Option<(u64, usize, usize)> {
    let (d, len) = digits(word(buf, at));
    if len == 0 || len > 7 || buf[at + len] != b',' {
        return None;
    }
    Some((d, len, at + len))
}

/// The end of a line at `e`, read from the eight bytes before it: where its last non-digit is
/// (`e - 8`, a digit, when all eight are digits), and whether the digits after it make a number
/// above zero.
#[inline(always)]
fn tail(buf: &[u8], e: usize) -> (usize, bool) {
    // Byte-swapped, the last digits come first, where `digits` reads them exactly.
    let (d, n) = digits(word(buf, e - 8).swap_bytes());
    (e - 1 - n.min(7), d << (8 * (8 - n.clamp(1, 8))) != 0)
}

const DA: u64 = u64::from_le_bytes(*b"DA:\0\0\0\0\0");
const BRDA: u64 = u64::from_le_bytes(*b"BRDA:\0\0\0");
const FN: u64 = u64::from_le_bytes(*b"FN:\0\0\0\0\0");
const FNDA: u64 = u64::from_le_bytes(*b"FNDA:\0\0\0");

/// A line and the bytes around it: [`FRONT`] bytes before it, then up to 32 of its bytes (the hot
/// records are shorter) and what follows. Read at fixed or bounded offsets, without bound checks.
type Window = [u8; FRONT + 32];

/// The eight bytes of `win` from `at` (at most 32).
#[inline(always)]
fn at(win: &Window, at: usize) -> u64 {
    u64::from_le_bytes(win[at..at + 8].try_into().expect("8 bytes"))
}

/// The eight bytes of `win` before `end` (8 to 32): the end of a line.
#[inline(always)]
fn before(win: &Window, end: usize) -> u64 {
    let end = end.clamp(8, 32);
    u64::from_le_bytes(win[end - 8..end].try_into().expect("8 bytes"))
}

/// Reads the line `buf[s..e]` into `tally` when it is `DA:<line>,<count>` or
/// `BRDA:<line>,<block>,<branch>,<count or ->` with plain numbers of at most seven digits, and
/// says whether it did; anything else is left to the general reader. `buf` is as
/// [`Lines::hot`] gets it.
///
/// The start and the end of a line are read independently (its end is known), so that a record
/// does not wait for one field to be read before the next.
#[inline(always)]
pub(super) fn hot_record(buf: &[u8], s: usize, e: usize, tally: &mut Tally, pending: &mut Pending) -> bool {
    // Seven digits are at most 9,999,999: a line number if above zero.
    const _: () = assert!(9_999_999 <= MAX_LINE_NUMBER);
    let Some(win) = buf.get(s - FRONT..s + 32).and_then(|w| <&Window>::try_from(w).ok()) else {
        return false;
    };
    // Positions below are within `win`: the line starts at FRONT and ends (its newline) at `end`.
    let end = FRONT + (e - s);
    let head = at(win, FRONT);
    if head & 0xFF_FFFF == DA {
        return short_line(win, end, tally, pending);
    }
    if head & 0xFF_FFFF_FFFF != BRDA {
        return !tally.keys && function_record(buf, s, e, head, tally);
    }
    if tally.keys {
        return short_branch_keys(win, end, tally) || branch_keys(buf, s, e, tally);
    }
    if end > FRONT + 24 {
        return false;
    }
    // Only whether it is a branch record: `<line>,` … `,` … `,<count or ->` (what lies between
    // the first and the last comma may be anything with a comma in it).
    let (line, len) = digits(at(win, FRONT + 5));
    let c1 = FRONT + 5 + len.min(7);
    let (_, n) = digits(before(win, end).swap_bytes());
    // `-` (never evaluated) or a count, without a branch on which: that is as good as random.
    let dash = (n == 0) & (win[end - 1] == b'-');
    let c3 = end - 1 - n.min(7) - usize::from(dash);
    // The first comma after the line number's (within eight bytes) comes before the last one.
    let between = bytes_equal(at(win, c1 + 1), b',');
    let c2 = c1 + 1 + (between.trailing_zeros() / 8) as usize;
    let ok =
        (len.wrapping_sub(1) < 7) & (win[c1] == b',') & (win[c3] == b',') & (c3 + 1 < end) & (between != 0) & (c2 < c3);
    if !ok || !above_zero(line, len) {
        return false;
    }
    tally.branch_record();
    true
}

/// `DA:<line>,<count>` of at most 16 bytes after `DA:` (every one with numbers of at most seven
/// digits): which bytes are digits, commas and zeros is found for all sixteen at once, and the
/// record is read when one comma parts two fields of 1 to 7 digits. For [`hot_record`].
#[inline(always)]
fn short_line(win: &Window, end: usize, tally: &mut Tally, pending: &mut Pending) -> bool {
    const AT: usize = FRONT + 3;
    let len = end.wrapping_sub(AT);
    if len > 16 {
        return false;
    }
    let inside = (1u32 << len) - 1;
    let m = marks(win[AT..AT + 16].try_into().expect("16 bytes"));
    let (commas, digit) = (m.commas & inside, m.digits & inside);
    let c = commas.trailing_zeros() as usize;
    // One comma, every other byte a digit, and 1 to 7 of them on each side of it.
    let ok = (commas & commas.wrapping_sub(1) == 0)
        & (digit | commas == inside)
        & (c.wrapping_sub(1) < 7)
        & (len.wrapping_sub(c).wrapping_sub(2) < 7);
    if !ok {
        return false;
    }
    let LineNo::Line(line) = line_number(value(digits_of(at(win, AT)), c)) else { return false };
    // Run when a digit of the count is not zero.
    da_summary(tally, pending, line, (digit & !m.zeros) >> (c + 1) != 0);
    true
}

/// `FN:<line>[,<end>],<name>` or `FNDA:<count>,<name>` (a count of 1 to 7 digits) noted in
/// `tally` (which keeps no names), for [`hot_record`].
#[inline(always)]
fn function_record(buf: &[u8], s: usize, e: usize, head: u64, tally: &mut Tally) -> bool {
    let read = if head & 0xFF_FFFF == FN {
        // Whatever follows, as long as a comma does.
        let comma = bytes_equal(word(buf, s + 3), b',');
        let first = s + 3 + (comma.trailing_zeros() / 8) as usize;
        comma != 0 && first < e || memchr::memchr(b',', &buf[s + 3..e]).is_some()
    } else if head & 0xFF_FFFF_FFFF == FNDA {
        let (_, len) = digits(word(buf, s + 5));
        len.wrapping_sub(1) < 7 && buf[s + 5 + len] == b','
    } else {
        false
    };
    if read {
        tally.function_record();
    }
    read
}

/// Which of sixteen bytes are commas, digits, zeros and dashes: bit `i` of each mask for byte
/// `i`, found by SSE2 instructions for all sixteen at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Marks {
    commas: u32,
    digits: u32,
    zeros: u32,
    dashes: u32,
}

#[cfg(all(any(target_arch = "x86", target_arch = "x86_64"), target_feature = "sse2"))]
#[inline(always)]
fn marks(bytes: &[u8; 16]) -> Marks {
    use safe_arch::{
        bitand_m128i, cmp_eq_mask_i8_m128i, cmp_gt_mask_i8_m128i, cmp_lt_mask_i8_m128i, load_unaligned_m128i,
        move_mask_i8_m128i, set_splat_i8_m128i,
    };
    let v = load_unaligned_m128i(bytes);
    let equal = |byte: u8| move_mask_i8_m128i(cmp_eq_mask_i8_m128i(v, set_splat_i8_m128i(byte as i8))) as u32;
    // Signed compares: bytes from 0x80 up are below '0'.
    let digits = bitand_m128i(
        cmp_gt_mask_i8_m128i(v, set_splat_i8_m128i(b'0' as i8 - 1)),
        cmp_lt_mask_i8_m128i(v, set_splat_i8_m128i(b'9' as i8 + 1)),
    );
    Marks { commas: equal(b','), digits: move_mask_i8_m128i(digits) as u32, zeros: equal(b'0'), dashes: equal(b'-') }
}

#[cfg(not(all(any(target_arch = "x86", target_arch = "x86_64"), target_feature = "sse2")))]
#[inline(always)]
fn marks(bytes: &[u8; 16]) -> Marks {
    marks_portable(bytes)
}

/// [`marks`] in plain Rust, a byte at a time.
#[cfg(any(test, not(all(any(target_arch = "x86", target_arch = "x86_64"), target_feature = "sse2"))))]
#[inline(always)]
fn marks_portable(bytes: &[u8; 16]) -> Marks {
    let mask = |test: fn(u8) -> bool| bytes.iter().enumerate().fold(0, |m, (i, &b)| m | u32::from(test(b)) << i);
    Marks {
        commas: mask(|b| b == b','),
        digits: mask(|b| b.is_ascii_digit()),
        zeros: mask(|b| b == b'0'),
        dashes: mask(|b| b == b'-'),
    }
}

/// [`branch_keys`] for a record of at most 16 bytes after `BRDA:` (nearly all of them): which
/// bytes are digits, commas, zeros and a dash is found for all sixteen at once, and the record
/// is read when exactly three commas part four fields of 1 to 7 digits (the last may be `-`).
/// What it reads, it reads as [`branch_keys`] does; anything else is left to it.
#[inline(always)]
fn short_branch_keys(win: &Window, end: usize, tally: &mut Tally) -> bool {
    const AT: usize = FRONT + 5;
    let len = end.wrapping_sub(AT);
    if len > 16 {
        return false;
    }
    let inside = (1u32 << len) - 1;
    let m = marks(win[AT..AT + 16].try_into().expect("16 bytes"));
    let (commas, digit) = (m.commas & inside, m.digits & inside);
    let dash = m.dashes & (1u32 << len >> 1);
    // Exactly three commas: what is left without the first two is one bit.
    let second = commas & commas.wrapping_sub(1);
    let third = second & second.wrapping_sub(1);
    let (c1, c2, c3) =
        (commas.trailing_zeros() as usize, second.trailing_zeros() as usize, third.trailing_zeros() as usize);
    // Every byte a digit but the three commas and a dash that is the whole last field; no field
    // empty or over 7 digits.
    let fields_ok = (c1.wrapping_sub(1) < 7)
        & ((c2.wrapping_sub(c1)).wrapping_sub(2) < 7)
        & ((c3.wrapping_sub(c2)).wrapping_sub(2) < 7)
        & ((len.wrapping_sub(c3)).wrapping_sub(2) < 7)
        & (dash == 0 || c3 + 2 == len);
    if third == 0 || third & (third - 1) != 0 || digit | commas | dash != inside || !fields_ok {
        return false;
    }
    let field = |from: usize, to: usize| value(digits_of(at(win, AT + from)), to - from);
    let LineNo::Line(line) = line_number(field(0, c1)) else { return false };
    let (block, branch) = (field(c1 + 1, c2) as u32, field(c2 + 1, c3) as u32);
    // Taken when a digit of the count is not zero (never with a dash).
    let nonzero = digit & !m.zeros;
    brda_summary(tally, line, block, branch, nonzero >> (c3 + 1) != 0);
    true
}

/// Each byte of `w` minus `'0'`, as [`value`] reads digits.
#[inline(always)]
fn digits_of(w: u64) -> u64 {
    w.wrapping_sub(0x3030_3030_3030_3030)
}

/// A `BRDA` record with its key, for [`hot_record`] when the tally keeps keys.
#[inline(never)]
fn branch_keys(buf: &[u8], s: usize, e: usize, tally: &mut Tally) -> bool {
    let Some((line, len, c1)) = field(buf, s + 5) else { return false };
    let Some((block, block_len, c2)) = field(buf, c1 + 1) else { return false };
    let Some((branch, branch_len, c3)) = field(buf, c2 + 1) else { return false };
    let (last, taken) = tail(buf, e);
    let dash = (last + 1 == e) & (buf[last] == b'-');
    if !(last == c3 && c3 + 1 < e || dash && last == c3 + 1) {
        return false;
    }
    let LineNo::Line(line) = line_number(value(line, len)) else { return false };
    // Seven digits at most: a numeric id is itself (`numeric_id`); `-` is never evaluated.
    let (block, branch) = (value(block, block_len) as u32, value(branch, branch_len) as u32);
    let taken = if dash { None } else { Some(u64::from(taken)) };
    brda_summary(tally, line, block, branch, was_taken(taken));
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newline_masks_are_exact() {
        let mut block = [b'x'; 64];
        for (i, b) in block.iter_mut().enumerate() {
            *b = [b'\n', 0x0b, 0x8a, b'\n', 0, 0xff, b'1', b'\n'][i % 8];
        }
        let expected = (0..64).filter(|i| block[*i] == b'\n').fold(0u64, |m, i| m | 1 << i);
        assert_eq!(newlines(&block), expected);
        assert_eq!(newlines_portable(&block), expected);
        // Every byte value in every position, against the plain loop.
        for value in 0..=255u8 {
            for at in 0..64 {
                let mut block = [b'\n'; 64];
                block[at] = value;
                block[(at + 17) % 64] = value.wrapping_add(1);
                let expected = (0..64).filter(|i| block[*i] == b'\n').fold(0u64, |m, i| m | 1 << i);
                assert_eq!((newlines(&block), newlines_portable(&block)), (expected, expected));
            }
        }
    }

    #[test]
    fn marks_are_exact() {
        for value in 0..=255u8 {
            for at in 0..16 {
                let mut bytes = *b"BRDA:12,0,-,9x\n\x80";
                bytes[at] = value;
                bytes[(at + 5) % 16] = value.wrapping_add(1);
                bytes[(at + 9) % 16] = value.wrapping_sub(1);
                assert_eq!(marks(&bytes), marks_portable(&bytes), "{bytes:?}");
            }
        }
        let m = marks_portable(b"1,0-9/:\x8009,,a0xy");
        let expected = (0b0000_1100_0000_0010, 0b0010_0011_0001_0101, 0b0010_0001_0000_0100, 0b1000);
        assert_eq!((m.commas, m.digits, m.zeros, m.dashes), expected);
    }

    #[test]
    fn every_line_is_handed_over_once_with_its_place() {
        for text in [&b""[..], b"a", b"a\n", b"\n\nb\r\nlast", &[b'y'; 300]] {
            let mut long = text.to_vec();
            long.extend(b"\n".repeat(3));
            long.extend(b"x".repeat(700_000));
            long.extend(b"\nDA:1,1\n");
            for input in [text.to_vec(), long] {
                struct Seen(Vec<(Vec<u8>, u64, u64, u64)>);
                impl Lines for Seen {
                    fn hot(&mut self, _: &[u8], _: usize, _: usize, _: &mut Pending) -> bool {
                        false
                    }
                    fn flush(&mut self, _: &mut Pending) {}
                    fn line(&mut self, buf: &[u8], s: usize, e: usize, pos: Pos) -> Result<(), ParseError> {
                        self.0.push((buf[s..e].to_vec(), pos.line, pos.offset, pos.next));
                        Ok(())
                    }
                }
                let mut seen = Seen(Vec::new());
                let total = lines(&input[..], &mut seen).unwrap();
                let seen = seen.0;
                let mut expected = Vec::new();
                let mut offset = 0u64;
                for (i, l) in input.split_inclusive(|&b| b == b'\n').enumerate() {
                    let body = l.strip_suffix(b"\n").unwrap_or(l);
                    expected.push((body.to_vec(), i as u64 + 1, offset, offset + l.len() as u64));
                    offset += l.len() as u64;
                }
                assert_eq!(seen, expected);
                assert_eq!(total, input.len() as u64);
            }
        }
    }

    /// The sixteen-byte branch reader reads what the general one reads, as it reads it, and
    /// leaves nothing it could read to it: on records built field by field from digits, commas,
    /// dashes and other bytes.
    #[test]
    fn short_branch_keys_agree_with_branch_keys() {
        let pieces: [&[u8]; 12] =
            [b"0", b"7", b"10", b"0012", b"1234567", b"12345678", b",", b"-", b"", b"e", b"\r", b"9,"];
        let mut next = crate::testing::below(0x2545_F491_4F6C_DD1D);
        let (mut read, mut tried) = (0, 0);
        for round in 0..200_000 {
            let mut line = b"BRDA:".to_vec();
            for field in 0..4 {
                if field > 0 {
                    line.push(b',');
                }
                // Mostly plain numbers; now and then any piece, or two.
                line.extend(if next(4) == 0 { pieces[next(pieces.len())] } else { pieces[next(5)] });
                if next(8) == 0 {
                    line.extend(pieces[next(pieces.len())]);
                }
            }
            if round % 2 == 1 {
                line.truncate(5 + next(line.len() - 4));
            }
            let mut buf = b",9,,-,0,".to_vec();
            buf.extend(&line);
            let e = buf.len();
            buf.push(b'\n');
            buf.extend([b'9'; SLACK]);
            let win: &Window = buf[..FRONT + 32].try_into().unwrap();
            let (mut short, mut general) = (Tally::default(), Tally::default());
            (short.keys, general.keys) = (true, true);
            let by_short = short_branch_keys(win, e, &mut short);
            let by_general = branch_keys(&buf, FRONT, e, &mut general);
            let text = String::from_utf8_lossy(&line);
            if e - FRONT - 5 <= 16 {
                assert_eq!(by_short, by_general, "{text:?}");
                tried += 1;
            } else {
                assert!(!by_short, "{text:?}");
            }
            if by_short {
                read += 1;
                assert_eq!(short.last_key(), general.last_key(), "{text:?}");
                assert_eq!(short.branch_counts(), general.branch_counts(), "{text:?}");
            }
        }
        assert!(read > 20_000 && tried - read > 20_000, "{read} read of {tried}");
    }

    /// The sixteen-byte `DA` reader reads exactly the lines of two fields of 1 to 7 digits parted
    /// by one comma (a line number above zero; run when a digit of the count is not zero), and
    /// leaves every other line to the general reader: on lines built from digits, commas, zeros,
    /// a carriage return and other bytes.
    #[test]
    fn short_lines_read_exactly_two_plain_fields() {
        let pieces: [&[u8]; 11] = [b"0", b"7", b"10", b"0012", b"1234567", b"12345678", b",", b"-", b"", b"\r", b"x"];
        let mut next = crate::testing::below(0x9E37_79B9_7F4A_7C15);
        let (mut read, mut tried) = (0, 0);
        // Never written to: a line's bits are held in `Pending` until a line of another word.
        let mut tally = Tally::default();
        for _ in 0..200_000 {
            let mut fields = pieces[next(5)].to_vec();
            if next(8) == 0 {
                fields.extend(pieces[next(pieces.len())]);
            }
            fields.push(b',');
            fields.extend(if next(4) == 0 { pieces[next(pieces.len())] } else { pieces[next(5)] });
            if next(8) == 0 {
                fields.extend(pieces[next(pieces.len())]);
            }
            // What it should read: two fields of 1 to 7 digits, the first above zero.
            let parts: Vec<&[u8]> = fields.split(|&b| b == b',').collect();
            let plain = |f: &[u8]| (1..=7).contains(&f.len()) && f.iter().all(u8::is_ascii_digit);
            let expected = (parts.len() == 2 && plain(parts[0]) && plain(parts[1]))
                .then(|| (parts[0].iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0')), parts[1]))
                .filter(|(line, _)| *line > 0)
                .map(|(line, count)| (line, count.iter().any(|&d| d != b'0')));
            let mut buf = b"9,,9,,DA".to_vec();
            buf.extend(b"DA:");
            buf.extend(&fields);
            let e = buf.len();
            buf.push(b'\n');
            buf.extend([b'9'; SLACK]);
            let win: &Window = buf[..FRONT + 32].try_into().unwrap();
            let mut pending = Pending::default();
            let by_short = short_line(win, e, &mut tally, &mut pending);
            let text = String::from_utf8_lossy(&fields);
            assert_eq!(by_short, expected.is_some(), "{text:?}");
            tried += 1;
            if let Some((line, run)) = expected {
                read += 1;
                let mut expected = Pending::default();
                tally.line_via(&mut expected, line, run);
                assert_eq!(pending, expected, "{text:?}");
            }
        }
        assert!(read > 20_000 && tried - read > 20_000, "{read} read of {tried}");
    }

    #[test]
    fn hot_records_take_only_what_they_can_read_exactly() {
        use crate::model::Counts;
        let c = Counts::new;
        for keys in [true, false] {
            // (lines, branch records) when read; what is before the line must not matter.
            let read = |line: &str| {
                let mut buf = b"9,,9,,9,".to_vec();
                buf.extend(line.as_bytes());
                let e = buf.len();
                buf.push(b'\n');
                buf.extend([b'9'; SLACK]);
                let mut tally = Tally::default();
                tally.keys = keys;
                let mut pending = Pending::default();
                let read = hot_record(&buf, FRONT, e, &mut tally, &mut pending);
                tally.flush(&mut pending);
                let branches = if keys { tally.branch_counts() } else { c(u64::from(tally.has_branches()), 0) };
                read.then(|| (tally.line_counts(), branches))
            };
            let taken = |n| c(1, if keys { n } else { 0 });
            assert_eq!(read("DA:12,0"), Some((c(1, 0), c(0, 0))));
            assert_eq!(read("DA:1,7"), Some((c(1, 1), c(0, 0))));
            assert_eq!(read("DA:1234567,1000000"), Some((c(1, 1), c(0, 0))));
            assert_eq!(read("DA:0012,0000000"), Some((c(1, 0), c(0, 0))));
            assert_eq!(read("BRDA:3,0,1,-"), Some((c(0, 0), taken(0))));
            assert_eq!(read("BRDA:3,0,1,0"), Some((c(0, 0), taken(0))));
            assert_eq!(read("BRDA:3,0,1,0012"), Some((c(0, 0), taken(1))));
            assert_eq!(read("BRDA:1234567,0,1,1234567"), Some((c(0, 0), taken(1))));
            // Longer ones are the general reader's, but for their keys.
            let long = read("BRDA:1234567,1234567,1234567,1234567");
            assert_eq!(long, keys.then_some((c(0, 0), taken(1))));
            assert_eq!(read("DA:1234567,12345678901234567"), None);
            for other in [
                "DA:0,1",
                "DA:000,1",
                "DA:12345678,1",
                "DA:1,12345678",
                "DA:1,1,checksum",
                "DA:1,1\r",
                "DA:1,-1",
                "DA:1,",
                "DA:,1",
                "DA:1",
                "DA:1,,1",
                "DA:1:1",
                "BRDA:1,0,0,-1",
                "BRDA:1,0,0,1-",
                "BRDA:1,0,0,--",
                "BRDA:1,0,0,-\r",
                "BRDA:1,0,0,1\r",
                "BRDA:1,0,0,12345678",
                "BRDA:1,0,0",
                "BRDA:1,0,-",
                "BRDA:1,0,0,",
                "BRDA:0,0,0,1",
                "BRDA:12345678,0,0,1",
                "BRDA:,0,0,1",
                "DA",
                "",
            ] {
                assert_eq!(read(other), None, "{other:?}");
            }
            // Identifiers the summary does not need are not read (but keys are).
            let odd = read("BRDA:1,e0,0,1");
            assert_eq!(odd.is_some(), !keys);
            // Function records are noted only while names are not kept.
            for f in
                ["FN:1,f", "FN:1,9,name, with comma", "FN:x,a_very_long_function_name", "FNDA:0,f", "FNDA:1234567,f"]
            {
                assert_eq!(read(f).is_some(), !keys, "{f:?}");
            }
            for f in ["FN:1", "FN:a_very_long_function_name_without_comma", "FNDA:1", "FNDA:-1,f", "FNDA:,f", "FNF:1"] {
                assert_eq!(read(f), None, "{f:?}");
            }
        }
    }
}
