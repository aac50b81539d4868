#!/usr/bin/env bash
# Installs temis for the temis action (action.yml, setup/action.yml), in two calls:
#
#   install.sh resolve   the version and the runner's target; writes the outputs `version`,
#                        `target`, `release` (true unless version is `source` or the runner has
#                        no release target), `cache-dir` and `cache-key` (temis-VERSION-TARGET),
#                        which the action's actions/cache step restores and saves.
#   install.sh           the release archive temis-vVERSION-TARGET.tar.gz, from the cache dir
#                        when it holds it, else downloaded into it; its SHA-256 checked against
#                        the line of ci/action/checksums.txt (committed beside this script) when
#                        there is one, else against the release's SHA256SUMS; extracted into
#                        $RUNNER_TEMP/temis-bin. A mismatch fails (exit 1), never falls back.
#                        Only when no release matches (version `source`, no target for this
#                        runner, or the release has no SHA256SUMS or no line for this target)
#                        is the action's own source built with cargo. It says which it did.
#
# Writes `path=<binary>` and `installed-from=cache|download|source` to $GITHUB_OUTPUT and adds
# the binary's directory to $GITHUB_PATH.
#
# Environment: TEMIS_VERSION (empty: the version of the action, its Cargo.toml),
# TEMIS_ACTION_REPOSITORY (owner/name the releases belong to), TEMIS_DOWNLOAD_TOKEN (optional,
# sent only to $GITHUB_SERVER_URL), TEMIS_RELEASE_BASE_URL (default
# $GITHUB_SERVER_URL/$TEMIS_ACTION_REPOSITORY/releases/download; file:// URLs work),
# TEMIS_CACHE_DIR (default $RUNNER_TOOL_CACHE/temis), RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP,
# RUNNER_TOOL_CACHE, GITHUB_OUTPUT, GITHUB_PATH. The source built is the repository this script
# sits in (two levels up), at the commit the workflow pinned.
set -euo pipefail
unset CDPATH BASH_ENV ENV

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
action_root=$(cd "$here/../.." && pwd)
checksums="$here/checksums.txt"
tmp=${RUNNER_TEMP:-${TMPDIR:-/tmp}}
out=${GITHUB_OUTPUT:-/dev/null}

fail() { echo "::error title=temis install::$*"; exit 1; }
say() { echo "temis: $*"; }

version=${TEMIS_VERSION:-}
version=${version#v}
if [ -z "$version" ] && [ -f "$action_root/Cargo.toml" ]; then
  # The action's own version: the first `version = "…"` of Cargo.toml, in [package].
  version=$(sed -n 's/^version = "\([^"]*\)"$/\1/p' "$action_root/Cargo.toml" | head -n 1)
fi
[ -n "$version" ] || fail "no version given (input version) and no Cargo.toml beside the action to take it from"
if [ "$version" != source ] && ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]]; then
  fail "version $version is neither X.Y.Z nor source"
fi

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

release=true
{ [ "$version" = source ] || [ -z "$target" ]; } && release=false
cache_root=${TEMIS_CACHE_DIR:-${RUNNER_TOOL_CACHE:-$tmp/tool-cache}/temis}
cache="$cache_root/$version/${target:-none}"
asset="temis-v$version-$target.tar.gz"

if [ "${1:-}" = resolve ]; then
  {
    echo "version=$version"
    echo "target=$target"
    echo "release=$release"
    echo "cache-dir=$cache"
    echo "cache-key=temis-$version-${target:-none}"
  } >> "$out"
  exit 0
