use super::*;

fn read(text: &str) -> Result<SecurityReport, ParseError> {
    parse(&Source::bytes("t.sarif", text.as_bytes()))
}

fn fixture(name: &str) -> SecurityReport {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/security/sarif").join(name);
    parse(&Source::open(&path).unwrap()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn codeql_style_results_without_levels_take_them_from_their_rules() {
    let r = fixture("codeql-no-levels.sarif");
    let sev: Vec<(&str, Severity)> = r.findings.iter().map(|f| (f.rule.as_deref().unwrap(), f.severity)).collect();
    assert_eq!(
        sev,
        vec![
            ("py/sql-injection", Severity::High),      // ruleIndex 0: defaultConfiguration error
            ("py/weak-crypto", Severity::Medium),      // ruleIndex 1: no configuration → warning
            ("py/unused-import", Severity::Low),       // found by ruleId: note
            ("py/path-injection", Severity::Critical), // rule in an extension, security-severity 9.1
        ]
    );
    assert_eq!(r.findings[0].cwe, vec![89]);
    assert_eq!(r.findings[3].cwe, vec![22, 23]);
    assert_eq!(r.findings[0].path.as_deref(), Some("/home/runner/work/app/app/src/db.py"));
    assert_eq!(r.findings[0].line, Some(12));
    assert_eq!(r.findings[0].native_severity.as_deref(), Some("error"));
}

#[test]
fn rule_index_wins_over_rule_id() {
    let text = r#"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t","rules":[
        {"id":"a","defaultConfiguration":{"level":"error"}},{"id":"b","defaultConfiguration":{"level":"note"}}]}},
        "results":[{"ruleId":"a","ruleIndex":1,"message":{"text":"m"}}]}]}"#;
    let r = read(text).unwrap();
    assert_eq!(r.findings[0].severity, Severity::Low, "ruleIndex 1 is rule b (note)");
}

#[test]
fn effective_level_follows_sarif_3_27_10() {
    let text = r#"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t","rules":[
        {"id":"r1","defaultConfiguration":{"level":"note"}}]}},
        "invocations":[{"executionSuccessful":true,"ruleConfigurationOverrides":[
            {"descriptor":{"id":"r1"},"configuration":{"level":"error"}}]}],
        "results":[
          {"ruleId":"r1","message":{"text":"override wins over the default"}},
          {"ruleId":"r1","level":"warning","message":{"text":"the result's own level wins"}},
          {"ruleId":"r1","kind":"review","message":{"text":"kind not fail: none"}},
          {"ruleId":"r1","kind":"pass","message":{"text":"not a finding"}},
          {"ruleId":"zz","message":{"text":"unknown rule: warning"}}]}]}"#;
    let r = read(text).unwrap();
    let sev: Vec<Severity> = r.findings.iter().map(|f| f.severity).collect();
    assert_eq!(sev, vec![Severity::High, Severity::Medium, Severity::Info, Severity::Medium]);
    assert_eq!(r.extra["not_findings"], 1);
}

#[test]
fn security_severity_of_the_result_then_the_rule_uses_githubs_cut_offs() {
    let text = r#"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t","rules":[
        {"id":"r","defaultConfiguration":{"level":"note"},"properties":{"security-severity":"7.0"}}]}},
        "results":[{"ruleId":"r","message":{"text":"a"}},
                   {"ruleId":"r","message":{"text":"b"},"properties":{"security-severity":"9.0"}},
                   {"ruleId":"r","message":{"text":"c"},"properties":{"security-severity":"0.0"}}]}]}"#;
    let r = read(text).unwrap();
    let sev: Vec<Severity> = r.findings.iter().map(|f| f.severity).collect();
    // A result's 0.0 is no security severity (GitHub), so its level decides: note → low.
    assert_eq!(sev, vec![Severity::High, Severity::Critical, Severity::Low]);
}

