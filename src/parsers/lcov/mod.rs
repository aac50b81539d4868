//! LCOV tracefiles (geninfo, lcov 1.x and 2.x, llvm-cov, Istanbul, coverage.py, c8…).
//!
//! A record that states `LF`/`LH` (and `BRF`/`BRH`, `FNF`/`FNH`) gives the producer's own totals
//! (llvm-cov writes `DA` records its own count leaves out); other records are counted from their
//! `DA`/`BRDA`/`FN` records the way `lcov --summary` does. Repeated `SF` records of one file are
//! merged the way lcov 1.16 merges them, and recounted: line hits summed per line, branches summed
//! per (line, block, branch), functions per name.
//!
//! The reader streams, 64 bytes at a time (`scan`). Into a [`CoverageBuilder`] it keeps two bits
//! per line (`tally`), only notes branch and function records while records state their totals,
//! and keeps the byte range of each record: the records of files given more than once, and a
//! record whose branches or functions turn out to be needed, are read again in full.

mod record;
mod scan;
mod section;
mod tally;
mod writer;

pub use writer::{Writer, writer};

use self::section::{Event, Section};
use self::tally::Pending;
use crate::input::Source;
use crate::model::{Counts, CoverageBuilder, FileDetail, Sink};
use crate::parsers::Meta;
use crate::parsers::ParseError;
use crate::parsers::text::LineReader;

/// Whether one of the first 200 lines of a text report is an LCOV record.
pub fn looks_like(body: &[u8]) -> bool {
    body.split(|&b| b == b'\n').take(200).any(|l| {
        let l = l.trim_ascii();
        l.starts_with(b"SF:") || l == b"end_of_record" || l.starts_with(b"DA:") || l.starts_with(b"TN:")
    })
}

