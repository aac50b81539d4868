#!/usr/bin/env python3
"""Regenerates tests/fixtures/commits/commitlint-cases.json: each message's broken rules according
to commitlint itself (`npm install @commitlint/cli @commitlint/config-conventional` in DIR).

    python3 ci/commitlint_cases.py DIR > tests/fixtures/commits/commitlint-cases.json

The messages are the ones already in the fixture; add a case there with empty lists and rerun.
"""
import json
import pathlib
import re
import subprocess
import sys

here = pathlib.Path(__file__).resolve().parent.parent
node_dir = pathlib.Path(sys.argv[1])
(node_dir / "commitlint.config.mjs").write_text("export default { extends: ['@commitlint/config-conventional'] };\n")
cases = json.loads((here / "tests/fixtures/commits/commitlint-cases.json").read_text())
out = []
for case in cases:
    m = case["message"]
    r = subprocess.run(["npx", "--no-install", "commitlint", "--config", "commitlint.config.mjs"],
                       input=m.encode(), capture_output=True, cwd=node_dir)
    text = r.stdout.decode() + r.stderr.decode()
    out.append({"message": m,
                "errors": sorted(set(re.findall(r"✖ .*\[([a-z-]+)\]", text))),
                "warnings": sorted(set(re.findall(r"⚠ .*\[([a-z-]+)\]", text)))})
print(json.dumps(out, indent=1, ensure_ascii=False))
