//! Checks a request against a description of GitHub's REST API: the operation (method and path
//! template), its path and query parameters, and the JSON body against the operation's request
//! schema.
//!
//! Two descriptions, one per test target ([`Spec::load`]): `cargo test` (target `cli`) holds
//! requests to [`Spec::routes`], the nine operations temis calls with their parameters, written
//! here, so that it passes on any clone; `cargo test --test conformance` (`ci/conformance.sh`)
//! holds them to GitHub's own description (`github-api/openapi-subset.json` of `../shared`, or
//! `$TEMIS_SHARED`), body schemas included, and checks that the routes here agree with it.
//!
//! The schema walk covers what the subset uses: `type`, `nullable`, `enum`, `properties`,
//! `required`, `items`, `maxItems`, `minItems`, `maxLength`, `oneOf`, `anyOf`, `allOf`, `$ref`.
//! On top of the schema, two strict checks the description leaves out (its README, facts 4 and
//! 6): an undeclared body field is an error (so a misspelled field is caught), and `per_page`
//! may not exceed 100.

use serde_json::{Map, Value, json};

pub struct Spec {
    pub doc: Value,
}

/// The operation a request matched.
pub struct Operation {
    pub id: String,
    /// Path parameters by name.
    pub params: Vec<(String, String)>,
}

impl Spec {
    /// The description this test target holds requests to: GitHub's own in the conformance
    /// target (`crate::GITHUB_CONTRACT`), else the routes written here.
    pub fn load() -> Spec {
        if crate::GITHUB_CONTRACT { Spec::contract() } else { Spec::routes() }
    }

    /// GitHub's OpenAPI description of the nine operations (`../shared/github-api/`).
    pub fn contract() -> Spec {
        let path = crate::support::shared("github-api/openapi-subset.json");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        Spec { doc: serde_json::from_str(&text).expect("the OpenAPI subset is JSON") }
    }

    /// The nine operations as a description of our own: method, path template, operationId,
    /// parameters (name, place, type) and whether a body is required, without body schemas.
    pub fn routes() -> Spec {
        let mut paths = Map::new();
        for (method, template, id, query, body) in ROUTES {
            let mut parameters: Vec<Value> = template
                .split('/')
                .filter_map(|seg| seg.strip_prefix('{')?.strip_suffix('}'))
                .map(|name| {
                    let kind = if INTEGER_PARAMS.contains(&name) { "integer" } else { "string" };
                    let mut p = json!({"name": name, "in": "path", "required": true, "schema": {"type": kind}});
                    if name == "ref" {
                        p["x-multi-segment"] = json!(true);
                    }
                    p
                })
                .collect();
            parameters.extend(query.iter().map(|name| {
                let kind = if INTEGER_PARAMS.contains(name) { "integer" } else { "string" };
                json!({"name": name, "in": "query", "schema": {"type": kind}})
            }));
            let mut op = json!({"operationId": id, "parameters": parameters});
            if *body {
                op["requestBody"] = json!({"required": true});
            }
            let item = paths.entry(template.to_string()).or_insert_with(|| json!({}));
            item[method] = op;
        }
        Spec { doc: json!({"paths": paths}) }
    }

