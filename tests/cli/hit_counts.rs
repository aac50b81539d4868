//! A hit count no producer writes — a fraction, a negative count, one past `u64::MAX` — in any
//! JSON coverage report is an error naming the file and the place (exit 2). Truncated, `0.5`
//! hits read as not run and `1.5` as run, and the report judged as if measured.

use crate::support::temis_in;

/// `temis report NAME` on `text` written to NAME: the exit code and stderr.
fn report(name: &str, text: &str) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), text).unwrap();
    let r = temis_in(dir.path(), &["report", name]);
    (r.code, r.stderr)
}

/// Each JSON coverage format, a report of it with `COUNT` where a count stands, and the line
/// the count is on. With `COUNT` a whole number, each reads.
const REPORTS: &[(&str, &str, u32)] = &[
    (
        "coverage-final.json",
        r#"{"a.js": {"path": "a.js", "statementMap": {"0": {"start": {"line": 1, "column": 0}, "end": {"line": 1, "column": 5}}},
 "fnMap": {}, "branchMap": {}, "s": {"0": COUNT}, "f": {}, "b": {}}}"#,
        2,
    ),
    (
        "coverage-summary.json",
        "{\"total\": {\"lines\": {\"total\": 4,\n\"covered\": COUNT, \"skipped\": 0, \"pct\": 25}}}",
        2,
    ),
    (
        "coverage.json",
        "{\"meta\": {\"format\": 3, \"branch_coverage\": false, \"show_contexts\": false}, \"files\": {\"a.py\": {\"executed_lines\": [1], \"missing_lines\": [],\n\"summary\": {\"covered_lines\": COUNT, \"num_statements\": 4}}}}",
        2,
    ),
    (
        "llvm-cov.json",
        "{\"data\":[{\"files\":[{\"filename\":\"a.c\",\n\"segments\":[[1,1,COUNT,true,true,false],[2,1,0,false,false,false]]}]}],\"type\":\"llvm.coverage.json.export\",\"version\":\"2.0.1\"}",
        2,
    ),
    (".resultset.json", "{\"RSpec\": {\"coverage\": {\"/a.rb\": {\"lines\": [1,\nCOUNT]}}, \"timestamp\": 1}}", 2),
    (
        "gcovr.json",
        "{\"gcovr/format_version\": \"0.14\", \"files\": [{\"file\": \"a.c\", \"lines\": [\n{\"line_number\": 1, \"count\": COUNT, \"branches\": []}], \"functions\": []}]}",
        2,
    ),
    (
        "coverage.cobertura.json",
        "{\"a.dll\": {\"a.cs\": {\"C\": {\"M\": {\"Lines\": {\"1\": 1,\n\"2\": COUNT}, \"Branches\": []}}}}}",
        2,
    ),
    (
        "tarpaulin-report.json",
        "{\"files\": [{\"path\": [\"/\", \"a.rs\"], \"content\": \"\", \"traces\": [\n{\"line\": 1, \"stats\": {\"Line\": COUNT}}], \"covered\": 0, \"coverable\": 1}], \"coverage\": 0.0, \"covered\": 0, \"coverable\": 1}",
        2,
    ),
];

#[test]
fn every_json_coverage_report_refuses_a_count_no_producer_writes_by_file_and_place() {
    for (name, text, line) in REPORTS {
        let (code, err) = report(name, &text.replace("COUNT", "1"));
        assert_eq!(code, 0, "{name} with a whole count: {err}");
        for count in ["0.5", "1.5", "-1", "1e300", "99999999999999999999999", "1e400"] {
            let (code, err) = report(name, &text.replace("COUNT", count));
            assert_eq!(code, 2, "{name} with {count} was read: {err}");
            assert!(err.starts_with(&format!("error: {name}:{line}:")), "{name} with {count}: {err}");
            assert!(
                ["not a whole number", "negative", "past the largest", "out of range", "expected u64"]
                    .iter()
                    .any(|why| err.contains(why)),
                "{name} with {count}: {err}"
            );
        }
    }
}
