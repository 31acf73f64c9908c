#!/usr/bin/env python3
"""Validate blind-notes-4/notes.jsonl and print its label counts.

Usage: python3 check.py [path/to/notes.jsonl]
Exit status 0 if every check passes, 1 otherwise.
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
EXPECTED_IDS = {f"N{n}" for n in range(4001, 4201)}


def style_of(text):
    """Rough guess of the writing style (informational only)."""
    if "【面談内容】" in text:
        return "crm"
    if " " in text or re.search(r"[→＋×↑↓]|Dx|Rx|s/p|r/o|2nd line", text):
        return "shorthand"
    return "voice"


def main():
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("notes.jsonl")
    errors = []
    raw = path.read_bytes().decode("utf-8")
    lines = raw.split("\n")
    if lines and lines[-1] == "":
        lines = lines[:-1]
    if len(lines) != 200:
        errors.append(f"expected 200 lines, found {len(lines)}")

    recs = []
    for n, line in enumerate(lines, 1):
        try:
            o = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append(f"line {n}: invalid JSON ({e})")
            continue
        if not isinstance(o, dict):
            errors.append(f"line {n}: not an object")
            continue
        if set(o) != KEYS:
            errors.append(f"line {n}: keys {sorted(o)} != {sorted(KEYS)}")
            continue
        if "\\u" in line:
            errors.append(f"line {n}: non-ASCII escaped (ensure_ascii should be false)")
        t = o["notes"]
        if not isinstance(t, str) or not 15 <= len(t) <= 160:
            errors.append(f"line {n} {o['id']}: notes must be a 15-160 char string")
        elif "\n" in t or "\r" in t:
            errors.append(f"line {n} {o['id']}: line break inside notes")
        else:
            sentences = [s for s in re.split(r"[。！？!?]", t) if s.strip()]
            if len(sentences) > 6:
                errors.append(f"line {n} {o['id']}: {len(sentences)} sentences (>6)")
        if not isinstance(o["topics"], list):
            errors.append(f"line {n} {o['id']}: topics not a list")
        else:
            bad = [x for x in o["topics"] if x not in ALLOWED_TOPICS]
            if bad:
                errors.append(f"line {n} {o['id']}: unknown topics {bad}")
            if len(set(o["topics"])) != len(o["topics"]):
                errors.append(f"line {n} {o['id']}: duplicate topics")
        for b in ("adverse_event", "off_label"):
            if not isinstance(o[b], bool):
                errors.append(f"line {n} {o['id']}: {b} not bool")
        if o["adverse_event"] is True and "safety" not in o["topics"]:
            errors.append(f"line {n} {o['id']}: adverse_event without safety")
        recs.append(o)

    ids = [o["id"] for o in recs]
    dup = [i for i, c in Counter(ids).items() if c > 1]
    if dup:
        errors.append(f"duplicate ids: {dup}")
    if set(ids) != EXPECTED_IDS:
        missing = sorted(EXPECTED_IDS - set(ids))
        extra = sorted(set(ids) - EXPECTED_IDS)
        errors.append(f"ids not N4001-N4200 (missing {missing[:5]}, extra {extra[:5]})")

    # ---- counts ----
    ae = sum(o["adverse_event"] for o in recs)
    ol = sum(o["off_label"] for o in recs)
    none = sum(1 for o in recs if not o["topics"])
    multi = sum(1 for o in recs if len(o["topics"]) >= 2)
    hard_neg = sum(1 for o in recs if not o["adverse_event"] and "safety" in o["topics"])
    ae_word = sum(1 for o in recs if o["adverse_event"]
                  and ("副作用" in o["notes"] or "有害事象" in o["notes"]))
    tc = Counter(t for o in recs for t in o["topics"])
    styles = Counter(style_of(o["notes"]) for o in recs)

    rows = [
        ("notes", len(recs), "200"),
        ("adverse_event = true", ae, "55-65"),
        ("off_label = true", ol, "20-25"),
        ("no topic", none, "10-15"),
        ("2+ topics", multi, ">= 60"),
        ("safety & not AE (hard-negative pool)", hard_neg, "~40"),
        ("AE notes containing 副作用/有害事象", ae_word, "minority"),
    ]
    print(f"{'count':42s} {'n':>4s}  required")
    for name, v, req in rows:
        print(f"{name:42s} {v:4d}  {req}")
    print()
    print(f"{'topic':42s} {'n':>4s}")
    for t in ALLOWED_TOPICS:
        print(f"{t:42s} {tc[t]:4d}")
    print()
    print("style (heuristic guess):", dict(styles))

    if not 55 <= ae <= 65:
        errors.append(f"adverse_event count {ae} outside 55-65")
    if not 20 <= ol <= 25:
        errors.append(f"off_label count {ol} outside 20-25")
    if not 10 <= none <= 15:
        errors.append(f"no-topic count {none} outside 10-15")
    if multi < 60:
        errors.append(f"2+ topic count {multi} < 60")
    if ae and ae_word * 2 >= ae:
        errors.append("most AE notes contain 副作用/有害事象")

    print()
    if errors:
        print(f"FAIL ({len(errors)} problems)")
        for e in errors:
            print("  -", e)
        return 1
    print("OK: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
