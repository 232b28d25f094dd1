"""The import's row limit, measured: a workbook far over the limit is refused about as fast, and in
about as much memory, as the largest workbook an import accepts is read.

    python -m benchmarks.bench_import            # prints the table; `python -m benchmarks.run` includes it

Each file is read in a child process of its own (`read_table`, the first step of every check and
import): timed once, then read again under tracemalloc for the peak of the memory it holds. Three files, all savings sheets:

- floor: the largest sheet accepted (the row limit's rows), written as Excel writes it;
- over the limit, as Excel writes it: 200,000 rows (the sheet's size is in its header);
- over the limit, as a program writes it: 200,000 rows with no size in the sheet's header (which
  openpyxl, left to itself, learns by walking the whole sheet before reading starts).
"""

from __future__ import annotations

import io
import json
import multiprocessing
import statistics
import sys
import time
from queue import Empty

ROWS_OVER = 200_000
RUNS = 3
# A sheet over the limit is refused within this many times the floor's time and memory.
RATIO_LIMIT = 2.0


def _workbook(rows: int, write_only: bool) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("Savings") if write_only else book.active
    if not write_only:
        sheet.title = "Savings"
    sheet.append(["Project", "Financial year", "Description", "Target", "Forecast"])
    for number in range(rows):
        sheet.append(["transition", "2026/27", f"Saving line {number % 50}", 1000 + number % 7, 900])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _read_once(content: bytes) -> str:
    from dashboard.services.importer import FileProblem, read_table

    try:
        return f"read {len(read_table('savings', 'bench.xlsx', content).rows):,} rows"
    except FileProblem as exc:
        return "refused: " + exc.problems[0].message


def _read(content: bytes, queue) -> None:
    """Timed first (nothing watching), then again under tracemalloc for the peak of what it holds."""
    import tracemalloc

    import dashboard.services.importer  # noqa: F401 - imported before the clock starts

    started = time.perf_counter()
    outcome = _read_once(content)
    seconds = time.perf_counter() - started
    tracemalloc.start()
    _read_once(content)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    queue.put({"seconds": seconds, "peak_kb": peak / 1024, "outcome": outcome})


def _measure(content: bytes) -> dict:
    context = multiprocessing.get_context("spawn")
    runs = []
    for _ in range(RUNS):
        queue = context.Queue()
        child = context.Process(target=_read, args=(content, queue))
        child.start()
        while True:
            try:
                runs.append(queue.get(timeout=2))
                break
            except Empty:
                if not child.is_alive():
                    raise RuntimeError(f"the reading process failed (exit status {child.exitcode})") from None
        child.join()
    return {
        "bytes": len(content),
        "seconds": statistics.median(run["seconds"] for run in runs),
        "peak_mb": statistics.median(run["peak_kb"] for run in runs) / 1024,
        "outcome": runs[0]["outcome"],
    }


def run() -> dict:
    from dashboard.services.importer import MAX_ROWS

    files = {
        "floor": _workbook(MAX_ROWS, write_only=False),
        "over, as Excel writes it": _workbook(ROWS_OVER, write_only=False),
        "over, no size in the header": _workbook(ROWS_OVER, write_only=True),
    }
    measured = {name: _measure(content) for name, content in files.items()}
    floor = measured["floor"]
    for result in measured.values():
        result["time_ratio"] = result["seconds"] / floor["seconds"]
        result["memory_ratio"] = result["peak_mb"] / floor["peak_mb"] if floor["peak_mb"] else None
    return {"max_rows": MAX_ROWS, "rows_over": ROWS_OVER, "ratio_limit": RATIO_LIMIT, "files": measured}


def render(result: dict) -> list[str]:
    lines = [
        f"Reading a savings sheet (median of {RUNS} runs, each in a fresh process): the floor is the "
        f"largest sheet accepted ({result['max_rows']:,} rows); the others hold {result['rows_over']:,} rows.",
        "",
        "| file | size | outcome | time | × floor | peak memory | × floor |",
        "|---|---:|---|---:|---:|---:|---:|",
    ]
    for name, item in result["files"].items():
        memory_ratio = "—" if item["memory_ratio"] is None else f"{item['memory_ratio']:.2f}"
        lines.append(
            f"| {name} | {item['bytes'] / 1024:,.0f} KB | {item['outcome']} | {item['seconds'] * 1000:,.0f} ms "
            f"| {item['time_ratio']:.2f} | {item['peak_mb']:.1f} MB | {memory_ratio} |"
        )
    return lines


def main() -> int:
    result = run()
    print("\n".join(render(result)))
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
