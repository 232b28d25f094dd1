"""The product's performance budgets, measured: `python -m benchmarks.run` (a report, not a test).

    python -m benchmarks.run                 # the full run (about 11 minutes on 2 cores)
    python -m benchmarks.run --quick         # scale 0.05, fewer repetitions, 15 s of load
    python -m benchmarks.run --only callbacks,bytes --scale 0.2 --repeat 10
    python -m benchmarks.run --keep          # keep the PostgreSQL data directory afterwards
    python -m benchmarks.run --pg-dir DIR    # reuse the databases a --keep run left in DIR
    python -m benchmarks.run --only settle,gantt --pages milestones,kpis --settle-runs 3

Everything runs on loopback. A throw-away PostgreSQL server (scripts/pg_server.sh) holds two
databases: "seed" (`init-db` only) and "large" (the seed plus `benchmarks.generate.generate`).

1. callbacks: each page's main callbacks, served in this process, timed on both databases, with
   the floor (no-op callback + the callback's own SQL replayed raw) — budgets 1 and 2;
2. bytes: the overview's first load in headless Chromium against a bare Dash page — budget 3;
3. settle: every page's settle from navigation, and its main filter's change, in headless Chromium
   against the bare page's (benchmarks/bench_settle.py) — S1 and S2;
4. load: simulated users against gunicorn with 3 workers on the large database — budget 4;
5. monday: 200 people reading 5–15 s between pages for 5 minutes, each request kind's p95 against
   its unloaded p95 — S4;
6. gantt: the 1,000-milestone Gantt drawn in headless Chromium — budget 5 — and against plotly.js
   drawing the same marks on the bare page in the same browser — S3;
7. pack: the board pack's page and Excel at seed and large, `export DIR` at every size — S5;
8. import: a workbook far over the import's row limit refused against the largest one accepted — budget 6;
9. growth: the main callbacks and page settle on a 10× database (`--growth-pg-dir DIR` keeps it:
   generating it takes about 12 minutes) — S6.

The report goes to stdout and benchmarks/results/<name>.md, every raw number to <name>.json
(name "latest" for a full run, "quick" for --quick, "partial" for --only). The exit status is 0
whether or not the budgets are met; it is non-zero only when the benchmark itself failed.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import json
import logging
import multiprocessing
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, func, inspect, select, table

from benchmarks import bench_import, bench_pack, report
from benchmarks.bench_browser import (
    BARE_DRAWN,
    OVERVIEW_DRAWN,
    capture_first_load_bodies,
    compare_bodies,
    gantt_marks,
    gantt_runs,
    gantt_summary,
    measure_page_bytes,
)
from benchmarks.bench_callbacks import (
    BENCH_USER,
    MAIN_CALLBACKS,
    PAGES,
    callback_body,
    callback_results,
    check_callback_response,
    find_callback_key,
    layout_values,
    measure_database,
    page_bodies,
    router_body,
)
from benchmarks.bench_load import run_load
from benchmarks.support import (
    ROOT,
    SECRET_KEY,
    BenchmarkError,
    Gunicorn,
    PostgresServer,
    ThreadedServer,
    browser_sign_in,
    chromium_driver,
    free_port,
    log,
    machine_info,
    make_temp_dir,
    ratio,
    sign_in,
)
from dashboard import migrate

PHASES = ("callbacks", "bytes", "settle", "load", "monday", "gantt", "pack", "import", "growth")

# Each page, and the main filter a person changes on it (project, period, KPI, measure, theme).
SETTLE_PAGES = (
    ("overview", "/", "ov-since"),
    ("milestones", "/milestones", "ms-filter-project"),
    ("actions", "/actions", "act-filter-theme"),
    ("savings", "/savings", "sv-filter-project"),
    ("kpis", "/kpis", "kpi-select"),
    ("benchmarking", "/benchmarking", "bm-measure"),
    ("audit", "/audit", "audit-filter-project"),
    ("pack", "/pack", "pack-meeting"),
)
RESULTS_DIR = Path(__file__).resolve().parent / "results"
GANTT_PATH = "/milestones?programme=bench-gantt-1000&per_page=1000"  # the page draws 100 by default
META_FILE = "benchmark-databases.json"
BARE_TARGET = "benchmarks.bare_app:settle_server()"

# The generated data is dated around the generator's "today"; pinning the app to it makes runs comparable.
DEFAULT_TODAY = "2026-11-23"


def _generator_today() -> str:
    try:
        from benchmarks.generate import TODAY
    except ImportError:
        return DEFAULT_TODAY
    return TODAY.isoformat()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="small fast run: scale 0.05, 8 repetitions, 15 s load"
    )
    parser.add_argument(
        "--scale", type=float, help="size of the large database (default 1.0; 0.05 with --quick)"
    )
    parser.add_argument("--repeat", type=int, help="timed requests per callback (default 30; 8 with --quick)")
    parser.add_argument(
        "--cap-seconds",
        type=float,
        help="time cap per timed loop; a loop stops there once it has 5 samples (default 20; 5 with --quick)",
    )
    parser.add_argument(
        "--load-seconds", type=float, help="length of the load phase (default 60; 15 with --quick)"
    )
    parser.add_argument(
        "--users", type=int, default=20, help="simulated users in the load phase (default 20)"
    )
    parser.add_argument(
        "--monday-users", type=int, default=200, help="people in the Monday-morning load (default 200)"
    )
    parser.add_argument(
        "--monday-seconds",
        type=float,
        help="length of the Monday-morning load (default 300; 30 with --quick)",
    )
    parser.add_argument(
        "--workers", type=int, default=3, help="gunicorn workers for load and Gantt (default 3)"
    )
    parser.add_argument("--gantt-runs", type=int, help="timed Gantt loads (default 5; 3 with --quick)")
    parser.add_argument(
        "--settle-runs",
        type=int,
        help="timed loads and changes per page for settle (default 5; 3 with --quick)",
    )
    parser.add_argument("--pages", help="comma-separated pages for the settle phase (default: all)")
    parser.add_argument(
        "--growth-pg-dir",
        type=Path,
        help="PostgreSQL data directory for the growth phase's database (made at --growth-scale, or reused)",
    )
    parser.add_argument("--growth-pg-port", type=int, help="port for the growth phase's PostgreSQL server")
    parser.add_argument(
        "--growth-scale", type=float, default=10.0, help="size of the growth phase's database (default 10)"
    )
    parser.add_argument(
        "--draw-timeout",
        type=float,
        default=30.0,
        help="seconds a page may take to draw in Chromium before it is given up on (default 30)",
    )
    parser.add_argument(
        "--only", default=",".join(PHASES), help=f"comma-separated phases: {','.join(PHASES)}"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the PostgreSQL data directory (see --pg-dir)"
    )
    parser.add_argument("--pg-dir", type=Path, help="PostgreSQL data directory to use, reusing its databases")
    parser.add_argument(
        "--pg-port", type=int, help="port for the throw-away PostgreSQL server (default: a free one)"
    )
    parser.add_argument("--sqlite", action="store_true", help="time the callbacks on SQLite files instead")
    parser.add_argument("--seed", type=int, default=2026, help="the generator's random seed")
    parser.add_argument("--name", help="results file name (default latest, quick or partial)")
    args = parser.parse_args(argv)
    args.phases = [phase.strip() for phase in args.only.split(",") if phase.strip()]
    unknown = set(args.phases) - set(PHASES)
    if unknown:
        parser.error(f"unknown phase(s) {', '.join(sorted(unknown))}; choose from {', '.join(PHASES)}")
    quick = args.quick
    args.scale = args.scale if args.scale is not None else (0.05 if quick else 1.0)
    args.repeat = args.repeat if args.repeat is not None else (8 if quick else 30)
    args.cap_seconds = args.cap_seconds if args.cap_seconds is not None else (5.0 if quick else 20.0)
    args.load_seconds = args.load_seconds if args.load_seconds is not None else (15.0 if quick else 60.0)
    args.gantt_runs = args.gantt_runs if args.gantt_runs is not None else (3 if quick else 5)
    args.monday_seconds = (
        args.monday_seconds if args.monday_seconds is not None else (30.0 if quick else 300.0)
    )
    args.settle_runs = args.settle_runs if args.settle_runs is not None else (3 if quick else 5)
    if args.name is None:
        args.name = "quick" if quick else ("latest" if set(args.phases) == set(PHASES) else "partial")
    if args.scale <= 0 or args.repeat < 1 or args.users < 1:
        parser.error("--scale, --repeat and --users must be above 0")
    return args


# --- databases ------------------------------------------------------------------------------------------


def _generate(url: str, scale: float, seed: int) -> dict[str, int]:
    """`benchmarks.generate.generate` in a child process, so this process's heap (and so its garbage
    collector's pauses during the in-process callback timings) stays as small as the app needs."""
    try:
        from benchmarks.generate import generate
    except ImportError as exc:
        raise BenchmarkError(f"benchmarks/generate.py is missing or broken: {exc}") from exc
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(generate, url, scale=scale, seed=seed).result()


