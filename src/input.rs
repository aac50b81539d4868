//! A report to read: a file on disk, or bytes (standard input, tests).
//!
//! Parsers stream from [`Input::reader`]; the LCOV parser may come back for a byte range
//! ([`Input::read_range`]) when a file's records are repeated and must be merged exactly.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How many bytes format detection looks at.
pub const SNIFF_LEN: usize = 64 * 1024;

#[derive(Clone, Debug)]
pub struct Input {
    name: String,
    source: Source,
}

#[derive(Clone, Debug)]
enum Source {
    File(PathBuf),
    Bytes(Arc<[u8]>),
}

impl Input {
    /// A report on disk; `name` is how errors will name it.
    pub fn file(path: impl AsRef<Path>) -> Self {
        let path = path.as_ref();
        Self { name: path.display().to_string(), source: Source::File(path.to_path_buf()) }
    }

    pub fn bytes(name: impl Into<String>, bytes: impl Into<Arc<[u8]>>) -> Self {
        Self { name: name.into(), source: Source::Bytes(bytes.into()) }
    }

    /// The name errors and reports use for this input.
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn path(&self) -> Option<&Path> {
        match &self.source {
            Source::File(p) => Some(p),
            Source::Bytes(_) => None,
        }
    }

    pub fn reader(&self) -> io::Result<Box<dyn Read + '_>> {
        Ok(match &self.source {
            Source::File(p) => Box::new(File::open(p)?),
            Source::Bytes(b) => Box::new(&b[..]),
        })
    }

    /// The first [`SNIFF_LEN`] bytes (fewer when the input is shorter).
    pub fn sniff(&self) -> io::Result<Vec<u8>> {
        let mut buf = Vec::with_capacity(SNIFF_LEN);
        self.reader()?.take(SNIFF_LEN as u64).read_to_end(&mut buf)?;
        Ok(buf)
    }

    /// How many bytes the input holds.
    pub fn size(&self) -> io::Result<u64> {
        match &self.source {
            Source::File(p) => Ok(std::fs::metadata(p)?.len()),
            Source::Bytes(b) => Ok(b.len() as u64),
        }
    }

    /// A reader over bytes `start..end` of the input, for reading a large report in pieces.
    pub fn range_reader(&self, start: u64, end: u64) -> io::Result<Box<dyn Read + '_>> {
        Ok(match &self.source {
            Source::File(p) => {
                let mut f = File::open(p)?;
                f.seek(SeekFrom::Start(start))?;
                Box::new(f.take(end.saturating_sub(start)))
            }
            Source::Bytes(b) => {
                let len = b.len() as u64;
                let (from, to) = (start.min(len), end.min(len));
                Box::new(&b[from as usize..to.max(from) as usize])
            }
        })
    }

    /// Bytes `start..end` of the input.
    pub fn read_range(&self, start: u64, end: u64) -> io::Result<Vec<u8>> {
        match &self.source {
            Source::File(p) => {
                let mut f = File::open(p)?;
                f.seek(SeekFrom::Start(start))?;
                let mut buf = Vec::with_capacity(end.saturating_sub(start) as usize);
                f.take(end.saturating_sub(start)).read_to_end(&mut buf)?;
                Ok(buf)
            }
            Source::Bytes(b) => {
                let len = b.len() as u64;
                Ok(b[start.min(len) as usize..end.min(len) as usize].to_vec())
            }
        }
    }
}
