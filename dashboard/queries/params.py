"""Reading and writing a page's URL query string: one rule per kind of value, for every page's filters.

Links can be crafted, so every reader takes what it can use and otherwise gives the default; none
raises. A key given twice (parse_qs gives a list) counts once, by its first value; a value is
trimmed and cut to the filter's length limit; a NUL, which PostgreSQL refuses in any query, reads
as U+FFFD (as at sign-in), so it matches nothing rather than failing. The filter bars' controls are
read the same way, so a control can never set a filter that a link could not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from urllib.parse import urlencode

from dashboard.domain.values import yes_no

TEXT_LIMIT = 200  # characters kept of a value, unless a filter says otherwise


class QueryParams:
    """`QueryParams(parse_qs(search)).text("owner")`: typed values from a query string's mapping."""

    __slots__ = ("_query", "_limit")

    def __init__(self, query: Mapping[str, object] | None, limit: int = TEXT_LIMIT):
        self._query = query or {}
        self._limit = limit

    def text(self, key: str) -> str | None:
        """The value as trimmed text, cut to the limit; None when absent or blank."""
        value = self._query.get(key)
        if isinstance(value, list | tuple):
            value = value[0] if value else None
        text = "" if value is None else str(value)
        return text.replace("\x00", "\ufffd").strip()[: self._limit] or None

    def flag(self, key: str) -> bool:
        """True for 1, true, yes or on (any case); anything else, or nothing, is False."""
        return yes_no(self.text(key)) is True

    def choice(self, key: str, allowed: Collection[str]) -> str | None:
        """The value when it is one of `allowed`, else None."""
        text = self.text(key)
        return text if text in allowed else None

    def integer(self, key: str) -> int | None:
        """The value as a whole number (as Python's int reads it), else None."""
        try:
            return int(self.text(key) or "")
        except ValueError:
            return None

    def page(self, key: str, last: int, clamp: bool = False) -> int:
        """A page number from 1 to `last`: digits only; 0 reads as 1. A number past `last` reads as
        `last` when `clamp`, else as 1; anything that is not digits reads as 1."""
        text = self.text(key) or ""
        if not text.isdecimal():
            return 1
        number = int(text)
        if number > last:
            return last if clamp else 1
        return max(1, number)

    def date(self, key: str) -> dt.date | None:
        """The value as an ISO date (2017-03-31), else None."""
        try:
            return dt.date.fromisoformat(self.text(key) or "")
        except ValueError:
            return None


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
