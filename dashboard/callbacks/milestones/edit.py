"""Milestones page: a lead's update form — the milestones they may edit, the form, the suggested RAG, saving."""

from __future__ import annotations

import pandas as pd
from dash import Input, Output, State, html

from dashboard import clock, queries, services
from dashboard.auth import signed_in_user
from dashboard.callbacks import EDITORS, callback, clientside
from dashboard.callbacks.common import opened_row
from dashboard.callbacks.edit_panels import EditPanel
from dashboard.domain.formatting import format_date, format_datetime, input_date
from dashboard.reports.values import change_line
from dashboard.ui.components import illustrative_marker, rag_badge
from dashboard.ui.forms import NO_CHOICE, Conflicts

EDIT_FIELDS = tuple(services.MILESTONE_FIELDS)
DATE_FIELDS = ("forecast_start", "forecast_end", "actual_start", "actual_end")

CONFLICTS = Conflicts("milestone", "milestone", "Choose the milestone again to load the latest version.")


def stored_milestone(milestone_id: int) -> pd.Series | None:
    """A milestone as stored (retired ones too), or None when there is none."""
    frame = queries.milestones(
        queries.MilestoneFilters(include_retired=True), clock.today(), ids=[milestone_id]
    )
    return None if frame.empty else frame.iloc[0]


def edit_panel_state(row: pd.Series) -> tuple[list, object]:
    """The update panel's version line and change history for a milestone as stored."""
    context = [
        html.Strong(row["title"]),
        f" · {row['project']} · baseline end ",
        format_date(row["baseline_end"]) if row["baseline_end"] is not None else "not set",
        " · version ",
        str(row["version"]),
        " · last updated ",
        format_datetime(row["updated_at"]),
        f" by {row['updated_by']}",
    ]
    if row["retired"]:
        context += [" · ", html.Strong("retired")]
    if row["illustrative"]:
        context += [" ", illustrative_marker(row["illustrative_note"])]
    history = queries.milestone_history(int(row["id"]))
    history_list = (
        html.Ul([html.Li(change_line("milestone", event)) for event in history.itertuples()])
        if not history.empty
        else html.P("No changes recorded since the seed data was loaded.")
    )
    return context, history_list


def form_values(row: pd.Series) -> dict:
    """A stored milestone's values as the form's controls take them."""
    values = {}
    for name in EDIT_FIELDS:
        value = row[name]
        if name in DATE_FIELDS:
            value = input_date(value)  # day first, as the field is typed
        elif name == "rag":
            value = value or NO_CHOICE
        elif name == "percent_complete":
            value = int(value)
        values[name] = value
    return values


PANEL = EditPanel(
    prefix="ms-edit",
    refresh="ms-refresh",
    fields=EDIT_FIELDS,
    noun="milestone",
    conflicts=CONFLICTS,
    load=stored_milestone,
    values=form_values,
    panel=edit_panel_state,
    write=services.update_milestone,
    grid="ms-grid",
)


@callback(
    Output("ms-edit-select", "options"),
    Input("ms-refresh", "data"),
    Input("ms-edit-select", "id"),
    roles=EDITORS,
)
def list_editable_milestones(_refresh, _component):
    user = signed_in_user()
    # Only what this user may edit, chosen in SQL by the edit policy.
    frame = queries.milestones(
        queries.MilestoneFilters(include_retired=user.is_admin), clock.today(), editable_by=user
    )
    return [
        {
            "label": f"{row.project} · {row.title}" + (" (retired)" if row.retired else ""),
            "value": str(row.id),
        }
        for row in frame.itertuples(index=False)
    ]


@callback(*PANEL.choose_dependencies(), roles=EDITORS, prevent_initial_call=True)
def choose_milestone_from_table(selected, pressed, entered, options):
    return PANEL.choose(selected, pressed, entered, options)


clientside(PANEL.focus_script(), *PANEL.focus_dependencies(), module=__name__, prevent_initial_call=True)
clientside(PANEL.close_script(), *PANEL.close_dependencies(), module=__name__, prevent_initial_call=True)


@callback(*PANEL.open_dependencies(), roles=EDITORS, prevent_initial_call=True)
def open_milestone(milestone_id):
    return PANEL.open(milestone_id)


@callback(
    Output("ms-edit-suggestion", "children"),
    Input("ms-edit-status", "value"),
    Input("ms-edit-forecast_end", "value"),
    Input("ms-edit-actual_end", "value"),
    State("ms-edit-version", "data"),
    roles=EDITORS,
    prevent_initial_call=True,
)
def suggest_milestone_rag(status, forecast_end, actual_end, opened):
    if (row := opened_row(opened)) is None:
        return None
    frame = queries.milestones(queries.MilestoneFilters(include_retired=True), clock.today(), ids=[row[0]])
    if frame.empty:
        return None
    errors: dict = {}
    rag, reason = services.suggest_rag(
        status,
        frame.iloc[0]["baseline_end"],
        services.parse_date(forecast_end, "Forecast end date", "forecast_end", errors),
        services.parse_date(actual_end, "Actual end date", "actual_end", errors),
        clock.today(),
    )
    if rag is None:
        return ["Suggested from the dates: ", rag_badge(rag), f" {reason}"]
    return [
        "Suggested from the dates: ",
        rag_badge(rag),
        f" {reason} Choosing another RAG, or No RAG, needs a reason.",
    ]


@callback(*PANEL.save_dependencies(), roles=EDITORS, prevent_initial_call=True)
def save_milestone(_clicks, opened, *values):
    *field_values, refresh = values
    return PANEL.save(opened, field_values, refresh)
