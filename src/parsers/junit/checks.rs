//! The XML-level refusals of the JUnit reader: references to entities (which are never
//! expanded) and malformed attributes.

use std::borrow::Cow;

use quick_xml::events::{BytesRef, BytesStart};

use crate::parsers::xml;

/// What is wrong with a JUnit XML document, at the element or reference being read (the reader
/// places it).
#[derive(Debug, thiserror::Error)]
pub(super) enum Malformed {
    #[error(transparent)]
    Attribute(#[from] xml::AttrProblem),
    #[error(
        "attribute {key}: reference to the entity &{name};, which temis does not expand (it reads no DTD and fetches nothing)"
    )]
    EntityInAttribute { key: String, name: String },
    #[error("reference to the entity &{0};, which temis does not expand (it reads no DTD and fetches nothing)")]
    Entity(String),
    #[error("invalid character reference &{0};")]
    CharacterReference(String),
    #[error("not a JUnit XML report: the root element is <{0}>, expected <testsuites> or <testsuite>")]
    Root(String),
    #[error("<{0}> after the end of the root element: one report per file")]
    AfterRoot(String),
    #[error("elements nested more than {0} deep; no test report nests so deep")]
    TooDeep(usize),
    #[error("<{0}> inside a <testcase>")]
    InsideCase(String),
    #[error("</{0}> closes no open element")]
    UnmatchedEnd(String),
    #[error("text outside the root element")]
    TextOutsideRoot,
    #[error("{key}=\"{value}\": not a count of tests (a whole number), so what the report says failed cannot be read")]
    Counter { key: &'static str, value: String },
}

/// The attributes of one element, read in one pass: every one is well formed and refers to no
/// entity but the five XML ones, and the values of `keys` are kept, unescaped and normalized as
/// XML says, in `keys`' order (an empty key keeps nothing).
pub(super) fn attributes<'a, const N: usize>(
    e: &'a BytesStart<'_>,
    keys: [&str; N],
) -> Result<[Option<Cow<'a, str>>; N], Malformed> {
    // Written in the plainest form (most are), every value is borrowed as it is.
    if let Some(values) = crate::parsers::testxml::plain(e, keys) {
        return Ok(values);
    }
    let mut found: [Option<Cow<'a, str>>; N] = std::array::from_fn(|_| None);
    for a in e.attributes() {
        let a = a.map_err(xml::AttrProblem::from)?;
        let slot = keys.iter().position(|k| !k.is_empty() && a.key.as_ref() == *k);
        // What needs no unescaping nor normalizing is borrowed as it is written.
        let plain = !a.value.bytes().any(|b| matches!(b, b'&' | b'\t' | b'\n' | b'\r'));
        if plain {
            if let Some(i) = slot
                && let Cow::Borrowed(text) = a.value
            {
                found[i] = Some(Cow::Borrowed(text));
                continue;
            }
            if slot.is_none() {
                continue;
            }
        }
        match a.normalized_value(quick_xml::XmlVersion::Implicit1_0) {
            Ok(v) => {
                if let Some(i) = slot {
                    found[i] = Some(Cow::Owned(v.into_owned()));
                }
            }
            Err(err) => {
                let key = a.key.as_ref().to_string();
                return Err(match err {
                    quick_xml::Error::Escape(quick_xml::escape::EscapeError::UnrecognizedEntity(_, name)) => {
                        Malformed::EntityInAttribute { key, name }
                    }
                    source => xml::AttrProblem::Value { key, source }.into(),
                });
            }
        }
    }
    Ok(found)
}

/// The character a reference in text stands for.
pub(super) fn resolve_reference(r: &BytesRef<'_>) -> Result<char, Malformed> {
    if r.is_char_ref() {
        return match r.resolve_char_ref() {
            Ok(Some(c)) => Ok(c),
            _ => Err(Malformed::CharacterReference(r.to_string())),
        };
    }
    match &**r {
        "amp" => Ok('&'),
        "lt" => Ok('<'),
        "gt" => Ok('>'),
        "quot" => Ok('"'),
        "apos" => Ok('\''),
        name => Err(Malformed::Entity(name.to_string())),
    }
}
