//! Producers' reports (fixtures under `tests/fixtures/junit/`). The corpus under `../shared` is
//! checked by `ci/conformance.sh`, never from here: `cargo test` passes on any clone.

use std::path::Path;

use super::*;
use crate::model::{Outcome, TestCase, TestTotals};
use crate::parsers::testxml::{damaged_read_alike, read_every_way};

fn fixture(name: &str) -> TestRun {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/junit").join(name);
    parse(&Source::open(&path).unwrap()).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// total, passed, failed, skipped, errors, flaky.
fn totals(run: &TestRun) -> [u64; 6] {
    let TestTotals { total, passed, failed, skipped, errors, flaky, .. } = run.totals;
    [total, passed, failed, skipped, errors, flaky]
}

fn named<'a>(run: &'a TestRun, name: &str) -> &'a TestCase {
    run.cases
        .iter()
        .map(Box::as_ref)
        .chain(&run.flaky)
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no listed case {name:?} in {run:#?}"))
}

/// A skipped test is counted (see `totals`), not kept.
fn unlisted(run: &TestRun, name: &str) {
    let listed = run.cases.iter().map(Box::as_ref).chain(&run.outside).chain(&run.flaky);
    assert!(listed.clone().all(|c| c.name != name), "{name:?} is listed: {:?}", listed.collect::<Vec<_>>());
}

fn failing(run: &TestRun) -> Vec<&str> {
    run.failing().map(|c| c.name.as_str()).collect()
}

#[test]
fn surefire_flaky_failed_after_reruns_and_error() {
    let run = fixture("surefire-flaky.xml");
    assert_eq!(totals(&run), [5, 2, 1, 1, 1, 1]);
    assert_eq!(failing(&run), ["subtracts", "parsesInput"]);
    let flaky = &run.flaky[0];
    assert_eq!(flaky.name, "dividesUnderLoad");
    assert_eq!(flaky.outcome, Outcome::Failed);
    assert_eq!(flaky.message.as_deref(), Some("expected: <4> but was: <5>"));
    let failed = named(&run, "subtracts");
    assert_eq!(failed.suite, "com.example.CalculatorTest");
    assert_eq!(failed.message.as_deref(), Some("expected: <1> but was: <-1>"));
    assert_eq!(named(&run, "parsesInput").outcome, Outcome::Error);
    unlisted(&run, "multipliesMatrices");
    assert!(run.notes.is_empty(), "{:?}", run.notes);
}

#[test]
fn nextest_flaky_reruns_and_failure_text() {
    let run = fixture("nextest-flaky.xml");
    assert_eq!(totals(&run), [3, 2, 1, 0, 0, 1]);
    assert_eq!(failing(&run), ["tests::rejects_garbage"]);
    let failed = named(&run, "tests::rejects_garbage");
    assert_eq!(failed.suite, "shop-core");
    assert_eq!(failed.message.as_deref(), Some("thread 'tests::rejects_garbage' panicked at src/lib.rs:40:5:"));
    assert_eq!(failed.time, Some(0.006));
    let flaky = named(&run, "net::tests::retries_on_reset");
    assert_eq!(flaky.message.as_deref(), Some("thread 'net::tests::retries_on_reset' panicked at src/net.rs:88:9:"));
}

#[test]
fn pytest_failure_error_skip_and_xfail() {
    let run = fixture("pytest.xml");
    assert_eq!(totals(&run), [6, 2, 1, 2, 1, 0]);
    let failed = named(&run, "test_round_half_even");
    assert_eq!(failed.classname, "tests.test_money");
    assert_eq!(failed.suite, "pytest");
    assert_eq!(failed.message.as_deref(), Some("AssertionError: assert Decimal('2.6') == Decimal('2.5')"));
    let error = named(&run, "test_read_rates");
    assert_eq!(error.outcome, Outcome::Error);
    assert!(error.message.as_deref().unwrap().starts_with("failed on setup with \"FileNotFound"));
    unlisted(&run, "test_negative_zero");
    assert_eq!(failing(&run), ["test_round_half_even", "test_read_rates"]);
}

