"""The plan as at a date: each action as it stood then (from the audit trail) beside how it stands now."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import func, select

from dashboard import models as m
from dashboard.db import session_scope
from dashboard.domain.formatting import UK_TIME, as_date, format_date
from dashboard.domain.values import is_missing
from dashboard.queries.actions.filters import display_status

NOTE_SOURCE = "Added in the dashboard"

# Fields of an action the audit trail records, as the audit `field` names them.
TRACKED_FIELDS = (
    "title",
    "owner",
    "due_date",
    "status",
    "rag",
    "percent_complete",
    "evidence_summary",
    "evidence_status",
    "signed_off_by",
    "signed_off_at",
    "areas",
)


def end_of_day_utc(day: dt.date) -> dt.datetime:
    """The first moment after `day` in UK time, as the naive UTC timestamps the audit trail stores."""
    local = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=UK_TIME)
    return local.astimezone(dt.UTC).replace(tzinfo=None)


def _as_text(value) -> str | None:
    if is_missing(value):
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _current_state(action, area_keys: list[str]) -> dict[str, str | None]:
    values = {
        "title": action.title,
        "owner": action.owner,
        "due_date": action.due_date,
        "status": action.status,
        "rag": action.rag,
        "percent_complete": action.percent_complete,
        "evidence_summary": action.evidence,
        "evidence_status": action.evidence_status,
        "signed_off_by": action.signed_off_by,
        "signed_off_at": action.signed_off_at,
        "areas": ";".join(sorted(area_keys)) or None,
    }
    return {field: _as_text(value) for field, value in values.items()}


REVIEW_COLUMNS = [
    "id",
    "recommendation",
    "title",
    "existed",
    "status_then",
    "rag_then",
    "percent_then",
    "due_then",
    "latest_note_then",
    "status_now",
    "rag_now",
    "percent_now",
    "due_now",
    "notes_since",
    "evidence_since",
    "moved",
    "illustrative",
]


def first_recorded_change() -> dt.datetime | None:
    with session_scope() as db:
        return db.scalar(select(func.min(m.AuditEvent.at)).where(m.AuditEvent.entity == "action_item"))


def plan_as_at(as_at: dt.date, ids: list[int] | None = None) -> pd.DataFrame:
    """Each action as it stood at the end of `as_at` (from the audit trail) beside how it stands now.

    The state then is rebuilt from the audit trail: start from today's values and undo, newest first,
    every recorded change made after the end of that date. Seeded rows have no audit history, so the
    values loaded from the seed files stand for the state before the first recorded change (seeded
    progress notes count from their own note date).
    """
    cutoff = end_of_day_utc(as_at)
    with session_scope() as db:
        statement = (
            select(m.ActionItem, m.Recommendation.number)
            .join(m.Recommendation, m.Recommendation.id == m.ActionItem.recommendation_id)
            .order_by(m.Recommendation.sort_order, m.ActionItem.due_date, m.ActionItem.id)
        )
        if ids is not None:
            statement = statement.where(m.ActionItem.id.in_(ids))
        actions = db.execute(statement).all()
        action_ids = [action.id for action, _number in actions]
        area_keys: dict[int, list[str]] = {}
        for action_id, key in db.execute(
            select(m.action_areas.c.action_item_id, m.ConsiderationArea.key)
            .join(m.ConsiderationArea, m.ConsiderationArea.id == m.action_areas.c.consideration_area_id)
            .where(m.action_areas.c.action_item_id.in_(action_ids))
        ).all():
            area_keys.setdefault(action_id, []).append(key)
        later_events = db.execute(
            select(
                m.AuditEvent.entity_id,
                m.AuditEvent.action,
                m.AuditEvent.field,
                m.AuditEvent.old_value,
            )
            .where(
                m.AuditEvent.entity == "action_item",
                m.AuditEvent.entity_id.in_(action_ids),
                m.AuditEvent.at >= cutoff,
            )
            .order_by(m.AuditEvent.at.desc(), m.AuditEvent.id.desc())
        ).all()
        notes = db.execute(
            select(
                m.ProgressNote.action_item_id,
                m.ProgressNote.note_date,
                m.ProgressNote.text,
                m.ProgressNote.internal,
                m.ProgressNote.source,
                m.ProgressNote.created_at,
            )
            .where(m.ProgressNote.action_item_id.in_(action_ids))
            .order_by(m.ProgressNote.note_date, m.ProgressNote.id)
        ).all()
        evidence = db.execute(
            select(m.ActionEvidence.action_item_id, m.ActionEvidence.added_at).where(
                m.ActionEvidence.action_item_id.in_(action_ids)
            )
        ).all()
        now_states = {
            action.id: _current_state(action, area_keys.get(action.id, [])) for action, _ in actions
        }
        meta = {action.id: (number, action.title, action.illustrative) for action, number in actions}

    then_states = {action_id: dict(state) for action_id, state in now_states.items()}
    created_later: set[int] = set()
    for entity_id, action, field, old_value in later_events:
        if action == "create":
            created_later.add(entity_id)
        elif field in TRACKED_FIELDS:
            then_states[entity_id][field] = old_value

    notes_then: dict[int, tuple] = {}
    notes_since: dict[int, int] = {}
    for action_id, note_date, text, internal, source, created_at in notes:
        # A note added in the dashboard was known once it was added; a seeded one from its own date.
        known = created_at < cutoff if source == NOTE_SOURCE else note_date <= as_at
        if known:
            notes_then[action_id] = (note_date, text, internal)
        else:
            notes_since[action_id] = notes_since.get(action_id, 0) + 1
    evidence_since: dict[int, int] = {}
    for action_id, added_at in evidence:
        if added_at >= cutoff:
            evidence_since[action_id] = evidence_since.get(action_id, 0) + 1

    rows = []
    for action_id in action_ids:
        now, then = now_states[action_id], then_states[action_id]
        number, title, illustrative = meta[action_id]
        existed = action_id not in created_later
        moved = _what_moved(then, now) if existed else ["Added after this date"]
        if notes_since.get(action_id):
            count = notes_since[action_id]
            moved.append(f"{count} progress note{'s' if count != 1 else ''} added")
        if evidence_since.get(action_id):
            count = evidence_since[action_id]
            moved.append(f"{count} piece{'s' if count != 1 else ''} of evidence added")
        note = notes_then.get(action_id)
        rows.append(
            (
                action_id,
                number,
                title,
                existed,
                display_status(then["status"], then["evidence_status"]) if existed else "",
                then["rag"] if existed else None,
                int(then["percent_complete"]) if existed and then["percent_complete"] else 0,
                _date_or_none(then["due_date"]) if existed else None,
                (f"{format_date(note[0])}: {note[1]}" + (" (internal)" if note[2] else "")) if note else None,
                display_status(now["status"], now["evidence_status"]),
                now["rag"],
                int(now["percent_complete"] or 0),
                _date_or_none(now["due_date"]),
                notes_since.get(action_id, 0),
                evidence_since.get(action_id, 0),
                "; ".join(moved),
                illustrative,
            )
        )
    return _objects(pd.DataFrame.from_records(rows, columns=REVIEW_COLUMNS))


def _objects(frame: pd.DataFrame) -> pd.DataFrame:
    """Missing values as None (not NaN) and ids as ints, so rows read like the database's."""
    frame = frame.copy()
    for column in frame.columns:
        if frame[column].dtype.kind in "biu":
            continue
        values = frame[column].astype(object)
        frame[column] = values.where(values.notna(), None)
    for column in ("project_id", "project_parent_id"):
        if column in frame:
            frame[column] = pd.Series(
                [None if value is None else int(value) for value in frame[column]],
                index=frame.index,
                dtype=object,
            )
    return frame


