//! axe-core results: the object `axe.run()` returns (written by a test harness, puppeteer or
//! playwright scripts) and the array `@axe-core/cli --save` writes, one object per page.
//!
//! Each entry of `violations` is one failing rule on one page: that is the violation count
//! (summed over pages); its `nodes` are the failing elements (the CLI's "N Accessibility issues
//! detected"), counted apart. The WCAG level and criteria come from the rule's tags (`wcag2a`,
//! `wcag21aa`, `wcag143`…); `best-practice` rules have none and are not WCAG failures.
//! `incomplete` entries need a person's review and are kept apart; `passes` are counted.
//!
//! What would hide a violation is an error, not an empty list: results without `violations`
//! (axe-core always writes it, empty when the page passes), a rule's `tags` or `impact` of
//! another type, and an `@axe-core/cli` array that lists no page (nothing was audited).

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};

use super::json::{self, Len};
use super::tolerant::{Loose, LooseStr, Object};
use super::wcag;
use crate::input::Source;
use crate::model::a11y::{A11yReport, Impact, LeftOut, Level, Page, Violation};
use crate::parsers::ParseError;

#[derive(Deserialize)]
struct Results {
    #[serde(rename = "testEngine", default)]
    engine: Loose<Engine>,
    #[serde(default)]
    url: LooseStr,
    violations: Vec<Object<Rule>>,
    #[serde(default)]
    incomplete: Vec<Object<Rule>>,
    /// `None` where the report leaves `passes` out (axe's `no-passes` reporter).
    #[serde(default)]
    passes: Option<Len>,
    /// The options axe ran with: `runOnly` and `rules` say what it left out.
    #[serde(rename = "toolOptions", default)]
    options: Option<ToolOptions>,
}

#[derive(Deserialize)]
struct ToolOptions {
    /// `{"type": "tag", "values": […]}`, or the short forms axe takes (a list, one string).
    #[serde(rename = "runOnly", default)]
    run_only: Option<serde_json::Value>,
    /// `{"color-contrast": {"enabled": false}}`.
    #[serde(default)]
    rules: Option<serde_json::Map<String, serde_json::Value>>,
}

/// What `options` left out of the audit that bears on a WCAG level: the levels `runOnly`'s tags
/// do not name (a run of `wcag2a` alone tested no AA rule), every level when `runOnly` names
/// rules (or a shape axe does not take), and each rule of a WCAG level turned off.
fn left_out(options: &ToolOptions) -> Vec<LeftOut> {
    let mut out = Vec::new();
    if let Some(run_only) = options.run_only.as_ref().filter(|v| !v.is_null()) {
        let (kind, values) = match run_only {
            serde_json::Value::Object(o) => (o.get("type").and_then(|t| t.as_str()), o.get("values")),
            other => (None, Some(other)),
        };
        let values: Option<Vec<&str>> = match values {
            Some(serde_json::Value::String(s)) => Some(vec![s.as_str()]),
            Some(serde_json::Value::Array(a)) => a.iter().map(|v| v.as_str()).collect(),
            _ => None,
        };
        let shown = |vs: &[&str]| vs.join(", ");
        match (kind, values) {
            (Some("tag" | "tags") | None, Some(tags)) if !tags.iter().any(|t| wcag::axe_rule(t).is_some()) => {
                // A level is tested when its WCAG 2.0 tag is there: axe's tags are not cumulative,
                // and `wcag21aa` or `wcag22aa` hold only what those versions added (a "WCAG 2.1 AA"
                // list of wcag2a, wcag21a and wcag21aa ran no 2.0 AA rule: color contrast, the
                // viewport's zoom).
                let base = |level: Level| match level {
                    Level::A => "wcag2a",
                    Level::AA => "wcag2aa",
                    Level::AAA => "wcag2aaa",
                };
                // `EN-301-549` tags the rules of the European standard, which takes in WCAG 2.1
                // A and AA whole.
                let en_301_549 = tags.iter().any(|t| t.eq_ignore_ascii_case("EN-301-549"));
                let tested = |l: Level| tags.contains(&base(l)) || (en_301_549 && l <= Level::AA);
                if let Some(level) = [Level::A, Level::AA, Level::AAA].into_iter().find(|&l| !tested(l)) {
                    let added = tags.iter().any(|t| wcag::tag_level(t) == Some(level));
                    let no_wcag = !en_301_549 && !tags.iter().any(|t| wcag::tag_level(t).is_some());
                    out.push(LeftOut {
                        no_wcag,
                        what: format!(
                            "runOnly tags {}: no rule of WCAG 2.0 {} ran{}",
                            shown(&tags),
                            level.name(),
                            if added {
                                format!(" (the later versions' tags hold only their additions; add {})", base(level))
                            } else {
                                String::new()
                            }
                        ),
                        level,
                    });
                }
            }
            (Some("rule" | "rules") | None, Some(rules)) => out.push(LeftOut {
                what: format!("runOnly rules {}: only those ran", shown(&rules)),
                level: Level::A,
                no_wcag: false,
            }),
            _ => out.push(LeftOut {
                what: format!("runOnly {run_only}: not an option axe takes"),
                level: Level::A,
                no_wcag: false,
            }),
        }
    }
    for (rule, setting) in options.rules.iter().flatten() {
        if setting.get("enabled").and_then(|e| e.as_bool()) != Some(false) {
            continue;
        }
        if let Some((Some(level), _)) = wcag::axe_rule(rule) {
            out.push(LeftOut {
                what: format!("rule {rule} turned off (a WCAG {} rule)", level.name()),
                level,
                no_wcag: false,
            });
        }
    }
    out
}

