//! NUnit XML test results: NUnit 3's `<test-run>` (nunit3-console, `dotnet test` with
//! NUnit.Extension's logger, the NUnit engine) and NUnit 2's `<test-results>` (nunit-console 2.x,
//! and the many tools that still write it).
//!
//! One test is one `<test-case>` element at any depth (a parameterised test's rows, a
//! `[TestCase]` or `[TestCaseSource]` row, are each one). NUnit 3: `result="Passed"` → passed;
//! `Failed` with `label="Error"` → errors; `Failed` with `label="Invalid"` (not runnable) or
//! `label="Cancelled"` → other, blocking (NUnit counts them as failed); any other `Failed` →
//! failed; `Skipped` (Ignored, Explicit) → skipped; `Inconclusive` and `Warning` → other, not
//! blocking (NUnit's run passes with them). NUnit 2: `Success` → passed, `Failure` → failed,
//! `Error` → errors, `Ignored`/`Skipped` → skipped, `NotRunnable` (invalid) and `Cancelled` →
//! other, blocking, `Inconclusive` → other; a case without `result` (NUnit 2.2) is told by
//! `executed` and `success`.
//!
//! These are NUnit's own buckets, which its counters fold: NUnit 3's `<test-run failed=>`
//! includes errors and invalid tests and its `total=` the tests not run, NUnit 2's `total=` counts
//! only executed tests. The counters are kept as stated (`stated`); failed tests they count
//! beyond the blocking tests listed are an error outside tests (they block).
//!
//! A failed `<test-suite>` (NUnit 3 `result="Failed"` or a word NUnit 3 does not write for a
//! suite — only `Passed`, `Skipped`, `Inconclusive` and `Warning` did not fail; NUnit 2
//! `Failure` or `Error`) that no
//! blocking test or error read inside it explains — an assembly that could not be loaded
//! (`label="Invalid"`), a one-time set-up that failed before any test ran, a suite that lists no
//! test — is an error outside tests, and blocks; so is a one-time tear-down failure
//! (`site="TearDown"`), whose tests all passed, whatever its tests did. A failed run
//! (`<test-run result="Failed">`, or an unknown word) with nothing blocking in it is an error
//! outside tests too.
//!
//! A large report is read in pieces, one per core, cut before its `<test-suite>`s
//! ([`xml_walk::read_pieces_nested`](crate::parsers::xml_walk::read_pieces_nested): each piece
//! starts in suites it knows nothing of, and is proven when the pieces are folded); a report a
//! piece cannot read as one walk would is read in one walk.

use compact_str::CompactString;
use quick_xml::events::BytesStart;

use super::testxml::{self, Grab, Handler};
use crate::input::Source;
use crate::model::{Outcome, TestCase, TestRun};
use crate::parsers::ParseError;
use crate::parsers::xml_walk::{Tuning, Walker, cut_points, plain_tag, read_pieces_nested};

/// Reads an NUnit 3 report (`<test-run>`).
pub fn parse_v3(input: &Source) -> Result<TestRun, ParseError> {
    parse_tuned(input, Version::Three, Tuning::default())
}

/// Reads an NUnit 2 report (`<test-results>`).
pub fn parse_v2(input: &Source) -> Result<TestRun, ParseError> {
    parse_tuned(input, Version::Two, Tuning::default())
}

/// Reads a report of `version`, as `tuning` says (tests vary it: every way reads the same). A
/// large one is read in pieces, one per thread, cut before its `<test-suite>`s, each starting
/// in a nesting it does not know ([`read_pieces_nested`]); when a piece cannot be proven to
/// read as one walk would, the report is read in one walk, which gives every result and every
/// error exactly.
fn parse_tuned(input: &Source, version: Version, tuning: Tuning) -> Result<TestRun, ParseError> {
    let root = version.root();
    if let Some(run) = in_pieces(input, version, tuning) {
        return Ok(run);
    }
    let mut w = Walker::tuned(input, root.0, root.1, tuning)?;
    w.keep_spaces();
    let mut st = State::new(version, false);
    testxml::walk(&mut w, &mut st)?;
    Ok(finish(st.run, st.failed_run))
}

/// The report read in pieces on threads of their own, folded in order; `None` when it is not
/// cut or a piece cannot be proven. A piece must end with no test case or message being read; a
/// failing test before the piece opens a suite, whose suite it cannot name, or a message in such
/// a suite, sends the report to one walk too.
///
/// A failed suite may open in one piece and close in a later one: each piece hands on the
/// suites it leaves open ([`Piece::open`]) and says where it closed those opened before it
/// ([`Piece::outer_closes`]), and the fold judges each such failure at its close as one walk
/// would, keeping it at the place among the errors outside tests one walk gives it.
fn in_pieces(input: &Source, version: Version, tuning: Tuning) -> Option<TestRun> {
    let cuts = cut_points(input, b"<test-suite");
    let read = |index: usize, w: &mut Walker<'_>| {
        w.keep_spaces();
        let mut st = State::new(version, index > 0);
        testxml::walk(w, &mut st)?;
        if st.case.is_some() || st.message.active() {
            return Err(ParseError::whole("a piece ends inside a test case or a message"));
        }
        let open = st.suites.into_iter().map(|s| s.2).collect();
        Ok(Piece { run: st.run, failed_run: st.failed_run, open, outer_closes: st.outer_closes, blocks: st.blocks })
    };
    let pieces = read_pieces_nested(input, version.root(), &cuts, tuning, read)?;
    let mut whole = TestRun::default();
    let mut failed_run = None;
    // The suites open where the next piece starts, innermost last, each with its failure and
    // the count of blocking events at its start, counted over the whole report.
    let mut open: Vec<Option<(SuiteFailure, Option<usize>)>> = Vec::new();
    let mut blocks = 0usize;
    for mut piece in pieces {
        // Errors outside tests put in this piece so far, after each of its outer closes.
        let mut put = vec![0];
        for &(at_blocks, at_outside) in &piece.outer_closes {
            let put_so_far = *put.last().unwrap_or(&0);
            if let Some((failure, mark)) = open.pop()? {
                let explained = mark.is_some_and(|m| blocks + at_blocks + put_so_far > m);
                if !explained {
                    piece.run.outside.insert(at_outside + put_so_far, failure.case);
                    put.push(put_so_far + 1);
                    continue;
                }
            }
            put.push(put_so_far);
        }
        let put_here = *put.last().unwrap_or(&0);
        for failure in piece.open {
            open.push(failure.map(|f| {
                let mark = f.mark.map(|m| blocks + m + put[f.outer_closes_before]);
                (f, mark)
            }));
        }
        blocks += piece.blocks + put_here;
        failed_run = failed_run.or(piece.failed_run);
        whole.absorb(piece.run);
    }
    open.is_empty().then(|| finish(whole, failed_run))
}

