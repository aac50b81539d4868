//! `temis report`: summaries, JSON, per-file rows, errors.

use crate::support::{fixture, scrub, temis, temis_in};

fn p(path: std::path::PathBuf) -> String {
    path.display().to_string()
}

// Tables are padded to the longest path: the report is named relative to its folder, so that the
// snapshot does not depend on where the project is checked out.

#[test]
fn human_summary_of_a_geninfo_file() {
    let r = temis_in(&fixture("coverage/lcov"), &["report", "geninfo.info"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn files_table_lists_uncovered_ranges_worst_first() {
    let r = temis_in(&fixture("coverage/lcov"), &["report", "--files", "--root", "/repo", "duplicate-sf.info"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn json_follows_the_report_contract() {
    let r = temis(&["report", "--format", "json", "--root", "/repo", &p(fixture("coverage/lcov/duplicate-sf.info"))]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["schema"], "temis.report/v2");
    let cov = &doc["reports"][0]["coverage"];
    assert_eq!(doc["reports"][0]["kind"], "coverage");
    assert_eq!(cov["files"][0]["path"], "include/util.h", "made relative to --root");
    insta::assert_snapshot!(scrub(&r.stdout));
}

/// v2 writes each file's uncovered lines as ranges on one line; `--format json-v1` still writes
/// v1, every line number; both say the same lines, and both read back as the temis-report format.
#[test]
fn json_v2_ranges_and_json_v1_numbers_say_the_same_lines_and_both_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let info = dir.path().join("cov.info");
    std::fs::write(&info, "SF:a.c\nDA:1,0\nDA:2,0\nDA:3,0\nDA:4,5\nDA:6,0\nDA:7,1\nDA:9,0\nend_of_record\n").unwrap();
    let v2 = temis(&["report", "--format", "json", &p(info.clone())]);
    assert_eq!(v2.code, 0, "{}", v2.stderr);
    assert!(v2.stdout.contains(r#""uncovered_ranges": [[1,3],[6,6],[9,9]]"#), "{}", v2.stdout);
    let v1 = temis(&["report", "--format", "json-v1", &p(info.clone())]);
    assert_eq!(v1.code, 0, "{}", v1.stderr);
    let doc: serde_json::Value = serde_json::from_str(&v1.stdout).unwrap();
    assert_eq!(doc["schema"], "temis.report/v1");
    assert_eq!(doc["reports"][0]["coverage"]["files"][0]["uncovered_lines"], serde_json::json!([1, 2, 3, 6, 9]));
    for (name, text) in [("v2.json", &v2.stdout), ("v1.json", &v1.stdout)] {
        let f = dir.path().join(name);
        std::fs::write(&f, text).unwrap();
        let back = temis(&["report", "--format", "json", &p(f)]);
        assert_eq!(back.code, 0, "{name}: {}", back.stderr);
        let doc: serde_json::Value = serde_json::from_str(&back.stdout).unwrap();
        assert_eq!(doc["reports"][0]["format"], "temis-report", "{name}");
        assert_eq!(doc["reports"][0]["coverage"]["lines"]["covered"], 2, "{name}");
        assert_eq!(doc["reports"][0]["coverage"]["lines"]["total"], 7, "{name}");
    }
}

/// llvm-cov's LCOV export states its own totals (`LF`/`LH`…) beside records that say more; temis
/// shows llvm-cov's figures and says why (the fixture's MAKE.md; at scale, `ci/conformance.sh`).
#[test]
fn llvm_cov_lcov_uses_the_producers_totals_and_says_why() {
    let r = temis(&["report", "--format", "json", &p(fixture("coverage/llvm-cov/two-programs/coverage.lcov"))]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let cov = &doc["reports"][0]["coverage"];
    // `llvm-cov report`'s TOTAL row: 17 lines, 1 missed (94.12 %); 8 branches, 2 missed; 4 functions.
    assert_eq!((cov["lines"]["covered"].as_u64(), cov["lines"]["total"].as_u64()), (Some(16), Some(17)));
    assert_eq!(cov["lines"]["percent"], 94.12);
    assert_eq!((cov["branches"]["covered"].as_u64(), cov["branches"]["total"].as_u64()), (Some(6), Some(8)));
    assert_eq!((cov["functions"]["covered"].as_u64(), cov["functions"]["total"].as_u64()), (Some(4), Some(4)));
    assert!(cov["notes"][0].as_str().unwrap().contains("hold 8 of 8"), "{}", cov["notes"]);
}

#[test]
fn nothing_coverable_is_said_not_shown_as_a_percentage() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("empty.info");
    std::fs::write(&f, "SF:a.c\nLF:0\nLH:0\nend_of_record\n").unwrap();
    let r = temis(&["report", &p(f.clone())]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("n/a (0/0)"), "{}", r.stdout);
    assert!(r.stdout.contains("nothing coverable"), "{}", r.stdout);
    let r = temis(&["report", "--format", "json", &p(f)]);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(doc["reports"][0]["coverage"]["lines"]["percent"].is_null());
}

#[test]
fn unreadable_inputs_exit_2_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&str, &[u8])] = &[
        ("empty.info", b""),
        ("binary.bin", b"\x7fELF\x02\x01\x01\x00\x00\x00"),
        ("unknown.txt", b"hello world\n"),
        ("truncated.info", b"SF:a.c\nDA:1,1\nDA:2,"),
        ("negative.info", b"SF:a.c\nDA:1,-4\nend_of_record\n"),
        ("latin1.info", b"SF:caf\xe9.c\nDA:1,x\xff\nend_of_record\n"),
    ];
    let mut all = String::new();
    for (name, bytes) in cases {
        let f = dir.path().join(name);
        std::fs::write(&f, bytes).unwrap();
        let r = temis(&["report", &p(f)]);
        assert_eq!(r.code, 2, "{name}: {}", r.stdout);
        assert!(r.stdout.is_empty(), "{name}: nothing on stdout");
        all.push_str(&r.stderr.replace(&dir.path().display().to_string(), "[TMP]"));
    }
    let r = temis(&["report", "/nonexistent/lcov.info"]);
    assert_eq!(r.code, 2);
    all.push_str(&r.stderr);
    insta::assert_snapshot!(all);
}

#[test]
fn input_format_overrides_detection() {
    let r = temis(&["report", "--input-format", "lcov", &p(fixture("coverage/lcov/geninfo.info"))]);
    assert_eq!(r.code, 0);
    let r = temis(&["report", "--input-format", "nonsense", &p(fixture("coverage/lcov/geninfo.info"))]);
    assert_eq!(r.code, 2, "a usage error");
    assert!(r.stderr.contains("possible values"), "{}", r.stderr);
}

#[test]
fn no_color_and_color_always() {
    let f = p(fixture("coverage/lcov/geninfo.info"));
    let plain = temis(&["report", &f]);
    assert!(!plain.stdout.contains('\u{1b}'), "not a terminal: no colour");
    let coloured = temis(&["report", "--color", "always", &f]);
    assert!(coloured.stdout.contains("\u{1b}["), "--color always colours");
}
