"""WCAG 2.2 AA checks in headless Chromium: axe-core on every page, at projector, tablet and phone widths."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from selenium.common.exceptions import StaleElementReferenceException

from tests.helpers.browser import scroll_to, sign_in

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# A full-page picture of every page at every width, for a person to look at (not kept in the repository).
SCREENSHOTS = ROOT / "test-output" / "screenshots"
PAGES = [
    "/",
    "/milestones",
    "/actions",
    "/savings",
    "/kpis",
    "/transition",
    "/self-assessment",
    "/benchmarking",
    "/audit",
    "/pack",
    "/import",
    "/about",
]
PAGES += ["/users", "/account", "/logout"]  # /logout: the page asking to sign out
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def run_axe(dash_duo) -> list[dict]:
    dash_duo.driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = dash_duo.driver.execute_script(
        "return axe.run(document, arguments[0]);", {"runOnly": {"type": "tag", "values": WCAG_TAGS}}
    )
    return [
        {
            "page": dash_duo.driver.current_url,
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "targets": [node["target"] for node in violation["nodes"][:5]],
        }
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def wait_until_loaded(dash_duo) -> None:
    dash_duo.wait_for_element("main#main h1")
    # No callback still running (Dash marks the document while it waits for the server).
    dash_duo._wait_for(
        lambda driver: driver.execute_script(
            "return !document.querySelector('[data-dash-is-loading=\"true\"]')"
            " && !document.querySelector('._dash-loading');"
        ),
        timeout=15,
        msg="page still loading",
    )


def set_width(dash_duo, width: int, height: int) -> None:
    """The window's size; a phone's 390 px through device emulation (a headless window is wider)."""
    if width < 500:
        dash_duo.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )
    else:
        dash_duo.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        dash_duo.driver.set_window_size(width, height)


def open_as_viewer(dash_duo, app, path: str, width: int, height: int) -> None:
    """The cabinet member opens `path` in a window `width` × `height`, once the page has loaded."""
    dash_duo.start_server(app, navigate=False)
    sign_in(dash_duo, "cabinet.member")
    set_width(dash_duo, width, height)
    dash_duo.driver.get(dash_duo.server.url.rstrip("/") + path)
    wait_until_loaded(dash_duo)


def table_fits(dash_duo, grid_id: str) -> bool:
    """Whether a table's columns fit its width: no sideways scrolling inside the table."""
    return dash_duo.driver.execute_script(
        "var grid = document.getElementById(arguments[0]);"
        " return grid.querySelector('.ag-center-cols-container').scrollWidth <= grid.clientWidth;",
        grid_id,
    )


def save_full_page(dash_duo, name: str) -> None:
    """The whole page (beyond the window) as a PNG under test-output/screenshots."""
    import base64

    shot = dash_duo.driver.execute_cdp_cmd(
        "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / f"{name}.png").write_bytes(base64.b64decode(shot["data"]))


def test_axe_finds_no_serious_violations_on_any_page(dash_duo, app):
    assert AXE.exists(), "axe-core missing: scripts/test runs npm ci"
    dash_duo.start_server(app, navigate=False)
    base = dash_duo.server.url.rstrip("/")
    dash_duo.driver.get(base + "/login")
    assert run_axe(dash_duo) == []
    sign_in(dash_duo, "admin")

    problems = []
    for width, height in ((1280, 720), (768, 1024), (390, 844)):
        set_width(dash_duo, width, height)
        for path in PAGES:
            dash_duo.driver.get(base + path)
            wait_until_loaded(dash_duo)
            problems += run_axe(dash_duo)
            save_full_page(dash_duo, f"{width}-{path.strip('/') or 'overview'}")
            overflow = dash_duo.driver.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;"
            )
            if overflow > 0:
                problems.append(
                    {"page": path, "id": "horizontal-scroll", "width": width, "overflow": overflow}
                )
    assert problems == [], "\n".join(map(str, problems))
    assert dash_duo.get_logs() == []


