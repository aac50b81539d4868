#!/usr/bin/env bash
# ci/packaging.sh [TEMIS_BINARY]
#
# The installs without a Rust toolchain, built from this repository and installed as a user
# would, from local files (docs/install.md):
#   wheel      maturin builds the wheel (cargo finds target/release fresh), pip installs it into
#              a fresh virtualenv and pipx into its own, `temis --version` runs from each;
#   npm        npm/assemble.js packs `temis` and the platform package from the built binary,
#              npm installs both into a fresh node project offline, `npx temis --version` runs,
#              and the launcher names the missing platform package when it is left out;
#   pre-commit the hooks manifest validates with `language: python`; the commit-msg hook runs
#              through the pre-commit framework from a local clone of the mirror
#              (ci/pre-commit/mirror.sh), pip taking temis from the local wheel only, with no
#              cargo on PATH: a bad message is refused, a good one committed;
#   action     ci/action/install.sh with a simulated GitHub environment against a local release
#              (ci/release.sh package + sums, served by python3 -m http.server on 127.0.0.1):
#              installs from the download with the SHA-256 verified, from the cache on the
#              second run (server stopped), refuses a tampered archive, builds from source only
#              for a version with no release; cargo is a stub that records any call.
# Prints one line per check, the sizes, the action's install times, and
# `packaging: N passed, M failed` (exit 1 on a failure). TEMIS_BINARY defaults to
# target/release/temis (built first when missing). Needs python3 (venv), node and npm, git,
# curl; fetches maturin, pre-commit, pipx and setuptools from PyPI (pinned below).
# TEMIS_PACKAGING_FROM_SOURCE=1 also runs the hook from this repository itself (pre-commit's
# `pip install .` of a clone: maturin builds temis with cargo, minutes).
set -euo pipefail
unset CDPATH
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$(pwd)

MATURIN=1.16.0
PRE_COMMIT=4.7.0
PIPX=1.18.4
SETUPTOOLS=80.9.0

bin=${1:-target/release/temis}
if [ ! -x "$bin" ]; then
  nice -n 10 cargo build --release --locked --quiet
  bin=target/release/temis
fi
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
version=$(sed -n 's/^version = "\([^"]*\)"$/\1/p' Cargo.toml | head -n 1)

