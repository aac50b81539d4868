"""py-click: click 8.1.7 (PyPI sdist, with its test suite) under pytest-cov, bandit and semgrep;
patch coverage against diff-cover on the real 8.1.7 → 8.1.8 release and on two made changes.
MAKE.md says the same in words."""
import json
import re
import shutil
import sys
from pathlib import Path

from rwlib import (VENV_PY, VENV_TOOLS, apply_change, clean_env, commit_all, fetch_pypi_sdist, git,
                   parse_coveragepy_total, parse_diff_cover, pct_round2, printed_all, printed_stdout,
                   replace_tree, sh, untar, worktree)

HERE = Path(__file__).resolve().parent
# Reference reports copied into reports/ by `run.py --copy-reports` (MAKE.md; small, for the Rust tests).
REFERENCE = ["branch/coverage.xml", "lines/coverage.lcov", "bandit.json", "bandit.sarif", "semgrep.json", "semgrep.sarif"]
BASE = ("8.1.7", "ca9853ad459e787e2192211578cc907e7594e294c7ccc834310722b41b9ca6de")
RELEASE = ("8.1.8", "ed53c9d8990d83c2a27deae68e4ee337473f6330c040a31d4225c9574d16096a")
HEADS = ("release", "low", "high")
# The policy of every patch case: patch coverage only (no project minimum, no test report needed),
# so that the verdict is the patch figure against 80 %, as diff-cover --fail-under 80 judges it.
POLICY = "[coverage]\nmin_patch = 80\nmin_line = 0\n\n[tests]\nrequired = false\n"
PY = VENV_PY / "bin" / "python"
TOOLS = VENV_TOOLS / "bin"
# Test files of the two shards of the sharded run (a CI matrix of two jobs).
SHARD_A = ["tests/test_arguments.py", "tests/test_basic.py", "tests/test_chain.py",
           "tests/test_commands.py", "tests/test_compat.py", "tests/test_context.py",
           "tests/test_custom_classes.py", "tests/test_defaults.py", "tests/test_formatting.py"]


def env():
    return clean_env({"PYTHONPATH": "src"})


def pytest(cwd, args, printed, cov_file=None):
    e = env()
    if cov_file:
        e["COVERAGE_FILE"] = str(cov_file)
    return sh([PY, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args], cwd=cwd, env=e,
              printed=printed)


