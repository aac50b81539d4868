//! Safe XML reading for the XML report formats (Cobertura, JaCoCo, Clover, JUnit).
//!
//! quick-xml never fetches or expands a DTD: a `<!DOCTYPE>` (JaCoCo's `report.dtd`, an
//! `xcresultparser` SYSTEM URL, an entity-expansion bomb) is skipped as one event, and a
//! reference to an entity it declares is an error, not an expansion. Streaming keeps memory
//! flat whatever the report's size; errors are given a line and column by re-reading the
//! input up to the failing byte.

use std::io::{BufRead, BufReader, Read};

use quick_xml::Reader;
use quick_xml::events::Event;

use crate::input::Source;
use crate::parsers::ParseError;

/// The most bytes an XML report may hold between two pieces of markup (`<` or `>`): one text
/// node or one tag. A longer run (a text node of gigabytes, `/dev/zero` read as XML) is refused
/// with this limit named, instead of growing the parser's buffer until memory runs out.
pub const MAX_RUN: u64 = 64 << 20;

/// `raw`, failing once more than [`MAX_RUN`] bytes come without a `<` or a `>`, and on every read
/// after that (a reader that read past the failure would take the bytes after a lost chunk). The
/// run is counted to the byte, whatever the reads are cut into: a report read in pieces (which
/// start at other places than the reads of one walk) fails where one walk fails.
pub fn bounded<'a>(raw: Box<dyn Read + 'a>) -> Box<dyn Read + 'a> {
    Box::new(MarkupBounded { inner: raw, run: 0 })
}

struct MarkupBounded<R> {
    inner: R,
    run: u64,
}

impl<R: Read> Read for MarkupBounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let too_long = || {
            std::io::Error::other(format!(
                "more than {} MiB without any markup (one text node or tag that long): not a report temis holds",
                MAX_RUN >> 20
            ))
        };
        if self.run > MAX_RUN {
            return Err(too_long());
        }
        let n = self.inner.read(buf)?;
        let chunk = &buf[..n];
        self.run = match memchr::memchr2(b'<', b'>', chunk) {
            // The run before this read ends at its first markup.
            Some(first) if self.run + first as u64 > MAX_RUN => {
                self.run += first as u64;
                return Err(too_long());
            }
            Some(_) => memchr::memrchr2(b'<', b'>', chunk).map_or(0, |last| (n - last - 1) as u64),
            None => self.run + n as u64,
        };
        if self.run > MAX_RUN {
            return Err(too_long());
        }
        Ok(n)
    }
}

/// A streaming XML reader over `input`.
pub fn reader(input: &Source) -> Result<Reader<BufReader<Box<dyn Read + '_>>>, ParseError> {
    reader_with_capacity(input, 1 << 20)
}

/// A streaming XML reader over `input` with a read buffer of `capacity` bytes.
pub fn reader_with_capacity(
    input: &Source,
    capacity: usize,
) -> Result<Reader<BufReader<Box<dyn Read + '_>>>, ParseError> {
    Ok(range_reader(input, (0, input.len()), capacity))
}

/// A streaming XML reader over bytes `from..to` of `input` (a piece of a large report), with a
/// read buffer of `capacity` bytes.
pub fn range_reader(input: &Source, (from, to): (u64, u64), capacity: usize) -> Reader<BufReader<Box<dyn Read + '_>>> {
    let raw = bounded(Box::new(input.range(from, to)));
    let mut reader = Reader::from_reader(BufReader::with_capacity(capacity, raw));
    let config = reader.config_mut();
    config.trim_text(true);
    config.check_end_names = true;
    config.expand_empty_elements = false;
    reader
}

/// A [`ParseError`] for byte `offset` of `input`, with its line and column.
pub fn error_at(input: &Source, offset: u64, message: impl Into<String>) -> ParseError {
    let message = message.into();
    match line_col(input, offset) {
        Some((line, col)) => ParseError::at(line, col, message),
        None => ParseError::whole(message),
    }
}

/// Where `reader` meets `err`, in the bytes it read: quick-xml places the errors of the XML, but
/// not an error of the input itself (`Io`), which stands where reading stopped.
pub fn error_offset<R>(reader: &Reader<R>, err: &quick_xml::Error) -> u64 {
    match err {
        quick_xml::Error::Io(_) => reader.buffer_position(),
        _ => reader.error_position(),
    }
}

/// The error quick-xml reported at byte `at` (its `error_position`, counted from the start of
/// `input`), placed. Invalid UTF-8 is placed at its first bad byte (quick-xml reports it where
/// the text or attribute holding it starts, or nowhere).
pub fn syntax_error(input: &Source, at: u64, err: &quick_xml::Error) -> ParseError {
    let utf8 = match err {
        quick_xml::Error::Encoding(_) => true,
        quick_xml::Error::Io(e) => e.kind() == std::io::ErrorKind::InvalidData,
        _ => false,
    };
    if utf8 {
        let head = &input.head()[..input.head().len().min(2)];
        let message = if head == b"\xFF\xFE" || head == b"\xFE\xFF" {
            "the file is UTF-16 text; temis reads UTF-8 XML (convert it with iconv)"
        } else {
            "the file is not valid UTF-8 text"
        };
        return error_at(input, first_invalid_utf8(input).unwrap_or(at), message);
    }
    let message = match err {
        quick_xml::Error::Syntax(s) => format!("malformed XML: {s}"),
        other => format!("malformed XML: {other}"),
    };
    error_at(input, at, message)
}

