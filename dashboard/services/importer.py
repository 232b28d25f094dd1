"""Importing the programme office's spreadsheets: read, check every row, then apply all or nothing.

The layouts are documented in docs/import-layouts.md. The flow is:
`read_table` (xlsx or CSV → header + rows, coping with merged headers, blank rows, a total row and
stray spaces) → a per-kind checker (every problem collected as sheet, row, column, message) →
`import_file` applies every row in one transaction, or nothing when any row is wrong. Rows are
matched on each kind's key, and a row whose values already match the database changes nothing, so
importing the same file twice leaves the second import with nothing to do.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pandas as pd
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from dashboard import models as m
from dashboard.auth import require_role
from dashboard.db import session_scope
from dashboard.domain.formatting import as_date, financial_year_label, format_date
from dashboard.domain.formatting import parse_financial_year as _parse_fy_label
from dashboard.domain.rag import suggest_rag
from dashboard.queries.milestones import latest_baseline_first
from dashboard.services import kpis as kpi_services
from dashboard.services.actions import validate_action_values
from dashboard.services.core import ValidationError, audit, display_value, text_problem
from dashboard.services.milestones import validate_milestone_values
from dashboard.services.savings import validate_saving_values

MAX_BYTES = 5_000_000
MAX_ROWS = 5000
EXCEL_EPOCH = dt.date(1899, 12, 30)
TOTAL_WORDS = {"total", "totals", "grand total", "sub total", "subtotal"}
BLANK_WORDS = {"", "-", "–", "—", "n/a", "na", "none"}

# ---------------------------------------------------------------------------------------------
# Pure parsing helpers
# ---------------------------------------------------------------------------------------------

# Commas only as thousands separators: "1,234,567.50" but never "1,2,3".
_MONEY = re.compile(r"^(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)([km]|bn)?$")
_MULTIPLIERS = {None: Decimal(1), "k": Decimal(1000), "m": Decimal(1_000_000), "bn": Decimal(1_000_000_000)}


def clean_cell(value):
    """Trim text (including non-breaking spaces); other values as they are."""
    if isinstance(value, str):
        return " ".join(value.replace("\xa0", " ").split())
    return value


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and clean_cell(value).lower() in BLANK_WORDS)


def parse_money(value) -> Decimal | None:
    """'£1.2m' → 1200000, '£654k' → 654000, '1,234.50' → 1234.50, '(500)' → -500; '-' or blank → None.

    Raises ValueError (in plain words) for anything that is not an amount of money.
    """
    if isinstance(value, bool):
        raise ValueError("must be an amount in pounds, for example 654000, £654k or £1.2m")
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    if is_blank(value):
        return None
    text = clean_cell(str(value)).lower().replace("£", "").replace(" ", "")
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    if text[:1] in ("-", "−"):
        negative, text = True, text[1:].lstrip("£")
    text = text.removesuffix("gbp")
    match = _MONEY.match(text)
    if not match:
        raise ValueError(
            f"“{clean_cell(str(value))[:40]}” is not an amount in pounds: write it like 654000, £654k or £1.2m"
        )
    try:
        amount = Decimal(match.group(1).replace(",", "")) * _MULTIPLIERS[match.group(2)]
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only digits
        raise ValueError("is not an amount in pounds") from exc
    if amount == amount.to_integral_value():
        amount = amount.quantize(Decimal(1))
    return -amount if negative else amount


_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_name) if name})
_MONTHS["sept"] = 9
# A time of day may follow (a spreadsheet's date-time written as text); nothing else may.
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_NUMERIC_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[\s\-]+([A-Za-z]+)\.?,?[\s\-]+(\d{2}|\d{4})$")
_MONTH_YEAR = re.compile(r"^([A-Za-z]+)\.?[\s\-]+(\d{2}|\d{4})$")
_YEAR_ONLY = re.compile(r"^(\d{4})$")
DATE_HINT = "write it like 22/11/2026, 22 Nov 2026, 2026-11-22, Nov 2026 or 2026"


def _full_year(text: str) -> int:
    year = int(text)
    return 2000 + year if len(text) == 2 else year


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_date(value, end: bool = False) -> dt.date | None:
    """A date from a spreadsheet cell; blank or '-' → None; raises ValueError in plain words.

    Accepts a date cell, an Excel serial number (days since 30 Dec 1899, e.g. 43405 = 1 Nov 2018),
    ISO 2026-11-22, UK day-first 22/11/2026, 22 Nov 2026, and a month or a year alone. A month or
    year alone means its first day for a start date and its last day for an end (`end=True`):
    "Sept 2018" is 1 Sep 2018 as a start and 30 Sep 2018 as an end; "2018" is 1 Jan or 31 Dec.
    A whole number from 1900 to 2100 is read as a year, not an Excel serial (those are 1905 dates).
    """
    if isinstance(value, dt.date):
        return as_date(value)
    if isinstance(value, bool):
        raise ValueError(f"is not a date: {DATE_HINT}")
    if isinstance(value, int | float):
        if float(value).is_integer() and 1900 <= value <= 2100:
            return dt.date(int(value), 12, 31) if end else dt.date(int(value), 1, 1)
        if 1 <= value <= 2958465:
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise ValueError(f"{value:g} is not a date: {DATE_HINT}")
    if is_blank(value):
        return None
    text = clean_cell(str(value))
    try:
        if match := _ISO.match(text):
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if match := _NUMERIC_DMY.match(text):
            return dt.date(_full_year(match.group(3)), int(match.group(2)), int(match.group(1)))
        if (match := _DAY_MONTH_YEAR.match(text)) and match.group(2).lower() in _MONTHS:
            return dt.date(_full_year(match.group(3)), _MONTHS[match.group(2).lower()], int(match.group(1)))
        if (match := _MONTH_YEAR.match(text)) and match.group(1).lower() in _MONTHS:
            year, month = _full_year(match.group(2)), _MONTHS[match.group(1).lower()]
            return _last_day(year, month) if end else dt.date(year, month, 1)
        if match := _YEAR_ONLY.match(text):
            year = int(match.group(1))
            return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
        if re.fullmatch(r"\d{5}(\.\d+)?", text):
            return parse_date(float(text), end)
    except ValueError as exc:
        raise ValueError(f"“{text[:40]}” is not a real date: {DATE_HINT}") from exc
    raise ValueError(f"“{text[:40]}” is not a date we recognise: {DATE_HINT}")


def parse_financial_year(value) -> int:
    """'2019/20', '2019/2020', '2019-20', 'FY 2019/20' or 2019 → 2019 (the year it starts)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = clean_cell(str(value or "")).upper().removeprefix("FY").strip().replace("-", "/")
    if re.fullmatch(r"\d{4}", text):
        return int(text)
    try:
        return _parse_fy_label(text)
    except ValueError as exc:
        raise ValueError(
            f"“{clean_cell(str(value or ''))[:40]}” is not a financial year: write it like 2019/20"
        ) from exc


