"""Reads shared by several pages: what the database holds."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import case, exists, func, select

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


@dataclass(frozen=True)
class Holdings:
    """Whether the database holds any row of each kind the pages show: what an empty page says."""

    projects: bool
    milestones: bool
    recommendations: bool
    actions: bool
    saving_lines: bool
    kpi_values: bool
    constituency_values: bool
    ascof_values: bool
    board_meetings: bool
    audit_events: bool

    @property
    def programme(self) -> bool:
        """Anything of the programme itself (milestones, actions or savings) is recorded."""
        return self.milestones or self.actions or self.saving_lines


def holdings() -> Holdings:
    """One EXISTS per kind (each stops at its first row, however large the table), all in one
    statement: every page's layout asks, and ten round trips were about a quarter of drawing one."""
    comparator_areas = select(m.Area.id).where(m.Area.kind == "comparator")
    constituency_areas = select(m.Area.id).where(m.Area.kind == "constituency")
    kinds = {
        "projects": select(m.Project.id),
        "milestones": select(m.Milestone.id),
        "recommendations": select(m.Recommendation.id),
        "actions": select(m.ActionItem.id),
        "saving_lines": select(m.SavingLine.id),
        "kpi_values": select(m.KpiValue.id),
        "constituency_values": select(m.KpiValue.id).where(m.KpiValue.area_id.in_(constituency_areas)),
        "ascof_values": select(m.KpiValue.id).where(m.KpiValue.area_id.in_(comparator_areas)),
        "board_meetings": select(m.BoardMeeting.id),
        "audit_events": select(m.AuditEvent.id),
    }
    with session_scope() as db:
        found = db.execute(
            select(*(exists(statement).label(kind) for kind, statement in kinds.items()))
        ).one()
    return Holdings(**{kind: bool(value) for kind, value in found._mapping.items()})