/// Reads `input` into `sink`.
///
/// A large input summarized into a [`CoverageBuilder`] is cut at `SF:` lines into pieces
/// ([`Source::cuts`]), each read by its own thread into its own builder, and the builders are
/// folded together. Files whose records fall into several pieces are re-merged exactly, as
/// repeated records always are.
pub fn parse(input: &Source, sink: &mut dyn Sink) -> Result<Meta, ParseError> {
    let writer = writer(input.head());
    let trust = writer.states_its_own();
    let pieces = match sink.as_builder() {
        Some(_) => input.cuts(|window| memchr::memmem::find(window, b"\nSF:").map(|i| i + 1)),
        None => Vec::new(),
    };
    let mut acc = if pieces.len() > 1 {
        let builder = sink.as_builder().expect("checked above");
        parse_pieces(input, &pieces, builder, trust)?
    } else {
        parse_range(input, 0, input.len(), sink, trust)?
    };
    if acc.stats.sections == 0 && acc.stats.records == 0 {
        return Err(ParseError::whole("no LCOV records (expected SF:, DA:, end_of_record lines)"));
    }
    if acc.stats.cut {
        // lcov drops such a record; half a record is no figure either: the file was cut.
        return Err(ParseError::whole(
            "the file ends inside a record, with no end_of_record line: the report is cut short; write it again",
        ));
    }

    // Files given in several records: merge them again, exactly, from their bytes; a record whose
    // branches were only counted, when it turned out to need them, is read again the same way.
    let again = match sink.as_builder() {
        Some(builder) => read_again(builder, std::mem::take(&mut acc.spans), &acc.inexact),
        None => Vec::new(),
    };
    for (path, list) in again {
        let mut merged = FileDetail::new(path);
        let single = list.len() == 1;
        for (from, to) in list {
            let bytes = input.bytes_at(from, to).map_err(|e| ParseError::io(&e))?;
            let mut section = Section::new(false, trust);
            let mut scratch = Stats::default();
            let mut reread = LineReader::new(&bytes[..]);
            while let Some(line) = reread.next_line()? {
                section.record(line, 0, &mut scratch)?;
            }
            section.close(&mut scratch);
            if single {
                merged = std::mem::take(&mut section.detail);
            } else {
                merged.merge(&section.detail);
            }
        }
        sink.replace(&mut merged);
    }
    let stats = acc.stats;
    let mut meta = Meta::default();
    if stats.unterminated > 0 {
        meta.notes.push(format!(
            "{} record(s) had no end_of_record line; their data was kept (lcov would drop it)",
            stats.unterminated
        ));
    }
    if stats.summary_only > 0 {
        meta.notes.push(format!(
            "{} file record(s) had no DA records, only LF/LH totals ({} of {} lines): lcov --summary counts \
             nothing for them, and neither does temis",
            stats.summary_only, stats.stated_only.covered, stats.stated_only.total
        ));
    }
    if stats.line_zero > 0 {
        meta.notes.push(format!("{} record(s) with line number 0 were skipped (lcov rejects them)", stats.line_zero));
    }
    for (k, (what, found, hit)) in
        [("lines", "LF", "LH"), ("branches", "BRF", "BRH"), ("functions", "FNF", "FNH")].into_iter().enumerate()
    {
        if stats.disagreeing[k] == 0 {
            continue;
        }
        let (said, counted) = (stats.stated[k], stats.counted[k]);
        // The producer's own figures used (llvm-cov's, gcovr's): said, as what temis did; a
        // file whose totals and records disagree otherwise: a warning the gate says too.
        let (used, warning) = if trust && stats.trusted > 0 {
            (format!("temis uses the stated totals: {}", writer.printer()), "")
        } else {
            ("temis counts the records, as lcov --summary does".to_string(), crate::model::WARNING)
        };
        meta.notes.push(format!(
            "{warning}{} file(s) state {found}/{hit} totals that differ from their records: they state {} of {} \
             {what}, their records hold {} of {}; {used}",
            stats.disagreeing[k], said.covered, said.total, counted.covered, counted.total
        ));
    }
    if stats.bad_stated > 0 {
        meta.notes.push(format!(
            "{} stated total(s) (LF, LH, BRF, BRH, FNF, FNH) were not whole numbers and were ignored",
            stats.bad_stated
        ));
    }
    if writer == Writer::LlvmCov {
        meta.merged_unlike_producer = Some(crate::parsers::llvm_cov::LLVM_COV_MERGE);
    }
    if writer == Writer::Gcovr && stats.merged_with_branches > 0 {
        meta.branches_unlike_producer = Some(format!(
            "gcovr's LCOV merges the instances of a C++ template (or constructor) into one record, their \
             branches too, and {} such record(s) have branches: its BRDA records and BRF/BRH are not the \
             branch figure gcovr prints, which counts each instance",
            stats.merged_with_branches
        ));
    }
    if writer == Writer::Istanbul {
        // Istanbul prints its percentages truncated (98.49 % for 131/133).
        meta.rounding = Some(crate::model::Rounding::Floor);
    }
    if stats.unknown > 0 {
        meta.notes.push(format!("{} record(s) of unknown type were skipped", stats.unknown));
    }
    if stats.empty > 0 {
        meta.notes.push(format!("{} file record(s) with no line data were dropped, as lcov drops them", stats.empty));
    }
    Ok(meta)
}

/// What reading a byte range learned: counts, and where each file's records are.
#[derive(Default)]
struct Partial {
    stats: Stats,
    /// Builder position and byte range of every record read into a summary, for the exact
    /// re-merge of files given more than once.
    spans: Vec<(usize, u64, u64)>,
    /// Builder positions of files with a record whose branch keys or function names were not
    /// kept but are needed.
    inexact: Vec<usize>,
}

/// The files of `builder` to read again, by path, with their records' ranges: those `spans` gives
/// more than once, and the `inexact` ones.
fn read_again(
    builder: &CoverageBuilder,
    mut spans: Vec<(usize, u64, u64)>,
    inexact: &[usize],
) -> Vec<(String, Vec<(u64, u64)>)> {
    spans.sort_unstable();
    let mut repeated: Vec<(String, Vec<(u64, u64)>)> = spans
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|records| records.len() > 1 || inexact.contains(&records[0].0))
        .filter_map(|records| {
            let path = builder.file_at(records[0].0)?.path.clone();
            Some((path, records.iter().map(|&(_, from, to)| (from, to)).collect()))
        })
        .collect();
    repeated.sort();
    repeated
}

