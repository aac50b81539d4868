//! Helpers for line-oriented text reports: a streaming line reader and lenient number parsing.

use std::io::{self, Read};

use crate::parsers::ParseError;

/// The longest line a text report may have.
const MAX_LINE: usize = 64 * 1024 * 1024;
const CHUNK: usize = 1 << 20;

/// Streams lines out of a reader without allocating per line.
pub struct LineReader<R> {
    reader: R,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    /// 1-based number of the line last returned.
    pub line_no: u64,
    /// Byte offset of the start of the line last returned.
    pub offset: u64,
    /// Byte offset just past the line last returned (and its newline).
    pub next_offset: u64,
}

impl<R: Read> LineReader<R> {
    pub fn new(reader: R) -> Self {
        Self { reader, buf: vec![0; CHUNK], start: 0, end: 0, eof: false, line_no: 0, offset: 0, next_offset: 0 }
    }

    /// The next line without its `\n` (and without a `\r` before it), with where it stands,
    /// or `None` at the end.
    pub fn next_with_pos(&mut self) -> Result<Option<(&[u8], Pos)>, ParseError> {
        let Some((s, e)) = self.advance()? else {
            return Ok(None);
        };
        let pos = Pos { line: self.line_no, offset: self.offset, next: self.next_offset };
        Ok(Some((&self.buf[s..e], pos)))
    }

    /// The next line without its `\n` (and without a `\r` before it), or `None` at the end.
    pub fn next_line(&mut self) -> Result<Option<&[u8]>, ParseError> {
        Ok(self.advance()?.map(|(s, e)| &self.buf[s..e]))
    }

    fn advance(&mut self) -> Result<Option<(usize, usize)>, ParseError> {
        loop {
            if let Some(pos) = memchr::memchr(b'\n', &self.buf[self.start..self.end]) {
                let s = self.start;
                self.start += pos + 1;
                return Ok(Some(self.emit(s, s + pos, pos as u64 + 1)));
            }
            if self.eof {
                if self.start < self.end {
                    let (s, e) = (self.start, self.end);
                    self.start = e;
                    return Ok(Some(self.emit(s, e, (e - s) as u64)));
                }
                return Ok(None);
            }
            self.fill()?;
        }
    }

    fn emit(&mut self, s: usize, mut e: usize, consumed: u64) -> (usize, usize) {
        self.line_no += 1;
        self.offset = self.next_offset;
        self.next_offset += consumed;
        if e > s && self.buf[e - 1] == b'\r' {
            e -= 1;
        }
        (s, e)
    }

    fn fill(&mut self) -> Result<(), ParseError> {
        if self.eof {
            return Ok(());
        }
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        if self.end == self.buf.len() {
            if self.buf.len() >= MAX_LINE {
                return Err(ParseError::at_line(
                    self.line_no + 1,
                    "line is longer than 64 MiB; this is not a text report",
                ));
            }
            self.buf.resize(self.buf.len() * 2, 0);
        }
        loop {
            match self.reader.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(());
                }
                Ok(n) => {
                    self.end += n;
                    return Ok(());
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(ParseError::io(&e)),
            }
        }
    }
}

/// Where a line stands in its input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pos {
    /// 1-based line number.
    pub line: u64,
    /// Byte offset of the line's start.
    pub offset: u64,
    /// Byte offset just past the line and its newline.
    pub next: u64,
}

/// Why a number could not be read.
#[derive(Debug, PartialEq, Eq)]
pub enum NumberError {
    NotANumber,
    Negative,
    /// `1.5`, `0.5`: no counter counts halves, and truncated, `0.5` would read as not run
    /// (lcov itself takes it as run).
    Fraction,
}

/// A hit count: digits, or what other tools also write (`1.0e+19`, `3.0`, `-0`). Counts past
/// `u64::MAX` saturate (Perl's lcov sums counts as floats and prints them so); negative counts
/// are an error (lcov rejects them too), and so are fractions (`1.5`), which no counter gives.
#[inline]
pub fn parse_count(bytes: &[u8]) -> Result<u64, NumberError> {
    if !bytes.is_empty() && bytes.len() <= 19 && bytes.iter().all(u8::is_ascii_digit) {
        return Ok(bytes.iter().fold(0u64, |n, d| n * 10 + u64::from(d - b'0')));
    }
    parse_count_slow(bytes)
}

#[cold]
fn parse_count_slow(bytes: &[u8]) -> Result<u64, NumberError> {
    let text = std::str::from_utf8(bytes).map_err(|_| NumberError::NotANumber)?.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b)) {
        return Err(NumberError::NotANumber);
    }
    if let Ok(n) = text.parse::<u64>() {
        return Ok(n);
    }
    let value: f64 = text.parse().map_err(|_| NumberError::NotANumber)?;
    if !value.is_finite() {
        return Err(NumberError::NotANumber);
    }
    if value < 0.0 && value != 0.0 {
        return Err(NumberError::Negative);
    }
    if value.fract() != 0.0 {
        return Err(NumberError::Fraction);
    }
    // `as` saturates: 1.5e20 becomes u64::MAX.
    Ok(value as u64)
}

