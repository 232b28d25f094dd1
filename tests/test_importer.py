"""Spreadsheet import: parsing what real trackers contain, all-or-nothing checks, idempotent re-import."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from dashboard import models as m
from dashboard import services
from dashboard.cli.imports import run_import
from dashboard.db import session_scope
from dashboard.services import importer

TODAY = dt.date(2026, 11, 23)


def xlsx(build) -> bytes:
    workbook = Workbook()
    build(workbook.active)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def milestone_tracker(sheet, bad: bool = False):
    """A tracker as the programme office keeps it: title row, merged group headings, a total row."""
    sheet.title = "Milestones"
    sheet.append(["Transition milestone tracker"])
    sheet.merge_cells("A1:H1")
    sheet.append(["Project", "Milestone ", "Baseline", None, "Status", "RAG", "% complete", "Commentary"])
    sheet.append([None, None, "Start", "End", None, None, None, None])
    for cell in ("A2:A3", "B2:B3", "C2:D2", "E2:E3", "F2:F3", "G2:G3", "H2:H3"):
        sheet.merge_cells(cell)
    sheet.append(
        ["transition ", "Imported pilot  ", 46266, "Sept 2027", "In progress", "Green", "25%", "Going well "]
    )
    sheet.append([])
    sheet.append(
        [
            "Transition Project - Preparation for Adulthood",
            "Second imported milestone",
            dt.datetime(2027, 1, 4),
            "31/03/2027",
            "Not started",
            None,
            0 if not bad else "lots",
            None,
        ]
    )
    if bad:
        sheet.append(["nowhere", "Third", None, "Smarch 2027", "Finished", "Purple", 10, None])
    sheet.append(["Total", None, None, None, None, None, None, None])


def audit_count() -> int:
    with session_scope() as db:
        return db.scalar(select(func.count()).select_from(m.AuditEvent))


def milestone_versions() -> dict[str, int]:
    with session_scope() as db:
        return {row.title: row.version for row in db.scalars(select(m.Milestone)).all()}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("£1.2m", Decimal("1200000")),
        ("£654k", Decimal("654000")),
        ("1,234.50", Decimal("1234.50")),
        (" £ 5,450,000 ", Decimal("5450000")),
        ("(500)", Decimal("-500")),
        ("-", None),
        ("", None),
        (None, None),
        (1234.5, Decimal("1234.5")),
    ],
)
def test_money_is_read_as_people_write_it(text, expected):
    assert importer.parse_money(text) == expected


def test_money_that_is_not_money_says_so():
    with pytest.raises(ValueError, match="not an amount in pounds"):
        importer.parse_money("about a million")


@pytest.mark.parametrize(
    ("value", "end", "expected"),
    [
        (43405, False, dt.date(2018, 11, 1)),
        ("43405", False, dt.date(2018, 11, 1)),
        (dt.datetime(2026, 11, 22, 0, 0), False, dt.date(2026, 11, 22)),
        ("2026-11-22", False, dt.date(2026, 11, 22)),
        ("22/11/2026", False, dt.date(2026, 11, 22)),
        ("22 Nov 2026", False, dt.date(2026, 11, 22)),
        ("Sept 2018", False, dt.date(2018, 9, 1)),
        ("Sept 2018", True, dt.date(2018, 9, 30)),
        ("September 2018", True, dt.date(2018, 9, 30)),
        ("2018", False, dt.date(2018, 1, 1)),
        ("2018", True, dt.date(2018, 12, 31)),
        (" - ", False, None),
    ],
)
def test_dates_as_spreadsheets_hold_them(value, end, expected):
    assert importer.parse_date(value, end=end) == expected


def test_a_date_that_is_not_real_is_refused_in_plain_words():
    with pytest.raises(ValueError, match="not a real date"):
        importer.parse_date("31/02/2026")


def test_financial_years_and_headers():
    assert importer.parse_financial_year("2019/20") == 2019
    assert importer.parse_financial_year("2019-2020") == 2019
    with pytest.raises(ValueError, match="2019/20"):
        importer.parse_financial_year("2019/22")
    assert importer.normalise_header("  % Complete ") == "percent complete"
    assert importer.normalise_header("KPI_code") == "kpi code"


def test_a_tracker_with_merged_headers_imports_and_a_second_import_changes_nothing(database_url):
    content = xlsx(milestone_tracker)
    before_audits = audit_count()
    report = importer.import_file(services.SYSTEM, "milestones", "tracker.xlsx", content, today=TODAY)
    assert report.ok, report.lines()
    assert (report.count("new"), report.count("update")) == (2, 0)
    with session_scope() as db:
        pilot = db.scalars(select(m.Milestone).where(m.Milestone.title == "Imported pilot")).one()
        assert (pilot.status, pilot.rag, pilot.percent_complete, pilot.commentary) == (
            "In progress",
            "Green",
            25,
            "Going well",
        )
        assert pilot.project.key == "transition"
        dates = db.scalars(
            select(m.MilestoneBaseline).where(m.MilestoneBaseline.milestone_id == pilot.id)
        ).one()
        # 46266 is an Excel serial (1 Sep 2026); "Sept 2027" as an end is the month's last day.
        assert (dates.start_date, dates.end_date) == (dt.date(2026, 9, 1), dt.date(2027, 9, 30))
        assert pilot.forecast_end == dt.date(2027, 9, 30)
        events = db.scalars(
            select(m.AuditEvent).where(m.AuditEvent.entity_id == pilot.id, m.AuditEvent.entity == "milestone")
        ).all()
        assert {event.action for event in events} == {"import"}
        assert {event.username for event in events} == {"system"}
    after_first = audit_count()
    assert after_first > before_audits
    versions = milestone_versions()

    again = importer.import_file(services.SYSTEM, "milestones", "tracker.xlsx", content, today=TODAY)
    assert again.ok and again.count("no change") == 2
    assert audit_count() == after_first
    assert milestone_versions() == versions


def test_a_changed_row_updates_only_its_changed_fields(database_url):
    importer.import_file(
        services.SYSTEM,
        "milestones",
        "t.csv",
        b"Project,Milestone,Baseline end,% complete\ntransition,Pilot,Sept 2027,10\n",
        today=TODAY,
    )
    versions = milestone_versions()
    report = importer.import_file(
        services.SYSTEM,
        "milestones",
        "t.csv",
        b"Project,Milestone,Baseline end,% complete\ntransition,Pilot,Sept 2027,40\n",
        today=TODAY,
    )
    assert report.count("update") == 1
    assert milestone_versions()["Pilot"] == versions["Pilot"] + 1
    with session_scope() as db:
        events = db.scalars(
            select(m.AuditEvent).where(
                m.AuditEvent.action == "import", m.AuditEvent.field == "percent_complete"
            )
        ).all()
        assert [(e.old_value, e.new_value) for e in events] == [(None, "10"), ("10", "40")]


def test_one_bad_row_imports_nothing_and_names_every_problem(database_url):
    before = (audit_count(), milestone_versions())
    report = importer.import_file(
        services.SYSTEM,
        "milestones",
        "tracker.xlsx",
        xlsx(lambda sheet: milestone_tracker(sheet, bad=True)),
        today=TODAY,
    )
    assert not report.ok
    assert (audit_count(), milestone_versions()) == before
    found = {(p.sheet, p.row, p.column) for p in report.problems}
    assert ("Milestones", 6, "% complete") in found
    assert {("Milestones", 7, column) for column in ("Project", "Baseline End", "Status", "RAG")} <= found
    text = "\n".join(report.lines())
    assert "Nothing was imported" in text
    assert "Sheet “Milestones”, row 7, column “Project”: There is no project called “nowhere”" in text
    assert "“Smarch 2027” is not a date we recognise" in text


def test_a_missing_column_is_reported_against_the_heading_row(database_url):
    report = importer.check_file("savings", "s.csv", b"Project,Description,Target\ntransition,x,1\n")
    assert [(p.row, p.column) for p in report.problems] == [(1, "Financial year")]
    assert "column is missing" in report.problems[0].message


def test_savings_read_money_and_refuse_negatives_and_pennies(database_url):
    good = (
        "Project,Financial year,Description,Target,Forecast,Confidence,Confidence reason,FTE\n"
        "transition,2026/27,Agency spend ,£1.2m,£654k,High,Recruiting,3.5\n,,,,,,,\n"
        "Total,,,£1.2m,,,,\n"
    )
    report = importer.import_file(services.SYSTEM, "savings", "s.csv", good.encode(), today=TODAY)
    assert report.ok, report.lines()
    with session_scope() as db:
        line = db.scalars(select(m.SavingLine).where(m.SavingLine.description == "Agency spend")).one()
        assert (line.target, line.forecast, line.financial_year, line.fte) == (
            Decimal("1200000.00"),
            Decimal("654000.00"),
            2026,
            3.5,
        )
    audits = audit_count()
    assert (
        importer.import_file(services.SYSTEM, "savings", "s.csv", good.encode(), today=TODAY).count(
            "no change"
        )
        == 1
    )
    assert audit_count() == audits
    bad = "Project,Financial year,Description,Target,Forecast\ntransition,2026/27,Y,-5,1.234\n"
    report = importer.check_file("savings", "bad.csv", bad.encode(), today=TODAY)
    assert {(p.row, p.column) for p in report.problems} == {(2, "Target"), (2, "Forecast")}


def test_actions_and_kpi_values_import_once(database_url):
    actions = b"Recommendation,Action,Owner,Due date,Status,% complete\n1a,Agree pack,Head of Finance,Sept 2026,In progress,10\n"
    kpis = b"KPI code,Area,Period,Value\nCON-FIRST-CONTACT,ladywood,Q3 2026/27,51\n"
    for kind, content in (("actions", actions), ("kpi_values", kpis)):
        first = importer.import_file(services.SYSTEM, kind, "f.csv", content, today=TODAY)
        assert first.ok and first.count("new") == 1, first.lines()
        audits = audit_count()
        assert (
            importer.import_file(services.SYSTEM, kind, "f.csv", content, today=TODAY).count("no change") == 1
        )
        assert audit_count() == audits
    with session_scope() as db:
        action = db.scalars(select(m.ActionItem).where(m.ActionItem.title == "Agree pack")).one()
        assert (action.recommendation.number, action.due_date) == ("1a", dt.date(2026, 9, 30))


def test_the_command_line_checks_and_imports(database_url, tmp_path, capsys):
    path = tmp_path / "tracker.xlsx"
    path.write_bytes(xlsx(milestone_tracker))
    assert run_import("milestones", path, dry_run=True) == 0
    assert "ready to import" in capsys.readouterr().out
    assert "Imported pilot" not in milestone_versions()
    assert run_import("milestones", path, dry_run=False) == 0
    assert "Imported pilot" in milestone_versions()
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx(lambda sheet: milestone_tracker(sheet, bad=True)))
    assert run_import("milestones", bad, dry_run=False) == 1
    assert "row 7, column “Project”" in capsys.readouterr().err


def workbook_bytes(*sheets) -> bytes:
    """A workbook of (title, rows, {cell: number format}) sheets, built as Excel would hold it."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows, formats in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for cell, number_format in formats.items():
            sheet[cell].number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_percent_formatted_cells_store_what_the_cell_shows(database_url):
    milestones = workbook_bytes(
        (
            "Milestones",
            [
                ["Project", "Milestone", "Baseline end", "% complete"],
                ["transition", "Done pilot", "Sept 2027", 1],
            ],
            {"D2": "0%"},
        )
    )
    report = importer.import_file(services.SYSTEM, "milestones", "m.xlsx", milestones, today=TODAY)
    assert report.ok, report.lines()
    actions = workbook_bytes(
        (
            "Actions",
            [
                ["Recommendation", "Action", "Owner", "Due date", "% complete"],
                ["1a", "Forty", "Head", "Sept 2026", 0.4],
            ],
            {"E2": "0%"},
        )
    )
    report = importer.import_file(services.SYSTEM, "actions", "a.xlsx", actions, today=TODAY)
    assert report.ok, report.lines()
    kpis = workbook_bytes(
        (
            "KPI values",
            [["KPI code", "Area", "Period", "Value"], ["CON-FIRST-CONTACT", "ladywood", "Q3 2026/27", 0.575]],
            {"D2": "0.0%"},
        )
    )
    report = importer.import_file(services.SYSTEM, "kpi_values", "k.xlsx", kpis, today=TODAY)
    assert report.ok, report.lines()
    with session_scope() as db:
        assert (
            db.scalars(select(m.Milestone.percent_complete).where(m.Milestone.title == "Done pilot")).one()
            == 100
        )
        assert (
            db.scalars(select(m.ActionItem.percent_complete).where(m.ActionItem.title == "Forty")).one() == 40
        )
        value = db.scalars(
            select(m.KpiValue.value)
            .join(m.Kpi)
            .where(m.Kpi.code == "CON-FIRST-CONTACT", m.KpiValue.period_start == dt.date(2026, 10, 1))
        ).one()
        assert value == pytest.approx(57.5)


