"""The overview's "Updates for the next board" section: what each lead owes, what came in late, when
each was last reminded; for the programme office, "Remind leads now" and when updates are due."""

from __future__ import annotations

import datetime as dt

import dash_bootstrap_components as dbc
from dash import dcc, html
from flask import current_app, has_app_context

from dashboard.domain.formatting import format_date
from dashboard.queries import board
from dashboard.ui import forms
from dashboard.ui.forms import field_error


def mail_configured() -> bool:
    settings = current_app.config.get("DASHBOARD_SETTINGS") if has_app_context() else None
    return settings is not None and settings.mail is not None


def _remind_panel(configured: bool) -> html.Div:
    if not configured:
        # The button is left out of sight (its callback is still reachable, and refuses without mail).
        return html.Div(
            [
                dbc.Button("Remind leads now", id="ov-remind", style={"display": "none"}),
                html.P(
                    "Reminder emails are off: mail is not configured on this server (SMTP_HOST, MAIL_FROM "
                    "and PUBLIC_BASE_URL).",
                    className="small text-body-secondary mb-2",
                    id="ov-remind-off",
                ),
                html.Div(id="ov-remind-result", role="status"),
            ]
        )
    return html.Div(
        [
            dbc.Button("Remind leads now", id="ov-remind", color="primary", className="me-2"),
            html.Span(
                "Emails each lead who owes updates for the next board the list, once per meeting.",
                className="small text-body-secondary",
            ),
            html.Div(id="ov-remind-result", role="status", className="mt-2"),
        ],
        className="mb-3",
    )


def upcoming_meeting_options(meetings: list[board.Meeting], today: dt.date) -> list[dict]:
    """The meetings still to come, latest first (the next one last), as the due form's choices."""
    return [
        {"label": f"{format_date(meeting.meeting_date)} – {meeting.title}", "value": str(meeting.id)}
        for meeting in reversed(meetings)
        if meeting.meeting_date > today
    ]


def _due_form(meetings: list[board.Meeting], today: dt.date) -> html.Div:
    options = upcoming_meeting_options(meetings, today)
    return html.Div(
        [
            html.H3("When updates are due", className="h6", id="ov-due-heading"),
            html.P(
                "By default, noon (UK time) two working days before the meeting. Leave the date and time "
                "blank to go back to the default.",
                className="small text-body-secondary mb-2",
            ),
            html.Div(id="ov-due-message", role="status"),
            dcc.Store(id="ov-due-version"),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dbc.Label("Meeting", html_for="ov-due-meeting"),
                            dbc.Select(
                                id="ov-due-meeting",
                                options=options,
                                value=options[-1]["value"] if options else None,
                                placeholder="Choose a meeting still to come",
                            ),
                        ],
                        md=4,
                    ),
                    dbc.Col(
                        [
                            dbc.Label("Date updates are due", html_for="ov-due-date"),
                            field_error("ov-due-due_date"),
                            forms.date_input("ov-due-date"),
                        ],
                        md=3,
                    ),
                    dbc.Col(
                        [
                            dbc.Label("Time (UK, 24-hour)", html_for="ov-due-time"),
                            field_error("ov-due-due_time"),
                            dbc.Input(id="ov-due-time", placeholder="12:00", maxLength=5, autoComplete="off"),
                        ],
                        md=2,
                    ),
                    dbc.Col(
                        dbc.Button("Set when updates are due", id="ov-due-save", color="secondary"),
                        md="auto",
                        className="align-self-end",
                    ),
                ],
                className="g-2",
            ),
        ],
        className="admin-panel mt-3 p-3 border rounded",
    )


def window_section(user, meetings: list[board.Meeting], today: dt.date) -> html.Section:
    children = [
        html.H2("Updates for the next board", className="h4", id="ov-window-heading"),
        dcc.Store(id="ov-window-refresh", data=0),
        html.Div(id="ov-window"),
    ]
    if user is not None and user.is_admin:
        children.insert(1, _remind_panel(mail_configured()))
        children.append(_due_form(meetings, today))
    return html.Section(children, className="mb-4", **{"aria-labelledby": "ov-window-heading"})
