//! The event loop shared by the XML coverage parsers (Cobertura, JaCoCo, Clover).
//!
//! [`Walker`] wraps the safe reader of [`super::xml`] and turns everything that is wrong with a
//! document into a placed [`ParseError`]: a syntax error, an end of file inside an element, a
//! root element of the wrong kind, a second root, an entity reference that only a DTD could
//! define (temis never expands one), nesting deeper than [`MAX_DEPTH`]. It keeps no tree:
//! memory is one event buffer and the names of the open elements, whatever the document's
//! size, and nothing recurses.
//!
//! It also holds the attribute helpers: numbers are read from the raw attribute text without
//! unescaping or allocating; only paths and names are unescaped.

use std::io::{BufRead, BufReader, Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::attributes::{AttrError, Attribute, Attributes};
use quick_xml::events::{BytesRef, BytesStart, Event};

use crate::input::Source;
use crate::model::Branch;
use crate::parsers::ParseError;
use crate::parsers::text::{NumberError, parse_count, parse_line_number, swar_digits};
use crate::parsers::xml;

/// The deepest nesting accepted. Real reports nest a few levels (JaCoCo groups a few more);
/// the bound keeps what a hostile document of `<x><x><x>…` can make temis hold small.
pub const MAX_DEPTH: usize = 100_000;
/// The most branches one line may claim (a `switch` over thousands of cases stays well below).
pub const MAX_LINE_BRANCHES: u64 = 1 << 16;
/// The most branches one file may claim: 2 Mi outcomes are 64 MiB of model, a bound on what a
/// few bytes of hostile XML can make temis allocate.
pub const MAX_FILE_BRANCHES: u64 = 1 << 21;

type XmlReader<'a> = Reader<BufReader<Box<dyn Read + 'a>>>;

/// How an XML report is read: the default is what temis uses; tests vary it to check that the
/// hot path reads every document as the general path does, wherever the buffer ends. (How many
/// pieces a large report is cut into is the source's [`crate::input::Split`].)
#[derive(Clone, Copy, Debug)]
pub struct Tuning {
    /// The read buffer's size.
    pub capacity: usize,
    /// Whether [`Walker::hot_tags`] reads anything.
    pub hot: bool,
}

impl Default for Tuning {
    fn default() -> Self {
        Self { capacity: 1 << 20, hot: true }
    }
}

/// Where to cut `source` into one piece per thread: just before a `tag` (`b"<class"`) followed
/// by whitespace, one near each equal share ([`Source::cuts`]).
pub fn cut_points(source: &Source, tag: &[u8]) -> Vec<u64> {
    cut_points_in(source, (0, source.len()), tag)
}

/// [`cut_points`] of the bytes `from..to` of `source` alone ([`Source::cuts_in`]).
pub fn cut_points_in(source: &Source, (from, to): (u64, u64), tag: &[u8]) -> Vec<u64> {
    let finder = memchr::memmem::Finder::new(tag);
    source.cuts_in(from, to, |window| finder.find_iter(window).find(|&i| starts_tag(&window[i..], tag)))
}

/// Reads the pieces `cuts[i]..cuts[i + 1]` of `source` on threads of their own
/// ([`Source::in_pieces`]): `read` gets piece `i`'s walker ([`Walker::piece`], the first piece
/// starting at the document's start, the others inside elements `context`) and reads it to its
/// end. A piece that ends before the input does (the last one too, when the cuts end before
/// it) must end where the next one starts: at its end, inside `context` exactly.
///
/// `None` when any piece fails that (the input was cut inside a comment, a CDATA section or
/// an unusual nesting) or has any error: the caller then reads the input in one walk, which
/// gives every result, and every error, exactly.
pub fn read_pieces<T: Send>(
    source: &Source,
    root: (&'static str, &'static str),
    cuts: &[u64],
    context: &[&str],
    tuning: Tuning,
    read: impl Fn(usize, &mut Walker<'_>) -> Result<T, ParseError> + Sync,
) -> Option<Vec<T>> {
    read_pieces_at(source, root, cuts, &[], context, tuning, read)
}

/// [`read_pieces`] of a part of the document that starts inside the elements `first` (outermost
/// first; empty at the document's start): the first piece starts there, the others inside
/// `context`.
pub fn read_pieces_at<T: Send>(
    source: &Source,
    root: (&'static str, &'static str),
    cuts: &[u64],
    first: &[&str],
    context: &[&str],
    tuning: Tuning,
    read: impl Fn(usize, &mut Walker<'_>) -> Result<T, ParseError> + Sync,
) -> Option<Vec<T>> {
    if cuts.len() < 2 {
        return None;
    }
    let end = source.len();
    source
        .in_pieces(cuts, |piece| {
            let opened = if piece.index == 0 { first } else { context };
            let mut walker = Walker::piece(source, root, (piece.from, piece.to), opened, tuning).ok()?;
            let out = read(piece.index, &mut walker).ok()?;
            (piece.to == end || (walker.stands_in(context) && walker.position() == piece.to)).then_some(out)
        })
        .into_iter()
        .map(Option::flatten)
        .collect()
}

/// [`read_pieces`] of a document whose elements open at each cut are not known beforehand
/// (NUnit's suites nest to any depth): the first piece starts at the document's start, each
/// other inside elements it knows nothing of ([`Walker::nested_piece`]), and `read` reads it to
/// its end. The pieces are proven when folded, in order: each must end where the next starts,
/// close only elements the pieces before it left open (innermost first, by name), nest no
/// deeper than [`MAX_DEPTH`] in all, and leave the root open unless it is the last, which must
/// close it with nothing after but blank text and comments.
///
/// `None` when any piece fails that or has any error: the caller then reads the input in one
/// walk, which gives every result, and every error, exactly.
pub fn read_pieces_nested<T: Send>(
    source: &Source,
    root: (&'static str, &'static str),
    cuts: &[u64],
    tuning: Tuning,
    read: impl Fn(usize, &mut Walker<'_>) -> Result<T, ParseError> + Sync,
) -> Option<Vec<T>> {
    if cuts.len() < 2 {
        return None;
    }
    let end = source.len();
    let pieces = source.in_pieces(cuts, |piece| {
        let range = (piece.from, piece.to);
        let mut walker = if piece.index == 0 {
            Walker::piece(source, root, range, &[], tuning)
        } else {
            Walker::nested_piece(source, root, range, tuning)
        }
        .ok()?;
        let out = read(piece.index, &mut walker).ok()?;
        (piece.to == end || walker.position() == piece.to).then(|| (out, walker.nesting()))
    });
    let count = pieces.len();
    let mut open = Vec::new();
    let mut outs = Vec::with_capacity(count);
    for (i, piece) in pieces.into_iter().enumerate() {
        let (out, nesting) = piece.flatten()?;
        if !nesting.fold_onto(&mut open) || open.is_empty() != (i + 1 == count) {
            return None;
        }
        outs.push(out);
    }
    Some(outs)
}

/// A streaming, checked walk over an XML report.
pub struct Walker<'a> {
    input: &'a Source,
    reader: XmlReader<'a>,
    /// The root element the format has; `None` for a fragment.
    root: Option<(&'static str, &'static str)>,
    /// Names of the open elements, end to end, and where each starts.
    names: String,
    starts: Vec<usize>,
    depth: usize,
    root_seen: bool,
    root_closed: bool,
    /// Offset of the fragment in the whole input.
    base: u64,
    /// Bytes read by [`Walker::hot_tags`], behind quick-xml's back: its positions miss them.
    skipped: u64,
    /// Whether quick-xml stands in text, its next bytes unread: true after markup or a
    /// reference, false after text (it has then seen, and kept, the `<` that follows), at the
    /// start and after the end. Only then may [`Walker::hot_tags`] read.
    in_text: bool,
    /// Offset of the `<` of the last start or empty tag read.
    tag_start: u64,
    /// Whether the last tag read was an empty one (`<x/>`).
    last_empty: bool,
    tuning: Tuning,
    /// For a piece that ends before the input does: the end of the bytes is not the end of
    /// the document.
    open_end: bool,
    /// For a piece that starts inside the document: end tags are checked here, since quick-xml
    /// knows nothing of the elements opened before the piece.
    check_ends: bool,
    /// For a piece that starts inside elements it knows nothing of ([`Walker::nested_piece`]):
    /// how many of them are still open, under the ones it opened (which `names` holds).
    below: usize,
    /// The unknown elements the piece closed, innermost first, each with whether anything but
    /// blank text and comments came after it before the next.
    closed: Vec<(String, bool)>,
    /// The deepest the walk went.
    peak: usize,
}

/// What a piece read in an unknown nesting ([`Walker::nested_piece`]) did to the elements open
/// where it started: proven when the pieces are folded ([`read_pieces_nested`]).
pub struct Nesting {
    /// The elements open before it that it closed, innermost first, each with whether anything
    /// but blank text and comments came after it (before the next).
    closed: Vec<(String, bool)>,
    /// The elements it opened and left open, outermost first.
    opened: Vec<String>,
    /// How much deeper than where it started it went.
    rise: usize,
}

impl Nesting {
    /// Applies the piece to `open`, the elements open where it starts (outermost first): false
    /// when it closes others than those, innermost first, goes deeper than [`MAX_DEPTH`], or has
    /// anything but blank text and comments after the root's end.
    fn fold_onto(self, open: &mut Vec<String>) -> bool {
        if open.len() + self.rise > MAX_DEPTH {
            return false;
        }
        for (name, after) in self.closed {
            if open.pop().as_deref() != Some(name.as_str()) || (open.is_empty() && after) {
                return false;
            }
        }
        open.extend(self.opened);
        true
    }
}

impl<'a> Walker<'a> {
    /// A walk over `input`, whose root element must be `<root>`; `format` names the format in
    /// messages.
    pub fn new(input: &'a Source, root: &'static str, format: &'static str) -> Result<Self, ParseError> {
        Self::tuned(input, root, format, Tuning::default())
    }

    /// From now on, hands text on with its spaces (call it before reading): the test readers
    /// keep messages whose words an entity reference separates (`41 &amp; the` stays `41 & the`, where trimmed
    /// text gave `41&the`).
    pub fn keep_spaces(&mut self) {
        self.reader.config_mut().trim_text(false);
    }

    /// [`Walker::new`], reading as `tuning` says.
    pub fn tuned(
        input: &'a Source,
        root: &'static str,
        format: &'static str,
        tuning: Tuning,
    ) -> Result<Self, ParseError> {
        let reader = xml::reader_with_capacity(input, tuning.capacity)?;
        Ok(Self::over(input, reader, Some((root, format)), 0, tuning))
    }

    /// A walk over bytes `from..to` of `input`, already read once, for an exact re-merge of
    /// a file given in several places. It may hold several top-level elements; errors are
    /// placed in the whole input.
    pub fn fragment(input: &'a Source, from: u64, to: u64, tuning: Tuning) -> Result<Self, ParseError> {
        let bytes = input.bytes_at(from, to).map_err(|e| ParseError::io(&e))?.into_owned();
        let raw: Box<dyn Read + 'a> = Box::new(Cursor::new(bytes));
        let mut reader = Reader::from_reader(BufReader::with_capacity(tuning.capacity.min(1 << 16), raw));
        let config = reader.config_mut();
        config.trim_text(true);
        config.check_end_names = true;
        config.expand_empty_elements = false;
        Ok(Self::over(input, reader, None, from, tuning))
    }

    /// A walk over the piece `from..to` of `input`, one of several that threads read at once.
    /// It starts at a tag whose parents are `context` (outermost first, the root included;
    /// empty for the piece at the start). Where the piece ends before the input does, its
    /// end is an `Event::Eof` whatever is still open: the caller then checks that the walk
    /// stands where the next piece starts ([`Walker::stands_in`]).
    ///
    /// Errors are placed in the whole input, but a piece's may differ from what one walk over
    /// the whole input reports; whoever reads pieces reads the input again on any error.
    pub fn piece(
        input: &'a Source,
        root: (&'static str, &'static str),
        (from, to): (u64, u64),
        context: &[&str],
        tuning: Tuning,
    ) -> Result<Self, ParseError> {
        let mut reader = super::xml::range_reader(input, (from, to), tuning.capacity);
        let inside = !context.is_empty();
        let config = reader.config_mut();
        config.check_end_names = !inside;
        config.allow_unmatched_ends = inside;
        let mut w = Self::over(input, reader, Some(root), from, tuning);
        for name in context {
            w.starts.push(w.names.len());
            w.names.push_str(name);
        }
        w.depth = context.len();
        w.root_seen = inside;
        w.check_ends = inside;
        w.open_end = to < input.len();
        Ok(w)
    }

    /// A walk over the piece `from..to` of `input` that starts at a tag inside elements it
    /// knows nothing of, not even how many ([`read_pieces_nested`]). Those it closes are
    /// recorded by name, not checked, and [`Walker::nesting`] tells what it did to them; every
    /// other check is [`Walker::piece`]'s, and the depths it gives count those elements as
    /// [`MAX_DEPTH`] (only their differences mean anything).
    pub fn nested_piece(
        input: &'a Source,
        root: (&'static str, &'static str),
        range: (u64, u64),
        tuning: Tuning,
    ) -> Result<Self, ParseError> {
        let mut w = Self::piece(input, root, range, &[], tuning)?;
        let config = w.reader.config_mut();
        config.check_end_names = false;
        config.allow_unmatched_ends = true;
        w.depth = MAX_DEPTH;
        w.below = MAX_DEPTH;
        w.peak = MAX_DEPTH;
        w.root_seen = true;
        w.check_ends = true;
        Ok(w)
    }

    /// What the walk did to the elements open where it started ([`Walker::nested_piece`]; for
    /// any other walk, the elements it left open).
    pub fn nesting(self) -> Nesting {
        let opened = (self.below..self.depth).map(|i| self.open_name(i).to_string()).collect();
        // Where it started: the unknown elements, still open or closed.
        let start = self.below + self.closed.len();
        Nesting { closed: self.closed, opened, rise: self.peak - start }
    }

    /// The names of the open elements, outermost first.
    pub fn open_names(&self) -> Vec<&str> {
        (0..self.depth).map(|i| self.open_name(i)).collect()
    }

    /// Whether the open elements are exactly `names` (outermost first).
    pub fn stands_in(&self, names: &[&str]) -> bool {
        self.depth == names.len() && self.inside(names)
    }

    fn over(
        input: &'a Source,
        reader: XmlReader<'a>,
        root: Option<(&'static str, &'static str)>,
        base: u64,
        tuning: Tuning,
    ) -> Self {
        Self {
            input,
            reader,
            root,
            names: String::new(),
            starts: Vec::new(),
            depth: 0,
            root_seen: false,
            root_closed: false,
            base,
            skipped: 0,
            in_text: false,
            tag_start: base,
            last_empty: false,
            tuning,
            open_end: false,
            check_ends: false,
            below: 0,
            closed: Vec::new(),
            peak: 0,
        }
    }

    /// The next event, checked. `Event::Eof` is returned once, at a proper end.
    pub fn next<'b>(&mut self, buf: &'b mut Vec<u8>) -> Result<Event<'b>, ParseError> {
        buf.clear();
        let event = match self.reader.read_event_into(buf) {
            Ok(event) => event,
            Err(err) => {
                self.in_text = false;
                return Err(self.syntax(&err));
            }
        };
        self.in_text = !matches!(event, Event::Text(_) | Event::Eof);
        if let Some((_, after)) = self.closed.last_mut()
            && !*after
        {
            *after = match &event {
                Event::Text(t) => !t.trim_ascii().is_empty(),
                Event::Comment(_) | Event::Eof => false,
                _ => true,
            };
        }
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(event, Event::Empty(_));
                let end = self.position();
                self.tag_start = end - (e.len() as u64 + if empty { 3 } else { 2 });
                self.last_empty = empty;
                let name = e.name();
                let name = name.as_ref();
                if self.depth == 0 {
                    self.check_root(name)?;
                }
                if empty {
                    if self.depth == 0 {
                        self.root_closed = true;
                    }
                } else {
                    // (Of a nested piece, the elements it opened: the fold checks the rest.)
                    if self.depth - self.below == MAX_DEPTH {
                        return Err(
                            self.fail(format!("elements nested more than {MAX_DEPTH} deep: this is not a report"))
                        );
                    }
                    self.starts.push(self.names.len());
                    self.names.push_str(name);
                    self.depth += 1;
                    self.peak = self.peak.max(self.depth);
                }
            }
            Event::End(e) if self.below > 0 && self.depth == self.below => {
                // An element opened before a nested piece: kept for the fold to check.
                self.closed.push((e.name().0.to_string(), false));
                self.below -= 1;
                self.depth -= 1;
            }
            Event::End(e) => {
                if self.check_ends && (self.depth == 0 || self.open_name(self.depth - 1) != e.name().0) {
                    return Err(self.at_position(format!("malformed XML: unexpected </{}>", e.name().0)));
                }
                if let Some(start) = self.starts.pop() {
                    self.names.truncate(start);
                }
                self.depth = self.depth.saturating_sub(1);
                if self.depth == 0 {
                    self.root_closed = true;
                }
            }
            Event::GeneralRef(_) if self.depth == 0 && self.root.is_some() => {
                return Err(self.at_position("text outside the root element"));
            }
            Event::GeneralRef(r) => {
                self.resolve(r)?;
            }
            Event::Text(t) if self.depth == 0 && self.root.is_some() && !t.trim_ascii().is_empty() => {
                return Err(self.at_position("text outside the root element"));
            }
            Event::CData(_) if self.depth == 0 && self.root.is_some() => {
                return Err(self.at_position("text outside the root element"));
            }
            Event::Eof => return self.eof().map(|()| Event::Eof),
            _ => {}
        }
        Ok(event)
    }

    fn check_root(&mut self, name: &str) -> Result<(), ParseError> {
        let Some((root, format)) = self.root else {
            return Ok(());
        };
        if self.root_closed {
            return Err(self.fail(format!("a second root element <{name}> after </{root}>; an XML document has one")));
        }
        if name != root {
            return Err(self.fail(format!("the root element is <{name}>, not <{root}>: this is not a {format} report")));
        }
        self.root_seen = true;
        Ok(())
    }

    fn eof(&self) -> Result<(), ParseError> {
        // A nested piece's unknown elements are closed, or not, when the pieces are folded.
        if self.open_end || (self.below > 0 && self.depth == self.below) {
            return Ok(());
        }
        if self.depth > 0 {
            let name = self.open_name(self.depth - 1);
            return Err(self.at_position(format!("unexpected end of file inside <{name}>: the report is truncated")));
        }
        match self.root {
            Some((root, format)) if !self.root_seen => {
                Err(ParseError::whole(format!("no <{root}> element: the file is empty or holds no {format} report")))
            }
            _ => Ok(()),
        }
    }

    /// Checks a reference in text: the five XML entities and character references are fine,
    /// anything else could only come from a DTD, which temis never reads.
    pub fn resolve(&self, r: &BytesRef<'_>) -> Result<Option<char>, ParseError> {
        if r.is_char_ref() {
            return r
                .resolve_char_ref()
                .map_err(|e| self.at_position(format!("bad character reference &{};: {e}", &**r)));
        }
        match quick_xml::escape::resolve_predefined_entity(r) {
            Some(s) => Ok(s.chars().next()),
            None => Err(self.at_position(Self::undefined_entity(r))),
        }
    }

    fn undefined_entity(name: &str) -> String {
        format!(
            "reference to entity &{name}; which XML does not define; temis never expands \
             entities declared in a DTD"
        )
    }

    /// Switches trimming of text around markup (on by default).
    pub fn trim_text(&mut self, on: bool) {
        self.reader.config_mut().trim_text(on);
    }

    /// Whether the last tag read sits directly inside elements `names` (outermost first):
    /// `within(&["class", "lines"])` for a `<line>` in a `<lines>` in a `<class>`.
    #[inline]
    pub fn within(&self, names: &[&str]) -> bool {
        let end = if self.last_empty { self.depth } else { self.depth.saturating_sub(1) };
        names.len() <= end && names.iter().enumerate().all(|(i, name)| self.open_name(end - names.len() + i) == *name)
    }

    /// Whether the innermost open elements are `names` (outermost first): `inside(&["class",
    /// "lines"])` between the `<line>`s of a class.
    pub fn inside(&self, names: &[&str]) -> bool {
        let end = self.depth;
        names.len() <= end && names.iter().enumerate().all(|(i, name)| self.open_name(end - names.len() + i) == *name)
    }

    /// Reads the `<tag …/>` elements that come next (`tag` is `b"<line"`) straight from the
    /// reader's buffer, without quick-xml's work per event: the hot path of the XML parsers,
    /// for the elements that make up nearly all of a report's bytes.
    ///
    /// Whitespace before each tag is skipped (as the walker's text trimming would drop it);
    /// `take` gets the bytes after the tag's name, up to the end of the buffer, and returns how
    /// many of them the tag used through its `/>` (see [`HotAttrs`]), or `None` to leave that
    /// tag and what follows to [`Walker::next`]. Anything else stops the run: another tag,
    /// text, a tag cut by the end of the buffer. `take` must accept only tags that quick-xml
    /// would read the same way and that hold no error; the general path then reads every
    /// unusual tag, and places every error, as it always did. Positions count what is read here.
    #[inline]
    pub fn hot_tags(&mut self, tag: &[u8], take: impl FnMut(&[u8]) -> Option<usize>) {
        if !self.tuning.hot || !self.in_text {
            return;
        }
        let read = hot_run(self.reader.get_mut(), tag, take);
        self.skipped += read;
        if read > 0
            && let Some((_, after)) = self.closed.last_mut()
        {
            *after = true;
        }
    }

    /// How many bytes [`Walker::hot_tags`] has read.
    #[cfg(test)]
    pub fn hot_bytes(&self) -> u64 {
        self.skipped
    }

    /// The name of the open element at depth `i + 1`.
    fn open_name(&self, i: usize) -> &str {
        // The unknown elements a nested piece starts in have no name.
        let Some(i) = i.checked_sub(self.below) else { return "" };
        let end = self.starts.get(i + 1).copied().unwrap_or(self.names.len());
        &self.names[self.starts[i]..end]
    }

    /// How many elements are open (the last start tag's included).
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// The depth of the last start or empty tag read (the root's is 1).
    pub fn tag_depth(&self) -> usize {
        if self.last_empty { self.depth + 1 } else { self.depth }
    }

    /// Where the last start or empty tag begins (for [`Walker::fragment`]).
    pub fn tag_start(&self) -> u64 {
        self.tag_start
    }

    /// Where the reader stands: just past the last event.
    pub fn position(&self) -> u64 {
        self.base + self.skipped + self.reader.buffer_position()
    }

    /// An error placed at the last start or empty tag.
    pub fn fail(&self, message: impl Into<String>) -> ParseError {
        xml::error_at(self.input, self.tag_start, message)
    }

    fn at_position(&self, message: impl Into<String>) -> ParseError {
        xml::error_at(self.input, self.position(), message)
    }

    fn syntax(&self, err: &quick_xml::Error) -> ParseError {
        let offset = self.base + self.skipped + xml::error_offset(&self.reader, err);
        match err {
            quick_xml::Error::Encoding(_) => {
                xml::error_at(self.input, self.position(), "the file is not valid UTF-8 text")
            }
            quick_xml::Error::Escape(e) => xml::error_at(self.input, offset, format!("malformed XML: {e}")),
            _ if self.base == 0 => xml::syntax_error(self.input, offset, err),
            _ => xml::error_at(self.input, offset, format!("malformed XML: {err}")),
        }
    }

    /// Checks that `n` more branches on one line keep within the budget ([`budget`]); counts
    /// them in.
    pub fn branch_budget(&self, used: &mut u64, n: u64) -> Result<(), ParseError> {
        budget(used, n).map_err(|e| self.over_budget(e))
    }

    /// The error for branches past the budget, placed at the last tag.
    pub fn over_budget(&self, e: OverBudget) -> ParseError {
        match e {
            OverBudget::Line(n) => {
                self.fail(format!("{n} branches on one line; more than {MAX_LINE_BRANCHES} is not a real report"))
            }
            OverBudget::File => {
                self.fail(format!("more than {MAX_FILE_BRANCHES} branches in one file; this is not a real report"))
            }
        }
    }

    /// Checks that attribute number `bit` of a tag read with [`hot_attributes`] comes once.
    #[inline]
    pub fn once(&self, seen: &mut u32, bit: u32, a: &Attribute<'_>) -> Result<(), ParseError> {
        if *seen & (1 << bit) != 0 {
            return Err(self.fail(format!("malformed attribute: attribute {} is given twice", a.key.0)));
        }
        *seen |= 1 << bit;
        Ok(())
    }

    /// The error for a malformed attribute of the last tag.
    pub fn attr_error(&self, err: AttrError) -> ParseError {
        let at = match err {
            AttrError::ExpectedEq(p)
            | AttrError::ExpectedValue(p)
            | AttrError::UnquotedValue(p)
            | AttrError::ExpectedQuote(p, _)
            | AttrError::Duplicated(p, _) => p as u64,
        };
        // `at` counts from the first byte after `<`.
        xml::error_at(self.input, self.tag_start + 1 + at, format!("malformed attribute: {err}"))
    }

    /// A count (hits, instructions…) from an attribute's raw text. Counts past `u64::MAX`
    /// saturate; negative, fractional or non-numeric ones are errors.
    #[inline]
    pub fn count(&self, a: &Attribute<'_>) -> Result<u64, ParseError> {
        parse_count(a.value.as_bytes()).or_else(|_| {
            // Not plain digits: `parse_count` also reads ` 3 `, `1.0e+19`, `-0`.
            let raw = a.value.trim();
            parse_count(raw.as_bytes()).map_err(|e| {
                let why = match e {
                    NumberError::Negative => "a count cannot be negative",
                    NumberError::NotANumber => "not a count",
                    NumberError::Fraction => "a count is a whole number",
                };
                self.fail(format!("{}=\"{}\": {why}", a.key.0, shown(raw)))
            })
        })
    }

    /// A line number from an attribute's raw text; `None` for line 0, which producers write
    /// for code they cannot place and which no tool counts.
    #[inline]
    pub fn line_number(&self, a: &Attribute<'_>) -> Result<Option<u32>, ParseError> {
        if let Some(n) = parse_line_number(a.value.as_bytes()) {
            return Ok(Some(n));
        }
        let raw = a.value.trim();
        if let Some(n) = parse_line_number(raw.as_bytes()) {
            return Ok(Some(n));
        }
        if !raw.is_empty() && raw.bytes().all(|b| b == b'0') {
            return Ok(None);
        }
        Err(self.fail(format!("{}=\"{}\" is not a line number (1 to {})", a.key.0, shown(raw), u32::MAX)))
    }

    /// An attribute's value unescaped (`&amp;`, character references), for paths and names.
    pub fn text(&self, a: &Attribute<'_>) -> Result<String, ParseError> {
        a.normalized_value(quick_xml::XmlVersion::Implicit1_0).map(|v| v.into_owned()).map_err(|e| match e {
            quick_xml::Error::Escape(quick_xml::escape::EscapeError::UnrecognizedEntity(_, name)) => {
                self.fail(Self::undefined_entity(&name))
            }
            e => self.fail(format!("attribute {}: {e}", a.key.0)),
        })
    }
}

