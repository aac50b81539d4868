//! One LCOV file record (`SF:` … `end_of_record`) and the records inside it: every record type
//! but the hot ones read straight from the buffer goes through [`Section::record`].

use rustc_hash::FxHashMap as HashMap;

use super::Stats;
use super::record::{
    LineNo, brda_detail, brda_summary, da_detail, da_summary, line_field, line_number, numeric_id, was_taken,
};
use super::tally::{Pending, Tally, function_counts};
use crate::model::{Counts, FileCoverage, FileDetail, Function, SummaryTotals};
use crate::parsers::ParseError;
use crate::parsers::text::{NumberError, parse_count, parse_line_number, swar_digits};

pub(super) enum Event {
    None,
    Start,
    Restart,
    End,
}

/// One `SF:` … `end_of_record` record being read.
#[derive(Default)]
pub(super) struct Section {
    pub(super) open: bool,
    /// Whether only a summary is kept: lines and branches go to `tally`, not `detail`.
    pub(super) summary: bool,
    pub(super) tally: Tally,
    pub(super) detail: FileDetail,
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
    /// Whether a record's stated totals are the producer's own figures (llvm-cov's), else
    /// the records are counted and stated totals only compared with them.
    trust_stated: bool,
}

/// A stated total (`LF:1365`): a whole number, or `None` for anything else (`LF:1e23`), which
/// is then ignored.
fn stated_count(bytes: &[u8]) -> Option<u64> {
    let bytes = trim(bytes);
    (!bytes.is_empty() && bytes.len() <= 19 && bytes.iter().all(u8::is_ascii_digit))
        .then(|| bytes.iter().fold(0u64, |n, d| n * 10 + u64::from(d - b'0')))
}

impl Section {
    /// A reader of records that keeps their every hit count, or (`summary`) only what a summary
    /// needs; `trust_stated` when the writer's stated totals are its own figures
    /// ([`super::writer::Writer::LlvmCov`]). Otherwise branch keys and function names are kept
    /// from the start, since the records are what is counted.
    pub(super) fn new(summary: bool, trust_stated: bool) -> Self {
        let mut s = Self { summary, trust_stated, ..Self::default() };
        s.tally.keys = !trust_stated;
        s
    }

