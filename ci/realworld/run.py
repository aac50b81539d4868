#!/usr/bin/env python3
"""The real-world suite: temis against the numbers real producers print, on real code.

For every project folder (ci/realworld/<project>/ with a make.py), the producers are run on the
project (cached under bench-data/realworld/<project>/: a second run reuses every report), what
they print is parsed into the project's expected figures — which must equal the committed
expected.json, so a producer that starts printing something else is noticed — and temis is run on
the same reports and held to those figures. One line per assertion, ok or FAIL, then a total.

usage: ci/realworld/run.py TEMIS_BINARY [--only PROJECT]… [--list] [--allow-fail FILE]
                           [--bless] [--rebuild] [--strict] [--json FILE]

  --only PROJECT    run this project only (repeatable)
  --list            list the projects and their assertion ids, run nothing
  --allow-fail FILE assertion ids expected to fail, one a line with `# reason` (known-failures.txt):
                    they print `FAIL (known)` and do not fail the run
  --strict          an allowed failure that passes (fixed: remove it from the list) fails the run
  --bless           rewrite each project's expected.json from what the producers printed
  --rebuild         run the producers again even when their reports are cached
  --json FILE       also write every assertion as JSON
  --copy-reports    copy each project's reference reports (make.py REFERENCE) into its reports/

Exit: 0 when every assertion passed (or failed as allowed), 1 otherwise, 2 on a setup error.
The producers must be installed first: ci/realworld/install.sh.
"""
import argparse
import hashlib
import importlib.util
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rwlib  # noqa: E402
from rwlib import CACHE, HERE, sh, clean_env  # noqa: E402

# Bump when the layout of the cache changes, to rebuild every project once.
CACHE_VERSION = "1"


class Ctx:
    """Where one project's pieces are."""

    def __init__(self, name, temis):
        self.name = name
        self.dir = HERE / name                  # committed: make.py, MAKE.md, expected.json…
        self.cache = CACHE / name               # generated
        self.out = self.cache / "out"           # reports the producers wrote
        self.printed = self.out / "printed"     # what the producers printed
        self.repo = self.cache / "repo"         # the git repository, checked out at base
        self.heads = self.cache / "heads"       # one worktree per head of a patch case
        self.temis = temis

    def head(self, name):
        return self.heads / name


