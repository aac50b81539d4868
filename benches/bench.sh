#!/usr/bin/env bash
# Times temis on large generated reports against the floors they are held to, in one run, and
# prints each ratio beside its bound (issue 17): `wc -l` (the cost of reading the bytes), Python's
# json.load, and `temis report`'s own peak memory for `temis gate`.
#
#   benches/bench.sh                  every group below
#   benches/bench.sh json             JSON readers: SARIF (3 runs, and 1 as CodeQL writes it), Istanbul,
#                                     llvm-cov, coverage.py JSON, go test -json, CTRF
#                                     bound: ≤ 8× wc -l; SARIF ≤ 0.25× json.load
#   benches/bench.sh xml-tests        JUnit, TRX, NUnit 3, xUnit v2 XML   bound: ≤ 4× wc -l
#   benches/bench.sh report-json      `temis report --format json` on the 489 MB LCOV   bound: ≤ 3× wc -l
#   benches/bench.sh memory           `temis gate` peak RSS against `temis report`'s, on the SARIF log
#                                                                  bound: ≤ 1.2×
#   benches/bench.sh floors           LCOV, Cobertura, JaCoCo (must stay as fast as before) with their peers
#   benches/bench.sh lcov sarif …     single formats (lcov cobertura jacoco sarif sarif-1run istanbul
#                                     llvm-cov coveragepy-json gotest ctrf junit trx nunit xunit)
#
# Each row: median wall time of 3 runs to the 0.1 ms, less the time it takes to start a command
# (`true`'s, printed first; the file is read once before, so all come from the page cache), the
# CPU time (user + system) and peak RSS of that run, and the ratio of wall times to `wc -l` on
# the same file. Bounds are printed as `ok` or `MISS`. TEMIS=path picks the binary
# (default: a release build of this tree); BEFORE=path adds a row for another build (the one
# before a change) beside each temis row, in the same run; NO_PEERS=1 leaves out the slow peers
# (lcov --summary, pycobertura, sarif-tools: minutes each), never json.load (a bound).
#
# The floor moves with how the kernel holds each file's pages: a fresh copy of the LCOV
# (`cp`, read once) is read by `wc -l` a third faster than the file the generator wrote, the same
# bytes (benches/README.md, twelfth pass). Compare builds in one run, on the same files;
# FRESH=1 writes each input anew before it is measured, which puts every file in that state.
#
# Needs: python3 (the generators, benches/generate.py), GNU time (/usr/bin/time); for the peers
# lcov (apt-get install lcov), pycobertura and sarif-tools (pip); a missing peer is reported and
# skipped, never faked. Reports go to bench-data/ (git-ignored; ~3.5 GB in all), written once by
# benches/generate.py (deterministic) and reused.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=bench-data
mkdir -p "$DATA/speed"
if [ -z "${TEMIS:-}" ]; then
    cargo build --release --quiet
    TEMIS=target/release/temis
fi

