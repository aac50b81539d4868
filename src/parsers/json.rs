//! What the JSON report parsers (coverage.py, Istanbul, SimpleCov, llvm-cov, tarpaulin) share:
//! reading a document from a [`Source`] straight into typed values (never a `serde_json::Value`
//! of the whole report), the numbers producers write, and errors that say where
//! (`line:column`) and what, in words a user can act on. [`Object`] and [`Array`] let a
//! streaming visitor be read as a seed without a `DeserializeSeed` impl of its own.
//!
//! Number policy, the same for every JSON format:
//! - a hit count ([`Count`]) is a whole number from 0 to `u64::MAX` (`3.0` and `1e3` are
//!   accepted, as whole numbers); a fraction (`0.5`, `1.5`), a negative count (`-1`) and one
//!   past `u64::MAX` (`1e300`, `99999999999999999999999`; `1e400`, which no float holds, is
//!   serde_json's own "out of range") are errors: no producer writes them, and truncated or
//!   clamped, `0.5` would read as not run, `1.5` as run, and `1e300` as a count no counter holds;
//! - a line number ([`Line`]) is an integer from 0 to `u32::MAX` (`3.0` is accepted, `3.5`,
//!   `-1` and `5000000000` are errors); each parser says what line 0 means (a statement or
//!   executed line on line 0 is skipped with a note, as the LCOV parser skips it). llvm-cov and
//!   tarpaulin, whose positions are machine-written integers, read them as such and bound them
//!   to 2^24 lines.
//!
//! Nesting: typed values are only a few levels deep and everything else is skipped with
//! `IgnoredAny`, which does not recurse, so deep nesting costs no stack; where serde_json's
//! recursion limit is reached all the same, the message says so in words.

use std::fmt;
use std::io::{self, BufRead, BufReader, Read};
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, de::IgnoredAny};
use serde_json::error::Category;

use crate::input::{Piece, Source};
use crate::parsers::ParseError;

/// Reads one JSON document from `input` with `seed`: a BOM is skipped, trailing whitespace
/// allowed, anything after the document is an error.
pub(crate) fn read<S, T>(input: &Source, seed: S) -> Result<T, ParseError>
where
    S: for<'de> DeserializeSeed<'de, Value = T>,
{
    // The reader itself, not a reference to it: serde_json reads a byte at a time, and std
    // takes a byte straight from a `BufReader`'s buffer only when it is given the `BufReader`.
    let mut de = serde_json::Deserializer::from_reader(reader(input)?);
    let result = seed.deserialize(&mut de).and_then(|v| de.end().map(|()| v));
    result.map_err(|e| {
        if e.classify() == Category::Eof && input.is_empty() {
            ParseError::whole("the file is empty: no report to read")
        } else {
            error(&e)
        }
    })
}

/// Reads one JSON document from `input` as a `T` ([`read`]); a value of the wrong type is named
/// by its path in the document (`results`, `Results[0].Vulnerabilities`).
pub(crate) fn read_doc<T: for<'de> Deserialize<'de>>(input: &Source) -> Result<T, ParseError> {
    read(input, PhantomData::<T>).map_err(|e| explain(input, e, PhantomData::<T>))
}

/// `error`, which reading `input` with a seed like `seed` gave, with the path of the value it is
/// about when it is about a value (a wrong type, a number out of range): the document is read
/// again, only on this error path, keeping track of where it stands.
pub(crate) fn explain<S, T>(input: &Source, error: ParseError, seed: S) -> ParseError
where
    S: for<'de> DeserializeSeed<'de, Value = T>,
{
    let Ok(reader) = reader(input) else { return error };
    let mut de = serde_json::Deserializer::from_reader(reader);
    let mut track = serde_path_to_error::Track::new();
    let tracked = serde_path_to_error::Deserializer::new(&mut de, &mut track);
    match seed.deserialize(tracked) {
        Err(e) if e.classify() == Category::Data => {
            let path = track.path().to_string();
            let mut placed = self::error(&e);
            if path != "." && placed.line == error.line && placed.column == error.column {
                placed.message = format!("`{path}`: {}", placed.message);
                return placed;
            }
            error
        }
        _ => error,
    }
}

/// A buffered reader over `input`, past a BOM.
fn reader(input: &Source) -> Result<BufReader<crate::input::Range<'_>>, ParseError> {
    let mut reader = BufReader::with_capacity(1 << 16, input.reader());
    let head = reader.fill_buf().map_err(|e| ParseError::io(&e))?;
    if head.starts_with(b"\xEF\xBB\xBF") {
        reader.consume(3);
    }
    Ok(reader)
}

/// A serde_json error as a [`ParseError`] at its line and column, in plain words.
pub(crate) fn error(e: &serde_json::Error) -> ParseError {
    let full = e.to_string();
    let bare = match full.rfind(" at line ") {
        Some(i) if e.line() > 0 => &full[..i],
        _ => full.as_str(),
    };
    let message = match e.classify() {
        Category::Io => match e.io_error_kind() {
            Some(io::ErrorKind::InvalidData) => "the file is not valid UTF-8 text".to_string(),
            _ => format!("read failed: {bare}"),
        },
        Category::Eof => format!("the JSON ends too early ({bare}): the file is truncated"),
        Category::Syntax => match bare {
            "recursion limit exceeded" => {
                "the JSON is nested more than 128 levels deep: no coverage report nests so deep".to_string()
            }
            "invalid unicode code point" => "a string is not valid UTF-8 (or holds an invalid \\u escape)".to_string(),
            _ => format!("invalid JSON: {bare}"),
        },
        Category::Data => bare.to_string(),
    };
    match (e.line(), e.column()) {
        (0, _) => ParseError::whole(message),
        (line, column) => ParseError::at(line as u64, column as u64, message),
    }
}

/// Adds which entry (file path, suite) was being read to an error's message.
pub(crate) fn within(mut e: ParseError, what: Option<&str>) -> ParseError {
    if let Some(what) = what {
        e.message = format!("{} (in {what})", e.message);
    }
    e
}

