//! pa11y JSON (`pa11y --reporter json`: a list of issues, or the `{documentTitle, pageUrl,
//! issues}` object its API returns) and pa11y-ci JSON (`pa11y-ci --json`: `{total, passes,
//! errors, results: {URL: [issues]}}`).
//!
//! Violations are the issues of type `error`; warnings and notices need a person's review and
//! are kept apart (all three are counted by type). With the default runner (HTML_CodeSniffer)
//! the WCAG level comes from the success criterion in the code —
//! `WCAG2AA.Principle1.Guideline1_1.1_1_1.H30.2` is 1.1.1, level A; the `WCAG2AA` prefix names
//! the standard that was run, not the level. With `--runner axe` the code is an axe rule id, its
//! level comes from axe-core's rule tags ([`super::wcag::AXE_RULES`]) and its impact from
//! `runnerExtras.impact`; pa11y writes one issue per failing element there. A rule the table does
//! not know (newer than it) counts as level A, with a note: its level is not known, and never
//! taken for a best practice. So does an HTML_CodeSniffer error whose code names no WCAG
//! criterion temis knows (Section 508's standard, a code cut short): HTML_CodeSniffer has no best
//! practices. pa11y's axe runner writes axe's moderate violations as warnings
//! and its minor ones as notices (its `incomplete` results as warnings too, which the JSON does
//! not tell apart): they are needs-review, as pa11y counts them; give temis axe's own results
//! for a verdict on every impact.
//!
//! In pa11y-ci output a URL that could not be tested holds one `{message}` without a code: it is
//! not an issue, the page carries the error.
//!
//! What would hide an issue is an error, not an empty list: an API result without `issues`, a
//! `code` that is not text, a `type` its `typeCode` contradicts; in pa11y-ci's report, a `total`
//! other than the URLs in `results`, no URL at all (nothing was audited), and an `errors` count
//! the issues listed do not make (pa11y-ci adds each failing page's issues to it).

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};

use super::json::{self, Count, Entries};
use super::tolerant::{Loose, LooseStr, Object};
use super::wcag;
use crate::input::Source;
use crate::model::a11y::{A11yReport, Impact, IssueType, LeftOut, Level, Page, Violation};
use crate::model::first_line;
use crate::parsers::ParseError;

#[derive(Deserialize, Default)]
struct Issue {
    #[serde(default)]
    code: Option<String>,
    #[serde(rename = "type", default)]
    kind: LooseStr,
    #[serde(rename = "typeCode", default)]
    type_code: Option<Count>,
    #[serde(default)]
    message: LooseStr,
    #[serde(default)]
    selector: LooseStr,
    #[serde(default)]
    runner: LooseStr,
    #[serde(rename = "runnerExtras", default)]
    extras: Loose<Extras>,
}

#[derive(Deserialize)]
struct Extras {
    #[serde(default)]
    impact: LooseStr,
}

/// `pa11y --reporter json`: a list of issues, or the API's result object.
enum Doc {
    Issues(Vec<Object<Issue>>),
    Result(ApiResult),
}

#[derive(Deserialize)]
struct ApiResult {
    #[serde(rename = "pageUrl", default)]
    url: LooseStr,
    issues: Vec<Object<Issue>>,
}

impl<'de> Deserialize<'de> for Doc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DocVisitor)
    }
}

struct DocVisitor;

impl<'de> Visitor<'de> for DocVisitor {
    type Value = Doc;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of pa11y issues, or a pa11y result object")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Doc, A::Error> {
        let mut out = Vec::new();
        while let Some(i) = seq.next_element::<Object<Issue>>()? {
            out.push(i);
        }
        Ok(Doc::Issues(out))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Doc, A::Error> {
        ApiResult::deserialize(de::value::MapAccessDeserializer::new(map)).map(Doc::Result)
    }
}

#[derive(Deserialize)]
struct CiDoc {
    total: Option<Count>,
    passes: Option<Count>,
    errors: Option<Count>,
    results: Entries<Vec<Object<Issue>>>,
}

