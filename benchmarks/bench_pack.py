"""The board pack (its page and its Excel workbook) at the seed and large sizes, and `export DIR`.

The pack's two callbacks are POSTed as the browser sends them (the page's layout first, through the
pages router), signed in, against the product served in this process; median of `repeat` after one
untimed call. The export runs as the command a person types (`python -m dashboard export DIR`) in a
child process: its wall time and peak memory (the child's maximum resident set), per database.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_callbacks import (
    callback_body,
    check_callback_response,
    find_callback_key,
    layout_values,
    router_body,
)
from benchmarks.support import ROOT, SECRET_KEY, BenchmarkError, ThreadedServer, log, sign_in

PACK_USER = "cabinet.member"


def _bench_app(url: str):
    from benchmarks.app_with_noop import create_bench_app
    from dashboard.config import load_settings

    app = create_bench_app(load_settings({"DATABASE_URL": url, "SECRET_KEY": SECRET_KEY}))
    app.server.test_client().get("/healthz")
    return app


def time_pack(url: str, repeat: int) -> dict:
    """Median ms of the pack's page callback and its Excel download on the database at `url`."""
    app = _bench_app(url)
    result: dict = {}
    with ThreadedServer(app.server) as server:
        session = sign_in(server.base, PACK_USER)
        post = server.base + "/_dash-update-component"
        layout = check_callback_response(
            session.post(post, json=router_body(app, "/pack"), timeout=300), "router /pack"
        )
        values = layout_values(layout["response"]["_pages_content"]["children"])
        if not values.get(("pack-meeting", "value")):
            raise BenchmarkError("the pack page chose no board meeting")
        values[("pack-download-xlsx", "n_clicks")] = 1
        for name, output in (("page", "pack-document.children"), ("excel", "pack-download.data")):
            body = callback_body(app, find_callback_key(app, output), values)
            if name == "excel":
                body["changedPropIds"] = ["pack-download-xlsx.n_clicks"]
            times, size = [], 0
            for run in range(repeat + 1):
                started = time.perf_counter()
                response = session.post(post, json=body, timeout=600)
                elapsed = time.perf_counter() - started
                check_callback_response(response, f"pack {name}")
                size = len(response.content)
                if run:
                    times.append(elapsed * 1000)
            result[name] = {"median_ms": statistics.median(times), "runs_ms": times, "bytes": size}
            log.info("  pack %s: median %.0f ms (%s bytes)", name, result[name]["median_ms"], f"{size:,}")
        session.close()
    return result


def time_export(url: str) -> dict:
    """`python -m dashboard export DIR` on `url`: wall time, peak memory of the child, rows written."""
    directory = Path(tempfile.mkdtemp(prefix="asch-export-"))
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET_KEY, "DASHBOARD_ENV": "development"}
    code = (
        "import sys, time\n" + PEAK_FUNCTION + "from dashboard.__main__ import main\n"
        "started = time.perf_counter()\n"
        "status = main(['export', sys.argv[1]])\n"
        "print('BENCH', time.perf_counter() - started, _peak())\n"
        "sys.exit(status or 0)\n"
    )
    try:
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", code, str(directory)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        wall = time.perf_counter() - started
        if done.returncode != 0:
            raise BenchmarkError(f"export failed: {done.stderr[-1500:]}")
        line = [text for text in done.stdout.splitlines() if text.startswith("BENCH ")][-1]
        _, seconds, max_rss_kib = line.split()
        rows = 0
        for path in directory.glob("*.csv"):
            with path.open("rb") as handle:
                rows += max(0, sum(1 for _ in handle) - 1)
        # Memory after start-up: the same command's peak with nothing to export is the fixed part.
        return {
            "seconds": float(seconds),
            "wall_seconds": wall,
            "max_rss_mib": int(max_rss_kib) / 1024,
            "rows": rows,
        }
    finally:
        shutil.rmtree(directory, ignore_errors=True)


