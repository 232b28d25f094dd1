"""The Markdown report and the budget verdicts, from the raw results."""

from __future__ import annotations

FLOOR_RATIO_LIMIT = 3.0
GROWTH_RATIO_LIMIT = 3.0
BYTES_RATIO_LIMIT = 1.25
GANTT_LIMIT_MS = 2000.0
SETTLE_RATIO_LIMIT = 2.0
INTERACTION_RATIO_LIMIT = 3.0
GANTT_FLOOR_RATIO_LIMIT = 1.5
LOAD_P95_RATIO_LIMIT = 3.0
PACK_RATIO_LIMIT = 3.0


def _ms(value) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def _saves_text(saves: dict) -> str:
    if not saves:
        return "none"
    words = {
        "saved": "saved",
        "refused": "refused because another had saved that milestone first (the version check)",
        "other": "answered otherwise",
    }
    return ", ".join(f"{count:,} {words.get(outcome, outcome)}" for outcome, count in saves.items())


def _ratio(value) -> str:
    return "–" if value is None else f"{value:.2f}"


def _bytes(value) -> str:
    if value is None:
        return "–"
    if value >= 1024 * 1024:
        return f"{value / 1024 / 1024:,.2f} MiB"
    if value >= 1024:
        return f"{value / 1024:,.1f} KiB"
    return f"{value:,} B"


def _mark(value, limit) -> str:
    if value is None:
        return ""
    return " ✓" if value <= limit else " ✗"


def _table(headers: list[str], rows: list[list[str]], align: str | None = None) -> list[str]:
    align = align or "l" + "r" * (len(headers) - 1)
    rule = ["---:" if side == "r" else "---" for side in align]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(rule) + " |"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines


# --- budgets --------------------------------------------------------------------------------------------


def budgets(results: dict) -> list[dict]:
    verdicts = []
    table = [row for row in (results.get("callbacks") or {}).get("table", []) if row["kind"] == "main"]
    if table:
        worst = max(table, key=lambda row: row["ratio_floor"] or 0)
        missing = [row["name"] for row in table if (row["ratio_floor"] or 0) > FLOOR_RATIO_LIMIT]
        verdicts.append(
            {
                "budget": "1. Main callbacks at the large size: p95 ≤ 3× floor p95",
                "measured": worst["ratio_floor"],
                "measured_text": f"worst {worst['ratio_floor']:.2f}× ({worst['name']})",
                "limit": FLOOR_RATIO_LIMIT,
                "met": not missing,
                "not_met_by": missing,
            }
        )
        worst = max(table, key=lambda row: row["ratio_growth"] or 0)
        missing = [row["name"] for row in table if (row["ratio_growth"] or 0) > GROWTH_RATIO_LIMIT]
        verdicts.append(
            {
                "budget": "2. Large-size time ≤ 3× seed-size time (p50), every main callback",
                "measured": worst["ratio_growth"],
                "measured_text": f"worst {worst['ratio_growth']:.2f}× ({worst['name']})",
                "limit": GROWTH_RATIO_LIMIT,
                "met": not missing,
                "not_met_by": missing,
            }
        )
    else:
        verdicts += [
            _not_measured("1. Main callbacks at the large size: p95 ≤ 3× floor p95", FLOOR_RATIO_LIMIT)
        ]
        verdicts += [_not_measured("2. Large-size time ≤ 3× seed-size time (p50)", GROWTH_RATIO_LIMIT)]

    page_bytes = results.get("bytes")
    if page_bytes and page_bytes.get("ratio") is not None:
        verdicts.append(
            {
                "budget": "3. First page load ≤ 1.25× the bytes of a bare Dash page",
                "measured": page_bytes["ratio"],
                "measured_text": (
                    f"{page_bytes['ratio']:.2f}× ({_bytes(page_bytes['product']['bytes'])} vs "
                    f"{_bytes(page_bytes['bare']['bytes'])})"
                ),
                "limit": BYTES_RATIO_LIMIT,
                "met": page_bytes["ratio"] <= BYTES_RATIO_LIMIT,
            }
        )
    else:
        verdicts.append(
            _not_measured("3. First page load ≤ 1.25× the bytes of a bare Dash page", BYTES_RATIO_LIMIT)
        )

    load = results.get("load")
    if load:
        verdicts.append(
            {
                "budget": f"4. Zero errors under a {load['users']}-user load for {load['seconds']:.0f} s",
                "measured": load["errors"],
                "measured_text": f"{load['errors']:,} errors in {load['requests']:,} requests",
                "limit": 0,
                "met": load["errors"] == 0,
            }
        )
    else:
        verdicts.append(_not_measured("4. Zero errors under load", 0))

    gantt = results.get("gantt")
    if gantt and gantt["summary"].get("not_drawn"):
        verdicts.append(
            {
                "budget": f"5. {gantt['milestones_shown']:,}-milestone Gantt drawn in under 2 s (median)",
                "measured": None,
                "measured_text": f"not drawn within {gantt['runs'][-1]['timeout_s']:.0f} s",
                "limit": GANTT_LIMIT_MS,
                "met": False,
            }
        )
    elif gantt and gantt.get("summary", {}).get("median_ms") is not None:
        summary = gantt["summary"]
        verdicts.append(
            {
                "budget": f"5. {gantt['milestones_shown']:,}-milestone Gantt drawn in under 2 s (median)",
                "measured": summary["median_ms"],
                "measured_text": f"median {summary['median_ms']:,.0f} ms, max {summary['max_ms']:,.0f} ms",
                "limit": GANTT_LIMIT_MS,
                "met": summary["median_ms"] < GANTT_LIMIT_MS,
            }
        )
    else:
        verdicts.append(_not_measured("5. 1,000-milestone Gantt drawn in under 2 s", GANTT_LIMIT_MS))
    imported = results.get("import")
    if imported:
        overs = [item for name, item in imported["files"].items() if name != "floor"]
        over = max(overs, key=lambda item: max(item["time_ratio"], item["memory_ratio"] or 0))
        worst = max(over["time_ratio"], over["memory_ratio"] or 0)
        verdicts.append(
            {
                "budget": f"6. A sheet of {imported['rows_over']:,} rows refused within "
                f"{imported['ratio_limit']:g}× the time and memory of reading the largest accepted",
                "measured": worst,
                "measured_text": f"worst: time {over['time_ratio']:.2f}×, memory {over['memory_ratio'] or 0:.2f}×",
                "limit": imported["ratio_limit"],
                "met": worst <= imported["ratio_limit"],
            }
        )
    verdicts += second_round(results)
    for verdict in verdicts:
        measured, limit = verdict["measured"], verdict["limit"]
        verdict["over_budget"] = (measured / limit) if (measured is not None and limit) else None
    return verdicts


