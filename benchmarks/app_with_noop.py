"""The product's app plus one no-op callback, and the server-side instruments the callback benchmark reads.

The no-op callback goes through the same path as every page callback (login gate, CSRF check,
`authorised`, Dash's dispatch and JSON encoding, compression) but does no work: its round trip is the
floor under which no callback can answer.

`CallbackInstruments` wraps chosen entries of `app.callback_map` so that, in this process, each call
is timed on the server and, when asked, every SQL statement it executes is recorded with its
parameters (SQLAlchemy's cursor events on `dashboard.db.get_engine()`), to be replayed on a raw
DBAPI connection.

For gunicorn: `gunicorn 'benchmarks.app_with_noop:create_server()'` (settings from the environment).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from dash import Dash, Input, Output
from sqlalchemy import event

from dashboard import db
from dashboard.callbacks import EVERYONE, authorised
from dashboard.config import Settings, load_settings
from dashboard.web import create_app, freeze_startup_heap

NOOP_OUTPUT = ("bench-noop", "children")
NOOP_INPUT = ("bench-noop-in", "value")
NOOP_KEY = f"{NOOP_OUTPUT[0]}.{NOOP_OUTPUT[1]}"


def create_bench_app(settings: Settings | None = None) -> Dash:
    app = create_app(settings or load_settings())

    # Neither component is in any layout: suppress_callback_exceptions lets the server answer anyway.
    @authorised(app, Output(*NOOP_OUTPUT), Input(*NOOP_INPUT), roles=EVERYONE)
    def bench_noop(value):
        return value

    freeze_startup_heap()  # as app.py does for the servers the product runs in
    return app


def create_server():
    return create_bench_app().server


def noop_body(value: str = "ping") -> dict:
    return {
        "output": NOOP_KEY,
        "outputs": {"id": NOOP_OUTPUT[0], "property": NOOP_OUTPUT[1]},
        "inputs": [{"id": NOOP_INPUT[0], "property": NOOP_INPUT[1], "value": value}],
        "changedPropIds": [],
        "parsedChangedPropsIds": [],
    }


@dataclass
class CapturedStatement:
    statement: str
    parameters: object
    executemany: bool
    seconds: float = 0.0


@dataclass
class _Capture:
    statements: list[CapturedStatement] = field(default_factory=list)


class CallbackInstruments:
    """Server-side timing of chosen callbacks and, on demand, capture of the SQL they execute."""

    def __init__(self, app: Dash):
        self.app = app
        self.timings: dict[str, list[float]] = {}
        self._local = threading.local()
        self._capture_keys: set[str] = set()
        self._captures: dict[str, list[_Capture]] = {}
        self._lock = threading.Lock()
        self._listening = False

    def wrap(self, key: str) -> None:
        entry = self.app.callback_map[key]
        inner = entry["callback"]
        if getattr(inner, "__bench_wrapped__", False):
            return
        instruments = self

        def timed(*args, **kwargs):
            capture = _Capture() if key in instruments._capture_keys else None
            instruments._local.capture = capture
            started = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - started
                instruments._local.capture = None
                with instruments._lock:
                    instruments.timings.setdefault(key, []).append(elapsed)
                    if capture is not None:
                        instruments._captures.setdefault(key, []).append(capture)

        timed.__bench_wrapped__ = True
        entry["callback"] = timed

    # SQLAlchemy cursor events: only statements run inside a captured callback, on its own thread.
    def _before(self, _conn, _cursor, statement, parameters, context, executemany):
        capture = getattr(self._local, "capture", None)
        if capture is not None:
            context._bench_started = time.perf_counter()

    def _after(self, _conn, _cursor, statement, parameters, context, executemany):
        capture = getattr(self._local, "capture", None)
        if capture is not None:
            started = getattr(context, "_bench_started", None)
            seconds = time.perf_counter() - started if started is not None else 0.0
            capture.statements.append(CapturedStatement(statement, parameters, executemany, seconds))

    def start_capture(self, key: str) -> None:
        self._capture_keys.add(key)
        self._captures.pop(key, None)
        if not self._listening:
            engine = db.get_engine()
            event.listen(engine, "before_cursor_execute", self._before)
            event.listen(engine, "after_cursor_execute", self._after)
            self._listening = True

    def stop_capture(self, key: str) -> list[list[CapturedStatement]]:
        self._capture_keys.discard(key)
        if not self._capture_keys and self._listening:
            engine = db.get_engine()
            event.remove(engine, "before_cursor_execute", self._before)
            event.remove(engine, "after_cursor_execute", self._after)
            self._listening = False
        return [capture.statements for capture in self._captures.pop(key, [])]

    def take_timings(self, key: str) -> list[float]:
        with self._lock:
            return self.timings.pop(key, [])
