#!/usr/bin/env python3
"""Validate blind-notes-6/notes.jsonl and print a counts table.

Usage: python3 check.py [path/to/notes.jsonl]
Exit code 0 if all checks pass, 1 otherwise.
"""
import json
import os
import re
import sys
from collections import Counter

TOPICS = [
    "efficacy", "safety", "dosing_renal", "dosing_hepatic", "elderly",
    "interactions", "price_cost", "competitor", "guidelines",
    "patient_support", "administration",
]
KEYS = {"id", "notes", "topics", "adverse_event", "off_label"}
EXPECTED_IDS = {f"N{n}" for n in range(6001, 6201)}

# Required ranges from the brief (inclusive).
RANGES = {
    "adverse_event=true": (55, 65),
    "off_label=true": (20, 25),
    "no topic": (10, 15),
    "2+ topics": (60, 200),
}

# Used only for an informational count of "hard negative" candidates.
SIDE_EFFECT_WORDS = re.compile(
    r"副作用|有害事象|副反応|irAE|AE|発現|低血糖|出血|吐き気|眠気|ふらつき|皮疹|発疹|"
    r"むくみ|浮腫|頭痛|下痢|便秘|脱毛|髪が抜け|SJS|顎骨壊死|乳酸アシドーシス|QT|"
    r"骨髄抑制|高K|低Na|CK|ALT|AST|Cre|eGFR|感染|発熱|アナフィラキシー|"
    r"インフュージョンリアクション|催奇形|呼吸抑制|動悸|排尿困難|眼圧|体重増加|太ら|ILD|筋障害"
)


def main(path):
    errors = []
    rows = []
    with open(path, "rb") as fb:
        raw = fb.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        print(f"ERROR: not valid UTF-8: {e}")
        return 1
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines = lines[:-1]
    if len(lines) != 200:
        errors.append(f"expected 200 lines, found {len(lines)}")

    for i, line in enumerate(lines, 1):
        try:
            d = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append(f"line {i}: invalid JSON ({e})")
            continue
        if not isinstance(d, dict):
            errors.append(f"line {i}: not a JSON object")
            continue
        if set(d) != KEYS:
            errors.append(f"line {i}: keys {sorted(d)} != {sorted(KEYS)}")
            continue
        rid = d["id"]
        if not isinstance(rid, str) or rid not in EXPECTED_IDS:
            errors.append(f"line {i}: id {rid!r} not in N6001-N6200")
        notes = d["notes"]
        if not isinstance(notes, str) or not (15 <= len(notes) <= 160):
            errors.append(f"{rid}: notes must be a string of 15-160 chars (got {len(notes) if isinstance(notes, str) else type(notes)})")
        elif "\\u" in line:
            errors.append(f"{rid}: line contains \\u escapes (write with ensure_ascii=False)")
        topics = d["topics"]
        if not isinstance(topics, list) or not all(isinstance(t, str) for t in topics):
            errors.append(f"{rid}: topics must be a list of strings")
            continue
        bad = [t for t in topics if t not in TOPICS]
        if bad:
            errors.append(f"{rid}: unknown topics {bad}")
        if len(set(topics)) != len(topics):
            errors.append(f"{rid}: duplicate topics {topics}")
        for k in ("adverse_event", "off_label"):
            if not isinstance(d[k], bool):
                errors.append(f"{rid}: {k} must be a bool")
        if d["adverse_event"] is True and "safety" not in topics:
            errors.append(f"{rid}: adverse_event note lacks 'safety'")
        rows.append(d)

    ids = [d["id"] for d in rows]
    dup = [k for k, v in Counter(ids).items() if v > 1]
    if dup:
        errors.append(f"duplicate ids: {dup}")
    missing = EXPECTED_IDS - set(ids)
    if missing and len(rows) == 200:
        errors.append(f"missing ids: {sorted(missing)[:10]}")

    # ---- counts table ----
    n = len(rows)
    tc = Counter(t for d in rows for t in d["topics"])
    ae = sum(d["adverse_event"] for d in rows)
    ol = sum(d["off_label"] for d in rows)
    both = sum(d["adverse_event"] and d["off_label"] for d in rows)
    none = sum(1 for d in rows if not d["topics"])
    multi = sum(1 for d in rows if len(d["topics"]) >= 2)
    hn = sum(1 for d in rows if not d["adverse_event"] and SIDE_EFFECT_WORDS.search(d["notes"]))
    ae_word = sum(1 for d in rows if d["adverse_event"] and re.search("副作用|有害事象", d["notes"]))
    dist = Counter(len(d["topics"]) for d in rows)

    print(f"file: {path}")
    print(f"notes: {n}")
    print()
    print("| label | count |")
    print("|---|---:|")
    for t in TOPICS:
        print(f"| topic: {t} | {tc[t]} |")
    print(f"| adverse_event = true | {ae} |")
    print(f"| adverse_event = false | {n - ae} |")
    print(f"| off_label = true | {ol} |")
    print(f"| off_label = false | {n - ol} |")
    print(f"| adverse_event and off_label | {both} |")
    print(f"| no topic | {none} |")
    print(f"| 2+ topics | {multi} |")
    print()
    print("topics per note: " + ", ".join(f"{k}: {dist[k]}" for k in sorted(dist)))
    print(f"(info) AE=false notes containing side-effect/symptom/lab words: {hn}")
    print(f"(info) AE=true notes using 副作用/有害事象: {ae_word}")

    got = {"adverse_event=true": ae, "off_label=true": ol, "no topic": none, "2+ topics": multi}
    for k, (lo, hi) in RANGES.items():
        if not (lo <= got[k] <= hi):
            errors.append(f"{k} = {got[k]} outside required range {lo}-{hi}")

    print()
    if errors:
        print(f"FAILED ({len(errors)} problems):")
        for e in errors:
            print("  -", e)
        return 1
    print("OK: all checks passed")
    return 0


if __name__ == "__main__":
    default = os.path.join(os.path.dirname(os.path.abspath(__file__)), "notes.jsonl")
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else default))
