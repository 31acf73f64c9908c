#!/usr/bin/env python3
"""Estimates the evidence of each audit finding from labeled months: how much more (or less) often a code fires on a
fabricated visit than on a genuine one, as a log-likelihood ratio in decibans (10·log10), for the code present and
for the code absent, with add-one smoothing. Prints a table and, with --rust, the lines of the table in
core/src/validate/evidence.rs.

    python3 tools/evidence/fit.py DIR [DIR ...]      # each DIR holds labels.json, scores.json, visits.jsonl

DIRs are months audited by `mrc audit` (scores.json) with their labels (labels.json: id -> {"fabricated": bool}).
A verified tap (any tap given with the visit, as the audit stores it) counts as the pseudo-code `verified_tap`.
"""
import argparse
import json
import math
import os
import sys
from collections import Counter


def verified_tap(visit):
    # The audit stores every tap given with a visit as a verified tap event of that visit.
    return bool(visit.get("taps"))


def load(dirs):
    rows = []
    for d in dirs:
        labels = json.load(open(os.path.join(d, "labels.json")))
        scores = json.load(open(os.path.join(d, "scores.json")))
        taps = {}
        with open(os.path.join(d, "visits.jsonl")) as f:
            for line in f:
                v = json.loads(line)
                taps[v["id"]] = verified_tap(v)
        for vid, label in labels.items():
            if vid not in scores:
                continue
            codes = set(scores[vid]["codes"])
            if taps.get(vid):
                codes.add("verified_tap")
            rows.append((bool(label["fabricated"]), codes))
    return rows


def db(p):
    return 10 * math.log10(p)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="+")
    parser.add_argument("--rust", action="store_true", help="print Rust table lines")
    args = parser.parse_args()
    rows = load(args.dirs)
    fab = [c for f, c in rows if f]
    gen = [c for f, c in rows if not f]
    if not fab or not gen:
        sys.exit("need both fabricated and genuine visits")
    in_fab = Counter(code for codes in fab for code in codes)
    in_gen = Counter(code for codes in gen for code in codes)
    codes = sorted(set(in_fab) | set(in_gen))
    print(f"# {len(fab)} fabricated, {len(gen)} genuine visits from {len(args.dirs)} months", file=sys.stderr)
    for code in codes:
        pf = (in_fab[code] + 1) / (len(fab) + 2)
        pg = (in_gen[code] + 1) / (len(gen) + 2)
        present = db(pf / pg)
        absent = db((1 - pf) / (1 - pg))
        if args.rust:
            print(f'        "{code}" => ({present:.1f}, {absent:.1f}),')
        else:
            print(f"{code:28} fab {in_fab[code]:5} ({100*pf:5.1f} %)  gen {in_gen[code]:5} ({100*pg:5.1f} %)"
                  f"  present {present:+6.1f} dB  absent {absent:+6.1f} dB")


if __name__ == "__main__":
    main()
