#!/usr/bin/env bash
# The gate over 20 reports totalling ~200 MB against parsing them alone: `temis gate` must take at
# most 1.5x `temis report` on the same files. Median of 3; reports in bench-data/gate/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
TEMIS=$PWD/target/release/temis
DIR=bench-data/gate
mkdir -p "$DIR"
for i in $(seq 1 10); do
    [ -f "$DIR/shard-$i.info" ] || python3 benches/generate.py lcov "$DIR/shard-$i.info" --files 650
    [ -f "$DIR/shard-$i.xml" ] || python3 benches/generate.py cobertura "$DIR/shard-$i.xml" --files 560
done
cat "$DIR"/* >/dev/null
echo "reports: $(ls "$DIR" | wc -l) files, $(du -cm "$DIR"/* | tail -1 | cut -f1) MB"
median3() {
    local t
    t=$(mktemp)
    for _ in 1 2 3; do
        /usr/bin/time -o "$t" -f '%e %M' "$@" >/dev/null 2>&1 || true
        tail -1 "$t"
    done | sort -n | sed -n 2p
    rm -f "$t"
}
read -r report rmem < <(median3 "$TEMIS" report "$DIR"/*)
printf '[coverage]\nmin_line = 50\n[tests]\nrequired = false\n' > "$DIR/../gate-policy.toml"
GATE_DIR=$PWD/$DIR
read -r gate gmem < <(cd "$GATE_DIR" && median3 "$TEMIS" gate --policy ../gate-policy.toml --root . $(ls "$GATE_DIR"))
awk -v r="$report" -v g="$gate" -v rm="$rmem" -v gm="$gmem" 'BEGIN {
    printf "  temis report  %6.2f s  %7.1f MB\n  temis gate    %6.2f s  %7.1f MB  (%.2fx report)\n", r, rm/1024, g, gm/1024, g/r }'
