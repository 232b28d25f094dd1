"""Keyboard only: a lead signs in, finds a milestone and saves an update without touching the mouse."""

from __future__ import annotations

import re

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from tests.helpers import DEMO_PASSWORDS

pytestmark = pytest.mark.browser


def press(dash_duo, *keys) -> None:
    ActionChains(dash_duo.driver).send_keys(*keys).perform()


def focused(dash_duo) -> dict:
    return dash_duo.driver.execute_script(
        "var e = document.activeElement; return {id: e.id, tag: e.tagName, text: (e.textContent || '').trim(),"
        " href: e.getAttribute('href'), outline: getComputedStyle(e).outlineStyle};"
    )


def tab_until(dash_duo, matches, limit: int = 150) -> dict:
    for _ in range(limit):
        press(dash_duo, Keys.TAB)
        element = focused(dash_duo)
        if matches(element):
            return element
    raise AssertionError("never reached the control by pressing Tab")


def test_lead_updates_a_milestone_with_the_keyboard_alone(dash_duo, app):
    dash_duo.start_server(app, navigate=False)
    base = dash_duo.server.url.rstrip("/")
    dash_duo.driver.get(base + "/login")
    dash_duo.wait_for_element("#username")

    tab_until(dash_duo, lambda e: e["id"] == "username")
    press(dash_duo, "cj.lead", Keys.TAB, DEMO_PASSWORDS["cj.lead"], Keys.ENTER)
    dash_duo.wait_for_text_to_equal("h1", "Programme overview")

    # The Milestones link in the navbar, reached by Tab, shows where focus is.
    link = tab_until(dash_duo, lambda e: e["href"] == "/milestones")
    assert link["outline"] != "none"
    press(dash_duo, Keys.ENTER)
    dash_duo.wait_for_text_to_equal("h1", "Milestones")
    dash_duo.wait_for_contains_text("#ms-gantt-summary", "milestones shown")

    tab_until(dash_duo, lambda e: e["id"] == "ms-edit-select")
    dash_duo._wait_for(
        lambda driver: len(driver.find_elements("css selector", "#ms-edit-select option")) > 2,
        timeout=10,
        msg="no milestones offered",
    )
    # Typing a name picks the option (as on any native select); leaving the select confirms it.
    press(dash_duo, "Customer Journey", Keys.TAB)
    dash_duo.wait_for_contains_text("#ms-edit-context", "Customer Journey")
    # Dates are shown and typed day first, whatever the browser's locale.
    dash_duo._wait_for(
        lambda driver: re.fullmatch(
            r"\d{2}/\d{2}/\d{4}", dash_duo.find_element("#ms-edit-forecast_end").get_attribute("value") or ""
        ),
        timeout=10,
        msg="the forecast end is not shown as dd/mm/yyyy",
    )

    tab_until(dash_duo, lambda e: e["id"] == "ms-edit-commentary")
    press(dash_duo, Keys.END, " Checked with the keyboard.")
    tab_until(dash_duo, lambda e: e["id"] == "ms-edit-save")
    press(dash_duo, Keys.ENTER)
    dash_duo.wait_for_contains_text("#ms-edit-saved", "Saved at")
    assert dash_duo.get_logs() == []
