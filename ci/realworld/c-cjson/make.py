"""c-cjson: cJSON 1.7.15 (the upstream tarball of Debian's cjson source package) built with gcc 12
--coverage and its own Unity tests; gcovr (PyPI) writes every output in one run with
--print-summary, lcov 1.16 captures the same build; two shards merged by `lcov -a` and by gcovr's
--add-tracefile; patch coverage against diff-cover on gcovr's Cobertura for two made changes.
MAKE.md says the same in words."""
import re
import shutil
from pathlib import Path

from rwlib import (VENV_TOOLS, apply_change, clean_env, commit_all, fetch_debian_orig, git, parse_diff_cover,
                   parse_gcovr_summary, parse_lcov_summary, pct_round2, printed_stdout, replace_tree, sh,
                   untar, worktree)

HERE = Path(__file__).resolve().parent
# Reference reports copied into reports/ by `run.py --copy-reports` (MAKE.md; small, for the Rust tests).
REFERENCE = ["gcovr/jacoco.xml", "gcovr/sonarqube.xml", "gcovr/clover.xml", "gcovr/summary.json", "lcov/lcov.info"]
ORIG = ("cjson", "1.7.15", "5308fd4bd90cef7aa060558514de6a1a4a0819974a26e6ed13973c5f624c24b2")
HEADS = ("low", "high")
POLICY = "[coverage]\nmin_patch = 80\nmin_line = 0\n\n[tests]\nrequired = false\n"
GITIGNORE = "build/\n"
# tests/CMakeLists.txt: the Unity tests, and the ones that also link cJSON_Utils
UNITY_TESTS = ["parse_examples", "parse_number", "parse_hex4", "parse_string", "parse_array", "parse_object",
               "parse_value", "print_string", "print_number", "print_array", "print_object", "print_value",
               "misc_tests", "parse_with_opts", "compare_tests", "cjson_add", "readme_examples", "minify_tests"]
UTILS_TESTS = ["json_patch_tests", "old_utils_tests", "misc_utils_tests"]
CFLAGS = ["-std=c89", "-O0", "-g", "--coverage", "-fno-inline"]
GCOVR = VENV_TOOLS / "bin" / "gcovr"
LCOV_RC = ["--rc", "lcov_branch_coverage=1"]
OUTPUTS = {"coverage.xml": ("--cobertura", "cobertura"), "clover.xml": ("--clover", "clover"),
           "coverage.lcov": ("--lcov", "lcov"), "jacoco.xml": ("--jacoco", "jacoco"),
           "sonarqube.xml": ("--sonarqube", None), "coverage.json": ("--json", None),
           "summary.json": ("--json-summary", None)}


def build(tree, extra_tests=()):
    """Compile the library into each test (common.h includes ../cJSON.c) with --coverage; Unity
    itself without. Returns the test binaries in run order."""
    b = tree / "build"
    shutil.rmtree(b, ignore_errors=True)
    b.mkdir()
    cc = ["gcc", "-I", tree, "-I", tree / "tests"]
    sh([*cc, "-std=c89", "-O0", "-c", "tests/unity/src/unity.c", "-o", b / "unity.o"], cwd=tree)
    sh([*cc, *CFLAGS, "-c", "cJSON_Utils.c", "-o", b / "cJSON_Utils.o"], cwd=tree)
    bins = []
    for t in [*UNITY_TESTS, *UTILS_TESTS, *extra_tests]:
        sh([*cc, *CFLAGS, "-c", f"tests/{t}.c", "-o", b / f"{t}.o"], cwd=tree)
        objs = [b / f"{t}.o", b / "unity.o"] + ([b / "cJSON_Utils.o"] if t in UTILS_TESTS else [])
        sh(["gcc", "--coverage", *objs, "-lm", "-o", b / t], cwd=tree)
        bins.append(t)
    return bins


def run_tests(tree, names, printed):
    """Run the test binaries from tests/ (they read inputs/ from there); keep Unity's last lines."""
    text = []
    for t in names:
        p = sh([tree / "build" / t], cwd=tree / "tests")
        text.append(p.stdout.strip().splitlines()[-1] if p.stdout.strip() else "")
    Path(printed).parent.mkdir(parents=True, exist_ok=True)
    Path(printed).write_text("\n".join(text) + "\n")


def zero(tree):
    for g in (tree / "build").glob("*.gcda"):
        g.unlink()