def produce(ctx):
    out, pr = ctx.out, ctx.printed
    src = ctx.cache / "src"
    for version, sha in (BASE, RELEASE):
        untar(fetch_pypi_sdist("click", version, sha), src / version)
    # The repository: base = 8.1.7 as released (+ the policy), then one branch per head.
    if ctx.repo.exists():
        shutil.rmtree(ctx.repo)
    shutil.rmtree(ctx.heads, ignore_errors=True)
    ctx.repo.mkdir(parents=True)
    git(ctx.repo, "init", "-q")
    replace_tree(ctx.repo, src / BASE[0])
    (ctx.repo / "temis.toml").write_text(POLICY)
    commit_all(ctx.repo, "click 8.1.7 as released on PyPI")
    git(ctx.repo, "branch", "base")
    git(ctx.repo, "checkout", "-q", "-b", "release", "base")
    replace_tree(ctx.repo, src / RELEASE[0])
    (ctx.repo / "temis.toml").write_text(POLICY)
    commit_all(ctx.repo, "click 8.1.8 as released on PyPI")
    for head in ("low", "high"):
        git(ctx.repo, "checkout", "-q", "-b", head, "base")
        apply_change(ctx.repo, HERE / "changes" / head)
        commit_all(ctx.repo, f"feat: format_size and parse_size ({head} test coverage)")
    git(ctx.repo, "checkout", "-q", "base")

    repo = ctx.repo
    lines_rc = HERE / "lines.coveragerc"
    # 1. statements only, precision 2: Cobertura, JSON, LCOV, JUnit; then `coverage report`.
    (out / "lines").mkdir(parents=True)
    pytest(repo, ["--cov=click", f"--cov-config={lines_rc}", "--cov-report=term",
                  f"--cov-report=xml:{out}/lines/coverage.xml", f"--cov-report=json:{out}/lines/coverage.json",
                  f"--cov-report=lcov:{out}/lines/coverage.lcov", f"--junitxml={out}/junit.xml"],
           pr / "pytest-cov-lines.txt")
    sh([PY, "-m", "coverage", "report", f"--rcfile={lines_rc}"], cwd=repo, env=env(),
       printed=pr / "coverage-report-lines.txt")
    # 2. with branches (--cov-branch; the project's own config, precision 0).
    (out / "branch").mkdir(parents=True)
    pytest(repo, ["--cov=click", "--cov-branch", "--cov-report=term",
                  f"--cov-report=xml:{out}/branch/coverage.xml", f"--cov-report=json:{out}/branch/coverage.json",
                  f"--cov-report=lcov:{out}/branch/coverage.lcov"], pr / "pytest-cov-branch.txt")
    sh([PY, "-m", "coverage", "report"], cwd=repo, env=env(), printed=pr / "coverage-report-branch.txt")
    # 3. two shards (a CI matrix), each with its own data file and reports; `coverage combine`.
    shard_b = sorted(str(p.relative_to(repo)) for p in (repo / "tests").glob("test_*.py")
                     if str(p.relative_to(repo)) not in SHARD_A)
    for shard, tests in (("a", SHARD_A), ("b", shard_b)):
        (out / "shards" / shard).mkdir(parents=True)
        pytest(repo, ["--cov=click", f"--cov-config={lines_rc}", "--cov-report=term",
                      f"--cov-report=xml:{out}/shards/{shard}/coverage.xml",
                      f"--cov-report=lcov:{out}/shards/{shard}/coverage.lcov", *tests],
               pr / f"pytest-cov-shard-{shard}.txt", cov_file=repo / f".coverage.shard{shard}")
    sh([PY, "-m", "coverage", "combine", f"--rcfile={lines_rc}", "--keep", ".coverage.sharda", ".coverage.shardb"],
       cwd=repo, env=env(), printed=pr / "coverage-combine.txt")
    sh([PY, "-m", "coverage", "report", f"--rcfile={lines_rc}"], cwd=repo, env=env(),
       printed=pr / "coverage-report-combined.txt")
    # 4. security: bandit (screen, JSON, SARIF) and semgrep with the local rules (JSON, SARIF).
    sh([TOOLS / "bandit", "-r", "src"], cwd=repo, ok=(0, 1), printed=pr / "bandit.txt")
    sh([TOOLS / "bandit", "-q", "-r", "src", "-f", "json", "-o", out / "bandit.json"], cwd=repo, ok=(0, 1))
    sh([TOOLS / "bandit", "-q", "-r", "src", "-f", "sarif", "-o", out / "bandit.sarif"], cwd=repo, ok=(0, 1))
    shutil.copy(HERE / "rules.yml", out / "rules.yml")
    semgrep = [TOOLS / "semgrep", "scan", "--config", out / "rules.yml", "--metrics=off",
               "--disable-version-check", "--no-git-ignore"]
    sh([*semgrep, "--json", "--output", out / "semgrep.json", "src"], cwd=repo, printed=pr / "semgrep-json.txt")
    sh([*semgrep, "--sarif", "--output", out / "semgrep.sarif", "src"], cwd=repo, printed=pr / "semgrep-sarif.txt")
    # 5. patch coverage: each head's own run, then diff-cover against base, no path options.
    for head in HEADS:
        wt = worktree(ctx.repo, ctx.head(head), head)
        d = out / "heads" / head
        d.mkdir(parents=True)
        pytest(wt, ["--cov=click", "--cov-report=term", f"--cov-report=xml:{d}/coverage.xml"],
               pr / f"pytest-cov-{head}.txt")
        sh([TOOLS / "diff-cover", d / "coverage.xml", "--compare-branch", "base", "--total-percent-float",
            "--json-report", d / "diff-cover.json", "--fail-under", "80"], cwd=wt, ok=(0, 1),
           printed=pr / f"diff-cover-{head}.txt")


