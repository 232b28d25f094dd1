"""Savings page: filters → URL, the totals, charts, tables, grid and at-risk list; a line's history."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qsl

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, ctx, html, no_update

from dashboard import clock, queries
from dashboard.auth import signed_in_user
from dashboard.callbacks import EVERYONE, callback, clientside
from dashboard.callbacks.common import editable_grid_rows
from dashboard.callbacks.grid_details import SHOW_DETAILS, row_details
from dashboard.callbacks.savings.filters import FILTER_INPUTS, filters_from_controls, one_organisation
from dashboard.callbacks.savings.tables import (
    PROJECTS_LISTED,
    SLIPPAGE_LISTED,
    benefits_table,
    bridge_table,
    projects_table,
    slippage_section,
    years_table,
)
from dashboard.callbacks.sections import PASS_WHEN_NEAR, WATCH_SECTIONS, passed, watched, when_near
from dashboard.domain.formatting import format_money
from dashboard.figures import savings as figures
from dashboard.queries import savings as saving_queries
from dashboard.queries import savings_summary
from dashboard.queries.params import ignore, row_id
from dashboard.reports import values
from dashboard.reports.tables import SAVING_LINE_GRID
from dashboard.ui.components import illustrative_marker, page_choices, page_count


def _card(label: str, value: str, tone: str = "secondary", card_id: str | None = None, extra=None) -> dbc.Col:
    return dbc.Col(
        dbc.Card(
            dbc.CardBody(
                [
                    html.Div(value, className="card-count", id=card_id),
                    html.Div(label, className="card-label"),
                    html.Div(extra, className="small") if extra else None,
                ]
            ),
            className=f"summary-card border-{tone}",
        ),
        xs=6,
        sm=4,
        md=3,
        xl="auto",
        className="mb-2",
    )


def summary_cards(sums: dict) -> dbc.Row:
    variance = sums["variance"]
    return dbc.Row(
        [
            _card("Target", format_money(sums["target"]), "primary", "sv-total-target"),
            _card("Forecast", format_money(sums["forecast"]), "info", "sv-total-forecast"),
            _card("Realised", format_money(sums["realised"]), "success", "sv-total-realised"),
            _card(
                "Variance (forecast − target)",
                format_money(variance),
                "danger" if variance < 0 else "success",
                "sv-total-variance",
                "Short of target" if variance < 0 else "On or above target",
            ),
            _card(
                "Confidence-weighted forecast",
                format_money(sums["weighted_forecast"]),
                "secondary",
                "sv-total-weighted",
            ),
            _card("Workforce (FTE)", f"{sums['fte']:,.0f}", "secondary", "sv-total-fte"),
            _card("Lines at risk from slippage", f"{sums['at_risk']:,}", "danger", "sv-total-at-risk"),
        ],
        className="g-2",
    )


def _float(value):
    return None if value is None else float(value)


def grid_rows(frame: pd.DataFrame, editable: set[int] | None = frozenset()) -> list[dict]:
    """The saving lines table's rows (`editable`: the projects the user may edit, None for all)."""
    return editable_grid_rows(frame, SAVING_LINE_GRID, editable, row_id=str)


def total_row(sums: dict) -> list[dict]:
    """The grid's pinned bottom row: every matching line's totals (one organisation's lines)."""
    return [
        {
            "id": "total",
            "fy_label": "Total",
            "description": f"{sums['lines']} line{'s' if sums['lines'] != 1 else ''}",
            "target": _float(sums["target"]),
            "plain_forecast": _float(sums["forecast"]),
            "realised": _float(sums["realised"]),
            "variance": _float(sums["variance"]),
            "weighted_forecast": _float(sums["weighted_forecast"]),
            "fte": sums["fte"] or None,
        }
    ]


def _history_view(line_id: int):
    states = saving_queries.confidence_history(line_id)
    items = []
    for state in states.to_dict("records"):
        when = (
            "As loaded from the seed data"
            if values.is_empty(state["at"])
            else f"{values.show(state['at'], values.DATETIME)} by {state['username']} (version {state['version']})"
        )
        items.append(
            html.Li(
                [
                    html.Strong(values.show(state["confidence"], values.CONFIDENCE, "Not rated")),
                    f" — {values.show(state['reason'], values.TEXT, 'no reason given')} · {when}",
                ]
            )
        )
    changes = saving_queries.line_history(line_id)
    change_items = [html.Li(values.change_line("saving_line", event)) for event in changes.itertuples()]
    return [
        html.H3("Confidence over time", className="h6"),
        html.Ol(items, id="sv-confidence-history"),
        html.H3("All changes", className="h6"),
        html.Ul(change_items)
        if change_items
        else html.P("No changes recorded since the seed data was loaded."),
    ]


