#!/usr/bin/env python3
"""Blind month generator for the MR visit fraud audit.

Writes master.json, visits.jsonl and labels.json for one month of
genuine and fabricated MR visit records.  Written from a prose description
only (see README.md); standard library only; deterministic per --seed.

    python3 tools/blind-month/generate.py --out DIR --seed N [--reps 3] [--month 2026-10]
"""
import argparse
import datetime as dt
import hashlib
import json
import math
import os
import random
import sys
import uuid
from collections import Counter, defaultdict

sys.dont_write_bytecode = True          # keep the tool folder free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jp_data as D  # noqa: E402

JST = dt.timezone(dt.timedelta(hours=9))
TD = dt.timedelta
PATTERNS = ["copied_notes", "entry_burst", "frequency", "late_entry", "no_tap",
            "off_hours", "round_durations", "impossible_trip", "subtle"]
# relative share, min and max visits per pattern instance
BASE_W = {"copied_notes": 5, "entry_burst": 5, "frequency": 6, "late_entry": 4, "no_tap": 7,
          "off_hours": 3, "round_durations": 6, "impossible_trip": 3, "subtle": 5}
MIN_C = {"copied_notes": 2, "entry_burst": 3, "frequency": 4, "late_entry": 2, "no_tap": 3,
         "off_hours": 2, "round_durations": 5, "impossible_trip": 1, "subtle": 2}
MAX_C = {"copied_notes": 10, "entry_burst": 12, "frequency": 10, "late_entry": 8, "no_tap": 14,
         "off_hours": 6, "round_durations": 14, "impossible_trip": 5, "subtle": 10}
EXEC_ORDER = ["round_durations", "frequency", "no_tap", "copied_notes", "subtle",
              "off_hours", "late_entry", "entry_burst", "impossible_trip"]


def at(d, h, m=0, s=0):
    """Aware JST datetime on date d; hours >= 24 roll over to the next day."""
    return dt.datetime(d.year, d.month, d.day, tzinfo=JST) + TD(hours=h, minutes=m, seconds=s)


def ceil_minute(t, step=1):
    t2 = t.replace(second=0, microsecond=0)
    if t2 < t:
        t2 += TD(minutes=1)
    return t2 + TD(minutes=(-t2.minute) % step)


def minutes(a, b):
    return (b - a).total_seconds() / 60.0


def hav(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (a["lat"], a["lon"], b["lat"], b["lon"]))
    x = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(x))


def iso(t):
    return t.replace(microsecond=0).isoformat()


