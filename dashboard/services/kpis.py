"""KPI value writes: the leads' entry form and the all-or-nothing CSV/Excel upload, both audited."""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import math
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from dashboard import clock, policy
from dashboard import models as m
from dashboard.auth import require_role
from dashboard.db import session_scope
from dashboard.domain.formatting import (
    YearsNotConsecutiveError,
    financial_year_label,
    format_date,
    parse_financial_year,
)
from dashboard.services import rows
from dashboard.services.core import ConflictError as ConflictError  # callers catch it from here
from dashboard.services.core import ValidationError, text_problem

UPLOAD_COLUMNS = ("kpi_code", "area", "period", "value")
OPTIONAL_COLUMNS = ("note",)
MAX_UPLOAD_ROWS = 5000
MAX_UPLOAD_BYTES = 2_000_000
NOTE_MAX = 300

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_name) if name})
_QUARTER = re.compile(r"^Q([1-4])\s+(.+)$", re.IGNORECASE)
_GROUPED = re.compile(r"^[-−]?\d{1,3}(,\d{3})+(\.\d+)?$")
_MONTH = re.compile(r"^([A-Za-z]+)\s+(\d{4})$")

PERIOD_HINT = "a quarter like Q3 2026/27, a financial year like 2026/27 or a month like Nov 2026"


@dataclass(frozen=True)
class Period:
    label: str
    start: dt.date
    end: dt.date


def parse_period(text) -> Period:
    """'Q3 2026/27' → 1 Oct–31 Dec 2026; '2026/27' → 1 Apr 2026–31 Mar 2027; 'Nov 2026' → November.

    Financial-year quarters: Q1 April–June, Q2 July–September, Q3 October–December, Q4 January–March.
    Raises ValueError with a plain-words message for anything else.
    """
    raw = " ".join(str(text or "").split())
    if not raw:
        raise ValueError(f"Enter the period: {PERIOD_HINT}")
    if match := _QUARTER.match(raw):
        year = _financial_year(raw, match.group(2))
        if year is not None:
            quarter = int(match.group(1))
            first_month = 4 + 3 * (quarter - 1)
            calendar_year = year + (first_month - 1) // 12
            first_month = (first_month - 1) % 12 + 1
            last_month = first_month + 2
            start = dt.date(calendar_year, first_month, 1)
            last_day = calendar.monthrange(calendar_year, last_month)[1]
            end = dt.date(calendar_year, last_month, last_day)
            return Period(f"Q{quarter} {financial_year_label(year)}", start, end)
    year = _financial_year(raw, raw)
    if year is not None:
        return Period(financial_year_label(year), dt.date(year, 4, 1), dt.date(year + 1, 3, 31))
    if (match := _MONTH.match(raw)) and match.group(1).lower() in MONTHS:
        month, year = MONTHS[match.group(1).lower()], int(match.group(2))
        start = dt.date(year, month, 1)
        return Period(f"{start:%b %Y}", start, dt.date(year, month, calendar.monthrange(year, month)[1]))
    raise ValueError(f"“{raw}” is not a period we recognise: use {PERIOD_HINT}")


def _financial_year(raw: str, text: str) -> int | None:
    """The start year of the financial year `text` (read as the forms read one), None when it is not
    one; two years that do not follow each other are refused in plain words."""
    try:
        return parse_financial_year(text)
    except YearsNotConsecutiveError as exc:
        raise ValueError(
            f"“{raw}” is not a real period: the years of a financial year must be consecutive"
        ) from exc
    except ValueError:
        return None


def _number(raw) -> float:
    if isinstance(raw, bool):
        raise ValueError
    if isinstance(raw, int | float):
        number = float(raw)
    else:
        text = str(raw).strip()
        if text.endswith("%"):
            text = text[:-1].strip()
        if "," in text and not _GROUPED.match(text):
            raise ValueError  # commas only between thousands: "1,2,3" is not 123
        number = float(text.replace(",", ""))
    if math.isnan(number) or math.isinf(number):
        raise ValueError
    return number


