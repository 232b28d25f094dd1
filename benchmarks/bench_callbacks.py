"""Callback timing: each page's main callbacks against one database, with the floor measured beside them.

The request bodies are the ones the Dash renderer POSTs on a page's first load. The renderer first
POSTs the pages router (`_pages_location` pathname and search → `_pages_content`), which answers with
the page's layout; every callback whose inputs are in that layout then fires once with the values
the layout holds. So the benchmark does the same: it POSTs the router for each page, walks the
layout it returns for the components' property values, and fills each main callback's inputs and
state with them (`callback_map` gives the dependencies, as in tests/helpers.callback_request).

The floor of a callback is the no-op callback's round trip (same server, same path through the app)
plus the time the callback's own SQL takes when replayed exactly (same statements, same parameters)
on a raw DBAPI connection, fetching every row.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import requests

from benchmarks.app_with_noop import (
    NOOP_KEY,
    CallbackInstruments,
    CapturedStatement,
    create_bench_app,
    noop_body,
)
from benchmarks.support import SECRET_KEY, BenchmarkError, ThreadedServer, log, sign_in, summarise
from dashboard import db
from dashboard.config import load_settings

ROUTER_FIRST_OUTPUT = "_pages_content.children"
BENCH_USER = "cabinet.member"  # a viewer: the board's read-only reader


@dataclass(frozen=True)
class MainCallback:
    name: str
    page: str
    path: str
    first_output: str  # "component-id.property" of the callback's first output
    # For a callback that another callback's answer fires rather than the layout: each
    # (component id, property, value) that answer sets on the page's first load. The browser sends
    # those values and names them as changed.
    after: tuple[tuple[str, str, object], ...] = ()


PAGES = {
    "overview": "/",
    "milestones": "/milestones",
    "actions": "/actions",
    "savings": "/savings",
    "kpis": "/kpis",
    "benchmarking": "/benchmarking",
    "audit": "/audit",
}

MAIN_CALLBACKS = [
    MainCallback("overview: headlines", "overview", "/", "ov-plain.children"),
    MainCallback("overview: changes", "overview", "/", "ov-changes.children"),
    # Fired once the page has said whether the screen is narrow (a clientside callback): a wide screen
    # sends False, and is answered with the chart alone (the layout's None would draw the list too).
    MainCallback(
        "milestones", "milestones", "/milestones", "ms-url.search", after=(("ms-narrow", "data", False),)
    ),
    MainCallback(
        "milestones: table",
        "milestones",
        "/milestones",
        "ms-grid.rowData",
        after=(("ms-table-wanted", "data", [""]),),
    ),
    MainCallback("actions", "actions", "/actions", "act-url.search"),
    MainCallback("actions: progress", "actions", "/actions", "act-progress-summary.children"),
    # Its review as at a date is read once scrolled to (callbacks.sections), from the URL the plan writes.
    MainCallback(
        "actions: review",
        "actions",
        "/actions",
        "act-review-note.children",
        after=(("act-review-wanted", "data", ["", 0]),),
    ),
    MainCallback("actions: letter's points", "actions", "/actions", "act-areas-summary.children"),
    MainCallback("savings", "savings", "/savings", "sv-url.search"),
    # Its page of lines is read once scrolled to (callbacks.sections), from the URL the view writes.
    MainCallback(
        "savings: lines",
        "savings",
        "/savings",
        "sv-grid.rowData",
        after=(("sv-lines-wanted", "data", ["", 0]),),
    ),
    MainCallback("kpis: comparison", "kpis", "/kpis", "kpi-url.search"),
    MainCallback("kpis: trends", "kpis", "/kpis", "kpi-trends.figure"),
    # The KPI page's lower sections are read once scrolled to (callbacks.sections): as by a reader who
    # scrolls down the page, each is sent with its store saying so.
    MainCallback(
        "kpis: exceptions",
        "kpis",
        "/kpis",
        "kpi-exceptions-summary.children",
        after=(("kpi-exc-near", "data", True),),
    ),
    MainCallback(
        "kpis: catalogue",
        "kpis",
        "/kpis",
        "kpi-catalogue-summary.children",
        after=(("kpi-cat-near", "data", True),),
    ),
    MainCallback(
        "kpis: funnel", "kpis", "/kpis", "kpi-funnel.figure", after=(("kpi-fun-near", "data", True),)
    ),
    MainCallback("benchmarking: measure", "benchmarking", "/benchmarking", "bm-url.search"),
    MainCallback(
        "benchmarking: heat map",
        "benchmarking",
        "/benchmarking",
        "bm-heat.figure",
        # Once scrolled to, the gate passes on the layout's measure (the default, 1A).
        after=(("bm-heat-wanted", "data", ["1A"]),),
    ),
    MainCallback("audit", "audit", "/audit", "audit-url.search"),
]


# --- request bodies -----------------------------------------------------------------------------------


def output_parts(key: str) -> list[tuple[str, str]]:
    """("id", "property") of each output in a callback_map key (allow_duplicate hashes dropped)."""
    parts = []
    for item in key.strip(".").split("..."):
        component_id, prop = item.rsplit(".", 1)
        parts.append((component_id, prop.split("@")[0]))
    return parts


def find_callback_key(app, first_output: str) -> str:
    """The callback_map key whose first output is `first_output` ("id.property")."""
    wanted = tuple(first_output.rsplit(".", 1))
    matches = [key for key in app.callback_map if output_parts(key)[0] == wanted]
    if len(matches) != 1:
        raise BenchmarkError(f"expected one callback whose first output is {first_output}, found {matches}")
    return matches[0]


def router_body(app, pathname: str, search: str = "") -> dict:
    """What the renderer POSTs when dcc.Location reports the page's address on first load."""
    key = find_callback_key(app, ROUTER_FIRST_OUTPUT)
    changed = ["_pages_location.pathname", "_pages_location.search"]
    return {
        "output": key,
        "outputs": [{"id": cid, "property": prop} for cid, prop in output_parts(key)],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": pathname},
            {"id": "_pages_location", "property": "search", "value": search},
        ],
        "changedPropIds": changed,
        "parsedChangedPropsIds": changed,
    }


