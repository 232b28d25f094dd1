"""Overview page wiring: tiles, plain-language summary, changes since a board, updates owed, meetings."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, dcc, html

from dashboard import clock
from dashboard.auth import signed_in_user
from dashboard.callbacks import ADMINS, EVERYONE, callback
from dashboard.callbacks.common import answer_write
from dashboard.domain.formatting import financial_year_label, format_date, format_datetime, format_money
from dashboard.queries import board
from dashboard.queries import overview as overview_queries
from dashboard.queries.params import ignore
from dashboard.services.board import add_board_meeting
from dashboard.ui.components import illustrative_marker
from dashboard.ui.forms import ERRORS, FormOutputs, check_the_fields


def tile(label: str, value: str, href: str, tone: str = "secondary", detail: str | None = None) -> dbc.Col:
    body = [html.Div(value, className="card-count"), html.Div(label, className="card-label")]
    if detail:
        body.append(html.Div(detail, className="small text-body-secondary"))
    return dbc.Col(
        dcc.Link(
            dbc.Card(dbc.CardBody(body), className=f"summary-card border-{tone}"),
            href=href,
            className="text-decoration-none summary-card-link",
            title=f"Open: {label}",
        ),
        xs=6,
        md=4,
        xl=2,
        className="mb-2",
    )


def tile_groups(facts: overview_queries.Overview) -> list:
    ms, ac, kp = facts.milestones, facts.actions, facts.kpis
    groups = [
        (
            "Milestones",
            ms.illustrative,
            [
                tile("Red (open)", str(ms.red), "/milestones?rag=Red&open=1", "danger"),
                tile("Amber (open)", str(ms.amber), "/milestones?rag=Amber&open=1", "warning"),
                tile("Green (open)", str(ms.green), "/milestones?rag=Green&open=1", "success"),
                tile("Overdue", str(ms.overdue), "/milestones?overdue=1", "danger"),
                tile("Due in the next 4 weeks", str(ms.due_in_4_weeks), "/milestones?due_within=4", "info"),
            ],
        ),
        (
            "Peer challenge actions",
            ac.illustrative,
            [
                tile("Open", str(ac.open), "/actions?status=open", "primary"),
                tile("Overdue", str(ac.overdue), "/actions?overdue=1", "danger"),
                tile("Awaiting sign-off", str(ac.awaiting_sign_off), "/actions?status=awaiting", "warning"),
            ],
        ),
    ]
    saving_tiles = []
    illustrative_savings = False
    for sv in facts.savings:
        if sv.financial_year is None:
            continue
        year = financial_year_label(sv.financial_year)
        # The savings page shows one organisation at a time: the tile opens on this one.
        query = urlencode({"org": sv.organisation_key, "fy": year})
        note = None if sv.is_current_year else "latest year with savings planned"
        saving_tiles += [
            tile(
                f"{sv.organisation}: target {year}",
                format_money(sv.target),
                f"/savings?{query}",
                "primary",
                note,
            ),
            tile("Forecast", format_money(sv.forecast), f"/savings?{query}", "info"),
            tile("Realised", format_money(sv.realised), f"/savings?{query}", "success"),
            tile("At risk from slippage", str(sv.at_risk), f"/savings?{query}&at_risk=1", "danger"),
        ]
        illustrative_savings = illustrative_savings or sv.illustrative
    groups.append(("Savings", illustrative_savings, saving_tiles))
    groups.append(
        (
            "KPIs",
            kp.illustrative,
            [
                tile(
                    "KPIs red twice running or really deteriorating",
                    str(kp.exceptions),
                    "/kpis#kpi-exc",
                    "danger",
                )
            ],
        )
    )
    groups.append(
        (
            "Updates",
            False,
            [
                tile(
                    "Milestones not updated for 14+ days",
                    str(facts.stale_milestones),
                    "/milestones?stale=1",
                    "secondary",
                ),
                tile(
                    "Actions not updated for 14+ days",
                    str(facts.stale_actions),
                    "/actions?stale=1",
                    "secondary",
                ),
            ],
        )
    )
    children = []
    for title, illustrative, tiles in groups:
        heading = [html.H3(title, className="h6 mb-1 me-2")]
        if illustrative:
            heading.append(illustrative_marker("Includes illustrative data: see the page for which figures"))
        children += [
            html.Div(heading, className="d-flex align-items-center mt-2"),
            dbc.Row(tiles, className="g-2"),
        ]
    return children


# The newest changes listed on the overview: a screenful to read out at the board, as many as a page of
# the audit trail, to which the list links for the rest; the board pack has every one.
CHANGES_LISTED = 50


def _change_item(row) -> html.Li:
    # Plain components: at 50 changes they appear as fast as one block of markup, and what users typed
    # is always shown as text.
    parts = [html.Strong(row.kind), f": {row.item}"]
    if row.shows_values:
        parts.append(f" — {row.old_shown} → {row.new_shown}")
    if row.days_moved is not None and not pd.isna(row.days_moved):
        days = int(row.days_moved)
        parts.append(f" ({'+' if days > 0 else ''}{days} day{'s' if abs(days) != 1 else ''})")
    parts.append(html.Span(f" · {row.username}, {format_datetime(row.at)}", className="text-body-secondary"))
    return html.Li(parts)


def changes_list(changes: pd.DataFrame, total: int | None = None, since: dt.date | None = None) -> list:
    """The changes grouped by project, each in words with old → new; `total` counts those not listed."""
    if changes.empty:
        return [html.P("No changes since that meeting.")]
    total = len(changes) if total is None else total
    # Grouped in plain Python: pandas' groupby made a frame and a row type per project.
    by_project: dict[str, list] = {}
    for row in changes.itertuples(index=False):
        by_project.setdefault(row.project, []).append(row)
    sections = []
    for project in sorted(by_project):
        sections += [
            html.H3(project, className="h6 mt-3"),
            html.Ul([_change_item(row) for row in by_project[project]]),
        ]
    if total > len(changes):
        audit = "/audit" + (f"?{urlencode({'from': since.isoformat()})}" if since else "")
        count = html.P(
            [
                f"{total:,} changes. The newest {len(changes):,} are listed here; ",
                dcc.Link("the audit page", href=audit),
                " and the board pack have every one.",
            ],
            className="mb-1",
        )
    else:
        count = html.P(f"{total:,} change{'s' if total != 1 else ''}.", className="mb-1")
    return [count, html.Div(sections, className="ov-change-list")]


OWNERS_LISTED = 10  # owners named under "updates owed", most items first; the rest are counted


def _more_owners(rest: list[tuple[str, int]]) -> list:
    if not rest:
        return []
    items = sum(count for _, count in rest)
    return [html.Li(f"and {len(rest)} more people: {items} item{'s' if items != 1 else ''} between them")]


@callback(
    Output("ov-plain", "children"),
    Output("ov-tiles", "children"),
    Output("ov-owed", "children"),
    Input("ov-plain", "id"),
    roles=EVERYONE,
)
def show_headlines(_component):
    facts = overview_queries.overview(clock.today())
    sentences = overview_queries.plain_language(facts)
    plain = [html.Ul([html.Li(sentence) for sentence in sentences], className="plain-sentences")]
    if any([facts.milestones.illustrative, facts.actions.illustrative, facts.kpis.illustrative]):
        plain.append(
            html.P(
                [
                    illustrative_marker(),
                    " Some of these figures are illustrative: the source "
                    "documents do not give current statuses or constituency values.",
                ],
                className="small",
            )
        )
    owed = (
        html.Ul(
            [
                html.Li(f"{owner}: {count} item{'s' if count != 1 else ''}")
                for owner, count in facts.updates_owed[:OWNERS_LISTED]
            ]
            + _more_owners(facts.updates_owed[OWNERS_LISTED:])
        )
        if facts.updates_owed
        else html.P("Every open milestone and action has been updated in the last two weeks.")
    )
    return plain, tile_groups(facts), owed


@callback(
    Output("ov-changes", "children"),
    Output("ov-url", "search"),
    Input("ov-since", "value"),
    roles=EVERYONE,
)
def show_changes(since):
    since_date = board.recorded_meeting(since)
    if since_date is None:
        if since not in (None, ""):
            ignore("since", since, "not a recorded board meeting")
        return [html.P("No board meetings are recorded yet.")], ""
    heading = html.P(
        f"Everything that changed since the board of {format_date(since_date)}.",
        className="text-body-secondary",
    )
    changes = board.changes_since(since_date, newest=CHANGES_LISTED)
    total = board.count_changes_since(since_date) if len(changes) == CHANGES_LISTED else len(changes)
    return [heading, *changes_list(changes, total, since_date)], "?" + urlencode(
        {"since": since_date.isoformat()}
    )


MEETING_FORM = FormOutputs(
    ("message", ERRORS, "options"),
    ("meeting_date", "title"),
    kept=frozenset({"options"}),
    problem=check_the_fields,
)


@callback(
    Output("ov-meeting-message", "children"),
    Output("ov-meeting-meeting_date-error", "children"),
    Output("ov-meeting-title-error", "children"),
    Output("ov-since", "options"),
    Input("ov-meeting-save", "n_clicks"),
    State("ov-meeting-date", "value"),
    State("ov-meeting-title", "value"),
    roles=ADMINS,
    prevent_initial_call=True,
)
def save_board_meeting(clicks, when, title):
    if not clicks:
        return MEETING_FORM.unchanged()

    def added(meeting_id: int) -> tuple:
        meetings = board.board_meetings()
        # The answer names the date stored, not what the browser sent.
        stored = next(meeting for meeting in meetings if meeting.id == meeting_id)
        return MEETING_FORM.answer(
            message=dbc.Alert(f"Added the meeting of {format_date(stored.meeting_date)}.", color="success"),
            options=board.meeting_choices(meetings, clock.today()),
        )

    return answer_write(
        MEETING_FORM, lambda: add_board_meeting(signed_in_user(), when, title or "Programme board"), added
    )