/// The attributes of a tag read on a hot path (`<line>`). quick-xml's check for duplicated
/// attributes allocates for every element; the caller checks the keys it reads with
/// [`Walker::once`] instead.
#[inline]
pub fn hot_attributes<'e>(e: &'e BytesStart<'_>) -> Attributes<'e> {
    let mut attributes = e.attributes();
    attributes.with_checks(false);
    attributes
}

/// What a byte may be in the plain form of a hot tag.
const SPACE: u8 = 1;
const NAME: u8 = 2;
const VALUE: u8 = 4;
/// A name byte but the colon: the local names [`plain_tag`] takes (a prefixed name stops at its
/// colon, where no `=` follows).
const LOCAL: u8 = 8;
const BYTES: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        if matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
            t[b] |= SPACE;
        }
        if c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b':' | b'.') {
            t[b] |= NAME;
        }
        if c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.') {
            t[b] |= LOCAL;
        }
        // Printable ASCII but the quote, references and markup.
        if c >= 0x20 && c < 0x7F && !matches!(c, b'"' | b'&' | b'<' | b'>') {
            t[b] |= VALUE;
        }
        b += 1;
    }
    t
};

/// XML's whitespace, as quick-xml trims it.
#[inline(always)]
fn is_space(b: u8) -> bool {
    BYTES[b as usize] & SPACE != 0
}

