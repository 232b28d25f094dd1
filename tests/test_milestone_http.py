"""The milestones page's callbacks over HTTP, as the browser (or anyone with curl) would call them."""

from __future__ import annotations

import base64
import csv
import io
import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from dashboard import models as m
from dashboard.db import session_scope
from tests.helpers import callback_request, find_callback

EDIT_FIELDS = [
    "status",
    "rag",
    "rag_reason",
    "percent_complete",
    "forecast_start",
    "forecast_end",
    "actual_start",
    "actual_end",
    "commentary",
]


def milestone(key: str) -> m.Milestone:
    with session_scope() as db:
        return db.scalars(select(m.Milestone).where(m.Milestone.key == key)).one()


def audit_count() -> int:
    with session_scope() as db:
        return len(db.scalars(select(m.AuditEvent.id).where(m.AuditEvent.entity == "milestone")).all())


def save_body(app, target: m.Milestone, **changes):
    values = {
        "status": target.status,
        "rag": target.rag or "",
        "rag_reason": target.rag_reason,
        "percent_complete": target.percent_complete,
        "forecast_start": target.forecast_start.isoformat() if target.forecast_start else None,
        "forecast_end": target.forecast_end.isoformat() if target.forecast_end else None,
        "actual_start": target.actual_start.isoformat() if target.actual_start else None,
        "actual_end": target.actual_end.isoformat() if target.actual_end else None,
        "commentary": target.commentary,
    }
    values.update(changes)
    key = find_callback(app, "ms-edit-saved.children", "ms-refresh.data")
    browser_values = {(f"ms-edit-{field}", "value"): value for field, value in values.items()}
    browser_values[("ms-edit-save", "n_clicks")] = 1
    browser_values[("ms-edit-version", "data")] = {"id": target.id, "version": target.version}
    browser_values[("ms-refresh", "data")] = 0
    return callback_request(app, key, values=browser_values, triggered="ms-edit-save.n_clicks")


@pytest.mark.parametrize(("username", "status"), [("cabinet.member", 403), ("cj.lead", 403)])
def test_save_is_refused_over_http_to_a_viewer_and_to_another_projects_lead(app, login_as, username, status):
    target = milestone("tr_joint_market_review")  # a Transition milestone
    client = login_as(username)
    response = client.post("/_dash-update-component", json=save_body(app, target, commentary="Tampered"))
    assert response.status_code == status
    after = milestone("tr_joint_market_review")
    assert (after.commentary, after.version) == (target.commentary, target.version)
    assert audit_count() == 0


def test_anonymous_save_is_refused(app, client):
    target = milestone("tr_joint_market_review")
    response = client.post("/_dash-update-component", json=save_body(app, target, commentary="Tampered"))
    assert response.status_code == 401
    assert milestone("tr_joint_market_review").commentary == target.commentary


def test_the_projects_lead_saves_over_http(app, login_as):
    target = milestone("tr_joint_market_review")
    client = login_as("transition.lead")
    response = client.post(
        "/_dash-update-component",
        json=save_body(app, target, commentary="Draft report with partners", percent_complete=90),
    )
    assert response.status_code == 200
    assert "Saved at" in response.get_data(as_text=True)
    after = milestone("tr_joint_market_review")
    assert (after.commentary, after.percent_complete, after.version) == (
        "Draft report with partners",
        90,
        target.version + 1,
    )
    assert audit_count() == 2


def shown_text(component) -> str:
    """The words a component shows (its children's strings, in order), as a person reads them."""
    if isinstance(component, str):
        return component
    if isinstance(component, list):
        return "".join(shown_text(item) for item in component)
    if isinstance(component, dict):
        return shown_text(component.get("props", {}).get("children"))
    return "" if component is None else str(component)


def test_after_a_save_the_panel_shows_the_new_version_and_the_change_in_its_history(app, login_as):
    target = milestone("tr_joint_market_review")
    client = login_as("transition.lead")
    response = client.post(
        "/_dash-update-component", json=save_body(app, target, commentary="Draft report with partners")
    )
    answer = response.get_json()["response"]
    context = shown_text(answer["ms-edit-context"]["children"])
    history = shown_text(answer["ms-edit-history"]["children"])
    assert f"version {target.version + 1}" in context and "by transition.lead" in context
    assert "No changes recorded" not in history
    assert "transition.lead · Commentary changed:" in history and "Draft report with partners" in history


def test_after_retiring_the_panel_shows_the_new_version_and_the_change_in_its_history(app, login_as):
    target = milestone("tr_joint_market_review")
    key = find_callback(app, "ms-retire-message.children")
    body = callback_request(
        app,
        key,
        values={
            ("ms-retire", "n_clicks"): 1,
            ("ms-edit-version", "data"): {"id": target.id, "version": target.version},
            ("ms-refresh", "data"): 0,
        },
        triggered="ms-retire.n_clicks",
    )
    answer = login_as("admin").post("/_dash-update-component", json=body).get_json()["response"]
    context = shown_text(answer["ms-edit-context"]["children"])
    assert f"version {target.version + 1}" in context and "retired" in context
    history = shown_text(answer["ms-edit-history"]["children"])
    assert "admin · Milestone retired" in history and "→" not in history


