"""The /milestones view's filters (kept in the URL), their WHERE conditions and the filter bar's choices."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select

from dashboard import models as m
from dashboard.db import session_scope
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
    owed: bool = False  # owed by the signed-in user for the next board (queries/update_window.py)
    open_only: bool = False  # not complete or cancelled (the overview's RAG tiles count open ones)
    search: str | None = None
    include_retired: bool = False
    baseline: str = "latest"  # latest, original, or a baseline id
    page: int = 1  # which page of PER_PAGE milestones the Gantt and table draw
    per_page: int = PER_PAGE_CHOICES[0]

    @classmethod
    def from_query(cls, query: dict[str, str | list[str] | None]) -> MilestoneFilters:
        """Read filters from URL parameters, ignoring anything malformed rather than failing."""
        params = QueryParams(query)
        per_page = params.choice(
            "per_page", [str(choice) for choice in PER_PAGE_CHOICES], "not 100, 250 or 1000 milestones a page"
        )
        return cls(
            organisation=params.text("org"),
            programme=params.text("programme"),
            project=params.text("project"),
            status=params.choice("status", m.MILESTONE_STATUSES, "not one of the statuses"),
            rag=params.choice("rag", (*m.RAG_VALUES, "none"), "not Red, Amber, Green or none"),
            owner=params.text("owner"),
            overdue=params.flag("overdue"),
            due_within_weeks=params.integer("due_within", 1, 520, "not a number of weeks from 1 to 520"),
            stale=params.flag("stale"),
            owed=params.flag("owed"),
            open_only=params.flag("open"),
            search=params.text("q"),
            include_retired=params.flag("retired"),
            baseline=_baseline(params),
            page=params.page("page", LAST_PAGE),
            per_page=int(per_page) if per_page else PER_PAGE_CHOICES[0],
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
            "owed": "1" if self.owed else None,
            "open": "1" if self.open_only else None,
            "q": self.search,
            "retired": "1" if self.include_retired else None,
            "baseline": None if self.baseline == "latest" else self.baseline,
            "page": str(self.page) if self.page != 1 else None,
            "per_page": str(self.per_page) if self.per_page != PER_PAGE_CHOICES[0] else None,
        }
        return present(values)


def _baseline(params: QueryParams) -> str:
    """latest, original or a baseline's id (in ASCII digits); anything else is ignored (latest)."""
    text = params.text("baseline")
    if text is None or text in ("latest", "original"):
        return text or "latest"
    if params.identifier("baseline", "not a baseline: latest, original or a baseline's number") is None:
        return "latest"
    return str(int(text))


def project_condition(project_key: str):
    """SQL: the row's project is the one keyed `project_key` or one of its work-streams (a project's
    filter includes its work-streams, on the milestones and savings pages alike)."""
    child = select(m.Project.id).where(
        m.Project.parent_id == select(m.Project.id).where(m.Project.key == project_key).scalar_subquery()
    )
    return or_(m.Project.key == project_key, m.Project.id.in_(child))


def plan_conditions(filters) -> list:
    """The WHERE conditions of `filters` (milestones', savings' or benefits': their organisation,
    programme and project) on where a row sits in the plan, over projects joined to their programme
    and organisation (as `with_plan` joins them)."""
    conditions = []
    if filters.organisation:
        conditions.append(m.Organisation.key == filters.organisation)
    if filters.programme:
        conditions.append(m.Programme.key == filters.programme)
    if filters.project:
        conditions.append(project_condition(filters.project))
    return conditions


def milestone_conditions(
    filters: MilestoneFilters, today: dt.date, current_end, ids: list[int] | None = None
) -> list:
    """The WHERE conditions for `filters`, over milestones joined by `with_plan`."""
    open_status = m.Milestone.status.not_in(CLOSED_STATUSES)
    conditions = []
    if ids is not None:
        conditions.append(m.Milestone.id.in_(ids))
    if not filters.include_retired:
        conditions.append(m.Milestone.retired.is_(False))
    conditions.extend(plan_conditions(filters))
    if filters.status:
        conditions.append(m.Milestone.status == filters.status)
    if filters.open_only:
        conditions.append(open_status)
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
    if filters.owed:
        from dashboard.queries.update_window import owed_conditions  # it reads these filters' statuses

        conditions.extend(owed_conditions("milestone", today))
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