#[test]
fn suppressions_and_baseline_state() {
    let text = r#"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[
        {"ruleId":"a","message":{"text":"1"},"suppressions":[{"kind":"inSource"}]},
        {"ruleId":"a","message":{"text":"2"},"suppressions":[{"kind":"external","status":"underReview"}]},
        {"ruleId":"a","message":{"text":"3"},"baselineState":"absent"},
        {"ruleId":"b","message":{"text":"4"},"baselineState":"new"}]}]}"#;
    let r = read(text).unwrap();
    let s = r.summary();
    assert_eq!((s.total, s.suppressed, s.rules), (2, 1, 2));
    assert_eq!(r.findings[2].baseline_state.as_deref(), Some("new"));
    assert_eq!(r.extra["baseline_absent"], 1);
}

#[test]
fn several_runs_extensions_and_uri_bases() {
    let text = r#"{"version":"2.1.0","runs":[
      {"tool":{"driver":{"name":"one"}},"results":[{"ruleId":"x","message":{"text":"m"},
        "locations":[{"physicalLocation":{"artifactLocation":{"uri":"src/a%20b.py","uriBaseId":"SRC"}}}]}],
       "originalUriBaseIds":{"SRC":{"uri":"lib/","uriBaseId":"ROOT"},"ROOT":{"uri":"file:///repo/"}}},
      {"results":[{"rule":{"id":"y","index":0,"toolComponent":{"index":0}},"message":{"text":"n"},
        "locations":[{"physicalLocation":{"artifactLocation":{"index":0},"region":{"startLine":3}}}]}],
       "artifacts":[{"location":{"uri":"file:///repo/z.js"}}],
       "tool":{"driver":{"name":"two"},"extensions":[{"name":"pack","rules":[
         {"id":"y","defaultConfiguration":{"level":"error"},"properties":{"tags":["external/cwe/cwe-079"]}}]}]}}]}"#;
    let r = read(text).unwrap();
    assert_eq!(r.tools, vec!["one", "two"]);
    assert_eq!(r.findings[0].path.as_deref(), Some("/repo/lib/src/a b.py"));
    assert_eq!(r.findings[1].path.as_deref(), Some("/repo/z.js"));
    assert_eq!((r.findings[1].severity, r.findings[1].cwe.clone()), (Severity::High, vec![79]));
    assert_eq!(r.findings[1].tool, "two", "the tool object may come after the results");
}

/// Only `%` and two hex digits is an escape (`%+5` is not byte 5); what does not decode to
/// UTF-8 stays as written.
#[test]
fn percent_escapes_are_two_hex_digits() {
    for (uri, path) in [
        ("src/a%20b.py", "src/a b.py"),
        ("%E2%82%AC.py", "€.py"),
        ("%C3%A9%2", "é%2"),
        ("%+5x", "%+5x"),
        ("%-1/%zz/a%/a%4", "%-1/%zz/a%/a%4"),
        ("%FF.py", "%FF.py"),
    ] {
        assert_eq!(super::percent_decode(uri), path, "{uri}");
    }
}

#[test]
fn a_failed_run_is_not_a_clean_scan() {
    let text = r#"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},
        "invocations":[{"executionSuccessful":false,"toolExecutionNotifications":[
            {"level":"error","message":{"text":"database not found"}}]}],"results":[]}]}"#;
    let r = read(text).unwrap();
    assert!(r.is_incomplete());
    assert!(r.incomplete[0].contains("database not found"), "{:?}", r.incomplete);
    let r = read(r#"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":null}]}"#).unwrap();
    assert!(r.is_incomplete(), "results null: the tool did not finish");
}

#[test]
fn a_run_key_given_twice_is_an_error_not_the_last_one_winning() {
    // The first `invocations` says the scan failed; the first `tool` holds the critical rule.
    let failed = r#"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},
        "invocations":[{"executionSuccessful":false}],"invocations":[{"executionSuccessful":true}],"results":[]}]}"#;
    let critical = r#"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t","rules":[{"id":"r",
        "properties":{"security-severity":"9.8"}}]}},"tool":{"driver":{"name":"t"}},"results":[{"ruleId":"r"}]}]}"#;
    let twice = r#"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":null,"results":[]}]}"#;
    for (text, key) in [(failed, "invocations"), (critical, "tool"), (twice, "results")] {
        let e = read(text).unwrap_err();
        assert!(e.message.contains(&format!("duplicate field `{key}`")) && e.line.is_some(), "{e}");
    }
}