def test_money_computed_in_excel_is_taken_to_the_penny_it_shows(database_url):
    assert importer.parse_money(100.10 + 200.20) == Decimal("300.30")
    savings = workbook_bytes(
        (
            "Savings",
            [
                ["Project", "Financial year", "Description", "Target", "Forecast"],
                ["transition", "2026/27", "Computed forecast", 1000, 100.10 + 200.20],
            ],
            {"D2": "£#,##0.00", "E2": "£#,##0.00"},
        )
    )
    report = importer.import_file(services.SYSTEM, "savings", "s.xlsx", savings, today=TODAY)
    assert report.ok, report.lines()
    with session_scope() as db:
        line = db.scalars(select(m.SavingLine).where(m.SavingLine.description == "Computed forecast")).one()
        assert line.forecast == Decimal("300.30")
    again = importer.import_file(services.SYSTEM, "savings", "s.xlsx", savings, today=TODAY)
    assert again.count("no change") == 1
    # A real third decimal place is still refused.
    bad = "Project,Financial year,Description,Target\ntransition,2026/27,Z,1.234\n"
    assert [
        p.column for p in importer.check_file("savings", "b.csv", bad.encode(), today=TODAY).problems
    ] == ["Target"]


def test_an_exact_heading_wins_over_a_synonym_and_two_synonyms_are_refused(database_url):
    savings = workbook_bytes(
        (
            "Savings",
            [
                ["Project", "Financial year", "Description", "Budget", "Target"],
                ["transition", "2026/27", "Budget beside target", 5000, 1000],
            ],
            {},
        )
    )
    report = importer.import_file(services.SYSTEM, "savings", "s.xlsx", savings, today=TODAY)
    assert report.ok, report.lines()
    with session_scope() as db:
        line = db.scalars(
            select(m.SavingLine).where(m.SavingLine.description == "Budget beside target")
        ).one()
        assert line.target == Decimal("1000.00")
    both = "Project,Financial year,Description,Budget,Savings target\ntransition,2026/27,Two,5000,1000\n"
    report = importer.check_file("savings", "two.csv", both.encode(), today=TODAY)
    assert not report.ok
    assert [(p.row, p.column) for p in report.problems] == [(1, "Target")]
    assert (
        "Columns “Budget” and “Savings target” could each be the “Target” column"
        in report.problems[0].message
    )


