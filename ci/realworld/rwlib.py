"""Shared pieces of the real-world suite: the cache, commands, pinned git, printed-output parsers.

Everything here is Python 3 standard library. The producers themselves (pytest-cov, c8, go, …) are
installed by install.sh and found under the cache directory (CACHE below) or on PATH (apt).
"""
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent.parent
# The cache: downloads, venvs, node_modules, project checkouts, reports, printed outputs.
CACHE = Path(os.environ.get("REALWORLD_CACHE", REPO_ROOT / "bench-data" / "realworld")).resolve()
VENV_TOOLS = CACHE / "venv-tools"   # bandit, semgrep, diff-cover, gcovr
VENV_PY = CACHE / "venv-py"         # pytest, pytest-cov, coverage: the Python project's test env
NODE_TOOLS = CACHE / "node-tools"   # c8, nyc, tape (npm ci from ci/realworld/node-tools)
DL = CACHE / "dl"                   # downloaded sdists, npm tarballs, Debian source tarballs

# Pinned identity and dates for every commit the suite makes (reproducible hashes).
GIT_DATE = "2024-06-01T12:00:00+00:00"


def clean_env(extra=None):
    """The environment producers and temis run in: no GIT_*, no CI variables, no colour."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GIT_", "GITHUB_", "TEMIS_", "COV_", "NYC_", "SIMPLECOV"))
           and k not in ("CI", "NO_COLOR", "FORCE_COLOR", "PYTHONPATH", "NODE_OPTIONS")}
    env.update({
        "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8", "TZ": "UTC", "NO_COLOR": "1",
        "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_AUTHOR_NAME": "temis realworld", "GIT_AUTHOR_EMAIL": "realworld@temis.invalid",
        "GIT_COMMITTER_NAME": "temis realworld", "GIT_COMMITTER_EMAIL": "realworld@temis.invalid",
        "GIT_AUTHOR_DATE": GIT_DATE, "GIT_COMMITTER_DATE": GIT_DATE,
        # semgrep: no metrics, no version check, no network with local rules
        "SEMGREP_SEND_METRICS": "off", "SEMGREP_ENABLE_VERSION_CHECK": "0",
        # go: Debian's toolchain and sources only, never the module proxy
        "GOPROXY": "off", "GOFLAGS": "-mod=mod", "GOTOOLCHAIN": "local", "GONOSUMDB": "*",
        "GOSUMDB": "off", "GOCACHE": str(CACHE / "go" / "cache"), "GOPATH": str(CACHE / "go" / "path"),
        "CGO_ENABLED": "0",
    })
    if extra:
        env.update(extra)
    return env


class CommandFailed(Exception):
    pass


def sh(cmd, cwd, env=None, printed=None, ok=(0,), timeout=900, stdin=None):
    """Run CMD (a list) in CWD; keep what it printed in PRINTED (a path) when given.

    Returns the completed process; raises CommandFailed when the exit code is not in OK."""
    proc = subprocess.run([str(c) for c in cmd], cwd=str(cwd), env=env or clean_env(),
                          capture_output=True, text=True, timeout=timeout, input=stdin)
    if printed is not None:
        Path(printed).parent.mkdir(parents=True, exist_ok=True)
        Path(printed).write_text(f"$ {' '.join(map(str, cmd))}\n(exit {proc.returncode})\n"
                                 f"--- stdout\n{proc.stdout}--- stderr\n{proc.stderr}")
    if ok is not None and proc.returncode not in ok:
        raise CommandFailed(f"{' '.join(map(str, cmd))} (in {cwd}) exited {proc.returncode}:\n"
                            f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return proc


def printed_stdout(path):
    """The stdout part of a file written by sh(printed=…)."""
    text = Path(path).read_text()
    return text.split("--- stdout\n", 1)[1].split("--- stderr\n", 1)[0]


def printed_all(path):
    text = Path(path).read_text()
    return text.split("--- stdout\n", 1)[1].replace("--- stderr\n", "")


def git(repo, *args, ok=(0,)):
    return sh(["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false",
               "-c", "core.autocrlf=false", *args], cwd=repo, ok=ok).stdout


def commit_all(repo, message):
    git(repo, "add", "-A", "-f", ".")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def replace_tree(repo, src):
    """Make REPO's work tree (all but .git) a copy of SRC."""
    for p in Path(repo).iterdir():
        if p.name == ".git":
            continue
        shutil.rmtree(p) if p.is_dir() and not p.is_symlink() else p.unlink()
    for p in Path(src).iterdir():
        dst = Path(repo) / p.name
        shutil.copytree(p, dst, symlinks=True) if p.is_dir() else shutil.copy2(p, dst)


