//! Runs `temis report --format json` on one input, as a subprocess (so that aborts and hangs are
//! caught), and says what is wrong with the outcome: a hang, a signal, a panic, an exit code
//! other than 0, 1 or 2, an error that does not name the file, a fetch from the network or a
//! read of a local file through an entity, or — on exit 0 — figures that contradict each other.

use std::fmt;
use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;

/// How temis is given the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A regular file's path.
    File,
    /// `-`, with the input on a pipe as standard input.
    Stdin,
    /// A named pipe's path (`mkfifo`), written once by another thread, as `<(cmd)` gives.
    Fifo,
    /// `-`, with the input repeated without end on standard input (`yes | temis report -`):
    /// temis must stop reading at some size and say so. Reproducers only: no mutation matters.
    Endless,
    /// A regular file's path, read on two threads in pieces and chunks as small as they go
    /// (`TEMIS_SPLIT=2,0`, as a report of 32 MiB or more is read): it must read as one walk does.
    Pieces,
}

/// What `TEMIS_SPLIT` is in [`Mode::Pieces`].
pub const PIECES: &str = "2,0";

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(match self {
            Mode::File => "file",
            Mode::Stdin => "stdin",
            Mode::Fifo => "fifo",
            Mode::Endless => "endless",
            Mode::Pieces => "pieces",
        })
    }
}

/// What is wrong with one run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// `hang`, `signal`, `panic`, `exit-code`, `error-names-no-file`, `stdout-on-error`,
    /// `bad-json`, `inconsistent`, `network`, `file-read`, `differs-from-file`, `not-refused`.
    pub kind: &'static str,
    pub detail: String,
}

impl Problem {
    fn new(kind: &'static str, detail: impl Into<String>) -> Problem {
        Problem { kind, detail: detail.into() }
    }

    /// The problem without its numbers (line numbers of a panic, counts, figures), to tell
    /// apart bugs rather than inputs.
    pub fn key(&self) -> String {
        let mut out = String::from(self.kind);
        out.push_str(": ");
        let mut last_digit = false;
        for c in self.detail.chars() {
            if c.is_ascii_digit() || (c == '.' && last_digit) {
                if !last_digit {
                    out.push('#');
                }
                last_digit = true;
            } else {
                out.push(c);
                last_digit = false;
            }
        }
        out
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}: {}", self.kind, self.detail)
    }
}

/// A local TCP listener that counts connections: entities and DTDs point at it, and every
/// proxy variable names it, so a fetch anywhere shows up here.
pub struct Listener {
    pub port: u16,
    socket: Arc<TcpListener>,
    count: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl Listener {
    pub fn start() -> Listener {
        let socket = Arc::new(TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1"));
        socket.set_nonblocking(true).unwrap();
        let port = socket.local_addr().unwrap().port();
        let (count, stop) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicBool::new(false)));
        let (sock, c, s) = (socket.clone(), count.clone(), stop.clone());
        // Accepts (and drops) while temis runs, so that a client is not left waiting.
        std::thread::spawn(move || {
            while !s.load(Ordering::SeqCst) {
                match sock.accept() {
                    Ok(_) => {
                        c.fetch_add(1, Ordering::SeqCst);
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(2)),
                }
            }
        });
        Listener { port, socket, count, stop }
    }

