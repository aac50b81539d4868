"""npm-minimist: minimist 1.2.7 (npm tarball, with its tape tests) under c8 and nyc, every
Istanbul reporter; patch coverage against diff-cover on the real 1.2.7 → 1.2.8 release and on two
made changes; nyc shards merged. MAKE.md says the same in words."""
import re
import shutil
from pathlib import Path

from rwlib import (NODE_TOOLS, VENV_TOOLS, apply_change, clean_env, commit_all, fetch_npm_tarball, git,
                   parse_diff_cover, parse_istanbul_text_summary, pct_trunc2, printed_stdout, replace_tree,
                   sh, untar, worktree)

HERE = Path(__file__).resolve().parent
# Reference reports copied into reports/ by `run.py --copy-reports` (MAKE.md; small, for the Rust tests).
REFERENCE = ["nyc/cobertura-coverage.xml", "nyc/clover.xml", "nyc/lcov.info", "nyc/coverage-final.json", "nyc/coverage-summary.json"]
BASE = ("1.2.7", "29e8a4fda29e4fb148355ba5070c1f0499d234eefb5a01074fb2ac79ff19120e")
RELEASE = ("1.2.8", "350a76c115b393c19d24654834261e5dc9f0e8cc5e08f3937fa80140f3e4ce83")
HEADS = ("release", "low", "high")
POLICY = "[coverage]\nmin_patch = 80\nmin_line = 0\n\n[tests]\nrequired = false\n"
BIN = NODE_TOOLS / "node_modules" / ".bin"
REPORTERS = ["text-summary", "lcov", "cobertura", "clover", "json-summary", "json"]
# report file -> temis format
FILES = {"lcov.info": "lcov", "cobertura-coverage.xml": "cobertura", "clover.xml": "clover",
         "coverage-summary.json": "istanbul-summary", "coverage-final.json": "istanbul-final"}
GITIGNORE = "node_modules/\ncoverage/\n.nyc_output/\n"


def env():
    # the tests require('tape'): resolved from the pinned tools, as a project's node_modules would
    return clean_env({"NODE_PATH": str(NODE_TOOLS / "node_modules")})


def istanbul(tool, cwd, report_dir, printed, tests="test/*.js", extra=()):
    reporters = [f"--reporter={r}" for r in REPORTERS]
    return sh([BIN / tool, *reporters, "--report-dir", report_dir, *extra, BIN / "tape", tests],
              cwd=cwd, env=env(), printed=printed)


def produce(ctx):
    out, pr = ctx.out, ctx.printed
    src = ctx.cache / "src"
    for version, sha in (BASE, RELEASE):
        untar(fetch_npm_tarball("minimist", version, sha), src / version)
    if ctx.repo.exists():
        shutil.rmtree(ctx.repo)
    shutil.rmtree(ctx.heads, ignore_errors=True)
    ctx.repo.mkdir(parents=True)
    git(ctx.repo, "init", "-q")
    for version, branch in ((BASE[0], "base"), (RELEASE[0], "release")):
        if branch == "release":
            git(ctx.repo, "checkout", "-q", "-b", "release", "base")
        replace_tree(ctx.repo, src / version)
        (ctx.repo / "temis.toml").write_text(POLICY)
        (ctx.repo / ".gitignore").write_text(GITIGNORE)
        commit_all(ctx.repo, f"minimist {version} as published on npm")
        if branch == "base":
            git(ctx.repo, "branch", "base")
    for head in ("low", "high"):
        git(ctx.repo, "checkout", "-q", "-b", head, "base")
        apply_change(ctx.repo, HERE / "changes" / head)
        commit_all(ctx.repo, f"feat: formatSize and parseSize ({head} test coverage)")
    git(ctx.repo, "checkout", "-q", "base")
    repo = ctx.repo
    # 1. c8 and nyc, every reporter, on the release as published (its own .nycrc applies to both).
    istanbul("c8", repo, out / "c8", pr / "c8.txt")
    istanbul("nyc", repo, out / "nyc", pr / "nyc.txt", extra=["--temp-dir", out / "nyc-temp"])
    # 2. nyc in two shards, then nyc's own merge of the two runs (nyc report over both temp dirs).
    tests = sorted(p.name for p in (repo / "test").glob("*.js"))
    shards = {"a": [t for t in tests if t < "n"], "b": [t for t in tests if t >= "n"]}
    merged_temp = out / "shards" / "merged-temp"
    merged_temp.mkdir(parents=True)
    for shard, names in shards.items():
        glob = "test/{" + ",".join(names) + "}" if len(names) > 1 else f"test/{names[0]}"
        temp = out / "shards" / f"{shard}-temp"
        istanbul("nyc", repo, out / "shards" / shard, pr / f"nyc-shard-{shard}.txt", tests=glob,
                 extra=["--temp-dir", temp])
        for f in temp.glob("*.json"):
            shutil.copy(f, merged_temp / f"{shard}-{f.name}")
    sh([BIN / "nyc", "report", "--temp-dir", merged_temp, "--reporter=text-summary",
        "--report-dir", out / "shards" / "merged"], cwd=repo, env=env(), printed=pr / "nyc-merged.txt")
    # 3. patch coverage: nyc at each head, diff-cover on its Cobertura against base.
    for head in HEADS:
        wt = worktree(ctx.repo, ctx.head(head), head)
        d = out / "heads" / head
        istanbul("nyc", wt, d, pr / f"nyc-{head}.txt", extra=["--temp-dir", d / "temp"])
        sh([VENV_TOOLS / "bin" / "diff-cover", d / "cobertura-coverage.xml", "--compare-branch", "base",
            "--total-percent-float", "--json-report", d / "diff-cover.json", "--fail-under", "80"],
           cwd=wt, ok=(0, 1), printed=pr / f"diff-cover-{head}.txt")


