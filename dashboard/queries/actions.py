"""Peer challenge action plan reads: actions by recommendation, areas covered, the plan as at a date, publishing.

The plan as at a date is rebuilt from the audit trail: start from today's values and undo, newest
first, every recorded change made after the end of that date. Seeded rows have no audit history,
so the values loaded from the seed files stand for the state before the first recorded change
(seeded progress notes count from their own note date).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import case, func, select

from dashboard import models as m
from dashboard import policy
from dashboard.db import session_scope
from dashboard.domain.formatting import UK_TIME, as_date, format_date
from dashboard.domain.values import is_missing
from dashboard.queries.audit import entity_history
from dashboard.queries.params import LinkedFilters, QueryParams, present

AWAITING = "Complete – awaiting sign-off"
ACCEPTED = "Complete – evidence accepted"
# The status filter: the stored statuses (Complete split by sign-off) as URL-friendly values.
STATUS_FILTERS = {
    "Not started": "Not started",
    "In progress": "In progress",
    "Blocked": "Blocked",
    "awaiting": AWAITING,
    "accepted": ACCEPTED,
    "Cancelled": "Cancelled",
}
# The peer challenge letter's themes, in the letter's order (001 and its Appendix 1).
THEME_ORDER = (
    "Finance",
    "Social care planning, assessments and care packages",
    "Front line joint working arrangements with health",
    "Leadership",
    "Performance and outcomes",
    "Commissioning and quality",
    "National priorities and partnerships",
    "Workforce management",
)
KIND_LABELS = {
    "strength": "Strength",
    "area_for_consideration": "Area for consideration",
    "finance_consideration": "Finance: what else to consider",
    "finance_mitigation": "Finance: mitigation under way",
}
# Areas that call for an action; strengths and mitigations already under way do not.
NEEDS_ACTION_KINDS = ("area_for_consideration", "finance_consideration")
NOTE_SOURCE = "Added in the dashboard"
MARCH_2017_REVIEW = dt.date(2017, 3, 31)
ACTIONS_PER_PAGE = 50  # actions drawn per page of the plan; downloads have every matching action
LAST_PAGE = 999_999  # a link's page number past this reads as page 1

# Fields of an action the audit trail records, as the audit `field` names them.
TRACKED_FIELDS = (
    "title",
    "owner",
    "due_date",
    "status",
    "rag",
    "percent_complete",
    "evidence_summary",
    "evidence_status",
    "signed_off_by",
    "signed_off_at",
    "areas",
)


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
            status=params.choice("status", STATUS_FILTERS),
            project=params.text("project"),
            overdue=params.flag("overdue"),
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
            "asat": None if self.as_at == MARCH_2017_REVIEW else self.as_at.isoformat(),
            "page": str(self.page) if self.page != 1 else None,
        }
        return present(values)


ACTION_COLUMNS = [
    "id",
    "key",
    "recommendation",
    "recommendation_text",
    "recommendation_order",
    "project_id",
    "project_parent_id",
    "project",
    "title",
    "owner",
    "due_date",
    "status",
    "rag",
    "percent_complete",
    "evidence",
    "evidence_status",
    "signed_off_by",
    "signed_off_at",
    "illustrative",
    "illustrative_note",
    "source",
    "version",
    "updated_by",
    "updated_at",
]


# An action's own columns, in the order the page's frame and the export file both use.
ACTION_ITEM_FIELDS = (
    m.ActionItem.title,
    m.ActionItem.owner,
    m.ActionItem.due_date,
    m.ActionItem.status,
    m.ActionItem.rag,
    m.ActionItem.percent_complete,
    m.ActionItem.evidence,
    m.ActionItem.evidence_status,
    m.ActionItem.signed_off_by,
    m.ActionItem.signed_off_at,
    m.ActionItem.illustrative,
    m.ActionItem.illustrative_note,
    m.ActionItem.source,
    m.ActionItem.version,
    m.ActionItem.updated_by,
    m.ActionItem.updated_at,
)


def _conditions(filters: ActionFilters, today: dt.date, ids: list[int] | None = None) -> list:
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
    if filters.status == "awaiting":
        conditions.extend([m.ActionItem.status == "Complete", m.ActionItem.evidence_status != "accepted"])
    elif filters.status == "accepted":
        conditions.extend([m.ActionItem.status == "Complete", m.ActionItem.evidence_status == "accepted"])
    elif filters.status:
        conditions.append(m.ActionItem.status == filters.status)
    if filters.overdue:
        conditions.extend(
            [m.ActionItem.status.not_in(("Complete", "Cancelled")), m.ActionItem.due_date < today]
        )
    return conditions


def _joined(statement):
    return statement.join(m.Recommendation, m.Recommendation.id == m.ActionItem.recommendation_id).outerjoin(
        m.Project, m.Project.id == m.ActionItem.project_id
    )


def action_items(
    filters: ActionFilters, today: dt.date, ids: list[int] | None = None, paged: bool = False
) -> pd.DataFrame:
    """Actions matching `filters` (filtered in SQL), in the letter's order, with their latest note.

    With `paged`, only the filters' page of ACTIONS_PER_PAGE actions.
    """
    statement = select(
        m.ActionItem.id,
        m.ActionItem.key,
        m.Recommendation.number,
        m.Recommendation.text,
        m.Recommendation.sort_order,
        m.ActionItem.project_id,
        m.Project.parent_id,
        m.Project.name,
        *ACTION_ITEM_FIELDS,
    )
    statement = (
        _joined(statement)
        .where(*_conditions(filters, today, ids))
        .order_by(m.Recommendation.sort_order, m.ActionItem.due_date, m.ActionItem.id)
    )
    if paged:
        statement = statement.limit(ACTIONS_PER_PAGE).offset((filters.page - 1) * ACTIONS_PER_PAGE)
    with session_scope() as db:
        rows = db.execute(statement).all()
        action_ids = [row[0] for row in rows]
        latest = _latest_notes(db, action_ids)
        evidence_counts = dict(
            db.execute(
                select(m.ActionEvidence.action_item_id, func.count(m.ActionEvidence.id))
                .where(m.ActionEvidence.action_item_id.in_(action_ids))
                .group_by(m.ActionEvidence.action_item_id)
            ).all()
        )
    # Object columns throughout, so a missing value stays None as the database gave it (no NaN), without
    # converting column by column afterwards (that was most of this function's time).
    frame = pd.DataFrame([tuple(row) for row in rows], columns=ACTION_COLUMNS, dtype=object)

    def column(values: list) -> pd.Series:
        return pd.Series(values, index=frame.index, dtype=object)

    frame["display_status"] = column(
        [
            display_status(status, evidence)
            for status, evidence in zip(frame["status"], frame["evidence_status"], strict=True)
        ]
    )
    frame["overdue"] = [
        bool(status not in ("Complete", "Cancelled") and due is not None and due < today)
        for status, due in zip(frame["status"], frame["due_date"], strict=True)
    ]
    frame["latest_note_date"] = column([latest.get(i, (None, None, None))[0] for i in frame["id"]])
    frame["latest_note"] = column([latest.get(i, (None, None, None))[1] for i in frame["id"]])
    frame["latest_note_internal"] = [bool(latest.get(i, (None, None, False))[2]) for i in frame["id"]]
    frame["evidence_items"] = [int(evidence_counts.get(i, 0)) for i in frame["id"]]
    return frame


def _objects(frame: pd.DataFrame) -> pd.DataFrame:
    """Missing values as None (not NaN) and ids as ints, so rows read like the database's."""
    frame = frame.copy()
    for column in frame.columns:
        if frame[column].dtype.kind in "biu":
            continue
        values = frame[column].astype(object)
        frame[column] = values.where(values.notna(), None)
    for column in ("project_id", "project_parent_id"):
        if column in frame:
            frame[column] = pd.Series(
                [None if value is None else int(value) for value in frame[column]],
                index=frame.index,
                dtype=object,
            )
    return frame


