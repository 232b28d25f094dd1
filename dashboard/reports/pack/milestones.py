"""The pack's milestones section: the /milestones page's unfiltered rows in its download's columns."""

from __future__ import annotations

import datetime as dt

from dashboard.queries.milestones.filters import MilestoneFilters
from dashboard.queries.milestones.plan import milestones
from dashboard.reports import tables
from dashboard.reports.pack.blocks import Section, Table
from dashboard.reports.tables import MILESTONES

# An A4 page cannot hold all 23 columns of the milestones download; the workbook keeps them all.
MILESTONE_PRINT_KEYS = (
    "project",
    "title",
    "owner",
    "status",
    "rag",
    "percent_complete",
    "baseline_end",
    "forecast_end",
    "actual_end",
    "slippage_working_days",
    "commentary",
    "illustrative",
)
MILESTONE_PRINT_COLUMNS = tuple(MILESTONES.only(*MILESTONE_PRINT_KEYS).headings)


def milestone_section(today: dt.date) -> Section:
    # The rows the /milestones page shows with no filter, in the columns its download uses.
    frame = milestones(MilestoneFilters(), today)
    records = frame.to_dict("records")
    return Section(
        sheet="Milestones",
        heading="Milestones",
        intro=[f"{len(records)} milestone{'s' if len(records) != 1 else ''}, as on the milestones page."],
        tables=[
            Table.of(
                MILESTONES,
                records,
                empty="No milestones are recorded.",
                print_columns=MILESTONE_PRINT_COLUMNS,
            )
        ],
        illustrative=any(bool(tables.plain(record["illustrative"])) for record in records),
    )
