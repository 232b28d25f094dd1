"""Rounds of edits through the services and the importer, as the board's users make them, for the tests
that check how every page, list and download then reads."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from dashboard import clock
from dashboard import models as m
from dashboard.db import session_scope
from dashboard.services import actions as action_services
from dashboard.services import board as board_services
from dashboard.services import core, importer, kpis
from dashboard.services import milestones as milestone_services
from dashboard.services import savings as saving_services
from tests.helpers import user


def _one(model, **where):
    with session_scope() as db:
        return db.scalars(select(model).filter_by(**where)).one()


def day_shown(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def make_one_change_of_each_kind() -> tuple[list[tuple[str, str, str, str]], dt.date]:
    """Makes the changes; returns what each should read as: (what it did, item, old, new)."""
    admin, lead, transition = user("admin"), user("cj.lead"), user("transition.lead")
    today = clock.today()
    review = _one(m.Milestone, key="tr_joint_market_review")
    milestone_services.update_milestone(
        transition,
        review.id,
        {
            "forecast_end": "2027-01-29",
            "percent_complete": 90,
            "rag": "Amber",
            "rag_reason": "Waiting for the providers' returns",
            "commentary": "Extended to January.",
        },
        review.version,
    )
    new_id = milestone_services.add_milestone(
        admin,
        "transition",
        "Publish the market position statement",
        "Commissioning lead",
        "2027-01-04",
        "2027-03-31",
    )
    milestone_services.set_milestone_retired(admin, new_id, True, _one(m.Milestone, id=new_id).version)
    milestone_services.rebaseline_project(admin, "transition", "Re-plan December 2026", today.isoformat())

    workforce = _one(m.SavingLine, key="cj_workforce_2019_20")
    version = saving_services.update_saving_line(
        admin, workforce.id, {"target": "6200000"}, workforce.version
    )
    saving_services.update_saving_line(
        lead,
        workforce.id,
        {"forecast": "5400000", "confidence": "High", "confidence_reason": "Two posts still to go"},
        version,
    )
    # A line whose milestone now ends in a later year than its own, for the programme office to re-phase.
    with session_scope() as db:
        line = m.SavingLine(
            key="tr_transport_2025_26",
            project_id=review.project_id,
            financial_year=2025,
            description="Transport review savings",
            category="efficiency",
            target=Decimal("250000.00"),
            forecast=Decimal("250000.00"),
            depends_on_milestone_id=review.id,
        )
        db.add(line)
        db.flush()
        line_id = line.id
    saving_services.accept_rephasing(admin, line_id, 1, 2026)

    action = _one(m.ActionItem, key="a5_neighbourhood_networks_review")
    action_services.update_action(
        lead,
        action.id,
        {
            "due_date": "2027-02-26",
            "percent_complete": 100,
            "status": "Complete",
            "evidence_summary": "Network review report",
        },
        action.version,
    )
    action_services.add_progress_note(lead, action.id, today.isoformat(), "Review finished.", False, today)
    version = action_services.add_evidence(lead, action.id, "Board minutes", "https://example.org/minutes")
    action_services.sign_off_evidence(admin, action.id, version)

    board_services.add_board_meeting(admin, today.isoformat(), "Extra programme board")
    value_id = kpis.add_kpi_value(admin, "CON-FIRST-CONTACT", "ladywood", "Q3 2026/27", "63.5", today=today)
    kpis.correct_kpi_value(admin, value_id, "64", _one(m.KpiValue, id=value_id).version)
    core.create_user(admin, "new.lead", "lead", "a-long-password-2026", lead_of=["transition"])

    tracker = (
        "Project,Milestone,Forecast end,% complete\n"
        "transition,Phase 2 (18-25) Transition Pathway and Life Planning implementation,30/06/2027,80\n"
    )
    phase_two = _one(m.Milestone, key="tr_phase2_18_25")
    report = importer.import_file(
        admin,
        "milestones",
        "tracker.csv",
        tracker.replace(
            "Phase 2 (18-25) Transition Pathway and Life Planning implementation", phase_two.title
        ).encode(),
        today=today,
    )
    assert report.imported, report.problems

    workforce_line = f"{workforce.description} (2019/20)"
    return [
        ("Forecast end date moved", review.title, "18 Dec 2026", "29 Jan 2027"),
        ("Percentage complete revised", review.title, "85%", "90%"),
        ("RAG status changed", review.title, "Green", "Amber"),
        ("Reason for the RAG status set", review.title, "blank", "Waiting for the providers' returns"),
        ("Commentary changed", review.title, review.commentary, "Extended to January."),
        ("New milestone", "Publish the market position statement", "", ""),
        ("Milestone retired", "Publish the market position statement", "no", "yes"),
        ("Re-baselined", "Transition Project - Preparation for Adulthood", "blank", "Re-plan December 2026"),
        ("Target revised", workforce_line, "£6.0m", "£6.2m"),
        ("Forecast revised", workforce_line, "£5.45m", "£5.4m"),
        ("Confidence changed", workforce_line, "Delivered", "High"),
        ("Re-phased: financial year moved", "Transport review savings (2026/27)", "2025/26", "2026/27"),
        ("Due date moved", action.title, "31 Dec 2026", "26 Feb 2027"),
        ("Percentage complete revised", action.title, "60%", "100%"),
        ("Status changed", action.title, "In progress", "Complete"),
        ("Evidence summary set", action.title, "blank", "Network review report"),
        ("Sent for sign-off", action.title, "Not awaiting sign-off", "Awaiting sign-off"),
        ("Progress note added", action.title, "blank", f"{day_shown(today)}: Review finished."),
        ("Evidence added", action.title, "blank", "Board minutes (https://example.org/minutes)"),
        ("Evidence signed off", action.title, "Awaiting sign-off", "Evidence accepted"),
        ("Board meeting added", "Extra programme board", "blank", day_shown(today)),
        ("KPI value added", "CON-FIRST-CONTACT · Ladywood · Q3 2026/27", "blank", "63.5"),
        ("KPI value corrected", "CON-FIRST-CONTACT · Ladywood · Q3 2026/27", "63.5", "64"),
        ("Forecast end date moved (imported)", phase_two.title, "31 Mar 2027", "30 Jun 2027"),
        ("Percentage complete revised (imported)", phase_two.title, "75%", "80%"),
    ], today


def clear_and_set_every_kind_of_field() -> None:
    """Edits that clear a value of each kind (dates, money, percent, text, RAG, confidence) and set
    others, by the leads and the programme office."""
    admin, transition = user("admin"), user("transition.lead")
    enablement = _one(m.Milestone, key="tr_enablement_14_25")
    # The RAG cleared with a reason, then the reason, a date and the commentary cleared.
    version = milestone_services.update_milestone(
        transition,
        enablement.id,
        {"rag": None, "rag_reason": "Under review by the board"},
        enablement.version,
    )
    milestone_services.update_milestone(
        transition,
        enablement.id,
        {"rag_reason": "", "forecast_start": None, "commentary": "", "percent_complete": 70},
        version,
    )
    blocked = _one(m.Milestone, key="tr_short_breaks_reshape")
    milestone_services.update_milestone(
        transition, blocked.id, {"status": "In progress", "actual_start": None}, blocked.version
    )

    workforce = _one(m.SavingLine, key="cj_workforce_2019_20")
    saving_services.update_saving_line(
        admin,
        workforce.id,
        {"forecast": "", "realised": "", "confidence": "", "confidence_reason": ""},
        workforce.version,
    )
    identified = _one(m.SavingLine, key="bn_identified_2017_18")
    saving_services.update_saving_line(
        admin,
        identified.id,
        {"forecast": "3,400,000", "confidence": "Medium", "confidence_reason": "Late"},
        identified.version,
    )

    carers = _one(m.ActionItem, key="a2_carers_strategy_refresh")
    version = action_services.update_action(
        admin,
        carers.id,
        {"owner": "Carers lead", "rag": "Red", "percent_complete": 45, "due_date": "2027-06-30"},
        carers.version,
    )
    action_services.update_action(admin, carers.id, {"rag": None, "status": "Blocked"}, version)
    kpis.add_kpi_value(admin, "CON-FIRST-CONTACT", "edgbaston", "Q3 2026/27", "51", today=clock.today())
