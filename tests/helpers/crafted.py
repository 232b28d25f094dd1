"""Crafted values for links and callbacks, and a fingerprint of the database to prove nothing changed.

Values a browser never sends (wrong kinds, extremes, NUL, NaN) are in ODD_VALUES; what a crafted
edit form's store can hold in ODD_STORES; what a link can carry in ODD_LINK_VALUES. `pick` spreads a
list over many slots a few at a time, so that every value is sent somewhere without sending every
value everywhere (the suite stays fast).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import inspect, text

from dashboard import db

NESTED = {"a": {"b": [1, {"c": None}], "d": [[{"e": "²"}]]}}

ODD_VALUES = [
    None,
    "",
    "²",
    "-1",
    "99999999999999999999",
    1e308,
    -1,
    [],
    {},
    NESTED,
    "x" * 5_000,
    "9999-12-31",
    "0001-01-01",
    True,
    False,
    [["nested"]],
    10**30,
    "\x00",
    float("nan"),
]

ODD_STORES = [
    {"id": "²", "version": "1"},
    {"id": 10**30, "version": 1},
    {"id": 1, "version": [1]},
    {"id": {"a": 1}, "version": 1},
    {"id": "99999999999999999999", "version": "99999999999999999999"},
]

# What a link can carry: text only (a key given twice is a list, by its first value).
ODD_LINK_VALUES = [
    "²",
    "99999999999999999999",
    "-1",
    "9999-12-31",
    "0001-01-01",
    "\x00",
    "y" * 300,
    "1e308",
    "<b>bold</b>",
    ["²", "1"],
    "١٢",  # Arabic-Indic digits: str.isdecimal, but not ASCII
]


def pick(values: list, slot: int, count: int) -> list:
    """`count` of `values` for the `slot`-th place, taking turns, so that consecutive slots get the
    next ones and every value comes round."""
    return [values[(slot * count + offset) % len(values)] for offset in range(min(count, len(values)))]


class Fingerprint:
    """Every table's row count and the sum of its versions, read in one statement: equal before and
    after means nothing was added, removed or saved."""

    def __init__(self):
        engine = db.get_engine()
        inspector = inspect(engine)
        parts = []
        for table in sorted(inspector.get_table_names()):
            if table == "alembic_version" or "login" in table or "session" in table:
                continue  # not the programme's data: signing in and sessions write these
            columns = {column["name"] for column in inspector.get_columns(table)}
            versions = "COALESCE(SUM(version), 0)" if "version" in columns else "0"
            parts.append(f"SELECT '{table}', COUNT(*), {versions} FROM {table}")
        self.statement = text(" UNION ALL ".join(parts))

    def __call__(self) -> tuple:
        with db.get_engine().connect() as connection:
            return tuple(tuple(row) for row in connection.execute(self.statement))


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def server_log() -> Iterator[list[logging.LogRecord]]:
    """What the server logs (warnings and worse) inside the block, as records: a traceback is a
    record with `exc_info`."""
    handler = _Records()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler.records
    finally:
        root.removeHandler(handler)


def tracebacks(records: list[logging.LogRecord]) -> list[str]:
    """The records among `records` that carry a traceback, in a line each."""
    return [
        f"{record.getMessage()} {record.exc_info[1]!r}" if record.exc_info else record.getMessage()
        for record in records
        if record.exc_info or "Traceback" in record.getMessage()
    ]