class Month:
    def __init__(self, seed, n_reps, year, month, hcps_per_rep):
        self.rng = random.Random(seed)
        self.seed = seed
        self.n_reps = n_reps
        self.hcps_per_rep = hcps_per_rep
        self.first = dt.date(year, month, 1)
        self.last = dt.date(year + month // 12, month % 12 + 1, 1) - TD(days=1)
        self.hol = {}
        for y in (year - 1, year, year + 1):
            self.hol.update(D.jp_holidays(y))
        self.days = [self.first + TD(days=i) for i in range((self.last - self.first).days + 1)]
        self.workdays = [d for d in self.days if self.is_workday(d)]
        self.offdays = [d for d in self.days if not self.is_workday(d)]
        self.widx = {d: i for i, d in enumerate(self.workdays)}
        self.used_names = set()
        self.used_inst_names = set()
        self.used_addresses = set()
        self.insts = {}
        self.hcps = {}
        self.sched = {}        # rep id -> {date: [visit]}
        self.forced = {}       # (rep id, date) -> entry style
        self.round_days = set()
        self.fab_log = []

    # ------------------------------------------------------------ calendar
    def is_workday(self, d):
        return d.weekday() < 5 and d not in self.hol

    def next_workday(self, d):
        d += TD(days=1)
        while not self.is_workday(d):
            d += TD(days=1)
        return d

    def prev_workday(self, d):
        d -= TD(days=1)
        while not self.is_workday(d):
            d -= TD(days=1)
        return d

    # ------------------------------------------------------------ master
    def person_name(self):
        rng = self.rng
        while True:
            s, sk = rng.choice(D.SURNAMES)
            g, gk = rng.choice(D.GIVEN_NAMES)
            if (s, g) not in self.used_names:
                self.used_names.add((s, g))
                return f"{s} {g}", f"{sk} {gk}", s

    def new_inst(self, kind, town, spec=None, base=None, floor=None):
        rng = self.rng
        prefix, tname, lat, lon, sub = town
        for _ in range(50):
            if kind == "hospital":
                name = tname + rng.choice(D.HOSPITAL_SUFFIX)
            else:
                label = D.CLINIC_LABEL[spec]
                sur = rng.choice(D.SURNAMES)[0]
                opts = [f"{sur}{label}クリニック", f"{tname}{label}クリニック",
                        f"{tname}駅前{label}クリニック",
                        f"{rng.choice(D.CLINIC_PREFIX_WORDS)}{label}クリニック"]
                if spec == "内科":
                    opts += [f"{sur}医院", f"{sur}内科医院"]
                if spec == "精神科":
                    opts = [f"{tname}こころのクリニック", f"{sur}メンタルクリニック"]
                name = rng.choice(opts)
            if name not in self.used_inst_names:
                break
        else:
            name = f"{name}{len(self.insts) + 1}"
        self.used_inst_names.add(name)
        if base is None:
            while True:
                street = f"{prefix}{tname}{rng.randint(1, 5)}-{rng.randint(1, 25)}-{rng.randint(1, 30)}"
                if street not in self.used_addresses:
                    break
            self.used_addresses.add(street)
            blat = lat + rng.uniform(-0.006, 0.006)
            blon = lon + rng.uniform(-0.007, 0.007)
            if kind == "clinic" and floor is None and rng.random() < 0.35:
                floor = rng.randint(1, 4)
        else:
            street, blat, blon = base
        if base is not None:
            ilat = blat + rng.uniform(-0.00012, 0.00012)
            ilon = blon + rng.uniform(-0.00012, 0.00012)
        else:
            ilat, ilon = blat, blon
        address = street + (f" {floor}階" if floor else "")
        iid = f"I{len(self.insts) + 1:04d}"
        inst = {"id": iid, "name": name, "address": address,
                "lat": round(ilat, 6), "lon": round(ilon, 6),
                "_kind": kind, "_sub": sub, "_far": sub == "F", "_street": (street, blat, blon)}
        self.insts[iid] = inst
        return inst

    def new_hcp(self, rep, inst, spec, ghost=False):
        name, kana, _ = self.person_name()
        hid = f"H{len(self.hcps) + 1:04d}"
        att = self.rng.choices(["warm", "neutral", "cool"], [0.35, 0.45, 0.2])[0]
        h = {"id": hid, "name": name, "kana": kana, "specialty": spec, "institution_id": inst["id"],
             "_rep": rep["id"], "_ghost": ghost, "_far": inst["_far"], "_sub": inst["_sub"],
             "_kol": False, "_rate": 0.0, "_att": att, "_prod_order": None}
        self.hcps[hid] = h
        rep["_hcps"].append(h)
        return h

    def build_territory(self, rep, tmpl):
        rng = self.rng
        spec_pool = []
        for pid in rep["products"]:
            spec_pool += self.products[pid]["specs"]
        spec_pool += ["内科"] * 2
        uniq_specs = sorted(set(spec_pool), key=spec_pool.index)
        main, far = tmpl["main"], tmpl["far"]
        target = max(8, self.hcps_per_rep + rng.randint(0, 3))
        n_ghost = 2 if target >= 10 else 1
        hospitals = []
        for _ in range(2):
            inst = self.new_inst("hospital", rng.choice(main))
            hospitals.append(inst)
            for spec in rng.sample(uniq_specs, min(len(uniq_specs), rng.randint(2, 3))):
                self.new_hcp(rep, inst, spec)
        for _ in range(rng.randint(1, 2)):          # clinics sharing a building
            town = rng.choice(main)
            f0 = rng.randint(1, 2)
            spec = rng.choice(spec_pool)
            first = self.new_inst("clinic", town, spec=spec, floor=f0)
            self.new_hcp(rep, first, spec)
            for fl in sorted(rng.sample(range(f0 + 1, 8), rng.randint(1, 2))):
                spec = rng.choice(spec_pool)
                inst = self.new_inst("clinic", town, spec=spec, base=first["_street"], floor=fl)
                self.new_hcp(rep, inst, spec)
        fh = self.new_inst("hospital", rng.choice(far))       # far end of the territory
        for spec in rng.sample(uniq_specs, min(len(uniq_specs), rng.randint(1, 2))):
            self.new_hcp(rep, fh, spec)
        for _ in range(rng.randint(1, 2)):
            spec = rng.choice(spec_pool)
            self.new_hcp(rep, self.new_inst("clinic", rng.choice(far), spec=spec), spec)
        while len(rep["_hcps"]) < target - n_ghost:
            spec = rng.choice(spec_pool)
            inst = self.new_inst("clinic", rng.choice(main), spec=spec)
            self.new_hcp(rep, inst, spec)
            if rng.random() < 0.12 and len(rep["_hcps"]) < target - n_ghost:
                self.new_hcp(rep, inst, spec)     # two doctors in one clinic
        for k in range(n_ghost):                  # doctors this rep never really sees
            if k == 0:
                inst = rng.choice(hospitals)
                used = {h["specialty"] for h in rep["_hcps"] if h["institution_id"] == inst["id"]}
                spec = next((s for s in D.CLINIC_LABEL if s not in used), "内科")
            else:
                spec = rng.choice(spec_pool)
                inst = self.new_inst("clinic", rng.choice(main), spec=spec)
            self.new_hcp(rep, inst, spec, ghost=True)
        # visit rates (per month)
        prof = rep["_prof"]
        real = [h for h in rep["_hcps"] if not h["_ghost"]]
        near = [h for h in real if not h["_far"]]
        hosp_docs = [h for h in near if self.insts[h["institution_id"]]["_kind"] == "hospital"]
        kols = rng.sample(hosp_docs, min(len(hosp_docs), rng.randint(1, 2)))
        kols += rng.sample([h for h in near if h not in kols], 1)
        for h in kols:
            h["_kol"] = True
            h["_rate"] = rng.uniform(4.2, 5.2)
        for h in real:
            if h["_far"]:
                h["_rate"] = rng.uniform(1.0, 2.2)
        total = prof["mean"] * len(self.workdays)
        rest = [h for h in near if not h["_kol"]]
        remaining = max(len(rest), total - sum(h["_rate"] for h in real))
        ws = [math.exp(rng.gauss(0, 0.55)) for _ in rest]
        for h, w in zip(rest, ws):
            h["_rate"] = min(9.0, remaining * w / sum(ws))
        for h in rep["_hcps"]:
            rel = [p for p in rep["products"] if h["specialty"] in self.products[p]["specs"]]
            rng.shuffle(rel)
            others = [p for p in rep["products"] if p not in rel]
            rng.shuffle(others)
            h["_prod_order"] = rel + others

    def build_master(self):
        rng = self.rng
        self.products = {p["id"]: p for p in D.PRODUCTS}
        self.materials = []
        self.mat_by_product = defaultdict(list)
        seq = 1
        for p in D.PRODUCTS:
            for t in rng.sample(D.MATERIAL_TITLES, rng.randint(2, 3)):
                vf = self.first - TD(days=rng.randint(20, 600))
                vu = self.last + TD(days=rng.randint(30, 700))
                ver = rng.choice([1, 2, 3])  # the catalog's versions are integers (master-data format)
                mid = f"MAT-{seq:04d}"
                seq += 1
                title = t.format(name=p["name"])
                m = {"id": mid, "version": ver, "title": title, "product_id": p["id"],
                     "approval_code": f"{p['prefix']}-{vf.strftime('%y%m')}-{rng.randint(1, 999):03d}",
                     "valid_from": vf.isoformat(), "valid_until": vu.isoformat(),
                     "status": "approved",
                     "sha256": hashlib.sha256(f"{mid}|{ver}|{title}|{self.seed}".encode()).hexdigest(),
                     "size": rng.randint(180_000, 9_500_000)}
                self.materials.append(m)
                self.mat_by_product[p["id"]].append((m, t.format(name="").strip()))
        combos = [list(c) for c in D.PORTFOLIOS]
        rng.shuffle(combos)
        terrs = list(D.TERRITORIES[:3])
        rng.shuffle(terrs)
        terrs += D.TERRITORIES[3:]
        styles = ["immediate", "evening", "next_morning", "mixed"]
        rng.shuffle(styles)
        memo = set(rng.sample(range(self.n_reps), min(self.n_reps, rng.randint(1, 2))))
        self.reps = []
        for i in range(self.n_reps):
            name, kana, _ = self.person_name()
            prods = list(combos[i % len(combos)])
            if rng.random() < 0.3:
                extra = [p for p in self.products if p not in prods]
                prods.append(rng.choice(extra))
            prof = {
                "style": styles[i % 4],
                "memo_p": rng.uniform(0.10, 0.22) if i in memo else 0.0,
                "mean": rng.uniform(5.2, 6.3),
                "dur_med": rng.uniform(7.5, 12.5), "dur_sigma": rng.uniform(0.42, 0.62),
                "round5": rng.random() < 0.4, "start5": rng.random() < 0.3,
                "start_off": rng.uniform(5, 40), "wait_mean": rng.uniform(5, 14),
                "speed": (rng.uniform(18, 24), rng.uniform(28, 35)),
                "tap_luck": rng.uniform(0.74, 0.93), "mat_p": rng.uniform(0.35, 0.65),
                "followup_p": rng.uniform(0.12, 0.35),
                "stock": rng.sample(D.STOCK, rng.randint(3, 4)), "stock_p": rng.uniform(0.45, 0.8),
                "remote_p": rng.uniform(0.01, 0.05),
            }
            rep = {"id": f"R{i + 1:03d}", "name": name, "products": prods, "_prof": prof, "_hcps": [],
                   "_terr": terrs[i % len(terrs)]}
            self.reps.append(rep)
            self.build_territory(rep, rep["_terr"])
        self.rep_by_id = {r["id"]: r for r in self.reps}

    # ------------------------------------------------------------ travel
    def inst_of(self, h):
        return self.insts[h["institution_id"]]

    def travel(self, a, b, prof):
        rng = self.rng
        if a["id"] == b["id"]:
            return rng.uniform(1, 4)
        dkm = hav(a, b)
        if dkm < 0.08:
            return rng.uniform(1, 3)
        lo, hi = prof["speed"]
        if dkm > 15:             # long legs go by expressway / train
            lo, hi = max(lo, 32.0), max(hi, 42.0)
        return dkm * 1.3 / rng.uniform(lo, hi) * 60 + rng.uniform(3, 10)

    @staticmethod
    def min_travel(a, b):
        """Conservative plausible travel time, used to slot fabricated visits."""
        if a["id"] == b["id"]:
            return 2
        dkm = hav(a, b)
        if dkm < 0.08:
            return 2
        return dkm * 1.3 / 30 * 60 + 4

    def sample_dur(self, prof, channel="in_person"):
        rng = self.rng
        med = prof["dur_med"] if channel == "in_person" else 5.0
        x = math.exp(rng.gauss(math.log(med), prof["dur_sigma"]))
        if rng.random() < 0.05:
            x *= rng.uniform(1.8, 3.5)
        d = max(2, min(75, int(round(x))))
        if prof["round5"]:
            d = max(5, int(5 * round(d / 5)))
        return d

    # ------------------------------------------------------------ genuine schedule
    def route(self, hs, start=None):
        rng = self.rng
        left = list(hs)
        cur = start if start is not None else rng.choice(left)
        out = [cur]
        left.remove(cur)
        while left:
            ci = self.inst_of(cur)
            left.sort(key=lambda h: (hav(ci, self.inst_of(h)), h["id"]))
            cur = left.pop(0)
            out.append(cur)
        return out

    def schedule_genuine(self, rep):
        rng = self.rng
        prof = rep["_prof"]
        subs = sorted({h["_sub"] for h in rep["_hcps"] if not h["_far"]})
        far_days = set(rng.sample(self.workdays, rng.randint(2, 3)))
        last = {}
        wk = Counter()
        nwd = len(self.workdays)
        sched = {}
        for d in self.workdays:
            n = max(4, min(9, int(round(rng.gauss(prof["mean"], 1.2)))))
            far_day = d in far_days
            primary = rng.choice(subs)
            secondary = rng.choice(subs)
            week = d.isocalendar()[1]
            chosen = []
            for _ in range(n):
                cands, ws = [], []
                for h in rep["_hcps"]:
                    if h["_ghost"] or h in chosen or h["_rate"] <= 0:
                        continue
                    li = last.get(h["id"])
                    if li is not None and (d - self.workdays[li]).days < 2:
                        continue
                    if wk[(h["id"], week)] >= 2:
                        continue
                    interval = nwd / h["_rate"]
                    since = (self.widx[d] - li) if li is not None else 1.3 * interval
                    due = min(3.0, max(0.05, since / interval)) ** 2
                    if h["_far"]:
                        area = 8.0 if far_day else 0.0
                    elif h["_sub"] == primary:
                        area = 4.0
                    elif h["_sub"] == secondary:
                        area = 1.5
                    else:
                        area = 0.35
                    w = h["_rate"] * due * area
                    if w > 0:
                        cands.append(h)
                        ws.append(w)
                if not cands:
                    break
                chosen.append(rng.choices(cands, ws)[0])
            if not chosen:
                continue
            visits = self.day_timeline(rep, d, self.route(chosen))
            for v in visits:
                last[v["hcp"]["id"]] = self.widx[d]
                wk[(v["hcp"]["id"], week)] += 1
            sched[d] = visits
        self.sched[rep["id"]] = sched

    def mkvisit(self, rep, h, start, dur, channel="in_person", fake=False, pattern="genuine", **flags):
        return {"rep": rep, "hcp": h, "inst": self.inst_of(h), "day": start.date(), "start": start,
                "dur": dur, "end": start + TD(minutes=dur), "channel": channel, "fake": fake,
                "pattern": pattern, "entered": None, "flags": flags}

    def day_timeline(self, rep, d, route):
        """Lay a route out over the working day: real travel times, visit
        durations, a lunch break, and idle time (waiting for the doctor,
        office work in the car) spread so the day ends late afternoon."""
        rng = self.rng
        prof = rep["_prof"]
        n = len(route)
        chans, durs, travel = [], [], [0.0]
        for k, h in enumerate(route):
            ch = "in_person"
            if rng.random() < prof["remote_p"]:
                ch = rng.choice(["phone", "web_meeting"])
            chans.append(ch)
            durs.append(self.sample_dur(prof, ch))
            if k:
                travel.append(self.travel(self.inst_of(route[k - 1]), self.inst_of(h), prof))
        t = at(d, 8, 30) + TD(minutes=max(0.0, rng.gauss(prof["start_off"], 12)))
        target_end = min(at(d, 18, 20), at(d, 17, 0) + TD(minutes=rng.uniform(-75, 80)))
        lunch_len = rng.uniform(40, 65)
        slack = minutes(t, target_end) - sum(durs) - sum(travel) - lunch_len
        ws = [rng.expovariate(1.0) for _ in range(n)]
        waits = [max(0.0, slack) * w / sum(ws) + rng.uniform(0, 4) for w in ws]
        out, prev, lunch = [], None, False
        for k, h in enumerate(route):
            if prev is not None:
                t = prev["end"] + TD(minutes=travel[k] + min(waits[k], 90.0))
            if not lunch and t >= at(d, 11, 45):
                lunch = True
                if t < at(d, 14, 0):
                    t = max(t, at(d, 12, 0)) + TD(minutes=lunch_len)
            start = ceil_minute(t, 5 if prof["start5"] else 1)
            if start + TD(minutes=durs[k]) > at(d, 18, 30):
                break
            v = self.mkvisit(rep, h, start, durs[k], chans[k])
            out.append(v)
            prev = v
        return out

    # ------------------------------------------------------------ fabrication helpers
    def day_visits(self, rep, d):
        return sorted(self.sched[rep["id"]].get(d, []), key=lambda v: v["start"])

    def add(self, v):
        self.sched[v["rep"]["id"]].setdefault(v["day"], []).append(v)
        return v

    def find_slot(self, rep, d, inst, dur, lo=None, hi=None):
        rng = self.rng
        step = 5 if rep["_prof"]["start5"] else 1
        lo = lo or at(d, 8, 40)
        hi = hi or at(d, 18, 25)
        vs = self.day_visits(rep, d)
        cands = []
        for i in range(len(vs) + 1):
            prev = vs[i - 1] if i > 0 else None
            nxt = vs[i] if i < len(vs) else None
            a = lo if prev is None else max(lo, prev["end"] + TD(minutes=self.min_travel(prev["inst"], inst)))
            b = hi - TD(minutes=dur)
            if nxt is not None:
                b = min(b, nxt["start"] - TD(minutes=dur + self.min_travel(inst, nxt["inst"])))
            a = ceil_minute(a, step)
            if b >= a:
                cands.append((a, b))
        if not cands:
            return None
        a, b = rng.choices(cands, [minutes(x, y) + 1 for x, y in cands])[0]
        n = int(minutes(a, b) // step)
        return a + TD(minutes=step * rng.randint(0, n))

    def nearby_hcps(self, rep, d, ghosts=False, max_km=6.0):
        pool = [h for h in rep["_hcps"] if h["_ghost"] == ghosts and not h["_far"]]
        vs = self.day_visits(rep, d)
        if vs:
            c = vs[len(vs) // 2]["inst"]
            near = [h for h in pool if hav(c, self.inst_of(h)) <= max_km]
            if near:
                return near
        return pool

    def fake_on_day(self, rep, d, pattern, h=None, dur=None, lo=None, hi=None, **flags):
        rng = self.rng
        if (rep["id"], d) in self.round_days:
            return None
        for _ in range(6):
            hh = h or rng.choice(self.nearby_hcps(rep, d))
            du = dur or self.sample_dur(rep["_prof"])
            s = self.find_slot(rep, d, self.inst_of(hh), du, lo, hi)
            if s is not None:
                return self.add(self.mkvisit(rep, hh, s, du, fake=True, pattern=pattern, **flags))
        return None

    def fake_somewhere(self, rep, days, pattern, **kw):
        rng = self.rng
        days = list(days)
        for _ in range(20):
            d = rng.choice(days)
            v = self.fake_on_day(rep, d, pattern, **kw)
            if v is not None:
                return v
        return None

    def fake_days(self, rep):
        return {d for d, vs in self.sched[rep["id"]].items() if any(v["fake"] for v in vs)}

    # ------------------------------------------------------------ fabrication patterns
    def fab_round_durations(self, rep, c):
        rng = self.rng
        sizes = [c] if c <= 8 else [c // 2, c - c // 2]
        busy = self.fake_days(rep)
        cands = [d for d in self.workdays[2:-1] if d not in busy and (rep["id"], d) not in self.forced]
        subs = sorted({h["_sub"] for h in rep["_hcps"] if not h["_far"]})
        made = []
        for size in sizes:
            d = rng.choice(cands)
            cands.remove(d)
            self.sched[rep["id"]][d] = []          # the real day is replaced by an invented one
            dur = rng.choice([10, 15, 15, 15, 20, 20, 30])
            sub = rng.choice(subs)
            pool = [h for h in rep["_hcps"] if not h["_ghost"] and not h["_far"] and h["_sub"] == sub]
            others = [h for h in rep["_hcps"] if not h["_ghost"] and not h["_far"] and h not in pool]
            rng.shuffle(pool)
            rng.shuffle(others)
            chosen = (pool + others)[:size]
            t = at(d, 9, rng.choice([0, 0, 30]))
            prev = None
            for h in self.route(chosen):
                if prev is not None:
                    t = prev["end"] + TD(minutes=self.min_travel(prev["inst"], self.inst_of(h))
                                         + rng.choice([0, 5, 10, 15, 20]))
                    if prev["end"] <= at(d, 12, 0) < t + TD(minutes=dur):
                        t = max(t, at(d, 13, 0))
                start = ceil_minute(t, 5)
                if start + TD(minutes=dur) > at(d, 18, 30):
                    break
                prev = self.add(self.mkvisit(rep, h, start, dur, fake=True, pattern="round_durations"))
                made.append(prev)
            self.forced[(rep["id"], d)] = rng.choice(["evening", "evening", "next_morning"])
            self.round_days.add((rep["id"], d))
        return made

    def fab_frequency(self, rep, c):
        rng = self.rng
        counts = Counter(v["hcp"]["id"] for vs in self.sched[rep["id"]].values() for v in vs)
        pool = [h for h in rep["_hcps"] if not h["_ghost"] and not h["_far"] and not h["_kol"]
                and counts[h["id"]] >= 1]
        h = rng.choice(pool)
        h["_att"] = "friendly"
        weeks = defaultdict(list)
        for d in self.workdays:
            weeks[d.isocalendar()[1]].append(d)
        wkeys = sorted(k for k in weeks if len(weeks[k]) >= 3)
        off = rng.randrange(len(wkeys))
        wkeys = wkeys[off:] + wkeys[:off]
        made = []
        for k in wkeys:
            if len(made) >= c:
                break
            have = [d for d in weeks[k] if any(v["hcp"] is h for v in self.sched[rep["id"]].get(d, []))]
            free = [d for d in weeks[k] if d not in have]
            need = rng.choice([3, 4, 4]) - len(have)
            for d in sorted(rng.sample(free, max(0, min(need, len(free))))):
                if len(made) >= c:
                    break
                v = self.fake_on_day(rep, d, "frequency", h=h)
                if v:
                    made.append(v)
        return made

    def fab_no_tap(self, rep, c):
        return [v for v in (self.fake_somewhere(rep, self.workdays, "no_tap", materials=True)
                            for _ in range(c)) if v]

    def fab_copied_notes(self, rep, c):
        return [v for v in (self.fake_somewhere(rep, self.workdays[4:], "copied_notes", copy=True)
                            for _ in range(c)) if v]

    def fab_subtle(self, rep, c):
        rng = self.rng
        ghosts = [h for h in rep["_hcps"] if h["_ghost"]]
        gcount = Counter()
        made = []
        for _ in range(c):
            signs = set(rng.sample(["next_morning", "round", "no_tap", "ghost"], rng.choice([2, 2, 3])))
            avail = [g for g in ghosts if gcount[g["id"]] < 2]
            if "ghost" in signs and not avail:
                signs.discard("ghost")
                signs.add("round")
            h = None
            if "ghost" in signs:
                h = rng.choice(avail)
            dur = rng.choice([10, 15, 20]) if "round" in signs else None
            days = [d for d in self.workdays
                    if self.forced.get((rep["id"], d)) in (None, "next_morning")]
            v = self.fake_somewhere(rep, days, "subtle", h=h, dur=dur,
                                    materials="no_tap" in signs, plain=True)
            if v is None:
                continue
            if "ghost" in signs:
                gcount[h["id"]] += 1
            if "next_morning" in signs:
                self.forced[(rep["id"], v["day"])] = "next_morning"
            v["flags"]["signs"] = sorted(signs)
            made.append(v)
        return made

    def fab_off_hours(self, rep, c):
        rng = self.rng
        made = []
        pool = [h for h in rep["_hcps"] if not h["_ghost"] and not h["_far"]]
        wkend = rng.choice(self.offdays)
        for _ in range(c):
            if rng.random() < 0.6:
                d = wkend if rng.random() < 0.7 else rng.choice(self.offdays)
                v = self.fake_on_day(rep, d, "off_hours", h=rng.choice(pool),
                                     lo=at(d, 9, 30), hi=at(d, 17, 30))
            else:
                for _ in range(10):
                    d = rng.choice(self.workdays)
                    if (rep["id"], d) in self.forced:
                        continue
                    vs = self.day_visits(rep, d)
                    h = rng.choice(self.nearby_hcps(rep, d))
                    lo = at(d, 19, 30)
                    if vs:
                        lo = max(lo, vs[-1]["end"] + TD(minutes=self.min_travel(vs[-1]["inst"], self.inst_of(h)) + 10))
                    s = ceil_minute(lo + TD(minutes=rng.uniform(0, 80)))
                    if s <= at(d, 22, 0):
                        v = self.add(self.mkvisit(rep, h, s, self.sample_dur(rep["_prof"]),
                                                  fake=True, pattern="off_hours"))
                        break
                else:
                    v = None
            if v:
                made.append(v)
        return made

    def fab_late_entry(self, rep, c):
        rng = self.rng
        made = [v for v in (self.fake_somewhere(rep, self.workdays[:8], "late_entry") for _ in range(c)) if v]
        made.sort(key=lambda v: v["start"])
        groups = [made] if len(made) <= 3 or rng.random() < 0.5 else [made[: len(made) // 2], made[len(made) // 2:]]
        for g in groups:
            if not g:
                continue
            sd = max(v["day"] for v in g) + TD(days=rng.randint(14, 22))
            t = at(sd, 19) + TD(minutes=rng.uniform(0, 140), seconds=rng.randint(0, 59))
            for v in g:
                v["entered"] = t
                t += TD(seconds=rng.randint(50, 190))
        return made

    def fab_entry_burst(self, rep, c):
        rng = self.rng
        nb = max(1, min(c // 3, -(-c // 6)))
        sizes = [c // nb + (1 if i < c % nb else 0) for i in range(nb)]
        made = []
        used = set()
        for s in sizes:
            D0 = rng.choice([d for d in self.workdays[3:] if d not in used])
            used.add(D0)
            batch = []
            p1 = self.prev_workday(D0)
            for _ in range(s):
                days = [D0, p1] if rng.random() < 0.7 else [p1, D0]
                for d in days + [self.prev_workday(p1)]:
                    v = self.fake_on_day(rep, d, "entry_burst")
                    if v:
                        batch.append(v)
                        break
            batch.sort(key=lambda v: v["start"])
            t = at(D0, 22) + TD(minutes=rng.uniform(0, 205), seconds=rng.randint(0, 59))
            for v in batch:
                v["entered"] = t
                t += TD(seconds=rng.randint(5, 60))
            made += batch
        return made

    def fab_impossible_trip(self, rep, c):
        rng = self.rng
        cands = []
        pool = [h for h in rep["_hcps"] if not h["_ghost"]]
        for d in self.workdays:
            vs = self.day_visits(rep, d)
            for a, b in zip(vs, vs[1:]):
                if a["fake"] or b["fake"] or a["channel"] != "in_person" or b["channel"] != "in_person":
                    continue
                gap = minutes(a["end"], b["start"])
                if gap < 10 or gap > 45:
                    continue
                opts = []
                for h in pool:
                    x = self.inst_of(h)
                    fast = hav(a["inst"], x) + hav(x, b["inst"])   # minutes at 60 km/h, straight line
                    if fast + 5 > gap + 15:
                        opts.append(h)
                if opts:
                    cands.append((d, a, b, gap, opts))
        rng.shuffle(cands)
        made, used = [], set()
        for d, a, b, gap, opts in cands:
            if len(made) >= c:
                break
            if d in used:
                continue
            used.add(d)
            h = rng.choice(opts)
            dur = max(5, min(self.sample_dur(rep["_prof"]), int(gap) - 4))
            s = a["end"] + TD(minutes=rng.randint(1, max(1, int(gap) - dur - 1)))
            made.append(self.add(self.mkvisit(rep, h, s, dur, fake=True, pattern="impossible_trip")))
        return made

    def plan_fabrication(self):
        rng = self.rng
        G = sum(len(vs) for s in self.sched.values() for vs in s.values())
        r = rng.uniform(0.12, 0.18)
        F = G * r / (1 - r)
        n = len(self.reps)
        nf = 1 if n == 1 else (2 if rng.random() < 0.7 else 1)
        order = rng.sample(range(n), n)
        heavy, second = order[0], (order[1] if nf == 2 else None)
        light = order[nf] if n > nf and rng.random() < 0.5 else None
        pats = rng.sample(PATTERNS, rng.randint(6, 9))
        assign = []
        for p in pats:
            who = heavy if second is None or rng.random() < 0.6 else second
            assign.append([who, p, BASE_W[p] * (1.25 if who == heavy else 0.75) * rng.uniform(0.7, 1.3)])
        if light is not None:
            assign.append([light, rng.choice(["subtle", "copied_notes"]), 1.5])
        tot = sum(w for _, _, w in assign)
        cap = max(1.0, n / 3.0)      # more reps -> bigger fabricated volume per pattern
        plan = [(who, p, max(MIN_C[p], min(int(MAX_C[p] * cap), int(round(F * w / tot)))))
                for who, p, w in assign]
        plan.sort(key=lambda x: EXEC_ORDER.index(x[1]))
        return plan

    def fabricate(self):
        for who, p, c in self.plan_fabrication():
            rep = self.reps[who]
            made = getattr(self, "fab_" + p)(rep, c)
            self.fab_log.append((rep["id"], p, c, len(made)))

    # ------------------------------------------------------------ entry timing
    def day_style(self, prof, d):
        rng = self.rng
        if not self.is_workday(d):
            return rng.choice(["immediate", "evening", "next_morning"])
        if prof["memo_p"] and rng.random() < prof["memo_p"]:
            return "memo"
        table = {"immediate": (["immediate", "evening", "next_morning"], [0.85, 0.1, 0.05]),
                 "evening": (["evening", "immediate", "next_morning"], [0.8, 0.1, 0.1]),
                 "next_morning": (["next_morning", "evening", "immediate"], [0.75, 0.2, 0.05]),
                 "mixed": (["immediate", "evening", "next_morning"], [0.4, 0.4, 0.2])}
        opts, ws = table[prof["style"]]
        return rng.choices(opts, ws)[0]

    def sitting(self, vs, t, lo_s=60, hi_s=180):
        for v in vs:
            v["entered"] = t
            t += TD(seconds=self.rng.randint(lo_s, hi_s))

    def assign_entries(self):
        rng = self.rng
        for rep in self.reps:
            prof = rep["_prof"]
            for d in sorted(self.sched[rep["id"]]):
                vs = sorted((v for v in self.sched[rep["id"]][d] if v["entered"] is None),
                            key=lambda v: v["start"])
                if not vs:
                    continue
                style = self.forced.get((rep["id"], d)) or self.day_style(prof, d)
                last_end = max(v["end"] for v in vs)
                if style == "immediate":
                    for v in vs:
                        extra = rng.randint(40, 720) + (rng.randint(900, 4800) if rng.random() < 0.12 else 0)
                        v["entered"] = v["end"] + TD(seconds=extra)
                elif style == "evening":
                    t0 = max(last_end + TD(minutes=rng.uniform(5, 45)),
                             at(d, 18) + TD(minutes=rng.uniform(0, 150)))
                    self.sitting(vs, t0 + TD(seconds=rng.randint(0, 59)))
                elif style == "next_morning":
                    nd = self.next_workday(d)
                    self.sitting(vs, at(nd, 7, 30) + TD(minutes=rng.uniform(0, 75), seconds=rng.randint(0, 59)))
                elif style == "memo":
                    morning = [v for v in vs if v["end"] <= at(d, 12, 20)]
                    rest = [v for v in vs if v not in morning]
                    if morning:
                        t0 = max(max(v["end"] for v in morning) + TD(minutes=rng.uniform(3, 25)), at(d, 11, 50))
                        self.sitting(morning, t0 + TD(seconds=rng.randint(0, 59)), 4, 40)
                    if rest:
                        t0 = max(max(v["end"] for v in rest) + TD(minutes=rng.uniform(5, 30)),
                                 at(d, 18, 10) + TD(minutes=rng.uniform(0, 130)))
                        self.sitting(rest, t0 + TD(seconds=rng.randint(0, 59)), 4, 40)
            for vs in self.sched[rep["id"]].values():     # honest "forgot to enter" cases
                for v in vs:
                    if not v["fake"] and rng.random() < 0.01:
                        v["entered"] = at(v["day"] + TD(days=rng.randint(2, 5)), 18, rng.randint(20, 140),
                                          rng.randint(0, 59))

    # ------------------------------------------------------------ content
    def fill(self, tmpl, v, mats):
        p = self.products[v["products"][0]["product_id"]]
        m = mats[0][1] if mats else "資料"
        return tmpl.format(p=p["short"], c=p["comp"], a=p["area"], m=m, n=self.rng.randint(1, 4))

    def compose_note(self, rep, v, mats, prev_note):
        rng = self.rng
        prof = rep["_prof"]
        for _ in range(20):
            if prev_note and rng.random() < prof["followup_p"]:
                sents = [s + "。" for s in prev_note.split("。") if s]
                sents = [s for s in sents if s not in prof["stock"]]
                sents += [self.fill(t, v, mats) for t in rng.sample(D.TOPICS, rng.randint(1, 2))]
            else:
                sents = [self.fill(t, v, mats) for t in rng.sample(D.TOPICS, rng.choice([1, 2, 2, 3]))]
                if rng.random() < 0.35:
                    sents.append(self.fill(rng.choice(D.COMMENTS), v, mats))
            if rng.random() < prof["stock_p"]:
                sents.append(rng.choice(prof["stock"]))
            while len("".join(sents)) > 150 and len(sents) > 1:
                sents.pop(0)
            note = "".join(sents)
            if 30 <= len(note) <= 150:
                return note
        return note[:150]

    def compose_fake_note(self, rep, v, mats):
        rng = self.rng
        prof = rep["_prof"]
        for _ in range(20):
            sents = [self.fill(t, v, mats) for t in rng.sample(D.FAKE_GENERIC, rng.randint(1, 2))]
            if rng.random() < 0.5:
                sents.append(self.fill(rng.choice(D.TOPICS), v, mats))
            if rng.random() < prof["stock_p"] + 0.15:
                sents.append(rng.choice(prof["stock"]))
            note = "".join(sents)
            if 30 <= len(note) <= 150:
                return note
        return note

    def trivial_edit(self, s):
        rng = self.rng
        for _ in range(10):
            t = s
            for _ in range(rng.choice([1, 1, 2])):
                kind = rng.random()
                swaps = [(a, b) for a, b in D.TRIVIAL_SWAPS if a in t]
                if kind < 0.45 and swaps:
                    a, b = rng.choice(swaps)
                    t = t.replace(a, b, 1)
                elif kind < 0.65 and "、" in t:
                    i = t.index("、")
                    t = t[:i] + rng.choice(["", "，", " "]) + t[i + 1:]
                elif kind < 0.85 and "。" in t[:-1]:
                    i = t.index("。")
                    t = t[:i] + rng.choice(["．", "。 ", "、"]) + t[i + 1:]
                else:
                    t = t[:-1] if t.endswith("。") else t + "。"
            if t != s:
                return t
        return s + "。"

    def products_for(self, rep, h):
        rng = self.rng
        order = list(h["_prod_order"])
        if len(order) > 1 and rng.random() < 0.15:
            order[0], order[1] = order[1], order[0]
        k = min(len(order), rng.choices([1, 2, 3], [0.55, 0.35, 0.10])[0])
        return [{"product_id": p, "priority": i + 1} for i, p in enumerate(order[:k])]

    def pick_materials(self, v, n):
        rng = self.rng
        pids = [p["product_id"] for p in v["products"]]
        out = []
        for i in range(n):
            pid = pids[0] if i == 0 or rng.random() < 0.5 else rng.choice(pids)
            choices = [x for x in self.mat_by_product[pid] if x not in out]
            if choices:
                out.append(rng.choice(choices))
        return out

    def make_taps(self, v, mats):
        rng = self.rng
        dur_s = v["dur"] * 60
        taps = []
        for m, _ in mats:
            if rng.random() < 0.9 or not taps:
                t = v["start"] + TD(seconds=rng.randint(min(30, dur_s // 3), max(31, dur_s - 20)))
                taps.append({"at": t, "material_id": m["id"], "version": m["version"]})
        if rng.random() < 0.1:
            taps.append({"at": v["start"] + TD(seconds=rng.randint(0, min(120, dur_s - 1)))})
        taps.sort(key=lambda x: x["at"])
        return taps

    def reaction(self, h, fake):
        ws = {"warm": [0.5, 0.42, 0.08], "neutral": [0.25, 0.6, 0.15], "cool": [0.1, 0.5, 0.4],
              "friendly": [0.8, 0.18, 0.02]}[h["_att"]]
        if fake and h["_att"] != "friendly":
            ws = [ws[0] + 0.1, ws[1], max(0.02, ws[2] - 0.1)]
        return self.rng.choices(["positive", "neutral", "negative"], ws)[0]

    def fill_content(self):
        rng = self.rng
        for rep in self.reps:
            prof = rep["_prof"]
            vs = sorted((v for d in self.sched[rep["id"]] for v in self.sched[rep["id"]][d]),
                        key=lambda v: (v["start"], v["hcp"]["id"]))
            prev_note, done = {}, []
            for v in vs:
                h = v["hcp"]
                f = v["flags"]
                v["products"] = self.products_for(rep, h)
                mats, taps = [], []
                if f.get("copy"):
                    srcs = [u for u in done if not u["fake"] and u["start"] < v["start"]
                            and u["entered"] < v["entered"]] or [u for u in done if not u["fake"]]
                    same = [u for u in srcs if u["hcp"] is h]
                    src = rng.choice(same) if same and rng.random() < 0.3 else rng.choice(srcs)
                    v["products"] = [dict(p) for p in src["products"]]
                    if src["_mats"] and rng.random() < 0.3:
                        mats = list(src["_mats"])
                    v["notes"] = self.trivial_edit(src["notes"])
                    v["_src"] = src
                else:
                    if f.get("materials"):
                        mats = self.pick_materials(v, rng.choice([1, 1, 2]))
                    elif v["fake"]:
                        if rng.random() < 0.15:
                            mats = self.pick_materials(v, 1)
                    elif v["channel"] == "in_person" and rng.random() < prof["mat_p"]:
                        mats = self.pick_materials(v, rng.choice([1, 1, 1, 2]))
                    elif v["channel"] == "web_meeting" and rng.random() < 0.4:
                        mats = self.pick_materials(v, 1)
                    if v["fake"] and not f.get("plain"):
                        v["notes"] = self.compose_fake_note(rep, v, mats)
                    else:
                        v["notes"] = self.compose_note(rep, v, mats, prev_note.get(h["id"]))
                if not v["fake"] and v["channel"] == "in_person":
                    if mats and rng.random() < prof["tap_luck"]:
                        taps = self.make_taps(v, mats)
                    elif not mats and rng.random() < 0.05:
                        taps = [{"at": v["start"] + TD(seconds=rng.randint(0, 90))}]
                v["_mats"] = mats
                v["taps"] = taps
                v["reaction"] = self.reaction(h, v["fake"])
                v["next_objective"] = self.fill(rng.choice(D.NEXT_OBJECTIVES), v, mats)
                if not v["fake"] or f.get("plain"):
                    prev_note[h["id"]] = v["notes"]
                done.append(v)

    # ------------------------------------------------------------ output
    def run(self):
        self.build_master()
        for rep in self.reps:
            self.schedule_genuine(rep)
        self.fabricate()
        self.assign_entries()
        self.fill_content()
        allv = [v for rep in self.reps for d in self.sched[rep["id"]] for v in self.sched[rep["id"]][d]]
        for v in allv:
            v["id"] = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        allv.sort(key=lambda v: (v["entered"], v["start"], v["id"]))
        self.visits = allv

    def master_json(self):
        clean = lambda d: {k: v for k, v in d.items() if not k.startswith("_")}  # noqa: E731
        return {
            "products": [{"id": p["id"], "name": p["name"]} for p in D.PRODUCTS],
            "reps": [{"id": r["id"], "name": r["name"], "products": r["products"]} for r in self.reps],
            "institutions": [clean(i) for i in self.insts.values()],
            "hcps": [clean(h) for h in self.hcps.values()],
            "materials": list(self.materials),
        }

    def visit_json(self, v):
        taps = []
        for t in v["taps"]:
            if len(t) == 1:
                taps.append(iso(t["at"]))
            else:
                taps.append({"at": iso(t["at"]), "material_id": t["material_id"], "version": t["version"]})
        return {
            "id": v["id"], "rep_id": v["rep"]["id"], "hcp_id": v["hcp"]["id"],
            "institution_id": v["hcp"]["institution_id"], "channel": v["channel"],
            "started_at": iso(v["start"]), "duration_min": int(v["dur"]),
            "products": v["products"],
            "materials_shown": [{"material_id": m["id"], "version": m["version"]} for m, _ in v["_mats"]],
            "reaction": v["reaction"], "next_objective": v["next_objective"], "notes": v["notes"],
            "entered_at": iso(v["entered"]), "taps": taps,
        }

    def write(self, out):
        os.makedirs(out, exist_ok=True)
        with open(os.path.join(out, "master.json"), "w", encoding="utf-8") as f:
            json.dump(self.master_json(), f, ensure_ascii=False, indent=1)
            f.write("\n")
        with open(os.path.join(out, "visits.jsonl"), "w", encoding="utf-8") as f:
            for v in self.visits:
                f.write(json.dumps(self.visit_json(v), ensure_ascii=False) + "\n")
        labels = {v["id"]: {"fabricated": v["fake"], "pattern": v["pattern"]} for v in self.visits}
        with open(os.path.join(out, "labels.json"), "w", encoding="utf-8") as f:
            json.dump(labels, f, ensure_ascii=False, indent=1)
            f.write("\n")

    def summary(self):
        c = Counter(v["pattern"] for v in self.visits)
        fab = sum(n for p, n in c.items() if p != "genuine")
        per_rep = Counter((v["rep"]["id"], v["fake"]) for v in self.visits)
        lines = [f"visits={len(self.visits)} genuine={c['genuine']} fabricated={fab} "
                 f"({100.0 * fab / max(1, len(self.visits)):.1f}%)"]
        lines.append("patterns: " + ", ".join(f"{p}={c[p]}" for p in PATTERNS if c[p]))
        lines.append("per rep (genuine/fabricated): " + ", ".join(
            f"{r['id']}={per_rep[(r['id'], False)]}/{per_rep[(r['id'], True)]}" for r in self.reps))
        return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--month", default="2026-10", help="YYYY-MM")
    ap.add_argument("--hcps-per-rep", type=int, default=20)
    a = ap.parse_args(argv)
    y, m = (int(x) for x in a.month.split("-"))
    if a.reps < 1:
        ap.error("--reps must be >= 1")
    g = Month(a.seed, a.reps, y, m, a.hcps_per_rep)
    g.run()
    g.write(a.out)
    print(f"{a.out}: seed={a.seed} month={a.month} reps={a.reps}")
    print(g.summary())


if __name__ == "__main__":
    main()
