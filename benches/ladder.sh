#!/usr/bin/env bash
# The macro benchmark: the seed's ladder of corpora, each generated with and
# without validation, validated, parsed (pulldown-cmark alone, the floor),
# and re-generated (the up-to-date no-op). One table: bytes, files, wall
# seconds, MB/s, files/s and peak RSS per step.
#
#   benches/ladder.sh            # the ladder (10KB .. 100MB, 10..1000 files)
#   benches/ladder.sh --xl       # plus 1 GB and 100,000 files (needs ~8 GB of disk)
#   benches/ladder.sh --xxl      # only a 10 GB corpus: the generator alone, gen
#                                # with validation but no disk (--dry-run),
#                                # gen --no-validate, and validate of what it
#                                # wrote (needs ~36 GB of disk)
#   benches/ladder.sh --dir D    # where to write (default: a fresh folder in /tmp)
#   benches/ladder.sh --jobs N   # worker threads (default: all cores)
#   benches/ladder.sh --only C   # only corpus C (repeatable), e.g. --only files-1000
#   benches/ladder.sh --bin B    # time binary B instead of building this tree
#                                # (to compare two builds under the same conditions)
#
# Everything is written into fresh folders: on ext4, creating files right
# after deleting many is several times slower for a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
xl=0; dir=""; jobs=$(nproc); bin=""; only=" "
while [ $# -gt 0 ]; do
  case "$1" in
    --xl) xl=1 ;;
    --xxl) xl=2 ;;
    --dir) dir="$2"; shift ;;
    --jobs) jobs="$2"; shift ;;
    --bin) bin="$(realpath "$2")"; shift ;;
    --only) only="$only$2 "; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
if [ -z "$bin" ]; then
  cargo build --release --quiet
  bin="$PWD/target/release/noet-corpus"
fi
dir="${dir:-$(mktemp -d /tmp/noet-bench.XXXXXX)}"
mkdir -p "$dir"
tf="$dir/.time"

cases=(
  "doc-10KB 10KB 1" "doc-100KB 100KB 1" "doc-1MB 1MB 1" "doc-10MB 10MB 1" "doc-100MB 100MB 1"
  "files-10 500KB 10" "files-100 5MB 100" "files-1000 50MB 1000"
)
if [ "$xl" = 1 ]; then cases+=("corpus-1GB 1GB -" "files-100000 1GB 100000"); fi
if [ "$xl" = 2 ]; then cases=("corpus-10GB 10GB -"); fi

# run STEP NAME BYTES FILES CMD...: time CMD, print a row.
run() {
  local step="$1" name="$2" bytes="$3" files="$4"; shift 4
  /usr/bin/time -f "%e %M" -o "$tf" "$@" >"$dir/.out" 2>"$dir/.err" || { echo "FAILED: $*" >&2; cat "$dir/.err" >&2; exit 1; }
  read -r secs rss < "$tf"
  awk -v s="$step" -v n="$name" -v b="$bytes" -v f="$files" -v t="$secs" -v r="$rss" 'BEGIN {
    t1 = (t < 0.005 ? 0.005 : t);
    printf "%-13s %-14s %13.0f %7d %8.2f %9.1f %10.0f %8.1f\n", n, s, b, f, t, b / 1e6 / t1, f / t1, r / 1024 }'
}

echo "noet-corpus $($bin --version | cut -d' ' -f2-) on $(nproc) cores, jobs $jobs, writing to $dir ($(df -hT "$dir" | awk 'NR==2 {print $2" on "$1}'))"
printf "%-13s %-14s %13s %7s %8s %9s %10s %8s\n" corpus step bytes files seconds MB/s files/s "RSS MB"
for c in "${cases[@]}"; do
  read -r name size files <<<"$c"
  if [ "$only" != " " ] && [[ "$only" != *" $name "* ]]; then continue; fi
  fl=(); [ "$files" != "-" ] && fl=(--files "$files")
  bytes=$(numfmt --from=si "${size%B}")
  out="$dir/$name"
  n=$("$bin" gen --size "$size" "${fl[@]}" --seed 1 --dry-run --no-validate --json | grep -o '"files":[0-9]*' | cut -d: -f2)
  run gen-dry-run "$name" "$bytes" "$n" "$bin" gen --size "$size" "${fl[@]}" --seed 1 --jobs "$jobs" --quiet --no-validate --dry-run
  if [ "$xl" = 2 ]; then
    # Two 10 GB trees (plus their manifests) would need ~56 GB: validation's
    # memory is measured without the disk, the disk without validation.
    run gen-dry-valid "$name" "$bytes" "$n" "$bin" gen --size "$size" "${fl[@]}" --seed 1 --jobs "$jobs" --quiet --dry-run
    run gen-no-valid "$name" "$bytes" "$n" "$bin" gen --size "$size" "${fl[@]}" --seed 1 --jobs "$jobs" --quiet --no-validate --out "$out.nv"
    run validate "$name" "$bytes" "$n" "$bin" validate "$out.nv" --jobs "$jobs"
    run rerun "$name" "$bytes" "$n" "$bin" gen --size "$size" "${fl[@]}" --seed 1 --jobs "$jobs" --quiet --no-validate --out "$out.nv"
    continue
  fi
  run gen "$name" "$bytes" "$n" "$bin" gen --size "$size" "${fl[@]}" --seed 1 --jobs "$jobs" --quiet --out "$out"
  run gen-no-valid "$name" "$bytes" "$n" "$bin" gen --size "$size" "${fl[@]}" --seed 1 --jobs "$jobs" --quiet --no-validate --out "$out.nv"
  run validate "$name" "$bytes" "$n" "$bin" validate "$out" --jobs "$jobs"
  run parse-only "$name" "$bytes" "$n" "$bin" validate "$out" --jobs "$jobs" --parse-only
  run rerun "$name" "$bytes" "$n" "$bin" gen --size "$size" "${fl[@]}" --seed 1 --jobs "$jobs" --quiet --out "$out"
  if [ "$xl" = 1 ] && [ "$name" = corpus-1GB ]; then
    run cp-r "$name" "$bytes" "$n" cp -r "$out.nv" "$out.copy"
  fi
done
echo "corpora left in $dir (remove with: rm -rf $dir)"