def summary_entry(fig, what):
    return {"covered": fig["covered"], "total": fig["total"], "source": f"{what}: {fig['printed']}"}


def expected(ctx):
    pr = ctx.printed
    cov = []
    for tool in ("c8", "nyc"):
        s = parse_istanbul_text_summary(printed_stdout(pr / f"{tool}.txt"))
        lines = summary_entry(s["Lines"], f"{tool} text-summary")
        printed_pct = re.search(r":\s*([\d.]+%)", s["Lines"]["printed"]).group(1)
        lines.update({"percent": pct_trunc2(lines["covered"], lines["total"]), "printed_percent": printed_pct,
                      "rule": "Istanbul: truncated to 2 decimals"})
        assert f"{lines['percent']:g}%" == printed_pct or f"{lines['percent']}%" == printed_pct, printed_pct
        for name, fmt in FILES.items():
            cov.append({"id": f"{tool}/{name}", "report": f"{tool}/{name}", "format": fmt, "lines": lines,
                        "branches": summary_entry(s["Branches"], f"{tool} text-summary"),
                        "functions": summary_entry(s["Functions"], f"{tool} text-summary")})
    patch = []
    for head in HEADS:
        text = (pr / f"diff-cover-{head}.txt").read_text()
        dc = parse_diff_cover(printed_stdout(pr / f"diff-cover-{head}.txt"))
        e = {"id": f"patch-{head}", "head": head, "base": "base", "reports": [f"heads/{head}/cobertura-coverage.xml"],
             "covered": dc["measured"] - dc["missing"], "measured": dc["measured"], "percent": dc["percent"],
             "source": f"diff-cover on nyc's Cobertura: {dc['printed']}",
             "exit": int(re.search(r"^\(exit (\d+)\)", text, re.M).group(1))}
        e["why"] = f"diff-cover --fail-under 80 exit {e['exit']}; min_patch = 80"
        if head == "release":
            e["verdict_checked"] = False
        patch.append(e)
    m = parse_istanbul_text_summary(printed_stdout(pr / "nyc-merged.txt"))
    merge = [{"id": "merge shards/*/lcov.info", "inputs": ["shards/a/lcov.info", "shards/b/lcov.info"],
              "lines": summary_entry(m["Lines"], "nyc report over both shards' runs"),
              "branches": summary_entry(m["Branches"], "nyc report over both shards' runs"),
              "functions": summary_entry(m["Functions"], "nyc report over both shards' runs")},
             {"id": "merge shards/*/coverage-final.json",
              "inputs": ["shards/a/coverage-final.json", "shards/b/coverage-final.json"],
              "lines": summary_entry(m["Lines"], "nyc report over both shards' runs"),
              "branches": summary_entry(m["Branches"], "nyc report over both shards' runs"),
              "functions": summary_entry(m["Functions"], "nyc report over both shards' runs")}]
    for e in merge:
        for k in ("lines", "branches", "functions"):
            e[k]["printed"] = e[k]["source"].split(": ", 1)[1]
    return {"project": ctx.name,
            "versions": {"minimist": f"{BASE[0]} (base), {RELEASE[0]} (release head)", "c8": "12.0.0",
                         "nyc": "18.0.0", "tape": "5.10.2", "diff-cover": "11.0.1"},
            "coverage": cov, "patch": patch, "merge": merge}