def _worst_verdict(name: str, ratios: dict[str, float | None], limit: float, unit: str = "×") -> dict:
    measured = {key: value for key, value in ratios.items() if value is not None}
    unmeasured = [key for key, value in ratios.items() if value is None]
    if not measured:
        return _not_measured(name, limit)
    worst = max(measured, key=measured.get)
    missing = [f"{key} ({value:.2f}{unit})" for key, value in measured.items() if value > limit]
    text = (
        f"worst {measured[worst]:.2f}{unit} ({worst}); {len(measured) - len(missing)} of {len(ratios)} within"
    )
    if unmeasured:
        text += f"; not measured: {', '.join(unmeasured)}"
    return {
        "budget": name,
        "measured": measured[worst],
        "measured_text": text,
        "limit": limit,
        "met": not missing and not unmeasured,
        "not_met_by": missing + [f"{key} (not measured)" for key in unmeasured],
    }


def second_round(results: dict) -> list[dict]:
    """The budgets of the second round (S1–S6), each a ratio to a floor measured in the same run."""
    verdicts = []
    settle = results.get("settle")
    bare = (settle or {}).get("bare", {}).get("median_ms")
    if settle and bare:
        ratios = {page: _div(item.get("median_ms"), bare) for page, item in settle["pages"].items()}
        verdicts.append(
            _worst_verdict(
                "S1. Page settle at the large size: median ≤ 2× the bare page's", ratios, SETTLE_RATIO_LIMIT
            )
        )
        floor = settle.get("bare_interaction", {}).get("median_ms")
        ratios = {page: _div(item.get("median_ms"), floor) for page, item in settle["interactions"].items()}
        verdicts.append(
            _worst_verdict(
                "S2. Changing each page's main filter: median ≤ 3× a no-op callback + the bare graph's redraw",
                ratios,
                INTERACTION_RATIO_LIMIT,
            )
        )
    else:
        verdicts.append(
            _not_measured("S1. Page settle at the large size ≤ 2× the bare page's", SETTLE_RATIO_LIMIT)
        )
        verdicts.append(
            _not_measured("S2. Main filter change ≤ 3× no-op + bare redraw", INTERACTION_RATIO_LIMIT)
        )
    gantt = results.get("gantt") or {}
    summary = gantt.get("summary") or {}
    if summary.get("ratio") is not None:
        verdicts.append(
            {
                "budget": f"S3. {gantt['milestones_shown']:,}-milestone Gantt drawn ≤ 1.5× plotly.js drawing the same marks",
                "measured": summary["ratio"],
                "measured_text": (
                    f"{summary['ratio']:.2f}× (drawn {summary['draw_after_answer_median_ms']:,.0f} ms after its "
                    f"answer; plotly.js alone {summary['floor_median_ms']:,.0f} ms)"
                ),
                "limit": GANTT_FLOOR_RATIO_LIMIT,
                "met": summary["ratio"] <= GANTT_FLOOR_RATIO_LIMIT,
            }
        )
    else:
        verdicts.append(_not_measured("S3. Gantt ≤ 1.5× plotly.js alone", GANTT_FLOOR_RATIO_LIMIT))
    load = results.get("monday") or {}
    if load.get("p95_ratios"):
        verdict = _worst_verdict(
            f"S4. {load['users']} users, think 5–15 s: p95 of each kind ≤ 3× its unloaded p95",
            load["p95_ratios"],
            LOAD_P95_RATIO_LIMIT,
        )
        verdict["measured_text"] += f"; {load['errors']:,} errors in {load['requests']:,} requests"
        verdict["met"] = verdict["met"] and load["errors"] == 0
        verdicts.append(verdict)
    else:
        verdicts.append(_not_measured("S4. Load with think times: p95 ≤ 3× unloaded", LOAD_P95_RATIO_LIMIT))
    pack = results.get("pack")
    if pack and pack.get("ratios"):
        verdict = _worst_verdict(
            "S5. Board pack (page, Excel) at the large size ≤ 3× seed; export streamed",
            pack["ratios"],
            PACK_RATIO_LIMIT,
        )
        export = pack.get("export") or {}
        if export:
            verdict["measured_text"] += (
                f"; export: {export.get('memory_text', '–')}, time per 1,000 rows {export.get('linear_text', '–')}"
            )
            verdict["met"] = verdict["met"] and bool(export.get("bounded")) and bool(export.get("linear"))
        verdicts.append(verdict)
    else:
        verdicts.append(_not_measured("S5. Board pack ≤ 3× seed; export streamed", PACK_RATIO_LIMIT))
    growth = results.get("growth")
    if growth:
        verdicts.append(
            {
                "budget": "S6. Growth seed → large → 10×: a paged view does not grow with the programme",
                "measured": None,
                "measured_text": growth.get("summary_text", "see Growth"),
                "limit": None,
                "met": growth.get("met"),
            }
        )
    else:
        verdicts.append(_not_measured("S6. Growth seed → large → 10×", None))
    return verdicts


