#!/usr/bin/env python3
"""Validate blind-notes-5/notes.jsonl and print a counts table.

Usage: python3 check.py [path/to/notes.jsonl]
Exit status 0 if every check passes, 1 otherwise.
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
EXPECTED_IDS = {"N%d" % n for n in range(5001, 5201)}
# ranges requested for this set
RANGES = {
    "adverse_event": (55, 65),
    "off_label": (20, 25),
    "no_topic": (10, 15),
    "two_plus_topics": (60, 200),
}


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "notes.jsonl")
    errors = []
    rows = []
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines = lines[:-1]
    if len(lines) != 200:
        errors.append("expected 200 lines, found %d" % len(lines))
    for n, line in enumerate(lines, 1):
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append("line %d: invalid JSON (%s)" % (n, e))
            continue
        if not isinstance(obj, dict):
            errors.append("line %d: not a JSON object" % n)
            continue
        if set(obj) != KEYS:
            errors.append("line %d: keys %s != %s" % (n, sorted(obj), sorted(KEYS)))
            continue
        rid = obj["id"]
        if not (isinstance(rid, str) and re.fullmatch(r"N5\d{3}", rid)
                and rid in EXPECTED_IDS):
            errors.append("line %d: bad id %r" % (n, rid))
        note = obj["notes"]
        if not isinstance(note, str) or not (15 <= len(note) <= 160):
            errors.append("line %d (%s): notes must be a 15-160 char string (len=%s)"
                          % (n, rid, len(note) if isinstance(note, str) else "n/a"))
        elif not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", note):
            errors.append("line %d (%s): notes contain no Japanese" % (n, rid))
        topics = obj["topics"]
        if not isinstance(topics, list):
            errors.append("line %d (%s): topics is not a list" % (n, rid))
            topics = []
        bad = [t for t in topics if t not in ALLOWED_TOPICS]
        if bad:
            errors.append("line %d (%s): unknown topics %s" % (n, rid, bad))
        if len(set(topics)) != len(topics):
            errors.append("line %d (%s): duplicate topics" % (n, rid))
        for k in ("adverse_event", "off_label"):
            if not isinstance(obj[k], bool):
                errors.append("line %d (%s): %s is not a bool" % (n, rid, k))
        if obj["adverse_event"] is True and "safety" not in topics:
            errors.append("line %d (%s): adverse_event note lacks 'safety'" % (n, rid))
        rows.append(obj)

    ids = [r["id"] for r in rows]
    dup = [i for i, c in Counter(ids).items() if c > 1]
    if dup:
        errors.append("duplicate ids: %s" % dup)
    missing = EXPECTED_IDS - set(ids)
    if missing:
        errors.append("missing ids: %s" % sorted(missing)[:10])

    # counts
    topic_counts = Counter(t for r in rows for t in r["topics"])
    ae = sum(r["adverse_event"] is True for r in rows)
    ol = sum(r["off_label"] is True for r in rows)
    no_topic = sum(len(r["topics"]) == 0 for r in rows)
    two_plus = sum(len(r["topics"]) >= 2 for r in rows)
    ae_and_ol = sum(r["adverse_event"] is True and r["off_label"] is True for r in rows)
    ae_with_word = sum(r["adverse_event"] is True and
                       ("副作用" in r["notes"] or "有害事象" in r["notes"]) for r in rows)
    safety_no_ae = sum("safety" in r["topics"] and r["adverse_event"] is False for r in rows)
    n_topics = Counter(len(r["topics"]) for r in rows)

    print("file: %s" % path)
    print("%-34s %5s" % ("label", "count"))
    print("-" * 40)
    print("%-34s %5d" % ("notes", len(rows)))
    print("%-34s %5d" % ("adverse_event = true", ae))
    print("%-34s %5d" % ("adverse_event = false", len(rows) - ae))
    print("%-34s %5d" % ("off_label = true", ol))
    print("%-34s %5d" % ("off_label = false", len(rows) - ol))
    print("%-34s %5d" % ("adverse_event and off_label", ae_and_ol))
    print("%-34s %5d" % ("no topic", no_topic))
    print("%-34s %5d" % ("2+ topics", two_plus))
    print("%-34s %5d" % ("safety without adverse_event", safety_no_ae))
    print("%-34s %5d" % ("AE notes containing 副作用/有害事象", ae_with_word))
    print("-" * 40)
    for t in ALLOWED_TOPICS:
        print("%-34s %5d" % ("topic: " + t, topic_counts.get(t, 0)))
    print("-" * 40)
    for k in sorted(n_topics):
        print("%-34s %5d" % ("notes with %d topic(s)" % k, n_topics[k]))

    observed = {"adverse_event": ae, "off_label": ol,
                "no_topic": no_topic, "two_plus_topics": two_plus}
    for k, (lo, hi) in RANGES.items():
        if not lo <= observed[k] <= hi:
            errors.append("%s = %d outside requested range %d-%d"
                          % (k, observed[k], lo, hi))

    print("-" * 40)
    if errors:
        print("FAILED (%d problems)" % len(errors))
        for e in errors:
            print("  " + e)
        return 1
    print("OK: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
