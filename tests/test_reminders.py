"""Updates due before each board, and the `remind` command sending leads their list through a real
SMTP server on the loopback address (aiosmtpd): what arrives, to whom, once, and what a failure does."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import or_, select, update

from dashboard import clock
from dashboard import models as m
from dashboard.config import ConfigError
from dashboard.db import session_scope
from dashboard.domain.formatting import format_date
from dashboard.domain.update_window import default_updates_due
from dashboard.queries import board
from dashboard.queries import update_window as window_queries
from dashboard.services.board import add_board_meeting
from tests.helpers import settings_for, user
from tests.helpers.renderer import open_page
from tests.helpers.smtp import Keeper, MailServer

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://tracker.example.gov.uk"
CJ_EMAIL = "cj.lead@example.gov.uk"
TRANSITION_EMAIL = "transition.lead@example.gov.uk"


def remind(url: str, server: MailServer | None, *args: str):
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "cli-test-key"}
    for name in ("SMTP_HOST", "SMTP_PORT", "SMTP_SECURITY", "MAIL_FROM", "PUBLIC_BASE_URL"):
        env.pop(name, None)
    if server is not None:
        env.update(server.environment(BASE))
    return subprocess.run(
        [sys.executable, "-m", "dashboard", "remind", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def led_project_ids(username: str) -> set[int]:
    """The projects a lead may update: those they lead and those projects' work-streams."""
    with session_scope() as db:
        led = set(
            db.scalars(
                select(m.project_leads.c.project_id)
                .join(m.User, m.User.id == m.project_leads.c.user_id)
                .where(m.User.username == username)
            )
        )
        streams = set(db.scalars(select(m.Project.id).where(m.Project.parent_id.in_(led))))
    return led | streams


def next_board(days_ahead: int = 10) -> window_queries.Window:
    add_board_meeting(user("admin"), clock.today() + dt.timedelta(days=days_ahead))
    return window_queries.next_window(clock.today())


def last_changed_before_the_window(window, username: str, keep: set[int] = frozenset()) -> None:
    """Make the lead's items last changed before the window opened (as if untouched since the last
    board), except the milestones in `keep`."""
    before = window.opens_at - dt.timedelta(days=1)
    projects = led_project_ids(username)
    with session_scope() as db:
        for model in (m.Milestone, m.ActionItem, m.SavingLine):
            statement = update(model).where(model.project_id.in_(projects)).values(updated_at=before)
            if model is m.Milestone and keep:
                statement = statement.where(model.id.not_in(keep))
            db.execute(statement.execution_options(synchronize_session=False))


def current_saving_line(username: str, window) -> int:
    """Make one of the lead's saving lines a line of the meeting's financial year, not yet Delivered."""
    year = window.meeting_date.year if window.meeting_date.month >= 4 else window.meeting_date.year - 1
    with session_scope() as db:
        line = db.scalars(
            select(m.SavingLine)
            .where(m.SavingLine.project_id.in_(led_project_ids(username)))
            .order_by(m.SavingLine.id)
        ).first()
        line.financial_year = year
        line.confidence = "Medium"
        return line.id


def set_email(username: str, address: str) -> None:
    with session_scope() as db:
        db.execute(update(m.User).where(m.User.username == username).values(email=address))


def links(message) -> list[str]:
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.findall(rf"{re.escape(BASE)}(/\w+\?edit=\d+)", text)


def test_updates_are_due_at_noon_uk_time_two_working_days_before_the_meeting():
    # A Tuesday board: the Friday before at noon (GMT in November, BST in July: 11:00 UTC).
    assert default_updates_due(dt.date(2026, 11, 24)) == dt.datetime(2026, 11, 20, 12, 0)
    assert default_updates_due(dt.date(2026, 7, 7)) == dt.datetime(2026, 7, 3, 11, 0)
    # Over Christmas the bank holidays are skipped: Tuesday 29 Dec 2026 → Wednesday 23 Dec.
    assert default_updates_due(dt.date(2026, 12, 29)) == dt.datetime(2026, 12, 23, 12, 0)


