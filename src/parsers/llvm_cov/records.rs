//! The llvm-cov export's records, typed, with what temis does not need skipped while reading.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, SeqAccess, Visitor};

use super::lines::{LineWalker, MAX_LINE, Segment};
use crate::model::Counts;
use crate::parsers::json::{self, Count};

/// One `files[]` entry, its `segments` read as `L` ([`Lines`], or [`WrittenLines`] from
/// memory); `mcdc_records` is skipped.
#[derive(Deserialize)]
#[serde(bound(deserialize = "L: Deserialize<'de>"))]
pub(super) struct FileRec<L> {
    pub filename: String,
    #[serde(default)]
    pub segments: Option<L>,
    #[serde(default)]
    pub branches: Vec<BranchRec>,
    #[serde(default)]
    pub expansions: Vec<ExpansionRec>,
    #[serde(default)]
    pub summary: Option<Summary>,
}

/// One `expansions[]` entry (a macro use): the branches inside it, nested expansions included,
/// and where it is used; `target_regions` is skipped.
#[derive(Deserialize)]
pub(super) struct ExpansionRec {
    pub source_region: RegionStart,
    #[serde(default)]
    pub branches: Vec<BranchRec>,
}

const REGION: &str = "a region [line, col, endLine, endCol, count, fileId, expandedFileId, kind]";

/// The start line of a region array.
pub(super) struct RegionStart(pub u32);

impl<'de> Deserialize<'de> for RegionStart {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RegionStart;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(REGION)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RegionStart, A::Error> {
                let line = line_number(field(&mut seq, 0, REGION)?)?;
                rest(&mut seq)?;
                Ok(RegionStart(line))
            }
        }
        d.deserialize_seq(V)
    }
}

/// `segments`, folded into mapped lines as they are read.
pub(super) struct Lines(pub Vec<(u32, u64)>);

impl<'de> Deserialize<'de> for Lines {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Lines;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array of segments")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Lines, A::Error> {
                let mut walker = LineWalker::new();
                while let Some(SegmentRec(s)) = seq.next_element()? {
                    walker.push(s).map_err(de::Error::custom)?;
                }
                Ok(Lines(walker.finish()))
            }
        }
        d.deserialize_seq(V)
    }
}

impl AsRef<Lines> for Lines {
    fn as_ref(&self) -> &Lines {
        self
    }
}

/// `segments` read from memory as written: when every segment is written
/// `[line,col,count,hasCount,isRegionEntry,isGapRegion]` with whole numbers (up to 9, 9 and 18
/// digits) and `true`/`false`, nothing else and no space within, as llvm-cov writes them (JSON
/// whitespace between the segments is skipped, as serde skips it), the array is
/// read from its bytes; any other, or one that does not fold ([`LineWalker`]: out of order, past
/// the lines accepted), is read as [`Lines`], which gives the same lines or the error. serde_json
/// checks the text as it skips it.
pub(super) struct WrittenLines(pub Lines);

impl<'de> Deserialize<'de> for WrittenLines {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        json::written(d, |raw| written_segments(raw.as_bytes()), |lines: Lines| lines.0)
            .map(|lines| WrittenLines(Lines(lines)))
    }
}

impl AsRef<Lines> for WrittenLines {
    fn as_ref(&self) -> &Lines {
        &self.0
    }
}

impl From<WrittenLines> for Lines {
    fn from(written: WrittenLines) -> Lines {
        written.0
    }
}

/// The lines of a `segments` array written as [`WrittenLines`] says, folded; `None` when it is
/// written otherwise, or folding it fails (read through serde, it fails in the same place).
pub(super) fn written_segments(raw: &[u8]) -> Option<Vec<(u32, u64)>> {
    written_segments_at(raw).filter(|(_, after)| after.is_empty()).map(|(lines, _)| lines.0)
}

/// [`written_segments`] of the array at the start of `text`, and the text after it.
fn written_segments_at(text: &[u8]) -> Option<(Lines, &[u8])> {
    let mut walker = LineWalker::new();
    let after = json::written_items_at(text, |item| {
        let (line, after) = json::written_whole(item.strip_prefix(b"[")?, 9)?;
        let (_, after) = json::written_whole(after.strip_prefix(b",")?, 9)?;
        let (count, after) = json::written_whole(after.strip_prefix(b",")?, 18)?;
        let (has_count, after) = json::written_bool(after.strip_prefix(b",")?)?;
        let (is_entry, after) = json::written_bool(after.strip_prefix(b",")?)?;
        let (is_gap, after) = json::written_bool(after.strip_prefix(b",")?)?;
        walker.push(Segment { line: line as u32, count, has_count, is_entry, is_gap }).ok()?;
        after.strip_prefix(b"]")
    })?;
    Some((Lines(walker.finish()), after))
}

