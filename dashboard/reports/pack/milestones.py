"""The pack's milestones section: the /milestones page's unfiltered rows in its download's columns."""

from __future__ import annotations

import datetime as dt

from dashboard.queries.milestones.filters import MilestoneFilters
from dashboard.queries.milestones.plan import milestone_counts, milestones
from dashboard.reports.pack.blocks import PACK_ROWS, Section, Table, more_of
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


def milestone_section(today: dt.date, limit: int = PACK_ROWS) -> Section:
    """The rows the /milestones page shows with no filter, in the columns its download uses: the first
    `limit` in the page's plan order (read as the page reads one page), counted over all of them."""
    counts = milestone_counts(MilestoneFilters(), today)
    total = counts["shown"]
    frame = milestones(MilestoneFilters(per_page=limit), today, paged=True)
    records = frame.to_dict("records")
    return Section(
        sheet="Milestones",
        heading="Milestones",
        intro=[f"{total:,} milestone{'s' if total != 1 else ''}, as on the milestones page."],
        tables=[
            Table.of(
                MILESTONES,
                records,
                empty="No milestones are recorded.",
                print_columns=MILESTONE_PRINT_COLUMNS,
                more=more_of(len(records), total, "milestones", "the milestones page", "/milestones"),
            )
        ],
        illustrative=counts["illustrative"] > 0,
    )
