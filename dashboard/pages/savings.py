"""Savings page (/savings): targets, forecasts and realised savings by year and project; benefits; edits."""

from dataclasses import replace

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import models as m
from dashboard import policy
from dashboard.auth import signed_in_user
from dashboard.domain import savings as saving_rules
from dashboard.pages.edit_links import edit_link_store
from dashboard.queries import savings as saving_queries
from dashboard.queries.summary import holdings
from dashboard.reports.tables import SAVING_LINE_GRID
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
)
from dashboard.ui.forms import NO_CHOICE, field_error

dash.register_page(
    __name__, path="/savings", name="Savings", title="Savings – ASCH programme tracker", order=3
)

GRID_COLUMNS = SAVING_LINE_GRID.grid_columns(
    fy_label={"minWidth": 120, "pinned": "left", **PHONE},
    programme={"minWidth": 180},
    project={"minWidth": 170},
    description={"minWidth": 280, "flex": 2, "wrapText": True, "autoHeight": True, **PHONE},
    plain_forecast=PHONE,
    category={"minWidth": 120},
    variance={"cellClassRules": {"savings-short": "params.value < 0"}},
    confidence={"minWidth": 120},
    fte={"minWidth": 90},
    milestone={"minWidth": 200, "wrapText": True},
    at_risk={"minWidth": 130, "cellClassRules": {"savings-at-risk": "params.value === 'yes'"}},
    proposed_year={"minWidth": 120},
)


def _filter_bar(filters: saving_queries.SavingFilters, options: dict, may_edit: bool = False) -> html.Section:
    confidence_options = [{"label": level, "value": level} for level in m.CONFIDENCE_LEVELS] + [
        {"label": "Not rated", "value": "none"}
    ]
    year = filters.to_query().get("fy")
    return html.Section(
        [
            html.H2("Filters", className="visually-hidden", id="sv-filters-heading"),
            dbc.Row(
                [
                    # No "All": councils' savings are never added together (see organisation_note).
                    filter_select(
                        "sv-filter-org",
                        "Organisation",
                        options["organisations"],
                        filters.organisation,
                        placeholder=None,
                    ),
                    filter_select(
                        "sv-filter-programme", "Programme", options["programmes"], filters.programme
                    ),
                    filter_select("sv-filter-project", "Project", options["projects"], filters.project),
                    filter_select("sv-filter-fy", "Financial year", options["years"], year),
                    filter_select(
                        "sv-filter-category", "Kind of saving", options["categories"], filters.category
                    ),
                    filter_select(
                        "sv-filter-confidence", "Confidence", confidence_options, filters.confidence
                    ),
                ],
                className="g-2",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        html.Fieldset(
                            [
                                html.Legend("Show only", className="small fw-semibold mb-1 fs-6"),
                                dbc.Checklist(
                                    id="sv-filter-flags",
                                    options=[{"label": "At risk from slippage", "value": "at_risk"}]
                                    + (
                                        [{"label": "Owed by me for the next board", "value": "owed"}]
                                        if may_edit or filters.owed
                                        else []
                                    ),
                                    value=[
                                        flag
                                        for flag, on in (("at_risk", filters.at_risk), ("owed", filters.owed))
                                        if on
                                    ],
                                    inline=True,
                                ),
                            ]
                        ),
                        xs=12,
                        md=6,
                    ),
                    dbc.Col(
                        dcc.Link(
                            "Clear all filters", href="/savings", className="small", id="sv-clear-filters"
                        ),
                        xs=12,
                        md=6,
                        className="text-md-end",
                    ),
                ],
                className="g-2 align-items-end",
            ),
        ],
        className="filter-bar mb-3 p-3 bg-body-tertiary rounded",
        **{"aria-labelledby": "sv-filters-heading"},
    )


def _organisation_note() -> html.P:
    return html.P(
        "Savings are shown for one organisation at a time: figures of different councils are never "
        "added together. Choose the organisation above to see its savings.",
        className="small text-body-secondary",
        id="sv-organisation-note",
    )


def _downloads(prefix: str, label: str) -> html.Div:
    return html.Div(
        [
            dbc.Button(
                f"Download {label} CSV",
                id=f"sv-download-{prefix}-csv",
                color="outline-primary",
                size="sm",
                className="me-2",
            ),
            dbc.Button(
                f"Download {label} Excel", id=f"sv-download-{prefix}-xlsx", color="outline-primary", size="sm"
            ),
        ],
        className="d-flex flex-wrap gap-1",
    )


def _section(heading_id: str, title: str, children: list, level: str = "h4", **props) -> html.Section:
    return html.Section(
        [html.H2(title, className=level, id=heading_id), *children],
        className="mb-4",
        **{"aria-labelledby": heading_id},
        **props,
    )