/// Reads `pa11y --reporter json` output.
pub fn parse(input: &Source) -> Result<A11yReport, ParseError> {
    let doc: Doc = json::read_doc(input)?;
    let (url, issues) = match doc {
        Doc::Issues(v) => (String::new(), v),
        Doc::Result(r) => (r.url.0.unwrap_or_default(), r.issues),
    };
    let mut report = A11yReport { has_types: true, ..A11yReport::default() };
    let mut runners = Vec::new();
    let page = page(url, issues, &mut report, &mut runners)?;
    report.pages.push(page);
    finish(&mut report, runners);
    Ok(report)
}

/// Reads `pa11y-ci --json` output.
pub fn parse_ci(input: &Source) -> Result<A11yReport, ParseError> {
    let doc: CiDoc = json::read_doc(input)?;
    let mut report = A11yReport { has_types: true, ..A11yReport::default() };
    let mut runners = Vec::new();
    let mut errored = Vec::new();
    let urls = doc.results.0.len();
    if urls == 0 {
        return Err(ParseError::whole(
            "`results` lists no URL: pa11y-ci audited nothing; give it the URLs (or the sitemap) to test",
        ));
    }
    if let Some(total) = doc.total
        && total.0 != urls as u64
    {
        return Err(ParseError::whole(format!(
            "pa11y-ci's `total` says {} URL(s), `results` holds {urls}: the report is incomplete",
            total.0
        )));
    }
    for (url, issues) in doc.results.0 {
        let p = page(url, issues, &mut report, &mut runners)?;
        if p.error.is_some() {
            errored.push(serde_json::Value::from(p.url.clone()));
        }
        report.pages.push(p);
    }
    // pa11y-ci adds each failing page's issues to `errors` (some versions a page it could not
    // load too): a count beyond those is issues the report does not hold.
    let listed = (report.violations().count() + report.needs_review().count()) as u64;
    if let Some(errors) = doc.errors
        && (errors.0 < listed || errors.0 > listed + errored.len() as u64)
    {
        return Err(ParseError::whole(format!(
            "pa11y-ci's `errors` says {}, the results list {listed} issue(s) and {} page(s) that could not be tested: the report is incomplete",
            errors.0,
            errored.len()
        )));
    }
    finish(&mut report, runners);
    report.tool = format!("pa11y-ci ({})", report.tool.trim_start_matches("pa11y ").trim_matches(['(', ')']));
    let field = |c: Option<Count>| c.map_or(serde_json::Value::Null, |c| c.0.into());
    report.extra.insert("urls_total".into(), field(doc.total));
    report.extra.insert("urls_passed".into(), field(doc.passes));
    report.extra.insert("errors_field".into(), field(doc.errors));
    report.extra.insert("urls_errored".into(), errored.into());
    Ok(report)
}

