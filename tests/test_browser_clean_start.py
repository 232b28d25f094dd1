"""Headless Chromium on a production database as it starts: reference data only, no programme.

Each role signs in (accounts made the production way, with `create-user`) and visits every page: each
says plainly what is missing and how it is added, draws no chart (no blank chart, no empty axes), shows
no error, and the browser logs nothing. The board pack of a meeting recorded on that empty programme
opens and downloads.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from sqlalchemy.engine import make_url

from dashboard.web import create_app
from tests.helpers import settings_for
from tests.helpers.browser import set_date, sign_in

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
MEETING = "2026-12-01"
ACCOUNTS = {  # username → (role, password), made with create-user as production would
    "programme.office": ("admin", "first-admin-password-1"),
    "project.lead": ("lead", "first-lead-password-1"),
    "cabinet.viewer": ("viewer", "first-viewer-password-1"),
}
# Each page → the words of its notice: what is missing.
NOTHING_YET = {
    "/": "Nothing recorded yet",
    "/milestones": "No milestones yet",
    "/actions": "No actions yet",
    "/actions?view=publish": "No actions to publish yet",
    "/savings": "No savings yet",
    "/kpis": "No KPI values yet",
    "/benchmarking": "No ASCOF benchmarking figures yet",
    "/pack": "No board meetings yet",
    "/import": "Load the programme first",
    f"/pack?meeting={MEETING}": "Nothing to report yet",
}
# …and how it is added (a command on the server, the Import page, a form).
HOW_TO_ADD = {
    "/": "python -m dashboard seed documents",
    "/milestones": "python -m dashboard seed documents",
    "/actions": "python -m dashboard seed documents",
    "/actions?view=publish": "Import page",
    "/savings": "python -m dashboard seed documents",
    "/kpis": "Enter values",
    "/benchmarking": "Import page",
    "/pack": "Record a board meeting",
    "/import": "python -m dashboard seed documents",
    f"/pack?meeting={MEETING}": "python -m dashboard seed documents",
}


def _cli(url: str, *args: str, stdin: str | None = None) -> str:
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "x" * 40, "DASHBOARD_ENV": "production"}
    result = subprocess.run(
        [sys.executable, "-m", "dashboard", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def production_template(tmp_path_factory):
    """A production database straight after `init-db`, with three accounts from `create-user`."""
    path = tmp_path_factory.mktemp("clean-start") / "production.db"
    url = f"sqlite:///{path}"
    _cli(url, "init-db")
    for username, (role, password) in ACCOUNTS.items():
        _cli(url, "create-user", username, "--role", role, "--password-stdin", stdin=password + "\n")
    return url


@pytest.fixture
def empty_app(production_template, tmp_path):
    copy = tmp_path / "empty.db"
    shutil.copyfile(make_url(production_template).database, copy)
    # Served over plain http here, so development cookies; the database is production's.
    return create_app(settings_for(f"sqlite:///{copy}"))


def _settled(dash_duo) -> None:
    dash_duo.wait_for_element("main#main h1")
    dash_duo._wait_for(
        lambda driver: driver.execute_script("return !document.querySelector('._dash-loading');"),
        timeout=20,
        msg="page still loading",
    )
    # The page's callbacks have answered: nothing is still being drawn.
    dash_duo._wait_for(
        lambda driver: driver.execute_script(
            "return !document.querySelector('[data-dash-is-loading=\"true\"]');"
        ),
        timeout=20,
        msg="callbacks still running",
    )


def _serious_accessibility_problems(dash_duo) -> list[str]:
    """axe-core's serious and critical WCAG 2.2 AA findings on the page as it stands."""
    dash_duo.driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = dash_duo.driver.execute_script(
        "return axe.run(document, arguments[0]);", {"runOnly": {"type": "tag", "values": WCAG_TAGS}}
    )
    return [
        f"{violation['id']}: {violation['help']}"
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def _visit(dash_duo, base: str, path: str) -> dict:
    dash_duo.driver.get(base + path)
    _settled(dash_duo)
    dash_duo.wait_for_contains_text("#empty-state", NOTHING_YET[path], timeout=15)
    problems = _serious_accessibility_problems(dash_duo)
    return {"accessibility": problems} | dash_duo.driver.execute_script(
        "var main = document.querySelector('main#main');"
        "var graphs = Array.from(document.querySelectorAll('.dash-graph, .js-plotly-plot'));"
        "return {"
        "  text: main.innerText,"
        "  notice: document.getElementById('empty-state').innerText,"
        "  graphs: graphs.filter(function (g) { return g.offsetParent !== null; }).length,"
        "  alert: (document.getElementById('app-alert') || {innerText: ''}).innerText"
        "};"
    )


def _record_meeting(dash_duo, username: str, app) -> None:
    """The board meeting an administrator records on the overview (for other roles, as one did)."""
    if ACCOUNTS[username][0] == "admin":
        set_date(dash_duo, "ov-meeting-date", MEETING)
        # Clicked as a keyboard user would press it: the overview is still laying itself out below.
        dash_duo.driver.execute_script("arguments[0].click();", dash_duo.find_element("#ov-meeting-save"))
        dash_duo.wait_for_contains_text("#ov-meeting-message", "Added the meeting of 1 Dec 2026", timeout=15)
        return
    from dashboard import services
    from dashboard.services.board import add_board_meeting

    add_board_meeting(services.SYSTEM, MEETING)


@pytest.mark.parametrize("username", list(ACCOUNTS), ids=[role for role, _ in ACCOUNTS.values()])
def test_every_page_on_an_empty_programme_says_what_is_missing(dash_duo, empty_app, username):
    dash_duo.start_server(empty_app, navigate=False)
    base = sign_in(dash_duo, username, password=ACCOUNTS[username][1])
    seen = {}
    for path in NOTHING_YET:
        if path.startswith("/pack?"):
            continue
        seen[path] = _visit(dash_duo, base, path)

    # The audit trail is not empty: creating the accounts is its first entry.
    dash_duo.driver.get(base + "/audit")
    _settled(dash_duo)
    dash_duo.wait_for_contains_text("#audit-count", "shown", timeout=15)
    assert "User added" in dash_duo.find_element("main#main").text

    # A board meeting on that empty programme: its pack opens, says why it is empty, and downloads.
    dash_duo.driver.get(base + "/")
    _settled(dash_duo)
    _record_meeting(dash_duo, username, empty_app)
    pack = f"/pack?meeting={MEETING}"
    seen[pack] = _visit(dash_duo, base, pack)
    dash_duo.wait_for_text_to_equal("#pack-title", "Programme board, 1 Dec 2026")
    sections = {
        section.get_attribute("id"): section.text
        for section in dash_duo.driver.find_elements(By.CSS_SELECTOR, ".pack-section")
    }
    assert "No milestones are recorded." in sections["pack-section-milestones"]
    assert "No actions are recorded." in sections["pack-section-actions"]
    assert "No saving lines are recorded." in sections["pack-section-savings"]
    dash_duo.find_element("#pack-download-xlsx").click()
    dash_duo.wait_for_contains_text("#pack-status", "is ready", timeout=30)
    assert f"board-pack-{MEETING}.xlsx" in dash_duo.find_element("#pack-status").text

    for path, page in seen.items():
        assert HOW_TO_ADD[path] in page["notice"], (path, page["notice"])
        assert page["graphs"] == 0, f"{path} draws a chart with nothing in it"
        assert page["alert"] == "", (path, page["alert"])
        assert page["accessibility"] == [], (path, page["accessibility"])
        assert "Something went wrong" not in page["text"] and "Traceback" not in page["text"], path
    assert dash_duo.get_logs() == []
