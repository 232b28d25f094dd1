"""The weekly board pack: every section gathered from the pages' own queries, and the Excel workbook.

`pack_data` reads (no Dash imports); `pack_workbook` turns the same tables into an .xlsx, and the
/pack page renders them as printable HTML, so the workbook and the page always show the same rows
and the same totals as the pages they come from. One module per section builder, the pack's data
and the workbook; the names the page, its callbacks and the tests use are re-exported here.
"""

from dashboard.reports.pack.blocks import (
    DATE,
    DATETIME,
    INTEGER,
    MONEY,
    NUMBER,
    PERCENT,
    TEXT,
    YES_NO,
    Column,
    Section,
    Table,
)
from dashboard.reports.pack.data import (
    SHEETS,
    MeetingParts,
    PackData,
    chosen_meeting,
    meeting_parts,
    meeting_window,
    pack_data,
)
from dashboard.reports.pack.workbook import ILLUSTRATIVE_NOTE, pack_filename, pack_workbook

__all__ = [
    "DATE",
    "DATETIME",
    "ILLUSTRATIVE_NOTE",
    "INTEGER",
    "MONEY",
    "NUMBER",
    "PERCENT",
    "SHEETS",
    "TEXT",
    "YES_NO",
    "Column",
    "MeetingParts",
    "PackData",
    "Section",
    "Table",
    "chosen_meeting",
    "meeting_parts",
    "meeting_window",
    "pack_data",
    "pack_filename",
    "pack_workbook",
]
