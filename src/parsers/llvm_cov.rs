//! llvm-cov export JSON (`llvm-cov export -format=text`, `cargo llvm-cov --json`), export
//! versions 2.x and 3.x, with and without `--summary-only`.
//!
//! The totals are llvm-cov's own: each file's `summary` (lines, branches, unique functions) is
//! given as the file's stated totals, so that temis prints what `llvm-cov report` prints. Those
//! figures are not always the count of the per-line data (llvm-cov 14 sums per-function line
//! counts, which can count a line shared by two functions twice). Instantiations, regions and
//! MC/DC pairs, which have no place in the line/branch/function model, go into `meta.extra`.
//!
//! Per-line data comes from `segments` by LLVM's own rule ([`lines`]), so that uncovered lines
//! are the ones `llvm-cov show` marks; a `--summary-only` export has no segments and so no
//! per-line data. Branch records are the ones llvm-cov's own LCOV export writes (see
//! [`file_detail`]); functions are instantiations grouped by start position as llvm-cov groups
//! them, with hit counts summed.
//!
//! The reader streams: segments are folded into lines as they are read, and function records
//! into their groups; only the per-line data of one `data` element is held. Counts are whole
//! numbers from 0 to `u64::MAX`, as llvm-cov's 64-bit counters write them: a fraction, a
//! negative count or one past `u64::MAX` is an error at its place, whether the segments were
//! read from their bytes or by serde (which reads every segment the fast path leaves).

mod lines;
mod records;

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::input::Source;
use crate::model::{Branch, Counts, FileDetail, Function, Sink, SummaryTotals, add_counts};
use crate::parsers::Meta;
use crate::parsers::ParseError;
use crate::parsers::json;
use records::{FileRec, FunctionRec, Lines, Pair, Summary, WrittenLines};

/// The most per-line records one export may derive from its segments (a region wrapping many
/// lines yields one record per line); past it the export is rejected rather than exhaust memory.
pub const MAX_LINES: u64 = 1 << 26;

const EXPORT_TYPE: &str = "llvm.coverage.json.export";

/// llvm-cov writes its `"type"` marker at the very end of the document, past what detection
/// reads; its opening `{"data":[{"files":[` is distinctive enough.
pub fn starts_like_export(body: &[u8]) -> bool {
    let mut rest = body;
    for token in ["{", "\"data\"", ":", "[", "{", "\"files\"", ":", "["] {
        match rest.trim_ascii_start().strip_prefix(token.as_bytes()) {
            Some(r) => rest = r,
            None => return false,
        }
    }
    true
}

/// Why two llvm-cov reports of the same files are not merged by temis ([`Meta::merged_unlike_producer`]).
pub const LLVM_COV_MERGE: &str = "llvm-cov counts a file's lines per function (a macro's lines in the file that \
     uses it, a template's in its best instance, each copy of a static inline function apart), which its line \
     records, joined, do not rebuild: merge the profiles (`llvm-profdata merge`, or `cargo llvm-cov report` after \
     the runs) and export once";

/// Reads `input` into `sink`: a large export a chunk of files at a time, one chunk per thread
/// ([`json::read_object_in_chunks`] on `data[0].files`, cut where a `{"branches":` or
/// `{"filename":` file record begins; the files read in chunks wait for the `functions` that
/// follow them; each record written as llvm-cov writes it read from its bytes,
/// [`records::written_file`]), any other in one stream.
pub fn parse(input: &Source, sink: &mut dyn Sink) -> Result<Meta, ParseError> {
    let mut state = State::new(sink);
    let records = json::Records::Member(&[json::Step::Key("data"), json::Step::First, json::Step::Key("files")], b'[');
    match json::read_object_in_chunks(input, records, file_start, &mut state) {
        Ok(()) => {}
        Err(json::ChunkError::NotChunked) => {
            // Read in one go, from a fresh start (what came before the files may have been read).
            let sink = state.sink;
            state = State::new(sink);
            json::read(input, json::Object(Top(&mut state)))?;
        }
        Err(json::ChunkError::Invalid) => {
            let mut nothing = crate::model::CoverageBuilder::new();
            json::read(input, json::Object(Top(&mut State::new(&mut nothing))))?;
            return Err(ParseError::whole(
                "internal error: the export was refused in chunks but read whole; please report this with the file",
            ));
        }
    }
    let root = std::mem::take(&mut state.root);
    if let Some(kind) = root.kind.as_deref().filter(|&k| k != EXPORT_TYPE) {
        return Err(ParseError::whole(format!("\"type\" is {kind:?}, not {EXPORT_TYPE:?}: not an llvm-cov export")));
    }
    if !root.data {
        return Err(ParseError::whole("no \"data\" array: not an llvm-cov export"));
    }
    if state.data == 0 {
        return Err(ParseError::whole("the export's \"data\" array is empty: no coverage to read"));
    }

    let mut meta = Meta { merged_unlike_producer: Some(LLVM_COV_MERGE), ..Meta::default() };
    if let Some(v) = &root.version
        && !(v.starts_with("2.") || v.starts_with("3."))
    {
        meta.notes.push(format!("llvm-cov export version {v} is not one temis knows (2.x, 3.x); read as 3.x"));
    }
    let t = state.totals;
    for (key, counts) in [("regions", t.regions), ("instantiations", t.instantiations), ("mcdc", t.mcdc)] {
        if let Some(c) = counts {
            meta.extra.insert(key.to_string(), serde_json::json!(c));
        }
    }
    if state.stated_lines != state.file_lines && state.stated_lines.total > 0 {
        meta.notes.push(format!(
            "the export's totals state {} of {} lines but its files add up to {} of {}; temis \
             uses the files",
            state.stated_lines.covered, state.stated_lines.total, state.file_lines.covered, state.file_lines.total
        ));
    }
    Ok(meta)
}

