"""Your account (/account): who you are signed in as, your role and the projects you lead, and changing
your own password (the current one is asked for; your other sessions end, this one goes on)."""

import dash
import dash_bootstrap_components as dbc
from dash import html

from dashboard.auth import local_sign_in, provider_name, session_limits, signed_in_user
from dashboard.queries.users import user_detail
from dashboard.ui import forms
from dashboard.ui.components import page_header

dash.register_page(
    __name__, path="/account", name="Your account", title="Your account – ASCH programme tracker", order=10
)

ROLE_MEANS = {
    "viewer": "You can read every page and download, and change nothing.",
    "lead": "You can update the milestones, savings and actions of the projects you lead.",
    "admin": "You can change anything, and manage users, imports and baselines.",
}


def _facts(row: dict) -> html.Dl:
    facts = [
        ("Username", row["username"]),
        ("Name", row["display_name"]),
        ("Role", f"{row['role_label']}. {ROLE_MEANS.get(row['role'], '')}"),
        ("Projects led", row["lead_of"] or "You lead no project"),
        ("Email", row["email"] or "Not recorded (the programme office can add it)"),
        ("Last signed in", row["last_sign_in"] or "Never"),
    ]
    items = []
    for label, value in facts:
        items += [html.Dt(label, className="col-sm-3"), html.Dd(value, className="col-sm-9")]
    return html.Dl(items, className="row mb-4", id="account-facts")


def _field(label: str, name: str, autocomplete: str, hint: str | None = None) -> html.Div:
    control = dbc.Input(id=f"account-{name}", type="password", autoComplete=autocomplete)
    return forms.field(label, control, f"account-{name}", hint, ids=True)


def layout(**_query):
    user = signed_in_user()
    children = [page_header("Your account", "Who you are signed in as, and your password.")]
    row = user_detail(user.id, *session_limits()) if user is not None and user.id is not None else None
    if row is None:
        return children
    if provider_name() and (row["signs_in_with_provider"] or not local_sign_in()):
        # Their password is the council's: nothing to change here.
        return children + [
            _facts(row),
            html.P(
                f"You sign in with {provider_name()}: your password and its other sign-in checks are "
                "the council's, changed there, not here.",
                id="account-signs-in-with",
            ),
        ]
    children += [
        _facts(row),
        html.Section(
            [
                html.H2("Change your password", className="h4", id="account-password-heading"),
                html.P(
                    "You will stay signed in here; every other browser you are signed in on will have to "
                    "sign in again.",
                    className="text-body-secondary",
                ),
                html.Div(id="account-summary", role="alert", **{"aria-live": "assertive"}),
                dbc.Row(
                    dbc.Col(
                        [
                            _field("Current password", "current_password", "current-password"),
                            _field("New password", "password", "new-password", "At least 8 characters"),
                            _field("New password again", "confirm_password", "new-password"),
                        ],
                        md=6,
                    )
                ),
                html.Div(
                    [
                        dbc.Button("Change password", id="account-save", color="primary", className="me-2"),
                        html.Span(id="account-saved", role="status", className="text-success fw-semibold"),
                    ],
                    className="d-flex align-items-center",
                ),
            ],
            className="edit-panel mb-4 p-3 border rounded",
            **{"aria-labelledby": "account-password-heading"},
        ),
    ]
    return children
