//! An opened input: bytes by ranges, the head detection looks at, and pieces for parallel readers.

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, Read};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use super::SNIFF_LEN;

/// An opened report, read by ranges: a regular file on disk, or bytes in memory (a stream read
/// to its end, or bytes given by a test). Cheap to clone; shared by the threads of a parallel
/// reader.
#[derive(Clone, Debug)]
pub struct Source {
    name: String,
    data: Data,
    len: u64,
    head: Arc<[u8]>,
    /// The folder of a report on disk, where the files it names are looked for.
    dir: Option<PathBuf>,
    split: Split,
}

#[derive(Clone, Debug)]
enum Data {
    File(Arc<File>),
    Memory(Arc<[u8]>),
}

/// How a large input is read in parallel: set once, for every reader.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Split {
    /// How many pieces (and threads); 1 reads every input in one go.
    pub threads: usize,
    /// Inputs smaller than this are read in one go.
    pub min_len: u64,
}

impl Split {
    /// One piece per core (at most 8) for inputs of 32 MiB or more; `TEMIS_SPLIT=THREADS,BYTES`
    /// (`2,0`) says otherwise, for tests: the fuzzer reads every input in pieces as small as
    /// they go, which must read as one walk does.
    pub fn auto() -> Self {
        static AUTO: OnceLock<Split> = OnceLock::new();
        *AUTO.get_or_init(|| {
            let threads = std::thread::available_parallelism().map_or(1, usize::from).min(8);
            let auto = Self { threads, min_len: 32 << 20 };
            let Ok(asked) = std::env::var("TEMIS_SPLIT") else { return auto };
            Self::parse(&asked).unwrap_or_else(|| {
                tracing::warn!("TEMIS_SPLIT={asked:?} is not THREADS,BYTES (threads 1 to 64); the default applies");
                auto
            })
        })
    }

    /// `THREADS,BYTES` (`2,0`), as `TEMIS_SPLIT` gives it.
    fn parse(text: &str) -> Option<Self> {
        let (threads, min_len) = text.split_once(',')?;
        let threads: usize = threads.trim().parse().ok()?;
        (1..=64).contains(&threads).then_some(Self { threads, min_len: min_len.trim().parse().ok()? })
    }

    /// Every input read in one go.
    pub fn none() -> Self {
        Self { threads: 1, min_len: u64::MAX }
    }
}

/// One piece of a source cut for parallel reading: bytes `from..to`, the `index`-th.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Piece {
    pub index: usize,
    pub from: u64,
    pub to: u64,
}

impl Source {
    /// Bytes in memory, named `name` (tests, and what [`super::Input::open`] read from a stream).
    pub fn memory(name: impl Into<String>, bytes: Arc<[u8]>) -> Self {
        let head: Arc<[u8]> = bytes[..bytes.len().min(SNIFF_LEN)].into();
        let len = bytes.len() as u64;
        Self { name: name.into(), data: Data::Memory(bytes), len, head, dir: None, split: Split::auto() }
    }

    /// Bytes in memory, for tests: `Source::bytes("x.info", "SF:a\n…")`.
    pub fn bytes(name: impl Into<String>, bytes: impl AsRef<[u8]>) -> Self {
        Self::memory(name, bytes.as_ref().into())
    }

    /// Opens the report at `path` ([`super::Input::open`]).
    pub fn open(path: impl AsRef<std::path::Path>) -> Result<Self, super::OpenError> {
        super::Input::file(path).open()
    }

    /// A regular file of `len` bytes, open.
    pub(super) fn regular(name: String, file: File, len: u64) -> io::Result<Self> {
        let file = Arc::new(file);
        let mut head = vec![0u8; (len as usize).min(SNIFF_LEN)];
        let mut got = 0;
        while got < head.len() {
            match read_at(&file, &mut head[got..], got as u64) {
                Ok(0) => break,
                Ok(n) => got += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        head.truncate(got);
        Ok(Self { name, data: Data::File(file), len, head: head.into(), dir: None, split: Split::auto() })
    }

    /// The same source, its named files looked for in `dir`.
    pub(super) fn beside(mut self, dir: Option<PathBuf>) -> Self {
        self.dir = dir;
        self
    }

    /// The same source, read in parallel as `split` says (tests vary it).
    pub fn with_split(mut self, split: Split) -> Self {
        self.split = split;
        self
    }

    /// Whether the source is read in pieces, one per thread: it is large, and there is more than
    /// one thread ([`Split`]).
    pub fn splits(&self) -> bool {
        self.len >= self.split.min_len.max(1) && self.split.threads >= 2
    }

    /// How many bytes a reader that reads a large source a chunk at a time from memory takes at
    /// once: a sixteenth of [`Split::min_len`] (2 MiB by default: what a chunk expands to in
    /// memory, one chunk per thread, stays small), at least 64 bytes; `None` when the source is
    /// smaller than `min_len` (read it in one go).
    pub fn chunk_len(&self) -> Option<u64> {
        (self.len >= self.split.min_len).then(|| (self.split.min_len / 16).clamp(64, 2 << 20))
    }

    /// How many threads the source is read on at once (1: in one go).
    pub fn threads(&self) -> usize {
        self.split.threads.max(1)
    }

    /// The name errors and reports use.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// How many bytes the source holds.
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The first bytes (at most [`SNIFF_LEN`]), read when the source was opened.
    pub fn head(&self) -> &[u8] {
        &self.head
    }

    /// Whether the source is a file on disk, whose folder holds the files it names.
    pub fn on_disk(&self) -> bool {
        self.dir.is_some()
    }

    /// The folder a report on disk is in.
    pub(super) fn dir(&self) -> Option<&std::path::Path> {
        self.dir.as_deref()
    }

    /// A reader over the whole source.
    pub fn reader(&self) -> Range<'_> {
        self.range(0, self.len)
    }

    /// A reader over bytes `from..to` (clamped to the source).
    pub fn range(&self, from: u64, to: u64) -> Range<'_> {
        let to = to.min(self.len);
        Range { data: &self.data, at: from.min(to), end: to }
    }

