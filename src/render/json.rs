//! The `temis.report` JSON contract (../DESIGN.md, docs/report-json.md): stable field names,
//! more welcome.
//!
//! Two versions, the same document but for the lines of each coverage file:
//! `temis.report/v2` (the default) gives them as inclusive ranges of adjacent line numbers,
//! `"uncovered_ranges": [[3,7],[12,12]]`, each list on one line; `temis.report/v1` gives
//! every line number, one a line (`"uncovered_lines": [3, 4, 5, 6, 7, 12]`). Both read back
//! (`parsers::temis_report`).

use std::io::{self, Write};

use serde::Serialize;

use super::ReadReport;
use crate::model::{Counts, Coverage, FileCoverage, LineBits, Rounding};
use crate::parsers::Content;

/// The schema of version 1: every line number listed.
pub const REPORT_SCHEMA_V1: &str = "temis.report/v1";
/// The schema of version 2: lines as ranges.
pub const REPORT_SCHEMA: &str = "temis.report/v2";

/// Which version of the contract to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Version {
    V1,
    #[default]
    V2,
}

#[derive(Serialize)]
struct Doc<'a> {
    schema: &'static str,
    reports: Vec<Entry<'a>>,
}

#[derive(Serialize)]
struct Entry<'a> {
    path: &'a str,
    format: &'static str,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    coverage: Option<CoverageJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tests: Option<TestsJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    a11y: Option<A11yJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    performance: Option<PerformanceJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    security: Option<SecurityJson<'a>>,
}

/// `security` of the contract: the counts (suppressed findings apart, not in `total`), the
/// OWASP Top 10 tallies of both editions, every finding, and whether the scan finished.
#[derive(Serialize)]
struct SecurityJson<'a> {
    #[serde(flatten)]
    summary: crate::model::security::Summary,
    owasp_2021: std::collections::BTreeMap<String, u64>,
    owasp_2025: std::collections::BTreeMap<String, u64>,
    /// False when the scan did not finish (a failed run, dependencies not audited, `null`).
    complete: bool,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    incomplete: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    errors: &'a [String],
    tools: &'a [String],
    findings: &'a [crate::model::Finding],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    notes: &'a [String],
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    extra: &'a std::collections::BTreeMap<String, serde_json::Value>,
}

fn security_json(r: &crate::model::SecurityReport) -> SecurityJson<'_> {
    use crate::model::owasp::Edition;
    use crate::model::security::owasp_tally as tally;
    let owasp = |e: Edition| {
        tally(e, r.findings.iter())
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(i, n)| (format!("A{:02}", i + 1), *n))
            .collect()
    };
    SecurityJson {
        summary: r.summary(),
        owasp_2021: owasp(Edition::Y2021),
        owasp_2025: owasp(Edition::Y2025),
        complete: !r.is_incomplete(),
        incomplete: &r.incomplete,
        errors: &r.errors,
        tools: &r.tools,
        findings: &r.findings,
        notes: &r.notes,
        extra: &r.extra,
    }
}

/// `tests` of the contract: the totals, plus the tests that did not pass.
#[derive(Serialize)]
struct TestsJson<'a> {
    total: u64,
    passed: u64,
    failed: u64,
    skipped: u64,
    errors: u64,
    flaky: u64,
    /// Neither passed, failed, errored nor skipped (`total` is the five buckets).
    other: u64,
    /// `other` by the producer's word (`todo`, `inconclusive`, `incomplete`…).
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    other_breakdown: &'a std::collections::BTreeMap<String, u64>,
    /// The tests that block: failed, errored, or never finished.
    failing: Vec<&'a crate::model::TestCase>,
    /// The `other` tests that do not block (todo, inconclusive, pending…).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    others: Vec<&'a crate::model::TestCase>,
    /// Errors outside any test (not counted as tests; they block).
    #[serde(skip_serializing_if = "<[crate::model::TestCase]>::is_empty")]
    errors_outside: &'a [crate::model::TestCase],
    /// The producer's own summary figures, as it wrote them.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    stated: &'a std::collections::BTreeMap<String, serde_json::Value>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    notes: &'a [String],
}

