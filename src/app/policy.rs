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
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => {
            let candidate = root.join(FILE);
            if !candidate.is_file() {
                tracing::info!("no temis.toml at {}; using the embedded default policy", root.display());
                return Ok(Source { name: "embedded default policy".into(), file: None, text: DEFAULT_POLICY.into() });
            }
            candidate
        }
    };
    let text =
        std::fs::read_to_string(&path).map_err(|e| Error::Read { path: path.display().to_string(), source: e })?;
    let name = super::reports::shown_path(&path.display().to_string(), root);
    Ok(Source { name, file: Some(path), text })
}

/// `explicit`, else `temis.toml` at `root`, else the embedded default, validated.
pub fn load(explicit: Option<&Path>, root: &Path) -> Result<Policy, Error> {
    let source = source(explicit, root)?;
    match source.file {
        None => Ok(Policy::embedded_default()),
        Some(_) => Ok(Policy::parse(&source.name, &source.text)?),
    }
}
