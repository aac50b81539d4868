//! Mutations of a seed report: the hostile inputs a quality gate meets. Byte flips, truncation,
//! splices between seeds, duplicated chunks, absurd numbers, wrong JSON types, XML entity tricks
//! (billion laughs, external entities and DTDs pointing at a local listener or a canary file),
//! deep nesting, NUL bytes, invalid UTF-8, line shuffles and line-ending changes.

use serde_json::Value;

use super::rng::Rng;

/// What mutations may point at: the other seeds (splices), the local listener that must never
/// be contacted, and the canary file whose text must never show up; and how large an input may
/// grow.
pub struct Ctx<'a> {
    pub seeds: &'a [Vec<u8>],
    pub port: u16,
    pub canary: &'a str,
    pub max_input: usize,
}

type Mutation = fn(&mut Rng, &mut Vec<u8>, &Ctx) -> bool;

/// `(name, weight, mutation)`; a mutation returns false when it does not apply to the input.
const MUTATIONS: &[(&str, usize, Mutation)] = &[
    ("flip-bits", 6, flip_bits),
    ("set-bytes", 6, set_bytes),
    ("truncate", 6, truncate),
    ("splice", 4, splice),
    ("duplicate-chunk", 4, duplicate_chunk),
    ("delete-chunk", 4, delete_chunk),
    ("absurd-number", 10, absurd_number),
    ("json-wrong-type", 10, json_wrong_type),
    ("json-absurd-number", 6, json_absurd_number),
    ("xml-entities", 6, xml_entities),
    ("deep-nesting", 3, deep_nesting),
    ("nul-bytes", 3, nul_bytes),
    ("invalid-utf8", 3, invalid_utf8),
    ("lines", 6, lines),
    ("line-endings", 2, line_endings),
    ("huge-run", 1, huge_run),
    ("near-empty", 1, near_empty),
];

/// Applies one to three mutations to `data`; returns their names. The input grows to
/// `ctx.max_input` at most (or stays within its own size, when larger).
pub fn mutate(rng: &mut Rng, data: &mut Vec<u8>, ctx: &Ctx) -> Vec<&'static str> {
    let cap = ctx.max_input.max(data.len());
    let total: usize = MUTATIONS.iter().map(|m| m.1).sum();
    let mut applied = Vec::new();
    let rounds = 1 + rng.below(3);
    let mut attempts = 0;
    while applied.len() < rounds && attempts < 20 {
        attempts += 1;
        let mut at = rng.below(total);
        let (name, _, mutation) = MUTATIONS
            .iter()
            .find(|m| {
                if at < m.1 {
                    return true;
                }
                at -= m.1;
                false
            })
            .expect("a mutation");
        if mutation(rng, data, ctx) {
            data.truncate(cap);
            applied.push(*name);
        }
    }
    applied
}

fn span(rng: &mut Rng, len: usize, max: usize) -> (usize, usize) {
    let start = rng.below(len + 1);
    let end = (start + 1 + rng.below(max.max(1))).min(len);
    (start, end.max(start))
}

#[allow(clippy::ptr_arg)] // the signature every mutation of the table has
fn flip_bits(rng: &mut Rng, data: &mut Vec<u8>, _: &Ctx) -> bool {
    if data.is_empty() {
        return false;
    }
    for _ in 0..1 + rng.below(8) {
        let i = rng.below(data.len());
        data[i] ^= 1 << rng.below(8);
    }
    true
}

const INTERESTING_BYTES: &[u8] = b"\0\xff\"'<>{}[],:;=&#%\n\r\t -+.eE09\\/";

#[allow(clippy::ptr_arg)] // the signature every mutation of the table has
fn set_bytes(rng: &mut Rng, data: &mut Vec<u8>, _: &Ctx) -> bool {
    if data.is_empty() {
        return false;
    }
    for _ in 0..1 + rng.below(8) {
        let i = rng.below(data.len());
        data[i] = *rng.pick(INTERESTING_BYTES);
    }
    true
}

fn truncate(rng: &mut Rng, data: &mut Vec<u8>, _: &Ctx) -> bool {
    if data.is_empty() {
        return false;
    }
    let at = rng.below(data.len());
    data.truncate(at);
    true
}

fn splice(rng: &mut Rng, data: &mut Vec<u8>, ctx: &Ctx) -> bool {
    let other = rng.pick(ctx.seeds);
    let (cut, from) = (rng.below(data.len() + 1), rng.below(other.len() + 1));
    data.truncate(cut);
    data.extend_from_slice(&other[from..]);
    true
}

