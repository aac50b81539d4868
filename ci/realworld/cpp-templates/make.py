"""cpp-templates: a small C++ program of our own (src/) whose header-only template is instantiated
for int, double and std::string, built with g++ 12 --coverage; gcovr (PyPI) writes every output in
one run with --print-summary, and each output is held to what gcovr printed. gcovr lists a line of
the template once per function instance, and counts it so. MAKE.md says the same in words."""
import shutil
from pathlib import Path

from rwlib import VENV_TOOLS, parse_gcovr_summary, pct_round2, printed_stdout, sh

HERE = Path(__file__).resolve().parent
GCOVR = VENV_TOOLS / "bin" / "gcovr"
OUTPUTS = {"coverage.xml": ("--cobertura", "cobertura"), "clover.xml": ("--clover", "clover"),
           "coverage.lcov": ("--lcov", "lcov"), "jacoco.xml": ("--jacoco", "jacoco"),
           "sonarqube.xml": ("--sonarqube", "sonar-generic-coverage-xml"),
           "coverage.json": ("--json", "gcovr-json"), "summary.json": ("--json-summary", "gcovr-json-summary")}


def produce(ctx):
    if ctx.repo.exists():
        shutil.rmtree(ctx.repo)
    shutil.copytree(HERE / "src", ctx.repo)
    repo = ctx.repo
    sh(["g++", "-O0", "-g", "--coverage", "-fno-inline", "main.cpp", "-o", "demo"], cwd=repo)
    sh([repo / "demo"], cwd=repo, printed=ctx.printed / "demo.txt")
    g = ctx.out / "gcovr"
    g.mkdir(parents=True)
    args = []
    for fname, (flag, _) in OUTPUTS.items():
        args += [flag, g / fname]
    sh([GCOVR, "--root", repo, "--filter", "stack.hpp", "--filter", "main.cpp", *args, "--print-summary", repo],
       cwd=repo, printed=ctx.printed / "gcovr.txt")


def fig(d, what):
    return {"covered": d["covered"], "total": d["total"], "source": f"{what}: {d['printed']}"}


def expected(ctx):
    s = parse_gcovr_summary(printed_stdout(ctx.printed / "gcovr.txt"))
    cov = []
    for fname, (_, fmt) in OUTPUTS.items():
        e = {"id": f"gcovr/{fname}", "report": f"gcovr/{fname}", "format": fmt,
             "lines": fig(s["lines"], "gcovr --print-summary")}
        e["lines"].update({"percent": pct_round2(s["lines"]["covered"], s["lines"]["total"]),
                           "printed_percent": s["lines"]["printed"].split()[1], "rule": "2 decimals (gcovr prints 1)"})
        if fname == "clover.xml":
            e["not_in_report"] = "branches, functions (gcovr writes conditionals=0, methods=0)"
        else:
            e["branches"] = fig(s["branches"], "gcovr --print-summary")
            if fname == "sonarqube.xml":
                e["not_in_report"] = "functions (SonarQube's generic coverage has none)"
            else:
                e["functions"] = fig(s["functions"], "gcovr --print-summary")
        cov.append(e)
    return {"project": ctx.name, "versions": {"g++": "12.2.0 (Debian bookworm)", "gcovr": "8.8"}, "coverage": cov}