/// A reader of a top-level JSON object's entries, for [`read_object_in_chunks`]: `read` reads one
/// object (the whole document, or the rest of it as a stream); `read_part` reads a chunk of its
/// entries made into an object, on a thread of its own, into a part that `absorb` adds.
pub(crate) trait ObjectReader {
    /// What a chunk gives, held until the chunks before it are added.
    type Part: Send;
    fn read<'de, D: Deserializer<'de>>(&mut self, d: D) -> Result<(), D::Error>;
    /// What `chunk` gives; `None` when it is not a whole object (a wrong cut, or bad JSON).
    /// `summarized` is what [`summarized`](Self::summarized) said.
    fn read_part(chunk: &[u8], summarized: bool) -> Option<Self::Part>;
    /// Asked once, before the chunks are read: whether a chunk's files are to be summarized on
    /// its own thread (a coverage reader whose sink keeps only summaries, [`crate::model::Staged`]).
    fn summarized(&mut self) -> bool {
        false
    }
    /// Adds the part of the chunk that follows the ones added before.
    fn absorb(&mut self, part: Self::Part);
    /// After what comes before a member was read: whether the last key read at each level was
    /// the path's own — the document ended with the member itself, not with a key of the same
    /// depth elsewhere, or one whose name holds the member's (`"see \"files"`). A reader of a
    /// member must say; one that does not is never read in chunks.
    fn read_the_member(&self) -> bool {
        false
    }
}

/// Where the records of a large JSON document stand: the entries of the top-level object
/// (Istanbul's map of files), or those of one member of it (coverage.py's `files` object).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Records {
    /// The top-level object's entries.
    Document,
    /// The entries of the object (`{`) or array (`[`) at this path from the top (`files`;
    /// `results.tests`; `data[0].files`).
    Member(&'static [Step], u8),
    /// The same, for every member at this path in turn, where [`Step::First`] stands for any
    /// element of its array (each SARIF run's `results`).
    Members(&'static [Step], u8),
}

/// One step of a path into a JSON document.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Step {
    /// The value of this key of an object.
    Key(&'static str),
    /// The first element of an array.
    First,
}

/// Reads a large JSON document whose bulk is records of their own (the entries of the object or
/// array `records` names) a chunk of records at a time, each chunk from memory and one per
/// thread at once: serde_json reads a slice several times faster than a reader (keys are
/// borrowed, strings scanned at once), and memory holds a chunk per thread, not the document.
///
/// `cut` says where, in a window of bytes, a record begins (for an object, its key's opening
/// quote, right after the comma that separates it from the one before; for an array, the value's
/// first byte after that comma); each chunk runs from one such place to the next past
/// [`Source::chunk_len`] bytes (2 MiB; sources under 32 MiB are read in one go), read as the
/// container holding those records alone (`{…}`, `[…]`). A cut is proven by the chunk before it:
/// that chunk, read from a proven start, is a whole container only when the cut stands between
/// two of its records (a cut inside a string or a nested value leaves the chunk unfinished). What
/// a chunk gives is added only when every chunk before it was whole. One that is not (its end is
/// no cut: the member ends before it, or the cut stands inside a value; or bad JSON) is tried
/// again as smaller chunks that end before its end, and near the end of what is read in chunks
/// they are half what is left; what is left when they would be under an eighth of a chunk is
/// read as a stream from the last proven cut.
///
/// For a member, what comes before it is read first as a document of its own, the member empty
/// (`{"meta": {…}, "files": {}}`) — which also proves the member stands as deep as its path says
/// (`read` must check it is where the path says, when the path is longer than one key) — and
/// the rest after the chunks as another (`{"files": {` + the rest). `read` is given each
/// document in turn, so what it gathers across them must be the one walk's. For
/// [`Records::Members`], what lies between the end of one member's chunks and the next member
/// large enough for a round of chunks is a document of its own too (`{"runs":[{"results":[` +
/// what lies between, smaller members with it, + `[]}]}`), read and proven as the first; a next
/// member that cannot be proven so has the caller read the document in one go
/// ([`ChunkError::NotChunked`]: `read` has seen part of it).
///
/// An error in the rest is the document's ([`ChunkError::Invalid`]): the caller reads it once
/// more from the start in one go, which places the error in the document's own lines and columns.
pub(crate) fn read_object_in_chunks<R: ObjectReader>(
    input: &Source,
    records: Records,
    cut: impl Fn(&[u8]) -> Option<usize>,
    reader: &mut R,
) -> Result<(), ChunkError> {
    let Some(chunk) = input.chunk_len() else {
        return Err(ChunkError::NotChunked);
    };
    let mut each = None;
    let (mut pos, open, close, opening) = match records {
        Records::Document => (object_body(input).ok_or(ChunkError::NotChunked)?, b'{', b'}', b"{".to_vec()),
        Records::Member(path, open) | Records::Members(path, open) => {
            let Some(Step::Key(key)) = path.last() else { return Err(ChunkError::NotChunked) };
            let value = find_member(input, 0, key, open).ok_or(ChunkError::NotChunked)?;
            let close = if open == b'{' { b'}' } else { b']' };
            // What comes before the member, the member empty: a document of its own, which
            // parses only when the member stands as deep as its path says (each key closes its
            // object, each first element its array).
            let mut before = input.bytes_at(0, value).map_err(|_| ChunkError::NotChunked)?.into_owned();
            let mut closing = vec![open, close];
            closing.extend(path.iter().rev().map(|step| if let Step::Key(_) = step { b'}' } else { b']' }));
            before.extend_from_slice(&closing);
            if let Records::Members(..) = records {
                each = Some((key, closing));
            }
            let mut de = serde_json::Deserializer::from_slice(&before);
            reader.read(&mut de).and_then(|()| de.end()).map_err(|_| ChunkError::NotChunked)?;
            if !reader.read_the_member() {
                return Err(ChunkError::NotChunked);
            }
            let mut opening = Vec::new();
            for step in path {
                match step {
                    Step::Key(key) => {
                        opening.push(b'{');
                        opening.extend_from_slice(serde_json::to_string(key).expect("a string").as_bytes());
                        opening.push(b':');
                    }
                    Step::First => opening.push(b'['),
                }
            }
            opening.push(open);
            (value + 1, open, close, opening)
        }
    };
    let summarized = reader.summarized();
    // A buffer per piece of a round, reused from round to round: a chunk read into fresh memory
    // costs the system's pages and their zeroing again.
    let buffers: Vec<std::sync::Mutex<Vec<u8>>> = (0..input.threads()).map(|_| Default::default()).collect();
    let read = |piece: Piece| {
        let mut buffer = buffers[piece.index].lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        R::read_part(chunk_of(input, piece.from, piece.to, (open, close), &mut buffer)?, summarized)
    };
    // The member after the one being read, when the search for it was made already.
    let mut following = None;
    loop {
        // Where the next member begins, when it is near: no chunk reaches it (a member smaller
        // than a chunk is read with what lies between).
        let next =
            following.take().unwrap_or_else(|| each.as_ref().and_then(|(key, _)| find_member(input, pos, key, open)));
        let mut limit = next.unwrap_or(input.len());
        'rounds: loop {
            // The next chunks, one per thread, each starting where the one before ends; within two
            // chunks of the limit (a failed chunk's end is one), of half what is left, down to an
            // eighth of a chunk (what is left after the last is read as a stream, the slowest
            // reader).
            let mut cuts = vec![pos];
            while cuts.len() <= input.threads() {
                let last = cuts[cuts.len() - 1];
                let left = limit.saturating_sub(last);
                let target = last + chunk.min(left / 2);
                match (left > chunk / 8).then(|| find_near(input, target, &[64 << 10, 4 << 20], &cut)).flatten() {
                    Some(at) if at < limit => cuts.push(at),
                    _ => break,
                }
            }
            if cuts.len() < 2 {
                break;
            }
            for (part, &at) in input.in_pieces(&cuts, read).into_iter().zip(&cuts[1..]) {
                let Some(part) = part.flatten() else {
                    // Not whole: its end is no cut (the member ends before it, as a member's
                    // last round does when the next member is far, or the cut stands inside a
                    // value). What lies before it is tried again in smaller chunks.
                    limit = at;
                    continue 'rounds;
                };
                reader.absorb(part);
                pos = at;
            }
        }
        // The next member worth its chunks, what lies between (smaller members with it) read as a
        // document that ends with it empty.
        let Some((key, closing)) = &each else { break };
        let span = chunk * input.threads() as u64;
        let Some((next, after)) = next_large_member(input, pos, key, open, span) else { break };
        following = Some(after);
        let between =
            io::Cursor::new(opening.clone()).chain(input.range(pos, next)).chain(io::Cursor::new(closing.clone()));
        let mut de = serde_json::Deserializer::from_reader(BufReader::with_capacity(1 << 16, between));
        reader.read(&mut de).and_then(|()| de.end()).map_err(|_| ChunkError::NotChunked)?;
        if !reader.read_the_member() {
            return Err(ChunkError::NotChunked);
        }
        pos = next + 1;
    }
    // The rest, from the last proven cut, as one stream.
    let rest = io::Cursor::new(opening).chain(input.range(pos, input.len()));
    let mut de = serde_json::Deserializer::from_reader(BufReader::with_capacity(1 << 16, rest));
    reader.read(&mut de).and_then(|()| de.end()).map_err(|_| ChunkError::Invalid)
}

