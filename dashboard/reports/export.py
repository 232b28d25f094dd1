"""`export DIR`: one CSV per entity, readable in Excel (names beside ids, ISO dates, pounds)."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Select, select
from sqlalchemy.orm import aliased

from dashboard import models as m
from dashboard.db import session_scope
from dashboard.domain.formatting import financial_year_label
from dashboard.queries.actions.plan import ACTION_ITEM_FIELDS
from dashboard.queries.audit import AUDIT_EVENT_FIELDS
from dashboard.queries.milestones.baselines import chosen_baseline_dates
from dashboard.queries.milestones.plan import MILESTONE_PLAN_FIELDS, MILESTONE_RECORD_FIELDS, with_plan
from dashboard.queries.savings.benefits import BENEFIT_TARGET_FIELDS, with_benefit_plan
from dashboard.queries.savings.lines import SAVING_LINE_FIELDS, SAVING_LINE_RECORD_FIELDS, with_line_plan

# Spreadsheet programs run cells that start with these as formulas; a leading ' makes them text.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def excel_safe_text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    if isinstance(value, str):
        return excel_safe_text(value)
    return value


def _milestones() -> Select:
    """Every milestone, retired ones too, with its latest baseline's dates: the milestones page's joins."""
    latest = chosen_baseline_dates("latest")
    statement = with_plan(
        select(
            m.Milestone.id,
            m.Milestone.key,
            m.Programme.name.label("programme"),
            m.Project.name.label("project"),
            *MILESTONE_PLAN_FIELDS,
            latest.c.baseline_name,
            latest.c.baseline_start,
            latest.c.baseline_end,
            *MILESTONE_RECORD_FIELDS,
        )
    )
    return latest.joined(statement).order_by(m.Programme.name, m.Project.name, m.Milestone.id)


def _milestone_baselines() -> Select:
    return (
        select(
            m.Milestone.key.label("milestone_key"),
            m.Milestone.title.label("milestone"),
            m.Project.name.label("project"),
            m.Baseline.name.label("baseline"),
            m.Baseline.baseline_date,
            m.MilestoneBaseline.start_date.label("baseline_start"),
            m.MilestoneBaseline.end_date.label("baseline_end"),
        )
        .join(m.Milestone, m.Milestone.id == m.MilestoneBaseline.milestone_id)
        .join(m.Baseline, m.Baseline.id == m.MilestoneBaseline.baseline_id)
        .join(m.Project, m.Project.id == m.Milestone.project_id)
        .order_by(m.Project.name, m.Milestone.id, m.Baseline.baseline_date)
    )


def _actions() -> Select:
    return (
        select(
            m.ActionItem.id,
            m.ActionItem.key,
            m.Recommendation.number.label("recommendation"),
            m.Recommendation.text.label("recommendation_text"),
            m.Project.name.label("delivered_by_project"),
            *ACTION_ITEM_FIELDS,
        )
        .join(m.Recommendation, m.Recommendation.id == m.ActionItem.recommendation_id)
        .outerjoin(m.Project, m.Project.id == m.ActionItem.project_id)
        .order_by(m.Recommendation.sort_order, m.ActionItem.id)
    )


def _progress_notes() -> Select:
    return (
        select(
            m.ProgressNote.id,
            m.ActionItem.key.label("action_key"),
            m.ActionItem.title.label("action"),
            m.ProgressNote.note_date,
            m.ProgressNote.text,
            m.ProgressNote.internal,
            m.ProgressNote.author,
            m.ProgressNote.illustrative,
        )
        .join(m.ActionItem, m.ActionItem.id == m.ProgressNote.action_item_id)
        .order_by(m.ActionItem.id, m.ProgressNote.note_date)
    )


def _savings() -> Select:
    """Every saving line with its programme, project and milestone: the savings page's joins."""
    return with_line_plan(
        select(
            m.SavingLine.id,
            m.SavingLine.key,
            m.Programme.name.label("programme"),
            m.Project.name.label("project"),
            *SAVING_LINE_FIELDS,
            m.Milestone.title.label("depends_on_milestone"),
            *SAVING_LINE_RECORD_FIELDS,
        )
    ).order_by(m.Programme.name, m.Project.name, m.SavingLine.financial_year, m.SavingLine.id)


