"""Milestones page: filters → URL, the cards, the Gantt and its table, and the table's downloads."""

from __future__ import annotations

from urllib.parse import parse_qs

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, ctx, dcc, html, no_update

from dashboard import clock, queries
from dashboard.auth import signed_in_user
from dashboard.callbacks import EVERYONE, callback, clientside
from dashboard.callbacks.common import editable_grid_rows, send_table, shown_ids
from dashboard.callbacks.grid_details import SHOW_DETAILS, row_details
from dashboard.callbacks.milestones.plan_list import plan_list
from dashboard.callbacks.sections import PASS_WHEN_NEAR, WATCH_SECTIONS, passed, watched, when_near
from dashboard.figures import gantt as figures
from dashboard.figures import gantt_rows
from dashboard.queries.params import row_id, ticked
from dashboard.reports.tables import MILESTONE_GRID, MILESTONES
from dashboard.ui.components import chosen, illustrative_marker, page_choices, page_count

FILTER_INPUTS = [
    Input("ms-filter-org", "value"),
    Input("ms-filter-programme", "value"),
    Input("ms-filter-project", "value"),
    Input("ms-filter-status", "value"),
    Input("ms-filter-rag", "value"),
    Input("ms-filter-owner", "value"),
    Input("ms-filter-search", "value"),
    Input("ms-filter-due", "value"),
    Input("ms-filter-baseline", "value"),
    Input("ms-filter-flags", "value"),
]
FILTER_STATES = [State(item.component_id, item.component_property) for item in FILTER_INPUTS]


def filters_from_controls(org, programme, project, status, rag, owner, search, due, baseline, flags):
    """The same parsing as a URL, so a control can never set a filter a link could not."""
    flags = ticked(flags)
    org, programme, project, status, rag, owner = map(chosen, (org, programme, project, status, rag, owner))
    return queries.MilestoneFilters.from_query(
        {
            "org": org,
            "programme": programme,
            "project": project,
            "status": status,
            "rag": rag,
            "owner": owner,
            "q": search,
            "due_within": str(due) if due not in (None, "") else None,
            "baseline": baseline or "latest",
            "overdue": "1" if "overdue" in flags else None,
            "stale": "1" if "stale" in flags else None,
            "owed": "1" if "owed" in flags else None,
            "open": "1" if "open" in flags else None,
            "retired": "1" if "retired" in flags else None,
        }
    )


def _card(label: str, count: int, href: str, tone: str = "secondary", extra: str | None = None) -> dbc.Col:
    return dbc.Col(
        dcc.Link(
            dbc.Card(
                dbc.CardBody(
                    [
                        html.Div(f"{count:,}", className="card-count"),
                        html.Div(label, className="card-label"),
                        html.Div(extra, className="small") if extra else None,
                    ]
                ),
                className=f"summary-card border-{tone}",
            ),
            href=href,
            className="text-decoration-none summary-card-link",
            title=f"Show {label.lower()}",
        ),
        xs=6,
        sm=4,
        md=3,
        xl="auto",
        className="mb-2",
    )


def summary_cards(counts: dict[str, int], filters: queries.MilestoneFilters) -> list:
    """Cards counting every milestone the filters match (all pages), each a link to its filter."""

    def link(**changes) -> str:
        params = {**filters.__dict__, "page": 1, **changes}
        return "/milestones" + queries.MilestoneFilters(**params).query_string()

    cards = [_card("Shown", counts["shown"], link(), "primary")]
    for rag, tone in (("Red", "danger"), ("Amber", "warning"), ("Green", "success")):
        cards.append(_card(f"{rag} RAG", counts[rag], link(rag=rag), tone))
    cards.append(_card("Overdue", counts["overdue"], link(overdue=True), "danger"))
    cards.append(_card("Due in the next 4 weeks", counts["due_in_4_weeks"], link(due_within_weeks=4), "info"))
    cards.append(_card("Not updated for 14+ days", counts["stale"], link(stale=True), "secondary"))
    status_row = [
        _card(status, counts[status], link(status=status))
        for status in ("Not started", "In progress", "Blocked", "Complete", "Cancelled")
    ]
    return [
        dbc.Row(cards, className="g-2"),
        html.H3("By status", className="h6 mt-2"),
        dbc.Row(status_row, className="g-2"),
    ]


def page_position(filters: queries.MilestoneFilters, total: int) -> str:
    """Says which part of a long list the chart and table draw (nothing when everything fits)."""
    if total <= filters.per_page:
        return ""
    first = (filters.page - 1) * filters.per_page + 1
    last = min(filters.page * filters.per_page, total)
    return (
        f"Showing milestones {first:,}–{last:,} of {total:,} in plan order: choose another page below "
        "the filters, or narrow them. "
    )


def grid_rows(frame: pd.DataFrame, editable: set[int] | None = frozenset()) -> list[dict]:
    """The milestones table's rows (`editable`: the projects the user may edit, None for all)."""
    return editable_grid_rows(frame, MILESTONE_GRID, editable)


