"""The self-assessment (002) tracked over the years: each domain's findings, the peer challenge
recommendations and actions answering them (001), the KPIs evidencing the domain, and its yearly
self-rated risk. Links read both ways: domain → KPIs and actions, and KPI or recommendation → domains."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from dashboard import models as m
from dashboard.db import session_scope
from dashboard.queries.kpis.catalogue import CITY

RATINGS = m.SELF_ASSESSMENT_RATINGS  # Low, Medium, High risk: later is worse
CLOSED = ("Cancelled",)


def rating_change(before: str | None, after: str | None) -> str | None:
    """'worse', 'better', 'same', or None when either year has no rating."""
    if before not in RATINGS or after not in RATINGS:
        return None
    step = RATINGS.index(after) - RATINGS.index(before)
    return "worse" if step > 0 else "better" if step < 0 else "same"


def _latest_city_values(db, kpi_ids: list[int]) -> dict[int, tuple]:
    latest: dict[int, tuple] = {}
    if not kpi_ids:
        return latest
    rows = db.execute(
        select(m.KpiValue.kpi_id, m.KpiValue.value, m.KpiValue.period_label, m.KpiValue.illustrative)
        .join(m.Area, m.Area.id == m.KpiValue.area_id)
        .where(m.KpiValue.kpi_id.in_(kpi_ids), m.Area.key == CITY, m.KpiValue.value.is_not(None))
        .order_by(m.KpiValue.period_end)
    ).all()
    for kpi_id, value, period, illustrative in rows:
        latest[kpi_id] = (value, period, bool(illustrative))
    return latest


def _actions(recommendation: m.Recommendation | None) -> list[dict]:
    if recommendation is None:
        return []
    return [
        {
            "key": action.key,
            "title": action.title,
            "status": action.status,
            "rag": action.rag,
            "illustrative": bool(action.illustrative),
        }
        for action in sorted(recommendation.actions, key=lambda a: (a.due_date is None, a.due_date, a.key))
        if action.status not in CLOSED
    ]


def domains() -> list[dict]:
    """Every domain in the document's order, with its findings, evidencing KPIs and ratings by year."""
    with session_scope() as db:
        rows = db.scalars(
            select(m.SelfAssessmentDomain)
            .options(
                selectinload(m.SelfAssessmentDomain.findings)
                .selectinload(m.SelfAssessmentFinding.recommendation)
                .selectinload(m.Recommendation.actions),
                selectinload(m.SelfAssessmentDomain.kpis),
                selectinload(m.SelfAssessmentDomain.ratings),
            )
            .order_by(m.SelfAssessmentDomain.sort_order, m.SelfAssessmentDomain.id)
        ).all()
        latest = _latest_city_values(db, [kpi.id for domain in rows for kpi in domain.kpis])
        result = []
        for domain in rows:
            findings = []
            for finding in sorted(domain.findings, key=lambda f: (f.kind != "strength", f.sort_order, f.id)):
                recommendation = finding.recommendation
                findings.append(
                    {
                        "kind": finding.kind,
                        "text": finding.text,
                        "source": finding.source,
                        "recommendation": recommendation.number if recommendation else None,
                        "recommendation_text": recommendation.text if recommendation else None,
                        "actions": _actions(recommendation),
                    }
                )
            kpis = []
            for kpi in sorted(domain.kpis, key=lambda k: k.code):
                value, period, illustrative = latest.get(kpi.id, (None, None, False))
                kpis.append(
                    {
                        "code": kpi.code,
                        "name": kpi.name,
                        "unit": kpi.unit,
                        "value": value,
                        "period": period,
                        "illustrative": illustrative,
                    }
                )
            ratings = {
                rating.year: {
                    "id": rating.id,
                    "rating": rating.rating,
                    "commentary": rating.commentary,
                    "illustrative": bool(rating.illustrative),
                    "illustrative_note": rating.illustrative_note,
                    "version": rating.version,
                }
                for rating in domain.ratings
            }
            result.append(
                {
                    "id": domain.id,
                    "key": domain.key,
                    "name": domain.name,
                    "scope": domain.scope,
                    "source": domain.source,
                    "findings": findings,
                    "kpis": kpis,
                    "ratings": ratings,
                }
            )
    return result


def years(records: list[dict]) -> list[int]:
    return sorted({year for domain in records for year in domain["ratings"]})


def changes_since_last(records: list[dict]) -> list[dict]:
    """Each domain's rating in the latest year against the year before (None where either is missing)."""
    recorded = years(records)
    if len(recorded) < 2:
        return []
    previous, latest = recorded[-2], recorded[-1]
    result = []
    for domain in records:
        before = domain["ratings"].get(previous, {}).get("rating")
        after = domain["ratings"].get(latest, {}).get("rating")
        result.append(
            {
                "domain": domain["name"],
                "previous_year": previous,
                "year": latest,
                "before": before,
                "after": after,
                "change": rating_change(before, after),
                "illustrative": bool(
                    domain["ratings"].get(previous, {}).get("illustrative")
                    or domain["ratings"].get(latest, {}).get("illustrative")
                ),
            }
        )
    return result


