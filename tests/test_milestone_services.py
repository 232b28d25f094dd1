"""The milestone write path: who may change what, validation, version conflicts, audit, RAG rule."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from dashboard import models as m
from dashboard import queries, services
from dashboard.auth import AuthorisationError
from dashboard.db import session_scope
from tests.helpers import user

TODAY = dt.date(2026, 11, 23)


def milestone(key: str) -> m.Milestone:
    with session_scope() as db:
        return db.scalars(select(m.Milestone).where(m.Milestone.key == key)).one()


def audit_rows(milestone_id: int) -> list[m.AuditEvent]:
    with session_scope() as db:
        return db.scalars(
            select(m.AuditEvent)
            .where(m.AuditEvent.entity == "milestone", m.AuditEvent.entity_id == milestone_id)
            .order_by(m.AuditEvent.id)
        ).all()


# A Customer Journey milestone (000 §5.15) and a Transition one (004 §5.4.4).
CJ = "cj_workforce_strategy"
TRANSITION = "tr_joint_market_review"


@pytest.mark.parametrize(
    ("username", "key", "allowed"),
    [
        ("admin", CJ, True),
        ("admin", TRANSITION, True),
        ("cj.lead", CJ, True),
        ("cj.lead", TRANSITION, False),
        ("transition.lead", TRANSITION, True),
        ("transition.lead", CJ, False),
        ("cabinet.member", CJ, False),
        ("cabinet.member", TRANSITION, False),
    ],
)
def test_authorisation_matrix(database_url, username, key, allowed):
    before = milestone(key)
    change = {"commentary": f"Checked by {username}"}
    if allowed:
        services.update_milestone(user(username), before.id, change, before.version, today=TODAY)
        after = milestone(key)
        assert after.commentary == f"Checked by {username}"
        assert after.updated_by == username
    else:
        with pytest.raises(AuthorisationError):
            services.update_milestone(user(username), before.id, change, before.version, today=TODAY)
        after = milestone(key)
        assert after.commentary == before.commentary
        assert after.version == before.version
        assert audit_rows(before.id) == []


def test_a_lead_of_a_project_may_update_its_work_streams(database_url):
    """Customer Journey is a work-stream of the Personalised Support project (000 §5.5)."""
    services.create_user(
        services.SYSTEM, "ps.lead", "lead", "long-password-1", lead_of=["personalised_support"]
    )
    target = milestone(CJ)
    services.update_milestone(
        user("ps.lead"), target.id, {"commentary": "From the project lead"}, target.version, today=TODAY
    )
    assert milestone(CJ).commentary == "From the project lead"


def test_each_changed_field_writes_one_audit_event_in_the_same_save(database_url):
    target = milestone(TRANSITION)
    new_version = services.update_milestone(
        user("transition.lead"),
        target.id,
        {
            "percent_complete": 90,
            "forecast_end": "2027-01-29",
            "commentary": "Market review report drafted",
            "rag": "Amber",
            "rag_reason": "Report slipped to January",
        },
        target.version,
        today=TODAY,
    )
    events = audit_rows(target.id)
    assert {event.field for event in events} == {
        "percent_complete",
        "forecast_end",
        "commentary",
        "rag",
        "rag_reason",
    }
    by_field = {event.field: event for event in events}
    assert (by_field["percent_complete"].old_value, by_field["percent_complete"].new_value) == ("85", "90")
    assert by_field["forecast_end"].old_value == "2026-12-18"
    assert by_field["forecast_end"].new_value == "2027-01-29"
    assert all(event.username == "transition.lead" for event in events)
    assert all(event.entity_version == new_version == target.version + 1 for event in events)


def test_saving_unchanged_values_changes_nothing(database_url):
    target = milestone(TRANSITION)
    version = services.update_milestone(
        user("admin"), target.id, {"commentary": target.commentary}, target.version, today=TODAY
    )
    assert version == target.version
    assert audit_rows(target.id) == []


def test_a_stale_version_is_refused_and_shows_what_the_other_person_changed(database_url):
    opened = milestone(TRANSITION)
    services.update_milestone(user("admin"), opened.id, {"percent_complete": 95}, opened.version, today=TODAY)
    with pytest.raises(services.ConflictError) as raised:
        services.update_milestone(
            user("transition.lead"), opened.id, {"commentary": "My note"}, opened.version, today=TODAY
        )
    changes = raised.value.changes
    assert [(change["field"], change["old"], change["new"], change["by"]) for change in changes] == [
        ("percent_complete", "85", "95", "admin")
    ]
    after = milestone(TRANSITION)
    assert after.percent_complete == 95
    assert after.commentary == opened.commentary


VALID = {
    "status": "In progress",
    "rag": "Green",
    "rag_reason": "",
    "percent_complete": 50,
    "forecast_start": "2026-01-05",
    "forecast_end": "2026-12-18",
    "actual_start": "2026-01-05",
    "actual_end": None,
    "commentary": "On track",
}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"forecast_start": "2026-12-01", "forecast_end": "2026-11-30"},
            "forecast_end",
            "Forecast end date must be the same as or after the forecast start date",
        ),
        ({"actual_start": "2026-11-24"}, "actual_start", "Actual start date must be today or in the past"),
        (
            {"status": "Complete", "percent_complete": 100, "actual_end": "2026-11-24"},
            "actual_end",
            "Actual end date must be today or in the past",
        ),
        (
            {"status": "Complete", "percent_complete": 100, "actual_end": None},
            "actual_end",
            "Enter the actual end date: a complete milestone needs one",
        ),
        (
            {"status": "Complete", "percent_complete": 90, "actual_end": "2026-11-20"},
            "percent_complete",
            "Percentage complete must be 100 for a complete milestone",
        ),
        (
            {"percent_complete": 101},
            "percent_complete",
            "Percentage complete must be a whole number between 0 and 100",
        ),
        (
            {"percent_complete": -1},
            "percent_complete",
            "Percentage complete must be a whole number between 0 and 100",
        ),
        (
            {"percent_complete": "half"},
            "percent_complete",
            "Percentage complete must be a whole number between 0 and 100",
        ),
        (
            {"percent_complete": 12.5},
            "percent_complete",
            "Percentage complete must be a whole number between 0 and 100",
        ),
        (
            {"commentary": "x" * 2001},
            "commentary",
            "Commentary must be 2,000 characters or fewer (it has 2,001)",
        ),
        ({"rag": "Amber", "rag_reason": ""}, "rag_reason", "Enter the reason the milestone is Amber"),
        ({"rag": "Red", "rag_reason": "  "}, "rag_reason", "Enter the reason the milestone is Red"),
        (
            {"rag_reason": "y" * 501},
            "rag_reason",
            "Reason for the RAG status must be 500 characters or fewer",
        ),
        ({"forecast_end": "2026-02-30"}, "forecast_end", "Forecast end date must be a real date"),
        ({"status": "Finished"}, "status", "Select a status"),
        ({"rag": "Purple"}, "rag", "Select Red, Amber or Green"),
    ],
)
def test_validation_says_what_is_wrong_and_saves_nothing(database_url, changes, field, message):
    target = milestone(TRANSITION)
    with pytest.raises(services.ValidationError) as raised:
        services.update_milestone(user("admin"), target.id, {**VALID, **changes}, target.version, today=TODAY)
    assert raised.value.errors[field].startswith(message)
    after = milestone(TRANSITION)
    assert after.version == target.version
    assert after.commentary == target.commentary
    assert audit_rows(target.id) == []


def test_a_valid_complete_update_is_saved(database_url):
    target = milestone(TRANSITION)
    services.update_milestone(
        user("admin"),
        target.id,
        {**VALID, "status": "Complete", "percent_complete": 100, "actual_end": "2026-11-23", "rag": "Green"},
        target.version,
        today=TODAY,
    )
    after = milestone(TRANSITION)
    assert (after.status, after.percent_complete, after.actual_end) == ("Complete", 100, TODAY)


def test_overriding_the_suggested_rag_needs_a_reason(database_url):
    # Enablement 14–25: forecast far past its baseline (31 Mar 2019), so the dates suggest Red;
    # setting it Green needs a reason.
    target = milestone("tr_enablement_14_25")
    with pytest.raises(services.ValidationError) as raised:
        services.update_milestone(
            user("admin"), target.id, {"rag": "Green", "rag_reason": ""}, target.version, today=TODAY
        )
    assert "the dates suggest Red" in raised.value.errors["rag_reason"]
    services.update_milestone(
        user("admin"),
        target.id,
        {"rag": "Green", "rag_reason": "Re-planned with the board"},
        target.version,
        today=TODAY,
    )
    assert milestone("tr_enablement_14_25").rag == "Green"


def amber_and_red_counts() -> tuple[int, int]:
    counts = queries.milestone_counts(queries.MilestoneFilters(), TODAY)
    return counts["Amber"], counts["Red"]


# Enablement 14–25 is open and Amber (with its reason) and slipping: its dates suggest Red.
SLIPPING = "tr_enablement_14_25"


@pytest.mark.parametrize(
    "reason",
    [
        pytest.param("", id="no-reason"),
        pytest.param("   ", id="blank-reason"),
        pytest.param(None, id="reason-left-as-it-was-for-amber"),
    ],
)
def test_clearing_the_rag_the_dates_suggest_needs_a_reason(database_url, reason):
    target = milestone(SLIPPING)
    counts = amber_and_red_counts()
    changes = {"rag": ""} if reason is None else {"rag": "", "rag_reason": reason}
    with pytest.raises(services.ValidationError) as raised:
        services.update_milestone(user("transition.lead"), target.id, changes, target.version, today=TODAY)
    assert raised.value.errors["rag_reason"].startswith(
        "Enter the reason for No RAG: the dates suggest Red, so clearing the RAG needs a reason"
    )
    after = milestone(SLIPPING)
    assert (after.rag, after.version) == ("Amber", target.version)
    assert amber_and_red_counts() == counts
    assert audit_rows(target.id) == []


def test_clearing_the_rag_with_a_reason_is_saved(database_url):
    target = milestone(SLIPPING)
    services.update_milestone(
        user("transition.lead"),
        target.id,
        {"rag": "", "rag_reason": "Paused while the board reviews the pilot"},
        target.version,
        today=TODAY,
    )
    after = milestone(SLIPPING)
    assert (after.rag, after.rag_reason) == (None, "Paused while the board reviews the pilot")


def test_choosing_another_rag_needs_a_reason_of_its_own(database_url):
    # The form shows the reason given for Amber; leaving it there does not explain Green.
    target = milestone(SLIPPING)
    with pytest.raises(services.ValidationError) as raised:
        services.update_milestone(
            user("transition.lead"), target.id, {"rag": "Green"}, target.version, today=TODAY
        )
    assert (
        "the dates suggest Red, so choosing another RAG needs a reason" in raised.value.errors["rag_reason"]
    )
    assert milestone(SLIPPING).rag == "Amber"


def test_choosing_the_suggested_rag_keeps_the_reason_given(database_url):
    target = milestone(SLIPPING)
    services.update_milestone(user("transition.lead"), target.id, {"rag": "Red"}, target.version, today=TODAY)
    after = milestone(SLIPPING)
    assert (after.rag, after.rag_reason) == ("Red", target.rag_reason)


def test_adding_commentary_is_not_held_up_by_an_earlier_rag_choice(database_url):
    # The joint market review is Green although its dates suggest Red; a lead only adding
    # commentary is not asked to justify a RAG they did not set.
    target = milestone(TRANSITION)
    services.update_milestone(
        user("transition.lead"), target.id, {"commentary": "Report drafted"}, target.version, today=TODAY
    )
    assert milestone(TRANSITION).commentary == "Report drafted"


def test_fields_outside_the_form_cannot_be_changed(database_url):
    target = milestone(TRANSITION)
    with pytest.raises(services.ValidationError):
        services.update_milestone(user("admin"), target.id, {"project_id": 1}, target.version, today=TODAY)


# RAG rule at its boundaries: tolerance 20 working days (README "How RAG is suggested").
BASELINE_END = dt.date(2026, 12, 31)  # Thursday


@pytest.mark.parametrize(
    ("status", "forecast_end", "today", "expected"),
    [
        ("In progress", dt.date(2026, 12, 31), dt.date(2026, 11, 23), "Green"),  # on baseline
        ("In progress", dt.date(2026, 12, 30), dt.date(2026, 11, 23), "Green"),  # early
        (
            "In progress",
            dt.date(2027, 1, 1),
            dt.date(2026, 11, 23),
            "Amber",
        ),  # 1 working day (New Year is a holiday)
        # 31 Dec → 29 Jan 2027: working days 31 Dec, 4–8, 11–15, 18–22, 25–28 Jan = 1 + 5 + 5 + 5 + 4 = 20.
        ("In progress", dt.date(2027, 1, 29), dt.date(2026, 11, 23), "Amber"),
        ("In progress", dt.date(2027, 2, 1), dt.date(2026, 11, 23), "Red"),  # 21 working days
        ("In progress", dt.date(2026, 11, 20), dt.date(2026, 11, 23), "Red"),  # overdue
        ("In progress", dt.date(2026, 11, 23), dt.date(2026, 11, 23), "Green"),  # due today is not overdue
        ("Blocked", dt.date(2026, 12, 31), dt.date(2026, 11, 23), "Red"),
        ("Complete", dt.date(2027, 6, 1), dt.date(2026, 11, 23), "Green"),
        ("Cancelled", dt.date(2027, 6, 1), dt.date(2026, 11, 23), None),
    ],
)
def test_rag_rule_boundaries(status, forecast_end, today, expected):
    rag, reason = services.suggest_rag(status, BASELINE_END, forecast_end, None, today)
    assert rag == expected
    assert reason


def test_admin_adds_retires_and_restores_a_milestone(database_url):
    admin = user("admin")
    new_id = services.add_milestone(
        admin,
        "customer_journey",
        "Post-implementation review",
        "Programme office",
        "2027-01-04",
        "2027-03-31",
    )
    with session_scope() as db:
        added = db.get(m.Milestone, new_id)
        dates = db.scalars(
            select(m.MilestoneBaseline).where(m.MilestoneBaseline.milestone_id == new_id)
        ).one()
        assert (added.title, added.status, dates.end_date) == (
            "Post-implementation review",
            "Not started",
            dt.date(2027, 3, 31),
        )
        version = added.version
    version = services.set_milestone_retired(admin, new_id, True, version)
    with session_scope() as db:
        assert db.get(m.Milestone, new_id).retired is True
    services.set_milestone_retired(admin, new_id, False, version)
    with session_scope() as db:
        assert db.get(m.Milestone, new_id).retired is False
    assert [event.action for event in audit_rows(new_id)] == ["create", "retire", "restore"]
    with pytest.raises(AuthorisationError):
        services.add_milestone(user("cj.lead"), "customer_journey", "Sneaky", "", None, "2027-01-01")


def test_add_milestone_validation(database_url):
    with pytest.raises(services.ValidationError) as raised:
        services.add_milestone(user("admin"), "no_such_project", "", "", "2027-03-01", "2027-02-01")
    assert set(raised.value.errors) == {"project", "title", "baseline_end"}


def test_rebaseline_keeps_earlier_baselines(database_url):
    admin = user("admin")
    target = milestone(TRANSITION)
    services.update_milestone(admin, target.id, {"forecast_end": "2027-02-26"}, target.version, today=TODAY)
    services.rebaseline_project(admin, "transition", "Re-plan 24 Nov 2026", "2026-11-24")
    with session_scope() as db:
        rows = db.execute(
            select(m.Baseline.name, m.MilestoneBaseline.end_date)
            .join(m.MilestoneBaseline, m.MilestoneBaseline.baseline_id == m.Baseline.id)
            .where(m.MilestoneBaseline.milestone_id == target.id)
            .order_by(m.Baseline.baseline_date)
        ).all()
    assert rows[0] == ("Cabinet approval 26 Jun 2018", dt.date(2019, 6, 30))
    assert rows[-1] == ("Re-plan 24 Nov 2026", dt.date(2027, 2, 26))
    with pytest.raises(services.ValidationError) as raised:
        services.rebaseline_project(admin, "transition", "Re-plan 24 Nov 2026", "2026-11-24")
    assert "already has a baseline called" in raised.value.errors["name"]
    with pytest.raises(AuthorisationError):
        services.rebaseline_project(user("transition.lead"), "transition", "Mine", "2026-11-24")
