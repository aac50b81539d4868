#!/usr/bin/env bash
# Conformance: temis against the shared test data that a clone of temis does not have.
#
#   ci/conformance.sh [TEMIS_BINARY]        (default: builds and uses the release binary)
#
# The shared data is $TEMIS_SHARED, else ../shared beside the project: corpus/ (real reports
# with their producers' own figures) and github-api/openapi-subset.json (GitHub's OpenAPI
# description). A missing one stops the script before anything runs, naming the path.
#
#   1. `cargo test --test conformance`: the `temis ci github` tests with every request held to
#      GitHub's OpenAPI description, that description against the routes `cargo test` uses, and
#      figures of real corpus reports (tests/conformance/);
#   2. ci/conformance.py on corpus/coverage, corpus/a11y and corpus/security: every report's
#      totals against its expected.json.
set -euo pipefail
cd "$(dirname "$0")/.."

SHARED="${TEMIS_SHARED:-../shared}"
case "$SHARED" in /*) ;; *) SHARED="$PWD/$SHARED" ;; esac
missing=0
for need in corpus/coverage corpus/a11y corpus/security corpus/public-formats github-api/openapi-subset.json; do
  if [ ! -e "$SHARED/$need" ]; then
    echo "error: $SHARED/$need not found: conformance needs the shared test data beside the project (../shared) or TEMIS_SHARED=DIR" >&2
    missing=1
  fi
done
[ "$missing" = 0 ] || exit 1
TEMIS_SHARED=$(cd "$SHARED" && pwd)
export TEMIS_SHARED

if [ $# -ge 1 ]; then
  TEMIS="$1"
else
  cargo build --release --locked --quiet
  TEMIS="${CARGO_TARGET_DIR:-target}/release/temis"
fi
[ -x "$TEMIS" ] || { echo "error: no temis binary at $TEMIS" >&2; exit 1; }
command -v python3 >/dev/null || { echo "error: python3 is not installed (ci/conformance.py needs it)" >&2; exit 1; }

echo "-- cargo test --test conformance (shared data: $TEMIS_SHARED)"
cargo test --locked --test conformance

for corpus in coverage a11y security; do
  echo "-- ci/conformance.py $TEMIS_SHARED/corpus/$corpus"
  python3 ci/conformance.py "$TEMIS" "$TEMIS_SHARED/corpus/$corpus"
done

# Public samples of formats temis reads beyond the corpus (corpus/public-formats/INDEX.md): test
# results, coverage and scanners of every stack, each held to its producer's own figures.
echo "-- ci/conformance.py $TEMIS_SHARED/corpus/public-formats"
python3 ci/conformance.py "$TEMIS" "$TEMIS_SHARED/corpus/public-formats"
