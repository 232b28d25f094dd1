"""Reading one spreadsheet cell: text trimmed, blanks recognised, money, dates and financial years parsed.

Pure functions: a value in, a value out or a ValueError whose message says, in plain words, what
is wrong and how to write it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

from dashboard.domain.formatting import as_date, format_date, parse_pounds
from dashboard.domain.formatting import parse_financial_year as _parse_fy_label

EXCEL_EPOCH = dt.date(1899, 12, 30)
BLANK_WORDS = {"", "-", "–", "—", "n/a", "na", "none"}


def clean_cell(value, keep_lines: bool = False):
    """Trim text (including non-breaking spaces); other values as they are.

    With `keep_lines`, line breaks written in the cell (Alt+Enter) are kept, each line trimmed.
    """
    if isinstance(value, str):
        if keep_lines:
            lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            return "\n".join(clean_cell(line) for line in lines).strip("\n")
        return " ".join(value.replace("\xa0", " ").split())
    return value


def shown_text(value) -> str:
    """A cell's value as a person reads it in a message: a date as 1 Nov 2019, 2027 not 2027.0."""
    if isinstance(value, dt.date):
        return format_date(as_date(value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_cell(str(value if value is not None else ""))


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and clean_cell(value).lower() in BLANK_WORDS)


# A sum computed in Excel (100.10 + 200.20) is held as 300.29999999999995 and shown as £300.30:
# an amount this close to a whole penny (a millionth of a penny) is that penny.
_PENNY = Decimal("0.01")
_NOISE = Decimal("0.00000001")


def _to_the_penny(amount: Decimal) -> Decimal:
    if not amount.is_finite():
        return amount
    penny = amount.quantize(_PENNY, rounding=ROUND_HALF_UP)
    if amount != penny and abs(amount - penny) < _NOISE:
        return penny.quantize(Decimal(1)) if penny == penny.to_integral_value() else penny
    return amount


def parse_money(value) -> Decimal | None:
    """'£1.2m' → 1200000, '£654k' → 654000, '1,234.50' → 1234.50, '(500)' → -500; '-' or blank → None.

    Raises ValueError (in plain words) for anything that is not an amount of money.
    """
    if isinstance(value, bool | dt.date):
        raise ValueError(
            f"“{shown_text(value)[:40]}” is not an amount in pounds: write it like 654000, £654k or £1.2m"
        )
    if isinstance(value, int | float | Decimal):
        return _to_the_penny(Decimal(str(value)))
    if is_blank(value):
        return None
    try:
        return parse_pounds(clean_cell(str(value)))  # the forms' own reading of an amount
    except ValueError:
        raise ValueError(
            f"“{shown_text(value)[:40]}” is not an amount in pounds: write it like 654000, £654k or £1.2m"
        ) from None


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
    """A financial year as people write it ('2019/20', '19/20', 'FY2019-20', '2019–20'…) or 2019 →
    2019 (the year it starts), read by the same rule as the forms."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.date):
        raise ValueError(f"“{shown_text(value)}” is a date, not a financial year: write it like 2019/20")
    text = clean_cell(str(value or ""))
    if re.fullmatch(r"(?:FY\s*)?\d{4}", text, re.IGNORECASE):
        return int(text[-4:])
    try:
        return _parse_fy_label(text)
    except ValueError as exc:
        raise ValueError(
            f"“{shown_text(value)[:40]}” is not a financial year: write it like 2019/20"
        ) from exc


def _format_sections(number_format: str) -> str:
    """The number format with its quoted text and escaped characters removed, positive section only."""
    text = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", number_format or "")
    return text.split(";")[0]


def is_percent_format(number_format: str) -> bool:
    return "%" in _format_sections(number_format)


def format_decimals(number_format: str) -> int | None:
    """How many decimal places a number format shows ('0.0%' → 1, '£#,##0.00' → 2); None for General."""
    section = _format_sections(number_format)
    if not section or section.lower() == "general" or not re.search(r"[0#?]", section):
        return None
    match = re.search(r"\.([0#?]+)", section)
    return len(match.group(1)) if match else 0


def is_month_format(number_format: str) -> bool:
    """A date format showing a month and year but no day or time: 'mmm-yy' (Nov-19), 'mmmm yyyy'."""
    section = re.sub(r"[^a-z]", "", _format_sections(number_format).lower())
    return "m" in section and "y" in section and not re.search(r"[dhs]", section)


def shown_value(value, number_format: str):
    """A cell's value as it shows it: 0.575 in a '0.0%' cell is 57.5, 1 in a '0%' cell is 100, and a
    date in a cell showing only its month ('mmm-yy': Nov-19) is that month, the text "Nov 2019" (the
    first or last day of it, as the column means, when read as a date).

    Anything else is returned as it is.
    """
    if isinstance(value, dt.date):
        return f"{value:%b %Y}" if is_month_format(number_format) else value
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return value
    if not is_percent_format(number_format):
        return value
    shown = Decimal(repr(value)) * 100 if isinstance(value, float) else Decimal(value) * 100
    decimals = format_decimals(number_format)
    if decimals is not None:
        shown = shown.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if shown == shown.to_integral_value():
        return int(shown)
    return float(shown)


def normalise_header(text) -> str:
    """' Baseline  End* ' → 'baseline end'; '% complete' → 'percent complete'; 'KPI_code' → 'kpi code'."""
    name = clean_cell(str(text or "")).lower().replace("_", " ").replace("%", " percent ")
    name = re.sub(r"[^\w/ ]+", " ", name)
    return " ".join(name.split())