#[derive(Deserialize)]
struct Engine {
    #[serde(default)]
    name: LooseStr,
    #[serde(default)]
    version: LooseStr,
}

#[derive(Deserialize)]
struct Rule {
    id: String,
    #[serde(default)]
    impact: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    help: LooseStr,
    #[serde(default)]
    nodes: Vec<Loose<AxeNode>>,
}

#[derive(Deserialize)]
struct AxeNode {
    #[serde(default)]
    target: Target,
}

/// A node's `target`: CSS selectors, nested lists for elements inside iframes or shadow roots
/// (joined with ` >> `).
#[derive(Default)]
struct Target(String);

impl<'de> Deserialize<'de> for Target {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TargetVisitor)
    }
}

struct TargetVisitor;

impl<'de> Visitor<'de> for TargetVisitor {
    type Value = Target;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of selectors")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Target, A::Error> {
        let mut parts: Vec<String> = Vec::new();
        while let Some(part) = seq.next_element::<SelectorPart>()? {
            parts.extend(part.0);
        }
        Ok(Target(parts.join(" >> ")))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Target, E> {
        Ok(Target(v.to_string()))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Target, A::Error> {
        while map.next_entry::<de::IgnoredAny, de::IgnoredAny>()?.is_some() {}
        Ok(Target::default())
    }

    fn visit_unit<E: de::Error>(self) -> Result<Target, E> {
        Ok(Target::default())
    }
}

/// One element of a target: a selector, or a list of them (shadow DOM).
struct SelectorPart(Option<String>);

impl<'de> Deserialize<'de> for SelectorPart {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // A nested list (shadow DOM levels) is joined like the frame levels.
        let t = Target::deserialize(d)?;
        Ok(SelectorPart((!t.0.is_empty()).then_some(t.0)))
    }
}

