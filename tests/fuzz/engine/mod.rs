//! A seeded mutation fuzzer for `temis report`, on stable Rust (no nightly, no cargo-fuzz).
//!
//! Seeds are real reports (every file under the seed folders but notes and expected figures).
//! Each iteration takes one, mutates it (`mutate.rs`), gives it to the built binary as a file,
//! on standard input or through a FIFO, and holds the outcome to the oracle (`oracle.rs`): no
//! panic, signal or hang; exit 0, 1 or 2 only; exit 2 names the file; exit 0 only with figures
//! that agree with each other; no network fetch, no local file read through an entity. Input
//! given on a pipe or a FIFO must read as the same bytes in a file do.
//!
//! A run is bounded by iterations and wall time, and seeded: iteration `i` of seed `s` is the
//! same everywhere. A new problem is shrunk, saved under `target/fuzz-failures/` with the
//! command that replays it, and fails the run with the seed and the path; problems of the open
//! findings of `found.rs` are counted, not failed.

mod found;
mod mutate;
mod oracle;
mod rng;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use found::{FOUND, Found};
pub use oracle::{Mode, Problem, Should, consistency};
use oracle::{Ran, Runner, judge};
use rng::Rng;

/// Files under a seed folder that are no reports: notes, expected figures, tools, findings.
fn is_seed(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let skipped_name = ["README.md", "MAKE.md", "SOURCE.md", "INDEX.md", "expected.json"].contains(&name);
    let skipped_dir = path.components().any(|c| matches!(c.as_os_str().to_str(), Some("tools" | "fuzz-found")));
    !skipped_name && !skipped_dir && !name.ends_with(".snap")
}

/// Every seed under `roots`, sorted, as `(path, bytes)`.
pub fn seeds(roots: &[PathBuf]) -> Vec<(PathBuf, Vec<u8>)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let entries =
            std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read seed folder {}: {e}", dir.display()));
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if is_seed(&path) {
                out.push(path);
            }
        }
    }
    let mut paths = Vec::new();
    for root in roots {
        walk(root, &mut paths);
    }
    paths.sort();
    paths.into_iter().map(|p| (p.clone(), std::fs::read(&p).unwrap())).collect()
}

/// How a run is bounded and what it drives.
pub struct Config {
    pub bin: PathBuf,
    pub seed: u64,
    pub iterations: u64,
    pub seconds: u64,
    pub timeout: Duration,
    pub memory_kib: u64,
    /// No mutated input grows past this many bytes.
    pub max_input: usize,
    /// Where failing inputs are saved (`target/fuzz-failures`).
    pub failures: PathBuf,
}

impl Config {
    /// Defaults overridden by `TEMIS_FUZZ_SEED` (a number, or `time`), `TEMIS_FUZZ_ITERATIONS`,
    /// `TEMIS_FUZZ_SECONDS`, `TEMIS_FUZZ_TIMEOUT` (seconds per run), `TEMIS_FUZZ_MEMORY_MB`,
    /// `TEMIS_FUZZ_MAX_INPUT_KB` and `TEMIS_FUZZ_BIN` (another temis binary than this build's).
    pub fn from_env(seed: u64, iterations: u64, seconds: u64, max_input: usize) -> Config {
        let num = |var: &str, default: u64| -> u64 {
            match std::env::var(var) {
                Ok(v) => v.trim().parse().unwrap_or_else(|_| panic!("{var}={v:?} is not a whole number")),
                Err(_) => default,
            }
        };
        let seed = match std::env::var("TEMIS_FUZZ_SEED").as_deref() {
            Ok("time") => std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64,
            _ => num("TEMIS_FUZZ_SEED", seed),
        };
        let build = PathBuf::from(env!("CARGO_BIN_EXE_temis"));
        let target = build.parent().and_then(Path::parent).expect("target/<profile>/temis").to_path_buf();
        Config {
            bin: std::env::var_os("TEMIS_FUZZ_BIN").map(PathBuf::from).unwrap_or(build),
            seed,
            iterations: num("TEMIS_FUZZ_ITERATIONS", iterations),
            seconds: num("TEMIS_FUZZ_SECONDS", seconds),
            timeout: Duration::from_secs(num("TEMIS_FUZZ_TIMEOUT", 10)),
            memory_kib: num("TEMIS_FUZZ_MEMORY_MB", 2048) * 1024,
            max_input: num("TEMIS_FUZZ_MAX_INPUT_KB", max_input as u64 / 1024) as usize * 1024,
            failures: target.join("fuzz-failures"),
        }
    }

