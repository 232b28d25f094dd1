"""Audit trail reads: the change log, filtered."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import func, null, select
from sqlalchemy.orm import Session

from dashboard import models as m
from dashboard.db import session_scope
from dashboard.domain.formatting import financial_year_label
from dashboard.queries.params import LinkedFilters, QueryParams, present
from dashboard.reports.values import ENTITY_LABELS

# What each kind of item is called, by id: (id, name, and up to two more parts of it).
_ITEM_NAMES = {
    "milestone": lambda: select(m.Milestone.id, m.Milestone.title, null(), null()),
    "action_item": lambda: select(m.ActionItem.id, m.ActionItem.title, null(), null()),
    "saving_line": lambda: select(
        m.SavingLine.id, m.SavingLine.description, m.SavingLine.financial_year, null()
    ),
    "board_meeting": lambda: select(m.BoardMeeting.id, m.BoardMeeting.title, null(), null()),
    "kpi_value": lambda: (
        select(m.KpiValue.id, m.Kpi.code, m.Area.name, m.KpiValue.period_label)
        .join(m.Kpi, m.Kpi.id == m.KpiValue.kpi_id)
        .join(m.Area, m.Area.id == m.KpiValue.area_id)
    ),
    "user": lambda: select(m.User.id, m.User.username, null(), null()),
    "project": lambda: select(m.Project.id, m.Project.name, null(), null()),
    "transition_measure": lambda: select(m.TransitionMeasure.id, m.Kpi.name, m.Kpi.code, null()).join(
        m.Kpi, m.Kpi.id == m.TransitionMeasure.kpi_id
    ),
    "self_assessment_rating": lambda: select(
        m.SelfAssessmentRating.id, m.SelfAssessmentDomain.name, m.SelfAssessmentRating.year, null()
    ).join(m.SelfAssessmentDomain, m.SelfAssessmentDomain.id == m.SelfAssessmentRating.domain_id),
}
_IDS_AT_ONCE = 500  # ids per look-up, well inside every database's limit on bound values


def item_names(db: Session, items: set[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """What each (entity, id) is called in the users' words; an item that no longer exists is left out.

    Looked up by primary key after the events are read: joining the events to all seven kinds of
    item in one query cost PostgreSQL more to plan (about 6 ms) than to run.
    """
    wanted: dict[str, list[int]] = {}
    for entity, entity_id in items:
        if entity in _ITEM_NAMES:
            wanted.setdefault(entity, []).append(entity_id)
    names = {}
    for entity, ids in wanted.items():
        statement = _ITEM_NAMES[entity]()
        key = statement.selected_columns[0]
        for start in range(0, len(ids), _IDS_AT_ONCE):
            for item_id, name, second, third in db.execute(
                statement.where(key.in_(sorted(ids)[start : start + _IDS_AT_ONCE]))
            ):
                names[(entity, item_id)] = _name(entity, name, second, third)
    return names


def _name(entity: str, name: str, second, third) -> str:
    if entity == "saving_line" and second is not None:
        return f"{name} ({financial_year_label(int(second))})"
    if entity == "kpi_value":
        return " · ".join(str(part) for part in (name, second, third) if part)
    if entity in ("transition_measure", "self_assessment_rating") and second is not None:
        return f"{name} ({second})"
    return name


HISTORY_COLUMNS = ["at", "username", "action", "field", "old", "new", "version"]


def entity_history(entity: str, entity_id: int, limit: int) -> pd.DataFrame:
    """An item's recorded changes, newest first, at most `limit` of them: what its edit form lists."""
    with session_scope() as db:
        rows = db.execute(
            select(
                m.AuditEvent.at,
                m.AuditEvent.username,
                m.AuditEvent.action,
                m.AuditEvent.field,
                m.AuditEvent.old_value,
                m.AuditEvent.new_value,
                m.AuditEvent.entity_version,
            )
            .where(m.AuditEvent.entity == entity, m.AuditEvent.entity_id == entity_id)
            .order_by(m.AuditEvent.at.desc(), m.AuditEvent.id.desc())
            .limit(limit)
        ).all()
    return pd.DataFrame.from_records([tuple(row) for row in rows], columns=HISTORY_COLUMNS)


AUDIT_PER_PAGE = 50  # changes the page draws at a time, newest first; the downloads have every one
# Counting every match read the whole trail (200,000 changes: most of the page's time); past this many
# the page says "more than 10,000" and pages through the newest of them.
AUDIT_COUNT_CAP = 10_000


@dataclass(frozen=True)
class AuditFilters(LinkedFilters):
    person: str | None = None
    entity: str | None = None
    project: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    page: int = 1

    @classmethod
    def from_query(cls, query: dict) -> AuditFilters:
        params = QueryParams(query, limit=120)
        return cls(
            person=params.text("person"),
            entity=params.text("entity"),
            project=params.text("project"),
            date_from=params.date("from"),
            date_to=params.date("to"),
            # A page past the last reads as the last (the page then shows the last page there is).
            page=params.page("page", AUDIT_COUNT_CAP, clamp=True),
        )

    def to_query(self) -> dict[str, str]:
        values = {
            "person": self.person,
            "entity": self.entity,
            "project": self.project,
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "page": str(self.page) if self.page > 1 else None,
        }
        return present(values)


