"""Saving line writes: authorisation on the row, validation messages, version checks, audit, re-phasing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from dashboard import models as m
from dashboard.auth import AuthorisationError, authenticate
from dashboard.db import session_scope
from dashboard.queries import savings as q
from dashboard.services import SYSTEM, create_user
from dashboard.services import savings as s
from dashboard.services.core import ConflictError, ValidationError
from tests.helpers import DEMO_PASSWORDS

TODAY = dt.date(2026, 11, 23)


def user(name: str, password: str | None = None):
    return authenticate(name, password or DEMO_PASSWORDS[name])


def line(key: str) -> m.SavingLine:
    with session_scope() as db:
        return db.scalars(select(m.SavingLine).where(m.SavingLine.key == key)).one()


def events(line_id: int) -> list[tuple]:
    with session_scope() as db:
        return [
            (
                event.username,
                event.action,
                event.field,
                event.old_value,
                event.new_value,
                event.entity_version,
            )
            for event in db.scalars(
                select(m.AuditEvent)
                .where(m.AuditEvent.entity == "saving_line", m.AuditEvent.entity_id == line_id)
                .order_by(m.AuditEvent.id)
            )
        ]


def test_the_lead_records_forecast_and_confidence_and_each_change_is_audited(database_url):
    before = line("cj_workforce_2019_20")
    version = s.update_saving_line(
        user("cj.lead"),
        before.id,
        {"forecast": "5,500,000", "confidence": "High", "confidence_reason": "Most posts released"},
        before.version,
        today=TODAY,
    )
    after = line("cj_workforce_2019_20")
    assert version == after.version == before.version + 1
    assert after.forecast == Decimal("5500000.00")
    assert (after.confidence, after.updated_by) == ("High", "cj.lead")
    assert events(before.id) == [
        ("cj.lead", "update", "forecast", "5450000.00", "5500000.00", version),
        ("cj.lead", "update", "confidence", "Delivered", "High", version),
        (
            "cj.lead",
            "update",
            "confidence_reason",
            "Year closed; shortfall from later-than-planned move to the new service design",
            "Most posts released",
            version,
        ),
    ]


def test_confidence_history_lists_each_rating_with_its_reason(database_url):
    target = line("cj_workforce_2019_20")
    lead = user("cj.lead")
    v2 = s.update_saving_line(
        lead,
        target.id,
        {"confidence": "Medium", "confidence_reason": "Move slipping"},
        target.version,
        today=TODAY,
    )
    s.update_saving_line(
        lead, target.id, {"confidence": "Low", "confidence_reason": "Slipped again"}, v2, today=TODAY
    )
    history = q.confidence_history(target.id)
    assert list(zip(history["confidence"], history["reason"], strict=True)) == [
        ("Delivered", "Year closed; shortfall from later-than-planned move to the new service design"),
        ("Medium", "Move slipping"),
        ("Low", "Slipped again"),
    ]
    assert list(history["username"]) == ["loaded", "cj.lead", "cj.lead"]


def test_a_lead_may_not_change_another_projects_line(database_url):
    target = line("bn_efficiency_2019_20")
    with pytest.raises(AuthorisationError):
        s.update_saving_line(user("cj.lead"), target.id, {"forecast": "1"}, target.version, today=TODAY)
    with pytest.raises(AuthorisationError):
        s.update_saving_line(
            user("cabinet.member"), target.id, {"forecast": "1"}, target.version, today=TODAY
        )
    assert line("bn_efficiency_2019_20").forecast == Decimal("610000.00")
    assert events(target.id) == []


def test_the_lead_of_a_parent_project_may_change_its_work_streams_lines(database_url):
    create_user(SYSTEM, "ps.lead", "lead", "parent-lead-2026", lead_of=["personalised_support"])
    target = line("cj_workforce_2019_20")  # Customer Journey is a work-stream of Personalised Support
    s.update_saving_line(
        user("ps.lead", "parent-lead-2026"), target.id, {"forecast": "5460000"}, target.version, today=TODAY
    )
    assert line("cj_workforce_2019_20").forecast == Decimal("5460000.00")


def test_only_the_programme_office_changes_a_target(database_url):
    target = line("cj_workforce_2019_20")
    with pytest.raises(AuthorisationError):
        s.update_saving_line(user("cj.lead"), target.id, {"target": "1"}, target.version, today=TODAY)
    assert line("cj_workforce_2019_20").target == Decimal("6000000.00")
    s.update_saving_line(user("admin"), target.id, {"target": "6,100,000.50"}, target.version, today=TODAY)
    assert line("cj_workforce_2019_20").target == Decimal("6100000.50")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"target": "-654000"}, "target", "Target must be £0 or more"),
        ({"target": ""}, "target", "Enter the target in pounds"),
        ({"forecast": "654000.123"}, "forecast", "no more than 2 decimal places"),
        ({"forecast": "about 6m"}, "forecast", "must be an amount in pounds"),
        ({"forecast": "-1"}, "forecast", "Forecast must be £0 or more"),
        ({"financial_year": "2019/21"}, "financial_year", "Enter a real financial year, like 2019/20"),
        ({"financial_year": "twenty19"}, "financial_year", "Enter a real financial year, like 2019/20"),
        ({"financial_year": "1899/00"}, "financial_year", "between 2000/01 and 2099/00"),
        (
            {"financial_year": "2027/28"},
            "realised",
            "only for a year that has started: 2027/28 starts on 1 Apr 2027",
        ),
        ({"confidence": "Certain"}, "confidence", "Select Delivered, High, Medium or Low"),
        (
            {"confidence": "Low", "confidence_reason": ""},
            "confidence_reason",
            "Enter the reason the confidence is Low",
        ),
        ({"realised": ""}, "realised", "a Delivered saving needs one"),
    ],
)
def test_bad_input_gets_a_message_and_changes_nothing(database_url, changes, field, message):
    target = line("cj_workforce_2019_20")
    with pytest.raises(ValidationError) as raised:
        s.update_saving_line(user("admin"), target.id, changes, target.version, today=TODAY)
    assert message in raised.value.errors[field]
    after = line("cj_workforce_2019_20")
    assert (after.version, after.target, after.financial_year) == (target.version, target.target, 2019)
    assert events(target.id) == []


@pytest.mark.parametrize(("today", "allowed"), [(dt.date(2027, 3, 31), False), (dt.date(2027, 4, 1), True)])
def test_realised_is_allowed_from_the_first_day_of_the_year(database_url, today, allowed):
    target = line("cj_workforce_2019_20")
    changes = {"financial_year": "2027/28", "realised": "100", "confidence": "High", "confidence_reason": "x"}
    if allowed:
        s.update_saving_line(user("admin"), target.id, changes, target.version, today=today)
        assert line("cj_workforce_2019_20").financial_year == 2027
    else:
        with pytest.raises(ValidationError) as raised:
            s.update_saving_line(user("admin"), target.id, changes, target.version, today=today)
        assert "2027/28 starts on 1 Apr 2027" in raised.value.errors["realised"]


def test_a_stale_version_is_refused_and_says_what_changed(database_url):
    target = line("bn_efficiency_2019_20")
    s.update_saving_line(user("admin"), target.id, {"forecast": "600000"}, target.version, today=TODAY)
    with pytest.raises(ConflictError) as raised:
        s.update_saving_line(user("admin"), target.id, {"forecast": "1"}, target.version, today=TODAY)
    assert [(c["label"], c["old"], c["new"]) for c in raised.value.changes] == [
        ("Forecast", "610000.00", "600000.00")
    ]
    assert line("bn_efficiency_2019_20").forecast == Decimal("600000.00")


def _slip_customer_journey() -> m.SavingLine:
    with session_scope() as db:
        saving = db.scalars(select(m.SavingLine).where(m.SavingLine.key == "cj_workforce_2019_20")).one()
        saving.confidence, saving.realised = "High", None
        milestone = db.scalars(select(m.Milestone).where(m.Milestone.key == "cj_new_service_design")).one()
        milestone.status, milestone.actual_end, milestone.forecast_end = (
            "In progress",
            None,
            dt.date(2020, 6, 30),
        )
    return line("cj_workforce_2019_20")


def test_admin_accepts_re_phasing_keeping_the_total(database_url):
    target = _slip_customer_journey()
    total_before = q.totals(q.saving_lines(q.SavingFilters(), TODAY))["target"]
    version = s.accept_rephasing(user("admin"), target.id, target.version, 2020, today=TODAY)
    after = line("cj_workforce_2019_20")
    assert (after.financial_year, after.target, after.forecast) == (
        2020,
        Decimal("6000000.00"),
        Decimal("5450000.00"),
    )
    frame = q.saving_lines(q.SavingFilters(), TODAY)
    assert q.totals(frame)["target"] == total_before == Decimal("26462000.00")
    years = q.by_year(frame).set_index("fy_label")
    assert years.loc["2019/20", "target"] == Decimal("3854000.00")  # 3.2m + 654k: Barnet only
    assert years.loc["2020/21", "target"] == Decimal("6000000.00")
    assert events(target.id)[-1] == ("admin", "rephase", "financial_year", "2019/20", "2020/21", version)
    # Milestone ends 30 Jun 2020, after 1 Apr 2020: still at risk, but now in the right year.
    row = frame[frame["key"] == "cj_workforce_2019_20"].iloc[0]
    assert bool(row["at_risk"]) and row["proposed_year"] is None


def test_re_phasing_is_refused_to_a_lead_and_when_the_proposal_changed(database_url):
    target = _slip_customer_journey()
    with pytest.raises(AuthorisationError):
        s.accept_rephasing(user("cj.lead"), target.id, target.version, 2020, today=TODAY)
    with pytest.raises(ConflictError) as raised:
        s.accept_rephasing(user("admin"), target.id, target.version, 2021, today=TODAY)
    assert "now lands in 2020/21" in str(raised.value)
    with pytest.raises(ConflictError):
        s.accept_rephasing(user("admin"), target.id, target.version - 1, 2020, today=TODAY)
    assert line("cj_workforce_2019_20").financial_year == 2019
    assert events(target.id) == []


def test_re_phasing_a_line_that_is_not_at_risk_is_refused(database_url):
    target = line("cj_workforce_2019_20")  # Delivered: nothing to re-phase
    with pytest.raises(ValidationError) as raised:
        s.accept_rephasing(user("admin"), target.id, target.version, 2020, today=TODAY)
    assert "no longer needs re-phasing" in raised.value.errors["rephase"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("654000", "654000.00"), ("£5,450,000.50", "5450000.50"), (" 1.5 ", "1.50"), ("0", "0.00")],
)
def test_money_is_read_as_people_type_it(text, expected):
    assert s.parse_money(text, "Forecast", "forecast", {}) == Decimal(expected)
