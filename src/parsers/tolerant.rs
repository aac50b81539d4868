//! JSON values read tolerantly, and the few strict ones a verdict depends on.
//!
//! Reports put free-form data where a gate only needs a word: a CWE field that is a string in one
//! version and a list in the next, a `security-severity` written as `"7.5"` or `7.5`, a tag list
//! with a stray number, a Lighthouse audit's producer-specific `details`. The tolerant types here
//! ([`Text`], [`Texts`], [`Num`], [`First`], [`LooseList`], [`Loose`], [`LooseStr`]…) take what
//! they can use and skip the rest (with `IgnoredAny`, which does not recurse), instead of failing
//! the whole report over a field the gate does not depend on.
//!
//! A value the gate depends on is never read tolerantly: a list of findings, results, issues or
//! violations ([`Objects`]), a score ([`Fraction`]), a timing ([`NonNegative`]), a mode or a
//! severity word ([`some_string`]). Of the wrong JSON type it is an error placed at its line and
//! column, which [`super::json::read_doc`] names by its path in the document (`Results[0].
//! Vulnerabilities`): a report temis could not read is never a clean one. `null` stays "none"
//! where producers write it so.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::value::MapAccessDeserializer;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// A list of records the gate counts (findings, results, issues): each element an object read
/// as `T`; `null` is an empty list (producers write it for "none"). Anything else, and an
/// element that is not an object (a nested list), is an error.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Objects<T>(pub Vec<T>);

impl<T> Default for Objects<T> {
    fn default() -> Self {
        Objects(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Objects<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ObjectsVisitor(PhantomData))
    }
}

struct ObjectsVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectsVisitor<T> {
    type Value = Objects<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(Object(v)) = seq.next_element::<Object<T>>()? {
            out.push(v);
        }
        Ok(Objects(out))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Objects(Vec::new()))
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Objects(Vec::new()))
    }
}

/// One object read as `T`; any other JSON value (a list, a string, `null`) is an error.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Object<T>(pub T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ObjectVisitor(PhantomData))
    }
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectVisitor<T> {
    type Value = Object<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(Object)
    }
}

/// What a document of [`OneOrList`] holds, named for errors ("a Snyk report: a project object,
/// or a list of them (--all-projects)").
pub(crate) trait Named {
    const WHAT: &'static str;
}

/// A document that is one object read as `T`, or a list of such objects (Snyk's
/// `--all-projects`, Checkov's several check types). Anything else is an error naming `T::WHAT`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct OneOrList<T>(pub Vec<T>);

impl<'de, T: Deserialize<'de> + Named> Deserialize<'de> for OneOrList<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(OneOrListVisitor(PhantomData))
    }
}

struct OneOrListVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de> + Named> Visitor<'de> for OneOrListVisitor<T> {
    type Value = OneOrList<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(T::WHAT)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(Object(v)) = seq.next_element::<Object<T>>()? {
            out.push(v);
        }
        Ok(OneOrList(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(|v| OneOrList(vec![v]))
    }
}

/// For `#[serde(default, deserialize_with = "some_string")]`: a string when the key is there;
/// `null` or any other value is an error (a word the verdict depends on, such as Lighthouse's
/// `scoreDisplayMode`).
pub(crate) fn some_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    String::deserialize(d).map(Some)
}

/// A scalar as text: a string as is, a number written out; `null`, booleans, lists and objects
/// are no text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Text(pub Option<String>);

impl Text {
    pub fn as_deref(&self) -> Option<&str> {
        self.0.as_deref()
    }

    pub fn take(&mut self) -> Option<String> {
        self.0.take()
    }

    /// The text, unless empty or blank.
    pub fn non_empty(&self) -> Option<&str> {
        self.0.as_deref().filter(|s| !s.trim().is_empty())
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TextVisitor).map(Text)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

/// Texts: one string, or a list whose scalar items are kept (other items skipped).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Texts(pub Vec<String>);

impl<'de> Deserialize<'de> for Texts {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TextsVisitor).map(Texts)
    }
}

