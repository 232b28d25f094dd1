"""Headless Chromium: a lead adds a progress note to an action, then the sponsor (admin) signs off its evidence."""

from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from tests.helpers.browser import scroll_to, sign_in

pytestmark = pytest.mark.browser

ACTION = "Design and pilot a joint health and social care front door"  # Customer Journey, awaiting sign-off


def open_action(dash_duo) -> None:
    choices = Select(dash_duo.wait_for_element("#act-choose"))
    dash_duo._wait_for(lambda driver: len(choices.options) > 1, timeout=10, msg="no actions offered")
    choices.select_by_visible_text(f"4 · {ACTION}")
    dash_duo.wait_for_text_to_equal("#act-detail-title", ACTION)


def change_history(dash_duo) -> str:
    """The action's change history as text (textContent: the list is folded away until opened)."""
    return dash_duo.driver.execute_script(
        "var d = document.querySelector('#act-detail details'); return d ? d.textContent : '';"
    )


def test_lead_adds_a_note_and_the_sponsor_signs_off_the_evidence(dash_duo, app):
    dash_duo.start_server(app, navigate=False)
    base = sign_in(dash_duo, "cj.lead", "/actions?rec=4")
    dash_duo.wait_for_contains_text("#act-progress-summary", "1 of 3 actions are closed")
    # The letter's themes start closed; opening one from the keyboard reads its points.
    theme = dash_duo.wait_for_element("#act-areas .accordion-button")
    assert theme.get_attribute("aria-expanded") == "false"
    assert dash_duo.driver.find_elements(By.CSS_SELECTOR, "#act-areas .act-areas-list li") == []
    theme.send_keys(Keys.ENTER)
    points = dash_duo.wait_for_element("#act-areas .act-areas-list")
    assert theme.get_attribute("aria-expanded") == "true"
    # textContent: the theme may still be sliding open, and .text reads only what is on screen.
    assert "Answered by" in points.get_attribute("textContent")
    open_action(dash_duo)
    dash_duo.wait_for_text_to_equal("#act-detail-status", "Complete – awaiting sign-off")
    # The lead is not the sponsor: no sign-off control.
    assert dash_duo.driver.find_elements(By.ID, "act-signoff") == []
    assert dash_duo.find_element("#act-note-text-error").text == ""  # nothing submitted on opening

    dash_duo.find_element("#act-note-text").send_keys("Roll-out agreed with the STP board")
    dash_duo.find_element("#act-note-add").send_keys(Keys.ENTER)
    dash_duo.wait_for_contains_text("#act-message", "Progress note added")
    # Newest first, and the earlier note is still there.
    dash_duo.wait_for_contains_text("#act-notes li:first-child", "Roll-out agreed with the STP board")
    assert "Pilot evaluation drafted" in dash_duo.find_element("#act-notes").text
    # The version line and the change history show the note at once, without reloading the page.
    dash_duo._wait_for(
        lambda driver: "Progress note added" in change_history(dash_duo),
        timeout=10,
        msg="the change history did not show the note",
    )
    assert "last updated" in dash_duo.find_element("#act-detail").text
    assert dash_duo.get_logs() == []

    dash_duo.driver.delete_all_cookies()
    sign_in(dash_duo, "admin", "/actions?rec=4")
    dash_duo.wait_for_contains_text("#act-progress-summary", "1 of 3 actions are closed")
    # View beside the action in the plan opens it from the keyboard, and moves focus to the details.
    view = dash_duo.wait_for_element(f'#act-sections button[aria-label="View {ACTION}"]')
    view.send_keys(Keys.ENTER)
    dash_duo.wait_for_text_to_equal("#act-detail-title", ACTION)
    assert dash_duo.driver.switch_to.active_element.get_attribute("id") == "act-detail-heading"
    # Opening the action signs nothing off: only the button does.
    dash_duo.wait_for_text_to_equal("#act-detail-status", "Complete – awaiting sign-off")
    dash_duo.wait_for_element("#act-signoff").send_keys(Keys.ENTER)
    dash_duo.wait_for_contains_text("#act-message", "Evidence accepted")
    dash_duo.wait_for_contains_text("#act-progress-summary", "2 of 3 actions are closed")
    dash_duo.wait_for_text_to_equal("#act-detail-status", "Complete – evidence accepted")

    # The published view shows the lead's public note but no names.
    dash_duo.driver.get(f"{base}/actions?view=publish")
    dash_duo.wait_for_contains_text("#act-published", "Roll-out agreed with the STP board")
    published = dash_duo.find_element("#act-published").text
    assert "cj.lead" not in published and "Customer Journey work-stream lead" not in published
    assert dash_duo.get_logs() == []


def test_the_review_as_at_a_date_is_drawn_when_scrolled_to(dash_duo, app):
    dash_duo.start_server(app, navigate=False)
    sign_in(dash_duo, "cabinet.member", "/actions?asat=2017-03-31")
    dash_duo.wait_for_contains_text("#act-progress-summary", "actions are closed")
    dash_duo.wait_for_contains_text("#act-sections", ACTION)
    time.sleep(1.5)  # long enough for any answer already asked for to arrive
    # At the foot of the page, the review has not been read.
    assert dash_duo.find_element("#act-review-summary").text == ""
    assert dash_duo.driver.find_elements(By.CSS_SELECTOR, "#act-review-grid .ag-row") == []
    scroll_to(dash_duo, "act-review-section")
    # The March 2017 progress review, for the seed's 24 actions.
    dash_duo.wait_for_contains_text("#act-review-summary", "At the end of 31 Mar 2017")
    dash_duo.wait_for_contains_text("#act-review-grid", ACTION)
    assert dash_duo.get_logs() == []
