//! Every gate outcome's stable kebab-case code, with a one-line summary and an explanation.
//!
//! This registry feeds `temis explain`, the JSON verdict, SARIF rule ids, JUnit test names and
//! README. Codes are a contract: never rename one; add new ones.

/// One outcome code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Code {
    pub code: &'static str,
    /// The check family it belongs to (`coverage`, `tests`, `waivers`…).
    pub family: &'static str,
    pub summary: &'static str,
    /// What it means and what to do, for `temis explain`.
    pub explanation: &'static str,
}

pub const COVERAGE_LINE: &str = "coverage-line-below-threshold";
pub const COVERAGE_BRANCH: &str = "coverage-branch-below-threshold";
pub const COVERAGE_UNCOVERED: &str = "coverage-uncovered-lines-above-limit";
pub const COVERAGE_PATH: &str = "coverage-path-below-threshold";
pub const COVERAGE_PATH_UNMATCHED: &str = "coverage-path-matches-nothing";
pub const COVERAGE_MISSING: &str = "coverage-report-missing";
pub const COVERAGE_EMPTY: &str = "coverage-nothing-coverable";
pub const TESTS_FAILING: &str = "tests-failing";
pub const TESTS_COUNT: &str = "tests-below-minimum-count";
pub const TESTS_FLAKY: &str = "tests-flaky";
pub const TESTS_MISSING: &str = "tests-report-missing";
pub const WAIVER_EXPIRED: &str = "waiver-expired";
pub const WAIVER_EXPIRING: &str = "waiver-expiring-soon";
pub const WAIVER_UNUSED: &str = "waiver-unused";
// Patch coverage, the ratchet, staged secrets (the hooks issue).
pub const PATCH_COVERAGE: &str = "patch-coverage-below-threshold";
pub const RATCHET_DROP: &str = "ratchet-coverage-dropped";
pub const RATCHET_NO_BASE: &str = "ratchet-no-recorded-base";
pub const SECRET_STAGED: &str = "secret-in-staged-change";

