"""KPIs page (/kpis): constituency comparison, SPC trends, exceptions, the funnel, the catalogue, value entry."""

import json

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html
from plotly.utils import PlotlyJSONEncoder

from dashboard import policy
from dashboard.auth import signed_in_user
from dashboard.pages.kpi_forms import entry_panel
from dashboard.queries import kpis as kpi_queries
from dashboard.queries.params import ignore
from dashboard.queries.summary import holdings
from dashboard.ui import empty_states
from dashboard.ui.address import Address
from dashboard.ui.components import (
    ALL,
    GRID_EVENTS,
    GRID_OPTIONS,
    grid_details,
    held_height,
    illustrative_marker,
    near_store,
    page_header,
    page_select,
    phone_ready,
    waiting_figure,
)

dash.register_page(__name__, path="/kpis", name="KPIs", title="KPIs – ASCH programme tracker", order=4)

RAG_COLUMN = {
    "field": "rag",
    "headerName": "RAG",
    "minWidth": 110,
    "valueFormatter": {"function": "ragLabel(params.value)"},
    "cellClassRules": {
        "rag-cell rag-cell-red": "params.value === 'Red'",
        "rag-cell rag-cell-amber": "params.value === 'Amber'",
        "rag-cell rag-cell-green": "params.value === 'Green'",
    },
}
NUMBER = {"type": "numericColumn", "valueFormatter": {"function": "kpiNumber(params.value)"}}
DATA_NOTE = {"field": "data_note", "headerName": "Data", "minWidth": 120}

COMPARISON_COLUMNS = [
    {"field": "area", "headerName": "Area", "minWidth": 160},
    {"field": "value", "headerName": "Value", **NUMBER, "minWidth": 100},
    {"field": "target", "headerName": "Target", **NUMBER, "minWidth": 100},
    {"field": "tolerance", "headerName": "Tolerance", **NUMBER, "minWidth": 100},
    RAG_COLUMN,
    {"field": "rank", "headerName": "Rank (1 = best)", "type": "numericColumn", "minWidth": 120},
    {"field": "previous_value", "headerName": "Previous period", **NUMBER, "minWidth": 130},
    {"field": "change", "headerName": "Change", **NUMBER, "minWidth": 100},
    DATA_NOTE,
]
TREND_COLUMNS = [
    {"field": "area", "headerName": "Area", "minWidth": 150},
    {"field": "period_label", "headerName": "Period", "minWidth": 110},
    {"field": "value", "headerName": "Value", **NUMBER, "minWidth": 90},
    {"field": "mean", "headerName": "Mean", **NUMBER, "minWidth": 90},
    {"field": "lower_limit", "headerName": "Lower limit", **NUMBER, "minWidth": 110},
    {"field": "upper_limit", "headerName": "Upper limit", **NUMBER, "minWidth": 110},
    {"field": "target", "headerName": "Target", **NUMBER, "minWidth": 90},
    RAG_COLUMN,
    {"field": "variation", "headerName": "Variation", "minWidth": 200},
    {"field": "special_cause", "headerName": "Rule broken", "minWidth": 260, "flex": 1},
    DATA_NOTE,
]
EXCEPTION_COLUMNS = [
    {"field": "kpi", "headerName": "KPI", "minWidth": 150},
    {"field": "kpi_name", "headerName": "Measure", "minWidth": 240, "wrapText": True, "autoHeight": True},
    {"field": "area", "headerName": "Area", "minWidth": 140},
    {"field": "latest_period", "headerName": "Latest period", "minWidth": 120},
    {"field": "latest_value", "headerName": "Latest value", **NUMBER, "minWidth": 110},
    {"field": "target", "headerName": "Target", **NUMBER, "minWidth": 90},
    RAG_COLUMN,
    {"field": "red_periods", "headerName": "Red periods in a row", "type": "numericColumn", "minWidth": 120},
    {
        "field": "why",
        "headerName": "Why it is here",
        "minWidth": 300,
        "flex": 1,
        "wrapText": True,
        "autoHeight": True,
    },
    DATA_NOTE,
]
FUNNEL_COLUMNS = [
    {"field": "stage", "headerName": "Stage", "minWidth": 200},
    {"field": "percent_of_contacts", "headerName": "% of contacts", **NUMBER, "minWidth": 120},
    {"field": "count", "headerName": "People", **NUMBER, "minWidth": 100},
    {"field": "target_percent", "headerName": "Target %", **NUMBER, "minWidth": 100},
    {"field": "period", "headerName": "Period", "minWidth": 150},
    {
        "field": "how",
        "headerName": "How we know",
        "minWidth": 300,
        "flex": 1,
        "wrapText": True,
        "autoHeight": True,
    },
]
CATALOGUE_COLUMNS = [
    {"field": "code", "headerName": "Code", "minWidth": 150, "pinned": "left"},
    {"field": "name", "headerName": "Name", "minWidth": 240, "wrapText": True, "autoHeight": True},
    {
        "field": "definition",
        "headerName": "Definition",
        "minWidth": 360,
        "wrapText": True,
        "autoHeight": True,
    },
    {"field": "unit", "headerName": "Unit", "minWidth": 110},
    {"field": "polarity", "headerName": "Better when", "minWidth": 110},
    {"field": "target", "headerName": "Target", **NUMBER, "minWidth": 90},
    {"field": "tolerance", "headerName": "Tolerance", **NUMBER, "minWidth": 100},
    {"field": "frequency", "headerName": "Frequency", "minWidth": 130},
    {
        "field": "outcome_area",
        "headerName": "Outcome area",
        "minWidth": 200,
        "wrapText": True,
        "autoHeight": True,
    },
    {"field": "source", "headerName": "Source", "minWidth": 260, "wrapText": True, "autoHeight": True},
    {"field": "values_source", "headerName": "Values", "minWidth": 150},
    {
        "field": "self_assessment",
        "headerName": "Evidence for the self-assessment",
        "minWidth": 220,
        "wrapText": True,
        "autoHeight": True,
    },
]


