"""Actions page (/actions): the peer challenge action plan, its review as at a date, and the published view."""

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import policy
from dashboard.auth import signed_in_user
from dashboard.domain.formatting import format_date
from dashboard.pages.action_forms import CHOOSE_ACTION
from dashboard.pages.edit_links import edit_link_store
from dashboard.queries import actions as action_queries
from dashboard.queries.params import QueryParams
from dashboard.queries.summary import holdings
from dashboard.ui import empty_states, forms, markup
from dashboard.ui.address import Address
from dashboard.ui.components import (
    GRID_EVENTS,
    GRID_OPTIONS,
    filter_select,
    grid_details,
    illustrative_marker,
    near_store,
    page_header,
    page_select,
    phone_ready,
)

dash.register_page(
    __name__, path="/actions", name="Actions", title="Actions – ASCH programme tracker", order=2
)

REVIEW_COLUMNS = [
    {"field": "recommendation", "headerName": "Rec.", "minWidth": 80, "maxWidth": 90},
    {
        "field": "title",
        "headerName": "Action",
        "minWidth": 240,
        "flex": 2,
        "wrapText": True,
        "autoHeight": True,
    },
    {
        "field": "status_then",
        "headerName": "Status then",
        "minWidth": 150,
        "wrapText": True,
        "autoHeight": True,
    },
    {
        "field": "rag_then",
        "headerName": "RAG then",
        "minWidth": 110,
        "valueFormatter": {"function": "ragLabel(params.value)"},
    },
    {
        "field": "percent_then",
        "headerName": "% then",
        "minWidth": 90,
        "valueFormatter": {"function": "percentLabel(params.value)"},
    },
    {
        "field": "due_then",
        "headerName": "Due then",
        "minWidth": 120,
        "valueFormatter": {"function": "ukDate(params.value)"},
    },
    {
        "field": "latest_note_then",
        "headerName": "Latest note then",
        "minWidth": 220,
        "flex": 1,
        "wrapText": True,
        "autoHeight": True,
    },
    {
        "field": "status_now",
        "headerName": "Status now",
        "minWidth": 150,
        "wrapText": True,
        "autoHeight": True,
    },
    {
        "field": "rag_now",
        "headerName": "RAG now",
        "minWidth": 110,
        "valueFormatter": {"function": "ragLabel(params.value)"},
    },
    {
        "field": "moved",
        "headerName": "What moved since",
        "minWidth": 240,
        "flex": 2,
        "wrapText": True,
        "autoHeight": True,
        "cellClassRules": {"act-moved": "params.value && params.value !== 'No change'"},
    },
]


def _download_buttons(prefix: str, label: str) -> html.Div:
    return html.Div(
        [
            dbc.Button(
                f"Download {label} (CSV)",
                id=f"{prefix}-csv",
                color="outline-primary",
                size="sm",
                className="me-2",
            ),
            dbc.Button(f"Download {label} (Excel)", id=f"{prefix}-xlsx", color="outline-primary", size="sm"),
        ],
        className="d-flex flex-wrap gap-1 my-2 no-print",
    )


def _filter_bar(filters: action_queries.ActionFilters, options: dict, may_edit: bool = False) -> html.Section:
    return html.Section(
        [
            html.H2("Filters", className="visually-hidden", id="act-filters-heading"),
            dbc.Row(
                [
                    filter_select(
                        "act-filter-rec", "Recommendation", options["recommendations"], filters.recommendation
                    ),
                    filter_select("act-filter-theme", "Theme", options["themes"], filters.theme),
                    filter_select("act-filter-owner", "Owner", options["owners"], filters.owner),
                    filter_select("act-filter-status", "Status", options["statuses"], filters.status),
                    filter_select("act-filter-project", "Delivered by", options["projects"], filters.project),
                    dbc.Col(
                        html.Fieldset(
                            [
                                html.Legend("Show only", className="small fw-semibold mb-1 fs-6"),
                                dbc.Checklist(
                                    id="act-filter-flags",
                                    options=[
                                        {"label": "Overdue", "value": "overdue"},
                                        {"label": "Not updated for 14+ days", "value": "stale"},
                                        *(
                                            [{"label": "Owed by me for the next board", "value": "owed"}]
                                            if may_edit or filters.owed
                                            else []
                                        ),
                                    ],
                                    value=[
                                        flag
                                        for flag, on in (
                                            ("overdue", filters.overdue),
                                            ("stale", filters.stale),
                                            ("owed", filters.owed),
                                        )
                                        if on
                                    ],
                                    inline=True,
                                ),
                            ]
                        ),
                        xs=12,
                        sm=6,
                        lg=3,
                        xl=2,
                        className="mb-2",
                    ),
                ],
                className="g-2 align-items-end",
            ),
            dcc.Link("Clear all filters", href="/actions", className="small", id="act-clear-filters"),
        ],
        className="filter-bar mb-3 p-3 bg-body-tertiary rounded no-print",
        **{"aria-labelledby": "act-filters-heading"},
    )


