"""The KPI catalogue and the choices of KPI and area the page's selects offer."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from dashboard import models as m
from dashboard.db import session_scope

CITY = "birmingham"
NOT_CHOSEN = "-"  # a form select's "Choose …" entry (an empty value would show a blank select)
UNIT_LABELS = {
    "percent": "%",
    "number": "number",
    "rate_per_100k": "per 100,000",
    "score": "score",
    "days": "days",
}

CATALOGUE_COLUMNS = [
    "code",
    "name",
    "definition",
    "unit",
    "polarity",
    "target",
    "tolerance",
    "frequency",
    "outcome_area",
    "source",
    "values_source",
    "illustrative",
]


def kpi_catalogue(outcome_area: str | None = None) -> pd.DataFrame:
    return pd.DataFrame.from_records(kpi_catalogue_records(outcome_area), columns=CATALOGUE_COLUMNS)


def kpi_catalogue_records(outcome_area: str | None = None) -> list[dict]:
    """Every KPI (in one outcome area) as plain records, by outcome area and code."""
    statement = select(*(getattr(m.Kpi, column) for column in CATALOGUE_COLUMNS)).order_by(
        m.Kpi.outcome_area, m.Kpi.code
    )
    if outcome_area:
        statement = statement.where(m.Kpi.outcome_area == outcome_area)
    with session_scope() as db:
        rows = db.execute(statement).all()
    return [dict(zip(CATALOGUE_COLUMNS, row, strict=True)) for row in rows]


def kpi_details(code: str) -> dict | None:
    return kpis_details([code]).get(code)


def kpis_details(codes: list[str]) -> dict[str, dict]:
    """Each KPI's catalogue entry and id, by code (those of `codes` that exist)."""
    with session_scope() as db:
        kpis = db.scalars(select(m.Kpi).where(m.Kpi.code.in_(codes))).all()
        return {
            kpi.code: {column: getattr(kpi, column) for column in CATALOGUE_COLUMNS} | {"id": kpi.id}
            for kpi in kpis
        }


def outcome_areas() -> list[str]:
    with session_scope() as db:
        return list(db.scalars(select(m.Kpi.outcome_area).distinct().order_by(m.Kpi.outcome_area)).all())


def _has_values(area_condition):
    """A KPI has a value in an area meeting `area_condition`: asked per KPI through the (area, KPI)
    index on the values, where a join read every constituency value to list 223 KPIs (37 ms at the
    large size)."""
    return (
        select(m.KpiValue.kpi_id)
        .join(m.Area, m.Area.id == m.KpiValue.area_id)
        .where(m.KpiValue.kpi_id == m.Kpi.id, area_condition)
        .exists()
    )


def constituency_kpi_options() -> list[dict[str, str]]:
    """KPIs that have values for constituencies or the city over more than one period (for the views)."""
    with session_scope() as db:
        rows = db.execute(
            select(m.Kpi.code, m.Kpi.name, m.Kpi.illustrative)
            .where(_has_values(m.Area.kind == "constituency"))
            .order_by(m.Kpi.code)
        ).all()
        city = db.execute(
            select(m.Kpi.code, m.Kpi.name, m.Kpi.illustrative)
            .where(m.Kpi.code.like("TR-%"), _has_values(m.Area.key == CITY))
            .order_by(m.Kpi.code)
        ).all()
    seen, options = set(), []
    for code, name, _illustrative in [*rows, *city]:
        if code not in seen:
            seen.add(code)
            options.append({"label": f"{name} ({code})", "value": code})
    return options


def all_kpi_options() -> list[dict[str, str]]:
    with session_scope() as db:
        rows = db.execute(select(m.Kpi.code, m.Kpi.name).order_by(m.Kpi.code)).all()
    return [{"label": f"{code} · {name}", "value": code} for code, name in rows]


def area_options(kinds: tuple[str, ...] = ("constituency", "city", "team")) -> list[dict[str, str]]:
    with session_scope() as db:
        rows = db.execute(
            select(m.Area.key, m.Area.name, m.Area.kind).where(m.Area.kind.in_(kinds)).order_by(m.Area.name)
        ).all()
    return [{"label": name, "value": key} for key, name, _kind in rows]
