#!/usr/bin/env python3
"""temis's import graph: no two modules import each other, and no layer imports a higher one.

    python3 ci/imports.py [SRC]          # exit 1 on a cycle or a layer broken, naming them
    python3 ci/imports.py [SRC] --list   # every module and what it imports

Modules are files (`src/gate/patch.rs` is `gate::patch`); an import is a `crate::`/`super::` path
in the code (tests excluded). Layers follow docs/ARCHITECTURE.md, lowest first.
"""
import pathlib
import re
import sys

LAYERS = [
    ["model", "paths", "output", "testing"],
    ["input", "parsers", "policy", "plan", "commits", "secrets", "hooks"],
    ["gate"],
    ["render", "docs"],
    ["git", "github", "gitlab", "bitbucket", "azure", "http", "sticky"],
    ["app", "error"],
    ["mcp"],
    ["cli", "", "main", "lib"],
]
LAYER = {name: i for i, names in enumerate(LAYERS) for name in names}


def modules(root):
    mods = {}
    for p in sorted(root.rglob("*.rs")):
        parts = list(p.relative_to(root).with_suffix("").parts)
        if parts[-1] in ("mod", "lib", "main"):
            parts = parts[:-1]
        mods["::".join(parts)] = p
    return mods


def resolve(mods, cur, path):
    segs = path.split("::")
    if segs[0] == "crate":
        base, segs = [], segs[1:]
    elif segs[0] in ("super", "self"):
        base = cur.split("::") if cur else []
        while segs and segs[0] in ("super", "self"):
            if segs[0] == "super":
                base = base[:-1]
            segs = segs[1:]
    else:
        return None
    best = None
    for i in range(len(segs) + 1):
        cand = "::".join(base + segs[:i])
        if cand in mods:
            best = cand
    return best


def edges(mods):
    out = {}
    for m, p in mods.items():
        text = re.sub(r"#\[cfg\(test\)\]\s*(pub(\(crate\))? )?mod tests\s*\{.*", "", p.read_text(), flags=re.S)
        text = re.sub(r"^\s*//.*$", "", text, flags=re.M)
        paths = re.findall(r"\b((?:crate|super)(?:::[A-Za-z_][A-Za-z0-9_]*)+)", text)
        for head, group in re.findall(r"use (crate|super)::\{([^}]*)\}", text):
            paths += [f"{head}::{item.strip().split(' ')[0]}" for item in group.split(",") if item.strip()]
        deps = set()
        for u in paths:
            t = resolve(mods, m, u)
            if t is not None and t != m and not m.startswith(t + "::") and not t.startswith(m + "::"):
                deps.add(t)
        out[m] = deps
    return out


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    root = pathlib.Path(args[0] if args else "src")
    graph = edges(modules(root))
    if "--list" in sys.argv:
        for m in sorted(graph):
            print(m or "(crate)", "->", ", ".join(sorted(graph[m])))
        return 0
    problems = []
    for a in sorted(graph):
        for b in sorted(graph[a]):
            if a < b and a in graph.get(b, ()):
                problems.append(f"import circle: {a} <-> {b}")
            top_a, top_b = a.split("::")[0], b.split("::")[0]
            la, lb = LAYER.get(top_a), LAYER.get(top_b)
            if la is None or lb is None:
                problems.append(f"{a or '(crate)'} or {b}: a top-level module that no layer lists (ci/imports.py)")
            elif lb > la:
                problems.append(f"layer broken: {a} ({top_a}) imports {b} ({top_b}), a higher layer")
    for p in problems:
        print(p)
    print(f"imports: {len(graph)} modules, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
