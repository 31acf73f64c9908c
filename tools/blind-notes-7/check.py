#!/usr/bin/env python3
"""Validate notes.jsonl in this folder and print a counts table.

Usage: python3 check.py [path/to/notes.jsonl]
Exit status 0 if valid, 1 otherwise.
"""
import json
import os
import re
import sys
import unicodedata
from collections import Counter

ALLOWED_TOPICS = [
    "efficacy", "safety", "dosing_renal", "dosing_hepatic", "elderly",
    "interactions", "price_cost", "competitor", "guidelines",
    "patient_support", "administration",
]
KEYS = {"id", "notes", "topics", "adverse_event", "off_label"}
EXPECTED_LINES = 200
ID_RE = re.compile(r"^N7(\d{3})$")


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "notes.jsonl")
    errors = []
    records = []
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines = lines[:-1]
    if len(lines) != EXPECTED_LINES:
        errors.append(f"expected {EXPECTED_LINES} lines, got {len(lines)}")

    seen = set()
    for ln, line in enumerate(lines, 1):
        try:
            o = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append(f"line {ln}: invalid JSON ({e})")
            continue
        if not isinstance(o, dict):
            errors.append(f"line {ln}: not a JSON object")
            continue
        if set(o) != KEYS:
            errors.append(f"line {ln}: keys {sorted(o)} != {sorted(KEYS)}")
            continue
        rid = o["id"]
        m = ID_RE.match(rid) if isinstance(rid, str) else None
        if not m or not (1 <= int(m.group(1)) <= 200):
            errors.append(f"line {ln}: bad id {rid!r} (want N7001-N7200)")
        if rid in seen:
            errors.append(f"line {ln}: duplicate id {rid}")
        seen.add(rid)
        t = o["notes"]
        if not isinstance(t, str) or not (15 <= len(t) <= 160):
            errors.append(f"{rid}: notes must be a string of 15-160 chars")
        elif not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", t):
            errors.append(f"{rid}: notes contain no Japanese")
        tp = o["topics"]
        if not isinstance(tp, list):
            errors.append(f"{rid}: topics must be a list")
            continue
        bad = [x for x in tp if x not in ALLOWED_TOPICS]
        if bad:
            errors.append(f"{rid}: unknown topics {bad}")
        if len(set(tp)) != len(tp):
            errors.append(f"{rid}: duplicate topics")
        for k in ("adverse_event", "off_label"):
            if not isinstance(o[k], bool):
                errors.append(f"{rid}: {k} must be bool")
        if o["adverse_event"] is True and "safety" not in tp:
            errors.append(f"{rid}: adverse_event note lacks 'safety'")
        records.append(o)

    if len(seen) == EXPECTED_LINES:
        want = {"N%d" % i for i in range(7001, 7201)}
        if seen != want:
            errors.append("ids are not exactly N7001-N7200")

    # counts table
    n = len(records)
    ae = sum(o["adverse_event"] for o in records)
    ol = sum(o["off_label"] for o in records)
    both = sum(o["adverse_event"] and o["off_label"] for o in records)
    none = sum(len(o["topics"]) == 0 for o in records)
    multi = sum(len(o["topics"]) >= 2 for o in records)
    tc = Counter(x for o in records for x in o["topics"])
    ae_words = sum(o["adverse_event"] and ("副作用" in o["notes"] or "有害事象" in o["notes"])
                   for o in records)

    rows = [("notes", n), ("adverse_event = true", ae), ("off_label = true", ol),
            ("adverse_event and off_label", both), ("no topic", none),
            ("2+ topics", multi),
            ("AE notes using 副作用/有害事象", ae_words)]
    rows += [(f"topic: {t}", tc[t]) for t in ALLOWED_TOPICS]
    def dw(s):  # display width (CJK = 2 columns)
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)

    w = max(dw(r[0]) for r in rows)
    print(f"| {'label' + ' ' * (w - 5)} | count |")
    print(f"|{'-' * (w + 2)}|-------|")
    for k, v in rows:
        print(f"| {k + ' ' * (w - dw(k))} | {str(v).rjust(5)} |")

    # soft targets from the brief (warnings only)
    warns = []
    if not 55 <= ae <= 65:
        warns.append(f"adverse_event count {ae} outside 55-65")
    if not 20 <= ol <= 25:
        warns.append(f"off_label count {ol} outside 20-25")
    if not 10 <= none <= 15:
        warns.append(f"no-topic count {none} outside 10-15")
    if multi < 60:
        warns.append(f"2+ topics count {multi} < 60")
    for wmsg in warns:
        print("WARNING:", wmsg)

    if errors:
        print(f"\n{len(errors)} error(s):")
        for e in errors:
            print("  ", e)
        sys.exit(1)
    print("\nOK")


if __name__ == "__main__":
    main()
