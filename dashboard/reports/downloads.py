"""Tables as files people open in Excel: CSV (UTF-8 with BOM) and real .xlsx workbooks (openpyxl)."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from dashboard.reports.export import excel_safe_text
from dashboard.reports.tables import NUMBER_FORMATS, plain


def to_csv_bytes(table: pd.DataFrame) -> bytes:
    safe = table.map(lambda value: excel_safe_text(value) if isinstance(value, str) else value)
    for column in safe.columns:
        safe[column] = safe[column].map(
            lambda value: (
                value.isoformat(timespec="seconds")
                if isinstance(value, dt.datetime)
                else value.isoformat()
                if isinstance(value, dt.date)
                else value
            )
        )
    return safe.to_csv(index=False).encode("utf-8-sig")


def to_excel_bytes(table: pd.DataFrame, sheet_title: str, kinds: list[str] | None = None) -> bytes:
    """`table` as a one-sheet workbook; `kinds` (a table definition's column kinds) format its numbers
    as the board pack does (money in £); without them dates are still formatted as dates."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    sheet.append(list(table.columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for record in table.itertuples(index=False):
        row = []
        for value in record:
            value = plain(value)
            row.append(excel_safe_text(value) if isinstance(value, str) else value)
        sheet.append(row)
    for index, column in enumerate(table.columns, start=1):
        letter = get_column_letter(index)
        kind = kinds[index - 1] if kinds else None
        for cell in sheet[letter][1:]:
            if kind in NUMBER_FORMATS and cell.value is not None and not isinstance(cell.value, str):
                cell.number_format = NUMBER_FORMATS[kind]
            elif isinstance(cell.value, dt.datetime):
                cell.number_format = "d mmm yyyy hh:mm"
            elif isinstance(cell.value, dt.date):
                cell.number_format = "d mmm yyyy"
        longest = max(
            [len(str(column))] + [len(str(cell.value)) for cell in sheet[letter][1:200] if cell.value]
        )
        sheet.column_dimensions[letter].width = min(60, max(10, longest + 2))
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
