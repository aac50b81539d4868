//! What the JSON test-report readers (mocha, RSpec, CTRF, `go test -json`, dart) share: a list
//! read one element at a time straight into the run ([`Each`]: each element an object, never
//! the whole list kept), messages as a person reads them ([`message`]: the first line, ANSI
//! colours taken out).

use std::fmt;
use std::marker::PhantomData;

use compact_str::CompactString;
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, SeqAccess, Visitor};

use super::tolerant::Object;
use crate::model::first_line;

/// A JSON list of test records read one by one: each element must be an object (read as `T`
/// and handed to the closure); any other value, `null` included (a list that is not there is
/// no empty list), is an error naming what was expected.
pub(crate) struct Each<'f, T, F> {
    pub what: &'static str,
    pub f: &'f mut F,
    pub item: PhantomData<T>,
}

/// [`Each`] over `f`.
pub(crate) fn each<'f, T, F>(what: &'static str, f: &'f mut F) -> Each<'f, T, F> {
    Each { what, f, item: PhantomData }
}

impl<'de, T: Deserialize<'de>, F: FnMut(T) -> Result<(), String>> DeserializeSeed<'de> for Each<'_, T, F> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, T: Deserialize<'de>, F: FnMut(T) -> Result<(), String>> Visitor<'de> for Each<'_, T, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a list of {}", self.what)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(Object(item)) = seq.next_element::<Object<T>>()? {
            (self.f)(item).map_err(de::Error::custom)?;
        }
        Ok(())
    }
}

/// The first line of a message, without ANSI escape sequences (mocha, jest and playwright colour
/// theirs); `None` when blank.
pub(crate) fn message(text: &str) -> Option<CompactString> {
    if !text.contains('\u{1b}') {
        return first_line(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            out.push(c);
            continue;
        }
        if chars.peek() == Some(&'[') {
            chars.next();
            // CSI: parameters, then one final byte in @..~.
            for c in chars.by_ref() {
                if ('@'..='~').contains(&c) {
                    break;
                }
            }
        }
    }
    first_line(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_is_no_list() {
        let read = |text: &str| {
            let mut n = 0;
            let mut de = serde_json::Deserializer::from_str(text);
            each("test objects", &mut |_: serde::de::IgnoredAny| {
                n += 1;
                Ok(())
            })
            .deserialize(&mut de)
            .map(|()| n)
        };
        assert_eq!(read("[{}, {}]").unwrap(), 2);
        assert_eq!(read("[]").unwrap(), 0);
        let e = read("null").unwrap_err().to_string();
        assert!(e.contains("null") && e.contains("a list of test objects"), "{e}");
        assert!(read("{}").is_err());
    }

    #[test]
    fn messages_lose_their_colours() {
        assert_eq!(
            message("\u{1b}[31mTimed out\u{1b}[39m \u{1b}[2mexpect\u{1b}[22m\nmore").as_deref(),
            Some("Timed out expect")
        );
        assert_eq!(message("  \n plain "), Some("plain".into()));
        assert_eq!(message(" "), None);
    }
}
