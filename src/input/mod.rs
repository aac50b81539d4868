//! The input side: what to read ([`Input`]), opened once into a [`Source`] that the readers
//! take, and everything about bytes that is not a format's business.
//!
//! Readers never open, seek or spawn. An [`Input`] is opened once ([`Input::open`]): a regular
//! file stays open and is read by ranges (random access, so large reports are read in pieces on
//! several threads); anything else (`-`, a pipe, `/dev/fd/N`, a FIFO, a character device) is read
//! once, as a stream, into memory, up to a limit ([`max_stream_bytes`]). Format detection looks
//! at the bytes already read ([`Source::head`]); nothing is read twice from a stream.
//!
//! A reader that reads in parallel asks the source where to cut ([`Source::cuts`], the reader
//! saying only where its records begin) and to read the pieces ([`Source::in_pieces`], one
//! thread each, as many as [`Split`] says, set once). A report that names other files (a
//! Lighthouse CI manifest and its runs) asks for them through [`Source::sibling`].

mod sibling;
mod source;

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use self::sibling::{Sibling, SiblingError};
pub use self::source::{Piece, Range, Source, Split};

/// How many bytes format detection looks at.
pub const SNIFF_LEN: usize = 64 * 1024;

/// The most bytes read from a stream when `TEMIS_MAX_INPUT` does not say: 1 GiB (a larger
/// report is read from a file, by ranges, without a limit).
pub const DEFAULT_MAX_STREAM: u64 = 1 << 30;

/// A report to read, not yet opened: a path, standard input, or bytes (tests, merged inputs).
#[derive(Clone, Debug)]
pub struct Input {
    name: String,
    origin: Origin,
}

#[derive(Clone, Debug)]
enum Origin {
    Path(PathBuf),
    Stdin,
    Bytes(Arc<[u8]>),
}

/// Why an input could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("cannot read it: {source}")]
    Io {
        #[source]
        source: io::Error,
    },
    #[error("it is a directory, not a report")]
    Directory,
    #[error("this stream is binary (a NUL byte in its first 8 KiB), not a report")]
    Binary,
    #[error(
        "more than {limit} bytes came from this stream (a pipe, a FIFO or standard input), the most temis \
         keeps in memory"
    )]
    TooLarge { limit: u64 },
}

impl OpenError {
    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            OpenError::Io { .. } => None,
            OpenError::Directory => Some("name the report files in it".into()),
            OpenError::Binary => None,
            OpenError::TooLarge { .. } => Some(
                "write the report to a file and name the file (a file is read from disk, without a limit), or raise \
                 TEMIS_MAX_INPUT (a number of bytes)"
                    .into(),
            ),
        }
    }
}

impl From<io::Error> for OpenError {
    fn from(source: io::Error) -> Self {
        OpenError::Io { source }
    }
}

impl Input {
    /// A report on disk (or any path: a FIFO, `/dev/stdin`…); `name` is how errors will name it.
    pub fn file(path: impl AsRef<Path>) -> Self {
        let path = path.as_ref();
        Self { name: path.display().to_string(), origin: Origin::Path(path.to_path_buf()) }
    }

    /// Standard input (`-` on the command line), named `<stdin>`.
    pub fn stdin() -> Self {
        Self { name: "<stdin>".into(), origin: Origin::Stdin }
    }

    pub fn bytes(name: impl Into<String>, bytes: impl Into<Arc<[u8]>>) -> Self {
        Self { name: name.into(), origin: Origin::Bytes(bytes.into()) }
    }

    /// The name errors and reports use for this input.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The path, for an input on disk.
    pub fn path(&self) -> Option<&Path> {
        match &self.origin {
            Origin::Path(p) => Some(p),
            _ => None,
        }
    }

