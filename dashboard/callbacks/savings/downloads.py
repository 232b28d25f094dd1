"""Savings page: the downloads of the lines (as the grid shows them), the years, the projects and the benefits."""

from __future__ import annotations

from dash import Input, Output, State, ctx, no_update

from dashboard import clock
from dashboard.callbacks import EVERYONE, callback
from dashboard.callbacks.common import send_table, shown_ids
from dashboard.callbacks.savings.filters import FILTER_STATES, filters_from_controls, one_organisation
from dashboard.queries import savings as saving_queries
from dashboard.reports.download_tables import benefit_table
from dashboard.reports.tables import SAVING_LINES, SAVINGS_BY_PROJECT, SAVINGS_BY_YEAR

DOWNLOAD_BUTTONS = [
    f"sv-download-{table}-{kind}"
    for table in ("lines", "years", "projects", "benefits")
    for kind in ("csv", "xlsx")
]


@callback(
    Output("sv-download", "data"),
    *[Input(button, "n_clicks") for button in DOWNLOAD_BUTTONS],
    *FILTER_STATES,
    State("sv-grid", "virtualRowData"),
    roles=EVERYONE,
    prevent_initial_call=True,
)
def download_savings(*values):
    clicks_count = len(DOWNLOAD_BUTTONS)
    org, programme, project, year, category, confidence, flags, shown_rows = values[clicks_count:]
    filters = one_organisation(
        filters_from_controls(org, programme, project, year, category, confidence, flags)
    )
    today = clock.today()
    triggered = ctx.triggered_id or ""
    if triggered not in DOWNLOAD_BUTTONS:
        return no_update
    _prefix, _download, which, kind = triggered.split("-")
    name = f"savings-{which}-{today.isoformat()}"
    frame = saving_queries.saving_lines(filters, today)
    if which == "lines":
        # The grid says which rows (and in which order) the user sees after its own filters; the
        # values come from the database again, and never outside the URL's filters.
        if shown_rows is not None:
            order = shown_ids(shown_rows)
            position = {line_id: index for index, line_id in enumerate(order)}
            frame = frame[frame["id"].isin(order)]
            frame = (
                frame.assign(_order=frame["id"].map(position)).sort_values("_order").drop(columns="_order")
            )
        return send_table(
            SAVING_LINES.frame(frame.to_dict("records")), kind, name, "Saving lines", SAVING_LINES.kinds
        )
    if which in ("years", "projects"):
        definition, sums, title = {
            "years": (SAVINGS_BY_YEAR, saving_queries.by_year, "Savings by year"),
            "projects": (SAVINGS_BY_PROJECT, saving_queries.by_project, "Savings by project"),
        }[which]
        return send_table(
            definition.frame(sums(frame).to_dict("records")), kind, name, title, definition.kinds
        )
    return send_table(benefit_table(saving_queries.benefits(filters)), kind, name, "Benefits")