def _latest_notes(db, action_ids: list[int], public_only: bool = False) -> dict[int, tuple]:
    """Each action's newest note (by note date, then the order added): date, text, internal."""
    if not action_ids:
        return {}
    statement = select(
        m.ProgressNote.action_item_id, m.ProgressNote.note_date, m.ProgressNote.text, m.ProgressNote.internal
    ).where(m.ProgressNote.action_item_id.in_(action_ids))
    if public_only:
        statement = statement.where(m.ProgressNote.internal.is_(False))
    latest: dict[int, tuple] = {}
    for action_id, note_date, text, internal in db.execute(
        statement.order_by(m.ProgressNote.note_date, m.ProgressNote.id)
    ).all():
        latest[action_id] = (note_date, text, internal)
    return latest


def recommendations() -> pd.DataFrame:
    with session_scope() as db:
        parent = m.Recommendation.__table__.alias("parent")
        rows = db.execute(
            select(
                m.Recommendation.id,
                m.Recommendation.number,
                parent.c.number,
                m.Recommendation.text,
                m.Recommendation.source,
            )
            .outerjoin(parent, parent.c.id == m.Recommendation.parent_id)
            .order_by(m.Recommendation.sort_order)
        ).all()
    return pd.DataFrame.from_records(
        [tuple(row) for row in rows], columns=["id", "number", "parent_number", "text", "source"]
    )


