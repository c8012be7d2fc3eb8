#!/usr/bin/env bash
# Time per revision step: `edit` steps a 10 MB and a 100 MB corpus through
# STEPS revisions in one run, each step committed on disk (journal, files
# renamed into place, a delta beside the manifest). A step should cost
# what it changes, so the time per step should be about the same at both
# sizes. The first step (reading the corpus and indexing it) is timed
# apart.
#
#   benches/revisions.sh [STEPS] [DIR]
#
# STEPS defaults to 1000, DIR to a new temporary folder (use a fresh
# folder on the disk you want measured; nothing is deleted).
set -euo pipefail
steps=${1:-1000}
dir=${2:-$(mktemp -d)}
bin=${NOET_CORPUS:-$(dirname "$0")/../target/release/noet-corpus}
mkdir -p "$dir"
secs() { /usr/bin/time -f %e "$@" 2>&1 >/dev/null | tail -1; }
printf '%-6s %8s %10s %12s %10s %12s\n' size load_s "steps" total_s ms_step bytes_after
for size in 10MB 100MB; do
    c="$dir/c$size"
    "$bin" gen --size "$size" --seed 1 --out "$c" -q
    first=$(secs "$bin" edit "$c" --to 1 -q)
    total=$(secs "$bin" edit "$c" --to $((steps + 1)) -q)
    # The run's own load (as the first run's) is taken out of the steps.
    per=$(echo "($total - $first) * 1000 / $steps" | bc -l)
    bytes=$("$bin" info "$c" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["bytes"])')
    printf '%-6s %8s %10s %12s %10.2f %12s\n' "$size" "$first" "$steps" "$total" "$per" "$bytes"
done
