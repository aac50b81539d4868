#!/usr/bin/env python3
"""Drives `temis mcp` with a client nobody on the team wrote: the official MCP Python SDK.

    python3 -m pip install "mcp>=2.3"   # .ci/run does this, in a virtualenv of its own
    python3 ci/mcp_client.py TEMIS_BIN [--transcript FILE]

On a copy of the shipped example (`examples/jwt-auth`) made a git repository whose last commit
adds phase 2's code, it checks, through the SDK's `Client` on stdio:

- the initialize handshake (and the 2026 discover lifecycle), the server's name;
- tools/list: the eight tools, every input and output schema a valid JSON Schema, the tools
  that write annotated as such and no other;
- `gate` on phase 2's first attempt: BLOCKED, with the line-coverage (77.33 % < 80 %) and
  failing-test reasons, valid against docs/temis.verdict.schema.json (the SDK also validates it
  against the tool's output schema) and equal to `temis gate --format json`;
- `uncovered_patch_lines` equal to the `patch` of `temis gate --base HEAD~1 --format json`;
- a tool that writes refusing a plan outside the repository (and writing nothing there);
- a tool error reading exactly as the CLI's error;
- the resources: the effective policy, the plan and its records.

Exit 0 when every check holds; 1 naming the first that does not.
"""

import asyncio
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

try:
    import jsonschema
    from mcp import Client, StdioServerParameters
except ImportError as e:  # say what is missing, never pass by not running
    sys.exit(f"error: the MCP Python SDK is missing ({e}); install it: python3 -m pip install \"mcp>=2.3\" (its `Client` came with 2.x)")

TOP = pathlib.Path(__file__).resolve().parent.parent
EXAMPLE = TOP / "examples" / "jwt-auth"
VERDICT_SCHEMA = json.loads((TOP / "docs" / "temis.verdict.schema.json").read_text())
TODAY = "2026-11-24"
TOOLS = {
    "gate",
    "uncovered_patch_lines",
    "report",
    "plan_status",
    "phase_complete",
    "phase_summary",
    "commit_message",
    "explain",
}
WRITERS = {"phase_complete", "phase_summary"}
PHASE2 = ["reports/phase-2/coverage.xml", "reports/phase-2/junit.xml"]

CHECKS = 0


def check(ok, what):
    global CHECKS
    if not ok:
        raise AssertionError(what)
    CHECKS += 1


def env():
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        "TEMIS_TODAY": TODAY,
        "NO_COLOR": "1",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_AUTHOR_NAME": "Ada Lovelace",
        "GIT_AUTHOR_EMAIL": "ada@example.com",
        "GIT_COMMITTER_NAME": "Ada Lovelace",
        "GIT_COMMITTER_EMAIL": "ada@example.com",
        "GIT_AUTHOR_DATE": "2026-11-20T10:00:00Z",
        "GIT_COMMITTER_DATE": "2026-11-20T10:00:00Z",
    }


def git(repo, *args):
    subprocess.run(["git", *args], cwd=repo, env=env(), check=True, capture_output=True)


def make_repo(scratch):
    """The example as a repository: phase 1's code committed, then phase 2's code added."""
    repo = scratch / "jwt-auth"
    shutil.copytree(EXAMPLE, repo)
    git(repo, "init", "-q", "-b", "main")
    phase2 = ["src/authsvc/jwt.py", "tests/test_jwt.py"]
    git(repo, "add", "-A")
    git(repo, "reset", "-q", "--", *phase2)
    git(repo, "commit", "-q", "-m", "feat: phase 1")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "feat: phase 2")
    return repo


def cli(temis, repo, *args):
    run = subprocess.run([temis, *args], cwd=repo, env=env(), capture_output=True, text=True)
    return run.returncode, run.stdout, run.stderr


def text_of(result):
    return "\n".join(c.text for c in result.content if getattr(c, "text", None) is not None)


