"""Headless Chromium: a lead updates a milestone and sees it on the Gantt and in the audit; a viewer cannot edit."""

from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from tests.helpers.browser import scroll_to, sign_in

pytestmark = pytest.mark.browser

MILESTONE = "Comprehensive joint market review"  # a Transition milestone (004 §5.4.4)


def set_date(dash_duo, element_id: str, iso_date: str) -> None:
    """Fill a date input as the browser's date picker would (its typed format depends on the OS locale)."""
    dash_duo.driver.execute_script(
        "var input = document.getElementById(arguments[0]);"
        "var setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;"
        "setter.call(input, arguments[1]);"
        "input.dispatchEvent(new Event('input', {bubbles: true}));"
        "input.dispatchEvent(new Event('change', {bubbles: true}));",
        element_id,
        iso_date,
    )


def gantt_hover_label(dash_duo, title: str) -> str:
    """The hover label plotly draws over the forecast bar of the milestone whose title starts with `title`,
    a line of text per line of the label ("" while the chart has no such bar)."""
    return dash_duo.driver.execute_script(
        "var g = document.querySelector('#ms-gantt .js-plotly-plot');"
        "var traces = (g && g.data) || [];"
        "for (var c = 0; c < traces.length; c++) {"
        "  if (traces[c].name !== 'Forecast / actual') { continue; }"
        "  var points = traces[c].customdata || [];"
        "  for (var p = 0; p < points.length; p++) {"
        "    if (String(points[p][1]).indexOf(arguments[0]) !== 0) { continue; }"
        "    Plotly.Fx.hover(g, [{curveNumber: c, pointNumber: p}]);"
        "    var lines = g.querySelectorAll('.hoverlayer .hovertext text tspan.line');"
        "    return Array.prototype.map.call(lines, function (line) { return line.textContent; }).join('\\n');"
        "  }"
        "}"
        "return '';",
        title,
    )


def table_forecast_ends(dash_duo) -> dict:
    """{milestone title: forecast end} of the rows the table holds (every page of it)."""
    return dash_duo.driver.execute_script(
        "var api = window.dash_ag_grid && dash_ag_grid.getApi && dash_ag_grid.getApi('ms-grid');"
        "var rows = {}; if (api) { api.forEachNode(function (node) {"
        "  rows[node.data.title] = node.data.forecast_end; }); }"
        "return rows;"
    )


def test_lead_updates_a_milestone_and_sees_it_on_the_gantt_and_in_the_audit(dash_duo, app):
    dash_duo.start_server(app, navigate=False)
    base = sign_in(dash_duo, "transition.lead", "/milestones?project=transition")
    dash_duo.wait_for_text_to_equal("h1", "Milestones")
    dash_duo.wait_for_contains_text("#ms-gantt-summary", "17 milestones shown")
    # The table is filled after the chart, from the URL the page settled on, once scrolled to.
    scroll_to(dash_duo, "ms-table-section")
    dash_duo.wait_for_contains_text("#ms-grid", MILESTONE)
    assert len(table_forecast_ends(dash_duo)) == 17
    # Hovering over the milestone's forecast bar tells its whole story in words.
    hover = gantt_hover_label(dash_duo, MILESTONE).split("\n")
    assert hover[0].startswith(MILESTONE), hover
    assert hover[1].startswith("Project: Transition Project"), hover
    assert [line.split(": ")[0] for line in hover[2:5]] == ["Status", "RAG", "Baseline"], hover
    assert hover[5].split(": ")[0] in ("Forecast", "Actual", "Forecast / actual"), hover
    assert hover[6].startswith("Slippage: "), hover

    # Choose the milestone to update (only the lead's own milestones are offered).
    choices = Select(dash_duo.find_element("#ms-edit-select"))
    dash_duo._wait_for(lambda driver: len(choices.options) > 1, timeout=10, msg="no milestones offered")
    offered = [option.text for option in choices.options if option.get_attribute("value")]
    assert all(text.startswith("Transition Project") for text in offered), offered
    choices.select_by_visible_text(next(text for text in offered if MILESTONE in text))
    dash_duo.wait_for_contains_text("#ms-edit-context", MILESTONE)

    set_date(dash_duo, "ms-edit-forecast_end", "2027-01-29")
    percent = dash_duo.find_element("#ms-edit-percent_complete")
    percent.clear()
    percent.send_keys("150")
    dash_duo.find_element("#ms-edit-save").send_keys(Keys.ENTER)
    # Invalid: the message sits next to the field and nothing is saved.
    dash_duo.wait_for_contains_text("#ms-edit-percent_complete-error", "whole number between 0 and 100")
    dash_duo.wait_for_contains_text("#ms-edit-summary", "There is a problem")

    percent.clear()
    percent.send_keys("90")
    rag_reason = dash_duo.find_element("#ms-edit-rag_reason")
    rag_reason.send_keys("Report moved to January with partners' agreement")
    dash_duo.find_element("#ms-edit-save").send_keys(Keys.ENTER)
    dash_duo.wait_for_contains_text("#ms-edit-saved", "Saved at")
    assert dash_duo.find_element("#ms-edit-percent_complete-error").text == ""
    # The panel's version line and change history show the save without reloading the page.
    dash_duo.wait_for_contains_text("#ms-edit-context", "by transition.lead")
    history = dash_duo.find_element("#ms-edit-history").get_attribute("textContent")
    assert "transition.lead · Percentage complete" in history, history

    # The Gantt redraws with the new forecast end.
    dash_duo.wait_for_contains_text("#ms-gantt-summary", "17 milestones shown")
    dash_duo._wait_for(
        lambda driver: "29 Jan 2027" in gantt_hover_label(dash_duo, MILESTONE),
        timeout=10,
        msg="the Gantt did not show the new forecast end",
    )
    # And so does the table.
    dash_duo._wait_for(
        lambda driver: (
            [end for title, end in table_forecast_ends(dash_duo).items() if title.startswith(MILESTONE)]
            == ["2027-01-29"]
        ),
        timeout=10,
        msg="the table did not show the new forecast end",
    )

    # The change is in the audit trail, attributed to the lead.
    dash_duo.driver.get(f"{base}/audit?person=transition.lead")
    dash_duo.wait_for_contains_text("#audit-grid", "29 Jan 2027")
    grid_text = dash_duo.find_element("#audit-grid").text
    assert "transition.lead" in grid_text and MILESTONE in grid_text
    assert dash_duo.get_logs() == []


