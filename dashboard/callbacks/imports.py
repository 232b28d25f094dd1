"""Import page wiring: choose a kind, a file and (for a workbook) its sheet → check every row and\npreview what an import does → import exactly that, all or nothing."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, State, ctx, dcc, html, no_update

from dashboard import clock
from dashboard.auth import signed_in_user
from dashboard.callbacks import ADMINS, callback
from dashboard.callbacks.common import uploaded_bytes
from dashboard.reports import import_preview
from dashboard.services import importer
from dashboard.ui.components import scroll_region

AUTOMATIC = "*"  # the sheet chooser's "the sheet named like the kind" (no sheet's name has a "*")
NOT_CHECKED = "Nothing was imported: check the file first, then import what the check shows."


def _problems_view(report: importer.Report) -> list:
    return [
        html.H3(report.summary(), className="h5", id="import-summary"),
        dbc.Table(
            [
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
            ],
            size="sm",
            bordered=True,
            className="mb-0 bg-white",
            id="import-report-table",
        ),
    ]


def _preview_view(report: importer.Report) -> list:
    """What the import does (or did): the sheet, the columns' fields, and the first rows' values."""
    rows = import_preview.first_rows(report)
    more = len(report.rows) - len(rows)
    notes = [import_preview.ignored(report), *import_preview.skipped(report)]
    return [
        html.H3(report.summary(), className="h5", id="import-summary"),
        html.P(import_preview.source(report), id="import-source", className="mb-2"),
        html.H4("Columns read", className="h6 mt-3"),
        dbc.Table(
            [
                html.Thead(html.Tr([html.Th("Heading in the file"), html.Th("Read as")])),
                html.Tbody(
                    [html.Tr([html.Td(written), html.Td(name)]) for written, name in report.mapping()]
                ),
            ],
            size="sm",
            bordered=True,
            className="bg-white w-auto",
            id="import-mapping",
        ),
        *[html.P(note, className="mb-1") for note in notes if note],
        html.H4(
            "First rows, as they will be stored" if not report.imported else "Rows imported",
            className="h6 mt-3",
        ),
        scroll_region(
            dbc.Table(
                [
                    html.Thead(
                        html.Tr(
                            [html.Th("Row"), html.Th("Record"), html.Th("What happens"), html.Th("Values")]
                        )
                    ),
                    html.Tbody(
                        [
                            html.Tr(
                                [
                                    html.Td(str(row.row)),
                                    html.Td(row.record),
                                    html.Td(row.outcome),
                                    html.Td(row.values),
                                ]
                            )
                            for row in rows
                        ]
                    ),
                ],
                size="sm",
                bordered=True,
                className="mb-0 bg-white",
                id="import-report-table",
            ),
            "The rows the import will store",
        ),
        html.P(
            f"…and {more:,} more row{'s' if more != 1 else ''} "
            f"({report.count('new')} new, {report.count('update')} updated in all).",
            className="small mt-1 mb-0",
        )
        if more > 0
        else None,
    ]


def report_view(report: importer.Report) -> dbc.Alert:
    """The problems by sheet, row and column; or the preview of what the import will do (or did)."""
    if report.problems:
        return dbc.Alert(_problems_view(report), color="danger", className="error-summary")
    return dbc.Alert(_preview_view(report), color="success" if report.imported else "info")


def _sheet_options(report: importer.Report | None) -> list[dict]:
    options = [{"label": "The sheet named like the kind, or the best match", "value": AUTOMATIC}]
    if report is not None and report.filename.lower().endswith(".xlsx"):
        options += [
            {"label": title + (" (hidden)" if hidden else ""), "value": title}
            for title, hidden in report.sheets
        ]
    return options


@callback(
    Output("import-report", "children"),
    Output("import-run", "disabled"),
    Output("import-checked", "data"),
    Output("import-sheet", "options"),
    Output("import-sheet", "value"),
    Input("import-upload", "contents"),
    Input("import-kind", "value"),
    Input("import-sheet", "value"),
    Input("import-check", "n_clicks"),
    Input("import-run", "n_clicks"),
    State("import-upload", "filename"),
    State("import-checked", "data"),
    roles=ADMINS,
    prevent_initial_call=True,
)
def check_or_import_file(contents, kind, sheet, _check, _run, filename, checked):
    """Choosing a file, kind or sheet asks for a check; a check previews the import and keeps its
    fingerprint; Import applies the file only if it would do exactly what that preview showed."""
    filename = filename if isinstance(filename, str) else ""  # the upload's name, or none
    sheet = sheet if isinstance(sheet, str) and sheet not in ("", AUTOMATIC) else None
    checked = checked if isinstance(checked, str) else None
    if not isinstance(kind, str) or kind not in importer.KINDS:
        return dbc.Alert("Choose what the file holds.", color="danger"), True, None, no_update, no_update
    if ctx.triggered_id in ("import-upload", "import-kind", "import-sheet"):
        if not contents:
            return no_update, True, None, no_update, no_update
        chosen = html.P(f"Chosen: {filename}. Press Check file to check every row before importing.")
        if ctx.triggered_id == "import-upload":  # a new file: its sheets are not known yet
            return chosen, True, None, _sheet_options(None), AUTOMATIC
        return chosen, True, None, no_update, no_update
    if not contents:
        return dbc.Alert("Choose a file to import first.", color="danger"), True, None, no_update, no_update
    content = uploaded_bytes(contents)
    if content is None:
        message = dbc.Alert("The file could not be read; choose it again.", color="danger")
        return message, True, None, no_update, no_update
    if ctx.triggered_id == "import-run":
        if checked is None:
            return dbc.Alert(NOT_CHECKED, color="danger"), True, None, no_update, no_update
        # Checked again on the server: the browser's "check passed" is never trusted, and the rows
        # are applied only if they are still what the preview showed.
        report = importer.import_file(
            signed_in_user(), kind, filename, content, today=clock.today(), sheet=sheet, confirmed=checked
        )
        return report_view(report), True, None, no_update, no_update
    report = importer.check_file(kind, filename, content, today=clock.today(), sheet=sheet)
    fingerprint = report.fingerprint() if report.ok else None
    options = _sheet_options(report) if report.sheets else no_update
    return report_view(report), not report.ok, fingerprint, options, no_update


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
