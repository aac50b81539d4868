//! xUnit.net v2 XML test results (`xunit.console -xml`, `dotnet test --logger xunit`,
//! the `XunitXml.TestLogger`).
//!
//! One test is one `<test>` element (each row of a `[Theory]` is one): `result="Pass"` →
//! passed, `Fail` → failed, `Skip` → skipped, `NotRun` → other (not blocking: xUnit.net did not
//! select it). xUnit.net has no per-test error state, so errors is always 0. Its `<errors>`
//! (an assembly or collection whose set-up or clean-up threw: the `errors=` counter of
//! `<assembly>`) are errors outside tests: not counted as tests, and they block. The message is
//! the `<failure><message>` (else the exception type), a skipped test's the `<reason>`. The
//! `<assembly>` counters are kept as stated; failures they count beyond the `<test>`s and
//! `<error>`s listed, and tests beyond the `<test>`s, are an error outside tests (they block).

use compact_str::CompactString;
use quick_xml::events::BytesStart;

use super::testxml::{self, Grab, Handler};
use crate::input::Source;
use crate::model::{Outcome, TestCase, TestRun};
use crate::parsers::ParseError;
use crate::parsers::xml_walk::{MAX_DEPTH, Tuning, Walker, cut_points, plain_tag, read_pieces, skip_spaces};

/// Reads an xUnit.net v2 report (`<assemblies>`, or one `<assembly>`). A large `<assemblies>` is
/// read in pieces, one per thread, cut before its `<test>`s ([`read_pieces`]); when a piece does
/// not end where the next begins, inside a `<collection>`, it is read in one walk, which gives
/// every result and every error exactly.
pub fn parse(input: &Source) -> Result<TestRun, ParseError> {
    parse_tuned(input, Tuning::default())
}

/// [`parse`], reading as `tuning` says (tests vary it: every way reads the same).
fn parse_tuned(input: &Source, tuning: Tuning) -> Result<TestRun, ParseError> {
    let root = match super::xml::root_element(input.head()) {
        Some(r) if r.name == "assembly" => "assembly",
        _ => "assemblies",
    };
    if root == "assemblies"
        && let Some(run) = in_pieces(input, tuning)
    {
        return Ok(run);
    }
    let mut w = Walker::tuned(input, root, "xUnit.net v2", tuning)?;
    w.keep_spaces();
    let mut st = State::default();
    testxml::walk(&mut w, &mut st)?;
    Ok(stated_failures(st.run))
}

/// The failures the `<assembly>` counters state beyond those listed block: `failed` counts the
/// failed `<test>`s, `errors` the `<error>`s of `<errors>`.
fn stated_failures(mut run: TestRun) -> TestRun {
    let stated = |key: &str| run.stated.get(key).and_then(serde_json::Value::as_u64).unwrap_or(0);
    let (failed, errors, total) = (stated("failed"), stated("errors"), stated("total"));
    let listed = run.outside.len() as u64;
    // Tests the counters count and no `<test>` lists (failed ones apart: below) were never
    // measured here.
    let unlisted = total.saturating_sub(run.totals.total).saturating_sub(failed.saturating_sub(run.totals.failed));
    run.block_unlisted(failed, "the <assembly> failed= counter");
    if unlisted > 0 {
        let mut c = TestCase::new(format!("{unlisted} test(s) not listed"), Outcome::Error);
        c.message = Some(compact_str::format_compact!(
            "the <assembly> total= counter counts {total} test(s), the report lists {}: the report is cut short",
            run.totals.total
        ));
        run.record_outside(c);
    }
    if errors > listed {
        let mut c = TestCase::new(format!("{} assembly error(s) not listed", errors - listed), Outcome::Error);
        c.message = Some(compact_str::format_compact!(
            "the <assembly> errors= counter counts {errors} error(s), <errors> lists {listed}"
        ));
        run.record_outside(c);
    }
    run
}

/// Where every `<test>` stands.
const TEST_PARENTS: [&str; 3] = ["assemblies", "assembly", "collection"];

