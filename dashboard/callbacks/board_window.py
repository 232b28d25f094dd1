"""Overview: updates for the next board (owed per lead, late for the last one, last reminded), the
programme office's "Remind leads now", and when a meeting's updates are due."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, State, html, no_update
from flask import current_app

from dashboard import clock
from dashboard.auth import signed_in_user
from dashboard.callbacks import ADMINS, EVERYONE, callback
from dashboard.callbacks.common import answer_write, bumped
from dashboard.domain.formatting import format_date, format_datetime, in_uk_time
from dashboard.pages.board_window import upcoming_meeting_options
from dashboard.queries import board
from dashboard.queries import update_window as window_queries
from dashboard.queries.params import row_id
from dashboard.queries.update_window import KIND_LABELS, Item, LeadCount
from dashboard.services.reminders import send_reminders
from dashboard.services.update_window import set_updates_due
from dashboard.ui import markup
from dashboard.ui.forms import ERRORS, Conflicts, FormOutputs, check_the_fields

ITEMS_LISTED = 8  # per lead on the overview; the reminder email and the filtered pages list them all


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _item_links(items: list[Item], count: int) -> markup.Html:
    """A lead's first items, each a link that opens its update form, and how many more there are."""
    rest = count - len(items)
    entries = [
        markup.element("li", markup.element("a", f"{KIND_LABELS[item.kind]}: {item.title}", href=item.path))
        for item in items
    ] + ([markup.element("li", f"and {_plural(rest, 'more item')}")] if rest > 0 else [])
    return markup.element("ul", markup.join(entries), class_="mb-0 small")


def owed_table(groups: list[tuple[LeadCount, list[Item]]], reminded: dict) -> markup.MarkupBlock:
    """Per lead: how many updates they owe, their first items and when they were last reminded. One
    block of markup: as Dash components (about 20 a lead) a large programme's 120 leads took the
    overview over 15 s to draw."""
    rows = []
    for group, items in groups:
        when = reminded.get(group.lead.user_id) if group.lead else None
        rows.append(
            [
                group.name,
                f"{group.count:,}",
                _item_links(items, group.count),
                format_datetime(when) if when else ("Not reminded" if group.lead else "No lead to remind"),
            ]
        )
    return markup.block(
        markup.table(
            ["Lead", "Owed", "Items (each opens its update form)", "Last reminded"],
            rows,
            numeric=(1,),
            row_headers=True,
            class_="table table-sm table-hover",
        ),
        id="ov-window-table",
    )


def late_summary(window, groups: list[tuple[LeadCount, list[Item]]]) -> html.Div:
    heading = (
        f"Came in late for the board of {format_date(window.meeting_date)} "
        f"(due {format_datetime(window.due_at)}):"
    )
    if not groups:
        return html.P(
            f"Nothing came in late for the board of {format_date(window.meeting_date)}.", id="ov-late"
        )
    return html.Div(
        [
            html.P(heading, className="mb-1 fw-semibold"),
            html.Ul(
                [
                    html.Li(
                        f"{group.name}: {_plural(group.count, 'item')} ("
                        + "; ".join(item.title for item in items)
                        + ("; …" if group.count > len(items) else "")
                        + ")"
                    )
                    for group, items in groups
                ]
            ),
        ],
        id="ov-late",
    )


@callback(
    Output("ov-window", "children"),
    Input("ov-window", "id"),
    Input("ov-window-refresh", "data"),
    roles=EVERYONE,
)
def show_update_window(_component, _refresh):
    today = clock.today()
    found = window_queries.windows()
    window = window_queries.next_window(today, found)
    parts = []
    if window is None:
        parts.append(
            html.P(
                "No board meeting after today is recorded, so no updates are due yet. The programme office "
                "records meetings below."
            )
        )
    else:
        set_by = " (set by the programme office)" if window.due_set else ""
        opened = (
            f"Items changed since {format_datetime(window.opens_at)}, when updates were due for the "
            "previous board, count as updated."
            if window.opens_at
            else "No earlier board is recorded, so every open item is owed."
        )
        passed = clock.now() >= window.due_at
        parts.append(
            html.P(
                [
                    html.Strong(
                        f"Board on {format_date(window.meeting_date)} ({window.title}): updates "
                        f"{'were' if passed else 'are'} due by {format_datetime(window.due_at)} (UK time){set_by}."
                        + (" What is still owed is late." if passed else "")
                    ),
                    " ",
                    opened,
                ],
                id="ov-window-due",
            )
        )
        groups = window_queries.owed_first_by_lead(window, ITEMS_LISTED)
        me = signed_in_user()
        mine = next((group for group, _ in groups if group.lead and me and group.lead.user_id == me.id), None)
        if me is not None and me.role == "lead":
            parts.append(
                html.P(
                    f"You owe {_plural(mine.count, 'update')} for this board: listed under your name below."
                    if mine
                    else "You owe no updates for this board.",
                    className="fw-semibold",
                    id="ov-window-mine",
                )
            )
        if groups:
            parts.append(owed_table(groups, window_queries.last_reminded(window.meeting_id)))
        else:
            parts.append(
                html.P("No updates are owed: every open item has been updated since.", id="ov-window-none")
            )
    late_window = window_queries.last_due_window(clock.now(), found)
    if late_window is not None:
        parts.append(late_summary(late_window, window_queries.late_first_by_lead(late_window, ITEMS_LISTED)))
    return parts


