//! The report files `temis ci` writes, against the formats' schemas transcribed from their
//! documentation (`../shared/ci-apis/`): GitLab's Code Quality report and Jenkins' warnings-ng
//! native issues. The validator is the one that checks API bodies (`ci::contract::validate`,
//! without the strict rule: the formats allow fields of their own); it is first held to each
//! schema's own examples, valid and broken.

use serde_json::{Value, json};

use crate::ci::contract::{shared_json, validate};
use crate::ci::{Workspace, repo_with_change};

fn problems(schema: &Value, value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    validate(schema, schema, value, false, "report", &mut out);
    out
}

#[test]
fn the_validator_accepts_the_schemas_examples_and_refuses_broken_ones() {
    let cq = shared_json("ci-apis/codequality.schema.json");
    for example in cq["examples"].as_array().unwrap() {
        assert_eq!(problems(&cq, example), Vec::<String>::new());
    }
    let good = &cq["examples"][0];
    for (what, broken) in [
        ("a severity GitLab does not know", json!([{"severity": "fatal"}])),
        ("no fingerprint", {
            let mut v = good.clone();
            v[0].as_object_mut().unwrap().remove("fingerprint");
            v
        }),
        ("a line that is text", {
            let mut v = good.clone();
            v[0]["location"]["lines"]["begin"] = json!("42");
            v
        }),
        ("neither lines nor positions", {
            let mut v = good.clone();
            v[0]["location"].as_object_mut().unwrap().remove("lines");
            v
        }),
        ("an object, not an array", good[0].clone()),
    ] {
        assert!(!problems(&cq, &broken).is_empty(), "{what} passes: {broken}");
    }

    let ng = shared_json("ci-apis/warnings-ng-issues.schema.json");
    for example in ng["examples"].as_array().unwrap() {
        assert_eq!(problems(&ng, example), Vec::<String>::new());
    }
    for (what, broken) in [
        ("no issues", json!({})),
        ("a severity of its own", json!({"issues": [{"severity": "BLOCKER"}]})),
        ("an id that is no UUID", json!({"issues": [{"id": "temis-1"}]})),
        ("a line that is text", json!({"issues": [{"lineStart": "3"}]})),
    ] {
        assert!(!problems(&ng, &broken).is_empty(), "{what} passes: {broken}");
    }
}

/// The example's reports and a change with an uncovered added line, so that every kind of
/// finding is in the files.
fn runs(platform: &str) -> Vec<crate::ci::Run> {
    let example = Workspace::example();
    let (dir, base, head) = repo_with_change(0);
    let change = Workspace::at(dir);
    let env: Vec<(&str, &str)> = match platform {
        "gitlab" => {
            vec![("CI_MERGE_REQUEST_IID", "7"), ("CI_MERGE_REQUEST_DIFF_BASE_SHA", &base), ("CI_COMMIT_SHA", &head)]
        }
        _ => vec![("GIT_PREVIOUS_SUCCESSFUL_COMMIT", &base), ("GIT_COMMIT", &head)],
    };
    vec![
        example.run(&["ci", platform], &[]),
        change.run(&["ci", platform, "lcov.info"], &env),
        Workspace::hostile().run(&["ci", platform], &[]),
    ]
}

#[test]
fn gitlab_code_quality_reports_validate_against_the_schema() {
    let schema = shared_json("ci-apis/codequality.schema.json");
    let mut checks = Vec::new();
    for r in runs("gitlab") {
        let text = r.artifact("codequality.json");
        assert!(!text.starts_with('\u{feff}'), "GitLab refuses a byte-order mark");
        let report: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(problems(&schema, &report), Vec::<String>::new(), "{report}");
        checks.extend(report.as_array().unwrap().iter().map(|v| v["check_name"].clone()));
    }
    for code in ["coverage-line-below-threshold", "tests-failing", "patch-coverage-below-threshold"] {
        assert!(checks.contains(&json!(code)), "no {code} finding was validated: {checks:?}");
    }
}