struct State<'s> {
    sink: &'s mut dyn Sink,
    /// Per-line records derived so far, against [`MAX_LINES`].
    lines: u64,
    data: u64,
    totals: Totals,
    file_lines: Counts,
    stated_lines: Counts,
    /// What the document said of itself, over every document it is read as.
    root: Root,
    /// The files of `data[0]` read in chunks, waiting for the rest of that object (its
    /// `functions`, its `totals`).
    carried: Option<Carried>,
    /// Whether the last key read is `files`, the first key of the first element of `data`.
    at_files: bool,
}

impl<'s> State<'s> {
    fn new(sink: &'s mut dyn Sink) -> Self {
        State {
            sink,
            lines: 0,
            data: 0,
            totals: Totals::default(),
            file_lines: Counts::default(),
            stated_lines: Counts::default(),
            root: Root::default(),
            carried: None,
            at_files: false,
        }
    }
}

/// Files read outside their export object: what [`FileList`] gathers.
#[derive(Default)]
struct Carried {
    files: Vec<FileDetail>,
    sums: Totals,
    lines: Counts,
    /// Per-line records their segments derive.
    derived: u64,
}

impl Carried {
    /// The files `read` adds to a list of their own, with what they sum to; `None` when it fails.
    fn read(read: impl FnOnce(&mut FileList<'_, WrittenLines>) -> Option<()>) -> Option<Carried> {
        let mut derived = 0;
        let mut list = FileList::new(&mut derived, Vec::new(), Totals::default(), Counts::default());
        read(&mut list)?;
        let (files, sums, lines) = (list.files, list.sums, list.lines);
        Some(Carried { files, sums, lines, derived })
    }
}

impl json::ObjectReader for State<'_> {
    type Part = Carried;

    fn read<'de, D: de::Deserializer<'de>>(&mut self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(Top(self))
    }

    fn read_part(chunk: &[u8], _: bool) -> Option<Carried> {
        // From memory, records are read as written ([`records::written_file`]) and, when any is
        // not, through serde, with their segments read as written ([`WrittenLines`]).
        Carried::read(|list| {
            json::written_items(chunk, |text| {
                let (file, after) = records::written_file(text)?;
                list.add(file).ok()?;
                Some(after)
            })
        })
        .or_else(|| Carried::read(|list| json::read_chunk(chunk, |de| de::Deserializer::deserialize_seq(de, list))))
    }

    fn absorb(&mut self, part: Carried) {
        let carried = self.carried.get_or_insert_default();
        carried.files.extend(part.files);
        carried.sums.add(part.sums);
        carried.lines.add(part.lines);
        carried.derived = carried.derived.saturating_add(part.derived);
        self.lines = self.lines.saturating_add(part.derived);
    }

    fn read_the_member(&self) -> bool {
        self.at_files
    }
}

