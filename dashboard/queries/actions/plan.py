"""The plan page's rows: the matching actions with their latest note, and the recommendations."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import func, select

from dashboard import models as m
from dashboard.db import session_scope
from dashboard.queries.actions.filters import (
    ACTIONS_PER_PAGE,
    ActionFilters,
    action_conditions,
    display_status,
    with_action_plan,
)

ACTION_COLUMNS = [
    "id",
    "key",
    "recommendation",
    "recommendation_text",
    "recommendation_order",
    "project_id",
    "project_parent_id",
    "project",
    "title",
    "owner",
    "due_date",
    "status",
    "rag",
    "percent_complete",
    "evidence",
    "evidence_status",
    "signed_off_by",
    "signed_off_at",
    "illustrative",
    "illustrative_note",
    "source",
    "version",
    "updated_by",
    "updated_at",
]


# An action's own columns, in the order the page's frame and the export file both use.
ACTION_ITEM_FIELDS = (
    m.ActionItem.title,
    m.ActionItem.owner,
    m.ActionItem.due_date,
    m.ActionItem.status,
    m.ActionItem.rag,
    m.ActionItem.percent_complete,
    m.ActionItem.evidence,
    m.ActionItem.evidence_status,
    m.ActionItem.signed_off_by,
    m.ActionItem.signed_off_at,
    m.ActionItem.illustrative,
    m.ActionItem.illustrative_note,
    m.ActionItem.source,
    m.ActionItem.version,
    m.ActionItem.updated_by,
    m.ActionItem.updated_at,
)


def action_items(
    filters: ActionFilters,
    today: dt.date,
    ids: list[int] | None = None,
    paged: bool = False,
    first: int | None = None,
) -> pd.DataFrame:
    """Actions matching `filters` (filtered in SQL), in the letter's order, with their latest note.

    With `paged`, only the filters' page of ACTIONS_PER_PAGE actions; with `first`, only the first
    `first` actions.
    """
    statement = select(
        m.ActionItem.id,
        m.ActionItem.key,
        m.Recommendation.number,
        m.Recommendation.text,
        m.Recommendation.sort_order,
        m.ActionItem.project_id,
        m.Project.parent_id,
        m.Project.name,
        *ACTION_ITEM_FIELDS,
    )
    statement = (
        with_action_plan(statement)
        .where(*action_conditions(filters, today, ids))
        .order_by(m.Recommendation.sort_order, m.ActionItem.due_date, m.ActionItem.id)
    )
    if paged:
        statement = statement.limit(ACTIONS_PER_PAGE).offset((filters.page - 1) * ACTIONS_PER_PAGE)
    elif first is not None:
        statement = statement.limit(first)
    with session_scope() as db:
        rows = db.execute(statement).all()
        action_ids = [row[0] for row in rows]
        latest = _latest_notes(db, action_ids)
        evidence_counts = dict(
            db.execute(
                select(m.ActionEvidence.action_item_id, func.count(m.ActionEvidence.id))
                .where(m.ActionEvidence.action_item_id.in_(action_ids))
                .group_by(m.ActionEvidence.action_item_id)
            ).all()
        )
    # Object columns throughout, so a missing value stays None as the database gave it (no NaN), without
    # converting column by column afterwards (that was most of this function's time).
    frame = pd.DataFrame([tuple(row) for row in rows], columns=ACTION_COLUMNS, dtype=object)

    def column(values: list) -> pd.Series:
        return pd.Series(values, index=frame.index, dtype=object)

    frame["display_status"] = column(
        [
            display_status(status, evidence)
            for status, evidence in zip(frame["status"], frame["evidence_status"], strict=True)
        ]
    )
    frame["overdue"] = [
        bool(status not in ("Complete", "Cancelled") and due is not None and due < today)
        for status, due in zip(frame["status"], frame["due_date"], strict=True)
    ]
    frame["latest_note_date"] = column([latest.get(i, (None, None, None))[0] for i in frame["id"]])
    frame["latest_note"] = column([latest.get(i, (None, None, None))[1] for i in frame["id"]])
    frame["latest_note_internal"] = [bool(latest.get(i, (None, None, False))[2]) for i in frame["id"]]
    frame["evidence_items"] = [int(evidence_counts.get(i, 0)) for i in frame["id"]]
    return frame


def _latest_notes(db, action_ids: list[int], public_only: bool = False) -> dict[int, tuple]:
    """Each action's newest note (by note date, then the order added): date, text, internal."""
    if not action_ids:
        return {}
    statement = select(
        m.ProgressNote.action_item_id, m.ProgressNote.note_date, m.ProgressNote.text, m.ProgressNote.internal
    ).where(m.ProgressNote.action_item_id.in_(action_ids))
    if public_only:
        statement = statement.where(m.ProgressNote.internal.is_(False))
    latest: dict[int, tuple] = {}
    for action_id, note_date, text, internal in db.execute(
        statement.order_by(m.ProgressNote.note_date, m.ProgressNote.id)
    ).all():
        latest[action_id] = (note_date, text, internal)
    return latest


def recommendations() -> pd.DataFrame:
    with session_scope() as db:
        parent = m.Recommendation.__table__.alias("parent")
        rows = db.execute(
            select(
                m.Recommendation.id,
                m.Recommendation.number,
                parent.c.number,
                m.Recommendation.text,
                m.Recommendation.source,
            )
            .outerjoin(parent, parent.c.id == m.Recommendation.parent_id)
            .order_by(m.Recommendation.sort_order)
        ).all()
    return pd.DataFrame.from_records(
        [tuple(row) for row in rows], columns=["id", "number", "parent_number", "text", "source"]
    )
