"""Users page: the list, adding a user, changing one (role, projects led, name, email), and their
password and access (reset, deactivate or reactivate, end their sessions). Administrators only: every
callback here refuses anyone else on the server (403), and services/users.py checks again."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, State, html, no_update

from dashboard.auth import local_sign_in, provider_name, session_limits, signed_in_user
from dashboard.callbacks import ADMINS, callback, clientside
from dashboard.callbacks.common import answer_write, opened_row
from dashboard.callbacks.edit_panels import EditPanel
from dashboard.callbacks.grid_details import SHOW_DETAILS, row_details
from dashboard.domain.formatting import format_datetime
from dashboard.models import utcnow
from dashboard.queries.users import user_detail, user_history, user_list
from dashboard.reports.values import change_line
from dashboard.services import users as user_services
from dashboard.ui.forms import ERRORS, Conflicts, FormOutputs, error_summary

NEW_FIELDS = ("username", "display_name", "email", "role", "lead_of", "password")
EDIT_FIELDS = user_services.USER_FIELDS
CONFLICTS = Conflicts("user", "user", "Choose the user again to load the latest version.")


def stored_user(user_id: int) -> dict | None:
    return user_detail(user_id, *session_limits())


def _sessions(count: int) -> str:
    if count == 0:
        return "not signed in anywhere"
    return f"signed in on {count} browser{'s' if count != 1 else ''}"


def user_panel_state(row: dict) -> tuple[list, object]:
    """The change form's line about the user as stored, and their change history."""
    context = [
        html.Strong(row["username"]),
        f" · {row['role_label']} · {row['status']} · version {row['version']} · last updated ",
        format_datetime(row["updated_at"]),
        f" by {row['updated_by']}",
    ]
    history = user_history(int(row["id"]))
    listed = (
        html.Ul([html.Li(change_line("user", event)) for event in history.itertuples()])
        if not history.empty
        else html.P("No changes recorded.")
    )
    return context, listed


def form_values(row: dict) -> dict:
    return {
        "display_name": row["display_name"],
        "email": row["email"],
        "role": row["role"],
        "lead_of": list(row["lead_of_keys"]),
    }


PANEL = EditPanel(
    prefix="users-edit",
    refresh="users-refresh",
    fields=EDIT_FIELDS,
    noun="user",
    conflicts=CONFLICTS,
    load=stored_user,
    values=form_values,
    panel=user_panel_state,
    write=user_services.update_user,
)


@callback(
    Output("users-grid", "rowData"),
    Output("users-count", "children"),
    Input("users-refresh", "data"),
    roles=ADMINS,
)
def show_users(_refresh):
    rows = user_list(*session_limits())
    active = sum(1 for row in rows if row["active"])
    # when_iso: what the grid's isoCompare sorts "4 Dec 2026 10:41" by.
    records = [
        {
            **{key: value for key, value in row.items() if key != "updated_at"},
            "when_iso": row["last_sign_in_iso"],
        }
        for row in rows
    ]
    return records, f"{len(rows)} users, {active} active."


@callback(
    Output("users-edit-select", "options"),
    Input("users-refresh", "data"),
    Input("users-edit-select", "id"),
    roles=ADMINS,
)
def list_users_to_change(_refresh, _component):
    return [
        {
            "label": f"{row['username']} · {row['display_name']}"
            + ("" if row["active"] else " (deactivated)"),
            "value": str(row["id"]),
        }
        for row in user_list(*session_limits())
    ]


@callback(
    Output("users-edit-select", "value"),
    Input("users-grid", "selectedRows"),
    State("users-edit-select", "options"),
    roles=ADMINS,
    prevent_initial_call=True,
)
def choose_user_from_table(selected, options):
    if not selected or not isinstance(selected, list) or not isinstance(selected[0], dict):
        return no_update
    if not isinstance(options, list):
        return no_update
    picked = str(selected[0].get("id"))
    if picked not in {option.get("value") for option in options or [] if isinstance(option, dict)}:
        return no_update
    return picked