async def session(temis, repo, mode, transcript):
    params = StdioServerParameters(command=temis, args=["mcp", "--root", str(repo)], env=env(), cwd=str(repo))
    async with Client(params, mode=mode) as client:
        check(client.server_info is not None and client.server_info.name == "temis", f"server name: {client.server_info}")
        listed = await client.list_tools()
        names = {t.name for t in listed.tools}
        check(names == TOOLS, f"tools: {sorted(names)}")
        for t in listed.tools:
            for which, schema in (("input", t.input_schema), ("output", t.output_schema)):
                if schema is None:
                    continue
                jsonschema.validators.validator_for(schema).check_schema(schema)
                check(schema.get("type") == "object", f"{t.name}: {which} schema is not an object schema")
            a = t.annotations
            check(a is not None and a.read_only_hint is (t.name not in WRITERS), f"{t.name}: readOnlyHint {a}")
        if mode != "legacy":
            gate = await client.call_tool("gate", {"phase": 2, "reports": PHASE2})
            check(gate.structured_content["verdict"] == "BLOCKED", f"{mode}: gate: {text_of(gate)}")
            return

        # gate on phase 2's first attempt: BLOCKED, with every reason.
        args = {"phase": 2, "reports": PHASE2}
        gate = await client.call_tool("gate", args)
        transcript.append(("gate", args, gate))
        v = gate.structured_content
        check(not gate.is_error and v is not None, f"gate failed: {text_of(gate)}")
        jsonschema.validate(v, VERDICT_SCHEMA)
        check(v["schema"] == "temis.verdict/v1" and v["verdict"] == "BLOCKED" and v["exit_code"] == 1, f"verdict {v['verdict']}")
        by_code = {c["code"]: c for c in v["checks"]}
        line = by_code.get("coverage-line-below-threshold")
        check(line is not None and line["outcome"] == "fail", "no failing line-coverage check")
        check(line["measured"] == {"value": 77.33, "unit": "%"} and line["threshold"]["value"] == 80.0, f"line {line}")
        check(any(e.get("path") == "src/authsvc/jwt.py" for e in line["evidence"]), f"line evidence {line['evidence']}")
        tests = by_code.get("tests-failing")
        check(tests is not None and tests["outcome"] == "fail", "no failing-tests check")
        check(
            any("tests.test_jwt::test_refresh_issues_access_token" in e["text"] for e in tests["evidence"]),
            f"failing test not named: {tests['evidence']}",
        )
        check(json.loads(text_of(gate)) == v, "the text content is not the structured verdict")
        code, out, _ = cli(temis, repo, "gate", "--phase", "2", *PHASE2, "--format", "json")
        check(code == 1 and json.loads(out) == v, "gate tool and `temis gate --format json` differ")

        # uncovered_patch_lines: what `temis gate --base` reports.
        args = {"base": "HEAD~1", "reports": ["reports/phase-2/coverage.xml"]}
        patch = await client.call_tool("uncovered_patch_lines", args)
        transcript.append(("uncovered_patch_lines", args, patch))
        check(not patch.is_error, f"uncovered_patch_lines failed: {text_of(patch)}")
        code, out, _ = cli(temis, repo, "gate", "--base", "HEAD~1", "reports/phase-2/coverage.xml", "--format", "json")
        check(json.loads(out)["patch"] == patch.structured_content, "uncovered_patch_lines differs from gate --base")
        jwt = [f for f in patch.structured_content["files"] if f["path"] == "src/authsvc/jwt.py"]
        ranges = [(r["start"], r["end"]) for r in jwt[0]["uncovered"]] if jwt else []
        check(ranges == [(30, 31), (44, 44), (50, 57), (62, 67)], f"uncovered ranges of jwt.py: {ranges}")

        # A tool that writes refuses a path outside the repository, and writes nothing there.
        outside = repo.parent / "outside" / "plans" / "x"
        outside.mkdir(parents=True)
        shutil.copy(repo / "plans" / "jwt-authentication" / "plan.md", outside / "plan.md")
        for tool, args in (
            ("phase_complete", {"phase": 1, "plan": str(outside / "plan.md")}),
            ("phase_complete", {"phase": 1, "plan": "../outside/plans/x/plan.md"}),
            ("phase_summary", {"plan": str(outside)}),
        ):
            refused = await client.call_tool(tool, args)
            transcript.append((tool, args, refused))
            check(refused.is_error and "outside the repository" in text_of(refused), f"{tool} {args}: {text_of(refused)}")
        check(sorted(p.name for p in outside.iterdir()) == ["plan.md"], "something was written outside")

        # A tool error reads as the CLI's.
        (repo / "broken.toml").write_text("[coverage]\nmin_line = 180\n")
        broken = await client.call_tool("gate", {"policy": "broken.toml"})
        code, _, err = cli(temis, repo, "gate", "--policy", "broken.toml")
        check(broken.is_error and code == 2 and text_of(broken) == err.rstrip("\n"), f"{text_of(broken)!r} != {err!r}")

        # What the other tools return.
        plan = await client.call_tool("plan_status", {"gate": False})
        check(plan.structured_content["schema"] == "temis.plan/v1", f"plan_status: {text_of(plan)}")
        message = await client.call_tool("commit_message", {"phase": 1})
        check(message.structured_content["message"].startswith("feat(authsvc): add database schema"), text_of(message))
        explained = await client.call_tool("explain", {"code": "tests-failing"})
        check(explained.structured_content["codes"][0]["family"] == "tests", text_of(explained))
        read = await client.call_tool("report", {"paths": ["reports/phase-2/junit.xml"]})
        check(read.structured_content["reports"][0]["tests"]["failed"] == 1, text_of(read))

        # Resources: the effective policy, the plan and its records.
        resources = {r.uri for r in (await client.list_resources()).resources}
        for uri in (
            "temis://policy",
            "temis://plan/plans/jwt-authentication/plan.md",
            "temis://record/plans/jwt-authentication/phase-2-complete.md",
            "temis://summary/plans/jwt-authentication/complete.md",
        ):
            check(uri in resources, f"{uri} not in {sorted(resources)}")
        policy = await client.read_resource("temis://policy")
        check("min_line = 80" in policy.contents[0].text, "the policy resource is not the embedded default")


def shown(result):
    if result.is_error:
        return {"isError": True, "content": [{"type": "text", "text": text_of(result)}]}
    return {"structuredContent": result.structured_content}


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    temis = str(pathlib.Path(args[0]).resolve())
    out = pathlib.Path(args[args.index("--transcript") + 1]) if "--transcript" in args else None
    transcript = []
    with tempfile.TemporaryDirectory() as scratch:
        repo = make_repo(pathlib.Path(scratch))
        try:
            asyncio.run(session(temis, repo, "legacy", transcript))
            asyncio.run(session(temis, repo, "auto", transcript))
        except AssertionError as e:
            print(f"mcp client: FAILED after {CHECKS} checks: {e}", file=sys.stderr)
            return 1
    if out:
        out.write_text(
            "\n".join(json.dumps({"tool": t, "arguments": a, "result": shown(r)}, indent=2) for t, a, r in transcript)
            + "\n"
        )
    print(f"temis mcp driven by the MCP Python SDK {mcp_version()}")
    print(f"mcp: {CHECKS} passed, 0 failed")
    return 0


def mcp_version():
    from importlib.metadata import version

    return version("mcp")


if __name__ == "__main__":
    sys.exit(main())
