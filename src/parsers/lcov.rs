//! LCOV tracefiles (geninfo, lcov 1.x and 2.x, llvm-cov, Istanbul, coverage.py, c8…).
//!
//! Totals are recomputed from `DA`/`BRDA`/`FN` records the way `lcov --summary` does: the
//! `LF`/`LH`/`BRF`/`BRH`/`FNF`/`FNH` lines are trusted only for a record that has no `DA` at all
//! (`cargo llvm-cov --lcov --summary-only`). Repeated `SF` records of one file are merged the way
//! lcov 1.16 merges them: line hits summed per line, branches summed per
//! (line, block, branch), functions per name.
//!
//! The reader streams; in summary mode it keeps two bits per line and the byte ranges of each
//! file's records, and re-reads only the records of files that appear more than once.

use rustc_hash::FxHashMap as HashMap;

use crate::error::ParseError;
use crate::input::Input;
use crate::model::{Branch, Counts, CoverageBuilder, FileDetail, Function, Sink, SummaryTotals};
use crate::parsers::Meta;
use crate::parsers::text::{LineReader, MAX_LINE_NUMBER, NumberError, parse_count, parse_line_number, swar_digits};

/// Files at least this large are read by several threads when the sink keeps only summaries.
const PARALLEL_MIN_BYTES: u64 = 32 << 20;

/// Reads `input` into `sink`.
///
/// A large file on disk summarized into a [`CoverageBuilder`] is cut at `SF:` lines into one
/// piece per core; each piece is read by its own thread into its own builder, and the builders
/// are folded together. Files whose records fall into several pieces are re-merged exactly, as
/// repeated records always are.
pub fn parse(input: &Input, sink: &mut dyn Sink) -> Result<Meta, ParseError> {
    parse_with(input, sink, PARALLEL_MIN_BYTES)
}

fn parse_with(input: &Input, sink: &mut dyn Sink, parallel_min: u64) -> Result<Meta, ParseError> {
    let pieces = match (input.path(), sink.as_builder().is_some()) {
        (Some(path), true) => split_points(input, path, parallel_min)?,
        _ => Vec::new(),
    };
    let mut acc = if pieces.len() > 1 {
        let builder = sink.as_builder().expect("checked above");
        parse_pieces(input, &pieces, builder)?
    } else {
        parse_range(input, 0, u64::MAX, sink)?
    };
    if acc.stats.sections == 0 && acc.stats.records == 0 {
        return Err(ParseError::whole("no LCOV records (expected SF:, DA:, end_of_record lines)"));
    }

    // Files given in several records: merge them again, exactly, from their bytes.
    let mut repeated: Vec<(String, Vec<(u64, u64)>)> = acc.ranges.drain().filter(|(_, r)| r.len() > 1).collect();
    repeated.sort();
    for (path, list) in repeated {
        let mut merged = FileDetail::new(path);
        for (from, to) in list {
            let bytes = input.read_range(from, to).map_err(|e| ParseError::io(&e))?;
            let mut section = Section::default();
            let mut scratch = Stats::default();
            let mut reread = LineReader::new(&bytes[..]);
            while let Some(line) = reread.next_line()? {
                section.record(line, 0, &mut scratch)?;
            }
            section.close(&mut scratch);
            merged.merge(&section.detail);
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
            "{} file(s) had no DA records; their LF/LH (and BRF/BRH, FNF/FNH) summary lines were used",
            stats.summary_only
        ));
    }
    if stats.line_zero > 0 {
        meta.notes.push(format!("{} record(s) with line number 0 were skipped (lcov rejects them)", stats.line_zero));
    }
    if stats.disagreeing > 0 {
        meta.notes.push(format!(
            "{} file(s) state LF/LH totals that differ from their DA records: they state {} of {} \
             lines, their DA records hold {} of {} (what lcov --summary would count); temis uses \
             the stated totals, the producing tool's own figures (llvm-cov writes such files)",
            stats.disagreeing,
            stats.stated_lines.covered,
            stats.stated_lines.total,
            stats.records_lines.covered,
            stats.records_lines.total
        ));
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
    /// Byte ranges of every record of every file (kept when the sink loses branch identities),
    /// for the exact re-merge of files given more than once.
    ranges: HashMap<String, Vec<(u64, u64)>>,
}