/// The offset of the first byte that is not part of valid UTF-8.
fn first_invalid_utf8(input: &Source) -> Option<u64> {
    let mut reader = input.reader();
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

/// 1-based line and column of byte `offset`.
fn line_col(input: &Source, offset: u64) -> Option<(u64, u64)> {
    let mut reader = BufReader::new(input.reader().take(offset));
    let (mut line, mut col) = (1u64, 1u64);
    loop {
        let buf = reader.fill_buf().ok()?;
        if buf.is_empty() {
            return Some((line, col));
        }
        let n = buf.len();
        match memchr::memrchr(b'\n', buf) {
            Some(last) => {
                line += memchr::memchr_iter(b'\n', buf).count() as u64;
                col = (n - last) as u64;
            }
            None => col += n as u64,
        }
        reader.consume(n);
    }
}

/// Why an attribute could not be read.
#[derive(Debug, thiserror::Error)]
pub enum AttrProblem {
    #[error("malformed attribute: {0}")]
    Malformed(#[from] quick_xml::events::attributes::AttrError),
    #[error("attribute {key}: {source}")]
    Value { key: String, source: quick_xml::Error },
}

/// What detection needs to know about an XML document's root.
#[derive(Debug, PartialEq, Eq)]
pub struct Root {
    /// Its local name (`testsuites` of `<ns:testsuites>`).
    pub name: String,
    /// Its name as written, prefix included.
    pub qname: String,
    /// The root tag's attributes, as written.
    pub attrs: String,
    /// The name of the root's first child element, when it is in the sniffed bytes.
    pub next_child: Option<String>,
}

/// The root element of a (possibly truncated) document head.
pub fn root_element(head: &[u8]) -> Option<Root> {
    let mut reader = Reader::from_reader(head);
    reader.config_mut().trim_text(true);
    let mut buf = Vec::new();
    let mut root: Option<Root> = None;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                let name = e.local_name().as_ref().to_string();
                match root.as_mut() {
                    None => {
                        let attrs = e.attributes_raw().to_string();
                        let qname = e.name().as_ref().to_string();
                        root = Some(Root { name, qname, attrs, next_child: None });
                    }
                    Some(r) => {
                        r.next_child = Some(name);
                        return root;
                    }
                }
            }
            Ok(Event::Eof) | Err(_) => return root,
            Ok(_) => {}
        }
        buf.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_without_markup_longer_than_the_limit_is_an_error() {
        let mut ok = bounded(Box::new(std::io::Cursor::new(b"<a>text</a>".to_vec())));
        let mut out = Vec::new();
        ok.read_to_end(&mut out).unwrap();
        let endless = std::io::repeat(b'a').take(MAX_RUN + 10).chain(&b"<a/>"[..]);
        let mut reader = bounded(Box::new(endless));
        let err = reader.read_to_end(&mut Vec::new()).unwrap_err();
        assert!(err.to_string().contains("64 MiB without any markup"), "{err}");
        // And on every read after: the markup that follows is never read.
        let again = reader.read(&mut [0; 16]).unwrap_err();
        assert!(again.to_string().contains("64 MiB without any markup"), "{again}");
    }

    /// Reads of `step` bytes each (fewer at the end), whatever the reads of the reader inside.
    struct Steps<R>(R, usize);

    impl<R: Read> Read for Steps<R> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let step = self.1.min(buf.len());
            let mut filled = 0;
            while filled < step {
                match self.0.read(&mut buf[filled..step])? {
                    0 => break,
                    n => filled += n,
                }
            }
            Ok(filled)
        }
    }

    /// A run is refused when it is longer than the limit and only then, however the reads are cut
    /// (a piece of a report starts its reads elsewhere than one walk does): one byte more than
    /// the limit between two `<` fails whatever the read size, the limit itself never does.
    #[test]
    fn a_run_is_counted_to_the_byte_whatever_the_reads() {
        let run = |len: u64, step: usize| {
            let text = std::io::repeat(b'a').take(len);
            let bytes = (&b"<a>"[..]).chain(text).chain(&b"</a>"[..]);
            let mut reader = bounded(Box::new(Steps(bytes, step)));
            let mut buf = vec![0; step];
            while reader.read(&mut buf)? > 0 {}
            Ok::<(), std::io::Error>(())
        };
        for step in [1 << 20, (1 << 20) + 7, 3 << 20, 5_000_001] {
            assert!(run(MAX_RUN + 1, step).is_err(), "{step}");
            assert!(run(MAX_RUN, step).is_ok(), "{step}");
        }
    }

    #[test]
    fn root_skips_prolog_doctype_and_comments() {
        let head = br#"<?xml version="1.0"?>
<!DOCTYPE report PUBLIC "-//JACOCO//DTD Report 1.1//EN" "report.dtd"><!-- x --><report name="a"><sessioninfo id="x"/>"#;
        let r = root_element(head).unwrap();
        assert_eq!(r.name, "report");
        assert_eq!(r.next_child.as_deref(), Some("sessioninfo"));
    }

    #[test]
    fn errors_are_placed() {
        let input = Source::bytes("x.xml", b"<a>\n  <b>\n</a>");
        let mut r = reader(&input).unwrap();
        let mut buf = Vec::new();
        let err = loop {
            match r.read_event_into(&mut buf) {
                Err(e) => break syntax_error(&input, r.error_position(), &e),
                Ok(Event::Eof) => panic!("mismatched end tag not reported"),
                Ok(_) => {}
            }
        };
        assert_eq!(err.line, Some(3));
    }
}