    /// Connections so far, those still in the backlog included.
    pub fn connections(&self) -> usize {
        while self.socket.accept().is_ok() {
            self.count.fetch_add(1, Ordering::SeqCst);
        }
        self.count.load(Ordering::SeqCst)
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// Everything a run needs besides its input.
pub struct Runner {
    pub bin: PathBuf,
    /// Where inputs are written; temis runs there.
    pub dir: PathBuf,
    pub timeout: Duration,
    /// The address-space limit of the temis process, in KiB (`ulimit -v`).
    pub memory_kib: u64,
    pub listener: Listener,
    /// The canary file entities point at, and the text it holds.
    pub canary: PathBuf,
    pub canary_text: String,
}

/// What one run left.
pub struct Ran {
    pub status: Option<ExitStatus>,
    pub timed_out: bool,
    pub stdout: Vec<u8>,
    pub stderr: String,
    pub connections: usize,
}

impl Runner {
    pub fn new(bin: PathBuf, dir: PathBuf, timeout: Duration, memory_kib: u64) -> Runner {
        let canary_text = format!("temis-fuzz-canary-{:x}", std::process::id() as u64 * 0x9e37_79b9);
        let canary = dir.join("canary.txt");
        std::fs::write(&canary, &canary_text).expect("write the canary file");
        Runner { bin, dir, timeout, memory_kib, listener: Listener::start(), canary, canary_text }
    }

    /// Runs `temis report --format json` on `input`, named `name`, given as `mode` says.
    pub fn run(&self, input: &[u8], name: &str, mode: Mode) -> (Ran, String) {
        let case = self.dir.join("case");
        let _ = std::fs::remove_dir_all(&case);
        std::fs::create_dir_all(&case).unwrap();
        let path = case.join(name);
        let shown = match mode {
            Mode::File | Mode::Pieces => {
                std::fs::write(&path, input).unwrap();
                path.display().to_string()
            }
            Mode::Stdin | Mode::Endless => "<stdin>".to_string(),
            Mode::Fifo => {
                let made = Command::new("mkfifo").arg(&path).status().expect("mkfifo runs (coreutils)");
                assert!(made.success(), "mkfifo {} failed", path.display());
                path.display().to_string()
            }
        };
        let arg =
            if matches!(mode, Mode::Stdin | Mode::Endless) { "-".to_string() } else { path.display().to_string() };
        let ran = self.spawn(&case, &arg, input, mode, &path);
        (ran, shown)
    }

    fn spawn(&self, case: &Path, arg: &str, input: &[u8], mode: Mode, path: &Path) -> Ran {
        let (out, err) = (self.dir.join("stdout"), self.dir.join("stderr"));
        let proxy = format!("http://127.0.0.1:{}", self.listener.port);
        let before = self.listener.connections();
        let script = format!("ulimit -v {} 2>/dev/null; exec \"$@\"", self.memory_kib);
        let mut cmd = Command::new("sh");
        cmd.args(["-c", &script, "sh"])
            .arg(&self.bin)
            .args(["report", "--format", "json", arg])
            .current_dir(case)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", case)
            .env("NO_COLOR", "1")
            // A panic names the function of temis it happened in, not only a line of std's.
            .env("RUST_BACKTRACE", "1")
            .env("RUST_LIB_BACKTRACE", "0")
            // The stream bound, smaller than the default (1 GiB) so that an endless stream is
            // refused within the run's timeout; inputs here are far smaller.
            .env("TEMIS_MAX_INPUT", "67108864");
        for var in ["http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"] {
            cmd.env(var, &proxy);
        }
        if mode == Mode::Pieces {
            cmd.env("TEMIS_SPLIT", PIECES);
        }
        cmd.stdout(std::fs::File::create(&out).unwrap()).stderr(std::fs::File::create(&err).unwrap());
        cmd.stdin(if matches!(mode, Mode::Stdin | Mode::Endless) { Stdio::piped() } else { Stdio::null() });
        let mut child = cmd.spawn().expect("sh runs");
        let writer = match mode {
            Mode::Stdin | Mode::Endless => {
                let mut stdin = child.stdin.take().unwrap();
                let bytes = if input.is_empty() { b"\n".to_vec() } else { input.to_vec() };
                Some(std::thread::spawn(move || {
                    // Until temis exits (the write fails), when endless.
                    while stdin.write_all(&bytes).is_ok() && mode == Mode::Endless {}
                }))
            }
            _ => None,
        };
        let fifo = (mode == Mode::Fifo).then(|| fifo_writer(path, input));
        let deadline = Instant::now() + self.timeout;
        let (status, timed_out) = loop {
            match child.try_wait() {
                Ok(Some(status)) => break (Some(status), false),
                Ok(None) if Instant::now() >= deadline => {
                    let _ = child.kill();
                    break (child.wait().ok(), true);
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(1)),
                Err(_) => break (None, false),
            }
        };
        if let Some(w) = writer {
            let _ = w.join();
        }
        if let Some(f) = fifo {
            f.finish(path);
        }
        Ran {
            status,
            timed_out,
            stdout: std::fs::read(&out).unwrap_or_default(),
            stderr: String::from_utf8_lossy(&std::fs::read(&err).unwrap_or_default()).into_owned(),
            connections: self.listener.connections() - before,
        }
    }
}

/// The thread that writes a FIFO once, as a shell's `<(cmd)` does.
struct FifoWriter {
    done: mpsc::Receiver<()>,
    thread: std::thread::JoinHandle<()>,
}

fn fifo_writer(path: &Path, input: &[u8]) -> FifoWriter {
    let (tx, done) = mpsc::channel();
    let (path, bytes) = (path.to_path_buf(), input.to_vec());
    let thread = std::thread::spawn(move || {
        // Blocks until a reader opens the FIFO; a write fails once the reader is gone.
        if let Ok(mut f) = std::fs::OpenOptions::new().write(true).open(&path) {
            let _ = f.write_all(&bytes);
        }
        let _ = tx.send(());
    });
    FifoWriter { done, thread }
}

impl FifoWriter {
    /// Once temis has exited: if the writer still waits for a reader, be that reader.
    fn finish(self, path: &Path) {
        if self.done.recv_timeout(Duration::from_secs(1)).is_err() {
            let _ = std::fs::File::open(path).map(|mut f| std::io::copy(&mut f, &mut std::io::sink()));
        }
        let _ = self.thread.join();
    }
}

/// What a run should end with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Should {
    /// Exit 0 with consistent figures, or exit 2 naming the file: either may be right.
    Hold,
    /// Exit 2 naming the file: the input is no report temis reads (read as clean, it would be
    /// a silent pass).
    Refuse,
    /// Exit 0, read as this format: the input is a report temis once took for another format.
    ReadAs(&'static str),
}

/// The problem with `ran`, if any: `name` is how temis should name the input.
pub fn judge(runner: &Runner, ran: &Ran, name: &str, mode: Mode, should: Should) -> Option<Problem> {
    if ran.connections > 0 {
        return Some(Problem::new("network", format!("{} connection(s) to the local listener", ran.connections)));
    }
    let out = String::from_utf8_lossy(&ran.stdout);
    if out.contains(&runner.canary_text) || ran.stderr.contains(&runner.canary_text) {
        return Some(Problem::new("file-read", "the canary file's text is in the output (an external entity)"));
    }
    if ran.timed_out {
        return Some(Problem::new("hang", format!("({mode}) no exit within {:?}", runner.timeout)));
    }
    // Rust's panic hook starts a line `thread '<name>' (<id>) panicked at <place>:`; temis's errors
    // may quote a report's text, which can hold `panicked at` (a test's failure message).
    let panic_line = ran.stderr.match_indices("thread '").find_map(|(at, _)| {
        let line_start = at == 0 || ran.stderr.as_bytes()[at - 1] == b'\n';
        let line = ran.stderr[at..].lines().next().unwrap_or_default();
        (line_start && line.contains(" panicked at ")).then(|| at + line.find("panicked at ").unwrap_or(0))
    });
    if let Some(at) = panic_line {
        let rest = &ran.stderr[at + "panicked at ".len()..];
        let mut lines = rest.lines();
        let location = lines.next().unwrap_or_default().trim_end_matches(':');
        let message = lines.next().unwrap_or_default();
        let frame = ran.stderr.lines().map(str::trim).find_map(|l| {
            let (_, name) = l.split_once(": ")?;
            (name.starts_with("temis::") && !name.starts_with("temis::main")).then_some(name)
        });
        let place = frame.map(|f| format!(" in {f}")).unwrap_or_default();
        return Some(Problem::new("panic", format!("at {location}{place}: {message}")));
    }
    let Some(code) = ran.status.and_then(|s| s.code()) else {
        let tail: String = ran.stderr.lines().last().unwrap_or_default().chars().take(200).collect();
        return Some(Problem::new("signal", format!("({mode}) killed by a signal: {:?} {tail}", ran.status)));
    };
    match code {
        0 => {
            let doc: Value = match serde_json::from_slice(&ran.stdout) {
                Ok(doc) => doc,
                Err(e) => return Some(Problem::new("bad-json", format!("exit 0 but stdout is not JSON: {e}"))),
            };
            let issues = consistency(&doc);
            if let Some(first) = issues.first() {
                let format = doc["reports"][0]["format"].as_str().unwrap_or("?");
                return Some(Problem::new("inconsistent", format!("({format}) {first}")));
            }
            let format = doc["reports"][0]["format"].as_str().unwrap_or("?");
            match should {
                Should::Refuse => {
                    Some(Problem::new("not-refused", format!("exit 0, read as {format}: not a report temis reads")))
                }
                Should::ReadAs(want) if format != want => {
                    Some(Problem::new("misread", format!("exit 0, read as {format}, not as {want}")))
                }
                _ => None,
            }
        }
        1 => None,
        2 if matches!(should, Should::ReadAs(_)) => {
            let first: String = ran.stderr.lines().next().unwrap_or_default().chars().take(200).collect();
            Some(Problem::new("not-read", format!("exit 2, but it is a report temis reads: {first}")))
        }
        2 => {
            if !ran.stdout.is_empty() {
                return Some(Problem::new("stdout-on-error", "exit 2 with output on stdout"));
            }
            let named = ran.stderr.lines().any(|l| l.starts_with("error: ") && l.contains(name));
            (!named).then(|| {
                let first: String = ran.stderr.lines().next().unwrap_or_default().chars().take(200).collect();
                Problem::new("error-names-no-file", format!("exit 2 without `error: {name}…`: {first}"))
            })
        }
        other => Some(Problem::new("exit-code", format!("exit {other}"))),
    }
}

/// Every way the figures of a `temis.report` document (v2 or v1) contradict each other.
pub fn consistency(doc: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if doc["schema"] != "temis.report/v2" && doc["schema"] != "temis.report/v1" {
        out.push(format!("schema is {}", doc["schema"]));
    }
    let Some(reports) = doc["reports"].as_array().filter(|r| !r.is_empty()) else {
        out.push("reports is not a non-empty array".into());
        return out;
    };
    for r in reports {
        let kind = r["kind"].as_str().unwrap_or_default();
        let body = &r[if kind == "performance" { "performance" } else { kind }];
        if !body.is_object() {
            out.push(format!("kind {kind:?} without its object"));
            continue;
        }
        match kind {
            "coverage" => coverage(body, &mut out),
            "tests" => tests(body, &mut out),
            "security" => security(body, &mut out),
            "a11y" => a11y(body, &mut out),
            "performance" => performance(body, &mut out),
            other => out.push(format!("unknown kind {other:?}")),
        }
    }
    out
}

/// No count a real report gives reaches this (4 294 967 296 lines, tests, findings…): such a
/// number came from an absurd figure in the input, which should have been refused.
const ABSURD: u64 = 1 << 32;

/// A count: a whole number ≥ 0, and below [`ABSURD`].
fn count(v: &Value, what: &str, out: &mut Vec<String>) -> Option<u64> {
    let n = v.as_u64();
    match n {
        None => out.push(format!("{what} is {v}, not a count")),
        Some(n) if n >= ABSURD => out.push(format!("{what} is {n}, an absurd count passed on")),
        Some(_) => {}
    }
    n
}

/// `{total, covered, percent}`: covered ≤ total, percent = covered/total to two decimals,
/// null exactly when total is 0.
fn counts(v: &Value, what: &str, out: &mut Vec<String>) {
    let (Some(total), Some(covered)) =
        (count(&v["total"], &format!("{what}.total"), out), count(&v["covered"], &format!("{what}.covered"), out))
    else {
        return;
    };
    if covered > total {
        out.push(format!("{what}: covered {covered} > total {total}"));
    }
    match (&v["percent"], total) {
        (Value::Null, 0) => {}
        (Value::Null, _) => out.push(format!("{what}.percent is null with total {total}")),
        (p, 0) => out.push(format!("{what}.percent is {p} with total 0")),
        (p, _) => match p.as_f64() {
            Some(p) if (0.0..=100.0).contains(&p) => {
                let exact = covered as f64 * 100.0 / total as f64;
                if (p - exact).abs() > 0.0100001 {
                    out.push(format!("{what}.percent {p} is not {covered}/{total} = {exact:.4}"));
                }
            }
            _ => out.push(format!("{what}.percent {p} outside [0, 100]")),
        },
    }
}

fn coverage(c: &Value, out: &mut Vec<String>) {
    counts(&c["lines"], "lines", out);
    for key in ["branches", "functions"] {
        if !c[key].is_null() {
            counts(&c[key], key, out);
        }
    }
    let Some(files) = c["files"].as_array() else {
        out.push("coverage.files is not an array".into());
        return;
    };
    for (i, f) in files.iter().enumerate() {
        counts(&f["lines"], &format!("files[{i}].lines"), out);
        for key in ["branches", "functions"] {
            if !f[key].is_null() {
                counts(&f[key], &format!("files[{i}].{key}"), out);
            }
        }
        if let Some(lines) = f["uncovered_lines"].as_array() {
            for l in lines {
                count(l, &format!("files[{i}].uncovered_lines[]"), out);
            }
        }
        if let Some(ranges) = f["uncovered_ranges"].as_array() {
            let mut after = 0;
            for r in ranges {
                let what = format!("files[{i}].uncovered_ranges[]");
                match (r.as_array().map(Vec::len), count(&r[0], &what, out), count(&r[1], &what, out)) {
                    (Some(2), Some(from), Some(to)) if after < from && from <= to => after = to,
                    _ => out.push(format!("{what}: {r} is not a range past {after}")),
                }
            }
        }
    }
    // The totals are the sum of the file rows (so in every report of the corpus and the
    // fixtures), or a note says why not (a producer's own total that disagrees with its rows).
    let noted = c["notes"].as_array().is_some_and(|n| !n.is_empty());
    for key in ["lines", "branches", "functions"] {
        if c[key].is_null() {
            continue;
        }
        let sum = |k: &str| files.iter().map(|f| f[key][k].as_u64().unwrap_or(0) as u128).sum::<u128>();
        let (total, covered) = (sum("total"), sum("covered"));
        let stated = (c[key]["total"].as_u64().unwrap_or(0) as u128, c[key]["covered"].as_u64().unwrap_or(0) as u128);
        if (total, covered) != stated && !noted {
            let (c, t) = (stated.1, stated.0);
            out.push(format!(
                "{key}: {c}/{t} in total, but the files add up to {covered}/{total}, and no note says why"
            ));
        }
    }
}

fn tests(t: &Value, out: &mut Vec<String>) {
    let mut n = |k: &str| count(&t[k], &format!("tests.{k}"), out).unwrap_or(0);
    let (total, passed, failed, skipped, errors, flaky) =
        (n("total"), n("passed"), n("failed"), n("skipped"), n("errors"), n("flaky"));
    // Outcomes outside the four (pending, inconclusive, …: `other`), where a format has them.
    let other = if t["other"].is_null() { 0 } else { n("other") };
    let sum = passed as u128 + failed as u128 + skipped as u128 + errors as u128 + other as u128;
    if sum != total as u128 {
        out.push(format!("tests: passed+failed+skipped+errors+other = {sum} ≠ total {total}"));
    }
    if flaky > passed {
        out.push(format!("tests: flaky {flaky} > passed {passed} (flaky tests are counted as passed)"));
    }
    match t["failing"].as_array() {
        // A failing test is failed, an error, or of an `other` outcome that fails (incomplete…).
        Some(f) if f.len() as u128 > failed as u128 + errors as u128 + other as u128 => out.push(format!(
            "tests: {} failing listed > failed+errors+other {}",
            f.len(),
            failed as u128 + errors as u128 + other as u128
        )),
        Some(_) => {}
        None => out.push("tests.failing is not an array".into()),
    }
}

const SEVERITIES: [&str; 6] = ["critical", "high", "medium", "low", "info", "unknown"];

fn security(s: &Value, out: &mut Vec<String>) {
    let total = count(&s["total"], "security.total", out).unwrap_or(0);
    let suppressed = count(&s["suppressed"], "security.suppressed", out).unwrap_or(0);
    count(&s["rules"], "security.rules", out);
    let by: u128 = SEVERITIES
        .iter()
        .map(|k| count(&s["by_severity"][k], &format!("by_severity.{k}"), out).unwrap_or(0) as u128)
        .sum();
    if by != total as u128 {
        out.push(format!("security: by_severity sums to {by} ≠ total {total}"));
    }
    match s["findings"].as_array() {
        Some(f) if f.len() as u128 != total as u128 + suppressed as u128 => {
            out.push(format!("security: {} findings listed ≠ total {total} + suppressed {suppressed}", f.len()))
        }
        Some(_) => {}
        None => out.push("security.findings is not an array".into()),
    }
    if !s["complete"].is_boolean() {
        out.push(format!("security.complete is {}", s["complete"]));
    }
}

fn score(v: &Value, what: &str, out: &mut Vec<String>) {
    if !v.is_null() && !v.as_f64().is_some_and(|s| (0.0..=100.0).contains(&s)) {
        out.push(format!("{what} {v} outside [0, 100]"));
    }
}

fn a11y(a: &Value, out: &mut Vec<String>) {
    score(&a["score"], "a11y.score", out);
    let total = count(&a["violations"]["total"], "violations.total", out).unwrap_or(0);
    let sum = |v: &Value, what: &str, out: &mut Vec<String>| -> Option<u128> {
        let m = v.as_object()?;
        Some(m.iter().map(|(k, n)| count(n, &format!("{what}.{k}"), out).unwrap_or(0) as u128).sum())
    };
    if let Some(by) = sum(&a["violations"]["by_impact"], "by_impact", out)
        && by != total as u128
    {
        out.push(format!("a11y: by_impact sums to {by} ≠ violations.total {total}"));
    }
    sum(&a["violations"]["by_type"], "by_type", out);
    let nodes = if a["nodes_total"].is_null() { None } else { count(&a["nodes_total"], "nodes_total", out) };
    if let (Some(by), Some(nodes)) = (sum(&a["by_impact_nodes"], "by_impact_nodes", out), nodes)
        && by != nodes as u128
    {
        out.push(format!("a11y: by_impact_nodes sums to {by} ≠ nodes_total {nodes}"));
    }
    let Some(pages) = a["pages"].as_array() else {
        out.push("a11y.pages is not an array".into());
        return;
    };
    let (mut violations, mut page_nodes) = (0u128, 0u128);
    for (i, p) in pages.iter().enumerate() {
        score(&p["score"], &format!("pages[{i}].score"), out);
        violations += count(&p["violations"], &format!("pages[{i}].violations"), out).unwrap_or(0) as u128;
        page_nodes += count(&p["nodes"], &format!("pages[{i}].nodes"), out).unwrap_or(0) as u128;
    }
    if violations != total as u128 {
        out.push(format!("a11y: the pages' violations sum to {violations} ≠ violations.total {total}"));
    }
    if let Some(nodes) = nodes
        && page_nodes != nodes as u128
    {
        out.push(format!("a11y: the pages' nodes sum to {page_nodes} ≠ nodes_total {nodes}"));
    }
    if !a["failing_rules"].is_array() {
        out.push("a11y.failing_rules is not an array".into());
    }
}

fn performance(p: &Value, out: &mut Vec<String>) {
    let Some(benchmarks) = p["benchmarks"].as_array() else {
        out.push("performance.benchmarks is not an array".into());
        return;
    };
    for (i, b) in benchmarks.iter().enumerate() {
        let stat = |k: &str, out: &mut Vec<String>| -> Option<f64> {
            let v = &b[k];
            if v.is_null() {
                return None;
            }
            match v.as_f64() {
                Some(x) if x.is_finite() && x >= 0.0 => Some(x),
                _ => {
                    out.push(format!("benchmarks[{i}].{k} is {v}, not a duration ≥ 0"));
                    None
                }
            }
        };
        let [mean, median, p90, p95, p99, min, max, _stddev] =
            ["mean", "median", "p90", "p95", "p99", "min", "max", "stddev"].map(|k| stat(k, out));
        if !b["samples"].is_null() {
            count(&b["samples"], &format!("benchmarks[{i}].samples"), out);
        }
        if let (Some(lo), Some(hi)) = (min, max) {
            for (k, v) in [("mean", mean), ("median", median), ("p90", p90), ("p95", p95), ("p99", p99)] {
                if let Some(v) = v {
                    // Relative slack: percentiles interpolate in floating point.
                    if v < lo * (1.0 - 1e-9) || v > hi * (1.0 + 1e-9) {
                        out.push(format!("benchmarks[{i}].{k} {v} outside [min {lo}, max {hi}]"));
                    }
                }
            }
        }
        for (a, b_, an, bn) in [(p90, p95, "p90", "p95"), (p95, p99, "p95", "p99")] {
            if let (Some(a), Some(b_)) = (a, b_)
                && a > b_ * (1.0 + 1e-9)
            {
                out.push(format!("benchmarks[{i}].{an} {a} > {bn} {b_}"));
            }
        }
    }
}
