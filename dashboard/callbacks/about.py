"""About the data page wiring: the database's rows by kind, from the documents or illustrative."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, html

from dashboard import queries
from dashboard.callbacks import EVERYONE, callback
from dashboard.ui.components import scroll_region


@callback(Output("data-summary", "children"), Input("data-summary", "id"), roles=EVERYONE)
def show_database_summary(_component_id):
    summary = queries.database_summary()
    header = html.Thead(
        html.Tr(
            [
                html.Th("What", scope="col"),
                html.Th("Rows", scope="col"),
                html.Th("From the documents", scope="col"),
                html.Th("Illustrative", scope="col"),
            ]
        )
    )
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Th(row.entity, scope="row"),
                    html.Td(f"{row.rows:,}"),
                    html.Td(f"{row.from_documents:,}"),
                    html.Td(f"{row.illustrative:,}"),
                ]
            )
            for row in summary.itertuples()
        ]
    )
    table = dbc.Table(
        [header, body],
        bordered=False,
        striped=True,
        size="sm",
        className="summary-table w-auto mb-0",
        id="data-summary-table",
    )
    return scroll_region(table, "What the database holds")
