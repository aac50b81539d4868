"""rb-rss: the rss gem 0.2.9 with its test suite, as Debian's libruby3.1 ships it
(/usr/lib/ruby/gems/3.1.0/gems/rss-0.2.9), under Debian's SimpleCov 0.22 (lines and branches),
whole, in two suites merged by SimpleCov in one resultset, and in two separate resultsets merged
by SimpleCov.collate; patch coverage on two made changes (no Cobertura/LCOV formatter for SimpleCov
is packaged in the reachable registries, so diff-cover cannot read it: the expected patch figure
comes from the resultset by rwlib.simplecov_patch_lines). MAKE.md says the same in words."""
import re
import shutil
from pathlib import Path

from rwlib import (added_lines, apply_change, clean_env, commit_all, git, pct_round2, printed_stdout,
                   replace_tree, sh, simplecov_patch_lines, worktree)

HERE = Path(__file__).resolve().parent
# Reference reports copied into reports/ by `run.py --copy-reports` (MAKE.md; small, for the Rust tests).
REFERENCE = ["coverage/.resultset.json"]
SOURCE = Path("/usr/lib/ruby/gems/3.1.0/gems/rss-0.2.9")   # libruby3.1 (ruby3.1 3.1.2, bookworm)
HEADS = ("low", "high")
POLICY = "[coverage]\nmin_patch = 80\nmin_line = 0\n\n[tests]\nrequired = false\n"
GITIGNORE = "coverage/\n"
SHARD_A = r"--pattern=/\Atest_maker/"
SHARD_B = r"--exclude=/\Atest_maker/"


def simplecov(cwd, printed, args=(), command="Unit Tests", cov_dir="coverage"):
    env = clean_env({"SIMPLECOV_COMMAND_NAME": command, "SIMPLECOV_DIR": str(cov_dir)})
    return sh(["ruby", HERE / "simplecov_run.rb", *args], cwd=cwd, env=env, printed=printed)


def produce(ctx):
    out, pr = ctx.out, ctx.printed
    if not (SOURCE / "test" / "run-test.rb").exists():
        raise RuntimeError(f"{SOURCE}: missing (Debian's libruby3.1 ships it)")
    if ctx.repo.exists():
        shutil.rmtree(ctx.repo)
    shutil.rmtree(ctx.heads, ignore_errors=True)
    ctx.repo.mkdir(parents=True)
    git(ctx.repo, "init", "-q")
    replace_tree(ctx.repo, SOURCE)
    (ctx.repo / "temis.toml").write_text(POLICY)
    (ctx.repo / ".gitignore").write_text(GITIGNORE)
    commit_all(ctx.repo, "rss 0.2.9 as Ruby 3.1 bundles it (Debian libruby3.1)")
    git(ctx.repo, "branch", "base")
    for head in HEADS:
        git(ctx.repo, "checkout", "-q", "-b", head, "base")
        apply_change(ctx.repo, HERE / "changes" / head)
        commit_all(ctx.repo, f"feat: RSS::SizeFormat ({head} test coverage)")
    git(ctx.repo, "checkout", "-q", "base")
    repo = ctx.repo
    simplecov(repo, pr / "simplecov.txt", cov_dir=out / "coverage")
    # two suites into one coverage dir: SimpleCov merges them into one .resultset.json
    simplecov(repo, pr / "simplecov-suites-a.txt", [SHARD_A], "shard a", out / "suites")
    simplecov(repo, pr / "simplecov-suites-b.txt", [SHARD_B], "shard b", out / "suites")
    # two separate resultsets (two CI jobs), merged by SimpleCov.collate
    simplecov(repo, pr / "simplecov-shard-a.txt", [SHARD_A], "shard a", out / "shards" / "a")
    simplecov(repo, pr / "simplecov-shard-b.txt", [SHARD_B], "shard b", out / "shards" / "b")
    sh(["ruby", HERE / "collate.rb", out / "shards" / "collated", out / "shards" / "a" / ".resultset.json",
        out / "shards" / "b" / ".resultset.json"], cwd=repo, printed=pr / "simplecov-collate.txt")
    for head in HEADS:
        wt = worktree(ctx.repo, ctx.head(head), head)
        simplecov(wt, pr / f"simplecov-{head}.txt", cov_dir=out / "heads" / head)


