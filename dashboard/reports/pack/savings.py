"""The pack's savings section: each organisation's lines, years and projects with their totals."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from dashboard.queries import savings_summary
from dashboard.queries.savings import SavingFilters
from dashboard.reports.pack.blocks import PACK_ROWS, Section, Table, more_of
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


def saving_section(today: dt.date, limit: int = PACK_ROWS) -> tuple[Section, dict[str, dict]]:
    """Per organisation: its first lines (the savings page's order), its years and its first projects,
    with totals over every one of its lines, aggregated in SQL as the savings page aggregates them.

    Every organisation has two long tables (lines and projects), so each lists a fifth of `limit`
    rows: the section stays readable with several organisations (the seed's longest table is
    Barnet's ten lines, all listed)."""
    limit = max(1, limit // 5)
    tables_, all_totals, illustrative = [], {}, False
    first_lines = savings_summary.first_lines_by_organisation(today, limit)
    for key, organisation in savings_summary.organisations_with_lines():
        filters = SavingFilters(organisation=key)
        summary = savings_summary.summary(filters, listed=0, parts=savings_summary.TOTALS_PARTS)
        totals = summary.totals
        all_totals[organisation] = totals
        illustrative = illustrative or summary.illustrative
        count = totals["lines"]
        href = "/savings?" + urlencode({"org": key})
        found = first_lines.get(organisation)
        lines = found.to_dict("records") if found is not None else []
        projects = summary.by_project.to_dict("records")
        tables_.append(
            Table.of(
                PACK_SAVING_LINES,
                lines,
                total={
                    "fy_label": "Total",
                    "description": f"{count:,} line{'s' if count != 1 else ''}",
                    **_measure_totals(totals),
                    "at_risk": f"{totals['at_risk']:,} at risk",
                },
                title=f"{organisation}: saving lines",
                more=more_of(len(lines), count, f"{organisation}'s saving lines", "the savings page", href),
            )
        )
        tables_.append(
            Table.of(
                SAVINGS_BY_YEAR,
                summary.by_year.to_dict("records"),
                total={"fy_label": "Total", **_measure_totals(totals), "lines": count},
                title=f"{organisation}: by financial year",
            )
        )
        tables_.append(
            Table.of(
                SAVINGS_BY_PROJECT,
                projects[:limit],
                title=f"{organisation}: by project",
                more=more_of(min(len(projects), limit), len(projects), "projects", "the savings page", href),
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
        illustrative=illustrative,
    )
    return section, all_totals
