"""The weekly board pack: the workbook's sheets, rows and totals, the printable page, and who may have it."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from dashboard import clock
from dashboard import models as m
from dashboard.db import session_scope
from dashboard.domain.formatting import format_money
from dashboard.queries import board
from dashboard.queries import savings as saving_queries
from dashboard.queries.milestones import MilestoneFilters, milestones
from dashboard.reports.pack import chosen_meeting, pack_data, pack_workbook
from tests.helpers import callback_request, find_callback

MEETING = dt.date(2026, 11, 24)
TODAY = dt.date(2026, 11, 23)
SHEETS = [
    "Summary",
    "Milestones",
    "Actions",
    "Savings",
    "KPIs",
    "Self-assessment",
    "Changes since last board",
    "Updates owed and late",
]


def workbook(meeting=MEETING, today=TODAY):
    return load_workbook(io.BytesIO(pack_workbook(pack_data(meeting, today))))


def table_below(sheet, first_heading: str, start_row: int = 1):
    """The header row (as a list) and the rows under it, down to the first empty row."""
    for row in sheet.iter_rows(min_row=start_row):
        if row[0].value == first_heading:
            header = [cell.value for cell in row]
            body = []
            for below in sheet.iter_rows(min_row=row[0].row + 1):
                if below[0].value is None:
                    break
                body.append(below)
            return row, header, body
    raise AssertionError(f"no table headed {first_heading!r} in {sheet.title}")


def rows_as_dicts(header, body):
    return [dict(zip(header, (cell.value for cell in row), strict=False)) for row in body]


def test_the_workbook_has_the_seven_sections_as_sheets(database_url):
    book = workbook()
    assert book.sheetnames == SHEETS
    for sheet in book:
        assert sheet["A1"].value.startswith("Programme board, 24 Nov 2026")


def test_milestones_sheet_has_one_row_per_milestone_the_page_shows(database_url):
    sheet = workbook()["Milestones"]
    header_row, header, body = table_below(sheet, "Organisation")
    shown = milestones(MilestoneFilters(), TODAY)
    assert len(body) == len(shown) > 0
    rows = rows_as_dicts(header, body)
    titles = [row["Milestone"] for row in rows]
    assert "Conduct TU consultation" in titles  # seed 000 §5.15
    assert all(cell.font.bold for cell in header_row if cell.value)
    # Dates are real dates shown as 1 Mar 2019, not text.
    consultation = body[titles.index("Conduct TU consultation")]
    actual_end = consultation[header.index("Actual end")]
    assert actual_end.value.date() == dt.date(2019, 3, 1)
    assert actual_end.number_format == "d mmm yyyy"
    assert {row["Illustrative data"] for row in rows} <= {"yes", "no"}


def test_savings_totals_equal_the_savings_page_for_each_organisation(database_url):
    sheet = workbook()["Savings"]
    lines = saving_queries.saving_lines(saving_queries.SavingFilters(), TODAY)
    organisations = sorted(set(lines["organisation"]))
    assert organisations == ["Birmingham City Council", "London Borough of Barnet"]
    for organisation in organisations:
        expected = saving_queries.totals(lines[lines["organisation"] == organisation])
        title_row = next(row for row in sheet.iter_rows() if row[0].value == f"{organisation}: saving lines")
        _, header, body = table_below(sheet, "Financial year", start_row=title_row[0].row)
        total = rows_as_dicts(header, body[-1:])[0]
        assert total["Financial year"] == "Total"
        assert len(body) - 1 == expected["lines"]
        for column, key in (
            ("Target", "target"),
            ("Forecast", "forecast"),
            ("Realised", "realised"),
            ("Variance (forecast − target)", "variance"),
        ):
            assert Decimal(str(total[column])) == expected[key], (organisation, column)
        assert body[-1][header.index("Target")].number_format == "£#,##0"
        assert body[-1][0].font.bold


def test_barnet_psr_savings_target_is_18_5_million(database_url):
    # Seed 003 §2: 2016/17 to 2019/20 targets (identified + additional) add up to £18.5m.
    sheet = workbook()["Savings"]
    title_row = next(
        row for row in sheet.iter_rows() if row[0].value == "London Borough of Barnet: by project"
    )
    _, header, body = table_below(sheet, "Programme", start_row=title_row[0].row)
    projects = {row["Project"]: row for row in rows_as_dicts(header, body)}
    psr = projects["Adults & Safeguarding Committee savings target (PSR)"]
    assert psr["Target"] == 18_500_000


def _audit(at, milestone, field, old, new):
    return m.AuditEvent(
        at=at,
        username="transition.lead",
        action="update",
        entity="milestone",
        entity_id=milestone.id,
        field=field,
        old_value=old,
        new_value=new,
        project_id=milestone.project_id,
    )


def test_changes_sheet_lists_changes_since_the_previous_board_only(database_url):
    with session_scope() as db:
        review = db.query(m.Milestone).filter_by(key="tr_joint_market_review").one()
        db.add_all(
            [
                # Before the 17 Nov board: belongs to the previous pack.
                _audit(dt.datetime(2026, 11, 16, 10, 0), review, "status", "Not started", "In progress"),
                # Between the 17 Nov and 24 Nov boards.
                _audit(dt.datetime(2026, 11, 20, 9, 30), review, "forecast_end", "2026-12-18", "2027-01-29"),
                # After the 24 Nov board: the next pack's.
                _audit(dt.datetime(2026, 11, 25, 9, 0), review, "rag", "Amber", "Red"),
            ]
        )
    sheet = workbook(today=dt.date(2026, 11, 26))["Changes since last board"]
    _, header, body = table_below(sheet, "Project")
    rows = rows_as_dicts(header, body)
    assert [(row["Change"], row["From"], row["To"]) for row in rows] == [
        ("Forecast end date moved", "18 Dec 2026", "29 Jan 2027")
    ]
    assert rows[0]["Project"] == "Transition Project - Preparation for Adulthood"
    assert rows[0]["Item"].startswith("Comprehensive joint market review")
    assert rows[0]["Days moved"] == 42
    assert "after the board of 17 Nov 2026" in sheet["A3"].value

    earlier = workbook(meeting=dt.date(2026, 11, 17), today=dt.date(2026, 11, 26))["Changes since last board"]
    _, header, body = table_below(earlier, "Project")
    assert [row["Change"] for row in rows_as_dicts(header, body)] == ["Status changed"]


def test_formula_like_text_is_neutralised(database_url):
    with session_scope() as db:
        milestone = db.query(m.Milestone).filter_by(key="cj_tu_consultation").one()
        milestone.commentary = '=HYPERLINK("http://example.invalid")'
    sheet = workbook()["Milestones"]
    _, header, body = table_below(sheet, "Organisation")
    rows = rows_as_dicts(header, body)
    commentary = next(row["Commentary"] for row in rows if row["Milestone"] == "Conduct TU consultation")
    assert commentary.startswith("'=")


def test_default_meeting_is_the_next_on_or_after_today_else_the_latest():
    meetings = [
        board.Meeting(1, dt.date(2026, 11, 17), "Board", True),
        board.Meeting(2, dt.date(2026, 11, 24), "Board", True),
    ]
    assert chosen_meeting(None, meetings, dt.date(2026, 11, 23)) == "2026-11-24"
    assert chosen_meeting(None, meetings, dt.date(2026, 11, 17)) == "2026-11-17"
    assert chosen_meeting(None, meetings, dt.date(2026, 12, 1)) == "2026-11-24"
    assert chosen_meeting("2026-11-17", meetings, dt.date(2026, 11, 23)) == "2026-11-17"
    assert chosen_meeting("2026-01-01", meetings, dt.date(2026, 11, 23)) == "2026-11-24"
    assert chosen_meeting(None, [], dt.date(2026, 11, 23)) is None


def _download(app, client, meeting="2026-11-24"):
    key = find_callback(app, "pack-download.data", "pack-status.children")
    body = callback_request(
        app,
        key,
        values={("pack-download-xlsx", "n_clicks"): 1, ("pack-meeting", "value"): meeting},
        triggered="pack-download-xlsx.n_clicks",
    )
    return client.post("/_dash-update-component", json=body)


def test_a_viewer_downloads_the_pack_over_http(app, login_as):
    response = _download(app, login_as("cabinet.member"))
    assert response.status_code == 200
    answer = json.loads(response.get_data(as_text=True))["response"]
    data = answer["pack-download"]["data"]
    assert data["filename"] == "board-pack-2026-11-24.xlsx"
    book = load_workbook(io.BytesIO(base64.b64decode(data["content"])))
    assert book.sheetnames == SHEETS
    assert "is ready" in json.dumps(answer["pack-status"]["children"])


def test_anonymous_download_is_refused(app, client):
    response = _download(app, client)
    assert response.status_code == 401
    assert "pack-download" not in response.get_data(as_text=True)


def test_a_meeting_that_is_not_recorded_gets_no_pack(app, login_as):
    response = _download(app, login_as("cabinet.member"), meeting="2031-01-01")
    answer = json.loads(response.get_data(as_text=True))["response"]
    assert "pack-download" not in answer
    assert "Choose a board meeting" in json.dumps(answer)


@pytest.mark.parametrize("username", ["cabinet.member", "cj.lead"])
def test_the_printable_pack_shows_the_meeting_date_and_the_pages_totals(app, login_as, username):
    client = login_as(username)
    page = client.get("/pack?meeting=2026-11-24")
    assert page.status_code == 200
    key = find_callback(app, "pack-document.children", "pack-url.search")
    response = client.post(
        "/_dash-update-component",
        json=callback_request(app, key, values={("pack-meeting", "value"): "2026-11-24"}),
    )
    assert response.status_code == 200
    answer = json.loads(response.get_data(as_text=True))["response"]
    document = json.dumps(answer["pack-document"]["children"], ensure_ascii=False)
    assert answer["pack-url"]["search"] == "?meeting=2026-11-24"
    assert "Programme board, 24 Nov 2026" in document
    for heading in ("Summary", "Milestones", "Peer challenge actions", "Savings against targets", "KPIs"):
        assert heading in document
    assert "Changes since the last board" in document
    assert "Conduct TU consultation" in document
    assert "Illustrative data" in document
    # Barnet's savings total as the savings page writes it (all Barnet lines), and PSR's £18.5m.
    lines = saving_queries.saving_lines(saving_queries.SavingFilters(), clock.today())
    barnet = saving_queries.totals(lines[lines["organisation"] == "London Borough of Barnet"])

    assert format_money(barnet["target"]) in document
    assert "£18.5m" in document
    assert "Updates owed and late" in document
    assert document.count('"pack-section"') == 8


def test_another_meeting_sends_only_what_the_meeting_changes_unless_the_day_has_turned(app, login_as):
    client = login_as("cabinet.member")
    client.get("/pack?meeting=2026-11-24")
    key = find_callback(app, "pack-document.children", "pack-url.search")

    def answer(drawn) -> dict:
        values = {("pack-meeting", "value"): "2026-11-10", ("pack-drawn", "data"): drawn}
        request = callback_request(app, key, values=values, triggered="pack-meeting.value")
        response = client.post("/_dash-update-component", json=request)
        assert response.status_code == 200
        return json.loads(response.get_data(as_text=True))["response"]

    # A pack drawn today: the meeting's title, its changes and its updates, not the milestones again.
    patched = answer(clock.today().isoformat())
    sent = json.dumps(patched["pack-document"], ensure_ascii=False)
    assert "Programme board, 10 Nov 2026" in sent
    assert "Changes since the board of 3 Nov 2026" in sent
    assert "Updates for the board of 10 Nov 2026 were due by" in sent
    assert "Conduct TU consultation" not in sent
    assert patched["pack-url"]["search"] == "?meeting=2026-11-10"

    # Drawn on an earlier day: the whole pack again, every section as at today.
    whole = answer((clock.today() - dt.timedelta(days=1)).isoformat())
    document = json.dumps(whole["pack-document"]["children"], ensure_ascii=False)
    assert "Conduct TU consultation" in document
    assert document.count('"pack-section"') == 8
    assert whole["pack-drawn"]["data"] == clock.today().isoformat()


def test_print_css_breaks_pages_and_numbers_them(client):
    css = client.get("/assets/pack.css").get_data(as_text=True)
    assert "@media print" in css
    assert "break-before: page" in css
    assert "break-inside: avoid" in css
    assert "size: A4 landscape" in css
    assert 'counter(page) " of " counter(pages)' in css
    assert ".app-navbar" in css


def test_anonymous_cannot_see_the_pack(app, client):
    key = find_callback(app, "pack-document.children", "pack-url.search")
    response = client.post(
        "/_dash-update-component",
        json=callback_request(app, key, values={("pack-meeting", "value"): "2026-11-24"}),
    )
    assert response.status_code == 401
