//! Lighthouse result JSON (LHR): `lighthouse --output=json`, and each `lhr-*.json` that
//! Lighthouse CI writes in `.lighthouseci/`.
//!
//! The score is `categories.accessibility.score` on the 0–100 scale (`round(score × 100)`, the
//! figure the report shows). Violations are the category's failing *visible* audits: an
//! auditRef whose audit is `binary` (or numeric) with a score below 1, leaving out the auditRefs
//! in group `hidden` (weight 0, not shown by Lighthouse; listed in `hidden_failing_rules`).
//! `manual`, `informative` and `notApplicable` audits are not failures. Each violation keeps
//! its weight, its axe impact and tags (`details.debugData`) and its failing elements
//! (`details.items[].node`). A run with `runtimeError` (the page did not load) has no score:
//! the page carries the error, and the gate says so rather than reading it as 0.
//!
//! A result that did not measure what it claims carries an error too, never a clean page: an
//! accessibility audit that could not run (`scoreDisplayMode: "error"`, or a binary or numeric
//! audit without a score), an auditRef with no audit in the report, a category that lists no
//! audit. A result without `audits` (and no `runtimeError` to say why), a `runtimeError` that is
//! not an object, and a category or audit named twice (`JSON.parse`, which Lighthouse's readers
//! use, keeps the last; temis would judge the first) are errors.
//!
//! Each run keeps what folding several runs of one URL needs ([`RunFacts`]): its `fetchTime`, and
//! the first-contentful-paint and time-to-interactive timings Lighthouse CI picks its
//! representative run by.
//!
//! Audits are read into a compact summary as they stream by (a full run holds ~150, each with
//! its own `details` shape, read loosely); the category, which comes after them, then picks its
//! own.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::json::{self, Entries};
use super::tolerant::{Fraction, Loose, LooseNumber, LooseStr, LooseStrings, NonNegative, some_string};
use super::wcag;
use crate::input::Source;
use crate::model::a11y::{A11yReport, Impact, Page, RunFacts, Violation, number_json};
use crate::parsers::ParseError;

#[derive(Deserialize)]
struct Lhr {
    #[serde(rename = "lighthouseVersion")]
    version: Option<String>,
    #[serde(rename = "requestedUrl", default)]
    requested_url: LooseStr,
    #[serde(rename = "finalDisplayedUrl", default)]
    final_url: LooseStr,
    #[serde(rename = "mainDocumentUrl", default)]
    main_document_url: LooseStr,
    #[serde(rename = "fetchTime", default)]
    fetch_time: LooseStr,
    #[serde(rename = "runtimeError", default)]
    runtime_error: Option<RuntimeError>,
    #[serde(default)]
    audits: Option<Entries<Audit>>,
    #[serde(default)]
    categories: Option<Entries<Category>>,
    #[serde(rename = "environment", default)]
    environment: Loose<Environment>,
    #[serde(rename = "configSettings", default)]
    config: Option<ConfigSettings>,
}

/// What the run was told to leave out (`--only-audits`, `--skip-audits`).
#[derive(Deserialize)]
struct ConfigSettings {
    #[serde(rename = "onlyAudits", default)]
    only_audits: Option<Vec<String>>,
    #[serde(rename = "skipAudits", default)]
    skip_audits: Option<Vec<String>>,
}