/// Where the run of value bytes (the plain form's, [`VALUE`]) that starts at `s[i]` ends: the
/// index of the first other byte, `None` when the run reaches the end of `s`. Eight bytes at a
/// time: a byte that is not a value byte is flagged in a word by the usual bit tricks (below
/// 0x20, above 0x7E, or one of `"&<>`), and the lowest flag is always a true one, since a borrow
/// only spreads upward from a byte that is flagged.
///
/// Where SSE2 is there, sixteen bytes at a time first ([`sixteen::value_stops`]): most values
/// (a test's name, a class's, a time) end within the first sixteen.
#[inline(always)]
fn value_end(s: &[u8], mut i: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    #[cfg(all(any(target_arch = "x86", target_arch = "x86_64"), target_feature = "sse2"))]
    while let Some(block) = s.get(i..i + 16) {
        let stops = sixteen::value_stops(block.try_into().expect("16 bytes"));
        if stops != 0 {
            return Some(i + stops.trailing_zeros() as usize);
        }
        i += 16;
    }
    while let Some(word) = s.get(i..i + 8) {
        let mut bytes = [0; 8];
        bytes.copy_from_slice(word);
        let x = u64::from_le_bytes(bytes);
        let flagged = (x.wrapping_sub(ONES * 0x20) & !x & HIGH)
            | (x & HIGH)
            | zero(x ^ (ONES * 0x7F))
            | zero(x ^ (ONES * u64::from(b'"')))
            | zero(x ^ (ONES * u64::from(b'&')))
            | zero(x ^ (ONES * u64::from(b'<')))
            | zero(x ^ (ONES * u64::from(b'>')));
        if flagged != 0 {
            return Some(i + flagged.trailing_zeros() as usize / 8);
        }
        i += 8;
    }
    while BYTES[*s.get(i)? as usize] & VALUE != 0 {
        i += 1;
    }
    Some(i)
}

