"""Actions page: the chosen action — its notes, evidence, areas and history, and the forms to update it."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, ctx, dcc, html

from dashboard import clock, policy
from dashboard.auth import signed_in_user
from dashboard.callbacks import EVERYONE, callback
from dashboard.domain.formatting import format_date, format_datetime
from dashboard.pages.action_forms import CHOOSE_ACTION, action_forms
from dashboard.queries import actions as action_queries
from dashboard.queries import self_assessment as self_assessment_queries
from dashboard.queries.params import ignore, row_id
from dashboard.reports.values import change_line
from dashboard.ui.components import illustrative_marker, rag_badge


def action_detail(row: pd.Series, user) -> list:
    action_id = int(row["id"])
    notes = action_queries.action_notes(action_id)
    evidence = action_queries.action_evidence(action_id)
    areas = action_queries.consideration_areas()
    linked_ids = set(action_queries.action_area_ids(action_id))
    linked = areas[areas["id"].isin(linked_ids)]
    domains = self_assessment_queries.domains_for_recommendation(str(row["recommendation"]))
    context = [
        html.H3(row["title"], className="h5", id="act-detail-title"),
        html.P(
            [
                f"Recommendation {row['recommendation']} · owner {row['owner']} · due {format_date(row['due_date'])} · ",
                html.Span(row["display_status"], id="act-detail-status", className="fw-semibold"),
                " · ",
                rag_badge(row["rag"]) if row["rag"] else "No RAG",
                f" · {int(row['percent_complete'])}% complete",
                f" · delivered by {row['project']}"
                if row["project"]
                else " · programme office (administrators)",
            ],
            className="mb-1",
        ),
        html.P(
            [
                "Answers the self-assessment's ",
                dcc.Link("; ".join(domains), href="/self-assessment", id="act-detail-self-assessment"),
                " (through its recommendation).",
            ],
            className="small mb-1",
        )
        if domains
        else None,
        html.P(
            [
                f"Version {int(row['version'])} · last updated {format_datetime(row['updated_at'])} by {row['updated_by']}",
                (
                    f" · evidence accepted by {row['signed_off_by']} on {format_datetime(row['signed_off_at'])}"
                    if row["signed_off_by"]
                    else ""
                ),
                " ",
                illustrative_marker(row["illustrative_note"]) if row["illustrative"] else None,
            ],
            className="small text-body-secondary",
        ),
    ]
    note_items = [
        html.Li(
            [
                html.Strong(format_date(note.note_date)),
                " ",
                html.Span("Internal – not published", className="badge text-bg-secondary")
                if note.internal
                else None,
                html.Div(note.text, className="user-text"),
                html.Div(f"Recorded by {note.author}", className="small text-body-secondary")
                if note.author
                else None,
            ],
            className="mb-2",
        )
        for note in notes.itertuples(index=False)
    ]
    evidence_items = [
        html.Li(
            [
                html.A(item.description, href=item.url, target="_blank", rel="noopener noreferrer")
                if item.url
                else item.description,
                html.Span(
                    f" · added {format_datetime(item.added_at)} by {item.added_by}",
                    className="small text-body-secondary",
                ),
            ]
        )
        for item in evidence.itertuples(index=False)
    ]
    body = [
        *context,
        dbc.Row(
            [
                dbc.Col(
                    [
                        html.H4("Progress notes, newest first", className="h6"),
                        html.Ol(note_items, id="act-notes", className="act-notes list-unstyled")
                        if note_items
                        else html.P("No progress notes yet.", id="act-notes"),
                    ],
                    md=6,
                ),
                dbc.Col(
                    [
                        html.H4("Evidence", className="h6"),
                        html.P(row["evidence"] or "No evidence summary yet.", id="act-evidence-summary"),
                        html.Ul(evidence_items, id="act-evidence-items") if evidence_items else None,
                        html.H4("Areas of the letter this action answers", className="h6 mt-3"),
                        html.Ul([html.Li(f"{a.theme}: {a.text}") for a in linked.itertuples(index=False)])
                        if not linked.empty
                        else html.P("Not linked to any area yet."),
                    ],
                    md=6,
                ),
            ]
        ),
    ]
    history = action_queries.action_history(action_id)
    body.append(
        html.Details(
            [
                html.Summary("Change history"),
                html.Ul(
                    [html.Li(change_line("action_item", event)) for event in history.itertuples(index=False)]
                )
                if not history.empty
                else html.P("No changes recorded since the seed data was loaded."),
            ],
            className="mt-2 no-print",
        )
    )
    if action_queries.user_can_update(user, row["project_id"] if not pd.isna(row["project_id"]) else None):
        body.append(
            action_forms(row, clock.today(), action_queries.area_options(), linked_ids, user.is_admin)
        )
    elif policy.is_editor(user):
        body.append(
            html.P(
                "Only a lead of the project delivering this action, or an administrator, can update it.",
                className="small mt-2",
            )
        )
    return body


# Not on the page's first draw: the layout already says to choose an action (pages/actions.py).
@callback(
    Output("act-detail", "children"),
    Output("act-message", "children"),
    Input("act-choose", "value"),
    Input("act-refresh", "data"),
    State("act-message", "children"),
    roles=EVERYONE,
    prevent_initial_call=True,
)
def show_action_detail(action_id, _refresh, message):
    keep = message if ctx.triggered_id == "act-refresh" else None
    chosen = row_id(action_id)
    if chosen is None:
        if action_id not in (None, ""):
            ignore("action", action_id, "not an action's number")
        return html.P(CHOOSE_ACTION), keep
    frame = action_queries.action_items(action_queries.ActionFilters(), clock.today(), ids=[chosen])
    if frame.empty:
        return dbc.Alert("That action no longer exists.", color="warning"), None
    return action_detail(frame.iloc[0], signed_in_user()), keep