def _is_component(node) -> bool:
    return isinstance(node, dict) and "props" in node and "type" in node and "namespace" in node


def layout_values(layout) -> dict[tuple[str, str], object]:
    """(component id, property) → value for every component in a serialised layout."""
    values: dict[tuple[str, str], object] = {}

    def walk(node) -> None:
        if _is_component(node):
            props = node["props"] or {}
            component_id = props.get("id")
            if isinstance(component_id, str):
                for prop, value in props.items():
                    values[(component_id, prop)] = value
            for value in props.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)

    walk(layout)
    return values


def callback_body(app, key: str, values: dict[tuple[str, str], object]) -> dict:
    """The body the renderer sends for an initial call of `key`, its inputs taken from `values`."""
    spec = app.callback_map[key]
    parts = output_parts(key)
    outputs = [{"id": cid, "property": prop} for cid, prop in parts]

    def filled(dependencies: list[dict]) -> list[dict]:
        result = []
        for dependency in dependencies:
            component_id, prop = dependency["id"], dependency["property"]
            if not isinstance(component_id, str):
                raise BenchmarkError(f"{key}: pattern-matching dependency {component_id} is not supported")
            value = component_id if prop == "id" else values.get((component_id, prop))
            result.append({"id": component_id, "property": prop, "value": value})
        return result

    body = {
        "output": key,
        "outputs": outputs if len(outputs) > 1 else outputs[0],
        "inputs": filled(spec["inputs"]),
        "changedPropIds": [],
        "parsedChangedPropsIds": [],
    }
    if spec.get("state"):
        body["state"] = filled(spec["state"])
    return body


def check_callback_response(response: requests.Response, what: str) -> dict:
    """The parsed answer of a callback that worked; BenchmarkError for anything else."""
    if response.status_code != 200:
        raise BenchmarkError(f"{what}: HTTP {response.status_code}: {response.text[:500]}")
    try:
        answer = response.json()
    except ValueError as exc:
        raise BenchmarkError(f"{what}: the answer is not JSON: {response.text[:300]}") from exc
    if "error" in answer:
        raise BenchmarkError(f"{what}: the answer carries an error: {answer['error']}")
    alert = (answer.get("sideUpdate") or {}).get("app-alert")
    if alert:
        raise BenchmarkError(f"{what}: the app showed its error alert: {alert}")
    if "response" not in answer:
        raise BenchmarkError(f"{what}: no 'response' in the answer: {response.text[:300]}")
    return answer


