#!/usr/bin/env python3
"""Patch coverage conformance: temis's figure equals diff-cover's on real repositories.

    python3 ci/patch_conformance.py TEMIS_BINARY [CORPUS_DIR]

Each case is a real project's history: a git repository whose base commit holds an earlier
release's sources and whose head commit holds the release the corpus report was written from
(fetched with pip and npm, the registries' own clients), with the real report the project's own
test suite produced (../shared/corpus/coverage). diff-cover (`pip install diff-cover`) and
`temis gate --base` then measure the same change; the script compares diff-cover's
`--total-percent-float` figure, its number of measured added lines and of uncovered ones.

Then files moved and rewritten in part (MOVED): a module of generated functions is moved to
another folder with a share of its functions rewritten, around git's 50 % rename threshold;
coverage.py (`pip install coverage`) measures a script calling some of them, and diff-cover and
temis measure the move. Whether each file is a rename is git's call (`git diff -M`), which
diff-cover reads and temis follows.
Prints `N passed, N failed` and exits non-zero on any difference or missing tool.
"""
import random
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile

HERE = pathlib.Path(__file__).resolve().parent.parent
CACHE = pathlib.Path(os.environ.get("TEMIS_PATCH_CACHE", HERE / "bench-data" / "patch-conformance"))

# (name, report in the corpus, registry, package, base version, head version, where sources go
#  [, the report of the same run diff-cover reads instead, when it cannot place the first's paths])
CASES = [
    ("attrs 25.4.0 -> 26.1.0 (coverage.py Cobertura)", "py-attrs-pytest-cov/coverage.xml", "pypi", "attrs", "25.4.0", "26.1.0", "src"),
    ("attrs 25.4.0 -> 26.1.0 (coverage.py LCOV)", "py-attrs-pytest-cov/coverage.lcov", "pypi", "attrs", "25.4.0", "26.1.0", "src"),
    # This Cobertura names files relative to its <source>, an absolute path on the machine that
    # wrote it (/home/ci/work/py-moreit/more_itertools-11.2.1/more_itertools). diff-cover cannot
    # place them (it measures 0 lines: "100 %" of nothing); temis resolves them by unique suffix
    # against the git tree, as Codecov's path fixing does. diff-cover's figure for the change is
    # therefore taken on the same run's LCOV, whose paths are relative to the repository.
    ("more-itertools 10.8.0 -> 11.2.1 (coverage.py Cobertura)", "py-more-itertools-subtests/coverage.xml", "pypi", "more-itertools", "10.8.0", "11.2.1", ".",
     "py-more-itertools-subtests/coverage.lcov"),
    ("more-itertools 10.8.0 -> 11.2.1 (coverage.py LCOV)", "py-more-itertools-subtests/coverage.lcov", "pypi", "more-itertools", "10.8.0", "11.2.1", "."),
    ("minimist 1.2.7 -> 1.2.8 (c8 LCOV)", "js-minimist-c8-unicode-space-path/lcov.info", "npm", "minimist", "1.2.7", "1.2.8", "."),
    ("mime-types 2.1.35 -> 3.0.2 (c8 LCOV)", "js-mime-types-c8-mocha/lcov.info", "npm", "mime-types", "2.1.35", "3.0.2", "."),
    ("mime-types 2.1.35 -> 3.0.2 (c8 Cobertura)", "js-mime-types-c8-mocha/cobertura-coverage.xml", "npm", "mime-types", "2.1.35", "3.0.2", "."),
]

ENV = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "TEMIS_"))}
ENV.update({
    "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "ci", "GIT_AUTHOR_EMAIL": "ci@example.test",
    "GIT_COMMITTER_NAME": "ci", "GIT_COMMITTER_EMAIL": "ci@example.test",
    "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z",
})


def run(cmd, cwd, check=True):
    r = subprocess.run(cmd, cwd=cwd, env=ENV, capture_output=True, text=True)
    if check and r.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
    return r


