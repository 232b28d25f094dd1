"""Keyboard only: a lead signs in, finds a milestone and saves an update without touching the mouse."""

from __future__ import annotations

import re
import time

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


ROWS_WITH_BUTTONS = """
return Array.from(document.querySelectorAll('#ms-grid .ag-pinned-left-cols-container .ag-row')).map(function (row) {
  return {id: row.getAttribute('row-id'), project: row.querySelector("[col-id='project']").textContent,
          button: !!row.querySelector('button')};
});
"""


def test_a_lead_reaches_their_milestone_form_in_a_few_key_presses_and_returns_to_the_row(dash_duo, app):
    """From the top of /milestones: a link straight to the form; in the table, an Update button on each
    row the lead may edit, Enter on the row opens its form with focus in its first field, and Escape
    closes it, focus back on the row."""
    from tests.helpers.browser import scroll_to, sign_in

    dash_duo.start_server(app, navigate=False)
    sign_in(dash_duo, "cj.lead", "/milestones")
    dash_duo.wait_for_contains_text("#ms-gantt-summary", "milestones shown")
    dash_duo._wait_for(
        lambda driver: len(driver.find_elements("css selector", "#ms-edit-select option")) > 2,
        timeout=10,
        msg="no milestones offered",
    )

    # The skip link, then the link to the form: four key presses to the form's chooser.
    presses = 0
    for key in (Keys.TAB, Keys.ENTER, Keys.TAB):
        press(dash_duo, key)
        presses += 1
    assert focused(dash_duo)["text"] == "Update one of your milestones"
    press(dash_duo, Keys.ENTER)
    presses += 1
    assert focused(dash_duo)["id"] == "ms-edit-select" and presses == 4

    # The table: an Update button on the lead's own rows only.
    scroll_to(dash_duo, "ms-table-section")
    dash_duo.wait_for_element("#ms-grid .ag-row .ag-cell[col-id='update']")
    rows = dash_duo.driver.execute_script(ROWS_WITH_BUTTONS)
    assert any(row["button"] for row in rows) and any(not row["button"] for row in rows)
    assert all(row["button"] == (row["project"] == "Customer Journey") for row in rows)
    own = next(row for row in rows if row["button"])

    # Focus on the lead's row (as arrow keys inside the table leave it), then Enter opens its form.
    dash_duo.driver.execute_script(
        "dash_ag_grid.getApi('ms-grid').setFocusedCell("
        "dash_ag_grid.getApi('ms-grid').getRowNode(arguments[0]).rowIndex, 'project')",
        own["id"],
    )
    press(dash_duo, Keys.ENTER)
    dash_duo._wait_for(
        lambda driver: focused(dash_duo)["id"] == "ms-edit-status",
        timeout=10,
        msg="Enter on the row did not move focus into its form",
    )
    assert dash_duo.find_element("#ms-edit-select").get_attribute("value") == own["id"]
    assert dash_duo.find_element("#ms-edit-fields").get_attribute("hidden") is None

    # Escape closes the form and gives focus back to that row.
    press(dash_duo, Keys.ESCAPE)
    dash_duo._wait_for(
        lambda driver: (
            driver.execute_script(
                "var e = document.activeElement; var row = e.closest && e.closest('.ag-row');"
                " return row && row.getAttribute('row-id');"
            )
            == own["id"]
        ),
        timeout=10,
        msg="focus did not come back to the row",
    )
    assert dash_duo.find_element("#ms-edit-fields").get_attribute("hidden") is not None

    # The Update button does the same for a mouse or a screen reader's virtual cursor.
    dash_duo.find_element(
        f"#ms-grid .ag-pinned-left-cols-container .ag-row[row-id='{own['id']}'] button"
    ).click()
    dash_duo._wait_for(
        lambda driver: focused(dash_duo)["id"] == "ms-edit-status", timeout=10, msg="Update did not open it"
    )
    assert dash_duo.get_logs() == []


def test_a_viewer_has_no_update_column(dash_duo, app):
    from tests.helpers.browser import scroll_to, sign_in

    dash_duo.start_server(app, navigate=False)
    sign_in(dash_duo, "cabinet.member", "/milestones")
    # Below the plan's chart, the table is read once scrolled to.
    dash_duo.wait_for_contains_text("#ms-gantt-summary", "milestones shown")
    time.sleep(1.5)  # long enough for any answer already asked for to arrive
    assert dash_duo.driver.find_elements("css selector", "#ms-grid .ag-row") == []
    scroll_to(dash_duo, "ms-table-section")
    dash_duo.wait_for_element("#ms-grid .ag-row")
    assert dash_duo.driver.find_elements("css selector", "#ms-grid [col-id='update']") == []
    assert dash_duo.driver.find_elements("css selector", "[data-focus-target]") == []