def test_a_hidden_sheet_is_read_only_when_picked_and_the_report_names_the_sheet(
    database_url, tmp_path, capsys
):
    workbook = Workbook()
    stale = workbook.active
    stale.title = "Milestones"
    for row in (["Project", "Milestone", "Baseline end"], ["transition", "Stale hidden row", "Sept 2027"]):
        stale.append(row)
    stale.sheet_state = "hidden"
    current = workbook.create_sheet("Tracker")
    for row in (["Project", "Milestone", "Baseline end"], ["transition", "Visible row", "Sept 2027"]):
        current.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    content = buffer.getvalue()

    report = importer.check_file("milestones", "t.xlsx", content, today=TODAY)
    assert report.ok and report.sheet == "Tracker", report.lines()
    assert [plan.key for plan in report.rows] == ["transition · Visible row"]
    assert report.lines()[0].startswith("t.xlsx, sheet “Tracker” is ready to import")
    picked = importer.check_file("milestones", "t.xlsx", content, today=TODAY, sheet="Milestones")
    assert [plan.key for plan in picked.rows] == ["transition · Stale hidden row"]

    current.sheet_state = "hidden"
    workbook.create_sheet("Notes").append(["Read me first"])
    workbook.active = 2
    buffer = io.BytesIO()
    workbook.save(buffer)
    path = tmp_path / "hidden.xlsx"
    path.write_bytes(buffer.getvalue())
    assert run_import("milestones", path, dry_run=True) == 1
    assert "Hidden sheets are not read (“Milestones”, “Tracker”)" in capsys.readouterr().err
    assert run_import("milestones", path, dry_run=True, sheet="Tracker") == 0
    assert "sheet “Tracker” is ready to import" in capsys.readouterr().out


