//! Lighthouse CI's `manifest.json`: what `lhci upload --target=filesystem` writes beside the runs
//! it saved, one entry per run (`url`, `isRepresentativeRun`, `htmlPath`, `jsonPath`, `summary`).
//!
//! The runs the entries name are read as Lighthouse results ([`super::lighthouse`]) and kept
//! whole ([`A11yReport::runs`]): the gate folds the runs of each URL as `[a11y] aggregation` says.
//! The report's own pages are each URL's median run, which is what `temis report` shows.
//!
//! Where runs are read from: only the manifest's folder. A relative `jsonPath` is taken from
//! that folder and may not leave it (`..`, or a link out of it, is refused). lhci writes absolute
//! paths of the machine that ran it; one that lies inside the folder is read as it is, any other
//! is read from the folder by its file name (an artifact downloaded elsewhere keeps the names),
//! never from where it points. A listed run that is missing, or not a Lighthouse result, is an
//! error naming the entry.

use std::path::PathBuf;

use serde::Deserialize;

use super::json;
use super::lighthouse;
use super::tolerant::{Loose, LooseBool, LooseNumber, LooseStr};
use crate::input::{SiblingError, Source};
use crate::model::a11y::{A11yReport, Aggregation, Page, number_json, pick_run};
use crate::parsers::ParseError;

#[derive(Deserialize)]
struct Entry {
    #[serde(default)]
    url: LooseStr,
    #[serde(rename = "isRepresentativeRun", default)]
    representative: LooseBool,
    #[serde(rename = "jsonPath", default)]
    json_path: LooseStr,
    #[serde(default)]
    summary: Loose<Summary>,
}

#[derive(Deserialize)]
struct Summary {
    #[serde(default)]
    accessibility: LooseNumber,
}

/// Whether a JSON document's opening looks like a Lighthouse CI manifest.
pub fn looks_like(body: &[u8]) -> bool {
    body.first() == Some(&b'[')
        && memchr::memmem::find(body, b"\"isRepresentativeRun\"").is_some()
        && memchr::memmem::find(body, b"\"jsonPath\"").is_some()
}

