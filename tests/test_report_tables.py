"""Every heading sits above values of its kind: each sheet of the board pack and the pages' downloads.

The kinds below are this test's own reading of each heading (a "Target" among savings is money, a
"Confidence" is a rating), not the code's table definitions, so a column shifted under the wrong
heading, or a heading that changes its kind, fails here.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import json
import re

import pytest
from openpyxl import load_workbook

from dashboard.reports.pack import pack_data, pack_workbook
from tests.helpers import callback_request, find_callback

MEETING = dt.date(2026, 11, 24)
TODAY = dt.date(2026, 11, 23)

CONFIDENCE = {"Delivered", "High", "Medium", "Low", "Not rated"}
RAG = {"Red", "Amber", "Green"}
FINANCIAL_YEAR = re.compile(r"^\d{4}/\d{2}$")

# Heading → kind, wherever the heading appears; SHEET_KINDS overrides per sheet.
KINDS = {
    "Organisation": "text",
    "Programme": "text",
    "Project": "text",
    "Milestone": "text",
    "Owner": "text",
    "Status": "text",
    "RAG": "rag",
    "RAG reason": "text",
    "% complete": "percent",
    "Baseline": "text",
    "Baseline start": "date",
    "Baseline end": "date",
    "Forecast start": "date",
    "Forecast end": "date",
    "Actual start": "date",
    "Actual end": "date",
    "Slippage (working days)": "integer",
    "Slippage (weeks)": "number",
    "Commentary": "text",
    "Last updated by": "text",
    "Last updated": "datetime",
    "Lead": "text",
    "Title": "text",
    "Last changed": "datetime",
    "Illustrative data": "yes_no",
    "Source": "text",
    "Recommendation": "text",
    "Action": "text",
    "Delivered by": "text",
    "Due date": "date",
    "Overdue": "yes_no",
    "Latest progress note date": "date",
    "Latest progress note": "text",
    "Latest note is internal": "yes_no",
    "Evidence": "text",
    "Evidence items": "integer",
    "Signed off by": "text",
    "Signed off at": "datetime",
    "Financial year": "financial_year",
    "Saving": "text",
    "Kind": "saving_kind",
    "Target": "money",
    "Forecast": "money",
    "Realised": "money",
    "Variance (forecast − target)": "money",
    "Confidence-weighted forecast": "money",
    "Confidence": "confidence",
    "Confidence reason": "text",
    "FTE": "number",
    "Depends on milestone": "text",
    "Milestone ends": "date",
    "At risk from slippage": "yes_no",
    "Re-phase to": "financial_year",
    "Illustrative note": "text",
    "Lines": "integer",
    "Measure": "text",
    "Number": "integer",
    "Lines at risk from slippage": "integer",
    "When (UK time)": "datetime",
    "Who": "text",
    "Item": "text",
    "Change": "text",
    "From": "text",
    "To": "text",
    "Days moved": "integer",
}
SHEET_KINDS = {
    "KPIs": {
        "KPI": "text",
        "Measure": "text",
        "Area": "text",
        "Latest period": "text",
        "Latest value": "number",
        "Target": "number",
        "Red periods in a row": "integer",
        "Why it is here": "text",
        "Period": "text",
        "Value": "number",
        "Rank (1 = best)": "integer",
        "Previous period": "number",
        "Change": "number",
    },
    "Self-assessment": {
        "Domain": "text",
        "Year before": "integer",
        "Rating then": "text",
        "Latest year": "integer",
        "Rating now": "text",
        "Area for improvement (2016)": "text",
        "Recommendation": "text",
        "Source": "text",
    },
}
NUMERIC = {"money", "number", "integer", "percent"}


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def cell_problem(kind: str, value, number_format: str | None = None) -> str | None:
    """Why an Excel cell's value is not of `kind` (None if it is, or if the cell is blank)."""
    if value is None or value == "":
        return None
    if kind == "text":
        return None if isinstance(value, str) else "is not text"
    if kind == "money":
        if not _is_number(value):
            return "is not a number"
        return None if number_format is None or "£" in number_format else f"is formatted {number_format!r}"
    if kind in ("number", "percent"):
        if not _is_number(value):
            return "is not a number"
        return "is not 0–100" if kind == "percent" and not 0 <= value <= 100 else None
    if kind == "integer":
        return None if _is_number(value) and float(value).is_integer() else "is not a whole number"
    if kind in ("date", "datetime"):
        if not isinstance(value, dt.date):
            return "is not a date"
        if number_format is not None and "yy" not in number_format:
            return f"is formatted {number_format!r}"
        if kind == "date" and isinstance(value, dt.datetime) and value.time() != dt.time():
            return "has a time of day"
        if kind == "datetime" and number_format is not None and "hh:mm" not in number_format:
            return "has no time of day"
        return None
    if kind == "yes_no":
        return None if value in ("yes", "no") else "is not yes or no"
    if kind == "confidence":
        return None if value in CONFIDENCE else "is not a confidence rating"
    if kind == "rag":
        return None if value in RAG else "is not a RAG"
    if kind == "financial_year":
        return None if isinstance(value, str) and FINANCIAL_YEAR.match(value) else "is not a financial year"
    if kind == "saving_kind":
        return None if value in {"Workforce", "Savings target", "Efficiency"} else "is not a kind of saving"
    raise AssertionError(f"unknown kind {kind}")


