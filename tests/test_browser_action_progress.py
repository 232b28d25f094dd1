"""Headless Chromium: a long programme's progress chart draws a page of its recommendations, says how
many more there are and pages through them; the seeded plan's chart is drawn whole with no pages."""

from __future__ import annotations

import pytest
from selenium.webdriver.support.ui import Select

from dashboard.queries import actions as action_queries
from tests.helpers.browser import sign_in
from tests.helpers.long_plan import add_recommendations

pytestmark = pytest.mark.browser

ROWS = "return document.querySelectorAll('#act-progress-chart .ytick').length;"
# The row labels top to bottom, as a person reads them.
LABELS = (
    "return Array.from(document.querySelectorAll('#act-progress-chart .ytick text'))"
    ".sort(function (a, b) { return a.getBoundingClientRect().top - b.getBoundingClientRect().top; })"
    ".map(function (label) { return label.textContent; });"
)


def drawn_rows(dash_duo, count: int) -> list[str]:
    dash_duo._wait_for(
        lambda driver: driver.execute_script(ROWS) == count,
        timeout=10,
        msg=f"the chart did not draw {count} recommendations",
    )
    return [label.removeprefix("Rec. ") for label in dash_duo.driver.execute_script(LABELS)]


def test_a_long_programmes_chart_shows_a_page_of_recommendations_and_pages_to_the_rest(dash_duo, app):
    numbers = add_recommendations(27)
    dash_duo.start_server(app, navigate=False)
    sign_in(dash_duo, "cabinet.member", "/actions?owner=Chart+owner")
    dash_duo.wait_for_contains_text("#act-progress-summary", "actions are closed")
    dash_duo.wait_for_contains_text("#act-progress-position", "more: choose another page")
    assert dash_duo.find_element("#act-progress-pager").is_displayed()
    per_page = action_queries.PROGRESS_PER_PAGE
    first = drawn_rows(dash_duo, per_page)
    assert f"of {len(numbers)}, " in dash_duo.find_element("#act-progress-position").text
    assert f"and {len(numbers) - per_page} more" in dash_duo.find_element("#act-progress-position").text

    Select(dash_duo.find_element("#act-progress-page")).select_by_value("2")
    second = drawn_rows(dash_duo, len(numbers) - per_page)
    assert sorted(first + second) == sorted(numbers)
    dash_duo.wait_for_contains_text(
        "#act-progress-position", f"recommendations {per_page + 1}–{len(numbers)}"
    )
    # dcc.Markdown's code highlighter is never fetched: the page's blocks hold no code.
    fetched = dash_duo.driver.execute_script(
        "return performance.getEntriesByType('resource').map(function (entry) { return entry.name; });"
    )
    assert not [name for name in fetched if "async-highlight" in name]
    assert dash_duo.get_logs() == []


def test_the_seeded_plans_chart_is_drawn_whole_with_no_pages(dash_duo, app):
    dash_duo.start_server(app, navigate=False)
    sign_in(dash_duo, "cabinet.member", "/actions")
    dash_duo.wait_for_contains_text("#act-progress-summary", "actions are closed")
    assert drawn_rows(dash_duo, 8) == ["1", "1a", "1b", "2", "3", "4", "5", "6"]
    assert not dash_duo.find_element("#act-progress-pager").is_displayed()
    assert dash_duo.get_logs() == []
