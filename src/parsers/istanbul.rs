//! Istanbul's `coverage-final.json` (the `json` reporter of nyc, c8, jest, vitest) and
//! `coverage-summary.json` (the `json-summary` reporter).
//!
//! `coverage-final.json` has statements, functions and branches, not lines. Lines are derived
//! the way Istanbul derives them, so that temis prints the figure of Istanbul's own "Lines" row:
//! a line is the start line of a statement, its hit count the largest count of the statements
//! starting on it. Branches are the elements of the `b` arrays (an `if` without `else` has
//! two), functions the entries of `f`. Istanbul's statement figure goes to `meta.extra` as
//! `statements: {total, covered}`. Files marked `all: true` (placeholders for files no test
//! loaded) count like any other: all zeros.
//!
//! `coverage-summary.json` has only totals: see [`summary`].
//!
//! Each file goes to the sink as soon as it is read; memory holds one file at a time.

use std::collections::HashSet;
use std::marker::PhantomData;

use rustc_hash::FxHashMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};

use crate::input::Source;
use crate::model::{Branch, Counts, CoverageBuilder, FileDetail, Function, Sink, Staged};
use crate::parsers::Meta;
use crate::parsers::ParseError;
use crate::parsers::json::{self, ChunkError, Count, Entries, Line};

mod summary;

pub use summary::parse_summary;

/// Reads a `coverage-final.json` into `sink`: a large map (32 MiB or more, laid out as nyc, jest,
/// c8 and vitest write it, or compact) a chunk of files at a time from memory
/// ([`json::read_object_in_chunks`], cut where a `"<key>": {"path":"` entry begins), any other
/// in one stream.
pub fn parse_final(input: &Source, sink: &mut dyn Sink) -> Result<Meta, ParseError> {
    let mut state = FinalState::new(sink);
    match json::read_object_in_chunks(input, json::Records::Document, entry_start, &mut state) {
        Ok(()) => {}
        Err(ChunkError::NotChunked) => {
            json::read(input, json::Whole(&mut state)).map_err(|e| json::within(e, state.current.as_deref()))?
        }
        Err(ChunkError::Invalid) => {
            // The document is not valid: read it again in one go, into nothing, for the error
            // in its own lines and columns.
            let mut nothing = CoverageBuilder::new();
            let mut again = FinalState::new(&mut nothing);
            json::read(input, json::Whole(&mut again)).map_err(|e| json::within(e, again.current.as_deref()))?;
            return Err(ParseError::whole(
                "internal error: the map was refused in chunks but read whole; please report this with the file",
            ));
        }
    }
    state.once.check("the coverage map")?;
    let mut meta = Meta::default();
    meta.extra.insert("statements".into(), serde_json::json!(state.statements));
    if state.placeholders > 0 {
        meta.notes.push(format!(
            "{} file(s) are `all: true` placeholders (files no test loaded); they count as uncovered",
            state.placeholders
        ));
    }
    if state.unmapped > 0 {
        meta.notes.push(format!(
            "{} statement(s) have a count in `s` but no location in `statementMap`; they count as \
             statements but not as lines, as in Istanbul",
            state.unmapped
        ));
    }
    if state.line_zero > 0 {
        meta.notes.push(format!(
            "{} statement(s) start on line 0; they count as statements but not as lines",
            state.line_zero
        ));
    }
    Ok(meta)
}

struct FinalState<'s> {
    sink: &'s mut dyn Sink,
    detail: FileDetail,
    current: Option<String>,
    statements: Counts,
    placeholders: u64,
    unmapped: u64,
    line_zero: u64,
    /// When a chunk is read on a thread of its own: its files, kept for the sink.
    staged: Option<Staged>,
    /// The paths given to the sink, each once.
    once: json::OnceNamed,
}

impl<'s> FinalState<'s> {
    fn new(sink: &'s mut dyn Sink) -> Self {
        Self {
            sink,
            detail: FileDetail::default(),
            current: None,
            statements: Counts::default(),
            placeholders: 0,
            unmapped: 0,
            line_zero: 0,
            staged: None,
            once: json::OnceNamed::default(),
        }
    }

    /// The state of a chunk read on a thread of its own, its files staged for `sink`.
    fn part(sink: &'s mut dyn Sink, summarized: bool) -> Self {
        FinalState { staged: Some(Staged::new(summarized)), ..FinalState::new(sink) }
    }

    fn counters(&self) -> [u64; 5] {
        [self.statements.total, self.statements.covered, self.placeholders, self.unmapped, self.line_zero]
    }
}

impl json::ObjectReader for FinalState<'_> {
    /// A chunk's files, and its counters.
    type Part = (Staged, [u64; 5]);

    fn read<'de, D: de::Deserializer<'de>>(&mut self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(FinalTop::<StatementSpan>(self, PhantomData))
    }

    fn read_part(chunk: &[u8], summarized: bool) -> Option<Self::Part> {
        let mut unused = CoverageBuilder::new();
        let mut state = FinalState::part(&mut unused, summarized);
        // Each entry is read from its bytes when written as the writers of the map write it
        // ([`written_file`]); when any is not, the chunk is read again through serde, with the
        // statements' locations read as written ([`WrittenSpan`]).
        let written = json::written_members(chunk, |key, value| {
            let (file, after) = written_file(value)?;
            state.add(std::str::from_utf8(key).ok()?.to_owned(), file).ok()?;
            Some(after)
        });
        if written != Some(b"") {
            state = FinalState::part(&mut unused, summarized);
            json::read_chunk(chunk, |de| {
                de::Deserializer::deserialize_map(de, FinalTop::<WrittenSpan>(&mut state, PhantomData))
            })?;
        }
        Some((state.staged.take()?, state.counters()))
    }

    fn summarized(&mut self) -> bool {
        self.sink.as_builder().is_some()
    }

    fn absorb(&mut self, (staged, counters): Self::Part) {
        staged.paths().for_each(|p| self.once.note(p));
        staged.give(self.sink);
        let [total, covered, placeholders, unmapped, line_zero] = counters;
        self.statements.add(Counts::new(total, covered));
        self.placeholders += placeholders;
        self.unmapped += unmapped;
        self.line_zero += line_zero;
    }
}