fn page(
    url: String,
    issues: Vec<Object<Issue>>,
    report: &mut A11yReport,
    runners: &mut Vec<String>,
) -> Result<Page, ParseError> {
    let mut page = Page { url, ..Page::default() };
    let mut unknown_axe = Vec::new();
    for issue in issues.into_iter().map(|i| i.0) {
        let Some(code) = issue.code else {
            // pa11y-ci's serialized Error: the URL could not be tested.
            let message = issue.message.0.unwrap_or_else(|| "the page could not be tested".into());
            page.error = Some(first_line(&message).map_or(message, String::from));
            continue;
        };
        let kind = match (issue.kind.0.as_deref(), issue.type_code.map(|c| c.0)) {
            (Some(word @ ("error" | "warning" | "notice")), Some(n))
                if n != match word {
                    "error" => 1,
                    "warning" => 2,
                    _ => 3,
                } =>
            {
                return Err(ParseError::whole(format!(
                    "issue {code} on {} has type {word:?} and typeCode {n}, which pa11y never writes together",
                    if page.url.is_empty() { "the page" } else { &page.url }
                )));
            }
            (Some("error"), _) | (None, Some(1)) => IssueType::Error,
            (Some("warning"), _) | (None, Some(2)) => IssueType::Warning,
            (Some("notice"), _) | (None, Some(3)) => IssueType::Notice,
            (other, _) => {
                report.notes.push(format!(
                    "issue {code} has an unknown type {:?}; counted as an error",
                    other.unwrap_or("(none)")
                ));
                IssueType::Error
            }
        };
        let runner = issue.runner.0.unwrap_or_else(|| if code.starts_with("WCAG2") { "htmlcs" } else { "axe" }.into());
        if !runners.contains(&runner) {
            runners.push(runner.clone());
        }
        let mut v = Violation::new(code);
        v.kind = Some(kind);
        v.nodes = 1;
        if let Some(s) = issue.selector.0 {
            v.target(s);
        }
        v.help = issue.message.0.as_deref().and_then(first_line).map(String::from);
        if runner == "axe" {
            report.has_impact = true;
            v.impact = issue.extras.0.and_then(|e| e.impact.0).as_deref().and_then(Impact::parse);
            match wcag::axe_rule(&v.rule) {
                Some((level, criteria)) => {
                    v.level = level;
                    v.criteria = criteria.iter().map(|s| s.to_string()).collect();
                }
                None => {
                    // A rule newer than temis's table: its level is not known, and a level not
                    // known is never "best practice, not WCAG" (which no WCAG check counts).
                    v.level = Some(Level::A);
                    if !unknown_axe.iter().any(|(r, _)| *r == v.rule) {
                        unknown_axe.push((v.rule.clone(), true));
                    }
                }
            }
        } else if let Some(sc) = wcag::htmlcs_criterion(&v.rule) {
            // The standard the run was given, which its codes name: `WCAG2A` tests no AA
            // criterion, `WCAG2AA` no AAA one.
            let above = match v.rule.split('.').next() {
                Some("WCAG2A") => Some(Level::AA),
                Some("WCAG2AA") => Some(Level::AAA),
                _ => None,
            };
            if let Some(level) = above.filter(|l| !page.left_out.iter().any(|o| o.level == *l)) {
                let standard = v.rule.split('.').next().unwrap_or_default();
                page.left_out.push(LeftOut {
                    what: format!(
                        "the {standard} standard (its codes say so): no WCAG {} criterion was tested",
                        level.name()
                    ),
                    level,
                    no_wcag: false,
                });
            }
            v.level = wcag::criterion_level(&sc);
            v.criteria = vec![sc];
        } else {
            // HTML_CodeSniffer has no best practices: a code that names no WCAG criterion temis
            // knows (Section 508's, one cut short, an empty one) counts as level A.
            v.level = Some(Level::A);
            if kind == IssueType::Error && !unknown_axe.iter().any(|(r, _)| *r == v.rule) {
                unknown_axe.push((v.rule.clone(), false));
            }
        }
        if kind == IssueType::Error {
            page.violations.push(v);
        } else {
            page.needs_review.push(v);
        }
    }
    for (rule, axe) in unknown_axe {
        let what = if axe { "axe rule" } else { "HTML_CodeSniffer code" };
        let table = if axe { "is not in temis's axe-core rule table" } else { "names no WCAG criterion" };
        report.notes.push(format!(
            "{what} {rule:?} {table}: counted as WCAG level A (the strictest), its level not being known"
        ));
    }
    Ok(page)
}

fn finish(report: &mut A11yReport, runners: Vec<String>) {
    report.tool = if runners.is_empty() { "pa11y".into() } else { format!("pa11y ({})", runners.join(", ")) };
    report.extra.insert("issues_total".into(), (report.violations().count() + report.needs_review().count()).into());
    report.extra.insert("runners".into(), runners.into());
}

/// Whether a JSON document's opening looks like pa11y's issues or API result.
pub fn looks_like(body: &[u8]) -> bool {
    let has = |s: &str| memchr::memmem::find(body, s.as_bytes()).is_some();
    (has("\"typeCode\"") && has("\"code\"")) || (has("\"pageUrl\"") && has("\"issues\""))
}