    /// The operation `method path?query` names, or every way the request breaks the contract.
    pub fn check(&self, method: &str, path: &str, query: &str, body: Option<&Value>) -> Result<Operation, Vec<String>> {
        let mut problems = Vec::new();
        let method = method.to_ascii_lowercase();
        let found = self.doc["paths"].as_object().unwrap().iter().find_map(|(template, item)| {
            let op = item.get(&method)?;
            let multi: Vec<String> = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| self.resolve(p))
                .filter(|p| p["x-multi-segment"] == true)
                .filter_map(|p| p["name"].as_str().map(str::to_string))
                .collect();
            let params = match_template(template, path, &multi)?;
            Some((template.clone(), item, params))
        });
        let Some((template, item, params)) = found else {
            return Err(vec![format!("no operation {} {path} in the OpenAPI subset", method.to_uppercase())]);
        };
        let op = &item[&method];
        let id = op["operationId"].as_str().unwrap_or_default().to_string();
        let declared: Vec<Value> = op["parameters"].as_array().cloned().unwrap_or_default();
        let declared: Vec<Value> = declared.iter().map(|p| self.resolve(p).clone()).collect();
        for (name, value) in &params {
            let Some(p) = declared.iter().find(|p| p["in"] == "path" && p["name"] == name.as_str()) else {
                problems.push(format!("{template}: path parameter {name} is not declared"));
                continue;
            };
            if p["schema"]["type"] == "integer" && value.parse::<u64>().is_err() {
                problems.push(format!("{template}: path parameter {name}={value:?} is not an integer"));
            }
        }
        for pair in query.split('&').filter(|s| !s.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let Some(p) = declared.iter().find(|p| p["in"] == "query" && p["name"] == k) else {
                problems.push(format!("{id}: query parameter {k} is not declared"));
                continue;
            };
            if p["schema"]["type"] == "integer" && v.parse::<u64>().is_err() {
                problems.push(format!("{id}: query parameter {k}={v:?} is not an integer"));
            }
            if k == "per_page" && v.parse::<u64>().is_ok_and(|n| n > 100) {
                problems.push(format!("{id}: per_page={v} is over GitHub's maximum of 100"));
            }
        }
        match (&op["requestBody"], body) {
            (Value::Null, Some(b)) if !b.is_null() => problems.push(format!("{id}: takes no body, got {b}")),
            (Value::Null, _) => {}
            (rb, None) if rb["required"] == true => problems.push(format!("{id}: the body is required")),
            (_, None) => {}
            (rb, Some(b)) => {
                let schema = &rb["content"]["application/json"]["schema"];
                self.validate(schema, b, "body", true, &mut problems);
            }
        }
        if problems.is_empty() { Ok(Operation { id, params }) } else { Err(problems) }
    }

    /// `v`, or what its `$ref` points to.
    pub fn resolve<'a>(&'a self, v: &'a Value) -> &'a Value {
        match v["$ref"].as_str() {
            Some(r) => {
                let mut at = &self.doc;
                for part in r.trim_start_matches("#/").split('/') {
                    at = &at[part];
                }
                self.resolve(at)
            }
            None => v,
        }
    }

    fn validate(&self, schema: &Value, v: &Value, at: &str, strict: bool, out: &mut Vec<String>) {
        let s = self.resolve(schema);
        if v.is_null() && s["nullable"] == true {
            return;
        }
        if let Some(t) = s["type"].as_str() {
            let ok = match t {
                "object" => v.is_object(),
                "array" => v.is_array(),
                "string" => v.is_string(),
                "integer" => v.is_u64() || v.is_i64(),
                "number" => v.is_number(),
                "boolean" => v.is_boolean(),
                _ => true,
            };
            if !ok {
                out.push(format!("{at}: expected {t}, got {v}"));
                return;
            }
        }
        if let Some(allowed) = s["enum"].as_array()
            && !allowed.contains(v)
        {
            out.push(format!("{at}: {v} is not one of {}", Value::Array(allowed.clone())));
        }
        if let (Some(max), Some(text)) = (s["maxLength"].as_u64(), v.as_str()) {
            let n = text.chars().count() as u64;
            if n > max {
                out.push(format!("{at}: {n} characters, at most {max} allowed"));
            }
        }
        if let Some(items) = v.as_array() {
            if let Some(max) = s["maxItems"].as_u64()
                && items.len() as u64 > max
            {
                out.push(format!("{at}: {} items, at most {max} allowed", items.len()));
            }
            if let Some(min) = s["minItems"].as_u64()
                && (items.len() as u64) < min
            {
                out.push(format!("{at}: {} items, at least {min} required", items.len()));
            }
            if !s["items"].is_null() {
                for (i, item) in items.iter().enumerate() {
                    self.validate(&s["items"], item, &format!("{at}[{i}]"), strict, out);
                }
            }
        }
        if let Some(obj) = v.as_object() {
            self.validate_object(s, obj, at, strict, out);
        }
        for (key, need) in [("oneOf", Some(1)), ("anyOf", None)] {
            if let Some(branches) = s[key].as_array() {
                let passing = branches
                    .iter()
                    .filter(|b| {
                        let mut scratch = Vec::new();
                        self.validate(b, v, at, false, &mut scratch);
                        scratch.is_empty()
                    })
                    .count();
                let ok = match need {
                    Some(n) => passing == n,
                    None => passing > 0,
                };
                if !ok {
                    out.push(format!("{at}: {passing} of the {key} branches match"));
                }
            }
        }
        if let Some(all) = s["allOf"].as_array() {
            for b in all {
                self.validate(b, v, at, strict, out);
            }
        }
    }

    fn validate_object(&self, s: &Value, obj: &Map<String, Value>, at: &str, strict: bool, out: &mut Vec<String>) {
        let props = s["properties"].as_object();
        for name in s["required"].as_array().into_iter().flatten().filter_map(Value::as_str) {
            if !obj.contains_key(name) {
                out.push(format!("{at}: required field {name} is missing"));
            }
        }
        let Some(props) = props else { return };
        for (k, val) in obj {
            match props.get(k) {
                Some(p) => self.validate(p, val, &format!("{at}.{k}"), strict, out),
                None if strict && s["additionalProperties"] != true => {
                    out.push(format!("{at}: field {k} is not in the schema (misspelled?)"));
                }
                None => {}
            }
        }
    }
}

