"""The action plan write path: update an action, add progress notes and evidence, sponsor sign-off.

Every write: authorise (role, then rights on the database row) → validate → version check → apply
→ one audit event per changed field (entity 'action_item'), all in one transaction. Note and
evidence additions are audited too (fields 'progress_note' and 'evidence'), so the plan as it
stood on any date can be rebuilt from the audit trail (queries.actions.plan_as_at).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from dashboard import models as m
from dashboard.auth import AuthorisationError, require_role
from dashboard.db import session_scope
from dashboard.queries.actions import NOTE_SOURCE
from dashboard.services.core import (
    ConflictError,
    NotFoundError,
    ValidationError,
    audit,
    changes_since,
    chosen,
    clean_text,
    display_value,
    parse_date,
)

ACTION_FIELDS = ("owner", "due_date", "status", "rag", "percent_complete", "evidence_summary", "areas")
FIELD_LABELS = {
    "title": "Title",
    "owner": "Owner",
    "due_date": "Due date",
    "status": "Status",
    "rag": "RAG status",
    "percent_complete": "Percentage complete",
    "evidence_summary": "Evidence summary",
    "evidence_status": "Evidence sign-off",
    "signed_off_by": "Signed off by",
    "signed_off_at": "Signed off at",
    "areas": "Areas answered",
    "progress_note": "Progress note added",
    "evidence": "Evidence added",
}
OWNER_MAX = 120
EVIDENCE_SUMMARY_MAX = 2000
NOTE_MAX = 2000
EVIDENCE_DESCRIPTION_MAX = 1000
URL_MAX = 500


def _can_update(actor, action: m.ActionItem) -> bool:
    if actor.role == "admin":
        return True
    if actor.role != "lead" or action.project is None:
        return False  # an action no project delivers is the programme office's (admins) alone
    led = set(getattr(actor, "led_project_ids", ()))
    project = action.project
    return project.id in led or (project.parent_id is not None and project.parent_id in led)


def _load(db: Session, actor, action_id: int) -> m.ActionItem:
    action = db.get(m.ActionItem, action_id)
    if action is None:
        raise NotFoundError("That action no longer exists.")
    if not _can_update(actor, action):
        raise AuthorisationError("You can only update actions delivered by projects you lead.")
    return action


def _check_version(db: Session, action: m.ActionItem, expected_version: int) -> None:
    if action.version != expected_version:
        raise ConflictError(
            "Someone else saved this action after you opened it. Nothing you entered has been saved: "
            "check their changes below, then make yours again.",
            changes_since(db, "action_item", action.id, expected_version, FIELD_LABELS),
        )


def _area_keys(action: m.ActionItem) -> str | None:
    return ";".join(sorted(area.key for area in action.areas)) or None


def _snapshot(action: m.ActionItem) -> dict:
    return {
        "owner": action.owner,
        "due_date": action.due_date,
        "status": action.status,
        "rag": action.rag,
        "percent_complete": action.percent_complete,
        "evidence_summary": action.evidence,
        "areas": sorted(area.id for area in action.areas),
    }


def validate_action_values(values: dict, has_evidence_items: bool) -> dict:
    """Check an action's values as a whole; returns them cleaned, or raises ValidationError."""
    errors: dict[str, str] = {}
    cleaned = dict(values)
    status = values.get("status")
    if status not in m.ACTION_STATUSES:
        errors["status"] = "Select a status"
    rag = chosen(values.get("rag"))
    if rag is not None and rag not in m.RAG_VALUES:
        errors["rag"] = "Select Red, Amber or Green"
    cleaned["rag"] = rag
    raw = values.get("percent_complete")
    percent = None
    if raw in (None, ""):
        errors["percent_complete"] = "Enter the percentage complete, a whole number between 0 and 100"
    else:
        try:
            number = float(str(raw).strip())
            if not number.is_integer() or not 0 <= number <= 100:
                raise ValueError
            percent = int(number)
        except ValueError:
            errors["percent_complete"] = "Percentage complete must be a whole number between 0 and 100"
    cleaned["percent_complete"] = percent
    due = parse_date(values.get("due_date"), "Due date", "due_date", errors)
    if due is None and "due_date" not in errors:
        errors["due_date"] = "Enter the date the action is due"
    cleaned["due_date"] = due
    owner = clean_text(values.get("owner"), "Owner", "owner", OWNER_MAX, errors)
    if not owner and "owner" not in errors:
        errors["owner"] = "Enter the owner's role, for example Head of Finance, Adult Social Care"
    cleaned["owner"] = owner
    summary = clean_text(
        values.get("evidence_summary"), "Evidence summary", "evidence_summary", EVIDENCE_SUMMARY_MAX, errors
    )
    cleaned["evidence_summary"] = summary
    if status == "Complete":
        if percent is not None and percent != 100 and "percent_complete" not in errors:
            errors["percent_complete"] = "Percentage complete must be 100 for a complete action"
        if not summary and not has_evidence_items and "evidence_summary" not in errors:
            errors["evidence_summary"] = (
                "Describe the evidence before marking the action complete: the sponsor signs it off"
            )
    area_ids = _area_ids(values.get("areas"))
    if area_ids is None:
        errors["areas"] = "Choose the areas from the list"
    cleaned["areas"] = area_ids
    if errors:
        raise ValidationError(errors)
    return cleaned


