//! The fuzz target's short run (`tests/fuzz/`): `temis report` on mutations of
//! `tests/fixtures/` alone, fixed seed (`TEMIS_FUZZ_SEED` to vary it), a few hundred runs, and
//! every reproducer of `tests/fixtures/fuzz-found/`. The long run over the shared corpus is
//! `cargo test --test fuzz` (`.ci/run`).

#[allow(dead_code)] // the fuzz target uses the rest
#[path = "../fuzz/engine/mod.rs"]
mod engine;

use std::path::Path;

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

#[test]
fn every_fuzz_finding_still_reproduces_or_stays_fixed() {
    let mut cfg = engine::Config::from_env(0, 0, 0, 0);
    // A reproducer that hangs need not cost the full timeout of a fuzz run.
    cfg.timeout = cfg.timeout.min(std::time::Duration::from_secs(3));
    engine::check_reproducers(&cfg, &fixtures().join("fuzz-found"));
}

#[test]
fn temis_report_survives_mutations_of_the_fixtures() {
    // Inputs stay small, so that no run nears the timeout on a loaded machine.
    let cfg = engine::Config::from_env(0x7e3a_5eed, 400, 60, 256 << 10);
    engine::fuzz(&cfg, "fixtures", &[fixtures()]);
}

/// A stand-in for temis whose behaviour the input's first line chooses, to show that the
/// oracle catches each way a run can go wrong (and passes the runs that went right).
const FAKE: &str = r#"#!/usr/bin/env bash
f="${!#}"; name="$f"
if [ "$f" = - ]; then f=/dev/stdin; name="<stdin>"; fi
case "$(head -n1 "$f")" in
  hang) exec sleep 30 ;;
  abort) kill -ABRT $$ ;;
  panic) printf "thread 'main' (7) panicked at src/parsers/lcov/scan.rs:10:5:\nattempt to add with overflow\n" >&2; exit 101 ;;
  unnamed) echo "error: something went wrong" >&2; exit 2 ;;
  named) echo "error: $name: line 1: not a report" >&2; exit 2 ;;
  quoted) printf 'error: %s:2: malformed line "panicked at src/net.rs:8:9"\npanicked at src/x.rs:1:1\n' "$name" >&2; exit 2 ;;
  exit3) exit 3 ;;
  fetch) exec 3<>"/dev/tcp/127.0.0.1/${HTTP_PROXY##*:}"; echo "error: $name: fetched" >&2; exit 2 ;;
  sum) echo '{"schema":"temis.report/v1","reports":[{"kind":"tests","tests":{"total":3,"passed":1,"failed":1,"skipped":0,"errors":0,"flaky":0,"failing":[]}}]}' ;;
  good) echo '{"schema":"temis.report/v1","reports":[{"kind":"tests","tests":{"total":2,"passed":1,"failed":1,"skipped":0,"errors":0,"flaky":0,"failing":[]}}]}' ;;
esac
"#;

#[test]
fn the_oracle_catches_hangs_signals_panics_bad_exits_unnamed_errors_fetches_and_bad_sums() {
    use std::os::unix::fs::PermissionsExt;
    crate::support::need("bash");
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("fake-temis");
    std::fs::write(&fake, FAKE).unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let cases: &[(&str, engine::Mode, Option<&str>)] = &[
        ("good", engine::Mode::File, None),
        ("named", engine::Mode::File, None),
        ("named", engine::Mode::Stdin, None),
        // An error quoting a report's `panicked at` is no panic: only the hook's line is.
        ("quoted", engine::Mode::File, None),
        ("hang", engine::Mode::File, Some("hang")),
        ("abort", engine::Mode::File, Some("signal")),
        ("panic", engine::Mode::File, Some("panic")),
        ("exit3", engine::Mode::File, Some("exit-code")),
        ("unnamed", engine::Mode::File, Some("error-names-no-file")),
        ("fetch", engine::Mode::File, Some("network")),
        ("sum", engine::Mode::File, Some("inconsistent")),
    ];
    for (first_line, mode, want) in cases {
        let input = format!("{first_line}\n");
        let got = engine::probe(&fake, input.as_bytes(), "report.xml", *mode, std::time::Duration::from_secs(2));
        assert_eq!(got.as_ref().map(|p| p.kind), *want, "{first_line} ({mode}): {got:?}");
    }
}

#[test]
fn the_oracle_holds_figures_to_each_other() {
    use serde_json::json;
    let doc = |kind: &str, body: serde_json::Value| json!({"schema": "temis.report/v1", "reports": [{"kind": kind, kind: body}]});
    let counts = |t: u64, c: u64, p: serde_json::Value| json!({"total": t, "covered": c, "percent": p});
    let coverage = |lines: serde_json::Value, file: serde_json::Value| {
        doc("coverage", json!({"lines": lines, "files": [{"lines": file, "uncovered_lines": []}]}))
    };
    assert_eq!(
        engine::consistency(&coverage(counts(3, 2, json!(66.67)), counts(3, 2, json!(66.67)))),
        Vec::<String>::new()
    );
    assert_eq!(
        engine::consistency(&coverage(counts(0, 0, json!(null)), counts(0, 0, json!(null)))),
        Vec::<String>::new()
    );
    let bad = [
        coverage(counts(3, 4, json!(100.0)), counts(3, 4, json!(100.0))),
        coverage(counts(3, 2, json!(50.0)), counts(3, 2, json!(66.67))),
        coverage(counts(3, 2, json!(null)), counts(3, 2, json!(66.67))),
        coverage(counts(4, 2, json!(50.0)), counts(3, 2, json!(66.67))),
        coverage(counts(3, 2, json!(-1)), counts(3, 2, json!(66.67))),
        doc(
            "security",
            json!({"total": 2, "suppressed": 0, "rules": 1, "complete": true, "findings": [{}, {}],
            "by_severity": {"critical": 1, "high": 0, "medium": 0, "low": 0, "info": 0, "unknown": 0}}),
        ),
        doc(
            "security",
            json!({"total": 1, "suppressed": 0, "rules": 1, "complete": true, "findings": {},
            "by_severity": {"critical": 1, "high": 0, "medium": 0, "low": 0, "info": 0, "unknown": 0}}),
        ),
        doc("a11y", json!({"score": 101, "violations": {"total": 0}, "pages": [], "failing_rules": []})),
        doc("performance", json!({"benchmarks": [{"mean": 5.0, "min": 1.0, "max": 2.0}]})),
        doc("performance", json!({"benchmarks": [{"mean": -1.0}]})),
        json!({"schema": "temis.report/v1", "reports": []}),
    ];
    for d in bad {
        assert!(!engine::consistency(&d).is_empty(), "not caught: {d}");
    }
}