#[test]
fn jest_junit_takes_the_message_from_the_failure_text() {
    let run = fixture("jest-junit.xml");
    assert_eq!(totals(&run), [4, 2, 1, 1, 0, 0]);
    let failed = named(&run, "cart applies a discount");
    assert_eq!(failed.message.as_deref(), Some("Error: expect(received).toBe(expected) // Object.is equality"));
    assert_eq!(failed.file.as_deref(), Some("src/cart.test.js"));
}

#[test]
fn vitest_unescapes_names_and_keeps_unicode() {
    let run = fixture("vitest.xml");
    assert_eq!(totals(&run), [3, 1, 1, 1, 0, 0]);
    assert_eq!(failing(&run), ["math > divides by zero"]);
    unlisted(&run, "math > big numbers");
}

#[test]
fn go_junit_report_and_gotestsum() {
    let run = fixture("go-junit-report.xml");
    assert_eq!(totals(&run), [4, 2, 1, 1, 0, 0]);
    assert_eq!(failing(&run), ["TestTotal"]);
    assert_eq!(named(&run, "TestTotal").suite, "example.com/shop/cart");

    let run = fixture("gotestsum.xml");
    assert_eq!(totals(&run), [3, 1, 1, 1, 0, 0]);
    assert_eq!(named(&run, "TestTotal").message.as_deref(), Some("Failed"));
    unlisted(&run, "TestRemote");
}

#[test]
fn bare_testsuite_root_with_an_error_and_no_message() {
    let run = fixture("bare-testsuite.xml");
    assert_eq!(totals(&run), [2, 1, 0, 0, 1, 0]);
    let error = named(&run, "testNull");
    assert_eq!(error.suite, "org.example.ParserTest");
    assert_eq!(error.message.as_deref(), Some("java.lang.NullPointerException"));
}

#[test]
fn nested_suites_give_the_innermost_suite_file_and_line() {
    let run = fixture("nested-suites.xml");
    assert_eq!(totals(&run), [4, 3, 1, 0, 0, 0]);
    let failed = named(&run, "testParse with data set #1");
    assert_eq!(failed.suite, r"Tests\Unit\MoneyTest::testParse");
    assert_eq!(failed.file.as_deref(), Some("/app/tests/Unit/MoneyTest.php"));
    assert_eq!(failed.line, Some(30));
    assert_eq!(failed.message.as_deref(), Some(r"Tests\Unit\MoneyTest::testParse with data set #1 ('1,5')"));
    // The stated tests= of the outer suites are not added up twice.
    assert!(run.notes.is_empty(), "{:?}", run.notes);
}

#[test]
fn mocha_empty_root_suite_and_suite_file() {
    let run = fixture("mocha-junit-reporter.xml");
    assert_eq!(totals(&run), [3, 2, 1, 0, 0, 0]);
    let failed = named(&run, "slugify strips accents");
    assert_eq!(failed.suite, "slugify");
    assert_eq!(failed.file.as_deref(), Some("/home/ci/app/test/slugify.test.js"));
    assert_eq!(failed.message.as_deref(), Some("expected 'creme-brulee' to equal 'crème-brûlée'"));
}

#[test]
fn ant_junitreport_aggregate() {
    let run = fixture("ant-junitreport.xml");
    assert_eq!(totals(&run), [4, 2, 1, 1, 0, 0]);
    assert_eq!(named(&run, "testStrings").message.as_deref(), Some("expected:<[\"a]> but was:<[a]>"));
}

