"""Who may edit what: one rule, as a check on a loaded row and as an SQL condition for edit pickers.

* an admin (the programme office) may edit every project's rows, and rows no project owns;
* a lead may edit the rows of the projects they lead and of those projects' work-streams;
* a viewer, and anyone signed out, may edit nothing.

Services decide on the row loaded from the database (`may_edit_project`); reads ask the same
question of the database (`editable_projects_condition`), so edit pickers offer only what a save
would accept. It lives beside `auth`, not in services, because reads need it too and reads never
import the write path; it runs no query itself.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, false, or_, select, true

from dashboard import models as m

ADMIN = "admin"
LEAD = "lead"
EDITOR_ROLES = (LEAD, ADMIN)


def is_admin(user) -> bool:
    """The programme office: may change anything."""
    return user is not None and getattr(user, "role", None) == ADMIN


def is_editor(user) -> bool:
    """A lead or an admin: someone who may edit some rows (which ones is `may_edit_project`'s say)."""
    return user is not None and getattr(user, "role", None) in EDITOR_ROLES


def _led(user) -> frozenset[int]:
    return frozenset(getattr(user, "led_project_ids", ()) or ())


def may_edit_project(user, project: m.Project | None) -> bool:
    """May `user` edit the rows of `project`, a row loaded from the database (None: no project owns
    the row, which is the programme office's alone)?"""
    if is_admin(user):
        return True
    if not is_editor(user) or project is None:
        return False
    led = _led(user)
    # The project's own parent, from the database row: a lead of a project leads its work-streams.
    return project.id in led or (project.parent_id is not None and project.parent_id in led)


def editable_project_ids_select(user) -> Select | None:
    """SQL: the ids of the projects `user` may edit; None when they may edit every project."""
    if is_admin(user):
        return None
    led = _led(user) if is_editor(user) else frozenset()
    return select(m.Project.id).where(or_(m.Project.id.in_(led), m.Project.parent_id.in_(led)))


def editable_projects_condition(user, project_id=m.Project.id) -> ColumnElement[bool]:
    """SQL: `project_id` (a column, for example `m.Milestone.project_id`) is one `user` may edit."""
    if is_admin(user):
        return true()
    if not is_editor(user) or not _led(user):
        return false()
    return project_id.in_(editable_project_ids_select(user))
