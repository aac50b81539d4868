//! Report parsers, one module per format, the format registry ([`table`]) and detection of the
//! format from content.
//!
//! A file name never decides the format: `coverage.json` is written by coverage.py, SimpleCov
//! and Istanbul alike, `coverage.xml` by coverage.py and PHPUnit. [`detect`] looks at the first
//! bytes; `--input-format` overrides it.
//!
//! Readers are pure: they read an opened [`Source`] (bytes by ranges, never a path) and return
//! model values; the input side ([`crate::input`]) opens, streams, cuts into pieces and picks the
//! thread count. Every format's reader has one signature, [`Reader`]: coverage readers hand each
//! file record to a sink and return what they learned about the report as a whole
//! ([`Parsed::Coverage`]); the others return their model.

use std::collections::BTreeMap;

use serde::Serialize;

mod error;

use crate::input::{Input, Source};
use crate::model::{Counts, Coverage, CoverageBuilder, DetailSet, Rounding};
pub use error::{ParseError, ReportError};

pub use self::table::{Entry, Family, Location, Reader, Rule};

pub mod axe;
pub mod clover;
pub mod cobertura;
pub mod coveragepy;
pub mod criterion;
pub mod gobench;
pub mod gocover;
pub mod hyperfine;
pub mod istanbul;
pub mod jacoco;
pub(crate) mod json;
pub mod junit;
pub mod k6;
pub mod lcov;
pub mod lhci;
pub mod lighthouse;
pub mod llvm_cov;
pub mod pa11y;
pub mod pytest_benchmark;
pub mod simplecov;
pub mod table;
pub mod tarpaulin;
pub mod text;
pub(crate) mod tolerant;
pub mod wcag;
pub mod xml;
#[cfg(test)]
mod xml_agree;
pub(crate) mod xml_walk;

pub mod bandit;
pub mod cargo_audit;
pub mod gitleaks;
pub mod npm_audit;
pub mod osv;
pub mod pip_audit;
pub mod sarif;
pub mod semgrep;
pub mod trivy;

// Test results, coverage and scanners of every stack (issue 17).
pub mod checkov;
pub mod coverlet;
pub mod ctrf;
pub mod dart;
pub mod depcheck;
pub mod gotest;
pub mod grype;
pub mod jacoco_csv;
pub mod mocha;
pub mod nunit;
pub mod opencover;
pub mod rspec;
pub mod snyk;
pub mod tap;
pub(crate) mod testjson;
pub(crate) mod testxml;
pub mod trx;
pub mod xunit;
pub mod zap;

/// Every report format temis reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    Lcov,
    Cobertura,
    Jacoco,
    Clover,
    CoveragepyJson,
    IstanbulFinal,
    IstanbulSummary,
    LlvmCovJson,
    TarpaulinJson,
    Gocover,
    Simplecov,
    Junit,
    #[value(alias = "lighthouse-json")]
    Lighthouse,
    LhciManifest,
    AxeJson,
    Pa11yJson,
    Pa11yCiJson,
    HyperfineJson,
    CriterionJson,
    PytestBenchmarkJson,
    Gobench,
    K6Json,
    Sarif,
    BanditJson,
    SemgrepJson,
    NpmAuditJson,
    PipAuditJson,
    CargoAuditJson,
    TrivyJson,
    GitleaksJson,
    OsvJson,
    Trx,
    Nunit3Xml,
    Nunit2Xml,
    Xunit2Xml,
    GoTestJson,
    MochaJson,
    RspecJson,
    DartJson,
    CtrfJson,
    Tap,
    OpencoverXml,
    CoverletJson,
    JacocoCsv,
    ZapJson,
    GrypeJson,
    SnykJson,
    CheckovJson,
    DependencyCheckJson,
}

/// What a report is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Coverage,
    Tests,
    A11y,
    Performance,
    Security,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Coverage => "coverage",
            Kind::Tests => "tests",
            Kind::A11y => "a11y",
            Kind::Performance => "performance",
            Kind::Security => "security",
        }
    }
}