/// Reads a Lighthouse CI manifest and every run it lists.
pub fn parse(input: &Source) -> Result<A11yReport, ParseError> {
    let entries: Vec<Entry> = json::read_doc(input)?;
    if !input.on_disk() {
        return Err(ParseError::whole(
            "a Lighthouse CI manifest names its runs by path: name the manifest's file rather than standard input",
        ));
    }
    if entries.is_empty() {
        return Err(ParseError::whole("the manifest lists no run: Lighthouse CI collected nothing"));
    }
    let mut report = A11yReport { has_impact: true, ..A11yReport::default() };
    let mut relocated: Option<String> = None;
    let mut seen: Vec<(PathBuf, Option<String>)> = Vec::new();
    let mut runs_json = Vec::new();
    for (i, entry) in entries.into_iter().enumerate() {
        let what = match &entry.url.0 {
            Some(u) => format!("entry {} ({u})", i + 1),
            None => format!("entry {}", i + 1),
        };
        let Some(listed) = entry.json_path.0.filter(|p| !p.trim().is_empty()) else {
            return Err(ParseError::whole(format!(
                "{what} has no jsonPath: the manifest does not say where its run is"
            )));
        };
        let sibling = input.sibling(&listed).map_err(|e| ParseError::whole(format!("{what}: {}", why(&e))))?;
        if sibling.relocated && relocated.is_none() {
            relocated = Some(listed.clone());
        }
        let (file, name) = (sibling.path, sibling.file_name);
        if !lighthouse::looks_like(sibling.source.head()) {
            return Err(ParseError::whole(format!(
                "{what}: its run {name} is not a Lighthouse result (no lighthouseVersion)"
            )));
        }
        let run = lighthouse::parse(&sibling.source).map_err(|e| ParseError::whole(format!("{what}: {name}: {e}")))?;
        let mut page = run.pages.into_iter().next().unwrap_or_default();
        let fetch_time = page.run.as_ref().and_then(|r| r.fetch_time.clone());
        if seen.iter().any(|(f, t)| *f == file || (t.is_some() && *t == fetch_time)) {
            report.notes.push(format!("{what} lists a run already read ({name}): it counts once"));
            continue;
        }
        seen.push((file.clone(), fetch_time));
        if page.url.is_empty() {
            page.url = entry.url.0.clone().unwrap_or_default();
        }
        if let Some(r) = page.run.as_mut() {
            r.representative = entry.representative.0;
            r.file = Some(name.clone());
        }
        let summary = entry.summary.0.and_then(|s| s.accessibility.0).map(|s| (s * 100.0).round());
        if let (Some(said), Some(score)) = (summary, page.score)
            && said != score
        {
            report.notes.push(format!(
                "{what}: the manifest's summary gives accessibility {said}, its run {name} {score}: the run counts"
            ));
        }
        if report.tool.is_empty() {
            report.tool = run.tool.clone();
            for key in ["lighthouse_version", "axe_version"] {
                if let Some(v) = run.extra.get(key) {
                    report.extra.insert(key.into(), v.clone());
                }
            }
        }
        for note in run.notes {
            report.notes.push(format!("{name}: {note}"));
        }
        runs_json.push(serde_json::json!({
            "file": name,
            "url": page.url,
            "score": page.score.map_or(serde_json::Value::Null, number_json),
            "representative": entry.representative.0,
            "error": page.error,
        }));
        report.runs.push(page);
    }
    if let Some(listed) = relocated {
        report.notes.push(format!(
            "the manifest's jsonPath values are paths of the machine that wrote it (e.g. {listed}): each run was read \
             from the manifest's folder by its file name"
        ));
    }
    let mut urls: Vec<&str> = Vec::new();
    for r in &report.runs {
        if !urls.contains(&r.url.as_str()) {
            urls.push(&r.url);
        }
    }
    let mut pages = Vec::new();
    for url in &urls {
        let runs: Vec<&Page> = report.runs.iter().filter(|r| r.url == *url).collect();
        let picked = pick_run(&runs, Aggregation::Median);
        let page = runs[picked.index].clone();
        if let Some(how) = picked.how {
            let file = page.run.as_ref().and_then(|r| r.file.as_deref()).unwrap_or("?");
            report.notes.push(format!(
                "{url}: {how}; shown here is that run ({file}), the gate folds the runs as [a11y] aggregation says"
            ));
        }
        pages.push(page);
    }
    report.extra.insert("urls_total".into(), urls.len().into());
    report.extra.insert("runs_total".into(), report.runs.len().into());
    report.extra.insert("runs".into(), runs_json.into());
    report.pages = pages;
    if report.tool.is_empty() {
        report.tool = "lighthouse".into();
    }
    Ok(report)
}

