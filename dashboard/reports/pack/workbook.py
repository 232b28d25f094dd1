"""The pack as an Excel workbook: one sheet per section, formats by column kind, typed text kept as text."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from dashboard.reports import tables
from dashboard.reports.export import excel_safe_text
from dashboard.reports.pack.blocks import DATE, YES_NO, Table, yes_no
from dashboard.reports.pack.data import PackData
from dashboard.reports.tables import NUMBER_FORMATS

ILLUSTRATIVE_NOTE = (
    "Rows marked 'yes' under Illustrative data are illustrative: the source documents do not give them."
)


def _excel_value(value, kind: str):
    value = tables.plain(value)
    if value is None:
        return None
    if kind == YES_NO and not isinstance(value, str):
        return yes_no(value)
    if kind == DATE and isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        return excel_safe_text(value)
    return value


def _write_table(sheet, table: Table, start_row: int) -> int:
    """Write one block from `start_row`; returns the next free row (after a blank one)."""
    row_number = start_row
    if table.title:
        sheet.cell(row=row_number, column=1, value=excel_safe_text(table.title)).font = Font(
            bold=True, size=12
        )
        row_number += 1
    if table.more is not None:
        more = table.more
        where = f"{more.page} ({more.href})" if more.href else more.page
        note = f"{more.showing()} The pack lists the first rows only: {more.rest_words()} {where}."
        sheet.cell(row=row_number, column=1, value=excel_safe_text(note)).font = Font(italic=True)
        row_number += 1
    for index, column in enumerate(table.columns, start=1):
        cell = sheet.cell(row=row_number, column=index, value=excel_safe_text(column.heading))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    row_number += 1
    if not table.rows:
        sheet.cell(row=row_number, column=1, value=excel_safe_text(table.empty))
        row_number += 1
    body = [*table.rows, *([table.total] if table.total else [])]
    for position, values in enumerate(body):
        is_total = table.total is not None and position == len(body) - 1
        for index, column in enumerate(table.columns, start=1):
            value = values[index - 1] if index - 1 < len(values) else None
            if is_total and column.kind == YES_NO and not isinstance(value, str):
                value = None
            cell = sheet.cell(row=row_number, column=index, value=_excel_value(value, column.kind))
            if column.kind in NUMBER_FORMATS and cell.value is not None and not isinstance(cell.value, str):
                cell.number_format = NUMBER_FORMATS[column.kind]
            if is_total:
                cell.font = Font(bold=True)
        row_number += 1
    return row_number + 1


def _fit_columns(sheet) -> None:
    for column_cells in sheet.iter_cols(min_row=1, max_row=min(sheet.max_row, 300)):
        letter = get_column_letter(column_cells[0].column)
        longest = max(
            (len(str(cell.value)) for cell in column_cells[3:] if cell.value is not None), default=8
        )
        sheet.column_dimensions[letter].width = min(60, max(10, longest + 2))


def pack_workbook(data: PackData) -> bytes:
    """The pack as an .xlsx: one sheet per section, each headed with the meeting it is for."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for section in data.sections:
        sheet = workbook.create_sheet(section.sheet[:31])
        sheet.cell(row=1, column=1, value=excel_safe_text(f"{data.title}: {section.heading}")).font = Font(
            bold=True, size=14
        )
        prepared = sheet.cell(row=2, column=1, value="Prepared on")
        prepared.font = Font(bold=True)
        date_cell = sheet.cell(row=2, column=2, value=data.today)
        date_cell.number_format = NUMBER_FORMATS[DATE]
        row_number = 3
        for sentence in section.intro:
            sheet.cell(row=row_number, column=1, value=excel_safe_text(sentence))
            row_number += 1
        if section.illustrative:
            sheet.cell(row=row_number, column=1, value=ILLUSTRATIVE_NOTE).font = Font(italic=True)
            row_number += 1
        row_number += 1
        for table in section.tables:
            row_number = _write_table(sheet, table, row_number)
        _fit_columns(sheet)
        sheet.column_dimensions["A"].width = max(sheet.column_dimensions["A"].width or 10, 24)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pack_filename(meeting_date: dt.date) -> str:
    return f"board-pack-{meeting_date.isoformat()}.xlsx"
