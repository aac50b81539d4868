//! `action.yml`: every input mapped, every output wired, and its two shell steps run with a
//! simulated GitHub Actions environment (install from a local "release" checked against the
//! committed-style checksum file, then the gate).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use yaml_rust2::{Yaml, YamlLoader};

use crate::gitrepo::make_executable;
use crate::support::BIN;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn action() -> Yaml {
    let text = std::fs::read_to_string(root().join("action.yml")).unwrap();
    YamlLoader::load_from_str(&text).expect("action.yml is YAML").remove(0)
}

fn keys(y: &Yaml) -> Vec<String> {
    y.as_hash().map(|h| h.keys().filter_map(|k| k.as_str().map(str::to_string)).collect()).unwrap_or_default()
}

/// The outputs `temis ci github` writes (tests/cli/github.rs reads them all back).
const TEMIS_OUTPUTS: &[&str] = &["verdict", "coverage", "patch-coverage", "report-json", "comment-id", "check-run-id"];

#[test]
fn action_yml_has_the_required_keys_maps_every_input_and_wires_every_output() {
    let a = action();
    for k in ["name", "description", "inputs", "outputs", "runs"] {
        assert!(!a[k].is_badvalue(), "action.yml lacks {k}");
    }
    assert_eq!(a["runs"]["using"].as_str(), Some("composite"));
    let steps = a["runs"]["steps"].as_vec().expect("steps");
    for s in steps {
        if !s["run"].is_badvalue() {
            assert_eq!(s["shell"].as_str(), Some("bash"), "a run step without shell: bash: {s:?}");
            let run = s["run"].as_str().unwrap();
            assert!(!run.contains("${{"), "an expression inside a script (injection risk): {run}");
        }
    }
    let expected_inputs = [
        "policy",
        "reports",
        "phase",
        "plan",
        "base",
        "token",
        "comment",
        "check-run",
        "annotations",
        "fail-on-blocked",
        "working-directory",
        "version",
    ];
    assert_eq!(keys(&a["inputs"]), expected_inputs);
    let used: Vec<String> = steps
        .iter()
        .flat_map(|s| {
            let mut v: Vec<String> =
                s["env"].as_hash().into_iter().flatten().filter_map(|(_, v)| v.as_str().map(str::to_string)).collect();
            v.extend(s["working-directory"].as_str().map(str::to_string));
            v
        })
        .collect();
    for input in expected_inputs {
        assert!(!a["inputs"][input]["description"].is_badvalue(), "input {input} has no description");
        let expr = format!("${{{{ inputs.{input} }}}}");
        assert!(
            used.iter().any(|u| u == &expr),
            "input {input} is not mapped to any step (composite actions get no INPUT_*)"
        );
    }
    assert_eq!(a["inputs"]["token"]["default"].as_str(), Some("${{ github.token }}"));
    // The release archive is cached by version and platform, as install.sh resolves them.
    let cache = steps.iter().find(|s| s["id"].as_str() == Some("cache")).expect("a step with id cache");
    assert!(cache["uses"].as_str().is_some_and(|u| u.starts_with("actions/cache@") && is_sha_pinned(u)));
    assert_eq!(cache["with"]["key"].as_str(), Some("${{ steps.resolve.outputs.cache-key }}"));
    assert_eq!(cache["with"]["path"].as_str(), Some("${{ steps.resolve.outputs.cache-dir }}"));

    assert_eq!(keys(&a["outputs"]), TEMIS_OUTPUTS);
    let gate = steps.iter().find(|s| s["id"].as_str() == Some("gate")).expect("a step with id gate");
    for out in TEMIS_OUTPUTS {
        assert_eq!(
            a["outputs"][*out]["value"].as_str(),
            Some(format!("${{{{ steps.gate.outputs.{out} }}}}").as_str()),
            "output {out} is not wired to the gate step"
        );
    }
    // Every INPUT_* the run script reads is set by the gate step, and the other way round.
    let script = std::fs::read_to_string(root().join("ci/action/run.sh")).unwrap();
    let mut read: Vec<String> = script
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| w.starts_with("INPUT_") && w.len() > "INPUT_".len())
        .map(str::to_string)
        .collect();
    read.sort();
    read.dedup();
    let mut set: Vec<String> = keys(&gate["env"]).into_iter().filter(|k| k.starts_with("INPUT_")).collect();
    set.sort();
    assert_eq!(read, set);
}

struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
}

fn bash(script: &Path, dir: &Path, env: &[(&str, String)]) -> Ran {
    let out = Command::new("bash")
        .arg(script)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", dir)
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .stdin(Stdio::null())
        .output()
        .expect("bash runs (the action's steps need bash)");
    Ran {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn tool(name: &str, args: &[&str], dir: &Path) -> String {
    let out = Command::new(name)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("this test needs {name}: {e}"));
    assert!(out.status.success(), "{name} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn outputs(path: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let mut out = BTreeMap::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some((name, delim)) = line.split_once("<<") {
            let v: Vec<&str> = lines.by_ref().take_while(|l| *l != delim).collect();
            out.insert(name.to_string(), v.join("\n"));
        } else if let Some((name, value)) = line.split_once('=') {
            out.insert(name.to_string(), value.to_string());
        }
    }
    out
}

/// A copy of the action (its scripts) whose checksums.txt lists a local release of `temis`
/// (a stand-in for this build) for Linux x64, and the directory serving that release.
fn local_release(checksum: Option<&str>) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let action = t.path().join("action");
    std::fs::create_dir_all(action.join("ci/action")).unwrap();
    for f in ["install.sh", "run.sh"] {
        std::fs::copy(root().join("ci/action").join(f), action.join("ci/action").join(f)).unwrap();
    }
    // The action's own version, which install.sh installs by default.
    std::fs::write(action.join("Cargo.toml"), "[package]\nname = \"temis\"\nversion = \"9.9.9\"\n").unwrap();
    let release = t.path().join("releases/v9.9.9");
    let staging = t.path().join("staging");
    std::fs::create_dir_all(&release).unwrap();
    std::fs::create_dir_all(&staging).unwrap();
    // The archive holds a stand-in that runs this build (a 100 MB debug binary would only make
    // the test slow).
    std::fs::write(staging.join("temis"), format!("#!/bin/sh\nexec '{BIN}' \"$@\"\n")).unwrap();
    // Packed and recorded by the release process's own script, as a release is.
    let asset = "temis-v9.9.9-x86_64-unknown-linux-musl.tar.gz";
    let checksums = action.join("ci/action/checksums.txt");
    std::fs::copy(root().join("ci/action/checksums.txt"), &checksums).unwrap();
    let release_sh = root().join("ci/release.sh").display().to_string();
    let stand_in = staging.join("temis").display().to_string();
    let dir = release.display().to_string();
    let packed =
        tool("bash", &[&release_sh, "package", "9.9.9", "x86_64-unknown-linux-musl", &stand_in, &dir], t.path());
    assert!(packed.ends_with(&format!("  {asset}\n")), "{packed}");
    let recorded = tool("bash", &[&release_sh, "record", "9.9.9", &dir, &checksums.display().to_string()], t.path());
    assert!(recorded.contains("recorded 1 archive(s) of v9.9.9"), "{recorded}");
    let text = std::fs::read_to_string(&checksums).unwrap();
    assert!(text.contains(&format!("\nversion 9.9.9\n{packed}")), "{text}");
    if let Some(bad) = checksum {
        std::fs::write(&checksums, text.replace(packed.split_whitespace().next().unwrap(), bad)).unwrap();
    }
    let base = t.path().join("releases");
    (t, action, base)
}

fn install_env(t: &Path, action: &Path, base: &Path) -> Vec<(&'static str, String)> {
    vec![
        ("GITHUB_ACTION_PATH", action.display().to_string()),
        ("RUNNER_OS", "Linux".into()),
        ("RUNNER_ARCH", "X64".into()),
        ("RUNNER_TEMP", t.join("runner-temp").display().to_string()),
        ("GITHUB_OUTPUT", t.join("install-output").display().to_string()),
        ("GITHUB_PATH", t.join("path-file").display().to_string()),
        ("TEMIS_VERSION", String::new()),
        ("TEMIS_DOWNLOAD_TOKEN", "ghs_never_sent_to_file_urls".into()),
        ("TEMIS_RELEASE_BASE_URL", format!("file://{}", base.display())),
    ]
}

