//! coverage.py's `coverage json` report (formats 1 to 3).
//!
//! coverage.py counts statements, not lines: `executed_lines` are statements run (hit 1),
//! `missing_lines` statements never run (hit 0); excluded lines are not counted. With branch
//! coverage, every `[from, to]` arc of `executed_branches` / `missing_branches` is one branch
//! of line `from` (a negative `to` is an exit from the code object), so the totals equal
//! coverage.py's own `covered_branches` / `num_branches`. Format 3's `functions` regions become
//! functions (hit when any of their statements ran; regions whose statements are all excluded
//! are left out, as `coverage lcov` leaves them out). A file's stated `summary` wins where it
//! disagrees with its lists. The combined `percent_covered` figure (statements and branches
//! together, what `coverage report` prints) is kept in `meta.extra` as
//! `coveragepy_percent_covered`.
//!
//! The document is read in one pass; each file goes to the sink as soon as it is read.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{IgnoredAny, MapAccess, Visitor};

use crate::input::Source;
use crate::model::{Branch, Counts, FileDetail, Function, Sink, Staged, SummaryTotals};
use crate::parsers::Meta;
use crate::parsers::ParseError;

use crate::model::CoverageBuilder;
use crate::parsers::json::{self, ChunkError, Len, Line};

/// Reads `input` into `sink`: a large report a chunk of files at a time, one chunk per thread
/// ([`json::read_object_in_chunks`] on the `files` object, cut where a
/// `"<path>":{"executed_lines":` entry begins; each entry written as coverage.py writes it read
/// from its bytes, [`written_file`]), any other in one stream.
pub fn parse(input: &Source, sink: &mut dyn Sink) -> Result<Meta, ParseError> {
    let mut state = State::new(sink);
    match json::read_object_in_chunks(
        input,
        json::Records::Member(&[json::Step::Key("files")], b'{'),
        entry_start,
        &mut state,
    ) {
        Ok(()) => {}
        Err(ChunkError::NotChunked) => {
            // Read in one go, from a fresh start (what came before the files may have been read).
            let sink = state.sink;
            state = State::new(sink);
            json::read(input, json::Object(Top(&mut state))).map_err(|e| json::within(e, state.current.as_deref()))?
        }
        Err(ChunkError::Invalid) => {
            // Not valid: read again in one go, into nothing, for the error in its own place.
            let mut nothing = CoverageBuilder::new();
            let mut again = State::new(&mut nothing);
            json::read(input, json::Object(Top(&mut again))).map_err(|e| json::within(e, again.current.as_deref()))?;
            return Err(ParseError::whole(
                "internal error: the report was refused in chunks but read whole; please report this with the file",
            ));
        }
    }
    if !state.seen_files {
        return Err(ParseError::whole("no \"files\" object: this is not a coverage.py JSON report"));
    }
    state.once.check("\"files\"")?;
    let mut meta = Meta::default();
    if let Some(t) = state.totals.take() {
        if let Some(p) = t.0.percent_covered {
            meta.extra.insert("coveragepy_percent_covered".into(), serde_json::json!(p));
        }
        let stated = t.lines();
        if let Some(p) = t.0.percent_covered_display {
            meta.extra.insert("coveragepy_percent_covered_display".into(), p.into());
        }
        if stated.is_some_and(|c| c != state.sum) {
            meta.notes.push(format!(
                "the report's totals ({} of {} statements) differ from the sum of its files \
                 ({} of {}); temis uses the files",
                stated.unwrap_or_default().covered,
                stated.unwrap_or_default().total,
                state.sum.covered,
                state.sum.total
            ));
        }
    }
    if let Some(v) = state.format.filter(|&v| v > 3) {
        meta.notes.push(format!(
            "coverage.py JSON format {v} is newer than format 3, which temis knows; it was read as format 3"
        ));
    }
    if state.disagreeing > 0 {
        meta.notes.push(format!(
            "{} file(s) state summary totals that differ from their line and branch lists; \
             temis uses the stated totals, coverage.py's own figures",
            state.disagreeing
        ));
    }
    if state.line_zero > 0 {
        meta.notes.push(format!("{} entries with line number 0 were skipped", state.line_zero));
    }
    Ok(meta)
}

struct State<'s> {
    sink: &'s mut dyn Sink,
    detail: FileDetail,
    /// The file being read, to name it in errors.
    current: Option<String>,
    files: u64,
    /// The files' statement counts, to check the report's `totals` against.
    sum: Counts,
    disagreeing: u64,
    line_zero: u64,
    /// A file's arcs, sorted into branches (kept from one file to the next).
    arcs: Vec<(u32, i64, u64)>,
    /// What the top-level object said, over every document it is read as.
    seen_files: bool,
    format: Option<u64>,
    totals: Option<Summary>,
    /// When a chunk is read on a thread of its own: its files, kept for the sink.
    staged: Option<Staged>,
    /// The paths given to the sink, each once.
    once: json::OnceNamed,
    /// Whether the last top-level key read is `files`.
    at_files: bool,
}

impl<'s> State<'s> {
    fn new(sink: &'s mut dyn Sink) -> Self {
        State {
            sink,
            detail: FileDetail::default(),
            current: None,
            files: 0,
            sum: Counts::default(),
            disagreeing: 0,
            line_zero: 0,
            arcs: Vec::new(),
            seen_files: false,
            format: None,
            totals: None,
            staged: None,
            once: json::OnceNamed::default(),
            at_files: false,
        }
    }

    /// The state of a chunk read on a thread of its own, its files staged for `sink`.
    fn part(sink: &'s mut dyn Sink, summarized: bool) -> Self {
        State { staged: Some(Staged::new(summarized)), ..State::new(sink) }
    }
}

