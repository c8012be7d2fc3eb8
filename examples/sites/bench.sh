#!/usr/bin/env bash
# Benchmark a static site generator on a ladder of noet-corpus sites: the
# template an SSG author copies. Generates each corpus once (a rerun of
# `gen` is a no-op), times the tool's builds into fresh folders, prints a
# table. To add a tool, add its build command to `build` below.
#
#   examples/sites/bench.sh mdbook|mkdocs|hugo [SIZES...]   # default sizes: 1MB 10MB 50MB
#   TOOL_BIN=/path/to/mkdocs RUNS=3 PROFILE=realistic examples/sites/bench.sh mkdocs 20MB
set -euo pipefail
tool=${1:?usage: bench.sh mdbook|mkdocs|hugo [SIZES...]}
shift
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1MB 10MB 50MB)
noet=${NOET_CORPUS:-noet-corpus}
bin=${TOOL_BIN:-$tool}
runs=${RUNS:-3}
profile=${PROFILE:-default}
dir=${DIR:-bench-sites/$tool}

# build CORPUS OUT: build the site of CORPUS into the fresh folder OUT.
build() {
    case $tool in
        mdbook) "$bin" build "$1" --dest-dir "$2" ;;
        mkdocs) (cd "$1" && "$bin" build --quiet --site-dir "$2") ;;
        hugo) "$bin" --quiet --source "$1" --destination "$2" ;;
        *) echo "bench.sh: no build command for $tool" >&2; exit 2 ;;
    esac
}

mkdir -p "$dir"
printf '%-8s %8s %10s %10s %12s\n' size pages best_s median_s pages_per_s
for size in "${sizes[@]}"; do
    c="$dir/$profile-$size"
    "$noet" gen --site "$tool" --profile "$profile" --size "$size" --seed 1 -q --out "$c"
    pages=$("$noet" manifest "$c" --files | wc -l)
    times=()
    for r in $(seq "$runs"); do
        out=$(realpath -m "$dir/out-$size-$r-$$")   # a fresh folder per build
        start=$(date +%s.%N)
        build "$c" "$out" >/dev/null 2>&1
        times+=("$(echo "$(date +%s.%N) - $start" | bc)")
    done
    sorted=$(printf '%s\n' "${times[@]}" | sort -n)
    best=$(echo "$sorted" | head -1)
    median=$(echo "$sorted" | sed -n "$(( (runs + 1) / 2 ))p")
    printf '%-8s %8d %10.2f %10.2f %12.0f\n' "$size" "$pages" "$best" "$median" "$(echo "$pages / $median" | bc -l)"
done
