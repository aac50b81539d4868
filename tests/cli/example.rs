//! The shipped example, `examples/jwt-auth/`: its `replay.sh` builds a git repository phase by
//! phase and runs temis at each step; the documents temis writes there must be, byte for byte,
//! the ones committed in `examples/jwt-auth/plans/jwt-authentication/`, on every run.
//!
//! After a deliberate change to what temis writes, `TEMIS_BLESS=1 cargo test example` rewrites
//! the committed documents; review the diff like any snapshot.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::support::{BIN, need};

const DOCS: &[&str] =
    &["plan.md", "phase-1-complete.md", "phase-2-complete.md", "phase-3-complete.md", "complete.md", "complete.svg"];

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/jwt-auth")
}

/// Runs the replay into a new folder; returns (folder, transcript).
fn replay(scratch: &Path, name: &str) -> (PathBuf, String) {
    let out = scratch.join(name);
    let run = Command::new("sh")
        .arg(example().join("replay.sh"))
        .arg(&out)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", scratch)
        .env("TEMIS", BIN)
        .stdin(Stdio::null())
        .output()
        .expect("this test needs `sh` on PATH");
    let transcript = String::from_utf8_lossy(&run.stdout).into_owned();
    assert!(run.status.success(), "replay.sh failed:\n{transcript}\n{}", String::from_utf8_lossy(&run.stderr));
    (out, transcript)
}

#[test]
fn the_example_documents_are_what_temis_writes_every_time() {
    need("git");
    let scratch = tempfile::tempdir().unwrap();
    let (first, transcript) = replay(scratch.path(), "first");
    let (second, again) = replay(scratch.path(), "second");
    assert_eq!(transcript, again, "two replays print the same");
    let committed = example().join("plans/jwt-authentication");
    let bless = std::env::var_os("TEMIS_BLESS").is_some();
    for doc in DOCS {
        let made = std::fs::read(first.join("plans/jwt-authentication").join(doc)).unwrap();
        let remade = std::fs::read(second.join("plans/jwt-authentication").join(doc)).unwrap();
        assert_eq!(made, remade, "{doc}: two replays wrote different bytes");
        if bless {
            std::fs::write(committed.join(doc), &made).unwrap();
            continue;
        }
        let kept = std::fs::read(committed.join(doc)).unwrap_or_default();
        assert!(
            made == kept,
            "examples/jwt-auth/plans/jwt-authentication/{doc} is not what temis writes now; \
             run `TEMIS_BLESS=1 cargo test example` and review the diff.\n--- written now ---\n{}",
            String::from_utf8_lossy(&made)
        );
    }
    assert!(transcript.contains("phase-3-complete.md is up to date (same bytes); nothing written"), "{transcript}");
    insta::assert_snapshot!(transcript);
}