impl json::ObjectReader for State<'_> {
    /// A chunk's files, and its counters (files, statements, covered, disagreeing, line zero).
    type Part = (Staged, [u64; 5]);

    fn read<'de, D: serde::Deserializer<'de>>(&mut self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(Top(self))
    }

    fn read_part(chunk: &[u8], summarized: bool) -> Option<Self::Part> {
        let mut unused = CoverageBuilder::new();
        let mut part = State::part(&mut unused, summarized);
        // Each entry is read from its bytes when written as coverage.py writes it
        // ([`written_file`]); when any is not, the chunk is read again through serde, with the
        // line and arc lists read as written ([`Written`]).
        let mut scratch = Scratch::default();
        let written = json::written_members(chunk, |path, value| {
            let (file, after) = written_file(value, &mut scratch)?;
            part.add(std::str::from_utf8(path).ok()?, file);
            Some(after)
        });
        if written != Some(b"") {
            part = State::part(&mut unused, summarized);
            let files = Files::<Written<Line>, Written<Arc>>(&mut part, PhantomData);
            json::read_chunk(chunk, |de| serde::Deserializer::deserialize_map(de, files))?;
        }
        let counters = [part.files, part.sum.total, part.sum.covered, part.disagreeing, part.line_zero];
        Some((part.staged.take()?, counters))
    }

    fn summarized(&mut self) -> bool {
        self.sink.as_builder().is_some()
    }

    fn absorb(&mut self, (staged, counters): Self::Part) {
        staged.paths().for_each(|p| self.once.note(p));
        staged.give(self.sink);
        let [files, total, covered, disagreeing, line_zero] = counters;
        self.files += files;
        self.sum.add(Counts::new(total, covered));
        self.disagreeing += disagreeing;
        self.line_zero += line_zero;
    }

    fn read_the_member(&self) -> bool {
        self.at_files
    }
}

/// Where an entry of the `files` object begins in `window`: the opening quote of a key right
/// after a comma, whose value starts `{"executed_lines":` (as coverage.py writes it, compact or
/// not).
fn entry_start(window: &[u8]) -> Option<usize> {
    json::entry_start(window, b"{\"executed_lines\":")
}

struct Top<'a, 's>(&'a mut State<'s>);

impl<'de> Visitor<'de> for Top<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a coverage.py JSON report (an object with \"meta\", \"files\" and \"totals\")")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let state = self.0;
        while let Some(key) = map.next_key::<String>()? {
            state.at_files = key == "files";
            match key.as_str() {
                "files" => {
                    map.next_value_seed(json::Object(Files::<Vec<Line>, Vec<Arc>>(&mut *state, PhantomData)))?;
                    state.seen_files = true;
                }
                "meta" => state.format = map.next_value::<PyMeta>()?.format,
                "totals" => state.totals = Some(map.next_value()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

#[derive(Deserialize)]
struct PyMeta {
    format: Option<u64>,
}

/// The `files` object: each entry is read, converted and handed to the sink in turn.
/// The files' line lists read as `L`, their arc lists as `B`.
struct Files<'a, 's, L, B>(&'a mut State<'s>, PhantomData<(L, B)>);

impl<'de, L, B> Visitor<'de> for Files<'_, '_, L, B>
where
    L: Deserialize<'de> + AsRef<[Line]>,
    B: Deserialize<'de> + AsRef<[Arc]>,
{
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object mapping file names to their coverage")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let state = self.0;
        while let Some(path) = map.next_key::<String>()? {
            state.current = Some(format!("the entry for {path:?}"));
            let file: PyFile<L, B> = map.next_value()?;
            state.current = None;
            state.add(&path, file);
        }
        Ok(())
    }
}

#[derive(Debug, Deserialize)]
#[serde(bound(deserialize = "L: Deserialize<'de>, B: Deserialize<'de>"))]
struct PyFile<L, B> {
    executed_lines: L,
    missing_lines: L,
    // Absent without branch coverage; `null` is refused: read as absent beside the other list,
    // every branch read as taken.
    #[serde(default = "absent", deserialize_with = "present")]
    executed_branches: Option<B>,
    #[serde(default = "absent", deserialize_with = "present")]
    missing_branches: Option<B>,
    summary: Option<Summary>,
    functions: Option<BTreeMap<String, Region>>,
}

fn absent<T>() -> Option<T> {
    None
}

/// A member that, when written, must be a value of its type (`null` is an error, not absent).
fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// An arc `[from, to]`: `to` is negative for an exit from the code object.
type Arc = (Line, i64);

/// A list of line numbers (`[1, 2, 3]`, whole numbers of up to 9 digits) or of arcs
/// (`[[1, 2], [3, -1]]`, the second number negative or not, up to 18 digits, not `-0`) read from
/// memory as written ([`json::written`]): as coverage.py writes it (or with any other JSON
/// whitespace between the tokens, or none), from its bytes; any other as a `Vec<T>`, so both take
/// and refuse the same lists.
struct Written<T>(Vec<T>);

/// An item of a [`Written`] list, and how a list of them is written.
trait WrittenItem: Sized {
    fn written(raw: &[u8]) -> Option<Vec<Self>>;
}

impl WrittenItem for Line {
    fn written(raw: &[u8]) -> Option<Vec<Line>> {
        written_lines(raw)
    }
}

impl WrittenItem for Arc {
    fn written(raw: &[u8]) -> Option<Vec<Arc>> {
        written_arcs(raw)
    }
}

impl<'de, T: WrittenItem + Deserialize<'de>> Deserialize<'de> for Written<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        json::written(d, |raw| T::written(raw.as_bytes()), |list: Vec<T>| list).map(Written)
    }
}

impl<T> AsRef<[T]> for Written<T> {
    fn as_ref(&self) -> &[T] {
        &self.0
    }
}

/// The lines of a list written as [`Written`] says; `None` when it is written otherwise.
fn written_lines(raw: &[u8]) -> Option<Vec<Line>> {
    let mut lines = Vec::new();
    written_lines_at(raw, &mut lines).filter(|after| after.is_empty())?;
    Some(lines)
}

/// [`written_lines`] of the list at the start of `text`, into `lines` (emptied first), and the
/// text after it.
fn written_lines_at<'t>(text: &'t [u8], lines: &mut Vec<Line>) -> Option<&'t [u8]> {
    lines.clear();
    json::written_items_at(text, |item| {
        let (n, rest) = json::written_whole(item, 9)?;
        lines.push(Line(n as u32));
        Some(rest)
    })
}

/// The arcs of a list written as [`Written`] says; `None` when it is written otherwise.
fn written_arcs(raw: &[u8]) -> Option<Vec<Arc>> {
    let mut arcs = Vec::new();
    written_arcs_at(raw, &mut arcs).filter(|after| after.is_empty())?;
    Some(arcs)
}