impl Format {
    /// Every format, in the order `temis formats` and `--input-format` list them.
    pub fn all() -> impl Iterator<Item = Format> {
        table::FORMATS.iter().map(|e| e.format)
    }

    /// Everything the registry holds about this format.
    pub fn entry(self) -> &'static Entry {
        &table::FORMATS[self as usize]
    }

    /// The name used in JSON output and on the command line.
    pub fn name(self) -> &'static str {
        self.entry().name
    }

    /// Who writes it, for `--help` and error messages.
    pub fn producers(self) -> &'static str {
        self.entry().producers
    }

    pub fn kind(self) -> Kind {
        self.entry().kind
    }

    /// How the producer rounds the percentages it prints.
    pub fn rounding(self) -> Rounding {
        self.entry().rounding
    }
}

/// What a parser learned about the report as a whole.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Meta {
    /// Decisions a user should know about (records skipped, summary lines trusted…).
    pub notes: Vec<String>,
    /// The producer's own figures that are not plain line/branch/function coverage.
    pub extra: BTreeMap<String, serde_json::Value>,
    /// Totals the report states, when they are the producer's figure and differ from the sum
    /// of the files (rare; most formats leave this `None`).
    pub totals: Option<Totals>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub lines: Counts,
    pub branches: Option<Counts>,
    pub functions: Option<Counts>,
}

/// The list printed when a format is not recognised.
pub fn supported_list() -> String {
    Format::all().map(Format::name).collect::<Vec<_>>().join(", ")
}

/// The first bytes of a report, as detection rules see them: `body` without a BOM or leading
/// whitespace, and for XML the root element.
pub struct Sniff<'a> {
    pub body: &'a [u8],
    pub root: Option<xml::Root>,
}

impl Sniff<'_> {
    /// Whether `needle` (a key in quotes, mostly) is in the bytes.
    pub fn has(&self, needle: &str) -> bool {
        memchr::memmem::find(self.body, needle.as_bytes()).is_some()
    }

    /// Whether the document is a JSON array.
    pub fn is_array(&self) -> bool {
        self.body.first() == Some(&b'[')
    }

    /// Whether the XML root element is `<name>`.
    pub fn root_is(&self, name: &str) -> bool {
        self.root.as_ref().is_some_and(|r| r.name == name)
    }
}

/// Guesses the format from the first bytes of a report: the first byte tells the family (XML,
/// JSON, text), then the family's rules are tried by rank ([`table`]).
pub fn detect(head: &[u8]) -> Result<Format, ParseError> {
    let unknown = || {
        ParseError::whole(format!(
            "unrecognised report format (supported: {}); pass --input-format to say which it is",
            supported_list()
        ))
    };
    let body = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let body = body.trim_ascii_start();
    if body.is_empty() {
        return Err(ParseError::whole("the file is empty: no report to read"));
    }
    if head[..head.len().min(8192)].contains(&0) {
        return Err(ParseError::whole("this is a binary file, not a report"));
    }
    let family = match body[0] {
        b'<' => Family::Xml,
        b'{' | b'[' => Family::Json,
        _ => Family::Text,
    };
    let root = if family == Family::Xml { Some(xml::root_element(body).ok_or_else(unknown)?) } else { None };
    let sniff = Sniff { body, root };
    table::rules(family).into_iter().find(|(_, _, holds)| holds(&sniff)).map(|(_, f, _)| f).ok_or_else(unknown)
}

/// What a report held.
#[derive(Clone, Debug)]
pub enum Content {
    Coverage(Coverage),
    Tests(crate::model::TestRun),
    A11y(crate::model::a11y::A11yReport),
    Bench(crate::model::bench::BenchReport),
    Security(crate::model::SecurityReport),
}

/// What a reader gives back: for coverage, what it learned of the report as a whole (its
/// files went to the sink); for the other kinds, their model.
#[derive(Clone, Debug)]
pub enum Parsed {
    Coverage(Meta),
    Tests(crate::model::TestRun),
    A11y(crate::model::a11y::A11yReport),
    Bench(crate::model::bench::BenchReport),
    Security(crate::model::SecurityReport),
}

