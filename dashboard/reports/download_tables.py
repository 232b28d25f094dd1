"""Downloads shaped from a query's frame: the tables people open in Excel whose columns are not a
table definition of tables.py (benefits; the action plan's actions, progress, areas and review)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.domain.formatting import format_date
from dashboard.domain.sources import cite
from dashboard.queries.actions.areas import KIND_LABELS
from dashboard.reports.tables import ACTIONS


def kpi_value_text(value, unit) -> str:
    """A benefit's KPI value as it is read: 1,234, 12.5%, 30 days; "not recorded" when missing."""
    if value is None or pd.isna(value):
        return "not recorded"
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return {"percent": f"{text}%", "days": f"{text} days"}.get(unit, text)


def benefit_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The benefits download, from queries.savings.benefits."""
    rows = []
    for row in frame.to_dict("records"):
        rows.append(
            {
                "Benefit": row["name"],
                "Project": row["project"],
                "Owner": row["owner"],
                "KPI code": row["kpi_code"],
                "Measure (KPI)": row["kpi_name"],
                "Baseline": row["baseline_value"],
                "Baseline as stated": row["baseline_label"],
                "Target": row["target_value"],
                "Target as stated": row["target_label"],
                "Target date": row["target_date"],
                "KPI values": "; ".join(
                    f"{value['area']} {value['period']}: {kpi_value_text(value['value'], row['unit'])}"
                    for value in row["kpi_values"]
                ),
                "Target met": {True: "yes", False: "no", None: "not known"}[row["target_met"]],
                "Illustrative data": "yes" if row["illustrative"] else "no",
                "Source": cite(row["source"]),
            }
        )
    return pd.DataFrame(rows)


def progress_table(progress: pd.DataFrame) -> pd.DataFrame:
    return progress.rename(
        columns={
            "recommendation": "Recommendation",
            "total": "Actions",
            "accepted": "Closed (evidence accepted)",
            "awaiting": "Complete – awaiting sign-off",
            "open": "Open, not yet due",
            "overdue": "Overdue",
        }
    )


def areas_table(areas: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Theme": areas["theme"],
            "Kind": [KIND_LABELS.get(kind, kind) for kind in areas["kind"]],
            "Text": areas["text"],
            "Actions answering it": ["; ".join(items) for items in areas["actions"]],
            "Uncovered": ["yes" if flag else "no" for flag in areas["uncovered"]],
            "Source": areas["source"].map(cite),
        }
    )


def actions_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The actions download: the actions table's columns (reports/tables.py), read by key."""
    return ACTIONS.frame(frame.to_dict("records"))


def review_table(review: pd.DataFrame, as_at: dt.date) -> pd.DataFrame:
    stamp = format_date(as_at)
    return pd.DataFrame(
        {
            "Recommendation": review["recommendation"],
            "Action": review["title"],
            f"Status at {stamp}": review["status_then"],
            f"RAG at {stamp}": review["rag_then"].fillna(""),
            f"% complete at {stamp}": review["percent_then"],
            f"Due date at {stamp}": review["due_then"],
            f"Latest note at {stamp}": review["latest_note_then"].fillna(""),
            "Status now": review["status_now"],
            "RAG now": review["rag_now"].fillna(""),
            "% complete now": review["percent_now"],
            "What moved since": review["moved"],
        }
    )


KPI_HEADERS = {"kpi": "KPI", "rag": "RAG", "kpi_name": "Measure", "rank": "Rank (1 = best)"}


def kpi_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A KPI section's download (comparison, trends, exceptions, funnel or catalogue, from
    queries.kpis), as a person reads it: named columns, Illustrative yes/no, whole-number ranks."""
    frame = frame.drop(columns=[column for column in ("area_key", "area_kind") if column in frame])
    if "illustrative" in frame:
        frame["illustrative"] = frame["illustrative"].map(lambda value: "yes" if value else "no")
    for column in ("rank", "red_periods"):
        if column in frame:
            frame[column] = pd.array(
                [None if pd.isna(value) else int(value) for value in frame[column]], dtype="Int64"
            )
    frame.columns = [
        KPI_HEADERS.get(column, str(column).replace("_", " ").capitalize()) for column in frame.columns
    ]
    return frame
