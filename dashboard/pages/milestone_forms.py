"""The forms on the milestones page (/milestones): a lead's update of one milestone, and the programme
office's tools (add, retire, re-baseline). The page draws them for those who may use them; this
module only builds them (it is not a URL of its own)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard import models as m
from dashboard.ui import forms
from dashboard.ui.forms import NO_CHOICE, field_error


def update_form() -> html.Section:
    """The project leads' form; the server decides what each user may save (services.update_milestone)."""

    def field(label: str, control, field_name: str, hint: str | None = None) -> html.Div:
        return forms.field(label, control, f"ms-edit-{field_name}", hint, ids=True)

    status_options = [{"label": status, "value": status} for status in m.MILESTONE_STATUSES]
    rag_options = [{"label": "No RAG", "value": NO_CHOICE}] + [
        {"label": rag, "value": rag} for rag in m.RAG_VALUES
    ]
    return forms.edit_panel(
        "ms-edit",
        heading="Update a milestone",
        lead="Choose one of the milestones you can update, or press Update on its row in the table.",
        select_label="Milestone to update",
        placeholder="Choose a milestone",
        body=[
            dbc.Row(
                [
                    dbc.Col(
                        field(
                            "Status",
                            dbc.Select(id="ms-edit-status", options=status_options),
                            "status",
                        ),
                        md=4,
                    ),
                    dbc.Col(
                        field(
                            "Percentage complete",
                            dbc.Input(id="ms-edit-percent_complete", type="number", min=0, max=100, step=1),
                            "percent_complete",
                            "A whole number from 0 to 100",
                        ),
                        md=4,
                    ),
                    dbc.Col(
                        field("RAG status", dbc.Select(id="ms-edit-rag", options=rag_options), "rag"),
                        md=4,
                    ),
                ]
            ),
            html.P(
                id="ms-edit-suggestion",
                className="small text-body-secondary",
                **{"aria-live": "polite"},
            ),
            field(
                "Reason for the RAG status",
                dbc.Textarea(id="ms-edit-rag_reason", maxLength=600, rows=2),
                "rag_reason",
                "Required for Amber or Red, and when you choose a RAG the dates do not suggest or No RAG: "
                "then give the reason for that choice",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        field(
                            "Forecast start date",
                            forms.date_input("ms-edit-forecast_start"),
                            "forecast_start",
                        ),
                        md=3,
                    ),
                    dbc.Col(
                        field(
                            "Forecast end date",
                            forms.date_input("ms-edit-forecast_end"),
                            "forecast_end",
                        ),
                        md=3,
                    ),
                    dbc.Col(
                        field(
                            "Actual start date",
                            forms.date_input("ms-edit-actual_start"),
                            "actual_start",
                        ),
                        md=3,
                    ),
                    dbc.Col(
                        field(
                            "Actual end date",
                            forms.date_input("ms-edit-actual_end"),
                            "actual_end",
                        ),
                        md=3,
                    ),
                ]
            ),
            field(
                "Commentary",
                dbc.Textarea(id="ms-edit-commentary", maxLength=2100, rows=4),
                "commentary",
                "Up to 2,000 characters",
            ),
        ],
        save_label="Save update",
        from_table=True,
    )


def admin_tools(options: dict) -> html.Section:
    project_options = options["projects"]
    return html.Section(
        [
            html.H2("Programme office tools", className="h4", id="ms-admin-heading"),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            html.H3("Add a milestone", className="h5"),
                            html.Div(id="ms-add-message", role="status"),
                            dbc.Label("Project", html_for="ms-add-project"),
                            field_error("ms-add-project"),
                            dbc.Select(id="ms-add-project", options=project_options, className="mb-2"),
                            dbc.Label("Title", html_for="ms-add-title"),
                            field_error("ms-add-title"),
                            dbc.Input(id="ms-add-title", maxLength=320, className="mb-2"),
                            dbc.Label("Owner", html_for="ms-add-owner"),
                            field_error("ms-add-owner"),
                            dbc.Input(id="ms-add-owner", maxLength=140, className="mb-2"),
                            dbc.Row(
                                [
                                    dbc.Col(
                                        [
                                            dbc.Label(
                                                "Baseline start date", html_for="ms-add-baseline_start"
                                            ),
                                            field_error("ms-add-baseline_start"),
                                            forms.date_input("ms-add-baseline_start"),
                                        ]
                                    ),
                                    dbc.Col(
                                        [
                                            dbc.Label("Baseline end date", html_for="ms-add-baseline_end"),
                                            field_error("ms-add-baseline_end"),
                                            forms.date_input("ms-add-baseline_end"),
                                        ]
                                    ),
                                ],
                                className="mb-2",
                            ),
                            dbc.Button("Add milestone", id="ms-add-save", color="secondary"),
                        ],
                        md=6,
                        className="mb-3",
                    ),
                    dbc.Col(
                        [
                            html.H3("Re-baseline a project", className="h5"),
                            html.P(
                                "Records the project's current forecast dates as a new named baseline. "
                                "Earlier baselines are kept and can still be compared.",
                                className="small",
                            ),
                            html.Div(id="ms-rebaseline-message", role="status"),
                            dbc.Label("Project", html_for="ms-rebaseline-project"),
                            field_error("ms-rebaseline-project"),
                            dbc.Select(id="ms-rebaseline-project", options=project_options, className="mb-2"),
                            dbc.Label("Baseline name", html_for="ms-rebaseline-name"),
                            field_error("ms-rebaseline-name"),
                            dbc.Input(
                                id="ms-rebaseline-name",
                                maxLength=220,
                                className="mb-2",
                                placeholder="for example Re-plan agreed by the board 24 Nov 2026",
                            ),
                            dbc.Label("Date agreed", html_for="ms-rebaseline-date"),
                            field_error("ms-rebaseline-baseline_date"),
                            forms.date_input("ms-rebaseline-date", className="mb-2"),
                            dbc.Button("Record new baseline", id="ms-rebaseline-save", color="secondary"),
                            html.H3("Retire or restore", className="h5 mt-4"),
                            html.P(
                                "Retired milestones are kept in the history and hidden unless "
                                "“Include retired” is ticked. Choose the milestone in the update form above.",
                                className="small",
                            ),
                            html.Div(id="ms-retire-message", role="status"),
                            dbc.Button(
                                "Retire the chosen milestone",
                                id="ms-retire",
                                color="outline-danger",
                                className="me-2",
                            ),
                            dbc.Button(
                                "Restore the chosen milestone", id="ms-restore", color="outline-secondary"
                            ),
                        ],
                        md=6,
                    ),
                ]
            ),
        ],
        className="admin-panel mb-4 p-3 border rounded",
        **{"aria-labelledby": "ms-admin-heading"},
    )
