#!/bin/sh
# Replays the example feature in a new git repository, one step at a time, the way a team works
# through it: plan -> approve -> phase 1 -> commit -> phase 2 (BLOCKED, fixed) -> commit ->
# phase 3 (BLOCKED on WCAG AA, fixed) -> commit -> summary. Every command is printed before it runs.
#
#   sh examples/jwt-auth/replay.sh /tmp/jwt-demo
#
# Authors, dates and the gate's "today" are pinned, so the documents temis writes come out byte
# for byte as committed in plans/jwt-authentication/ (the test suite checks that).
# TEMIS names the binary; by default target/release/temis, built when missing or stale.
# The policy is the embedded default; phase 2's benchmark budget is the plan's `Budget:` line.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: replay.sh OUT_DIR (a directory that does not exist yet)}
if [ -z "${TEMIS:-}" ]; then
    top=$(cd "$here/../.." && pwd)
    TEMIS=$top/target/release/temis
    if [ ! -x "$TEMIS" ] || [ -n "$(find "$top/src" "$top/Cargo.toml" -newer "$TEMIS" 2>/dev/null | head -1)" ]; then
        echo "building temis with cargo build --release (first run only: about 5 minutes on 2 idle cores)..." >&2
        (cd "$top" && cargo build --release)
    fi
fi
if [ -e "$out" ]; then
    echo "error: $out already exists; name a new directory" >&2
    exit 2
fi
mkdir -p "$out"
cd "$out"

export NO_COLOR=1 TEMIS_TODAY=2026-11-24 GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME="Ada Lovelace" GIT_AUTHOR_EMAIL=ada@example.com
export GIT_COMMITTER_NAME="Ada Lovelace" GIT_COMMITTER_EMAIL=ada@example.com
plan=plans/jwt-authentication/plan.md
day=10

say() { printf '\n$ %s\n' "$*"; }
temis() { say "temis $*"; "$TEMIS" "$@"; }
# put FILE…: bring files from the example into the repository.
put() { for f; do mkdir -p "$(dirname "$f")"; cp "$here/$f" "$f"; done; }
# commit ARGS…: git commit on the next pinned day.
commit() {
    day=$((day + 1))
    GIT_AUTHOR_DATE="2026-11-${day}T10:00:00Z" GIT_COMMITTER_DATE="2026-11-${day}T10:00:00Z" git commit -q "$@"
    git log -1 --format='[%h] %s'
}
# commit_phase N: one phase, one commit, with the message temis generated.
commit_phase() {
    say "git add -A && temis commit-msg generate | git commit -F -"
    git add -A
    "$TEMIS" commit-msg generate > "$out/.git/PHASE_MSG"
    commit -F "$out/.git/PHASE_MSG"
}
# tick N: check phase N's tasks in the plan, as the team does when they are done.
tick() {
    awk -v n="$1" '/^## Phase /{inside = ($3 == n ":")} inside && /^- \[ \]/{sub(/\[ \]/, "[x]")} {print}' \
        "$plan" > "$plan.tmp" && mv "$plan.tmp" "$plan"
}

say "git init"
git init -q -b main .
git config user.name "Ada Lovelace"
git config user.email ada@example.com
# The plan as first written: no approval yet, no task done.
mkdir -p plans/jwt-authentication
awk 'NR == 1 && /^---$/ {front = 1; next} front && /^---$/ {front = 0; skip = 1; next} front {next}
     skip && /^$/ {skip = 0; next} {skip = 0; print}' "$here/$plan" | sed 's/^- \[x\]/- [ ]/' > "$plan"
put pyproject.toml
git add -A
commit -m "docs(plans): plan the jwt-authentication feature"

# Pause point 1: the plan is read, then approved.
temis plan
temis plan approve --by "Ada Lovelace"
git add "$plan"
commit -m "docs(plans): approve the jwt-authentication plan"

# Phase 1: the token table.
put src/authsvc/__init__.py src/authsvc/store.py tests/test_store.py reports/phase-1/coverage.xml reports/phase-1/junit.xml
tick 1
temis phase complete 1
commit_phase 1

# Phase 2, first attempt: a test expects one second too many, and describe() is untested.
put src/authsvc/jwt.py benchmarks/test_bench_jwt.py semgrep/jwt.yml
mkdir -p tests && cp "$here/attempts/phase-2/tests/test_jwt.py" tests/test_jwt.py
# The reports after the code and the tests they were made from, as a test run writes them.
first="reports/phase-2/coverage.xml reports/phase-2/junit.xml reports/phase-2/bandit.json reports/phase-2/semgrep.json reports/phase-2/benchmark.json"
put $first
if temis phase complete 2 $first; then
    echo "error: phase 2's first attempt should be BLOCKED" >&2
    exit 1
fi
test ! -e plans/jwt-authentication/phase-2-complete.md
# The fix: the test corrected, four tests added, the tools run again (reports/phase-2-rerun).
rm -r reports/phase-2
put tests/test_jwt.py
for f in coverage.xml junit.xml bandit.json semgrep.json benchmark.json; do put reports/phase-2-rerun/$f; done
tick 2
temis phase complete 2
commit_phase 2

# Phase 3, first attempt: the login form, its hint in #aaaaaa on white (2.3:1).
put tests/test_web.py
mkdir -p src/authsvc web && cp "$here/attempts/phase-3/src/authsvc/web.py" src/authsvc/web.py
cp "$here/attempts/phase-3/web/login.html" web/login.html
mkdir -p reports/phase-3 && cp "$here"/reports/phase-3-first/* reports/phase-3/
if temis phase complete 3; then
    echo "error: phase 3's first attempt should be BLOCKED" >&2
    exit 1
fi
test ! -e plans/jwt-authentication/phase-3-complete.md
# The fix: the hint in #595959 (7:1), Lighthouse and axe run again.
rm -r reports/phase-3
put src/authsvc/web.py web/login.html
for f in coverage.xml junit.xml lighthouse.json axe.json; do put reports/phase-3/$f; done
tick 3
temis plan
temis phase complete 3
commit_phase 3

# The feature's summary, committed with a message for the staged change.
temis phase summary
say "git add -A && temis commit-msg generate --staged | git commit -F -"
git add -A
"$TEMIS" commit-msg generate --staged > "$out/.git/SUMMARY_MSG"
commit -F "$out/.git/SUMMARY_MSG"

# Regenerating changes no byte.
temis phase complete 3
temis plan
say "git log --format='%h %s'"
git log --format='%h %s'