def _grid(
    grid_id: str, columns: list[dict], empty: str, page_size: int = 20, loading: bool = False
) -> html.Div:
    """A table of the page; one whose rows come later (a section drawn when near the screen, a folded
    table) starts `loading`, with no rows at all, so it says it is loading rather than that there is
    nothing to show."""
    grid = dag.AgGrid(
        id=grid_id,
        eventListeners=GRID_EVENTS,
        columnDefs=phone_ready(columns),
        **({} if loading else {"rowData": []}),
        defaultColDef={"sortable": True, "filter": True, "resizable": True},
        dashGridOptions={
            **GRID_OPTIONS,
            "domLayout": "autoHeight",
            "pagination": True,
            "paginationPageSize": page_size,
            "localeText": {"noRowsToShow": empty},
        },
        style={"width": "100%"},
        className="ag-theme-alpine kpi-grid",
    )
    return html.Div([grid, grid_details(grid_id)])


def _downloads(name: str) -> html.Div:
    return html.Div(
        [
            dbc.Button("Download CSV", id=f"kpi-dl-{name}-csv", color="outline-primary", size="sm"),
            dbc.Button("Download Excel", id=f"kpi-dl-{name}-xlsx", color="outline-primary", size="sm"),
        ],
        className="d-flex gap-2",
    )


def _section(
    section_id: str, title: str, body: list, name: str | None = None, when_near: bool = False
) -> html.Section:
    """A section of the page; one `when_near` is read and drawn only once it comes near the screen
    (callbacks.sections), so opening the page draws its first screen, not the whole of it."""
    heading = [html.H2(title, className="h4 mb-0 me-auto", id=f"{section_id}-heading")]
    if name:
        heading.append(_downloads(name))
    watched = {}
    if when_near:
        store, watched = near_store(section_id)
        body = [store, *body]
    return html.Section(
        [html.Div(heading, className="d-flex align-items-center flex-wrap gap-2 mb-2"), *body],
        className="mb-4 kpi-section",
        id=section_id,
        **{"aria-labelledby": f"{section_id}-heading"},
        **watched,
    )


def _chart_with_summary(graph_id: str, summary_id: str, height: int) -> dbc.Row:
    return dbc.Row(
        [
            dbc.Col(
                held_height(
                    dcc.Loading(
                        dcc.Graph(
                            id=graph_id,
                            config={"displaylogo": False, "responsive": True},
                            figure=waiting_figure(height),
                        )
                    ),
                    height,
                ),
                lg=9,
            ),
            dbc.Col(html.P(id=summary_id, className="chart-summary", **{"aria-live": "polite"}), lg=3),
        ],
        className="mb-2",
    )


