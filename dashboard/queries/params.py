"""Reading and writing a page's URL query string: one rule per kind of value, for every page's filters.

Links can be crafted, so every reader takes what it can use and otherwise gives the default; none
raises. A key given twice (parse_qs gives a list) counts once, by its first value; a value is
trimmed and cut to the filter's length limit; a NUL, which PostgreSQL refuses in any query, reads
as U+FFFD (as at sign-in), so it matches nothing rather than failing. The filter bars' controls are
read the same way, so a control can never set a filter that a link could not.

Numbers are ASCII digits only (`'²'.isdigit()` is true, but int() refuses it), within the range the
filter can use; ids are at most the largest integer both databases store; dates are exact ISO dates
between EARLIEST_DATE and LATEST_DATE, so a day added or taken away never leaves Python's calendar.

A value that is given but cannot be used is ignored, and noted (`Ignored`: the parameter, the value
and why): while `noting_ignored()` is open every note is collected, and the app says each one on the
page (web.py for a link, dashboard.callbacks for a callback's values), e.g. "Ignored the link's
page=²: not a page number."
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from urllib.parse import urlencode

from dashboard.domain.formatting import parse_form_date
from dashboard.domain.values import yes_no

TEXT_LIMIT = 200  # characters kept of a value, unless a filter says otherwise
ID_MAX = 2**31 - 1  # the largest id a link or a control may name: PostgreSQL's integer (SQLite's is larger)
EARLIEST_DATE = dt.date(1900, 1, 1)  # the range of dates a link or a filter control may give
LATEST_DATE = dt.date(2199, 12, 31)
SHOWN_LIMIT = 40  # characters of an ignored value the page repeats

_DIGITS = re.compile(r"[0-9]+")
_SIGNED_NUMBER = re.compile(r"-?[0-9]{1,18}")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


# -- single values, wherever they come from ---------------------------------------------------------


def whole_number(value, maximum: int = ID_MAX) -> int | None:
    """`value` as a whole number from 0 to `maximum`: an int (not a bool), or text of ASCII digits
    (spaces around allowed); None for anything else ('²', '-1', '1e3', 1.0, a list…)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _DIGITS.fullmatch(value.strip()) and len(value.strip()) <= 20:
        number = int(value.strip())
    else:
        return None
    return number if 0 <= number <= maximum else None


def row_id(value) -> int | None:
    """A row's id as a link, a select or a grid gives it (7 or '7'); None unless it is a whole number
    from 1 to ID_MAX, so no lookup can fail on it."""
    number = whole_number(value)
    return number if number else None


def iso_date(value) -> dt.date | None:
    """Exactly YYYY-MM-DD (ASCII digits), a real day from EARLIEST_DATE to LATEST_DATE; else None."""
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value.strip()):
        return None
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        return None
    return day if EARLIEST_DATE <= day <= LATEST_DATE else None


def typed_date(value):
    """A filter's date field as typed, day first (22/11/2026, or ISO), in the ISO form a link carries,
    so that a control is read exactly as a URL is; anything else is passed on as it is, for the URL
    reader to ignore and say so."""
    if not isinstance(value, str):
        return value
    try:
        return parse_form_date(value).isoformat()
    except ValueError:
        return value


def ticked(values, key: str = "flags") -> frozenset[str]:
    """The boxes a checklist has ticked: its value, a list of the ticked choices. Anything else (a
    crafted number, text or object) ticks none, and is noted as ignored under `key`."""
    if values is None:
        return frozenset()
    if isinstance(values, list | tuple) and all(isinstance(value, str) for value in values):
        return frozenset(values)
    ignore(key, values, "not a list of ticked boxes")
    return frozenset()


# -- what was ignored, and saying so ------------------------------------------------------------------


@dataclass(frozen=True)
class Ignored:
    """A value given for `key` that the page could not use, shown as given (shortened), and why."""

    key: str
    value: str
    reason: str

    def sentence(self, link: bool = True) -> str:
        """How the page says it: "Ignored the link's page=²: not a page number." (of a link), or
        "Ignored the value sent for page (²): not a page number." (of a control's value)."""
        if link:
            return f"Ignored the link's {self.key}={self.value}: {self.reason}."
        return f"Ignored the value sent for {self.key} ({self.value}): {self.reason}."


_noted: ContextVar[list[Ignored] | None] = ContextVar("ignored_values", default=None)


@contextmanager
def noting_ignored() -> Iterator[list[Ignored]]:
    """Collect what the filters read inside the block ignore: the list fills as they read."""
    found: list[Ignored] = []
    token = _noted.set(found)
    try:
        yield found
    finally:
        _noted.reset(token)


def shown(value) -> str:
    """A value as an ignored-value note repeats it: one line, at most SHOWN_LIMIT characters."""
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    text = " ".join(str(value).replace("\x00", "\ufffd").split())
    return text if len(text) <= SHOWN_LIMIT else text[: SHOWN_LIMIT - 1] + "…"


