#!/bin/sh
# Regenerates reports/ with the real tools: pytest 9.2.0, pytest-cov 7.1.0, coverage.py 7.17.3
# (pip install pytest pytest-cov). Phase 1 runs the store tests on the store module; phase 2
# runs every test on the whole package, with branch coverage. Paths in the reports are relative
# (coverage.py's relative_files), so they read the same on any machine.
set -eu
cd "$(dirname "$0")"
printf '[run]\nrelative_files = true\n' > .coveragerc
run() {
    phase=$1; shift
    mkdir -p "reports/$phase"
    PYTHONPATH=src python3 -m pytest -q -p no:cacheprovider --rootdir=. -c /dev/null \
        --junitxml="reports/$phase/junit.xml" \
        --cov-config=.coveragerc --cov-report="xml:reports/$phase/coverage.xml" \
        --cov-report="lcov:reports/$phase/coverage.lcov" "$@" || true
}
run phase-1 --cov=authsvc.store tests/test_store.py
run phase-2 --cov=authsvc --cov-branch tests
rm -f .coveragerc .coverage