#[test]
fn the_install_step_verifies_the_release_and_the_gate_step_maps_the_inputs() {
    let (t, action, base) = local_release(None);
    std::fs::create_dir_all(t.path().join("runner-temp")).unwrap();
    let env = install_env(t.path(), &action, &base);
    let r = bash(&action.join("ci/action/install.sh"), t.path(), &env);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("temis 0.1.0"), "the installed binary runs: {}", r.stdout);
    assert!(!r.stdout.contains("ghs_never") && !r.stderr.contains("ghs_never"));
    let installed = outputs(&t.path().join("install-output"))["path"].clone();
    assert!(installed.ends_with("runner-temp/temis-bin/temis"), "{installed}");
    let path_file = std::fs::read_to_string(t.path().join("path-file")).unwrap();
    assert!(path_file.trim_end().ends_with("runner-temp/temis-bin"), "{path_file}");
    assert!(r.stdout.contains("verified against ci/action/checksums.txt"), "{}", r.stdout);
    assert_eq!(outputs(&t.path().join("install-output"))["installed-from"], "download");
    // The second run takes the verified archive from the cache, with the release gone.
    std::fs::remove_dir_all(&base).unwrap();
    let r = bash(&action.join("ci/action/install.sh"), t.path(), &env);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("from the cache"), "{}", r.stdout);
    assert_eq!(outputs(&t.path().join("install-output"))["installed-from"], "cache");

    // The gate step: the example's phase-2 reports through a `**` glob, on a push (no PR).
    let ws = t.path().join("ws");
    let phase2 = root().join("examples/jwt-auth/reports/phase-2");
    std::fs::create_dir_all(ws.join("reports/shard-1")).unwrap();
    crate::support::example_sources(&ws);
    std::fs::copy(phase2.join("coverage.xml"), ws.join("reports/shard-1/coverage.xml")).unwrap();
    std::fs::copy(phase2.join("junit.xml"), ws.join("reports/junit.xml")).unwrap();
    let gate_env = |fail_on_blocked: &str| {
        vec![
            ("TEMIS_BIN", installed.clone()),
            ("INPUT_POLICY", String::new()),
            ("INPUT_REPORTS", "reports/**/coverage.xml\n  reports/junit.xml".into()),
            ("INPUT_PHASE", "2".into()),
            ("INPUT_PLAN", String::new()),
            ("INPUT_BASE", String::new()),
            ("INPUT_COMMENT", "on".into()),
            ("INPUT_CHECK_RUN", "true".into()),
            ("INPUT_ANNOTATIONS", "3".into()),
            ("INPUT_FAIL_ON_BLOCKED", fail_on_blocked.into()),
            ("GITHUB_TOKEN", String::new()),
            ("GITHUB_EVENT_NAME", "push".into()),
            ("GITHUB_REPOSITORY", "octo/app".into()),
            ("GITHUB_SHA", "6dcb09b5b57875f334f61aebed695e2e4193db5e".into()),
            ("GITHUB_STEP_SUMMARY", ws.join("summary.md").display().to_string()),
            ("GITHUB_OUTPUT", ws.join("output").display().to_string()),
            ("RUNNER_TEMP", t.path().join("runner-temp").display().to_string()),
            ("TEMIS_TODAY", "2026-11-24".into()),
        ]
    };
    let r = bash(&action.join("ci/action/run.sh"), &ws, &gate_env("true"));
    assert_eq!(r.code, 1, "BLOCKED fails the step\n{}\n{}", r.stdout, r.stderr);
    let out = outputs(&ws.join("output"));
    assert_eq!(out["verdict"], "BLOCKED");
    assert_eq!(out["coverage"], "77.33");
    let summary = std::fs::read_to_string(ws.join("summary.md")).unwrap();
    assert!(summary.starts_with("### ❌ temis: BLOCKED — phase 2"), "{summary}");
    assert!(r.stdout.contains("::error "), "{}", r.stdout);

    std::fs::remove_file(ws.join("output")).unwrap();
    let r = bash(&action.join("ci/action/run.sh"), &ws, &gate_env("false"));
    assert_eq!(r.code, 0, "fail-on-blocked: false lets the step pass\n{}", r.stderr);
    assert_eq!(outputs(&ws.join("output"))["verdict"], "BLOCKED", "and still says BLOCKED");
}