AUDIT_COLUMNS = [
    "id",
    "at",
    "username",
    "action",
    "entity",
    "entity_id",
    "project",
    "field",
    "old_value",
    "new_value",
    "entity_title",
]


# A change as the trail records it, with its project's name (the project join is an outer one: most
# changes name a project, user accounts do not): the page, its downloads and the export file read these.
AUDIT_EVENT_FIELDS = (
    m.AuditEvent.id,
    m.AuditEvent.at,
    m.AuditEvent.username,
    m.AuditEvent.action,
    m.AuditEvent.entity,
    m.AuditEvent.entity_id,
    m.Project.name.label("project"),
    m.AuditEvent.field,
    m.AuditEvent.old_value,
    m.AuditEvent.new_value,
)


def read_events(chosen) -> list[tuple]:
    """The events whose ids `chosen` (a subquery with an `id` column) picks, newest first, as tuples in
    AUDIT_COLUMNS' order: the project's name and what each change was to (None if it no longer exists)."""
    statement = (
        select(*AUDIT_EVENT_FIELDS)
        .select_from(chosen)
        .join(m.AuditEvent, m.AuditEvent.id == chosen.c.id)
        .outerjoin(m.Project, m.Project.id == m.AuditEvent.project_id)
        .order_by(m.AuditEvent.at.desc(), m.AuditEvent.id.desc())
    )
    with session_scope() as db:
        rows = db.execute(statement).all()
        names = item_names(db, {(row.entity, row.entity_id) for row in rows})
    return [(*row, names.get((row.entity, row.entity_id))) for row in rows]


def audit_events(filters: AuditFilters, paged: bool = False) -> pd.DataFrame:
    """The change log, newest first, filtered in SQL; what each change was to (entity_title, None when
    it no longer exists) beside its id.

    `paged` reads only the filters' page of AUDIT_PER_PAGE changes; without it, every match (downloads).
    """
    chosen = select(m.AuditEvent.id)
    if filters.project:  # the join is needed only to filter by project key
        chosen = chosen.join(m.Project, m.Project.id == m.AuditEvent.project_id)
    chosen = chosen.where(*_conditions(filters))
    if paged:
        chosen = (
            chosen.order_by(m.AuditEvent.at.desc(), m.AuditEvent.id.desc())
            .limit(AUDIT_PER_PAGE)
            .offset((filters.page - 1) * AUDIT_PER_PAGE)
        )
    return pd.DataFrame.from_records(read_events(chosen.subquery()), columns=AUDIT_COLUMNS)


def audit_count(filters: AuditFilters, cap: int | None = AUDIT_COUNT_CAP) -> int:
    """How many changes match `filters`, counting no further than `cap` + 1 (None: count them all).

    A result above `cap` means "more than `cap`": the database stops reading there.
    """
    matching = select(m.AuditEvent.id)
    if filters.project:  # the join is needed only to filter by project key
        matching = matching.join(m.Project, m.Project.id == m.AuditEvent.project_id)
    matching = matching.where(*_conditions(filters))
    if cap is not None:
        matching = matching.limit(cap + 1)
    with session_scope() as db:
        return int(db.scalar(select(func.count()).select_from(matching.subquery())))


def _conditions(filters: AuditFilters) -> list:
    conditions = []
    if filters.person:
        conditions.append(m.AuditEvent.username == filters.person)
    if filters.entity:
        conditions.append(m.AuditEvent.entity == filters.entity)
    if filters.project:
        conditions.append(m.Project.key == filters.project)
    if filters.date_from:
        conditions.append(m.AuditEvent.at >= dt.datetime.combine(filters.date_from, dt.time.min))
    if filters.date_to:
        conditions.append(
            m.AuditEvent.at < dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time.min)
        )
    return conditions


def distinct_values(db: Session, column) -> list:
    """The column's distinct values in order, one step through its index for each: the next value is
    the least one greater than the last found. A plain DISTINCT read every row of the audit trail to
    find a dozen people and five kinds of change (35 ms and 28 ms for 200,000 changes, growing with
    every change), on PostgreSQL and SQLite alike, neither of which skips through an index on its own.
    Only for a column that leads an index: without one each step reads the table."""
    found = select(func.min(column).label("value")).cte("found", recursive=True)
    following = select(func.min(column)).where(column > found.c.value).scalar_subquery()
    found = found.union_all(select(following).where(found.c.value.is_not(None)))
    return list(db.scalars(select(found.c.value).where(found.c.value.is_not(None))))


def audit_filter_options() -> dict[str, list[dict[str, str]]]:
    with session_scope() as db:
        people = distinct_values(db, m.AuditEvent.username)
        entities = distinct_values(db, m.AuditEvent.entity)
        projects = db.execute(select(m.Project.key, m.Project.name).order_by(m.Project.name)).all()
    return {
        "people": [{"label": person, "value": person} for person in people],
        "entities": [{"label": ENTITY_LABELS.get(entity, entity), "value": entity} for entity in entities],
        "projects": [{"label": name, "value": key} for key, name in projects],
    }