/// An entry read from its bytes, its lists held in a [`Scratch`].
type ScratchFile<'s> = PyFile<&'s [Line], &'s [Arc]>;

/// The lists of one entry read from its bytes ([`written_file`]), reused from one entry to the
/// next: allocating them anew for each entry made the threads that read chunks wait on the
/// allocator's lock.
#[derive(Default)]
struct Scratch {
    executed_lines: Vec<Line>,
    missing_lines: Vec<Line>,
    executed_branches: Vec<Arc>,
    missing_branches: Vec<Arc>,
}

/// A file's entry read from its bytes when it is written as coverage.py writes it (members in
/// any order, each once; the line and arc lists as [`Written`] reads them), and the
/// text after it: serde_json then never walks the lists, nearly all of an entry's bytes. The
/// other members are read by serde from their own bytes ([`json::written_value`]), as the types
/// [`PyFile`] holds; an unknown one is checked and skipped, as serde skips it. `None` for any
/// other form, or anything serde refuses: the caller reads the chunk through serde, which gives
/// the same files, or the error.
fn written_file<'t, 's>(text: &'t [u8], scratch: &'s mut Scratch) -> Option<(ScratchFile<'s>, &'t [u8])> {
    let (mut executed_lines, mut missing_lines, mut executed_branches, mut missing_branches) = (None, None, None, None);
    let (mut summary, mut functions) = (None, None);
    let after = json::written_members(text, |key, value| {
        // (`null` is left to serde, which refuses it.)
        fn arcs<'t>(value: &'t [u8], list: &mut Vec<Arc>) -> Option<(bool, &'t [u8])> {
            written_arcs_at(value, list).map(|after| (true, after))
        }
        let s = &mut *scratch;
        match key {
            b"executed_lines" => {
                json::written_once(&mut executed_lines, ((), written_lines_at(value, &mut s.executed_lines)?))
            }
            b"missing_lines" => {
                json::written_once(&mut missing_lines, ((), written_lines_at(value, &mut s.missing_lines)?))
            }
            b"executed_branches" => json::written_once(&mut executed_branches, arcs(value, &mut s.executed_branches)?),
            b"missing_branches" => json::written_once(&mut missing_branches, arcs(value, &mut s.missing_branches)?),
            b"summary" => json::written_once(&mut summary, json::written_value(value)?),
            b"functions" => json::written_once(&mut functions, json::written_value(value)?),
            _ => json::written_value::<IgnoredAny>(value).map(|(_, after)| after),
        }
    })?;
    executed_lines?;
    missing_lines?;
    let s = &*scratch;
    let file = PyFile {
        executed_lines: &s.executed_lines[..],
        missing_lines: &s.missing_lines[..],
        executed_branches: (executed_branches == Some(true)).then_some(&s.executed_branches[..]),
        missing_branches: (missing_branches == Some(true)).then_some(&s.missing_branches[..]),
        summary: summary.flatten(),
        functions: functions.flatten(),
    };
    Some((file, after))
}

/// [`written_arcs`] of the list at the start of `text`, into `arcs` (emptied first), and the
/// text after it.
fn written_arcs_at<'t>(text: &'t [u8], arcs: &mut Vec<Arc>) -> Option<&'t [u8]> {
    arcs.clear();
    use json::skip_space as space;
    json::written_items_at(text, |item| {
        let (from, rest) = json::written_whole(space(item.strip_prefix(b"[")?), 9)?;
        let rest = space(space(rest).strip_prefix(b",")?);
        let (sign, rest) = rest.strip_prefix(b"-").map_or((1, rest), |r| (-1, r));
        let (to, rest) = json::written_whole(rest, 18)?;
        if sign < 0 && to == 0 {
            return None; // `-0`, which serde_json reads as a float
        }
        arcs.push((Line(from as u32), sign * to as i64));
        space(rest).strip_prefix(b"]")
    })
}

#[derive(Debug, Deserialize)]
struct Region {
    #[serde(default)]
    executed_lines: Len,
    #[serde(default)]
    missing_lines: Len,
    start_line: Option<Line>,
}

/// A `summary` (a file's or the report's `totals`): more covered than there are is refused, as
/// coverage.py never writes it (the stated figures win over the lists, so it would be judged).
#[derive(Debug, Deserialize)]
#[serde(try_from = "Stated")]
struct Summary(Stated);

/// The figures of a `summary`, as written.
#[derive(Debug, Deserialize)]
struct Stated {
    covered_lines: Option<u64>,
    num_statements: Option<u64>,
    covered_branches: Option<u64>,
    num_branches: Option<u64>,
    percent_covered: Option<f64>,
    percent_covered_display: Option<String>,
}

impl TryFrom<Stated> for Summary {
    type Error = String;

    fn try_from(s: Stated) -> Result<Self, String> {
        for (covered, total, what) in
            [(s.covered_lines, s.num_statements, "statements"), (s.covered_branches, s.num_branches, "branches")]
        {
            if let (Some(c), Some(t)) = (covered, total)
                && c > t
            {
                return Err(format!("the summary says {c} of {t} {what} covered: more than there are"));
            }
        }
        Ok(Summary(s))
    }
}

impl Summary {
    fn lines(&self) -> Option<Counts> {
        Some(Counts::new(self.0.num_statements?, self.0.covered_lines?))
    }

    fn branches(&self) -> Option<Counts> {
        Some(Counts::new(self.0.num_branches?, self.0.covered_branches?))
    }
}

