//! A Cobertura XML report of the coverage the gate judged (the reports merged across inputs,
//! paths relative to the repository), for GitLab's `coverage_report` (coverage in merge-request
//! diffs) and Jenkins' Coverage plugin (`recordCoverage`).
//!
//! Lines only: temis keeps which lines ran and which did not, not how often, so a line's `hits`
//! is 1 or 0, and no branch is written (`branches-valid="0"`: no branch figure, not 0 %). The
//! figure a CI shows comes from the log (the producers' own numbers), never from this file.
//!
//! GitLab reads at most 10 MiB of Cobertura per file and at most 100 `<source>` elements (it
//! joins each with each `filename`): every file written here has one `<source>`, the repository
//! root, and a report that would pass the size limit is split into several files, by class and,
//! for a class too large alone, by lines (a wildcard artifact path merges them again). Files of
//! which the reports gave only totals have no line to show and are left out, and said so.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::junit::xml_escape;
use crate::model::{Coverage, FileCoverage};

/// GitLab's limit on one Cobertura file.
pub const MAX_BYTES: usize = 10 << 20;

/// The report, in one file or more.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cobertura {
    /// Each file's XML, in order.
    pub parts: Vec<String>,
    /// What the files leave out, for people.
    pub notes: Vec<String>,
}

/// The report of `cov`, each file under `max_bytes`, with `source` (the repository root, an
/// absolute path) as its one `<source>`.
pub fn render(cov: &Coverage, source: &str, max_bytes: usize) -> Cobertura {
    let mut notes = Vec::new();
    let totals_only: Vec<&str> = cov.files.iter().filter(|f| f.line_bits.is_none()).map(|f| f.path.as_str()).collect();
    if !totals_only.is_empty() {
        notes.push(format!(
            "{} file(s) are left out of the Cobertura report: their reports give totals, not lines ({}{})",
            totals_only.len(),
            totals_only.iter().take(3).copied().collect::<Vec<_>>().join(", "),
            if totals_only.len() > 3 { ", …" } else { "" }
        ));
    }
    let head_room = header(source, Tally::default()).len() + FOOTER.len() + 1_024;
    let budget = max_bytes.saturating_sub(head_room).max(4_096);
    // Each class (or piece of one) with its package, in package order.
    let mut by_package: BTreeMap<&str, Vec<&FileCoverage>> = BTreeMap::new();
    for f in cov.files.iter().filter(|f| f.line_bits.is_some()) {
        by_package.entry(package_of(&f.path)).or_default().push(f);
    }
    let mut parts: Vec<Vec<(&str, Class)>> = vec![Vec::new()];
    let mut size = 0;
    for (package, files) in &by_package {
        for f in files {
            for class in classes(f, budget.saturating_sub(package_open(package).len() + PACKAGE_CLOSE.len())) {
                let cost = class.xml.len() + package_open(package).len() + PACKAGE_CLOSE.len();
                if size + cost > budget && !parts.last().is_some_and(Vec::is_empty) {
                    parts.push(Vec::new());
                    size = 0;
                }
                size += cost;
                parts.last_mut().expect("a part").push((package, class));
            }
        }
    }
    if parts.len() > 1 {
        notes.push(format!(
            "the Cobertura report is split into {} files of at most {} MiB each (GitLab reads 10 MiB per file)",
            parts.len(),
            max_bytes >> 20
        ));
    }
    Cobertura { parts: parts.iter().map(|p| part(p, source)).collect(), notes }
}

const FOOTER: &str = "  </packages>\n</coverage>\n";
const PACKAGE_CLOSE: &str = "      </classes>\n    </package>\n";

/// Lines and covered lines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Tally {
    lines: u64,
    covered: u64,
}

impl Tally {
    fn rate(self) -> String {
        // Truncated, never rounded up to a figure the gate did not measure (0.799975 is not 0.8).
        match crate::model::Rounding::Floor.percent(crate::model::Counts::new(self.lines, self.covered)) {
            Some(percent) => format!("{:.4}", percent / 100.0),
            None => "1".into(),
        }
    }

    fn add(&mut self, other: Tally) {
        self.lines += other.lines;
        self.covered += other.covered;
    }
}

/// One `<class>` element, rendered.
struct Class {
    xml: String,
    tally: Tally,
}

fn header(source: &str, t: Tally) -> String {
    format!(
        "<?xml version=\"1.0\" ?>\n<!DOCTYPE coverage SYSTEM \"http://cobertura.sourceforge.net/xml/coverage-04.dtd\">\n\
         <!-- temis {}: the coverage the gate judged; hits are 1 (the line ran) or 0 -->\n\
         <coverage line-rate=\"{}\" branch-rate=\"0\" lines-covered=\"{}\" lines-valid=\"{}\" branches-covered=\"0\" \
         branches-valid=\"0\" complexity=\"0\" version=\"temis {}\" timestamp=\"0\">\n  <sources>\n    \
         <source>{}</source>\n  </sources>\n  <packages>\n",
        env!("CARGO_PKG_VERSION"),
        t.rate(),
        t.covered,
        t.lines,
        env!("CARGO_PKG_VERSION"),
        xml_escape(source)
    )
}

fn package_of(path: &str) -> &str {
    path.rsplit_once('/').map_or(".", |(dir, _)| dir)
}