def fetch(registry, package, version):
    """The release's files, {relative path: bytes}, from the registry's own client (cached)."""
    dest = CACHE / f"{registry}-{package}-{version}"
    if not dest.exists():
        tmp = pathlib.Path(tempfile.mkdtemp(dir=CACHE.parent if CACHE.parent.exists() else None))
        if registry == "pypi":
            run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary", ":all:",
                 f"{package}=={version}", "-d", str(tmp)], cwd=tmp)
        else:
            run(["npm", "pack", "-q", f"{package}@{version}"], cwd=tmp)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(tmp), dest)
    files = {}
    for archive in dest.iterdir():
        if archive.suffix == ".whl":
            with zipfile.ZipFile(archive) as z:
                for n in z.namelist():
                    if ".dist-info/" not in n and not n.endswith("/"):
                        files[n] = z.read(n)
        elif archive.name.endswith(".tgz"):
            with tarfile.open(archive) as t:
                for m in t.getmembers():
                    if m.isfile():
                        files[m.name.split("/", 1)[1]] = t.extractfile(m).read()
    if not files:
        raise RuntimeError(f"nothing unpacked for {package} {version} in {dest}")
    return files


def commit(repo, files, under, message):
    for p in repo.iterdir():
        if p.name != ".git":
            shutil.rmtree(p) if p.is_dir() else p.unlink()
    for rel, data in files.items():
        path = repo / under / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    run(["git", "add", "-A"], cwd=repo)
    run(["git", "commit", "-q", "-m", message], cwd=repo)


# (seed, functions, share rewritten %), around git's 50 %: the first two are files git does not
# call renamed and libgit2 (which temis once followed) did (diff-cover 41.0 % of 100 lines, temis
# then 17.31 % of 52; 42.5 % of 40 against 30.0 % of 20); the others git calls renamed.
MOVED = [(1, 20, 65), (2, 8, 65), (11, 30, 40), (12, 18, 55), (31, 28, 60)]


def moved_case(tmp, seed, functions, share):
    """A repository whose head moves pkg/shapes.py to lib/geometry.py, `share` % rewritten, and
    coverage.py's Cobertura of a script calling every third function. Returns (repo, report)."""
    rnd = random.Random(seed)
    repo = pathlib.Path(tmp) / "repo"
    repo.mkdir()
    run(["git", "init", "-q", "-b", "main"], cwd=repo)

    def function(name, k):
        return (f"def {name}(x):\n    y = x * {k}\n    if y > {rnd.randint(1, 99)}:\n        return y - {k}\n"
                f"    return y + {rnd.randint(1, 99)}\n\n\n")

    old = [function(f"f{i}", rnd.randint(2, 999)) for i in range(functions)]
    (repo / "pkg").mkdir()
    (repo / "pkg" / "shapes.py").write_text("".join(old))
    run(["git", "add", "-A"], cwd=repo)
    run(["git", "commit", "-q", "-m", "base"], cwd=repo)
    run(["git", "branch", "base"], cwd=repo)
    new = [function(f"f{i}", rnd.randint(2, 999)) if rnd.randint(0, 99) < share else text for i, text in enumerate(old)]
    shutil.rmtree(repo / "pkg")
    (repo / "lib").mkdir()
    (repo / "lib" / "geometry.py").write_text("".join(new))
    calls = "".join(f"geometry.f{i}({rnd.randint(0, 9)})\n" for i in range(0, functions, 3))
    (repo / "run.py").write_text(f"import sys\nsys.path.insert(0, 'lib')\nimport geometry\n{calls}")
    run(["git", "add", "-A"], cwd=repo)
    run(["git", "commit", "-q", "-m", "move"], cwd=repo)
    run([sys.executable, "-m", "coverage", "run", "--include=lib/*", "run.py"], cwd=repo)
    report = pathlib.Path(tmp) / "coverage.xml"
    run([sys.executable, "-m", "coverage", "xml", "-o", str(report)], cwd=repo)
    return repo, report


