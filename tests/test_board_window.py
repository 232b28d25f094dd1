"""The overview's updates for the next board: owed per lead with links, late for the last board, when
each lead was last reminded, "Remind leads now" (a real SMTP server on loopback) and the due moment."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select, update

from dashboard import clock
from dashboard import models as m
from dashboard.db import session_scope
from dashboard.domain.formatting import format_date
from dashboard.queries import update_window as window_queries
from dashboard.services.board import add_board_meeting
from dashboard.web import create_app
from tests.helpers import login, settings_for, user
from tests.helpers.long_plan import add_milestones
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
        (table,) = [
            c["props"]["children"] for c in walk(page.layout) if c["props"].get("id") == "ov-window-table"
        ]
        hrefs = re.findall(r'<a href="([^"]+)">', table)
        assert {f"/milestones?edit={mid}" for mid in milestones} <= set(hrefs)
        assert re.search(r'<th scope="row">Transition project lead</th><td class="text-end">\d+</td>', table)
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


def test_a_lead_owing_many_items_is_counted_whole_and_their_first_items_linked(database_url, app, login_as):
    window = next_board()
    add_milestones(20)
    milestones = transition_owes(window)  # the 20 and the project's own, all last changed before the window
    owed = len(milestones) + 1  # and the project's open action
    page = Renderer(app, login_as("admin")).open("/")
    assert not page.failures
    (table,) = [
        c["props"]["children"] for c in walk(page.layout) if c["props"].get("id") == "ov-window-table"
    ]
    row = re.search(r'<th scope="row">Transition project lead</th>(.*?)</tr>', table).group(1)
    assert f'<td class="text-end">{owed}</td>' in row
    links = re.findall(r'<a href="/milestones\?edit=(\d+)">', row)
    assert len(links) == 8 and {int(link) for link in links} <= set(milestones)
    assert f"and {owed - 8} more items" in row
    lead = Renderer(app, login_as("transition.lead")).open("/")
    assert f"You owe {owed} updates for this board" in lead.text()


def test_what_came_in_after_the_due_moment_is_listed_as_late_for_that_board(database_url, app, login_as):
    window = window_queries.last_due_window(clock.now())
    meeting_end = dt.datetime.combine(window.meeting_date, dt.time.max)
    hour = dt.timedelta(hours=1)
    with session_scope() as db:
        project = db.scalars(select(m.Project).where(m.Project.key == "transition")).one()
        milestones = db.scalars(
            select(m.Milestone).where(
                m.Milestone.project_id == project.id, m.Milestone.status.not_in(("Complete", "Cancelled"))
            )
        ).all()
        action = db.scalars(
            select(m.ActionItem).where(
                m.ActionItem.project_id == project.id, m.ActionItem.status.not_in(("Complete", "Cancelled"))
            )
        ).first()
        late, on_time, after_meeting = milestones[0], milestones[1], milestones[2]
        changes = [
            ("milestone", late.id, window.due_at + hour),  # late for the board
            ("milestone", late.id, window.due_at + 2 * hour),  # its second change counts once
            ("action_item", action.id, window.due_at + hour),  # late too
            ("milestone", on_time.id, window.due_at - hour),  # in time
            ("milestone", after_meeting.id, meeting_end + hour),  # after the meeting: for the next one
        ]
        db.add_all(
            m.AuditEvent(
                at=at,
                username="transition.lead",
                action="update",
                entity=entity,
                entity_id=entity_id,
                project_id=project.id,
                field="status",
                old_value="In progress",
                new_value="In progress",
            )
            for entity, entity_id, at in changes
        )
        titles = sorted([late.title, action.title])
    assert {(item.kind, item.id) for item in window_queries.late_items(window)} >= {
        ("milestone", late.id),
        ("action", action.id),
    }
    assert not {item.id for item in window_queries.late_items(window) if item.kind == "milestone"} & {
        on_time.id,
        after_meeting.id,
    }
    page = Renderer(app, login_as("admin")).open("/")
    assert not page.failures
    text = page.text()
    assert f"Came in late for the board of {format_date(window.meeting_date)}" in text
    line = re.search(r"Transition project lead: (\d+) items? \(([^)]*)\)", text)
    assert line and int(line.group(1)) == 2
    assert sorted(line.group(2).split("; ")) == titles
