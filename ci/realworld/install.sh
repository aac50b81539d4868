#!/bin/sh
# Install every producer of the real-world suite from the registries, versions pinned.
#
#   sh ci/realworld/install.sh          (as root for the apt part; the rest goes to the cache)
#
# apt (Debian bookworm): the Go toolchain, Ruby + SimpleCov, lcov, gotestsum, go-cmp's sources.
# pip: two venvs in the cache — venv-tools (bandit, semgrep, diff-cover, gcovr) and venv-py (the
#      Python project's pytest + pytest-cov), each from a full `pip freeze` (requirements-*.txt).
# npm: c8, nyc, tape from node-tools/package-lock.json (`npm ci`).
# Project sources (click sdists, minimist tarballs, cJSON's Debian source) are fetched by run.py,
# each checked against a pinned sha256.
#
# Idempotent: what is installed at the pinned version is left alone. REALWORLD_CACHE moves the
# cache (default: bench-data/realworld, git-ignored).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cache=${REALWORLD_CACHE:-$root/bench-data/realworld}
mkdir -p "$cache"

# --- apt (Debian bookworm; versions as in bookworm 12.11) ---
APT_PINS="golang-1.19-go=1.19.8-2 golang-go=2:1.19~1 gotestsum=1.8.2-1+b3 lcov=1.16-1
ruby-simplecov=0.22.0-1 ruby-simplecov-html=0.12.3-2 ruby-docile=1.1.5-2.1
ruby-rspec=3.12.0c0e1m1s0-1 golang-github-google-go-cmp-dev=0.5.9-1"
missing=""
for pin in $APT_PINS; do
    pkg=${pin%%=*}
    want=${pin#*=}
    have=$(dpkg-query -W -f '${Version}' "$pkg" 2>/dev/null || true)
    [ "$have" = "$want" ] || missing="$missing $pin"
done
if [ -n "$missing" ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "error: need root to apt-get install:$missing" >&2
        exit 2
    fi
    apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
fi
# ruby (libruby3.1 ships rss 0.2.9 with its tests), gcc/gcov (12), git, tar come with the image or
# with the packages above; say so when they do not.
for tool in ruby gcc gcov git tar node npm python3; do
    command -v "$tool" >/dev/null || { echo "error: $tool not found" >&2; exit 2; }
done

# --- pip ---
venv() {   # venv DIR REQUIREMENTS
    if [ ! -x "$1/bin/python" ]; then
        python3 -m venv "$1"
    fi
    if ! cmp -s "$2" "$1/.installed-requirements" 2>/dev/null; then
        "$1/bin/pip" install -q --disable-pip-version-check -r "$2"
        cp "$2" "$1/.installed-requirements"
    fi
}
venv "$cache/venv-tools" "$here/requirements-tools.txt"
venv "$cache/venv-py" "$here/requirements-py.txt"

# --- npm ---
mkdir -p "$cache/node-tools"
if ! cmp -s "$here/node-tools/package-lock.json" "$cache/node-tools/package-lock.json" 2>/dev/null \
    || [ ! -d "$cache/node-tools/node_modules" ]; then
    cp "$here/node-tools/package.json" "$here/node-tools/package-lock.json" "$cache/node-tools/"
    (cd "$cache/node-tools" && npm ci --no-audit --no-fund --loglevel=error)
fi

echo "installed: $(go version | cut -d' ' -f3), ruby $(ruby -e 'print RUBY_VERSION'), simplecov $(ruby -e 'require "simplecov"; print SimpleCov::VERSION'), $(lcov --version | sed 's/.*version/lcov/'), gcc $(gcc -dumpfullversion)"
echo "installed: $("$cache/venv-py/bin/pytest" --version 2>&1 | head -1), coverage $("$cache/venv-py/bin/python" -c 'import coverage; print(coverage.__version__)'), bandit $("$cache/venv-tools/bin/python" -c 'import bandit; print(bandit.__version__)'), semgrep $("$cache/venv-tools/bin/semgrep" --version --disable-version-check 2>/dev/null), diff-cover $("$cache/venv-tools/bin/python" -c 'import importlib.metadata as m; print(m.version("diff_cover"))'), gcovr $("$cache/venv-tools/bin/gcovr" --version | head -1 | cut -d' ' -f2)"
echo "installed: node $(node --version), $(cd "$cache/node-tools" && node -p '["c8", "nyc", "tape"].map(p => p + " " + require(p + "/package.json").version).join(", ")')"
