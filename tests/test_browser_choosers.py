"""Headless Chromium: the down-arrow moves to the next option in the milestone, action and RAG
choosers, as in any select (it used to stay on the placeholder)."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.keys import Keys

from tests.helpers.browser import sign_in

pytestmark = pytest.mark.browser


def press_down(dash_duo, selector: str, times: int = 1) -> list[str]:
    """Focus the select and press the down-arrow `times` times; the value after each press."""
    select = dash_duo.find_element(selector)
    dash_duo.driver.execute_script("arguments[0].focus();", select)
    seen = []
    for _ in range(times):
        before = select.get_attribute("value")
        select.send_keys(Keys.ARROW_DOWN)
        dash_duo._wait_for(
            lambda driver, before=before: select.get_attribute("value") != before,
            timeout=5,
            msg=f"the down-arrow did not move {selector} from {before!r}",
        )
        seen.append(select.get_attribute("value"))
    return seen


def test_the_down_arrow_moves_through_the_choosers(dash_duo, app):
    dash_duo.start_server(app, navigate=False)
    sign_in(dash_duo, "cj.lead", "/milestones")
    dash_duo.wait_for_element("#ms-edit-select option[value='1']")
    chosen = press_down(dash_duo, "#ms-edit-select", 2)
    assert len(set(chosen)) == 2 and all(value.isdigit() for value in chosen)
    dash_duo._wait_for(
        lambda driver: dash_duo.find_element("#ms-edit-fields").is_displayed(), timeout=10, msg="no form"
    )
    rag = dash_duo.find_element("#ms-edit-rag")
    dash_duo.driver.execute_script("arguments[0].focus();", rag)
    rag.send_keys(Keys.HOME)
    dash_duo._wait_for(lambda driver: rag.get_attribute("value") == "none", timeout=5, msg="Home: No RAG")
    assert press_down(dash_duo, "#ms-edit-rag", 3) == ["Red", "Amber", "Green"]

    dash_duo.driver.get(dash_duo.server.url.rstrip("/") + "/actions")
    dash_duo.wait_for_element("#act-choose option[value]:not([value=''])")
    first = press_down(dash_duo, "#act-choose")
    dash_duo.wait_for_contains_text("#act-detail", "owner")
    assert first[0].isdigit()
    assert dash_duo.get_logs() == []
