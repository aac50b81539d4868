//! Patch coverage, the ratchet and the pre-push hook, on real git repositories.

use crate::gitrepo::{Sandbox, make_executable, write};

const POLICY: &str = "[coverage]\nmin_line = 0\nmin_patch = 80\nmax_drop = 0.5\n\n[tests]\nrequired = false\n\n\
[reports]\ncoverage = [\"lcov.info\"]\n";

/// An LCOV report for `src/a.py` with these (line, hits).
fn lcov(lines: &[(u32, u32)]) -> String {
    let mut s = String::from("SF:src/a.py\n");
    for (l, h) in lines {
        s.push_str(&format!("DA:{l},{h}\n"));
    }
    s.push_str("end_of_record\n");
    s
}

fn app(s: &Sandbox) -> std::path::PathBuf {
    let repo = s.repo("app");
    write(&repo, "temis.toml", POLICY);
    write(&repo, ".gitignore", "lcov.info\n");
    write(&repo, "src/a.py", "def a():\n    return 1\n\n");
    s.git(&repo, &["add", "."]).ok();
    s.git(&repo, &["commit", "-q", "-m", "feat: a"]).ok();
    repo
}

/// Sets the modification time of `path` in `repo`: a file written before or after a report.
fn dated(repo: &std::path::Path, path: &str, at: std::time::SystemTime) {
    std::fs::File::options().write(true).open(repo.join(path)).unwrap().set_modified(at).unwrap();
}

/// `app` with an empty bare `origin` and temis's pre-push hook installed.
fn pushing_app(s: &Sandbox) -> std::path::PathBuf {
    let remote = s.root.join("remote.git");
    s.git(&s.root, &["init", "-q", "--bare", remote.to_str().unwrap()]).ok();
    let repo = app(s);
    s.git(&repo, &["remote", "add", "origin", remote.to_str().unwrap()]).ok();
    s.temis(&repo, &["hooks", "install", "pre-push"]).ok();
    repo
}

#[test]
fn gate_base_measures_the_added_lines_and_lists_the_uncovered_ones() {
    let s = Sandbox::new();
    let repo = app(&s);
    s.git(&repo, &["branch", "base"]).ok();
    write(&repo, "src/a.py", "def a():\n    return 1\n\ndef b(x):\n    if x:\n        return 2\n    return 3\n");
    s.git(&repo, &["commit", "-q", "-am", "feat: b"]).ok();
    write(&repo, "lcov.info", &lcov(&[(1, 1), (2, 1), (4, 1), (5, 1), (6, 0), (7, 0)]));
    let r = s.temis(&repo, &["gate", "--base", "base", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.all());
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["figures"]["patch_lines_total"], 4);
    assert_eq!(v["figures"]["patch_lines_covered"], 2);
    let check = v["checks"].as_array().unwrap().iter().find(|c| c["code"] == "patch-coverage-below-threshold").unwrap();
    assert_eq!(check["outcome"], "fail");
    assert_eq!(check["evidence"][0]["path"], "src/a.py");
    assert_eq!(check["evidence"][0]["text"], "2 of 4 added lines uncovered: 6-7");
    assert!(check["message"].as_str().unwrap().contains("base ("), "{}", check["message"]);

    // A renamed file counts only its changed lines.
    s.git(&repo, &["branch", "-f", "base"]).ok();
    s.git(&repo, &["mv", "src/a.py", "src/b.py"]).ok();
    s.git(&repo, &["commit", "-q", "-m", "refactor: rename"]).ok();
    write(&repo, "lcov.info", &lcov(&[(1, 1), (2, 1), (4, 1), (5, 1), (6, 0), (7, 0)]).replace("src/a.py", "src/b.py"));
    let r = s.temis(&repo, &["gate", "--base", "base", "--format", "json"]).ok();
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["figures"]["patch_lines_total"], 0, "{}", r.stdout);
    assert!(r.stdout.contains("the change adds no line the coverage reports measure"), "{}", r.stdout);
}

/// A change of code of a kind no report lists (a C++ header, a template nobody instantiates, in
/// a project whose report lists its `.cpp` files): patch coverage has nothing to measure and is
/// skipped — the row names the file it left (it said only "adds no line the reports measure").
#[test]
fn a_skipped_patch_names_the_code_no_report_lists() {
    let s = Sandbox::new();
    let repo = app(&s);
    s.git(&repo, &["branch", "base"]).ok();
    write(&repo, "src/risky.hpp", "template <class T> T pick(T a, T b) {\n  return a > b ? a : b;\n}\n");
    s.git(&repo, &["add", "."]).ok();
    s.git(&repo, &["commit", "-q", "-m", "feat: pick"]).ok();
    write(&repo, "lcov.info", &lcov(&[(1, 1), (2, 1)]));
    let r = s.temis(&repo, &["gate", "--base", "base"]);
    assert!(
        r.stdout.contains("the change adds no line the coverage reports measure (3 added lines in 1 files; code in no coverage report: src/risky.hpp)"),
        "{}",
        r.all()
    );
}

#[test]
fn the_ratchet_holds_the_change_to_the_figures_recorded_on_its_base() {
    let s = Sandbox::new();
    let repo = app(&s);
    write(&repo, "lcov.info", &lcov(&[(1, 1), (2, 1)]));
    // No figures recorded on the base yet: the ratchet says so and does not block.
    let r = s.temis(&repo, &["gate", "--base", "HEAD"]).ok();
    assert!(r.stdout.contains("no figures recorded for the base commit"), "{}", r.stdout);
    let r = s.temis(&repo, &["gate", "--record", "--base", "HEAD"]).ok();
    assert!(r.stderr.contains("refs/notes/temis"), "{}", r.stderr);
    let note = s.git(&repo, &["notes", "--ref=temis", "show", "HEAD"]).ok().stdout;
    assert!(note.contains("\"line_coverage\":100.0"), "{note}");
    // A run that could not judge (no report) replaced that note with nulls, and the ratchet had
    // nothing to hold the next change to; a report older than the code it measures recorded
    // figures of other code. Neither is recorded; the note stays.
    std::fs::rename(repo.join("lcov.info"), repo.join("lcov.bak")).unwrap();
    let r = s.temis(&repo, &["gate", "--record", "--base", "HEAD"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("the figures are not recorded: the gate could not judge"), "{}", r.stderr);
    std::fs::rename(repo.join("lcov.bak"), repo.join("lcov.info")).unwrap();
    write(&repo, "lcov.info", &lcov(&[(1, 1), (2, 0)]));
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    dated(&repo, "lcov.info", old);
    let r = s.temis(&repo, &["gate", "--record", "--base", "HEAD"]);
    assert!(r.stderr.contains("the figures are not recorded: lcov.info is older than"), "{}", r.all());
    let kept = s.git(&repo, &["notes", "--ref=temis", "show", "HEAD"]).ok().stdout;
    assert_eq!(kept, note, "the note recorded before is kept");
    write(&repo, "lcov.info", &lcov(&[(1, 1), (2, 1)]));

    write(&repo, "src/a.py", "def a():\n    return 1\n\ndef c():\n    pass\n");
    s.git(&repo, &["commit", "-q", "-am", "feat: c"]).ok();
    write(&repo, "lcov.info", &lcov(&[(1, 1), (2, 1), (4, 1), (5, 0)]));
    let r = s.temis(&repo, &["gate", "--base", "HEAD~1", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.all());
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let codes: Vec<(&str, &str)> = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["code"].as_str().unwrap(), c["outcome"].as_str().unwrap()))
        .collect();
    assert!(codes.contains(&("ratchet-coverage-dropped", "fail")), "{codes:?}");
    assert!(codes.contains(&("patch-coverage-below-threshold", "fail")), "{codes:?}");
}

