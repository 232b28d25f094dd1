"""The KPIs page's callbacks over HTTP, as the browser (or anyone with curl) would call them."""

from __future__ import annotations

import base64
import csv
import io
import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from dashboard import models as m
from dashboard.db import session_scope
from dashboard.queries import kpis as kpi_queries
from dashboard.queries.kpis import attention as kpi_attention
from tests.helpers import KPI_SECTIONS_NEAR, callback_request, find_callback

ENTRY_FIELDS = ("kpi", "area", "period", "value", "note")


def counts() -> tuple[int, int]:
    with session_scope() as db:
        values = db.scalar(select(func.count()).select_from(m.KpiValue))
        audits = db.scalar(
            select(func.count()).select_from(m.AuditEvent).where(m.AuditEvent.entity == "kpi_value")
        )
    return values, audits


def save_body(app, kpi="CON-FIRST-CONTACT", area="ladywood", period="Q3 2026/27", value="50.5", note=""):
    key = find_callback(app, "kpi-entry-message.children")
    values = {
        (f"kpi-entry-{field}", "value"): given
        for field, given in zip(ENTRY_FIELDS, (kpi, area, period, value, note), strict=True)
    }
    values[("kpi-entry-save", "n_clicks")] = 1
    values[("kpi-refresh", "data")] = 0
    return callback_request(app, key, values=values, triggered="kpi-entry-save.n_clicks")


def upload_body(app, text: str, filename: str = "values.csv"):
    key = find_callback(app, "kpi-upload-report.children")
    encoded = base64.b64encode(text.encode()).decode()
    values = {
        ("kpi-upload", "contents"): f"data:text/csv;base64,{encoded}",
        ("kpi-upload", "filename"): filename,
        ("kpi-refresh", "data"): 0,
        **KPI_SECTIONS_NEAR,
    }
    return callback_request(app, key, values=values, triggered="kpi-upload.contents")


def view_body(app, kpi="CON-ADMISSIONS-65", period=None, outcome="all", table_open=True, triggered=None):
    key = find_callback(app, "kpi-map.figure", "kpi-url.search")
    values = {
        ("kpi-select", "value"): kpi,
        ("kpi-period", "value"): period,
        ("kpi-outcome", "value"): outcome,
        ("kpi-refresh", "data"): 0,
        **KPI_SECTIONS_NEAR,
        ("kpi-comparison-table", "open"): table_open,
    }
    return callback_request(app, key, values=values, triggered=triggered)


def answer(response) -> dict:
    return json.loads(response.get_data(as_text=True))["response"]


def flat_text(component) -> str:
    return json.dumps(component, ensure_ascii=False)


@pytest.mark.parametrize(
    "body",
    [
        save_body,
        lambda app: upload_body(
            app, "kpi_code,area,period,value\nCON-FIRST-CONTACT,ladywood,Q3 2026/27,50\n"
        ),
    ],
)
def test_a_viewer_is_refused_over_http_and_nothing_changes(app, login_as, body):
    before = counts()
    response = login_as("cabinet.member").post("/_dash-update-component", json=body(app))
    assert response.status_code == 403
    assert counts() == before


def test_anonymous_entry_is_refused(app, client):
    before = counts()
    assert client.post("/_dash-update-component", json=save_body(app)).status_code == 401
    assert counts() == before


def test_a_lead_saves_a_value_over_http(app, login_as):
    before = counts()
    response = login_as("cj.lead").post("/_dash-update-component", json=save_body(app))
    assert response.status_code == 200
    result = answer(response)
    assert "Saved CON-FIRST-CONTACT for Ladywood in Q3 2026/27" in flat_text(result["kpi-entry-message"])
    assert result["kpi-refresh"]["data"] == 1
    assert counts()[0] == before[0] + 1


def test_a_bad_value_shows_next_to_its_field_over_http(app, login_as):
    before = counts()
    response = login_as("transition.lead").post(
        "/_dash-update-component", json=save_body(app, kpi="-", value="120")
    )
    result = answer(response)
    assert "Enter the KPI code" in flat_text(result["kpi-entry-kpi-error"])
    assert "There is a problem" in flat_text(result["kpi-entry-message"])
    assert counts() == before


def test_a_bad_upload_lists_each_row_over_http_and_saves_nothing(app, login_as):
    before = counts()
    text = (
        "kpi_code,area,period,value\n"
        "CON-FIRST-CONTACT,ladywood,Q3 2026/27,50\n"
        "CON-FIRST-CONTACT,ladywood,Q3 2026/27,51\n"
        "CON-FIRST-CONTACT,erdington,Q3 2026/27,x\n"
    )
    response = login_as("admin").post("/_dash-update-component", json=upload_body(app, text))
    report = flat_text(answer(response)["kpi-upload-report"])
    assert "Nothing was saved" in report
    assert "Duplicate of row 2" in report and "must be a number" in report
    assert counts() == before


