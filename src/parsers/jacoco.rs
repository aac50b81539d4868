//! JaCoCo XML (`report.dtd` 1.1), as the Maven, Gradle and Ant tasks write it.
//!
//! Each `package/sourcefile` is one file, named `<package name>/<sourcefile name>` (JaCoCo
//! knows no more of the path). Its `<line nr mi ci mb cb>` elements give the lines, as JaCoCo's
//! LINE counter counts them: every line is coverable and covered when `ci > 0` (its hits are
//! `ci`, the instructions run); `mb + cb` branch outcomes, `cb` of them covered. A sourcefile
//! with no lines (an interface, `package-info.java`) is left out, as JaCoCo's own per-file
//! table does.
//!
//! `<group>`s (the modules of `jacoco:report-aggregate`, each named after its artifactId; the
//! Ant task's nested groups) add nothing to a file's name, but the same `package/sourcefile` in
//! two groups is two files (module-a's `p/A.java` and module-b's): each is then named under its
//! group's path, `module-a/p/A.java` (nested groups' names joined with `/`), so that they count
//! apart, as JaCoCo's root counters count them, never merged line by line. A file in one group
//! only keeps its name. The files of a grouped report are held until its end to know that.
//!
//! Functions are the `class/method` elements of the classes compiled from that source file,
//! covered when their METHOD counter says so, named `Class.method(descriptor)` so overloads
//! stay apart. The report-level counters (INSTRUCTION, BRANCH, LINE, COMPLEXITY, METHOD,
//! CLASS) are JaCoCo's own totals and go to `meta.extra` (`instructions`, `branches`, `lines`,
//! `complexity`, `methods`, `classes`, each `{covered, missed, total}`).
//!
//! The DOCTYPE JaCoCo writes (`report.dtd`) is never fetched. Counts past `u64::MAX`
//! saturate; anything malformed is an error placed at its line and column.

use std::collections::{BTreeMap, HashMap};

use quick_xml::events::{BytesStart, Event};
use serde_json::json;

use crate::input::Source;
use crate::model::{Counts, CoverageBuilder, FileDetail, Function, Sink, Staged};
use crate::parsers::Meta;
use crate::parsers::ParseError;
use crate::parsers::text::{parse_count, parse_line_number};
use crate::parsers::xml_walk::{
    HotAttrs, OverBudget, Tuning, Walker, budget, cut_points, hot_attributes, plain_digits, push_branches, read_pieces,
};

/// Reads `input` into `sink`.
///
/// A large file summarized into a [`CoverageBuilder`] is cut before `<package` tags into one
/// piece per core, each read by its own thread ([`read_pieces`]): a package holds all a
/// sourcefile needs (its classes' methods). Anything unusual about the cuts, and any error,
/// has the whole file read in one walk.
pub fn parse(input: &Source, sink: &mut dyn Sink) -> Result<Meta, ParseError> {
    parse_tuned(input, sink, Tuning::default())
}

fn parse_tuned(input: &Source, sink: &mut dyn Sink, tuning: Tuning) -> Result<Meta, ParseError> {
    if let Some(builder) = sink.as_builder() {
        let cuts = cut_points(input, b"<package");
        if cuts.len() > 2
            && let Some(meta) = parse_pieces(input, &cuts, builder, tuning)
        {
            return Ok(meta);
        }
    }
    let mut w = Walker::tuned(input, "report", "JaCoCo", tuning)?;
    let mut doc = Doc::default();
    doc.run(&mut w, sink)?;
    if let Some(grouped) = doc.grouped.take() {
        doc.named_apart = name_apart(vec![grouped], sink);
    }
    Ok(doc.meta())
}

/// Reads the pieces of `input` between `cuts` on threads of their own into `sink`; `None`
/// when they must be read in one walk instead (`sink` is then untouched).
fn parse_pieces(input: &Source, cuts: &[u64], sink: &mut CoverageBuilder, tuning: Tuning) -> Option<Meta> {
    let parents = package_parents(input, cuts[1], tuning)?;
    let parents: Vec<&str> = parents.iter().map(String::as_str).collect();
    let read = |_, w: &mut Walker<'_>| {
        let mut doc = Doc::default();
        let mut part = CoverageBuilder::new();
        doc.run(w, &mut part)?;
        Ok((doc, part))
    };
    let pieces = read_pieces(input, ("report", "JaCoCo"), cuts, &parents, tuning, read)?;
    let mut out = CoverageBuilder::new();
    let mut doc = Doc::default();
    // The names of the `<group>`s open where the next piece starts, and the files each piece
    // held in groups, their groups named in full.
    let mut open: Vec<String> = Vec::new();
    let mut grouped = Vec::new();
    for (mut piece, part) in pieces {
        out.absorb_all(part);
        if let Some(mut held) = piece.grouped.take() {
            held.name_outer(&open)?;
            grouped.push(held);
        }
        let outer = piece.groups.iter().take_while(|g| g.1.is_none()).count();
        if outer > open.len() {
            return None;
        }
        open.truncate(outer);
        open.extend(piece.groups[outer..].iter().map(|g| g.1.clone().unwrap_or_default()));
        doc.fold(piece);
    }
    doc.named_apart = name_apart(grouped, &mut out);
    sink.absorb_all(out);
    Some(doc.meta())
}

/// The elements around the first `<package>` (the root and any `<group>`s), when it starts
/// before byte `limit`.
fn package_parents(input: &Source, limit: u64, tuning: Tuning) -> Option<Vec<String>> {
    let mut w = Walker::tuned(input, "report", "JaCoCo", tuning).ok()?;
    let mut buf = Vec::new();
    while w.position() < limit {
        match w.next(&mut buf).ok()? {
            Event::Start(e) if e.name().0 == "package" => {
                let names = w.open_names();
                let parents = &names[..names.len() - 1];
                let plain = parents.first() == Some(&"report") && parents[1..].iter().all(|&n| n == "group");
                return plain.then(|| parents.iter().map(|n| n.to_string()).collect());
            }
            Event::Eof => return None,
            _ => {}
        }
    }
    None
}

