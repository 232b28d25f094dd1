""" "Owed by me for the next board" on the milestones, actions and savings pages: a lead sees just
the items they owe an update on; a viewer, nothing."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from dashboard import clock
from dashboard import models as m
from dashboard.db import session_scope
from dashboard.queries import update_window as window_queries
from dashboard.services.board import add_board_meeting
from tests.helpers import user
from tests.helpers.renderer import open_page

TABLE = ("ms-table-near",)  # the milestones table, once scrolled to


def _project(key: str) -> int:
    with session_scope() as db:
        return db.scalars(select(m.Project.id).where(m.Project.key == key)).one()


def setup_window() -> tuple[set[int], int, int]:
    """A next board; Transition's milestones and actions untouched since the last board's due
    moment but one milestone; one of Customer Journey's saving lines current and untouched.
    Returns (owed milestone ids, the updated one, the owed saving line)."""
    add_board_meeting(user("admin"), clock.today() + dt.timedelta(days=10))
    window = window_queries.next_window(clock.today())
    before = window.opens_at - dt.timedelta(days=1)
    transition, journey = _project("transition"), _project("customer_journey")
    year = window.meeting_date.year if window.meeting_date.month >= 4 else window.meeting_date.year - 1
    with session_scope() as db:
        open_ids = list(
            db.scalars(
                select(m.Milestone.id)
                .where(
                    m.Milestone.project_id == transition, m.Milestone.status.not_in(("Complete", "Cancelled"))
                )
                .order_by(m.Milestone.id)
            )
        )
        for model in (m.Milestone, m.ActionItem):
            db.execute(
                update(model)
                .where(
                    model.project_id.in_((transition, journey)),
                    model.id != (open_ids[0] if model is m.Milestone else 0),
                )
                .values(updated_at=before)
                .execution_options(synchronize_session=False)
            )
        line = db.scalars(select(m.SavingLine).where(m.SavingLine.project_id == journey)).first()
        line.financial_year, line.confidence = year, "Medium"
        db.flush()
        db.execute(
            update(m.SavingLine)
            .where(m.SavingLine.id == line.id)
            .values(updated_at=before)
            .execution_options(synchronize_session=False)
        )
        line_id = line.id
    return set(open_ids[1:]), open_ids[0], line_id


def test_owed_by_me_shows_a_lead_only_what_they_owe(app, login_as):
    owed, updated, line_id = setup_window()
    transition = login_as("transition.lead")
    everything = open_page(app, transition, "/milestones", scrolled=TABLE)
    page = open_page(app, transition, "/milestones", "?owed=1", scrolled=TABLE)
    assert not page.failures
    shown = {row["id"] for row in page.value("ms-grid", "rowData")}
    assert shown == owed
    assert updated not in shown
    assert len(everything.value("ms-grid", "rowData")) > len(shown)
    assert "owed" in page.value("ms-filter-flags", "value")

    actions = open_page(app, transition, "/actions", "?owed=1")
    assert not actions.failures
    with session_scope() as db:
        transition_open = set(
            db.scalars(
                select(m.ActionItem.id).where(
                    m.ActionItem.project_id == _project("transition"),
                    m.ActionItem.status.not_in(("Complete", "Cancelled")),
                )
            )
        )
    assert {
        int(o["value"]) for o in actions.value("act-choose", "options") if o.get("value")
    } == transition_open

    # The lines are read once the reader scrolls to them.
    savings = open_page(app, login_as("cj.lead"), "/savings", "?owed=1", scrolled=("sv-lines-near",))
    assert not savings.failures
    assert [int(row["id"]) for row in savings.value("sv-grid", "rowData")] == [line_id]
    # cj.lead owes no milestone: the filter shows none.
    assert (
        open_page(app, login_as("cj.lead"), "/milestones", "?owed=1", scrolled=TABLE).value(
            "ms-grid", "rowData"
        )
        == []
    )


def test_a_viewer_owes_nothing_and_is_not_offered_the_filter(app, login_as):
    setup_window()
    viewer = login_as("cabinet.member")
    page = open_page(app, viewer, "/milestones")
    assert "Owed by me for the next board" not in page.text()
    filtered = open_page(app, viewer, "/milestones", "?owed=1", scrolled=TABLE)
    assert not filtered.failures
    assert filtered.value("ms-grid", "rowData") == []