def normalise_header(text) -> str:
    """' Baseline  End* ' → 'baseline end'; '% complete' → 'percent complete'; 'KPI_code' → 'kpi code'."""
    name = clean_cell(str(text or "")).lower().replace("_", " ").replace("%", " percent ")
    name = re.sub(r"[^\w/ ]+", " ", name)
    return " ".join(name.split())


# ---------------------------------------------------------------------------------------------
# Layouts
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # as the template writes it
    required: bool = False
    synonyms: tuple[str, ...] = ()
    example: object = ""

    def names(self) -> set[str]:
        return {
            normalise_header(self.header),
            normalise_header(self.field),
            *map(normalise_header, self.synonyms),
        }


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    sheet: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]

    def column(self, field_name: str) -> Column:
        return next(column for column in self.columns if column.field == field_name)


PROJECT = Column(
    "project", "Project", True, ("project key", "project name", "workstream", "work stream"), "transition"
)
STATUS_SYNONYMS = ("current status", "progress status")
RAG_SYNONYMS = ("rag", "rag status", "rag rating", "status rag")

KINDS: dict[str, Kind] = {
    "milestones": Kind(
        "milestones",
        "Milestones",
        "Milestones",
        (
            PROJECT,
            Column(
                "title",
                "Milestone",
                True,
                ("title", "milestone title", "milestone name", "task"),
                "Pilot launched",
            ),
            Column("owner", "Owner", False, ("lead", "responsible", "milestone owner"), "Head of Service"),
            Column(
                "baseline_start",
                "Baseline start",
                False,
                ("planned start", "start date baseline"),
                "Sept 2026",
            ),
            Column("baseline_end", "Baseline end", False, ("planned end", "end date baseline"), "30/11/2026"),
            Column("status", "Status", False, STATUS_SYNONYMS, "In progress"),
            Column("rag", "RAG", False, RAG_SYNONYMS, "Green"),
            Column("rag_reason", "RAG reason", False, ("reason for rag", "rag commentary", "reason"), ""),
            Column(
                "percent_complete",
                "% complete",
                False,
                ("percent complete", "percentage complete", "complete"),
                25,
            ),
            Column("forecast_start", "Forecast start", False, ("revised start",), "Sept 2026"),
            Column("forecast_end", "Forecast end", False, ("revised end", "forecast date"), "30/11/2026"),
            Column("actual_start", "Actual start", False, (), ""),
            Column("actual_end", "Actual end", False, ("completed on", "date completed"), ""),
            Column("commentary", "Commentary", False, ("comments", "comment", "notes", "update"), ""),
        ),
        ("project", "title"),
    ),
    "actions": Kind(
        "actions",
        "Actions",
        "Actions",
        (
            Column(
                "recommendation",
                "Recommendation",
                True,
                ("recommendation number", "rec", "rec no", "ref"),
                "1a",
            ),
            Column(
                "title",
                "Action",
                True,
                ("title", "action title", "action description", "description"),
                "Agree the budget pack",
            ),
            Column("owner", "Owner", True, ("lead", "responsible", "action owner"), "Head of Finance"),
            Column("due_date", "Due date", True, ("due", "deadline", "target date", "by when"), "Sept 2026"),
            Column("status", "Status", False, STATUS_SYNONYMS, "In progress"),
            Column("rag", "RAG", False, RAG_SYNONYMS, "Amber"),
            Column(
                "percent_complete",
                "% complete",
                False,
                ("percent complete", "percentage complete", "complete"),
                50,
            ),
            Column(
                "evidence",
                "Evidence",
                False,
                ("evidence text", "evidence summary", "evidence of completion"),
                "",
            ),
            Column("project", "Project", False, PROJECT.synonyms, ""),
        ),
        ("recommendation", "title"),
    ),
    "savings": Kind(
        "savings",
        "Savings",
        "Savings",
        (
            PROJECT,
            Column("financial_year", "Financial year", True, ("year", "fy", "financial yr"), "2026/27"),
            Column(
                "description",
                "Description",
                True,
                ("saving", "saving description", "saving line", "title"),
                "Reduced agency spend",
            ),
            Column("category", "Category", False, ("type", "saving type"), "Workforce"),
            Column(
                "target", "Target", True, ("target saving", "target £", "savings target", "budget"), "£1.2m"
            ),
            Column("forecast", "Forecast", False, ("forecast saving", "forecast £", "projected"), "£1.1m"),
            Column("realised", "Realised", False, ("realised saving", "actual", "achieved", "delivered"), ""),
            Column("confidence", "Confidence", False, ("confidence rating", "confidence level"), "Medium"),
            Column(
                "confidence_reason",
                "Confidence reason",
                False,
                ("reason for confidence", "reason"),
                "Recruitment on track",
            ),
            Column("fte", "FTE", False, ("fte reduction", "posts", "fte impact"), 3.5),
        ),
        ("project", "financial_year", "description"),
    ),
    "kpi_values": Kind(
        "kpi_values",
        "KPI values",
        "KPI values",
        (
            Column(
                "kpi_code",
                "KPI code",
                True,
                ("kpi", "code", "measure code", "indicator"),
                "CON-FIRST-CONTACT",
            ),
            Column("area", "Area", True, ("area key", "area name", "constituency", "locality"), "ladywood"),
            Column("period", "Period", True, ("quarter", "month", "reporting period"), "Q1 2026/27"),
            Column("value", "Value", True, ("result", "actual", "figure"), 57.5),
            Column("note", "Note", False, ("notes", "comment", "comments"), ""),
        ),
        ("kpi_code", "area", "period"),
    ),
}
KIND_CHOICES = [(kind.name, kind.label) for kind in KINDS.values()]