def ignore(key: str, value, reason: str) -> Ignored:
    """Note that `value`, given for `key`, was ignored because of `reason` (kept while noting_ignored is open)."""
    item = Ignored(key, shown(value), reason)
    noted = _noted.get()
    if noted is not None and item not in noted:
        noted.append(item)
    return item


# -- a query string's values ---------------------------------------------------------------------------


class QueryParams:
    """`QueryParams(parse_qs(search)).text("owner")`: typed values from a query string's mapping.

    Each reader gives None (or the default) for a key that is absent or blank; a value given but not
    of the reader's kind is ignored and noted (`ignored`, and `noting_ignored` where it is open)."""

    __slots__ = ("_query", "_limit", "ignored")

    def __init__(self, query: Mapping[str, object] | None, limit: int = TEXT_LIMIT):
        self._query = query or {}
        self._limit = limit
        self.ignored: list[Ignored] = []

    def ignore(self, key: str, reason: str) -> None:
        """Note the value of `key` as ignored, for `reason`."""
        self.ignored.append(ignore(key, self.text(key), reason))

    def text(self, key: str) -> str | None:
        """The value as trimmed text, cut to the limit; None when absent or blank."""
        value = self._query.get(key)
        if isinstance(value, list | tuple):
            value = value[0] if value else None
        text = "" if value is None else str(value)
        return text.replace("\x00", "\ufffd").strip()[: self._limit] or None

    def flag(self, key: str) -> bool:
        """True for 1, true, yes or on (any case); False for 0, false, no, off or nothing; any other
        value is ignored (False)."""
        text = self.text(key)
        meaning = yes_no(text)
        if text is not None and meaning is None:
            self.ignore(key, "not yes or no")
        return meaning is True

    def choice(
        self, key: str, allowed: Collection[str], reason: str = "not one of the page's choices"
    ) -> str | None:
        """The value when it is one of `allowed`, else None (a value given is then ignored)."""
        text = self.text(key)
        if text is None or text in allowed:
            return text
        self.ignore(key, reason)
        return None

    def integer(
        self, key: str, minimum: int = -(10**18) + 1, maximum: int = 10**18 - 1, reason: str | None = None
    ) -> int | None:
        """The value as a whole number from `minimum` to `maximum` (ASCII digits, a minus sign
        allowed), else None."""
        text = self.text(key)
        if text is None:
            return None
        number = int(text) if _SIGNED_NUMBER.fullmatch(text) else None
        if number is None or not minimum <= number <= maximum:
            self.ignore(key, reason or f"not a whole number from {minimum:,} to {maximum:,}")
            return None
        return number

    def identifier(self, key: str, reason: str = "not the number of a row") -> int | None:
        """A row's id (ASCII digits, 1 to ID_MAX), else None."""
        text = self.text(key)
        if text is None:
            return None
        number = row_id(text)
        if number is None:
            self.ignore(key, reason)
        return number

    def page(self, key: str, last: int, clamp: bool = False) -> int:
        """A page number from 1 to `last`: ASCII digits only. A number past `last` reads as `last`
        when `clamp`; anything else that is not a page from 1 to `last` reads as 1. Either way the
        value is noted as ignored."""
        text = self.text(key)
        if text is None:
            return 1
        if not _DIGITS.fullmatch(text):
            self.ignore(key, "not a page number")
            return 1
        number = int(text)
        if number > last and clamp:
            self.ignore(key, f"past the last page, {last:,}")
            return last
        if not 1 <= number <= last:
            self.ignore(key, "no such page")
            return 1
        return number

    def date(self, key: str) -> dt.date | None:
        """The value as an ISO date (2017-03-31) from EARLIEST_DATE to LATEST_DATE, else None."""
        text = self.text(key)
        if text is None:
            return None
        day = iso_date(text)
        if day is None:
            in_form = _ISO_DATE.fullmatch(text) is not None and _real_day(text)
            self.ignore(
                key,
                f"not a date from {EARLIEST_DATE.year} to {LATEST_DATE.year}"
                if in_form
                else "not a date like 2017-03-31",
            )
        return day


def _real_day(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


class LinkedFilters:
    """A page's filters kept in its URL: `to_query()` gives the parameters, and `query_string()` the link's
    "?…" (or "" when every filter is at its default)."""

    def to_query(self) -> dict[str, str]:
        raise NotImplementedError

    def query_string(self) -> str:
        query = self.to_query()
        return ("?" + urlencode(query)) if query else ""


def present(values: Mapping[str, str | None]) -> dict[str, str]:
    """The parameters that are set (neither None nor blank), in order: what a link carries."""
    return {key: value for key, value in values.items() if value}
