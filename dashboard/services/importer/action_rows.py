"""Checking and applying a sheet of actions: matched on recommendation and action, by the rules of
the action plan's own form (a complete action needs its evidence described)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard import models as m
from dashboard.services import actions as action_services
from dashboard.services import rows
from dashboard.services.actions import ACTION, validate_action_values
from dashboard.services.core import ValidationError
from dashboard.services.importer.cells import clean_cell
from dashboard.services.importer.checking import (
    RAG_ALIASES,
    STATUS_ALIASES,
    CheckedRow,
    lookup_projects,
    project_cell,
)
from dashboard.services.importer.plans import RowPlan, audit_new, next_key, update_plan
from dashboard.services.importer.reading import Problem, Table


def _recommendation_number(value) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_cell(str(value)).lower().removeprefix("recommendation").strip()


def check_actions(db: Session, table: Table, problems: list[Problem], today: dt.date) -> list[RowPlan]:
    projects = lookup_projects(db)
    recommendations = {rec.number.lower(): rec for rec in db.scalars(select(m.Recommendation)).all()}
    existing = {
        (a.recommendation_id, a.title.strip().lower()): a for a in db.scalars(select(m.ActionItem)).all()
    }
    seen: dict = {}
    plans = []
    for number, values in table.rows:
        row = CheckedRow(table, number, values, problems)
        rec_text = _recommendation_number(values.get("recommendation"))
        recommendation = recommendations.get(rec_text or "")
        if not rec_text:
            row.problem("recommendation", "Enter the recommendation number, for example 1 or 1a")
        elif recommendation is None:
            row.problem(
                "recommendation",
                f"There is no recommendation numbered “{rec_text[:10]}”: use 1, 1a, 1b or 2 to 6",
            )
        title = row.text("title", 500, "Enter the action")
        project = project_cell(row, projects, required=False)
        given = {
            "owner": row.text("owner", 120),
            "due_date": row.date("due_date", end=True),
            "status": row.choice("status", m.ACTION_STATUSES, STATUS_ALIASES),
            "rag": row.choice("rag", m.RAG_VALUES, RAG_ALIASES),
            "percent_complete": row.percent("percent_complete"),
            "evidence_summary": row.text("evidence", 2000, multiline=True),
        }
        if recommendation is None or title is None:
            continue
        key = (recommendation.id, title.lower())
        if not row.first_with(
            key, seen, "title", "already has this recommendation and action: each action once"
        ):
            continue
        action = existing.get(key)
        given = {name: value for name, value in given.items() if value is not None}
        if action is None:
            before = {
                "owner": "",
                "due_date": None,
                "status": "Not started",
                "rag": None,
                "percent_complete": 0,
                "evidence_summary": "",
                "areas": [],
                "project": None,
            }
            has_evidence = False
        else:
            before = {**action_services.snapshot(action), "project": action.project_id}
            has_evidence = bool(action.evidence_items)
        try:
            cleaned = validate_action_values({**before, **given}, has_evidence)
        except ValidationError as exc:
            row.validation(exc, {"evidence_summary": "evidence"})
            continue
        if row.bad:
            continue
        after = {
            name: cleaned[name]
            for name in ("owner", "due_date", "status", "rag", "percent_complete", "evidence_summary")
        }
        after["project"] = project.id if project is not None else before["project"]
        label = f"{recommendation.number} · {title}"
        if action is None:
            plans.append(
                RowPlan(
                    number,
                    label,
                    "new",
                    rows.changes({}, {"title": title, **after}),
                    _create_action(recommendation, title, after),
                )
            )
            continue
        plans.append(update_plan(number, label, action, rows.changes(before, after), ACTION.name))
    return plans


def _create_action(recommendation, title, after):
    def apply(db: Session, actor, state: dict) -> None:
        action = m.ActionItem(
            key=next_key(state, f"rec{recommendation.number}"),
            recommendation_id=recommendation.id,
            project_id=after["project"],
            title=title,
            owner=after["owner"],
            due_date=after["due_date"],
            status=after["status"],
            rag=after["rag"],
            percent_complete=after["percent_complete"],
            evidence=after["evidence_summary"],
            source=state["source"],
            updated_by=actor.username,
        )
        db.add(action)
        db.flush()
        audit_new(db, actor, ACTION.name, action, {"title": title, **after})

    return apply