def template_table(kind_name: str) -> pd.DataFrame:
    """The kind's columns with one example row, for the downloadable template."""
    kind = KINDS[kind_name]
    return pd.DataFrame(
        [[column.example for column in kind.columns]], columns=[c.header for c in kind.columns]
    )


# ---------------------------------------------------------------------------------------------
# Reading a file
# ---------------------------------------------------------------------------------------------


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
    rows: list[tuple[int, dict]]  # (spreadsheet row number, {field: cleaned value})


class FileProblem(ValueError):
    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(map(str, problems[:5])))
        self.problems = problems


def _xlsx_sheets(content: bytes) -> list[tuple[str, list[list]]]:
    from openpyxl import load_workbook

    try:
        # Not read-only: merged ranges are only known to a fully loaded sheet.
        workbook = load_workbook(io.BytesIO(content), data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise FileProblem(
            [Problem("", 0, "", "The file could not be read as an Excel (.xlsx) workbook")]
        ) from exc
    sheets = []
    for sheet in workbook.worksheets:
        table = [list(row) for row in sheet.iter_rows(values_only=True)]
        # openpyxl gives a merged range's value to its top-left cell only: copy it to every cell,
        # so a heading merged across three columns heads all three.
        for merged in sheet.merged_cells.ranges:
            value = sheet.cell(merged.min_row, merged.min_col).value
            for row in range(merged.min_row, merged.max_row + 1):
                for col in range(merged.min_col, merged.max_col + 1):
                    if row - 1 < len(table) and col - 1 < len(table[row - 1]):
                        table[row - 1][col - 1] = value
        sheets.append((sheet.title, table))
    workbook.close()
    return sheets


def _csv_sheets(filename: str, content: bytes) -> list[tuple[str, list[list]]]:
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
    return [(filename or "CSV", [list(row) for row in csv.reader(io.StringIO(text), dialect)])]


def _match_headers(kind: Kind, row: list, above: list | None) -> tuple[dict[str, int], dict[str, str]]:
    """Which column each field is in, reading a group heading in `above` (e.g. 'Baseline' over 'Start')."""
    lookup = {name: column.field for column in kind.columns for name in column.names()}
    positions: dict[str, int] = {}
    written: dict[str, str] = {}
    for index, cell in enumerate(row):
        text = clean_cell(str(cell)) if cell is not None else ""
        group = (
            clean_cell(str(above[index])) if above and index < len(above) and above[index] is not None else ""
        )
        candidates = (
            [normalise_header(f"{group} {text}"), normalise_header(text)]
            if group
            else [normalise_header(text)]
        )
        for candidate in candidates:
            found = lookup.get(candidate)
            if found and found not in positions and candidate:
                positions[found] = index
                written[found] = f"{group} {text}".strip() if candidate != normalise_header(text) else text
                break
    return positions, written


def _find_header(kind: Kind, table: list[list]) -> tuple[int, dict[str, int], dict[str, str]] | None:
    best = None
    for index, row in enumerate(table[:15]):
        if all(is_blank(cell) for cell in row):
            continue
        above = table[index - 1] if index > 0 else None
        positions, written = _match_headers(kind, row, above)
        if positions and (best is None or len(positions) > len(best[1])):
            best = (index, positions, written)
    return best


def read_table(kind_name: str, filename: str, content: bytes) -> Table:
    """The rows of the file's matching sheet; raises FileProblem when the file itself is unusable."""
    kind = KINDS[kind_name]
    name = (filename or "").lower()
    if not content:
        raise FileProblem([Problem("", 0, "", "The file is empty")])
    if len(content) > MAX_BYTES:
        raise FileProblem([Problem("", 0, "", "The file is larger than 5 MB: split it into smaller files")])
    if name.endswith(".xlsx"):
        sheets = _xlsx_sheets(content)
    elif name.endswith(".csv"):
        sheets = _csv_sheets(filename, content)
    else:
        raise FileProblem([Problem("", 0, "", "Choose a .xlsx or .csv file")])
    # Prefer the sheet named like the kind, then the one whose header matches best.
    candidates = []
    for title, table in sheets:
        found = _find_header(kind, table)
        if found:
            named = normalise_header(title) == normalise_header(kind.sheet)
            candidates.append((named, len(found[1]), title, table, found))
    if not candidates:
        raise FileProblem(
            [
                Problem(
                    sheets[0][0] if sheets else "",
                    1,
                    "",
                    f"No row names the columns of the {kind.label} layout: "
                    f"use the template's headings ({', '.join(c.header for c in kind.columns if c.required)})",
                )
            ]
        )
    candidates.sort(key=lambda item: (not item[0], -item[1]))
    _named, _count, title, table, (header_index, positions, written) = candidates[0]
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
    rows = []
    for index in range(header_index + 1, len(table)):
        cells = [clean_cell(cell) for cell in table[index]]
        filled = [cell for cell in cells if cell is not None and cell != ""]
        if not filled:
            continue  # blank rows are not rows
        if isinstance(filled[0], str) and normalise_header(filled[0]) in TOTAL_WORDS:
            continue  # a total row sums the rows above; it is not a row of its own
        record = {
            field: cells[position] if position < len(cells) else None for field, position in positions.items()
        }
        rows.append((index + 1, record))
    if not rows:
        raise FileProblem([Problem(title, 0, "", "The sheet has no rows under its heading row")])
    if len(rows) > MAX_ROWS:
        raise FileProblem([Problem(title, 0, "", f"The sheet has more than {MAX_ROWS:,} rows: split it")])
    headers = {c.field: written.get(c.field, c.header) for c in kind.columns}
    return Table(title, header_index + 1, headers, rows)


# ---------------------------------------------------------------------------------------------
# Checking rows
# ---------------------------------------------------------------------------------------------


@dataclass
class RowPlan:
    row: int
    key: str
    outcome: str  # "new", "update", "no change"
    changes: dict = field(default_factory=dict)  # field → (old, new) for display
    apply: Callable[..., None] | None = None  # (db, actor, state) → writes this row


@dataclass
class Report:
    kind: str
    filename: str
    sheet: str = ""
    problems: list[Problem] = field(default_factory=list)
    rows: list[RowPlan] = field(default_factory=list)
    imported: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    def summary(self) -> str:
        label = KINDS[self.kind].label
        if self.problems:
            return (
                f"Nothing was imported: {self.filename} has {len(self.problems)} "
                f"problem{'s' if len(self.problems) != 1 else ''}. Fix them and check the file again."
            )
        counts = (
            f"{self.count('new')} new, {self.count('update')} updated, {self.count('no change')} unchanged"
        )
        if self.imported:
            return f"Imported {label} from {self.filename}: {counts}."
        return f"{self.filename} is ready to import ({label}): {counts}."

    def lines(self) -> list[str]:
        """The plain-words report, one line per problem or per row."""
        if self.problems:
            return [self.summary(), *map(str, self.problems)]
        out = [self.summary()]
        for plan in self.rows:
            detail = ""
            if plan.outcome == "update":
                detail = ": " + "; ".join(
                    f"{name} {display_value(old) or 'blank'} → {display_value(new) or 'blank'}"
                    for name, (old, new) in plan.changes.items()
                )
            out.append(f"Row {plan.row} ({plan.key}): {plan.outcome}{detail}")
        return out


class _Row:
    """One row being checked: its values, and its problems named by the column as written."""

    def __init__(self, table: Table, number: int, values: dict, problems: list[Problem]):
        self.table, self.number, self.values, self._problems = table, number, dict(values), problems
        self.bad = False
        for field_name, value in values.items():
            problem = text_problem(value, "The cell") if isinstance(value, str) else None
            if problem:
                # Checked once here, so no cell PostgreSQL would refuse reaches a lookup or a write.
                self.problem(field_name, problem)
                self.values[field_name] = None

    def problem(self, field_name: str, message: str) -> None:
        self.bad = True
        self._problems.append(
            Problem(self.table.sheet, self.number, self.table.headers.get(field_name, ""), message)
        )

    def text(self, field_name: str, limit: int, required_message: str | None = None) -> str | None:
        value = self.values.get(field_name)
        if is_blank(value):
            if required_message:
                self.problem(field_name, required_message)
            return None
        text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
        if isinstance(value, dt.datetime | dt.date):
            text = format_date(value)
        text = clean_cell(text)
        if len(text) > limit:
            self.problem(field_name, f"Must be {limit:,} characters or fewer (it has {len(text):,})")
        return text or None

    def date(self, field_name: str, end: bool = False) -> dt.date | None:
        try:
            return parse_date(self.values.get(field_name), end=end)
        except ValueError as exc:
            self.problem(field_name, _sentence(str(exc)))
            return None

    def choice(
        self, field_name: str, allowed: tuple[str, ...], aliases: dict[str, str] | None = None
    ) -> str | None:
        value = self.values.get(field_name)
        if is_blank(value):
            return None
        text = clean_cell(str(value))
        lookup = {option.lower(): option for option in allowed}
        lookup.update(aliases or {})
        if text.lower() in lookup:
            return lookup[text.lower()]
        self.problem(field_name, f"“{text[:40]}” is not one of {', '.join(allowed)}")
        return None

    def percent(self, field_name: str) -> int | None:
        value = self.values.get(field_name)
        if is_blank(value):
            return None
        text = str(value).strip().removesuffix("%").strip()
        try:
            number = float(text)
        except ValueError:
            self.problem(field_name, f"“{str(value)[:20]}” is not a whole number between 0 and 100")
            return None
        if not number.is_integer() or not 0 <= number <= 100:
            self.problem(field_name, "Must be a whole number between 0 and 100")
            return None
        return int(number)

    def validation(self, error: ValidationError, field_map: dict[str, str] | None = None) -> None:
        for name, message in error.errors.items():
            self.problem((field_map or {}).get(name, name), message)


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:]