def test_a_good_upload_is_saved_over_http(app, login_as):
    before = counts()
    text = "kpi_code,area,period,value\nCON-FIRST-CONTACT,ladywood,Q3 2026/27,50\nTR-EET,birmingham,Q3 2026/27,80\n"
    response = login_as("transition.lead").post("/_dash-update-component", json=upload_body(app, text))
    assert "Saved 2 values from values.csv" in flat_text(answer(response)["kpi-upload-report"])
    assert counts()[0] == before[0] + 2


def test_a_viewer_sees_the_comparison_with_a_summary_and_the_url_keeps_the_choice(app, login_as):
    response = login_as("cabinet.member").post(
        "/_dash-update-component", json=view_body(app, period="Q1 2026/27", outcome="Customer journey")
    )
    assert response.status_code == 200
    result = answer(response)
    assert (
        result["kpi-url"]["search"] == "?kpi=CON-ADMISSIONS-65&period=Q1+2026%2F27&outcome=Customer+journey"
    )
    summary = result["kpi-map-summary"]["children"]
    assert summary.startswith("In Q1 2026/27,") and "constituencies met the target" in summary
    rows = result["kpi-comparison-grid-rows"]["data"]
    assert len(rows) == 11 and all(
        row["data_note"] == "Illustrative" for row in rows if row["value"] is not None
    )
    assert "Illustrative data" in flat_text(result["kpi-definition"])


def test_a_folded_table_is_sent_its_rows_only_once_it_is_opened(app, login_as):
    client = login_as("cabinet.member")
    # The page opens with the comparison's table folded: the map and summary come, the table's rows not.
    closed = answer(
        client.post("/_dash-update-component", json=view_body(app, period="Q1 2026/27", table_open=False))
    )
    assert closed["kpi-map-summary"]["children"].startswith("In Q1 2026/27,")
    assert closed["kpi-map"]["figure"]["data"]
    assert closed["kpi-comparison-grid-rows"]["data"] is None

    # Opening it sends the ten constituencies and the city, and leaves the map and summary as they are.
    opened = answer(
        client.post(
            "/_dash-update-component",
            json=view_body(app, period="Q1 2026/27", triggered="kpi-comparison-table.open"),
        )
    )
    assert set(opened) == {"kpi-comparison-grid-rows"}
    rows = opened["kpi-comparison-grid-rows"]["data"]
    assert len(rows) == 11 and {row["period_label"] for row in rows} == {"Q1 2026/27"}
    assert "Ladywood" in {row["area"] for row in rows}

    # Closing it again asks for nothing.
    closing = client.post(
        "/_dash-update-component",
        json=view_body(app, period="Q1 2026/27", table_open=False, triggered="kpi-comparison-table.open"),
    )
    assert closing.status_code in (200, 204) and not json.loads(closing.get_data(as_text=True) or "{}").get(
        "response"
    )

    # The same for the trend data and the funnel.
    for figure, details, rows, values in (
        (
            "kpi-trends.figure",
            "kpi-trends-table",
            "kpi-trends-grid-rows",
            {("kpi-select", "value"): "CON-ADMISSIONS-65"},
        ),
        (
            "kpi-funnel.figure",
            "kpi-funnel-table",
            "kpi-funnel-grid-rows",
            {("kpi-funnel-area", "value"): "barnet"},
        ),
    ):
        key = find_callback(app, figure)
        values = {**values, ("kpi-refresh", "data"): 0, **KPI_SECTIONS_NEAR, (details, "open"): False}
        folded = answer(
            client.post("/_dash-update-component", json=callback_request(app, key, values=values))
        )
        assert folded[figure.split(".")[0]]["figure"]["data"] and folded[rows]["data"] is None
        values[(details, "open")] = True
        body = callback_request(app, key, values=values, triggered=f"{details}.open")
        unfolded = answer(client.post("/_dash-update-component", json=body))
        assert set(unfolded) == {rows} and unfolded[rows]["data"]


def test_the_catalogue_keeps_to_the_chosen_outcome_area(app, login_as):
    key = find_callback(app, "kpi-catalogue-grid-rows.data")
    values = {("kpi-outcome", "value"): "Customer journey", ("kpi-refresh", "data"): 0, **KPI_SECTIONS_NEAR}
    response = login_as("cabinet.member").post(
        "/_dash-update-component", json=callback_request(app, key, values=values)
    )
    result = answer(response)
    catalogue = result["kpi-catalogue-grid-rows"]["data"]
    assert catalogue and {row["outcome_area"] for row in catalogue} == {"Customer journey"}
    assert result["kpi-catalogue-summary"]["children"].startswith(
        f"{len(catalogue)} KPIs in Customer journey"
    )


