"""Text that looks like markup, script or a spreadsheet formula is shown as text everywhere."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from dashboard import models as m
from dashboard.db import session_scope
from dashboard.figures import gantt as figures
from dashboard.queries import actions as action_queries
from dashboard.queries.milestones import MilestoneFilters, milestones
from tests.helpers import callback_request, find_callback
from tests.helpers.action_themes import open_themes, theme_areas, theme_ids
from tests.helpers.browser import scroll_to, sign_in

MARKUP = '<img src=x onerror="window.__xss=1">Review'
FORMULA = '=HYPERLINK("http://evil.example","click")'


def _plant():
    with session_scope() as db:
        db.execute(
            update(m.Milestone)
            .where(m.Milestone.key == "tr_joint_market_review")
            .values(title=MARKUP, commentary=FORMULA, owner="@owner+1")
        )


def test_gantt_hover_escapes_markup(database_url):
    _plant()
    frame = milestones(MilestoneFilters(search="onerror"), dt.date(2026, 11, 23))
    figure = figures.gantt(frame, dt.date(2026, 11, 23))
    text = json.dumps(figure, default=str)
    assert "<img" not in text
    assert "&lt;img" in text


def test_downloads_neutralise_formulas(app, login_as, database_url):
    _plant()
    client = login_as("admin")
    key = find_callback(app, "ms-download.data")
    values = {
        ("ms-filter-search", "value"): "onerror",
        ("ms-filter-baseline", "value"): "latest",
        ("ms-filter-flags", "value"): [],
        ("ms-grid", "virtualRowData"): None,
    }
    for button in ("ms-download-csv", "ms-download-xlsx"):
        body = callback_request(
            app, key, values={**values, (button, "n_clicks"): 1}, triggered=f"{button}.n_clicks"
        )
        data = json.loads(client.post("/_dash-update-component", json=body).get_data(as_text=True))
        content = base64.b64decode(data["response"]["ms-download"]["data"]["content"])
        if button.endswith("csv"):
            row = next(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
            commentary, owner = row["Commentary"], row["Owner"]
        else:
            sheet = load_workbook(io.BytesIO(content)).active
            header = [cell.value for cell in sheet[1]]
            cells = [cell.value for cell in sheet[2]]
            commentary, owner = cells[header.index("Commentary")], cells[header.index("Owner")]
        assert commentary == "'" + FORMULA
        assert owner == "'@owner+1"


@pytest.mark.browser
def test_markup_in_a_title_is_shown_as_text_in_the_page(dash_duo, app, database_url):
    _plant()
    dash_duo.start_server(app, navigate=False)
    base = sign_in(dash_duo, "admin", "/milestones?q=onerror")
    scroll_to(dash_duo, "ms-table-section")
    dash_duo.wait_for_contains_text("#ms-grid", "onerror")
    assert 'src=x onerror="window.__xss=1">Review' in dash_duo.find_element("#ms-grid").text
    assert dash_duo.driver.execute_script("return window.__xss === undefined;")
    dash_duo.driver.get(base + "/audit")
    dash_duo.wait_for_contains_text("#audit-count", "shown")
    assert dash_duo.driver.execute_script("return window.__xss === undefined;")
    # The board pack draws its tables as one block of markup each: the title is still text.
    dash_duo.driver.get(base + "/pack?meeting=2026-11-24")
    dash_duo.wait_for_contains_text("#pack-section-milestones", "onerror")
    assert 'src=x onerror="window.__xss=1">Review' in dash_duo.find_element("#pack-section-milestones").text
    assert dash_duo.driver.execute_script("return window.__xss === undefined;")
    assert not dash_duo.driver.find_elements("css selector", "#pack-section-milestones img")


def test_markup_in_the_letters_points_stays_text(app, login_as):
    with session_scope() as db:
        area = (
            db.query(m.ConsiderationArea)
            .filter(m.ConsiderationArea.kind.in_(action_queries.NEEDS_ACTION_KINDS))
            .first()
        )
        area.text = MARKUP
        action = db.query(m.ActionItem).first()
        action.title = 'Quote " and <b>bold</b>'
        if action not in area.actions:
            area.actions.append(action)
        theme = area.theme
    client = login_as("cabinet.member")
    areas = theme_areas(app, client, theme)
    item = theme_ids(areas)[0]["item"]
    text = json.dumps(open_themes(app, client, areas, [item])[item])
    assert "<img" not in text and "&lt;img src=x onerror=&#34;window.__xss=1&#34;&gt;Review" in text
    assert "<b>bold" not in text
    # The point says in words which recommendations answer it; action titles are left to the downloads.
    assert "Answered by " in text and "Quote" not in text


def test_markup_in_a_project_name_stays_text_in_the_savings_tables(app, login_as):
    with session_scope() as db:
        db.execute(update(m.Project).where(m.Project.key == "customer_journey").values(name=MARKUP))
    key = find_callback(app, "sv-url.search")
    response = login_as("cabinet.member").post(
        "/_dash-update-component", json=callback_request(app, key, values={("sv-refresh", "data"): 0})
    )
    assert response.status_code == 200
    body = json.loads(response.get_data(as_text=True))["response"]
    later = body["sv-later"]["data"]  # the parts drawn once reached
    tables = json.dumps([later["projects"], later["bridge_table"]])
    assert "&lt;img src=x onerror=&#34;window.__xss=1&#34;&gt;Review" in tables
    assert "<img" not in tables


def test_markup_in_an_action_title_stays_text_in_the_action_plan(app, login_as):
    with session_scope() as db:
        action = db.query(m.ActionItem).first()
        action.title = MARKUP
        action.owner = '"><script>window.__xss=1</script>'
    key = find_callback(app, "act-url.search", "act-sections.children")
    values = {
        ("act-filter-rec", "value"): None,
        ("act-filter-theme", "value"): None,
        ("act-filter-owner", "value"): None,
        ("act-filter-status", "value"): None,
        ("act-filter-project", "value"): None,
        ("act-filter-flags", "value"): [],
        ("act-asat", "value"): None,
        ("act-refresh", "data"): 0,
    }
    response = login_as("cabinet.member").post(
        "/_dash-update-component", json=callback_request(app, key, values=values)
    )
    sections = json.dumps(json.loads(response.get_data(as_text=True))["response"]["act-sections"])
    assert "&lt;img src=x onerror=&#34;window.__xss=1&#34;&gt;Review" in sections
    assert "<img" not in sections and "<script>" not in sections
    assert 'aria-label=\\"View &lt;img' in sections  # the View button's label is escaped too
