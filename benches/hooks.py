#!/usr/bin/env python3
"""Benchmarks for the hooks issue. Each prints its figures; none asserts a time.

    benches/hooks.py overhead [--files 2000 10000] [--runs 40]
        What installed hooks add to `git commit`, each measured against the same commit with no
        hook, in the same run: temis's pre-commit + commit-msg (and all four temis hooks), lefthook
        running one trivial command, the pre-commit framework running one trivial hook (both when
        installed: `npm install lefthook`, `pip install pre-commit`). Median per commit.
    benches/hooks.py commit-msg [--runs 200]
        `temis commit-msg check FILE` against `commitlint --edit FILE` on the same message
        (`npm install @commitlint/cli @commitlint/config-conventional` in bench-data/node).
    benches/hooks.py patch [--sizes 48 480]
        Patch coverage of a 400-line change in 20 files, on ~48 MB and ~480 MB Cobertura and LCOV
        reports (benches/generate.py), `temis gate --base` against `diff-cover` (pip install
        diff-cover), measured in the same run.

Needs a release build (`cargo build --release`; CARGO_TARGET_DIR is honoured) and git. Data goes
to bench-data/ (git-ignored).
"""
import argparse
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent.parent
DATA = HERE / "bench-data"
TARGET = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", HERE / "target"))
TEMIS = TARGET / "release" / "temis"
NODE = DATA / "node"

ENV = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "TEMIS_", "PRE_COMMIT", "LEFTHOOK"))}
ENV.update({"GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@example.test",
            "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@example.test"})


def sh(cmd, cwd, env=None, check=True, stdin=None):
    r = subprocess.run(cmd, cwd=cwd, env=env or ENV, capture_output=True, text=True, input=stdin)
    if check and r.returncode != 0:
        raise RuntimeError(f"{cmd} failed: {r.stdout}{r.stderr}")
    return r


def timed(cmd, cwd, env=None):
    t = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env or ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t


def make_repo(path, files):
    path.mkdir(parents=True)
    sh(["git", "init", "-q", "-b", "main"], path)
    for i in range(files):
        d = path / f"src/d{i // 100:03d}"
        d.mkdir(parents=True, exist_ok=True)
        (d / f"f{i:05d}.py").write_text("".join(f"value_{i}_{k} = {k}\n" for k in range(30)))
    (path / "temis.toml").write_text("[coverage]\nmin_line = 80\n")
    sh(["git", "add", "-A"], path)
    sh(["git", "commit", "-q", "-m", "chore: start"], path)


def which_node(name):
    native = NODE / "node_modules" / "lefthook-linux-x64" / "bin" / "lefthook"  # skip npm's node wrapper
    if name == "lefthook" and native.exists():
        return native
    p = NODE / "node_modules" / ".bin" / name
    return p if p.exists() else (shutil.which(name) and pathlib.Path(shutil.which(name)))


def configure(repo, kind):
    """Installs one hook set; False when its tool is not installed."""
    if kind == "none":
        return True
    if kind == "temis pre-commit + commit-msg":
        sh([str(TEMIS), "hooks", "install", "pre-commit", "commit-msg"], repo)
        return True
    if kind == "temis, all four hooks":
        sh([str(TEMIS), "hooks", "install"], repo)
        return True
    if kind == "lefthook, one trivial command":
        lh = which_node("lefthook")
        if not lh:
            return False
        (repo / "lefthook.yml").write_text("pre-commit:\n  commands:\n    trivial:\n      run: \"true\"\n")
        sh([str(lh), "install"], repo)
        return True
    if kind == "pre-commit framework, one trivial hook":
        if not shutil.which("pre-commit"):
            return False
        (repo / ".pre-commit-config.yaml").write_text(
            "repos:\n- repo: local\n  hooks:\n  - id: trivial\n    name: trivial\n    entry: 'true'\n"
            "    language: system\n    pass_filenames: false\n")
        sh(["git", "add", ".pre-commit-config.yaml"], repo)
        sh(["git", "commit", "-q", "--no-verify", "-m", "chore: config"], repo)
        sh(["pre-commit", "install"], repo)
        return True
    raise ValueError(kind)


def overhead(args):
    kinds = ["none", "temis pre-commit + commit-msg", "temis, all four hooks",
             "lefthook, one trivial command", "pre-commit framework, one trivial hook"]
    for files in args.files:
        with tempfile.TemporaryDirectory(dir=DATA) as tmp:
            seed = pathlib.Path(tmp) / "seed"
            make_repo(seed, files)
            repos = {}
            for k in kinds:
                r = pathlib.Path(tmp) / k.replace(" ", "_").replace(",", "").replace("+", "and")
                shutil.copytree(seed, r, symlinks=True)
                repos[k] = r if configure(r, k) else None
            samples = {k: [] for k in kinds}
            # Interleaved: each round commits once in every repository, so drift hits all alike.
            for n in range(args.runs):
                for k in kinds:
                    r = repos[k]
                    if r is None:
                        continue
                    f = r / f"src/d000/f00000.py"
                    f.write_text(f.read_text() + f"extra_{n} = {n}\n")
                    sh(["git", "add", "src/d000/f00000.py"], r)
                    samples[k].append(timed(["git", "commit", "-q", "-m", f"feat: change {n}"], r))
            base = statistics.median(samples["none"])
            print(f"\n{files} files, {args.runs} commits each (median; overhead = median − no hook):")
            for k in kinds:
                if not samples[k]:
                    print(f"  {k:<42} not installed, skipped")
                    continue
                m = statistics.median(samples[k])
                extra = "" if k == "none" else f"  +{(m - base) * 1000:6.1f} ms"
                print(f"  {k:<42} {m * 1000:7.1f} ms{extra}")