def _kpis() -> Select:
    return select(
        m.Kpi.id,
        m.Kpi.code,
        m.Kpi.name,
        m.Kpi.definition,
        m.Kpi.unit,
        m.Kpi.polarity,
        m.Kpi.target,
        m.Kpi.tolerance,
        m.Kpi.frequency,
        m.Kpi.outcome_area,
        m.Kpi.values_source,
        m.Kpi.source,
    ).order_by(m.Kpi.code)


def _kpi_values() -> Select:
    return (
        select(
            m.KpiValue.id,
            m.Kpi.code.label("kpi_code"),
            m.Kpi.name.label("kpi_name"),
            m.Kpi.unit,
            m.Area.name.label("area"),
            m.Area.kind.label("area_kind"),
            m.KpiValue.period_label.label("period"),
            m.KpiValue.period_start,
            m.KpiValue.period_end,
            m.KpiValue.value,
            m.KpiValue.note,
            m.KpiValue.illustrative,
            m.KpiValue.source,
        )
        .join(m.Kpi, m.Kpi.id == m.KpiValue.kpi_id)
        .join(m.Area, m.Area.id == m.KpiValue.area_id)
        .order_by(m.Kpi.code, m.KpiValue.period_start, m.Area.name)
    )


def _benefits() -> Select:
    """Every benefit with its project and KPI: the benefits register's joins."""
    return with_benefit_plan(
        select(
            m.Benefit.id,
            m.Benefit.key,
            m.Project.name.label("project"),
            m.Benefit.name,
            m.Benefit.owner,
            m.Kpi.code.label("kpi_code"),
            *BENEFIT_TARGET_FIELDS,
        )
    ).order_by(m.Benefit.id)


def _recommendations() -> Select:
    parent = aliased(m.Recommendation)
    return (
        select(
            m.Recommendation.number,
            parent.number.label("parent_number"),
            m.Recommendation.text,
            m.Recommendation.source,
        )
        .outerjoin(parent, parent.id == m.Recommendation.parent_id)
        .order_by(m.Recommendation.sort_order)
    )


def _board_meetings() -> Select:
    return select(m.BoardMeeting.meeting_date, m.BoardMeeting.title, m.BoardMeeting.illustrative).order_by(
        m.BoardMeeting.meeting_date
    )


def _audit() -> Select:
    """The whole trail, oldest first, in the audit page's columns."""
    return (
        select(*AUDIT_EVENT_FIELDS)
        .outerjoin(m.Project, m.Project.id == m.AuditEvent.project_id)
        .order_by(m.AuditEvent.at, m.AuditEvent.id)
    )


EXPORTS = (
    ("milestones.csv", _milestones),
    ("milestone_baselines.csv", _milestone_baselines),
    ("actions.csv", _actions),
    ("progress_notes.csv", _progress_notes),
    ("recommendations.csv", _recommendations),
    ("savings.csv", _savings),
    ("benefits.csv", _benefits),
    ("kpis.csv", _kpis),
    ("kpi_values.csv", _kpi_values),
    ("board_meetings.csv", _board_meetings),
    ("audit.csv", _audit),
)

_FINANCIAL_YEAR_COLUMNS = {"financial_year"}
EXPORT_BATCH_ROWS = 2000


def export_csv(directory: Path) -> list[tuple[Path, int]]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    with session_scope() as db:
        for filename, statement in EXPORTS:
            # Streamed in batches (a server-side cursor on PostgreSQL): memory stays flat however
            # many rows the table holds.
            result = db.execute(statement().execution_options(yield_per=EXPORT_BATCH_ROWS))
            columns = list(result.keys())
            path = directory / filename
            rows = 0
            # utf-8-sig: Excel opens it with £ and – intact.
            with path.open("w", newline="", encoding="utf-8-sig") as handle:
                writer = csv.writer(handle)
                writer.writerow(columns)
                for row in result:
                    values = []
                    for column, value in zip(columns, row, strict=True):
                        if column in _FINANCIAL_YEAR_COLUMNS and value is not None:
                            value = financial_year_label(value)
                        values.append(_cell(value))
                    writer.writerow(values)
                    rows += 1
            written.append((path, rows))
    return written