def gcovr(tree, args, printed=None):
    return sh([GCOVR, "--root", tree, "--exclude", "tests/", *args, tree / "build"], cwd=tree, printed=printed)


def lcov_capture(tree, out_info, printed):
    raw = out_info.with_suffix(".raw.info")
    sh(["lcov", "--capture", "--directory", tree / "build", "--base-directory", tree,
        "--output-file", raw, *LCOV_RC], cwd=tree)
    sh(["lcov", "--extract", raw, f"{tree}/cJSON.c", f"{tree}/cJSON_Utils.c", "--output-file", out_info,
        *LCOV_RC], cwd=tree)
    raw.unlink()
    sh(["lcov", "--summary", out_info, *LCOV_RC], cwd=tree, printed=printed)


def produce(ctx):
    out, pr = ctx.out, ctx.printed
    name, version, sha = ORIG
    src = untar(fetch_debian_orig(name, version, sha), ctx.cache / "src")
    if ctx.repo.exists():
        shutil.rmtree(ctx.repo)
    shutil.rmtree(ctx.heads, ignore_errors=True)
    ctx.repo.mkdir(parents=True)
    git(ctx.repo, "init", "-q")
    replace_tree(ctx.repo, src)
    (ctx.repo / "temis.toml").write_text(POLICY)
    (ctx.repo / ".gitignore").write_text(GITIGNORE)
    commit_all(ctx.repo, "cJSON 1.7.15 (upstream tarball of Debian's cjson 1.7.15)")
    git(ctx.repo, "branch", "base")
    for head in HEADS:
        git(ctx.repo, "checkout", "-q", "-b", head, "base")
        apply_change(ctx.repo, HERE / "changes" / head)
        commit_all(ctx.repo, f"feat: cJSON_FormatSize and cJSON_ParseSize ({head} test coverage)")
    git(ctx.repo, "checkout", "-q", "base")
    repo = ctx.repo
    tests = build(repo)
    # 1. every test; gcovr writes every output in one run; lcov captures the same .gcda files.
    run_tests(repo, tests, pr / "unity.txt")
    g = out / "gcovr"
    g.mkdir()
    args = []
    for fname, (flag, _) in OUTPUTS.items():
        args += [flag, g / fname]
    gcovr(repo, [*args, "--print-summary"], pr / "gcovr.txt")
    (out / "lcov").mkdir()
    lcov_capture(repo, out / "lcov" / "lcov.info", pr / "lcov-summary.txt")
    # 2. two shards (parse_* tests, then the rest), each captured by lcov and by gcovr; merged by
    #    `lcov -a` and by gcovr --add-tracefile.
    shards = {"a": [t for t in tests if t.startswith("parse_")], "b": [t for t in tests if not t.startswith("parse_")]}
    (out / "shards").mkdir()
    for shard, names in shards.items():
        zero(repo)
        run_tests(repo, names, pr / f"unity-shard-{shard}.txt")
        lcov_capture(repo, out / "shards" / f"{shard}.info", pr / f"lcov-summary-shard-{shard}.txt")
        gcovr(repo, ["--cobertura", out / "shards" / f"{shard}.xml", "--json", out / "shards" / f"{shard}.json",
                     "--print-summary"], pr / f"gcovr-shard-{shard}.txt")
    sh(["lcov", "-a", out / "shards" / "a.info", "-a", out / "shards" / "b.info", "-o", out / "shards" / "ab.info",
        *LCOV_RC], cwd=repo)
    sh(["lcov", "--summary", out / "shards" / "ab.info", *LCOV_RC], cwd=repo, printed=pr / "lcov-summary-merged.txt")
    sh([GCOVR, "--root", repo, "--add-tracefile", out / "shards" / "a.json", "--add-tracefile",
        out / "shards" / "b.json", "--print-summary"], cwd=repo, printed=pr / "gcovr-merged.txt")
    # 3. patch coverage: each head built and tested, gcovr's Cobertura, diff-cover against base.
    for head in HEADS:
        wt = worktree(ctx.repo, ctx.head(head), head)
        d = out / "heads" / head
        d.mkdir(parents=True)
        run_tests(wt, build(wt, ["size_tests"]), pr / f"unity-{head}.txt")
        gcovr(wt, ["--cobertura", d / "coverage.xml", "--print-summary"], pr / f"gcovr-{head}.txt")
        sh([VENV_TOOLS / "bin" / "diff-cover", d / "coverage.xml", "--compare-branch", "base",
            "--total-percent-float", "--json-report", d / "diff-cover.json", "--fail-under", "80"],
           cwd=wt, ok=(0, 1), printed=pr / f"diff-cover-{head}.txt")


