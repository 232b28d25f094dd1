"""KPI values as entered: the latest entries and what a stored value is for."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from dashboard import models as m
from dashboard.db import session_scope


def kpi_value_history(limit: int = 20) -> pd.DataFrame:
    """The latest values entered through the form or upload (not the seed)."""
    with session_scope() as db:
        rows = db.execute(
            select(
                m.Kpi.code,
                m.Area.name,
                m.KpiValue.period_label,
                m.KpiValue.value,
                m.KpiValue.updated_by,
                m.KpiValue.updated_at,
            )
            .join(m.Kpi, m.Kpi.id == m.KpiValue.kpi_id)
            .join(m.Area, m.Area.id == m.KpiValue.area_id)
            .where(m.KpiValue.updated_by != "seed")
            .order_by(m.KpiValue.updated_at.desc(), m.KpiValue.id.desc())
            .limit(limit)
        ).all()
    return pd.DataFrame.from_records(
        [tuple(row) for row in rows], columns=["kpi", "area", "period", "value", "by", "at"]
    )


def kpi_value_label(value_id: int) -> dict | None:
    """What a stored KPI value is for, in the words the page uses: KPI code, area name, period."""
    with session_scope() as db:
        row = db.execute(
            select(m.Kpi.code, m.Area.name, m.KpiValue.period_label)
            .join(m.Kpi, m.Kpi.id == m.KpiValue.kpi_id)
            .join(m.Area, m.Area.id == m.KpiValue.area_id)
            .where(m.KpiValue.id == value_id)
        ).first()
    return None if row is None else {"kpi": row[0], "area": row[1], "period": row[2]}
