"""Headless Chromium: the programme office manages a user from /users — adds them, changes their role
and projects, resets their password (they sign in with the new one), deactivates them (they cannot)
— and a session left idle past the timeout, or ended while a page is open, ends with a plain message
on the sign-in page."""

from __future__ import annotations

import datetime as dt

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from dashboard import clock
from dashboard.services import SYSTEM
from dashboard.services import users as user_services
from tests.helpers import user
from tests.helpers.browser import sign_in

pytestmark = pytest.mark.browser


def _type(dash_duo, selector: str, text: str) -> None:
    element = dash_duo.find_element(selector)
    dash_duo.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element
    )
    element.clear()
    element.send_keys(text)


def _click(dash_duo, selector: str) -> None:
    element = dash_duo.find_element(selector)
    dash_duo.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element
    )
    element.click()


def _tick(dash_duo, checklist: str, label: str) -> None:
    box = dash_duo.driver.find_element(
        By.XPATH, f"//*[@id='{checklist}']//label[normalize-space()='{label}']"
    )
    dash_duo.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", box
    )
    # The checkbox the label is for, clicked as a person's click on the label would.
    dash_duo.driver.execute_script("(arguments[0].control || arguments[0]).click();", box)


def _grid_row(dash_duo, username: str) -> dict:
    return dash_duo.driver.execute_script(
        "var api = window.dash_ag_grid && dash_ag_grid.getApi && dash_ag_grid.getApi('users-grid');"
        "var wanted = arguments[0], found = null; if (api) { api.forEachNode(function (node) {"
        "  if (node.data.username === wanted) { found = node.data; } }); }"
        "return found;",
        username,
    )


def _wait_for_history(dash_duo, text: str) -> None:
    """The change history is inside a closed <details>: read its text as a screen reader would."""
    dash_duo._wait_for(
        lambda driver: text in dash_duo.find_element("#users-edit-history").get_attribute("textContent"),
        timeout=10,
        msg=text,
    )


def _sign_out(dash_duo) -> None:
    _click(dash_duo, "#sign-out")
    dash_duo.wait_for_element("#sign-in")
    assert "You have signed out" in dash_duo.driver.page_source


def _open_user(dash_duo, label: str) -> None:
    choices = Select(dash_duo.find_element("#users-edit-select"))
    dash_duo._wait_for(
        lambda driver: any(option.text == label for option in choices.options), timeout=10, msg=label
    )
    choices.select_by_visible_text(label)
    dash_duo.wait_for_contains_text("#users-access-status", "Dana Lead is")