/// Whether a JSON document's opening looks like pa11y-ci's JSON report.
pub fn looks_like_ci(body: &[u8]) -> bool {
    let has = |s: &str| memchr::memmem::find(body, s.as_bytes()).is_some();
    body.first() == Some(&b'{') && has("\"results\"") && has("\"passes\"") && has("\"total\"") && has("\"errors\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issue(code: &str, kind: &str, runner: &str, impact: &str) -> String {
        let type_code = match kind {
            "error" => 1,
            "warning" => 2,
            _ => 3,
        };
        format!(
            r#"{{"code":"{code}","type":"{kind}","typeCode":{type_code},"message":"m\nmore","context":"<a>","selector":"a","runner":"{runner}","runnerExtras":{{"impact":"{impact}"}}}}"#
        )
    }

    #[test]
    fn errors_are_violations_with_the_criterions_level() {
        let text = format!(
            "[{},{},{}]",
            issue("WCAG2AA.Principle1.Guideline1_1.1_1_1.H30.2", "error", "htmlcs", ""),
            issue("WCAG2AA.Principle1.Guideline1_4.1_4_3.G18.Fail", "warning", "htmlcs", ""),
            issue("WCAG2AA.Principle2.Guideline2_4.2_4_2.H25.2", "notice", "htmlcs", "")
        );
        let r = parse(&Source::bytes("p.json", text.into_bytes())).unwrap();
        assert_eq!((r.total(), r.levels_failed()), (1, vec![Level::A]));
        let t = r.by_type().unwrap();
        assert_eq!((t.error, t.warning, t.notice), (1, 1, 1));
        assert!(r.by_impact().is_none(), "htmlcs gives no impact");
        assert_eq!(r.pages[0].violations[0].help.as_deref(), Some("m"));
        assert_eq!(r.tool, "pa11y (htmlcs)");
    }

    /// The standard a run was given, named by its HTML_CodeSniffer codes: a `WCAG2A` run tested
    /// no AA criterion.
    #[test]
    fn the_standard_the_codes_name_is_what_the_run_left_out() {
        let run = |code: &str| {
            let text = format!("[{}]", issue(code, "warning", "htmlcs", ""));
            let r = parse(&Source::bytes("p.json", text.into_bytes())).unwrap();
            r.pages[0].left_out.iter().map(|l| l.level).collect::<Vec<_>>()
        };
        assert_eq!(run("WCAG2A.Principle1.Guideline1_1.1_1_1.H30.2"), [Level::AA]);
        assert_eq!(run("WCAG2AA.Principle1.Guideline1_1.1_1_1.H30.2"), [Level::AAA]);
        assert!(run("WCAG2AAA.Principle1.Guideline1_1.1_1_1.H30.2").is_empty());
    }

    #[test]
    fn the_axe_runner_takes_levels_from_axe_rules() {
        let text = format!(
            "[{},{}]",
            issue("color-contrast", "error", "axe", "serious"),
            issue("region", "warning", "axe", "moderate")
        );
        let r = parse(&Source::bytes("p.json", text.into_bytes())).unwrap();
        assert_eq!(r.levels_failed(), [Level::AA]);
        assert_eq!(r.by_impact().unwrap().serious, 1);
        assert_eq!(r.by_impact().unwrap().moderate, 0, "warnings are not violations");
    }

    /// An axe rule newer than temis's table was given no level, which read as a best practice:
    /// a critical violation passed `wcag = "AA"`. It counts as level A, with a note.
    #[test]
    fn an_axe_rule_temis_does_not_know_counts_as_level_a() {
        let text = format!("[{}]", issue("aria-future-rule", "error", "axe", "critical"));
        let r = parse(&Source::bytes("p.json", text.into_bytes())).unwrap();
        assert_eq!(r.levels_failed(), [Level::A]);
        assert!(r.notes.iter().any(|n| n.contains("aria-future-rule") && n.contains("level A")), "{:?}", r.notes);
        // HTML_CodeSniffer has no best practices: an error whose code names no criterion temis
        // knows (Section 508's standard, a code cut short) passed every WCAG level. Level A.
        for code in ["Section508.A.Img.Alt", "WCAG2AA.Principle1.Guideline1_1.H37", ""] {
            let text = format!("[{}]", issue(code, "error", "htmlcs", ""));
            let r = parse(&Source::bytes("p.json", text.into_bytes())).unwrap();
            assert_eq!(r.levels_failed(), [Level::A], "{code:?}");
        }
    }

    #[test]
    fn pa11y_ci_keeps_load_errors_apart() {
        let text = format!(
            r#"{{"total":2,"passes":0,"errors":1,"results":{{"http://a/":[{}],"http://b/":[{{"message":"net::ERR_CONNECTION_REFUSED at http://b/"}}]}}}}"#,
            issue("WCAG2AA.Principle3.Guideline3_1.3_1_1.H57.2", "error", "htmlcs", "")
        );
        let r = parse_ci(&Source::bytes("ci.json", text.into_bytes())).unwrap();
        assert_eq!(r.total(), 1);
        assert_eq!(r.pages[1].error.as_deref(), Some("net::ERR_CONNECTION_REFUSED at http://b/"));
        assert_eq!(r.extra["urls_errored"], serde_json::json!(["http://b/"]));
        assert_eq!(r.extra["errors_field"], 1);
    }

    /// Each of these approved: nothing audited, issues counted but not listed, an issue hidden
    /// as a load error or as a warning.
    #[test]
    fn what_would_hide_an_issue_is_an_error() {
        let ci = |t: &str| parse_ci(&Source::bytes("ci.json", t.as_bytes()));
        let one = issue("WCAG2AA.Principle3.Guideline3_1.3_1_1.H57.2", "error", "htmlcs", "");
        for (text, says) in [
            (r#"{"total":0,"passes":0,"errors":0,"results":{}}"#.to_string(), "audited nothing"),
            (r#"{"total":3,"passes":3,"errors":0,"results":{}}"#.to_string(), "audited nothing"),
            (r#"{"total":3,"passes":1,"errors":0,"results":{"http://a/":[]}}"#.to_string(), "`total` says 3"),
            (r#"{"total":1,"passes":0,"errors":5,"results":{"http://a/":[]}}"#.to_string(), "`errors` says 5"),
            (format!(r#"{{"total":1,"passes":0,"errors":2,"results":{{"http://a/":[{one}]}}}}"#), "`errors` says 2"),
        ] {
            let e = ci(&text).unwrap_err();
            assert!(e.to_string().contains(says), "{text}: {e}");
        }
        let read = |t: &str| parse(&Source::bytes("p.json", t.as_bytes()));
        assert!(read("{}").unwrap_err().to_string().contains("issues"));
        assert!(read(r#"{"pageUrl":"http://a/","issues":null}"#).is_err());
        let e = read(r#"[{"code":7,"type":"error","typeCode":1,"message":"m"}]"#).unwrap_err();
        assert!(e.to_string().contains("code"), "{e}");
        let e = read(r#"[{"code":"x","type":"warning","typeCode":1,"message":"m"}]"#).unwrap_err();
        assert!(e.to_string().contains("typeCode 1"), "{e}");
        // A clean page is clean: an empty list, an API result with no issue.
        assert_eq!(read("[]").unwrap().total(), 0);
        assert_eq!(read(r#"{"pageUrl":"http://a/","issues":[]}"#).unwrap().total(), 0);
        assert_eq!(ci(r#"{"total":1,"passes":1,"errors":0,"results":{"http://a/":[]}}"#).unwrap().total(), 0);
    }

    #[test]
    fn hostile_input_is_a_placed_error() {
        let e = parse_ci(&Source::bytes("c", &b"{\"total\":-1,\"results\":{}}"[..])).unwrap_err();
        assert_eq!(e.line, Some(1));
        assert!(parse(&Source::bytes("p", &b"[{\"code\":\"x\",\"typeCode\":"[..])).is_err());
        assert!(parse_ci(&Source::bytes("c", &b"{\"total\":1}"[..])).unwrap_err().message.contains("results"));
    }
}
