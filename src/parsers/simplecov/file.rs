//! One file of a SimpleCov report, in either of its shapes: a resultset's raw `Coverage`
//! data (a bare lines array before SimpleCov 0.18, then `{lines, branches, methods}`) or the
//! JSON formatter's record (`lines` with `"ignored"`, lists of branches and methods, and its
//! own counts, which win where they differ from the lists).

use std::fmt;

use serde::Deserialize;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use super::ruby;
use crate::model::{Branch, Counts, FileDetail, Function, SummaryTotals};
use crate::parsers::Totals;
use crate::parsers::json::{Count, CountVisitor, Entries, Line};

/// One element of a `lines` array (or a formatter branch's or method's `coverage`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Hits {
    Count(u64),
    /// `null`: not a relevant line.
    Irrelevant,
    /// `"ignored"`: inside `:nocov:`.
    Ignored,
}

impl<'de> Deserialize<'de> for Hits {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(HitsVisitor)
    }
}

struct HitsVisitor;

impl Visitor<'_> for HitsVisitor {
    type Value = Hits;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a hit count, null or \"ignored\"")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Hits, E> {
        Ok(Hits::Count(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Hits, E> {
        CountVisitor.visit_i64(v).map(|c: Count| Hits::Count(c.0))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Hits, E> {
        CountVisitor.visit_f64(v).map(|c: Count| Hits::Count(c.0))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Hits, E> {
        Ok(Hits::Irrelevant)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Hits, E> {
        match v {
            "ignored" => Ok(Hits::Ignored),
            _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
        }
    }
}

/// A file: the lines array alone (resultsets before SimpleCov 0.18) or an object.
pub(super) enum FileCov {
    Old(Vec<Hits>),
    New(Box<FileObj>),
}

#[derive(Deserialize)]
pub(super) struct FileObj {
    lines: Vec<Hits>,
    branches: Option<Branches>,
    methods: Option<Methods>,
    // The JSON formatter's own counts.
    covered_lines: Option<u64>,
    missed_lines: Option<u64>,
    covered_branches: Option<u64>,
    missed_branches: Option<u64>,
}

impl<'de> Deserialize<'de> for FileCov {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(FileVisitor)
    }
}

struct FileVisitor;

impl<'de> Visitor<'de> for FileVisitor {
    type Value = FileCov;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a file's coverage (a lines array, or an object with \"lines\")")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<FileCov, A::Error> {
        Vec::deserialize(SeqAccessDeserializer::new(seq)).map(FileCov::Old)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<FileCov, A::Error> {
        FileObj::deserialize(MapAccessDeserializer::new(map)).map(|f| FileCov::New(Box::new(f)))
    }
}

/// Resultset: `{"[:if, id, line, …]": {"[:then, id, line, …]": count}}`; formatter: a list.
enum Branches {
    Raw(Entries<Entries<Count>>),
    Listed(Vec<ListedBranch>),
}

#[derive(Deserialize)]
struct ListedBranch {
    start_line: Option<Line>,
    report_line: Option<Line>,
    coverage: Hits,
}

/// Resultset: `{"[Class, :name, line, …]": count}`; formatter: a list.
enum Methods {
    Raw(Entries<Count>),
    Listed(Vec<ListedMethod>),
}

#[derive(Deserialize)]
struct ListedMethod {
    name: Option<String>,
    start_line: Option<Line>,
    coverage: Hits,
}

macro_rules! map_or_list {
    ($ty:ident, $raw:ident, $listed:ident, $what:literal) => {
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = $ty;
                    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                        f.write_str($what)
                    }
                    fn visit_map<A: MapAccess<'de>>(self, m: A) -> Result<$ty, A::Error> {
                        Deserialize::deserialize(MapAccessDeserializer::new(m)).map($ty::$raw)
                    }
                    fn visit_seq<A: SeqAccess<'de>>(self, s: A) -> Result<$ty, A::Error> {
                        Deserialize::deserialize(SeqAccessDeserializer::new(s)).map($ty::$listed)
                    }
                }
                d.deserialize_any(V)
            }
        }
    };
}

map_or_list!(Branches, Raw, Listed, "branch coverage (an object or a list)");
map_or_list!(Methods, Raw, Listed, "method coverage (an object or a list)");

