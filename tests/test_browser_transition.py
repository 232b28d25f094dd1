"""Headless Chromium: the cabinet member (a viewer) reads the Transition performance dashboard, the
self-assessment and Birmingham's front door, reaching the new pages from the navbar and from the pages that lead to them; no edit control,
no console error."""

from __future__ import annotations

import re

import pytest

from tests.helpers.browser import scroll_to, sign_in

pytestmark = pytest.mark.browser


def _controls(dash_duo) -> list[str]:
    """The edit controls on the page: text fields and buttons that save (the chart's own toolbar and
    the choice of measure to chart change nothing)."""
    return dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('main input, main textarea, main button.btn'))"
        ".map(function (c) { return c.id || c.type; });"
    )


def test_viewer_reads_the_transition_dashboard_from_the_navbar(dash_duo, app):
    dash_duo.start_server(app, navigate=False)
    sign_in(dash_duo, "cabinet.member")
    dash_duo.find_element("header nav a[href='/transition']").click()
    dash_duo.wait_for_text_to_equal("h1", "Transition performance dashboard")
    dash_duo.wait_for_contains_text("#transition-outcomes", "Outcome: A healthy life")
    text = dash_duo.find_element("#transition-outcomes").text
    # 004 §4.2.4: aligned spend £22.8m in 2018/19.
    assert "£22.8m (2018/19)" in text
    assert "Illustrative data" in text
    # Sources as the board knows them: by title and date, never by file name.
    assert "Transition (Preparation for Adulthood) cabinet report, 26 Jun 2018, §5.2.7" in text
    assert not re.search(r"\d{3}_[0-9a-f]{16}\.txt", text)
    assert _controls(dash_duo) == []
    # The milestones page leads here too.
    dash_duo.find_element("header nav a[href='/milestones']").click()
    dash_duo.wait_for_element("#ms-transition-link").click()
    dash_duo.wait_for_text_to_equal("h1", "Transition performance dashboard")
    assert dash_duo.get_logs() == []


def test_viewer_reads_the_self_assessment_and_the_front_door(dash_duo, app):
    dash_duo.start_server(app, navigate=False)
    sign_in(dash_duo, "cabinet.member")
    dash_duo.find_element("header nav a[href='/actions']").click()
    dash_duo.wait_for_element("#act-self-assessment-link").click()
    dash_duo.wait_for_text_to_equal("h1", "Self-assessment")
    dash_duo.wait_for_contains_text("#sa-content", "Organisational development")
    ratings = dash_duo.find_element("#sa-ratings-table").text
    assert "2016" in ratings and "2017" in ratings and "Worse: Medium risk → High risk" in ratings
    assert "Take-up of direct payments remains relatively low" in dash_duo.find_element("#sa-content").text
    assert "West Midlands self-assessment, Oct 2016" in dash_duo.find_element("#sa-content").text
    assert not re.search(r"\d{3}_[0-9a-f]{16}\.txt", dash_duo.find_element("#sa-content").text)
    assert _controls(dash_duo) == []
    dash_duo.find_element("header nav a[href='/kpis']").click()
    scroll_to(dash_duo, "kpi-front-door")
    dash_duo.wait_for_contains_text("#kpi-front-door", "60,753")
    rows = dash_duo.find_elements("#kpi-front-door-table tbody tr")
    assert len(rows) == 8
    assert dash_duo.get_logs() == []


def test_a_kpi_and_an_action_lead_back_to_the_self_assessment(dash_duo, app):
    from selenium.webdriver.support.ui import Select

    dash_duo.start_server(app, navigate=False)
    sign_in(dash_duo, "cabinet.member", "/actions")
    dash_duo.wait_for_element("#act-choose option[value]:not([value=''])")
    chooser = Select(dash_duo.find_element("#act-choose"))
    first_of_1 = next(option for option in chooser.options if option.text.startswith("1 · "))
    chooser.select_by_value(first_of_1.get_attribute("value"))
    dash_duo.wait_for_text_to_equal("#act-detail-self-assessment", "Resource and workforce management")
    link = dash_duo.find_element("#act-detail-self-assessment")
    dash_duo.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", link
    )
    link.click()
    dash_duo.wait_for_text_to_equal("h1", "Self-assessment")
    assert dash_duo.get_logs() == []
