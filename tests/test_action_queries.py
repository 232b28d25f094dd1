"""Action plan reads: the letter's recommendations and areas, filters, the plan as at a date, the published plan."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from sqlalchemy import select, update

from dashboard import models as m
from dashboard.db import session_scope
from dashboard.queries import actions as action_queries
from dashboard.services import actions as action_services
from tests.helpers import user

TODAY = dt.date(2026, 11, 23)


def action(key: str) -> m.ActionItem:
    with session_scope() as db:
        return db.scalars(select(m.ActionItem).where(m.ActionItem.key == key)).one()


def test_the_six_recommended_areas_with_1a_and_1b(database_url):
    # 001 "Areas recommended for further action": six areas, the first with two sub-points.
    recommendations = action_queries.recommendations()
    assert list(recommendations["number"]) == ["1", "1a", "1b", "2", "3", "4", "5", "6"]
    assert recommendations.set_index("number").loc["1b", "text"] == (
        "implement the findings of the recent Finance and Management Audit report"
    )


def test_recommendation_1_includes_its_parts_and_statuses_say_whether_signed_off(database_url):
    frame = action_queries.action_items(action_queries.ActionFilters(recommendation="1"), TODAY)
    assert set(frame["recommendation"]) == {"1", "1a", "1b"}
    assert len(frame) == 9  # three illustrative actions on each of 1, 1a, 1b (seed action_items.csv)
    by_key = frame.set_index("key")
    assert by_key.loc["a1_stress_test", "display_status"] == "Complete – awaiting sign-off"
    assert by_key.loc["a1_budget_pack", "display_status"] == "Complete – evidence accepted"
    assert by_key.loc["a1b_controls_reaudit", "display_status"] == "In progress"
    # The latest note is the newest by date, internal or not (seed progress_notes.csv).
    assert by_key.loc["a1a_align_systems", "latest_note"].startswith("Parallel run shows £1.2m variance")
    assert bool(by_key.loc["a1a_align_systems", "latest_note_internal"]) is True


def test_filters_by_theme_status_and_overdue(database_url):
    health = action_queries.action_items(
        action_queries.ActionFilters(theme="Front line joint working arrangements with health"), TODAY
    )
    assert set(health["key"]) == {"a3_performance_dashboard", "a4_joint_front_door", "a4_risk_benefit_share"}
    awaiting = action_queries.action_items(action_queries.ActionFilters(status="awaiting"), TODAY)
    assert set(awaiting["display_status"]) == {"Complete – awaiting sign-off"}
    assert len(awaiting) == 6
    # On 1 Jan 2027 the re-audit (due 18 Dec 2026) and the networks review (due 31 Dec 2026) are late.
    late = action_queries.action_items(action_queries.ActionFilters(overdue=True), dt.date(2027, 1, 1))
    assert set(late["key"]) == {"a1b_controls_reaudit", "a5_neighbourhood_networks_review"}
    assert action_queries.action_items(action_queries.ActionFilters(overdue=True), TODAY).empty


def test_filters_round_trip_through_the_url():
    filters = action_queries.ActionFilters(
        recommendation="1a", theme="Leadership", status="awaiting", overdue=True, as_at=dt.date(2026, 6, 30)
    )
    assert filters.query_string() == "?rec=1a&theme=Leadership&status=awaiting&overdue=1&asat=2026-06-30"
    assert action_queries.ActionFilters.from_query(filters.to_query()) == filters
    assert action_queries.ActionFilters.from_query({"status": "Finished", "asat": "31/03/2017"}) == (
        action_queries.ActionFilters()
    )


def test_progress_counts_per_recommendation(database_url):
    progress = action_queries.progress_by_recommendation(action_queries.ActionFilters(), TODAY)
    progress = progress.set_index("recommendation")
    # 1b: two accepted, the re-audit open; 4: one accepted, one awaiting, one blocked (seed).
    assert progress.loc["1b"].to_dict() == {"total": 3, "accepted": 2, "awaiting": 0, "open": 1, "overdue": 0}
    assert progress.loc["4"].to_dict() == {"total": 3, "accepted": 1, "awaiting": 1, "open": 1, "overdue": 0}


def test_areas_with_no_action_are_uncovered(database_url):
    areas = action_queries.consideration_areas("Leadership").set_index("key")
    # 001 Appendix 1 Leadership: five strengths and five areas for consideration.
    assert (areas["kind"] == "strength").sum() == 5
    assert (areas["kind"] == "area_for_consideration").sum() == 5
    assert bool(areas.loc["lead_afc_2", "uncovered"]) is True  # evidence based learning: no action
    assert bool(areas.loc["lead_afc_1", "uncovered"]) is False
    assert areas.loc["lead_afc_1", "action_count"] == 2
    assert bool(areas.loc["lead_str_1", "uncovered"]) is False  # strengths never need an action


def test_each_themes_counts_agree_with_its_points(database_url):
    # 001 Appendix 1 Leadership: ten points, five of them areas for consideration, one with no action.
    leadership = action_queries.consideration_area_counts("Leadership")
    assert leadership == [action_queries.ThemeCount("Leadership", 10, 5, 1)]
    # Unlink the Leadership point that has actions: now two of its areas have none.
    with session_scope() as db:
        area = db.scalars(select(m.ConsiderationArea).where(m.ConsiderationArea.key == "lead_afc_1")).one()
        area.actions.clear()
    counts = action_queries.consideration_area_counts()
    assert [count.theme for count in counts] == [
        t for t in action_queries.THEME_ORDER if t in {c.theme for c in counts}
    ]
    for count in counts:
        points = action_queries.consideration_areas(count.theme)
        assert (count.points, count.needing_action, count.uncovered) == (
            len(points),
            int(points["needs_action"].sum()),
            int(points["uncovered"].sum()),
        ), count.theme
    assert next(count for count in counts if count.theme == "Leadership").uncovered == 2


def test_each_point_names_the_recommendations_and_actions_answering_it(database_url):
    """Counted in SQL for the page; the titles, for the downloads, agree with the counts."""
    with session_scope() as db:
        links = db.execute(
            select(m.ConsiderationArea.key, m.Recommendation.number, m.ActionItem.title)
            .join(m.action_areas, m.action_areas.c.consideration_area_id == m.ConsiderationArea.id)
            .join(m.ActionItem, m.ActionItem.id == m.action_areas.c.action_item_id)
            .join(m.Recommendation, m.Recommendation.id == m.ActionItem.recommendation_id)
        ).all()
    assert links
    areas = action_queries.consideration_areas(titles=True).set_index("key")
    for key, row in areas.iterrows():
        mine = [(number, title) for area, number, title in links if area == key]
        assert row["action_count"] == len(mine)
        assert set(row["recommendations"]) == {number for number, _ in mine}
        assert sorted(row["actions"]) == sorted(f"{number}: {title}" for number, title in mine)
    # Without titles (the page), the same counts; and a theme counts only its own points.
    plain = action_queries.consideration_areas().set_index("key")
    assert "actions" not in plain and plain["action_count"].equals(areas["action_count"])
    leadership = action_queries.consideration_areas("Leadership").set_index("key")
    assert leadership["action_count"].equals(areas.loc[leadership.index, "action_count"])


def test_the_page_names_the_first_five_recommendations_of_a_point_and_counts_the_rest(database_url):
    from dashboard.callbacks.actions.sections import _answered

    with session_scope() as db:
        recommendations = db.scalars(select(m.Recommendation).order_by(m.Recommendation.sort_order)).all()
        # One action under each of seven recommendations answers the point.
        chosen = [r for r in recommendations if r.actions][:7]
        area = db.scalars(select(m.ConsiderationArea).where(m.ConsiderationArea.key == "lead_afc_2")).one()
        area.actions = [recommendation.actions[0] for recommendation in chosen]
        numbers = [recommendation.number for recommendation in chosen]
    assert len(numbers) == 7
    row = action_queries.consideration_areas(named=5).set_index("key").loc["lead_afc_2"]
    assert row["recommendations"] == numbers[:5]  # in the letter's order
    assert (row["recommendation_count"], row["action_count"]) == (7, 7)
    everything = action_queries.consideration_areas().set_index("key").loc["lead_afc_2"]
    assert everything["recommendations"] == numbers
    assert _answered(SimpleNamespace(**row.to_dict())) == (
        f"Answered by 7 actions under recommendations {', '.join(numbers[:5])} and 2 more"
    )


def _stamp(action_id: int, since_id: int, when: dt.datetime) -> None:
    """Script the history: audit events (and notes) written after `since_id` happened at `when`."""
    with session_scope() as db:
        db.execute(
            update(m.AuditEvent)
            .where(m.AuditEvent.entity_id == action_id, m.AuditEvent.id > since_id)
            .values(at=when)
        )
        db.execute(
            update(m.ProgressNote)
            .where(
                m.ProgressNote.action_item_id == action_id, m.ProgressNote.source == "Added in the dashboard"
            )
            .where(m.ProgressNote.created_at > when)
            .values(created_at=when)
        )


def _last_audit_id() -> int:
    with session_scope() as db:
        return db.scalar(select(m.AuditEvent.id).order_by(m.AuditEvent.id.desc()).limit(1)) or 0


def test_the_plan_as_at_a_date_is_rebuilt_from_a_scripted_history(database_url):
    lead = user("transition.lead")
    target = action("a2_carers_strategy_refresh")  # seeded: In progress, Green, 40%, note of 20 Oct 2026

    mark = _last_audit_id()
    version = action_services.update_action(
        lead, target.id, {"percent_complete": 60, "rag": "Amber"}, target.version
    )
    _stamp(target.id, mark, dt.datetime(2026, 10, 1, 9, 0))  # 10:00 BST on 1 Oct

    mark = _last_audit_id()
    version = action_services.add_progress_note(
        lead, target.id, "2026-11-10", "Draft out for consultation", False, TODAY
    )
    version = action_services.update_action(
        lead,
        target.id,
        {"status": "Complete", "percent_complete": 100, "rag": "", "evidence_summary": "Strategy 2027-2030"},
        version,
    )
    _stamp(target.id, mark, dt.datetime(2026, 11, 10, 12, 0))

    mark = _last_audit_id()
    action_services.sign_off_evidence(user("admin"), target.id, version)
    _stamp(target.id, mark, dt.datetime(2026, 11, 20, 15, 0))

    def as_at(day: dt.date) -> dict:
        review = action_queries.plan_as_at(day, ids=[target.id])
        return review.iloc[0].to_dict()

    before_any = as_at(dt.date(2026, 9, 30))
    assert (before_any["status_then"], before_any["rag_then"], before_any["percent_then"]) == (
        "In progress",
        "Green",
        40,
    )
    assert before_any["latest_note_then"] is None  # the seeded note is dated 20 Oct 2026
    assert before_any["status_now"] == "Complete – evidence accepted"
    assert "Status In progress → Complete – evidence accepted" in before_any["moved"]
    assert "% complete 40% → 100%" in before_any["moved"]
    assert "2 progress notes added" in before_any["moved"]

    mid_october = as_at(dt.date(2026, 10, 31))
    assert (mid_october["status_then"], mid_october["rag_then"], mid_october["percent_then"]) == (
        "In progress",
        "Amber",
        60,
    )
    assert mid_october["latest_note_then"].startswith("20 Oct 2026: Carers survey")
    assert "1 progress note added" in mid_october["moved"]

    awaiting = as_at(dt.date(2026, 11, 15))
    assert (awaiting["status_then"], awaiting["percent_then"]) == ("Complete – awaiting sign-off", 100)
    assert awaiting["latest_note_then"] == "10 Nov 2026: Draft out for consultation"
    assert awaiting["moved"] == "Status Complete – awaiting sign-off → Complete – evidence accepted"

    now = as_at(dt.date(2026, 11, 23))
    assert now["status_then"] == "Complete – evidence accepted"
    assert now["moved"] == ""


def test_the_end_of_a_day_is_uk_time(database_url):
    target = action("a2_carers_strategy_refresh")
    mark = _last_audit_id()
    action_services.update_action(
        user("transition.lead"), target.id, {"percent_complete": 45}, target.version
    )
    _stamp(target.id, mark, dt.datetime(2026, 6, 30, 23, 30))  # 00:30 on 1 Jul in British Summer Time
    review = action_queries.plan_as_at(dt.date(2026, 6, 30), ids=[target.id]).iloc[0]
    assert review["percent_then"] == 40
    review = action_queries.plan_as_at(dt.date(2026, 7, 1), ids=[target.id]).iloc[0]
    assert review["percent_then"] == 45


def test_the_published_plan_has_no_internal_notes_and_no_user_names(database_url):
    cj = user("cj.lead")
    front_door = action("a4_joint_front_door")
    action_services.add_progress_note(
        cj, front_door.id, "2026-11-20", "Roll-out agreed city-wide", False, TODAY
    )
    action_services.add_progress_note(
        cj, front_door.id, "2026-11-21", "Budget pressure on roll-out: not for publication", True, TODAY
    )
    action_services.add_evidence(
        cj, front_door.id, "Pilot evaluation report", "https://example.org/evaluation"
    )
    action_services.sign_off_evidence(user("admin"), front_door.id, action("a4_joint_front_door").version)

    plan = action_queries.published_plan()
    assert len(plan) == 24
    text = plan.to_csv(index=False)
    # Internal notes from the seed (001 actions, progress_notes.csv) and from today are left out.
    assert "Parallel run shows £1.2m variance" not in text
    assert "Budget pressure on roll-out" not in text
    assert "Cost code mapping complete; parallel run starts July." in text
    for name in ("cj.lead", "admin", "Customer Journey work-stream lead", "Programme office administrator"):
        assert name not in text
    row = plan.set_index("Action").loc["Design and pilot a joint health and social care front door"]
    assert row["Status"] == "Complete – evidence accepted"
    assert row["Latest progress"] == "20 Nov 2026: Roll-out agreed city-wide"
    assert "Pilot evaluation report (https://example.org/evaluation)" in row["Evidence"]