def test_formulas_never_calculated_are_refused_with_how_to_fix_it(database_url):
    written_by_a_program = workbook_bytes(
        (
            "Savings",
            [
                ["Project", "Financial year", "Description", "Target", "Forecast"],
                ["transition", "2026/27", "Formula forecast", 1000, "=100.10+200.20"],
            ],
            {},
        )
    )
    before = audit_count()
    report = importer.import_file(services.SYSTEM, "savings", "s.xlsx", written_by_a_program, today=TODAY)
    assert not report.ok
    assert [(p.sheet, p.row, p.column) for p in report.problems] == [("Savings", 2, "Forecast")]
    assert (
        "open the file in Excel and save it, so the formulas' values are stored" in report.problems[0].message
    )
    assert audit_count() == before


def saved_by_excel(content: bytes, cached: dict[str, str]) -> bytes:
    """The workbook as Excel saves it: each formula cell in `cached` holds its calculated value."""
    source, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                for cell, value in cached.items():
                    pattern = rf'(<c r="{cell}"[^>]*>\s*<f>[^<]*</f>\s*)<v\s*/?>(</v>)?'
                    data = re.sub(pattern.encode(), rb"\1<v>" + value.encode() + b"</v>", data)
            target.writestr(item, data)
    return out.getvalue()