/// Where an entry of a coverage map begins in `window`: the opening quote of a key right after
/// a comma, whose value starts `{"path":"` (as every writer of the map writes it), right after
/// the colon or after one space (istanbul-reports' `json` reporter, which nyc, c8, jest and
/// vitest use, writes `"<key>": {"path":` with each file on a line of its own).
fn entry_start(window: &[u8]) -> Option<usize> {
    json::entry_start(window, b"{\"path\":\"")
}

/// The map's files, with statements' locations read as `S`.
struct FinalTop<'a, 's, S>(&'a mut FinalState<'s>, PhantomData<S>);

impl<'de, S: Deserialize<'de> + StartLine> Visitor<'de> for FinalTop<'_, '_, S> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an Istanbul coverage map (an object mapping file paths to file coverage)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let state = self.0;
        while let Some(key) = map.next_key::<String>()? {
            state.current = Some(format!("the entry for {key:?}"));
            let file: FileCov<S> = map.next_value()?;
            state.add(key, file).map_err(de::Error::custom)?;
            state.current = None;
        }
        Ok(())
    }
}

/// One file of an Istanbul coverage map, its statements' locations read as `S`.
#[derive(Deserialize)]
struct FileCov<S> {
    path: Option<String>,
    #[serde(rename = "statementMap")]
    statement_map: IdMap<S>,
    #[serde(rename = "fnMap")]
    fn_map: IdMap<FnDef>,
    #[serde(rename = "branchMap")]
    branch_map: IdMap<BranchDef>,
    s: Entries<Count, Id>,
    f: Entries<Count, Id>,
    b: Entries<Vec<Count>, Id>,
    #[serde(default)]
    all: bool,
}

/// A key of Istanbul's maps (`"0"`, `"1"`…): a decimal written without leading zeros is kept as
/// its number (no string to allocate and hash), anything else as written; two keys are the same
/// exactly when their text is.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Id {
    Num(u32),
    Text(String),
}

impl Id {
    /// The key written `v`.
    fn of(v: &str) -> Id {
        Id::canonical(v.as_bytes()).map_or_else(|| Id::Text(v.to_owned()), Id::Num)
    }

    /// The number a key written `v` is kept as: a decimal of 1 to 9 digits without leading zeros.
    fn canonical(v: &[u8]) -> Option<u32> {
        let canonical = (1..=9).contains(&v.len()) && v.iter().all(u8::is_ascii_digit) && (v == b"0" || v[0] != b'0');
        canonical.then(|| v.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
    }

    /// The branch block the key names, as `str::parse` reads it.
    fn number(&self) -> Option<u32> {
        match self {
            Id::Num(n) => Some(*n),
            Id::Text(s) => s.parse().ok(),
        }
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Id::Num(n) => write!(f, "{n}"),
            Id::Text(s) => f.write_str(s),
        }
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct IdVisitor;
        impl Visitor<'_> for IdVisitor {
            type Value = Id;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Id, E> {
                Ok(Id::of(v))
            }
        }
        d.deserialize_str(IdVisitor)
    }
}

/// One of a file's maps by id (`statementMap`, `fnMap`, `branchMap`). Ids written `"0"`, `"1"`…
/// in order, as every writer writes them, are kept in a list by number (no hashing); any other id
/// in a hash map. As in a map, an id given again replaces what it had: an id is listed only
/// once all before it are, so the list holds its latest entry whenever it holds it at all.
struct IdMap<T> {
    listed: Vec<T>,
    other: FxHashMap<Id, T>,
}

impl<T> IdMap<T> {
    fn insert(&mut self, id: Id, value: T) {
        match id {
            Id::Num(n) if (n as usize) < self.listed.len() => self.listed[n as usize] = value,
            Id::Num(n) if n as usize == self.listed.len() => self.listed.push(value),
            id => {
                self.other.insert(id, value);
            }
        }
    }

    fn get(&self, id: &Id) -> Option<&T> {
        match id {
            Id::Num(n) if (*n as usize) < self.listed.len() => Some(&self.listed[*n as usize]),
            id => self.other.get(id),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for IdMap<T> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct MapVisitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for MapVisitor<T> {
            type Value = IdMap<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<IdMap<T>, A::Error> {
                let mut ids = IdMap { listed: Vec::new(), other: FxHashMap::default() };
                while let Some((id, value)) = map.next_entry()? {
                    ids.insert(id, value);
                }
                Ok(ids)
            }
        }
        d.deserialize_map(MapVisitor(std::marker::PhantomData))
    }
}

/// A location; Istanbul writes `{"start": {}, "end": {}}` for an implicit `else`.
#[derive(Deserialize)]
struct Span {
    start: Option<Pos>,
}

#[derive(Deserialize)]
struct Pos {
    line: Option<Line>,
}

impl Span {
    fn line(&self) -> Option<u32> {
        self.start.as_ref()?.line.map(|l| l.0)
    }
}

/// A statement's location: its `start` and the start's `line` are required, as Istanbul reads
/// them (nyc's report stops on a statement without `start`: "Cannot destructure property
/// 'line'"); without them the statement was counted and its line was not, and an uncovered one
/// vanished. (A branch's locations may be empty: `{"start": {}}` is an implicit `else`.)
#[derive(Deserialize)]
struct StatementSpan {
    start: StatementPos,
}

#[derive(Deserialize)]
struct StatementPos {
    line: Line,
}

/// A statement's location, for its start line.
trait StartLine {
    fn start_line(&self) -> Option<u32>;
}

impl StartLine for StatementSpan {
    fn start_line(&self) -> Option<u32> {
        Some(self.start.line.0)
    }
}

/// A statement's location read from memory as written: the one every writer writes,
/// `{"start":{"line":L,"column":C},"end":{"line":L,"column":C}}` with nothing else (whole
/// numbers of up to 9 digits), is read from its bytes; any other is read as a [`StatementSpan`], so both
/// accept and refuse the same locations. serde_json checks the text as it skips it.
struct WrittenSpan(Option<u32>);

impl<'de> Deserialize<'de> for WrittenSpan {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        json::written(
            d,
            |raw| written_start_line(raw.as_bytes()).map(Some),
            |span: StatementSpan| Some(span.start.line.0),
        )
        .map(WrittenSpan)
    }
}