RAG_ALIASES = {"r": "Red", "a": "Amber", "g": "Green"}
STATUS_ALIASES = {
    "completed": "Complete",
    "done": "Complete",
    "not yet started": "Not started",
    "on hold": "Blocked",
}


def _lookup_projects(db: Session) -> dict[str, m.Project]:
    projects = {}
    for project in db.scalars(select(m.Project)).all():
        projects[project.key.lower()] = project
        projects.setdefault(project.name.lower(), project)
    return projects


def _project(row: _Row, projects: dict[str, m.Project], required: bool) -> m.Project | None:
    text = row.text("project", 200, "Enter the project's key or exact name" if required else None)
    if text is None:
        return None
    project = projects.get(text.lower())
    if project is None:
        row.problem("project", f"There is no project called “{text[:60]}”: use its key or exact name")
    return project


def _changes(before: dict, after: dict) -> dict:
    return {name: (before.get(name), value) for name, value in after.items() if value != before.get(name)}


def _audit_all(db, actor, entity: str, row_id: int, changes: dict, project_id, version) -> None:
    for name, (old, new) in changes.items():
        if (entity, name) == ("action_item", "project"):
            # The delivering project by name, as a person reads it, not by its id.
            old, new = (None if value is None else db.get(m.Project, value).name for value in (old, new))
        audit(
            db,
            actor,
            "import",
            entity,
            row_id,
            name,
            display_value(old),
            display_value(new),
            project_id=project_id,
            version=version,
        )


