"""Saving lines and their measures: the matching lines read in SQL, then each line's rules applied."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import select

from dashboard import models as m
from dashboard import policy
from dashboard.db import session_scope
from dashboard.domain.formatting import as_date, financial_year_label
from dashboard.domain.savings import (
    ZERO,
    at_risk_from_slippage,
    money,
    plain_forecast,
    proposed_financial_year,
    weighted_forecast,
)
from dashboard.domain.values import is_missing
from dashboard.queries.milestones import PLAN_COLUMNS, current_end_expression, joined_to_plan
from dashboard.queries.savings.filters import CATEGORY_LABELS, SavingFilters, line_conditions

LINE_COLUMNS = [
    "id",
    "key",
    "organisation",
    "programme",
    "project_id",
    "project",
    "financial_year",
    "description",
    "category",
    "target",
    "forecast",
    "realised",
    "confidence",
    "confidence_reason",
    "fte",
    "milestone_id",
    "milestone_key",
    "milestone",
    "illustrative",
    "illustrative_note",
    "source",
    "version",
    "updated_by",
    "updated_at",
]


# A saving line's own columns either side of its milestone, in the order the page's frame and the export
# file both use.
SAVING_LINE_FIELDS = (
    m.SavingLine.financial_year,
    m.SavingLine.description,
    m.SavingLine.category,
    m.SavingLine.target,
    m.SavingLine.forecast,
    m.SavingLine.realised,
    m.SavingLine.confidence,
    m.SavingLine.confidence_reason,
    m.SavingLine.fte,
)
SAVING_LINE_RECORD_FIELDS = (
    m.SavingLine.illustrative,
    m.SavingLine.illustrative_note,
    m.SavingLine.source,
    m.SavingLine.version,
    m.SavingLine.updated_by,
    m.SavingLine.updated_at,
)


def with_line_plan(statement):
    """`statement` over saving lines joined to their project, programme and organisation, and to the
    milestone a line depends on where it has one."""
    return joined_to_plan(statement, m.SavingLine, m.SavingLine.project_id).outerjoin(
        m.Milestone, m.Milestone.id == m.SavingLine.depends_on_milestone_id
    )


def saving_lines(
    filters: SavingFilters, today: dt.date, ids: list[int] | None = None, editable_by=None
) -> pd.DataFrame:
    """Saving lines matching `filters` (filtered in SQL, except the at-risk flag), with measures.

    `editable_by` (a user) keeps only the lines of projects that user may edit, for an edit picker.
    """
    statement = with_line_plan(
        select(
            m.SavingLine.id,
            m.SavingLine.key,
            *PLAN_COLUMNS,
            *SAVING_LINE_FIELDS,
            m.SavingLine.depends_on_milestone_id,
            m.Milestone.key,
            m.Milestone.title,
            *SAVING_LINE_RECORD_FIELDS,
        )
    )
    conditions = line_conditions(filters)
    if ids is not None:
        conditions.append(m.SavingLine.id.in_(ids))
    if editable_by is not None:
        conditions.append(policy.editable_projects_condition(editable_by, m.SavingLine.project_id))
    statement = statement.where(*conditions).order_by(
        m.SavingLine.financial_year, m.Programme.name, m.Project.name, m.SavingLine.id
    )
    with session_scope() as db:
        rows = db.execute(statement).all()
    frame = pd.DataFrame.from_records([tuple(row) for row in rows], columns=LINE_COLUMNS)
    frame = add_saving_measures(frame, milestone_ends(frame["milestone_id"].dropna().tolist(), today))
    if filters.at_risk:
        frame = frame[frame["at_risk"]].reset_index(drop=True)
    return frame


def milestone_ends(milestone_ids: list, today: dt.date) -> dict[int, dt.date | None]:
    """Each milestone's current end date, as the milestones page computes it (baselines included).

    Read with the milestones page's own SQL expression for it, not its whole row and measures.
    """
    wanted = sorted({int(value) for value in milestone_ids})
    if not wanted:
        return {}
    with session_scope() as db:
        rows = db.execute(
            select(m.Milestone.id, current_end_expression().label("end")).where(m.Milestone.id.in_(wanted))
        ).all()
    # SQLite hands back the COALESCE of date columns as ISO text.
    return {int(milestone_id): as_date(end) for milestone_id, end in rows}


def add_saving_measures(frame: pd.DataFrame, ends: dict[int, dt.date | None]) -> pd.DataFrame:
    """Decimal amounts, variance, confidence weighting, slippage flag and re-phasing proposal."""
    frame = frame.copy()
    read = ["target", "forecast", "realised", "milestone_id", "financial_year", "confidence"]
    records = frame[read].to_dict("records")  # only the columns read: each column costs its boxing
    for column in ("target", "forecast", "realised"):
        frame[column] = pd.Series([money(r[column]) for r in records], dtype="object", index=frame.index)
    ends_column, risk, proposal, plain, weighted, variance, labels = [], [], [], [], [], [], []
    for record in records:
        milestone_id = record["milestone_id"]
        has_milestone = not is_missing(milestone_id)
        end = ends.get(int(milestone_id)) if has_milestone else None
        year = int(record["financial_year"])
        ends_column.append(end)
        risk.append(at_risk_from_slippage(year, record["confidence"], end))
        proposal.append(proposed_financial_year(year, record["confidence"], end))
        line_forecast = plain_forecast(record["target"], record["forecast"])
        plain.append(line_forecast)
        weighted.append(weighted_forecast(record["target"], record["forecast"], record["confidence"]))
        variance.append(line_forecast - (money(record["target"]) or ZERO))
        labels.append(financial_year_label(year))
    frame["fy_label"] = pd.Series(labels, dtype="object", index=frame.index)
    frame["milestone_end"] = pd.Series(ends_column, dtype="object", index=frame.index)
    frame["at_risk"] = pd.Series(risk, dtype="bool", index=frame.index)
    frame["proposed_year"] = pd.Series(proposal, dtype="object", index=frame.index)
    frame["plain_forecast"] = pd.Series(plain, dtype="object", index=frame.index)
    frame["weighted_forecast"] = pd.Series(weighted, dtype="object", index=frame.index)
    frame["variance"] = pd.Series(variance, dtype="object", index=frame.index)
    return frame


def line_label(row) -> str:
    """A line as people name it: "2026/27 · project · category"."""
    get = row.get if isinstance(row, dict) else row.__getitem__
    category = CATEGORY_LABELS.get(get("category"), get("category") or "Saving")
    return f"{financial_year_label(int(get('financial_year')))} · {get('project')} · {category}"
