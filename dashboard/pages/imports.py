"""Import page (/import): the programme office loads its milestone, action, saving and KPI spreadsheets."""

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.auth import signed_in_user
from dashboard.queries.summary import holdings
from dashboard.services.importer import KIND_CHOICES, KINDS, MAX_BYTES
from dashboard.ui import empty_states
from dashboard.ui.components import page_header

dash.register_page(__name__, path="/import", name="Import", title="Import – ASCH programme tracker", order=8)


def _admin_panel() -> html.Section:
    return html.Section(
        [
            html.H2("Import a spreadsheet", className="h4", id="import-heading"),
            html.P(
                [
                    "Choose what the file holds, then choose an Excel (.xlsx) or CSV file laid out like the "
                    "template. ",
                    html.Strong("Check file"),
                    " reads every row and shows what an import would do: the sheet read, which heading "
                    "goes to which field, and the first rows as they will be stored. Nothing is saved until "
                    "you press ",
                    html.Strong("Import"),
                    ", which imports exactly what the check showed. If any row is wrong, nothing is imported and every problem is listed by sheet, row "
                    "and column. Importing the same file again changes nothing.",
                ],
                className="text-body-secondary",
            ),
            html.Div(
                [
                    dbc.Label("What the file holds", html_for="import-kind", className="fw-semibold mb-1"),
                    dbc.Select(
                        id="import-kind",
                        options=[{"label": label, "value": name} for name, label in KIND_CHOICES],
                        value="milestones",
                    ),
                ],
                className="mb-3",
                style={"maxWidth": "22rem"},
            ),
            html.Div(
                [
                    html.Span("Templates: ", className="small fw-semibold me-1"),
                    *[
                        dbc.Button(
                            f"Download template: {kind.label}",
                            id=f"import-template-{name}",
                            color="outline-secondary",
                            size="sm",
                        )
                        for name, kind in KINDS.items()
                    ],
                ],
                className="d-flex flex-wrap gap-2 align-items-center mb-3",
            ),
            dcc.Download(id="import-template-download"),
            dbc.Label(
                "File to import (.xlsx or .csv)", html_for="import-upload", className="fw-semibold mb-1"
            ),
            dcc.Upload(
                id="import-upload",
                children=html.Div(
                    ["Drag a file here or ", html.Span("choose a file", className="kpi-upload-link")]
                ),
                className="kpi-upload",
                accept=".csv,.xlsx",
                max_size=MAX_BYTES,
                multiple=False,
            ),
            html.Div(
                [
                    dbc.Label("Sheet to read", html_for="import-sheet", className="fw-semibold mb-1"),
                    dbc.Select(
                        id="import-sheet",
                        options=[{"label": "The sheet named like the kind, or the best match", "value": "*"}],
                        value="*",
                    ),
                    html.Div(
                        "After a check, every sheet of the workbook is listed here; a hidden sheet is read "
                        "only when you choose it.",
                        className="form-text",
                    ),
                ],
                className="mt-3",
                style={"maxWidth": "30rem"},
            ),
            dcc.Store(id="import-checked"),
            html.Div(
                [
                    dbc.Button("Check file", id="import-check", color="secondary"),
                    dbc.Button("Import", id="import-run", color="primary", disabled=True),
                ],
                className="d-flex gap-2 my-3",
            ),
            dcc.Loading(html.Div(id="import-report", role="status", **{"aria-live": "polite"})),
        ],
        className="edit-panel mb-4 p-3 border rounded",
        **{"aria-labelledby": "import-heading"},
    )


def layout(**_query):
    user = signed_in_user()
    children = [
        page_header(
            "Import",
            "Load the programme office's existing trackers: milestones, actions, savings and KPI values.",
        )
    ]
    if user is not None and user.is_admin:
        children.append(_admin_panel())
    else:
        children.append(
            dbc.Alert(
                "Importing spreadsheets is for the programme office: ask an administrator to import your "
                "tracker, or update milestones, actions, savings and KPI values on their own pages.",
                color="info",
                id="import-not-allowed",
            )
        )
    return empty_states.with_notice(children, empty_states.imports(holdings()))
