//! Cobertura XML (`coverage-04.dtd`), as coverage.py, gcovr, Istanbul, coverlet, tarpaulin
//! and Java Cobertura write it.
//!
//! Lines are the `class/lines/line` elements only: the `methods/method/lines/line` elements
//! of the DTD flavour repeat them and feed the file's functions instead. One file may be split
//! over several `<class>` elements (inner classes, partial classes, gcovr's per-function
//! classes): its lines are merged by number, a line's hits being the highest any class gives
//! it and its branches those of the class that measured the most. Adjacent classes are merged
//! as they are read; a file whose classes are far apart is read again from those classes'
//! bytes at the end and handed to the sink whole ([`Sink::replace`]), so nothing is counted
//! twice whatever the order.
//!
//! Branches come from `condition-coverage="50% (1/2)"`: two outcomes on that line, one taken.
//! A report whose root says `branches-valid="0" branch-rate="0"` (coverage.py without
//! `--branch`, tarpaulin) measured no branches: its files have no branch figure, not 0 %.
//!
//! Paths are `filename` as written: coverage.py makes it relative to one of the `<source>`
//! directories, which are listed in `meta.extra["sources"]` for path mapping to use; a
//! `filename` is never joined to a source here, since with several sources the report does
//! not say which one holds it. coverage.py writes one `<class>` a file: two of one `filename`
//! are two files under two of those roots, which cannot be told apart, and an error. For
//! coverage.py with branches, its printed total
//! ((lines + branches covered) / (lines + branches valid), from the root's attributes) is
//! `meta.extra["coveragepy_total"]`.
//!
//! Counts past `u64::MAX` saturate; negative or non-numeric ones, a line without `number` or
//! `hits`, and every kind of malformed XML are errors placed at their line and column.

use std::collections::BTreeMap;

use quick_xml::events::{BytesStart, Event};
use rustc_hash::FxHashMap as HashMap;
use serde_json::json;

use crate::input::Source;
use crate::model::{Counts, CoverageBuilder, FileDetail, Function, Sink};
use crate::parsers::ParseError;
use crate::parsers::text::{parse_count, parse_line_number, swar_digits};
use crate::parsers::xml_walk::{
    HotAttrs, MAX_FILE_BRANCHES, OverBudget, Tuning, Walker, budget, cut_points, hot_attributes, plain_digits,
    push_branches, read_pieces,
};
use crate::parsers::{Meta, Totals};

/// Reads `input` into `sink`.
///
/// A large file summarized into a [`CoverageBuilder`] is cut before `<class` tags into one
/// piece per core, each read by its own thread ([`read_pieces`]); the file records cut in two
/// are joined again, and every file given in several places is merged exactly, as in one walk.
/// Anything unusual about the cuts, and any error, has the whole file read in one walk.
pub fn parse(input: &Source, sink: &mut dyn Sink) -> Result<Meta, ParseError> {
    parse_tuned(input, sink, Tuning::default())
}

/// Where every `<class>` of a Cobertura report stands.
const CLASS_PARENTS: [&str; 4] = ["coverage", "packages", "package", "classes"];

fn parse_tuned(input: &Source, sink: &mut dyn Sink, tuning: Tuning) -> Result<Meta, ParseError> {
    if let Some(builder) = sink.as_builder() {
        let cuts = cut_points(input, b"<class");
        if cuts.len() > 2
            && let Some(meta) = parse_pieces(input, &cuts, builder, tuning)?
        {
            return Ok(meta);
        }
    }
    let mut w = Walker::tuned(input, "coverage", "Cobertura", tuning)?;
    let mut doc = Doc::default();
    doc.run(&mut w, sink)?;
    doc.flush(sink);
    doc.whole()?;
    doc.replay(input, sink, tuning)?;
    Ok(doc.meta())
}

/// Reads the pieces of `input` between `cuts` on threads of their own into `sink`; `None`
/// when they must be read in one walk instead (`sink` is then untouched).
fn parse_pieces(
    input: &Source,
    cuts: &[u64],
    sink: &mut CoverageBuilder,
    tuning: Tuning,
) -> Result<Option<Meta>, ParseError> {
    // Whether branches were measured, and who wrote it, which the root says and every piece needs.
    let Some((measured, writer)) = root_measured(input, tuning) else {
        return Ok(None);
    };
    let read = |i: usize, w: &mut Walker<'_>| {
        // All but the first piece start with a file whose classes may have begun before.
        let mut doc = Doc { measured, writer, hold_first: i > 0, ..Doc::default() };
        let mut part = CoverageBuilder::new();
        doc.run(w, &mut part)?;
        Ok((doc, part))
    };
    let Some(pieces) = read_pieces(input, ("coverage", "Cobertura"), cuts, &CLASS_PARENTS, tuning, read) else {
        return Ok(None);
    };
    let mut pieces = pieces.into_iter();
    let Some((mut doc, mut out)) = pieces.next() else {
        return Ok(None);
    };
    for (mut piece, part) in pieces {
        out.absorb(part);
        doc.fold(&mut piece);
        // The piece's first file record, and its last when it has more than one.
        let (first, last) = match piece.held.take() {
            Some(first) => (first, Some(std::mem::take(&mut piece.file))),
            None => (std::mem::take(&mut piece.file), None),
        };
        if !first.open {
            // No class at all: the cut stands elsewhere than one walk would read.
            return Ok(None);
        }
        if doc.file.open && doc.file.path == first.path {
            // One record cut in two: the classes of one file, one walk would read together.
            if doc.file.branch_count + first.branch_count > MAX_FILE_BRANCHES {
                return Ok(None);
            }
            doc.file.append(first);
        } else {
            doc.flush(&mut out);
            doc.file = first;
        }
        if let Some(last) = last {
            doc.flush(&mut out);
            doc.file = last;
        }
    }
    doc.flush(&mut out);
    doc.whole()?;
    doc.replay(input, &mut out, tuning)?;
    sink.absorb_all(out);
    Ok(Some(doc.meta()))
}

