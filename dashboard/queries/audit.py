"""Audit trail reads: the change log, filtered."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd
from sqlalchemy import func, select

from dashboard import models as m
from dashboard.db import session_scope
from dashboard.formatting import financial_year_label
from dashboard.reports.values import ENTITY_LABELS

# What each change was to: the names an item's event is joined to (read by item_name, in this order).
ITEM_COLUMNS = (
    m.Milestone.title,
    m.ActionItem.title,
    m.SavingLine.description,
    m.SavingLine.financial_year,
    m.BoardMeeting.title,
    m.Kpi.code,
    m.Area.name,
    m.KpiValue.period_label,
    m.User.username,
)


def join_items(statement):
    """`statement` over audit events, outer-joined by primary key to the item each event changed."""
    event = m.AuditEvent
    return (
        statement.outerjoin(m.Milestone, (event.entity == "milestone") & (m.Milestone.id == event.entity_id))
        .outerjoin(m.ActionItem, (event.entity == "action_item") & (m.ActionItem.id == event.entity_id))
        .outerjoin(m.SavingLine, (event.entity == "saving_line") & (m.SavingLine.id == event.entity_id))
        .outerjoin(m.BoardMeeting, (event.entity == "board_meeting") & (m.BoardMeeting.id == event.entity_id))
        .outerjoin(m.KpiValue, (event.entity == "kpi_value") & (m.KpiValue.id == event.entity_id))
        .outerjoin(m.Kpi, m.Kpi.id == m.KpiValue.kpi_id)
        .outerjoin(m.Area, m.Area.id == m.KpiValue.area_id)
        .outerjoin(m.User, (event.entity == "user") & (m.User.id == event.entity_id))
    )


def item_name(
    entity, project, milestone, action, saving, year, meeting, kpi, area, period, user
) -> str | None:
    """What a change was to, in the users' words (None when the item no longer exists)."""
    if entity == "saving_line" and saving:
        return f"{saving} ({financial_year_label(int(year))})" if year is not None else saving
    if entity == "kpi_value" and kpi:
        return " · ".join(part for part in (kpi, area, period) if part)
    if entity == "project":
        return project or None
    named = {"milestone": milestone, "action_item": action, "board_meeting": meeting, "user": user}
    return named.get(entity) or None


AUDIT_PER_PAGE = 50  # changes the page draws at a time, newest first; the downloads have every one
# Counting every match read the whole trail (200,000 changes: most of the page's time); past this many
# the page says "more than 10,000" and pages through the newest of them.
AUDIT_COUNT_CAP = 10_000


@dataclass(frozen=True)
class AuditFilters:
    person: str | None = None
    entity: str | None = None
    project: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    page: int = 1

    @classmethod
    def from_query(cls, query: dict) -> AuditFilters:
        def one(key: str) -> str | None:
            value = query.get(key)
            if isinstance(value, list):
                value = value[0] if value else None
            value = (value or "").strip()
            return value[:120] or None

        def day(key: str) -> dt.date | None:
            try:
                return dt.date.fromisoformat(one(key) or "")
            except ValueError:
                return None

        page = one("page") or ""
        return cls(
            person=one("person"),
            entity=one("entity"),
            project=one("project"),
            date_from=day("from"),
            date_to=day("to"),
            page=max(1, min(int(page), AUDIT_COUNT_CAP)) if page.isdigit() else 1,
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
        return {key: value for key, value in values.items() if value}

    def query_string(self) -> str:
        query = self.to_query()
        return ("?" + urlencode(query)) if query else ""


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


def audit_events(filters: AuditFilters, paged: bool = False) -> pd.DataFrame:
    """The change log, newest first, filtered in SQL; what each change was to (entity_title, None when
    it no longer exists) beside its id.

    `paged` reads only the filters' page of AUDIT_PER_PAGE changes; without it, every match (downloads).
    """
    statement = join_items(
        select(
            m.AuditEvent.id,
            m.AuditEvent.at,
            m.AuditEvent.username,
            m.AuditEvent.action,
            m.AuditEvent.entity,
            m.AuditEvent.entity_id,
            m.Project.name,
            m.AuditEvent.field,
            m.AuditEvent.old_value,
            m.AuditEvent.new_value,
            *ITEM_COLUMNS,
        ).outerjoin(m.Project, m.Project.id == m.AuditEvent.project_id)
    )
    statement = statement.where(*_conditions(filters)).order_by(
        m.AuditEvent.at.desc(), m.AuditEvent.id.desc()
    )
    if paged:
        statement = statement.limit(AUDIT_PER_PAGE).offset((filters.page - 1) * AUDIT_PER_PAGE)
    with session_scope() as db:
        rows = db.execute(statement).all()
    width = len(AUDIT_COLUMNS) - 1
    return pd.DataFrame.from_records(
        [(*row[:width], item_name(row[4], row[6], *row[width:])) for row in rows], columns=AUDIT_COLUMNS
    )


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


def audit_filter_options() -> dict[str, list[dict[str, str]]]:
    with session_scope() as db:
        people = db.scalars(select(m.AuditEvent.username).distinct().order_by(m.AuditEvent.username)).all()
        entities = db.scalars(select(m.AuditEvent.entity).distinct().order_by(m.AuditEvent.entity)).all()
        projects = db.execute(select(m.Project.key, m.Project.name).order_by(m.Project.name)).all()
    return {
        "people": [{"label": person, "value": person} for person in people],
        "entities": [{"label": ENTITY_LABELS.get(entity, entity), "value": entity} for entity in entities],
        "projects": [{"label": name, "value": key} for key, name in projects],
    }