once() { # command… → "wall cpu peak_kb" of one run: the wall time to the 0.1 ms around GNU time
    # (whose own %e has 10 ms, coarse beside wc -l's 20-40 ms; starting GNU time adds ~1 ms to
    # every row alike), and the command's CPU (user + system) and peak RSS as GNU time gives them
    local out
    out=$(mktemp)
    python3 - "$out" "$@" <<'PY'
import subprocess, sys, time
out, command = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
subprocess.run(["/usr/bin/time", "-o", out, "-f", "%U %S %M", *command],
               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wall = time.perf_counter() - start
user, system, kb = open(out).read().split()[-3:]
print(f"{wall:.4f} {float(user) + float(system):.2f} {kb}")
PY
    rm -f "$out"
}

median3() { # command… → "wall cpu peak_kb" (median wall time, less the cost of starting a
    # command, measured once as `true`'s; CPU and max RSS of that run)
    local runs=()
    for _ in 1 2 3; do
        runs+=("$(once "$@")")
    done
    printf '%s\n' "${runs[@]}" | sort -n | sed -n 2p | awk -v s="${START:-0}" '{ printf "%.4f %s %s\n", $1 - s, $2, $3 }'
}

row() { # label wall cpu kb base
    awk -v l="$1" -v s="$2" -v c="$3" -v k="$4" -v b="$5" \
        'BEGIN { printf "  %-34s %7.3f s  cpu %6.2f s  %8.1f MB  %6.1f× wc -l\n", l, s, c, k / 1024, (b > 0 ? s / b : 0) }'
}

bound() { # what value limit
    awk -v w="$1" -v v="$2" -v b="$3" 'BEGIN { printf "  => %-40s %6.2f  (bound ≤ %s)  %s\n", w, v, b, (v <= b ? "ok" : "MISS") }'
}

file_of() {
    case $1 in
        lcov) echo "$DATA/big.info" ;;
        cobertura) echo "$DATA/big-cobertura.xml" ;;
        jacoco) echo "$DATA/big-jacoco.xml" ;;
        sarif) echo "$DATA/big.sarif" ;;
        sarif-1run) echo "$DATA/speed/big-sarif-1run.sarif" ;;
        junit | nunit | xunit) echo "$DATA/speed/big-$1.xml" ;;
        trx) echo "$DATA/speed/big-$1.trx" ;;
        *) echo "$DATA/speed/big-$1.json" ;;
    esac
}

prepare() { # format → the file, generated once, read once into the page cache
    local file
    file=$(file_of "$1")
    if [ ! -f "$file" ]; then
        case $1 in
            sarif-1run) python3 benches/generate.py sarif "$file" --runs 1 >&2 ;;
            *) python3 benches/generate.py "$1" "$file" >&2 ;;
        esac
    fi
    if [ -n "${FRESH:-}" ]; then
        # Written anew, so that the kernel holds its pages as it holds a fresh copy's.
        cp "$file" "$file.fresh" && mv "$file.fresh" "$file"
    fi
    cat "$file" >/dev/null
    echo "$file"
}

WC=0
header() { # format file → sets WC (wc -l's median wall time)
    local m c
    echo "$1: $2 ($(du -mL "$2" | cut -f1) MB, $(wc -l <"$2") lines)"
    read -r WC c m < <(median3 wc -l "$2")
    row "wc -l" "$WC" "$c" "$m" "$WC"
}

bench() { # format [bound × wc -l]
    local fmt=$1 limit=${2:-} file t c m
    file=$(prepare "$fmt")
    header "$fmt" "$file"
    if [ -n "${BEFORE:-}" ]; then
        read -r t c m < <(median3 "$BEFORE" report "$file")
        row "temis report (BEFORE)" "$t" "$c" "$m" "$WC"
    fi
    read -r t c m < <(median3 "$TEMIS" report "$file")
    row "temis report" "$t" "$c" "$m" "$WC"
    [ -z "$limit" ] || bound "temis report / wc -l" "$(awk -v t="$t" -v w="$WC" 'BEGIN { print t / w }')" "$limit"
    case $fmt in
        sarif | sarif-1run)
            local jl jc jm
            read -r jl jc jm < <(median3 python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$file")
            row "python3 json.load" "$jl" "$jc" "$jm" "$WC"
            if [ -n "${NO_PEERS:-}" ]; then :
            elif command -v sarif >/dev/null; then
                read -r tt tc tm < <(median3 sarif summary "$file")
                row "sarif summary (sarif-tools)" "$tt" "$tc" "$tm" "$WC"
            else echo "  sarif-tools not installed: pip install sarif-tools"; fi
            bound "temis report / json.load" "$(awk -v t="$t" -v j="$jl" 'BEGIN { print t / j }')" 0.25 ;;
        lcov)
            if [ -n "${NO_PEERS:-}" ]; then :
            elif command -v lcov >/dev/null; then
                read -r t c m < <(median3 lcov --summary "$file" --rc lcov_branch_coverage=1)
                row "lcov --summary (branches)" "$t" "$c" "$m" "$WC"
            else echo "  lcov not installed: apt-get install lcov"; fi ;;
        cobertura)
            if [ -n "${NO_PEERS:-}" ]; then :
            elif command -v pycobertura >/dev/null; then
                read -r t c m < <(median3 pycobertura show "$file")
                row "pycobertura show" "$t" "$c" "$m" "$WC"
            else echo "  pycobertura not installed: pip install pycobertura"; fi ;;
    esac
}

