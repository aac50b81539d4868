//! Reports read from streams (`-`, `/dev/stdin`, a FIFO): read once, whole, and bounded.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::BIN;

/// An LCOV report whose first 64 KiB (what detection looks at) hold one file, never run; the
/// files after it are all covered.
fn uncovered_first() -> Vec<u8> {
    let mut text = String::from("TN:\nSF:src/never_run.c\n");
    for line in 1..=20_000 {
        text.push_str(&format!("DA:{line},0\n"));
    }
    text.push_str("end_of_record\n");
    for f in 0..100 {
        text.push_str(&format!("SF:src/f{f}.c\n"));
        for line in 1..=10 {
            text.push_str(&format!("DA:{line},3\n"));
        }
        text.push_str("end_of_record\n");
    }
    assert!(text.find("src/f0.c").unwrap() > 64 * 1024);
    text.into_bytes()
}

/// `temis ARGS`, its standard input fed `stdin` from another thread; (code, stdout, stderr).
fn with_stdin(args: &[&str], stdin: Vec<u8>, envs: &[(&str, &str)]) -> (i32, String, String) {
    let mut child = Command::new(BIN)
        .args(args)
        .env_clear()
        .envs(envs.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("temis runs");
    let mut pipe = child.stdin.take().unwrap();
    // temis may stop reading early (a limit): a broken pipe here is no failure.
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&stdin);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

/// The `lines` figures and file count of a `temis report --format json` output.
fn figures(json: &str) -> (serde_json::Value, usize) {
    let doc: serde_json::Value = serde_json::from_str(json).unwrap();
    let cov = &doc["reports"][0]["coverage"];
    (cov["lines"].clone(), cov["files"].as_array().unwrap().len())
}

#[test]
fn a_piped_report_is_read_whole_as_a_file_is() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cov.info");
    std::fs::write(&file, uncovered_first()).unwrap();
    let (code, from_file, err) = with_stdin(&["report", "--format", "json", file.to_str().unwrap()], Vec::new(), &[]);
    assert_eq!(code, 0, "{err}");
    let expected = figures(&from_file);
    assert_eq!(expected.0["total"], 21_000);
    assert_eq!(expected.0["covered"], 1_000);
    for name in ["-", "/dev/stdin"] {
        let (code, out, err) = with_stdin(&["report", "--format", "json", name], uncovered_first(), &[]);
        assert_eq!(code, 0, "{name}: {err}");
        assert_eq!(figures(&out), expected, "{name}");
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_is_read_once_and_does_not_hang() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cov.info");
    std::fs::write(&file, uncovered_first()).unwrap();
    let (_, from_file, _) = with_stdin(&["report", "--format", "json", file.to_str().unwrap()], Vec::new(), &[]);
    let fifo = dir.path().join("cov.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo is installed (coreutils)");
    assert!(made.success(), "mkfifo failed");
    // Output to files: a pipe nobody reads until temis ends could fill and stop it.
    let (stdout, stderr) = (dir.path().join("out.json"), dir.path().join("err.txt"));
    let mut child = Command::new(BIN)
        .args(["report", "--format", "json", fifo.to_str().unwrap()])
        .env_clear()
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout).unwrap())
        .stderr(std::fs::File::create(&stderr).unwrap())
        .spawn()
        .unwrap();
    // Opening a FIFO for writing waits for its reader: temis must open it exactly once. The
    // writer comes late: meanwhile temis says what it waits for.
    let path = fifo.clone();
    let writer = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(1500));
        let mut w = std::fs::OpenOptions::new().write(true).open(path).unwrap();
        let _ = w.write_all(&uncovered_first());
    });
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("temis report on a FIFO did not finish within 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    writer.join().unwrap();
    let status = child.wait().unwrap();
    let said = std::fs::read_to_string(&stderr).unwrap();
    assert_eq!(status.code(), Some(0), "{said}");
    assert!(said.contains("is a FIFO that nothing has opened for writing: waiting for its writer"), "{said}");
    assert_eq!(figures(&std::fs::read_to_string(&stdout).unwrap()), figures(&from_file));
}

#[test]
fn a_stream_past_the_limit_is_refused_naming_it_and_the_limit() {
    let (code, out, err) = with_stdin(&["report", "/dev/stdin"], uncovered_first(), &[("TEMIS_MAX_INPUT", "100000")]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("/dev/stdin: more than 100000 bytes came from this stream"), "{err}");
    assert!(err.contains("TEMIS_MAX_INPUT"), "{err}");
    // The gate names it in the verdict, as it names every report it could not read.
    let (code, out, err) = with_stdin(&["gate", "-"], uncovered_first(), &[("TEMIS_MAX_INPUT", "100000")]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(out.contains("<stdin>: more than 100000 bytes"), "{out}");
}

/// `--input-format cobertura /dev/zero` aborted (out of memory): a binary stream is refused at
/// once, naming it.
#[test]
fn a_binary_stream_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let r = crate::support::temis_in(dir.path(), &["report", "--input-format", "cobertura", "/dev/zero"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("/dev/zero: this stream is binary"), "{}", r.stderr);
}