/// Where a file record of `data[0].files` begins in `window`: `{"branches":` or `{"filename":`
/// (the first key llvm-cov writes, by version) right after a comma.
fn file_start(window: &[u8]) -> Option<usize> {
    let after_comma = |i: &usize| json::follows_comma(window, *i);
    let first = |key: &[u8]| memchr::memmem::find_iter(window, key).find(after_comma);
    match (first(b"{\"branches\":"), first(b"{\"filename\":")) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[derive(Clone, Copy, Default)]
struct Totals {
    regions: Option<Counts>,
    instantiations: Option<Counts>,
    mcdc: Option<Counts>,
}

impl Totals {
    fn of(s: &Summary) -> Self {
        let counts = |p: Option<Pair>| p.map(|Pair(c)| c);
        Totals { regions: counts(s.regions), instantiations: counts(s.instantiations), mcdc: counts(s.mcdc) }
    }

    fn add(&mut self, more: Totals) {
        add_counts(&mut self.regions, more.regions);
        add_counts(&mut self.instantiations, more.instantiations);
        add_counts(&mut self.mcdc, more.mcdc);
    }
}

#[derive(Default)]
struct Root {
    kind: Option<String>,
    version: Option<String>,
    data: bool,
}

/// The document: `{"data": [...], "type": ..., "version": ...}`.
struct Top<'a, 's>(&'a mut State<'s>);

impl<'de> Visitor<'de> for Top<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an llvm-cov export object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let state = self.0;
        while let Some(key) = map.next_key::<String>()? {
            state.at_files = false;
            match key.as_str() {
                "data" => {
                    map.next_value_seed(json::Array(DataList(&mut *state)))?;
                    state.root.data = true;
                }
                "type" => state.root.kind = Some(map.next_value()?),
                "version" => state.root.version = Some(map.next_value()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// `data`: one export object per binary set (llvm-cov writes one).
struct DataList<'a, 's>(&'a mut State<'s>);

impl<'de> Visitor<'de> for DataList<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of export objects")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(json::Object(Data(&mut *self.0)))?.is_some() {
            self.0.data += 1;
        }
        Ok(())
    }
}

/// One export object: `files`, `functions`, `totals`. Its files are handed to the sink once
/// the object is complete, with their functions.
struct Data<'a, 's>(&'a mut State<'s>);

impl<'de> Visitor<'de> for Data<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an export object with \"files\"")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let state = self.0;
        // The first export object of a document read in chunks goes on with the files read
        // before it.
        let carried = state.carried.take().unwrap_or_default();
        if state.lines > MAX_LINES {
            return Err(de::Error::custom(format!(
                "the segments describe more than {MAX_LINES} lines; not a real export"
            )));
        }
        let first = state.data == 0;
        let at_files = &mut state.at_files;
        let mut files = FileList::<Lines>::new(&mut state.lines, carried.files, carried.sums, carried.lines);
        let mut groups = Groups::new();
        let mut totals: Option<Summary> = None;
        let mut keys = 0;
        while let Some(key) = map.next_key::<String>()? {
            // Read in chunks only when `files` is the object's first key: what comes before it
            // would be read twice (its totals counted in both documents).
            *at_files = first && keys == 0 && key == "files";
            keys += 1;
            match key.as_str() {
                "files" => map.next_value_seed(json::Array(&mut files))?,
                "functions" => map.next_value_seed(json::Array(FunctionList(&mut groups)))?,
                "totals" => totals = Some(map.next_value()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let (sums, lines) = (files.sums, files.lines);
        for mut detail in files.files {
            let range = (detail.path.clone(), 0, 0)..=(detail.path.clone(), u32::MAX, u32::MAX);
            detail.functions.extend(groups.range(range).map(|(_, f)| f.clone()));
            detail.has_functions |= !detail.functions.is_empty();
            state.sink.file(&mut detail);
        }
        state.file_lines.add(lines);
        match totals {
            Some(t) => {
                state.totals.add(Totals::of(&t));
                if let Some(Pair(l)) = t.lines {
                    state.stated_lines.add(l);
                }
            }
            None => {
                state.stated_lines.add(lines);
                state.totals.add(sums);
            }
        }
        Ok(())
    }
}

/// `files`: each record becomes a [`FileDetail`] as soon as it is read, its segments read as
/// `L`.
struct FileList<'a, L> {
    budget: &'a mut u64,
    files: Vec<FileDetail>,
    /// The files' stated regions, instantiations and MC/DC, for an export without `totals`.
    sums: Totals,
    lines: Counts,
    segments: PhantomData<L>,
}

impl<'a, L> FileList<'a, L> {
    fn new(budget: &'a mut u64, files: Vec<FileDetail>, sums: Totals, lines: Counts) -> Self {
        FileList { budget, files, sums, lines, segments: PhantomData }
    }
}

impl<'de, L: Deserialize<'de> + AsRef<Lines> + Into<Lines>> Visitor<'de> for &mut FileList<'_, L> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of file objects")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(file) = seq.next_element::<FileRec<L>>()? {
            self.add(file).map_err(de::Error::custom)?;
        }
        Ok(())
    }
}

impl<L: AsRef<Lines> + Into<Lines>> FileList<'_, L> {
    /// Adds a file record, within the lines an export may describe.
    fn add(&mut self, file: FileRec<L>) -> Result<(), String> {
        let derived = file.segments.as_ref().map_or(0, |l| l.as_ref().0.len() as u64);
        *self.budget = self.budget.saturating_add(derived);
        if *self.budget > MAX_LINES {
            return Err(format!("the segments describe more than {MAX_LINES} lines; not a real export"));
        }
        if let Some(s) = &file.summary {
            self.sums.add(Totals::of(s));
            if let Some(Pair(l)) = s.lines {
                self.lines.add(l);
            }
        }
        self.files.push(file_detail(file));
        Ok(())
    }
}

