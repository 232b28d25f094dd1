"""Your account page: changing your own password (any signed-in user, for themself only)."""

from __future__ import annotations

from functools import partial

from dash import Input, Output, State, no_update

from dashboard.auth import signed_in_user
from dashboard.callbacks import EVERYONE, callback
from dashboard.callbacks.common import answer_write
from dashboard.domain.formatting import format_datetime
from dashboard.models import utcnow
from dashboard.services import users as user_services
from dashboard.ui.forms import ERRORS, VALUES, FormOutputs, error_summary

FIELDS = ("current_password", "password", "confirm_password")

FORM = FormOutputs(
    ("summary", "saved", VALUES, ERRORS),
    FIELDS,
    message="summary",
    problem=partial(error_summary, links_to="account", order=FIELDS),
)


@callback(
    Output("account-summary", "children"),
    Output("account-saved", "children"),
    *[Output(f"account-{name}", "value") for name in FIELDS],
    *[Output(f"account-{name}-error", "children") for name in FIELDS],
    Input("account-save", "n_clicks"),
    *[State(f"account-{name}", "value") for name in FIELDS],
    roles=EVERYONE,
    prevent_initial_call=True,
)
def change_password(_clicks, current, new, confirm):
    def changed(_result) -> tuple:
        return FORM.answer(
            saved=f"Password changed at {format_datetime(utcnow())}; your other sessions have ended.",
            values={name: "" for name in FIELDS},
        )

    def invalid(errors) -> tuple:
        # Typed passwords are never sent back; the fields keep what the browser has.
        answer = list(FORM.invalid(errors))
        answer[2 : 2 + len(FIELDS)] = [no_update] * len(FIELDS)
        return tuple(answer)

    return answer_write(
        FORM,
        lambda: user_services.change_own_password(signed_in_user(), current, new, confirm),
        changed,
        invalid,
    )
