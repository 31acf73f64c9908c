#!/usr/bin/env python3
"""Validate notes.jsonl (blind-notes-9) and print a counts table.

Usage: python3 check.py [path/to/notes.jsonl]
Exit code 0 if all checks pass, 1 otherwise.
"""
import json
import re
import sys
from collections import Counter
from pathlib import Path

ALLOWED_TOPICS = [
    "efficacy", "safety", "dosing_renal", "dosing_hepatic", "elderly",
    "interactions", "price_cost", "competitor", "guidelines",
    "patient_support", "administration",
]
KEYS = {"id", "notes", "topics", "adverse_event", "off_label"}
EXPECTED_IDS = {f"N{n}" for n in range(9001, 9201)}


def main():
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("notes.jsonl")
    errors = []
    raw = path.read_bytes().decode("utf-8")
    lines = raw.split("\n")
    if lines and lines[-1] == "":
        lines = lines[:-1]
    if len(lines) != 200:
        errors.append(f"expected 200 lines, found {len(lines)}")

    rows, seen = [], set()
    for ln, line in enumerate(lines, 1):
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append(f"line {ln}: invalid JSON ({e})")
            continue
        if not isinstance(obj, dict):
            errors.append(f"line {ln}: not a JSON object")
            continue
        if set(obj) != KEYS:
            errors.append(f"line {ln}: keys {sorted(obj)} != {sorted(KEYS)}")
            continue
        if "\\u" in line:
            errors.append(f"line {ln}: escaped unicode (ensure_ascii should be false)")
        i = obj["id"]
        if not isinstance(i, str) or not re.fullmatch(r"N9\d{3}", i) or i not in EXPECTED_IDS:
            errors.append(f"line {ln}: bad id {i!r}")
        if i in seen:
            errors.append(f"line {ln}: duplicate id {i}")
        seen.add(i)
        t = obj["notes"]
        if not isinstance(t, str) or not (15 <= len(t) <= 160):
            errors.append(f"{i}: notes must be a string of 15-160 chars (got {len(t) if isinstance(t, str) else type(t).__name__})")
        elif not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", t):
            errors.append(f"{i}: notes contains no Japanese")
        else:
            n_sent = len([s for s in re.split(r"[。！？!?]", t) if s.strip()])
            if not (1 <= n_sent <= 6):
                errors.append(f"{i}: {n_sent} sentences (expected 1-6)")
        tp = obj["topics"]
        if not isinstance(tp, list) or not all(isinstance(x, str) for x in tp):
            errors.append(f"{i}: topics must be a list of strings")
            tp = []
        bad = [x for x in tp if x not in ALLOWED_TOPICS]
        if bad:
            errors.append(f"{i}: unknown topics {bad}")
        if len(set(tp)) != len(tp):
            errors.append(f"{i}: duplicate topics")
        for k in ("adverse_event", "off_label"):
            if not isinstance(obj[k], bool):
                errors.append(f"{i}: {k} must be a bool")
        if obj["adverse_event"] is True and "safety" not in tp:
            errors.append(f"{i}: adverse_event note without 'safety'")
        rows.append(obj)

    missing = EXPECTED_IDS - seen
    if missing:
        errors.append(f"missing ids: {sorted(missing)[:10]}{' ...' if len(missing) > 10 else ''}")

    # ---- counts ----
    n = len(rows)
    ae = sum(r["adverse_event"] is True for r in rows)
    ol = sum(r["off_label"] is True for r in rows)
    both = sum(r["adverse_event"] is True and r["off_label"] is True for r in rows)
    ntop = Counter(min(len(r["topics"]), 3) for r in rows)
    tc = Counter(x for r in rows for x in r["topics"])
    ae_words = re.compile("副作用|有害事象")
    ae_with_word = sum(1 for r in rows if r["adverse_event"] and ae_words.search(r["notes"]))

    print(f"file: {path}")
    print(f"{'label':<28}{'count':>6}")
    print("-" * 34)
    print(f"{'notes':<28}{n:>6}")
    print(f"{'adverse_event = true':<28}{ae:>6}")
    print(f"{'adverse_event = false':<28}{n - ae:>6}")
    print(f"{'off_label = true':<28}{ol:>6}")
    print(f"{'off_label = false':<28}{n - ol:>6}")
    print(f"{'AE and off_label':<28}{both:>6}")
    print(f"{'0 topics':<28}{ntop[0]:>6}")
    print(f"{'1 topic':<28}{ntop[1]:>6}")
    print(f"{'2+ topics':<28}{ntop[2] + ntop[3]:>6}")
    print(f"{'3+ topics':<28}{ntop[3]:>6}")
    print(f"{'AE notes w/ 副作用|有害事象':<23}{ae_with_word:>6}")
    print("-" * 34)
    for t in ALLOWED_TOPICS:
        print(f"{'topic: ' + t:<28}{tc[t]:>6}")
    print("-" * 34)

    # ---- target ranges from the brief ----
    targets = [
        ("adverse_event true in 55-65", 55 <= ae <= 65),
        ("off_label true in 20-25", 20 <= ol <= 25),
        ("no-topic notes in 10-15", 10 <= ntop[0] <= 15),
        ("2+ topics >= 60", ntop[2] + ntop[3] >= 60),
    ]
    for name, ok in targets:
        print(f"[{'OK' if ok else 'FAIL'}] {name}")
        if not ok:
            errors.append(f"target not met: {name}")

    if errors:
        print(f"\n{len(errors)} error(s):")
        for e in errors:
            print("  -", e)
        return 1
    print("\nall checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