def _div(numerator, denominator):
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def _not_measured(name: str, limit) -> dict:
    return {"budget": name, "measured": None, "measured_text": "not measured", "limit": limit, "met": None}


# --- the report -----------------------------------------------------------------------------------------


def render(results: dict) -> str:
    meta = results["meta"]
    machine = meta["machine"]
    lines = [
        "# ASCH programme tracker — benchmark",
        "",
        f"Run on {machine['date']} with `{meta['command']}` ({meta['duration_s']:.0f} s in all: "
        + ", ".join(
            f"{phase} {seconds:.0f} s" for phase, seconds in (meta.get("phase_seconds") or {}).items()
        )
        + ").",
        "",
        "## Machine",
        "",
        f"- CPU: {machine['cpu_model']} × {machine['cpu_count']}",
        f"- RAM: {machine['memory_gib']} GiB",
        f"- OS: {machine['os']}",
        f"- Python {machine['python']}; PostgreSQL server {meta.get('postgresql_server') or '–'}",
        f"- {machine['chromium'] or 'Chromium: not found'}; {machine['chromedriver'] or ''}",
        "- Packages: " + ", ".join(f"{name} {version}" for name, version in machine["packages"].items()),
        "- Load average (1/5/15 min) as each phase started: "
        + (
            "; ".join(
                f"{phase} {one:.2f}/{five:.2f}/{fifteen:.2f}"
                for phase, (one, five, fifteen) in (meta.get("load_average_at_start") or {}).items()
            )
            or "–"
        ),
        "",
        "## Data",
        "",
    ]
    counts = meta.get("row_counts") or {}
    if counts:
        names = sorted(set().union(*(set(value) for value in counts.values())))
        lines += _table(
            ["table", *counts.keys()],
            [[name, *(f"{counts[db].get(name, 0):,}" for db in counts)] for name in names],
        )
        lines.append("")
    lines.append(
        f"Scale {meta['scale']} (the large database is the seed plus `benchmarks.generate.generate(url, "
        f"scale={meta['scale']}, seed={meta['seed']})`); both databases were VACUUM ANALYZEd before "
        f"measuring. The app's today is pinned to {meta['today']} (DASHBOARD_TODAY), the date the "
        "generated data is spread around."
    )
    lines.append("")

    lines += ["## Budgets", ""]
    rows = []
    for verdict in results["budgets"]:
        met = {True: "yes", False: "**no**", None: "not measured"}[verdict["met"]]
        over = verdict.get("over_budget")
        limit = verdict["limit"]
        limit_text = (
            "–"
            if limit is None
            else f"≤ {limit}×"
            if isinstance(limit, float) and limit < 10
            else ("0" if limit == 0 else f"< {limit:,.0f} ms")
        )
        rows.append(
            [
                verdict["budget"],
                verdict["measured_text"],
                limit_text,
                met,
                "–" if over is None or verdict["limit"] == 0 else f"{over:.2f}",
            ]
        )
    lines += _table(["budget", "measured", "budget", "met", "measured ÷ budget"], rows, "lllll")
    for verdict in results["budgets"]:
        if verdict.get("not_met_by"):
            lines.append("")
            lines.append(
                f"Budget {verdict['budget'].split('.')[0]} is not met by: "
                + ", ".join(verdict["not_met_by"])
                + "."
            )
    lines.append("")

    lines += _callbacks_section(results)
    lines += _bytes_section(results)
    lines += _load_section(results)
    lines += _gantt_section(results)
    lines += _settle_section(results)
    lines += _import_section(results)
    lines += _method_section(results)
    return "\n".join(lines) + "\n"


