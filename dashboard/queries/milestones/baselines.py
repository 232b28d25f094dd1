"""Baselines: the latest-first ordering, the chosen baseline joined per milestone, its current end, names."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

from sqlalchemy import case, func, select, true

from dashboard import models as m
from dashboard.db import get_engine, session_scope
from dashboard.queries.params import row_id


@dataclass(frozen=True)
class ChosenBaseline:
    """The baseline each milestone is compared against, as two outer joins onto `milestones`."""

    link: object  # milestone_baselines, aliased
    link_on: object
    baseline: object  # baselines, aliased
    baseline_on: object

    @property
    def c(self):
        return SimpleNamespace(
            baseline_id=self.baseline.c.id.label("baseline_id"),
            baseline_name=self.baseline.c.name.label("baseline_name"),
            baseline_start=self.link.c.start_date.label("baseline_start"),
            baseline_end=self.link.c.end_date.label("baseline_end"),
        )

    def joined(self, statement):
        """`statement` (over milestones) with each milestone's chosen baseline joined, where it has one."""
        return statement.outerjoin(self.link, self.link_on).outerjoin(self.baseline, self.baseline_on)


def latest_baseline_first(baselines=m.Baseline) -> tuple:
    """ORDER BY terms putting a project's latest baseline first: the latest baseline date, and of two
    on the same date the one recorded last. `baselines` is the model or an alias of its table."""
    columns = getattr(baselines, "c", baselines)
    return (columns.baseline_date.desc(), columns.id.desc())


def _baseline_ordering(baseline: str, candidate_baseline) -> tuple:
    """Which of a milestone's baselines comes first: the latest, the original or a named one."""
    if baseline == "original":
        return (candidate_baseline.c.baseline_date.asc(), candidate_baseline.c.id.asc())
    chosen = row_id(baseline)
    if chosen is not None:
        # The chosen baseline for its own project; other projects fall back to their latest.
        return (
            case((candidate_baseline.c.id == chosen, 0), else_=1),
            *latest_baseline_first(candidate_baseline),
        )
    return latest_baseline_first(candidate_baseline)


def _baseline_lookup(baseline: str, pick):
    """A correlated lookup of `pick(link)` on the chosen baseline of the enclosing query's milestone row
    (an index search on milestone_baselines): cheap where it runs for a few rows, or lazily in COALESCE."""
    candidate = m.MilestoneBaseline.__table__.alias("candidate")
    candidate_baseline = m.Baseline.__table__.alias("candidate_baseline")
    return (
        select(pick(candidate))
        .join(candidate_baseline, candidate_baseline.c.id == candidate.c.baseline_id)
        .where(candidate.c.milestone_id == m.Milestone.id)
        .order_by(*_baseline_ordering(baseline, candidate_baseline))
        .limit(1)
        .correlate(m.Milestone)
        .scalar_subquery()
    )


def chosen_baseline_dates(baseline: str) -> ChosenBaseline:
    """Per milestone, the baseline dates to compare against: the latest, the original or a named one."""
    candidate_baseline = m.Baseline.__table__.alias("candidate_baseline")
    links = m.MilestoneBaseline.__table__
    chosen = m.Baseline.__table__.alias("chosen_baseline")
    if get_engine().dialect.name == "postgresql":
        link = (
            select(links.c.id, links.c.baseline_id, links.c.start_date, links.c.end_date)
            .join(candidate_baseline, candidate_baseline.c.id == links.c.baseline_id)
            .where(links.c.milestone_id == m.Milestone.id)
            .order_by(*_baseline_ordering(baseline, candidate_baseline))
            .limit(1)
            .lateral("chosen_link")
        )
        return ChosenBaseline(link, true(), chosen, chosen.c.id == link.c.baseline_id)
    chosen_link = _baseline_lookup(baseline, lambda link: link.c.id)
    link = m.MilestoneBaseline.__table__.alias("chosen_link")
    return ChosenBaseline(link, link.c.id == chosen_link, chosen, chosen.c.id == link.c.baseline_id)


def current_end_expression(baseline: str = "latest"):
    """Per milestone row of the enclosing query, its current end: actual, else forecast, else its chosen
    baseline's end. COALESCE stops at the first date it has, so the baseline is looked up only for a
    milestone with neither an actual nor a forecast end."""
    return func.coalesce(
        m.Milestone.actual_end,
        m.Milestone.forecast_end,
        _baseline_lookup(baseline, lambda link: link.c.end_date),
    )


def baseline_name(baseline_id: int) -> str | None:
    """A baseline's name as stored (for the answer after one is recorded)."""
    with session_scope() as db:
        return db.scalar(select(m.Baseline.name).where(m.Baseline.id == baseline_id))
