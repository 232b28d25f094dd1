"""Admins record board meetings; nobody else can."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from dashboard import models as m
from dashboard.auth import AuthorisationError
from dashboard.db import session_scope
from dashboard.services.board import add_board_meeting
from dashboard.services.core import ValidationError
from tests.helpers import user


def test_admin_adds_a_meeting_and_it_is_audited(database_url):
    meeting_id = add_board_meeting(user("admin"), "2026-12-01", "Programme board")
    with session_scope() as db:
        assert db.get(m.BoardMeeting, meeting_id).meeting_date == dt.date(2026, 12, 1)
        event = db.scalars(select(m.AuditEvent).where(m.AuditEvent.entity == "board_meeting")).one()
        assert (event.username, event.new_value) == ("admin", "2026-12-01")


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ("", "Enter the date of the meeting"),
        ("2026-02-30", "Meeting date must be a real date"),
        ("2026-11-24", "There is already a board meeting on that date"),
    ],
)
def test_bad_meeting_dates_are_refused(database_url, when, message):
    with pytest.raises(ValidationError) as raised:
        add_board_meeting(user("admin"), when)
    assert raised.value.errors["meeting_date"].startswith(message)


@pytest.mark.parametrize("username", ["cj.lead", "cabinet.member"])
def test_only_admins_add_meetings(database_url, username):
    with pytest.raises(AuthorisationError):
        add_board_meeting(user(username), "2026-12-01")
