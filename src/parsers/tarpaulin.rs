//! cargo-tarpaulin JSON (`cargo tarpaulin --out Json` ⇒ `tarpaulin-report.json`).
//!
//! tarpaulin's figure is "covered/coverable": coverable units over all traces, where a `Line`
//! trace is one unit (covered when its count is above zero), a `Branch` trace two (its true
//! and false outcomes) and a `Condition` trace two per sub-condition. Each file's `covered` and
//! `coverable` are that figure and are given as the file's stated line totals; a file without
//! them is counted the same way from its traces. Every file entry is a file, including those
//! with nothing coverable (module files that only declare submodules).
//!
//! Per-line data comes from `Line` traces; `Branch` and `Condition` traces (tarpaulin marks
//! branch coverage as not implemented, so real reports have none) also become branch records,
//! one per outcome. `path` is an array of path components (`["/", "home", …]` on Unix,
//! `["C:", "\\", …]` on Windows), joined with `/`. Each file's `content` (its whole source) and
//! the traces' `address` lists are skipped while reading. Counts are whole numbers from 0 to
//! `u64::MAX`: a fraction, a negative count or one past `u64::MAX` is an error at its place.

use std::collections::HashMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::input::Source;
use crate::model::{Branch, Counts, FileDetail, Sink, SummaryTotals};
use crate::parsers::Meta;
use crate::parsers::ParseError;
use crate::parsers::json::{self, Count};

/// The highest line number accepted (a source file of 16 million lines).
pub const MAX_LINE: u32 = 1 << 24;

/// tarpaulin writes `"path": [` (a path as an array of components) and `"traces"`.
pub fn looks_like(body: &[u8]) -> bool {
    let has = |k: &[u8]| memchr::memmem::find(body, k).is_some();
    if has(b"\"traces\"") && has(b"\"coverable\"") {
        return true;
    }
    let mut rest = body;
    while let Some(i) = memchr::memmem::find(rest, b"\"path\"") {
        let after = rest[i + 6..].trim_ascii_start();
        if let Some(after) = after.strip_prefix(b":")
            && after.trim_ascii_start().first() == Some(&b'[')
        {
            return true;
        }
        rest = &rest[i + 6..];
    }
    false
}

/// Reads `input` into `sink`.
pub fn parse(input: &Source, sink: &mut dyn Sink) -> Result<Meta, ParseError> {
    let mut state = State { sink, lines: Counts::default(), disagreeing: 0 };
    let root = json::read(input, json::Object(Top(&mut state)))?;
    if !root.files {
        return Err(ParseError::whole("no \"files\" array: not a tarpaulin report"));
    }
    let mut meta = Meta::default();
    if state.disagreeing > 0 {
        meta.notes.push(format!(
            "{} file(s) state covered/coverable figures that differ from their traces; temis \
             uses the stated figures",
            state.disagreeing
        ));
    }
    if let (Some(covered), Some(coverable)) = (root.covered, root.coverable)
        && Counts::new(coverable, covered) != state.lines
    {
        meta.notes.push(format!(
            "the report states {covered} of {coverable} covered but its files add up to \
                 {} of {}; temis uses the files",
            state.lines.covered, state.lines.total
        ));
    }
    Ok(meta)
}

struct State<'s> {
    sink: &'s mut dyn Sink,
    lines: Counts,
    disagreeing: u64,
}

struct Root {
    files: bool,
    covered: Option<u64>,
    coverable: Option<u64>,
}

/// The document: `{"files": [...], "coverage": …, "covered": …, "coverable": …}`.
struct Top<'a, 's>(&'a mut State<'s>);

impl<'de> Visitor<'de> for Top<'_, '_> {
    type Value = Root;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a tarpaulin report object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Root, A::Error> {
        let mut root = Root { files: false, covered: None, coverable: None };
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "files" => {
                    map.next_value_seed(json::Array(FileList(&mut *self.0)))?;
                    root.files = true;
                }
                "covered" => root.covered = Some(map.next_value::<Count>()?.0),
                "coverable" => root.coverable = Some(map.next_value::<Count>()?.0),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(root)
    }
}