    fn runner(&self) -> (tempfile::TempDir, Runner) {
        assert!(self.bin.is_file(), "no temis binary at {}", self.bin.display());
        let dir = tempfile::tempdir().unwrap();
        let runner = Runner::new(self.bin.clone(), dir.path().to_path_buf(), self.timeout, self.memory_kib);
        (dir, runner)
    }
}

/// The problem with one input given to `bin`: another program than temis, in the tests of the
/// oracle.
pub fn probe(bin: &Path, input: &[u8], name: &str, mode: Mode, timeout: Duration) -> Option<Problem> {
    let dir = tempfile::tempdir().unwrap();
    let runner = Runner::new(bin.to_path_buf(), dir.path().to_path_buf(), timeout, 2 << 20);
    check(&runner, input, name, mode, Should::Hold).0
}

/// The problem with `input` given as `mode`, if any, and the exit code. On a pipe or a FIFO,
/// the input must also read as the same bytes in a file do.
fn check(runner: &Runner, input: &[u8], name: &str, mode: Mode, should: Should) -> (Option<Problem>, Option<i32>) {
    let (ran, shown) = runner.run(input, name, mode);
    let code = ran.status.and_then(|s| s.code());
    if let Some(p) = judge(runner, &ran, &shown, mode, should) {
        return (Some(p), code);
    }
    if matches!(mode, Mode::File | Mode::Endless) {
        return (None, code);
    }
    // A pipe has no name, and a report whose content says nothing is read by its conventional
    // name (`pa11y.json` holding `[]`): standard input is held to the same bytes in a file whose
    // name says nothing. A FIFO has its name.
    let compared = if mode == Mode::Stdin { "piped-input" } else { name };
    let (file, shown) = runner.run(input, compared, Mode::File);
    if let Some(p) = judge(runner, &file, &shown, Mode::File, should) {
        return (Some(p), code);
    }
    (differs(&ran, &file).map(|d| Problem { kind: "differs-from-file", detail: format!("({mode}) {d}") }), code)
}

/// How a pipe's or FIFO's outcome differs from the same bytes' in a file.
fn differs(piped: &Ran, file: &Ran) -> Option<String> {
    let code = |r: &Ran| r.status.and_then(|s| s.code());
    if code(piped) != code(file) {
        let first = |r: &Ran| r.stderr.lines().next().unwrap_or_default().chars().take(160).collect::<String>();
        return Some(format!(
            "exit {:?}, from a file exit {:?}: {} / {}",
            code(piped),
            code(file),
            first(piped),
            first(file)
        ));
    }
    if code(file) != Some(0) {
        return None;
    }
    let strip = |r: &Ran| -> serde_json::Value {
        let mut doc: serde_json::Value = serde_json::from_slice(&r.stdout).unwrap_or_default();
        for report in doc["reports"].as_array_mut().into_iter().flatten() {
            report.as_object_mut().map(|o| o.remove("path"));
            // criterion names a benchmark after the folders its estimates.json sits in.
            for b in report["performance"]["benchmarks"].as_array_mut().into_iter().flatten() {
                b.as_object_mut().map(|o| o.remove("name"));
            }
        }
        doc
    };
    (strip(piped) != strip(file)).then(|| "exit 0 both, with other figures".to_string())
}

/// The open finding `problem` matches, if any.
fn known(problem: &Problem) -> Option<&'static Found> {
    let text = problem.to_string();
    FOUND.iter().find(|f| f.open.is_some_and(|symptom| symptom.iter().all(|s| text.contains(s))))
}

/// A smaller input with the same problem (chunks removed while the problem's key holds).
fn shrink(runner: &Runner, input: &[u8], name: &str, mode: Mode, key: &str, budget: Duration) -> Vec<u8> {
    let start = Instant::now();
    let mut best = input.to_vec();
    let mut chunk = best.len().div_ceil(2).max(1);
    while chunk >= 1 && start.elapsed() < budget {
        let mut at = 0;
        while at < best.len() && start.elapsed() < budget {
            let mut candidate = best[..at].to_vec();
            candidate.extend_from_slice(&best[(at + chunk).min(best.len())..]);
            match check(runner, &candidate, name, mode, Should::Hold).0 {
                Some(p) if p.key() == key => best = candidate,
                _ => at += chunk,
            }
        }
        if chunk == 1 {
            break;
        }
        chunk /= 2;
    }
    best
}

