#!/bin/sh
# Regenerates reports/ with the real tools, at these versions (what made the shipped reports):
#   pytest 9.2.0, pytest-cov 7.1.0, coverage.py 7.17.3, pytest-benchmark 5.3.1, bandit 1.9.4,
#   semgrep 1.187.0      python3 -m venv DIR && DIR/bin/pip install pytest==9.2.0 pytest-cov==7.1.0 \
#                            coverage==7.17.3 pytest-benchmark==5.3.1 bandit==1.9.4 semgrep==1.187.0
#                        (a virtualenv: semgrep pins packages of its own, mcp and jsonschema among them,
#                        to older versions than other tools want)
#   lighthouse 12.8.2, @axe-core/cli 4.13.0 (axe-core 4.13.0), on Node 20
#                        npm install --ignore-scripts lighthouse@12.8.2 @axe-core/cli@4.13.0
#                        (--ignore-scripts: no browser download; Debian's is used)
#   Chromium 156 and its chromedriver, Debian's: apt-get install chromium chromium-driver
# VENV names that virtualenv, TOOLS a folder whose node_modules/.bin holds lighthouse and axe
# (default for both: what is on PATH):  VENV=DIR TOOLS=DIR sh make-reports.sh
#
# Each phase runs in a copy of the tree as it stood at the end of that phase, so a later phase's
# code never shows up in an earlier phase's reports:
#   phase-1         the store tests on the store module: coverage, tests
#   phase-2         phase 2's first attempt (attempts/phase-2/): one failing test, 77.33 % — BLOCKED;
#                   bandit, semgrep (semgrep/jwt.yml) and pytest-benchmark on the same tree
#   phase-2-rerun   phase 2 once fixed: every test, branch coverage, the same scans — APPROVED
#   phase-3-first   phase 3's first attempt (attempts/phase-3/): the login page's hint in
#                   #aaaaaa on white (contrast 2.3:1): Lighthouse and axe fail WCAG AA — BLOCKED
#   phase-3         the hint in #595959 (7:1) — APPROVED
# Paths in the reports are relative (coverage.py's relative_files, scans run from the tree's
# root), so they read the same on any machine. The page is served on 127.0.0.1:18765.
set -eu
cd "$(dirname "$0")"
here=$(pwd)
[ -z "${TOOLS:-}" ] || PATH=$TOOLS/node_modules/.bin:$PATH
[ -z "${VENV:-}" ] || PATH=$VENV/bin:$PATH
PHASE1="src/authsvc/__init__.py src/authsvc/store.py tests/test_store.py"
PHASE2="$PHASE1 src/authsvc/jwt.py tests/test_jwt.py benchmarks/test_bench_jwt.py"
PHASE3="$PHASE2 src/authsvc/web.py web/login.html tests/test_web.py"
PORT=18765
FLAGS="--headless --no-sandbox --disable-gpu --disable-background-networking"

# tree FILES [OVERLAY]: a scratch copy of FILES, OVERLAY's files over them; prints its path.
tree() {
    t=$(mktemp -d)
    for f in $1; do mkdir -p "$t/$(dirname "$f")"; cp "$f" "$t/$f"; done
    [ -z "$2" ] || cp -R "$2"/. "$t"/
    printf '[run]\nrelative_files = true\n' > "$t/.coveragerc"
    echo "$t"
}

# tests TREE NAME PYTEST-ARGS…: pytest with coverage (Cobertura and LCOV) and JUnit XML.
tests() {
    t=$1 out=$here/reports/$2
    shift 2
    (cd "$t" && PYTHONPATH=src python3 -m pytest -q -p no:cacheprovider --rootdir=. -c /dev/null \
        --junitxml="$out/junit.xml" --cov-config=.coveragerc --cov-report="xml:$out/coverage.xml" \
        --cov-report="lcov:$out/coverage.lcov" "$@") || true
}

# scans TREE NAME: bandit and semgrep on the code and its tests, pytest-benchmark on verify_token.
scans() {
    t=$1 out=$here/reports/$2
    # bandit exits 1 when it finds something: what matters is that it wrote its report.
    (cd "$t" && bandit -r src tests -f json -o "$out/bandit.json" -q) || test -s "$out/bandit.json"
    (cd "$t" && semgrep scan --config "$here/semgrep/jwt.yml" --json --metrics=off --disable-version-check \
        -q -o "$out/semgrep.json" src)
    (cd "$t" && PYTHONPATH=src python3 -m pytest -q -p no:cacheprovider --rootdir=. -c /dev/null \
        --benchmark-json="$out/benchmark.json" --benchmark-save-data --benchmark-max-time=0.05 \
        --benchmark-min-rounds=200 benchmarks)
}

# audits TREE NAME: Lighthouse (accessibility) and axe (WCAG A and AA) on the served login page.
audits() {
    t=$1 out=$here/reports/$2
    python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$t/web" > /dev/null 2>&1 &
    server=$!
    sleep 1
    profile=$(mktemp -d)
    ok=0
    CHROME_PATH=/usr/bin/chromium lighthouse "http://127.0.0.1:$PORT/login.html" --only-categories=accessibility \
        --output=json --output-path="$out/lighthouse.json" --quiet \
        --chrome-flags="$FLAGS --user-data-dir=$profile" || ok=1
    # axe exits 0 with violations (no --exit): a failure here is a run that did not happen.
    (cd "$out" && axe "http://127.0.0.1:$PORT/login.html" --tags wcag2a,wcag2aa \
        --chromedriver-path /usr/bin/chromedriver --chrome-path /usr/bin/chromium \
        --chrome-options="headless,no-sandbox,disable-gpu,disable-background-networking" \
        --save axe.json --dir .) || ok=1
    kill "$server"
    rm -rf "$profile"
    [ "$ok" -eq 0 ] || { echo "error: Lighthouse or axe failed on $2; no report is kept" >&2; rm -f "$out/lighthouse.json" "$out/axe.json"; exit 1; }
}

# Every report is written anew: a tool that fails leaves nothing behind to be taken for its output.
for name in phase-1 phase-2 phase-2-rerun phase-3-first phase-3; do rm -rf "reports/$name"; mkdir -p "reports/$name"; done

t=$(tree "$PHASE1" "")
tests "$t" phase-1 --cov=authsvc.store tests/test_store.py
rm -rf "$t"

t=$(tree "$PHASE2" attempts/phase-2)
tests "$t" phase-2 --cov=authsvc --cov-branch tests
scans "$t" phase-2
rm -rf "$t"

t=$(tree "$PHASE2" "")
tests "$t" phase-2-rerun --cov=authsvc --cov-branch tests
scans "$t" phase-2-rerun
rm -rf "$t"

t=$(tree "$PHASE3" attempts/phase-3)
tests "$t" phase-3-first --cov=authsvc --cov-branch tests
audits "$t" phase-3-first
rm -rf "$t"

t=$(tree "$PHASE3" "")
tests "$t" phase-3 --cov=authsvc --cov-branch tests
audits "$t" phase-3
rm -rf "$t"
