"""Audit page wiring: filters → URL and table; downloads of the filtered log."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd
from dash import Input, Output, State, ctx

from dashboard import clock, queries
from dashboard.callbacks import EVERYONE, callback, clientside
from dashboard.callbacks.common import send_table
from dashboard.callbacks.grid_details import SHOW_DETAILS, row_details
from dashboard.domain.formatting import format_datetime, in_uk_time
from dashboard.queries import params
from dashboard.queries.audit import AUDIT_COUNT_CAP, AUDIT_PER_PAGE, audit_count
from dashboard.reports.values import describe_change, field_label, show_change
from dashboard.ui.components import chosen, page_choices, page_count

FILTERS = ["person", "entity", "project", "from", "to"]


def audit_filters(person, entity, project, date_from, date_to, page=None) -> queries.AuditFilters:
    return queries.AuditFilters.from_query(
        {
            "person": chosen(person),
            "entity": chosen(entity),
            "project": chosen(project),
            "from": params.typed_date(date_from),
            "to": params.typed_date(date_to),
            "page": str(page) if page is not None else None,
        }
    )


def count_text(filters: queries.AuditFilters, matching: int, shown: int) -> str:
    """What the table holds: "Changes 51–100 of 1,234 shown, newest first: …"."""
    if filters.page == 1 and shown == matching:
        return f"{matching:,} change{'s' if matching != 1 else ''} shown, newest first."
    first = (filters.page - 1) * AUDIT_PER_PAGE + 1
    total = f"more than {AUDIT_COUNT_CAP:,}" if matching > AUDIT_COUNT_CAP else f"{matching:,}"
    text = (
        f"Changes {first:,}–{first + shown - 1:,} of {total} shown, newest first: choose another page, or "
        "narrow by person, area, project or dates. The downloads have every matching change."
    )
    if matching > AUDIT_COUNT_CAP:
        text += f" The newest {AUDIT_COUNT_CAP:,} can be paged through here; narrow the filters to reach older ones."
    return text


def describe(row) -> str:
    """What changed, in words: "Milestone Conduct TU consultation: Forecast end date moved"."""
    label = queries.ENTITY_LABELS.get(row.entity, row.entity)
    title = (
        row.entity_title if isinstance(row.entity_title, str) and row.entity_title else f"no. {row.entity_id}"
    )
    return (
        f"{label} {title}: {describe_change(row.entity, row.field, row.action, row.old_value, row.new_value)}"
    )


def shown_row(row) -> dict:
    """One change as the page and the downloads show it: each value read by its field's kind."""
    old, new = show_change(row.entity, row.field, row.old_value, row.new_value)
    return {
        "when": format_datetime(row.at),
        "username": row.username,
        "what": describe(row),
        "project": row.project if isinstance(row.project, str) else "",
        "field": field_label(row.entity, row.field),
        "old_value": old,
        "new_value": new,
    }


def audit_table(frame: pd.DataFrame) -> pd.DataFrame:
    # The time as a UK wall-clock datetime: Excel shows it as the page does, and sorts it as a time.
    rows = [{**shown_row(row), "when": in_uk_time(row.at)} for row in frame.itertuples(index=False)]
    headings = {
        "when": "When (UK time)",
        "username": "Who",
        "what": "What",
        "project": "Project",
        "field": "Field",
        "old_value": "Old value",
        "new_value": "New value",
    }
    return pd.DataFrame(rows, columns=list(headings)).rename(columns=headings)


@callback(
    Output("audit-url", "search"),
    Output("audit-grid", "rowData"),
    Output("audit-count", "children"),
    Output("audit-page", "options"),
    Output("audit-page", "value"),
    *[Input(f"audit-filter-{name}", "value") for name in FILTERS],
    Input("audit-page", "value"),
    roles=EVERYONE,
)
def show_audit(person, entity, project, date_from, date_to, page):
    # Any change but the page itself starts again at page 1; the first draw keeps the URL's page.
    turned_page = ctx.triggered_id in (None, "audit-page")
    filters = audit_filters(person, entity, project, date_from, date_to, page if turned_page else 1)
    matching = audit_count(filters)
    pages = page_count(min(matching, AUDIT_COUNT_CAP), AUDIT_PER_PAGE)
    if filters.page > pages:
        filters = replace(filters, page=pages)
    frame = queries.audit_events(filters, paged=True)
    rows = [
        {
            "id": int(row.id),
            "when_iso": row.at.isoformat() if isinstance(row.at, dt.datetime) else None,
            **shown_row(row),
        }
        for row in frame.itertuples(index=False)
    ]
    return (
        filters.query_string(),
        rows,
        count_text(filters, matching, len(rows)),
        page_choices(min(matching, AUDIT_COUNT_CAP), AUDIT_PER_PAGE, "changes", filters.page),
        str(filters.page),
    )


@callback(
    Output("audit-download", "data"),
    Input("audit-download-csv", "n_clicks"),
    Input("audit-download-xlsx", "n_clicks"),
    *[State(f"audit-filter-{name}", "value") for name in FILTERS],
    roles=EVERYONE,
    prevent_initial_call=True,
)
def download_audit(_csv, _xlsx, person, entity, project, date_from, date_to):
    table = audit_table(queries.audit_events(audit_filters(person, entity, project, date_from, date_to)))
    kind = "xlsx" if ctx.triggered_id == "audit-download-xlsx" else "csv"
    return send_table(table, kind, f"audit-{clock.today().isoformat()}", "Audit trail")


clientside(SHOW_DETAILS, *row_details("audit-grid"), module=__name__, prevent_initial_call=True)