/// How far past where it is looked for a member read in chunks may begin: what comes before the
/// first is read as a document of its own, from memory (a SARIF run's rules, with their help
/// texts, come before its results).
const MEMBER_REACH: u64 = 8 << 20;

/// Where the value of a member `"key": <open>` opens at or past `from`, looked for in the next
/// 4 KiB, 64 KiB, then [`MEMBER_REACH`] bytes ([`member_value`]; what it stands in is proven by
/// reading).
fn find_member(input: &Source, from: u64, key: &str, open: u8) -> Option<u64> {
    find_near(input, from, &[4 << 10, 64 << 10, MEMBER_REACH], |window| member_value(window, key, open))
}

/// Where `find` finds something in the bytes at or past `from`, looked for in windows of each
/// size of `reaches` in turn (most are near; a larger window is read only when a smaller one
/// holds none); `None` past the end or when none is within the last reach.
fn find_near(input: &Source, from: u64, reaches: &[u64], find: impl Fn(&[u8]) -> Option<usize>) -> Option<u64> {
    if from >= input.len() {
        return None;
    }
    for &reach in reaches {
        let window = input.bytes_at(from, from + reach).ok()?;
        if let Some(i) = find(&window) {
            return Some(from + i as u64);
        }
        if (window.len() as u64) < reach {
            return None;
        }
    }
    None
}

/// The next member at or past `from` whose records span `span` bytes at least (up to the member
/// after it, or the end), and the member after it when one is near: the members before it are
/// too small to be read in chunks (a log of many small runs is read as few documents, not one
/// per run).
fn next_large_member(input: &Source, from: u64, key: &str, open: u8, span: u64) -> Option<(u64, Option<u64>)> {
    let mut at = find_member(input, from, key, open)?;
    loop {
        match find_member(input, at + 1, key, open) {
            Some(after) if after - at < span => at = after,
            after => return Some((at, after)),
        }
    }
}

