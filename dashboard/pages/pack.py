"""Board pack page (/pack): choose a meeting, download the pack as Excel, or print it from the page."""

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import clock
from dashboard.queries import board
from dashboard.queries.params import QueryParams
from dashboard.queries.summary import holdings
from dashboard.reports.pack import chosen_meeting
from dashboard.ui import empty_states
from dashboard.ui.address import Address
from dashboard.ui.components import page_header

dash.register_page(
    __name__, path="/pack", name="Board pack", title="Board pack – ASCH programme tracker", order=7
)


def layout(**query):
    meetings = board.board_meetings()
    value = chosen_meeting(QueryParams(query).text("meeting"), meetings, clock.today())
    controls = dbc.Row(
        [
            dbc.Col(
                [
                    dbc.Label("Board meeting", html_for="pack-meeting", className="fw-semibold"),
                    dbc.Select(
                        id="pack-meeting", options=board.meeting_choices(meetings, clock.today()), value=value
                    ),
                ],
                md=5,
                className="mb-2",
            ),
            dbc.Col(
                html.Div(
                    [
                        dbc.Button(
                            "Download the board pack (Excel)",
                            id="pack-download-xlsx",
                            color="primary",
                            disabled=value is None,
                        ),
                        dbc.Button("Print", id="pack-print", color="outline-primary"),
                    ],
                    className="d-flex gap-2 flex-wrap",
                ),
                md="auto",
                className="align-self-end mb-2",
            ),
        ],
        className="g-2",
    )
    return html.Div(
        [
            html.Div(
                [
                    page_header(
                        "Board pack",
                        "The weekly pack for a programme board meeting: summary, milestones, actions, "
                        "savings, KPIs and everything that changed since the last board. Download it as "
                        "an Excel workbook or print this page.",
                    ),
                    empty_states.pack(holdings()),
                    controls,
                    html.Div(
                        [
                            html.Span(id="pack-progress", className="me-2"),
                            dcc.Loading(html.Span(id="pack-status"), type="circle", display="auto"),
                        ],
                        className="pack-status d-flex align-items-center mb-3",
                        role="status",
                        **{"aria-live": "polite"},
                    ),
                    html.Span(id="pack-print-status", className="visually-hidden"),
                    dcc.Download(id="pack-download"),
                ],
                className="pack-controls",
            ),
            Address(id="pack-url"),
            dcc.Store(id="pack-drawn"),
            # The spinner only for a wait worth showing: hiding the pack while another meeting's parts
            # arrive (a tenth of a second) blanked the page and had the browser lay the whole pack out
            # twice more.
            dcc.Loading(
                html.Article(
                    id="pack-document",
                    className="pack-document",
                    **{"aria-label": "Board pack"},
                ),
                type="default",
                delay_show=300,
            ),
        ],
        className="pack-page",
    )