@callback(
    Output("ms-url", "search"),
    Output("ms-cards", "children"),
    Output("ms-gantt", "figure"),
    Output("ms-gantt-summary", "children"),
    Output("ms-plan-list", "children"),
    Output("ms-illustrative", "children"),
    Output("ms-page", "options"),
    Output("ms-page", "value"),
    *FILTER_INPUTS,
    Input("ms-refresh", "data"),
    Input("ms-page", "value"),
    Input("ms-per-page", "value"),
    Input("ms-narrow", "data"),
    roles=EVERYONE,
)
def show_milestones(
    org,
    programme,
    project,
    status,
    rag,
    owner,
    search,
    due,
    baseline,
    flags,
    _refresh,
    page,
    per_page,
    narrow,
):
    filters = filters_from_controls(org, programme, project, status, rag, owner, search, due, baseline, flags)
    # Any change but the page itself starts again at page 1; the first draw keeps the URL's page, and
    # so does a screen turned from narrow to wide.
    turned_page = ctx.triggered_id in (None, "ms-page", "ms-narrow")
    filters = queries.MilestoneFilters.from_query(
        {**filters.to_query(), "page": str(page) if turned_page else "1", "per_page": str(per_page)}
    )
    today = clock.today()
    counts = queries.milestone_counts(filters, today)
    pages = page_count(counts["shown"], filters.per_page)
    if filters.page > pages:
        filters = queries.MilestoneFilters(**{**filters.__dict__, "page": pages})
    rows = gantt_rows.milestone_rows(queries.milestones(filters, today, paged=True))
    baseline_label = "chosen baseline" if row_id(filters.baseline) else f"{filters.baseline} baseline"
    figure = (
        None if narrow is True else figures.gantt(rows, today, baseline_label=baseline_label.capitalize())
    )
    note = None
    if counts["illustrative"]:
        note = html.P(
            [
                illustrative_marker(),
                " Current statuses, RAG, forecast and actual dates are illustrative: "
                "the source documents give only the baseline plan.",
            ],
            className="small mb-0",
        )
    # Only what the screen shows: a page of 1,000 milestones as a list is 0.4 s of the browser's time
    # on a wide screen that hides it, and the chart as much on a phone. Not knowing (no script), both.
    return (
        filters.query_string(),
        summary_cards(counts, filters),
        no_update if narrow is True else figure,
        page_position(filters, counts["shown"]) + figures.gantt_summary(rows, today),
        None if narrow is False else plan_list(rows),
        note,
        page_choices(counts["shown"], filters.per_page, "milestones", filters.page),
        str(filters.page),
    )


# The table follows the URL the callback above settles (the page already brought within range),
# so it is drawn after the chart rather than with it: while a 1,000-row chart was drawing, the
# table's 50 rendered rows took about 0.5 s more of the browser's time. Below a chart of any length it
# is read only once it comes near the screen.
clientside(
    PASS_WHEN_NEAR,
    *when_near("ms-table-wanted", "ms-table-near", Input("ms-url", "search")),
    module=__name__,
)


@callback(
    Output("ms-grid", "rowData"),
    Input("ms-table-wanted", "data"),
    roles=EVERYONE,
    prevent_initial_call=True,
)
def show_milestone_rows(wanted):
    # The address, passed on once the table comes near the screen (callbacks.sections).
    values = passed(wanted, 1)
    if values is None:
        return no_update
    search = values[0] if isinstance(values[0], str) else ""
    filters = queries.MilestoneFilters.from_query(parse_qs(search.lstrip("?")))
    editable = queries.editable_project_ids(signed_in_user())
    return grid_rows(queries.milestones(filters, clock.today(), paged=True), editable)


@callback(
    Output("ms-download", "data"),
    Input("ms-download-csv", "n_clicks"),
    Input("ms-download-xlsx", "n_clicks"),
    *FILTER_STATES,
    State("ms-grid", "virtualRowData"),
    roles=EVERYONE,
    prevent_initial_call=True,
)
def download_milestones(
    _csv, _xlsx, org, programme, project, status, rag, owner, search, due, baseline, flags, shown_rows
):
    filters = filters_from_controls(org, programme, project, status, rag, owner, search, due, baseline, flags)
    today = clock.today()
    # The grid says which rows (and in which order) the user sees after its own filters; the
    # values themselves come from the database again, never from the browser.
    order = shown_ids(shown_rows)
    frame = queries.milestones(filters, today, ids=order if shown_rows is not None else None)
    if shown_rows is not None:
        position = {milestone_id: index for index, milestone_id in enumerate(order)}
        frame = frame.assign(_order=frame["id"].map(position)).sort_values("_order").drop(columns="_order")
    kind = "xlsx" if ctx.triggered_id == "ms-download-xlsx" else "csv"
    table = MILESTONES.frame(frame.to_dict("records"))
    return send_table(table, kind, f"milestones-{today.isoformat()}", "Milestones", MILESTONES.kinds)


clientside(WATCH_SECTIONS, *watched("ms-sections-watched"), module=__name__)
clientside(SHOW_DETAILS, *row_details("ms-grid"), module=__name__, prevent_initial_call=True)

# The screen's width as the page opens (app.css draws the list below 768 px); assets/narrowScreen.js
# reports a screen turned or resized across that width afterwards.
NARROW_SCREEN = """
function (_id) {
    return window.matchMedia('(max-width: 767.98px)').matches;
}
"""
clientside(NARROW_SCREEN, Output("ms-narrow", "data"), Input("ms-narrow", "id"), module=__name__)