/// What the root element says of branches ([`Doc::measured`]) and of its writer, or `None` when
/// it cannot be read (the walk over the whole input then reports why).
fn root_measured(input: &Source, tuning: Tuning) -> Option<(Option<bool>, Writer)> {
    let mut w = Walker::tuned(input, "coverage", "Cobertura", tuning).ok()?;
    let mut buf = Vec::new();
    loop {
        match w.next(&mut buf).ok()? {
            Event::Start(e) | Event::Empty(e) => {
                let mut doc = Doc::default();
                doc.root(&w, &e).ok()?;
                return Some((doc.measured, doc.writer));
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// Who wrote a Cobertura report, when it changes what its figures mean.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Writer {
    #[default]
    Other,
    /// coverage.py: its lines are statements; with branches, its own total folds them in.
    CoveragePy,
    /// Istanbul (nyc, c8, jest): `lines-valid="…"` first and `version="0.1"` on the root; its
    /// per-line `condition-coverage` loses branches its root attributes count, and it truncates.
    Istanbul,
    /// simplecov-cobertura (its comment says so): the root attributes are SimpleCov's totals.
    SimpleCov,
    /// gcovr (`version="gcovr 8.8"`): a line is listed once per function instance (C++
    /// templates, constructors), and gcovr counts each.
    Gcovr,
}

#[derive(Default)]
struct Doc {
    coveragepy: bool,
    writer: Writer,
    /// The root's `lines-valid`, `lines-covered`, `branches-valid`, `branches-covered`.
    stated: [Option<u64>; 4],
    /// From the root: `Some(false)` when branches were not measured.
    measured: Option<bool>,
    sources: Vec<String>,
    source: String,
    /// Depth of the open element of each kind, 0 when none is open.
    source_depth: usize,
    class_depth: usize,
    method_depth: usize,
    method: Option<Function>,
    method_hits: Option<u64>,
    /// The method's `line-rate` above 0: it ran, for a method without `<line>`s.
    method_ran: bool,
    file: FileAcc,
    detail: FileDetail,
    /// Byte ranges of the classes of each file's first record (a run of adjacent classes),
    /// and of its later records when there are any.
    first: HashMap<String, Vec<(u64, u64)>>,
    more: BTreeMap<String, Vec<(u64, u64)>>,
    replay: bool,
    /// For a piece after the first: its first file record is held, not handed to the sink, as
    /// its classes may have begun in the piece before ([`parse_pieces`] joins them).
    hold_first: bool,
    held: Option<FileAcc>,
    /// Which `<line>`s come next, for [`Walker::hot_tags`].
    hot: Hot,
    files: u64,
    empty: u64,
    line_zero: u64,
    clamped: u64,
}

/// Where the walk stands, for the hot path.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
enum Hot {
    #[default]
    None,
    /// Between the `<line>`s of `class/lines`.
    Class,
    /// Between the `<line>`s of `method/lines`.
    Method,
}

/// One file's classes, being read.
#[derive(Default)]
struct FileAcc {
    open: bool,
    path: String,
    /// Where each of its classes stands (each may be read again on its own).
    ranges: Vec<(u64, u64)>,
    lines: Vec<(u32, u64)>,
    /// (line, total, covered) from `condition-coverage`.
    conds: Vec<(u32, u64, u64)>,
    branch_count: u64,
    functions: Vec<Function>,
    methods_seen: bool,
}

impl FileAcc {
    /// Adds the classes of `more`, which follow this record's.
    fn append(&mut self, mut more: FileAcc) {
        self.ranges.append(&mut more.ranges);
        self.lines.append(&mut more.lines);
        self.conds.append(&mut more.conds);
        self.branch_count += more.branch_count;
        self.functions.append(&mut more.functions);
        self.methods_seen |= more.methods_seen;
    }

    fn start(&mut self, path: String) {
        self.open = true;
        self.path = path;
        self.ranges.clear();
        self.lines.clear();
        self.conds.clear();
        self.branch_count = 0;
        self.functions.clear();
        self.methods_seen = false;
    }
}

impl Doc {
    fn run(&mut self, w: &mut Walker<'_>, sink: &mut dyn Sink) -> Result<(), ParseError> {
        let mut buf = Vec::with_capacity(4096);
        self.hot = Hot::None;
        loop {
            match self.hot {
                Hot::Class => w.hot_tags(b"<line", |s| self.fast_class_line(s)),
                Hot::Method => w.hot_tags(b"<line", |s| self.fast_method_line(s)),
                Hot::None => {}
            }
            match w.next(&mut buf)? {
                Event::Start(e) => self.open(w, &e, sink)?,
                Event::Empty(e) => {
                    self.open(w, &e, sink)?;
                    self.close(w);
                }
                Event::End(_) => self.close(w),
                Event::Text(t) if self.source_depth > 0 => self.source.push_str(&t.xml10_content()),
                Event::CData(t) if self.source_depth > 0 => self.source.push_str(&t.xml10_content()),
                Event::GeneralRef(r) if self.source_depth > 0 => {
                    self.source.extend(w.resolve(&r)?);
                }
                Event::Comment(c) if w.depth() == 1 && c.contains("coverage.py") => {
                    self.coveragepy = true;
                }
                Event::Comment(c) if w.depth() <= 1 && c.contains("simplecov-cobertura") => {
                    self.writer = Writer::SimpleCov;
                }
                Event::Eof => return Ok(()),
                _ => {}
            }
            self.hot = if self.class_depth == 0 {
                Hot::None
            } else if w.inside(&["class", "lines"]) {
                Hot::Class
            } else if self.method_depth > 0 && w.inside(&["method", "lines"]) {
                Hot::Method
            } else {
                Hot::None
            };
        }
    }

    fn open(&mut self, w: &mut Walker<'_>, e: &BytesStart<'_>, sink: &mut dyn Sink) -> Result<(), ParseError> {
        match e.name().0 {
            "line" if self.class_depth > 0 => {
                if w.within(&["class", "lines"]) {
                    self.class_line(w, e)?;
                } else if self.method_depth > 0 && w.within(&["method", "lines"]) {
                    self.method_line(w, e)?;
                }
            }
            "class" if self.class_depth == 0 => self.class_start(w, e, sink)?,
            "method" if self.class_depth > 0 && self.method_depth == 0 => {
                self.method_start(w, e)?;
            }
            "source" if w.within(&["coverage", "sources"]) => {
                self.source_depth = w.tag_depth();
                self.source.clear();
                w.trim_text(false);
            }
            "coverage" if w.tag_depth() == 1 => self.root(w, e)?,
            _ => {}
        }
        Ok(())
    }

    /// The element at depth `w.depth() + 1` has just ended.
    fn close(&mut self, w: &mut Walker<'_>) {
        let depth = w.depth() + 1;
        if depth == self.class_depth {
            self.class_depth = 0;
            if let Some(range) = self.file.ranges.last_mut() {
                range.1 = w.position();
            }
        } else if depth == self.method_depth {
            self.method_depth = 0;
            if let Some(mut f) = self.method.take() {
                // gcovr writes one instance of a template with `<lines/>` (its lines are the
                // other instance's) and `line-rate="1.0"`: it ran, as gcovr counts it.
                let ran_without_lines = f.line == 0 && self.method_ran;
                f.hits = self.method_hits.unwrap_or(if ran_without_lines { 1 } else { f.hits });
                self.file.functions.push(f);
            }
        } else if depth == self.source_depth {
            self.source_depth = 0;
            w.trim_text(true);
            let source = self.source.trim();
            if !source.is_empty() {
                self.sources.push(source.to_string());
            }
        }
    }

    fn root(&mut self, w: &Walker<'_>, e: &BytesStart<'_>) -> Result<(), ParseError> {
        let mut zero_rate = false;
        let (mut first, mut version) = (None, None);
        for a in e.attributes() {
            let a = a.map_err(|err| w.attr_error(err))?;
            if first.is_none() {
                first = Some(a.key.0.to_string());
            }
            if a.key.0 == "version" {
                version = Some(a.value.trim().to_string());
            }
            let slot = match a.key.0 {
                "lines-valid" => 0,
                "lines-covered" => 1,
                "branches-valid" => 2,
                "branches-covered" => 3,
                "branch-rate" => {
                    zero_rate = a.value.trim().parse::<f64>() == Ok(0.0);
                    continue;
                }
                _ => continue,
            };
            // The producer's own totals: informative only, so unreadable ones are left out.
            self.stated[slot] = parse_count(a.value.trim().as_bytes()).ok();
        }
        self.measured = match self.stated[2] {
            Some(0) if zero_rate => Some(false),
            Some(_) => Some(true),
            None => None,
        };
        if first.as_deref() == Some("lines-valid") && version.as_deref() == Some("0.1") {
            self.writer = Writer::Istanbul;
        } else if version.as_deref().is_some_and(|v| v.starts_with("gcovr")) {
            self.writer = Writer::Gcovr;
        }
        Ok(())
    }

    fn class_start(&mut self, w: &Walker<'_>, e: &BytesStart<'_>, sink: &mut dyn Sink) -> Result<(), ParseError> {
        let mut filename = None;
        for a in e.attributes() {
            let a = a.map_err(|err| w.attr_error(err))?;
            if a.key.0 == "filename" {
                filename = Some(w.text(&a)?);
            }
        }
        let filename = match filename {
            Some(f) if !f.trim().is_empty() => f,
            _ => return Err(w.fail("<class> without a filename attribute")),
        };
        self.class_depth = w.tag_depth();
        let same_file = self.file.open && self.file.path == filename;
        if !self.replay {
            if !same_file {
                self.flush(sink);
                self.file.start(filename);
            }
            self.file.ranges.push((w.tag_start(), w.tag_start()));
        }
        Ok(())
    }

    fn class_line(&mut self, w: &Walker<'_>, e: &BytesStart<'_>) -> Result<(), ParseError> {
        let (mut number, mut hits, mut branch, mut cond) = (None, None, true, None);
        let mut seen = 0;
        for a in hot_attributes(e) {
            let a = a.map_err(|err| w.attr_error(err))?;
            match a.key.0 {
                "number" => {
                    w.once(&mut seen, 0, &a)?;
                    number = Some(w.line_number(&a)?);
                }
                "hits" => {
                    w.once(&mut seen, 1, &a)?;
                    hits = Some(w.count(&a)?);
                }
                "branch" => branch = !a.value.trim().eq_ignore_ascii_case("false"),
                "condition-coverage" => {
                    w.once(&mut seen, 2, &a)?;
                    cond = Some(condition(&a.value).ok_or_else(|| {
                        w.fail(format!("condition-coverage=\"{}\" is not of the form \"50% (1/2)\"", a.value))
                    })?);
                }
                _ => {}
            }
        }
        let number = number.ok_or_else(|| w.fail("<line> without a number attribute"))?;
        let hits = hits.ok_or_else(|| w.fail("<line> without a hits attribute"))?;
        let Some(line) = number else {
            self.line_zero += 1;
            return Ok(());
        };
        self.line_read(line, hits, branch, cond).map_err(|e| w.over_budget(e))
    }

    /// What a `class/lines/line` means once its attributes are read, whichever path read them:
    /// line `line` run `hits` times; when it is a branch line (`branch` not `"false"`) whose
    /// `condition-coverage` gives `(covered, total)` with `total > 0`, that many outcomes, within
    /// the file's branch budget.
    #[inline(always)]
    fn line_read(&mut self, line: u32, hits: u64, branch: bool, cond: Option<(u64, u64)>) -> Result<(), OverBudget> {
        let cond = cond.filter(|&(_, total)| branch && total > 0);
        if let Some((_, total)) = cond {
            budget(&mut self.file.branch_count, total)?;
        }
        self.push_line(line, hits, cond);
        Ok(())
    }

    /// A `class/lines/line` read, its branches within budget and counted in.
    #[inline(always)]
    fn push_line(&mut self, line: u32, hits: u64, cond: Option<(u64, u64)>) {
        self.file.lines.push((line, hits));
        if let Some((covered, total)) = cond {
            if covered > total {
                self.clamped += 1;
            }
            self.file.conds.push((line, total, covered.min(total)));
        }
    }

    /// [`Doc::class_line`] for a tag in the plain form, read from its bytes by
    /// [`Walker::hot_tags`]: how many bytes it used, or `None` for anything the general path
    /// must read (which it then reads the same way, or reports as an error).
    #[inline(always)]
    fn fast_class_line(&mut self, s: &[u8]) -> Option<usize> {
        let (mut number, mut hits, mut branch, mut cond) = (None, None, true, None);
        // The form every producer writes: `number` then `hits`, often nothing else.
        let mut at = 0;
        if let Some(([n, h], used)) = plain_digits(s, [b" number=\"", b"\" hits=\""])
            && n > 0
        {
            // Nothing more, or gcovr's `branch="false"` on a line without branches.
            const NO_BRANCH: &[u8] = b" branch=\"false\"/>";
            let end = if s.get(used..used + 2) == Some(b"/>") {
                used + 2
            } else if s[used..].starts_with(NO_BRANCH) {
                used + NO_BRANCH.len()
            } else {
                0
            };
            if end > 0 {
                self.line_read(n as u32, h, false, None).ok()?;
                return Some(end);
            }
            (number, hits, at) = (Some(n as u32), Some(h), used);
            // coverage.py's and gcovr's branch lines go on the same way.
            const BRANCH: &[u8] = b" branch=\"true\" condition-coverage=\"";
            if s[at..].starts_with(BRANCH)
                && let Some((c, used)) = plain_condition(&s[at + BRANCH.len()..])
            {
                cond = Some(c);
                at += BRANCH.len() + used;
            }
        }
        let mut attrs = HotAttrs::new(s, at);
        while let Some((key, value)) = attrs.next()? {
            match key {
                b"number" if number.is_none() => number = Some(parse_line_number(value)?),
                b"hits" if hits.is_none() => hits = Some(parse_count(value).ok()?),
                b"condition-coverage" if cond.is_none() => {
                    cond = Some(condition(std::str::from_utf8(value).ok()?)?);
                }
                // Given twice: an error the general path reports.
                b"number" | b"hits" | b"condition-coverage" => return None,
                b"branch" => branch = !value.trim_ascii().eq_ignore_ascii_case(b"false"),
                _ => {}
            }
        }
        let (line, hits) = (number?, hits?);
        self.line_read(line, hits, branch, cond).ok()?;
        Some(attrs.used())
    }

    fn method_start(&mut self, w: &Walker<'_>, e: &BytesStart<'_>) -> Result<(), ParseError> {
        let (mut name, mut signature) = (String::new(), String::new());
        self.method_hits = None;
        self.method_ran = false;
        for a in e.attributes() {
            let a = a.map_err(|err| w.attr_error(err))?;
            match a.key.0 {
                "name" => name = w.text(&a)?,
                "signature" => signature = w.text(&a)?,
                "hits" => self.method_hits = Some(w.count(&a)?),
                "line-rate" => self.method_ran = w.text(&a)?.trim().parse::<f64>().is_ok_and(|r| r > 0.0),
                _ => {}
            }
        }
        // Overloads differ by signature; Istanbul writes "()V" for every function.
        if signature != "()V" {
            name.push_str(&signature);
        }
        self.method = Some(Function { name, line: 0, hits: 0 });
        self.method_depth = w.tag_depth();
        self.file.methods_seen = true;
        Ok(())
    }

    fn method_line(&mut self, w: &Walker<'_>, e: &BytesStart<'_>) -> Result<(), ParseError> {
        let Some(method) = self.method.as_mut() else {
            return Ok(());
        };
        let mut seen = 0;
        for a in hot_attributes(e) {
            let a = a.map_err(|err| w.attr_error(err))?;
            match a.key.0 {
                "number" => {
                    w.once(&mut seen, 0, &a)?;
                    if let Some(n) = w.line_number(&a)?
                        && (method.line == 0 || n < method.line)
                    {
                        method.line = n;
                    }
                }
                "hits" => method.hits = method.hits.max(w.count(&a)?),
                _ => {}
            }
        }
        Ok(())
    }

    /// [`Doc::method_line`] for a tag in the plain form (see [`Doc::fast_class_line`]).
    #[inline(always)]
    fn fast_method_line(&mut self, s: &[u8]) -> Option<usize> {
        let mut attrs = HotAttrs::new(s, 0);
        let (mut number, mut hits) = (None, None::<u64>);
        while let Some((key, value)) = attrs.next()? {
            match key {
                b"number" if number.is_none() => number = Some(parse_line_number(value)?),
                b"number" => return None,
                b"hits" => {
                    let h = parse_count(value).ok()?;
                    hits = Some(hits.map_or(h, |m| m.max(h)));
                }
                _ => {}
            }
        }
        let method = self.method.as_mut()?;
        if let Some(n) = number
            && (method.line == 0 || n < method.line)
        {
            method.line = n;
        }
        if let Some(h) = hits {
            method.hits = method.hits.max(h);
        }
        Some(attrs.used())
    }

    /// Hands the file being read to the sink, and remembers where its classes were.
    fn flush(&mut self, sink: &mut dyn Sink) {
        if !self.file.open {
            return;
        }
        if self.hold_first {
            self.hold_first = false;
            self.held = Some(std::mem::take(&mut self.file));
            return;
        }
        self.build();
        if self.detail.lines.is_empty() {
            self.empty += 1;
            return;
        }
        let ranges = std::mem::take(&mut self.file.ranges);
        self.add_ranges(&self.file.path.clone(), ranges);
        self.files += 1;
        sink.file(&mut self.detail);
    }

    /// What the whole report must hold to, once read: an error where it does not.
    ///
    /// coverage.py writes one `<class>` a file, its `filename` relative to the one of its
    /// `<source>` roots that holds it: with several (`--cov=pkg --cov=other`), two files of one
    /// name (`pkg/mod.py`, `other/mod.py`) are two classes of one `filename`, which no reader
    /// can tell apart — read as one file, their lines merged and half the statements gone.
    ///
    /// And a `condition-coverage` of more branches covered than exist (`50% (3/2)`), which no
    /// producer writes: counted as fully covered, it passed a `min_branch` the report's own
    /// figures fail.
    fn whole(&self) -> Result<(), ParseError> {
        if self.clamped > 0 {
            return Err(ParseError::whole(format!(
                "{} condition-coverage value(s) say more branches covered than exist (as `50% (3/2)`): no \
                 producer writes that; the report is damaged, write it again",
                self.clamped
            )));
        }
        if !self.coveragepy {
            return Ok(());
        }
        let twice = self.first.iter().filter(|(_, r)| r.len() > 1).map(|(p, _)| p).chain(self.more.keys()).min();
        match twice {
            None => Ok(()),
            Some(path) => Err(ParseError::whole(format!(
                "two files are named {path:?} in this coverage.py report (one <class> each): coverage.py writes \
                 a file's path relative to the one of its {} <source> roots that holds it, so files of one name \
                 under two roots cannot be told apart; give temis coverage.py's JSON or LCOV report \
                 (`--cov-report=json` / `lcov`), which keep each file's whole path",
                self.sources.len()
            ))),
        }
    }

    /// Remembers that a record of file `path` has classes at `ranges`.
    fn add_ranges(&mut self, path: &str, mut ranges: Vec<(u64, u64)>) {
        match self.first.get(path) {
            None => {
                self.first.insert(path.to_string(), ranges);
            }
            Some(_) => self.more.entry(path.to_string()).or_default().append(&mut ranges),
        }
    }

    /// Adds what a later piece read: its counts, sources and where its file records stand.
    fn fold(&mut self, piece: &mut Doc) {
        self.coveragepy |= piece.coveragepy;
        if self.writer == Writer::Other {
            self.writer = piece.writer;
        }
        self.sources.append(&mut piece.sources);
        self.files += piece.files;
        self.empty += piece.empty;
        self.line_zero += piece.line_zero;
        self.clamped += piece.clamped;
        for (path, ranges) in std::mem::take(&mut piece.first) {
            self.add_ranges(&path, ranges);
        }
        for (path, ranges) in std::mem::take(&mut piece.more) {
            self.add_ranges(&path, ranges);
        }
    }

    /// Reads again, exactly, the files whose classes were not adjacent, from their bytes, and
    /// hands each to the sink whole.
    fn replay(&mut self, input: &Source, sink: &mut dyn Sink, tuning: Tuning) -> Result<(), ParseError> {
        let repeated = std::mem::take(&mut self.more);
        self.replay = true;
        for (path, mut ranges) in repeated {
            ranges.extend_from_slice(self.first.get(&path).map_or(&[][..], Vec::as_slice));
            ranges.sort_unstable();
            self.file.start(path);
            for (from, to) in ranges {
                self.run(&mut Walker::fragment(input, from, to, tuning)?, sink)?;
            }
            self.build();
            sink.replace(&mut self.detail);
        }
        Ok(())
    }

    /// The file being read, merged by line, as `self.detail`.
    fn build(&mut self) {
        let f = &mut self.file;
        f.open = false;
        let d = &mut self.detail;
        d.clear();
        d.path.push_str(&f.path);
        if self.writer == Writer::Gcovr {
            // gcovr's own count: every entry, a line once per function instance.
            let covered = f.lines.iter().filter(|l| l.1 > 0).count() as u64;
            let mut branches = Counts::default();
            for &(_, total, covered) in &f.conds {
                branches.add(Counts::new(total, covered));
            }
            let measured = self.measured.unwrap_or(!f.conds.is_empty());
            d.summary = Some(crate::model::SummaryTotals {
                lines: Some(Counts::new(f.lines.len() as u64, covered)),
                branches: measured.then_some(branches),
                functions: None,
            });
        }
        // Usually in order already, each line once.
        if !f.lines.windows(2).all(|w| w[0].0 < w[1].0) {
            f.lines.sort_unstable_by_key(|l| l.0);
            f.lines.dedup_by(|next, kept| {
                let same = next.0 == kept.0;
                if same {
                    kept.1 = kept.1.max(next.1);
                }
                same
            });
        }
        // `d.lines` is empty: the file's next class starts with it.
        std::mem::swap(&mut d.lines, &mut f.lines);
        // Sorted by (line, total, covered): the last of a line measured the most.
        f.conds.sort_unstable();
        f.conds.reverse();
        f.conds.dedup_by_key(|c| c.0);
        for &(line, total, covered) in f.conds.iter().rev() {
            push_branches(&mut d.branches, line, 0, covered, total);
        }
        d.functions.append(&mut f.functions);
        d.has_branches = self.measured.unwrap_or(!f.conds.is_empty());
        d.has_functions = f.methods_seen;
    }

    fn meta(&self) -> Meta {
        let mut meta = Meta::default();
        if self.files == 0 {
            meta.notes.push("the report lists no file with coverable lines (no <class> with lines)".into());
        }
        let writer = if self.coveragepy { Writer::CoveragePy } else { self.writer };
        match writer {
            Writer::CoveragePy => meta.unit = Some(crate::model::Unit::Statements),
            Writer::Istanbul | Writer::SimpleCov => {
                // The root attributes are the producer's own totals: the per-line condition
                // coverage loses branches (nyc: 139/145 at the root, 131/137 over the lines).
                if let [Some(lv), Some(lc), bv, bc] = self.stated {
                    let branches = match (self.measured, bv, bc) {
                        (Some(true), Some(bv), Some(bc)) => Some(Counts::new(bv, bc.min(bv))),
                        _ => None,
                    };
                    meta.totals = Some(Totals { lines: Counts::new(lv, lc.min(lv)), branches, functions: None });
                    meta.totals_from = Some(if writer == Writer::Istanbul {
                        "Istanbul's <coverage> attributes"
                    } else {
                        "simplecov-cobertura's <coverage> attributes (SimpleCov's totals)"
                    });
                }
                if writer == Writer::Istanbul {
                    meta.rounding = Some(crate::model::Rounding::Floor);
                }
            }
            Writer::Gcovr | Writer::Other => {}
        }
        if !self.sources.is_empty() {
            meta.extra.insert("sources".into(), json!(self.sources));
        }
        if let ([Some(lv), Some(lc), Some(bv), Some(bc)], true, Some(true)) =
            (self.stated, self.coveragepy, self.measured)
        {
            let (covered, total) = (lc.saturating_add(bc), lv.saturating_add(bv));
            let percent = (total > 0).then(|| 100.0 * covered as f64 / total as f64);
            meta.extra
                .insert("coveragepy_total".into(), json!({"covered": covered, "total": total, "percent": percent}));
        }
        if self.empty > 0 {
            meta.notes.push(format!("{} <class> file record(s) with no <line> were left out", self.empty));
        }
        if self.line_zero > 0 {
            meta.notes.push(format!("{} <line> element(s) with number=\"0\" were skipped", self.line_zero));
        }
        meta
    }
}

/// [`condition`] for a value written as producers write it, `50% (1/2)`, read from the bytes
/// after the attribute's opening quote: `(covered, total)` and the bytes used through the
/// closing quote, or `None` for any other form.
#[inline(always)]
fn plain_condition(v: &[u8]) -> Option<((u64, u64), usize)> {
    let open = v.iter().take(8).position(|&b| b == b'(')?;
    if !v[..open].iter().all(|&b| b.is_ascii_digit() || b == b'%' || b == b' ' || b == b'.') {
        return None;
    }
    let (covered, a) = swar_digits(&v[open + 1..])?;
    let slash = open + 1 + a;
    if *v.get(slash)? != b'/' {
        return None;
    }
    let (total, b) = swar_digits(v.get(slash + 1..)?)?;
    let end = slash + 1 + b;
    (v.get(end..end + 2)? == b")\"").then_some(((covered, total), end + 2))
}

/// `(covered, total)` from `condition-coverage="50% (1/2)"` (the percentage is not read).
fn condition(raw: &str) -> Option<(u64, u64)> {
    let inner = match raw.find('(') {
        Some(i) => raw[i + 1..].trim_end().strip_suffix(')')?,
        None => raw,
    };
    let (covered, total) = inner.split_once('/')?;
    let covered = parse_count(covered.trim().as_bytes()).ok()?;
    let total = parse_count(total.trim().as_bytes()).ok()?;
    Some((covered, total))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Counts, Coverage, DetailSet};
    use crate::parsers::xml_agree::Reader;

    const BRANCH: &[u8] = include_bytes!("../../tests/fixtures/coverage/cobertura/coveragepy-branch.xml");
    const NO_BRANCH: &[u8] = include_bytes!("../../tests/fixtures/coverage/cobertura/coveragepy-nobranch.xml");
    const DTD: &[u8] = include_bytes!("../../tests/fixtures/coverage/cobertura/dtd-java.xml");
    const WINDOWS: &[u8] = include_bytes!("../../tests/fixtures/coverage/cobertura/windows-sources.xml");

    fn read(bytes: &[u8]) -> (Coverage, Meta) {
        let input = Source::bytes("coverage.xml", bytes);
        let mut builder = CoverageBuilder::new();
        let meta = parse(&input, &mut builder).unwrap();
        (builder.finish(), meta)
    }

    fn fail(xml: &str) -> ParseError {
        fail_bytes(xml.as_bytes())
    }

    fn fail_bytes(bytes: &[u8]) -> ParseError {
        let input = Source::bytes("coverage.xml", bytes);
        parse(&input, &mut CoverageBuilder::new()).unwrap_err()
    }

    /// A minimal report around one `<line>` (on line 3).
    fn one_line(line: &str) -> String {
        format!(
            "<coverage>\n<packages><package name=\"p\"><classes><class filename=\"a.py\"><lines>\n\
             {line}\n</lines></class></classes></package></packages></coverage>"
        )
    }

    #[test]
    fn coveragepy_with_branches() {
        let (cov, meta) = read(BRANCH);
        assert_eq!(cov.files.len(), 2);
        assert_eq!(cov.lines, Counts::new(9, 7));
        assert_eq!(cov.branches, Some(Counts::new(6, 4)));
        assert_eq!(cov.functions, None);
        let init = &cov.files[0];
        assert_eq!(init.path, "src/pkg/__init__.py");
        assert_eq!(init.branches, Some(Counts::new(0, 0)));
        let core = &cov.files[1];
        assert!(!core.line_bits.as_ref().unwrap().is_covered(7));
        assert_eq!(meta.extra["sources"], json!(["/home/ci/work/proj"]));
        assert_eq!(meta.extra["coveragepy_total"]["covered"], json!(11));
        assert_eq!(meta.extra["coveragepy_total"]["total"], json!(15));
    }

    #[test]
    fn coveragepy_without_branches_has_no_branch_figure() {
        let (cov, meta) = read(NO_BRANCH);
        assert_eq!(cov.lines, Counts::new(4, 3));
        assert_eq!(cov.branches, None);
        assert_eq!(cov.files[0].path, "app.py");
        assert!(!meta.extra.contains_key("coveragepy_total"));
        assert_eq!(meta.extra["sources"], json!(["/home/ci/work/proj/src", "/home/ci/work/proj/tools"]));
    }

    #[test]
    fn dtd_flavour_merges_classes_of_one_file() {
        let (cov, meta) = read(DTD);
        // Shape.java: lines 10 11 14 17 21 22 30 (14 missed), the method lines not counted
        // again; line 22's 1/4 given by two far-apart classes counts once.
        assert_eq!(cov.files.len(), 2);
        let shape = &cov.files[0];
        assert_eq!(shape.path, "com/example/Shape.java");
        assert_eq!(shape.lines, Counts::new(7, 6));
        assert_eq!(shape.branches, Some(Counts::new(6, 2)));
        assert_eq!(shape.functions, Some(Counts::new(4, 3)));
        assert_eq!(cov.files[1].functions, None);
        assert_eq!(cov.lines, Counts::new(8, 7));
        assert_eq!(meta.notes.len(), 1, "{:?}", meta.notes);
        assert!(meta.notes[0].contains("no <line>"));
    }

    #[test]
    fn details_keep_the_highest_hits_and_method_names() {
        let input = Source::bytes("coverage.xml", DTD);
        let mut set = DetailSet::new();
        parse(&input, &mut set).unwrap();
        set.sort();
        let shape = &set.files[0];
        assert_eq!(shape.lines.iter().find(|l| l.0 == 11), Some(&(11, 4)));
        assert_eq!(shape.lines.iter().find(|l| l.0 == 22), Some(&(22, 2)));
        assert_eq!(shape.branches.len(), 6);
        let mut names: Vec<_> = shape.functions.iter().map(|f| f.name.as_str()).collect();
        names.sort();
        assert_eq!(names, ["<init>", "area()D", "scale(D)V", "scale(I)V"]);
    }

    #[test]
    fn windows_sources_are_listed_unescaped() {
        let (cov, meta) = read(WINDOWS);
        assert_eq!(meta.extra["sources"], json!([r"D:\a\my repo & co\src\", r"C:\agent\_work\1\s"]));
        assert_eq!(cov.files[0].path, r"MyLib\Calc.cs");
        assert_eq!(cov.lines, Counts::new(2, 1));
        assert_eq!(cov.functions, Some(Counts::new(1, 1)));
    }

    #[test]
    fn truncated_report() {
        let e = fail("<coverage>\n<packages><package>\n<classes>");
        assert!(e.message.contains("end of file inside <classes>"), "{e}");
        assert_eq!(e.line, Some(3));
        let e = fail(&one_line("<line number=\"1\" hi")[..70]);
        assert!(e.message.contains("malformed XML"), "{e}");
    }

    #[test]
    fn malformed_attribute() {
        let e = fail(&one_line("<line number=1 hits=\"1\"/>"));
        assert!(e.message.contains("malformed attribute"), "{e}");
        assert_eq!((e.line, e.column), (Some(3), Some(14)));
    }

    #[test]
    fn bad_counts() {
        let e = fail(&one_line("<line number=\"1\" hits=\"many\"/>"));
        assert_eq!(e.to_string(), "3:1: hits=\"many\": not a count");
        let e = fail(&one_line("<line number=\"1\" hits=\"-2\"/>"));
        assert!(e.message.contains("cannot be negative"), "{e}");
        // Half a hit, truncated, would read as not run.
        let e = fail(&one_line("<line number=\"1\" hits=\"0.5\"/>"));
        assert_eq!(e.to_string(), "3:1: hits=\"0.5\": a count is a whole number");
        let e = fail(&one_line("<line number=\"x\" hits=\"2\"/>"));
        assert!(e.message.contains("not a line number"), "{e}");
        let e = fail(&one_line("<line hits=\"2\"/>"));
        assert!(e.message.contains("without a number"), "{e}");
        let e = fail(&one_line("<line number=\"1\" hits=\"1\" condition-coverage=\"50%\"/>"));
        assert!(e.message.contains("condition-coverage"), "{e}");
    }

    #[test]
    fn absurd_counts_saturate_and_absurd_branches_are_refused() {
        let xml = one_line("<line number=\"1\" hits=\"99999999999999999999999\"/>");
        let input = Source::bytes("c.xml", xml.into_bytes());
        let mut set = DetailSet::new();
        parse(&input, &mut set).unwrap();
        assert_eq!(set.files[0].lines, vec![(1, u64::MAX)]);
        let e = fail(&one_line(
            "<line number=\"1\" hits=\"1\" branch=\"true\" condition-coverage=\"1% (1/99999999999)\"/>",
        ));
        assert!(e.message.contains("branches on one line"), "{e}");
        assert_eq!(e.line, Some(3));
    }

    #[test]
    fn invalid_utf8() {
        let mut bytes = one_line("<line number=\"1\" hits=\"1\"/>").into_bytes();
        let at = bytes.windows(4).position(|w| w == b"a.py").unwrap();
        bytes[at] = 0xFF;
        let e = fail_bytes(&bytes);
        assert!(e.message.contains("not valid UTF-8"), "{e}");
        assert_eq!(e.line, Some(2));
    }

    #[test]
    fn external_dtd_is_never_fetched() {
        for doctype in [
            "<!DOCTYPE coverage SYSTEM \"http://127.0.0.1:9/coverage-04.dtd\">",
            "<!DOCTYPE coverage SYSTEM \"/etc/passwd\">",
        ] {
            let xml = format!("{doctype}\n{}", one_line("<line number=\"1\" hits=\"1\"/>"));
            let (cov, _) = read(xml.as_bytes());
            assert_eq!(cov.lines, Counts::new(1, 1));
        }
    }

    #[test]
    fn declared_entities_are_not_expanded() {
        let doctype = "<!DOCTYPE coverage [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n";
        let xml = format!("{doctype}{}", one_line("<line number=\"1\" hits=\"1\"/>"));
        let e = fail(&xml.replace("a.py", "&xxe;"));
        assert!(e.message.contains("&xxe;"), "{e}");
        assert_eq!(e.line, Some(3));
        let e = fail(&format!("{doctype}<coverage><sources><source>&xxe;</source></sources></coverage>"));
        assert!(e.message.contains("&xxe;"), "{e}");
    }

    #[test]
    fn deep_nesting_is_walked_without_recursion() {
        let depth = 10_000;
        let xml = format!("<coverage>{}{}</coverage>", "<x>".repeat(depth), "</x>".repeat(depth));
        let (cov, meta) = read(xml.as_bytes());
        assert!(cov.files.is_empty());
        assert!(meta.notes[0].contains("lists no file"), "{:?}", meta.notes);
        let e = fail(&format!("<coverage>{}", "<x>".repeat(depth)));
        assert!(e.message.contains("end of file inside <x>"), "{e}");
    }

    /// Reads `xml` into details every way there is (hot path on and off, read buffers of every
    /// small size, so that tags are cut by the buffer's end everywhere) and checks that every
    /// way gives the same details, notes and error.
    /// This reader's entry points, for the checks every piece-reading XML reader shares.
    const READER: Reader = Reader { name: "coverage.xml", parse_tuned, parse_pieces: pieces_or_one_walk };

    fn pieces_or_one_walk(input: &Source, cuts: &[u64], sink: &mut CoverageBuilder, tuning: Tuning) -> Option<Meta> {
        parse_pieces(input, cuts, sink, tuning).unwrap()
    }

    #[test]
    fn hot_path_reads_what_the_general_path_reads() {
        let lines = [
            "<line number=\"1\" hits=\"3\"/>",
            "<line number=\"2\" hits=\"0\" branch=\"true\" condition-coverage=\"50% (1/2)\" missing-branches=\"9\"/>",
            "<line hits=\"4\" number=\"3\"/>",
            "<line number=\"4\"  hits=\"1\"\t/>",
            "<line\r\n number=\"5\"\r\n hits=\"2\"\r\n/>",
            "<line number='6' hits='1'/>",
            "<line number = \"7\" hits=\"1\"/>",
            "<line number=\"8\" hits=\"1.0e+19\"/>",
            "<line number=\"9\" hits=\" 5 \"/>",
            "<line number=\"0\" hits=\"5\"/>",
            "<line number=\"10\" hits=\"99999999999999999999999\"/>",
            "<line number=\"11\" hits=\"1\" branch=\"false\" condition-coverage=\"50% (1/2)\"/>",
            "<line number=\"12\" hits=\"1\" branch=\" FALSE \" condition-coverage=\"50% (1/2)\"/>",
            "<line number=\"13\" hits=\"1\" condition-coverage=\"100% (4/4)\"/>",
            "<line number=\"14\" hits=\"1\" x-note=\"a &amp; b\"/>",
            "<line number=\"14\" hits=\"1\" x-note=\"&undefined;\"/>",
            "<line number=\"15\" hits=\"1\" x-note=\"a > b\"/>",
            "<line number=\"16\" hits=\"1\" x-note=\"café\"/>",
            "<line number=\"17\" hits=\"2\"></line>",
            "<line number=\"18\" hits=\"1\" branch=\"true\" condition-coverage=\"50% (1/2)\">\
             <conditions><condition number=\"0\" type=\"jump\" coverage=\"50%\"/></conditions></line>",
            "<!-- <line number=\"99\" hits=\"1\"/> -->",
            "<line number=\"19\" hits=\"1\" number-of-things=\"2\"/>",
            "<line number=\"1\" hits=\"0\"/>",
            "<line number=\"20\" hits=\"0000001\"/>",
            "<line number=\"26\" hits=\"3\" branch=\"false\"/>",
            "<line number=\"27\" hits=\"3\" branch=\"false\" condition-coverage=\"50% (1/2)\"/>",
            "<line number=\"28\" hits=\"3\" branch=\"false\" branch=\"true\"/>",
            "<line number=\"0000021\" hits=\"12345678\"/>",
            "<line number=\"22\" hits=\"1\"/><line number=\"23\" hits=\"1\"/>",
            // Text, after which quick-xml has seen the next `<`: the hot path waits a tag.
            "text<line number=\"29\" hits=\"1\"/><line number=\"30\" hits=\"1\"/>",
            "&amp; <line number=\"31\" hits=\"1\"/>",
            "<lines-not number=\"24\" hits=\"1\"/>",
        ];
        let body = lines.join("\n\t\t");
        let xml = format!(
            "<?xml version=\"1.0\"?>\n<coverage branches-valid=\"9\" branch-rate=\"0.5\">\n<packages><package name=\"p\"><classes>\n\
             <class filename=\"a&amp;b.py\"><methods><method name=\"f\" signature=\"()\" hits=\"0\"><lines>\n\
             <line number=\"3\" hits=\"7\"/><line number=\"2\" hits=\"1\" hits=\"9\"/>\n\
             </lines></method></methods><lines>\n\t\t{body}\n</lines></class>\n\
             <class filename=\"b.py\"><lines>{body}</lines></class>\n\
             <class filename=\"a&amp;b.py\"><lines><line number=\"30\" hits=\"0\"/></lines></class>\n\
             </classes></package></packages></coverage>\n"
        );
        let files = READER.same_every_way(xml.as_bytes()).unwrap();
        assert_eq!(files[0].path, "a&b.py");
        // The method's own `hits` wins over its lines'.
        assert_eq!(files[0].functions, vec![Function { name: "f()".into(), line: 2, hits: 0 }]);
        assert_eq!(files[0].lines.iter().find(|l| l.0 == 10), Some(&(10, u64::MAX)));
        assert_eq!(files[0].lines.len(), 29, "{:?}", files[0].lines);
        READER.same_every_way(xml.replace('\n', "\r\n").as_bytes()).unwrap();
        // And the hot path did read most of it.
        let input = Source::bytes("coverage.xml", xml.clone().into_bytes());
        let mut w = Walker::new(&input, "coverage", "Cobertura").unwrap();
        Doc::default().run(&mut w, &mut DetailSet::new()).unwrap();
        assert!(w.hot_bytes() > xml.len() as u64 / 4, "{} of {}", w.hot_bytes(), xml.len());
    }

    #[test]
    fn hot_path_leaves_errors_to_the_general_path() {
        let many = "<line number=\"1\" hits=\"1\"/>\n".repeat(100);
        for (bad, line) in [
            ("<line number=\"1\" hits=\"x\"/>", 103),
            ("<line number=\"1\" hits=\"-1\"/>", 103),
            ("<line number=\"x\" hits=\"1\"/>", 103),
            ("<line number=\"1\" number=\"2\" hits=\"1\"/>", 103),
            ("<line number=\"1\" hits=\"1\" hits=\"2\"/>", 103),
            ("<line number=\"1\"/>", 103),
            ("<line hits=\"1\"/>", 103),
            ("<line number=\"1\" hits=\"1\" condition-coverage=\"half\"/>", 103),
            ("<line number=\"1\" hits=\"1\" condition-coverage=\"1% (1/99999)\"/>", 103),
            ("<line number=\"1\" hits=1/>", 103),
            ("<line number=\"1\" hits=\"1\"/></class>", 103),
            // The tag runs on into the next line, where quick-xml finds the fault.
            ("<line number=\"1\" hits=\"1\"", 104),
        ] {
            let xml = one_line(&format!("{many}{bad}\n{many}"));
            let e = READER.same_every_way(xml.as_bytes()).expect_err(bad);
            assert_eq!(e.line, Some(line), "{bad}: {e}");
        }
        // Invalid UTF-8 in the last line's `hits`.
        let mut bytes = one_line(&format!("{many}<line number=\"1\" hits=\"1\"/>")).into_bytes();
        let at = bytes.windows(4).rposition(|w| w == b"s=\"1").unwrap() + 3;
        bytes[at] = 0xFF;
        let e = READER.same_every_way(&bytes).unwrap_err();
        assert!(e.message.contains("not valid UTF-8"), "{e}");
        assert_eq!(e.line, Some(103), "{e}");
        // Branches past the file's budget, most of them read by the hot path.
        let branchy = "<line number=\"1\" hits=\"1\" branch=\"true\" condition-coverage=\"1% (1/60000)\"/>\n";
        // (Two million branches: a few ways only.)
        let e = READER.same_these_ways(one_line(&branchy.repeat(40)).as_bytes(), [61].into_iter()).unwrap_err();
        assert!(e.message.contains("branches in one file"), "{e}");
        assert_eq!(e.line, Some(37));
    }

    #[test]
    fn hot_path_takes_the_plain_forms() {
        let mut doc = Doc::default();
        for (tag, plain) in [
            (" number=\"12\" hits=\"1\"/>\n", true),
            (" number=\"12\" hits=\"1\" branch=\"false\"/>\n", true),
            (" number=\"12\" hits=\"1\" branch=\"false\" x=\"1\"/>", true),
            (" number=\"12\" hits=\"1\" branch=\"true\" condition-coverage=\"50% (1/2)\"/>", true),
            (" hits=\"1\" number=\"12\"/>", true),
            ("\tnumber=\"12\"\n\thits=\"1\"  />", true),
            (" number=\"0\" hits=\"1\"/>", false),
            (" number=\"12\" hits=\"1\">", false),
            (" number=\"12\" hits=\"1\"", false),
            (" number=\"12\"hits=\"1\"/>", false),
            (" number=\"12\" hits=\"1\" branch=\"true\" condition-coverage=\"50% (1/2)\"", false),
            (" number=\"1\" hits=\"1\" a=\"&amp;\"/>", false),
        ] {
            let used = plain.then(|| tag.find("/>").unwrap() + 2);
            assert_eq!(doc.fast_class_line(tag.as_bytes()), used, "{tag}");
        }
    }

    #[test]
    fn plain_conditions_read_as_condition_reads_them() {
        for value in ["50% (1/2)\"", "100% (4/4)\"", "0% (0/12)\"", "33.33% (1/3)\"", "(1/2)\""] {
            let (read, used) = plain_condition(format!("{value} x=\"12345678\"").as_bytes()).unwrap();
            assert_eq!(Some(read), condition(&value[..value.len() - 1]), "{value}");
            assert_eq!(used, value.len());
        }
        for value in [
            "50% (1 /2)\" ",
            "50% ( 1/2)\"      ",
            "50% (1/2 )\"     ",
            "50% (1/2)",
            "(1/2)x\"        ",
            "a (1/2)\"        ",
        ] {
            assert_eq!(plain_condition(value.as_bytes()), None, "{value}");
        }
    }

    /// A report whose files are given by one class, by adjacent classes (across packages too),
    /// by classes far apart, and by classes without lines; with methods and branches.
    fn many_classes() -> String {
        // The first class of a package (6 to a package) goes on with the last file before it.
        fn file(i: usize) -> String {
            match i {
                _ if i.is_multiple_of(6) && i > 0 => file(i - 1),
                _ if i.is_multiple_of(5) => "shared.py".to_string(),
                _ if i % 3 == 2 => format!("f{}.py", i - 1),
                _ => format!("f{i}.py"),
            }
        }
        let mut xml = String::from(
            "<?xml version=\"1.0\" ?>\n<coverage lines-valid=\"9\" lines-covered=\"5\" \
             branches-valid=\"4\" branches-covered=\"2\" branch-rate=\"0.5\">\n\
             \t<!-- Generated by a writer of several classes a file -->\n\
             \t<sources><source>/src</source></sources>\n\t<packages>\n",
        );
        for p in 0..4 {
            xml.push_str(&format!("\t\t<package name=\"p{p}\">\n\t\t\t<classes>\n"));
            for c in 0..6 {
                let i = p * 6 + c;
                xml.push_str(&format!("\t\t\t\t<class name=\"c{i}\" filename=\"{}\">\n\t\t\t\t\t<methods>", file(i)));
                if i % 4 == 1 {
                    xml.push_str(&format!(
                        "<method name=\"m{}\" signature=\"()\"><lines><line number=\"{}\" hits=\"{}\"/></lines></method>",
                        i % 3,
                        i % 9 + 1,
                        i % 2
                    ));
                }
                xml.push_str("</methods>\n\t\t\t\t\t<lines>\n");
                for l in (1..14).filter(|_| i % 7 != 3) {
                    let (n, hits) = (l + i % 4, (l * i) % 3);
                    if l % 4 == 0 {
                        xml.push_str(&format!(
                            "\t\t\t\t\t\t<line number=\"{n}\" hits=\"{hits}\" branch=\"true\" \
                             condition-coverage=\"50% ({}/{})\"/>\n",
                            i % 3,
                            2 + i % 2
                        ));
                    } else {
                        xml.push_str(&format!("\t\t\t\t\t\t<line number=\"{n}\" hits=\"{hits}\"/>\n"));
                    }
                }
                xml.push_str("\t\t\t\t\t</lines>\n\t\t\t\t</class>\n");
            }
            xml.push_str("\t\t\t</classes>\n\t\t</package>\n");
        }
        xml.push_str("\t</packages>\n</coverage>\n");
        xml
    }

    /// Real coverage.py 7.18 with `--cov=pkg --cov=other` (`made-here/coveragepy-two-roots`):
    /// `pkg/mod.py` and `other/mod.py` are both `filename="mod.py"`, and were read as one file
    /// (coverage.py: 17 statements, 7 run; temis gave neither figure).
    /// `condition-coverage="50% (3/2)"`: counted as fully covered (2 of 2), the report passed a
    /// `min_branch` its own root figures (2 of 4) fail.
    #[test]
    fn more_branches_covered_than_exist_is_an_error() {
        let xml = r#"<coverage branches-valid="4" branches-covered="2"><packages><package name="p"><classes><class filename="a.py"><lines>
<line number="1" hits="1" branch="true" condition-coverage="50% (3/2)"/><line number="2" hits="1" branch="true" condition-coverage="50% (1/2)"/>
</lines></class></classes></package></packages></coverage>"#;
        let e = READER.one_walk(&Source::bytes("coverage.xml", xml.as_bytes())).unwrap_err();
        assert!(e.message.contains("1 condition-coverage value(s) say more branches covered"), "{e}");
    }

    #[test]
    fn two_files_of_one_name_under_two_coveragepy_roots_are_an_error() {
        let xml = include_bytes!("../../tests/fixtures/made-here/coveragepy-two-roots/coverage.xml");
        let e = READER.one_walk(&Source::bytes("coverage.xml", &xml[..])).unwrap_err();
        assert!(e.message.contains(r#"two files are named "mod.py""#) && e.message.contains("2 <source>"), "{e}");
        // Another writer's classes of one file (a Java class and its inner class) are one file.
        let other = String::from_utf8_lossy(xml).replace("coverage.py", "another tool");
        assert!(READER.one_walk(&Source::bytes("coverage.xml", other.as_bytes())).is_ok());
    }

    #[test]
    fn pieces_read_what_one_walk_reads() {
        let xml = many_classes();
        let input = Source::bytes("coverage.xml", xml.clone().into_bytes());
        let one = READER.one_walk(&input).unwrap();
        assert!(one.0.files.iter().any(|f| f.functions.is_some()));
        assert!(one.1.notes.iter().any(|n| n.contains("no <line>")), "{:?}", one.1.notes);
        let len = xml.len() as u64;
        let classes: Vec<u64> = xml.match_indices("<class ").map(|(i, _)| i as u64).collect();
        let tuning = Tuning::default();
        for (n, &a) in classes.iter().enumerate() {
            assert_eq!(READER.in_pieces(&input, &[0, a, len], tuning).as_ref(), Some(&one), "cut at {a}");
            for &b in &classes[n + 1..] {
                let small = Tuning { capacity: 7 + (a + b) as usize % 50, ..tuning };
                assert_eq!(READER.in_pieces(&input, &[0, a, b, len], small).as_ref(), Some(&one), "cuts at {a}, {b}");
            }
        }
        // As `parse` cuts it, in memory and on disk.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("coverage.xml");
        std::fs::write(&path, &xml).unwrap();
        for input in [input, Source::open(&path).unwrap()] {
            READER.threads_agree(&input, 2..=8);
        }
    }

    #[test]
    fn pieces_give_way_to_one_walk() {
        let xml = many_classes();
        let len = xml.len() as u64;
        let tuning = Tuning::default();
        // Cut inside a comment, a CDATA section and a tag: one walk reads the input.
        let classes: Vec<usize> = xml.match_indices("<class ").map(|(i, _)| i).collect();
        for (before, after) in [("<!-- ", " -->"), ("<![CDATA[", "]]>"), ("<x a=\"", "\"/>")] {
            let at = classes[9];
            let end = at + xml[at..].find('>').unwrap() + 1;
            let odd = format!("{}{before}{}{after}{}", &xml[..at], &xml[at..end], &xml[at..]);
            let input = Source::bytes("coverage.xml", odd.clone().into_bytes());
            let cut = (at + before.len()) as u64;
            assert_eq!(READER.in_pieces(&input, &[0, cut, odd.len() as u64], tuning), None, "{before}");
            let mut builder = CoverageBuilder::new();
            let meta = parse_tuned(&crate::parsers::xml_agree::on(&input, 2), &mut builder, tuning);
            assert_eq!(meta.map(|m| (builder.finish(), m)), READER.one_walk(&input), "{before}");
        }
        // A cut inside a class: that piece ends elsewhere than where the next starts.
        let input = Source::bytes("coverage.xml", xml.clone().into_bytes());
        let inside = xml.find("<lines>").unwrap() as u64;
        assert_eq!(READER.in_pieces(&input, &[0, inside, len], tuning), None);
        // Errors in a later piece are reported as one walk reports them.
        let bad = xml.replacen("hits=\"2\"/>", "hits=\"-2\"/>", 40);
        let input = Source::bytes("coverage.xml", bad.into_bytes());
        assert!(READER.one_walk(&input).is_err());
        READER.threads_agree(&input, 2..=5);
    }

    #[test]
    fn damaged_reports_read_alike_every_way() {
        READER.damaged_read_alike(&many_classes(), "<class ");
    }

    #[test]
    fn a_file_cut_in_two_keeps_its_branch_budget() {
        let branchy = "<line number=\"1\" hits=\"1\" branch=\"true\" condition-coverage=\"1% (1/60000)\"/>\n";
        let class = format!("<class filename=\"a.py\"><lines>{}</lines></class>\n", branchy.repeat(20));
        let xml = format!(
            "<coverage>\n<packages><package name=\"p\"><classes>\n{class}{class}</classes></package></packages></coverage>"
        );
        let input = Source::bytes("coverage.xml", xml.clone().into_bytes());
        let e = READER.one_walk(&input).unwrap_err();
        assert!(e.message.contains("branches in one file"), "{e}");
        let second = xml.rfind("<class ").unwrap() as u64;
        assert_eq!(READER.in_pieces(&input, &[0, second, xml.len() as u64], Tuning::default()), None);
        let two = crate::parsers::xml_agree::on(&input, 2);
        assert_eq!(parse_tuned(&two, &mut CoverageBuilder::new(), Tuning::default()).unwrap_err(), e);
    }

    #[test]
    fn a_file_given_across_packages_and_again_is_merged() {
        // a.py's classes end one package and begin the next, and come again later: its
        // classes are read again one by one (a run across packages is no fragment to read).
        let class = |file: &str, line: u32, hits: u32| {
            format!("<class filename=\"{file}\"><lines><line number=\"{line}\" hits=\"{hits}\"/></lines></class>\n")
        };
        let xml = format!(
            "<coverage>\n<packages>\n<package name=\"p\"><classes>\n{}{}</classes></package>\n\
             <package name=\"q\"><classes>\n{}{}{}</classes></package>\n</packages></coverage>",
            class("b.py", 1, 1),
            class("a.py", 1, 0),
            class("a.py", 2, 0),
            class("b.py", 2, 0),
            class("a.py", 1, 4),
        );
        let input = Source::bytes("coverage.xml", xml.clone().into_bytes());
        let mut set = DetailSet::new();
        parse(&input, &mut set).unwrap();
        set.sort();
        assert_eq!(set.files[0].lines, vec![(1, 4), (2, 0)]);
        let (cov, _) = read(xml.as_bytes());
        assert_eq!(cov.files[0].lines, Counts::new(2, 1));
        assert_eq!(cov.lines, Counts::new(4, 2));
    }

    #[test]
    fn wrong_root_and_empty_documents() {
        let e = fail("<?xml version=\"1.0\"?>\n<report name=\"x\"/>");
        assert_eq!(e.to_string(), "2:1: the root element is <report>, not <coverage>: this is not a Cobertura report");
        for empty in ["", "<?xml version=\"1.0\"?>\n<!-- nothing -->"] {
            let e = fail(empty);
            assert!(e.message.contains("no <coverage> element"), "{e}");
            assert_eq!(e.line, None);
        }
    }
}
