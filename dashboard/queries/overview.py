"""The board's overview: headline facts from every area, updates owed, and the plain-language summary."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from dashboard.formatting import financial_year_label, financial_year_of, format_money
from dashboard.queries import actions as action_queries
from dashboard.queries import kpis as kpi_queries
from dashboard.queries import savings as saving_queries
from dashboard.queries.milestones import MilestoneFilters
from dashboard.queries.milestones import milestones as milestone_rows


@dataclass(frozen=True)
class MilestoneFacts:
    total: int
    open: int
    red: int
    amber: int
    green: int
    overdue: int
    due_in_4_weeks: int
    late_by_project: list[tuple[str, int, int]]  # (project, overdue, milestones)
    illustrative: bool


@dataclass(frozen=True)
class ActionFacts:
    total: int
    open: int
    overdue: int
    awaiting_sign_off: int
    accepted: int
    illustrative: bool


@dataclass(frozen=True)
class SavingFacts:
    organisation: str
    financial_year: int | None
    is_current_year: bool
    target: Decimal
    forecast: Decimal
    realised: Decimal
    at_risk: int
    lines: int
    illustrative: bool


@dataclass(frozen=True)
class KpiFacts:
    exceptions: int
    kpis: list[str] = field(default_factory=list)
    illustrative: bool = False


@dataclass(frozen=True)
class Overview:
    today: dt.date
    milestones: MilestoneFacts
    actions: ActionFacts
    savings: list[SavingFacts]
    kpis: KpiFacts
    updates_owed: list[tuple[str, int]]  # (owner, items not updated for 14+ days)


def milestone_facts(today: dt.date, frame: pd.DataFrame | None = None) -> MilestoneFacts:
    frame = milestone_rows(MilestoneFilters(), today) if frame is None else frame
    open_rows = frame[frame["is_open"]] if not frame.empty else frame
    late = []
    if not frame.empty:
        for project, rows in frame.groupby("project", sort=False):
            late.append((project, int(rows["overdue"].sum()), len(rows)))
    rag = open_rows["rag"].value_counts() if not open_rows.empty else pd.Series(dtype=int)
    return MilestoneFacts(
        total=len(frame),
        open=len(open_rows),
        red=int(rag.get("Red", 0)),
        amber=int(rag.get("Amber", 0)),
        green=int(rag.get("Green", 0)),
        overdue=int(frame["overdue"].sum()) if not frame.empty else 0,
        due_in_4_weeks=int(frame["due_in_4_weeks"].sum()) if not frame.empty else 0,
        late_by_project=late,
        illustrative=bool(frame["illustrative"].any()) if not frame.empty else False,
    )


def action_facts(today: dt.date, frame: pd.DataFrame | None = None) -> ActionFacts:
    frame = action_queries.action_items(action_queries.ActionFilters(), today) if frame is None else frame
    if frame.empty:
        return ActionFacts(0, 0, 0, 0, 0, False)
    open_rows = frame[~frame["status"].isin(("Complete", "Cancelled"))]
    return ActionFacts(
        total=len(frame),
        open=len(open_rows),
        overdue=int(frame["overdue"].sum()),
        awaiting_sign_off=int((frame["display_status"] == action_queries.AWAITING).sum()),
        accepted=int((frame["display_status"] == action_queries.ACCEPTED).sum()),
        illustrative=bool(frame["illustrative"].any()),
    )


def saving_facts(today: dt.date) -> list[SavingFacts]:
    """Per organisation (councils' savings are never added together): this financial year's savings,
    or, when none are planned for it, the latest year that has lines."""
    current = financial_year_of(today)
    all_lines = saving_queries.saving_lines(saving_queries.SavingFilters(), today)
    facts = []
    for organisation, lines_of_org in (
        all_lines.groupby("organisation", sort=True) if not all_lines.empty else []
    ):
        facts.append(_saving_facts_for(organisation, lines_of_org, current))
    return facts


def _saving_facts_for(organisation: str, all_lines: pd.DataFrame, current: int) -> SavingFacts:
    years = sorted(set(all_lines["financial_year"]))
    year = current if current in years else max((y for y in years if y <= current), default=None)
    if year is None:
        return SavingFacts(organisation, None, False, Decimal(0), Decimal(0), Decimal(0), 0, 0, False)
    lines = all_lines[all_lines["financial_year"] == year]
    totals = saving_queries.totals(lines)
    return SavingFacts(
        organisation=organisation,
        financial_year=year,
        is_current_year=year == current,
        target=totals["target"],
        forecast=totals["forecast"],
        realised=totals["realised"],
        at_risk=totals["at_risk"],
        lines=totals["lines"],
        illustrative=bool(lines["illustrative"].any()),
    )


def kpi_facts() -> KpiFacts:
    frame = kpi_queries.exceptions()
    if frame.empty:
        return KpiFacts(0)
    codes = list(dict.fromkeys(frame["kpi"]))
    illustrative = bool(frame["illustrative"].any()) if "illustrative" in frame else False
    return KpiFacts(len(codes), codes, illustrative)


def updates_owed(
    milestone_frame: pd.DataFrame, action_frame: pd.DataFrame, today: dt.date
) -> list[tuple[str, int]]:
    """Open milestones and actions not updated for 14+ days, counted by owner, most first."""
    owners: dict[str, int] = {}
    if not milestone_frame.empty:
        for owner in milestone_frame.loc[milestone_frame["stale"], "owner"]:
            owners[owner or "No owner recorded"] = owners.get(owner or "No owner recorded", 0) + 1
    if not action_frame.empty:
        cutoff = dt.datetime.combine(today - dt.timedelta(days=13), dt.time.min)
        stale = action_frame[
            ~action_frame["status"].isin(("Complete", "Cancelled")) & (action_frame["updated_at"] < cutoff)
        ]
        for owner in stale["owner"]:
            owners[owner or "No owner recorded"] = owners.get(owner or "No owner recorded", 0) + 1
    return sorted(owners.items(), key=lambda item: (-item[1], item[0]))


def overview(today: dt.date) -> Overview:
    milestone_frame = milestone_rows(MilestoneFilters(), today)
    action_frame = action_queries.action_items(action_queries.ActionFilters(), today)
    return Overview(
        today=today,
        milestones=milestone_facts(today, milestone_frame),
        actions=action_facts(today, action_frame),
        savings=saving_facts(today),
        kpis=kpi_facts(),
        updates_owed=updates_owed(milestone_frame, action_frame, today),
    )


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


def plain_language(facts: Overview) -> list[str]:
    """The overview as sentences for a non-specialist, generated from the same facts as the tiles."""
    sentences = []
    ms = facts.milestones
    late_projects = [(project, late, total) for project, late, total in ms.late_by_project if late]
    if late_projects:
        parts = [
            f"{late} of {total} {project} milestones {'is' if late == 1 else 'are'} late"
            for project, late, total in late_projects
        ]
        sentences.append("; ".join(parts) + ".")
    else:
        sentences.append(f"None of the {ms.total} milestones is late.")
    if ms.open:
        sentences.append(
            f"{_plural(ms.open, 'milestone')} {'is' if ms.open == 1 else 'are'} still open: "
            f"{ms.red} red, {ms.amber} amber and {ms.green} green; "
            f"{_plural(ms.due_in_4_weeks, 'milestone')} {'is' if ms.due_in_4_weeks == 1 else 'are'} due in the "
            "next four weeks."
        )
    for sv in facts.savings:
        if sv.financial_year is None:
            continue
        year = financial_year_label(sv.financial_year)
        sentences.append(
            f"{sv.organisation}: the latest forecast for {year} savings is {format_money(sv.forecast)} against "
            f"{format_money(sv.target)}"
            + ("" if sv.is_current_year else " (no savings are planned for this financial year)")
            + f"; {format_money(sv.realised)} has been realised"
            + (
                f", and {_plural(sv.at_risk, 'line')} {'is' if sv.at_risk == 1 else 'are'} at risk because "
                "a milestone has slipped."
                if sv.at_risk
                else "."
            )
        )
    ac = facts.actions
    sentences.append(
        f"Of the {ac.total} peer challenge actions, {ac.open} {'is' if ac.open == 1 else 'are'} open "
        f"({ac.overdue} overdue) and {ac.awaiting_sign_off} {'is' if ac.awaiting_sign_off == 1 else 'are'} "
        "complete but awaiting sign-off of the evidence."
    )
    if facts.kpis.exceptions:
        sentences.append(
            f"{_plural(facts.kpis.exceptions, 'KPI')} {'needs' if facts.kpis.exceptions == 1 else 'need'} "
            "attention: red for two periods running or a real (not chance) deterioration."
        )
    else:
        sentences.append("No KPI has been red for two periods running or shown a real deterioration.")
    if facts.updates_owed:
        sentences.append(
            f"{_plural(sum(count for _, count in facts.updates_owed), 'item')} "
            f"{'has' if sum(count for _, count in facts.updates_owed) == 1 else 'have'} not been updated for "
            "two weeks or more."
        )
    return sentences
