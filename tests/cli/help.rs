//! `--help` teaches: snapshots keep it deliberate.

use crate::support::temis;

#[test]
fn top_level_help() {
    let r = temis(&["--help"]);
    assert_eq!(r.code, 0);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn report_help() {
    let r = temis(&["report", "--help"]);
    assert_eq!(r.code, 0);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn merge_help() {
    let r = temis(&["merge", "--help"]);
    assert_eq!(r.code, 0);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn gate_help() {
    let r = temis(&["gate", "--help"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("Exit codes: 0 APPROVED, 1 BLOCKED"), "{}", r.stdout);
    assert!(r.stdout.contains("target/site/jacoco/jacoco.xml"), "every conventional location is listed");
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn formats_lists_every_format() {
    let r = temis(&["formats"]);
    assert_eq!(r.code, 0);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn usage_errors_exit_2() {
    let r = temis(&["report"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("REPORT"), "{}", r.stderr);
    let r = temis(&["frobnicate"]);
    assert_eq!(r.code, 2);
}
