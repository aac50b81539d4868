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
pub const COVERAGE_BRANCH_UNMEASURABLE: &str = "coverage-branch-unmeasurable";
pub const COVERAGE_UNCOVERED: &str = "coverage-uncovered-lines-above-limit";
pub const COVERAGE_PATH: &str = "coverage-path-below-threshold";
pub const COVERAGE_PATH_UNMATCHED: &str = "coverage-path-matches-nothing";
pub const COVERAGE_MISSING: &str = "coverage-report-missing";
pub const COVERAGE_EMPTY: &str = "coverage-nothing-coverable";
pub const COVERAGE_STALE: &str = "coverage-report-stale";
pub const COVERAGE_UNMATCHED: &str = "coverage-report-matches-no-file";
pub const SECURITY_STALE: &str = "security-report-stale";
pub const TESTS_FAILING: &str = "tests-failing";
pub const TESTS_COUNT: &str = "tests-below-minimum-count";
pub const TESTS_FLAKY: &str = "tests-flaky";
pub const TESTS_MISSING: &str = "tests-report-missing";
pub const TESTS_STALE: &str = "tests-report-stale";
pub const SECURITY_FINDINGS: &str = "security-findings-above-limit";
pub const SECURITY_OWASP: &str = "security-owasp-category";
pub const SECURITY_INCOMPLETE: &str = "security-scan-incomplete";
pub const SECURITY_TOOL_ERRORS: &str = "security-scan-errors";
pub const SECURITY_MISSING: &str = "security-report-missing";
pub const SECURITY_SUPPRESSED: &str = "security-suppressed-findings";
pub const SECURITY_SUPPRESSED_UNLISTED: &str = "security-suppressed-unlisted";
pub const SECURITY_FILTERED: &str = "security-findings-filtered";
pub const SECURITY_BASELINE: &str = "security-baseline-unavailable";
pub const SECURITY_FIXED: &str = "security-baseline-fixed";
pub const WAIVER_EXPIRED: &str = "waiver-expired";
pub const WAIVER_EXPIRING: &str = "waiver-expiring-soon";
pub const WAIVER_UNUSED: &str = "waiver-unused";
pub const A11Y_SCORE: &str = "a11y-score-below-threshold";
pub const A11Y_LEVEL: &str = "a11y-violations-at-level";
pub const A11Y_LIMIT: &str = "a11y-violations-above-limit";
pub const A11Y_SCAN_ERROR: &str = "a11y-scan-error";
pub const A11Y_MISSING: &str = "a11y-report-missing";
pub const A11Y_PAGES_UNMATCHED: &str = "a11y-page-rule-matches-nothing";
pub const PERFORMANCE_BUDGET: &str = "performance-budget-exceeded";
pub const PERFORMANCE_REGRESSION: &str = "performance-regression";
pub const PERFORMANCE_UNMATCHED: &str = "performance-budget-matches-nothing";
pub const PERFORMANCE_MISSING: &str = "performance-report-missing";
pub const PERFORMANCE_STAT_MISSING: &str = "performance-statistic-missing";
pub const PERFORMANCE_NOT_COMPARED: &str = "performance-baseline-not-compared";
pub const PERFORMANCE_STALE: &str = "performance-report-stale";
pub const PERFORMANCE_RUN_FAILED: &str = "performance-run-failed";

pub const PATCH_COVERAGE: &str = "patch-coverage-below-threshold";
pub const PATCH_UNMEASURED: &str = "patch-coverage-unmeasured";
pub const REPORT_UNREADABLE: &str = "report-unreadable";
pub const RATCHET_DROP: &str = "ratchet-coverage-dropped";
pub const RATCHET_NO_BASE: &str = "ratchet-no-recorded-base";
pub const SECRET_STAGED: &str = "secret-in-staged-change";

/// Codes that say a report is of other code than the work tree's: older than files it measures
/// or test files (a checkout, a pull, an edit since), or of files that are not the repository's.
/// Its figures are no figures of this commit (`--record` records none; `temis plan` says so).
pub const OF_OTHER_CODE: &[&str] = &[COVERAGE_STALE, TESTS_STALE, COVERAGE_UNMATCHED];

/// Codes that mean something the policy requires could not be measured (a required report is
/// missing, the change could not be measured): the gate could not judge (exit 2).
pub const COULD_NOT_JUDGE: &[&str] = &[
    COVERAGE_MISSING,
    TESTS_MISSING,
    A11Y_MISSING,
    PERFORMANCE_MISSING,
    SECURITY_MISSING,
    PATCH_UNMEASURED,
    REPORT_UNREADABLE,
];

