"""An item's change history, as its edit form lists it: one query for milestones, saving lines and actions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from dashboard import models as m
from dashboard.db import session_scope
from dashboard.queries import actions as action_queries
from dashboard.queries import milestone_history
from dashboard.queries import savings as saving_queries
from dashboard.queries.audit import HISTORY_COLUMNS, entity_history
from dashboard.services.core import SYSTEM, audit


def _events(entity: str, entity_id: int, count: int) -> None:
    with session_scope() as db:
        for number in range(count):
            event = audit(
                db,
                SYSTEM,
                "update",
                entity,
                entity_id,
                "owner",
                f"was {number}",
                f"now {number}",
                version=number,
            )
            event.at = dt.datetime(2026, 11, 1, 9) + dt.timedelta(minutes=number)


def test_each_form_lists_its_items_changes_newest_first_up_to_its_limit(database_url):
    with session_scope() as db:
        milestone_id = db.scalars(select(m.Milestone.id).order_by(m.Milestone.id)).first()
        line_id = db.scalars(select(m.SavingLine.id).order_by(m.SavingLine.id)).first()
        action_id = db.scalars(select(m.ActionItem.id).order_by(m.ActionItem.id)).first()
    for entity, item_id in (
        ("milestone", milestone_id),
        ("saving_line", line_id),
        ("action_item", action_id),
    ):
        _events(entity, item_id, 60)
    _events("milestone", line_id, 1)  # another kind of item with the same id is not listed

    for history, limit in (
        (milestone_history(milestone_id), 20),
        (saving_queries.line_history(line_id), 50),
        (action_queries.action_history(action_id), 30),
    ):
        assert list(history.columns) == HISTORY_COLUMNS
        assert len(history) == limit
        assert list(history["new"][:2]) == ["now 59", "now 58"]
        assert list(history["version"][:2]) == [59, 58]
    assert entity_history("saving_line", line_id, 100)["new"].tolist() == [
        f"now {n}" for n in range(59, -1, -1)
    ]
