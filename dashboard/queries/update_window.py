"""The update window before each board meeting: what each lead owes for the next meeting, what came in
late for the last one, and when each lead was last reminded.

An update is owed for a meeting when an open milestone, an open action or a current saving line (this
financial year's or later, not yet Delivered) of a project has not been changed since the previous
meeting's updates-due moment. With no earlier meeting, every such item is owed. A lead owes the items
of the projects they lead and of those projects' work-streams (the edit policy's rule).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, literal, or_, select, union_all

from dashboard import models as m
from dashboard import policy
from dashboard.db import session_scope
from dashboard.domain.formatting import financial_year_of
from dashboard.domain.update_window import updates_due
from dashboard.queries.milestones.filters import CLOSED_STATUSES

# How each kind of item is named, where its update form opens, and what the audit trail calls it.
KINDS = ("milestone", "action", "saving")
KIND_LABELS = {"milestone": "Milestone", "action": "Action", "saving": "Saving line"}
KIND_PAGES = {"milestone": "/milestones", "action": "/actions", "saving": "/savings"}
AUDIT_ENTITIES = {"milestone": "milestone", "action": "action_item", "saving": "saving_line"}
NO_LEAD = "No lead recorded"


@dataclass(frozen=True)
class Window:
    """One meeting's update window: updates made from `opens_at` (the previous meeting's due moment)
    count for it, and are due by `due_at` (naive UTC)."""

    meeting_id: int
    meeting_date: dt.date
    title: str
    due_at: dt.datetime
    due_set: bool  # an admin set this meeting's due moment (else it is the default)
    opens_at: dt.datetime | None  # None: no earlier meeting, so every open item is owed
    version: int = 1


@dataclass(frozen=True)
class Item:
    kind: str  # milestone | action | saving
    id: int
    title: str
    project_id: int | None
    project: str
    updated_at: dt.datetime

    @property
    def path(self) -> str:
        """The stable link that opens this item's update form (after sign-in)."""
        return f"{KIND_PAGES[self.kind]}?edit={self.id}"

    @property
    def token(self) -> str:
        return f"{self.kind}:{self.id}"


@dataclass(frozen=True)
class Lead:
    user_id: int
    username: str
    display_name: str
    email: str | None
    project_ids: frozenset[int]

    @property
    def name(self) -> str:
        return self.display_name or self.username


@dataclass
class LeadItems:
    lead: Lead | None  # None: items whose project has no lead (or no project: the programme office's)
    items: list[Item] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.lead.name if self.lead else NO_LEAD


def windows() -> list[Window]:
    """Every recorded meeting's window, in date order."""
    with session_scope() as db:
        rows = db.execute(
            select(
                m.BoardMeeting.id,
                m.BoardMeeting.meeting_date,
                m.BoardMeeting.title,
                m.BoardMeeting.updates_due_at,
                m.BoardMeeting.version,
            ).order_by(m.BoardMeeting.meeting_date)
        ).all()
    found: list[Window] = []
    previous_due = None
    for meeting_id, meeting_date, title, stored_due, version in rows:
        due = updates_due(meeting_date, stored_due)
        found.append(
            Window(meeting_id, meeting_date, title, due, stored_due is not None, previous_due, version)
        )
        previous_due = due
    return found


def next_window(today: dt.date, found: list[Window] | None = None) -> Window | None:
    """The window of the next meeting: the first after `today` (a meeting today has been held)."""
    return next((w for w in (windows() if found is None else found) if w.meeting_date > today), None)


def window_by_id(meeting_id: int) -> Window | None:
    return next((w for w in windows() if w.meeting_id == meeting_id), None)


def last_due_window(now: dt.datetime, found: list[Window] | None = None) -> Window | None:
    """The latest meeting whose updates were due by `now` (naive UTC): where updates could be late."""
    passed = [w for w in (windows() if found is None else found) if w.due_at <= now]
    return passed[-1] if passed else None


def _item_selects(meeting_date: dt.date):
    """One SELECT per kind of item an update is owed on: (kind, id, title, project_id, updated_at)."""
    year = financial_year_of(meeting_date)
    return [
        select(
            literal("milestone").label("kind"),
            m.Milestone.id.label("id"),
            m.Milestone.title.label("title"),
            m.Milestone.project_id.label("project_id"),
            m.Milestone.updated_at.label("updated_at"),
        ).where(m.Milestone.status.not_in(CLOSED_STATUSES), m.Milestone.retired.is_(False)),
        select(
            literal("action"),
            m.ActionItem.id,
            m.ActionItem.title,
            m.ActionItem.project_id,
            m.ActionItem.updated_at,
        ).where(m.ActionItem.status.not_in(CLOSED_STATUSES)),
        select(
            literal("saving"),
            m.SavingLine.id,
            m.SavingLine.description,
            m.SavingLine.project_id,
            m.SavingLine.updated_at,
        ).where(
            m.SavingLine.financial_year >= year,
            func.coalesce(m.SavingLine.confidence, "") != "Delivered",
        ),
    ]