/// The file: one results object, or a list of them.
enum Doc {
    One(Results),
    Many(Vec<Results>),
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
        f.write_str("an axe results object or a list of them")
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Doc, A::Error> {
        Results::deserialize(de::value::MapAccessDeserializer::new(map)).map(Doc::One)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Doc, A::Error> {
        let mut out = Vec::new();
        while let Some(r) = seq.next_element::<Results>()? {
            out.push(r);
        }
        Ok(Doc::Many(out))
    }
}

/// Reads axe-core results (an object, or the `@axe-core/cli` array).
pub fn parse(input: &Source) -> Result<A11yReport, ParseError> {
    let doc: Doc = json::read_doc(input)?;
    let (results, shape) = match doc {
        Doc::One(r) => (vec![r], "object"),
        Doc::Many(v) => (v, "array"),
    };
    let mut report = A11yReport { has_impact: true, ..A11yReport::default() };
    let mut engine = None;
    for r in results {
        if engine.is_none() {
            engine = r.engine.0.map(|e| {
                let name = e.name.0.unwrap_or_else(|| "axe-core".into());
                format!("{name} {}", e.version.0.unwrap_or_default()).trim().to_string()
            });
        }
        let url = r.url.0.unwrap_or_default();
        // @axe-core/cli on a URL that did not load audits Chrome's error page instead, under
        // its own URL (the one asked for is gone): that page is not the site.
        // Only where the report lists the passes: axe's `no-passes` reporter leaves them out.
        let nothing_applied = r.passes.is_some_and(|p| p.0 == 0) && r.violations.is_empty() && r.incomplete.is_empty();
        let error = if url.starts_with("chrome-error://") {
            Some(format!("the page did not load: axe audited the browser's error page ({url}), not the site"))
        } else if nothing_applied {
            // Every rule inapplicable, or none run (`runOnly` of rules the page has nothing
            // for, an empty page): axe passed nothing and failed nothing.
            Some(
                "no axe rule applied to the page (no pass, no violation, nothing to review): nothing was measured"
                    .into(),
            )
        } else {
            None
        };
        let page = Page {
            url,
            error,
            left_out: r.options.as_ref().map(left_out).unwrap_or_default(),
            violations: r.violations.into_iter().map(|o| violation(o.0)).collect(),
            needs_review: r.incomplete.into_iter().map(|o| violation(o.0)).collect(),
            passes: r.passes.map_or(0, |p| p.0 as u64),
            ..Page::default()
        };
        report.pages.push(page);
    }
    if report.pages.is_empty() {
        return Err(ParseError::whole(
            "the file lists no page (an empty @axe-core/cli array): nothing was audited; give @axe-core/cli the URLs to test",
        ));
    }
    report.tool = engine.unwrap_or_else(|| "axe-core".into());
    report.extra.insert("shape".into(), shape.into());
    report.extra.insert("pages_total".into(), report.pages.len().into());
    report.extra.insert("incomplete_total".into(), report.needs_review().count().into());
    Ok(report)
}

fn violation(rule: Rule) -> Violation {
    let mut v = Violation::new(rule.id);
    v.impact = rule.impact.as_deref().and_then(Impact::parse);
    let (level, criteria) = wcag::from_tags(rule.tags.iter().map(String::as_str));
    v.level = level;
    v.criteria = criteria;
    v.nodes = rule.nodes.len() as u64;
    for n in rule.nodes {
        if let Some(n) = n.0 {
            v.target(n.target.0);
        }
    }
    v.help = rule.help.0;
    v
}

/// Whether a JSON document's opening looks like axe-core results.
pub fn looks_like(body: &[u8]) -> bool {
    let has = |s: &str| memchr::memmem::find(body, s.as_bytes()).is_some();
    (has("\"testEngine\"") && (has("\"testRunner\"") || has("\"axe-core\"")))
        || (has("\"violations\"") && has("\"incomplete\"") && has("\"inapplicable\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<A11yReport, ParseError> {
        parse(&Source::bytes("axe.json", text.as_bytes()))
    }

    const PAGE: &str = r##"{"testEngine":{"name":"axe-core","version":"4.13.0"},"url":"http://x/",
      "passes":[{"id":"a"},{"id":"b"}],"inapplicable":[],
      "incomplete":[{"id":"color-contrast","impact":"serious","tags":["wcag2aa","wcag143"],"nodes":[{"target":["p"]}]}],
      "violations":[
        {"id":"label","impact":"critical","tags":["cat.forms","wcag2a","wcag412"],"help":"Form elements must have labels",
         "nodes":[{"target":["#a"]},{"target":[["iframe","#b"]]},{"target":[["#host"],["#inner"]]}]},
        {"id":"region","impact":"moderate","tags":["cat.keyboard","best-practice"],"nodes":[{"target":["div"]}]}]}"##;

    #[test]
    fn rules_are_violations_and_nodes_are_counted_apart() {
        let r = read(PAGE).unwrap();
        assert_eq!(r.tool, "axe-core 4.13.0");
        let p = &r.pages[0];
        assert_eq!((p.violations.len(), p.needs_review.len(), p.passes), (2, 1, 2));
        let label = &p.violations[0];
        assert_eq!((label.impact, label.level, label.nodes), (Some(Impact::Critical), Some(Level::A), 3));
        assert_eq!(label.targets, ["#a", "iframe >> #b", "#host >> #inner"]);
        assert_eq!(p.violations[1].level, None, "best-practice rules have no WCAG level");
        assert_eq!(r.extra["shape"], "object");
    }

    #[test]
    fn the_cli_array_is_one_page_per_element() {
        let r = read(&format!("[{PAGE},{PAGE}]")).unwrap();
        assert_eq!((r.pages.len(), r.total(), r.nodes()), (2, 4, 8));
        assert_eq!(r.extra["shape"], "array");
    }

    /// Each of these approved as a clean page, hiding what it did not audit or a WCAG A
    /// violation behind a tag list of another type.
    #[test]
    fn what_would_hide_a_violation_is_an_error() {
        for (text, says) in [
            ("[]", "nothing was audited"),
            ("{}", "violations"),
            (r#"{"testEngine":{"name":"axe-core"},"url":"http://x/","passes":[]}"#, "violations"),
            (r#"{"violations":[{"id":"label","impact":"critical","tags":"wcag2a","nodes":[]}]}"#, "tags"),
            (r#"{"violations":[{"id":"label","impact":"critical","tags":null,"nodes":[]}]}"#, "tags"),
            (r#"{"violations":[{"id":"label","impact":4,"tags":["wcag2a"],"nodes":[]}]}"#, "impact"),
        ] {
            let e = read(text).unwrap_err();
            assert!(e.to_string().contains(says), "{text}: {e}");
        }
        let clean = read(r#"{"url":"http://x/","violations":[],"passes":[{"id":"a"}]}"#).unwrap();
        assert_eq!((clean.pages.len(), clean.total()), (1, 0), "a page that passes is clean");
        assert_eq!(clean.pages[0].error, None);
        // Every rule inapplicable (or none run): nothing was measured on the page.
        let none =
            read(r#"{"url":"http://x/","violations":[],"passes":[],"incomplete":[],"inapplicable":[{"id":"a"}]}"#)
                .unwrap();
        assert!(none.pages[0].error.as_deref().is_some_and(|e| e.starts_with("no axe rule applied")), "{none:?}");
        // axe's `no-passes` reporter leaves the passes out: a clean page, not an unmeasured one.
        let no_passes = read(r#"{"url":"http://x/","violations":[],"incomplete":[]}"#).unwrap();
        assert_eq!(no_passes.pages[0].error, None);
    }

    /// The options axe ran with, in each shape it takes: what they left out, with its level.
    #[test]
    fn tool_options_say_what_the_audit_left_out() {
        let left = |options: &str| -> Vec<(String, Level)> {
            let r = read(&format!(r#"{{"url":"u","violations":[],"passes":[{{"id":"a"}}],"toolOptions":{options}}}"#))
                .unwrap();
            r.pages[0].left_out.iter().map(|l| (l.what.clone(), l.level)).collect()
        };
        assert!(left(r#"{"reporter":"v1"}"#).is_empty());
        assert!(left(r#"{"runOnly":null}"#).is_empty());
        let a = left(r#"{"runOnly":{"type":"tag","values":["wcag2a"]}}"#);
        assert_eq!(a, [("runOnly tags wcag2a: no rule of WCAG 2.0 AA ran".to_string(), Level::AA)]);
        // "WCAG 2.1 AA" written as wcag2a, wcag21a, wcag21aa: wcag21aa holds 2.1's additions only.
        let a = left(r#"{"runOnly":{"type":"tag","values":["wcag2a","wcag21a","wcag21aa"]}}"#);
        assert_eq!(a[0].1, Level::AA);
        assert!(
            a[0].0.ends_with(
                "no rule of WCAG 2.0 AA ran (the later versions' tags hold only their additions; add wcag2aa)"
            ),
            "{a:?}"
        );
        // The European standard's tag: WCAG 2.1 A and AA whole.
        assert_eq!(left(r#"{"runOnly":{"type":"tag","values":["EN-301-549"]}}"#)[0].1, Level::AAA);
        assert_eq!(left(r#"{"runOnly":["wcag2a","wcag2aa"]}"#)[0].1, Level::AAA);
        assert_eq!(left(r#"{"runOnly":"wcag2aa"}"#)[0].1, Level::A, "no level-A rule ran");
        assert_eq!(left(r#"{"runOnly":{"type":"tags","values":["best-practice"]}}"#)[0].1, Level::A);
        assert!(left(r#"{"runOnly":["wcag2a","wcag21a","wcag2aa","wcag21aa","wcag2aaa"]}"#).is_empty());
        let rules = left(r#"{"runOnly":{"type":"rule","values":["color-contrast"]}}"#);
        assert_eq!(rules, [("runOnly rules color-contrast: only those ran".to_string(), Level::A)]);
        assert_eq!(left(r#"{"runOnly":["image-alt"]}"#)[0].1, Level::A, "a list of rule ids is rules");
        assert_eq!(left(r#"{"runOnly":{"type":"tag","values":7}}"#)[0].1, Level::A, "not a shape axe takes");
        let off = left(
            r#"{"rules":{"color-contrast":{"enabled":false},"region":{"enabled":false},"label":{"enabled":true}}}"#,
        );
        assert_eq!(off, [("rule color-contrast turned off (a WCAG AA rule)".to_string(), Level::AA)]);
        assert!(read(r#"{"url":"u","violations":[],"toolOptions":{"rules":[]}}"#).is_err(), "rules of another type");
    }

    #[test]
    fn hostile_input_is_a_placed_error() {
        assert!(read("{\"violations\":[{\"id\":7}]}").unwrap_err().line.is_some());
        assert!(read("[{\"violations\":[").unwrap_err().message.contains("truncated"));
        assert!(read("\"x\"").is_err());
    }
}