def apply_change(repo, change_dir):
    """Apply a change folder: FILE.append is appended to FILE, any other file is copied in."""
    change_dir = Path(change_dir)
    for src in sorted(change_dir.rglob("*")):
        if src.is_dir():
            continue
        rel = src.relative_to(change_dir)
        if src.name.endswith(".append"):
            dst = Path(repo) / str(rel)[: -len(".append")]
            with open(dst, "a") as f:
                f.write(src.read_text())
        else:
            dst = Path(repo) / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)


def worktree(repo, path, rev):
    """A fresh git worktree of REPO at REV in PATH (replacing an old one)."""
    path = Path(path)
    if path.exists():
        git(repo, "worktree", "remove", "--force", str(path), ok=None)
        shutil.rmtree(path, ignore_errors=True)
    git(repo, "worktree", "prune")
    git(repo, "worktree", "add", "-q", "--detach", str(path), rev)
    return path


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def check_sha(path, want):
    got = sha256(path)
    if got != want:
        raise CommandFailed(f"{path}: sha256 {got}, pinned {want}: the registry served another file")


def untar(tarball, dest, strip=1):
    dest = Path(dest)
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    sh(["tar", "xf", tarball, "-C", dest, f"--strip-components={strip}"], cwd=dest)
    return dest


def write_json(path, data):
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(data, indent=2, sort_keys=False) + "\n")


# --- percent rules: how each producer turns counts into the figure it prints -------------------

def pct_round2(covered, total):
    """The exact ratio rounded half-even at 2 decimals (coverage.py at precision 2, SimpleCov's
    `round(2)`, and the 2-decimal figure of producers that print fewer decimals)."""
    if total == 0:
        return 100.0
    from decimal import Decimal, ROUND_HALF_EVEN
    exact = Decimal(covered * 100) / Decimal(total)
    return float(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN))


