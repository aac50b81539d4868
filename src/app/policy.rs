//! Which policy applies: `--policy FILE`, else `temis.toml` at the repository root, else the
//! embedded default.

use std::path::Path;

use crate::error::Error;
use crate::policy::Policy;

/// `explicit`, else `temis.toml` at `root`, else the embedded default.
pub fn load(explicit: Option<&Path>, root: &Path) -> Result<Policy, Error> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => {
            let candidate = root.join("temis.toml");
            if !candidate.is_file() {
                tracing::info!("no temis.toml at {}; using the embedded default policy", root.display());
                return Ok(Policy::embedded_default());
            }
            candidate
        }
    };
    let text =
        std::fs::read_to_string(&path).map_err(|e| Error::Read { path: path.display().to_string(), source: e })?;
    // Named relative to the root, as report paths are: waiver locations and SARIF need it so.
    Ok(Policy::parse(&super::reports::shown_path(&path.display().to_string(), root), &text)?)
}