def fig(d, what):
    return {"covered": d["covered"], "total": d["total"], "source": f"{what}: {d['printed']}"}


def expected(ctx):
    pr = ctx.printed
    s = parse_gcovr_summary(printed_stdout(pr / "gcovr.txt"))
    cov = []
    for fname, (_, fmt) in OUTPUTS.items():
        e = {"id": f"gcovr/{fname}", "report": f"gcovr/{fname}",
             "format": fmt or {"sonarqube.xml": "sonar-generic-coverage-xml", "coverage.json": "gcovr-json",
                               "summary.json": "gcovr-json-summary"}[fname],
             "lines": fig(s["lines"], "gcovr --print-summary"),
             "branches": fig(s["branches"], "gcovr --print-summary")}
        e["lines"].update({"percent": pct_round2(s["lines"]["covered"], s["lines"]["total"]),
                           "printed_percent": s["lines"]["printed"].split()[1],
                           "rule": "2 decimals (gcovr prints 1)"})
        if fname == "clover.xml":
            # gcovr's Clover carries no branch and no method data (conditionals="0", methods="0")
            del e["branches"]
            e["not_in_report"] = "branches, functions (gcovr writes conditionals=0, methods=0)"
        elif fname == "sonarqube.xml":
            e["not_in_report"] = "functions (SonarQube's generic coverage has none)"
        else:
            e["functions"] = fig(s["functions"], "gcovr --print-summary")
        cov.append(e)
    ls = parse_lcov_summary(printed_stdout(pr / "lcov-summary.txt"))
    e = {"id": "lcov/lcov.info", "report": "lcov/lcov.info", "format": "lcov",
         "lines": fig(ls["lines"], "lcov --summary"), "branches": fig(ls["branches"], "lcov --summary"),
         "functions": fig(ls["functions"], "lcov --summary")}
    e["lines"].update({"percent": pct_round2(ls["lines"]["covered"], ls["lines"]["total"]),
                       "printed_percent": ls["lines"]["printed"].split()[1], "rule": "2 decimals (lcov prints 1)"})
    cov.append(e)
    merge = []
    lm = parse_lcov_summary(printed_stdout(pr / "lcov-summary-merged.txt"))
    e = {"id": "merge shards/*.info", "inputs": ["shards/a.info", "shards/b.info"]}
    for k in ("lines", "branches", "functions"):
        e[k] = fig(lm[k], "lcov -a, lcov --summary")
        e[k]["printed"] = lm[k]["printed"]
    merge.append(e)
    gm = parse_gcovr_summary(printed_stdout(pr / "gcovr-merged.txt"))
    e = {"id": "merge shards/*.xml", "inputs": ["shards/a.xml", "shards/b.xml"]}
    for k in ("lines", "branches"):
        e[k] = fig(gm[k], "gcovr --add-tracefile a.json b.json --print-summary")
        e[k]["printed"] = gm[k]["printed"]
    merge.append(e)
    patch = []
    for head in HEADS:
        text = (pr / f"diff-cover-{head}.txt").read_text()
        dc = parse_diff_cover(printed_stdout(pr / f"diff-cover-{head}.txt"))
        e = {"id": f"patch-{head}", "head": head, "base": "base", "reports": [f"heads/{head}/coverage.xml"],
             "covered": dc["measured"] - dc["missing"], "measured": dc["measured"], "percent": dc["percent"],
             "source": f"diff-cover on gcovr's Cobertura: {dc['printed']}",
             "exit": int(re.search(r"^\(exit (\d+)\)", text, re.M).group(1))}
        e["why"] = f"diff-cover --fail-under 80 exit {e['exit']}; min_patch = 80"
        patch.append(e)
    return {"project": ctx.name,
            "versions": {"cJSON": "1.7.15 (cjson_1.7.15.orig.tar.gz, Debian bookworm)", "gcc": "12.2.0",
                         "gcovr": "8.8", "lcov": "1.16", "diff-cover": "11.0.1"},
            "coverage": cov, "patch": patch, "merge": merge}
