"""KPIs page: the grids' rows (from frames or plain records) and the Birmingham access list."""

from __future__ import annotations

import pandas as pd
from dash import html

from dashboard.domain.sources import cite
from dashboard.figures import kpis as kpi_figures
from dashboard.ui.components import illustrative_marker, rag_badge


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows for AG Grid from a frame, as grid_rows gives them from records."""
    # Whole columns at a time: object dtype gives plain Python numbers, and where() puts None for NaN.
    return grid_rows(frame.astype(object).where(frame.notna(), None).to_dict("records"))


def grid_rows(records: list[dict]) -> list[dict]:
    """Rows for AG Grid from plain records: NaN → None, dates as ISO text, and the Data column saying
    where figures come from."""
    rows = []
    for record in records:
        row = {}
        for key, value in record.items():
            if value is None or (isinstance(value, float) and value != value):
                value = None
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            row[key] = value
        if row.get("source"):
            row["source"] = cite(row["source"])  # the document by title and date, not its file
        if "illustrative" in row:
            row["data_note"] = "Illustrative" if row["illustrative"] else "From documents"
        rows.append(row)
    return rows


def funnel_rows(stages: pd.DataFrame) -> pd.DataFrame:
    frame = stages.copy()
    frame["how"] = [
        ("Worked out from the other figures. " if derived else "") + cite(source)
        for derived, source in zip(frame["derived"], frame["source"], strict=True)
    ]
    return frame


def access_panel(frame: pd.DataFrame):
    if frame.empty:
        return html.P("No Birmingham access figures.")
    items = []
    for row in frame.itertuples(index=False):
        value = kpi_figures.format_value(row.value, row.unit)
        children = [html.Strong(value), f" {row.measure} ({row.period})"]
        if isinstance(row.rag, str):
            children += [" ", rag_badge(row.rag)]
        if row.illustrative:
            children += [" ", illustrative_marker()]
        items.append(html.Li(children))
    return html.Ul(items, className="kpi-access-list")


POLARITY_WORDS = {"higher": "Higher", "lower": "Lower"}


def _values_source(source) -> str:
    return "Illustrative" if source == "illustrative" else "From documents"


def catalogue_rows(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame["polarity"] = frame["polarity"].map(POLARITY_WORDS)
    frame["values_source"] = frame["values_source"].map(_values_source)
    return frame


def catalogue_grid_rows(records: list[dict]) -> list[dict]:
    """The catalogue grid's rows, as _records(catalogue_rows(...)) gives them, from plain records:
    pandas' frame and conversions were most of this small callback's time."""
    return grid_rows(
        [
            {
                **record,
                "polarity": POLARITY_WORDS.get(record["polarity"]),
                "values_source": _values_source(record["values_source"]),
            }
            for record in records
        ]
    )
