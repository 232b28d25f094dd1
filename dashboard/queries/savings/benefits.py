"""The benefits register: each benefit with its KPI's values and whether its target is met."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from dashboard import models as m
from dashboard.db import session_scope
from dashboard.domain.values import is_missing
from dashboard.queries.milestones import joined_to_plan, plan_conditions
from dashboard.queries.savings.filters import SavingFilters

# A benefit's baseline and target, in the order the register and the export file both use.
BENEFIT_TARGET_FIELDS = (
    m.Benefit.baseline_value,
    m.Benefit.baseline_label,
    m.Benefit.target_value,
    m.Benefit.target_label,
    m.Benefit.target_date,
    m.Benefit.illustrative,
    m.Benefit.source,
)


def with_benefit_plan(statement):
    """`statement` over benefits joined to their project, programme and organisation, and to the KPI
    that measures a benefit where it has one."""
    return joined_to_plan(statement, m.Benefit, m.Benefit.project_id).outerjoin(
        m.Kpi, m.Kpi.id == m.Benefit.kpi_id
    )


def benefits(filters: SavingFilters | None = None) -> pd.DataFrame:
    """The benefits register, each benefit with its KPI and every value recorded for that KPI."""
    filters = filters or SavingFilters()
    statement = with_benefit_plan(
        select(
            m.Benefit.id,
            m.Benefit.key,
            m.Organisation.key.label("organisation_key"),
            m.Organisation.name.label("organisation"),
            m.Programme.name.label("programme"),
            m.Project.name.label("project"),
            m.Benefit.name,
            m.Benefit.owner,
            m.Kpi.id.label("kpi_id"),
            m.Kpi.code.label("kpi_code"),
            m.Kpi.name.label("kpi_name"),
            m.Kpi.unit,
            m.Kpi.polarity,
            *BENEFIT_TARGET_FIELDS,
        )
    )
    conditions = plan_conditions(filters)
    with session_scope() as db:
        rows = (
            db.execute(statement.where(*conditions).order_by(m.Project.name, m.Benefit.id)).mappings().all()
        )
        kpi_ids = [row["kpi_id"] for row in rows if row["kpi_id"] is not None]
        values = (
            db.execute(
                select(
                    m.KpiValue.kpi_id,
                    m.Area.key,
                    m.Area.name,
                    m.KpiValue.period_label,
                    m.KpiValue.period_end,
                    m.KpiValue.value,
                    m.KpiValue.illustrative,
                )
                .join(m.Area, m.Area.id == m.KpiValue.area_id)
                .where(m.KpiValue.kpi_id.in_(kpi_ids))
                .order_by(m.KpiValue.period_end, m.Area.name)
            ).all()
            if kpi_ids
            else []
        )
    by_kpi: dict[int, list[dict]] = {}
    for kpi_id, area_key, area, period, period_end, value, illustrative in values:
        by_kpi.setdefault(kpi_id, []).append(
            {
                "area_key": area_key,
                "area": area,
                "period": period,
                "period_end": period_end,
                "value": value,
                "illustrative": illustrative,
            }
        )
    records = []
    for row in rows:
        record = dict(row)
        kpi_values = by_kpi.get(row["kpi_id"], [])
        record["kpi_values"] = kpi_values
        own = [v for v in kpi_values if v["area_key"] == row["organisation_key"] and v["value"] is not None]
        latest = own[-1] if own else None
        record["latest_value"] = latest["value"] if latest else None
        record["latest_period"] = latest["period"] if latest else None
        record["target_met"] = benefit_target_met(latest["value"] if latest else None, row)
        records.append(record)
    columns = [
        "id",
        "key",
        "organisation_key",
        "organisation",
        "programme",
        "project",
        "name",
        "owner",
        "kpi_id",
        "kpi_code",
        "kpi_name",
        "unit",
        "polarity",
        "baseline_value",
        "baseline_label",
        "target_value",
        "target_label",
        "target_date",
        "illustrative",
        "source",
        "kpi_values",
        "latest_value",
        "latest_period",
        "target_met",
    ]
    return pd.DataFrame(records, columns=columns)


def benefit_target_met(value, benefit) -> bool | None:
    """Whether a KPI value meets the benefit's target, by the KPI's polarity (None: not known)."""
    target = benefit["target_value"]
    if value is None or is_missing(target):
        return None
    if benefit["polarity"] == "higher":
        return value >= target
    return value <= target
