"""The forms under a chosen action on the actions page (/actions): a progress note, evidence, the
update and the sponsor's sign-off. The page's callback draws them with the action, for those who
may update it; this module only builds them (it is not a URL of its own)."""

from __future__ import annotations

import datetime as dt

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.models import ACTION_STATUSES, RAG_VALUES
from dashboard.ui import forms as form_parts
from dashboard.ui.forms import NO_CHOICE, field, field_error

# The detail panel before an action is chosen (drawn with the page; callbacks/actions/detail.py again).
CHOOSE_ACTION = "Choose an action above, or select View beside it in the plan."


def action_forms(
    row, today: dt.date, area_choices: list[dict], linked_ids: set[int], is_admin: bool
) -> html.Div:
    """The forms under an action its viewer may update: a progress note, evidence, the update itself,
    and for an admin the sponsor's sign-off of a completed action. `row` is the action as stored
    (queries.actions.action_items), `area_choices` the letter's points (queries.actions.area_options)
    and `linked_ids` those this action answers."""
    status_options = [{"label": status, "value": status} for status in ACTION_STATUSES]
    rag_options = [{"label": "No RAG", "value": NO_CHOICE}] + [
        {"label": rag, "value": rag} for rag in RAG_VALUES
    ]
    forms = [
        dcc.Store(id="act-edit-version", data={"id": int(row["id"]), "version": int(row["version"])}),
        html.H4("Add a progress note", className="h6 mt-3", id="act-note-heading"),
        html.P(
            "Notes are kept as a dated history: adding one never changes an earlier note.", className="small"
        ),
        dbc.Row(
            [
                dbc.Col(
                    field(
                        "Note date",
                        form_parts.date_input("act-note-date", today),
                        "act-note-date",
                    ),
                    md=3,
                ),
                dbc.Col(
                    field(
                        "Progress note",
                        dbc.Textarea(id="act-note-text", rows=3, maxLength=2100),
                        "act-note-text",
                        "Up to 2,000 characters",
                    ),
                    md=9,
                ),
            ]
        ),
        dbc.Checkbox(
            id="act-note-internal",
            label="Internal: leave this note out of the published plan",
            value=False,
            className="mb-2",
        ),
        dbc.Button("Add note", id="act-note-add", color="primary", className="mb-3"),
        html.H4("Add evidence", className="h6 mt-2"),
        dbc.Row(
            [
                dbc.Col(
                    field(
                        "Evidence description",
                        dbc.Input(id="act-evidence-description", maxLength=1100),
                        "act-evidence-description",
                    ),
                    md=6,
                ),
                dbc.Col(
                    field(
                        "Link to the evidence (optional)",
                        dbc.Input(id="act-evidence-url", type="url", maxLength=520),
                        "act-evidence-url",
                        "Starts with https://",
                    ),
                    md=6,
                ),
            ]
        ),
        dbc.Button("Add evidence", id="act-evidence-add", color="secondary", className="mb-3"),
        html.H4("Update the action", className="h6 mt-2", id="act-edit-heading"),
        html.Div(id="act-form-summary"),
        dbc.Row(
            [
                dbc.Col(
                    field(
                        "Status",
                        dbc.Select(id="act-edit-status", options=status_options, value=row["status"]),
                        "act-edit-status",
                    ),
                    md=3,
                ),
                dbc.Col(
                    field(
                        "RAG status",
                        dbc.Select(id="act-edit-rag", options=rag_options, value=row["rag"] or NO_CHOICE),
                        "act-edit-rag",
                    ),
                    md=3,
                ),
                dbc.Col(
                    field(
                        "Percentage complete",
                        dbc.Input(
                            id="act-edit-percent_complete",
                            type="number",
                            min=0,
                            max=100,
                            step=1,
                            value=int(row["percent_complete"]),
                        ),
                        "act-edit-percent_complete",
                    ),
                    md=3,
                ),
                dbc.Col(
                    field(
                        "Due date",
                        form_parts.date_input("act-edit-due_date", row["due_date"]),
                        "act-edit-due_date",
                    ),
                    md=3,
                ),
            ]
        ),
        field(
            "Owner (a role, not a person)",
            dbc.Input(id="act-edit-owner", value=row["owner"], maxLength=140),
            "act-edit-owner",
        ),
        field(
            "Evidence summary",
            dbc.Textarea(id="act-edit-evidence_summary", value=row["evidence"], rows=2, maxLength=2100),
            "act-edit-evidence_summary",
            "Needed before the action can be marked complete; the sponsor then signs it off",
        ),
        html.Details(
            [
                html.Summary("Areas of the letter this action answers"),
                field_error("act-edit-areas"),
                dbc.Checklist(
                    id="act-edit-areas",
                    options=area_choices,
                    value=[str(i) for i in sorted(linked_ids)],
                    className="act-area-choices mt-2",
                ),
            ],
            className="mb-3",
        ),
        dbc.Button("Save update", id="act-save", color="primary"),
    ]
    if is_admin and row["status"] == "Complete" and row["evidence_status"] != "accepted":
        forms += [
            html.H4("Sponsor sign-off", className="h6 mt-4"),
            html.P("Accepting the evidence closes the action.", className="small"),
            field_error("act-signoff"),
            dbc.Button("Accept evidence and close the action", id="act-signoff", color="success"),
        ]
    return html.Div(forms, className="act-forms mt-3 pt-3 border-top no-print")