def _new_key(prefix: str, number: int) -> str:
    return f"{prefix[:40]}-imp-{m.utcnow():%Y%m%d%H%M%S%f}-{number}"


# -- milestones ---------------------------------------------------------------------------------

MILESTONE_UPDATABLE = (
    "owner",
    "status",
    "rag",
    "rag_reason",
    "percent_complete",
    "forecast_start",
    "forecast_end",
    "actual_start",
    "actual_end",
    "commentary",
)


def _latest_baseline_dates(db: Session, milestone_ids: list[int]) -> dict[int, tuple]:
    rows = db.execute(
        select(m.MilestoneBaseline.milestone_id, m.MilestoneBaseline.start_date, m.MilestoneBaseline.end_date)
        .join(m.Baseline, m.Baseline.id == m.MilestoneBaseline.baseline_id)
        .where(m.MilestoneBaseline.milestone_id.in_(milestone_ids))
        .order_by(*latest_baseline_first())
    ).all()
    latest: dict[int, tuple] = {}
    for milestone_id, start, end in rows:
        latest.setdefault(milestone_id, (start, end))
    return latest


def _check_milestones(db: Session, table: Table, problems: list[Problem], today: dt.date) -> list[RowPlan]:
    projects = _lookup_projects(db)
    existing = {
        (milestone.project_id, milestone.title.strip().lower()): milestone
        for milestone in db.scalars(select(m.Milestone)).all()
    }
    baselines = _latest_baseline_dates(db, [milestone.id for milestone in existing.values()])
    seen: dict = {}
    plans = []
    for number, values in table.rows:
        row = _Row(table, number, values, problems)
        project = _project(row, projects, required=True)
        title = row.text("title", 300, "Enter the milestone's title")
        given = {
            "owner": row.text("owner", 120),
            "status": row.choice("status", m.MILESTONE_STATUSES, STATUS_ALIASES),
            "rag": row.choice("rag", m.RAG_VALUES, RAG_ALIASES),
            "rag_reason": row.text("rag_reason", 500),
            "percent_complete": row.percent("percent_complete"),
            "forecast_start": row.date("forecast_start"),
            "forecast_end": row.date("forecast_end", end=True),
            "actual_start": row.date("actual_start"),
            "actual_end": row.date("actual_end", end=True),
            "commentary": row.text("commentary", 2000),
        }
        baseline_start = row.date("baseline_start")
        baseline_end = row.date("baseline_end", end=True)
        if project is None or title is None:
            continue
        key = (project.id, title.lower())
        if key in seen:
            row.problem(
                "title", f"Row {seen[key]} already has this project and milestone: each milestone once"
            )
            continue
        seen[key] = number
        milestone = existing.get(key)
        given = {name: value for name, value in given.items() if value is not None}  # blanks never erase
        if milestone is None:
            before = {
                "owner": "",
                "status": "Not started",
                "rag": None,
                "rag_reason": None,
                "percent_complete": 0,
                "forecast_start": None,
                "forecast_end": None,
                "actual_start": None,
                "actual_end": None,
                "commentary": "",
            }
            if baseline_end is None and is_blank(values.get("baseline_end")):
                row.problem("baseline_end", "Enter the baseline end date: a new milestone needs one")
            if baseline_start and baseline_end and baseline_end < baseline_start:
                row.problem("baseline_end", "Baseline end must be the same as or after the baseline start")
            current_baseline_end = baseline_end
            before_rag = None
        else:
            if milestone.retired:
                row.problem(
                    "title", "This milestone is retired: restore it in the dashboard before importing it"
                )
                continue
            before = {name: getattr(milestone, name) for name in MILESTONE_UPDATABLE}
            current_baseline_end = baselines.get(milestone.id, (None, None))[1]
            before_rag = milestone.rag
        proposed = {**before, **given}
        if milestone is None and "forecast_end" not in given:
            proposed["forecast_start"] = proposed["forecast_start"] or baseline_start
            proposed["forecast_end"] = baseline_end
        suggested, _ = suggest_rag(
            proposed["status"], current_baseline_end, proposed["forecast_end"], proposed["actual_end"], today
        )
        try:
            cleaned = validate_milestone_values(
                proposed,
                today,
                suggested_rag=suggested,
                rag_changed=proposed["rag"] != before_rag,
                previous_reason=before.get("rag_reason"),
            )
        except ValidationError as exc:
            row.validation(exc)
            continue
        cleaned["owner"] = proposed["owner"] or ""
        cleaned["commentary"] = cleaned["commentary"] or ""
        after = {name: cleaned[name] for name in MILESTONE_UPDATABLE}
        if row.bad:
            continue
        label = f"{project.key} · {title}"
        if milestone is None:
            plans.append(
                RowPlan(
                    number,
                    label,
                    "new",
                    _changes({}, {"title": title, **after}),
                    _create_milestone(project, title, after, baseline_start, baseline_end),
                )
            )
            continue
        changes = _changes(before, after)
        plans.append(
            RowPlan(
                number,
                label,
                "update" if changes else "no change",
                changes,
                _update_row(milestone, changes, "milestone", milestone.project_id) if changes else None,
            )
        )
    return plans