#[derive(Default)]
struct Doc {
    /// Depth of the open element of each kind, 0 when none is open.
    package_depth: usize,
    class_depth: usize,
    method_depth: usize,
    source_depth: usize,
    package: String,
    /// The open class's `sourcefilename` and its name without the package.
    class_source: String,
    class_name: String,
    method: Option<Function>,
    /// Methods of the package's classes by source file name, until the sourcefile comes.
    functions: HashMap<String, Vec<Function>>,
    source_name: String,
    detail: FileDetail,
    branch_count: u64,
    /// Report-level counters: type → (missed, covered).
    counters: BTreeMap<String, (u64, u64)>,
    /// What the `<line>` elements add up to, to compare with the LINE and BRANCH counters.
    lines: Counts,
    branches: Counts,
    /// Whether a `<line>` of the open sourcefile said how many instructions it has (`mi`/`ci`).
    hits_given: bool,
    /// The open sourcefile's own counters: LINE, BRANCH, METHOD as (missed, covered).
    source_counters: [Option<(u64, u64)>; 3],
    /// Sourcefiles whose lines carry no `mi`/`ci` (gcovr's JaCoCo): their counters were used.
    counted_by_counters: u64,
    files: u64,
    empty: u64,
    line_zero: u64,
    /// The `<group>`s open, outermost first: the depth each opened at and its name; `None` for
    /// one a piece started inside (the pieces before it name it).
    groups: Vec<(usize, Option<String>)>,
    /// The files read inside `<group>`s, held until every group is read.
    grouped: Option<Grouped>,
    /// How many files were named under their group's path ([`name_apart`]).
    named_apart: u64,
}

impl Doc {
    fn run(&mut self, w: &mut Walker<'_>, sink: &mut dyn Sink) -> Result<(), ParseError> {
        // A piece that starts inside `<group>`s: their names are the pieces' before it.
        for (i, name) in w.open_names().into_iter().enumerate() {
            if name == "group" {
                self.groups.push((i + 1, None));
            }
        }
        let mut buf = Vec::with_capacity(4096);
        // Whether the walk is between the `<line>`s of a sourcefile, for the hot path.
        let mut hot = false;
        loop {
            if hot {
                w.hot_tags(b"<line", |s| self.fast_line(s));
            }
            match w.next(&mut buf)? {
                Event::Start(e) => self.open(w, &e)?,
                Event::Empty(e) => {
                    self.open(w, &e)?;
                    self.close(w, sink);
                }
                Event::End(_) => self.close(w, sink),
                Event::Eof => return Ok(()),
                _ => {}
            }
            hot = self.source_depth > 0 && w.inside(&["sourcefile"]);
        }
    }

    /// Adds what another piece read.
    fn fold(&mut self, piece: Doc) {
        for (kind, (missed, covered)) in piece.counters {
            let c = self.counters.entry(kind).or_default();
            *c = (c.0.saturating_add(missed), c.1.saturating_add(covered));
        }
        self.lines.add(piece.lines);
        self.branches.add(piece.branches);
        self.counted_by_counters += piece.counted_by_counters;
        self.files += piece.files;
        self.empty += piece.empty;
        self.line_zero += piece.line_zero;
    }

