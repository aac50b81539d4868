//! `temis merge`: shards summed as lcov sums them, written atomically.

use crate::support::{fixture, temis};

#[test]
fn shards_sum_like_lcov_a() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.info");
    let b = dir.path().join("b.info");
    std::fs::write(&a, "SF:/ci/shard1/src/x.c\nDA:1,1\nDA:2,0\nBRDA:2,0,0,0\nBRDA:2,0,1,-\nend_of_record\n").unwrap();
    std::fs::write(&b, "SF:/ci/shard2/src/x.c\nDA:1,2\nDA:2,3\nDA:3,0\nBRDA:2,0,0,1\nend_of_record\n").unwrap();
    let out = dir.path().join("merged.info");
    let r = temis(&[
        "merge",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--map",
        "/ci/shard1=",
        "--map",
        "/ci/shard2=",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, format!("merged 2 report(s) into {}: 1 files, lines 2/3, branches 1/2\n", out.display()));
    let merged = std::fs::read_to_string(&out).unwrap();
    insta::assert_snapshot!(merged);
    // What temis wrote reads back with the same totals.
    let r = temis(&["report", "--format", "json", out.to_str().unwrap()]);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["reports"][0]["coverage"]["lines"]["covered"], 2);
}

#[test]
fn json_output_by_extension() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("merged.json");
    let r = temis(&["merge", fixture("coverage/lcov/geninfo.info").to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(doc["schema"], "temis.report/v2");
    assert_eq!(doc["reports"][0]["coverage"]["branches"]["total"], 4);
    // v1 on request; both read back whole, to the same lines.
    let v1 = dir.path().join("merged-v1.json");
    let input = fixture("coverage/lcov/geninfo.info");
    let r = temis(&["merge", input.to_str().unwrap(), "-o", v1.to_str().unwrap(), "--output-format", "json-v1"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&v1).unwrap()).unwrap();
    assert_eq!(doc["schema"], "temis.report/v1");
    let back = |f: &std::path::Path| {
        let r = temis(&["report", "--format", "json", f.to_str().unwrap()]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let mut doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        doc["reports"][0]["path"] = serde_json::Value::Null;
        doc
    };
    let (from_v2, from_v1) = (back(&out), back(&v1));
    assert_eq!(from_v2, from_v1);
    assert!(from_v2["reports"][0]["coverage"]["files"][0]["uncovered_ranges"].is_array(), "{from_v2}");
}

#[test]
fn a_bad_input_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("merged.info");
    std::fs::write(&out, "previous content\n").unwrap();
    let bad = dir.path().join("bad.info");
    std::fs::write(&bad, "SF:a\nDA:x\n").unwrap();
    let r = temis(&[
        "merge",
        fixture("coverage/lcov/geninfo.info").to_str().unwrap(),
        bad.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous content\n", "the old output is untouched");
}

/// Two shards of one Go package: blocks merge as `go tool cover` merges them, so the figures are
/// statements (3 + 2 + 4 = 9, of which the blocks some shard ran: 3 + 4), not lines.
#[test]
fn go_profiles_merge_block_by_block_and_keep_statements() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("a.out"),
        "mode: count\nex.com/m/x.go:3.10,6.2 3 1\nex.com/m/x.go:7.10,8.2 2 0\nex.com/m/x.go:9.1,12.2 4 0\n",
    )
    .unwrap();
    std::fs::write(
        d.join("b.out"),
        "mode: count\nex.com/m/x.go:3.10,6.2 3 2\nex.com/m/x.go:7.10,8.2 2 0\nex.com/m/x.go:9.1,12.2 4 5",
    )
    .unwrap();
    let out = d.join("merged.json");
    let r = temis(&[
        "merge",
        d.join("a.out").to_str().unwrap(),
        d.join("b.out").to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let lines = &doc["reports"][0]["coverage"]["lines"];
    assert_eq!((lines["covered"].as_u64(), lines["total"].as_u64()), (Some(7), Some(9)), "{doc}");

    // A profile of another mode is refused, naming both; a block whose statement count differs
    // (another version of the source) is refused, naming its file.
    std::fs::write(d.join("c.out"), "mode: set\nex.com/m/x.go:3.10,6.2 3 1\n").unwrap();
    let r = temis(&[
        "merge",
        d.join("a.out").to_str().unwrap(),
        d.join("c.out").to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("c.out is a `set` Go profile and") && r.stderr.contains("a.out a `count` one"),
        "{}",
        r.stderr
    );
    std::fs::write(d.join("d.out"), "mode: count\nex.com/m/x.go:9.1,12.2 4 0\nex.com/m/x.go:3.10,6.2 5 1\n").unwrap();
    let r = temis(&[
        "merge",
        d.join("a.out").to_str().unwrap(),
        d.join("d.out").to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("1 Go block(s) of ex.com/m/x.go have different statement counts"), "{}", r.stderr);
}

/// issue 14: the merged Go profile keeps Go's statements (LCOV is refused for them), and reads
/// back; JSON output reads back too (`temis report merged.json` was "unrecognised").
#[test]
fn merged_reports_read_back_and_go_keeps_its_statements() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.out"), "mode: set\nex.com/m/x.go:3.10,6.2 3 1\nex.com/m/x.go:7.10,8.2 2 0\n").unwrap();
    std::fs::write(d.join("b.out"), "mode: set\nex.com/m/x.go:7.10,8.2 2 1\nex.com/m/y.go:1.1,2.2 4 0\n").unwrap();
    let (a, b) = (d.join("a.out"), d.join("b.out"));
    let r = temis(&["merge", a.to_str().unwrap(), b.to_str().unwrap(), "-o", d.join("m.out").to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("statements 5/9"), "{}", r.stdout);
    let profile = std::fs::read_to_string(d.join("m.out")).unwrap();
    assert_eq!(
        profile,
        "mode: set\nex.com/m/x.go:3.10,6.2 3 1\nex.com/m/x.go:7.10,8.2 2 1\nex.com/m/y.go:1.1,2.2 4 0\n"
    );
    let info = d.join("m.info");
    let r = temis(&[
        "merge",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--output-format",
        "lcov",
        "-o",
        info.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("LCOV counts lines and Go counts statements"), "{}", r.stderr);
    let json = d.join("m.json");
    let r = temis(&["merge", a.to_str().unwrap(), b.to_str().unwrap(), "-o", json.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for merged in [d.join("m.out"), json] {
        let r = temis(&["report", "--format", "json", merged.to_str().unwrap()]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        let lines = &doc["reports"][0]["coverage"]["lines"];
        assert_eq!((lines["covered"].as_u64(), lines["total"].as_u64()), (Some(5), Some(9)), "{doc}");
    }
    // Gating the shards together gives what gating their merge gives.
    let policy = d.join("p.toml");
    std::fs::write(&policy, "[coverage]\nmin_line = 50\n[tests]\nrequired = false\n").unwrap();
    let figure = |reports: &[&std::path::Path]| {
        let mut args = vec!["gate", "--format", "json", "--policy", policy.to_str().unwrap()];
        args.extend(reports.iter().map(|p| p.to_str().unwrap()));
        let r = temis(&args);
        let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap_or_default();
        (doc["figures"]["lines_covered"].clone(), doc["figures"]["lines_total"].clone(), r.code)
    };
    assert_eq!(figure(&[&a, &b]), (5.into(), 9.into(), 0));
    assert_eq!(figure(&[&d.join("m.out")]), figure(&[&a, &b]));
    assert_eq!(figure(&[&d.join("m.json")]), figure(&[&a, &b]));
}

/// Two shards that give only a file's totals (Istanbul's coverage-summary.json) were summed: 3
/// of 5 and 4 of 5 lines made 7 of 10 for a 5-line file, and the gate approved. Their merge has
/// no answer: `temis merge` and the gate refuse it (exit 2), naming the file.
#[test]
fn shards_that_give_only_totals_of_one_file_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let summary = |covered: u32| {
        format!(
            r#"{{"total":{{"lines":{{"total":5,"covered":{covered},"pct":0}}}},"a.js":{{"lines":{{"total":5,"covered":{covered},"pct":0}}}}}}"#
        )
    };
    let (a, b) = (dir.path().join("s1.json"), dir.path().join("s2.json"));
    std::fs::write(&a, summary(3)).unwrap();
    std::fs::write(&b, summary(4)).unwrap();
    let out = dir.path().join("merged.json");
    let r = temis(&["merge", a.to_str().unwrap(), b.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("both give a.js, one of them only its totals"), "{}", r.stderr);
    let r = crate::support::temis_in(dir.path(), &["gate", "--root", ".", "s1.json", "s2.json"]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
}

/// `-o` onto a file of the user's replaced it without a word; onto an input, the input was lost.
/// An existing output is replaced only when it is a coverage report (an earlier merge's).
#[test]
fn the_output_never_replaces_a_file_that_is_not_a_coverage_report() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let a = d.join("a.info");
    std::fs::write(&a, "SF:src/x.c\nDA:1,1\nend_of_record\n").unwrap();
    let notes = d.join("notes.txt");
    std::fs::write(&notes, "my notes\n").unwrap();
    let r = temis(&["merge", a.to_str().unwrap(), "-o", notes.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("exists and is not a coverage report"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "my notes\n");
    // An earlier merge is replaced, also when a glob names it among the shards (left out); an
    // empty file (`mktemp`'s) is written.
    let out = d.join("merged.info");
    assert_eq!(temis(&["merge", a.to_str().unwrap(), "-o", out.to_str().unwrap()]).code, 0);
    let r = temis(&["merge", a.to_str().unwrap(), out.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("is the output: an earlier merge of the other inputs"), "{}", r.stderr);
    assert!(r.stdout.starts_with("merged 1 report(s)"), "{}", r.stdout);
    // A shard named as the output too (`merge a.info b.info -o a.info`) is no earlier merge:
    // written over with b alone, the lines only a covered were lost.
    let b = d.join("b.info");
    std::fs::write(
        &b,
        "SF:src/x.c
DA:1,0
DA:2,1
end_of_record
",
    )
    .unwrap();
    let before = std::fs::read(&a).unwrap();
    let r = temis(&["merge", a.to_str().unwrap(), b.to_str().unwrap(), "-o", a.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("measures a line the other inputs do not (src/x.c:1): it is a shard"), "{}", r.stderr);
    assert_eq!(std::fs::read(&a).unwrap(), before);
    // A shard of a file no other input measures, every line uncovered: the file would vanish
    // from the result, and the figure rise.
    let c = d.join("c.info");
    std::fs::write(&c, "SF:src/only.c\nDA:1,0\nDA:2,0\nend_of_record\n").unwrap();
    let before = std::fs::read(&c).unwrap();
    let r = temis(&["merge", b.to_str().unwrap(), c.to_str().unwrap(), "-o", c.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("(src/only.c:1): it is a shard"), "{}", r.stderr);
    assert_eq!(std::fs::read(&c).unwrap(), before);
    let empty = d.join("tmp.info");
    std::fs::write(&empty, "").unwrap();
    assert_eq!(temis(&["merge", a.to_str().unwrap(), "-o", empty.to_str().unwrap()]).code, 0);
    // `-o` onto a symbolic link (a merge kept in a shared folder) writes the file it names and
    // keeps the link, which a rename over it replaced.
    #[cfg(unix)]
    {
        std::fs::create_dir(d.join("shared")).unwrap();
        let link = d.join("linked.info");
        std::os::unix::fs::symlink("shared/merged.info", &link).unwrap();
        let r = temis(&["merge", a.to_str().unwrap(), "-o", link.to_str().unwrap()]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert!(std::fs::read_to_string(d.join("shared/merged.info")).unwrap().contains("SF:src/x.c"));
    }
}

/// A merged report is as old as its oldest shard: a shard older than the code it measures keeps
/// the merge stale, where the merge's own new time hid it.
#[test]
fn the_merged_report_is_as_old_as_its_oldest_shard() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (a, b) = (d.join("a.info"), d.join("b.info"));
    std::fs::write(&a, "SF:src/x.c\nDA:1,1\nend_of_record\n").unwrap();
    std::fs::write(&b, "SF:src/y.c\nDA:1,1\nend_of_record\n").unwrap();
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::options().write(true).open(&a).unwrap().set_modified(old).unwrap();
    let out = d.join("merged.info");
    let r = temis(&["merge", a.to_str().unwrap(), b.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let written = std::fs::metadata(&out).unwrap().modified().unwrap();
    assert_eq!(written, old);
}

/// An LCOV shard and a Cobertura shard merged into JSON: the document said `"format": "lcov"`,
/// a producer neither shard had; it says it is temis's own merge, and reads back.
#[test]
fn a_merge_of_two_formats_says_it_is_temis_s_own() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.info"), "SF:src/x.c\nDA:1,1\nDA:2,0\nend_of_record\n").unwrap();
    std::fs::write(
        d.join("b.xml"),
        r#"<?xml version="1.0" ?>
<coverage line-rate="0.5" branch-rate="0" lines-covered="1" lines-valid="2" version="7.4" timestamp="1">
<sources><source>.</source></sources>
<packages><package name="src" line-rate="0.5"><classes><class name="x.c" filename="src/x.c" line-rate="0.5">
<methods/><lines><line number="1" hits="0"/><line number="2" hits="3"/></lines></class></classes></package></packages>
</coverage>
"#,
    )
    .unwrap();
    let out = d.join("merged.json");
    let r = crate::support::temis_in(d, &["merge", "a.info", "b.xml", "-o", "merged.json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("came from inputs of different formats"), "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(doc["reports"][0]["format"], "temis-report", "{doc:#}");
    let r = crate::support::temis_in(d, &["report", "merged.json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("100"), "both lines covered in one input or the other: {}", r.stdout);
}

/// coverage.py with `relative_files = true` writes `<source>app</source>` and
/// `filename="core.py"`: the merge wrote `SF:core.py` (no such file), and beside an LCOV shard's
/// `app/core.py` it listed the file twice (24/36, where `coverage combine` says 16/18). In a
/// repository, each shard's paths are resolved as the gate resolves them.
#[test]
fn shards_naming_one_file_two_ways_merge_as_that_file() {
    let dir = crate::support::repo();
    let d = dir.path();
    crate::support::write(d, "app/core.py", "a = 1\nb = 2\nc = 3\nd = 4\n");
    crate::support::git(d, &["add", "app/core.py"]);
    crate::support::git(d, &["commit", "-q", "-m", "feat: core"]);
    let xml = r#"<?xml version="1.0" ?>
<coverage version="7.6.1" timestamp="1" lines-valid="4" lines-covered="2" line-rate="0.5" branches-covered="0" branches-valid="0" branch-rate="0" complexity="0">
	<sources><source>app</source></sources>
	<packages><package name="." line-rate="0.5" branch-rate="0" complexity="0"><classes>
		<class name="core.py" filename="core.py" complexity="0" line-rate="0.5" branch-rate="0"><methods/><lines>
			<line number="1" hits="1"/><line number="2" hits="1"/><line number="3" hits="0"/><line number="4" hits="0"/>
		</lines></class>
	</classes></package></packages>
</coverage>
"#;
    crate::support::write(d, "a/coverage.xml", xml);
    crate::support::write(d, "b/lcov.info", "SF:app/core.py\nDA:1,0\nDA:2,0\nDA:3,1\nDA:4,0\nend_of_record\n");
    let r = crate::support::temis_in(d, &["merge", "a/coverage.xml", "b/lcov.info", "-o", "merged.info"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let merged = std::fs::read_to_string(d.join("merged.info")).unwrap();
    assert_eq!(merged.matches("SF:").count(), 1, "{merged}");
    assert!(merged.contains("SF:app/core.py"), "{merged}");
    assert!(r.stdout.contains("1 files, lines 3/4"), "{}", r.stdout);
}
