"""Importing the programme office's spreadsheets: read, check every row, then apply all or nothing.

The layouts are documented in docs/import-layouts.md. The flow is:
`read_table` (xlsx or CSV → header + rows, coping with merged headers, blank rows, a total row and
stray spaces) → a per-kind checker (every problem collected as sheet, row, column, message) →
`import_file` applies every row in one transaction, or nothing when any row is wrong. Rows are
matched on each kind's key, and a row whose values already match the database changes nothing, so
importing the same file twice leaves the second import with nothing to do.

The modules, in the order a file meets them: `cells` (one cell's value), `kinds` (each kind's
columns), `reading` (the file), `checking` (one row), `milestone_rows`, `action_rows`,
`saving_rows`, `kpi_rows` (each kind's rules), `plans` (what a row's import does, and its write
through the write path's own steps), `applying` (check_file, import_file).
"""

from dashboard.services.importer.applying import CHECKERS, check_file, import_file
from dashboard.services.importer.cells import (
    clean_cell,
    is_blank,
    normalise_header,
    parse_date,
    parse_financial_year,
    parse_money,
)
from dashboard.services.importer.kinds import KIND_CHOICES, KINDS, Column, Kind, template_table
from dashboard.services.importer.plans import Report, RowPlan
from dashboard.services.importer.reading import MAX_BYTES, MAX_ROWS, FileProblem, Problem, Table, read_table
from dashboard.services.importer.templates import template_workbook

__all__ = [
    "CHECKERS",
    "KINDS",
    "KIND_CHOICES",
    "MAX_BYTES",
    "MAX_ROWS",
    "Column",
    "FileProblem",
    "Kind",
    "Problem",
    "Report",
    "RowPlan",
    "Table",
    "check_file",
    "clean_cell",
    "import_file",
    "is_blank",
    "normalise_header",
    "parse_date",
    "parse_financial_year",
    "parse_money",
    "read_table",
    "template_table",
    "template_workbook",
]
