//! Requests held to the platforms' own API descriptions (`../shared/ci-apis/`, or
//! `$TEMIS_SHARED/ci-apis/`), used by the fake server in the conformance target only: `cargo
//! test` passes on a clone with nothing beside it.
//!
//! GitLab's (Swagger 2.0: commit statuses, merge-request notes), Azure DevOps' (Swagger 2.0, Git
//! pull requests, api-version 7.1) and Bitbucket Cloud's (OpenAPI 3.0, Code Insights). For each
//! request: the operation (method and path template), its path and query parameters (declared,
//! typed, within `enum` and `maximum`, the required ones present), and the JSON body against the
//! operation's schema. The schema walk covers what the descriptions use — `type`, `x-nullable`,
//! `enum`, `properties`, `required`, `items`, `minItems`, `maxItems`, `maxLength`, `minimum`,
//! `maximum`, `format: uuid`, `allOf`, `anyOf`, `$ref` — and, for request bodies, an undeclared
//! field is an error (a misspelled field is caught). One deviation, said here: Bitbucket's
//! `report_data.value` is declared `type: object`, while the operation's own description (its
//! "Data field formats" table) gives a number, string, boolean or `{text, href}` by the field's
//! `type`; the value is checked against that table.
//!
//! The same walker validates the artifacts against their transcribed schemas
//! (`codequality.schema.json`, `warnings-ng-issues.schema.json`), without the strict rule:
//! there, extra fields are allowed.

use std::path::PathBuf;

use serde_json::Value;

use super::fake::{Platform, match_template};