def _date_or_none(text: str | None) -> dt.date | None:
    try:
        return as_date(text or None)
    except ValueError:
        return None


MOVE_LABELS = {
    "status": "Status",
    "rag": "RAG",
    "percent_complete": "% complete",
    "due_date": "Due date",
    "owner": "Owner",
    "evidence_status": "Evidence",
    "title": "Title",
}


def _what_moved(then: dict, now: dict) -> list[str]:
    moved = []
    then_status = display_status(then["status"], then["evidence_status"])
    now_status = display_status(now["status"], now["evidence_status"])
    if then_status != now_status:
        moved.append(f"Status {then_status or '—'} → {now_status}")
    for field in ("rag", "percent_complete", "due_date", "owner", "title"):
        if then[field] != now[field]:
            old, new = then[field], now[field]
            if field == "due_date":
                old, new = uk_day(old), uk_day(new)
            if field == "percent_complete":
                old, new = f"{old or 0}%", f"{new or 0}%"
            moved.append(f"{MOVE_LABELS[field]} {old or '—'} → {new or '—'}")
    if then["evidence_summary"] != now["evidence_summary"]:
        moved.append("Evidence summary changed")
    if then["areas"] != now["areas"]:
        moved.append("Areas answered changed")
    return moved


def uk_day(text: str | None) -> str | None:
    """An ISO date as "1 Apr 2026" (None when it is not a date)."""
    day = _date_or_none(text)
    return f"{day.day} {day:%b %Y}" if day else None
