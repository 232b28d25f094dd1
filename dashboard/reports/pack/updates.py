"""The pack's updates section: per lead, what is still owed for this board and what came in after its
updates were due (dashboard/queries/update_window.py)."""

from __future__ import annotations

import datetime as dt

from dashboard.domain.formatting import format_date, format_datetime
from dashboard.queries import update_window as window_queries
from dashboard.reports import tables
from dashboard.reports.pack.blocks import DATETIME, Section, Table, uk_time
from dashboard.reports.tables import TableDefinition

SHEET = "Updates owed and late"

ITEMS = TableDefinition(
    "Updates by lead",
    (
        tables.Column("lead", "Lead"),
        tables.Column("kind", "Item"),
        tables.Column("title", "Title"),
        tables.Column("project", "Project"),
        tables.Column("updated_at", "Last changed", DATETIME),
    ),
)


def _records(groups: list[window_queries.LeadItems]) -> list[dict]:
    return [
        {
            "lead": group.name,
            "kind": window_queries.KIND_LABELS[item.kind],
            "title": item.title,
            "project": item.project or "No project",
            "updated_at": uk_time(item.updated_at),
        }
        for group in groups
        for item in group.items
    ]


def _per_lead(groups: list[window_queries.LeadItems]) -> str:
    return "; ".join(f"{group.name} {len(group.items)}" for group in groups)


def updates_section(meeting_date: dt.date) -> Section:
    window = next((w for w in window_queries.windows() if w.meeting_date == meeting_date), None)
    if window is None:
        return Section(
            sheet=SHEET, heading="Updates owed and late", intro=["This board meeting is not recorded."]
        )
    owed = window_queries.owed_by_lead(window)
    late = window_queries.by_lead(window_queries.late_items(window))
    intro = [
        f"Updates for the board of {format_date(meeting_date)} were due by {format_datetime(window.due_at)} "
        "(UK time)"
        + (f", counting changes since {format_datetime(window.opens_at)}." if window.opens_at else ".")
    ]
    intro.append(
        f"Still owed: {_per_lead(owed)}."
        if owed
        else "Nothing is still owed: every open item has been updated."
    )
    intro.append(
        f"Came in late: {_per_lead(late)}." if late else "Nothing came in after the updates were due."
    )
    return Section(
        sheet=SHEET,
        heading="Updates owed and late",
        intro=intro,
        tables=[
            Table.of(ITEMS, _records(owed), title="Still owed", empty="Nothing is still owed."),
            Table.of(ITEMS, _records(late), title="Came in late", empty="Nothing came in late."),
        ],
    )
