"""The milestones in plan order: the query with its plan joins, the page's paging and the summary counts."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import and_, case, func, select

from dashboard import models as m
from dashboard import policy
from dashboard.db import session_scope
from dashboard.queries.milestones.baselines import chosen_baseline_dates, current_end_expression
from dashboard.queries.milestones.filters import (
    CLOSED_STATUSES,
    STALE_AFTER_DAYS,
    MilestoneFilters,
    milestone_conditions,
    plan_conditions,
)
from dashboard.queries.milestones.measures import add_milestone_measures

MILESTONE_COLUMNS = [
    "id",
    "key",
    "organisation",
    "programme",
    "project_id",
    "project",
    "title",
    "owner",
    "status",
    "rag",
    "rag_reason",
    "percent_complete",
    "baseline_id",
    "baseline_name",
    "baseline_start",
    "baseline_end",
    "forecast_start",
    "forecast_end",
    "actual_start",
    "actual_end",
    "commentary",
    "retired",
    "illustrative",
    "illustrative_note",
    "source",
    "version",
    "updated_by",
    "updated_at",
]


def milestones(
    filters: MilestoneFilters,
    today: dt.date,
    ids: list[int] | None = None,
    paged: bool = False,
    editable_by=None,
) -> pd.DataFrame:
    """Milestones matching `filters` (filtered in SQL), with slippage and overdue/due/stale flags.

    `paged` returns only the filters' page (LIMIT/OFFSET in SQL), in plan order. `editable_by` (a
    user) keeps only the milestones of projects that user may edit, for an edit picker.
    """
    statement = _filtered(filters, today, ids)
    if editable_by is not None:
        statement = statement.where(policy.editable_projects_condition(editable_by, m.Milestone.project_id))
    with session_scope() as db:
        if paged:
            first = (filters.page - 1) * filters.per_page
            projects, before = _page_projects(db, filters, today, ids, first, first + filters.per_page)
            statement = (
                statement.where(m.Milestone.project_id.in_(projects))
                .limit(filters.per_page)
                .offset(first - before)
            )
        rows = db.execute(statement).all()
    frame = pd.DataFrame.from_records([tuple(row) for row in rows], columns=MILESTONE_COLUMNS)
    return add_milestone_measures(frame, today)


def _page_projects(
    db, filters: MilestoneFilters, today: dt.date, ids: list[int] | None, first: int, last: int
) -> tuple[list[int], int]:
    """The projects whose matching milestones hold plan-order rows first..last-1, and how many
    matching milestones come before them.

    Plan order sorts by programme and project name before a milestone's baseline start, so a page
    lies within a run of whole projects: counting matches project by project in plan order finds
    that run, and only its milestones need their chosen baseline looked up and sorted. Projects
    sharing both names sort together (their milestones interleave), so they are taken or left
    together. The counting stops at the page: counting every project's matches to find the first
    page grew with the whole programme (130 ms at 100,000 milestones).
    """
    chosen: list[int] = []
    before = position = 0
    for members, count in _project_runs(db, filters, today, ids):
        if position + count <= first:
            before = position = position + count
            continue
        if position >= last:
            break
        chosen.extend(members)
        position += count
    return chosen, before


def _project_runs(db, filters: MilestoneFilters, today: dt.date, ids: list[int] | None):
    """In plan order, each run of projects sharing both names that has matching milestones: its
    project ids and its number of matches. Projects are read in growing batches, as far as asked."""
    end = current_end_expression(filters.baseline)
    names: tuple[str, str] | None = None
    members: list[int] = []
    total = 0
    offset, size = 0, 64
    while True:
        listed = (
            select(m.Programme.name.label("programme"), m.Project.name.label("project"), m.Project.id)
            .select_from(m.Project)
            .join(m.Programme, m.Programme.id == m.Project.programme_id)
            .join(m.Organisation, m.Organisation.id == m.Programme.organisation_id)
            .where(*plan_conditions(filters))
            .order_by(m.Programme.name, m.Project.name, m.Project.id)
            .limit(size)
            .offset(offset)
            .subquery("listed")
        )
        matches = (
            over_milestones(select(func.count()), filters)
            .where(m.Milestone.project_id == listed.c.id, *milestone_conditions(filters, today, end, ids))
            .scalar_subquery()
        )
        rows = db.execute(
            select(listed.c.programme, listed.c.project, listed.c.id, matches).order_by(
                listed.c.programme, listed.c.project, listed.c.id
            )
        ).all()
        for programme, project, project_id, count in rows:
            if not count:
                continue
            if names == (programme, project):
                members.append(project_id)
                total += int(count)
                continue
            if names is not None:
                yield members, total
            names, members, total = (programme, project), [project_id], int(count)
        if len(rows) < size:
            break
        offset, size = offset + size, size * 2
    if names is not None:
        yield members, total


def count_where(condition):
    """SQL: how many rows of the group meet `condition` (0, never NULL, for an empty group)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def milestone_counts(filters: MilestoneFilters, today: dt.date) -> dict[str, int]:
    """What the summary cards count, over every milestone matching `filters` (all pages), in SQL.

    No baseline is joined: a milestone's current end needs its baseline's end only when it has neither
    an actual nor a forecast end, and COALESCE looks that up only then.
    """
    end = current_end_expression(filters.baseline)
    is_open = m.Milestone.status.not_in(CLOSED_STATUSES)
    cutoff = dt.datetime.combine(today - dt.timedelta(days=STALE_AFTER_DAYS - 1), dt.time.min)
    horizon = today + dt.timedelta(weeks=4)

    measures = {
        "shown": func.count(),
        **{rag: count_where(m.Milestone.rag == rag) for rag in m.RAG_VALUES},
        **{status: count_where(m.Milestone.status == status) for status in m.MILESTONE_STATUSES},
        "overdue": count_where(and_(is_open, end < today)),
        "due_in_4_weeks": count_where(and_(is_open, end >= today, end <= horizon)),
        "stale": count_where(and_(is_open, m.Milestone.updated_at < cutoff)),
        "illustrative": count_where(m.Milestone.illustrative.is_(True)),
    }
    statement = over_milestones(select(*measures.values()), filters).where(
        *milestone_conditions(filters, today, end)
    )
    with session_scope() as db:
        row = db.execute(statement).one()
    return {name: int(value) for name, value in zip(measures, row, strict=True)}