def _area_ids(value) -> list[int] | None:
    """The ids the checklist sends (a list of digit strings or numbers), sorted; None for anything else.

    A string is not a list of ids ("12" is not areas 1 and 2), nor is True area 1.
    """
    if value in (None, ""):
        return []
    if not isinstance(value, list | tuple):
        return None
    ids = set()
    for item in value:
        if isinstance(item, str) and item.strip().isdecimal() and item.strip().isascii():
            ids.add(int(item.strip()))
        elif isinstance(item, int) and not isinstance(item, bool):
            ids.add(item)
        else:
            return None
    return sorted(ids)


def update_action(actor, action_id: int, changes: dict, expected_version: int) -> int:
    """A lead's (of the delivering project) or an admin's update; returns the new version."""
    require_role(actor, "lead", "admin")
    unknown = set(changes) - set(ACTION_FIELDS)
    if unknown:
        raise ValidationError({field: "This field cannot be changed here" for field in sorted(unknown)})
    try:
        with session_scope() as db:
            action = _load(db, actor, action_id)
            _check_version(db, action, expected_version)
            before = _snapshot(action)
            proposed = {**before, **changes}
            cleaned = validate_action_values(proposed, bool(action.evidence_items))
            changed = {field: cleaned[field] for field in ACTION_FIELDS if cleaned[field] != before[field]}
            if not changed:
                return action.version
            if action.evidence_status == "accepted" and actor.role != "admin":
                raise ValidationError(
                    {
                        "status": "The sponsor has accepted this action's evidence, so it is closed: "
                        "ask an administrator to reopen it"
                    }
                )
            area_keys_before = _area_keys(action)
            audit_rows: list[tuple[str, object, object]] = []
            for field, value in changed.items():
                if field == "areas":
                    action.areas = list(
                        db.scalars(select(m.ConsiderationArea).where(m.ConsiderationArea.id.in_(value))).all()
                    )
                    if len(action.areas) != len(value):
                        raise ValidationError({"areas": "Choose the areas from the list"})
                    audit_rows.append(("areas", area_keys_before, _area_keys(action)))
                    continue
                attribute = "evidence" if field == "evidence_summary" else field
                setattr(action, attribute, value)
                audit_rows.append((field, before[field], value))
            # Sign-off follows the status: Complete waits for the sponsor; reopening withdraws it.
            if "status" in changed:
                if cleaned["status"] == "Complete" and action.evidence_status != "accepted":
                    audit_rows += _set_evidence_state(action, "awaiting", None, None)
                elif cleaned["status"] != "Complete" and action.evidence_status != "none":
                    audit_rows += _set_evidence_state(action, "none", None, None)
            action.updated_by = actor.username
            action.updated_at = m.utcnow()
            db.flush()  # UPDATE … WHERE version = expected: a concurrent save makes this fail
            for field, old, new in audit_rows:
                audit(
                    db,
                    actor,
                    "update",
                    "action_item",
                    action.id,
                    field,
                    display_value(old),
                    display_value(new),
                    project_id=action.project_id,
                    version=action.version,
                )
            return action.version
    except StaleDataError as exc:
        raise ConflictError(
            "Someone else saved this action at the same moment. Nothing you entered has been saved: "
            "reload it and make your changes again."
        ) from exc


def _set_evidence_state(action: m.ActionItem, state: str, by: str | None, at: dt.datetime | None) -> list:
    rows = []
    for field, value in (("evidence_status", state), ("signed_off_by", by), ("signed_off_at", at)):
        old = getattr(action, field)
        if old != value:
            setattr(action, field, value)
            rows.append((field, old, value))
    return rows