pub const CODES: &[Code] = &[
    Code {
        code: COVERAGE_LINE,
        family: "coverage",
        summary: "project line coverage is below the policy minimum",
        explanation: "The share of coverable lines (statements for Go and coverage.py) that the tests \
executed, over every coverage report read, is below `[coverage] min_line`. The figure is the one \
your coverage tool prints; temis compares the exact ratio, not a rounded one.\n\nFix: add tests for \
the files listed as evidence (worst first, with their uncovered lines), or lower `min_line` in \
temis.toml if the bar is wrong for this project.",
    },
    Code {
        code: COVERAGE_BRANCH,
        family: "coverage",
        summary: "project branch coverage is below the policy minimum",
        explanation: "The share of branch outcomes taken is below `[coverage] min_branch`. Reports \
without branch data (branch measurement off) skip this check instead of failing it.\n\nFix: test \
the other side of the conditions in the files listed, or turn on branch measurement \
(`--cov-branch`, `branch = true`) if the report lacks it.",
    },
    Code {
        code: COVERAGE_UNCOVERED,
        family: "coverage",
        summary: "more lines are uncovered than the policy allows",
        explanation: "The count of coverable lines never executed exceeds `max_uncovered_lines` (of \
the project, or of a `[[coverage.paths]]` rule). A cap on uncovered lines does not move when the \
code base grows, unlike a percentage.\n\nFix: cover the lines listed, or raise the cap.",
    },
    Code {
        code: COVERAGE_PATH,
        family: "coverage",
        summary: "coverage of a part of the tree is below its own minimum",
        explanation: "The files matching a `[[coverage.paths]]` glob, taken together, are below that \
rule's `min_line`, `min_branch` or `max_uncovered_lines`.\n\nFix: test the files listed, or waive \
the rule for a sub-tree with a reason and an expiry date.",
    },
    Code {
        code: COVERAGE_PATH_UNMATCHED,
        family: "coverage",
        summary: "a per-path coverage rule matches no file in the reports",
        explanation: "No file in the coverage reports matches the rule's glob, so the rule checked \
nothing. Usually the glob or the report's paths are off (absolute paths from another machine: see \
`--root`, `--strip-prefix`, `--map`).\n\nFix: correct the glob or the path mapping.",
    },
    Code {
        code: COVERAGE_MISSING,
        family: "coverage",
        summary: "the policy requires a coverage report and none was found or readable",
        explanation: "`[coverage] required = true` (the default) and no coverage report was found at \
the paths in `[reports] coverage`, on the command line, or at the conventional locations. A \
missing report is never a pass: the gate cannot judge and exits 2.\n\nFix: run the tests with \
coverage first, point `[reports] coverage` at the report, or set `required = false`.",
    },
    Code {
        code: COVERAGE_EMPTY,
        family: "coverage",
        summary: "the coverage reports hold nothing coverable",
        explanation: "The reports were read but contain no coverable line: nothing was measured, so \
no percentage exists (it is neither 0 % nor 100 %). Usually the coverage run did not include the \
source (`--cov=PACKAGE`, `collectCoverageFrom`) or every file was excluded.\n\nFix: check what \
the coverage tool was told to measure.",
    },
    Code {
        code: TESTS_FAILING,
        family: "tests",
        summary: "tests failed or errored",
        explanation: "The test reports contain failures or errors and `[tests] all_passing = true` \
(the default). The failing tests are listed as evidence with their messages.\n\nFix: fix the \
tests, or waive one by name (`[[waivers]] check = \"tests-failing\", rule = \"test name\"`) with a \
reason and an expiry date.",
    },
    Code {
        code: TESTS_COUNT,
        family: "tests",
        summary: "fewer tests ran than the policy requires",
        explanation: "Tests that ran (passed, failed or errored; skipped ones do not count) are fewer \
than `[tests] min_count`. An empty or truncated test report is caught this way.\n\nFix: check \
that the test run collected the tests, or lower `min_count`.",
    },
    Code {
        code: TESTS_FLAKY,
        family: "tests",
        summary: "tests failed and then passed on a rerun",
        explanation: "The producer (Maven Surefire, cargo-nextest, pytest-rerunfailures…) marked tests \
that failed at least once before passing. With `allow_flaky = true` (the default) this warns; \
with `false` it blocks.\n\nFix: make the tests deterministic.",
    },
    Code {
        code: TESTS_MISSING,
        family: "tests",
        summary: "the policy requires a test report and none was found or readable",
        explanation: "`[tests] required = true` (the default) and no JUnit XML report was found. A \
missing report is never a pass: the gate cannot judge and exits 2.\n\nFix: have the test runner \
write JUnit XML (`pytest --junitxml=junit.xml`, jest-junit, `cargo nextest` with a JUnit profile, \
`gotestsum --junitfile`), point `[reports] tests` at it, or set `required = false`.",
    },
    Code {
        code: WAIVER_EXPIRED,
        family: "waivers",
        summary: "a waiver is past its expiry date and no longer applies",
        explanation: "The waiver's `expires` date has passed, so what it excused counts again.\n\nFix: \
fix what it waived, or renew it with a new reason and date if the exception still holds.",
    },
    Code {
        code: WAIVER_EXPIRING,
        family: "waivers",
        summary: "a waiver expires within 14 days",
        explanation: "The waiver still applies, but not for long.\n\nFix: plan the work it excuses, \
or renew it deliberately.",
    },
    Code {
        code: WAIVER_UNUSED,
        family: "waivers",
        summary: "a waiver matched nothing",
        explanation: "No failing check matched the waiver's `check`, `rule` and `paths`. Either what \
it excused is fixed (remove it) or it is mistyped (then it is not doing its job).\n\nFix: remove \
or correct it.",
    },
    Code {
        code: PATCH_COVERAGE,
        family: "patch",
        summary: "the lines the change adds are covered less than the policy minimum",
        explanation: "Among the lines added since the base (`--base REF`; in the pre-push hook, what the \
remote already has), those the coverage reports measure were executed less often than `[coverage] \
min_patch` requires. This is diff-cover's and Codecov's patch figure: added lines the reports do not \
mention (comments, blank lines, unmeasured files) count neither way, and renamed files count only \
their changed lines. With `patch_small_change = N`, a change of fewer than N coverable lines only \
warns.\n\nFix: test the added lines listed as evidence, or waive the check with a reason.",
    },
    Code {
        code: RATCHET_DROP,
        family: "ratchet",
        summary: "project coverage fell further below the base commit's recorded figure than allowed",
        explanation: "The base commit's figures were recorded by `temis gate --record` as a git note \
under `refs/notes/temis`; line coverage now is more than `[coverage] max_drop` points below them. \
Figures are compared at the precision shown (two decimals), so rounding noise is not a drop.\n\nFix: \
test the code the change added or left untested, or raise `max_drop`.",
    },
    Code {
        code: RATCHET_NO_BASE,
        family: "ratchet",
        summary: "the base commit has no recorded figures, so the ratchet cannot compare",
        explanation: "`[coverage] max_drop` is set but no note under `refs/notes/temis` exists on the \
base commit. The ratchet says so and does not block.\n\nFix: run `temis gate --record` where the \
base branch is built (CI on main) and push the notes: `git push origin refs/notes/temis`; fetch them \
with `git fetch origin refs/notes/temis:refs/notes/temis`.",
    },
    Code {
        code: SECRET_STAGED,
        family: "secrets",
        summary: "a line being committed looks like a secret (a key format or a high-entropy assignment)",
        explanation: "The pre-commit hook found, among the lines the commit adds, a well-known key format \
(AWS, GitHub, GitLab, Slack, Stripe, Google, npm, PyPI, OpenAI, Anthropic, SendGrid, private key \
blocks) or a long random value assigned to a secret-looking name. Only the staged content is read, \
from the index git hands the hook.\n\nFix: remove the secret from the change (and rotate it if it was \
ever pushed). If it is not a secret: `temis:allow-secret` on the line, or `[secrets] allow` (values) \
or `allow_paths` (files) in temis.toml. To bypass once: `TEMIS_SKIP=secrets git commit …`.",
    },
];