/// What a piece read ([`in_pieces`]).
struct Piece {
    run: TestRun,
    failed_run: Option<TestCase>,
    /// The suites it opened and left open, outermost first, each with its failure if it failed.
    open: Vec<Option<SuiteFailure>>,
    /// Where it closed each suite opened before it, in order: [`State::blocks`] and the count of
    /// errors outside tests then.
    outer_closes: Vec<(usize, usize)>,
    /// Its blocking events, all told.
    blocks: usize,
}

/// The run, with a failed run (`<test-run result="Failed">`, `failed_run`) that nothing
/// blocking explains kept as an error outside tests.
fn finish(mut run: TestRun, failed_run: Option<TestCase>) -> TestRun {
    // NUnit 3's `failed=` folds errors and invalid tests in; NUnit 2 counts `failures=` and
    // `errors=` apart.
    let stated = |key: &str| run.stated.get(key).and_then(serde_json::Value::as_u64);
    let failed = stated("failed")
        .unwrap_or_else(|| stated("failures").unwrap_or(0).saturating_add(stated("errors").unwrap_or(0)));
    run.block_unlisted(failed, "the run's counters");
    if let Some(failure) = failed_run
        && run.blocking().next().is_none()
    {
        run.record_outside(failure);
    }
    run
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Version {
    Two,
    Three,
}

impl Version {
    /// The root element, and the format's name in messages.
    fn root(self) -> (&'static str, &'static str) {
        match self {
            Version::Three => ("test-run", "NUnit 3"),
            Version::Two => ("test-results", "NUnit 2"),
        }
    }
}

struct State {
    version: Version,
    run: TestRun,
    /// The test case being read, its depth, and whether it passed.
    case: Option<(usize, Option<TestCase>)>,
    /// The open `<test-suite>`s: depth, name, and its failure being read.
    suites: Vec<(usize, CompactString, Option<SuiteFailure>)>,
    /// A failed run (`<test-run result="Failed">`), kept outside tests when nothing blocking
    /// explains it.
    failed_run: Option<TestCase>,
    message: Grab,
    /// Read in a piece that starts inside suites opened before it: a failing test outside the
    /// suites the piece opened cannot be given its suite.
    nested: bool,
    /// Blocking tests and errors outside tests recorded so far: a failed suite is explained
    /// when this grew while it was open.
    blocks: usize,
    /// In a nested piece, where each suite opened before it closed: `blocks` and the count of
    /// errors outside tests then.
    outer_closes: Vec<(usize, usize)>,
}

impl State {
    fn new(version: Version, nested: bool) -> Self {
        Self {
            version,
            run: TestRun::default(),
            case: None,
            suites: Vec::new(),
            failed_run: None,
            message: Grab::default(),
            nested,
            blocks: 0,
            outer_closes: Vec::new(),
        }
    }
}

/// A failed `<test-suite>` being read.
struct SuiteFailure {
    case: TestCase,
    /// [`State::blocks`] when the suite opened: a failure that a blocking test or error read
    /// inside the suite explains is not kept. `None` for a one-time tear-down failure, which is
    /// kept whatever its tests did.
    mark: Option<usize>,
    /// How many suites opened before the piece it had closed when the suite opened.
    outer_closes_before: usize,
}

/// Whether an NUnit 3 suite or run `result` is one NUnit writes for a suite that did not fail:
/// `Failed`, and any word NUnit does not write (`Error`, `Aborted`), is a failure — an unknown
/// result is never a pass.
fn went_through_v3(result: &str) -> bool {
    matches!(result, "Passed" | "Skipped" | "Inconclusive" | "Warning")
}

/// The bucket of an NUnit 3 result and label, and the word `other` counts it under.
fn bucket_v3(result: &str, label: &str) -> Option<(Outcome, Option<&'static str>)> {
    Some(match (result, label) {
        ("Passed", _) => return None,
        ("Failed", "Error") => (Outcome::Error, None),
        ("Failed", "Invalid") => (Outcome::Incomplete, Some("invalid")),
        ("Failed", "Cancelled") => (Outcome::Incomplete, Some("cancelled")),
        ("Failed", _) => (Outcome::Failed, None),
        ("Skipped", _) => (Outcome::Skipped, None),
        ("Inconclusive", _) => (Outcome::Other, Some("inconclusive")),
        ("Warning", _) => (Outcome::Other, Some("warning")),
        // An unknown result is never a pass.
        _ => (Outcome::Incomplete, Some("unknown result")),
    })
}

/// The bucket of an NUnit 2 result (`executed`/`success` when it has none).
fn bucket_v2(
    result: Option<&str>,
    executed: Option<&str>,
    success: Option<&str>,
) -> Option<(Outcome, Option<&'static str>)> {
    let truthy = |v: Option<&str>| v.is_some_and(|v| v.eq_ignore_ascii_case("true"));
    Some(match result {
        Some("Success") => return None,
        Some("Failure") => (Outcome::Failed, None),
        Some("Error") => (Outcome::Error, None),
        Some("Ignored" | "Skipped") => (Outcome::Skipped, None),
        Some("NotRunnable") => (Outcome::Incomplete, Some("invalid")),
        Some("Cancelled") => (Outcome::Incomplete, Some("cancelled")),
        Some("Inconclusive") => (Outcome::Other, Some("inconclusive")),
        Some(_) => (Outcome::Incomplete, Some("unknown result")),
        None if !truthy(executed) => (Outcome::Skipped, None),
        None if truthy(success) => return None,
        None => (Outcome::Failed, None),
    })
}

impl Handler for State {
    fn open(&mut self, w: &Walker<'_>, e: &BytesStart<'_>, depth: usize) -> Result<(), ParseError> {
        let name = e.local_name();
        match name.as_ref() {
            "test-run" | "test-results" if depth == 1 => self.stated(w, e)?,
            "test-case" => {
                if self.case.is_some() {
                    return Err(w.fail("<test-case> inside a <test-case>"));
                }
                let [result, label, executed, success, fullname, name, classname, duration, time] = testxml::attrs(
                    w,
                    e,
                    ["result", "label", "executed", "success", "fullname", "name", "classname", "duration", "time"],
                )?;
                let bucket = match self.version {
                    Version::Three => {
                        bucket_v3(result.as_deref().unwrap_or_default(), label.as_deref().unwrap_or_default())
                    }
                    Version::Two => bucket_v2(result.as_deref(), executed.as_deref(), success.as_deref()),
                };
                let kept = match bucket {
                    None => None,
                    Some((outcome, word)) => {
                        let full = fullname.or(name.clone()).unwrap_or_default().into_owned();
                        let mut case = TestCase::new(full, outcome);
                        if self.version == Version::Three {
                            // fullname is `class.name`: shown as `class::name`.
                            if let (Some(class), Some(short)) = (classname, name) {
                                case.classname = class.as_ref().into();
                                case.name = short.as_ref().into();
                            }
                        }
                        case.suite = match self.suites.last() {
                            Some(suite) => suite.1.clone(),
                            None if self.nested => return Err(w.fail("a failing test in a suite before the piece")),
                            None => CompactString::default(),
                        };
                        case.time = duration.or(time).and_then(|t| t.trim().parse().ok());
                        case.status = word.map(Into::into);
                        Some(case)
                    }
                };
                self.case = Some((depth, kept));
            }
            "test-suite" => {
                let [fullname, short, result, site, label] =
                    testxml::attrs(w, e, ["fullname", "name", "result", "site", "label"])?;
                let name = CompactString::from(fullname.or(short).unwrap_or_default().as_ref());
                let failed = match self.version {
                    Version::Three => result.as_deref().is_some_and(|r| !went_through_v3(r)),
                    Version::Two => matches!(result.as_deref(), Some("Failure" | "Error")),
                };
                let failure = failed.then(|| {
                    let teardown = site.as_deref() == Some("TearDown");
                    let what = match (site.as_deref(), label.as_deref()) {
                        (Some("TearDown"), _) => "one-time tear-down",
                        (Some("SetUp"), _) => "one-time set-up",
                        (_, Some("Invalid")) => "not runnable",
                        (_, Some("Cancelled")) => "cancelled",
                        _ => "suite failed",
                    };
                    let mut case = TestCase::new(format!("{name} ({what})"), Outcome::Error);
                    case.suite.clone_from(&name);
                    let mark = (!teardown).then_some(self.blocks);
                    SuiteFailure { case, mark, outer_closes_before: self.outer_closes.len() }
                });
                self.suites.push((depth, name, failure));
            }
            "message" if self.nested && self.case.is_none() && self.suites.is_empty() => {
                return Err(w.fail("a message in a suite before the piece"));
            }
            "message" => {
                let in_case = self.case.as_ref().is_some_and(|(_, c)| c.is_some());
                let in_failure = self.case.is_none() && self.suites.last().is_some_and(|s| s.2.is_some());
                if in_case || in_failure {
                    self.message.start(depth);
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn close(&mut self, _: &Walker<'_>, name: &str, depth: usize) -> Result<(), ParseError> {
        if let Some(Some(m)) = self.message.end(depth) {
            if let Some((_, Some(case))) = self.case.as_mut() {
                case.message.get_or_insert(m);
            } else if let Some((_, _, Some(failure))) = self.suites.last_mut() {
                failure.case.message.get_or_insert(m);
            }
        }
        match name {
            "test-case" if self.case.as_ref().is_some_and(|(d, _)| *d == depth) => match self.case.take() {
                Some((_, Some(case))) => {
                    self.blocks += usize::from(case.outcome.blocks());
                    self.run.record(case);
                }
                _ => self.run.record_pass(),
            },
            "test-suite" if self.suites.last().is_some_and(|s| s.0 == depth) => {
                if let Some((_, _, Some(failure))) = self.suites.pop()
                    && failure.mark.is_none_or(|m| self.blocks <= m)
                {
                    self.blocks += 1;
                    self.run.record_outside(failure.case);
                }
            }
            // A suite opened before the piece (its own are all closed): the fold judges it.
            "test-suite" if self.nested && self.suites.is_empty() => {
                self.outer_closes.push((self.blocks, self.run.outside.len()));
            }
            _ => {}
        }
        Ok(())
    }

    fn text(&mut self, text: &str) {
        self.message.push(text);
    }

    /// `<test-case … result="Passed" />` (NUnit 2: `Success`) in the plainest form, outside any
    /// test case and any text being kept: counted, as the general path counts it.
    fn hot(&mut self, w: &mut Walker<'_>) {
        if self.case.is_some() || self.message.active() || w.depth() == 0 {
            return;
        }
        let passed: &[u8] = match self.version {
            Version::Three => b"Passed",
            Version::Two => b"Success",
        };
        let run = &mut self.run;
        w.hot_tags(b"<test-case", |rest| {
            let tag = plain_tag(rest, [b"result"], false)?;
            (tag.values[0] == Some(passed)).then(|| {
                run.record_pass();
                tag.used
            })
        });
    }
}

impl State {
    /// The root's counters, kept as NUnit states them, and whether the run failed.
    fn stated(&mut self, w: &Walker<'_>, e: &BytesStart<'_>) -> Result<(), ParseError> {
        if self.version == Version::Three {
            let [result, label] = testxml::attrs(w, e, ["result", "label"])?;
            if let Some(word) = result.as_deref().filter(|r| !went_through_v3(r)) {
                let label = label.map(|l| format!(", label {l}")).unwrap_or_default();
                let mut case = TestCase::new(format!("the test run (result {word}{label})"), Outcome::Error);
                case.message = Some("NUnit failed the run, and no failing test it lists explains it".into());
                self.failed_run = Some(case);
            }
        }
        let keys: &[&str] = match self.version {
            Version::Three => &["total", "passed", "failed", "inconclusive", "skipped", "warnings"],
            Version::Two => {
                &["total", "errors", "failures", "not-run", "inconclusive", "ignored", "skipped", "invalid"]
            }
        };
        for key in keys {
            if let Some(n) = testxml::count(w, e, key)? {
                self.run.stated.insert((*key).to_string(), n.into());
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parsers::testxml::{damaged_read_alike, read_every_way};

    fn v3(xml: &str) -> Result<TestRun, ParseError> {
        parse_v3(&Source::bytes("n.xml", xml.as_bytes()))
    }

    #[test]
    fn nunit3_labels_split_failed_into_failed_errors_and_invalid() {
        let run = v3(r#"<test-run total="7" passed="1" failed="3" skipped="2" inconclusive="1">
<test-suite type="TestFixture" fullname="NS.Fixture" name="Fixture">
<test-case fullname="NS.Fixture.A" name="A" classname="NS.Fixture" result="Passed"/>
<test-case fullname="NS.Fixture.B" name="B" classname="NS.Fixture" result="Failed"><failure><message><![CDATA[Expected 2
But was 3]]></message></failure></test-case>
<test-case fullname="NS.Fixture.C" name="C" result="Failed" label="Error"><failure><message>boom</message></failure></test-case>
<test-case fullname="NS.Fixture.D" name="D" result="Failed" label="Invalid"><reason><message>No arguments</message></reason></test-case>
<test-case fullname="NS.Fixture.E" name="E" result="Skipped" label="Ignored"/>
<test-case fullname="NS.Fixture.F" name="F" result="Skipped" label="Explicit"/>
<test-case fullname="NS.Fixture.G" name="G" result="Inconclusive"/>
</test-suite></test-run>"#)
        .unwrap();
        let t = run.totals;
        assert_eq!((t.total, t.passed, t.failed, t.errors, t.skipped, t.other), (7, 1, 1, 1, 2, 2));
        assert_eq!(run.other_kinds.get("invalid"), Some(&1));
        assert_eq!(run.other_kinds.get("inconclusive"), Some(&1));
        assert_eq!(run.cases[0].full_name(), "NS.Fixture::B");
        assert_eq!(run.cases[0].message.as_deref(), Some("Expected 2"));
        assert_eq!(run.cases[2].message.as_deref(), Some("No arguments"));
        assert_eq!(run.failing().count(), 3, "failed, error and invalid block; inconclusive does not");
        assert_eq!(run.stated.get("failed"), Some(&serde_json::json!(3)));
    }

    /// A run or suite result NUnit 3 does not write (`Error`, `Aborted`) was read as not failed,
    /// and its passing tests approved: an unknown result is never a pass.
    #[test]
    fn an_unknown_run_or_suite_result_blocks() {
        for (run_result, suite_result) in [("Error", "Passed"), ("Passed", "Aborted"), ("Aborted", "Aborted")] {
            let run = v3(&format!(
                r#"<test-run result="{run_result}"><test-suite fullname="F" result="{suite_result}">
<test-case fullname="F.A" name="A" result="Passed"/></test-suite></test-run>"#
            ))
            .unwrap();
            assert_eq!(run.totals.passed, 1);
            assert!(!run.outside.is_empty() && !run.all_passed(), "{run_result}/{suite_result}: {:?}", run.outside);
        }
        for word in ["Passed", "Skipped", "Inconclusive", "Warning"] {
            let run = v3(&format!(
                r#"<test-run result="{word}"><test-suite fullname="F" result="{word}"><test-case fullname="F.A" name="A" result="Passed"/></test-suite></test-run>"#
            ))
            .unwrap();
            assert!(run.outside.is_empty(), "{word}: {:?}", run.outside);
        }
    }

    #[test]
    fn a_one_time_tear_down_failure_is_an_error_outside_tests() {
        let run = v3(r#"<test-run><test-suite fullname="F" result="Failed" site="TearDown"><failure><message>cleanup broke</message></failure>
<test-case fullname="F.A" name="A" result="Passed"/></test-suite></test-run>"#)
        .unwrap();
        assert_eq!((run.totals.total, run.totals.passed), (1, 1));
        assert_eq!(run.outside[0].message.as_deref(), Some("cleanup broke"));
        assert!(!run.all_passed());
    }

    #[test]
    fn a_failed_suite_or_run_that_no_failing_test_explains_blocks() {
        // An assembly that could not be loaded, beside one whose test passed.
        let run = v3(r#"<test-run result="Failed" label="Invalid" total="1" passed="1" failed="0">
<test-suite type="Assembly" name="good.dll" fullname="/t/good.dll" result="Passed"><test-case name="A" fullname="NS.T.A" classname="NS.T" result="Passed"/></test-suite>
<test-suite type="Assembly" name="missing.dll" fullname="/t/missing.dll" result="Failed" label="Invalid" site="SetUp"><reason><message>File not found: /t/missing.dll</message></reason></test-suite>
</test-run>"#)
        .unwrap();
        assert_eq!(run.outside.len(), 1, "{:?}", run.outside);
        assert_eq!(run.outside[0].message.as_deref(), Some("File not found: /t/missing.dll"));
        assert!(!run.all_passed());
        // A failed run with nothing failing in it.
        let run = v3(r#"<test-run result="Failed" label="Error" total="0"></test-run>"#).unwrap();
        assert_eq!(run.outside.len(), 1, "{:?}", run.outside);
        // Suites failed by a failing test: that test is the blame, not the suites.
        let run = v3(r#"<test-run result="Failed"><test-suite fullname="A" result="Failed" site="Child"><test-suite fullname="F" result="Failed" site="Child">
<test-case fullname="F.A" name="A" result="Failed"><failure><message>boom</message></failure></test-case></test-suite></test-suite></test-run>"#)
        .unwrap();
        assert!(run.outside.is_empty(), "{:?}", run.outside);
        assert_eq!(run.failing().count(), 1);
        // NUnit 2: a fixture failed by its tear-down, its tests passed.
        let run = parse_v2(&Source::bytes(
            "n2.xml",
            &br#"<test-results total="1"><test-suite name="x.dll" result="Failure" success="False"><results>
<test-suite name="T" result="Failure" success="False"><failure><message>TearDown : cleanup broke</message></failure>
<results><test-case name="NS.T.A" executed="True" result="Success" success="True"/></results></test-suite></results></test-suite></test-results>"#[..],
        ))
        .unwrap();
        assert_eq!(run.outside.len(), 1, "{:?}", run.outside);
        assert_eq!(run.outside[0].message.as_deref(), Some("TearDown : cleanup broke"));
    }

    /// Counters that count more failed tests than are listed (the cases cut from the report):
    /// the run does not pass, in NUnit 3 (`failed=`) and NUnit 2 (`failures=` + `errors=`).
    #[test]
    fn failed_tests_the_counters_count_beyond_those_listed_block() {
        let run = v3(r#"<test-run result="Passed" total="2" passed="1" failed="1">
<test-suite fullname="F" result="Passed"><test-case fullname="F.A" name="A" result="Passed"/></test-suite></test-run>"#)
        .unwrap();
        assert_eq!(run.outside.len(), 1, "{:?}", run.outside);
        let run = parse_v2(&Source::bytes(
            "n2.xml",
            &br#"<test-results total="2" failures="0" errors="1"><test-suite name="x.dll" result="Success" success="True"><results>
<test-case name="NS.T.A" executed="True" result="Success" success="True"/></results></test-suite></test-results>"#[..],
        ))
        .unwrap();
        assert_eq!(run.outside.len(), 1, "{:?}", run.outside);
        assert!(!run.all_passed());
    }

    #[test]
    fn nunit2_results_and_the_old_executed_success_pair() {
        let run = parse_v2(&Source::bytes(
            "n2.xml",
            &br#"<test-results total="4" failures="1"><test-suite name="S"><results>
<test-case name="S.A" executed="True" result="Success" success="True"/>
<test-case name="S.B" executed="True" result="Failure" success="False"><failure><message><![CDATA[no]]></message></failure></test-case>
<test-case name="S.C" executed="False" result="NotRunnable"><reason><message>bad signature</message></reason></test-case>
<test-case name="S.D" executed="True" success="True"/>
<test-case name="S.E" executed="False"/>
</results></test-suite></test-results>"#[..],
        ))
        .unwrap();
        let t = run.totals;
        assert_eq!((t.total, t.passed, t.failed, t.skipped, t.other), (5, 2, 1, 1, 1));
        assert_eq!(run.cases[0].name, "S.B");
    }

    #[test]
    fn an_empty_run_is_clean_and_a_bad_count_or_root_is_an_error() {
        assert_eq!(v3("<test-run total=\"0\"/>").unwrap().totals.total, 0);
        assert!(v3("<test-run total=\"-1\"/>").unwrap_err().to_string().contains("total=\"-1\""));
        assert!(v3("<test-results/>").unwrap_err().to_string().contains("not a NUnit 3 report"));
    }

    /// How many bytes the hot path reads of `xml`, an NUnit report of `version`, in one walk.
    fn hot_bytes(xml: &str, version: Version) -> u64 {
        testxml::hot_bytes(xml, version.root().0, &mut State::new(version, false))
    }

    /// The passing test cases NUnit writes (`<test-case … result="Passed" />`, NUnit 2's
    /// `Success`) are counted by the hot path, and every look-alike reads as the general path
    /// reads it: another result or none, a duplicated or prefixed attribute, a start tag, a case
    /// inside a case, inside a tear-down's message, and errors placed after what the hot path read.
    #[test]
    fn the_hot_path_reads_passing_cases_as_the_general_path() {
        let plain =
            r#"<test-case name="A" fullname="NS.F.A" classname="F" result="Passed" duration="0.1" asserts="0" />"#;
        let doc = |case: &str| {
            format!(
                "<?xml version=\"1.0\"?>\n<test-run total=\"4\" passed=\"4\">\n  <test-suite type=\"TestFixture\" name=\"F\" fullname=\"NS.F\">\n    \
                 {plain}\n    {plain}\n    {case}\n    {plain}\n  </test-suite>\n</test-run>\n"
            )
        };
        let parse = |input: &Source, tuning| parse_tuned(input, Version::Three, tuning);
        let canonical = doc(plain);
        let shown = read_every_way("n.xml", &canonical, parse);
        assert!(shown.contains("total: 4") && shown.contains("passed: 4"), "{shown}");
        assert_eq!(hot_bytes(&canonical, Version::Three) as usize, 4 * (plain.len() + 5));
        damaged_read_alike("n.xml", &canonical, parse);
        for case in [
            r#"<test-case name="B" result="Failed"/>"#,
            r#"<test-case name="B" result="Passed" result="Failed"/>"#,
            r#"<test-case name="B" x:result="Failed" result="Passed"/>"#,
            r#"<test-case name="B" result="Success"/>"#,
            r#"<test-case name="B" result="passed"/>"#,
            r#"<test-case name="B"/>"#,
            r#"<test-case name="B" result="Passed" label="Error"/>"#,
            r#"<test-case name="B" result="Passed"></test-case>"#,
            r#"<test-case name="B" result="Passed"><properties/></test-case>"#,
            r#"<test-case name="B" result="Failed"><failure><message>m</message></failure><test-case result="Passed" /></test-case>"#,
            r#"<test-case name="B &amp; C" result="Passed"/>"#,
            r#"<test-case name='B' result="Passed"/>"#,
            r#"<test-case name="B" result="Passed"/><bogus a="1"<"#,
            "<test-case name=\"B\" result=\"Passed\"/>\u{FF}",
            r#"<!-- c --><test-case name="B" result="Passed"/>"#,
            r#"&amp;<test-case name="B" result="Passed"/>"#,
        ] {
            read_every_way("n.xml", &doc(case), parse);
        }
        // A tear-down failure's message keeps its text around a case (the hot path leaves it).
        let teardown = "<?xml version=\"1.0\"?>\n<test-run>\n<test-suite name=\"S\" result=\"Failed\" site=\"TearDown\"><failure><message>first\
            <test-case name=\"A\" result=\"Passed\" />\n<test-case name=\"B\" result=\"Passed\" />second</message></failure></test-suite>\n</test-run>\n";
        let shown = read_every_way("n.xml", teardown, parse);
        assert!(shown.contains("message: Some(\"first\")"), "{shown}");
        // NUnit 2.
        let v2 = "<test-results total=\"2\">\n<test-suite name=\"S\"><results>\n  <test-case name=\"A\" executed=\"True\" result=\"Success\" />\n  \
            <test-case name=\"B\" executed=\"True\" result=\"Passed\" />\n</results></test-suite>\n</test-results>\n";
        let shown = read_every_way("n.xml", v2, |input: &Source, tuning| parse_tuned(input, Version::Two, tuning));
        assert!(shown.contains("total: 2") && shown.contains("passed: 1"), "{shown}");
        assert!(hot_bytes(v2, Version::Two) > 0);
    }

    /// More than 64 MiB without markup after cases the hot path read is the general path's error,
    /// placed alike (quick-xml places no error of the input: it stands where reading stopped).
    #[test]
    fn a_run_too_long_after_the_hot_path_is_the_same_error() {
        let long = crate::parsers::xml::MAX_RUN as usize + (2 << 20);
        let xml = format!(
            "<test-run>\n<test-suite name=\"s\">\n<test-case name=\"a\" result=\"Passed\" />\n{}</test-suite></test-run>\n",
            "a".repeat(long)
        );
        let input = Source::bytes("n.xml", xml.into_bytes());
        let read = |hot| format!("{:?}", parse_tuned(&input, Version::Three, Tuning { hot, ..Tuning::default() }));
        let general = read(false);
        assert!(general.contains("without any markup") && general.contains("line: Some(4)"), "{general}");
        assert_eq!(read(true), general);
    }

    /// A report whose suites nest in namespaces, read in pieces cut before its suites, each
    /// starting in a nesting it does not know, on 1 to 6 threads, reads as one walk; so does
    /// each of its damaged copies. The canonical layout is read in pieces, and the reports the
    /// pieces must leave to one walk read as it does: a failing test outside the suites its piece
    /// opened (its suite is named), a tear-down failure across a cut, an end tag of another name,
    /// a report truncated, anything after the root, nesting too deep.
    #[test]
    fn a_report_read_on_threads_reads_as_one_walk() {
        use crate::input::Split;
        use crate::parsers::xml_walk::{MAX_DEPTH, damaged_same_on_threads, same_on_threads};
        let parse = |input: &Source| parse_tuned(input, Version::Three, Tuning::default());
        let case = |f: usize, i: usize| match (f + i) % 5 {
            0 => format!(
                r#"<test-case name="C{i}" fullname="N.F{f}.C{i}" classname="N.F{f}" result="Failed"><failure><message><![CDATA[boom {f}.{i}]]></message></failure></test-case>"#
            ),
            1 => format!(r#"<test-case name="C{i}" fullname="N.F{f}.C{i}" result="Skipped" label="Ignored" />"#),
            4 => format!(r#"<test-case name="C{i}" fullname="N.F{f}.C{i}" result="Passed"><properties /></test-case>"#),
            _ => format!(r#"<test-case name="C{i}" fullname="N.F{f}.C{i}" result="Passed" />"#),
        };
        let fixture = |f: usize| {
            let cases: String = (0..6).map(|i| format!("      {}\n", case(f, i))).collect();
            format!(
                "    <test-suite type=\"TestFixture\" name=\"F{f}\" fullname=\"N.F{f}\">\n{cases}    </test-suite>\n"
            )
        };
        let namespace = |n: usize| {
            let fixtures: String = (0..5).map(|f| fixture(n * 5 + f)).collect();
            format!("  <test-suite type=\"TestSuite\" name=\"N{n}\" fullname=\"N{n}\">\n{fixtures}  </test-suite>\n")
        };
        let report = |body: &str, after: &str| {
            format!(
                "<?xml version=\"1.0\"?>\n<test-run total=\"240\" passed=\"144\" failed=\"48\">\n{body}</test-run>\n{after}"
            )
        };
        let body: String = (0..8).map(namespace).collect();
        let xml = report(&body, "<!-- done -->\n");
        let one = same_on_threads("n.xml", xml.as_bytes(), parse);
        assert!(one.contains("passed: 144") && one.contains("boom 39.1") && one.contains("suite: \"N.F39\""), "{one}");
        let split =
            |xml: &str, threads| Source::bytes("n.xml", xml.as_bytes()).with_split(Split { threads, min_len: 0 });
        let cut = |xml: &str, threads| in_pieces(&split(xml, threads), Version::Three, Tuning::default());
        assert!((2..=6).all(|t| cut(&xml, t).is_some()), "the canonical layout is read in pieces");
        for hot in [true, false] {
            let read = parse_tuned(&split(&xml, 4), Version::Three, Tuning { capacity: 7, hot });
            assert_eq!(format!("{read:?}"), one, "hot path {hot}");
        }
        damaged_same_on_threads("n.xml", &xml, parse);
        // Failing tests after a parameterised method's suite closed, in a fixture the piece did
        // not open: one walk names their suite.
        let orphans: String = (0..30)
            .map(|f| {
                format!(
                    "  <test-suite type=\"TestFixture\" fullname=\"P.F{f}\">\n    <test-suite type=\"ParameterizedMethod\" fullname=\"P.F{f}.M\">\n      {}\n    </test-suite>\n    {}\n  </test-suite>\n",
                    case(f, 2),
                    case(0, 0)
                )
            })
            .collect();
        let orphans = report(&orphans, "");
        let shown = same_on_threads("n.xml", orphans.as_bytes(), parse);
        assert!(shown.contains("suite: \"P.F29\""), "{shown}");
        // A tear-down failure whose message is read after a cut.
        let teardown = report(
            &format!(
                "  <test-suite type=\"TestSuite\" fullname=\"T\" result=\"Failed\" site=\"TearDown\">\n{}    <failure><message>cleanup broke</message></failure>\n  </test-suite>\n",
                (0..10).map(fixture).collect::<String>()
            ),
            "",
        );
        let shown = same_on_threads("n.xml", teardown.as_bytes(), parse);
        assert!(shown.contains("cleanup broke"), "{shown}");
        // Suites failed as NUnit fails them (a fixture by its failing test, a namespace by its
        // fixtures, the run by all) are read in pieces; so are failures no test explains, their
        // suites opened in one piece and closed in another: a namespace failed in its one-time
        // set-up whose fixtures all pass, one nested in it whose own failure explains the outer,
        // and tear-downs. Each is judged at its close and kept where one walk keeps it.
        let failed_fixture = |f: usize, failed: bool| {
            let result = if failed { "Failed" } else { "Passed" };
            let cases: String = (0..6).map(|i| format!("      {}\n", case(f, i))).collect();
            let cases = if failed { cases } else { cases.replace("result=\"Failed\"", "result=\"Passed\"") };
            format!(
                "    <test-suite type=\"TestFixture\" fullname=\"N.F{f}\" result=\"{result}\">\n{cases}    </test-suite>\n"
            )
        };
        let failed_body: String = (0..12)
            .map(|n| {
                let fixtures: String = (0..5).map(|f| failed_fixture(n * 5 + f, n % 4 == 0 || n % 4 == 3)).collect();
                let (site, fixtures) = match n % 4 {
                    1 => (
                        " site=\"SetUp\"",
                        format!(
                            "    <failure><message>set-up {n} broke</message></failure>\n{fixtures}    <test-suite fullname=\"I{n}\" result=\"Failed\" label=\"Invalid\">\n{}    </test-suite>\n",
                            (0..5).map(|f| failed_fixture(900 + n * 5 + f, false)).collect::<String>()
                        ),
                    ),
                    2 => (" site=\"SetUp\"", format!("    <failure><message>set-up {n} broke</message></failure>\n{fixtures}")),
                    3 => (
                        " site=\"TearDown\"",
                        format!(
                            "    <failure><message>tear-down {n}</message></failure>\n{fixtures}    <test-suite fullname=\"T{n}\" result=\"Failed\" site=\"TearDown\">\n{}    </test-suite>\n",
                            (0..20).map(|f| failed_fixture(950 + n * 20 + f, false)).collect::<String>()
                        ),
                    ),
                    _ => ("", fixtures),
                };
                format!("  <test-suite type=\"TestSuite\" fullname=\"N{n}\" result=\"Failed\"{site}>\n{fixtures}  </test-suite>\n")
            })
            .collect();
        let failed = report(&failed_body, "").replace("<test-run ", "<test-run result=\"Failed\" ");
        assert!((2..=6).all(|t| cut(&failed, t).is_some()), "failed suites are read in pieces");
        let shown = same_on_threads("n.xml", failed.as_bytes(), parse);
        for kept in ["N10 (one-time set-up)", "set-up 10 broke", "tear-down 11", "I5 (not runnable)"] {
            assert!(shown.contains(kept), "{kept}: {shown}");
        }
        assert!(!shown.contains("N5 (one-time set-up)"), "explained by I5's failure: {shown}");
        damaged_same_on_threads("n.xml", &failed, parse);
        // `<test-suite ` in a comment, in CDATA and in an attribute's value: the piece before
        // such a cut ends inside them and is refused.
        let hidden: String = (0..40)
            .map(|f| match f % 3 {
                0 => format!("<!-- <test-suite fullname=\"C{f}\"> -->\n{}", fixture(f)),
                1 => format!("<test-case fullname=\"X{f}\" result=\"Failed\"><output><![CDATA[ <test-suite name=\"x\"> ]]></output></test-case>\n{}", fixture(f)),
                _ => format!("<test-case fullname=\"Y{f}\" name=\" <test-suite \" result=\"Passed\" />\n{}", fixture(f)),
            })
            .collect();
        let shown = same_on_threads("n.xml", report(&hidden, "").as_bytes(), parse);
        assert!(shown.contains("name: \"X1\"") || shown.contains("X1"), "{shown}");
        // NUnit 2, whose cases stand in a suite's `<results>`.
        let v2_fixture = |f: usize| {
            let cases: String = (0..6)
                .map(|i| match (f + i) % 4 {
                    0 => format!("<test-case name=\"N.F{f}.C{i}\" executed=\"True\" result=\"Failure\" success=\"False\"><failure><message><![CDATA[no {f}.{i}]]></message></failure></test-case>\n"),
                    _ => format!("<test-case name=\"N.F{f}.C{i}\" executed=\"True\" result=\"Success\" success=\"True\" />\n"),
                })
                .collect();
            format!("<test-suite type=\"TestFixture\" name=\"N.F{f}\"><results>\n{cases}</results></test-suite>\n")
        };
        let v2 = format!(
            "<test-results total=\"240\">\n<test-suite type=\"Namespace\" name=\"N\"><results>\n{}</results></test-suite>\n</test-results>\n",
            (0..40).map(v2_fixture).collect::<String>()
        );
        let parse_v2 = |input: &Source| parse_tuned(input, Version::Two, Tuning::default());
        let shown = same_on_threads("n.xml", v2.as_bytes(), parse_v2);
        assert!(shown.contains("failed: 60") && shown.contains("no 39.1"), "{shown}");
        assert!((2..=6).all(|t| in_pieces(&split(&v2, t), Version::Two, Tuning::default()).is_some()));
        // Suites inside a failing test case (NUnit writes none, one walk reads them): the case is
        // counted once, with its message.
        let holding = report(
            &format!(
                "  <test-case fullname=\"H.C\" result=\"Failed\">\n{}    <failure><message>held</message></failure>\n  </test-case>\n",
                (0..40)
                    .map(|k| format!("    <test-suite fullname=\"E{k}\">\n      <properties />\n    </test-suite>\n"))
                    .collect::<String>()
            ),
            "",
        );
        let shown = same_on_threads("n.xml", holding.as_bytes(), parse);
        assert!(shown.contains("total: 1,") && shown.contains("message: Some(\"held\")"), "{shown}");
        // What one walk refuses, each read on every thread count as one walk reads it: an error.
        let late = body.len() * 3 / 4;
        let late = late + body[late..].find("  </test-suite>").expect("a namespace's end");
        let too_deep = |n: usize| {
            report(
                &format!(
                    "{}{}{}",
                    "<test-suite>".repeat(n),
                    (0..40).map(fixture).collect::<String>(),
                    "</test-suite>".repeat(n)
                ),
                "",
            )
        };
        for (what, bad) in [
            ("another end tag", format!("{}  </test-run>{}", &body[..late], &body[late + 15..])),
            ("truncated", report(&body, "").replace("</test-run>\n", "")),
            ("a case after the root", report(&body, &case(0, 2))),
            ("a second root", report(&body, "<test-run/>")),
            ("a reference after the root", report(&body, "&amp;")),
            ("CDATA after the root", report(&body, "<![CDATA[x]]>")),
            ("another end tag after the root", report(&body, "</test-run>")),
            ("text after the root", report(&body, "x")),
            ("the root closed early", format!("{}</test-run>\n{}", &body[..late], &body[late..])),
            ("nesting one too deep", too_deep(MAX_DEPTH - 4)),
        ] {
            let shown = same_on_threads("n.xml", bad.as_bytes(), parse);
            assert!(shown.starts_with("Err("), "{what}: {shown}");
        }
        // Nesting to the bound (the root, the suites, a fixture, a case, its failure and message).
        let deepest = too_deep(MAX_DEPTH - 5);
        assert!(same_on_threads("n.xml", deepest.as_bytes(), parse).starts_with("Ok("));
        assert!((2..=4).any(|t| cut(&deepest, t).is_some()), "read in pieces");
    }
}
