#!/usr/bin/env bash
# Install the real tools that the end-to-end tests run (tests/it/tools.rs)
# into target/tools, pinned, without touching the system:
#   target/tools/venv          MkDocs 1.6.1 (PyPI), in a virtual environment
#   target/tools/node_modules  remark-cli with remark-validate-links (npm)
# Needs python3 (with venv) and npm. Run again to check; it is quick when
# everything is there. The tests look here first (or in $NOET_CORPUS_TOOLS),
# then on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${NOET_CORPUS_TOOLS:-target/tools}
mkdir -p "$dir"
if ! "$dir/venv/bin/mkdocs" --version 2>/dev/null | grep -q '1\.6\.1'; then
    python3 -m venv "$dir/venv"
    "$dir/venv/bin/pip" install --quiet --disable-pip-version-check mkdocs==1.6.1
fi
if [ ! -x "$dir/node_modules/.bin/remark" ] || [ ! -d "$dir/node_modules/remark-validate-links" ]; then
    npm install --silent --no-audit --no-fund --prefix "$dir" \
        remark-cli@12.0.1 remark-gfm@4.0.1 remark-validate-links@13.1.0 vfile-reporter-json@4.0.0
fi
"$dir/venv/bin/mkdocs" --version
"$dir/node_modules/.bin/remark" --version
