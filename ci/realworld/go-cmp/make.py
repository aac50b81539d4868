"""go-cmp: github.com/google/go-cmp 0.5.9 as Debian ships it (golang-github-google-go-cmp-dev, the
module with its tests), under go test -coverprofile (set, atomic), per-package and -coverpkg
profiles, go tool cover -func, gotestsum --junitfile; patch coverage on two made changes (no
converter to Cobertura is packaged in the reachable registries, so diff-cover cannot read Go
profiles: the expected patch figure is computed from the profile by rwlib.go_patch_lines).
MAKE.md says the same in words."""
import re
import shutil
from pathlib import Path

from rwlib import (added_lines, apply_change, clean_env, commit_all, git, go_patch_lines, go_statements,
                   pct_round2, printed_stdout, replace_tree, sh, worktree)

HERE = Path(__file__).resolve().parent
# Reference reports copied into reports/ by `run.py --copy-reports` (MAKE.md; small, for the Rust tests).
REFERENCE = ["coverpkg/cmp.out", "coverpkg/cmpopts.out", "pkg/cmpopts.out"]
SOURCE = Path("/usr/share/gocode/src/github.com/google/go-cmp")   # golang-github-google-go-cmp-dev 0.5.9-1
MODULE = "github.com/google/go-cmp"
HEADS = ("low", "high")
POLICY = "[coverage]\nmin_patch = 80\nmin_line = 0\n\n[tests]\nrequired = false\n"
# The packages tested. cmp/internal/value is left out: its tests sort map keys in Go's random map
# order, so its coverage changes from run to run (127 or 128 of 142 statements), and a reference
# must not. The other packages give the same statements on every run.
TESTED = ["./cmp", "./cmp/cmpopts", "./cmp/internal/diff", "./cmp/internal/function"]
COVERPKG_LIST = ",".join(TESTED)
# The two packages whose -coverpkg profiles overlap (both cover cmp and its internals).
COVERPKG = {"cmp": "./cmp", "cmpopts": "./cmp/cmpopts"}
PACKAGES = {"cmp": "./cmp", "cmpopts": "./cmp/cmpopts", "diff": "./cmp/internal/diff"}


def go(args, cwd, printed):
    return sh(["go", *args], cwd=cwd, printed=printed, env=clean_env())


def produce(ctx):
    out, pr = ctx.out, ctx.printed
    if not (SOURCE / "go.mod").exists():
        raise RuntimeError(f"{SOURCE}: missing; apt-get install golang-github-google-go-cmp-dev (install.sh)")
    if ctx.repo.exists():
        shutil.rmtree(ctx.repo)
    shutil.rmtree(ctx.heads, ignore_errors=True)
    ctx.repo.mkdir(parents=True)
    git(ctx.repo, "init", "-q")
    replace_tree(ctx.repo, SOURCE)
    (ctx.repo / "temis.toml").write_text(POLICY)
    commit_all(ctx.repo, "go-cmp 0.5.9 as Debian bookworm ships it")
    git(ctx.repo, "branch", "base")
    for head in HEADS:
        git(ctx.repo, "checkout", "-q", "-b", head, "base")
        apply_change(ctx.repo, HERE / "changes" / head)
        commit_all(ctx.repo, f"feat(cmpopts): FormatSize and ParseSize ({head} test coverage)")
    git(ctx.repo, "checkout", "-q", "base")
    repo = ctx.repo
    go(["test", "-cover", *TESTED], repo, pr / "go-test-cover.txt")
    for mode in ("set", "atomic"):
        go(["test", f"-covermode={mode}", f"-coverprofile={out}/cover-{mode}.out", *TESTED], repo,
           pr / f"go-test-{mode}.txt")
        go(["tool", "cover", f"-func={out}/cover-{mode}.out"], repo, pr / f"go-cover-func-{mode}.txt")
    (out / "pkg").mkdir()
    for name, pkg in PACKAGES.items():
        go(["test", f"-coverprofile={out}/pkg/{name}.out", pkg], repo, pr / f"go-test-pkg-{name}.txt")
    (out / "coverpkg").mkdir()
    merged = ["mode: set"]
    for name, pkg in COVERPKG.items():
        go(["test", "-covermode=set", f"-coverpkg={COVERPKG_LIST}", f"-coverprofile={out}/coverpkg/{name}.out", pkg], repo,
           pr / f"go-test-coverpkg-{name}.txt")
        merged += [l for l in (out / "coverpkg" / f"{name}.out").read_text().splitlines()[1:] if l.strip()]
    # The concatenation with the mode line once, as go tool cover reads several profiles.
    (out / "coverpkg" / "concatenated.out").write_text("\n".join(merged) + "\n")
    go(["tool", "cover", f"-func={out}/coverpkg/concatenated.out"], repo, pr / "go-cover-func-coverpkg.txt")
    sh(["gotestsum", "--format", "pkgname", "--junitfile", out / "junit.xml", "--", *TESTED], cwd=repo,
       env=clean_env(), printed=pr / "gotestsum.txt")
    for head in HEADS:
        wt = worktree(ctx.repo, ctx.head(head), head)
        d = out / "heads" / head
        d.mkdir(parents=True)
        go(["test", f"-coverprofile={d}/cover.out", *TESTED], wt, pr / f"go-test-{head}.txt")


def go_test_percents(text):
    """{import path: "93.5%"} from go test's `ok  PKG  0.1s  coverage: 93.5% of statements[ in …]`."""
    return {m.group(1): m.group(2) for m in
            re.finditer(r"^ok\s+(\S+)\s+\S+\s+coverage: ([\d.]+%) of statements", text, re.M)}


