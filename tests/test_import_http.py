"""The import page's callbacks over HTTP: admins only; check, then import all or nothing."""

from __future__ import annotations

import base64
import json

import pytest
from sqlalchemy import func, select

from dashboard import models as m
from dashboard.db import session_scope
from tests.helpers import callback_request, find_callback

GOOD = "Project,Milestone,Baseline end,Status\ntransition,Imported over HTTP ,Sept 2027,Not started\n\nTotal,,,\n"
BAD = "Project,Milestone,Baseline end,Status\ntransition,Fine,Sept 2027,Not started\nnowhere,Bad,soon,Finished\n"


def state() -> tuple[int, int]:
    with session_scope() as db:
        return (
            db.scalar(select(func.count()).select_from(m.Milestone)),
            db.scalar(select(func.count()).select_from(m.AuditEvent)),
        )


def body(
    app, text: str, triggered: str, kind: str = "milestones", checked=None, sheet="*", filename="tracker.csv"
):
    """The import callback's request; `checked` is what the page keeps from the check pressed before."""
    key = find_callback(app, "import-report.children")
    encoded = base64.b64encode(text if isinstance(text, bytes) else text.encode()).decode()
    values = {
        ("import-upload", "contents"): f"data:text/csv;base64,{encoded}",
        ("import-upload", "filename"): filename,
        ("import-kind", "value"): kind,
        ("import-sheet", "value"): sheet,
        ("import-check", "n_clicks"): 1,
        ("import-run", "n_clicks"): 1,
        ("import-checked", "data"): checked,
    }
    return callback_request(app, key, values=values, triggered=triggered)


def answer(response) -> dict:
    return json.loads(response.get_data(as_text=True))["response"]


@pytest.mark.parametrize("username", ["cabinet.member", "cj.lead"])
@pytest.mark.parametrize("triggered", ["import-check.n_clicks", "import-run.n_clicks"])
def test_viewers_and_leads_are_refused_and_nothing_changes(app, login_as, username, triggered):
    before = state()
    response = login_as(username).post("/_dash-update-component", json=body(app, GOOD, triggered))
    assert response.status_code == 403
    assert state() == before


def test_anonymous_is_refused(app, client):
    before = state()
    assert (
        client.post("/_dash-update-component", json=body(app, GOOD, "import-run.n_clicks")).status_code == 401
    )
    assert state() == before


def test_check_then_import_then_import_again_changes_nothing(app, login_as):
    admin = login_as("admin")
    before = state()
    checked = answer(admin.post("/_dash-update-component", json=body(app, GOOD, "import-check.n_clicks")))
    assert (
        "ready to import" in json.dumps(checked["import-report"])
        and checked["import-run"]["disabled"] is False
    )
    assert state() == before
    confirmed = checked["import-checked"]["data"]
    imported = answer(
        admin.post("/_dash-update-component", json=body(app, GOOD, "import-run.n_clicks", checked=confirmed))
    )
    assert "Imported Milestones from tracker.csv: 1 new" in json.dumps(imported["import-report"])
    after = state()
    assert after[0] == before[0] + 1
    rechecked = answer(admin.post("/_dash-update-component", json=body(app, GOOD, "import-check.n_clicks")))
    again = answer(
        admin.post(
            "/_dash-update-component",
            json=body(app, GOOD, "import-run.n_clicks", checked=rechecked["import-checked"]["data"]),
        )
    )
    assert "0 new, 0 updated, 1 unchanged" in json.dumps(again["import-report"])
    assert state() == after


def test_a_bad_file_lists_every_problem_keeps_import_disabled_and_imports_nothing(app, login_as):
    admin = login_as("admin")
    before = state()
    checked = answer(admin.post("/_dash-update-component", json=body(app, BAD, "import-check.n_clicks")))
    report = json.dumps(checked["import-report"], ensure_ascii=False)
    assert checked["import-run"]["disabled"] is True
    assert "Nothing was imported" in report
    for column in ("Project", "Baseline end", "Status"):
        assert f'"{column}"' in report
    assert "There is no project called “nowhere”" in report
    # Pressing Import anyway (a crafted request) checks again on the server and imports nothing.
    forced = answer(admin.post("/_dash-update-component", json=body(app, BAD, "import-run.n_clicks")))
    assert "Nothing was imported" in json.dumps(forced["import-report"])
    assert state() == before


def test_templates_are_for_admins_and_name_the_columns(app, login_as):
    import io

    from openpyxl import load_workbook

    key = find_callback(app, "import-template-download.data")
    request = callback_request(
        app,
        key,
        values={("import-template-savings", "n_clicks"): 1},
        triggered="import-template-savings.n_clicks",
    )
    assert login_as("cj.lead").post("/_dash-update-component", json=request).status_code == 403
    download = answer(login_as("admin").post("/_dash-update-component", json=request))[
        "import-template-download"
    ]
    assert download["data"]["filename"] == "savings-template.xlsx"
    workbook = load_workbook(io.BytesIO(base64.b64decode(download["data"]["content"])))
    assert workbook.sheetnames == ["Savings", "Instructions"]
    sheet = workbook["Savings"]
    header = [cell.value for cell in sheet[1]]
    assert header[:5] == ["Project", "Financial year", "Description", "Category", "Target"]
    assert sheet.max_row == 1  # no example row that would be imported
    instructions = "\n".join(
        " | ".join(str(value) for value in row if value is not None)
        for row in workbook["Instructions"].iter_rows(values_only=True)
    )
    assert "first visible sheet is read" in instructions
    assert (
        "Financial year | Yes | The financial year (April to March) of the saving | 2019/20" in instructions
    )


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        ("viewer", "for the programme office", "import-upload"),
        ("admin", "import-upload", "for the programme office"),
    ],
)
def test_the_page_offers_import_to_admins_and_explains_it_to_others(app, monkeypatch, role, shown, hidden):
    from dashboard.auth import SessionUser
    from dashboard.pages import imports as page

    user = SessionUser(id=0, username=role, display_name=role, role=role)
    monkeypatch.setattr(page, "signed_in_user", lambda: user)
    text = json.dumps(page.layout(), default=lambda component: component.to_plotly_json())
    assert shown in text and hidden not in text
