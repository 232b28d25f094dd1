"""Counts of the matching actions: in all (for paging) and each recommendation's progress."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import case, func, select

from dashboard import models as m
from dashboard.db import session_scope
from dashboard.queries.actions.filters import ActionFilters, action_conditions, with_action_plan

PROGRESS_COLUMNS = ["recommendation", "total", "accepted", "awaiting", "open", "overdue"]


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


def progress_by_recommendation(
    filters: ActionFilters, today: dt.date, numbers: list[str] | None = None
) -> pd.DataFrame:
    """Per recommendation with matching actions, in the letter's order, counted in SQL: actions,
    closed (evidence accepted), awaiting sign-off, open on time, overdue. With `numbers`, only those
    recommendations (all their matching actions, whichever page they are on)."""
    complete = m.ActionItem.status == "Complete"
    accepted = func.coalesce(m.ActionItem.evidence_status, "") == "accepted"
    late = m.ActionItem.status.not_in(("Complete", "Cancelled")) & (m.ActionItem.due_date < today)

    def count(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    statement = (
        with_action_plan(
            select(
                m.Recommendation.number,
                func.count(m.ActionItem.id),
                count(complete & accepted),
                count(complete & ~accepted),
                count(late),
            )
        )
        .where(
            *action_conditions(filters, today),
            *([m.Recommendation.number.in_(numbers)] if numbers is not None else []),
        )
        .group_by(m.Recommendation.id, m.Recommendation.number, m.Recommendation.sort_order)
        .order_by(m.Recommendation.sort_order)
    )
    with session_scope() as db:
        rows = db.execute(statement).all()
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
            for number, total, closed, awaiting, overdue in rows
        ],
        columns=PROGRESS_COLUMNS,
    )
