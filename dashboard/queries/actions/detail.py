"""One action's detail: its progress notes, evidence, change history, and whether a user may update it."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from dashboard import models as m
from dashboard import policy
from dashboard.db import session_scope
from dashboard.queries.audit import entity_history


def action_notes(action_id: int, include_internal: bool = True) -> pd.DataFrame:
    """An action's progress notes, newest first."""
    statement = select(
        m.ProgressNote.id,
        m.ProgressNote.note_date,
        m.ProgressNote.text,
        m.ProgressNote.internal,
        m.ProgressNote.author,
        m.ProgressNote.created_at,
    ).where(m.ProgressNote.action_item_id == action_id)
    if not include_internal:
        statement = statement.where(m.ProgressNote.internal.is_(False))
    with session_scope() as db:
        rows = db.execute(statement.order_by(m.ProgressNote.note_date.desc(), m.ProgressNote.id.desc())).all()
    return pd.DataFrame.from_records(
        [tuple(row) for row in rows], columns=["id", "note_date", "text", "internal", "author", "created_at"]
    )


def action_evidence(action_id: int) -> pd.DataFrame:
    with session_scope() as db:
        rows = db.execute(
            select(
                m.ActionEvidence.id,
                m.ActionEvidence.description,
                m.ActionEvidence.url,
                m.ActionEvidence.added_by,
                m.ActionEvidence.added_at,
            )
            .where(m.ActionEvidence.action_item_id == action_id)
            .order_by(m.ActionEvidence.added_at.desc(), m.ActionEvidence.id.desc())
        ).all()
    return pd.DataFrame.from_records(
        [tuple(row) for row in rows], columns=["id", "description", "url", "added_by", "added_at"]
    )


def user_can_update(user, project_id: int | None) -> bool:
    """For showing the forms only: services decide on the database row whatever this says."""
    if policy.is_admin(user):
        return True  # an action no project delivers included
    if project_id is None or not policy.is_editor(user):
        return False
    condition = policy.editable_projects_condition(user, m.Project.id)
    with session_scope() as db:
        return db.scalar(select(m.Project.id).where(m.Project.id == project_id, condition)) is not None


def action_history(action_id: int, limit: int = 30) -> pd.DataFrame:
    return entity_history("action_item", action_id, limit)