fn duplicate_chunk(rng: &mut Rng, data: &mut Vec<u8>, ctx: &Ctx) -> bool {
    if data.is_empty() {
        return false;
    }
    let (a, b) = span(rng, data.len(), 4096);
    let chunk = data[a..b].to_vec();
    let at = rng.below(data.len() + 1);
    let times = if rng.one_in(8) { 1 + rng.below(2000) } else { 1 + rng.below(3) };
    let mut insert = Vec::with_capacity(chunk.len() * times);
    for _ in 0..times {
        if insert.len() + chunk.len() > ctx.max_input / 2 {
            break;
        }
        insert.extend_from_slice(&chunk);
    }
    data.splice(at..at, insert);
    true
}

fn delete_chunk(rng: &mut Rng, data: &mut Vec<u8>, _: &Ctx) -> bool {
    if data.is_empty() {
        return false;
    }
    let (a, b) = span(rng, data.len(), 256);
    data.drain(a..b);
    true
}

/// Numbers no producer writes, and numbers at every integer type's edge.
const ABSURD_NUMBERS: &[&str] = &[
    "0",
    "-1",
    "-0",
    "1e308",
    "1e309",
    "-1e308",
    "1e23",
    "1e-400",
    "0.5",
    "255",
    "256",
    "65536",
    "4294967295",
    "4294967296",
    "2147483648",
    "-2147483649",
    "9223372036854775807",
    "9223372036854775808",
    "18446744073709551615",
    "18446744073709551616",
    "99999999999999999999999999999999999999",
    "NaN",
    "inf",
    "-Infinity",
    "1.5",
    "1,5",
    "0x1f",
    "00012",
    "+1",
    "1e",
    "--1",
    "",
];

/// Replaces one run of digits (with its sign, point and exponent) by an absurd number.
fn absurd_number(rng: &mut Rng, data: &mut Vec<u8>, _: &Ctx) -> bool {
    let mut starts = Vec::new();
    let mut i = 0;
    while i < data.len() && starts.len() < 100_000 {
        if data[i].is_ascii_digit() && (i == 0 || !data[i - 1].is_ascii_alphanumeric()) {
            starts.push(i);
            while i < data.len() && data[i].is_ascii_digit() {
                i += 1;
            }
        }
        i += 1;
    }
    if starts.is_empty() {
        return false;
    }
    let mut start = *rng.pick(&starts);
    if start > 0 && data[start - 1] == b'-' {
        start -= 1;
    }
    let mut end = start + 1;
    while end < data.len() && (data[end].is_ascii_digit() || b".eE+-".contains(&data[end])) {
        end += 1;
    }
    let with = *rng.pick(ABSURD_NUMBERS);
    data.splice(start..end, with.bytes());
    true
}

/// The JSON value of `data`, when it is JSON small enough to rewrite.
fn json_of(data: &[u8]) -> Option<Value> {
    let first = data.iter().find(|b| !b.is_ascii_whitespace())?;
    if !matches!(first, b'{' | b'[') || data.len() > 4 << 20 {
        return None;
    }
    serde_json::from_slice(data).ok()
}

/// How many nodes `v` holds, itself included.
fn count(v: &Value) -> usize {
    1 + match v {
        Value::Object(m) => m.values().map(count).sum(),
        Value::Array(a) => a.iter().map(count).sum(),
        _ => 0,
    }
}

/// The path (object keys and array indices) of node `n` of `v` in document order.
fn nth_path(v: &Value, n: &mut usize, here: &mut Vec<Step>) -> Option<Vec<Step>> {
    if *n == 0 {
        return Some(here.clone());
    }
    *n -= 1;
    let children: Vec<(Step, &Value)> = match v {
        Value::Object(m) => m.iter().map(|(k, c)| (Step::Key(k.clone()), c)).collect(),
        Value::Array(a) => a.iter().enumerate().map(|(i, c)| (Step::Index(i), c)).collect(),
        _ => return None,
    };
    for (step, child) in children {
        here.push(step);
        let found = nth_path(child, n, here);
        here.pop();
        if found.is_some() {
            return found;
        }
    }
    None
}

#[derive(Clone)]
enum Step {
    Key(String),
    Index(usize),
}