    /// Bytes `from..to` (clamped to the source): borrowed from memory, read from a file.
    pub fn bytes_at(&self, from: u64, to: u64) -> io::Result<Cow<'_, [u8]>> {
        let to = to.min(self.len);
        let from = from.min(to);
        match &self.data {
            Data::Memory(b) => Ok(Cow::Borrowed(&b[from as usize..to as usize])),
            Data::File(_) => {
                let mut out = Vec::with_capacity((to - from) as usize);
                self.range(from, to).read_to_end(&mut out)?;
                Ok(Cow::Owned(out))
            }
        }
    }

    /// Where to cut the source into one piece per thread: near each equal share, where `start`
    /// (given the bytes from there on, at least 64 KiB of them where the source has them) says a
    /// record begins. The points include 0 and the end; empty when the source is read in one go
    /// (small, one thread, or no record begins where a cut should go).
    pub fn cuts(&self, start: impl Fn(&[u8]) -> Option<usize>) -> Vec<u64> {
        self.cuts_in(0, self.len, start)
    }

    /// [`Source::cuts`] of the bytes `from..to` alone (one part of a document, read in pieces
    /// of its own): the points include `from` and `to`; empty when that part is small.
    pub fn cuts_in(&self, from: u64, to: u64, start: impl Fn(&[u8]) -> Option<usize>) -> Vec<u64> {
        let threads = self.split.threads as u64;
        let len = to.saturating_sub(from);
        if len < self.split.min_len.max(1) || threads < 2 {
            return Vec::new();
        }
        let mut cuts = vec![from];
        for k in 1..threads {
            let nominal = from + len * k / threads;
            // A record is rarely longer than 64 KiB: look that far first, then up to 4 MiB.
            let mut found = None;
            for reach in [64u64 << 10, 4 << 20] {
                let Ok(window) = self.bytes_at(nominal, (nominal + reach).min(to)) else { break };
                found = start(&window);
                if found.is_some() || (window.len() as u64) < reach {
                    break;
                }
            }
            let Some(i) = found else { continue };
            let cut = nominal + i as u64;
            if cut > *cuts.last().expect("not empty") && cut < to {
                cuts.push(cut);
            }
        }
        cuts.push(to);
        if cuts.len() > 2 { cuts } else { Vec::new() }
    }

    /// Reads the pieces `cuts[i]..cuts[i + 1]` on threads of their own, one each: `read` gets
    /// each [`Piece`] and reads it through [`Source::range`]. The results in order; `None` for a
    /// piece whose thread panicked.
    pub fn in_pieces<T: Send>(&self, cuts: &[u64], read: impl Fn(Piece) -> T + Sync) -> Vec<Option<T>> {
        let read = &read;
        std::thread::scope(|scope| {
            let handles: Vec<_> = cuts
                .windows(2)
                .enumerate()
                .map(|(index, w)| scope.spawn(move || read(Piece { index, from: w[0], to: w[1] })))
                .collect();
            handles.into_iter().map(|h| h.join().ok()).collect()
        })
    }
}

/// A reader over a byte range of a [`Source`]; reading a file does not move any shared cursor,
/// so any number of ranges are read at once.
#[derive(Debug)]
pub struct Range<'a> {
    data: &'a Data,
    at: u64,
    end: u64,
}

impl Read for Range<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let want = buf.len().min((self.end - self.at) as usize);
        if want == 0 {
            return Ok(0);
        }
        let n = match self.data {
            Data::Memory(b) => {
                let at = self.at as usize;
                buf[..want].copy_from_slice(&b[at..at + want]);
                want
            }
            Data::File(f) => read_at(f, &mut buf[..want], self.at)?,
        };
        self.at += n as u64;
        Ok(n)
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, offset)
}

#[cfg(windows)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_split_asked_for_is_threads_and_bytes() {
        assert_eq!(Split::parse("2,0"), Some(Split { threads: 2, min_len: 0 }));
        assert_eq!(Split::parse(" 4 , 1048576 "), Some(Split { threads: 4, min_len: 1 << 20 }));
        for bad in ["", "2", "0,0", "65,0", "x,1", "2,-1", "2,1,3"] {
            assert_eq!(Split::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn cuts_stand_where_records_begin() {
        let text = "SF:a\nDA:1,1\nend_of_record\n".repeat(1000);
        let s = Source::bytes("t", &text).with_split(Split { threads: 4, min_len: 0 });
        let cuts = s.cuts(|w| memchr::memmem::find(w, b"\nSF:").map(|i| i + 1));
        assert_eq!(cuts.len(), 5);
        assert!(cuts[1..4].iter().all(|&c| text.as_bytes()[c as usize..].starts_with(b"SF:")));
        let read = s.in_pieces(&cuts, |p| {
            let mut out = String::new();
            s.range(p.from, p.to).read_to_string(&mut out).unwrap();
            out
        });
        assert_eq!(read.into_iter().map(Option::unwrap).collect::<String>(), text);
        assert!(s.clone().with_split(Split::none()).cuts(|_| Some(0)).is_empty());
    }
}
