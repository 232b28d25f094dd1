"""Counts of the matching actions: in all (for paging) and each recommendation's progress."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import case, func, select

from dashboard import models as m
from dashboard.db import session_scope
from dashboard.queries.actions.filters import ActionFilters, action_conditions, with_action_plan

PROGRESS_COLUMNS = ["recommendation", "total", "accepted", "awaiting", "open", "overdue"]
# Recommendations the progress chart (and the table beside it) draws at a time: a long programme's are
# ranked, most overdue then most open actions first, and paged; the download has every one.
PROGRESS_PER_PAGE = 20


def action_count(filters: ActionFilters, today: dt.date) -> int:
    """How many actions match `filters` (every page), counted in SQL."""
    statement = with_action_plan(select(func.count(m.ActionItem.id))).where(
        *action_conditions(filters, today)
    )
    with session_scope() as db:
        return int(db.execute(statement).scalar_one())


def action_totals(filters: ActionFilters, today: dt.date) -> dict[str, int | bool]:
    """Over every action matching `filters`, in SQL: how many, how many overdue (open and past their
    due date, as the plan's overdue flag), and whether any is illustrative."""
    late = m.ActionItem.status.not_in(("Complete", "Cancelled")) & (m.ActionItem.due_date < today)
    statement = with_action_plan(
        select(
            func.count(m.ActionItem.id),
            func.coalesce(func.sum(case((late, 1), else_=0)), 0),
            func.coalesce(func.sum(case((m.ActionItem.illustrative.is_(True), 1), else_=0)), 0),
        )
    ).where(*action_conditions(filters, today))
    with session_scope() as db:
        total, overdue, illustrative = db.execute(statement).one()
    return {"total": int(total), "overdue": int(overdue), "illustrative": int(illustrative) > 0}


def _counted(filters: ActionFilters, today: dt.date, numbers: list[str] | None = None):
    """Per recommendation with matching actions: number, letter order, actions, closed (evidence
    accepted), awaiting sign-off, overdue — a grouped SELECT, not yet ordered."""
    complete = m.ActionItem.status == "Complete"
    accepted = func.coalesce(m.ActionItem.evidence_status, "") == "accepted"
    late = m.ActionItem.status.not_in(("Complete", "Cancelled")) & (m.ActionItem.due_date < today)

    def count(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    return (
        with_action_plan(
            select(
                m.Recommendation.number.label("number"),
                m.Recommendation.sort_order.label("sort_order"),
                func.count(m.ActionItem.id).label("total"),
                count(complete & accepted).label("accepted"),
                count(complete & ~accepted).label("awaiting"),
                count(late).label("overdue"),
            )
        )
        .where(
            *action_conditions(filters, today),
            *([m.Recommendation.number.in_(numbers)] if numbers is not None else []),
        )
        .group_by(m.Recommendation.id, m.Recommendation.number, m.Recommendation.sort_order)
    )


def _frame(rows) -> pd.DataFrame:
    return pd.DataFrame.from_records(
        [
            (
                number,
                int(total),
                int(closed),
                int(awaiting),
                int(total - closed - awaiting - overdue),
                int(overdue),
            )
            for number, _order, total, closed, awaiting, overdue in rows
        ],
        columns=PROGRESS_COLUMNS,
    )


def progress_by_recommendation(
    filters: ActionFilters, today: dt.date, numbers: list[str] | None = None
) -> pd.DataFrame:
    """Per recommendation with matching actions, in the letter's order, counted in SQL: actions,
    closed (evidence accepted), awaiting sign-off, open on time, overdue. With `numbers`, only those
    recommendations (all their matching actions, whichever page they are on)."""
    statement = _counted(filters, today, numbers).order_by(m.Recommendation.sort_order)
    with session_scope() as db:
        rows = db.execute(statement).all()
    return _frame(rows)


@dataclass(frozen=True)
class ProgressPage:
    """One page of the progress chart: its recommendations' counts, and the counts of every match."""

    rows: pd.DataFrame  # PROGRESS_COLUMNS, the page's recommendations in the order drawn
    recommendations: int  # recommendations with a matching action, on every page
    totals: dict[str, int]  # PROGRESS_COLUMNS' counts (but recommendation) over every matching action
    page: int
    per_page: int

    @property
    def ranked(self) -> bool:
        """More recommendations than a page: drawn most overdue, then most open, first."""
        return self.recommendations > self.per_page


def progress_page(
    filters: ActionFilters, today: dt.date, page: int = 1, per_page: int = PROGRESS_PER_PAGE
) -> ProgressPage:
    """The recommendations one page of the progress chart draws, and the totals over every matching
    action, in one query. When they all fit on one page they are in the letter's order; otherwise those
    with the most overdue actions come first, then the most still open (not complete), then the letter's
    order, so the first page is the one that needs attention. A page past the end is the last."""
    counted = _counted(filters, today).subquery()
    unfinished = counted.c.total - counted.c.accepted - counted.c.awaiting
    statement = select(
        counted,
        func.count().over(),
        *(func.sum(counted.c[name]).over() for name in ("total", "accepted", "awaiting", "overdue")),
    ).order_by(counted.c.overdue.desc(), unfinished.desc(), counted.c.sort_order)
    with session_scope() as db:
        rows = db.execute(statement.limit(per_page).offset((max(1, page) - 1) * per_page)).all()
        if not rows and page > 1:  # past the end: the last page (or the only one)
            recommendations = int(db.execute(select(func.count()).select_from(counted)).scalar_one())
            page = max(1, -(-recommendations // per_page))
            rows = db.execute(statement.limit(per_page).offset((page - 1) * per_page)).all()
    page = max(1, page)
    if not rows:
        return ProgressPage(
            _frame([]), 0, dict.fromkeys(("total", "accepted", "awaiting", "open", "overdue"), 0), 1, per_page
        )
    recommendations, total, accepted, awaiting, overdue = (int(value) for value in rows[0][6:])
    counts = [row[:6] for row in rows]
    if recommendations <= per_page:
        counts.sort(key=lambda row: row[1])  # everything fits: the letter's order
    totals = {
        "total": total,
        "accepted": accepted,
        "awaiting": awaiting,
        "open": total - accepted - awaiting - overdue,
        "overdue": overdue,
    }
    return ProgressPage(_frame(counts), recommendations, totals, page, per_page)