def test_owed_items_are_the_open_ones_not_changed_since_the_previous_boards_due_moment(database_url):
    window = next_board()
    assert window.opens_at == default_updates_due(dt.date(2026, 11, 24))  # the last seeded board
    # Everything was changed (loaded) since: nothing is owed.
    assert window_queries.owed_items(window) == []
    with session_scope() as db:
        milestones = db.scalars(
            select(m.Milestone)
            .where(
                m.Milestone.project_id.in_(led_project_ids("transition.lead")), m.Milestone.retired.is_(False)
            )
            .order_by(m.Milestone.id)
        ).all()
        open_ids = [ms.id for ms in milestones if ms.status not in ("Complete", "Cancelled")]
        closed_ids = [ms.id for ms in milestones if ms.status in ("Complete", "Cancelled")]
    kept = open_ids[0]
    last_changed_before_the_window(window, "transition.lead", keep={kept})
    owed = window_queries.owed_items(window)
    owed_milestones = {item.id for item in owed if item.kind == "milestone"}
    assert owed_milestones == set(open_ids) - {kept}
    assert not owed_milestones & set(closed_ids)
    assert {item.kind for item in owed} == {"milestone", "action"}
    groups = {group.name: group for group in window_queries.owed_by_lead(window)}
    assert list(groups) == ["Transition project lead"]  # cj.lead owes nothing
    assert {item.path for item in groups["Transition project lead"].items} == {item.path for item in owed}

    # A saving line counts while it is this year's or later and not yet Delivered.
    line_id = current_saving_line("cj.lead", window)
    last_changed_before_the_window(window, "cj.lead")
    cj = {group.name: group for group in window_queries.owed_by_lead(window)}[
        "Customer Journey work-stream lead"
    ]
    assert f"/savings?edit={line_id}" in {item.path for item in cj.items}
    with session_scope() as db:
        db.execute(update(m.SavingLine).where(m.SavingLine.id == line_id).values(confidence="Delivered"))
    assert f"/savings?edit={line_id}" not in {item.path for item in window_queries.owed_items(window)}


def test_remind_emails_each_lead_what_they_owe_once_with_links_to_the_forms(database_url, app, login_as):
    window = next_board()
    with session_scope() as db:
        kept = db.scalars(
            select(m.Milestone.id)
            .where(
                m.Milestone.project_id.in_(led_project_ids("transition.lead")),
                m.Milestone.status.not_in(("Complete", "Cancelled")),
            )
            .order_by(m.Milestone.id)
        ).first()
    last_changed_before_the_window(window, "transition.lead", keep={kept})
    set_email("cj.lead", CJ_EMAIL)
    set_email("transition.lead", TRANSITION_EMAIL)
    owed = window_queries.owed_items(window)
    assert len(owed) == 5  # four open milestones (one was updated since) and an action

    with MailServer() as server:
        dry = remind(database_url, server, "--dry-run")
        assert dry.returncode == 0, dry.stderr
        assert f"Would send to Transition project lead <{TRANSITION_EMAIL}>: 5 items." in dry.stdout
        assert server.keeper.messages == []

        sent = remind(database_url, server)
        assert sent.returncode == 0, sent.stderr
        assert f"Sent to Transition project lead <{TRANSITION_EMAIL}>: 5 items." in sent.stdout
        assert len(server.keeper.messages) == 1
        message = server.keeper.messages[0]
        assert TRANSITION_EMAIL in message["To"]
        assert server.keeper.to(CJ_EMAIL) == []  # owes nothing, gets nothing
        assert message["Subject"] == (
            f"ASCH programme tracker: updates due for the board on {format_date(window.meeting_date)}"
        )
        assert sorted(links(message)) == sorted(item.path for item in owed)
        assert f"/milestones?edit={kept}" not in links(message)
        plain = message.get_body(preferencelist=("plain",)).get_content()
        assert "due by " in plain and "(UK time)" in plain
        html_part = message.get_body(preferencelist=("html",)).get_content()
        assert sorted(
            re.findall(r'href="https://tracker\.example\.gov\.uk(/\w+\?edit=\d+)"', html_part)
        ) == sorted(item.path for item in owed)
        assert "<img" not in html_part and "src=" not in html_part

        # Run again (cron twice): nothing is sent twice; --again sends it again.
        repeat = remind(database_url, server)
        assert repeat.returncode == 0, repeat.stderr
        assert "already reminded for this meeting" in repeat.stdout
        assert len(server.keeper.messages) == 1
        again = remind(database_url, server, "--again")
        assert again.returncode == 0, again.stderr
        assert len(server.keeper.to(TRANSITION_EMAIL)) == 2

    # Every reminder sent is on the audit page: who, for which board, which items.
    page = open_page(app, login_as("admin"), "/audit")
    rows = [row for row in page.value("audit-grid", "rowData") if "Reminder" in str(row.values())]
    assert len(rows) == 2, page.value("audit-grid", "rowData")[:3]
    assert (
        f"To transition.lead <{TRANSITION_EMAIL}> for the board on {format_date(window.meeting_date)}"
        in str(rows[0].values())
    )
    assert "Reminder emailed" in str(rows[0].values())
    # The board's list of changes to the programme leaves the chasing out, as it does user accounts.
    assert "reminder" not in set(board.changes_since(dt.date(2026, 11, 24))["entity"])
    reminded = window_queries.last_reminded(window.meeting_id)
    assert list(reminded) == [user("transition.lead").id]