def pct_trunc2(covered, total):
    """Istanbul: floor(covered * 10000 / total) / 100, 100 when there is nothing to cover."""
    if total == 0:
        return 100.0
    return (covered * 10000 // total) / 100


RULES = {"round2": pct_round2, "trunc2": pct_trunc2}


# --- parsers of what producers print ---------------------------------------------------------

def parse_coveragepy_total(text):
    """The TOTAL row of `coverage report` / pytest-cov's term report.

    Returns dict(stmts, miss, branch, brpart, cover) (branch/brpart None without branches)."""
    for line in text.splitlines():
        if line.startswith("TOTAL"):
            parts = line.split()
            if len(parts) == 4:
                return {"stmts": int(parts[1]), "miss": int(parts[2]), "branch": None,
                        "brpart": None, "cover": parts[3], "row": line.strip()}
            if len(parts) == 6:
                return {"stmts": int(parts[1]), "miss": int(parts[2]), "branch": int(parts[3]),
                        "brpart": int(parts[4]), "cover": parts[5], "row": line.strip()}
    raise ValueError("no TOTAL row in coverage.py output")


ISTANBUL_SUMMARY = re.compile(
    r"^(Statements|Branches|Functions|Lines)\s*:\s*([\d.]+|Unknown)%\s*\(\s*(\d+)/(\d+)\s*\)", re.M)


def parse_istanbul_text_summary(text):
    """Istanbul's text-summary block: {"Lines": (covered, total, "98.5%", line)}."""
    out = {}
    for m in ISTANBUL_SUMMARY.finditer(text):
        out[m.group(1)] = {"covered": int(m.group(3)), "total": int(m.group(4)),
                           "printed": m.group(0).strip()}
    if len(out) != 4:
        raise ValueError("no Istanbul text-summary block")
    return out


GCOVR_SUMMARY = re.compile(r"^(lines|functions|branches|conditions|decisions|calls):\s+"
                           r"([\d.]+%|-+%?|n/a)\s*\((\d+) out of (\d+)\)", re.M)


def parse_gcovr_summary(text):
    out = {}
    for m in GCOVR_SUMMARY.finditer(text):
        out[m.group(1)] = {"covered": int(m.group(3)), "total": int(m.group(4)),
                           "printed": m.group(0).strip()}
    if "lines" not in out:
        raise ValueError("no gcovr --print-summary block")
    return out


LCOV_SUMMARY = re.compile(r"^\s*(lines|functions|branches)\.+:\s+([\d.]+%)\s+\((\d+) of (\d+) \w+\)",
                          re.M)


def parse_lcov_summary(text):
    """`lcov --summary`: {"lines": {covered, total, printed}, …} ("no data found" omitted)."""
    out = {}
    for m in LCOV_SUMMARY.finditer(text):
        out[m.group(1)] = {"covered": int(m.group(3)), "total": int(m.group(4)),
                           "printed": m.group(0).strip()}
    if "lines" not in out:
        raise ValueError("no lcov --summary block")
    return out


DIFF_COVER = re.compile(r"^Total:\s+(\d+) lines?\s*$.*?^Missing:\s+(\d+) lines?\s*$.*?^Coverage:\s+([\d.]+)%",
                        re.M | re.S)


def parse_diff_cover(text):
    m = DIFF_COVER.search(text)
    if not m:
        if "No lines with coverage information in this diff." in text:
            return {"measured": 0, "missing": 0, "percent": None, "printed": "No lines with coverage information in this diff."}
        raise ValueError("no diff-cover total in output")
    return {"measured": int(m.group(1)), "missing": int(m.group(2)), "percent": float(m.group(3)),
            "printed": " / ".join(l.strip() for l in m.group(0).splitlines() if l.strip())}


# --- Go cover profiles, the way cmd/go and go tool cover read them ----------------------------

GO_LINE = re.compile(r"^(.+):([0-9]+)\.([0-9]+),([0-9]+)\.([0-9]+) ([0-9]+) ([0-9]+)$")


def go_profile_blocks(path):
    """Blocks of a cover profile merged as golang.org/x/tools/cover.ParseProfiles does: one `mode:`
    line (repeated ones, as in a concatenation, skipped), duplicate blocks of a file merged (set: or,
    count/atomic: summed). Returns (mode, {file: {(sl, sc, el, ec): [numstmt, count]}})."""
    mode = None
    files = {}
    for raw in Path(path).read_text().splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("mode:"):
            m = line.split(":", 1)[1].strip()
            if mode is None:
                mode = m
            continue
        g = GO_LINE.match(line)
        if not g:
            raise ValueError(f"{path}: not a cover profile line: {line}")
        key = tuple(int(g.group(i)) for i in (2, 3, 4, 5))
        n, c = int(g.group(6)), int(g.group(7))
        blocks = files.setdefault(g.group(1), {})
        if key in blocks:
            old = blocks[key]
            if old[0] != n:
                raise ValueError(f"{path}: inconsistent NumStmt for {g.group(1)}:{key}")
            old[1] = (old[1] | c) if mode == "set" else old[1] + c
        else:
            blocks[key] = [n, c]
    return mode, files


def go_statements(path, pkg=None):
    """Statements and covered statements over every block (what `go test -cover` prints), for the
    files of the package with import path PKG when given."""
    _, files = go_profile_blocks(path)
    total = covered = 0
    for f, blocks in files.items():
        if pkg and f.rsplit("/", 1)[0] != pkg:
            continue
        for n, c in blocks.values():
            total += n
            covered += n if c > 0 else 0
    return covered, total


def go_patch_lines(path, module, added):
    """The patch figure diff-cover would give a Cobertura conversion of a Go profile, computed on
    the profile itself (no converter is packaged in the reachable registries): a line is measured
    when a block spans it, covered when any block spanning it ran. ADDED = {repo path: set(lines)};
    profile files are import paths, MODULE/ stripped. Returns (covered, measured, uncovered lines)."""
    _, files = go_profile_blocks(path)
    line_hits = {}
    for f, blocks in files.items():
        rel = f[len(module) + 1:] if f.startswith(module + "/") else f
        for (sl, _sc, el, _ec), (_n, c) in blocks.items():
            for ln in range(sl, el + 1):
                key = (rel, ln)
                line_hits[key] = max(line_hits.get(key, 0), c)
    covered = measured = 0
    missing = []
    for f, lines in added.items():
        for ln in sorted(lines):
            if (f, ln) in line_hits:
                measured += 1
                if line_hits[(f, ln)] > 0:
                    covered += 1
                else:
                    missing.append(f"{f}:{ln}")
    return covered, measured, missing


def added_lines(repo, base, head="HEAD"):
    """Lines added by merge-base(BASE, HEAD)..HEAD, as diff-cover reads them (git diff -U0)."""
    out = git(repo, "-c", "diff.mnemonicprefix=no", "-c", "diff.noprefix=no", "diff", "--no-color",
              "--no-ext-diff", "-U0", f"{base}...{head}")
    added, current, ln = {}, None, 0
    for line in out.splitlines():
        if line.startswith("+++ "):
            current = None if line[4:] == "/dev/null" else line[6:]
        elif line.startswith("@@"):
            m = re.match(r"@@ -\S+ \+(\d+)(?:,(\d+))? @@", line)
            ln = int(m.group(1))
        elif line.startswith("+") and current is not None:
            added.setdefault(current, set()).add(ln)
            ln += 1
    return added


def simplecov_patch_lines(resultset, root, added):
    """Patch figure from a SimpleCov .resultset.json (suites summed per line; nil = not relevant):
    Returns (covered, measured, uncovered lines). ROOT is the absolute project root of the run."""
    data = json.loads(Path(resultset).read_text())
    hits = {}
    for suite in data.values():
        for path, cov in suite["coverage"].items():
            lines = cov["lines"] if isinstance(cov, dict) else cov
            rel = os.path.relpath(path, root)
            for i, h in enumerate(lines):
                if h is None or h == "ignored":
                    continue
                hits[(rel, i + 1)] = hits.get((rel, i + 1), 0) + h
    covered = measured = 0
    missing = []
    for f, lines in added.items():
        for ln in sorted(lines):
            if (f, ln) in hits:
                measured += 1
                if hits[(f, ln)] > 0:
                    covered += 1
                else:
                    missing.append(f"{f}:{ln}")
    return covered, measured, missing


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# --- fetching project sources from the registries (cached in DL, checked against pinned sums) ---

def fetch_pypi_sdist(name, version, sha):
    """The sdist NAME==VERSION from PyPI (pip download), checked against SHA."""
    DL.mkdir(parents=True, exist_ok=True)
    path = DL / f"{name}-{version}.tar.gz"
    if not path.exists():
        sh([VENV_TOOLS / "bin" / "pip", "download", "-q", "--disable-pip-version-check", "--no-deps",
            "--no-binary", ":all:", "-d", DL, f"{name}=={version}"], cwd=DL)
    check_sha(path, sha)
    return path


def fetch_npm_tarball(name, version, sha):
    """The npm package tarball NAME@VERSION (npm pack), checked against SHA."""
    DL.mkdir(parents=True, exist_ok=True)
    path = DL / f"{name}-{version}.tgz"
    if not path.exists():
        sh(["npm", "pack", "--silent", f"{name}@{version}", "--pack-destination", DL], cwd=DL)
    check_sha(path, sha)
    return path


def fetch_debian_orig(source, upstream_version, sha, suite="bookworm"):
    """The upstream tarball of a Debian source package (apt-get source --download-only, with a
    private apt configuration under the cache: the machine's sources.list is not touched)."""
    DL.mkdir(parents=True, exist_ok=True)
    found = sorted(DL.glob(f"{source}_{upstream_version}.orig.tar.*"))
    if not found:
        apt = CACHE / "apt-src"
        (apt / "lists" / "partial").mkdir(parents=True, exist_ok=True)
        (apt / "cache" / "archives" / "partial").mkdir(parents=True, exist_ok=True)
        (apt / "src.sources").write_text(
            "Types: deb-src\nURIs: http://deb.debian.org/debian\n"
            f"Suites: {suite} {suite}-updates\nComponents: main\n"
            "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n")
        opts = ["-o", f"Dir::Etc::SourceList={apt / 'src.sources'}", "-o", "Dir::Etc::SourceParts=/nonexistent",
                "-o", f"Dir::State::Lists={apt / 'lists'}", "-o", f"Dir::Cache={apt / 'cache'}",
                "-o", "APT::Sandbox::User=root"]
        sh(["apt-get", *opts, "-qq", "update"], cwd=DL)
        sh(["apt-get", *opts, "-qq", "source", "--download-only", source], cwd=DL)
        found = sorted(DL.glob(f"{source}_{upstream_version}.orig.tar.*"))
        if not found:
            raise CommandFailed(f"apt-get source {source}: no {upstream_version} upstream tarball")
    check_sha(found[0], sha)
    return found[0]
