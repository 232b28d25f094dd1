"""KPI value writes: who may enter values, period parsing, validation, the all-or-nothing upload, audit."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from dashboard import models as m
from dashboard.auth import AuthorisationError
from dashboard.db import session_scope
from dashboard.services import core as service_core
from dashboard.services import kpis as kpi_services
from tests.helpers import user

TODAY = dt.date(2026, 11, 23)


def counts() -> tuple[int, int]:
    with session_scope() as db:
        values = db.scalar(select(func.count()).select_from(m.KpiValue))
        audits = db.scalar(
            select(func.count()).select_from(m.AuditEvent).where(m.AuditEvent.entity == "kpi_value")
        )
    return values, audits


def stored(code: str, area: str, label: str) -> m.KpiValue | None:
    with session_scope() as db:
        return db.scalars(
            select(m.KpiValue)
            .join(m.Kpi, m.Kpi.id == m.KpiValue.kpi_id)
            .join(m.Area, m.Area.id == m.KpiValue.area_id)
            .where(m.Kpi.code == code, m.Area.key == area, m.KpiValue.period_label == label)
        ).first()


@pytest.mark.parametrize(
    ("text", "label", "start", "end"),
    [
        ("Q3 2026/27", "Q3 2026/27", dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
        ("q1 2026/2027", "Q1 2026/27", dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
        ("Q4 2025/26", "Q4 2025/26", dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        ("2026/27", "2026/27", dt.date(2026, 4, 1), dt.date(2027, 3, 31)),
        ("Nov 2026", "Nov 2026", dt.date(2026, 11, 1), dt.date(2026, 11, 30)),
        ("February 2024", "Feb 2024", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
    ],
)
def test_periods_parse_to_start_and_end(text, label, start, end):
    period = kpi_services.parse_period(text)
    assert (period.label, period.start, period.end) == (label, start, end)


@pytest.mark.parametrize("text", ["", "Q5 2026/27", "2026/28", "Smarch 2026", "2026-11", "Q3 2026"])
def test_bad_periods_are_refused_in_words(text):
    with pytest.raises(ValueError, match="period|Enter"):
        kpi_services.parse_period(text)


@pytest.mark.parametrize("username", ["admin", "cj.lead", "transition.lead"])
def test_editors_enter_a_value_and_it_is_audited(database_url, username):
    before = counts()
    value_id = kpi_services.add_kpi_value(
        user(username), "CON-FIRST-CONTACT", "ladywood", "Q3 2026/27", "51.5", "first month only", today=TODAY
    )
    row = stored("CON-FIRST-CONTACT", "ladywood", "Q3 2026/27")
    assert row.id == value_id and row.value == 51.5
    assert (row.period_start, row.period_end) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert not row.illustrative and row.updated_by == username
    with session_scope() as db:
        events = db.scalars(
            select(m.AuditEvent).where(m.AuditEvent.entity == "kpi_value", m.AuditEvent.entity_id == value_id)
        ).all()
    assert {(event.field, event.new_value) for event in events} >= {
        ("kpi", "CON-FIRST-CONTACT"),
        ("area", "ladywood"),
        ("period", "Q3 2026/27"),
        ("value", "51.5"),
    }
    assert all(event.username == username and event.action == "create" for event in events)
    assert counts()[0] == before[0] + 1


def test_a_viewer_may_not_enter_or_upload(database_url):
    before = counts()
    with pytest.raises(AuthorisationError):
        kpi_services.add_kpi_value(
            user("cabinet.member"), "CON-FIRST-CONTACT", "ladywood", "Q3 2026/27", "51"
        )
    with pytest.raises(AuthorisationError):
        kpi_services.import_kpi_values(
            user("cabinet.member"),
            "v.csv",
            b"kpi_code,area,period,value\nCON-FIRST-CONTACT,ladywood,Q3 2026/27,51\n",
        )
    assert counts() == before


@pytest.mark.parametrize(
    ("kpi", "area", "period", "value", "field", "message"),
    [
        ("NOPE", "ladywood", "Q3 2026/27", "50", "kpi_code", "There is no KPI with the code “NOPE”"),
        ("CON-FIRST-CONTACT", "atlantis", "Q3 2026/27", "50", "area", "There is no area called “atlantis”"),
        ("CON-FIRST-CONTACT", "ladywood", "Q3 26", "50", "period", "is not a period we recognise"),
        ("CON-FIRST-CONTACT", "ladywood", "Q4 2026/27", "50", "period", "has not started yet"),
        ("CON-FIRST-CONTACT", "ladywood", "Q3 2026/27", "lots", "value", "must be a number"),
        ("CON-FIRST-CONTACT", "ladywood", "Q3 2026/27", "101", "value", "between 0 and 100"),
        ("CON-FIRST-CONTACT", "ladywood", "Q3 2026/27", "-1", "value", "between 0 and 100"),
        ("CON-FIRST-CONTACT", "ladywood", "Q3 2026/27", "", "value", "Enter the value"),
        ("CON-ADMISSIONS-65", "ladywood", "Q3 2026/27", "-5", "value", "cannot be negative"),
        ("CON-FIRST-CONTACT", "ladywood", "Q2 2026/27", "50", "period", "already has a value for Ladywood"),
    ],
)
def test_bad_entries_say_what_is_wrong_next_to_the_field_and_change_nothing(
    database_url, kpi, area, period, value, field, message
):
    before = counts()
    with pytest.raises(service_core.ValidationError) as caught:
        kpi_services.add_kpi_value(user("cj.lead"), kpi, area, period, value, today=TODAY)
    assert message in caught.value.errors[{"kpi_code": "kpi"}.get(field, field)]
    assert counts() == before


def test_a_value_can_be_corrected_with_a_version_check(database_url):
    lead = user("cj.lead")
    value_id = kpi_services.add_kpi_value(lead, "CON-DP-TAKEUP", "yardley", "Q3 2026/27", "20", today=TODAY)
    version = kpi_services.correct_kpi_value(lead, value_id, "21.5", expected_version=1)
    assert version == 2 and stored("CON-DP-TAKEUP", "yardley", "Q3 2026/27").value == 21.5
    with pytest.raises(service_core.ConflictError) as caught:
        kpi_services.correct_kpi_value(user("admin"), value_id, "19", expected_version=1)
    assert [change["new"] for change in caught.value.changes] == ["21.5"]
    assert stored("CON-DP-TAKEUP", "yardley", "Q3 2026/27").value == 21.5


GOOD_CSV = (
    "kpi_code,area,period,value,note\n"
    "CON-FIRST-CONTACT,ladywood,Q3 2026/27,50.5,\n"
    "CON-FIRST-CONTACT,Sutton Coldfield,Q3 2026/27,63%,by name\n"
    'CON-ADMISSIONS-65,birmingham,Q3 2026/27,"1,012",\n'
    "TR-EET,birmingham,Oct 2026,79,\n"
)


def test_a_good_csv_is_saved_whole_and_audited(database_url):
    before = counts()
    saved = kpi_services.import_kpi_values(
        user("transition.lead"), "values.csv", GOOD_CSV.encode(), today=TODAY
    )
    assert saved == 4
    assert stored("CON-FIRST-CONTACT", "sutton_coldfield", "Q3 2026/27").value == 63
    assert stored("CON-ADMISSIONS-65", "birmingham", "Q3 2026/27").value == 1012
    month = stored("TR-EET", "birmingham", "Oct 2026")
    assert (month.period_start, month.period_end) == (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert "Uploaded by transition.lead" in month.source
    values, audits = counts()
    assert values == before[0] + 4
    assert audits >= before[1] + 16  # kpi, area, period and value for each row


def test_a_bad_upload_reports_every_bad_row_and_saves_nothing(database_url):
    content = (
        b"kpi_code,area,period,value\n"
        b"CON-FIRST-CONTACT,ladywood,Q3 2026/27,50.5\n"  # row 2: good
        b"CON-NOPE,ladywood,Q3 2026/27,50\n"  # row 3: unknown KPI
        b"CON-FIRST-CONTACT,narnia,Q3 2026/27,50\n"  # row 4: unknown area
        b"CON-FIRST-CONTACT,yardley,Q7 2026/27,50\n"  # row 5: bad period
        b"CON-FIRST-CONTACT,erdington,Q3 2026/27,about half\n"  # row 6: not a number
        b"CON-FIRST-CONTACT,edgbaston,Q3 2026/27,150\n"  # row 7: percentage out of range
        b"CON-FIRST-CONTACT,ladywood,Q3 2026/27,49\n"  # row 8: duplicate of row 2
        b"CON-FIRST-CONTACT,ladywood,Q2 2026/27,49\n"  # row 9: already in the database
        b"\n"  # a blank line is not a row
        b"CON-DP-TAKEUP,selly_oak,Q3 2026/27,21\n"  # row 11: good
    )
    before = counts()
    with pytest.raises(kpi_services.UploadError) as caught:
        kpi_services.import_kpi_values(user("admin"), "values.csv", content, today=TODAY)
    problems = {(problem.row, problem.column): problem.message for problem in caught.value.problems}
    assert set(problems) == {
        (3, "kpi_code"),
        (4, "area"),
        (5, "period"),
        (6, "value"),
        (7, "value"),
        (8, "period"),
        (9, "period"),
    }
    assert "Duplicate of row 2" in problems[(8, "period")]
    assert "already has a value" in problems[(9, "period")]
    assert "between 0 and 100" in problems[(7, "value")]
    assert str(caught.value.problems[0]).startswith("Row 3, column kpi_code:")
    assert counts() == before  # nothing saved, not even the good rows
    assert stored("CON-FIRST-CONTACT", "ladywood", "Q3 2026/27") is None
    assert stored("CON-DP-TAKEUP", "selly_oak", "Q3 2026/27") is None


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_excel_upload_good_and_bad(database_url):
    bad = _xlsx([["kpi_code", "area", "period", "value"], ["TR-EET", "birmingham", "Q3 2026/27", "n/a"]])
    with pytest.raises(kpi_services.UploadError) as caught:
        kpi_services.import_kpi_values(user("admin"), "v.xlsx", bad, today=TODAY)
    assert [(p.row, p.column) for p in caught.value.problems] == [(2, "value")]
    good = _xlsx([["kpi_code", "area", "period", "value"], ["TR-EET", "birmingham", "Q3 2026/27", 81.25]])
    assert kpi_services.import_kpi_values(user("admin"), "v.xlsx", good, today=TODAY) == 1
    assert stored("TR-EET", "birmingham", "Q3 2026/27").value == 81.25


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("v.txt", b"anything", "Upload a .csv or .xlsx file"),
        ("v.csv", b"code,where,when,how much\n", "must name the columns"),
        ("v.csv", b"kpi_code,area,period,value\n", "no rows of values"),
        ("v.xlsx", b"not a workbook", "could not be read as an Excel workbook"),
        ("v.csv", "kpi_code,area,period,value\n".encode("utf-16"), "UTF-8"),
    ],
)
def test_unreadable_files_are_refused_in_words(database_url, filename, content, message):
    before = counts()
    with pytest.raises(kpi_services.UploadError) as caught:
        kpi_services.import_kpi_values(user("admin"), filename, content, today=TODAY)
    assert message in str(caught.value.problems[0])
    assert counts() == before


def test_the_template_is_itself_a_valid_upload(database_url):
    header, *rows = kpi_services.upload_template_rows()
    content = "\n".join(",".join(row) for row in [header, *rows]).encode()
    assert kpi_services.import_kpi_values(user("admin"), "template.csv", content, today=TODAY) == len(rows)
