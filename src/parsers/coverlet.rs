//! coverlet's native JSON (`coverage.json`: `dotnet test /p:CollectCoverage=true`, `coverlet
//! … --format json`, the `MergeWith` input): module → source document → class → method →
//! `{"Lines": {"line": hits}, "Branches": [{"Line", "Offset", "EndOffset", "Path", "Ordinal",
//! "Hits"}]}`.
//!
//! Lines are the distinct (document, line) over all methods, covered when their summed hits are
//! above zero (INDEX.md's rule, as ReportGenerator counts; coverlet's console summary counts a
//! line once per method that holds it, so a line shared by a method and its lambda counts twice
//! there); branches are the `Branches[]` entries, covered when `Hits > 0`; methods are functions,
//! covered when any of their lines ran. A document given under several modules (a source file
//! linked into two assemblies) is one file. Each level must be an object, and each method hold
//! `Lines`, an object of counts, and `Branches`, a list of objects (coverlet writes both for every
//! method); and a line number at most 2^24 (the most temis
//! holds): anything else is an error naming where. The document is read as it streams; nothing
//! but the files' records is kept.

use std::collections::HashMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};

use super::json::{self, Count};
use crate::input::Source;
use crate::model::{Branch, FileDetail, Function, LineBits, Sink};
use crate::parsers::{Meta, ParseError};

/// coverlet's JSON: `"Lines"` and `"Branches"` keys, capitalised as coverlet writes them.
pub fn looks_like(body: &[u8]) -> bool {
    let has = |k: &[u8]| memchr::memmem::find(body, k).is_some();
    has(b"\"Lines\"") && has(b"\"Branches\"")
}

/// Reads a coverlet JSON report into `sink`.
pub fn parse(input: &Source, sink: &mut dyn Sink) -> Result<Meta, ParseError> {
    let mut files: HashMap<String, FileDetail> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    json::read(input, json::Object(Modules { files: &mut files, order: &mut order })).map_err(|e| {
        json::explain(input, e, json::Object(Modules { files: &mut HashMap::new(), order: &mut Vec::new() }))
    })?;
    for path in order {
        if let Some(mut d) = files.remove(&path) {
            sink.file(&mut d);
        }
    }
    Ok(Meta::default())
}

struct Modules<'a> {
    files: &'a mut HashMap<String, FileDetail>,
    order: &'a mut Vec<String>,
}

impl<'de> Visitor<'de> for Modules<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a coverlet report: an object of modules")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_key::<de::IgnoredAny>()?.is_some() {
            map.next_value_seed(json::Object(Documents { files: &mut *self.files, order: &mut *self.order }))?;
        }
        Ok(())
    }
}

struct Documents<'a> {
    files: &'a mut HashMap<String, FileDetail>,
    order: &'a mut Vec<String>,
}

impl<'de> Visitor<'de> for Documents<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a module: an object of source documents")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(path) = map.next_key::<String>()? {
            if !self.files.contains_key(&path) {
                self.order.push(path.clone());
                let mut d = FileDetail::new(path.clone());
                d.has_branches = true;
                d.has_functions = true;
                self.files.insert(path.clone(), d);
            }
            let Some(detail) = self.files.get_mut(&path) else { continue };
            map.next_value_seed(json::Object(Classes(detail)))?;
        }
        Ok(())
    }
}

struct Classes<'a>(&'a mut FileDetail);

impl<'de> Visitor<'de> for Classes<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a document: an object of classes")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_key::<de::IgnoredAny>()?.is_some() {
            map.next_value_seed(json::Object(Methods(&mut *self.0)))?;
        }
        Ok(())
    }
}

struct Methods<'a>(&'a mut FileDetail);

impl<'de> Visitor<'de> for Methods<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a class: an object of methods")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(name) = map.next_key::<String>()? {
            map.next_value_seed(MethodSeed { detail: &mut *self.0, name })?;
        }
        Ok(())
    }
}

struct MethodSeed<'a> {
    detail: &'a mut FileDetail,
    name: String,
}

/// A method as coverlet writes every one: both keys, always (a method without them, or with
/// them spelled otherwise, would read as one with nothing to measure).
#[derive(Deserialize)]
struct RawMethod {
    #[serde(rename = "Lines")]
    lines: json::Entries<Count>,
    #[serde(rename = "Branches")]
    branches: super::tolerant::Objects<RawBranch>,
}

#[derive(Deserialize)]
struct RawBranch {
    #[serde(rename = "Line")]
    line: json::Line,
    #[serde(rename = "Hits")]
    hits: Count,
}