impl StartLine for WrittenSpan {
    fn start_line(&self) -> Option<u32> {
        self.0
    }
}

/// The start line of a location written `{"start":{"line":L,"column":C},"end":{"line":L,"column":C}}`
/// exactly, each number 1 to 9 digits; `None` for anything else.
fn written_start_line(raw: &[u8]) -> Option<u32> {
    written_start_line_at(raw).filter(|(_, after)| after.is_empty()).map(|(line, _)| line)
}

/// [`written_start_line`] of the location at the start of `text`, and the text after it.
fn written_start_line_at(text: &[u8]) -> Option<(u32, &[u8])> {
    let mut rest = text;
    let mut start = 0;
    for (i, mark) in
        [&br#"{"start":{"line":"#[..], br#","column":"#, br#"},"end":{"line":"#, br#","column":"#].iter().enumerate()
    {
        let (value, after) = json::written_whole(rest.strip_prefix(*mark)?, 9)?;
        if i == 0 {
            start = value as u32;
        }
        rest = after;
    }
    Some((start, rest.strip_prefix(b"}}")?))
}

/// A file's entry read from its bytes when written as the writers of the map write it (members
/// in any order, each once; JSON whitespace between tokens skipped, as serde skips it), and the
/// text after it: the statements' locations and the counts of `s` and `f` from their bytes (any
/// other form of one of them by serde from its own bytes); `path`, `fnMap`, `branchMap`, `b` and
/// `all` by serde from their own bytes ([`json::written_value`]), as the types [`FileCov`]
/// holds; an unknown member checked and skipped, as serde skips it. `None` for any other form, or
/// anything serde refuses: the caller reads the chunk through serde, which gives the same files,
/// or the error.
fn written_file(text: &[u8]) -> Option<(FileCov<WrittenSpan>, &[u8])> {
    let (mut path, mut statement_map, mut fn_map, mut branch_map) = (None, None, None, None);
    let (mut s, mut f, mut b, mut all) = (None, None, None, None);
    let after = json::written_members(text, |key, value| match key {
        b"path" => json::written_once(&mut path, json::written_value::<Option<String>>(value)?),
        b"statementMap" => {
            let mut spans = IdMap { listed: Vec::new(), other: FxHashMap::default() };
            let after = written_ids(value, |id, span| {
                let (line, after) = match written_start_line_at(span) {
                    Some((line, after)) => (Some(line), after),
                    None => {
                        json::written_value::<StatementSpan>(span).map(|(span, after)| (span.start_line(), after))?
                    }
                };
                spans.insert(id, WrittenSpan(line));
                Some(after)
            })?;
            json::written_once(&mut statement_map, (spans, after))
        }
        b"fnMap" => json::written_once(&mut fn_map, json::written_value(value)?),
        b"branchMap" => json::written_once(&mut branch_map, json::written_value(value)?),
        b"s" => json::written_once(&mut s, written_counts(value)?),
        b"f" => json::written_once(&mut f, written_counts(value)?),
        b"b" => json::written_once(&mut b, json::written_value(value)?),
        b"all" => json::written_once(&mut all, json::written_value(value)?),
        _ => json::written_value::<de::IgnoredAny>(value).map(|(_, after)| after),
    })?;
    let file = FileCov {
        path: path.flatten(),
        statement_map: statement_map?,
        fn_map: fn_map?,
        branch_map: branch_map?,
        s: s?,
        f: f?,
        b: b?,
        all: all.unwrap_or(false),
    };
    Some((file, after))
}

/// The members of the map of ids at the start of `text` ([`json::written_members`]), each given
/// to `member` with its id; the text after the map.
fn written_ids<'t>(text: &'t [u8], mut member: impl FnMut(Id, &'t [u8]) -> Option<&'t [u8]>) -> Option<&'t [u8]> {
    json::written_members(text, |key, value| {
        let id = match Id::canonical(key) {
            Some(n) => Id::Num(n),
            None => Id::of(std::str::from_utf8(key).ok()?),
        };
        member(id, value)
    })
}

/// The counts by id of `s` or `f` at the start of `text`: a whole number followed by the end of
/// the value from its bytes, any other by serde from its own; the text after the map.
fn written_counts(text: &[u8]) -> Option<(Entries<Count, Id>, &[u8])> {
    let mut counts = Vec::new();
    let after = written_ids(text, |id, value| {
        let (count, after) = match json::written_whole(value, 18) {
            Some((n, after)) if matches!(after.first(), Some(b',' | b'}')) => (Count(n), after),
            _ => json::written_value::<Count>(value)?,
        };
        counts.push((id, count));
        Some(after)
    })?;
    Some((Entries(counts), after))
}

#[derive(Deserialize)]
struct FnDef {
    name: Option<String>,
    decl: Option<Span>,
    loc: Option<Span>,
    line: Option<Line>,
}

#[derive(Deserialize)]
struct BranchDef {
    loc: Option<Span>,
    line: Option<Line>,
    #[serde(default)]
    locations: Vec<Span>,
}

/// A branch of a file entry that cannot be placed.
#[derive(Debug, thiserror::Error)]
enum BadBranch {
    #[error("\"b\" has counts for branch {0:?}, which \"branchMap\" does not describe")]
    Undescribed(String),
    #[error("branch {0:?} of \"branchMap\" has no line")]
    NoLine(String),
}