fn package_open(name: &str) -> String {
    format!(
        "    <package name=\"{}\" line-rate=\"RATE__\" branch-rate=\"0\" complexity=\"0\">\n      <classes>\n",
        xml_escape(name)
    )
}

/// The `<class>` elements of `f`: one, or several pieces of its lines when one would be larger
/// than `budget`.
fn classes(f: &FileCoverage, budget: usize) -> Vec<Class> {
    let bits = f.line_bits.as_ref().expect("only files with lines");
    let path = xml_escape(&f.path);
    let name = xml_escape(f.path.rsplit('/').next().unwrap_or(&f.path));
    let open = |t: Tally| {
        format!(
            "        <class name=\"{name}\" filename=\"{path}\" line-rate=\"{}\" branch-rate=\"0\" complexity=\"0\">\n          <methods/>\n          <lines>\n",
            t.rate()
        )
    };
    let close = "          </lines>\n        </class>\n";
    let room = budget.saturating_sub(open(Tally::default()).len() + close.len() + 16).max(64);
    let mut out = Vec::new();
    let mut lines = String::new();
    let mut tally = Tally::default();
    let flush = |out: &mut Vec<Class>, lines: &mut String, tally: &mut Tally| {
        out.push(Class { xml: format!("{}{lines}{close}", open(*tally)), tally: *tally });
        lines.clear();
        *tally = Tally::default();
    };
    for (number, hit) in bits.lines() {
        let line = format!("            <line number=\"{number}\" hits=\"{}\"/>\n", u8::from(hit));
        if lines.len() + line.len() > room && !lines.is_empty() {
            flush(&mut out, &mut lines, &mut tally);
        }
        lines.push_str(&line);
        tally.add(Tally { lines: 1, covered: u64::from(hit) });
    }
    if !lines.is_empty() || out.is_empty() {
        flush(&mut out, &mut lines, &mut tally);
    }
    out
}

/// One file: its classes grouped by package, with the totals of what it holds.
fn part(classes: &[(&str, Class)], source: &str) -> String {
    let mut total = Tally::default();
    let mut body = String::new();
    let mut i = 0;
    while i < classes.len() {
        let package = classes[i].0;
        let mut t = Tally::default();
        let mut inner = String::new();
        while i < classes.len() && classes[i].0 == package {
            t.add(classes[i].1.tally);
            inner.push_str(&classes[i].1.xml);
            i += 1;
        }
        total.add(t);
        let _ = write!(body, "{}{inner}{PACKAGE_CLOSE}", package_open(package).replace("RATE__", &t.rate()));
    }
    format!("{}{body}{FOOTER}", header(source, total))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Counts, CoverageBuilder, LineBits};

    fn file(path: &str, lines: impl IntoIterator<Item = (u32, bool)>) -> FileCoverage {
        let mut bits = LineBits::new();
        for (l, h) in lines {
            bits.set(l, h);
        }
        FileCoverage {
            path: path.into(),
            lines: Counts::new(bits.coverable_count(), bits.covered_count()),
            branches: None,
            functions: None,
            line_bits: Some(bits),
        }
    }

    fn coverage(files: Vec<FileCoverage>) -> Coverage {
        let mut b = CoverageBuilder::new();
        for f in files {
            b.add(f);
        }
        b.finish()
    }

    #[test]
    fn one_file_holds_every_line_with_one_source() {
        let cov = coverage(vec![
            file("src/a.py", [(1, true), (2, false)]),
            file("src/b.py", [(3, true)]),
            file("app.py", [(1, false)]),
            FileCoverage::new("summary-only.go"),
        ]);
        let c = render(&cov, "/builds/g/p", MAX_BYTES);
        assert_eq!(c.parts.len(), 1);
        let xml = &c.parts[0];
        assert_eq!(xml.matches("<source>").count(), 1);
        assert!(xml.contains("<source>/builds/g/p</source>"));
        assert!(xml.contains("lines-covered=\"2\" lines-valid=\"4\""), "{xml}");
        assert!(xml.contains("filename=\"src/a.py\"") && xml.contains("<line number=\"2\" hits=\"0\"/>"));
        // 2 of 3, truncated: a rate is never rounded up past what was measured.
        assert!(xml.contains("<package name=\"src\" line-rate=\"0.6666\""), "{xml}");
        assert!(c.notes[0].contains("summary-only.go"), "{:?}", c.notes);
    }

    #[test]
    fn a_report_over_the_limit_is_split_by_class_and_by_lines() {
        let big = file("src/big.rs", (1..=5_000).map(|n| (n, n % 3 == 0)));
        let cov = coverage(vec![file("src/a.rs", (1..=2_000).map(|n| (n, true))), big]);
        let c = render(&cov, "/w", 64 << 10);
        assert!(c.parts.len() > 3, "{}", c.parts.len());
        assert!(
            c.parts.iter().all(|p| p.len() <= 64 << 10),
            "{:?}",
            c.parts.iter().map(String::len).collect::<Vec<_>>()
        );
        let lines: usize = c.parts.iter().map(|p| p.matches("<line ").count()).sum();
        assert_eq!(lines, 7_000, "every line is in one part");
        assert!(c.notes.iter().any(|n| n.contains("split into")), "{:?}", c.notes);
    }
}
