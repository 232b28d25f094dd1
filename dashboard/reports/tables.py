"""The tables people read: each column's field, heading and kind, shared by the screen, the downloads and the pack.

A table definition lists its columns once. Rows are built from records (dicts, DataFrame records or
query rows) by each column's key, so a heading can never sit above another column's value, and the
page's grid, the CSV and Excel downloads and the board pack's sheets all take their headings and
formats from here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from dashboard.domain.formatting import financial_year_label, in_uk_time
from dashboard.domain.sources import cite
from dashboard.domain.values import is_missing
from dashboard.queries.savings.filters import CATEGORY_LABELS

# Column kinds decide the Excel number format, the grid's formatter and how the printed pack writes
# the value.
TEXT, DATE, DATETIME, MONEY, NUMBER, INTEGER, PERCENT, YES_NO, SOURCE = (
    "text",
    "date",
    "datetime",
    "money",
    "number",
    "integer",
    "percent",
    "yes_no",
    "source",  # a stored source (document file and section), written as the document's title and date
)
KINDS = (TEXT, DATE, DATETIME, MONEY, NUMBER, INTEGER, PERCENT, YES_NO, SOURCE)
NUMBER_FORMATS = {
    DATE: "d mmm yyyy",
    DATETIME: "d mmm yyyy hh:mm",
    MONEY: "£#,##0",
    NUMBER: "#,##0.0#",
    INTEGER: "0",
    PERCENT: "0",
}
NOT_RATED = "Not rated"


def plain(value):
    """A stored or DataFrame value as a plain Python value (None for missing, dates as dates)."""
    if is_missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, str | dt.date | Decimal):
        return value.item()  # numpy scalars
    return value


def cell_value(value, kind: str):
    """A record's value as the cell of a column of `kind`: what the pack and the downloads write.

    Money stays exact (Decimal), yes/no columns read "yes" or "no", dates are dates, timestamps are UK
    time; text a person typed is left as typed.
    """
    value = plain(value)
    if value is None:
        return None
    if kind == YES_NO:
        return value if isinstance(value, str) else ("yes" if value else "no")
    if kind == SOURCE:
        return cite(str(value))
    if isinstance(value, str):
        return value
    if kind == DATE:
        return value.date() if isinstance(value, dt.datetime) else value
    if kind == DATETIME:
        return in_uk_time(value) if isinstance(value, dt.datetime) else value
    if kind == MONEY:
        return value if isinstance(value, Decimal) else Decimal(str(value))
    if kind in (INTEGER, PERCENT):
        return int(value)
    if kind == NUMBER:
        return float(value)
    return value


def grid_value(value, kind: str):
    """A cell as dash-ag-grid's row data holds it: JSON numbers, ISO dates, "yes"/"no"."""
    return _as_grid_cell(cell_value(value, kind))


def _as_grid_cell(value):
    """A cell (`cell_value`'s answer) as JSON: read a value only once, as a timestamp read twice is
    moved to UK time twice (an hour ahead in summer)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


# How the grid shows a kind: the formatter functions are in assets/*.js.
GRID_KIND_PROPERTIES = {
    MONEY: {
        "type": "numericColumn",
        "valueFormatter": {"function": "ukMoney(params.value)"},
        "minWidth": 120,
    },
    DATE: {"valueFormatter": {"function": "ukDate(params.value)"}, "minWidth": 130},
    DATETIME: {"valueFormatter": {"function": "ukDateTime(params.value)"}, "minWidth": 160},
    NUMBER: {"type": "numericColumn", "minWidth": 100},
    INTEGER: {"type": "numericColumn", "minWidth": 100},
    PERCENT: {
        "type": "numericColumn",
        "valueFormatter": {"function": "percentLabel(params.value)"},
        "minWidth": 110,
    },
    YES_NO: {"minWidth": 110},
}


@dataclass(frozen=True)
class Column:
    """One column: the record field it reads (`key`), its heading and its kind.

    `read`, when given, works the value out of the whole record (a label for a stored code, say); it
    still names the field it reads by `key`.
    """

    key: str
    heading: str
    kind: str = TEXT
    read: Callable[[Mapping], object] | None = field(default=None, compare=False)

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")

    def value(self, record: Mapping):
        """This column's cell from a whole record (a KeyError if the record lacks the field)."""
        return cell_value(self.read(record) if self.read else record[self.key], self.kind)