/// Whether no waiver excuses a check of this code: what could not be measured
/// ([`COULD_NOT_JUDGE`]), and a coverage figure of other code than the repository's
/// ([`COVERAGE_UNMATCHED`]: a report of no repository file, or `min_line` met only with files of
/// other code). Excusing them approved what nothing measured.
pub fn never_waived(code: &str) -> bool {
    COULD_NOT_JUDGE.contains(&code) || NOT_MEASURED.contains(&code) || OF_OTHER_CODE.contains(&code)
}

/// Failures that say a threshold measured nothing, though the gate could judge the rest: a path
/// rule or a page rule or a budget that matches nothing, nothing coverable, a scan that did not
/// finish or left findings out, a scan error, a benchmark run that failed or a statistic it
/// lacks, a baseline that could not be compared. A waiver excused them, and approved a budget
/// on a benchmark that did not exist.
pub const NOT_MEASURED: &[&str] = &[
    COVERAGE_BRANCH_UNMEASURABLE,
    COVERAGE_PATH_UNMATCHED,
    COVERAGE_EMPTY,
    SECURITY_INCOMPLETE,
    SECURITY_SUPPRESSED_UNLISTED,
    SECURITY_FILTERED,
    SECURITY_BASELINE,
    A11Y_SCAN_ERROR,
    A11Y_PAGES_UNMATCHED,
    PERFORMANCE_UNMATCHED,
    PERFORMANCE_STAT_MISSING,
    PERFORMANCE_NOT_COMPARED,
    PERFORMANCE_RUN_FAILED,
    PERFORMANCE_STALE,
    SECURITY_STALE,
];