fn tests_json(run: &crate::model::TestRun) -> TestsJson<'_> {
    let t = run.totals;
    TestsJson {
        total: t.total,
        passed: t.passed,
        failed: t.failed,
        skipped: t.skipped,
        errors: t.errors,
        flaky: t.flaky,
        other: t.other,
        other_breakdown: &run.other_kinds,
        failing: run.failing().collect(),
        others: run.others().collect(),
        errors_outside: &run.outside,
        stated: &run.stated,
        notes: &run.notes,
    }
}

#[derive(Serialize)]
struct CoverageJson<'a> {
    /// What `lines` counts, and how percentages are rounded (in every v2 document and in
    /// `temis merge`'s v1 output: what reading the document back keeps).
    #[serde(skip_serializing_if = "Option::is_none")]
    unit: Option<crate::model::Unit>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rounding: Option<&'static str>,
    /// The totals are the producer's own, not the sum of the files (OpenCover's branch points in
    /// no file, Istanbul's and SimpleCov's stated figures): what lets them be read back.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    stated_totals: bool,
    lines: Stat,
    branches: Option<Stat>,
    functions: Option<Stat>,
    files: Files<'a>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    notes: &'a [String],
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    extra: &'a std::collections::BTreeMap<String, serde_json::Value>,
}

#[derive(Serialize)]
struct Stat {
    total: u64,
    covered: u64,
    percent: Option<f64>,
}

impl Stat {
    fn new(c: Counts, r: Rounding) -> Self {
        Self { total: c.total, covered: c.covered, percent: r.percent(c) }
    }
}

#[derive(Serialize)]
struct FileJson<'a> {
    path: &'a str,
    lines: Stat,
    branches: Option<Stat>,
    functions: Option<Stat>,
    /// v1: `null` when the format has no per-line data (summary-only inputs).
    #[serde(skip_serializing_if = "Lines::skip")]
    uncovered_lines: Lines,
    /// v1: the lines that ran, in `temis merge`'s output (so that it reads back whole).
    #[serde(skip_serializing_if = "Lines::absent")]
    covered_lines: Lines,
    /// v2: the uncovered lines as ranges; `null` when the format has no per-line data.
    #[serde(skip_serializing_if = "Option::is_none")]
    uncovered_ranges: Option<Option<Ranges<'a>>>,
    /// v2: the lines that ran as ranges, in `temis merge`'s output.
    #[serde(skip_serializing_if = "Option::is_none")]
    covered_ranges: Option<Ranges<'a>>,
}

/// A v1 list of line numbers: not written (v2), `null`, or the numbers.
enum Lines {
    Skip,
    Null,
    Some(Vec<u32>),
}

impl Lines {
    fn skip(&self) -> bool {
        matches!(self, Self::Skip)
    }

    fn absent(&self) -> bool {
        !matches!(self, Self::Some(_))
    }
}

impl Serialize for Lines {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Some(v) => v.serialize(s),
            _ => s.serialize_none(),
        }
    }
}

/// The covered (or uncovered) lines of `bits` as inclusive ranges of adjacent line numbers,
/// `[[3,7],[12,12]]`, kept on one line inside the pretty document. Made when written (one
/// file's list in memory at a time, not the whole document's), and handed to [`Layout`] as
/// bytes, which it writes as they are.
struct Ranges<'a> {
    bits: &'a LineBits,
    hit: bool,
}

fn ranges(bits: &LineBits, hit: bool) -> Ranges<'_> {
    Ranges { bits, hit }
}

impl Serialize for Ranges<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        thread_local! {
            static JSON: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        JSON.with_borrow_mut(|json| {
            json.clear();
            let mut number = itoa::Buffer::new();
            let mut sep = b'[';
            self.bits.each_range(self.hit, |from, to| {
                // `,[from,to]` gathered first, then added at once: 2 + 10 + 1 + 10 + 1 bytes at
                // most. Most ranges are one line, its number written once.
                let mut one = [0u8; 24];
                one[0] = sep;
                one[1] = b'[';
                let digits = number.format(from).as_bytes();
                let n = digits.len();
                one[2..2 + n].copy_from_slice(digits);
                one[2 + n] = b',';
                let end = if to == from {
                    one[3 + n..3 + 2 * n].copy_from_slice(digits);
                    3 + 2 * n
                } else {
                    let digits = number.format(to).as_bytes();
                    one[3 + n..3 + n + digits.len()].copy_from_slice(digits);
                    3 + n + digits.len()
                };
                one[end] = b']';
                // All 24 bytes added, then the rest taken off: a copy of a fixed length, not a
                // call to copy a length known only when run.
                let kept = json.len() + end + 1;
                json.extend_from_slice(&one);
                json.truncate(kept);
                sep = b',';
            });
            if sep == b'[' {
                json.push(b'[');
            }
            json.push(b']');
            Written(json).serialize(s)
        })
    }
}