#[test]
fn no_run_or_a_run_that_does_not_say_how_it_went_is_not_a_clean_scan() {
    let r = read(r#"{"version":"2.1.0","runs":[]}"#).unwrap();
    assert!(r.incomplete.iter().any(|w| w.contains("no run")), "{:?}", r.incomplete);
    let e = read(
        r#"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},
        "invocations":[{"executionSuccessful":null}],"results":[]}]}"#,
    )
    .unwrap_err();
    assert!(e.message.contains("executionSuccessful") && e.message.contains("boolean"), "{e}");
}

/// Semgrep 1.187's SARIF when every rule timed out on the file (`--timeout`): no result, and the
/// timeouts only as warning-level execution notifications, which were dropped — approved, with
/// nothing said. They are said (a warning row: what they name was not fully scanned).
#[test]
fn warnings_of_the_runs_execution_are_said() {
    let log = r#"{"version":"2.1.0","runs":[{"invocations":[{"executionSuccessful":true,"toolExecutionNotifications":[
        {"descriptor":{"id":"Timeout"},"level":"warning","message":{"text":"Timeout when running shell-true on src/app.py:\n "}}]}],
        "results":[],"tool":{"driver":{"name":"Semgrep OSS","rules":[{"id":"shell-true"}]}}}]}"#;
    let r = read(log).unwrap();
    assert_eq!(r.errors, ["run 1 (Semgrep OSS): warning: Timeout when running shell-true on src/app.py:"]);
    assert!(!r.is_incomplete(), "{r:?}");
}

/// Two bandit runs in one log (`sarif-tools` copy of two scans): the first filtered a high
/// finding out (`-lll` … `-ll`), the second filtered nothing; the second's totals replaced the
/// first's, and the hidden high passed. Each run's totals are added up.
#[test]
fn bandit_runs_in_one_log_add_up_what_each_left_out() {
    let run = |high: u32, nosec: u32| {
        format!(
            r#"{{"tool":{{"driver":{{"name":"Bandit"}}}},"results":[],"properties":{{"metrics":{{"_totals":
            {{"SEVERITY.HIGH":{high},"SEVERITY.MEDIUM":0,"SEVERITY.LOW":0,"SEVERITY.UNDEFINED":0,"nosec":{nosec},"skipped_tests":0}}}}}}}}"#
        )
    };
    let log = format!(r#"{{"version":"2.1.0","runs":[{},{},{}]}}"#, run(1, 1), run(0, 2), run(2, 0));
    let r = read(&log).unwrap();
    assert_eq!(r.filtered, [(crate::model::security::Severity::High, 3)]);
    assert_eq!(r.unlisted_suppressed.as_ref().and_then(|u| u.count), Some(3));
    assert_eq!(r.extra["metrics_totals"]["SEVERITY.HIGH"], 3);
    // Counts no scan reaches (the fuzzer's `skipped_tests` of u64::MAX overflowed a sum): left out.
    let absurd = run(1, 1).replace(r#""skipped_tests":0"#, r#""skipped_tests":18446744073709551615"#);
    let r = read(&format!(r#"{{"version":"2.1.0","runs":[{absurd},{}]}}"#, run(1, 1))).unwrap();
    assert_eq!(r.unlisted_suppressed.as_ref().and_then(|u| u.count), Some(2));
}

#[test]
fn errors_with_no_rule_and_no_result_are_a_failed_scan() {
    // Semgrep 1.187's SARIF for an invalid rule: `executionSuccessful: true` all the same.
    let bad = r#"{"version":"2.1.0","runs":[{"invocations":[{"executionSuccessful":true,"toolExecutionNotifications":[
        {"level":"error","message":{"text":"invalid rule bad-rule"}}]}],"results":[],
        "tool":{"driver":{"name":"Semgrep OSS","rules":[]}}}]}"#;
    let r = read(bad).unwrap();
    assert!(r.incomplete.len() == 1 && r.incomplete[0].contains("ran no rule: invalid rule bad-rule"), "{r:?}");
    // Rules that ran beside an error about no file (Semgrep 1.187, one rule of two that does not
    // parse: "Rule parse error", exit 2): that rule never ran.
    let ran = bad.replace(r#""rules":[]"#, r#""rules":[{"id":"r"}]"#);
    let r = read(&ran).unwrap();
    assert!(r.incomplete.len() == 1 && r.incomplete[0].contains("an error about no file"), "{r:?}");
    // Beside an error about a file it could not parse: an error, not a failed scan.
    let file = ran.replace(
        r#""message":{"text":"invalid rule bad-rule"}"#,
        r#""message":{"text":"b.py: syntax error"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"b.py"}}}]"#,
    );
    let r = read(&file).unwrap();
    assert!(!r.is_incomplete() && r.errors.len() == 1, "{r:?}");
}