fn at_path<'a>(v: &'a mut Value, path: &[Step]) -> &'a mut Value {
    path.iter().fold(v, |v, step| match step {
        Step::Key(k) => &mut v[k.as_str()],
        Step::Index(i) => &mut v[*i],
    })
}

/// A random node of the JSON in `data`, replaced by what `replace` makes of it; the result
/// written back compact or pretty. `PLACEHOLDER` strings become raw number text.
fn rewrite_json(rng: &mut Rng, data: &mut Vec<u8>, replace: impl Fn(&mut Rng, &Value) -> Option<Value>) -> bool {
    let Some(mut doc) = json_of(data) else { return false };
    let mut n = rng.below(count(&doc));
    let path = nth_path(&doc, &mut n, &mut Vec::new()).expect("node n exists");
    let node = at_path(&mut doc, &path);
    let Some(new) = replace(rng, node) else { return false };
    *node = new;
    if !path.is_empty() && rng.one_in(6) {
        // Or drop the member or item altogether.
        let (parent_path, last) = path.split_at(path.len() - 1);
        match (at_path(&mut doc, parent_path), &last[0]) {
            (Value::Object(m), Step::Key(k)) => {
                m.remove(k);
            }
            (Value::Array(a), Step::Index(i)) if *i < a.len() => {
                a.remove(*i);
            }
            _ => {}
        }
    }
    let text = if rng.one_in(2) { serde_json::to_string(&doc) } else { serde_json::to_string_pretty(&doc) };
    let mut text = text.expect("JSON serializes");
    while let Some(at) = text.find(&format!("\"{PLACEHOLDER}")) {
        let end = text[at + 1..].find('"').expect("closing quote") + at + 2;
        let raw = text[at + 1 + PLACEHOLDER.len()..end - 1].to_string();
        text.replace_range(at..end, &raw);
    }
    *data = text.into_bytes();
    true
}

/// Marks a string that stands for raw number text (`"PLACEHOLDER1e400"` becomes `1e400`).
const PLACEHOLDER: &str = "temis-fuzz-raw:";

fn raw(text: &str) -> Value {
    Value::String(format!("{PLACEHOLDER}{text}"))
}

fn json_wrong_type(rng: &mut Rng, data: &mut Vec<u8>, _: &Ctx) -> bool {
    rewrite_json(rng, data, |rng, node| {
        let options: Vec<Value> = match node {
            Value::Array(a) => vec![
                serde_json::json!({}),
                Value::String("[]".into()),
                Value::from(0),
                Value::Null,
                Value::Bool(true),
                serde_json::json!({ "0": a.first().cloned().unwrap_or(Value::Null) }),
            ],
            Value::Object(_) => vec![
                serde_json::json!([]),
                Value::String("x".into()),
                Value::from(1),
                Value::Null,
                serde_json::json!([node.clone()]),
            ],
            Value::Number(n) => vec![
                Value::String(n.to_string()),
                serde_json::json!([]),
                serde_json::json!({}),
                Value::Null,
                Value::Bool(true),
                Value::from(-1),
                Value::from(0.5),
            ],
            Value::String(_) => vec![
                Value::from(1),
                serde_json::json!([]),
                serde_json::json!({}),
                Value::Null,
                Value::String(String::new()),
                Value::String("x".repeat(100_000)),
                Value::String("a\u{0}b\u{202e}c\r\n::error::x".into()),
                Value::String("../../../../etc/passwd".into()),
                Value::String("-1".into()),
                Value::String("NaN".into()),
            ],
            Value::Bool(_) => vec![Value::String("true".into()), Value::from(1), Value::Null],
            Value::Null => {
                vec![Value::from(0), Value::String(String::new()), serde_json::json!([]), serde_json::json!({})]
            }
        };
        Some(rng.pick(&options).clone())
    })
}

fn json_absurd_number(rng: &mut Rng, data: &mut Vec<u8>, _: &Ctx) -> bool {
    rewrite_json(rng, data, |rng, node| {
        // Prefer numbers; any node may become one.
        if !node.is_number() && !rng.one_in(4) {
            return None;
        }
        let text = *rng.pick(ABSURD_NUMBERS);
        Some(match text.parse::<f64>() {
            Ok(_) if !text.is_empty() && !text.contains(['N', 'i', 'I', 'x', ',']) => raw(text),
            _ => Value::String(text.to_string()),
        })
    })
}