/// Reads bytes `from..to` of `input` (which start at a line) into `sink`.
fn parse_range(input: &Source, from: u64, to: u64, sink: &mut dyn Sink, trust: bool) -> Result<Partial, ParseError> {
    let state = Section::new(sink.as_builder().is_some(), trust);
    let mut reading = Reading { state, acc: Partial::default(), start: 0, from, sink };
    let result = scan::lines(input.range(from, to), &mut reading).map(|read| {
        if reading.state.open {
            if to == input.len() {
                reading.acc.stats.cut = true;
            }
            reading.acc.stats.unterminated += 1;
            reading.finish(from + read);
        }
    });
    match result {
        Ok(()) => Ok(reading.acc),
        // Line numbers count from the start of the range: make them count from the file's.
        Err(mut e) if from > 0 => {
            if let Some(l) = e.line.as_mut() {
                *l += lines_before(input, from);
            }
            Err(e)
        }
        Err(e) => Err(e),
    }
}

/// How many lines end before byte `offset` (only for placing an error).
fn lines_before(input: &Source, offset: u64) -> u64 {
    let mut count = 0u64;
    let mut done = 0u64;
    while done < offset {
        let end = (done + (8 << 20)).min(offset);
        match input.bytes_at(done, end) {
            Ok(bytes) if !bytes.is_empty() => {
                count += memchr::memchr_iter(b'\n', &bytes).count() as u64;
                done += bytes.len() as u64;
            }
            _ => break,
        }
    }
    count
}

/// Reads the pieces `cuts[i]..cuts[i+1]` on their own threads and folds them into `sink`.
fn parse_pieces(input: &Source, cuts: &[u64], sink: &mut CoverageBuilder, trust: bool) -> Result<Partial, ParseError> {
    let results = input.in_pieces(cuts, |piece| {
        let mut builder = CoverageBuilder::new();
        let partial = parse_range(input, piece.from, piece.to, &mut builder, trust)?;
        Ok((builder, partial))
    });
    let mut acc = Partial::default();
    for r in results {
        let (builder, part) =
            r.unwrap_or_else(|| Err(ParseError::whole("internal error: a reader thread panicked")))?;
        let at = sink.absorb_indexed(builder);
        acc.stats.add(&part.stats);
        acc.spans.extend(part.spans.into_iter().map(|(i, from, to)| (at[i], from, to)));
        acc.inexact.extend(part.inexact.into_iter().map(|i| at[i]));
    }
    Ok(acc)
}

/// One range being read into a sink.
struct Reading<'a> {
    state: Section,
    acc: Partial,
    /// Where the open record started.
    start: u64,
    /// Where the range starts in the input.
    from: u64,
    sink: &'a mut dyn Sink,
}

impl scan::Lines for Reading<'_> {
    #[inline(always)]
    fn hot(&mut self, buf: &[u8], s: usize, e: usize, pending: &mut Pending) -> bool {
        // `DA:` and `BRDA:` with plain numbers, straight from the buffer.
        let state = &mut self.state;
        state.open
            && if state.summary {
                scan::hot_record(buf, s, e, &mut state.tally, pending)
            } else {
                state.fast_record(&buf[s..]).is_some_and(|n| s + n == e + 1)
            }
    }

    #[inline(always)]
    fn flush(&mut self, pending: &mut Pending) {
        self.state.tally.flush(pending);
    }

    #[inline(never)]
    fn line(&mut self, buf: &[u8], s: usize, e: usize, pos: scan::Pos) -> Result<(), ParseError> {
        let line = match &buf[s..e] {
            [line @ .., b'\r'] => line,
            line => line,
        };
        match self.state.record(line, pos.line, &mut self.acc.stats)? {
            Event::None => {}
            Event::Start => self.start = self.from + pos.offset,
            Event::Restart => {
                // `SF:` inside an open record: close the previous one where this line starts.
                self.acc.stats.unterminated += 1;
                self.finish(self.from + pos.offset);
                self.state.record(line, pos.line, &mut self.acc.stats)?;
                self.start = self.from + pos.offset;
            }
            Event::End => self.finish(self.from + pos.next),
        }
        Ok(())
    }
}