def _create_milestone(project, title, after, baseline_start, baseline_end):
    def apply(db: Session, actor, state: dict) -> None:
        baseline = state.get(project.id)
        if baseline is None:
            baseline = db.scalars(
                select(m.Baseline)
                .where(m.Baseline.project_id == project.id)
                .order_by(*latest_baseline_first())
            ).first()
            if baseline is None:
                today = state["today"]
                baseline = m.Baseline(
                    project_id=project.id,
                    name=f"Imported {format_date(today)}",
                    baseline_date=today,
                    created_by=actor.username,
                    source="Imported from a spreadsheet",
                )
                db.add(baseline)
                db.flush()
            state[project.id] = baseline
        milestone = m.Milestone(
            key=_new_key(project.key, state["counter"]),
            project_id=project.id,
            title=title,
            source=state["source"],
            updated_by=actor.username,
            **after,
        )
        state["counter"] += 1
        db.add(milestone)
        db.flush()
        db.add(
            m.MilestoneBaseline(
                baseline_id=baseline.id,
                milestone_id=milestone.id,
                start_date=baseline_start,
                end_date=baseline_end,
            )
        )
        values = {"title": title, **after, "baseline_start": baseline_start, "baseline_end": baseline_end}
        _audit_all(
            db,
            actor,
            "milestone",
            milestone.id,
            {name: (None, value) for name, value in values.items() if value not in (None, "")},
            project.id,
            milestone.version,
        )

    return apply


def _update_row(row_object, changes: dict, entity: str, project_id):
    def apply(db: Session, actor, state: dict) -> None:
        target = row_object  # loaded by this same session while checking
        for name, (_old, new) in changes.items():
            setattr(target, _ATTRIBUTE.get((entity, name), name), new)
        target.updated_by = actor.username
        target.updated_at = m.utcnow()
        db.flush()  # UPDATE … WHERE version = the one read: a concurrent save fails the whole import
        _audit_all(db, actor, entity, target.id, changes, project_id, target.version)

    return apply


_ATTRIBUTE = {("action_item", "evidence_summary"): "evidence", ("action_item", "project"): "project_id"}


# -- actions ------------------------------------------------------------------------------------


def _recommendation_number(value) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_cell(str(value)).lower().removeprefix("recommendation").strip()


def _check_actions(db: Session, table: Table, problems: list[Problem], today: dt.date) -> list[RowPlan]:
    projects = _lookup_projects(db)
    recommendations = {rec.number.lower(): rec for rec in db.scalars(select(m.Recommendation)).all()}
    existing = {
        (a.recommendation_id, a.title.strip().lower()): a for a in db.scalars(select(m.ActionItem)).all()
    }
    seen: dict = {}
    plans = []
    for number, values in table.rows:
        row = _Row(table, number, values, problems)
        rec_text = _recommendation_number(values.get("recommendation"))
        recommendation = recommendations.get(rec_text or "")
        if not rec_text:
            row.problem("recommendation", "Enter the recommendation number, for example 1 or 1a")
        elif recommendation is None:
            row.problem(
                "recommendation",
                f"There is no recommendation numbered “{rec_text[:10]}”: use 1, 1a, 1b or 2 to 6",
            )
        title = row.text("title", 500, "Enter the action")
        project = _project(row, projects, required=False)
        given = {
            "owner": row.text("owner", 120),
            "due_date": row.date("due_date", end=True),
            "status": row.choice("status", m.ACTION_STATUSES, STATUS_ALIASES),
            "rag": row.choice("rag", m.RAG_VALUES, RAG_ALIASES),
            "percent_complete": row.percent("percent_complete"),
            "evidence_summary": row.text("evidence", 2000),
        }
        if recommendation is None or title is None:
            continue
        key = (recommendation.id, title.lower())
        if key in seen:
            row.problem(
                "title", f"Row {seen[key]} already has this recommendation and action: each action once"
            )
            continue
        seen[key] = number
        action = existing.get(key)
        given = {name: value for name, value in given.items() if value is not None}
        if action is None:
            before = {
                "owner": "",
                "due_date": None,
                "status": "Not started",
                "rag": None,
                "percent_complete": 0,
                "evidence_summary": "",
                "areas": [],
                "project": None,
            }
            has_evidence = False
        else:
            before = {
                "owner": action.owner,
                "due_date": action.due_date,
                "status": action.status,
                "rag": action.rag,
                "percent_complete": action.percent_complete,
                "evidence_summary": action.evidence,
                "areas": sorted(area.id for area in action.areas),
                "project": action.project_id,
            }
            has_evidence = bool(action.evidence_items)
        try:
            cleaned = validate_action_values({**before, **given}, has_evidence)
        except ValidationError as exc:
            row.validation(exc, {"evidence_summary": "evidence"})
            continue
        if row.bad:
            continue
        after = {
            name: cleaned[name]
            for name in ("owner", "due_date", "status", "rag", "percent_complete", "evidence_summary")
        }
        after["project"] = project.id if project is not None else before["project"]
        label = f"{recommendation.number} · {title}"
        if action is None:
            plans.append(
                RowPlan(
                    number,
                    label,
                    "new",
                    _changes({}, {"title": title, **after}),
                    _create_action(recommendation, title, after),
                )
            )
            continue
        changes = _changes({name: before[name] for name in after}, after)
        plans.append(
            RowPlan(
                number,
                label,
                "update" if changes else "no change",
                changes,
                _update_row(action, changes, "action_item", after["project"]) if changes else None,
            )
        )
    return plans


