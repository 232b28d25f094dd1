"""Reads shared by several pages: what the database holds."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import case, func, select

from dashboard import models as m
from dashboard.db import session_scope

# What the overview's "what the database holds" table lists, in the users' words.
SUMMARY_ENTITIES = (
    ("Milestones", m.Milestone),
    ("Peer challenge recommendations", m.Recommendation),
    ("Action plan items", m.ActionItem),
    ("Saving lines", m.SavingLine),
    ("Benefits", m.Benefit),
    ("KPIs", m.Kpi),
    ("KPI values", m.KpiValue),
    ("Board meetings", m.BoardMeeting),
)


def database_summary() -> pd.DataFrame:
    """Rows per entity, split into rows the documents support and rows flagged illustrative."""
    records = []
    with session_scope() as db:
        for label, model in SUMMARY_ENTITIES:
            total, illustrative = db.execute(
                select(
                    func.count(), func.coalesce(func.sum(case((model.illustrative, 1), else_=0)), 0)
                ).select_from(model)
            ).one()
            records.append(
                {
                    "entity": label,
                    "rows": int(total),
                    "from_documents": int(total) - int(illustrative),
                    "illustrative": int(illustrative),
                }
            )
    return pd.DataFrame.from_records(records, columns=["entity", "rows", "from_documents", "illustrative"])
