//! `temis init`: write the commented default policy as `temis.toml`, with `[reports]` filled in
//! for the project's stack. Never overwrites an existing file.

use std::path::{Path, PathBuf};

use super::Outcome;
use crate::error::Error;
use crate::output::Output;
use crate::policy::{DEFAULT_POLICY, Policy};

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Repository root to write temis.toml into [default: the git work tree, else the current directory].
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,

    /// Write temis.toml only; do not install the git hooks.
    #[arg(long)]
    pub no_hooks: bool,
}

/// Where a stack's tools write their reports, detected from the files at the root.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Stack {
    pub names: Vec<&'static str>,
    pub coverage: Vec<String>,
    pub tests: Vec<String>,
    /// Other places a stack's tools may write what `coverage` and `tests` list (`coverage.out`
    /// beside `cover.out`): shown in a comment, not listed, since every path `[reports]` lists
    /// must be there for a check the policy requires.
    pub coverage_or: Vec<String>,
    pub tests_or: Vec<String>,
}

/// Detects the stacks at `root` from their manifests.
pub fn detect(root: &Path) -> Stack {
    // Each stack's name, and its coverage and test report places: its usual place first, then
    // where else its tools may write the same report.
    let mut stacks: Vec<(&'static str, [Vec<String>; 2])> = Vec::new();
    let mut add = |name: &'static str, cov: &[&str], tests: &[&str]| {
        let owned = |v: &[&str]| v.iter().map(|x| x.to_string()).collect();
        stacks.push((name, [owned(cov), owned(tests)]));
    };
    if root.join("Cargo.toml").is_file() {
        let target = crate::git::cargo_target_dir(root).unwrap_or_else(|| "target".to_string());
        add(
            "Rust (Cargo)",
            &["lcov.info", &format!("{target}/lcov.info"), "tarpaulin-report.json"],
            &[&format!("{target}/nextest/*/junit.xml")],
        );
    }
    if root.join("package.json").is_file() {
        add("JavaScript/TypeScript (package.json)", &["coverage/lcov.info"], &["junit.xml", "test-results/junit.xml"]);
    }
    if root.join("pyproject.toml").is_file() || root.join("setup.py").is_file() || root.join("setup.cfg").is_file() {
        add("Python", &["coverage.xml"], &["junit.xml"]);
    }
    if root.join("go.mod").is_file() {
        add("Go (go.mod)", &["cover.out", "coverage.out"], &["report.xml"]);
    }
    if root.join("pom.xml").is_file() {
        add("Java (Maven)", &["target/site/jacoco/jacoco.xml"], &["target/surefire-reports/TEST-*.xml"]);
    }
    if root.join("build.gradle").is_file() || root.join("build.gradle.kts").is_file() {
        add(
            "JVM (Gradle)",
            &["build/reports/jacoco/test/jacocoTestReport.xml"],
            &["build/test-results/test/TEST-*.xml"],
        );
    }
    let mut s = Stack { names: stacks.iter().map(|(name, ..)| *name).collect(), ..Stack::default() };
    let existing = |patterns: &[&str]| -> Vec<String> {
        let (found, _) = crate::app::discover::find(root, patterns);
        found.iter().filter_map(|p| p.strip_prefix(root).ok()).map(|p| p.to_string_lossy().replace('\\', "/")).collect()
    };
    for (kind, list, others, conventional) in [
        (0, &mut s.coverage, &mut s.coverage_or, crate::app::discover::COVERAGE_LOCATIONS),
        (1, &mut s.tests, &mut s.tests_or, crate::app::discover::TEST_LOCATIONS),
    ] {
        // Reports already there are where this repository's tools write: each stack's own, and
        // those at other conventional places (a Go module's `junit.xml` beside the usual
        // `report.xml`) for the first stack that has none there.
        let own: Vec<Vec<String>> = stacks
            .iter()
            .map(|(_, places)| existing(&places[kind].iter().map(String::as_str).collect::<Vec<_>>()))
            .collect();
        let mut elsewhere: Vec<String> = existing(&conventional.iter().map(|(p, _)| *p).collect::<Vec<_>>());
        elsewhere.retain(|p| !own.iter().flatten().any(|o| o == p));
        for ((_, places), found) in stacks.iter().zip(own) {
            if !found.is_empty() {
                list.extend(found);
            } else if !elsewhere.is_empty() {
                list.append(&mut elsewhere);
            } else {
                // None yet: the usual place, and globs (which may match nothing), are listed;
                // the other places are named in a comment.
                for (i, place) in places[kind].iter().enumerate() {
                    let to = if i == 0 || crate::app::discover::is_glob(place) { &mut *list } else { &mut *others };
                    to.push(place.clone());
                }
            }
        }
        // Stacks share locations (junit.xml for jest and pytest): keep each once, in order.
        let mut seen = std::collections::HashSet::new();
        list.retain(|x| seen.insert(x.clone()));
        others.retain(|x| seen.insert(x.clone()));
    }
    s
}