/// `working-directory: packages/web`, a monorepo package with its own `temis.toml`: temis
/// refuses to choose between that policy and the root's without `--root` (exit 2), which the
/// action's inputs could not give. The gate step judges such a folder as its own root; any
/// other folder, or a policy named, as before.
#[test]
fn a_working_directory_with_its_own_policy_is_judged_as_its_own_root() {
    let t = tempfile::tempdir().unwrap();
    let repo = t.path().join("repo");
    for dir in ["packages/web", "packages/api"] {
        std::fs::create_dir_all(repo.join(dir)).unwrap();
    }
    tool("git", &["init", "-q"], &repo);
    std::fs::write(repo.join("packages/web/temis.toml"), "[coverage]\nmin_line = 95\n").unwrap();
    std::fs::write(repo.join("temis.toml"), "").unwrap();
    // A stand-in for temis that prints the arguments it was given.
    let fake = t.path().join("temis");
    std::fs::write(&fake, "#!/bin/sh\necho \"args: $*\"\n").unwrap();
    make_executable(&fake);
    let run = root().join("ci/action/run.sh");
    let args = |dir: &str, policy: &str| {
        let env = [("TEMIS_BIN", fake.display().to_string()), ("INPUT_POLICY", policy.to_string())];
        let r = bash(&run, &repo.join(dir), &env);
        assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
        r.stdout
    };
    assert!(args("packages/web", "").contains("--root ."), "{}", args("packages/web", ""));
    for (dir, policy) in [(".", ""), ("packages/api", ""), ("packages/web", "ci.toml")] {
        assert!(!args(dir, policy).contains("--root"), "{dir} {policy}: {}", args(dir, policy));
    }
}

#[test]
fn the_release_script_packs_the_same_bytes_twice_and_keeps_older_sums() {
    let t = tempfile::tempdir().unwrap();
    let release_sh = root().join("ci/release.sh").display().to_string();
    let bin = t.path().join("temis");
    std::fs::write(&bin, "#!/bin/sh\necho temis\n").unwrap();
    let pack = |out: &str| {
        tool(
            "bash",
            &[&release_sh, "package", "v1.2.3", "aarch64-apple-darwin", &bin.display().to_string(), out],
            t.path(),
        )
    };
    let (a, b) = (pack("one"), pack("two"));
    assert_eq!(a, b, "the same binary packs to the same bytes");
    let listing = tool("tar", &["-tzf", "one/temis-v1.2.3-aarch64-apple-darwin.tar.gz"], t.path());
    assert_eq!(listing, "temis\nREADME.md\n");
    // The release's SHA256SUMS: the package lines, in `sha256sum --check` format.
    assert_eq!(tool("bash", &[&release_sh, "sums", "1.2.3", "one"], t.path()), a);
    assert_eq!(std::fs::read_to_string(t.path().join("one/SHA256SUMS")).unwrap(), a);
    let checked = tool("sha256sum", &["--check", "SHA256SUMS"], &t.path().join("one"));
    assert_eq!(checked, "temis-v1.2.3-aarch64-apple-darwin.tar.gz: OK\n");

    let checksums = t.path().join("checksums.txt");
    let old = format!("# a comment\nversion 1.2.2\n{}  temis-v1.2.2-aarch64-apple-darwin.tar.gz\n", "a".repeat(64));
    std::fs::write(&checksums, &old).unwrap();
    let record = || tool("bash", &[&release_sh, "record", "1.2.3", "one", &checksums.display().to_string()], t.path());
    record();
    let once = std::fs::read_to_string(&checksums).unwrap();
    assert_eq!(
        once,
        format!("# a comment\nversion 1.2.3\n{}  temis-v1.2.2-aarch64-apple-darwin.tar.gz\n{a}", "a".repeat(64))
    );
    record();
    assert_eq!(std::fs::read_to_string(&checksums).unwrap(), once, "recording again changes nothing");

    let r = Command::new("bash").args([&release_sh, "record", "1.2.4", "one"]).current_dir(t.path()).output().unwrap();
    assert_eq!(r.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&r.stderr).contains("one holds no temis-v1.2.4-*.tar.gz"));
    let r = Command::new("bash")
        .args([&release_sh, "package", "1.2", "x", "nope", "o"])
        .current_dir(t.path())
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&r.stderr).contains("version 1.2 is not X.Y.Z"));
}