/// Reads the decimal digits at the start of `bytes`: their value and how many there were.
/// The value is exact for up to 19 digits; callers reject longer runs. The hot-path
/// primitive of the text parsers.
#[inline]
pub fn leading_digits(bytes: &[u8]) -> (u64, usize) {
    let mut n = 0u64;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        n = n.wrapping_mul(10).wrapping_add(u64::from(d));
        i += 1;
    }
    (n, i)
}

/// The largest line number temis accepts: no source file has 16 million lines, and per-line
/// data is kept as bits indexed by line number.
pub const MAX_LINE_NUMBER: u32 = 1 << 24;

/// Reads 1 to 7 decimal digits at the start of `bytes` in a few instructions (SWAR: eight bytes
/// as one `u64`): their value and count, or `None` when the run is empty or longer than seven
/// digits (callers then take their slow path). `bytes` must hold at least eight bytes.
#[inline(always)]
pub fn swar_digits(bytes: &[u8]) -> Option<(u64, usize)> {
    let chunk: [u8; 8] = bytes.get(..8)?.try_into().ok()?;
    let v = u64::from_le_bytes(chunk);
    let digits = v.wrapping_sub(0x3030_3030_3030_3030);
    // A byte's high bit ends up set unless it is '0'..='9'; borrows and carries only move
    // upwards, so every byte before the first non-digit is exact.
    let non_digit = (v.wrapping_add(0x4646_4646_4646_4646) | digits) & 0x8080_8080_8080_8080;
    let len = (non_digit.trailing_zeros() / 8) as usize;
    if len == 0 || len == 8 {
        return None;
    }
    // Keep the `len` digits, first digit lowest, as the top bytes: the bytes below are zeros.
    let mut x = digits << (64 - 8 * len as u32);
    x = (x & 0x0F0F_0F0F_0F0F_0F0F).wrapping_mul(2561) >> 8;
    x = (x & 0x00FF_00FF_00FF_00FF).wrapping_mul(6_553_601) >> 16;
    x = (x & 0x0000_FFFF_0000_FFFF).wrapping_mul(42_949_672_960_001) >> 32;
    Some((x, len))
}

/// A line number: 1 to [`MAX_LINE_NUMBER`], digits only.
#[inline]
pub fn parse_line_number(bytes: &[u8]) -> Option<u32> {
    if bytes.is_empty() || bytes.len() > 10 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = bytes.iter().fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
    u32::try_from(n).ok().filter(|&n| n > 0 && n <= MAX_LINE_NUMBER)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_accept_what_producers_write() {
        assert_eq!(parse_count(b"42"), Ok(42));
        assert_eq!(parse_count(b"1.0e+19"), Ok(10_000_000_000_000_000_000));
        assert_eq!(parse_count(b"1.5e+20"), Ok(u64::MAX));
        assert_eq!(parse_count(b"99999999999999999999999"), Ok(u64::MAX));
        assert_eq!(parse_count(b"-0"), Ok(0));
        assert_eq!(parse_count(b"3.0"), Ok(3));
        assert_eq!(parse_count(b"-3"), Err(NumberError::Negative));
        assert_eq!(parse_count(b"x"), Err(NumberError::NotANumber));
        assert_eq!(parse_count(b"nan"), Err(NumberError::NotANumber));
        assert_eq!(parse_count(b""), Err(NumberError::NotANumber));
        // Never truncated: 0.5 hits is no "not run" (lcov takes it as run), 1.5 no "once".
        for fraction in ["0.5", "1.5", "2.9", "1e-1", "1.25e+1"] {
            assert_eq!(parse_count(fraction.as_bytes()), Err(NumberError::Fraction), "{fraction}");
        }
    }

    #[test]
    fn swar_digits_agree_with_the_plain_loop() {
        for text in ["0,", "7\n", "42,1", "1234567,", "9999999x", "12345678", "x1", "305\r\n", "1031\n\0\0\0\0"] {
            let mut b = text.as_bytes().to_vec();
            b.resize(b.len().max(8) + 8, b'!');
            let (n, len) = leading_digits(&b);
            let expected = (1..=7).contains(&len).then_some((n, len));
            assert_eq!(swar_digits(&b), expected, "{text:?}");
        }
        assert_eq!(swar_digits(b"12"), None, "fewer than eight bytes");
        assert_eq!(swar_digits(b"1\xff\xff\xff\xff\xff\xff\xff"), Some((1, 1)));
    }

    #[test]
    fn line_numbers_are_positive() {
        assert_eq!(parse_line_number(b"12"), Some(12));
        assert_eq!(parse_line_number(b"0"), None);
        assert_eq!(parse_line_number(b"99999999999"), None);
        assert_eq!(parse_line_number(b"4294967295"), None, "past MAX_LINE_NUMBER");
        assert_eq!(parse_line_number(b"-1"), None);
    }

    #[test]
    fn reader_tracks_lines_offsets_and_crlf() {
        let data = b"a\r\nbb\n\nccc";
        let mut r = LineReader::new(&data[..]);
        let mut seen = Vec::new();
        while let Some(line) = r.next_line().unwrap() {
            seen.push((line.to_vec(), r.line_no, r.offset));
        }
        assert_eq!(
            seen,
            vec![(b"a".to_vec(), 1, 0), (b"bb".to_vec(), 2, 3), (b"".to_vec(), 3, 6), (b"ccc".to_vec(), 4, 7)]
        );
    }
}
