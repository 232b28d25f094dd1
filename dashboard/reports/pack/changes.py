"""The pack's changes since the last board, from the audit trail, grouped by project."""

from __future__ import annotations

import datetime as dt

from dashboard.domain.formatting import format_date
from dashboard.queries import board
from dashboard.reports import tables
from dashboard.reports.pack.blocks import DATETIME, INTEGER, Column, Section, Table, uk_time


def change_section(meeting_date: dt.date, previous: dt.date | None, until: dt.datetime) -> Section:
    changes = board.changes_since(previous or dt.date(1970, 1, 1), until=until)
    if not changes.empty:
        changes = changes.sort_values(["project", "at"], kind="stable")
    rows = [
        [
            tables.plain(row["project"]),
            uk_time(row["at"]),
            tables.plain(row["username"]),
            tables.plain(row["item"]),
            tables.plain(row["kind"]),
            row["old_shown"],
            row["new_shown"],
            tables.plain(row["days_moved"]),
        ]
        for _, row in changes.iterrows()
    ]
    since = f"after the board of {format_date(previous)}" if previous else "since records began"
    return Section(
        sheet="Changes since last board",
        heading="Changes since the last board",
        intro=[
            f"{len(rows)} change{'s' if len(rows) != 1 else ''} {since}, up to the end of "
            f"{format_date(meeting_date)}, grouped by project."
        ],
        tables=[
            Table(
                columns=[
                    Column("Project"),
                    Column("When (UK time)", DATETIME),
                    Column("Who"),
                    Column("Item"),
                    Column("Change"),
                    Column("From"),
                    Column("To"),
                    Column("Days moved", INTEGER),
                ],
                rows=rows,
                empty="No changes in this period.",
            )
        ],
    )
