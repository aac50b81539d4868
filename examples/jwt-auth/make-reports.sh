#!/bin/sh
# Regenerates reports/ with the real tools: pytest 9.2.0, pytest-cov 7.1.0, coverage.py 7.17.3
# (pip install pytest pytest-cov). Each phase runs in a copy of the tree as it stood at the end of
# that phase, so a later phase's code never shows up in an earlier phase's coverage:
#   phase-1         the store tests on the store module
#   phase-2         phase 2's first attempt (attempts/phase-2/): one failing test, 77.33 % — BLOCKED
#   phase-2-rerun   phase 2 once fixed: every test, whole package, branch coverage — APPROVED
#   phase-3         the login form added — APPROVED
# Paths in the reports are relative (coverage.py's relative_files), so they read the same on any
# machine.
set -eu
cd "$(dirname "$0")"
here=$(pwd)
PHASE1="src/authsvc/__init__.py src/authsvc/store.py tests/test_store.py"
PHASE2="$PHASE1 src/authsvc/jwt.py tests/test_jwt.py"
PHASE3="$PHASE2 src/authsvc/web.py web/login.html tests/test_web.py"

# run NAME FILES [OVERLAY] -- PYTEST-ARGS: copy FILES (then OVERLAY's files over them) to a scratch
# tree, run pytest there, and keep its reports in reports/NAME.
run() {
    name=$1 files=$2 overlay=$3
    shift 3
    tree=$(mktemp -d)
    for f in $files; do mkdir -p "$tree/$(dirname "$f")"; cp "$f" "$tree/$f"; done
    [ -z "$overlay" ] || cp -R "$overlay"/. "$tree"/
    printf '[run]\nrelative_files = true\n' > "$tree/.coveragerc"
    mkdir -p "reports/$name"
    (cd "$tree" && PYTHONPATH=src python3 -m pytest -q -p no:cacheprovider --rootdir=. -c /dev/null \
        --junitxml="$here/reports/$name/junit.xml" \
        --cov-config=.coveragerc --cov-report="xml:$here/reports/$name/coverage.xml" \
        --cov-report="lcov:$here/reports/$name/coverage.lcov" "$@") || true
    rm -rf "$tree"
}
run phase-1 "$PHASE1" "" --cov=authsvc.store tests/test_store.py
run phase-2 "$PHASE2" attempts/phase-2 --cov=authsvc --cov-branch tests
run phase-2-rerun "$PHASE2" "" --cov=authsvc --cov-branch tests
run phase-3 "$PHASE3" "" --cov=authsvc --cov-branch tests
