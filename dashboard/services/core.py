"""The write path's shared parts: errors, audit, parsing (user administration: services/users.py)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard import models as m
from dashboard import policy
from dashboard.auth import SessionUser
from dashboard.domain.formatting import as_date, parse_form_date, parse_whole_percent
from dashboard.domain.values import NO_CHOICE


@dataclass(frozen=True)
class SystemActor(SessionUser):
    """Changes made from the command line by whoever runs it on the server: an admin with every
    attribute of a signed-in user (`is_admin`, `led_project_ids`, …), so every check reads both alike."""

    id: int | None = None
    username: str = "system"
    display_name: str = "system"
    role: str = policy.ADMIN


SYSTEM = SystemActor()


class ValidationError(ValueError):
    """Bad input: `errors` maps each field to a message saying what is wrong and how to fix it."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors


class ConflictError(RuntimeError):
    """The row changed since the form was opened; `changes` lists what the other person changed."""

    def __init__(self, message: str, changes: list[dict] | None = None):
        super().__init__(message)
        self.changes = changes or []


def audit(
    db: Session,
    actor,
    action: str,
    entity: str,
    entity_id: int,
    field: str | None = None,
    old=None,
    new=None,
    project_id: int | None = None,
    version: int | None = None,
) -> m.AuditEvent:
    event = m.AuditEvent(
        user_id=actor.id,
        username=actor.username,
        action=action,
        entity=entity,
        entity_id=entity_id,
        entity_version=version,
        project_id=project_id,
        field=field,
        old_value=None if old is None else str(old),
        new_value=None if new is None else str(new),
    )
    db.add(event)
    return event


def create_user(
    actor, username: str, role: str, password: str, display_name: str = "", lead_of=(), email=None
) -> int:
    """Create a user (services/users.py, where every change to users is made); returns the new id."""
    from dashboard.services.users import create_user as create

    return create(actor, username, role, password, display_name=display_name, lead_of=lead_of, email=email)


class NotFoundError(LookupError):
    """The row asked for does not exist (or no longer does)."""


def parse_date(value, label: str, field: str, errors: dict[str, str]) -> dt.date | None:
    """A date typed in a form, day first (domain/formatting.py's parse_form_date: 22/11/2026, or ISO);
    on a bad one, records a GOV.UK-style message under `field`. Any type but text, a date or nothing
    is refused."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.date):
        return as_date(value)
    try:
        return parse_form_date(value if isinstance(value, str) else "")
    except ValueError:
        errors[field] = f"{label} must be a real date, day first, for example 22/11/2026"
        return None


def text_problem(value, label: str) -> str | None:
    """Why `value` cannot be stored as text, in plain words; None when it can.

    Forms send strings, but a crafted POST can send a list or an object, and PostgreSQL refuses
    a NUL character in text outright, so both are refused here before anything is written. A
    number is kept as the text a person would type ("2027"); NaN and infinity are refused.
    """
    if isinstance(value, str):
        if "\x00" in value:
            return f"{label} contains a null character (\\0), which cannot be stored: remove it and try again"
        return None
    if (isinstance(value, float) and not math.isfinite(value)) or (
        isinstance(value, Decimal) and not value.is_finite()
    ):
        # "nan" or "inf" stored as text would read as a value nobody typed.
        return f"{label} must be plain text"
    if value is None or isinstance(value, int | float | Decimal | dt.date) and not isinstance(value, bool):
        return None  # a spreadsheet cell holding a number or a date, written as text
    return f"{label} must be plain text"


def chosen(value):
    """An option from a select: "", None or NO_CHOICE mean none chosen; anything else is returned as
    sent, for the caller to check against its options (0, False or [] is not "none", it is not an option)."""
    if value is None or (isinstance(value, str) and value in ("", NO_CHOICE)):
        return None
    # A list or an object (only a crafted request sends one) is no option; a string stands in for it
    # so that the caller's `in OPTIONS` check refuses it rather than fail on an unhashable value.
    return value if isinstance(value, str | int | float | bool) else repr(value)


def progress(values: dict, statuses: tuple[str, ...], errors: dict[str, str]) -> dict:
    """A milestone's or an action's RAG and percentage complete from a form, its status checked
    against `statuses`: the same rules and messages for both."""
    if values.get("status") not in statuses:
        errors["status"] = "Select a status"
    rag = chosen(values.get("rag"))
    if rag is not None and rag not in m.RAG_VALUES:
        errors["rag"] = "Select Red, Amber or Green"
    raw, percent = values.get("percent_complete"), None
    if raw in (None, ""):
        errors["percent_complete"] = "Enter the percentage complete, a whole number between 0 and 100"
    else:
        try:
            percent = parse_whole_percent(raw)
        except ValueError as exc:
            errors["percent_complete"] = str(exc)
    return {"rag": rag, "percent_complete": percent}


def clean_text(value, label: str, field: str, limit: int, errors: dict[str, str]) -> str:
    """Trimmed text from a form; anything not storable as text or over `limit` characters records
    a message under `field`."""
    problem = text_problem(value, label)
    if problem:
        errors[field] = problem
        return ""
    text = "" if value is None else str(value).replace("\r\n", "\n").strip()
    if len(text) > limit:
        errors[field] = f"{label} must be {limit:,} characters or fewer (it has {len(text):,})"
    return text


def display_value(value) -> str | None:
    """How a value is written into the audit trail: ISO dates, plain strings."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def changes_since(
    db: Session, entity: str, entity_id: int, version: int, labels: dict[str, str] | None = None
) -> list[dict]:
    """What others changed on a row after `version`, from the audit trail (for conflict messages)."""
    events = db.scalars(
        select(m.AuditEvent)
        .where(
            m.AuditEvent.entity == entity,
            m.AuditEvent.entity_id == entity_id,
            m.AuditEvent.entity_version > version,
        )
        .order_by(m.AuditEvent.at, m.AuditEvent.id)
    ).all()
    return [
        {
            "field": event.field,
            "label": (labels or {}).get(event.field or "", event.field),
            "old": event.old_value,
            "new": event.new_value,
            "by": event.username,
            "at": event.at,
        }
        for event in events
    ]