/// Whitespace as JSON has it (a form feed is not).
fn json_space(b: &u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Whether `window[..i]` ends with a comma, past JSON whitespace: where a cut may stand.
pub(crate) fn follows_comma(window: &[u8], i: usize) -> bool {
    window[..i].iter().rev().find(|b| !json_space(b)) == Some(&b',')
}

/// A `cut` for [`read_object_in_chunks`] over an object whose entries' values all begin alike:
/// where, in `window`, the first entry after a comma begins (the opening quote of its key) whose
/// value starts with `value_start` right after the colon or after one space (compact writers, and
/// those that write `"<key>": ` as Python's `json.dump` and istanbul-reports do).
pub(crate) fn entry_start(window: &[u8], value_start: &[u8]) -> Option<usize> {
    let at = |j: usize| {
        let q = memchr::memrchr(b'"', &window[..j])?;
        follows_comma(window, q).then_some(q)
    };
    let first = |colon: &[u8]| memchr::memmem::find_iter(window, &[colon, value_start].concat()).find_map(at);
    match (first(b"\":"), first(b"\": ")) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// A `cut` for [`read_object_in_chunks`] over an array of objects (the member `key`, the last
/// of its path) whose records begin as its first one does, with the same first key (a SARIF
/// tool writes each result's keys in one order: `{"ruleId":`): where, in a window, a `{` right
/// after a comma opens an object whose first key is that one. The first record is the first of
/// the first of the member's first few occurrences that has one (a tool that found nothing
/// writes `"results": []`). `None` when the source is read in one go, or no record is found
/// that begins with an object whose first key is plain (no escape).
pub(crate) fn records_like_the_first(input: &Source, key: &str) -> Option<impl Fn(&[u8]) -> Option<usize> + use<>> {
    input.chunk_len()?;
    let first_key = |value: u64| {
        let head = input.bytes_at(value + 1, value + (64 << 10)).ok()?;
        let after = |i: usize| head.get(i..).map(|rest| i + rest.iter().take_while(|b| json_space(b)).count());
        let open = after(0)?;
        let quote = after((head.get(open) == Some(&b'{')).then_some(open + 1)?)?;
        (head.get(quote) == Some(&b'"')).then_some(())?;
        let name = head.get(quote + 1..)?;
        let len = memchr::memchr2(b'"', b'\\', name)?;
        (name[len] == b'"' && len > 0).then_some(())?;
        // The key with its quotes: `"ruleId"`.
        Some(head[quote..quote + len + 2].to_vec())
    };
    let mut from = 0;
    let mut first = None;
    for _ in 0..16 {
        let value = find_member(input, from, key, b'[')?;
        first = first_key(value);
        if first.is_some() {
            break;
        }
        from = value + 1;
    }
    let first = first?;
    Some(move |window: &[u8]| {
        memchr::memmem::find_iter(window, &first).find_map(|at| {
            let brace = window[..at].iter().rposition(|b| !json_space(b)).filter(|&b| window[b] == b'{')?;
            let colon = window[at + first.len()..].iter().find(|b| !json_space(b));
            (follows_comma(window, brace) && colon == Some(&b':')).then_some(brace)
        })
    })
}

/// Where the value of the top-level `key` opens (its `open` byte) in `head`, when it is there:
/// the first `"key"` followed by `:` and `open`. Whether it is the top-level key is proven by
/// reading what comes before it ([`read_object_in_chunks`]).
fn member_value(head: &[u8], key: &str, open: u8) -> Option<usize> {
    let quoted = serde_json::to_string(key).ok()?;
    memchr::memmem::find_iter(head, quoted.as_bytes()).find_map(|at| {
        let mut i = at + quoted.len();
        let skip = |i: &mut usize| {
            while head.get(*i).is_some_and(json_space) {
                *i += 1;
            }
        };
        skip(&mut i);
        (head.get(i) == Some(&b':')).then_some(())?;
        i += 1;
        skip(&mut i);
        (head.get(i) == Some(&open)).then_some(i)
    })
}

/// The records `from..to` made into a container of their own, in `buffer` (reused: it only
/// grows): `open` + them + `close` in place of the comma that ends them; `None` when they do not
/// end with a comma (the cut is not between records) or cannot be read.
fn chunk_of<'b>(
    input: &Source,
    from: u64,
    to: u64,
    (open, close): (u8, u8),
    buffer: &'b mut Vec<u8>,
) -> Option<&'b [u8]> {
    let to = to.min(input.len());
    let len = 1 + usize::try_from(to.checked_sub(from)?).ok()?;
    if buffer.len() < len {
        buffer.resize(len, 0);
    }
    let buf = &mut buffer[..len];
    buf[0] = open;
    input.range(from, to).read_exact(&mut buf[1..]).ok()?;
    let end = 1 + buf[1..].iter().rposition(|b| !json_space(b))?;
    if buf[end] != b',' {
        return None;
    }
    buf[end] = close;
    Some(&buf[..=end])
}

/// Reads `chunk` (a whole object) with `read`: `None` when it is not one.
pub(crate) fn read_chunk<'a>(
    chunk: &'a [u8],
    read: impl FnOnce(&mut serde_json::Deserializer<serde_json::de::SliceRead<'a>>) -> serde_json::Result<()>,
) -> Option<()> {
    let mut de = serde_json::Deserializer::from_slice(chunk);
    read(&mut de).and_then(|()| de.end()).ok()
}

/// Why [`read_object_in_chunks`] did not read the document: it is small or not an object
/// (read it in one go), or it is not valid (read it in one go for the error's place).
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ChunkError {
    NotChunked,
    Invalid,
}

/// Where the entries of the top-level object begin: past a BOM, whitespace and `{`.
fn object_body(input: &Source) -> Option<u64> {
    let head = input.head();
    let bom = if head.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
    let at = bom + head[bom..].iter().position(|b| !json_space(b))?;
    (head.get(at) == Some(&b'{')).then_some(at as u64 + 1)
}

/// A [`ObjectReader`] as a seed, to read a document in one go with [`read`].
pub(crate) struct Whole<'r, R>(pub &'r mut R);

impl<'de, R: ObjectReader> DeserializeSeed<'de> for Whole<'_, R> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.0.read(d)
    }
}

/// A visitor as a seed that reads a JSON object: for visitors that stream into the parser's
/// state, so that each needs no `DeserializeSeed` of its own.
pub(crate) struct Object<V>(pub V);

impl<'de, V: Visitor<'de>> DeserializeSeed<'de> for Object<V> {
    type Value = V::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        d.deserialize_map(self.0)
    }
}

/// A visitor as a seed that reads a JSON array; see [`Object`].
pub(crate) struct Array<V>(pub V);

impl<'de, V: Visitor<'de>> DeserializeSeed<'de> for Array<V> {
    type Value = V::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        d.deserialize_seq(self.0)
    }
}