def add_progress_note(actor, action_id: int, note_date, text: str, internal: bool, today: dt.date) -> int:
    """Adds a dated note (never edits or removes one); returns the action's new version."""
    require_role(actor, "lead", "admin")
    errors: dict[str, str] = {}
    day = parse_date(note_date, "Note date", "note_date", errors)
    if day is None and "note_date" not in errors:
        errors["note_date"] = "Enter the date the note is about"
    elif day is not None and day > today:
        errors["note_date"] = "Note date must be today or in the past"
    body = clean_text(text, "Progress note", "note_text", NOTE_MAX, errors)
    if not body and "note_text" not in errors:
        errors["note_text"] = "Enter the progress note"
    if internal is not None and not isinstance(internal, bool):
        # The checkbox sends true or false; anything else is not a choice the form offers.
        errors["note_internal"] = "Tick the box to keep the note internal, or leave it clear"
    with session_scope() as db:
        action = _load(db, actor, action_id)
        if errors:
            raise ValidationError(errors)
        note = m.ProgressNote(
            action_item=action,
            note_date=day,
            text=body,
            internal=bool(internal),
            author=getattr(actor, "display_name", None) or actor.username,
            source=NOTE_SOURCE,
            illustrative=False,
        )
        db.add(note)
        action.updated_by = actor.username
        action.updated_at = m.utcnow()
        db.flush()
        audit(
            db,
            actor,
            "add",
            "action_item",
            action.id,
            "progress_note",
            None,
            f"{day.isoformat()}{' (internal)' if internal else ''}: {body}",
            project_id=action.project_id,
            version=action.version,
        )
        return action.version


def add_evidence(actor, action_id: int, description: str, url: str | None) -> int:
    """Adds a piece of evidence (text and an optional link); returns the action's new version."""
    require_role(actor, "lead", "admin")
    errors: dict[str, str] = {}
    text = clean_text(
        description, "Evidence description", "evidence_description", EVIDENCE_DESCRIPTION_MAX, errors
    )
    if not text and "evidence_description" not in errors:
        errors["evidence_description"] = "Describe the evidence, for example Board minutes of 24 Nov 2026"
    link = clean_text(url, "Link", "evidence_url", URL_MAX, errors) or None
    # Only web links: a javascript: or data: link would run in the next reader's browser.
    if link and "evidence_url" not in errors and not link.lower().startswith(("https://", "http://")):
        errors["evidence_url"] = "Enter a link that starts with https:// or http://, or leave it empty"
    with session_scope() as db:
        action = _load(db, actor, action_id)
        if errors:
            raise ValidationError(errors)
        if action.evidence_status == "accepted" and actor.role != "admin":
            raise ValidationError(
                {"evidence_description": "The sponsor has already accepted this action's evidence"}
            )
        db.add(m.ActionEvidence(action_item=action, description=text, url=link, added_by=actor.username))
        action.updated_by = actor.username
        action.updated_at = m.utcnow()
        db.flush()
        audit(
            db,
            actor,
            "add",
            "action_item",
            action.id,
            "evidence",
            None,
            f"{text} ({link})" if link else text,
            project_id=action.project_id,
            version=action.version,
        )
        return action.version


def sign_off_evidence(actor, action_id: int, expected_version: int) -> int:
    """The sponsor (an admin) accepts a complete action's evidence, which closes the action."""
    require_role(actor, "admin")
    try:
        with session_scope() as db:
            action = _load(db, actor, action_id)
            if action.evidence_status == "accepted":
                # Before the version check: a second press of the button is not someone else's change.
                raise ValidationError({"sign_off": "This action's evidence has already been accepted"})
            _check_version(db, action, expected_version)
            if action.status != "Complete":
                raise ValidationError({"sign_off": "Only a complete action's evidence can be signed off"})
            if not action.evidence and not action.evidence_items:
                raise ValidationError({"sign_off": "There is no evidence to sign off yet"})
            rows = _set_evidence_state(action, "accepted", actor.username, m.utcnow().replace(microsecond=0))
            action.updated_by = actor.username
            action.updated_at = m.utcnow()
            db.flush()
            for field, old, new in rows:
                audit(
                    db,
                    actor,
                    "sign-off",
                    "action_item",
                    action.id,
                    field,
                    display_value(old),
                    display_value(new),
                    project_id=action.project_id,
                    version=action.version,
                )
            return action.version
    except StaleDataError as exc:
        raise ConflictError("Someone else saved this action at the same moment; reload it first.") from exc
