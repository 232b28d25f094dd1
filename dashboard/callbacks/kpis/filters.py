"""KPIs page: the choices read as a URL is; an unknown or missing KPI falls back to the default."""

from __future__ import annotations

from dashboard.queries import kpis as kpi_queries
from dashboard.ui.components import chosen

FUNNEL_AREAS = ("barnet", "shropshire_p2p")


def kpi_filters(kpi, period, outcome) -> kpi_queries.KpiFilters:
    return kpi_queries.KpiFilters.from_query({"kpi": kpi, "period": period, "outcome": chosen(outcome)})


def chosen_kpi(kpi_code) -> dict | None:
    """The chosen KPI's details; an unknown or missing code falls back to the default KPI, else to the
    first with constituency values; None when there is none to choose (no values recorded yet)."""
    code = kpi_filters(kpi_code, None, None).kpi
    found = kpi_queries.kpi_details(code) or kpi_queries.kpi_details(kpi_queries.DEFAULT_KPI)
    if found is None:
        options = kpi_queries.constituency_kpi_options()
        found = kpi_queries.kpi_details(options[0]["value"]) if options else None
    return found


def funnel_area(value) -> str:
    """The funnel's area: Barnet unless the browser sent the other one."""
    return value if value in FUNNEL_AREAS else "barnet"
