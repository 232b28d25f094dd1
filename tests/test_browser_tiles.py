"""Headless Chromium: the overview's KPI tile opens the KPI page at its exceptions, in view."""

from __future__ import annotations

import time

import pytest

from tests.helpers.browser import sign_in

pytestmark = pytest.mark.browser


def test_the_kpi_tile_opens_the_exceptions_in_view(dash_duo, app):
    dash_duo.start_server(app, navigate=False)
    sign_in(dash_duo, "cabinet.member")
    dash_duo.wait_for_text_to_equal("h1", "Programme overview")
    tile = dash_duo.wait_for_element("a.summary-card-link[href='/kpis#kpi-exc']")
    dash_duo.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", tile
    )
    tile.click()
    dash_duo.wait_for_contains_text("#kpi-exceptions-summary", "need")

    def exceptions_in_view(driver) -> bool:
        top = driver.execute_script("return document.getElementById('kpi-exc').getBoundingClientRect().top;")
        return 0 <= top < driver.execute_script("return window.innerHeight;") / 2

    dash_duo._wait_for(exceptions_in_view, timeout=10, msg="the exceptions are not in view")
    # Still in view once everything above them has drawn.
    dash_duo._wait_for(
        lambda driver: driver.execute_script(
            "return !document.querySelector('[data-dash-is-loading=\"true\"]');"
        ),
        timeout=15,
        msg="the page is still loading",
    )
    time.sleep(5.5)  # the last re-scroll, 5 s after the exceptions drew
    assert exceptions_in_view(dash_duo.driver)
    assert dash_duo.get_logs() == []
