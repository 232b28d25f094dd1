"""Headless Chromium: a lead follows the link in their reminder email, signs in, and lands on that
milestone's update form, open; from the overview's updates for the next board, the same link opens
the form without loading the app again."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from selenium.webdriver.support.ui import Select
from sqlalchemy import select, update

from dashboard import clock, services
from dashboard import models as m
from dashboard.db import session_scope
from dashboard.queries import update_window as window_queries
from dashboard.services.board import add_board_meeting
from dashboard.services.reminders import send_reminders
from tests.helpers import DEMO_PASSWORDS, settings_for, user
from tests.helpers.smtp import MailServer

pytestmark = pytest.mark.browser

EMAIL = "transition.lead@example.gov.uk"


def test_a_link_in_a_reminder_email_opens_the_milestones_update_form_after_signing_in(
    dash_duo, app, database_url
):
    add_board_meeting(user("admin"), clock.today() + dt.timedelta(days=10))
    window = window_queries.next_window(clock.today())
    with session_scope() as db:
        project = db.scalars(select(m.Project.id).where(m.Project.key == "transition")).one()
        db.execute(
            update(m.Milestone)
            .where(m.Milestone.project_id == project)
            .values(updated_at=window.opens_at - dt.timedelta(days=1))
            .execution_options(synchronize_session=False)
        )
        db.execute(update(m.User).where(m.User.username == "transition.lead").values(email=EMAIL))

    dash_duo.start_server(app, navigate=False)
    base = dash_duo.server.url.rstrip("/")
    with MailServer() as server:
        mail = settings_for(database_url, **server.environment(base)).mail
        send_reminders(services.SYSTEM, mail, clock.today())
        (message,) = server.keeper.to(EMAIL)
    html_part = message.get_body(preferencelist=("html",)).get_content()
    link = re.search(rf'href="({re.escape(base)}/milestones\?edit=(\d+))"', html_part)
    url, milestone_id = link.group(1), link.group(2)
    with session_scope() as db:
        title = db.scalars(select(m.Milestone.title).where(m.Milestone.id == int(milestone_id))).one()

    dash_duo.driver.get(url)  # not signed in: the sign-in page, which returns to the link
    dash_duo.wait_for_element("#username").send_keys("transition.lead")
    dash_duo.find_element("#password").send_keys(DEMO_PASSWORDS["transition.lead"])
    dash_duo.find_element("#sign-in").click()
    dash_duo.wait_for_text_to_equal("h1", "Milestones")
    dash_duo.wait_for_contains_text("#ms-edit-context", title, timeout=15)
    assert dash_duo.find_element("#ms-edit-fields").is_displayed()
    assert dash_duo.find_element("#ms-edit-select").get_attribute("value") == milestone_id
    # The form is brought into view with the focus in it, ready to type.
    dash_duo._wait_for(
        lambda driver: driver.execute_script(
            "var e = document.activeElement; return !!e && !!e.closest('#ms-edit-fields');"
        ),
        timeout=10,
        msg="the focus is not in the update form",
    )
    assert dash_duo.get_logs() == []


def _owing_transition_milestones(window) -> list[int]:
    with session_scope() as db:
        project = db.scalars(select(m.Project.id).where(m.Project.key == "transition")).one()
        db.execute(
            update(m.Milestone)
            .where(m.Milestone.project_id == project)
            .values(updated_at=window.opens_at - dt.timedelta(days=1))
            .execution_options(synchronize_session=False)
        )
        return list(db.scalars(select(m.Milestone.id).where(m.Milestone.project_id == project)))


def test_an_owed_item_on_the_overview_opens_its_form_without_loading_the_app_again(dash_duo, app):
    add_board_meeting(user("admin"), clock.today() + dt.timedelta(days=10))
    owing = _owing_transition_milestones(window_queries.next_window(clock.today()))
    dash_duo.start_server(app, navigate=False)
    base = dash_duo.server.url.rstrip("/")
    dash_duo.driver.get(base + "/login")
    dash_duo.wait_for_element("#username").send_keys("admin")
    dash_duo.find_element("#password").send_keys(DEMO_PASSWORDS["admin"])
    dash_duo.find_element("#sign-in").click()
    link = dash_duo.wait_for_element("#ov-window-table a[href^='/milestones?edit=']", timeout=15)
    milestone_id = link.get_attribute("href").rsplit("=", 1)[1]
    assert int(milestone_id) in owing
    with session_scope() as db:
        title = db.scalars(select(m.Milestone.title).where(m.Milestone.id == int(milestone_id))).one()
    # A mark on the window survives a page drawn in the browser, not a page loaded again.
    dash_duo.driver.execute_script("window.__sameApp = true;")
    dash_duo.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", link
    )
    link.click()
    dash_duo.wait_for_text_to_equal("h1", "Milestones")
    dash_duo.wait_for_contains_text("#ms-edit-context", title, timeout=15)
    assert dash_duo.find_element("#ms-edit-select").get_attribute("value") == milestone_id
    assert dash_duo.driver.execute_script("return window.__sameApp === true;")
    # The address settles without the link's id, in place: one press of Back returns to the overview.
    dash_duo._wait_for(
        lambda driver: driver.current_url == f"{base}/milestones", timeout=10, msg="the address kept ?edit="
    )
    dash_duo.driver.back()
    dash_duo.wait_for_text_to_equal("h1", "Programme overview")

    # A choice made on a page is a step in the history: Back undoes it, and stays on the page.
    dash_duo.driver.execute_script(
        "arguments[0].click();", dash_duo.find_element("header nav a[href='/milestones']")
    )
    dash_duo.wait_for_text_to_equal("h1", "Milestones")
    dash_duo.wait_for_contains_text("#ms-gantt-summary", "milestone")
    Select(dash_duo.find_element("#ms-filter-rag")).select_by_value("Red")
    dash_duo._wait_for(
        lambda driver: "rag=Red" in driver.current_url, timeout=10, msg="the choice is not in the address"
    )
    dash_duo.driver.back()
    dash_duo._wait_for(
        lambda driver: driver.current_url == f"{base}/milestones",
        timeout=10,
        msg="Back did not undo the choice",
    )
    assert dash_duo.find_element("h1").text == "Milestones"
    assert dash_duo.get_logs() == []
