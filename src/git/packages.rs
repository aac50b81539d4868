//! The work tree's packages, as their manifests name them: the Cargo workspace (from `cargo
//! metadata`, which honours `CARGO_TARGET_DIR` and `.cargo/config.toml`), `package.json` and
//! `pyproject.toml`. For commit scopes and for `temis init`'s report locations.

use std::collections::BTreeMap;
use std::path::Path;

/// The Cargo metadata of the workspace at `root`, without dependencies and offline.
fn cargo_metadata(root: &Path) -> Option<cargo_metadata::Metadata> {
    if !root.join("Cargo.toml").is_file() {
        return None;
    }
    cargo_metadata::MetadataCommand::new()
        .manifest_path(root.join("Cargo.toml"))
        .no_deps()
        .other_options(vec!["--offline".to_string()])
        .exec()
        .ok()
}

/// The Cargo target directory relative to `root`.
pub fn cargo_target_dir(root: &Path) -> Option<String> {
    let meta = cargo_metadata(root)?;
    let target = meta.target_directory.into_std_path_buf();
    let rel = target.strip_prefix(meta.workspace_root.as_std_path()).ok()?;
    Some(rel.display().to_string())
}

/// Names the package each path belongs to: the Cargo package whose folder holds it, else the
/// nearest `package.json` or `pyproject.toml` name.
pub fn packages(root: &Path, paths: &[&str]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let cargo = cargo_packages(root);
    for path in paths {
        let from_cargo = cargo
            .iter()
            .filter(|(dir, _)| dir.is_empty() || path.starts_with(&format!("{dir}/")))
            .max_by_key(|(dir, _)| dir.len())
            .map(|(_, name)| name.clone());
        if let Some(name) = from_cargo.or_else(|| manifest_name(root, path)) {
            out.insert((*path).to_string(), name);
        }
    }
    out
}

/// (package folder relative to the root, package name) for a Cargo workspace at the root.
fn cargo_packages(root: &Path) -> Vec<(String, String)> {
    let Some(meta) = cargo_metadata(root) else { return Vec::new() };
    let ws = meta.workspace_root.as_std_path().to_path_buf();
    meta.packages
        .iter()
        .filter_map(|p| {
            let dir = p.manifest_path.parent()?.as_std_path();
            let rel = dir.strip_prefix(&ws).ok()?.to_string_lossy().replace('\\', "/");
            Some((rel, p.name.to_string()))
        })
        .collect()
}

/// The `name` of the nearest `package.json` or `pyproject.toml` above `path`, up to the root.
fn manifest_name(root: &Path, path: &str) -> Option<String> {
    let mut dir = Path::new(path).parent();
    while let Some(d) = dir {
        let here = root.join(d);
        if let Ok(text) = std::fs::read_to_string(here.join("package.json"))
            && let Some(n) =
                serde_json::from_str::<serde_json::Value>(&text).ok().and_then(|v| v["name"].as_str().map(String::from))
        {
            return Some(n);
        }
        if let Ok(text) = std::fs::read_to_string(here.join("pyproject.toml"))
            && let Ok(v) = text.parse::<toml::Table>()
        {
            let name = v
                .get("project")
                .and_then(|p| p.get("name"))
                .or_else(|| v.get("tool").and_then(|t| t.get("poetry")).and_then(|p| p.get("name")));
            if let Some(n) = name.and_then(|n| n.as_str()) {
                return Some(n.to_string());
            }
        }
        if d.as_os_str().is_empty() {
            break;
        }
        dir = d.parent();
    }
    None
}
