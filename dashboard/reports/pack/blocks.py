"""The pack's building blocks: column kinds, a table (by column key) and a section, and cell values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from dashboard.domain.formatting import in_uk_time
from dashboard.reports import tables
from dashboard.reports.tables import TableDefinition

# Column kinds (reports/tables.py) decide the Excel number format and how the printed page writes a value.
TEXT, DATE, DATETIME, MONEY, NUMBER, INTEGER, PERCENT, YES_NO = (
    tables.TEXT,
    tables.DATE,
    tables.DATETIME,
    tables.MONEY,
    tables.NUMBER,
    tables.INTEGER,
    tables.PERCENT,
    tables.YES_NO,
)


def Column(heading: str, kind: str = TEXT) -> tables.Column:
    """A column of a table this module builds row by row (the changes list): its heading is its key."""
    return tables.Column(heading, heading, kind)


# The most rows a long table of the pack lists (worst or first first, in the section's order); the rest are
# counted, and the pack says where every one of them is. Counts and totals are always over every row.
PACK_ROWS = 50


@dataclass(frozen=True)
class More:
    """What a table that lists only its first rows leaves out, and the page (with its filters) that has
    every row: "Showing the first 50 of 10,033 milestones." … "and 9,983 more — see the milestones page"."""

    shown: int
    total: int
    noun: str  # what the rows are, plural: "milestones"
    page: str  # the page's name as the link reads: "the milestones page"
    href: str | None  # the page's path with the filters that list exactly these rows (None: no such page)

    @property
    def rest(self) -> int:
        return max(0, self.total - self.shown)

    def showing(self) -> str:
        return f"Showing the first {self.shown:,} of {self.total:,} {self.noun}."

    def rest_words(self) -> str:
        return f"and {self.rest:,} more — see"


def more_of(shown: int, total: int, noun: str, page: str, href: str | None) -> More | None:
    """A More when `shown` rows are fewer than `total`; None when the table lists every row."""
    return More(shown, total, noun, page, href) if total > shown else None


@dataclass
class Table:
    """One block of a section: an optional title, a header row, rows, and an optional totals row."""

    columns: list[tables.Column]
    rows: list[list]
    title: str | None = None
    total: list | None = None
    empty: str = "Nothing to show."
    print_columns: tuple[str, ...] | None = None  # the headings the printed page shows (None: all)
    more: More | None = None  # set when `rows` are only the first of more rows (PACK_ROWS)

    @classmethod
    def of(
        cls,
        definition: TableDefinition,
        records: Iterable[Mapping],
        total: Mapping | None = None,
        **options,
    ) -> Table:
        """A table whose rows (and totals row) are read from records by each column's key."""
        return cls(
            columns=list(definition.columns),
            rows=definition.rows(records),
            total=definition.partial_row(total) if total is not None else None,
            **options,
        )


@dataclass
class Section:
    sheet: str  # the worksheet's name
    heading: str  # the printed section's heading
    intro: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    illustrative: bool = False


def uk_time(moment) -> dt.datetime | None:
    """A stored timestamp (naive UTC) as UK wall-clock time, which is what the pages show."""
    moment = tables.plain(moment)
    return None if moment is None else in_uk_time(moment)


def yes_no(value) -> str:
    return "yes" if bool(tables.plain(value)) else "no"
