"""Milestones page (/milestones): filters in the URL, summary cards, Gantt, table, the leads' update form."""

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import models as m
from dashboard import policy, queries
from dashboard.auth import signed_in_user
from dashboard.pages.edit_links import edit_link_store
from dashboard.pages.milestone_forms import admin_tools, update_form
from dashboard.queries.summary import holdings
from dashboard.reports.tables import MILESTONE_GRID
from dashboard.ui import empty_states, forms
from dashboard.ui.address import Address
from dashboard.ui.components import (
    GRID_EVENTS,
    GRID_OPTIONS,
    PHONE,
    editable_grid_columns,
    filter_select,
    grid_details,
    held_height,
    near_store,
    page_header,
    page_select,
    phone_ready,
    waiting_figure,
)

GANTT_WAITING_HEIGHT = 600  # px: the chart's place while the plan is on its way

dash.register_page(
    __name__, path="/milestones", name="Milestones", title="Milestones – ASCH programme tracker", order=1
)

# Project and milestone stay in view as the other columns scroll; a phone shows the milestone, its RAG
# and its forecast end (the rest in the chosen row's details).
GRID_COLUMNS = MILESTONE_GRID.grid_columns(
    project={"minWidth": 160, "pinned": "left"},
    title={"minWidth": 220, "width": 300, "wrapText": True, "autoHeight": True, "pinned": "left", **PHONE},
    forecast_end=PHONE,
    owner={"minWidth": 160},
    status={"minWidth": 120},
    rag={
        **PHONE,
        "minWidth": 110,
        "valueFormatter": {"function": "ragLabel(params.value)"},
        "cellClassRules": {
            "rag-cell rag-cell-red": "params.value === 'Red'",
            "rag-cell rag-cell-amber": "params.value === 'Amber'",
            "rag-cell rag-cell-green": "params.value === 'Green'",
        },
    },
    slippage_working_days={"minWidth": 140},
    slippage_weeks={"minWidth": 120},
    updated_by={"minWidth": 140},
)


def _filter_bar(filters: queries.MilestoneFilters, options: dict, may_edit: bool = False) -> html.Section:
    status_options = [{"label": status, "value": status} for status in m.MILESTONE_STATUSES]
    rag_options = [{"label": rag, "value": rag} for rag in m.RAG_VALUES] + [
        {"label": "No RAG", "value": "none"}
    ]
    checks = [
        value
        for value, on in (
            ("open", filters.open_only),
            ("overdue", filters.overdue),
            ("stale", filters.stale),
            ("owed", filters.owed),
            ("retired", filters.include_retired),
        )
        if on
    ]
    return html.Section(
        [
            html.H2("Filters", className="visually-hidden", id="ms-filters-heading"),
            dbc.Row(
                [
                    filter_select(
                        "ms-filter-org", "Organisation", options["organisations"], filters.organisation
                    ),
                    filter_select(
                        "ms-filter-programme", "Programme", options["programmes"], filters.programme
                    ),
                    filter_select("ms-filter-project", "Project", options["projects"], filters.project),
                    filter_select("ms-filter-status", "Status", status_options, filters.status),
                    filter_select("ms-filter-rag", "RAG", rag_options, filters.rag),
                    filter_select("ms-filter-owner", "Owner", options["owners"], filters.owner),
                ],
                className="g-2",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dbc.Label(
                                "Search", html_for="ms-filter-search", className="small fw-semibold mb-1"
                            ),
                            dbc.Input(
                                id="ms-filter-search",
                                type="search",
                                value=filters.search or "",
                                debounce=True,
                                placeholder="Title, commentary, owner or project",
                                maxLength=200,
                            ),
                        ],
                        xs=12,
                        md=4,
                        className="mb-2",
                    ),
                    dbc.Col(
                        [
                            dbc.Label(
                                "Due within (weeks)",
                                html_for="ms-filter-due",
                                className="small fw-semibold mb-1",
                            ),
                            dbc.Input(
                                id="ms-filter-due",
                                type="number",
                                min=1,
                                max=520,
                                step=1,
                                value=filters.due_within_weeks,
                                debounce=True,
                            ),
                        ],
                        xs=6,
                        md=2,
                        className="mb-2",
                    ),
                    dbc.Col(
                        [
                            dbc.Label(
                                "Compare against",
                                html_for="ms-filter-baseline",
                                className="small fw-semibold mb-1",
                            ),
                            dbc.Select(
                                id="ms-filter-baseline", options=options["baselines"], value=filters.baseline
                            ),
                        ],
                        xs=12,
                        md=3,
                        className="mb-2",
                    ),
                    dbc.Col(
                        html.Fieldset(
                            [
                                html.Legend("Show only", className="small fw-semibold mb-1 fs-6"),
                                dbc.Checklist(
                                    id="ms-filter-flags",
                                    options=[
                                        {"label": "Open (not complete or cancelled)", "value": "open"},
                                        {"label": "Overdue", "value": "overdue"},
                                        {"label": "Not updated for 14+ days", "value": "stale"},
                                        *(
                                            [{"label": "Owed by me for the next board", "value": "owed"}]
                                            if may_edit or filters.owed
                                            else []
                                        ),
                                        {"label": "Include retired", "value": "retired"},
                                    ],
                                    value=checks,
                                    inline=True,
                                ),
                            ]
                        ),
                        xs=12,
                        md=3,
                        className="mb-2",
                    ),
                ],
                className="g-2 align-items-end",
            ),
            dcc.Link("Clear all filters", href="/milestones", className="small", id="ms-clear-filters"),
        ],
        className="filter-bar mb-3 p-3 bg-body-tertiary rounded",
        **{"aria-labelledby": "ms-filters-heading"},
    )