struct TextsVisitor;

impl<'de> Visitor<'de> for TextsVisitor {
    type Value = Vec<String>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string or a list of strings")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(vec![v.to_string()])
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(vec![v.to_string()])
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(vec![v.to_string()])
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(vec![v.to_string()])
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(Text(t)) = seq.next_element::<Text>()? {
            out.extend(t);
        }
        Ok(out)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Vec::new())
    }
}

/// A number written as a number or as a numeric string (`"7.5"`); anything else is none.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Num(pub Option<f64>);

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let Text(t) = Text::deserialize(d)?;
        Ok(Num(t.and_then(|s| s.trim().parse::<f64>().ok()).filter(|v| v.is_finite())))
    }
}

/// The first element of a list (the rest skipped); a non-list is none.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct First<T>(pub Option<T>);

impl<T> Default for First<T> {
    fn default() -> Self {
        First(None)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for First<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(FirstVisitor(std::marker::PhantomData)).map(First)
    }
}

struct FirstVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for FirstVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let first = seq.next_element::<T>()?;
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(first)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

/// A list of producer extras (aliases, tags…) whose items are read one by one; `null` or any
/// other non-list value is an empty list. Never for a list the gate counts: see [`Objects`].
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct LooseList<T>(pub Vec<T>);

impl<T> Default for LooseList<T> {
    fn default() -> Self {
        LooseList(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for LooseList<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ListVisitor(std::marker::PhantomData)).map(LooseList)
    }
}

struct ListVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ListVisitor<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(v) = seq.next_element::<T>()? {
            out.push(v);
        }
        Ok(out)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Vec::new())
    }
}

/// A snippet of source text, kept only as its normalized hash.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct SnippetHash(pub Option<u64>);

impl<'de> Deserialize<'de> for SnippetHash {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let Text(t) = Text::deserialize(d)?;
        Ok(SnippetHash(t.as_deref().and_then(crate::model::security::snippet_hash)))
    }
}

/// A line number that may be absent or `null`; out-of-range numbers are errors (see
/// [`crate::parsers::json::Line`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct LineNo(pub Option<u32>);

impl<'de> Deserialize<'de> for LineNo {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Option::<crate::parsers::json::Line>::deserialize(d)?;
        Ok(LineNo(v.map(|l| l.0).filter(|&l| l > 0)))
    }
}

/// An object read as `T`; any other JSON value gives `None`.
#[derive(Debug)]
pub(crate) struct Loose<T>(pub Option<T>);

impl<T> Default for Loose<T> {
    fn default() -> Self {
        Self(None)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Loose<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LooseVisitor(PhantomData))
    }
}

struct LooseVisitor<T>(PhantomData<T>);

macro_rules! nothing {
    ($($name:ident: $ty:ty),*) => {
        $(fn $name<E: de::Error>(self, _: $ty) -> Result<Self::Value, E> { Ok(Default::default()) })*
    };
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for LooseVisitor<T> {
    type Value = Loose<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(|v| Loose(Some(v)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Loose(None))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Loose(None))
    }

    nothing!(visit_bool: bool, visit_i64: i64, visit_u64: u64, visit_f64: f64, visit_str: &str);
}

/// A string; any other JSON value gives `None`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct LooseStr(pub Option<String>);

impl<'de> Deserialize<'de> for LooseStr {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LooseStrVisitor)
    }
}

struct LooseStrVisitor;

