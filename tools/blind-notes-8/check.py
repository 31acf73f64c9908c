#!/usr/bin/env python3
"""Validate notes.jsonl in this folder and print a counts table.

Usage: python3 check.py [path/to/notes.jsonl]
Exit code 0 if every check passes, 1 otherwise.
"""
import json
import os
import sys
from collections import Counter

ALLOWED = [
    "efficacy", "safety", "dosing_renal", "dosing_hepatic", "elderly",
    "interactions", "price_cost", "competitor", "guidelines",
    "patient_support", "administration",
]
KEYS = {"id", "notes", "topics", "adverse_event", "off_label"}
EXPECTED_IDS = {f"N{n}" for n in range(8001, 8201)}


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "notes.jsonl")
    errors = []
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines = lines[:-1]
    if len(lines) != 200:
        errors.append(f"expected 200 lines, got {len(lines)}")

    recs = []
    for n, line in enumerate(lines, 1):
        try:
            r = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append(f"line {n}: invalid JSON ({e})")
            continue
        if not isinstance(r, dict):
            errors.append(f"line {n}: not an object")
            continue
        if set(r) != KEYS:
            errors.append(f"line {n}: keys {sorted(r)} != {sorted(KEYS)}")
            continue
        rid = r["id"]
        if not isinstance(r["notes"], str) or not (15 <= len(r["notes"]) <= 160):
            errors.append(f"{rid}: notes must be a string of 15-160 chars "
                          f"(got {len(r['notes']) if isinstance(r['notes'], str) else type(r['notes'])})")
        if not isinstance(r["topics"], list):
            errors.append(f"{rid}: topics not a list")
            continue
        bad = [t for t in r["topics"] if t not in ALLOWED]
        if bad:
            errors.append(f"{rid}: unknown topics {bad}")
        if len(set(r["topics"])) != len(r["topics"]):
            errors.append(f"{rid}: duplicate topics")
        for k in ("adverse_event", "off_label"):
            if not isinstance(r[k], bool):
                errors.append(f"{rid}: {k} not a bool")
        if r["adverse_event"] is True and "safety" not in r["topics"]:
            errors.append(f"{rid}: adverse_event note without 'safety'")
        recs.append(r)

    ids = [r["id"] for r in recs]
    dup = [i for i, c in Counter(ids).items() if c > 1]
    if dup:
        errors.append(f"duplicate ids: {dup}")
    if set(ids) != EXPECTED_IDS:
        missing = sorted(EXPECTED_IDS - set(ids))
        extra = sorted(set(ids) - EXPECTED_IDS)
        errors.append(f"id set mismatch; missing={missing[:5]} extra={extra[:5]}")

    # counts
    ae = sum(r["adverse_event"] for r in recs)
    ol = sum(r["off_label"] for r in recs)
    both = sum(r["adverse_event"] and r["off_label"] for r in recs)
    none = sum(1 for r in recs if not r["topics"])
    multi = sum(1 for r in recs if len(r["topics"]) >= 2)
    tc = Counter(t for r in recs for t in r["topics"])
    ntop = Counter(len(r["topics"]) for r in recs)

    print(f"file: {path}")
    print(f"{'label':<22}{'count':>6}")
    print("-" * 28)
    print(f"{'notes':<22}{len(recs):>6}")
    print(f"{'adverse_event=true':<22}{ae:>6}")
    print(f"{'adverse_event=false':<22}{len(recs) - ae:>6}")
    print(f"{'off_label=true':<22}{ol:>6}")
    print(f"{'off_label=false':<22}{len(recs) - ol:>6}")
    print(f"{'AE and off_label':<22}{both:>6}")
    print(f"{'no topic':<22}{none:>6}")
    print(f"{'2+ topics':<22}{multi:>6}")
    print("-" * 28)
    for t in ALLOWED:
        print(f"{'topic:' + t:<22}{tc[t]:>6}")
    print("-" * 28)
    for k in sorted(ntop):
        print(f"{str(k) + ' topic(s)':<22}{ntop[k]:>6}")

    # target ranges from the brief
    if not 55 <= ae <= 65:
        errors.append(f"adverse_event=true count {ae} outside 55-65")
    if not 20 <= ol <= 25:
        errors.append(f"off_label=true count {ol} outside 20-25")
    if not 10 <= none <= 15:
        errors.append(f"no-topic count {none} outside 10-15")
    if multi < 60:
        errors.append(f"2+ topics count {multi} < 60")

    if errors:
        print("\nFAILED:")
        for e in errors:
            print("  " + e)
        sys.exit(1)
    print("\nOK: all checks passed")


if __name__ == "__main__":
    main()
