//! `temis hooks …` and the hooks themselves, driven through real `git` in temporary repositories.

use std::fs;

use crate::gitrepo::{Sandbox, fake_aws_key, make_executable, write};

const FOREIGN: &str = "#!/bin/sh\n# the team's own hook\necho legacy-ran >> \"$HOME/legacy.log\"\n";

fn hook_path(s: &Sandbox, repo: &std::path::Path, name: &str) -> std::path::PathBuf {
    s.git_hooks_dir(repo).join(name)
}

#[test]
fn install_over_a_foreign_hook_runs_both_and_uninstall_restores_it_byte_for_byte() {
    let s = Sandbox::new();
    let repo = s.repo("app");
    let pre = hook_path(&s, &repo, "pre-commit");
    fs::create_dir_all(pre.parent().unwrap()).unwrap();
    fs::write(&pre, FOREIGN).unwrap();
    make_executable(&pre);
    let before = fs::metadata(&pre).unwrap();

    let r = s.temis(&repo, &["hooks", "install"]).ok();
    assert!(r.stdout.contains("kept as pre-commit.pre-temis and runs first"), "{}", r.stdout);
    for name in ["pre-commit", "commit-msg", "prepare-commit-msg", "pre-push"] {
        let text = fs::read_to_string(hook_path(&s, &repo, name)).unwrap();
        assert!(text.starts_with("#!/bin/sh\n") && text.contains("# temis-managed-hook") && !text.contains('\r'));
    }
    // A clean commit: the foreign hook ran, temis let it through.
    write(&repo, "src/app.py", "print('hi')\n");
    s.git(&repo, &["add", "."]).ok();
    s.git(&repo, &["commit", "-q", "-m", "feat: greet"]).ok();
    assert_eq!(fs::read_to_string(s.home.join("legacy.log")).unwrap(), "legacy-ran\n");
    // A commit with a secret: the foreign hook ran first, then temis refused it.
    write(&repo, "src/conf.py", &format!("KEY = \"{}\"\n", fake_aws_key()));
    s.git(&repo, &["add", "."]).ok();
    let r = s.git(&repo, &["commit", "-q", "-m", "feat: configure"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("src/conf.py:1: [aws-access-key-id]"), "{}", r.stderr);
    assert!(!r.all().contains(&fake_aws_key()), "the key itself is never printed");
    assert_eq!(fs::read_to_string(s.home.join("legacy.log")).unwrap(), "legacy-ran\nlegacy-ran\n");

    // Installing again changes nothing and keeps the kept hook.
    let r = s.temis(&repo, &["hooks", "install"]).ok();
    assert!(r.stdout.contains("already installed"), "{}", r.stdout);

    let r = s.temis(&repo, &["hooks", "uninstall"]).ok();
    assert!(r.stdout.contains("the hook it replaced is back"), "{}", r.stdout);
    assert_eq!(fs::read(&pre).unwrap(), FOREIGN.as_bytes());
    let after = fs::metadata(&pre).unwrap();
    assert_eq!(after.permissions(), before.permissions());
    assert!(!hook_path(&s, &repo, "pre-commit.pre-temis").exists());
    assert!(!hook_path(&s, &repo, "commit-msg").exists());
}

/// A line someone added to temis's own hook was thrown away by the next `hooks install` ("updated")
/// and by `hooks uninstall`, with no copy anywhere. A shim that is not what a temis wrote is kept
/// as `HOOK.temis-edited` first; one an earlier temis wrote as it was is replaced without a copy.
#[test]
fn a_hook_someone_changed_is_kept_before_it_is_replaced_or_removed() {
    let s = Sandbox::new();
    let repo = s.repo("app");
    s.temis(&repo, &["hooks", "install"]).ok();
    let pre = hook_path(&s, &repo, "pre-commit");
    let edited = format!("{}echo my-lint-ran >> \"$HOME/lint.log\"\n", fs::read_to_string(&pre).unwrap());
    fs::write(&pre, &edited).unwrap();
    let r = s.temis(&repo, &["hooks", "install"]).ok();
    assert!(
        r.stdout.contains("pre-commit          updated; it had been changed since temis wrote it, and is kept as pre-commit.temis-edited"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("commit-msg          already installed"), "{}", r.stdout);
    assert_eq!(fs::read_to_string(hook_path(&s, &repo, "pre-commit.temis-edited")).unwrap(), edited);
    // Changed again: the copy already kept is never overwritten.
    fs::write(&pre, format!("{edited}# more\n")).unwrap();
    let r = s.temis(&repo, &["hooks", "install"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert_eq!(fs::read_to_string(hook_path(&s, &repo, "pre-commit.temis-edited")).unwrap(), edited);
    fs::remove_file(hook_path(&s, &repo, "pre-commit.temis-edited")).unwrap();
    let r = s.temis(&repo, &["hooks", "uninstall"]).ok();
    assert!(r.stdout.contains("pre-commit          removed; it had been changed since temis wrote it"), "{}", r.stdout);
    assert_eq!(
        fs::read_to_string(hook_path(&s, &repo, "pre-commit.temis-edited")).unwrap(),
        format!("{edited}# more\n")
    );
    assert!(!pre.exists() && !hook_path(&s, &repo, "commit-msg").exists());
    // A shim the earlier template wrote, as it wrote it: updated, nothing kept.
    fs::remove_file(hook_path(&s, &repo, "pre-commit.temis-edited")).unwrap();
    let v1 = include_str!("../../hooks/shim-v1.sh")
        .replace("@HOOK@", "pre-commit")
        .replace("@BIN@", "'/usr/local/bin/temis'");
    fs::write(&pre, &v1).unwrap();
    make_executable(&pre);
    let r = s.temis(&repo, &["hooks", "install", "pre-commit"]).ok();
    assert!(r.stdout.contains("pre-commit          updated\n"), "{}", r.stdout);
    assert!(!hook_path(&s, &repo, "pre-commit.temis-edited").exists());
}

/// `git commit -m "#42 Bad Subject."` commits that line as it is (git drops `#` lines only when
/// it opened an editor); the commit-msg hook read it as a comment, the message as empty, and let
/// it through.
#[test]
fn a_message_given_with_m_that_starts_with_a_hash_is_checked() {
    let s = Sandbox::new();
    let repo = s.repo("app");
    s.temis(&repo, &["hooks", "install", "commit-msg"]).ok();
    write(&repo, "a.txt", "a\n");
    s.git(&repo, &["add", "a.txt"]).ok();
    let r = s.git(&repo, &["commit", "-q", "-m", "#42 Bad Subject."]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("type-empty"), "{}", r.stderr);
    let r = s.git(&repo, &["commit", "-q", "-m", "fix: the subject (#42)"]);
    assert_eq!(r.code, 0, "{}", r.all());
    // Two -m: git commits the subject "#42 fix" (the hook judged "feat: x").
    write(&repo, "a.txt", "b\n");
    s.git(&repo, &["add", "a.txt"]).ok();
    let r = s.git(&repo, &["commit", "-q", "-m", "#42 fix", "-m", "feat: x"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("type-empty"), "{}", r.stderr);
    // With an editor git drops every `#` line, a template's first line too, even without its
    // "Please enter" lines (`commit.status = false`): "feat: add x" is what git commits.
    write(&repo, ".gitmessage", "# type(scope): subject\n\n");
    write(&repo, "edit.sh", "#!/bin/sh\nprintf 'feat: add x\\n' >> \"$1\"\n");
    make_executable(&repo.join("edit.sh"));
    let editor = format!("core.editor={}", repo.join("edit.sh").display());
    let r = s
        .git(&repo, &["-c", "commit.template=.gitmessage", "-c", "commit.status=false", "-c", &editor, "commit", "-q"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert_eq!(s.git(&repo, &["log", "-1", "--format=%s"]).stdout.trim(), "feat: add x");
}

/// With everything up to date git gives pre-push no line at all; the hook temis kept aside got
/// one empty line from the shim instead. It gets git's input byte for byte.
#[test]
fn the_kept_pre_push_hook_gets_gits_input_byte_for_byte() {
    let s = Sandbox::new();
    let repo = s.repo("app");
    let remote = s.root.join("remote.git");
    s.git(&s.root, &["init", "-q", "--bare", remote.to_str().unwrap()]).ok();
    s.git(&repo, &["remote", "add", "origin", remote.to_str().unwrap()]).ok();
    let hook = hook_path(&s, &repo, "pre-push");
    fs::create_dir_all(hook.parent().unwrap()).unwrap();
    fs::write(&hook, "#!/bin/sh\ncat > \"$HOME/pre-push.in\"\n").unwrap();
    make_executable(&hook);
    s.temis(&repo, &["hooks", "install", "pre-push"]).ok();
    s.git_env(&repo, &["push", "-q", "origin", "main"], &[("TEMIS_SKIP", "pre-push")]).ok();
    let first = fs::read_to_string(s.home.join("pre-push.in")).unwrap();
    assert!(first.starts_with("refs/heads/main ") && first.ends_with('\n') && first.lines().count() == 1, "{first:?}");
    s.git_env(&repo, &["push", "-q", "origin", "main"], &[("TEMIS_SKIP", "pre-push")]).ok();
    assert_eq!(fs::read_to_string(s.home.join("pre-push.in")).unwrap(), "", "up to date: no line");
}

/// `TEMIS_SKIP` skips temis's check, not the user's own hook that runs before it: a failing
/// linter kept as `pre-commit.pre-temis` was bypassed by `TEMIS_SKIP=pre-commit` (and `all`).
#[test]
fn temis_skip_still_runs_the_hook_that_was_there_before() {
    let s = Sandbox::new();
    let repo = s.repo("app");
    let pre = hook_path(&s, &repo, "pre-commit");
    fs::create_dir_all(pre.parent().unwrap()).unwrap();
    fs::write(&pre, "#!/bin/sh\necho USER HOOK REFUSES >&2\nexit 1\n").unwrap();
    make_executable(&pre);
    s.temis(&repo, &["hooks", "install", "pre-commit"]).ok();
    write(&repo, "src/app.py", "print('hi')\n");
    s.git(&repo, &["add", "."]).ok();
    for skip in ["pre-commit", "all", "1"] {
        let r = s.git_env(&repo, &["commit", "-q", "-m", "feat: greet"], &[("TEMIS_SKIP", skip)]);
        assert_eq!(r.code, 1, "TEMIS_SKIP={skip}: {}", r.all());
        assert!(r.stderr.contains("USER HOOK REFUSES"), "{}", r.stderr);
    }
    // --no-verify skips every hook, as git says.
    s.git(&repo, &["commit", "-q", "--no-verify", "-m", "feat: greet"]).ok();
}

/// A hook that is a symbolic link, even one whose target is gone, and a foreign hook that merely
/// mentions temis's marker are the user's: kept aside on install and restored as they were (the
/// link was deleted, the marker-quoting hook overwritten then deleted).
#[test]
fn dangling_links_and_hooks_that_quote_the_marker_are_kept_and_restored() {
    let s = Sandbox::new();
    let repo = s.repo("app");
    let pre = hook_path(&s, &repo, "pre-commit");
    fs::create_dir_all(pre.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink("../../tools/hooks/pre-commit", &pre).unwrap();
    assert!(!pre.exists(), "the link dangles");
    let msg = hook_path(&s, &repo, "commit-msg");
    let quoting = "#!/bin/sh\n# fails when another tool's hook is installed\n\
                   grep -l '# temis-managed-hook' \"$0\".* && exit 1\nexit 0\n";
    fs::write(&msg, quoting).unwrap();
    make_executable(&msg);

    let r = s.temis(&repo, &["hooks", "install"]).ok();
    assert!(r.stdout.contains("kept as pre-commit.pre-temis"), "{}", r.stdout);
    assert!(r.stdout.contains("kept as commit-msg.pre-temis"), "{}", r.stdout);
    let kept = hook_path(&s, &repo, "pre-commit.pre-temis");
    assert_eq!(fs::read_link(&kept).unwrap(), std::path::Path::new("../../tools/hooks/pre-commit"));
    assert_eq!(fs::read_to_string(hook_path(&s, &repo, "commit-msg.pre-temis")).unwrap(), quoting);

    let r = s.temis(&repo, &["hooks", "uninstall"]).ok();
    assert!(r.stdout.contains("pre-commit          removed; the hook it replaced is back"), "{}", r.stdout);
    assert!(fs::symlink_metadata(&pre).unwrap().file_type().is_symlink(), "the link is back as a link");
    assert_eq!(fs::read_link(&pre).unwrap(), std::path::Path::new("../../tools/hooks/pre-commit"));
    assert_eq!(fs::read_to_string(&msg).unwrap(), quoting);
    assert!(fs::symlink_metadata(&kept).is_err() && !hook_path(&s, &repo, "commit-msg.pre-temis").exists());
}

#[test]
fn a_hooks_path_owned_by_husky_is_refused_then_used_on_request() {
    let s = Sandbox::new();
    let repo = s.repo("web");
    // husky 9's way: each stub in .husky/_ reads `h`, which runs the user's `.husky/<its name>`.
    write(
        &repo,
        ".husky/_/h",
        "#!/usr/bin/env sh\n# husky dispatcher\nn=$(basename \"$0\")\ns=$(dirname \"$(dirname \"$0\")\")/$n\n\
         [ -f \"$s\" ] || exit 0\nsh -e \"$s\" \"$@\"\n",
    );
    write(&repo, ".husky/pre-commit", "echo 'husky pre-commit: lint failed' >&2\nexit 1\n");
    write(&repo, ".husky/_/pre-commit", "#!/usr/bin/env sh\n. \"$(dirname \"$0\")/h\"\n");
    make_executable(&repo.join(".husky/_/pre-commit"));
    s.git(&repo, &["config", "core.hooksPath", ".husky/_"]).ok();

    let r = s.temis(&repo, &["hooks", "install"]);
    assert_eq!(r.code, 2, "{}", r.all());
    for needle in ["core.hooksPath", "husky", "--use-hooks-path", "will not take it over silently"] {
        assert!(r.stderr.contains(needle), "{needle}: {}", r.stderr);
    }
    assert!(!repo.join(".git/hooks/pre-commit").exists() && !repo.join(".husky/_/commit-msg").exists());

    let r = s.temis(&repo, &["hooks", "install", "--use-hooks-path"]).ok();
    assert!(r.stdout.contains(".husky/_"), "{}", r.stdout);
    assert!(repo.join(".husky/_/pre-commit.pre-temis").exists());
    assert!(fs::read_to_string(repo.join(".husky/_/commit-msg")).unwrap().contains("temis-managed-hook"));
    // Now git runs temis's commit-msg from husky's directory.
    write(&repo, "a.txt", "a\n");
    s.git(&repo, &["add", "a.txt"]).ok();
    let r = s.git(&repo, &["commit", "-q", "-m", "Added stuff."]);
    assert_eq!(r.code, 1, "{}", r.all());
    // husky's own hook still runs first, and its failure blocks (run as pre-commit.pre-temis,
    // the stub dispatched to `.husky/pre-commit.pre-temis`, which is not there: it passed).
    assert!(r.stderr.contains("husky pre-commit: lint failed"), "{}", r.stderr);
    write(&repo, ".husky/pre-commit", "echo 'husky pre-commit: ok' >&2\n");
    let r = s.git(&repo, &["commit", "-q", "-m", "Added stuff."]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("husky pre-commit: ok") && r.stderr.contains("[type-empty]"), "{}", r.stderr);
    // Reinstalling over our own shims there needs no option.
    s.temis(&repo, &["hooks", "install"]).ok();
}

#[test]
fn the_hooks_directory_is_the_one_git_uses() {
    let s = Sandbox::new();
    let main = s.repo("main");
    // A linked worktree: its .git is a file, the hooks are the main repository's.
    s.git(&main, &["worktree", "add", "-q", "../linked"]).ok();
    let linked = s.root.join("linked");
    assert!(linked.join(".git").is_file());
    // A submodule: its hooks live under the superproject's .git/modules.
    let lib = s.repo("lib");
    s.git(&main, &["submodule", "add", "-q", lib.to_str().unwrap(), "vendor/lib"]).ok();
    let sub = main.join("vendor/lib");
    // core.hooksPath, relative and global with ~.
    let rel = s.repo("rel");
    s.git(&rel, &["config", "core.hooksPath", "tools/hooks"]).ok();
    for dir in [&main, &linked, &sub, &rel, &rel.join("README.md").parent().unwrap().to_path_buf()] {
        let r = s.temis(dir, &["hooks", "status"]).ok();
        let shown = r.stdout.lines().next().unwrap().trim_start_matches("hooks directory: ").to_string();
        let shown = shown.split(" (").next().unwrap();
        assert_eq!(std::path::Path::new(shown), s.git_hooks_dir(dir), "in {}: {}", dir.display(), r.stdout);
    }
    let r = s.temis(&sub, &["hooks", "status"]).ok();
    assert!(r.stdout.contains(".git/modules/vendor/lib/hooks"), "{}", r.stdout);

    // Installed from the linked worktree, the hook runs for commits made there.
    s.temis(&linked, &["hooks", "install", "commit-msg"]).ok();
    assert!(main.join(".git/hooks/commit-msg").exists());
    write(&linked, "b.txt", "b\n");
    s.git(&linked, &["add", "b.txt"]).ok();
    let r = s.git(&linked, &["commit", "-q", "-m", "bad message"]);
    assert_eq!(r.code, 1, "{}", r.all());
    s.git(&linked, &["commit", "-q", "-m", "docs: add b"]).ok();

    // Installed inside the submodule, the hook lands in its own hooks directory.
    s.temis(&sub, &["hooks", "install", "pre-commit"]).ok();
    assert!(main.join(".git/modules/vendor/lib/hooks/pre-commit").exists());

    // GIT_DIR names the repository from anywhere.
    let elsewhere = s.root.join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let r = s.temis_env(&elsewhere, &["hooks", "status"], &[("GIT_DIR", main.join(".git").to_str().unwrap())]).ok();
    assert!(r.stdout.starts_with(&format!("hooks directory: {}", main.join(".git/hooks").display())), "{}", r.stdout);

    let g = s.root.join("global");
    std::fs::create_dir_all(&g).unwrap();
    let glob_repo = s.repo("glob");
    s.git(&glob_repo, &["config", "--global", "core.hooksPath", "~/githooks"]).ok();
    let r = s.temis(&glob_repo, &["hooks", "status"]).ok();
    assert!(r.stdout.starts_with(&format!("hooks directory: {}", s.home.join("githooks").display())), "{}", r.stdout);
    assert!(r.stdout.contains("global config"), "{}", r.stdout);
    let r = s.temis(&glob_repo, &["hooks", "install"]);
    assert_eq!(r.code, 2, "a global hooks directory serves every repository: {}", r.all());
    assert!(r.stderr.contains("--global --unset core.hooksPath"), "{}", r.stderr);
}

#[test]
fn commit_a_and_commit_path_gate_the_content_actually_committed() {
    let s = Sandbox::new();
    let repo = s.repo("app");
    s.temis(&repo, &["hooks", "install", "pre-commit"]).ok();
    write(&repo, "conf.py", "KEY = None\n");
    s.git(&repo, &["add", "conf.py"]).ok();
    s.git(&repo, &["commit", "-q", "-m", "feat: conf"]).ok();

    // The secret is only in the working tree: a plain commit of another file passes…
    write(&repo, "conf.py", &format!("KEY = \"{}\"\n", fake_aws_key()));
    write(&repo, "other.txt", "x\n");
    s.git(&repo, &["add", "other.txt"]).ok();
    s.git(&repo, &["commit", "-q", "-m", "docs: other"]).ok();
    // …`git commit -a` (a temporary index) and `git commit conf.py` (another one) are refused.
    let r = s.git(&repo, &["commit", "-q", "-a", "-m", "feat: key"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("conf.py:1"), "{}", r.stderr);
    let r = s.git(&repo, &["commit", "-q", "-m", "feat: key", "conf.py"]);
    assert_eq!(r.code, 1, "{}", r.all());
    // Staged clean, dirty in the working tree: the staged (clean) content is judged.
    write(&repo, "conf.py", "KEY = os.environ[\"KEY\"]\n");
    s.git(&repo, &["add", "conf.py"]).ok();
    write(&repo, "conf.py", &format!("KEY = \"{}\"\n", fake_aws_key()));
    s.git(&repo, &["commit", "-q", "-m", "fix: read the key from the environment"]).ok();
    // Nothing was stashed or rewritten: the working tree still has the user's edit.
    assert!(fs::read_to_string(repo.join("conf.py")).unwrap().contains(&fake_aws_key()));
}

#[test]
fn a_missing_binary_fails_closed_with_the_bypass_and_no_verify_bypasses() {
    let s = Sandbox::new();
    let repo = s.repo("app");
    let r = s.temis(&repo, &["hooks", "install", "--bin", "/nonexistent/temis"]).ok();
    assert!(r.stderr.contains("--bin /nonexistent/temis is not an executable file here"), "{}", r.stderr);
    write(&repo, "temis.toml", "[coverage]\nmin_line = 80\n");
    s.git(&repo, &["add", "temis.toml"]).ok();
    let r = s.git(&repo, &["commit", "-q", "-m", "chore: policy"]);
    assert_eq!(r.code, 1, "{}", r.all());
    for needle in ["temis binary was not found", "fails closed", "git commit --no-verify", "TEMIS_SKIP=pre-commit"] {
        assert!(r.stderr.contains(needle), "{needle}: {}", r.stderr);
    }
    s.git(&repo, &["commit", "-q", "--no-verify", "-m", "chore: policy"]).ok();
    // TEMIS_SKIP=all works without the binary too.
    write(&repo, "x.txt", "x\n");
    s.git(&repo, &["add", "x.txt"]).ok();
    s.git_env(&repo, &["commit", "-q", "-m", "chore: x"], &[("TEMIS_SKIP", "all")]).ok();
    // TEMIS_BIN points the hooks at a binary that exists.
    write(&repo, "y.txt", "y\n");
    s.git(&repo, &["add", "y.txt"]).ok();
    s.git_env(&repo, &["commit", "-q", "-m", "chore: y"], &[("TEMIS_BIN", crate::support::BIN)]).ok();

    // Without a policy, a missing binary lets the commit through, saying so.
    let bare = s.repo("nopolicy");
    s.temis(&bare, &["hooks", "install", "--bin", "/nonexistent/temis"]).ok();
    write(&bare, "z.txt", "z\n");
    s.git(&bare, &["add", "z.txt"]).ok();
    let r = s.git(&bare, &["commit", "-q", "-m", "chore: z"]).ok();
    assert!(r.stderr.contains("skipped"), "{}", r.stderr);
}

#[test]
fn no_verify_and_temis_skip_bypass_the_checks() {
    let s = Sandbox::new();
    let repo = s.repo("app");
    s.temis(&repo, &["hooks", "install"]).ok();
    write(&repo, "k.py", &format!("K = '{}'\n", fake_aws_key()));
    s.git(&repo, &["add", "k.py"]).ok();
    assert_eq!(s.git(&repo, &["commit", "-q", "-m", "Bad message."]).code, 1);
    s.git(&repo, &["commit", "-q", "--no-verify", "-m", "Bad message."]).ok();
    write(&repo, "k2.py", &format!("K = '{}'\n", fake_aws_key()));
    s.git(&repo, &["add", "k2.py"]).ok();
    let r = s.git_env(&repo, &["commit", "-q", "-m", "test: fixture key"], &[("TEMIS_SKIP", "secrets")]).ok();
    assert!(r.stderr.is_empty(), "{}", r.stderr);
}

#[test]
fn a_broken_staged_policy_blocks_the_commit() {
    let s = Sandbox::new();
    let repo = s.repo("app");
    s.temis(&repo, &["hooks", "install", "pre-commit"]).ok();
    write(&repo, "temis.toml", "[coverage]\nmin_lne = 80\n");
    s.git(&repo, &["add", "temis.toml"]).ok();
    let r = s.git(&repo, &["commit", "-q", "-m", "chore: policy"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(
        r.stderr.contains("temis.toml (staged):2:1: unknown key `coverage.min_lne`; did you mean `min_line`?"),
        "{}",
        r.stderr
    );
}

#[test]
fn prepare_commit_msg_prefills_a_just_completed_phase_and_otherwise_does_nothing() {
    let s = Sandbox::new();
    let repo = s.repo("app");
    s.temis(&repo, &["hooks", "install"]).ok();
    write(
        &repo,
        "plans/auth/phase-1-complete.md",
        "---\nphase: 1\ncommit_message: |\n  feat(auth): issue tokens\n\n  - sign with HS256\n---\n# Phase 1\n",
    );
    s.git(&repo, &["add", "."]).ok();
    // `git commit` with no -m and the editor set to `true`: the message git commits is the pre-filled one.
    let r = s.git_env(&repo, &["commit", "-q"], &[("GIT_EDITOR", "true")]).ok();
    let _ = r;
    let msg = s.git(&repo, &["log", "-1", "--format=%B"]).ok().stdout;
    assert_eq!(msg.trim_end(), "feat(auth): issue tokens\n\n- sign with HS256");
    // A later commit that adds no phase record is left alone (-m wins anyway; with the editor, git's own text stays).
    write(&repo, "x.txt", "x\n");
    s.git(&repo, &["add", "x.txt"]).ok();
    let r = s.git_env(&repo, &["commit", "-q"], &[("GIT_EDITOR", "true")]);
    assert_ne!(r.code, 0, "an empty message aborts the commit: nothing was pre-filled");
    // Two records in one commit: the last phase's message, and a word about the other (it was
    // dropped without one).
    for (n, subject) in [(2, "feat(auth): refresh tokens"), (3, "feat(auth): revoke tokens")] {
        write(
            &repo,
            &format!("plans/auth/phase-{n}-complete.md"),
            &format!("---\nphase: {n}\ncommit_message: |\n  {subject}\n---\n# Phase {n}\n"),
        );
    }
    s.git(&repo, &["add", "."]).ok();
    let r = s.git_env(&repo, &["commit", "-q"], &[("GIT_EDITOR", "true")]).ok();
    assert!(
        r.stderr.contains("this commit adds 2 phase records; the message is plans/auth/phase-3-complete.md's"),
        "{}",
        r.stderr
    );
    let msg = s.git(&repo, &["log", "-1", "--format=%B"]).ok().stdout;
    assert_eq!(msg.trim_end(), "feat(auth): revoke tokens");
}

#[test]
fn doctor_checks_the_set_up() {
    let s = Sandbox::new();
    let repo = s.repo("app");
    s.temis(&repo, &["hooks", "install"]).ok();
    let r = s.temis(&repo, &["hooks", "doctor"]).ok();
    for needle in
        ["git and temis agree on the hooks directory", "pre-commit: temis's shim, executable, LF", "a GUI git client"]
    {
        assert!(r.stdout.contains(needle), "{needle}: {}", r.stdout);
    }
    // Broken: CRLF in a shim, a missing hooks directory named by core.hooksPath.
    let pre = repo.join(".git/hooks/pre-commit");
    let text = fs::read_to_string(&pre).unwrap().replace('\n', "\r\n");
    fs::write(&pre, text).unwrap();
    let r = s.temis(&repo, &["hooks", "doctor"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stdout.contains("CRLF"), "{}", r.stdout);
    let other = s.repo("other");
    s.git(&other, &["config", "core.hooksPath", "nowhere"]).ok();
    let r = s.temis(&other, &["hooks", "doctor"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("does not exist: git runs no hook at all"), "{}", r.stdout);
}

#[test]
fn the_pre_commit_framework_manifest_names_commands_that_exist() {
    let text = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/.pre-commit-hooks.yaml")).unwrap();
    let entries: Vec<&str> = text.lines().filter_map(|l| l.trim().strip_prefix("entry: ")).collect();
    assert_eq!(entries.len(), 3);
    for entry in entries {
        let start = entry.find("temis ").unwrap() + "temis ".len();
        let words: Vec<&str> =
            entry[start..].split_whitespace().take_while(|w| !w.starts_with('$') && !w.starts_with('\'')).collect();
        let mut args = words.clone();
        args.push("--help");
        let r = crate::support::temis(&args);
        assert_eq!(r.code, 0, "`temis {}` is not a command: {}", words.join(" "), r.stderr);
    }
}

/// A folder where a hook goes (a hook manager's, or a mistake) was moved aside by `install`, and
/// `uninstall` stopped at it: a folder cannot be renamed over the shim, so the hooks after it
/// stayed installed and the folder stayed aside.
#[test]
fn a_folder_kept_aside_comes_back_and_uninstall_goes_on() {
    let s = Sandbox::new();
    let repo = s.repo("app");
    let pre = hook_path(&s, &repo, "pre-commit");
    fs::create_dir_all(&pre).unwrap();
    fs::write(pre.join("inside"), "mine\n").unwrap();

    s.temis(&repo, &["hooks", "install"]).ok();
    assert!(hook_path(&s, &repo, "pre-commit.pre-temis").join("inside").is_file());
    let r = s.temis(&repo, &["hooks", "uninstall"]).ok();
    assert!(r.stdout.contains("the hook it replaced is back"), "{}", r.stdout);
    assert_eq!(fs::read_to_string(pre.join("inside")).unwrap(), "mine\n");
    assert!(!hook_path(&s, &repo, "pre-commit.pre-temis").exists());
    for name in ["commit-msg", "prepare-commit-msg", "pre-push"] {
        assert!(!hook_path(&s, &repo, name).exists(), "{name} was left installed");
    }
}

/// In a bare repository (a mirror) the pre-push hook let every push through without a word:
/// there is no work tree and no report to judge. It cannot judge (exit 2), and says so; a
/// deletion still goes.
#[test]
fn pre_push_in_a_bare_repository_cannot_judge() {
    let s = Sandbox::new();
    let repo = s.repo("app");
    let mirror = s.root.join("mirror.git");
    let target = s.root.join("target.git");
    s.git(&s.root, &["clone", "-q", "--bare", repo.to_str().unwrap(), mirror.to_str().unwrap()]).ok();
    s.git(&s.root, &["init", "-q", "--bare", target.to_str().unwrap()]).ok();
    s.temis(&mirror, &["hooks", "install", "pre-push"]).ok();
    let r = s.git(&mirror, &["push", target.to_str().unwrap(), "HEAD:refs/heads/main"]);
    assert_ne!(r.code, 0, "{}", r.all());
    assert!(r.stderr.contains("could not judge: this is a bare repository"), "{}", r.stderr);
    let side = "HEAD:refs/heads/side";
    let r = s.git_env(&mirror, &["push", target.to_str().unwrap(), side], &[("TEMIS_SKIP", "pre-push")]);
    assert_eq!(r.code, 0, "{}", r.all());
    let r = s.git(&mirror, &["push", target.to_str().unwrap(), ":refs/heads/side"]);
    assert_eq!(r.code, 0, "a deletion pushes nothing to judge: {}", r.all());
}

/// A `temis.toml` that is a symbolic link (to `config/temis.toml`): the pre-commit hook parsed
/// the link's blob — the path it names — as the policy, and refused the commit of a valid one.
/// The staged file it names is judged.
#[cfg(unix)]
#[test]
fn a_staged_policy_that_is_a_link_is_judged_by_the_file_it_names() {
    let s = Sandbox::new();
    let repo = s.repo("app");
    s.temis(&repo, &["hooks", "install", "pre-commit"]).ok();
    write(&repo, "config/temis.toml", "[coverage]\nmin_line = 80\n");
    std::os::unix::fs::symlink("config/temis.toml", repo.join("temis.toml")).unwrap();
    s.git(&repo, &["add", "-A"]).ok();
    let r = s.git(&repo, &["commit", "-q", "-m", "chore: policy"]);
    assert_eq!(r.code, 0, "{}", r.all());
    // The file it names, invalid and staged: refused, with that file's error.
    write(&repo, "config/temis.toml", "[coverage]\nmin_line = 180\n");
    s.git(&repo, &["add", "-A"]).ok();
    let r = s.git(&repo, &["commit", "-q", "-m", "chore: stricter"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("not 180"), "{}", r.stderr);
    // A link to a file the commit does not hold (untracked, or in .git) is refused, not passed
    // over as if no policy were staged.
    write(&repo, "config/temis.toml", "[coverage]\nmin_line = 80\n");
    s.git(&repo, &["add", "-A"]).ok();
    s.git(&repo, &["rm", "-q", "--cached", "config/temis.toml"]).ok();
    let r = s.git(&repo, &["commit", "-q", "-m", "chore: policy elsewhere"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("links to config/temis.toml, which this commit does not hold"), "{}", r.stderr);
}

/// A kept `#!/bin/sh` hook with `set -e` whose command fails must stop the commit wherever `sh`
/// is bash (macOS, Fedora, Git for Windows): read in the shim's own shell after `||`, bash
/// ignored its `set -e` and the hook ended 0. The shim is run by bash here, as such a system runs
/// it.
#[test]
fn a_kept_hooks_set_e_holds_where_sh_is_bash() {
    let Some(bash) = crate::gitrepo::which("bash") else { return };
    let s = Sandbox::new();
    let repo = s.repo("app");
    let hooks = s.git_hooks_dir(&repo);
    write(&hooks, "pre-commit", "#!/bin/sh\nset -e\nfalse\necho 'after the failure'\n");
    make_executable(&hooks.join("pre-commit"));
    s.temis(&repo, &["hooks", "install", "pre-commit"]).ok();
    let out = std::process::Command::new(bash)
        .arg(hooks.join("pre-commit"))
        .current_dir(&repo)
        .env("TEMIS_SKIP", "pre-commit")
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("after the failure"));
}