def _section(heading_id: str, title: str, children: list, class_name: str = "mb-4", **props) -> html.Section:
    return html.Section(
        [html.H2(title, className="h4", id=heading_id), *children],
        className=class_name,
        **{"aria-labelledby": heading_id},
        **props,
    )


def layout(**query):
    if QueryParams(query).choice("view", ("publish",), "not a view of this page") == "publish":
        return published_layout()
    filters = action_queries.ActionFilters.from_query(query)
    options = action_queries.action_filter_options()
    review_near, review_watched = near_store("act-review")
    children = [
        page_header(
            "Peer challenge action plan",
            "The six areas the peer challenge recommended for further action (letter of 2 Dec 2016), "
            "the actions taken on each, their progress, evidence and sign-off.",
        ),
        html.P(
            [
                "The peer challenge followed the self-assessment of Oct 2016: see which of its areas for "
                "improvement these actions answer on the ",
                dcc.Link("self-assessment page", href="/self-assessment", id="act-self-assessment-link"),
                ".",
            ],
            className="small mb-2",
        ),
        Address(id="act-url"),
        edit_link_store("action", query, signed_in_user()),
        dcc.Store(id="act-edit-choices"),  # the plan's choices, handed on only while that link waits
        dcc.Store(id="act-refresh", data=0),
        dcc.Store(id="act-sections-watched"),
        dcc.Download(id="act-download"),
        _filter_bar(filters, options, policy.is_editor(signed_in_user())),
        html.Div(id="act-illustrative", className="mb-2"),
        _section(
            "act-progress-heading",
            "Progress by recommendation",
            [
                html.P(id="act-progress-summary", className="chart-summary", **{"aria-live": "polite"}),
                # A long programme's chart draws a page of its recommendations (those needing attention
                # first): which, how many more, and the choice of page. Hidden while they all fit.
                html.Div(
                    [
                        html.P(id="act-progress-position", className="small mb-1"),
                        page_select("act-progress-page", 1),
                    ],
                    id="act-progress-pager",
                    hidden=True,
                ),
                dcc.Graph(
                    id="act-progress-chart",
                    config={"displaylogo": False, "responsive": True},
                    figure={"data": [], "layout": {"height": 300}},
                    className="no-print",
                ),
                html.Details(
                    [
                        html.Summary("The chart's figures as a table"),
                        html.Div(id="act-progress-table"),
                        _download_buttons("act-download-progress", "progress"),
                    ]
                ),
            ],
        ),
        _section(
            "act-plan-heading",
            "Actions by recommendation",
            [
                html.P(
                    "Downloads contain exactly the actions shown with the filters above.",
                    className="small text-body-secondary mb-0 no-print",
                ),
                _download_buttons("act-download-actions", "actions"),
                html.P(id="act-page-position", className="small mb-1"),
                page_select("act-page", filters.page),
                html.Div(id="act-sections"),
            ],
        ),
        _section(
            "act-detail-heading",
            "Action details, progress notes and evidence",
            [
                dbc.Row(
                    dbc.Col(
                        [
                            dbc.Label("Action", html_for="act-choose", className="fw-semibold"),
                            dbc.Select(
                                id="act-choose",
                                options=[],
                                placeholder="Choose an action",
                                value="",
                            ),
                        ],
                        md=8,
                    ),
                    className="mb-2 no-print",
                ),
                html.Div(id="act-message", role="status", **{"aria-live": "polite"}),
                # Drawn with the page: its callback runs once an action is chosen (or a change is saved).
                html.Div(html.P(CHOOSE_ACTION), id="act-detail"),
            ],
            class_name="mb-4 p-3 border rounded act-detail-panel",
        ),
        _section(
            "act-areas-heading",
            "What the peer challenge found, by theme",
            [
                html.P(id="act-areas-summary", className="chart-summary"),
                html.P(
                    "Open a theme to read its points and which recommendations' actions answer each. "
                    'Open themes are printed as they are; "Download areas" lists every point.',
                    className="text-body-secondary small mb-2 no-print",
                ),
                dbc.Accordion(id="act-areas", always_open=True, start_collapsed=True, class_name="mb-2"),
                _download_buttons("act-download-areas", "areas"),
            ],
        ),
        _section(
            "act-review-heading",
            "Review as at a date",
            [
                review_near,
                dcc.Store(id="act-review-wanted"),
                html.P(
                    "The plan as it stood at the end of the chosen date, rebuilt from the change history, "
                    "beside where it stands now. The March 2017 progress review is 31 Mar 2017.",
                    className="text-body-secondary",
                ),
                dbc.Row(
                    dbc.Col(
                        [
                            dbc.Label("Plan as at", html_for="act-asat", className="fw-semibold"),
                            forms.date_input("act-asat", filters.as_at, debounce=True),
                        ],
                        xs=12,
                        sm=6,
                        md=3,
                    ),
                    className="mb-2 no-print",
                ),
                html.Div(id="act-review-note"),
                html.P(id="act-review-summary", className="chart-summary", **{"aria-live": "polite"}),
                dag.AgGrid(
                    id="act-review-grid",
                    eventListeners=GRID_EVENTS,
                    columnDefs=phone_ready(REVIEW_COLUMNS),
                    # No rows until the review is reached: the grid says it is loading.
                    defaultColDef={"sortable": True, "resizable": True, "filter": True},
                    dashGridOptions={
                        **GRID_OPTIONS,
                        "domLayout": "autoHeight",
                        # Every row of the page drawn in one pass: past its default buffer the grid draws
                        # the rest again once it has measured the first rows' heights.
                        "rowBuffer": action_queries.ACTIONS_PER_PAGE,
                        "localeText": {"noRowsToShow": "No actions match these filters"},
                    },
                    style={"height": None},
                    className="ag-theme-alpine",
                ),
                grid_details("act-review-grid"),
                _download_buttons("act-download-review", "review"),
            ],
            # Read and drawn when it comes near the screen (callbacks.sections).
            id="act-review-section",
            **review_watched,
        ),
        _section(
            "act-publish-heading",
            "Publish",
            [
                html.P(
                    "The council publishes the peer challenge letter with its action plan. The published "
                    "version leaves out internal notes and the names of the people who made changes."
                ),
                html.Div(
                    [
                        dcc.Link(
                            "Open the print-friendly published plan",
                            href="/actions?view=publish",
                            className="btn btn-primary me-2",
                            id="act-publish-link",
                        ),
                        dbc.Button(
                            "Download the published plan (Excel)",
                            id="act-publish-xlsx",
                            color="outline-primary",
                        ),
                    ],
                    className="d-flex flex-wrap gap-1",
                ),
                dcc.Download(id="act-publish-download"),
            ],
            class_name="mb-4 no-print",
        ),
    ]
    return empty_states.with_notice(children, empty_states.actions(holdings()))