def test_invalid_input_gets_a_message_next_to_the_field_and_changes_nothing(app, login_as):
    target = milestone("tr_joint_market_review")
    client = login_as("transition.lead")
    response = client.post(
        "/_dash-update-component",
        json=save_body(
            app, target, percent_complete=150, forecast_start="2026-12-20", forecast_end="2026-12-01"
        ),
    )
    assert response.status_code == 200
    body = json.loads(response.get_data(as_text=True))["response"]
    assert "whole number between 0 and 100" in json.dumps(body["ms-edit-percent_complete-error"])
    assert "same as or after the forecast start date" in json.dumps(body["ms-edit-forecast_end-error"])
    assert "There is a problem" in json.dumps(body["ms-edit-summary"])
    assert milestone("tr_joint_market_review").version == target.version
    assert audit_count() == 0


def test_clearing_the_rag_of_a_slipping_milestone_over_http_asks_for_a_reason(app, login_as):
    # Enablement 14–25 is open, Amber and slipping: its dates suggest Red.
    target = milestone("tr_enablement_14_25")
    client = login_as("transition.lead")
    response = client.post("/_dash-update-component", json=save_body(app, target, rag="", rag_reason=""))
    body = response.get_json()["response"]
    assert "Enter the reason for No RAG: the dates suggest Red" in shown_text(
        body["ms-edit-rag_reason-error"]["children"]
    )
    assert "There is a problem" in shown_text(body["ms-edit-summary"]["children"])
    after = milestone("tr_enablement_14_25")
    assert (after.rag, after.version) == ("Amber", target.version)
    assert audit_count() == 0


def test_a_conflicting_save_shows_what_changed(app, login_as):
    target = milestone("tr_joint_market_review")
    admin = login_as("admin")
    assert (
        admin.post("/_dash-update-component", json=save_body(app, target, percent_complete=95)).status_code
        == 200
    )
    lead = login_as("transition.lead")
    response = lead.post("/_dash-update-component", json=save_body(app, target, commentary="Mine"))
    text = response.get_data(as_text=True)
    assert "changed while you were editing it" in text
    assert "Percentage complete: 85% → 95%" in text
    assert milestone("tr_joint_market_review").commentary == target.commentary


def _view_values(**filters):
    values = {
        ("ms-filter-org", "value"): "",
        ("ms-filter-programme", "value"): "",
        ("ms-filter-project", "value"): "",
        ("ms-filter-status", "value"): "",
        ("ms-filter-rag", "value"): "",
        ("ms-filter-owner", "value"): "",
        ("ms-filter-search", "value"): "",
        ("ms-filter-due", "value"): None,
        ("ms-filter-baseline", "value"): "latest",
        ("ms-filter-flags", "value"): [],
        ("ms-refresh", "data"): 0,
    }
    values.update({(f"ms-filter-{name}", "value"): value for name, value in filters.items()})
    return values


def _table_rows(app, client, search: str) -> list[dict]:
    """The table's rows for the URL the view settled on, as the browser asks for them next."""
    key = find_callback(app, "ms-grid.rowData")
    response = client.post(
        "/_dash-update-component",
        # Once scrolled to, the browser's gate passes the address on (callbacks.sections).
        json=callback_request(app, key, values={("ms-table-wanted", "data"): [search]}),
    )
    assert response.status_code == 200
    return json.loads(response.get_data(as_text=True))["response"]["ms-grid"]["rowData"]


def test_filters_go_into_the_url_and_choose_the_rows(app, login_as):
    client = login_as("cabinet.member")
    key = find_callback(app, "ms-url.search", "ms-gantt.figure")
    response = client.post(
        "/_dash-update-component",
        json=callback_request(app, key, values=_view_values(project="customer_journey")),
    )
    body = json.loads(response.get_data(as_text=True))["response"]
    assert body["ms-url"]["search"] == "?project=customer_journey"
    rows = _table_rows(app, client, body["ms-url"]["search"])
    assert len(rows) == 8
    assert {row["project"] for row in rows} == {"Customer Journey"}
    assert all(row["illustrative"] == "yes" for row in rows)


def _download(app, client, button: str, shown_ids, **filters):
    key = find_callback(app, "ms-download.data")
    values = {k: v for k, v in _view_values(**filters).items() if k != ("ms-refresh", "data")}
    values[(button, "n_clicks")] = 1
    values[("ms-grid", "virtualRowData")] = None if shown_ids is None else [{"id": i} for i in shown_ids]
    response = client.post(
        "/_dash-update-component",
        json=callback_request(app, key, values=values, triggered=f"{button}.n_clicks"),
    )
    assert response.status_code == 200
    data = json.loads(response.get_data(as_text=True))["response"]["ms-download"]["data"]
    return data["filename"], base64.b64decode(data["content"])


