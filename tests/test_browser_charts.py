"""Headless Chromium: a chart is laid out once at the size of its box, and again when the box changes."""

from __future__ import annotations

import time

import pytest

from tests.helpers.browser import sign_in

pytestmark = pytest.mark.browser

CHART = "#sv-cumulative .js-plotly-plot"

# The chart's drawn width, and the height its figure asked for as plotly.js still holds it: plotly's
# autosize pass (`relayout({autosize: true})`) drops the figure's height and measures the box instead.
DRAWN = """
const gd = document.querySelector(arguments[0]);
return gd && gd._fullLayout && gd.querySelector('.main-svg')
  ? {width: gd._fullLayout.width, asked: gd.layout.height === undefined ? null : gd.layout.height}
  : null;
"""


def _drawn(dash_duo) -> dict | None:
    return dash_duo.driver.execute_script(DRAWN, CHART)


def test_a_chart_is_laid_out_once_and_again_when_the_window_narrows(dash_duo, app):
    dash_duo.driver.set_window_size(1280, 900)
    dash_duo.start_server(app, navigate=False)
    sign_in(dash_duo, "cabinet.member", "/savings?project=barnet_savings")
    dash_duo.wait_for_text_to_equal("#sv-total-target", "£18.5m")
    dash_duo._wait_for(lambda _driver: _drawn(dash_duo) is not None, timeout=20, msg="chart not drawn")

    # dcc.Graph reports the chart's box once mounted; plotly.js would lay it out again 100 ms later.
    time.sleep(0.6)
    drawn = _drawn(dash_duo)
    assert drawn["asked"] is not None, "the chart was laid out a second time at the size it had"

    dash_duo.driver.set_window_size(800, 900)
    dash_duo._wait_for(
        lambda _driver: _drawn(dash_duo)["width"] < drawn["width"] - 100,
        timeout=10,
        msg=f"the chart kept its width of {drawn['width']} px in a narrower window",
    )
    assert dash_duo.get_logs() == []
