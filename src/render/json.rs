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
use serde::ser::SerializeSeq;
use serde_json::value::RawValue;

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
    files: Vec<FileJson<'a>>,
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
    uncovered_ranges: Option<Option<Compact<'a>>>,
    /// v2: the lines that ran as ranges, in `temis merge`'s output.
    #[serde(skip_serializing_if = "Option::is_none")]
    covered_ranges: Option<Compact<'a>>,
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

/// The covered (or uncovered) lines of `bits` as inclusive ranges of adjacent line numbers.
struct Ranges<'a> {
    bits: &'a LineBits,
    hit: bool,
}

impl Serialize for Ranges<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let ranges = self.bits.ranges(self.hit);
        let mut seq = s.serialize_seq(Some(ranges.len()))?;
        for (from, to) in ranges {
            seq.serialize_element(&[from, to])?;
        }
        seq.end()
    }
}

/// `bits`' ranges as compact JSON, so that the pretty document keeps each list on one line.
fn ranges(bits: &LineBits, hit: bool) -> Compact<'_> {
    Compact(Ranges { bits, hit })
}

/// [`Ranges`] written compact inside the pretty document, made when written (one file's list
/// in memory at a time, not the whole document's).
struct Compact<'a>(Ranges<'a>);

impl Serialize for Compact<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let raw: Box<RawValue> = serde_json::value::to_raw_value(&self.0).map_err(serde::ser::Error::custom)?;
        raw.serialize(s)
    }
}

fn coverage_json(c: &Coverage, whole: bool, version: Version) -> CoverageJson<'_> {
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
        files: c.files.iter().map(|f| file_json(f, r, whole, version)).collect(),
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
    let doc = Doc {
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
                    Content::Coverage(c) => Some(coverage_json(c, whole, version)),
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
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    out.write_all(b"\n")
}
