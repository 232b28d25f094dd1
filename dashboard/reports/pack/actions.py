"""The pack's peer challenge actions section."""

from __future__ import annotations

import datetime as dt

from dashboard.queries import actions as action_queries
from dashboard.reports.pack.blocks import Section, Table
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


def action_section(today: dt.date) -> Section:
    frame = action_queries.action_items(action_queries.ActionFilters(), today)
    overdue = int(frame["overdue"].sum()) if not frame.empty else 0
    return Section(
        sheet="Actions",
        heading="Peer challenge actions",
        intro=[f"{len(frame)} actions in the letter's order; {overdue} overdue."],
        tables=[Table.of(PACK_ACTIONS, frame.to_dict("records"), empty="No actions are recorded.")],
        illustrative=bool(frame["illustrative"].any()) if not frame.empty else False,
    )