def _grid_later(grid: html.Div) -> list:
    """A table whose grid is put on the page only when it is wanted (opened, or scrolled near): its
    callback sends the rows to the store `{grid_id}-rows`, and the grid, kept as data in
    `{grid_id}-template`, is put in `{grid_id}-slot` with them (callbacks.kpis.view.MOUNT_TABLE). Each
    grid on a page costs its setup whether or not anyone looks at it."""
    grid_id = grid.children[0].id
    return [
        html.Div(id=f"{grid_id}-slot"),
        dcc.Store(id=f"{grid_id}-rows"),
        dcc.Store(id=f"{grid_id}-template", data=json.loads(json.dumps(grid, cls=PlotlyJSONEncoder))),
    ]


def _table_details(details_id: str, summary: str, grid: html.Div) -> html.Details:
    """A table folded under its chart. Its rows are sent, and its grid put on the page, only once it is
    open (assets/kpisGrid.js reports the <details> opening as its `open` property)."""
    return html.Details(
        [html.Summary(summary), html.Div(_grid_later(grid), className="mt-2")],
        id=details_id,
        open=False,
        className="mb-2 kpi-table-details",
    )


def layout(**query):
    filters = kpi_queries.KpiFilters.from_query(query)
    kpi_options = kpi_queries.constituency_kpi_options()
    asked_period = filters.period
    if filters.kpi not in {option["value"] for option in kpi_options}:
        if filters.kpi != kpi_queries.DEFAULT_KPI:
            ignore("kpi", filters.kpi, "not a KPI this page shows")
        filters = kpi_queries.KpiFilters(period=None, outcome_area=filters.outcome_area)
    period_labels = kpi_queries.periods(filters.kpi)
    if asked_period is not None and (asked_period != filters.period or asked_period not in period_labels):
        ignore("period", asked_period, "not a period of the KPI shown")
    period = (
        filters.period if filters.period in period_labels else (period_labels[0] if period_labels else None)
    )
    outcome_options = [{"label": area, "value": area} for area in kpi_queries.outcome_areas()]
    user = signed_in_user()
    children = [
        page_header(
            "KPIs",
            "Outcomes by constituency (ten constituency teams since March 2018) and for transition, "
            "with statistical process control, exceptions and the customer-journey funnel.",
        ),
        Address(id="kpi-url"),
        dcc.Store(id="kpi-refresh", data=0),
        dcc.Store(id="kpi-sections-watched"),
        dcc.Download(id="kpi-download"),
        html.Nav(
            html.Ul(
                [
                    html.Li(html.A(label, href=f"#{anchor}"))
                    for label, anchor in (
                        ("Constituency comparison", "kpi-compare"),
                        ("Trends", "kpi-trend"),
                        ("Exceptions", "kpi-exc"),
                        ("Customer-journey funnel", "kpi-fun"),
                        ("KPI catalogue", "kpi-cat"),
                        *((("Enter values", "kpi-entry"),) if policy.is_editor(user) else ()),
                    )
                ],
                className="kpi-contents",
            ),
            **{"aria-label": "On this page"},
        ),
        html.Section(
            [
                html.H2("Choose a KPI", className="visually-hidden", id="kpi-filters-heading"),
                dbc.Row(
                    [
                        dbc.Col(
                            [
                                dbc.Label("KPI", html_for="kpi-select", className="small fw-semibold mb-1"),
                                dbc.Select(id="kpi-select", options=kpi_options, value=filters.kpi),
                            ],
                            md=6,
                            className="mb-2",
                        ),
                        dbc.Col(
                            [
                                dbc.Label(
                                    "Period", html_for="kpi-period", className="small fw-semibold mb-1"
                                ),
                                dbc.Select(
                                    id="kpi-period",
                                    options=[{"label": label, "value": label} for label in period_labels],
                                    value=period,
                                ),
                            ],
                            md=3,
                            className="mb-2",
                        ),
                    ],
                    className="g-2 align-items-end",
                ),
                html.Div(id="kpi-definition", className="small"),
            ],
            className="filter-bar mb-3 p-3 bg-body-tertiary rounded",
            **{"aria-labelledby": "kpi-filters-heading"},
        ),
        _section(
            "kpi-compare",
            "Constituency comparison",
            [
                _chart_with_summary("kpi-map", "kpi-map-summary", 470),
                _table_details(
                    "kpi-comparison-table",
                    "Show the comparison as a table",
                    _grid(
                        "kpi-comparison-grid",
                        COMPARISON_COLUMNS,
                        "No values for this KPI and period",
                        loading=True,
                    ),
                ),
            ],
            "comparison",
        ),
        _section(
            "kpi-trend",
            "Trends with statistical process control",
            [
                html.P(
                    [
                        "Each chart shows the mean (solid), process limits (dashed, mean ± 2.66 × the average "
                        "moving range) and the target (dotted red). A blue upward triangle is special-cause "
                        "improvement, an orange downward triangle special-cause concern, a grey circle "
                        "common-cause variation (noise). Special causes: a point outside the limits, 7 or more "
                        "points in a row on one side of the mean, 6 or more points in a row rising or falling, "
                        "or 2 of 3 points beyond two sigma on the same side.",
                    ],
                    className="small",
                ),
                _chart_with_summary("kpi-trends", "kpi-trends-summary", 760),
                _table_details(
                    "kpi-trends-table",
                    "Show the trend data as a table",
                    _grid(
                        "kpi-trends-grid", TREND_COLUMNS, "No values to chart for this KPI", 50, loading=True
                    ),
                ),
            ],
            "trends",
        ),
        _section(
            "kpi-exc",
            "Exceptions",
            [
                html.P(id="kpi-exceptions-summary", className="chart-summary"),
                page_select("kpi-exceptions-page", 1),
                *_grid_later(
                    _grid(
                        "kpi-exceptions-grid",
                        EXCEPTION_COLUMNS,
                        "No KPI is Red twice in a row or showing concern",
                        loading=True,
                    )
                ),
            ],
            "exceptions",
            when_near=True,
        ),
        _section(
            "kpi-fun",
            "Customer-journey funnel",
            [
                dbc.Row(
                    dbc.Col(
                        [
                            dbc.Label(
                                "Whose flow", html_for="kpi-funnel-area", className="small fw-semibold mb-1"
                            ),
                            dbc.Select(
                                id="kpi-funnel-area",
                                options=[
                                    {"label": "Barnet 2014/15 (003 §7)", "value": "barnet"},
                                    {"label": "Shropshire People2People (003 §7)", "value": "shropshire_p2p"},
                                ],
                                value="barnet",
                            ),
                        ],
                        md=4,
                    ),
                    className="mb-2",
                ),
                _chart_with_summary("kpi-funnel", "kpi-funnel-summary", 340),
                _table_details(
                    "kpi-funnel-table",
                    "Show the funnel as a table",
                    _grid("kpi-funnel-grid", FUNNEL_COLUMNS, "No funnel figures for this area", loading=True),
                ),
                html.H3("Birmingham's front door", className="h5 mt-3"),
                html.Div(id="kpi-front-door"),
                html.Div(id="kpi-access"),
            ],
            "funnel",
            when_near=True,
        ),
        _section(
            "kpi-cat",
            "KPI catalogue",
            [
                dbc.Row(
                    dbc.Col(
                        [
                            dbc.Label(
                                "Outcome area", html_for="kpi-outcome", className="small fw-semibold mb-1"
                            ),
                            dbc.Select(
                                id="kpi-outcome",
                                options=[{"label": "All", "value": ALL}, *outcome_options],
                                value=filters.outcome_area or ALL,
                            ),
                        ],
                        md=5,
                    ),
                    className="mb-2",
                ),
                html.P(
                    [
                        "Values marked ",
                        illustrative_marker(),
                        " are illustrative: the source documents do not give them.",
                    ],
                    className="small",
                ),
                html.P(id="kpi-catalogue-summary", className="chart-summary"),
                *_grid_later(
                    _grid(
                        "kpi-catalogue-grid",
                        CATALOGUE_COLUMNS,
                        "No KPIs in this outcome area",
                        20,
                        loading=True,
                    )
                ),
            ],
            "catalogue",
            when_near=True,
        ),
    ]
    # Showing the form is a convenience; the services refuse viewers whatever the page shows.
    if policy.is_editor(user):
        children.append(
            entry_panel(
                kpi_queries.all_kpi_options(),
                kpi_queries.area_options(("constituency", "city", "team", "council")),
            )
        )
    return empty_states.with_notice(children, empty_states.kpis(holdings()))
