"""Reading a file: xlsx or CSV → the matching sheet's heading row and rows, coping with merged
headings, group headings over two rows, blank rows, a total row and stray spaces."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from dashboard.services.importer.cells import clean_cell, is_blank, normalise_header, shown_value
from dashboard.services.importer.kinds import KINDS, Kind

MAX_BYTES = 5_000_000
MAX_ROWS = 5000
# A totals row is known by its label: "Total", "Totals", "Grand total", "Sub-total", "Total savings
# 2019-28"… (the label as normalise_header writes it).
TOTAL_LABEL = re.compile(r"^(?:grand |sub ?)?totals?(?: .*)?$")


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int  # the spreadsheet's own row number; 0 for the file as a whole
    column: str  # the column's header as written in the file ("" for a whole row or the file)
    message: str

    def __str__(self) -> str:
        where = [f"Sheet “{self.sheet}”"] if self.sheet else []
        if self.row:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column “{self.column}”")
        return (", ".join(where) + ": " if where else "") + self.message


@dataclass
class Table:
    sheet: str
    header_row: int
    headers: dict[str, str]  # field → header as written
    rows: list[tuple[int, dict]]  # (spreadsheet row number, {field: the value as the cell shows it})
    # (spreadsheet row number, field) → the cell's number format, for cells that have one
    formats: dict[tuple[int, str], str] = field(default_factory=dict)
    mapped: dict[str, str] = field(default_factory=dict)  # field → the heading it was read from
    ignored: list[str] = field(default_factory=list)  # headings of the columns no field reads
    sheets: list[tuple[str, bool]] = field(default_factory=list)  # every sheet: (title, hidden)
    # Rows labelled like a totals row ("Total", "Grand total", "Total savings 2019-28"…): row number
    # → the label. The import skips them unless the label is a name it knows (a project "Total care").
    totals: dict[int, str] = field(default_factory=dict)


class FileProblem(ValueError):
    def __init__(self, problems: list[Problem], sheets: list[tuple[str, bool]] | None = None):
        super().__init__("; ".join(map(str, problems[:5])))
        self.problems = problems
        self.sheets = sheets or []  # the workbook's sheets (title, hidden), when it could be opened


@dataclass
class Sheet:
    title: str
    table: list[list]  # the cells' values, row by row (as far as they were read)
    formats: list[list] | None = None  # the cells' number formats, the same shape (xlsx only)
    hidden: bool = False  # hidden (or very hidden) in the workbook: read only when picked by name
    too_long: bool = False  # more rows than an import takes: reading stopped at the limit


# Rows above the heading row (a title, notes, a group heading) an import looks through for it.
HEADING_ROWS = 15
# The columns read of each row: a tracker's columns are a few dozen; a row formatted to column XFD
# is not read to its end.
MAX_COLUMNS = 200


def _open_streaming(content: bytes, data_only: bool = True):
    """The workbook opened to be read as a stream (openpyxl's read-only mode), without sizing its sheets.

    openpyxl sizes each read-only sheet when it opens the workbook: from the size Excel writes in
    the sheet's header, or, when a program wrote none, by walking the whole sheet first (seconds for
    200,000 rows). Reading here stops at the row limit and never asks a sheet its size, so the sheets
    are opened unsized.
    """
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    class UnsizedSheet(ReadOnlyWorksheet):
        def _get_size(self):  # learnt by reading, up to the limit, not by walking the sheet first
            return None

    class StreamingReader(ExcelReader):
        def read_worksheets(self):
            for sheet, rel in self.parser.find_sheets():
                if rel.target in self.valid_files and "chartsheet" not in rel.Type:
                    worksheet = UnsizedSheet(self.wb, sheet.name, rel.target, self.shared_strings)
                    worksheet.sheet_state = sheet.state
                    self.wb._sheets.append(worksheet)

    reader = StreamingReader(io.BytesIO(content), read_only=True, data_only=data_only)
    reader.read()
    return reader.wb


def _resembles(kind: Kind, rows: list[list]) -> bool:
    """Whether any of these rows names a column of the kind (before merged headings are filled in)."""
    names = {name for column in kind.columns for name in column.names()}
    return any(
        normalise_header(clean_cell(str(cell))) in names for row in rows for cell in row if not is_blank(cell)
    )


def _merged_ranges(content: bytes, worksheet) -> list[tuple[int, int, int, int]]:
    """(first row, first column, last row, last column) of every merged range of a sheet.

    A workbook opened read-only (streamed) does not know its merged cells: they are listed at the
    end of the sheet's XML, read here in one more streamed pass, only for a sheet within the limit.
    """
    import zipfile
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils.cell import range_boundaries

    ranges = []
    with zipfile.ZipFile(io.BytesIO(content)) as archive, archive.open(worksheet._worksheet_path) as xml:
        for _event, element in iterparse(xml):
            if element.tag.endswith("}mergeCell") and element.get("ref"):
                min_col, min_row, max_col, max_row = range_boundaries(element.get("ref"))
                ranges.append((min_row, min_col, max_row, max_col))
            elif element.tag.endswith("}row"):
                element.clear()  # a row's cells are not needed again: keep memory flat
    return ranges


def _read_xlsx_sheet(content: bytes, worksheet, kind: Kind) -> Sheet:
    """One sheet, streamed: stops after the heading rows when nothing there names the kind's columns,
    and at the row limit when the sheet is longer than an import takes."""
    sheet = Sheet(worksheet.title, [], [], worksheet.sheet_state != "visible")
    filled = 0
    for row in worksheet.iter_rows(max_col=MAX_COLUMNS):
        values = [getattr(cell, "value", None) for cell in row]
        sheet.table.append(values)
        sheet.formats.append([getattr(cell, "number_format", None) or "General" for cell in row])
        if len(sheet.table) == HEADING_ROWS and not _resembles(kind, sheet.table):
            return sheet
        if any(not is_blank(value) for value in values):
            filled += 1
            if filled > MAX_ROWS + HEADING_ROWS:
                sheet.too_long = True
                return sheet
    # A merged range's value is its top-left cell's: copy it to every cell of the range, so a
    # heading merged across three columns heads all three.
    for min_row, min_col, max_row, max_col in _merged_ranges(content, worksheet):
        if min_row > len(sheet.table) or min_col > len(sheet.table[min_row - 1]):
            continue
        value = sheet.table[min_row - 1][min_col - 1]
        for row in range(min_row, min(max_row, len(sheet.table)) + 1):
            cells = sheet.table[row - 1]
            for col in range(min_col, min(max_col, len(cells)) + 1):
                cells[col - 1] = value
    return sheet


def _xlsx_sheets(content: bytes, kind: Kind, sheet_name: str | None) -> tuple[list[Sheet], list[Sheet]]:
    """The sheets that may be read, each streamed (see `_pick_sheets`), and the titles of every sheet."""
    try:
        workbook = _open_streaming(content)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise FileProblem(
            [Problem("", 0, "", "The file could not be read as an Excel (.xlsx) workbook")]
        ) from exc
    try:
        listed = [Sheet(ws.title, [], None, ws.sheet_state != "visible") for ws in workbook.worksheets]
        try:
            picked = {sheet.title for sheet in _pick_sheets(listed, sheet_name)}
        except FileProblem as exc:
            exc.sheets = [(sheet.title, sheet.hidden) for sheet in listed]
            raise
        try:
            sheets = [
                _read_xlsx_sheet(content, worksheet, kind)
                for worksheet in workbook.worksheets
                if worksheet.title in picked
            ]
        except FileProblem:
            raise
        except Exception as exc:  # a damaged sheet inside a readable workbook
            raise FileProblem(
                [Problem("", 0, "", "The file could not be read as an Excel (.xlsx) workbook")]
            ) from exc
        return sheets, listed
    finally:
        workbook.close()


def _formulas_without_values(
    content: bytes, sheet: Sheet, first_row: int, columns: dict[str, int]
) -> list[tuple[int, str]]:
    """(row number, field) of every cell to be read that holds a formula Excel never calculated.

    A file written by a program and never opened in Excel keeps its formulas but no values, which
    would otherwise read as blanks. A formula Excel calculated as "" has no value either, so a sheet
    counts as never calculated only when none of its formulas has a value.
    """
    workbook = _open_streaming(content, data_only=False)
    try:
        found, calculated = [], False
        read = set(columns.values())
        for index, row in enumerate(workbook[sheet.title].iter_rows(values_only=True)):
            values = sheet.table[index] if index < len(sheet.table) else []
            for at, formula in enumerate(row):
                text = getattr(formula, "text", formula)  # an array formula keeps its text apart
                if not (isinstance(text, str) and text.startswith("=")):
                    continue
                if at < len(values) and values[at] is not None:
                    calculated = True
                elif index >= first_row and at in read:
                    found.append((index + 1, next(name for name, col in columns.items() if col == at)))
        return [] if calculated else found
    finally:
        workbook.close()


def _csv_sheets(filename: str, content: bytes) -> list[Sheet]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        raise FileProblem([Problem("", 0, "", "The CSV file must be saved as UTF-8")])
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    sheet = Sheet(filename or "CSV", [])
    filled = 0
    for row in csv.reader(io.StringIO(text), dialect):
        sheet.table.append(row[:MAX_COLUMNS])
        if any(not is_blank(value) for value in row):
            filled += 1
            if filled > MAX_ROWS + HEADING_ROWS:
                sheet.too_long = True
                break
    return [sheet]


@dataclass
class HeaderMatch:
    index: int  # the heading row's index in the sheet's table
    positions: dict[str, int]  # field → column index
    written: dict[str, str]  # field → heading as written
    ambiguous: dict[str, list[str]]  # field → the headings (none exact) that could each be it

    @property
    def score(self) -> int:
        return len(self.positions) + len(self.ambiguous)


def _match_headers(kind: Kind, index: int, row: list, above: list | None) -> HeaderMatch:
    """Which column each field is in, reading a group heading in `above` (e.g. 'Baseline' over 'Start').

    A column headed exactly as the template (or the field's own name) wins over any column headed
    by a synonym; two columns that are both only synonyms of one field are ambiguous.
    """
    lookup = {name: column.field for column in kind.columns for name in column.names()}
    exact = {name for column in kind.columns for name in column.exact_names()}
    hits: dict[str, list[tuple[bool, int, str]]] = {}
    for at, cell in enumerate(row):
        text = clean_cell(str(cell)) if cell is not None else ""
        group = clean_cell(str(above[at])) if above and at < len(above) and above[at] is not None else ""
        candidates = (
            [normalise_header(f"{group} {text}"), normalise_header(text)]
            if group
            else [normalise_header(text)]
        )
        for candidate in candidates:
            found = lookup.get(candidate)
            if found and candidate:
                heading = f"{group} {text}".strip() if candidate != normalise_header(text) else text
                hits.setdefault(found, []).append((candidate in exact, at, heading))
                break
    match = HeaderMatch(index, {}, {}, {})
    for found, columns in hits.items():
        exact_columns = [column for column in columns if column[0]]
        if exact_columns or len({heading for _exact, _at, heading in columns}) == 1:
            _exact, at, heading = (exact_columns or columns)[0]
            match.positions[found], match.written[found] = at, heading
        else:
            match.ambiguous[found] = [heading for _exact, _at, heading in columns]
    return match


def _find_header(kind: Kind, table: list[list]) -> HeaderMatch | None:
    best = None
    for index, row in enumerate(table[:HEADING_ROWS]):
        if all(is_blank(cell) for cell in row):
            continue
        above = table[index - 1] if index > 0 else None
        match = _match_headers(kind, index, row, above)
        if match.score and (best is None or match.score > best.score):
            best = match
    return best


def _pick_sheets(sheets: list[Sheet], sheet_name: str | None) -> list[Sheet]:
    """The sheets that may be read: the one picked by name, or else every visible sheet."""
    if sheet_name:
        picked = [sheet for sheet in sheets if normalise_header(sheet.title) == normalise_header(sheet_name)]
        if not picked:
            names = ", ".join(f"“{sheet.title}”" for sheet in sheets)
            raise FileProblem(
                [Problem("", 0, "", f"There is no sheet called “{sheet_name}”: the sheets are {names}")]
            )
        return picked
    visible = [sheet for sheet in sheets if not sheet.hidden]
    if not visible:
        raise FileProblem(
            [Problem("", 0, "", "Every sheet in the file is hidden: unhide the sheet to import")]
        )
    return visible


def read_table(kind_name: str, filename: str, content: bytes, sheet_name: str | None = None) -> Table:
    """The rows of the file's matching sheet; raises FileProblem when the file itself is unusable.

    A hidden sheet is never read unless it is picked by `sheet_name`.
    """
    kind = KINDS[kind_name]
    name = (filename or "").lower()
    if not content:
        raise FileProblem([Problem("", 0, "", "The file is empty")])
    if len(content) > MAX_BYTES:
        raise FileProblem([Problem("", 0, "", "The file is larger than 5 MB: split it into smaller files")])
    if name.endswith(".xlsx"):
        sheets, listed = _xlsx_sheets(content, kind, sheet_name)
    elif name.endswith(".csv"):
        sheets = listed = _csv_sheets(filename, content)
    else:
        raise FileProblem([Problem("", 0, "", "Choose a .xlsx or .csv file")])
    try:
        return _read_sheets(kind, content, sheets, listed, sheet_name)
    except FileProblem as exc:
        exc.sheets = [(sheet.title, sheet.hidden) for sheet in listed]
        raise


def _read_sheets(kind: Kind, content: bytes, sheets: list[Sheet], listed: list[Sheet], sheet_name) -> Table:
    """The table of the best of `sheets` (those that may be read) for the kind."""
    hidden = [sheet.title for sheet in listed if sheet.hidden]
    # Prefer the sheet named like the kind, then the one whose header matches best.
    candidates = []
    for sheet in sheets:
        found = _find_header(kind, sheet.table)
        if found:
            named = normalise_header(sheet.title) == normalise_header(kind.sheet)
            candidates.append((named, found.score, sheet, found))
    if not candidates:
        raise FileProblem(
            [
                Problem(
                    sheets[0].title if sheets else "",
                    1,
                    "",
                    f"No row names the columns of the {kind.label} layout: "
                    f"use the template's headings ({', '.join(c.header for c in kind.columns if c.required)})"
                    + (
                        f". Hidden sheets are not read ({', '.join(f'“{title}”' for title in hidden)}): "
                        "unhide the sheet to import, or pick it by name"
                        if hidden and not sheet_name
                        else ""
                    ),
                )
            ]
        )
    candidates.sort(key=lambda item: (not item[0], -item[1]))
    _named, _count, sheet, found = candidates[0]
    title, table = sheet.title, sheet.table
    header_index, positions, written = found.index, found.positions, found.written
    if sheet.too_long:
        raise FileProblem([Problem(title, 0, "", f"The sheet has more than {MAX_ROWS:,} rows: split it")])
    if found.ambiguous:
        raise FileProblem(
            [
                Problem(
                    title,
                    header_index + 1,
                    kind.column(name).header,
                    "Columns "
                    + " and ".join(f"“{heading}”" for heading in headings)
                    + f" could each be the “{kind.column(name).header}” column: rename one of them "
                    f"“{kind.column(name).header}”, or rename or remove the other",
                )
                for name, headings in found.ambiguous.items()
            ]
        )
    missing = [c for c in kind.columns if c.required and c.field not in positions]
    if missing:
        raise FileProblem(
            [
                Problem(
                    title,
                    header_index + 1,
                    c.header,
                    f"The “{c.header}” column is missing: add it to the heading row",
                )
                for c in missing
            ]
        )
    if sheet.formats is not None:
        uncalculated = _formulas_without_values(content, sheet, header_index + 1, positions)
        if uncalculated:
            raise FileProblem(
                [
                    Problem(
                        title,
                        number,
                        written.get(name, kind.column(name).header),
                        "This cell holds a formula whose value was never calculated (the file was "
                        "written by a program, not saved in Excel): open the file in Excel and save "
                        "it, so the formulas' values are stored, then import it again",
                    )
                    for number, name in uncalculated
                ]
            )
    rows = []
    formats: dict[tuple[int, str], str] = {}
    totals: dict[int, str] = {}
    for index in range(header_index + 1, len(table)):
        cells = [clean_cell(cell, keep_lines=True) for cell in table[index]]
        filled = [cell for cell in cells if cell is not None and cell != ""]
        if not filled:
            continue  # blank rows are not rows
        record = {name: cells[at] if at < len(cells) else None for name, at in positions.items()}
        if isinstance(filled[0], str) and TOTAL_LABEL.match(normalise_header(filled[0])):
            totals[index + 1] = clean_cell(filled[0])
        if sheet.formats is not None:
            shown = sheet.formats[index]
            for name, at in positions.items():
                if at < len(shown) and shown[at] != "General":
                    formats[(index + 1, name)] = shown[at]
                    record[name] = shown_value(record[name], shown[at])
        rows.append((index + 1, record))
    if not rows:
        raise FileProblem([Problem(title, 0, "", "The sheet has no rows under its heading row")])
    if len(rows) > MAX_ROWS:
        raise FileProblem([Problem(title, 0, "", f"The sheet has more than {MAX_ROWS:,} rows: split it")])
    headers = {c.field: written.get(c.field, c.header) for c in kind.columns}
    used = set(positions.values())
    ignored = [
        clean_cell(str(cell))
        for at, cell in enumerate(table[header_index])
        if at not in used and not is_blank(cell)
    ]
    return Table(
        title,
        header_index + 1,
        headers,
        rows,
        formats,
        mapped={c.field: written[c.field] for c in kind.columns if c.field in written},
        ignored=ignored,
        sheets=[(listed_sheet.title, listed_sheet.hidden) for listed_sheet in listed],
        totals=totals,
    )