def test_a_refused_address_is_reported_the_others_delivered_and_a_rerun_sends_only_that_one(database_url):
    window = next_board()
    last_changed_before_the_window(window, "cj.lead")
    last_changed_before_the_window(window, "transition.lead")
    set_email("cj.lead", CJ_EMAIL)
    set_email("transition.lead", TRANSITION_EMAIL)
    with MailServer() as server:
        server.keeper.refused.add(TRANSITION_EMAIL)
        first = remind(database_url, server)
        assert first.returncode == 1
        assert (
            f"Not sent to Transition project lead <{TRANSITION_EMAIL}>: the mail server refused"
            in first.stderr
        )
        assert len(server.keeper.to(CJ_EMAIL)) == 1
        assert server.keeper.to(TRANSITION_EMAIL) == []

        server.keeper.refused.clear()
        second = remind(database_url, server)
        assert second.returncode == 0, second.stderr
        assert len(server.keeper.to(TRANSITION_EMAIL)) == 1
        assert len(server.keeper.to(CJ_EMAIL)) == 1  # not doubled


def test_the_server_stopping_mid_run_fails_only_the_rest_and_a_rerun_completes_it(database_url):
    window = next_board()
    last_changed_before_the_window(window, "cj.lead")
    last_changed_before_the_window(window, "transition.lead")
    set_email("cj.lead", CJ_EMAIL)
    set_email("transition.lead", TRANSITION_EMAIL)
    keeper = Keeper()
    keeper.stop_on_message = 2
    server = MailServer(keeper=keeper).start()
    try:
        cut = remind(database_url, server)
    finally:
        server.stop()
    assert cut.returncode == 1
    assert len(keeper.messages) == 1
    delivered = keeper.messages[0]["To"]
    missing = TRANSITION_EMAIL if CJ_EMAIL in delivered else CJ_EMAIL
    assert re.search(rf"Not sent to .*<{re.escape(missing)}>: could not reach the mail server", cut.stderr)

    with MailServer(port=server.port) as restarted:
        rerun = remind(database_url, restarted)
        assert rerun.returncode == 0, rerun.stderr
        assert [str(message["To"]) for message in restarted.keeper.messages] == [
            str(message["To"]) for message in restarted.keeper.to(missing)
        ]
        assert len(restarted.keeper.messages) == 1


def test_remind_without_mail_settings_says_so_and_sends_nothing(database_url):
    window = next_board()
    last_changed_before_the_window(window, "cj.lead")
    result = remind(database_url, None)
    assert result.returncode == 2
    assert "Mail is not configured: set SMTP_HOST" in result.stderr
    with session_scope() as db:
        assert db.scalars(select(m.Reminder)).first() is None
        assert db.scalars(select(m.AuditEvent).where(or_(m.AuditEvent.entity == "reminder"))).first() is None


def test_mail_settings_are_checked_at_start_up():
    base = {"SMTP_HOST": "smtp.example.gov.uk", "MAIL_FROM": "po@example.gov.uk", "PUBLIC_BASE_URL": BASE}
    mail = settings_for("sqlite://", **base).mail
    assert (mail.port, mail.security, mail.public_base_url) == (587, "starttls", BASE)
    assert settings_for("sqlite://", **base, SMTP_SECURITY="tls").mail.port == 465
    assert settings_for("sqlite://").mail is None
    for wrong, words in (
        ({"SMTP_SECURITY": "ssl"}, "SMTP_SECURITY must be one of starttls, tls, none"),
        ({"MAIL_FROM": ""}, "MAIL_FROM must be an email address"),
        ({"PUBLIC_BASE_URL": "tracker"}, "PUBLIC_BASE_URL must be the dashboard's address"),
        ({"SMTP_USER": "po"}, "SMTP_USER and SMTP_PASSWORD go together"),
        ({"SMTP_PORT": "70000"}, "SMTP_PORT must be between 1 and 65535"),
    ):
        with pytest.raises(ConfigError, match=words):
            settings_for("sqlite://", **{**base, **wrong})
