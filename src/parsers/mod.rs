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
use crate::model::{Counts, Coverage, CoverageBuilder, DetailSet, Rounding, Unit};
pub use error::{ParseError, ReportError};

pub use self::table::{Entry, Family, Location, Reader, Rule};

pub mod axe;
pub mod clover;
pub mod cobertura;
pub mod coveragepy;
pub mod criterion;
pub mod gcovr_json;
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
pub mod sonar_generic;
pub mod table;
pub mod tarpaulin;
pub mod temis_report;
pub mod text;
pub(crate) mod tolerant;
pub mod wcag;
#[cfg(test)]
mod writers_tests;
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
    SonarGenericCoverageXml,
    GcovrJson,
    GcovrJsonSummary,
    TemisReport,
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

/// What a security scanner reads ([`Format::scans`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scans {
    /// Python code (bandit).
    Python,
    Code,
    Dependencies,
    /// Terraform, Bicep, Dockerfiles, Kubernetes and CloudFormation YAML.
    Infrastructure,
    Either,
}

impl Scans {
    /// Whether a change to the repository file `path` can change what such a scan finds.
    pub fn reads(self, path: &str) -> bool {
        let code = crate::paths::is_code(path);
        let manifest = crate::paths::is_dependency_manifest(path);
        match self {
            Scans::Python => code && (path.ends_with(".py") || path.ends_with(".pyw") || path.ends_with(".pyx")),
            Scans::Code => code,
            Scans::Dependencies => manifest,
            Scans::Infrastructure => crate::paths::is_infrastructure_code(path),
            Scans::Either => code || manifest,
        }
    }
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

    /// What the format's line figure counts.
    pub fn unit(self) -> Unit {
        self.entry().unit
    }

    /// Whether the files of a coverage report of this format are source files, which must be
    /// files of the repository: not JaCoCo's CSV, which names classes.
    pub fn names_source_files(self) -> bool {
        self != Format::JacocoCsv
    }

    /// What a security report's scanner reads, which a file changed after the report makes it
    /// stale for: code (bandit, Semgrep, gitleaks, a DAST scan of the running code), the
    /// dependency manifests and lockfiles (npm audit, pip-audit, …), infrastructure code
    /// (Checkov), or code and manifests alike (SARIF from any tool, Trivy). `None` for other
    /// kinds.
    pub fn scans(self) -> Option<Scans> {
        match self.kind() {
            Kind::Security => Some(match self {
                Format::BanditJson => Scans::Python,
                Format::SemgrepJson | Format::GitleaksJson | Format::ZapJson => Scans::Code,
                Format::NpmAuditJson
                | Format::PipAuditJson
                | Format::CargoAuditJson
                | Format::OsvJson
                | Format::GrypeJson
                | Format::SnykJson
                | Format::DependencyCheckJson => Scans::Dependencies,
                Format::CheckovJson => Scans::Infrastructure,
                _ => Scans::Either,
            }),
            _ => None,
        }
    }