/// A file record as a [`FileDetail`]: per-line data, branches, and llvm-cov's own totals.
///
/// Branches are numbered as llvm-cov's LCOV export numbers them: the file's own branch regions
/// and those inside macro expansions (put on the line the macro is used on), sorted by
/// position; per line, `block` counts true/false pairs and `branch` counts outcomes. A pair
/// whose condition was never evaluated (both counts 0) has `taken: None`, LCOV's `-`.
fn file_detail<L: Into<Lines>>(file: FileRec<L>) -> FileDetail {
    let mut detail = FileDetail::new(file.filename);
    if let Some(segments) = file.segments {
        detail.lines = segments.into().0;
    }
    let mut branches: Vec<(u32, u32, u64, u64)> =
        file.branches.iter().map(|b| (b.line, b.column, b.true_count, b.false_count)).collect();
    for e in &file.expansions {
        let line = e.source_region.0;
        branches.extend(e.branches.iter().map(|b| (line, b.column, b.true_count, b.false_count)));
    }
    branches.sort_by_key(|b| (b.0, b.1));
    let (mut line, mut pair, mut outcome) = (0, 0, 0);
    for (l, _, t, f) in branches {
        if l != line {
            (line, pair, outcome) = (l, 0, 0);
        }
        let evaluated = t > 0 || f > 0;
        for taken in [t, f] {
            detail.branches.push(Branch { line, block: pair, branch: outcome, taken: evaluated.then_some(taken) });
            outcome += 1;
        }
        pair += 1;
    }
    let summary = file.summary.unwrap_or_default();
    let stated_branches = summary.branches.map(|p| p.0).filter(|c| c.total > 0);
    detail.has_branches = !detail.branches.is_empty() || stated_branches.is_some();
    detail.has_functions = summary.functions.is_some();
    if file.summary.is_some() {
        detail.summary = Some(SummaryTotals {
            lines: summary.lines.map(|p| p.0),
            branches: stated_branches,
            functions: summary.functions.map(|p| p.0),
        });
    }
    detail
}

/// Unique functions of one export object: instantiations grouped by (main file, start line,
/// start column) as llvm-cov groups them, hit counts summed.
type Groups = BTreeMap<(String, u32, u32), Function>;

/// `functions`, folded into [`Groups`] record by record.
struct FunctionList<'a>(&'a mut Groups);