def _import_section(results: dict) -> list[str]:
    imported = results.get("import")
    if not imported:
        return []
    from benchmarks.bench_import import render as render_import

    return [
        "## The import's row limit (budget 6)",
        "",
        *render_import(imported),
        "",
        "Reading stops as soon as it passes the row limit. A workbook written by a program may not name its "
        "sheets' sizes in their headers (the last row); the importer opens sheets without asking their "
        "size, so such a file is refused as fast as one Excel saved.",
        "",
    ]


def _callbacks_section(results: dict) -> list[str]:
    callbacks = results.get("callbacks")
    if not callbacks:
        return []
    large, seed = callbacks["large"], callbacks["seed"]
    noop = large["noop"]["rt"]
    lines = [
        "## Callbacks",
        "",
        f"Served in-process by werkzeug (threaded) on {callbacks['backend']}, signed in as a viewer; "
        f"each row is {callbacks['repeat']} sequential POSTs of the exact first-load body after 3 warm-ups "
        "(fewer if a row reached the time cap: see n). Times in ms.",
        "",
        f"No-op callback (the floor's first part): seed p50 {_ms(seed['noop']['rt']['p50'])} / p95 "
        f"{_ms(seed['noop']['rt']['p95'])}; large p50 {_ms(noop['p50'])} / p95 {_ms(noop['p95'])}.",
        "",
    ]
    rows = []
    for row in callbacks["table"]:
        label = row["name"] if row["kind"] == "main" else f"*{row['name']}*"
        rows.append(
            [
                label,
                _ms(row["seed_p50"]),
                _ms(row["seed_p95"]),
                _ms(row["large_p50"]),
                _ms(row["large_p95"]),
                str(row["large_n"]),
                f"{_ms(row['noop_p95'])} + {_ms(row['sql_p95'])} = {_ms(row['floor_p95'])}",
                _ratio(row["ratio_floor"])
                + (_mark(row["ratio_floor"], FLOOR_RATIO_LIMIT) if row["kind"] == "main" else ""),
                _ratio(row["ratio_growth"])
                + (_mark(row["ratio_growth"], GROWTH_RATIO_LIMIT) if row["kind"] == "main" else ""),
                f"{_bytes(row['seed_bytes_json'])} / {_bytes(row['seed_bytes_wire'])}",
                f"{_bytes(row['large_bytes_json'])} / {_bytes(row['large_bytes_wire'])}",
                f"{row['seed_statements']} / {row['large_statements']}",
            ]
        )
    lines += _table(
        [
            "callback",
            "seed p50",
            "seed p95",
            "large p50",
            "large p95",
            "n",
            "large floor p95 (no-op + SQL)",
            "large p95 ÷ floor",
            "large p50 ÷ seed p50",
            "seed bytes (JSON / wire)",
            "large bytes (JSON / wire)",
            "SQL statements (seed / large)",
        ],
        rows,
    )
    lines += [
        "",
        "Rows in italics are each page's layout (the pages router the browser POSTs before the page's "
        "callbacks): shown for completeness, not part of budget 1 or 2.",
        "",
        "### Where the large-size time goes",
        "",
        "Per main callback at the large size: the round trip p50; the time in the callback on the server "
        "p50 (query code, pandas, building components and figures, Dash's JSON encoding); the rest of the "
        "round trip outside the callback (sign-in check, CSRF, compression, HTTP); then one captured call "
        "(the median of the warm-up calls, up to 3, whose SQL was captured): its time in the callback and "
        "the time its SQL statements took to execute through SQLAlchemy; and that call's SQL replayed on a "
        "raw DBAPI connection (p50). Times in ms.",
        "",
    ]
    rows = []
    for row in callbacks["table"]:
        if row["kind"] != "main":
            continue
        detail = large["rows"][row["name"]]
        server = detail["server"]["p50"]
        sql = detail["sql"]
        share = sql.get("sql_share")
        rows.append(
            [
                row["name"],
                _ms(row["large_p50"]),
                _ms(server),
                _ms(row["large_p50"] - server if server is not None else None),
                _ms(sql.get("captured_callback_ms")),
                f"{_ms(sql['execute_ms_in_callback'])} ({share:.0%})" if share is not None else "–",
                _ms(row["sql_p50"]),
                str(row["large_statements"]),
                _dominant(row["large_p50"], server, share),
            ]
        )
    lines += _table(
        [
            "callback",
            "round trip",
            "in callback",
            "outside callback",
            "captured call: in callback",
            "captured call: SQL (share)",
            "SQL raw replay",
            "statements",
            "dominated by",
        ],
        rows,
        "lrrrrrrrl",
    )
    lines += [
        "",
        "Slowest statements of each main callback at the large size (in the median captured call):",
        "",
    ]
    for row in callbacks["table"]:
        if row["kind"] != "main":
            continue
        slowest = large["rows"][row["name"]]["sql"]["slowest"][:3]
        if not slowest:
            continue
        lines.append(
            f"- **{row['name']}**: "
            + "; ".join(f"{item['ms']:,.1f} ms `{item['sql'][:140]}`" for item in slowest)
        )
    lines.append("")
    return lines