/// Where the run of name bytes of `class` ([`NAME`], or [`LOCAL`] without the colon) that
/// starts at `s[i]` ends: the index of the first other byte, `None` when the run reaches the end
/// of `s`. Sixteen bytes at a time where SSE2 is there ([`sixteen::name_bytes`]).
#[inline(always)]
fn name_end(s: &[u8], mut i: usize, class: u8) -> Option<usize> {
    #[cfg(all(any(target_arch = "x86", target_arch = "x86_64"), target_feature = "sse2"))]
    while let Some(block) = s.get(i..i + 16) {
        let other = !sixteen::name_bytes(block.try_into().expect("16 bytes"), class == NAME) & 0xFFFF;
        if other != 0 {
            return Some(i + other.trailing_zeros() as usize);
        }
        i += 16;
    }
    while BYTES[*s.get(i)? as usize] & class != 0 {
        i += 1;
    }
    Some(i)
}

/// The byte classes of the hot attribute reader, for sixteen bytes at once by SSE2 instructions:
/// bit `i` of each mask for byte `i`, exactly as [`BYTES`] classes them (tests compare both on
/// every byte value in every place).
#[cfg(all(any(target_arch = "x86", target_arch = "x86_64"), target_feature = "sse2"))]
mod sixteen {
    use safe_arch::{
        bitand_m128i, bitor_m128i, cmp_eq_mask_i8_m128i, cmp_gt_mask_i8_m128i, cmp_lt_mask_i8_m128i,
        load_unaligned_m128i, m128i, move_mask_i8_m128i, set_splat_i8_m128i,
    };

