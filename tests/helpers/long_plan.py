"""A longer action plan than the seed's, added to a test's database: more recommendations than the
progress chart draws at once, or more actions than the plan's page selector lists."""

from __future__ import annotations

import datetime as dt

from dashboard import models as m
from dashboard.db import session_scope

CHART_OWNER = "Chart owner"
LATE = dt.date(2020, 1, 6)  # before any today the tests run on
LATER = dt.date(2099, 1, 6)


def action_item(rec: m.Recommendation, key: str, owner: str, due: dt.date, status: str = "In progress"):
    return m.ActionItem(
        key=key,
        recommendation=rec,
        title=f"Action {key}",
        owner=owner,
        due_date=due,
        status=status,
        version=1,
        updated_by="admin",
    )


def add_recommendations(count: int, late_every: int = 9) -> list[str]:
    """`count` recommendations X000… after the letter's, each with one action of CHART_OWNER's not yet
    due; every `late_every`-th has two overdue actions as well. Their numbers, in the letter's order."""
    numbers = [f"X{index:03d}" for index in range(count)]
    with session_scope() as db:
        for index, number in enumerate(numbers):
            rec = m.Recommendation(number=number, text=f"Recommendation {number}", sort_order=1000 + index)
            db.add(rec)
            db.add(action_item(rec, f"chart_{number}_open", CHART_OWNER, LATER))
            if index % late_every == 0:
                db.add(action_item(rec, f"chart_{number}_late_1", CHART_OWNER, LATE))
                db.add(action_item(rec, f"chart_{number}_late_2", CHART_OWNER, LATE))
    return numbers
