"""Who may edit what: the check on a loaded row and the SQL condition give the same answer."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import select

from dashboard import models as m
from dashboard import policy
from dashboard import queries as milestone_queries
from dashboard.auth import SessionUser
from dashboard.db import session_scope
from dashboard.queries import actions as action_queries
from dashboard.queries import savings as saving_queries
from dashboard.services.core import SYSTEM

TODAY = dt.date(2026, 11, 23)


def project_ids(*keys: str) -> dict[str, int]:
    with session_scope() as db:
        return dict(db.execute(select(m.Project.key, m.Project.id).where(m.Project.key.in_(keys))).all())


def users() -> dict[str, object]:
    ids = project_ids("personalised_support", "customer_journey", "transition")

    def make(role: str, *led: str) -> SessionUser:
        return SessionUser(1, role, role, role, frozenset(ids[key] for key in led))

    return {
        "admin": make("admin"),
        "system": SYSTEM,
        "parent lead": make("lead", "personalised_support"),
        "work-stream lead": make("lead", "customer_journey"),
        "lead of nothing": make("lead"),
        "viewer who once led": make("viewer", "transition"),
        "nobody": None,
    }


def editable_in_python(user) -> set[str]:
    with session_scope() as db:
        return {
            project.key
            for project in db.scalars(select(m.Project)).all()
            if policy.may_edit_project(user, project)
        }


def editable_in_sql(user) -> set[str]:
    with session_scope() as db:
        return set(db.scalars(select(m.Project.key).where(policy.editable_projects_condition(user))).all())


def test_the_check_on_a_row_and_the_sql_condition_agree_for_every_kind_of_user(database_url):
    with session_scope() as db:
        every = set(db.scalars(select(m.Project.key)).all())
        keys = dict(db.execute(select(m.Project.id, m.Project.key)).all())
    for name, user in users().items():
        in_python, in_sql = editable_in_python(user), editable_in_sql(user)
        assert in_python == in_sql, name
        allowed = milestone_queries.editable_project_ids(user)
        assert (every if allowed is None else {keys[i] for i in allowed}) == in_python, name


def test_a_lead_edits_their_projects_and_work_streams_an_admin_all_and_a_viewer_none(database_url):
    everyone = users()
    assert {"personalised_support", "customer_journey"} <= editable_in_sql(everyone["parent lead"])
    assert editable_in_sql(everyone["work-stream lead"]) == {"customer_journey"}
    assert editable_in_sql(everyone["lead of nothing"]) == set()
    assert editable_in_sql(everyone["viewer who once led"]) == set()
    assert editable_in_sql(everyone["nobody"]) == set()
    assert milestone_queries.editable_project_ids(everyone["admin"]) is None
    assert milestone_queries.editable_project_ids(SYSTEM) is None


def test_a_row_no_project_owns_is_the_programme_offices_alone(database_url):
    everyone = users()
    assert policy.may_edit_project(everyone["admin"], None)
    assert not policy.may_edit_project(everyone["parent lead"], None)
    assert action_queries.user_can_update(everyone["admin"], None)
    assert not action_queries.user_can_update(everyone["parent lead"], None)


def test_the_forms_are_shown_to_whoever_the_policy_lets_edit_the_project(database_url):
    with session_scope() as db:
        projects = db.scalars(select(m.Project)).all()
        for name, user in users().items():
            for project in projects:
                shown = action_queries.user_can_update(user, project.id)
                assert shown == policy.may_edit_project(user, project), (name, project.key)


@pytest.mark.parametrize("name", ["admin", "parent lead", "work-stream lead", "lead of nothing"])
def test_the_edit_pickers_ask_the_database_for_editable_rows_only(database_url, name):
    user = users()[name]
    allowed = milestone_queries.editable_project_ids(user)
    filters = milestone_queries.MilestoneFilters(include_retired=policy.is_admin(user))
    every_milestone = milestone_queries.milestones(filters, TODAY)
    picked = milestone_queries.milestones(filters, TODAY, editable_by=user)
    expected = (
        every_milestone if allowed is None else every_milestone[every_milestone["project_id"].isin(allowed)]
    )
    assert picked["id"].tolist() == expected["id"].tolist()

    every_line = saving_queries.saving_lines(saving_queries.SavingFilters(), TODAY)
    picked = saving_queries.saving_lines(saving_queries.SavingFilters(), TODAY, editable_by=user)
    expected = every_line if allowed is None else every_line[every_line["project_id"].isin(allowed)]
    assert picked["id"].tolist() == expected["id"].tolist()
    assert name != "parent lead" or not picked.empty


def test_the_command_line_actor_has_every_attribute_of_a_signed_in_user():
    for attribute in [field.name for field in dataclasses.fields(SessionUser)] + ["is_admin", "is_editor"]:
        assert hasattr(SYSTEM, attribute), attribute
    assert SYSTEM.is_admin and SYSTEM.is_editor and not SYSTEM.leads(1)
