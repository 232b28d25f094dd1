"""Users page (/users): the programme office adds people, changes their role and the projects they lead,
resets passwords, deactivates and reactivates them and ends their sessions. Administrators only:
others are told so, and every callback refuses them on the server (callbacks/users.py)."""

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import models as m
from dashboard.auth import ROLE_LABELS, local_sign_in, provider_name, signed_in_user
from dashboard.queries.users import project_choices
from dashboard.ui import forms
from dashboard.ui.components import GRID_EVENTS, GRID_OPTIONS, grid_details, page_header, phone_ready

dash.register_page(__name__, path="/users", name="Users", title="Users – ASCH programme tracker", order=9)

GRID_COLUMNS = [
    {"field": "username", "headerName": "Username", "minWidth": 130, "flex": 1, "sort": "asc"},
    {
        "field": "display_name",
        "headerName": "Name",
        "minWidth": 160,
        "flex": 2,
        "wrapText": True,
        "autoHeight": True,
    },
    {"field": "role_label", "headerName": "Role", "minWidth": 110, "flex": 1},
    {
        "field": "lead_of",
        "headerName": "Projects led",
        "minWidth": 160,
        "flex": 2,
        "wrapText": True,
        "autoHeight": True,
    },
    {"field": "email", "headerName": "Email", "minWidth": 140, "flex": 1},
    {
        "field": "last_sign_in",
        "headerName": "Last sign-in",
        "minWidth": 155,
        "flex": 1,
        "comparator": {"function": "isoCompare"},
    },
    {"field": "status", "headerName": "Status", "minWidth": 110, "flex": 1},
    {"field": "sessions", "headerName": "Sessions", "minWidth": 100, "flex": 1, "type": "numericColumn"},
]

ROLE_OPTIONS = [{"label": ROLE_LABELS[role], "value": role} for role in m.ROLES]
PASSWORD_HINT = "At least 8 characters. Leave blank to have one made up: it is shown to you once."
LEAD_HINT = "Only for the Project lead role; an administrator can already edit every project."


def _field(prefix: str, label: str, control, name: str, hint: str | None = None) -> html.Div:
    return forms.field(label, control, f"{prefix}-{name}", hint, ids=True)


def _projects_field(prefix: str, choices: list[dict]) -> html.Fieldset:
    return html.Fieldset(
        [
            html.Legend("Projects led", className="fs-6 fw-semibold mb-1"),
            html.Div(LEAD_HINT, className="form-text mt-0 mb-1", id=f"{prefix}-lead_of-hint"),
            forms.field_error(f"{prefix}-lead_of"),
            dbc.Checklist(id=f"{prefix}-lead_of", options=choices, value=[]),
        ],
        className="mb-3",
        id=f"{prefix}-lead_of-group",
    )


def _details_fields(prefix: str, choices: list[dict]) -> list:
    """Name, email, role and projects led: the same in the add and the change forms."""
    return [
        dbc.Row(
            [
                dbc.Col(
                    _field(
                        prefix,
                        "Display name",
                        dbc.Input(id=f"{prefix}-display_name", maxLength=140),
                        "display_name",
                        "Shown in the app and the audit trail",
                    ),
                    md=6,
                ),
                dbc.Col(
                    _field(
                        prefix,
                        "Email (optional)",
                        dbc.Input(id=f"{prefix}-email", type="email", maxLength=254, autoComplete="off"),
                        "email",
                    ),
                    md=6,
                ),
            ]
        ),
        dbc.Row(
            dbc.Col(
                _field(
                    prefix,
                    "Role",
                    dbc.Select(id=f"{prefix}-role", options=ROLE_OPTIONS, value="viewer"),
                    "role",
                ),
                md=6,
            )
        ),
        _projects_field(prefix, choices),
    ]


