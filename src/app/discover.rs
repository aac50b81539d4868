//! Where reports are found when the command line names none: the policy's `[reports]` paths and
//! globs, else the conventional locations of the common producers (each format's entry in the
//! format table says where its producers write it).

use std::path::{Path, PathBuf};

use crate::parsers::Kind;
use crate::parsers::table::{location_count, locations};

/// Conventional coverage report locations, relative to the repository root, with who writes them.
pub const COVERAGE_LOCATIONS: &[(&str, &str)] = &locations::<{ location_count(Kind::Coverage) }>(Kind::Coverage);

/// Conventional test report locations (every test format's); globs allowed.
pub const TEST_LOCATIONS: &[(&str, &str)] = &locations::<{ location_count(Kind::Tests) }>(Kind::Tests);

/// Conventional accessibility report locations; globs allowed.
pub const A11Y_LOCATIONS: &[(&str, &str)] = &locations::<{ location_count(Kind::A11y) }>(Kind::A11y);

/// Conventional benchmark report locations; globs allowed (`**` crosses directories).
pub const PERFORMANCE_LOCATIONS: &[(&str, &str)] =
    &locations::<{ location_count(Kind::Performance) }>(Kind::Performance);

/// Conventional security report locations; globs allowed.
pub const SECURITY_LOCATIONS: &[(&str, &str)] = &locations::<{ location_count(Kind::Security) }>(Kind::Security);

/// Whether a discovered security report is temis's own output (`temis gate --format sarif >
/// temis.sarif`), which must not be judged as a scan.
pub fn is_own_output(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("temis"))
}

/// Whether a `[reports]` entry is a glob (`*`, `?`, `[…]`), not a path.
pub fn is_glob(pattern: &str) -> bool {
    pattern.contains(['*', '?', '['])
}

/// The files matching `patterns` (paths or globs, relative to `root`), in order, without
/// duplicates; and the patterns as shown to the user. A symbolic link to nothing at a path or
/// among a glob's matches is found too (reading it then says it cannot be read): a report the
/// user pointed at is never passed over in silence.
pub fn find(root: &Path, patterns: &[&str]) -> (Vec<PathBuf>, Vec<String>) {
    let found_at = |p: &Path| p.is_file() || p.symlink_metadata().is_ok_and(|m| m.file_type().is_symlink());
    let mut found: Vec<PathBuf> = Vec::new();
    let mut shown = Vec::new();
    for pat in patterns {
        shown.push((*pat).to_string());
        let full = root.join(pat);
        let text = full.to_string_lossy();
        if is_glob(pat) {
            let named = |folder: &&str| pat.split('/').any(|part| part == *folder);
            let elsewhere = |p: &Path| {
                p.strip_prefix(root).is_ok_and(|rel| {
                    rel.components()
                        .any(|c| crate::paths::OTHER_PROJECTS.iter().any(|f| c.as_os_str() == *f && !named(f)))
                })
            };
            if let Ok(paths) = glob::glob(&text) {
                let mut matched: Vec<PathBuf> =
                    paths.flatten().filter(|p| found_at(p) && !p.is_dir() && !elsewhere(p)).collect();
                matched.sort();
                for p in matched {
                    if !found.contains(&p) {
                        found.push(p);
                    }
                }
            }
        } else if found_at(&full) && !full.is_dir() && !found.contains(&full) {
            found.push(full);
        }
    }
    (found, shown)
}

/// The conventional locations by kind, for `--help` (README has who writes each).
pub fn help_list() -> String {
    let mut s =
        String::from("Conventional locations, relative to the repository root (README says who writes each):\n");
    for (kind, list) in [
        ("coverage", COVERAGE_LOCATIONS),
        ("tests", TEST_LOCATIONS),
        ("accessibility", A11Y_LOCATIONS),
        ("benchmarks", PERFORMANCE_LOCATIONS),
    ] {
        let paths: Vec<&str> = list.iter().map(|(p, _)| *p).collect();
        s.push_str(&format!("  {kind}: {}\n", paths.join(", ")));
    }
    s.push_str("Conventional security report locations:\n");
    for (p, who) in SECURITY_LOCATIONS {
        s.push_str(&format!("  {p:<48} {who}\n"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `*/*/TestResults/*.trx` found a dependency's own test run in `node_modules/pkg/` (and
    /// approved its tests as this repository's); a link to a report gone was passed over.
    #[test]
    fn globs_pass_over_other_projects_folders_and_links_to_nothing_are_found() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for f in ["node_modules/pkg/TestResults/a.trx", "svc/api/TestResults/b.trx", ".venv/x/TestResults/c.trx"] {
            std::fs::create_dir_all(root.join(f).parent().unwrap()).unwrap();
            std::fs::write(root.join(f), "<TestRun/>").unwrap();
        }
        let (found, _) = find(root, &["*/*/TestResults/*.trx"]);
        assert_eq!(found, [root.join("svc/api/TestResults/b.trx")]);
        let (found, _) = find(root, &["node_modules/*/TestResults/*.trx"]);
        assert_eq!(found, [root.join("node_modules/pkg/TestResults/a.trx")], "a pattern naming the folder");
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("gone/lcov.info", root.join("lcov.info")).unwrap();
            let (found, _) = find(root, &["lcov.info", "*.info"]);
            assert_eq!(found, [root.join("lcov.info")]);
        }
    }
}