/// A line of the run's log, on the test's captured output (shown by `--nocapture`, or when the
/// test fails).
#[allow(clippy::disallowed_macros)] // a test's log, not temis's output
fn log(line: &str) {
    println!("{line}");
}

/// One new problem, saved.
struct Failure {
    problem: Problem,
    seed_file: PathBuf,
    iteration: u64,
    mode: Mode,
    mutations: Vec<&'static str>,
    saved: PathBuf,
}

/// Writes the input, its shrunk form and how to replay them under `dir/N-KIND/`.
fn save(dir: &Path, n: usize, f: &Failure, input: &[u8], small: &[u8], name: &str, seed: u64) -> PathBuf {
    let case = dir.join(format!("{n:03}-{}", f.problem.kind));
    std::fs::create_dir_all(&case).unwrap();
    std::fs::write(case.join(name), input).unwrap();
    let small_name = format!("min-{name}");
    std::fs::write(case.join(&small_name), small).unwrap();
    let how = match f.mode {
        Mode::File => format!("temis report --format json {small_name}"),
        Mode::Stdin => format!("temis report --format json - < {small_name}"),
        Mode::Fifo => format!("mkfifo p; cat {small_name} > p & temis report --format json p"),
        Mode::Endless => format!("while cat {small_name}; do :; done | temis report --format json -"),
        Mode::Pieces => format!("TEMIS_SPLIT={} temis report --format json {small_name}", oracle::PIECES),
    };
    let text = format!(
        "problem: {}\nseed file: {}\nTEMIS_FUZZ_SEED={seed}, iteration {}\nmode: {}\nmutations: {}\n\
         input: {name} ({} bytes); shrunk: {small_name} ({} bytes)\nreplay (in this folder): {how}\n",
        f.problem,
        f.seed_file.display(),
        f.iteration,
        f.mode,
        f.mutations.join(", "),
        input.len(),
        small.len()
    );
    std::fs::write(case.join("what.txt"), text).unwrap();
    case
}