fi
[ $# -eq 0 ] || fail "unknown argument $1 (install.sh [resolve])"

sha256() {
  if command -v sha256sum >/dev/null; then sha256sum "$1" | awk '{ print $1 }'
  else shasum -a 256 "$1" | awk '{ print $1 }'; fi
}

base=${TEMIS_RELEASE_BASE_URL:-${GITHUB_SERVER_URL:-https://github.com}/${TEMIS_ACTION_REPOSITORY:-}/releases/download}
# HTTPS only, but for a release served on this machine (the tests' local release).
protos='=https'
[[ "$base" =~ ^http://(127\.0\.0\.1|localhost)(:[0-9]+)?(/|$) ]] && protos='=https,http'
# fetch URL FILE: 0 when fetched, 3 when the server has no such file, 1 on any other failure.
fetch() {
  local url=$1 file=$2 auth=() code
  if [ -n "${TEMIS_DOWNLOAD_TOKEN:-}" ] && [[ "$url" == "${GITHUB_SERVER_URL:-https://github.com}/"* ]]; then
    auth=(-H "Authorization: Bearer $TEMIS_DOWNLOAD_TOKEN")
  fi
  rm -f "$file.part"
  if [[ "$url" == file://* ]]; then
    [ -f "${url#file://}" ] || return 3
    cp "${url#file://}" "$file.part" || return 1
  else
    code=$(curl --proto "$protos" --proto-redir "$protos" --tlsv1.2 -sSL --retry 5 --retry-all-errors --connect-timeout 10 \
      ${auth[@]+"${auth[@]}"} -o "$file.part" -w '%{http_code}' "$url") || { rm -f "$file.part"; return 1; }
    if [ "$code" = 404 ]; then rm -f "$file.part"; return 3; fi
    [ "$code" = 200 ] || { rm -f "$file.part"; echo "temis: $url: HTTP $code" >&2; return 1; }
  fi
  mv "$file.part" "$file"
}

from_source() {
  say "$1; building the action's source with cargo (this takes minutes; a release makes it seconds)"
  command -v cargo >/dev/null || fail "cargo is needed to build temis from source (add a Rust toolchain step, or use a released version)"
  cargo install --locked --quiet --root "$tmp/temis-cargo" --path "$action_root"
  bin="$tmp/temis-cargo/bin/$exe"
  from=source
}

bin=""
from=""
if [ "$release" = false ]; then
  if [ "$version" = source ]; then
    from_source "version: source"
  else
    from_source "no release target for ${RUNNER_OS:-$(uname -s)}/${RUNNER_ARCH:-$(uname -m)}"
  fi
else
  mkdir -p "$cache"
  # The expected sum: the committed line wins; the release's SHA256SUMS only for a version this
  # repository has not recorded (the release made from this very tag, for instance).
  expected=$(awk -v a="$asset" '$2 == a { print $1; exit }' "$checksums" 2>/dev/null || true)
  trusted="ci/action/checksums.txt"
  if [ -z "$expected" ]; then
    trusted="the release's SHA256SUMS"
    if [ ! -s "$cache/SHA256SUMS" ]; then
      rc=0
      fetch "$base/v$version/SHA256SUMS" "$cache/SHA256SUMS" || rc=$?
      [ "$rc" -eq 1 ] && fail "cannot download $base/v$version/SHA256SUMS"
    fi
    if [ -s "$cache/SHA256SUMS" ]; then
      expected=$(awk -v a="$asset" '$2 == a || $2 == "*" a { print $1; exit }' "$cache/SHA256SUMS")
    fi
  fi
  if [ -z "$expected" ]; then
    # Nothing for actions/cache to save under this key.
    rmdir "$cache" 2>/dev/null || true
    if [ -s "$cache/SHA256SUMS" ]; then
      from_source "release v$version lists no $asset in its SHA256SUMS"
    else
      from_source "no release v$version at $base (no SHA256SUMS)"
    fi
  else
    [[ "$expected" =~ ^[0-9a-f]{64}$ ]] || fail "the sum of $asset in $trusted is not a SHA-256: $expected"
    if [ -f "$cache/$asset" ]; then
      from=cache
      say "v$version for $target from the cache ($cache)"
    else
      from=download
      say "downloading $base/v$version/$asset"
      rc=0
      fetch "$base/v$version/$asset" "$cache/$asset" || rc=$?
      [ "$rc" -eq 0 ] || fail "cannot download $base/v$version/$asset (the sum of a release of v$version is known: no source build)"
    fi
    actual=$(sha256 "$cache/$asset")
    if [ "$actual" != "$expected" ]; then
      rm -f "$cache/$asset"
      fail "checksum mismatch for $asset: expected $expected ($trusted), got $actual; not installing it"
    fi
    say "SHA-256 of $asset verified against $trusted: $actual"
    dest="$tmp/temis-bin"
    rm -rf "$dest"
    mkdir -p "$dest"
    # GNU tar (Git for Windows) would take the drive letter of D:\a\_temp for a remote host.
    tar_local=()
    [ "$exe" = temis.exe ] && tar --version 2>/dev/null | grep -q 'GNU tar' && tar_local=(--force-local)
    tar ${tar_local[@]+"${tar_local[@]}"} -xzf "$cache/$asset" -C "$dest"
    bin="$dest/$exe"
    [ -f "$bin" ] || fail "$asset holds no $exe at its root"
    chmod +x "$bin"
  fi
fi

say "installed from $from: $("$bin" --version)"
echo "$(dirname "$bin")" >> "${GITHUB_PATH:-/dev/null}"
{
  echo "path=$bin"
  echo "installed-from=$from"
} >> "$out"
