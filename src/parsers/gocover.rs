//! Go coverprofiles (`go test -coverprofile`, modes `set`, `count` and `atomic`).
//!
//! Go counts statements, not lines. A file's `lines` figure is therefore the statement figure
//! `go test -cover` prints ("coverage: 97.4% of statements"): Σ NumStmt of the blocks with a
//! count above zero over Σ NumStmt of all blocks, given as the file's stated summary (557 of
//! 572 statements is 97.38 % here, 97.4 % there: go test prints one decimal). That is not
//! always what `go tool cover -func` prints on its `total:` line: that tool parses the sources
//! and counts only the statements inside function declarations, so it may print 97.5 % for the
//! same profile. temis cannot reproduce that figure without the sources and does not try.
//!
//! Per-line hits are derived from the block ranges (a line's count is the highest count of the
//! blocks with statements that touch it) so that uncovered lines can be listed; they do not
//! decide the totals.
//!
//! Blocks given more than once (the same file and range, as `-coverpkg` or concatenated
//! profiles produce) are merged as `go tool cover` merges them: `set` ⇒ OR, `count`/`atomic` ⇒
//! sum; a different NumStmt for the same block is an error. Unlike `go tool cover`, repeated
//! `mode:` lines (from `cat a.out b.out`) are accepted when they name the same mode.
//!
//! Counts past `u64::MAX` saturate; line numbers past [`MAX_LINE`] are an error, and so is a
//! profile whose blocks span more than [`MAX_SPAN`] lines in all, so that a hostile profile
//! cannot make the reader run for hours.

use std::collections::{BTreeMap, HashMap};

use crate::input::Source;
use crate::model::{FileDetail, Sink};
use crate::parsers::Meta;
use crate::parsers::ParseError;
use crate::parsers::text::LineReader;

/// The highest line number accepted (a source file of 16 million lines).
pub const MAX_LINE: u32 = 1 << 24;
/// The most block lines (Σ of every block's end line − start line + 1) one profile may span.
pub const MAX_SPAN: u64 = 1 << 26;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Set,
    Count,
    Atomic,
}

impl Mode {
    fn parse(name: &[u8]) -> Option<Mode> {
        match name {
            b"set" => Some(Mode::Set),
            b"count" => Some(Mode::Count),
            b"atomic" => Some(Mode::Atomic),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Mode::Set => "set",
            Mode::Count => "count",
            Mode::Atomic => "atomic",
        }
    }
}

/// One block: `file:startLine.startCol,endLine.endCol numStmt count`.
#[derive(Debug, PartialEq, Eq)]
struct BlockLine<'a> {
    file: &'a [u8],
    start: (u32, u32),
    end: (u32, u32),
    num_stmt: u64,
    count: u64,
}

struct Block {
    num_stmt: u64,
    count: u64,
}

/// A file's blocks by `(startLine, startCol, endLine, endCol)`.
type Blocks = HashMap<(u32, u32, u32, u32), Block>;

/// Whether a text report's first line is a Go profile's (`mode: set`, or a block `file.go:1.2,3.4 1 0`).
pub fn looks_like(body: &[u8]) -> bool {
    let first = body.split(|&b| b == b'\n').next().unwrap_or(body).trim_ascii();
    first.starts_with(b"mode:")
        || (memchr::memmem::find(first, b".go:").is_some() && first.last().is_some_and(u8::is_ascii_digit))
}