    #[inline(always)]
    fn splat(b: u8) -> m128i {
        set_splat_i8_m128i(b as i8)
    }

    /// Bytes from `lo` to `hi` (both below 0x80: signed compares put the bytes from 0x80 up below
    /// every one of them).
    #[inline(always)]
    fn within(v: m128i, lo: u8, hi: u8) -> m128i {
        bitand_m128i(cmp_gt_mask_i8_m128i(v, splat(lo - 1)), cmp_lt_mask_i8_m128i(v, splat(hi + 1)))
    }

    /// The bytes that are not [`super::VALUE`] bytes: below 0x20 or from 0x7F up, or one of `"&<>`.
    #[inline(always)]
    pub fn value_stops(bytes: &[u8; 16]) -> u32 {
        let v = load_unaligned_m128i(bytes);
        let eq = |b: u8| cmp_eq_mask_i8_m128i(v, splat(b));
        // Signed: the bytes from 0x80 up are below 0x20 too.
        let outside = bitor_m128i(cmp_lt_mask_i8_m128i(v, splat(0x20)), eq(0x7F));
        let markup = bitor_m128i(bitor_m128i(eq(b'"'), eq(b'&')), bitor_m128i(eq(b'<'), eq(b'>')));
        move_mask_i8_m128i(bitor_m128i(outside, markup)) as u32
    }

    /// The [`super::NAME`] bytes (with `colon`) or [`super::LOCAL`] ones: ASCII letters and
    /// digits, `-`, `_`, `.`.
    #[inline(always)]
    pub fn name_bytes(bytes: &[u8; 16], colon: bool) -> u32 {
        let v = load_unaligned_m128i(bytes);
        let eq = |b: u8| cmp_eq_mask_i8_m128i(v, splat(b));
        // Letters of either case as lower case: `| 0x20` takes no other byte into `a`..=`z`.
        let letters = within(bitor_m128i(v, splat(0x20)), b'a', b'z');
        let marks =
            bitor_m128i(bitor_m128i(eq(b'-'), eq(b'_')), bitor_m128i(eq(b'.'), eq(if colon { b':' } else { b'.' })));
        move_mask_i8_m128i(bitor_m128i(bitor_m128i(letters, within(v, b'0', b'9')), marks)) as u32
    }
}

/// Whether `bytes` starts with `tag` (`b"<line"`) and whitespace: a tag of that name with
/// attributes. Compared byte by byte in line (a call to `memcmp` costs more on a short name).
#[inline(always)]
pub fn starts_tag(bytes: &[u8], tag: &[u8]) -> bool {
    bytes.len() > tag.len() && bytes.iter().zip(tag).all(|(a, b)| a == b) && is_space(bytes[tag.len()])
}

/// Where the whitespace that starts `bytes[at..]` ends.
#[inline(always)]
pub fn skip_spaces(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(|&b| is_space(b)) {
        at += 1;
    }
    at
}

/// The attributes of a hot tag read straight from its bytes by [`Walker::hot_tags`]: only the
/// plainest form, ` name="value"` pairs then `/>` (or `>`, a start tag, when [`plain_tag`] asks
/// for it), with ASCII names and values holding no reference, markup or control character.
/// Anything else (single quotes, spaces around `=`, `&amp;`, non-ASCII text, a missing `/>`, the
/// end of the buffer) makes [`HotAttrs::next`] give up, and the general path reads the tag.
pub struct HotAttrs<'b> {
    bytes: &'b [u8],
    at: usize,
    /// Whether a start tag's `>` ends the attributes too ([`plain_tag`] asks for it).
    start_ok: bool,
    /// Whether `bytes` hold the attributes only, their end the tag's ([`plain_attributes`]).
    whole: bool,
    /// The bytes a name may hold: [`NAME`], or [`LOCAL`] when a prefixed name is refused.
    name: u8,
    /// Whether the tag ended in `/>`, once [`HotAttrs::next`] has reached its end.
    empty: bool,
}

impl<'b> HotAttrs<'b> {
    /// The attributes in `bytes`, which start just after the tag's name, from byte `at` on
    /// (where [`plain_digits`] stopped).
    #[inline(always)]
    pub fn new(bytes: &'b [u8], at: usize) -> Self {
        Self { bytes, at, start_ok: false, whole: false, name: NAME, empty: false }
    }

    /// The next attribute's name and raw value, `Some(None)` at the `/>` that ends the tag
    /// (then [`HotAttrs::used`] is the tag's length), `None` when the general path must read it.
    #[inline(always)]
    #[allow(clippy::option_option)]
    pub fn next(&mut self) -> Option<Option<(&'b [u8], &'b [u8])>> {
        let s = self.bytes;
        let start = self.at;
        let mut i = start;
        while let Some(&b) = s.get(i)
            && is_space(b)
        {
            i += 1;
        }
        if i == s.len() {
            if !self.whole {
                return None;
            }
            self.at = i;
            return Some(None);
        }
        if s[i] == b'/' {
            if *s.get(i + 1)? != b'>' {
                return None;
            }
            self.at = i + 2;
            self.empty = true;
            return Some(None);
        }
        if s[i] == b'>' && self.start_ok {
            self.at = i + 1;
            return Some(None);
        }
        if i == start {
            // Attributes are separated by whitespace.
            return None;
        }
        let name = i;
        i = name_end(s, i, self.name)?;
        if i == name || s[i] != b'=' || *s.get(i + 1)? != b'"' {
            return None;
        }
        let key = &s[name..i];
        i += 2;
        let value = i;
        i = value_end(s, i)?;
        if s[i] != b'"' {
            return None;
        }
        self.at = i + 1;
        Some(Some((key, &s[value..i])))
    }

    /// How many bytes the tag used, once [`HotAttrs::next`] has reached its end.
    #[inline(always)]
    pub fn used(&self) -> usize {
        self.at
    }

    /// Whether the tag ended in `/>`, once [`HotAttrs::next`] has reached its end.
    #[inline(always)]
    pub fn empty(&self) -> bool {
        self.empty
    }
}

