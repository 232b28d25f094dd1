"""Benchmarking page (/benchmarking): ASCOF measures, Birmingham ranked against its comparator councils."""

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.queries import benchmarking as benchmark_queries
from dashboard.queries.summary import holdings
from dashboard.ui import empty_states
from dashboard.ui.address import Address
from dashboard.ui.components import (
    GRID_EVENTS,
    GRID_OPTIONS,
    grid_details,
    held_height,
    near_store,
    page_header,
    phone_ready,
)

dash.register_page(
    __name__,
    path="/benchmarking",
    name="Benchmarking",
    title="Benchmarking – ASCH programme tracker",
    order=5,
)

SOURCE_NOTE = (
    "Source: Birmingham West Midlands Self-Assessment (TEASC), October 2016, ASCOF benchmarking tables "
    "(document 002). These are the document's own figures, not illustrative data."
)

COMPARISON_COLUMNS = [
    {
        "field": "area",
        "headerName": "Council",
        "minWidth": 200,
        "valueFormatter": {"function": "bmArea(params.value, params.data)"},
    },
    {"field": "kind_label", "headerName": "Type", "minWidth": 230},
    {
        "field": "value",
        "headerName": "Value",
        "type": "numericColumn",
        "minWidth": 150,
        "valueFormatter": {"function": "bmValue(params.value, params.data.unit)"},
    },
    {
        "field": "rank",
        "headerName": "Rank",
        "type": "numericColumn",
        "minWidth": 110,
        "valueFormatter": {"function": "bmRank(params.value, params.data)"},
    },
]


def _change_columns(years: list[str]) -> list[dict]:
    first, last = (years[0], years[-1]) if years else ("first year", "last year")
    return [
        {
            "field": "value_from",
            "headerName": f"Value {first}",
            "type": "numericColumn",
            "minWidth": 140,
            "valueFormatter": {"function": "bmValue(params.value, params.data.unit)"},
        },
        {
            "field": "value_to",
            "headerName": f"Value {last}",
            "type": "numericColumn",
            "minWidth": 140,
            "valueFormatter": {"function": "bmValue(params.value, params.data.unit)"},
        },
        {"field": "change_text", "headerName": f"Change {first} to {last}", "minWidth": 190},
        {"field": "direction", "headerName": "Better or worse", "minWidth": 140},
        {
            "field": "rank_from",
            "headerName": f"Rank {first}",
            "type": "numericColumn",
            "minWidth": 120,
            "valueFormatter": {"function": "bmRank(params.value, params.data)"},
        },
        {
            "field": "rank_to",
            "headerName": f"Rank {last}",
            "type": "numericColumn",
            "minWidth": 120,
            "valueFormatter": {"function": "bmRank(params.value, params.data)"},
        },
    ]


def heat_columns(years: list[str]) -> list[dict]:
    columns = [
        {"field": "code", "headerName": "ASCOF code", "minWidth": 110},
        {
            "field": "name",
            "headerName": "Measure",
            "minWidth": 260,
            "flex": 2,
            "wrapText": True,
            "autoHeight": True,
        },
        {"field": "better_when", "headerName": "Better when", "minWidth": 120},
    ]
    for index, year in enumerate(years):
        columns.append(
            {
                "headerName": year,
                "children": [
                    {
                        "field": f"rank_y{index}",
                        "headerName": "Computed rank",
                        "type": "numericColumn",
                        "minWidth": 130,
                        "valueFormatter": {"function": f"bmRankOf(params.value, params.data.of_y{index})"},
                        "cellClassRules": {
                            "bm-rank-cell bm-rank-top": "params.value != null && params.value <= 4",
                            "bm-rank-cell bm-rank-bottom": (
                                f"params.value != null && params.data.of_y{index} - params.value < 4"
                            ),
                        },
                    },
                    {
                        "field": f"published_y{index}",
                        "headerName": "Published rank",
                        "type": "numericColumn",
                        "minWidth": 130,
                    },
                    {
                        "field": f"agreement_y{index}",
                        "headerName": "Computed v published",
                        "minWidth": 170,
                        "cellClassRules": {"bm-differs": f"params.data.differs_y{index}"},
                    },
                ],
            }
        )
    columns.append({"field": "rank_movement", "headerName": "Computed rank change", "minWidth": 200})
    return columns


def _download_buttons(prefix: str) -> list:
    return [
        dbc.Button("Download CSV", id=f"{prefix}-csv", color="outline-primary", size="sm", className="me-2"),
        dbc.Button("Download Excel", id=f"{prefix}-xlsx", color="outline-primary", size="sm"),
    ]


def _filter_bar(filters: benchmark_queries.BenchmarkFilters, options: dict) -> html.Section:
    return html.Section(
        [
            html.H2("Choose a measure and year", className="visually-hidden", id="bm-filters-heading"),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dbc.Label(
                                "ASCOF measure", html_for="bm-measure", className="small fw-semibold mb-1"
                            ),
                            dbc.Select(id="bm-measure", options=options["measures"], value=filters.measure),
                        ],
                        xs=12,
                        md=8,
                        lg=6,
                        className="mb-2",
                    ),
                    dbc.Col(
                        [
                            dbc.Label("Year", html_for="bm-year", className="small fw-semibold mb-1"),
                            dbc.Select(id="bm-year", options=options["years"], value=filters.year),
                        ],
                        xs=6,
                        md=3,
                        lg=2,
                        className="mb-2",
                    ),
                ],
                className="g-2 align-items-end",
            ),
        ],
        className="filter-bar mb-3 p-3 bg-body-tertiary rounded",
        **{"aria-labelledby": "bm-filters-heading"},
    )


