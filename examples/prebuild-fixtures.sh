#!/usr/bin/env bash
# Build the benchmark ladder into ./fixtures (or $1). Idempotent: corpora that
# are already complete and identical are left alone, so re-running is cheap
# and safe; an interrupted run never leaves a corpus that looks complete.
set -euo pipefail
out="${1:-fixtures}"
bin="${NOET_CORPUS:-noet-corpus}"
command -v "$bin" >/dev/null || { echo "install noet-corpus first: cargo install --path ." >&2; exit 1; }
# --force: this script owns $out, so a corpus the ladder no longer matches
# (a new noet-corpus with a new corpus format) is replaced, not refused.
"$bin" suite ladder --out "$out" --force
echo "fixtures ready in $out (suite key $("$bin" key --suite ladder))"