@callback(
    Output("ov-remind-result", "children"),
    Output("ov-window-refresh", "data"),
    Input("ov-remind", "n_clicks"),
    State("ov-window-refresh", "data"),
    roles=ADMINS,
    prevent_initial_call=True,
)
def remind_leads_now(clicks, refresh):
    if not clicks:
        return no_update, no_update
    settings = current_app.config.get("DASHBOARD_SETTINGS")
    if settings is None or settings.mail is None:
        return dbc.Alert(
            "Mail is not configured on this server, so no reminder was sent.", color="warning"
        ), no_update
    run = send_reminders(signed_in_user(), settings.mail, clock.today())
    if run.window is None:
        return dbc.Alert(
            "No board meeting after today is recorded: there is nothing to remind leads of.", color="info"
        ), no_update
    if not run.outcomes:
        return dbc.Alert("No lead owes an update: nothing was sent.", color="info"), no_update
    return (
        dbc.Alert(
            [
                html.P(
                    f"Reminders for the board on {format_date(run.window.meeting_date)}:", className="mb-1"
                ),
                html.Ul(
                    [html.Li(outcome.line(command=False)) for outcome in run.outcomes],
                    className="mb-0",
                ),
            ],
            color="warning" if run.failed else "success",
        ),
        bumped(refresh),
    )


@callback(
    Output("ov-due-meeting", "options"),
    Output("ov-window-refresh", "data", allow_duplicate=True),
    Input("ov-since", "options"),
    State("ov-window-refresh", "data"),
    roles=ADMINS,
    prevent_initial_call=True,
)
def follow_recorded_meetings(_meetings, refresh):
    """A meeting just recorded on the overview is offered here and counted in the window at once."""
    return upcoming_meeting_options(board.board_meetings(), clock.today()), bumped(refresh)


@callback(
    Output("ov-due-date", "value"),
    Output("ov-due-time", "value"),
    Output("ov-due-version", "data"),
    Input("ov-due-meeting", "value"),
    roles=ADMINS,
)
def open_updates_due(meeting):
    chosen = row_id(meeting)
    window = window_queries.window_by_id(chosen) if chosen is not None else None
    if window is None:
        return None, None, None
    local = in_uk_time(window.due_at)
    return (
        f"{local:%d/%m/%Y}",
        f"{local:%H:%M}",
        {"id": window.meeting_id, "version": window.version},
    )


DUE_FORM = FormOutputs(
    ("message", ERRORS, "refresh", "version"),
    ("due_date", "due_time"),
    kept=frozenset({"refresh", "version"}),
    problem=check_the_fields,
    conflicts=Conflicts("board_meeting", "board meeting", "Choose the meeting again to load the latest."),
)


@callback(
    Output("ov-due-message", "children"),
    Output("ov-due-due_date-error", "children"),
    Output("ov-due-due_time-error", "children"),
    Output("ov-window-refresh", "data", allow_duplicate=True),
    Output("ov-due-version", "data", allow_duplicate=True),
    Input("ov-due-save", "n_clicks"),
    State("ov-due-version", "data"),
    State("ov-due-date", "value"),
    State("ov-due-time", "value"),
    State("ov-window-refresh", "data"),
    roles=ADMINS,
    prevent_initial_call=True,
)
def save_updates_due(clicks, opened, day, time, refresh):
    if not clicks:
        return DUE_FORM.unchanged()
    meeting_id = row_id(opened.get("id")) if isinstance(opened, dict) else None
    version = opened.get("version") if isinstance(opened, dict) else None
    if meeting_id is None or not isinstance(version, int) or isinstance(version, bool):
        return DUE_FORM.warning("Choose a meeting still to come first.")

    def saved(new_version: int) -> tuple:
        window = window_queries.window_by_id(meeting_id)
        return DUE_FORM.answer(
            message=dbc.Alert(
                f"Updates for the board on {format_date(window.meeting_date)} are due by "
                f"{format_datetime(window.due_at)} (UK time).",
                color="success",
            ),
            refresh=bumped(refresh),
            version={"id": meeting_id, "version": new_version},
        )

    return answer_write(
        DUE_FORM, lambda: set_updates_due(signed_in_user(), meeting_id, day, time, version), saved
    )
