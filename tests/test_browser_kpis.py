"""Headless Chromium: a lead reads the KPIs page, enters a value and uploads a file; a viewer cannot enter values."""

from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from tests.helpers.browser import scroll_to, sign_in

pytestmark = pytest.mark.browser


def test_lead_compares_constituencies_enters_a_value_and_uploads_a_file(dash_duo, app, tmp_path):
    dash_duo.start_server(app, navigate=False)
    sign_in(dash_duo, "cj.lead", "/kpis")
    dash_duo.wait_for_text_to_equal("h1", "KPIs")
    # Contacts resolved at first contact, Q2 2026/27 (illustrative seed): 4 Green, 4 Amber, 2 Red.
    dash_duo.wait_for_contains_text("#kpi-map-summary", "4 of 10 constituencies met the target")
    dash_duo.wait_for_contains_text("#kpi-trends-summary", "areas charted")
    scroll_to(dash_duo, "kpi-fun")
    dash_duo.wait_for_contains_text("#kpi-funnel-summary", "26% had a full assessment")
    assert "Illustrative data" in dash_duo.find_element("#kpi-definition").text

    # Choosing another KPI puts it in the URL and redraws the comparison.
    Select(dash_duo.find_element("#kpi-select")).select_by_value("CON-ADMISSIONS-65")
    dash_duo.wait_for_contains_text("#kpi-map-summary", "permanent admissions")
    assert "kpi=CON-ADMISSIONS-65" in dash_duo.driver.current_url

    # A bad value: the message sits next to the field and nothing is saved.
    Select(dash_duo.find_element("#kpi-entry-kpi")).select_by_value("CON-FIRST-CONTACT")
    Select(dash_duo.find_element("#kpi-entry-area")).select_by_value("ladywood")
    dash_duo.find_element("#kpi-entry-period").send_keys("Q3 2026/27")
    value = dash_duo.find_element("#kpi-entry-value")
    value.send_keys("150")
    dash_duo.find_element("#kpi-entry-save").send_keys(Keys.ENTER)
    dash_duo.wait_for_contains_text("#kpi-entry-value-error", "between 0 and 100")
    value.clear()
    value.send_keys("51.5")
    dash_duo.find_element("#kpi-entry-save").send_keys(Keys.ENTER)
    dash_duo.wait_for_contains_text("#kpi-entry-message", "Saved CON-FIRST-CONTACT")
    dash_duo.wait_for_contains_text("#kpi-entry-history", "CON-FIRST-CONTACT · Ladywood · Q3 2026/27: 51.5")
    # The new quarter becomes a choice of period.
    Select(dash_duo.find_element("#kpi-select")).select_by_value("CON-FIRST-CONTACT")
    dash_duo._wait_for(
        lambda driver: "Q3 2026/27" in [o.text for o in Select(dash_duo.find_element("#kpi-period")).options],
        timeout=10,
        msg="the new period was not offered",
    )

    # An upload with a bad row saves nothing and says which row is wrong.
    bad = tmp_path / "values.csv"
    bad.write_text(
        "kpi_code,area,period,value\nCON-FIRST-CONTACT,yardley,Q3 2026/27,55\nCON-NOPE,yardley,Q3 2026/27,1\n"
    )
    dash_duo.find_element("#kpi-upload input[type=file]").send_keys(str(bad))
    dash_duo.wait_for_contains_text("#kpi-upload-report", "Nothing was saved")
    assert "There is no KPI with the code “CON-NOPE”" in dash_duo.find_element("#kpi-upload-problems").text
    assert dash_duo.get_logs() == []


def test_viewer_sees_the_page_but_no_entry_form(dash_duo, app):
    dash_duo.start_server(app, navigate=False)
    sign_in(dash_duo, "cabinet.member", "/kpis?kpi=TR-EET")
    dash_duo.wait_for_contains_text("#kpi-map-summary", "measured for the city only")
    dash_duo.wait_for_contains_text("#kpi-trends-summary", "1 area charted")
    scroll_to(dash_duo, "kpi-exc")
    dash_duo.wait_for_contains_text("#kpi-exceptions-summary", "need attention")
    assert dash_duo.driver.find_elements(By.ID, "kpi-entry-save") == []
    assert dash_duo.driver.find_elements(By.ID, "kpi-upload") == []
    assert dash_duo.find_element("#kpi-dl-catalogue-csv").is_displayed()
    assert dash_duo.get_logs() == []


