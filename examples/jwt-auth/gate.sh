#!/bin/sh
# The README's main job: the example feature's whole story, gated by temis on the reports real
# tools wrote (make-reports.sh), on the embedded default policy; phase 2's benchmark budget is
# declared in the plan (`Budget: test_verify_token p95 < 10 ms`):
#   phase 1, database schema       APPROVED   coverage, tests
#   phase 2, first attempt         BLOCKED    a failing test, line coverage 77.33 %
#   phase 2, fixed                 APPROVED   + bandit and Semgrep with the OWASP table,
#                                             verify_token p95 within 10 ms (pytest-benchmark)
#   phase 3, first attempt         BLOCKED    WCAG AA colour contrast (Lighthouse, axe)
#   phase 3, fixed                 APPROVED
# then the plan with the phase records temis wrote, and the summary's metrics (complete.md).
# Exits 0 when every verdict is the expected one, 1 otherwise, 2 when temis cannot be built.
# TEMIS names the binary; unset, target/release/temis is used, built when missing or stale
# (cargo's own progress is shown).
set -u
cd "$(dirname "$0")/../.."
if [ -n "${TEMIS:-}" ]; then
    [ -x "$TEMIS" ] || { echo "error: TEMIS=$TEMIS is not an executable" >&2; exit 2; }
else
    TEMIS=target/release/temis
    if [ ! -x "$TEMIS" ] || [ -n "$(find src Cargo.toml Cargo.lock policies -newer "$TEMIS" 2>/dev/null | head -1)" ]; then
        echo "building temis with cargo build --release (first run only: about 5 minutes on 2 idle cores; later runs take under a second)..." >&2
        cargo build --release >&2 || exit 2
    fi
fi
case $TEMIS in /*) ;; *) TEMIS=$(pwd)/$TEMIS ;; esac
ex=examples/jwt-auth
status=0
plan=plans/jwt-authentication/plan.md

# step PHASE EXPECTED-EXIT WHAT REPORT…: gate one phase on its reports, check the exit code.
step() {
    phase=$1 expected=$2 what=$3
    shift 3
    printf '\n── phase %s, %s ──\n$ temis gate --plan %s --phase %s' "$phase" "$what" "$plan" "$phase"
    for report; do printf ' %s' "$report"; done
    printf '\n'
    (cd "$ex" && "$TEMIS" gate --root . --plan "$plan" --phase "$phase" "$@")
    code=$?
    if [ "$code" -eq "$expected" ]; then
        printf '(exit %s, as expected)\n' "$code"
    else
        printf '(exit %s: UNEXPECTED, expected %s)\n' "$code" "$expected"
        status=1
    fi
}

r=reports/phase-2 f=reports/phase-2-rerun
step 1 0 "database schema" reports/phase-1/coverage.xml reports/phase-1/junit.xml
step 2 1 "first attempt" $r/coverage.xml $r/junit.xml $r/bandit.json $r/semgrep.json $r/benchmark.json
step 2 0 "fixed" $f/coverage.xml $f/junit.xml $f/bandit.json $f/semgrep.json $f/benchmark.json
r=reports/phase-3-first f=reports/phase-3
step 3 1 "first attempt" $r/coverage.xml $r/junit.xml $r/lighthouse.json $r/axe.json
step 3 0 "fixed" $f/coverage.xml $f/junit.xml $f/lighthouse.json $f/axe.json

printf '\n── the records ──\n$ temis plan --no-gate\n'
(cd "$ex" && "$TEMIS" plan --root . --no-gate plans/jwt-authentication) || status=1
printf '\n$ sed -n "/^| Phase/,/^- \\*\\*Perf/p" plans/jwt-authentication/complete.md\n'
sed -n '/^| Phase/,/^- \*\*Perf/p' "$ex/plans/jwt-authentication/complete.md"
printf '\nrecords: %s/plans/jwt-authentication/phase-{1,2,3}-complete.md; chart: complete.svg\n' "$ex"
[ "$status" -eq 0 ] && printf 'every verdict as expected\n' || printf 'SOME VERDICT WAS NOT THE EXPECTED ONE\n'
exit $status