/// Reads bytes `from..to` of `input` (which start at a line) into `sink`.
fn parse_range(input: &Input, from: u64, to: u64, sink: &mut dyn Sink) -> Result<Partial, ParseError> {
    let reader: Box<dyn std::io::Read + '_> = if from == 0 && to == u64::MAX {
        input.reader().map_err(|e| ParseError::io(&e))?
    } else {
        let path = input.path().expect("ranges are read from files");
        let mut f = std::fs::File::open(path).map_err(|e| ParseError::io(&e))?;
        std::io::Seek::seek(&mut f, std::io::SeekFrom::Start(from)).map_err(|e| ParseError::io(&e))?;
        Box::new(std::io::Read::take(f, to - from))
    };
    let mut lines = LineReader::new(reader);
    let mut state = Section::default();
    let mut acc = Partial::default();
    let lossy = sink.is_lossy();
    let mut start = 0u64;
    let stats = &mut acc.stats;
    let ranges = &mut acc.ranges;
    let result = (|| -> Result<(), ParseError> {
        loop {
            // The hot records (`DA:` and `BRDA:` with plain numbers) straight from the buffer.
            let rest = lines.rest(4096)?;
            if rest.is_empty() {
                break;
            }
            if state.open {
                // Run through as many hot records as the buffer holds, then account for them at once.
                let (mut used, mut count) = (0usize, 0u64);
                while rest.len() - used >= 64 {
                    match state.fast_record(&rest[used..]) {
                        Some(n) => {
                            used += n;
                            count += 1;
                        }
                        None => break,
                    }
                }
                if count > 0 {
                    lines.consume_lines(count, used);
                    stats.records += count;
                    continue;
                }
            }
            let Some((line, pos)) = lines.next_with_pos()? else {
                break;
            };
            let line_no = pos.line;
            match state.record(line, line_no, stats)? {
                Event::None => {}
                Event::Start => start = from + pos.offset,
                Event::Restart => {
                    // `SF:` inside an open record: close the previous one where this line starts.
                    stats.unterminated += 1;
                    finish(&mut state, start, from + pos.offset, ranges, lossy, sink, stats);
                    state.record(line, line_no, stats)?;
                    start = from + pos.offset;
                }
                Event::End => finish(&mut state, start, from + pos.next, ranges, lossy, sink, stats),
            }
        }
        if state.open {
            stats.unterminated += 1;
            finish(&mut state, start, from + lines.next_offset, ranges, lossy, sink, stats);
        }
        Ok(())
    })();
    match result {
        Ok(()) => Ok(acc),
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
fn lines_before(input: &Input, offset: u64) -> u64 {
    let mut count = 0u64;
    let mut done = 0u64;
    while done < offset {
        let end = (done + (8 << 20)).min(offset);
        match input.read_range(done, end) {
            Ok(bytes) if !bytes.is_empty() => {
                count += memchr::memchr_iter(b'\n', &bytes).count() as u64;
                done += bytes.len() as u64;
            }
            _ => break,
        }
    }
    count
}

/// Where to cut a large file into one piece per core: at the start of `SF:` lines. Empty when
/// the file is small, the machine has one core, or no cut can be found.
fn split_points(input: &Input, path: &std::path::Path, parallel_min: u64) -> Result<Vec<u64>, ParseError> {
    let len = std::fs::metadata(path).map_err(|e| ParseError::io(&e))?.len();
    let threads = std::thread::available_parallelism().map_or(1, usize::from).clamp(2, 8) as u64;
    if len < parallel_min {
        return Ok(Vec::new());
    }
    let mut cuts = vec![0u64];
    for k in 1..threads {
        let nominal = len * k / threads;
        let window = input.read_range(nominal, (nominal + (4 << 20)).min(len)).map_err(|e| ParseError::io(&e))?;
        let Some(i) = memchr::memmem::find(&window, b"\nSF:") else { continue };
        let cut = nominal + i as u64 + 1;
        if cut > *cuts.last().expect("not empty") {
            cuts.push(cut);
        }
    }
    cuts.push(len);
    Ok(if cuts.len() > 2 { cuts } else { Vec::new() })
}

/// Reads the pieces `cuts[i]..cuts[i+1]` on their own threads and folds them into `sink`.
fn parse_pieces(input: &Input, cuts: &[u64], sink: &mut CoverageBuilder) -> Result<Partial, ParseError> {
    let results: Vec<Result<(CoverageBuilder, Partial), ParseError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = cuts
            .windows(2)
            .map(|w| {
                let (from, to) = (w[0], w[1]);
                scope.spawn(move || {
                    let mut builder = CoverageBuilder::new();
                    parse_range(input, from, to, &mut builder).map(|p| (builder, p))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err(ParseError::whole("internal error: a reader thread panicked"))))
            .collect()
    });
    let mut acc = Partial::default();
    for r in results {
        let (builder, part) = r?;
        sink.absorb(builder);
        acc.stats.add(&part.stats);
        for (path, list) in part.ranges {
            acc.ranges.entry(path).or_default().extend(list);
        }
    }
    Ok(acc)
}

fn finish(
    state: &mut Section,
    start: u64,
    end: u64,
    ranges: &mut HashMap<String, Vec<(u64, u64)>>,
    lossy: bool,
    sink: &mut dyn Sink,
    stats: &mut Stats,
) {
    state.close(stats);
    let detail = &mut state.detail;
    if detail.lines.is_empty() && detail.summary.is_none() {
        stats.empty += 1;
        return;
    }
    if detail.lines.is_empty() {
        stats.summary_only += 1;
    }
    stats.sections += 1;
    if lossy {
        match ranges.get_mut(&detail.path) {
            Some(list) => list.push((start, end)),
            None => {
                ranges.insert(detail.path.clone(), vec![(start, end)]);
            }
        }
    }
    sink.file(detail);
}

#[derive(Clone, Copy, Default)]
struct Stats {
    sections: u64,
    records: u64,
    unterminated: u64,
    summary_only: u64,
    line_zero: u64,
    unknown: u64,
    empty: u64,
    disagreeing: u64,
    records_lines: Counts,
    stated_lines: Counts,
}

impl Stats {
    fn add(&mut self, o: &Stats) {
        self.sections += o.sections;
        self.records += o.records;
        self.unterminated += o.unterminated;
        self.summary_only += o.summary_only;
        self.line_zero += o.line_zero;
        self.unknown += o.unknown;
        self.empty += o.empty;
        self.disagreeing += o.disagreeing;
        self.records_lines.add(o.records_lines);
        self.stated_lines.add(o.stated_lines);
    }
}

enum Event {
    None,
    Start,
    Restart,
    End,
}

/// One `SF:` … `end_of_record` record being read.
#[derive(Default)]
struct Section {
    open: bool,
    detail: FileDetail,
    functions: HashMap<String, usize>,
    /// How many of `detail.functions` are in `functions`.
    indexed: usize,
    /// Position of the function the next `FNDA` record most likely names.
    fnda_cursor: usize,
    /// lcov 2.2 `FNL:<index>` → position in `detail.functions`.
    groups: HashMap<u64, usize>,
    /// Interned non-numeric `BRDA` block / branch identifiers.
    names: HashMap<Vec<u8>, u32>,
    lf: Option<u64>,
    lh: Option<u64>,
    brf: Option<u64>,
    brh: Option<u64>,
    fnf: Option<u64>,
    fnh: Option<u64>,
}

impl Section {
    /// `DA:<line>,<count>\n` or `BRDA:<line>,<block>,<branch>,<count or ->\n` with plain
    /// numbers of at most seven digits, parsed in one pass; how many bytes it used, or `None`
    /// for anything else (which the general path then reads). `rest` holds at least 64 bytes.
    #[inline(always)]
    fn fast_record(&mut self, rest: &[u8]) -> Option<usize> {
        if rest.starts_with(b"DA:") {
            let (line, a) = swar_digits(&rest[3..])?;
            let i = 3 + a;
            if rest[i] != b',' || line == 0 || line > u64::from(MAX_LINE_NUMBER) {
                return None;
            }
            let (hits, b) = swar_digits(&rest[i + 1..])?;
            let end = i + 1 + b;
            if rest[end] != b'\n' {
                return None;
            }
            self.detail.lines.push((line as u32, hits));
            return Some(end + 1);
        }
        if !rest.starts_with(b"BRDA:") {
            return None;
        }
        let (line, a) = swar_digits(&rest[5..])?;
        let mut i = 5 + a;
        if rest[i] != b',' || line == 0 || line > u64::from(MAX_LINE_NUMBER) {
            return None;
        }
        let (block, b) = swar_digits(&rest[i + 1..])?;
        i += 1 + b;
        if rest[i] != b',' {
            return None;
        }
        let (branch, c) = swar_digits(&rest[i + 1..])?;
        i += 1 + c;
        if rest[i] != b',' {
            return None;
        }
        let taken = if rest[i + 1] == b'-' {
            i += 2;
            None
        } else {
            let (t, d) = swar_digits(&rest[i + 1..])?;
            i += 1 + d;
            Some(t)
        };
        if rest[i] != b'\n' {
            return None;
        }
        self.detail.branches.push(Branch { line: line as u32, block: block as u32, branch: branch as u32, taken });
        Some(i + 1)
    }

    fn reset(&mut self, path: &[u8]) {
        self.open = true;
        self.detail.clear();
        self.detail.path.push_str(&String::from_utf8_lossy(path));
        self.functions.clear();
        self.fnda_cursor = 0;
        self.indexed = 0;
        self.groups.clear();
        self.names.clear();
        (self.lf, self.lh, self.brf, self.brh, self.fnf, self.fnh) = (None, None, None, None, None, None);
    }

    /// Settles the record's totals once it is complete. A record that states `LF`/`LH` gives
    /// the producer's own figures (llvm-cov writes `DA` lines its own count leaves out); a file
    /// given in several records is recounted from the records, as lcov does.
    fn close(&mut self, stats: &mut Stats) {
        self.open = false;
        let d = &mut self.detail;
        d.has_branches = !d.branches.is_empty();
        d.has_functions = !d.functions.is_empty();
        if self.lf.is_none() {
            return;
        }
        let pair = |found: Option<u64>, hit: Option<u64>| found.map(|f| Counts::new(f, hit.unwrap_or(0).min(f)));
        let stated = SummaryTotals {
            lines: pair(self.lf, self.lh),
            branches: pair(self.brf, self.brh).filter(|c| c.total > 0 || d.has_branches),
            functions: pair(self.fnf, self.fnh).filter(|c| c.total > 0 || d.has_functions),
        };
        if !d.lines.is_empty() {
            if !d.lines.windows(2).all(|w| w[0].0 < w[1].0) {
                d.normalize();
            }
            let hit = d.lines.iter().filter(|l| l.1 > 0).count() as u64;
            let from_records = Counts::new(d.lines.len() as u64, hit);
            if stated.lines != Some(from_records) {
                stats.disagreeing += 1;
                stats.records_lines.add(from_records);
                stats.stated_lines.add(stated.lines.unwrap_or_default());
            }
        }
        d.summary = Some(stated);
    }

    fn record(&mut self, line: &[u8], line_no: u64, stats: &mut Stats) -> Result<Event, ParseError> {
        let Some(&first) = line.first() else {
            return Ok(Event::None);
        };
        // The hot records first: DA, then BRDA.
        if let Some(rest) = line.strip_prefix(b"DA:") {
            self.need_open(line_no, "DA")?;
            stats.records += 1;
            let (num, rest) = split_comma(rest).ok_or_else(|| bad(line_no, "DA", "expected DA:<line>,<count>"))?;
            let count = match memchr::memchr(b',', rest) {
                Some(i) => &rest[..i], // a checksum follows
                None => rest,
            };
            let hits = count_or_error(count, line_no, "DA")?;
            match parse_line_number(num) {
                Some(n) => self.detail.lines.push((n, hits)),
                None if num == b"0" => stats.line_zero += 1,
                None => {
                    return Err(bad(line_no, "DA", "the line number is not an integer from 1 to 16777216"));
                }
            }
            return Ok(Event::None);
        }
        match first {
            b'B' => {
                if let Some(rest) = line.strip_prefix(b"BRDA:") {
                    self.need_open(line_no, "BRDA")?;
                    stats.records += 1;
                    self.brda(rest, line_no, stats)?;
                } else if let Some(rest) = line.strip_prefix(b"BRF:") {
                    self.brf = Some(count_or_error(rest, line_no, "BRF")?);
                } else if let Some(rest) = line.strip_prefix(b"BRH:") {
                    self.brh = Some(count_or_error(rest, line_no, "BRH")?);
                } else {
                    return self.unknown(line, line_no, stats);
                }
            }
            b'S' if line.starts_with(b"SF:") => {
                stats.records += 1;
                if self.open {
                    return Ok(Event::Restart);
                }
                let path = trim(&line[3..]);
                if path.is_empty() {
                    return Err(bad(line_no, "SF", "the file path is empty"));
                }
                self.reset(path);
                return Ok(Event::Start);
            }
            b'K' if line.starts_with(b"KF:") => {
                // lcov accepts KF: as a synonym of SF:.
                if self.open {
                    return Ok(Event::Restart);
                }
                self.reset(trim(&line[3..]));
                return Ok(Event::Start);
            }
            b'e' if trim(line) == b"end_of_record" => {
                if !self.open {
                    return Err(bad(line_no, "end_of_record", "there is no open SF: record to end"));
                }
                return Ok(Event::End);
            }
            b'F' => {
                self.need_open(line_no, "FN")?;
                if let Some(rest) = line.strip_prefix(b"FNDA:") {
                    let (count, name) =
                        split_comma(rest).ok_or_else(|| bad(line_no, "FNDA", "expected FNDA:<count>,<name>"))?;
                    let hits = count_or_error(count, line_no, "FNDA")?;
                    // FNDA records usually follow the FN records in the same order.
                    let next = self.fnda_cursor;
                    let f = match self.detail.functions.get(next) {
                        Some(f) if f.name.as_bytes() == name => {
                            self.fnda_cursor += 1;
                            &mut self.detail.functions[next]
                        }
                        _ => self.function(name, 0),
                    };
                    f.hits = f.hits.saturating_add(hits);
                } else if let Some(rest) = line.strip_prefix(b"FNF:") {
                    self.fnf = Some(count_or_error(rest, line_no, "FNF")?);
                } else if let Some(rest) = line.strip_prefix(b"FNH:") {
                    self.fnh = Some(count_or_error(rest, line_no, "FNH")?);
                } else if let Some(rest) = line.strip_prefix(b"FNL:") {
                    let (index, rest) =
                        split_comma(rest).ok_or_else(|| bad(line_no, "FNL", "expected FNL:<index>,<line>[,<end>]"))?;
                    let index = count_or_error(index, line_no, "FNL")?;
                    let start = rest.split(|&b| b == b',').next().unwrap_or(rest);
                    let start = parse_line_number(start).unwrap_or(0);
                    let pos = self.detail.functions.len();
                    self.detail.functions.push(Function { name: format!("#{index}"), line: start, hits: 0 });
                    self.groups.insert(index, pos);
                } else if let Some(rest) = line.strip_prefix(b"FNA:") {
                    let (index, rest) =
                        split_comma(rest).ok_or_else(|| bad(line_no, "FNA", "expected FNA:<index>,<count>,<name>"))?;
                    let (count, name) =
                        split_comma(rest).ok_or_else(|| bad(line_no, "FNA", "expected FNA:<index>,<count>,<name>"))?;
                    let index = count_or_error(index, line_no, "FNA")?;
                    let hits = count_or_error(count, line_no, "FNA")?;
                    let &pos = self
                        .groups
                        .get(&index)
                        .ok_or_else(|| bad(line_no, "FNA", &format!("no FNL:{index} record before this alias")))?;
                    let f = &mut self.detail.functions[pos];
                    if f.name.starts_with('#') {
                        // The group takes its first alias's name, so records of one file merge by name.
                        f.name = String::from_utf8_lossy(name).into_owned();
                        self.functions.insert(f.name.clone(), pos);
                    }
                    f.hits = f.hits.saturating_add(hits);
                } else if let Some(rest) = line.strip_prefix(b"FN:") {
                    let (num, rest) =
                        split_comma(rest).ok_or_else(|| bad(line_no, "FN", "expected FN:<line>[,<end>],<name>"))?;
                    // gcc ≥ 9 writes FN:<start>,<end>,<name>; a name may itself hold commas.
                    let name = match split_comma(rest) {
                        Some((end, name)) if parse_line_number(end).is_some() => name,
                        _ => rest,
                    };
                    let start = parse_line_number(num).unwrap_or(0);
                    // Pushed as is: a name given twice is merged by `FileDetail::normalize`.
                    let name = String::from_utf8_lossy(name).into_owned();
                    self.detail.functions.push(Function { name, line: start, hits: 0 });
                } else {
                    return self.unknown(line, line_no, stats);
                }
            }
            b'L' => {
                if let Some(rest) = line.strip_prefix(b"LF:") {
                    self.need_open(line_no, "LF")?;
                    self.lf = Some(count_or_error(rest, line_no, "LF")?);
                } else if let Some(rest) = line.strip_prefix(b"LH:") {
                    self.need_open(line_no, "LH")?;
                    self.lh = Some(count_or_error(rest, line_no, "LH")?);
                } else {
                    return self.unknown(line, line_no, stats);
                }
            }
            b'#' => {}
            _ if line.starts_with(b"TN:")
                || line.starts_with(b"VER:")
                || line.starts_with(b"MCDC:")
                || line.starts_with(b"MCF:")
                || line.starts_with(b"MCH:") => {}
            _ if line.iter().all(u8::is_ascii_whitespace) => {}
            _ => return self.unknown(line, line_no, stats),
        }
        Ok(Event::None)
    }

    fn brda(&mut self, rest: &[u8], line_no: u64, stats: &mut Stats) -> Result<(), ParseError> {
        const SHAPE: &str = "expected BRDA:<line>,<block>,<branch>,<taken>";
        let (num, rest) = split_comma(rest).ok_or_else(|| bad(line_no, "BRDA", SHAPE))?;
        let (block, rest) = split_comma(rest).ok_or_else(|| bad(line_no, "BRDA", SHAPE))?;
        // The branch id may hold commas: `taken` is after the last one.
        let comma = memchr::memrchr(b',', rest).ok_or_else(|| bad(line_no, "BRDA", SHAPE))?;
        let (branch, taken) = (&rest[..comma], trim(&rest[comma + 1..]));
        let taken = if taken == b"-" { None } else { Some(count_or_error(taken, line_no, "BRDA")?) };
        let Some(line) = parse_line_number(num) else {
            if num == b"0" {
                stats.line_zero += 1;
                return Ok(());
            }
            return Err(bad(line_no, "BRDA", "the line number is not an integer from 1 to 16777216"));
        };
        let block = self.intern(block);
        let branch = self.intern(branch);
        self.detail.branches.push(Branch { line, block, branch, taken });
        Ok(())
    }

    /// A numeric block or branch id as itself; anything else (`e0`, a string) interned above
    /// the numeric range of real producers.
    fn intern(&mut self, id: &[u8]) -> u32 {
        if let Some(n) = (id.len() <= 9 && !id.is_empty() && id.iter().all(u8::is_ascii_digit))
            .then(|| id.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0')))
        {
            return n;
        }
        let next = 1_000_000_000 + self.names.len() as u32;
        *self.names.entry(id.to_vec()).or_insert(next)
    }

    fn function(&mut self, name: &[u8], line: u32) -> &mut Function {
        // The name index is built lazily: most records never need it.
        for (i, f) in self.detail.functions.iter().enumerate().skip(self.indexed) {
            self.functions.entry(f.name.clone()).or_insert(i);
        }
        self.indexed = self.detail.functions.len();
        let name = String::from_utf8_lossy(name);
        let pos = match self.functions.get(name.as_ref()) {
            Some(&pos) => pos,
            None => {
                let pos = self.detail.functions.len();
                self.detail.functions.push(Function { name: name.to_string(), line, hits: 0 });
                self.functions.insert(name.into_owned(), pos);
                pos
            }
        };
        &mut self.detail.functions[pos]
    }

    fn need_open(&self, line_no: u64, what: &str) -> Result<(), ParseError> {
        if self.open {
            Ok(())
        } else {
            Err(ParseError::at_line(line_no, format!("{what} record outside a file record (no SF: line before it)")))
        }
    }

    fn unknown(&mut self, line: &[u8], line_no: u64, stats: &mut Stats) -> Result<Event, ParseError> {
        // `KEY:value` with an upper-case key is a record type this version does not know (lcov
        // 2.x calls these ignorable); anything else is not LCOV.
        let key_len = line.iter().take_while(|b| b.is_ascii_uppercase()).count();
        if key_len > 0 && line.get(key_len) == Some(&b':') {
            stats.unknown += 1;
            return Ok(Event::None);
        }
        let shown: String = String::from_utf8_lossy(&line[..line.len().min(60)]).into_owned();
        Err(ParseError::at_line(line_no, format!("not an LCOV record: {shown:?}")))
    }
}

fn split_comma(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    memchr::memchr(b',', bytes).map(|i| (&bytes[..i], &bytes[i + 1..]))
}

fn trim(bytes: &[u8]) -> &[u8] {
    bytes.trim_ascii()
}

fn count_or_error(bytes: &[u8], line_no: u64, record: &str) -> Result<u64, ParseError> {
    parse_count(trim(bytes)).map_err(|e| match e {
        NumberError::Negative => bad(line_no, record, "negative count"),
        NumberError::NotANumber => bad(
            line_no,
            record,
            &format!("{:?} is not a count", String::from_utf8_lossy(&bytes[..bytes.len().min(40)])),
        ),
    })
}

fn bad(line_no: u64, record: &str, what: &str) -> ParseError {
    ParseError::at_line(line_no, format!("malformed {record} record: {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Coverage, CoverageBuilder, DetailSet};

    macro_rules! fixture {
        ($name:literal) => {
            Input::bytes($name, &include_bytes!(concat!("../../tests/fixtures/coverage/lcov/", $name))[..])
        };
    }

    fn summary(input: &Input) -> (Coverage, Meta) {
        let mut b = CoverageBuilder::new();
        let meta = parse(input, &mut b).expect("parses");
        (b.finish(), meta)
    }

    fn error(input: &Input) -> String {
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
            if i != 399 {
                text.push_str("end_of_record\n");
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("big.info");
        std::fs::write(&file, &text).unwrap();
        let mut one = CoverageBuilder::new();
        let meta_one = parse(&Input::bytes("t", text.clone().into_bytes()), &mut one).unwrap();
        let mut many = CoverageBuilder::new();
        let meta_many = parse_with(&Input::file(&file), &mut many, 0).unwrap();
        assert!(split_points(&Input::file(&file), &file, 0).unwrap().len() > 2, "the file was cut");
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
        let e = parse_with(&Input::file(&file), &mut CoverageBuilder::new(), 0).unwrap_err();
        assert_eq!(e.to_string(), "202: malformed DA record: negative count");
    }

    #[test]
    fn lcov2_function_groups_count_once() {
        let (c, _) = summary(&fixture!("lcov2-functions.info"));
        assert_eq!(c.functions, Some(Counts::new(2, 1)));
    }

    #[test]
    fn summary_only_records_use_their_stated_totals() {
        let (c, meta) = summary(&fixture!("summary-only.info"));
        assert_eq!(c.lines, Counts::new(7, 5));
        assert_eq!(c.functions, Some(Counts::new(2, 1)));
        assert_eq!(c.branches, None, "BRF:0 with no BRDA is no branch data");
        assert!(c.files[0].line_bits.is_none());
        assert!(meta.notes.iter().any(|n| n.contains("no DA records")), "{:?}", meta.notes);
    }

    #[test]
    fn a_record_without_end_of_record_is_kept_and_said() {
        let (c, meta) = summary(&fixture!("no-end-of-record.info"));
        assert_eq!(c.files.len(), 2);
        assert_eq!(c.lines, Counts::new(3, 1));
        assert!(meta.notes.iter().any(|n| n.contains("2 record(s) had no end_of_record")), "{:?}", meta.notes);
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
        assert_eq!(
            error(&fixture!("outside-record.info")),
            "2: DA record outside a file record (no SF: line before it)"
        );
        assert_eq!(error(&fixture!("not-lcov.info")), "3: not an LCOV record: \"this line is not a record\"");
        assert_eq!(
            error(&Input::bytes("t", &b"SF:a\nDA:1\n"[..])),
            "2: malformed DA record: expected DA:<line>,<count>"
        );
        assert_eq!(
            error(&Input::bytes("t", &b"SF:a\nBRDA:1,0\n"[..])),
            "2: malformed BRDA record: expected BRDA:<line>,<block>,<branch>,<taken>"
        );
        assert!(error(&Input::bytes("t", &b"\n\n"[..])).contains("no LCOV records"));
    }

    #[test]
    fn truncated_last_line_is_an_error() {
        // A file cut in the middle of a record.
        let e = error(&Input::bytes("t", &b"SF:a.c\nDA:1,1\nDA:2,"[..]));
        assert_eq!(e, "3: malformed DA record: \"\" is not a count");
    }
}
