//! Malformed and hostile input: every refusal names what is wrong and where.

use super::*;
use crate::model::{MESSAGE_MAX, Outcome};

fn read(bytes: &[u8]) -> Result<TestRun, ParseError> {
    parse(&Source::bytes("junit.xml", bytes))
}

fn refused(bytes: &[u8]) -> ParseError {
    match read(bytes) {
        Ok(run) => panic!("accepted: {run:#?}"),
        Err(e) => e,
    }
}

fn placed(err: &ParseError) -> (Option<u64>, Option<u64>) {
    (err.line, err.column)
}

#[test]
fn truncated_inside_an_element() {
    let err = refused(
        b"<testsuites>\n  <testsuite name=\"a\">\n    <testcase name=\"x\"/>\n    \
          <testcase name=\"y\">\n      <failure message=\"boom\">",
    );
    assert_eq!(err.message, "the file ends inside <failure>: the report is truncated");
    assert_eq!(placed(&err), (Some(5), Some(31)));
}

#[test]
fn truncated_inside_a_tag() {
    let err = refused(b"<testsuites>\n<testsuite name=\"a\">\n<testcase name=\"y");
    assert!(err.message.starts_with("malformed XML: "), "{err}");
    assert_eq!(placed(&err), (Some(3), Some(1)));
}

#[test]
fn internal_entities_are_never_expanded() {
    let bomb = b"<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n \
                 <!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">\n]>\n<testsuites>\n  \
                 <testsuite name=\"&lol2;\">";
    let err = refused(bomb);
    assert_eq!(
        err.message,
        "attribute name: reference to the entity &lol2;, which temis does not expand \
         (it reads no DTD and fetches nothing)"
    );
    assert_eq!(placed(&err), (Some(7), Some(3)));
}

#[test]
fn external_entity_in_text_is_refused_not_fetched() {
    let xxe = b"<!DOCTYPE testsuites [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n\
                <testsuites>\n<testsuite name=\"s\">\n\
                <testcase name=\"t\"><failure>see &xxe;</failure></testcase>\n\
                </testsuite>\n</testsuites>\n";
    let err = refused(xxe);
    assert!(err.message.starts_with("reference to the entity &xxe;"), "{err}");
    assert!(!err.message.contains("root:"));
    assert_eq!(placed(&err), (Some(4), Some(33)));
}

#[test]
fn doctype_with_a_system_url_is_skipped_unfetched() {
    // Port 9 (discard) on the loopback: a fetch would fail or hang; the DTD is never read.
    let doc = b"<?xml version=\"1.0\"?>\n\
                <!DOCTYPE testsuites SYSTEM \"http://127.0.0.1:9/junit.dtd\">\n\
                <testsuites><testsuite name=\"s\"><testcase name=\"t\"/></testsuite></testsuites>\n";
    let run = read(doc).unwrap();
    assert_eq!(run.totals.total, 1);
    assert_eq!(run.totals.passed, 1);
}

#[test]
fn nesting_ten_thousand_deep_is_refused() {
    let mut doc = String::from("<testsuites>\n");
    doc.push_str(&"<testsuite>\n".repeat(10_000));
    doc.push_str(&"</testsuite>".repeat(10_000));
    doc.push_str("</testsuites>\n");
    let err = refused(doc.as_bytes());
    assert_eq!(err.message, "elements nested more than 256 deep; no test report nests so deep");
    assert_eq!(placed(&err), (Some(MAX_DEPTH as u64 + 1), Some(1)));
}

#[test]
fn invalid_utf8_is_placed_at_its_first_bad_byte() {
    let err = refused(b"<testsuites>\n<testsuite name=\"caf\xE9\"><testcase name=\"t\"/>");
    assert_eq!(err.message, "the file is not valid UTF-8 text");
    assert_eq!(placed(&err), (Some(2), Some(21)));

    let err = refused(b"<testsuites>\n<testcase name=\"t\">\n<failure>ab\xFFcd</failure>");
    assert_eq!(err.message, "the file is not valid UTF-8 text");
    assert_eq!(placed(&err), (Some(3), Some(12)));

    let err = refused(b"\xFF\xFE<\0t\0e\0s\0t\0s\0u\0i\0t\0e\0/\0>\0");
    assert!(err.message.starts_with("the file is UTF-16 text"), "{err}");
    assert_eq!(placed(&err), (Some(1), Some(1)));
}

