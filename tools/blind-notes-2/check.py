#!/usr/bin/env python3
"""Validate notes.jsonl in this folder and print a counts table.

Usage: python3 check.py [path/to/notes.jsonl]
Exit code 0 if all checks pass, 1 otherwise.
"""
import json
import os
import re
import sys
from collections import Counter

ALLOWED_TOPICS = [
    "efficacy", "safety", "dosing_renal", "dosing_hepatic", "elderly",
    "interactions", "price_cost", "competitor", "guidelines",
    "patient_support", "administration",
]
KEYS = {"id", "notes", "topics", "adverse_event", "off_label"}
EXPECTED_LINES = 200


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "notes.jsonl")
    errors = []
    rows = []
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines = lines[:-1]
    if len(lines) != EXPECTED_LINES:
        errors.append(f"expected {EXPECTED_LINES} lines, found {len(lines)}")

    for n, line in enumerate(lines, 1):
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append(f"line {n}: invalid JSON ({e})")
            continue
        if not isinstance(obj, dict):
            errors.append(f"line {n}: not a JSON object")
            continue
        if set(obj) != KEYS:
            errors.append(f"line {n}: keys {sorted(obj)} != {sorted(KEYS)}")
            continue
        rid = obj["id"]
        if not (isinstance(rid, str) and re.fullmatch(r"N2\d{3}", rid) and 2001 <= int(rid[1:]) <= 2200):
            errors.append(f"line {n}: bad id {rid!r}")
        note = obj["notes"]
        if not isinstance(note, str) or not (15 <= len(note) <= 150):
            errors.append(f"line {n} ({rid}): notes must be a 15-150 char string (len={len(note) if isinstance(note, str) else '?'})")
        topics = obj["topics"]
        if not isinstance(topics, list):
            errors.append(f"line {n} ({rid}): topics must be a list")
            topics = []
        bad = [t for t in topics if t not in ALLOWED_TOPICS]
        if bad:
            errors.append(f"line {n} ({rid}): unknown topics {bad}")
        if len(set(topics)) != len(topics):
            errors.append(f"line {n} ({rid}): duplicate topics")
        for k in ("adverse_event", "off_label"):
            if not isinstance(obj[k], bool):
                errors.append(f"line {n} ({rid}): {k} must be a bool")
        if obj["adverse_event"] is True and "safety" not in topics:
            errors.append(f"line {n} ({rid}): adverse_event=true but no 'safety' topic")
        rows.append(obj)

    ids = Counter(r["id"] for r in rows)
    dups = [i for i, c in ids.items() if c > 1]
    if dups:
        errors.append(f"duplicate ids: {dups}")
    if len(rows) == EXPECTED_LINES and set(ids) != {f"N{i}" for i in range(2001, 2201)}:
        errors.append("ids are not exactly N2001-N2200")

    # counts table
    n = len(rows)
    ae = sum(r["adverse_event"] is True for r in rows)
    ol = sum(r["off_label"] is True for r in rows)
    both = sum(r["adverse_event"] is True and r["off_label"] is True for r in rows)
    notopic = sum(len(r["topics"]) == 0 for r in rows)
    multi = sum(len(r["topics"]) >= 2 for r in rows)
    safety_no_ae = sum("safety" in r["topics"] and r["adverse_event"] is not True for r in rows)
    tc = Counter(t for r in rows for t in r["topics"])
    nt = Counter(len(r["topics"]) for r in rows)

    print(f"file: {path}")
    print("| label | count |")
    print("|---|---|")
    print(f"| notes | {n} |")
    print(f"| adverse_event = true | {ae} |")
    print(f"| adverse_event = false | {n - ae} |")
    print(f"| off_label = true | {ol} |")
    print(f"| adverse_event and off_label both true | {both} |")
    print(f"| safety topic without adverse_event | {safety_no_ae} |")
    print(f"| no topic | {notopic} |")
    print(f"| 2+ topics | {multi} |")
    for t in ALLOWED_TOPICS:
        print(f"| topic: {t} | {tc.get(t, 0)} |")
    print("| topics per note | " + ", ".join(f"{k}: {nt[k]}" for k in sorted(nt)) + " |")

    if errors:
        print(f"\n{len(errors)} error(s):")
        for e in errors:
            print("  " + e)
        sys.exit(1)
    print("\nOK: all checks passed")


if __name__ == "__main__":
    main()
