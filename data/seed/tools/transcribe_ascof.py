#!/usr/bin/env python3
"""Transcribe the two ASCOF benchmarking tables of the Birmingham West Midlands
Self-Assessment (Oct 2016), seed document 002_8bcc04880fb45fa7.txt, into CSV rows.

The document holds each table as tab-separated lines:
    <blank>\t<measure name>\t\t<measure name>\t\t...      (11 measure names, each spanning 2 columns)
    <blank>\t<code>\t<code>...                             (code row - garbled in the source, ignored)
    Authority\t14-15\t15-16\t...
    <authority>\t<22 values>                               (Birmingham, 15 comparators)
    Birmingham Ranking\t<22 ranks>
    National Avg.\t<22 values>

Measures are keyed by their NAME (the printed code row is wrong, e.g. it repeats
2A(1)/2A(2) and uses 1C(3A)...), and given their proper ASCOF codes below.
Values are copied exactly as printed; "-" becomes an empty value with a note.

Usage:
    python transcribe_ascof.py [path/to/002_8bcc04880fb45fa7.txt] [--values out.csv] [--ranks out.csv]
With no --values/--ranks the kpi_values rows are printed to stdout as CSV.
Standard library only; no project imports.
"""

import csv
import re
import sys
from pathlib import Path

DOC_NAME = "002_8bcc04880fb45fa7.txt"
# The source documents sit beside the repository, in ../shared/seeds.
DEFAULT_PATH = str(Path(__file__).resolve().parents[3].parent / "shared" / "seeds" / DOC_NAME)

# printed measure name (whitespace-normalised) -> proper ASCOF code
NAME_TO_CODE = {
    # table 1
    "Younger Adult Admissions to Residential / Nursing": "2A(1)",
    "Older Adult Admissions to Residential / Nursing": "2A(2)",
    "85+ service users still at home 91 days after enablement following hospital discharge": "2B(1)",
    "65+ Reablement after hospital discharge": "2B(2)",
    "Delayed transfers of care from hospital": "2C(1)",
    "Delayed transfers of care from hospital that are attributable to adult social care": "2C(2)",
    "Clients receiving ST Maximise who received no, or lower level, services": "2D",
    "Service user satisfaction with care and support": "3A",
    "Service Users - ease of accessing advice and information": "3D(1)",
    "Service users who feel safe": "4A",
    "Service users who say support has made them feel safe": "4B",
    # table 2
    "Service users quality of life": "1A",
    "Service users control over daily life": "1B",
    "Client Self Directed Support": "1C(1A)",
    "Carer Self Directed Support": "1C(1B)",
    "Client Direct Payment": "1C(2A)",
    "Carer Direct Payment": "1C(2B)",
    "LD Employment": "1E",
    "MH Employment": "1F",
    "LD Accommodation": "1G",
    "MH Accommodation": "1H",
    "Service users with as much social contact as they would like": "1I(1)",
}

YEARS = {
    "14-15": ("2014/15", "2014-04-01", "2015-03-31"),
    "15-16": ("2015/16", "2015-04-01", "2016-03-31"),
}

VALUE_COLUMNS = [
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
RANK_COLUMNS = ["kpi", "period_label", "rank", "source"]

NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def area_key(authority):
    a = authority.strip()
    if a == "National Avg.":
        return "national"
    return re.sub(r"[^a-z0-9]+", "_", a.lower()).strip("_")


def parse(text):
    """Return (value_rows, rank_rows) as lists of dicts."""
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("Authority\t")]
    if len(starts) != 2:
        raise SystemExit(f"expected 2 ASCOF tables, found {len(starts)}")
    value_rows, rank_rows = [], []
    for t, i in enumerate(starts, start=1):
        source = f"{DOC_NAME} ASCOF table {t} (Performance and Outcomes)"
        names = [" ".join(c.split()) for c in lines[i - 2].split("\t") if c.strip()]
        if len(names) != 11:
            raise SystemExit(f"table {t}: expected 11 measure names, got {len(names)}")
        codes = [NAME_TO_CODE[n] for n in names]
        years = lines[i].split("\t")[1:23]
        if len(years) != 22:
            raise SystemExit(f"table {t}: year row has {len(years)} columns")
        j = i + 1
        while j < len(lines) and lines[j].strip():
            cells = lines[j].split("\t")
            label, vals = cells[0].strip(), [c.strip() for c in cells[1:23]]
            if len(vals) != 22:
                raise SystemExit(f"table {t} row {label!r} has {len(vals)} values")
            for k, raw in enumerate(vals):
                code = codes[k // 2]
                plabel, pstart, pend = YEARS[years[k].strip()]
                if label == "Birmingham Ranking":
                    if not NUMBER.match(raw):
                        raise SystemExit(f"bad rank {raw!r}")
                    rank_rows.append(
                        {
                            "kpi": code,
                            "period_label": plabel,
                            "rank": raw,
                            "source": source + ", Birmingham Ranking row",
                        }
                    )
                    continue
                if raw == "-":
                    value, note = "", "missing in source ('-')"
                elif NUMBER.match(raw):
                    value, note = raw, ""
                else:
                    raise SystemExit(f"unexpected cell {raw!r} in {label!r}")
                value_rows.append(
                    {
                        "kpi": code,
                        "area": area_key(label),
                        "period_label": plabel,
                        "period_start": pstart,
                        "period_end": pend,
                        "value": value,
                        "note": note,
                        "source": source,
                        "illustrative": "no",
                    }
                )
            j += 1
    return value_rows, rank_rows


def _write(path, columns, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def main(argv):
    path, values_out, ranks_out = DEFAULT_PATH, None, None
    args = list(argv)
    while args:
        a = args.pop(0)
        if a == "--values":
            values_out = args.pop(0)
        elif a == "--ranks":
            ranks_out = args.pop(0)
        else:
            path = a
    with open(path, encoding="utf-8") as f:
        values, ranks = parse(f.read())
    if values_out:
        _write(values_out, VALUE_COLUMNS, values)
    if ranks_out:
        _write(ranks_out, RANK_COLUMNS, ranks)
    if not values_out and not ranks_out:
        w = csv.DictWriter(sys.stdout, fieldnames=VALUE_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(values)
    print(f"{len(values)} value rows, {len(ranks)} rank rows", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