/// `files`: each entry goes to the sink as soon as it is read.
struct FileList<'a, 's>(&'a mut State<'s>);

impl<'de> Visitor<'de> for FileList<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of file objects")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let state = self.0;
        while let Some(file) = seq.next_element::<SourceFile>()? {
            let mut detail = file_detail(file, &mut state.disagreeing).map_err(de::Error::custom)?;
            if let Some(SummaryTotals { lines: Some(l), .. }) = detail.summary {
                state.lines.add(l);
            }
            state.sink.file(&mut detail);
        }
        Ok(())
    }
}

/// One `files[]` entry; `content` is skipped.
#[derive(Deserialize)]
struct SourceFile {
    path: Vec<String>,
    #[serde(default)]
    traces: Vec<Trace>,
    covered: Option<Count>,
    coverable: Option<Count>,
}

/// One trace; `address`, `length` and `fn_name` are skipped.
#[derive(Deserialize)]
struct Trace {
    line: LineNo,
    stats: Stat,
}

#[derive(Deserialize)]
enum Stat {
    Line(Count),
    Branch(Logic),
    Condition(Vec<Logic>),
}

#[derive(Clone, Copy, Deserialize)]
struct Logic {
    been_true: bool,
    been_false: bool,
}

/// A line number from 1 to [`MAX_LINE`].
struct LineNo(u32);

impl<'de> Deserialize<'de> for LineNo {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = u64::deserialize(d)?;
        match u32::try_from(n) {
            Ok(line @ 1..=MAX_LINE) => Ok(LineNo(line)),
            _ if n == 0 => Err(de::Error::custom("line 0 in a trace")),
            _ => {
                Err(de::Error::custom(format!("line {n} is past the {MAX_LINE} lines temis accepts for a source file")))
            }
        }
    }
}

/// A file entry as a [`FileDetail`] with tarpaulin's own covered/coverable as its line totals.
/// What is wrong with one file entry of a tarpaulin report.
#[derive(Debug, thiserror::Error)]
enum BadFile {
    #[error("\"covered\" ({covered}) is more than \"coverable\" ({total})")]
    CoveredAboveCoverable { covered: u64, total: u64 },
    #[error("a file entry has an empty \"path\"")]
    EmptyPath,
}

fn file_detail(file: SourceFile, disagreeing: &mut u64) -> Result<FileDetail, BadFile> {
    let mut detail = FileDetail::new(join_path(&file.path)?);
    let mut units = Counts::default();
    let mut next_block: HashMap<u32, u32> = HashMap::new();
    for Trace { line: LineNo(line), stats } in file.traces {
        let logic: &[Logic] = match &stats {
            Stat::Line(Count(hits)) => {
                units.add(Counts::new(1, u64::from(*hits > 0)));
                detail.lines.push((line, *hits));
                continue;
            }
            Stat::Branch(l) => std::slice::from_ref(l),
            Stat::Condition(c) => c,
        };
        let block = next_block.entry(line).or_insert(0);
        for l in logic {
            let covered = u64::from(l.been_true) + u64::from(l.been_false);
            units.add(Counts::new(2, covered));
            for (branch, taken) in [(0, l.been_true), (1, l.been_false)] {
                detail.branches.push(Branch { line, block: *block, branch, taken: Some(u64::from(taken)) });
            }
            *block += 1;
        }
    }
    let lines = match (file.coverable, file.covered) {
        (Some(Count(total)), Some(Count(covered))) if covered > total => {
            return Err(BadFile::CoveredAboveCoverable { covered, total });
        }
        (Some(Count(total)), Some(Count(covered))) => {
            let stated = Counts::new(total, covered);
            if stated != units {
                *disagreeing += 1;
            }
            stated
        }
        _ => units,
    };
    detail.has_branches = !detail.branches.is_empty();
    detail.summary = Some(SummaryTotals { lines: Some(lines), branches: None, functions: None });
    Ok(detail)
}