    /// Whether a coverage report of this format gives each line as the producer counted it,
    /// a line run when its count is: the formats one tool writes side by side from one run
    /// (coverage.py's XML, JSON and LCOV; Istanbul's, gcovr's and tarpaulin's LCOV, Cobertura
    /// and Clover) then say the same of every line. Not the formats whose lines temis or a
    /// converter derives from blocks, regions or instructions (a Go profile, where
    /// gocover-cobertura keeps a line's lowest block and temis its highest; llvm-cov's JSON;
    /// JaCoCo; Istanbul's statement maps; SimpleCov's and Sonar's, made by other tools).
    pub fn counts_lines_as_written(self) -> bool {
        matches!(
            self,
            Format::Lcov
                | Format::Cobertura
                | Format::Clover
                | Format::CoveragepyJson
                | Format::GcovrJson
                | Format::TarpaulinJson
        )
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
    /// of the files (rare; most formats leave this `None`). A `None` branch or function total
    /// keeps the files' sum.
    pub totals: Option<Totals>,
    /// Where `totals` come from, when the per-file figures may not add up to them ("nyc's
    /// `<coverage>` attributes"): then `temis report` says so, with both figures.
    pub totals_from: Option<&'static str>,
    /// How the tool that wrote this report rounds, when it is not the format's usual producer
    /// (Istanbul truncates in the LCOV, Cobertura and Clover it writes).
    pub rounding: Option<Rounding>,
    /// What this report's `lines` count, when the writer says (coverage.py's Cobertura counts
    /// statements).
    pub unit: Option<Unit>,
    /// Why the branch figure read is not the producer's ([`Coverage::branches_unlike_producer`]).
    pub branches_unlike_producer: Option<String>,
    /// Why this report's figures, merged with another report of the same files, are not its
    /// producer's: the producer counts otherwise than its line records (llvm-cov counts lines per
    /// function and a copy of a function apart from another). Such reports are merged by the
    /// producer, not by temis (the gate's combination refuses them).
    pub merged_unlike_producer: Option<&'static str>,
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

/// A report's bytes past a byte-order mark and leading blanks.
fn opening(head: &[u8]) -> &[u8] {
    head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head).trim_ascii_start()
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
    let body = opening(head);
    if body.is_empty() {
        return Err(ParseError::whole("the file is empty: no report to read"));
    }
    if head[..head.len().min(8192)].contains(&0) {
        // UTF-16 text (Windows tools, a PowerShell `>` redirect) is full of zero bytes.
        if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
            return Err(ParseError::whole(
                "the file is UTF-16 text; temis reads UTF-8: convert it (iconv -f UTF-16 -t UTF-8, or \
                 PowerShell's Out-File -Encoding utf8) or have the tool write UTF-8",
            ));
        }
        return Err(ParseError::whole("this is a binary file, not a report"));
    }
    let family = Family::of(body);
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
    let (format, how) = resolve_format(source, forced)?;
    let mut builder = CoverageBuilder::new();
    let parsed = (format.entry().read)(source, &mut builder).map_err(|e| report_error(source, format, how, e))?;
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
    if let Some(absurd) = absurd_count(&content) {
        return Err(report_error(source, format, how, ParseError::whole(absurd)));
    }
    Ok((format, content))
}

/// No real report counts this many lines, statements, branches, functions or tests (2^32): a
/// figure past it came from an absurd number in the input (`1e23`, `99999999999`, a count past
/// 2^64 that a reader had to clamp) and would decide the percentage alone — a saturated total
/// reads as 100 %. Such a report is refused, naming the count and where it is.
pub const ABSURD_COUNT: u64 = 1 << 32;

fn absurd_said(n: u64, what: &str, place: &str) -> String {
    format!(
        "{n} {what} {place}: an absurd count (no report holds {ABSURD_COUNT}); the report is damaged or was \
         written by hand — have the tool write it again"
    )
}

/// The place is said only when the count is absurd: made for every file of a large report, it
/// was milliseconds of one thread.
fn absurd_counts(c: Option<Counts>, what: &str, place: impl FnOnce() -> String) -> Option<String> {
    let c = c?;
    let n = c.total.max(c.covered);
    (n >= ABSURD_COUNT).then(|| absurd_said(n, what, &place()))
}

/// [`absurd_count`] for a report read with its hit counts ([`read_detail`]): the counts a
/// producer stated (summary records, Go's statements per block, report totals).
fn absurd_detail(set: &DetailSet, meta: &Meta) -> Option<String> {
    set.files
        .iter()
        .find_map(|f| {
            let place = || format!("in the entry for {}", f.path);
            let stated = f.summary.as_ref();
            absurd_counts(stated.and_then(|s| s.lines), "lines", place)
                .or_else(|| absurd_counts(stated.and_then(|s| s.branches), "branches", place))
                .or_else(|| absurd_counts(stated.and_then(|s| s.functions), "functions", place))
                .or_else(|| {
                    let n = f.blocks.iter().map(|b| b.statements).max()?;
                    (n >= ABSURD_COUNT).then(|| absurd_said(n, "statements", &place()))
                })
        })
        .or_else(|| {
            let t = meta.totals.as_ref()?;
            let place = || "in the report's totals".to_string();
            absurd_counts(Some(t.lines), "lines", place)
                .or_else(|| absurd_counts(t.branches, "branches", place))
                .or_else(|| absurd_counts(t.functions, "functions", place))
        })
}