impl FileCov {
    pub(super) fn into_detail(self, path: String, disagreeing: &mut u64) -> FileDetail {
        let mut d = FileDetail::new(path);
        let obj = match self {
            FileCov::Old(lines) => {
                push_lines(&mut d, &lines);
                return d;
            }
            FileCov::New(obj) => obj,
        };
        push_lines(&mut d, &obj.lines);
        match &obj.branches {
            Some(Branches::Raw(conditions)) => ruby::push_branches(&mut d.branches, conditions),
            Some(Branches::Listed(list)) => {
                for (i, b) in list.iter().enumerate() {
                    if let (Hits::Count(taken), Some(Line(line))) = (b.coverage, b.report_line.or(b.start_line)) {
                        d.branches.push(Branch { line, block: 0, branch: i as u32, taken: Some(taken) });
                    }
                }
            }
            None => {}
        }
        d.has_branches = obj.branches.is_some();
        match &obj.methods {
            Some(Methods::Raw(methods)) => ruby::push_methods(&mut d.functions, methods),
            Some(Methods::Listed(list)) => {
                for (i, m) in list.iter().enumerate() {
                    if let Hits::Count(hits) = m.coverage {
                        d.functions.push(Function {
                            name: m.name.clone().unwrap_or_else(|| format!("#{i}")),
                            line: m.start_line.map_or(0, |l| l.0),
                            hits,
                        });
                    }
                }
            }
            None => {}
        }
        d.has_functions = obj.methods.is_some();

        // The formatter's own counts win where they differ.
        let stated =
            |covered: Option<u64>, missed: Option<u64>| Some(Counts::new(covered?.saturating_add(missed?), covered?));
        let lines = stated(obj.covered_lines, obj.missed_lines);
        let branches = stated(obj.covered_branches, obj.missed_branches).filter(|_| d.has_branches);
        let t = tally(&d);
        if lines.is_some_and(|c| c != t.lines) || branches.is_some_and(|c| Some(c) != t.branches) {
            *disagreeing += 1;
            d.summary = Some(SummaryTotals {
                lines: lines.or(Some(t.lines)),
                branches: branches.or(t.branches),
                functions: t.functions,
            });
        }
        d
    }
}

fn push_lines(d: &mut FileDetail, lines: &[Hits]) {
    d.lines.reserve(lines.len());
    for (i, hits) in lines.iter().enumerate() {
        if let (Hits::Count(n), Ok(line)) = (hits, u32::try_from(i + 1)) {
            d.lines.push((line, *n));
        }
    }
}

/// A file's counts from its records (one record of one suite: nothing repeats).
pub(super) fn tally(d: &FileDetail) -> Totals {
    let count = |n: usize, hit: usize| Counts::new(n as u64, hit as u64);
    Totals {
        lines: count(d.lines.len(), d.lines.iter().filter(|l| l.1 > 0).count()),
        branches: d.has_branches.then(|| {
            let hit = d.branches.iter().filter(|b| b.taken > Some(0)).count();
            count(d.branches.len(), hit)
        }),
        functions: d.has_functions.then(|| {
            let hit = d.functions.iter().filter(|f| f.hits > 0).count();
            count(d.functions.len(), hit)
        }),
    }
}

#[cfg(test)]
mod tests {
    use crate::input::Source;
    use crate::model::{Counts, Coverage, CoverageBuilder, DetailSet};
    use crate::parsers::Meta;
    use crate::parsers::ParseError;
    use crate::parsers::simplecov::parse;

    const FORMATTER: &[u8] = include_bytes!("../../../tests/fixtures/coverage/simplecov/coverage.json");

    fn read(bytes: &[u8]) -> Result<(Coverage, Meta), ParseError> {
        let mut builder = CoverageBuilder::new();
        let meta = parse(&Source::bytes("coverage.json", bytes), &mut builder)?;
        Ok((builder.finish(), meta))
    }

    fn details(bytes: &[u8]) -> DetailSet {
        let mut set = DetailSet::new();
        parse(&Source::bytes("coverage.json", bytes), &mut set).unwrap();
        set
    }

    #[test]
    fn formatter_output_skips_ignored_lines_and_branches() {
        let (cov, meta) = read(FORMATTER).unwrap();
        assert_eq!(cov.files.len(), 2);
        assert_eq!(cov.lines, Counts::new(12, 10));
        assert_eq!(cov.branches, Some(Counts::new(2, 1)));
        assert_eq!(cov.functions, None);
        assert!(meta.notes.is_empty() && meta.totals.is_none(), "{:?}", meta.notes);
        let set = details(FORMATTER);
        let foo = set.files.iter().find(|f| f.path == "lib/foo.rb").unwrap();
        assert!(foo.lines.contains(&(14, 0)) && !foo.lines.iter().any(|l| l.0 == 21));
        assert_eq!(foo.branches[0].line, 13, "report_line");
    }

    #[test]
    fn formatter_counts_and_total_win() {
        let (cov, meta) = read(
            br#"{"meta": {"simplecov_version": "0.22.0"},
                 "total": {"lines": {"covered": 3, "missed": 3, "total": 6}},
                 "coverage": {"a.rb": {"lines": [1, 0, null], "covered_lines": 2, "missed_lines": 2}}}"#,
        )
        .unwrap();
        assert_eq!(cov.lines, Counts::new(4, 2));
        assert_eq!(meta.totals.unwrap().lines, Counts::new(6, 3));
        assert_eq!(meta.notes.len(), 2, "{:?}", meta.notes);
    }

    #[test]
    fn old_formatter_and_method_list() {
        let (cov, _) = read(
            br#"{"meta": {"simplecov_version": "0.21.2"}, "coverage": {"/app/a.rb": {
                "lines": [null, 1, 0],
                "methods": [{"name": "A#x", "start_line": 2, "end_line": 3, "coverage": 1},
                            {"name": "A#y", "start_line": 4, "end_line": 5, "coverage": "ignored"}]}},
                "groups": {}}"#,
        )
        .unwrap();
        assert_eq!(cov.lines, Counts::new(2, 1));
        assert_eq!(cov.functions, Some(Counts::new(1, 1)));
    }
}