def test_the_trends_and_exceptions_answer_a_viewer(app, login_as):
    client = login_as("cabinet.member")
    key = find_callback(app, "kpi-trends.figure")
    values = {
        ("kpi-select", "value"): "CON-ADMISSIONS-65",
        ("kpi-refresh", "data"): 0,
        **KPI_SECTIONS_NEAR,
        ("kpi-trends-table", "open"): True,
    }
    trends = answer(client.post("/_dash-update-component", json=callback_request(app, key, values=values)))
    charted = {row["area"] for row in trends["kpi-trends-grid-rows"]["data"]}
    titles = {note["text"] for note in trends["kpi-trends"]["figure"]["layout"]["annotations"]}
    assert "Ladywood" in charted and charted == titles
    assert "areas charted" in trends["kpi-trends-summary"]["children"]

    key = find_callback(app, "kpi-exceptions-grid-rows.data")
    exceptions = answer(
        client.post(
            "/_dash-update-component",
            json=callback_request(
                app,
                key,
                values={
                    ("kpi-refresh", "data"): 0,
                    **KPI_SECTIONS_NEAR,
                    ("kpi-exceptions-page", "value"): "1",
                },
            ),
        )
    )
    rows = exceptions["kpi-exceptions-grid-rows"]["data"]
    kpis = len({row["kpi"] for row in rows})
    assert rows and exceptions["kpi-exceptions-summary"]["children"].startswith(
        f"{kpis} KPIs need attention, in {len(rows)} KPI and area combinations"
    )
    # Everything fits on one page: one choice, and the summary does not talk of pages.
    assert exceptions["kpi-exceptions-page"]["options"] == [
        {"label": f"Page 1 of 1: exceptions 1–{len(rows)}", "value": "1"}
    ]
    assert "The table shows" not in exceptions["kpi-exceptions-summary"]["children"]


def test_a_long_exceptions_list_is_paged_and_the_summary_counts_every_row(app, login_as, monkeypatch):
    monkeypatch.setattr(kpi_attention, "EXCEPTIONS_PER_PAGE", 4)
    client = login_as("cabinet.member")
    key = find_callback(app, "kpi-exceptions-grid-rows.data")
    everything = kpi_queries.exceptions()

    def page(value):
        values = {("kpi-refresh", "data"): 0, **KPI_SECTIONS_NEAR, ("kpi-exceptions-page", "value"): value}
        response = client.post("/_dash-update-component", json=callback_request(app, key, values=values))
        return answer(response)

    second = page("2")
    assert [row["area"] for row in second["kpi-exceptions-grid-rows"]["data"]] == list(
        everything["area"][4:8]
    )
    summary = second["kpi-exceptions-summary"]["children"]
    assert f"in {len(everything)} KPI and area combinations" in summary
    assert "The table shows 5–8, the longest-running Reds first" in summary
    options = second["kpi-exceptions-page"]["options"]
    assert len(options) == -(-len(everything) // 4)
    assert options[1]["label"].startswith(f"Page 2 of {len(options)}: exceptions 5–8")
    # A page past the end, or not a number, shows a page that exists.
    assert page("999")["kpi-exceptions-page"]["value"] == str(len(options))
    assert page("<script>")["kpi-exceptions-page"]["value"] == "1"


def test_downloads_contain_the_chosen_kpis_rows(app, login_as):
    key = find_callback(app, "kpi-download.data")
    values = {
        ("kpi-select", "value"): "CON-ADMISSIONS-65",
        ("kpi-period", "value"): "Q2 2026/27",
        ("kpi-outcome", "value"): "all",
        ("kpi-funnel-area", "value"): "barnet",
        ("kpi-dl-comparison-csv", "n_clicks"): 1,
    }
    client = login_as("cabinet.member")
    response = client.post(
        "/_dash-update-component",
        json=callback_request(app, key, values=values, triggered="kpi-dl-comparison-csv.n_clicks"),
    )
    download = answer(response)["kpi-download"]["data"]
    text = base64.b64decode(download["content"]).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 11
    ladywood = next(row for row in rows if row["Area"] == "Ladywood")
    assert (ladywood["Value"], ladywood["RAG"], ladywood["Rank (1 = best)"], ladywood["Illustrative"]) == (
        "714.0",
        "Red",
        "10",
        "yes",
    )

    values[("kpi-dl-funnel-xlsx", "n_clicks")] = 1
    response = client.post(
        "/_dash-update-component",
        json=callback_request(app, key, values=values, triggered="kpi-dl-funnel-xlsx.n_clicks"),
    )
    download = answer(response)["kpi-download"]["data"]
    assert download["filename"].endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(base64.b64decode(download["content"]))).active
    table = list(sheet.iter_rows(values_only=True))
    assert table[0][:3] == ("Area", "Stage", "Percent of contacts")
    assert table[4][:5] == ("barnet", "Full assessment", 26, 2557, 7)


def test_the_template_download_is_for_editors_only(app, login_as):
    key = find_callback(app, "kpi-template-download.data")
    body = callback_request(
        app, key, values={("kpi-template-csv", "n_clicks"): 1}, triggered="kpi-template-csv.n_clicks"
    )
    assert login_as("cabinet.member").post("/_dash-update-component", json=body).status_code == 403
    response = login_as("cj.lead").post("/_dash-update-component", json=body)
    text = base64.b64decode(answer(response)["kpi-template-download"]["data"]["content"]).decode("utf-8-sig")
    assert text.splitlines()[0] == "kpi_code,area,period,value,note"