def _dominant(round_trip, server, sql_share) -> str:
    """The biggest part of the round trip, the callback's time split by its captured call's SQL share."""
    if server is None or round_trip is None or sql_share is None:
        return "–"
    parts = {
        "SQL": server * sql_share,
        "Python in the callback": server * (1 - sql_share),
        "outside the callback": round_trip - server,
    }
    name, value = max(parts.items(), key=lambda item: item[1])
    return f"{name} ({value / round_trip:.0%})"


def _bytes_section(results: dict) -> list[str]:
    page_bytes = results.get("bytes")
    if not page_bytes:
        return []
    product, bare = page_bytes["product"], page_bytes["bare"]
    lines = [
        "## First page load (bytes)",
        "",
        "Headless Chromium, HTTP cache off, Accept-Encoding as Chromium sends it; bytes are DevTools' "
        "`encodedDataLength` (on the wire, headers included) summed over every request from navigation "
        "until the content is drawn and the network is quiet.",
        "",
    ]
    rows = []
    for label, key in (
        ("product `/` after sign-in (large database)", "product"),
        ("product `/` after sign-in (seed database)", "product_seed"),
        ("bare Dash page (`benchmarks/bare_app.py`)", "bare"),
    ):
        load = page_bytes.get(key)
        if load:
            drawn = (
                f"{_ms(load['drawn_ms'])} ms"
                if load.get("drawn")
                else f"**not drawn within {load['draw_timeout_s']:.0f} s**"
            )
            rows.append(
                [label, _bytes(load["bytes"]), _bytes(load["decoded_bytes"]), str(load["requests"]), drawn]
            )
    lines += _table(["page", "on the wire", "decoded", "requests", "content drawn at"], rows)
    if not product.get("drawn"):
        lines += [
            "",
            f"The product page's content was not drawn within {product['draw_timeout_s']:.0f} s (the renderer "
            "was still busy): its bytes are everything it fetched until the network had been idle for 2 s "
            "after that"
            + (
                "; requests the busy page had not finished reading count with the bytes received so far: "
                + ", ".join(f"`{item['url'].split('/', 3)[-1][:60]}`" for item in product["unfinished"])
                if product.get("unfinished")
                else ""
            )
            + ".",
        ]
    lines += [
        "",
        f"Ratio product ÷ bare: **{_ratio(page_bytes['ratio'])}** (budget ≤ {BYTES_RATIO_LIMIT}).",
        "",
    ]
    for label, load in (("product `/`", product), ("bare page", bare)):
        by_kind = load.get("by_kind") or {}
        if by_kind:
            lines.append(
                f"{label} by kind: "
                + ", ".join(f"{kind} {_bytes(value)}" for kind, value in by_kind.items())
                + "."
            )
    lines += ["", "The product page's 10 biggest responses:", ""]
    lines += _table(
        ["url", "on the wire", "decoded", "encoding"],
        [
            [
                f"`{item['url'].split('/', 3)[-1]}`",
                _bytes(item["bytes"]),
                _bytes(item["decoded_bytes"]),
                item.get("encoding") or "–",
            ]
            for item in product["biggest"]
        ],  # fmt: skip
        "lrrl",
    )
    lines += ["", "The bare page's 10 biggest responses:", ""]
    lines += _table(
        ["url", "on the wire", "decoded", "encoding"],
        [
            [
                f"`{item['url'].split('/', 3)[-1]}`",
                _bytes(item["bytes"]),
                _bytes(item["decoded_bytes"]),
                item.get("encoding") or "–",
            ]
            for item in bare["biggest"]
        ],  # fmt: skip
        "lrrl",
    )
    uncompressed = product.get("uncompressed_text_responses") or []
    lines += [
        "",
        "Uncompressed text responses over 2 KB on the product page: "
        + (
            ", ".join(f"`{item['url']}` ({_bytes(item['bytes'])})" for item in uncompressed)
            if uncompressed
            else "none"
        )
        + ".",
    ]
    check = page_bodies = page_bytes.get("bodies_check")
    if page_bodies:
        same = sum(1 for item in check.values() if not item)
        lines += [
            "",
            f"Callback bodies: the bodies the benchmark builds were compared with the ones Chromium sent on "
            f"each page's first load (seed database): {same} of {len(check)} identical.",
        ]
        for name, differences in check.items():
            if differences:
                lines.append(f"- {name}: " + "; ".join(differences[:5]))
    lines.append("")
    return lines


