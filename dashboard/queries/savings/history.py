"""A saving line's history: its recorded changes and its confidence ratings over time."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from dashboard import models as m
from dashboard.db import session_scope
from dashboard.queries.audit import entity_history


def line_history(line_id: int, limit: int = 50) -> pd.DataFrame:
    """A saving line's recorded changes, newest first."""
    return entity_history("saving_line", line_id, limit)


def confidence_history(line_id: int) -> pd.DataFrame:
    """The line's confidence ratings over time, oldest first: the loaded value, then each change.

    One row per saved version that changed the rating or its reason (from the audit trail).
    """
    with session_scope() as db:
        line = db.get(m.SavingLine, line_id)
        if line is None:
            return pd.DataFrame(columns=["at", "username", "confidence", "reason", "version"])
        events = db.execute(
            select(
                m.AuditEvent.at,
                m.AuditEvent.username,
                m.AuditEvent.field,
                m.AuditEvent.old_value,
                m.AuditEvent.new_value,
                m.AuditEvent.entity_version,
            )
            .where(
                m.AuditEvent.entity == "saving_line",
                m.AuditEvent.entity_id == line_id,
                m.AuditEvent.field.in_(("confidence", "confidence_reason")),
            )
            .order_by(m.AuditEvent.entity_version, m.AuditEvent.id)
        ).all()
        current = (line.confidence, line.confidence_reason)
    # Walk back from the current values to the first one, then forward to list each state.
    confidence, reason = current
    for event in reversed(events):
        if event.field == "confidence":
            confidence = event.old_value
        else:
            reason = event.old_value
    states = [{"at": None, "username": "loaded", "confidence": confidence, "reason": reason, "version": 1}]
    for event in events:
        if event.field == "confidence":
            confidence = event.new_value
        else:
            reason = event.new_value
        state = {
            "at": event.at,
            "username": event.username,
            "confidence": confidence,
            "reason": reason,
            "version": event.entity_version,
        }
        if states[-1]["version"] == event.entity_version and states[-1]["at"] is not None:
            states[-1] = state
        else:
            states.append(state)
    # Kept as objects: pandas would turn the loaded rating's missing time into NaT among the datetimes.
    return pd.DataFrame(states, columns=["at", "username", "confidence", "reason", "version"], dtype=object)