work="$root/target/packaging"
rm -rf "$work"
mkdir -p "$work"
passed=0
failed=0
ok() { echo "ok    $*"; passed=$((passed + 1)); }
bad() { echo "FAIL  $*"; failed=$((failed + 1)); }
# check NAME COMMAND...: runs COMMAND, output kept in $work/log/NAME.
mkdir -p "$work/log"
check() {
  local name=$1
  shift
  if "$@" > "$work/log/$name" 2>&1; then ok "$name"; else bad "$name (exit $?): $(tail -n 5 "$work/log/$name" | tr '\n' ' ')"; fi
}
size() { wc -c < "$1" | awk '{ if ($1 < 1048576) printf "%.1f kB", $1 / 1024; else printf "%.1f MB", $1 / 1048576 }'; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
section_start=""
section() {
  [ -n "$section_start" ] && echo "   ($(elapsed "$section_start") s)"
  section_start=$(now)
  [ $# -eq 0 ] || echo "== $*"
}

# The tools, in a virtualenv kept between runs (target/packaging-tools).
tools="$root/target/packaging-tools"
if [ ! -x "$tools/bin/maturin" ] || [ ! -x "$tools/bin/pre-commit" ] || [ ! -x "$tools/bin/pipx" ] \
  || ! "$tools/bin/maturin" --version | grep -qx "maturin $MATURIN"; then
  rm -rf "$tools"
  python3 -m venv "$tools"
  "$tools/bin/pip" install --quiet --disable-pip-version-check "maturin==$MATURIN" "pre-commit==$PRE_COMMIT" "pipx==$PIPX"
fi
wheels="$work/wheels"
mkdir -p "$wheels"
[ -f "$tools/setuptools-$SETUPTOOLS-py3-none-any.whl" ] \
  || "$tools/bin/pip" download --quiet --disable-pip-version-check --no-deps -d "$tools" "setuptools==$SETUPTOOLS"
cp "$tools/setuptools-$SETUPTOOLS-py3-none-any.whl" "$wheels/"

# The binary the archives and the npm package carry: stripped, as the release workflow builds it.
stripped="$work/temis"
if command -v strip >/dev/null; then strip -o "$stripped" "$bin"; else cp "$bin" "$stripped"; fi

section "wheel (maturin $MATURIN)"
t0=$(now)
# `linux` tag: a wheel for this machine; the release workflow builds manylinux/musllinux ones.
if nice -n 10 "$tools/bin/maturin" build --release --locked --compatibility linux --out "$wheels" \
  > "$work/log/wheel-build" 2>&1; then
  ok "wheel built in $(elapsed "$t0") s"
else
  bad "wheel build: $(tail -n 5 "$work/log/wheel-build" | tr '\n' ' ')"
fi
wheel=$(ls "$wheels"/temis-"$version"-*.whl 2>/dev/null | head -n 1 || true)
if [ -n "$wheel" ]; then
  python3 -m venv "$work/venv"
  check wheel-install "$work/venv/bin/pip" install --quiet --disable-pip-version-check --no-index "$wheel"
  if [ "$("$work/venv/bin/temis" --version 2>&1)" = "temis $version" ]; then
    ok "wheel: temis --version in a fresh virtualenv says temis $version"
  else
    bad "wheel: $work/venv/bin/temis --version: $("$work/venv/bin/temis" --version 2>&1 || true)"
  fi
  check pipx-install env "PIPX_HOME=$work/pipx" "PIPX_BIN_DIR=$work/pipx-bin" "PIPX_MAN_DIR=$work/pipx-man" \
    "$tools/bin/pipx" install "$wheel"
  if [ "$("$work/pipx-bin/temis" --version 2>&1)" = "temis $version" ]; then
    ok "wheel: pipx install puts temis $version on pipx's PATH"
  else
    bad "wheel: pipx: $("$work/pipx-bin/temis" --version 2>&1 || true)"
  fi
fi

section "npm (node $(node --version), npm $(npm --version))"
npm_cache="$work/npm-cache"
# The host's target; the release workflow passes the five release targets.
host=$(rustc -vV 2>/dev/null | sed -n 's/^host: //p')
host=${host:-x86_64-unknown-linux-gnu}
if node npm/assemble.js --version "$version" --out "$work/npm" --pack "$host=$stripped" > "$work/log/npm-assemble" 2>&1; then
  ok "npm: assembled and packed $(grep -c '\.tgz$' "$work/log/npm-assemble") packages"
else
  bad "npm assemble: $(tail -n 5 "$work/log/npm-assemble" | tr '\n' ' ')"
fi
main_tgz="$work/npm/temis-$version.tgz"
platform_tgz=$(ls "$work"/npm/temis-*-*-"$version".tgz 2>/dev/null | head -n 1 || true)
proj="$work/node-project"
mkdir -p "$proj"
echo '{ "name": "app", "version": "1.0.0", "private": true }' > "$proj/package.json"
check npm-install npm install --prefix "$proj" --offline --no-audit --no-fund --cache "$npm_cache" "$platform_tgz" "$main_tgz"
got=$(cd "$proj" && npx --offline --cache "$npm_cache" temis --version 2>&1 || true)
if [ "$got" = "temis $version" ]; then ok "npm: npx temis --version says temis $version"; else bad "npm: npx temis --version: $got"; fi
# Without its platform package, the launcher says which package is missing (exit 2).
proj2="$work/node-project-no-optional"
mkdir -p "$proj2"
echo '{ "name": "app", "version": "1.0.0", "private": true }' > "$proj2/package.json"
check npm-install-omit-optional npm install --prefix "$proj2" --offline --omit=optional --no-audit --no-fund --cache "$npm_cache" "$main_tgz"
rc=0
got=$("$proj2/node_modules/.bin/temis" --version 2>&1) || rc=$?
if [ "$rc" = 2 ] && [[ "$got" == *"@temis/"*"is not installed"* ]]; then
  ok "npm: without the platform package the launcher exits 2 naming it"
else
  bad "npm: without the platform package: exit $rc: $got"
fi

section "pre-commit $PRE_COMMIT (language: python)"
check pre-commit-validate-manifest "$tools/bin/pre-commit" validate-manifest .pre-commit-hooks.yaml
if [ "$(grep -c '^  language: python$' .pre-commit-hooks.yaml)" = "$(grep -c '^- id:' .pre-commit-hooks.yaml)" ]; then
  ok "pre-commit: every hook of .pre-commit-hooks.yaml is language: python"
else
  bad "pre-commit: a hook of .pre-commit-hooks.yaml is not language: python"
fi
mirror="$work/temis-pre-commit"
check pre-commit-mirror bash ci/pre-commit/mirror.sh "$version" "$mirror"
repo="$work/precommit-project"
mkdir -p "$repo"
git -C "$repo" init -q
cat > "$repo/.pre-commit-config.yaml" <<YAML
repos:
  - repo: $mirror
    rev: v$version
    hooks:
      - id: temis-commit-msg
YAML
# No cargo on this PATH, and pip sees the local wheels only: the hook's temis is the wheel's.
nocargo="$work/nocargo-bin"
mkdir -p "$nocargo"
for t in git python3 sh env; do ln -sf "$(command -v "$t")" "$nocargo/$t"; done
pc_env=(env -i "HOME=$work/home" "PATH=$tools/bin:$nocargo:/usr/bin:/bin" "PRE_COMMIT_HOME=$work/pre-commit-home"
  "PIP_NO_INDEX=1" "PIP_FIND_LINKS=$wheels" "GIT_AUTHOR_NAME=dev" "GIT_AUTHOR_EMAIL=dev@example.invalid"
  "GIT_COMMITTER_NAME=dev" "GIT_COMMITTER_EMAIL=dev@example.invalid" "GIT_CONFIG_NOSYSTEM=1")
mkdir -p "$work/home"
if "${pc_env[@]}" sh -c '! command -v cargo' > /dev/null; then ok "pre-commit: no cargo on the hook's PATH"; else bad "pre-commit: cargo is on the hook's PATH"; fi
check pre-commit-install "${pc_env[@]}" sh -c "cd '$repo' && git add .pre-commit-config.yaml && pre-commit install --hook-type commit-msg"
rc=0
(cd "$repo" && "${pc_env[@]}" git commit -q -m "Added the login form." > "$work/log/pre-commit-bad" 2>&1) || rc=$?
if [ "$rc" != 0 ] && grep -q "temis (Conventional Commits)" "$work/log/pre-commit-bad" \
  && grep -qi "subject\|type" "$work/log/pre-commit-bad"; then
  ok "pre-commit: the commit-msg hook (temis from the wheel) refuses \"Added the login form.\""
else
  bad "pre-commit: a bad message: exit $rc: $(tail -n 8 "$work/log/pre-commit-bad" | tr '\n' ' ')"
fi
rc=0
(cd "$repo" && "${pc_env[@]}" git commit -q -m "feat(auth): add the login form" > "$work/log/pre-commit-good" 2>&1) || rc=$?
if [ "$rc" = 0 ] && [ "$(git -C "$repo" log -1 --format=%s)" = "feat(auth): add the login form" ]; then
  ok "pre-commit: the commit-msg hook lets \"feat(auth): add the login form\" through"
else
  bad "pre-commit: a good message: exit $rc: $(tail -n 8 "$work/log/pre-commit-good" | tr '\n' ' ')"
fi
hook_temis=$(ls "$work"/pre-commit-home/repo*/py_env-*/bin/temis 2>/dev/null | head -n 1 || true)
python3 - "$wheel" "$work/wheel-temis" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    name = next(n for n in z.namelist() if n.endswith(".data/scripts/temis"))
    open(sys.argv[2], "wb").write(z.read(name))
PY
if [ -n "$hook_temis" ] && cmp -s "$hook_temis" "$work/wheel-temis"; then
  ok "pre-commit: the hook's environment holds the wheel's binary ($hook_temis)"
else
  bad "pre-commit: the hook's temis (${hook_temis:-none}) is not the wheel's"
fi

# Opt-in (minutes: a release build of this clone, in a target directory of its own so that
# target/release stays cargo's): the hooks of this repository itself, which pre-commit installs
# with `pip install .` of a clone, maturin building temis with cargo.
if [ "${TEMIS_PACKAGING_FROM_SOURCE:-0}" = 1 ]; then
  section "pre-commit from this repository's source (TEMIS_PACKAGING_FROM_SOURCE=1)"
  src_repo="$work/precommit-source-project"
  mkdir -p "$src_repo"
  git -C "$src_repo" init -q
  cat > "$src_repo/.pre-commit-config.yaml" <<YAML
repos:
  - repo: $root
    rev: $(git rev-parse HEAD)
    hooks:
      - id: temis-commit-msg
YAML
  src_env=(env "RUSTUP_HOME=${RUSTUP_HOME:-$HOME/.rustup}" "CARGO_HOME=${CARGO_HOME:-$HOME/.cargo}"
    "HOME=$work/home" "PATH=$tools/bin:$PATH" "PRE_COMMIT_HOME=$work/pre-commit-home-source"
    "CARGO_TARGET_DIR=$root/target/packaging-source-target" "GIT_AUTHOR_NAME=dev" "GIT_AUTHOR_EMAIL=dev@example.invalid"
    "GIT_COMMITTER_NAME=dev" "GIT_COMMITTER_EMAIL=dev@example.invalid" "GIT_CONFIG_NOSYSTEM=1")
  check pre-commit-source-install "${src_env[@]}" sh -c "cd '$src_repo' && git add .pre-commit-config.yaml && pre-commit install --hook-type commit-msg"
  rc=0
  (cd "$src_repo" && "${src_env[@]}" git commit -q -m "Added the login form." > "$work/log/pre-commit-source-bad" 2>&1) || rc=$?
  if [ "$rc" != 0 ] && grep -q "type-empty" "$work/log/pre-commit-source-bad"; then
    ok "pre-commit from source: the commit-msg hook refuses \"Added the login form.\""
  else
    bad "pre-commit from source: exit $rc: $(tail -n 8 "$work/log/pre-commit-source-bad" | tr '\n' ' ')"
  fi
  rc=0
  (cd "$src_repo" && "${src_env[@]}" git commit -q -m "feat(auth): add the login form" > "$work/log/pre-commit-source-good" 2>&1) || rc=$?
  if [ "$rc" = 0 ]; then ok "pre-commit from source: a good message is committed"; else bad "pre-commit from source: a good message: exit $rc"; fi
fi

section "action (ci/action/install.sh, simulated GitHub environment, local release)"
rel="$work/release"
mkdir -p "$rel/v$version"
asset="temis-v$version-x86_64-unknown-linux-musl.tar.gz"
check release-package bash ci/release.sh package "$version" x86_64-unknown-linux-musl "$stripped" "$rel/v$version"
check release-sums bash ci/release.sh sums "$version" "$rel/v$version"
# The tampered release: same sums, one byte of the archive changed.
mkdir -p "$rel-tampered/v$version"
cp "$rel/v$version/SHA256SUMS" "$rel-tampered/v$version/"
python3 - "$rel/v$version/$asset" "$rel-tampered/v$version/$asset" <<'PY'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
data[len(data) // 2] ^= 0xFF
open(sys.argv[2], "wb").write(data)
PY
serve() { # serve DIR: starts http.server on 127.0.0.1, sets $server_pid and $port
  local log=$work/log/http-$RANDOM
  python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$1" > "$log" 2>&1 &
  server_pid=$!
  port=""
  for _ in $(seq 1 50); do
    port=$(sed -n 's/.*port \([0-9]*\).*/\1/p' "$log" | head -n 1)
    [ -n "$port" ] && break
    sleep 0.1
  done
  [ -n "$port" ] || { bad "http.server did not start: $(cat "$log")"; return 1; }
}
stubs="$work/action-stubs"
mkdir -p "$stubs"
printf '#!/bin/sh\necho "cargo $*" >> "%s"\nexit 97\n' "$work/cargo-calls" > "$stubs/cargo"
chmod +x "$stubs/cargo"
# run_install NAME [VAR=VALUE...]: resolve then install, as the action's two steps; sets $rc.
run_install() {
  local name=$1
  shift
  local a="$work/action-$name"
  mkdir -p "$a/temp"
  : > "$a/output"
  local envs=(env -i "HOME=$work/home" "PATH=$stubs:/usr/bin:/bin" "RUNNER_OS=Linux" "RUNNER_ARCH=X64"
    "RUNNER_TEMP=$a/temp" "RUNNER_TOOL_CACHE=$work/tool-cache" "GITHUB_OUTPUT=$a/output" "GITHUB_PATH=$a/path"
    "GITHUB_ACTION_PATH=$root" "GITHUB_SERVER_URL=https://github.com" "GITHUB_ACTIONS=true"
    "TEMIS_ACTION_REPOSITORY=OWNER/temis" "TEMIS_DOWNLOAD_TOKEN=ghs_never_printed"
    "TEMIS_RELEASE_BASE_URL=http://127.0.0.1:$port" "$@")
  rc=0
  local t=$(now)
  { "${envs[@]}" bash ci/action/install.sh resolve && "${envs[@]}" bash ci/action/install.sh; } > "$a/log" 2>&1 || rc=$?
  took=$(elapsed "$t")
  if grep -q ghs_never_printed "$a/log"; then bad "action $name: the token was printed"; fi
}
out_of() { sed -n "s/^$2=//p" "$work/action-$1/output" | tail -n 1; }

serve "$rel"
run_install download
first=$took
if [ "$rc" = 0 ] && [ "$(out_of download installed-from)" = download ] \
  && grep -q "SHA-256 of $asset verified against the release's SHA256SUMS" "$work/action-download/log" \
  && [ "$("$(out_of download path)" --version)" = "temis $version" ]; then
  ok "action: installed v$version from the release archive, SHA-256 verified against SHA256SUMS ($first s)"
else
  bad "action download: exit $rc: $(tr '\n' ' ' < "$work/action-download/log")"
fi
if [ "$(out_of download cache-key)" = "temis-$version-x86_64-unknown-linux-musl" ] \
  && [ "$(out_of download cache-dir)" = "$work/tool-cache/temis/$version/x86_64-unknown-linux-musl" ]; then
  ok "action: cache key temis-$version-x86_64-unknown-linux-musl, cache dir under RUNNER_TOOL_CACHE"
else
  bad "action: cache outputs: $(tr '\n' ' ' < "$work/action-download/output")"
fi
kill "$server_pid" && wait "$server_pid" 2>/dev/null || true
run_install cache
second=$took
if [ "$rc" = 0 ] && [ "$(out_of cache installed-from)" = cache ] && grep -q "from the cache" "$work/action-cache/log" \
  && grep -q "verified against the release's SHA256SUMS" "$work/action-cache/log"; then
  ok "action: second run from the cache with the server stopped, SHA-256 verified again ($second s)"
else
  bad "action cache: exit $rc: $(tr '\n' ' ' < "$work/action-cache/log")"
fi
serve "$rel-tampered"
run_install tampered "RUNNER_TOOL_CACHE=$work/tool-cache-tampered"
if [ "$rc" = 1 ] && grep -q "::error title=temis install::checksum mismatch for $asset" "$work/action-tampered/log" \
  && ! grep -q '^path=' "$work/action-tampered/output" && [ ! -e "$work/tool-cache-tampered/temis/$version/x86_64-unknown-linux-musl/$asset" ]; then
  ok "action: a tampered archive is refused (exit 1, checksum mismatch), nothing installed or cached"
else
  bad "action tampered: exit $rc: $(tr '\n' ' ' < "$work/action-tampered/log")"
fi
if [ ! -e "$work/cargo-calls" ]; then ok "action: cargo never called when a release matches"; else bad "action: cargo called: $(cat "$work/cargo-calls")"; fi
run_install no-release "TEMIS_VERSION=9.9.9" "RUNNER_TOOL_CACHE=$work/tool-cache-none"
if [ "$rc" != 0 ] && grep -q "no release v9.9.9" "$work/action-no-release/log" && grep -q "cargo install" "$work/cargo-calls" 2>/dev/null; then
  ok "action: a version with no release falls back to cargo install and says so"
else
  bad "action no-release: exit $rc: $(tr '\n' ' ' < "$work/action-no-release/log")"
fi
kill "$server_pid" && wait "$server_pid" 2>/dev/null || true

section "sizes"
[ -n "$wheel" ] && echo "wheel        $(basename "$wheel"): $(size "$wheel")"
for f in "$work"/npm/*.tgz; do echo "npm          $(basename "$f"): $(size "$f")"; done
echo "archive      $asset: $(size "$rel/v$version/$asset")"
echo "binary       stripped $(size "$stripped") (target/release/temis $(size "$bin"))"
echo "== action install time: $first s with the download from 127.0.0.1, $second s from the cache"
echo "packaging: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