def _load_section(results: dict) -> list[str]:
    load = results.get("load")
    if not load:
        return []
    lines = [
        "## Load",
        "",
        f"gunicorn, {load['workers']} sync workers (`app:server`, default 30 s worker time-out), on the large "
        f"PostgreSQL database; {load['users']} simulated users ({', '.join(load['user_names'])}) as threads "
        f"of one Python process on the same machine, each cycling through the pages' first loads with "
        f"0–200 ms think time, for {load['seconds']:.0f} s.",
        "",
        f"**{load['errors']:,} errors** in {load['requests']:,} requests "
        f"({load['abandoned_in_flight']} still in flight {load['grace_s']} s after the deadline, abandoned); "
        f"no answer within {load['request_timeout_s']} s counts as an error; throughput "
        f"{load['throughput_rps']:.1f} requests/s; overall p50 {_ms(load['overall']['p50'])} ms, "
        f"p95 {_ms(load['overall']['p95'])} ms; {_bytes(load['received_bytes'])} received.",
        "",
    ]
    rows = [
        [kind, f"{item['n']:,}", str(item["errors"]), _ms(item["p50"]), _ms(item["p95"]), _ms(item["max"])]
        for kind, item in load["kinds"].items()
    ]
    lines += _table(["request", "count", "errors", "p50 ms", "p95 ms", "max ms"], rows)
    if load["error_samples"]:
        lines += ["", "First errors:", ""]
        lines += [f"- {item['kind']}: {item['error']}" for item in load["error_samples"][:10]]
    if load.get("gunicorn_log_tail"):
        lines += [
            "",
            "gunicorn's log ends with:",
            "",
            "```",
            load["gunicorn_log_tail"].strip()[-1500:],
            "```",
        ]
    lines.append("")
    return lines


