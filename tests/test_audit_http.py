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
from tests.helpers import callback_request, find_callback

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


def _values(page=None, **chosen):
    values = {(f"audit-filter-{name}", "value"): chosen.get(name) for name in FILTERS}
    values[("audit-page", "value")] = page
    return values


def _show(app, client, page=None, triggered=None, **chosen) -> dict:
    key = find_callback(app, "audit-grid.rowData")
    response = client.post(
        "/_dash-update-component",
        json=callback_request(app, key, values=_values(page, **chosen), triggered=triggered),
    )
    assert response.status_code == 200
    return json.loads(response.get_data(as_text=True))["response"]


def test_a_long_history_is_drawn_a_page_at_a_time_newest_first_and_counted_whole(app, login_as):
    total = _history(650)
    client = login_as("cabinet.member")
    first = _show(app, client)
    with session_scope() as db:
        newest_first = db.scalars(
            select(m.AuditEvent.id).order_by(m.AuditEvent.at.desc(), m.AuditEvent.id.desc())
        ).all()
    rows = first["audit-grid"]["rowData"]
    assert [row["id"] for row in rows] == newest_first[:50]
    mine = [row["new_value"] for row in rows if row["username"] == "history.person"]
    assert mine[:2] == ["note 650", "note 649"]
    assert first["audit-count"]["children"].startswith(f"Changes 1–50 of {total:,} shown, newest first")
    pages = -(-total // 50)
    assert len(first["audit-page"]["options"]) == pages
    assert first["audit-page"]["options"][1]["label"] == f"Page 2 of {pages}: changes 51–100"

    # Each page carries on where the last stopped, and the URL says which page it is.
    second = _show(app, client, page="2", triggered="audit-page.value")
    assert second["audit-url"]["search"] == "?page=2"
    assert [row["id"] for row in second["audit-grid"]["rowData"]] == newest_first[50:100]
    last = _show(app, client, page=str(pages), triggered="audit-page.value")
    assert [row["id"] for row in last["audit-grid"]["rowData"]] == newest_first[50 * (pages - 1) :]
    # A page past the end (an old link) shows the last page there is.
    beyond = _show(app, client, page="999")
    assert beyond["audit-page"]["value"] == str(pages)

    # Choosing a person starts again at page 1; a short list just says how many it shows.
    narrowed = _show(app, client, page="3", triggered="audit-filter-person.value", person="admin")
    assert narrowed["audit-page"]["value"] == "1"
    assert narrowed["audit-count"]["children"].endswith("shown, newest first.")

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


def test_past_ten_thousand_changes_the_count_stops_and_says_so(app, login_as):
    total = _history(10_050)
    client = login_as("cabinet.member")
    first = _show(app, client)
    count = first["audit-count"]["children"]
    assert count.startswith("Changes 1–50 of more than 10,000 shown, newest first")
    assert "The newest 10,000 can be paged through here" in count
    # 10,000 ÷ 50 = 200 pages, the last reachable from the first; a few choices, not 200.
    assert first["audit-page"]["options"][-1]["label"] == "Page 200 of 200: changes 9,951–10,000"
    assert len(first["audit-page"]["options"]) < 30
    # Narrowed below the cap, the count is exact again.
    later = _show(app, client, triggered="audit-filter-from.value", **{"from": "2026-01-05"})
    with session_scope() as db:
        after = db.scalar(select(func.count()).where(m.AuditEvent.at >= dt.datetime(2026, 1, 5)))
    assert after < 10_000 < total
    assert f"of {after:,} shown" in later["audit-count"]["children"]
    # Typed day first, as the field asks (dd/mm/yyyy), the same day is read.
    typed = _show(app, client, triggered="audit-filter-from.value", **{"from": "05/01/2026"})
    assert typed["audit-count"]["children"] == later["audit-count"]["children"]


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
    body = _show(app, login_as("cabinet.member"), project="barnet_savings")
    assert body["audit-count"]["children"].startswith(f"Changes 1–50 of {before + 600:,} shown")


def _props(layout, component_id: str) -> dict:
    stack = [layout]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            props = node.get("props")
            if isinstance(props, dict):
                if props.get("id") == component_id:
                    return props
                stack.append(props.get("children"))
    raise AssertionError(f"{component_id} is not on the page")


def test_the_person_and_change_filters_offer_each_one_in_the_trail_once_in_order(app, login_as):
    _history(3)
    with session_scope() as db:
        db.execute(
            insert(m.AuditEvent),
            [
                {
                    "at": dt.datetime(2026, 2, 1),
                    "username": name,
                    "action": "update",
                    "entity": entity,
                    "entity_id": 1,
                    "field": "name",
                }
                for name, entity in (("aaron.first", "project"), ("zoe.last", "user"), ("zoe.last", "user"))
            ],
        )
        trail = db.execute(select(m.AuditEvent.username, m.AuditEvent.entity)).all()
    client = login_as("cabinet.member")
    key = find_callback(app, "_pages_content.children")
    values = {("_pages_location", "pathname"): "/audit", ("_pages_location", "search"): ""}
    response = client.post("/_dash-update-component", json=callback_request(app, key, values=values))
    assert response.status_code == 200
    layout = json.loads(response.get_data(as_text=True))["response"]["_pages_content"]["children"]
    # Each select's first choice is everyone, or every kind of change.
    people = [option["value"] for option in _props(layout, "audit-filter-person")["options"]][1:]
    kinds = [option["value"] for option in _props(layout, "audit-filter-entity")["options"]][1:]
    assert people[0] == "aaron.first" and people[-1] == "zoe.last" and "history.person" in people
    assert people == sorted({name for name, _ in trail})
    assert kinds == sorted({entity for _, entity in trail})
    assert {"milestone", "project", "user"} <= set(kinds)