impl<'de> Visitor<'de> for FunctionList<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of function objects")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(f) = seq.next_element::<FunctionRec>()? {
            // The main file is the first one no expansion region points into.
            let Some(main) =
                (0..f.filenames.len()).find(|&i| u32::try_from(i).is_ok_and(|i| !f.regions.expanded.contains(&i)))
            else {
                continue;
            };
            let (line, col) = f.regions.starts.get(&(main as u32)).copied().unwrap_or((0, 0));
            let mut filenames = f.filenames;
            let key = (filenames.swap_remove(main), line, col);
            let group = self.0.entry(key).or_insert_with(|| Function { name: f.name, line, hits: 0 });
            group.hits = group.hits.saturating_add(f.count.0);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Coverage, CoverageBuilder, DetailSet};

    const FULL: &[u8] = include_bytes!("../../tests/fixtures/coverage/llvm-cov/export-2.0.1.json");
    const SUMMARY_ONLY: &[u8] = include_bytes!("../../tests/fixtures/coverage/llvm-cov/summary-only-3.0.1.json");

    fn read(bytes: &[u8]) -> Result<(Coverage, Meta), ParseError> {
        let mut builder = CoverageBuilder::new();
        let meta = parse(&Source::bytes("coverage.json", bytes), &mut builder)?;
        Ok((builder.finish(), meta))
    }

    fn error(bytes: &[u8]) -> ParseError {
        read(bytes).expect_err("the export should be rejected")
    }

    /// A one-file export whose file record is `file` (the text after `"filename":"a.c",`).
    fn export_with(file: &str) -> Vec<u8> {
        format!(
            "{{\"data\":[{{\"files\":[{{\"filename\":\"a.c\",{file}}}]}}],\
             \"type\":\"llvm.coverage.json.export\",\"version\":\"2.0.1\"}}"
        )
        .into_bytes()
    }

    #[test]
    fn full_export_uses_llvm_covs_totals_and_segments_for_lines() {
        let (cov, meta) = read(FULL).unwrap();
        assert_eq!(cov.files.len(), 2);
        assert_eq!(cov.lines, Counts::new(12, 7));
        assert_eq!(cov.branches, Some(Counts::new(6, 4)));
        assert_eq!(cov.functions, Some(Counts::new(3, 2)));
        let calc = &cov.files[0];
        let bits = calc.line_bits.as_ref().unwrap();
        assert_eq!(bits.uncovered().collect::<Vec<_>>(), vec![7, 8, 11, 12, 13]);
        assert!(!bits.is_coverable(4));
        // llvm-cov 14 counts no line for a macro-only header; its segments still map one.
        let util = &cov.files[1];
        assert_eq!(util.lines, Counts::new(0, 0));
        assert_eq!(util.line_bits.as_ref().unwrap().coverable_count(), 1);
        assert_eq!(meta.extra["regions"], serde_json::json!({"total": 7, "covered": 4}));
        assert_eq!(meta.extra["instantiations"], serde_json::json!({"total": 4, "covered": 3}));
        assert!(!meta.extra.contains_key("mcdc"));
        assert!(meta.notes.is_empty(), "{:?}", meta.notes);
    }

    #[test]
    fn detail_keeps_hits_branch_pairs_and_unique_functions() {
        let mut set = DetailSet::new();
        parse(&Source::bytes("c", FULL), &mut set).unwrap();
        set.sort();
        let calc = &set.files[0];
        assert_eq!(calc.lines.iter().find(|l| l.0 == 6), Some(&(6, 3)));
        let names: Vec<(&str, u32, u64)> = calc.functions.iter().map(|f| (f.name.as_str(), f.line, f.hits)).collect();
        // Two instantiations of clamp start at 5:18: one function, hits summed.
        assert_eq!(names, vec![("add", 1, 5), ("clamp", 5, 5), ("unused", 11, 0)]);
        let on = |line| -> Vec<(u32, u32, Option<u64>)> {
            calc.branches.iter().filter(|b| b.line == line).map(|b| (b.block, b.branch, b.taken)).collect()
        };
        assert_eq!(on(6), vec![(0, 0, Some(1)), (0, 1, Some(2)), (1, 2, Some(0)), (1, 3, Some(1))]);
        // The branch inside the macro is put on the line the macro is used on.
        assert_eq!(on(9), vec![(0, 0, Some(3)), (0, 1, Some(0))]);
    }

    #[test]
    fn summary_only_export_has_totals_and_no_lines() {
        let (cov, meta) = read(SUMMARY_ONLY).unwrap();
        assert_eq!(cov.files.len(), 2);
        assert_eq!(cov.lines, Counts::new(130, 101));
        assert_eq!(cov.functions, Some(Counts::new(13, 11)));
        // Branch coverage was not measured (count 0 everywhere): no data, not 0 %.
        assert_eq!(cov.branches, None);
        assert!(cov.files.iter().all(|f| f.line_bits.is_none()));
        assert_eq!(cov.files[1].lines, Counts::new(10, 0));
        assert_eq!(meta.extra["mcdc"], serde_json::json!({"total": 0, "covered": 0}));
        assert_eq!(meta.extra["regions"], serde_json::json!({"total": 184, "covered": 150}));
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice(SUMMARY_ONLY);
        assert_eq!(read(&bytes).unwrap().0.lines, Counts::new(130, 101));
    }

    /// A count no producer writes — a fraction, a negative count, one past `u64::MAX` — in a
    /// segment, a branch, a function or a summary is an error at its place: never truncated
    /// (`0.5` read as not run, `1.5` as run), never clamped. The largest a counter holds reads.
    #[test]
    fn counts_that_are_not_whole_numbers_are_errors() {
        let mut set = DetailSet::new();
        let bytes = export_with("\"segments\":[[1,1,18446744073709551615,true,true,false]]");
        parse(&Source::bytes("c", bytes), &mut set).unwrap();
        assert_eq!(set.files[0].lines, vec![(1, u64::MAX)]);
        for (count, message) in [
            ("0.5", "hit count 0.5 is not a whole number"),
            ("1.5", "hit count 1.5 is not a whole number"),
            ("-1", "negative hit count -1"),
            ("1e300", "hit count 1e300 is past the largest a counter holds (2^64 - 1)"),
            ("99999999999999999999999", "hit count 1e23 is past the largest a counter holds (2^64 - 1)"),
        ] {
            for file in [
                format!("\"segments\":[[1,1,{count},true,true,false],[2,1,0,false,false,false]]"),
                format!("\"branches\":[[1,2,1,9,{count},0,0,0,4]]"),
                format!("\"summary\":{{\"lines\":{{\"count\":{count},\"covered\":0}}}}"),
            ] {
                let e = error(&export_with(&file));
                assert_eq!((e.line, e.message.as_str()), (Some(1), message), "{file}");
            }
        }
    }

    #[test]
    fn truncated_json_names_where_it_ends() {
        let e = error(&FULL[..FULL.len() / 2]);
        assert!(e.message.starts_with("the JSON ends too early ("), "{e}");
        assert!(e.message.ends_with("): the file is truncated"), "{e}");
        assert!(e.line.is_some() && e.column.is_some());
    }

    #[test]
    fn invalid_utf8_is_an_error_where_it_is_read() {
        let mut bytes = SUMMARY_ONLY.to_vec();
        let at = memchr::memmem::find(&bytes, b"lib.rs").unwrap();
        bytes[at] = 0xff;
        let e = error(&bytes);
        assert_eq!((e.line, e.column), (Some(1), Some(50)));
        assert_eq!(e.message, "a string is not valid UTF-8 (or holds an invalid \\u escape)");
        // Strings temis skips are not checked (serde_json skips them unread).
        let mut bytes = export_with("\"mcdc_records\":[\"?\"]");
        let at = bytes.iter().position(|&b| b == b'?').unwrap();
        bytes[at] = 0xff;
        assert!(read(&bytes).is_ok());
    }

    #[test]
    fn deep_nesting_cannot_overflow_the_stack() {
        // Skipped values are skipped without recursion; typed ones fail at the first
        // unexpected array.
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(read(&export_with(&format!("\"mcdc_records\":{deep}"))).is_ok());
        let e = error(&export_with(&format!("\"segments\":{deep}")));
        assert_eq!((e.line, e.column), (Some(1), Some(51)));
        assert_eq!(e.message, "invalid type: sequence, expected u32");
        let open = format!("{{\"data\":[{{\"files\":[{{\"x\":{}", "[".repeat(100_000));
        let e = error(open.as_bytes());
        assert!(e.message.ends_with("the file is truncated"), "{e}");
    }

    #[test]
    fn negative_counts_are_errors() {
        let e = error(&export_with("\"segments\":[[1,1,-4,true,true,false]]"));
        assert_eq!((e.line, e.message.as_str()), (Some(1), "negative hit count -4"));
        let e = error(&export_with("\"summary\":{\"lines\":{\"count\":-1,\"covered\":0,\"percent\":0}}"));
        assert_eq!(e.message, "negative hit count -1");
    }

    #[test]
    fn wrong_types_and_shapes_are_errors() {
        let e = error(&export_with("\"segments\":[[\"1\",1,4,true,true,false]]"));
        assert!(e.message.starts_with("invalid type: string \"1\", expected u32"), "{e}");
        let e = error(&export_with("\"segments\":[[1,1,4]]"));
        assert!(e.message.starts_with("invalid length 3, expected a segment"), "{e}");
        let e = error(&export_with("\"segments\":{}"));
        assert!(e.message.contains("expected an array of segments"), "{e}");
        let e = error(b"{\"data\":[{\"files\":[{\"summary\":{}}]}]}");
        assert!(e.message.starts_with("missing field `filename`"), "{e}");
        let e = error(b"[1, 2]");
        assert!(e.message.contains("expected an llvm-cov export object"), "{e}");
        assert_eq!((e.line, e.column), (Some(1), Some(1)));
    }

    #[test]
    fn inconsistent_figures_are_errors() {
        let e = error(&export_with("\"summary\":{\"lines\":{\"count\":3,\"covered\":5,\"percent\":100}}"));
        assert!(e.message.starts_with("\"covered\" (5) is more than \"count\" (3)"), "{e}");
        // A figure given as `null` read as absent, and temis counted branches in llvm-cov's place
        // (20.04 % where llvm-cov prints 18.42 %).
        let e = error(&export_with("\"summary\":{\"lines\":{\"count\":3,\"covered\":1},\"branches\":null}"));
        assert!(e.message.contains("invalid type: null"), "{e}");
        let e = error(&export_with("\"segments\":[[5,1,1,true,true,false],[4,1,0,false,false,false]]"));
        assert_eq!(e.message, "segments out of order: line 4 after line 5");
        let e = error(&export_with("\"segments\":[[4294967295,1,1,true,true,false]]"));
        assert!(e.message.contains("past the 16777216 lines"), "{e}");
    }

    #[test]
    fn not_an_export_is_said_so() {
        assert_eq!(error(b"").message, "the file is empty: no report to read");
        let e = error(b"{\"data\":[],\"type\":\"llvm.coverage.json.export\"}");
        assert_eq!(e.message, "the export's \"data\" array is empty: no coverage to read");
        assert_eq!(e.line, None);
        let e = error(b"{\"data\":[{\"files\":[]}],\"type\":\"istanbul\"}");
        assert!(e.message.contains("not an llvm-cov export"), "{e}");
        let e = error(b"{\"files\":[]}");
        assert!(e.message.contains("no \"data\" array"), "{e}");
        let e = error(b"{\"data\":[]} trailing");
        assert!(e.message.starts_with("invalid JSON: trailing characters"), "{e}");
    }

    #[test]
    fn wrapped_line_expansion_is_bounded() {
        // Each file maps 16M lines from two segments; the export as a whole may not exceed
        // MAX_LINES.
        let file = "{\"filename\":\"f\",\"segments\":[[1,1,1,true,true,false],[16777216,1,0,false,false,false]]}";
        let files = [file; 5].join(",");
        let bytes = format!("{{\"data\":[{{\"files\":[{files}]}}]}}");
        let e = error(bytes.as_bytes());
        assert!(e.message.contains("more than 67108864 lines"), "{e}");
    }

    /// The full fixture's files and functions repeated 150 times under other names, read a chunk
    /// of files at a time on 1 to 4 threads: the export read whole (functions attached to files
    /// read in chunks, totals counted once); damaged, or with its files where chunks cannot be
    /// proven, the same too.
    #[test]
    fn a_large_export_read_in_chunks_is_the_export_read_whole() {
        use crate::input::Split;
        let full: serde_json::Value = serde_json::from_slice(FULL).unwrap();
        let (mut files, mut functions) = (Vec::new(), Vec::new());
        for i in 0..150 {
            let rename = |v: &serde_json::Value| {
                serde_json::from_str::<serde_json::Value>(
                    &v.to_string().replace("/src/calc.c", &format!("/src/calc{i}.c")),
                )
                .unwrap()
            };
            files.extend(full["data"][0]["files"].as_array().unwrap().iter().map(rename));
            functions.extend(full["data"][0]["functions"].as_array().unwrap().iter().map(rename));
        }
        let mut doc = full.clone();
        doc["data"][0]["files"] = files.into();
        doc["data"][0]["functions"] = functions.into();
        let doc = doc.to_string();
        let read_split = |bytes: &[u8], split: Split| {
            let mut builder = CoverageBuilder::new();
            let meta = parse(&Source::bytes("coverage.json", bytes).with_split(split), &mut builder)?;
            Ok::<_, ParseError>((builder.finish(), meta))
        };
        let (whole, whole_meta) = read_split(doc.as_bytes(), Split::none()).unwrap();
        assert!(whole.files.len() > 150, "{}", whole.files.len());
        assert!(whole.files.iter().all(|f| f.functions.is_some_and(|c| c.total > 0) || !f.path.contains("calc")));
        for threads in 1..=4 {
            let (chunked, meta) = read_split(doc.as_bytes(), Split { threads, min_len: 0 }).unwrap();
            assert_eq!(chunked.files, whole.files, "{threads} threads");
            assert_eq!(
                (chunked.lines, chunked.branches, chunked.functions),
                (whole.lines, whole.branches, whole.functions)
            );
            assert_eq!((meta.notes, meta.extra), (whole_meta.notes.clone(), whole_meta.extra.clone()));
        }
        let same = |bytes: &[u8]| {
            let whole = read_split(bytes, Split::none()).map(|(c, m)| (c.files, m.notes, m.extra));
            let chunked = read_split(bytes, Split { threads: 2, min_len: 0 }).map(|(c, m)| (c.files, m.notes, m.extra));
            assert_eq!(chunked, whole);
        };
        same(&doc.as_bytes()[..doc.len() - 500]);
        same(doc.replacen(r#""count":5"#, r#""count":-5"#, 1).as_bytes());
        // A count no producer writes, in a segment the fast path would take, a branch, a
        // function, a summary: the same error whole and in chunks.
        for hostile in ["0.5", "1.5", "-1", "1e300", "18446744073709551616", "1e400"] {
            for (from, to) in [
                ("[6,16,1,true,true,false]", format!("[6,16,{hostile},true,true,false]")),
                ("[[6,7,6,12,1,2,0,0,4]", format!("[[6,7,6,12,{hostile},2,0,0,4]")),
                (r#""count":5"#, format!(r#""count":{hostile}"#)),
                (r#""lines":{"count":12"#, format!(r#""lines":{{"count":{hostile}"#)),
            ] {
                let damaged = doc.replacen(from, &to, 1);
                assert_ne!(damaged, doc, "{to}");
                assert!(read_split(damaged.as_bytes(), Split::none()).is_err(), "{to}");
                same(damaged.as_bytes());
                let threads = read_split(damaged.as_bytes(), Split { threads: 4, min_len: 0 }).map(|(c, _)| c.files);
                assert_eq!(threads, read_split(damaged.as_bytes(), Split::none()).map(|(c, _)| c.files), "{to}");
            }
        }
        // The totals before the files: read whole, never counted twice.
        let totals = doc.find(r#","totals":"#).unwrap();
        let end = doc.rfind(r#"}],"type""#).unwrap();
        let moved =
            format!(r#"{{"data":[{{{},{}"#, &doc[totals + 1..end], &doc[r#"{"data":[{"#.len()..totals]) + &doc[end..];
        same(moved.as_bytes());
        // Files of an object of the same depth elsewhere are not the export's.
        same(doc.replacen(r#"{"data":[{"files":["#, r#"{"other":[{"files":[]}],"data":[{"files":["#, 1).as_bytes());
        // Segments not as llvm-cov writes them (a float count, an older 5-field segment, a space),
        // out of order, or past the lines temis accepts: read from memory as one walk reads them.
        for (from, to) in [
            ("[6,16,1,true,true,false]", "[6,16,1.0,true,true,false]"),
            ("[6,16,1,true,true,false]", "[6,16,1,true,true]"),
            ("[6,16,1,true,true,false]", "[6, 16,1,true,true,false]"),
            ("[6,16,1,true,true,false]", "[2,16,1,true,true,false]"),
            ("[6,16,1,true,true,false]", "[6,16,1,1,true,false]"),
            ("[13,2,0,false,false,false]", "[999999999,2,0,false,false,false]"),
        ] {
            let damaged = doc.replacen(from, to, 40);
            assert_ne!(damaged, doc, "{to}");
            same(damaged.as_bytes());
        }
    }

    /// Segments read as written give the lines, or the error, that [`Lines`] gives.
    #[test]
    fn written_segments_read_as_segments() {
        let cases = [
            "[]",
            "[[1,23,5,true,true,false],[3,2,0,false,false,false],[5,18,3,true,true,false]]",
            "[[1,23,5,true,true,false],[3,2,0,false,false,false],[5,18,3,true,true]]",
            "[[1,23,5,true,true,false],[3,2,0,false,false,false,7]]",
            "[[5,1,1,true,true,false],[3,2,0,false,false,false]]",
            "[[5,1,123456789012345678,true,true,false]]",
            "[[5,1,1234567890123456789,true,true,false]]",
            "[[5,1,2.5,true,true,false]]",
            "[[5,1,-2,true,true,false]]",
            "[[999999999,1,2,true,true,false]]",
            "[[16777217,1,2,true,true,false]]",
            "[[4294967296,1,2,true,true,false]]",
            "[[5,1,12345678901234567890123,true,true,false]]",
            "[[5,1,2,true,true,false] ]",
            "[[5,1,2,null,true,false]]",
            "[[5,\"x\",2,true,true,false]]",
            "[[5]]",
            "[5]",
            "{}",
        ];
        for text in cases {
            let written = serde_json::from_str::<WrittenLines>(text).map(|w| w.0.0);
            let lines = serde_json::from_str::<Lines>(text).map(|l| l.0);
            match (&written, &lines) {
                (Ok(w), Ok(l)) => assert_eq!(w, l, "{text}"),
                (Err(w), Err(l)) => assert_eq!(json::error(w).message, json::error(l).message, "{text}"),
                _ => panic!("{text}: written {written:?}, lines {lines:?}"),
            }
        }
        // What llvm-cov writes is read from its bytes.
        assert!(records::written_segments(cases[1].as_bytes()).is_some());
        assert!(records::written_segments(b"[[5,1,2,true,true,false] ]").is_some());
        assert!(records::written_segments(b"[[5,1,2,true,true,false]\x0c]").is_none());
    }

    /// A file record taken from its bytes ([`records::written_file`]) reads as serde reads it,
    /// or is left to serde: llvm-cov's own form is taken, and every look-alike serde reads
    /// otherwise or refuses (leading zeros, a duplicate or escaped key, a control character,
    /// spaces, `null`s, nesting, numbers serde refuses) is either read alike or left.
    #[test]
    fn a_file_record_read_from_its_bytes_reads_as_serde_reads_it() {
        let taken = |text: &str| {
            let serde: Result<records::FileRec<Lines>, _> = serde_json::from_str(text);
            match (records::written_file(text.as_bytes()), serde) {
                (Some((file, after)), Ok(read)) => {
                    assert!(after.is_empty(), "{text}");
                    assert_eq!(file_detail(file), file_detail(read), "{text}");
                    true
                }
                (Some(_), Err(e)) => panic!("taken from its bytes, refused by serde ({e}): {text}"),
                (None, _) => false,
            }
        };
        let segments =
            r#"[[1,5,3,true,true,false],[1,40,3,true,false,false],[2,5,0,true,true,false],[4,1,0,false,false,false]]"#;
        let branches = r#"[[1,8,1,20,4,0,0,0,4],[2,8,2,20,0,0,0,0,4]]"#;
        let summary =
            r#"{"branches":{"count":4,"covered":1,"percent":25.0},"lines":{"count":3,"covered":1,"percent":33.33}}"#;
        let llvm = format!(
            r#"{{"branches":{branches},"expansions":[],"filename":"/src/a.cpp","segments":{segments},"summary":{summary}}}"#
        );
        assert!(taken(&llvm), "llvm-cov's own form is taken");
        let with = |from: &str, to: &str| llvm.replacen(from, to, 1);
        for (text, is_taken) in [
            (format!(r#"{{"filename":"a","segments":{segments}}}"#), true),
            (format!(r#"{{"segments":{segments},"filename":"a","mcdc_records":[[1,{{"x":[1.5e3,-0,"s"]}}]]}}"#), true),
            (r#"{"filename":"a"}"#.to_string(), true),
            (r#"{"filename":"a","summary":null}"#.to_string(), true),
            (with("[1,5,3,", "[01,5,3,"), false),
            (with("[4,1,0,", "[1234567890,1,0,"), false),
            (with("[4,1,0,", "[4,123456789,0,"), true),
            (with("[1,5,3,", "[1,5,03,"), false),
            (with("[1,5,3,", "[1,5,-3,"), false),
            (with("[1,5,3,", "[1,5,3.0,"), false),
            (with("[1,5,3,", "[1,5,1e2,"), false),
            (with("[1,5,3,", "[1,5,1234567890123456789,"), false),
            (with("true,true,false]", "true,true,false,7]"), false),
            (with("true,true,false]", "true,true]"), false),
            (with("true,true,false]", "true,True,false]"), false),
            (with("[2,5,0,", "[0,5,0,"), false),
            (with("\"/src/a.cpp\"", "\"/src/a\\u0041.cpp\""), false),
            (with("\"/src/a.cpp\"", "\"/src/a\t.cpp\""), false),
            (with("\"filename\"", "\"file\\u006eame\""), false),
            (with("\"summary\":", "\"segments\":[],\"summary\":"), false),
            (with("\"summary\":", "\"filename\":\"b\",\"summary\":"), false),
            (with("\"summary\":", "\"f\":\"x\",\"f\":1,\"summary\":"), true),
            (with(",\"summary\"", ", \"summary\""), true),
            (with("\"segments\":", "\"segments\" :"), true),
            (with("\"segments\":[", "\"segments\":null,\"x\":["), false),
            (with("\"expansions\":[]", "\"expansions\":null"), false),
            (with("\"summary\":", &format!("\"x\":{}1{},\"summary\":", "[".repeat(9), "]".repeat(9))), false),
            // Deeper than serde_json reads in the record, not in the member's own bytes.
            (with("\"summary\":", &format!("\"x\":{}1{},\"summary\":", "[".repeat(127), "]".repeat(127))), false),
            (with("\"summary\":", "\"x\":[[[[[[[1]]]]]]],\"summary\":"), true),
            (with("\"summary\":", "\"x\":01,\"summary\":"), false),
            (with("\"summary\":", "\"x\":[1,],\"summary\":"), false),
            (with("\"summary\":", "\"x\":\"a\\\"b\",\"summary\":"), true),
            (with("\"covered\":1,", "\"covered\":5,"), false),
            (with("\"filename\":\"/src/a.cpp\",", ""), false),
            (with("[2,5,0,true,true,false],", ""), true),
        ] {
            assert_eq!(taken(&text), is_taken, "{text}");
        }
    }
}
