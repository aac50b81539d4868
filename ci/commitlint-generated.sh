#!/bin/sh
# Every commit message temis generates must pass commitlint's conventional config
# (@commitlint/config-conventional), checked here with the real commitlint from npm:
#   - the messages of the example's replay (each phase's, from its record; the summary's, for a
#     staged change): every commit in the replayed repository;
#   - a message built from the plan for a phase with no record yet;
#   - messages for staged changes of each kind (docs, tests, CI, build, code).
#
#   sh ci/commitlint-generated.sh [TEMIS_BINARY]     (default: target/release/temis)
#
# Needs `commitlint` and `@commitlint/config-conventional` installed globally
# (npm i -g @commitlint/cli @commitlint/config-conventional); fails naming them when absent.
set -eu
cd "$(dirname "$0")/.."
TEMIS=$(cd "$(dirname "${1:-target/release/temis}")" && pwd)/$(basename "${1:-target/release/temis}")
[ -x "$TEMIS" ] || { echo "error: no temis binary at $TEMIS (cargo build --release first)" >&2; exit 2; }
command -v commitlint >/dev/null || { echo "error: commitlint is not installed: npm i -g @commitlint/cli @commitlint/config-conventional" >&2; exit 2; }
CONFIG="$(npm root -g)/@commitlint/config-conventional/lib/index.js"
[ -f "$CONFIG" ] || { echo "error: @commitlint/config-conventional is not installed globally ($CONFIG): npm i -g @commitlint/config-conventional" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# lint WHAT < message: one line per message in $work/results (lint runs at the end of pipes).
lint() {
    msg=$(cat)
    if printf '%s\n' "$msg" | commitlint --extends "$CONFIG" >"$work/lint.out" 2>&1; then
        echo ok >> "$work/results"
        printf 'ok    %s: %s\n' "$1" "$(printf '%s\n' "$msg" | head -1)"
    else
        echo FAIL >> "$work/results"
        printf 'FAIL  %s:\n%s\n%s\n' "$1" "$msg" "$(cat "$work/lint.out")"
    fi
}

TEMIS="$TEMIS" sh examples/jwt-auth/replay.sh "$work/demo" >"$work/replay.out" 2>&1 || {
    cat "$work/replay.out"
    echo "error: the example's replay failed" >&2
    exit 1
}
cd "$work/demo"
export GIT_AUTHOR_DATE=2026-11-30T10:00:00Z GIT_COMMITTER_DATE=2026-11-30T10:00:00Z NO_COLOR=1
for c in $(git rev-list --reverse HEAD); do
    git log -1 --format=%B "$c" | lint "commit $(git log -1 --format=%h "$c")"
done

# A phase with no record yet: the message is built from the plan and the change.
printf '\n## Phase 4: Rate Limiting For Logins (Hermes)\n\n- [x] Five attempts per minute per address\n- [ ] Lock-out notice\n' \
    >> plans/jwt-authentication/plan.md
git add plans && git commit -q -m "docs(plans): plan phase 4"
printf 'LIMIT = 5\n' > src/authsvc/limits.py
"$TEMIS" commit-msg generate | lint "phase 4, from the plan"
git add -A && git commit -q -m "feat(authsvc): rate limits"

# Staged changes of each kind.
staged() { git add -A && "$TEMIS" commit-msg generate --staged | lint "$1" && git commit -q -m "chore: $1"; }
printf '\nMore words.\n' >> README.md 2>/dev/null || printf '# Demo\n' > README.md
staged "docs only"
printf 'def test_limit():\n    assert True\n' > tests/test_limits.py
staged "tests only"
mkdir -p .github/workflows && printf 'on: push\n' > .github/workflows/ci.yml
staged "CI only"
printf '\n[tool.pytest.ini_options]\naddopts = "-q"\n' >> pyproject.toml
staged "build only"
printf 'def allowed(count):\n    return count < LIMIT\n' >> src/authsvc/limits.py
staged "a new public function"
sed -i 's/LIMIT = 5/LIMIT = 6/' src/authsvc/limits.py
staged "a one-line change"
git rm -q src/authsvc/limits.py
staged "a deleted file"

checked=$(wc -l < "$work/results")
failed=$(grep -c FAIL "$work/results" || true)
echo "commitlint: $((checked - failed)) passed, $failed failed"
[ "$checked" -gt 0 ] && [ "$failed" -eq 0 ]
