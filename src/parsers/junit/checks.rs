//! The XML-level refusals of the JUnit reader: references to entities (which are never
//! expanded), malformed attributes, and invalid UTF-8 placed at its first bad byte.

use quick_xml::events::{BytesRef, BytesStart};

use crate::error::ParseError;
use crate::input::Source;
use crate::parsers::xml;

/// Every attribute is well formed and refers to no entity but the five XML ones.
pub(super) fn check_attributes(e: &BytesStart<'_>) -> Result<(), String> {
    for a in e.attributes() {
        let a = a.map_err(|err| format!("malformed attribute: {err}"))?;
        if a.value.contains('&') {
            if let Err(err) = a.normalized_value(quick_xml::XmlVersion::Implicit1_0) {
                let key = a.key.as_ref();
                return Err(match err {
                    quick_xml::Error::Escape(quick_xml::escape::EscapeError::UnrecognizedEntity(_, name)) => {
                        format!("attribute {key}: {}", entity_refused(&name))
                    }
                    other => format!("attribute {key}: {other}"),
                });
            }
        }
    }
    Ok(())
}

/// The character a reference in text stands for.
pub(super) fn resolve_reference(r: &BytesRef<'_>) -> Result<char, String> {
    if r.is_char_ref() {
        return match r.resolve_char_ref() {
            Ok(Some(c)) => Ok(c),
            _ => Err(format!("invalid character reference &{};", &**r)),
        };
    }
    match &**r {
        "amp" => Ok('&'),
        "lt" => Ok('<'),
        "gt" => Ok('>'),
        "quot" => Ok('"'),
        "apos" => Ok('\''),
        name => Err(entity_refused(name)),
    }
}

fn entity_refused(name: &str) -> String {
    format!(
        "reference to the entity &{name};, which temis does not expand \
         (it reads no DTD and fetches nothing)"
    )
}

/// The error quick-xml reported, placed (invalid UTF-8 at its first bad byte).
pub(super) fn read_error<R>(input: &Source, reader: &quick_xml::Reader<R>, err: &quick_xml::Error) -> ParseError {
    xml::syntax_error(input, reader.error_position(), err)
}
