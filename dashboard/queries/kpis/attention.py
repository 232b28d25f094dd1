"""KPI exceptions (the KPIs needing attention): the paged list and its counts, from kpi_series."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Integer, case, func, select

from dashboard import models as m
from dashboard.db import session_scope

EXCEPTION_AREA_KINDS = ("constituency", "city", "team", "council")
EXCEPTION_COLUMNS = [
    "kpi",
    "kpi_name",
    "area",
    "latest_period",
    "latest_value",
    "target",
    "rag",
    "red_periods",
    "variation",
    "why",
    "illustrative",
]


EXCEPTIONS_PER_PAGE = 100  # rows the page's exceptions table holds at a time; downloads have them all


def _exception_conditions() -> tuple:
    return (m.KpiSeries.is_exception.is_(True), m.Area.kind.in_(EXCEPTION_AREA_KINDS))


def exceptions(page: int | None = None) -> pd.DataFrame:
    """KPIs Red for the latest two or more periods in a row, or whose latest point is special-cause concern.

    The longest-running Reds first. `page` reads one page of EXCEPTIONS_PER_PAGE rows; without it,
    every row (the board pack and the downloads). Read from kpi_series, which the write path keeps
    in step with every value (dashboard/services/kpi_series.py).
    """
    query = (
        select(
            m.Kpi.code,
            m.Kpi.name,
            m.Area.name,
            m.KpiSeries.latest_period,
            m.KpiSeries.latest_value,
            m.Kpi.target,
            m.KpiSeries.rag,
            m.KpiSeries.red_periods,
            m.KpiSeries.variation,
            m.KpiSeries.why,
            m.KpiSeries.illustrative,
        )
        .join(m.Kpi, m.Kpi.id == m.KpiSeries.kpi_id)
        .join(m.Area, m.Area.id == m.KpiSeries.area_id)
        .where(*_exception_conditions())
        .order_by(m.KpiSeries.red_periods.desc(), m.Kpi.code, m.Area.name)
    )
    if page is not None:
        query = query.limit(EXCEPTIONS_PER_PAGE).offset((max(page, 1) - 1) * EXCEPTIONS_PER_PAGE)
    with session_scope() as db:
        rows = db.execute(query).all()
    return pd.DataFrame.from_records([tuple(row) for row in rows], columns=EXCEPTION_COLUMNS)


@dataclass(frozen=True)
class ExceptionCounts:
    total: int  # KPI and area combinations needing attention
    red: int  # of them, Red for two or more periods in a row
    concern: int  # of them, special-cause concern at the latest point
    kpis: list[str]  # the KPIs concerned, the longest-running Red first
    illustrative: bool  # any of them drawn from illustrative values


def exception_counts() -> ExceptionCounts:
    """The exceptions counted in SQL, over every row, without reading them."""
    red = func.sum(case((m.KpiSeries.red_periods >= 2, 1), else_=0))
    concern = func.sum(case((m.KpiSeries.variation == "concern", 1), else_=0))
    with session_scope() as db:
        by_kpi = db.execute(
            select(
                m.Kpi.code,
                func.count(),
                red,
                concern,
                func.max(m.KpiSeries.illustrative.cast(Integer)),
            )
            .join(m.Kpi, m.Kpi.id == m.KpiSeries.kpi_id)
            .join(m.Area, m.Area.id == m.KpiSeries.area_id)
            .where(*_exception_conditions())
            .group_by(m.Kpi.code)
            .order_by(func.max(m.KpiSeries.red_periods).desc(), m.Kpi.code)
        ).all()
    return ExceptionCounts(
        total=sum(int(row[1]) for row in by_kpi),
        red=sum(int(row[2]) for row in by_kpi),
        concern=sum(int(row[3]) for row in by_kpi),
        kpis=[row[0] for row in by_kpi],
        illustrative=any(int(row[4] or 0) for row in by_kpi),
    )