impl Reading<'_> {
    /// Closes the open record, which ends at `end`, and hands it to the sink.
    fn finish(&mut self, end: u64) {
        let (state, stats) = (&mut self.state, &mut self.acc.stats);
        state.close(stats);
        let has_lines = state.has_lines();
        // The hot DA and BRDA records are not counted one by one: only whether there were any matters.
        stats.records += u64::from(has_lines || state.detail.has_branches);
        if !has_lines && state.detail.summary.is_none() {
            stats.empty += 1;
            return;
        }
        if !has_lines {
            stats.summary_only += 1;
        }
        stats.sections += 1;
        match self.sink.as_builder() {
            Some(builder) if state.summary => {
                let inexact = state.needs_keys();
                let i = builder.add_indexed(state.summarize());
                self.acc.spans.push((i, self.start, end));
                if inexact {
                    // This record is read again in full; keep branch keys and function names from now on.
                    self.acc.inexact.push(i);
                    state.tally.keys = true;
                }
            }
            _ => self.sink.file(&mut state.detail),
        }
    }
}

#[derive(Clone, Copy, Default)]
struct Stats {
    sections: u64,
    records: u64,
    unterminated: u64,
    /// The input ends inside a record.
    cut: bool,
    summary_only: u64,
    /// What the summary-only records stated (and temis did not count).
    stated_only: Counts,
    line_zero: u64,
    unknown: u64,
    empty: u64,
    /// Records whose stated lines / branches / functions differ from their records, and the
    /// sums of both.
    disagreeing: [u64; 3],
    stated: [Counts; 3],
    counted: [Counts; 3],
    /// Records whose stated totals were used (llvm-cov's).
    trusted: u64,
    /// Stated totals that were not whole numbers.
    bad_stated: u64,
    /// Records with branch records whose stated lines differ from their `DA` records: gcovr's
    /// sign of a template's instances merged into one record, branches included.
    merged_with_branches: u64,
}

impl Stats {
    fn add(&mut self, o: &Stats) {
        self.sections += o.sections;
        self.records += o.records;
        self.unterminated += o.unterminated;
        self.cut |= o.cut;
        self.summary_only += o.summary_only;
        self.stated_only.add(o.stated_only);
        self.line_zero += o.line_zero;
        self.unknown += o.unknown;
        self.empty += o.empty;
        for k in 0..3 {
            self.disagreeing[k] += o.disagreeing[k];
            self.stated[k].add(o.stated[k]);
            self.counted[k].add(o.counted[k]);
        }
        self.trusted += o.trusted;
        self.bad_stated += o.bad_stated;
        self.merged_with_branches += o.merged_with_branches;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Coverage, CoverageBuilder, DetailSet};

    macro_rules! fixture {
        ($name:literal) => {
            Source::bytes($name, &include_bytes!(concat!("../../../tests/fixtures/coverage/lcov/", $name))[..])
        };
    }

    /// The file on disk, read on `threads` threads whatever its size.
    fn on_threads(path: &std::path::Path, threads: usize) -> Source {
        crate::input::Input::file(path).open().unwrap().with_split(crate::input::Split { threads, min_len: 0 })
    }

    fn summary(input: &Source) -> (Coverage, Meta) {
        let mut b = CoverageBuilder::new();
        let meta = parse(input, &mut b).expect("parses");
        (b.finish(), meta)
    }

    fn error(input: &Source) -> String {
        parse(input, &mut CoverageBuilder::new()).expect_err("must fail").to_string()
    }

    #[test]
    fn geninfo_record_counts_like_lcov_summary() {
        let (c, _) = summary(&fixture!("geninfo.info"));
        assert_eq!(c.lines, Counts::new(4, 2));
        // `-` is found but not hit.
        assert_eq!(c.branches, Some(Counts::new(4, 1)));
        assert_eq!(c.functions, Some(Counts::new(2, 1)));
        let bits = c.files[0].line_bits.as_ref().unwrap();
        assert_eq!(bits.uncovered_ranges(), vec![(5, 5), (11, 11)]);
    }