def csv_problem(kind: str, text: str) -> str | None:
    """Why a CSV cell's text does not read as `kind` (CSV has no formats: ISO dates, plain numbers)."""
    if text == "":
        return None
    if kind in NUMERIC:
        try:
            value = float(text)
        except ValueError:
            return "is not a number"
        return cell_problem(kind, int(value) if kind == "integer" and value.is_integer() else value)
    if kind == "date":
        return None if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else "is not an ISO date"
    if kind == "datetime":
        return None if re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?", text) else "is not an ISO time"
    return cell_problem(kind, text)


def kind_of(sheet: str, heading: str) -> str | None:
    return SHEET_KINDS.get(sheet, {}).get(heading, KINDS.get(heading))


def pack_tables(sheet):
    """Each table of a pack sheet: (header cells, body rows, whether the last body row is its total).

    A sheet is the heading rows, the section's sentences, a blank row, then tables each after a
    blank row: an optional title (bold, 12 pt), the header row (bold), the rows, a total (bold).
    """
    rows = list(sheet.iter_rows())
    blocks, block = [], []
    start = next(i for i, row in enumerate(rows) if i > 1 and all(cell.value is None for cell in row))
    for row in rows[start + 1 :]:
        if all(cell.value is None for cell in row):
            if block:
                blocks.append(block)
            block = []
        else:
            block.append(row)
    if block:
        blocks.append(block)
    tables = []
    for block in blocks:
        if block[0][0].font.sz == 12 and sum(cell.value is not None for cell in block[0]) == 1:
            block = block[1:]  # the table's title
        header, body = block[0], block[1:]
        assert header[0].font.bold, f"{sheet.title}: no header row above {[c.value for c in body[0]]}"
        total = bool(body) and body[-1][0].font.bold
        tables.append((header, body, total))
    return tables


def sheet_problems(sheet) -> list[str]:
    problems = []
    for header, body, has_total in pack_tables(sheet):
        headings = [cell.value for cell in header]
        filled = [
            row for row in body if sum(cell.value is not None for cell in row) > 1 or len(headings) == 1
        ]
        for position, heading in enumerate(headings):
            if heading is None:
                continue
            kind = kind_of(sheet.title, heading)
            if kind is None:
                problems.append(f"{sheet.title}: heading {heading!r} has no kind in this test")
                continue
            for number, row in enumerate(filled):
                is_total = has_total and number == len(filled) - 1
                if is_total and kind not in NUMERIC:
                    continue  # a totals row labels its text columns ("Total", "3 lines", "1 at risk")
                cell = row[position]
                problem = cell_problem(kind, cell.value, cell.number_format)
                if problem:
                    problems.append(
                        f"{sheet.title}, row {cell.row}: {heading!r} holds {cell.value!r}, which {problem}"
                    )
    return problems


