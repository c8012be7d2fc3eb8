#!/usr/bin/env python3
"""Turn remark-validate-links' JSON report into noet-corpus answers (docs/JSON.md, "Answers").

remark-validate-links checks the links of a markdown tree between its
files and to their headings (GitHub's slugs), and reports each link it
cannot resolve, with the place of the link node but the destination
already resolved. This reads the destination as written back from the
file, at that place, and writes one answer per report that the link is
unresolved. The tool is silent about the links it resolves, so check the
answers with `--unanswered found`:

    cd CORPUS && remark --use remark-gfm --use remark-validate-links=repository:false \\
        --report vfile-reporter-json --quiet --no-stdout . 2> ../report.json
    python3 remark_validate_links.py CORPUS < report.json > answers.jsonl
    noet-corpus check CORPUS --answers answers.jsonl --unanswered found

(`repository:false`: a corpus is not a git checkout. Packages: npm install
remark-cli remark-gfm remark-validate-links vfile-reporter-json; pass
plugins by path when they are not installed under the corpus.)
"""

import json
import re
import sys
from pathlib import Path

DEFINITION = re.compile(r"\s{0,3}\[([^\]]+)\]:\s*(<[^>]*>|\S+)")
RULES = {"missing-file", "missing-heading", "missing-heading-in-file"}


def link_dest(text, lines):
    """The destination written in the link node `text`: inline
    `[label](dest "title")`, or a reference `[label][id]` / `[label]`
    whose definition is looked up in the file's `lines`."""
    if text.endswith(")") and "](" in text:
        inner = text[text.rindex("](") + 2 : -1].strip()
        if inner.startswith("<") and ">" in inner:
            return inner[1 : inner.index(">")]
        return inner.split()[0] if inner else inner
    labels = re.findall(r"\[([^\]]*)\]", text)
    label = labels[-1] if labels and labels[-1] else (labels[0] if labels else "")
    want = normal(label)
    for line in lines:
        m = DEFINITION.match(line)
        if m and normal(m[1]) == want:
            return definition_dest(m)
    return None


def normal(label):
    """A reference label as markdown matches it: case and runs of space folded."""
    return " ".join(label.split()).lower()


def definition_dest(m):
    """The destination of a DEFINITION match, without its angle brackets."""
    d = m[2]
    return d[1:-1] if d.startswith("<") else d


def node_text(lines, start, end):
    """The source between two remark points (1-based line and column; the
    column counts UTF-16 units, which equal code points outside the
    astral planes)."""
    if start["line"] == end["line"]:
        return lines[start["line"] - 1][start["column"] - 1 : end["column"] - 1]
    parts = [lines[start["line"] - 1][start["column"] - 1 :]]
    parts += lines[start["line"] : end["line"] - 1]
    parts.append(lines[end["line"] - 1][: end["column"] - 1])
    return "\n".join(parts)


def answers(root, report):
    for f in report:
        path = f["path"]
        lines = None
        for m in f.get("messages", []):
            if m.get("ruleId") not in RULES:
                continue
            if lines is None:
                lines = (root / path).read_text(encoding="utf-8").split("\n")
            place = m["place"]
            text = node_text(lines, place["start"], place["end"])
            definition = DEFINITION.match(text)
            if definition:
                # Reported once, at the definition: answer (without a line)
                # for every reference that uses it.
                dest = definition_dest(definition)
                for _ in range(max(1, uses(definition[1], lines))):
                    yield {"source": path, "dest": dest, "resolved": None}
                continue
            dest = link_dest(text, lines)
            if dest is None:
                print(f"{path}:{m['line']}: cannot read the link back: {m['reason']}", file=sys.stderr)
                continue
            yield {"source": path, "line": m["line"], "dest": dest, "resolved": None}


def uses(label, lines):
    """How many references `[label]`, `[text][label]` the file makes
    (definitions left out)."""
    want = normal(label)
    n = 0
    for line in lines:
        if DEFINITION.match(line):
            continue
        n += sum(1 for l in re.findall(r"\[([^\]]*)\]", line) if normal(l) == want)
    return n


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: remark_validate_links.py CORPUS < report.json > answers.jsonl")
    report = json.load(sys.stdin)
    for a in answers(Path(sys.argv[1]), report):
        sys.stdout.write(json.dumps(a) + "\n")


if __name__ == "__main__":
    main()
