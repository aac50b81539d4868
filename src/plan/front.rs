//! Front matter: the `---` block at the top of a plan or a phase record.
//!
//! temis reads and writes a small YAML subset: `key: scalar`, and one level of nesting
//! (`key:` followed by indented `sub: scalar` lines or `- item` lines). That covers what it writes
//! (approval, measured values, the verdict) and the top-level scalars other tools put in their
//! plans; anything richer in a user's block is kept as written and ignored, never an error.

use super::PlanError;

/// A value in the block.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Scalar(String),
    /// `key:` then indented `sub: value` lines, in order.
    Map(Vec<(String, String)>),
    /// `key:` then indented `- item` lines.
    List(Vec<String>),
}

/// One top-level key.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: String,
    pub value: Value,
    /// 1-based line of the key in the file.
    pub line: u32,
}

/// A front-matter block read from the top of a file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FrontMatter {
    pub entries: Vec<Entry>,
}

impl FrontMatter {
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }

    /// The scalar at `key`.
    pub fn scalar(&self, key: &str) -> Option<&str> {
        match &self.get(key)?.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// `key.sub` in a one-level map.
    pub fn nested(&self, key: &str, sub: &str) -> Option<&str> {
        match &self.get(key)?.value {
            Value::Map(m) => m.iter().find(|(k, _)| k == sub).map(|(_, v)| v.as_str()),
            _ => None,
        }
    }

    /// The first key given twice, and its second entry.
    fn repeated(&self) -> Option<(&Entry, &Entry)> {
        self.entries.iter().enumerate().find_map(|(i, again)| {
            self.entries[..i].iter().find(|first| first.key == again.key).map(|first| (first, again))
        })
    }

    /// `true` / `yes` / `approved` read as true.
    pub fn flag(&self, key: &str) -> bool {
        self.scalar(key).is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "true" | "yes" | "approved"))
    }
}

/// Where the block sits in the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    /// Byte offset just past the closing `---` line.
    pub end: usize,
    /// 1-based line number of the closing `---`.
    pub closing_line: u32,
}

/// The front matter with its span, if any, and the text after it.
pub type Split<'a> = (Option<(FrontMatter, Span)>, &'a str);

/// Splits `text` into its front matter (if it opens with `---`) and the rest. An opening `---`
/// without a closing one is an error at line 1.
pub fn split(text: &str) -> Result<Split<'_>, PlanError> {
    // After a byte-order mark (a Windows editor's), if any: the span counts it, the body leaves
    // it out.
    let start = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let first_end = text[start..].find('\n').map_or(text.len(), |i| start + i + 1);
    if text[start..first_end].trim_end() != "---" {
        return Ok((None, &text[start..]));
    }
    let mut offset = first_end;
    let mut lines: Vec<(u32, &str)> = Vec::new();
    let mut n = 1u32;
    for raw in text[offset..].split_inclusive('\n') {
        n += 1;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        if line.trim_end() == "---" || line.trim_end() == "..." {
            let fm = parse(&lines);
            if let Some((first, again)) = fm.repeated() {
                return Err(PlanError::at(
                    again.line,
                    format!(
                        "`{}` is given twice in the front matter (lines {} and {}): YAML keys are unique, and \
                         tools disagree on which one counts — keep one",
                        again.key, first.line, again.line
                    ),
                ));
            }
            return Ok((Some((fm, Span { end: offset, closing_line: n })), &text[offset..]));
        }
        lines.push((n, line));
    }
    Err(PlanError::at(1, "the front matter opened with `---` is never closed: add a `---` line after it"))
}

fn parse(lines: &[(u32, &str)]) -> FrontMatter {
    let mut entries: Vec<Entry> = Vec::new();
    for &(n, line) in lines {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let indented = line.starts_with([' ', '\t']);
        if !indented {
            let Some((key, value)) = line.split_once(':') else { continue };
            let key = key.trim();
            if key.is_empty() || key.contains(' ') {
                continue;
            }
            let value = value.trim();
            let value = if value.is_empty() { Value::Map(Vec::new()) } else { Value::Scalar(unquote(value)) };
            entries.push(Entry { key: key.to_string(), value, line: n });
            continue;
        }
        let Some(last) = entries.last_mut() else { continue };
        let item = line.trim();
        if let Some(rest) = item.strip_prefix("- ").or_else(|| (item == "-").then_some("")) {
            match &mut last.value {
                Value::List(l) => l.push(unquote(rest.trim())),
                Value::Map(m) if m.is_empty() => last.value = Value::List(vec![unquote(rest.trim())]),
                _ => {}
            }
        } else if let Some((k, v)) = item.split_once(':')
            && let Value::Map(m) = &mut last.value
        {
            m.push((k.trim().to_string(), unquote(v.trim())));
        }
    }
    FrontMatter { entries }
}

