"""KPIs page: leads and admins enter values one at a time or upload many; recent entries; the upload template."""

from __future__ import annotations

from functools import partial

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, ctx, html, no_update

from dashboard import clock
from dashboard.auth import signed_in_user
from dashboard.callbacks import EDITORS, callback
from dashboard.callbacks.common import answer_write, bumped, send_table, uploaded_bytes
from dashboard.domain.formatting import format_datetime
from dashboard.queries import kpis as kpi_queries
from dashboard.services import kpis as kpi_services
from dashboard.ui.forms import ERRORS, FormOutputs, error_summary

ENTRY_FIELDS = ("kpi", "area", "period", "value", "note")

ENTRY_FORM = FormOutputs(
    ("message", ERRORS, "refresh"),
    ENTRY_FIELDS,
    kept=frozenset({"refresh"}),
    problem=partial(error_summary, links_to="kpi-entry"),
)


def _upload_report(problems: list[kpi_services.UploadProblem]) -> dbc.Alert:
    rows = [
        html.Tr(
            [
                html.Td(str(problem.row) if problem.row else "—"),
                html.Td(problem.column or "—"),
                html.Td(problem.message),
            ]
        )
        for problem in problems
    ]
    return dbc.Alert(
        [
            html.H3("Nothing was saved: fix these rows and upload the file again", className="h5"),
            html.P(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found.", className="mb-2"),
            dbc.Table(
                [
                    html.Thead(html.Tr([html.Th("Row"), html.Th("Column"), html.Th("What is wrong")])),
                    html.Tbody(rows),
                ],
                size="sm",
                bordered=True,
                className="mb-0 bg-white",
                id="kpi-upload-problems",
            ),
        ],
        color="danger",
        className="error-summary",
    )


def _history():
    frame = kpi_queries.kpi_value_history()
    if frame.empty:
        return html.P("No values entered yet.")
    return html.Ul(
        [
            html.Li(
                f"{row.kpi} · {row.area} · {row.period}: {row.value:g} ({row.by}, {format_datetime(row.at)})"
            )
            for row in frame.itertuples(index=False)
        ]
    )


@callback(
    Output("kpi-entry-message", "children"),
    *[Output(f"kpi-entry-{field}-error", "children") for field in ENTRY_FIELDS],
    Output("kpi-refresh", "data"),
    Input("kpi-entry-save", "n_clicks"),
    *[State(f"kpi-entry-{field}", "value") for field in ENTRY_FIELDS],
    State("kpi-refresh", "data"),
    roles=EDITORS,
    prevent_initial_call=True,
)
def save_kpi_value(_clicks, kpi_code, area, period, value, note, refresh):
    kpi_code, area = ("" if choice == kpi_queries.NOT_CHOSEN else choice for choice in (kpi_code, area))

    def saved(value_id: int) -> tuple:
        stored = kpi_queries.kpi_value_label(value_id)  # what was stored, not what the browser sent
        return ENTRY_FORM.answer(
            message=dbc.Alert(
                f"Saved {stored['kpi']} for {stored['area']} in {stored['period']}.", color="success"
            ),
            refresh=bumped(refresh),
        )

    return answer_write(
        ENTRY_FORM,
        lambda: kpi_services.add_kpi_value(
            signed_in_user(), kpi_code, area, period, value, note, today=clock.today()
        ),
        saved,
    )


@callback(
    Output("kpi-upload-report", "children"),
    Output("kpi-refresh", "data", allow_duplicate=True),
    Input("kpi-upload", "contents"),
    State("kpi-upload", "filename"),
    State("kpi-refresh", "data"),
    roles=EDITORS,
    prevent_initial_call=True,
)
def upload_kpi_values(contents, filename, refresh):
    if not contents:
        return no_update, no_update
    filename = filename if isinstance(filename, str) else ""  # the upload's name, or none
    content = uploaded_bytes(contents)
    if content is None:
        return dbc.Alert("The file could not be read; upload it again.", color="danger"), no_update
    try:
        saved = kpi_services.import_kpi_values(signed_in_user(), filename or "", content, today=clock.today())
    except kpi_services.UploadError as exc:
        return _upload_report(exc.problems), no_update
    return (
        dbc.Alert(f"Saved {saved} value{'s' if saved != 1 else ''} from {filename}.", color="success"),
        bumped(refresh),
    )


@callback(
    Output("kpi-entry-history", "children"),
    Input("kpi-refresh", "data"),
    Input("kpi-entry-history", "id"),
    roles=EDITORS,
)
def show_kpi_entry_history(_refresh, _component):
    return _history()


@callback(
    Output("kpi-template-download", "data"),
    Input("kpi-template-csv", "n_clicks"),
    Input("kpi-template-xlsx", "n_clicks"),
    roles=EDITORS,
    prevent_initial_call=True,
)
def download_kpi_template(_csv, _xlsx):
    header, *rows = kpi_services.upload_template_rows()
    table = pd.DataFrame(rows, columns=list(header))
    table["value"] = pd.to_numeric(table["value"])
    kind = "xlsx" if ctx.triggered_id == "kpi-template-xlsx" else "csv"
    return send_table(table, kind, "kpi-values-template", "KPI values")
