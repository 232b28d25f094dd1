"""The audit page over HTTP: a long history is drawn newest first, counted whole, downloaded whole."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import json

from sqlalchemy import func, insert, select

from dashboard import models as m
from dashboard.db import session_scope
from tests.conftest import callback_request, find_callback

FILTERS = ("person", "entity", "project", "from", "to")


def _history(count: int) -> int:
    """`count` more changes by one person; returns how many changes there are now."""
    start = dt.datetime(2026, 1, 1, 9, 0)
    with session_scope() as db:
        db.execute(
            insert(m.AuditEvent),
            [
                {
                    "at": start + dt.timedelta(minutes=number),
                    "username": "history.person",
                    "action": "update",
                    "entity": "milestone",
                    "entity_id": 1,
                    "field": "commentary",
                    "old_value": f"note {number}",
                    "new_value": f"note {number + 1}",
                }
                for number in range(count)
            ],
        )
        return int(db.scalar(select(func.count(m.AuditEvent.id))))


def _values(**chosen):
    return {(f"audit-filter-{name}", "value"): chosen.get(name) for name in FILTERS}


def test_a_long_history_shows_the_newest_and_says_how_many_there_are(app, login_as):
    total = _history(650)
    client = login_as("cabinet.member")
    key = find_callback(app, "audit-grid.rowData")
    response = client.post("/_dash-update-component", json=callback_request(app, key, values=_values()))
    body = json.loads(response.get_data(as_text=True))["response"]
    rows = body["audit-grid"]["rowData"]
    assert len(rows) == 500
    mine = [row["new_value"] for row in rows if row["username"] == "history.person"]
    assert mine[:2] == ["note 650", "note 649"]  # the newest first
    assert body["audit-count"]["children"].startswith(f"The newest 500 of {total:,} changes are shown")

    narrowed = client.post(
        "/_dash-update-component",
        json=callback_request(app, key, values=_values(person="admin")),
    )
    count = json.loads(narrowed.get_data(as_text=True))["response"]["audit-count"]["children"]
    assert count.endswith("shown, newest first.")

    download = find_callback(app, "audit-download.data")
    values = {(f"audit-filter-{name}", "value"): None for name in FILTERS}
    values[("audit-download-csv", "n_clicks")] = 1
    response = client.post(
        "/_dash-update-component",
        json=callback_request(app, download, values=values, triggered="audit-download-csv.n_clicks"),
    )
    data = json.loads(response.get_data(as_text=True))["response"]["audit-download"]["data"]
    content = base64.b64decode(data["content"]).decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(content)))) - 1 == total


def test_a_project_filter_counts_only_that_projects_changes(app, login_as):
    _history(20)  # changes linked to no project
    with session_scope() as db:
        project_id = db.scalar(select(m.Project.id).where(m.Project.key == "barnet_savings"))
        before = db.scalar(select(func.count()).where(m.AuditEvent.project_id == project_id))
        db.execute(
            insert(m.AuditEvent),
            [
                {
                    "at": dt.datetime(2026, 2, 1, 9, 0) + dt.timedelta(minutes=number),
                    "username": "history.person",
                    "action": "update",
                    "entity": "saving_line",
                    "entity_id": 1,
                    "project_id": project_id,
                    "field": "forecast",
                    "old_value": str(number),
                    "new_value": str(number + 1),
                }
                for number in range(600)
            ],
        )
    key = find_callback(app, "audit-grid.rowData")
    response = login_as("cabinet.member").post(
        "/_dash-update-component", json=callback_request(app, key, values=_values(project="barnet_savings"))
    )
    count = json.loads(response.get_data(as_text=True))["response"]["audit-count"]["children"]
    assert count.startswith(f"The newest 500 of {before + 600:,} changes are shown")
