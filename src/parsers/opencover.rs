//! OpenCover XML (`OpenCover.Console -output:…`, coverlet `/p:CoverletOutputFormat=opencover`,
//! dotnet-coverage, AltCover's OpenCover output).
//!
//! Lines are the distinct (file, `sl`) of the `<SequencePoint>`s of the modules that were not
//! skipped (`skippedDueTo`: a filter, a missing PDB): a line is covered when any of its points has
//! `vc > 0` (a point without `sl` is an error; one with `sl="0"` is skipped, and a note says how
//! many), the way ReportGenerator and Codecov turn sequence points into lines. Branches are
//! the `<BranchPoint>` elements, covered when `vc > 0`. A point's file is its `fileid`, else its
//! method's `<FileRef uid>`, looked up in its module's `<Files>`; a point in no known file is an
//! error. Methods are functions (covered when `visited="true"` or any point ran).
//!
//! OpenCover's own `<Summary>` counts sequence and branch points, not lines (and some writers add
//! a branch point per method to it): its session figures are kept in `extra` (`summary`), not
//! used as the total. But a body holding fewer sequence points than its `numSequencePoints` has
//! lost some, and is an error (an empty body is nothing coverable, as any). Points in no source file (compiler-generated code: an anonymous type's
//! `Equals`) have no `fileid` and no `<FileRef>`: they count in the totals, in no file, and a
//! note says how many; a `fileid` that the module's `<Files>` does not list is an error.

use std::collections::HashMap;

use quick_xml::events::BytesStart;

use super::testxml::{self, Handler};
use crate::input::Source;
use crate::model::{Branch, Counts, FileDetail, Function, Sink};
use crate::parsers::xml_walk::Walker;
use crate::parsers::{Meta, ParseError, Totals};

/// Reads an OpenCover report into `sink`.
pub fn parse(input: &Source, sink: &mut dyn Sink) -> Result<Meta, ParseError> {
    let mut w = Walker::new(input, "CoverageSession", "OpenCover")?;
    let mut st = State::default();
    testxml::walk(&mut w, &mut st)?;
    // The producer's count of what it measured: a body with fewer points has lost some (modules or
    // methods cut out after it was written), and what is left would be judged as the whole. An
    // empty body is judged as nothing coverable.
    if let Some(stated) = st.summary.get("numSequencePoints").and_then(serde_json::Value::as_u64)
        && stated > st.points
        && st.points > 0
    {
        return Err(ParseError::whole(format!(
            "the <Summary> counts {stated} sequence points but the modules hold {}: the report is not whole \
             (modules or methods were cut out after it was written); write it again",
            st.points
        )));
    }
    let mut meta = Meta::default();
    if !st.summary.is_empty() {
        meta.extra.insert("summary".into(), serde_json::Value::Object(st.summary));
    }
    if st.skipped_modules > 0 {
        meta.notes
            .push(format!("{} module(s) skipped by OpenCover (skippedDueTo) are not counted", st.skipped_modules));
    }
    if st.line_zero > 0 {
        meta.notes.push(format!("{} <SequencePoint> element(s) with sl=\"0\" were skipped", st.line_zero));
    }
    let mut files: Vec<(String, FileDetail)> = st.files.into_iter().collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    if !st.fileless.lines.is_empty() || !st.fileless.branches.is_empty() {
        let mut totals = Totals::default();
        for (_, d) in files.iter_mut().chain(std::iter::once(&mut (String::new(), st.fileless.clone()))) {
            d.normalize();
            totals.lines.add(Counts::new(d.lines.len() as u64, d.lines.iter().filter(|l| l.1 > 0).count() as u64));
            let b = Counts::new(
                d.branches.len() as u64,
                d.branches.iter().filter(|b| b.taken.unwrap_or(0) > 0).count() as u64,
            );
            totals.branches.get_or_insert_with(Counts::default).add(b);
            let f = Counts::new(d.functions.len() as u64, d.functions.iter().filter(|f| f.hits > 0).count() as u64);
            totals.functions.get_or_insert_with(Counts::default).add(f);
        }
        meta.notes.push(format!(
            "{} sequence point line(s) and {} branch point(s) belong to no source file (compiler-generated \
             code): counted in the totals, in no file",
            st.fileless.lines.len(),
            st.fileless.branches.len()
        ));
        meta.totals = Some(totals);
    }
    for (_, mut detail) in files {
        sink.file(&mut detail);
    }
    Ok(meta)
}