impl<'de> DeserializeSeed<'de> for MethodSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        let super::tolerant::Object(m) = super::tolerant::Object::<RawMethod>::deserialize(d)?;
        let detail = self.detail;
        let (mut first, mut hits) = (0u32, 0u64);
        for (line, Count(n)) in m.lines.0 {
            let line: u32 = line
                .trim()
                .parse()
                .map_err(|_| de::Error::custom(format!("line number {line:?} in `Lines` is not a number")))?;
            if line == 0 {
                continue;
            }
            if line > LineBits::MAX_LINE {
                return Err(de::Error::custom(format!(
                    "line number {line} in `Lines` is past the largest temis holds ({})",
                    LineBits::MAX_LINE
                )));
            }
            detail.lines.push((line, n));
            hits = hits.saturating_add(n);
            if first == 0 || line < first {
                first = line;
            }
        }
        for b in m.branches.0 {
            if b.line.0 > LineBits::MAX_LINE {
                return Err(de::Error::custom(format!(
                    "`Line` {} of a branch is past the largest line number temis holds ({})",
                    b.line.0,
                    LineBits::MAX_LINE
                )));
            }
            let n = detail.branches.len() as u32;
            detail.branches.push(Branch { line: b.line.0.max(1), block: 0, branch: n, taken: Some(b.hits.0) });
        }
        if first > 0 {
            detail.functions.push(Function { name: self.name, line: first, hits });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CoverageBuilder;

    fn read(text: &str) -> Result<crate::model::Coverage, ParseError> {
        let mut b = CoverageBuilder::new();
        parse(&Source::bytes("c.json", text.as_bytes()), &mut b)?;
        Ok(b.finish())
    }

    #[test]
    fn distinct_lines_summed_hits_and_branch_entries() {
        let cov = read(r#"{"a.dll":{"C:\\src\\P.cs":{"P":{"System.Void P::Main()":{"Lines":{"10":1,"11":0,"12":0},
"Branches":[{"Line":11,"Offset":3,"EndOffset":5,"Path":0,"Ordinal":0,"Hits":1},{"Line":11,"Offset":3,"EndOffset":9,"Path":1,"Ordinal":1,"Hits":0}]},
"System.Void P::Other()":{"Lines":{"11":2,"20":0},"Branches":[]}}}},
"b.dll":{"C:\\src\\P.cs":{"P":{"M":{"Lines":{"20":0},"Branches":[]}}}}}"#)
        .unwrap();
        assert_eq!((cov.lines.covered, cov.lines.total), (2, 4), "line 11 is covered by the second method");
        let b = cov.branches.unwrap();
        assert_eq!((b.covered, b.total), (1, 2));
        let paths: Vec<_> = cov.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["C:\\src\\P.cs"]);
    }

    #[test]
    fn wrong_types_are_errors_and_an_empty_report_is_clean() {
        assert_eq!(read("{}").unwrap().lines.total, 0);
        let e = read(r#"{"a.dll":{"p.cs":{"P":{"M":{"Lines":[1,2],"Branches":[]}}}}}"#).unwrap_err();
        assert!(e.to_string().contains("Lines"), "{e}");
        let e = read(r#"{"a.dll":{"p.cs":{"P":{"M":{"Lines":{"x":1},"Branches":[]}}}}}"#).unwrap_err();
        assert!(e.to_string().contains("\"x\""), "{e}");
        let e = read(r#"{"a.dll":{"p.cs":{"P":{"M":{"Lines":{},"Branches":{"Line":1}}}}}}"#).unwrap_err();
        assert!(e.to_string().contains("Branches"), "{e}");
        assert!(read(r#"{"a.dll":[]}"#).is_err());
    }

    /// coverlet writes `Lines` and `Branches` for every method: a method without them (or with
    /// them spelled otherwise) used to read as one with nothing to measure, and its uncovered
    /// lines were gone.
    #[test]
    fn a_method_without_lines_or_branches_is_an_error() {
        for method in
            [r#"{}"#, r#"{"lines":{"2":0,"3":0},"branches":[]}"#, r#"{"Lines":{"2":0}}"#, r#"{"Branches":[]}"#]
        {
            let text = format!(
                r#"{{"a.dll":{{"p.cs":{{"P":{{"M()":{{"Lines":{{"1":1}},"Branches":[]}},"N()":{method}}}}}}}}}"#
            );
            let e = read(&text).unwrap_err();
            assert!(e.to_string().contains("missing field"), "{method}: {e}");
        }
    }

    /// A hit count no producer writes — a fraction, a negative count, one past `u64::MAX` — in
    /// `Lines` or a branch's `Hits` is an error naming its place: never truncated (`0.5` read as
    /// not run, `1.5` as run), never clamped.
    #[test]
    fn hits_that_are_not_whole_numbers_are_errors() {
        for (hits, message) in [
            ("0.5", "hit count 0.5 is not a whole number"),
            ("1.5", "hit count 1.5 is not a whole number"),
            ("-1", "negative hit count -1"),
            ("1e300", "hit count 1e300 is past the largest a counter holds (2^64 - 1)"),
        ] {
            for (text, field) in [
                (
                    format!(r#"{{"a.dll":{{"a.cs":{{"C":{{"M":{{"Lines":{{"1":{hits}}},"Branches":[]}}}}}}}}}}"#),
                    "Lines",
                ),
                (
                    format!(
                        r#"{{"a.dll":{{"a.cs":{{"C":{{"M":{{"Lines":{{"1":1}},"Branches":[{{"Line":1,"Hits":{hits}}}]}}}}}}}}}}"#
                    ),
                    "Branches",
                ),
            ] {
                let e = read(&text).unwrap_err();
                assert_eq!(e.line, Some(1), "{e}");
                assert!(e.to_string().contains(message) && e.to_string().contains(field), "{text}: {e}");
            }
        }
        let max = read(r#"{"a.dll":{"a.cs":{"C":{"M":{"Lines":{"1":18446744073709551615},"Branches":[]}}}}}"#).unwrap();
        assert_eq!(max.lines.covered, 1);
    }

    #[test]
    fn a_line_number_past_what_temis_holds_is_an_error_naming_it() {
        let e = read(r#"{"a.dll":{"src/a.c":{"C":{"M":{"Lines":{"16777217":0,"1":1},"Branches":[]}}}}}"#).unwrap_err();
        assert!(e.to_string().contains("line number 16777217"), "{e}");
        let e = read(r#"{"a.dll":{"a.c":{"C":{"M":{"Lines":{"1":1},"Branches":[{"Line":16777217,"Hits":0}]}}}}}"#)
            .unwrap_err();
        assert!(e.to_string().contains("16777217"), "{e}");
        let max = read(r#"{"a.dll":{"a.c":{"C":{"M":{"Lines":{"16777216":0},"Branches":[]}}}}}"#).unwrap();
        assert_eq!(max.lines.total, 1);
    }
}