KPI_VALUE = rows.Entity(m.KpiValue, "kpi_value", "KPI value", {})


@dataclass(frozen=True)
class _Lookups:
    kpis: dict[str, m.Kpi]
    areas: dict[str, m.Area]


def load_lookups(db) -> _Lookups:
    kpis = {kpi.code.upper(): kpi for kpi in db.scalars(select(m.Kpi)).all()}
    areas = {}
    for area in db.scalars(select(m.Area)).all():
        areas[area.key.lower()] = area
        areas[area.name.lower()] = area
    return _Lookups(kpis, areas)


def _check_value(kpi: m.Kpi, raw, problems: list[tuple[str, str]]) -> float | None:
    if raw is None or str(raw).strip() == "":
        problems.append(("value", "Enter the value, a number"))
        return None
    try:
        number = _number(raw)
    except (TypeError, ValueError):
        problems.append(("value", f"The value must be a number (it is “{str(raw).strip()[:40]}”)"))
        return None
    if kpi.unit == "percent" and not 0 <= number <= 100:
        problems.append(("value", f"{kpi.code} is a percentage, so the value must be between 0 and 100"))
        return None
    if kpi.unit in ("number", "rate_per_100k", "days") and number < 0:
        problems.append(("value", f"{kpi.code} cannot be negative"))
        return None
    return number


def check_row(
    lookups: _Lookups, kpi_code, area_name, period_text, raw_value, today: dt.date
) -> tuple[dict | None, list[tuple[str, str]]]:
    """One row's values checked; returns (clean values or None, [(column, message), ...])."""
    problems: list[tuple[str, str]] = []
    code = str(kpi_code or "").strip()
    kpi = lookups.kpis.get(code.upper())
    if not code:
        problems.append(("kpi_code", "Enter the KPI code, for example CON-FIRST-CONTACT"))
    elif kpi is None:
        problems.append(("kpi_code", f"There is no KPI with the code “{code[:40]}”"))
    area_text = str(area_name or "").strip()
    area = lookups.areas.get(area_text.lower())
    if not area_text:
        problems.append(("area", "Enter the area, for example ladywood or birmingham"))
    elif area is None:
        problems.append(("area", f"There is no area called “{area_text[:60]}”"))
    period = None
    try:
        period = parse_period(period_text)
    except ValueError as exc:
        problems.append(("period", str(exc)))
    if period is not None and period.start > today:
        problems.append(("period", f"{period.label} has not started yet: enter values for periods that have"))
        period = None
    value = _check_value(kpi, raw_value, problems) if kpi is not None else None
    if problems:
        return None, problems
    return {"kpi": kpi, "area": area, "period": period, "value": value}, problems


def existing_value(db, kpi_id: int, area_id: int, period: Period) -> m.KpiValue | None:
    return db.scalars(
        select(m.KpiValue).where(
            m.KpiValue.kpi_id == kpi_id,
            m.KpiValue.area_id == area_id,
            m.KpiValue.period_start == period.start,
            m.KpiValue.period_end == period.end,
        )
    ).first()


def insert_value(db, actor, clean: dict, note: str | None, source: str, action: str = "create") -> m.KpiValue:
    """A new value from a checked row (`check_row`), audited field by field under `action`."""
    period: Period = clean["period"]
    row = m.KpiValue(
        kpi_id=clean["kpi"].id,
        area_id=clean["area"].id,
        period_label=period.label,
        period_start=period.start,
        period_end=period.end,
        value=clean["value"],
        note=note or None,
        source=source,
        illustrative=False,
        updated_by=actor.username,
    )
    db.add(row)
    db.flush()
    given = {"kpi": clean["kpi"].code, "area": clean["area"].key, "period": period.label}
    given |= {"value": f"{clean['value']:g}", "note": note or None}
    rows.audit_changes(db, actor, action, KPI_VALUE.name, row, rows.changes({}, given))
    return row


