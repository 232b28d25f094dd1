"""Import page wiring: choose a kind and a file → check every row → import all or nothing."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, State, ctx, dcc, html, no_update

from dashboard import clock
from dashboard.auth import signed_in_user
from dashboard.callbacks import ADMINS, callback
from dashboard.callbacks.common import uploaded_bytes
from dashboard.services import importer
from dashboard.services.core import display_value


def report_view(report: importer.Report) -> dbc.Alert:
    """The row-by-row report: every problem by sheet, row and column, or what each row will do."""
    if report.problems:
        body = [
            html.Thead(
                html.Tr([html.Th("Sheet"), html.Th("Row"), html.Th("Column"), html.Th("What is wrong")])
            ),
            html.Tbody(
                [
                    html.Tr(
                        [
                            html.Td(problem.sheet or "—"),
                            html.Td(str(problem.row) if problem.row else "—"),
                            html.Td(problem.column or "—"),
                            html.Td(problem.message),
                        ]
                    )
                    for problem in report.problems
                ]
            ),
        ]
        color = "danger"
    else:
        body = [
            html.Thead(html.Tr([html.Th("Row"), html.Th("Record"), html.Th("What happens")])),
            html.Tbody(
                [
                    html.Tr(
                        [
                            html.Td(str(plan.row)),
                            html.Td(plan.key),
                            html.Td(
                                plan.outcome
                                if plan.outcome != "update"
                                else "update: "
                                + "; ".join(
                                    f"{name} {display_value(old) or 'blank'} → "
                                    f"{display_value(new) or 'blank'}"
                                    for name, (old, new) in plan.changes.items()
                                )
                            ),
                        ]
                    )
                    for plan in report.rows
                ]
            ),
        ]
        color = "success" if report.imported else "info"
    return dbc.Alert(
        [
            html.H3(report.summary(), className="h5", id="import-summary"),
            dbc.Table(body, size="sm", bordered=True, className="mb-0 bg-white", id="import-report-table"),
        ],
        color=color,
        className="error-summary" if report.problems else "",
    )


@callback(
    Output("import-report", "children"),
    Output("import-run", "disabled"),
    Input("import-upload", "contents"),
    Input("import-kind", "value"),
    Input("import-check", "n_clicks"),
    Input("import-run", "n_clicks"),
    State("import-upload", "filename"),
    roles=ADMINS,
    prevent_initial_call=True,
)
def check_or_import_file(contents, kind, _check, _run, filename):
    filename = filename if isinstance(filename, str) else ""  # the upload's name, or none
    if not isinstance(kind, str) or kind not in importer.KINDS:
        return dbc.Alert("Choose what the file holds.", color="danger"), True
    if ctx.triggered_id in ("import-upload", "import-kind"):
        if not contents:
            return no_update, True
        return (
            html.P(f"Chosen: {filename}. Press Check file to check every row before importing."),
            True,
        )
    if not contents:
        return dbc.Alert("Choose a file to import first.", color="danger"), True
    content = uploaded_bytes(contents)
    if content is None:
        return dbc.Alert("The file could not be read; choose it again.", color="danger"), True
    if ctx.triggered_id == "import-run":
        # Checked again on the server: the browser's "check passed" is never trusted.
        report = importer.import_file(signed_in_user(), kind, filename or "", content, today=clock.today())
        return report_view(report), True
    report = importer.check_file(kind, filename or "", content, today=clock.today())
    return report_view(report), not report.ok


@callback(
    Output("import-template-download", "data"),
    *[Input(f"import-template-{name}", "n_clicks") for name in importer.KINDS],
    roles=ADMINS,
    prevent_initial_call=True,
)
def download_import_template(*_clicks):
    name = str(ctx.triggered_id or "").removeprefix("import-template-")
    if name not in importer.KINDS:
        return no_update
    return dcc.send_bytes(importer.template_workbook(name), f"{name.replace('_', '-')}-template.xlsx")
