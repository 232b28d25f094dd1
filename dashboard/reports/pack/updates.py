"""The pack's updates section: per lead, what is still owed for this board and what came in after its
updates were due (dashboard/queries/update_window.py)."""

from __future__ import annotations

import datetime as dt

from dashboard.domain.formatting import format_date, format_datetime
from dashboard.queries import update_window as window_queries
from dashboard.reports import tables
from dashboard.reports.pack.blocks import DATETIME, PACK_ROWS, Section, Table, more_of, uk_time
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


def _per_lead(counts: list[tuple[str, int]]) -> str:
    """ "Amara Okafor 591; Ben Hughes 666": each lead's name and count."""
    return "; ".join(f"{name} {count:,}" for name, count in counts)


def updates_section(meeting_date: dt.date, today: dt.date | None = None, limit: int = PACK_ROWS) -> Section:
    """Per lead, what is still owed for this board and what came in late: each lead's count over every
    item (counted per project in SQL), and the first rows of each list (half of `limit` each, as the
    section has two), read from only the projects those rows come from."""
    limit = max(1, limit // 2)
    found = window_queries.windows()
    window = next((w for w in found if w.meeting_date == meeting_date), None)
    if window is None:
        return Section(
            sheet=SHEET, heading="Updates owed and late", intro=["This board meeting is not recorded."]
        )
    owed_counts = window_queries.counts_by_lead(window_queries.owed_counts(window))
    owed = window_queries.first_by_lead(
        owed_counts, lambda projects: window_queries.owed_items(window, project_ids=projects), limit
    )
    owed_total = sum(group.count for group in owed_counts)
    late_counts = window_queries.counts_by_lead(window_queries.late_counts(window))
    late = window_queries.first_by_lead(
        late_counts, lambda projects: window_queries.late_items(window, project_ids=projects), limit
    )
    late_total = sum(group.count for group in late_counts)
    intro = [
        f"Updates for the board of {format_date(meeting_date)} were due by {format_datetime(window.due_at)} "
        "(UK time)"
        + (f", counting changes since {format_datetime(window.opens_at)}." if window.opens_at else ".")
    ]
    intro.append(
        f"Still owed: {_per_lead([(group.name, group.count) for group in owed_counts])}."
        if owed_counts
        else "Nothing is still owed: every open item has been updated."
    )
    intro.append(
        f"Came in late: {_per_lead([(group.name, group.count) for group in late_counts])}."
        if late_counts
        else "Nothing came in after the updates were due."
    )
    # The overview lists what each lead owes for the next board: the same rows when this is that board.
    upcoming = window_queries.next_window(today, found) if today is not None else None
    is_next = upcoming is not None and upcoming.meeting_id == window.meeting_id
    owed_rows = _records(owed)
    late_rows = _records(late)
    return Section(
        sheet=SHEET,
        heading="Updates owed and late",
        intro=intro,
        tables=[
            Table.of(
                ITEMS,
                owed_rows,
                title="Still owed",
                empty="Nothing is still owed.",
                more=more_of(
                    len(owed_rows),
                    owed_total,
                    "items owed (an item led by two leads is listed under each)",
                    "the overview's Updates for the next board" if is_next else "each lead's count above",
                    "/" if is_next else None,
                ),
            ),
            Table.of(
                ITEMS,
                late_rows,
                title="Came in late",
                empty="Nothing came in late.",
                more=more_of(
                    len(late_rows),
                    late_total,
                    "items that came in late",
                    "each lead's count above",
                    None,
                ),
            ),
        ],
    )
