#!/usr/bin/env python3
"""Round trip of `stats --emit-profile` on a real markdown tree.

    scripts/roundtrip.py DIR [--seeds 0,1,2,3] [--bin target/release/noet-corpus]

Fits a profile to DIR, generates a corpus of DIR's size with it for each
seed, measures it with `stats`, and prints every figure the realism issue
bounds (mix shares above 5%, references per KB overall and for each kind
above 10% of references, headings per KB, median file size and its ln
sigma) with its relative error; exit status 1 if any is over 15%.
Everything is written under a fresh temporary folder.
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
    """(name, source value, generated value) for every bounded figure."""
    rows = []
    for kind, m in src["mix"]["kinds"].items():
        if m["share"] > 0.05:
            rows.append(("mix." + kind, m["share"], gen["mix"]["kinds"][kind]["share"]))
    rows.append(("references.per_kb", src["references"]["per_kb"], gen["references"]["per_kb"]))
    for kind, k in src["references"]["by_kind"].items():
        if k["share"] > 0.10:
            rows.append(
                ("references.%s.per_kb" % kind, k["per_kb"], gen["references"]["by_kind"][kind]["per_kb"])
            )
    rows.append(("headings.per_kb", src["headings"]["per_kb"], gen["headings"]["per_kb"]))
    rows.append(("file_size.p50", src["file_size"]["p50"], gen["file_size"]["p50"]))
    rows.append(("file_size.sigma", src["file_size"]["sigma"], gen["file_size"]["sigma"]))
    return rows


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
        for name, s, g in figures(src, gen):
            e = rel(s, g)
            failed += e > BOUND
            print("  %-34s %12.4f %12.4f %6.1f%%%s" % (name, s, g, 100 * e, "  OUTSIDE 15%" if e > BOUND else ""))
    print("figures outside 15%%: %d" % failed)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