/// Reads `input` into `sink`.
pub fn parse(input: &Source, sink: &mut dyn Sink) -> Result<Meta, ParseError> {
    let reader = input.reader();
    let mut lines = LineReader::new(reader);
    let mut mode: Option<Mode> = None;
    let mut extra_modes = 0u64;
    let mut records = 0u64;
    let mut span = 0u64;
    let mut files: BTreeMap<String, Blocks> = BTreeMap::new();

    while let Some((line, pos)) = lines.next_with_pos()? {
        let line = line.trim_ascii();
        let line_no = pos.line;
        if let Some(name) = line.strip_prefix(b"mode:") {
            let Some(this) = Mode::parse(name.trim_ascii()) else {
                return Err(ParseError::at_line(
                    line_no,
                    format!("unknown coverage mode {:?} (expected set, count or atomic)", shown(name.trim_ascii())),
                ));
            };
            match mode {
                None => mode = Some(this),
                Some(first) if first == this => extra_modes += 1,
                Some(first) => {
                    return Err(ParseError::at_line(
                        line_no,
                        format!(
                            "mode: {} here, but the profile began with mode: {}; profiles of \
                             different modes cannot be merged",
                            this.name(),
                            first.name()
                        ),
                    ));
                }
            }
            continue;
        }
        if line.is_empty() {
            continue;
        }
        let Some(mode) = mode else {
            return Err(ParseError::at_line(
                line_no,
                format!("a Go coverprofile starts with a `mode: set|count|atomic` line, not {:?}", shown(line)),
            ));
        };
        let block = parse_block(line).map_err(|e| ParseError::at_line(line_no, e.to_string()))?;
        records += 1;
        span = span.saturating_add(u64::from(block.end.0 - block.start.0) + 1);
        if span > MAX_SPAN {
            return Err(ParseError::at_line(
                line_no,
                format!("the blocks span more than {MAX_SPAN} lines in all; not a real profile"),
            ));
        }
        let file = std::str::from_utf8(block.file)
            .map_err(|_| ParseError::at_line(line_no, "the file name is not valid UTF-8".to_string()))?;
        let blocks = match files.get_mut(file) {
            Some(b) => b,
            None => files.entry(file.to_string()).or_default(),
        };
        let key = (block.start.0, block.start.1, block.end.0, block.end.1);
        match blocks.get_mut(&key) {
            None => {
                blocks.insert(key, Block { num_stmt: block.num_stmt, count: block.count });
            }
            Some(seen) if seen.num_stmt != block.num_stmt => {
                return Err(ParseError::at_line(
                    line_no,
                    format!(
                        "inconsistent NumStmt for {file}:{}.{},{}.{}: {} before, {} here",
                        key.0, key.1, key.2, key.3, seen.num_stmt, block.num_stmt
                    ),
                ));
            }
            Some(seen) => {
                seen.count = match mode {
                    Mode::Set => seen.count | block.count,
                    Mode::Count | Mode::Atomic => seen.count.saturating_add(block.count),
                };
            }
        }
    }
    let Some(mode) = mode else {
        return Err(ParseError::whole("no `mode:` line: this is not a Go coverprofile"));
    };

    let mut unique = 0u64;
    let mut detail = FileDetail::default();
    for (path, blocks) in files {
        unique += blocks.len() as u64;
        file_detail(&mut detail, path, &blocks);
        sink.file(&mut detail);
    }

    let mut meta = Meta::default();
    meta.extra.insert("mode".to_string(), serde_json::json!(mode.name()));
    meta.extra.insert("blocks".to_string(), serde_json::json!({ "records": records, "unique": unique }));
    if extra_modes > 0 {
        meta.notes.push(format!(
            "{extra_modes} repeated `mode:` line(s) were skipped (concatenated profiles; \
             go tool cover would reject this file)"
        ));
    }
    if records > unique {
        meta.notes.push(format!(
            "{} block record(s) repeated an earlier block and were merged ({})",
            records - unique,
            if mode == Mode::Set { "covered in any" } else { "counts summed" }
        ));
    }
    Ok(meta)
}

/// Fills `detail` with one file's blocks (its statements) and per-line hits.
fn file_detail(detail: &mut FileDetail, path: String, blocks: &Blocks) {
    detail.clear();
    detail.path = path;
    let mut per_line: HashMap<u32, u64> = HashMap::new();
    for (&(start, sc, end, ec), b) in blocks {
        detail.blocks.push(crate::model::Block { span: (start, sc, end, ec), statements: b.num_stmt, count: b.count });
        if b.num_stmt == 0 {
            continue;
        }
        for line in start..=end {
            let hits = per_line.entry(line).or_insert(0);
            *hits = (*hits).max(b.count);
        }
    }
    detail.lines = per_line.into_iter().collect();
    detail.lines.sort_unstable();
    detail.blocks.sort_unstable_by_key(|b| b.span);
}

