#!/usr/bin/env python3
"""Generate the ILLUSTRATIVE kpi_values rows of the seed data (deterministic).

The source documents give no per-constituency figures and no values for the
transition outcome measures, so these series are made up - plausibly, and
reproducibly (random.Random(2026)). Every row carries source "illustrative"
and illustrative "yes"; the dashboard must label them as illustrative.

What is generated (8 quarters, Q3 2024/25 .. Q2 2026/27):
  * 5 constituency KPIs (CON-*) for the ten Birmingham constituencies and for
    the city (area "birmingham"; the city value is the constituency mean plus a
    little noise). Some constituencies improve, some deteriorate, Hodge Hill has
    a clear step change (drop in reviews/assessments from Q4 2025/26), so the
    RAG and trend views have something to show.
  * 4 transition outcome KPIs (TR-*) for the city only.

Usage: python make_illustrative.py [--out kpi_values_illustrative.csv]
(prints CSV to stdout without --out). Standard library only; no project imports.
"""

import csv
import datetime as dt
import random
import sys

COLUMNS = [
    "kpi",
    "area",
    "period_label",
    "period_start",
    "period_end",
    "value",
    "note",
    "source",
    "illustrative",
]

CONSTITUENCIES = [
    "edgbaston",
    "erdington",
    "hall_green",
    "hodge_hill",
    "ladywood",
    "northfield",
    "perry_barr",
    "selly_oak",
    "sutton_coldfield",
    "yardley",
]

# code: (city baseline at first quarter, improvement per quarter for an "improving"
#        constituency (sign = direction of better), noise sd, spread of constituency
#        offsets, lower bound, upper bound, decimals)
CON_KPIS = {
    "CON-FIRST-CONTACT": (57.0, 0.8, 1.2, 6.0, 0, 100, 1),
    "CON-REVIEWS-12M": (79.0, 0.9, 1.5, 6.0, 0, 100, 1),
    "CON-ASSESS-28D": (75.0, 0.8, 1.5, 6.0, 0, 100, 1),
    "CON-ADMISSIONS-65": (610.0, -9.0, 12.0, 60.0, 0, None, 0),
    "CON-DP-TAKEUP": (20.5, 0.35, 0.5, 3.0, 0, 100, 1),
}

# constituency trend: +1 improving, -1 deteriorating, 0 broadly flat
TRENDS = {
    "edgbaston": 1,
    "erdington": -1,
    "hall_green": 0,
    "hodge_hill": 0,
    "ladywood": -1,
    "northfield": 1,
    "perry_barr": 0,
    "selly_oak": 1,
    "sutton_coldfield": 1,
    "yardley": -1,
}

# clear shift: Hodge Hill from quarter index 5 (Q4 2025/26) onwards
SHIFT_AREA, SHIFT_FROM = "hodge_hill", 5
SHIFTS = {"CON-REVIEWS-12M": -16.0, "CON-ASSESS-28D": -12.0, "CON-FIRST-CONTACT": -4.0}

# transition outcome KPIs (city): start value, improvement per quarter, noise sd
TR_KPIS = {
    "TR-SETTLED-ACCOM": (68.0, 0.7, 1.0),
    "TR-EET": (77.5, 0.5, 1.0),
    "TR-HEALTH-CHECK": (54.0, 1.2, 1.5),
    "TR-COMMUNITY": (44.0, 0.3, 1.5),
}


def quarters():
    """Q3 2024/25 .. Q2 2026/27 as (label, start, end)."""
    out = []
    fy, q = 2024, 3
    for _ in range(8):
        start_month = {1: 4, 2: 7, 3: 10, 4: 1}[q]
        year = fy if q < 4 else fy + 1
        start = dt.date(year, start_month, 1)
        nxt = dt.date(year + (start_month + 3 > 12), (start_month + 3 - 1) % 12 + 1, 1)
        end = nxt - dt.timedelta(days=1)
        out.append((f"Q{q} {fy}/{(fy + 1) % 100:02d}", start.isoformat(), end.isoformat()))
        q += 1
        if q == 5:
            q, fy = 1, fy + 1
    return out


def _clamp(v, lo, hi):
    if lo is not None:
        v = max(lo, v)
    if hi is not None:
        v = min(hi, v)
    return v


def _fmt(v, decimals):
    return str(int(round(v))) if decimals == 0 else f"{v:.{decimals}f}"


def generate():
    rng = random.Random(2026)
    qs = quarters()
    rows = []

    def row(kpi, area, q, value, note=""):
        label, start, end = q
        rows.append(
            {
                "kpi": kpi,
                "area": area,
                "period_label": label,
                "period_start": start,
                "period_end": end,
                "value": value,
                "note": note,
                "source": "illustrative",
                "illustrative": "yes",
            }
        )

    for code, (base, step, sd, spread, lo, hi, dec) in CON_KPIS.items():
        offsets = {c: rng.uniform(-spread, spread) for c in CONSTITUENCIES}
        mean_off = sum(offsets.values()) / len(offsets)
        offsets = {c: o - mean_off for c, o in offsets.items()}  # city mean stays ~base
        for qi, q in enumerate(qs):
            vals = []
            for c in CONSTITUENCIES:
                v = base + offsets[c] + TRENDS[c] * step * qi + rng.gauss(0, sd)
                note = ""
                if c == SHIFT_AREA and code in SHIFTS and qi >= SHIFT_FROM:
                    v += SHIFTS[code]
                    if qi == SHIFT_FROM:
                        note = "step change: team vacancies after reorganisation (illustrative)"
                v = round(_clamp(v, lo, hi), dec)
                vals.append(v)
                row(code, c, q, _fmt(v, dec), note)
            city = _clamp(sum(vals) / len(vals) + rng.gauss(0, sd / 4), lo, hi)
            row(code, "birmingham", q, _fmt(round(city, dec), dec))

    for code, (start, step, sd) in TR_KPIS.items():
        for qi, q in enumerate(qs):
            v = _clamp(start + step * qi + rng.gauss(0, sd), 0, 100)
            row(code, "birmingham", q, _fmt(round(v, 1), 1))
    return rows


def main(argv):
    rows = generate()
    if argv[:1] == ["--out"]:
        with open(argv[1], "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
    else:
        w = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"{len(rows)} illustrative rows", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
