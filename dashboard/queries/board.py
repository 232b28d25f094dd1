"""Board meetings and "since the last board": every change since a meeting, from the audit trail."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import and_, func, or_, select, union_all

from dashboard import models as m
from dashboard.db import session_scope

# How each audited change reads in the board's words, by (entity, field).
CHANGE_KINDS = {
    ("milestone", "status"): "Status changed",
    ("milestone", "rag"): "RAG changed",
    ("milestone", "forecast_end"): "Date moved",
    ("milestone", "forecast_start"): "Date moved",
    ("milestone", "actual_end"): "Date moved",
    ("milestone", "actual_start"): "Date moved",
    ("action_item", "status"): "Status changed",
    ("action_item", "rag"): "RAG changed",
    ("action_item", "due_date"): "Date moved",
    ("action_item", "progress_note"): "Note added",
    ("action_item", "evidence_status"): "Evidence signed off",
    ("saving_line", "forecast"): "Savings forecast revised",
    ("saving_line", "realised"): "Savings realised recorded",
    ("saving_line", "confidence"): "Confidence changed",
}
DATE_FIELDS = {"forecast_end", "forecast_start", "actual_end", "actual_start", "due_date"}


@dataclass(frozen=True)
class Meeting:
    id: int
    meeting_date: dt.date
    title: str
    illustrative: bool


def board_meetings() -> list[Meeting]:
    with session_scope() as db:
        rows = db.execute(
            select(
                m.BoardMeeting.id,
                m.BoardMeeting.meeting_date,
                m.BoardMeeting.title,
                m.BoardMeeting.illustrative,
            ).order_by(m.BoardMeeting.meeting_date)
        ).all()
    return [Meeting(*row) for row in rows]


def meeting_choices(meetings: list[Meeting] | None = None) -> list[dict[str, str]]:
    """Meetings for a picker, newest first, labelled like "24 Nov 2026 – Programme board"."""
    from dashboard.formatting import format_date

    meetings = board_meetings() if meetings is None else meetings
    return [
        {
            "label": f"{format_date(meeting.meeting_date)} – {meeting.title}",
            "value": meeting.meeting_date.isoformat(),
        }
        for meeting in reversed(meetings)
    ]


def last_meeting_before(today: dt.date, meetings: list[Meeting] | None = None) -> Meeting | None:
    """The most recent meeting that has happened by `today` (meetings on `today` count)."""
    held = [
        meeting
        for meeting in (meetings if meetings is not None else board_meetings())
        if meeting.meeting_date <= today
    ]
    return held[-1] if held else None


def _day_difference(old: str | None, new: str | None) -> int | None:
    try:
        return (dt.date.fromisoformat(new) - dt.date.fromisoformat(old)).days
    except (TypeError, ValueError):
        return None


def _change_kinds() -> list[list]:
    """Per kind of change the board cares about, the conditions that pick its audit events."""
    event = m.AuditEvent
    kinds = [
        [event.entity == entity, event.field == field]
        for entity, field in CHANGE_KINDS
        if (entity, field) != ("action_item", "evidence_status")
    ]
    # Evidence counts as "signed off" only when it is accepted.
    kinds.append(
        [event.entity == "action_item", event.field == "evidence_status", event.new_value == "accepted"]
    )
    return kinds


def _window(since: dt.date, until: dt.datetime | None) -> list:
    conditions = [m.AuditEvent.at >= dt.datetime.combine(since, dt.time.min)]
    if until is not None:
        conditions.append(m.AuditEvent.at < until)
    return conditions


def _board_changes(since: dt.date, until: dt.datetime | None):
    """Conditions for the audited changes the board cares about in the window, in SQL."""
    return [*_window(since, until), or_(*(and_(*kind) for kind in _change_kinds()))]


def count_changes_since(since: dt.date, until: dt.datetime | None = None) -> int:
    """How many changes changes_since would list, counted kind by kind: each kind's count reads only
    its own entries of the (entity, field, at) index, where one count of every kind together read the
    window's whole trail through the `at` index (6,000 of 13,700 events: 7.5 ms → about 2 ms)."""
    window = _window(since, until)
    kinds = _change_kinds()
    counts = union_all(
        *(select(func.count().label("changes")).where(*kind, *window) for kind in kinds)
    ).subquery()
    with session_scope() as db:
        return int(db.execute(select(func.coalesce(func.sum(counts.c.changes), 0))).scalar_one())


def changes_since(
    since: dt.date, until: dt.datetime | None = None, newest: int | None = None
) -> pd.DataFrame:
    """Changes the board cares about, made after the start of `since` (UTC) and before `until`.

    One row per audited field change, oldest first, with the project, what kind of change it is in
    the board's words, and for moved dates the movement in calendar days (positive = later). With
    `newest`, only that many of the latest changes (still oldest first).
    """
    statement = (
        select(
            m.AuditEvent.at,
            m.AuditEvent.username,
            m.AuditEvent.entity,
            m.AuditEvent.entity_id,
            m.AuditEvent.field,
            m.AuditEvent.old_value,
            m.AuditEvent.new_value,
            m.Project.name,
            m.Milestone.title,
            m.ActionItem.title,
            m.SavingLine.description,
        )
        .outerjoin(m.Project, m.Project.id == m.AuditEvent.project_id)
        .outerjoin(
            m.Milestone, (m.AuditEvent.entity == "milestone") & (m.Milestone.id == m.AuditEvent.entity_id)
        )
        .outerjoin(
            m.ActionItem, (m.AuditEvent.entity == "action_item") & (m.ActionItem.id == m.AuditEvent.entity_id)
        )
        .outerjoin(
            m.SavingLine, (m.AuditEvent.entity == "saving_line") & (m.SavingLine.id == m.AuditEvent.entity_id)
        )
    )
    if newest is None:
        statement = statement.where(*_board_changes(since, until)).order_by(m.AuditEvent.at, m.AuditEvent.id)
    else:
        # The newest events are picked from the trail alone, then joined to their items: with the joins
        # in the same query the database joined every event sharing the newest timestamps (490 rows at
        # 6,000 changes) before it kept `newest` of them.
        newest_ids = (
            select(m.AuditEvent.id)
            .where(*_board_changes(since, until))
            .order_by(m.AuditEvent.at.desc(), m.AuditEvent.id.desc())
            .limit(newest)
        )
        statement = statement.where(m.AuditEvent.id.in_(newest_ids)).order_by(
            m.AuditEvent.at.desc(), m.AuditEvent.id.desc()
        )
    with session_scope() as db:
        rows = db.execute(statement).all()
    if newest is not None:
        rows.reverse()
    records = []
    for at, username, entity, entity_id, field, old, new, project, milestone, action, saving in rows:
        kind = CHANGE_KINDS[(entity, field)]
        records.append(
            {
                "at": at,
                "username": username,
                "entity": entity,
                "entity_id": entity_id,
                "project": project or "Not linked to a project",
                "item": milestone or action or saving or f"{entity} {entity_id}",
                "kind": kind,
                "field": field,
                "old": old,
                "new": new,
                "days_moved": _day_difference(old, new) if field in DATE_FIELDS else None,
            }
        )
    columns = [
        "at",
        "username",
        "entity",
        "entity_id",
        "project",
        "item",
        "kind",
        "field",
        "old",
        "new",
        "days_moved",
    ]
    return pd.DataFrame.from_records(records, columns=columns)