MESSAGE = """feat(parser): read gzip-compressed reports

Large CI artifacts are often uploaded compressed; temis now detects the gzip
magic bytes and streams through the decoder.

Closes #42
"""


def commit_msg(args):
    DATA.mkdir(exist_ok=True)
    msg = DATA / "COMMIT_EDITMSG"
    msg.write_text(MESSAGE)
    runs = [timed([str(TEMIS), "commit-msg", "check", str(msg)], DATA) for _ in range(args.runs)]
    t = statistics.median(runs)
    print(f"temis commit-msg check: {t * 1000:.2f} ms (median of {args.runs})")
    cl = which_node("commitlint")
    if not cl:
        print("commitlint: not installed (npm install --prefix bench-data/node @commitlint/cli "
              "@commitlint/config-conventional), skipped")
        return
    (NODE / "commitlint.config.mjs").write_text("export default { extends: ['@commitlint/config-conventional'] };\n")
    c_runs = [timed([str(cl), "--edit", str(msg)], NODE) for _ in range(max(5, args.runs // 20))]
    c = statistics.median(c_runs)
    print(f"commitlint --edit:      {c * 1000:.1f} ms (median of {len(c_runs)})")
    print(f"temis is {c / t:.0f}× faster")


def make_report(fmt, size):
    """A ~size MB report from benches/generate.py, with repository-relative paths; its changed files."""
    if fmt == "cobertura":
        files = 2680 * size // 48  # ~17.9 KB of Cobertura per 400-line file
        path = lambda i: f"pkg{i // 200}/module_{i}.py"
    else:
        files = 6000 * size // 48  # ~8 KB of geninfo-style LCOV per 400-line file
        path = lambda i: f"src/component_{i // 200:03d}/module_{i:05d}.c"
    report = DATA / f"patch-{fmt}-{size}mb.{'xml' if fmt == 'cobertura' else 'info'}"
    if not report.exists():
        raw = report.with_suffix(".raw")
        sh([sys.executable, str(HERE / "benches/generate.py"), fmt, str(raw), "--files", str(files), "--lines", "400"], HERE)
        if fmt == "lcov":  # generate.py writes CI-runner absolute paths; diff-cover needs them in the repository
            with open(raw, "rb") as src, open(report, "wb") as dst:
                for line in src:
                    dst.write(line.replace(b"SF:/home/runner/work/monorepo/monorepo/", b"SF:"))
            raw.unlink()
        else:
            raw.rename(report)
    step = files // 20
    return report, files, [path(k * step) for k in range(20)]


def patch(args):
    dc = shutil.which("diff-cover")
    for fmt in args.formats:
        for size in args.sizes:
            report, files, changed = make_report(fmt, size)
            with tempfile.TemporaryDirectory(dir=DATA) as tmp:
                repo = pathlib.Path(tmp) / "repo"
                repo.mkdir()
                sh(["git", "init", "-q", "-b", "main"], repo)
                for rel in changed:
                    p = repo / rel
                    p.parent.mkdir(parents=True, exist_ok=True)
                    p.write_text("".join(f"line_{n} = {n}\n" for n in range(1, 381)))
                sh(["git", "add", "-A"], repo)
                sh(["git", "commit", "-q", "-m", "chore: base"], repo)
                sh(["git", "branch", "base"], repo)
                for rel in changed:  # 20 lines added in each of 20 files: a 400-line change
                    p = repo / rel
                    lines = p.read_text().splitlines(keepends=True)
                    p.write_text("".join(lines[:100] + [f"added_{n} = {n}\n" for n in range(20)] + lines[100:]))
                sh(["git", "commit", "-q", "-am", "feat: change"], repo)
                (repo / "p.toml").write_text("[coverage]\nmin_patch = 0\n[tests]\nrequired = false\n")
                subprocess.run(["cat", str(report)], stdout=subprocess.DEVNULL)  # page cache
                cmd = [str(TEMIS), "gate", "--base", "base", "--policy", "p.toml", "--format", "json", str(report)]
                t = statistics.median(timed(cmd, repo) for _ in range(3))
                fig = __import__("json").loads(sh(cmd, repo, check=False).stdout)["figures"]
                mb = report.stat().st_size / 1e6
                print(f"\n{mb:.0f} MB {fmt} ({files} files), 400 added lines in 20 files "
                      f"(temis: {fig.get('patch_lines_covered')}/{fig.get('patch_lines_total')} covered):")
                print(f"  temis gate --base   {t:7.2f} s")
                if not dc:
                    print("  diff-cover          not installed (pip install diff-cover), skipped")
                    continue
                d = statistics.median(timed([dc, str(report), "--compare-branch=base", "--ignore-staged",
                                             "--ignore-unstaged"], repo) for _ in range(1 if size > 100 else 3))
                print(f"  diff-cover          {d:7.2f} s")
                print(f"  temis takes 1/{d / t:.1f} of diff-cover's time")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="what", required=True)
    o = sub.add_parser("overhead")
    o.add_argument("--files", type=int, nargs="+", default=[2000, 10000])
    o.add_argument("--runs", type=int, default=40)
    c = sub.add_parser("commit-msg")
    c.add_argument("--runs", type=int, default=200)
    p = sub.add_parser("patch")
    p.add_argument("--sizes", type=int, nargs="+", default=[48, 480])
    p.add_argument("--formats", nargs="+", default=["cobertura", "lcov"], choices=["cobertura", "lcov"])
    args = ap.parse_args()
    if not TEMIS.exists():
        sys.exit(f"error: {TEMIS} is missing: cargo build --release first")
    DATA.mkdir(exist_ok=True)
    {"overhead": overhead, "commit-msg": commit_msg, "patch": patch}[args.what](args)


if __name__ == "__main__":
    main()
