//! Reports of every stack (issue 17): test results (TRX, NUnit 2 and 3, xUnit.net v2, `go test
//! -json`, mocha, RSpec, dart, CTRF, TAP), coverage (OpenCover, coverlet, JaCoCo CSV) and scanners
//! (ZAP, Grype, Snyk, Checkov, Dependency-Check).
//!
//! - real producers' reports made here (`tests/fixtures/made-here/`) equal the summaries those
//!   producers printed;
//! - every new format: a value the verdict depends on of the wrong type is an error naming the
//!   file and the field (exit 2); the producer's clean run is a clean result (exit 0);
//! - the gate's test checks judge the new formats unchanged: failures, tests that never finished
//!   and errors outside tests block; TODO and inconclusive tests do not; an empty run is not a pass.

use std::path::Path;

use crate::support::{fixture, temis, temis_in};

fn json_report(path: &str) -> serde_json::Value {
    let r = temis(&["report", "--format", "json", path]);
    assert_eq!(r.code, 0, "{path}: {}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    doc["reports"][0].clone()
}

#[test]
fn made_here_reports_equal_their_producers_summaries() {
    let root = fixture("made-here");
    let mut seen = 0;
    for dir in std::fs::read_dir(&root).unwrap() {
        let dir = dir.unwrap().path();
        let Ok(text) = std::fs::read_to_string(dir.join("expected.json")) else { continue };
        let expected: serde_json::Value = serde_json::from_str(&text).unwrap();
        for want in expected["reports"].as_array().unwrap() {
            let file = dir.join(want["file"].as_str().unwrap());
            let got = json_report(&file.display().to_string());
            let what = format!("{} ({})", file.display(), want["printed"]);
            assert_eq!(got["format"], want["format"], "{what}");
            if let Some(cov) = want.get("coverage") {
                for key in ["lines", "branches", "functions"] {
                    let pair = [&got["coverage"][key]["covered"], &got["coverage"][key]["total"]];
                    assert_eq!(pair, [&cov[key][0], &cov[key][1]], "{key} of {what}");
                }
                seen += 1;
                continue;
            }
            if let Some(sec) = want.get("security") {
                assert_eq!(got["security"]["total"], sec["total"], "findings of {what}");
                assert_eq!(got["security"]["suppressed"], sec["suppressed"], "suppressed of {what}");
                assert_eq!(got["security"]["by_severity"]["unknown"], sec["unknown"], "unknown of {what}");
                seen += 1;
                continue;
            }
            for key in ["total", "passed", "failed", "errors", "skipped", "other", "flaky"] {
                assert_eq!(got["tests"][key], want["tests"][key], "{key} of {what}");
            }
            let outside = got["tests"]["errors_outside"].as_array().map_or(0, Vec::len);
            assert_eq!(outside as u64, want["errors_outside"].as_u64().unwrap(), "errors outside tests of {what}");
            seen += 1;
        }
    }
    assert!(seen >= 17, "only {seen} made-here reports were checked");
}

/// `temis report NAME` on `text` written to NAME: the exit code and stderr.
fn report(name: &str, text: &str) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), text).unwrap();
    let r = temis_in(dir.path(), &["report", "--format", "json", name]);
    (r.code, r.stdout, r.stderr)
}

/// The report must be refused, naming `name` and `field`.
fn refused(name: &str, text: &str, field: &str) {
    let (code, _, err) = report(name, text);
    assert_eq!(code, 2, "{name} was read: {err}");
    assert!(err.starts_with(&format!("error: {name}:")), "{err}");
    assert!(err.contains(field), "{field} not named: {err}");
}