/// Where a DOCTYPE can go (after the XML declaration) and where the root element's content
/// starts (after its start tag), when `data` looks like XML: found in its bytes, since places in
/// a lossy decoding are not places in `data` once a mutation has put bytes that are not UTF-8
/// in it.
fn xml_points(data: &[u8]) -> Option<(usize, usize)> {
    let text = &data[..data.len().min(1 << 16)];
    let find = |from: usize, what: &[u8]| memchr::memmem::find(text.get(from..)?, what).map(|i| from + i);
    let start = find(0, b"<")?;
    let decl = if text[start..].starts_with(b"<?xml") { find(start, b"?>")? + 2 } else { start };
    let mut at = decl;
    loop {
        let open = find(at, b"<")?;
        // A name starts with a letter (any byte past ASCII: a letter of another script, likely).
        let next = *text.get(open + 1)?;
        let close = find(open, b">")? + 1;
        if next.is_ascii_alphabetic() || !next.is_ascii() {
            return Some((decl, close));
        }
        at = close;
    }
}

fn xml_entities(rng: &mut Rng, data: &mut Vec<u8>, ctx: &Ctx) -> bool {
    let Some((decl, content)) = xml_points(data) else { return false };
    let url = format!("http://127.0.0.1:{}", ctx.port);
    let laughs = {
        let mut d = String::from("<!ENTITY lol \"lol\">");
        for i in 1..=9 {
            let prev = if i == 1 { "lol".to_string() } else { format!("lol{}", i - 1) };
            d.push_str(&format!("<!ENTITY lol{i} \"{}\">", format!("&{prev};").repeat(10)));
        }
        d
    };
    let (doctype, reference) = match rng.below(9) {
        0 => (format!("<!DOCTYPE r [{laughs}]>"), "&lol9;".to_string()),
        1 => (format!("<!DOCTYPE r [<!ENTITY xxe SYSTEM \"{url}/xxe\">]>"), "&xxe;".to_string()),
        2 => (format!("<!DOCTYPE r [<!ENTITY xxe SYSTEM \"file://{}\">]>", ctx.canary), "&xxe;".to_string()),
        3 => (format!("<!DOCTYPE r [<!ENTITY % p SYSTEM \"{url}/p.dtd\"> %p;]>"), String::new()),
        4 => (format!("<!DOCTYPE coverage SYSTEM \"{url}/coverage.dtd\">"), String::new()),
        5 => {
            (format!("<!DOCTYPE r [<!ENTITY a \"{}\">]>", "x".repeat(50_000)), "&a;".repeat(2_000 + rng.below(20_000)))
        }
        6 => (
            String::new(),
            rng.pick(&["&nosuch;", "&#0;", "&#x110000;", "&#xD800;", "&#99999999999;", "&"]).to_string(),
        ),
        7 => (
            String::new(),
            format!("<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"{url}/x.xml\" parse=\"text\"/>"),
        ),
        _ => (format!("<!DOCTYPE r [<!ENTITY xxe SYSTEM \"{url}/xxe\">]>"), String::new()),
    };
    let mut out = Vec::with_capacity(data.len() + doctype.len() + reference.len());
    out.extend_from_slice(&data[..decl]);
    out.extend_from_slice(doctype.as_bytes());
    if !reference.is_empty() && rng.one_in(2) {
        // In an attribute value instead of text, where one is near.
        let text = &data[decl..];
        if let Some(eq) = text.windows(2).position(|w| w == b"=\"") {
            let at = decl + eq + 2;
            out.extend_from_slice(&data[decl..at]);
            out.extend_from_slice(reference.as_bytes());
            out.extend_from_slice(&data[at..]);
            *data = out;
            return true;
        }
    }
    out.extend_from_slice(&data[decl..content]);
    out.extend_from_slice(reference.as_bytes());
    out.extend_from_slice(&data[content..]);
    *data = out;
    true
}

fn deep_nesting(rng: &mut Rng, data: &mut Vec<u8>, _: &Ctx) -> bool {
    let depth = *rng.pick(&[300, 5_000, 100_001, 1_000_000]);
    let balanced = !rng.one_in(3);
    let (open, close): (&[u8], &[u8]) = match xml_points(data) {
        Some(_) if rng.one_in(2) => (b"<a>", b"</a>"),
        _ if rng.one_in(2) => (b"{\"a\":", b"}"),
        _ => (b"[", b"]"),
    };
    let at = match xml_points(data) {
        Some((_, content)) if open[0] == b'<' => content,
        _ => rng.below(data.len() + 1),
    };
    let mut insert = open.repeat(depth);
    if open == b"{\"a\":" {
        insert.push(b'1');
    }
    if balanced {
        insert.extend(close.repeat(depth));
    }
    data.splice(at..at, insert);
    true
}