#[derive(Default)]
struct State {
    /// Per source path, everything measured in it.
    files: HashMap<String, FileDetail>,
    /// The current module's `<File uid fullPath>`.
    module_files: HashMap<String, String>,
    skip_module: bool,
    skipped_modules: u64,
    /// The current method: its file uid, name, first line, whether it ran.
    method: Option<Method>,
    name: Option<usize>,
    /// A running number for branch points, so that no two are merged.
    branch_no: u32,
    summary: serde_json::Map<String, serde_json::Value>,
    /// Points in no source file.
    fileless: FileDetail,
    /// `<SequencePoint>`s with `sl="0"`, skipped.
    line_zero: u64,
    /// `<SequencePoint>`s of the modules not skipped, for the `<Summary>`'s count.
    points: u64,
}

#[derive(Default)]
struct Method {
    file: Option<String>,
    name: String,
    first_line: u32,
    visited: bool,
    hits: u64,
    last_line: u32,
}

impl State {
    fn file_of(&mut self, w: &Walker<'_>, uid: Option<String>) -> Result<&mut FileDetail, ParseError> {
        let uid = uid.or_else(|| self.method.as_ref().and_then(|m| m.file.clone()));
        let Some(uid) = uid else {
            return Ok(&mut self.fileless);
        };
        let Some(path) = self.module_files.get(&uid) else {
            return Err(w.fail(format!("fileid=\"{uid}\" is not in the module's <Files>")));
        };
        let d = self.files.entry(path.clone()).or_insert_with(|| FileDetail::new(path.clone()));
        Ok(d)
    }
}

impl Handler for State {
    fn open(&mut self, w: &Walker<'_>, e: &BytesStart<'_>, depth: usize) -> Result<(), ParseError> {
        let name = e.local_name();
        match name.as_ref() {
            "Summary" if depth == 2 => {
                for a in e.attributes() {
                    let a = a.map_err(|err| w.attr_error(err))?;
                    let v = w.text(&a)?;
                    let value = v
                        .parse::<u64>()
                        .map(Into::into)
                        .or_else(|_| v.parse::<f64>().map(Into::into))
                        .unwrap_or(v.into());
                    self.summary.insert(a.key.local_name().as_ref().to_string(), value);
                }
            }
            "Module" => {
                self.module_files.clear();
                self.skip_module = testxml::attr(w, e, "skippedDueTo")?.is_some_and(|s| !s.is_empty());
                self.skipped_modules += u64::from(self.skip_module);
            }
            _ if self.skip_module => {}
            "File" => {
                if let (Some(uid), Some(path)) = (testxml::attr(w, e, "uid")?, testxml::attr(w, e, "fullPath")?) {
                    self.module_files.insert(uid, path);
                }
            }
            "Method" => {
                let visited = testxml::attr(w, e, "visited")?.is_some_and(|v| v == "true");
                self.method = Some(Method { visited, ..Method::default() });
            }
            "Name" if self.method.is_some() => self.name = Some(depth),
            "FileRef" if self.method.is_some() => {
                let uid = testxml::attr(w, e, "uid")?;
                if let Some(m) = self.method.as_mut() {
                    m.file = uid;
                }
            }
            "SequencePoint" => {
                let (mut vc, mut sl, mut fileid) = (0u64, None, None);
                for a in e.attributes() {
                    let a = a.map_err(|err| w.attr_error(err))?;
                    match a.key.local_name().as_ref() {
                        "vc" => vc = w.count(&a)?,
                        "sl" => sl = Some(w.line_number(&a)?),
                        "fileid" => fileid = Some(w.text(&a)?),
                        _ => {}
                    }
                }
                let sl = sl.ok_or_else(|| w.fail("<SequencePoint> without an sl attribute (its start line)"))?;
                self.points += 1;
                let Some(line) = sl else {
                    self.line_zero += 1;
                    return Ok(());
                };
                self.file_of(w, fileid)?.lines.push((line, vc));
                if let Some(m) = self.method.as_mut() {
                    m.hits = m.hits.saturating_add(vc);
                    m.last_line = line;
                    if m.first_line == 0 {
                        m.first_line = line;
                    }
                }
            }
            "BranchPoint" => {
                let (mut vc, mut sl, mut fileid) = (0u64, None, None);
                for a in e.attributes() {
                    let a = a.map_err(|err| w.attr_error(err))?;
                    match a.key.local_name().as_ref() {
                        "vc" => vc = w.count(&a)?,
                        "sl" => sl = w.line_number(&a)?,
                        "fileid" => fileid = Some(w.text(&a)?),
                        _ => {}
                    }
                }
                let line = sl.or_else(|| self.method.as_ref().map(|m| m.last_line).filter(|l| *l > 0)).unwrap_or(1);
                self.branch_no = self.branch_no.wrapping_add(1);
                let branch = self.branch_no;
                let d = self.file_of(w, fileid)?;
                d.has_branches = true;
                d.branches.push(Branch { line, block: 0, branch, taken: Some(vc) });
            }
            _ => {}
        }
        Ok(())
    }

