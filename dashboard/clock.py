"""Today's date for the app; DASHBOARD_TODAY (YYYY-MM-DD) pins it for demonstrations and tests.

`now()` is the moment in UTC (naive, as the database stores it) by which sessions are timed; a test
makes time pass by replacing it, never by sleeping."""

from __future__ import annotations

import datetime as dt
import os


def pinned_date(text: str | None) -> dt.date | None:
    """The date DASHBOARD_TODAY pins, None when it is unset or blank; ValueError when it is no date.

    config.py checks it once at start-up, so a bad value stops the app before the first page."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"DASHBOARD_TODAY must be a date like 2026-11-23, got {text!r}") from exc


def today() -> dt.date:
    return pinned_date(os.environ.get("DASHBOARD_TODAY")) or dt.date.today()


def now() -> dt.datetime:
    """The current moment in UTC, without a time zone (how every timestamp is stored)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