# The peak resident set of this process since it started (VmHWM): ru_maxrss would carry the peak of
# the benchmark process it was forked from.
PEAK_FUNCTION = (
    "def _peak():\n"
    "    for line in open('/proc/self/status'):\n"
    "        if line.startswith('VmHWM:'):\n"
    "            return int(line.split()[1])\n"
)


def _startup_rss_mib() -> float:
    code = PEAK_FUNCTION + "import dashboard.__main__, dashboard.reports.export\nprint(_peak())"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)
    try:
        return int(done.stdout.strip().splitlines()[-1]) / 1024
    except (ValueError, IndexError):
        return 0.0


def run(databases: dict[str, str], repeat: int) -> dict:
    """Pack and export on each database in `databases` (label → URL; "seed" and "large" at least)."""
    packs, exports = {}, {}
    for label, url in databases.items():
        if label in ("seed", "large"):  # the pack at 10x would take minutes a call: the export only
            log.info("  pack on %s", label)
            packs[label] = time_pack(url, repeat)
        log.info("  export on %s", label)
        exports[label] = time_export(url)
        log.info(
            "    %s rows in %.1f s, peak %.0f MiB",
            f"{exports[label]['rows']:,}",
            exports[label]["seconds"],
            exports[label]["max_rss_mib"],
        )
    startup = _startup_rss_mib()
    ratios = {
        f"pack {name}": packs["large"][name]["median_ms"] / packs["seed"][name]["median_ms"]
        for name in ("page", "excel")
    }
    sizes = [label for label in databases if label != "seed"]
    # Bounded: the export's memory above start-up does not grow with the rows (at most 1.5× the seed's
    # plus 32 MiB, while the rows grow a hundredfold). Linear: the time per row at each size past the
    # seed within 1.5× of the smallest such (the seed's few rows are all fixed cost).
    above = {label: exports[label]["max_rss_mib"] - startup for label in databases}
    bounded = all(above[label] <= 1.5 * above["seed"] + 32 for label in sizes)
    per_row = {
        label: (exports[label]["seconds"] - exports["seed"]["seconds"])
        / max(1, exports[label]["rows"] - exports["seed"]["rows"])
        for label in sizes
    }
    linear = max(per_row.values()) <= 1.5 * min(per_row.values()) if len(per_row) > 1 else None
    export = {
        "startup_rss_mib": startup,
        "bounded": bounded,
        "linear": linear if linear is not None else True,
        "linear_measured": linear is not None,
        "per_1000_rows_ms": {label: value * 1e6 for label, value in per_row.items()},
        "memory_text": ", ".join(f"{label} {exports[label]['max_rss_mib']:.0f} MiB" for label in databases),
        "linear_text": ", ".join(f"{label} {value * 1e6:.1f} ms" for label, value in per_row.items()),
    }
    rows = []
    for label in databases:
        pack = packs.get(label)
        rows.append(
            [
                label,
                f"{pack['page']['median_ms']:,.0f}" if pack else "–",
                f"{pack['excel']['median_ms']:,.0f}" if pack else "–",
                f"{pack['page']['bytes']:,}" if pack else "–",
                f"{pack['excel']['bytes']:,}" if pack else "–",
                f"{exports[label]['rows']:,}",
                f"{exports[label]['seconds']:.1f}",
                f"{exports[label]['max_rss_mib']:.0f}",
            ]
        )
    return {
        "packs": packs,
        "exports": exports,
        "export": export,
        "ratios": ratios,
        "headers": [
            "database",
            "pack page ms",
            "pack Excel ms",
            "page answer bytes",
            "Excel answer bytes",
            "export rows",
            "export s",
            "export peak MiB",
        ],
        "rows": rows,
        "intro": (
            f"Median of {repeat} after one untimed call, signed in as a viewer, served in this process. "
            f"The export is `python -m dashboard export DIR` in a child process; a Python with the app "
            f"imported and nothing exported peaks at {startup:.0f} MiB. Export memory bounded: {bounded}; "
            f"time per 1,000 rows past the seed's: {export['linear_text']}."
        ),
    }