def test_formulas_excel_calculated_are_read_even_when_one_is_blank(database_url):
    content = workbook_bytes(
        (
            "Savings",
            [
                ["Project", "Financial year", "Description", "Target", "Forecast"],
                ["transition", "2026/27", "Calculated forecast", 1000, "=100.10+200.20"],
                ["transition", "2026/27", "Blank forecast", 1000, '=IF(1=1,"","x")'],
            ],
            {},
        )
    )
    report = importer.import_file(
        services.SYSTEM,
        "savings",
        "s.xlsx",
        saved_by_excel(content, {"E2": "300.29999999999995"}),
        today=TODAY,
    )
    assert report.ok, report.lines()
    with session_scope() as db:
        line = db.scalars(select(m.SavingLine).where(m.SavingLine.description == "Calculated forecast")).one()
        assert line.forecast == Decimal("300.30")


def test_line_breaks_in_commentary_are_kept_and_a_reimport_changes_nothing(database_url):
    content = workbook_bytes(
        (
            "Milestones",
            [
                ["Project", "Milestone", "Baseline end", "Commentary"],
                ["transition", "Two  line\nmilestone", "Sept 2027", "First line \r\nSecond  line\n\nThird"],
            ],
            {},
        )
    )
    report = importer.import_file(services.SYSTEM, "milestones", "m.xlsx", content, today=TODAY)
    assert report.ok, report.lines()
    with session_scope() as db:
        milestone = db.scalars(select(m.Milestone).where(m.Milestone.title == "Two line milestone")).one()
        assert milestone.commentary == "First line\nSecond line\n\nThird"
    again = importer.import_file(services.SYSTEM, "milestones", "m.xlsx", content, today=TODAY)
    assert again.count("no change") == 1