/// `["/", "home", "u", "x.rs"]` ⇒ `/home/u/x.rs`; `["C:", "\\", "src", "x.rs"]` ⇒ `C:/src/x.rs`.
fn join_path(components: &[String]) -> Result<String, BadFile> {
    let mut path = String::new();
    for c in components {
        if c == "/" || c == "\\" {
            if !path.ends_with('/') {
                path.push('/');
            }
            continue;
        }
        if c.is_empty() {
            continue;
        }
        if !path.is_empty() && !path.ends_with('/') {
            path.push('/');
        }
        path.push_str(c);
    }
    if path.is_empty() {
        return Err(BadFile::EmptyPath);
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Coverage, CoverageBuilder, DetailSet};

    const REPORT: &[u8] = include_bytes!("../../tests/fixtures/coverage/tarpaulin/tarpaulin-report.json");
    const ROOT: &str = "/tmp/corpus-work/rust-inflector/Inflector-0.11.4/src";

    fn read(bytes: &[u8]) -> Result<(Coverage, Meta), ParseError> {
        let mut builder = CoverageBuilder::new();
        let meta = parse(&Source::bytes("tarpaulin-report.json", bytes), &mut builder)?;
        Ok((builder.finish(), meta))
    }

    fn error(bytes: &[u8]) -> ParseError {
        read(bytes).expect_err("the report should be rejected")
    }

    fn one_file(file: &str) -> Vec<u8> {
        format!("{{\"files\":[{{\"path\":[\"/\",\"a.rs\"],\"content\":\"\",{file}}}]}}").into_bytes()
    }

    #[test]
    fn totals_are_tarpaulins_and_empty_files_count() {
        let (cov, meta) = read(REPORT).unwrap();
        assert_eq!(cov.files.len(), 3);
        assert_eq!(cov.lines, Counts::new(13, 8));
        let paths: Vec<&str> = cov.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            vec![
                format!("{ROOT}/branchy.rs"),
                format!("{ROOT}/cases/mod.rs"),
                format!("{ROOT}/string/demodulize/mod.rs")
            ]
        );
        let empty = &cov.files[1];
        assert_eq!((empty.lines, empty.line_bits.is_none()), (Counts::new(0, 0), true));
        let demodulize = &cov.files[2];
        assert_eq!(demodulize.lines, Counts::new(5, 4));
        let bits = demodulize.line_bits.as_ref().unwrap();
        assert_eq!(bits.uncovered().collect::<Vec<_>>(), vec![44]);
        assert!(meta.notes.is_empty(), "{:?}", meta.notes);
    }

    #[test]
    fn branch_and_condition_traces_count_two_units_each_outcome_pair() {
        let (cov, _) = read(REPORT).unwrap();
        let branchy = &cov.files[0];
        // Lines 1 and 3, a branch (2 units) and a two-part condition (4 units).
        assert_eq!(branchy.lines, Counts::new(8, 4));
        assert_eq!(branchy.branches, Some(Counts::new(6, 3)));
        let mut set = DetailSet::new();
        parse(&Source::bytes("t", REPORT), &mut set).unwrap();
        set.sort();
        let b: Vec<(u32, u32, u32, Option<u64>)> =
            set.files[0].branches.iter().map(|b| (b.line, b.block, b.branch, b.taken)).collect();
        assert_eq!(
            b,
            vec![
                (2, 0, 0, Some(1)),
                (2, 0, 1, Some(0)),
                (2, 1, 0, Some(1)),
                (2, 1, 1, Some(1)),
                (2, 2, 0, Some(0)),
                (2, 2, 1, Some(0))
            ]
        );
        assert_eq!(set.files[0].lines, vec![(1, 3), (3, 0)]);
    }

    #[test]
    fn paths_are_joined_from_components() {
        let path = |c: &[&str]| join_path(&c.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(path(&["/", "home", "u", "x.rs"]).unwrap(), "/home/u/x.rs");
        assert_eq!(path(&["C:", "\\", "src", "x.rs"]).unwrap(), "C:/src/x.rs");
        assert_eq!(path(&["src", "lib.rs"]).unwrap(), "src/lib.rs");
        assert_eq!(path(&[]).unwrap_err().to_string(), "a file entry has an empty \"path\"");
    }

    #[test]
    fn stated_figures_win_over_traces_with_a_note() {
        let (cov, meta) = read(&one_file(
            "\"traces\":[{\"line\":1,\"address\":[],\"length\":1,\"stats\":{\"Line\":1}}],\
             \"covered\":1,\"coverable\":2",
        ))
        .unwrap();
        assert_eq!(cov.lines, Counts::new(2, 1));
        assert_eq!(meta.notes.len(), 1, "{:?}", meta.notes);
    }

    #[test]
    fn files_without_stated_figures_are_counted_from_traces() {
        let (cov, _) = read(&one_file(
            "\"traces\":[{\"line\":1,\"stats\":{\"Line\":18446744073709551615}},\
             {\"line\":2,\"stats\":{\"Line\":0}}]",
        ))
        .unwrap();
        assert_eq!(cov.lines, Counts::new(2, 1));
    }

    /// A trace count or a stated figure no producer writes is an error at its place: never
    /// truncated (`0.5` as not run, `1.5` as run), never clamped.
    #[test]
    fn counts_that_are_not_whole_numbers_are_errors() {
        for (count, message) in [
            ("0.5", "hit count 0.5 is not a whole number"),
            ("1.5", "hit count 1.5 is not a whole number"),
            ("-1", "negative hit count -1"),
            ("99999999999999999999999", "hit count 1e23 is past the largest a counter holds (2^64 - 1)"),
        ] {
            let e = error(&one_file(&format!("\"traces\":[{{\"line\":1,\"stats\":{{\"Line\":{count}}}}}]")));
            assert_eq!((e.line, e.message.as_str()), (Some(1), message), "{count}");
            let e = error(&one_file(&format!("\"covered\":{count},\"coverable\":2")));
            assert_eq!(e.message, message, "{count}");
        }
    }

    #[test]
    fn hostile_reports_are_rejected_with_their_position() {
        assert_eq!(error(b"").message, "the file is empty: no report to read");
        let e = error(&REPORT[..REPORT.len() - 40]);
        assert!(e.message.starts_with("the JSON ends too early ("), "{e}");
        assert!(e.message.ends_with("): the file is truncated"), "{e}");
        let e = error(&one_file("\"traces\":[{\"line\":1,\"stats\":{\"Line\":-2}}]"));
        assert_eq!((e.line, e.message.as_str()), (Some(1), "negative hit count -2"));
        let e = error(&one_file("\"traces\":[{\"line\":0,\"stats\":{\"Line\":2}}]"));
        assert_eq!(e.message, "line 0 in a trace");
        let e = error(&one_file("\"traces\":[{\"line\":99999999999,\"stats\":{\"Line\":2}}]"));
        assert!(e.message.contains("past the 16777216 lines"), "{e}");
        let e = error(&one_file("\"traces\":[{\"line\":1,\"stats\":{\"Lines\":2}}]"));
        assert!(e.message.starts_with("unknown variant `Lines`"), "{e}");
        let e = error(&one_file("\"covered\":3,\"coverable\":2"));
        assert!(e.message.starts_with("\"covered\" (3) is more than \"coverable\" (2)"), "{e}");
        let e = error(b"{\"files\":[{\"path\":\"/a.rs\"}]}");
        assert!(e.message.starts_with("invalid type: string \"/a.rs\", expected a sequence"), "{e}");
        let e = error(b"{\"files\":[{\"path\":[]}]}");
        assert!(e.message.starts_with("a file entry has an empty \"path\""), "{e}");
        let e = error(b"{\"coverage\":1.0}");
        assert_eq!((e.line, e.message.as_str()), (None, "no \"files\" array: not a tarpaulin report"));
        let mut bytes = one_file("\"traces\":[]");
        let at = memchr::memmem::find(&bytes, b"a.rs").unwrap();
        bytes[at] = 0xff;
        assert!(error(&bytes).message.contains("not valid UTF-8"));
    }

    #[test]
    fn an_empty_report_has_no_files() {
        let (cov, _) = read(b"{\"files\":[],\"coverage\":0.0,\"covered\":0,\"coverable\":0}").unwrap();
        assert!(cov.files.is_empty());
    }
}
