"""The board's overview: headline facts from every area, updates owed, and the plain-language summary."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import and_, bindparam, case, func, literal, or_, select, union_all

from dashboard import models as m
from dashboard.db import session_scope
from dashboard.domain.formatting import financial_year_label, financial_year_of, format_money
from dashboard.queries import kpis as kpi_queries
from dashboard.queries.milestones.baselines import current_end_expression
from dashboard.queries.milestones.filters import CLOSED_STATUSES, STALE_AFTER_DAYS
from dashboard.queries.milestones.plan import count_where
from dashboard.queries.savings_summary import at_risk_sql

MOST_LATE_NAMED = 5  # projects named in the plain-language summary; the rest are counted


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
    organisation_key: str = ""  # for links to the savings page, which shows one organisation at a time


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
    stale_milestones: int = 0  # open milestones not updated for 14+ days
    stale_actions: int = 0  # open actions not updated for 14+ days


def milestone_facts(today: dt.date) -> MilestoneFacts:
    """Counted in SQL over every current milestone (retired ones excluded), as the milestones page counts.

    The milestones are counted by project id first and only the per-project counts are joined to the
    projects' names: joined first, every milestone row was carried through two joins and a sort by
    name. MATERIALIZED keeps PostgreSQL from folding the counts back into the join, where it misjudged
    the counts' cost (a correlated baseline lookup per row) and compared every project with every count.
    """
    end = current_end_expression()
    is_open = m.Milestone.status.not_in(CLOSED_STATUSES)
    overdue = and_(is_open, end < today)
    due_soon = and_(is_open, end >= today, end <= today + dt.timedelta(weeks=4))
    counted = [
        func.count(m.Milestone.id),
        count_where(is_open),
        count_where(and_(is_open, m.Milestone.rag == "Red")),
        count_where(and_(is_open, m.Milestone.rag == "Amber")),
        count_where(and_(is_open, m.Milestone.rag == "Green")),
        count_where(overdue),
        count_where(due_soon),
        count_where(m.Milestone.illustrative.is_(True)),
    ]
    counts = (
        select(
            m.Milestone.project_id, *(column.label(f"count_{index}") for index, column in enumerate(counted))
        )
        .where(m.Milestone.retired.is_(False))
        .group_by(m.Milestone.project_id)
        .cte("project_counts")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    statement = (
        select(m.Project.name, *(counts.c[f"count_{index}"] for index in range(len(counted))))
        .join(counts, counts.c.project_id == m.Project.id)
        .join(m.Programme, m.Programme.id == m.Project.programme_id)
        .order_by(m.Programme.name, m.Project.name, m.Project.id)
    )
    with session_scope() as db:
        rows = db.execute(statement).all()
    sums = [sum(int(row[index]) for row in rows) for index in range(1, 9)]
    return MilestoneFacts(
        total=sums[0],
        open=sums[1],
        red=sums[2],
        amber=sums[3],
        green=sums[4],
        overdue=sums[5],
        due_in_4_weeks=sums[6],
        late_by_project=[(row[0], int(row[6]), int(row[1])) for row in rows],
        illustrative=sums[7] > 0,
    )


def action_facts(today: dt.date) -> ActionFacts:
    """Counted in SQL; a Complete action is closed only once its evidence is accepted."""
    is_open = m.ActionItem.status.not_in(CLOSED_STATUSES)
    complete = m.ActionItem.status == "Complete"
    accepted = func.coalesce(m.ActionItem.evidence_status, "") == "accepted"
    with session_scope() as db:
        row = db.execute(
            select(
                func.count(m.ActionItem.id),
                count_where(is_open),
                count_where(and_(is_open, m.ActionItem.due_date < today)),
                count_where(and_(complete, ~accepted)),
                count_where(and_(complete, accepted)),
                count_where(m.ActionItem.illustrative.is_(True)),
            )
        ).one()
    total, open_count, overdue, awaiting, accepted_count, illustrative = (int(value) for value in row)
    return ActionFacts(total, open_count, overdue, awaiting, accepted_count, illustrative > 0)


def saving_facts(today: dt.date) -> list[SavingFacts]:
    """Per organisation (councils' savings are never added together): this financial year's savings,
    or, when none are planned for it, the latest year before it that has lines.

    Two statements. The first finds each organisation's year: per project, its latest year up to this
    one (a backward search of the (project_id, financial_year) index), then the latest per
    organisation. The second sums only that year's lines; summing every year and choosing one here
    read all of an organisation's lines to use a few of them."""
    current = financial_year_of(today)
    latest_for_project = (
        select(func.max(m.SavingLine.financial_year))
        .where(m.SavingLine.project_id == m.Project.id, m.SavingLine.financial_year <= current)
        .correlate(m.Project)
        .scalar_subquery()
    )
    has_lines = select(m.SavingLine.id).where(m.SavingLine.project_id == m.Project.id).exists()
    years_statement = (
        select(m.Organisation.id, m.Organisation.name, func.max(latest_for_project), m.Organisation.key)
        .join(m.Programme, m.Programme.organisation_id == m.Organisation.id)
        .join(m.Project, m.Project.programme_id == m.Programme.id)
        .where(has_lines)
        .group_by(m.Organisation.id, m.Organisation.name, m.Organisation.key)
    )
    # The slippage rule (domain/savings.py): not Delivered, and the milestone it depends on now ends
    # after 1 April of the line's year.
    end = case((m.SavingLine.depends_on_milestone_id.is_(None), None), else_=current_end_expression())
    at_risk = at_risk_sql(m.SavingLine.financial_year, m.SavingLine.confidence, end)

    # Amounts summed as exact pence (integers) so SQLite's floating point cannot add a stray penny.
    def pence(column):
        return func.coalesce(func.sum(func.round(column * 100)), 0)

    with session_scope() as db:
        organisations = sorted(db.execute(years_statement).all(), key=lambda row: row[1])
        chosen = {row[0]: row[2] for row in organisations if row[2] is not None}
        sums = {}
        if chosen:
            sums = {
                row[0]: row[1:]
                for row in db.execute(
                    select(
                        m.Programme.organisation_id,
                        pence(m.SavingLine.target),
                        pence(func.coalesce(m.SavingLine.forecast, m.SavingLine.target, 0)),
                        pence(m.SavingLine.realised),
                        count_where(at_risk),
                        func.count(),
                        count_where(m.SavingLine.illustrative.is_(True)),
                    )
                    .join(m.Project, m.Project.programme_id == m.Programme.id)
                    .join(m.SavingLine, m.SavingLine.project_id == m.Project.id)
                    .outerjoin(m.Milestone, m.Milestone.id == m.SavingLine.depends_on_milestone_id)
                    .where(
                        or_(
                            *(
                                and_(
                                    m.Programme.organisation_id == organisation_id,
                                    m.SavingLine.financial_year == year,
                                )
                                for organisation_id, year in chosen.items()
                            )
                        )
                    )
                    .group_by(m.Programme.organisation_id)
                )
            }
    facts = []
    for organisation_id, name, year, key in organisations:
        if year is None:
            facts.append(SavingFacts(name, None, False, Decimal(0), Decimal(0), Decimal(0), 0, 0, False, key))
            continue
        target, forecast, realised, at_risk_lines, lines, illustrative = sums[organisation_id]
        target, forecast, realised = (
            (Decimal(int(value)) / 100).quantize(Decimal("0.01")) for value in (target, forecast, realised)
        )
        facts.append(
            SavingFacts(
                organisation=name,
                financial_year=int(year),
                is_current_year=year == current,
                target=target,
                forecast=forecast,
                realised=realised,
                at_risk=int(at_risk_lines),
                lines=int(lines),
                illustrative=int(illustrative) > 0,
                organisation_key=key,
            )
        )
    return facts


def kpi_facts() -> KpiFacts:
    counts = kpi_queries.exception_counts()
    return KpiFacts(len(counts.kpis), counts.kpis, counts.illustrative)


def _stale_by_owner(today: dt.date) -> list[tuple[str, str, int]]:
    """(kind, owner, count) of open milestones and actions not updated for 14+ days, in one statement."""
    cutoff = dt.datetime.combine(today - dt.timedelta(days=STALE_AFTER_DAYS - 1), dt.time.min)
    # The statuses written into the SQL, as the open items' partial indexes spell them: SQLite uses a
    # partial index only for a query whose WHERE repeats its condition, and a bound parameter does not.
    closed = bindparam("closed", list(CLOSED_STATUSES), expanding=True, literal_execute=True)
    stale = union_all(
        *(
            select(literal(kind).label("kind"), model.owner.label("owner")).where(
                model.status.not_in(closed), model.updated_at < cutoff, *extra
            )
            for kind, model, extra in (
                ("milestone", m.Milestone, [m.Milestone.retired.is_(False)]),
                ("action", m.ActionItem, []),
            )
        )
    ).subquery("stale")
    with session_scope() as db:
        rows = db.execute(
            select(stale.c.kind, stale.c.owner, func.count()).group_by(stale.c.kind, stale.c.owner)
        ).all()
    return [(kind, owner, int(count)) for kind, owner, count in rows]


def updates_owed(today: dt.date, stale: list[tuple[str, str, int]] | None = None) -> list[tuple[str, int]]:
    """Open milestones and actions not updated for 14+ days, counted by owner in SQL, most first."""
    owners: dict[str, int] = {}
    for _kind, owner, count in _stale_by_owner(today) if stale is None else stale:
        name = owner or "No owner recorded"
        owners[name] = owners.get(name, 0) + count
    return sorted(owners.items(), key=lambda item: (-item[1], item[0]))


def overview(today: dt.date) -> Overview:
    stale = _stale_by_owner(today)
    return Overview(
        today=today,
        milestones=milestone_facts(today),
        actions=action_facts(today),
        savings=saving_facts(today),
        kpis=kpi_facts(),
        updates_owed=updates_owed(today, stale),
        stale_milestones=sum(count for kind, _owner, count in stale if kind == "milestone"),
        stale_actions=sum(count for kind, _owner, count in stale if kind == "action"),
    )


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


def plain_language(facts: Overview) -> list[str]:
    """The overview as sentences for a non-specialist, generated from the same facts as the tiles."""
    sentences = []
    ms = facts.milestones
    late_projects = [(project, late, total) for project, late, total in ms.late_by_project if late]
    if late_projects:
        named = late_projects
        if len(late_projects) > MOST_LATE_NAMED:
            # A directorate-wide programme has hundreds of projects: name the worst, count the rest.
            named = sorted(late_projects, key=lambda item: (-item[1], item[0]))[:MOST_LATE_NAMED]
        parts = [
            f"{late} of {total} {project} milestones {'is' if late == 1 else 'are'} late"
            for project, late, total in named
        ]
        others = (
            late_projects[len(named) :]
            if named is late_projects
            else [p for p in late_projects if p not in named]
        )
        if others:
            late_elsewhere = sum(late for _, late, _ in others)
            parts.append(
                f"and {_plural(late_elsewhere, 'milestone')} {'is' if late_elsewhere == 1 else 'are'} late in "
                f"{_plural(len(others), 'other project')}"
            )
        sentences.append("; ".join(parts) + ".")
    elif ms.total:
        sentences.append(f"None of the {ms.total} milestones is late.")
    else:
        sentences.append("No milestones are recorded yet.")
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
    if not ac.total:
        sentences.append("No peer challenge actions are recorded yet.")
    else:
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
