"""Milestone reads: filters (kept in the URL), slippage against a chosen baseline, flags."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import SimpleNamespace

import pandas as pd
from sqlalchemy import and_, case, func, or_, select, true

from dashboard import models as m
from dashboard import policy
from dashboard.db import get_engine, session_scope
from dashboard.domain.values import is_missing
from dashboard.domain.workdays import working_days_between
from dashboard.queries.audit import entity_history
from dashboard.queries.params import LinkedFilters, QueryParams, present

PER_PAGE_CHOICES = (100, 250, 1000)  # milestones drawn per page of the Gantt and table
LAST_PAGE = 100_000  # a link's page number past this reads as page 1
STALE_AFTER_DAYS = 14  # "not updated for 14+ days": last change on or before today minus 14 days
CLOSED_STATUSES = ("Complete", "Cancelled")


@dataclass(frozen=True)
class MilestoneFilters(LinkedFilters):
    """The /milestones view's filters; each one lives in the URL's query string."""

    organisation: str | None = None
    programme: str | None = None
    project: str | None = None
    status: str | None = None
    rag: str | None = None  # Red, Amber, Green, or "none"
    owner: str | None = None
    overdue: bool = False
    due_within_weeks: int | None = None
    stale: bool = False
    search: str | None = None
    include_retired: bool = False
    baseline: str = "latest"  # latest, original, or a baseline id
    page: int = 1  # which page of PER_PAGE milestones the Gantt and table draw
    per_page: int = PER_PAGE_CHOICES[0]

    @classmethod
    def from_query(cls, query: dict[str, str | list[str] | None]) -> MilestoneFilters:
        """Read filters from URL parameters, ignoring anything malformed rather than failing."""
        params = QueryParams(query)
        due_within = params.integer("due_within")
        per_page = params.integer("per_page")
        return cls(
            organisation=params.text("org"),
            programme=params.text("programme"),
            project=params.text("project"),
            status=params.choice("status", m.MILESTONE_STATUSES),
            rag=params.choice("rag", (*m.RAG_VALUES, "none")),
            owner=params.text("owner"),
            overdue=params.flag("overdue"),
            due_within_weeks=due_within if due_within is not None and 0 < due_within <= 520 else None,
            stale=params.flag("stale"),
            search=params.text("q"),
            include_retired=params.flag("retired"),
            baseline=params.text("baseline") or "latest",
            page=params.page("page", LAST_PAGE),
            per_page=per_page if per_page in PER_PAGE_CHOICES else PER_PAGE_CHOICES[0],
        )

    def to_query(self) -> dict[str, str]:
        values = {
            "org": self.organisation,
            "programme": self.programme,
            "project": self.project,
            "status": self.status,
            "rag": self.rag,
            "owner": self.owner,
            "overdue": "1" if self.overdue else None,
            "due_within": str(self.due_within_weeks) if self.due_within_weeks else None,
            "stale": "1" if self.stale else None,
            "q": self.search,
            "retired": "1" if self.include_retired else None,
            "baseline": None if self.baseline == "latest" else self.baseline,
            "page": str(self.page) if self.page != 1 else None,
            "per_page": str(self.per_page) if self.per_page != PER_PAGE_CHOICES[0] else None,
        }
        return present(values)


@dataclass(frozen=True)
class ChosenBaseline:
    """The baseline each milestone is compared against, as two outer joins onto `milestones`."""

    link: object  # milestone_baselines, aliased
    link_on: object
    baseline: object  # baselines, aliased
    baseline_on: object

    @property
    def c(self):
        return SimpleNamespace(
            baseline_id=self.baseline.c.id.label("baseline_id"),
            baseline_name=self.baseline.c.name.label("baseline_name"),
            baseline_start=self.link.c.start_date.label("baseline_start"),
            baseline_end=self.link.c.end_date.label("baseline_end"),
        )

    def joined(self, statement):
        """`statement` (over milestones) with each milestone's chosen baseline joined, where it has one."""
        return statement.outerjoin(self.link, self.link_on).outerjoin(self.baseline, self.baseline_on)


def latest_baseline_first(baselines=m.Baseline) -> tuple:
    """ORDER BY terms putting a project's latest baseline first: the latest baseline date, and of two
    on the same date the one recorded last. `baselines` is the model or an alias of its table."""
    columns = getattr(baselines, "c", baselines)
    return (columns.baseline_date.desc(), columns.id.desc())


def _baseline_ordering(baseline: str, candidate_baseline) -> tuple:
    """Which of a milestone's baselines comes first: the latest, the original or a named one."""
    if baseline == "original":
        return (candidate_baseline.c.baseline_date.asc(), candidate_baseline.c.id.asc())
    if baseline.isdigit():
        # The chosen baseline for its own project; other projects fall back to their latest.
        return (
            case((candidate_baseline.c.id == int(baseline), 0), else_=1),
            *latest_baseline_first(candidate_baseline),
        )
    return latest_baseline_first(candidate_baseline)


