"""The savings page's callbacks over HTTP, as the browser (or anyone with curl) would call them."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from dashboard import models as m
from dashboard.db import session_scope
from tests.helpers import DEMO_PASSWORDS, callback_answer, callback_request, find_callback

EDIT_FIELDS = ["target", "financial_year", "forecast", "realised", "confidence", "confidence_reason"]


def line(key: str) -> m.SavingLine:
    with session_scope() as db:
        return db.scalars(select(m.SavingLine).where(m.SavingLine.key == key)).one()


def audit_count() -> int:
    with session_scope() as db:
        return len(db.scalars(select(m.AuditEvent.id).where(m.AuditEvent.entity == "saving_line")).all())


def save_body(app, saving: m.SavingLine, **changes):
    target = saving
    values = {
        "target": str(target.target),
        "financial_year": f"{target.financial_year}/{(target.financial_year + 1) % 100:02d}",
        "forecast": str(target.forecast),
        "realised": str(target.realised),
        "confidence": target.confidence,
        "confidence_reason": target.confidence_reason,
    }
    values.update(changes)
    key = find_callback(app, "sv-edit-saved.children", "sv-refresh.data")
    browser = {(f"sv-edit-{field}", "value"): value for field, value in values.items()}
    browser[("sv-edit-save", "n_clicks")] = 1
    browser[("sv-edit-version", "data")] = {"id": target.id, "version": target.version}
    browser[("sv-refresh", "data")] = 0
    return callback_request(app, key, values=browser, triggered="sv-edit-save.n_clicks")


@pytest.mark.parametrize("username", ["cabinet.member", "cj.lead"])
def test_save_is_refused_to_a_viewer_and_to_another_projects_lead(app, login_as, username):
    target = line("bn_efficiency_2019_20")  # a Barnet line
    client = login_as(username)
    response = client.post("/_dash-update-component", json=save_body(app, target, forecast="1"))
    assert response.status_code == 403
    after = line("bn_efficiency_2019_20")
    assert (after.forecast, after.version) == (target.forecast, target.version)
    assert audit_count() == 0


def test_anonymous_save_is_refused(app, client):
    target = line("cj_workforce_2019_20")
    response = client.post("/_dash-update-component", json=save_body(app, target, forecast="1"))
    assert response.status_code == 401
    assert line("cj_workforce_2019_20").forecast == target.forecast


def test_a_lead_changing_the_target_is_refused(app, login_as):
    target = line("cj_workforce_2019_20")
    response = login_as("cj.lead").post(
        "/_dash-update-component", json=save_body(app, target, target="9000000")
    )
    assert response.status_code == 403
    assert line("cj_workforce_2019_20").target == target.target


def test_the_lead_saves_forecast_over_http(app, login_as):
    target = line("cj_workforce_2019_20")
    response = login_as("cj.lead").post(
        "/_dash-update-component", json=save_body(app, target, forecast="5,600,000")
    )
    assert response.status_code == 200
    assert "Saved at" in response.get_data(as_text=True)
    after = line("cj_workforce_2019_20")
    assert (str(after.forecast), after.version) == ("5600000.00", target.version + 1)
    assert audit_count() == 1


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
    target = line("cj_workforce_2019_20")
    response = login_as("cj.lead").post(
        "/_dash-update-component", json=save_body(app, target, forecast="5,600,000")
    )
    answer = response.get_json()["response"]
    context = shown_text(answer["sv-edit-context"]["children"])
    history = shown_text(answer["sv-edit-history"]["children"])
    assert f"version {target.version + 1}" in context and "by cj.lead" in context
    assert "No changes recorded" not in history
    assert "cj.lead · Forecast:" in history


def test_invalid_input_gets_messages_next_to_the_fields_and_changes_nothing(app, login_as):
    target = line("cj_workforce_2019_20")
    response = login_as("admin").post(
        "/_dash-update-component",
        json=save_body(app, target, target="-5", forecast="12.345", financial_year="2019-20x"),
    )
    assert response.status_code == 200
    body = json.loads(response.get_data(as_text=True))["response"]
    assert "Target must be £0 or more" in json.dumps(body["sv-edit-target-error"], ensure_ascii=False)
    assert "no more than 2 decimal places" in json.dumps(body["sv-edit-forecast-error"])
    assert "real financial year, like 2019/20" in json.dumps(body["sv-edit-financial_year-error"])
    assert "There is a problem" in json.dumps(body["sv-edit-summary"])
    assert line("cj_workforce_2019_20").version == target.version
    assert audit_count() == 0


def test_a_conflicting_save_shows_what_changed(app, login_as):
    target = line("cj_workforce_2019_20")
    assert (
        login_as("admin")
        .post("/_dash-update-component", json=save_body(app, target, forecast="5500000"))
        .status_code
        == 200
    )
    response = login_as("cj.lead").post(
        "/_dash-update-component", json=save_body(app, target, forecast="5400000")
    )
    text = response.get_data(as_text=True)
    assert "changed while you were editing it" in text
    assert "Forecast: £5.45m → £5.5m" in text
    assert str(line("cj_workforce_2019_20").forecast) == "5500000.00"


def _view_values(**filters):
    values = {
        ("sv-filter-org", "value"): "all",
        ("sv-filter-programme", "value"): "all",
        ("sv-filter-project", "value"): "all",
        ("sv-filter-fy", "value"): "all",
        ("sv-filter-category", "value"): "all",
        ("sv-filter-confidence", "value"): "all",
        ("sv-filter-flags", "value"): [],
        ("sv-refresh", "data"): 0,
        ("sv-grid", "dashGridOptions"): {},
    }
    values.update({(f"sv-filter-{name}", "value"): value for name, value in filters.items()})
    return values


def _lines(app, client, search: str) -> dict:
    """The saving lines section's answer for the URL the view wrote, once the reader has scrolled to it
    (the browser's gate passes the address and the refresh count on: callbacks.sections)."""
    values = {("sv-lines-wanted", "data"): [search, 0]}
    return callback_answer(app, client, "sv-grid.rowData", values)


def test_filters_go_into_the_url_and_the_totals_reconcile(app, login_as):
    client = login_as("cabinet.member")
    key = find_callback(app, "sv-url.search")
    response = client.post(
        "/_dash-update-component",
        json=callback_request(app, key, values=_view_values(project="barnet_savings")),
    )
    body = json.loads(response.get_data(as_text=True))["response"]
    # The project names its organisation: the page shows one organisation's savings at a time.
    assert body["sv-url"]["search"] == "?org=barnet&project=barnet_savings"
    rows = _lines(app, client, body["sv-url"]["search"])["sv-grid"]["rowData"]
    assert len(rows) == 7  # 003 §2: four "identified" years and three "additional" years
    total = body["sv-grid"]["dashGridOptions"]["pinnedBottomRowData"][0]
    assert total["target"] == sum(row["target"] for row in rows) == 18_500_000
    assert "£18.5m" in json.dumps(body["sv-cards"], ensure_ascii=False)
    years = json.dumps(body["sv-years-table"], ensure_ascii=False)
    for amount in ("£5.1m", "£6.1m", "£4.1m", "£3.2m", "£18.5m"):
        assert amount in years


def test_a_long_project_list_shows_the_largest_projects_and_sums_the_rest(app, login_as, monkeypatch):
    # Barnet's two projects with lines: £18.5m (the savings target) and £1,962,000 (the operating model).
    monkeypatch.setattr("dashboard.callbacks.savings.view.PROJECTS_LISTED", 1)
    client = login_as("cabinet.member")
    key = find_callback(app, "sv-url.search")
    response = client.post(
        "/_dash-update-component", json=callback_request(app, key, values=_view_values(org="barnet"))
    )
    body = json.loads(response.get_data(as_text=True))["response"]
    table, note = body["sv-later"]["data"]["projects"]  # drawn once reached
    text = json.dumps(table, ensure_ascii=False)
    assert "Adults &amp; Safeguarding Committee savings target (PSR)" in text
    assert "New ASC operating model" not in text
    assert "1 other project" in text and "£1.96m" in text
    assert "£20.46m" in text  # the total row still counts every project
    assert note["props"]["children"].startswith(
        "The 1 project with the largest targets, by programme; the one other project has the last row."
    )


def test_the_page_choices_stay_few_however_long_the_list():
    from dashboard.ui.components import page_choices

    assert [choice["value"] for choice in page_choices(250, 100, "lines", 2)] == ["1", "2", "3"]
    assert len(page_choices(2_500, 100, "lines", 1)) == 25  # up to 25 pages: every one
    near_start = [int(choice["value"]) for choice in page_choices(98_030, 100, "lines", 1)]
    assert near_start[:6] == [1, 2, 3, 4, 5, 6] and near_start[-1] == 981 and len(near_start) < 30
    middle = page_choices(98_030, 100, "lines", 457)
    pages = [int(choice["value"]) for choice in middle]
    assert {452, 457, 462, 450, 460, 470, 400, 500, 900} <= set(pages) and pages == sorted(pages)
    assert middle[pages.index(457)]["label"] == "Page 457 of 981: lines 45,601–45,700"
    assert len(pages) < 35
    # Any page is a few choices away: each choice offers pages nearer the one wanted.
    assert 1 in [int(c["value"]) for c in page_choices(98_030, 100, "lines", 981)]


def test_a_long_list_of_lines_is_drawn_a_page_at_a_time_and_totalled_whole(app, login_as, database_url):
    with session_scope() as db:
        project = db.scalars(select(m.Project).where(m.Project.key == "barnet_savings")).one()
        db.add_all(
            m.SavingLine(
                key=f"paging_{i:03d}",
                project_id=project.id,
                financial_year=2030,
                description=f"Paged line {i:03d}",
                category="efficiency",
                target=1000,
                forecast=1000,
                realised=0,
                confidence="High",
                version=1,
                updated_by="admin",
            )
            for i in range(260)
        )
    lines_in_project = 7 + 260
    client = login_as("cabinet.member")
    key = find_callback(app, "sv-url.search")

    def view(page, triggered=None):
        values = _view_values(project="barnet_savings")
        values[("sv-page", "value")] = page
        response = client.post(
            "/_dash-update-component", json=callback_request(app, key, values=values, triggered=triggered)
        )
        return json.loads(response.get_data(as_text=True))["response"]

    first = view("1")
    first_lines = _lines(app, client, first["sv-url"]["search"])
    assert len(first_lines["sv-grid"]["rowData"]) == 100
    assert (
        len(first_lines["sv-detail-select"]["options"]) == 100
    )  # the prompt is a placeholder, not an option
    assert [option["value"] for option in first["sv-page"]["options"]] == ["1", "2", "3"]
    assert first["sv-page-position"]["children"].startswith(f"Showing lines 1–100 of {lines_in_project}")
    # The total row, cards and years table count every line, not just this page: £18.5m + 260 × £1,000.
    total = first["sv-grid"]["dashGridOptions"]["pinnedBottomRowData"][0]
    assert total["target"] == 18_500_000 + 260_000
    assert "£18.76m" in json.dumps(first["sv-cards"], ensure_ascii=False)

    second = view("2", triggered="sv-page.value")
    assert second["sv-url"]["search"] == "?org=barnet&project=barnet_savings&page=2"
    second_lines = _lines(app, client, second["sv-url"]["search"])
    assert len(second_lines["sv-grid"]["rowData"]) == 100
    last = view("3", triggered="sv-page.value")
    last_lines = _lines(app, client, last["sv-url"]["search"])
    assert len(last_lines["sv-grid"]["rowData"]) == lines_in_project - 200
    pages = [
        {row["id"] for row in page["sv-grid"]["rowData"]} for page in (first_lines, second_lines, last_lines)
    ]
    assert len(set.union(*pages)) == lines_in_project  # every line on exactly one page
    # A filter change starts again at page 1.
    assert view("2", triggered="sv-filter-flags.value")["sv-page"]["value"] == "1"


def _download(app, client, button: str, shown_ids, **filters):
    key = find_callback(app, "sv-download.data")
    values = {k: v for k, v in _view_values(**filters).items() if k[0] not in ("sv-refresh", "sv-grid")}
    values[(button, "n_clicks")] = 1
    values[("sv-grid", "virtualRowData")] = None if shown_ids is None else [{"id": i} for i in shown_ids]
    response = client.post(
        "/_dash-update-component",
        json=callback_request(app, key, values=values, triggered=f"{button}.n_clicks"),
    )
    assert response.status_code == 200
    data = json.loads(response.get_data(as_text=True))["response"]["sv-download"]["data"]
    return data["filename"], base64.b64decode(data["content"])


def test_csv_download_has_exactly_the_filtered_rows(app, login_as):
    client = login_as("cabinet.member")
    filename, content = _download(
        app, client, "sv-download-lines-csv", None, project="barnet_operating_model"
    )
    assert filename.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert [(row["Financial year"], row["Target"]) for row in rows] == [
        ("2017/18", "654000.00"),
        ("2018/19", "654000.00"),
        ("2019/20", "654000.00"),
    ]
    # A line outside the URL's filters is never added, whatever ids the browser sends.
    cj = line("cj_workforce_2019_20").id
    _name, content = _download(app, client, "sv-download-lines-csv", [cj], project="barnet_operating_model")
    assert list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")))) == []


def test_excel_download_of_the_year_summary_is_a_real_workbook(app, login_as):
    filename, content = _download(
        app, login_as("admin"), "sv-download-years-xlsx", None, project="barnet_savings"
    )
    assert filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Financial year", "Target")
    assert [(row[0], row[1]) for row in rows[1:]] == [
        ("2016/17", 5_100_000),
        ("2017/18", 6_100_000),
        ("2018/19", 4_100_000),
        ("2019/20", 3_200_000),
    ]


def _slip_customer_journey() -> m.SavingLine:
    with session_scope() as db:
        saving = db.scalars(select(m.SavingLine).where(m.SavingLine.key == "cj_workforce_2019_20")).one()
        saving.confidence, saving.realised = "High", None
        milestone = db.scalars(select(m.Milestone).where(m.Milestone.key == "cj_new_service_design")).one()
        milestone.status, milestone.actual_end, milestone.forecast_end = (
            "In progress",
            None,
            dt.date(2020, 6, 30),
        )
    return line("cj_workforce_2019_20")


def _accept_body(app, target: m.SavingLine, year: int):
    key = find_callback(app, "sv-rephase-message.children")
    return callback_request(
        app,
        key,
        values={
            ("sv-rephase-accept", "n_clicks"): 1,
            ("sv-rephase-select", "value"): f"{target.id}|{target.version}|{year}",
            ("sv-refresh", "data"): 0,
        },
        triggered="sv-rephase-accept.n_clicks",
    )


def test_the_page_flags_slippage_and_shows_the_gap_per_year(app, login_as):
    _slip_customer_journey()
    key = find_callback(app, "sv-url.search")
    client = login_as("cabinet.member")
    response = client.post(
        "/_dash-update-component", json=callback_request(app, key, values=_view_values(flags=["at_risk"]))
    )
    body = json.loads(response.get_data(as_text=True))["response"]
    rows = _lines(app, client, body["sv-url"]["search"])["sv-grid"]["rowData"]
    assert [(row["at_risk"], row["proposed_year"]) for row in rows] == [("yes", "2020/21")]
    slippage = json.dumps(body["sv-later"]["data"]["slippage"], ensure_ascii=False)
    assert "30 Jun 2020" in slippage and "re-phase to 2020/21" in slippage
    assert "−£6.0m" in slippage and "£6.0m" in slippage


def test_re_phasing_over_http_is_for_admins_only(app, login_as):
    target = _slip_customer_journey()
    for username in ("cabinet.member", "cj.lead"):
        response = login_as(username).post("/_dash-update-component", json=_accept_body(app, target, 2020))
        assert response.status_code == 403
    assert line("cj_workforce_2019_20").financial_year == 2019
    response = login_as("admin").post("/_dash-update-component", json=_accept_body(app, target, 2020))
    assert response.status_code == 200
    assert "Re-phased to 2020/21" in json.dumps(json.loads(response.get_data(as_text=True)))
    assert line("cj_workforce_2019_20").financial_year == 2020
    assert audit_count() == 1


def test_confidence_history_of_an_edited_line_shows_each_rating(app, login_as):
    """An edited line's history used to fail on the loaded rating's missing time (NaT), so the panel
    kept showing nothing, or the line chosen before."""
    from dashboard.auth import authenticate
    from dashboard.services.savings import update_saving_line

    target = line("cj_workforce_2019_20")
    lead = authenticate("cj.lead", DEMO_PASSWORDS["cj.lead"])
    update_saving_line(
        lead,
        target.id,
        {"confidence": "Medium", "confidence_reason": "Move slipping", "forecast": "5400000"},
        target.version,
        today=dt.date(2026, 11, 23),
    )
    client = login_as("cabinet.member")
    key = find_callback(app, "sv-detail.children")
    response = client.post(
        "/_dash-update-component",
        json=callback_request(
            app,
            key,
            values={("sv-detail-select", "value"): str(target.id)},
            triggered="sv-detail-select.value",
        ),
    )
    assert response.status_code == 200
    shown = json.dumps(json.loads(response.get_data(as_text=True))["response"], ensure_ascii=False)
    assert "As loaded from the seed data" in shown and "Delivered" in shown
    assert "Medium" in shown and "Move slipping" in shown and "by cj.lead" in shown
    assert "Forecast revised: £5.45m → £5.4m" in shown
    assert "NaT" not in shown and "nan" not in shown
