"""Milestones page: the programme office's tools — add a milestone, record a baseline, retire or restore."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, State, ctx

from dashboard import clock, queries, services
from dashboard.auth import signed_in_user
from dashboard.callbacks import ADMINS, callback
from dashboard.callbacks.common import answer_write, bumped, opened_row
from dashboard.callbacks.milestones.edit import CONFLICTS, edit_panel_state, stored_milestone
from dashboard.ui.forms import ERRORS, FormOutputs, check_the_fields

ADD_FIELDS = ("project", "title", "owner", "baseline_start", "baseline_end")
REBASELINE_FIELDS = ("project", "name", "baseline_date")

ADD_FORM = FormOutputs(
    ("message", ERRORS, "refresh"), ADD_FIELDS, kept=frozenset({"refresh"}), problem=check_the_fields
)
REBASELINE_FORM = FormOutputs(
    ("message", ERRORS, "refresh"), REBASELINE_FIELDS, kept=frozenset({"refresh"}), problem=check_the_fields
)
# Retiring answers in its own message; the update form's store and panel follow once it is stored.
RETIRE_FORM = FormOutputs(
    ("message", "version", "refresh", "context", "history"),
    kept=frozenset({"version", "refresh", "context", "history"}),
    conflicts=CONFLICTS,
)


@callback(
    Output("ms-add-message", "children"),
    *[Output(f"ms-add-{field}-error", "children") for field in ADD_FIELDS],
    Output("ms-refresh", "data", allow_duplicate=True),
    Input("ms-add-save", "n_clicks"),
    *[State(f"ms-add-{field}", "value") for field in ADD_FIELDS],
    State("ms-refresh", "data"),
    roles=ADMINS,
    prevent_initial_call=True,
)
def add_milestone(_clicks, project, title, owner, start, end, refresh):
    def added(milestone_id: int) -> tuple:
        # The answer names what was stored, not what the browser sent.
        stored = queries.milestones(
            queries.MilestoneFilters(include_retired=True), clock.today(), ids=[milestone_id]
        )
        return ADD_FORM.answer(
            message=dbc.Alert(f"Added “{stored.iloc[0]['title']}”.", color="success"),
            refresh=bumped(refresh),
        )

    return answer_write(
        ADD_FORM,
        lambda: services.add_milestone(signed_in_user(), project or "", title, owner, start, end),
        added,
    )


@callback(
    Output("ms-rebaseline-message", "children"),
    *[Output(f"ms-rebaseline-{field}-error", "children") for field in REBASELINE_FIELDS],
    Output("ms-refresh", "data", allow_duplicate=True),
    Input("ms-rebaseline-save", "n_clicks"),
    State("ms-rebaseline-project", "value"),
    State("ms-rebaseline-name", "value"),
    State("ms-rebaseline-date", "value"),
    State("ms-refresh", "data"),
    roles=ADMINS,
    prevent_initial_call=True,
)
def record_baseline(_clicks, project, name, when, refresh):
    def recorded(baseline_id: int) -> tuple:
        return REBASELINE_FORM.answer(
            message=dbc.Alert(
                f"Recorded baseline “{queries.baseline_name(baseline_id)}”. Choose it under “Compare against”.",
                color="success",
            ),
            refresh=bumped(refresh),
        )

    return answer_write(
        REBASELINE_FORM,
        lambda: services.rebaseline_project(signed_in_user(), project or "", name, when),
        recorded,
    )


@callback(
    Output("ms-retire-message", "children"),
    Output("ms-edit-version", "data", allow_duplicate=True),
    Output("ms-refresh", "data", allow_duplicate=True),
    Output("ms-edit-context", "children", allow_duplicate=True),
    Output("ms-edit-history", "children", allow_duplicate=True),
    Input("ms-retire", "n_clicks"),
    Input("ms-restore", "n_clicks"),
    State("ms-edit-version", "data"),
    State("ms-refresh", "data"),
    roles=ADMINS,
    prevent_initial_call=True,
)
def retire_or_restore_milestone(_retire, _restore, opened, refresh):
    if (row := opened_row(opened)) is None:
        return RETIRE_FORM.warning("Choose a milestone in the update form first.")
    milestone_id, opened_version = row
    retired = ctx.triggered_id == "ms-retire"

    def stored(version: int) -> tuple:
        message = "Retired: hidden unless “Include retired” is ticked." if retired else "Restored."
        context, history_list = edit_panel_state(stored_milestone(milestone_id))
        return RETIRE_FORM.answer(
            message=dbc.Alert(message, color="success"),
            version={"id": milestone_id, "version": version},
            refresh=bumped(refresh),
            context=context,
            history=history_list,
        )

    return answer_write(
        RETIRE_FORM,
        lambda: services.set_milestone_retired(signed_in_user(), milestone_id, retired, opened_version),
        stored,
    )