    #[test]
    fn repeated_records_merge_by_line_and_branch_key() {
        let (c, _) = summary(&fixture!("duplicate-sf.info"));
        assert_eq!(c.files.len(), 2);
        let util = &c.files[0];
        assert_eq!(util.path, "/repo/include/util.h");
        // Lines 2,3,4 ∪ 2,3,9: hits summed, so 2, 3 and 9 covered, 4 not.
        assert_eq!(util.lines, Counts::new(4, 3));
        // (3,0,0) (3,0,1) (9,0,0): 3 distinct branches, (3,0,1) taken 4 and (9,0,0) taken 1.
        assert_eq!(util.branches, Some(Counts::new(3, 2)));
        assert_eq!(util.functions, Some(Counts::new(1, 1)));
        // The detailed reader (temis merge) agrees.
        let mut set = DetailSet::new();
        parse(&fixture!("duplicate-sf.info"), &mut set).unwrap();
        let util = set.files.iter().find(|f| f.path.ends_with("util.h")).unwrap();
        assert_eq!(util.lines, vec![(2, 5), (3, 5), (4, 0), (9, 1)]);
        assert_eq!(util.functions[0].hits, 5);
    }

    #[test]
    fn pieces_read_in_parallel_agree_with_one_reader() {
        // Repeated records on both sides of every cut, and a record without end_of_record.
        let mut text = String::new();
        for i in 0..400 {
            let path = if i % 7 == 0 { "include/shared.h".to_string() } else { format!("src/f{i}.c") };
            text.push_str(&format!("TN:\nSF:{path}\nFN:1,f{}\nFNDA:{},f{}\n", i % 3, i % 2, i % 3));
            for l in 1..40 {
                text.push_str(&format!("DA:{},{}\n", l + (i % 5), (l * i) % 3));
                if l % 9 == 0 {
                    text.push_str(&format!("BRDA:{l},0,{},{}\n", i % 4, if i % 2 == 0 { "-" } else { "1" }));
                }
            }
            if i != 200 {
                text.push_str("end_of_record\n");
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("big.info");
        std::fs::write(&file, &text).unwrap();
        let mut one = CoverageBuilder::new();
        let meta_one = parse(&Source::bytes("t", text.clone().into_bytes()), &mut one).unwrap();
        let mut many = CoverageBuilder::new();
        let source = on_threads(&file, 4);
        let meta_many = parse(&source, &mut many).unwrap();
        assert!(source.cuts(|w| memchr::memmem::find(w, b"\nSF:").map(|i| i + 1)).len() > 2, "the file was cut");
        assert_eq!(meta_one, meta_many);
        let (one, many) = (one.finish(), many.finish());
        assert_eq!(one.lines, many.lines);
        assert_eq!(one.branches, many.branches);
        assert_eq!(one.functions, many.functions);
        assert_eq!(one.files, many.files);
    }

    #[test]
    fn an_error_in_a_later_piece_names_its_line_in_the_file() {
        let mut text = String::new();
        for i in 0..50 {
            text.push_str(&format!("SF:f{i}.c\nDA:1,1\nDA:2,0\nend_of_record\n"));
        }
        text.push_str("SF:bad.c\nDA:1,-7\nend_of_record\n");
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("bad.info");
        std::fs::write(&file, &text).unwrap();
        let e = parse(&on_threads(&file, 2), &mut CoverageBuilder::new()).unwrap_err();
        assert_eq!(e.to_string(), "202: malformed DA record: negative count");
    }

    #[test]
    fn lcov2_function_groups_count_once() {
        let (c, _) = summary(&fixture!("lcov2-functions.info"));
        assert_eq!(c.functions, Some(Counts::new(2, 1)));
    }

    #[test]
    fn summary_only_records_count_nothing_as_lcov_counts_them() {
        let (c, meta) = summary(&fixture!("summary-only.info"));
        assert!(c.files.is_empty(), "lcov --summary finds no data in a record without DA lines");
        assert_eq!(c.lines, Counts::new(0, 0));
        assert!(
            meta.notes
                .iter()
                .any(|n| n.contains("1 file record(s) had no DA records, only LF/LH totals (5 of 7 lines)")),
            "{:?}",
            meta.notes
        );
    }

    /// issue 13: a file whose DA lines are all 0 but which states `LF:1000`/`LH:1000` passed at
    /// 100 %; `LF:1e23` became 18446744073709551615.
    #[test]
    fn totals_come_from_the_records_and_stated_ones_are_warned_of() {
        let text = "TN:\nSF:a.c\nDA:1,0\nDA:2,0\nLF:1000\nLH:1000\nend_of_record\nSF:b.c\nDA:1,1\nLF:1e23\nLH:1\nend_of_record\n";
        for sink in ["summary", "detail"] {
            let input = Source::bytes("t", text.as_bytes());
            let (c, meta) = if sink == "summary" {
                summary(&input)
            } else {
                let mut set = DetailSet::new();
                let meta = parse(&input, &mut set).unwrap();
                let mut b = CoverageBuilder::new();
                for f in &mut set.files {
                    b.file(f);
                }
                (b.finish(), meta)
            };
            assert_eq!(c.lines, Counts::new(3, 1), "{sink}");
            let warning = meta.notes.iter().find(|n| n.starts_with("warning: 1 file(s) state LF/LH")).expect("warned");
            assert!(warning.contains("they state 1000 of 1000 lines, their records hold 0 of 2"), "{warning}");
            assert!(meta.notes.iter().any(|n| n.contains("1 stated total(s)") && n.contains("not whole numbers")));
        }
    }

    #[test]
    fn llvm_covs_stated_totals_are_its_own_figures_when_the_records_allow_them() {
        // As llvm-cov writes: DA lines of macro expansions its own count (LF/LH) leaves out.
        let llvm = "SF:u.h\nFN:1,f\nFNDA:1,f\nFNF:1\nFNH:1\nDA:1,1\nDA:2,0\nDA:3,1\nDA:9,0\nBRF:0\nBRH:0\nLF:3\nLH:2\nend_of_record\n";
        let (c, meta) = summary(&Source::bytes("t", llvm.as_bytes()));
        assert_eq!(c.lines, Counts::new(3, 2));
        assert!(meta.notes.iter().any(|n| n.contains("llvm-cov wrote this file")), "{:?}", meta.notes);
        // The same shape claiming covered lines where no DA line ran: the records win.
        let hostile = llvm.replace("DA:1,1", "DA:1,0").replace("DA:3,1", "DA:3,0");
        let (c, meta) = summary(&Source::bytes("t", hostile.as_bytes()));
        assert_eq!(c.lines, Counts::new(4, 0));
        assert!(meta.notes.iter().any(|n| n.contains("counts the records")), "{:?}", meta.notes);
    }

    #[test]
    fn branches_out_of_order_are_counted_once_each() {
        let text = "SF:a.c\nDA:1,1\nBRDA:2,0,1,1\nBRDA:2,0,0,0\nBRDA:2,0,1,0\nBRDA:3,0,0,-\nend_of_record\nSF:b.c\nDA:1,1\nBRDA:1,0,0,1\nend_of_record\n";
        let (c, _) = summary(&Source::bytes("t", text.as_bytes()));
        assert_eq!(c.files[0].branches, Some(Counts::new(3, 1)));
        assert_eq!(c.branches, Some(Counts::new(4, 2)));
    }

    #[test]
    fn istanbuls_lcov_is_shown_truncated() {
        let (_, meta) = summary(&Source::bytes(
            "t",
            &b"TN:\nSF:a.js\nFNF:0\nFNH:0\nDA:1,1\nLF:1\nLH:1\nBRF:0\nBRH:0\nend_of_record\n"[..],
        ));
        assert_eq!(meta.rounding, Some(crate::model::Rounding::Floor));
        let (_, meta) = summary(&fixture!("geninfo.info"));
        assert_eq!(meta.rounding, None);
    }

    #[test]
    fn a_record_without_end_of_record_is_kept_and_said_and_a_cut_file_is_an_error() {
        // The file ends inside its last record: cut short (its data counted, it approved at a
        // figure lcov never gives).
        assert!(error(&fixture!("no-end-of-record.info")).contains("cut short"));
        let text = "SF:a.py\nDA:1,1\nDA:2,0\nSF:b.py\nDA:1,0\nend_of_record\n";
        let (c, meta) = summary(&Source::bytes("t", text.as_bytes()));
        assert_eq!(c.files.len(), 2);
        assert_eq!(c.lines, Counts::new(3, 1));
        assert!(meta.notes.iter().any(|n| n.contains("1 record(s) had no end_of_record")), "{:?}", meta.notes);
    }

    #[test]
    fn huge_and_scientific_counts_saturate() {
        let (c, _) = summary(&fixture!("odd-numbers.info"));
        assert_eq!(c.lines, Counts::new(5, 4), "-0 is zero, the rest are hits");
        assert_eq!(c.branches, Some(Counts::new(2, 1)));
        let mut set = DetailSet::new();
        parse(&fixture!("odd-numbers.info"), &mut set).unwrap();
        assert_eq!(set.files[0].lines[1], (2, u64::MAX));
    }

    #[test]
    fn windows_paths_and_crlf() {
        let (c, _) = summary(&fixture!("windows-crlf.info"));
        assert_eq!(c.files[0].path, r"C:\a\repo\src\x.c");
        assert_eq!(c.lines, Counts::new(2, 1));
    }

    #[test]
    fn branch_ids_with_commas_split_on_the_last_comma() {
        let (c, _) = summary(&fixture!("branch-ids.info"));
        assert_eq!(c.branches, Some(Counts::new(3, 2)));
    }

    #[test]
    fn bad_input_is_an_error_with_its_line() {
        assert_eq!(error(&fixture!("negative.info")), "3: malformed DA record: negative count");
        // Half a hit, truncated, would read as not run; lcov itself takes it as run.
        for (record, what) in [("DA:2,0.5", "DA"), ("BRDA:2,0,0,1.5", "BRDA"), ("FNDA:0.5,f", "FNDA")] {
            let text = format!("SF:a.c\nFN:2,f\nDA:1,1\n{record}\nend_of_record\n");
            let count = record.rsplit([',', ':']).find(|c| c.contains('.')).unwrap();
            assert_eq!(
                error(&Source::bytes("t.info", text.as_bytes())),
                format!("4: malformed {what} record: count {count} is not a whole number"),
                "{record}"
            );
        }
        assert_eq!(
            error(&fixture!("outside-record.info")),
            "2: DA record outside a file record (no SF: line before it)"
        );
        assert_eq!(error(&fixture!("not-lcov.info")), "3: not an LCOV record: \"this line is not a record\"");
        assert_eq!(
            error(&Source::bytes("t", &b"SF:a\nDA:1\n"[..])),
            "2: malformed DA record: expected DA:<line>,<count>"
        );
        assert_eq!(
            error(&Source::bytes("t", &b"SF:a\nBRDA:1,0\n"[..])),
            "2: malformed BRDA record: expected BRDA:<line>,<block>,<branch>,<taken>"
        );
        assert!(error(&Source::bytes("t", &b"\n\n"[..])).contains("no LCOV records"));
    }

    #[test]
    fn function_records_alone_are_no_lcov_records() {
        let kf = |text: &'static str| Source::bytes("t", text.as_bytes());
        assert!(error(&kf("KF:x\nFN:1,f\nFNDA:1,f\nend_of_record\n")).contains("no LCOV records"));
        let (c, meta) = summary(&kf("KF:x\nBRDA:1,0,0,1\nend_of_record\n"));
        assert!(c.files.is_empty());
        assert!(meta.notes.iter().any(|n| n.contains("no line data were dropped")), "{:?}", meta.notes);
    }

    #[test]
    fn truncated_last_line_is_an_error() {
        // A file cut in the middle of a record.
        let e = error(&Source::bytes("t", &b"SF:a.c\nDA:1,1\nDA:2,"[..]));
        assert_eq!(e, "3: malformed DA record: \"\" is not a count");
    }
}