def test_admin_adds_changes_resets_and_deactivates_a_user(dash_duo, app):
    dash_duo.start_server(app, navigate=False)
    sign_in(dash_duo, "admin", "/users")
    dash_duo.wait_for_text_to_equal("h1", "Users")
    dash_duo.wait_for_contains_text("#users-count", "4 users, 4 active")

    # Add a lead of the Transition project; the password is made up and shown once.
    _type(dash_duo, "#users-new-username", "dana.lead")
    _type(dash_duo, "#users-new-display_name", "Dana Lead")
    _type(dash_duo, "#users-new-email", "dana@example.org")
    Select(dash_duo.find_element("#users-new-role")).select_by_visible_text("Project lead")
    _tick(dash_duo, "users-new-lead_of", "Transition Project - Preparation for Adulthood")
    _click(dash_duo, "#users-new-save")
    dash_duo.wait_for_element("#users-new-generated")
    first_password = dash_duo.find_element("#users-new-generated").text
    assert len(first_password) >= 12
    dash_duo.wait_for_contains_text("#users-count", "5 users, 5 active")
    row = _grid_row(dash_duo, "dana.lead")
    assert row["role_label"] == "Project lead" and row["lead_of"].startswith("Transition Project")
    assert row["email"] == "dana@example.org" and row["status"] == "Active"

    # Change the projects they lead, then their role.
    _open_user(dash_duo, "dana.lead · Dana Lead")
    _tick(dash_duo, "users-edit-lead_of", "Transition Project - Preparation for Adulthood")
    _tick(dash_duo, "users-edit-lead_of", "Prevention")
    _click(dash_duo, "#users-edit-save")
    dash_duo.wait_for_contains_text("#users-edit-saved", "Saved at")
    dash_duo._wait_for(
        lambda driver: _grid_row(dash_duo, "dana.lead")["lead_of"] == "Prevention", timeout=10, msg="lead_of"
    )
    _wait_for_history(
        dash_duo, "Projects led changed: Transition Project - Preparation for Adulthood → Prevention"
    )

    _tick(dash_duo, "users-edit-lead_of", "Prevention")
    Select(dash_duo.find_element("#users-edit-role")).select_by_visible_text("Viewer")
    _click(dash_duo, "#users-edit-save")
    _wait_for_history(dash_duo, "Role changed: Lead → Viewer")
    dash_duo._wait_for(
        lambda driver: _grid_row(dash_duo, "dana.lead")["role_label"] == "Viewer", timeout=10, msg="role"
    )

    # Reset the password to one the administrator chooses.
    _type(dash_duo, "#users-reset-password", "dana-new-password-1")
    _click(dash_duo, "#users-reset-save")
    dash_duo.wait_for_contains_text("#users-access-message", "Password set")
    assert dash_duo.find_element("#users-reset-password").get_attribute("value") == ""

    # Dana signs in with it (not the first one), as a viewer.
    _sign_out(dash_duo)
    sign_in(dash_duo, "dana.lead", "/account", password=first_password)
    dash_duo.wait_for_contains_text("#login-error", "The username or password is not right")
    dash_duo.get_logs()  # the refused sign-in's 401, expected
    sign_in(dash_duo, "dana.lead", "/account", password="dana-new-password-1")
    dash_duo.wait_for_text_to_equal("h1", "Your account")
    dash_duo.wait_for_contains_text("#account-facts", "Viewer")
    assert not dash_duo.driver.find_elements(By.CSS_SELECTOR, "a[href='/users']")
    _sign_out(dash_duo)

    # Deactivated, they cannot sign in.
    sign_in(dash_duo, "admin", "/users")
    dash_duo.wait_for_contains_text("#users-count", "5 users, 5 active")
    _open_user(dash_duo, "dana.lead · Dana Lead")
    _click(dash_duo, "#users-active-toggle")
    dash_duo.wait_for_contains_text("#users-access-message", "Deactivated")
    dash_duo.wait_for_contains_text("#users-count", "5 users, 4 active")
    dash_duo.wait_for_text_to_equal("#users-active-toggle", "Reactivate user")
    assert dash_duo.get_logs() == []
    _sign_out(dash_duo)
    sign_in(dash_duo, "dana.lead", "/account", password="dana-new-password-1")
    dash_duo.wait_for_contains_text("#login-error", "The username or password is not right")


def test_an_idle_session_ends_with_a_plain_message(dash_duo, app, monkeypatch):
    dash_duo.start_server(app, navigate=False)
    base = sign_in(dash_duo, "cabinet.member")
    later = clock.now() + dt.timedelta(hours=8, minutes=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    dash_duo.driver.get(f"{base}/milestones")
    dash_duo.wait_for_element("#sign-in")
    dash_duo.wait_for_text_to_equal("#login-message", "Your session has ended; sign in again.")
    # Signing in again goes back to the page asked for.
    dash_duo.find_element("#username").send_keys("cabinet.member")
    dash_duo.find_element("#password").send_keys("viewer-demo-2026")
    dash_duo.find_element("#sign-in").click()
    dash_duo.wait_for_text_to_equal("h1", "Milestones")

    # Ended by an administrator while this page is open: the next thing it asks of the server (the
    # Audit page, chosen in the navbar) takes the person to the sign-in page, which says so.
    user_services.end_sessions(SYSTEM, user("cabinet.member").id)
    dash_duo.find_element("a.app-nav-link[href='/audit']").click()
    dash_duo.wait_for_element("#sign-in")
    dash_duo.wait_for_text_to_equal("#login-message", "Your session has ended; sign in again.")
    assert dash_duo.driver.current_url.endswith("/login?ended=1&next=%2Faudit")
    dash_duo.find_element("#username").send_keys("cabinet.member")
    dash_duo.find_element("#password").send_keys("viewer-demo-2026")
    dash_duo.find_element("#sign-in").click()
    dash_duo.wait_for_text_to_equal("h1", "Audit trail")