def test_one_message_per_cell_with_dates_written_as_people_read_them(database_url):
    november = dt.datetime(2019, 11, 1)
    actions = workbook_bytes(
        (
            "Actions",
            [
                ["Recommendation", "Action", "Owner", "Due date"],
                ["1a", "Bad due date", "Head", "Smarch 2027"],
            ],
            {},
        )
    )
    report = importer.check_file("actions", "a.xlsx", actions, today=TODAY)
    assert [(p.row, p.column) for p in report.problems] == [(2, "Due date")]
    assert "“Smarch 2027” is not a date we recognise" in report.problems[0].message
    savings = workbook_bytes(
        (
            "Savings",
            [
                ["Project", "Financial year", "Description", "Target", "Confidence"],
                ["transition", november, "Dates everywhere", november, november],
            ],
            {"B2": "d-mmm-yy", "D2": "d-mmm-yy", "E2": "d-mmm-yy"},
        )
    )
    kpis = workbook_bytes(
        (
            "KPI values",
            [["KPI code", "Area", "Period", "Value"], ["CON-FIRST-CONTACT", "ladywood", november, 50]],
            {"C2": "d-mmm-yy"},
        )
    )
    problems = [
        *importer.check_file("savings", "s.xlsx", savings, today=TODAY).problems,
        *importer.check_file("kpi_values", "k.xlsx", kpis, today=TODAY).problems,
    ]
    assert sorted((p.sheet, p.column) for p in problems) == [
        ("KPI values", "Period"),
        ("Savings", "Confidence"),
        ("Savings", "Financial year"),
        ("Savings", "Target"),
    ]
    for problem in problems:
        assert "“1 Nov 2019”" in problem.message and "00:00:00" not in problem.message, problem.message


@pytest.mark.parametrize(
    "label", ["Total", "Totals", "Total savings 2019-28", "Grand total", "TOTAL:", "Sub-total"]
)
def test_a_totals_row_is_recognised_by_its_label_and_not_read_as_a_row(database_url, label):
    savings = workbook_bytes(
        (
            "Savings",
            [
                ["Project", "Financial year", "Description", "Target", "Forecast"],
                ["transition", "2026/27", "Counted line", 1000, 900],
                [label, "2019-28", "All years", 1000, 900],
            ],
            {},
        )
    )
    report = importer.import_file(services.SYSTEM, "savings", "s.xlsx", savings, today=TODAY)
    assert report.ok, report.lines()
    assert [row.outcome for row in report.rows] == ["new"]
    with session_scope() as db:
        stored = set(db.scalars(select(m.SavingLine.description)).all())
    assert "Counted line" in stored and "All years" not in stored


