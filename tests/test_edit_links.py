"""Stable links to update forms (`?edit=ID` on /milestones, /actions and /savings, as reminder emails
give them) open that item's form once the page has its choices; anything else opens nothing and says why."""

from __future__ import annotations

from sqlalchemy import select

from dashboard import models as m
from dashboard.db import session_scope
from tests.helpers.renderer import open_page


def _first(model, *where) -> tuple[int, str]:
    title = getattr(model, "title", None) or model.description
    with session_scope() as db:
        row = db.execute(select(model.id, title).where(*where).order_by(model.id)).first()
    return int(row[0]), row[1]


def _project(key: str) -> int:
    with session_scope() as db:
        return db.scalars(select(m.Project.id).where(m.Project.key == key)).one()


def open_transition_milestone() -> tuple[int, str]:
    return _first(
        m.Milestone, m.Milestone.project_id == _project("transition"), m.Milestone.status == "In progress"
    )


def notice(page) -> str:
    return page.text()


def test_a_milestone_link_opens_its_update_form_for_its_lead(app, login_as):
    milestone_id, title = open_transition_milestone()
    page = open_page(app, login_as("transition.lead"), "/milestones", f"?edit={milestone_id}")
    assert not page.failures
    assert page.value("ms-edit-select", "value") == str(milestone_id)
    assert page.value("ms-edit-fields", "hidden") is False
    assert title in page.text()
    assert "Ignored" not in notice(page)


def test_a_link_to_someone_elses_or_a_missing_milestone_opens_nothing_and_says_so(app, login_as):
    milestone_id, _title = open_transition_milestone()
    page = open_page(app, login_as("cj.lead"), "/milestones", f"?edit={milestone_id}")
    assert not page.failures
    assert page.value("ms-edit-select", "value") in (None, "")
    assert page.value("ms-edit-fields", "hidden") is not False
    assert (
        f"Ignored the link's edit={milestone_id}: you may not update that milestone: nothing was opened."
        in notice(page)
    )

    missing = open_page(app, login_as("transition.lead"), "/milestones", "?edit=987654")
    assert "there is no milestone numbered 987654: nothing was opened" in notice(missing)
    crafted = open_page(app, login_as("transition.lead"), "/milestones", "?edit=%C2%B2")
    assert "Ignored the link's edit=²: not the number of one of the milestones." in notice(crafted)
    viewer = open_page(app, login_as("cabinet.member"), "/milestones", f"?edit={milestone_id}")
    assert not viewer.failures
    assert "you may not update milestones: nothing was opened" in notice(viewer)


def test_action_and_saving_line_links_open_their_forms(app, login_as):
    action_id, action_title = _first(
        m.ActionItem, m.ActionItem.project_id == _project("transition"), m.ActionItem.status == "In progress"
    )
    page = open_page(app, login_as("transition.lead"), "/actions", f"?edit={action_id}")
    assert not page.failures
    assert page.value("act-choose", "value") == str(action_id)
    assert action_title in page.text()
    assert "Save update" in page.text()  # the update form, not only the action's details
    refused = open_page(app, login_as("cj.lead"), "/actions", f"?edit={action_id}")
    assert "you may not update that action: nothing was opened" in notice(refused)
    assert refused.value("act-choose", "value") in (None, "")

    line_id, description = _first(m.SavingLine, m.SavingLine.project_id == _project("customer_journey"))
    savings = open_page(app, login_as("cj.lead"), "/savings", f"?edit={line_id}")
    assert not savings.failures
    assert savings.value("sv-edit-select", "value") == str(line_id)
    assert savings.value("sv-edit-fields", "hidden") is False