PROGRESS_COLUMNS = ["recommendation", "total", "accepted", "awaiting", "open", "overdue"]


def action_count(filters: ActionFilters, today: dt.date) -> int:
    """How many actions match `filters` (every page), counted in SQL."""
    statement = _joined(select(func.count(m.ActionItem.id))).where(*_conditions(filters, today))
    with session_scope() as db:
        return int(db.execute(statement).scalar_one())


def progress_by_recommendation(
    filters: ActionFilters, today: dt.date, numbers: list[str] | None = None
) -> pd.DataFrame:
    """Per recommendation with matching actions, in the letter's order, counted in SQL: actions,
    closed (evidence accepted), awaiting sign-off, open on time, overdue. With `numbers`, only those
    recommendations (all their matching actions, whichever page they are on)."""
    complete = m.ActionItem.status == "Complete"
    accepted = func.coalesce(m.ActionItem.evidence_status, "") == "accepted"
    late = m.ActionItem.status.not_in(("Complete", "Cancelled")) & (m.ActionItem.due_date < today)

    def count(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    statement = (
        _joined(
            select(
                m.Recommendation.number,
                func.count(m.ActionItem.id),
                count(complete & accepted),
                count(complete & ~accepted),
                count(late),
            )
        )
        .where(
            *_conditions(filters, today),
            *([m.Recommendation.number.in_(numbers)] if numbers is not None else []),
        )
        .group_by(m.Recommendation.id, m.Recommendation.number, m.Recommendation.sort_order)
        .order_by(m.Recommendation.sort_order)
    )
    with session_scope() as db:
        rows = db.execute(statement).all()
    return pd.DataFrame.from_records(
        [
            (
                number,
                int(total),
                int(closed),
                int(awaiting),
                int(total - closed - awaiting - overdue),
                int(overdue),
            )
            for number, total, closed, awaiting, overdue in rows
        ],
        columns=PROGRESS_COLUMNS,
    )


def consideration_areas(
    theme: str | None = None, titles: bool = False, named: int | None = None
) -> pd.DataFrame:
    """The letter's strengths and areas for consideration, each with the actions answering it.

    Every point gets `action_count`, `recommendation_count` and `recommendations` (the numbers of the
    recommendations whose actions answer it, in the letter's order), counted in SQL. `named` keeps only
    the first that many numbers in `recommendations` (the page names five and counts the rest): the
    database then sends a few rows per point rather than one per point and recommendation. `titles=True`
    also lists each answering action as "number: title" (`actions`), for the downloads: at 5,000
    actions that is every link's title, which the page does not need.
    """
    statement = select(
        m.ConsiderationArea.id,
        m.ConsiderationArea.key,
        m.ConsiderationArea.theme,
        m.ConsiderationArea.kind,
        m.ConsiderationArea.text,
        m.ConsiderationArea.sort_order,
        m.ConsiderationArea.source,
    ).order_by(m.ConsiderationArea.sort_order)
    in_theme = []
    if theme:
        statement = statement.where(m.ConsiderationArea.theme == theme)
        in_theme = [
            m.action_areas.c.consideration_area_id.in_(
                select(m.ConsiderationArea.id).where(m.ConsiderationArea.theme == theme)
            )
        ]
    links = (
        select(m.action_areas.c.consideration_area_id)
        .join(m.ActionItem, m.ActionItem.id == m.action_areas.c.action_item_id)
        .join(m.Recommendation, m.Recommendation.id == m.ActionItem.recommendation_id)
        .where(*in_theme)
    )
    # One row per point and recommendation, numbered in the letter's order within the point, with the
    # point's totals beside it.
    pairs = (
        links.add_columns(m.Recommendation.number, m.Recommendation.sort_order, func.count().label("actions"))
        .group_by(
            m.action_areas.c.consideration_area_id, m.Recommendation.number, m.Recommendation.sort_order
        )
        .subquery("pairs")
    )
    per_point = {"partition_by": pairs.c.consideration_area_id}
    numbered = select(
        pairs.c.consideration_area_id,
        pairs.c.number,
        func.row_number().over(**per_point, order_by=(pairs.c.sort_order, pairs.c.number)).label("position"),
        func.count().over(**per_point).label("recommendations"),
        func.sum(pairs.c.actions).over(**per_point).label("actions"),
    ).subquery("numbered")
    counted_query = select(
        numbered.c.consideration_area_id,
        numbered.c.number,
        numbered.c.recommendations,
        numbered.c.actions,
    ).order_by(numbered.c.consideration_area_id, numbered.c.position)
    if named is not None:
        counted_query = counted_query.where(numbered.c.position <= named)
    with session_scope() as db:
        rows = db.execute(statement).all()
        counted = db.execute(counted_query).all()
        listed = (
            db.execute(
                links.add_columns(m.Recommendation.number, m.ActionItem.title).order_by(
                    m.Recommendation.sort_order, m.ActionItem.id
                )
            ).all()
            if titles
            else []
        )
    counts: dict[int, tuple[int, int]] = {}
    recommendations: dict[int, list[str]] = {}
    for area_id, number, recommendation_count, action_count in counted:
        counts[area_id] = (int(action_count), int(recommendation_count))
        recommendations.setdefault(area_id, []).append(number)
    frame = pd.DataFrame.from_records(
        [tuple(row) for row in rows],
        columns=["id", "key", "theme", "kind", "text", "sort_order", "source"],
    )
    frame["action_count"] = [counts.get(i, (0, 0))[0] for i in frame["id"]]
    frame["recommendation_count"] = [counts.get(i, (0, 0))[1] for i in frame["id"]]
    frame["recommendations"] = [recommendations.get(i, []) for i in frame["id"]]
    if titles:
        answered: dict[int, list[str]] = {}
        for area_id, number, title in listed:
            answered.setdefault(area_id, []).append(f"{number}: {title}")
        frame["actions"] = [answered.get(i, []) for i in frame["id"]]
    frame["needs_action"] = frame["kind"].isin(NEEDS_ACTION_KINDS)
    frame["uncovered"] = frame["needs_action"] & (frame["action_count"] == 0)
    return frame


@dataclass(frozen=True)
class ThemeCount:
    theme: str
    points: int
    needing_action: int  # areas for consideration (finance ones included): the points that call for action
    uncovered: int  # of those, the points no action answers


def consideration_area_counts(theme: str | None = None) -> list[ThemeCount]:
    """Per theme of the letter (in THEME_ORDER, then by name): its points, how many call for action and
    how many of those no action answers, counted in SQL. The page shows these first and reads a theme's
    points only when it is opened, so its first answer does not grow with the letter."""
    area = m.ConsiderationArea
    needs_action = area.kind.in_(NEEDS_ACTION_KINDS)
    # IN over the links, not a correlated EXISTS: the links have no index by point, and PostgreSQL hashes
    # the subquery's ids once rather than scanning the links for every point (5 ms → 1 ms at 335 points).
    answered = area.id.in_(select(m.action_areas.c.consideration_area_id))
    statement = select(
        area.theme,
        func.count(area.id),
        func.coalesce(func.sum(case((needs_action, 1), else_=0)), 0),
        func.coalesce(func.sum(case((needs_action & ~answered, 1), else_=0)), 0),
    ).group_by(area.theme)
    if theme:
        statement = statement.where(area.theme == theme)
    with session_scope() as db:
        rows = {
            row[0]: ThemeCount(row[0], int(row[1]), int(row[2]), int(row[3])) for row in db.execute(statement)
        }
    ordered = [t for t in THEME_ORDER if t in rows] + sorted(set(rows) - set(THEME_ORDER))
    return [rows[t] for t in ordered]


def area_options() -> list[dict[str, str]]:
    with session_scope() as db:
        rows = db.execute(
            select(
                m.ConsiderationArea.id,
                m.ConsiderationArea.theme,
                m.ConsiderationArea.kind,
                m.ConsiderationArea.text,
            )
            .where(m.ConsiderationArea.kind.in_(NEEDS_ACTION_KINDS + ("finance_mitigation",)))
            .order_by(m.ConsiderationArea.sort_order)
        ).all()
    return [{"label": f"{theme} – {text}", "value": str(area_id)} for area_id, theme, _kind, text in rows]


def action_area_ids(action_id: int) -> list[int]:
    with session_scope() as db:
        return list(
            db.scalars(
                select(m.action_areas.c.consideration_area_id).where(
                    m.action_areas.c.action_item_id == action_id
                )
            ).all()
        )


def action_notes(action_id: int, include_internal: bool = True) -> pd.DataFrame:
    """An action's progress notes, newest first."""
    statement = select(
        m.ProgressNote.id,
        m.ProgressNote.note_date,
        m.ProgressNote.text,
        m.ProgressNote.internal,
        m.ProgressNote.author,
        m.ProgressNote.created_at,
    ).where(m.ProgressNote.action_item_id == action_id)
    if not include_internal:
        statement = statement.where(m.ProgressNote.internal.is_(False))
    with session_scope() as db:
        rows = db.execute(statement.order_by(m.ProgressNote.note_date.desc(), m.ProgressNote.id.desc())).all()
    return pd.DataFrame.from_records(
        [tuple(row) for row in rows], columns=["id", "note_date", "text", "internal", "author", "created_at"]
    )


def action_evidence(action_id: int) -> pd.DataFrame:
    with session_scope() as db:
        rows = db.execute(
            select(
                m.ActionEvidence.id,
                m.ActionEvidence.description,
                m.ActionEvidence.url,
                m.ActionEvidence.added_by,
                m.ActionEvidence.added_at,
            )
            .where(m.ActionEvidence.action_item_id == action_id)
            .order_by(m.ActionEvidence.added_at.desc(), m.ActionEvidence.id.desc())
        ).all()
    return pd.DataFrame.from_records(
        [tuple(row) for row in rows], columns=["id", "description", "url", "added_by", "added_at"]
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


def user_can_update(user, project_id: int | None) -> bool:
    """For showing the forms only: services decide on the database row whatever this says."""
    if policy.is_admin(user):
        return True  # an action no project delivers included
    if project_id is None or not policy.is_editor(user):
        return False
    condition = policy.editable_projects_condition(user, m.Project.id)
    with session_scope() as db:
        return db.scalar(select(m.Project.id).where(m.Project.id == project_id, condition)) is not None


def action_history(action_id: int, limit: int = 30) -> pd.DataFrame:
    return entity_history("action_item", action_id, limit)


# ---- The plan as at a date -------------------------------------------------------------------


def end_of_day_utc(day: dt.date) -> dt.datetime:
    """The first moment after `day` in UK time, as the naive UTC timestamps the audit trail stores."""
    local = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=UK_TIME)
    return local.astimezone(dt.UTC).replace(tzinfo=None)


def _as_text(value) -> str | None:
    if is_missing(value):
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _current_state(action, area_keys: list[str]) -> dict[str, str | None]:
    values = {
        "title": action.title,
        "owner": action.owner,
        "due_date": action.due_date,
        "status": action.status,
        "rag": action.rag,
        "percent_complete": action.percent_complete,
        "evidence_summary": action.evidence,
        "evidence_status": action.evidence_status,
        "signed_off_by": action.signed_off_by,
        "signed_off_at": action.signed_off_at,
        "areas": ";".join(sorted(area_keys)) or None,
    }
    return {field: _as_text(value) for field, value in values.items()}


REVIEW_COLUMNS = [
    "id",
    "recommendation",
    "title",
    "existed",
    "status_then",
    "rag_then",
    "percent_then",
    "due_then",
    "latest_note_then",
    "status_now",
    "rag_now",
    "percent_now",
    "due_now",
    "notes_since",
    "evidence_since",
    "moved",
    "illustrative",
]


def first_recorded_change() -> dt.datetime | None:
    with session_scope() as db:
        return db.scalar(select(func.min(m.AuditEvent.at)).where(m.AuditEvent.entity == "action_item"))


def plan_as_at(as_at: dt.date, ids: list[int] | None = None) -> pd.DataFrame:
    """Each action as it stood at the end of `as_at` (from the audit trail) beside how it stands now."""
    cutoff = end_of_day_utc(as_at)
    with session_scope() as db:
        statement = (
            select(m.ActionItem, m.Recommendation.number)
            .join(m.Recommendation, m.Recommendation.id == m.ActionItem.recommendation_id)
            .order_by(m.Recommendation.sort_order, m.ActionItem.due_date, m.ActionItem.id)
        )
        if ids is not None:
            statement = statement.where(m.ActionItem.id.in_(ids))
        actions = db.execute(statement).all()
        action_ids = [action.id for action, _number in actions]
        area_keys: dict[int, list[str]] = {}
        for action_id, key in db.execute(
            select(m.action_areas.c.action_item_id, m.ConsiderationArea.key)
            .join(m.ConsiderationArea, m.ConsiderationArea.id == m.action_areas.c.consideration_area_id)
            .where(m.action_areas.c.action_item_id.in_(action_ids))
        ).all():
            area_keys.setdefault(action_id, []).append(key)
        later_events = db.execute(
            select(
                m.AuditEvent.entity_id,
                m.AuditEvent.action,
                m.AuditEvent.field,
                m.AuditEvent.old_value,
            )
            .where(
                m.AuditEvent.entity == "action_item",
                m.AuditEvent.entity_id.in_(action_ids),
                m.AuditEvent.at >= cutoff,
            )
            .order_by(m.AuditEvent.at.desc(), m.AuditEvent.id.desc())
        ).all()
        notes = db.execute(
            select(
                m.ProgressNote.action_item_id,
                m.ProgressNote.note_date,
                m.ProgressNote.text,
                m.ProgressNote.internal,
                m.ProgressNote.source,
                m.ProgressNote.created_at,
            )
            .where(m.ProgressNote.action_item_id.in_(action_ids))
            .order_by(m.ProgressNote.note_date, m.ProgressNote.id)
        ).all()
        evidence = db.execute(
            select(m.ActionEvidence.action_item_id, m.ActionEvidence.added_at).where(
                m.ActionEvidence.action_item_id.in_(action_ids)
            )
        ).all()
        now_states = {
            action.id: _current_state(action, area_keys.get(action.id, [])) for action, _ in actions
        }
        meta = {action.id: (number, action.title, action.illustrative) for action, number in actions}

    then_states = {action_id: dict(state) for action_id, state in now_states.items()}
    created_later: set[int] = set()
    for entity_id, action, field, old_value in later_events:
        if action == "create":
            created_later.add(entity_id)
        elif field in TRACKED_FIELDS:
            then_states[entity_id][field] = old_value

    notes_then: dict[int, tuple] = {}
    notes_since: dict[int, int] = {}
    for action_id, note_date, text, internal, source, created_at in notes:
        # A note added in the dashboard was known once it was added; a seeded one from its own date.
        known = created_at < cutoff if source == NOTE_SOURCE else note_date <= as_at
        if known:
            notes_then[action_id] = (note_date, text, internal)
        else:
            notes_since[action_id] = notes_since.get(action_id, 0) + 1
    evidence_since: dict[int, int] = {}
    for action_id, added_at in evidence:
        if added_at >= cutoff:
            evidence_since[action_id] = evidence_since.get(action_id, 0) + 1

    rows = []
    for action_id in action_ids:
        now, then = now_states[action_id], then_states[action_id]
        number, title, illustrative = meta[action_id]
        existed = action_id not in created_later
        moved = _what_moved(then, now) if existed else ["Added after this date"]
        if notes_since.get(action_id):
            count = notes_since[action_id]
            moved.append(f"{count} progress note{'s' if count != 1 else ''} added")
        if evidence_since.get(action_id):
            count = evidence_since[action_id]
            moved.append(f"{count} piece{'s' if count != 1 else ''} of evidence added")
        note = notes_then.get(action_id)
        rows.append(
            (
                action_id,
                number,
                title,
                existed,
                display_status(then["status"], then["evidence_status"]) if existed else "",
                then["rag"] if existed else None,
                int(then["percent_complete"]) if existed and then["percent_complete"] else 0,
                _date_or_none(then["due_date"]) if existed else None,
                (f"{format_date(note[0])}: {note[1]}" + (" (internal)" if note[2] else "")) if note else None,
                display_status(now["status"], now["evidence_status"]),
                now["rag"],
                int(now["percent_complete"] or 0),
                _date_or_none(now["due_date"]),
                notes_since.get(action_id, 0),
                evidence_since.get(action_id, 0),
                "; ".join(moved),
                illustrative,
            )
        )
    return _objects(pd.DataFrame.from_records(rows, columns=REVIEW_COLUMNS))


def _date_or_none(text: str | None) -> dt.date | None:
    try:
        return as_date(text or None)
    except ValueError:
        return None


MOVE_LABELS = {
    "status": "Status",
    "rag": "RAG",
    "percent_complete": "% complete",
    "due_date": "Due date",
    "owner": "Owner",
    "evidence_status": "Evidence",
    "title": "Title",
}


def _what_moved(then: dict, now: dict) -> list[str]:
    moved = []
    then_status = display_status(then["status"], then["evidence_status"])
    now_status = display_status(now["status"], now["evidence_status"])
    if then_status != now_status:
        moved.append(f"Status {then_status or '—'} → {now_status}")
    for field in ("rag", "percent_complete", "due_date", "owner", "title"):
        if then[field] != now[field]:
            old, new = then[field], now[field]
            if field == "due_date":
                old, new = _uk(old), _uk(new)
            if field == "percent_complete":
                old, new = f"{old or 0}%", f"{new or 0}%"
            moved.append(f"{MOVE_LABELS[field]} {old or '—'} → {new or '—'}")
    if then["evidence_summary"] != now["evidence_summary"]:
        moved.append("Evidence summary changed")
    if then["areas"] != now["areas"]:
        moved.append("Areas answered changed")
    return moved


def _uk(text: str | None) -> str | None:
    day = _date_or_none(text)
    return f"{day.day} {day:%b %Y}" if day else None


# ---- Publishing ---------------------------------------------------------------------------------

PUBLISHED_COLUMNS = [
    "Recommendation",
    "Recommendation text",
    "Action",
    "Owner (role)",
    "Due date",
    "Status",
    "RAG",
    "% complete",
    "Latest progress",
    "Progress notes",
    "Evidence",
    "Last updated",
    "Illustrative data",
]


def published_plan(ids: list[int] | None = None) -> pd.DataFrame:
    """The action plan for the council's website: no internal notes and no user names."""
    with session_scope() as db:
        statement = (
            select(
                m.ActionItem.id,
                m.Recommendation.number,
                m.Recommendation.text,
                m.ActionItem.title,
                m.ActionItem.owner,
                m.ActionItem.due_date,
                m.ActionItem.status,
                m.ActionItem.evidence_status,
                m.ActionItem.rag,
                m.ActionItem.percent_complete,
                m.ActionItem.evidence,
                m.ActionItem.updated_at,
                m.ActionItem.illustrative,
            )
            .join(m.Recommendation, m.Recommendation.id == m.ActionItem.recommendation_id)
            .order_by(m.Recommendation.sort_order, m.ActionItem.due_date, m.ActionItem.id)
        )
        if ids is not None:
            statement = statement.where(m.ActionItem.id.in_(ids))
        rows = db.execute(statement).all()
        action_ids = [row[0] for row in rows]
        public_notes: dict[int, list[tuple]] = {}
        for action_id, note_date, text in db.execute(
            select(m.ProgressNote.action_item_id, m.ProgressNote.note_date, m.ProgressNote.text)
            .where(m.ProgressNote.action_item_id.in_(action_ids), m.ProgressNote.internal.is_(False))
            .order_by(m.ProgressNote.note_date.desc(), m.ProgressNote.id.desc())
        ).all():
            public_notes.setdefault(action_id, []).append((note_date, text))
        evidence_items: dict[int, list[str]] = {}
        for action_id, description, url in db.execute(
            select(m.ActionEvidence.action_item_id, m.ActionEvidence.description, m.ActionEvidence.url)
            .where(m.ActionEvidence.action_item_id.in_(action_ids))
            .order_by(m.ActionEvidence.added_at, m.ActionEvidence.id)
        ).all():
            evidence_items.setdefault(action_id, []).append(f"{description} ({url})" if url else description)
    records = []
    for row in rows:
        (action_id, number, rec_text, title, owner, due, status, evidence_status, rag, percent) = row[:10]
        evidence_summary, updated_at, illustrative = row[10:]
        notes = public_notes.get(action_id, [])
        evidence = "\n".join(
            [text for text in [evidence_summary] if text] + evidence_items.get(action_id, [])
        )
        records.append(
            (
                number,
                rec_text,
                title,
                owner,
                due,
                display_status(status, evidence_status),
                rag or "",
                int(percent or 0),
                f"{_uk(notes[0][0].isoformat())}: {notes[0][1]}" if notes else "",
                "\n".join(f"{_uk(day.isoformat())}: {text}" for day, text in notes),
                evidence,
                updated_at.date() if updated_at else None,
                "yes" if illustrative else "no",
            )
        )
    return pd.DataFrame.from_records(records, columns=PUBLISHED_COLUMNS)
