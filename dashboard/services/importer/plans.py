"""What an import will do, row by row, and the writes each row's plan runs when it is applied.

A row's plan is new, update or no change, with the changes a person reads in the report and the
function that writes it. Updates go through the write path's own steps (`services.rows`): the
changed fields set, the row stamped and flushed with its version check, one audit event per field.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from dashboard import models as m
from dashboard.services import rows
from dashboard.services.core import display_value
from dashboard.services.importer.kinds import ENTITIES, KINDS
from dashboard.services.importer.reading import Problem, Table

IMPORT = "import"  # the audit trail's action for every change an import makes


@dataclass
class RowPlan:
    row: int
    key: str
    outcome: str  # "new", "update", "no change"
    changes: dict = field(default_factory=dict)  # field → (old, new) for display
    apply: Callable[..., None] | None = None  # (db, actor, state) → writes this row
    version: int | None = None  # the version of the stored row it updates, as it was checked


@dataclass
class Report:
    kind: str
    filename: str
    sheet: str = ""
    problems: list[Problem] = field(default_factory=list)
    rows: list[RowPlan] = field(default_factory=list)
    imported: bool = False
    table: Table | None = None  # what was read: the sheet, its headings' fields, the ignored columns
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (row, label) of totals rows
    sheets: list[tuple[str, bool]] = field(default_factory=list)  # the workbook's (title, hidden)
    digest: str = ""  # sha-256 of the file's bytes

    @property
    def entity(self) -> str:
        """The audit trail's name for the rows this import writes ("milestone", "saving_line"…)."""
        return ENTITIES[self.kind]

    def mapping(self) -> list[tuple[str, str]]:
        """(heading as the file writes it, the template's heading of the field it is read as)."""
        if self.table is None:
            return []
        kind = KINDS[self.kind]
        return [(written, kind.column(name).header) for name, written in self.table.mapped.items()]

    def fingerprint(self) -> str:
        """What this import will do, as one string: the file, the sheet and every row's plan with the
        versions it was checked against. Applying a confirmed preview requires the same fingerprint,
        so what is applied is what the person saw (another save in between means checking again)."""
        plans = [
            (
                plan.row,
                plan.key,
                plan.outcome,
                plan.version,
                sorted((k, repr(v)) for k, v in plan.changes.items()),
            )
            for plan in self.rows
        ]
        text = repr((self.kind, self.filename, self.sheet, self.digest, self.skipped, plans))
        return hashlib.sha256(text.encode()).hexdigest()

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    def summary(self) -> str:
        label = KINDS[self.kind].label
        if self.problems:
            return (
                f"Nothing was imported: {self.filename} has {len(self.problems)} "
                f"problem{'s' if len(self.problems) != 1 else ''}. Fix them and check the file again."
            )
        counts = (
            f"{self.count('new')} new, {self.count('update')} updated, {self.count('no change')} unchanged"
        )
        source = self.filename
        if self.sheet and self.sheet != self.filename:
            source = f"{self.filename}, sheet “{self.sheet}”"
        if self.imported:
            return f"Imported {label} from {source}: {counts}."
        return f"{source} is ready to import ({label}): {counts}."

    def lines(self) -> list[str]:
        """The plain-words report, one line per problem or per row."""
        if self.problems:
            return [self.summary(), *map(str, self.problems)]
        out = [self.summary()]
        for plan in self.rows:
            detail = ""
            if plan.outcome == "update":
                detail = ": " + "; ".join(
                    f"{name} {display_value(old) or 'blank'} → {display_value(new) or 'blank'}"
                    for name, (old, new) in plan.changes.items()
                )
            out.append(f"Row {plan.row} ({plan.key}): {plan.outcome}{detail}")
        return out


# A field an import names differently from the column it is stored in.
ATTRIBUTES = {"action_item": {"evidence_summary": "evidence", "project": "project_id"}}


def next_key(state: dict, prefix: str) -> str:
    """A key for the import's next new row, unique however many rows the import adds."""
    number = state["counter"]
    state["counter"] += 1
    return f"{prefix[:40]}-imp-{m.utcnow():%Y%m%d%H%M%S%f}-{number}"


def _display(db: Session, entity: str) -> rows.Display:
    def display(name: str, value) -> str | None:
        if (entity, name) == ("action_item", "project") and value is not None:
            # The delivering project by name, as a person reads it, not by its id.
            value = db.get(m.Project, value).name
        return display_value(value)

    return display


def audit_new(db: Session, actor, entity: str, row, values: dict) -> None:
    """One audit event per value a new row was given (a blank is not a value)."""
    given = {name: (None, value) for name, value in values.items() if value not in (None, "")}
    rows.audit_changes(db, actor, IMPORT, entity, row, given, _display(db, entity))


def update_plan(number: int, label: str, row_object, changes: rows.Changes, entity: str) -> RowPlan:
    """The plan of a row that already exists: an update when any value differs, else no change."""

    def apply(db: Session, actor, state: dict) -> None:
        # `row_object` was loaded by this same session while checking; a concurrent save since
        # makes the flush's version check fail the whole import.
        rows.assign(row_object, changes, ATTRIBUTES.get(entity))
        rows.save_changes(db, actor, IMPORT, entity, row_object, changes, _display(db, entity))

    return RowPlan(
        number,
        label,
        "update" if changes else "no change",
        changes,
        apply if changes else None,
        getattr(row_object, "version", None),
    )