#[test]
fn huge_numbers_in_attributes_are_not_trusted_nor_fatal() {
    let doc = br#"<testsuites tests="99999999999999999999999" failures="0">
<testsuite name="s" tests="1e400" time="1e999">
<testcase name="t" time="1e999" line="4294967296"><failure/></testcase>
<testcase name="u" time="-5" line="-1"/>
</testsuite></testsuites>"#;
    let run = read(doc).unwrap();
    let t = run.totals;
    assert_eq!((t.total, t.passed, t.failed), (2, 1, 1));
    let failed = &run.cases[0];
    assert_eq!((failed.line, failed.time), (None, None));
    assert!(run.notes.is_empty(), "{:?}", run.notes);
    // A failure counter that is no count is refused, where it is: read as none, it approved.
    let err =
        refused(b"<testsuites>\n<testsuite name=\"s\" failures=\"-1\"><testcase name=\"t\"/></testsuite></testsuites>");
    assert!(err.message.contains("failures=\"-1\": not a count"), "{err}");
    assert_eq!(placed(&err).0, Some(2));
}

#[test]
fn wrong_root_names_the_element_and_its_place() {
    let cobertura = b"<?xml version=\"1.0\" ?>\n\
        <!DOCTYPE coverage SYSTEM \"http://cobertura.sourceforge.net/xml/coverage-04.dtd\">\n\
        <coverage line-rate=\"0.9\" branch-rate=\"0.8\" version=\"7.4\"><packages/></coverage>\n";
    let err = refused(cobertura);
    assert_eq!(
        err.message,
        "not a JUnit XML report: the root element is <coverage>, \
         expected <testsuites> or <testsuite>"
    );
    assert_eq!(placed(&err), (Some(3), Some(1)));

    let err = refused(b"");
    assert_eq!(err.line, None);
    assert!(err.message.starts_with("no XML element"), "{err}");
}

#[test]
fn zero_testcases_is_a_valid_empty_run() {
    for doc in [
        &b"<testsuites/>"[..],
        b"<?xml version=\"1.0\"?>\n<testsuite name=\"empty\" tests=\"0\"></testsuite>\n",
        b"<testsuites><testsuite name=\"Root Suite\" tests=\"0\"></testsuite></testsuites>",
    ] {
        let run = read(doc).unwrap();
        assert_eq!(run.totals, Default::default());
        assert!(run.notes.is_empty() && run.cases.is_empty());
    }
}

#[test]
fn structure_errors_are_placed() {
    let err = refused(b"<testsuites/>\n<testsuites/>");
    assert_eq!(err.message, "<testsuites> after the end of the root element: one report per file");
    assert_eq!(placed(&err), (Some(2), Some(1)));

    let err = refused(b"<testsuites>\n<testcase name=\"a\">\n  <testcase name=\"b\"/>");
    assert_eq!(err.message, "<testcase> inside a <testcase>");
    assert_eq!(placed(&err), (Some(3), Some(3)));

    let err = refused(b"<testsuites>\n<testsuite>\n</testcase>\n</testsuites>");
    assert!(err.message.starts_with("malformed XML: "), "{err}");
    assert_eq!(err.line, Some(3));

    let err = refused(b"<testsuites/>\ntrailing words");
    assert_eq!(err.message, "text outside the root element");
    assert_eq!(err.line, Some(1));
}

#[test]
fn outcome_precedence() {
    let doc = br#"<testsuite name="s">
<testcase name="both"><error message="e"/><failure message="f"/></testcase>
<testcase name="flaky-then-failed"><failure message="final"/><flakyFailure message="first"/></testcase>
<testcase name="rerun-only"><rerunError message="once"/></testcase>
<testcase name="skip-and-error"><skipped/><error message="teardown"/></testcase>
</testsuite>"#;
    let run = read(doc).unwrap();
    let t = run.totals;
    // A rerun mark alone (Surefire and nextest write it beside the failure of a test that failed
    // every rerun) is no pass: it was read as a flaky pass.
    assert_eq!([t.total, t.passed, t.failed, t.skipped, t.errors, t.flaky], [4, 0, 2, 0, 2, 0]);
    let outcomes: Vec<_> = run.cases.iter().map(|c| (c.name.as_str(), c.outcome, c.message.as_deref())).collect();
    assert_eq!(
        outcomes,
        [
            ("both", Outcome::Failed, Some("f")),
            ("flaky-then-failed", Outcome::Failed, Some("final")),
            ("rerun-only", Outcome::Error, Some("once")),
            ("skip-and-error", Outcome::Error, Some("teardown")),
        ]
    );
    assert!(run.flaky.is_empty());
}

