#!/usr/bin/env bash
# Installs temis for the temis action: the release archive for this runner's OS and architecture,
# verified against the SHA-256 committed in checksums.txt beside this script; or, when no release
# is listed there for this version and target (or version is `source`), the action's own source
# built with cargo. Writes `path=<binary>` to $GITHUB_OUTPUT and adds its directory to $GITHUB_PATH.
#
# Environment: TEMIS_VERSION (empty: the version checksums.txt names), TEMIS_ACTION_REPOSITORY
# (owner/name the releases belong to), TEMIS_DOWNLOAD_TOKEN (optional, for rate limits),
# TEMIS_RELEASE_BASE_URL (default $GITHUB_SERVER_URL/$TEMIS_ACTION_REPOSITORY/releases/download),
# RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP, GITHUB_OUTPUT, GITHUB_PATH. The source built is the
# repository this script sits in (two levels up), at the commit the workflow pinned.
set -euo pipefail
unset CDPATH BASH_ENV ENV

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
action_root=$(cd "$here/../.." && pwd)
checksums="$here/checksums.txt"
tmp=${RUNNER_TEMP:-${TMPDIR:-/tmp}}
dest="$tmp/temis-bin"
mkdir -p "$dest"

fail() { echo "::error title=temis install::$*"; exit 1; }

version=${TEMIS_VERSION:-}
version=${version#v}
if [ -z "$version" ]; then
  version=$(awk '$1 == "version" { print $2; exit }' "$checksums")
fi
[ -n "$version" ] || fail "no version given and none named in $checksums"

case "${RUNNER_OS:-$(uname -s)}/${RUNNER_ARCH:-$(uname -m)}" in
  Linux/X64 | Linux/x86_64) target=x86_64-unknown-linux-musl ;;
  Linux/ARM64 | Linux/aarch64) target=aarch64-unknown-linux-musl ;;
  macOS/X64 | Darwin/x86_64) target=x86_64-apple-darwin ;;
  macOS/ARM64 | Darwin/arm64) target=aarch64-apple-darwin ;;
  Windows/X64) target=x86_64-pc-windows-msvc ;;
  *) target="" ;;
esac
exe=temis
[ "$target" = x86_64-pc-windows-msvc ] && exe=temis.exe

asset="temis-v$version-$target.tar.gz"
expected=""
if [ "$version" != source ] && [ -n "$target" ]; then
  expected=$(awk -v a="$asset" '$2 == a { print $1; exit }' "$checksums")
fi

sha256() {
  if command -v sha256sum >/dev/null; then sha256sum "$1" | awk '{ print $1 }'
  else shasum -a 256 "$1" | awk '{ print $1 }'; fi
}

if [ -n "$expected" ]; then
  base=${TEMIS_RELEASE_BASE_URL:-${GITHUB_SERVER_URL:-https://github.com}/${TEMIS_ACTION_REPOSITORY:-}/releases/download}
  url="$base/v$version/$asset"
  echo "temis: downloading $asset"
  auth=()
  if [ -n "${TEMIS_DOWNLOAD_TOKEN:-}" ] && [[ "$url" == "${GITHUB_SERVER_URL:-https://github.com}/"* ]]; then
    auth=(-H "Authorization: Bearer $TEMIS_DOWNLOAD_TOKEN")
  fi
  curl --proto '=https,file' --tlsv1.2 -fsSL --retry 5 --retry-all-errors ${auth[@]+"${auth[@]}"} -o "$tmp/$asset" "$url" \
    || fail "cannot download $url"
  actual=$(sha256 "$tmp/$asset")
  if [ "$actual" != "$expected" ]; then
    rm -f "$tmp/$asset"
    fail "checksum mismatch for $asset: expected $expected (checksums.txt), got $actual; not installing it"
  fi
  tar -xzf "$tmp/$asset" -C "$dest"
  rm -f "$tmp/$asset"
  bin="$dest/$exe"
  [ -f "$bin" ] || bin=$(find "$dest" -name "$exe" -type f | head -n 1)
  [ -n "$bin" ] && [ -f "$bin" ] || fail "$asset holds no $exe"
  chmod +x "$bin"
else
  if [ "$version" = source ]; then
    echo "temis: building the action's source (version: source)"
  else
    echo "temis: no verified release of v$version for ${target:-this runner} in checksums.txt; building the action's source"
  fi
  command -v cargo >/dev/null || fail "cargo is needed to build temis from source (add a Rust toolchain step, or use a released version)"
  cargo install --locked --quiet --root "$tmp/temis-cargo" --path "$action_root"
  bin="$tmp/temis-cargo/bin/$exe"
fi

"$bin" --version
echo "$(dirname "$bin")" >> "${GITHUB_PATH:-/dev/null}"
echo "path=$bin" >> "${GITHUB_OUTPUT:-/dev/null}"