/// The file record at the start of `text`, read from its bytes when it is written as llvm-cov
/// writes it (members in any order, each once, JSON whitespace between them skipped; `filename`
/// a string with no escape; `segments` as [`WrittenLines`] reads them), and the text after it:
/// serde_json then never walks the segments, nearly all of a record's bytes. The other members
/// are read by serde from their own bytes ([`json::written_value`]), as the types [`FileRec`]
/// holds; an unknown one is checked and skipped, as serde skips it. `None` for any other form, or
/// anything serde or the folding of segments refuses: the caller reads the records through serde,
/// which gives the same files, or the error.
pub(super) fn written_file(text: &[u8]) -> Option<(FileRec<WrittenLines>, &[u8])> {
    let (mut filename, mut segments, mut branches, mut expansions, mut summary) = (None, None, None, None, None);
    let after = json::written_members(text, |key, value| match key {
        b"filename" => json::written_once(&mut filename, json::written_str(value)?),
        b"segments" => json::written_once(&mut segments, written_segments_at(value)?),
        b"branches" => json::written_once(&mut branches, json::written_value(value)?),
        b"expansions" => json::written_once(&mut expansions, json::written_value(value)?),
        b"summary" => json::written_once(&mut summary, json::written_value::<Option<Summary>>(value)?),
        _ => json::written_value::<IgnoredAny>(value).map(|(_, after)| after),
    })?;
    let filename = String::from_utf8(filename?.to_vec()).ok()?;
    let file = FileRec {
        filename,
        segments: segments.map(WrittenLines),
        branches: branches.unwrap_or_default(),
        expansions: expansions.unwrap_or_default(),
        summary: summary.flatten(),
    };
    Some((file, after))
}

/// Reads the next element of a record array, or fails naming what the record should hold.
fn field<'de, A: SeqAccess<'de>, T: Deserialize<'de>>(
    seq: &mut A,
    index: usize,
    shape: &'static str,
) -> Result<T, A::Error> {
    seq.next_element()?.ok_or_else(|| de::Error::invalid_length(index, &shape))
}

/// Skips what later export versions may append to a record array.
fn rest<'de, A: SeqAccess<'de>>(seq: &mut A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

fn line_number<E: de::Error>(line: u32) -> Result<u32, E> {
    if line > MAX_LINE {
        return Err(E::custom(format!("line {line} is past the {MAX_LINE} lines temis accepts for a source file")));
    }
    Ok(line)
}

/// `[line, col, count, hasCount, isRegionEntry, isGapRegion]`; older exports end before
/// `isGapRegion`, later ones may add more.
struct SegmentRec(Segment);

impl<'de> Deserialize<'de> for SegmentRec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        const SHAPE: &str = "a segment [line, col, count, hasCount, isRegionEntry, isGapRegion]";
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = SegmentRec;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(SHAPE)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<SegmentRec, A::Error> {
                let line: u32 = field(&mut seq, 0, SHAPE)?;
                field::<_, IgnoredAny>(&mut seq, 1, SHAPE)?;
                let Count(count) = field(&mut seq, 2, SHAPE)?;
                let has_count = field(&mut seq, 3, SHAPE)?;
                let is_entry = field(&mut seq, 4, SHAPE)?;
                let is_gap = seq.next_element()?.unwrap_or(false);
                rest(&mut seq)?;
                Ok(SegmentRec(Segment { line, count, has_count, is_entry, is_gap }))
            }
        }
        d.deserialize_seq(V)
    }
}

/// `[line, col, endLine, endCol, trueCount, falseCount, fileId, expandedFileId, kind]`.
pub(super) struct BranchRec {
    pub line: u32,
    pub column: u32,
    pub true_count: u64,
    pub false_count: u64,
}