report_json() { # `temis report --format json` (v2, ranges) and --format json-v1 on the LCOV
    local file t c m
    file=$(prepare lcov)
    header "report-json" "$file"
    read -r t c m < <(median3 "$TEMIS" report "$file")
    row "temis report (human)" "$t" "$c" "$m" "$WC"
    if [ -n "${BEFORE:-}" ]; then
        read -r t c m < <(median3 "$BEFORE" report --format json "$file")
        row "temis report --format json (BEFORE)" "$t" "$c" "$m" "$WC"
        echo "  BEFORE output: $("$BEFORE" report --format json "$file" | wc -c | awk '{ printf "%.1f MB", $1 / 1048576 }')"
    fi
    read -r t c m < <(median3 "$TEMIS" report --format json "$file")
    row "temis report --format json (v2)" "$t" "$c" "$m" "$WC"
    bound "report --format json / wc -l" "$(awk -v t="$t" -v w="$WC" 'BEGIN { print t / w }')" 3
    echo "  v2 output: $("$TEMIS" report --format json "$file" | wc -c | awk '{ printf "%.1f MB", $1 / 1048576 }')"
    read -r t c m < <(median3 "$TEMIS" report --format json-v1 "$file")
    row "temis report --format json-v1" "$t" "$c" "$m" "$WC"
}

memory() { # `temis gate` against `temis report`, peak RSS, on the same SARIF log
    local file dir r rc rm g gc gm
    file=$(prepare sarif)
    dir=$DATA/speed/gate-sarif
    mkdir -p "$dir"
    ln -sf "$(realpath "$file")" "$dir/results.sarif"
    printf '[security]\nrequired = true\n' >"$dir/temis.toml"
    echo "memory: $file ($(du -mL "$file" | cut -f1) MB)"
    read -r r rc rm < <(median3 "$TEMIS" report "$dir/results.sarif")
    row "temis report" "$r" "$rc" "$rm" 0
    if [ -n "${BEFORE:-}" ]; then
        read -r g gc gm < <(median3 "$BEFORE" gate --policy "$dir/temis.toml" --root "$dir" "$dir/results.sarif")
        row "temis gate (BEFORE)" "$g" "$gc" "$gm" 0
        bound "BEFORE gate peak / report peak" "$(awk -v g="$gm" -v r="$rm" 'BEGIN { print g / r }')" 1.2
    fi
    read -r g gc gm < <(median3 "$TEMIS" gate --policy "$dir/temis.toml" --root "$dir" "$dir/results.sarif")
    row "temis gate" "$g" "$gc" "$gm" 0
    bound "gate peak RSS / report peak RSS" "$(awk -v g="$gm" -v r="$rm" 'BEGIN { print g / r }')" 1.2
}

run() {
    case $1 in
        json) for f in sarif sarif-1run istanbul llvm-cov coveragepy-json gotest ctrf; do bench "$f" 8; done ;;
        xml-tests) for f in junit trx nunit xunit; do bench "$f" 4; done ;;
        report-json) report_json ;;
        memory) memory ;;
        floors) for f in lcov cobertura jacoco; do bench "$f"; done ;;
        sarif | sarif-1run | istanbul | llvm-cov | coveragepy-json | gotest | ctrf) bench "$1" 8 ;;
        junit | trx | nunit | xunit) bench "$1" 4 ;;
        *) bench "$1" ;;
    esac
}

START=0
read -r START _ < <(median3 true)
echo "starting a command: $(awk -v s="$START" 'BEGIN { printf "%.1f ms", s * 1000 }') (taken off every wall time below)"
for group in "${@:-json xml-tests report-json memory floors}"; do
    for g in $group; do run "$g"; done
done
