//! The fuzz target: `temis report` on mutations of every report of the shared corpus
//! (`corpus/` of `../shared` or `$TEMIS_SHARED`: coverage, a11y, security, public-formats) and
//! of `tests/fixtures/`, bounded by `TEMIS_FUZZ_SECONDS` (default 60) and
//! `TEMIS_FUZZ_ITERATIONS`, seeded by `TEMIS_FUZZ_SEED` (default: the clock; printed). `cargo
//! test` does not build it (`test = false`); `.ci/run` runs it for three minutes:
//!
//!     TEMIS_FUZZ_SECONDS=180 cargo test --test fuzz -- --nocapture
//!
//! `cargo test` runs a short, fixed-seed pass over `tests/fixtures/` alone and every reproducer
//! of `tests/fixtures/fuzz-found/` (`tests/cli/fuzz.rs`).

#[allow(dead_code, unused_imports)] // shared with the `cli` target's short run, which uses the rest
mod engine;

use std::path::{Path, PathBuf};

fn shared() -> PathBuf {
    let root = std::env::var_os("TEMIS_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let corpus = root.join("corpus");
    assert!(
        corpus.is_dir(),
        "missing {}: the fuzz target's seeds need ../shared beside the project (or TEMIS_SHARED=DIR)",
        corpus.display()
    );
    corpus
}

#[test]
fn temis_report_survives_mutations_of_every_corpus_report() {
    let clock = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let cfg = engine::Config::from_env(clock, u64::MAX, 60, 16 << 20);
    let corpus = shared();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let roots: Vec<PathBuf> =
        ["coverage", "a11y", "security", "public-formats"].iter().map(|d| corpus.join(d)).chain([fixtures]).collect();
    engine::fuzz(&cfg, "corpus", &roots);
}
