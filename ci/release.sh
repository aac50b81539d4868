#!/usr/bin/env bash
# The release process's three steps, run by .github/workflows/release.yml and by a maintainer:
#
#   ci/release.sh package VERSION TARGET BINARY OUT_DIR
#       Packs BINARY (a temis built for TARGET) as OUT_DIR/temis-vVERSION-TARGET.tar.gz, the asset
#       the action's install.sh downloads, and prints its `SHA256  ASSET` line. The archive holds
#       the binary (temis, or temis.exe for a Windows target) and README.md; with GNU tar and gzip
#       the same binary gives the same bytes (sorted names, fixed times and owners, no gzip name).
#
#   ci/release.sh sums VERSION DIR
#       Writes DIR/SHA256SUMS (`sha256sum` format, sorted by name) for every
#       temis-vVERSION-*.tar.gz in DIR: the release's sums file, uploaded beside the archives.
#       The action checks an archive against it when checksums.txt has no line for the archive.
#
#   ci/release.sh record VERSION DIR [CHECKSUMS]
#       Computes the SHA-256 of every temis-vVERSION-*.tar.gz in DIR (the archives downloaded
#       from the published release, not a file of sums served beside them) and writes them into
#       CHECKSUMS (default: ci/action/checksums.txt beside this script), whose `version` line then
#       names VERSION as the latest recorded. Lines of other versions and the comments are kept; a
#       line of this version's asset is replaced. Commit the result: a recorded sum is checked
#       before, and instead of, the release's SHA256SUMS.
set -euo pipefail
unset CDPATH

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
usage() {
  sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
die() { echo "error: $*" >&2; exit 2; }

sha256() {
  if command -v sha256sum >/dev/null; then sha256sum "$1" | awk '{ print $1 }'
  else shasum -a 256 "$1" | awk '{ print $1 }'; fi
}

valid_version() { [[ "$1" =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]] || die "version $1 is not X.Y.Z"; }

package() {
  [ $# -eq 4 ] || usage
  local version=${1#v} target=$2 binary=$3 out=$4
  valid_version "$version"
  [[ "$target" =~ ^[a-z0-9_]+(-[a-z0-9_]+){2,3}$ ]] || die "target $target is not a Rust target triple"
  [ -f "$binary" ] || die "$binary: no such binary"
  local exe=temis
  [[ "$target" == *windows* ]] && exe=temis.exe
  mkdir -p "$out"
  local staging
  staging=$(mktemp -d)
  trap 'rm -rf "$staging"' RETURN
  cp "$binary" "$staging/$exe"
  chmod 755 "$staging/$exe"
  cp "$here/../README.md" "$staging/README.md"
  chmod 644 "$staging/README.md"
  local asset="temis-v$version-$target.tar.gz"
  if tar --version 2>/dev/null | grep -q 'GNU tar'; then
    tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$staging" -cf - "$exe" README.md \
      | gzip -n -9 > "$out/$asset.part"
  else
    tar -C "$staging" -cf - "$exe" README.md | gzip -n -9 > "$out/$asset.part"
  fi
  mv "$out/$asset.part" "$out/$asset"
  echo "$(sha256 "$out/$asset")  $asset"
}

record() {
  [ $# -eq 2 ] || [ $# -eq 3 ] || usage
  local version=${1#v} dir=$2 checksums=${3:-$here/action/checksums.txt}
  valid_version "$version"
  [ -f "$checksums" ] || die "$checksums: no such file"
  local assets=() f
  for f in "$dir"/temis-v"$version"-*.tar.gz; do
    [ -f "$f" ] && assets+=("$f")
  done
  [ ${#assets[@]} -gt 0 ] || die "$dir holds no temis-v$version-*.tar.gz"
  local new
  new=$(mktemp "$checksums.XXXXXX")
  {
    # The comments as they were, then the version installed by default, then every sum.
    grep '^#' "$checksums" || true
    echo "version $version"
    {
      awk -v v="temis-v$version-" '!/^#/ && $1 != "version" && NF == 2 && index($2, v) != 1' "$checksums"
      for f in "${assets[@]}"; do
        echo "$(sha256 "$f")  $(basename "$f")"
      done
    } | LC_ALL=C sort -k2
  } > "$new"
  chmod 644 "$new"
  mv "$new" "$checksums"
  echo "recorded ${#assets[@]} archive(s) of v$version in $checksums"
}

sums() {
  [ $# -eq 2 ] || usage
  local version=${1#v} dir=$2 f n=0
  valid_version "$version"
  local new
  new=$(mktemp "$dir/SHA256SUMS.XXXXXX")
  for f in "$dir"/temis-v"$version"-*.tar.gz; do
    [ -f "$f" ] || continue
    echo "$(sha256 "$f")  $(basename "$f")"
    n=$((n + 1))
  done | LC_ALL=C sort -k2 > "$new"
  [ -s "$new" ] || { rm -f "$new"; die "$dir holds no temis-v$version-*.tar.gz"; }
  chmod 644 "$new"
  mv "$new" "$dir/SHA256SUMS"
  cat "$dir/SHA256SUMS"
}

case "${1:-}" in
  package) shift; package "$@" ;;
  sums) shift; sums "$@" ;;
  record) shift; record "$@" ;;
  *) usage ;;
esac