/// The report read in pieces on threads of their own, folded in order; `None` when it is not cut
/// or a piece does not read cleanly.
fn in_pieces(input: &Source, tuning: Tuning) -> Option<TestRun> {
    let cuts = cut_points(input, b"<test");
    if cuts.len() <= 2 {
        return None;
    }
    let read = |index: usize, w: &mut Walker<'_>| {
        w.keep_spaces();
        let mut st = State { inherited: index > 0, ..State::default() };
        testxml::walk(w, &mut st)?;
        Ok(st)
    };
    let pieces = read_pieces(input, ("assemblies", "xUnit.net v2"), &cuts, &TEST_PARENTS, tuning, read)?;
    let mut pieces = pieces.into_iter();
    let mut whole = pieces.next()?;
    for mut piece in pieces {
        // The tests before the piece's first `<assembly>` are of the assembly open at its start.
        for &i in &piece.orphans {
            piece.run.cases[i].suite.clone_from(&whole.assembly);
        }
        for (key, n) in std::mem::take(&mut piece.run.stated) {
            let sum = whole.run.stated.get(&key).and_then(serde_json::Value::as_u64).unwrap_or(0);
            whole.run.stated.insert(key, sum.saturating_add(n.as_u64().unwrap_or(0)).into());
        }
        whole.run.absorb(piece.run);
        if !piece.inherited {
            whole.assembly = piece.assembly;
        }
    }
    Some(stated_failures(whole.run))
}

#[derive(Default)]
struct State {
    run: TestRun,
    /// The `<test>` or `<error>` being read, its depth, and whether it is kept.
    current: Option<(usize, Option<TestCase>)>,
    /// Inside `<errors>`.
    errors: bool,
    assembly: CompactString,
    message: Grab,
    /// `exception-type` of the failure being read, the message of last resort.
    exception: Option<String>,
    /// Read in a piece that starts inside an `<assembly>` opened before it, until one opens in
    /// the piece: `assembly` is not known yet.
    inherited: bool,
    /// The tests kept while `inherited` (indices into `run.cases`): their suite is the
    /// assembly the piece started in, filled in when the pieces are folded.
    orphans: Vec<usize>,
}

impl Handler for State {
    fn open(&mut self, w: &Walker<'_>, e: &BytesStart<'_>, depth: usize) -> Result<(), ParseError> {
        let name = e.local_name();
        let get = |k| testxml::attr(w, e, k);
        match name.as_ref() {
            "assembly" => {
                self.inherited = false;
                self.assembly = get("name")?.unwrap_or_default().into();
                for key in ["total", "passed", "failed", "skipped", "errors"] {
                    if let Some(n) = testxml::count(w, e, key)? {
                        let sum = self.run.stated.get(key).and_then(serde_json::Value::as_u64).unwrap_or(0);
                        self.run.stated.insert(key.to_string(), sum.saturating_add(n).into());
                    }
                }
            }
            "errors" => self.errors = true,
            "error" if self.errors && self.inherited => {
                // An assembly's errors, in a piece that does not know the assembly: read in one walk.
                return Err(w.fail("<error> of an assembly opened before the piece"));
            }
            "error" if self.errors => {
                let kind = get("type")?.unwrap_or_else(|| "error".into());
                let what = get("name")?.unwrap_or_else(|| self.assembly.to_string());
                let mut c = TestCase::new(format!("{what} ({kind})"), Outcome::Error);
                c.suite.clone_from(&self.assembly);
                self.current = Some((depth, Some(c)));
            }
            "test" if self.current.is_none() => {
                let [result, name, time] = testxml::attrs(w, e, ["result", "name", "time"])?;
                let outcome = match result.as_deref().unwrap_or_default() {
                    "Pass" => None,
                    "Fail" => Some((Outcome::Failed, None)),
                    "Skip" => Some((Outcome::Skipped, None)),
                    "NotRun" => Some((Outcome::Other, Some("not run"))),
                    // An unknown result is never a pass.
                    _ => Some((Outcome::Incomplete, Some("unknown result"))),
                };
                let kept = outcome.map(|(outcome, word)| {
                    let mut c = TestCase::new(name.as_deref().unwrap_or_default(), outcome);
                    c.suite.clone_from(&self.assembly);
                    c.time = time.and_then(|t| t.trim().parse().ok());
                    c.status = word.map(Into::into);
                    c
                });
                self.current = Some((depth, kept));
                self.exception = None;
            }
            "test" => return Err(w.fail("<test> inside a <test>")),
            "failure" if self.current.is_some() => self.exception = get("exception-type")?,
            "message" | "reason" if self.current.as_ref().is_some_and(|c| c.1.is_some()) => self.message.start(depth),
            _ => {}
        }
        Ok(())
    }