/// The code reference (`docs/codes.md`), generated from the registry.
pub fn reference_markdown() -> String {
    let mut s = String::from(
        "# Check codes\n\nGenerated from `src/gate/codes.rs`; `temis explain CODE` prints the same text.\n\n\
         | code | family | meaning |\n| --- | --- | --- |\n",
    );
    for c in CODES {
        s.push_str(&format!("| `{}` | {} | {} |\n", c.code, c.family, c.summary));
    }
    for c in CODES {
        s.push_str(&format!("\n## `{}`\n\n{}\n", c.code, c.explanation));
    }
    s
}

/// The registry entry for `code`.
pub fn lookup(code: &str) -> Option<&'static Code> {
    CODES.iter().find(|c| c.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regenerate with `TEMIS_BLESS=1 cargo test --lib reference_is_fresh`.
    #[test]
    fn reference_is_fresh() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/codes.md");
        let fresh = reference_markdown();
        if std::env::var_os("TEMIS_BLESS").is_some() {
            std::fs::write(&path, &fresh).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(committed == fresh, "docs/codes.md is stale: `TEMIS_BLESS=1 cargo test --lib reference_is_fresh`");
    }

    #[test]
    fn codes_are_unique_kebab_case_and_explained() {
        let mut seen = std::collections::HashSet::new();
        for c in CODES {
            assert!(seen.insert(c.code), "duplicate code {}", c.code);
            assert!(
                c.code.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
                    && c.code.starts_with(c.family.trim_end_matches('s')),
                "{} is not kebab-case under its family",
                c.code
            );
            assert!(!c.summary.ends_with('.') && c.explanation.contains("Fix:"), "{}", c.code);
        }
    }
}