    /// `DA:<line>,<count>\n` or `BRDA:<line>,<block>,<branch>,<count or ->\n` with plain
    /// numbers of at most seven digits, parsed in one pass; how many bytes it used, or `None`
    /// for anything else (which the general path then reads). `rest` holds at least 64 bytes.
    #[inline(always)]
    pub(super) fn fast_record(&mut self, rest: &[u8]) -> Option<usize> {
        if rest.starts_with(b"DA:") {
            let (line, a) = swar_digits(&rest[3..])?;
            let i = 3 + a;
            let LineNo::Line(line) = line_number(line) else { return None };
            if rest[i] != b',' {
                return None;
            }
            let (hits, b) = swar_digits(&rest[i + 1..])?;
            let end = i + 1 + b;
            if rest[end] != b'\n' {
                return None;
            }
            da_detail(&mut self.detail, line, hits);
            return Some(end + 1);
        }
        if !rest.starts_with(b"BRDA:") {
            return None;
        }
        let (line, a) = swar_digits(&rest[5..])?;
        let mut i = 5 + a;
        let LineNo::Line(line) = line_number(line) else { return None };
        if rest[i] != b',' {
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
        // Seven digits at most: a numeric id is itself (`numeric_id`).
        brda_detail(&mut self.detail, line, block as u32, branch as u32, taken);
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
        self.tally.clear();
        (self.lf, self.lh, self.brf, self.brh, self.fnf, self.fnh) = (None, None, None, None, None, None);
    }

    /// Settles the record's totals once it is complete. They are counted from the records, as
    /// `lcov --summary` counts them; a stated `LF`/`LH` (`BRF`/`BRH`, `FNF`/`FNH`) that differs
    /// is noted with both figures. Only for llvm-cov's files (`trust_stated`) are the stated
    /// totals used, when they are consistent with the records: llvm-cov writes `DA` lines its
    /// own count leaves out.
    pub(super) fn close(&mut self, stats: &mut Stats) {
        self.open = false;
        let has_lines = self.has_lines();
        let d = &mut self.detail;
        d.has_branches = if self.summary { self.tally.has_branches() } else { !d.branches.is_empty() };
        d.has_functions = !d.functions.is_empty() || self.tally.has_functions();
        let pair = |found: Option<u64>, hit: Option<u64>| found.map(|f| Counts::new(f, hit.unwrap_or(0).min(f)));
        let stated = [pair(self.lf, self.lh), pair(self.brf, self.brh), pair(self.fnf, self.fnh)];
        if stated.iter().all(Option::is_none) {
            return;
        }
        if !has_lines {
            // Totals without records: lcov counts nothing for such a record, and neither does temis.
            if let Some(lines) = stated[0] {
                stats.summary_only += 1;
                stats.stated_only.add(lines);
            }
            return;
        }
        let lines = if self.summary {
            self.tally.line_counts()
        } else {
            if !d.lines.windows(2).all(|w| w[0].0 < w[1].0) {
                d.normalize();
            }
            let hit = d.lines.iter().filter(|l| l.1 > 0).count() as u64;
            Counts::new(d.lines.len() as u64, hit)
        };
        let branches = match (self.summary, self.tally.keys) {
            (true, true) if self.tally.disordered() => None,
            (true, true) => Some(self.tally.branch_counts()),
            (false, _) => {
                d.normalize();
                let taken = d.branches.iter().filter(|b| b.taken.unwrap_or(0) > 0).count() as u64;
                Some(Counts::new(d.branches.len() as u64, taken))
            }
            (true, false) => None,
        };
        let functions = (self.tally.keys || !self.summary).then(|| function_counts(&d.functions));
        let records = [Some(lines), branches, functions];
        let trusted = self.trust_stated && stated[0].is_some_and(|s| consistent(lines, s));
        for k in 0..3 {
            let (Some(said), Some(counted)) = (stated[k], records[k]) else { continue };
            if said != counted {
                stats.merged_with_branches += u64::from(k == 0 && d.has_branches);
                stats.disagreeing[k] += 1;
                stats.stated[k].add(said);
                stats.counted[k].add(counted);
            }
        }
        if trusted {
            stats.trusted += 1;
            d.summary = Some(SummaryTotals {
                lines: stated[0],
                branches: stated[1].filter(|c| c.total > 0 || d.has_branches),
                functions: stated[2].filter(|c| c.total > 0 || d.has_functions),
            });
        }
    }

    /// Whether the closed record needs the branch keys or function names a summary reader did
    /// not keep: it has such records but states no `BRF`/`BRH` (`FNF`/`FNH`) totals.
    pub(super) fn needs_keys(&self) -> bool {
        let stated = self.detail.summary.unwrap_or_default();
        self.summary
            && (self.tally.disordered() && stated.branches.is_none()
                || !self.tally.keys
                    && (self.tally.has_branches() && stated.branches.is_none()
                        || self.tally.has_functions() && stated.functions.is_none()))
    }

    /// Whether the record holds any `DA` line.
    pub(super) fn has_lines(&self) -> bool {
        if self.summary { self.tally.has_lines() } else { !self.detail.lines.is_empty() }
    }

    /// The closed record as a summary (what [`FileDetail::summarize`] makes of the same record
    /// read in full). Only for a summary reader; leaves the record empty.
    pub(super) fn summarize(&mut self) -> FileCoverage {
        let d = &mut self.detail;
        let stated = d.summary.unwrap_or_default();
        let line_bits = self.tally.take_bits();
        let lines = match (stated.lines, &line_bits) {
            (Some(c), _) => c,
            (None, Some(bits)) => Counts::new(bits.coverable_count(), bits.covered_count()),
            (None, None) => Counts::default(),
        };
        let branches = stated.branches.or_else(|| d.has_branches.then(|| self.tally.branch_counts()));
        let functions = stated.functions.or_else(|| d.has_functions.then(|| function_counts(&d.functions)));
        FileCoverage { path: std::mem::take(&mut d.path), lines, branches, functions, line_bits }
    }

    #[inline]
    fn add_line(&mut self, line: u32, hits: u64) {
        if self.summary {
            let mut pending = Pending::default();
            da_summary(&mut self.tally, &mut pending, line, hits > 0);
            self.tally.flush(&mut pending);
        } else {
            da_detail(&mut self.detail, line, hits);
        }
    }

    pub(super) fn record(&mut self, line: &[u8], line_no: u64, stats: &mut Stats) -> Result<Event, ParseError> {
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
            match line_field(num) {
                LineNo::Line(n) => self.add_line(n, hits),
                LineNo::Zero => stats.line_zero += 1,
                LineNo::Invalid => {
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
                    self.brf = self.stated(rest, stats);
                } else if let Some(rest) = line.strip_prefix(b"BRH:") {
                    self.brh = self.stated(rest, stats);
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
                    self.fnf = self.stated(rest, stats);
                } else if let Some(rest) = line.strip_prefix(b"FNH:") {
                    self.fnh = self.stated(rest, stats);
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
                    self.lf = self.stated(rest, stats);
                } else if let Some(rest) = line.strip_prefix(b"LH:") {
                    self.need_open(line_no, "LH")?;
                    self.lh = self.stated(rest, stats);
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

    /// A stated total, or `None` (counted in `stats`) when it is not a whole number.
    fn stated(&self, rest: &[u8], stats: &mut Stats) -> Option<u64> {
        let n = stated_count(rest);
        if n.is_none() {
            stats.bad_stated += 1;
        }
        n
    }

    fn brda(&mut self, rest: &[u8], line_no: u64, stats: &mut Stats) -> Result<(), ParseError> {
        const SHAPE: &str = "expected BRDA:<line>,<block>,<branch>,<taken>";
        let (num, rest) = split_comma(rest).ok_or_else(|| bad(line_no, "BRDA", SHAPE))?;
        let (block, rest) = split_comma(rest).ok_or_else(|| bad(line_no, "BRDA", SHAPE))?;
        // The branch id may hold commas: `taken` is after the last one.
        let comma = memchr::memrchr(b',', rest).ok_or_else(|| bad(line_no, "BRDA", SHAPE))?;
        let (branch, taken) = (&rest[..comma], trim(&rest[comma + 1..]));
        let taken = if taken == b"-" { None } else { Some(count_or_error(taken, line_no, "BRDA")?) };
        let line = match line_field(num) {
            LineNo::Line(line) => line,
            LineNo::Zero => {
                stats.line_zero += 1;
                return Ok(());
            }
            LineNo::Invalid => {
                return Err(bad(line_no, "BRDA", "the line number is not an integer from 1 to 16777216"));
            }
        };
        let block = self.intern(block);
        let branch = self.intern(branch);
        if self.summary {
            brda_summary(&mut self.tally, line, block, branch, was_taken(taken));
        } else {
            brda_detail(&mut self.detail, line, block, branch, taken);
        }
        Ok(())
    }

    /// A numeric block or branch id as itself; anything else (`e0`, a string) interned above
    /// the numeric range of real producers.
    fn intern(&mut self, id: &[u8]) -> u32 {
        if let Some(n) = numeric_id(id) {
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

/// Whether a writer's stated lines can stand for a record whose `DA` lines say `records`: no
/// covered line stated where the records show none run. (Missed lines may be stated where the
/// records show none: gcovr merges a line run in one template instance and not in another.)
fn consistent(records: Counts, stated: Counts) -> bool {
    records.covered > 0 || stated.covered == 0
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
        NumberError::Fraction => bad(
            line_no,
            record,
            &format!("count {} is not a whole number", String::from_utf8_lossy(&bytes[..bytes.len().min(40)]).trim()),
        ),
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