/// pytest 9 adds passed subtests to `tests=`; temis counts the `<testcase>` elements and says so
/// (at scale: `../shared/corpus/coverage/py-more-itertools-subtests`, checked by `ci/conformance.sh`).
#[test]
fn pytest_subtests_note_the_stated_count() {
    let run = fixture("pytest-subtests.xml");
    assert_eq!(totals(&run), [2, 2, 0, 0, 0, 0]);
    assert_eq!(run.notes.len(), 1);
    assert!(run.notes[0].contains("tests=\"5\""), "{:?}", run.notes);
}

/// A report of several suites (failures with and without messages, a flaky rerun, a skip, a
/// suite nested in a suite, a comment and a CDATA section naming `<testsuite`) read on 1 to 6
/// threads, and each of its damaged copies on 1 and 3: the same run, notes and errors.
#[test]
fn a_report_read_on_threads_reads_as_one_walk() {
    use crate::input::Split;
    use crate::parsers::xml_walk::{damaged_same_on_threads, same_on_threads};
    let suite = |i: usize| {
        format!(
            r#"<testsuite name="s{i}" tests="4" file="s{i}.py">
  <testcase classname="c{i}" name="ok{i}" time="0.1"/>
  <testcase classname="c{i}" name="bad{i}" time="0.2"><failure message="boom {i} &amp; more">trace</failure></testcase>
  <testcase classname="c{i}" name="rerun{i}"><flakyFailure message="once"/></testcase>
  <testcase classname="c{i}" name="skip{i}"><skipped/>{}</testcase>
</testsuite>
{}
"#,
            if i == 7 { r#"<system-out><![CDATA[<testsuite name="x">]]></system-out>"# } else { "" },
            if i == 8 { r#"<!-- <testsuite name="in a comment"> -->"# } else { "" },
        )
    };
    let mut xml = String::from("<?xml version=\"1.0\"?>\n<testsuites tests=\"41\">\n");
    for i in 0..10 {
        xml.push_str(&suite(i));
        if i == 4 {
            xml.push_str("<testsuite name=\"outer\"><testsuite name=\"inner\"><testcase name=\"deep\"><error/></testcase></testsuite></testsuite>\n");
        }
    }
    xml.push_str("</testsuites>\n");
    let one = same_on_threads("junit.xml", xml.as_bytes(), parse);
    assert!(one.contains("total: 41") && one.contains("boom 9 & more"), "{one}");
    // Not every cut stands in the root alone (the nested suite, the comment), but most do.
    let cut = |threads| {
        in_pieces(
            &Source::bytes("junit.xml", xml.as_bytes()).with_split(Split { threads, min_len: 0 }),
            Tuning::default(),
            false,
        )
    };
    assert!((2..=6).filter(|&t| cut(t).is_some()).count() >= 3);
    damaged_same_on_threads("junit.xml", &xml, parse);
    // End tags are matched by the names as written, in every piece: `</x:testsuite>` does not
    // close `<testsuite>`, `</testsuites>` does not close `<ns:testsuites>`.
    let last = xml.rfind("</testsuite>").unwrap();
    let wrong_end = format!("{}</x:testsuite>{}", &xml[..last], &xml[last + "</testsuite>".len()..]);
    let prefixed_root = xml.replace("<testsuites tests", "<ns:testsuites tests");
    for bad in [wrong_end, prefixed_root] {
        let one = same_on_threads("junit.xml", bad.as_bytes(), parse);
        assert!(one.starts_with("Err("), "{one}");
    }
}

/// `xml` read every way ([`read_every_way`]), shown.
fn every_way(xml: &str) -> String {
    read_every_way("junit.xml", xml, parse_tuned)
}

/// How many test cases of `xml` the hot path counts, in one walk.
fn hot_cases(xml: &str) -> u64 {
    let input = Source::bytes("junit.xml", xml.as_bytes());
    let reader = xml::reader(&input).unwrap();
    walk(&input, reader, State::default(), 0, true).map_or(0, |(state, _)| state.hot_cases)
}

/// The passing test cases producers write (`<testcase … />`, no child) are counted by the hot
/// path, and every look-alike it must leave to the general path reads as the general path
/// reads it: duplicated attributes (an error), single quotes, references, tabs and non-ASCII
/// text in values, spaces around `=`, a missing `/>`, a prefix, a case inside a case, before
/// the root or after it, and errors placed after the bytes the hot path read.
#[test]
fn the_hot_path_reads_passing_cases_as_the_general_path() {
    let plain = r#"<testcase classname="app.Tests" name="test_one" time="0.001" file="tests/a.py"/>"#;
    let doc = |case: &str| {
        format!(
            "<?xml version=\"1.0\"?>\n<testsuites>\n  <testsuite name=\"s\" tests=\"4\">\n    {plain}\n    {plain}\n    \
             {case}\n    {plain}\n  </testsuite>\n</testsuites>\n"
        )
    };
    let canonical = doc(plain);
    let shown = every_way(&canonical);
    assert!(shown.contains("total: 4") && shown.contains("passed: 4"), "{shown}");
    assert_eq!(hot_cases(&canonical), 4);
    let look_alikes = [
        r#"<testcase name="a" name="b"/>"#,
        r#"<testcase name="a" time="1" name="b"/>"#,
        r#"<testcase name='single'/>"#,
        r#"<testcase name="a &amp; b"/>"#,
        r#"<testcase name="a &bogus; b"/>"#,
        "<testcase name=\"tab\there\"/>",
        "<testcase name=\"caf\u{e9}\"/>",
        r#"<testcase name = "spaced"/>"#,
        r#"<testcase name="no-end">"#,
        r#"<testcase name="open"></testcase>"#,
        r#"<testcase name="a" />"#,
        r#"<testcase/>"#,
        r#"<testcaseX name="a"/>"#,
        r#"<x:testcase name="a"/>"#,
        r#"<testcase name="a"b="c"/>"#,
        r#"<testcase name="a" b="1" c="2" d="3" e="4" f="5" g="6" h="7" i="8" j="9" k="10" l="11" m="12"/>"#,
        r#"<testcase name="outer"><testcase name="inner"/></testcase>"#,
        r#"<testcase name="outer"><failure message="m"/><testcase name="inner"/></testcase>"#,
        r#"<testcase name="skip"><skipped/></testcase>"#,
        r#"<testcase name="a"/><bogus attr="x"<"#,
        r#"<testcase name="a"/>&bogus;"#,
        "<testcase name=\"a\"/>\u{FF}",
        r#"<testcase name="a"/></testsuites>"#,
        r#"<!-- c --><testcase name="a"/>"#,
        r#"<?pi x?><testcase name="a"/>"#,
        r#"&amp;<testcase name="a"/>"#,
        r#"&#65;<testcase name="a"/>"#,
        r#"<![CDATA[x]]><testcase name="a"/>"#,
        r#"<testcase a="1" b="2" c="3" d="4" e="5" f="6" g="7" h="8" i="9" j="10" k="11" l="12" m="13" n="14" o="15" p="16"/>"#,
        r#"<testcase a="1" b="2" c="3" d="4" e="5" f="6" g="7" h="8" i="9" j="10" k="11" l="12" m="13" n="14" o="15" p="16" q="17"/>"#,
    ];
    for case in look_alikes {
        every_way(&doc(case));
    }
    // Cases before and after the root, a test suite standing alone as the root, and a report
    // long enough to be cut into pieces.
    for xml in [
        format!("<?xml version=\"1.0\"?>\n{plain}\n<testsuites/>"),
        format!("<testsuites></testsuites>\n{plain}\n"),
        format!("<testsuite name=\"s\">\n{plain}\n{plain}\n</testsuite>\n"),
        format!(
            "<testsuites>\n{}</testsuites>\n",
            format!("<testsuite name=\"s\">\n{plain}\n</testsuite>\n").repeat(40)
        ),
    ] {
        every_way(&xml);
    }
    // The general path alone reads what the hot path leaves: the duplicate is an error, placed
    // on its line whatever the hot path read before it.
    let duplicate = every_way(&doc(r#"<testcase name="a" name="b"/>"#));
    assert!(duplicate.starts_with("Err(") && duplicate.contains("line: Some(6)"), "{duplicate}");
    // After a case the general path reads, the hot path takes the plain ones again.
    assert_eq!(hot_cases(&doc(r#"<testcase name="skip"><skipped/></testcase>"#)), 3);
    let inside = every_way(&doc(r#"<testcase name="outer"><testcase name="inner"/></testcase>"#));
    assert!(inside.contains("inside a <testcase>"), "{inside}");
}

/// Damaged copies of a report of plain passing cases read alike on the hot path and the general
/// one, whatever the read buffer.
#[test]
fn damaged_plain_cases_read_alike_on_both_paths() {
    let plain = r#"<testcase classname="c" name="t" time="0.1"/>"#;
    let lines = format!("  {plain}\n").repeat(4);
    let xml = format!(
        "<testsuites>\n<testsuite name=\"s\">\n{lines}<testcase name=\"f\"><failure message=\"m\"/></testcase>\n{lines}</testsuite>\n</testsuites>\n"
    );
    damaged_read_alike("junit.xml", &xml, parse_tuned);
}

/// Many passing suites, with `odd` put in the seventh: read on 1 to 6 threads (pieces cut before
/// each suite), the same run.
fn suites_with(odd: &str) -> TestRun {
    use crate::parsers::xml_walk::same_on_threads;
    let mut xml = String::from("<?xml version=\"1.0\"?>\n<testsuites>\n");
    for i in 0..12 {
        if i == 6 {
            xml.push_str(odd);
        }
        xml.push_str(&format!(
            "<testsuite name=\"s{i}\" tests=\"2\" failures=\"0\" errors=\"0\">\n  <testcase classname=\"c{i}\" name=\"a\"/>\n  <testcase classname=\"c{i}\" name=\"b\"/>\n</testsuite>\n"
        ));
    }
    xml.push_str("</testsuites>\n");
    same_on_threads("junit.xml", xml.as_bytes(), parse);
    parse(&Source::bytes("junit.xml", xml.as_bytes())).unwrap()
}

/// An `<error>` or `<failure>` right in a suite (pytest's error collecting a module) is an
/// error outside the tests: it blocks, with its message.
#[test]
fn an_error_in_a_suite_outside_any_case_blocks() {
    let run = suites_with(
        "<testsuite name=\"pkg\" tests=\"1\" errors=\"1\">\n  <error message=\"ImportError: cannot import name 'x'\" type=\"ImportError\">Traceback…</error>\n  <testcase name=\"a\"/>\n</testsuite>\n",
    );
    assert!(!run.all_passed());
    assert_eq!(run.outside.len(), 1, "{:?}", run.outside);
    assert_eq!(run.outside[0].suite, "pkg");
    assert_eq!(run.outside[0].message.as_deref(), Some("ImportError: cannot import name 'x'"));
    assert_eq!(totals(&run), [25, 25, 0, 0, 0, 0], "not a test");
}

/// Counters that say tests failed or errored while not one blocking test is listed block (an
/// empty suite with `errors="1"`: jest-junit's suite that failed to load); counters above the
/// failures listed do not add to them (pytest counts subtests in `failures=`).
#[test]
fn counters_that_say_tests_failed_with_none_listed_block() {
    let none_listed = suites_with(
        "<testsuite name=\"pkg\" tests=\"1\" failures=\"2\" errors=\"0\"><testcase name=\"a\"/></testsuite>\n",
    );
    assert!(!none_listed.all_passed());
    assert_eq!(none_listed.outside.len(), 1);
    assert!(none_listed.outside[0].name.starts_with("2 failed test(s) not listed"), "{:?}", none_listed.outside);
    let empty =
        suites_with("<testsuite name=\"broken.test.js\" tests=\"0\" failures=\"0\" errors=\"1\">\n</testsuite>\n");
    assert!(!empty.all_passed() && empty.outside.len() == 1, "{:?}", empty.outside);
    let subtests = suites_with(
        "<testsuite name=\"pkg\" tests=\"2\" failures=\"4\"><testcase name=\"a\"><failure message=\"x\"/></testcase><testcase name=\"b\"/></testsuite>\n",
    );
    assert_eq!(subtests.outside.len(), 0, "{:?}", subtests.outside);
    assert_eq!(failing(&subtests), ["a"]);
    // A root's counters are the report's, whatever its suites say.
    let root = r#"<testsuite name="pkg" tests="2" failures="1"><testcase name="a"/><testcase name="b"/></testsuite>"#;
    assert!(!parse(&Source::bytes("junit.xml", root.as_bytes())).unwrap().all_passed());
    // A counter that is no count was read as none, and the report approved.
    for counter in [r#"failures="abc""#, r#"errors="1.0""#, r#"failures="-1""#] {
        let text = format!(
            r#"<testsuites><testsuite name="s" tests="1" {counter}><testcase name="a"/></testsuite></testsuites>"#
        );
        let e = parse(&Source::bytes("junit.xml", text.as_bytes())).unwrap_err().to_string();
        assert!(e.contains("not a count of tests") && e.contains(counter), "{counter}: {e}");
        let root = format!(
            r#"<testsuites {counter}><testsuite name="s" tests="1"><testcase name="a"/></testsuite></testsuites>"#
        );
        assert!(parse(&Source::bytes("junit.xml", root.as_bytes())).is_err(), "{root}");
    }
    let blank = r#"<testsuite name="s" tests="1" failures="" errors=" "><testcase name="a"/></testsuite>"#;
    assert!(parse(&Source::bytes("junit.xml", blank.as_bytes())).unwrap().all_passed());
}

/// The JUnit `temis ci` writes of its checks, a phase's included, is known as temis's own; a
/// project's suite that happens to be named temis is not.
#[test]
fn temis_own_check_report_is_known_a_phases_too() {
    let own = |suite: &str| {
        let text = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"temis\" tests=\"1\">\n  <testsuite \
             name=\"{suite}\" tests=\"1\">\n    <testcase name=\"x\"/>\n  </testsuite>\n</testsuites>\n"
        );
        super::is_temis_checks(text.as_bytes())
    };
    assert!(own("temis gate"));
    assert!(own("temis gate (phase 2)"));
    assert!(!own("tests.test_temis"));
}

/// Playwright cut short by its global timeout (real 1.65.2 output): the two tests it did not run
/// are a bare `<skipped>`, approved as skips where Playwright said "2 did not run" and exited 1;
/// its own skip carries a `skip` property. Not run, then: failures.
#[test]
fn playwright_tests_that_did_not_run_are_not_skips() {
    let run = fixture("playwright-global-timeout.xml");
    let t = run.totals;
    assert_eq!([t.total, t.passed, t.failed, t.skipped], [4, 1, 2, 1]);
    let not_run: Vec<&str> =
        run.cases.iter().filter(|c| c.outcome == Outcome::Failed).map(|c| c.name.as_str()).collect();
    assert_eq!(not_run, ["slow (hangs past globalTimeout)", "never reached"]);
    // The same bare <skipped> in another producer's report is a skip.
    let other = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/junit/playwright-global-timeout.xml"),
    )
    .unwrap()
    .replace(r#"<testsuites id="" name="""#, r#"<testsuites name="vitest tests""#);
    let run = crate::parsers::junit::parse(&crate::input::Source::bytes("junit.xml", other.into_bytes())).unwrap();
    assert_eq!([run.totals.failed, run.totals.skipped], [0, 3]);
}