def compare(name, temis, repo, rep, dc_rep, tmp, note=""):
    """diff-cover's figure for `base...HEAD` on `dc_rep` against temis's on `rep`: True when equal."""
    out = pathlib.Path(tmp) / "diff-cover.json"
    run(["diff-cover", str(dc_rep), "--compare-branch=base", "--total-percent-float", "--ignore-staged",
         "--ignore-unstaged", f"--format=json:{out}"], cwd=repo)
    dc = json.loads(out.read_text())
    policy = pathlib.Path(tmp) / "policy.toml"
    policy.write_text("[coverage]\nmin_patch = 0\n[tests]\nrequired = false\n")
    r = run([str(temis), "gate", "--base", "base", "--policy", str(policy), "--format", "json", str(rep)],
            cwd=repo, check=False)
    if r.returncode not in (0, 1):
        print(f"FAIL {name}: temis exited {r.returncode}\n{r.stderr}")
        return False
    fig = json.loads(r.stdout)["figures"]
    mine = (fig.get("patch_lines_total", 0), fig.get("patch_lines_total", 0) - fig.get("patch_lines_covered", 0))
    theirs = (dc["total_num_lines"], dc["total_num_violations"])
    pct = round(fig["patch_coverage"], 2) if fig.get("patch_coverage") is not None else 100.0
    same = mine == theirs and abs(pct - dc["total_percent_covered"]) < 1e-9
    verdict = "ok  " if same else "FAIL"
    print(f"{verdict} {name}: diff-cover{note} {dc['total_percent_covered']} % ({theirs[0]} lines, {theirs[1]} "
          f"uncovered), temis {pct} % ({mine[0]} lines, {mine[1]} uncovered)")
    return same


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    temis = pathlib.Path(sys.argv[1]).resolve()
    corpus = pathlib.Path(sys.argv[2] if len(sys.argv) > 2 else HERE.parent / "shared/corpus/coverage").resolve()
    if shutil.which("diff-cover") is None:
        sys.exit("error: diff-cover is not installed (pip install diff-cover)")
    if run([sys.executable, "-m", "coverage", "--version"], cwd=HERE, check=False).returncode != 0:
        sys.exit("error: coverage.py is not installed (pip install coverage)")
    for tool in ("git", "npm"):
        if shutil.which(tool) is None:
            sys.exit(f"error: {tool} is not on PATH")
    CACHE.mkdir(parents=True, exist_ok=True)
    passed = failed = 0
    for name, report, registry, package, base_v, head_v, under, *dc_report in CASES:
        report_path = corpus / report
        if not report_path.is_file():
            print(f"FAIL {name}: missing corpus report {report_path}")
            failed += 1
            continue
        with tempfile.TemporaryDirectory() as tmp:
            repo = pathlib.Path(tmp) / "repo"
            repo.mkdir()
            run(["git", "init", "-q", "-b", "main"], cwd=repo)
            commit(repo, fetch(registry, package, base_v), under, f"{package} {base_v}")
            run(["git", "branch", "base"], cwd=repo)
            commit(repo, fetch(registry, package, head_v), under, f"{package} {head_v}")
            shutil.copy(report_path, pathlib.Path(tmp) / report_path.name)
            rep = str(pathlib.Path(tmp) / report_path.name)
            dc_rep = rep
            if dc_report:
                dc_path = corpus / dc_report[0]
                dc_rep = str(pathlib.Path(tmp) / ("dc-" + dc_path.name))
                shutil.copy(dc_path, dc_rep)
            on = f" on {dc_report[0].rsplit('/', 1)[-1]}" if dc_report else ""
            same = compare(name, temis, repo, rep, dc_rep, tmp, on)
            passed += same
            failed += not same
    for seed, functions, share in MOVED:
        with tempfile.TemporaryDirectory() as tmp:
            repo, report = moved_case(tmp, seed, functions, share)
            status = run(["git", "diff", "-M", "--name-status", "base", "HEAD"], cwd=repo).stdout.split()
            how = f"renamed, {int(status[0][1:])} % similar" if status[0].startswith("R") else "not a rename to git"
            same = compare(f"module moved, {share} % rewritten (seed {seed}; {how})", temis, repo, report, report, tmp)
            passed += same
            failed += not same
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
