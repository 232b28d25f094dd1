"""Audit page wiring: filters → URL and table; downloads of the filtered log."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from dash import Input, Output, State, ctx, dcc

from dashboard import clock, queries
from dashboard.callbacks import EVERYONE, authorised
from dashboard.components import chosen
from dashboard.downloads import to_csv_bytes, to_excel_bytes
from dashboard.formatting import format_datetime
from dashboard.queries.audit import audit_count

FILTERS = ["person", "entity", "project", "from", "to"]


def audit_filters(person, entity, project, date_from, date_to) -> queries.AuditFilters:
    return queries.AuditFilters.from_query(
        {
            "person": chosen(person),
            "entity": chosen(entity),
            "project": chosen(project),
            "from": date_from,
            "to": date_to,
        }
    )


def describe(row) -> str:
    label = queries.ENTITY_LABELS.get(row.entity, row.entity)
    title = (
        row.entity_title if isinstance(row.entity_title, str) and row.entity_title else f"#{row.entity_id}"
    )
    return f"{label} {title}: {row.action}"


def audit_table(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "When": frame["at"],
            "Who": frame["username"],
            "What": [describe(row) for row in frame.itertuples(index=False)],
            "Project": frame["project"],
            "Field": frame["field"],
            "Old value": frame["old_value"],
            "New value": frame["new_value"],
        }
    )


SHOWN = 500  # the newest changes drawn in the table; the download has every matching change


def register(app) -> None:
    @authorised(
        app,
        Output("audit-url", "search"),
        Output("audit-grid", "rowData"),
        Output("audit-count", "children"),
        *[Input(f"audit-filter-{name}", "value") for name in FILTERS],
        roles=EVERYONE,
    )
    def show_audit(person, entity, project, date_from, date_to):
        filters = audit_filters(person, entity, project, date_from, date_to)
        frame = queries.audit_events(filters, limit=SHOWN)
        rows = [
            {
                "id": int(row.id),
                "when": format_datetime(row.at),
                "when_iso": row.at.isoformat() if isinstance(row.at, dt.datetime) else None,
                "username": row.username,
                "what": describe(row),
                "project": row.project,
                "field": row.field,
                "old_value": row.old_value,
                "new_value": row.new_value,
            }
            for row in frame.itertuples(index=False)
        ]
        count = f"{len(rows):,} change{'s' if len(rows) != 1 else ''} shown, newest first."
        if len(rows) == SHOWN:
            matching = audit_count(filters)
            if matching > SHOWN:
                count = (
                    f"The newest {SHOWN:,} of {matching:,} changes are shown: choose a person, area, project "
                    "or dates to see others, or download them all."
                )
        return filters.query_string(), rows, count

    @authorised(
        app,
        Output("audit-download", "data"),
        Input("audit-download-csv", "n_clicks"),
        Input("audit-download-xlsx", "n_clicks"),
        *[State(f"audit-filter-{name}", "value") for name in FILTERS],
        roles=EVERYONE,
        prevent_initial_call=True,
    )
    def download(_csv, _xlsx, person, entity, project, date_from, date_to):
        table = audit_table(queries.audit_events(audit_filters(person, entity, project, date_from, date_to)))
        stamp = clock.today().isoformat()
        if ctx.triggered_id == "audit-download-xlsx":
            return dcc.send_bytes(to_excel_bytes(table, "Audit trail"), f"audit-{stamp}.xlsx")
        return dcc.send_bytes(to_csv_bytes(table), f"audit-{stamp}.csv")
