#!/usr/bin/env bash
# ci/pre-commit/mirror.sh VERSION OUT_DIR
#
# Writes OUT_DIR as a git repository tagged vVERSION: the pre-commit mirror of temis (the
# pattern of ruff-pre-commit), with this repository's .pre-commit-hooks.yaml and a Python
# package that depends on exactly temis==VERSION. pre-commit's `language: python` installs it
# with pip, which takes the temis wheel from PyPI: no Rust toolchain on the developer's machine.
# (The hooks of this repository itself build temis from source through maturin.) Pushed to
# OWNER/temis-pre-commit by a maintainer after the wheels reach PyPI (docs/install.md);
# ci/packaging.sh runs the hooks from it against a locally built wheel.
set -euo pipefail
unset CDPATH
[ $# -eq 2 ] || { sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
version=${1#v}
out=$2
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]] || { echo "error: version $version is not X.Y.Z" >&2; exit 2; }
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
[ -e "$out" ] && { echo "error: $out exists" >&2; exit 2; }
mkdir -p "$out"
cp "$root/.pre-commit-hooks.yaml" "$out/.pre-commit-hooks.yaml"
cat > "$out/pyproject.toml" <<TOML
# Installs the temis wheel for pre-commit's \`language: python\` hooks (.pre-commit-hooks.yaml).
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "temis-pre-commit"
version = "$version"
description = "temis hooks for the pre-commit framework, installed from the temis wheel"
requires-python = ">=3.8"
dependencies = ["temis==$version"]

[tool.setuptools]
py-modules = []
TOML
cat > "$out/README.md" <<MD
# temis-pre-commit

temis's hooks for [pre-commit](https://pre-commit.com), installed from the \`temis\` wheel
(no Rust toolchain needed). In \`.pre-commit-config.yaml\`:

\`\`\`yaml
- repo: https://github.com/OWNER/temis-pre-commit
  rev: v$version
  hooks:
    - id: temis-secrets
    - id: temis-commit-msg   # pre-commit install --hook-type commit-msg
    - id: temis-gate         # pre-commit install --hook-type pre-push
\`\`\`
MD
git -C "$out" init -q
git -C "$out" add -A
git -C "$out" -c user.name=temis-release -c user.email=release@temis.invalid -c commit.gpgsign=false \
  commit -q -m "chore(release): temis-pre-commit v$version"
git -C "$out" -c tag.gpgsign=false tag "v$version"
echo "$out: temis-pre-commit v$version"
