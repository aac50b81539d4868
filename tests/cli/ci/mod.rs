//! `temis ci gitlab|bitbucket|azure|jenkins`, and `temis ci` picking the platform, against one
//! fake API server on 127.0.0.1 ([`fake`]) that records every request and checks it against the
//! platform's limits — and, in the conformance target, against the platform's own API
//! description ([`contract`], `../shared/ci-apis/`).
//!
//! For each platform: the first run creates one note, thread or report and the second updates
//! the same one; a 403 degrades to the artifacts and the log without changing the exit code;
//! hostile report text arrives escaped; the token appears in no output and no file; the
//! artifacts parse back (Cobertura and JUnit with temis's own readers).

mod azure;
mod bitbucket;
pub mod contract;
mod detect;
pub mod fake;
mod gitlab;
mod jenkins;
mod templates;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::rc::Rc;

use crate::support::BIN;

/// The token every test hands temis: it must never come back out.
pub const TOKEN: &str = "tok-SECRET-0123456789abcdef";

/// A test name and a failure message no channel may pass on as markup, a mention or a command.
pub const HOSTILE_JUNIT: &str = r#"<?xml version="1.0"?>
<testsuite name="s" tests="2" failures="1">
  <testcase classname="tests.test_x" name="test_ok" file="tests/test_x.py" line="3"/>
  <testcase classname="tests.test_x" name="test_@everyone &lt;img src=x onerror=alert(1)&gt; ##vso[task.setvariable variable=X]pwned&#10;::error::pwned" file="tests/test_x.py" line="9">
    <failure message="&lt;script&gt;alert(1)&lt;/script&gt; @here ##vso[task.complete result=Succeeded;]done ::error::pwned">boom</failure>
  </testcase>
</testsuite>"#;

/// What one `temis ci …` run left behind.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    /// The artifacts directory.
    pub artifacts: PathBuf,
    /// The workspace, kept while its run is looked at.
    _workspace: Rc<tempfile::TempDir>,
}

impl Run {
    /// An artifact's text.
    pub fn artifact(&self, rel: &str) -> String {
        let p = self.artifacts.join(rel);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}\n{}", p.display(), self.stderr))
    }

    pub fn json(&self, rel: &str) -> serde_json::Value {
        serde_json::from_str(&self.artifact(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }
}

/// A workspace with reports.
pub struct Workspace {
    dir: Rc<tempfile::TempDir>,
}

impl Workspace {
    pub fn new(files: &[(&str, &str)]) -> Workspace {
        let dir = tempfile::tempdir().unwrap();
        for (rel, text) in files {
            crate::support::write(dir.path(), rel, text);
        }
        Workspace { dir: Rc::new(dir) }
    }

    /// The example project's phase-2 reports: BLOCKED (coverage 77.33 %, one failing test).
    pub fn example() -> Workspace {
        Workspace::phase(2)
    }

    /// The example project's phase-1 reports: APPROVED.
    pub fn approved() -> Workspace {
        Workspace::phase(1)
    }

    /// The example's sources, then its phase-`n` reports (newer than the sources, as after a test
    /// run): outside a git work tree the files on disk are what the report's paths must name.
    fn phase(n: u32) -> Workspace {
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/jwt-auth");
        let read = |f: &str| std::fs::read_to_string(example.join(f)).unwrap();
        let sources = ["src/authsvc/__init__.py", "src/authsvc/jwt.py", "src/authsvc/store.py"];
        let mut files: Vec<(String, String)> = sources.iter().map(|f| (f.to_string(), read(f))).collect();
        for f in ["coverage.xml", "junit.xml"] {
            files.push((f.to_string(), read(&format!("reports/phase-{n}/{f}"))));
        }
        let files: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        Workspace::new(&files)
    }

    /// A failing test whose name and message try every kind of injection.
    pub fn hostile() -> Workspace {
        Workspace::new(&[("junit.xml", HOSTILE_JUNIT), ("temis.toml", "[coverage]\nrequired = false\n")])
    }

    /// `n` critical findings of a SARIF scan (`scan.sarif`), each on its own line of
    /// `src/app.py`, and nothing else judged: BLOCKED by as many findings.
    pub fn findings(n: usize) -> Workspace {
        let results: Vec<serde_json::Value> = (1..=n)
            .map(|i| {
                serde_json::json!({"ruleId": format!("R{i}"), "level": "error", "message": {"text": format!("finding {i}")},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": "src/app.py"}, "region": {"startLine": i}}}]})
            })
            .collect();
        let rules: Vec<serde_json::Value> = (1..=n)
            .map(|i| serde_json::json!({"id": format!("R{i}"), "properties": {"security-severity": "9.0"}}))
            .collect();
        let sarif = serde_json::json!({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "scan", "rules": rules}},
                                                                      "results": results}]});
        let app: String = (1..=n).map(|i| format!("x{i} = {i}\n")).collect();
        Workspace::new(&[
            ("scan.sarif", &sarif.to_string()),
            ("src/app.py", &app),
            ("temis.toml", "[coverage]\nrequired = false\n[tests]\nrequired = false\n"),
        ])
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs `temis ARGS` here with only `env` (and PATH, HOME, a pinned date) set; checks that
    /// the token is in no output and no artifact.
    pub fn run(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let d = self.path();
        let out = Command::new(BIN)
            .args(args)
            .current_dir(d)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", d)
            .env("TEMIS_TODAY", "2026-11-24")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .output()
            .expect("temis runs");
        let run = Run {
            code: out.status.code().expect("exit code"),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
            artifacts: d.join("temis-ci"),
            _workspace: self.dir.clone(),
        };
        for (what, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
            assert!(!text.contains(TOKEN), "the token is printed on {what}:\n{text}");
        }
        for file in files(&run.artifacts) {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            assert!(!text.contains(TOKEN), "the token is in {}", file.display());
        }
        run
    }
}