@callback(
    Output("sv-url", "search"),
    Output("sv-cards", "children"),
    Output("sv-illustrative", "children"),
    Output("sv-cumulative", "figure"),
    Output("sv-cumulative-summary", "children"),
    Output("sv-years-table", "children"),
    Output("sv-later", "data"),
    Output("sv-grid", "dashGridOptions"),
    Output("sv-page", "options"),
    Output("sv-page", "value"),
    Output("sv-page-position", "children"),
    *FILTER_INPUTS,
    Input("sv-refresh", "data"),
    Input("sv-page", "value"),
    State("sv-grid", "dashGridOptions"),
    roles=EVERYONE,
)
def show_savings(org, programme, project, year, category, confidence, flags, _refresh, page, grid_options):
    filters = one_organisation(
        filters_from_controls(org, programme, project, year, category, confidence, flags)
    )
    # Any change but the page itself starts again at page 1; the first draw keeps the URL's page.
    if ctx.triggered_id in (None, "sv-page"):
        filters = replace(filters, page=saving_queries.SavingFilters.from_query({"page": page}).page)
    summary = savings_summary.summary(filters, listed=SLIPPAGE_LISTED, projects_listed=PROJECTS_LISTED)
    sums = summary.totals
    count = sums["lines"]
    per_page = saving_queries.LINES_PER_PAGE
    pages = page_count(count, per_page)
    if filters.page > pages:
        filters = replace(filters, page=pages)
    years = summary.by_year
    steps = summary.bridge
    note = None
    if summary.illustrative:
        note = html.P(
            [
                illustrative_marker(),
                " Targets and FTE are from the source documents; forecasts, realised amounts and "
                "confidence ratings are illustrative.",
            ],
            className="small mb-0",
        )
    options = dict(grid_options or {})
    options["pinnedBottomRowData"] = total_row(sums)
    position = ""
    if count > per_page:
        position = (
            f"Showing lines {(filters.page - 1) * per_page + 1:,}–{min(filters.page * per_page, count):,} "
            f"of {count:,}: choose another page, or narrow the filters. Totals, charts and the tables "
            "above count every matching line."
        )
    return (
        filters.query_string(),
        summary_cards(sums),
        note,
        figures.cumulative_chart(years),
        figures.cumulative_summary(years),
        years_table(years, sums),
        # Below the first screen: drawn once reached (SHOW_LATER), from what this one reading found.
        {
            "bridge": figures.bridge_chart(steps),
            "bridge_summary": figures.bridge_summary(steps),
            "bridge_table": bridge_table(steps),
            "projects": projects_table(summary.by_project, sums, summary.other_projects),
            "slippage": slippage_section(summary),
            "benefits": benefits_table(saving_queries.benefits(filters)),
        },
        options,
        page_choices(count, per_page, "lines", filters.page),
        str(filters.page),
        position,
    )


clientside(
    PASS_WHEN_NEAR,
    *when_near("sv-lines-wanted", "sv-lines-near", Input("sv-url", "search"), Input("sv-refresh", "data")),
    module=__name__,
)


@callback(
    Output("sv-grid", "rowData"),
    Output("sv-detail-select", "options"),
    Input("sv-lines-wanted", "data"),
    roles=EVERYONE,
    prevent_initial_call=True,
)
def show_saving_lines(wanted):
    """The page of lines the URL names (show_savings writes it: its filters, narrowed to one
    organisation, and a page that exists), passed on with each save once the section is near the
    screen (callbacks.sections)."""
    values = passed(wanted, 2)
    if values is None:
        return no_update, no_update
    search = values[0]
    query = dict(parse_qsl(search.lstrip("?"))) if isinstance(search, str) else {}
    filters = one_organisation(saving_queries.SavingFilters.from_query(query))
    shown = savings_summary.page_of_lines(filters, clock.today(), filters.page, saving_queries.LINES_PER_PAGE)
    line_options = [
        {
            "label": f"{saving_queries.line_label(row)} · {row['description'][:60]}",
            "value": str(int(row["id"])),
        }
        for row in shown[["id", "financial_year", "project", "category", "description"]].to_dict("records")
    ]
    return grid_rows(shown, queries.editable_project_ids(signed_in_user())), line_options


@callback(
    Output("sv-detail", "children"),
    Input("sv-detail-select", "value"),
    Input("sv-refresh", "data"),
    roles=EVERYONE,
    prevent_initial_call=True,
)
def show_saving_line_detail(line_id, _refresh):
    chosen = row_id(line_id)
    if chosen is None:
        if line_id not in (None, ""):
            ignore("saving line", line_id, "not a saving line's number")
        return None
    return _history_view(chosen)


# The bridge, the projects, the at-risk list and the benefits are read with the totals (one reading of
# the lines) and drawn when their part of the page comes near the screen: until then the browser holds
# them. Drawing the bridge (plotly measuring each step's name and amount) and those tables was about
# 100 ms of the page's settle, for parts most openings never scroll to.
LATER_PARTS = (
    ("sv-bridge", "figure", "bridge"),
    ("sv-bridge-summary", "children", "bridge_summary"),
    ("sv-bridge-table", "children", "bridge_table"),
    ("sv-projects-table", "children", "projects"),
    ("sv-slippage", "children", "slippage"),
    ("sv-benefits", "children", "benefits"),
)
# The bridge goes through assets/savingsBridge.js, which lays it out for a phone's width.
SHOW_LATER = (
    "function (later, near) {"
    " if (!later || near !== true) {"
    f" return Array({len(LATER_PARTS)}).fill(window.dash_clientside.no_update); }}"
    f" return {[key for _, _, key in LATER_PARTS]}.map(function (key) {{"
    " return key === 'bridge' && window.trackerBridgeForScreen"
    " ? window.trackerBridgeForScreen(later[key]) : later[key]; }); }"
)
clientside(
    SHOW_LATER,
    *[Output(component, prop) for component, prop, _ in LATER_PARTS],
    Input("sv-later", "data"),
    Input("sv-later-near", "data"),
    module=__name__,
)
# The cards and the years table have no height until the first answer: sections are watched from then.
clientside(WATCH_SECTIONS, *watched("sv-sections-watched", after=("sv-later", "data")), module=__name__)
clientside(SHOW_DETAILS, *row_details("sv-grid"), module=__name__, prevent_initial_call=True)
