//! JSON values read loosely: the shape a parser wants where it is there, nothing where it is not.
//!
//! Accessibility and benchmark reports carry large, producer-specific parts next to the few
//! values a gate needs (a Lighthouse run holds ~150 audits, each with its own `details` shape;
//! axe nodes hold `target` as strings or as nested lists for iframes). These wrappers read the
//! value when it has the expected type and skip it otherwise, so an audit of an unexpected shape
//! costs nothing and never fails the report. Values that decide a verdict (scores, counts,
//! timings) are read strictly, with the typed visitors here or in [`super::json`], and a wrong
//! one is an error placed at its line and column. Skipped values are drained with `IgnoredAny`,
//! which does not recurse.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::value::MapAccessDeserializer;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

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

    fn read<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T, crate::error::ParseError> {
        super::super::json::read(&Source::bytes("t.json", text.as_bytes()), PhantomData::<T>)
    }

    #[derive(Deserialize, Debug)]
    struct Node {
        selector: LooseStr,
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