def func_total(text):
    return re.search(r"^total:\s+\(statements\)\s+([\d.]+%)", text, re.M).group(1)


def check_pct(covered, total, printed, what):
    mine = f"{100 * covered / total if total else 0:.1f}%"
    if mine != printed:
        raise AssertionError(f"{what}: statements {covered}/{total} = {mine}, go printed {printed}")


def expected(ctx):
    pr, out = ctx.printed, ctx.out
    cov = []
    for mode in ("set", "atomic"):
        per_pkg = go_test_percents(printed_stdout(pr / f"go-test-{mode}.txt"))
        assert per_pkg == go_test_percents(printed_stdout(pr / "go-test-cover.txt")), "go test -cover disagrees"
        c, t = go_statements(out / f"cover-{mode}.out")
        # the script's per-package statements agree with go test's own line for every package
        for pkg, printed in per_pkg.items():
            pc, ptot = go_statements(out / f"cover-{mode}.out", pkg=pkg)
            check_pct(pc, ptot, printed, f"{pkg} ({mode})")
        ftotal = func_total(printed_stdout(pr / f"go-cover-func-{mode}.txt"))
        cov.append({"id": f"cover-{mode}.out", "report": f"cover-{mode}.out", "format": "gocover",
                    "lines": {"covered": c, "total": t, "percent": pct_round2(c, t),
                              "printed_percent": f"go tool cover -func total {ftotal}",
                              "rule": "statements (what go test -cover counts), 2 decimals",
                              "source": "Σ NumStmt of the profile's blocks; go test -cover per package: "
                                        + ", ".join(f"{k.rsplit('/', 1)[-1]} {v}" for k, v in sorted(per_pkg.items()))}})
    for name, pkg in PACKAGES.items():
        text = printed_stdout(pr / f"go-test-pkg-{name}.txt")
        printed = next(iter(go_test_percents(text).values()))
        c, t = go_statements(out / "pkg" / f"{name}.out")
        check_pct(c, t, printed, f"pkg/{name}.out")
        cov.append({"id": f"pkg/{name}.out", "report": f"pkg/{name}.out", "format": "gocover",
                    "lines": {"covered": c, "total": t, "percent": pct_round2(c, t), "printed_percent": printed,
                              "rule": "statements, 2 decimals (go prints 1)",
                              "source": f"go test -coverprofile {pkg}: coverage: {printed} of statements"}})
    for name, pkg in COVERPKG.items():
        text = printed_stdout(pr / f"go-test-coverpkg-{name}.txt")
        printed = re.search(r"coverage: ([\d.]+%) of statements in ", text).group(1)
        c, t = go_statements(out / "coverpkg" / f"{name}.out")
        check_pct(c, t, printed, f"coverpkg/{name}.out")
        cov.append({"id": f"coverpkg/{name}.out", "report": f"coverpkg/{name}.out", "format": "gocover",
                    "lines": {"covered": c, "total": t, "percent": pct_round2(c, t), "printed_percent": printed,
                              "rule": "statements, 2 decimals (go prints 1)",
                              "source": f"go test -coverpkg={COVERPKG_LIST} {pkg}: coverage: {printed} of statements in …"}})
    c, t = go_statements(out / "coverpkg" / "concatenated.out")
    ftotal = func_total(printed_stdout(pr / "go-cover-func-coverpkg.txt"))
    merge = [{"id": "merge coverpkg/*.out", "inputs": ["coverpkg/cmp.out", "coverpkg/cmpopts.out"],
              "lines": {"covered": c, "total": t, "printed": f"go tool cover -func total {ftotal}",
                        "source": "the concatenated profile (mode line once), blocks merged as go tool cover does"}}]
    cov.append({"id": "coverpkg/concatenated.out", "report": "coverpkg/concatenated.out", "format": "gocover",
                "lines": {"covered": c, "total": t, "percent": pct_round2(c, t),
                          "printed_percent": f"go tool cover -func total {ftotal}",
                          "rule": "statements, 2 decimals", "source": "the concatenation go tool cover reads"}})
    gs = printed_stdout(pr / "gotestsum.txt")
    m = re.search(r"^DONE (\d+) tests(?:, (\d+) skipped)?(?:, (\d+) failures?)?", gs, re.M)
    tests = [{"id": "junit.xml", "report": "junit.xml", "total": int(m.group(1)),
              "skipped": int(m.group(2) or 0), "failed": int(m.group(3) or 0),
              "printed": re.sub(r" in [\d.]+s$", "", m.group(0)), "source": "gotestsum's DONE line"}]
    patch = []
    for head in HEADS:
        added = added_lines(ctx.head(head), "base")
        c, t, missing = go_patch_lines(out / "heads" / head / "cover.out", MODULE, added)
        pct = round(100 * c / t, 2)
        patch.append({"id": f"patch-{head}", "head": head, "base": "base", "reports": [f"heads/{head}/cover.out"],
                      "covered": c, "measured": t, "percent": pct, "exit": 1 if pct < 80 else 0,
                      "why": f"min_patch = 80, patch {pct}%",
                      "source": "rwlib.go_patch_lines on the profile (diff-cover cannot read Go profiles): "
                                f"{len(missing)} uncovered added lines"})
    return {"project": ctx.name,
            "versions": {"go-cmp": "0.5.9 (golang-github-google-go-cmp-dev 0.5.9-1)", "go": "1.19.8 (golang-1.19-go)",
                         "gotestsum": "1.8.2 (Debian 1.8.2-1+b3)"},
            "coverage": cov, "tests": tests, "patch": patch, "merge": merge}