def pytest_counts(text):
    m = re.search(r"^=*\s*(\d+ passed.*?) in [\d.]+s", text, re.M)
    line = m.group(1)
    counts = {k: 0 for k in ("passed", "failed", "skipped", "xfailed", "xpassed", "error")}
    for n, k in re.findall(r"(\d+) (\w+)", line):
        counts[k.rstrip("s") if k.startswith("error") else k] = int(n)
    return counts, line


def lines_entry(total, source, printed_percent, rule="round2", pct=None):
    covered = total["stmts"] - total["miss"]
    return {"covered": covered, "total": total["stmts"],
            "percent": pct if pct is not None else pct_round2(covered, total["stmts"]),
            "printed_percent": printed_percent, "rule": rule, "source": source}


def expected(ctx):
    pr = ctx.printed
    lines_tot = parse_coveragepy_total(printed_stdout(pr / "pytest-cov-lines.txt"))
    lines_rep = parse_coveragepy_total(printed_stdout(pr / "coverage-report-lines.txt"))
    assert lines_tot["row"] == lines_rep["row"], "pytest-cov and coverage report disagree"
    br_tot = parse_coveragepy_total(printed_stdout(pr / "pytest-cov-branch.txt"))
    br_rep = parse_coveragepy_total(printed_stdout(pr / "coverage-report-branch.txt"))
    assert br_tot["row"] == br_rep["row"], "pytest-cov and coverage report disagree (branch)"
    # coverage.py prints the branch total and partial branches, not the covered branches: those
    # come from its own JSON totals (covered_branches), which also give the combined figure.
    totals = json.loads((ctx.out / "branch" / "coverage.json").read_text())["totals"]
    assert totals["num_branches"] == br_tot["branch"]
    branches = {"covered": totals["covered_branches"], "total": totals["num_branches"],
                "source": "coverage.py: Branch column of TOTAL; covered_branches of its JSON totals"}
    combined = {"covered": br_tot["stmts"] - br_tot["miss"] + totals["covered_branches"],
                "total": br_tot["stmts"] + br_tot["branch"], "printed_percent": br_tot["cover"],
                "source": "coverage.py TOTAL Cover (statements and branches together, precision 0)"}
    line_src = f"pytest-cov TOTAL row: {lines_tot['row']}"
    br_src = f"pytest-cov TOTAL row: {br_tot['row']}"
    cov = []
    for name, fmt in (("coverage.xml", "cobertura"), ("coverage.json", "coveragepy-json"),
                      ("coverage.lcov", "lcov")):
        cov.append({"id": f"lines/{name}", "report": f"lines/{name}", "format": fmt,
                    "lines": lines_entry(lines_tot, line_src, lines_tot["cover"],
                                         "coverage.py precision 2 (round half-even)")})
        e = {"id": f"branch/{name}", "report": f"branch/{name}", "format": fmt,
             "lines": lines_entry(br_tot, br_src, f"{br_tot['cover']} (combined)",
                                  "statements only, 2 decimals (coverage.py prints only the combined figure)"),
             "branches": branches}
        if fmt != "lcov":
            e["combined"] = combined
        cov.append(e)
    counts, line = pytest_counts(printed_stdout(pr / "pytest-cov-lines.txt"))
    tests = [{"id": "junit.xml", "report": "junit.xml",
              "total": sum(counts.values()), "failed": counts["failed"] + counts["error"],
              "skipped": counts["skipped"] + counts["xfailed"], "printed": line,
              "source": "pytest's closing line; JUnit writes xfailed tests as skipped"}]
    # bandit's own count by severity (screen report, "Run metrics").
    btxt = printed_all(pr / "bandit.txt")
    block = btxt.split("Total issues (by severity):", 1)[1].split("Total issues (by confidence)", 1)[0]
    bsev = {k.lower(): int(v) for k, v in re.findall(r"(Undefined|Low|Medium|High):\s+(\d+)", block)}
    b_by = {"high": bsev["high"], "medium": bsev["medium"], "low": bsev["low"], "info": bsev["undefined"]}
    bprinted = "bandit Run metrics, by severity: " + ", ".join(f"{k} {v}" for k, v in bsev.items())
    # semgrep: its closing line gives the total; the severity of each finding is its own word in
    # its JSON (ERROR/WARNING/INFO), read here as temis's README maps them (high/medium/low).
    stxt = printed_all(pr / "semgrep-json.txt")
    m = re.search(r"Ran (\d+) rules? on (\d+) files?: (\d+) findings?\.", stxt)
    s_total = int(m.group(3))
    results = json.loads((ctx.out / "semgrep.json").read_text())["results"]
    words = {"ERROR": "high", "WARNING": "medium", "INFO": "low"}
    s_by = {}
    for r in results:
        k = words[r["extra"]["severity"]]
        s_by[k] = s_by.get(k, 0) + 1
    assert sum(s_by.values()) == s_total
    sec = [
        {"id": "bandit.json", "report": "bandit.json", "format": "bandit-json", "total": sum(b_by.values()),
         "by_severity": b_by, "source": bprinted},
        {"id": "bandit.sarif", "report": "bandit.sarif", "format": "sarif", "total": sum(b_by.values()),
         "by_severity": b_by, "source": bprinted},
        {"id": "semgrep.json", "report": "semgrep.json", "format": "semgrep-json", "total": s_total,
         "by_severity": s_by, "source": m.group(0) + " (severity words from its JSON)"},
        {"id": "semgrep.sarif", "report": "semgrep.sarif", "format": "sarif", "total": s_total,
         "by_severity": s_by, "source": m.group(0)},
    ]
    gate = [
        {"id": "gate bandit.json+bandit.sarif", "reports": ["bandit.json", "bandit.sarif"],
         "total": sum(b_by.values()), "source": "one scan kept in two formats: each finding once"},
        {"id": "gate semgrep.json+semgrep.sarif", "reports": ["semgrep.json", "semgrep.sarif"],
         "total": s_total, "source": "one scan kept in two formats: each finding once"},
    ]
    patch = []
    for head in HEADS:
        dc = parse_diff_cover(printed_stdout(pr / f"diff-cover-{head}.txt"))
        e = {"id": f"patch-{head}", "head": head, "base": "base", "reports": [f"heads/{head}/coverage.xml"],
             "covered": dc["measured"] - dc["missing"], "measured": dc["measured"], "percent": dc["percent"],
             "source": f"diff-cover {dc['printed']}"}
        # diff-cover's own verdict: its exit code with --fail-under 80
        e["exit"] = int(re.search(r"^\(exit (\d+)\)", (pr / f"diff-cover-{head}.txt").read_text(), re.M).group(1))
        e["why"] = "diff-cover --fail-under 80 exit " + str(e["exit"]) + "; min_patch = 80"
        if head == "release":
            e["verdict_checked"] = False
        patch.append(e)
    comb = parse_coveragepy_total(printed_stdout(pr / "coverage-report-combined.txt"))
    merged = lines_entry(comb, f"coverage combine + coverage report: {comb['row']}", comb["cover"])
    merged["printed"] = comb["row"]
    merge = [
        {"id": "merge shards/*/coverage.xml", "inputs": ["shards/a/coverage.xml", "shards/b/coverage.xml"],
         "lines": merged},
        {"id": "merge shards/*/coverage.lcov", "inputs": ["shards/a/coverage.lcov", "shards/b/coverage.lcov"],
         "lines": merged},
    ]
    return {"project": ctx.name,
            "versions": {"click": f"{BASE[0]} (base), {RELEASE[0]} (release head)", "python": sys.version.split()[0],
                         "pytest": "8.3.5", "pytest-cov": "7.1.0", "coverage": "7.17.3", "bandit": "1.9.4",
                         "semgrep": "1.185.0", "diff-cover": "11.0.1"},
            "coverage": cov, "tests": tests, "security": sec, "security_gate": gate, "patch": patch,
            "merge": merge}
