"""Working days in England and Wales: bank holidays by rule and proclamation, and counting across them."""

from __future__ import annotations

import datetime as dt
import functools

import numpy as np

# One-off changes proclaimed for national occasions. The regular rules cannot produce these, and
# gov.uk's published calendar is the authority for them. Add new ones here when they are announced.
_MOVED: dict[int, dict[str, dt.date]] = {
    1995: {"early_may": dt.date(1995, 5, 8)},  # VE Day 50th anniversary
    2002: {"spring": dt.date(2002, 6, 4)},  # Golden Jubilee
    2012: {"spring": dt.date(2012, 6, 4)},  # Diamond Jubilee
    2020: {"early_may": dt.date(2020, 5, 8)},  # VE Day 75th anniversary
    2022: {"spring": dt.date(2022, 6, 2)},  # Platinum Jubilee
}
_EXTRA: dict[int, tuple[dt.date, ...]] = {
    1999: (dt.date(1999, 12, 31),),  # Millennium
    2002: (dt.date(2002, 6, 3),),  # Golden Jubilee
    2011: (dt.date(2011, 4, 29),),  # Royal Wedding
    2012: (dt.date(2012, 6, 5),),  # Diamond Jubilee
    2022: (dt.date(2022, 6, 3), dt.date(2022, 9, 19)),  # Platinum Jubilee; State Funeral
    2023: (dt.date(2023, 5, 8),),  # Coronation
}

_SATURDAY = 5


def easter_sunday(year: int) -> dt.date:
    """Western (Gregorian) Easter Sunday, by the anonymous Gregorian computus (Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    week_offset = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * week_offset) // 451
    month, day = divmod(h + week_offset - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _first_monday(year: int, month: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(7 - first.weekday()) % 7)


def _last_monday(year: int, month: int) -> dt.date:
    next_month = dt.date(year + month // 12, month % 12 + 1, 1)
    last = next_month - dt.timedelta(days=1)
    return last - dt.timedelta(days=last.weekday())


@functools.lru_cache(maxsize=512)
def bank_holidays(year: int) -> frozenset[dt.date]:
    """England and Wales bank holidays in `year` (the rules as they have stood since 1978)."""
    easter = easter_sunday(year)
    # These always fall on a weekday, so they never need a substitute.
    movable = {
        "good_friday": easter - dt.timedelta(days=2),
        "easter_monday": easter + dt.timedelta(days=1),
        "early_may": _first_monday(year, 5),
        "spring": _last_monday(year, 5),
        "summer": _last_monday(year, 8),
    }
    movable.update(_MOVED.get(year, {}))
    holidays = set(movable.values()) | set(_EXTRA.get(year, ()))

    fixed = [dt.date(year, 1, 1), dt.date(year, 12, 25), dt.date(year, 12, 26)]
    holidays.update(day for day in fixed if day.weekday() < _SATURDAY)
    # Substitutes are taken in date order, each on the next weekday not already a holiday, so a
    # Sunday Christmas lands on Tuesday 27th because Boxing Day already holds Monday 26th.
    for day in fixed:
        if day.weekday() >= _SATURDAY:
            substitute = day + dt.timedelta(days=1)
            while substitute.weekday() >= _SATURDAY or substitute in holidays:
                substitute += dt.timedelta(days=1)
            holidays.add(substitute)
    return frozenset(holidays)


@functools.lru_cache(maxsize=256)
def _calendar(first_year: int, last_year: int) -> np.busdaycalendar:
    holidays = sorted(day for year in range(first_year, last_year + 1) for day in bank_holidays(year))
    return np.busdaycalendar(weekmask="1111100", holidays=np.array(holidays, dtype="datetime64[D]"))


def _as_date(day: dt.date) -> dt.date:
    # datetimes (and pandas Timestamps) would make numpy refuse the cast to whole days.
    return day.date() if isinstance(day, dt.datetime) else day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in [start, end) when end >= start, else minus those in [end, start).

    Friday to the next Monday is 1; the same day is 0. Unlike numpy.busday_count for a reversed
    range, swapping the arguments always just flips the sign.
    """
    start, end = _as_date(start), _as_date(end)
    if end < start:
        return -working_days_between(end, start)
    return int(np.busday_count(start, end, busdaycal=_calendar(start.year, end.year)))


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The working day `n` working days after `day` (before it when n < 0).

    A weekend or bank-holiday `day` first rolls forward to the next working day, so the answer is
    always a working day and working_days_between(day, add_working_days(day, n)) == n.
    """
    day = _as_date(day)
    # A year has at least 250 working days; one spare year each side covers rolling over New Year.
    spare_years = abs(n) // 250 + 1
    calendar = _calendar(day.year - spare_years, day.year + spare_years)
    result = np.busday_offset(day, n, roll="forward", busdaycal=calendar)
    return result.astype(dt.date)