/// A tag read by [`plain_tag`].
pub struct PlainTag<'b, const N: usize> {
    /// The raw values of the keys asked for, as written (plain ASCII: nothing to unescape).
    pub values: [Option<&'b [u8]>; N],
    /// How many bytes the tag used, through its `/>` or `>`.
    pub used: usize,
    /// Whether it ended in `/>`.
    pub empty: bool,
}

/// The attributes of a tag whose bytes after its name start `bytes`, when it is written in the
/// plainest form ([`HotAttrs`]), no key twice (quick-xml refuses that) and none with a prefix
/// (`x:result`, which the general readers take by its local name): the values of `keys`; a
/// start tag's `>` ends it when `start_ok`. `None` for any other form, which the caller leaves
/// to the general path.
#[inline(always)]
pub fn plain_tag<'b, const N: usize>(bytes: &'b [u8], keys: [&[u8]; N], start_ok: bool) -> Option<PlainTag<'b, N>> {
    let mut attrs = HotAttrs { start_ok, name: LOCAL, ..HotAttrs::new(bytes, 0) };
    let values = plain_values(&mut attrs, keys)?;
    Some(PlainTag { values, used: attrs.used(), empty: attrs.empty() })
}

/// [`plain_tag`] of a tag's attributes as quick-xml hands them (`attributes_raw`, without the
/// tag's name and its `/>` or `>`): the values of `keys` when every attribute is written in the
/// plainest form, `None` when the general path must read them.
#[inline]
pub fn plain_attributes<'b, const N: usize>(raw: &'b [u8], keys: [&[u8]; N]) -> Option<[Option<&'b [u8]>; N]> {
    let mut attrs = HotAttrs { whole: true, name: LOCAL, ..HotAttrs::new(raw, 0) };
    plain_values(&mut attrs, keys)
}

/// The values of `keys` among the attributes `attrs` reads to the tag's end; `None` when one is
/// not in the plainest form, a key is given twice, or there are more than sixteen.
#[inline(always)]
fn plain_values<'b, const N: usize>(attrs: &mut HotAttrs<'b>, keys: [&[u8]; N]) -> Option<[Option<&'b [u8]>; N]> {
    const MOST: usize = 16;
    let mut seen: [&[u8]; MOST] = [&[]; MOST];
    let mut values = [None; N];
    let mut n = 0;
    // Keys are compared byte by byte in line: a call to `memcmp` per pair of short keys costs
    // more than the comparison.
    let same = |a: &[u8], b: &[u8]| a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y);
    // A key's length and its first and last bytes pick one of 64 bits: a key whose bit is clear
    // is new, and only one whose bit is set is compared with the keys before it.
    let mut bits = 0u64;
    while let Some((key, value)) = attrs.next()? {
        if n == MOST {
            return None;
        }
        let (first, last) = (usize::from(key[0]), usize::from(key[key.len() - 1]));
        let bit = 1u64 << ((key.len() * 7 + first + last * 3) & 63);
        if bits & bit != 0 && seen[..n].iter().any(|k| same(k, key)) {
            return None;
        }
        bits |= bit;
        seen[n] = key;
        n += 1;
        if let Some(i) = keys.iter().position(|k| same(k, key)) {
            values[i] = Some(value);
        }
    }
    Some(values)
}

/// Reads the `<tag …/>` elements that come next in `buffered` (the buffer of a quick-xml reader
/// that stands in text, its next bytes unread) and consumes them, behind the reader's back: the
/// loop of [`Walker::hot_tags`], which says what `take` gets and must return, and of the JUnit
/// reader's hot path. Only what the buffer holds is read, never the input: reading is left to
/// quick-xml, which meets every error of the input where the general path meets it. Whitespace
/// before each tag is skipped; whatever stops the run (another tag, text, a tag cut by the end
/// of the buffer, a tag `take` leaves) is left unread, with the whitespace before it. How many
/// bytes were consumed, which the reader's positions miss.
#[inline]
pub fn hot_run<R: Read + ?Sized>(
    buffered: &mut BufReader<R>,
    tag: &[u8],
    mut take: impl FnMut(&[u8]) -> Option<usize>,
) -> u64 {
    let used = {
        let buf = buffered.buffer();
        let (mut i, mut used) = (0, 0);
        loop {
            i = skip_spaces(buf, i);
            let rest = &buf[i..];
            if !starts_tag(rest, tag) {
                break;
            }
            match take(&rest[tag.len()..]) {
                Some(n) => {
                    i += tag.len() + n;
                    used = i;
                }
                None => break,
            }
        }
        used
    };
    buffered.consume(used);
    used as u64
}

/// The numbers of a hot tag written exactly as its producers write them: `keys` are the text
/// before each number (`b" nr=\""`, `b"\" mi=\""`…), each number has 1 to 7 digits and a `"`
/// follows the last. Their values and the bytes they used, or `None` for any other form (the
/// caller then reads the tag with [`HotAttrs`] from the start).
#[inline(always)]
pub fn plain_digits<const N: usize>(bytes: &[u8], keys: [&[u8]; N]) -> Option<([u64; N], usize)> {
    let mut values = [0u64; N];
    let mut at = 0;
    for (value, key) in values.iter_mut().zip(keys) {
        if !bytes.get(at..)?.starts_with(key) {
            return None;
        }
        at += key.len();
        let (n, len) = swar_digits(bytes.get(at..)?)?;
        *value = n;
        at += len;
    }
    (*bytes.get(at)? == b'"').then_some((values, at + 1))
}

/// Branches past what a real report holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OverBudget {
    /// This many on one line, more than [`MAX_LINE_BRANCHES`].
    Line(u64),
    /// More than [`MAX_FILE_BRANCHES`] in one file.
    File,
}

/// Counts `n` more branches of one line into the `used` ones of its file, within
/// [`MAX_LINE_BRANCHES`] and [`MAX_FILE_BRANCHES`]; `used` is unchanged past them. The one check
/// every path of every XML reader makes (the hot paths leave a tag past it to the general path,
/// which says where).
#[inline(always)]
pub fn budget(used: &mut u64, n: u64) -> Result<(), OverBudget> {
    if n > MAX_LINE_BRANCHES {
        return Err(OverBudget::Line(n));
    }
    let next = *used + n;
    if next > MAX_FILE_BRANCHES {
        return Err(OverBudget::File);
    }
    *used = next;
    Ok(())
}

/// Appends `total` outcomes of one branch point on `line`, numbered from 0: the first
/// `covered` taken once, the others never. Formats that give only counts (Cobertura's
/// `condition-coverage`, JaCoCo's `mb`/`cb`, Istanbul's Clover `truecount`/`falsecount`) say no
/// more than that.
pub fn push_branches(out: &mut Vec<Branch>, line: u32, block: u32, covered: u64, total: u64) {
    out.extend((0..total).map(|i| Branch { line, block, branch: i as u32, taken: Some(u64::from(i < covered)) }));
}

/// `parse` of `bytes` (named `name`) read on `threads` threads, each piece cut as finely as the
/// reader allows, shown.
#[cfg(test)]
fn on_threads<T: std::fmt::Debug>(name: &str, bytes: &[u8], threads: usize, parse: &impl Fn(&Source) -> T) -> String {
    use crate::input::Split;
    format!("{:?}", parse(&Source::bytes(name, bytes).with_split(Split { threads, min_len: 0 })))
}

/// `parse` of `bytes` (named `name`) read on 2 to 6 threads reads as on one thread; what one
/// thread reads, shown.
#[cfg(test)]
pub fn same_on_threads<T: std::fmt::Debug>(name: &str, bytes: &[u8], parse: impl Fn(&Source) -> T) -> String {
    let one = on_threads(name, bytes, 1, &parse);
    for threads in 2..=6 {
        assert_eq!(on_threads(name, bytes, threads, &parse), one, "{threads} threads");
    }
    one
}