/// `min_patch` with no base to measure the change against is never a pass (it was a SKIP, and
/// the verdict APPROVED): no --base, no pull request, no upstream: could not judge, with the fix.
/// With an upstream the branch's base is found on its own.
#[test]
fn min_patch_without_a_base_cannot_judge_and_an_upstream_is_the_base() {
    let s = Sandbox::new();
    let repo = app(&s);
    write(&repo, "src/a.py", "def a():\n    return 1\n\ndef b():\n    return 2\n");
    s.git(&repo, &["commit", "-q", "-am", "feat: b"]).ok();
    write(&repo, "lcov.info", &lcov(&[(1, 1), (2, 1), (4, 1), (5, 0)]));
    let r = s.temis(&repo, &["gate", "--format", "json"]);
    assert_eq!(r.code, 2, "{}", r.all());
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["verdict"], "COULD_NOT_JUDGE");
    let check = v["checks"].as_array().unwrap().iter().find(|c| c["code"] == "patch-coverage-unmeasured").unwrap();
    assert!(check["message"].as_str().unwrap().contains("no base to compare the change with"), "{check}");
    assert!(check["hint"].as_str().unwrap().contains("--base origin/main"), "{check}");

    // The branch tracks an upstream: its merge-base is the base, and the change is measured.
    let remote = s.root.join("remote.git");
    s.git(&s.root, &["init", "-q", "--bare", remote.to_str().unwrap()]).ok();
    s.git(&repo, &["remote", "add", "origin", remote.to_str().unwrap()]).ok();
    s.git(&repo, &["push", "-q", "-u", "origin", "HEAD~1:refs/heads/main"]).ok();
    s.git(&repo, &["branch", "-q", "--set-upstream-to", "origin/main"]).ok();
    let r = s.temis(&repo, &["gate", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.all());
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        (v["figures"]["patch_lines_covered"].as_u64(), v["figures"]["patch_lines_total"].as_u64()),
        (Some(1), Some(2))
    );
    // On the upstream itself the change is empty: measured, nothing added.
    s.git(&repo, &["push", "-q", "origin", "HEAD:refs/heads/main"]).ok();
    s.git(&repo, &["fetch", "-q", "origin"]).ok();
    let r = s.temis(&repo, &["gate"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("the change adds no line"), "{}", r.stdout);
}

/// A pushed feature branch sits on its upstream, so the merge-base with it is HEAD and the change
/// looked empty: approved, its uncovered lines never measured. Its change is what it adds to the
/// remote's default branch. A pull request's base that is not in the clone is could-not-judge
/// with the fix, never a fall back to the branch's own upstream.
#[test]
fn a_pushed_branch_is_measured_against_the_default_branch_and_a_missing_pr_base_cannot_judge() {
    let s = Sandbox::new();
    let repo = app(&s);
    let remote = s.root.join("remote.git");
    s.git(&s.root, &["init", "-q", "--bare", remote.to_str().unwrap()]).ok();
    s.git(&repo, &["remote", "add", "origin", remote.to_str().unwrap()]).ok();
    s.git(&repo, &["push", "-q", "origin", "HEAD:refs/heads/main"]).ok();
    s.git(&repo, &["checkout", "-q", "-b", "feat"]).ok();
    write(&repo, "src/a.py", "def a():\n    return 1\n\ndef b():\n    return 2\n");
    s.git(&repo, &["commit", "-q", "-am", "feat: b"]).ok();
    s.git(&repo, &["push", "-q", "-u", "origin", "feat"]).ok();
    write(&repo, "lcov.info", &lcov(&[(1, 1), (2, 1), (4, 1), (5, 0)]));
    let r = s.temis(&repo, &["gate", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.all());
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        (v["figures"]["patch_lines_covered"].as_u64(), v["figures"]["patch_lines_total"].as_u64()),
        (Some(1), Some(2)),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("origin/main (HEAD is on its upstream origin/feat)"), "{}", r.stdout);

    let r = s.temis_env(&repo, &["gate", "--format", "json"], &[("GITHUB_BASE_REF", "release")]);
    assert_eq!(r.code, 2, "{}", r.all());
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let check = v["checks"].as_array().unwrap().iter().find(|c| c["code"] == "patch-coverage-unmeasured").unwrap();
    assert!(check["message"].as_str().unwrap().contains("git fetch origin release"), "{check}");
    let r = s.temis_env(&repo, &["gate", "--format", "json"], &[("GITHUB_BASE_REF", "main")]);
    assert_eq!(r.code, 1, "the base found: {}", r.all());
}

