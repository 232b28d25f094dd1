"""Hostile text typed by leads, stored through every write path, read by the cabinet member.

The text appears as typed, line breaks included; no element the user did not type appears (no link,
image or heading); tables keep their shape; and the viewer is still signed in afterwards.
"""

from __future__ import annotations

import base64
import contextlib
import csv
import datetime as dt
import io
import json

import pytest
from openpyxl import load_workbook
from selenium.common.exceptions import TimeoutException
from sqlalchemy import select

from dashboard import models as m
from dashboard.db import session_scope
from dashboard.services import actions as action_services
from dashboard.services import importer
from dashboard.services import milestones as milestone_services
from dashboard.services import savings as saving_services
from dashboard.services.board import add_board_meeting
from dashboard.services.core import SYSTEM
from tests.helpers import callback_request, find_callback, user
from tests.helpers.browser import sign_in
from tests.helpers.hostile_text import ENTITIES, HOSTILE, MARKUP, NOTE, RTL

pytestmark = pytest.mark.browser

TODAY = "2026-11-23"

# Read in the browser: elements no user typed, the script's flag, tables out of shape, the text.
PAGE_STATE = """
const main = document.querySelector('main') || document.body;
const injected = [];
main.querySelectorAll('a[href*="example.org"], a[href="/logout"], img').forEach(
  e => injected.push(e.outerHTML.slice(0, 80)));
main.querySelectorAll('h1, h2, h3, h4, h5, h6, li').forEach(e => {
  const text = e.textContent.trim();
  if (['Heading one', 'Big', 'a list item'].includes(text)) injected.push(e.outerHTML.slice(0, 80));
});
main.querySelectorAll('b').forEach(e => { if (e.textContent === 'bold') injected.push(e.outerHTML); });
const misshapen = [];
main.querySelectorAll('table').forEach(table => {
  const width = row => Array.from(row.cells).reduce((n, c) => n + (c.colSpan || 1), 0);
  const head = table.tHead && table.tHead.rows[0];
  if (!head) return;
  Array.from(table.tBodies).forEach(body => Array.from(body.rows).forEach(row => {
    if (width(row) !== width(head)) misshapen.push(row.innerText.slice(0, 80));
  }));
});
return {injected: injected, xss: window.__xss || null, misshapen: misshapen, text: main.innerText,
        signedIn: !!document.querySelector('#signed-in-user')};
"""


def _store_hostile_text() -> dict:
    """The hostile text through each write path a lead or the programme office uses."""
    lead, admin = user("cj.lead"), user("admin")
    with session_scope() as db:
        led = set(lead.led_project_ids)
        milestone = db.scalars(
            select(m.Milestone).where(m.Milestone.project_id.in_(led), m.Milestone.retired.is_(False))
        ).first()
        action = db.scalars(select(m.ActionItem).where(m.ActionItem.project_id.in_(led))).first()
        line = db.scalars(select(m.SavingLine).where(m.SavingLine.project_id.in_(led))).first()
        project_key = db.get(m.Project, milestone.project_id).key
        ids = {"milestone": milestone.id, "action": action.id, "line": line.id}
        versions = {"milestone": milestone.version, "action": action.version, "line": line.version}
        recommendation = db.get(m.Recommendation, action.recommendation_id).number
    milestone_services.update_milestone(
        lead, ids["milestone"], {"commentary": HOSTILE}, versions["milestone"]
    )
    version = action_services.update_action(
        lead, ids["action"], {"owner": MARKUP[:120], "evidence_summary": HOSTILE}, versions["action"]
    )
    action_services.add_progress_note(lead, ids["action"], TODAY, HOSTILE, False, dt.date(2026, 11, 23))
    saving_services.update_saving_line(
        lead, ids["line"], {"confidence": "Low", "confidence_reason": NOTE}, versions["line"]
    )
    add_board_meeting(admin, "2027-01-05", title=MARKUP[:200])
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(["Project", "Milestone", "Baseline end", "Commentary"])
    writer.writerow([project_key, "Imported <h1>milestone</h1>", "Sept 2027", NOTE])
    importer.import_file(SYSTEM, "milestones", "hostile.csv", rows.getvalue().encode())
    return {"recommendation": recommendation, "action_version": version, **ids}


def _read(dash_duo, url: str, texts: list[str]) -> dict:
    """The page's state once it has settled and shows `texts` (or after 15 s without them)."""
    dash_duo.driver.get(url)
    dash_duo.wait_for_element("main#main h1")
    script = (
        "const text = (document.querySelector('main') || document.body).innerText;"
        "return !document.querySelector('._dash-loading, [data-dash-is-loading=\"true\"]')"
        " && arguments[0].every(t => text.includes(t));"
    )
    with contextlib.suppress(TimeoutException):  # the state read below says what is missing
        dash_duo._wait_for(lambda driver: driver.execute_script(script, texts), timeout=15, msg=url)
    return dash_duo.driver.execute_script(PAGE_STATE)


def test_hostile_text_is_shown_as_typed_everywhere_the_viewer_reads_it(dash_duo, app):
    stored = _store_hostile_text()
    dash_duo.start_server(app, navigate=False)
    base = sign_in(dash_duo, "cabinet.member")

    # Where each piece of typed text must appear, line breaks included.
    expected = {
        f"/actions?rec={stored['recommendation']}": [NOTE.split("\n\n# ")[0], MARKUP, ENTITIES, RTL],
        "/actions?view=publish": [NOTE.split("\n\n# ")[0], MARKUP, RTL],
        "/audit": [MARKUP, "Imported <h1>milestone</h1>"],
        "/": [],
        "/milestones": ["Imported <h1>milestone</h1>"],
        "/savings": [],
        "/kpis": [],
        "/benchmarking": [],
        "/pack": [MARKUP],
    }
    problems = {}
    for path, texts in expected.items():
        state = _read(dash_duo, base + path, texts)
        missing = [text[:40] for text in texts if text not in state["text"]]
        found = {key: state[key] for key in ("injected", "xss", "misshapen") if state[key]}
        if missing:
            found["missing"] = missing
        if not state["signedIn"]:
            found["signed out"] = True
        if found:
            problems[path] = found
    assert dash_duo.get_logs() == []
    assert problems == {}
    # Still signed in: the session works for a request after every page was read.
    assert dash_duo.driver.execute_script("return fetch('/_dash-layout').then(r => r.status);") == 200


def test_downloads_hold_the_typed_text_in_one_cell(app, login_as):
    stored = _store_hostile_text()
    client = login_as("cabinet.member")
    key = find_callback(app, "act-download.data")
    texts = set()
    for button in ("act-download-actions-xlsx", "act-download-actions-csv"):
        body = callback_request(app, key, values={(button, "n_clicks"): 1}, triggered=f"{button}.n_clicks")
        response = client.post("/_dash-update-component", json=body)
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        content = base64.b64decode(
            json.loads(response.get_data(as_text=True))["response"]["act-download"]["data"]["content"]
        )
        if button.endswith("xlsx"):
            sheet = load_workbook(io.BytesIO(content)).active
            texts |= {cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)}
        else:
            rows = csv.reader(io.StringIO(content.decode("utf-8-sig")))
            texts |= {value for row in rows for value in row}
    assert HOSTILE in texts
    assert stored["action"]
