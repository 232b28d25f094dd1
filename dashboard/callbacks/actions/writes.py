"""Actions page: the writes under a chosen action — the update, progress notes, evidence and the sponsor's sign-off."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, State, no_update

from dashboard import clock
from dashboard.auth import signed_in_user
from dashboard.callbacks import ADMINS, EDITORS, callback
from dashboard.callbacks.actions.detail import action_detail
from dashboard.callbacks.common import answer_write, bumped, opened_row
from dashboard.domain.formatting import format_datetime
from dashboard.models import utcnow
from dashboard.queries import actions as action_queries
from dashboard.services import actions as action_services
from dashboard.ui.forms import ERRORS, Conflicts, FormOutputs, error_summary, first_error

EDIT_FIELDS = tuple(action_services.ACTION_FIELDS)
CHOOSE_FIRST = "Choose an action first."
CONFLICTS = Conflicts("action_item", "action")

# Each write answers in the page's message and refreshes the page once stored; the forms are drawn
# with the action, so their buttons also fire once with no click (answered with no change at all).
SAVE_FORM = FormOutputs(
    ("message", "refresh", "summary", ERRORS),
    EDIT_FIELDS,
    kept=frozenset({"message", "refresh"}),
    summary="summary",
    problem=error_summary,
    conflicts=CONFLICTS,
)


def _internal_note_problem(errors):
    # Only an internal-note refusal has no field of its own to be said beside.
    return dbc.Alert(errors["note_internal"], color="danger") if "note_internal" in errors else no_update


NOTE_FORM = FormOutputs(
    ("message", "refresh", ERRORS),
    ("note_date", "note_text"),
    kept=frozenset({"message", "refresh"}),
    problem=_internal_note_problem,
)
EVIDENCE_FORM = FormOutputs(
    ("message", "refresh", ERRORS),
    ("evidence_description", "evidence_url"),
    kept=frozenset({"message", "refresh"}),
)
SIGN_OFF_FORM = FormOutputs(
    ("message", "refresh", "error", "detail"),
    kept=frozenset({"message", "refresh", "detail"}),
    summary="error",
    problem=first_error,
    conflicts=CONFLICTS,
)


def _opened(value) -> int | None:
    opened = opened_row(value)
    return None if opened is None else opened[0]


@callback(
    Output("act-message", "children", allow_duplicate=True),
    Output("act-refresh", "data", allow_duplicate=True),
    Output("act-form-summary", "children"),
    *[Output(f"act-edit-{field}-error", "children") for field in EDIT_FIELDS],
    Input("act-save", "n_clicks"),
    State("act-edit-version", "data"),
    *[State(f"act-edit-{field}", "value") for field in EDIT_FIELDS],
    State("act-refresh", "data"),
    roles=EDITORS,
    prevent_initial_call=True,
)
def save_action(clicks, opened, *values):
    if not clicks:  # the form was just drawn: dynamically added buttons still trigger
        return SAVE_FORM.unchanged()
    *field_values, refresh = values
    if (row := opened_row(opened)) is None:
        return SAVE_FORM.warning(CHOOSE_FIRST)
    action_id, version = row
    changes = dict(zip(EDIT_FIELDS, field_values, strict=True))
    return answer_write(
        SAVE_FORM,
        lambda: action_services.update_action(signed_in_user(), action_id, changes, version),
        lambda _version: SAVE_FORM.answer(
            message=dbc.Alert(f"Saved at {format_datetime(utcnow())}.", color="success"),
            refresh=bumped(refresh),
        ),
    )


@callback(
    Output("act-message", "children", allow_duplicate=True),
    Output("act-refresh", "data", allow_duplicate=True),
    Output("act-note-date-error", "children"),
    Output("act-note-text-error", "children"),
    Input("act-note-add", "n_clicks"),
    State("act-edit-version", "data"),
    State("act-note-date", "value"),
    State("act-note-text", "value"),
    State("act-note-internal", "value"),
    State("act-refresh", "data"),
    roles=EDITORS,
    prevent_initial_call=True,
)
def add_action_note(clicks, opened, note_date, text, internal, refresh):
    if not clicks:
        return NOTE_FORM.unchanged()
    action_id = _opened(opened)
    if action_id is None:
        return NOTE_FORM.warning(CHOOSE_FIRST)
    return answer_write(
        NOTE_FORM,
        lambda: action_services.add_progress_note(
            signed_in_user(), action_id, note_date, text, internal, clock.today()
        ),
        lambda _note_id: NOTE_FORM.answer(
            message=dbc.Alert("Progress note added.", color="success"), refresh=bumped(refresh)
        ),
    )


@callback(
    Output("act-message", "children", allow_duplicate=True),
    Output("act-refresh", "data", allow_duplicate=True),
    Output("act-evidence-description-error", "children"),
    Output("act-evidence-url-error", "children"),
    Input("act-evidence-add", "n_clicks"),
    State("act-edit-version", "data"),
    State("act-evidence-description", "value"),
    State("act-evidence-url", "value"),
    State("act-refresh", "data"),
    roles=EDITORS,
    prevent_initial_call=True,
)
def add_action_evidence(clicks, opened, description, url, refresh):
    if not clicks:
        return EVIDENCE_FORM.unchanged()
    action_id = _opened(opened)
    if action_id is None:
        return EVIDENCE_FORM.warning(CHOOSE_FIRST)
    return answer_write(
        EVIDENCE_FORM,
        lambda: action_services.add_evidence(signed_in_user(), action_id, description, url),
        lambda _evidence_id: EVIDENCE_FORM.answer(
            message=dbc.Alert("Evidence added.", color="success"), refresh=bumped(refresh)
        ),
    )


@callback(
    Output("act-message", "children", allow_duplicate=True),
    Output("act-refresh", "data", allow_duplicate=True),
    Output("act-signoff-error", "children"),
    Output("act-detail", "children", allow_duplicate=True),
    Input("act-signoff", "n_clicks"),
    State("act-edit-version", "data"),
    State("act-refresh", "data"),
    roles=ADMINS,
    prevent_initial_call=True,
)
def sign_off_action(clicks, opened, refresh):
    if not clicks:
        return SIGN_OFF_FORM.unchanged()
    if (row := opened_row(opened)) is None:
        return SIGN_OFF_FORM.warning(CHOOSE_FIRST)
    action_id, version = row

    def refused(errors) -> tuple:
        if "already been accepted" in next(iter(errors.values())):
            return SIGN_OFF_FORM.unchanged()  # a repeated press: the first one did it
        return SIGN_OFF_FORM.invalid(errors)

    def signed_off(_version) -> tuple:
        # The closed action's details straight away (no sign-off button any more).
        frame = action_queries.action_items(action_queries.ActionFilters(), clock.today(), ids=[action_id])
        return SIGN_OFF_FORM.answer(
            message=dbc.Alert("Evidence accepted: the action is closed.", color="success"),
            refresh=bumped(refresh),
            error=no_update,
            detail=action_detail(frame.iloc[0], signed_in_user()),
        )

    return answer_write(
        SIGN_OFF_FORM,
        lambda: action_services.sign_off_evidence(signed_in_user(), action_id, version),
        signed_off,
        invalid=refused,
    )