def _rows(dash_duo, grid_id: str) -> list[str]:
    """The first cell of each row the grid has drawn."""
    return dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0])).map(function (cell) {"
        " return cell.textContent.trim(); });",
        f"#{grid_id} .ag-center-cols-container .ag-row .ag-cell[col-id='area'], "
        f"#{grid_id} .ag-center-cols-container .ag-row .ag-cell[col-id='stage']",
    )


def _open(dash_duo, details: str, keyboard: bool = False) -> None:
    """Open a folded table: Enter on its summary, or a click on it as a pointer would."""
    summary = dash_duo.find_element(f"#{details} summary")
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", summary)
    if keyboard:
        summary.send_keys(Keys.ENTER)
    else:
        dash_duo.driver.execute_script("arguments[0].click();", summary)


def test_a_folded_table_has_no_rows_until_it_is_opened(dash_duo, app):
    dash_duo.start_server(app, navigate=False)
    sign_in(dash_duo, "cabinet.member", "/kpis?kpi=CON-ADMISSIONS-65")
    dash_duo.wait_for_contains_text("#kpi-map-summary", "constituencies met the target")
    dash_duo.wait_for_contains_text("#kpi-trends-summary", "areas charted")
    scroll_to(dash_duo, "kpi-exc")
    dash_duo.wait_for_element("#kpi-exceptions-grid .ag-row")
    scroll_to(dash_duo, "kpi-fun")
    dash_duo.wait_for_contains_text("#kpi-funnel-summary", "For Barnet")
    # The tables folded under the charts are closed and have drawn no rows.
    for details, grid in (
        ("kpi-comparison-table", "kpi-comparison-grid"),
        ("kpi-trends-table", "kpi-trends-grid"),
        ("kpi-funnel-table", "kpi-funnel-grid"),
    ):
        assert dash_duo.find_element(f"#{details}").get_attribute("open") is None
        assert _rows(dash_duo, grid) == []

    # Opened with a click: the ten constituencies and the city for the chosen period.
    _open(dash_duo, "kpi-comparison-table")
    dash_duo._wait_for(
        lambda driver: len(_rows(dash_duo, "kpi-comparison-grid")) == 11,
        timeout=10,
        msg="the opened comparison table did not show its 11 areas",
    )
    assert "Ladywood" in _rows(dash_duo, "kpi-comparison-grid")

    # Opened from the keyboard: the trend data, one row per area and period charted.
    _open(dash_duo, "kpi-trends-table", keyboard=True)
    dash_duo._wait_for(
        lambda driver: len(_rows(dash_duo, "kpi-trends-grid")) > 0,
        timeout=10,
        msg="the opened trends table showed no rows",
    )
    assert "Ladywood" in _rows(dash_duo, "kpi-trends-grid")
    # The funnel's stays closed, and empty, until it too is opened.
    assert _rows(dash_duo, "kpi-funnel-grid") == []
    _open(dash_duo, "kpi-funnel-table")
    dash_duo._wait_for(
        lambda driver: "Contacts" in _rows(dash_duo, "kpi-funnel-grid"),
        timeout=10,
        msg="the opened funnel table did not show its stages",
    )
    # Choosing another KPI while the comparison is open refills it for that KPI.
    Select(dash_duo.find_element("#kpi-select")).select_by_value("CON-FIRST-CONTACT")
    dash_duo.wait_for_contains_text("#kpi-map-summary", "contacts resolved")
    dash_duo._wait_for(
        lambda driver: len(_rows(dash_duo, "kpi-comparison-grid")) == 11,
        timeout=10,
        msg="the open comparison table was not refilled",
    )
    assert dash_duo.get_logs() == []


def test_the_sections_below_the_first_screen_are_drawn_when_scrolled_to(dash_duo, app):
    dash_duo.start_server(app, navigate=False)
    base = sign_in(dash_duo, "cabinet.member", "/kpis")
    dash_duo.wait_for_contains_text("#kpi-map-summary", "constituencies met the target")
    dash_duo.wait_for_contains_text("#kpi-trends-summary", "areas charted")
    time.sleep(1.5)  # long enough for any answer already asked for to arrive
    # Nobody has scrolled: the exceptions, the funnel and the catalogue have not been read.
    assert dash_duo.find_element("#kpi-exceptions-summary").text == ""
    assert dash_duo.find_element("#kpi-funnel-summary").text == ""
    assert dash_duo.find_element("#kpi-front-door").text == ""
    assert dash_duo.find_element("#kpi-catalogue-summary").text == ""
    assert dash_duo.driver.find_elements(By.CSS_SELECTOR, "#kpi-exceptions-grid .ag-row") == []

    # Scrolled to, the exceptions are read and drawn.
    scroll_to(dash_duo, "kpi-exc")
    dash_duo.wait_for_contains_text("#kpi-exceptions-summary", "need attention")
    dash_duo.wait_for_element("#kpi-exceptions-grid .ag-row")

    # The page's contents link to the catalogue lands on it and the catalogue is drawn there.
    dash_duo.driver.execute_script("window.scrollTo(0, 0);")
    dash_duo.find_element(".kpi-contents a[href='#kpi-cat']").send_keys(Keys.ENTER)
    dash_duo.wait_for_contains_text("#kpi-catalogue-summary", "KPIs")
    dash_duo.wait_for_element("#kpi-catalogue-grid .ag-row")

    def catalogue_at_top(driver) -> bool:
        top = driver.execute_script("return document.getElementById('kpi-cat').getBoundingClientRect().top;")
        return 0 <= top < 40  # the section keeps a little space above it (scroll-margin-top)

    dash_duo._wait_for(catalogue_at_top, timeout=10, msg="the contents link did not land on the catalogue")

    # A link straight to the funnel (as one shared from the page) draws it without scrolling first.
    dash_duo.driver.get(f"{base}/kpis?kpi=CON-ADMISSIONS-65#kpi-fun")
    dash_duo.wait_for_contains_text("#kpi-funnel-summary", "For Barnet")
    dash_duo.wait_for_contains_text("#kpi-front-door", "60,753")
    assert dash_duo.get_logs() == []