pub const CODES: &[Code] = &[
    Code {
        code: REPORT_UNREADABLE,
        family: "reports",
        summary: "a report could not be read, so the gate cannot judge",
        explanation: "A report named on the command line, in `[reports]` or found at a conventional \
location could not be read: it is missing, truncated, not valid for its format, of a format temis \
does not recognise, or a value the verdict depends on has the wrong type. The other reports are \
still read and judged, and every unreadable one is listed, but the verdict cannot be APPROVED: what \
could not be read was not measured (exit 2).\n\nFix: the message names the file and the place; \
regenerate the report, point `--input-format` at its real format, or remove it from where temis \
looks.",
    },
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
        explanation: "The share of branch outcomes taken is below `[coverage] min_branch`. A minimum \
nothing measured is never met: with no report that measures branches (branch measurement off, a Go \
cover profile) the check fails, and so it does when one of several reports measures none (the figure \
would leave that report's files out).\n\nFix: test the other side of the conditions in the files \
listed, or turn on branch measurement (`--cov-branch`, `branch = true`) where a report lacks it; hold \
the code whose reports measure branches to a `[[coverage.paths]]` `min_branch` of its folders.",
    },
    Code {
        code: COVERAGE_BRANCH_UNMEASURABLE,
        family: "coverage",
        summary: "a branch minimum is set and a coverage report's branch figure is not its producer's",
        explanation: "`min_branch` (project or `[[coverage.paths]]`) is set and a coverage report cannot carry the \
branch figure its producer prints: gcovr's LCOV merges the instances of a C++ template (or a constructor) into one \
record, their branches too, where gcovr counts each instance (the merged figure was higher: 83 % where gcovr \
printed 50 %). No figure in the file is gcovr's, so the minimum is not judged on it, and fails; a waiver does not \
excuse it.\n\nFix: give the gate the same run in a format that keeps the instances — `gcovr --cobertura \
coverage.xml` or `gcovr --json coverage.json` — instead of (or beside, then named) the LCOV.",
    },
    Code {
        code: COVERAGE_UNCOVERED,
        family: "coverage",
        summary: "more lines are uncovered than the policy allows",
        explanation: "The count of coverable lines never executed exceeds the project's \
`[coverage] max_uncovered_lines` (a `[[coverage.paths]]` rule's cap is `coverage-path-below-threshold`). \
A cap on uncovered lines does not move when the code base grows, unlike a percentage.\n\nFix: cover the \
lines listed, or raise the cap.",
    },
    Code {
        code: COVERAGE_PATH,
        family: "coverage",
        summary: "coverage of a part of the tree is below its own minimum",
        explanation: "The files matching a `[[coverage.paths]]` glob, taken together, are below that \
rule's `min_line`, `min_branch` or `max_uncovered_lines`. The rule judges the files the reports list; \
each of its rows, a pass included, names the repository's source files under the glob that no report \
lists (of a kind the reports list, files named as tests apart: a module no test imported, which coverage.py lists \
only when told its source, nyc and c8 only with `--all`).\n\nFix: test the files listed, or waive \
the rule for a sub-tree with a reason and an expiry date (a waiver of this code excuses the rule's \
thresholds, every one of them, where its paths cover the rule's files).",
    },
    Code {
        code: COVERAGE_PATH_UNMATCHED,
        family: "coverage",
        summary: "a per-path coverage rule matches no file in the reports, or not all of its files",
        explanation: "No file in the coverage reports matches the rule's glob, so the rule checked \
nothing: its threshold was not measured, and the gate does not pass what it did not measure. Or a \
report path names several repository files, one of them the rule's (a package's `src/index.js` \
beside another package's): left as written, it would be judged by no rule, and the rule's figure \
would be of part of its files. \
Usually the glob or the report's paths are off (absolute paths from another machine: see \
`--root`, `--strip-prefix`, `--map`), or the report names no source files (JaCoCo's CSV names \
classes: per-path rules need `jacoco.xml`).\n\nFix: correct the glob or the path mapping, or \
remove the rule (a `[phase.N]` section can hold a rule for the phases it applies to).",
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
        code: COVERAGE_STALE,
        family: "coverage",
        summary: "a coverage report is older than files it measures, or of another version of them",
        explanation: "Some files the report measures changed after it was written (their modification time \
is newer than the report's): a checkout, a pull or an edit came after the test run, so the figures \
are of other code. So is a source file it does not list, in a folder it measures, written after it \
(of a kind it lists, not named as a test): a module added since the test run, which no figure holds. \
So is a report that measures lines past a file's end (of another version of it). A report \
committed to the repository is as old as the commit that last changed it: files it measures that \
later commits changed (the next phase's code, the report left as it was) are newer than it, \
whatever the checkout's times (the commit that made it is the newest that holds its bytes where none of \
its parents does: a merge brings it, it does not make it); in a shallow clone that lacks that commit, how \
old it is cannot be told, and it is said. pre-push has the same trouble when the branch pushed is not the one checked out. A warning by default; `[reports] stale = \"block\"` makes it fail, `\"off\"` silences it. With `min_patch` set, the lines a change adds to a file the report is older than were written after the tests ran: patch coverage is `patch-coverage-unmeasured` (exit 2) unless `stale = \"off\"`.\n\nFix: run \
the tests with coverage again on the code as it is now.",
    },
    Code {
        code: COVERAGE_UNMATCHED,
        family: "coverage",
        summary: "a coverage report names no file of the repository",
        explanation: "Not one file the coverage report measures is a file of the repository (its tracked \
files and untracked ones not ignored; outside a git work tree, the files on disk), even through the \
path fixes temis tries: Go module paths, the report's source roots, the one repository file that ends \
with the path, and the folders the report lies in (a package's report names its files relative to \
the package). A path that names a file of this machine (an installed copy in `site-packages`, a \
`.venv` of the work tree, another checkout, a generated file git ignores) is that file, whatever its \
name's ending; a path whose folders differ from the file's before the shared ending names another \
file (`lib/m.py` is not `app/m.py`, nor a container's `/app/src/a.py` the repository's \
`service/src/a.py` without `--map /app=service`; a JVM source's package path may differ from its \
folders); a path that could be several repository files names none (a package's report naming `src/index.js`, where the package and the root each have one). The report is of other code \
(another project, a stale checkout, an installed copy of the package), so its figures say nothing \
about this one, and the gate does not judge coverage on them. A report that gives totals and names no \
file at all (a Clover report with project metrics only) is such a report too, and so is a JaCoCo CSV \
none of whose classes has a source file of its name anywhere in the repository (the CSV names \
classes, not files). A report that names the repository's files and files of elsewhere too (an \
installed package under `/usr/lib`, a sibling checkout, a generated file git ignores) is counted as its \
producer counts it, with a \
warning that says how many lines are of other code and what the repository's own files make; where \
`min_line` is met only with them, this fails.\n\nFix: run the gate at the root of \
the repository the report was made for (`--root`), or make its paths the repository's with \
`--strip-prefix` or `--map FROM=TO` (the report's notes suggest one); leave other code out of the \
coverage run (coverage.py `--omit`, `lcov --remove`, `collectCoverageFrom`).",
    },
    Code {
        code: TESTS_FAILING,
        family: "tests",
        summary: "tests failed or errored",
        explanation: "The test reports contain failures or errors, tests that started and never \
finished (a `go test` timeout, a TRX abort, NUnit's not-runnable tests), or errors outside any test \
(a Go package that did not build, an RSpec error outside examples, an xUnit assembly error), and \
`[tests] all_passing = true` (the default). They are listed as evidence with their messages; TAP \
`# TODO`, NUnit inconclusive and CTRF pending tests are counted as `other` and do not block.\n\nFix: fix the \
tests, or waive one by name (`[[waivers]] check = \"tests-failing\", rule = \"test name\"`) with a \
reason and an expiry date.",
    },
    Code {
        code: TESTS_COUNT,
        family: "tests",
        summary: "fewer tests ran than the policy requires",
        explanation: "Tests that ran (passed, failed or errored; skipped ones do not count) are fewer \
than `[tests] min_count` (at least one when `[tests] required = true` sets none). An empty or \
truncated test report is caught this way.\n\nFix: check \
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
        code: SECURITY_STALE,
        family: "security",
        summary: "files a security scanner reads changed after its report was written",
        explanation: "A security report is older than files its scanner reads (their modification time is \
newer): code files for a code scanner (bandit, Semgrep, gitleaks, ZAP), dependency manifests and lockfiles \
(`requirements*.txt`, `pyproject.toml`, `package-lock.json`, `Cargo.lock`, `go.sum`…) for a dependency \
scanner (npm audit, pip-audit, cargo audit, osv-scanner, Grype, Snyk, Dependency-Check), Terraform, Bicep, \
Dockerfiles and YAML for Checkov, code or manifests for SARIF and Trivy. Each report is judged on its own. A scan that was skipped, or that failed (pip-audit \
writes no file when it fails), leaves the last run's report in place, and a finding added since is not in \
it. Files checked out as they are committed, beside a report checked out as committed too, or in a CI job's \
fresh checkout (`temis ci`), are not judged by their times. A warning by default; `[reports] stale = \
\"block\"` makes it fail, `\"off\"` silences it; a waiver does not excuse it.\n\nFix: run the scanner again \
on the code as it is now.",
    },
    Code {
        code: TESTS_STALE,
        family: "tests",
        summary: "test or code files changed after the newest test report was written",
        explanation: "Files of the repository named as tests (`test_*.py`, `*_test.go`, `*.test.ts`, \
`*_spec.rb`, `FooTest.java`…) or code files (by their extension: `.py`, `.go`, `.rs`, `.ts`…) were \
changed after the newest test report was written (their modification time is newer): a checkout, a \
pull or an edit came after the test run, or the last run stopped before it wrote a report (a \
`conftest.py` that does not import leaves the run before's `junit.xml` in place), so the reports are \
of other code (a test written to fail, or code that breaks one, is not in them). Files \
checked out as they are committed, beside a report checked out as committed too, or in a CI job's fresh \
checkout (`temis ci`), are not judged by their times. A warning by default; `[reports] stale = \"block\"` makes it fail, `\"off\"` silences \
it.\n\nFix: run the tests again on the code as it is now.",
    },
    Code {
        code: PERFORMANCE_STALE,
        family: "performance",
        summary: "code files changed after a benchmark report was written",
        explanation: "Code files of the repository (by their extension: `.py`, `.go`, `.rs`, `.ts`, \
`.java`…) were changed after a benchmark report was written (their modification time is newer): \
the benchmarks timed other code. A benchmark run skipped or filtered (`pytest --benchmark-skip`, a \
`cargo bench` filter) leaves the last run's report in place, and code made slower since approved \
with its old figures. Each report is held against the code on its own: criterion writes one per \
benchmark, and `cargo bench -- parse` leaves the others' of an earlier run beside `parse`'s fresh one. Files checked out as they are committed, beside a report \
checked out as committed too, or in a CI job's fresh checkout (`temis ci`), are not judged by their \
times. A warning by default; `[reports] stale = \"block\"` makes it fail, `\"off\"` silences it.\n\n\
Fix: run the benchmarks again on the code as it is now.",
    },
    Code {
        code: TESTS_MISSING,
        family: "tests",
        summary: "the policy requires a test report and none was found or readable",
        explanation: "`[tests] required = true` (the default) and no test report was found (JUnit \
XML, TRX, NUnit, xUnit.net, go test -json, mocha, RSpec, dart, CTRF or TAP: `temis formats` lists \
them and where they are searched). A missing report is never a pass: the gate cannot judge and \
exits 2.\n\nFix: have the test runner write one (`pytest --junitxml=junit.xml`, jest-junit, \
`cargo nextest` with a JUnit profile, `dotnet test --logger trx`, `go test -json > go-test.json`, \
`rspec --format json --out rspec.json`), point `[reports] tests` at it, or set `required = false`.",
    },
    Code {
        code: A11Y_SCORE,
        family: "a11y",
        summary: "an accessibility score is below the policy minimum",
        explanation: "A page's accessibility score (Lighthouse's `categories.accessibility.score`, on the \
0-100 scale the report shows) is below `[a11y] min_score` (or its `pages` rule). With several \
Lighthouse runs of one URL (`lhr-*.json`, or the runs a Lighthouse CI manifest lists) the run \
`[a11y] aggregation` picks counts: the median run by score by default; optimistic, \
pessimistic or median-run (lhci's representative run) on request, as `lhci assert` names them. The failing audits are listed \
with their elements and WCAG level. A waiver naming a rule does not change the score, which is \
Lighthouse's.\n\nFix: fix the listed audits, heaviest first (Lighthouse \
weighs critical and serious axe rules most), or lower `min_score` if the bar is wrong.",
    },
    Code {
        code: A11Y_LEVEL,
        family: "a11y",
        summary: "accessibility rules of the target WCAG level or lower fail",
        explanation: "axe, Lighthouse or pa11y found violations of rules whose WCAG success criteria \
are at `[a11y] wcag` (A, AA or AAA) or lower. The level comes from the rule's axe tags \
(`wcag2a`, `wcag21aa`…) or, for pa11y's HTML_CodeSniffer codes, from the success criterion \
(`…1_4_3…` is 1.4.3, AA): the `WCAG2AA.` prefix is the standard that was run. Best-practice rules \
have no level and never block here; needs-review items count only with `count_needs_review = \
true`.\n\nFix: fix the listed rules on the listed elements, or waive one rule with a reason and \
an expiry date (`[[waivers]] rule = \"color-contrast\"`, with `pages = [\"*/legacy/*\"]` to \
limit it to some pages), or a whole page (`check = \"a11y-violations-at-level\", rule = \"URL \
glob\"`).",
    },
    Code {
        code: A11Y_LIMIT,
        family: "a11y",
        summary: "a page has more accessibility violations than the policy allows",
        explanation: "The violations on a page (of any rule, best-practice included), by impact or in \
total, exceed `[a11y] max_violations`. axe and Lighthouse count failing rules; pa11y counts its \
error issues.\n\nFix: fix the violations listed, raise the cap, or waive one rule with a reason \
and an expiry date (`[[waivers]] rule = \"region\"`, optionally `pages = [\"URL glob\"]`).",
    },
    Code {
        code: A11Y_PAGES_UNMATCHED,
        family: "a11y",
        summary: "an `[a11y] pages` rule matches no page the reports audited",
        explanation: "No page of the accessibility reports has a URL the rule's `glob` matches, so \
the rule's score, level or caps were held to nothing: the pages it names were not audited, or the \
glob is off (`*` crosses `/`; the URL is matched as the tool wrote it, scheme and host included). \
What was not measured does not pass.\n\nFix: audit the pages the rule names (add their URLs to the \
Lighthouse, axe or pa11y run), correct the glob, or remove the rule.",
    },
    Code {
        code: A11Y_SCAN_ERROR,
        family: "a11y",
        summary: "an accessibility tool could not audit a page",
        explanation: "Lighthouse wrote a `runtimeError` (the page did not load: a 404, a timeout…) or \
gave no accessibility score, or pa11y-ci could not load a URL. Nothing was measured, which is not \
a pass and is not read as a score of 0. So is an audit told to leave rules out: a Lighthouse run \
with `--only-audits`, or `--skip-audits` of accessibility audits (its score is of the rest); an axe \
run whose `runOnly` tags name no rule of the policy's `wcag` level (`wcag2a` alone, for AA), or \
that names rules, or with a WCAG rule turned off; a pa11y run of a lower standard (`WCAG2A.` \
codes, for AA).\n\nFix: make the page reachable where the audit runs \
(start the server first, check the URL), then audit again; audit with every rule of the level \
(a rule's violations a team accepts are a waiver, not a rule left out).",
    },
    Code {
        code: A11Y_MISSING,
        family: "a11y",
        summary: "the policy requires an accessibility report and none was found or readable",
        explanation: "`[a11y] required = true` and no Lighthouse, axe or pa11y report was found at the \
paths in `[reports] a11y`, on the command line, or at the conventional locations. A missing report \
is never a pass: the gate cannot judge and exits 2.\n\nFix: run the audit first (lighthouse \
--output=json, lhci collect, @axe-core/cli --save, pa11y --reporter json), point `[reports] a11y` \
at it, or set `required = false`.",
    },
    Code {
        code: PERFORMANCE_BUDGET,
        family: "performance",
        summary: "a benchmark is slower than its budget",
        explanation: "A benchmark matching a `[performance] budgets` entry has the named statistic \
(mean, median, p95…) above the entry's `max`. The figure is the producer's own (hyperfine, \
criterion's typical estimate as its `time:` line prints it, pytest-benchmark, go test -bench \
ns/op, k6's trend percentiles), in the unit the budget names. A statistic the report does not give is \
`performance-statistic-missing`, never a pass.\n\n\
Fix: make the code faster, or revisit the budget with the numbers shown.",
    },
    Code {
        code: PERFORMANCE_REGRESSION,
        family: "performance",
        summary: "a benchmark got slower than the baseline allows",
        explanation: "Compared with `[performance] baseline` (a benchmark report of the base), a \
benchmark's statistic grew by more than `max_regression` percent. A benchmark new in this run is \
listed, not judged; what could not be compared is `performance-baseline-not-compared`.\n\nFix: \
find what made it slower; if the slowdown is intended, refresh the baseline in the same change and \
say why.",
    },
    Code {
        code: PERFORMANCE_NOT_COMPARED,
        family: "performance",
        summary: "the regression check could not compare the run with the baseline",
        explanation: "`[performance] max_regression` asks for a comparison with the baseline, and it \
could not be made: a benchmark of the baseline is missing from this run (renamed, removed, or it did \
not run), the run or the baseline holds a benchmark's name more than once with nothing to tell the \
copies apart (a hyperfine command given twice, one name in two reports), the baseline's figure is 0 (a change from 0 has no percentage), the baseline comes from a \
failed run, or no benchmark was compared at all. A comparison that was not made is never a pass.\n\n\
Fix: run the benchmarks the baseline holds; if they were renamed or removed on purpose, record the \
baseline again from this run and say why; give benchmarks of one name names of their own.",
    },
    Code {
        code: PERFORMANCE_STAT_MISSING,
        family: "performance",
        summary: "a benchmark report lacks the statistic a budget or the regression check names",
        explanation: "A budget or `regression_stat` names a statistic the report (or the baseline) \
does not give for the benchmark: criterion's estimates hold no percentiles, pytest-benchmark's \
only with each round's `stats.data`, k6's only those in `summaryTrendStats`, and a producer writes \
`null` where it measured nothing. What was not measured is never within budget: the gate \
blocks.\n\nFix: the hint says how to make the producer give it; or judge a statistic the report \
gives.",
    },
    Code {
        code: PERFORMANCE_RUN_FAILED,
        family: "performance",
        summary: "a benchmark report says its run failed",
        explanation: "The producer reports a failure beside its timings: a `--- FAIL` or `FAIL` line \
of `go test -bench`, a hyperfine command that exited non-zero (its `exit_codes`; hyperfine only \
times a failing command with `--ignore-failure`), a k6 summary whose `iterations` count is 0 or \
that records a threshold of the script crossed (k6 exits 99; `true` in a `--summary-export`, `\"ok\": \
false` in handleSummary's data). The timings of a failed run measure the failure, or nothing: the gate blocks, whatever the budgets \
say.\n\nFix: make the run succeed (the message names the benchmark or the command), then \
benchmark again.",
    },
    Code {
        code: PERFORMANCE_UNMATCHED,
        family: "performance",
        summary: "a performance budget names no benchmark in the reports",
        explanation: "No benchmark in the reports matches the budget's `name` glob, so the budget \
checked nothing: it was not measured, and the gate does not pass what it did not measure. Usually \
the name differs (Go appends `-8` for GOMAXPROCS, criterion uses `group/function`, k6 names \
metrics), or the benchmark was not run.\n\nFix: correct the name or glob, or run the benchmark.",
    },
    Code {
        code: PERFORMANCE_MISSING,
        family: "performance",
        summary: "no benchmark report was found, or one measured nothing",
        explanation: "`[performance] required = true` (which `budgets` or `max_regression` imply unless \
the policy says `required = false`, and a plan's `Budget:` lines always do) and no benchmark report \
was found; or a benchmark report holds no benchmark, or none with a statistic (pytest-benchmark's `\"benchmarks\": \
[]`, a hyperfine result of nulls), whatever the policy requires. A missing report, or one that \
measured nothing, is never a pass: the gate cannot judge and exits 2.\n\nFix: run the benchmarks first \
(hyperfine --export-json, cargo bench, pytest --benchmark-json, go test -bench > bench.txt, k6 \
run --summary-export), point `[reports] performance` at the output, or set `required = false`.",
    },
    Code {
        code: SECURITY_FINDINGS,
        family: "security",
        summary: "more security findings of a severity than the policy allows",
        explanation: "The security reports hold more findings of this severity than `[security] max` allows \
(default: no critical and no high finding). Severities are normalized (critical, high, medium, low, info); a \
finding whose tool gives no severity (pip-audit, gitleaks) counts as `[security] unknown` (default high). \
Findings suppressed in source (`# nosec`, `nosemgrep`, SARIF suppressions) are counted apart unless \
`honor_suppressions = false`.\n\nFix: fix the findings listed as evidence (file, line, rule), or waive one with \
a reason and an expiry date (`[[waivers]] rule = \"B608\"`, `id = \"GHSA-…\"`, `fingerprint = \"…\"`, \
`paths = [\"tests/**\"]`).",
    },
    Code {
        code: SECURITY_OWASP,
        family: "security",
        summary: "a security finding falls in an OWASP Top 10 category the policy blocks",
        explanation: "A finding at or above `[security] owasp_min_severity` (default medium) maps to one of \
the categories in `owasp_block`. Categories a tool states itself (Semgrep metadata, SARIF tags with a year) \
win; dependency findings are A06:2021 / A03:2025, secrets A07; the rest is mapped from CWE ids with the \
edition `owasp` names (2021 by default).\n\nFix: fix the finding, or waive it with a reason and an expiry date.",
    },
    Code {
        code: SECURITY_INCOMPLETE,
        family: "security",
        summary: "a security scan did not finish, so its report is not a clean bill",
        explanation: "The report says the scan failed or did not cover everything: a SARIF run with \
`executionSuccessful: false` or no `results`, a scan that failed outright (Semgrep's invalid rule: errors and \
no file scanned or no rule run; bandit unable to parse any file), pip-audit dependencies skipped (not \
audited), a gitleaks report that is `null`. An unfinished scan is never read as a clean one.\n\nFix: rerun \
the scanner until it completes (a valid rule set, network access for advisory databases, a parsable lock \
file, the Python version the code is written for), or set `[security] allow_incomplete = true` to only \
warn.",
    },
    Code {
        code: SECURITY_TOOL_ERRORS,
        family: "security",
        summary: "the scanner reported errors (files it could not scan)",
        explanation: "The scanner finished but reported errors: files bandit could not parse, Semgrep \
errors, SARIF notifications of level error. The files named were not scanned. This warns.\n\nFix: make the \
files parsable by the scanner, or exclude them from the scan deliberately.",
    },
    Code {
        code: SECURITY_MISSING,
        family: "security",
        summary: "the policy requires a security report and none was found or readable",
        explanation: "`[security] required = true` and no security report was found on the command line, at \
`[reports] security`, or at the conventional locations. A missing report is never a pass: the gate cannot \
judge and exits 2.\n\nFix: run the scanner and write its report (e.g. `bandit -r . -f json -o \
bandit.json`, `semgrep scan --sarif-output=semgrep.sarif`), point `[reports] security` at it, or set \
`required = false`.",
    },
    Code {
        code: SECURITY_SUPPRESSED,
        family: "security",
        summary: "security findings suppressed in source, counted and listed",
        explanation: "Findings the tools mark as suppressed (`# nosec`, `nosemgrep`, SARIF `suppressions`) are \
listed here. With `[security] honor_suppressions = true` (the default) they do not count against the limits; \
with `false` they do.\n\nFix: nothing to do; review the list from time to time.",
    },
    Code {
        code: SECURITY_SUPPRESSED_UNLISTED,
        family: "security",
        summary: "suppressions are not honoured, but the tool left suppressed findings out of its report",
        explanation: "With `[security] honor_suppressions = false` every suppressed finding counts against the \
limits, but the tool left some out of its report: bandit leaves lines marked `# nosec` out of `results` and \
counts them in `metrics._totals.nosec` and `skipped_tests`; `checkov --quiet` counts skipped checks in its \
summary and lists none; Semgrep's JSON leaves `nosemgrep` matches out and counts none. Findings that are not \
listed cannot be judged, so the check blocks.\n\nFix: have the tool list them (bandit: `--ignore-nosec`; \
checkov: without `--quiet`; Semgrep: SARIF, `--sarif-output`), or set `honor_suppressions = true`.",
    },
    Code {
        code: SECURITY_FILTERED,
        family: "security",
        summary: "the scanner counted findings of a limited severity that it filtered out of its report",
        explanation: "The scanner's own totals count findings its report does not list: bandit counts every \
issue it found in `metrics._totals` (`SEVERITY.HIGH`, `SEVERITY.MEDIUM`, `SEVERITY.LOW`), in its JSON and in its \
SARIF (`runs[].properties.metrics`), and lists only those its filters keep — `-l`/`-ll`/`-lll` \
(`--severity-level`), `-i` (`--confidence-level`), a baseline given with `-b`. Where the policy limits a severity \
(`[security] max`) and the findings counted at it, listed or not, pass the limit, the scan cannot pass: the \
findings not listed cannot be judged (nor waived). A filter that only leaves out severities the policy does \
not limit (`-ll` under `max = { high = 0 }`) is fine.\n\nFix: run the scanner without those filters so that \
it lists every finding; to judge only findings new since the base, use `[security] new_only` instead of the \
scanner's own baseline.",
    },
    Code {
        code: SECURITY_BASELINE,
        family: "security",
        summary: "new_only is on but no baseline could be read from the base commit",
        explanation: "With `[security] new_only = true` the baseline is read from the base commit (`--base`, \
the pull request's base, the upstream branch, else the previous commit; where that meets the trunk when the \
trunk does not hold it — a feature branch's own pushed copy), never from the change under review, so a change \
cannot whitelist its own finding. No baseline was found there, so every finding is judged as \
new.\n\nFix: commit a baseline (`temis security baseline`) on the base branch first.",
    },
    Code {
        code: SECURITY_FIXED,
        family: "security",
        summary: "findings of the baseline are gone (fixed)",
        explanation: "Entries of the baseline matched no finding of this run: they were fixed (or their code \
changed beyond recognition). This never blocks.\n\nFix: regenerate the baseline (`temis security baseline`) \
to prune them.",
    },
    Code {
        code: WAIVER_EXPIRED,
        family: "waivers",
        summary: "a waiver is past its expiry date and no longer applies",
        explanation: "The waiver's `expires` date has passed, so what it excused counts again, and the \
expired waiver itself blocks until it is renewed or removed: an exception past its date is a \
decision nobody has made.\n\nFix: fix what it waived and remove the waiver, or renew it with a new \
reason and date if the exception still holds.",
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
        explanation: "No failing check matched the waiver's `check`, `rule`, `paths` and `pages`. Either what \
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
mention (comments, blank lines, unmeasured files) count neither way — the row, a pass included, names \
the changed files of a kind the reports list that no report lists (files named as tests apart), with their added lines — and a file \
git calls renamed (`git diff -M`: at least 50 % similar) counts only its changed lines. With `patch_small_change = N`, a change of fewer than N coverable lines only \
warns.\n\nFix: test the added lines listed as evidence, or waive the check with a reason.",
    },
    Code {
        code: PATCH_UNMEASURED,
        family: "patch",
        summary: "`min_patch` is set but the change's patch coverage could not be measured",
        explanation: "The policy requires patch coverage (`[coverage] min_patch`), and temis could not \
measure it: there was no base to compare with (no `--base`, no pull-request base, no upstream; in CI \
a shallow clone without the base commit, or a pull request's base branch, `GITHUB_BASE_REF`, that is not \
in the clone: it is never replaced by another base), no coverage report, or the change's files match no path of \
the coverage reports (report paths written relative to another folder or machine), or the change \
adds lines only to source files no report lists (files of a kind the reports list, files named as tests apart: a module no test \
imported, which coverage.py lists only when told its source), or the coverage report is older than a file \
the change edits (`coverage-report-stale`: the tests ran before its added lines were written, and the old \
report's figures for those line numbers are of the code before; unless `[reports] stale = \"off\"`). An unmeasured \
patch is never a pass: the gate could not judge (exit 2).\n\nFix: give the base (`--base \
origin/main`; in CI `fetch-depth: 0`), make sure the tests write a coverage report, make the \
report's paths match the repository's (`--strip-prefix`, `--map FROM=TO`; the message names the \
report paths that matched nothing and the nearest repository files), or have the coverage tool \
measure every source file (`--cov=PACKAGE`, `[run] source`, nyc/c8 `--all`, jest `collectCoverageFrom`).",
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
                c.code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                    && c.code.starts_with(c.family.trim_end_matches('s')),
                "{} is not kebab-case under its family",
                c.code
            );
            assert!(!c.summary.ends_with('.') && c.explanation.contains("Fix:"), "{}", c.code);
        }
    }
}
