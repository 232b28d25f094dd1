"""What an import will do, as a person reads it before confirming: the sheet read, which heading
goes to which field, the columns left out, the rows skipped as totals, and the first rows with
their values as the pages show them. The /import page and `python -m dashboard import --check`
both read it from here."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.reports import values

PREVIEW_ROWS = 10
_OUTCOMES = {"new": "New", "update": "Update", "no change": "No change"}


@dataclass(frozen=True)
class PreviewRow:
    row: int
    record: str
    outcome: str  # New, Update, No change
    values: str  # "Forecast end date: 30 Nov 2026 → 31 Jan 2027; Owner: Head of Service"


def source(report) -> str:
    """Which file and sheet were read, and the sheets left alone."""
    text = f"Read {report.filename}"
    if report.sheet and report.sheet != report.filename:
        text += f", sheet “{report.sheet}”"
    others = [(title, hidden) for title, hidden in report.sheets if title != report.sheet]
    if others:
        text += ". Not read: " + ", ".join(
            f"“{title}”" + (" (hidden)" if hidden else "") for title, hidden in others
        )
    return text + "."


def ignored(report) -> str:
    """The columns no field reads, in words ("" when every column is read)."""
    headings = report.table.ignored if report.table else []
    if not headings:
        return ""
    listed = ", ".join(f"“{heading}”" for heading in headings)
    return f"Not imported (no field of the layout has these headings): {listed}."


def skipped(report) -> list[str]:
    return [f"Row {row} (“{label}”) is not imported: it is a totals row." for row, label in report.skipped]


def _values(report, plan) -> str:
    parts = []
    for name, (old, new) in plan.changes.items():
        if plan.outcome == "new" and values.is_empty(new):
            continue  # a new row's blanks are not values it is given
        label = values.field_label(report.entity, name)
        old_text, new_text = values.show_change(report.entity, name, old, new)
        parts.append(f"{label}: {new_text}" if plan.outcome == "new" else f"{label}: {old_text} → {new_text}")
    return "; ".join(parts)


def first_rows(report, limit: int = PREVIEW_ROWS) -> list[PreviewRow]:
    """The first `limit` rows as they will be stored: a new row's values, an update's changes."""
    return [
        PreviewRow(plan.row, plan.key, _OUTCOMES.get(plan.outcome, plan.outcome), _values(report, plan))
        for plan in report.rows[:limit]
    ]


def lines(report) -> list[str]:
    """The plain-words report for the command line: problems, or the preview and every row."""
    if report.problems:
        return report.lines()
    out = [report.summary(), source(report), "Columns read:"]
    out += [f"  “{written}” → {field}" for written, field in report.mapping()]
    out += [text for text in (ignored(report), *skipped(report)) if text]
    for row in first_rows(report, len(report.rows)):
        out.append(f"Row {row.row} ({row.record}): {row.outcome}" + (f": {row.values}" if row.values else ""))
    return out