_KIND_ORDER = {kind: index for index, kind in enumerate(KINDS)}


def item_order(item: Item) -> tuple:
    """Items' order in every list: by project, then milestones, actions and saving lines, then title."""
    return (item.project, _KIND_ORDER[item.kind], item.title, item.id)


def _named(rows) -> list[Item]:
    with session_scope() as db:
        names = dict(db.execute(select(m.Project.id, m.Project.name)).all())
    items = [
        Item(kind, int(item_id), title, project_id, names.get(project_id, ""), updated_at)
        for kind, item_id, title, project_id, updated_at in rows
    ]
    return sorted(items, key=item_order)


def _in_projects(column, project_ids: Collection[int | None]):
    """SQL: `column` (a project id) is one of `project_ids` (None: no project)."""
    linked = [project_id for project_id in project_ids if project_id is not None]
    return or_(column.in_(linked), *([column.is_(None)] if None in project_ids else []))


def _owed_conditions(window: Window, union) -> list:
    return [union.c.updated_at < window.opens_at] if window.opens_at is not None else []


def owed_items(
    window: Window, editable_by=None, project_ids: Collection[int | None] | None = None
) -> list[Item]:
    """The open items not changed since the window opened (all of them when it has no start), in one
    statement; with `editable_by`, only those that user may update; with `project_ids`, only those
    projects' items."""
    union = union_all(*_item_selects(window.meeting_date)).subquery("items")
    statement = select(union.c.kind, union.c.id, union.c.title, union.c.project_id, union.c.updated_at)
    statement = statement.where(*_owed_conditions(window, union))
    if editable_by is not None:
        statement = statement.where(policy.editable_projects_condition(editable_by, union.c.project_id))
    if project_ids is not None:
        statement = statement.where(_in_projects(union.c.project_id, project_ids))
    with session_scope() as db:
        rows = db.execute(statement).all()
    return _named(rows)


def _first_per_project(
    items, limit: int, project_ids: Collection[int | None]
) -> dict[int | None, list[Item]]:
    """Up to `limit` of the `items` subquery's rows in each of `project_ids` (None: no project),
    milestones first, then actions and saving lines, each kind oldest first: one statement."""
    if not project_ids:
        return {}
    numbered = (
        select(
            items.c.kind,
            items.c.id,
            items.c.title,
            items.c.project_id,
            items.c.updated_at,
            func.row_number()
            .over(
                partition_by=items.c.project_id, order_by=(case(_KIND_ORDER, value=items.c.kind), items.c.id)
            )
            .label("position"),
        )
        .where(_in_projects(items.c.project_id, project_ids))
        .subquery("numbered")
    )
    rows = _execute(
        select(
            numbered.c.kind, numbered.c.id, numbered.c.title, numbered.c.project_id, numbered.c.updated_at
        ).where(numbered.c.position <= limit)
    )
    found: dict[int | None, list[Item]] = {}
    for item in _named(rows):
        found.setdefault(item.project_id, []).append(item)
    return found


def _owed_union(window: Window):
    union = union_all(*_item_selects(window.meeting_date)).subquery("items")
    return select(union).where(*_owed_conditions(window, union)).subquery("owed")


def owed_counts(window: Window) -> dict[int | None, int]:
    """How many items owe an update, per project (None: no project), counted in SQL."""
    union = union_all(*_item_selects(window.meeting_date)).subquery("items")
    rows = _execute(
        select(union.c.project_id, func.count())
        .where(*_owed_conditions(window, union))
        .group_by(union.c.project_id)
    )
    return {project_id: int(count) for project_id, count in rows}


def _late_union(window: Window):
    """The items union (kind, id, title, project_id, updated_at) of the window's late items: those whose
    first change since it opened came after its due moment and by the end of the meeting's day, found by
    joining each item to its first change in the audit trail (in SQL, however many there are)."""
    union = union_all(*_item_selects(window.meeting_date)).subquery("items")
    conditions = [m.AuditEvent.entity.in_(AUDIT_ENTITIES.values())]
    if window.opens_at is not None:
        conditions.append(m.AuditEvent.at >= window.opens_at)
    meeting_end = dt.datetime.combine(window.meeting_date, dt.time.max)
    first = (
        select(m.AuditEvent.entity, m.AuditEvent.entity_id, func.min(m.AuditEvent.at).label("first_at"))
        .where(*conditions, m.AuditEvent.at <= meeting_end)
        .group_by(m.AuditEvent.entity, m.AuditEvent.entity_id)
        .subquery("first_changes")
    )
    return (
        select(union.c.kind, union.c.id, union.c.title, union.c.project_id, union.c.updated_at)
        .join(
            first,
            and_(first.c.entity == case(AUDIT_ENTITIES, value=union.c.kind), first.c.entity_id == union.c.id),
        )
        .where(first.c.first_at >= window.due_at)
        .subquery("late")
    )


