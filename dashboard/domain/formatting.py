"""UK display conventions: dates (22 Nov 2026), money (£6.0m, £654k), financial years (2019/20)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

from dashboard.domain.values import is_missing

_FY_PATTERN = re.compile(
    r"^\s*(?:FY\s*)?(\d{4}|\d{2})\s*[/\-\u2010-\u2015\u2212]\s*(\d{2}|\d{4})\s*$", re.IGNORECASE
)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def financial_year_label(start_year: int) -> str:
    """2019 → '2019/20' (April 2019 to March 2020)."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


class YearsNotConsecutiveError(ValueError):
    """A financial year written with two years that do not follow each other (2019/21)."""


def parse_financial_year(text: str) -> int:
    """A financial year as people write it → the year it starts: '2019/20', '2019/2020', '2019-20',
    '2019–20' (a dash), '19/20', 'FY19/20', 'FY 2019/20' are all 2019; anything else is a ValueError
    (YearsNotConsecutiveError when the two years do not follow each other)."""
    match = _FY_PATTERN.match(text if isinstance(text, str) else "")
    if not match:
        raise ValueError(f"{text!r} is not a financial year like 2019/20")
    first = match.group(1)
    if len(first) == 2:
        first = f"20{first}"
    start = financial_year_from(first, match.group(2))
    if start is None:
        raise YearsNotConsecutiveError(
            f"{text!r} is not a financial year like 2019/20: the years must be consecutive"
        )
    return start


# Commas only as thousands separators: "1,234,567.50" but never "1,2,3"; k, m or bn after the figure.
_AMOUNT = re.compile(r"^(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)([km]|bn)?$")
_AMOUNT_MULTIPLIERS = {
    None: Decimal(1),
    "k": Decimal(1000),
    "m": Decimal(1_000_000),
    "bn": Decimal(1_000_000_000),
}


def parse_pounds(text: str) -> Decimal:
    """An amount as people write it → pounds: '654000', '654,000.50', '£654k', '£1.2m', '£2bn',
    '(500)' and '-500' (negative). The one reading of money the forms and the import share; what
    amounts they allow (negatives, pence) is theirs to say. Anything else is a ValueError."""
    written = str(text).strip().lower().replace("£", "").replace(" ", "").replace("\xa0", "")
    negative = False
    if written.startswith("(") and written.endswith(")"):
        negative, written = True, written[1:-1]
    if written[:1] in ("-", "−"):
        negative, written = True, written[1:].lstrip("£")
    match = _AMOUNT.match(written.removesuffix("gbp"))
    if not match:
        raise ValueError(f"{text!r} is not an amount in pounds")
    amount = Decimal(match.group(1).replace(",", "")) * _AMOUNT_MULTIPLIERS[match.group(2)]
    if amount == amount.to_integral_value():
        amount = amount.quantize(Decimal(1))
    return -amount if negative else amount


PERCENT_MESSAGE = "Percentage complete must be a whole number between 0 and 100"


def parse_whole_percent(value) -> int:
    """A percentage complete as people write it → a whole number 0–100: 40, '40', '40%', '40 %',
    40.0; anything else (41.5, 120, 'lots') is a ValueError carrying PERCENT_MESSAGE."""
    if isinstance(value, bool):
        raise ValueError(PERCENT_MESSAGE)
    text = str(value).strip().removesuffix("%").strip() if value is not None else ""
    try:
        number = float(text)
    except ValueError:
        raise ValueError(PERCENT_MESSAGE) from None
    if not number.is_integer() or not 0 <= number <= 100:
        raise ValueError(PERCENT_MESSAGE)
    return int(number)


def financial_year_from(first: str, second: str) -> int | None:
    """The start year of the financial year written first/second ('2019' and '20' or '2020'), or
    None when the two are not consecutive years."""
    start = int(first)
    expected = start + 1 if len(second) == 4 else (start + 1) % 100
    return start if int(second) == expected else None


def financial_year_of(day: dt.date) -> int:
    """The start year of the financial year (April–March) containing `day`."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_start(start_year: int) -> dt.date:
    return dt.date(start_year, 4, 1)


def parse_iso_date(text: str) -> dt.date:
    """Exactly YYYY-MM-DD (what a date input sends) as a date; anything else is a ValueError.

    "2026-12-01 and more" or a date and time is refused rather than cut down to the date it starts
    with, so what is stored is exactly what was sent."""
    if not isinstance(text, str) or not _ISO_DATE.fullmatch(text):
        raise ValueError(f"{text!r} is not a date like 2026-11-22")
    return dt.date.fromisoformat(text)


_DAY_FIRST = re.compile(r"([0-9]{1,2})[/.\- ]([0-9]{1,2})[/.\- ]([0-9]{4})")


def parse_form_date(text: str) -> dt.date:
    """A date typed in a form, day first as UK users write it: 22/11/2026, 22-11-2026, 22.11.2026,
    22 11 2026 (or ISO 2026-11-22, as links and older pages send it); anything else, or a day that is
    not in its month, is a ValueError."""
    if not isinstance(text, str):
        raise ValueError(f"{text!r} is not a date like 22/11/2026")
    written = text.strip()
    if _ISO_DATE.fullmatch(written):
        return dt.date.fromisoformat(written)
    match = _DAY_FIRST.fullmatch(written)
    if not match:
        raise ValueError(f"{text!r} is not a date like 22/11/2026")
    day, month, year = (int(part) for part in match.groups())
    return dt.date(year, month, day)  # ValueError for 31/02/2026


def input_date(value) -> str | None:
    """A date as a form's date field shows it: 22/11/2026 (day first, whatever the browser's locale)."""
    day = as_date(value)
    return None if day is None else f"{day.day:02d}/{day.month:02d}/{day.year}"


def as_date(value) -> dt.date | None:
    """A stored date as a date: a date as it is, a datetime's (or pandas Timestamp's) date, ISO text by
    its first ten characters (SQLite gives dates back as text, the audit trail stores them so); None
    when missing. Text that is no date is a ValueError."""
    if is_missing(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def format_date(day: dt.date | dt.datetime | None) -> str:
    if day is None:
        return ""
    return f"{day.day} {day:%b %Y}"


UK_TIME = ZoneInfo("Europe/London")


def in_uk_time(moment: dt.datetime) -> dt.datetime:
    """A stored timestamp (naive UTC; a pandas Timestamp too) as UK wall-clock time without a zone:
    what the pages show, and what a spreadsheet cell sorts as a time."""
    if hasattr(moment, "to_pydatetime"):
        moment = moment.to_pydatetime()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(UK_TIME).replace(tzinfo=None)


def format_datetime(moment: dt.datetime | None) -> str:
    """A stored timestamp (naive UTC) in UK time: 23 Nov 2026 14:05."""
    if moment is None:
        return ""
    local = in_uk_time(moment)
    return f"{local.day} {local:%b %Y %H:%M}"


def format_money(amount: Decimal | float | int | None) -> str:
    """£6.0m (or £1.96m) for millions, £654k for thousands, £950 below that; negatives as −£1.2m;
    a thousand millions and more with a comma (£3,271.9m)."""
    if amount is None:
        return ""
    value = float(amount)
    sign = "−" if value < 0 else ""
    value = abs(value)
    if value >= 999_500:
        millions = value / 1_000_000
        # One decimal (£6.0m) unless that hides a second one the reader needs (£1.96m).
        digits = 1 if round(millions, 1) == round(millions, 2) else 2
        return f"{sign}£{millions:,.{digits}f}m"
    if value >= 1_000:
        return f"{sign}£{value / 1_000:.0f}k"
    return f"{sign}£{value:.0f}"
