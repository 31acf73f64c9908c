#!/usr/bin/env python3
"""Self-check for a generated blind month:  python3 tools/blind-month/check.py DIR

Asserts: JSON valid, every reference resolves (rep products, HCP institutions,
visit rep/HCP/institution, products in the rep's portfolio, materials of the
visit's products), all timestamps carry +09:00, visits sorted by entered_at,
ids unique, material validity covers the month, taps fall inside their visit,
labels cover exactly the visits with known pattern names.
Prints a short summary (visits, fabricated per pattern) when everything holds.
"""
import datetime as dt
import json
import os
import re
import sys
import uuid
from collections import Counter

PATTERNS = {"copied_notes", "entry_burst", "frequency", "late_entry", "no_tap", "off_hours",
            "round_durations", "impossible_trip", "subtle"}
JST = dt.timedelta(hours=9)
errors = []


def err(msg):
    errors.append(msg)


def ts(s, where):
    """Parse an RFC 3339 timestamp and require the +09:00 offset."""
    if not isinstance(s, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+09:00", s):
        err(f"{where}: bad timestamp {s!r}")
        return None
    t = dt.datetime.fromisoformat(s)
    if t.utcoffset() != JST:
        err(f"{where}: offset is not +09:00: {s}")
    return t


def unique(items, what):
    c = Counter(items)
    dups = [k for k, n in c.items() if n > 1]
    if dups:
        err(f"duplicate {what} ids: {dups[:5]}")


def main(out):
    with open(os.path.join(out, "master.json"), encoding="utf-8") as f:
        master = json.load(f)
    visits = []
    with open(os.path.join(out, "visits.jsonl"), encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                visits.append(json.loads(line))
            except json.JSONDecodeError as e:
                err(f"visits.jsonl line {n}: {e}")
    with open(os.path.join(out, "labels.json"), encoding="utf-8") as f:
        labels = json.load(f)

    # ---- master
    for key in ("products", "reps", "institutions", "hcps", "materials"):
        if not isinstance(master.get(key), list) or not master[key]:
            err(f"master.{key} missing or empty")
    products = {p["id"]: p for p in master["products"]}
    reps = {r["id"]: r for r in master["reps"]}
    insts = {i["id"]: i for i in master["institutions"]}
    hcps = {h["id"]: h for h in master["hcps"]}
    mats = {(m["id"], m["version"]): m for m in master["materials"]}
    for key, objs in (("product", master["products"]), ("rep", master["reps"]),
                      ("institution", master["institutions"]), ("hcp", master["hcps"])):
        unique([o["id"] for o in objs], key)
    unique([(m["id"], m["version"]) for m in master["materials"]], "material(id,version)")
    for p in master["products"]:
        if set(p) != {"id", "name"}:
            err(f"product {p.get('id')}: keys {sorted(p)}")
    for r in master["reps"]:
        if set(r) != {"id", "name", "products"}:
            err(f"rep {r['id']}: keys {sorted(r)}")
        for pid in r["products"]:
            if pid not in products:
                err(f"rep {r['id']}: unknown product {pid}")
    for i in master["institutions"]:
        if set(i) != {"id", "name", "address", "lat", "lon"}:
            err(f"institution {i['id']}: keys {sorted(i)}")
        if not (20 < i["lat"] < 46 and 122 < i["lon"] < 154):
            err(f"institution {i['id']}: coordinates outside Japan")
    for h in master["hcps"]:
        if set(h) != {"id", "name", "kana", "specialty", "institution_id"}:
            err(f"hcp {h['id']}: keys {sorted(h)}")
        if h["institution_id"] not in insts:
            err(f"hcp {h['id']}: unknown institution {h['institution_id']}")
        if not re.fullmatch(r"[\u3041-\u309f ]+", h["kana"]):
            err(f"hcp {h['id']}: kana not hiragana: {h['kana']}")

    # month = most common month of started_at
    months = Counter(v.get("started_at", "")[:7] for v in visits)
    month = months.most_common(1)[0][0] if months else None
    if month:
        y, m = map(int, month.split("-"))
        first = dt.date(y, m, 1)
        last = dt.date(y + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1)
    for m in master["materials"]:
        keys = {"id", "version", "title", "product_id", "approval_code", "valid_from", "valid_until",
                "status", "sha256", "size"}
        if set(m) != keys:
            err(f"material {m['id']}: keys {sorted(m)}")
        if m["product_id"] not in products:
            err(f"material {m['id']}: unknown product")
        if m["status"] != "approved":
            err(f"material {m['id']}: status {m['status']}")
        if not re.fullmatch(r"[0-9a-f]{64}", m["sha256"]):
            err(f"material {m['id']}: sha256 not 64 hex")
        if not isinstance(m["size"], int) or m["size"] <= 0:
            err(f"material {m['id']}: size")
        vf, vu = dt.date.fromisoformat(m["valid_from"]), dt.date.fromisoformat(m["valid_until"])
        if month and not (vf <= first and vu >= last):
            err(f"material {m['id']}: validity {vf}..{vu} does not cover {month}")

    # ---- visits
    keys = ["id", "rep_id", "hcp_id", "institution_id", "channel", "started_at", "duration_min",
            "products", "materials_shown", "reaction", "next_objective", "notes", "entered_at", "taps"]
    unique([v.get("id") for v in visits], "visit")
    prev_entered = None
    for n, v in enumerate(visits, 1):
        w = f"visit line {n}"
        if list(v) != keys:
            err(f"{w}: keys {list(v)}")
            continue
        try:
            uuid.UUID(v["id"])
        except ValueError:
            err(f"{w}: id not a UUID")
        rep = reps.get(v["rep_id"])
        h = hcps.get(v["hcp_id"])
        if rep is None:
            err(f"{w}: unknown rep {v['rep_id']}")
        if h is None:
            err(f"{w}: unknown hcp {v['hcp_id']}")
        elif h["institution_id"] != v["institution_id"]:
            err(f"{w}: institution_id is not the HCP's institution")
        if v["institution_id"] not in insts:
            err(f"{w}: unknown institution")
        if v["channel"] not in ("in_person", "phone", "web_meeting"):
            err(f"{w}: channel {v['channel']}")
        st = ts(v["started_at"], w + " started_at")
        en = ts(v["entered_at"], w + " entered_at")
        if not isinstance(v["duration_min"], int) or v["duration_min"] <= 0:
            err(f"{w}: duration_min {v['duration_min']!r}")
        if st and en and en < st + dt.timedelta(minutes=v["duration_min"]):
            err(f"{w}: entered before the visit ended")
        if en and prev_entered and en < prev_entered:
            err(f"{w}: not sorted by entered_at")
        prev_entered = en or prev_entered
        pids = [p["product_id"] for p in v["products"]]
        if not pids:
            err(f"{w}: no products")
        if sorted(p["priority"] for p in v["products"]) != list(range(1, len(pids) + 1)):
            err(f"{w}: priorities not 1..n")
        if len(set(pids)) != len(pids):
            err(f"{w}: duplicate product")
        for pid in pids:
            if rep and pid not in rep["products"]:
                err(f"{w}: product {pid} not in rep portfolio")
        for ms in v["materials_shown"]:
            mm = mats.get((ms["material_id"], ms["version"]))
            if mm is None:
                err(f"{w}: unknown material {ms}")
            elif mm["product_id"] not in pids:
                err(f"{w}: material {ms['material_id']} not of the visit's products")
        if v["reaction"] not in ("positive", "neutral", "negative"):
            err(f"{w}: reaction {v['reaction']}")
        if not isinstance(v["notes"], str) or not v["notes"]:
            err(f"{w}: empty notes")
        if not isinstance(v["next_objective"], str) or not v["next_objective"]:
            err(f"{w}: empty next_objective")
        shown = {(m["material_id"], m["version"]) for m in v["materials_shown"]}
        for t in v["taps"]:
            at = None
            if isinstance(t, str):
                at = ts(t, w + " tap")
            elif isinstance(t, dict) and set(t) == {"at", "material_id", "version"}:
                at = ts(t["at"], w + " tap")
                if (t["material_id"], t["version"]) not in shown:
                    err(f"{w}: tap on a material not shown")
            else:
                err(f"{w}: bad tap {t!r}")
            if at and st and not (st <= at <= st + dt.timedelta(minutes=v["duration_min"])):
                err(f"{w}: tap outside the visit window")

    # ---- labels
    ids = {v["id"] for v in visits}
    if set(labels) != ids:
        err(f"labels/visits id mismatch: {len(set(labels) ^ ids)} ids")
    for k, lab in labels.items():
        if set(lab) != {"fabricated", "pattern"} or not isinstance(lab["fabricated"], bool):
            err(f"label {k}: {lab}")
        elif lab["fabricated"] != (lab["pattern"] != "genuine") or (
                lab["fabricated"] and lab["pattern"] not in PATTERNS):
            err(f"label {k}: inconsistent {lab}")

    if errors:
        for e in errors[:50]:
            print("FAIL", e)
        print(f"{len(errors)} problem(s) in {out}")
        return 1
    c = Counter(lab["pattern"] for lab in labels.values())
    fab = sum(n for p, n in c.items() if p != "genuine")
    print(f"OK {out}: {len(visits)} visits, {fab} fabricated ({100.0 * fab / len(visits):.1f}%), "
          f"{len(reps)} reps, {len(hcps)} hcps, {len(insts)} institutions, {len(mats)} materials")
    print("   " + ", ".join(f"{p}={n}" for p, n in sorted(c.items())))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: check.py DIR")
    sys.exit(main(sys.argv[1]))
