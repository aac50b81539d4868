#!/usr/bin/env bash
# Times `temis report` on large generated reports against `wc -l` (the cost of reading the bytes)
# and the reference tools users run today, and prints each ratio and peak memory.
#
#   benches/bench.sh [lcov|cobertura|jacoco|sarif …]      (default: lcov cobertura jacoco)
#
# sarif: a ~190 MB SARIF log (74,000 results in 3 runs); temis report against Python's json.load
# of the same file and `sarif summary` (pip install sarif-tools), with the ratio to json.load.
#
# Needs: python3 (the generator), GNU time (/usr/bin/time), and for the peers lcov
# (apt-get install lcov) and pycobertura (pip install pycobertura); a missing peer is reported and
# skipped, never faked. Reports go to bench-data/ (git-ignored, ~1.5 GB); the file is read once
# before timing so every command reads from the page cache. Median of 3 runs.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=bench-data
mkdir -p "$DATA"
if [ -z "${TEMIS:-}" ]; then
    cargo build --release --quiet
    TEMIS=target/release/temis
fi

median3() { # command… → "seconds peak_kb" (median wall time, max RSS of that run)
    local runs=()
    for _ in 1 2 3; do
        local out
        out=$(mktemp)
        /usr/bin/time -o "$out" -f '%e %M' "$@" >/dev/null 2>/dev/null || true
        runs+=("$(tail -1 "$out")")
        rm -f "$out"
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
        sarif) file=$DATA/big.sarif ;;
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
    if [ "$fmt" = sarif ]; then
        local tt=$t tm=$m jl jm
        read -r jl jm < <(median3 python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$file")
        row "python3 json.load" "$jl" "$jm" "$wc"
        if command -v sarif >/dev/null; then
            read -r t m < <(median3 sarif summary "$file")
            row "sarif summary (sarif-tools)" "$t" "$m" "$wc"
        else echo "  sarif-tools not installed: pip install sarif-tools"; fi
        awk -v t="$tt" -v j="$jl" -v m="$tm" -v s="$(stat -c %s "$file")" 'BEGIN {
            printf "  temis / json.load: %.3f (budget <= 0.25); temis peak / file size: %.3f (budget < 0.5)\n",
                t / j, m * 1024 / s }'
    fi
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
