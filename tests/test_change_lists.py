"""Every kind of change, made through the services and the importer, is listed in words with old → new:
on the overview's "Since the last board", in the pack's changes sheet and on /audit."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import json
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from dashboard import clock, importer
from dashboard import models as m
from dashboard.auth import authenticate
from dashboard.db import session_scope
from dashboard.pack import pack_data, pack_workbook
from dashboard.queries import board
from dashboard.services import actions as action_services
from dashboard.services import board as board_services
from dashboard.services import core, kpis
from dashboard.services import milestones as milestone_services
from dashboard.services import savings as saving_services
from tests.conftest import DEMO_PASSWORDS, callback_request, find_callback

SINCE = "2026-11-24"  # the seed's latest board meeting
# What a stored value looks like before it is shown: missing values, ISO dates, plain decimals.
RAW = re.compile(r"\b(nan|None|NaT)\b|\d{4}-\d\d-\d\d|\d{7}\.\d\d|\b6200000\b")


def _user(name):
    return authenticate(name, DEMO_PASSWORDS[name])


def _one(model, **where):
    with session_scope() as db:
        return db.scalars(select(model).filter_by(**where)).one()


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def _make_one_change_of_each_kind() -> tuple[list[tuple[str, str, str, str]], dt.date]:
    """Makes the changes; returns what each should read as: (what it did, item, old, new)."""
    admin, lead, transition = _user("admin"), _user("cj.lead"), _user("transition.lead")
    today = clock.today()
    review = _one(m.Milestone, key="tr_joint_market_review")
    milestone_services.update_milestone(
        transition,
        review.id,
        {
            "forecast_end": "2027-01-29",
            "percent_complete": 90,
            "rag": "Amber",
            "rag_reason": "Waiting for the providers' returns",
            "commentary": "Extended to January.",
        },
        review.version,
    )
    new_id = milestone_services.add_milestone(
        admin,
        "transition",
        "Publish the market position statement",
        "Commissioning lead",
        "2027-01-04",
        "2027-03-31",
    )
    milestone_services.set_milestone_retired(admin, new_id, True, _one(m.Milestone, id=new_id).version)
    milestone_services.rebaseline_project(admin, "transition", "Re-plan December 2026", today.isoformat())

    workforce = _one(m.SavingLine, key="cj_workforce_2019_20")
    version = saving_services.update_saving_line(
        admin, workforce.id, {"target": "6200000"}, workforce.version
    )
    saving_services.update_saving_line(
        lead,
        workforce.id,
        {"forecast": "5400000", "confidence": "High", "confidence_reason": "Two posts still to go"},
        version,
    )
    # A line whose milestone now ends in a later year than its own, for the programme office to re-phase.
    with session_scope() as db:
        line = m.SavingLine(
            key="tr_transport_2025_26",
            project_id=review.project_id,
            financial_year=2025,
            description="Transport review savings",
            category="efficiency",
            target=Decimal("250000.00"),
            forecast=Decimal("250000.00"),
            depends_on_milestone_id=review.id,
        )
        db.add(line)
        db.flush()
        line_id = line.id
    saving_services.accept_rephasing(admin, line_id, 1, 2026)

    action = _one(m.ActionItem, key="a5_neighbourhood_networks_review")
    action_services.update_action(
        lead,
        action.id,
        {
            "due_date": "2027-02-26",
            "percent_complete": 100,
            "status": "Complete",
            "evidence_summary": "Network review report",
        },
        action.version,
    )
    action_services.add_progress_note(lead, action.id, today.isoformat(), "Review finished.", False, today)
    version = action_services.add_evidence(lead, action.id, "Board minutes", "https://example.org/minutes")
    action_services.sign_off_evidence(admin, action.id, version)

    board_services.add_board_meeting(admin, today.isoformat(), "Extra programme board")
    value_id = kpis.add_kpi_value(admin, "CON-FIRST-CONTACT", "ladywood", "Q3 2026/27", "63.5", today=today)
    kpis.correct_kpi_value(admin, value_id, "64", _one(m.KpiValue, id=value_id).version)
    core.create_user(admin, "new.lead", "lead", "a-long-password-2026", lead_of=["transition"])

    tracker = (
        "Project,Milestone,Forecast end,% complete\n"
        "transition,Phase 2 (18-25) Transition Pathway and Life Planning implementation,30/06/2027,80\n"
    )
    phase_two = _one(m.Milestone, key="tr_phase2_18_25")
    report = importer.import_file(
        admin,
        "milestones",
        "tracker.csv",
        tracker.replace(
            "Phase 2 (18-25) Transition Pathway and Life Planning implementation", phase_two.title
        ).encode(),
        today=today,
    )
    assert report.imported, report.problems

    workforce_line = f"{workforce.description} (2019/20)"
    return [
        ("Forecast end date moved", review.title, "18 Dec 2026", "29 Jan 2027"),
        ("Percentage complete revised", review.title, "85%", "90%"),
        ("RAG status changed", review.title, "Green", "Amber"),
        ("Reason for the RAG status set", review.title, "blank", "Waiting for the providers' returns"),
        ("Commentary changed", review.title, review.commentary, "Extended to January."),
        ("New milestone", "Publish the market position statement", "", ""),
        ("Milestone retired", "Publish the market position statement", "no", "yes"),
        ("Re-baselined", "Transition Project - Preparation for Adulthood", "blank", "Re-plan December 2026"),
        ("Target revised", workforce_line, "£6.0m", "£6.2m"),
        ("Forecast revised", workforce_line, "£5.45m", "£5.4m"),
        ("Confidence changed", workforce_line, "Delivered", "High"),
        ("Re-phased: financial year moved", "Transport review savings (2026/27)", "2025/26", "2026/27"),
        ("Due date moved", action.title, "31 Dec 2026", "26 Feb 2027"),
        ("Percentage complete revised", action.title, "60%", "100%"),
        ("Status changed", action.title, "In progress", "Complete"),
        ("Evidence summary set", action.title, "blank", "Network review report"),
        ("Sent for sign-off", action.title, "Not awaiting sign-off", "Awaiting sign-off"),
        ("Progress note added", action.title, "blank", f"{_day(today)}: Review finished."),
        ("Evidence added", action.title, "blank", "Board minutes (https://example.org/minutes)"),
        ("Evidence signed off", action.title, "Awaiting sign-off", "Evidence accepted"),
        ("Board meeting added", "Extra programme board", "blank", _day(today)),
        ("KPI value added", "CON-FIRST-CONTACT · Ladywood · Q3 2026/27", "blank", "63.5"),
        ("KPI value corrected", "CON-FIRST-CONTACT · Ladywood · Q3 2026/27", "63.5", "64"),
        ("Forecast end date moved (imported)", phase_two.title, "31 Mar 2027", "30 Jun 2027"),
        ("Percentage complete revised (imported)", phase_two.title, "75%", "80%"),
    ], today


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
    return _make_one_change_of_each_kind()


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
        values = f" — {old} → {new}" if old or new else ""
        if not any(text.startswith(f"{said}: {item}{values}") for text in items):
            missing.append((said, item, old, new))
    assert missing == []
    # By whom and when (UK time), and a moved date says by how much.
    assert any(
        text.startswith("Forecast end date moved: Comprehensive")
        and "(+42 days) · transition.lead, " + _day(today) in text
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
