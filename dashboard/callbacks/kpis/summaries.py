"""KPIs page: each section said in sentences (the comparison, the trends, the exceptions, the funnel)."""

from __future__ import annotations

import pandas as pd

from dashboard.domain.values import is_missing
from dashboard.figures import kpis as kpi_figures
from dashboard.queries.kpis import attention as kpi_attention


def comparison_summary(comparison: pd.DataFrame | list[dict], kpi: dict) -> str:
    """The comparison in two sentences, from constituency_comparison's frame or records."""
    records = comparison.to_dict("records") if isinstance(comparison, pd.DataFrame) else comparison
    tiles = [record for record in records if record["area_kind"] == "constituency"]
    unit = kpi["unit"]
    city = [record for record in records if record["area_kind"] == "city"]
    present = [record for record in tiles if not is_missing(record["value"])]
    if not present:
        measured = [record for record in city if not is_missing(record["value"])]
        if not measured:
            return "There are no constituency values for this KPI and period."
        row = measured[0]
        return (
            f"This KPI is measured for the city only, so there are no constituency values: Birmingham was "
            f"{kpi_figures.format_value(row['value'], unit)} in {row['period_label']} ({row['rag'] or 'no RAG'})."
        )
    period = tiles[0]["period_label"]
    counts: dict[str | None, int] = {}
    for record in tiles:
        counts[record["rag"]] = counts.get(record["rag"], 0) + 1
    # sorted() is stable, as the frame's sort by rank was for equal ranks.
    by_rank = sorted(present, key=lambda record: record["rank"])
    best, worst = by_rank[0], by_rank[-1]
    city_text = ""
    if city and any(not is_missing(record["value"]) for record in city):
        city_rag = city[0]["rag"] or "no RAG"
        city_text = (
            f" The city as a whole was {kpi_figures.format_value(city[0]['value'], unit)} ({city_rag})."
        )
    if is_missing(kpi["target"]):
        target_text = f"In {period}, {kpi['name']} has no target, so no RAG."
    else:
        target_text = (
            f"In {period}, {counts.get('Green', 0)} of {len(tiles)} constituencies met the target of "
            f"{kpi_figures.format_value(kpi['target'], unit)} for {kpi['name'].lower()}, "
            f"{counts.get('Amber', 0)} were Amber and {counts.get('Red', 0)} Red."
        )
    missing = len(tiles) - len(present)
    missing_text = f" {missing} had no value." if missing else ""
    return (
        f"{target_text}{missing_text} Best: {best['area']} ({kpi_figures.format_value(best['value'], unit)}); "
        f"lowest ranked: {worst['area']} ({kpi_figures.format_value(worst['value'], unit)}).{city_text}"
    )


def trends_summary(trends: pd.DataFrame | list[dict]) -> str:
    """What the SPC charts show at the latest period, from spc_trends' frame or records."""
    records = trends.to_dict("records") if isinstance(trends, pd.DataFrame) else trends
    if not records:
        return "There are no values to chart for this KPI."
    latest: dict[str, dict] = {}  # each area's latest period with a value, areas in chart order
    points: dict[str, int] = {}
    for record in records:
        if record["value"] is not None and record["value"] == record["value"]:  # not missing (NaN)
            latest[record["area"]] = record
            points[record["area"]] = points.get(record["area"], 0) + 1
    improving = [area for area, record in latest.items() if record["variation"] == "improvement"]
    concern = [area for area, record in latest.items() if record["variation"] == "concern"]
    points = max(points.values(), default=0)
    parts = [f"At the latest period, {len(latest)} area{'s' if len(latest) != 1 else ''} charted:"]
    parts.append(
        f" special-cause concern in {', '.join(concern)};" if concern else " no special-cause concern;"
    )
    parts.append(
        f" special-cause improvement in {', '.join(improving)};"
        if improving
        else " no special-cause improvement;"
    )
    parts.append(" the rest show common-cause variation only.")
    if points < 15:
        parts.append(
            f" With {points} points per area the limits are provisional (15 or more are recommended)."
        )
    return "".join(parts)


def exceptions_summary(counts: kpi_attention.ExceptionCounts, page: int) -> str:
    if not counts.total:
        return "No KPI is Red for two periods in a row or showing special-cause concern."
    summary = (
        f"{len(counts.kpis):,} KPI{'s' if len(counts.kpis) != 1 else ''} need"
        f"{'s' if len(counts.kpis) == 1 else ''} attention, in {counts.total:,} KPI and area "
        f"combinations: {counts.red:,} Red for two or more "
        f"periods in a row and {counts.concern:,} with special-cause concern at the latest point."
    )
    per_page = kpi_attention.EXCEPTIONS_PER_PAGE
    if counts.total > per_page:
        first, last = (page - 1) * per_page + 1, min(page * per_page, counts.total)
        summary += (
            f" The table shows {first:,}–{last:,}, the longest-running Reds first: choose another page, "
            "or download them all."
        )
    return summary


def funnel_summary(stages: pd.DataFrame, area_label: str) -> str:
    by_stage = stages.set_index("stage")
    contacts = by_stage.loc["Contacts", "count"]
    assessed = by_stage.loc["Full assessment", "percent_of_contacts"]
    packages = by_stage.loc["Care package", "percent_of_contacts"]
    if pd.isna(contacts) and pd.isna(assessed):
        return f"There are no funnel figures for {area_label}."
    parts = [f"For {area_label}"]
    if not pd.isna(contacts):
        parts.append(f", of {contacts:,.0f} contacts a year")
    if not pd.isna(assessed):
        parts.append(f", {assessed:.0f}% had a full assessment")
    if not pd.isna(packages):
        parts.append(f" and {packages:.0f}% received a care package")
    parts.append(", against the P2P target of 7% for both (003 §7).")
    return "".join(parts)