@dataclass(frozen=True)
class TableDefinition:
    """A table's columns in order; every view picks its columns by key and keeps their headings."""

    name: str
    columns: tuple[Column, ...]

    def __post_init__(self):
        keys = [column.key for column in self.columns]
        if len(set(keys)) != len(keys):
            raise ValueError(f"{self.name}: a key is listed twice")

    @property
    def keys(self) -> list[str]:
        return [column.key for column in self.columns]

    @property
    def kinds(self) -> list[str]:
        return [column.kind for column in self.columns]

    @property
    def headings(self) -> list[str]:
        return [column.heading for column in self.columns]

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(f"{self.name} has no column {key!r}")

    def only(self, *keys: str) -> TableDefinition:
        """The same columns (headings, kinds) for the keys given, in that order."""
        return TableDefinition(self.name, tuple(self.column(key) for key in keys))

    def without(self, *keys: str) -> TableDefinition:
        unknown = set(keys) - set(self.keys)
        if unknown:
            raise KeyError(f"{self.name} has no column {sorted(unknown)!r}")
        return TableDefinition(self.name, tuple(c for c in self.columns if c.key not in keys))

    def row(self, record: Mapping) -> list:
        """One record's cells, in column order, each read by its column's key."""
        return [column.value(record) for column in self.columns]

    def rows(self, records: Iterable[Mapping]) -> list[list]:
        return [self.row(record) for record in records]

    def partial_row(self, values: Mapping) -> list:
        """A row given by key for some columns only (a totals row); the others are blank."""
        unknown = set(values) - set(self.keys)
        if unknown:
            raise KeyError(f"{self.name} has no column {sorted(unknown)!r}")
        return [plain(values[column.key]) if column.key in values else None for column in self.columns]

    def frame(self, records: Iterable[Mapping]) -> pd.DataFrame:
        """The records as a DataFrame headed as people read it (the downloads write these)."""
        return pd.DataFrame(self.rows(records), columns=self.headings, dtype=object)

    def grid_row(self, record: Mapping) -> dict:
        """A record as dash-ag-grid row data: one field per column key."""
        return {column.key: _as_grid_cell(column.value(record)) for column in self.columns}

    def grid_columns(self, **properties: dict) -> list[dict]:
        """dash-ag-grid columnDefs: the heading as headerName, the kind's formatter, and any
        per-column `properties` (width, pinning, wrapping) given by key."""
        unknown = set(properties) - set(self.keys)
        if unknown:
            raise KeyError(f"{self.name} has no column {sorted(unknown)!r}")
        return [
            {
                "field": column.key,
                "headerName": column.heading,
                **GRID_KIND_PROPERTIES.get(column.kind, {}),
                **properties.get(column.key, {}),
            }
            for column in self.columns
        ]


# --- milestones ------------------------------------------------------------------------------------

MILESTONES = TableDefinition(
    "milestones",
    (
        Column("organisation", "Organisation"),
        Column("programme", "Programme"),
        Column("project", "Project"),
        Column("title", "Milestone"),
        Column("owner", "Owner"),
        Column("status", "Status"),
        Column("rag", "RAG"),
        Column("rag_reason", "RAG reason"),
        Column("percent_complete", "% complete", PERCENT),
        Column("baseline_name", "Baseline"),
        Column("baseline_start", "Baseline start", DATE),
        Column("baseline_end", "Baseline end", DATE),
        Column("forecast_start", "Forecast start", DATE),
        Column("forecast_end", "Forecast end", DATE),
        Column("actual_start", "Actual start", DATE),
        Column("actual_end", "Actual end", DATE),
        Column("slippage_working_days", "Slippage (working days)", INTEGER),
        Column("slippage_weeks", "Slippage (weeks)", NUMBER),
        Column("commentary", "Commentary"),
        Column("updated_by", "Last updated by"),
        Column("updated_at", "Last updated", DATETIME),
        Column("illustrative", "Illustrative data", YES_NO),
        Column("source", "Source", SOURCE),
    ),
)

# The milestones page's grid: the columns a screen has room for, headed as the download heads them.
MILESTONE_GRID = MILESTONES.only(
    "project",
    "title",
    "owner",
    "status",
    "rag",
    "percent_complete",
    "baseline_end",
    "forecast_end",
    "actual_end",
    "slippage_working_days",
    "slippage_weeks",
    "updated_at",
    "updated_by",
    "illustrative",
)