/// The first count of `content` at or past [`ABSURD_COUNT`], said with its place.
fn absurd_count(content: &Content) -> Option<String> {
    let said = absurd_said;
    match content {
        Content::Coverage(c) => {
            let unit = c.unit.plural();
            c.files
                .iter()
                .find_map(|f| {
                    let place = || format!("in the entry for {}", f.path);
                    absurd_counts(Some(f.lines), unit, place)
                        .or_else(|| absurd_counts(f.branches, "branches", place))
                        .or_else(|| absurd_counts(f.functions, "functions", place))
                })
                .or_else(|| {
                    let place = || "in the report's totals".to_string();
                    absurd_counts(Some(c.lines), unit, place)
                        .or_else(|| absurd_counts(c.branches, "branches", place))
                        .or_else(|| absurd_counts(c.functions, "functions", place))
                })
        }
        Content::Tests(t) => {
            let x = &t.totals;
            [
                (x.total, "tests"),
                (x.passed, "passed"),
                (x.failed, "failed"),
                (x.skipped, "skipped"),
                (x.errors, "errors"),
            ]
            .into_iter()
            .chain([(x.other, "other tests")])
            .find(|(n, _)| *n >= ABSURD_COUNT)
            .map(|(n, what)| said(n, what, "in the test totals"))
        }
        _ => None,
    }
}

/// Detects (unless `forced`) and reads one coverage report into the compact model.
pub fn read_coverage(source: &Source, forced: Option<Format>) -> Result<(Format, Coverage), ReportError> {
    let (format, _) = resolve_format(source, forced)?;
    not_coverage(source, format)?;
    match read(source, Some(format))? {
        (format, Content::Coverage(c)) => Ok((format, c)),
        _ => Err(not_coverage_error(source, format)),
    }
}

/// Detects (unless `forced`) and reads one coverage report keeping hit counts, for merging.
pub fn read_detail(source: &Source, forced: Option<Format>) -> Result<(Format, DetailSet, Meta), ReportError> {
    let (format, how) = resolve_format(source, forced)?;
    not_coverage(source, format)?;
    let mut set = DetailSet::new();
    let meta = match (format.entry().read)(source, &mut set).map_err(|e| report_error(source, format, how, e))? {
        Parsed::Coverage(meta) => meta,
        _ => return Err(not_coverage_error(source, format)),
    };
    if let Some(absurd) = absurd_detail(&set, &meta) {
        return Err(report_error(source, format, how, ParseError::whole(absurd)));
    }
    set.sort();
    Ok((format, set, meta))
}

/// The compact model of a report read with [`read_detail`]: what [`read`] gives for it.
pub fn summarize(set: &mut DetailSet, format: Format, meta: Meta) -> Coverage {
    let mut builder = CoverageBuilder::new();
    for f in &mut set.files {
        crate::model::Sink::file(&mut builder, f);
    }
    let mut coverage = builder.finish();
    apply_meta(&mut coverage, format, meta);
    coverage
}

/// The compact model of several reports merged ([`crate::model::Merger`]), each shown with
/// `parts` (its rounding and unit): theirs when they share one, else plain lines rounded to the
/// nearest.
pub fn summarize_merged(set: &mut DetailSet, parts: &[(Rounding, Unit)]) -> Coverage {
    let mut builder = CoverageBuilder::new();
    for f in &mut set.files {
        crate::model::Sink::file(&mut builder, f);
    }
    let mut coverage = builder.finish();
    let shared =
        |i: usize| parts.first().filter(|p| parts.iter().all(|q| if i == 0 { q.0 == p.0 } else { q.1 == p.1 }));
    coverage.rounding = shared(0).map_or(Rounding::Nearest, |p| p.0);
    coverage.unit = shared(1).map_or(Unit::Lines, |p| p.1);
    coverage
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

/// How the format of a report was decided, for what the messages say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Chosen {
    /// `--input-format`.
    Forced,
    /// Detected from its content.
    Content,
    /// Its content says nothing (a clean run: `[]`), but its name is a conventional location of
    /// one format (`pa11y.json`).
    Name,
}

