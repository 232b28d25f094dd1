"""Headless Chromium: the cabinet member opens the board pack for a meeting, reads it and downloads it."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from tests.helpers.browser import sign_in

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
