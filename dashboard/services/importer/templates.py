"""The template a programme office fills in: the kind's headings on the first sheet, with no example
row that would import, and an Instructions sheet saying what each column means and how to write it."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from dashboard.services.importer.kinds import KINDS

DATE_FORMATS = (
    "A date cell, 22/11/2026 (day first), 2026-11-22, 22 Nov 2026, or a month alone (Nov 2026, "
    "a date cell shown as Nov-26): a month means its first day as a start, its last day as an end"
)
FORMATS = {
    "baseline_start": DATE_FORMATS,
    "baseline_end": DATE_FORMATS,
    "forecast_start": DATE_FORMATS,
    "forecast_end": DATE_FORMATS,
    "actual_start": DATE_FORMATS,
    "actual_end": DATE_FORMATS,
    "due_date": DATE_FORMATS,
    "status": "Not started, In progress, Complete and the other statuses the pages offer",
    "rag": "Red, Amber or Green",
    "percent_complete": "A whole number 0 to 100, or a cell formatted as a percentage (25%)",
    "financial_year": "2019/20, 2019/2020, 2019-20, 19/20, FY19/20 or FY2019/20",
    "target": "Pounds: 654000, 654,000.50, £654k, £1.2m; at most 2 decimal places, £0 or more",
    "forecast": "Pounds: 654000, 654,000.50, £654k, £1.2m; at most 2 decimal places, £0 or more",
    "realised": "Pounds: 654000, 654,000.50, £654k, £1.2m; at most 2 decimal places, £0 or more",
    "confidence": "High, Medium or Low",
    "fte": "A number of full-time equivalent posts, like 3.5",
    "period": "A quarter (Q3 2026/27), a financial year (2026/27) or a month (Nov 2026, or a date cell shown as Nov-26)",
    "value": "A number, or a cell formatted as a percentage (57.5%)",
    "project": "The project's key or its name as the pages show it",
    "area": "The area's key or its name as the pages show it",
    "kpi_code": "The KPI's code as the KPI pages show it",
    "recommendation": "The recommendation's number, like 1a",
}
MEANINGS = {
    "project": "The project the row belongs to",
    "title": "The row's title; with the key columns it says which row an import updates",
    "owner": "Who is responsible",
    "baseline_start": "When the work was planned to start",
    "baseline_end": "When the work was planned to finish (a new milestone needs one)",
    "status": "Where the work stands",
    "rag": "The RAG rating",
    "rag_reason": "Why the RAG rating is what it is",
    "percent_complete": "How much of the work is done",
    "forecast_start": "When the work is now expected to start",
    "forecast_end": "When the work is now expected to finish",
    "actual_start": "When the work started",
    "actual_end": "When the work finished",
    "commentary": "The latest update (line breaks are kept)",
    "recommendation": "The recommendation the action answers",
    "due_date": "When the action is due",
    "evidence": "The evidence that the action is done",
    "financial_year": "The financial year (April to March) of the saving",
    "description": "What the saving is",
    "category": "The kind of saving",
    "target": "The saving to be made",
    "forecast": "The saving now expected",
    "realised": "The saving made so far",
    "confidence": "How sure the programme is of the forecast",
    "confidence_reason": "Why",
    "fte": "The change in posts",
    "kpi_code": "Which KPI the value is for",
    "area": "Which area the value is for",
    "period": "The period the value covers",
    "value": "The KPI's value for that area and period",
    "note": "A note shown with the value",
}


def template_workbook(kind_name: str) -> bytes:
    """The kind's template as an .xlsx file: its headings and an Instructions sheet."""
    kind = KINDS[kind_name]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = kind.sheet
    sheet.append([column.header for column in kind.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    notes = workbook.create_sheet("Instructions")
    for line in (
        [f"How to fill in the {kind.label} template"],
        [
            f"Enter one row per {kind.label.lower().rstrip('s')} under the headings on the “{kind.sheet}” sheet."
        ],
        [
            "The first visible sheet is read (the sheet named like the kind if there is one); this sheet is not."
        ],
        [
            "A row matching one already stored (on "
            + ", ".join(kind.column(f).header for f in kind.key)
            + ") updates it; others are added. Nothing is imported if any row has a problem."
        ],
        ["A totals row (first cell Total, Totals, Grand total…) and blank rows are skipped."],
        [],
        ["Column", "Required", "What it means", "Formats accepted", "Example"],
    ):
        notes.append(line)
    for cell in notes[7]:
        cell.font = Font(bold=True)
    notes["A1"].font = Font(bold=True, size=14)
    for column in kind.columns:
        notes.append(
            [
                column.header,
                "Yes" if column.required else "No",
                MEANINGS.get(column.field, ""),
                FORMATS.get(column.field, "Text"),
                str(column.example),
            ]
        )
    for letter, width in zip("ABCDE", (22, 10, 50, 70, 24), strict=True):
        notes.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