impl<'de> Visitor<'de> for LooseStrVisitor {
    type Value = LooseStr;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<LooseStr, E> {
        Ok(LooseStr(Some(v.to_string())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<LooseStr, E> {
        Ok(LooseStr(Some(v)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<LooseStr, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(LooseStr(None))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<LooseStr, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(LooseStr(None))
    }

    fn visit_unit<E: de::Error>(self) -> Result<LooseStr, E> {
        Ok(LooseStr(None))
    }

    nothing!(visit_bool: bool, visit_i64: i64, visit_u64: u64, visit_f64: f64);
}

/// The strings of a list (other items skipped); any other JSON value gives an empty list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct LooseStrings(pub Vec<String>);

impl<'de> Deserialize<'de> for LooseStrings {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LooseStringsVisitor)
    }
}

struct LooseStringsVisitor;

impl<'de> Visitor<'de> for LooseStringsVisitor {
    type Value = LooseStrings;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of strings")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<LooseStrings, A::Error> {
        let mut out = Vec::new();
        while let Some(LooseStr(s)) = seq.next_element::<LooseStr>()? {
            out.extend(s);
        }
        Ok(LooseStrings(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<LooseStrings, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(LooseStrings::default())
    }

    fn visit_unit<E: de::Error>(self) -> Result<LooseStrings, E> {
        Ok(LooseStrings::default())
    }

    nothing!(visit_bool: bool, visit_i64: i64, visit_u64: u64, visit_f64: f64, visit_str: &str);
}

/// A finite number; any other JSON value gives `None` (for figures that only inform a choice,
/// such as the timings Lighthouse CI picks its representative run by).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct LooseNumber(pub Option<f64>);

impl<'de> Deserialize<'de> for LooseNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LooseNumberVisitor)
    }
}

struct LooseNumberVisitor;

impl<'de> Visitor<'de> for LooseNumberVisitor {
    type Value = LooseNumber;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number")
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<LooseNumber, E> {
        Ok(LooseNumber(v.is_finite().then_some(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<LooseNumber, E> {
        Ok(LooseNumber(Some(v as f64)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<LooseNumber, E> {
        Ok(LooseNumber(Some(v as f64)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<LooseNumber, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(LooseNumber(None))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<LooseNumber, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(LooseNumber(None))
    }

    fn visit_unit<E: de::Error>(self) -> Result<LooseNumber, E> {
        Ok(LooseNumber(None))
    }

    nothing!(visit_bool: bool, visit_str: &str);
}

/// A boolean; any other JSON value gives `None`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct LooseBool(pub Option<bool>);

impl<'de> Deserialize<'de> for LooseBool {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LooseBoolVisitor)
    }
}

struct LooseBoolVisitor;

impl<'de> Visitor<'de> for LooseBoolVisitor {
    type Value = LooseBool;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a boolean")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<LooseBool, E> {
        Ok(LooseBool(Some(v)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<LooseBool, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(LooseBool(None))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<LooseBool, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(LooseBool(None))
    }

    fn visit_unit<E: de::Error>(self) -> Result<LooseBool, E> {
        Ok(LooseBool(None))
    }

    nothing!(visit_i64: i64, visit_u64: u64, visit_f64: f64, visit_str: &str);
}

/// A finite number within `[min, max]`, read strictly: anything else is an error at its place.
/// `NAME` says what the number is, in errors.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Bounded<const MIN: i64, const MAX: i64>(pub f64);

impl<'de, const MIN: i64, const MAX: i64> Deserialize<'de> for Bounded<MIN, MAX> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(BoundedVisitor::<MIN, MAX>)
    }
}

struct BoundedVisitor<const MIN: i64, const MAX: i64>;

impl<const MIN: i64, const MAX: i64> Visitor<'_> for BoundedVisitor<MIN, MAX> {
    type Value = Bounded<MIN, MAX>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a number from {MIN} to {MAX}")
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        if v.is_finite() && v >= MIN as f64 && v <= MAX as f64 {
            Ok(Bounded(v))
        } else {
            Err(E::custom(format!("{v} is out of range (expected a number from {MIN} to {MAX})")))
        }
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.visit_f64(v as f64)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        self.visit_f64(v as f64)
    }
}

/// A score from 0 to 1 (Lighthouse).
pub(crate) type Fraction = Bounded<0, 1>;

/// A weight or a duration: finite and ≥ 0 (bounded at 1e15 to keep arithmetic exact enough).
pub(crate) type NonNegative = Bounded<0, 1_000_000_000_000_000>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Source;

    fn read<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T, crate::parsers::ParseError> {
        super::super::json::read_doc(&Source::bytes("t.json", text))
    }

    #[derive(Deserialize, Debug, PartialEq)]
    struct Node {
        selector: LooseStr,
    }

    #[test]
    fn record_lists_are_strict_but_for_null() {
        assert_eq!(read::<Objects<Node>>("null").unwrap().0, vec![]);
        let two = read::<Objects<Node>>(r#"[{"selector":"a"},{"selector":1}]"#).unwrap().0;
        assert_eq!(two.len(), 2);
        for wrong in [r#""x""#, "{}", "3", r#"[[{"selector":"a"}]]"#, "[null]"] {
            let e = read::<Objects<Node>>(wrong).unwrap_err();
            assert!(e.message.contains("invalid type"), "{wrong}: {}", e.message);
            assert_eq!(e.line, Some(1), "{wrong}");
        }
    }

    #[test]
    fn values_are_taken_where_usable() {
        let t: Vec<Text> = serde_json::from_str(r#"["a", 3, null, true, {"x": [1]}, [2]]"#).unwrap();
        let t: Vec<Option<String>> = t.into_iter().map(|t| t.0).collect();
        assert_eq!(t, vec![Some("a".into()), Some("3".into()), None, None, None, None]);
        let ts: Texts = serde_json::from_str(r#"["CWE-79", 5, null, {}]"#).unwrap();
        assert_eq!(ts.0, vec!["CWE-79", "5"]);
        let ts: Texts = serde_json::from_str(r#""CWE-94""#).unwrap();
        assert_eq!(ts.0, vec!["CWE-94"]);
        let n: Num = serde_json::from_str(r#""7.5""#).unwrap();
        assert_eq!(n.0, Some(7.5));
        let n: Num = serde_json::from_str(r#""high""#).unwrap();
        assert_eq!(n.0, None);
        let f: First<u32> = serde_json::from_str("[4, {\"a\": 1}, 6]").unwrap();
        assert_eq!(f.0, Some(4));
        let l: LooseList<u32> = serde_json::from_str("null").unwrap();
        assert!(l.0.is_empty());
        assert!(serde_json::from_str::<LineNo>("5000000000").is_err());
        assert_eq!(serde_json::from_str::<LineNo>("null").unwrap().0, None);
    }

    #[test]
    fn loose_values_take_the_expected_shape_or_nothing() {
        assert_eq!(
            read::<Loose<Node>>(r#"{"selector":"a > b","x":[1]}"#).unwrap().0.unwrap().selector.0.unwrap(),
            "a > b"
        );
        assert!(read::<Loose<Node>>("[1,[2,{}]]").unwrap().0.is_none());
        assert!(read::<Loose<Node>>("7").unwrap().0.is_none());
        assert_eq!(read::<LooseStr>("{\"a\":1}").unwrap(), LooseStr(None));
        assert_eq!(read::<LooseStrings>(r#"["a",1,["b"],"c"]"#).unwrap().0, ["a", "c"]);
        let deep = format!("{}{}", "[".repeat(50_000), "]".repeat(50_000));
        assert!(read::<Loose<Node>>(&deep).unwrap().0.is_none(), "skipped values never recurse");
    }

    #[test]
    fn bounded_numbers_are_strict_and_placed() {
        assert_eq!(read::<Fraction>("0.87").unwrap().0, 0.87);
        let e = read::<Fraction>("\n 1.5").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("out of range"), "{}", e.message);
        assert!(read::<Fraction>("\"0.5\"").is_err());
        assert!(read::<NonNegative>("-1").is_err());
        assert!(read::<NonNegative>("1e999").is_err());
    }
}
