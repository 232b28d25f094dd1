"""The import's preview: the sheet read, each heading's field, the columns left out, the first rows as
the pages show them; Import applies exactly what the check showed; the sheet is the person's choice;
a sheet longer than an import takes is refused while reading, whatever else the workbook holds."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from dashboard import models as m
from dashboard import services
from dashboard.cli.imports import run_import
from dashboard.db import session_scope
from dashboard.services import importer
from tests.helpers import callback_request, find_callback

TODAY = dt.date(2026, 11, 23)
SAVINGS_HEADINGS = [
    "Project",
    "Financial year",
    "Description",
    "Budget",
    "Target",
    "Forecast",
    "Owner's notes",
]


def workbook(*sheets, hidden: tuple[str, ...] = ()) -> bytes:
    """A workbook of (title, rows) sheets; the sheets named in `hidden` are hidden."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        if title in hidden:
            sheet.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def savings_file(description: str = "Preview line", target=1_200_000) -> bytes:
    return workbook(
        (
            "Savings",
            [
                SAVINGS_HEADINGS,
                ["transition", "2026/27", description, 5, target, 1_080_000, "ask Sam"],
                ["Total savings 2019-28", None, None, 5, target, 1_080_000, None],
            ],
        ),
        ("Old savings", [["Project", "Financial year", "Description", "Target"]]),
        hidden=("Old savings",),
    )


def post(client, app, content: bytes, triggered: str, checked=None, sheet="*", kind="savings") -> dict:
    values = {
        ("import-upload", "contents"): "data:application/octet-stream;base64,"
        + base64.b64encode(content).decode(),
        ("import-upload", "filename"): "savings.xlsx",
        ("import-kind", "value"): kind,
        ("import-sheet", "value"): sheet,
        ("import-check", "n_clicks"): 1,
        ("import-run", "n_clicks"): 1,
        ("import-checked", "data"): checked,
    }
    body = callback_request(
        app, find_callback(app, "import-report.children"), values=values, triggered=triggered
    )
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    return json.loads(response.get_data(as_text=True))["response"]


def words(answer: dict) -> str:
    return json.dumps(answer["import-report"], ensure_ascii=False)


def _find(node, component_id):
    if isinstance(node, dict):
        if node.get("props", {}).get("id") == component_id:
            return node
        return next((found for value in node.values() if (found := _find(value, component_id))), None)
    if isinstance(node, list):
        return next((found for value in node if (found := _find(value, component_id))), None)
    return None


def _text(node) -> str:
    if isinstance(node, dict):
        return _text(node.get("props", {}).get("children"))
    if isinstance(node, list):
        return "".join(_text(child) for child in node)
    return "" if node is None else str(node)


def table_rows(answer: dict, component_id: str) -> list[list[str]]:
    """The body rows of a table in the callback's answer, each as its cells' text."""
    table = _find(answer, component_id)
    assert table is not None, f"no {component_id} in the answer"
    body = _find_type(table, "Tbody")
    return [[_text(cell) for cell in row["props"]["children"]] for row in body["props"]["children"]]


def _find_type(node, kind):
    if isinstance(node, dict):
        if node.get("type") == kind:
            return node
        return next((found for value in node.values() if (found := _find_type(value, kind))), None)
    if isinstance(node, list):
        return next((found for value in node if (found := _find_type(value, kind))), None)
    return None


def saving_lines() -> dict[str, tuple]:
    with session_scope() as db:
        return {
            line.description: (line.target, line.forecast)
            for line in db.scalars(select(m.SavingLine).where(m.SavingLine.description.like("Preview%")))
        }


def audit_count() -> int:
    with session_scope() as db:
        return db.scalar(select(func.count()).select_from(m.AuditEvent))


