"""The one shape of an edit to a stored row, written once for every service and the importer.

load → not found → may edit → version check → validate and apply → audit each changed field → a
conflict when someone else saved first. `get_row` is flaskr's `get_post(id, check_author=True)`:
the row, or NotFoundError; AuthorisationError when the actor may not edit it (decided by
`dashboard.policy` on the row's project as stored, never on ids the browser sent). `update_row`
runs the whole skeleton; `save_changes` is its tail (stamp, flush with the version check in SQL,
one audit event per changed field) for writes that load rows their own way, like the importer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from dashboard import models as m
from dashboard import policy
from dashboard.auth import AuthorisationError
from dashboard.db import session_scope
from dashboard.services.core import (
    ConflictError,
    NotFoundError,
    ValidationError,
    audit,
    changes_since,
    display_value,
)

# field → (value before, value after); in the order the audit trail should list them.
Changes = dict[str, tuple[Any, Any]]
Display = Callable[[str, Any], str | None]


def plain_display(_field: str, value) -> str | None:
    return display_value(value)


@dataclass(frozen=True)
class Entity:
    """What the skeleton needs to know of one kind of row."""

    model: type
    name: str  # as the audit trail names it: "saving_line"
    noun: str  # as a message names it: "saving line"
    labels: Mapping[str, str]  # field → label, for the list of someone else's changes
    denied: str = ""  # why a lead may not edit this row
    project: Callable[[Any], m.Project | None] = attrgetter("project")
    display: Display = plain_display

    @property
    def conflict(self) -> str:
        return (
            f"Someone else saved this {self.noun} after you opened it. Nothing you entered has been "
            "saved: check their changes below, then make yours again."
        )

    @property
    def stale(self) -> str:
        return (
            f"Someone else saved this {self.noun} at the same moment. Nothing you entered has been "
            "saved: reload it and make your changes again."
        )


def refuse_unknown(changes: Mapping, fields: tuple[str, ...]) -> None:
    """A form (or a crafted request) naming a field this edit does not change is refused whole."""
    unknown = set(changes) - set(fields)
    if unknown:
        raise ValidationError({field: "This field cannot be changed here" for field in sorted(unknown)})


def get_row(db: Session, entity: Entity, actor, row_id: int, check_editor: bool = True):
    """The row, or NotFoundError; with `check_editor`, AuthorisationError unless `actor` may edit it."""
    row = db.get(entity.model, row_id)
    if row is None:
        raise NotFoundError(f"That {entity.noun} no longer exists.")
    if check_editor and not policy.may_edit_project(actor, entity.project(row)):
        raise AuthorisationError(entity.denied)
    return row


def check_version(
    db: Session, entity: Entity, row, expected_version: int, message: str | None = None
) -> None:
    """ConflictError, listing what others changed since, unless the row is still at `expected_version`."""
    if row.version != expected_version:
        raise ConflictError(
            message or entity.conflict,
            changes_since(db, entity.name, row.id, expected_version, entity.labels or None),
        )


def changes(before: Mapping, after: Mapping) -> Changes:
    """The fields of `after` whose values differ from `before`'s, as (before, after)."""
    return {name: (before.get(name), value) for name, value in after.items() if value != before.get(name)}


def assign(row, changed: Changes, attributes: Mapping[str, str] | None = None) -> None:
    """Set each changed field on the row (`attributes` maps a field to a differently named column)."""
    for name, (_old, new) in changed.items():
        setattr(row, (attributes or {}).get(name, name), new)


def audit_changes(
    db: Session,
    actor,
    action: str,
    entity: str,
    row,
    changed: Changes,
    display: Display = plain_display,
) -> None:
    """One audit event per changed field, at the row's (new) version, under the row's project."""
    for name, (old, new) in changed.items():
        audit(
            db,
            actor,
            action,
            entity,
            row.id,
            name,
            display(name, old),
            display(name, new),
            project_id=getattr(row, "project_id", None),
            version=row.version,
        )


def save_changes(
    db: Session,
    actor,
    action: str,
    entity: str,
    row,
    changed: Changes,
    display: Display = plain_display,
) -> int:
    """Stamp who changed the row, write it and audit each change; returns the row's new version.

    The flush is `UPDATE … WHERE version = the one read`: a concurrent save makes it raise
    StaleDataError, which `conflict_on_stale` turns into a ConflictError.
    """
    row.updated_by = actor.username
    row.updated_at = m.utcnow()
    db.flush()
    audit_changes(db, actor, action, entity, row, changed, display)
    return row.version


@contextmanager
def conflict_on_stale(message: str) -> Iterator[None]:
    try:
        yield
    except StaleDataError as exc:
        raise ConflictError(message) from exc


def update_row(
    actor,
    entity: Entity,
    row_id: int,
    expected_version: int,
    edit: Callable[[Session, Any], Changes],
    *,
    action: str = "update",
    check_editor: bool = True,
    before_version_check: Callable[[Session, Any], None] | None = None,
    conflict: str | None = None,
    stale: str | None = None,
) -> int:
    """The skeleton: load the row (not found, may edit), `before_version_check` (refusals that do
    not depend on the version), check the version, then `edit` validates and applies, returning
    what it changed, which is saved and audited. Returns the row's version, new or unchanged."""
    with conflict_on_stale(stale or entity.stale), session_scope() as db:
        row = get_row(db, entity, actor, row_id, check_editor)
        if before_version_check is not None:
            before_version_check(db, row)
        check_version(db, entity, row, expected_version, conflict)
        changed = edit(db, row)
        if not changed:
            return row.version
        return save_changes(db, actor, action, entity.name, row, changed, entity.display)