def _baseline_lookup(baseline: str, pick):
    """A correlated lookup of `pick(link)` on the chosen baseline of the enclosing query's milestone row
    (an index search on milestone_baselines): cheap where it runs for a few rows, or lazily in COALESCE."""
    candidate = m.MilestoneBaseline.__table__.alias("candidate")
    candidate_baseline = m.Baseline.__table__.alias("candidate_baseline")
    return (
        select(pick(candidate))
        .join(candidate_baseline, candidate_baseline.c.id == candidate.c.baseline_id)
        .where(candidate.c.milestone_id == m.Milestone.id)
        .order_by(*_baseline_ordering(baseline, candidate_baseline))
        .limit(1)
        .correlate(m.Milestone)
        .scalar_subquery()
    )


def chosen_baseline_dates(baseline: str) -> ChosenBaseline:
    """Per milestone, the baseline dates to compare against: the latest, the original or a named one."""
    candidate_baseline = m.Baseline.__table__.alias("candidate_baseline")
    links = m.MilestoneBaseline.__table__
    chosen = m.Baseline.__table__.alias("chosen_baseline")
    if get_engine().dialect.name == "postgresql":
        link = (
            select(links.c.id, links.c.baseline_id, links.c.start_date, links.c.end_date)
            .join(candidate_baseline, candidate_baseline.c.id == links.c.baseline_id)
            .where(links.c.milestone_id == m.Milestone.id)
            .order_by(*_baseline_ordering(baseline, candidate_baseline))
            .limit(1)
            .lateral("chosen_link")
        )
        return ChosenBaseline(link, true(), chosen, chosen.c.id == link.c.baseline_id)
    chosen_link = _baseline_lookup(baseline, lambda link: link.c.id)
    link = m.MilestoneBaseline.__table__.alias("chosen_link")
    return ChosenBaseline(link, link.c.id == chosen_link, chosen, chosen.c.id == link.c.baseline_id)


def current_end_expression(baseline: str = "latest"):
    """Per milestone row of the enclosing query, its current end: actual, else forecast, else its chosen
    baseline's end. COALESCE stops at the first date it has, so the baseline is looked up only for a
    milestone with neither an actual nor a forecast end."""
    return func.coalesce(
        m.Milestone.actual_end,
        m.Milestone.forecast_end,
        _baseline_lookup(baseline, lambda link: link.c.end_date),
    )


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
    lies within a run of whole projects: counting milestones per project (cheap) finds that run, and
    only its milestones need their chosen baseline looked up and sorted. Ordering every match by its
    baseline for a page of 100 took 70 ms at 10,000 milestones. Projects sharing both names sort
    together (their milestones interleave), so they are taken or left together.
    """
    end = current_end_expression(filters.baseline)
    counted = db.execute(
        with_plan(select(m.Programme.name, m.Project.name, m.Project.id, func.count()))
        .where(*_conditions(filters, today, end, ids))
        .group_by(m.Programme.name, m.Project.name, m.Project.id)
        .order_by(m.Programme.name, m.Project.name, m.Project.id)
    ).all()
    groups: list[tuple[tuple[str, str], list[int], int]] = []
    for programme, project, project_id, count in counted:
        if groups and groups[-1][0] == (programme, project):
            names, members, total = groups[-1]
            groups[-1] = (names, [*members, project_id], total + int(count))
        else:
            groups.append(((programme, project), [project_id], int(count)))
    chosen: list[int] = []
    before = position = 0
    for _names, members, count in groups:
        if position + count <= first:
            before = position = position + count
            continue
        if position >= last:
            break
        chosen.extend(members)
        position += count
    return chosen, before


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
    statement = with_plan(select(*measures.values())).where(*_conditions(filters, today, end))
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
        .where(*_conditions(filters, today, current_end, ids))
        .order_by(m.Programme.name, m.Project.name, chosen.c.baseline_start, m.Milestone.id)
    )


def project_condition(project_key: str):
    """SQL: the row's project is the one keyed `project_key` or one of its work-streams (a project's
    filter includes its work-streams, on the milestones and savings pages alike)."""
    child = select(m.Project.id).where(
        m.Project.parent_id == select(m.Project.id).where(m.Project.key == project_key).scalar_subquery()
    )
    return or_(m.Project.key == project_key, m.Project.id.in_(child))


def _conditions(filters: MilestoneFilters, today: dt.date, current_end, ids: list[int] | None = None) -> list:
    """The WHERE conditions for `filters`, over milestones joined by `with_plan`."""
    open_status = m.Milestone.status.not_in(CLOSED_STATUSES)
    conditions = []
    if ids is not None:
        conditions.append(m.Milestone.id.in_(ids))
    if not filters.include_retired:
        conditions.append(m.Milestone.retired.is_(False))
    if filters.organisation:
        conditions.append(m.Organisation.key == filters.organisation)
    if filters.programme:
        conditions.append(m.Programme.key == filters.programme)
    if filters.project:
        conditions.append(project_condition(filters.project))
    if filters.status:
        conditions.append(m.Milestone.status == filters.status)
    if filters.rag == "none":
        conditions.append(m.Milestone.rag.is_(None))
    elif filters.rag:
        conditions.append(m.Milestone.rag == filters.rag)
    if filters.owner:
        conditions.append(m.Milestone.owner == filters.owner)
    if filters.overdue:
        conditions.extend([open_status, current_end < today])
    if filters.due_within_weeks:
        horizon = today + dt.timedelta(weeks=filters.due_within_weeks)
        conditions.extend([open_status, current_end >= today, current_end <= horizon])
    if filters.stale:
        cutoff = dt.datetime.combine(today - dt.timedelta(days=STALE_AFTER_DAYS - 1), dt.time.min)
        conditions.extend([open_status, m.Milestone.updated_at < cutoff])
    if filters.search:
        pattern = "%" + filters.search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append(
            or_(
                m.Milestone.title.ilike(pattern, escape="\\"),
                m.Milestone.commentary.ilike(pattern, escape="\\"),
                m.Milestone.owner.ilike(pattern, escape="\\"),
                m.Project.name.ilike(pattern, escape="\\"),
            )
        )
    return conditions


def add_milestone_measures(frame: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Slippage against the chosen baseline, and whether each milestone is overdue, due soon or stale."""
    frame = frame.copy()
    if frame.empty:
        for column in (
            "current_end",
            "slippage_working_days",
            "slippage_weeks",
            "overdue",
            "due_in_4_weeks",
            "stale",
            "is_open",
        ):
            frame[column] = pd.Series(dtype="object")
        return frame
    frame["current_end"] = [
        actual or forecast or baseline
        for actual, forecast, baseline in zip(
            _dates(frame["actual_end"]),
            _dates(frame["forecast_end"]),
            _dates(frame["baseline_end"]),
            strict=True,
        )
    ]
    slippage = []
    for baseline_end, current in zip(_dates(frame["baseline_end"]), frame["current_end"], strict=True):
        slippage.append(
            None if baseline_end is None or current is None else working_days_between(baseline_end, current)
        )
    frame["slippage_working_days"] = pd.array(slippage, dtype="Int64")
    frame["slippage_weeks"] = [None if days is None else round(days / 5, 1) for days in slippage]
    frame["is_open"] = ~frame["status"].isin(CLOSED_STATUSES)
    frame["overdue"] = [
        bool(is_open and current is not None and current < today)
        for is_open, current in zip(frame["is_open"], frame["current_end"], strict=True)
    ]
    horizon = today + dt.timedelta(weeks=4)
    frame["due_in_4_weeks"] = [
        bool(is_open and current is not None and today <= current <= horizon)
        for is_open, current in zip(frame["is_open"], frame["current_end"], strict=True)
    ]
    cutoff = dt.datetime.combine(today - dt.timedelta(days=STALE_AFTER_DAYS - 1), dt.time.min)
    frame["stale"] = [
        bool(is_open and updated is not None and updated < cutoff)
        for is_open, updated in zip(frame["is_open"], frame["updated_at"], strict=True)
    ]
    return frame