def late_items(window: Window, project_ids: Collection[int | None] | None = None) -> list[Item]:
    """Items of the window's kinds whose first change since it opened came after its due moment and by
    the end of the meeting's day: updated, but late for that board. Read from the audit trail; with
    `project_ids`, only those projects' items."""
    late = _late_union(window)
    statement = select(late.c.kind, late.c.id, late.c.title, late.c.project_id, late.c.updated_at)
    if project_ids is not None:
        statement = statement.where(_in_projects(late.c.project_id, project_ids))
    return _named(_execute(statement))


def late_counts(window: Window) -> dict[int | None, int]:
    """How many items came in late for the window, per project (None: no project), counted in SQL."""
    late = _late_union(window)
    rows = _execute(select(late.c.project_id, func.count()).group_by(late.c.project_id))
    return {project_id: int(count) for project_id, count in rows}


def _execute(statement) -> list:
    with session_scope() as db:
        return list(db.execute(statement).all())


def leads() -> list[Lead]:
    """Active users with the lead role and the projects they lead, by name."""
    with session_scope() as db:
        users = db.execute(
            select(m.User.id, m.User.username, m.User.display_name, m.User.email)
            .where(m.User.role == policy.LEAD, m.User.active.is_(True))
            .order_by(m.User.display_name, m.User.username)
        ).all()
        led = db.execute(select(m.project_leads.c.user_id, m.project_leads.c.project_id)).all()
    projects: dict[int, set[int]] = {}
    for user_id, project_id in led:
        projects.setdefault(user_id, set()).add(project_id)
    return [
        Lead(user_id, username, display_name or "", email, frozenset(projects.get(user_id, ())))
        for user_id, username, display_name, email in users
    ]


def _leads_by_project(everyone: list[Lead]) -> dict[int, list[Lead]]:
    """Each project's leads: looked up once per item or project, rather than every lead searched."""
    led_by: dict[int, list[Lead]] = {}
    for lead in everyone:
        for project_id in lead.project_ids:
            led_by.setdefault(project_id, []).append(lead)
    return led_by


def by_lead(items: list[Item]) -> list[LeadItems]:
    """Each item under every lead who may update it (a lead of its project or of its parent); items
    no lead may update last, under "No lead recorded". Leads who owe nothing are left out."""
    with session_scope() as db:
        parents = dict(db.execute(select(m.Project.id, m.Project.parent_id)).all())
    everyone = leads()
    groups = {lead.user_id: LeadItems(lead) for lead in everyone}
    led_by = _leads_by_project(everyone)
    unled = LeadItems(None)
    for item in items:
        owners = {item.project_id, parents.get(item.project_id)} - {None}
        matched = {lead.user_id for owner in owners for lead in led_by.get(owner, ())}
        for user_id in matched:
            groups[user_id].items.append(item)
        if not matched:
            unled.items.append(item)
    return [group for group in groups.values() if group.items] + ([unled] if unled.items else [])


@dataclass(frozen=True)
class LeadCount:
    """How many items a lead (None: no lead) has, and the projects they are in."""

    lead: Lead | None
    count: int
    project_ids: tuple[int | None, ...]

    @property
    def name(self) -> str:
        return self.lead.name if self.lead else NO_LEAD


def counts_by_lead(per_project: dict[int | None, int]) -> list[LeadCount]:
    """by_lead's grouping from per-project counts: each project's items under every lead who may update
    them, those no lead may update last; leads with none are left out."""
    with session_scope() as db:
        parents = dict(db.execute(select(m.Project.id, m.Project.parent_id)).all())
    everyone = leads()
    led_by = _leads_by_project(everyone)
    projects: dict[int, list] = {lead.user_id: [] for lead in everyone}
    unled: list = []
    for project_id in per_project:
        owners = {project_id, parents.get(project_id)} - {None}
        matched = {lead.user_id: lead for owner in owners for lead in led_by.get(owner, ())}.values()
        for lead in matched:
            projects[lead.user_id].append(project_id)
        if not matched:
            unled.append(project_id)
    groups = [
        LeadCount(lead, sum(per_project[p] for p in projects[lead.user_id]), tuple(projects[lead.user_id]))
        for lead in everyone
        if projects[lead.user_id]
    ]
    return groups + ([LeadCount(None, sum(per_project[p] for p in unled), tuple(unled))] if unled else [])


