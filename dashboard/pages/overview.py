"""Overview page (/): headline tiles, the plain-language summary and everything since the last board."""

import datetime as dt

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import clock
from dashboard.auth import signed_in_user
from dashboard.domain.formatting import format_date
from dashboard.pages.board_window import window_section
from dashboard.queries import board
from dashboard.queries.params import QueryParams, ignore
from dashboard.queries.summary import holdings
from dashboard.ui import empty_states, forms
from dashboard.ui.address import Address
from dashboard.ui.components import page_header
from dashboard.ui.forms import field_error

dash.register_page(__name__, path="/", name="Overview", title="Overview – ASCH programme tracker", order=0)


def chosen_meeting(query_value: str | None, meetings: list[board.Meeting], today: dt.date) -> str | None:
    """The meeting in the URL if it is one; otherwise the last board held by today."""
    dates = {meeting.meeting_date.isoformat() for meeting in meetings}
    if query_value in dates:
        return query_value
    if query_value is not None:
        ignore("since", query_value, "not a recorded board meeting")
    last = board.last_meeting_before(today, meetings)
    return last.meeting_date.isoformat() if last else None


def _admin_meeting_form() -> html.Section:
    return html.Section(
        [
            html.H2("Record a board meeting", className="h5", id="ov-meeting-heading"),
            html.Div(id="ov-meeting-message", role="status"),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dbc.Label("Meeting date", html_for="ov-meeting-date"),
                            field_error("ov-meeting-meeting_date"),
                            forms.date_input("ov-meeting-date"),
                        ],
                        md=3,
                    ),
                    dbc.Col(
                        [
                            dbc.Label("Title", html_for="ov-meeting-title"),
                            field_error("ov-meeting-title"),
                            dbc.Input(id="ov-meeting-title", value="Programme board", maxLength=220),
                        ],
                        md=5,
                    ),
                    dbc.Col(
                        dbc.Button("Add meeting", id="ov-meeting-save", color="secondary"),
                        md="auto",
                        className="align-self-end",
                    ),
                ],
                className="g-2",
            ),
        ],
        className="admin-panel mt-4 p-3 border rounded",
        **{"aria-labelledby": "ov-meeting-heading"},
    )


def layout(**query):
    today = clock.today()
    meetings = board.board_meetings()
    user = signed_in_user()
    children = [
        page_header(
            "Programme overview",
            f"Adult Social Care and Health transformation programme, as at {format_date(today)}: the plan, "
            "the peer challenge response, savings and outcomes.",
        ),
        Address(id="ov-url"),
        html.Section(
            [
                html.H2("In brief", className="h4", id="ov-brief-heading"),
                html.Div(id="ov-plain", className="plain-language", **{"aria-live": "polite"}),
            ],
            className="mb-4",
            **{"aria-labelledby": "ov-brief-heading"},
        ),
        html.Section(
            [html.H2("Headlines", className="h4", id="ov-tiles-heading"), html.Div(id="ov-tiles")],
            className="mb-4",
            **{"aria-labelledby": "ov-tiles-heading"},
        ),
        html.Section(
            [
                html.Div(
                    [
                        html.H2("Since the last board", className="h4 mb-0 me-auto", id="ov-changes-heading"),
                        dcc.Link(
                            "Prepare the board pack",
                            href="/pack",
                            className="btn btn-outline-primary btn-sm",
                            id="ov-pack-link",
                        ),
                    ],
                    className="d-flex align-items-center flex-wrap gap-2 mb-2",
                ),
                dbc.Row(
                    dbc.Col(
                        [
                            dbc.Label(
                                "Changes since the board meeting of",
                                html_for="ov-since",
                                className="fw-semibold",
                            ),
                            dbc.Select(
                                id="ov-since",
                                options=board.meeting_choices(meetings, clock.today()),
                                value=chosen_meeting(QueryParams(query).text("since"), meetings, today),
                            ),
                        ],
                        md=5,
                    ),
                    className="mb-2",
                ),
                html.Div(id="ov-changes"),
            ],
            className="mb-4",
            **{"aria-labelledby": "ov-changes-heading"},
        ),
        html.Section(
            [html.H2("Updates owed", className="h4", id="ov-owed-heading"), html.Div(id="ov-owed")],
            className="mb-4",
            **{"aria-labelledby": "ov-owed-heading"},
        ),
        window_section(user, meetings, today),
    ]
    if user is not None and user.is_admin:
        children.append(_admin_meeting_form())
    return empty_states.with_notice(children, empty_states.overview(holdings()))
