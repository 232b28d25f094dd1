"""Every kind of change, made through the services and the importer, is listed in words with old → new:
on the overview's "Since the last board", in the pack's changes sheet and on /audit."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import json
import re

import pytest
from openpyxl import load_workbook

from dashboard.callbacks.pack import pack_document
from dashboard.queries import board
from dashboard.reports.pack import pack_data, pack_workbook
from dashboard.services import importer
from dashboard.services.core import SYSTEM
from tests.helpers import callback_request, find_callback
from tests.helpers.edit_rounds import day_shown, make_one_change_of_each_kind

SINCE = "2026-11-24"  # the seed's latest board meeting
# What a stored value looks like before it is shown: missing values, ISO dates, plain decimals.
RAW = re.compile(r"\b(nan|None|NaT)\b|\d{4}-\d\d-\d\d|\d{7}\.\d\d|\b6200000\b")


def _texts(component) -> str:
    if isinstance(component, str):
        return component
    if isinstance(component, list):
        return "".join(_texts(child) for child in component)
    if isinstance(component, dict):
        return _texts(component.get("props", {}).get("children"))
    return ""


def _list_items(component) -> list[str]:
    """The text of every list item in a Dash component tree."""
    found = []
    if isinstance(component, list):
        for child in component:
            found += _list_items(child)
    elif isinstance(component, dict):
        if component.get("type") == "Li":
            return [_texts(component)]
        found += _list_items(component.get("props", {}).get("children"))
    return found


@pytest.fixture
def changes(database_url):
    return make_one_change_of_each_kind()


def test_every_kind_of_change_is_on_the_overview_in_words(app, login_as, changes):
    expected, today = changes
    key = find_callback(app, "ov-changes.children")
    response = login_as("cabinet.member").post(
        "/_dash-update-component", json=callback_request(app, key, values={("ov-since", "value"): SINCE})
    )
    components = json.loads(response.get_data(as_text=True))["response"]["ov-changes"]["children"]
    items = _list_items(components)
    missing = []
    for said, item, old, new in expected:
        # "Milestone retired" says it all: the list adds no "no → yes" (the sheet and /audit have both).
        values = f" — {old} → {new}" if (old or new) and said != "Milestone retired" else ""
        if not any(text.startswith(f"{said}: {item}{values}") for text in items):
            missing.append((said, item, old, new))
    assert missing == []
    # By whom and when (UK time), and a moved date says by how much.
    assert any(
        text.startswith("Forecast end date moved: Comprehensive")
        and "(+42 days) · transition.lead, " + day_shown(today) in text
        for text in items
    )
    # What is counted is what is listed: nothing else, and the accounts made are on /audit only.
    assert f"{len(items)} changes." in _texts(components)
    assert len(items) == board.count_changes_since(dt.date.fromisoformat(SINCE))
    assert not any("new.lead" in text for text in items)
    for text in items:
        assert not RAW.search(text), text


def test_every_kind_of_change_is_in_the_packs_changes_sheet(changes):
    expected, today = changes
    book = load_workbook(io.BytesIO(pack_workbook(pack_data(today, today))))
    sheet = book["Changes since last board"]
    header_row = next(row for row in sheet.iter_rows() if row[0].value == "Project")
    header = [cell.value for cell in header_row]
    rows = []
    for row in sheet.iter_rows(min_row=header_row[0].row + 1):
        if row[0].value is None:
            break
        rows.append(dict(zip(header, (cell.value for cell in row), strict=False)))
    listed = {(row["Change"], row["Item"], row["From"], row["To"]) for row in rows}
    missing = [
        (said, item, old, new)
        for said, item, old, new in expected
        if (said, item, old or "blank", new or item) not in listed
    ]
    assert missing == []
    moved = next(row for row in rows if row["Change"] == "Forecast end date moved")
    assert moved["Days moved"] == 42 and moved["Who"] == "transition.lead"
    # The printed pack says a whole number of days, not 42.0.
    printed = str(pack_document(pack_data(today, today)))
    assert "42.0" not in printed and "Forecast end date moved" in printed


def test_every_kind_of_change_is_on_the_audit_page_and_in_its_download(app, login_as, changes):
    expected, _today = changes
    client = login_as("cabinet.member")
    key = find_callback(app, "audit-grid.rowData")
    filters = {
        (f"audit-filter-{name}", "value"): None for name in ("person", "entity", "project", "from", "to")
    }
    rows, page = [], 1
    while True:
        values = {**filters, ("audit-page", "value"): str(page)}
        response = client.post(
            "/_dash-update-component",
            json=callback_request(app, key, values=values, triggered="audit-page.value"),
        )
        body = json.loads(response.get_data(as_text=True))["response"]
        rows += body["audit-grid"]["rowData"]
        if page >= len(body["audit-page"]["options"]):
            break
        page += 1
    missing = []
    for said, item, old, new in expected:
        found = [
            row
            for row in rows
            if row["what"].endswith(f" {item}: {said}")
            and (not old and not new or (row["old_value"], row["new_value"]) == (old, new))
        ]
        if not found:
            missing.append((said, item, old, new))
    assert missing == []
    # Accounts are listed here, with the field as the form names it.
    assert any(row["what"] == "User new.lead: User added" and row["field"] == "Role" for row in rows)
    assert any(row["field"] == "Signed off at" and row["old_value"] == "blank" for row in rows)
    for row in rows:
        for column in ("old_value", "new_value", "field", "what"):
            assert row[column] not in ("nan", "None", "NaT", "") and "_" not in row["field"]

    download = find_callback(app, "audit-download.data")
    response = client.post(
        "/_dash-update-component",
        json=callback_request(
            app,
            download,
            values={**filters, ("audit-download-csv", "n_clicks"): 1},
            triggered="audit-download-csv.n_clicks",
        ),
    )
    content = json.loads(response.get_data(as_text=True))["response"]["audit-download"]["data"]["content"]
    downloaded = list(csv.DictReader(io.StringIO(base64.b64decode(content).decode("utf-8-sig"))))
    assert len(downloaded) == len(rows)
    listed = {(row["What"], row["Field"], row["Old value"], row["New value"]) for row in downloaded}
    assert {(row["what"], row["field"], row["old_value"], row["new_value"]) for row in rows} == listed


def test_an_imported_actions_delivering_project_is_named_in_the_trail(database_url):
    from dashboard.queries.audit import AuditFilters, audit_events

    action = _one_action("a2_carers_strategy_refresh")
    tracker = (
        "Recommendation,Action,Owner,Due date,Project\n"
        f'2,"{action.title}","{action.owner}",31/03/2027,customer_journey\n'
    )
    report = importer.import_file(SYSTEM, "actions", "plan.csv", tracker.encode())
    assert report.imported, report.problems
    frame = audit_events(AuditFilters(entity="action_item"))
    moved = frame[frame["field"] == "project"].iloc[0]
    assert (moved["old_value"], moved["new_value"]) == (
        "Transition Project - Preparation for Adulthood",
        "Customer Journey",
    )
    changes = board.changes_since(dt.date.fromisoformat(SINCE))
    said = changes[changes["field"] == "project"].iloc[0]
    assert (said["kind"], said["old_shown"], said["new_shown"]) == (
        "Delivering project changed (imported)",
        "Transition Project - Preparation for Adulthood",
        "Customer Journey",
    )


def _one_action(key: str):
    from sqlalchemy import select

    from dashboard import models as m
    from dashboard.db import session_scope

    with session_scope() as db:
        return db.scalars(select(m.ActionItem).where(m.ActionItem.key == key)).one()
