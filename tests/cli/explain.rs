//! `temis explain`: every code of the registry explained; an unknown one is a usage error that
//! suggests the closest code.

use crate::support::temis;

#[test]
fn a_code_prints_its_family_summary_and_fix() {
    let r = temis(&["explain", "waiver-expired"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("waiver-expired (waivers)\na waiver is past its expiry date"), "{}", r.stdout);
    assert!(r.stdout.contains("\nFix: "), "{}", r.stdout);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn without_a_code_every_code_is_listed_and_each_explains() {
    let r = temis(&["explain"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!(r.stdout);
    let codes: Vec<&str> = r.stdout.lines().map(|l| l.split_whitespace().next().unwrap()).collect();
    assert!(codes.len() >= 14, "{}", r.stdout);
    for code in codes {
        let e = temis(&["explain", code]);
        assert_eq!(e.code, 0, "{code}: {}", e.stderr);
        assert!(e.stdout.starts_with(code) && e.stdout.contains("Fix:"), "{code}:\n{}", e.stdout);
    }
}

#[test]
fn an_unknown_code_exits_2_with_a_suggestion() {
    let close = temis(&["explain", "waiver-expird"]);
    assert_eq!(close.code, 2);
    assert!(close.stdout.is_empty());
    assert_eq!(
        close.stderr,
        "error: unknown check code \"waiver-expird\"; did you mean waiver-expired? (`temis explain` lists them all)\n"
    );
    let far = temis(&["explain", "frobnicate"]);
    assert_eq!(far.code, 2);
    assert_eq!(far.stderr, "error: unknown check code \"frobnicate\" (`temis explain` lists them all)\n");
}