    fn open(&mut self, w: &Walker<'_>, e: &BytesStart<'_>) -> Result<(), ParseError> {
        match e.name().0 {
            "line" if self.source_depth > 0 && w.within(&["sourcefile"]) => self.line(w, e)?,
            "counter" if self.method_depth > 0 && w.within(&["method"]) => {
                let (kind, _, covered) = counter(w, e)?;
                if kind == "METHOD"
                    && let Some(m) = self.method.as_mut()
                {
                    m.hits = covered;
                }
            }
            "counter" if self.source_depth > 0 && w.within(&["sourcefile"]) => {
                let (kind, missed, covered) = counter(w, e)?;
                let slot = match kind.as_str() {
                    "LINE" => 0,
                    "BRANCH" => 1,
                    "METHOD" => 2,
                    _ => return Ok(()),
                };
                self.source_counters[slot] = Some((missed, covered));
            }
            "counter" if w.tag_depth() == 2 => {
                let (kind, missed, covered) = counter(w, e)?;
                let c = self.counters.entry(kind).or_default();
                *c = (c.0.saturating_add(missed), c.1.saturating_add(covered));
            }
            "method" if self.class_depth > 0 && self.method_depth == 0 => {
                let (mut name, mut desc, mut line) = (String::new(), String::new(), 0);
                for a in e.attributes() {
                    let a = a.map_err(|err| w.attr_error(err))?;
                    match a.key.0 {
                        "name" => name = w.text(&a)?,
                        "desc" => desc = w.text(&a)?,
                        "line" => line = w.line_number(&a)?.unwrap_or(0),
                        _ => {}
                    }
                }
                self.method_depth = w.tag_depth();
                self.method = Some(Function { name: format!("{}.{name}{desc}", self.class_name), line, hits: 0 });
            }
            "class" if self.package_depth > 0 && self.class_depth == 0 => {
                self.class_depth = w.tag_depth();
                self.class_source.clear();
                self.class_name.clear();
                for a in e.attributes() {
                    let a = a.map_err(|err| w.attr_error(err))?;
                    match a.key.0 {
                        "sourcefilename" => self.class_source = w.text(&a)?,
                        "name" => {
                            let name = w.text(&a)?;
                            let simple = name.rsplit('/').next().unwrap_or(&name);
                            self.class_name.push_str(simple);
                        }
                        _ => {}
                    }
                }
            }
            "sourcefile" if self.package_depth > 0 && self.source_depth == 0 => {
                self.source_name = required(w, e, "name")?;
                self.source_depth = w.tag_depth();
                self.branch_count = 0;
                self.hits_given = false;
                self.source_counters = Default::default();
                let d = &mut self.detail;
                d.clear();
                if !self.package.is_empty() {
                    d.path.push_str(&self.package);
                    d.path.push('/');
                }
                d.path.push_str(&self.source_name);
            }
            "package" if self.package_depth == 0 => {
                self.package = required(w, e, "name")?;
                self.package_depth = w.tag_depth();
                self.functions.clear();
            }
            "group" if self.package_depth == 0 => {
                self.groups.push((w.tag_depth(), Some(required(w, e, "name")?)));
                if let Some(grouped) = self.grouped.as_mut() {
                    grouped.current = None;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn line(&mut self, w: &Walker<'_>, e: &BytesStart<'_>) -> Result<(), ParseError> {
        let (mut nr, mut ci, mut mb, mut cb) = (None, 0, 0, 0);
        let mut seen = 0;
        for a in hot_attributes(e) {
            let a = a.map_err(|err| w.attr_error(err))?;
            let (bit, slot) = match a.key.0 {
                "nr" => {
                    w.once(&mut seen, 0, &a)?;
                    nr = Some(w.line_number(&a)?);
                    continue;
                }
                "mi" => {
                    self.hits_given = true;
                    (1, None)
                }
                "ci" => {
                    self.hits_given = true;
                    (2, Some(&mut ci))
                }
                "mb" => (3, Some(&mut mb)),
                "cb" => (4, Some(&mut cb)),
                _ => continue,
            };
            w.once(&mut seen, bit, &a)?;
            let n = w.count(&a)?;
            if let Some(slot) = slot {
                *slot = n;
            }
        }
        let nr = nr.ok_or_else(|| w.fail("<line> without an nr attribute"))?;
        let Some(nr) = nr else {
            self.line_zero += 1;
            return Ok(());
        };
        self.line_read(nr, ci, mb, cb).map_err(|e| w.over_budget(e))
    }

    /// What a `<line nr mi ci mb cb>` means once its attributes are read, whichever path read
    /// them: line `nr`, run when `ci` (instructions covered) is above 0; `mb + cb` branch
    /// outcomes, `cb` of them covered, within the file's branch budget.
    #[inline(always)]
    fn line_read(&mut self, nr: u32, ci: u64, mb: u64, cb: u64) -> Result<(), OverBudget> {
        let total = mb.saturating_add(cb);
        if total > 0 {
            budget(&mut self.branch_count, total)?;
        }
        self.push_line(nr, ci, cb, total);
        Ok(())
    }

    /// A line read, its branches within budget and counted in.
    #[inline(always)]
    fn push_line(&mut self, nr: u32, ci: u64, cb: u64, total: u64) {
        self.detail.lines.push((nr, ci));
        self.lines.add(Counts::new(1, u64::from(ci > 0)));
        if total > 0 {
            push_branches(&mut self.detail.branches, nr, 0, cb, total);
            self.branches.add(Counts::new(total, cb));
        }
    }

    /// [`Doc::line`] for a tag in the plain form, read from its bytes by [`Walker::hot_tags`]:
    /// how many bytes it used, or `None` for anything the general path must read (which it
    /// then reads the same way, or reports as an error).
    #[inline(always)]
    fn fast_line(&mut self, s: &[u8]) -> Option<usize> {
        // The form JaCoCo writes.
        const KEYS: [&[u8]; 5] = [b" nr=\"", b"\" mi=\"", b"\" ci=\"", b"\" mb=\"", b"\" cb=\""];
        if let Some(([nr, _, ci, mb, cb], used)) = plain_digits(s, KEYS)
            && nr > 0
            && s.get(used..used + 2) == Some(b"/>")
        {
            // Seven digits at most: a line number, and no count saturates.
            self.hits_given = true;
            self.line_read(nr as u32, ci, mb, cb).ok()?;
            return Some(used + 2);
        }
        let mut attrs = HotAttrs::new(s, 0);
        let (mut nr, mut counts, mut seen) = (None, [0u64; 4], 0u8);
        while let Some((key, value)) = attrs.next()? {
            let slot = match key {
                b"nr" if nr.is_none() => {
                    nr = Some(parse_line_number(value)?);
                    continue;
                }
                // Given twice: an error the general path reports.
                b"nr" => return None,
                b"mi" => 0,
                b"ci" => 1,
                b"mb" => 2,
                b"cb" => 3,
                _ => continue,
            };
            if seen & (1 << slot) != 0 {
                return None;
            }
            seen |= 1 << slot;
            counts[slot] = parse_count(value).ok()?;
        }
        let nr = nr?;
        let [_, ci, mb, cb] = counts;
        self.hits_given |= seen & 0b11 != 0;
        self.line_read(nr, ci, mb, cb).ok()?;
        Some(attrs.used())
    }

    /// The element at depth `w.depth() + 1` has just ended.
    fn close(&mut self, w: &Walker<'_>, sink: &mut dyn Sink) {
        let depth = w.depth() + 1;
        if depth == self.method_depth {
            self.method_depth = 0;
            if let Some(m) = self.method.take()
                && !self.class_source.is_empty()
            {
                let list = self.functions.entry(self.class_source.clone()).or_default();
                list.push(m);
            }
        } else if depth == self.class_depth {
            self.class_depth = 0;
        } else if depth == self.source_depth {
            self.source_depth = 0;
            let d = &mut self.detail;
            if let Some(functions) = self.functions.remove(&self.source_name) {
                d.functions = functions;
            }
            d.has_branches = true;
            d.has_functions = true;
            if !self.hits_given && !d.lines.is_empty() {
                // gcovr writes `<line nr mb cb>` without `mi`/`ci`: which lines ran is not said,
                // only the sourcefile's counters hold its figures.
                let counts = |c: Option<(u64, u64)>| c.map(|(m, c)| Counts::new(m.saturating_add(c), c));
                let lines = counts(self.source_counters[0]);
                let uncounted = Counts::new(d.lines.len() as u64, 0);
                self.lines.add(lines.unwrap_or(uncounted));
                self.lines.total = self.lines.total.saturating_sub(uncounted.total);
                d.summary = Some(crate::model::SummaryTotals {
                    lines: Some(lines.unwrap_or(uncounted)),
                    branches: counts(self.source_counters[1]),
                    functions: counts(self.source_counters[2]),
                });
                d.lines.clear();
                self.counted_by_counters += 1;
                self.files += 1;
                give(&self.groups, &mut self.grouped, d, sink);
            } else if d.lines.is_empty() {
                self.empty += 1;
            } else {
                self.files += 1;
                give(&self.groups, &mut self.grouped, d, sink);
            }
        } else if depth == self.package_depth {
            self.package_depth = 0;
        } else if self.groups.last().is_some_and(|g| g.0 == depth) {
            self.groups.pop();
            if let Some(grouped) = self.grouped.as_mut() {
                grouped.current = None;
            }
        }
    }

    fn meta(&self) -> Meta {
        let mut meta = Meta::default();
        if self.files == 0 {
            meta.notes.push("the report lists no file with coverable lines (no <sourcefile> with lines)".into());
        }
        for (kind, &(missed, covered)) in &self.counters {
            let key = match kind.as_str() {
                "INSTRUCTION" => "instructions",
                "BRANCH" => "branches",
                "LINE" => "lines",
                "COMPLEXITY" => "complexity",
                "METHOD" => "methods",
                "CLASS" => "classes",
                _ => continue,
            };
            let total = missed.saturating_add(covered);
            meta.extra.insert(key.into(), json!({"covered": covered, "missed": missed, "total": total}));
        }
        for (kind, counted, what) in [("LINE", self.lines, "lines"), ("BRANCH", self.branches, "branches")] {
            let Some(&(missed, covered)) = self.counters.get(kind) else {
                continue;
            };
            let stated = Counts::new(missed.saturating_add(covered), covered);
            if stated != counted {
                meta.notes.push(format!(
                    "JaCoCo's report {kind} counter says {} of {} {what} covered, its <line> \
                     elements {} of {}",
                    stated.covered, stated.total, counted.covered, counted.total
                ));
            }
        }
        if self.counted_by_counters > 0 {
            meta.notes.push(format!(
                "{} <sourcefile> element(s) give no instruction counts on their <line>s (no mi/ci, as gcovr \
                 writes them): their figures are their LINE, BRANCH and METHOD counters, and which of their \
                 lines ran is not known",
                self.counted_by_counters
            ));
        }
        if self.empty > 0 {
            meta.notes.push(format!(
                "{} <sourcefile> element(s) with no <line> (interfaces, package-info) were left out",
                self.empty
            ));
        }
        if self.line_zero > 0 {
            meta.notes.push(format!("{} <line> element(s) with nr=\"0\" were skipped", self.line_zero));
        }
        if self.named_apart > 0 {
            meta.notes.push(format!(
                "{} file(s) have the same package and name in several <group>s (the modules of an \
                 aggregate report): each is a file of its own, named under its group's name \
                 (`module-a/p/A.java`), as JaCoCo's counters count them",
                self.named_apart
            ));
        }
        meta
    }
}

/// Gives the sourcefile read to `sink`; inside `<group>`s (`open`), holds it in `grouped` with
/// its group, until every group is read ([`name_apart`]).
fn give(open: &[(usize, Option<String>)], grouped: &mut Option<Grouped>, d: &mut FileDetail, sink: &mut dyn Sink) {
    if open.is_empty() {
        sink.file(d);
    } else {
        grouped.get_or_insert_with(|| Grouped::new(sink.as_builder().is_some())).push(open, d);
    }
}

/// The files read inside `<group>`s (the modules of a `jacoco:report-aggregate` report, the Ant
/// task's groups), held until every group is read: the same `package/sourcefile` in two groups
/// is two files (module-a's `p/A.java` and module-b's), which only then can be named apart.
struct Grouped {
    files: Staged,
    /// Each file's group: an index into `groups`.
    group_of: Vec<u32>,
    /// The groups: for each, how many of the groups the piece started inside are around it
    /// (their names are the pieces' before it: [`Grouped::name_outer`]), and the names of the
    /// groups within those, outermost first, each followed by `/`.
    groups: Vec<(usize, String)>,
    /// The group of the files being read, until a `<group>` opens or closes.
    current: Option<u32>,
}

impl Grouped {
    fn new(summarized: bool) -> Self {
        Grouped { files: Staged::new(summarized), group_of: Vec::new(), groups: Vec::new(), current: None }
    }

    /// Holds `d`, read inside the groups `open`.
    fn push(&mut self, open: &[(usize, Option<String>)], d: &mut FileDetail) {
        let group = match self.current {
            Some(group) => group,
            None => {
                let outer = open.iter().take_while(|g| g.1.is_none()).count();
                let mut path = String::new();
                for name in open[outer..].iter().filter_map(|g| g.1.as_deref()).filter(|n| !n.is_empty()) {
                    path.push_str(name);
                    path.push('/');
                }
                self.groups.push((outer, path));
                let group = (self.groups.len() - 1) as u32;
                self.current = Some(group);
                group
            }
        };
        self.group_of.push(group);
        self.files.push(d);
    }

    /// Names in full the groups a piece started inside, with `outer`, the groups open where it
    /// started; `None` when it started inside more than are open (the pieces do not follow).
    fn name_outer(&mut self, outer: &[String]) -> Option<()> {
        for (n, path) in &mut self.groups {
            let mut full: String =
                outer.get(..*n)?.iter().filter(|name| !name.is_empty()).map(|name| format!("{name}/")).collect();
            full.push_str(path);
            (*n, *path) = (0, full);
        }
        Some(())
    }
}

/// Gives the files held in `grouped` (in order; their groups named in full) to `sink`, each
/// `package/sourcefile` that is in several groups named under its group's path
/// (`module-a/p/A.java`), any other as it is; returns how many were renamed.
fn name_apart(mut grouped: Vec<Grouped>, sink: &mut dyn Sink) -> u64 {
    // Each path, with the first group it is in and whether another group has it too.
    let mut seen: HashMap<&str, (&str, bool)> = HashMap::new();
    for held in &grouped {
        for (path, &group) in held.files.paths().zip(&held.group_of) {
            let group = held.groups[group as usize].1.as_str();
            let (first, twice) = seen.entry(path).or_insert((group, false));
            *twice |= *first != group;
        }
    }
    let twice: std::collections::HashSet<String> =
        seen.into_iter().filter(|(_, (_, twice))| *twice).map(|(path, _)| path.to_string()).collect();
    let mut renamed = 0;
    for held in &mut grouped {
        for (path, &group) in held.files.paths_mut().zip(&held.group_of) {
            if twice.contains(path.as_str()) {
                path.insert_str(0, &held.groups[group as usize].1);
                renamed += 1;
            }
        }
    }
    for held in grouped {
        held.files.give(sink);
    }
    renamed
}

/// A `counter` element: (type, missed, covered).
fn counter(w: &Walker<'_>, e: &BytesStart<'_>) -> Result<(String, u64, u64), ParseError> {
    let (mut kind, mut missed, mut covered) = (String::new(), 0, 0);
    for a in e.attributes() {
        let a = a.map_err(|err| w.attr_error(err))?;
        match a.key.0 {
            "type" => kind = w.text(&a)?,
            "missed" => missed = w.count(&a)?,
            "covered" => covered = w.count(&a)?,
            _ => {}
        }
    }
    Ok((kind, missed, covered))
}

/// The unescaped value of attribute `key`, which the element must have.
fn required(w: &Walker<'_>, e: &BytesStart<'_>, key: &str) -> Result<String, ParseError> {
    for a in e.attributes() {
        let a = a.map_err(|err| w.attr_error(err))?;
        if a.key.0 == key {
            return w.text(&a);
        }
    }
    Err(w.fail(format!("<{}> without a {key} attribute", e.name().0)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Coverage, DetailSet};
    use crate::parsers::xml_agree::Reader;

    const GROUPS: &[u8] = include_bytes!("../../tests/fixtures/coverage/jacoco/groups.xml");
    const AGGREGATE: &[u8] = include_bytes!("../../tests/fixtures/made-here/jacoco-aggregate-modules/jacoco.xml");

    fn read(bytes: &[u8]) -> Result<(Coverage, Meta), ParseError> {
        let input = Source::bytes("jacoco.xml", bytes);
        let mut builder = CoverageBuilder::new();
        let meta = parse(&input, &mut builder)?;
        Ok((builder.finish(), meta))
    }

    /// A report with one sourcefile holding `line` (on line 3).
    fn one_line(line: &str) -> String {
        format!(
            "<report name=\"r\">\n<package name=\"p\"><sourcefile name=\"A.java\">\n{line}\n\
             </sourcefile></package></report>"
        )
    }

    #[test]
    fn nested_groups_lines_branches_functions_and_counters() {
        let (cov, meta) = read(GROUPS).unwrap();
        let paths: Vec<_> = cov.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["Main.java", "com/shop/cart/Cart.java"]);
        assert_eq!(cov.lines, Counts::new(8, 6));
        assert_eq!(cov.branches, Some(Counts::new(4, 3)));
        assert_eq!(cov.functions, Some(Counts::new(5, 4)));
        let cart = &cov.files[1];
        assert_eq!(cart.lines, Counts::new(6, 4));
        assert!(!cart.line_bits.as_ref().unwrap().is_covered(9));
        assert_eq!(cov.files[0].branches, Some(Counts::new(0, 0)));
        assert_eq!(meta.extra["instructions"], json!({"covered": 20, "missed": 6, "total": 26}));
        assert_eq!(meta.extra["methods"]["total"], json!(5));
        assert_eq!(meta.extra["complexity"]["missed"], json!(2));
        assert_eq!(meta.notes.len(), 1, "{:?}", meta.notes);
    }

    /// JaCoCo 0.8.6's aggregate of two modules that each have a `p/A.java`
    /// (`tests/fixtures/made-here/jacoco-aggregate-modules/MAKE.md`): the two files are kept
    /// apart, each named under its module's group, so that the totals are the report's root
    /// counters (merged line by line, the lines were 8 of 16); a file of one module keeps its
    /// name. In one walk, into the detail, in pieces cut at every package, on 2 to 4 threads.
    #[test]
    fn files_of_several_modules_count_apart_as_jacocos_root_counters() {
        let (cov, meta) = read(AGGREGATE).unwrap();
        let paths: Vec<_> = cov.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["module-a/p/A.java", "module-b/p/A.java", "q/Only.java"]);
        let root = |kind: &str| {
            let c = &meta.extra[kind];
            Counts::new(c["total"].as_u64().unwrap(), c["covered"].as_u64().unwrap())
        };
        assert_eq!((cov.lines, root("lines")), (Counts::new(20, 8), Counts::new(20, 8)));
        assert_eq!((cov.branches, root("branches")), (Some(Counts::new(10, 2)), Counts::new(10, 2)));
        assert_eq!((cov.functions, root("methods")), (Some(Counts::new(10, 5)), Counts::new(10, 5)));
        assert_eq!(cov.files[0].lines, Counts::new(8, 2), "module-a's own A.java");
        assert_eq!(cov.files[1].lines, Counts::new(8, 4), "module-b's own A.java");
        assert_eq!(meta.notes.len(), 1, "{:?}", meta.notes);
        assert!(meta.notes[0].starts_with("2 file(s) have the same package and name in several <group>s"));
        // The detail (`temis merge`): the same files, their functions their own module's.
        let details = READER.same_every_way(AGGREGATE).unwrap();
        let mut names: Vec<_> = details.iter().map(|d| (d.path.as_str(), d.functions.len())).collect();
        names.sort();
        assert_eq!(names, [("module-a/p/A.java", 3), ("module-b/p/A.java", 5), ("q/Only.java", 2)]);
        let input = Source::bytes("jacoco.xml", AGGREGATE);
        let one = READER.one_walk(&input).unwrap();
        let xml = std::str::from_utf8(AGGREGATE).unwrap();
        let packages: Vec<u64> = xml.match_indices("<package ").map(|(i, _)| i as u64).collect();
        assert_eq!(packages.len(), 3);
        let len = xml.len() as u64;
        // (A cut before the first package leaves the first piece no package: one walk.)
        for (n, &a) in packages.iter().enumerate().skip(1) {
            assert_eq!(READER.in_pieces(&input, &[0, a, len], Tuning::default()), Some(one.clone()), "cut at {a}");
            for &b in &packages[n + 1..] {
                assert_eq!(READER.in_pieces(&input, &[0, a, b, len], Tuning::default()), Some(one.clone()));
            }
        }
        READER.threads_agree(&input, 2..=4);
    }

    /// Files of nested groups are named under the groups' names joined; a file twice in one
    /// group, or in groups of the same path, is one file as before; a file in one group only
    /// keeps its name. In one walk and in pieces, whichever piece holds each.
    #[test]
    fn names_apart_follow_the_groups_paths() {
        let file = |package: &str, name: &str, ci: u32| {
            format!(
                "<package name=\"{package}\"><sourcefile name=\"{name}\"><line nr=\"1\" mi=\"0\" ci=\"{ci}\" mb=\"0\" cb=\"0\"/>\
                 <line nr=\"2\" mi=\"1\" ci=\"0\" mb=\"0\" cb=\"0\"/></sourcefile></package>"
            )
        };
        let xml = format!(
            "<report name=\"r\"><group name=\"backend\"><group name=\"core\">{}{}</group><group name=\"api\">{}</group></group>\
             <group name=\"tools\">{}{}</group><group name=\"tools\">{}</group></report>",
            file("p", "A.java", 1),
            file("p", "A.java", 0),
            file("p", "A.java", 0),
            file("p", "A.java", 1),
            file("q", "B.java", 1),
            file("q", "B.java", 0),
        );
        let (cov, _) = read(xml.as_bytes()).unwrap();
        let files: Vec<_> = cov.files.iter().map(|f| (f.path.as_str(), f.lines)).collect();
        assert_eq!(
            files,
            [
                ("backend/api/p/A.java", Counts::new(2, 0)),
                ("backend/core/p/A.java", Counts::new(2, 1)),
                ("q/B.java", Counts::new(2, 1)),
                ("tools/p/A.java", Counts::new(2, 1)),
            ]
        );
        let input = Source::bytes("jacoco.xml", xml.clone().into_bytes());
        let one = READER.one_walk(&input).unwrap();
        let packages: Vec<u64> = xml.match_indices("<package ").map(|(i, _)| i as u64).collect();
        let len = xml.len() as u64;
        // Cuts where the groups open at the cut are the first piece's: the same files; any
        // other, one walk.
        let mut in_pieces = 0;
        for &a in &packages[1..] {
            if let Some(pieces) = READER.in_pieces(&input, &[0, a, len], Tuning::default()) {
                assert_eq!(pieces, one, "cut at {a}");
                in_pieces += 1;
            }
        }
        assert!(in_pieces >= 2, "{in_pieces} cuts read in pieces");
        READER.threads_agree(&input, 2..=6);
        READER.same_every_way(xml.as_bytes()).unwrap();
    }

    #[test]
    fn details_name_overloads_apart() {
        let input = Source::bytes("jacoco.xml", GROUPS);
        let mut set = DetailSet::new();
        parse(&input, &mut set).unwrap();
        set.sort();
        let cart = &set.files[1];
        assert_eq!(cart.lines[1], (8, 5));
        assert_eq!(cart.branches.len(), 4);
        let mut names: Vec<_> = cart.functions.iter().map(|f| (f.name.as_str(), f.line, f.hits)).collect();
        names.sort();
        assert_eq!(
            names,
            [
                ("Cart$Item.total()I", 20, 1),
                ("Cart.<init>()V", 5, 1),
                ("Cart.add(I)V", 8, 1),
                ("Cart.add(Ljava/lang/String;)V", 15, 0)
            ]
        );
    }

    #[test]
    fn hostile_inputs_are_placed_errors() {
        let cases: Vec<(String, &str, Option<u64>)> = vec![
            // Truncated.
            (
                String::from_utf8_lossy(GROUPS).split("<sourcefile").next().unwrap().into(),
                "unexpected end of file inside <package>",
                Some(1),
            ),
            (String::from_utf8_lossy(&GROUPS[..GROUPS.len() / 2]).into_owned(), "malformed XML", Some(1)),
            (one_line("<line nr=\"3\" mi=0 ci=\"1\"/>"), "malformed attribute", Some(3)),
            (one_line("<line nr=\"3\" mi=\"0\" ci=\"lots\"/>"), "ci=\"lots\": not a count", Some(3)),
            (one_line("<line nr=\"3\" mi=\"0\" ci=\"1\" cb=\"-1\"/>"), "cannot be negative", Some(3)),
            (one_line("<line nr=\"3\" mi=\"0\" ci=\"1\" mb=\"99999999999\"/>"), "branches on one line", Some(3)),
            (
                format!(
                    "<!DOCTYPE report [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n{}",
                    one_line("").replace("A.java", "&e;")
                ),
                "&e;",
                Some(3),
            ),
            ("<coverage/>".into(), "not <report>: this is not a JaCoCo report", Some(1)),
            (String::new(), "no <report> element", None),
            (format!("<report>{}", "<group name=\"g\">".repeat(10_000)), "end of file inside <group>", Some(1)),
            // JaCoCo's DTD requires a group's name: files of several groups are told apart by it.
            ("<report>\n<group><package name=\"p\"/></group></report>".into(), "<group> without a name", Some(2)),
        ];
        for (xml, message, line) in cases {
            let err = read(xml.as_bytes()).unwrap_err();
            assert!(err.message.contains(message), "{err} ≠ {message}");
            assert_eq!(err.line, line, "{err}");
        }
        let mut bytes = one_line("<line nr=\"3\" mi=\"0\" ci=\"1\"/>").into_bytes();
        let at = bytes.windows(6).position(|w| w == b"A.java").unwrap();
        bytes[at] = 0xC3;
        let err = read(&bytes).unwrap_err();
        assert!(err.message.contains("not valid UTF-8"), "{err}");
        assert_eq!(err.line, Some(2));
    }

    /// Reads `xml` into details every way there is (hot path on and off, read buffers of every
    /// small size, so that tags are cut by the buffer's end everywhere) and checks that every
    /// way gives the same details, notes and error.
    /// This reader's entry points, for the checks every piece-reading XML reader shares.
    const READER: Reader = Reader { name: "jacoco.xml", parse_tuned, parse_pieces };

    #[test]
    fn hot_path_reads_what_the_general_path_reads() {
        let lines = [
            "<line nr=\"1\" mi=\"0\" ci=\"3\" mb=\"0\" cb=\"0\"/>",
            "<line nr=\"2\" mi=\"1\" ci=\"0\" mb=\"1\" cb=\"1\"/>",
            "<line nr=\"3\" ci=\"3\"/>",
            "<line cb=\"2\" mb=\"1\" ci=\"4\" mi=\"0\" nr=\"4\"/>",
            "<line nr=\"5\"  mi=\"0\"\tci=\"3\" mb=\"0\" cb=\"0\" />",
            "<line\r\n nr=\"6\" mi=\"0\" ci=\"3\" mb=\"0\" cb=\"0\"/>",
            "<line nr='7' mi='0' ci='3' mb='0' cb='0'/>",
            "<line nr=\"0\" mi=\"0\" ci=\"3\" mb=\"0\" cb=\"0\"/>",
            "<line nr=\"8\" mi=\"0\" ci=\"12345678\" mb=\"0\" cb=\"0\"/>",
            "<line nr=\"9\" mi=\"0\" ci=\" 3 \" mb=\"0\" cb=\"0\"/>",
            "<line nr=\"10\" mi=\"0\" ci=\"99999999999999999999999\" mb=\"0\" cb=\"0\"/>",
            "<line nr=\"11\" mi=\"0\" ci=\"3\" mb=\"0\" cb=\"0\" x=\"&amp;\"/>",
            "<line nr=\"12\" mi=\"0\" ci=\"3\" mb=\"0\" cb=\"0\" x=\"é\"/>",
            "<line nr=\"13\" mi=\"0\" ci=\"3\" mb=\"0\" cb=\"0\"></line>",
            "<!-- <line nr=\"99\" mi=\"0\" ci=\"3\" mb=\"0\" cb=\"0\"/> -->",
            "<line nr=\"1\" mi=\"0\" ci=\"5\" mb=\"2\" cb=\"0\"/>",
            "<line nr=\"14\" mi=\"0\" ci=\"1\"/><line nr=\"15\" mi=\"0\" ci=\"1\"/>",
            "<lines nr=\"16\" mi=\"0\" ci=\"1\"/>",
        ];
        let body = lines.join("\n");
        let xml = format!(
            "<?xml version=\"1.0\"?><!DOCTYPE report PUBLIC \"-//JACOCO//DTD Report 1.1//EN\" \"report.dtd\">\
             <report name=\"r\">\n<package name=\"a&amp;b\"><class name=\"a&amp;b/A\" sourcefilename=\"A.java\">\
             <method name=\"m\" desc=\"()V\" line=\"3\"><counter type=\"METHOD\" missed=\"0\" covered=\"1\"/></method>\
             </class>\n<sourcefile name=\"A.java\">\n{body}\n<counter type=\"LINE\" missed=\"1\" covered=\"2\"/>\
             </sourcefile>\n<sourcefile name=\"B.java\">{body}</sourcefile></package>\n\
             <counter type=\"LINE\" missed=\"1\" covered=\"2\"/></report>\n"
        );
        let files = READER.same_every_way(xml.as_bytes()).unwrap();
        assert_eq!(files[0].path, "a&b/A.java");
        assert_eq!(files[0].functions.len(), 1);
        assert_eq!(files[0].lines.iter().find(|l| l.0 == 10), Some(&(10, u64::MAX)));
        READER.same_every_way(xml.replace('\n', "\r\n").as_bytes()).unwrap();
        let input = Source::bytes("jacoco.xml", xml.clone().into_bytes());
        let mut set = DetailSet::new();
        parse(&input, &mut set).unwrap();
        assert_eq!(set.files[0].lines.len(), 15);
    }

    #[test]
    fn hot_path_leaves_errors_to_the_general_path() {
        let many = "<line nr=\"1\" mi=\"0\" ci=\"1\" mb=\"0\" cb=\"0\"/>\n".repeat(100);
        for (bad, line) in [
            ("<line nr=\"1\" mi=\"0\" ci=\"x\" mb=\"0\" cb=\"0\"/>", 103),
            ("<line nr=\"1\" mi=\"x\" ci=\"1\" mb=\"0\" cb=\"0\"/>", 103),
            ("<line nr=\"1\" mi=\"0\" ci=\"1\" mb=\"-1\" cb=\"0\"/>", 103),
            ("<line nr=\"x\" mi=\"0\" ci=\"1\" mb=\"0\" cb=\"0\"/>", 103),
            ("<line nr=\"1\" nr=\"2\" mi=\"0\" ci=\"1\"/>", 103),
            ("<line nr=\"1\" mi=\"0\" ci=\"1\" ci=\"1\"/>", 103),
            ("<line mi=\"0\" ci=\"1\" mb=\"0\" cb=\"0\"/>", 103),
            ("<line nr=\"1\" mi=\"0\" ci=\"1\" mb=\"70000\" cb=\"0\"/>", 103),
            ("<line nr=\"1\" mi=0 ci=\"1\"/>", 103),
            ("<line nr=\"1\" mi=\"0\" ci=\"1\" mb=\"0\" cb=\"0\"/></package>", 103),
            ("<line nr=\"1\" mi=\"0\" ci=\"1\" mb=\"0\" cb=\"0\"", 104),
        ] {
            let xml = one_line(&format!("{many}{bad}\n{many}"));
            let e = READER.same_every_way(xml.as_bytes()).expect_err(bad);
            assert_eq!(e.line, Some(line), "{bad}: {e}");
        }
        let branchy = "<line nr=\"1\" mi=\"0\" ci=\"1\" mb=\"60000\" cb=\"0\"/>\n";
        // (Two million branches: a few ways only.)
        let e = READER.same_these_ways(one_line(&branchy.repeat(40)).as_bytes(), [61].into_iter()).unwrap_err();
        assert!(e.message.contains("branches in one file"), "{e}");
        assert_eq!(e.line, Some(37));
    }

    /// A report of packages (in `<group>`s when `grouped`) with classes, methods, sourcefiles
    /// given twice, sourcefiles without lines and counters at every level.
    fn many_packages(grouped: bool) -> String {
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><!DOCTYPE report PUBLIC \
             \"-//JACOCO//DTD Report 1.1//EN\" \"report.dtd\"><report name=\"r\">\
             <sessioninfo id=\"s\" start=\"1\" dump=\"2\"/>",
        );
        for p in 0..8 {
            if grouped && p % 3 == 0 {
                xml.push_str(&format!("<group name=\"g{p}\">"));
            }
            xml.push_str(&format!("<package name=\"org/p{}\">", p % 5));
            for c in 0..3 {
                xml.push_str(&format!(
                    "<class name=\"org/p{}/C{c}\" sourcefilename=\"C{c}.java\"><method name=\"m\" desc=\"()V\" \
                     line=\"{}\"><counter type=\"METHOD\" missed=\"{}\" covered=\"{}\"/></method></class>",
                    p % 5,
                    c + 1,
                    (p + c) % 2,
                    (p + c + 1) % 2
                ));
            }
            for c in 0..3 {
                xml.push_str(&format!("<sourcefile name=\"C{c}.java\">"));
                for l in (1..9).filter(|_| (p + c) % 7 != 4) {
                    let (mb, cb) = if l % 3 == 0 { (p % 3, c % 2) } else { (0, 0) };
                    xml.push_str(&format!(
                        "<line nr=\"{l}\" mi=\"{}\" ci=\"{}\" mb=\"{mb}\" cb=\"{cb}\"/>",
                        (l + p) % 2,
                        (l * c) % 4
                    ));
                }
                xml.push_str("<counter type=\"LINE\" missed=\"1\" covered=\"1\"/></sourcefile>");
            }
            xml.push_str("<counter type=\"LINE\" missed=\"3\" covered=\"3\"/></package>\n");
            if grouped && (p % 3 == 2 || p == 7) {
                xml.push_str("<counter type=\"CLASS\" missed=\"0\" covered=\"3\"/></group>");
            }
        }
        xml.push_str("<counter type=\"LINE\" missed=\"40\" covered=\"50\"/><counter type=\"CLASS\" missed=\"0\" covered=\"24\"/></report>");
        xml
    }

    #[test]
    fn pieces_read_what_one_walk_reads() {
        for grouped in [false, true] {
            let xml = many_packages(grouped);
            let input = Source::bytes("jacoco.xml", xml.clone().into_bytes());
            let one = READER.one_walk(&input).unwrap();
            assert!(one.1.notes.iter().any(|n| n.contains("no <line>")), "{:?}", one.1.notes);
            let len = xml.len() as u64;
            let packages: Vec<u64> = xml.match_indices("<package ").map(|(i, _)| i as u64).collect();
            let tuning = Tuning::default();
            for (n, &a) in packages.iter().enumerate().skip(1) {
                assert_eq!(READER.in_pieces(&input, &[0, a, len], tuning).as_ref(), Some(&one), "cut at {a}");
                for &b in &packages[n + 1..] {
                    let small = Tuning { capacity: 7 + (a + b) as usize % 50, ..tuning };
                    assert_eq!(
                        READER.in_pieces(&input, &[0, a, b, len], small).as_ref(),
                        Some(&one),
                        "cuts at {a}, {b}"
                    );
                }
            }
            READER.threads_agree(&input, 2..=8);
        }
    }

    #[test]
    fn pieces_give_way_to_one_walk() {
        let tuning = Tuning::default();
        // Packages at another depth than the first: the walk does not stand where the piece
        // after the cut starts.
        let xml = many_packages(true).replacen("<group name=\"g0\">", "", 1).replacen("</group>", "", 1);
        let input = Source::bytes("jacoco.xml", xml.clone().into_bytes());
        assert!(READER.one_walk(&input).is_ok());
        let packages: Vec<u64> = xml.match_indices("<package ").map(|(i, _)| i as u64).collect();
        assert_eq!(READER.in_pieces(&input, &[0, packages[4], xml.len() as u64], tuning), None);
        assert!(READER.in_pieces(&input, &[0, packages[1], xml.len() as u64], tuning).is_some());
        READER.threads_agree(&input, 2..=8);
        // Errors in a later piece are reported as one walk reports them.
        let bad = many_packages(false).replacen("ci=\"3\"", "ci=\"-3\"", 30);
        let input = Source::bytes("jacoco.xml", bad.into_bytes());
        assert!(READER.one_walk(&input).is_err());
        READER.threads_agree(&input, 2..=5);
        // A truncated file.
        let cut = many_packages(false);
        let input = Source::bytes("jacoco.xml", &cut.as_bytes()[..cut.len() - 30]);
        let e = parse_tuned(&crate::parsers::xml_agree::on(&input, 3), &mut CoverageBuilder::new(), tuning);
        assert_eq!(e.unwrap_err(), READER.one_walk(&input).unwrap_err());
    }

    #[test]
    fn damaged_reports_read_alike_every_way() {
        READER.damaged_read_alike(&many_packages(true).replace("><", ">\n<"), "<package ");
    }

    #[test]
    fn what_is_not_an_error() {
        // An external DTD is never fetched; deep nesting is fine; absurd counts saturate.
        let xml = format!(
            "<!DOCTYPE report SYSTEM \"http://127.0.0.1:9/report.dtd\">\n{}",
            one_line("<line nr=\"3\" mi=\"0\" ci=\"99999999999999999999999\" mb=\"0\" cb=\"0\"/>")
        );
        let input = Source::bytes("jacoco.xml", xml.into_bytes());
        let mut set = DetailSet::new();
        parse(&input, &mut set).unwrap();
        assert_eq!(set.files[0].lines, vec![(3, u64::MAX)]);
        let deep = format!("<report>{}{}</report>", "<group name=\"g\">".repeat(10_000), "</group>".repeat(10_000));
        assert!(read(deep.as_bytes()).unwrap().0.files.is_empty());
    }
}