impl ConfigSettings {
    /// Why the accessibility category is not the page's, when the run left audits out: limited
    /// to some (the category then holds those alone), or skipping accessibility ones (axe's
    /// rules; skipping another category's audits leaves this one whole).
    fn limited(&self) -> Option<String> {
        let list = |ids: &[&str]| {
            let shown: Vec<&str> = ids.iter().take(5).copied().collect();
            format!("{}{}", shown.join(", "), if ids.len() > 5 { ", …" } else { "" })
        };
        if let Some(only) = self.only_audits.as_deref().filter(|o| !o.is_empty()) {
            let ids: Vec<&str> = only.iter().map(String::as_str).collect();
            return Some(format!(
                "the run was limited to {} audit(s) (onlyAudits: {}): its accessibility score and findings are of \
                 those alone; run Lighthouse without --only-audits",
                ids.len(),
                list(&ids)
            ));
        }
        let skipped: Vec<&str> =
            self.skip_audits.iter().flatten().map(String::as_str).filter(|id| wcag::axe_rule(id).is_some()).collect();
        (!skipped.is_empty()).then(|| {
            format!(
                "the run skipped {} accessibility audit(s) (skipAudits: {}): its score and findings leave them out; \
                 run Lighthouse without skipping them (a rule's violations a team accepts are a waiver)",
                skipped.len(),
                list(&skipped)
            )
        })
    }
}

#[derive(Deserialize)]
struct RuntimeError {
    #[serde(default)]
    code: LooseStr,
    #[serde(default)]
    message: LooseStr,
}

#[derive(Deserialize)]
struct Environment {
    #[serde(default)]
    credits: Loose<Credits>,
}

#[derive(Deserialize)]
struct Credits {
    #[serde(rename = "axe-core", default)]
    axe: LooseStr,
}

#[derive(Deserialize)]
struct Audit {
    #[serde(default)]
    title: LooseStr,
    score: Option<Fraction>,
    #[serde(rename = "scoreDisplayMode", default, deserialize_with = "some_string")]
    mode: Option<String>,
    #[serde(default)]
    details: Loose<Details>,
    #[serde(rename = "errorMessage", default)]
    error: LooseStr,
    #[serde(rename = "numericValue", default)]
    numeric: LooseNumber,
}

#[derive(Deserialize)]
struct Details {
    #[serde(default)]
    items: Items,
    #[serde(rename = "debugData", default)]
    debug: Loose<DebugData>,
}

/// `details.items`: the count, and the first selectors.
#[derive(Default)]
struct Items {
    count: u64,
    selectors: Vec<String>,
}

impl<'de> Deserialize<'de> for Items {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ItemsVisitor)
    }
}

/// A list of items (any other value: none), counted, with the selectors of their nodes.
struct ItemsVisitor;

