"""The pack's savings section: each organisation's lines, years and projects with their totals."""

from __future__ import annotations

import datetime as dt

from dashboard.queries import savings as saving_queries
from dashboard.reports.pack.blocks import Section, Table
from dashboard.reports.tables import SAVING_LINE_GRID, SAVINGS_BY_PROJECT, SAVINGS_BY_YEAR

# The pack's columns of the saving lines: the page's grid without the milestone's end and the
# proposed year (each organisation's sheet block names its organisation).
PACK_SAVING_LINES = SAVING_LINE_GRID.without("milestone_end", "proposed_year")


def _measure_totals(totals: dict) -> dict:
    """An organisation's totals() keyed as the savings tables' measure columns."""
    return {
        "target": totals["target"],
        "plain_forecast": totals["forecast"],
        "realised": totals["realised"],
        "variance": totals["variance"],
        "weighted_forecast": totals["weighted_forecast"],
        "fte": totals["fte"] or None,
    }


def saving_section(today: dt.date) -> tuple[Section, dict[str, dict]]:
    lines = saving_queries.saving_lines(saving_queries.SavingFilters(), today)
    tables_, all_totals = [], {}
    for organisation, rows in lines.groupby("organisation", sort=True) if not lines.empty else []:
        totals = saving_queries.totals(rows)
        all_totals[organisation] = totals
        count = totals["lines"]
        tables_.append(
            Table.of(
                PACK_SAVING_LINES,
                rows.to_dict("records"),
                total={
                    "fy_label": "Total",
                    "description": f"{count} line{'s' if count != 1 else ''}",
                    **_measure_totals(totals),
                    "at_risk": f"{totals['at_risk']} at risk",
                },
                title=f"{organisation}: saving lines",
            )
        )
        tables_.append(
            Table.of(
                SAVINGS_BY_YEAR,
                saving_queries.by_year(rows).to_dict("records"),
                total={"fy_label": "Total", **_measure_totals(totals), "lines": count},
                title=f"{organisation}: by financial year",
            )
        )
        tables_.append(
            Table.of(
                SAVINGS_BY_PROJECT,
                saving_queries.by_project(rows).to_dict("records"),
                title=f"{organisation}: by project",
            )
        )
    section = Section(
        sheet="Savings",
        heading="Savings against targets",
        intro=[
            "Each organisation's savings are shown separately: councils' savings are never added together. "
            "Forecast counts a line with no forecast yet at its target; the confidence-weighted forecast "
            "weights each line by its delivery confidence."
        ],
        tables=tables_ or [Table.of(PACK_SAVING_LINES, [], empty="No saving lines are recorded.")],
        illustrative=bool(lines["illustrative"].any()) if not lines.empty else False,
    )
    return section, all_totals
