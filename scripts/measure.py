#!/usr/bin/env python3
"""Measure a tree of markdown files with an independent parser (markdown-it-py).

Install:  pip install markdown-it-py mdit-py-plugins   (Python 3.10+)
Usage:    python3 scripts/measure.py DIR [--json]

Reports (hidden files and folders are skipped; 1 KB = 1024 bytes of raw .md):
- content mix: bytes of non-blank source lines, attributed to the top-level
  block whose line range (token.map) covers them, plus the spec's grouping
  prose / lists / code / tables+headings;
- references per KB, by kind and by syntax, and per-file links per KB.

It deliberately shares no code with noet-corpus (which uses pulldown-cmark),
so it can be used to check what the generator claims about its output.
"""
import argparse
import json
import os
import re
import statistics
import sys

from markdown_it import MarkdownIt
from markdown_it.rules_block import reference
from markdown_it.rules_inline import image, link
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.footnote.index import footnote_def
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

# Top-level (level 0) block token -> content kind.
BLOCK_KIND = {
    "paragraph_open": "paragraph", "bullet_list_open": "list",
    "ordered_list_open": "list", "fence": "code", "code_block": "code",
    "table_open": "table", "heading_open": "heading",
    "blockquote_open": "blockquote", "front_matter": "front_matter",
    "html_block": "html", "dl_open": "definition_list", "hr": "other",
}
KINDS = ["paragraph", "list", "code", "table", "heading", "blockquote",
         "front_matter", "html", "definition_list", "footnote",
         "link_ref_def", "other"]
# The spec's grouping. Blockquotes, definition lists and footnotes are prose
# text in another container; the rest is markup a reader does not read as text.
GROUPS = {
    "prose": ["paragraph", "blockquote", "definition_list", "footnote"],
    "lists": ["list"], "code": ["code"], "tables+headings": ["table", "heading"],
    "rest": ["front_matter", "html", "link_ref_def", "other"],
}
TARGET = {"prose": 60, "lists": 20, "code": 10, "tables+headings": 10}
REF_KINDS = ["wikilink", "relative", "path#anchor", "#anchor", "absolute",
             "external", "id/bref", "image", "other"]
WIKILINK = re.compile(r"\[\[([^\[\]\n]+)\]\]")


def wikilink_rule(state, silent):
    """`[[target|alias]]` as one token. No plugin for it exists; running it
    before `link` keeps the inner `[target]` from being tried as a shortcut."""
    m = WIKILINK.match(state.src, state.pos)
    if not m:
        return False
    if not silent:
        state.push("wikilink", "", 0).meta = {"target": m.group(1)}
    state.pos = m.end()
    return True


def mark_syntax(rule):
    """Wrap the link/image rule to tell inline `[t](u)` from reference forms
    (`[t][r]`, `[t][]`, `[t]`): markdown-it gives both the same token, but only
    the inline form ends with `)`."""
    def wrapped(state, silent):
        n = len(state.tokens)
        ok = rule(state, silent)
        if ok and not silent:
            for tok in state.tokens[n:]:
                if tok.type in ("link_open", "image"):
                    tok.meta["ref"] = state.src[state.pos - 1] != ")"
                    break
        return ok
    return wrapped


def record_lines(rule, kind):
    """Wrap a block rule that emits no top-level token with a map (link
    reference definitions emit none; footnote definitions get moved to the end
    of the stream), to record which source lines it consumed."""
    def wrapped(state, start, end, silent):
        level = state.level
        ok = rule(state, start, end, silent)
        if ok and not silent and level == 0:
            state.env.setdefault("ranges", []).append((kind, start, state.line))
        return ok
    return wrapped


def make_parser():
    # gfm-like = CommonMark + tables + strikethrough. Bare-URL linkify is off:
    # it needs another package and plain CommonMark/pulldown-cmark lack it.
    md = (MarkdownIt("gfm-like", {"linkify": False}).use(front_matter_plugin)
          .use(footnote_plugin).use(deflist_plugin).use(tasklists_plugin))
    md.inline.ruler.before("link", "wikilink", wikilink_rule)
    md.inline.ruler.at("link", mark_syntax(link))
    md.inline.ruler.at("image", mark_syntax(image))
    md.block.ruler.at("reference", record_lines(reference, "link_ref_def"))
    md.block.ruler.at("footnote_def", record_lines(footnote_def, "footnote"))
    return md


def href_kind(href):
    if re.match(r"https?://", href, re.I):
        return "external"
    if re.match(r"(id|bref):", href, re.I):
        return "id/bref"
    if href.startswith("#"):
        return "#anchor"
    if re.match(r"[a-z][a-z0-9+.-]*:", href, re.I):  # mailto:, ftp:, ...
        return "other"
    if href.startswith("/"):
        return "absolute"
    return "path#anchor" if "#" in href else "relative"