/// What is wrong with a block line.
#[derive(Debug, thiserror::Error)]
enum BadBlock {
    #[error("malformed block line {0:?}: expected <file>:<line>.<col>,<line>.<col> <statements> <count>")]
    Shape(String),
    #[error("the file name is empty in {0:?}")]
    NoFile(String),
    #[error("line 0 in block {0:?}")]
    LineZero(String),
    #[error("line {0} is past the {MAX_LINE} lines temis accepts for a source file")]
    PastMaxLine(u64),
    #[error("column {0} is out of range")]
    Column(u64),
    #[error("negative {0} in {1:?}")]
    Negative(&'static str, String),
    #[error("the block ends ({}.{}) before it starts ({}.{})", end.0, end.1, start.0, start.1)]
    Backwards { start: (u32, u32), end: (u32, u32) },
}

/// Parses a block line from the right, as Go does: the file name may itself hold `:`
/// (`C:\src\x.go`), the numbers after it never do.
fn parse_block(line: &[u8]) -> Result<BlockLine<'_>, BadBlock> {
    let malformed = || BadBlock::Shape(shown(line));
    let (rest, count) = split_last(line, b' ').ok_or_else(malformed)?;
    let (rest, num_stmt) = split_last(rest, b' ').ok_or_else(malformed)?;
    let (rest, end_col) = split_last(rest, b'.').ok_or_else(malformed)?;
    let (rest, end_line) = split_last(rest, b',').ok_or_else(malformed)?;
    let (rest, start_col) = split_last(rest, b'.').ok_or_else(malformed)?;
    let (file, start_line) = split_last(rest, b':').ok_or_else(malformed)?;
    if file.is_empty() {
        return Err(BadBlock::NoFile(shown(line)));
    }
    let line_number = |digits: &[u8]| match digits_u64(digits) {
        Some(n @ 1..) if n <= u64::from(MAX_LINE) => Ok(n as u32),
        Some(0) => Err(BadBlock::LineZero(shown(line))),
        Some(n) => Err(BadBlock::PastMaxLine(n)),
        None => Err(malformed()),
    };
    let column = |digits: &[u8]| match digits_u64(digits) {
        Some(n) => u32::try_from(n).map_err(|_| BadBlock::Column(n)),
        None => Err(malformed()),
    };
    let number = |digits: &[u8], what: &'static str| match digits_u64(digits) {
        Some(n) => Ok(n),
        None if digits.first() == Some(&b'-') => Err(BadBlock::Negative(what, shown(line))),
        None => Err(malformed()),
    };
    let block = BlockLine {
        file,
        start: (line_number(start_line)?, column(start_col)?),
        end: (line_number(end_line)?, column(end_col)?),
        num_stmt: number(num_stmt, "statement count")?,
        count: number(count, "count")?,
    };
    if block.start > block.end {
        return Err(BadBlock::Backwards { start: block.start, end: block.end });
    }
    Ok(block)
}

fn split_last(bytes: &[u8], sep: u8) -> Option<(&[u8], &[u8])> {
    let i = memchr::memrchr(sep, bytes)?;
    Some((&bytes[..i], &bytes[i + 1..]))
}

/// Digits only; more than `u64::MAX` saturates.
fn digits_u64(bytes: &[u8]) -> Option<u64> {
    if bytes.is_empty() || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(bytes.iter().fold(0u64, |n, d| n.saturating_mul(10).saturating_add(u64::from(d - b'0'))))
}