fn nul_bytes(rng: &mut Rng, data: &mut Vec<u8>, _: &Ctx) -> bool {
    for _ in 0..1 + rng.below(16) {
        let at = rng.below(data.len() + 1);
        data.insert(at, 0);
    }
    true
}

const INVALID_UTF8: &[&[u8]] = &[
    b"\xff",
    b"\xfe\xff",
    b"\xc3\x28",
    b"\xed\xa0\x80",
    b"\xc0\xaf",
    b"\x80",
    b"\xf4\x90\x80\x80",
    b"\xe2\x82",
    b"\xef\xbb\xbf",
];

fn invalid_utf8(rng: &mut Rng, data: &mut Vec<u8>, _: &Ctx) -> bool {
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(data.len() + 1);
        let bytes = *rng.pick(INVALID_UTF8);
        data.splice(at..at, bytes.iter().copied());
    }
    true
}

/// Line-level edits: a line duplicated, dropped, or two swapped (records out of order, a
/// missing end of record, a repeated header).
fn lines(rng: &mut Rng, data: &mut Vec<u8>, _: &Ctx) -> bool {
    let mut lines: Vec<Vec<u8>> = data.split(|b| *b == b'\n').map(<[u8]>::to_vec).collect();
    if lines.len() < 2 {
        return false;
    }
    for _ in 0..1 + rng.below(4) {
        let (i, j) = (rng.below(lines.len()), rng.below(lines.len()));
        match rng.below(3) {
            0 => {
                let line = lines[i].clone();
                let times = if rng.one_in(10) { 1000 } else { 1 };
                for _ in 0..times {
                    lines.insert(j, line.clone());
                }
            }
            1 if lines.len() > 1 => {
                lines.remove(i);
            }
            _ => lines.swap(i, j),
        }
    }
    *data = lines.join(&b'\n');
    true
}

fn line_endings(rng: &mut Rng, data: &mut Vec<u8>, _: &Ctx) -> bool {
    let text: Vec<u8> = match rng.below(4) {
        0 => data.iter().flat_map(|b| if *b == b'\n' { vec![b'\r', b'\n'] } else { vec![*b] }).collect(),
        1 => data.iter().map(|b| if *b == b'\n' { b'\r' } else { *b }).collect(),
        2 => data.iter().copied().filter(|b| *b != b'\n' && *b != b'\r').collect(),
        _ => [b"\xef\xbb\xbf".as_slice(), data].concat(),
    };
    *data = text;
    true
}

fn huge_run(rng: &mut Rng, data: &mut Vec<u8>, ctx: &Ctx) -> bool {
    let at = rng.below(data.len() + 1);
    let byte = *rng.pick(b"9a \"<");
    let len = (*rng.pick(&[70_000, 1 << 20, 8 << 20])).min(ctx.max_input / 2);
    data.splice(at..at, std::iter::repeat_n(byte, len));
    true
}

fn near_empty(rng: &mut Rng, data: &mut Vec<u8>, _: &Ctx) -> bool {
    let with = *rng.pick::<&[u8]>(&[
        b"",
        b" ",
        b"\n",
        b"\xef\xbb\xbf",
        b"{}",
        b"[]",
        b"null",
        b"0",
        b"\"\"",
        b"<a/>",
        b"<?xml version=\"1.0\"?>",
        b"\0",
    ]);
    *data = with.to_vec();
    true
}

#[cfg(test)]
mod tests {
    use super::xml_points;

    /// The places are places in the bytes, with bytes that are not UTF-8 before them or not (a
    /// lossy decoding makes each such byte three: its places fell past the end of the data).
    #[test]
    fn xml_points_are_places_in_the_bytes() {
        let xml = b"<?xml version=\"1.0\"?><!-- c --><root a=\"1\">x</root>";
        assert_eq!(xml_points(xml), Some((21, 43)));
        let damaged = [&b"\xff\xfe\xff"[..], xml].concat();
        assert_eq!(xml_points(&damaged), Some((24, 46)));
        let inside = [&b"<r>\xff\xff\xff\xff"[..], &b"<a>"[..]].concat();
        assert_eq!(xml_points(&inside), Some((0, 3)));
        assert_eq!(xml_points(b"no markup \xff"), None);
    }
}