def _init_db(url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET_KEY, "DASHBOARD_ENV": "development"}
    result = subprocess.run(
        [sys.executable, "-m", "dashboard", "init-db"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BenchmarkError(f"init-db failed on {url}: {result.stderr[-2000:]}")


def row_counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            names = [name for name in inspect(connection).get_table_names() if name != "alembic_version"]
            return {
                name: connection.scalar(select(func.count()).select_from(table(name)))
                for name in sorted(names)
            }
    finally:
        engine.dispose()


def prepare_postgres(pg: PostgresServer, scale: float, seed: int) -> tuple[str, str, dict]:
    """The "seed" and "large" databases on `pg`, made now or reused when a kept run made the same ones."""
    meta_path = pg.directory / META_FILE
    wanted = {"scale": scale, "seed": seed}
    if meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if {key: meta.get(key) for key in wanted} == wanted and {"seed", "large"} <= pg.databases():
            log.info(
                "reusing the seed and large databases in %s (upgraded to the latest schema)", pg.directory
            )
            for name in ("seed", "large"):
                migrate.upgrade(pg.url(name))
                pg.vacuum_analyze(name)
            return pg.url("seed"), pg.url("large"), meta
        meta_path.unlink()
    started = time.perf_counter()
    seed_url = pg.create_database("seed")
    log.info("init-db on the seed database")
    _init_db(seed_url)
    large_url = pg.create_database("large", template="seed")
    log.info("generating the large database (scale %s)", scale)
    generated = _generate(large_url, scale, seed)
    for name in ("seed", "large"):
        pg.vacuum_analyze(name)
    meta = {**wanted, "generated": generated, "prepared_s": round(time.perf_counter() - started, 1)}
    meta_path.write_text(json.dumps(meta, indent=1))
    log.info("databases ready in %.0f s", meta["prepared_s"])
    return seed_url, large_url, meta


def prepare_sqlite(directory: Path, scale: float, seed: int) -> tuple[str, str]:
    seed_path, large_path = directory / "seed.db", directory / "large.db"
    for path in (seed_path, large_path):
        path.unlink(missing_ok=True)
    _init_db(f"sqlite:///{seed_path}")
    shutil.copyfile(seed_path, large_path)
    _generate(f"sqlite:///{large_path}", scale, seed)
    return f"sqlite:///{seed_path}", f"sqlite:///{large_path}"


# --- phases ---------------------------------------------------------------------------------------------


def _bench_app(url: str):
    """The product app (with the no-op callback) on `url`, its pages router registered."""
    from benchmarks.app_with_noop import create_bench_app
    from dashboard.config import load_settings

    app = create_bench_app(load_settings({"DATABASE_URL": url, "SECRET_KEY": SECRET_KEY}))
    app.server.test_client().get("/healthz")  # Dash registers the pages router on the first request
    return app


def phase_callbacks(args, seed_url: str, large_url: str) -> dict:
    seed = measure_database("seed", seed_url, args.repeat, args.cap_seconds)
    large = measure_database("large", large_url, args.repeat, args.cap_seconds)
    return {
        "backend": "SQLite" if args.sqlite else "PostgreSQL",
        "repeat": args.repeat,
        "cap_seconds": args.cap_seconds,
        "user": BENCH_USER,
        "seed": seed,
        "large": large,
        "table": callback_results(seed, large),
    }


@contextlib.contextmanager
def _chromium(directory: Path):
    """A fresh headless Chromium (its own profile), quit afterwards."""
    driver = chromium_driver(directory)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(directory, ignore_errors=True)


def phase_bytes(args, seed_url: str, large_url: str, workdir: Path) -> dict:
    from benchmarks.bare_app import create_bare_app

    result: dict = {}
    # A fresh browser for every load: a page still drawing would hold the next one up.
    for label, url in (("product_seed", seed_url), ("product", large_url)):
        app = _bench_app(url)
        with ThreadedServer(app.server) as server:
            if label == "product_seed":
                with _chromium(workdir / "chromium-bodies") as driver:
                    browser_sign_in(driver, server.base, BENCH_USER)
                    result["bodies_check"] = _check_bodies(app, driver, server.base)
            with _chromium(workdir / f"chromium-{label}") as driver:
                browser_sign_in(driver, server.base, BENCH_USER)
                log.info("  first load of / (%s)", label)
                result[label] = measure_page_bytes(
                    driver, server.base + "/", OVERVIEW_DRAWN, args.draw_timeout
                )
                _log_drawn(result[label])
    with ThreadedServer(create_bare_app().server) as server, _chromium(workdir / "chromium-bare") as driver:
        log.info("  first load of the bare page")
        result["bare"] = measure_page_bytes(driver, server.base + "/", BARE_DRAWN, args.draw_timeout)
        _log_drawn(result["bare"])
    result["ratio"] = result["product"]["bytes"] / result["bare"]["bytes"]
    return result


def _log_drawn(load: dict) -> None:
    if load["drawn"]:
        log.info("    %s bytes, drawn at %.0f ms", f"{load['bytes']:,}", load["drawn_ms"])
    else:
        log.warning("    %s bytes; not drawn within %.0f s", f"{load['bytes']:,}", load["draw_timeout_s"])


def _check_bodies(app, driver, base: str) -> dict[str, list[str]]:
    """Compare the bodies the benchmark builds with those Chromium sends on each page's first load."""
    session = sign_in(base, BENCH_USER)
    _, bodies = page_bodies(app, session, base)
    session.close()
    differences = {}
    for page, path in PAGES.items():
        names = [callback.name for callback in MAIN_CALLBACKS if callback.page == page]
        keys = {bodies[name]["output"] for name in names}
        log.info("  bodies Chromium sends on %s", path)
        sent = capture_first_load_bodies(driver, base + path, keys)
        for name in names:
            differences[name] = compare_bodies(bodies[name], sent.get(bodies[name]["output"]))
            if differences[name]:
                log.warning("body of %s differs from the browser's: %s", name, differences[name])
    return differences


def phase_load(args, gunicorn: Gunicorn, app) -> dict:
    session = sign_in(gunicorn.base, BENCH_USER)
    routers, bodies = page_bodies(app, session, gunicorn.base)
    session.close()
    log.info("  %d users for %.0f s", args.users, args.load_seconds)
    result = run_load(gunicorn.base, routers, bodies, args.users, args.load_seconds)
    result["workers"] = args.workers
    if result["errors"]:
        result["gunicorn_log_tail"] = gunicorn.log_tail()
    return result


def _settle_pages(args) -> list[tuple[str, str, str]]:
    if not args.pages:
        return list(SETTLE_PAGES)
    wanted = {name.strip() for name in args.pages.split(",")}
    return [page for page in SETTLE_PAGES if page[0] in wanted]


def phase_settle(args, product: Gunicorn, bare: Gunicorn, workdir: Path, label: str = "large") -> dict:
    """Budgets 1 and 2: each page's settle from navigation, and its main filter's change, against the
    bare page's, in one signed-in browser with a warm cache. The bare page is measured before and after
    the product's pages, and its runs pooled, so a change in the machine's speed during the phase
    weighs on both sides."""
    from benchmarks.bench_settle import SettleWatcher, interaction_series, median, settle_series

    runs, timeout = args.settle_runs, args.draw_timeout
    bare_url = bare.base + "/"
    result: dict = {"runs": runs, "database": label, "pages": {}, "interactions": {}}
    light = [page for page in _settle_pages(args) if page[0] != "pack"]
    heavy = [page for page in _settle_pages(args) if page[0] == "pack"]
    with _chromium(workdir / "chromium-settle") as driver:
        browser_sign_in(driver, product.base, BENCH_USER)
        with SettleWatcher(driver) as watcher:
            floors = [settle_series(watcher, bare_url, runs, timeout, "bare page")]
            changes = [interaction_series(watcher, bare_url, "bare-select", runs, timeout, "bare page")]
            for page, path, _control in light:
                result["pages"][page] = settle_series(watcher, product.base + path, runs, timeout, page)
            for page, path, control in light:
                try:
                    result["interactions"][page] = interaction_series(
                        watcher, product.base + path, control, runs, timeout, page
                    )
                except BenchmarkError as exc:
                    log.warning("  %s: %s", page, exc)
                    result["interactions"][page] = {"control": control, "error": str(exc), "median_ms": None}
            floors.append(settle_series(watcher, bare_url, runs, timeout, "bare page"))
            changes.append(interaction_series(watcher, bare_url, "bare-select", runs, timeout, "bare page"))
    # The pack last and in a browser of its own: at the large size it may hold the renderer past the
    # time-out, and nothing measured after it may queue behind it.
    for page, path, control in heavy:
        with _chromium(workdir / "chromium-settle-pack") as driver:
            browser_sign_in(driver, product.base, BENCH_USER)
            with SettleWatcher(driver) as watcher:
                result["pages"][page] = settle_series(watcher, product.base + path, runs, timeout, page)
                if result["pages"][page]["median_ms"] is None:
                    result["interactions"][page] = {
                        "control": control,
                        "error": "page never settled",
                        "median_ms": None,
                    }
                    continue
                try:
                    result["interactions"][page] = interaction_series(
                        watcher, product.base + path, control, runs, timeout, page
                    )
                except BenchmarkError as exc:
                    result["interactions"][page] = {"control": control, "error": str(exc), "median_ms": None}
    result["bare"] = {
        "runs_ms": [value for series in floors for value in series["runs_ms"]],
        "median_ms": median([value for series in floors for value in series["runs_ms"]]),
    }
    result["bare_interaction"] = {
        "runs_ms": [value for series in changes for value in series["runs_ms"]],
        "median_ms": median([value for series in changes for value in series["runs_ms"]]),
    }
    return result


def phase_growth(args, growth_url: str, results: dict, workdir: Path) -> dict:
    """S6: the main callbacks and each page's settle on the 10× database, beside seed and large."""
    from benchmarks.bench_settle import SettleWatcher, settle_series

    label = f"{args.growth_scale:g}x"
    callbacks = measure_database(label, growth_url, args.repeat, args.cap_seconds)
    pages: dict = {}
    with (
        Gunicorn(growth_url, args.workers, workdir / "gunicorn-growth.log") as product,
        _chromium(workdir / "chromium-growth") as driver,
    ):
        browser_sign_in(driver, product.base, BENCH_USER)
        with SettleWatcher(driver) as watcher:
            for page, path, _control in _settle_pages(args):
                if page == "pack":  # minutes a load at 10x (see the pack's own phase)
                    continue
                pages[page] = settle_series(
                    watcher, product.base + path, args.settle_runs, args.draw_timeout, f"{page} ({label})"
                )
    seed_rows = ((results.get("callbacks") or {}).get("seed") or {}).get("rows", {})
    large_rows = ((results.get("callbacks") or {}).get("large") or {}).get("rows", {})

    def p50(rows, name):
        return ((rows.get(name) or {}).get("rt") or {}).get("p50")

    table, worst = [], []
    for name, row in callbacks["rows"].items():
        if row["kind"] != "main":
            continue
        seed, large, grown = p50(seed_rows, name), p50(large_rows, name), row["rt"]["p50"]
        growth = grown / large if large else None
        worst.append((growth, name))
        table.append([name, _fmt_ms(seed), _fmt_ms(large), _fmt_ms(grown), _fmt_ratio(growth)])
    settle_large = ((results.get("settle") or {}).get("pages")) or {}
    page_growth = []
    for page, item in pages.items():
        large = (settle_large.get(page) or {}).get("median_ms")
        growth = item["median_ms"] / large if large and item["median_ms"] else None
        page_growth.append((growth, page))
        table.append(
            [f"page settle: {page}", "–", _fmt_ms(large), _fmt_ms(item["median_ms"]), _fmt_ratio(growth)]
        )
    measured_cb = [item for item in worst if item[0] is not None]
    measured_pg = [item for item in page_growth if item[0] is not None]
    met = (
        bool(measured_cb)
        and all(value <= 3.0 for value, _ in measured_cb)
        and all(value <= 1.5 for value, _ in measured_pg)
    )
    text = []
    if measured_cb:
        value, name = max(measured_cb)
        text.append(f"callbacks: worst {value:.2f}× large ({name})")
    if measured_pg:
        value, name = max(measured_pg)
        text.append(f"page settle: worst {value:.2f}× large ({name})")
    return {
        "scale": args.growth_scale,
        "callbacks": callbacks,
        "pages": pages,
        "met": met if (measured_cb and (measured_pg or not settle_large)) else None,
        "summary_text": "; ".join(text) or "not measured",
        "headers": ["callback or page", "seed p50 ms", "large p50 ms", f"{label} p50 ms", f"{label} ÷ large"],
        "rows": table,
        "intro": (
            f"The {label} database is a seed plus `generate(scale={args.growth_scale:g})`: "
            + ", ".join(
                f"{count:,} {name}"
                for name, count in (results["meta"].get("growth_database", {}).get("generated") or {}).items()
                if name in ("milestones", "action_items", "saving_lines", "kpi_values", "audit_events")
            )
            + f"; generated in {results['meta'].get('growth_database', {}).get('prepared_s') or 0:.0f} s. Callbacks as in "
            "budget 1 (p50, served in this process); page settle as in S1 (median, ms from navigation). Met when "
            "no callback grows past 3× from large to 10× and no page's settle past 1.5×."
        ),
    }


def _fmt_ms(value) -> str:
    return "–" if value is None else f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def _fmt_ratio(value) -> str:
    return "–" if value is None else f"{value:.2f}"


def phase_monday(args, gunicorn: Gunicorn, app) -> dict:
    """S4: a Monday morning before the board. Each kind of request is first timed with nobody else on
    the server (its unloaded p95), then `--monday-users` people open page after page, reading 5–15 s
    between pages, for `--monday-seconds`."""
    from benchmarks.bench_load import UpdateForm, unloaded

    session = sign_in(gunicorn.base, BENCH_USER)
    routers, bodies = page_bodies(app, session, gunicorn.base)
    session.close()
    form = UpdateForm.of(app)
    log.info("  unloaded: one user, every page 5 times; a lead saving 5 updates")
    quiet = unloaded(gunicorn.base, routers, bodies, form=form)
    result = run_load(
        gunicorn.base,
        routers,
        bodies,
        args.monday_users,
        args.monday_seconds,
        page_think=(5.0, 15.0),
        form=form,
    )
    result["workers"] = args.workers
    result["unloaded"] = quiet
    result["p95_ratios"] = {
        kind: ratio(item["p95"], (quiet.get(kind) or {}).get("p95")) for kind, item in result["kinds"].items()
    }
    if result["errors"]:
        result["gunicorn_log_tail"] = gunicorn.log_tail()
    worst = max((value, kind) for kind, value in result["p95_ratios"].items() if value is not None)
    log.info(
        "  %s requests, %d errors; worst p95 %.2f× unloaded (%s)",
        f"{result['requests']:,}",
        result["errors"],
        *worst,
    )
    return result


def phase_gantt(args, gunicorn: Gunicorn, app, workdir: Path, bare: Gunicorn | None = None) -> dict:
    base = gunicorn.base
    path, _, search = GANTT_PATH.partition("?")
    session = sign_in(base, BENCH_USER)
    url = base + "/_dash-update-component"
    layout = check_callback_response(
        session.post(url, json=router_body(app, path, "?" + search), timeout=300), "router"
    )
    values = layout_values(layout["response"]["_pages_content"]["children"])
    key = find_callback_key(app, "ms-url.search")
    answer = check_callback_response(
        session.post(url, json=callback_body(app, key, values), timeout=300), "milestones"
    )
    # The table is filled by its own callback, from the URL the view settled on, once scrolled to (the
    # browser's gate passes it on: callbacks.sections).
    settled = {("ms-table-wanted", "data"): [answer["response"]["ms-url"]["search"]]}
    table = check_callback_response(
        session.post(
            url, json=callback_body(app, find_callback_key(app, "ms-grid.rowData"), settled), timeout=300
        ),
        "milestones table",
    )
    session.close()
    figure = answer["response"]["ms-gantt"]["figure"]
    marks = gantt_marks(figure)
    rows = table["response"]["ms-grid"]["rowData"]
    summary_text = answer["response"].get("ms-gantt-summary", {}).get("children")
    if values.get(("ms-filter-programme", "value")) != "bench-gantt-1000":
        raise BenchmarkError(f"the milestones page did not take the programme filter from {GANTT_PATH}")
    log.info("  gantt: %d milestones, %s expected", len(rows), marks)

    floor: dict = {}

    def series(cold: bool, runs: int, label: str) -> list[dict]:
        # Each series in a fresh browser: a run not drawn in time leaves its renderer busy.
        with _chromium(workdir / "chromium-gantt") as driver:
            browser_sign_in(driver, base, BENCH_USER)
            if not cold:
                # One untimed load fills the HTTP cache: the timed runs are a returning user's.
                gantt_runs(driver, base + GANTT_PATH, marks, 1, args.draw_timeout, label="warm-up")
            timed = gantt_runs(
                driver, base + GANTT_PATH, marks, runs, args.draw_timeout, cold=cold, label=label
            )
            if not cold and bare is not None:
                # The floor: plotly.js alone drawing the same marks, in this browser, now.
                from benchmarks.bench_settle import SettleWatcher, plotly_floor

                with SettleWatcher(driver) as watcher:
                    floor.update(plotly_floor(watcher, bare.base + "/", figure, runs, args.draw_timeout))
            return timed

    cold = series(True, 1, "cold-cache")
    runs = series(False, args.gantt_runs, "timed")
    draws = [
        run["drawn_ms"] - run["gantt_callback_answered_ms"]
        for run in runs
        if run.get("drawn_ms") is not None and run.get("gantt_callback_answered_ms") is not None
    ]
    summary = gantt_summary(runs)
    summary["draw_after_answer_median_ms"] = statistics.median(draws) if draws else None
    summary["floor_median_ms"] = floor.get("median_ms")
    summary["ratio"] = ratio(summary["draw_after_answer_median_ms"], floor.get("median_ms"))
    return {
        "floor": floor,
        "path": GANTT_PATH,
        "milestones_shown": len(rows),
        "summary_text": summary_text,
        "marks_expected": marks,
        "runs": runs,
        "cold_runs": cold,
        "summary": summary,
    }


# --- main -----------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s", datefmt="%H:%M:%S")
    log.setLevel(logging.INFO)
    args = parse_args(argv)
    os.environ.setdefault("DASHBOARD_TODAY", _generator_today())
    began = time.perf_counter()
    results: dict = {
        "meta": {
            "command": shlex.join(
                ["python", "-m", "benchmarks.run", *(argv if argv is not None else sys.argv[1:])]
            ),
            "scale": args.scale,
            "seed": args.seed,
            "repeat": args.repeat,
            "phases": args.phases,
            "today": os.environ["DASHBOARD_TODAY"],
            "machine": machine_info(),
        }
    }
    workdir = make_temp_dir("asch-bench-")
    pg_dir = args.pg_dir or (workdir / "postgres")
    pg_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(pg_dir, 0o755)
    pg = PostgresServer(pg_dir, args.pg_port or free_port())
    growth_pg = None
    try:
        log.info("PostgreSQL in %s", pg_dir)
        pg.start()
        results["meta"]["postgresql_server"] = pg.server_version()
        started = time.perf_counter()
        seed_url, large_url, db_meta = prepare_postgres(pg, args.scale, args.seed)
        results["meta"]["generated"] = db_meta.get("generated")
        timings = results["meta"]["phase_seconds"] = {"databases": time.perf_counter() - started}
        growth_url = None
        if "growth" in args.phases or args.growth_pg_dir:
            growth_dir = args.growth_pg_dir or (workdir / "postgres-growth")
            growth_dir.mkdir(parents=True, exist_ok=True)
            os.chmod(growth_dir, 0o755)
            growth_pg = PostgresServer(growth_dir, args.growth_pg_port or free_port())
            log.info("PostgreSQL for the %g× database in %s", args.growth_scale, growth_dir)
            growth_pg.start()
            started = time.perf_counter()
            _, growth_url, growth_meta = prepare_postgres(growth_pg, args.growth_scale, args.seed)
            results["meta"]["growth_database"] = {
                "scale": args.growth_scale,
                "generated": growth_meta.get("generated"),
                "prepared_s": growth_meta.get("prepared_s"),
                "ready_s_this_run": time.perf_counter() - started,
            }
        # Other work on the machine skews every number: the load average as each phase starts.
        loads = results["meta"]["load_average_at_start"] = {}
        results["meta"]["row_counts"] = {"seed": row_counts(seed_url), "large": row_counts(large_url)}

        if "callbacks" in args.phases:
            started = time.perf_counter()
            log.info("callbacks")
            loads["callbacks"] = os.getloadavg()
            if args.sqlite:
                seed_cb, large_cb = prepare_sqlite(workdir, args.scale, args.seed)
            else:
                seed_cb, large_cb = seed_url, large_url
            results["callbacks"] = phase_callbacks(args, seed_cb, large_cb)
            timings["callbacks"] = time.perf_counter() - started
        if "bytes" in args.phases:
            started = time.perf_counter()
            log.info("bytes")
            loads["bytes"] = os.getloadavg()
            results["bytes"] = phase_bytes(args, seed_url, large_url, workdir)
            timings["bytes"] = time.perf_counter() - started
        if "settle" in args.phases:
            started = time.perf_counter()
            log.info("settle")
            loads["settle"] = os.getloadavg()
            with (
                Gunicorn(large_url, args.workers, workdir / "gunicorn-settle.log") as product,
                Gunicorn(large_url, args.workers, workdir / "gunicorn-bare.log", target=BARE_TARGET) as bare,
            ):
                results["settle"] = phase_settle(args, product, bare, workdir)
            timings["settle"] = time.perf_counter() - started
        if {"load", "monday", "gantt"} & set(args.phases):
            app = _bench_app(large_url)  # builds the request bodies, as the browser would
        if "load" in args.phases:
            started = time.perf_counter()
            log.info("load")
            loads["load"] = os.getloadavg()
            with Gunicorn(large_url, args.workers, workdir / "gunicorn-load.log") as gunicorn:
                results["load"] = phase_load(args, gunicorn, app)
            timings["load"] = time.perf_counter() - started
        if "monday" in args.phases:
            started = time.perf_counter()
            log.info(
                "monday: %d users for %.0f s, reading 5-15 s between pages",
                args.monday_users,
                args.monday_seconds,
            )
            loads["monday"] = os.getloadavg()
            with Gunicorn(large_url, args.workers, workdir / "gunicorn-monday.log") as gunicorn:
                results["monday"] = phase_monday(args, gunicorn, app)
            timings["monday"] = time.perf_counter() - started
        if "gantt" in args.phases:
            # A server of its own: nothing left over from the load may queue beside the measured loads.
            started = time.perf_counter()
            log.info("gantt")
            loads["gantt"] = os.getloadavg()
            with (
                Gunicorn(large_url, args.workers, workdir / "gunicorn-gantt.log") as gunicorn,
                Gunicorn(large_url, args.workers, workdir / "gunicorn-bare.log", target=BARE_TARGET) as bare,
            ):
                results["gantt"] = phase_gantt(args, gunicorn, app, workdir, bare)
            timings["gantt"] = time.perf_counter() - started
        if "pack" in args.phases:
            started = time.perf_counter()
            log.info("pack")
            loads["pack"] = os.getloadavg()
            databases = {"seed": seed_url, "large": large_url}
            if growth_url:
                databases["10x"] = growth_url
            results["pack"] = bench_pack.run(databases, 3)
            timings["pack"] = time.perf_counter() - started
        if "growth" in args.phases:
            started = time.perf_counter()
            log.info("growth (%g×)", args.growth_scale)
            loads["growth"] = os.getloadavg()
            results["growth"] = phase_growth(args, growth_url, results, workdir)
            timings["growth"] = time.perf_counter() - started
        if "import" in args.phases:
            started = time.perf_counter()
            log.info("import")
            loads["import"] = os.getloadavg()
            results["import"] = bench_import.run()
            timings["import"] = time.perf_counter() - started
    except BenchmarkError as exc:
        log.error("the benchmark failed: %s", exc)
        return 1
    finally:
        pg.stop()
        if growth_pg is not None:
            growth_pg.stop()
        if args.keep or args.pg_dir:
            log.info("PostgreSQL data kept in %s (reuse it with --pg-dir %s)", pg_dir, pg_dir)
        kept = pg_dir if (args.keep and args.pg_dir is None) else None
        for path in workdir.iterdir():
            if path == kept:
                continue
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink()
        if kept is None:
            shutil.rmtree(workdir, ignore_errors=True)

    results["meta"]["duration_s"] = time.perf_counter() - began
    results["budgets"] = report.budgets(results)
    text = report.render(results)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / f"{args.name}.md").write_text(text)
    (RESULTS_DIR / f"{args.name}.json").write_text(json.dumps(results, indent=1, default=str))
    print(text)
    log.info("wrote %s and %s", RESULTS_DIR / f"{args.name}.md", RESULTS_DIR / f"{args.name}.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