def test_the_check_shows_the_sheet_the_columns_and_the_first_rows_as_the_pages_do(app, login_as):
    admin = login_as("admin")
    before = audit_count()
    checked = post(admin, app, savings_file(), "import-check.n_clicks")
    text = words(checked)
    assert "savings.xlsx, sheet “Savings” is ready to import (Savings): 1 new, 0 updated, 0 unchanged" in text
    assert "Not read: “Old savings” (hidden)" in text
    # Each heading and the field it goes to; the exact "Target" wins over "Budget", which is left out.
    assert table_rows(checked, "import-mapping") == [
        ["Project", "Project"],
        ["Financial year", "Financial year"],
        ["Description", "Description"],
        ["Target", "Target"],
        ["Forecast", "Forecast"],
    ]
    assert "Not imported (no field of the layout has these headings): “Budget”, “Owner's notes”." in text
    assert "Row 3 (“Total savings 2019-28”) is not imported: it is a totals row." in text
    # Money as the savings page writes it, not 1200000.00.
    assert "Target: £1.2m" in text and "Forecast: £1.08m" in text and "1200000" not in text
    assert checked["import-run"]["disabled"] is False
    assert saving_lines() == {} and audit_count() == before


def test_import_applies_what_the_check_showed_and_nothing_once_the_file_differs(app, login_as):
    admin = login_as("admin")
    content = savings_file()  # the bytes the browser holds (a workbook saved again differs: its timestamps)
    checked = post(admin, app, content, "import-check.n_clicks")["import-checked"]["data"]
    before = audit_count()
    # Another file sent with the first one's confirmation: refused, nothing stored.
    other = post(admin, app, savings_file("Preview other line"), "import-run.n_clicks", checked=checked)
    assert "changed after you checked it" in words(other) and "Nothing was imported" in words(other)
    assert saving_lines() == {} and audit_count() == before
    # Import without any check (a crafted request): refused in words.
    unchecked = post(admin, app, content, "import-run.n_clicks", checked=None)
    assert "check the file first" in words(unchecked) and saving_lines() == {}
    # The checked file itself imports, exactly as previewed.
    imported = post(admin, app, content, "import-run.n_clicks", checked=checked)
    assert "Imported Savings from savings.xlsx, sheet “Savings”: 1 new" in words(imported)
    assert saving_lines() == {"Preview line": (1_200_000, 1_080_000)}


def test_a_row_changed_by_someone_else_after_the_check_is_not_overwritten(app, login_as):
    admin = login_as("admin")
    first = savings_file()
    post(
        admin,
        app,
        first,
        "import-run.n_clicks",
        checked=post(admin, app, first, "import-check.n_clicks")["import-checked"]["data"],
    )
    changed = savings_file(target=1_300_000)
    checked = post(admin, app, changed, "import-check.n_clicks")
    assert "Target: £1.2m → £1.3m" in words(checked)
    with session_scope() as db:  # someone saves the line in between
        line = db.scalars(select(m.SavingLine).where(m.SavingLine.description == "Preview line")).one()
        line.target = 1_250_000
    before = audit_count()
    refused = post(admin, app, changed, "import-run.n_clicks", checked=checked["import-checked"]["data"])
    assert "changed after you checked it" in words(refused)
    assert saving_lines() == {"Preview line": (1_250_000, 1_080_000)} and audit_count() == before


def test_the_sheet_chooser_lists_every_sheet_and_reads_a_hidden_one_only_when_chosen(app, login_as):
    admin = login_as("admin")
    content = workbook(
        ("Notes", [["Read me first"]]),
        (
            "Savings",
            [SAVINGS_HEADINGS[:3] + ["Target"], ["transition", "2026/27", "Preview hidden line", 10]],
        ),
        hidden=("Savings",),
    )
    refused = post(admin, app, content, "import-check.n_clicks")
    assert "Hidden sheets are not read (“Savings”)" in words(refused)
    options = refused["import-sheet"]["options"]
    assert [option["label"] for option in options[1:]] == ["Notes", "Savings (hidden)"]
    picked = post(admin, app, content, "import-check.n_clicks", sheet="Savings")
    assert "sheet “Savings” is ready to import (Savings): 1 new" in words(picked)
    imported = post(
        admin, app, content, "import-run.n_clicks", sheet="Savings", checked=picked["import-checked"]["data"]
    )
    assert "1 new" in words(imported) and "Preview hidden line" in saving_lines()