#[test]
fn a_release_that_does_not_match_its_committed_checksum_is_not_installed() {
    let (t, action, base) = local_release(Some(&"0".repeat(64)));
    std::fs::create_dir_all(t.path().join("runner-temp")).unwrap();
    let r = bash(&action.join("ci/action/install.sh"), t.path(), &install_env(t.path(), &action, &base));
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("::error title=temis install::checksum mismatch"), "{}", r.stdout);
    assert!(!t.path().join("runner-temp/temis-bin/temis").exists());
    assert!(
        !t.path().join("install-output").exists()
            || !std::fs::read_to_string(t.path().join("install-output")).unwrap().contains("path=")
    );
}

/// Every workflow file the project ships: the templates in ci/workflows and its own CI.
fn workflows() -> Vec<(PathBuf, Yaml)> {
    let mut files = Vec::new();
    for dir in ["ci/workflows", ".github/workflows"] {
        for entry in std::fs::read_dir(root().join(dir)).unwrap() {
            let p = entry.unwrap().path();
            if p.extension().is_some_and(|e| e == "yml") {
                let text = std::fs::read_to_string(&p).unwrap();
                files.push((p, YamlLoader::load_from_str(&text).expect("workflow YAML").remove(0)));
            }
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

fn is_sha_pinned(uses: &str) -> bool {
    let Some((_, rev)) = uses.split_once('@') else { return false };
    rev.len() == 40 && rev.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
}

#[test]
fn workflows_pin_every_action_by_sha_ask_for_least_privilege_and_keep_expressions_out_of_scripts() {
    let all = workflows();
    let names: Vec<String> = all.iter().map(|(p, _)| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(
        names,
        [
            "ci.yml",
            "release.yml",
            "temis-fork-stage1.yml",
            "temis-fork-stage2.yml",
            "temis-pr.yml",
            "temis-sharded.yml"
        ],
        "the templates and the project's own workflows"
    );
    for (path, w) in &all {
        let name = path.display();
        assert!(
            w["on"]["pull_request_target"].is_badvalue(),
            "{name}: pull_request_target runs fork code with a write token"
        );
        assert_eq!(w["permissions"].as_hash().map(|h| h.len()), Some(0), "{name}: top-level `permissions: {{}}`");
        for (job_id, job) in w["jobs"].as_hash().expect("jobs") {
            let job_id = job_id.as_str().unwrap();
            let perms =
                job["permissions"].as_hash().unwrap_or_else(|| panic!("{name}: job {job_id} lists no permissions"));
            for (scope, level) in perms {
                let (scope, level) = (scope.as_str().unwrap(), level.as_str().unwrap());
                assert!(level == "read" || level == "write", "{name}: {job_id}: {scope}: {level}");
                // Only the release workflow, run on a published release (never on a pull
                // request), writes contents: the archives it uploads to that release.
                let releases = w["on"]["pull_request"].is_badvalue() && !w["on"]["release"].is_badvalue();
                if level == "write" && !(releases && scope == "contents") {
                    assert!(
                        ["pull-requests", "checks", "security-events"].contains(&scope),
                        "{name}: {job_id} writes {scope}, which temis does not need"
                    );
                }
            }
            for step in job["steps"].as_vec().expect("steps") {
                if let Some(uses) = step["uses"].as_str() {
                    // The templates name this version's tag (and say how to pin its commit).
                    let tag = format!("@v{}", env!("CARGO_PKG_VERSION"));
                    let ours = uses == "./"
                        || uses == format!("OWNER/temis{tag}")
                        || uses == format!("OWNER/temis/setup{tag}");
                    assert!(ours || is_sha_pinned(uses), "{name}: {uses} is not pinned to a full commit SHA");
                    if uses.starts_with("actions/checkout@") {
                        assert_eq!(
                            step["with"]["persist-credentials"].as_bool(),
                            Some(false),
                            "{name}: checkout keeps the token"
                        );
                        assert!(step["with"]["ref"].is_badvalue(), "{name}: checkout of another ref");
                    }
                }
                if let Some(run) = step["run"].as_str() {
                    assert!(!run.contains("${{"), "{name}: an expression inside a script (injection risk): {run}");
                }
            }
        }
    }
    let stage2 = &all.iter().find(|(p, _)| p.ends_with("temis-fork-stage2.yml")).unwrap().1;
    assert_eq!(stage2["on"]["workflow_run"]["workflows"][0].as_str(), Some("temis"));
    let stage1 = &all.iter().find(|(p, _)| p.ends_with("temis-fork-stage1.yml")).unwrap().1;
    assert_eq!(stage1["name"].as_str(), Some("temis"), "stage 2 listens to stage 1 by name");
    let stage1_perms = stage1["jobs"]["gate"]["permissions"].as_hash().unwrap();
    assert_eq!(stage1_perms.len(), 1, "stage 1 runs untrusted code: contents: read only");
}

#[test]
fn the_setup_action_maps_its_inputs_and_wires_its_output() {
    let text = std::fs::read_to_string(root().join("setup/action.yml")).unwrap();
    let a = YamlLoader::load_from_str(&text).unwrap().remove(0);
    assert_eq!(a["runs"]["using"].as_str(), Some("composite"));
    let steps = a["runs"]["steps"].as_vec().unwrap();
    let step = steps.iter().find(|s| s["id"].as_str() == Some("install")).expect("a step with id install");
    assert_eq!(step["run"].as_str(), Some("bash \"$GITHUB_ACTION_PATH/../ci/action/install.sh\""));
    let cache = steps.iter().find(|s| s["id"].as_str() == Some("cache")).expect("a step with id cache");
    assert_eq!(cache["with"]["key"].as_str(), Some("${{ steps.resolve.outputs.cache-key }}"));
    let env: Vec<&str> = step["env"].as_hash().unwrap().values().filter_map(Yaml::as_str).collect();
    for input in keys(&a["inputs"]) {
        assert!(env.contains(&format!("${{{{ inputs.{input} }}}}").as_str()), "setup input {input} is not mapped");
    }
    assert_eq!(a["outputs"]["path"]["value"].as_str(), Some("${{ steps.install.outputs.path }}"));
}

/// The release targets are named in four places that must agree: the release workflow's archive
/// and wheel jobs, the action's install script (runner → target) and npm/platforms.json.
#[test]
fn the_release_targets_agree_across_the_workflow_the_action_and_npm() {
    let text = std::fs::read_to_string(root().join(".github/workflows/release.yml")).unwrap();
    let w = YamlLoader::load_from_str(&text).unwrap().remove(0);
    let matrix = |job: &str| -> Vec<String> {
        let mut v: Vec<String> = w["jobs"][job]["strategy"]["matrix"]["include"]
            .as_vec()
            .unwrap_or_else(|| panic!("release.yml: job {job} has no matrix"))
            .iter()
            .map(|e| e["target"].as_str().unwrap().to_string())
            .collect();
        v.sort();
        v
    };
    let archives = matrix("archive");
    assert_eq!(archives.len(), 5, "{archives:?}");

    let script = std::fs::read_to_string(root().join("ci/action/install.sh")).unwrap();
    let mut installed: Vec<String> = script
        .lines()
        .filter_map(|l| l.split_once(") target=").map(|(_, t)| t.trim_end_matches(" ;;").to_string()))
        .filter(|t| !t.is_empty() && t != "\"\"")
        .collect();
    installed.sort();
    assert_eq!(installed, archives, "install.sh maps runners to other targets than the archives'");

    let platforms: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("npm/platforms.json")).unwrap()).unwrap();
    for t in &archives {
        assert!(platforms.get(t).is_some(), "npm/platforms.json lacks {t}");
    }
    // The npm job packs every archive's binary.
    let line = text.lines().find_map(|l| l.trim().strip_prefix("for target in ")).expect("the npm job's loop");
    let mut packed: Vec<String> = line.trim_end_matches("; do").split_whitespace().map(str::to_string).collect();
    packed.sort();
    assert_eq!(packed, archives, "the npm job packs other targets than the archives'");

    // Wheels: the archives' targets, and the glibc builds of the two Linux ones.
    let mut wheels = matrix("wheel");
    wheels.retain(|t| !t.ends_with("-linux-gnu"));
    assert_eq!(wheels, archives);
}
