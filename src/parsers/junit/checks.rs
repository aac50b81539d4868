//! The XML-level refusals of the JUnit reader: references to entities (which are never
//! expanded), malformed attributes, and invalid UTF-8 placed at its first bad byte.

use std::io::Read;

use quick_xml::events::{BytesRef, BytesStart};

use crate::error::ParseError;
use crate::input::Input;
use crate::parsers::xml;

/// Every attribute is well formed and refers to no entity but the five XML ones.
pub(super) fn check_attributes(e: &BytesStart<'_>) -> Result<(), String> {
    for a in e.attributes() {
        let a = a.map_err(|err| format!("malformed attribute: {err}"))?;
        if a.value.contains('&') {
            if let Err(err) = a.normalized_value(quick_xml::XmlVersion::Implicit1_0) {
                let key = a.key.as_ref();
                return Err(match err {
                    quick_xml::Error::Escape(
                        quick_xml::escape::EscapeError::UnrecognizedEntity(_, name),
                    ) => format!("attribute {key}: {}", entity_refused(&name)),
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

/// The error quick-xml reported, placed; invalid UTF-8 is placed at its first bad byte.
pub(super) fn read_error<R>(
    input: &Input,
    reader: &quick_xml::Reader<R>,
    err: &quick_xml::Error,
) -> ParseError {
    let utf8 = match err {
        quick_xml::Error::Encoding(_) => true,
        quick_xml::Error::Io(e) => e.kind() == std::io::ErrorKind::InvalidData,
        _ => false,
    };
    if !utf8 {
        return xml::syntax_error(input, reader, err);
    }
    let head = input.read_range(0, 2).unwrap_or_default();
    let message = if head == b"\xFF\xFE" || head == b"\xFE\xFF" {
        "the file is UTF-16 text; temis reads UTF-8 XML (convert it with iconv)"
    } else {
        "the file is not valid UTF-8 text"
    };
    match first_invalid_utf8(input) {
        Some(offset) => xml::error_at(input, offset, message),
        None => xml::syntax_error(input, reader, err),
    }
}

/// The offset of the first byte that is not part of valid UTF-8.
fn first_invalid_utf8(input: &Input) -> Option<u64> {
    let mut reader = input.reader().ok()?;
    let mut chunk = vec![0u8; 64 * 1024];
    let mut pending: Vec<u8> = Vec::new();
    let mut base = 0u64;
    loop {
        let n = reader.read(&mut chunk).ok()?;
        if n == 0 {
            return (!pending.is_empty()).then_some(base);
        }
        pending.extend_from_slice(&chunk[..n]);
        match std::str::from_utf8(&pending) {
            Ok(_) => {
                base += pending.len() as u64;
                pending.clear();
            }
            Err(e) if e.error_len().is_some() => return Some(base + e.valid_up_to() as u64),
            Err(e) => {
                let valid = e.valid_up_to();
                base += valid as u64;
                pending.drain(..valid);
            }
        }
    }
}