/// GoogleTest writes a disabled test as a `<testcase>` with `status="notrun"` (and, since 1.10,
/// `result="suppressed"`) and no child: it ran no test ("YOU HAVE 2 DISABLED TESTS", "PASSED 0
/// tests"), and was counted as passed.
#[test]
fn googletest_tests_that_did_not_run_are_skipped() {
    let doc = br#"<testsuites tests="3" failures="0" disabled="2" errors="0" name="AllTests">
<testsuite name="S" tests="3" failures="0" disabled="2" skipped="0" errors="0">
<testcase name="Ok" status="run" result="completed" classname="S"/>
<testcase name="DISABLED_A" status="notrun" result="suppressed" classname="S"/>
<testcase name="DISABLED_B" status="notrun" classname="S"/>
</testsuite></testsuites>"#;
    let t = read(doc).unwrap().totals;
    assert_eq!([t.total, t.passed, t.skipped], [3, 1, 2]);
}

/// behave writes a scenario a failed hook (`before_feature`) kept from running as
/// `status="untested"` with `<skipped/>`, and exits 1 ("1 untested"); it was counted as a skip
/// and approved. A deliberate skip says `status="skipped"`. (behave 1.3.3's output.)
#[test]
fn behave_scenarios_left_untested_did_not_run() {
    let doc = br#"<testsuite name="b.Hooks" tests="3" errors="0" failures="0" skipped="2" time="0.0" hostname="vm">
<testcase classname="b.Hooks" name="never runs" status="untested" time="0"><skipped /></testcase>
<testcase classname="b.Hooks" name="tagged out" status="skipped" time="0"><skipped /></testcase>
<testcase classname="b.Hooks" name="other ok" status="passed" time="7.5e-05"/>
</testsuite>"#;
    let run = read(doc).unwrap();
    let t = run.totals;
    assert_eq!([t.total, t.passed, t.failed, t.skipped], [3, 1, 1, 1]);
    let untested = run.cases.iter().find(|c| c.name == "never runs").unwrap();
    assert_eq!(untested.message.as_deref(), Some("not run: behave left it untested (a hook before it failed)"));
}

#[test]
fn long_messages_are_cut() {
    let long = "x".repeat(10 * MESSAGE_MAX);
    let doc = format!(
        "<testsuite><testcase name=\"a\"><failure message=\"{long}\"/></testcase>\
         <testcase name=\"b\"><failure>\n\n{long}\nsecond line</failure></testcase></testsuite>"
    );
    let run = read(doc.as_bytes()).unwrap();
    for case in &run.cases {
        let message = case.message.as_deref().unwrap();
        assert_eq!(message.chars().count(), MESSAGE_MAX + 1, "{}", case.name);
        assert!(message.ends_with('…'));
    }
}

#[test]
fn detection_helper_accepts_both_roots() {
    let root = |head: &[u8]| xml::root_element(head).unwrap();
    assert!(looks_like_junit(&root(b"<?xml version=\"1.0\"?><testsuites>")));
    assert!(looks_like_junit(&root(b"<testsuite name=\"x\">")));
    assert!(!looks_like_junit(&root(b"<coverage line-rate=\"1\">")));
}

/// More than 64 MiB without markup after passing cases the hot path read is the general path's
/// error, placed alike; so is such a run that a reference ending at the last byte of a read
/// buffer (where the hot path may look next) comes just before.
#[test]
fn a_run_too_long_after_the_hot_path_is_the_same_error() {
    let long = xml::MAX_RUN as usize;
    // The run is counted over whole reads without markup: two more MiB make sure of it.
    let after_cases = format!("<testsuite>\n<testcase name=\"a\"/>\n{}</testsuite>\n", "a".repeat(long + (2 << 20)));
    let at_a_buffer_end = format!("<testsuite>{}&amp;{}</testsuite>\n", "a".repeat(long - 16), "a".repeat(1 << 20));
    for xml in [after_cases, at_a_buffer_end] {
        let input = Source::bytes("junit.xml", xml.into_bytes());
        let read = |hot| format!("{:?}", parse_tuned(&input, Tuning { hot, ..Tuning::default() }));
        let general = read(false);
        assert!(general.contains("without any markup"), "{general}");
        assert_eq!(read(true), general);
    }
}