/// The report reads (exit 0) as `format`, and gives its JSON entry.
fn clean(name: &str, text: &str, format: &str) -> serde_json::Value {
    let (code, out, err) = report(name, text);
    assert_eq!(code, 0, "{name}: {err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let r = doc["reports"][0].clone();
    assert_eq!(r["format"], format, "{name}");
    r
}

fn no_tests(r: &serde_json::Value) {
    assert_eq!(
        (r["tests"]["total"].as_u64(), r["tests"]["failing"].as_array().map(Vec::len)),
        (Some(0), Some(0)),
        "{r}"
    );
}

fn no_findings(r: &serde_json::Value) {
    assert_eq!(r["security"]["total"], 0, "{r}");
    assert_eq!(r["security"]["complete"], true, "{r}");
}

#[test]
fn test_formats_wrong_types_are_errors_and_clean_runs_are_clean() {
    const NS: &str = "xmlns=\"http://microsoft.com/schemas/VisualStudio/TeamTest/2010\"";
    refused(
        "r.trx",
        &format!("<TestRun {NS}><ResultSummary><Counters total=\"many\"/></ResultSummary></TestRun>"),
        "total=\"many\"",
    );
    no_tests(&clean(
        "r.trx",
        &format!("<TestRun {NS}><Results/><ResultSummary><Counters total=\"0\"/></ResultSummary></TestRun>"),
        "trx",
    ));

    refused("TestResult.xml", "<test-run total=\"x\"></test-run>", "total=\"x\"");
    no_tests(&clean("TestResult.xml", "<test-run total=\"0\" passed=\"0\" failed=\"0\"/>", "nunit3-xml"));
    refused("nunit2.xml", "<test-results total=\"-3\"/>", "total=\"-3\"");
    no_tests(&clean("nunit2.xml", "<test-results total=\"0\" errors=\"0\" failures=\"0\"/>", "nunit2-xml"));
    refused("xunit.xml", "<assemblies><assembly total=\"a\"/></assemblies>", "total=\"a\"");
    no_tests(&clean("xunit.xml", "<assemblies><assembly total=\"0\"><errors/></assembly></assemblies>", "xunit2-xml"));

    let go = r#"{"Time":"2026-01-01T00:00:00Z","Action":"run","Package":"p","Test":["T"]}"#;
    refused("go-test.json", &format!("{go}\n"), "not a go test -json event: invalid type: sequence");
    let go = "{\"Action\":\"output\",\"Package\":\"p\",\"Output\":\"testing: warning: no tests to run\\n\"}\n{\"Action\":\"pass\",\"Package\":\"p\"}\n";
    no_tests(&clean("go-test.json", go, "go-test-json"));

    let stats = r#""stats":{"suites":0,"tests":0,"passes":0,"pending":0,"failures":0}"#;
    refused(
        "mocha.json",
        &format!("{{{stats},\"failures\":\"none\",\"passes\":[],\"pending\":[]}}"),
        "`failures`: invalid type: string",
    );
    no_tests(&clean(
        "mocha.json",
        &format!("{{{stats},\"tests\":[],\"pending\":[],\"failures\":[],\"passes\":[]}}"),
        "mocha-json",
    ));

    let summary = r#""summary":{"duration":0.001,"example_count":0,"failure_count":0,"pending_count":0,"errors_outside_of_examples_count":0}"#;
    refused(
        "rspec.json",
        &format!("{{\"version\":\"3.12.0\",\"examples\":{{}},{summary}}}"),
        "`examples`: invalid type: map",
    );
    no_tests(&clean("rspec.json", &format!("{{\"version\":\"3.12.0\",\"examples\":[],{summary}}}"), "rspec-json"));

    let start = r#"{"protocolVersion":"0.1.1","runnerVersion":"1.25.0","pid":1,"type":"start","time":0}"#;
    refused(
        "dart.json",
        &format!("{start}\n{{\"testID\":\"1\",\"result\":\"success\",\"type\":\"testDone\",\"time\":1}}\n"),
        "invalid type: string \"1\"",
    );
    no_tests(&clean(
        "dart.json",
        &format!("{start}\n{{\"success\":true,\"type\":\"done\",\"time\":5}}\n"),
        "dart-json",
    ));

    refused(
        "ctrf-report.json",
        r#"{"results":{"tool":{"name":"jest"},"summary":{"tests":0},"tests":{"name":"a"}}}"#,
        "`results.tests`: invalid type: map",
    );
    no_tests(&clean(
        "ctrf-report.json",
        r#"{"results":{"tool":{"name":"jest"},"summary":{"tests":0},"tests":[]}}"#,
        "ctrf-json",
    ));

    refused("t.tap", "TAP version 13\nok 1\n1..2\nok 2\n", "a plan comes first or last");
    no_tests(&clean("t.tap", "TAP version 13\n1..0 # SKIP nothing to test\n", "tap"));
}

#[test]
fn coverage_formats_wrong_types_are_errors_and_empty_reports_are_clean() {
    let module = r#"<Module><Files><File uid="1" fullPath="a.cs"/></Files><Classes><Class><Methods><Method><FileRef uid="1"/><SequencePoints><SequencePoint vc="x" sl="3"/></SequencePoints></Method></Methods></Class></Classes></Module>"#;
    refused(
        "coverage.opencover.xml",
        &format!("<CoverageSession><Modules>{module}</Modules></CoverageSession>"),
        "vc=\"x\"",
    );
    let r = clean(
        "coverage.opencover.xml",
        "<CoverageSession><Summary numSequencePoints=\"0\"/><Modules/></CoverageSession>",
        "opencover-xml",
    );
    assert_eq!(r["coverage"]["lines"]["total"], 0);

    refused("coverage.json", r#"{"a.dll":{"a.cs":{"A":{"M":{"Lines":[1],"Branches":[]}}}}}"#, "Lines");
    refused("coverage.json", r#"{"a.dll":{"a.cs":{"A":{"M":{"Lines":{"1":"many"},"Branches":[]}}}}}"#, "hit count");
    let r = clean("coverage.json", r#"{"a.dll":{"a.cs":{"A":{"M":{"Lines":{},"Branches":[]}}}}}"#, "coverlet-json");
    assert_eq!(r["coverage"]["lines"]["total"], 0);

    let head = "GROUP,PACKAGE,CLASS,INSTRUCTION_MISSED,INSTRUCTION_COVERED,BRANCH_MISSED,BRANCH_COVERED,LINE_MISSED,LINE_COVERED,COMPLEXITY_MISSED,COMPLEXITY_COVERED,METHOD_MISSED,METHOD_COVERED\n";
    refused("jacoco.csv", &format!("{head}app,p,C,1,2,0,0,one,1,0,0,0,0\n"), "LINE_MISSED is \"one\"");
    let r = clean("jacoco.csv", &format!("{head}app,com.example,Calc,3,9,1,3,2,8,1,4,0,3\n"), "jacoco-csv");
    assert_eq!(
        (r["coverage"]["lines"]["covered"].as_u64(), r["coverage"]["lines"]["total"].as_u64()),
        (Some(8), Some(10))
    );
}

#[test]
fn scanner_formats_wrong_types_are_errors_and_clean_scans_are_clean() {
    refused("zap.json", r#"{"@version":"2.14.0","site":[{"@name":"http://a","alerts":"none"}]}"#, "`site[0].alerts`");
    refused(
        "zap.json",
        r#"{"@version":"2.14.0","site":[{"@name":"http://a","alerts":[{"riskcode":"severe"}]}]}"#,
        "riskcode",
    );
    no_findings(&clean(
        "zap.json",
        r#"{"@programName":"ZAP","@version":"2.14.0","site":[{"@name":"http://a","alerts":[]}]}"#,
        "zap-json",
    ));

    refused("grype.json", r#"{"matches":{"vulnerability":{}},"descriptor":{"name":"grype"}}"#, "`matches`");
    no_findings(&clean(
        "grype.json",
        r#"{"matches":[],"source":{"type":"directory"},"distro":{},"descriptor":{"name":"grype","version":"0.80.0"}}"#,
        "grype-json",
    ));

    refused(
        "snyk.json",
        r#"[{"vulnerabilities":"none","ok":true,"dependencyCount":3,"packageManager":"npm"}]"#,
        "`[0].vulnerabilities`",
    );
    no_findings(&clean(
        "snyk.json",
        r#"{"vulnerabilities":[],"ok":true,"dependencyCount":3,"packageManager":"npm","uniqueCount":0}"#,
        "snyk-json",
    ));

    refused(
        "results_json.json",
        r#"{"check_type":"terraform","results":{"passed_checks":[],"failed_checks":{"check_id":"CKV_AWS_20"}}}"#,
        "`results.failed_checks`",
    );
    no_findings(&clean(
        "results_json.json",
        r#"{"check_type":"terraform","results":{"passed_checks":[],"failed_checks":[],"skipped_checks":[],"parsing_errors":[]},"summary":{"passed":3,"failed":0}}"#,
        "checkov-json",
    ));

    refused(
        "dependency-check-report.json",
        r#"{"reportSchema":"1.1","dependencies":[{"fileName":"a.jar","vulnerabilities":"CVE-1"}]}"#,
        "`dependencies[0].vulnerabilities`",
    );
    no_findings(&clean(
        "dependency-check-report.json",
        r#"{"reportSchema":"1.1","scanInfo":{"engineVersion":"9.0.9"},"dependencies":[{"fileName":"a.jar","filePath":"/a.jar"}]}"#,
        "dependency-check-json",
    ));
}

#[test]
fn checkov_is_read_as_checkov_and_snyk_as_snyk() {
    // Checkov's failed_checks carry `check_id`, which Semgrep's results have too; Snyk's
    // `vulnerabilities` once read as pip-audit's. Both were refused as the wrong format.
    let checkov = r#"{"check_type":"dockerfile","results":{"failed_checks":[{"check_id":"CKV_DOCKER_2","check_name":"Ensure that HEALTHCHECK instructions have been added","file_path":"/Dockerfile","file_line_range":[1,3],"resource":"/Dockerfile.","severity":null}]},"summary":{"failed":1}}"#;
    let r = clean("results_json.json", checkov, "checkov-json");
    assert_eq!((r["security"]["total"].as_u64(), r["security"]["by_severity"]["unknown"].as_u64()), (Some(1), Some(1)));
    let snyk = r#"{"vulnerabilities":[{"id":"SNYK-JS-MINIMIST-559764","title":"Prototype Pollution","severity":"medium","packageName":"minimist","version":"1.2.0","from":["app@1.0.0","minimist@1.2.0"],"identifiers":{"CVE":["CVE-2020-7598"],"CWE":["CWE-400"]}}],"ok":false,"dependencyCount":1,"packageManager":"npm"}"#;
    let r = clean("snyk.json", snyk, "snyk-json");
    assert_eq!(r["security"]["by_severity"]["medium"], 1);
}

/// `temis gate` in a fresh folder holding `files`, with a policy that needs only tests.
fn gate(files: &[(&str, &str)], policy: &str) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    std::fs::write(dir.path().join("temis.toml"), policy).unwrap();
    let names: Vec<&str> = files.iter().map(|(n, _)| *n).collect();
    let mut args = vec!["gate", "--format", "json"];
    args.extend(names);
    let r = temis_in(dir.path(), &args);
    (r.code, r.stdout)
}

const TESTS_ONLY: &str = "[coverage]\nrequired = false\n[tests]\nrequired = true\n";

fn check<'a>(verdict: &'a serde_json::Value, code: &str) -> &'a serde_json::Value {
    verdict["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {verdict}"))
}

#[test]
fn the_gate_judges_every_test_format_with_its_own_checks() {
    let made = |rel: &str| std::fs::read_to_string(fixture("made-here").join(rel)).unwrap();
    // A failing subtest, a test killed by -timeout and a package whose TestMain exits 1 all block.
    let (code, out) = gate(&[("go-test.json", &made("go-test-json-failures/go-test.json"))], TESTS_ONLY);
    assert_eq!(code, 1, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let failing = check(&v, "tests-failing");
    let text = failing.to_string();
    for name in ["TestDiv/rounds", "TestSlow (incomplete)", "mainexit (error outside tests)"] {
        assert!(text.contains(name), "{name} not named: {text}");
    }
    // A TODO that fails does not block (TAP); the run passes.
    let (code, out) =
        gate(&[("t.tap", "TAP version 13\n1..2\nok 1 - adds\nnot ok 2 - halts # TODO unsolved\n")], TESTS_ONLY);
    assert_eq!(code, 0, "{out}");
    // NUnit's not-runnable test blocks, as nunit-console's exit code says.
    let (code, _) = gate(&[("TestResult.xml", &made("nunit2-xml-mono/TestResult.xml"))], TESTS_ONLY);
    assert_eq!(code, 1);
    // A clean CTRF run passes; an empty one does not, tests being required.
    let pass = r#"{"results":{"tool":{"name":"jest"},"summary":{"tests":1,"passed":1},"tests":[{"name":"a","status":"passed","duration":1}]}}"#;
    assert_eq!(gate(&[("ctrf/ctrf-report.json", pass)], TESTS_ONLY).0, 0);
    let empty = r#"{"results":{"tool":{"name":"jest"},"summary":{"tests":0},"tests":[]}}"#;
    let (code, out) = gate(&[("ctrf/ctrf-report.json", empty)], TESTS_ONLY);
    assert_eq!(code, 1, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(check(&v, "tests-below-minimum-count")["outcome"], "fail", "{out}");
}

/// Real producers' runs that measured nothing, or whose own verdict is a failure, each used to
/// approve: checkov asked for a framework no file is of (exit 0, a bare summary of zeros) and on
/// a file it could not parse; `go test -count=2` with a test that hung on its second run, and
/// with a test that failed once (go: FAIL); Node's runner with tests cancelled by a failing hook.
#[test]
fn real_runs_that_measured_nothing_or_failed_block() {
    let made = |rel: &str| std::fs::read_to_string(fixture("made-here").join(rel)).unwrap();
    let security = "[coverage]\nrequired = false\n[tests]\nrequired = false\n[security]\nrequired = true\n";
    for file in ["nothing.json", "broken.json"] {
        let (code, out) =
            gate(&[("results_json.json", &made(&format!("checkov-json-nothing-scanned/{file}")))], security);
        assert_eq!(code, 1, "{file}: {out}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(check(&v, "security-scan-incomplete")["outcome"], "fail", "{file}: {out}");
    }
    for file in ["count.json", "count-flaky.json"] {
        let (code, out) = gate(&[("go-test.json", &made(&format!("go-test-json-count/{file}")))], TESTS_ONLY);
        assert_eq!(code, 1, "{file}: {out}");
        assert_eq!(check(&serde_json::from_str(&out).unwrap(), "tests-failing")["outcome"], "fail", "{file}: {out}");
    }
    // pytest 9.2 stopped by a CI timeout's SIGINT, or by pytest.exit(), writes a nameless
    // <testcase> for the test it was running; ctest 3.25 writes a test it could not run (no
    // executable, required files missing) as status="notrun" <skipped>: both approved.
    for (file, code_) in [
        ("pytest-interrupted/interrupted.xml", "tests-failing"),
        ("pytest-interrupted/exited.xml", "tests-failing"),
        ("ctest-not-run/ctest.xml", "tests-failing"),
    ] {
        let (code, out) = gate(&[("junit.xml", &made(file))], TESTS_ONLY);
        assert_eq!(code, 1, "{file}: {out}");
        assert_eq!(check(&serde_json::from_str(&out).unwrap(), code_)["outcome"], "fail", "{file}: {out}");
    }
    // pytest-rerunfailures 16.7: a test that passed on its second try, each try a <testcase>:
    // `allow_flaky = false` approved.
    let strict = format!("{TESTS_ONLY}allow_flaky = false\n");
    let (code, out) = gate(&[("junit.xml", &made("pytest-rerunfailures/flaky.xml"))], &strict);
    assert_eq!(code, 1, "{out}");
    assert_eq!(check(&serde_json::from_str(&out).unwrap(), "tests-flaky")["outcome"], "fail", "{out}");
    // GoogleTest 1.12.1 with only DISABLED_ tests: "PASSED 0 tests", two counted as passed.
    let (code, out) = gate(&[("junit.xml", &made("gtest-disabled/gtest-all-disabled.xml"))], TESTS_ONLY);
    assert_eq!(code, 1, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(check(&v, "tests-below-minimum-count")["outcome"], "fail", "{out}");
    let mixed = json_report(&fixture("made-here/gtest-disabled/gtest-mixed.xml").display().to_string());
    let totals = &mixed["tests"];
    assert_eq!([&totals["passed"], &totals["skipped"]], [1, 2], "gtest: PASSED 1, SKIPPED 1, 1 DISABLED: {mixed}");
    // mocha-junit-reporter 2.2.1 writes no <testcase> for pending tests; mocha: 1 passing, 2
    // pending, 1 failing.
    let pending = json_report(
        &fixture("made-here/mocha-junit-reporter-pending/mocha-junit-reporter-pending.xml").display().to_string(),
    );
    let t = &pending["tests"];
    assert_eq!([&t["total"], &t["passed"], &t["failed"], &t["skipped"]], [4, 1, 1, 2], "{pending}");
    // gcovr 8.8's Cobertura of a template used for two types: "functions: 100.0% (6 out of 6)".
    let gcovr = json_report(
        &fixture("made-here/gcovr-cobertura-templates/gcovr-cobertura-templates.xml").display().to_string(),
    );
    let f = &gcovr["coverage"]["functions"];
    assert_eq!([&f["covered"], &f["total"]], [6, 6], "{gcovr}");
    // jest-junit 17 writes a todo as a childless <testcase> outside tests=: "2 todo, 2 total".
    let (code, out) = gate(&[("junit.xml", &made("jest-junit-todo/jest-junit-todo-only.xml"))], TESTS_ONLY);
    assert_eq!(code, 1, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(check(&v, "tests-below-minimum-count")["outcome"], "fail", "{out}");
    let mixed = json_report(&fixture("made-here/jest-junit-todo/jest-junit-todo-mixed.xml").display().to_string());
    let t = &mixed["tests"];
    assert_eq!([&t["passed"], &t["skipped"]], [1, 2], "jest: 1 skipped, 1 todo, 1 passed: {mixed}");
    // pip-audit 2.10.1 on an empty requirements file: "No known vulnerabilities found", exit 0.
    let (code, out) = gate(&[("pip-audit.json", &made("pip-audit-nothing-audited/nothing.json"))], security);
    assert_eq!(code, 1, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(check(&v, "security-scan-incomplete")["outcome"], "fail", "{out}");
    let (code, out) = gate(&[("node.tap", &made("tap-node-subtests/node-subtests.tap"))], TESTS_ONLY);
    assert_eq!(code, 1, "{out}");
    let text = check(&serde_json::from_str(&out).unwrap(), "tests-failing").to_string();
    assert!(text.contains("i1") && text.contains("parent throws after subtests"), "{text}");
}

#[test]
fn conventional_test_locations_find_the_new_formats() {
    let dir = tempfile::tempdir().unwrap();
    let trx =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/made-here/rspec-json-rss/rspec.json"))
            .unwrap();
    std::fs::write(dir.path().join("rspec.json"), trx).unwrap();
    std::fs::write(dir.path().join("temis.toml"), TESTS_ONLY).unwrap();
    let r = temis_in(dir.path(), &["gate", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("reads items newest first"), "{}", r.stdout);
}

#[test]
fn human_and_json_reports_show_other_tests_and_errors_outside_tests() {
    let dir = fixture("made-here/go-test-json-failures");
    let r = temis_in(&dir, &["report", "go-test.json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!("report_human_go_test_failures", r.stdout);
    let dir = fixture("made-here/nunit2-xml-mono");
    let r = temis_in(&dir, &["report", "--format", "json", "TestResult.xml"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    insta::assert_json_snapshot!("report_json_nunit2_tests", doc["reports"][0]["tests"]);
}

/// A per-path coverage rule whose glob no file of the reports matches (a typo, or JaCoCo's CSV,
/// which names classes) measured nothing: it blocks (it warned, and the gate approved a
/// threshold it never measured).
#[test]
fn a_per_path_rule_that_matches_no_file_blocks() {
    let lcov = "SF:src/a.c\nDA:1,1\nDA:2,1\nend_of_record\n";
    let policy = "[coverage]\nmin_line = 50\npaths = [{ glob = \"src/main/java/**\", min_line = 95 }]\n[tests]\nrequired = false\n";
    let (code, out) = gate(&[("lcov.info", lcov)], policy);
    assert_eq!(code, 1, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(check(&v, "coverage-path-matches-nothing")["outcome"], "fail", "{out}");
}

/// Trivy counts a target's failed checks in `MisconfSummary` from the list it writes: failures
/// counted and not listed are findings lost, and approved before. A report without `Results` is
/// Trivy's clean run (since 0.31 it leaves out targets without findings). (Trivy does not
/// install from the registries reachable here: the shapes follow its `pkg/types/report.go`.)
#[test]
fn trivy_failures_counted_and_not_listed_block() {
    let security = "[coverage]\nrequired = false\n[tests]\nrequired = false\n[security]\nrequired = true\n";
    let head = r#""SchemaVersion": 2, "ArtifactName": ".", "ArtifactType": "filesystem""#;
    let misconf = r#"[{"Target": "main.tf", "Class": "config", "Type": "terraform", "MisconfSummary": {"Successes": 4, "Failures": 3}}]"#;
    let doc = format!(r#"{{{head}, "Results": {misconf}}}"#);
    let (code, out) = gate(&[("trivy.json", &doc)], security);
    assert_eq!(code, 1, "{doc}: {out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(check(&v, "security-scan-incomplete")["outcome"], "fail", "{doc}: {out}");
    assert_eq!(gate(&[("trivy.json", &format!("{{{head}}}"))], security).0, 0, "Trivy's clean run");
    let clean = format!(r#"{{{head}, "Results": [{{"Target": "go.sum", "Class": "lang-pkgs", "Type": "gomod"}}]}}"#);
    assert_eq!(gate(&[("trivy.json", &clean)], security).0, 0, "a target scanned clean is clean");
}