@callback(*PANEL.open_dependencies(), roles=ADMINS, prevent_initial_call=True)
def open_user(user_id):
    # Only a whole number in ASCII digits can be a user's id ("²" passes str.isdigit, not int()).
    wanted = user_id if isinstance(user_id, str) and user_id.isascii() and user_id.isdecimal() else ""
    return PANEL.open(wanted)


@callback(*PANEL.save_dependencies(), roles=ADMINS, prevent_initial_call=True)
def save_user(_clicks, opened, *values):
    *field_values, refresh = values
    return PANEL.save(opened, field_values, refresh)


@callback(
    Output("users-access", "hidden"),
    Output("users-access-status", "children"),
    Output("users-active-toggle", "children"),
    Output("users-active-toggle", "color"),
    Input("users-edit-version", "data"),
    roles=ADMINS,
    prevent_initial_call=True,
)
def show_access(opened):
    """The password and access part for the user the form has open, as stored."""
    row = opened_row(opened)
    stored = stored_user(row[0]) if row else None
    if stored is None:
        return True, None, "Deactivate user", "outline-danger"
    last = f"last signed in {stored['last_sign_in']}" if stored["last_sign_in"] else "has never signed in"
    status = (
        f"{stored['display_name']} is {'active' if stored['active'] else 'deactivated'}, "
        f"{_sessions(stored['sessions'])}; {last}."
    )
    if stored.get("signs_in_with_provider"):
        status += (
            f" They sign in with {provider_name() or 'the identity provider'}: their password is changed "
            "there, and their name and role come from it at each sign-in."
        )
    if stored["active"]:
        return False, status, "Deactivate user", "outline-danger"
    return False, status, "Reactivate user", "outline-success"


# -- adding a user ----------------------------------------------------------------------------------

ADD_FORM = FormOutputs(
    ("summary", "saved", "refresh", "username", "display_name", "email", "password", ERRORS),
    NEW_FIELDS,
    kept=frozenset({"refresh", "username", "display_name", "email", "password"}),
    message="summary",
    problem=lambda errors: error_summary(errors, links_to="users-new", order=NEW_FIELDS),
)


@callback(
    Output("users-new-summary", "children"),
    Output("users-new-saved", "children"),
    Output("users-refresh", "data", allow_duplicate=True),
    Output("users-new-username", "value"),
    Output("users-new-display_name", "value"),
    Output("users-new-email", "value"),
    Output("users-new-password", "value"),
    *[Output(f"users-new-{name}-error", "children") for name in NEW_FIELDS],
    Input("users-new-save", "n_clicks"),
    *[State(f"users-new-{name}", "value") for name in NEW_FIELDS],
    State("users-refresh", "data"),
    roles=ADMINS,
    prevent_initial_call=True,
)
def add_user(_clicks, username, display_name, email, role, lead_of, password, refresh):
    generated = None
    if not local_sign_in():
        password = None  # passwords switched off: they sign in with the identity provider
    elif password in (None, ""):
        generated = password = user_services.generate_password()

    def added(user_id: int) -> tuple:
        said = [html.Strong(f"Added {username.strip()} at {format_datetime(utcnow())}.")]
        if password is None:
            said += [f" They sign in with {provider_name()}."]
        if generated:
            said += [
                " Their password is ",
                html.Code(generated, id="users-new-generated", className="fs-6"),
                ": give it to them now; it is not shown again.",
            ]
        return ADD_FORM.answer(
            saved=dbc.Alert(said, color="success", className="mb-0"),
            refresh=_next(refresh),
            username="",
            display_name="",
            email="",
            password="",
        )

    return answer_write(
        ADD_FORM,
        lambda: user_services.create_user(
            signed_in_user(),
            username,
            role,
            password,
            display_name=display_name or "",
            lead_of=lead_of or [],
            email=email,
            with_provider=password is None,
        ),
        added,
    )


def _next(refresh) -> int:
    return (refresh if isinstance(refresh, int) and not isinstance(refresh, bool) else 0) + 1


# -- password and access ----------------------------------------------------------------------------

