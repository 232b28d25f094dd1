"""KPIs page: choices → URL, the tile map and comparison, the SPC trends, exceptions, catalogue and funnel.

The page's sections are separate callbacks, so the browser asks for them side by side and a choice
redraws only what depends on it: the KPI and period redraw the map and comparison, the KPI the
trends, the outcome area the catalogue; the exceptions depend on no choice at all.
"""

from __future__ import annotations

from dash import Input, Output, State, ctx, html, no_update

from dashboard.callbacks import EVERYONE, callback, clientside
from dashboard.callbacks.grid_details import SHOW_DETAILS, row_details
from dashboard.callbacks.kpis.filters import chosen_kpi, funnel_area, kpi_filters
from dashboard.callbacks.kpis.rows import _records, access_panel, catalogue_grid_rows, funnel_rows, grid_rows
from dashboard.callbacks.kpis.summaries import (
    comparison_summary,
    exceptions_summary,
    funnel_summary,
    trends_summary,
)
from dashboard.callbacks.sections import WATCH_SECTIONS, is_near, watched
from dashboard.figures import kpis as kpi_figures
from dashboard.queries import kpis as kpi_queries
from dashboard.queries import self_assessment as self_assessment_queries
from dashboard.queries.kpis import attention as kpi_attention
from dashboard.queries.params import QueryParams
from dashboard.ui.components import illustrative_marker, page_choices, page_count

# What the comparison and the trends say when no KPI has values for the constituencies yet.
NO_CONSTITUENCY_VALUES = (
    "No KPI has values for the constituencies or the city's transition measures yet: enter them under "
    "Enter values below, or import KPI values on the Import page (KPI code, area, period and value)."
)
LAST_PAGE = 999_999  # a page number past this is no page of the exceptions at all


def table_toggled(details_id: str) -> bool:
    """True when the only change is the person opening or closing the table folded in `details_id`:
    the chart and summary beside it stay as they are, and only the table's rows are answered."""
    return set(ctx.triggered_prop_ids) == {f"{details_id}.open"}


def shown_rows(records: list[dict], table_open) -> list[dict] | None:
    """A folded table's rows: none (not read) while it is closed, so nobody's browser draws rows it
    cannot see."""
    return grid_rows(records) if table_open else None


@callback(
    Output("kpi-url", "search"),
    Output("kpi-period", "options"),
    Output("kpi-period", "value"),
    Output("kpi-definition", "children"),
    Output("kpi-map", "figure"),
    Output("kpi-map-summary", "children"),
    Output("kpi-comparison-grid-rows", "data"),
    Input("kpi-select", "value"),
    Input("kpi-period", "value"),
    Input("kpi-outcome", "value"),
    Input("kpi-refresh", "data"),
    Input("kpi-comparison-table", "open"),
    roles=EVERYONE,
)
def show_kpis(kpi_code, period, outcome, _refresh, table_open):
    if table_toggled("kpi-comparison-table") and not table_open:
        return (no_update,) * 7
    filters = kpi_filters(kpi_code, period, outcome)
    kpi = chosen_kpi(kpi_code)
    if kpi is None:
        return (
            "",
            [],
            None,
            "No KPI has constituency values yet.",
            kpi_figures.message_figure("No constituency values yet"),
            NO_CONSTITUENCY_VALUES,
            [],
        )
    labels = kpi_queries.periods(kpi["code"])
    # A period the KPI has no values for (e.g. after choosing another KPI) falls back to the latest.
    period_value = filters.period if filters.period in labels else (labels[0] if labels else None)
    filters = kpi_queries.KpiFilters(
        kpi=kpi["code"],
        period=None if period_value == (labels[0] if labels else None) else period_value,
        outcome_area=filters.outcome_area,
    )
    comparison = kpi_queries.constituency_comparison_records(kpi["code"], period_value, kpi, labels)
    unit_label = kpi_queries.UNIT_LABELS.get(kpi["unit"], kpi["unit"])
    target = (
        "no target"
        if kpi["target"] is None
        else f"target {kpi_figures.format_value(kpi['target'], kpi['unit'])}, "
        f"tolerance {kpi['tolerance'] or 0:g}"
    )
    definition = [
        html.Strong(kpi["name"]),
        f": {kpi['definition']} Unit: {unit_label}; {kpi['polarity']} is better; {target}; "
        f"{kpi['frequency']}.",
    ]
    if kpi["illustrative"] or any(record["illustrative"] for record in comparison):
        definition += [" ", illustrative_marker(kpi["source"] if kpi["illustrative"] else None)]
    if table_toggled("kpi-comparison-table"):
        return (*(no_update,) * 6, shown_rows(comparison, table_open))
    return (
        filters.query_string(),
        [{"label": label, "value": label} for label in labels],
        period_value,
        definition,
        kpi_figures.tile_map(comparison, kpi["unit"]),
        comparison_summary(comparison, kpi),
        shown_rows(comparison, table_open),
    )


@callback(
    Output("kpi-trends", "figure"),
    Output("kpi-trends-summary", "children"),
    Output("kpi-trends-grid-rows", "data"),
    Input("kpi-select", "value"),
    Input("kpi-refresh", "data"),
    Input("kpi-trends-table", "open"),
    roles=EVERYONE,
)
def show_kpi_trends(kpi_code, _refresh, table_open):
    toggled = table_toggled("kpi-trends-table")
    if toggled and not table_open:
        return no_update, no_update, no_update
    kpi = chosen_kpi(kpi_code)
    if kpi is None:
        return kpi_figures.message_figure("No values to chart yet"), NO_CONSTITUENCY_VALUES, []
    trends = kpi_queries.spc_trend_records(kpi["code"], kpi)
    if toggled:
        return no_update, no_update, shown_rows(trends, table_open)
    return (
        kpi_figures.spc_small_multiples(trends, kpi["name"], kpi["unit"]),
        trends_summary(trends),
        shown_rows(trends, table_open),
    )


