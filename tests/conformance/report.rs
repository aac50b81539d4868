//! `temis report` on real reports of `corpus/`, for figures the fixtures show only in small.
//! (`ci/conformance.py` compares every corpus report's totals with its `expected.json`.)

use crate::support::{shared, temis};

fn corpus(rel: &str) -> String {
    shared("corpus").join(rel).display().to_string()
}

fn report(path: &str) -> serde_json::Value {
    let r = temis(&["report", "--format", "json", path]);
    assert_eq!(r.code, 0, "{path}: {}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    doc["reports"][0].clone()
}

fn pair(v: &serde_json::Value) -> (Option<u64>, Option<u64>) {
    (v["covered"].as_u64(), v["total"].as_u64())
}

#[test]
fn llvm_cov_lcov_uses_the_producers_totals_and_says_why() {
    let cov = report(&corpus("coverage/c-utf8h-clang-llvm-cov/coverage.lcov"))["coverage"].clone();
    assert_eq!(pair(&cov["lines"]), (Some(1868), Some(2153)));
    assert_eq!(cov["lines"]["percent"], 86.76);
    assert!(cov["notes"][0].as_str().unwrap().contains("hold 1105 of 1439"), "{}", cov["notes"]);
}

#[test]
fn repeated_sf_records_match_lcov_1_16() {
    let cov = report(&corpus("coverage/c-utf8h-gcov-lcov-duplicates-zero/test.info"))["coverage"].clone();
    assert_eq!(pair(&cov["lines"]), (Some(1474), Some(1623)));
    assert_eq!(pair(&cov["branches"]), (Some(1220), Some(6572)));
    assert_eq!(cov["files"].as_array().unwrap().len(), 6);
}

#[test]
fn pytest_subtests_note_the_stated_count() {
    let tests = report(&corpus("coverage/py-more-itertools-subtests/junit.xml"))["tests"].clone();
    assert_eq!(tests["total"], 765);
    assert_eq!(tests["notes"].as_array().map(Vec::len), Some(1));
    assert!(tests["notes"][0].as_str().unwrap().contains("tests=\"21959\""), "{}", tests["notes"]);
}
