"""The peer challenge letter's themes and points, and the actions answering each."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import case, func, select

from dashboard import models as m
from dashboard.db import session_scope

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
