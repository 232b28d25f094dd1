"""The /actions filters and how a status reads: the URL's filters, their SQL conditions and choices."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from dashboard import models as m
from dashboard.db import session_scope
from dashboard.queries.actions.areas import THEME_ORDER
from dashboard.queries.milestones.filters import STALE_AFTER_DAYS
from dashboard.queries.params import LinkedFilters, QueryParams, present

AWAITING = "Complete – awaiting sign-off"
ACCEPTED = "Complete – evidence accepted"
# The status filter: the stored statuses (Complete split by sign-off) as URL-friendly values.
STATUS_FILTERS = {
    "open": "Open (not complete or cancelled)",
    "Not started": "Not started",
    "In progress": "In progress",
    "Blocked": "Blocked",
    "awaiting": AWAITING,
    "accepted": ACCEPTED,
    "Cancelled": "Cancelled",
}
MARCH_2017_REVIEW = dt.date(2017, 3, 31)
# Actions drawn per page of the plan (its sections, the review table, the chooser); downloads have every
# matching action. The seeded plan's 24 fit on one page; the review table measures each row's height
# as it draws it, so a page of 50 held the large programme's page about twice as long.
ACTIONS_PER_PAGE = 25
LAST_PAGE = 999_999  # a link's page number past this reads as page 1


def display_status(status: str | None, evidence_status: str | None) -> str:
    """What users read: a Complete action is closed only once the sponsor accepts its evidence."""
    if status == "Complete":
        return ACCEPTED if evidence_status == "accepted" else AWAITING
    return status or ""


@dataclass(frozen=True)
class ActionFilters(LinkedFilters):
    """The /actions view's filters and review date; each one lives in the URL's query string."""

    recommendation: str | None = None
    theme: str | None = None
    owner: str | None = None
    status: str | None = None
    project: str | None = None
    overdue: bool = False
    stale: bool = False  # open and not updated for 14+ days, as the overview counts them
    owed: bool = False  # owed by the signed-in user for the next board (queries/update_window.py)
    as_at: dt.date = MARCH_2017_REVIEW
    page: int = 1  # which page of ACTIONS_PER_PAGE actions the plan draws

    @classmethod
    def from_query(cls, query: dict) -> ActionFilters:
        params = QueryParams(query)
        return cls(
            page=params.page("page", LAST_PAGE),
            recommendation=params.text("rec"),
            theme=params.text("theme"),
            owner=params.text("owner"),
            status=params.choice("status", STATUS_FILTERS, "not one of the statuses"),
            project=params.text("project"),
            overdue=params.flag("overdue"),
            stale=params.flag("stale"),
            owed=params.flag("owed"),
            as_at=params.date("asat") or MARCH_2017_REVIEW,
        )

    def to_query(self) -> dict[str, str]:
        values = {
            "rec": self.recommendation,
            "theme": self.theme,
            "owner": self.owner,
            "status": self.status,
            "project": self.project,
            "overdue": "1" if self.overdue else None,
            "stale": "1" if self.stale else None,
            "owed": "1" if self.owed else None,
            "asat": None if self.as_at == MARCH_2017_REVIEW else self.as_at.isoformat(),
            "page": str(self.page) if self.page != 1 else None,
        }
        return present(values)


def action_conditions(filters: ActionFilters, today: dt.date, ids: list[int] | None = None) -> list:
    """The filters as SQL conditions on actions joined to their recommendation and project."""
    conditions = []
    if ids is not None:
        conditions.append(m.ActionItem.id.in_(ids))
    if filters.recommendation:
        # Recommendation 1 includes its parts 1a and 1b.
        parent = select(m.Recommendation.id).where(m.Recommendation.number == filters.recommendation)
        conditions.append(
            (m.Recommendation.number == filters.recommendation) | m.Recommendation.parent_id.in_(parent)
        )
    if filters.theme:
        linked = (
            select(m.action_areas.c.action_item_id)
            .join(m.ConsiderationArea, m.ConsiderationArea.id == m.action_areas.c.consideration_area_id)
            .where(m.ConsiderationArea.theme == filters.theme)
        )
        conditions.append(m.ActionItem.id.in_(linked))
    if filters.owner:
        conditions.append(m.ActionItem.owner == filters.owner)
    if filters.project:
        conditions.append(m.Project.key == filters.project)
    if filters.status == "open":
        conditions.append(m.ActionItem.status.not_in(("Complete", "Cancelled")))
    elif filters.status == "awaiting":
        conditions.extend([m.ActionItem.status == "Complete", m.ActionItem.evidence_status != "accepted"])
    elif filters.status == "accepted":
        conditions.extend([m.ActionItem.status == "Complete", m.ActionItem.evidence_status == "accepted"])
    elif filters.status:
        conditions.append(m.ActionItem.status == filters.status)
    if filters.overdue:
        conditions.extend(
            [m.ActionItem.status.not_in(("Complete", "Cancelled")), m.ActionItem.due_date < today]
        )
    if filters.stale:
        cutoff = dt.datetime.combine(today - dt.timedelta(days=STALE_AFTER_DAYS - 1), dt.time.min)
        conditions.extend(
            [m.ActionItem.status.not_in(("Complete", "Cancelled")), m.ActionItem.updated_at < cutoff]
        )
    if filters.owed:
        from dashboard.queries.update_window import owed_conditions  # it reads the milestones' statuses

        conditions.extend(owed_conditions("action", today))
    return conditions


def with_action_plan(statement):
    """`statement` over actions joined to their recommendation and, where they have one, project."""
    return statement.join(m.Recommendation, m.Recommendation.id == m.ActionItem.recommendation_id).outerjoin(
        m.Project, m.Project.id == m.ActionItem.project_id
    )


def action_filter_options() -> dict[str, list[dict[str, str]]]:
    with session_scope() as db:
        numbers = db.execute(
            select(m.Recommendation.number, m.Recommendation.text).order_by(m.Recommendation.sort_order)
        ).all()
        themes = set(db.scalars(select(m.ConsiderationArea.theme).distinct()).all())
        owners = db.scalars(
            select(m.ActionItem.owner).where(m.ActionItem.owner != "").distinct().order_by(m.ActionItem.owner)
        ).all()
        projects = db.execute(
            select(m.Project.key, m.Project.name)
            .where(m.Project.id.in_(select(m.ActionItem.project_id)))
            .order_by(m.Project.name)
        ).all()
    ordered_themes = [t for t in THEME_ORDER if t in themes] + sorted(themes - set(THEME_ORDER))
    return {
        "recommendations": [
            {"label": f"{number}: {_short(text, 60)}", "value": number} for number, text in numbers
        ],
        "themes": [{"label": theme, "value": theme} for theme in ordered_themes],
        "owners": [{"label": owner, "value": owner} for owner in owners],
        "projects": [{"label": name, "value": key} for key, name in projects],
        "statuses": [{"label": label, "value": value} for value, label in STATUS_FILTERS.items()],
    }


def _short(text: str, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
