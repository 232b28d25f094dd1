"""The action plan write path: who may change what, validation, conflicts, audit, notes, evidence, sign-off."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from dashboard import models as m
from dashboard.auth import AuthorisationError
from dashboard.db import session_scope
from dashboard.services import actions as action_services
from dashboard.services.core import ConflictError, ValidationError
from tests.helpers import user

TODAY = dt.date(2026, 11, 23)

# Seed action_items.csv (illustrative actions on 001's recommendations): who delivers each.
CJ_ACTION = "a5_neighbourhood_networks_review"  # Customer Journey, In progress, Amber, 60%, no evidence
TRANSITION_ACTION = "a2_carers_strategy_refresh"  # Transition, In progress, Green, 40%
UNASSIGNED_ACTION = "a1b_controls_reaudit"  # no project: programme office only, In progress, 70%
AWAITING_ACTION = "a4_joint_front_door"  # Customer Journey, Complete, evidence awaiting sign-off


def action(key: str) -> m.ActionItem:
    with session_scope() as db:
        return db.scalars(select(m.ActionItem).where(m.ActionItem.key == key)).one()


def audit_rows(action_id: int) -> list[m.AuditEvent]:
    with session_scope() as db:
        return db.scalars(
            select(m.AuditEvent)
            .where(m.AuditEvent.entity == "action_item", m.AuditEvent.entity_id == action_id)
            .order_by(m.AuditEvent.id)
        ).all()


def notes(action_id: int) -> list[tuple]:
    with session_scope() as db:
        return db.execute(
            select(m.ProgressNote.note_date, m.ProgressNote.text)
            .where(m.ProgressNote.action_item_id == action_id)
            .order_by(m.ProgressNote.id)
        ).all()


@pytest.mark.parametrize(
    ("username", "key", "allowed"),
    [
        ("admin", UNASSIGNED_ACTION, True),
        ("admin", CJ_ACTION, True),
        ("cj.lead", CJ_ACTION, True),
        ("cj.lead", TRANSITION_ACTION, False),
        ("cj.lead", UNASSIGNED_ACTION, False),
        ("transition.lead", TRANSITION_ACTION, True),
        ("transition.lead", CJ_ACTION, False),
        ("cabinet.member", CJ_ACTION, False),
    ],
)
def test_authorisation_matrix(database_url, username, key, allowed):
    before = action(key)
    change = {"percent_complete": before.percent_complete + 5}
    if allowed:
        action_services.update_action(user(username), before.id, change, before.version)
        after = action(key)
        assert after.percent_complete == before.percent_complete + 5
        assert after.updated_by == username
    else:
        with pytest.raises(AuthorisationError):
            action_services.update_action(user(username), before.id, change, before.version)
        with pytest.raises(AuthorisationError):
            action_services.add_progress_note(
                user(username), before.id, "2026-11-20", "Tampered", False, TODAY
            )
        after = action(key)
        assert (after.percent_complete, after.version) == (before.percent_complete, before.version)
        assert audit_rows(before.id) == []
        assert ("Tampered",) not in [(text,) for _day, text in notes(before.id)]


def test_each_changed_field_is_audited_with_old_and_new_values(database_url):
    target = action(TRANSITION_ACTION)
    version = action_services.update_action(
        user("transition.lead"),
        target.id,
        {"percent_complete": 55, "rag": "Amber", "due_date": "2027-04-30"},
        target.version,
    )
    events = {event.field: event for event in audit_rows(target.id)}
    assert set(events) == {"percent_complete", "rag", "due_date"}
    assert (events["percent_complete"].old_value, events["percent_complete"].new_value) == ("40", "55")
    assert (events["rag"].old_value, events["rag"].new_value) == ("Green", "Amber")
    assert (events["due_date"].old_value, events["due_date"].new_value) == ("2027-03-31", "2027-04-30")
    assert all(event.username == "transition.lead" for event in events.values())
    assert all(event.entity_version == version == target.version + 1 for event in events.values())


def test_linking_areas_is_audited_by_their_keys(database_url):
    target = action(CJ_ACTION)  # answers scp_afc_3 in the seed
    with session_scope() as db:
        ids = dict(db.execute(select(m.ConsiderationArea.key, m.ConsiderationArea.id)).all())
    action_services.update_action(
        user("cj.lead"), target.id, {"areas": [str(ids["scp_afc_3"]), str(ids["lead_afc_2"])]}, target.version
    )
    [event] = audit_rows(target.id)
    assert (event.field, event.old_value, event.new_value) == ("areas", "scp_afc_3", "lead_afc_2;scp_afc_3")


def test_saving_unchanged_values_changes_nothing(database_url):
    target = action(CJ_ACTION)
    version = action_services.update_action(
        user("cj.lead"), target.id, {"owner": target.owner, "percent_complete": "60"}, target.version
    )
    assert version == target.version
    assert audit_rows(target.id) == []


def test_a_stale_version_is_refused_and_shows_what_changed(database_url):
    opened = action(CJ_ACTION)
    action_services.update_action(user("admin"), opened.id, {"percent_complete": 75}, opened.version)
    with pytest.raises(ConflictError) as raised:
        action_services.update_action(user("cj.lead"), opened.id, {"rag": "Red"}, opened.version)
    assert [(c["field"], c["old"], c["new"], c["by"]) for c in raised.value.changes] == [
        ("percent_complete", "60", "75", "admin")
    ]
    after = action(CJ_ACTION)
    assert (after.percent_complete, after.rag) == (75, "Amber")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"percent_complete": 101}, "percent_complete", "whole number between 0 and 100"),
        ({"percent_complete": "lots"}, "percent_complete", "whole number between 0 and 100"),
        ({"status": "Done"}, "status", "Select a status"),
        ({"rag": "Blue"}, "rag", "Select Red, Amber or Green"),
        ({"due_date": "2027-02-30"}, "due_date", "Due date must be a real date"),
        ({"due_date": ""}, "due_date", "Enter the date the action is due"),
        ({"owner": "  "}, "owner", "Enter the owner's role"),
        (
            {"status": "Complete", "percent_complete": 100},
            "evidence_summary",
            "Describe the evidence before marking the action complete",
        ),
        (
            {"status": "Complete", "percent_complete": 90, "evidence_summary": "Review report"},
            "percent_complete",
            "must be 100 for a complete action",
        ),
    ],
)
def test_validation_says_what_is_wrong_and_saves_nothing(database_url, changes, field, message):
    target = action(CJ_ACTION)
    with pytest.raises(ValidationError) as raised:
        action_services.update_action(user("cj.lead"), target.id, changes, target.version)
    assert message in raised.value.errors[field]
    assert action(CJ_ACTION).version == target.version
    assert audit_rows(target.id) == []


def test_complete_waits_for_sign_off_which_only_an_admin_can_give(database_url):
    target = action(CJ_ACTION)
    version = action_services.update_action(
        user("cj.lead"),
        target.id,
        {"status": "Complete", "percent_complete": 100, "evidence_summary": "Review report to the board"},
        target.version,
    )
    after = action(CJ_ACTION)
    assert (after.status, after.evidence_status) == ("Complete", "awaiting")
    with pytest.raises(AuthorisationError):
        action_services.sign_off_evidence(user("cj.lead"), target.id, version)
    assert action(CJ_ACTION).evidence_status == "awaiting"

    action_services.sign_off_evidence(user("admin"), target.id, version)
    signed = action(CJ_ACTION)
    assert (signed.evidence_status, signed.signed_off_by) == ("accepted", "admin")
    assert signed.signed_off_at is not None
    sign_off_events = [e for e in audit_rows(target.id) if e.action == "sign-off"]
    assert {(e.field, e.old_value, e.new_value) for e in sign_off_events if e.field != "signed_off_at"} == {
        ("evidence_status", "awaiting", "accepted"),
        ("signed_off_by", None, "admin"),
    }
    # Closed: the lead can no longer change it; the sponsor can reopen it, which withdraws the sign-off.
    with pytest.raises(ValidationError) as raised:
        action_services.update_action(user("cj.lead"), target.id, {"status": "In progress"}, signed.version)
    assert "ask an administrator to reopen it" in raised.value.errors["status"]
    action_services.update_action(
        user("admin"), target.id, {"status": "In progress", "percent_complete": 90}, signed.version
    )
    reopened = action(CJ_ACTION)
    assert (reopened.evidence_status, reopened.signed_off_by) == ("none", None)


def test_sign_off_needs_a_complete_action_and_the_current_version(database_url):
    open_action = action(CJ_ACTION)
    with pytest.raises(ValidationError) as raised:
        action_services.sign_off_evidence(user("admin"), open_action.id, open_action.version)
    assert "Only a complete action" in raised.value.errors["sign_off"]
    awaiting = action(AWAITING_ACTION)
    action_services.add_progress_note(
        user("cj.lead"), awaiting.id, "2026-11-20", "Roll-out agreed", False, TODAY
    )
    with pytest.raises(ConflictError):
        action_services.sign_off_evidence(user("admin"), awaiting.id, awaiting.version)
    assert action(AWAITING_ACTION).evidence_status == "awaiting"


def test_notes_are_only_ever_added(database_url):
    target = action(TRANSITION_ACTION)
    before = notes(target.id)
    assert before == [
        (dt.date(2026, 10, 20), "Carers survey and listening events complete; drafting begins in November.")
    ]
    action_services.add_progress_note(
        user("transition.lead"),
        target.id,
        "2026-11-20",
        "First draft shared with carers' groups",
        False,
        TODAY,
    )
    action_services.add_progress_note(
        user("transition.lead"), target.id, "2026-11-23", "Legal check of the draft", True, TODAY
    )
    after = notes(target.id)
    assert after[: len(before)] == before
    assert [text for _day, text in after[len(before) :]] == [
        "First draft shared with carers' groups",
        "Legal check of the draft",
    ]
    events = [e for e in audit_rows(target.id) if e.field == "progress_note"]
    assert [e.new_value for e in events] == [
        "2026-11-20: First draft shared with carers' groups",
        "2026-11-23 (internal): Legal check of the draft",
    ]


@pytest.mark.parametrize(
    ("note_date", "text", "field", "message"),
    [
        ("2026-11-24", "Tomorrow's news", "note_date", "today or in the past"),
        ("", "No date", "note_date", "Enter the date"),
        ("2026-11-20", "   ", "note_text", "Enter the progress note"),
        ("2026-11-20", "x" * 2001, "note_text", "2,000 characters or fewer"),
    ],
)
def test_bad_notes_are_refused(database_url, note_date, text, field, message):
    target = action(TRANSITION_ACTION)
    before = notes(target.id)
    with pytest.raises(ValidationError) as raised:
        action_services.add_progress_note(user("transition.lead"), target.id, note_date, text, False, TODAY)
    assert message in raised.value.errors[field]
    assert notes(target.id) == before


def test_evidence_links_must_be_web_links(database_url):
    target = action(CJ_ACTION)
    with pytest.raises(ValidationError) as raised:
        action_services.add_evidence(user("cj.lead"), target.id, "Review report", "javascript:alert(1)")
    assert "starts with https://" in raised.value.errors["evidence_url"]
    with pytest.raises(ValidationError) as raised:
        action_services.add_evidence(user("cj.lead"), target.id, "", "https://example.org/report")
    assert "Describe the evidence" in raised.value.errors["evidence_description"]
    action_services.add_evidence(user("cj.lead"), target.id, "Review report", "https://example.org/report")
    with session_scope() as db:
        stored = db.execute(
            select(m.ActionEvidence.description, m.ActionEvidence.url, m.ActionEvidence.added_by).where(
                m.ActionEvidence.action_item_id == target.id
            )
        ).all()
    assert stored == [("Review report", "https://example.org/report", "cj.lead")]
    [event] = audit_rows(target.id)
    assert (event.field, event.new_value) == ("evidence", "Review report (https://example.org/report)")
    with pytest.raises(AuthorisationError):
        action_services.add_evidence(user("transition.lead"), target.id, "Not mine", None)