def test_a_real_row_whose_project_starts_with_total_is_imported(database_url):
    with session_scope() as db:
        programme = db.scalars(select(m.Programme)).first()
        db.add(m.Project(key="total-care", name="Total care", programme_id=programme.id))
    content = workbook(
        (
            "Savings",
            [
                ["Project", "Financial year", "Description", "Target"],
                ["Total care", "2026/27", "Preview total care line", 1000],
                ["Total", None, None, 1000],
            ],
        )
    )
    report = importer.import_file(services.SYSTEM, "savings", "s.xlsx", content, today=TODAY)
    assert report.ok, report.lines()
    assert [plan.key for plan in report.rows] == ["total-care · 2026/27 · Preview total care line"]
    assert report.skipped == [(3, "Total")]


def test_a_sheet_longer_than_the_limit_is_refused_and_a_long_sheet_not_read_does_not_matter(database_url):
    header = ["Project", "Financial year", "Description", "Target"]
    long_rows = [["transition", "2026/27", f"Line {number}", 1000] for number in range(importer.MAX_ROWS + 1)]
    refused = importer.check_file(
        "savings", "s.xlsx", workbook(("Savings", [header, *long_rows])), today=TODAY
    )
    assert [problem.message for problem in refused.problems] == [
        f"The sheet has more than {importer.MAX_ROWS:,} rows: split it"
    ]
    # A workbook written by a program may not give its sheet's size: refused all the same.
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Savings")
    for row in (header, *long_rows):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    unsized = importer.check_file("savings", "s.xlsx", buffer.getvalue(), today=TODAY)
    assert [problem.message for problem in unsized.problems] == [
        f"The sheet has more than {importer.MAX_ROWS:,} rows: split it"
    ]
    staff = [[f"Person {number}", "Team"] for number in range(importer.MAX_ROWS * 2)]
    content = workbook(
        ("Staff list", [["Name", "Team"], *staff]),
        ("Savings", [header, ["transition", "2026/27", "Preview short sheet line", 1000]]),
    )
    report = importer.check_file("savings", "s.xlsx", content, today=TODAY)
    assert report.ok and report.sheet == "Savings", report.lines()
    assert [plan.outcome for plan in report.rows] == ["new"]


def test_the_command_line_check_prints_the_preview(database_url, tmp_path, capsys):
    path = tmp_path / "savings.xlsx"
    path.write_bytes(savings_file())
    assert run_import("savings", path, dry_run=True) == 0
    printed = capsys.readouterr().out
    assert "Read savings.xlsx, sheet “Savings”. Not read: “Old savings” (hidden)." in printed
    assert "  “Target” → Target" in printed and "“Budget” →" not in printed
    assert "Not imported (no field of the layout has these headings): “Budget”, “Owner's notes”." in printed
    assert "Row 2 (transition · 2026/27 · Preview line): New: Saving: Preview line; Target: £1.2m" in printed
    assert "Checked only (--check): nothing was imported." in printed
    assert saving_lines() == {}


def test_a_percentage_is_read_and_refused_the_same_way_by_the_form_and_the_import(database_url):
    from dashboard.services.core import progress

    for written, stored in (("40%", 40), ("40", 40), (40.0, 40)):
        errors: dict = {}
        assert (
            progress({"status": "In progress", "percent_complete": written}, ("In progress",), errors)[
                "percent_complete"
            ]
            == stored
            and errors == {}
        )
    for bad in ("41.5", "120", "lots"):
        errors = {}
        progress({"status": "In progress", "percent_complete": bad}, ("In progress",), errors)
        content = workbook(
            (
                "Milestones",
                [
                    ["Project", "Milestone", "Baseline end", "% complete"],
                    ["transition", "Preview", "Sept 2027", bad],
                ],
            )
        )
        problems = importer.check_file("milestones", "m.xlsx", content, today=TODAY).problems
        assert [problem.message for problem in problems] == [f"“{bad}”: {errors['percent_complete']}"]


