"""Today's date for the app; DASHBOARD_TODAY (YYYY-MM-DD) pins it for demonstrations and tests."""

from __future__ import annotations

import datetime as dt
import os


def today() -> dt.date:
    pinned = os.environ.get("DASHBOARD_TODAY", "").strip()
    return dt.date.fromisoformat(pinned) if pinned else dt.date.today()
