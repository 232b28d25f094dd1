"""The pack's changes since the last board, from the audit trail, grouped by project."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from dashboard.domain.formatting import format_date
from dashboard.queries import board
from dashboard.reports import tables
from dashboard.reports.pack.blocks import (
    DATETIME,
    INTEGER,
    PACK_ROWS,
    Column,
    Section,
    Table,
    more_of,
    uk_time,
)


def change_section(
    meeting_date: dt.date, previous: dt.date | None, until: dt.datetime, limit: int = PACK_ROWS
) -> Section:
    """The first `limit` changes in the window, grouped by project, counted over all of them."""
    changes, total = board.first_changes_by_project(previous or dt.date(1970, 1, 1), until, limit)
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
    # The audit page lists the same days' changes (with the administration the pack leaves out).
    dates = {"from": previous.isoformat() if previous else None, "to": meeting_date.isoformat()}
    href = "/audit?" + urlencode({key: value for key, value in dates.items() if value})
    return Section(
        sheet="Changes since last board",
        heading="Changes since the last board",
        intro=[
            f"{total:,} change{'s' if total != 1 else ''} {since}, up to the end of "
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
                more=more_of(len(rows), total, "changes", "the audit page for the same days", href),
            )
        ],
    )
