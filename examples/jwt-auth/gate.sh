#!/bin/sh
# The README's main job: `temis gate` on both phases of the example feature, on the embedded
# default policy (coverage >= 80 %, every test passing, at least one test).
# Phase 1 is APPROVED (exit 0); phase 2 is BLOCKED (exit 1) with every reason. This script exits
# 0 when both verdicts are the expected ones, and 1 otherwise.
set -u
cd "$(dirname "$0")/../.."
TEMIS=${TEMIS:-target/release/temis}
if [ ! -x "$TEMIS" ] || [ -n "$(find src Cargo.toml policies -newer "$TEMIS" 2>/dev/null | head -1)" ]; then
    cargo build --release --quiet || exit 2
fi
status=0
for phase in 1 2; do
    printf '\n$ temis gate --phase %s examples/jwt-auth/reports/phase-%s/{coverage.xml,junit.xml}\n' "$phase" "$phase"
    "$TEMIS" gate --phase "$phase" --root examples/jwt-auth \
        "examples/jwt-auth/reports/phase-$phase/coverage.xml" "examples/jwt-auth/reports/phase-$phase/junit.xml"
    code=$?
    expected=$((phase - 1))
    printf '(exit %s: %s)\n' "$code" "$([ "$code" -eq "$expected" ] && echo as expected || echo UNEXPECTED)"
    [ "$code" -eq "$expected" ] || status=1
done
exit $status
