"""The action plan as published on the council's website: no internal notes and no user names."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from dashboard import models as m
from dashboard.db import session_scope
from dashboard.queries.actions.filters import display_status
from dashboard.queries.actions.review import uk_day

PUBLISHED_COLUMNS = [
    "Recommendation",
    "Recommendation text",
    "Action",
    "Owner (role)",
    "Due date",
    "Status",
    "RAG",
    "% complete",
    "Latest progress",
    "Progress notes",
    "Evidence",
    "Last updated",
    "Illustrative data",
]


def published_plan(ids: list[int] | None = None) -> pd.DataFrame:
    """The action plan for the council's website: no internal notes and no user names."""
    with session_scope() as db:
        statement = (
            select(
                m.ActionItem.id,
                m.Recommendation.number,
                m.Recommendation.text,
                m.ActionItem.title,
                m.ActionItem.owner,
                m.ActionItem.due_date,
                m.ActionItem.status,
                m.ActionItem.evidence_status,
                m.ActionItem.rag,
                m.ActionItem.percent_complete,
                m.ActionItem.evidence,
                m.ActionItem.updated_at,
                m.ActionItem.illustrative,
            )
            .join(m.Recommendation, m.Recommendation.id == m.ActionItem.recommendation_id)
            .order_by(m.Recommendation.sort_order, m.ActionItem.due_date, m.ActionItem.id)
        )
        if ids is not None:
            statement = statement.where(m.ActionItem.id.in_(ids))
        rows = db.execute(statement).all()
        action_ids = [row[0] for row in rows]
        public_notes: dict[int, list[tuple]] = {}
        for action_id, note_date, text in db.execute(
            select(m.ProgressNote.action_item_id, m.ProgressNote.note_date, m.ProgressNote.text)
            .where(m.ProgressNote.action_item_id.in_(action_ids), m.ProgressNote.internal.is_(False))
            .order_by(m.ProgressNote.note_date.desc(), m.ProgressNote.id.desc())
        ).all():
            public_notes.setdefault(action_id, []).append((note_date, text))
        evidence_items: dict[int, list[str]] = {}
        for action_id, description, url in db.execute(
            select(m.ActionEvidence.action_item_id, m.ActionEvidence.description, m.ActionEvidence.url)
            .where(m.ActionEvidence.action_item_id.in_(action_ids))
            .order_by(m.ActionEvidence.added_at, m.ActionEvidence.id)
        ).all():
            evidence_items.setdefault(action_id, []).append(f"{description} ({url})" if url else description)
    records = []
    for row in rows:
        (action_id, number, rec_text, title, owner, due, status, evidence_status, rag, percent) = row[:10]
        evidence_summary, updated_at, illustrative = row[10:]
        notes = public_notes.get(action_id, [])
        evidence = "\n".join(
            [text for text in [evidence_summary] if text] + evidence_items.get(action_id, [])
        )
        records.append(
            (
                number,
                rec_text,
                title,
                owner,
                due,
                display_status(status, evidence_status),
                rag or "",
                int(percent or 0),
                f"{uk_day(notes[0][0].isoformat())}: {notes[0][1]}" if notes else "",
                "\n".join(f"{uk_day(day.isoformat())}: {text}" for day, text in notes),
                evidence,
                updated_at.date() if updated_at else None,
                "yes" if illustrative else "no",
            )
        )
    return pd.DataFrame.from_records(records, columns=PUBLISHED_COLUMNS)
