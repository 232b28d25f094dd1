"""The update window before a board meeting: when updates are due by default (pure rules, no database)."""

from __future__ import annotations

import datetime as dt

from dashboard.domain.formatting import UK_TIME
from dashboard.domain.workdays import add_working_days

DUE_WORKING_DAYS_BEFORE = 2
DUE_TIME = dt.time(12, 0)  # noon, UK time


def uk_to_utc(day: dt.date, time: dt.time) -> dt.datetime:
    """A UK wall-clock moment as the database stores moments: naive UTC."""
    return dt.datetime.combine(day, time, tzinfo=UK_TIME).astimezone(dt.UTC).replace(tzinfo=None)


def default_updates_due(meeting_date: dt.date) -> dt.datetime:
    """Noon (UK time) two working days before the meeting, as naive UTC: a Tuesday board's updates
    are due at noon on the Friday before (bank holidays skipped)."""
    try:
        day = add_working_days(meeting_date, -DUE_WORKING_DAYS_BEFORE)
    except (ValueError, OverflowError):
        # Bank holidays are computed a year either side: a date near 9999 has none to compute, so
        # count back weekdays only.
        day, left = meeting_date, DUE_WORKING_DAYS_BEFORE
        while left:
            day -= dt.timedelta(days=1)
            left -= day.weekday() < 5
    return uk_to_utc(day, DUE_TIME)


def updates_due(meeting_date: dt.date, set_by_admin: dt.datetime | None) -> dt.datetime:
    """The meeting's updates-due moment: the one an admin set, else the default."""
    return set_by_admin if set_by_admin is not None else default_updates_due(meeting_date)
