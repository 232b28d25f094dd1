"""Headless Chromium: an admin uploads a small CSV of milestones, checks it, imports it and sees the result."""

from __future__ import annotations

import pytest
from selenium.webdriver.support.ui import Select

from tests.helpers.browser import sign_in

pytestmark = pytest.mark.browser


def test_admin_checks_and_imports_a_csv(dash_duo, app, tmp_path):
    tracker = tmp_path / "tracker.csv"
    tracker.write_text(
        "Project,Milestone,Baseline end,Status\ntransition,Browser imported milestone ,Sept 2027,Not started\n"
        ",,,\nTotal,,,\n"
    )
    dash_duo.start_server(app, navigate=False)
    sign_in(dash_duo, "admin", "/import")
    dash_duo.wait_for_text_to_equal("h1", "Import")

    Select(dash_duo.find_element("#import-kind")).select_by_value("milestones")
    dash_duo.find_element("#import-upload input[type=file]").send_keys(str(tracker))
    dash_duo.wait_for_contains_text("#import-report", "Chosen: tracker.csv")
    assert not dash_duo.find_element("#import-run").is_enabled()
    dash_duo.find_element("#import-check").click()
    dash_duo.wait_for_contains_text("#import-report", "ready to import (Milestones): 1 new")
    # The preview: which heading goes to which field, and the row as it will be stored.
    mapping = dash_duo.find_element("#import-mapping").text
    assert "Baseline end Baseline end" in mapping and "Milestone Milestone" in mapping
    preview = dash_duo.find_element("#import-report-table").text
    assert "Baseline end date: 30 Sep 2027" in preview and "Status: Not started" in preview
    assert (
        "Row 4 (“Total”) is not imported: it is a totals row." in dash_duo.find_element("#import-report").text
    )
    dash_duo._wait_for(
        lambda driver: dash_duo.find_element("#import-run").is_enabled(),
        timeout=10,
        msg="Import did not become available after a good check",
    )
    dash_duo.find_element("#import-run").click()
    dash_duo.wait_for_contains_text("#import-report", "Imported Milestones from tracker.csv: 1 new")
    assert "Browser imported milestone" in dash_duo.find_element("#import-report-table").text
    assert dash_duo.get_logs() == []
