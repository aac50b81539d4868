//! The `temis.report/v1` JSON contract (../DESIGN.md): stable field names, more welcome.

use std::io::{self, Write};

use serde::Serialize;

use super::ReadReport;
use crate::model::{Counts, Coverage, FileCoverage, Rounding};
use crate::parsers::Content;

pub const REPORT_SCHEMA: &str = "temis.report/v1";

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
    security: Option<SecurityJson<'a>>,
}

// --- security (helper-security) ---

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
    use crate::model::owasp::{Edition, tally};
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

// --- end security ---

/// `tests` of the contract: the totals, plus the tests that did not pass.
#[derive(Serialize)]
struct TestsJson<'a> {
    total: u64,
    passed: u64,
    failed: u64,
    skipped: u64,
    errors: u64,
    flaky: u64,
    failing: Vec<&'a crate::model::TestCase>,
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
        failing: run.failing().collect(),
        notes: &run.notes,
    }
}

#[derive(Serialize)]
struct CoverageJson<'a> {
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
    /// `null` when the format has no per-line data (summary-only inputs).
    uncovered_lines: Option<Vec<u32>>,
}

fn coverage_json(c: &Coverage) -> CoverageJson<'_> {
    let r = c.rounding;
    CoverageJson {
        lines: Stat::new(c.lines, r),
        branches: c.branches.map(|b| Stat::new(b, r)),
        functions: c.functions.map(|f| Stat::new(f, r)),
        files: c.files.iter().map(|f| file_json(f, r)).collect(),
        notes: &c.notes,
        extra: &c.extra,
    }
}

fn file_json(f: &FileCoverage, r: Rounding) -> FileJson<'_> {
    FileJson {
        path: &f.path,
        lines: Stat::new(f.lines, r),
        branches: f.branches.map(|b| Stat::new(b, r)),
        functions: f.functions.map(|x| Stat::new(x, r)),
        uncovered_lines: f.line_bits.as_ref().map(|b| b.uncovered().collect()),
    }
}

/// Writes the `temis.report/v1` document for `reports`.
pub fn write_reports(out: &mut impl Write, reports: &[ReadReport]) -> io::Result<()> {
    let doc = Doc {
        schema: REPORT_SCHEMA,
        reports: reports
            .iter()
            .map(|r| Entry {
                path: &r.path,
                format: r.format.name(),
                kind: r.format.kind().name(),
                coverage: match &r.content {
                    Content::Coverage(c) => Some(coverage_json(c)),
                    _ => None,
                },
                tests: match &r.content {
                    Content::Tests(t) => Some(tests_json(t)),
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
