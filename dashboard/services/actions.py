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

from dashboard import models as m
from dashboard import policy
from dashboard.auth import require_role
from dashboard.db import session_scope
from dashboard.queries.actions.review import NOTE_SOURCE
from dashboard.queries.params import row_id
from dashboard.services import rows
from dashboard.services.core import ValidationError, clean_text, parse_date, progress

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
ATTRIBUTES = {"evidence_summary": "evidence"}  # the form's field → the column it is stored in


ACTION = rows.Entity(
    m.ActionItem,
    "action_item",
    "action",
    FIELD_LABELS,
    # An action no project delivers is the programme office's (admins) alone: the policy says so.
    denied="You can only update actions delivered by projects you lead.",
)


def _area_keys(action: m.ActionItem) -> str | None:
    return ";".join(sorted(area.key for area in action.areas)) or None


def snapshot(action: m.ActionItem) -> dict:
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
    cleaned.update(progress(values, m.ACTION_STATUSES, errors))
    percent = cleaned["percent_complete"]
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
        area_id = row_id(item)
        if area_id is None:
            return None
        ids.add(area_id)
    return sorted(ids)


def update_action(actor, action_id: int, changes: dict, expected_version: int) -> int:
    """A lead's (of the delivering project) or an admin's update; returns the new version."""
    require_role(actor, *policy.EDITOR_ROLES)
    rows.refuse_unknown(changes, ACTION_FIELDS)

    def edit(db: Session, action: m.ActionItem) -> rows.Changes:
        before = snapshot(action)
        cleaned = validate_action_values({**before, **changes}, bool(action.evidence_items))
        changed = rows.changes(before, {field: cleaned[field] for field in ACTION_FIELDS})
        if not changed:
            return {}
        if action.evidence_status == "accepted" and not policy.is_admin(actor):
            raise ValidationError(
                {
                    "status": "The sponsor has accepted this action's evidence, so it is closed: "
                    "ask an administrator to reopen it"
                }
            )
        if "areas" in changed:
            area_keys_before = _area_keys(action)
            action.areas = list(
                db.scalars(
                    select(m.ConsiderationArea).where(m.ConsiderationArea.id.in_(cleaned["areas"]))
                ).all()
            )
            if len(action.areas) != len(cleaned["areas"]):
                raise ValidationError({"areas": "Choose the areas from the list"})
            # The audit trail names areas by key, as a person reads them, not by id.
            changed["areas"] = (area_keys_before, _area_keys(action))
        rows.assign(action, {name: change for name, change in changed.items() if name != "areas"}, ATTRIBUTES)
        # Sign-off follows the status: Complete waits for the sponsor; reopening withdraws it.
        if "status" in changed:
            if cleaned["status"] == "Complete" and action.evidence_status != "accepted":
                changed |= _set_evidence_state(action, "awaiting", None, None)
            elif cleaned["status"] != "Complete" and action.evidence_status != "none":
                changed |= _set_evidence_state(action, "none", None, None)
        return changed

    return rows.update_row(actor, ACTION, action_id, expected_version, edit)


def _set_evidence_state(
    action: m.ActionItem, state: str, by: str | None, at: dt.datetime | None
) -> rows.Changes:
    before = {
        field: getattr(action, field) for field in ("evidence_status", "signed_off_by", "signed_off_at")
    }
    changed = rows.changes(before, {"evidence_status": state, "signed_off_by": by, "signed_off_at": at})
    rows.assign(action, changed)
    return changed


def add_progress_note(actor, action_id: int, note_date, text: str, internal: bool, today: dt.date) -> int:
    """Adds a dated note (never edits or removes one); returns the action's new version."""
    require_role(actor, *policy.EDITOR_ROLES)
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
        action = rows.get_row(db, ACTION, actor, action_id)
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
        summary = f"{day.isoformat()}{' (internal)' if internal else ''}: {body}"
        return rows.save_changes(db, actor, "add", ACTION.name, action, {"progress_note": (None, summary)})


def add_evidence(actor, action_id: int, description: str, url: str | None) -> int:
    """Adds a piece of evidence (text and an optional link); returns the action's new version."""
    require_role(actor, *policy.EDITOR_ROLES)
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
        action = rows.get_row(db, ACTION, actor, action_id)
        if errors:
            raise ValidationError(errors)
        if action.evidence_status == "accepted" and not policy.is_admin(actor):
            raise ValidationError(
                {"evidence_description": "The sponsor has already accepted this action's evidence"}
            )
        db.add(m.ActionEvidence(action_item=action, description=text, url=link, added_by=actor.username))
        summary = f"{text} ({link})" if link else text
        return rows.save_changes(db, actor, "add", ACTION.name, action, {"evidence": (None, summary)})


def sign_off_evidence(actor, action_id: int, expected_version: int) -> int:
    """The sponsor (an admin) accepts a complete action's evidence, which closes the action."""
    require_role(actor, policy.ADMIN)

    def not_yet_accepted(_db, action: m.ActionItem) -> None:
        # Before the version check: a second press of the button is not someone else's change.
        if action.evidence_status == "accepted":
            raise ValidationError({"sign_off": "This action's evidence has already been accepted"})

    def edit(_db, action: m.ActionItem) -> rows.Changes:
        if action.status != "Complete":
            raise ValidationError({"sign_off": "Only a complete action's evidence can be signed off"})
        if not action.evidence and not action.evidence_items:
            raise ValidationError({"sign_off": "There is no evidence to sign off yet"})
        return _set_evidence_state(action, "accepted", actor.username, m.utcnow().replace(microsecond=0))

    return rows.update_row(
        actor,
        ACTION,
        action_id,
        expected_version,
        edit,
        action="sign-off",
        before_version_check=not_yet_accepted,
        stale="Someone else saved this action at the same moment; reload it first.",
    )
