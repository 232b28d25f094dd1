"""KPIs page: the choices read as a URL is; an unknown or missing KPI falls back to the default."""

from __future__ import annotations

from dashboard.queries import kpis as kpi_queries
from dashboard.ui.components import chosen

FUNNEL_AREAS = ("barnet", "shropshire_p2p")


def kpi_filters(kpi, period, outcome) -> kpi_queries.KpiFilters:
    return kpi_queries.KpiFilters.from_query({"kpi": kpi, "period": period, "outcome": chosen(outcome)})


def chosen_kpi(kpi_code) -> dict:
    """The chosen KPI's details; an unknown or missing code falls back to the default KPI."""
    code = kpi_filters(kpi_code, None, None).kpi
    return kpi_queries.kpi_details(code) or kpi_queries.kpi_details(kpi_queries.DEFAULT_KPI)


def funnel_area(value) -> str:
    """The funnel's area: Barnet unless the browser sent the other one."""
    return value if value in FUNNEL_AREAS else "barnet"
