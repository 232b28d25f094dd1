"""Checking and applying a sheet of milestones: matched on project and title; a new one needs its
baseline end; updates obey the leads' rules (the RAG suggestion, a reason for overriding it)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard import models as m
from dashboard.domain.formatting import format_date
from dashboard.domain.rag import suggest_rag
from dashboard.queries.milestones.baselines import latest_baseline_first
from dashboard.services import rows
from dashboard.services.core import ValidationError
from dashboard.services.importer.cells import is_blank
from dashboard.services.importer.checking import (
    RAG_ALIASES,
    STATUS_ALIASES,
    CheckedRow,
    lookup_projects,
    project_cell,
)
from dashboard.services.importer.plans import RowPlan, audit_new, next_key, update_plan
from dashboard.services.importer.reading import Problem, Table
from dashboard.services.milestones import (
    MILESTONE,
    MILESTONE_FIELDS,
    validate_milestone_values,
)

# What a row may set on a milestone: the leads' fields, and its owner.
MILESTONE_UPDATABLE = ("owner", *MILESTONE_FIELDS)


def _latest_baseline_dates(db: Session, milestone_ids: list[int]) -> dict[int, tuple]:
    found = db.execute(
        select(m.MilestoneBaseline.milestone_id, m.MilestoneBaseline.start_date, m.MilestoneBaseline.end_date)
        .join(m.Baseline, m.Baseline.id == m.MilestoneBaseline.baseline_id)
        .where(m.MilestoneBaseline.milestone_id.in_(milestone_ids))
        .order_by(*latest_baseline_first())
    ).all()
    latest: dict[int, tuple] = {}
    for milestone_id, start, end in found:
        latest.setdefault(milestone_id, (start, end))
    return latest


def check_milestones(db: Session, table: Table, problems: list[Problem], today: dt.date) -> list[RowPlan]:
    projects = lookup_projects(db)
    existing = {
        (milestone.project_id, milestone.title.strip().lower()): milestone
        for milestone in db.scalars(select(m.Milestone)).all()
    }
    baselines = _latest_baseline_dates(db, [milestone.id for milestone in existing.values()])
    seen: dict = {}
    plans = []
    for number, values in table.rows:
        row = CheckedRow(table, number, values, problems)
        project = project_cell(row, projects, required=True)
        title = row.text("title", 300, "Enter the milestone's title")
        given = {
            "owner": row.text("owner", 120),
            "status": row.choice("status", m.MILESTONE_STATUSES, STATUS_ALIASES),
            "rag": row.choice("rag", m.RAG_VALUES, RAG_ALIASES),
            "rag_reason": row.text("rag_reason", 500, multiline=True),
            "percent_complete": row.percent("percent_complete"),
            "forecast_start": row.date("forecast_start"),
            "forecast_end": row.date("forecast_end", end=True),
            "actual_start": row.date("actual_start"),
            "actual_end": row.date("actual_end", end=True),
            "commentary": row.text("commentary", 2000, multiline=True),
        }
        baseline_start = row.date("baseline_start")
        baseline_end = row.date("baseline_end", end=True)
        if project is None or title is None:
            continue
        key = (project.id, title.lower())
        if not row.first_with(
            key, seen, "title", "already has this project and milestone: each milestone once"
        ):
            continue
        milestone = existing.get(key)
        given = {name: value for name, value in given.items() if value is not None}  # blanks never erase
        if milestone is None:
            before = {
                "owner": "",
                "status": "Not started",
                "rag": None,
                "rag_reason": None,
                "percent_complete": 0,
                "forecast_start": None,
                "forecast_end": None,
                "actual_start": None,
                "actual_end": None,
                "commentary": "",
            }
            if baseline_end is None and is_blank(values.get("baseline_end")):
                row.problem("baseline_end", "Enter the baseline end date: a new milestone needs one")
            if baseline_start and baseline_end and baseline_end < baseline_start:
                row.problem("baseline_end", "Baseline end must be the same as or after the baseline start")
            current_baseline_end = baseline_end
            before_rag = None
        else:
            if milestone.retired:
                row.problem(
                    "title", "This milestone is retired: restore it in the dashboard before importing it"
                )
                continue
            before = {name: getattr(milestone, name) for name in MILESTONE_UPDATABLE}
            current_baseline_end = baselines.get(milestone.id, (None, None))[1]
            before_rag = milestone.rag
        proposed = {**before, **given}
        if milestone is None and "forecast_end" not in given:
            proposed["forecast_start"] = proposed["forecast_start"] or baseline_start
            proposed["forecast_end"] = baseline_end
        suggested, _ = suggest_rag(
            proposed["status"], current_baseline_end, proposed["forecast_end"], proposed["actual_end"], today
        )
        try:
            cleaned = validate_milestone_values(
                proposed,
                today,
                suggested_rag=suggested,
                rag_changed=proposed["rag"] != before_rag,
                previous_reason=before.get("rag_reason"),
            )
        except ValidationError as exc:
            row.validation(exc)
            continue
        cleaned["owner"] = proposed["owner"] or ""
        cleaned["commentary"] = cleaned["commentary"] or ""
        after = {name: cleaned[name] for name in MILESTONE_UPDATABLE}
        if row.bad:
            continue
        label = f"{project.key} · {title}"
        if milestone is None:
            plans.append(
                RowPlan(
                    number,
                    label,
                    "new",
                    rows.changes(
                        {},
                        {
                            "title": title,
                            "baseline_start": baseline_start,
                            "baseline_end": baseline_end,
                            **after,
                        },
                    ),
                    _create_milestone(project, title, after, baseline_start, baseline_end),
                )
            )
            continue
        plans.append(update_plan(number, label, milestone, rows.changes(before, after), MILESTONE.name))
    return plans


def _create_milestone(project, title, after, baseline_start, baseline_end):
    def apply(db: Session, actor, state: dict) -> None:
        baseline = state.get(project.id)
        if baseline is None:
            baseline = db.scalars(
                select(m.Baseline)
                .where(m.Baseline.project_id == project.id)
                .order_by(*latest_baseline_first())
            ).first()
            if baseline is None:
                today = state["today"]
                baseline = m.Baseline(
                    project_id=project.id,
                    name=f"Imported {format_date(today)}",
                    baseline_date=today,
                    created_by=actor.username,
                    source="Imported from a spreadsheet",
                )
                db.add(baseline)
                db.flush()
            state[project.id] = baseline
        milestone = m.Milestone(
            key=next_key(state, project.key),
            project_id=project.id,
            title=title,
            source=state["source"],
            updated_by=actor.username,
            **after,
        )
        db.add(milestone)
        db.flush()
        db.add(
            m.MilestoneBaseline(
                baseline_id=baseline.id,
                milestone_id=milestone.id,
                start_date=baseline_start,
                end_date=baseline_end,
            )
        )
        values = {"title": title, **after, "baseline_start": baseline_start, "baseline_end": baseline_end}
        audit_new(db, actor, MILESTONE.name, milestone, values)

    return apply