def measure_file(md, raw):
    text = raw.decode("utf-8", errors="replace")
    env = {}
    tokens = md.parse(text, env)
    lines = raw.split(b"\n")  # markdown-it's line numbers index these
    owner = [None] * len(lines)
    spans = [(BLOCK_KIND.get(t.type, "other"), *t.map) for t in tokens
             if t.level == 0 and t.nesting >= 0 and t.map]
    for kind, a, b in spans + env.get("ranges", []):
        for i in range(a, min(b, len(lines))):
            owner[i] = owner[i] or kind
    mix = dict.fromkeys(KINDS, 0)
    for line, kind in zip(lines, owner):
        if line.strip():
            mix[kind or "other"] += len(line) + 1  # count the newline too
    refs = {"kind": dict.fromkeys(REF_KINDS, 0),
            "syntax": dict.fromkeys(["inline", "reference", "autolink",
                                     "wikilink", "image"], 0),
            "unresolved_brackets": 0}
    for tok in tokens:
        for t in tok.children or []:
            if t.type == "wikilink":
                refs["kind"]["wikilink"] += 1
                refs["syntax"]["wikilink"] += 1
            elif t.type == "image":
                refs["kind"]["image"] += 1
                refs["syntax"]["image"] += 1
            elif t.type == "link_open":
                refs["kind"][href_kind(t.attrGet("href") or "")] += 1
                syn = ("autolink" if t.markup == "autolink" else
                       "reference" if t.meta.get("ref") else "inline")
                refs["syntax"][syn] += 1
            elif t.type == "text":
                # `[words]` left as text: meant as a shortcut reference whose
                # definition is missing, or literal brackets. Worth a look.
                # `[!NOTE]` opens a GFM alert, a blockquote to CommonMark.
                refs["unresolved_brackets"] += len(re.findall(
                    r"(?<!\\)\[(?!!\w+\])[^\[\]]+\](?!\()", t.content))
    return mix, refs


def md_files(root):
    for d, dirs, files in os.walk(root):
        dirs[:] = sorted(x for x in dirs if not x.startswith("."))
        for f in sorted(files):
            if f.endswith(".md") and not f.startswith("."):
                yield os.path.join(d, f)


def pct(xs, p):
    """Nearest-rank percentile of a sorted list."""
    return xs[max(0, min(len(xs) - 1, round(p / 100 * len(xs) + 0.5) - 1))]


def measure_tree(root):
    md = make_parser()
    mix = dict.fromkeys(KINDS, 0)
    kinds = dict.fromkeys(REF_KINDS, 0)
    syntax, per_file, total, unresolved, files = {}, [], 0, 0, 0
    for path in md_files(root):
        with open(path, "rb") as fh:
            raw = fh.read()
        m, r = measure_file(md, raw)
        for k, v in m.items():
            mix[k] += v
        for k, v in r["kind"].items():
            kinds[k] += v
        for k, v in r["syntax"].items():
            syntax[k] = syntax.get(k, 0) + v
        unresolved += r["unresolved_brackets"]
        total += len(raw)
        files += 1
        if raw:
            per_file.append(sum(r["kind"].values()) / (len(raw) / 1024))
    nonblank = sum(mix.values()) or 1
    kb = total / 1024 or 1
    refs = sum(kinds.values())
    per_file.sort()
    return {
        "root": root, "files": files, "bytes": total,
        "nonblank_bytes": nonblank,
        "mix": {k: {"bytes": v, "share": v / nonblank} for k, v in mix.items()},
        "groups": {g: sum(mix[k] for k in ks) / nonblank for g, ks in GROUPS.items()},
        "refs": {"total": refs, "per_kb": refs / kb,
                 "by_kind": {k: {"count": v, "per_kb": v / kb} for k, v in kinds.items()},
                 "by_syntax": syntax, "unresolved_brackets": unresolved},
        "links_per_kb_per_file": {} if not per_file else {
            "min": per_file[0], "median": statistics.median(per_file),
            "p90": pct(per_file, 90), "max": per_file[-1]},
    }


def print_report(r):
    print(f"{r['root']}: {r['files']} files, {r['bytes']} bytes "
          f"({r['bytes'] / 1024:.1f} KB), {r['nonblank_bytes']} non-blank bytes")
    print("\nContent mix (bytes of non-blank lines by top-level block)")
    print(f"  {'kind':<18}{'bytes':>10}{'share':>9}")
    for k, v in r["mix"].items():
        print(f"  {k:<18}{v['bytes']:>10}{100 * v['share']:>8.2f}%")
    # The spec's four groups sum to 100%, so also show them renormalised
    # without "rest"; "yes" means within 5pp both ways.
    body = 1 - r["groups"]["rest"] or 1
    print("\nSpec grouping         of all  of 4 groups  target  within 5pp")
    for g, share in r["groups"].items():
        t = TARGET.get(g)
        row = f"  {g:<17}{100 * share:>8.2f}%"
        if t is not None:
            s4 = 100 * share / body
            ok = "yes" if abs(s4 - t) <= 5 and abs(100 * share - t) <= 5 else \
                 "yes (4 groups)" if abs(s4 - t) <= 5 else "NO"
            row += f"{s4:>12.2f}%{t:>7}%  {ok}"
        print(row)
    f = r["refs"]
    band = "yes" if 5 <= f["per_kb"] <= 20 else "NO"
    print(f"\nReferences: {f['total']} = {f['per_kb']:.2f} per KB "
          f"(target 5-20: {band})")
    print(f"  {'kind':<14}{'count':>8}{'per KB':>9}{'share':>8}")
    for k, v in f["by_kind"].items():
        sh = 100 * v["count"] / (f["total"] or 1)
        print(f"  {k:<14}{v['count']:>8}{v['per_kb']:>9.3f}{sh:>7.1f}%")
    print("  by syntax: " + ", ".join(f"{k} {v}" for k, v in f["by_syntax"].items()))
    print(f"  unresolved [brackets] left as text: {f['unresolved_brackets']}")
    p = r["links_per_kb_per_file"]
    if p:
        print("\nPer-file references per KB: " + ", ".join(
            f"{k} {v:.2f}" for k, v in p.items()))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", help="root of the markdown tree")
    ap.add_argument("--json", action="store_true", help="print JSON instead")
    a = ap.parse_args()
    if not os.path.isdir(a.dir):
        sys.exit(f"measure.py: not a directory: {a.dir}")
    r = measure_tree(a.dir)
    if a.json:
        json.dump(r, sys.stdout, indent=2)
        print()
    else:
        print_report(r)


if __name__ == "__main__":
    main()