/// The names of an object its producer writes each once (keyed by data, not by field: the
/// `files` of coverage.py, Istanbul's map, SimpleCov's suites, Lighthouse's audits): the first
/// named twice. JSON readers keep the last of two equal keys, the coverage sinks merge them;
/// neither is what the producer wrote, so the reader refuses it ([`OnceNamed::check`], or
/// [`OnceNamed::first`] where the error is placed by serde). Fixed field names are
/// [`Keys::once`]'s.
///
/// Each path is kept as a 64-bit hash, not a copy (a map of 66,000 files held 9 MB more): two
/// paths of one report share a hash once in ~10^10 reports.
#[derive(Debug, Default)]
pub(crate) struct OnceNamed {
    seen: std::collections::HashSet<u64>,
    twice: Option<String>,
}

impl OnceNamed {
    /// Whether `name` is new (a name seen before is kept for [`OnceNamed::check`]).
    pub(crate) fn first(&mut self, name: &str) -> bool {
        use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
        let hash = BuildHasherDefault::<DefaultHasher>::default().hash_one(name);
        let new = self.seen.insert(hash);
        if !new && self.twice.is_none() {
            self.twice = Some(name.to_owned());
        }
        new
    }

    pub(crate) fn note(&mut self, name: &str) {
        self.first(name);
    }

    /// An error naming the name given twice in `what` (`files`), if one was.
    pub(crate) fn check(&self, what: &str) -> Result<(), ParseError> {
        match &self.twice {
            None => Ok(()),
            Some(name) => Err(ParseError::whole(twice(what, name))),
        }
    }
}

/// `name` given twice in `what`, said the same way by every reader.
pub(crate) fn twice(what: &str, name: &str) -> String {
    format!(
        "{what} names {name:?} twice: its producer names each once, and an entry named twice cannot be \
         both its figures (JSON readers keep the last); write the report again"
    )
}

/// A hit count: see the module's number policy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Count(pub u64);

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(CountVisitor)
    }
}

pub(crate) struct CountVisitor;

impl Visitor<'_> for CountVisitor {
    type Value = Count;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a hit count (a number ≥ 0)")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Count, E> {
        Ok(Count(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Count, E> {
        u64::try_from(v).map(Count).map_err(|_| E::custom(format!("negative hit count {v}")))
    }

    /// A number written with a fraction or an exponent, or an integer past `u64::MAX` (which
    /// serde_json reads as a float): a whole number within `u64` is that count, anything else
    /// an error; never truncated, never clamped.
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Count, E> {
        if v < 0.0 {
            return Err(E::custom(format!("negative hit count {v}")));
        }
        if !v.is_finite() || v.fract() != 0.0 {
            return Err(E::custom(format!("hit count {v} is not a whole number")));
        }
        // 2^64, the first whole float past `u64::MAX`.
        if v >= 18_446_744_073_709_551_616.0 {
            return Err(E::custom(format!("hit count {v:e} is past the largest a counter holds (2^64 - 1)")));
        }
        Ok(Count(v as u64))
    }
}

/// A line number (0 allowed here; parsers decide what line 0 means).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Line(pub u32);

impl<'de> Deserialize<'de> for Line {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LineVisitor)
    }
}

struct LineVisitor;

impl Visitor<'_> for LineVisitor {
    type Value = Line;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a line number")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Line, E> {
        u32::try_from(v).map(Line).map_err(|_| E::custom(format!("line number {v} is out of range")))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Line, E> {
        match u64::try_from(v) {
            Ok(v) => self.visit_u64(v),
            Err(_) => Err(E::custom(format!("negative line number {v}"))),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Line, E> {
        if v.fract() != 0.0 || !v.is_finite() {
            return Err(E::custom(format!("line number {v} is not an integer")));
        }
        if v < 0.0 {
            return Err(E::custom(format!("negative line number {v}")));
        }
        if v > f64::from(u32::MAX) {
            return Err(E::custom(format!("line number {v} is out of range")));
        }
        Ok(Line(v as u32))
    }
}

/// A JSON object's entries in document order (keys are not required to be unique).
#[derive(Debug)]
pub(crate) struct Entries<T, K = String>(pub Vec<(K, T)>);

impl<T, K> Default for Entries<T, K> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>, K: Deserialize<'de>> Deserialize<'de> for Entries<T, K> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(EntriesVisitor(PhantomData))
    }
}

struct EntriesVisitor<T, K>(PhantomData<(K, T)>);

impl<'de, T: Deserialize<'de>, K: Deserialize<'de>> Visitor<'de> for EntriesVisitor<T, K> {
    type Value = Entries<T, K>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(map.size_hint().unwrap_or(0).min(4096));
        while let Some((k, v)) = map.next_entry::<K, T>()? {
            out.push((k, v));
        }
        Ok(Entries(out))
    }
}

/// The number of elements of a JSON array, without keeping them.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Len(pub usize);

impl<'de> Deserialize<'de> for Len {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let items: Vec<IgnoredAny> = Vec::deserialize(d)?;
        Ok(Len(items.len()))
    }
}

/// A value read as written: taken as the document holds it (serde_json checks the text as it
/// skips it; from memory only), given by `fast` from its bytes when they have the shape it knows
/// ([`written_whole`], [`written_bool`], [`written_items`]), else read as the `T` the one walk
/// reads and given by `slow`, so that both take and refuse the same values.
pub(crate) fn written<'de, D: Deserializer<'de>, T: Deserialize<'de>, U>(
    d: D,
    fast: impl FnOnce(&str) -> Option<U>,
    slow: impl FnOnce(T) -> U,
) -> Result<U, D::Error> {
    let raw = <&'de serde_json::value::RawValue>::deserialize(d)?.get();
    match fast(raw) {
        Some(value) => Ok(value),
        None => serde_json::from_str(raw).map(slow).map_err(|e| de::Error::custom(error(&e).message)),
    }
}

/// A whole number as a document writes it: 1 to `digits` digits (at most 18) right at the start
/// of `text`, and the text after them; `None` for anything else. For a record taken as written
/// before serde would read it (a location, a segment): the caller checks what follows (a
/// fraction or an exponent is another number) and reads anything else through serde.
pub(crate) fn written_whole(text: &[u8], digits: usize) -> Option<(u64, &[u8])> {
    let digits = digits.min(18);
    let (mut value, mut n) = (0u64, 0);
    while let Some(d) = text.get(n).map(|b| b.wrapping_sub(b'0')).filter(|&d| d <= 9) {
        if n == digits {
            return None;
        }
        value = value * 10 + u64::from(d);
        n += 1;
    }
    // JSON writes no leading zero.
    (n >= 1 && (n == 1 || text[0] != b'0')).then_some((value, &text[n..]))
}

