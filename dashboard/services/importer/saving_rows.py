"""Checking and applying a sheet of savings: matched on project, financial year and description;
amounts as a finance team writes them (£1.2m, £654k, (500)), checked by the savings form's rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard import models as m
from dashboard.domain.formatting import financial_year_label
from dashboard.services import rows
from dashboard.services.core import ValidationError
from dashboard.services.importer.cells import is_blank, parse_financial_year, parse_money
from dashboard.services.importer.checking import CheckedRow, lookup_projects, project_cell, sentence
from dashboard.services.importer.plans import RowPlan, audit_new, next_key, update_plan
from dashboard.services.importer.reading import Problem, Table
from dashboard.services.savings import SAVING_LINE, validate_saving_values


def _money(row: CheckedRow, field_name: str) -> Decimal | None:
    try:
        amount = parse_money(row.values.get(field_name))
    except ValueError as exc:
        row.problem(field_name, sentence(str(exc)))
        return None
    if amount is not None and amount < 0:
        row.problem(field_name, "Must be £0 or more: savings are recorded as positive amounts")
        return None
    if amount is not None and amount != amount.quantize(Decimal("0.01")):
        row.problem(field_name, "Must be in pounds and pence, with no more than 2 decimal places")
        return None
    return amount


def check_savings(db: Session, table: Table, problems: list[Problem], today: dt.date) -> list[RowPlan]:
    projects = lookup_projects(db)
    existing = {
        (line.project_id, line.financial_year, line.description.strip().lower()): line
        for line in db.scalars(select(m.SavingLine)).all()
    }
    seen: dict = {}
    plans = []
    for number, values in table.rows:
        row = CheckedRow(table, number, values, problems)
        project = project_cell(row, projects, required=True)
        year = None
        if is_blank(values.get("financial_year")):
            row.problem("financial_year", "Enter the financial year, for example 2019/20")
        else:
            try:
                year = parse_financial_year(values.get("financial_year"))
            except ValueError as exc:
                row.problem("financial_year", str(exc))
        description = row.text("description", 300, "Enter a description of the saving")
        category = row.text("category", 40)
        target = _money(row, "target")
        if target is None and is_blank(values.get("target")):
            row.problem("target", "Enter the target in pounds, for example 654000, £654k or £1.2m")
        forecast, realised = _money(row, "forecast"), _money(row, "realised")
        confidence = row.choice("confidence", m.CONFIDENCE_LEVELS)
        reason = row.text("confidence_reason", 500, multiline=True)
        fte = None
        if not is_blank(values.get("fte")):
            try:
                fte = float(str(values.get("fte")).strip())
                if fte < 0 or fte != fte:
                    raise ValueError
            except ValueError:
                row.problem("fte", "FTE must be a number of full-time equivalent posts, 0 or more, like 3.5")
        if project is None or year is None or description is None or row.bad:
            continue
        key = (project.id, year, description.lower())
        if not row.first_with(key, seen, "description", "already has this project, year and description"):
            continue
        line = existing.get(key)
        if line is None:
            before = {
                "category": "",
                "target": None,
                "forecast": None,
                "realised": None,
                "confidence": None,
                "confidence_reason": None,
                "fte": None,
            }
        else:
            before = {
                "category": line.category,
                "target": line.target,
                "forecast": line.forecast,
                "realised": line.realised,
                "confidence": line.confidence,
                "confidence_reason": line.confidence_reason,
                "fte": line.fte,
            }
        given = {
            "category": category,
            "target": target,
            "forecast": forecast,
            "realised": realised,
            "confidence": confidence,
            "confidence_reason": reason,
            "fte": fte,
        }
        proposed = {**before, **{name: value for name, value in given.items() if value is not None}}
        try:
            cleaned = validate_saving_values(
                {
                    **proposed,
                    "financial_year": year,
                    **{
                        name: None if proposed[name] is None else format(proposed[name], "f")
                        for name in ("target", "forecast", "realised")
                    },
                },
                today,
            )
        except ValidationError as exc:
            row.validation(exc)
            continue
        after = {
            "category": proposed["category"] or "",
            "target": cleaned["target"],
            "forecast": cleaned["forecast"],
            "realised": cleaned["realised"],
            "confidence": cleaned["confidence"],
            "confidence_reason": cleaned["confidence_reason"],
            "fte": proposed["fte"],
        }
        label = f"{project.key} · {financial_year_label(year)} · {description}"
        if line is None:
            plans.append(
                RowPlan(
                    number,
                    label,
                    "new",
                    rows.changes({}, {"description": description, **after}),
                    _create_saving(project, year, description, after),
                )
            )
            continue
        plans.append(update_plan(number, label, line, rows.changes(before, after), SAVING_LINE.name))
    return plans


def _create_saving(project, year, description, after):
    def apply(db: Session, actor, state: dict) -> None:
        line = m.SavingLine(
            key=next_key(state, f"{project.key}-{year}"),
            project_id=project.id,
            financial_year=year,
            description=description,
            source=state["source"],
            updated_by=actor.username,
            **after,
        )
        db.add(line)
        db.flush()
        values = {"financial_year": financial_year_label(year), "description": description, **after}
        audit_new(db, actor, SAVING_LINE.name, line, values)

    return apply