def test_a_date_cell_shown_as_a_month_reads_as_that_month(database_url):
    """A date cell formatted 'mmm-yy' (showing Oct-26) means the month, as the text "Oct 2026" does."""
    kpis = workbook_bytes(
        (
            "KPI values",
            [
                ["KPI code", "Area", "Period", "Value"],
                ["CON-FIRST-CONTACT", "ladywood", dt.datetime(2026, 10, 14), 51],
            ],
            {"C2": "mmm-yy"},
        )
    )
    report = importer.import_file(services.SYSTEM, "kpi_values", "k.xlsx", kpis, today=TODAY)
    assert report.ok, report.lines()
    milestones = workbook_bytes(
        (
            "Milestones",
            [
                ["Project", "Milestone", "Forecast start", "Forecast end", "Baseline end"],
                [
                    "transition",
                    "Month-formatted",
                    dt.datetime(2026, 11, 17),
                    dt.datetime(2027, 9, 1),
                    "Sept 2027",
                ],
            ],
            {"C2": "mmm-yy", "D2": "mmm\\-yyyy"},
        )
    )
    report = importer.import_file(services.SYSTEM, "milestones", "m.xlsx", milestones, today=TODAY)
    assert report.ok, report.lines()
    actions = workbook_bytes(
        (
            "Actions",
            [
                ["Recommendation", "Action", "Owner", "Due date"],
                ["1a", "Month due", "Head", dt.datetime(2026, 9, 1)],
            ],
            {"D2": "mmm-yy"},
        )
    )
    report = importer.import_file(services.SYSTEM, "actions", "a.xlsx", actions, today=TODAY)
    assert report.ok, report.lines()
    with session_scope() as db:
        period = db.execute(
            select(m.KpiValue.period_start, m.KpiValue.period_end, m.KpiValue.value)
            .join(m.Kpi)
            .where(m.Kpi.code == "CON-FIRST-CONTACT", m.KpiValue.period_start == dt.date(2026, 10, 1))
        ).one()
        assert tuple(period) == (dt.date(2026, 10, 1), dt.date(2026, 10, 31), 51)
        milestone = db.scalars(select(m.Milestone).where(m.Milestone.title == "Month-formatted")).one()
        assert (milestone.forecast_start, milestone.forecast_end) == (
            dt.date(2026, 11, 1),
            dt.date(2027, 9, 30),
        )
        action = db.scalars(select(m.ActionItem).where(m.ActionItem.title == "Month due")).one()
        assert action.due_date == dt.date(2026, 9, 30)
    # A date cell showing the whole date is read as that day.
    day = workbook_bytes(
        (
            "Actions",
            [
                ["Recommendation", "Action", "Owner", "Due date"],
                ["1a", "Day due", "Head", dt.datetime(2026, 9, 14)],
            ],
            {"D2": "dd/mm/yyyy"},
        )
    )
    assert importer.import_file(services.SYSTEM, "actions", "a.xlsx", day, today=TODAY).ok
    with session_scope() as db:
        action = db.scalars(select(m.ActionItem).where(m.ActionItem.title == "Day due")).one()
        assert action.due_date == dt.date(2026, 9, 14)


@pytest.mark.parametrize("kind", list(importer.KINDS))
def test_a_template_has_no_example_row_to_import_and_carries_instructions(database_url, kind):
    from openpyxl import load_workbook

    template = importer.template_workbook(kind)
    workbook = load_workbook(io.BytesIO(template))
    heading = importer.KINDS[kind].sheet
    assert workbook.sheetnames == [heading, "Instructions"]
    assert [cell.value for cell in workbook[heading][1]] == [c.header for c in importer.KINDS[kind].columns]
    assert workbook[heading].max_row == 1
    described = {row[0] for row in workbook["Instructions"].iter_rows(min_row=8, values_only=True)}
    assert described == {c.header for c in importer.KINDS[kind].columns}
    assert importer.template_table(kind).empty
    # As downloaded it imports nothing; filled in, the Instructions sheet is not read.
    report = importer.check_file(kind, "t.xlsx", template, today=TODAY)
    assert [p.message for p in report.problems] == ["The sheet has no rows under its heading row"]
    examples = {
        "milestones": ["transition", "From the template", None, None, "30/11/2027"],
        "actions": ["1a", "From the template", "Head", "Sept 2027"],
        "savings": ["transition", "2026/27", "From the template", None, "£1.2m"],
        "kpi_values": ["CON-FIRST-CONTACT", "ladywood", "Q2 2026/27", 57.5],
    }
    workbook[heading].append(examples[kind])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = importer.check_file(kind, "t.xlsx", buffer.getvalue(), today=TODAY)
    assert report.ok and report.sheet == heading, report.lines()
