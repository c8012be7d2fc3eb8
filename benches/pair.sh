#!/usr/bin/env bash
# Compare the generator's time per byte of two noet-corpus binaries in
# back-to-back pairs (order alternating), judged by the median of the
# per-pair ratios: on a VM whose speed drifts over a minute, unpaired
# minima and medians of the two disagree from round to round.
#
#   benches/pair.sh OLD_BIN NEW_BIN [PAIRS] [SIZE]
#
# Prints the mean user seconds of each and the NEW/OLD ratio's min,
# quartiles and max. PAIRS defaults to 30, SIZE to 200MB. Each run is
# `gen --size SIZE --seed 42 --dry-run --no-validate -q -j1` (the generator
# alone, one thread, no disk).
set -euo pipefail
old=${1:?usage: benches/pair.sh OLD_BIN NEW_BIN [PAIRS] [SIZE]}
new=${2:?usage: benches/pair.sh OLD_BIN NEW_BIN [PAIRS] [SIZE]}
pairs=${3:-30}
size=${4:-200MB}
user() {
    { /usr/bin/time -f %U "$1" gen --size "$size" --seed 42 --dry-run --no-validate -q -j1 >/dev/null; } 2>&1 | tail -1
}
for i in $(seq "$pairs"); do
    if (( i % 2 )); then b=$(user "$new"); a=$(user "$old"); else a=$(user "$old"); b=$(user "$new"); fi
    echo "$a $b"
done | awk '{ printf "%s %s %.6f\n", $1, $2, $2 / $1 }' | sort -k3 -g | awk '
{ r[NR] = $3; sa += $1; sb += $2 }
END {
    n = NR
    printf "pairs %d  mean old %.3f s  mean new %.3f s\n", n, sa / n, sb / n
    printf "new/old: min %.3f  q1 %.3f  median %.3f  q3 %.3f  max %.3f\n",
        r[1], r[int(n / 4) + 1], r[int(n / 2) + 1], r[int(3 * n / 4) + 1], r[n]
}'
