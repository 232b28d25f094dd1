"""Headless Chromium: a viewer opens a shared benchmarking link, changes measure and year, sees the ranks."""

from __future__ import annotations

import pytest
from selenium.webdriver.support.ui import Select

from tests.helpers.browser import scroll_to, sign_in

pytestmark = pytest.mark.browser


def test_viewer_follows_a_link_then_changes_measure_and_year(dash_duo, app):
    dash_duo.start_server(app, navigate=False)
    sign_in(dash_duo, "cabinet.member", "/benchmarking?measure=2A%281%29&year=2015%2F16")
    dash_duo.wait_for_text_to_equal("h1", "Benchmarking")
    # 002 table 1, 2A(1) 15-16: Birmingham 16.3 per 100,000 is joint 10th of 16 (hand count); 002 printed 11.
    dash_duo.wait_for_contains_text("#bm-card-rank", "10 of 16")
    assert "Differs from the computed rank (10)" in dash_duo.find_element("#bm-card-published").text
    assert "16 per 100,000 → 16.3 per 100,000" in dash_duo.find_element("#bm-card-change").text
    dash_duo.wait_for_contains_text("#bm-chart-summary", "Birmingham ranked joint 10th of 16 councils")
    dash_duo.wait_for_contains_text("#bm-grid", "▶ Birmingham")
    # The chart draws Birmingham's hatched bar with its rank in the label.
    dash_duo._wait_for(
        lambda driver: (
            "Birmingham · rank 10 of 16"
            in driver.execute_script(
                "var g = document.querySelector('#bm-chart .js-plotly-plot');"
                "return g ? JSON.stringify(g.data.map(function (t) { return t.y; })) : '';"
            )
        ),
        timeout=10,
        msg="the ranked chart did not draw Birmingham",
    )
    # The ranks on every measure, further down, are read and drawn once scrolled to.
    assert dash_duo.find_element("#bm-heat-summary").text == ""
    scroll_to(dash_duo, "bm-heat-section")
    dash_duo.wait_for_contains_text("#bm-heat-summary", "measure-years")
    dash_duo.wait_for_contains_text("#bm-heat-grid", "2A(1)")

    # Change measure and year with the labelled selects: the URL follows, missing values say so.
    Select(dash_duo.find_element("#bm-measure")).select_by_value("1C(1B)")
    Select(dash_duo.find_element("#bm-year")).select_by_value("2014/15")
    dash_duo._wait_for(
        lambda driver: driver.current_url.endswith("?measure=1C%281B%29&year=2014%2F15"),
        timeout=10,
        msg="the URL did not follow the filters",
    )
    # 002 table 2, Carer Self Directed Support 14-15: Kirklees, Nottingham, Sandwell are '-'.
    dash_duo.wait_for_contains_text("#bm-card-rank", "1 of 13")
    dash_duo.wait_for_contains_text("#bm-grid", "Missing ('-' in source)")
    dash_duo.wait_for_contains_text("#bm-chart-summary", "3 councils have no value and are not ranked")
    assert dash_duo.get_logs() == []