def _gantt_section(results: dict) -> list[str]:
    gantt = results.get("gantt")
    if not gantt:
        return []
    marks = gantt["marks_expected"]
    lines = [
        "## Gantt",
        "",
        f"`{gantt['path']}` on the large database served by gunicorn ({gantt['milestones_shown']:,} "
        f'milestones shown: "{gantt["summary_text"]}"). The figure asks plotly for {marks["bars"]:,} bars '
        f"(baseline and forecast/actual per milestone) and {marks['diamonds']:,} diamonds (zero-length "
        "milestones); the time is from navigation start to the frame after the Gantt's DOM holds every one of "
        "them (`#ms-gantt .barlayer .point`, `#ms-gantt .scatterlayer .point`). HTTP cache on after one "
        "untimed load (a returning user); the cold-cache run below is for comparison.",
        "",
    ]
    rows = []
    for run in gantt["runs"] + gantt.get("cold_runs", []):
        if run["drawn_ms"] is None:
            rows.append(
                [
                    str(run["run"]),
                    run["cache"],
                    f"not drawn within {run['timeout_s']:.0f} s",
                    "–",
                    "–",
                    "–",
                    "–",
                ]
            )
            continue
        answered = run["gantt_callback_answered_ms"]
        rows.append(
            [
                str(run["run"]),
                run["cache"],
                _ms(run["drawn_ms"]),
                _ms(run["gantt_callback_started_ms"]),
                _ms(answered),
                _ms(run["drawn_ms"] - answered) if answered else "–",
                f"{run['bars_drawn']:,} / {run['diamonds_drawn']:,}",
            ]
        )
    lines += _table(
        [
            "run",
            "cache",
            "drawn at ms",
            "callback sent at ms",
            "callback answered at ms",
            "drawing ms",
            "bars / diamonds drawn",
        ],
        rows,
    )
    summary = gantt["summary"]
    lines += [
        "",
        f"Median {_ms(summary['median_ms'])} ms, max {_ms(summary['max_ms'])} ms (cache on, {summary['runs']} runs).",
        "",
    ]
    return lines


def _method_section(results: dict) -> list[str]:
    return [
        "## How it was measured",
        "",
        "- Floor of a callback = the no-op callback's p95 (same server, sign-in check, CSRF check, "
        "`authorised`, Dash dispatch; no work) + the p95 of replaying exactly the SQL statements and "
        "parameters that callback executed (captured with SQLAlchemy's cursor events while the callback ran, "
        "during its untimed warm-up calls) "
        "on a raw DBAPI connection, fetching every row.",
        "- Request bodies are the renderer's first-load bodies: the pages router is POSTed for the page, and "
        "each main callback's inputs are filled from the layout it returns.",
        "- Main callbacks: overview (`ov-plain…`, `ov-changes…`), milestones (`ms-url.search…`), actions "
        "(`act-url.search…`, `act-progress…`, `act-review-note…`, `act-areas…`), savings (`sv-url.search…`, `sv-grid.rowData…`), KPIs (`kpi-url.search…`, `kpi-trends…`, `kpi-exceptions…`, `kpi-catalogue…`, `kpi-funnel…`), "
        "benchmarking (`bm-url.search…`, `bm-heat…`), audit (`audit-url.search…`).",
        "- Client and server share the machine (and, for callback timing, one Python process); numbers are "
        "for comparison between runs on this machine, not absolute.",
        "",
    ]