    fn close(&mut self, _: &Walker<'_>, name: &str, depth: usize) -> Result<(), ParseError> {
        if let Some(Some(m)) = self.message.end(depth)
            && let Some((_, Some(c))) = self.current.as_mut()
        {
            c.message.get_or_insert(m);
        }
        match name {
            "errors" => self.errors = false,
            "test" | "error" if self.current.as_ref().is_some_and(|c| c.0 == depth) => {
                let exception = self.exception.take();
                match self.current.take() {
                    Some((_, Some(mut c))) => {
                        if c.message.is_none() {
                            c.message = exception.map(Into::into);
                        }
                        if name == "error" {
                            self.run.record_outside(c)
                        } else {
                            let kept = self.run.record(c);
                            if self.inherited {
                                self.orphans.extend(kept);
                            }
                        }
                    }
                    _ => self.run.record_pass(),
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn text(&mut self, text: &str) {
        self.message.push(text);
    }

    /// A passing `<test>` as xUnit.net writes it ([`passing_test`]), outside any test and any
    /// text being kept: counted, as the general path counts it.
    fn hot(&mut self, w: &mut Walker<'_>) {
        if self.current.is_some() || self.message.active() || w.depth() == 0 || w.depth() >= MAX_DEPTH {
            return;
        }
        let run = &mut self.run;
        w.hot_tags(b"<test", |rest| {
            let used = passing_test(rest)?;
            run.record_pass();
            Some(used)
        });
    }
}

/// The length of a `<test` element from just after its name, when it passed and is written as
/// xUnit.net writes it: its attributes in the plainest form ([`plain_tag`]) with
/// `result="Pass"`, the tag empty or holding nothing but whitespace and `<traits />` before
/// `</test>`. `None` for any other form, which the general path reads.
fn passing_test(rest: &[u8]) -> Option<usize> {
    let tag = plain_tag(rest, [b"result"], true)?;
    if tag.values[0] != Some(b"Pass") {
        return None;
    }
    if tag.empty {
        return Some(tag.used);
    }
    let mut at = skip_spaces(rest, tag.used);
    if let Some(traits) = [&b"<traits />"[..], b"<traits/>"].into_iter().find(|t| rest[at..].starts_with(t)) {
        at = skip_spaces(rest, at + traits.len());
    }
    let end = b"</test>";
    rest.get(at..)?.starts_with(end).then_some(at + end.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parsers::testxml::{damaged_read_alike, read_every_way};

    fn read(xml: &str) -> Result<TestRun, ParseError> {
        parse(&Source::bytes("x.xml", xml.as_bytes()))
    }

    /// Counters that count failures and errors the report does not list: the run does not pass
    /// (it was approved, the counters only kept).
    #[test]
    fn failures_the_counters_state_beyond_those_listed_block() {
        let run = read(
            r#"<assemblies><assembly name="t.dll" total="2" passed="1" failed="1" skipped="0" errors="1">
<errors />
<collection name="c"><test name="T.A" result="Pass"/></collection></assembly></assemblies>"#,
        )
        .unwrap();
        assert!(!run.all_passed());
        let names: Vec<&str> = run.outside.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["1 failed test(s) not listed", "1 assembly error(s) not listed"]);
        // Tests counted and not listed (a report cut short at a test's end) were approved.
        let cut = read(
            r#"<assemblies><assembly name="t.dll" total="5" passed="2" failed="0" skipped="0" errors="0">
<collection name="c"><test name="T.A" result="Pass"/><test name="T.B" result="Pass"/></collection></assembly></assemblies>"#,
        )
        .unwrap();
        assert!(!cut.all_passed());
        assert_eq!(cut.outside[0].name, "3 test(s) not listed");
    }

    #[test]
    fn results_and_theory_rows_are_tests_and_assembly_errors_are_apart() {
        let run = read(r#"<assemblies><assembly name="t.dll" total="4" passed="2" failed="1" skipped="1" errors="1">
<errors><error type="assembly-cleanup" name="t.dll"><failure exception-type="System.Exception"><message>dispose threw</message></failure></error></errors>
<collection name="c">
<test name="T.Add(a: 1)" result="Pass" time="0.01"/>
<test name="T.Add(a: 2)" result="Pass"/>
<test name="T.Div" result="Fail"><failure exception-type="Xunit.Sdk.EqualException"><message><![CDATA[Assert.Equal() Failure
Expected: 2]]></message></failure></test>
<test name="T.Later" result="Skip"><reason><![CDATA[not yet]]></reason></test>
<test name="T.Off" result="NotRun"/>
<test name="T.Empty" result="Fail"><failure exception-type="System.Exception"/></test>
</collection></assembly></assemblies>"#)
        .unwrap();
        let t = run.totals;
        assert_eq!((t.total, t.passed, t.failed, t.errors, t.skipped, t.other), (6, 2, 2, 0, 1, 1));
        assert_eq!(run.cases[0].message.as_deref(), Some("Assert.Equal() Failure"));
        assert_eq!(run.cases[1].status.as_deref(), Some("not run"), "the skipped test is counted, not kept");
        assert_eq!(run.cases[2].message.as_deref(), Some("System.Exception"), "the exception type when no message");
        assert_eq!(run.outside.len(), 1);
        assert_eq!(run.outside[0].message.as_deref(), Some("dispose threw"));
        assert_eq!(run.stated.get("errors"), Some(&serde_json::json!(1)));
    }

    /// Two assemblies (the second with an error), many collections, failing and skipped tests
    /// everywhere, read on 1 to 6 threads, and each damaged copy on 1 and 3: the same run.
    #[test]
    fn a_report_read_on_threads_reads_as_one_walk() {
        use crate::input::Split;
        use crate::parsers::xml_walk::{damaged_same_on_threads, same_on_threads};
        let mut xml = String::from("<assemblies>\n");
        for a in 0..2 {
            xml.push_str(&format!(r#"<assembly name="a{a}.dll" total="40" passed="20" failed="10" skipped="10">"#));
            if a == 1 {
                xml.push_str(r#"<errors><error type="cleanup" name="a1.dll"><failure><message>threw</message></failure></error></errors>"#);
            }
            for c in 0..4 {
                xml.push_str(&format!("<collection name=\"c{c}\">\n"));
                for t in 0..10 {
                    let result = ["Pass", "Pass", "Fail", "Skip"][t % 4];
                    xml.push_str(&format!(
                        "  <test name=\"T{a}.{c}.{t}\" result=\"{result}\" time=\"0.1\"><failure><message>m {t} &amp; x</message></failure></test>\n"
                    ));
                }
                xml.push_str("</collection>\n");
            }
            xml.push_str("</assembly>\n");
        }
        xml.push_str("</assemblies>\n");
        let one = same_on_threads("x.xml", xml.as_bytes(), parse);
        assert!(one.contains("suite: \"a1.dll\"") && one.contains("m 2 & x"), "{one}");
        let cut = |threads| {
            in_pieces(
                &Source::bytes("x.xml", xml.as_bytes()).with_split(Split { threads, min_len: 0 }),
                Tuning::default(),
            )
        };
        assert!((2..=6).all(|t| cut(t).is_some()));
        damaged_same_on_threads("x.xml", &xml, parse);
    }

    #[test]
    fn an_empty_run_is_clean_and_a_truncated_file_is_not() {
        assert_eq!(read("<assemblies/>").unwrap().totals.total, 0);
        assert!(read("<assemblies><assembly>").unwrap_err().to_string().contains("truncated"));
        assert!(read("<assemblies><assembly total=\"many\"/></assemblies>").is_err());
    }

    /// The passing tests xUnit.net writes (`<test … result="Pass">`, `<traits />` or nothing
    /// inside, or the tag empty) are counted by the hot path, and every look-alike reads as the
    /// general path reads it: another result, a duplicated or prefixed attribute, other children
    /// or text, an end tag of another name, a test inside a test, and errors placed after what
    /// the hot path read.
    #[test]
    fn the_hot_path_reads_passing_tests_as_the_general_path() {
        let plain = "<test name=\"T.A\" type=\"T\" method=\"A\" time=\"0.0026\" result=\"Pass\">\n        <traits />\n      </test>";
        let doc = |case: &str| {
            format!(
                "<?xml version=\"1.0\"?>\n<assemblies>\n  <assembly name=\"t.dll\" total=\"4\" passed=\"4\">\n    <collection name=\"c\">\n      \
                 {plain}\n      {plain}\n      {case}\n      {plain}\n    </collection>\n  </assembly>\n</assemblies>\n"
            )
        };
        let canonical = doc(plain);
        let shown = read_every_way("x.xml", &canonical, parse_tuned);
        assert!(shown.contains("total: 4") && shown.contains("passed: 4"), "{shown}");
        let hot = |xml: &str| testxml::hot_bytes(xml, "assemblies", &mut State::default()) as usize;
        assert_eq!(hot(&canonical), 4 * (plain.len() + 7));
        damaged_read_alike("x.xml", &canonical, parse_tuned);
        for case in [
            r#"<test name="B" result="Pass"/>"#,
            r#"<test name="B" result="Pass" />"#,
            r#"<test name="B" result="Pass"></test>"#,
            r#"<test name="B" result="Pass"><traits/></test>"#,
            r#"<test name="B" result="Pass"><traits></traits></test>"#,
            r#"<test name="B" result="Pass"><traits><trait name="k" value="v"/></traits></test>"#,
            r#"<test name="B" result="Pass"><output>text</output></test>"#,
            r#"<test name="B" result="Pass">text</test>"#,
            r#"<test name="B" result="Pass"><traits /></tests>"#,
            r#"<test name="B" result="Pass"><traits /></test >"#,
            r#"<test name="B" result="Pass"><traits /></x:test>"#,
            r#"<test name="B" result="Pass"><traits />"#,
            r#"<test name="B" result="Fail"><failure><message>m</message></failure></test>"#,
            r#"<test name="B" result="Pass" result="Fail"><traits /></test>"#,
            r#"<test name="B" x:result="Fail" result="Pass"><traits /></test>"#,
            r#"<test name="B" result="pass"><traits /></test>"#,
            r#"<test name="B" result="Fail"><test name="C" result="Pass"><traits /></test></test>"#,
            r#"<test name="B &amp; C" result="Pass"><traits /></test>"#,
            r#"<tests name="B" result="Pass"/>"#,
            "<test name=\"B\" result=\"Pass\"><traits /></test><bogus a=\"1\"<",
            "<test name=\"B\" result=\"Pass\"><traits /></test>\u{FF}",
            "<test name=\"B\" result=\"Pass\">\u{FF}<traits /></test>",
            r#"<?pi x?><test name="B" result="Pass"><traits /></test>"#,
            r#"<![CDATA[x]]><test name="B" result="Pass"><traits /></test>"#,
        ] {
            read_every_way("x.xml", &doc(case), parse_tuned);
        }
        // Another root: one `<assembly>`.
        let one = format!(
            "<assembly name=\"t.dll\">\n<collection name=\"c\">\n{plain}\n{plain}\n</collection>\n</assembly>\n"
        );
        let shown = read_every_way("x.xml", &one, parse_tuned);
        assert!(shown.contains("passed: 2"), "{shown}");
    }
}