def unanswered_areas(records: list[dict]) -> list[dict]:
    """Areas for improvement that no open action answers."""
    return [
        {
            "domain": domain["name"],
            "text": finding["text"],
            "recommendation": finding["recommendation"],
            "source": finding["source"],
        }
        for domain in records
        for finding in domain["findings"]
        if finding["kind"] == "improvement" and not finding["actions"]
    ]


def domains_for_kpi(code: str) -> list[str]:
    """The domains a KPI evidences (the way back from the KPI)."""
    with session_scope() as db:
        return list(
            db.scalars(
                select(m.SelfAssessmentDomain.name)
                .join(m.SelfAssessmentDomain.kpis)
                .where(m.Kpi.code == code)
                .order_by(m.SelfAssessmentDomain.sort_order)
            )
        )


def domains_by_kpi() -> dict[str, list[str]]:
    """Every KPI code that evidences a domain → those domains' names, in the page's order (one statement)."""
    with session_scope() as db:
        rows = db.execute(
            select(m.Kpi.code, m.SelfAssessmentDomain.name)
            .join(m.SelfAssessmentDomain.kpis)
            .order_by(m.SelfAssessmentDomain.sort_order)
        ).all()
    found: dict[str, list[str]] = {}
    for code, name in rows:
        found.setdefault(code, []).append(name)
    return found


def domains_for_recommendation(number: str) -> list[str]:
    """The domains whose findings a recommendation (and so its actions) answers."""
    with session_scope() as db:
        return list(
            db.scalars(
                select(m.SelfAssessmentDomain.name)
                .join(m.SelfAssessmentFinding, m.SelfAssessmentFinding.domain_id == m.SelfAssessmentDomain.id)
                .join(m.Recommendation, m.Recommendation.id == m.SelfAssessmentFinding.recommendation_id)
                .where(m.Recommendation.number == number)
                .distinct()
                .order_by(m.SelfAssessmentDomain.name)
            )
        )


def recommendation_links() -> list[dict]:
    """Each peer challenge recommendation with the domains it answers and its open actions' count."""
    with session_scope() as db:
        recommendations = db.scalars(
            select(m.Recommendation)
            .options(selectinload(m.Recommendation.actions))
            .order_by(m.Recommendation.sort_order)
        ).all()
        answered = db.execute(
            select(
                m.SelfAssessmentFinding.recommendation_id,
                m.SelfAssessmentDomain.name,
                m.SelfAssessmentDomain.sort_order,
            )
            .join(m.SelfAssessmentDomain, m.SelfAssessmentDomain.id == m.SelfAssessmentFinding.domain_id)
            .where(m.SelfAssessmentFinding.recommendation_id.is_not(None))
        ).all()
        by_recommendation: dict[int, dict[str, int]] = {}
        for recommendation_id, name, order in answered:
            by_recommendation.setdefault(recommendation_id, {})[name] = order
        return [
            {
                "number": rec.number,
                "text": rec.text,
                "domains": sorted(
                    by_recommendation.get(rec.id, {}), key=by_recommendation.get(rec.id, {}).get
                ),
                "actions": sum(1 for action in rec.actions if action.status not in CLOSED),
            }
            for rec in recommendations
        ]


def domain_choices() -> list[dict]:
    with session_scope() as db:
        rows = db.execute(
            select(m.SelfAssessmentDomain.id, m.SelfAssessmentDomain.name).order_by(
                m.SelfAssessmentDomain.sort_order
            )
        ).all()
    return [{"id": domain_id, "name": name} for domain_id, name in rows]


def rating_choices() -> list[dict[str, str]]:
    """Every recorded rating as a select choice: "Resource and workforce management, 2016: High risk"."""
    with session_scope() as db:
        rows = db.execute(
            select(
                m.SelfAssessmentRating.id,
                m.SelfAssessmentDomain.name,
                m.SelfAssessmentRating.year,
                m.SelfAssessmentRating.rating,
            )
            .join(m.SelfAssessmentDomain, m.SelfAssessmentDomain.id == m.SelfAssessmentRating.domain_id)
            .order_by(m.SelfAssessmentRating.year.desc(), m.SelfAssessmentDomain.sort_order)
        ).all()
    return [
        {"label": f"{name}, {year}: {rating}", "value": str(rating_id)}
        for rating_id, name, year, rating in rows
    ]


def rating_for_form(rating_id: int) -> dict | None:
    """The rating a correction form opens: id, version, risk level and commentary."""
    with session_scope() as db:
        row = db.get(m.SelfAssessmentRating, rating_id)
        if row is None:
            return None
        return {"id": row.id, "version": row.version, "rating": row.rating, "commentary": row.commentary}
