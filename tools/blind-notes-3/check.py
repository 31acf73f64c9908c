#!/usr/bin/env python3
"""Validate blind-notes-3/notes.jsonl and print a counts table.

Usage: python3 check.py [path/to/notes.jsonl]
Exit status 0 if every check passes, 1 otherwise.
"""
import json
import sys
from collections import Counter
from pathlib import Path

ALLOWED_TOPICS = [
    "efficacy", "safety", "dosing_renal", "dosing_hepatic", "elderly",
    "interactions", "price_cost", "competitor", "guidelines",
    "patient_support", "administration",
]
KEYS = {"id", "notes", "topics", "adverse_event", "off_label"}
EXPECTED_IDS = {f"N{n}" for n in range(3001, 3201)}


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("notes.jsonl")
    errors = []
    rows = []
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines = lines[:-1]
    if len(lines) != 200:
        errors.append(f"expected 200 lines, found {len(lines)}")
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
        if rid not in EXPECTED_IDS:
            errors.append(f"line {n}: id {rid!r} outside N3001-N3200")
        t = obj["notes"]
        if not isinstance(t, str) or not (15 <= len(t) <= 160):
            errors.append(f"{rid}: notes must be a string of 15-160 chars (got {len(t) if isinstance(t, str) else type(t)})")
        tp = obj["topics"]
        if not isinstance(tp, list):
            errors.append(f"{rid}: topics is not a list")
            tp = []
        bad = [x for x in tp if x not in ALLOWED_TOPICS]
        if bad:
            errors.append(f"{rid}: unknown topics {bad}")
        if len(set(tp)) != len(tp):
            errors.append(f"{rid}: duplicate topics")
        for k in ("adverse_event", "off_label"):
            if not isinstance(obj[k], bool):
                errors.append(f"{rid}: {k} is not a bool")
        if obj["adverse_event"] is True and "safety" not in tp:
            errors.append(f"{rid}: adverse_event=true but no 'safety' topic")
        rows.append(obj)

    ids = Counter(r["id"] for r in rows)
    dups = [i for i, c in ids.items() if c > 1]
    if dups:
        errors.append(f"duplicate ids: {sorted(dups)}")
    missing = EXPECTED_IDS - set(ids)
    if missing and len(lines) == 200:
        errors.append(f"missing ids: {sorted(missing)[:10]}")

    # ---- counts table ----
    n = len(rows)
    ae = sum(r["adverse_event"] for r in rows)
    ol = sum(r["off_label"] for r in rows)
    both = sum(r["adverse_event"] and r["off_label"] for r in rows)
    no_topic = sum(len(r["topics"]) == 0 for r in rows)
    multi = sum(len(r["topics"]) >= 2 for r in rows)
    topic_counts = Counter(t for r in rows for t in r["topics"])
    print(f"{'label':<28}{'count':>6}")
    print("-" * 34)
    print(f"{'notes':<28}{n:>6}")
    print(f"{'adverse_event = true':<28}{ae:>6}")
    print(f"{'adverse_event = false':<28}{n - ae:>6}")
    print(f"{'off_label = true':<28}{ol:>6}")
    print(f"{'off_label = false':<28}{n - ol:>6}")
    print(f"{'AE and off_label both true':<28}{both:>6}")
    print(f"{'no topic':<28}{no_topic:>6}")
    print(f"{'2+ topics':<28}{multi:>6}")
    print("-" * 34)
    for t in ALLOWED_TOPICS:
        print(f"{'topic: ' + t:<28}{topic_counts[t]:>6}")

    if errors:
        print(f"\n{len(errors)} problem(s):")
        for e in errors:
            print("  " + e)
        return 1
    print("\nOK: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
