"""Board meetings and "since the last board": every change since a meeting, from the audit trail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import and_, func, not_, or_, select

from dashboard import models as m
from dashboard.db import session_scope
from dashboard.queries.audit import read_events
from dashboard.reports import values

# Every change to the programme the audit trail records is listed, but for those that only restate
# another entry of the same save: who signed off and when (its "Evidence signed off" entry names both),
# and the KPI, area and period a new KPI value is for (its entry's item names them). User accounts are
# the programme office's administration, not the programme: they are on the audit page, as are the
# reminders emailed to leads.
NOT_LISTED: dict[str, tuple[str, ...] | None] = {
    "action_item": ("signed_off_by", "signed_off_at"),
    "kpi_value": ("kpi", "area", "period"),
    "user": None,  # every field
    "reminder": None,  # reminder emails to leads: the programme office's chasing, on the audit page
}


def _not_listed() -> list[list]:
    """Per entry of NOT_LISTED, the conditions that pick its events."""
    event = m.AuditEvent
    return [
        # "field IS NOT NULL" so that an event without a field is listed and counted alike.
        [event.entity == entity]
        if fields is None
        else [event.entity == entity, event.field.is_not(None), event.field.in_(fields)]
        for entity, fields in NOT_LISTED.items()
    ]


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


def meeting_choices(
    meetings: list[Meeting] | None = None, today: dt.date | None = None
) -> list[dict[str, str]]:
    """Meetings for a picker, newest first, labelled like "24 Nov 2026 – Programme board (held)".

    With `today`, each says by its date whether it was held (on or before today), is the next one, or
    is still to come, so a stored title never calls a past meeting the next one."""
    from dashboard.domain.formatting import format_date

    meetings = board_meetings() if meetings is None else meetings
    upcoming = [
        meeting.meeting_date for meeting in meetings if today is not None and meeting.meeting_date > today
    ]
    next_date = min(upcoming) if upcoming else None

    def when(meeting: Meeting) -> str:
        if today is None:
            return ""
        if meeting.meeting_date <= today:
            return " (held)"
        return " (next meeting)" if meeting.meeting_date == next_date else " (to come)"

    return [
        {
            "label": f"{format_date(meeting.meeting_date)} – {meeting.title}{when(meeting)}",
            "value": meeting.meeting_date.isoformat(),
        }
        for meeting in reversed(meetings)
    ]


def recorded_meeting(value, meetings: list[Meeting] | None = None) -> dt.date | None:
    """The date of the recorded board meeting `value` names by its ISO date (as the meeting pickers
    and links give it); None for anything else, whatever the browser sent."""
    if not isinstance(value, str):
        return None
    wanted = value.strip()
    meetings = board_meetings() if meetings is None else meetings
    return next(
        (meeting.meeting_date for meeting in meetings if meeting.meeting_date.isoformat() == wanted), None
    )


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


def _window(since: dt.date, until: dt.datetime | None) -> list:
    conditions = [m.AuditEvent.at >= dt.datetime.combine(since, dt.time.min)]
    if until is not None:
        conditions.append(m.AuditEvent.at < until)
    return conditions


def _board_changes(since: dt.date, until: dt.datetime | None) -> list:
    """Conditions for the changes listed in the window, in SQL."""
    return [*_window(since, until), *(not_(and_(*conditions)) for conditions in _not_listed())]


def count_changes_since(since: dt.date, until: dt.datetime | None = None) -> int:
    """How many changes changes_since would list: the window's events, counted on the `at` index alone,
    less those not listed, each kind counted on its own part of the (entity, field, at) index.
    Counting the listed events directly read every event of the window from the table."""
    window = _window(since, until)
    listed = select(func.count()).where(*window).scalar_subquery()
    for conditions in _not_listed():
        listed = listed - select(func.count()).where(*conditions, *window).scalar_subquery()
    with session_scope() as db:
        return int(db.execute(select(listed)).scalar_one())


NO_PROJECT = "Not linked to a project"  # how a change with no project names it


def changes_since(
    since: dt.date,
    until: dt.datetime | None = None,
    newest: int | None = None,
    project_ids: Collection[int | None] | None = None,
    oldest: int | None = None,
) -> pd.DataFrame:
    """Changes the board cares about, made after the start of `since` (UTC) and before `until`.

    One row per audited field change (but those NOT_LISTED), oldest first, with the
    project, what the change did in words (`kind`), old and new as stored and as a person reads them,
    and for moved dates the movement in calendar days (positive = later). With `newest`, only that
    many of the latest changes (still oldest first); with `oldest`, only that many of the earliest.
    With `project_ids`, only the changes of those projects (None: the changes linked to no project).
    """
    chosen = select(m.AuditEvent.id).where(*_board_changes(since, until))
    if project_ids is not None:
        linked = [project_id for project_id in project_ids if project_id is not None]
        chosen = chosen.where(
            or_(
                m.AuditEvent.project_id.in_(linked),
                *([m.AuditEvent.project_id.is_(None)] if None in project_ids else []),
            )
        )
    if newest is not None:
        chosen = chosen.order_by(m.AuditEvent.at.desc(), m.AuditEvent.id.desc()).limit(newest)
    if oldest is not None:
        chosen = chosen.order_by(m.AuditEvent.at, m.AuditEvent.id).limit(oldest)
    rows = read_events(chosen.subquery())
    rows.reverse()  # oldest first
    records = []
    for row in rows:
        _id, at, username, action, entity, entity_id, project, field, old, new, item = row
        old_shown, new_shown = values.show_change(entity, field, old, new)
        records.append(
            {
                "at": at,
                "username": username,
                "entity": entity,
                "entity_id": entity_id,
                "project": project or NO_PROJECT,
                "item": item or f"{values.ENTITY_LABELS.get(entity, entity)} no. {entity_id}",
                "kind": values.describe_change(entity, field, action, old, new),
                "field": field,
                "old": old,
                "new": new,
                "old_shown": old_shown,
                "new_shown": new_shown,
                "shows_values": values.shows_values(entity, field, old),
                "days_moved": (
                    _day_difference(old, new) if values.field(entity, field).kind == values.DATE else None
                ),
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
        "old_shown",
        "new_shown",
        "shows_values",
        "days_moved",
    ]
    frame = pd.DataFrame.from_records(records, columns=columns)
    # Whole days as whole numbers: among the changes that moved no date, pandas would make them 42.0.
    frame["days_moved"] = pd.Series([record["days_moved"] for record in records], dtype=object)
    return frame


def first_changes_by_project(
    since: dt.date, until: dt.datetime | None, limit: int
) -> tuple[pd.DataFrame, int]:
    """The first `limit` changes of changes_since grouped by project (projects by name, each project's
    oldest first), and how many changes there are in all.

    Counted per project in SQL; only the projects that hold the first `limit` changes are read (all
    of those sharing a name together, as their changes sort together), so the pack reads a few
    projects' changes however many there are.
    """
    with session_scope() as db:
        counted = db.execute(
            select(m.AuditEvent.project_id, func.count())
            .where(*_board_changes(since, until))
            .group_by(m.AuditEvent.project_id)
        ).all()
        names = dict(
            db.execute(
                select(m.Project.id, m.Project.name).where(
                    m.Project.id.in_([project_id for project_id, _ in counted if project_id is not None])
                )
            ).all()
        )
    total = sum(int(count) for _, count in counted)
    by_name: dict[str, list] = {}
    for project_id, count in counted:
        entry = by_name.setdefault(names.get(project_id) or NO_PROJECT, [[], 0])
        entry[0].append(project_id)
        entry[1] += int(count)
    # Each project's changes oldest first, the projects by name: only as many as are still wanted are
    # read from each (those of projects sharing a name sort together by time, as the full list does).
    parts, wanted = [], limit
    for name in sorted(by_name):
        if wanted <= 0:
            break
        part = changes_since(since, until, project_ids=by_name[name][0], oldest=wanted)
        parts.append(part)
        wanted -= len(part)
    if not parts:
        return changes_since(since, until, project_ids=[]), total
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0], total