/// A coverage report's files. Many files (a monorepo's LCOV has tens of thousands) are written
/// on [`crate::input::Split`]'s threads, a batch at a time: each thread writes its share of
/// the batch as serde_json lays it out at the files' depth, and the shares are handed on in
/// order, as bytes ([`Layout`]), the same text one thread writes.
struct Files<'a> {
    files: &'a [FileCoverage],
    rounding: Rounding,
    whole: bool,
    version: Version,
    threads: usize,
}

impl<'a> Files<'a> {
    /// One file as the document gives it (made where it is written, on its thread).
    fn json(&self, f: &'a FileCoverage) -> FileJson<'a> {
        file_json(f, self.rounding, self.whole, self.version)
    }

    /// `files` as the elements of the files' array, one after another, as serde_json writes
    /// them there (without what comes before the first), in place of what `text` held.
    fn text(&self, files: &'a [FileCoverage], text: &mut Vec<u8>) -> io::Result<()> {
        use serde_json::ser::Formatter;
        text.clear();
        for (i, f) in files.iter().enumerate() {
            let mut layout = Layout { depth: FILES_DEPTH, has_value: false };
            if i > 0 {
                layout.begin_array_value(text, false)?;
            }
            self.json(f).serialize(&mut serde_json::Serializer::with_formatter(&mut *text, layout))?;
        }
        Ok(())
    }
}

/// Fewer files than this are written on one thread.
const FILES_IN_PARALLEL: usize = 512;
/// Files written at once: what is held in memory beyond the report.
const FILES_BATCH: usize = 2048;
/// How deep each file's object sits: `{ "reports": [ { "coverage": { "files": [`.
const FILES_DEPTH: usize = 5;

impl Serialize for Files<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeSeq};
        if self.threads < 2 || self.files.len() < FILES_IN_PARALLEL {
            return s.collect_seq(self.files.iter().map(|f| self.json(f)));
        }
        let mut seq = s.serialize_seq(Some(self.files.len()))?;
        // Each thread's share of a batch, kept from one batch to the next.
        let mut texts = vec![Vec::new(); self.threads];
        for batch in self.files.chunks(FILES_BATCH) {
            let share = batch.len().div_ceil(self.threads);
            let written: Vec<io::Result<()>> = std::thread::scope(|scope| {
                let mut shares = batch.chunks(share).zip(texts.iter_mut());
                let mine = shares.next();
                let others: Vec<_> = shares.map(|(files, text)| scope.spawn(move || self.text(files, text))).collect();
                let mine = mine.map_or(Ok(()), |(files, text)| self.text(files, text));
                std::iter::once(mine)
                    .chain(others.into_iter().map(|h| {
                        h.join().unwrap_or_else(|_| Err(io::Error::other("internal error: a writer thread panicked")))
                    }))
                    .collect()
            });
            for (done, text) in written.into_iter().zip(&texts) {
                done.map_err(S::Error::custom)?;
                seq.serialize_element(&Written(text))?;
            }
        }
        seq.end()
    }
}

/// JSON text written already, handed to [`Layout`] as bytes.
struct Written<'a>(&'a [u8]);

impl Serialize for Written<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
}

/// serde_json's pretty layout (`to_writer_pretty`: two spaces a level), but for bytes, which it
/// writes as they are: the only bytes in the document are JSON written beforehand ([`Ranges`],
/// [`Files`]). Its own, rather than serde_json's `PrettyFormatter`, to start at any depth
/// ([`Files::text`]) and to write each line's indent at once (serde_json writes it a level at a
/// time, seven writes a line at the files' depth).
#[derive(Default)]
struct Layout {
    depth: usize,
    has_value: bool,
}

