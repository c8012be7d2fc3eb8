#!/usr/bin/env bash
# Install the real tools that the end-to-end tests run (tests/it/tools.rs)
# into target/tools, pinned, without touching the system:
#   target/tools/venv          MkDocs 1.6.1 (PyPI), in a virtual environment
#   target/tools/node_modules  remark-cli with remark-validate-links (npm)
#   target/tools/mdbook        mdBook 0.5.4 (cargo install, no default features)
#   hugo                       Hugo (the Debian package, 0.111.3 on bookworm),
#                              installed with apt-get when not on PATH
# Needs python3 (with venv), npm, cargo, and apt-get (as root) for Hugo. Run again to check; it is quick when
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
if ! "$dir/mdbook/bin/mdbook" --version 2>/dev/null | grep -q '0\.5\.4'; then
    cargo install --quiet --locked --no-default-features mdbook --version 0.5.4 --root "$dir/mdbook"
fi
if ! command -v hugo >/dev/null 2>&1 && [ ! -x "$dir/hugo/hugo" ]; then
    if command -v apt-get >/dev/null 2>&1; then
        apt-get install -y -qq hugo >/dev/null || { apt-get update -qq && apt-get install -y -qq hugo >/dev/null; }
    else
        echo "install Hugo (0.111 or later) on PATH, or at $dir/hugo/hugo" >&2
        exit 1
    fi
fi
"$dir/venv/bin/mkdocs" --version
"$dir/node_modules/.bin/remark" --version
"$dir/mdbook/bin/mdbook" --version
if command -v hugo >/dev/null 2>&1; then hugo version; else "$dir/hugo/hugo" version; fi
