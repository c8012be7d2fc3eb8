#!/usr/bin/env python3
"""Turn MkDocs' build warnings into noet-corpus answers (docs/JSON.md, "Answers").

MkDocs (1.6) warns once for every link it cannot resolve, naming the page
and the link as written, but not the line:

    WARNING -  Doc file 'a/b.md' contains a link '../c.md#x', but the doc 'c.md' does not contain an anchor '#x'.

Each such warning becomes an answer that the link is unresolved. MkDocs is
silent about the links it resolves, so check the answers with
`--unanswered found`:

    mkdocs build 2> build.log
    python3 mkdocs_warnings.py < build.log > answers.jsonl
    noet-corpus check CORPUS --answers answers.jsonl --unanswered found

Paths in the warnings are relative to `docs_dir`: build with the corpus
folder as `docs_dir` (mkdocs.yml beside it, not in it). Reads the log on
stdin (or the files named), writes JSON lines on stdout.
"""

import fileinput
import json
import re
import sys

# "contains a link", "contains an absolute link", "contains a relative link", ...
WARNING = re.compile(r"Doc file '(?P<source>[^']*)' contains an? (?:[a-z]+ )?link '(?P<dest>[^']*)'")


def answers(lines):
    for line in lines:
        m = WARNING.search(line)
        if m:
            yield {"source": m["source"], "dest": m["dest"], "resolved": None}


def main():
    out = sys.stdout
    for a in answers(fileinput.input()):
        out.write(json.dumps(a) + "\n")


if __name__ == "__main__":
    main()