/// A scalar as written: quotes removed, a trailing ` # comment` dropped from plain values.
fn unquote(v: &str) -> String {
    if v.len() >= 2 && v.starts_with('"') && v.ends_with('"') {
        let inner = &v[1..v.len() - 1];
        let mut out = String::with_capacity(inner.len());
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some(other) => out.push(other),
                    None => out.push('\\'),
                }
            } else {
                out.push(c);
            }
        }
        return out;
    }
    if v.len() >= 2 && v.starts_with('\'') && v.ends_with('\'') {
        return v[1..v.len() - 1].replace("''", "'");
    }
    match v.find(" #") {
        Some(i) => v[..i].trim_end().to_string(),
        None => v.to_string(),
    }
}

/// A scalar written so that it reads back as itself.
pub fn quote(v: &str) -> String {
    let plain = !v.is_empty()
        && !v.starts_with([
            ' ', '"', '\'', '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '%', '@', '`',
        ])
        && !v.ends_with(' ')
        && !v.contains(": ")
        && !v.contains(" #")
        && !v.ends_with(':')
        && !v.contains(['\n', '\r', '\t', '"', '\\']);
    if plain {
        return v.to_string();
    }
    let mut out = String::with_capacity(v.len() + 2);
    out.push('"');
    for c in v.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Writes a block, `---` lines included.
pub fn render(entries: &[(String, Value)]) -> String {
    let mut out = String::from("---\n");
    for (k, v) in entries {
        match v {
            Value::Scalar(s) => out.push_str(&format!("{k}: {}\n", quote(s))),
            Value::Map(m) => {
                out.push_str(&format!("{k}:\n"));
                for (sk, sv) in m {
                    out.push_str(&format!("  {sk}: {}\n", quote(sv)));
                }
            }
            Value::List(l) => {
                out.push_str(&format!("{k}:\n"));
                for item in l {
                    out.push_str(&format!("  - {}\n", quote(item)));
                }
            }
        }
    }
    out.push_str("---\n");
    out
}

/// `text` with the top-level scalars in `set` written into its front matter: existing keys
/// replaced in place, new ones added before the closing `---`, a block added when there is none.
/// Everything else in the file is kept byte for byte.
pub fn upsert(text: &str, set: &[(&str, String)]) -> Result<String, PlanError> {
    // A byte-order mark (a Windows editor's) stays first, and the front matter written takes the
    // file's line breaks; the rest of the file is kept byte for byte.
    let (bom, text) = match text.strip_prefix('\u{feff}') {
        Some(rest) => ("\u{feff}", rest),
        None => ("", text),
    };
    let out = upsert_lf(text, set)?;
    let crlf = text.split_inclusive('\n').next().is_some_and(|l| l.ends_with("\r\n"));
    if !crlf {
        return Ok(format!("{bom}{out}"));
    }
    let rest = match split(text)? {
        (Some((_, span)), _) => text.len() - span.end,
        (None, _) => text.len(),
    };
    let (front, body) = out.split_at(out.len() - rest);
    Ok(format!("{bom}{}{body}", front.replace("\r\n", "\n").replace('\n', "\r\n")))
}

fn upsert_lf(text: &str, set: &[(&str, String)]) -> Result<String, PlanError> {
    let (found, body) = split(text)?;
    let Some((_, span)) = found else {
        let entries: Vec<(String, Value)> =
            set.iter().map(|(k, v)| ((*k).to_string(), Value::Scalar(v.clone()))).collect();
        let sep = if text.starts_with('\n') || text.is_empty() { "" } else { "\n" };
        return Ok(format!("{}{sep}{text}", render(&entries)));
    };
    let block = &text[..span.end];
    let mut out = String::with_capacity(text.len() + 64);
    let mut pending: Vec<&(&str, String)> = set.iter().collect();
    let mut skipping = false;
    let lines: Vec<&str> = block.split_inclusive('\n').collect();
    for (i, raw) in lines.iter().enumerate() {
        let line = raw.trim_end_matches(['\n', '\r']);
        if i + 1 == lines.len() {
            for (k, v) in pending.drain(..) {
                out.push_str(&format!("{k}: {}\n", quote(v)));
            }
            out.push_str(raw);
            break;
        }
        if skipping && line.starts_with([' ', '\t']) {
            continue;
        }
        skipping = false;
        if i > 0
            && !line.starts_with([' ', '\t'])
            && let Some((key, _)) = line.split_once(':')
            && let Some(pos) = pending.iter().position(|(k, _)| *k == key.trim())
        {
            let (k, v) = pending.remove(pos);
            out.push_str(&format!("{k}: {}\n", quote(v)));
            skipping = true;
            continue;
        }
        out.push_str(raw);
    }
    out.push_str(body);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_maps_and_lists_read_back() {
        let text = "---\nschema: temis.phase/v1\nverdict: APPROVED # gate\ntitle: \"a: b\"\nfigures:\n  line_coverage: 100\n  tests_total: 4\nreports:\n  - junit.xml\n---\n# body\n";
        let (fm, body) = split(text).unwrap();
        let (fm, span) = fm.unwrap();
        assert_eq!(body, "# body\n");
        assert_eq!(span.closing_line, 10);
        assert_eq!(fm.scalar("verdict"), Some("APPROVED"));
        assert_eq!(fm.scalar("title"), Some("a: b"));
        assert_eq!(fm.nested("figures", "tests_total"), Some("4"));
        assert_eq!(fm.get("reports").unwrap().value, Value::List(vec!["junit.xml".into()]));
    }

    /// A plan saved by a Windows editor: approval wrote its front matter before the byte-order
    /// mark, in LF lines inside a CRLF file.
    #[test]
    fn upsert_keeps_a_byte_order_mark_first_and_the_files_line_breaks() {
        let set = [("approved", "true".to_string())];
        let out = upsert("\u{feff}# Plan\r\n\r\n## Phase 1: A\r\n", &set).unwrap();
        assert_eq!(out, "\u{feff}---\r\napproved: true\r\n---\r\n\r\n# Plan\r\n\r\n## Phase 1: A\r\n");
        let again = upsert(&out, &[("approved_by", "Ada".to_string())]).unwrap();
        assert_eq!(
            again,
            "\u{feff}---\r\napproved: true\r\napproved_by: Ada\r\n---\r\n\r\n# Plan\r\n\r\n## Phase 1: A\r\n"
        );
        assert_eq!(upsert("# Plan\n", &set).unwrap(), "---\napproved: true\n---\n\n# Plan\n");
    }

    #[test]
    fn rendering_round_trips_awkward_values() {
        for v in ["plain", "a: b", "#x", "say \"hi\"", "back\\slash", "", " lead", "trail:", "- dash"] {
            let text = render(&[("k".into(), Value::Scalar(v.into()))]);
            let (fm, _) = split(&text).unwrap();
            assert_eq!(fm.unwrap().0.scalar("k"), Some(v), "{text}");
        }
    }

    #[test]
    fn an_unclosed_block_is_an_error_at_line_1() {
        let e = split("---\ntitle: x\n# Plan\n").unwrap_err();
        assert_eq!(e.line, 1);
    }

    /// `approved: true` then `approved: false` read as approved (the first one); YAML readers
    /// take the last, or refuse.
    #[test]
    fn a_key_given_twice_is_an_error_at_its_second_line() {
        let e = split("---\napproved: true\ntitle: x\napproved: false\n---\n# Plan\n").unwrap_err();
        assert_eq!(e.line, 4);
        assert!(e.message.contains("`approved` is given twice") && e.message.contains("lines 2 and 4"), "{e:?}");
        // Keys inside a nested block are not top-level keys.
        assert!(split("---\nfigures:\n  approved: 1\napproved: true\n---\n").is_ok());
    }

    #[test]
    fn upsert_keeps_everything_else() {
        let text = "---\ntitle: JWT\napproved: false\nextra:\n  - a\n---\n\n# Plan\n";
        let out = upsert(text, &[("approved", "true".into()), ("approved_by", "Ada".into())]).unwrap();
        assert_eq!(out, "---\ntitle: JWT\napproved: true\nextra:\n  - a\napproved_by: Ada\n---\n\n# Plan\n");
        let out = upsert("# Plan\n", &[("approved", "true".into())]).unwrap();
        assert_eq!(out, "---\napproved: true\n---\n\n# Plan\n");
    }
}