/// Why a run cannot be read, in the manifest's words.
fn why(e: &SiblingError) -> String {
    match e {
        SiblingError::NoFolder => "the manifest is not a file on disk".into(),
        SiblingError::NoFile { listed } => format!("its jsonPath {listed} names no file"),
        SiblingError::LeadsOut { name } => format!("its run {name} leads out of the manifest's folder; not read"),
        SiblingError::Leaves { listed } => {
            format!("its jsonPath {listed} leaves the manifest's folder; temis reads only the runs beside the manifest")
        }
        SiblingError::MissingElsewhere { listed, name, beside } => format!(
            "its run is missing: jsonPath {listed} is not in the manifest's folder, and no {name} is beside the \
             manifest ({})",
            beside.display()
        ),
        SiblingError::Missing { listed, path } => {
            format!("its run is missing: no {listed} in the manifest's folder ({})", path.display())
        }
        SiblingError::Open { name, error } => format!("cannot read its run {name}: {error}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    const RUN: &str = r#"{"lighthouseVersion":"12.6.1","requestedUrl":"http://x/","finalDisplayedUrl":"http://x/",
      "fetchTime":"FETCH","audits":{
        "label":{"score":SCORE,"scoreDisplayMode":"binary","details":{"items":[{}],"debugData":{"impact":"critical","tags":["wcag2a"]}}},
        "first-contentful-paint":{"numericValue":FCP},"interactive":{"numericValue":FCP}},
      "categories":{"accessibility":{"score":CAT,"auditRefs":[{"id":"label","weight":7}]}}}"#;

    fn run(dir: &Path, name: &str, fetch: &str, cat: f64, fcp: f64) {
        let label = if cat < 1.0 { "0" } else { "1" };
        let text = RUN
            .replace("FETCH", fetch)
            .replace("SCORE", label)
            .replace("CAT", &cat.to_string())
            .replace("FCP", &fcp.to_string());
        std::fs::write(dir.join(name), text).unwrap();
    }

    fn manifest(dir: &Path, entries: &[(&str, bool)]) -> PathBuf {
        let list: Vec<serde_json::Value> = entries
            .iter()
            .map(|(p, rep)| serde_json::json!({"url": "http://x/", "isRepresentativeRun": rep, "jsonPath": p}))
            .collect();
        let path = dir.join("manifest.json");
        std::fs::write(&path, serde_json::to_string(&list).unwrap()).unwrap();
        path
    }

    #[test]
    fn runs_are_read_beside_the_manifest_and_the_median_shown() {
        let dir = tempfile::tempdir().unwrap();
        run(dir.path(), "a.json", "t1", 1.0, 900.0);
        run(dir.path(), "b.json", "t2", 0.8, 500.0);
        run(dir.path(), "c.json", "t3", 0.9, 700.0);
        let m = manifest(dir.path(), &[("a.json", false), ("/elsewhere/ci/b.json", false), ("./c.json", true)]);
        let head = std::fs::read(&m).unwrap();
        assert!(looks_like(&head));
        let r = parse(&Source::open(&m).unwrap()).unwrap();
        assert_eq!(r.runs.len(), 3);
        assert_eq!((r.pages.len(), r.pages[0].score), (1, Some(90.0)));
        assert_eq!(r.runs[2].run.as_ref().unwrap().representative, Some(true));
        assert!(
            r.notes.iter().any(|n| n.contains("read from the manifest's folder by its file name")),
            "{:?}",
            r.notes
        );
        assert_eq!(r.extra["runs_total"], 3);
    }

    #[test]
    fn a_run_listed_twice_counts_once() {
        let dir = tempfile::tempdir().unwrap();
        run(dir.path(), "a.json", "t1", 1.0, 900.0);
        run(dir.path(), "b.json", "t1", 1.0, 900.0);
        let m = manifest(dir.path(), &[("a.json", false), ("a.json", true), ("b.json", false)]);
        let r = parse(&Source::open(&m).unwrap()).unwrap();
        assert_eq!(r.runs.len(), 1);
        assert_eq!(r.notes.iter().filter(|n| n.contains("already read")).count(), 2);
    }

    #[test]
    fn missing_escaping_and_foreign_runs_are_errors_naming_the_entry() {
        let dir = tempfile::tempdir().unwrap();
        let inner = dir.path().join("lhci");
        std::fs::create_dir(&inner).unwrap();
        run(dir.path(), "outside.json", "t1", 1.0, 1.0);
        run(&inner, "a.json", "t2", 1.0, 1.0);
        let cases: &[(&str, &str)] = &[
            ("gone.json", "entry 2 (http://x/): its run is missing: no gone.json"),
            ("../outside.json", "entry 2 (http://x/): its jsonPath ../outside.json leaves the manifest's folder"),
            ("/nowhere/gone.json", "entry 2 (http://x/): its run is missing: jsonPath /nowhere/gone.json"),
        ];
        for (listed, expect) in cases {
            let m = manifest(&inner, &[("a.json", false), (listed, true)]);
            let e = parse(&Source::open(&m).unwrap()).unwrap_err();
            assert!(e.message.starts_with(expect), "{listed}: {}", e.message);
        }
        let outside = dir.path().join("outside.json").display().to_string();
        let m = manifest(&inner, &[(&outside, false)]);
        let e = parse(&Source::open(&m).unwrap()).unwrap_err();
        assert!(e.message.contains("no outside.json is beside the manifest"), "{}", e.message);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("outside.json"), inner.join("link.json")).unwrap();
            let m = manifest(&inner, &[("link.json", false)]);
            assert!(
                parse(&Source::open(&m).unwrap()).unwrap_err().message.contains("leads out of the manifest's folder")
            );
        }
        std::fs::write(inner.join("axe.json"), "{\"testEngine\":{}}").unwrap();
        let m = manifest(&inner, &[("axe.json", false)]);
        assert!(parse(&Source::open(&m).unwrap()).unwrap_err().message.contains("not a Lighthouse result"));
        let m = manifest(&inner, &[]);
        std::fs::write(&m, "[]").unwrap();
        assert!(parse(&Source::open(&m).unwrap()).unwrap_err().message.contains("lists no run"));
        let bytes = Source::bytes("<stdin>", &b"[{\"isRepresentativeRun\":true,\"jsonPath\":\"a.json\"}]"[..]);
        assert!(parse(&bytes).unwrap_err().message.contains("standard input"));
    }
}