def published_layout() -> list:
    """What the council puts on its website: every action, public notes only, no user names."""
    plan = action_queries.published_plan()
    recommendations = action_queries.recommendations()
    headings = ("Action", "Owner", "Due", "Status", "RAG", "Latest progress", "Evidence")
    # One block of markup for the whole plan: it appears at once however many actions there are.
    sections = []
    for rec in recommendations.itertuples(index=False):
        rows = plan[plan["Recommendation"] == rec.number]
        cells = [
            [
                row["Action"],
                row["Owner (role)"],
                format_date(row["Due date"]),
                row["Status"],
                markup.rag_badge(row["RAG"]) if row["RAG"] else "—",
                row["Latest progress"] or "—",
                row["Evidence"] or "—",
            ]
            for _, row in rows.iterrows()
        ]
        sections.append(
            markup.element(
                "section",
                markup.element("h2", f"Recommendation {rec.number}", class_="h5 mb-1"),
                markup.element("p", markup.element("q", rec.text), class_="act-rec-text"),
                markup.table(
                    headings,
                    cells,
                    empty="No actions recorded.",
                    class_="table table-sm align-top act-table act-published-table",
                ),
                class_="act-published-section mb-3",
            )
        )
    return [
        html.Div(
            [
                page_header(
                    "Peer challenge action plan – published version",
                    "Birmingham City Council's response to the Adult Social Care peer challenge "
                    "(letter of 2 Dec 2016): the areas recommended for further action and the actions taken.",
                ),
                empty_states.published_plan(holdings()),
                html.P(
                    [
                        illustrative_marker("Actions, owners, dates and progress are illustrative"),
                        " The actions, owners, dates and progress are illustrative: the letter gives only "
                        "the recommendations.",
                    ],
                    className="small",
                )
                if (plan["Illustrative data"] == "yes").any()
                else None,
                html.Div(
                    [
                        dbc.Button("Print", id="act-print", color="primary", className="me-2"),
                        dbc.Button(
                            "Download the published plan (Excel)",
                            id="act-publish-xlsx",
                            color="outline-primary",
                        ),
                        dcc.Link(
                            "Back to the action plan", href="/actions", className="ms-3 align-self-center"
                        ),
                        html.Span(id="act-print-status", className="visually-hidden"),
                    ],
                    className="d-flex flex-wrap gap-1 mb-3 no-print",
                ),
                dcc.Download(id="act-publish-download"),
                markup.block(markup.join(sections), "act-published-plan"),
                html.P(
                    "Progress notes marked internal and the names of the people who recorded changes are "
                    "not published.",
                    className="small text-body-secondary",
                ),
            ],
            className="act-published",
            id="act-published",
        )
    ]
