"""Milestone reads: every filter, the URL round trip, slippage against the chosen baseline."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from dashboard import models as m
from dashboard import queries
from dashboard.db import session_scope
from dashboard.queries import MilestoneFilters

TODAY = dt.date(2026, 11, 23)

# Seed facts (000 §5.15, 004, 003 §8): 8 Customer Journey, 17 Transition and 8 Barnet milestones.


def keys(frame) -> set[str]:
    return set(frame["key"])


def test_no_filters_shows_every_current_milestone(database_url):
    frame = queries.milestones(MilestoneFilters(), TODAY)
    assert len(frame) == 33


def test_project_filter_includes_work_streams(database_url):
    customer_journey = queries.milestones(MilestoneFilters(project="customer_journey"), TODAY)
    assert len(customer_journey) == 8
    # Personalised Support is the project the Customer Journey work-stream sits in (000 §5.5).
    assert keys(queries.milestones(MilestoneFilters(project="personalised_support"), TODAY)) == keys(
        customer_journey
    )


def test_organisation_and_programme_filters(database_url):
    barnet = queries.milestones(MilestoneFilters(organisation="barnet"), TODAY)
    assert len(barnet) == 8 and set(barnet["organisation"]) == {"London Borough of Barnet"}
    birmingham = queries.milestones(MilestoneFilters(organisation="bcc"), TODAY)
    assert len(birmingham) == 25
    with session_scope() as db:
        programme_key = db.scalars(
            select(m.Programme.key).join(m.Project).where(m.Project.key == "transition")
        ).one()
    assert len(queries.milestones(MilestoneFilters(programme=programme_key), TODAY)) == 17


def test_status_rag_owner_and_search_filters(database_url):
    blocked = queries.milestones(MilestoneFilters(status="Blocked"), TODAY)
    assert set(blocked["status"]) == {"Blocked"} and len(blocked) >= 1
    red = queries.milestones(MilestoneFilters(rag="Red"), TODAY)
    assert set(red["rag"]) == {"Red"}
    no_rag = queries.milestones(MilestoneFilters(rag="none"), TODAY)
    assert (
        no_rag["rag"].isna().all()
        and len(no_rag)
        + len(queries.milestones(MilestoneFilters(rag="Red"), TODAY))
        + len(queries.milestones(MilestoneFilters(rag="Amber"), TODAY))
        + len(queries.milestones(MilestoneFilters(rag="Green"), TODAY))
        == 33
    )
    owner = red["owner"].iloc[0]
    assert set(queries.milestones(MilestoneFilters(owner=owner), TODAY)["owner"]) == {owner}
    search = queries.milestones(MilestoneFilters(search="eclipse"), TODAY)
    assert len(search) == 2  # Eclipse go-lives in the Children's Trust and in Adult Social Care (004 §5.2.5)
    assert queries.milestones(MilestoneFilters(search="100%_"), TODAY).empty  # wildcards are literal


def _set(key: str, **values) -> None:
    with session_scope() as db:
        db.execute(update(m.Milestone).where(m.Milestone.key == key).values(**values))


def test_overdue_due_soon_and_stale(database_url):
    _set("tr_joint_market_review", status="In progress", forecast_end=dt.date(2026, 11, 20), actual_end=None)
    _set(
        "tr_enablement_14_25",
        status="In progress",
        forecast_end=dt.date(2026, 12, 21),
        actual_end=None,
        updated_at=dt.datetime(2026, 11, 10, 9, 0),
    )
    _set(
        "tr_phase2_18_25",
        status="In progress",
        forecast_end=dt.date(2026, 12, 22),
        actual_end=None,
        updated_at=dt.datetime(2026, 11, 9, 23, 59),
    )
    overdue = queries.milestones(MilestoneFilters(overdue=True), TODAY)
    assert "tr_joint_market_review" in keys(overdue)
    assert not overdue["status"].isin(["Complete", "Cancelled"]).any()
    # 4 weeks from 23 Nov 2026 is 21 Dec 2026: the 21st is in, the 22nd is not.
    due = queries.milestones(MilestoneFilters(due_within_weeks=4), TODAY)
    assert "tr_enablement_14_25" in keys(due) and "tr_phase2_18_25" not in keys(due)
    # Stale: not updated for 14+ days, i.e. before 9 Nov 2026.
    stale = queries.milestones(MilestoneFilters(stale=True), TODAY)
    assert "tr_phase2_18_25" in keys(stale) and "tr_enablement_14_25" not in keys(stale)
    assert "tr_enablement_14_25" in keys(
        queries.milestones(MilestoneFilters(stale=True), dt.date(2026, 11, 24))
    )


def test_retired_milestones_are_hidden_unless_asked_for(database_url):
    _set("cj_tu_consultation", retired=True)
    assert "cj_tu_consultation" not in keys(queries.milestones(MilestoneFilters(), TODAY))
    assert "cj_tu_consultation" in keys(queries.milestones(MilestoneFilters(include_retired=True), TODAY))


def test_slippage_in_working_days_and_weeks(database_url):
    # "Workforce Strategy and proposed service structure": baseline end 31 Dec 2018 (000 §5.15).
    # Forecast moved to Fri 11 Jan 2019: 31 Dec, 2–4 Jan and 7–10 Jan are working days (1 Jan is a
    # bank holiday) = 1 + 3 + 4 = 8 working days, 1.6 weeks.
    _set("cj_workforce_strategy", status="In progress", actual_end=None, forecast_end=dt.date(2019, 1, 11))
    row = queries.milestones(MilestoneFilters(search="Workforce Strategy"), TODAY).iloc[0]
    assert row["baseline_end"] == dt.date(2018, 12, 31)
    assert row["slippage_working_days"] == 8
    assert row["slippage_weeks"] == 1.6


def test_slippage_against_a_chosen_baseline(database_url):
    from dashboard import services
    from dashboard.auth import load_user

    with session_scope() as db:
        admin_id = db.scalars(select(m.User.id).where(m.User.username == "admin")).one()
    baseline_id = services.rebaseline_project(
        load_user(str(admin_id)), "transition", "Re-plan 2026", "2026-11-01"
    )
    latest = queries.milestones(MilestoneFilters(project="transition"), TODAY).set_index("key")
    original = queries.milestones(
        MilestoneFilters(project="transition", baseline="original"), TODAY
    ).set_index("key")
    chosen = queries.milestones(
        MilestoneFilters(project="transition", baseline=str(baseline_id)), TODAY
    ).set_index("key")
    # After re-planning on current forecasts, nothing has slipped against the new baseline…
    assert latest.loc["tr_joint_market_review", "slippage_working_days"] == 0
    assert chosen.loc["tr_joint_market_review", "baseline_name"] == "Re-plan 2026"
    # …while against the Cabinet's original plan (end 30 Jun 2019) it is years late.
    assert original.loc["tr_joint_market_review", "baseline_name"] == "Cabinet approval 26 Jun 2018"
    assert original.loc["tr_joint_market_review", "slippage_working_days"] > 1000


@pytest.mark.parametrize(
    "query",
    [
        {"project": "transition", "status": "In progress"},
        {"rag": "Red", "overdue": "1", "q": "short breaks"},
        {"due_within": "4", "stale": "1", "retired": "1", "baseline": "original", "org": "bcc"},
        {},
    ],
)
def test_filters_round_trip_through_the_url(query):
    filters = MilestoneFilters.from_query(query)
    assert filters.to_query() == query
    assert MilestoneFilters.from_query(filters.to_query()) == filters


def test_malformed_url_values_are_ignored():
    filters = MilestoneFilters.from_query(
        {"status": "Nope", "rag": "Purple", "due_within": "soon", "overdue": "x"}
    )
    assert filters == MilestoneFilters()


def _twin_project() -> None:
    """A second project with the same programme and name as Transition, and milestones with and
    without baselines in both, so plan order interleaves two projects' milestones."""
    with session_scope() as db:
        original = db.scalars(select(m.Project).where(m.Project.key == "transition")).one()
        twin = m.Project(key="transition_twin", name=original.name, programme_id=original.programme_id)
        db.add(twin)
        db.flush()
        for number in range(9):
            db.add(
                m.Milestone(
                    key=f"twin_{number}",
                    project_id=twin.id,
                    title=f"Twin milestone {number}",
                    owner="Twin owner",
                    status="In progress",
                    rag="Amber",
                    percent_complete=10,
                )
            )


