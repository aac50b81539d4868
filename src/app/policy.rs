//! Which policy applies: `--policy FILE`, else `temis.toml` at the repository root, else the
//! embedded default.

use std::path::Path;

use crate::error::Error;
use crate::policy::{DEFAULT_POLICY, Policy};

/// The policy file at the repository root, read when no `--policy` names another.
pub const FILE: &str = "temis.toml";

/// The policy's text and how it is named (relative to the root, as report paths are: waiver
/// locations and SARIF need it so); `None` for the embedded default.
pub struct Source {
    pub name: String,
    /// The file it was read from; `None` for the embedded default.
    pub file: Option<std::path::PathBuf>,
    pub text: String,
}

/// The text of the policy that applies: `explicit`, else `temis.toml` at `root`, else the
/// embedded default (`policies/default.toml`).
pub fn source(explicit: Option<&Path>, root: &Path) -> Result<Source, Error> {
    // A root that is no folder (`--root` with a typo, another machine's path) holds no policy:
    // the embedded default judged reports the repository's own policy blocks.
    if !root.is_dir() {
        return Err(Error::usage(format!(
            "the repository root {} is not a folder: its policy and its files cannot be read; nothing was judged — \
             give the repository's folder with --root",
            root.display()
        )));
    }
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => {
            let candidate = root.join(FILE);
            // Nothing there at all: the default. Anything else there (a link to a file moved
            // away, a folder, a pipe) is a policy the user meant and temis cannot read — never
            // the default in its place.
            if std::fs::symlink_metadata(&candidate).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound) {
                tracing::info!("no temis.toml at {}; using the embedded default policy", root.display());
                return Ok(Source { name: crate::policy::EMBEDDED.into(), file: None, text: DEFAULT_POLICY.into() });
            }
            candidate
        }
    };
    match std::fs::metadata(&path) {
        Ok(m) if m.is_file() => {}
        // `--policy <(generate-policy)`: a pipe named on the command line is read.
        Ok(m) if explicit.is_some() && !m.is_dir() => {}
        Ok(_) => {
            return Err(Error::usage(format!(
                "the policy {} is not a file (a folder, a pipe or a device): temis reads its policy from a TOML \
                 file; nothing was judged",
                path.display()
            )));
        }
        Err(e) => {
            let link = std::fs::read_link(&path).map(|t| format!(" (a link to {}, which is not there)", t.display()));
            return Err(Error::usage(format!(
                "the policy {} cannot be read{}: {e}; nothing was judged — restore it, or name another with --policy",
                path.display(),
                link.unwrap_or_default()
            )));
        }
    }
    let text =
        std::fs::read_to_string(&path).map_err(|e| Error::Read { path: path.display().to_string(), source: e })?;
    let name = super::reports::shown_path(&path.display().to_string(), root);
    Ok(Source { name, file: Some(path), text })
}

/// A `temis.toml` in `cwd` or a folder between it and `root` (not `root`'s own): the policy of a
/// package of a monorepo, which a run from inside that package does not read — the root's is.
pub fn nearer(cwd: &Path, root: &Path) -> Option<std::path::PathBuf> {
    let (cwd, root) = (cwd.canonicalize().ok()?, root.canonicalize().ok()?);
    cwd.ancestors().take_while(|d| *d != root && d.starts_with(&root)).map(|d| d.join(FILE)).find(|p| p.exists())
}

/// `explicit`, else `temis.toml` at `root`, else the embedded default, validated.
pub fn load(explicit: Option<&Path>, root: &Path) -> Result<Policy, Error> {
    let source = source(explicit, root)?;
    match source.file {
        None => Ok(Policy::embedded_default()),
        Some(_) => Ok(Policy::parse(&source.name, &source.text)?),
    }
}