def _pager(filters: queries.MilestoneFilters):
    """Which page of a long list the chart and table draw; the summary cards always count them all."""
    return html.Div(
        [
            page_select("ms-page", filters.page, className="d-flex align-items-center gap-2"),
            dbc.Label("Milestones per page", html_for="ms-per-page", className="mb-0 ms-2"),
            dbc.Select(
                id="ms-per-page",
                options=[
                    {"label": f"{choice:,}", "value": str(choice)} for choice in queries.PER_PAGE_CHOICES
                ],
                value=str(filters.per_page),
                className="w-auto",
            ),
        ],
        className="d-flex flex-wrap align-items-center gap-2 mb-2",
    )


def layout(**query):
    filters = queries.MilestoneFilters.from_query(query)
    options = queries.milestone_filter_options()
    user = signed_in_user()
    table_near, table_watched = near_store("ms-table")
    children = [
        page_header(
            "Milestones",
            "Headline implementation plan milestones: baseline, forecast and actual dates, status and RAG.",
        ),
        *(
            [html.P(forms.focus_link("Update one of your milestones", "ms-edit-select"), className="mb-2")]
            if policy.is_editor(user)
            else []
        ),
        html.P(
            [
                "The Transition project's milestones also appear beside the outcomes they serve on the ",
                dcc.Link("Transition performance dashboard", href="/transition", id="ms-transition-link"),
                ".",
            ],
            className="small mb-2",
        ),
        Address(id="ms-url"),
        edit_link_store("milestone", query, user),
        dcc.Store(id="ms-refresh", data=0),
        dcc.Store(id="ms-sections-watched"),
        _filter_bar(filters, options, policy.is_editor(user)),
        _pager(filters),
        html.Div(id="ms-illustrative", className="mb-2"),
        html.Section(
            [html.H2("Summary", className="visually-hidden", id="ms-cards-heading"), html.Div(id="ms-cards")],
            className="mb-3",
            **{"aria-labelledby": "ms-cards-heading"},
        ),
        html.Section(
            [
                html.H2("Plan against baseline", className="h4", id="ms-gantt-heading"),
                html.P(id="ms-gantt-summary", className="chart-summary"),
                html.Div(
                    # As tall as a short plan's chart until the plan is drawn, so the table below is not
                    # taken for near the screen (callbacks.sections) while the chart is on its way.
                    held_height(
                        dcc.Loading(
                            dcc.Graph(
                                id="ms-gantt",
                                config={"displaylogo": False, "responsive": True},
                                figure=waiting_figure(GANTT_WAITING_HEIGHT),
                            ),
                            type="default",
                        ),
                        GANTT_WAITING_HEIGHT,
                    ),
                    className="gantt-wide",
                ),
                # On a phone the chart is unreadable: the same milestones as a list instead (app.css).
                html.Div(id="ms-plan-list", className="gantt-narrow"),
                # Whether the screen is narrow (the list) or wide (the chart), set in the browser
                # (callbacks/milestones/view.py, assets/narrowScreen.js): only the one shown is sent.
                dcc.Store(id="ms-narrow"),
            ],
            className="mb-4",
            **{"aria-labelledby": "ms-gantt-heading"},
        ),
        html.Section(
            [
                table_near,
                dcc.Store(id="ms-table-wanted"),
                html.Div(
                    [
                        html.H2("Milestone table", className="h4 mb-0 me-auto", id="ms-table-heading"),
                        dbc.Button(
                            "Download CSV",
                            id="ms-download-csv",
                            color="outline-primary",
                            size="sm",
                            className="me-2",
                        ),
                        dbc.Button(
                            "Download Excel", id="ms-download-xlsx", color="outline-primary", size="sm"
                        ),
                    ],
                    className="d-flex align-items-center mb-2 flex-wrap gap-1",
                ),
                html.P(
                    "Downloads contain exactly the rows shown, including any sorting or column filters "
                    "applied in the table.",
                    className="small text-body-secondary",
                ),
                dcc.Download(id="ms-download"),
                dag.AgGrid(
                    id="ms-grid",
                    columnDefs=phone_ready(editable_grid_columns(GRID_COLUMNS, user)),
                    # No rows until the table is reached: the grid says it is loading.
                    defaultColDef={"sortable": True, "filter": True, "resizable": True},
                    eventListeners=GRID_EVENTS,
                    dashGridOptions={
                        **GRID_OPTIONS,
                        "rowSelection": {
                            "mode": "singleRow",
                            "checkboxes": False,
                            "enableClickSelection": True,
                        },
                        "domLayout": "autoHeight",
                        "pagination": True,
                        "paginationPageSize": 50,
                        "localeText": {"noRowsToShow": "No milestones match these filters"},
                    },
                    getRowId="params.data.id",
                    style={"width": "100%"},
                ),
                grid_details("ms-grid"),
            ],
            className="mb-4",
            **{"aria-labelledby": "ms-table-heading"},
            # Its page of milestones is read and drawn when it comes near the screen (callbacks.sections).
            id="ms-table-section",
            **table_watched,
        ),
    ]
    # Showing the form is a convenience; services.update_milestone decides what may be saved.
    if policy.is_editor(user):
        children.append(update_form())
    if user is not None and user.is_admin:
        children.append(admin_tools(options))
    return empty_states.with_notice(children, empty_states.milestones(holdings()))