    fn close(&mut self, _: &Walker<'_>, name: &str, depth: usize) -> Result<(), ParseError> {
        match name {
            "Name" if self.name == Some(depth) => self.name = None,
            "Method" => {
                if let Some(m) = self.method.take()
                    && let Some(path) = m.file.as_ref().and_then(|uid| self.module_files.get(uid))
                    && m.first_line > 0
                {
                    let d = self.files.entry(path.clone()).or_insert_with(|| FileDetail::new(path.clone()));
                    d.has_functions = true;
                    let hits = if m.visited { m.hits.max(1) } else { m.hits };
                    d.functions.push(Function { name: m.name, line: m.first_line, hits });
                }
            }
            "Module" => self.skip_module = false,
            _ => {}
        }
        Ok(())
    }

    fn text(&mut self, text: &str) {
        if self.name.is_some()
            && let Some(m) = self.method.as_mut()
            && m.name.len() < 1024
        {
            m.name.push_str(text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CoverageBuilder;

    fn read(xml: &str) -> Result<crate::model::Coverage, ParseError> {
        let mut b = CoverageBuilder::new();
        parse(&Source::bytes("o.xml", xml.as_bytes()), &mut b)?;
        Ok(b.finish())
    }

    #[test]
    fn lines_are_distinct_start_lines_and_skipped_modules_do_not_count() {
        let cov = read(r#"<?xml version="1.0"?><CoverageSession><Summary numSequencePoints="4" visitedSequencePoints="1"/>
<Modules><Module hash="x" skippedDueTo="MissingPdb"><ModuleName>Other</ModuleName></Module>
<Module hash="y"><Files><File uid="1" fullPath="C:\src\Calc.cs"/></Files><Classes><Class><FullName>Calc</FullName><Methods>
<Method visited="true"><Name>System.Int32 Calc::Add()</Name><FileRef uid="1"/>
<SequencePoints><SequencePoint vc="1" sl="10" fileid="1"/><SequencePoint vc="0" sl="10" fileid="1"/><SequencePoint vc="0" sl="11"/></SequencePoints>
<BranchPoints><BranchPoint vc="1" sl="10" fileid="1"/><BranchPoint vc="0" sl="10" fileid="1"/></BranchPoints></Method>
<Method visited="false"><Name>Calc::Sub()</Name><FileRef uid="1"/><SequencePoints><SequencePoint vc="0" sl="20" fileid="1"/></SequencePoints></Method>
</Methods></Class></Classes></Module></Modules></CoverageSession>"#)
        .unwrap();
        assert_eq!((cov.lines.covered, cov.lines.total), (1, 3));
        let b = cov.branches.unwrap();
        assert_eq!((b.covered, b.total), (1, 2));
        let f = cov.functions.unwrap();
        assert_eq!((f.covered, f.total), (1, 2));
        assert_eq!(cov.files[0].path, "C:\\src\\Calc.cs");
        assert!(cov.notes.iter().any(|n| n.contains("1 module(s) skipped")) || cov.notes.is_empty());
    }

    #[test]
    fn an_empty_session_is_clean_and_an_unknown_file_or_count_is_an_error() {
        let cov = read("<CoverageSession><Summary numSequencePoints=\"0\"/><Modules/></CoverageSession>").unwrap();
        assert_eq!(cov.lines.total, 0);
        let e = read(r#"<CoverageSession><Modules><Module><Files/><Classes><Class><Methods><Method><SequencePoints><SequencePoint vc="1" sl="3" fileid="9"/></SequencePoints></Method></Methods></Class></Classes></Module></Modules></CoverageSession>"#).unwrap_err();
        assert!(e.to_string().contains("fileid=\"9\""), "{e}");
        let e = read(r#"<CoverageSession><Modules><Module><Files><File uid="1" fullPath="a.cs"/></Files><Classes><Class><Methods><Method><SequencePoints><SequencePoint vc="-1" sl="3" fileid="1"/></SequencePoints></Method></Methods></Class></Classes></Module></Modules></CoverageSession>"#).unwrap_err();
        assert!(e.to_string().contains("negative"), "{e}");
        assert!(read("<coverage/>").is_err());
    }

    /// The `<Summary>` is OpenCover's own count of the sequence points it measured: a body with
    /// fewer has lost some, and used to be judged on what was left (2 of 2 lines covered, where
    /// the producer counted 10 of 100 points visited).
    #[test]
    fn fewer_points_than_the_summary_counts_is_an_error() {
        let doc = |stated: u32| {
            format!(
                r#"<CoverageSession><Summary numSequencePoints="{stated}" visitedSequencePoints="2"/><Modules>
<Module hash="x" skippedDueTo="Filter"><ModuleName>Skipped</ModuleName></Module>
<Module hash="y"><Files><File uid="1" fullPath="src/a.cs"/></Files><Classes><Class><Methods><Method visited="true">
<Name>M</Name><FileRef uid="1"/><SequencePoints><SequencePoint vc="1" sl="1" fileid="1"/><SequencePoint vc="1" sl="0" fileid="1"/>
<SequencePoint vc="0" sl="2"/></SequencePoints></Method></Methods></Class></Classes></Module></Modules></CoverageSession>"#
            )
        };
        let e = read(&doc(100)).unwrap_err();
        assert!(e.to_string().contains("counts 100 sequence points but the modules hold 3"), "{e}");
        // As many as it counts (a point with sl="0" and one in no file among them), or more.
        assert_eq!(read(&doc(3)).unwrap().lines, Counts::new(2, 1));
        assert!(read(&doc(2)).is_ok());
    }

    #[test]
    fn a_sequence_point_without_sl_is_an_error_and_sl_0_a_note() {
        let doc = |points: &str| {
            format!(
                r#"<CoverageSession><Modules><Module hash="y"><Files><File uid="1" fullPath="src/a.c"/></Files>
<Classes><Class><Methods><Method visited="true"><Name>M</Name><FileRef uid="1"/><SequencePoints>{points}
<SequencePoint vc="1" sl="2" fileid="1"/></SequencePoints></Method></Methods></Class></Classes></Module></Modules>
</CoverageSession>"#
            )
        };
        let e = read(&doc(r#"<SequencePoint vc="0" fileid="1"/>"#)).unwrap_err();
        assert!(e.to_string().contains("without an sl attribute"), "{e}");
        let mut b = CoverageBuilder::new();
        let xml = doc(r#"<SequencePoint vc="0" sl="0" fileid="1"/>"#);
        let meta = parse(&Source::bytes("o.xml", xml.as_bytes()), &mut b).unwrap();
        assert_eq!(b.finish().lines, Counts::new(1, 1));
        assert!(
            meta.notes.iter().any(|n| n.contains("1 <SequencePoint> element(s) with sl=\"0\"")),
            "{:?}",
            meta.notes
        );
    }
}
