//! Plans, phase records and commit messages, in real git repositories built here with pinned
//! dates: a blocked phase writes nothing, an approved one writes a record `temis plan` reads
//! back, paths that leave the plan's folder are refused, records are never replaced silently.

use std::path::Path;

use crate::support::{cargo_env, git, repo, temis_env, temis_in, write};

const PLAN: &str = "# Token store

## Phase 1: Database schema (Maat)

Type: feat

### Tasks
- [x] Token table
- [ ] Indexes

### Test requirements
- Round trip

## Phase 2: Backend services (Hermes)
- [ ] JWT service
";

fn example(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/jwt-auth").join(rel)).unwrap()
}

/// A repository with the plan committed and approved, the phase-1 code, and the reports of
/// phase `reports` of the example under `reports/`.
fn approved_repo(reports: &str) -> tempfile::TempDir {
    let dir = repo();
    let d = dir.path();
    write(d, "plans/store/plan.md", &format!("---\napproved: true\napproved_by: Ada Lovelace\n---\n\n{PLAN}"));
    git(d, &["add", "-A"]);
    git(d, &["commit", "-q", "-m", "docs(plans): approve the store plan"]);
    for f in ["src/authsvc/__init__.py", "src/authsvc/store.py", "tests/test_store.py"] {
        write(d, f, &example(f));
    }
    for f in ["coverage.xml", "junit.xml"] {
        write(d, &format!("reports/{f}"), &example(&format!("reports/{reports}/{f}")));
    }
    dir
}

fn status(d: &Path) -> String {
    git(d, &["status", "--porcelain", "--untracked-files=all"])
}