/// A clone of the pushed branch alone (`git clone --single-branch`, actions/checkout's default
/// depth on a push): HEAD is on its upstream and no default branch is there, so the only base is
/// HEAD itself and the change looked empty — a SKIP that approved lines never measured. It is
/// could-not-judge with the fix.
#[test]
fn a_branch_whose_only_base_is_head_itself_cannot_judge() {
    let s = Sandbox::new();
    let repo = app(&s);
    s.git(&repo, &["branch", "-M", "main"]).ok();
    s.git(&repo, &["checkout", "-q", "-b", "feat"]).ok();
    write(&repo, "src/a.py", "def a():\n    return 1\n\ndef b():\n    return 2\n");
    s.git(&repo, &["commit", "-q", "-am", "feat: b"]).ok();
    let clone = s.root.join("clone");
    let url = format!("file://{}", repo.display());
    s.git(&s.root, &["clone", "-q", "--single-branch", "--branch", "feat", &url, clone.to_str().unwrap()]).ok();
    write(&clone, "lcov.info", &lcov(&[(1, 1), (2, 1), (4, 1), (5, 0)]));
    let r = s.temis(&clone, &["gate", "--format", "json"]);
    assert_eq!(r.code, 2, "{}", r.all());
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let check = v["checks"].as_array().unwrap().iter().find(|c| c["code"] == "patch-coverage-unmeasured").unwrap();
    assert!(check["message"].as_str().unwrap().contains("the only base found is HEAD itself"), "{check}");
    // With the base given, measured.
    s.git(&clone, &["fetch", "-q", "origin", "main:refs/remotes/origin/main"]).ok();
    let r = s.temis(&clone, &["gate", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.all());

    // A whole clone of a repository whose default branch is `develop`, on `develop`: origin/HEAD
    // names it, the branch is the default one, pushed, and nothing is new.
    s.git(&repo, &["checkout", "-q", "-b", "develop"]).ok();
    let whole = s.root.join("whole");
    s.git(&s.root, &["clone", "-q", &url, whole.to_str().unwrap()]).ok();
    write(&whole, "lcov.info", &lcov(&[(1, 1), (2, 1), (4, 1), (5, 0)]));
    let r = s.temis(&whole, &["gate"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("the change adds no line"), "{}", r.stdout);
}

/// A first push to an empty remote: the change is every line of the branch. It was measured from
/// the first commit itself, so a repository of one commit added nothing and was approved.
#[test]
fn a_first_push_to_an_empty_remote_measures_every_line() {
    let s = Sandbox::new();
    let repo = pushing_app(&s);
    write(&repo, "lcov.info", &lcov(&[(1, 1), (2, 0)]));
    let r = s.git(&repo, &["push", "-q", "-u", "origin", "main"]);
    assert_ne!(r.code, 0, "{}", r.all());
    assert!(r.stderr.contains("Patch coverage 50 %, need 80 % minimum"), "{}", r.stderr);
    assert!(r.stderr.contains("the empty tree"), "{}", r.stderr);
    // A second commit on a branch the remote does not have either: from its parent, not from it.
    write(&repo, "src/a.py", "def a():\n    return 1\n\ndef b():\n    return 2\n");
    s.git(&repo, &["commit", "-q", "-am", "feat: b"]).ok();
    write(&repo, "lcov.info", &lcov(&[(1, 1), (2, 1), (4, 1), (5, 0)]));
    let r = s.git(&repo, &["push", "-q", "-u", "origin", "main"]);
    assert_ne!(r.code, 0, "{}", r.all());
    assert!(r.stderr.contains("Patch coverage 75 %"), "every line since the empty tree: {}", r.stderr);
}

/// A fork's remote added and never fetched has no tracking ref: the push of a branch to it was
/// judged against the empty tree, every line of the repository "added", and old covered code
/// lifted the branch's 1 of 3 to a pass. It is judged from the commits no remote holds.
#[test]
fn a_push_to_a_remote_never_fetched_is_judged_from_what_no_remote_holds() {
    let s = Sandbox::new();
    let repo = pushing_app(&s);
    write(&repo, "lcov.info", &lcov(&[(1, 1), (2, 1)]));
    s.git_env(&repo, &["push", "-q", "-u", "origin", "main"], &[("TEMIS_SKIP", "pre-push")]).ok();
    let fork = s.root.join("fork.git");
    s.git(&s.root, &["clone", "-q", "--bare", s.root.join("remote.git").to_str().unwrap(), fork.to_str().unwrap()])
        .ok();
    s.git(&repo, &["remote", "add", "fork", fork.to_str().unwrap()]).ok();
    s.git(&repo, &["checkout", "-q", "-b", "feature"]).ok();
    write(&repo, "src/a.py", "def a():\n    return 1\n\ndef b():\n    x = 1\n    return x\n");
    s.git(&repo, &["commit", "-q", "-am", "feat: b"]).ok();
    write(&repo, "lcov.info", &lcov(&[(1, 1), (2, 1), (4, 1), (5, 0), (6, 0)]));
    let r = s.git(&repo, &["push", "-q", "fork", "feature"]);
    assert_ne!(r.code, 0, "{}", r.all());
    assert!(r.stderr.contains("Patch coverage 33.33 %"), "{}", r.stderr);
    assert!(r.stderr.contains("fork was never fetched"), "{}", r.stderr);
}

/// Report paths that are not the repository's (a report written in another folder) leave the
/// change's lines unmatched: with `min_patch`, that is could-not-judge with the fix, never a pass.
#[test]
fn a_change_whose_lines_match_no_report_path_cannot_judge() {
    let s = Sandbox::new();
    let repo = app(&s);
    s.git(&repo, &["branch", "base"]).ok();
    write(&repo, "src/a.py", "def a():\n    return 1\n\ndef b():\n    return 2\n");
    s.git(&repo, &["commit", "-q", "-am", "feat: b"]).ok();
    // Written on another machine, from inside src/'s parent under another name: the file name
    // alone does not make it the repository's `src/a.py` (it was taken to be).
    let report = lcov(&[(1, 1), (2, 1), (4, 1), (5, 0)]).replace("src/a.py", "/build/pkg/a.py");
    write(&repo, "lcov.info", &report);
    let r = s.temis(&repo, &["gate", "--base", "base", "--format", "json"]);
    assert_eq!(r.code, 2, "{}", r.all());
    let r = s.temis(&repo, &["gate", "--base", "base", "--map", "/build/pkg=src", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.all());
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["figures"]["patch_lines_total"], 2);
    // Two files named a.py: the report's path is ambiguous, never guessed.
    write(&repo, "tools/a.py", "x = 1\n");
    s.git(&repo, &["add", "tools/a.py"]).ok();
    s.git(&repo, &["commit", "-q", "-m", "chore: tools"]).ok();
    let r = s.temis(&repo, &["gate", "--base", "base", "--format", "json"]);
    assert_eq!(r.code, 2, "{}", r.all());
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let check = v["checks"].as_array().unwrap().iter().find(|c| c["code"] == "patch-coverage-unmeasured").unwrap();
    let message = check["message"].as_str().unwrap();
    assert!(message.contains("/build/pkg/a.py"), "{message}");
    assert!(check["hint"].as_str().unwrap().contains("--map /build/pkg=src"), "{check}");
    // The fix the hint gives works.
    let r = s.temis(&repo, &["gate", "--base", "base", "--map", "/build/pkg=src", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(!r.stderr.contains("changed no path"), "{}", r.stderr);
    // A map with a typo changes nothing: said, by `temis gate` and `temis report` alike.
    for args in [&["gate", "--base", "base"][..], &["report", "lcov.info"][..]] {
        let r = s.temis(&repo, &[args, &["--map", "/biuld/pkg=src"]].concat());
        assert!(
            r.stderr.contains("--map /biuld/pkg=src changed no path in the coverage and security reports read"),
            "{args:?}: {}",
            r.all()
        );
    }
    // The path options are for coverage and security reports: a test report alone says nothing.
    write(&repo, "junit.xml", r#"<testsuite name="t" tests="1"><testcase classname="t" name="a"/></testsuite>"#);
    let r = s.temis(&repo, &["report", "junit.xml", "--map", "/biuld/pkg=src"]);
    assert!(!r.stderr.contains("changed no path"), "{}", r.all());
}

#[test]
fn pre_push_gates_what_the_remote_does_not_have_and_deletions_pass() {
    let s = Sandbox::new();
    let remote = s.root.join("remote.git");
    s.git(&s.root, &["init", "-q", "--bare", remote.to_str().unwrap()]).ok();
    let repo = app(&s);
    s.git(&repo, &["remote", "add", "origin", remote.to_str().unwrap()]).ok();
    s.git(&repo, &["push", "-q", "origin", "main"]).ok();
    s.temis(&repo, &["hooks", "install", "pre-push"]).ok();

    s.git(&repo, &["switch", "-q", "-c", "feature"]).ok();
    write(&repo, "src/a.py", "def a():\n    return 1\n\ndef b():\n    return 2\n\ndef c():\n    return 3\n");
    s.git(&repo, &["commit", "-q", "-am", "feat: b and c"]).ok();
    write(&repo, "lcov.info", &lcov(&[(1, 1), (2, 1), (4, 1), (5, 1), (7, 1), (8, 0)]));
    // A new branch: measured against the merge base with the remote's main.
    let r = s.git(&repo, &["push", "-q", "origin", "feature"]);
    assert_ne!(r.code, 0, "{}", r.all());
    assert!(r.stderr.contains("Patch coverage 75 %, need 80 % minimum"), "{}", r.stderr);
    assert!(r.stderr.contains("git push --no-verify"), "{}", r.stderr);
    write(&repo, "lcov.info", &lcov(&[(1, 1), (2, 1), (4, 1), (5, 1), (7, 1), (8, 1)]));
    s.git(&repo, &["push", "-q", "origin", "feature"]).ok();
    // An existing branch: against the remote's tip, so only the new commit's lines count.
    write(
        &repo,
        "src/a.py",
        "def a():\n    return 1\n\ndef b():\n    return 2\n\ndef c():\n    return 3\n\ndef d():\n    return 4\n",
    );
    s.git(&repo, &["commit", "-q", "-am", "feat: d"]).ok();
    write(&repo, "lcov.info", &lcov(&[(1, 1), (2, 1), (4, 1), (5, 1), (7, 1), (8, 0), (10, 1), (11, 1)]));
    let r = s.git(&repo, &["push", "-q", "origin", "feature"]).ok();
    assert!(r.stderr.contains("APPROVED"), "{}", r.stderr);
    // Pushing main while feature is checked out: the work tree's reports are feature's, so main
    // cannot be judged with them (they used to gate main with feature's reports).
    s.git(&repo, &["branch", "-f", "main", "HEAD"]).ok();
    s.git(&repo, &["switch", "-q", "-c", "other", "HEAD~1"]).ok();
    let r = s.git(&repo, &["push", "-q", "origin", "main"]);
    assert_ne!(r.code, 0, "{}", r.all());
    assert!(r.stderr.contains("refs/heads/main: could not judge: it is not checked out"), "{}", r.stderr);
    s.git(&repo, &["switch", "-q", "feature"]).ok();
    // Deleting a branch pushes nothing to check.
    write(&repo, "lcov.info", &lcov(&[(1, 0)]));
    s.git(&repo, &["push", "-q", "origin", ":feature"]).ok();
}

/// A hook runner that does not forward standard input gave the hook no ref, and the push went
/// through unjudged (exit 0, nothing said); a line that is not git's was passed over the same
/// way. With no ref, HEAD's branch ahead of its branch on the remote is judged (what such a
/// runner's `git push` pushes); anything else is said and not blocked (git itself passes no ref
/// when everything is up to date: `git push origin --tags` from a branch not pushed yet). A line
/// git does not write cannot be judged.
#[test]
fn pre_push_given_no_ref_judges_head_and_a_line_not_gits_cannot_judge() {
    let s = Sandbox::new();
    let repo = pushing_app(&s);
    let hooks = s.root.join("runner-hooks");
    let hook = |feed: &str| {
        write(
            &hooks,
            "pre-push",
            &format!("#!/bin/sh\n{feed} | exec '{}' hook pre-push \"$@\"\n", crate::support::BIN),
        );
        make_executable(&hooks.join("pre-push"));
    };
    let hooks_path = format!("core.hooksPath={}", hooks.display());
    write(&repo, "lcov.info", &lcov(&[(1, 1), (2, 1)]));
    s.git(&repo, &["push", "-q", "origin", "main"]).ok();
    // A new function, line 5 not covered: 50 % of the added lines, 80 % needed.
    write(&repo, "src/a.py", "def a():\n    return 1\n\ndef b():\n    return 2\n");
    s.git(&repo, &["commit", "-q", "-am", "feat: b"]).ok();
    write(&repo, "lcov.info", &lcov(&[(1, 1), (2, 1), (4, 1), (5, 0)]));
    hook("true");
    let r = s.git(&repo, &["-c", &hooks_path, "push", "-q", "origin", "main"]);
    assert_ne!(r.code, 0, "{}", r.all());
    assert!(
        r.stderr.contains("git passed no ref on standard input, and origin lacks commits of HEAD's branch"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("Patch coverage 50 %, need 80 % minimum"), "{}", r.stderr);
    hook("echo main");
    let r = s.git(&repo, &["-c", &hooks_path, "push", "-q", "origin", "main"]);
    assert_ne!(r.code, 0, "{}", r.all());
    assert!(r.stderr.contains("could not judge: \"main\" is not a line git writes"), "{}", r.stderr);
    // A branch not pushed yet, and a push of nothing of it (git passes no ref): said, not blocked.
    s.git(&repo, &["switch", "-q", "-c", "wip"]).ok();
    let r = s.git(&repo, &["push", "origin", "--tags"]).ok();
    assert!(r.stderr.contains("nothing judged"), "{}", r.all());
    // Up to date: nothing to say.
    s.git(&repo, &["switch", "-q", "main"]).ok();
    write(&repo, "lcov.info", &lcov(&[(1, 1), (2, 1), (4, 1), (5, 1)]));
    s.git(&repo, &["push", "-q", "origin", "main"]).ok();
    hook("true");
    let r = s.git(&repo, &["-c", &hooks_path, "push", "origin", "main"]).ok();
    assert!(r.all().contains("Everything up-to-date") && !r.stderr.contains("temis"), "{}", r.all());
}

/// The reports are the work tree's: with a test written and not committed, they measured code
/// the pushed commit does not test — and the push was approved at 100 %. Measured code or tests
/// changed and not committed make the push could-not-judge, with the fix; so do a coverage tool's
/// configuration and the policy.
#[test]
fn pre_push_with_measured_files_not_committed_cannot_judge() {
    let s = Sandbox::new();
    let repo = pushing_app(&s);
    write(&repo, "lcov.info", &lcov(&[(1, 1), (2, 1)]));
    s.git(&repo, &["push", "-q", "-u", "origin", "HEAD"]).ok();
    write(&repo, "src/a.py", "def a():\n    return 1\n\ndef b():\n    return 2\n");
    s.git(&repo, &["commit", "-q", "-am", "feat: b"]).ok();
    write(&repo, "tests/test_a.py", "from src.a import b\ndef test_b(): assert b() == 2\n");
    write(&repo, "lcov.info", &lcov(&[(1, 1), (2, 1), (4, 1), (5, 1)]));
    let r = s.git(&repo, &["push", "-q"]);
    assert_ne!(r.code, 0, "{}", r.all());
    assert!(r.stderr.contains("tests/test_a.py changed and not committed"), "{}", r.stderr);
    // Committed: judged.
    s.git(&repo, &["add", "tests/test_a.py"]).ok();
    s.git(&repo, &["commit", "-q", "-m", "test: b"]).ok();
    let r = s.git(&repo, &["push", "-q"]);
    assert_eq!(r.code, 0, "{}", r.all());
    // Other files changed (notes, a scratch script outside the folders measured, a mode):
    // nothing the reports measure.
    write(&repo, "NOTES.txt", "later\n");
    write(&repo, "scratch.py", "print(1)\n");
    make_executable(&repo.join("src/a.py"));
    write(&repo, "src/a.py", "def a():\n    return 1\n\ndef b():\n    return 2\n\n");
    let r = s.git(&repo, &["push", "-q", "origin", "HEAD:refs/heads/other"]);
    assert_ne!(r.code, 0, "src/a.py is measured: {}", r.all());
    s.git(&repo, &["checkout", "--", "src/a.py"]).ok();
    let r = s.git(&repo, &["push", "-q", "origin", "HEAD:refs/heads/other"]);
    assert_eq!(r.code, 0, "{}", r.all());
    // A coverage tool's configuration written and not committed (`omit` leaves code out of the
    // reports the work tree made), and a policy lowered and not committed: neither is pushed.
    write(&repo, ".coveragerc", "[run]\nomit = src/*\n");
    let r = s.git(&repo, &["push", "-q", "origin", "HEAD:refs/heads/other2"]);
    assert_ne!(r.code, 0, "{}", r.all());
    assert!(r.stderr.contains(".coveragerc changed and not committed"), "{}", r.stderr);
    std::fs::remove_file(repo.join(".coveragerc")).unwrap();
    write(&repo, "temis.toml", &POLICY.replace("min_patch = 80", "min_patch = 0"));
    let r = s.git(&repo, &["push", "-q", "origin", "HEAD:refs/heads/other2"]);
    assert_ne!(r.code, 0, "{}", r.all());
    assert!(r.stderr.contains("temis.toml changed and not committed"), "{}", r.stderr);
    assert!(r.stderr.contains("(and the policy judged with)"), "{}", r.stderr);
    // Deleted and not committed: the embedded default was judged with.
    std::fs::remove_file(repo.join("temis.toml")).unwrap();
    let r = s.git(&repo, &["push", "-q", "origin", "HEAD:refs/heads/other2"]);
    assert!(r.stderr.contains("temis.toml changed and not committed"), "{}", r.stderr);
}

/// An annotated tag is pushed as its tag object, which is no commit: the push of a tag at HEAD
/// was refused as "not checked out". It is judged as the commit it names.
#[test]
fn pre_push_of_an_annotated_tag_at_head_is_judged_as_its_commit() {
    let s = Sandbox::new();
    let repo = pushing_app(&s);
    write(&repo, "lcov.info", &lcov(&[(1, 1), (2, 1)]));
    s.git(&repo, &["push", "-q", "-u", "origin", "HEAD"]).ok();
    s.git(&repo, &["tag", "-a", "v1", "-m", "v1"]).ok();
    let r = s.git(&repo, &["push", "origin", "v1"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(!r.stderr.contains("not checked out"), "{}", r.stderr);
}

/// A coverage report older than a file it measures (the tests ran on other code) warns; with
/// `[reports] stale = "block"` it blocks.
#[test]
fn a_report_older_than_the_code_it_measures_is_flagged() {
    let s = Sandbox::new();
    let repo = app(&s);
    write(&repo, "lcov.info", &lcov(&[(1, 1), (2, 1)]));
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    dated(&repo, "lcov.info", old);
    let r = s.temis(&repo, &["gate", "--base", "HEAD"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(
        r.stdout.contains("WARN") && r.stdout.contains("lcov.info is older than 1 file(s) it measures (src/a.py)"),
        "{}",
        r.stdout
    );
    write(&repo, "temis.toml", &format!("{POLICY}stale = \"block\"\n"));
    let r = s.temis(&repo, &["gate", "--base", "HEAD"]);
    assert_eq!(r.code, 1, "{}", r.all());
    // Fresh again: nothing to say.
    write(&repo, "lcov.info", &lcov(&[(1, 1), (2, 1)]));
    let r = s.temis(&repo, &["gate", "--base", "HEAD"]).ok();
    assert!(!r.stdout.contains("older than"), "{}", r.stdout);
    // A module written after the test run, in a folder the report measures, is in no figure: the
    // report is stale too (it said nothing, and the figure of the files before approved).
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(60);
    for (f, text) in [("src/api.py", "def login(u):\n    return u\n"), ("src/test_api.py", "def test(): pass\n")] {
        write(&repo, f, text);
        dated(&repo, f, later);
    }
    s.git(&repo, &["add", "."]).ok();
    let r = s.temis(&repo, &["gate", "--base", "HEAD"]);
    assert!(
        r.stdout.contains("older than 1 source file(s) in folders it measures that it does not list (src/api.py)"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("test_api"), "a test is no source it should list: {}", r.stdout);
}

/// `min_patch` on a branch whose coverage report was written before the change (the tests not
/// run again after the edit): the old report measures none of the added lines, and patch
/// coverage was SKIP — "the change adds no line the coverage reports measure" — and the gate
/// approved beside its own warning that the report was of other code (a fresh run: 20 %,
/// blocked). The added lines of a file the report is older than are unmeasured: could not judge.
#[test]
fn added_lines_of_a_file_changed_after_the_coverage_report_are_unmeasured() {
    let s = Sandbox::new();
    let repo = app(&s);
    s.git(&repo, &["branch", "base"]).ok();
    write(&repo, "lcov.info", &lcov(&[(1, 1), (2, 1)]));
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    dated(&repo, "lcov.info", old);
    write(&repo, "src/a.py", "def a():\n    return 1\n\ndef b(x):\n    if x:\n        return 2\n    return 3\n");
    s.git(&repo, &["commit", "-q", "-am", "feat: b"]).ok();
    let r = s.temis(&repo, &["gate", "--base", "base", "--format", "json"]);
    assert_eq!(r.code, 2, "{}", r.all());
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let check = v["checks"].as_array().unwrap().iter().find(|c| c["code"] == "patch-coverage-unmeasured").unwrap();
    let message = check["message"].as_str().unwrap();
    assert!(message.contains("lcov.info is older than src/a.py, which the change edits (4 added lines)"), "{message}");
    // With the report's times not judged (`stale = "off"`), the old figures are the user's call.
    write(&repo, "temis.toml", &format!("{POLICY}stale = \"off\"\n"));
    let r = s.temis(&repo, &["gate", "--base", "base"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("the change adds no line the coverage reports measure"), "{}", r.stdout);
}

/// A test edited after the test run (a test now failing, or a new one) is in no report, and the
/// gate approved the run before it, with `stale = "block"` too: test files changed after the
/// newest test report are said, and fail with `stale = "block"`. Checked out as committed, beside
/// a test report checked out as committed, they are not judged by their times.
#[test]
fn a_test_report_older_than_test_files_is_flagged() {
    let s = Sandbox::new();
    let repo = app(&s);
    let policy = "[coverage]\nmin_line = 0\n\n[tests]\nmin_count = 1\n\n[reports]\ncoverage = [\"lcov.info\"]\n\
                  tests = [\"junit.xml\"]\n";
    write(&repo, "temis.toml", policy);
    write(&repo, "tests/test_a.py", "def test_a():\n    assert True\n");
    write(&repo, "lcov.info", &lcov(&[(1, 1), (2, 1)]));
    write(
        &repo,
        "junit.xml",
        r#"<testsuite name="pytest" tests="1"><testcase classname="tests.test_a" name="test_a"/></testsuite>"#,
    );
    let r = s.temis(&repo, &["gate"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(!r.stdout.contains("Test report age"), "{}", r.stdout);
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(60);
    write(&repo, "tests/test_a.py", "def test_a():\n    assert False\n");
    dated(&repo, "tests/test_a.py", later);
    let r = s.temis(&repo, &["gate"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(
        r.stdout.contains("WARN")
            && r.stdout.contains("1 test or code file(s) changed after junit.xml was written (tests/test_a.py)"),
        "{}",
        r.stdout
    );
    write(&repo, "temis.toml", &format!("{policy}stale = \"block\"\n"));
    let r = s.temis(&repo, &["gate"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stdout.contains("FAIL   Test report age"), "{}", r.stdout);
    // The report and the tests committed and checked out as they are: the checkout's times say
    // nothing.
    s.git(&repo, &["add", "-A"]).ok();
    s.git(&repo, &["commit", "-q", "-m", "test: a"]).ok();
    let r = s.temis(&repo, &["gate"]);
    assert!(!r.stdout.contains("Test report age"), "{}", r.stdout);
}

/// A test run that stopped before writing its report (a `conftest.py` that no longer imports, a
/// run cut short) leaves the last run's `junit.xml` in place: code edited since — no test file —
/// was approved on the tests of the code before it, with `stale = "block"` too. Code files
/// changed after the newest test report are said as test files are.
#[test]
fn a_test_report_older_than_code_is_flagged() {
    let s = Sandbox::new();
    let repo = app(&s);
    let policy = "[coverage]\nrequired = false\n\n[tests]\nmin_count = 1\n\n[reports]\ntests = [\"junit.xml\"]\n";
    write(&repo, "temis.toml", policy);
    write(
        &repo,
        "junit.xml",
        r#"<testsuite name="pytest" tests="1"><testcase classname="tests.test_a" name="test_a"/></testsuite>"#,
    );
    let r = s.temis(&repo, &["gate"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(!r.stdout.contains("Test report age"), "{}", r.stdout);
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(60);
    write(&repo, "src/a.py", "def a():\n    return 1 / 0\n\n");
    dated(&repo, "src/a.py", later);
    // Not code: a README edited since says nothing.
    write(&repo, "README.md", "# a\n");
    dated(&repo, "README.md", later);
    let r = s.temis(&repo, &["gate"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(
        r.stdout.contains("WARN")
            && r.stdout.contains("1 test or code file(s) changed after junit.xml was written (src/a.py)"),
        "{}",
        r.stdout
    );
    write(&repo, "temis.toml", &format!("{policy}stale = \"block\"\n"));
    let r = s.temis(&repo, &["gate"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stdout.contains("FAIL   Test report age"), "{}", r.stdout);
}

/// A report of another version of a file (a merged shard of an older commit) measured lines 11
/// to 40 of a 10-line file: approved at 90 % without a word. It is stale, whatever the times:
/// a warning, and a failure with `stale = "block"` (some tools write lines past the end: gcov
/// with `#line`, which lcov lets through too).
#[test]
fn a_report_measuring_lines_past_a_files_end_is_stale() {
    let s = Sandbox::new();
    let repo = app(&s);
    let lines: Vec<(u32, u32)> = (1..=40).map(|l| (l, u32::from(l != 2))).collect();
    write(&repo, "lcov.info", &lcov(&lines));
    let r = s.temis(&repo, &["gate", "--base", "HEAD"]);
    assert!(r.stdout.contains("WARN"), "{}", r.stdout);
    write(&repo, "temis.toml", &format!("{POLICY}stale = \"block\"\n"));
    let r = s.temis(&repo, &["gate", "--base", "HEAD"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(
        r.stdout.contains("lcov.info measures lines past the end of 1 file(s) (src/a.py: line 40 of 3)"),
        "{}",
        r.stdout
    );
    write(&repo, "lcov.info", &lcov(&[(1, 1), (2, 1)]));
    let r = s.temis(&repo, &["gate", "--base", "HEAD"]);
    assert_eq!(r.code, 0, "{}", r.all());
}

/// A coverage report of other code (another project's files, another machine's installed copy):
/// not one of its files is in the repository, so its 100 % is not this project's. The gate
/// approved it; now it blocks and says how the paths could be made the repository's. A report
/// whose paths only differ by a prefix is still resolved and approved.
#[test]
fn a_coverage_report_naming_no_file_of_the_repository_blocks() {
    let s = Sandbox::new();
    let repo = app(&s);
    let policy = "[coverage]\nmin_line = 80\n\n[tests]\nrequired = false\n\n[reports]\ncoverage = [\"lcov.info\"]\n";
    write(&repo, "temis.toml", policy);
    write(&repo, "lcov.info", "SF:lib/other.py\nDA:1,1\nDA:2,1\nend_of_record\n");
    let r = s.temis(&repo, &["gate"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(
        r.stdout.contains("lcov.info names 1 file(s) and none is a file of this repository (lib/other.py)"),
        "{}",
        r.stdout
    );
    // A file git does not track but that is on disk here (generated code git ignores, a
    // submodule's): this work tree's, judged.
    write(&repo, ".gitignore", "lcov.info\ngen/\n");
    write(&repo, "gen/parser.py", "x = 1\n");
    write(&repo, "lcov.info", "SF:gen/parser.py\nDA:1,1\nend_of_record\n");
    let r = s.temis(&repo, &["gate"]);
    assert_eq!(r.code, 0, "{}", r.all());
    // Another machine's checkout of this repository: resolved by its suffix, judged.
    write(&repo, "lcov.info", "SF:/home/ci/work/app/src/a.py\nDA:1,1\nDA:2,1\nend_of_record\n");
    let r = s.temis(&repo, &["gate"]);
    assert_eq!(r.code, 0, "{}", r.all());
    // A file on disk, but beside the work tree, not under it (`../`): other code.
    write(&s.root, "gomod/m.go", "package m\n");
    write(&repo, "lcov.info", "SF:../gomod/m.go\nDA:1,1\nend_of_record\n");
    let r = s.temis(&repo, &["gate"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stdout.contains("none is a file of this repository (../gomod/m.go)"), "{}", r.stdout);
}

/// A report committed with the code it measures (a shipped example), both as git checked them
/// out: the checkout wrote them in path order, so their times say nothing — no warning. Once the
/// code is edited, the report is of other code again.
#[test]
fn a_committed_report_beside_its_committed_code_is_not_stale_until_the_code_changes() {
    let s = Sandbox::new();
    let repo = app(&s);
    write(&repo, "lcov.info", &lcov(&[(1, 1), (2, 1)]));
    s.git(&repo, &["add", "-f", "lcov.info"]).ok();
    s.git(&repo, &["commit", "-q", "-m", "test: the report"]).ok();
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    dated(&repo, "lcov.info", old);
    let r = s.temis(&repo, &["gate", "--base", "HEAD"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(!r.stdout.contains("older than"), "{}", r.stdout);
    write(&repo, "src/a.py", "def a():\n    return 2\n");
    let r = s.temis(&repo, &["gate", "--base", "HEAD"]);
    assert!(r.stdout.contains("lcov.info is older than 1 file(s) it measures (src/a.py)"), "{}", r.stdout);
    // The change committed after the report (the next phase's code, the report left as it was):
    // checked out, both files are as git wrote them, and the report approved figures of the code
    // before. It is as old as its commit.
    s.git(&repo, &["commit", "-q", "-am", "feat: a returns 2"]).ok();
    dated(&repo, "src/a.py", old);
    let r = s.temis(&repo, &["gate", "--base", "HEAD"]);
    assert!(r.stdout.contains("lcov.info is older than 1 file(s) it measures (src/a.py)"), "{}", r.stdout);
    write(&repo, "temis.toml", &format!("{POLICY}stale = \"block\"\n"));
    s.git(&repo, &["commit", "-q", "-am", "chore: stale reports block"]).ok();
    assert_eq!(s.temis(&repo, &["gate", "--base", "HEAD"]).code, 1);
    // Made again and committed: fresh.
    write(&repo, "lcov.info", &lcov(&[(1, 1), (2, 0)]));
    s.git(&repo, &["commit", "-q", "-am", "test: the report again"]).ok();
    let r = s.temis(&repo, &["gate", "--base", "HEAD"]);
    assert!(!r.stdout.contains("older than"), "{}", r.stdout);
    // On a branch, the report made, then the code changed, then merged with a merge commit: the
    // merge brought the report, it did not make it (review: a walk of first parents stopped at
    // the merge and approved).
    s.git(&repo, &["switch", "-q", "-c", "phase"]).ok();
    write(&repo, "lcov.info", &lcov(&[(1, 1), (2, 1)]));
    s.git(&repo, &["commit", "-q", "-am", "test: phase report"]).ok();
    write(&repo, "src/a.py", "def a():\n    return 3\n");
    s.git(&repo, &["commit", "-q", "-am", "feat: a returns 3"]).ok();
    s.git(&repo, &["switch", "-q", "main"]).ok();
    s.git(&repo, &["merge", "-q", "--no-ff", "-m", "merge phase", "phase"]).ok();
    let r = s.temis(&repo, &["gate", "--base", "HEAD"]);
    assert!(r.stdout.contains("lcov.info is older than 1 file(s) it measures (src/a.py)"), "{}", r.stdout);
    // A clone of one commit cannot tell how old its committed report is: said, not approved as fresh.
    let shallow = s.root.join("shallow");
    let url = format!("file://{}", repo.display());
    s.git(&s.root, &["clone", "-q", "--depth", "1", &url, shallow.to_str().unwrap()]).ok();
    let r = s.temis(&shallow, &["gate", "--base", "HEAD"]);
    assert_eq!(r.code, 1, "stale = \"block\": {}", r.all());
    assert!(r.stdout.contains("the commit that made it is not in this clone"), "{}", r.stdout);
}

/// Following the repository's plan, pre-push gates the current phase on the reports that phase
/// names (not on whatever discovery finds).
#[test]
fn pre_push_gates_the_current_phase_on_the_reports_the_plan_names() {
    let s = Sandbox::new();
    let remote = s.root.join("remote.git");
    s.git(&s.root, &["init", "-q", "--bare", remote.to_str().unwrap()]).ok();
    let repo = app(&s);
    write(
        &repo,
        "plans/calc/plan.md",
        "---\napproved: true\n---\n\n# Calc\n\n## Phase 1: More functions (Ada)\n\nReports: reports/phase-1/lcov.info\n\n- [ ] b\n",
    );
    s.git(&repo, &["add", "."]).ok();
    s.git(&repo, &["commit", "-q", "-m", "docs(plans): approve the calc plan"]).ok();
    s.git(&repo, &["remote", "add", "origin", remote.to_str().unwrap()]).ok();
    s.git(&repo, &["push", "-q", "origin", "main"]).ok();
    s.temis(&repo, &["hooks", "install", "pre-push"]).ok();

    write(&repo, "src/a.py", "def a():\n    return 1\n\ndef b():\n    return 2\n");
    s.git(&repo, &["commit", "-q", "-am", "feat: b"]).ok();
    // Discovery's lcov.info says everything ran; the phase's own report says line 5 did not.
    write(&repo, "lcov.info", &lcov(&[(1, 1), (2, 1), (4, 1), (5, 1)]));
    write(&repo, "reports/phase-1/lcov.info", &lcov(&[(1, 1), (2, 1), (4, 1), (5, 0)]));
    let r = s.git(&repo, &["push", "-q", "origin", "main"]);
    assert_ne!(r.code, 0, "{}", r.all());
    assert!(r.stderr.contains("phase 1"), "{}", r.stderr);
    assert!(r.stderr.contains("Patch coverage 50 %, need 80 % minimum"), "{}", r.stderr);
    assert!(r.stderr.contains("reports/phase-1/lcov.info"), "{}", r.stderr);
    // The phase's report through a link out of the repository: pre-push said so and judged
    // whatever discovery found instead (lcov.info, all covered), and let the push through.
    #[cfg(unix)]
    {
        let outside = tempfile::tempdir().unwrap();
        std::fs::rename(repo.join("reports/phase-1/lcov.info"), outside.path().join("lcov.info")).unwrap();
        std::fs::remove_dir(repo.join("reports/phase-1")).unwrap();
        std::os::unix::fs::symlink(outside.path(), repo.join("reports/phase-1")).unwrap();
        let r = s.git(&repo, &["push", "-q", "origin", "main"]);
        assert_ne!(r.code, 0, "{}", r.all());
        assert!(r.stderr.contains("leads outside the repository"), "{}", r.stderr);
    }
}

/// A Clover report with project metrics and no file: its 100 % was approved, though nothing
/// ties it to the repository. It blocks as a report of other code.
#[test]
fn a_coverage_report_of_totals_and_no_file_blocks() {
    let s = Sandbox::new();
    let repo = app(&s);
    let policy = "[coverage]\nmin_line = 80\n\n[tests]\nrequired = false\n\n[reports]\ncoverage = [\"clover.xml\"]\n";
    write(&repo, "temis.toml", policy);
    write(
        &repo,
        "clover.xml",
        r#"<?xml version="1.0"?><coverage generated="1" clover="3.2.0"><project timestamp="1"><metrics statements="10" coveredstatements="10" conditionals="0" coveredconditionals="0" methods="0" coveredmethods="0" elements="10" coveredelements="10"/></project></coverage>"#,
    );
    let r = s.temis(&repo, &["gate"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stdout.contains("clover.xml gives totals and names no file"), "{}", r.stdout);
}

/// A package's LCOV (as jest writes it, relative to the package) names `src/index.js`, which two
/// packages have: kept as written, it matched no rule, and `packages/web/**` was judged on
/// `button.js` alone — 100 % where the package's files are 10 of 20 lines covered. The rule now
/// says it cannot be judged; mapped with --map, it is.
#[test]
fn a_path_rule_over_report_paths_that_name_several_files_blocks() {
    let s = Sandbox::new();
    let repo = app(&s);
    let js = "export const f = () => 1;\n".repeat(10);
    for f in ["packages/web/src/index.js", "packages/api/src/index.js", "packages/web/src/button.js"] {
        write(&repo, f, &js);
    }
    s.git(&repo, &["add", "."]).ok();
    let lcov = |file: &str, hits: u32| {
        let lines: String = (1..=10).map(|l| format!("DA:{l},{hits}\n")).collect();
        format!("SF:{file}\n{lines}end_of_record\n")
    };
    // A report kept at the root names `src/index.js` of two packages.
    write(&repo, "web-lcov.info", &(lcov("src/index.js", 0) + &lcov("src/button.js", 1)));
    let policy = "[coverage]\nmin_line = 0\npaths = [{ glob = \"packages/web/**\", min_line = 90 }]\n\n[tests]\nrequired = false\n";
    write(&repo, "temis.toml", policy);
    let r = s.temis(&repo, &["gate", "web-lcov.info"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(
        r.stdout.contains("may be files of packages/web/** but name several repository files (src/index.js)"),
        "{}",
        r.stdout
    );
    let r = s.temis(&repo, &["gate", "--map", "src/=packages/web/src/", "web-lcov.info"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stdout.contains("50 %"), "{}", r.stdout);
    // Kept in the package it measures, the report's paths are the package's: no --map needed.
    write(&repo, "packages/web/lcov.info", &(lcov("src/index.js", 0) + &lcov("src/button.js", 1)));
    let r = s.temis(&repo, &["gate", "packages/web/lcov.info"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stdout.contains("Line coverage of packages/web/** 50 %"), "{}", r.stdout);
}

/// A path rule judges the files the reports list: a module under its glob that no report lists
/// (coverage.py lists no module the tests never imported) was in no figure and not mentioned, so
/// `src/pay/**` at 90 % passed on `a.py` alone. The row now names it; tests and other kinds of
/// file under the glob are not named.
#[test]
fn a_path_rule_names_the_source_files_it_matches_that_no_report_lists() {
    let s = Sandbox::new();
    let repo = app(&s);
    let py = "x = 1\n".repeat(4);
    for f in ["src/pay/a.py", "src/pay/refund.py", "src/pay/tests/test_a.py", "src/pay/README.md", "src/pay/old.py"] {
        write(&repo, f, &py);
    }
    s.git(&repo, &["add", "."]).ok();
    // Deleted from the work tree, not yet from the index: no file to cover.
    std::fs::remove_file(repo.join("src/pay/old.py")).unwrap();
    write(&repo, "lcov.info", "SF:src/pay/a.py\nDA:1,1\nDA:2,1\nDA:3,1\nDA:4,1\nend_of_record\n");
    let policy =
        "[coverage]\nmin_line = 0\npaths = [{ glob = \"src/pay/**\", min_line = 90 }]\n\n[tests]\nrequired = false\n";
    write(&repo, "temis.toml", policy);
    let r = s.temis(&repo, &["gate", "lcov.info"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("in no coverage report, so in no figure: src/pay/refund.py"), "{}", r.stdout);
    assert!(!r.stdout.contains("test_a.py") && !r.stdout.contains("README.md"), "{}", r.stdout);
    assert!(!r.stdout.contains("old.py"), "{}", r.stdout);
}

/// JaCoCo's CSV names classes, not files (real JaCoCo's, `tests/fixtures/made-here/jacoco-csv-calc`):
/// it was never matched to the repository, so a CSV of other code was approved on its figures. A
/// class now needs a source file of its name somewhere in the repository (the package is not a
/// folder in Kotlin); the calculator's own sources, in any folder, are enough.
#[test]
fn a_jacoco_csv_of_no_class_of_the_repository_blocks() {
    let s = Sandbox::new();
    let repo = app(&s);
    let made = crate::support::fixture("made-here/jacoco-csv-calc");
    let policy = "[coverage]\nmin_line = 50\n\n[tests]\nrequired = false\n\n[reports]\ncoverage = [\"jacoco.csv\"]\n";
    write(&repo, "temis.toml", policy);
    std::fs::copy(made.join("jacoco.csv"), repo.join("jacoco.csv")).unwrap();
    let r = s.temis(&repo, &["gate"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(
        r.stdout.contains("jacoco.csv names 3 class(es) and none has a source file of its name in this repository"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("calc/Calc"), "{}", r.stdout);
    // The calculator's sources, in a folder that is not their package's.
    write(&repo, "app/src/Calc.java", &std::fs::read_to_string(made.join("src/Calc.java")).unwrap());
    s.git(&repo, &["add", "."]).ok();
    let r = s.temis(&repo, &["gate"]);
    assert_eq!(r.code, 0, "{}", r.all());
}

/// JaCoCo's aggregate of two modules that each have a `p/A.java` (real JaCoCo's report,
/// `tests/fixtures/made-here/jacoco-aggregate-modules`): it names them `module-a/p/A.java` and
/// `module-b/p/A.java`, and each resolves to its own module's file in the repository, so that a
/// rule on one module's folder judges that module's file — not a file matching no report path
/// (how it blocked before), nor both copies merged.
#[test]
fn an_aggregate_reports_module_files_resolve_to_their_modules() {
    let dir = crate::support::repo();
    let made = crate::support::fixture("made-here/jacoco-aggregate-modules");
    for rel in
        ["module-a/src/main/java/p/A.java", "module-a/src/main/java/q/Only.java", "module-b/src/main/java/p/A.java"]
    {
        write(dir.path(), rel, &std::fs::read_to_string(made.join(rel)).unwrap());
    }
    std::fs::copy(made.join("jacoco.xml"), dir.path().join("jacoco.xml")).unwrap();
    let policy = "[coverage]\nmin_line = 30\npaths = [{ glob = \"module-b/src/main/java/**\", min_line = 60 }]\n\n\
                  [tests]\nrequired = false\n\n[reports]\ncoverage = [\"jacoco.xml\"]\n";
    write(dir.path(), "temis.toml", policy);
    crate::support::git(dir.path(), &["add", "-A"]);
    crate::support::git(dir.path(), &["commit", "-qm", "modules"]);
    let r = crate::support::temis_in(dir.path(), &["gate"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("module-b/src/main/java/** 50 %, need 60 %"), "{}", r.stdout);
    assert!(r.stdout.contains("module-b/src/main/java/p/A.java:16: 50 % (4/8)"), "{}", r.stdout);
    assert!(r.stdout.contains("Line coverage 40 % ≥ 30 % (8 of 20 lines covered)"), "{}", r.stdout);
}

/// `pytest --benchmark-skip` writes no report: the last run's `benchmark.json` stayed, the code
/// was made 20,000 times slower, and its old figure approved. A benchmark report older than code
/// files is said, and blocks with `stale = "block"`.
#[test]
fn a_benchmark_report_older_than_the_code_is_flagged() {
    let s = Sandbox::new();
    let repo = app(&s);
    let policy = "[coverage]\nrequired = false\n[tests]\nrequired = false\n[performance]\n\
                  budgets = [{ name = \"*\", max = \"1s\" }]\n[reports]\nperformance = [\"hyperfine.json\"]\n";
    write(&repo, "temis.toml", policy);
    write(&repo, "src/slow.py", "def f():\n    return 1\n");
    std::fs::copy(crate::support::fixture("perf/hyperfine/hyperfine.json"), repo.join("hyperfine.json")).unwrap();
    let r = s.temis(&repo, &["gate"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(!r.stdout.contains("Benchmark report age"), "{}", r.stdout);
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(60);
    write(&repo, "src/slow.py", "import time\ndef f():\n    time.sleep(1)\n");
    dated(&repo, "src/slow.py", later);
    // A README is no code.
    write(&repo, "README.md", "slower now\n");
    dated(&repo, "README.md", later);
    let r = s.temis(&repo, &["gate"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(
        r.stdout.contains("WARN")
            && r.stdout.contains("1 code file(s) changed after hyperfine.json was written (src/slow.py)"),
        "{}",
        r.stdout
    );
    write(&repo, "temis.toml", &format!("{policy}stale = \"block\"\n"));
    let r = s.temis(&repo, &["gate"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stdout.contains("FAIL   Benchmark report age"), "{}", r.stdout);
}

/// criterion writes one report per benchmark: `cargo bench -- parse` wrote `parse`'s anew and
/// left `verify`'s of two days before, under code changed since — its old figure met its budget
/// without a word, since only the newest benchmark report was held against the code. Each is.
#[test]
fn a_benchmark_report_left_behind_beside_a_fresh_one_is_flagged() {
    let s = Sandbox::new();
    let repo = app(&s);
    let policy = "[coverage]\nrequired = false\n[tests]\nrequired = false\n[performance]\n\
                  budgets = [{ name = \"*\", max = \"1s\" }]\n[reports]\nperformance = [\"bench/*.json\"]\n";
    write(&repo, "temis.toml", policy);
    let hyperfine = crate::support::fixture("perf/hyperfine/hyperfine.json");
    std::fs::create_dir_all(repo.join("bench")).unwrap();
    let now = std::time::SystemTime::now();
    std::fs::copy(&hyperfine, repo.join("bench/verify.json")).unwrap();
    dated(&repo, "bench/verify.json", now - std::time::Duration::from_secs(2 * 86400));
    write(&repo, "src/slow.py", "import time\ndef f():\n    time.sleep(1)\n");
    dated(&repo, "src/slow.py", now - std::time::Duration::from_secs(3600));
    std::fs::copy(&hyperfine, repo.join("bench/parse.json")).unwrap();
    let r = s.temis(&repo, &["gate"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(
        r.stdout.contains("WARN") && r.stdout.contains("code file(s) changed after bench/verify.json was written"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("bench/parse.json was written"), "the fresh one is not stale: {}", r.stdout);
}

/// `max_drop` alone (no `min_patch`) looked for no base: with no `--base`, the ratchet was a
/// SKIP and a 50-point drop approved, where `--help` says the merge-base with the local `main`
/// is the base (and `min_patch` beside it found that base).
#[test]
fn the_ratchet_alone_finds_the_branchs_base() {
    let s = Sandbox::new();
    let repo = app(&s);
    let policy = "[coverage]\nmin_line = 0\nmax_drop = 1\n[tests]\nrequired = false\n";
    write(&repo, "temis.toml", policy);
    s.git(&repo, &["commit", "-q", "-am", "chore: ratchet only"]).ok();
    write(&repo, "lcov.info", &lcov(&[(1, 1), (2, 1)]));
    let r = s.temis(&repo, &["gate", "--record", "--base", "HEAD"]);
    assert_eq!(r.code, 0, "{}", r.all());
    s.git(&repo, &["checkout", "-q", "-b", "feature"]).ok();
    write(&repo, "src/a.py", "def a():\n    return 1\n\ndef c():\n    pass\n");
    s.git(&repo, &["commit", "-q", "-am", "feat: c"]).ok();
    write(&repo, "lcov.info", &lcov(&[(1, 1), (2, 1), (4, 0), (5, 0)]));
    let r = s.temis(&repo, &["gate"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stdout.contains("FAIL   Coverage ratchet"), "{}", r.stdout);
}

/// A package's report (`packages/b/coverage/lcov.info`) naming `src/index.ts`, where the root has
/// a `src/index.ts` too: the root's file took the package's hits, and a change to it approved at
/// 100 %. The path names neither file: the change could not be measured.
#[test]
fn a_package_report_path_the_root_also_has_measures_neither() {
    let s = Sandbox::new();
    let repo = app(&s);
    write(&repo, "temis.toml", "[coverage]\nmin_line = 0\nmin_patch = 80\n[tests]\nrequired = false\n");
    write(&repo, "src/index.ts", "a\nb\n");
    write(&repo, "packages/b/src/index.ts", "x\ny\n");
    s.git(&repo, &["add", "."]).ok();
    s.git(&repo, &["commit", "-q", "-m", "feat: two index files"]).ok();
    s.git(&repo, &["branch", "base"]).ok();
    write(&repo, "src/index.ts", "a\nb\nc\nd\n");
    s.git(&repo, &["commit", "-q", "-am", "feat: more"]).ok();
    write(&repo, "packages/b/coverage/lcov.info", "SF:src/index.ts\nDA:1,1\nDA:2,1\nDA:3,1\nDA:4,1\nend_of_record\n");
    let r = s.temis(&repo, &["gate", "--base", "base", "packages/b/coverage/lcov.info"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stdout.contains("which could be src/index.ts or packages/b/src/index.ts"), "{}", r.stdout);
    // Named from the package's folder, as a package's own CI step runs it: the same.
    let r = s.temis(&repo.join("packages/b"), &["gate", "--base", "base", "coverage/lcov.info"]);
    assert_eq!(r.code, 2, "{}", r.all());
    // Without the root's file, the report's path is the package's, from either folder.
    s.git(&repo, &["rm", "-q", "src/index.ts"]).ok();
    write(&repo, "packages/b/src/index.ts", "x\ny\nz\nw\n");
    s.git(&repo, &["add", "."]).ok();
    s.git(&repo, &["commit", "-q", "-m", "feat: the package's"]).ok();
    // The tests run again on this code (a report older than it measures none of its added lines).
    write(&repo, "packages/b/coverage/lcov.info", "SF:src/index.ts\nDA:1,1\nDA:2,1\nDA:3,1\nDA:4,1\nend_of_record\n");
    for (dir, report) in
        [(repo.clone(), "packages/b/coverage/lcov.info"), (repo.join("packages/b"), "coverage/lcov.info")]
    {
        let r = s.temis(&dir, &["gate", "--base", "base", report]);
        assert_eq!(r.code, 0, "{report}: {}", r.all());
        assert!(r.stdout.contains("Patch coverage 100 %"), "{report}: {}", r.stdout);
    }
}