@pytest.mark.parametrize("per_page", [1, 4, 7, 100])
def test_every_page_is_its_slice_of_the_whole_plan(database_url, per_page):
    _twin_project()
    today = dt.date(2026, 11, 23)
    everything = list(queries.milestones(MilestoneFilters(), today)["id"])
    pages = -(-len(everything) // per_page)
    drawn = []
    for page in range(1, pages + 2):  # and one past the end, which is empty
        frame = queries.milestones(MilestoneFilters(page=page, per_page=per_page), today, paged=True)
        assert list(frame["id"]) == everything[(page - 1) * per_page : page * per_page], page
        drawn.extend(frame["id"])
    assert drawn == everything
    # A filter narrows the plan before it is paged.
    amber = list(queries.milestones(MilestoneFilters(rag="Amber"), today)["id"])
    second = queries.milestones(MilestoneFilters(rag="Amber", page=2, per_page=per_page), today, paged=True)
    assert list(second["id"]) == amber[per_page : 2 * per_page]


def test_of_two_baselines_on_one_date_the_one_recorded_last_is_the_latest_everywhere(database_url, tmp_path):
    import csv

    from dashboard import services
    from dashboard.reports.export import export_csv
    from dashboard.services.core import SYSTEM
    from dashboard.services.importer import milestone_rows

    services.rebaseline_project(SYSTEM, "transition", "Re-plan A", "2026-11-01")
    with session_scope() as db:
        target = db.scalars(select(m.Milestone).where(m.Milestone.key == "tr_joint_market_review")).one()
        target.forecast_end = dt.date(2027, 5, 28)
    services.rebaseline_project(SYSTEM, "transition", "Re-plan B", "2026-11-01")

    row = (
        queries.milestones(MilestoneFilters(project="transition"), TODAY)
        .set_index("key")
        .loc["tr_joint_market_review"]
    )
    assert (row["baseline_name"], row["baseline_end"]) == ("Re-plan B", dt.date(2027, 5, 28))
    export_csv(tmp_path)
    with (tmp_path / "milestones.csv").open(encoding="utf-8-sig") as handle:
        exported = next(line for line in csv.DictReader(handle) if line["key"] == "tr_joint_market_review")
    assert (exported["baseline_name"], exported["baseline_end"]) == ("Re-plan B", "2027-05-28")
    with session_scope() as db:
        assert milestone_rows._latest_baseline_dates(db, [target.id])[target.id][1] == dt.date(2027, 5, 28)


def test_a_plan_of_many_projects_is_paged_as_it_is_listed(database_url):
    """Hundreds of projects, in threes sharing both names (their milestones interleave), some with
    only retired milestones: each page is still its slice of the whole plan."""
    with session_scope() as db:
        programme = m.Programme(key="many_projects", name="Many projects", organisation_id=1)
        db.add(programme)
        db.flush()
        for number in range(240):
            project = m.Project(
                key=f"many_{number}", name=f"Area {number // 3:03d}", programme_id=programme.id
            )
            db.add(project)
            db.flush()
            for slot in range(number % 4):
                db.add(
                    m.Milestone(
                        key=f"many_{number}_{slot}",
                        project_id=project.id,
                        title=f"Milestone {slot}",
                        status="In progress",
                        rag="Green",
                        forecast_end=dt.date(2027, 1, 1 + slot + number % 3),
                        retired=number % 5 == 0,
                    )
                )
    today = dt.date(2026, 11, 23)
    everything = list(queries.milestones(MilestoneFilters(), today)["id"])
    for per_page in (7, 100):
        drawn = []
        for page in range(1, -(-len(everything) // per_page) + 1):
            frame = queries.milestones(MilestoneFilters(page=page, per_page=per_page), today, paged=True)
            assert list(frame["id"]) == everything[(page - 1) * per_page : page * per_page], (per_page, page)
            drawn.extend(frame["id"])
        assert drawn == everything