impl Layout {
    /// A new line, indented to the current depth.
    fn line<W: ?Sized + Write>(&self, w: &mut W) -> io::Result<()> {
        const INDENT: &[u8; 65] = b"\n                                                                ";
        let mut spaces = 2 * self.depth;
        let first = spaces.min(INDENT.len() - 1);
        w.write_all(&INDENT[..=first])?;
        spaces -= first;
        while spaces > 0 {
            let more = spaces.min(INDENT.len() - 1);
            w.write_all(&INDENT[1..=more])?;
            spaces -= more;
        }
        Ok(())
    }

    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.line(w)?;
        }
        w.write_all(bracket)
    }

    fn item<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        self.line(w)
    }
}

impl serde_json::ser::Formatter for Layout {
    fn write_byte_array<W: ?Sized + Write>(&mut self, w: &mut W, json: &[u8]) -> io::Result<()> {
        w.write_all(json)
    }

    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

fn coverage_json(c: &Coverage, whole: bool, version: Version, threads: usize) -> CoverageJson<'_> {
    let r = c.rounding;
    // v2 always names them, so that a document reads back with the producer's unit and rounding
    // (Go's statements, Istanbul's truncated percentages); v1 as it always was.
    let named = whole || version == Version::V2;
    let mut sum = (Counts::default(), None, None);
    for f in &c.files {
        sum.0.add(f.lines);
        crate::model::add_counts(&mut sum.1, f.branches);
        crate::model::add_counts(&mut sum.2, f.functions);
    }
    CoverageJson {
        stated_totals: (c.lines, c.branches, c.functions) != sum,
        unit: named.then_some(c.unit),
        rounding: named.then_some(match r {
            Rounding::Nearest => "nearest",
            Rounding::Floor => "floor",
        }),
        lines: Stat::new(c.lines, r),
        branches: c.branches.map(|b| Stat::new(b, r)),
        functions: c.functions.map(|f| Stat::new(f, r)),
        files: Files { files: &c.files, rounding: r, whole, version, threads },
        notes: &c.notes,
        extra: &c.extra,
    }
}

fn file_json(f: &FileCoverage, r: Rounding, whole: bool, version: Version) -> FileJson<'_> {
    let bits = f.line_bits.as_ref();
    let (uncovered_lines, covered_lines, uncovered_ranges, covered_ranges) = match version {
        Version::V1 => (
            bits.map_or(Lines::Null, |b| Lines::Some(b.uncovered().collect())),
            match bits.filter(|_| whole) {
                Some(b) => Lines::Some(b.lines().filter(|(_, hit)| *hit).map(|(line, _)| line).collect()),
                None => Lines::Skip,
            },
            None,
            None,
        ),
        Version::V2 => (
            Lines::Skip,
            Lines::Skip,
            Some(bits.map(|b| ranges(b, false))),
            bits.filter(|_| whole).map(|b| ranges(b, true)),
        ),
    };
    FileJson {
        path: &f.path,
        lines: Stat::new(f.lines, r),
        branches: f.branches.map(|b| Stat::new(b, r)),
        functions: f.functions.map(|x| Stat::new(x, r)),
        uncovered_lines,
        covered_lines,
        uncovered_ranges,
        covered_ranges,
    }
}

/// `a11y` of the contract: the score, violation counts, failing rules and WCAG levels, then the
/// pages; the producer's own figures (`incomplete_total`, `category_scores`…) are flattened in.
#[derive(Serialize)]
struct A11yJson<'a> {
    tool: &'a str,
    score: serde_json::Value,
    violations: ViolationsJson,
    failing_rules: Vec<&'a str>,
    wcag_levels_failed: Vec<&'static str>,
    nodes_total: u64,
    by_impact_nodes: Option<crate::model::a11y::ByImpact>,
    needs_review: u64,
    pages: Vec<PageJson<'a>>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    notes: &'a [String],
    #[serde(flatten)]
    extra: &'a std::collections::BTreeMap<String, serde_json::Value>,
}

#[derive(Serialize)]
struct ViolationsJson {
    total: u64,
    by_impact: Option<crate::model::a11y::ByImpact>,
    by_type: Option<crate::model::a11y::ByType>,
}

