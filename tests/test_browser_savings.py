"""Headless Chromium: the cabinet member sees Barnet's savings total; a lead records a forecast."""

from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from tests.helpers.browser import scroll_to, sign_in

pytestmark = pytest.mark.browser


def test_cabinet_member_sees_the_barnet_savings_total_and_no_edit_control(dash_duo, app):
    dash_duo.start_server(app, navigate=False)
    sign_in(dash_duo, "cabinet.member", "/savings?project=barnet_savings")
    dash_duo.wait_for_text_to_equal("h1", "Savings")
    # 003 §2: £12.6m identified + £5.9m additional = £18.5m over 2016/17–2019/20.
    dash_duo.wait_for_text_to_equal("#sv-total-target", "£18.5m")
    years = dash_duo.find_element("#sv-years").text
    for amount in ("£5.1m", "£6.1m", "£4.1m", "£3.2m"):
        assert amount in years
    assert "2019/20" in years
    assert "Illustrative data" in dash_duo.find_element("#sv-illustrative").text
    assert dash_duo.driver.find_elements(By.ID, "sv-edit-save") == []
    assert dash_duo.driver.find_elements(By.ID, "sv-rephase-accept") == []
    assert dash_duo.find_element("#sv-download-lines-csv").is_displayed()
    assert dash_duo.get_logs() == []


def test_lead_records_a_forecast_and_sees_the_total_change(dash_duo, app):
    dash_duo.start_server(app, navigate=False)
    sign_in(dash_duo, "cj.lead", "/savings?project=customer_journey")
    dash_duo.wait_for_text_to_equal("#sv-total-forecast", "£5.45m")
    choices = Select(dash_duo.find_element("#sv-edit-select"))
    dash_duo._wait_for(lambda driver: len(choices.options) > 1, timeout=10, msg="no lines offered")
    offered = [option.text for option in choices.options if option.get_attribute("value")]
    assert len(offered) == 1 and "Customer Journey" in offered[0], offered
    choices.select_by_visible_text(offered[0])
    dash_duo.wait_for_contains_text("#sv-edit-context", "Customer Journey")

    forecast = dash_duo.find_element("#sv-edit-forecast")
    forecast.clear()
    forecast.send_keys("-5")
    dash_duo.find_element("#sv-edit-save").send_keys(Keys.ENTER)
    dash_duo.wait_for_contains_text("#sv-edit-forecast-error", "Forecast must be £0 or more")

    forecast.clear()
    forecast.send_keys("5,700,000")
    dash_duo.find_element("#sv-edit-save").send_keys(Keys.ENTER)
    dash_duo.wait_for_contains_text("#sv-edit-saved", "Saved at")
    # The panel's version line and change history show the save without reloading the page.
    dash_duo.wait_for_contains_text("#sv-edit-context", "by cj.lead")
    history = dash_duo.find_element("#sv-edit-history").get_attribute("textContent")
    assert "cj.lead · Forecast" in history, history
    dash_duo.wait_for_text_to_equal("#sv-total-forecast", "£5.7m")
    assert dash_duo.find_element("#sv-edit-forecast-error").text == ""
    assert dash_duo.get_logs() == []


def _line_rows(dash_duo) -> int:
    return len(dash_duo.driver.find_elements(By.CSS_SELECTOR, "#sv-grid .ag-center-cols-container .ag-row"))


def test_the_saving_lines_are_drawn_when_scrolled_to(dash_duo, app):
    dash_duo.start_server(app, navigate=False)
    base = sign_in(dash_duo, "cabinet.member", "/savings?project=barnet_savings")
    dash_duo.wait_for_text_to_equal("#sv-total-target", "£18.5m")
    time.sleep(1.5)  # long enough for any answer already asked for to arrive
    assert _line_rows(dash_duo) == 0  # nobody has scrolled to the lines
    scroll_to(dash_duo, "sv-lines")
    # 003 §2: Barnet's savings target in four "identified" and three "additional" years.
    dash_duo._wait_for(lambda driver: _line_rows(dash_duo) == 7, timeout=10, msg="the 7 lines were not drawn")

    # Jumping straight past the lines to a line's history still offers the lines of the page.
    dash_duo.driver.get(f"{base}/savings?project=barnet_savings&fy=2019/20")
    dash_duo.wait_for_text_to_equal("h1", "Savings")
    scroll_to(dash_duo, "sv-detail-select")
    dash_duo._wait_for(
        lambda driver: len(Select(dash_duo.find_element("#sv-detail-select")).options) == 2,
        timeout=10,
        msg="the line's history offered no lines",
    )
    assert "2019/20" in Select(dash_duo.find_element("#sv-detail-select")).options[-1].text
    assert dash_duo.get_logs() == []


def test_the_bridge_and_tables_below_the_first_screen_are_drawn_when_reached_and_follow_a_filter(
    dash_duo, app
):
    dash_duo.start_server(app, navigate=False)
    dash_duo.driver.set_window_size(1280, 800)
    sign_in(dash_duo, "cabinet.member", "/savings?org=barnet")
    # 003 §2's £18.5m savings target and the operating model's £1,962,000.
    dash_duo.wait_for_text_to_equal("#sv-total-target", "£20.46m")
    # The first screen is drawn; the bridge and the project table further down wait to be reached.
    time.sleep(1)
    assert dash_duo.find_element("#sv-bridge-summary").text == ""
    assert dash_duo.driver.find_elements(By.CSS_SELECTOR, "#sv-projects-table table") == []

    scroll_to(dash_duo, "sv-bridge-heading")
    dash_duo.wait_for_contains_text("#sv-bridge-summary", "The forecast is")
    dash_duo.wait_for_contains_text("#sv-projects-table", "Adults & Safeguarding Committee savings target")
    dash_duo._wait_for(
        lambda driver: driver.find_elements(By.CSS_SELECTOR, "#sv-bridge .ytick"), timeout=10, msg="no bridge"
    )

    # Once reached, they follow the filters like the rest of the page.
    Select(dash_duo.find_element("#sv-filter-project")).select_by_value("barnet_operating_model")
    dash_duo.wait_for_text_to_equal("#sv-total-target", "£1.96m")
    dash_duo._wait_for(
        lambda driver: "savings target" not in driver.find_element(By.ID, "sv-projects-table").text,
        timeout=10,
        msg="the project table still shows every project",
    )
    assert "alternative delivery model (ADM)" in dash_duo.find_element("#sv-projects-table").text
    assert dash_duo.get_logs() == []