ACCESS_FORM = FormOutputs(
    ("message", "version", "refresh", "context", "history", "password", ERRORS),
    ("password",),
    kept=frozenset({"version", "refresh", "context", "history", "password"}),
    message="message",
    problem=lambda errors: dbc.Alert(next(iter(errors.values())), color="danger"),
    conflicts=CONFLICTS,
)


def _access_dependencies(trigger: str, *state) -> list:
    return [
        Output("users-access-message", "children", allow_duplicate=True),
        Output("users-edit-version", "data", allow_duplicate=True),
        Output("users-refresh", "data", allow_duplicate=True),
        Output("users-edit-context", "children", allow_duplicate=True),
        Output("users-edit-history", "children", allow_duplicate=True),
        Output("users-reset-password", "value", allow_duplicate=True),
        Output("users-reset-password-error", "children", allow_duplicate=True),
        Input(trigger, "n_clicks"),
        State("users-edit-version", "data"),
        *state,
        State("users-refresh", "data"),
    ]


def _done(user_id: int, refresh, message) -> tuple:
    """The access part's answer once stored: the message, and the form's row as it now is."""
    row = stored_user(user_id)
    if row is None:
        return ACCESS_FORM.not_found("That user no longer exists.")
    context, history = user_panel_state(row)
    return ACCESS_FORM.answer(
        message=dbc.Alert(message, color="success"),
        version={"id": user_id, "version": row["version"]},
        refresh=_next(refresh),
        context=context,
        history=history,
        password="",
    )


def _invalid(errors) -> tuple:
    # A password problem goes beside the password; any other (the last administrator) is the message.
    if "password" in errors:
        return ACCESS_FORM.answer(errors=errors, message=error_summary(errors))
    return ACCESS_FORM.answer(message=dbc.Alert(list(errors.values()), color="danger"))


@callback(
    *_access_dependencies("users-reset-save", State("users-reset-password", "value")),
    roles=ADMINS,
    prevent_initial_call=True,
)
def reset_password(_clicks, opened, password, refresh):
    if (row := opened_row(opened)) is None:
        return ACCESS_FORM.warning("Choose a user first.")
    user_id, version = row

    def reset(generated) -> tuple:
        if generated:
            said = [
                "Password reset; they have been signed out everywhere. Their new password is ",
                html.Code(generated, id="users-reset-generated", className="fs-6"),
                ": give it to them now; it is not shown again.",
            ]
        else:
            said = "Password set; they have been signed out everywhere."
        return _done(user_id, refresh, said)

    return answer_write(
        ACCESS_FORM,
        lambda: user_services.set_password(signed_in_user(), user_id, password or None, version),
        reset,
        _invalid,
    )


@callback(*_access_dependencies("users-active-toggle"), roles=ADMINS, prevent_initial_call=True)
def toggle_active(_clicks, opened, refresh):
    if (row := opened_row(opened)) is None:
        return ACCESS_FORM.warning("Choose a user first.")
    user_id, version = row
    stored = stored_user(user_id)
    if stored is None:
        return ACCESS_FORM.not_found("That user no longer exists.")
    activate = not stored["active"]
    said = (
        "Reactivated: they can sign in again."
        if activate
        else "Deactivated: they cannot sign in, and their sessions have ended."
    )
    return answer_write(
        ACCESS_FORM,
        lambda: user_services.set_active(signed_in_user(), user_id, activate, version),
        lambda _version: _done(user_id, refresh, said),
        _invalid,
    )


@callback(*_access_dependencies("users-end-sessions"), roles=ADMINS, prevent_initial_call=True)
def end_user_sessions(_clicks, opened, refresh):
    if (row := opened_row(opened)) is None:
        return ACCESS_FORM.warning("Choose a user first.")
    user_id, _version = row
    return answer_write(
        ACCESS_FORM,
        lambda: user_services.end_sessions(signed_in_user(), user_id),
        lambda ended: _done(
            user_id, refresh, f"Ended their sessions ({ended} open): they must sign in again."
        ),
        _invalid,
    )


clientside(SHOW_DETAILS, *row_details("users-grid"), module=__name__, prevent_initial_call=True)