impl FinalState<'_> {
    fn add<S: StartLine>(&mut self, key: String, file: FileCov<S>) -> Result<(), BadBranch> {
        let d = &mut self.detail;
        d.clear();
        d.path = file.path.filter(|p| !p.is_empty()).unwrap_or(key);
        d.has_branches = true;
        d.has_functions = true;
        if file.all {
            self.placeholders += 1;
        }

        for (id, Count(hits)) in &file.s.0 {
            self.statements.add(Counts::new(1, u64::from(*hits > 0)));
            match file.statement_map.get(id).and_then(S::start_line) {
                Some(0) => self.line_zero += 1,
                Some(line) => d.lines.push((line, *hits)),
                None => self.unmapped += 1,
            }
        }
        // Several statements on one line: the line's count is the largest (Istanbul's
        // getLineCoverage), not their sum, which `normalize` would make of duplicates.
        d.lines.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        d.lines.dedup_by_key(|l| l.0);

        let mut names: HashSet<String> = HashSet::with_capacity(file.f.0.len());
        for (id, Count(hits)) in &file.f.0 {
            let def = file.fn_map.get(id);
            let line = def.and_then(|f| {
                let decl = f.decl.as_ref().and_then(Span::line);
                let loc = f.loc.as_ref().and_then(Span::line);
                decl.or(f.line.map(|l| l.0)).or(loc)
            });
            let mut name = match def.and_then(|f| f.name.clone()) {
                Some(n) if !n.is_empty() => n,
                _ => format!("(anonymous_{id})"),
            };
            // Functions merge by name downstream; Istanbul counts each fnMap entry.
            if names.contains(&name) {
                name = format!("{name}#{id}");
            }
            names.insert(name.clone());
            d.functions.push(Function { name, line: line.unwrap_or(0), hits: *hits });
        }

        for (index, (id, counts)) in file.b.0.iter().enumerate() {
            let def = file.branch_map.get(id).ok_or_else(|| BadBranch::Undescribed(id.to_string()))?;
            let line = def
                .loc
                .as_ref()
                .and_then(Span::line)
                .or(def.line.map(|l| l.0))
                .or_else(|| def.locations.iter().find_map(Span::line))
                .ok_or_else(|| BadBranch::NoLine(id.to_string()))?;
            let block = match id.number() {
                Some(n) if n < 1_000_000_000 => n,
                _ => 1_000_000_000 + index as u32,
            };
            for (branch, &Count(taken)) in counts.iter().enumerate() {
                d.branches.push(Branch { line, block, branch: branch as u32, taken: Some(taken) });
            }
        }
        match self.staged.as_mut() {
            Some(staged) => staged.push(d),
            None => {
                self.once.note(&d.path);
                self.sink.file(d);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Coverage, CoverageBuilder, DetailSet};

    const FINAL: &[u8] = include_bytes!("../../tests/fixtures/coverage/istanbul/coverage-final.json");

    type Parser = fn(&Source, &mut dyn Sink) -> Result<Meta, ParseError>;

    fn read(parser: Parser, bytes: &[u8]) -> Result<(Coverage, Meta), ParseError> {
        let mut builder = CoverageBuilder::new();
        let meta = parser(&Source::bytes("coverage.json", bytes), &mut builder)?;
        Ok((builder.finish(), meta))
    }

    fn final_err(text: &str) -> ParseError {
        read(parse_final, text.as_bytes()).unwrap_err()
    }

    /// A statement whose location has no start line: nyc's report stops on it ("Cannot
    /// destructure property 'line'"); it was counted as a statement and not as a line, and the
    /// file read 1 of 1 lines covered where 1 of 3 statements ran.
    #[test]
    fn a_statement_without_a_start_line_is_an_error() {
        let doc = |loc: &str| {
            format!(
                r#"{{"index.js":{{"path":"index.js","statementMap":{{"0":{{"start":{{"line":1,"column":0}},"end":{{"line":1,"column":9}}}},"1":{loc},"2":{loc}}},"fnMap":{{}},"branchMap":{{}},"s":{{"0":1,"1":0,"2":0}},"f":{{}},"b":{{}}}}}}"#
            )
        };
        for loc in [r#"{"end":{"line":2,"column":3}}"#, r#"{"start":{},"end":{}}"#, r#"{"start":{"column":0}}"#] {
            let e = final_err(&doc(loc));
            assert!(e.message.contains("missing field"), "{loc}: {e}");
        }
        let (cov, _) = read(parse_final, doc(r#"{"start":{"line":2,"column":0}}"#).as_bytes()).unwrap();
        assert_eq!(cov.lines, Counts::new(2, 1));
    }

    /// A location read as written gives the line a [`StatementSpan`] gives, and refuses what it
    /// refuses; only the shape every writer writes is read from its bytes.
    /// A file named twice was merged, where `JSON.parse` keeps the last: an error, read whole
    /// or in chunks.
    #[test]
    fn a_file_named_twice_is_an_error() {
        use crate::input::Split;
        let entry = |i: usize, name: &str| {
            format!(
                r#""{name}": {{"path":"{name}","statementMap":{{"0":{{"start":{{"line":1,"column":0}},"end":{{"line":1,"column":5}}}}}},"fnMap":{{}},"branchMap":{{}},"s":{{"0":{}}},"f":{{}},"b":{{}}}}"#,
                i % 2
            )
        };
        let files: Vec<String> =
            (0..300).map(|i| entry(i, &if i == 299 { "f3.js".to_string() } else { format!("f{i}.js") })).collect();
        let doc = format!("{{{}}}", files.join(",\n"));
        for threads in [1, 4] {
            let mut builder = CoverageBuilder::new();
            let e = parse_final(
                &Source::bytes("c.json", doc.as_bytes()).with_split(Split { threads, min_len: 0 }),
                &mut builder,
            )
            .unwrap_err();
            assert!(e.message.contains("\"f3.js\" twice"), "{threads} threads: {e}");
        }
    }

    #[test]
    fn written_spans_read_as_spans() {
        let canonical = r#"{"start":{"line":12,"column":4},"end":{"line":13,"column":1}}"#;
        let texts = [
            canonical,
            r#"{"start":{"line":0,"column":0},"end":{"line":0,"column":0}}"#,
            r#"{"start":{"line":999999999,"column":4},"end":{"line":1,"column":1}}"#,
            r#"{"start":{"line":4294967295,"column":4},"end":{"line":1,"column":1}}"#,
            r#"{"start":{"line":4294967296,"column":4},"end":{"line":1,"column":1}}"#,
            r#"{"start":{"line":12.0,"column":4},"end":{"line":13,"column":1}}"#,
            r#"{"start":{"line":12.5,"column":4},"end":{"line":13,"column":1}}"#,
            r#"{"start":{"line":-1,"column":4},"end":{"line":13,"column":1}}"#,
            r#"{"start":{"line":1e1,"column":4},"end":{"line":13,"column":1}}"#,
            r#"{"start":{"line":12,"column":-4},"end":{"line":13,"column":1.5}}"#,
            r#"{"start": {"line": 12, "column": 4}, "end": {"line": 13, "column": 1}}"#,
            r#"{"start":{"line":12,"column":4},"end":{"line":13,"column":1},"extra":1}"#,
            r#"{"start":{"line":12,"column":4},"end":{"line":13,"column":1},"start":{"line":2}}"#,
            r#"{"start":{"line":12,"line":4},"end":{"line":13,"column":1}}"#,
            r#"{"start":{"line":12,"column":4},"end":{"line":13,"column":1,"line":2}}"#,
            r#"{"end":{"line":13,"column":1},"start":{"line":12,"column":4}}"#,
            r#"{"start":{"line":"12","column":4},"end":{"line":13,"column":1}}"#,
            r#"{"start":{},"end":{}}"#,
            r#"{"start":null}"#,
            r#"{}"#,
            r#"[12]"#,
            r#"12"#,
            r#"null"#,
        ];
        for text in texts {
            let written = serde_json::from_str::<WrittenSpan>(text);
            let span = serde_json::from_str::<StatementSpan>(text);
            match (&written, &span) {
                (Ok(w), Ok(s)) => assert_eq!(w.0, s.start_line(), "{text}"),
                (Err(_), Err(_)) => {}
                _ => panic!("{text}: written {:?}, span {:?}", written.map(|w| w.0), span.map(|s| s.start_line())),
            }
        }
        assert_eq!(written_start_line(canonical.as_bytes()), Some(12));
        assert_eq!(written_start_line(texts[2].as_bytes()), Some(999_999_999));
        for text in &texts[3..] {
            assert_eq!(written_start_line(text.as_bytes()), None, "{text}");
        }
    }

    /// A file's entry taken from its bytes ([`written_file`]) reads as serde reads it, or is left
    /// to serde: the writers' own form is taken, and every look-alike serde reads otherwise or
    /// refuses (a member twice, an escaped key, a trailing comma, other numbers, `null`s, wrong
    /// types, members it does not know, locations in other shapes) is either read alike or left.
    #[test]
    fn an_entry_read_from_its_bytes_reads_as_serde_reads_it() {
        let outcome = |file: FileCov<WrittenSpan>| {
            let mut set = DetailSet::new();
            let (added, counters) = {
                let mut state = FinalState::new(&mut set);
                (state.add("k.js".into(), file).map_err(|e| e.to_string()), state.counters())
            };
            format!("{added:?} {counters:?} {:?}", set.files)
        };
        let taken = |text: &str| {
            let serde = serde_json::from_str::<FileCov<WrittenSpan>>(text);
            match (written_file(text.as_bytes()), serde) {
                (Some((file, after)), Ok(read)) => {
                    assert!(after.is_empty(), "{text}");
                    assert_eq!(outcome(file), outcome(read), "{text}");
                    true
                }
                (Some(_), Err(e)) => panic!("taken from its bytes, refused by serde ({e}): {text}"),
                (None, _) => false,
            }
        };
        let nyc = r#"{"path":"/app/src/a.js","statementMap":{"0":{"start":{"line":1,"column":0},"end":{"line":1,"column":9}},"1":{"start":{"line":3,"column":2},"end":{"line":3,"column":20}},"2":{"start":{"line":3,"column":22},"end":{"line":3,"column":30}}},"fnMap":{"0":{"name":"f","decl":{"start":{"line":2,"column":9},"end":{"line":2,"column":10}},"loc":{"start":{"line":2,"column":13},"end":{"line":4,"column":1}},"line":2}},"branchMap":{"0":{"loc":{"start":{"line":3,"column":2},"end":{"line":3,"column":30}},"type":"if","locations":[{"start":{"line":3,"column":2},"end":{"line":3,"column":30}},{"start":{},"end":{}}],"line":3}},"s":{"0":1,"1":4,"2":0},"f":{"0":4},"b":{"0":[4,0]},"_coverageSchema":"1a1c01bbd47fc00a2c39e90264f33305004495a9","hash":"6b1f5a3c"}"#;
        assert!(taken(nyc), "the writers' own form is taken");
        let with = |from: &str, to: &str| nyc.replacen(from, to, 1);
        let statement_1 = |to: &str| with(r#""1":{"start":{"line":3,"column":2},"end":{"line":3,"column":20}}"#, to);
        for (text, is_taken) in [
            (r#"{"statementMap":{},"fnMap":{},"branchMap":{},"s":{},"f":{},"b":{}}"#.to_string(), true),
            (r#"{"statementMap":{},"fnMap":{},"branchMap":{},"s":{},"f":{}}"#.to_string(), false),
            (with(r#""path":"/app/src/a.js","#, ""), true),
            (with(r#""/app/src/a.js""#, "null"), true),
            (with(r#""/app/src/a.js""#, "7"), false),
            (with(r#""/app/src/a.js""#, r#""C:\\app\\a.js""#), true),
            (with(r#""hash""#, r#""all":true,"hash""#), true),
            (with(r#""hash""#, r#""all":"yes","hash""#), false),
            (with(r#""hash""#, r#""all":null,"hash""#), false),
            (with(r#""hash""#, r#""inputSourceMap":{"version":3,"sources":["a.ts"],"names":[]},"hash""#), true),
            (with(r#""hash""#, r#""x":[[[[[[[[[1]]]]]]]]],"hash""#), false),
            (with(r#""hash""#, r#""inputSourceMap":{"version":3,"sourcesContent":["let a = \"x\";\n"]},"hash""#), true),
            (with(r#""hash""#, r#""inputSourceMap":{"sourcesContent":["\q"]},"hash""#), false),
            (with(r#""s":{"0":1,"#, r#""s":{"0":1.5,"#), false),
            (with(r#""s":{"0":1,"#, r#""s":{"0":1e300,"#), false),
            (with(r#""s":{"0":1,"#, r#""s":{"0":1.0,"#), true),
            (with(r#""s":{"0":1,"#, r#""s":{"0":1e1,"#), true),
            (with(r#""s":{"0":1,"#, r#""s":{"0":-1,"#), false),
            (with(r#""s":{"0":1,"#, r#""s":{"0":01,"#), false),
            (with(r#""s":{"0":1,"#, r#""s":{"0":"1","#), false),
            (with(r#""s":{"0":1,"#, r#""s":{"0":123456789012345678901,"#), false),
            (with(r#""s":{"0":1,"#, r#""s":{"0":1234567890123456789,"#), true),
            (with(r#""f":{"0":4}"#, r#""f":{"0":0.5}"#), false),
            (with(r#""b":{"0":[4,0]}"#, r#""b":{"0":[4,0.5]}"#), false),
            (with(r#""s":{"0":1,"#, r#""s":{"00":1,"a":2,"0":1,"#), true),
            (with(r#""s":{"0":1,"#, r#""s":{"\u0030":1,"#), false),
            (with(r#""s":{"0":1,"#, r#""s":{"0": 1,"#), true),
            (with(r#""f":{"0":4}"#, r#""f":{"0":4},"f":{"0":4}"#), false),
            (with(r#""b":{"0":[4,0]}"#, r#""b":{"0":[4,0],"7":[1]}"#), true),
            (with(r#""b":{"0":[4,0]}"#, r#""b":{"0":[4,-1]}"#), false),
            (statement_1(r#""1":{"start":{"line":3}}"#), true),
            (statement_1(r#""1":{"start": {"line": 3}}"#), true),
            // A statement with no start line: refused by both (nyc's report stops on it).
            (statement_1(r#""1":{"start":{},"end":{}}"#), false),
            (statement_1(r#""1":{"end":{"line":3}}"#), false),
            (statement_1(r#""1":{"start":{"line":3.5}}"#), false),
            (statement_1(r#""1":null"#), false),
            (with(r#""1":{"start":{"line":3,"column":2}"#, r#""1":{"start":{"line":0,"column":2}"#), true),
            (with(r#""2":{"start":{"line":3,"column":22}"#, r#""0":{"start":{"line":9,"column":22}"#), true),
            (with(r#""fnMap":{"0":{"name":"f","#, r#""fnMap":{"0":{"name":null,"#), true),
            (with(r#""fnMap":{"0":{"name":"f","#, r#""fnMap":{"0":{"name":"a\"b","#), true),
            (with(r#""type":"if","#, r#""type":"if","type":"if","#), true),
            (with(r#""line":3}}"#, r#""line":"3"}}"#), false),
            (with(r#","fnMap""#, r#", "fnMap""#), true),
            (with(r#","fnMap""#, ",\n\t\r \"fnMap\""), true),
            (with(r#","fnMap""#, ",\u{c}\"fnMap\""), false),
            (with(r#""fnMap":"#, r#""fnMap" :"#), true),
            (with(r#""s":{"0":1,"1":4,"2":0}"#, r#""s":{"0":1,"1":4,"2":0,}"#), false),
            (with(r#""s":{"0":1,"1":4,"2":0}"#, r#""s":{,}"#), false),
            (with(r#""statementMap":{"#, r#""statementMap":{"#).replacen(r#""s":"#, r#""\u0073":"#, 1), false),
        ] {
            assert_eq!(taken(&text), is_taken, "{text}");
        }
        // A compact map's entries are all taken from their bytes.
        let map = compact_map(3);
        let read = json::written_members(map.as_bytes(), |_, value| written_file(value).map(|(_, after)| after));
        assert_eq!(read, Some(&b""[..]));
    }

    #[test]
    fn final_counts_lines_branches_functions_like_istanbul() {
        let (cov, meta) = read(parse_final, FINAL).unwrap();
        assert_eq!(cov.files.len(), 2);
        assert_eq!(cov.lines, Counts::new(9, 5));
        assert_eq!(cov.branches, Some(Counts::new(8, 1)));
        assert_eq!(cov.functions, Some(Counts::new(4, 1)));
        assert_eq!(meta.extra["statements"], serde_json::json!({"total": 11, "covered": 6}));
        assert_eq!(meta.notes.len(), 1, "{:?}", meta.notes);
        assert!(meta.notes[0].contains("all: true"));
        let unused = &cov.files[1];
        assert_eq!(unused.path, "/home/dev/app/src/unused.js");
        assert_eq!(unused.branches, Some(Counts::new(2, 0)), "implicit else counts");
    }

    #[test]
    fn a_line_takes_the_largest_count_of_its_statements() {
        let mut set = DetailSet::new();
        parse_final(&Source::bytes("c.json", FINAL), &mut set).unwrap();
        let math = &set.files[0];
        assert_eq!(math.lines, vec![(2, 1), (3, 1), (5, 0), (8, 1), (9, 1), (10, 0), (11, 1)]);
        let on8: Vec<_> = math.branches.iter().filter(|b| b.line == 8).collect();
        assert_eq!(on8.len(), 2);
        assert_eq!((on8[1].block, on8[1].branch, on8[1].taken), (1, 1, Some(0)));
        let abs = math.functions.iter().find(|f| f.name == "abs").unwrap();
        assert_eq!((abs.line, abs.hits), (1, 1));
    }

    /// An id map holds what a hash map of the same entries holds: ids in order, out of order,
    /// given again before and after the list reaches them, and ids that are not numbers.
    #[test]
    fn id_maps_hold_what_a_map_holds() {
        let mut next = crate::testing::below(7);
        for round in 0..300 {
            let (mut ids, mut map) = (IdMap { listed: Vec::new(), other: FxHashMap::default() }, FxHashMap::default());
            for value in 0..(round % 40) {
                let id = match next(6) {
                    0 => Id::Text(format!("0{}", next(3))),
                    1 => Id::Num(next(60) as u32),
                    _ => Id::Num(ids.listed.len().saturating_sub(next(3)) as u32),
                };
                ids.insert(id.clone(), value);
                map.insert(id, value);
            }
            for id in (0..64).map(Id::Num).chain((0..3).map(|i| Id::Text(format!("0{i}")))) {
                assert_eq!(ids.get(&id), map.get(&id), "round {round}, {id}");
            }
        }
    }

    #[test]
    fn keys_are_the_same_only_when_written_the_same() {
        let (cov, _) = read(
            parse_final,
            br#"{"a.js": {"path": "a.js", "fnMap": {}, "f": {},
                "statementMap": {"1": {"start": {"line": 1}}, "01": {"start": {"line": 2}}, "x": {"start": {"line": 3}}},
                "s": {"01": 4, "1": 0, "x": 1},
                "branchMap": {"007": {"line": 2, "locations": []}}, "b": {"007": [1, 0]}}}"#,
        )
        .unwrap();
        assert_eq!(cov.lines, Counts::new(3, 2), "\"01\" is not \"1\"");
        let mut set = DetailSet::new();
        let json = br#"{"a.js": {"statementMap": {}, "fnMap": {}, "s": {}, "f": {},
            "branchMap": {"007": {"line": 2}, "5": {"line": 3}}, "b": {"007": [1], "5": [0]}}}"#;
        parse_final(&Source::bytes("c.json", &json[..]), &mut set).unwrap();
        let blocks: Vec<u32> = set.files[0].branches.iter().map(|b| b.block).collect();
        assert_eq!(blocks, [7, 5], "blocks are the keys' numbers, as they were");
        let e = final_err(
            r#"{"a.js": {"statementMap": {}, "fnMap": {}, "s": {}, "f": {}, "branchMap": {}, "b": {"08": [1]}}}"#,
        );
        assert!(e.message.starts_with("\"b\" has counts for branch \"08\""), "{}", e.message);
    }

    #[test]
    fn same_named_functions_are_kept_apart() {
        let (cov, _) = read(
            parse_final,
            br#"{"a.js": {"path": "a.js", "statementMap": {}, "branchMap": {}, "s": {}, "b": {},
                "fnMap": {"0": {"name": "f", "line": 1}, "1": {"name": "f", "line": 9}},
                "f": {"0": 1, "1": 0}}}"#,
        )
        .unwrap();
        assert_eq!(cov.functions, Some(Counts::new(2, 1)));
    }

    #[test]
    fn empty_map_is_zero_files_and_wrong_shapes_are_errors() {
        let (cov, _) = read(parse_final, b"{}").unwrap();
        assert!(cov.files.is_empty());
        let e = final_err("null");
        assert!(e.message.starts_with("invalid type: null, expected an Istanbul coverage map"));
        let e = final_err("{\"a.js\": {\"path\": \"a.js\",\n \"s\": {}}}");
        assert_eq!(e.line, Some(2));
        assert_eq!(e.message, "missing field `statementMap` (in the entry for \"a.js\")");
        let e = final_err(
            r#"{"a.js": {"statementMap": {}, "fnMap": {}, "branchMap": {}, "s": {}, "f": {},
                "b": {"0": [1, 0]}}}"#,
        );
        assert!(e.message.starts_with("\"b\" has counts for branch \"0\""), "{}", e.message);
    }

    /// [`compact_map`] laid out as istanbul-reports' `json` reporter writes it: `"<key>": ` before
    /// each file, each file on a line of its own, the comma at the start of the next.
    fn reporter_map(n: usize) -> String {
        format!("{{{}\n}}\n", map_entries(n, ": ").join("\n,"))
    }

    /// A compact map of `n` files, statements located as writers write them and in short; file 3
    /// ends with a nested value that looks like the start of an entry (`,"inner":{"path":"`), and
    /// its name holds an escaped quote.
    fn compact_map(n: usize) -> String {
        format!("{{{}}}", map_entries(n, ":").join(","))
    }

    /// The entries of [`compact_map`], each key followed by `colon`.
    fn map_entries(n: usize, colon: &str) -> Vec<String> {
        (0..n)
            .map(|i| {
                let (path, extra) = if i == 3 {
                    (r#"odd,\",\"x.js"#.to_string(), r#","extra":{"a":1,"inner":{"path":"zzz"}}"#)
                } else {
                    (format!("src/f{i}.js"), "")
                };
                format!(
                    r#""{path}"{colon}{{"path":"{path}","statementMap":{{"0":{{"start":{{"line":1,"column":0}},"end":{{"line":1,"column":9}}}},"1":{{"start":{{"line":{}}}}}}},"fnMap":{{}},"branchMap":{{}},"s":{{"0":{},"1":0}},"f":{{}},"b":{{}}{extra}}}"#,
                    i + 2,
                    i % 3
                )
            })
            .collect()
    }

    fn read_split(bytes: &[u8], split: crate::input::Split) -> Result<(Coverage, Meta), ParseError> {
        let mut builder = CoverageBuilder::new();
        let meta = parse_final(&Source::bytes("coverage.json", bytes).with_split(split), &mut builder)?;
        Ok((builder.finish(), meta))
    }

    #[test]
    fn a_large_map_read_in_chunks_is_the_map_read_whole() {
        a_map_read_in_chunks_is_the_map_read_whole(&compact_map(200));
        let reporter = reporter_map(200);
        assert!(reporter.starts_with("{\"src/f0.js\": {\"path\":\"src/f0.js\","), "{}", &reporter[..60]);
        assert!(reporter.contains("}\n,\"src/f1.js\": {\"path\":") && reporter.ends_with("}\n}\n"));
        a_map_read_in_chunks_is_the_map_read_whole(&reporter);
        // Its entries are cut, and taken from their bytes; a cut stands after a comma past JSON's
        // whitespace, never after an escaped quote.
        let cut = entry_start(&reporter.as_bytes()[10..]).map(|at| at + 10);
        assert_eq!(cut, reporter.find("\"src/f1.js\":"));
        assert_eq!(entry_start(b"}\n,\n \"k\": {\"path\":\"k\""), Some(5));
        assert_eq!(entry_start(b"{\"a\":\"x,\\\"k\": {\"path\":\"k\""), None);
        let small = reporter_map(3);
        let read = json::written_members(small.as_bytes(), |_, value| written_file(value).map(|(_, after)| after));
        assert_eq!(read, Some(&b"\n"[..]));
    }

    fn a_map_read_in_chunks_is_the_map_read_whole(map: &str) {
        use crate::input::Split;
        let (whole, whole_meta) = read_split(map.as_bytes(), Split::none()).unwrap();
        assert_eq!(whole.files.len(), 200);
        // One chunk at a time, and a chunk per thread on two to four.
        for threads in 1..=4 {
            let (chunked, chunked_meta) = read_split(map.as_bytes(), Split { threads, min_len: 0 }).unwrap();
            assert_eq!(chunked.files, whole.files, "{threads} threads");
            assert_eq!((chunked.lines, chunked.files.len()), (whole.lines, 200));
            assert_eq!(chunked_meta.extra, whole_meta.extra, "statements counted once");
            assert_eq!(chunked_meta.notes, whole_meta.notes);
        }
        // A sink that keeps the detail (`temis merge`) has the chunks' files as read, not summarized.
        let details = |split: Split| {
            let mut set = crate::model::DetailSet::new();
            parse_final(&Source::bytes("coverage.json", map.as_bytes()).with_split(split), &mut set).unwrap();
            set.files
        };
        assert_eq!(details(Split { threads: 2, min_len: 0 }), details(Split::none()));
        let chunks = Split { threads: 2, min_len: 0 };
        // The cut before `"inner"` is a candidate; the chunk it ends is not whole, so the rest is
        // read as a stream.
        let inner = map.find(r#""inner""#).unwrap();
        assert_eq!(entry_start(&map.as_bytes()[inner - 10..]), Some(10));
        // Errors are the document's, placed as reading it whole places them.
        for bad in [
            map[..map.len() - 40].to_string(),
            map.replace(r#""s":{"0":2,"#, r#""s":{"0":-2,"#),
            map.replacen(r#""path":"src/f150.js","#, r#""path":"src/f150.js","all":"yes","#, 1),
        ] {
            let whole = read_split(bad.as_bytes(), Split::none()).unwrap_err();
            let chunked = read_split(bad.as_bytes(), chunks).unwrap_err();
            assert_eq!(chunked, whole);
        }
    }

    /// A count no producer writes — a fraction, a negative, one past `u64::MAX` — in `s`, `f`
    /// or `b` is one error, placed alike, whichever reader meets it: serde reading the map whole,
    /// and the entries read from their bytes in chunks on 1 and 4 threads (which leave such an
    /// entry to serde), into a builder or into the detail. Neither truncates it (`0.5` read as
    /// not run, `1.5` as run) nor clamps it.
    #[test]
    fn a_count_no_producer_writes_is_one_error_whole_and_in_pieces() {
        use crate::input::Split;
        let details = |bytes: &[u8], split: Split| {
            let mut set = DetailSet::new();
            parse_final(&Source::bytes("coverage.json", bytes).with_split(split), &mut set).map(|_| set.files)
        };
        for map in [compact_map(200), reporter_map(200)] {
            let at = map.find(r#""path":"src/f150.js""#).unwrap();
            let line = map[..at].matches('\n').count() as u64 + 1;
            let (before, entry) = map.split_at(at);
            for hostile in ["0.5", "1.5", "2.0000001", "-1", "-0.5", "1e300", "18446744073709551616", "1e400"] {
                let cases = [
                    ("s", entry.replacen(r#""s":{"0":0,"#, &format!(r#""s":{{"0":{hostile},"#), 1)),
                    ("f", entry.replacen(r#""f":{}"#, &format!(r#""f":{{"0":{hostile}}}"#), 1)),
                    (
                        "b",
                        entry.replacen(r#""branchMap":{}"#, r#""branchMap":{"0":{"line":1}}"#, 1).replacen(
                            r#""b":{}"#,
                            &format!(r#""b":{{"0":[1,{hostile}]}}"#),
                            1,
                        ),
                    ),
                ];
                for (member, entry) in cases {
                    let bad = format!("{before}{entry}");
                    let what = format!("{hostile} in {member:?}");
                    // The entry is not taken from its bytes: the fast reader leaves it to serde.
                    let taken = json::written_members(bad.as_bytes(), |_, v| written_file(v).map(|(_, a)| a));
                    assert_eq!(taken, None, "{what}");
                    let whole = read_split(bad.as_bytes(), Split::none()).unwrap_err();
                    assert_eq!(whole.line, Some(line), "{what}: {whole}");
                    assert!(whole.message.ends_with("(in the entry for \"src/f150.js\")"), "{what}: {whole}");
                    assert!(
                        ["not a whole number", "negative hit count", "past the largest", "out of range"]
                            .iter()
                            .any(|m| whole.message.contains(m)),
                        "{what}: {whole}"
                    );
                    for threads in [1, 4] {
                        let split = Split { threads, min_len: 0 };
                        let chunked = read_split(bad.as_bytes(), split).unwrap_err();
                        assert_eq!(chunked, whole, "{what}, {threads} thread(s)");
                        assert_eq!(details(bad.as_bytes(), split).unwrap_err(), whole, "{what}, {threads} thread(s)");
                    }
                    assert_eq!(details(bad.as_bytes(), Split::none()).unwrap_err(), whole, "{what}");
                }
            }
        }
    }

    #[test]
    fn hostile_inputs_are_clear_errors() {
        let text = std::str::from_utf8(FINAL).unwrap();
        let e = final_err(&text[..text.len() / 2]);
        assert!(e.message.contains("truncated"), "{}", e.message);

        let e = read(parse_final, b"{\"a\xc3(.js\": {}}").unwrap_err();
        assert!(e.message.contains("not valid UTF-8"), "{}", e.message);

        let deep = format!("{{\"a.js\": {{\"s\": {}", "{\"x\":".repeat(10_000));
        let e = final_err(&deep);
        assert_eq!(e.line, Some(1));
        assert!(e.message.starts_with("invalid type: map, expected a hit count"), "{}", e.message);

        let base = r#"{"a.js": {"statementMap": {"0": {"start": {"line": LINE}}}, "fnMap": {},
            "branchMap": {}, "s": {"0": HITS}, "f": {}, "b": {}}}"#;
        let case =
            |line: &str, hits: &str| read(parse_final, base.replace("LINE", line).replace("HITS", hits).as_bytes());
        let e = case("1", "-2").unwrap_err();
        assert!(e.message.starts_with("negative hit count -2 (in the entry for \"a.js\")"));
        assert_eq!(e.line, Some(2));
        let e = case("1", "1e300").unwrap_err();
        assert!(e.message.starts_with("hit count 1e300 is past the largest"), "{}", e.message);
        let e = case("1", "0.5").unwrap_err();
        assert!(e.message.starts_with("hit count 0.5 is not a whole number (in the entry for \"a.js\")"));
        assert_eq!(e.line, Some(2));
        let e = case("2.5", "1").unwrap_err();
        assert!(e.message.starts_with("line number 2.5 is not an integer"));
        let e = case("\"7\"", "1").unwrap_err();
        assert!(e.message.starts_with("invalid type: string \"7\", expected a line number"));
    }
}