/// Fuzzes `temis report` from `seed_roots` within `cfg`'s bounds, saving new problems under
/// `target/fuzz-failures/RUN/`. Panics, listing each with its seed and saved input, when any
/// was found.
pub fn fuzz(cfg: &Config, run: &str, seed_roots: &[PathBuf]) {
    let failures = cfg.failures.join(run);
    let seeds = seeds(seed_roots);
    assert!(!seeds.is_empty(), "no seed reports under {seed_roots:?}");
    let (_dir, runner) = cfg.runner();
    let bytes: Vec<Vec<u8>> = seeds.iter().map(|s| s.1.clone()).collect();
    let canary = runner.canary.display().to_string();
    let ctx = mutate::Ctx { seeds: &bytes, port: runner.listener.port, canary: &canary, max_input: cfg.max_input };
    let blocked: Vec<(Mode, &Found)> =
        FOUND.iter().filter(|f| f.open.is_some() && f.blocks_mode).map(|f| (f.mode, f)).collect();
    let modes: Vec<Mode> = [Mode::File, Mode::Stdin, Mode::Fifo, Mode::Pieces]
        .into_iter()
        .filter(|m| !blocked.iter().any(|(b, _)| b == m))
        .collect();
    log(&format!(
        "fuzz: TEMIS_FUZZ_SEED={} over {} seed files, up to {} iterations or {} s; binary {}",
        cfg.seed,
        seeds.len(),
        cfg.iterations,
        cfg.seconds,
        cfg.bin.display()
    ));
    for (mode, f) in &blocked {
        log(&format!("fuzz: {mode} mode left out while fuzz-found/{} is open ({})", f.file, f.what));
    }
    let start = Instant::now();
    let deadline = start + Duration::from_secs(cfg.seconds);
    let _ = std::fs::remove_dir_all(&failures);
    let mut new: BTreeMap<String, Failure> = BTreeMap::new();
    let mut hits: BTreeMap<&'static str, u64> = BTreeMap::new();
    let mut by_exit: BTreeMap<String, u64> = BTreeMap::new();
    let mut done = 0u64;
    // Iterations 0..seeds run every seed as it is; the rest mutate one.
    while done < cfg.iterations && Instant::now() < deadline {
        let i = done;
        done += 1;
        let mut rng = Rng::for_iteration(cfg.seed, i);
        let index = if (i as usize) < seeds.len() { i as usize } else { rng.below(seeds.len()) };
        let (path, original) = &seeds[index];
        let mut input = original.clone();
        let mutations =
            if (i as usize) < seeds.len() { Vec::new() } else { mutate::mutate(&mut rng, &mut input, &ctx) };
        // A file read in pieces one time in four (most readers have a parallel path), a pipe or
        // a FIFO one time in eight.
        let mode = if rng.one_in(4) && modes.contains(&Mode::Pieces) {
            Mode::Pieces
        } else if rng.one_in(8) {
            *rng.pick(&modes)
        } else {
            Mode::File
        };
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let (problem, code) = check(&runner, &input, &name, mode, Should::Hold);
        let Some(problem) = problem else {
            *by_exit.entry(format!("exit {}", code.map_or("?".into(), |c| c.to_string()))).or_default() += 1;
            continue;
        };
        if let Some(f) = known(&problem) {
            *hits.entry(f.file).or_default() += 1;
            continue;
        }
        *by_exit.entry(problem.kind.into()).or_default() += 1;
        let key = problem.key();
        if new.contains_key(&key) {
            continue;
        }
        log(&format!("fuzz: NEW {problem}\n      seed file {}, iteration {i}, {mode}, {mutations:?}", path.display()));
        let budget = if problem.kind == "hang" { Duration::ZERO } else { Duration::from_secs(20) };
        let small = shrink(&runner, &input, &name, mode, &key, budget);
        let mut failure =
            Failure { problem, seed_file: path.clone(), iteration: i, mode, mutations, saved: PathBuf::new() };
        failure.saved = save(&failures, new.len() + 1, &failure, &input, &small, &name, cfg.seed);
        new.insert(key, failure);
    }
    log(&format!(
        "fuzz: {done} runs in {:.0?}: {by_exit:?}; open findings met: {hits:?}; new problems: {}",
        start.elapsed(),
        new.len()
    ));
    if !new.is_empty() {
        let mut text = format!("{} new problem(s), TEMIS_FUZZ_SEED={}:\n", new.len(), cfg.seed);
        for f in new.values() {
            text.push_str(&format!(
                "- {}\n  seed file {}, iteration {}, {} mode, mutations {:?}\n  saved in {}\n",
                f.problem,
                f.seed_file.display(),
                f.iteration,
                f.mode,
                f.mutations,
                f.saved.display()
            ));
        }
        text.push_str(
            "Record each as a reproducer under tests/fixtures/fuzz-found/ (a line in its README) with \
             an entry in tests/fuzz/engine/found.rs, or fix temis.",
        );
        panic!("{text}");
    }
}

/// Every reproducer under `dir` (tests/fixtures/fuzz-found): an open finding must still show
/// its symptom (else its fix has landed: close the entry); a closed one must pass as its entry
/// says; a file without an entry fails.
pub fn check_reproducers(cfg: &Config, dir: &Path) {
    let (_tmp, mut runner) = cfg.runner();
    // Reproducers are small; an endless input need not take more than this to show its bug.
    runner.memory_kib = runner.memory_kib.min(1 << 20);
    let mut problems = Vec::new();
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "README.md")
        .collect();
    files.sort();
    for name in &files {
        if !FOUND.iter().any(|f| f.file == name) {
            problems.push(format!("{name}: no entry in tests/fuzz/engine/found.rs"));
        }
    }
    for f in FOUND {
        let path = dir.join(f.file);
        let Ok(input) = std::fs::read(&path) else {
            problems.push(format!("{}: the reproducer is missing", path.display()));
            continue;
        };
        let got = check(&runner, &input, f.file, f.mode, f.should).0;
        match (f.open, got) {
            (Some(symptom), Some(p)) if symptom.iter().all(|s| p.to_string().contains(s)) => {}
            (Some(symptom), Some(p)) => {
                problems.push(format!("{} ({}): now {p}, recorded as {symptom:?}: update the entry", f.file, f.mode))
            }
            (Some(_), None) => problems.push(format!(
                "{} ({}): no longer fails; its fix has landed: set `open: None` in found.rs",
                f.file, f.mode
            )),
            (None, Some(p)) => problems.push(format!("{} ({}): {p} (a fixed finding came back)", f.file, f.mode)),
            (None, None) => {}
        }
    }
    assert!(problems.is_empty(), "tests/fixtures/fuzz-found:\n- {}", problems.join("\n- "));
}