/// Opens `input` (once) and reads it: [`read`].
pub fn read_report(input: &Input, forced: Option<Format>) -> Result<(Format, Content), ReportError> {
    read(&open(input)?, forced)
}

/// Opens an input, or says why it cannot be read.
pub fn open(input: &Input) -> Result<Source, ReportError> {
    input.open().map_err(|e| ReportError {
        file: input.name().to_string(),
        hint: e.hint(),
        error: ParseError::whole(e.to_string()),
    })
}

/// Detects (unless `forced`) and reads one report of any kind.
pub fn read(source: &Source, forced: Option<Format>) -> Result<(Format, Content), ReportError> {
    let format = resolve_format(source, forced)?;
    let mut builder = CoverageBuilder::new();
    let parsed = (format.entry().read)(source, &mut builder).map_err(|e| report_error(source, format, e))?;
    let content = match parsed {
        Parsed::Coverage(meta) => {
            let mut coverage = builder.finish();
            apply_meta(&mut coverage, format, meta);
            Content::Coverage(coverage)
        }
        Parsed::Tests(t) => Content::Tests(t),
        Parsed::A11y(a) => Content::A11y(a),
        Parsed::Bench(b) => Content::Bench(b),
        Parsed::Security(s) => Content::Security(s),
    };
    Ok((format, content))
}

/// Detects (unless `forced`) and reads one coverage report into the compact model.
pub fn read_coverage(source: &Source, forced: Option<Format>) -> Result<(Format, Coverage), ReportError> {
    let format = resolve_format(source, forced)?;
    not_coverage(source, format)?;
    match read(source, Some(format))? {
        (format, Content::Coverage(c)) => Ok((format, c)),
        _ => Err(not_coverage_error(source, format)),
    }
}

/// Detects (unless `forced`) and reads one coverage report keeping hit counts, for merging.
pub fn read_detail(source: &Source, forced: Option<Format>) -> Result<(Format, DetailSet, Meta), ReportError> {
    let format = resolve_format(source, forced)?;
    not_coverage(source, format)?;
    let mut set = DetailSet::new();
    let meta = match (format.entry().read)(source, &mut set).map_err(|e| report_error(source, format, e))? {
        Parsed::Coverage(meta) => meta,
        _ => return Err(not_coverage_error(source, format)),
    };
    set.sort();
    Ok((format, set, meta))
}

fn not_coverage(source: &Source, format: Format) -> Result<(), ReportError> {
    if format.kind() == Kind::Coverage { Ok(()) } else { Err(not_coverage_error(source, format)) }
}

fn not_coverage_error(source: &Source, format: Format) -> ReportError {
    ReportError {
        file: source.name().to_string(),
        error: ParseError::whole(format!(
            "this is a {} report ({}), not a coverage report",
            format.kind().name(),
            format.name()
        )),
        hint: None,
    }
}

fn resolve_format(source: &Source, forced: Option<Format>) -> Result<Format, ReportError> {
    if let Some(f) = forced {
        return Ok(f);
    }
    detect(source.head()).map_err(|error| ReportError { file: source.name().to_string(), error, hint: None })
}

fn report_error(source: &Source, format: Format, error: ParseError) -> ReportError {
    ReportError {
        file: source.name().to_string(),
        error,
        hint: Some(format!(
            "read as {} (detected from its content); if it is another format, pass --input-format",
            format.name(),
        )),
    }
}

fn apply_meta(coverage: &mut Coverage, format: Format, meta: Meta) {
    coverage.rounding = format.rounding();
    for n in meta.notes {
        coverage.note(n);
    }
    coverage.extra = meta.extra;
    if let Some(t) = meta.totals {
        coverage.lines = t.lines;
        coverage.branches = t.branches;
        coverage.functions = t.functions;
    }
}
