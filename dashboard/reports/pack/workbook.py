"""The pack as an Excel workbook: one sheet per section, formats by column kind, typed text kept as text."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
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


# Styles made once and shared by every cell that has them.
TITLE_FONT = Font(bold=True, size=14)
TABLE_TITLE_FONT = Font(bold=True, size=12)
BOLD = Font(bold=True)
ITALIC = Font(italic=True)
HEADING_ALIGNMENT = Alignment(wrap_text=True, vertical="top")
FITTED_ROWS = 300  # column widths fit the longest value in a sheet's first rows


class _Sheet:
    """A sheet's rows gathered before writing: a row is a list of (value, font, number format,
    alignment), so the widths can be fitted first and the rows streamed (openpyxl's write-only mode)."""

    def __init__(self) -> None:
        self.rows: list[list[tuple]] = []

    def add(self, *cells: tuple) -> None:
        self.rows.append(list(cells))

    def blank(self) -> None:
        self.rows.append([])

    def widths(self) -> list[float]:
        """Each column's width: its longest value in the first rows but the title, the date and the
        first sentence (at least 10, at most 60); column A at least 24."""
        longest: dict[int, int] = {}
        for row in self.rows[3:FITTED_ROWS]:
            for index, (value, *_style) in enumerate(row):
                if value is not None:
                    longest[index] = max(longest.get(index, 0), len(str(value)))
        count = max((len(row) for row in self.rows), default=1)
        widths = [min(60, max(10, longest[index] + 2)) if index in longest else 10 for index in range(count)]
        widths[0] = max(widths[0], 24)
        return widths


def _cell(value, font=None, number_format=None, alignment=None) -> tuple:
    return (value, font, number_format, alignment)


def _write_table(sheet: _Sheet, table: Table) -> None:
    """One block, and a blank row after it."""
    if table.title:
        sheet.add(_cell(excel_safe_text(table.title), TABLE_TITLE_FONT))
    if table.more is not None:
        more = table.more
        where = f"{more.page} ({more.href})" if more.href else more.page
        note = f"{more.showing()} The other {more.rest:,} are not listed here: see {where}."
        sheet.add(_cell(excel_safe_text(note), ITALIC))
    sheet.add(
        *(_cell(excel_safe_text(column.heading), BOLD, None, HEADING_ALIGNMENT) for column in table.columns)
    )
    if not table.rows:
        sheet.add(_cell(excel_safe_text(table.empty)))
    formats = [NUMBER_FORMATS.get(column.kind) for column in table.columns]
    kinds = [column.kind for column in table.columns]
    for values in table.rows:
        cells = []
        for index, kind in enumerate(kinds):
            value = _excel_value(values[index] if index < len(values) else None, kind)
            number_format = formats[index] if value is not None and not isinstance(value, str) else None
            cells.append(_cell(value, None, number_format))
        sheet.add(*cells)
    if table.total:
        cells = []
        for index, kind in enumerate(kinds):
            value = table.total[index] if index < len(table.total) else None
            if kind == YES_NO and not isinstance(value, str):
                value = None
            value = _excel_value(value, kind)
            number_format = formats[index] if value is not None and not isinstance(value, str) else None
            cells.append(_cell(value, BOLD, number_format))
        sheet.add(*cells)
    sheet.blank()


def _stream(workbook: Workbook, title: str, sheet: _Sheet) -> None:
    worksheet = workbook.create_sheet(title)
    for index, width in enumerate(sheet.widths(), start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.rows:
        cells = []
        for value, font, number_format, alignment in row:
            if font is None and number_format is None and alignment is None:
                cells.append(value)
                continue
            cell = WriteOnlyCell(worksheet, value=value)
            if font is not None:
                cell.font = font
            if number_format is not None:
                cell.number_format = number_format
            if alignment is not None:
                cell.alignment = alignment
            cells.append(cell)
        worksheet.append(cells)


def pack_workbook(data: PackData) -> bytes:
    """The pack as an .xlsx: one sheet per section, each headed with the meeting it is for.

    Written in openpyxl's write-only mode: each sheet's rows are gathered, its columns fitted, and the
    rows streamed out, with no cell objects kept but those that carry a style."""
    workbook = Workbook(write_only=True)
    for section in data.sections:
        sheet = _Sheet()
        sheet.add(_cell(excel_safe_text(f"{data.title}: {section.heading}"), TITLE_FONT))
        sheet.add(_cell("Prepared on", BOLD), _cell(data.today, None, NUMBER_FORMATS[DATE]))
        for sentence in section.intro:
            sheet.add(_cell(excel_safe_text(sentence)))
        if section.illustrative:
            sheet.add(_cell(ILLUSTRATIVE_NOTE, ITALIC))
        sheet.blank()
        for table in section.tables:
            _write_table(sheet, table)
        _stream(workbook, section.sheet[:31], sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pack_filename(meeting_date: dt.date) -> str:
    return f"board-pack-{meeting_date.isoformat()}.xlsx"