/// `true` or `false` as a document writes it at the start of `text`, and the text after it.
pub(crate) fn written_bool(text: &[u8]) -> Option<(bool, &[u8])> {
    match text.strip_prefix(b"true") {
        Some(rest) => Some((true, rest)),
        None => text.strip_prefix(b"false").map(|rest| (false, rest)),
    }
}

/// Reads the items of a JSON array written `[item,item,…]` (JSON whitespace between the tokens,
/// which serde skips, is skipped: coverage.py writes `[1, 2, 3]`), in order, with `item` (which
/// gives the text after the item); `None` when any is not, or `item` stops.
pub(crate) fn written_items<'a>(raw: &'a [u8], item: impl FnMut(&'a [u8]) -> Option<&'a [u8]>) -> Option<()> {
    written_items_at(raw, item).filter(|after| after.is_empty()).map(drop)
}

/// [`written_items`] of the array at the start of `text`: the text after it.
pub(crate) fn written_items_at<'a>(
    text: &'a [u8],
    mut item: impl FnMut(&'a [u8]) -> Option<&'a [u8]>,
) -> Option<&'a [u8]> {
    let mut rest = skip_space(text.strip_prefix(b"[")?);
    if let Some(after) = rest.strip_prefix(b"]") {
        return Some(after);
    }
    loop {
        match skip_space(item(rest)?).split_first()? {
            (b']', after) => return Some(after),
            (b',', next) => rest = skip_space(next),
            _ => return None,
        }
    }
}

/// Reads the members of the object at the start of `text`, written `{"key":value,…}` with no
/// escape in its keys (JSON whitespace between the tokens, which serde skips, is skipped: the
/// istanbul-reports writer puts `": "` after each file's key and each file on a line of its
/// own), in order: `member` gets each key and the text from its value on, and gives the text
/// after the value. The text after the object; `None` when it is written otherwise, or `member`
/// stops.
pub(crate) fn written_members<'a>(
    text: &'a [u8],
    mut member: impl FnMut(&'a [u8], &'a [u8]) -> Option<&'a [u8]>,
) -> Option<&'a [u8]> {
    let mut rest = skip_space(text.strip_prefix(b"{")?);
    if let Some(after) = rest.strip_prefix(b"}") {
        return Some(after);
    }
    loop {
        let (key, after) = written_str(rest)?;
        let value = skip_space(skip_space(after).strip_prefix(b":")?);
        match skip_space(member(key, value)?).split_first()? {
            (b'}', after) => return Some(after),
            (b',', next) => rest = skip_space(next),
            _ => return None,
        }
    }
}

/// `text` past the JSON whitespace it starts with.
#[inline(always)]
pub(crate) fn skip_space(text: &[u8]) -> &[u8] {
    match text.first() {
        Some(b) if json_space(b) => &text[text.iter().position(|b| !json_space(b)).unwrap_or(text.len())..],
        _ => text,
    }
}

/// The keys a hand-written map visitor has read: a key it knows given twice is refused as
/// serde's derived structs refuse it (`duplicate field`), never the last one winning. Keys it
/// skips are not kept.
#[derive(Default)]
pub(crate) struct Keys(Vec<&'static str>);

impl Keys {
    /// `key` read: an error when it was read before.
    pub(crate) fn once<E: de::Error>(&mut self, key: &'static str) -> Result<(), E> {
        if self.0.contains(&key) {
            return Err(E::duplicate_field(key));
        }
        self.0.push(key);
        Ok(())
    }

    /// Whether `key` was read.
    pub(crate) fn has(&self, key: &str) -> bool {
        self.0.contains(&key)
    }
}

/// For a member read by [`written_members`]: `value` put in `slot`, and the text after it; `None`
/// when the slot is full (serde refuses a field given twice).
pub(crate) fn written_once<'a, T>(slot: &mut Option<T>, (value, after): (T, &'a [u8])) -> Option<&'a [u8]> {
    slot.is_none().then_some(())?;
    *slot = Some(value);
    Some(after)
}

/// A string at the start of `text` written with no escape and no control character, as valid
/// UTF-8 (what serde_json reads as those very bytes), and the text after it.
pub(crate) fn written_str(text: &[u8]) -> Option<(&[u8], &[u8])> {
    let body = text.strip_prefix(b"\"")?;
    // A short string (a key, mostly) in one pass over its bytes; a long one found by memchr.
    let mut ascii = true;
    for (n, &b) in body.iter().take(24).enumerate() {
        match b {
            b'"' => {
                let s = &body[..n];
                return (ascii || std::str::from_utf8(s).is_ok()).then(|| (s, &body[n + 1..]));
            }
            b'\\' | ..0x20 => return None,
            _ => ascii &= b.is_ascii(),
        }
    }
    let n = memchr::memchr2(b'"', b'\\', body)?;
    let s = &body[..n];
    let text = body[n] == b'"' && s.iter().all(|&b| b >= 0x20) && (s.is_ascii() || std::str::from_utf8(s).is_ok());
    text.then(|| (s, &body[n + 1..]))
}

/// The value at the start of `text`, as the `T` serde reads it from its bytes alone, and the text
/// after it: its end is found by its brackets and quotes (strings with their escapes passed over,
/// at most 8 deep), serde then checks and reads those bytes. `None` when the value is written
/// otherwise, or serde refuses it (the caller reads the whole document through serde, which
/// places the error).
pub(crate) fn written_value<'a, T: Deserialize<'a>>(text: &'a [u8]) -> Option<(T, &'a [u8])> {
    let end = match *text.first()? {
        b'"' => string_len(text)?,
        b'[' | b'{' => {
            let mut depth = 0u32;
            let mut i = 0;
            loop {
                match *text.get(i)? {
                    b'"' => i += string_len(&text[i..])? - 1,
                    b'[' | b'{' if depth == 8 => return None,
                    b'[' | b'{' => depth += 1,
                    b']' | b'}' => depth -= 1,
                    _ => {}
                }
                i += 1;
                if depth == 0 {
                    break i;
                }
            }
        }
        _ => text.iter().position(|b| matches!(b, b',' | b']' | b'}') || json_space(b))?,
    };
    let value = serde_json::from_slice(&text[..end]).ok()?;
    Some((value, &text[end..]))
}