@callback(
    Output("kpi-exceptions-summary", "children"),
    Output("kpi-exceptions-grid-rows", "data"),
    Output("kpi-exceptions-page", "options"),
    Output("kpi-exceptions-page", "value"),
    Input("kpi-exceptions-page", "value"),
    Input("kpi-refresh", "data"),
    Input("kpi-exc-near", "data"),
    roles=EVERYONE,
    prevent_initial_call=True,
)
def show_kpi_exceptions(page, _refresh, near):
    if not is_near(near):
        return (no_update,) * 4
    counts = kpi_queries.exception_counts()
    per_page = kpi_attention.EXCEPTIONS_PER_PAGE
    pages = page_count(counts.total, per_page)
    # After new values the list may have fewer pages than the one shown: the last is shown instead.
    page = min(QueryParams({"page": page}).page("page", LAST_PAGE), pages)
    exceptions = kpi_queries.exceptions(page)
    return (
        exceptions_summary(counts, page),
        _records(exceptions),
        page_choices(counts.total, per_page, "exceptions", page),
        str(page),
    )


@callback(
    Output("kpi-catalogue-summary", "children"),
    Output("kpi-catalogue-grid-rows", "data"),
    Input("kpi-outcome", "value"),
    Input("kpi-refresh", "data"),
    Input("kpi-cat-near", "data"),
    roles=EVERYONE,
    prevent_initial_call=True,
)
def show_kpi_catalogue(outcome, _refresh, near):
    if not is_near(near):
        return no_update, no_update
    outcome_area = kpi_filters(None, None, outcome).outcome_area
    catalogue = kpi_queries.kpi_catalogue_records(outcome_area)
    summary = (
        f"{len(catalogue)} KPIs"
        + (f" in {outcome_area}" if outcome_area else "")
        + f", {sum(1 for record in catalogue if record['illustrative'])} of them with illustrative values."
    )
    # The way back from a KPI to the self-assessment domains it evidences.
    domains = self_assessment_queries.domains_by_kpi()
    for record in catalogue:
        record["self_assessment"] = "; ".join(domains.get(record["code"], []))
    return summary, catalogue_grid_rows(catalogue)


@callback(
    Output("kpi-funnel", "figure"),
    Output("kpi-funnel-summary", "children"),
    Output("kpi-funnel-grid-rows", "data"),
    Output("kpi-access", "children"),
    Input("kpi-funnel-area", "value"),
    Input("kpi-refresh", "data"),
    Input("kpi-funnel-table", "open"),
    Input("kpi-fun-near", "data"),
    roles=EVERYONE,
    prevent_initial_call=True,
)
def show_funnel(area, _refresh, table_open, near):
    toggled = table_toggled("kpi-funnel-table")
    if (toggled and not table_open) or not is_near(near):
        return no_update, no_update, no_update, no_update
    area = funnel_area(area)
    label = "Barnet" if area == "barnet" else "Shropshire People2People"
    stages = kpi_queries.funnel(area)
    rows = _records(funnel_rows(stages)) if table_open else None
    if toggled:
        return no_update, no_update, rows, no_update
    return (
        kpi_figures.funnel_figure(stages, label),
        funnel_summary(stages, label),
        rows,
        access_panel(kpi_queries.birmingham_access()),
    )


clientside(WATCH_SECTIONS, *watched("kpi-sections-watched"), module=__name__)
# A table's grid is put on the page once it is wanted (a folded table opened, a section scrolled near),
# with the rows its callback sent to the table's store (none yet: the grid says it is loading), and is
# given each new set of rows after that (pages.kpis._grid_later).
MOUNT_TABLE = """
function (rows, wanted, template, mounted) {
  if ((!mounted && !wanted) || !template) { return window.dash_clientside.no_update; }
  var grid = template.props.children[0];
  var props = Object.assign({}, grid.props);
  if (rows === null || rows === undefined) { delete props.rowData; } else { props.rowData = rows; }
  var children = template.props.children.slice();
  children[0] = Object.assign({}, grid, {props: props});
  return Object.assign({}, template, {props: Object.assign({}, template.props, {children: children})});
}
"""
for _grid_id, _wanted in (
    ("kpi-comparison-grid", Input("kpi-comparison-table", "open")),
    ("kpi-trends-grid", Input("kpi-trends-table", "open")),
    ("kpi-funnel-grid", Input("kpi-funnel-table", "open")),
    ("kpi-exceptions-grid", Input("kpi-exc-near", "data")),
    ("kpi-catalogue-grid", Input("kpi-cat-near", "data")),
):
    clientside(
        MOUNT_TABLE,
        Output(f"{_grid_id}-slot", "children"),
        Input(f"{_grid_id}-rows", "data"),
        _wanted,
        State(f"{_grid_id}-template", "data"),
        State(f"{_grid_id}-slot", "children"),
        module=__name__,
    )

clientside(SHOW_DETAILS, *row_details("kpi-comparison-grid"), module=__name__, prevent_initial_call=True)
clientside(SHOW_DETAILS, *row_details("kpi-trends-grid"), module=__name__, prevent_initial_call=True)
clientside(SHOW_DETAILS, *row_details("kpi-exceptions-grid"), module=__name__, prevent_initial_call=True)
clientside(SHOW_DETAILS, *row_details("kpi-funnel-grid"), module=__name__, prevent_initial_call=True)
clientside(SHOW_DETAILS, *row_details("kpi-catalogue-grid"), module=__name__, prevent_initial_call=True)
