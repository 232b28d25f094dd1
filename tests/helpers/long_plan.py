"""Longer plans than the seed's, added to a test's database: more recommendations than the progress
chart draws at once, more actions than the plan's page selector lists, or more milestones than the
board pack lists."""

from __future__ import annotations

import datetime as dt

from dashboard import models as m
from dashboard.db import session_scope

CHART_OWNER = "Chart owner"
LATE = dt.date(2020, 1, 6)  # before any today the tests run on
LATER = dt.date(2099, 1, 6)


def add_milestones(count: int) -> None:
    """`count` open, Red milestones "Long plan milestone 000"… in the transition project."""
    with session_scope() as db:
        project = db.query(m.Project).filter_by(key="transition").one()
        db.add_all(
            m.Milestone(
                key=f"long_{number:03d}",
                project_id=project.id,
                title=f"Long plan milestone {number:03d}",
                owner="Long plan owner",
                status="In progress",
                rag="Red",
                percent_complete=10,
            )
            for number in range(count)
        )


def action_filter_values(as_at: str | None = None, **filters) -> dict:
    """The actions page's filter bar as the browser sends it: every filter at "all" unless given
    (rec, theme, owner, status, project, flags), and the as-at date."""
    values = {
        ("act-filter-rec", "value"): "all",
        ("act-filter-theme", "value"): "all",
        ("act-filter-owner", "value"): "all",
        ("act-filter-status", "value"): "all",
        ("act-filter-project", "value"): "all",
        ("act-filter-flags", "value"): [],
        ("act-asat", "value"): as_at,
    }
    values.update({(f"act-filter-{name}", "value"): value for name, value in filters.items()})
    return values


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