fn resolve_format(source: &Source, forced: Option<Format>) -> Result<(Format, Chosen), ReportError> {
    if let Some(f) = forced {
        return Ok((f, Chosen::Forced));
    }
    match detect(source.head()).or_else(|e| detect_wider(source).ok_or(e)) {
        Ok(f) => Ok((f, Chosen::Content)),
        Err(error) => {
            let name = source.name().rsplit(['/', '\\']).next().unwrap_or(source.name());
            let unrecognised = error.message.starts_with("unrecognised");
            // The name says what a report is only when its content could be of that format: a
            // `.tap` file holding XML or JSON is not a TAP stream.
            let family = Family::of(opening(source.head()));
            let fits = |f: &Format| f.entry().detect.iter().any(|r| r.family == family);
            match table::named(name).filter(|f| unrecognised && fits(f)) {
                Some(f) => Ok((f, Chosen::Name)),
                None if unrecognised => {
                    let mut message = unrecognised_message(source.head());
                    if let Some(f) = table::named(name).filter(|f| !fits(f)) {
                        message.push_str(&format!(
                            "; its name is where {} reports are written, but it holds {}",
                            f.name(),
                            family.syntax()
                        ));
                    }
                    Err(ReportError { file: source.name().to_string(), error: ParseError::whole(message), hint: None })
                }
                None => Err(ReportError { file: source.name().to_string(), error, hint: None }),
            }
        }
    }
}

/// The opening of a report may not be enough to tell its format: a JSON document's keys come in
/// any order (a producer, or a tool that rewrote the report, may put the identifying key past the
/// first [`crate::input::SNIFF_LEN`] bytes), and an XML prolog (a long DOCTYPE) may push the root
/// element past it. When the opening says nothing, a longer stretch is sniffed — only on that
/// path, so a recognised report is never read twice — up to [`WIDE_SNIFF_LEN`].
fn detect_wider(source: &Source) -> Option<Format> {
    let head = source.head();
    if source.len() <= head.len() as u64 {
        return None;
    }
    let wide = source.bytes_at(0, source.len().min(WIDE_SNIFF_LEN)).ok()?;
    detect(&wide).ok()
}

/// How far [`detect_wider`] reads.
const WIDE_SNIFF_LEN: u64 = 64 * 1024 * 1024;

/// What to say of a report no format recognises: its syntax, and the formats of that syntax
/// (the close ones); `--input-format` only as a way to insist.
fn unrecognised_message(head: &[u8]) -> String {
    let family = Family::of(opening(head));
    let syntax = family.syntax();
    let mut close: Vec<&str> = table::rules(family).into_iter().map(|(_, f, _)| f.name()).collect();
    close.dedup();
    let mut seen = std::collections::HashSet::new();
    close.retain(|n| seen.insert(*n));
    format!(
        "unrecognised report format: it is {syntax}, but it is none of the {syntax} formats temis reads ({}); \
         if it is one of them that temis fails to recognise, --input-format FORMAT reads it as that (`temis formats` \
         lists them all)",
        close.join(", ")
    )
}

fn report_error(source: &Source, format: Format, how: Chosen, error: ParseError) -> ReportError {
    let why = match how {
        Chosen::Forced => "as --input-format said".to_string(),
        Chosen::Content => "detected from its content".to_string(),
        Chosen::Name => "from its name, a conventional location of that format".to_string(),
    };
    let next = match how {
        Chosen::Forced => "; check that --input-format names its real format",
        _ => "; if it is another format, pass --input-format",
    };
    ReportError {
        file: source.name().to_string(),
        error,
        hint: Some(format!("read as {} ({why}){next}", format.name())),
    }
}

/// What the note on a coverage report whose stated totals temis keeps (the files add up to
/// other figures) says of them: `temis_report` reads its own documents back by it.
pub const KEPT_STATED_TOTALS: &str = "the producer's own figures, which temis uses";