def _create_action(recommendation, title, after):
    def apply(db: Session, actor, state: dict) -> None:
        action = m.ActionItem(
            key=_new_key(f"rec{recommendation.number}", state["counter"]),
            recommendation_id=recommendation.id,
            project_id=after["project"],
            title=title,
            owner=after["owner"],
            due_date=after["due_date"],
            status=after["status"],
            rag=after["rag"],
            percent_complete=after["percent_complete"],
            evidence=after["evidence_summary"],
            source=state["source"],
            updated_by=actor.username,
        )
        state["counter"] += 1
        db.add(action)
        db.flush()
        _audit_all(
            db,
            actor,
            "action_item",
            action.id,
            {
                name: (None, value)
                for name, value in {"title": title, **after}.items()
                if value not in (None, "")
            },
            after["project"],
            action.version,
        )

    return apply


# -- savings ------------------------------------------------------------------------------------


def _money(row: _Row, field_name: str) -> Decimal | None:
    try:
        amount = parse_money(row.values.get(field_name))
    except ValueError as exc:
        row.problem(field_name, _sentence(str(exc)))
        return None
    if amount is not None and amount < 0:
        row.problem(field_name, "Must be £0 or more: savings are recorded as positive amounts")
        return None
    if amount is not None and amount != amount.quantize(Decimal("0.01")):
        row.problem(field_name, "Must be in pounds and pence, with no more than 2 decimal places")
        return None
    return amount


def _check_savings(db: Session, table: Table, problems: list[Problem], today: dt.date) -> list[RowPlan]:
    projects = _lookup_projects(db)
    existing = {
        (line.project_id, line.financial_year, line.description.strip().lower()): line
        for line in db.scalars(select(m.SavingLine)).all()
    }
    seen: dict = {}
    plans = []
    for number, values in table.rows:
        row = _Row(table, number, values, problems)
        project = _project(row, projects, required=True)
        year = None
        if is_blank(values.get("financial_year")):
            row.problem("financial_year", "Enter the financial year, for example 2019/20")
        else:
            try:
                year = parse_financial_year(values.get("financial_year"))
            except ValueError as exc:
                row.problem("financial_year", str(exc))
        description = row.text("description", 300, "Enter a description of the saving")
        category = row.text("category", 40)
        target = _money(row, "target")
        if target is None and is_blank(values.get("target")):
            row.problem("target", "Enter the target in pounds, for example 654000, £654k or £1.2m")
        forecast, realised = _money(row, "forecast"), _money(row, "realised")
        confidence = row.choice("confidence", m.CONFIDENCE_LEVELS)
        reason = row.text("confidence_reason", 500)
        fte = None
        if not is_blank(values.get("fte")):
            try:
                fte = float(str(values.get("fte")).strip())
                if fte < 0 or fte != fte:
                    raise ValueError
            except ValueError:
                row.problem("fte", "FTE must be a number of full-time equivalent posts, 0 or more, like 3.5")
        if project is None or year is None or description is None or row.bad:
            continue
        key = (project.id, year, description.lower())
        if key in seen:
            row.problem("description", f"Row {seen[key]} already has this project, year and description")
            continue
        seen[key] = number
        line = existing.get(key)
        if line is None:
            before = {
                "category": "",
                "target": None,
                "forecast": None,
                "realised": None,
                "confidence": None,
                "confidence_reason": None,
                "fte": None,
            }
        else:
            before = {
                "category": line.category,
                "target": line.target,
                "forecast": line.forecast,
                "realised": line.realised,
                "confidence": line.confidence,
                "confidence_reason": line.confidence_reason,
                "fte": line.fte,
            }
        given = {
            "category": category,
            "target": target,
            "forecast": forecast,
            "realised": realised,
            "confidence": confidence,
            "confidence_reason": reason,
            "fte": fte,
        }
        proposed = {**before, **{name: value for name, value in given.items() if value is not None}}
        try:
            cleaned = validate_saving_values(
                {
                    **proposed,
                    "financial_year": year,
                    **{
                        name: None if proposed[name] is None else format(proposed[name], "f")
                        for name in ("target", "forecast", "realised")
                    },
                },
                today,
            )
        except ValidationError as exc:
            row.validation(exc)
            continue
        after = {
            "category": proposed["category"] or "",
            "target": cleaned["target"],
            "forecast": cleaned["forecast"],
            "realised": cleaned["realised"],
            "confidence": cleaned["confidence"],
            "confidence_reason": cleaned["confidence_reason"],
            "fte": proposed["fte"],
        }
        label = f"{project.key} · {financial_year_label(year)} · {description}"
        if line is None:
            plans.append(
                RowPlan(
                    number,
                    label,
                    "new",
                    _changes({}, {"description": description, **after}),
                    _create_saving(project, year, description, after),
                )
            )
            continue
        changes = _changes(before, after)
        plans.append(
            RowPlan(
                number,
                label,
                "update" if changes else "no change",
                changes,
                _update_row(line, changes, "saving_line", line.project_id) if changes else None,
            )
        )
    return plans