#[test]
fn jenkins_issues_reports_validate_against_the_schema() {
    let schema = shared_json("ci-apis/warnings-ng-issues.schema.json");
    let mut kinds = Vec::new();
    for r in runs("jenkins") {
        let report = r.json("issues.json");
        assert_eq!(problems(&schema, &report), Vec::<String>::new(), "{report}");
        kinds.extend(report["issues"].as_array().unwrap().iter().map(|v| v["type"].clone()));
    }
    for code in ["coverage-line-below-threshold", "tests-failing", "patch-coverage-below-threshold"] {
        assert!(kinds.contains(&json!(code)), "no {code} issue was validated: {kinds:?}");
    }
}

#[test]
fn the_contract_refuses_what_the_descriptions_refuse() {
    use crate::ci::contract::Contract;
    use crate::ci::fake::Platform;
    let gitlab = Contract::load(Platform::GitLab);
    let status = "/api/v4/projects/42/statuses/6dcb09b5b57875f334f61aebed695e2e4193db5e";
    assert!(gitlab.check("POST", status, "", Some(&json!({"state": "success", "name": "temis"}))).is_ok());
    for (query, body) in [
        ("", json!({"state": "passed"})),
        ("", json!({"name": "temis"})),
        ("", json!({"state": "success", "colour": "green"})),
        ("", json!({"state": "success", "coverage": "77"})),
    ] {
        assert!(gitlab.check("POST", status, query, Some(&body)).is_err(), "{body}");
    }
    let notes = "/api/v4/projects/42/merge_requests/7/notes";
    assert!(gitlab.check("GET", notes, "sort=desc&order_by=updated_at&per_page=100&page=1", None).is_ok());
    assert!(gitlab.check("GET", notes, "sort=newest", None).is_err());
    assert!(gitlab.check("GET", notes, "per_page=500", None).is_err(), "over the maximum of 100");
    assert!(gitlab.check("DELETE", notes, "", None).is_err());

    let azure = Contract::load(Platform::Azure);
    let threads = "/acme/App/_apis/git/repositories/r/pullRequests/7/threads";
    let thread =
        json!({"comments": [{"parentCommentId": 0, "content": "x", "commentType": "text"}], "status": "active"});
    assert!(azure.check("POST", threads, "api-version=7.1", Some(&thread)).is_ok());
    assert!(azure.check("POST", threads, "", Some(&thread)).is_err(), "api-version is required");
    assert!(azure.check("POST", threads, "api-version=7.1", Some(&json!({"status": "open"}))).is_err());
    assert!(
        azure
            .check("GET", "/acme/App/_apis/git/repositories/r/pullRequests/seven/threads", "api-version=7.1", None)
            .is_err()
    );

    let bitbucket = Contract::load(Platform::Bitbucket);
    let annotations = "/repositories/acme/app/commit/c/reports/temis/annotations";
    let one = json!({"type": "report_annotation", "external_id": "temis-1", "annotation_type": "BUG",
                     "summary": "s", "result": "FAILED", "severity": "HIGH", "path": "a.py", "line": 3});
    assert!(bitbucket.check("POST", annotations, "", Some(&json!([one.clone()]))).is_ok());
    let mut titled = one.clone();
    titled["title"] = json!("t");
    assert!(bitbucket.check("POST", annotations, "", Some(&json!([titled]))).is_err(), "title is not declared");
    assert!(bitbucket.check("POST", annotations, "", Some(&json!(vec![one.clone(); 101]))).is_err(), "maxItems 100");
    let mut line_zero = one;
    line_zero["line"] = json!(0);
    assert!(bitbucket.check("POST", annotations, "", Some(&json!([line_zero]))).is_err(), "minimum 1");
    let report = "/repositories/acme/app/commit/c/reports/temis";
    let body = |value: Value| {
        json!({"type": "report", "title": "t", "report_type": "COVERAGE", "result": "PASSED",
               "data": [{"type": "PERCENTAGE", "title": "Line coverage", "value": value}]})
    };
    assert!(bitbucket.check("PUT", report, "", Some(&body(json!(77.33)))).is_ok());
    assert!(bitbucket.check("PUT", report, "", Some(&body(json!(177)))).is_err(), "a percentage over 100");
    assert!(bitbucket.check("PUT", report, "", Some(&body(json!("77 %")))).is_err());
}