/// How many bytes the string at the start of `text` takes, its quotes included: each backslash
/// passes over the byte after it, unread (serde reads the escapes of the value the string ends
/// up in, and refuses any it does not know). `None` when the string does not end.
fn string_len(text: &[u8]) -> Option<usize> {
    let body = text.strip_prefix(b"\"")?;
    let mut i = 0;
    loop {
        let n = memchr::memchr2(b'"', b'\\', body.get(i..)?)?;
        if body[i + n] == b'"' {
            return Some(i + n + 2);
        }
        i += n + 2;
    }
}

/// A string as the document holds it: borrowed when it has no escapes, owned when it has
/// (serde's own `Cow<str>` is always owned, even under `#[serde(borrow)]` inside an `Option`).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Text<'a>(pub std::borrow::Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(v.into()))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text<'de>, E> {
                Ok(Text(v.to_owned().into()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text<'de>, E> {
                Ok(Text(v.into()))
            }
        }
        d.deserialize_str(V)
    }
}

impl std::ops::Deref for Text<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T, ParseError> {
        read_doc(&Source::bytes("t.json", text.as_bytes()))
    }

    /// Members too small for chunks are passed over to the next large one (a log of many small
    /// runs is read as a few documents, not one per run); the last member ends the search.
    #[test]
    fn a_whole_number_as_written_is_what_serde_reads() {
        let texts =
            ["0", "7", "00", "07", "10", "123456789", "1234567890", "999999999999999999", "1000000000000000000"];
        for text in texts.iter().flat_map(|n| ["", ",", "]", ".5", "e3"].map(|after| format!("{n}{after}"))) {
            let digits_in = text.bytes().take_while(u8::is_ascii_digit).count();
            let number = &text[..digits_in];
            for digits in [1, 2, 9, 10, 18, 19] {
                // What serde reads of the digits, when they are few enough.
                let serde = serde_json::from_str::<u64>(number).ok().filter(|_| digits_in <= digits.min(18));
                let written = written_whole(text.as_bytes(), digits);
                assert_eq!(written.map(|(v, _)| v), serde, "{text:?}, {digits} digits");
                if let Some((_, rest)) = written {
                    assert_eq!(rest, &text.as_bytes()[digits_in..]);
                }
            }
        }
        assert!(written_whole(b"", 9).is_none() && written_whole(b"-1", 9).is_none());
    }

    /// A value's end is found past the escapes of its strings, and serde reads the value from
    /// those bytes: what it refuses (an unknown escape, a control character, a string that does
    /// not end) is refused.
    #[test]
    fn a_value_ends_past_its_escaped_quotes() {
        let cases: [(&str, Option<&str>); 12] = [
            (r#""a\"b",x"#, Some(r#""a\"b""#)),
            (r#""a\\",x"#, Some(r#""a\\""#)),
            (r#""a\\\"b",x"#, Some(r#""a\\\"b""#)),
            (r#"{"k":"x\"}y"},1"#, Some(r#"{"k":"x\"}y"}"#)),
            (r#"["\u00e9","\\"],1"#, Some(r#"["\u00e9","\\"]"#)),
            (r#"{"sourcesContent":["a\nb\t\"c\""]}}"#, Some(r#"{"sourcesContent":["a\nb\t\"c\""]}"#)),
            (r#""C:\\app\\a.js","#, Some(r#""C:\\app\\a.js""#)),
            (r#""\q",x"#, None),
            (r#""\u12",x"#, None),
            ("\"a\nb\",x", None),
            (r#""abc"#, None),
            (r#""a\"#, None),
        ];
        for (text, value) in cases {
            let written = written_value::<serde_json::Value>(text.as_bytes());
            let expected = value.map(|v| (serde_json::from_str::<serde_json::Value>(v).unwrap(), &text[v.len()..]));
            assert_eq!(written.map(|(v, after)| (v, std::str::from_utf8(after).unwrap())), expected, "{text}");
        }
    }

    /// A string is taken as written exactly when serde_json reads it as those very bytes (a
    /// borrowed `&str`): no escape, no control character, valid UTF-8; short and long alike.
    #[test]
    fn a_string_as_written_is_what_serde_borrows() {
        let pieces: [&[u8]; 9] = [b"", b"a", "é".as_bytes(), b"\xff", b"\\n", b"\x01", b"\t", b"\x7f", b"\xe2\x82"];
        for pad in [0, 1, 20, 22, 23, 24, 25, 40] {
            for (i, piece) in pieces.iter().enumerate() {
                for at_end in [false, true] {
                    let x = vec![b'x'; pad];
                    let body = if at_end { [&x[..], piece].concat() } else { [piece, &x[..]].concat() };
                    let quoted = [&b"\""[..], &body, b"\""].concat();
                    let text = [&quoted[..], b",1]"].concat();
                    let serde = serde_json::from_slice::<&str>(&quoted).ok();
                    let written = written_str(&text);
                    assert_eq!(written.map(|(s, _)| s), serde.map(str::as_bytes), "piece {i}, pad {pad}, {at_end}");
                    if let Some((_, after)) = written {
                        assert_eq!(after, b",1]");
                    }
                    assert_eq!(written_str(&quoted[..quoted.len() - 1]), None, "unterminated");
                }
            }
        }
    }

    #[test]
    fn small_members_are_passed_over() {
        let big = vec!["1"; 600].join(",");
        let doc =
            format!(r#"{{"runs":[{}{{"results":[{big}]}},{{"results":[2]}}]}}"#, r#"{"results":[1]},"#.repeat(50));
        let source = Source::bytes("t.json", doc.as_bytes());
        let large = doc.find(&format!("[{big}")).unwrap() as u64;
        let last = doc.rfind("[2]").unwrap() as u64;
        assert_eq!(next_large_member(&source, 0, "results", b'[', 1000), Some((large, Some(last))));
        assert_eq!(next_large_member(&source, large + 1, "results", b'[', 1000), Some((last, None)));
        assert_eq!(next_large_member(&source, last + 1, "results", b'[', 1000), None);
        assert_eq!(find_member(&source, 0, "results", b'['), Some(doc.find("[1]").unwrap() as u64));
    }

    /// A cut stands after a comma and JSON's own whitespace only: a form feed, which serde_json
    /// refuses, is never trimmed away where a chunk ends or skipped where a cut is looked for (the
    /// byte would be in no chunk, and a document one walk refuses read whole).
    #[test]
    fn cuts_and_chunks_know_json_whitespace_only() {
        assert!(follows_comma(b"1, \r\n\t{", 6));
        assert!(!follows_comma(b"1,\x0c{", 3));
        assert!(!follows_comma(b"1 {", 2));
        let source = Source::bytes("t.json", &b"[1, 2 ,\r\n 3,\x0c 4]"[..]);
        let mut buffer = b"left from before, longer than a chunk".to_vec();
        assert_eq!(chunk_of(&source, 1, 10, (b'[', b']'), &mut buffer), Some(&b"[1, 2 ]"[..]));
        assert_eq!(chunk_of(&source, 1, 14, (b'[', b']'), &mut buffer), None);
        assert_eq!(chunk_of(&source, 1, 3, (b'[', b']'), &mut buffer), Some(&b"[1]"[..]));
        assert_eq!(chunk_of(&source, 3, 3, (b'[', b']'), &mut buffer), None);
        let spaced = Source::bytes("t.json", &b"\x0c{\"a\": 1}"[..]);
        assert_eq!(object_body(&spaced), None);
        assert_eq!(object_body(&Source::bytes("t.json", &b"\xEF\xBB\xBF \n{}"[..])), Some(6));
    }

    #[test]
    fn a_wrong_type_is_named_by_its_path() {
        #[derive(Deserialize, Debug)]
        #[allow(dead_code)]
        struct Doc {
            results: Vec<Inner>,
        }
        #[derive(Deserialize, Debug)]
        #[allow(dead_code)]
        struct Inner {
            list: Vec<u32>,
        }
        let e = read_str::<Doc>("{\"results\": [{\"list\": [1]}, {\"list\": \"x\"}]}").unwrap_err();
        assert_eq!(e.to_string(), "1:40: `results[1].list`: invalid type: string \"x\", expected a sequence");
    }

    #[test]
    fn numbers_follow_the_policy() {
        assert_eq!(read_str::<Count>("7").unwrap(), Count(7));
        assert_eq!(read_str::<Count>("3.0").unwrap(), Count(3));
        assert_eq!(read_str::<Count>("1e3").unwrap(), Count(1000));
        assert_eq!(read_str::<Count>("18446744073709551615").unwrap(), Count(u64::MAX));
        assert_eq!(read_str::<Count>("-0").unwrap(), Count(0));
        let e = read_str::<Count>("\n -3").unwrap_err();
        assert_eq!((e.line, e.message.as_str()), (Some(2), "negative hit count -3"));
        // Never truncated, never clamped: each is an error at its place.
        for (text, message) in [
            ("0.5", "hit count 0.5 is not a whole number"),
            ("1.5", "hit count 1.5 is not a whole number"),
            ("2.9", "hit count 2.9 is not a whole number"),
            ("1e-1", "hit count 0.1 is not a whole number"),
            ("-1", "negative hit count -1"),
            ("-0.5", "negative hit count -0.5"),
            ("1e300", "hit count 1e300 is past the largest a counter holds (2^64 - 1)"),
            ("18446744073709551616", "hit count 1.8446744073709552e19 is past the largest a counter holds (2^64 - 1)"),
            ("99999999999999999999999", "hit count 1e23 is past the largest a counter holds (2^64 - 1)"),
        ] {
            let e = read_str::<Count>(&format!("\n  {text}")).unwrap_err();
            assert_eq!((e.line, e.message.as_str()), (Some(2), message), "{text}");
        }
        let e = read_str::<Count>("1e400").unwrap_err();
        assert!(e.message.contains("out of range"), "{}", e.message);
        assert_eq!(read_str::<Line>("3.0").unwrap(), Line(3));
        let e = read_str::<Line>("3.5").unwrap_err();
        assert_eq!(e.message, "line number 3.5 is not an integer");
        let e = read_str::<Line>("5000000000").unwrap_err();
        assert_eq!(e.message, "line number 5000000000 is out of range");
        assert!(read_str::<Line>("-1").is_err());
    }

    #[test]
    fn errors_are_plain_and_placed() {
        let e = read_str::<Vec<u32>>("").unwrap_err();
        assert_eq!(e.message, "the file is empty: no report to read");
        let e = read_str::<Vec<u32>>("[1,\n2").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("truncated"), "{}", e.message);
        // Typed values recurse and stop at serde_json's limit; ignored values never recurse.
        let deep = "[".repeat(10_000);
        let e = read_str::<serde_json::Value>(&deep).unwrap_err();
        assert_eq!((e.line, e.column), (Some(1), Some(128)));
        assert!(e.message.contains("nested more than 128"), "{}", e.message);
        let balanced = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(read_str::<IgnoredAny>(&balanced).is_ok());
        let e = read_str::<Vec<u32>>("[1] x").unwrap_err();
        assert!(e.message.starts_with("invalid JSON: trailing"), "{}", e.message);
        let bom = read(&Source::bytes("b", &b"\xEF\xBB\xBF[1]"[..]), PhantomData::<Vec<u32>>);
        assert_eq!(bom.unwrap(), vec![1]);
        let e = read(&Source::bytes("u", &b"[\"a\xFF\"]"[..]), PhantomData::<Vec<String>>).unwrap_err();
        assert!(e.message.contains("not valid UTF-8"), "{}", e.message);
    }
}