def _dates(series: pd.Series) -> list[dt.date | None]:
    return [None if is_missing(value) else value for value in series]


def milestone_filter_options() -> dict[str, list[dict[str, str]]]:
    """Choices for the filter bar, from the database."""
    with session_scope() as db:
        organisations = db.execute(
            select(m.Organisation.key, m.Organisation.name).order_by(m.Organisation.name)
        ).all()
        programmes = db.execute(select(m.Programme.key, m.Programme.name).order_by(m.Programme.name)).all()
        projects = db.execute(
            select(m.Project.key, m.Project.name)
            .where(
                m.Project.id.in_(select(m.Milestone.project_id))
                | m.Project.id.in_(
                    select(m.Project.parent_id).where(m.Project.id.in_(select(m.Milestone.project_id)))
                )
            )
            .order_by(m.Project.name)
        ).all()
        owners = db.scalars(
            select(m.Milestone.owner).where(m.Milestone.owner != "").distinct().order_by(m.Milestone.owner)
        ).all()
        baselines = db.execute(
            select(m.Baseline.id, m.Baseline.name, m.Project.name)
            .join(m.Project, m.Project.id == m.Baseline.project_id)
            .order_by(m.Project.name, m.Baseline.baseline_date)
        ).all()
    return {
        "organisations": [{"label": name, "value": key} for key, name in organisations],
        "programmes": [{"label": name, "value": key} for key, name in programmes],
        "projects": [{"label": name, "value": key} for key, name in projects],
        "owners": [{"label": owner, "value": owner} for owner in owners],
        "baselines": [
            {"label": "Latest baseline of each project", "value": "latest"},
            {"label": "Original baseline of each project", "value": "original"},
            *(
                {"label": f"{project}: {name}", "value": str(baseline_id)}
                for baseline_id, name, project in baselines
            ),
        ],
    }


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


def milestone_history(milestone_id: int, limit: int = 20) -> pd.DataFrame:
    return entity_history("milestone", milestone_id, limit)


def baseline_name(baseline_id: int) -> str | None:
    """A baseline's name as stored (for the answer after one is recorded)."""
    with session_scope() as db:
        return db.scalar(select(m.Baseline.name).where(m.Baseline.id == baseline_id))
