"""Checking and applying a sheet of KPI values: matched on KPI, area and period, by the same rules as
the KPI page's entry form and upload (`services.kpis`)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from dashboard.services import kpis as kpi_services
from dashboard.services import rows
from dashboard.services.importer.cells import shown_text
from dashboard.services.importer.checking import CheckedRow
from dashboard.services.importer.plans import IMPORT, RowPlan, update_plan
from dashboard.services.importer.reading import Problem, Table


def check_kpi_values(db: Session, table: Table, problems: list[Problem], today: dt.date) -> list[RowPlan]:
    lookups = kpi_services.load_lookups(db)
    seen: dict = {}
    plans = []
    for number, values in table.rows:
        row = CheckedRow(table, number, values, problems)
        # A date cell is named in a message as a person reads it (1 Nov 2019), never as Python writes it.
        cells = {
            name: shown_text(value) if isinstance(value, dt.date) else value for name, value in values.items()
        }
        clean, row_problems = kpi_services.check_row(
            lookups, cells.get("kpi_code"), cells.get("area"), cells.get("period"), cells.get("value"), today
        )
        for column, message in row_problems:
            row.problem(column, message)
        note = row.text("note", kpi_services.NOTE_MAX, multiline=True)
        if clean is None or row.bad:
            continue
        period = clean["period"]
        key = (clean["kpi"].id, clean["area"].id, period.start, period.end)
        already = f"already has {clean['kpi'].code}, {clean['area'].name}, {period.label}"
        if not row.first_with(key, seen, "period", already):
            continue
        existing = kpi_services.existing_value(db, clean["kpi"].id, clean["area"].id, period)
        label = f"{clean['kpi'].code} · {clean['area'].name} · {period.label}"
        after = {"value": clean["value"]}
        if note is not None:
            after["note"] = note
        if existing is None:
            plans.append(
                RowPlan(number, label, "new", rows.changes({}, after), _create_kpi_value(clean, note))
            )
            continue
        changes = rows.changes({"value": existing.value, "note": existing.note}, after)
        plans.append(update_plan(number, label, existing, changes, kpi_services.KPI_VALUE.name))
    return plans


def _create_kpi_value(clean, note):
    def apply(db: Session, actor, state: dict) -> None:
        kpi_services.insert_value(db, actor, clean, note, state["source"], action=IMPORT)

    return apply
