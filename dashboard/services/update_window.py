"""Setting when a board meeting's updates are due (the programme office only)."""

from __future__ import annotations

import datetime as dt
import re

from dashboard import models as m
from dashboard.domain.formatting import format_date
from dashboard.domain.update_window import DUE_TIME, uk_to_utc
from dashboard.services.core import ValidationError, display_value, parse_date
from dashboard.services.rows import Entity, update_row

_TIME = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")

MEETING = Entity(
    model=m.BoardMeeting,
    name="board_meeting",
    noun="board meeting",
    labels={"updates_due_at": "Updates due"},
    denied="Only the programme office sets when updates are due.",
    project=lambda _row: None,  # no project owns a meeting: administrators only
    display=lambda _field, value: display_value(
        value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value
    ),
)


def parse_due(meeting_date: dt.date, day, time) -> dt.datetime | None:
    """The due moment typed as a UK date and time, as naive UTC; None (the default) when both are
    blank. ValidationError, a message per field, for anything else."""
    errors: dict[str, str] = {}
    if time is not None and not isinstance(time, str):
        time = ""
    time_text = (time or "").strip()
    when = parse_date(day, "Date updates are due", "due_date", errors)
    if when is None and "due_date" not in errors:
        if not time_text:
            return None
        errors["due_date"] = "Enter the date updates are due, for example 11/12/2026"
    clock_time = DUE_TIME
    if time_text:
        matched = _TIME.fullmatch(time_text)
        if matched is None:
            errors["due_time"] = "Enter a time on the 24-hour clock, for example 12:00"
        else:
            clock_time = dt.time(int(matched.group(1)), int(matched.group(2)))
    if when is not None and when > meeting_date:
        errors["due_date"] = (
            f"Updates must be due on or before the meeting's day, {format_date(meeting_date)}"
        )
    if errors:
        raise ValidationError(errors)
    return uk_to_utc(when, clock_time)


def set_updates_due(actor, meeting_id: int, day, time, expected_version: int) -> int:
    """Set (or, with both blank, reset to the default) when updates are due for a meeting; audited."""

    def edit(_db, row: m.BoardMeeting):
        due = parse_due(row.meeting_date, day, time)
        if due == row.updates_due_at:
            return {}
        changed = {"updates_due_at": (row.updates_due_at, due)}
        row.updates_due_at = due
        return changed

    return update_row(actor, MEETING, meeting_id, expected_version, edit)
