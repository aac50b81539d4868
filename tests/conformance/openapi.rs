//! GitHub's OpenAPI description (`github-api/openapi-subset.json`) against the routes the `cli`
//! target's fake GitHub knows, and the body schemas only the description has.

use serde_json::{Value, json};

use crate::github::openapi::Spec;

/// `(METHOD, path template, operationId)` of every operation `spec` holds.
fn operations(spec: &Spec) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for (template, item) in spec.doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            if let Some(id) = op["operationId"].as_str() {
                out.push((method.to_uppercase(), template.clone(), id.to_string()));
            }
        }
    }
    out.sort();
    out
}

/// An operation's parameters as `(in, name, type, multi-segment)`, and whether it requires a body.
fn signature(spec: &Spec, method: &str, template: &str) -> (Vec<(String, String, String, bool)>, bool) {
    let op = &spec.doc["paths"][template][method.to_ascii_lowercase()];
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let mut params: Vec<_> = op["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| spec.resolve(p))
        .map(|p| (text(&p["in"]), text(&p["name"]), text(&p["schema"]["type"]), p["x-multi-segment"] == true))
        .collect();
    params.sort();
    (params, op["requestBody"]["required"] == true)
}

#[test]
fn the_routes_of_the_cli_target_are_githubs() {
    let (github, ours) = (Spec::contract(), Spec::routes());
    assert_eq!(operations(&ours), operations(&github), "the same operations, paths and operationIds");
    for (method, template, id) in operations(&github) {
        assert_eq!(signature(&ours, &method, &template), signature(&github, &method, &template), "{id}");
    }
}

/// What only the body schemas catch: a missing required field, too many annotations, a level
/// outside the enum, a misspelled field.
#[test]
fn the_body_schemas_catch_what_github_would_refuse() {
    let spec = Spec::contract();
    let no_conclusion = json!({"name": "temis", "head_sha": "abc", "status": "completed"});
    assert!(spec.check("POST", "/repos/o/r/check-runs", "", Some(&no_conclusion)).is_err());
    let too_many: Vec<Value> = (0..51)
        .map(|i| json!({"path": "a", "start_line": i, "end_line": i, "annotation_level": "warning", "message": "m"}))
        .collect();
    let body = json!({"output": {"summary": "s", "annotations": too_many}});
    let errs = spec.check("PATCH", "/repos/o/r/check-runs/5", "", Some(&body)).err().unwrap();
    assert!(errs.iter().any(|e| e.contains("51 items, at most 50")), "{errs:?}");
    let level = json!({"output": {"summary": "s", "annotations": [
        {"path": "a", "start_line": 1, "end_line": 1, "annotation_level": "error", "message": "m"}]}});
    assert!(spec.check("PATCH", "/repos/o/r/check-runs/5", "", Some(&level)).is_err());
    let typo = json!({"bodyy": "x"});
    assert!(spec.check("POST", "/repos/o/r/issues/3/comments", "", Some(&typo)).is_err());
}