def add_kpi_value(actor, kpi_code, area, period, value, note=None, today: dt.date | None = None) -> int:
    """The entry form: one new value for a KPI, area and period. Returns the new row's id."""
    require_role(actor, *policy.EDITOR_ROLES)
    today = today or clock.today()
    note_problem = text_problem(note, "The note")
    note_text = "" if note_problem else str(note or "").strip()
    with session_scope() as db:
        lookups = load_lookups(db)
        clean, problems = check_row(lookups, kpi_code, area, period, value, today)
        errors: dict[str, str] = {}
        for column, message in problems:
            # The form's field is "kpi"; the upload's column is "kpi_code".
            errors.setdefault("kpi" if column == "kpi_code" else column, message)
        if note_problem:
            errors["note"] = note_problem
        elif len(note_text) > NOTE_MAX:
            errors["note"] = f"The note must be {NOTE_MAX} characters or fewer (it has {len(note_text)})"
        if clean is not None and existing_value(db, clean["kpi"].id, clean["area"].id, clean["period"]):
            errors["period"] = (
                f"{clean['kpi'].code} already has a value for {clean['area'].name} in "
                f"{clean['period'].label}: correct that value instead of adding another"
            )
        if errors:
            raise ValidationError(errors)
        try:
            row = insert_value(
                db, actor, clean, note_text, f"Entered by {actor.username} on {format_date(today)}"
            )
        except IntegrityError as exc:
            raise ValidationError({"period": "Someone has just entered a value for this period"}) from exc
        return row.id


def correct_kpi_value(actor, value_id: int, value, expected_version: int) -> int:
    """Correct an existing value, with an optimistic-locking check; returns the new version."""
    require_role(actor, *policy.EDITOR_ROLES)
    checked: dict[str, float | None] = {}

    def validate(_db, row: m.KpiValue) -> None:
        # Before the version check: a value that is wrong is wrong whoever saved last.
        problems: list[tuple[str, str]] = []
        checked["value"] = _check_value(row.kpi, value, problems)
        if problems:
            raise ValidationError(dict(problems[:1]))

    def edit(_db, row: m.KpiValue) -> rows.Changes:
        number = checked["value"]
        if row.value == number:
            return {}
        old, row.value = row.value, number
        return {"value": (old, f"{number:g}")}

    # Any lead may correct any KPI value: KPIs belong to areas, not to projects.
    return rows.update_row(
        actor,
        KPI_VALUE,
        value_id,
        expected_version,
        edit,
        check_editor=False,
        before_version_check=validate,
        conflict="Someone else changed this value after you opened it.",
        stale="Someone else changed this value at the same time; open it again.",
    )


@dataclass(frozen=True)
class UploadProblem:
    row: int  # the spreadsheet row number (the header is row 1)
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Row {self.row}" if self.row else "The file"
        column = f", column {self.column}" if self.column else ""
        return f"{where}{column}: {self.message}"


class UploadError(ValueError):
    """The upload was refused as a whole; `problems` lists every bad row and column."""

    def __init__(self, problems: list[UploadProblem]):
        super().__init__("; ".join(str(problem) for problem in problems[:5]))
        self.problems = problems


