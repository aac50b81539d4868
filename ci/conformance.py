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


def run(temis, path, extra=()):
    proc = subprocess.run([temis, "report", "--format", "json", *extra, path],
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


# --- security (helper-security) ---
SECURITY_FORMATS = {
    "sarif", "bandit-json", "semgrep-json", "npm-audit-json", "pip-audit-json", "cargo-audit-json",
    "trivy-json", "gitleaks-json", "osv-json",
}
SEVERITIES = ("critical", "high", "medium", "low", "info", "unknown")


def check_security(got, exp, case):
    """Counts of ../shared/corpus/security: total, by severity (unknown is 0 where the case has
    no such key), suppressed, distinct CWE ids and rules; a pip-audit case marked incomplete must
    not read as complete."""
    sec = got.get("security") or {}
    problems = []
    if got.get("format") != exp["format"]:
        problems.append(f"format {got.get('format')} != {exp['format']}")
    if sec.get("total") != exp["findings_total"]:
        problems.append(f"total: temis {sec.get('total')}, expected {exp['findings_total']}")
    by = sec.get("by_severity") or {}
    for key in SEVERITIES:
        want = exp["by_severity"].get(key, 0)
        if by.get(key) != want:
            problems.append(f"by_severity.{key}: temis {by.get(key)}, expected {want}")
    if "suppressed" in exp and sec.get("suppressed") != exp["suppressed"]:
        problems.append(f"suppressed: temis {sec.get('suppressed')}, expected {exp['suppressed']}")
    if sorted(sec.get("cwe") or []) != sorted(exp["cwe_ids"]):
        problems.append(f"cwe: temis {sec.get('cwe')}, expected {exp['cwe_ids']}")
    if sec.get("rules") != exp["rules"]:
        problems.append(f"rules: temis {sec.get('rules')}, expected {exp['rules']}")
    skipped = exp.get("dependencies_skipped")
    if (skipped or (skipped is None and case.get("audit_incomplete"))) and sec.get("complete") is not False:
        problems.append("the audit is incomplete (dependencies skipped) but temis reads it as complete")
    if exp.get("report_shape") == "null" and sec.get("complete") is not False:
        problems.append("a `null` report must read as an incomplete scan, not a clean one")
    return problems


def run_security(temis, path, exp, case):
    """A security report: an empty file must be refused (exit 2), never read as clean; a `null`
    report cannot be recognised from its content, so its format is named."""
    if exp.get("empty_file"):
        proc = subprocess.run([temis, "report", "--format", "json", path], capture_output=True, text=True, timeout=300)
        if proc.returncode == 2 and "empty" in proc.stderr:
            return []
        return [f"an empty report must exit 2 saying it is empty, got exit {proc.returncode}: {proc.stderr.strip()}"]
    extra = ("--input-format", exp["format"]) if exp.get("report_shape") == "null" else ()
    got, err = run(temis, path, extra)
    return [f"exit code non-zero: {err}"] if got is None else check_security(got, exp, case)
# --- end security ---


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
                if fmt in SECURITY_FORMATS:
                    problems = run_security(temis, path, exp, expected)
                    if problems:
                        failed += 1
                        print(f"FAIL {case}/{exp['file']}: " + "; ".join(problems))
                    else:
                        passed += 1
                        print(f"ok   {case}/{exp['file']}")
                    continue
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