def page_bodies(app, session: requests.Session, base: str) -> tuple[dict, dict]:
    """Per page the router body, and per main callback the body its first load sends."""
    routers, bodies = {}, {}
    for page, path in PAGES.items():
        body = router_body(app, path)
        answer = check_callback_response(
            session.post(base + "/_dash-update-component", json=body, timeout=300), f"router {path}"
        )
        values = layout_values(answer["response"]["_pages_content"]["children"])
        routers[page] = body
        for callback in MAIN_CALLBACKS:
            if callback.page == page:
                settled = {(cid, prop): value for cid, prop, value in callback.after}
                body = callback_body(
                    app, find_callback_key(app, callback.first_output), {**values, **settled}
                )
                if settled:
                    changed = [f"{cid}.{prop}" for cid, prop in settled]
                    body.update({"changedPropIds": changed, "parsedChangedPropsIds": changed})
                bodies[callback.name] = body
    return routers, bodies


# --- timing loops ---------------------------------------------------------------------------------------


def timed_loop(action: Callable[[], object], repeat: int, cap_seconds: float) -> list[float]:
    """Durations of up to `repeat` sequential runs; stops early (after at least 5) past `cap_seconds`."""
    samples: list[float] = []
    began = time.perf_counter()
    while len(samples) < repeat:
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
        if time.perf_counter() - began >= cap_seconds and len(samples) >= min(5, repeat):
            break
    return samples


def warm_up(action: Callable[[], object], times: int, cap_seconds: float, began: float | None = None) -> None:
    """Up to `times` untimed runs, none started once `cap_seconds` have passed since `began`."""
    began = time.perf_counter() if began is None else began
    for _ in range(times):
        if time.perf_counter() - began >= cap_seconds:
            break
        action()


def replay_sql(engine, statements: list[CapturedStatement], repeat: int, cap_seconds: float) -> list[float]:
    """Run exactly these statements with their parameters on a raw DBAPI connection, fetching all rows."""
    raw = engine.raw_connection()
    try:

        def once() -> None:
            cursor = raw.cursor()
            try:
                for captured in statements:
                    if captured.executemany:
                        cursor.executemany(captured.statement, captured.parameters)
                    else:
                        cursor.execute(captured.statement, captured.parameters)
                    if cursor.description is not None:
                        cursor.fetchall()
            finally:
                cursor.close()
                raw.rollback()

        once()  # warm-up
        return timed_loop(once, repeat, cap_seconds)
    finally:
        raw.close()


def _statement_summary(statements: list[CapturedStatement], top: int = 5) -> list[dict]:
    slowest = sorted(statements, key=lambda item: item.seconds, reverse=True)[:top]
    return [
        {"ms": round(item.seconds * 1000, 2), "sql": " ".join(item.statement.split())[:300]}
        for item in slowest
    ]


