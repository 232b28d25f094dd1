"""The overview's updates for the next board: owed per lead with links, late for the last board, when
each lead was last reminded, "Remind leads now" (a real SMTP server on loopback) and the due moment."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from dashboard import clock
from dashboard import models as m
from dashboard.db import session_scope
from dashboard.domain.formatting import format_date
from dashboard.queries import update_window as window_queries
from dashboard.services.board import add_board_meeting
from dashboard.web import create_app
from tests.helpers import login, settings_for, user
from tests.helpers.renderer import Renderer, walk
from tests.helpers.smtp import MailServer

TRANSITION_EMAIL = "transition.lead@example.gov.uk"


def transition_owes(window) -> list[int]:
    """Transition's items last changed before the window opened; their milestone ids."""
    with session_scope() as db:
        project = db.scalars(select(m.Project.id).where(m.Project.key == "transition")).one()
        for model in (m.Milestone, m.ActionItem):
            db.execute(
                update(model)
                .where(model.project_id == project)
                .values(updated_at=window.opens_at - dt.timedelta(days=1))
                .execution_options(synchronize_session=False)
            )
        db.execute(update(m.User).where(m.User.username == "transition.lead").values(email=TRANSITION_EMAIL))
        return list(
            db.scalars(
                select(m.Milestone.id).where(
                    m.Milestone.project_id == project, m.Milestone.status.not_in(("Complete", "Cancelled"))
                )
            )
        )


def next_board():
    add_board_meeting(user("admin"), clock.today() + dt.timedelta(days=10))
    return window_queries.next_window(clock.today())


def signed_in(app, username: str):
    client = app.server.test_client()
    login(client, username)
    return client


def test_the_overview_lists_what_each_lead_owes_with_links_and_reminds_them_by_email(database_url):
    window = next_board()
    milestones = transition_owes(window)
    with MailServer() as server:
        app = create_app(settings_for(database_url, **server.environment("https://tracker.example.gov.uk")))
        renderer = Renderer(app, signed_in(app, "admin"))
        page = renderer.open("/")
        assert not page.failures
        shown = page.text()
        assert f"Board on {format_date(window.meeting_date)}" in shown
        assert "updates are due by" in shown and "12:00 (UK time)" in shown
        assert "Transition project lead" in shown and "Not reminded" in shown
        hrefs = [c["props"].get("href") for c in walk(page.layout) if c["type"] == "Link"]
        assert {f"/milestones?edit={mid}" for mid in milestones} <= set(hrefs)
        # The last board's updates came in on time (loaded before it): nothing late.
        assert "Nothing came in late for the board of" in shown

        page = renderer.interact(page, {("ov-remind", "n_clicks"): 1})
        assert not page.failures
        assert (
            f"Sent to Transition project lead <{TRANSITION_EMAIL}>: {len(milestones) + 1} items."
            in page.text()
        )
        assert len(server.keeper.to(TRANSITION_EMAIL)) == 1
        assert "Not reminded" not in page.text()  # the table now says when

        # Pressed again: nothing is sent twice.
        page = renderer.interact(page, {("ov-remind", "n_clicks"): 2})
        assert "already reminded for this meeting" in page.text()
        assert len(server.keeper.messages) == 1


def test_without_mail_settings_there_is_no_remind_button(database_url, app, login_as):
    next_board()
    page = Renderer(app, login_as("admin")).open("/")
    assert not page.failures
    assert page.value("ov-remind", "style") == {"display": "none"}
    assert "Reminder emails are off: mail is not configured on this server" in page.text()
    assert "Updates for the next board" in page.text()


def test_an_admin_sets_when_updates_are_due_and_bad_entries_change_nothing(database_url, app, login_as):
    window = next_board()
    renderer = Renderer(app, login_as("admin"))
    page = renderer.open("/")
    day = window.meeting_date - dt.timedelta(days=3)
    page = renderer.interact(
        page, {("ov-due-time", "value"): "25:00", ("ov-due-date", "value"): f"{day:%d/%m/%Y}"}
    )
    page = renderer.interact(page, {("ov-due-save", "n_clicks"): 1})
    assert "Enter a time on the 24-hour clock, for example 12:00" in page.text()
    assert window_queries.window_by_id(window.meeting_id).due_set is False

    later = window.meeting_date + dt.timedelta(days=1)
    page = renderer.interact(
        page, {("ov-due-time", "value"): "09:30", ("ov-due-date", "value"): f"{later:%d/%m/%Y}"}
    )
    page = renderer.interact(page, {("ov-due-save", "n_clicks"): 2})
    assert "Updates must be due on or before the meeting's day" in page.text()

    page = renderer.interact(page, {("ov-due-date", "value"): f"{day:%d/%m/%Y}"})
    page = renderer.interact(page, {("ov-due-save", "n_clicks"): 3})
    stored = window_queries.window_by_id(window.meeting_id)
    assert stored.due_set is True
    assert (
        f"updates are due by {format_date(day)} 09:30 (UK time) (set by the programme office)" in page.text()
    )


def test_a_lead_is_told_what_they_owe_and_sees_no_admin_controls(database_url, app, login_as):
    window = next_board()
    milestones = transition_owes(window)
    page = Renderer(app, login_as("transition.lead")).open("/")
    assert not page.failures
    assert (
        f"You owe {len(milestones) + 1} updates for this board: listed under your name below." in page.text()
    )
    assert "ov-remind" not in page.components and "ov-due-save" not in page.components
    other = Renderer(app, login_as("cj.lead")).open("/")
    assert "You owe no updates for this board." in other.text()


def test_a_meeting_recorded_on_the_overview_is_at_once_the_next_board(database_url, app, login_as):
    renderer = Renderer(app, login_as("admin"))
    page = renderer.open("/")
    assert "No board meeting after today is recorded" in page.text()
    day = clock.today() + dt.timedelta(days=12)
    page = renderer.interact(page, {("ov-meeting-date", "value"): f"{day:%d/%m/%Y}"})
    page = renderer.interact(page, {("ov-meeting-save", "n_clicks"): 1})
    assert not page.failures
    assert f"Board on {format_date(day)}" in page.text()
    assert [option["label"] for option in page.value("ov-due-meeting", "options")] == [
        f"{format_date(day)} – Programme board"
    ]