    /// Opens the input, once: a regular file for reading by ranges, anything else read to its
    /// end into memory (at most [`max_stream_bytes`]).
    pub fn open(&self) -> Result<Source, OpenError> {
        match &self.origin {
            Origin::Bytes(b) => Ok(Source::memory(self.name.clone(), b.clone())),
            Origin::Stdin => {
                let bytes = read_stream(io::stdin().lock(), max_stream_bytes())?;
                Ok(Source::memory(self.name.clone(), bytes.into()))
            }
            Origin::Path(p) => {
                let file = open_file(p, &self.name)?;
                let meta = file.metadata()?;
                if meta.is_dir() {
                    return Err(OpenError::Directory);
                }
                let dir = p.parent().map(|d| if d.as_os_str().is_empty() { Path::new(".") } else { d });
                // A regular file of length 0 may still have bytes to read (`/proc` files): read
                // it as a stream, as anything that cannot be read by ranges.
                let source = if meta.is_file() && meta.len() > 0 {
                    Source::regular(self.name.clone(), file, meta.len())?
                } else {
                    let bytes = read_stream(file, max_stream_bytes())?;
                    Source::memory(self.name.clone(), bytes.into())
                };
                Ok(source.beside(dir.map(Path::to_path_buf)))
            }
        }
    }
}

/// Opens `path`. A FIFO's `open` waits until something opens it for writing, as `cat` does:
/// after a second without one, a warning says what temis is waiting for (a hook or a CI step
/// that seems stuck says why).
fn open_file(path: &Path, name: &str) -> io::Result<File> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        use std::sync::mpsc::{RecvTimeoutError, channel};
        if std::fs::metadata(path).is_ok_and(|m| m.file_type().is_fifo()) {
            let (sent, opened) = channel();
            let fifo = path.to_path_buf();
            std::thread::spawn(move || sent.send(File::open(fifo)));
            let gone = || io::Error::other("the thread opening the FIFO ended");
            return match opened.recv_timeout(std::time::Duration::from_secs(1)) {
                Ok(file) => file,
                Err(RecvTimeoutError::Timeout) => {
                    tracing::warn!(
                        "{name} is a FIFO that nothing has opened for writing: waiting for its writer (Ctrl-C stops)"
                    );
                    opened.recv().unwrap_or_else(|_| Err(gone()))
                }
                Err(RecvTimeoutError::Disconnected) => Err(gone()),
            };
        }
    }
    let _ = name;
    File::open(path)
}

/// The most bytes temis reads from a stream: `TEMIS_MAX_INPUT` (a number of bytes) when set,
/// else [`DEFAULT_MAX_STREAM`].
pub fn max_stream_bytes() -> u64 {
    match std::env::var("TEMIS_MAX_INPUT") {
        Ok(v) => match v.trim().parse::<u64>() {
            Ok(n) => n,
            Err(_) => {
                tracing::warn!("TEMIS_MAX_INPUT={v:?} is not a number of bytes; the default applies");
                DEFAULT_MAX_STREAM
            }
        },
        Err(_) => DEFAULT_MAX_STREAM,
    }
}

/// Reads `reader` to its end, refusing more than `limit` bytes, and refusing at once a stream
/// whose first bytes are binary (a NUL in its first 8 KiB: `/dev/zero`, an image), which no
/// report is, before holding gigabytes of it.
fn read_stream(reader: impl Read, limit: u64) -> Result<Vec<u8>, OpenError> {
    let mut bytes = Vec::new();
    let mut reader = reader.take(limit.saturating_add(1));
    (&mut reader).take(8192).read_to_end(&mut bytes)?;
    if bytes.contains(&0) {
        return Err(OpenError::Binary);
    }
    reader.read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(OpenError::TooLarge { limit });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_bounded() {
        assert_eq!(read_stream(&b"12345"[..], 5).unwrap(), b"12345");
        assert!(matches!(read_stream(&b"123456"[..], 5), Err(OpenError::TooLarge { limit: 5 })));
    }

    #[test]
    fn a_regular_file_is_read_by_ranges_and_a_directory_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.info");
        std::fs::write(&path, b"SF:a\nend_of_record\n").unwrap();
        let source = Input::file(&path).open().unwrap();
        assert_eq!(source.len(), 19);
        assert_eq!(source.head(), b"SF:a\nend_of_record\n");
        assert_eq!(&*source.bytes_at(3, 5).unwrap(), b"a\n");
        assert!(matches!(Input::file(dir.path()).open(), Err(OpenError::Directory)));
    }
}
