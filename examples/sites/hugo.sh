#!/usr/bin/env bash
# Benchmark `hugo` on a ladder of noet-corpus sites: the template
# an SSG author copies. Builds each corpus once (a rerun of `gen` is a
# no-op), times the tool's builds into fresh folders, prints a table.
#
#   examples/sites/hugo.sh [SIZES...]        # default: 1MB 10MB 50MB
#   HUGO=/path/to/hugo RUNS=3 PROFILE=realistic examples/sites/hugo.sh 20MB
set -euo pipefail
sizes=("${@:-1MB 10MB 50MB}"); read -r -a sizes <<< "${sizes[*]}"
noet=${NOET_CORPUS:-noet-corpus}
hugo=${HUGO:-hugo}
runs=${RUNS:-3}
profile=${PROFILE:-default}
dir=${DIR:-bench-sites/hugo}
mkdir -p "$dir"
printf '%-8s %8s %10s %10s %12s\n' size pages best_s median_s pages_per_s
for size in "${sizes[@]}"; do
    c="$dir/$profile-$size"
    "$noet" gen --site hugo --profile "$profile" --size "$size" --seed 1 -q --out "$c"
    pages=$("$noet" manifest "$c" --files | wc -l)
    times=()
    for r in $(seq "$runs"); do
        out="$dir/out-$size-$r-$$"   # a fresh folder per build
        start=$(date +%s.%N)
        "$hugo" --quiet --source "$c" --destination "$(realpath -m "$out")" >/dev/null 2>&1
        times+=("$(echo "$(date +%s.%N) - $start" | bc)")
    done
    sorted=$(printf '%s\n' "${times[@]}" | sort -n)
    best=$(echo "$sorted" | head -1)
    median=$(echo "$sorted" | sed -n "$(( (runs + 1) / 2 ))p")
    printf '%-8s %8d %10.2f %10.2f %12.0f\n' "$size" "$pages" "$best" "$median" "$(echo "$pages / $median" | bc -l)"
done
