//! Test support for the XML readers that read large reports in pieces (Cobertura, JaCoCo): every
//! way of reading one report — the hot path or the general one, any read buffer, one walk, cut
//! in pieces, on threads — must give the same files, notes and errors.

use std::ops::RangeInclusive;

use super::Meta;
use super::xml_walk::{Tuning, damaged};
use crate::input::{Source, Split};
use crate::model::{Coverage, CoverageBuilder, DetailSet, FileDetail, Sink};
use crate::parsers::ParseError;

/// One reader's entry points.
pub struct Reader {
    /// The file name inputs are given.
    pub name: &'static str,
    pub parse_tuned: fn(&Source, &mut dyn Sink, Tuning) -> Result<Meta, ParseError>,
    /// The pieces between the cuts; `None` when they must be read in one walk.
    pub parse_pieces: fn(&Source, &[u64], &mut CoverageBuilder, Tuning) -> Option<Meta>,
}

impl Reader {
    pub fn input(&self, bytes: impl Into<Vec<u8>>) -> Source {
        Source::bytes(self.name, bytes.into())
    }

    /// One walk over `input`: the summary, the notes, or the error.
    pub fn one_walk(&self, input: &Source) -> Result<(Coverage, Meta), ParseError> {
        self.summary(&on(input, 1), Tuning::default())
    }

    /// Read with `tuning`, summarized.
    pub fn summary(&self, input: &Source, tuning: Tuning) -> Result<(Coverage, Meta), ParseError> {
        let mut builder = CoverageBuilder::new();
        let meta = (self.parse_tuned)(input, &mut builder, tuning)?;
        Ok((builder.finish(), meta))
    }

    /// The pieces between `cuts`: `None` when they must be read in one walk.
    pub fn in_pieces(&self, input: &Source, cuts: &[u64], tuning: Tuning) -> Option<(Coverage, Meta)> {
        let mut builder = CoverageBuilder::new();
        let meta = (self.parse_pieces)(input, cuts, &mut builder, tuning)?;
        Some((builder.finish(), meta))
    }

    /// `input` cut into each of `pieces` on threads reads as one walk reads it (errors included).
    pub fn threads_agree(&self, input: &Source, pieces: RangeInclusive<usize>) {
        let one = self.one_walk(input);
        for pieces in pieces {
            let read = self.summary(&on(input, pieces), Tuning::default());
            assert_eq!(read, one, "{pieces} pieces");
        }
    }

    /// The files `xml` holds, after checking that every read buffer in `capacities` and both
    /// paths read the same.
    pub fn same_these_ways(
        &self,
        xml: &[u8],
        capacities: impl Iterator<Item = usize>,
    ) -> Result<Vec<FileDetail>, ParseError> {
        let input = self.input(xml);
        let read = |capacity, hot| {
            let mut set = DetailSet::new();
            let meta = (self.parse_tuned)(&input, &mut set, Tuning { capacity, hot });
            set.sort();
            meta.map(|meta| (set.files, meta))
        };
        let expected = read(1 << 20, false);
        for capacity in capacities.chain([1 << 20]) {
            for hot in [true, false] {
                assert_eq!(read(capacity, hot), expected, "buffer of {capacity} bytes, hot path {hot}");
            }
        }
        expected.map(|(files, _)| files)
    }

    /// [`Reader::same_these_ways`] over the buffer sizes that cut tags and numbers anywhere.
    pub fn same_every_way(&self, xml: &[u8]) -> Result<Vec<FileDetail>, ParseError> {
        self.same_these_ways(xml, (1..=48).chain([61, 64, 97, 997, 4096]))
    }

    /// Damaged copies of `xml` read alike every way: both paths, small buffers, cut in two before
    /// the middle `cut` tag, and on three threads.
    pub fn damaged_read_alike(&self, xml: &str, cut: &str) {
        let tuning = Tuning::default();
        for bytes in damaged(xml, 300) {
            let shown = String::from_utf8_lossy(&bytes).into_owned();
            let input = self.input(bytes.clone());
            let read = |tuning: Tuning| {
                let mut set = DetailSet::new();
                let meta = (self.parse_tuned)(&input, &mut set, tuning);
                set.sort();
                meta.map(|meta| (set.files, meta))
            };
            let plain = read(Tuning { hot: false, ..tuning });
            for capacity in [5, 64, 1 << 20] {
                assert_eq!(read(Tuning { capacity, ..tuning }), plain, "{shown}");
            }
            let one = self.one_walk(&input);
            let tags: Vec<u64> = memchr::memmem::find_iter(&bytes, cut.as_bytes()).map(|i| i as u64).collect();
            if let (Ok(one), Some(&at)) = (&one, tags.get(tags.len() / 2))
                && let Some(pieces) = self.in_pieces(&input, &[0, at, bytes.len() as u64], tuning)
            {
                assert_eq!(&pieces, one, "{shown}");
            }
            let three = self.summary(&on(&input, 3), tuning);
            assert_eq!(three, one, "{shown}");
        }
    }
}

/// `source` read on `threads` threads, whatever its size.
pub fn on(source: &Source, threads: usize) -> Source {
    source.clone().with_split(Split { threads, min_len: 0 })
}