/// 300 [`damaged`] copies of `xml` (named `name`) read on three threads as on one.
#[cfg(test)]
pub fn damaged_same_on_threads<T: std::fmt::Debug>(name: &str, xml: &str, parse: impl Fn(&Source) -> T) {
    for bytes in damaged(xml, 300) {
        let (three, one) = (on_threads(name, &bytes, 3, &parse), on_threads(name, &bytes, 1, &parse));
        assert_eq!(three, one, "{}", String::from_utf8_lossy(&bytes));
    }
}

/// Damaged copies of a report: bytes replaced, dropped or repeated at random. `count` copies
/// from a fixed seed, unless `TEMIS_DAMAGED=count,seed` asks for a longer or another run.
#[cfg(test)]
pub fn damaged(xml: &str, count: usize) -> Vec<Vec<u8>> {
    let asked = std::env::var("TEMIS_DAMAGED").ok();
    let asked =
        asked.as_deref().and_then(|v| v.split_once(',')).and_then(|(c, s)| Some((c.parse().ok()?, s.parse().ok()?)));
    let (count, seed) = asked.unwrap_or((count, 0x2545_F491_4F6C_DD1Du64));
    let mut next = crate::testing::below(seed);
    const BYTES: &[u8] = b"<>/=\"' \n\t&;#x0123456789-.%()lineumbrhtsc\xC3\xA9\xFF";
    (0..count)
        .map(|_| {
            let mut bytes = xml.as_bytes().to_vec();
            for _ in 0..1 + next(3) {
                let at = next(bytes.len());
                match next(3) {
                    0 => bytes[at] = BYTES[next(BYTES.len())],
                    1 => {
                        bytes.drain(at..(at + 1 + next(12)).min(bytes.len()));
                    }
                    _ => {
                        let end = (at + 1 + next(40)).min(bytes.len());
                        let copy = bytes[at..end].to_vec();
                        bytes.splice(at..at, copy);
                    }
                }
            }
            bytes
        })
        .collect()
}

