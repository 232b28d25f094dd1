"""Checking one row of a sheet: each cell read by the kind's rules, every problem collected under the
column as the file names it, and the lookups of projects every kind shares."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard import models as m
from dashboard.domain.formatting import format_date, parse_whole_percent
from dashboard.services.core import ValidationError, text_problem
from dashboard.services.importer.cells import clean_cell, is_blank, parse_date, shown_text
from dashboard.services.importer.reading import Problem, Table


class CheckedRow:
    """One row being checked: its values, and its problems named by the column as written."""

    def __init__(self, table: Table, number: int, values: dict, problems: list[Problem]):
        self.table, self.number, self.values, self._problems = table, number, dict(values), problems
        self.bad = False
        self._flagged: set[str] = set()
        for field_name, value in values.items():
            problem = text_problem(value, "The cell") if isinstance(value, str) else None
            if problem:
                # Checked once here, so no cell PostgreSQL would refuse reaches a lookup or a write.
                self.problem(field_name, problem)
                self.values[field_name] = None

    def problem(self, field_name: str, message: str) -> None:
        """A problem with one cell; only its first is kept, so a cell gets one message."""
        self.bad = True
        if field_name in self._flagged:
            return  # e.g. "Enter the due date" after the date entered was not understood
        self._flagged.add(field_name)
        self._problems.append(
            Problem(self.table.sheet, self.number, self.table.headers.get(field_name, ""), message)
        )

    def text(
        self, field_name: str, limit: int, required_message: str | None = None, multiline: bool = False
    ) -> str | None:
        """The cell as text; line breaks are kept only in a `multiline` field (commentary, notes)."""
        value = self.values.get(field_name)
        if is_blank(value):
            if required_message:
                self.problem(field_name, required_message)
            return None
        text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
        if isinstance(value, dt.datetime | dt.date):
            text = format_date(value)
        text = clean_cell(text, keep_lines=multiline)
        if len(text) > limit:
            self.problem(field_name, f"Must be {limit:,} characters or fewer (it has {len(text):,})")
        return text or None

    def date(self, field_name: str, end: bool = False) -> dt.date | None:
        try:
            return parse_date(self.values.get(field_name), end=end)
        except ValueError as exc:
            self.problem(field_name, sentence(str(exc)))
            return None

    def choice(
        self, field_name: str, allowed: tuple[str, ...], aliases: dict[str, str] | None = None
    ) -> str | None:
        value = self.values.get(field_name)
        if is_blank(value):
            return None
        text = shown_text(value)
        lookup = {option.lower(): option for option in allowed}
        lookup.update(aliases or {})
        if text.lower() in lookup:
            return lookup[text.lower()]
        self.problem(field_name, f"“{text[:40]}” is not one of {', '.join(allowed)}")
        return None

    def percent(self, field_name: str) -> int | None:
        value = self.values.get(field_name)
        if is_blank(value):
            return None
        try:
            return parse_whole_percent(value)  # the forms' own reading and message
        except ValueError as exc:
            self.problem(field_name, f"“{shown_text(value)[:20]}”: {exc}")
            return None

    def first_with(self, key, seen: dict, field_name: str, already: str) -> bool:
        """Whether this row is the first with `key`; a later one is a problem: "Row 4 `already`"."""
        if key in seen:
            self.problem(field_name, f"Row {seen[key]} {already}")
            return False
        seen[key] = self.number
        return True

    def validation(self, error: ValidationError, field_map: dict[str, str] | None = None) -> None:
        for name, message in error.errors.items():
            self.problem((field_map or {}).get(name, name), message)


def sentence(message: str) -> str:
    return message[:1].upper() + message[1:]


RAG_ALIASES = {"r": "Red", "a": "Amber", "g": "Green"}
STATUS_ALIASES = {
    "completed": "Complete",
    "done": "Complete",
    "not yet started": "Not started",
    "on hold": "Blocked",
}


def lookup_projects(db: Session) -> dict[str, m.Project]:
    projects = {}
    for project in db.scalars(select(m.Project)).all():
        projects[project.key.lower()] = project
        projects.setdefault(project.name.lower(), project)
    return projects


def project_cell(row: CheckedRow, projects: dict[str, m.Project], required: bool) -> m.Project | None:
    text = row.text("project", 200, "Enter the project's key or exact name" if required else None)
    if text is None:
        return None
    project = projects.get(text.lower())
    if project is None:
        row.problem("project", f"There is no project called “{text[:60]}”: use its key or exact name")
    return project