def _read_rows(filename: str, content: bytes) -> list[dict]:
    """Rows of the uploaded file as dicts keyed by lower-case column name, with their row numbers."""
    name = (filename or "").lower()
    if len(content) > MAX_UPLOAD_BYTES:
        raise UploadError([UploadProblem(0, "", "The file is larger than 2 MB: split it into smaller files")])
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise UploadError(
                [UploadProblem(0, "", "The file could not be read as an Excel workbook")]
            ) from exc
        sheet = workbook.worksheets[0]
        table = [list(row) for row in sheet.iter_rows(values_only=True)]
        workbook.close()
    elif name.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UploadError([UploadProblem(0, "", "The CSV file must be saved as UTF-8")]) from exc
        table = list(csv.reader(io.StringIO(text)))
    else:
        raise UploadError([UploadProblem(0, "", "Upload a .csv or .xlsx file")])
    if not table:
        raise UploadError([UploadProblem(0, "", "The file is empty")])
    header = [str(cell or "").strip().lower() for cell in table[0]]
    missing = [column for column in UPLOAD_COLUMNS if column not in header]
    if missing:
        raise UploadError(
            [
                UploadProblem(
                    1,
                    "",
                    "The first row must name the columns kpi_code, area, period and value "
                    f"(missing: {', '.join(missing)})",
                )
            ]
        )
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if all(cell is None or str(cell).strip() == "" for cell in cells):
            continue  # blank lines are not rows
        record = {header[i]: cells[i] for i in range(min(len(header), len(cells)))}
        record["_row"] = number
        rows.append(record)
    if not rows:
        raise UploadError([UploadProblem(0, "", "The file has no rows of values under its header")])
    if len(rows) > MAX_UPLOAD_ROWS:
        raise UploadError([UploadProblem(0, "", f"The file has more than {MAX_UPLOAD_ROWS:,} rows")])
    return rows


def import_kpi_values(actor, filename: str, content: bytes, today: dt.date | None = None) -> int:
    """All or nothing: every row is checked; any bad row → UploadError listing them all, nothing saved.

    Returns the number of values saved.
    """
    require_role(actor, *policy.EDITOR_ROLES)
    today = today or clock.today()
    rows = _read_rows(filename, content)
    problems: list[UploadProblem] = []
    with session_scope() as db:
        lookups = load_lookups(db)
        seen: dict[tuple[int, int, dt.date, dt.date], int] = {}
        clean_rows = []
        for record in rows:
            number = record["_row"]
            clean, row_problems = check_row(
                lookups,
                record.get("kpi_code"),
                record.get("area"),
                record.get("period"),
                record.get("value"),
                today,
            )
            note_problem = text_problem(record.get("note"), "The note")
            note = "" if note_problem else str(record.get("note") or "").strip()
            if note_problem:
                row_problems.append(("note", note_problem))
            elif len(note) > NOTE_MAX:
                row_problems.append(("note", f"The note must be {NOTE_MAX} characters or fewer"))
            problems += [UploadProblem(number, column, message) for column, message in row_problems]
            if clean is None:
                continue
            key = (clean["kpi"].id, clean["area"].id, clean["period"].start, clean["period"].end)
            if key in seen:
                problems.append(
                    UploadProblem(
                        number,
                        "period",
                        f"Duplicate of row {seen[key]}: {clean['kpi'].code}, {clean['area'].name}, "
                        f"{clean['period'].label} appears twice in the file",
                    )
                )
                continue
            seen[key] = number
            if existing_value(db, *key[:2], clean["period"]):
                problems.append(
                    UploadProblem(
                        number,
                        "period",
                        f"{clean['kpi'].code} already has a value for {clean['area'].name} in "
                        f"{clean['period'].label}",
                    )
                )
                continue
            clean_rows.append((clean, note))
        if problems:
            # Leaving the block through the exception rolls back: nothing is saved.
            raise UploadError(problems)
        source = f"Uploaded by {actor.username} on {format_date(today)} ({(filename or '')[:80]})"
        try:
            for clean, note in clean_rows:
                insert_value(db, actor, clean, note, source)
        except IntegrityError as exc:
            raise UploadError(
                [UploadProblem(0, "", "Someone entered some of these values at the same time; upload again")]
            ) from exc
        return len(clean_rows)


TEMPLATE_ROWS = [
    ("CON-FIRST-CONTACT", "ladywood", "Q3 2026/27", "57.5", ""),
    ("CON-ADMISSIONS-65", "birmingham", "Q3 2026/27", "612", "rolling 12 months"),
]


def upload_template_rows() -> list[tuple[str, ...]]:
    """The columns and two example rows for the downloadable template."""
    return [(*UPLOAD_COLUMNS, *OPTIONAL_COLUMNS), *TEMPLATE_ROWS]
