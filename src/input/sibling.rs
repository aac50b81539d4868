//! Files a report names (the runs a Lighthouse CI manifest lists), opened beside it and only there.
//!
//! Where a named file is read from: only the report's folder. A relative path is taken from that
//! folder and may not leave it (`..`, or a link out of it, is refused). An absolute path (tools
//! write the paths of the machine that ran them) that lies inside the folder is read as it is;
//! any other is read from the folder by its file name (an artifact downloaded elsewhere keeps
//! the names), never from where it points.

use std::path::{Component, Path, PathBuf};

use super::{Input, OpenError, Source};

/// A file a report names, opened.
#[derive(Debug)]
pub struct Sibling {
    pub source: Source,
    /// Its file name, for messages.
    pub file_name: String,
    /// The canonical path it was read from (two entries naming one file are one file).
    pub path: PathBuf,
    /// Whether it was found by its file name rather than where the report said (an absolute
    /// path of another machine).
    pub relocated: bool,
}

/// Why a named file cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum SiblingError {
    #[error("the report is not a file on disk, so the files it names cannot be found")]
    NoFolder,
    #[error("{listed} names no file")]
    NoFile { listed: String },
    #[error("{name} leads out of the report's folder; not read")]
    LeadsOut { name: String },
    #[error("{listed} leaves the report's folder; temis reads only the files beside the report")]
    Leaves { listed: String },
    #[error("{listed} is not in the report's folder, and no {name} is beside the report ({})", beside.display())]
    MissingElsewhere { listed: String, name: String, beside: PathBuf },
    #[error("no {listed} in the report's folder ({})", path.display())]
    Missing { listed: String, path: PathBuf },
    #[error("cannot read {name}: {error}")]
    Open { name: String, error: OpenError },
}

impl Source {
    /// Opens the file `listed` names, beside this report (see the module's rules).
    pub fn sibling(&self, listed: &str) -> Result<Sibling, SiblingError> {
        let folder = self.dir().ok_or(SiblingError::NoFolder)?;
        let home = folder.canonicalize().map_err(|e| SiblingError::Open {
            name: folder.display().to_string(),
            error: OpenError::Io { source: e },
        })?;
        let (path, relocated) = resolve(folder, &home, listed)?;
        let file_name = path.file_name().map_or_else(|| listed.to_string(), |n| n.to_string_lossy().into_owned());
        let source =
            Input::file(&path).open().map_err(|error| SiblingError::Open { name: file_name.clone(), error })?;
        Ok(Sibling { source, file_name, path, relocated })
    }
}

/// Where the file `listed` is read from, and whether it was found by name.
fn resolve(folder: &Path, home: &Path, listed: &str) -> Result<(PathBuf, bool), SiblingError> {
    let windows_absolute = listed.starts_with("\\\\")
        || (listed.len() > 2 && listed.as_bytes()[0].is_ascii_alphabetic() && listed[1..].starts_with(":\\"));
    let path = Path::new(listed);
    let inside = |p: &Path| p.canonicalize().ok().filter(|c| c.starts_with(home) && c.is_file());
    if path.is_absolute() || windows_absolute {
        if let Some(c) = inside(path) {
            return Ok((c, false));
        }
        let name = listed.rsplit(['/', '\\']).next().unwrap_or(listed);
        if name.is_empty() || name == ".." || name == "." {
            return Err(SiblingError::NoFile { listed: listed.into() });
        }
        let beside = folder.join(name);
        return match inside(&beside) {
            Some(c) => Ok((c, true)),
            None if beside.exists() => Err(SiblingError::LeadsOut { name: name.into() }),
            None => Err(SiblingError::MissingElsewhere { listed: listed.into(), name: name.into(), beside }),
        };
    }
    if path.components().any(|c| !matches!(c, Component::Normal(_) | Component::CurDir)) {
        return Err(SiblingError::Leaves { listed: listed.into() });
    }
    let joined = folder.join(path);
    match inside(&joined) {
        Some(c) => Ok((c, false)),
        None if joined.exists() => Err(SiblingError::LeadsOut { name: listed.into() }),
        None => Err(SiblingError::Missing { listed: listed.into(), path: joined }),
    }
}
