"""The KPI value entry and upload panel on the KPIs page (/kpis), for leads and admins; this module
only builds it (it is not a URL of its own)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.queries import kpis as kpi_queries
from dashboard.services import kpis as kpi_services
from dashboard.ui import forms


def entry_panel(kpi_options: list[dict], area_options: list[dict]) -> html.Section:
    def field(label: str, control, name: str, hint: str | None = None) -> html.Div:
        return forms.field(label, control, f"kpi-entry-{name}", hint)

    return html.Section(
        [
            html.H2("Enter KPI values", className="h4", id="kpi-entry-heading"),
            html.P(
                "Leads and admins can add a value for a new period one at a time, or upload many at once. "
                "Every value saved is recorded in the audit trail.",
                className="text-body-secondary",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            html.H3("One value", className="h5"),
                            html.Div(id="kpi-entry-message", role="alert", **{"aria-live": "assertive"}),
                            field(
                                "KPI",
                                dbc.Select(
                                    id="kpi-entry-kpi",
                                    options=[
                                        {"label": "Choose a KPI", "value": kpi_queries.NOT_CHOSEN},
                                        *kpi_options,
                                    ],
                                    value=kpi_queries.NOT_CHOSEN,
                                ),
                                "kpi",
                            ),
                            field(
                                "Area",
                                dbc.Select(
                                    id="kpi-entry-area",
                                    options=[
                                        {"label": "Choose an area", "value": kpi_queries.NOT_CHOSEN},
                                        *area_options,
                                    ],
                                    value=kpi_queries.NOT_CHOSEN,
                                ),
                                "area",
                            ),
                            field(
                                "Period",
                                dbc.Input(id="kpi-entry-period", type="text", maxLength=40),
                                "period",
                                "A quarter like Q3 2026/27, a financial year like 2026/27 or a month like Nov 2026",
                            ),
                            field(
                                "Value",
                                dbc.Input(
                                    id="kpi-entry-value", type="text", inputMode="decimal", maxLength=40
                                ),
                                "value",
                                "A number; percentages between 0 and 100 without the % sign",
                            ),
                            field(
                                "Note (optional)",
                                dbc.Textarea(id="kpi-entry-note", maxLength=320, rows=2),
                                "note",
                            ),
                            dbc.Button("Save value", id="kpi-entry-save", color="primary"),
                        ],
                        lg=5,
                        className="mb-3",
                    ),
                    dbc.Col(
                        [
                            html.H3("Upload a file", className="h5"),
                            html.P(
                                [
                                    "A CSV or Excel (.xlsx) file with the columns ",
                                    html.Code("kpi_code"),
                                    ", ",
                                    html.Code("area"),
                                    ", ",
                                    html.Code("period"),
                                    " and ",
                                    html.Code("value"),
                                    " (and optionally ",
                                    html.Code("note"),
                                    "). Every row is checked first: if any row is wrong, nothing is saved "
                                    "and each problem is listed by row and column.",
                                ],
                                className="small",
                            ),
                            html.Div(
                                [
                                    dbc.Button(
                                        "Download CSV template",
                                        id="kpi-template-csv",
                                        color="outline-secondary",
                                        size="sm",
                                    ),
                                    dbc.Button(
                                        "Download Excel template",
                                        id="kpi-template-xlsx",
                                        color="outline-secondary",
                                        size="sm",
                                    ),
                                ],
                                className="d-flex gap-2 mb-2",
                            ),
                            dcc.Download(id="kpi-template-download"),
                            dbc.Label("File to upload", html_for="kpi-upload", className="fw-semibold mb-1"),
                            dcc.Upload(
                                id="kpi-upload",
                                children=html.Div(
                                    [
                                        "Drag a file here or ",
                                        html.Span("choose a file", className="kpi-upload-link"),
                                    ]
                                ),
                                className="kpi-upload",
                                accept=".csv,.xlsx",
                                max_size=kpi_services.MAX_UPLOAD_BYTES,
                                multiple=False,
                            ),
                            dcc.Loading(html.Div(id="kpi-upload-report", className="mt-2", role="status")),
                            html.H3("Recently entered", className="h6 mt-3"),
                            html.Div(id="kpi-entry-history", className="small"),
                        ],
                        lg=7,
                    ),
                ]
            ),
        ],
        className="edit-panel mb-4 p-3 border rounded",
        id="kpi-entry",
        **{"aria-labelledby": "kpi-entry-heading"},
    )