fn apply_meta(coverage: &mut Coverage, format: Format, meta: Meta) {
    coverage.rounding = meta.rounding.unwrap_or(format.rounding());
    coverage.unit = meta.unit.unwrap_or(format.unit());
    for n in meta.notes {
        coverage.note(n);
    }
    coverage.extra = meta.extra;
    coverage.branches_unlike_producer = meta.branches_unlike_producer;
    if let Some(t) = meta.totals {
        let sum = (coverage.lines, coverage.branches, coverage.functions);
        coverage.lines = t.lines;
        coverage.branches = t.branches.or(coverage.branches);
        coverage.functions = t.functions.or(coverage.functions);
        if let Some(from) = meta.totals_from {
            let show = |c: Option<Counts>| c.map_or("no".to_string(), |c| format!("{} of {}", c.covered, c.total));
            if sum != (coverage.lines, coverage.branches, coverage.functions) {
                coverage.note(format!(
                    "{from} state {} lines, {} branches and {} functions, {KEPT_STATED_TOTALS}; the per-file detail \
                     adds up to {} lines, {} branches and {} functions (this format cannot \
                     carry all of what the producer counted)",
                    show(Some(coverage.lines)),
                    show(coverage.branches),
                    show(coverage.functions),
                    show(Some(sum.0)),
                    show(sum.1),
                    show(sum.2)
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A UTF-16 report (a TRX saved by a Windows tool) is named as such, with the fix; other
    /// bytes with zeros stay "binary".
    #[test]
    fn utf16_text_is_named_and_binary_stays_binary() {
        let utf16: Vec<u8> =
            b"\xFF\xFE".iter().copied().chain("<TestRun/>".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let e = detect(&utf16).unwrap_err().to_string();
        assert!(e.contains("UTF-16") && e.contains("iconv"), "{e}");
        assert!(detect(b"\x7fELF\x02\x01\x00\x00").unwrap_err().to_string().contains("binary file"));
    }

    /// A Lighthouse result whose keys were sorted: `lighthouseVersion` comes after `audits`, past
    /// the opening. Read from a stream (no name to go by) it is still recognised.
    #[test]
    fn a_json_report_whose_identifying_key_is_past_the_opening_is_recognised() {
        let filler = format!("{{\"audits\":{{\"x\":{{\"id\":\"x\",\"title\":\"{}\"}}}},", "a".repeat(80_000));
        let body = format!("{filler}\"lighthouseVersion\":\"12.8.2\",\"categories\":{{}}}}");
        let source = Source::bytes("-", body.as_bytes());
        assert_eq!(resolve_format(&source, None).unwrap(), (Format::Lighthouse, Chosen::Content));
    }

    /// A count no real report reaches is refused where it is, whatever the format: a clamped or
    /// saturated total would decide the percentage alone (100 % here without the rule).
    #[test]
    fn absurd_counts_are_refused_naming_the_place() {
        let cases: [(&str, &str, &str); 4] = [
            (
                "cover.out",
                "mode: set\nexample.com/a/big.go:7.4,8.2 18446744073709551616 1\nexample.com/a/s.go:5.0,7.2 2 0\n",
                "big.go",
            ),
            (
                "coverage-summary.json",
                r#"{"total":{"lines":{"total":99999999999,"covered":99999999999,"skipped":0,"pct":100},"statements":{"total":2,"covered":1,"skipped":0,"pct":50},"functions":{"total":0,"covered":0,"skipped":0,"pct":100},"branches":{"total":0,"covered":0,"skipped":0,"pct":100}},"/r/a.js":{"lines":{"total":99999999999,"covered":99999999999,"skipped":0,"pct":100},"statements":{"total":2,"covered":1,"skipped":0,"pct":50},"functions":{"total":0,"covered":0,"skipped":0,"pct":100},"branches":{"total":0,"covered":0,"skipped":0,"pct":100}}}"#,
                "a.js",
            ),
            ("lcov.info", "SF:a.c\nDA:1,1\nFNF:99999999999\nFNH:99999999999\nLF:1\nLH:1\nend_of_record\n", "a.c"),
            (
                "coverage.xml",
                r#"<?xml version="1.0"?><coverage lines-valid="1e23" lines-covered="1e23" line-rate="1" branch-rate="0" version="6.5"><packages/></coverage>"#,
                "",
            ),
        ];
        for (name, body, place) in cases {
            let source = Source::bytes(name, body.as_bytes());
            match read(&source, None) {
                Ok((f, c)) => {
                    let Content::Coverage(c) = c else { panic!("{name}: {f:?}") };
                    assert!(c.lines.total < ABSURD_COUNT, "{name} read as {f:?}: {:?}", c.lines);
                    assert!(c.functions.is_none_or(|x| x.total < ABSURD_COUNT), "{name}: {:?}", c.functions);
                }
                Err(e) => {
                    let said = e.to_string();
                    assert!(said.contains("absurd count") || said.contains("not a count"), "{name}: {said}");
                    assert!(said.contains(place), "{name}: {said}");
                }
            }
        }
    }

    /// A DOCTYPE long enough to push the root element past the opening.
    #[test]
    fn an_xml_report_whose_root_is_past_the_opening_is_recognised() {
        let body = format!(
            "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"{}\">]><coverage line-rate=\"1\"><packages/></coverage>",
            "x".repeat(80_000)
        );
        let source = Source::bytes("-", body.as_bytes());
        assert_eq!(resolve_format(&source, None).unwrap().0, Format::Cobertura);
    }

    #[test]
    fn a_tap_stream_whose_first_line_is_not_tap_is_recognised_from_its_content() {
        // The fuzzer's case: a damaged version line 2 MB long; the plan on the next line says TAP,
        // on a pipe as in a file named `.tap`.
        let body = format!("TAP v{}ersion 13\n1..1\nnot ok 1 - database handle\n", "[".repeat(2_000_000));
        let source = Source::bytes("-", body.as_bytes());
        assert_eq!(resolve_format(&source, None).unwrap().0, Format::Tap);
        let source = Source::bytes("-", b"\n> pkg@1.0.0 test\n> tape test.js\n\n1..2\nok 1 - a\nok 2 - b\n");
        assert_eq!(resolve_format(&source, None).unwrap().0, Format::Tap);
    }

    #[test]
    fn a_conventional_name_does_not_make_another_syntax_its_format() {
        // `results.tap` holding JSON or XML was read as a TAP stream with no test (and no plan).
        for body in [&b"{}"[..], b"<a/>", b"[[[]]]"] {
            let source = Source::bytes("results.tap", body);
            let e = resolve_format(&source, None).unwrap_err();
            assert!(e.error.message.contains("its name is where tap reports are written"), "{}", e.error.message);
        }
        // A clean scan at its conventional name is still that scan.
        let source = Source::bytes("pa11y.json", b"[]\n");
        assert_eq!(resolve_format(&source, None).unwrap().0, Format::Pa11yJson);
    }
}

#[cfg(test)]
mod scans_tests {
    use super::{Format, Scans};

    /// A security report is stale when a file its scanner reads changed after it: code for
    /// bandit, manifests and lockfiles for npm audit, infrastructure code for Checkov.
    #[test]
    fn each_scanner_reads_its_own_files() {
        assert_eq!(Format::BanditJson.scans(), Some(Scans::Python));
        assert!(Scans::Python.reads("app/db.py") && !Scans::Python.reads("web/app.ts"));
        assert_eq!(Format::SemgrepJson.scans(), Some(Scans::Code));
        assert_eq!(Format::NpmAuditJson.scans(), Some(Scans::Dependencies));
        assert_eq!(Format::CheckovJson.scans(), Some(Scans::Infrastructure));
        assert_eq!(Format::Sarif.scans(), Some(Scans::Either));
        assert_eq!(Format::Lcov.scans(), None);
        assert!(Scans::Code.reads("src/app.py") && !Scans::Code.reads("requirements.txt"));
        assert!(Scans::Dependencies.reads("web/package-lock.json") && !Scans::Dependencies.reads("app.js"));
        for f in ["infra/main.tf", "Dockerfile.prod", "k8s/deploy.yaml"] {
            assert!(Scans::Infrastructure.reads(f), "{f}");
        }
        assert!(!Scans::Infrastructure.reads("src/app.py"));
        assert!(Scans::Either.reads("src/app.py") && Scans::Either.reads("Cargo.lock"));
    }
}
