"""KPIs page: each section's table as a download."""

from __future__ import annotations

import pandas as pd
from dash import Input, Output, State, ctx, no_update

from dashboard import clock
from dashboard.callbacks import EVERYONE, callback
from dashboard.callbacks.common import send_table
from dashboard.callbacks.kpis.filters import funnel_area, kpi_filters
from dashboard.callbacks.kpis.rows import funnel_rows
from dashboard.queries import kpis as kpi_queries
from dashboard.reports.download_tables import kpi_table

TABLES = ("comparison", "trends", "exceptions", "funnel", "catalogue")
TABLE_TITLES = {
    "comparison": "Constituency comparison",
    "trends": "KPI trends (SPC)",
    "exceptions": "KPI exceptions",
    "funnel": "Customer-journey funnel",
    "catalogue": "KPI catalogue",
}


def download_table(name: str, filters: kpi_queries.KpiFilters, area: str) -> pd.DataFrame:
    """The table behind a section, as a person reads it (named columns, Illustrative yes/no)."""
    if name == "comparison":
        frame = kpi_queries.constituency_comparison(filters.kpi, filters.period)
        frame.insert(0, "kpi", filters.kpi)
    elif name == "trends":
        frame = kpi_queries.spc_trends(filters.kpi)
        frame.insert(0, "kpi", filters.kpi)
    elif name == "exceptions":
        frame = kpi_queries.exceptions()
    elif name == "funnel":
        frame = funnel_rows(kpi_queries.funnel(area)).drop(columns=["derived", "source"])
        frame.insert(0, "area", area)
    else:
        frame = kpi_queries.kpi_catalogue(filters.outcome_area)
    return kpi_table(frame)


@callback(
    Output("kpi-download", "data"),
    *[Input(f"kpi-dl-{name}-{kind}", "n_clicks") for name in TABLES for kind in ("csv", "xlsx")],
    State("kpi-select", "value"),
    State("kpi-period", "value"),
    State("kpi-outcome", "value"),
    State("kpi-funnel-area", "value"),
    roles=EVERYONE,
    prevent_initial_call=True,
)
def download_kpis(*args):
    kpi_code, period, outcome, area = args[-4:]
    trigger = str(ctx.triggered_id or "")
    if not trigger.startswith("kpi-dl-"):
        return no_update
    name, kind = trigger[len("kpi-dl-") :].rsplit("-", 1)
    if name not in TABLES:
        return no_update
    table = download_table(name, kpi_filters(kpi_code, period, outcome), funnel_area(area))
    return send_table(table, kind, f"kpi-{name}-{clock.today().isoformat()}", TABLE_TITLES[name])
