#!/usr/bin/env bash
# A watch-mode rebuild benchmark with a real tool: MkDocs' `mkdocs serve`
# watches a corpus while `noet-corpus edit` steps it one revision at a
# time; for each step this prints the files the step changed, removed and
# affected (from `edit --json`), the seconds from the step's commit to
# MkDocs' "Documentation built" line, and the build time MkDocs reports.
#
#   benches/watch.sh [STEPS] [SIZE] [DIR]
#
# Needs `mkdocs` (pip install mkdocs) and a release build (cargo build
# --release). STEPS defaults to 5, SIZE to 2MB, DIR to a new temporary
# folder. The corpus is the default profile in the gfm dialect (MkDocs
# reads GitHub-style markdown), at DIR/docs, with DIR/mkdocs.yml beside it.
set -euo pipefail
steps=${1:-5}
size=${2:-2MB}
dir=${3:-$(mktemp -d)}
bin=${NOET_CORPUS:-$(dirname "$0")/../target/release/noet-corpus}
command -v mkdocs >/dev/null || { echo "mkdocs not found: pip install mkdocs" >&2; exit 2; }
mkdir -p "$dir"
"$bin" gen --dialect gfm --size "$size" --seed 1 --out "$dir/docs" -q
printf 'site_name: corpus\ndocs_dir: docs\n' > "$dir/mkdocs.yml"
log="$dir/serve.log"
(cd "$dir" && exec mkdocs serve -a 127.0.0.1:8765 > "$log" 2>&1) &
serve=$!
trap 'kill $serve 2>/dev/null || true' EXIT
built() { grep -c "Documentation built" "$log" || true; }
wait_for() { # until the log has more than $1 builds; 120 s at most
    local n=$1 t=0
    while [ "$(built)" -le "$n" ]; do sleep 0.05; t=$((t + 1)); [ $t -lt 2400 ] || { echo "no rebuild" >&2; exit 1; }; done
}
wait_for 0
sleep 1 # let the watcher settle after the first build
printf '%-4s %7s %7s %8s %9s %9s\n' rev changed removed affected latency_s mkdocs_s
for r in $(seq 1 "$steps"); do
    n=$(built)
    step=$("$bin" edit "$dir/docs" --to "$r" --json)
    t0=$(date +%s.%N)
    wait_for "$n"
    t1=$(date +%s.%N)
    # MkDocs may start a second build for the same step (it sees the
    # journal's folder too); the first line after the step is its build.
    secs=$(grep "Documentation built" "$log" | sed -n "$((n + 1))p" | sed 's/.* in \([0-9.]*\) seconds.*/\1/')
    printf '%-4s %7s %7s %8s %9.2f %9s\n' "$r" \
        "$(echo "$step" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["changed"])+len(d["added"]))')" \
        "$(echo "$step" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["removed"]))')" \
        "$(echo "$step" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["affected"]))')" \
        "$(echo "$t1 - $t0" | bc)" "$secs"
    sleep 1
done
