"""The pack's peer challenge actions section."""

from __future__ import annotations

import datetime as dt

from dashboard.queries import actions as action_queries
from dashboard.reports.pack.blocks import PACK_ROWS, Section, Table, more_of
from dashboard.reports.tables import ACTIONS

# The pack's columns of the actions download, in the order the board reads them.
PACK_ACTIONS = ACTIONS.only(
    "recommendation",
    "title",
    "project",
    "owner",
    "due_date",
    "display_status",
    "rag",
    "percent_complete",
    "overdue",
    "latest_note_date",
    "latest_note",
    "latest_note_internal",
    "illustrative",
)


def action_section(today: dt.date, limit: int = PACK_ROWS) -> Section:
    """The actions in the letter's order: the first `limit` (the plan page's first page), counted over all."""
    filters = action_queries.ActionFilters()
    totals = action_queries.action_totals(filters, today)
    records = action_queries.action_items(filters, today, first=limit).to_dict("records")
    return Section(
        sheet="Actions",
        heading="Peer challenge actions",
        intro=[f"{totals['total']:,} actions in the letter's order; {totals['overdue']:,} overdue."],
        tables=[
            Table.of(
                PACK_ACTIONS,
                records,
                empty="No actions are recorded.",
                more=more_of(len(records), totals["total"], "actions", "the actions page", "/actions"),
            )
        ],
        illustrative=totals["illustrative"],
    )