#[derive(Serialize)]
struct PageJson<'a> {
    url: &'a str,
    score: serde_json::Value,
    error: Option<&'a str>,
    violations: usize,
    nodes: u64,
    needs_review: usize,
    passes: u64,
    failing_rules: Vec<&'a str>,
    /// Every violation with its impact, level, criteria and first failing elements.
    details: &'a [crate::model::a11y::Violation],
}

fn a11y_json(a: &crate::model::a11y::A11yReport) -> A11yJson<'_> {
    use crate::model::a11y::number_json;
    let score = |s: Option<f64>| s.map_or(serde_json::Value::Null, number_json);
    A11yJson {
        tool: &a.tool,
        score: score(a.score()),
        violations: ViolationsJson { total: a.total(), by_impact: a.by_impact(), by_type: a.by_type() },
        failing_rules: a.failing_rules(),
        wcag_levels_failed: a.levels_failed().into_iter().map(|l| l.name()).collect(),
        nodes_total: a.nodes(),
        by_impact_nodes: a.by_impact_nodes(),
        needs_review: a.needs_review().count() as u64,
        pages: a
            .pages
            .iter()
            .map(|p| {
                let mut rules: Vec<&str> = p.violations.iter().map(|v| v.rule.as_str()).collect();
                rules.sort_unstable();
                rules.dedup();
                PageJson {
                    url: &p.url,
                    score: score(p.score),
                    error: p.error.as_deref(),
                    violations: p.violations.len(),
                    nodes: p.violations.iter().fold(0u64, |n, v| n.saturating_add(v.nodes)),
                    needs_review: p.needs_review.len(),
                    passes: p.passes,
                    failing_rules: rules,
                    details: &p.violations,
                }
            })
            .collect(),
        notes: &a.notes,
        extra: &a.extra,
    }
}

/// `performance`: each benchmark's statistics in nanoseconds (`null` where the producer gives
/// none).
#[derive(Serialize)]
struct PerformanceJson<'a> {
    tool: &'a str,
    unit: &'static str,
    benchmarks: &'a [crate::model::bench::Benchmark],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    notes: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    failures: &'a [String],
}

/// Writes the `temis.report` document of `version` for `reports`.
pub fn write_reports(out: &mut impl Write, reports: &[ReadReport], version: Version) -> io::Result<()> {
    write_document(out, reports, false, version)
}

/// [`write_reports`], with what reading the document back needs: each file's covered lines,
/// the unit and the rounding (`temis merge --output-format json`).
pub fn write_whole(out: &mut impl Write, reports: &[ReadReport], version: Version) -> io::Result<()> {
    write_document(out, reports, true, version)
}

fn write_document(out: &mut impl Write, reports: &[ReadReport], whole: bool, version: Version) -> io::Result<()> {
    write_on(out, reports, whole, version, crate::input::Split::auto().threads)
}

/// [`write_document`], a coverage report's many files written on `threads` threads.
fn write_on(
    out: &mut impl Write,
    reports: &[ReadReport],
    whole: bool,
    version: Version,
    threads: usize,
) -> io::Result<()> {
    let doc = document(reports, whole, version, threads);
    doc.serialize(&mut serde_json::Serializer::with_formatter(&mut *out, Layout::default()))?;
    out.write_all(b"\n")
}