def _settle_section(results: dict) -> list[str]:
    settle = results.get("settle")
    lines: list[str] = []
    if settle:
        bare = settle["bare"]["median_ms"]
        floor = settle["bare_interaction"]["median_ms"]
        lines += [
            "## Page settle and the main filter (S1, S2)",
            "",
            f"Headless Chromium, signed in as a viewer, HTTP cache warm (one untimed load first), gunicorn with "
            f"the same workers for both apps, the {settle['database']} database; median of {settle['runs']}. "
            f"Settled = nothing loading, nothing in the DOM changing and no request in flight (ms from "
            f"navigation, or from the change). The bare page (same libraries, an empty graph, an empty "
            f"grid) settled in {_ms(bare)} ms (runs: {', '.join(_ms(v) for v in settle['bare']['runs_ms'])}); "
            f"its select's no-op callback and graph redraw took {_ms(floor)} ms "
            f"(runs: {', '.join(_ms(v) for v in settle['bare_interaction']['runs_ms'])}).",
            "",
        ]
        rows = []
        for page, item in settle["pages"].items():
            change = settle["interactions"].get(page, {})
            rows.append(
                [
                    page,
                    _ms(item.get("median_ms")),
                    _ms(item.get("max_ms")),
                    f"{_ratio(_div(item.get('median_ms'), bare))}{_mark(_div(item.get('median_ms'), bare), SETTLE_RATIO_LIMIT)}",
                    f"`{change.get('control', '–')}`",
                    _ms(change.get("median_ms")),
                    f"{_ratio(_div(change.get('median_ms'), floor))}{_mark(_div(change.get('median_ms'), floor), INTERACTION_RATIO_LIMIT)}",
                ]
            )
        lines += _table(
            [
                "page",
                "settle median ms",
                "max ms",
                "÷ bare (≤ 2)",
                "main filter",
                "change median ms",
                "÷ floor (≤ 3)",
            ],
            rows,
            "lrrrlrr",
        )
        lines.append("")
    growth = results.get("growth")
    if growth:
        lines += ["## Growth: seed → large → 10× (S6)", "", growth.get("intro", ""), ""]
        lines += _table(growth["headers"], growth["rows"], "l" + "r" * (len(growth["headers"]) - 1))
        lines.append("")
    monday = results.get("monday")
    if monday:
        lines += [
            "## A Monday morning: many people reading between pages (S4)",
            "",
            f"{monday['users']} signed-in people (viewers and leads) for {monday['seconds']:.0f} s. Each opens the "
            "tracker once as a browser's first load (the page, layout and dependencies, the pages router and the "
            "page's main callbacks, back to back), then moves between pages by the navbar, which Dash routes in the "
            "browser (the router and the page's callbacks), reading 5–15 s on each page. A lead on the milestones "
            "page also fills the form's chooser, opens one of their milestones and saves an update (a real write, "
            f"version-checked and audited). Gunicorn with {monday['workers']} workers on the large database. "
            f"{monday['requests']:,} requests, {monday['errors']:,} errors, {monday['throughput_rps']:.1f} "
            f"requests/s; saves: {_saves_text(monday.get('saves') or {})}. Unloaded = one person, every page five "
            "times, and a lead saving five updates, just before.",
            "",
        ]
        rows = []
        for kind, item in monday["kinds"].items():
            quiet = monday["unloaded"].get(kind) or {}
            value = monday["p95_ratios"].get(kind)
            rows.append(
                [
                    kind,
                    _ms(quiet.get("p95")),
                    _ms(item["p50"]),
                    _ms(item["p95"]),
                    f"{_ratio(value)}{_mark(value, LOAD_P95_RATIO_LIMIT)}",
                    str(item["errors"]),
                ]
            )
        lines += _table(
            ["request", "unloaded p95 ms", "loaded p50 ms", "loaded p95 ms", "÷ unloaded (≤ 3)", "errors"],
            rows,
        )
        lines.append("")
    pack = results.get("pack")
    if pack:
        lines += ["## The board pack and the export (S5)", "", pack.get("intro", ""), ""]
        lines += _table(pack["headers"], pack["rows"], "l" + "r" * (len(pack["headers"]) - 1))
        lines.append("")
    return lines