# --- peer challenge actions ------------------------------------------------------------------------


def _latest_note_internal(record: Mapping):
    # Only a note can be internal: an action with no note has nothing to say here.
    return plain(record["latest_note_internal"]) if plain(record["latest_note"]) else None


ACTIONS = TableDefinition(
    "actions",
    (
        Column("recommendation", "Recommendation"),
        Column("title", "Action"),
        Column("project", "Delivered by"),
        Column("owner", "Owner"),
        Column("due_date", "Due date", DATE),
        Column("display_status", "Status"),
        Column("rag", "RAG"),
        Column("percent_complete", "% complete", PERCENT),
        Column("overdue", "Overdue", YES_NO),
        Column("latest_note_date", "Latest progress note date", DATE),
        Column("latest_note", "Latest progress note"),
        Column("latest_note_internal", "Latest note is internal", YES_NO, read=_latest_note_internal),
        Column("evidence", "Evidence"),
        Column("evidence_items", "Evidence items", INTEGER),
        Column("signed_off_by", "Signed off by"),
        Column("signed_off_at", "Signed off at", DATETIME),
        Column("updated_at", "Last updated", DATETIME),
        Column("updated_by", "Last updated by"),
        Column("illustrative", "Illustrative data", YES_NO),
        Column("source", "Source", SOURCE),
    ),
)


# --- savings -----------------------------------------------------------------------------------------


def _category(record: Mapping):
    value = plain(record["category"])
    return CATEGORY_LABELS.get(value, value)


def _confidence(record: Mapping) -> str:
    return plain(record["confidence"]) or NOT_RATED


def _proposed_year(record: Mapping):
    year = plain(record["proposed_year"])
    return financial_year_label(int(year)) if year is not None else None


# The measures every savings table shares, so a by-year or by-project table heads them as the lines do.
TARGET = Column("target", "Target", MONEY)
FORECAST = Column("plain_forecast", "Forecast", MONEY)  # a line with no forecast yet counts at its target
REALISED = Column("realised", "Realised", MONEY)
VARIANCE = Column("variance", "Variance (forecast − target)", MONEY)
WEIGHTED = Column("weighted_forecast", "Confidence-weighted forecast", MONEY)
FTE = Column("fte", "FTE", NUMBER)

SAVING_LINES = TableDefinition(
    "saving lines",
    (
        Column("fy_label", "Financial year"),
        Column("organisation", "Organisation"),
        Column("programme", "Programme"),
        Column("project", "Project"),
        Column("description", "Saving"),
        Column("category", "Kind", read=_category),
        TARGET,
        FORECAST,
        REALISED,
        VARIANCE,
        Column("confidence", "Confidence", read=_confidence),
        Column("confidence_reason", "Confidence reason"),
        WEIGHTED,
        FTE,
        Column("milestone", "Depends on milestone"),
        Column("milestone_end", "Milestone ends", DATE),
        Column("at_risk", "At risk from slippage", YES_NO),
        Column("proposed_year", "Re-phase to", read=_proposed_year),
        Column("updated_by", "Last updated by"),
        Column("updated_at", "Last updated", DATETIME),
        Column("illustrative", "Illustrative data", YES_NO),
        Column("illustrative_note", "Illustrative note"),
        Column("source", "Source", SOURCE),
    ),
)

# Savings summed by financial year or by project (within one organisation: never across them).
SAVING_SUMMARY = TableDefinition(
    "savings summary",
    (
        Column("fy_label", "Financial year"),
        Column("programme", "Programme"),
        Column("project", "Project"),
        TARGET,
        FORECAST,
        REALISED,
        VARIANCE,
        WEIGHTED,
        FTE,
        Column("lines", "Lines", INTEGER),
    ),
)
# The savings page's grid of lines (the page shows one organisation's lines at a time).
SAVING_LINE_GRID = SAVING_LINES.only(
    "fy_label",
    "programme",
    "project",
    "description",
    "category",
    "target",
    "plain_forecast",
    "realised",
    "variance",
    "confidence",
    "weighted_forecast",
    "fte",
    "milestone",
    "milestone_end",
    "at_risk",
    "proposed_year",
    "illustrative",
)
SAVINGS_BY_YEAR = SAVING_SUMMARY.without("programme", "project")
SAVINGS_BY_PROJECT = SAVING_SUMMARY.without("fy_label")
