"""The plan as a list, for a narrow screen where a Gantt chart cannot be read: each milestone's name,
project, RAG (or closed status) in words, baseline end → forecast end, and how far it has slipped.

Sent as one block of markup: a page of 1,000 milestones as Dash components (8,000 of them) held
the browser's renderer for over a minute before the chart beside it could be drawn."""

from __future__ import annotations

from dash import html

from dashboard.domain.formatting import format_date
from dashboard.figures.gantt_rows import MilestoneRow
from dashboard.ui import markup


def _slippage(row: MilestoneRow) -> str:
    days = row.slippage_working_days
    if days is None:
        return "Slippage not known"
    if days == 0:
        return "On its baseline"
    weeks = f"{abs(days) / 5:.1f}".removesuffix(".0")
    unit = "week" if weeks == "1" else "weeks"
    if days > 0:
        return f"{days:,} working days late ({weeks} {unit})"
    return f"{-days:,} working days early ({weeks} {unit})"


def _ends(row: MilestoneRow) -> str:
    baseline = format_date(row.baseline_end) if row.baseline_end else "no baseline end"
    if row.actual_end:
        return f"Baseline end {baseline} → finished {format_date(row.actual_end)}"
    current = row.forecast_end or row.baseline_end
    return f"Baseline end {baseline} → forecast {format_date(current) if current else 'not set'}"


def plan_list(rows: list[MilestoneRow]):
    """The milestones shown, in the Gantt's order, as a list a phone reads top to bottom."""
    if not rows:
        return html.P("No milestones match the filters.", className="text-body-secondary")
    items = []
    for row in rows:
        state = (
            markup.rag_badge(row.rag)
            if row.is_open
            else markup.element("span", row.status, class_="fw-semibold")
        )
        project = (
            markup.join([row.project, " ", markup.illustrative_marker()]) if row.illustrative else row.project
        )
        items.append(
            markup.element(
                "li",
                markup.element("div", markup.element("strong", row.title), class_="plan-list-title"),
                markup.element("div", project, class_="small text-body-secondary"),
                markup.element("div", state, " ", _ends(row), class_="small"),
                markup.element("div", _slippage(row), class_="small"),
                class_="plan-list-item",
            )
        )
    return markup.block(
        markup.element("ol", *items, class_="plan-list-items list-unstyled mb-0", aria_label="Milestones")
    )
