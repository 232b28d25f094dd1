"""Transition performance dashboard writes: leads of the Transition project enter measures' values;
the programme office adds measures under an outcome and retires them. All audited.

A measure is a KPI, so a value is a KPI value for the city, checked by the KPI entry's own rules
(`services.kpis.check_row`) and kept in the KPI series table like any other.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from dashboard import clock, policy
from dashboard import models as m
from dashboard.auth import AuthorisationError, require_role
from dashboard.db import session_scope
from dashboard.domain.formatting import format_date
from dashboard.queries import params
from dashboard.queries.kpis.catalogue import CITY
from dashboard.queries.transition import COHORTS, MEASURE_UNITS, POLARITIES
from dashboard.services import kpis, rows
from dashboard.services.core import (
    ConflictError,
    NotFoundError,
    ValidationError,
    audit,
    chosen,
    clean_text,
    text_problem,
)

__all__ = [
    "ConflictError",
    "NotFoundError",
    "ValidationError",
    "add_measure",
    "add_measure_value",
    "retire_measure",
]

MEASURE = rows.Entity(
    m.TransitionMeasure,
    "transition_measure",
    "Transition measure",
    {"retired": "Retired"},
    denied="Only the programme office may change the Transition dashboard's measures.",
)
CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9()\-]{1,38}$")


def _whole_id(value) -> int | None:
    """A row id the database can hold (params.row_id), else None."""
    return params.row_id(value)


def add_measure_value(actor, measure_id, period, value, note=None, today: dt.date | None = None) -> int:
    """A lead of the Transition project (or an admin) enters one value of a measure for the city."""
    require_role(actor, *policy.EDITOR_ROLES)
    today = today or clock.today()
    errors: dict[str, str] = {}
    note_text = clean_text(note, "The note", "note", kpis.NOTE_MAX, errors)
    chosen_id = _whole_id(chosen(measure_id))
    with session_scope() as db:
        measure = db.get(m.TransitionMeasure, chosen_id) if chosen_id is not None else None
        if measure is None:
            errors["measure"] = "Choose the measure"
        elif not policy.may_edit_project(actor, measure.project):
            raise AuthorisationError("Only leads of the Transition project may enter its measures' values.")
        elif measure.retired:
            errors["measure"] = "This measure has been retired: choose one in use"
        clean = None
        if measure is not None:
            clean, problems = kpis.check_row(
                kpis.load_lookups(db), measure.kpi.code, CITY, period, value, today
            )
            for column, message in problems:
                errors.setdefault("measure" if column in ("kpi_code", "area") else column, message)
        if clean is not None and kpis.existing_value(db, clean["kpi"].id, clean["area"].id, clean["period"]):
            errors["period"] = (
                f"{measure.kpi.name} already has a value for {clean['period'].label}: "
                "correct that value on the KPIs page instead of adding another"
            )
        if errors:
            raise ValidationError(errors)
        try:
            row = kpis.insert_value(
                db, actor, clean, note_text, f"Entered by {actor.username} on {format_date(today)}"
            )
        except IntegrityError as exc:
            raise ValidationError({"period": "Someone has just entered a value for this period"}) from exc
        return row.id


def _number(raw, label: str, field: str, errors: dict[str, str], required: bool = False) -> float | None:
    if raw is None or str(raw).strip() == "":
        if required:
            errors[field] = f"Enter the {label}, a number"
        return None
    try:
        return kpis._number(raw)
    except (TypeError, ValueError):
        errors[field] = f"The {label} must be a number (it is “{str(raw).strip()[:40]}”)"
        return None


def add_measure(actor, outcome_id, values: dict) -> int:
    """The programme office adds a measure under an outcome: a new KPI and its place on the dashboard.

    `values`: code, name, definition, unit, polarity, target, tolerance, cohort, services.
    """
    require_role(actor, policy.ADMIN)
    errors: dict[str, str] = {}
    code_problem = text_problem(values.get("code"), "The code")
    code = "" if code_problem else str(values.get("code") or "").strip().upper()
    if code_problem:
        errors["code"] = code_problem
    elif not code:
        errors["code"] = "Enter a code for the measure, for example TR-SHORT-BREAKS"
    elif not CODE_PATTERN.match(code):
        errors["code"] = (
            "The code must be 2 to 39 capital letters, digits, hyphens or brackets, for example TR-SHORT-BREAKS"
        )
    name = clean_text(values.get("name"), "The name", "name", 200, errors)
    if not name and "name" not in errors:
        errors["name"] = "Enter the name of the measure"
    definition = clean_text(values.get("definition"), "The definition", "definition", 2000, errors)
    unit = chosen(values.get("unit"))
    if unit not in MEASURE_UNITS:
        errors["unit"] = "Choose whether the measure is a percentage or a number"
    polarity = chosen(values.get("polarity"))
    if polarity not in POLARITIES:
        errors["polarity"] = "Choose whether higher or lower is better"
    target = _number(values.get("target"), "target", "target", errors)
    tolerance = _number(values.get("tolerance"), "tolerance", "tolerance", errors)
    if unit == "percent" and target is not None and not 0 <= target <= 100:
        errors["target"] = "A percentage target must be between 0 and 100"
    if tolerance is not None and tolerance < 0:
        errors["tolerance"] = "The tolerance cannot be negative"
    if tolerance is not None and target is None and "target" not in errors:
        errors["target"] = "Enter the target the tolerance applies to, or leave the tolerance empty"
    cohort = chosen(values.get("cohort"))
    if cohort not in COHORTS:
        errors["cohort"] = "Choose the cohort the measure counts"
    services = clean_text(values.get("services"), "Kept by", "services", 200, errors)
    chosen_outcome = _whole_id(chosen(outcome_id))
    with session_scope() as db:
        outcome = db.get(m.TransitionOutcome, chosen_outcome) if chosen_outcome is not None else None
        if outcome is None:
            errors["outcome"] = "Choose the outcome the measure serves"
        if code and "code" not in errors and db.scalars(select(m.Kpi.id).where(m.Kpi.code == code)).first():
            errors["code"] = f"There is already a KPI with the code {code}: choose another"
        project = db.scalars(select(m.Project).where(m.Project.key == "transition")).first()
        if project is None:
            raise NotFoundError("The Transition project no longer exists.")
        if errors:
            raise ValidationError(errors)
        area = (
            "Cost and activity (Transition)"
            if outcome.kind == "cost_activity"
            else f"Transition: {outcome.name}"
        )
        kpi = m.Kpi(
            code=code,
            name=name,
            definition=definition,
            unit=unit,
            polarity=polarity,
            target=target,
            tolerance=tolerance,
            frequency="quarterly",
            outcome_area=area,
            values_source="entered",
            source=f"Added by {actor.username}",
            updated_by=actor.username,
        )
        last = max((row.sort_order for row in outcome.measures), default=0)
        measure = m.TransitionMeasure(
            key=code.lower(),
            outcome=outcome,
            kpi=kpi,
            project=project,
            cohort=cohort,
            services=services,
            sort_order=last + 1,
            source=f"Added by {actor.username}",
            updated_by=actor.username,
        )
        db.add_all([kpi, measure])
        db.flush()
        given = {
            "outcome": outcome.name,
            "code": code,
            "name": name,
            "unit": unit,
            "polarity": polarity,
            "target": target,
            "tolerance": tolerance,
            "cohort": cohort,
            "services": services or None,
        }
        for field, new in given.items():
            if new is not None:
                audit(
                    db,
                    actor,
                    "create",
                    MEASURE.name,
                    measure.id,
                    field,
                    None,
                    new,
                    project_id=project.id,
                    version=measure.version,
                )
        return measure.id


def retire_measure(actor, measure_id, expected_version) -> int:
    """The programme office takes a measure off the dashboard (its values stay); returns the version."""
    require_role(actor, policy.ADMIN)
    chosen_id = _whole_id(chosen(measure_id))
    version = params.whole_number(expected_version)
    if chosen_id is None or version is None:
        raise ValidationError({"measure": "Choose the measure to retire"})

    def edit(_db, row: m.TransitionMeasure) -> rows.Changes:
        if row.retired:
            raise ValidationError({"measure": "This measure is already retired"})
        row.retired = True
        return {"retired": (False, True)}

    return rows.update_row(actor, MEASURE, chosen_id, version, edit, action="retire")