def _weights_note() -> html.P:
    weights = ", ".join(
        f"{level} {int(weight * 100)}%" for level, weight in saving_rules.CONFIDENCE_WEIGHTS.items()
    )
    return html.P(
        [
            "Confidence-weighted forecast = forecast × weight for the line's confidence: ",
            weights,
            "; a line with no rating counts as Low. A line with no forecast counts at its target. "
            "A line that depends on a milestone and is not yet Delivered is at risk from slippage when "
            "the milestone's current end date is after 1 April of the line's financial year.",
        ],
        className="small text-body-secondary",
        id="sv-rules",
    )


def _edit_form(is_admin: bool) -> html.Section:
    """Leads record forecast, realised and confidence; the server decides what each user may save."""

    def field(label: str, control, name: str, hint: str | None = None) -> html.Div:
        return forms.field(label, control, f"sv-edit-{name}", hint)

    admin_hint = None if is_admin else "Only the programme office can change this"
    confidence_options = [{"label": "Not rated", "value": NO_CHOICE}] + [
        {"label": level, "value": level} for level in m.CONFIDENCE_LEVELS
    ]
    return forms.edit_panel(
        "sv-edit",
        heading="Record forecast and realised savings",
        lead="Choose one of the saving lines you can update, or press Update on its row in the table. "
        "Amounts are in pounds, for example 654000 or 654,000.50.",
        select_label="Saving line to update",
        placeholder="Choose a saving line",
        body=[
            dbc.Row(
                [
                    dbc.Col(
                        field(
                            "Financial year",
                            dbc.Input(id="sv-edit-financial_year", disabled=not is_admin, maxLength=9),
                            "financial_year",
                            admin_hint or "April to March, written like 2019/20",
                        ),
                        md=3,
                    ),
                    dbc.Col(
                        field(
                            "Target (£)",
                            dbc.Input(
                                id="sv-edit-target",
                                disabled=not is_admin,
                                inputMode="decimal",
                                maxLength=20,
                            ),
                            "target",
                            admin_hint,
                        ),
                        md=3,
                    ),
                    dbc.Col(
                        field(
                            "Forecast (£)",
                            dbc.Input(id="sv-edit-forecast", inputMode="decimal", maxLength=20),
                            "forecast",
                        ),
                        md=3,
                    ),
                    dbc.Col(
                        field(
                            "Realised (£)",
                            dbc.Input(id="sv-edit-realised", inputMode="decimal", maxLength=20),
                            "realised",
                            "Only for a year that has started",
                        ),
                        md=3,
                    ),
                ]
            ),
            dbc.Row(
                [
                    dbc.Col(
                        field(
                            "Confidence",
                            dbc.Select(id="sv-edit-confidence", options=confidence_options),
                            "confidence",
                        ),
                        md=3,
                    ),
                    dbc.Col(
                        field(
                            "Reason for the confidence rating",
                            dbc.Textarea(id="sv-edit-confidence_reason", maxLength=600, rows=2),
                            "confidence_reason",
                            "Required whenever the line has a confidence rating",
                        ),
                        md=9,
                    ),
                ]
            ),
        ],
        save_label="Save saving line",
        from_table=True,
    )


def _rephase_tools() -> html.Div:
    return html.Div(
        [
            html.H3("Accept a re-phasing proposal", className="h5 mt-3"),
            html.P(
                "Moves the line's target and forecast to the year its milestone now ends in. "
                "The total stays the same; the change is recorded in the audit trail.",
                className="small",
            ),
            html.Div(id="sv-rephase-message", role="status"),
            dbc.Label("Proposal", html_for="sv-rephase-select", className="fw-semibold"),
            field_error("sv-rephase"),
            dbc.Select(
                id="sv-rephase-select",
                options=[],
                placeholder="Choose a proposal",
                value="",
                className="mb-2",
            ),
            dbc.Button("Accept re-phasing", id="sv-rephase-accept", color="secondary"),
        ],
        className="admin-panel p-3 border rounded",
        id="sv-rephase-tools",
    )


def _table_with_downloads(prefix: str, label: str, table_id: str) -> list:
    return [
        _downloads(prefix, label),
        # A scrolling table must be reachable by keyboard (WCAG 2.1.1): focusable, named region.
        html.Div(
            id=table_id,
            className="table-responsive mt-2",
            tabIndex="0",
            role="region",
            **{"aria-label": f"Savings {label} table"},
        ),
    ]