/// The default policy text with a `[reports]` section for `stack`.
pub fn policy_text(stack: &Stack) -> String {
    let mut text = DEFAULT_POLICY.to_string();
    if stack.names.is_empty() {
        text.push_str(
            "\n# [reports]\n# coverage = [\"coverage.xml\"]   # paths or globs; conventional locations are searched when absent\n# tests = [\"junit.xml\"]\n",
        );
        return text;
    }
    let list = |v: &[String], or: &[String]| {
        let listed = v.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(", ");
        match or {
            [] => format!("[{listed}]"),
            or => format!("[{listed}]   # or where yours write it: {}", or.join(", ")),
        }
    };
    text.push_str(&format!(
        "\n# Where this repository's reports are ({}). Paths or globs, relative to the repository root;\n\
         # a path listed must be there when the gate runs, a glob may match nothing.\n\
         [reports]\ncoverage = {}\ntests = {}\n",
        stack.names.join(", "),
        list(&stack.coverage, &stack.coverage_or),
        list(&stack.tests, &stack.tests_or)
    ));
    text
}

pub fn run(args: InitArgs, out: Output) -> Result<Outcome, Error> {
    let root = match args.root {
        Some(r) => r,
        None => crate::app::root_dir(None)?,
    };
    let path = root.join("temis.toml");
    if path.exists() {
        return Err(Error::usage(format!(
            "{} already exists; temis init never overwrites a policy (edit it, or remove it first)",
            path.display()
        )));
    }
    let stack = detect(&root);
    let text = policy_text(&stack);
    Policy::parse("temis.toml", &text).map_err(Error::Policy)?;
    crate::app::write::write_new(&path, text.as_bytes())
        .map_err(|e| Error::Write { path: path.display().to_string(), source: e })?;
    let detected = if stack.names.is_empty() { "no known stack detected".to_string() } else { stack.names.join(", ") };
    out.stdout(&format!(
        "wrote {} ({detected})\nnext: run your tests with coverage and JUnit output, then `temis gate`\n",
        path.display()
    ))
    .map_err(Error::stdout)?;
    if install_hooks(&root, args.no_hooks, out) {
        out.stdout(ENFORCED).map_err(Error::stdout)?;
    }
    Ok(Outcome::Ok)
}

/// What the installed hooks enforce from the next commit on, and how to opt out.
const ENFORCED: &str = "what the hooks enforce from your next commit on:
  commit-msg   the message must follow Conventional Commits (`feat: add login`, `fix(api): …`);
               turn it off with `[commits] enabled = false` in temis.toml
  pre-commit   no secret in the staged change (`[secrets] enabled = false` turns it off)
  pre-push     the gate on the current phase's reports, with patch coverage of what you push
opt out: `temis hooks uninstall` (or `temis hooks uninstall commit-msg`); bypass once: --no-verify
";

/// Installs the hooks when `root` is the work tree of the repository temis runs in; whether they
/// were. The policy is written either way: a hook set-up that cannot be done (husky owns
/// core.hooksPath, not a repository) is said, with what to run, and does not undo it.
fn install_hooks(root: &Path, skip: bool, out: Output) -> bool {
    let tell = |text: &str| {
        let _ = out.stdout(text);
    };
    if skip {
        tell("hooks: not installed (--no-hooks); `temis hooks install` installs them\n");
        return false;
    }
    let same_repo = std::env::current_dir()
        .ok()
        .and_then(|cwd| crate::git::repo_root(&cwd))
        .zip(crate::git::repo_root(root))
        .is_some_and(|(a, b)| a.canonicalize().ok() == b.canonicalize().ok());
    if !same_repo {
        tell("hooks: not installed (not run inside this git repository); `temis hooks install` installs them there\n");
        return false;
    }
    let args = super::hooks::HooksArgs {
        action: super::hooks::HooksAction::Install(super::hooks::InstallArgs {
            select: super::hooks::Select { hooks: Vec::new() },
            use_hooks_path: false,
            bin: None,
        }),
    };
    match super::hooks::run(args, out) {
        Ok(_) => true,
        Err(e) => {
            out.warning(&format!("the git hooks were not installed: {e}"));
            false
        }
    }
}