def test_every_column_of_every_pack_sheet_holds_values_of_its_headings_kind(database_url):
    book = load_workbook(io.BytesIO(pack_workbook(pack_data(MEETING, TODAY))))
    problems = [problem for sheet in book for problem in sheet_problems(sheet)]
    assert problems == [], "\n".join(problems[:40])
    savings = book["Savings"]
    headings = {cell.value for header, _body, _total in pack_tables(savings) for cell in header}
    assert {"Confidence", "FTE", "Depends on milestone", "Target"} <= headings


def table_problems(name: str, header: list[str], rows: list[list], formats=None) -> list[str]:
    problems = []
    for position, heading in enumerate(header):
        kind = kind_of(name, heading)
        if kind is None:
            problems.append(f"{name}: heading {heading!r} has no kind in this test")
            continue
        for number, row in enumerate(rows):
            if formats is None:
                problem = csv_problem(kind, row[position])
            else:
                problem = cell_problem(kind, row[position], formats[number][position])
            if problem:
                problems.append(
                    f"{name}, row {number + 2}: {heading!r} holds {row[position]!r}, which {problem}"
                )
    return problems


def read_download(filename: str, content: bytes) -> tuple[list[str], list[list], list[list] | None]:
    """Header, rows and (for Excel) each cell's number format."""
    if filename.endswith(".csv"):
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        return rows[0], rows[1:], None
    sheet = load_workbook(io.BytesIO(content)).active
    header = [cell.value for cell in sheet[1]]
    body = list(sheet.iter_rows(min_row=2))
    return (
        header,
        [[cell.value for cell in row] for row in body],
        [[c.number_format for c in row] for row in body],
    )


def _download(app, client, output: str, button: str, values: dict):
    key = find_callback(app, output)
    values = {**values, (button, "n_clicks"): 1}
    response = client.post(
        "/_dash-update-component",
        json=callback_request(app, key, values=values, triggered=f"{button}.n_clicks"),
    )
    assert response.status_code == 200
    data = json.loads(response.get_data(as_text=True))["response"][output.split(".")[0]]["data"]
    return data["filename"], base64.b64decode(data["content"])


MILESTONE_FILTERS = {
    **{
        (f"ms-filter-{name}", "value"): ""
        for name in ("org", "programme", "project", "status", "rag", "owner")
    },
    ("ms-filter-search", "value"): "",
    ("ms-filter-due", "value"): None,
    ("ms-filter-baseline", "value"): "latest",
    ("ms-filter-flags", "value"): [],
    ("ms-grid", "virtualRowData"): None,
}
ACTION_FILTERS = {
    **{(f"act-filter-{name}", "value"): "all" for name in ("rec", "theme", "owner", "status", "project")},
    ("act-filter-flags", "value"): [],
    ("act-asat", "value"): "2017-03-31",
}
SAVING_FILTERS = {
    **{
        (f"sv-filter-{name}", "value"): "all"
        for name in ("org", "programme", "project", "fy", "category", "confidence")
    },
    ("sv-filter-flags", "value"): [],
    ("sv-grid", "virtualRowData"): None,
}
DOWNLOADS = [
    ("ms-download.data", "ms-download-{}", MILESTONE_FILTERS, "Milestone"),
    ("act-download.data", "act-download-actions-{}", ACTION_FILTERS, "Action"),
    ("sv-download.data", "sv-download-lines-{}", SAVING_FILTERS, "Confidence"),
    ("sv-download.data", "sv-download-years-{}", SAVING_FILTERS, "Lines"),
    ("sv-download.data", "sv-download-projects-{}", SAVING_FILTERS, "Lines"),
]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize(("output", "button", "values", "heading"), DOWNLOADS, ids=lambda v: str(v)[:22])
def test_page_downloads_hold_values_of_each_headings_kind(
    app, login_as, output, button, values, heading, kind
):
    button = button.format(kind)
    filename, content = _download(app, login_as("cabinet.member"), output, button, values)
    assert filename.endswith(f".{kind}")
    header, rows, formats = read_download(filename, content)
    assert heading in header and rows
    problems = table_problems(button, header, rows, formats)
    assert problems == [], "\n".join(problems[:40])