CONSOLE = re.compile(r"^(Line|Branch) Coverage: ([\d.]+%) \((\d+) / (\d+)\)", re.M)


def console(path):
    text = printed_stdout(path)
    found = {m.group(1).lower(): m for m in CONSOLE.finditer(text)}
    html = re.search(r"^Coverage report generated for .*?(\d+ / \d+ LOC \([\d.]+%\) covered)\.", text, re.M)
    return found, (html.group(1) if html else "")


def entry(found, html, what):
    line, branch = found["line"], found["branch"]
    c, t = int(line.group(3)), int(line.group(4))
    return {"lines": {"covered": c, "total": t, "percent": pct_round2(c, t), "printed_percent": line.group(2),
                      "rule": "SimpleCov: round(2)", "source": f"{what}: {line.group(0)}" + (f"; simplecov-html: {html}" if html else "")},
            "branches": {"covered": int(branch.group(3)), "total": int(branch.group(4)),
                         "source": f"{what}: {branch.group(0)}"}}


def expected(ctx):
    pr = ctx.printed
    cov = []
    found, html = console(pr / "simplecov.txt")
    cov.append({"id": "coverage/.resultset.json", "report": "coverage/.resultset.json", "format": "simplecov",
                **entry(found, html, "SimpleCov")})
    # the second suite's run prints the merged result of both suites
    found, html = console(pr / "simplecov-suites-b.txt")
    cov.append({"id": "suites/.resultset.json", "report": "suites/.resultset.json", "format": "simplecov",
                **entry(found, html, "SimpleCov, after the second suite (both merged)")})
    for shard in ("a", "b"):
        found, html = console(pr / f"simplecov-shard-{shard}.txt")
        cov.append({"id": f"shards/{shard}/.resultset.json", "report": f"shards/{shard}/.resultset.json",
                    "format": "simplecov", **entry(found, html, f"SimpleCov, shard {shard}")})
    found, _ = console(pr / "simplecov-collate.txt")
    merged = entry(found, "", "SimpleCov.collate of both shards")
    for k in ("lines", "branches"):
        merged[k]["printed"] = merged[k]["source"].split(": ", 1)[1]
        merged[k].pop("percent", None)
    merge = [{"id": "merge shards/*/.resultset.json",
              "inputs": ["shards/a/.resultset.json", "shards/b/.resultset.json"], **merged}]
    patch = []
    for head in HEADS:
        added = added_lines(ctx.head(head), "base")
        c, t, missing = simplecov_patch_lines(ctx.out / "heads" / head / ".resultset.json", ctx.head(head), added)
        pct = round(100 * c / t, 2)
        patch.append({"id": f"patch-{head}", "head": head, "base": "base",
                      "reports": [f"heads/{head}/.resultset.json"],
                      "covered": c, "measured": t, "percent": pct, "exit": 1 if pct < 80 else 0,
                      "why": f"min_patch = 80, patch {pct}%",
                      "source": "rwlib.simplecov_patch_lines on SimpleCov's resultset (relevant added lines; "
                                f"diff-cover cannot read it): {len(missing)} uncovered"})
    return {"project": ctx.name,
            "versions": {"rss": "0.2.9 (Debian libruby3.1 3.1.2)", "ruby": "3.1.2", "simplecov": "0.22.0 (ruby-simplecov 0.22.0-1)",
                         "simplecov-html": "0.12.3", "test-unit": "3.5.3 (bundled with Ruby 3.1)"},
            "coverage": cov, "patch": patch, "merge": merge}
