"""The layouts of the four kinds of spreadsheet: each kind's columns, the headings (and synonyms)
they are known by, the key rows are matched on, and the template a programme office fills in.

docs/import-layouts.md describes the same layouts for people.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.services.importer.cells import normalise_header


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # as the template writes it
    required: bool = False
    synonyms: tuple[str, ...] = ()
    example: object = ""

    def exact_names(self) -> set[str]:
        """The template's heading and the field's own name: these always win over a synonym."""
        return {normalise_header(self.header), normalise_header(self.field)}

    def names(self) -> set[str]:
        return {
            normalise_header(self.header),
            normalise_header(self.field),
            *map(normalise_header, self.synonyms),
        }


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    sheet: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]

    def column(self, field_name: str) -> Column:
        return next(column for column in self.columns if column.field == field_name)


PROJECT = Column(
    "project", "Project", True, ("project key", "project name", "workstream", "work stream"), "transition"
)
STATUS_SYNONYMS = ("current status", "progress status")
RAG_SYNONYMS = ("rag", "rag status", "rag rating", "status rag")

KINDS: dict[str, Kind] = {
    "milestones": Kind(
        "milestones",
        "Milestones",
        "Milestones",
        (
            PROJECT,
            Column(
                "title",
                "Milestone",
                True,
                ("title", "milestone title", "milestone name", "task"),
                "Pilot launched",
            ),
            Column("owner", "Owner", False, ("lead", "responsible", "milestone owner"), "Head of Service"),
            Column(
                "baseline_start",
                "Baseline start",
                False,
                ("planned start", "start date baseline"),
                "Sept 2026",
            ),
            Column("baseline_end", "Baseline end", False, ("planned end", "end date baseline"), "30/11/2026"),
            Column("status", "Status", False, STATUS_SYNONYMS, "In progress"),
            Column("rag", "RAG", False, RAG_SYNONYMS, "Green"),
            Column("rag_reason", "RAG reason", False, ("reason for rag", "rag commentary", "reason"), ""),
            Column(
                "percent_complete",
                "% complete",
                False,
                ("percent complete", "percentage complete", "complete"),
                25,
            ),
            Column("forecast_start", "Forecast start", False, ("revised start",), "Sept 2026"),
            Column("forecast_end", "Forecast end", False, ("revised end", "forecast date"), "30/11/2026"),
            Column("actual_start", "Actual start", False, (), ""),
            Column("actual_end", "Actual end", False, ("completed on", "date completed"), ""),
            Column("commentary", "Commentary", False, ("comments", "comment", "notes", "update"), ""),
        ),
        ("project", "title"),
    ),
    "actions": Kind(
        "actions",
        "Actions",
        "Actions",
        (
            Column(
                "recommendation",
                "Recommendation",
                True,
                ("recommendation number", "rec", "rec no", "ref"),
                "1a",
            ),
            Column(
                "title",
                "Action",
                True,
                ("title", "action title", "action description", "description"),
                "Agree the budget pack",
            ),
            Column("owner", "Owner", True, ("lead", "responsible", "action owner"), "Head of Finance"),
            Column("due_date", "Due date", True, ("due", "deadline", "target date", "by when"), "Sept 2026"),
            Column("status", "Status", False, STATUS_SYNONYMS, "In progress"),
            Column("rag", "RAG", False, RAG_SYNONYMS, "Amber"),
            Column(
                "percent_complete",
                "% complete",
                False,
                ("percent complete", "percentage complete", "complete"),
                50,
            ),
            Column(
                "evidence",
                "Evidence",
                False,
                ("evidence text", "evidence summary", "evidence of completion"),
                "",
            ),
            Column("project", "Project", False, PROJECT.synonyms, ""),
        ),
        ("recommendation", "title"),
    ),
    "savings": Kind(
        "savings",
        "Savings",
        "Savings",
        (
            PROJECT,
            Column("financial_year", "Financial year", True, ("year", "fy", "financial yr"), "2026/27"),
            Column(
                "description",
                "Description",
                True,
                ("saving", "saving description", "saving line", "title"),
                "Reduced agency spend",
            ),
            Column("category", "Category", False, ("type", "saving type"), "Workforce"),
            Column(
                "target", "Target", True, ("target saving", "target £", "savings target", "budget"), "£1.2m"
            ),
            Column("forecast", "Forecast", False, ("forecast saving", "forecast £", "projected"), "£1.1m"),
            Column("realised", "Realised", False, ("realised saving", "actual", "achieved", "delivered"), ""),
            Column("confidence", "Confidence", False, ("confidence rating", "confidence level"), "Medium"),
            Column(
                "confidence_reason",
                "Confidence reason",
                False,
                ("reason for confidence", "reason"),
                "Recruitment on track",
            ),
            Column("fte", "FTE", False, ("fte reduction", "posts", "fte impact"), 3.5),
        ),
        ("project", "financial_year", "description"),
    ),
    "kpi_values": Kind(
        "kpi_values",
        "KPI values",
        "KPI values",
        (
            Column(
                "kpi_code",
                "KPI code",
                True,
                ("kpi", "code", "measure code", "indicator"),
                "CON-FIRST-CONTACT",
            ),
            Column("area", "Area", True, ("area key", "area name", "constituency", "locality"), "ladywood"),
            Column("period", "Period", True, ("quarter", "month", "reporting period"), "Q1 2026/27"),
            Column("value", "Value", True, ("result", "actual", "figure"), 57.5),
            Column("note", "Note", False, ("notes", "comment", "comments"), ""),
        ),
        ("kpi_code", "area", "period"),
    ),
}
KIND_CHOICES = [(kind.name, kind.label) for kind in KINDS.values()]


def template_table(kind_name: str) -> pd.DataFrame:
    """The kind's columns with no rows: an example row would be imported (and its dates go stale), so
    examples are on the template's Instructions sheet instead."""
    kind = KINDS[kind_name]
    return pd.DataFrame([], columns=[c.header for c in kind.columns])


# The audit trail's (and the value formatter's) name for the rows each kind imports.
ENTITIES = {
    "milestones": "milestone",
    "actions": "action_item",
    "savings": "saving_line",
    "kpi_values": "kpi_value",
}
