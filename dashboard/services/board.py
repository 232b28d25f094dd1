"""Board meeting writes: the programme office records the dates of board meetings."""

from __future__ import annotations

from sqlalchemy import select

from dashboard import models as m
from dashboard import policy
from dashboard.auth import require_role
from dashboard.db import session_scope
from dashboard.services.core import ValidationError, audit, clean_text, parse_date


def add_board_meeting(actor, meeting_date, title: str = "Programme board") -> int:
    """Admin adds a meeting; "since the last board" and the weekly pack are built around these dates."""
    require_role(actor, policy.ADMIN)
    errors: dict[str, str] = {}
    when = parse_date(meeting_date, "Meeting date", "meeting_date", errors)
    if when is None and "meeting_date" not in errors:
        errors["meeting_date"] = "Enter the date of the meeting"
    title = clean_text(title, "Title", "title", 200, errors) or "Programme board"
    with session_scope() as db:
        if when and db.scalars(select(m.BoardMeeting).where(m.BoardMeeting.meeting_date == when)).first():
            errors["meeting_date"] = "There is already a board meeting on that date"
        if errors:
            raise ValidationError(errors)
        meeting = m.BoardMeeting(
            meeting_date=when, title=title, source="Added in the dashboard", updated_by=actor.username
        )
        db.add(meeting)
        db.flush()
        audit(
            db,
            actor,
            "create",
            "board_meeting",
            meeting.id,
            "meeting_date",
            None,
            when.isoformat(),
            version=meeting.version,
        )
        return meeting.id