def test_on_a_phone_the_plan_is_a_list_of_milestones_not_a_chart(dash_duo, app):
    open_as_viewer(dash_duo, app, "/milestones?project=transition", 390, 844)

    def plan_items(driver):
        try:
            texts = [item.text for item in driver.find_elements("css selector", "#ms-plan-list li")]
        except StaleElementReferenceException:
            return None  # the list (one block of markup) was drawn again while being read
        return texts if len(texts) >= 10 else None

    first = dash_duo._wait_for(plan_items, timeout=10, msg="fewer than 10 milestones listed")[0]
    # Name, project, RAG or status in words, baseline end → forecast or finish, slippage.
    assert "Transition Project" in first and "Baseline end" in first and "→" in first
    assert any(word in first for word in ("Complete", "Red", "Amber", "Green", "No RAG", "Cancelled"))
    assert any(word in first for word in ("late", "early", "On its baseline", "not known"))
    assert not dash_duo.find_element("#ms-gantt").is_displayed()
    # The phone is not sent the chart it would hide.
    assert dash_duo.driver.find_elements("css selector", "#ms-gantt .barlayer .point") == []
    set_width(dash_duo, 1280, 900)
    # Turned wide, the page asks for the chart and draws it, on the same page of the plan.
    dash_duo._wait_for(
        lambda driver: (
            dash_duo.find_element("#ms-gantt").is_displayed()
            and len(driver.find_elements("css selector", "#ms-gantt .barlayer .point")) >= 10
        ),
        timeout=10,
        msg="no chart drawn when wide",
    )
    assert not dash_duo.find_element("#ms-plan-list").is_displayed()
    assert dash_duo.get_logs() == []


def test_a_wide_screen_is_sent_the_chart_and_not_the_list_it_would_hide(dash_duo, app):
    open_as_viewer(dash_duo, app, "/milestones?project=transition", 1280, 900)
    dash_duo._wait_for(
        lambda driver: len(driver.find_elements("css selector", "#ms-gantt .barlayer .point")) >= 10,
        timeout=10,
        msg="no chart drawn",
    )
    assert dash_duo.driver.find_elements("css selector", "#ms-plan-list li") == []
    # Narrowed, the list arrives in the chart's place.
    set_width(dash_duo, 390, 844)
    dash_duo._wait_for(
        lambda driver: len(driver.find_elements("css selector", "#ms-plan-list li")) >= 10,
        timeout=10,
        msg="no list when narrow",
    )
    assert dash_duo.find_element("#ms-plan-list").is_displayed()
    assert dash_duo.get_logs() == []


def test_on_a_phone_a_table_shows_its_key_columns_and_a_rows_details_show_the_rest(dash_duo, app):
    open_as_viewer(dash_duo, app, "/milestones", 390, 844)
    scroll_to(dash_duo, "ms-table-section")
    dash_duo.wait_for_element("#ms-grid .ag-row")
    headings = lambda: [  # noqa: E731
        element.text
        for element in dash_duo.driver.find_elements("css selector", "#ms-grid .ag-header-cell-text")
        if element.is_displayed()
    ]
    dash_duo._wait_for(
        lambda driver: headings() == ["Milestone", "RAG", "Forecast end"], timeout=5, msg=f"{headings()}"
    )
    assert table_fits(dash_duo, "ms-grid")  # no sideways scrolling inside the table either

    cell = dash_duo.driver.find_element("css selector", "#ms-grid .ag-row[row-index='0'] [col-id='title']")
    dash_duo.driver.execute_script(
        "arguments[0].scrollIntoView({behavior: 'instant', block: 'center'})", cell
    )
    cell.click()
    dash_duo.wait_for_contains_text("#ms-grid-details", "Details of the row you chose")
    details = dash_duo.find_element("#ms-grid-details").text
    for heading in ("Project", "Owner", "Status", "Baseline end", "Slippage (working days)", "Last updated"):
        assert heading in details
    assert (
        dash_duo.driver.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;"
        )
        <= 0
    )

    # At a projector's width every column is back, project and milestone pinned as the rest scroll.
    set_width(dash_duo, 1400, 900)
    dash_duo._wait_for(lambda driver: "Owner" in headings(), timeout=5, msg="columns not back when wide")
    pinned = [
        element.text
        for element in dash_duo.driver.find_elements(
            "css selector", "#ms-grid .ag-pinned-left-header .ag-header-cell-text"
        )
    ]
    assert pinned == ["Project", "Milestone"]
    assert dash_duo.get_logs() == []


