//! What the XML test-report readers (TRX, NUnit 2 and 3, xUnit.net v2) share: one checked,
//! streaming walk over the document ([`walk`], on [`Walker`]: no tree, no DTD, every error
//! placed) that hands each element's opening, closing and text to the format's handler with
//! its depth, and [`Grab`], which keeps the start of one element's text (a failure message)
//! without keeping the rest.

use std::borrow::Cow;

use compact_str::CompactString;
use quick_xml::events::{BytesStart, Event};

use crate::model::{MESSAGE_MAX, first_line};
use crate::parsers::ParseError;
use crate::parsers::xml_walk::{Walker, plain_attributes};

/// How many bytes of an element's text are kept to find its first line.
const GRAB_MAX: usize = MESSAGE_MAX * 4 + 4;

/// A format's reading of the events: `depth` is the element's (the root's is 1).
pub(crate) trait Handler {
    fn open(&mut self, w: &Walker<'_>, e: &BytesStart<'_>, depth: usize) -> Result<(), ParseError>;
    fn close(&mut self, w: &Walker<'_>, name: &str, depth: usize) -> Result<(), ParseError>;
    fn text(&mut self, text: &str);
    /// Called between events, where [`Walker::hot_tags`] may read the elements that come next
    /// (the passing tests written in their plainest form) without quick-xml's work on each.
    fn hot(&mut self, _w: &mut Walker<'_>) {}
}

/// Walks the whole document, handing every element and every piece of text to `h`.
pub(crate) fn walk(w: &mut Walker<'_>, h: &mut impl Handler) -> Result<(), ParseError> {
    let mut buf = Vec::with_capacity(4096);
    loop {
        h.hot(w);
        match w.next(&mut buf)? {
            Event::Start(e) => h.open(w, &e, w.depth())?,
            Event::Empty(e) => {
                let depth = w.depth() + 1;
                h.open(w, &e, depth)?;
                h.close(w, e.local_name().as_ref(), depth)?;
            }
            Event::End(e) => h.close(w, e.local_name().as_ref(), w.depth() + 1)?,
            Event::Text(t) => h.text(&t.xml10_content()),
            Event::CData(t) => h.text(&t.xml10_content()),
            Event::GeneralRef(r) => {
                if let Some(c) = w.resolve(&r)? {
                    h.text(c.encode_utf8(&mut [0; 4]));
                }
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

/// An attribute's value, unescaped.
pub(crate) fn attr(w: &Walker<'_>, e: &BytesStart<'_>, key: &str) -> Result<Option<String>, ParseError> {
    let [value] = attrs(w, e, [key])?;
    Ok(value.map(Cow::into_owned))
}

/// The values of `keys`, unescaped, read in one pass over the attributes (each checked): a
/// value with nothing to unescape or normalize is borrowed as written.
pub(crate) fn attrs<'e, const N: usize>(
    w: &Walker<'_>,
    e: &'e BytesStart<'_>,
    keys: [&str; N],
) -> Result<[Option<Cow<'e, str>>; N], ParseError> {
    if let Some(values) = plain(e, keys) {
        return Ok(values);
    }
    let mut found: [Option<Cow<'e, str>>; N] = std::array::from_fn(|_| None);
    for a in e.attributes() {
        let a = a.map_err(|err| w.attr_error(err))?;
        let local = a.key.local_name();
        let Some(i) = keys.iter().position(|k| local.as_ref() == *k) else { continue };
        if found[i].is_some() {
            continue;
        }
        let plain = !a.value.bytes().any(|b| matches!(b, b'&' | b'\t' | b'\n' | b'\r'));
        found[i] = Some(match a.value {
            Cow::Borrowed(text) if plain => Cow::Borrowed(text),
            _ => Cow::Owned(w.text(&a)?),
        });
    }
    Ok(found)
}

/// The values of `keys` when every attribute of `e` is written in the plainest form (most are:
/// [`plain_attributes`]), each borrowed as written: there is nothing to refuse, unescape nor
/// normalize. `None` sends the tag to the general path.
#[inline(always)]
pub(crate) fn plain<'e, const N: usize>(e: &'e BytesStart<'_>, keys: [&str; N]) -> Option<[Option<Cow<'e, str>>; N]> {
    let raw = e.attributes_raw();
    let values = plain_attributes(raw.as_bytes(), keys.map(str::as_bytes))?;
    // Each value is a part of `raw`, and ASCII: the same part of the text, with no check of
    // its bytes again.
    let borrowed = values
        .map(|v| v.map(|v| raw.get(v.as_ptr() as usize - raw.as_ptr() as usize..).and_then(|r| r.get(..v.len()))));
    borrowed.iter().all(|v| v.is_none_or(|v| v.is_some())).then(|| borrowed.map(|v| v.flatten().map(Cow::Borrowed)))
}

/// A count attribute (`total="12"`): absent is `None`; present, it must be a count.
pub(crate) fn count(w: &Walker<'_>, e: &BytesStart<'_>, key: &str) -> Result<Option<u64>, ParseError> {
    for a in e.attributes() {
        let a = a.map_err(|err| w.attr_error(err))?;
        if a.key.local_name().as_ref() == key {
            return w.count(&a).map(Some);
        }
    }
    Ok(None)
}

/// The start of the text of one element at a time (a `<message>`), up to what its first line
/// needs.
#[derive(Default)]
pub(crate) struct Grab {
    depth: Option<usize>,
    text: String,
}

impl Grab {
    /// Whether an element's text is being kept.
    pub fn active(&self) -> bool {
        self.depth.is_some()
    }

    /// Starts keeping the text of the element at `depth`, unless one is being kept.
    pub fn start(&mut self, depth: usize) {
        if self.depth.is_none() {
            self.depth = Some(depth);
            self.text.clear();
        }
    }

    /// Text inside the document; kept while an element is being grabbed.
    pub fn push(&mut self, text: &str) {
        if self.depth.is_none() || self.text.len() >= GRAB_MAX {
            return;
        }
        let mut cut = text.len().min(GRAB_MAX - self.text.len());
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        self.text.push_str(&text[..cut]);
    }

    /// The element at `depth` closed: the first line of its text, when it is the grabbed one
    /// (`Some(None)` when its text is blank).
    pub fn end(&mut self, depth: usize) -> Option<Option<CompactString>> {
        if self.depth != Some(depth) {
            return None;
        }
        self.depth = None;
        Some(first_line(&self.text))
    }
}

/// `xml` (named `name`) read every way by `parse` — the hot path or the general one, read
/// buffers that cut tags anywhere, on one thread and on three — gives the same run and notes, or
/// the same error; shown. A `ÿ` in `xml` stands for a byte that is not UTF-8 (`0xFF`).
#[cfg(test)]
pub(crate) fn read_every_way(
    name: &str,
    xml: &str,
    parse: impl Fn(&crate::input::Source, crate::parsers::xml_walk::Tuning) -> Result<crate::model::TestRun, ParseError>,
) -> String {
    use crate::input::{Source, Split};
    use crate::parsers::xml_walk::Tuning;
    let bytes = not_utf8(xml);
    let input = Source::bytes(name, bytes);
    let read = |input: &Source, capacity, hot| format!("{:?}", parse(input, Tuning { capacity, hot }));
    let plain = read(&input, 1 << 20, false);
    for capacity in (1..=64).chain([97, 4096, 1 << 20]) {
        for hot in [true, false] {
            assert_eq!(read(&input, capacity, hot), plain, "buffer of {capacity} bytes, hot path {hot}: {xml}");
        }
    }
    let three = input.clone().with_split(Split { threads: 3, min_len: 0 });
    assert_eq!(read(&three, 1 << 20, true), plain, "three threads: {xml}");
    plain
}

/// `xml` with each `ÿ` made a byte that is not UTF-8 (`0xFF`).
#[cfg(test)]
fn not_utf8(xml: &str) -> Vec<u8> {
    let mut parts = xml.split('\u{FF}');
    let mut bytes = parts.next().unwrap_or_default().as_bytes().to_vec();
    for part in parts {
        bytes.push(0xFF);
        bytes.extend_from_slice(part.as_bytes());
    }
    bytes
}

/// 300 damaged copies of `xml` ([`crate::parsers::xml_walk::damaged`]) read by `parse` alike on
/// the hot path and the general one, whatever the read buffer.
#[cfg(test)]
pub(crate) fn damaged_read_alike(
    name: &str,
    xml: &str,
    parse: impl Fn(&crate::input::Source, crate::parsers::xml_walk::Tuning) -> Result<crate::model::TestRun, ParseError>,
) {
    use crate::parsers::xml_walk::{Tuning, damaged};
    for bytes in damaged(xml, 300) {
        let input = crate::input::Source::bytes(name, bytes.clone());
        let read = |capacity, hot| format!("{:?}", parse(&input, Tuning { capacity, hot }));
        let general = read(1 << 20, false);
        for capacity in [5, 64, 1 << 20] {
            assert_eq!(read(capacity, true), general, "{}", String::from_utf8_lossy(&bytes));
        }
    }
}

/// How many bytes of `xml` (an XML test report whose root is `root`) the hot path reads, in one
/// walk handing its events to `h` (tests show that what producers write takes it).
#[cfg(test)]
pub(crate) fn hot_bytes(xml: &str, root: &'static str, h: &mut impl Handler) -> u64 {
    let input = crate::input::Source::bytes("hot.xml", xml.as_bytes());
    let mut w = Walker::new(&input, root, "test").expect("a report");
    w.keep_spaces();
    walk(&mut w, h).expect("read cleanly");
    w.hot_bytes()
}