def test_what_the_cells_show_is_what_the_export_reads_back(database_url, tmp_path):
    """Cells as Excel shows them (percent and money formats, a month-only date, line breaks) read back
    from the export exactly as shown, not as the numbers beneath."""
    import csv

    from dashboard.reports.export import export_csv

    content = workbook(
        (
            "Savings",
            [
                ["Project", "Financial year", "Description", "Target", "Forecast"],
                ["transition", "FY26/27", "Preview penny line", 300.29999999999995, 100.1],
            ],
        ),
    )
    book_with_formats = Workbook()
    book_with_formats.remove(book_with_formats.active)
    milestones = book_with_formats.create_sheet("Milestones")
    milestones.append(["Project", "Milestone", "Baseline end", "Forecast end", "% complete", "Commentary"])
    milestones.append(
        [
            "transition",
            "Preview shown values",
            "Sept 2027",
            dt.datetime(2027, 1, 14),
            0.4,
            "First line\nSecond line",
        ]
    )
    milestones["D2"].number_format = "mmm-yy"
    milestones["E2"].number_format = "0%"
    kpis = book_with_formats.create_sheet("KPI values")
    kpis.append(["KPI code", "Area", "Period", "Value"])
    kpis.append(["CON-FIRST-CONTACT", "ladywood", "Q2 2026/27", 0.575])
    kpis["D2"].number_format = "0.0%"
    buffer = io.BytesIO()
    book_with_formats.save(buffer)
    formatted = buffer.getvalue()

    for kind, file in (("savings", content), ("milestones", formatted), ("kpi_values", formatted)):
        report = importer.import_file(services.SYSTEM, kind, "f.xlsx", file, today=TODAY)
        assert report.ok and report.count("new") + report.count("update") == 1, report.lines()
    export_csv(tmp_path)

    def exported(name: str, match) -> dict:
        with (tmp_path / f"{name}.csv").open(encoding="utf-8-sig", newline="") as handle:
            return next(row for row in csv.DictReader(handle) if match(row))

    saving = exported("savings", lambda row: row["description"] == "Preview penny line")
    assert (saving["financial_year"], saving["target"], saving["forecast"]) == ("2026/27", "300.30", "100.10")
    milestone = exported("milestones", lambda row: row["title"] == "Preview shown values")
    assert milestone["percent_complete"] == "40"
    assert milestone["forecast_end"] == "2027-01-31"  # a month shown as Jan-27 ends on its last day
    assert milestone["commentary"] == "First line\nSecond line"
    value = exported(
        "kpi_values",
        lambda row: (
            row["kpi_code"] == "CON-FIRST-CONTACT"
            and row["period"] == "Q2 2026/27"
            and row["area"].lower().startswith("ladywood")
        ),
    )
    assert float(value["value"]) == 57.5


def test_an_amount_is_read_the_same_way_by_the_savings_form_and_the_import(database_url):
    from dashboard.services.savings import parse_money as form_money

    for written, pounds in (
        ("£1.2m", 1_200_000),
        ("£654k", 654_000),
        ("654,000.50", 654_000.50),
        ("300", 300),
    ):
        errors: dict = {}
        assert form_money(written, "Target", "target", errors) == pounds and errors == {}
        assert importer.parse_money(written) == pounds
    for bad in ("1,2,3", "lots", "£"):
        errors = {}
        assert form_money(bad, "Target", "target", errors) is None and "target" in errors
        with pytest.raises(ValueError):
            importer.parse_money(bad)
