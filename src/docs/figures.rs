//! A verdict's figures as `name: value` pairs, whatever figures the gate measures: the check
//! families that land later (security, accessibility, performance, patch coverage) appear in
//! records without a change here.

use crate::gate::Verdict;
use crate::gate::verdict::trim_number;

/// The measured figures that have a value, by name (sorted), numbers written as temis shows
/// them (two decimals at most).
pub fn of(v: &Verdict) -> Vec<(String, String)> {
    let Ok(serde_json::Value::Object(map)) = serde_json::to_value(&v.figures) else { return Vec::new() };
    let mut out = Vec::new();
    flatten("", &serde_json::Value::Object(map), &mut out);
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn flatten(prefix: &str, value: &serde_json::Value, out: &mut Vec<(String, String)>) {
    use serde_json::Value as J;
    match value {
        J::Null => {}
        J::Object(m) => {
            for (k, v) in m {
                let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}_{k}") };
                flatten(&key, v, out);
            }
        }
        J::Number(n) => {
            let shown = match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => u.to_string(),
                (_, Some(i), _) => i.to_string(),
                (_, _, Some(f)) => trim_number(f),
                _ => n.to_string(),
            };
            out.push((prefix.to_string(), shown));
        }
        J::Bool(b) => out.push((prefix.to_string(), b.to_string())),
        J::String(s) => out.push((prefix.to_string(), s.clone())),
        J::Array(items) => {
            if !items.is_empty() {
                let parts: Vec<String> = items.iter().map(|i| i.to_string().trim_matches('"').to_string()).collect();
                out.push((prefix.to_string(), parts.join(", ")));
            }
        }
    }
}