def layout(**query):
    options = benchmark_queries.benchmark_options()
    years = [option["value"] for option in options["years"]]
    measures = [option["value"] for option in options["measures"]]
    filters = benchmark_queries.BenchmarkFilters.from_query(query).resolved(measures, years)
    heat_near, heat_watched = near_store("bm-heat")
    children = [
        page_header(
            "Benchmarking",
            "Birmingham against its 15 comparator councils and the national average on the Adult Social "
            "Care Outcomes Framework (ASCOF).",
        ),
        Address(id="bm-url"),
        html.P(SOURCE_NOTE, className="small mb-1", id="bm-source"),
        html.P(
            "Ranks are computed from the values among the councils that have one (Birmingham and its "
            "15 comparators, 16 at most), with each measure's polarity: for admissions to care homes and "
            "delayed transfers of care a lower value is better. Councils with the same value share the "
            "best rank (1, 2, 2, 4). A value shown as '-' in the document is shown as missing and is not "
            "ranked. The national average is a reference and is not ranked.",
            className="small text-body-secondary",
            id="bm-method",
        ),
        dcc.Store(id="bm-sections-watched"),
        _filter_bar(filters, options),
        html.Section(
            [
                html.H2("Birmingham on this measure", className="h4", id="bm-headline-heading"),
                html.Div(id="bm-headline", **{"aria-live": "polite"}),
            ],
            className="mb-4",
            **{"aria-labelledby": "bm-headline-heading"},
        ),
        html.Section(
            [
                html.H2("Councils ranked", className="h4", id="bm-chart-heading"),
                html.P(id="bm-chart-summary", className="chart-summary"),
                held_height(
                    dcc.Loading(
                        dcc.Graph(
                            id="bm-chart",
                            config={"displaylogo": False},
                            figure={"data": [], "layout": {"height": 560}},
                        ),
                        type="default",
                    ),
                    560,
                ),
                html.Div(
                    [
                        html.H3("Ranked table", className="h5 mb-0 me-auto", id="bm-table-heading"),
                        *_download_buttons("bm-download"),
                    ],
                    className="d-flex align-items-center mb-2 flex-wrap gap-1",
                ),
                html.P(
                    "The chart's data. Downloads contain exactly the rows shown, in the order shown.",
                    className="small text-body-secondary",
                ),
                dcc.Download(id="bm-download"),
                dag.AgGrid(
                    id="bm-grid",
                    eventListeners=GRID_EVENTS,
                    columnDefs=phone_ready(COMPARISON_COLUMNS + _change_columns(years)),
                    rowData=[],
                    defaultColDef={"sortable": True, "filter": True, "resizable": True},
                    dashGridOptions={
                        **GRID_OPTIONS,
                        # Every header cell in the DOM: a narrow screen otherwise leaves a group
                        # heading row with no cells, which screen readers cannot read.
                        "suppressColumnVirtualisation": True,
                        "domLayout": "autoHeight",
                        "localeText": {"noRowsToShow": "No values for this measure and year"},
                    },
                    rowClassRules={"bm-city-row": "params.data.is_city"},
                    getRowId="params.data.id",
                    style={"width": "100%"},
                ),
                grid_details("bm-grid"),
            ],
            className="mb-4",
            **{"aria-labelledby": "bm-chart-heading"},
        ),
        html.Section(
            [
                heat_near,
                dcc.Store(id="bm-heat-wanted"),
                html.H2("Birmingham's rank on every measure", className="h4", id="bm-heat-heading"),
                html.P(id="bm-heat-summary", className="chart-summary"),
                html.Div(id="bm-differences", className="mb-2"),
                dcc.Loading(
                    dcc.Graph(
                        id="bm-heat",
                        config={"displaylogo": False},
                        figure={"data": [], "layout": {"height": 720}},
                    ),
                    type="default",
                ),
                html.Div(
                    [
                        html.H3("Rank table", className="h5 mb-0 me-auto", id="bm-heat-table-heading"),
                        *_download_buttons("bm-heat-download"),
                    ],
                    className="d-flex align-items-center mb-2 flex-wrap gap-1",
                ),
                html.P(
                    "Computed ranks in the top four are shaded blue and in the bottom four orange; the "
                    "number is always shown. Downloads contain exactly the rows shown.",
                    className="small text-body-secondary",
                ),
                dcc.Download(id="bm-heat-download"),
                dag.AgGrid(
                    id="bm-heat-grid",
                    eventListeners=GRID_EVENTS,
                    columnDefs=phone_ready(heat_columns(years)),
                    # No rows until the section is reached: the grid says it is loading.
                    defaultColDef={"sortable": True, "filter": True, "resizable": True},
                    dashGridOptions={
                        **GRID_OPTIONS,
                        # Every header cell in the DOM: a narrow screen otherwise leaves a group
                        # heading row with no cells, which screen readers cannot read.
                        "suppressColumnVirtualisation": True,
                        "domLayout": "autoHeight",
                        "localeText": {"noRowsToShow": "No ASCOF ranks to show"},
                    },
                    rowClassRules={"bm-selected-row": "params.data.selected"},
                    getRowId="params.data.id",
                    style={"width": "100%"},
                ),
                grid_details("bm-heat-grid"),
            ],
            className="mb-4",
            **{"aria-labelledby": "bm-heat-heading"},
            # Read and drawn when it comes near the screen (callbacks.sections).
            id="bm-heat-section",
            **heat_watched,
        ),
    ]
    return empty_states.with_notice(children, empty_states.benchmarking(holdings()))