def test_viewer_sees_no_edit_control(dash_duo, app):
    dash_duo.start_server(app, navigate=False)
    sign_in(dash_duo, "cabinet.member", "/milestones")
    dash_duo.wait_for_contains_text("#ms-gantt-summary", "milestones shown")
    assert dash_duo.driver.find_elements(By.ID, "ms-edit-select") == []
    assert dash_duo.driver.find_elements(By.ID, "ms-edit-save") == []
    assert dash_duo.driver.find_elements(By.ID, "ms-add-save") == []
    # Downloads are for everyone.
    assert dash_duo.find_element("#ms-download-csv").is_displayed()
    assert dash_duo.get_logs() == []


def table_projects(dash_duo) -> set:
    """The projects of the rows the table holds (an empty set before it has any)."""
    return set(
        dash_duo.driver.execute_script(
            "var api = window.dash_ag_grid && dash_ag_grid.getApi && dash_ag_grid.getApi('ms-grid');"
            "var projects = []; if (api) { api.forEachNode(function (node) { projects.push(node.data.project); }); }"
            "return projects;"
        )
    )


def test_the_table_follows_a_filter_chosen_before_and_after_it_is_reached(dash_duo, app):
    dash_duo.start_server(app, navigate=False)
    sign_in(dash_duo, "cabinet.member", "/milestones")
    dash_duo.wait_for_contains_text("#ms-gantt-summary", "milestones shown")
    projects = Select(dash_duo.find_element("#ms-filter-project"))
    first, second = [option.text for option in projects.options if option.text not in ("", "All")][:2]
    # A project chosen while the table is still below the screen: the chart follows at once...
    projects.select_by_visible_text(first)
    dash_duo._wait_for(lambda driver: "project=" in driver.current_url, timeout=10, msg="no project chosen")
    time.sleep(1)  # long enough for any answer already asked for to arrive
    assert table_projects(dash_duo) == set()  # nobody has scrolled to the table
    # ...and the table, once reached, holds that project's milestones only.
    scroll_to(dash_duo, "ms-table-section")
    dash_duo._wait_for(
        lambda driver: table_projects(dash_duo) == {first}, timeout=10, msg="table not of the project"
    )
    # Once reached it follows each change.
    Select(dash_duo.find_element("#ms-filter-project")).select_by_visible_text(second)
    dash_duo._wait_for(
        lambda driver: table_projects(dash_duo) == {second}, timeout=10, msg="table did not follow"
    )
    assert dash_duo.get_logs() == []