fn shown(bytes: &[u8]) -> String {
    String::from_utf8_lossy(&bytes[..bytes.len().min(80)]).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Counts, Coverage, CoverageBuilder, DetailSet};

    fn read(bytes: &[u8]) -> Result<(Coverage, Meta), ParseError> {
        let mut builder = CoverageBuilder::new();
        let meta = parse(&Source::bytes("cover.out", bytes), &mut builder)?;
        Ok((builder.finish(), meta))
    }

    fn error(bytes: &[u8]) -> ParseError {
        read(bytes).expect_err("the profile should be rejected")
    }

    fn uncovered(cov: &Coverage, path: &str) -> Vec<u32> {
        let file = cov.files.iter().find(|f| f.path == path).unwrap();
        file.line_bits.as_ref().unwrap().uncovered().collect()
    }

    #[test]
    fn set_mode_counts_statements_and_lists_uncovered_lines() {
        let (cov, meta) = read(include_bytes!("../../tests/fixtures/coverage/gocover/set.out")).unwrap();
        assert_eq!(cov.lines, Counts::new(6, 3));
        assert_eq!(cov.branches, None);
        assert_eq!(cov.files.len(), 2);
        assert_eq!(cov.files[0].lines, Counts::new(4, 3));
        // Line 8 is in a covered block and an uncovered one: covered.
        assert_eq!(uncovered(&cov, "example.com/calc/calc.go"), vec![9, 10]);
        assert_eq!(uncovered(&cov, "example.com/calc/util.go"), vec![5, 6, 7]);
        assert_eq!(meta.extra["mode"], "set");
        assert!(meta.notes.is_empty());
    }

    #[test]
    fn count_mode_real_excerpt() {
        let (cov, meta) = read(include_bytes!("../../tests/fixtures/coverage/gocover/count.out")).unwrap();
        assert_eq!(cov.lines, Counts::new(29, 25));
        assert_eq!(cov.files.len(), 1);
        assert_eq!(uncovered(&cov, "github.com/davecgh/go-spew/spew/bypass.go"), vec![74, 95, 96, 108, 144]);
        assert_eq!(meta.extra["blocks"]["unique"], 12);
    }

    #[test]
    fn atomic_mode_and_empty_blocks() {
        let (cov, _) = read(include_bytes!("../../tests/fixtures/coverage/gocover/atomic.out")).unwrap();
        assert_eq!(cov.lines, Counts::new(5, 3));
        // The 0-statement block on line 21 marks no line.
        assert_eq!(uncovered(&cov, "example.com/srv/handler.go"), vec![15, 16, 17]);
    }

    #[test]
    fn concatenated_profiles_merge_duplicate_blocks() {
        let bytes = include_bytes!("../../tests/fixtures/coverage/gocover/concat.out");
        let (cov, meta) = read(bytes).unwrap();
        assert_eq!(cov.lines, Counts::new(5, 4));
        assert_eq!(meta.notes.len(), 2, "{:?}", meta.notes);
        assert_eq!(meta.extra["blocks"]["records"], 5);
        // Hit counts are summed for `temis merge`.
        let mut set = DetailSet::new();
        parse(&Source::bytes("c", bytes), &mut set).unwrap();
        let a = &set.files[0];
        assert_eq!(a.lines.iter().find(|l| l.0 == 4), Some(&(4, 7)));
        assert_eq!(a.lines.iter().find(|l| l.0 == 8), Some(&(8, 1)));
    }

    #[test]
    fn set_mode_duplicates_are_ored() {
        let (cov, _) = read(b"mode: set\na.go:1.1,2.2 3 0\na.go:1.1,2.2 3 1\n").unwrap();
        assert_eq!(cov.lines, Counts::new(3, 3));
    }

    #[test]
    fn windows_paths_keep_their_colon() {
        let (cov, _) = read(b"mode: set\r\nC:\\src\\x.go:1.2,3.4 1 0\r\n").unwrap();
        assert_eq!(cov.files[0].path, "C:\\src\\x.go");
        assert_eq!(cov.lines, Counts::new(1, 0));
    }

    #[test]
    fn huge_counts_saturate() {
        let (cov, _) = read(b"mode: count\na.go:1.1,1.9 99999999999999999999999 99999999999999999999\n").unwrap();
        assert_eq!(cov.lines, Counts::new(u64::MAX, u64::MAX));
    }

    #[test]
    fn only_a_mode_line_is_an_empty_report() {
        let (cov, _) = read(b"mode: atomic\n").unwrap();
        assert!(cov.files.is_empty());
    }

    #[test]
    fn hostile_profiles_are_rejected_with_their_line() {
        let e = error(b"a.go:1.2,3.4 1 0\n");
        assert_eq!(e.line, Some(1));
        assert!(e.message.contains("starts with a `mode: set|count|atomic` line"), "{e}");

        let e = error(b"mode: set\nfile.go:1.2,3.4 x y\n");
        assert_eq!(e.line, Some(2));
        assert!(e.message.starts_with("malformed block line \"file.go:1.2,3.4 x y\""), "{e}");

        let e = error(b"mode: set\nfile.go:5.2,3.4 1 0\n");
        assert_eq!(e.line, Some(2));
        assert_eq!(e.message, "the block ends (3.4) before it starts (5.2)");

        let e = error(b"mode: count\na.go:1.1,2.2 3 0\n\na.go:1.1,2.2 2 1\n");
        assert_eq!(e.line, Some(4));
        assert_eq!(e.message, "inconsistent NumStmt for a.go:1.1,2.2: 3 before, 2 here");

        let e = error(b"mode: set\na.go:1.1,2.2 1 -1\n");
        assert_eq!((e.line, e.message.as_str()), (Some(2), "negative count in \"a.go:1.1,2.2 1 -1\""));

        let e = error(b"mode: set\na.go:1.1,2.2 1 0\nmode: count\n");
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("different modes"), "{e}");

        let e = error(b"mode: sometimes\n");
        assert_eq!(e.message, "unknown coverage mode \"sometimes\" (expected set, count or atomic)");

        let e = error(b"mode: set\n:1.1,2.2 1 0\n");
        assert!(e.message.starts_with("the file name is empty"), "{e}");

        let e = error(b"mode: set\na.go:1.1,99999999.2 1 0\n");
        assert!(e.message.contains("past the 16777216 lines"), "{e}");

        let e = error(b"mode: set\n\xff.go:1.1,2.2 1 0\n");
        assert_eq!(e.message, "the file name is not valid UTF-8");

        let e = error(b"");
        assert_eq!((e.line, e.message.as_str()), (None, "no `mode:` line: this is not a Go coverprofile"));
    }

    #[test]
    fn block_spans_are_bounded() {
        let mut profile = b"mode: set\n".to_vec();
        for i in 0..5 {
            profile.extend_from_slice(format!("f{i}.go:1.1,16777216.1 1 0\n").as_bytes());
        }
        let e = error(&profile);
        assert_eq!(e.line, Some(6));
        assert!(e.message.contains("span more than"), "{e}");
    }
}