impl State<'_> {
    fn add<L: AsRef<[Line]>, B: AsRef<[Arc]>>(&mut self, path: &str, file: PyFile<L, B>) {
        let d = &mut self.detail;
        d.clear();
        d.path.push_str(path);
        // Both lists come sorted from coverage.py: merged, the lines need no sort in `normalize`
        // (which sorts them when they do not; hits are 0 or 1, so their sum does not depend on
        // the order).
        let (executed, missing) = (file.executed_lines.as_ref(), file.missing_lines.as_ref());
        merge_lines(executed, missing, &mut d.lines);
        // Line 0 is no line: counted apart (`line_zero`).
        let zeros = |list: &[Line]| list.iter().filter(|l| l.0 == 0).count() as u64;
        let mut zero = zeros(executed) + zeros(missing);
        if zero > 0 {
            d.lines.retain(|l| l.0 != 0);
        }
        if file.executed_branches.is_some() || file.missing_branches.is_some() {
            d.has_branches = true;
            let arcs = &mut self.arcs;
            arcs.clear();
            for (list, taken) in [(&file.executed_branches, 1), (&file.missing_branches, 0)] {
                for &(Line(from), to) in list.as_ref().map_or(&[][..], AsRef::as_ref) {
                    if from == 0 {
                        zero += 1;
                    } else {
                        arcs.push((from, to, taken));
                    }
                }
            }
            push_arcs(arcs, &mut d.branches);
        }
        if let Some(functions) = &file.functions {
            d.has_functions = true;
            for (name, region) in functions.iter().filter(|(n, _)| !n.is_empty()) {
                if region.executed_lines.0 + region.missing_lines.0 == 0 {
                    continue; // every statement excluded: coverage.py reports no function
                }
                d.functions.push(Function {
                    name: name.clone(),
                    line: region.start_line.map_or(0, |l| l.0),
                    hits: u64::from(region.executed_lines.0 > 0),
                });
            }
        }
        d.normalize();
        let counted = Counts::new(d.lines.len() as u64, d.lines.iter().filter(|l| l.1 > 0).count() as u64);
        let counted_branches = d.has_branches.then(|| {
            let covered = d.branches.iter().filter(|b| b.taken > Some(0)).count();
            Counts::new(d.branches.len() as u64, covered as u64)
        });
        let stated = file.summary.as_ref();
        let stated_lines = stated.and_then(Summary::lines);
        let stated_branches = stated.and_then(Summary::branches);
        let lines_differ = stated_lines.is_some_and(|s| s != counted);
        let branches_differ = stated_branches.is_some_and(|s| counted_branches.is_some_and(|c| c != s));
        if lines_differ || branches_differ {
            self.disagreeing += 1;
            d.summary = Some(SummaryTotals {
                lines: Some(stated_lines.unwrap_or(counted)),
                branches: stated_branches.or(counted_branches),
                functions: None,
            });
        }
        self.sum.add(stated_lines.unwrap_or(counted));
        self.line_zero += zero;
        self.files += 1;
        match self.staged.as_mut() {
            Some(staged) => staged.push(d),
            None => {
                self.once.note(&d.path);
                self.sink.file(d);
            }
        }
    }
}

/// `executed` (hit once) and `missing` (hit none) merged onto the end of `out`, as a merge line
/// by line picks: the smaller line, the executed one of equal lines, then what is left of either
/// list. Missing lines are few: the executed lines up to each are found and copied as a run.
fn merge_lines(executed: &[Line], missing: &[Line], out: &mut Vec<(u32, u64)>) {
    out.reserve(executed.len() + missing.len());
    let mut rest = executed;
    for &Line(m) in missing {
        let run = rest.iter().position(|&Line(e)| e > m).unwrap_or(rest.len());
        out.extend(rest[..run].iter().map(|&Line(e)| (e, 1)));
        out.push((m, 0));
        rest = &rest[run..];
    }
    out.extend(rest.iter().map(|&Line(e)| (e, 1)));
}

