#!/usr/bin/env python3
"""Round trip of `stats --emit-profile` on a real markdown tree.

    scripts/roundtrip.py DIR [--seeds 0,1,2,3] [--bin target/release/noet-corpus]

Fits a profile to DIR, generates a corpus of DIR's size with it for each
seed, measures it with `stats`, and prints every figure the realism issue
bounds with its error:

- structural, 15% relative with small absolute floors: every block kind's
  share of bytes (floor 1 point, so a block the tree lacks must stay
  under 1%), references per KB overall and for each kind above 10% of
  references (floor 0.05 per KB), headings per KB, median file size and
  its ln sigma, paragraph words (median), fenced code blocks per KB;
- text: mean word length within 8%, function-word share within 25%,
  distinct words within 30%.

Exit status 1 if any figure is outside its bound. Everything is written
under a fresh temporary folder.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

BOUND = 0.15


def stats(binary, folder):
    out = subprocess.run([binary, "stats", folder, "--json"], check=True, capture_output=True)
    return json.loads(out.stdout)


def figures(src, gen):
    """(name, source, generated, relative bound, absolute floor) for every
    bounded figure."""
    rows = []
    for kind, m in src["mix"]["kinds"].items():
        rows.append(("mix." + kind, m["share"], gen["mix"]["kinds"][kind]["share"], BOUND, 0.01))
    rows.append(("references.per_kb", src["references"]["per_kb"], gen["references"]["per_kb"], BOUND, 0.05))
    for kind, k in src["references"]["by_kind"].items():
        if k["share"] > 0.10:
            g = gen["references"]["by_kind"][kind]["per_kb"]
            rows.append(("references.%s.per_kb" % kind, k["per_kb"], g, BOUND, 0.05))
    rows.append(("headings.per_kb", src["headings"]["per_kb"], gen["headings"]["per_kb"], BOUND, 0.05))
    rows.append(("file_size.p50", src["file_size"]["p50"], gen["file_size"]["p50"], BOUND, 0))
    rows.append(("file_size.sigma", src["file_size"]["sigma"], gen["file_size"]["sigma"], BOUND, 0.05))
    rows.append(
        ("paragraphs.words_median", src["paragraphs"]["words_median"], gen["paragraphs"]["words_median"], BOUND, 1)
    )
    rows.append(("code.per_kb", src["code"]["per_kb"], gen["code"]["per_kb"], BOUND, 0.02))
    st, gt = src["text"], gen["text"]
    rows.append(("text.word_length_mean", st["word_length_mean"], gt["word_length_mean"], 0.08, 0))
    rows.append(("text.function_word_share", st["function_word_share"], gt["function_word_share"], 0.25, 0))
    rows.append(("text.distinct", st["distinct"], gt["distinct"], 0.30, 0))
    return rows


def outside(a, b, bound, floor):
    return abs(b - a) > max(bound * abs(a), floor)


def rel(a, b):
    return abs(b - a) / a if a else (0.0 if b == 0 else 1.0)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir")
    ap.add_argument("--seeds", default="0,1,2,3")
    ap.add_argument("--bin", default="target/release/noet-corpus")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="noet-roundtrip-")
    src = stats(a.bin, a.dir)
    profile = os.path.join(work, "fit.toml")
    subprocess.run([a.bin, "stats", a.dir, "--emit-profile", profile], check=True, capture_output=True)
    failed = 0
    print("%s: %d files, %d bytes; fitted profile %s" % (a.dir, src["files"], src["bytes"], profile))
    for seed in a.seeds.split(","):
        out = os.path.join(work, "seed-" + seed)
        subprocess.run(
            [a.bin, "gen", "--profile", profile, "--size", str(src["bytes"]), "--seed", seed, "--out", out, "-q"],
            check=True,
        )
        gen = stats(a.bin, out)
        print("seed %s" % seed)
        for name, s, g, bound, floor in figures(src, gen):
            bad = outside(s, g, bound, floor)
            failed += bad
            note = "  OUTSIDE %d%%" % round(100 * bound) if bad else ""
            print("  %-34s %12.4f %12.4f %6.1f%%%s" % (name, s, g, 100 * rel(s, g), note))
    print("figures outside their bounds: %d" % failed)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