/// Every file under `dir`.
pub fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// A git repository whose `main` has `app.py` (2 lines) and whose `feature` (checked out)
/// adds two lines after `above` new lines at the top: returns (dir, base commit, head commit).
/// `lcov.info` covers the first added line (`above + 3`), not the second (`above + 4`).
pub fn repo_with_change(above: usize) -> (tempfile::TempDir, String, String) {
    use crate::support::{git, repo, write};
    let dir = repo();
    let d = dir.path();
    write(d, "app.py", "a = 1\nb = 2\n");
    write(d, ".gitignore", "temis-ci/\nlcov.info\ntemis.toml\n");
    git(d, &["add", "app.py", ".gitignore"]);
    git(d, &["commit", "-q", "-m", "base"]);
    let base = git(d, &["rev-parse", "HEAD"]).trim().to_string();
    git(d, &["checkout", "-q", "-b", "feature"]);
    let pad: String = (0..above).map(|i| format!("# note {i}\n")).collect();
    write(d, "app.py", &format!("{pad}a = 1\nb = 2\nc = 3\nd = 4\n"));
    git(d, &["commit", "-q", "-am", "add c and d"]);
    let head = git(d, &["rev-parse", "HEAD"]).trim().to_string();
    let first = above + 1;
    let lcov =
        format!("SF:app.py\nDA:{first},1\nDA:{},1\nDA:{},1\nDA:{},0\nend_of_record\n", first + 1, first + 2, first + 3);
    write(d, "lcov.info", &lcov);
    write(d, "temis.toml", "[coverage]\nmin_line = 50\n\n[tests]\nrequired = false\n");
    (dir, base, head)
}

/// [`repo_with_change`] as the origin of a clone of `feature` only (as CI systems clone a pull
/// request's branch): the clone has no `origin/main` until temis fetches it. Returns (origin,
/// the clone as a workspace with `lcov.info` and `temis.toml`, base, head).
pub fn clone_of_change() -> (tempfile::TempDir, Workspace, String, String) {
    use crate::support::{git, write};
    let (origin, base, head) = repo_with_change(0);
    let ws = Workspace { dir: Rc::new(tempfile::tempdir().unwrap()) };
    let url = format!("file://{}", origin.path().display());
    git(ws.path(), &["clone", "-q", "--single-branch", "--branch", "feature", &url, "."]);
    let lcov = std::fs::read_to_string(origin.path().join("lcov.info")).unwrap();
    write(ws.path(), "lcov.info", &lcov);
    write(ws.path(), "temis.toml", &std::fs::read_to_string(origin.path().join("temis.toml")).unwrap());
    (origin, ws, base, head)
}

impl Workspace {
    /// A workspace in `dir` (a repository made by [`repo_with_change`]).
    pub fn at(dir: tempfile::TempDir) -> Workspace {
        Workspace { dir: Rc::new(dir) }
    }
}

/// The uncovered added lines of a Code Quality report or an issues list: (path, line).
pub fn uncovered_added(findings: &[serde_json::Value], check: &str) -> Vec<(String, u64)> {
    findings
        .iter()
        .filter(|f| f["check_name"] == check || f["type"] == check)
        .map(|f| {
            let path = f["location"]["path"].as_str().or(f["fileName"].as_str()).unwrap_or_default().to_string();
            let line = f["location"]["lines"]["begin"].as_u64().or(f["lineStart"].as_u64()).unwrap_or(0);
            (path, line)
        })
        .collect()
}

/// What `temis report --format json FILE` says of a file temis wrote: that temis reads it back.
pub fn read_back(file: &Path) -> serde_json::Value {
    let dir = file.parent().unwrap();
    let r = crate::support::temis_in(dir, &["report", "--format", "json", &file.display().to_string()]);
    assert_eq!(r.code, 0, "temis cannot read back {}: {}", file.display(), r.stderr);
    serde_json::from_str::<serde_json::Value>(&r.stdout).unwrap()["reports"][0].clone()
}

/// Every line of a log that a CI system could read as a command of its own (GitHub's
/// `::name`, Azure's `##vso[` and `##[`), except those `own` allows. Azure's agent looks for its
/// commands with a culture-sensitive search, for which ICU ignores format characters (a
/// zero-width space): they are ignored here too.
pub fn foreign_commands<'a>(log: &'a str, own: &[&str]) -> Vec<&'a str> {
    log.lines()
        .filter(|l| {
            let t = l.trim_start();
            let azure: String = l
                .chars()
                .filter(|c| !matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}'))
                .collect::<String>()
                .to_ascii_lowercase();
            let command = t.starts_with("::") || azure.contains("##vso[") || azure.contains("##[");
            command && !own.iter().any(|o| t.starts_with(o))
        })
        .collect()
}

/// Snapshots of this module are the same files whichever target runs it (`cli`, or
/// `conformance`): `tests/cli/snapshots/cli__ci__NAME.snap`.
pub fn snapshot(name: &str, value: &str) {
    insta::with_settings!({
        snapshot_path => concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cli/snapshots"),
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!(format!("cli__ci__{name}"), value);
    });
}