def _sql_of_captured_calls(
    engine, captures: list, in_callback: list[float], repeat: int, cap_seconds: float, what: str
) -> dict:
    """From the warm-up calls whose SQL was captured: the median call's SQL, and that SQL replayed raw.

    Each captured call also has its time in the callback, so its SQL share is measured on one call.
    """
    if not captures or len(captures) != len(in_callback):
        raise BenchmarkError(f"{what}: the callback's SQL was not captured")
    calls = sorted(
        (
            {
                "callback_s": seconds,
                "sql_s": sum(item.seconds for item in statements),
                "statements": statements,
            }
            for seconds, statements in zip(in_callback, captures, strict=True)
        ),
        key=lambda call: call["callback_s"],
    )
    median = calls[len(calls) // 2]
    replay = replay_sql(engine, median["statements"], repeat, cap_seconds) if median["statements"] else []
    return {
        "statements": len(median["statements"]),
        "statements_per_capture": [len(call["statements"]) for call in calls],
        "captured_calls": len(calls),
        "captured_callback_ms": round(median["callback_s"] * 1000, 3),
        "execute_ms_in_callback": round(median["sql_s"] * 1000, 3),
        "sql_share": median["sql_s"] / median["callback_s"] if median["callback_s"] else None,
        "replay": summarise(replay) if replay else summarise([0.0]),
        "replay_samples_ms": [round(value * 1000, 3) for value in replay],
        "slowest": _statement_summary(median["statements"]),
    }


# --- one database ---------------------------------------------------------------------------------------


def measure_database(
    label: str, database_url: str, repeat: int, cap_seconds: float, warmups: int = 3
) -> dict:
    """Serve the app on `database_url` in this process and time the noop, the routers and main callbacks."""
    settings = load_settings(
        {"DATABASE_URL": database_url, "SECRET_KEY": SECRET_KEY, "DASHBOARD_ENV": "development"}
    )
    app = create_bench_app(settings)
    instruments = CallbackInstruments(app)
    result: dict = {"database": label, "backend": database_url.split(":", 1)[0], "repeat": repeat}
    try:
        with ThreadedServer(app.server) as server:
            base = server.base
            session = sign_in(base, BENCH_USER)
            url = base + "/_dash-update-component"
            routers, bodies = page_bodies(app, session, base)

            def post(body: dict) -> requests.Response:
                return session.post(url, json=body, timeout=600)

            # Each measured request: its name, its body and the callback_map key it runs.
            measured = [(NOOP_KEY, "no-op (floor)", noop_body(), "noop")]
            measured += [
                (body["output"], f"{page}: page layout (router)", body, "router")
                for page, body in routers.items()
            ]
            measured += [
                (bodies[cb.name]["output"], cb.name, bodies[cb.name], "main") for cb in MAIN_CALLBACKS
            ]
            for key, *_ in measured:
                instruments.wrap(key)

            rows = {}
            for key, name, body, kind in measured:
                log.info("  %s: %s", label, name)
                # The warm-up calls are the ones whose SQL is captured (untimed: capturing costs a little).
                if kind != "noop":
                    instruments.start_capture(key)
                began = time.perf_counter()
                try:
                    first = post(body)
                    answer = check_callback_response(first, f"{label} {name}")
                    # The check was the first warm-up call; a slow callback gets no more.
                    warm_up(lambda body=body: post(body), warmups - 1, cap_seconds / 3, began)
                finally:
                    captures = instruments.stop_capture(key) if kind != "noop" else []
                warm_timings = instruments.take_timings(key)
                row = {
                    "name": name,
                    "kind": kind,
                    "key": key,
                    "body": body,
                    "payload_json_bytes": len(first.content),
                    "payload_wire_bytes": int(first.headers.get("Content-Length") or len(first.content)),
                    "content_encoding": first.headers.get("Content-Encoding", "identity"),
                    "outputs": sorted((answer.get("response") or {}).keys()),
                }

                def checked(body=body, name=name):
                    response = post(body)
                    if response.status_code != 200:
                        raise BenchmarkError(f"{label} {name}: HTTP {response.status_code} while timing")
                    return response

                samples = timed_loop(checked, repeat, cap_seconds)
                row["rt_samples_ms"] = [round(value * 1000, 3) for value in samples]
                row["rt"] = summarise(samples)
                row["server"] = summarise(instruments.take_timings(key))

                if kind != "noop":
                    row["sql"] = _sql_of_captured_calls(
                        db.get_engine(), captures, warm_timings, repeat, cap_seconds / 2, f"{label} {name}"
                    )
                rows[name] = row
            result["rows"] = rows
            result["noop"] = rows["no-op (floor)"]
    finally:
        db.get_engine().dispose()
    return result


def callback_results(seed: dict, large: dict) -> list[dict]:
    """Per main callback: seed and large timings, the large floor and the two budget ratios."""
    noop = large["noop"]["rt"]
    table = []
    for name, large_row in large["rows"].items():
        if large_row["kind"] == "noop":
            continue
        seed_row = seed["rows"].get(name, {})
        sql_p95 = large_row["sql"]["replay"]["p95"] or 0.0
        floor_p95 = (noop["p95"] or 0.0) + sql_p95
        seed_p50 = (seed_row.get("rt") or {}).get("p50")
        entry = {
            "name": name,
            "kind": large_row["kind"],
            "seed_p50": seed_p50,
            "seed_p95": (seed_row.get("rt") or {}).get("p95"),
            "large_p50": large_row["rt"]["p50"],
            "large_p95": large_row["rt"]["p95"],
            "large_n": large_row["rt"]["n"],
            "noop_p50": noop["p50"],
            "noop_p95": noop["p95"],
            "sql_p50": large_row["sql"]["replay"]["p50"],
            "sql_p95": sql_p95,
            "floor_p95": floor_p95,
            "ratio_floor": large_row["rt"]["p95"] / floor_p95 if floor_p95 else None,
            "ratio_growth": large_row["rt"]["p50"] / seed_p50 if seed_p50 else None,
            "seed_bytes_json": seed_row.get("payload_json_bytes"),
            "seed_bytes_wire": seed_row.get("payload_wire_bytes"),
            "large_bytes_json": large_row["payload_json_bytes"],
            "large_bytes_wire": large_row["payload_wire_bytes"],
            "seed_statements": (seed_row.get("sql") or {}).get("statements"),
            "large_statements": large_row["sql"]["statements"],
            "large_server_p50": large_row["server"]["p50"],
            "large_sql_in_callback_ms": large_row["sql"]["execute_ms_in_callback"],
        }
        table.append(entry)
    return table
