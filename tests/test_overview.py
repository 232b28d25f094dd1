"""The overview: headline facts, the plain-language sentences, and the board-meeting form over HTTP."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select, update

from dashboard import models as m
from dashboard.db import session_scope
from dashboard.queries import overview
from tests.helpers import callback_request, find_callback

TODAY = dt.date(2026, 11, 23)


def _set(key: str, **values) -> None:
    with session_scope() as db:
        db.execute(update(m.Milestone).where(m.Milestone.key == key).values(**values))


def test_plain_language_says_how_many_milestones_are_late(database_url):
    # Two of the eight Customer Journey activities (000 §5.15) are reopened and now overdue.
    for key in ("cj_tu_consultation", "cj_new_roles_selection"):
        _set(
            key,
            status="In progress",
            percent_complete=80,
            actual_end=None,
            forecast_end=dt.date(2026, 11, 20),
            rag="Red",
            rag_reason="Overdue",
        )
    sentences = overview.plain_language(overview.overview(TODAY))
    assert "2 of 8 Customer Journey milestones are late." in sentences


def test_plain_language_states_savings_per_council_in_pounds(database_url):
    # Customer Journey 2019/20 workforce saving: target about £6m (000 §4.2.2). Set a forecast of £5.2m.
    with session_scope() as db:
        db.execute(
            update(m.SavingLine)
            .where(m.SavingLine.key == "cj_workforce_2019_20")
            .values(forecast=5_200_000, realised=None, confidence="Medium")
        )
    sentences = overview.plain_language(overview.overview(TODAY))
    birmingham = next(s for s in sentences if s.startswith("Birmingham City Council"))
    assert "the latest forecast for 2019/20 savings is £5.2m against £6.0m" in birmingham
    # Barnet's 2019/20 target lines (003 §2 £3.2m identified; §3 £654k efficiency) are never added to Birmingham's.
    barnet = next(s for s in sentences if s.startswith("London Borough of Barnet"))
    assert "against £3.85m" in barnet


def test_headline_counts_match_the_milestones_page(database_url):
    from dashboard.queries.milestones import MilestoneFilters, milestones

    facts = overview.overview(TODAY)
    red = milestones(MilestoneFilters(rag="Red"), TODAY)
    assert facts.milestones.red == int(red["is_open"].sum())
    assert facts.milestones.total == 33


def test_viewer_cannot_add_a_board_meeting_over_http(app, login_as):
    key = find_callback(app, "ov-meeting-message.children")
    body = callback_request(
        app,
        key,
        values={
            ("ov-meeting-save", "n_clicks"): 1,
            ("ov-meeting-date", "value"): "2026-12-01",
            ("ov-meeting-title", "value"): "Board",
        },
        triggered="ov-meeting-save.n_clicks",
    )
    assert login_as("cabinet.member").post("/_dash-update-component", json=body).status_code == 403
    assert login_as("cj.lead").post("/_dash-update-component", json=body).status_code == 403
    with session_scope() as db:
        assert (
            db.scalars(
                select(m.BoardMeeting).where(m.BoardMeeting.meeting_date == dt.date(2026, 12, 1))
            ).first()
            is None
        )
    response = login_as("admin").post("/_dash-update-component", json=body)
    assert response.status_code == 200
    assert "Added the meeting of 1 Dec 2026" in response.get_data(as_text=True)


def test_headlines_callback_links_each_tile_to_its_filtered_page(app, login_as):
    key = find_callback(app, "ov-tiles.children")
    response = login_as("cabinet.member").post(
        "/_dash-update-component", json=callback_request(app, key, values={("ov-plain", "id"): "ov-plain"})
    )
    text = json.dumps(json.loads(response.get_data(as_text=True))["response"])
    for href in (
        "/milestones?rag=Red",
        "/milestones?overdue=1",
        "/milestones?due_within=4",
        "/actions?overdue=1",
        "/actions?status=awaiting",
        "/savings?org=bcc&fy=2019%2F20",
        "/savings?org=barnet&fy=2019%2F20",
        "/kpis#kpi-exc",
    ):
        assert href in text, href


def test_every_headline_agrees_with_the_page_it_links_to(database_url):
    """The overview counts in SQL; each page computes its own rows. Both must tell the board the same."""
    from decimal import Decimal

    from dashboard.queries import actions as action_queries
    from dashboard.queries import savings as saving_queries
    from dashboard.queries.milestones import MilestoneFilters, milestones

    # Make the picture varied: late, due soon, stale, retired, awaiting sign-off, accepted.
    _set("cj_tu_consultation", status="In progress", actual_end=None, forecast_end=dt.date(2026, 11, 20))
    _set("cj_new_roles_selection", status="In progress", actual_end=None, forecast_end=dt.date(2026, 12, 10))
    _set("tr_joint_market_review", retired=True)
    with session_scope() as db:
        keys = db.scalars(select(m.ActionItem.key).order_by(m.ActionItem.id).limit(3)).all()
        db.execute(
            update(m.ActionItem)
            .where(m.ActionItem.key == keys[0])
            .values(status="Complete", evidence_status="awaiting")
        )
        db.execute(
            update(m.ActionItem)
            .where(m.ActionItem.key == keys[1])
            .values(status="Complete", evidence_status="accepted")
        )
        db.execute(
            update(m.ActionItem)
            .where(m.ActionItem.key == keys[2])
            .values(status="In progress", due_date=dt.date(2026, 1, 1), updated_at=dt.datetime(2026, 1, 1))
        )

    facts = overview.overview(TODAY)

    frame = milestones(MilestoneFilters(), TODAY)
    open_rows = frame[frame["is_open"]]
    assert facts.milestones.total == len(frame)
    assert facts.milestones.open == len(open_rows)
    for rag in ("Red", "Amber", "Green"):
        assert getattr(facts.milestones, rag.lower()) == int((open_rows["rag"] == rag).sum())
    assert facts.milestones.overdue == int(frame["overdue"].sum()) >= 1
    assert facts.milestones.due_in_4_weeks == int(frame["due_in_4_weeks"].sum()) >= 1
    by_project = {
        project: (int(rows["overdue"].sum()), len(rows)) for project, rows in frame.groupby("project")
    }
    assert {project: (late, total) for project, late, total in facts.milestones.late_by_project} == by_project

    actions = action_queries.action_items(action_queries.ActionFilters(), TODAY)
    assert facts.actions.total == len(actions)
    assert facts.actions.open == int((~actions["status"].isin(("Complete", "Cancelled"))).sum())
    assert facts.actions.overdue == int(actions["overdue"].sum()) >= 1
    assert (
        facts.actions.awaiting_sign_off
        == int((actions["display_status"] == action_queries.AWAITING).sum())
        >= 1
    )
    assert facts.actions.accepted == int((actions["display_status"] == action_queries.ACCEPTED).sum()) >= 1

    for saving in facts.savings:
        organisation_key = _organisation_key(saving.organisation)
        lines = saving_queries.saving_lines(
            saving_queries.SavingFilters(organisation=organisation_key, financial_year=saving.financial_year),
            TODAY,
        )
        totals = saving_queries.totals(lines)
        assert (saving.target, saving.forecast, saving.realised) == (
            totals["target"],
            totals["forecast"],
            totals["realised"],
        )
        assert (saving.lines, saving.at_risk) == (totals["lines"], totals["at_risk"])
        assert saving.target > Decimal(0)

    stale_owners: dict[str, int] = {}
    for owner in frame.loc[frame["stale"], "owner"]:
        stale_owners[owner or "No owner recorded"] = stale_owners.get(owner or "No owner recorded", 0) + 1
    cutoff = dt.datetime.combine(TODAY - dt.timedelta(days=13), dt.time.min)
    stale_actions = actions[
        ~actions["status"].isin(("Complete", "Cancelled")) & (actions["updated_at"] < cutoff)
    ]
    for owner in stale_actions["owner"]:
        stale_owners[owner or "No owner recorded"] = stale_owners.get(owner or "No owner recorded", 0) + 1
    assert dict(facts.updates_owed) == stale_owners
    assert stale_owners


def _organisation_key(name: str) -> str:
    with session_scope() as db:
        return db.scalars(select(m.Organisation.key).where(m.Organisation.name == name)).one()


def test_plain_language_names_the_five_latest_projects_and_counts_the_rest():
    late = [(f"Project {n:03d}", n % 4, 10) for n in range(1, 301)]  # 225 projects have late milestones
    facts = overview.Overview(
        today=TODAY,
        milestones=overview.MilestoneFacts(3000, 2000, 10, 20, 30, 450, 5, late, False),
        actions=overview.ActionFacts(0, 0, 0, 0, 0, False),
        savings=[],
        kpis=overview.KpiFacts(0),
        updates_owed=[],
    )
    sentence = overview.plain_language(facts)[0]
    assert sentence.startswith(
        "3 of 10 Project 003 milestones are late; 3 of 10 Project 007 milestones are late;"
    )
    assert sentence.count(" milestones are late;") == 5
    named = 5 * 3
    late_total = sum(count for _, count, _ in late)
    assert sentence.endswith(f"and {late_total - named} milestones are late in {225 - 5} other projects."), (
        sentence
    )


def test_each_council_shows_this_years_savings_or_else_its_latest_year_before(database_url):
    # TODAY is in 2026/27. Birmingham's seed lines end in 2019/20; give it one 2026/27 line and one
    # for 2027/28, which is later than this year and so never shown. Barnet's lines all move to 2030/31.
    with session_scope() as db:
        project_id = db.scalars(
            select(m.SavingLine.project_id).where(m.SavingLine.key == "cj_workforce_2019_20")
        ).one()
        for year, target in ((2026, 120_000), (2027, 999_000)):
            db.add(
                m.SavingLine(
                    key=f"cj_overview_{year}",
                    project_id=project_id,
                    financial_year=year,
                    description=f"Line for {year}",
                    category="efficiency",
                    target=target,
                    forecast=None,
                    realised=30_000,
                    confidence="High",
                    version=1,
                    updated_by="admin",
                )
            )
        barnet = (
            select(m.Project.id)
            .join(m.Programme, m.Programme.id == m.Project.programme_id)
            .join(m.Organisation, m.Organisation.id == m.Programme.organisation_id)
            .where(m.Organisation.name == "London Borough of Barnet")
        )
        db.execute(
            update(m.SavingLine).where(m.SavingLine.project_id.in_(barnet)).values(financial_year=2030)
        )

    facts = {saving.organisation: saving for saving in overview.overview(TODAY).savings}
    birmingham = facts["Birmingham City Council"]
    assert (birmingham.financial_year, birmingham.is_current_year, birmingham.lines) == (2026, True, 1)
    assert (birmingham.target, birmingham.forecast, birmingham.realised) == (120_000, 120_000, 30_000)
    assert facts["London Borough of Barnet"].financial_year is None

    sentences = overview.plain_language(overview.overview(TODAY))
    assert any(
        s.startswith("Birmingham City Council: the latest forecast for 2026/27 savings is £120k")
        for s in sentences
    )
    assert not any(s.startswith("London Borough of Barnet") for s in sentences)
