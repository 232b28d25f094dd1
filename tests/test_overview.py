"""The overview: headline facts, the plain-language sentences, and the board-meeting form over HTTP."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select, update

from dashboard import models as m
from dashboard.db import session_scope
from dashboard.queries import overview
from tests.conftest import callback_request, find_callback

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
        "/savings?fy=2019%2F20",
        "/kpis#kpi-exc",
    ):
        assert href in text, href