def first_by_lead(groups: list[LeadCount], items_of, limit: int) -> list[LeadItems]:
    """The first `limit` rows of by_lead's list (lead by lead), reading only the leads' items needed:
    `items_of(project_ids)` gives a group's items."""
    found: list[LeadItems] = []
    for group in groups:
        if limit <= 0:
            break
        items = items_of(group.project_ids)[:limit]
        found.append(LeadItems(group.lead, items))
        limit -= len(items)
    return found


def owed_by_lead(window: Window) -> list[LeadItems]:
    return by_lead(owed_items(window))


def first_by_lead_counted(
    per_project: dict[int | None, int], first_of, limit: int
) -> list[tuple[LeadCount, list[Item]]]:
    """Each lead with items (by_lead's grouping and order), how many they have (from `per_project`
    counts) and up to `limit` of them in item_order. `first_of(project_ids)` reads up to `limit` items
    of each of those projects; only the projects a lead's first items can come from are read (item_order
    is by project name first), so a large programme's leads need a project or two each."""
    groups = counts_by_lead(per_project)
    with session_scope() as db:
        names = dict(db.execute(select(m.Project.id, m.Project.name)).all())
    wanted: dict[int, list[int | None]] = {}
    for index, group in enumerate(groups):
        running = 0
        for project_id in sorted(group.project_ids, key=lambda p: (names.get(p, ""), p or 0)):
            wanted.setdefault(index, []).append(project_id)
            running += per_project.get(project_id, 0)
            if running >= limit:
                break
    first = first_of({project_id for projects in wanted.values() for project_id in projects})
    return [
        (
            group,
            sorted(
                (item for project_id in wanted.get(index, ()) for item in first.get(project_id, ())),
                key=item_order,
            )[:limit],
        )
        for index, group in enumerate(groups)
    ]


def owed_first_by_lead(window: Window, limit: int) -> list[tuple[LeadCount, list[Item]]]:
    """What each lead owes for the window: counted per project in SQL and read `limit` a project at most,
    so the overview does not read every owed item of a large programme."""
    return first_by_lead_counted(
        owed_counts(window), lambda projects: _first_per_project(_owed_union(window), limit, projects), limit
    )


def late_first_by_lead(window: Window, limit: int) -> list[tuple[LeadCount, list[Item]]]:
    """What came in late for the window, per lead, as owed_first_by_lead."""
    return first_by_lead_counted(
        late_counts(window), lambda projects: _first_per_project(_late_union(window), limit, projects), limit
    )


def last_reminded(meeting_id: int) -> dict[int, dt.datetime]:
    """When each lead was last sent a reminder for the meeting, by user id."""
    with session_scope() as db:
        rows = db.execute(
            select(m.Reminder.user_id, func.max(m.Reminder.sent_at))
            .where(m.Reminder.meeting_id == meeting_id)
            .group_by(m.Reminder.user_id)
        ).all()
    return {user_id: sent_at for user_id, sent_at in rows}


def may_update(user, kind: str, item_id: int) -> bool | None:
    """May `user` update this item? None when there is no such (current) item."""
    model = {"milestone": m.Milestone, "action": m.ActionItem, "saving": m.SavingLine}[kind]
    with session_scope() as db:
        row = db.execute(
            select(model.id, policy.editable_projects_condition(user, model.project_id)).where(
                model.id == item_id
            )
        ).first()
    if row is None:
        return None
    return bool(row[1])


def owed_conditions(kind: str, today: dt.date, user=None) -> list:
    """SQL: the rows of `kind` the signed-in user (or `user`) owes an update on for the next meeting
    ("owed by me" on the milestones, actions and savings pages); nothing when there is no next
    meeting or the user may edit nothing."""
    from sqlalchemy import false

    if user is None:
        from dashboard.auth import signed_in_user  # the request's user; imported here, reads need not sign in

        user = signed_in_user()
    window = next_window(today)
    if window is None or not policy.is_editor(user):
        return [false()]
    model = {"milestone": m.Milestone, "action": m.ActionItem, "saving": m.SavingLine}[kind]
    if kind == "saving":
        conditions = [
            m.SavingLine.financial_year >= financial_year_of(window.meeting_date),
            func.coalesce(m.SavingLine.confidence, "") != "Delivered",
        ]
    else:
        conditions = [model.status.not_in(CLOSED_STATUSES)]
        if kind == "milestone":
            conditions.append(m.Milestone.retired.is_(False))
    if window.opens_at is not None:
        conditions.append(model.updated_at < window.opens_at)
    conditions.append(policy.editable_projects_condition(user, model.project_id))
    return conditions