# A milestone's own columns either side of its baseline dates, in the order the page's frame and the
# export file both use.
MILESTONE_PLAN_FIELDS = (
    m.Milestone.title,
    m.Milestone.owner,
    m.Milestone.status,
    m.Milestone.rag,
    m.Milestone.rag_reason,
    m.Milestone.percent_complete,
)
MILESTONE_RECORD_FIELDS = (
    m.Milestone.forecast_start,
    m.Milestone.forecast_end,
    m.Milestone.actual_start,
    m.Milestone.actual_end,
    m.Milestone.commentary,
    m.Milestone.retired,
    m.Milestone.illustrative,
    m.Milestone.illustrative_note,
    m.Milestone.source,
    m.Milestone.version,
    m.Milestone.updated_by,
    m.Milestone.updated_at,
)


# Where a row sits in the plan, named as the pages' frames name it.
PLAN_COLUMNS = (
    m.Organisation.name.label("organisation"),
    m.Programme.name.label("programme"),
    m.Project.id.label("project_id"),
    m.Project.name.label("project"),
)


def joined_to_plan(statement, item, project_id):
    """`statement` over `item` rows (milestones, saving lines, benefits) joined by their `project_id`
    to their project, its programme and that programme's organisation."""
    return (
        statement.select_from(item)
        .join(m.Project, m.Project.id == project_id)
        .join(m.Programme, m.Programme.id == m.Project.programme_id)
        .join(m.Organisation, m.Organisation.id == m.Programme.organisation_id)
    )


def with_plan(statement):
    """`statement` over milestones joined to their project, programme and organisation."""
    return joined_to_plan(statement, m.Milestone, m.Milestone.project_id)


def over_milestones(statement, filters: MilestoneFilters):
    """`statement` over milestones, joined to their project, programme and organisation only when
    `filters` ask about those: every milestone has all three, so the joins drop none, and counting
    100,000 milestones spent half its time joining them."""
    if plan_conditions(filters) or filters.search:
        return with_plan(statement)
    return statement.select_from(m.Milestone)


def _filtered(filters: MilestoneFilters, today: dt.date, ids: list[int] | None = None):
    """The milestones query: every filter applied in SQL, in plan order."""
    chosen = chosen_baseline_dates(filters.baseline)
    current_end = func.coalesce(m.Milestone.actual_end, m.Milestone.forecast_end, chosen.c.baseline_end)
    statement = with_plan(
        select(
            m.Milestone.id,
            m.Milestone.key,
            *PLAN_COLUMNS,
            *MILESTONE_PLAN_FIELDS,
            chosen.c.baseline_id,
            chosen.c.baseline_name,
            chosen.c.baseline_start,
            chosen.c.baseline_end,
            *MILESTONE_RECORD_FIELDS,
        )
    )
    return (
        chosen.joined(statement)
        .where(*milestone_conditions(filters, today, current_end, ids))
        .order_by(m.Programme.name, m.Project.name, chosen.c.baseline_start, m.Milestone.id)
    )