def test_csv_download_has_exactly_the_rows_shown(app, login_as):
    client = login_as("cabinet.member")
    with session_scope() as db:
        ids = db.scalars(
            select(m.Milestone.id)
            .join(m.Project)
            .where(m.Project.key == "customer_journey")
            .order_by(m.Milestone.id.desc())
        ).all()
    shown = ids[:3]  # e.g. after a column filter in the grid, in the grid's sort order
    filename, content = _download(app, client, "ms-download-csv", shown, project="customer_journey")
    assert filename.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    with session_scope() as db:
        titles = [db.get(m.Milestone, i).title for i in shown]
    assert [row["Milestone"] for row in rows] == titles
    # Rows outside the URL filters are never added, whatever ids the browser sends.
    with session_scope() as db:
        barnet_id = db.scalars(
            select(m.Milestone.id).join(m.Project).where(m.Project.key == "barnet_operating_model")
        ).first()
    _name, content = _download(app, client, "ms-download-csv", [barnet_id], project="customer_journey")
    assert list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")))) == []


def test_excel_download_is_a_real_workbook_with_dates(app, login_as):
    client = login_as("admin")
    filename, content = _download(app, client, "ms-download-xlsx", None, project="customer_journey")
    assert filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(content)).active
    header = [cell.value for cell in sheet[1]]
    assert "Milestone" in header and "Baseline end" in header
    assert sheet.max_row == 1 + 8
    baseline_end = header.index("Baseline end")
    workforce = next(
        row
        for row in sheet.iter_rows(min_row=2, values_only=True)
        if row[header.index("Milestone")] == "Workforce Strategy and proposed service structure"
    )
    assert workforce[baseline_end].date().isoformat() == "2018-12-31"  # 000 §5.15: December 2018


def _add_copies(count: int) -> None:
    """`count` more milestones in the Transition project, as a directorate-wide plan would have."""
    from sqlalchemy import insert

    with session_scope() as db:
        template = db.scalars(select(m.Milestone).where(m.Milestone.key == "tr_joint_market_review")).one()
        db.execute(
            insert(m.Milestone),
            [
                {
                    "key": f"tr_extra_{number:04d}",
                    "project_id": template.project_id,
                    "title": f"Extra milestone {number:04d}",
                    "owner": "Extra owner",
                    "status": "In progress",
                    "rag": "Red" if number % 2 else "Green",
                    "percent_complete": 10,
                }
                for number in range(count)
            ],
        )


def _page(client, app, page=None, per_page=None, triggered=None, **filters):
    """The view's response for these controls, with the table's rows for the URL it settled on."""
    key = find_callback(app, "ms-url.search", "ms-gantt.figure")
    values = _view_values(**filters)
    values[("ms-page", "value")] = page
    values[("ms-per-page", "value")] = per_page
    response = client.post(
        "/_dash-update-component", json=callback_request(app, key, values=values, triggered=triggered)
    )
    assert response.status_code == 200
    body = json.loads(response.get_data(as_text=True))["response"]
    return {**body, "ms-grid": {"rowData": _table_rows(app, client, body["ms-url"]["search"])}}


def test_a_long_plan_is_drawn_a_page_at_a_time_and_counted_whole(app, login_as):
    with session_scope() as db:
        before = len(db.scalars(select(m.Milestone.id).where(m.Milestone.retired.is_(False))).all())
    _add_copies(230)
    total = before + 230
    client = login_as("cabinet.member")

    first = _page(client, app)
    assert len(first["ms-grid"]["rowData"]) == 100
    assert len(first["ms-page"]["options"]) == 3  # 100 + 100 + the rest
    assert first["ms-page"]["value"] == "1"
    assert f"Showing milestones 1–100 of {total:,}" in first["ms-gantt-summary"]["children"]
    cards = json.dumps(first["ms-cards"]["children"])
    assert f'"{total:,}"' in cards  # the Shown card counts every page

    third = _page(client, app, page="3", triggered="ms-page.value")
    rows = third["ms-grid"]["rowData"]
    assert len(rows) == total - 200
    assert third["ms-url"]["search"] == "?page=3"
    seen = {row["id"] for row in first["ms-grid"]["rowData"]} | {row["id"] for row in rows}
    assert len(seen) == 100 + total - 200  # no milestone on two pages

    # Changing a filter starts again at page 1; a larger page draws everything at once.
    narrowed = _page(client, app, page="3", triggered="ms-filter-rag.value", rag="Red")
    assert narrowed["ms-page"]["value"] == "1"
    assert all(row["rag"] == "Red" for row in narrowed["ms-grid"]["rowData"])
    everything = _page(client, app, page="1", per_page="1000", triggered="ms-per-page.value")
    assert len(everything["ms-grid"]["rowData"]) == total
    assert everything["ms-url"]["search"] == "?per_page=1000"
    assert everything["ms-gantt-summary"]["children"].startswith(f"{total:,} milestones shown")