/// At most 40 characters of `raw`, for messages.
fn shown(raw: &str) -> String {
    match raw.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", &raw[..i]),
        None => raw.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sixteen-byte classes are the table's, for every byte value in every place, and the
    /// runs they end are where the byte-at-a-time loop ends them.
    #[test]
    fn byte_classes_sixteen_at_a_time_are_the_tables() {
        let by_table = |s: &[u8], i: usize, class: u8| {
            let mut i = i;
            while BYTES[*s.get(i)? as usize] & class != 0 {
                i += 1;
            }
            Some(i)
        };
        for value in 0..=255u8 {
            for at in 0..40 {
                let mut bytes = *b"classname_X.y-z:0AZaz09Value-of_a.name\"/>";
                bytes[at] = value;
                bytes[(at + 7) % 40] = value.wrapping_add(1);
                for from in [0, 3, 11] {
                    assert_eq!(value_end(&bytes, from), by_table(&bytes, from, VALUE), "{bytes:?} from {from}");
                    for class in [NAME, LOCAL] {
                        assert_eq!(name_end(&bytes, from, class), by_table(&bytes, from, class), "{bytes:?}");
                    }
                }
            }
        }
        #[cfg(all(any(target_arch = "x86", target_arch = "x86_64"), target_feature = "sse2"))]
        for value in 0..=255u8 {
            let block = [value; 16];
            let class = BYTES[value as usize];
            let all = |yes: bool| if yes { 0xFFFF } else { 0 };
            assert_eq!(sixteen::value_stops(&block), all(class & VALUE == 0), "{value:#x}");
            assert_eq!(sixteen::name_bytes(&block, true), all(class & NAME != 0), "{value:#x}");
            assert_eq!(sixteen::name_bytes(&block, false), all(class & LOCAL != 0), "{value:#x}");
        }
    }

    /// The hot path reads only what the buffer holds, never the input: an error of the input (and
    /// the chunk lost with it) is met by quick-xml, where the general path meets it.
    #[test]
    fn hot_run_never_reads_the_input() {
        struct Failing(usize);
        impl Read for Failing {
            fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
                self.0 += 1;
                Err(std::io::Error::other("the disk failed"))
            }
        }
        let mut empty = BufReader::new(Failing(0));
        assert_eq!(hot_run(&mut empty, b"<line", |_| Some(1)), 0);
        assert_eq!(empty.get_ref().0, 0);
        let mut full = BufReader::new(Cursor::new(b"  <line a=\"1\"/><line a=\"2\"/>".to_vec()));
        full.fill_buf().unwrap();
        assert_eq!(hot_run(&mut full, b"<line", |rest| plain_tag(rest, [], false).map(|t| t.used)), 28);
    }

    /// [`value_end`]'s words find the first byte that is not a value byte exactly where the
    /// byte table does: every byte value, at every place of a run, with every other byte after it.
    #[test]
    fn value_end_finds_what_the_table_finds() {
        let by_table = |s: &[u8], mut i: usize| {
            while BYTES[*s.get(i)? as usize] & VALUE != 0 {
                i += 1;
            }
            Some(i)
        };
        for stop in 0..=255u8 {
            for at in 0..20 {
                for after in [b'a', 0, b'"', 0x80, 0xFF, 0x1F] {
                    let mut s = vec![b'x'; 24];
                    s[at] = stop;
                    s[(at + 1).min(23)] = after;
                    for start in [0, 1, 5, 8] {
                        assert_eq!(value_end(&s, start), by_table(&s, start), "{stop:#x} at {at}, {after:#x} after");
                    }
                }
            }
        }
        assert_eq!(value_end(b"abcdefghijklmnop", 0), None);
    }

    fn walk(xml: &str) -> Result<Vec<String>, ParseError> {
        let input = Source::bytes("t.xml", xml.as_bytes());
        let mut w = Walker::new(&input, "coverage", "Cobertura")?;
        let mut buf = Vec::new();
        let mut seen = Vec::new();
        loop {
            match w.next(&mut buf)? {
                Event::Eof => return Ok(seen),
                Event::Start(e) | Event::Empty(e) => {
                    seen.push(format!("{}@{}", e.name().0, w.tag_start()));
                }
                _ => {}
            }
        }
    }

    #[test]
    fn tags_are_placed() {
        let seen = walk("<?xml version=\"1.0\"?>\n<coverage>\n  <a x=\"1\"/><b></b></coverage>").unwrap();
        assert_eq!(seen, vec!["coverage@22", "a@35", "b@45"]);
    }

    #[test]
    fn a_plain_tag_refuses_a_key_twice_and_takes_distinct_ones() {
        let keys = [
            "name",
            "fullname",
            "methodname",
            "classname",
            "result",
            "start-time",
            "end-time",
            "duration",
            "asserts",
            "seed",
            "label",
            "id",
            "ab",
            "ba",
            "a",
            "b",
            "aa",
            "time",
            "type",
            "outcome",
            "testId",
            "testName",
            "x",
            "xx",
            "abc",
            "acb",
            "cba",
            "n",
            "nr",
            "mi",
            "ci",
            "mb",
            "cb",
        ];
        for a in keys {
            for b in keys {
                let tag = format!(" {a}=\"1\" {b}=\"2\"/>");
                assert_eq!(plain_tag(tag.as_bytes(), [], false).is_some(), a != b, "{tag}");
            }
        }
        for (i, window) in keys.windows(16).enumerate() {
            let tag: String = window.iter().map(|k| format!(" {k}=\"{i}\"")).collect();
            assert!(plain_tag(format!("{tag}/>").as_bytes(), [], false).is_some(), "{tag}");
            let fifteen: String = window[..15].iter().map(|k| format!(" {k}=\"{i}\"")).collect();
            let twice = format!("{fifteen} {}=\"x\"/>", window[i % 15]);
            assert!(plain_tag(twice.as_bytes(), [], false).is_none(), "{twice}");
        }
    }

    /// A tag's attributes as quick-xml hands them: only the plainest form is read, every other
    /// left to the general path, which refuses or unescapes it.
    #[test]
    fn plain_attributes_read_the_plainest_form_only() {
        fn read(raw: &str) -> Option<[Option<&[u8]>; 2]> {
            plain_attributes(raw.as_bytes(), [b"a".as_slice(), b"b"])
        }
        assert_eq!(read(r#" a="1" b="x y""#), Some([Some(&b"1"[..]), Some(&b"x y"[..])]));
        assert_eq!(read(" b=\"2\"\tc=\"3\"  "), Some([None, Some(&b"2"[..])]));
        assert_eq!(read(""), Some([None, None]));
        assert_eq!(read(r#" a="""#), Some([Some(&b""[..]), None]));
        for raw in [
            r#" a="1" a="2""#,
            r#" x:a="1""#,
            r#" a='1'"#,
            r#" a = "1""#,
            r#" a="&amp;""#,
            r#" a="é""#,
            " a=\"1\tx\"",
            r#" a="1"b="2""#,
            r#" a="1" /"#,
            r#" a="1"#,
            r#" a"#,
        ] {
            assert_eq!(read(raw), None, "{raw}");
        }
    }

    #[test]
    fn structure_errors() {
        let e = walk("").unwrap_err();
        assert!(e.message.contains("no <coverage> element"), "{e}");
        let e = walk("<report/>").unwrap_err();
        assert!(e.message.contains("not a Cobertura report"), "{e}");
        let e = walk("<coverage/>\n<coverage/>").unwrap_err();
        assert_eq!((e.line, e.column), (Some(2), Some(1)));
        let e = walk("<coverage>\n<packages>").unwrap_err();
        assert!(e.message.contains("inside <packages>"), "{e}");
        assert_eq!(e.line, Some(2));
        let e = walk("<coverage/>trailing").unwrap_err();
        assert!(e.message.contains("outside the root"), "{e}");
        for after in ["&amp;", "&#65;", "\n&lt;\n"] {
            let e = walk(&format!("<coverage/>{after}")).unwrap_err();
            assert!(e.message.contains("outside the root"), "{after}: {e}");
        }
        assert!(walk("<coverage/>\n<!-- c --><?pi x?>\n").is_ok(), "comments and processing instructions may follow");
        let e = walk(&"<x>".repeat(MAX_DEPTH + 1).replacen("<x>", "<coverage>", 1)).unwrap_err();
        assert!(e.message.contains("nested more than"), "{e}");
    }

    /// Takes every tag in the plain form, counting them.
    fn take_all(count: &mut usize) -> impl FnMut(&[u8]) -> Option<usize> + '_ {
        |s| {
            let mut attrs = HotAttrs::new(s, 0);
            while attrs.next()?.is_some() {}
            *count += 1;
            Some(attrs.used())
        }
    }

    #[test]
    fn hot_tags_keep_positions() {
        let xml = "<coverage><lines>\n  <line a=\"1\"/>\r\n\t<line b=\"x y\"  c=\"2\" />\n<line d='3'/><x/></lines></coverage>";
        let input = Source::bytes("t.xml", xml.as_bytes());
        let mut w = Walker::new(&input, "coverage", "Cobertura").unwrap();
        let mut buf = Vec::new();
        w.next(&mut buf).unwrap();
        w.next(&mut buf).unwrap();
        assert!(w.inside(&["coverage", "lines"]));
        let mut count = 0;
        w.hot_tags(b"<line", take_all(&mut count));
        assert_eq!(count, 2, "single quotes are left to quick-xml");
        assert_eq!(w.position(), xml.find("\n<line d").unwrap() as u64);
        let Event::Empty(e) = w.next(&mut buf).unwrap() else { panic!("no <line>") };
        assert_eq!(e.name().0, "line");
        assert_eq!(w.tag_start(), xml.find("<line d").unwrap() as u64);
        let Event::Empty(_) = w.next(&mut buf).unwrap() else { panic!("no <x/>") };
        assert_eq!(w.tag_start(), xml.find("<x/>").unwrap() as u64);
        assert!(matches!(w.next(&mut buf).unwrap(), Event::End(_)));
        assert!(!w.inside(&["lines"]));
        let bad = "<coverage><lines><line a=\"1\"/>\n<line a=\"2\"/></line></coverage>";
        let e = walk_hot(bad).unwrap_err();
        assert_eq!((e.line, e.column), (Some(2), Some(14)), "{e}");
        assert_eq!(e, walk(bad).unwrap_err());
    }

    /// [`walk`], with every `<line>` that can be read by the hot path.
    fn walk_hot(xml: &str) -> Result<usize, ParseError> {
        let input = Source::bytes("t.xml", xml.as_bytes());
        let mut w = Walker::new(&input, "coverage", "Cobertura")?;
        let (mut buf, mut count) = (Vec::new(), 0);
        loop {
            w.hot_tags(b"<line", take_all(&mut count));
            if let Event::Eof = w.next(&mut buf)? {
                return Ok(count);
            }
        }
    }

    #[test]
    fn hot_attributes_take_only_the_plain_form() {
        for (tag, plain) in [
            (" a=\"1\"/>", true),
            ("\ta=\"1\"\r\n b-c:d.e_f=\"x y\"  />", true),
            (" a=\"1\"b=\"2\"/>", false),
            (" a='1'/>", false),
            (" a =\"1\"/>", false),
            (" a=\"&amp;\"/>", false),
            (" a=\"<\"/>", false),
            (" a=\">\"/>", false),
            (" a=\"\t\"/>", false),
            (" a=\"é\"/>", false),
            (" a=\"1\"", false),
            (" a=\"1\" />x", true),
            (" a=\"1\" / >", false),
            (" a=\"1\">", false),
            (" =\"1\"/>", false),
            (" a/>", false),
        ] {
            let mut attrs = HotAttrs::new(tag.as_bytes(), 0);
            let read = (|| {
                while attrs.next()?.is_some() {}
                Some(attrs.used())
            })();
            assert_eq!(read, plain.then(|| tag.find("/>").unwrap() + 2), "{tag:?}");
        }
    }

    #[test]
    fn plain_digits_read_the_producers_form() {
        let keys: [&[u8]; 2] = [b" n=\"", b"\" h=\""];
        assert_eq!(plain_digits(b" n=\"12\" h=\"3\"/>      ", keys), Some(([12, 3], 13)));
        assert_eq!(plain_digits(b" n=\"12\" h=\"3\"", keys), None, "fewer than eight bytes after a number");
        assert_eq!(plain_digits(b" n=\"12345678\" h=\"3\"/>      ", keys), None);
        assert_eq!(plain_digits(b" n=\"\" h=\"3\"/>      ", keys), None);
        assert_eq!(plain_digits(b" n=\"1 \" h=\"3\"/>      ", keys), None);
        assert_eq!(plain_digits(b" h=\"3\" n=\"12\"/>      ", keys), None);
    }

    #[test]
    fn entities_are_never_expanded() {
        let e = walk("<!DOCTYPE c [<!ENTITY x \"y\">]>\n<coverage>&x;</coverage>").unwrap_err();
        assert!(e.message.contains("&x;"), "{e}");
        assert_eq!(e.line, Some(2));
        assert!(walk("<coverage>&amp;&#65;</coverage>").is_ok());
    }
}