fn document(reports: &[ReadReport], whole: bool, version: Version, threads: usize) -> Doc<'_> {
    Doc {
        schema: match version {
            Version::V1 => REPORT_SCHEMA_V1,
            Version::V2 => REPORT_SCHEMA,
        },
        reports: reports
            .iter()
            .map(|r| Entry {
                path: &r.path,
                format: r.format.name(),
                kind: r.format.kind().name(),
                coverage: match &r.content {
                    Content::Coverage(c) => Some(coverage_json(c, whole, version, threads)),
                    _ => None,
                },
                tests: match &r.content {
                    Content::Tests(t) => Some(tests_json(t)),
                    _ => None,
                },
                a11y: match &r.content {
                    Content::A11y(a) => Some(a11y_json(a)),
                    _ => None,
                },
                performance: match &r.content {
                    Content::Bench(b) => Some(PerformanceJson {
                        tool: &b.tool,
                        unit: "ns",
                        benchmarks: &b.benchmarks,
                        notes: &b.notes,
                        failures: &b.failures,
                    }),
                    _ => None,
                },
                security: match &r.content {
                    Content::Security(s) => Some(security_json(s)),
                    _ => None,
                },
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FileCoverage;

    fn coverage(files: usize) -> ReadReport {
        let files: Vec<FileCoverage> = (0..files)
            .map(|i| {
                let mut bits = LineBits::new();
                // Some files with nothing uncovered, some with lines far apart, some escaped paths.
                for line in 1..(i % 300) as u32 {
                    bits.set(line * (1 + (i % 3) as u32), line % 5 != 0 || i % 7 == 0);
                }
                bits.set(1_000_000 + i as u32, i % 2 == 0);
                let mut f = FileCoverage::new(format!("src/d{}/f\"{i}\".c", i % 13));
                f.lines = Counts::new(bits.coverable_count(), bits.covered_count());
                f.branches = (i % 4 == 0).then(|| Counts::new(i as u64, i as u64 / 2));
                f.line_bits = Some(bits);
                f
            })
            .collect();
        let mut c = Coverage { files, ..Coverage::default() };
        for f in &c.files {
            c.lines.add(f.lines);
        }
        ReadReport {
            path: "lcov.info".into(),
            format: crate::parsers::Format::Lcov,
            content: crate::parsers::Content::Coverage(c),
        }
    }

    fn text(reports: &[ReadReport], whole: bool, version: Version, threads: usize) -> String {
        let mut out = Vec::new();
        write_on(&mut out, reports, whole, version, threads).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// Many files written on threads, in batches and shares of every size, are the text one
    /// thread writes.
    #[test]
    fn files_written_on_threads_are_what_one_thread_writes() {
        for files in [FILES_IN_PARALLEL, FILES_BATCH + 1, 2 * FILES_BATCH + 7] {
            let reports = [coverage(files), coverage(3)];
            for (whole, version) in [(false, Version::V2), (true, Version::V2), (false, Version::V1)] {
                let one = text(&reports, whole, version, 1);
                for threads in [2, 3, 8] {
                    assert!(one == text(&reports, whole, version, threads), "{files} files, {threads} threads");
                }
            }
        }
    }

    /// The layout is serde_json's pretty one, and each list of ranges is on one line.
    #[test]
    fn the_layout_is_serde_jsons_pretty_one() {
        let reports = [coverage(40)];
        // v1 has no ranges: every byte is serde_json's.
        let ours = text(&reports, true, Version::V1, 1);
        let doc = document(&reports, true, Version::V1, 1);
        assert_eq!(ours, serde_json::to_string_pretty(&doc).unwrap() + "\n");
        // v2: the same, but for the ranges, which serde_json would write a number a line; here
        // each list is on its line.
        let ours = text(&reports, true, Version::V2, 1);
        let value: serde_json::Value = serde_json::from_str(&ours).unwrap();
        assert!(value["reports"][0]["coverage"]["files"][39]["uncovered_ranges"].is_array());
        assert!(ours.contains("\"uncovered_ranges\": [],"), "{ours}");
        assert!(ours.contains("\"covered_ranges\": [[1000000,1000000]]\n"), "{ours}");
        for line in ours.lines().filter(|l| l.contains("_ranges")) {
            assert!(["]],", "[],", "]]", "[]"].iter().any(|end| line.ends_with(end)), "{line}");
        }
    }

    /// The ranges are the bits' ranges, for every shape of run.
    #[test]
    fn ranges_are_written_as_the_bits_give_them() {
        let mut bits = LineBits::new();
        for (line, hit) in
            [(1, false), (2, false), (3, true), (63, false), (64, false), (65, false), (9_999_999, false)]
        {
            bits.set(line, hit);
        }
        let json = |hit| {
            let mut out = Vec::new();
            ranges(&bits, hit)
                .serialize(&mut serde_json::Serializer::with_formatter(&mut out, Layout::default()))
                .unwrap();
            String::from_utf8(out).unwrap()
        };
        assert_eq!(json(false), "[[1,2],[63,65],[9999999,9999999]]");
        assert_eq!(json(true), "[[3,3]]");
        assert_eq!(json(false), serde_json::to_string(&bits.ranges(false)).unwrap());
    }
}