impl<'de> serde::de::Visitor<'de> for ItemsVisitor {
    type Value = Items;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of items")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Items, A::Error> {
        let mut out = Items::default();
        while let Some(item) = seq.next_element::<Loose<Item>>()? {
            out.count += 1;
            if let Some(sel) = item.0.and_then(|i| i.node.0).and_then(|n| n.selector.0)
                && out.selectors.len() < crate::model::a11y::TARGETS_KEPT
            {
                out.selectors.push(sel);
            }
        }
        Ok(out)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Items, A::Error> {
        while map.next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?.is_some() {}
        Ok(Items::default())
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Items, E> {
        Ok(Items::default())
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Items, E> {
        Ok(Items::default())
    }

    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Items, E> {
        Ok(Items::default())
    }

    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Items, E> {
        Ok(Items::default())
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Items, E> {
        Ok(Items::default())
    }

    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Items, E> {
        Ok(Items::default())
    }
}

#[derive(Deserialize)]
struct Item {
    #[serde(default)]
    node: Loose<Node>,
}

#[derive(Deserialize)]
struct Node {
    #[serde(default)]
    selector: LooseStr,
}

#[derive(Deserialize)]
struct DebugData {
    #[serde(default)]
    impact: LooseStr,
    #[serde(default)]
    tags: LooseStrings,
}

#[derive(Deserialize)]
struct Category {
    score: Option<Fraction>,
    #[serde(rename = "auditRefs", default)]
    refs: Vec<AuditRef>,
}

#[derive(Deserialize)]
struct AuditRef {
    id: String,
    weight: Option<NonNegative>,
    #[serde(default)]
    group: LooseStr,
}

/// Lighthouse's 0–1 score as the report shows it, 0–100.
fn percent(score: f64) -> f64 {
    (score * 100.0).round()
}

/// Reads a Lighthouse result (LHR) JSON.
pub fn parse(input: &Source) -> Result<A11yReport, ParseError> {
    let lhr: Lhr = json::read_doc(input)?;
    build(lhr)
}

/// The first key named twice in `entries` (`what` names the object), as an error.
fn once<T>(entries: &[(String, T)], what: &str) -> Result<(), ParseError> {
    let mut seen = json::OnceNamed::default();
    entries.iter().for_each(|(k, _)| seen.note(k));
    seen.check(what)
}

fn build(lhr: Lhr) -> Result<A11yReport, ParseError> {
    let version = lhr.version.unwrap_or_default();
    // The document the server sent after its redirects (`mainDocumentUrl`; a client-side route
    // an app takes after loading is the page's own), else what Lighthouse shows.
    let landed = lhr.main_document_url.0.as_deref().or(lhr.final_url.0.as_deref());
    let (mut redirected, mut moved) = (None, None);
    if let (Some(asked), Some(audited)) = (lhr.requested_url.0.as_deref(), landed)
        && same_page(asked) != same_page(audited)
    {
        if host(asked) != host(audited) || sign_in(audited) {
            redirected = Some(format!(
                "Lighthouse was redirected from {asked} to {audited} and audited that page, not the one asked for \
                 (a sign-in page, another site); audit the page itself — sign in first, or run Lighthouse on the \
                 URL meant"
            ));
        } else {
            moved = Some(format!(
                "Lighthouse was redirected from {asked} to {audited} (the same site: a locale, a clean URL) and \
                 audited that page"
            ));
        }
    }
    let url = lhr.final_url.0.or(lhr.requested_url.0.clone()).unwrap_or_default();
    let mut report = A11yReport {
        tool: format!("lighthouse {version}").trim().to_string(),
        has_impact: true,
        ..A11yReport::default()
    };
    // Lighthouse up to 5 writes `{"code": "NO_ERROR", "message": ""}` on a run that went well.
    let runtime_error = lhr.runtime_error.filter(|e| e.code.0.as_deref() != Some("NO_ERROR"));
    if lhr.audits.is_none() && runtime_error.is_none() {
        return Err(ParseError::whole(
            "no `audits`: a Lighthouse result lists its audits even when they fail; this one is cut or not Lighthouse's",
        ));
    }
    if let Some(a) = &lhr.audits {
        once(&a.0, "audits")?;
    }
    if let Some(c) = &lhr.categories {
        once(&c.0, "categories")?;
    }
    let audits: BTreeMap<String, Audit> = lhr.audits.map(|a| a.0.into_iter().collect()).unwrap_or_default();
    let categories = lhr.categories.map(|c| c.0).unwrap_or_default();
    let timing = |id: &str| audits.get(id).and_then(|a| a.numeric.0);
    let run = RunFacts {
        fetch_time: lhr.fetch_time.0,
        fcp: timing("first-contentful-paint"),
        interactive: timing("interactive"),
        ..RunFacts::default()
    };
    let mut page = Page { url, run: Some(run), ..Page::default() };
    let mut category_scores = serde_json::Map::new();
    for (id, c) in &categories {
        category_scores.insert(id.clone(), c.score.map_or(serde_json::Value::Null, |s| number_json(percent(s.0))));
    }
    let mut hidden = Vec::new();
    match categories.into_iter().find(|(id, _)| id == "accessibility") {
        None => {
            page.error = Some("the report has no accessibility category (Lighthouse ran without it)".to_string());
        }
        Some((_, cat)) => {
            page.score = cat.score.map(|s| percent(s.0));
            let (mut errored, mut why) = (Vec::new(), String::new());
            let mut missing = Vec::new();
            // Audits that applied to the page and scored.
            let mut applied = 0usize;
            for (i, r) in cat.refs.iter().enumerate() {
                // Lighthouse lists each audit of a category once: one listed twice would count
                // its violation twice.
                if cat.refs[..i].iter().any(|o| o.id == r.id) {
                    return Err(ParseError::whole(format!(
                        "`categories.accessibility.auditRefs` lists {:?} twice: Lighthouse lists each audit once",
                        r.id
                    )));
                }
                let Some(audit) = audits.get(&r.id) else {
                    missing.push(r.id.as_str());
                    continue;
                };
                let mode = audit.mode.as_deref().unwrap_or("");
                // (`not-applicable`: Lighthouse 3's spelling of `notApplicable`.)
                if !matches!(
                    mode,
                    "binary"
                        | "numeric"
                        | "metricSavings"
                        | "error"
                        | "notApplicable"
                        | "not-applicable"
                        | "manual"
                        | "informative"
                ) {
                    // Lighthouse writes one of these for every audit: of another word (or none),
                    // whether the audit was measured is not known.
                    return Err(ParseError::whole(format!(
                        "audit {} has scoreDisplayMode {}: not one Lighthouse writes (binary, numeric, \
                         metricSavings, error, notApplicable, manual, informative)",
                        r.id,
                        audit.mode.as_deref().map_or("(none)".to_string(), |m| format!("{m:?}"))
                    )));
                }
                let measured = matches!(mode, "binary" | "numeric" | "metricSavings");
                // An audit that could not run, or one that should score and did not: nothing
                // about its rule was measured.
                if mode == "error" || (measured && audit.score.is_none()) {
                    if errored.is_empty() {
                        why = audit.error.0.clone().unwrap_or_else(|| format!("{mode} audit without a score"));
                    }
                    errored.push(r.id.as_str());
                    continue;
                }
                if !measured {
                    continue;
                }
                let Some(score) = audit.score else { continue };
                applied += 1;
                if score.0 >= 1.0 {
                    if r.group.0.as_deref() != Some("hidden") {
                        page.passes += 1;
                    }
                    continue;
                }
                if r.group.0.as_deref() == Some("hidden") {
                    hidden.push(r.id.clone());
                    continue;
                }
                page.violations.push(violation(&r.id, r, audit));
            }
            let unmeasured = match (errored.as_slice(), missing.as_slice()) {
                ([], []) if cat.refs.is_empty() => {
                    Some("the accessibility category lists no audit: nothing was measured".to_string())
                }
                ([], []) if applied == 0 => Some(
                    "no audit of the accessibility category applied to the page (each is notApplicable, manual \
                     or informative): nothing was measured"
                        .to_string(),
                ),
                ([], []) => None,
                ([one], _) => Some(format!("audit {one} could not run: {why}")),
                ([first, rest @ ..], _) => {
                    Some(format!("{} audits could not run ({first} and {} more): {why}", rest.len() + 1, rest.len()))
                }
                ([], [first, ..]) => Some(format!(
                    "{} audit(s) the accessibility category lists are missing from the report ({first}…): the result is cut",
                    missing.len()
                )),
            };
            if let Some(why) = unmeasured.or_else(|| lhr.config.as_ref().and_then(ConfigSettings::limited)) {
                page.error = Some(why);
            } else if page.score.is_none() {
                page.error = Some("Lighthouse gave no accessibility score".to_string());
            }
        }
    }
    if let Some(why) = redirected.filter(|_| page.error.is_none()) {
        page.error = Some(why);
    }
    report.notes.extend(moved);
    let mut runtime_error_code = serde_json::Value::Null;
    if let Some(e) = &runtime_error {
        let code = e.code.0.as_deref().unwrap_or("runtime error");
        let message = e.message.0.as_deref().map(|m| format!(": {m}")).unwrap_or_default();
        page.error = Some(format!("{code}{message}"));
        runtime_error_code = code.into();
    }
    report.extra.insert("runtime_error".into(), runtime_error_code);
    if !version.is_empty() {
        report.extra.insert("lighthouse_version".into(), version.into());
    }
    if let Some(axe) = lhr.environment.0.and_then(|e| e.credits.0).and_then(|c| c.axe.0) {
        report.extra.insert("axe_version".into(), axe.into());
    }
    if let Some(u) = lhr.requested_url.0 {
        report.extra.insert("requested_url".into(), u.into());
    }
    report.extra.insert("category_scores".into(), category_scores.into());
    report.extra.insert("hidden_failing_rules".into(), hidden.into());
    report.pages.push(page);
    Ok(report)
}

fn violation(id: &str, r: &AuditRef, audit: &Audit) -> Violation {
    let mut v = Violation::new(id);
    let debug = audit.details.0.as_ref().and_then(|d| d.debug.0.as_ref());
    if let Some(d) = debug {
        v.impact = d.impact.0.as_deref().and_then(Impact::parse);
        let (level, criteria) = wcag::from_tags(d.tags.0.iter().map(String::as_str));
        v.level = level;
        v.criteria = criteria;
    } else if let Some((level, criteria)) = wcag::axe_rule(id) {
        v.level = level;
        v.criteria = criteria.iter().map(|s| s.to_string()).collect();
    }
    if let Some(items) = audit.details.0.as_ref().map(|d| &d.items) {
        v.nodes = items.count;
        for s in items.selectors.iter().take(crate::model::a11y::TARGETS_KEPT) {
            v.target(s.clone());
        }
    }
    v.help = audit.title.0.clone();
    v.weight = r.weight.map(|w| w.0);
    v
}

/// Whether a JSON document's opening looks like a Lighthouse result.
pub fn looks_like(body: &[u8]) -> bool {
    memchr::memmem::find(body, b"\"lighthouseVersion\"").is_some()
}

/// A URL as the page it names: without its scheme (`http` sent on to `https`), a leading `www.`,
/// its fragment and a trailing `/` — the redirects that keep the page. Anything else
/// (another path, another host, a login page's query) is another page.
fn same_page(url: &str) -> &str {
    let url = url.split_once("://").map_or(url, |(_, rest)| rest);
    let url = url.strip_prefix("www.").unwrap_or(url);
    let url = url.split_once(['#', '?']).map_or(url, |(page, _)| page);
    let url = url.strip_suffix("index.html").unwrap_or(url);
    let url = url.strip_suffix(".html").unwrap_or(url);
    url.trim_end_matches('/')
}

/// A URL's host (and port), `www.` apart.
fn host(url: &str) -> &str {
    let page = same_page(url);
    page.split_once('/').map_or(page, |(host, _)| host)
}

/// Whether a URL is a sign-in page: a path segment an auth wall sends to (`/login`,
/// `/signin`, `/sign-in`, `/auth/…`, `/sso`, `/oauth/authorize`…).
fn sign_in(url: &str) -> bool {
    let page = same_page(url);
    let path = page.split_once('/').map_or("", |(_, path)| path).to_ascii_lowercase();
    path.split('/').any(|segment| {
        let segment = segment.strip_suffix(".html").unwrap_or(segment);
        matches!(
            segment,
            "login"
                | "log-in"
                | "signin"
                | "sign-in"
                | "sso"
                | "auth"
                | "oauth"
                | "authorize"
                | "session"
                | "sessions"
                | "users/sign_in"
                | "sign_in"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::a11y::Level;

    fn read(text: &str) -> Result<A11yReport, ParseError> {
        parse(&Source::bytes("lhr.json", text.as_bytes()))
    }

    const RUN: &str = r##"{"lighthouseVersion":"12.8.2","requestedUrl":"http://x/","finalDisplayedUrl":"http://x/",
      "audits":{
        "label":{"title":"Form elements do not have labels","score":0,"scoreDisplayMode":"binary",
          "details":{"type":"table","items":[{"node":{"selector":"#d"}}],
                     "debugData":{"type":"debugdata","impact":"critical","tags":["wcag2a","wcag412","wcag131"]}}},
        "td-has-header":{"score":0,"scoreDisplayMode":"binary","details":{"items":[{}],"debugData":{"impact":"critical","tags":["wcag2a"]}}},
        "color-contrast":{"score":1,"scoreDisplayMode":"binary"},
        "tabindex":{"score":null,"scoreDisplayMode":"notApplicable"},
        "logical-tab-order":{"score":null,"scoreDisplayMode":"manual"},
        "perf":{"score":0.2,"scoreDisplayMode":"numeric","details":{"type":"filmstrip","items":[1,[2],"x"],"debugData":{"tags":{"odd":1}}}}
      },
      "categories":{"accessibility":{"score":0.87,"auditRefs":[
        {"id":"label","weight":7,"group":"a11y-names-labels"},{"id":"td-has-header","weight":0,"group":"hidden"},
        {"id":"color-contrast","weight":7},{"id":"tabindex","weight":0},{"id":"logical-tab-order","weight":0}]},
        "performance":{"score":0.54,"auditRefs":[{"id":"perf","weight":10,"acronym":"P"}]}}}"##;

    /// Lighthouse 12.8 asked for `/app`, sent by the server to `/login.html`, audited the login
    /// page (100) and said so only in `runWarnings`: approved as `/app`'s score. A redirect to
    /// another page is no measure of the page asked for; `http` → `https`, `www.` and a trailing
    /// `/` keep the page.
    #[test]
    fn a_run_redirected_to_another_page_measured_that_page() {
        let redirected =
            RUN.replace(r#""finalDisplayedUrl":"http://x/""#, r#""finalDisplayedUrl":"http://x/login.html""#);
        let redirected = redirected.replace(r#""requestedUrl":"http://x/""#, r#""requestedUrl":"http://x/app""#);
        let error = read(&redirected).unwrap().pages[0].error.clone().unwrap_or_default();
        assert!(error.starts_with("Lighthouse was redirected from http://x/app to http://x/login.html"), "{error}");
        // Another site (an identity provider) too.
        let sso = redirected.replace("http://x/login.html", "https://id.example/authorize");
        assert!(read(&sso).unwrap().pages[0].error.is_some());
        // The same page, or the same site's other page (a locale, a clean URL): said, judged.
        for (asked, audited, said) in [
            ("http://x", "https://www.x/", false),
            ("http://x/docs", "http://x/docs/#top", false),
            ("http://x/about.html", "http://x/about", false),
            ("http://x/docs?a=1", "http://x/docs/?a=1", false),
            ("http://x/", "http://x/en/", true),
        ] {
            let run = RUN
                .replace(r#""requestedUrl":"http://x/""#, &format!(r#""requestedUrl":"{asked}""#))
                .replace(r#""finalDisplayedUrl":"http://x/""#, &format!(r#""finalDisplayedUrl":"{audited}""#));
            let r = read(&run).unwrap();
            assert_eq!(r.pages[0].error, None, "{asked} → {audited}");
            assert_eq!(
                r.notes.iter().any(|n| n.contains("was redirected")),
                said,
                "{asked} → {audited}: {:?}",
                r.notes
            );
        }
        // A client-side route after the document loaded (`mainDocumentUrl` is the one asked for).
        let routed = redirected.replace(r#""requestedUrl""#, r#""mainDocumentUrl":"http://x/app","requestedUrl""#);
        assert_eq!(read(&routed).unwrap().pages[0].error, None);
    }

    #[test]
    fn visible_failing_audits_are_the_violations() {
        let r = read(RUN).unwrap();
        assert_eq!(r.tool, "lighthouse 12.8.2");
        let p = &r.pages[0];
        assert_eq!((p.score, p.passes, p.error.as_deref()), (Some(87.0), 1, None));
        assert_eq!(p.violations.len(), 1);
        let v = &p.violations[0];
        assert_eq!((v.rule.as_str(), v.impact, v.level), ("label", Some(Impact::Critical), Some(Level::A)));
        assert_eq!((v.nodes, v.weight, v.targets.as_slice()), (1, Some(7.0), &["#d".to_string()][..]));
        assert_eq!(v.criteria, ["4.1.2", "1.3.1"]);
        assert_eq!(r.extra["hidden_failing_rules"], serde_json::json!(["td-has-header"]));
        assert_eq!(r.extra["category_scores"], serde_json::json!({"accessibility": 87, "performance": 54}));
    }

    #[test]
    fn a_runtime_error_is_carried_not_scored() {
        let r = read(
            r#"{"lighthouseVersion":"12.8.2","requestedUrl":"http://x/404","runtimeError":{"code":"ERRORED_DOCUMENT_REQUEST","message":"404"},
               "audits":{"label":{"score":null,"scoreDisplayMode":"error","errorMessage":"no page"}},
               "categories":{"accessibility":{"score":null,"auditRefs":[{"id":"label","weight":7}]}}}"#,
        )
        .unwrap();
        let p = &r.pages[0];
        assert_eq!((p.score, p.violations.len()), (None, 0));
        assert_eq!(p.error.as_deref(), Some("ERRORED_DOCUMENT_REQUEST: 404"));
        assert_eq!(r.extra["runtime_error"], "ERRORED_DOCUMENT_REQUEST");
    }

    /// Lighthouse up to 5 writes `runtimeError: {"code": "NO_ERROR"}` on a run that went well:
    /// it was read as a page that could not be audited.
    #[test]
    fn no_error_is_no_runtime_error() {
        let r = read(
            r#"{"lighthouseVersion":"5.6.0","requestedUrl":"http://x/","runtimeError":{"code":"NO_ERROR","message":""},
               "audits":{"label":{"score":1,"scoreDisplayMode":"binary"}},
               "categories":{"accessibility":{"score":1,"auditRefs":[{"id":"label","weight":7}]}}}"#,
        )
        .unwrap();
        assert_eq!((r.pages[0].score, r.pages[0].error.as_deref()), (Some(100.0), None));
        assert_eq!(r.extra["runtime_error"], serde_json::Value::Null);
    }

    /// An audit of the category without a `scoreDisplayMode`, or with one Lighthouse does not
    /// write, was passed over: a failing `label` (score 0) vanished. A page on which no audit
    /// applied measured nothing.
    #[test]
    fn an_unknown_display_mode_is_an_error_and_a_page_nothing_applied_to_is_unmeasured() {
        let doc = |label: &str| {
            format!(
                r#"{{"lighthouseVersion":"12.8.2","requestedUrl":"http://x/","audits":{{"label":{label},
                   "tabindex":{{"score":null,"scoreDisplayMode":"notApplicable"}}}},
                   "categories":{{"accessibility":{{"score":0,"auditRefs":[{{"id":"label","weight":7}},{{"id":"tabindex","weight":3}}]}}}}}}"#
            )
        };
        for label in
            [r#"{"score":0}"#, r#"{"score":0,"scoreDisplayMode":"Binary"}"#, r#"{"score":0,"scoreDisplayMode":null}"#]
        {
            let e = read(&doc(label)).unwrap_err();
            assert!(e.to_string().contains("scoreDisplayMode"), "{label}: {e}");
        }
        for mode in ["manual", "not-applicable"] {
            let r = read(&doc(&format!(r#"{{"score":null,"scoreDisplayMode":"{mode}"}}"#))).unwrap();
            assert!(
                r.pages[0].error.as_deref().unwrap().contains("nothing was measured"),
                "{mode}: {:?}",
                r.pages[0].error
            );
        }
        let r = read(&doc(r#"{"score":null,"scoreDisplayMode":"manual"}"#)).unwrap();
        assert!(r.pages[0].error.as_deref().unwrap().contains("nothing was measured"), "{:?}", r.pages[0].error);
        let r = read(&doc(r#"{"score":0,"scoreDisplayMode":"binary"}"#)).unwrap();
        assert_eq!((r.pages[0].error.as_deref(), r.pages[0].violations.len()), (None, 1));
    }

    #[test]
    fn a_run_without_the_category_is_an_error_page() {
        let r =
            read(r#"{"lighthouseVersion":"12","audits":{},"categories":{"seo":{"score":1,"auditRefs":[]}}}"#).unwrap();
        assert!(r.pages[0].error.as_deref().unwrap().contains("no accessibility category"));
    }

    /// Each of these approved with its failing audits unread: a report cut before its audits,
    /// audits that could not run or gave no score, a category listing audits the report lacks
    /// or none, a runtime error of another type, the category named twice.
    #[test]
    fn what_was_not_measured_is_an_error() {
        let category = r#""categories":{"accessibility":{"score":1,"auditRefs":[{"id":"label","weight":7}]}}"#;
        for (text, says) in [
            (format!(r#"{{"lighthouseVersion":"12",{category}}}"#), "no `audits`"),
            (format!(r#"{{"lighthouseVersion":"12","audits":null,{category}}}"#), "no `audits`"),
            ("{}".to_string(), "no `audits`"),
            (
                format!(r#"{{"lighthouseVersion":"12","runtimeError":"NO_FCP","audits":{{}},{category}}}"#),
                "runtimeError",
            ),
            (
                r#"{"audits":{"label":{"score":1,"scoreDisplayMode":"binary"}},"categories":{"accessibility":{"score":0.3,"auditRefs":[]},"accessibility":{"score":1,"auditRefs":[{"id":"label","weight":7}]}}}"#
                    .to_string(),
                "twice",
            ),
            (
                r#"{"audits":{"label":{"score":0,"scoreDisplayMode":"binary"},"label":{"score":1,"scoreDisplayMode":"binary"}}}"#
                    .to_string(),
                "twice",
            ),
            // An audit the category lists twice counted its violation twice.
            (
                r#"{"audits":{"label":{"score":0,"scoreDisplayMode":"binary"}},"categories":{"accessibility":{"score":0.5,"auditRefs":[{"id":"label","weight":7},{"id":"label","weight":7}]}}}"#
                    .to_string(),
                "lists \"label\" twice",
            ),
        ] {
            let e = read(&text).unwrap_err();
            assert!(e.to_string().contains(says), "{text}: {e}");
        }
        for (audits, refs, says) in [
            (r#""label":{"score":null,"scoreDisplayMode":"binary"}"#, r#"{"id":"label","weight":7}"#, "could not run"),
            (
                r#""label":{"score":0,"scoreDisplayMode":"error","errorMessage":"boom"}"#,
                r#"{"id":"label","weight":7}"#,
                "boom",
            ),
            (r#""label":{"score":1,"scoreDisplayMode":"binary"}"#, r#"{"id":"image-alt","weight":10}"#, "missing"),
            (r#""label":{"score":1,"scoreDisplayMode":"binary"}"#, "", "lists no audit"),
        ] {
            let text = format!(
                r#"{{"lighthouseVersion":"12","audits":{{{audits}}},"categories":{{"accessibility":{{"score":1,"auditRefs":[{refs}]}}}}}}"#
            );
            let r = read(&text).unwrap();
            let error = r.pages[0].error.as_deref().unwrap_or_default();
            assert!(error.contains(says), "{text}: {error:?}");
        }
    }

    #[test]
    fn hostile_values_are_placed_errors() {
        let e = read("{\"lighthouseVersion\":\"1\",\"categories\":{\"accessibility\":{\n\"score\":7}}}").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(
            read("{\"lighthouseVersion\":\"1\",\"audits\":{\"a\":{\"score\":0.5")
                .unwrap_err()
                .message
                .contains("truncated")
        );
        assert!(read(&format!("{{\"audits\":{{\"a\":{{\"details\":{}}}}}}}", "[".repeat(100_000))).is_err());
        let huge = r#"{"categories":{"accessibility":{"score":1,"auditRefs":[{"id":"a","weight":1e400}]}}}"#;
        assert!(read(huge).is_err());
    }
}
