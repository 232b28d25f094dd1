"""What the page modules' callbacks share: the row an edit form has open, the answer to a write,
uploaded files, downloaded tables and the rows of a table people update from."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable

import pandas as pd
from dash import dcc

from dashboard.queries import params
from dashboard.reports.downloads import to_csv_bytes, to_excel_bytes
from dashboard.reports.tables import TableDefinition
from dashboard.services import ConflictError, NotFoundError, ValidationError


def opened_row(value) -> tuple[int, int] | None:
    """(id, version) of the row an edit form has open, from its store; None unless both are whole
    numbers the database can hold. The store is the browser's: a crafted one is answered "choose one
    first", not a crash."""
    if not isinstance(value, dict):
        return None
    row_id, version = params.row_id(value.get("id")), params.whole_number(value.get("version"))
    return None if row_id is None or version is None else (row_id, version)


def bumped(counter) -> int:
    """A page's refresh store one on (what redraws the page after a write). The store is the
    browser's: a crafted one counts from 0, so a write that was stored is never answered as failed."""
    return (params.whole_number(counter, maximum=params.ID_MAX - 1) or 0) + 1


def shown_ids(rows) -> list[int]:
    """The ids of a grid's rows in the order the browser lists them (its `virtualRowData`); a row
    without a usable id is left out."""
    if not isinstance(rows, list):
        return []
    ids = (params.row_id(row.get("id")) for row in rows if isinstance(row, dict))
    return [row_id for row_id in ids if row_id is not None]


def answer_write(form, write: Callable, saved: Callable, invalid: Callable | None = None) -> tuple:
    """Run a service's write and answer with a form's outputs (dashboard.ui.forms.FormOutputs):
    `saved(result)` once it is stored; else what the form says of invalid input (or `invalid`'s
    answer), of a row that changed since it was opened, or of one that no longer exists."""
    try:
        result = write()
    except ValidationError as exc:
        return (invalid or form.invalid)(exc.errors)
    except ConflictError as exc:
        return form.conflict(exc)
    except NotFoundError as exc:
        return form.not_found(exc)
    return saved(result)


def uploaded_bytes(contents) -> bytes | None:
    """A dcc.Upload's file (its `contents`, a base64 data URL) as bytes; None when it cannot be read."""
    try:
        _header, encoded = str(contents).split(",", 1)
        return base64.b64decode(encoded, validate=True)
    except (ValueError, binascii.Error):
        return None


def send_table(table: pd.DataFrame, file_kind: str, stem: str, sheet_title: str, kinds=None) -> dict:
    """A table as the download a button asked for: `stem`.xlsx (one sheet; `kinds` are a table
    definition's column kinds, which format its cells) or `stem`.csv."""
    if file_kind == "xlsx":
        return dcc.send_bytes(to_excel_bytes(table, sheet_title, kinds), f"{stem}.xlsx")
    return dcc.send_bytes(to_csv_bytes(table), f"{stem}.csv")


def editable_grid_rows(
    frame: pd.DataFrame, table: TableDefinition, editable: set[int] | None, row_id: Callable = int
) -> list[dict]:
    """A grid's rows from a frame of stored rows: `table`'s columns by key, each row's id (`row_id` of
    it: AG Grid's row ids are strings) and whether the user may edit it (`editable`: the projects they
    may edit, None for all) for its Update button."""
    return [
        {
            "id": row_id(int(record["id"])),
            **table.grid_row(record),
            "can_edit": editable is None or int(record["project_id"]) in editable,
        }
        # Only the columns read: boxing every column of the frame was half the time.
        for record in frame[["id", "project_id", *table.keys]].to_dict("records")
    ]