def load_make(name):
    spec = importlib.util.spec_from_file_location(f"make_{name.replace('-', '_')}", HERE / name / "make.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def projects():
    return sorted(p.name for p in HERE.iterdir() if (p / "make.py").is_file())


def stamp_of(name):
    """What the cached reports depend on: the project's recipe and files, the shared library,
    the pins."""
    h = hashlib.sha256(CACHE_VERSION.encode())
    paths = [HERE / "rwlib.py", HERE / "install.sh", HERE / "requirements-tools.txt",
             HERE / "requirements-py.txt", HERE / "node-tools" / "package-lock.json"]
    paths += sorted(p for p in (HERE / name).rglob("*")
                    if p.is_file() and p.name != "expected.json" and "reports" not in p.parts
                    and p.suffix != ".md" and "__pycache__" not in p.parts)
    for p in paths:
        if p.exists():
            h.update(str(p.relative_to(HERE)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


# --- temis ------------------------------------------------------------------------------------

def temis_json(ctx, args, cwd):
    proc = sh([ctx.temis, *args], cwd=cwd, ok=None, env=clean_env())
    try:
        data = json.loads(proc.stdout) if proc.stdout.strip() else None
    except json.JSONDecodeError:
        data = None
    return proc.returncode, data, proc.stderr.strip()


def temis_report(ctx, report, cwd):
    code, data, err = temis_json(ctx, ["report", "--format", "json", str(report)], cwd)
    if code != 0 or not data:
        return None, f"temis exit {code}: {first_line(err)}"
    return data["reports"][0], None


def first_line(text):
    lines = [l for l in (text or "").splitlines() if l.strip()]
    return lines[0][:160] if lines else ""


def frac(d):
    if d is None:
        return None
    return f"{d.get('covered')}/{d.get('total')}"


# --- assertions -------------------------------------------------------------------------------

class Results:
    def __init__(self):
        self.rows = []  # (id, ok, temis, producer, note)

    def add(self, aid, ok, temis, producer, note=""):
        self.rows.append({"id": aid, "ok": bool(ok), "temis": str(temis), "producer": str(producer),
                          "note": note})

    def error(self, aid, err, producer):
        self.add(aid, False, f"({err})", producer)


def judge_coverage(ctx, res, e):
    pid = f"{ctx.name}/{e['id']}"
    cwd = ctx.repo if ctx.repo.exists() else ctx.out
    rep, err = temis_report(ctx, ctx.out / e["report"], cwd)
    metrics = [m for m in ("lines", "branches", "functions") if e.get(m) is not None]
    if rep is None:
        res.error(f"{pid}/format", err, e["format"])
        for m in metrics:
            res.error(f"{pid}/{m}", err, frac(e[m]))
        res.error(f"{pid}/percent", err, e["lines"].get("printed_percent"))
        return
    cov = rep.get("coverage") or {}
    res.add(f"{pid}/format", rep.get("format") == e["format"], rep.get("format"), e["format"])
    for m in metrics:
        got = cov.get(m)
        want = e[m]
        ok = got is not None and got.get("covered") == want["covered"] and got.get("total") == want["total"]
        res.add(f"{pid}/{m}", ok, frac(got) if got else "none", frac(want), want.get("source", ""))
    lines = cov.get("lines") or {}
    want = e["lines"]
    res.add(f"{pid}/percent", lines.get("percent") == want["percent"], lines.get("percent"),
            f"{want['percent']} ({want.get('printed_percent', '')})", want.get("rule", ""))
    if e.get("combined") is not None:
        c = e["combined"]
        extra = cov.get("extra") or {}
        if "coveragepy_total" in extra:
            got = extra["coveragepy_total"]
            ok = got.get("covered") == c["covered"] and got.get("total") == c["total"]
            res.add(f"{pid}/combined", ok, frac(got), f"{frac(c)} ({c['printed_percent']})", c.get("source", ""))
        elif "coveragepy_percent_covered_display" in extra:
            got = extra["coveragepy_percent_covered_display"]
            res.add(f"{pid}/combined", got + "%" == c["printed_percent"], got + "%", c["printed_percent"],
                    c.get("source", ""))
        else:
            res.add(f"{pid}/combined", False, "(no combined figure)", f"{frac(c)} ({c['printed_percent']})",
                    c.get("source", ""))


def judge_tests(ctx, res, e):
    pid = f"{ctx.name}/{e['id']}"
    rep, err = temis_report(ctx, ctx.out / e["report"], ctx.repo if ctx.repo.exists() else ctx.out)
    want = {k: e[k] for k in ("total", "failed", "skipped")}
    if rep is None:
        res.error(f"{pid}/tests", err, want)
        return
    t = rep.get("tests") or {}
    got = {k: t.get(k) for k in ("total", "failed", "skipped")}
    res.add(f"{pid}/tests", got == want, got, f"{want} ({e['printed']})")


SEVERITIES = ("critical", "high", "medium", "low", "info", "unknown")


def judge_security(ctx, res, e):
    pid = f"{ctx.name}/{e['id']}"
    rep, err = temis_report(ctx, ctx.out / e["report"], ctx.repo if ctx.repo.exists() else ctx.out)
    want = {k: v for k, v in e["by_severity"].items() if v}
    if rep is None:
        res.error(f"{pid}/findings", err, f"{e['total']} {want}")
        return
    sec = rep.get("security") or {}
    got = {k: v for k, v in (sec.get("by_severity") or {}).items() if v}
    ok = sec.get("total") == e["total"] and got == want and rep.get("format") == e["format"]
    res.add(f"{pid}/findings", ok, f"{sec.get('total')} {got} [{rep.get('format')}]",
            f"{e['total']} {want} [{e['format']}]", e.get("source", ""))


def judge_security_gate(ctx, res, e):
    pid = f"{ctx.name}/{e['id']}"
    policy = ctx.out / "security-gate.toml"
    policy.write_text("# only the security check: coverage and tests are not required here\n"
                      "[coverage]\nrequired = false\n[tests]\nrequired = false\n")
    code, data, err = temis_json(ctx, ["gate", "--format", "json", "--policy", str(policy),
                                       *[str(ctx.out / r) for r in e["reports"]]], ctx.out)
    if not data:
        res.error(f"{pid}/findings", f"temis exit {code}: {first_line(err)}", e["total"])
        return
    got = (data.get("figures") or {}).get("security_findings")
    res.add(f"{pid}/findings", got == e["total"], got, e["total"], e.get("source", ""))


def patch_from_verdict(data):
    """Patch coverage out of a temis.verdict/v1 document: (covered, measured, percent) or None."""
    figures = data.get("figures") or {}
    for c in data.get("checks", []):
        code = c.get("code", "")
        if "patch" in code and c.get("outcome") in ("pass", "fail", "warn"):
            ev = c.get("evidence") or {}
            m = c.get("measured") or {}
            covered = ev.get("covered") if isinstance(ev, dict) else None
            total = ev.get("total") if isinstance(ev, dict) else None
            if covered is None:
                covered = figures.get("patch_lines_covered")
                total = figures.get("patch_lines_total")
            return covered, total, m.get("value"), c
    if figures.get("patch_coverage") is not None:
        return figures.get("patch_lines_covered"), figures.get("patch_lines_total"), figures["patch_coverage"], None
    return None


def judge_patch(ctx, res, e):
    pid = f"{ctx.name}/{e['id']}"
    head = ctx.head(e["head"])
    args = ["gate", "--format", "json", "--base", e["base"], *[str(ctx.out / r) for r in e["reports"]]]
    code, data, err = temis_json(ctx, args, head)
    want = f"{e['covered']}/{e['measured']} = {e['percent']}%"
    if not data:
        res.error(f"{pid}/figure", f"temis exit {code}: {first_line(err)}", want)
        if e.get("verdict_checked", True):
            res.add(f"{pid}/verdict", False, f"exit {code}", f"exit {e['exit']}", e.get("why", ""))
        return
    got = patch_from_verdict(data)
    if got is None:
        res.add(f"{pid}/figure", False, "(no patch figure)", want, e.get("source", ""))
    else:
        covered, total, percent, _ = got
        ok = covered == e["covered"] and total == e["measured"]
        res.add(f"{pid}/figure", ok, f"{covered}/{total} = {percent}%", want, e.get("source", ""))
    if e.get("verdict_checked", True):
        res.add(f"{pid}/verdict", code == e["exit"], f"exit {code} {data.get('verdict')}",
                f"exit {e['exit']}", e.get("why", ""))


def judge_merge(ctx, res, e):
    pid = f"{ctx.name}/{e['id']}"
    out = ctx.out / "temis-merge" / (e["id"].replace("/", "_") + ".json")
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists():
        out.unlink()
    cwd = ctx.repo if ctx.repo.exists() else ctx.out
    proc = sh([ctx.temis, "merge", "--output-format", "json", "-o", out,
               *[ctx.out / r for r in e["inputs"]]], cwd=cwd, ok=None)
    metrics = [m for m in ("lines", "branches", "functions") if e.get(m) is not None]
    if proc.returncode != 0 or not out.exists():
        for m in metrics:
            res.error(f"{pid}/{m}", f"temis exit {proc.returncode}: {first_line(proc.stderr)}", frac(e[m]))
        return
    data = json.loads(out.read_text())
    cov = data["reports"][0].get("coverage") or {}
    for m in metrics:
        got = cov.get(m)
        want = e[m]
        ok = got is not None and got.get("covered") == want["covered"] and got.get("total") == want["total"]
        res.add(f"{pid}/{m}", ok, frac(got) if got else "none", f"{frac(want)} ({want.get('printed', '')})"
                if want.get("printed") else frac(want), want.get("source", ""))
    # The property: the merged report, gated, gives the figures of gating its shards together.
    shards = gate_figures(ctx, [ctx.out / r for r in e["inputs"]], cwd)
    merged = gate_figures(ctx, [out], cwd)
    res.add(f"{pid}/gate", shards is not None and shards == merged, f"shards gated together: {shards}",
            f"the merged report gated: {merged}", "temis gate SHARDS… and temis gate merged.json, no threshold")


def gate_figures(ctx, reports, cwd):
    """Coverage figures of `temis gate` on REPORTS with no threshold (statements or lines covered and
    total, line and branch percent), or None when it gave none."""
    policy = ctx.out / "figures-only.toml"
    policy.write_text("# figures only: no threshold, no other report required\n"
                      "[coverage]\nmin_line = 0\n[tests]\nrequired = false\n")
    code, data, _ = temis_json(ctx, ["gate", "--format", "json", "--policy", str(policy),
                                     *[str(r) for r in reports]], cwd)
    if not data:
        return None
    f = data.get("figures") or {}
    return (f.get("lines_covered"), f.get("lines_total"), f.get("line_coverage"), f.get("branch_coverage"))


def assertion_ids(exp):
    name = exp["project"]
    ids = [f"{name}/producers"]
    for e in exp.get("coverage", []):
        ids.append(f"{name}/{e['id']}/format")
        ids += [f"{name}/{e['id']}/{m}" for m in ("lines", "branches", "functions") if e.get(m) is not None]
        ids.append(f"{name}/{e['id']}/percent")
        if e.get("combined") is not None:
            ids.append(f"{name}/{e['id']}/combined")
    ids += [f"{name}/{e['id']}/tests" for e in exp.get("tests", [])]
    ids += [f"{name}/{e['id']}/findings" for e in exp.get("security", []) + exp.get("security_gate", [])]
    for e in exp.get("patch", []):
        ids.append(f"{name}/{e['id']}/figure")
        if e.get("verdict_checked", True):
            ids.append(f"{name}/{e['id']}/verdict")
    for e in exp.get("merge", []):
        ids += [f"{name}/{e['id']}/{m}" for m in ("lines", "branches", "functions") if e.get(m) is not None]
        ids.append(f"{name}/{e['id']}/gate")
    return ids


def compare_expected(fresh, committed):
    """Differences between what the producers printed now and the committed expected.json."""
    diffs = []

    def walk(a, b, path):
        if isinstance(a, dict) and isinstance(b, dict):
            for k in sorted(set(a) | set(b)):
                walk(a.get(k), b.get(k), f"{path}.{k}" if path else k)
        elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            for i, (x, y) in enumerate(zip(a, b)):
                walk(x, y, f"{path}[{i}]")
        elif a != b:
            diffs.append(f"{path}: now {json.dumps(a)[:80]}, committed {json.dumps(b)[:80]}")
    walk(fresh, committed, "")
    return diffs


def run_project(name, temis, args, res):
    ctx = Ctx(name, temis)
    mod = load_make(name)
    stamp = stamp_of(name)
    stamp_file = ctx.out / ".stamp"
    t0 = time.time()
    if args.rebuild or not stamp_file.exists() or stamp_file.read_text() != stamp:
        rwlib.log(f"[{name}] running the producers (cache: {ctx.cache})")
        if ctx.out.exists():
            import shutil
            shutil.rmtree(ctx.out)
        ctx.out.mkdir(parents=True)
        mod.produce(ctx)
        stamp_file.write_text(stamp)
        rwlib.log(f"[{name}] producers done in {time.time() - t0:.0f}s")
    else:
        rwlib.log(f"[{name}] producers cached")
    fresh = mod.expected(ctx)
    exp_file = ctx.dir / "expected.json"
    if args.bless or not exp_file.exists():
        rwlib.write_json(exp_file, fresh)
        rwlib.log(f"[{name}] wrote {exp_file.relative_to(HERE.parent.parent)}")
    committed = json.loads(exp_file.read_text())
    diffs = compare_expected(fresh, committed)
    res.add(f"{name}/producers", not diffs, "; ".join(diffs[:3]) or "same as expected.json",
            "expected.json", "the producers print what expected.json records (else: --bless after review)")
    if args.copy_reports:
        import shutil
        for rel in getattr(mod, "REFERENCE", []):
            dst = ctx.dir / "reports" / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(ctx.out / rel, dst)
    for e in committed.get("coverage", []):
        judge_coverage(ctx, res, e)
    for e in committed.get("tests", []):
        judge_tests(ctx, res, e)
    for e in committed.get("security", []):
        judge_security(ctx, res, e)
    for e in committed.get("security_gate", []):
        judge_security_gate(ctx, res, e)
    for e in committed.get("patch", []):
        judge_patch(ctx, res, e)
    for e in committed.get("merge", []):
        judge_merge(ctx, res, e)


def read_allow(path):
    allow = {}
    for raw in Path(path).read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        aid, _, reason = line.partition("#")
        allow[aid.strip()] = reason.strip()
    return allow


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("temis", nargs="?")
    ap.add_argument("--only", action="append", default=[])
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--allow-fail")
    ap.add_argument("--strict", action="store_true")
    ap.add_argument("--bless", action="store_true")
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--json")
    ap.add_argument("--copy-reports", action="store_true")
    args = ap.parse_args()
    names = projects()
    unknown = [o for o in args.only if o not in names]
    if unknown:
        print(f"error: unknown project(s) {', '.join(unknown)}; known: {', '.join(names)}", file=sys.stderr)
        return 2
    if args.only:
        names = [n for n in names if n in args.only]
    if args.list:
        for n in names:
            exp = HERE / n / "expected.json"
            print(n)
            if exp.exists():
                for aid in assertion_ids(json.loads(exp.read_text())):
                    print(f"  {aid}")
        return 0
    if not args.temis:
        ap.error("TEMIS_BINARY is required (unless --list)")
    temis = Path(args.temis).resolve()
    if not temis.is_file():
        print(f"error: {args.temis}: no such temis binary", file=sys.stderr)
        return 2
    allow = read_allow(args.allow_fail) if args.allow_fail else {}
    res = Results()
    t0 = time.time()
    for n in names:
        try:
            run_project(n, str(temis), args, res)
        except rwlib.CommandFailed as e:
            print(f"error: [{n}] a producer failed: {e}", file=sys.stderr)
            print("  (is everything installed? ci/realworld/install.sh)", file=sys.stderr)
            return 2
    width = max(len(r["id"]) for r in res.rows)
    failed = known = fixed = 0
    for r in res.rows:
        if r["ok"]:
            status = "ok"
            if r["id"] in allow:
                status = "ok (FIXED: remove from the allow list)"
                fixed += 1
        elif r["id"] in allow:
            status = "FAIL (known)"
            known += 1
        else:
            status = "FAIL"
            failed += 1
        r["status"] = status
        print(f"{status:<5} {r['id']:<{width}}  temis: {r['temis']}  |  producer: {r['producer']}")
    ran = {r["id"] for r in res.rows}
    stale = [a for a in allow if a not in ran and any(a.startswith(n + "/") for n in names)]
    for a in stale:
        print(f"warning: allow-list id {a} matched no assertion", file=sys.stderr)
    passed = sum(r["ok"] for r in res.rows)
    print(f"\n{len(res.rows)} assertions: {passed} ok, {failed} FAIL, {known} known failures"
          f"{f', {fixed} fixed' if fixed else ''} ({time.time() - t0:.0f}s)")
    if args.json:
        rwlib.write_json(args.json, res.rows)
    if failed or (args.strict and fixed):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