def test_a_tables_wide_text_column_keeps_its_width_on_a_wide_screen_and_shares_a_phones(dash_duo, app):
    """The saving lines' description flexes among more columns than a projector holds: it keeps the
    width it was made with rather than shrinking to a word a line, and on a phone fits beside the year."""
    open_as_viewer(dash_duo, app, "/savings", 1400, 900)
    scroll_to(dash_duo, "sv-lines")
    dash_duo.wait_for_element("#sv-grid .ag-row [col-id='description']")
    width = "return document.querySelector('#sv-grid .ag-header-cell[col-id=\"description\"]').offsetWidth"
    dash_duo._wait_for(
        lambda driver: driver.execute_script(width) >= 280, timeout=5, msg="description squeezed"
    )
    cell = dash_duo.find_element("#sv-grid .ag-row[row-index='0'] [col-id='description']")
    assert cell.text.startswith("Workforce cost reduction")
    assert cell.size["height"] < 150  # a few lines, not a word (or half a word) to a line

    set_width(dash_duo, 390, 844)
    dash_duo._wait_for(lambda driver: driver.execute_script(width) < 280, timeout=5, msg="not narrowed")
    assert table_fits(dash_duo, "sv-grid")
    assert dash_duo.get_logs() == []


BRIDGE_TEXT = """
var chart = document.querySelector('#sv-bridge .main-svg');
if (!chart) { return null; }
var box = chart.getBoundingClientRect();
function boxes(selector) {
  return Array.from(document.querySelectorAll(selector)).map(function (element) {
    var r = element.getBoundingClientRect();
    return {text: element.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom};
  });
}
return {
  left: box.left, right: box.right,
  amounts: boxes('#sv-bridge .point text'),
  names: boxes('#sv-bridge .annotation-text'),
  rowLabels: boxes('#sv-bridge .ytick text').filter(function (label) { return label.text; }),
  bars: boxes('#sv-bridge .point path'),
};
"""


def _overlap(a: dict, b: dict) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and b["top"] < a["bottom"]
    )


def test_on_a_phone_the_bridge_names_each_step_above_its_bar_and_shows_every_amount_whole(dash_duo, app):
    open_as_viewer(dash_duo, app, "/savings?org=barnet", 390, 844)
    scroll_to(dash_duo, "sv-bridge-heading")
    dash_duo.wait_for_contains_text("#sv-bridge-summary", "The forecast is")
    dash_duo._wait_for(
        lambda driver: (driver.execute_script(BRIDGE_TEXT) or {}).get("names"), timeout=10, msg="no bridge"
    )
    drawn = dash_duo.driver.execute_script(BRIDGE_TEXT)
    names = [name["text"] for name in drawn["names"]]
    assert names[0] == "Target" and names[-1] == "Forecast" and len(names) == len(drawn["bars"])
    assert drawn["rowLabels"] == []  # the names are above the bars, not beside them
    # Every amount reads whole, inside the chart, and clear of every name.
    assert len(drawn["amounts"]) == len(drawn["bars"])
    for amount in drawn["amounts"]:
        assert drawn["left"] <= amount["left"] and amount["right"] <= drawn["right"], amount
        assert not any(_overlap(amount, name) for name in drawn["names"]), amount
    # Each line the summary counts as short has a row of its own, even two whose names are cut alike.
    short = int(
        re.search(r"(\d+) lines are short", dash_duo.find_element("#sv-bridge-summary").text).group(1)
    )
    shortfalls = [amount for amount in drawn["amounts"] if amount["text"].startswith("Short £")]
    assert len(shortfalls) == short
    assert len({round(amount["top"]) for amount in drawn["amounts"]}) == len(drawn["amounts"])

    # A wide screen keeps each name beside its bar.
    set_width(dash_duo, 1280, 800)
    dash_duo.driver.get(dash_duo.server.url.rstrip("/") + "/savings?org=barnet")
    wait_until_loaded(dash_duo)
    scroll_to(dash_duo, "sv-bridge-heading")
    dash_duo._wait_for(
        lambda driver: (driver.execute_script(BRIDGE_TEXT) or {}).get("rowLabels"),
        timeout=10,
        msg="no bridge",
    )
    assert dash_duo.driver.execute_script(BRIDGE_TEXT)["names"] == []
    assert dash_duo.get_logs() == []