/// A file of the shared test data: `$TEMIS_SHARED/REL`, else `../shared/REL`. A test that needs
/// a missing one fails, naming it.
pub fn shared(rel: &str) -> PathBuf {
    let root = std::env::var_os("TEMIS_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let p = root.join(rel);
    assert!(
        p.exists(),
        "missing {} (the shared test data must sit beside the project, or TEMIS_SHARED=DIR)",
        p.display()
    );
    p
}

/// A JSON file of the shared test data.
pub fn shared_json(rel: &str) -> Value {
    let path = shared(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// One platform's API description(s).
pub struct Contract {
    docs: Vec<Value>,
}

impl Contract {
    pub fn load(platform: Platform) -> Contract {
        let files: &[&str] = match platform {
            Platform::GitLab => &[
                "ci-apis/gitlab-v4-commit-statuses.openapi.json",
                "ci-apis/gitlab-v4-mr-notes.transcribed.openapi.json",
            ],
            Platform::Bitbucket => &["ci-apis/bitbucket-code-insights.openapi.json"],
            Platform::Azure => &["ci-apis/azure-devops-git-pr-7.1.json"],
        };
        Contract { docs: files.iter().map(|f| shared_json(f)).collect() }
    }

    /// The operation id `method path?query` names, or every way the request breaks the
    /// description.
    pub fn check(&self, method: &str, path: &str, query: &str, body: Option<&Value>) -> Result<String, Vec<String>> {
        let m = method.to_ascii_lowercase();
        let found = self.docs.iter().find_map(|doc| {
            doc["paths"].as_object()?.iter().find_map(|(template, item)| {
                let op = item.get(&m)?;
                let params = match_template(template, path)?;
                Some((doc, template.as_str(), item, op, params))
            })
        });
        let Some((doc, template, item, op, params)) = found else {
            return Err(vec![format!("no operation {method} {path} in the API description")]);
        };
        let id = op["operationId"].as_str().unwrap_or_default().to_string();
        let mut problems = Vec::new();
        let declared: Vec<&Value> = item["parameters"]
            .as_array()
            .into_iter()
            .chain(op["parameters"].as_array())
            .flatten()
            .map(|p| resolve(doc, p))
            .collect();
        let kind =
            |p: &Value| p["type"].as_str().or_else(|| p["schema"]["type"].as_str()).unwrap_or("string").to_string();
        for (name, value) in &params {
            match declared.iter().find(|p| p["in"] == "path" && p["name"] == name.as_str()) {
                None => problems.push(format!("{template}: path parameter {name} is not declared")),
                Some(p) if kind(p) == "integer" && value.parse::<i64>().is_err() => {
                    problems.push(format!("{id}: path parameter {name}={value:?} is not an integer"))
                }
                Some(_) => {}
            }
        }
        let pairs: Vec<(&str, &str)> =
            query.split('&').filter(|s| !s.is_empty()).map(|kv| kv.split_once('=').unwrap_or((kv, ""))).collect();
        for (k, v) in &pairs {
            let Some(p) = declared.iter().find(|p| p["in"] == "query" && p["name"] == *k) else {
                problems.push(format!("{id}: query parameter {k} is not declared"));
                continue;
            };
            let as_value = if kind(p) == "integer" {
                match v.parse::<i64>() {
                    Ok(n) => Value::from(n),
                    Err(_) => {
                        problems.push(format!("{id}: query parameter {k}={v:?} is not an integer"));
                        continue;
                    }
                }
            } else {
                Value::from(*v)
            };
            let schema = if p.get("schema").is_some() { p["schema"].clone() } else { (*p).clone() };
            validate(doc, &schema, &as_value, false, &format!("{id}: query {k}"), &mut problems);
        }
        for p in declared.iter().filter(|p| p["in"] == "query" && p["required"] == true) {
            if !pairs.iter().any(|(k, _)| p["name"] == *k) {
                problems.push(format!("{id}: the required query parameter {} is missing", p["name"]));
            }
        }
        let (schema, required) = match declared.iter().find(|p| p["in"] == "body") {
            Some(p) => (Some(&p["schema"]), p["required"] == true),
            None => {
                (op["requestBody"]["content"]["application/json"].get("schema"), op["requestBody"]["required"] == true)
            }
        };
        match (schema, body) {
            (Some(s), Some(b)) => validate(doc, s, b, true, &format!("{id}: body"), &mut problems),
            (Some(_), None) if required => problems.push(format!("{id}: the required body is missing")),
            (None, Some(_)) => problems.push(format!("{id}: takes no body")),
            _ => {}
        }
        if problems.is_empty() { Ok(id) } else { Err(problems) }
    }
}

/// `v`, or what its `$ref` (`#/a/b`) points to in `doc`.
pub fn resolve<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    match v["$ref"].as_str().and_then(|r| r.strip_prefix("#/")) {
        Some(r) => r.split('/').fold(doc, |at, seg| &at[seg.replace("~1", "/").replace("~0", "~")]),
        None => v,
    }
}

/// Every property name `schema` declares, its `allOf` parts' included.
fn declared(doc: &Value, schema: &Value, out: &mut Vec<String>) {
    let schema = resolve(doc, schema);
    if let Some(props) = schema["properties"].as_object() {
        out.extend(props.keys().cloned());
    }
    for part in schema["allOf"].as_array().into_iter().flatten() {
        declared(doc, part, out);
    }
}

/// Checks `value` against `schema` (resolved in `doc`), adding what is wrong to `out`; with
/// `strict`, an object field no schema declares is wrong too.
pub fn validate(doc: &Value, schema: &Value, value: &Value, strict: bool, at: &str, out: &mut Vec<String>) {
    let schema = resolve(doc, schema);
    for part in schema["allOf"].as_array().into_iter().flatten() {
        validate(doc, part, value, false, at, out);
    }
    if let Some(options) = schema["anyOf"].as_array() {
        let fits = options.iter().any(|o| {
            let mut p = Vec::new();
            validate(doc, o, value, false, at, &mut p);
            p.is_empty()
        });
        if !fits {
            out.push(format!("{at}: matches none of anyOf"));
        }
    }
    if value.is_null() && (schema["x-nullable"] == true || schema["nullable"] == true) {
        return;
    }
    if schema["title"] == "Report Data" {
        return report_data(value, at, out);
    }
    if let Some(t) = schema["type"].as_str() {
        let ok = match t {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            _ => true,
        };
        if !ok {
            out.push(format!("{at}: {value} is not of type {t}"));
            return;
        }
    }
    if let Some(choices) = schema["enum"].as_array()
        && !choices.contains(value)
    {
        out.push(format!("{at}: {value} is not one of {}", Value::Array(choices.clone())));
    }
    if let Some(s) = value.as_str() {
        if schema["maxLength"].as_u64().is_some_and(|m| s.chars().count() as u64 > m) {
            out.push(format!("{at}: {} characters, more than {}", s.chars().count(), schema["maxLength"]));
        }
        if schema["format"] == "uuid" && !is_uuid(s) {
            out.push(format!("{at}: {s:?} is not a UUID"));
        }
    }
    if let Some(n) = value.as_f64() {
        if schema["minimum"].as_f64().is_some_and(|m| n < m) {
            out.push(format!("{at}: {n} is under the minimum {}", schema["minimum"]));
        }
        if schema["maximum"].as_f64().is_some_and(|m| n > m) {
            out.push(format!("{at}: {n} is over the maximum {}", schema["maximum"]));
        }
    }
    if let Some(items) = value.as_array() {
        if schema["minItems"].as_u64().is_some_and(|m| (items.len() as u64) < m) {
            out.push(format!("{at}: {} items, fewer than {}", items.len(), schema["minItems"]));
        }
        if schema["maxItems"].as_u64().is_some_and(|m| items.len() as u64 > m) {
            out.push(format!("{at}: {} items, more than {}", items.len(), schema["maxItems"]));
        }
        if let Some(item) = schema.get("items") {
            for (i, v) in items.iter().enumerate() {
                validate(doc, item, v, strict, &format!("{at}[{i}]"), out);
            }
        }
    }
    if let Some(obj) = value.as_object() {
        for r in schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str) {
            if !obj.contains_key(r) {
                out.push(format!("{at}: the required field {r} is missing"));
            }
        }
        if let Some(props) = schema["properties"].as_object() {
            for (k, v) in obj {
                if let Some(s) = props.get(k) {
                    validate(doc, s, v, strict, &format!("{at}.{k}"), out);
                }
            }
        }
        let describes_fields = schema.get("properties").is_some() || schema.get("allOf").is_some();
        if strict && describes_fields {
            let mut names = Vec::new();
            declared(doc, schema, &mut names);
            for k in obj.keys().filter(|k| !names.contains(k)) {
                out.push(format!("{at}: the field {k} is not declared"));
            }
        }
    }
}

/// Bitbucket's report data field, by the "Data field formats" table of the report operation.
fn report_data(value: &Value, at: &str, out: &mut Vec<String>) {
    let types = ["BOOLEAN", "DATE", "DURATION", "LINK", "NUMBER", "PERCENTAGE", "TEXT"];
    let Some(obj) = value.as_object() else { return out.push(format!("{at}: not an object")) };
    for k in obj.keys().filter(|k| !["type", "title", "value"].contains(&k.as_str())) {
        out.push(format!("{at}: the field {k} is not declared"));
    }
    let v = &value["value"];
    let ok = match value["type"].as_str() {
        Some("BOOLEAN") => v.is_boolean(),
        Some("DATE" | "DURATION" | "NUMBER") => v.is_number(),
        Some("PERCENTAGE") => v.as_f64().is_some_and(|p| (0.0..=100.0).contains(&p)),
        Some("TEXT") => v.is_string(),
        Some("LINK") => v["text"].is_string() && v["href"].is_string(),
        Some(t) => {
            out.push(format!("{at}: type {t} is not one of {types:?}"));
            true
        }
        None => !v.is_array() && !v.is_object(),
    };
    if !ok {
        out.push(format!("{at}: the value {v} does not fit type {}", value["type"]));
    }
    if !value["title"].is_string() {
        out.push(format!("{at}: no title"));
    }
}

fn is_uuid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_hexdigit()))
}
