//! The Ruby-flavoured parts of a `.resultset.json`: branch and method keys are Ruby `inspect`
//! strings (`"[:then, 4, 6, 6, 6, 10]"`, `"[Foo, :bar, 3, 2, 5, 5]"`), and the file's shape is
//! told by its first keys.

use crate::model::{Branch, Function};
use crate::parsers::json::{Count, Entries};

/// Block ids for keys that could not be read, above any id Ruby hands out.
const UNREAD: u32 = 1_000_000_000;

/// An object whose first value is an object whose first key is `"coverage"`.
pub(super) fn looks_like_resultset(head: &[u8]) -> bool {
    fn string(b: &[u8]) -> Option<(&[u8], &[u8])> {
        let b = b.strip_prefix(b"\"")?;
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'\\' => i += 2,
                b'"' => return Some((&b[..i], &b[i + 1..])),
                _ => i += 1,
            }
        }
        None
    }
    fn token<'a>(b: &'a [u8], t: &[u8]) -> Option<&'a [u8]> {
        b.trim_ascii_start().strip_prefix(t)
    }
    let check = || {
        let b = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
        let b = token(b, b"{")?;
        let (_, b) = string(b.trim_ascii_start())?;
        let b = token(token(b, b":")?, b"{")?;
        let (key, b) = string(b.trim_ascii_start())?;
        (key == b"coverage").then_some(())?;
        token(token(b, b":")?, b"{").map(|_| ())
    };
    check().is_some()
}

/// `[:type, id, start_line, …]` → (id, start_line).
fn branch_key(key: &str) -> Option<(u32, u32)> {
    let inner = key.trim().strip_prefix('[')?.strip_suffix(']')?;
    let mut parts = inner.split(',').map(str::trim);
    parts.next().filter(|t| t.starts_with(':'))?;
    let id = parts.next()?.parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    Some((id, line))
}

/// Every entry of a condition's inner map is one branch, reported on SimpleCov's
/// `report_line`: the branch's start line when it starts on the condition's line (`a ? b : c`),
/// else the line before it (the `if`, `else` or `when` line).
pub(super) fn push_branches(out: &mut Vec<Branch>, conditions: &Entries<Entries<Count>>) {
    for (ci, (condition, inner)) in conditions.0.iter().enumerate() {
        let cond = branch_key(condition);
        for (bi, (key, Count(taken))) in inner.0.iter().enumerate() {
            let (block, branch, line) = match (cond, branch_key(key)) {
                (Some((cid, cline)), Some((bid, bline))) => {
                    let line = if bline == cline || bline <= 1 { bline } else { bline - 1 };
                    (cid, bid, line)
                }
                (c, b) => (UNREAD.saturating_add(ci as u32), bi as u32, c.or(b).map_or(0, |k| k.1)),
            };
            out.push(Branch { line, block, branch, taken: Some(*taken) });
        }
    }
}

/// `[Class, :method, start_line, start_col, end_line, end_col]` → `Class#method` on its line.
pub(super) fn push_methods(out: &mut Vec<Function>, methods: &Entries<Count>) {
    for (key, Count(hits)) in &methods.0 {
        let inner = key.trim().strip_prefix('[').and_then(|k| k.strip_suffix(']'));
        let mut parts = inner.map(|k| k.rsplitn(5, ',').map(str::trim).collect::<Vec<_>>());
        let (name, line) = match parts.as_mut().filter(|p| p.len() == 5) {
            Some(p) => {
                let line = p[3].parse().unwrap_or(0);
                let name = match p[4].rsplit_once(',') {
                    Some((class, method)) => {
                        format!("{}#{}", class.trim(), method.trim().trim_start_matches(':'))
                    }
                    None => p[4].to_string(),
                };
                (name, line)
            }
            None => (key.clone(), 0),
        };
        out.push(Function { name, line, hits: *hits });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resultset_signature() {
        let pretty = b"{\n  \"csv-test-unit\": {\n    \"coverage\": {\n      \"/a.rb\": {";
        assert!(looks_like_resultset(pretty));
        assert!(looks_like_resultset(b"\xEF\xBB\xBF{\"a \\\"b\\\"\":{\"coverage\":{}}"));
        assert!(!looks_like_resultset(b"{\"coverage\": {\"a.rb\": [1]}}"));
        assert!(!looks_like_resultset(b"{\"meta\": {\"simplecov_version\": \"0.22.0\"}}"));
        assert!(!looks_like_resultset(b"{\"RSpec\": {\"timestamp\": 1, \"coverage\": {}}}"));
        assert!(!looks_like_resultset(b"{\"x"));
    }

    #[test]
    fn branch_lines_follow_simplecov_report_line() {
        let conditions = Entries(vec![(
            "[:if, 0, 3, 4, 7, 7]".to_string(),
            Entries(vec![
                ("[:then, 1, 4, 6, 4, 10]".to_string(), Count(2)),
                ("[:else, 2, 6, 6, 6, 10]".to_string(), Count(0)),
                ("garbage".to_string(), Count(1)),
            ]),
        )]);
        let mut out = Vec::new();
        push_branches(&mut out, &conditions);
        let got: Vec<_> = out.iter().map(|b| (b.line, b.block, b.branch)).collect();
        assert_eq!(got, vec![(3, 0, 1), (5, 0, 2), (3, UNREAD, 2)]);
    }

    #[test]
    fn method_names_read_like_simplecov() {
        let methods = Entries(vec![
            ("[Foo::Bar, :baz, 3, 2, 5, 5]".to_string(), Count(1)),
            ("[#<Class:Foo>, :new, 9, 2, 9, 20]".to_string(), Count(0)),
            ("odd".to_string(), Count(4)),
        ]);
        let mut out = Vec::new();
        push_methods(&mut out, &methods);
        let got: Vec<_> = out.iter().map(|f| (f.name.as_str(), f.line)).collect();
        assert_eq!(got, vec![("Foo::Bar#baz", 3), ("#<Class:Foo>#new", 9), ("odd", 0)]);
    }
}