def _create_saving(project, year, description, after):
    def apply(db: Session, actor, state: dict) -> None:
        line = m.SavingLine(
            key=_new_key(f"{project.key}-{year}", state["counter"]),
            project_id=project.id,
            financial_year=year,
            description=description,
            source=state["source"],
            updated_by=actor.username,
            **after,
        )
        state["counter"] += 1
        db.add(line)
        db.flush()
        values = {"financial_year": financial_year_label(year), "description": description, **after}
        _audit_all(
            db,
            actor,
            "saving_line",
            line.id,
            {name: (None, value) for name, value in values.items() if value not in (None, "")},
            project.id,
            line.version,
        )

    return apply


# -- KPI values ---------------------------------------------------------------------------------


def _check_kpi_values(db: Session, table: Table, problems: list[Problem], today: dt.date) -> list[RowPlan]:
    lookups = kpi_services._lookups(db)
    seen: dict = {}
    plans = []
    for number, values in table.rows:
        row = _Row(table, number, values, problems)
        raw_value = values.get("value")
        clean, row_problems = kpi_services._check_row(
            lookups,
            values.get("kpi_code"),
            values.get("area"),
            values.get("period"),
            raw_value,
            today,
        )
        for column, message in row_problems:
            row.problem(column, message)
        note = row.text("note", kpi_services.NOTE_MAX)
        if clean is None or row.bad:
            continue
        period = clean["period"]
        key = (clean["kpi"].id, clean["area"].id, period.start, period.end)
        if key in seen:
            row.problem(
                "period",
                f"Row {seen[key]} already has {clean['kpi'].code}, {clean['area'].name}, {period.label}",
            )
            continue
        seen[key] = number
        existing = kpi_services._existing(db, clean["kpi"].id, clean["area"].id, period)
        label = f"{clean['kpi'].code} · {clean['area'].name} · {period.label}"
        after = {"value": clean["value"]}
        if note is not None:
            after["note"] = note
        if existing is None:
            plans.append(RowPlan(number, label, "new", _changes({}, after), _create_kpi_value(clean, note)))
            continue
        changes = _changes({"value": existing.value, "note": existing.note}, after)
        plans.append(
            RowPlan(
                number,
                label,
                "update" if changes else "no change",
                changes,
                _update_row(existing, changes, "kpi_value", None) if changes else None,
            )
        )
    return plans


def _create_kpi_value(clean, note):
    def apply(db: Session, actor, state: dict) -> None:
        period = clean["period"]
        row = m.KpiValue(
            kpi_id=clean["kpi"].id,
            area_id=clean["area"].id,
            period_label=period.label,
            period_start=period.start,
            period_end=period.end,
            value=clean["value"],
            note=note,
            source=state["source"],
            illustrative=False,
            updated_by=actor.username,
        )
        db.add(row)
        db.flush()
        values = {
            "kpi": clean["kpi"].code,
            "area": clean["area"].key,
            "period": period.label,
            "value": f"{clean['value']:g}",
            "note": note,
        }
        _audit_all(
            db,
            actor,
            "kpi_value",
            row.id,
            {name: (None, value) for name, value in values.items() if value not in (None, "")},
            None,
            row.version,
        )

    return apply


CHECKERS = {
    "milestones": _check_milestones,
    "actions": _check_actions,
    "savings": _check_savings,
    "kpi_values": _check_kpi_values,
}


# ---------------------------------------------------------------------------------------------
# Check and import
# ---------------------------------------------------------------------------------------------


def _today(today: dt.date | None) -> dt.date:
    from dashboard.clock import today as clock_today

    return today or clock_today()


def _plan(db: Session, kind_name: str, filename: str, content: bytes, today: dt.date) -> Report:
    if kind_name not in KINDS:
        raise ValueError(f"Unknown kind {kind_name!r}: choose one of {', '.join(KINDS)}")
    report = Report(kind_name, filename or "the file")
    try:
        table = read_table(kind_name, filename, content)
    except FileProblem as exc:
        report.problems = exc.problems
        return report
    report.sheet = table.sheet
    report.rows = CHECKERS[kind_name](db, table, report.problems, today)
    report.problems.sort(key=lambda problem: (problem.row, problem.column))
    return report


def check_file(kind_name: str, filename: str, content: bytes, today: dt.date | None = None) -> Report:
    """Every row checked, nothing written: the report says what an import would do, or what is wrong."""
    with session_scope() as db:
        report = _plan(db, kind_name, filename, content, _today(today))
        db.rollback()
        return report


def import_file(actor, kind_name: str, filename: str, content: bytes, today: dt.date | None = None) -> Report:
    """Check every row, then apply them all in one transaction, or nothing when any row is wrong."""
    require_role(actor, "admin")
    today = _today(today)
    try:
        with session_scope() as db:
            report = _plan(db, kind_name, filename, content, today)
            if report.problems:
                return report
            state = {
                "today": today,
                "counter": 0,
                "source": f"Imported by {actor.username} on {format_date(today)} ({(filename or '')[:80]})",
            }
            for plan in report.rows:
                if plan.apply is not None:
                    plan.apply(db, actor, state)
            report.imported = True
            return report
    except (StaleDataError, IntegrityError):
        report = Report(kind_name, filename or "the file")
        report.problems = [
            Problem(
                "",
                0,
                "",
                "Someone changed some of these rows while the file was importing. "
                "Nothing was imported: import the file again",
            )
        ]
        return report
