"""Which projects a user may edit, as ids (an edit picker filters in SQL through `milestones`)."""

from __future__ import annotations

from sqlalchemy import select

from dashboard import models as m
from dashboard import policy
from dashboard.db import session_scope


def editable_project_ids(user) -> set[int] | None:
    """The ids of the projects `user` may edit (`dashboard.policy`); None means all (an admin).

    An edit picker asks `milestones(..., editable_by=user)` instead, which filters in SQL.
    """
    if policy.is_admin(user):
        return None
    if not policy.is_editor(user):
        return set()
    with session_scope() as db:
        return set(db.scalars(select(m.Project.id).where(policy.editable_projects_condition(user))).all())
