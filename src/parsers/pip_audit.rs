//! `pip-audit -f json`: the current `{"dependencies": […], "fixes": […]}` shape and the early
//! top-level list.
//!
//! One finding per `vulns[]` entry of every dependency. pip-audit gives no severity and no CWE:
//! every finding is `unknown` (the policy says what that counts as). A dependency with a
//! `skip_reason` was not audited: the report is then incomplete, never "no vulnerabilities"; so
//! is a report that audited no dependency at all (an empty requirements file).

use std::fmt;

use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::json::Keys;
use super::tolerant::{LooseList, Object, Objects, Text, Texts};
use crate::input::Source;
use crate::model::security::{Finding, FindingKind, SecurityReport, Severity};
use crate::parsers::ParseError;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Dependency {
    name: Text,
    version: Text,
    vulns: Objects<Vuln>,
    skip_reason: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Vuln {
    id: Text,
    aliases: Texts,
    description: Text,
}

#[derive(Default)]
struct Doc {
    dependencies: Option<Vec<Dependency>>,
    fixes: usize,
}

impl<'de> Deserialize<'de> for Doc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Doc;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a pip-audit report (an object with `dependencies`, or a list)")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Doc, A::Error> {
                let mut deps = Vec::new();
                while let Some(Object(d)) = seq.next_element::<Object<Dependency>>()? {
                    deps.push(d);
                }
                Ok(Doc { dependencies: Some(deps), fixes: 0 })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Doc, A::Error> {
                let (mut doc, mut keys) = (Doc::default(), Keys::default());
                while let Some(k) = map.next_key::<String>()? {
                    match k.as_str() {
                        "dependencies" => {
                            keys.once("dependencies")?;
                            doc.dependencies = Some(map.next_value::<Objects<Dependency>>()?.0);
                        }
                        "fixes" => {
                            keys.once("fixes")?;
                            doc.fixes = map.next_value::<LooseList<IgnoredAny>>()?.0.len();
                        }
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(doc)
            }
        }
        d.deserialize_any(V)
    }
}

/// Reads a pip-audit JSON report.
pub fn parse(input: &Source) -> Result<SecurityReport, ParseError> {
    let doc: Doc = super::json::read_doc(input)?;
    let Some(deps) = doc.dependencies else {
        return Err(ParseError::whole("not a pip-audit report: there is no `dependencies` list"));
    };
    let mut report = SecurityReport { tools: vec!["pip-audit".into()], ..SecurityReport::default() };
    let total = deps.len();
    let mut skipped = Vec::new();
    for mut d in deps {
        let name = d.name.take().unwrap_or_else(|| "?".into());
        if let Some(why) = d.skip_reason.take() {
            skipped.push(format!("{name} ({})", crate::model::security::first_line(&why)));
        }
        for mut v in d.vulns.0 {
            let mut f = Finding::new("pip-audit", FindingKind::Dependency, Severity::Unknown);
            f.rule = v.id.take();
            f.ids = f.rule.iter().cloned().chain(v.aliases.0).collect();
            let message = v.description.take().unwrap_or_else(|| f.rule.clone().unwrap_or_default());
            f.set_message(&message);
            f.package = Some(match d.version.as_deref() {
                Some(ver) => format!("{name}@{ver}"),
                None => name.clone(),
            });
            report.findings.push(f);
        }
    }
    if total == 0 {
        report.incomplete.push(
            "pip-audit audited no dependency (`dependencies` is empty): nothing was measured; give it the \
             project's requirements (`pip-audit -r requirements.txt`) or run it in the project's environment"
                .into(),
        );
    }
    if !skipped.is_empty() {
        let shown: Vec<&str> = skipped.iter().take(3).map(String::as_str).collect();
        let more = if skipped.len() > 3 { format!(" and {} more", skipped.len() - 3) } else { String::new() };
        report.incomplete.push(format!(
            "{} of {total} dependencies were not audited: {}{more}",
            skipped.len(),
            shown.join("; ")
        ));
    }
    report.extra.insert("dependencies_total".into(), total.into());
    report.extra.insert("dependencies_skipped".into(), skipped.len().into());
    report.extra.insert("fixes".into(), doc.fixes.into());
    report.finish();
    Ok(report)
}
