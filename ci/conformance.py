#!/usr/bin/env python3
"""Conformance: temis's numbers against the producing tools' own, on ../shared/corpus.

For every case folder with an expected.json, every report it lists in a format temis reads is
run through `temis report --format json`, and the totals and file count must equal the
expected ones. Formats temis does not read (yet) are listed as skipped, never counted as passed.

usage: ci/conformance.py TEMIS_BINARY CORPUS_DIR [CORPUS_DIR…]
"""
import json
import os
import subprocess
import sys

COVERAGE_FORMATS = {
    "lcov", "cobertura", "jacoco", "clover", "coveragepy-json", "istanbul-final",
    "istanbul-summary", "llvm-cov-json", "tarpaulin-json", "gocover", "simplecov",
}


def run(temis, path):
    proc = subprocess.run([temis, "report", "--format", "json", path],
                          capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        return None, proc.stderr.strip()
    return json.loads(proc.stdout)["reports"][0], None


def check_coverage(got, exp):
    cov = got.get("coverage") or {}
    problems = []
    if got.get("format") != exp["format"]:
        problems.append(f"format {got.get('format')} != {exp['format']}")
    lines = cov.get("lines") or {}
    branches = cov.get("branches")
    pairs = [
        ("lines.total", lines.get("total"), exp.get("lines_total")),
        ("lines.covered", lines.get("covered"), exp.get("lines_covered")),
        ("branches.total", None if branches is None else branches.get("total"), exp.get("branches_total")),
        ("branches.covered", None if branches is None else branches.get("covered"), exp.get("branches_covered")),
        ("files", len(cov.get("files") or []), exp.get("files")),
    ]
    for name, g, e in pairs:
        if name.startswith("branches") and e is None and g in (None, 0):
            continue
        if g != e:
            problems.append(f"{name}: temis {g}, expected {e}")
    return problems


def check_tests(got, exp):
    tests = got.get("tests") or {}
    problems = []
    if got.get("format") != "junit":
        problems.append(f"format {got.get('format')} != junit")
    for key in ("total", "passed", "failed", "skipped", "errors"):
        if tests.get(key) != exp["tests"][key]:
            problems.append(f"tests.{key}: temis {tests.get(key)}, expected {exp['tests'][key]}")
    return problems


def main():
    temis, roots = sys.argv[1], sys.argv[2:]
    passed, failed, skipped = 0, 0, []
    for root in roots:
        for dirpath, _dirs, files in sorted(os.walk(root)):
            if "expected.json" not in files:
                continue
            with open(os.path.join(dirpath, "expected.json")) as f:
                expected = json.load(f)
            case = os.path.relpath(dirpath, root)
            for exp in expected.get("reports", []):
                fmt, path = exp.get("format"), os.path.join(dirpath, exp["file"])
                if fmt not in COVERAGE_FORMATS and fmt != "junit":
                    skipped.append(f"{case}/{exp['file']} ({fmt})")
                    continue
                got, err = run(temis, path)
                check = check_tests if fmt == "junit" else check_coverage
                problems = [f"exit code non-zero: {err}"] if got is None else check(got, exp)
                if problems:
                    failed += 1
                    print(f"FAIL {case}/{exp['file']}: " + "; ".join(problems))
                else:
                    passed += 1
                    print(f"ok   {case}/{exp['file']}")
    for s in skipped:
        print(f"skip {s}: not a format temis reads")
    print(f"conformance: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