def _add_form(choices: list[dict]) -> html.Section:
    prefix = "users-new"
    return html.Section(
        [
            html.H2("Add a user", className="h4", id="users-new-heading"),
            html.P(
                "They sign in with the username and password given here. Give them the password in person "
                "or by phone, never by email."
                if local_sign_in()
                else f"They sign in with {provider_name()}: give the username it knows them by (their "
                "email address, say); their first sign-in there is this user.",
                className="text-body-secondary",
                id="users-new-intro",
            ),
            html.Div(id="users-new-summary", role="alert", **{"aria-live": "assertive"}),
            dbc.Row(
                dbc.Col(
                    _field(
                        prefix,
                        "Username",
                        dbc.Input(id="users-new-username", maxLength=80, autoComplete="off"),
                        "username",
                        "Letters, digits, dots, hyphens, underscores or @, for example j.smith",
                    ),
                    md=6,
                )
            ),
            *_details_fields(prefix, choices),
            dbc.Row(
                dbc.Col(
                    _field(
                        prefix,
                        "Password",
                        dbc.Input(id="users-new-password", type="password", autoComplete="new-password"),
                        "password",
                        PASSWORD_HINT,
                    ),
                    md=6,
                ),
                # Passwords switched off: nothing to give them (the callback sends none).
                className=None if local_sign_in() else "d-none",
            ),
            html.Div(
                [
                    dbc.Button("Add user", id="users-new-save", color="primary", className="me-2"),
                    html.Span(id="users-new-saved", role="status"),
                ],
                className="d-flex align-items-center flex-wrap gap-2",
            ),
        ],
        className="edit-panel mb-4 p-3 border rounded",
        **{"aria-labelledby": "users-new-heading"},
    )


def _access_panel() -> html.Div:
    """Password and access for the user the change form has open (shown once one is chosen)."""
    return html.Div(
        [
            html.H3("Password and access", className="h5 mt-3", id="users-access-heading"),
            html.P(id="users-access-status", className="mb-2"),
            html.Div(id="users-access-message", role="status", **{"aria-live": "polite"}),
            dbc.Row(
                [
                    dbc.Col(
                        forms.field(
                            "New password (optional)",
                            dbc.Input(
                                id="users-reset-password", type="password", autoComplete="new-password"
                            ),
                            "users-reset-password",
                            PASSWORD_HINT,
                            ids=True,
                        ),
                        md=6,
                    ),
                    dbc.Col(
                        dbc.Button("Reset password", id="users-reset-save", color="secondary"),
                        md=6,
                        className="d-flex align-items-end mb-3",
                    ),
                ]
            ),
            html.Div(
                [
                    dbc.Button("Deactivate user", id="users-active-toggle", color="outline-danger"),
                    dbc.Button("End all their sessions", id="users-end-sessions", color="outline-secondary"),
                ],
                className="d-flex flex-wrap gap-2 mb-2",
            ),
            html.P(
                "Resetting the password, changing the role and deactivating also sign them out everywhere.",
                className="form-text",
            ),
        ],
        id="users-access",
        hidden=True,
        className="border-top pt-2 mb-3",
    )


def _change_form(choices: list[dict]) -> html.Section:
    panel = forms.edit_panel(
        "users-edit",
        heading="Change a user",
        lead="Choose a user, or select their row in the table.",
        select_label="User to change",
        placeholder="Choose a user",
        body=_details_fields("users-edit", choices),
        save_label="Save changes",
    )
    # Password and access sit under the form's Save button, above its change history.
    fields = next(child for child in panel.children if getattr(child, "id", None) == "users-edit-fields")
    fields.children.insert(-1, _access_panel())
    return panel


def layout(**_query):
    user = signed_in_user()
    children = [
        page_header(
            "Users", "Who can sign in, their role and the projects they lead. Every change is audited."
        )
    ]
    if user is None or not user.is_admin:
        children.append(
            dbc.Alert(
                "Managing users is for the programme office's administrators. To change your own password, "
                "go to Your account.",
                color="info",
                id="users-not-allowed",
            )
        )
        return children
    choices = project_choices()
    children += [
        dcc.Store(id="users-refresh", data=0),
        html.Section(
            [
                html.H2("People", className="h4", id="users-table-heading"),
                html.P(id="users-count", className="small text-body-secondary", role="status"),
                dag.AgGrid(
                    id="users-grid",
                    eventListeners=GRID_EVENTS,
                    columnDefs=phone_ready(GRID_COLUMNS),
                    rowData=[],
                    defaultColDef={"sortable": True, "filter": True, "resizable": True},
                    dashGridOptions={
                        **GRID_OPTIONS,
                        "rowSelection": {
                            "mode": "singleRow",
                            "checkboxes": False,
                            "enableClickSelection": True,
                        },
                        "domLayout": "autoHeight",
                        "localeText": {"noRowsToShow": "No users"},
                    },
                    getRowId="params.data.id",
                    style={"width": "100%"},
                ),
                grid_details("users-grid"),
            ],
            className="mb-4",
            **{"aria-labelledby": "users-table-heading"},
        ),
        _change_form(choices),
        _add_form(choices),
    ]
    return children
