""" "Since the last board": changes after a meeting, from a scripted audit history."""

from __future__ import annotations

import datetime as dt

from dashboard import models as m
from dashboard.db import session_scope
from dashboard.queries import board


def _event(at, entity, entity_id, field, old, new, project_id=None, username="transition.lead"):
    return m.AuditEvent(
        at=at,
        username=username,
        action="update",
        entity=entity,
        entity_id=entity_id,
        field=field,
        old_value=old,
        new_value=new,
        project_id=project_id,
    )


def test_changes_since_a_meeting_in_the_boards_words(database_url):
    with session_scope() as db:
        milestone = db.query(m.Milestone).filter_by(key="tr_joint_market_review").one()
        project_id, milestone_id = milestone.project_id, milestone.id
        db.add_all(
            [
                # Before the 10 Nov 2026 meeting: not reported.
                _event(
                    dt.datetime(2026, 11, 9, 16, 0),
                    "milestone",
                    milestone_id,
                    "status",
                    "Not started",
                    "In progress",
                    project_id,
                ),
                # After it: reported.
                _event(
                    dt.datetime(2026, 11, 10, 0, 0),
                    "milestone",
                    milestone_id,
                    "rag",
                    "Green",
                    "Amber",
                    project_id,
                ),
                _event(
                    dt.datetime(2026, 11, 12, 9, 30),
                    "milestone",
                    milestone_id,
                    "forecast_end",
                    "2026-12-18",
                    "2027-01-29",
                    project_id,
                ),
                _event(
                    dt.datetime(2026, 11, 13, 9, 30),
                    "milestone",
                    milestone_id,
                    "commentary",
                    "a",
                    "b",
                    project_id,
                ),  # commentary alone is not a board-level change
            ]
        )
    changes = board.changes_since(dt.date(2026, 11, 10))
    assert list(changes["kind"]) == ["RAG changed", "Date moved"]
    moved = changes.iloc[1]
    # 18 Dec 2026 → 29 Jan 2027 is 42 calendar days later.
    assert moved["days_moved"] == 42
    assert moved["item"].startswith("Comprehensive joint market review")
    assert set(changes["project"]) == {"Transition Project - Preparation for Adulthood"}
    assert board.changes_since(dt.date(2026, 11, 14)).empty


def test_last_meeting_before_today():
    meetings = [
        board.Meeting(1, dt.date(2026, 11, 10), "Board", True),
        board.Meeting(2, dt.date(2026, 11, 17), "Board", True),
        board.Meeting(3, dt.date(2026, 11, 24), "Board", True),
    ]
    assert board.last_meeting_before(dt.date(2026, 11, 23), meetings).meeting_date == dt.date(2026, 11, 17)
    assert board.last_meeting_before(dt.date(2026, 11, 24), meetings).meeting_date == dt.date(2026, 11, 24)
    assert board.last_meeting_before(dt.date(2026, 11, 1), meetings) is None