#[test]
fn hostile_inputs_are_placed_errors() {
    let e = read(r#"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[{"ruleId":"#).unwrap_err();
    assert!(e.line.is_some() && e.message.contains("truncated"), "{e}");
    let e = read(r#"{"version":"2.1.0"}"#).unwrap_err();
    assert!(e.message.contains("no `runs`"), "{e}");
    let e = read(
        r#"{"runs":[{"tool":{"driver":{"name":"t"}},"results":[{"locations":[{"physicalLocation":
        {"region":{"startLine":99999999999}}}]}]}]}"#,
    )
    .unwrap_err();
    assert!(e.message.contains("out of range") && e.line == Some(2), "{e}");
    let deep = format!(
        r#"{{"runs":[{{"tool":{{"driver":{{"name":"t"}}}},"results":[{{"ruleId":"a","codeFlows":{}1{}}}]}}]}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let r = read(&deep).expect("deep nesting inside a skipped value costs no stack");
    assert_eq!(r.findings.len(), 1);
    let bad = parse(&Source::bytes("u", &b"{\"runs\":[{\"tool\":{\"driver\":{\"name\":\"\xff\"}}}]}"[..]));
    assert!(bad.unwrap_err().message.contains("UTF-8"));
    assert!(read("[1, 2]").is_err());
}