def layout(**query):
    filters = saving_queries.SavingFilters.from_query(query)
    options = saving_queries.saving_filter_options()
    if filters.organisation not in {option["value"] for option in options["organisations"]}:
        filters = replace(
            filters, organisation=saving_queries.organisation_for(replace(filters, organisation=None))
        )
    user = signed_in_user()
    is_admin = user is not None and user.is_admin
    lines_near, lines_watched = near_store("sv-lines")
    # The bridge, projects, at-risk list and benefits: drawn once reached (callbacks.savings.view).
    later_near, later_watched = near_store("sv-later")
    children = [
        page_header(
            "Savings",
            "Will the savings in the financial plan land, and when? Target, forecast and realised savings "
            "by financial year (April to March) and project, with confidence and benefits.",
        ),
        *(
            [html.P(forms.focus_link("Update one of your saving lines", "sv-edit-select"), className="mb-2")]
            if policy.is_editor(user)
            else []
        ),
        Address(id="sv-url"),
        edit_link_store("saving", query, user),
        dcc.Store(id="sv-refresh", data=0),
        dcc.Store(id="sv-sections-watched"),
        dcc.Store(id="sv-later"),
        later_near,
        dcc.Download(id="sv-download"),
        _filter_bar(filters, options, policy.is_editor(user)),
        _organisation_note(),
        html.Div(id="sv-illustrative", className="mb-2"),
        html.Section(
            [html.H2("Totals", className="visually-hidden", id="sv-cards-heading"), html.Div(id="sv-cards")],
            className="mb-3",
            **{"aria-labelledby": "sv-cards-heading"},
        ),
        _weights_note(),
        _section(
            "sv-years-heading",
            "By financial year",
            [
                html.P(id="sv-cumulative-summary", className="chart-summary"),
                held_height(
                    dcc.Graph(
                        id="sv-cumulative",
                        config={"displaylogo": False, "responsive": True},
                        figure={"data": [], "layout": {"height": 380}},
                    ),
                    380,
                ),
                html.P(
                    "The chart's figures are in the table below (cumulative columns).",
                    className="small text-body-secondary",
                ),
                *_table_with_downloads("years", "by year", "sv-years-table"),
            ],
        ),
        _section(
            "sv-bridge-heading",
            "From target to forecast",
            [
                html.P(id="sv-bridge-summary", className="chart-summary"),
                held_height(
                    dcc.Graph(
                        id="sv-bridge",
                        config={"displaylogo": False, "responsive": True},
                        figure={"data": [], "layout": {"height": 460}},
                    ),
                    460,
                ),
                html.Details(
                    [html.Summary("The bridge as a table"), html.Div(id="sv-bridge-table", className="mt-2")],
                ),
            ],
            **later_watched,
        ),
        _section(
            "sv-projects-heading",
            "By programme and project",
            _table_with_downloads("projects", "by project", "sv-projects-table"),
            **later_watched,
        ),
        _section(
            "sv-lines-heading",
            "Saving lines",
            [
                lines_near,
                dcc.Store(id="sv-lines-wanted"),
                _downloads("lines", "lines"),
                html.P(
                    "Downloads contain exactly the rows shown, including any sorting or column filters "
                    "applied in the table. The bottom row totals every line that matches the filters.",
                    className="small text-body-secondary mt-2",
                ),
                html.P(id="sv-page-position", className="small mb-1"),
                page_select("sv-page", filters.page),
                dag.AgGrid(
                    id="sv-grid",
                    columnDefs=phone_ready(editable_grid_columns(GRID_COLUMNS, user)),
                    # No rows at all until the section is reached: the grid says it is loading, not
                    # that no line matches.
                    defaultColDef={"sortable": True, "filter": True, "resizable": True},
                    eventListeners=GRID_EVENTS,
                    dashGridOptions={
                        **GRID_OPTIONS,
                        "domLayout": "autoHeight",
                        "localeText": {"noRowsToShow": "No saving lines match these filters"},
                    },
                    getRowId="params.data.id",
                    style={"width": "100%"},
                ),
                grid_details("sv-grid"),
            ],
            # The page of lines is read and drawn when the section comes near the screen
            # (callbacks.sections): 100 rows of a grid are most of drawing the page.
            id="sv-lines",
            **lines_watched,
        ),
        _section(
            "sv-slippage-heading",
            "At risk from slippage",
            [html.Div(id="sv-slippage"), *([_rephase_tools()] if is_admin else [])],
            **later_watched,
        ),
        _section(
            "sv-detail-heading",
            "Confidence history of a line",
            [
                dbc.Label("Saving line", html_for="sv-detail-select", className="fw-semibold"),
                dbc.Select(id="sv-detail-select", options=[], value="", placeholder="Choose a saving line"),
                html.Div(id="sv-detail", className="mt-2"),
            ],
            # Its choices are the lines on the page shown, read as the lines' section is (or when
            # this section is reached first, jumping past the lines).
            **lines_watched,
        ),
        _section(
            "sv-benefits-heading",
            "Benefits register",
            [
                html.P(
                    "Non-financial benefits, each measured by a KPI, shown against that KPI's recorded values.",
                    className="small text-body-secondary",
                ),
                *_table_with_downloads("benefits", "benefits", "sv-benefits"),
            ],
            **later_watched,
        ),
    ]
    # Showing the form is a convenience; services.savings.update_saving_line decides what may be saved.
    if policy.is_editor(user):
        children.append(_edit_form(is_admin))
    return empty_states.with_notice(children, empty_states.savings(holdings()))
