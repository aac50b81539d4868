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
/// duplicates; and the patterns as shown to the user.
pub fn find(root: &Path, patterns: &[&str]) -> (Vec<PathBuf>, Vec<String>) {
    let mut found: Vec<PathBuf> = Vec::new();
    let mut shown = Vec::new();
    for pat in patterns {
        shown.push((*pat).to_string());
        let full = root.join(pat);
        let text = full.to_string_lossy();
        if is_glob(pat) {
            if let Ok(paths) = glob::glob(&text) {
                let mut matched: Vec<PathBuf> = paths.flatten().filter(|p| p.is_file()).collect();
                matched.sort();
                for p in matched {
                    if !found.contains(&p) {
                        found.push(p);
                    }
                }
            }
        } else if full.is_file() && !found.contains(&full) {
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