/// Three runs of many results each (rules in the driver and an extension; a run whose tool and
/// base URIs come after its results; results that are not findings, fixed since the baseline or
/// suppressed; text that looks like a cut or a member; now and then a nested object that begins
/// as a result does), read a chunk of results at a time on 1 to 4 threads, a result or a few to a
/// chunk: the log read whole. Damaged, or with `results` where chunks cannot be proven, the same
/// too.
#[test]
fn a_large_log_read_in_chunks_is_the_log_read_whole() {
    use crate::input::Split;
    let result = |run: usize, i: usize| {
        let extra = match i % 9 {
            1 => r#","kind":"pass""#.to_string(),
            2 => r#","baselineState":"absent""#.to_string(),
            3 => r#","suppressions":[{"kind":"inSource"}]"#.to_string(),
            4 => r#","ruleIndex":2"#.to_string(),
            5 => r#","rule":{"id":"e1","toolComponent":{"name":"pack"}}"#.to_string(),
            6 => r#","level":"note""#.to_string(),
            _ => String::new(),
        };
        let nested = if i % 50 == 7 { r#",{"ruleId":"nested","id":2}"# } else { "" };
        format!(
            r#"{{"ruleId":"r{}","message":{{"text":"finding {i} of run {run}: ,{{\"ruleId\":\"x\"}} and \"results\":[1]"}},"locations":[{{"physicalLocation":{{"artifactLocation":{{"uri":"src/f{i}.py","uriBaseId":"SRC"}},"region":{{"startLine":{}}}}}}}],"relatedLocations":[{{"id":1,"message":{{"text":"here"}}}}{nested}],"partialFingerprints":{{"primaryLocationLineHash":"{run}:{i}"}}{extra}}}"#,
            i % 5,
            i + 1
        )
    };
    let rules: Vec<String> = (0..5)
        .map(|i| {
            format!(
                r#"{{"id":"r{i}","defaultConfiguration":{{"level":"{}"}},"properties":{{"tags":["external/cwe/cwe-{}"],"security-severity":"{}.5"}}}}"#,
                ["error", "warning"][i % 2],
                20 + i,
                i * 2
            )
        })
        .collect();
    let tool = |run: usize| {
        format!(
            r#"{{"driver":{{"name":"tool{run}","rules":[{}]}},"extensions":[{{"name":"pack","rules":[{{"id":"e1","properties":{{"security-severity":"9.8"}}}}]}}]}}"#,
            rules.join(",")
        )
    };
    let results = |run: usize| format!("[{}]", (0..300).map(|i| result(run, i)).collect::<Vec<_>>().join(","));
    let bases = r#"{"SRC":{"uri":"file:///repo/"}}"#;
    let runs = format!(
        r#"[{{"tool":{},"originalUriBaseIds":{bases},"results":{},"invocations":[{{"executionSuccessful":true}}]}},
{{"invocations":[{{"executionSuccessful":true}}],"results":{},"tool":{},"originalUriBaseIds":{bases}}},
{{"tool":{},"results":{}}}]"#,
        tool(0),
        results(0),
        results(1),
        tool(1),
        tool(2),
        results(2)
    );
    let doc = format!(r#"{{"version":"2.1.0","$schema":"s","runs":{runs}}}"#);
    let source = |text: &str, split: Split| Source::bytes("big.sarif", text.as_bytes()).with_split(split);
    let on = |text: &str, split: Split| parse(&source(text, split));
    // Whether the chunks gave the whole log (else `parse` read it in one go).
    let chunked = |text: &str, split: Split| {
        read_in_chunks(&source(text, split), &mut SecurityReport::default(), &mut State::default())
    };
    let whole = on(&doc, Split::none()).unwrap();
    assert_eq!(whole.tools, ["tool0", "tool1", "tool2"]);
    assert!(whole.findings.len() > 600, "{}", whole.findings.len());
    assert!(whole.findings.iter().any(|f| f.path.as_deref() == Some("/repo/src/f8.py")), "tool after results");
    let splits = [1, 2, 3, 4].map(|threads| Split { threads, min_len: 0 });
    for split in splits.into_iter().chain([Split { threads: 2, min_len: 16 << 10 }]) {
        assert_eq!(chunked(&doc, split), Ok(()), "{split:?}");
        assert_eq!(on(&doc, split).unwrap(), whole, "{split:?}");
    }
    // Read from a file, as a user gives it.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.sarif");
    std::fs::write(&path, &doc).unwrap();
    let file = Source::open(&path).unwrap().with_split(splits[1]);
    assert_eq!(read_in_chunks(&file, &mut SecurityReport::default(), &mut State::default()), Ok(()));
    assert_eq!(parse(&file).unwrap(), whole);
    // Written on lines, a run with no result, a first run with none, no results at all, `null`:
    // read in chunks, as one walk reads them.
    let empty = doc.replacen(r#""results":["#, r#""results":[],"later":["#, 1);
    let no_results = doc.replacen(r#""results":["#, r#""results":null,"later":["#, 2);
    let lines = doc.replace(r#"},{"ruleId""#, "},\r\n    {\"ruleId\"");
    for text in [&lines, &empty, &no_results] {
        assert_ne!(text, &doc);
        assert_eq!(chunked(text, splits[1]), Ok(()), "{}", &text[..300]);
        assert_eq!(on(text, splits[1]), on(text, Split::none()));
    }
    let same = |text: &str| {
        assert_ne!(text, doc);
        let whole = on(text, Split::none());
        for split in [splits[1], Split { threads: 2, min_len: 16 << 10 }] {
            assert_eq!(on(text, split), whole, "{}", &text[..text.len().min(300)]);
        }
    };
    // Damaged: cut short, a wrong type deep in a run, a stray value between results, a form feed
    // (not JSON whitespace) where a cut stands.
    same(&doc[..doc.len() - 2000]);
    // A run's `results` given twice, an empty list before the large one: refused, read in
    // chunks or whole.
    let middle =
        doc.replacen(r#""tool":{"driver":{"name":"tool2""#, r#""results":[],"tool":{"driver":{"name":"tool2""#, 1);
    same(&middle);
    assert!(on(&middle, splits[1]).unwrap_err().message.contains("duplicate field `results`"));
    same(&doc.replacen(r#""startLine":250"#, r#""startLine":"x""#, 1));
    same(&doc.replacen(r#",{"ruleId":"r3""#, r#",7,{"ruleId":"r3""#, 2));
    same(&doc.replace(r#"},{"ruleId":"r3""#, "},\u{c}{\"ruleId\":\"r3\""));
    // `results` that are not a run's: a second `runs`, a result holding a `results` list, a key
    // whose name holds `results`, a `results` list after the runs.
    same(&doc.replacen(r#""$schema":"s","#, r#""runs":[{"tool":{},"results":[{"ruleId":"q"}]}],"#, 1));
    same(&doc.replacen(r#"{"ruleId":"r4""#, r#"{"ruleId":"r4","results":[{"ruleId":"r4"}]"#, 3));
    same(&doc.replacen(r#"{"ruleId":"r0""#, r#"{"ruleId":"r0","a\"results":[]"#, 5));
    same(&format!(r#"{},"properties":{{"results":[]}}}}"#, &doc[..doc.len() - 1]));
    same(&format!(r#"{{"runs":[{{"tool":{}}},{}"#, tool(9), &runs[1..]));
}

/// What the verdict depends on, of the wrong JSON type, is an error naming its place: never an
/// empty list of rules (a high finding then read as the `warning` default) nor of notifications
/// (a failed run then clean), nor a `kind` or `level` read as a milder word. Each of these was
/// approved before.
#[test]
fn wrong_types_the_verdict_depends_on_are_errors() {
    let log = |tool: &str, result: &str, invocation: &str| {
        format!(r#"{{"runs":[{{"tool":{tool},"invocations":[{invocation}],"results":[{result}]}}]}}"#)
    };
    let tool = r#"{"driver":{"name":"t","rules":[{"id":"r","defaultConfiguration":{"level":"error"}}]}}"#;
    let fine = read(&log(tool, r#"{"ruleId":"r"}"#, "{}")).unwrap();
    assert_eq!(fine.findings[0].severity, Severity::High);
    let error = r#"{"level":"error","message":{"text":"invalid rule config"}}"#;
    for (tool, result, invocation, place) in [
        (r#"{"driver":{"name":"t","rules":{"id":"r"}}}"#, r#"{"ruleId":"r"}"#, "{}", "`runs[0].tool.driver.rules`"),
        (r#"{"driver":{"name":"t","rules":"rules.json"}}"#, r#"{"ruleId":"r"}"#, "{}", "`runs[0].tool.driver.rules`"),
        (
            r#"{"driver":{"name":"t"},"extensions":{"name":"x"}}"#,
            r#"{"ruleId":"r"}"#,
            "{}",
            "`runs[0].tool.extensions`",
        ),
        (
            r#"{"driver":{"name":"t","rules":[{"id":"r","defaultConfiguration":{"level":3}}]}}"#,
            r#"{"ruleId":"r"}"#,
            "{}",
            "defaultConfiguration.level",
        ),
        (tool, r#"{"ruleId":"r","kind":1}"#, "{}", "`runs[0].results[0].kind`"),
        (tool, r#"{"ruleId":"r","level":["error"]}"#, "{}", "`runs[0].results[0].level`"),
        (tool, "", &format!(r#"{{"toolExecutionNotifications":{error}}}"#), "toolExecutionNotifications`"),
        (tool, "", r#"{"toolConfigurationNotifications":"see the log"}"#, "toolConfigurationNotifications`"),
    ] {
        let e = read(&log(tool, result, invocation)).unwrap_err();
        assert!(e.message.contains(place), "{place}: {e}");
    }
    // In a list, the same notification makes the run incomplete.
    let failed =
        read(&log(r#"{"driver":{"name":"t"}}"#, "", &format!(r#"{{"toolExecutionNotifications":[{error}]}}"#)));
    assert!(failed.unwrap().is_incomplete());
    let e = read(r#"{"version":"2.1.0","runs":[{"results":[]}]}"#).unwrap_err();
    assert!(e.message.contains("`runs[0]` has no `tool`"), "{e}");
    // A level SARIF does not have is a severity temis cannot tell, not a medium one.
    let odd = read(&log(tool, r#"{"ruleId":"r","level":"fatal"}"#, "{}")).unwrap();
    assert_eq!(odd.findings[0].severity, Severity::Unknown);
}
