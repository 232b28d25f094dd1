"""Headless Chromium: the cabinet member opens the board pack for a meeting, reads it and downloads it;
a long plan's pack lists its first milestones and links to the rest."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from dashboard.reports.pack.blocks import PACK_ROWS
from tests.helpers.browser import sign_in
from tests.helpers.long_plan import add_milestones

pytestmark = pytest.mark.browser


def test_cabinet_member_reads_and_downloads_the_board_pack(dash_duo, app):
    dash_duo.start_server(app, navigate=False)
    sign_in(dash_duo, "cabinet.member", "/pack?meeting=2026-11-24")
    dash_duo.wait_for_text_to_equal("h1", "Board pack")
    dash_duo.wait_for_text_to_equal("#pack-title", "Programme board, 24 Nov 2026")
    assert dash_duo.find_element("#pack-meeting").get_attribute("value") == "2026-11-24"

    headings = [
        element.text for element in dash_duo.driver.find_elements(By.CSS_SELECTOR, ".pack-section h3")
    ]
    assert headings == [
        "Summary",
        "Milestones",
        "Peer challenge actions",
        "Savings against targets",
        "KPIs",
        "Self-assessment",
        "Changes since the last board",
        "Updates owed and late",
    ]
    assert "Conduct TU consultation" in dash_duo.find_element("#pack-section-milestones").text
    # Every printed section repeats the meeting's date at its top.
    running = dash_duo.driver.find_elements(By.CSS_SELECTOR, ".pack-section .pack-running-header")
    assert len(running) == 8 and all("24 Nov 2026" in element.text for element in running)

    dash_duo.find_element("#pack-download-xlsx").click()
    dash_duo.wait_for_contains_text("#pack-status", "is ready", timeout=30)
    assert "board-pack-2026-11-24.xlsx" in dash_duo.find_element("#pack-status").text
    assert dash_duo.find_element("#pack-download-xlsx").is_enabled()
    assert dash_duo.get_logs() == []


def test_another_meeting_shows_the_pack_as_opening_that_meeting_would(dash_duo, app):
    dash_duo.start_server(app, navigate=False)
    sign_in(dash_duo, "cabinet.member", "/pack?meeting=2026-11-24")
    dash_duo.wait_for_text_to_equal("#pack-title", "Programme board, 24 Nov 2026")
    updates = "#pack-section-updates-owed-and-late"
    dash_duo.wait_for_contains_text(updates, "Updates for the board of 24 Nov 2026 were due by")

    Select(dash_duo.find_element("#pack-meeting")).select_by_value("2026-11-10")
    dash_duo.wait_for_text_to_equal("#pack-title", "Programme board, 10 Nov 2026")
    dash_duo.wait_for_contains_text(updates, "Updates for the board of 10 Nov 2026 were due by")
    assert dash_duo.driver.current_url.endswith("/pack?meeting=2026-11-10")
    changed = dash_duo.find_element("#pack-document").text
    assert "Changes since the board of 3 Nov 2026" in changed
    assert "24 Nov 2026" not in changed
    running = dash_duo.driver.find_elements(By.CSS_SELECTOR, ".pack-section .pack-running-header")
    assert len(running) == 8 and all("10 Nov 2026" in element.text for element in running)

    # Word for word what opening that meeting's pack shows.
    dash_duo.driver.get(dash_duo.server.url.rstrip("/") + "/pack?meeting=2026-11-10")
    dash_duo.wait_for_text_to_equal("#pack-title", "Programme board, 10 Nov 2026")
    dash_duo.wait_for_contains_text(updates, "Updates for the board of 10 Nov 2026 were due by")
    assert dash_duo.find_element("#pack-document").text == changed
    assert dash_duo.get_logs() == []


def test_a_long_plan_shows_its_first_milestones_and_the_link_opens_the_rest(dash_duo, app, database_url):
    add_milestones(PACK_ROWS)
    total = 33 + PACK_ROWS
    dash_duo.start_server(app, navigate=False)
    sign_in(dash_duo, "cabinet.member", "/pack?meeting=2026-11-24")
    dash_duo.wait_for_contains_text(
        "#pack-section-milestones", f"Showing the first {PACK_ROWS} of {total} milestones.", timeout=20
    )
    section = dash_duo.find_element("#pack-section-milestones")
    assert len(section.find_elements(By.CSS_SELECTOR, "table tbody tr")) == PACK_ROWS
    more = section.find_element(By.CSS_SELECTOR, ".pack-more")
    assert more.text == f"and {total - PACK_ROWS} more — see the milestones page"
    link = more.find_element(By.LINK_TEXT, "the milestones page")
    # Far down a long page: clicked as a keyboard user would follow it, wherever the page has scrolled.
    dash_duo.driver.execute_script("arguments[0].focus(); arguments[0].click();", link)
    dash_duo.wait_for_text_to_equal("h1", "Milestones")
    assert dash_duo.driver.current_url.endswith("/milestones")
    assert dash_duo.get_logs() == []