#[test]
fn a_blocked_phase_writes_nothing_and_says_what_blocks_it() {
    let dir = approved_repo("phase-2");
    let d = dir.path();
    let before = status(d);
    let r = temis_in(d, &["phase", "complete", "1", "reports/coverage.xml", "reports/junit.xml"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("Statement coverage 77.33 %, need 80 % minimum"), "{}", r.stdout);
    assert!(r.stdout.contains("test_refresh_issues_access_token"), "{}", r.stdout);
    assert!(r.stdout.contains("phase 1 is BLOCKED: plans/store/phase-1-complete.md was not written"), "{}", r.stdout);
    assert!(!d.join("plans/store/phase-1-complete.md").exists());
    assert_eq!(status(d), before, "nothing was written");
}

/// A phase approved by waivers with expiry dates, judged with `--today`: the record says the day
/// it was judged on (a waiver applies up to its date, and the record is otherwise undated);
/// without an expiry date it says none.
#[test]
fn a_record_says_the_day_its_expiring_waivers_were_judged_on() {
    for (expires, said) in [("expires = 2027-01-31\n", true), ("", false)] {
        let dir = approved_repo("phase-2");
        let d = dir.path();
        write(
            d,
            "temis.toml",
            &format!(
                "[coverage]\nmin_line = 80\n\n[[waivers]]\ncheck = \"coverage-line-below-threshold\"\n\
                 reason = \"phase 3\"\n{expires}\n[[waivers]]\ncheck = \"tests-failing\"\nreason = \"#42\"\n{expires}"
            ),
        );
        let r = temis_in(
            d,
            &["phase", "complete", "1", "--today", "2026-12-01", "reports/coverage.xml", "reports/junit.xml"],
        );
        assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
        let record = std::fs::read_to_string(d.join("plans/store/phase-1-complete.md")).unwrap();
        assert!(record.contains("## Waivers used"), "{record}");
        assert_eq!(
            record.contains("Judged on 2026-12-01: a waiver applies up to its expiry date."),
            said,
            "{expires:?}: {record}"
        );
    }
}

#[test]
fn an_approved_phase_writes_a_record_that_temis_plan_reads_back() {
    let dir = approved_repo("phase-1");
    let d = dir.path();
    let r = temis_in(d, &["phase", "complete", "1", "reports/coverage.xml", "reports/junit.xml"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("wrote plans/store/phase-1-complete.md"), "{}", r.stdout);
    let record = std::fs::read_to_string(d.join("plans/store/phase-1-complete.md")).unwrap();
    assert!(record.starts_with("---\nschema: temis.phase/v1\n"), "{record}");
    assert!(record.contains("| `src/authsvc/store.py` | created | +34 |"), "{record}");
    assert!(!record.contains("reports/coverage.xml` | created"), "gated reports are not listed as changes");

    let r = temis_in(d, &["plan", "--format", "json", "--no-gate"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["schema"], "temis.plan/v1");
    assert_eq!(v["phases"][0]["state"], "complete");
    assert_eq!(v["phases"][0]["recorded"]["verdict"], "APPROVED");
    assert_eq!(v["phases"][0]["recorded"]["line_coverage"], 100.0);
    assert_eq!(v["phases"][0]["recorded"]["tests_total"], 4);
    assert_eq!(v["current"], 2);

    // The commit message generated for the phase is the one its record holds.
    let m = temis_in(d, &["commit-msg", "generate"]);
    assert_eq!(m.code, 0, "{}", m.stderr);
    assert!(record.contains(&format!("```text\n{}```", m.stdout)), "{}", m.stdout);
    insta::assert_snapshot!(m.stdout);

    let r = temis_in(d, &["plan", "--no-gate"]);
    insta::assert_snapshot!(r.stdout);
}

/// The seam between the record writer and the `prepare-commit-msg` hook: a record `temis phase
/// complete` wrote pre-fills the commit that adds it, through the real git and the installed shim.
#[test]
fn the_prepare_commit_msg_hook_prefills_the_message_of_a_record_phase_complete_wrote() {
    let dir = approved_repo("phase-1");
    let d = dir.path();
    let r = temis_in(d, &["hooks", "install", "prepare-commit-msg"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let r = temis_in(d, &["phase", "complete", "1", "reports/coverage.xml", "reports/junit.xml"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let record = std::fs::read_to_string(d.join("plans/store/phase-1-complete.md")).unwrap();
    git(d, &["add", "-A"]);
    // No -m: git asks the editor (`true` keeps the text) for the message the hook pre-filled.
    let mut cmd = std::process::Command::new("git");
    crate::support::git_env(&mut cmd, d);
    let out = cmd.args(["commit", "-q"]).env("GIT_EDITOR", "true").current_dir(d).output().unwrap();
    assert!(out.status.success(), "git commit: {}", String::from_utf8_lossy(&out.stderr));
    let committed = git(d, &["log", "-1", "--format=%B"]);
    let subject = committed.lines().next().unwrap();
    assert!(subject.starts_with("feat(") && subject.contains("database schema"), "{committed}");
    assert!(record.contains(&format!("```text\n{}```", committed.trim_end().to_string() + "\n")), "{committed}");
}

/// With a `commit.template`, its own text was glued onto the pre-filled message's trailers
/// (`Phase: 1/3See ticket…`): it goes between the body and the trailers, which git still reads.
#[test]
fn a_commit_templates_text_goes_before_the_prefilled_messages_trailers() {
    let dir = approved_repo("phase-1");
    let d = dir.path();
    assert_eq!(temis_in(d, &["hooks", "install", "prepare-commit-msg"]).code, 0);
    let r = temis_in(d, &["phase", "complete", "1", "reports/coverage.xml", "reports/junit.xml"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    write(d, ".git/template.txt", "See ticket PROJ-\n\n# the ticket above\n");
    git(d, &["add", "-A"]);
    let mut cmd = std::process::Command::new("git");
    crate::support::git_env(&mut cmd, d);
    let out = cmd
        .args(["-c", "commit.template=.git/template.txt", "commit", "-q"])
        .env("GIT_EDITOR", "true")
        .current_dir(d)
        .output()
        .unwrap();
    assert!(out.status.success(), "git commit: {}", String::from_utf8_lossy(&out.stderr));
    let committed = git(d, &["log", "-1", "--format=%B"]);
    assert!(committed.starts_with("feat(") && committed.contains("\n\nSee ticket PROJ-\n\n"), "{committed}");
    let trailers = git(d, &["log", "-1", "--format=%(trailers:key=Phase)"]);
    assert!(trailers.contains("Phase: 1/"), "{committed}\n{trailers}");
}

/// Phase 1 starts at the commit that approved the plan, as README says: what that commit itself
/// holds is the plan's, not the phase's (it started at the commit's parent).
#[test]
fn phase_one_starts_at_the_approval_commit_itself() {
    let dir = repo();
    let d = dir.path();
    write(d, "plans/store/plan.md", &format!("---\napproved: true\napproved_by: Ada Lovelace\n---\n\n{PLAN}"));
    write(d, "tools/lint.cfg", "strict = true\n");
    git(d, &["add", "-A"]);
    git(d, &["commit", "-q", "-m", "docs(plans): approve the store plan"]);
    for f in ["src/authsvc/__init__.py", "src/authsvc/store.py", "tests/test_store.py"] {
        write(d, f, &example(f));
    }
    for f in ["coverage.xml", "junit.xml"] {
        write(d, &format!("reports/{f}"), &example(&format!("reports/phase-1/{f}")));
    }
    let r = temis_in(d, &["phase", "complete", "1", "reports/coverage.xml", "reports/junit.xml"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let record = std::fs::read_to_string(d.join("plans/store/phase-1-complete.md")).unwrap();
    let approval = git(d, &["rev-parse", "HEAD"]);
    assert!(record.contains(&format!("base: {}", approval.trim())), "{record}");
    assert!(!record.contains("tools/lint.cfg"), "the approval commit's own change is not phase 1's: {record}");
    assert!(record.contains("`src/authsvc/store.py` | created"), "{record}");
}

/// `temis plan` says when the figures it shows for the current phase come from reports older than
/// the code they measure.
#[test]
fn the_plan_says_when_its_figures_are_from_older_reports() {
    let dir = approved_repo("phase-1");
    let d = dir.path();
    for f in ["coverage.xml", "junit.xml"] {
        write(d, f, &example(&format!("reports/phase-1/{f}")));
    }
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::options().write(true).open(d.join("coverage.xml")).unwrap().set_modified(old).unwrap();
    let r = temis_in(d, &["plan"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("note: coverage.xml is older than"), "{}", r.stdout);
}

#[test]
fn a_plan_must_be_approved_and_phases_completed_in_order() {
    let dir = repo();
    let d = dir.path();
    write(d, "plans/store/plan.md", PLAN);
    let r = temis_in(d, &["phase", "complete", "1"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("is not approved yet") && r.stderr.contains("temis plan approve"), "{}", r.stderr);
    // A record written by hand (an empty file, a front matter typed without temis's schema)
    // approved the plan, and the approval pause point was skipped.
    for record in ["", "---\nverdict: APPROVED\n---\n"] {
        write(d, "plans/store/phase-2-complete.md", record);
        let r = temis_in(d, &["phase", "complete", "1"]);
        assert_eq!(r.code, 2, "{record:?}: {}{}", r.stdout, r.stderr);
        assert!(r.stderr.contains("is not approved yet"), "{record:?}: {}", r.stderr);
    }
    std::fs::remove_file(d.join("plans/store/phase-2-complete.md")).unwrap();

    let r = temis_in(d, &["plan", "approve", "--by", "Grace Hopper"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(d.join("plans/store/plan.md")).unwrap();
    assert_eq!(
        text,
        format!("---\napproved: true\napproved_by: Grace Hopper\n---\n\n{PLAN}"),
        "the rest is kept as written"
    );
    let again = temis_in(d, &["plan", "approve"]);
    assert!(again.stdout.contains("already approved by Grace Hopper"), "{}", again.stdout);

    let r = temis_in(d, &["phase", "complete", "2"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("phase 1 is not complete"), "{}", r.stderr);
}

/// A record with no verdict in it — an empty file (`touch`), a note without a status line —
/// counted as an approved phase: the next phase completed on it, and the feature's summary said
/// APPROVED for a phase never gated.
#[test]
fn a_record_without_a_verdict_approves_no_phase() {
    let dir = approved_repo("phase-1");
    let d = dir.path();
    for record in ["", "## Phase 1 Complete: Database schema\n\nDone.\n"] {
        write(d, "plans/store/phase-1-complete.md", record);
        let r = temis_in(d, &["phase", "complete", "2", "reports/coverage.xml", "reports/junit.xml"]);
        assert_eq!(r.code, 2, "{record:?}: {}{}", r.stdout, r.stderr);
        assert!(r.stderr.contains("phase 1 is not complete"), "{}", r.stderr);
        let r = temis_in(d, &["plan", "--no-gate"]);
        assert!(r.stdout.contains("NO VERDICT · by hand"), "{}", r.stdout);
        let r = temis_in(d, &["phase", "summary"]);
        assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
        assert!(r.stderr.contains("phase 1 (plans/store/phase-1-complete.md: NO VERDICT)"), "{}", r.stderr);
        assert!(!d.join("plans/store/complete.md").exists());
    }
    // A status line written by hand is a verdict (Conductor's records).
    write(d, "plans/store/phase-1-complete.md", "## Phase 1 Complete\n\n**Review Status:** APPROVED\n");
    let r = temis_in(d, &["plan", "--no-gate"]);
    assert!(r.stdout.contains("APPROVED · by hand"), "{}", r.stdout);
    // Its message, when commitlint rejects it, is printed with the rules it breaks, and the exit
    // code says so (it was 0, and `git commit -F -` then failed in the commit-msg hook).
    write(
        d,
        "plans/store/phase-1-complete.md",
        "## Phase 1 Complete\n\n**Review Status:** APPROVED\n\n## Commit message\n\n```text\nFeat: Bad Message.\n```\n",
    );
    let r = temis_in(d, &["commit-msg", "generate", "--phase", "1"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.stdout, "Feat: Bad Message.\n");
    assert!(r.stderr.contains("the message breaks commitlint's conventional rules"), "{}", r.stderr);
}

/// A plan's `Reports:` path through a link to a folder elsewhere (`reports/ext` → `/tmp/…`)
/// recorded APPROVED from reports the repository does not hold; the same path named on the
/// command line or to the MCP tool was refused.
#[cfg(unix)]
#[test]
fn a_plans_report_through_a_link_out_of_the_repository_is_refused() {
    let dir = approved_repo("phase-1");
    let d = dir.path();
    let outside = tempfile::tempdir().unwrap();
    for f in ["coverage.xml", "junit.xml"] {
        std::fs::rename(d.join("reports").join(f), outside.path().join(f)).unwrap();
    }
    std::os::unix::fs::symlink(outside.path(), d.join("reports/ext")).unwrap();
    let plan = std::fs::read_to_string(d.join("plans/store/plan.md")).unwrap();
    let plan = plan.replace("Type: feat\n", "Type: feat\n\nReports: reports/ext/coverage.xml, reports/ext/junit.xml\n");
    write(d, "plans/store/plan.md", &plan);
    let r = temis_in(d, &["phase", "complete", "1"]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("`reports/ext/coverage.xml` leads outside the repository"), "{}", r.stderr);
    assert!(!d.join("plans/store/phase-1-complete.md").exists());
}

/// A record written by hand (`**Status:** CONCERNS`, as Conductor's) completes its phase, but
/// temis measured nothing there: the feature's summary said "recorded by temis", drew a green
/// tick for CONCERNS, bars of 0 % and 0 tests for it, and "no test report was gated" though
/// phase 1 gated one.
#[test]
fn a_summary_says_which_phases_were_recorded_by_hand_and_charts_only_what_was_measured() {
    let dir = approved_repo("phase-1");
    let d = dir.path();
    let r = temis_in(d, &["phase", "complete", "1", "reports/coverage.xml", "reports/junit.xml"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    write(d, "plans/store/phase-2-complete.md", "## Phase 2 Complete\n\n**Status:** CONCERNS\n");
    let r = temis_in(d, &["phase", "summary"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let summary = std::fs::read_to_string(d.join("plans/store/complete.md")).unwrap();
    assert!(summary.contains("\nphases_by_hand: 2\n"), "{summary}");
    assert!(summary.contains("\nverdict: PARTLY_GATED\n"), "APPROVED is for what temis gated: {summary}");
    assert!(
        summary.contains("recorded, 1 by temis and 1 by hand (phase 2: temis measured nothing there)"),
        "{summary}"
    );
    assert!(!summary.contains("recorded by temis"), "{summary}");
    assert!(summary.contains("| ⚠️ CONCERNS (by hand) |"), "{summary}");
    assert!(summary.contains("- **Tests:** 4 in phase 1's run, the last gated"), "{summary}");
    assert!(summary.contains("100 % in phase 1, the last gated"), "{summary}");
    assert!(summary.contains("x-axis [\"Phase 1\"]") && !summary.contains("bar [100, 0]"), "{summary}");
    assert!(!summary.contains("bar [4, 0]"), "{summary}");
}

/// A repository whose `src/calc.py` (4 lines, line 2 never run) was committed before the plan
/// (approved in its own commit); phase 1 adds lines 5 and 6 (5 run, 6 not) and a new file `src/new.py` with
/// one line that runs. The coverage report (LCOV) covers both files.
fn patch_repo(policy: &str) -> tempfile::TempDir {
    let dir = repo();
    let d = dir.path();
    write(d, "src/calc.py", "a = 1\nif a > 2: b = 0\nc = 3\nd = 4\n");
    git(d, &["add", "-A"]);
    git(d, &["commit", "-q", "-m", "feat: calc"]);
    write(d, "plans/store/plan.md", &format!("---\napproved: true\n---\n\n{PLAN}"));
    git(d, &["add", "-A"]);
    git(d, &["commit", "-q", "-m", "docs(plans): approve the store plan"]);
    write(d, "src/calc.py", "a = 1\nif a > 2: b = 0\nc = 3\nd = 4\ne = 5\nif a > 9: f = 6\n");
    write(d, "src/new.py", "x = 1\n");
    write(
        d,
        "reports/lcov.info",
        "SF:src/calc.py\nDA:1,1\nDA:2,0\nDA:3,1\nDA:4,1\nDA:5,1\nDA:6,0\nend_of_record\nSF:src/new.py\nDA:1,3\nend_of_record\n",
    );
    write(d, "temis.toml", policy);
    dir
}

/// The plan committed, approved in the work tree only, and the phase's code committed: the
/// phase's change was counted since HEAD, which left the committed code out ("no coverable line
/// added", approved). It is counted since the plan was last committed.
#[test]
fn an_approval_not_committed_counts_the_change_since_the_plan_was_committed() {
    let dir = repo();
    let d = dir.path();
    write(d, "src/calc.py", "a = 1\nif a > 2: b = 0\nc = 3\nd = 4\n");
    write(d, "plans/store/plan.md", PLAN);
    git(d, &["add", "-A"]);
    git(d, &["commit", "-q", "-m", "docs(plans): the store plan"]);
    write(d, "src/calc.py", "a = 1\nif a > 2: b = 0\nc = 3\nd = 4\ne = 5\nif a > 9: f = 6\n");
    git(d, &["commit", "-q", "-am", "feat(store): token table"]);
    write(d, "plans/store/plan.md", &format!("---\napproved: true\n---\n\n{PLAN}"));
    write(d, "reports/lcov.info", "SF:src/calc.py\nDA:1,1\nDA:2,0\nDA:3,1\nDA:4,1\nDA:5,1\nDA:6,0\nend_of_record\n");
    write(d, "temis.toml", "[coverage]\nmin_line = 0\nmin_patch = 80\n[tests]\nrequired = false\n");
    let r = temis_in(d, &["phase", "complete", "1", "reports/lcov.info"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("Patch coverage 50 %"), "{}", r.stdout);
    assert!(r.stderr.contains("changes are counted since the plan was last committed"), "{}", r.stderr);
}

#[test]
fn a_phase_record_measures_the_lines_the_phase_added() {
    // Project: 5 of 7 lines; the phase added calc.py:5-6 and new.py:1, of which 2 of 3 run.
    let dir = patch_repo("[coverage]\nmin_line = 70\nmin_patch = 60\n[tests]\nrequired = false\n");
    let d = dir.path();
    let r = temis_in(d, &["phase", "complete", "1", "reports/lcov.info"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let record = std::fs::read_to_string(d.join("plans/store/phase-1-complete.md")).unwrap();
    assert!(record.contains("| Line coverage (project) | 71.43 % (5 of 7) | ≥ 70 % | ✅ |"), "{record}");
    assert!(
        record.contains("| Patch coverage (lines added in the phase) | 66.67 % (2 of 3) | ≥ 60 % | ✅ |"),
        "{record}"
    );
    assert!(record.contains("  patch_lines_covered: 2\n  patch_lines_total: 3\n"), "{record}");
    assert!(record.contains("| `src/calc.py` | modified | +2 |"), "{record}");
    assert!(!record.contains("reports/lcov.info` |"), "the gated report is not a change: {record}");

    // Committed, the phase's record regenerates to the same bytes: the added lines are the same
    // whether the phase's files are untracked or committed.
    git(d, &["add", "-A"]);
    git(d, &["commit", "-q", "-m", "feat(store): token table"]);
    let again = temis_in(d, &["phase", "complete", "1", "reports/lcov.info"]);
    assert_eq!(again.code, 0, "{}{}", again.stdout, again.stderr);
    assert!(again.stdout.contains("is up to date (same bytes)"), "{}", again.stdout);
}

#[test]
fn a_phase_below_its_patch_minimum_is_blocked_and_writes_nothing() {
    let dir = patch_repo("[coverage]\nmin_line = 70\n[phase.1.coverage]\nmin_patch = 90\n[tests]\nrequired = false\n");
    let d = dir.path();
    let r = temis_in(d, &["phase", "complete", "1", "reports/lcov.info"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("Patch coverage 66.67 %, need 90 % minimum"), "{}", r.stdout);
    assert!(!d.join("plans/store/phase-1-complete.md").exists());
}

#[test]
fn a_phase_cannot_baseline_its_own_security_findings() {
    let dir = repo();
    let d = dir.path();
    write(d, "temis.toml", "[coverage]\nrequired = false\n[tests]\nrequired = false\n[security]\nnew_only = true\n");
    git(d, &["add", "-A"]);
    git(d, &["commit", "-q", "-m", "chore: policy"]);
    write(d, "plans/store/plan.md", &format!("---\napproved: true\n---\n\n{PLAN}"));
    git(d, &["add", "-A"]);
    git(d, &["commit", "-q", "-m", "docs(plans): approve the store plan"]);
    // During the phase: a finding, and a baseline that lists it, then another commit.
    write(d, "app/db.py", "import sqlite3\n");
    std::fs::copy(crate::support::fixture("security/bandit-json/app.json"), d.join("bandit.json")).unwrap();
    let r = temis_in(d, &["security", "baseline", "--root", "."]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    git(d, &["add", "-A"]);
    git(d, &["commit", "-q", "-m", "feat: code and its baseline"]);
    write(d, "src/more.py", "x = 1\n");
    git(d, &["add", "-A"]);
    git(d, &["commit", "-q", "-m", "feat: more"]);
    // The baseline is read where the phase started, not from HEAD~1.
    let r = temis_in(d, &["phase", "complete", "1", "bandit.json", "--today", "2027-01-01"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("new_only is on but there is no .temis/security-baseline.json"), "{}", r.stdout);
    assert!(!d.join("plans/store/phase-1-complete.md").exists());
}

#[test]
fn paths_that_leave_the_plan_folder_are_refused() {
    let dir = approved_repo("phase-1");
    let d = dir.path();
    let plan = std::fs::read_to_string(d.join("plans/store/plan.md")).unwrap();
    let escaping = plan.replacen("approved: true\n", "approved: true\nrecords: ../../outside\n", 1);
    write(d, "plans/store/plan.md", &escaping);
    let before = status(d);
    let r = temis_in(d, &["phase", "complete", "1", "reports/coverage.xml", "reports/junit.xml"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("plans/store/plan.md:3: `records: ../../outside` climbs out with `..`"), "{}", r.stderr);
    assert_eq!(status(d), before);
    assert!(!d.join("outside").exists() && !d.parent().unwrap().join("outside").exists());

    let reports = plan.replacen("Type: feat\n", "Type: feat\nReports: ../../../etc/passwd\n", 1);
    write(d, "plans/store/plan.md", &reports);
    let r = temis_in(d, &["phase", "complete", "1"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("phase 1's report `../../../etc/passwd` climbs out"), "{}", r.stderr);

    #[cfg(unix)]
    {
        let outside = tempfile::tempdir().unwrap();
        let linked = plan.replacen("approved: true\n", "approved: true\nrecords: done\n", 1);
        write(d, "plans/store/plan.md", &linked);
        std::os::unix::fs::symlink(outside.path(), d.join("plans/store/done")).unwrap();
        let r = temis_in(d, &["phase", "complete", "1", "reports/coverage.xml", "reports/junit.xml"]);
        assert_eq!(r.code, 2, "{}", r.stdout);
        assert!(r.stderr.contains("a link that leads outside"), "{}", r.stderr);
        assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
    }
}

#[test]
fn an_existing_record_is_never_replaced_silently() {
    let dir = approved_repo("phase-1");
    let d = dir.path();
    let args = ["phase", "complete", "1", "reports/coverage.xml", "reports/junit.xml"];
    assert_eq!(temis_in(d, &args).code, 0);
    let path = d.join("plans/store/phase-1-complete.md");
    let first = std::fs::read_to_string(&path).unwrap();

    let again = temis_in(d, &args);
    assert_eq!(again.code, 0);
    assert!(again.stdout.contains("is up to date (same bytes); nothing written"), "{}", again.stdout);

    let edited = first.replace("## Tests", "A note the reviewer added.\n\n## Tests");
    std::fs::write(&path, &edited).unwrap();
    let r = temis_in(d, &args);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("exists and differs") && r.stderr.contains("--force"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), edited, "the user's edit is kept");

    let mut forced = args.to_vec();
    forced.push("--force");
    let r = temis_in(d, &forced);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("kept as plans/store/phase-1-complete.md.bak"), "{}", r.stdout);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), first);
    assert_eq!(std::fs::read_to_string(d.join("plans/store/phase-1-complete.md.bak")).unwrap(), edited);

    // Edited again and forced again: the first backup is not overwritten, the second goes beside it.
    let edited_again = first.replace("## Tests", "A second note.\n\n## Tests");
    std::fs::write(&path, &edited_again).unwrap();
    let r = temis_in(d, &forced);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("kept as plans/store/phase-1-complete.md.bak.1"), "{}", r.stdout);
    assert_eq!(std::fs::read_to_string(d.join("plans/store/phase-1-complete.md.bak")).unwrap(), edited);
    assert_eq!(std::fs::read_to_string(d.join("plans/store/phase-1-complete.md.bak.1")).unwrap(), edited_again);
}

#[test]
fn every_accepted_layout_gives_the_same_phase_list() {
    let layouts = [
        (
            "plans/f/plan.md",
            "# F\n\n## Phase 1: Schema (Maat)\n- [x] Table\n\n## Phase 2: Services (Hermes)\n- [ ] API\n",
        ),
        (
            "specs/001-f/tasks.md",
            "# Tasks: F\n\n## Phase 1: Schema\n- [x] T001 Table\n\n## Phase 2: Services\n- [ ] T002 [P] [US1] API\n",
        ),
        (
            "plans/f-plan.md",
            "## Plan: F\n\n**Phases 2**\n1. **Phase 1: Schema (Maat)**\n    - **Steps:**\n        1. [x] Table\n2. **Phase 2: Services (Hermes)**\n    - **Steps:**\n        1. [ ] API\n",
        ),
        (
            ".kiro/specs/f/tasks.md",
            "# Implementation Plan\n\n- [ ] 1. Schema\n  - [x] 1.1 Table\n- [ ] 2. Services\n  - [ ] 2.1 API\n",
        ),
    ];
    for (path, text) in layouts {
        let dir = repo();
        write(dir.path(), path, text);
        let r = temis_in(dir.path(), &["plan", "--format", "json", "--no-gate"]);
        assert_eq!(r.code, 0, "{path}: {}", r.stderr);
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        let phases: Vec<(u64, String, usize)> = v["phases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                let open = p["open_tasks"].as_array().unwrap();
                (p["number"].as_u64().unwrap(), p["title"].as_str().unwrap().to_string(), open.len())
            })
            .collect();
        assert_eq!(phases, [(1, "Schema".to_string(), 0), (2, "Services".to_string(), 1)], "{path}");
        assert_eq!(v["plan"], path);
        // Conductor writes its plan file only once the plan is approved; the others say so.
        assert_eq!(v["approved"], path == "plans/f-plan.md", "{path}");
    }
}

#[test]
fn an_unreadable_plan_is_refused_with_its_line() {
    let dir = repo();
    write(dir.path(), "plans/f/plan.md", "# F\n\n## Phase 1: A\n- [y] what?\n");
    let r = temis_in(dir.path(), &["plan"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("plans/f/plan.md:4: `[y]` is not a task state"), "{}", r.stderr);
}

#[test]
fn messages_for_a_staged_change_follow_the_change() {
    let dir = repo();
    let d = dir.path();
    write(
        d,
        "Cargo.toml",
        "[package]\nname = \"token-store\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[lib]\npath = \"src/lib.rs\"\n",
    );
    write(d, "src/lib.rs", "fn helper() {}\n");
    git(d, &["add", "-A"]);
    git(d, &["commit", "-q", "-m", "build: start"]);
    let generate = || {
        let r = temis_env(d, &["commit-msg", "generate", "--staged"], &cargo_env());
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stderr.is_empty(), "no rule broken: {}", r.stderr);
        r.stdout
    };

    write(d, "src/lib.rs", "fn helper() {}\n\npub fn verify(token: &str) -> bool {\n    !token.is_empty()\n}\n");
    git(d, &["add", "-A"]);
    let feat = generate();
    assert!(feat.starts_with("feat(token-store): update `lib.rs`\n"), "{feat}");
    git(d, &["commit", "-q", "-m", "feat: verify"]);

    write(d, "tests/verify.rs", "#[test]\nfn empty_is_refused() {}\n");
    git(d, &["add", "-A"]);
    assert!(generate().starts_with("test(token-store): add `verify.rs`\n"));
    git(d, &["commit", "-q", "-m", "test: verify"]);

    write(d, "README.md", "# token-store\n");
    write(d, "docs/usage.md", "Call verify.\n");
    git(d, &["add", "-A"]);
    let docs = generate();
    insta::assert_snapshot!(docs);

    git(d, &["reset", "-q"]);
    let r = temis_in(d, &["commit-msg", "generate", "--staged"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("nothing is staged"), "{}", r.stderr);
}

#[test]
fn help_for_plan_phase_and_commit_msg() {
    // `plan` and `phase complete` take the report path options, whose help lists every format:
    // only the commit-msg help is snapshotted, the others are checked to run.
    for args in [&["plan", "--help"][..], &["phase", "complete", "--help"], &["phase", "summary", "--help"]] {
        let r = crate::support::temis(args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        assert!(r.stdout.contains("Usage: temis"), "{}", r.stdout);
    }
    for args in [&["commit-msg", "generate", "--help"][..]] {
        let r = crate::support::temis(args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        insta::assert_snapshot!(args.join("_").replace("--", ""), r.stdout);
    }
}
