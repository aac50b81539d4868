//! SARIF 2.1.0: each failed (or warned, or waived) check a result, uploadable to GitHub code
//! scanning. Rules are the registry's codes.

use serde_json::{Value, json};

use crate::gate::{Outcome, Verdict, codes};

pub fn render(v: &Verdict) -> String {
    let mut rule_ids: Vec<&str> = Vec::new();
    let mut results = Vec::new();
    for c in v.checks.iter().filter(|c| matches!(c.outcome, Outcome::Fail | Outcome::Warn | Outcome::Waived)) {
        let index = match rule_ids.iter().position(|r| *r == c.code) {
            Some(i) => i,
            None => {
                rule_ids.push(c.code);
                rule_ids.len() - 1
            }
        };
        let level = if c.outcome == Outcome::Warn { "warning" } else { "error" };
        let (uri, line) = c
            .evidence
            .iter()
            .find_map(|e| e.path.as_deref().map(|p| (p.to_string(), e.line.unwrap_or(1))))
            .unwrap_or_else(|| (policy_uri(&v.policy), 1));
        let mut text = c.message.clone();
        if let Some(h) = &c.hint {
            text.push('\n');
            text.push_str(h);
        }
        let mut result = json!({
            "ruleId": c.code,
            "ruleIndex": index,
            "level": level,
            "message": { "text": text },
            "locations": [{ "physicalLocation": {
                "artifactLocation": { "uri": uri },
                "region": { "startLine": line.max(1) }
            }}],
            "partialFingerprints": { "temisCheck/v1": format!("{}:{}", c.code, c.title) },
        });
        if let Some(w) = &c.waiver {
            result["suppressions"] =
                json!([{ "kind": "external", "justification": format!("{} ({})", w.reason, w.at) }]);
        }
        results.push(result);
    }
    let rules: Vec<Value> = rule_ids
        .iter()
        .map(|id| {
            let entry = codes::lookup(id);
            json!({
                "id": id,
                "name": id,
                "shortDescription": { "text": entry.map_or("", |e| e.summary) },
                "fullDescription": { "text": entry.map_or("", |e| e.explanation) },
                "help": { "text": format!("temis explain {id}") },
                "properties": { "tags": [entry.map_or("gate", |e| e.family)] }
            })
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "temis",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/temis-dev/temis",
                "rules": rules
            }},
            "results": results,
            "properties": { "verdict": v.status.label() }
        }]
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("SARIF serializes");
    s.push('\n');
    s
}

/// The policy file as a location: the file when there is one, else `temis.toml`.
fn policy_uri(policy: &str) -> String {
    if policy.ends_with(".toml") { policy.to_string() } else { "temis.toml".to_string() }
}