/// The operations temis calls: `(method, path template, operationId, query parameters, body
/// required)`, as GitHub's description states them (the conformance target checks that it does).
const ROUTES: &[(&str, &str, &str, &[&str], bool)] = &[
    ("post", "/repos/{owner}/{repo}/check-runs", "checks/create", &[], true),
    ("patch", "/repos/{owner}/{repo}/check-runs/{check_run_id}", "checks/update", &[], true),
    (
        "get",
        "/repos/{owner}/{repo}/commits/{ref}/check-runs",
        "checks/list-for-ref",
        &["check_name", "status", "filter", "per_page", "page", "app_id"],
        false,
    ),
    (
        "get",
        "/repos/{owner}/{repo}/issues/{issue_number}/comments",
        "issues/list-comments",
        &["since", "per_page", "page"],
        false,
    ),
    ("post", "/repos/{owner}/{repo}/issues/{issue_number}/comments", "issues/create-comment", &[], true),
    ("patch", "/repos/{owner}/{repo}/issues/comments/{comment_id}", "issues/update-comment", &[], true),
    ("delete", "/repos/{owner}/{repo}/issues/comments/{comment_id}", "issues/delete-comment", &[], false),
    ("get", "/repos/{owner}/{repo}/pulls/{pull_number}", "pulls/get", &[], false),
    ("get", "/repos/{owner}/{repo}/pulls/{pull_number}/files", "pulls/list-files", &["per_page", "page"], false),
];

/// The parameters of [`ROUTES`] that are integers.
const INTEGER_PARAMS: &[&str] =
    &["check_run_id", "issue_number", "comment_id", "pull_number", "per_page", "page", "app_id"];

/// Path parameters when `path` fits `template` and the template has `op`; `{ref}`-style
/// parameters marked multi-segment in the description take one or more segments.
fn match_template(template: &str, path: &str, multi: &[String]) -> Option<Vec<(String, String)>> {
    let t: Vec<&str> = template.trim_start_matches('/').split('/').collect();
    let p: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let mut params = Vec::new();
    walk(&t, &p, multi, &mut params).then_some(params)
}

fn walk(t: &[&str], p: &[&str], multi: &[String], params: &mut Vec<(String, String)>) -> bool {
    match (t.first(), p.first()) {
        (None, None) => true,
        (Some(seg), Some(_)) if seg.starts_with('{') => {
            let name = seg.trim_matches(|c| c == '{' || c == '}').to_string();
            let most = if multi.contains(&name) { p.len() } else { 1 };
            for take in (1..=most).rev() {
                let value = p[..take].join("/");
                if value.is_empty() {
                    continue;
                }
                params.push((name.clone(), value));
                if walk(&t[1..], &p[take..], multi, params) {
                    return true;
                }
                params.pop();
            }
            false
        }
        (Some(seg), Some(got)) if seg == got => walk(&t[1..], &p[1..], multi, params),
        _ => false,
    }
}

/// What both descriptions refuse: unknown operations, non-integer ids, `per_page` over 100, a
/// body where none is taken. Body schemas are GitHub's alone (`tests/conformance/openapi.rs`).
#[test]
fn the_validator_catches_what_github_would_refuse() {
    let spec = Spec::load();
    let ok = json!({"name": "temis", "head_sha": "abc", "status": "completed", "conclusion": "success",
        "output": {"title": "t", "summary": "s", "annotations": []}});
    assert_eq!(spec.check("POST", "/repos/o/r/check-runs", "", Some(&ok)).map(|o| o.id).unwrap(), "checks/create");
    assert!(spec.check("POST", "/repos/o/r/check-runs", "", None).is_err(), "the body is required");
    assert!(spec.check("PATCH", "/repos/o/r/issues/comments/x", "", Some(&json!({"body": "b"}))).is_err());
    assert!(spec.check("GET", "/repos/o/r/issues/3/comments", "per_page=101&page=1", None).is_err());
    assert!(spec.check("GET", "/repos/o/r/issues/3/comments", "sort=created", None).is_err());
    assert!(spec.check("GET", "/repos/o/r/pulls/7", "", Some(&json!({"x": 1}))).is_err());
    let found = spec.check("GET", "/repos/o/r/commits/heads/main/check-runs", "", None).unwrap();
    assert_eq!(found.params.iter().find(|(n, _)| n == "ref").map(|(_, v)| v.as_str()), Some("heads/main"));
    assert!(spec.check("POST", "/repos/o/r/issues/comments/3", "", Some(&json!({"body": "b"}))).is_err());
}