/// Turns `[from, to]` arcs into branches of line `from`: block `from`, branch = the arc's rank
/// among that line's destinations, so that the same arc gets the same identity in every report
/// of the same code (the set of possible arcs is fixed by the source).
fn push_arcs(arcs: &mut [(u32, i64, u64)], out: &mut Vec<Branch>) {
    // Two sorted runs as coverage.py writes them (the executed arcs, then the missing ones): the
    // stable sort merges them in one pass (equal arcs are equal in every field: no order differs).
    arcs.sort();
    let mut rank = 0u32;
    let mut prev: Option<(u32, i64)> = None;
    for &(from, to, taken) in arcs.iter() {
        match prev {
            Some((f, t)) if f == from && t == to => {
                // The same arc listed twice: one branch, taken if either says so.
                if let Some(last) = out.last_mut() {
                    last.taken = last.taken.max(Some(taken));
                }
                continue;
            }
            Some((f, _)) if f == from => rank += 1,
            _ => rank = 0,
        }
        prev = Some((from, to));
        out.push(Branch { line: from, block: from, branch: rank, taken: Some(taken) });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Coverage, CoverageBuilder, DetailSet};

    const BRANCH: &[u8] = include_bytes!("../../tests/fixtures/coverage/coveragepy/branch.json");
    const LINES: &[u8] = include_bytes!("../../tests/fixtures/coverage/coveragepy/lines.json");

    fn read(bytes: &[u8]) -> Result<(Coverage, Meta), ParseError> {
        let mut builder = CoverageBuilder::new();
        let meta = parse(&Source::bytes("coverage.json", bytes), &mut builder)?;
        Ok((builder.finish(), meta))
    }

    fn detail(bytes: &[u8], path: &str) -> FileDetail {
        let mut set = DetailSet::new();
        parse(&Source::bytes("coverage.json", bytes), &mut set).unwrap();
        set.files.into_iter().find(|f| f.path == path).unwrap()
    }

    fn fails(text: &str) -> ParseError {
        read(text.as_bytes()).unwrap_err()
    }

    /// coverage.py writes no hit counts: its numbers are line numbers and its summary's counts.
    /// A fraction or a negative among them is an error at its place, never truncated; read in
    /// chunks (on 1 and 4 threads), the same error.
    #[test]
    fn numbers_that_are_not_whole_are_errors_whole_and_in_chunks() {
        use crate::input::Split;
        let file = |i: usize, executed: &str, summary: &str| {
            format!(
                r#""m{i}.py": {{"executed_lines": {executed}, "missing_lines": [3],
                "summary": {{"covered_lines": {summary}, "num_statements": 3}}}}"#
            )
        };
        for (executed, summary, message) in [
            ("[1, 2.5]", "2", "line number 2.5 is not an integer"),
            ("[1, -2]", "2", "negative line number -2"),
            ("[1, 2]", "1.5", "invalid type: floating point `1.5`, expected u64"),
            ("[1, 2]", "-1", "invalid value: integer `-1`, expected u64"),
            ("[1, 2]", "1e300", "invalid type: floating point `1e+300`, expected u64"),
        ] {
            let files: Vec<String> =
                (0..300).map(|i| if i == 150 { file(i, executed, summary) } else { file(i, "[1, 2]", "2") }).collect();
            let doc = format!(r#"{{"meta": {{"format": 3}}, "files": {{{}}}}}"#, files.join(",\n"));
            let whole = fails(&doc);
            // File 150 starts on line 301, its summary on the next.
            let line = if summary == "2" { 301 } else { 302 };
            assert_eq!(whole.line, Some(line), "{whole}");
            assert!(whole.message.starts_with(message), "{}", whole.message);
            for threads in [1, 4] {
                let mut builder = CoverageBuilder::new();
                let split = Split { threads, min_len: 0 };
                let chunked = parse(&Source::bytes("coverage.json", doc.as_bytes()).with_split(split), &mut builder);
                assert_eq!(chunked.unwrap_err(), whole, "{executed} {summary}, {threads} thread(s)");
            }
        }
    }

    /// A file named twice was merged (100 %), where Python's json keeps the last (0 %): an error,
    /// read whole or in chunks, the two entries in one chunk or far apart.
    #[test]
    fn a_file_named_twice_is_an_error() {
        use crate::input::Split;
        let entry = |name: &str, hit: bool| {
            let (executed, missing) = if hit { ("[1, 2]", "[]") } else { ("[]", "[1, 2]") };
            format!(r#""{name}": {{"executed_lines": {executed}, "missing_lines": {missing}, "excluded_lines": []}}"#)
        };
        for (first, second) in [(0, 1), (0, 299), (150, 151)] {
            let files: Vec<String> = (0..300)
                .map(|i| match i {
                    _ if i == second => entry(&format!("f{first}.py"), false),
                    _ => entry(&format!("f{i}.py"), true),
                })
                .collect();
            let doc = format!(r#"{{"meta": {{"format": 3}}, "files": {{{}}}}}"#, files.join(", "));
            for threads in [1, 4] {
                let mut builder = CoverageBuilder::new();
                let e = parse(
                    &Source::bytes("c.json", doc.as_bytes()).with_split(Split { threads, min_len: 0 }),
                    &mut builder,
                )
                .unwrap_err();
                assert!(e.message.contains(&format!("\"f{first}.py\" twice")), "{threads} threads: {e}");
            }
        }
    }

    /// `missing_branches: null` beside executed branches read as no branch missed: 100 %.
    #[test]
    fn a_branch_list_written_null_is_an_error() {
        let text = r#"{"meta":{"format":3},"files":{"a.py":{"executed_lines":[1,2],"missing_lines":[],"executed_branches":[[1,2]],"missing_branches":null}}}"#;
        assert!(fails(text).message.contains("null"), "{}", fails(text));
    }

    /// The stated summary wins over the lists: 99 of 3 covered read as 3300 % and approved.
    #[test]
    fn a_summary_with_more_covered_than_there_are_is_an_error() {
        for summary in [
            r#"{"covered_lines":99,"num_statements":3}"#,
            r#"{"covered_lines":2,"num_statements":3,"covered_branches":5,"num_branches":4}"#,
        ] {
            let text = format!(
                r#"{{"meta":{{"format":3}},"files":{{"a.py":{{"executed_lines":[1,2],"missing_lines":[3],"summary":{summary}}}}}}}"#
            );
            assert!(fails(&text).message.contains("more than there are"), "{summary}");
        }
        let totals = r#"{"meta":{"format":3},"files":{},"totals":{"covered_lines":4,"num_statements":3}}"#;
        assert!(fails(totals).message.contains("more than there are"));
    }

    #[test]
    fn branch_report_counts_statements_and_arcs_like_coverage_py() {
        let (cov, meta) = read(BRANCH).unwrap();
        assert_eq!(cov.files.len(), 2);
        assert_eq!(cov.lines, Counts::new(12, 9));
        assert_eq!(cov.branches, Some(Counts::new(4, 2)));
        // f and C.m ran, C.unused did not, g is all excluded (not a function for coverage.py).
        assert_eq!(cov.functions, Some(Counts::new(3, 2)));
        assert_eq!(meta.extra["coveragepy_percent_covered"], 68.75);
        assert_eq!(meta.extra["coveragepy_percent_covered_display"], "69");
        assert!(meta.notes.is_empty(), "{:?}", meta.notes);
        // An empty module is a file with nothing to cover, and branches measured (0 of 0).
        assert_eq!(cov.files[0].lines, Counts::new(0, 0));
        assert_eq!(cov.files[0].branches, Some(Counts::new(0, 0)));
    }

    /// The merge picks as a line-by-line merge picks: the smaller line, the executed one of
    /// equal lines, then what is left of either list, after what `out` held; lists out of order
    /// (which `normalize` sorts) included.
    #[test]
    fn lines_merge_as_one_by_one() {
        let lists: [&[u32]; 8] =
            [&[], &[0], &[1, 2, 3], &[2, 4, 6, 8], &[1, 3, 5, 7, 9, 11], &[3, 3, 4], &[9, 2, 5], &[0, 0, 7]];
        for executed in lists {
            for missing in lists {
                let mut expected = vec![(99, 5)];
                let (mut i, mut j) = (0, 0);
                while i < executed.len() || j < missing.len() {
                    if j == missing.len() || (i < executed.len() && executed[i] <= missing[j]) {
                        expected.push((executed[i], 1));
                        i += 1;
                    } else {
                        expected.push((missing[j], 0));
                        j += 1;
                    }
                }
                let as_lines = |list: &[u32]| list.iter().map(|&n| Line(n)).collect::<Vec<_>>();
                let mut out = vec![(99, 5)];
                merge_lines(&as_lines(executed), &as_lines(missing), &mut out);
                assert_eq!(out, expected, "{executed:?} {missing:?}");
            }
        }
    }

    #[test]
    fn lines_and_arcs_keep_their_identity() {
        let d = detail(BRANCH, "pkg/mod.py");
        assert!(d.lines.contains(&(5, 1)) && d.lines.contains(&(6, 0)));
        assert!(!d.lines.iter().any(|l| l.0 == 8), "excluded lines are not statements");
        let on = |line: u32| -> Vec<(u32, u32, Option<u64>)> {
            let b = d.branches.iter().filter(|b| b.line == line);
            b.map(|b| (b.block, b.branch, b.taken)).collect()
        };
        // 13 -> -12 (exit) ranks before 13 -> 15.
        assert_eq!(on(13), vec![(13, 0, Some(0)), (13, 1, Some(1))]);
        assert_eq!(on(4), vec![(4, 0, Some(1)), (4, 1, Some(0))]);
        let f = d.functions.iter().find(|f| f.name == "C.m").unwrap();
        assert_eq!((f.line, f.hits), (12, 1));
    }

    #[test]
    fn merging_a_report_with_itself_keeps_the_branch_count() {
        let mut set = DetailSet::new();
        for _ in 0..2 {
            parse(&Source::bytes("c.json", BRANCH), &mut set).unwrap();
        }
        let mut d = set.files.into_iter().find(|f| f.path == "pkg/mod.py").unwrap();
        let s = d.summarize();
        assert_eq!(s.branches, Some(Counts::new(4, 2)));
        assert_eq!(s.lines, Counts::new(12, 9));
    }

    #[test]
    fn line_only_report_has_no_branch_data() {
        let (cov, meta) = read(LINES).unwrap();
        assert_eq!(cov.lines, Counts::new(12, 9));
        assert_eq!(cov.branches, None);
        assert_eq!(meta.extra["coveragepy_percent_covered"], 75.0);
    }

    #[test]
    fn format_1_without_meta_or_functions() {
        let (cov, _) = read(
            br#"{"files": {"a.py": {"executed_lines": [1, 2], "missing_lines": [3],
                "excluded_lines": [], "summary": {"covered_lines": 2, "num_statements": 3}}},
                "totals": {"covered_lines": 2, "num_statements": 3, "percent_covered": 66.7}}"#,
        )
        .unwrap();
        assert_eq!(cov.lines, Counts::new(3, 2));
        assert_eq!((cov.branches, cov.functions), (None, None));
    }

    #[test]
    fn stated_summary_wins_and_is_noted() {
        let (cov, meta) = read(
            br#"{"files": {"a.py": {"executed_lines": [1], "missing_lines": [],
                "summary": {"covered_lines": 1, "num_statements": 2}}}}"#,
        )
        .unwrap();
        assert_eq!(cov.lines, Counts::new(2, 1));
        assert_eq!(meta.notes.len(), 1, "{:?}", meta.notes);
    }

    #[test]
    fn zero_files_is_a_report_but_a_missing_files_object_is_not() {
        let (cov, _) = read(br#"{"meta": {"format": 3}, "files": {}, "totals": {}}"#).unwrap();
        assert!(cov.files.is_empty());
        let e = fails(r#"{"meta": {"format": 3}, "totals": {}}"#);
        assert_eq!(e.message, "no \"files\" object: this is not a coverage.py JSON report");
        let e = fails("null");
        assert!(e.message.starts_with("invalid type: null"), "{}", e.message);
        assert_eq!(fails("").message, "the file is empty: no report to read");
    }

    #[test]
    fn a_file_entry_without_its_lists_is_named() {
        let e = fails("{\"files\": {\"a.py\": {\n\"executed_lines\": [1]}}}");
        assert_eq!(e.line, Some(2));
        assert_eq!(e.message, "missing field `missing_lines` (in the entry for \"a.py\")");
    }

    #[test]
    fn hostile_inputs_are_clear_errors() {
        let e = fails("{\"files\": {\"a.py\": {\"executed_lines\": [1, 2");
        assert_eq!(e.line, Some(1));
        assert!(e.message.contains("truncated"), "{}", e.message);

        let e = read(b"{\"files\": {\"a\xff.py\": {}}}").unwrap_err();
        assert!(e.message.contains("not valid UTF-8"), "{}", e.message);

        // 10 000-deep nesting: where a typed value is expected it is a type error at once;
        // in an ignored value it costs no stack, and a truncated one is reported as such.
        let deep = format!("{{\"files\": {}", "[".repeat(10_000));
        let e = fails(&deep);
        assert_eq!((e.line, e.column), (Some(1), Some(11)));
        assert!(e.message.starts_with("invalid type: sequence"), "{}", e.message);
        let deep = format!("{{\"meta\": {{\"x\": {}", "[".repeat(10_000));
        assert!(fails(&deep).message.contains("truncated"));
        let balanced =
            format!("{{\"meta\": {{\"x\": {}{}}}, \"files\": {{}}}}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(read(balanced.as_bytes()).is_ok());

        let e = fails("{\"files\": {\"a.py\": {\n\"executed_lines\": [1.5], \"missing_lines\": []}}}");
        assert_eq!(e.line, Some(2));
        assert!(
            e.message.starts_with("line number 1.5 is not an integer (in the entry for \"a.py\")"),
            "{}",
            e.message
        );

        let e = fails("{\"files\": {\"a.py\": {\"executed_lines\": [-4], \"missing_lines\": []}}}");
        assert!(e.message.starts_with("negative line number -4"), "{}", e.message);

        let e = fails("{\"files\": {\"a.py\": {\"executed_lines\": [1e300], \"missing_lines\": []}}}");
        assert!(e.message.contains("out of range"), "{}", e.message);

        let e = fails("{\"files\": {\"a.py\": {\"executed_lines\": \"1-3\", \"missing_lines\": []}}}");
        assert!(e.message.starts_with("invalid type: string \"1-3\""), "{}", e.message);

        let e = fails("{\"files\": []}");
        assert!(e.message.starts_with("invalid type: sequence, expected an object mapping"), "{}", e.message);
    }

    /// Lists read as written give what serde gives, or an error where serde gives one (a chunk
    /// that gives an error is read again in one walk, whose error is the one shown).
    #[test]
    fn written_lists_read_as_lists() {
        let lines = [
            "[]",
            "[1,2,3]",
            "[0]",
            "[999999999]",
            "[4294967295]",
            "[4294967296]",
            "[1.0]",
            "[1.5]",
            "[-1]",
            "[1e2]",
            "[ 1]",
            "[1,]",
            "[\"1\"]",
            "[[1]]",
            "{}",
            "7",
        ];
        for text in lines {
            let written =
                serde_json::from_str::<Written<Line>>(text).map(|w| w.0.iter().map(|l| l.0).collect::<Vec<_>>());
            let read = serde_json::from_str::<Vec<Line>>(text).map(|v| v.iter().map(|l| l.0).collect::<Vec<_>>());
            assert_eq!(written.ok(), read.ok(), "{text}");
        }
        let arcs = [
            "[]",
            "[[1,2],[3,-1]]",
            "[[1,-0]]",
            "[[1,-999999999999999999]]",
            "[[1,9223372036854775807]]",
            "[[1,-9223372036854775809]]",
            "[[1,2,3]]",
            "[[1]]",
            "[[-1,2]]",
            "[[1,2.0]]",
            "[[1, 2]]",
            "[[1 ,2]]",
            "[[ 1,2 ] ]",
            "[[1,-1 ]]",
            "[[1,- 1]]",
            "[[1,-1],]",
            "[[1,\u{c}2]]",
            "[1]",
        ];
        for text in arcs {
            let as_pairs = |v: &[Arc]| v.iter().map(|(l, to)| (l.0, *to)).collect::<Vec<_>>();
            let written = serde_json::from_str::<Written<Arc>>(text).map(|w| as_pairs(&w.0));
            let read = serde_json::from_str::<Vec<Arc>>(text).map(|v| as_pairs(&v));
            assert_eq!(written.ok(), read.ok(), "{text}");
        }
        // What coverage.py writes is read from its bytes, compact too.
        assert_eq!(written_lines(b"[1, 2, 30]").map(|v| v.len()), Some(3));
        assert_eq!(written_arcs(b"[[1, 2], [3, -1]]").map(|v| v.len()), Some(2));
        assert_eq!(written_lines(b"[1,2,30]").map(|v| v.len()), Some(3));
        assert_eq!(written_arcs(b"[[1,2],[3,-1]]").map(|v| v.len()), Some(2));
        assert!(written_lines(b"[1,\x0c2]").is_none() && written_arcs(b"[[1,-0]]").is_none());
    }

    /// A file's entry taken from its bytes ([`written_file`]) reads as serde reads it, or is left
    /// to serde: coverage.py's own form is taken, and every look-alike serde reads otherwise or
    /// refuses (leading zeros, `-0`, a duplicate or escaped key, spaces, `null`s, wrong types,
    /// members it does not know) is either read alike or left.
    #[test]
    fn an_entry_read_from_its_bytes_reads_as_serde_reads_it() {
        // One scratch for every entry, as a chunk's entries share one: nothing is left from the last.
        let mut scratch = Scratch::default();
        let mut taken = |text: &str| {
            let serde = serde_json::from_str::<PyFile<Vec<Line>, Vec<Arc>>>(text);
            match (written_file(text.as_bytes(), &mut scratch), serde) {
                (Some((file, after)), Ok(read)) => {
                    assert!(after.is_empty(), "{text}");
                    assert_eq!(format!("{file:?}"), format!("{read:?}"), "{text}");
                    true
                }
                (Some(_), Err(e)) => panic!("taken from its bytes, refused by serde ({e}): {text}"),
                (None, _) => false,
            }
        };
        let py = r#"{"executed_lines":[1,2,4],"summary":{"covered_lines":3,"num_statements":4,"percent_covered":75.0,"percent_covered_display":"75","missing_lines":1,"excluded_lines":0,"num_branches":2,"num_partial_branches":0,"covered_branches":1,"missing_branches":1},"missing_lines":[3],"excluded_lines":[],"executed_branches":[[2,4],[4,-1]],"missing_branches":[[2,3]],"functions":{"f":{"executed_lines":[1,2],"missing_lines":[],"start_line":1}},"classes":{"":{"executed_lines":[4],"missing_lines":[3]}}}"#;
        assert!(taken(py), "coverage.py's own form is taken");
        let with = |from: &str, to: &str| py.replacen(from, to, 1);
        for (text, is_taken) in [
            (r#"{"executed_lines":[],"missing_lines":[]}"#.to_string(), true),
            (r#"{"missing_lines":[3],"executed_lines":[1],"summary":null}"#.to_string(), true),
            // A branch list written `null` is refused (read as absent beside the other list,
            // every branch read as taken): left to serde, which refuses it.
            (r#"{"missing_lines":[3],"executed_lines":[1],"executed_branches":null}"#.to_string(), false),
            (with("\"missing_branches\":[[2,3]]", "\"missing_branches\":null"), false),
            (r#"{"executed_lines":[1]}"#.to_string(), false),
            (r#"{"missing_lines":[1]}"#.to_string(), false),
            (with("[1,2,4]", "[1,02,4]"), false),
            (with("[1,2,4]", "[1,2,4.0]"), false),
            (with("[1,2,4]", "[1,2,-4]"), false),
            (with("[1,2,4]", "[1, 2,4]"), true),
            (with("[1,2,4]", "[ 1 ,\n2,\t4 ]"), true),
            (with("[1,2,4]", "[1,\u{c}2,4]"), false),
            (with("[[2,4],[4,-1]]", "[[2, 4], [ 4 , -1 ]]"), true),
            (with("[[2,4],[4,-1]]", "[[2,4],[4,- 1]]"), false),
            (with("[1,2,4]", "[1,2,4,]"), false),
            (with("[1,2,4]", "null"), false),
            (with("[1,2,4]", "[1,2,4294967296]"), false),
            (with("[1,2,4]", "[1,2,1234567890]"), false),
            (with("[1,2,4]", "[1,2,123456789]"), true),
            (with("\"missing_lines\":[3]", "\"executed_lines\":[3],\"missing_lines\":[3]"), false),
            (with("[[2,4],[4,-1]]", "[[2,4],[4,-1234567890123456789]]"), false),
            (with("[[2,4],[4,-1]]", "[[2,4],[4,-0]]"), false),
            (with("[[2,4],[4,-1]]", "[[2,4],[4,-01]]"), false),
            (with("[[2,4],[4,-1]]", "[[2,4],[4,-1,7]]"), false),
            (with("[[2,4],[4,-1]]", "[[2,4],[4]]"), false),
            (with("[[2,4],[4,-1]]", "nul"), false),
            (with("\"missing_lines\":[3]", "\"missing_lines\":[3],\"missing_lines\":[3]"), false),
            (with("\"excluded_lines\":[]", "\"excluded_lines\":[],\"excluded_lines\":[]"), true),
            (with("\"excluded_lines\":[]", "\"excluded_lines\":[01]"), false),
            (with("\"excluded_lines\":[]", "\"excluded\\u005flines\":[]"), false),
            (with("\"excluded_lines\":[]", "\"contexts\":{\"1\":[\"\"]}"), true),
            (with("\"percent_covered\":75.0", "\"percent_covered\":\"75\""), false),
            (with("\"start_line\":1", "\"start_line\":-1"), false),
            (with("{\"f\":", "{\"a\\\"b\":"), true),
            (with(",\"summary\"", ", \"summary\""), true),
            (with("\"functions\":{", "\"functions\":null,\"x\":{"), true),
        ] {
            assert_eq!(taken(&text), is_taken, "{text}");
        }
    }

    /// A report of 300 files (one with an escaped quote in its name, one whose summary
    /// disagrees, one with line 0) read a chunk of files at a time on 1 to 4 threads is the report
    /// read whole, notes and totals included; damaged, it fails as read whole does.
    #[test]
    fn a_large_report_read_in_chunks_is_the_report_read_whole() {
        use crate::input::Split;
        let files: Vec<String> = (0..300)
            .map(|i| {
                let name = if i == 7 { r#"odd\",\"x.py"#.to_string() } else { format!("pkg/m{i}.py") };
                let (executed, summary) = match i {
                    11 => ("[0,1,2]", r#","summary":{"covered_lines":9,"num_statements":9}"#),
                    _ => ("[1,2]", ""),
                };
                format!(
                    r#""{name}":{{"executed_lines":{executed},"missing_lines":[{}],"executed_branches":[[1,2]],"missing_branches":[[1,-1]]{summary}}}"#,
                    3 + i % 5
                )
            })
            .collect();
        let compact = format!(
            r#"{{"meta":{{"format":3,"version":"7.6.1"}},"files":{{{}}},"totals":{{"covered_lines":1,"num_statements":1}}}}"#,
            files.join(",")
        );
        // As `coverage json` writes it: Python's separators, `", "` and `": "`.
        let space = |text: &str| text.replace(',', ", ").replace(':', ": ");
        for spaced in [false, true] {
            let doc = if spaced { space(&compact) } else { compact.clone() };
            let read_split = |bytes: &[u8], split: Split| {
                let mut builder = CoverageBuilder::new();
                let meta = parse(&Source::bytes("coverage.json", bytes).with_split(split), &mut builder)?;
                Ok::<_, ParseError>((builder.finish(), meta))
            };
            let (whole, whole_meta) = read_split(doc.as_bytes(), Split::none()).unwrap();
            assert_eq!(whole.files.len(), 300);
            assert_eq!(whole_meta.notes.len(), 3, "{:?}", whole_meta.notes);
            for threads in 1..=4 {
                let (chunked, meta) = read_split(doc.as_bytes(), Split { threads, min_len: 0 }).unwrap();
                assert_eq!(chunked.files, whole.files, "{threads} threads");
                assert_eq!((chunked.lines, chunked.branches), (whole.lines, whole.branches));
                assert_eq!((meta.notes, meta.extra), (whole_meta.notes.clone(), whole_meta.extra.clone()));
            }
            // A sink that keeps the detail (`temis merge`) has the chunks' files as read, not summarized.
            let details = |split: Split| {
                let mut set = DetailSet::new();
                parse(&Source::bytes("coverage.json", doc.as_bytes()).with_split(split), &mut set).unwrap();
                set.files
            };
            assert_eq!(details(Split { threads: 2, min_len: 0 }), details(Split::none()));
            for bad in [
                compact[..compact.len() - 300].to_string(),
                compact
                    .replace(r#""pkg/m150.py":{"executed_lines":[1,2]"#, r#""pkg/m150.py":{"executed_lines":[1,-2]"#),
                compact.replace(r#""pkg/m200.py":{"executed_lines":[1,2]"#, r#""pkg/m200.py":{"executed_lines":"x""#),
                compact.replace(r#""files":{"#, r#""meta2":{"files":{"#) + "}",
                // A key whose name holds `"files":{` is not the files: with the files after it, and
                // with none at all (which is no coverage.py report).
                compact
                    .replace(r#""files":{"#, r#""see \"files":{"#)
                    .replace(r#","totals""#, r#","files":{},"totals""#),
                compact.replace(r#""files":{"#, r#""see \"files":{"#),
                // Lists taken or refused as one walk does: a float line, a space (compact text
                // only; coverage.py's own), an arc of three, a line past u32, a negative arc start.
                compact
                    .replace(r#""pkg/m150.py":{"executed_lines":[1,2]"#, r#""pkg/m150.py":{"executed_lines":[1,2.0]"#),
                compact
                    .replace(r#""pkg/m151.py":{"executed_lines":[1,2]"#, r#""pkg/m151.py":{"executed_lines":[1, 2]"#),
                compact.replacen(r#""executed_branches":[[1,2]]"#, r#""executed_branches":[[1,2,3]]"#, 1),
                compact.replacen(r#""executed_branches":[[1,2]]"#, r#""executed_branches":[[1,-2],[3,-7]]"#, 9),
                compact.replace(
                    r#""pkg/m152.py":{"executed_lines":[1,2]"#,
                    r#""pkg/m152.py":{"executed_lines":[1,4294967296]"#,
                ),
                compact.replacen(r#""missing_branches":[[1,-1]]"#, r#""missing_branches":[[-1,1]]"#, 1),
            ] {
                // Each damage made in the compact text, then spaced as coverage.py spaces it.
                assert_ne!(bad, compact);
                let bad = if spaced { space(&bad) } else { bad };
                let whole = read_split(bad.as_bytes(), Split::none()).map(|(c, m)| (c.files, m.notes));
                let chunked =
                    read_split(bad.as_bytes(), Split { threads: 2, min_len: 0 }).map(|(c, m)| (c.files, m.notes));
                assert_eq!(chunked, whole);
            }
        }
    }
}
