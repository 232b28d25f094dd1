"""The Transition performance dashboard (004 §5.2.6–5.2.7): each outcome's measures with their
latest value, RAG and SPC trend for the city, and the Transition milestones serving the outcome.

Measures are KPIs, so their values, RAG and trends are read exactly as the KPI page reads them
(`queries.kpis.trends.spc_trend_records`, the rules in `domain.kpi_rules`).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from dashboard import models as m
from dashboard import policy
from dashboard.db import session_scope
from dashboard.domain import kpi_rules
from dashboard.queries.kpis.catalogue import CITY, kpi_details
from dashboard.queries.kpis.trends import spc_trend_records

TRANSITION_PROJECT = "transition"
# The cohorts a measure may count: the phases of 004 §5.3.3–5.3.4.
COHORTS = ("14–17 (phase 1)", "18–25 (phase 2)", "14–25 (phases 1 and 2)", "0–25 (single model, year 2)")
MEASURE_UNITS = {"percent": "Percentage", "number": "Number"}
POLARITIES = {"higher": "Higher is better", "lower": "Lower is better"}


def _measure_record(measure: m.TransitionMeasure) -> dict:
    kpi = measure.kpi
    return {
        "id": measure.id,
        "key": measure.key,
        "version": measure.version,
        "code": kpi.code,
        "name": kpi.name,
        "definition": kpi.definition,
        "unit": kpi.unit,
        "polarity": kpi.polarity,
        "target": kpi.target,
        "tolerance": kpi.tolerance,
        "frequency": kpi.frequency,
        "cohort": measure.cohort,
        "services": measure.services,
        "value_format": measure.value_format,
        "source": measure.source,
        "illustrative": bool(measure.illustrative or kpi.illustrative),
        "illustrative_note": measure.illustrative_note,
        "retired": measure.retired,
    }


def _with_trend(record: dict) -> dict:
    """The measure's city series as the KPI page reads it: latest value, RAG, SPC variation."""
    kpi = {
        "polarity": record["polarity"],
        "target": record["target"],
        "tolerance": record["tolerance"],
    }
    series = [row for row in spc_trend_records(record["code"], kpi) if row["area_key"] == CITY]
    present = [row for row in series if row["value"] is not None]
    latest = present[-1] if present else None
    special = [row["special_cause"] for row in series[-1:] if row["special_cause"]]
    return record | {
        "points": [(row["period_label"], row["value"]) for row in series],
        "latest_value": latest["value"] if latest else None,
        "latest_period": latest["period_label"] if latest else None,
        "rag": latest["rag"] if latest else None,
        "variation": latest["variation"] if latest else None,
        "special_cause": special[0] if special else None,
        "provisional": len(present) < kpi_rules.FEW_POINTS,
        "values_illustrative": any(row["illustrative"] for row in series),
    }


def outcomes(include_retired: bool = False) -> list[dict]:
    """Every outcome (the four, then cost and activity) with its measures and milestones."""
    with session_scope() as db:
        rows = db.scalars(
            select(m.TransitionOutcome)
            .options(
                selectinload(m.TransitionOutcome.measures).selectinload(m.TransitionMeasure.kpi),
                selectinload(m.TransitionOutcome.milestones),
            )
            .order_by(m.TransitionOutcome.sort_order, m.TransitionOutcome.id)
        ).all()
        result = []
        for outcome in rows:
            measures = sorted(outcome.measures, key=lambda row: (row.sort_order, row.id))
            milestones = sorted(
                (ms for ms in outcome.milestones if not ms.retired),
                key=lambda ms: (ms.forecast_end is None, ms.forecast_end, ms.title),
            )
            result.append(
                {
                    "id": outcome.id,
                    "key": outcome.key,
                    "name": outcome.name,
                    "kind": outcome.kind,
                    "source": outcome.source,
                    "measures": [
                        _measure_record(measure)
                        for measure in measures
                        if include_retired or not measure.retired
                    ],
                    "milestones": [
                        {
                            "key": ms.key,
                            "title": ms.title,
                            "status": ms.status,
                            "rag": ms.rag,
                            "forecast_end": ms.forecast_end,
                            "actual_end": ms.actual_end,
                            "illustrative": bool(ms.illustrative),
                        }
                        for ms in milestones
                    ],
                }
            )
    for outcome in result:
        outcome["measures"] = [_with_trend(record) for record in outcome["measures"]]
    return result


def outcome_choices() -> list[dict[str, str]]:
    with session_scope() as db:
        rows = db.execute(
            select(m.TransitionOutcome.id, m.TransitionOutcome.name).order_by(m.TransitionOutcome.sort_order)
        ).all()
    return [{"label": name, "value": str(outcome_id)} for outcome_id, name in rows]


def measure_choices(user=None, *, editable_only: bool = False) -> list[dict[str, str]]:
    """The measures in use, as select choices; with `editable_only`, those `user` may enter values for."""
    statement = (
        select(m.TransitionMeasure.id, m.Kpi.code, m.Kpi.name, m.TransitionOutcome.name)
        .join(m.Kpi, m.Kpi.id == m.TransitionMeasure.kpi_id)
        .join(m.TransitionOutcome, m.TransitionOutcome.id == m.TransitionMeasure.outcome_id)
        .where(m.TransitionMeasure.retired.is_(False))
        .order_by(m.TransitionOutcome.sort_order, m.TransitionMeasure.sort_order, m.TransitionMeasure.id)
    )
    if editable_only:
        statement = statement.where(policy.editable_projects_condition(user, m.TransitionMeasure.project_id))
    with session_scope() as db:
        rows = db.execute(statement).all()
    return [
        {"label": f"{outcome}: {name} ({code})", "value": str(measure_id)}
        for measure_id, code, name, outcome in rows
    ]


def measure_version(measure_id: int) -> dict | None:
    """The measure a form opened: its id, version and name, or None when there is none."""
    with session_scope() as db:
        measure = db.get(m.TransitionMeasure, measure_id)
        if measure is None:
            return None
        return {
            "id": measure.id,
            "version": measure.version,
            "name": measure.kpi.name,
            "retired": measure.retired,
        }


def outcomes_for_milestone(milestone_key: str) -> list[str]:
    """The outcomes a milestone serves (the way back from a milestone to the dashboard)."""
    with session_scope() as db:
        rows = db.scalars(
            select(m.TransitionOutcome.name)
            .join(m.TransitionOutcome.milestones)
            .where(m.Milestone.key == milestone_key)
            .order_by(m.TransitionOutcome.sort_order)
        ).all()
    return list(rows)


def measure_trend(measure_id: int) -> tuple[dict, list[dict]] | None:
    """A measure's KPI and its city series with the SPC statistics the KPI page charts."""
    with session_scope() as db:
        measure = db.get(m.TransitionMeasure, measure_id)
        code = measure.kpi.code if measure is not None else None
        value_format = measure.value_format if measure is not None else "unit"
    kpi = kpi_details(code) if code else None
    if kpi is None:
        return None
    series = [row for row in spc_trend_records(code, kpi) if row["area_key"] == CITY]
    return kpi | {"value_format": value_format}, series
