#!/usr/bin/env bash
# Times `temis report` on large generated reports against `wc -l` (the cost of reading the bytes)
# and the reference tools users run today, and prints each ratio and peak memory.
#
#   benches/bench.sh [lcov|cobertura|jacoco …]      (default: all three)
#
# Needs: python3 (the generator), GNU time (/usr/bin/time), and for the peers lcov
# (apt-get install lcov) and pycobertura (pip install pycobertura); a missing peer is reported and
# skipped, never faked. Reports go to bench-data/ (git-ignored, ~1.5 GB); the file is read once
# before timing so every command reads from the page cache. Median of 3 runs.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=bench-data
mkdir -p "$DATA"
cargo build --release --quiet
TEMIS=target/release/temis

median3() { # command… → "seconds peak_kb" (median wall time, max RSS of that run)
    local runs=()
    for _ in 1 2 3; do
        runs+=("$( { /usr/bin/time -f '%e %M' "$@" >/dev/null 2>/dev/null; } 2>&1 | tail -1)")
    done
    printf '%s\n' "${runs[@]}" | sort -n | sed -n 2p
}

row() { # label seconds kb base
    awk -v l="$1" -v s="$2" -v k="$3" -v b="$4" \
        'BEGIN { printf "  %-28s %8.2f s  %8.1f MB  %7.1f× wc -l\n", l, s, k / 1024, (b > 0 ? s / b : 0) }'
}

bench() {
    local fmt=$1 file
    case $fmt in
        lcov) file=$DATA/big.info ;;
        cobertura) file=$DATA/big-cobertura.xml ;;
        jacoco) file=$DATA/big-jacoco.xml ;;
    esac
    [ -f "$file" ] || python3 benches/generate.py "$fmt" "$file"
    cat "$file" >/dev/null
    local size wc t m
    size=$(du -m "$file" | cut -f1)
    echo "$fmt: $file (${size} MB, $(grep -c '' "$file") lines)"
    read -r wc m < <(median3 wc -l "$file")
    row "wc -l" "$wc" "$m" "$wc"
    read -r t m < <(median3 "$TEMIS" report "$file")
    row "temis report" "$t" "$m" "$wc"
    case $fmt in
        lcov)
            if command -v lcov >/dev/null; then
                read -r t m < <(median3 lcov --summary "$file" --rc lcov_branch_coverage=1)
                row "lcov --summary (branches)" "$t" "$m" "$wc"
            else echo "  lcov not installed: apt-get install lcov"; fi ;;
        cobertura)
            if command -v pycobertura >/dev/null; then
                read -r t m < <(median3 pycobertura show "$file")
                row "pycobertura show" "$t" "$m" "$wc"
            else echo "  pycobertura not installed: pip install pycobertura"; fi ;;
    esac
}

for fmt in "${@:-lcov cobertura jacoco}"; do
    for f in $fmt; do bench "$f"; done
done
