#!/usr/bin/env python3
"""Conformance: temis's numbers against the producing tools' own, on ../shared/corpus.

For every case folder with an expected.json, every report it lists in a format temis reads is
run through `temis report --format json`, and the totals and file count must equal the
expected ones. Formats temis does not read (yet) are listed as skipped, never counted as passed.

Accessibility cases (corpus/a11y) compare the score, the violation counts by impact or type, the
failing rules and the failed WCAG levels, plus the extras temis also reports (nodes, needs-review
items, hidden Lighthouse audits, pa11y-ci's own fields).

usage: ci/conformance.py TEMIS_BINARY CORPUS_DIR [CORPUS_DIR…]
"""
import json
import os
import subprocess
import sys

COVERAGE_FORMATS = {
    "lcov", "cobertura", "jacoco", "clover", "coveragepy-json", "istanbul-final",
    "istanbul-summary", "llvm-cov-json", "tarpaulin-json", "gocover", "simplecov",
    "sonar-generic-coverage-xml", "gcovr-json", "gcovr-json-summary",
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
    functions = cov.get("functions")
    details = exp.get("details") or {}
    # public-formats cases keep the file count (and functions) in `details`; files without lines
    # are not files temis reports.
    files = exp.get("files")
    if files is None and "files" in details:
        files = details["files"] - details.get("files_without_lines", 0)
    pairs = [
        ("lines.total", lines.get("total"), exp.get("lines_total")),
        ("lines.covered", lines.get("covered"), exp.get("lines_covered")),
        ("branches.total", None if branches is None else branches.get("total"), exp.get("branches_total")),
        ("branches.covered", None if branches is None else branches.get("covered"), exp.get("branches_covered")),
        ("files", len(cov.get("files") or []), files),
    ]
    if "functions_total" in details:
        pairs += [
            ("functions.total", None if functions is None else functions.get("total"), details["functions_total"]),
            ("functions.covered", None if functions is None else functions.get("covered"),
             details["functions_covered"]),
        ]
    for name, g, e in pairs:
        if name.startswith("branches") and e in (None, 0) and g in (None, 0):
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


# --- accessibility ---
A11Y_FORMATS = {"lighthouse", "axe-json", "pa11y-json", "pa11y-ci-json"}
# The corpus names Lighthouse's format `lighthouse-json`; DESIGN.md's name is `lighthouse`, and
# temis accepts both for --input-format.
A11Y_ALIASES = {"lighthouse-json": "lighthouse"}
# Extras of expected.json compared when present: (expected key, temis's a11y key).
A11Y_EXTRAS = [
    ("nodes_total", "nodes_total"), ("by_impact_nodes", "by_impact_nodes"),
    ("incomplete_total", "incomplete_total"), ("pages_total", "pages_total"), ("shape", "shape"),
    ("hidden_failing_rules", "hidden_failing_rules"), ("category_scores", "category_scores"),
    ("runtime_error", "runtime_error"), ("issues_total", "issues_total"), ("runners", "runners"),
    ("urls_total", "urls_total"), ("urls_passed", "urls_passed"), ("errors_field", "errors_field"),
    ("urls_errored", "urls_errored"), ("lighthouse_version", "lighthouse_version"),
    ("requested_url", "requested_url"),
]
# Per-page figures: (expected key, how to read it from temis's page).
A11Y_PAGE = {
    "url": lambda p: p.get("url"),
    "violations": lambda p: p.get("violations"),
    "nodes": lambda p: p.get("nodes"),
    "failing_rules": lambda p: p.get("failing_rules"),
    "errors": lambda p: p.get("violations"),
    "issues": lambda p: (p.get("violations") or 0) + (p.get("needs_review") or 0),
    "load_error": lambda p: p.get("error"),
}


def check_a11y(got, exp):
    a = got.get("a11y") or {}
    problems = []
    fmt = A11Y_ALIASES.get(exp["format"], exp["format"])
    if got.get("format") != fmt:
        problems.append(f"format {got.get('format')} != {fmt}")
    if got.get("kind") != "a11y":
        problems.append(f"kind {got.get('kind')} != a11y")
    v = a.get("violations") or {}
    pairs = [
        ("score", a.get("score"), exp.get("score")),
        ("violations.total", v.get("total"), exp.get("violations_total")),
        ("violations.by_impact", v.get("by_impact"), exp.get("by_impact")),
        ("failing_rules", a.get("failing_rules"), sorted(exp.get("failing_rules") or [])),
        ("wcag_levels_failed", a.get("wcag_levels_failed"), exp.get("wcag_levels_failed")),
    ]
    if "by_type" in exp:
        pairs.append(("violations.by_type", v.get("by_type"), exp.get("by_type")))
    for key, ours in A11Y_EXTRAS:
        if key in exp:
            pairs.append((ours, a.get(ours, "(absent)"), exp[key]))
    pages = a.get("pages") or []
    for i, ep in enumerate(exp.get("pages") or []):
        gp = pages[i] if i < len(pages) else {}
        for key, read in A11Y_PAGE.items():
            if key in ep:
                want = sorted(ep[key]) if key == "failing_rules" else ep[key]
                pairs.append((f"pages[{i}].{key}", read(gp), want))
    for name, g, e in pairs:
        if g != e:
            problems.append(f"{name}: temis {g}, expected {e}")
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


# --- public report samples of every stack (corpus/public-formats, issue 17) ---
# Their expected.json is one flat case (`case`, `format`, `file`, the figures); INDEX.md there
# gives each format's counting rule. Test figures are five disjoint buckets (other included);
# security figures are in the tool's own severity words, mapped here to temis's one scale as the
# README's security table says (grype's negligible is below low: info).
PUBLIC_TESTS = {
    "trx", "nunit3-xml", "nunit2-xml", "xunit2-xml", "go-test-json", "mocha-json", "rspec-json",
    "dart-json", "ctrf-json", "tap",
}
PUBLIC_COVERAGE = {"opencover-xml", "coverlet-json", "jacoco-csv", "gcovr-json", "sonar-generic-coverage-xml"}
PUBLIC_SECURITY = {"zap-json", "grype-json", "snyk-json", "checkov-json", "dependency-check-json"}
NATIVE_TO_TEMIS = {"negligible": "info"}


def check_public(temis, path, exp):
    """One public-formats case: an expected parse error must exit 2; else the format, and
    every figure of expected.json, must be temis's."""
    fmt = exp["format"]
    if exp.get("expect_parse_error"):
        proc = subprocess.run([temis, "report", "--format", "json", path], capture_output=True, text=True, timeout=300)
        if proc.returncode == 2:
            return []
        return [f"expected a parse error (exit 2), got exit {proc.returncode}: {proc.stdout[:200]}"]
    got, err = run(temis, path)
    if got is None:
        return [f"exit code non-zero: {err}"]
    problems = []
    if got.get("format") != fmt:
        problems.append(f"format {got.get('format')} != {fmt}")
    pairs = []
    if fmt in PUBLIC_TESTS:
        t = got.get("tests") or {}
        for key in ("total", "passed", "failed", "errors", "skipped", "other"):
            pairs.append((f"tests.{key}", t.get(key), exp[key]))
        if "other_breakdown" in exp:
            pairs.append(("tests.other_breakdown", t.get("other_breakdown") or {}, exp["other_breakdown"]))
    elif fmt in PUBLIC_COVERAGE:
        cov = got.get("coverage") or {}
        lines, branches = cov.get("lines") or {}, cov.get("branches") or {}
        pairs += [
            ("lines.total", lines.get("total"), exp["lines_total"]),
            ("lines.covered", lines.get("covered"), exp["lines_covered"]),
            ("branches.total", branches.get("total", 0), exp["branches_total"]),
            ("branches.covered", branches.get("covered", 0), exp["branches_covered"]),
        ]
    else:
        sec = got.get("security") or {}
        want = {k: 0 for k in SEVERITIES}
        for word, n in exp["by_severity"].items():
            key = NATIVE_TO_TEMIS.get(word, word)
            want[key] = want.get(key, 0) + n
        pairs.append(("total", sec.get("total"), exp["total"]))
        pairs.append(("by_severity", sec.get("by_severity"), want))
        if sec.get("complete") is False and not ran_no_check(exp, sec):
            problems.append(f"read as an incomplete scan: {sec.get('incomplete')}")
    for name, g, e in pairs:
        if g != e:
            problems.append(f"{name}: temis {g}, expected {e}")
    return problems


def ran_no_check(exp, sec):
    """A scan whose own counters show that it checked nothing (checkov's `passed`, `failed` and
    `skipped` all 0: its bare summary, or an empty result): its findings are 0, as expected, and it
    is incomplete — it measured nothing, which temis never approves as a clean scan."""
    counters = (exp.get("details") or {}).get("report_counters") or {}
    ran = sum(counters.get(k) or 0 for k in ("passed", "failed", "skipped"))
    nothing = any("nothing was scanned" in m for m in sec.get("incomplete") or [])
    return bool(counters) and ran == 0 and nothing
# --- end public formats ---


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
            if "case" in expected and "file" in expected and "reports" not in expected:
                fmt = expected["format"]
                if fmt not in PUBLIC_TESTS | PUBLIC_COVERAGE | PUBLIC_SECURITY:
                    skipped.append(f"{case}/{expected['file']} ({fmt})")
                    continue
                problems = check_public(temis, os.path.join(dirpath, expected["file"]), expected)
                if problems:
                    failed += 1
                    print(f"FAIL {case}/{expected['file']}: " + "; ".join(problems))
                else:
                    passed += 1
                    print(f"ok   {case}/{expected['file']}")
                continue
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
                a11y = A11Y_ALIASES.get(fmt, fmt) in A11Y_FORMATS
                if fmt not in COVERAGE_FORMATS and fmt != "junit" and not a11y:
                    skipped.append(f"{case}/{exp['file']} ({fmt})")
                    continue
                got, err = run(temis, path)
                check = check_tests if fmt == "junit" else check_a11y if a11y else check_coverage
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
