//! The XML-level refusals of the JUnit reader: references to entities (which are never
//! expanded), malformed attributes, and invalid UTF-8 placed at its first bad byte.

use quick_xml::events::{BytesRef, BytesStart};

use crate::input::Source;
use crate::parsers::ParseError;
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
    #[error("text outside the root element")]
    TextOutsideRoot,
}

/// Every attribute is well formed and refers to no entity but the five XML ones.
pub(super) fn check_attributes(e: &BytesStart<'_>) -> Result<(), Malformed> {
    for a in e.attributes() {
        let a = a.map_err(xml::AttrProblem::from)?;
        if a.value.contains('&')
            && let Err(err) = a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
        {
            let key = a.key.as_ref().to_string();
            return Err(match err {
                quick_xml::Error::Escape(quick_xml::escape::EscapeError::UnrecognizedEntity(_, name)) => {
                    Malformed::EntityInAttribute { key, name }
                }
                source => xml::AttrProblem::Value { key, source }.into(),
            });
        }
    }
    Ok(())
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

/// The error quick-xml reported, placed (invalid UTF-8 at its first bad byte).
pub(super) fn read_error<R>(input: &Source, reader: &quick_xml::Reader<R>, err: &quick_xml::Error) -> ParseError {
    xml::syntax_error(input, reader.error_position(), err)
}
