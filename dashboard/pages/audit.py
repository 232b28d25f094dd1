"""Audit page (/audit): the full change log — who, what, when, old → new — filtered and downloadable."""

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import queries
from dashboard.queries.summary import holdings
from dashboard.ui import empty_states, forms
from dashboard.ui.address import Address
from dashboard.ui.components import (
    GRID_EVENTS,
    GRID_OPTIONS,
    filter_select,
    grid_details,
    page_header,
    page_select,
    phone_ready,
)

dash.register_page(__name__, path="/audit", name="Audit", title="Audit – ASCH programme tracker", order=6)

GRID_COLUMNS = [
    {
        "field": "when",
        "headerName": "When",
        "minWidth": 170,
        "sort": "desc",
        "comparator": {"function": "isoCompare"},
    },
    {"field": "username", "headerName": "Who", "minWidth": 140},
    {"field": "what", "headerName": "What", "minWidth": 260, "flex": 2, "wrapText": True, "autoHeight": True},
    {"field": "project", "headerName": "Project", "minWidth": 160},
    {"field": "field", "headerName": "Field", "minWidth": 150},
    {"field": "old_value", "headerName": "Old", "minWidth": 160, "wrapText": True, "autoHeight": True},
    {"field": "new_value", "headerName": "New", "minWidth": 160, "wrapText": True, "autoHeight": True},
]


def layout(**query):
    filters = queries.AuditFilters.from_query(query)
    options = queries.audit_filter_options()
    children = [
        page_header("Audit trail", "Every change: who made it, when, and the old and new values."),
        Address(id="audit-url"),
        html.Section(
            [
                html.H2("Filters", className="visually-hidden", id="audit-filters-heading"),
                dbc.Row(
                    [
                        filter_select("audit-filter-person", "Person", options["people"], filters.person),
                        filter_select(
                            "audit-filter-entity", "What changed", options["entities"], filters.entity
                        ),
                        filter_select(
                            "audit-filter-project", "Project", options["projects"], filters.project
                        ),
                        dbc.Col(
                            [
                                dbc.Label(
                                    "From", html_for="audit-filter-from", className="small fw-semibold mb-1"
                                ),
                                forms.date_input("audit-filter-from", filters.date_from, debounce=True),
                            ],
                            xs=6,
                            lg=2,
                            className="mb-2",
                        ),
                        dbc.Col(
                            [
                                dbc.Label(
                                    "To", html_for="audit-filter-to", className="small fw-semibold mb-1"
                                ),
                                forms.date_input("audit-filter-to", filters.date_to, debounce=True),
                            ],
                            xs=6,
                            lg=2,
                            className="mb-2",
                        ),
                    ],
                    className="g-2",
                ),
                dcc.Link("Clear all filters", href="/audit", className="small"),
            ],
            className="filter-bar mb-3 p-3 bg-body-tertiary rounded",
            **{"aria-labelledby": "audit-filters-heading"},
        ),
        html.Section(
            [
                html.Div(
                    [
                        html.H2("Changes", className="h4 mb-0 me-auto", id="audit-table-heading"),
                        dbc.Button(
                            "Download CSV",
                            id="audit-download-csv",
                            color="outline-primary",
                            size="sm",
                            className="me-2",
                        ),
                        dbc.Button(
                            "Download Excel", id="audit-download-xlsx", color="outline-primary", size="sm"
                        ),
                    ],
                    className="d-flex align-items-center mb-2 flex-wrap gap-1",
                ),
                html.P(id="audit-count", className="small text-body-secondary", role="status"),
                page_select("audit-page", filters.page),
                dcc.Download(id="audit-download"),
                dag.AgGrid(
                    id="audit-grid",
                    eventListeners=GRID_EVENTS,
                    columnDefs=phone_ready(GRID_COLUMNS),
                    rowData=[],
                    defaultColDef={"sortable": True, "filter": True, "resizable": True},
                    dashGridOptions={
                        **GRID_OPTIONS,
                        # One page of changes at a time comes from the server (the Page choice above).
                        "domLayout": "autoHeight",
                        "localeText": {"noRowsToShow": "No changes match these filters"},
                    },
                    getRowId="params.data.id",
                    style={"width": "100%"},
                ),
                grid_details("audit-grid"),
            ],
            **{"aria-labelledby": "audit-table-heading"},
        ),
    ]
    return empty_states.with_notice(children, empty_states.audit(holdings()))