impl<'de> Deserialize<'de> for BranchRec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        const SHAPE: &str = "a branch [line, col, endLine, endCol, trueCount, falseCount, …]";
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = BranchRec;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(SHAPE)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<BranchRec, A::Error> {
                let line = line_number(field(&mut seq, 0, SHAPE)?)?;
                let column = field(&mut seq, 1, SHAPE)?;
                field::<_, IgnoredAny>(&mut seq, 2, SHAPE)?;
                field::<_, IgnoredAny>(&mut seq, 3, SHAPE)?;
                let Count(true_count) = field(&mut seq, 4, SHAPE)?;
                let Count(false_count) = field(&mut seq, 5, SHAPE)?;
                rest(&mut seq)?;
                Ok(BranchRec { line, column, true_count, false_count })
            }
        }
        d.deserialize_seq(V)
    }
}

/// A `summary` or `totals` object; `percent` and `notcovered` are not needed. A figure may be
/// absent (older llvm-cov writes no `branches`, no `mcdc`), never `null`: llvm-cov writes every
/// figure it has as an object, and a `null` one read as absent had temis count in its place.
#[derive(Clone, Copy, Default, Deserialize)]
pub(super) struct Summary {
    #[serde(default, deserialize_with = "present")]
    pub lines: Option<Pair>,
    #[serde(default, deserialize_with = "present")]
    pub functions: Option<Pair>,
    #[serde(default, deserialize_with = "present")]
    pub instantiations: Option<Pair>,
    #[serde(default, deserialize_with = "present")]
    pub regions: Option<Pair>,
    #[serde(default, deserialize_with = "present")]
    pub branches: Option<Pair>,
    #[serde(default, deserialize_with = "present")]
    pub mcdc: Option<Pair>,
}

/// A summary figure that is there: an object (`null` is an error).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Pair>, D::Error> {
    Pair::deserialize(d).map(Some)
}

/// `{"count": n, "covered": m, …}` with `m <= n`.
#[derive(Clone, Copy, Deserialize)]
#[serde(try_from = "RawPair")]
pub(super) struct Pair(pub Counts);

#[derive(Deserialize)]
struct RawPair {
    count: Count,
    covered: Count,
}

/// A summary pair whose covered figure is above its count.
#[derive(Debug, thiserror::Error)]
#[error("\"covered\" ({covered}) is more than \"count\" ({count})")]
pub(super) struct CoveredAboveCount {
    covered: u64,
    count: u64,
}

impl TryFrom<RawPair> for Pair {
    type Error = CoveredAboveCount;
    fn try_from(raw: RawPair) -> Result<Self, CoveredAboveCount> {
        if raw.covered.0 > raw.count.0 {
            return Err(CoveredAboveCount { covered: raw.covered.0, count: raw.count.0 });
        }
        Ok(Pair(Counts::new(raw.count.0, raw.covered.0)))
    }
}

/// One `functions[]` entry; `branches` and `mcdc_records` are skipped.
#[derive(Deserialize)]
pub(super) struct FunctionRec {
    pub name: String,
    pub count: Count,
    #[serde(default)]
    pub filenames: Vec<String>,
    #[serde(default)]
    pub regions: Regions,
}

/// What grouping needs from a function's regions: the file ids expansion regions point into,
/// and where each file id's first region starts.
#[derive(Default)]
pub(super) struct Regions {
    pub expanded: BTreeSet<u32>,
    pub starts: BTreeMap<u32, (u32, u32)>,
}

impl<'de> Deserialize<'de> for Regions {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Regions;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array of regions")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Regions, A::Error> {
                let mut regions = Regions::default();
                while seq.next_element_seed(json::Array(&mut regions))?.is_some() {}
                Ok(regions)
            }
        }
        d.deserialize_seq(V)
    }
}

/// One region, folded into the function's [`Regions`].
impl<'de> Visitor<'de> for &mut Regions {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(REGION)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        const EXPANSION: u32 = 1;
        let line = line_number(field(&mut seq, 0, REGION)?)?;
        let col: u32 = field(&mut seq, 1, REGION)?;
        for i in 2..5 {
            field::<_, IgnoredAny>(&mut seq, i, REGION)?;
        }
        let file_id: u32 = field(&mut seq, 5, REGION)?;
        let expanded_id: u32 = field(&mut seq, 6, REGION)?;
        let kind: u32 = field(&mut seq, 7, REGION)?;
        rest(&mut seq)?;
        if kind == EXPANSION {
            self.expanded.insert(expanded_id);
        }
        self.starts.entry(file_id).or_insert((line, col));
        Ok(())
    }
}
