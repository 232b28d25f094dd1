"""Birmingham's front-door funnel from the self-assessment's figures (002 Performance Details): each
stage with what it counts, its latest value and the one before, or marked not given.

Barnet's and Shropshire's funnels (queries.kpis.journey) count every stage as a share of contacts.
Birmingham's document gives each figure on its own base (calls, cases, referrals, hospital
assessments), so the stages are listed as given and nothing is derived from one base to another."""

from __future__ import annotations

from sqlalchemy import select

from dashboard import models as m
from dashboard.db import session_scope
from dashboard.queries.kpis.catalogue import CITY

# (stage, what it counts, KPI code or None when the document gives no figure for it)
STAGES = (
    ("Calls to the front door", "Calls handled by the ACAP First Response Team", "ACAP-CALLS"),
    ("Calls abandoned", "Share of calls to ACAP abandoned (12-month average)", "ACAP-ABANDON"),
    ("Closed at second response", "Share of ACAP cases closed at second response", "ACAP-2ND-RESP"),
    ("Referred to a social work team", "Cases ACAP refers on to a social work team", None),
    (
        "Transferred within 2 weeks",
        "Share of the cases referred to a social work team transferred within 2 weeks of contact",
        "ACAP-TRANSFER-2WK",
    ),
    (
        "Hospital initial assessments",
        "Initial assessments by hospital social work teams",
        "HOSP-INITIAL-ASSESS",
    ),
    ("Hospital full assessments", "Full assessments by hospital social work teams", "HOSP-FULL-ASSESS"),
    ("Care package", "New council-funded care packages arising", None),
)
COLUMNS = [
    "stage",
    "counts",
    "code",
    "unit",
    "value",
    "period",
    "previous_value",
    "previous_period",
    "illustrative",
    "source",
]


def birmingham_funnel() -> list[dict]:
    """Each stage of Birmingham's front door, in order; value None where the document gives none."""
    codes = [code for _stage, _counts, code in STAGES if code]
    with session_scope() as db:
        rows = db.execute(
            select(
                m.Kpi.code,
                m.Kpi.unit,
                m.KpiValue.value,
                m.KpiValue.period_label,
                m.KpiValue.illustrative,
                m.KpiValue.source,
            )
            .join(m.Kpi, m.Kpi.id == m.KpiValue.kpi_id)
            .join(m.Area, m.Area.id == m.KpiValue.area_id)
            .where(m.Kpi.code.in_(codes), m.Area.key == CITY, m.KpiValue.value.is_not(None))
            .order_by(m.KpiValue.period_end)
        ).all()
    series: dict[str, list] = {}
    for row in rows:
        series.setdefault(row.code, []).append(row)
    records = []
    for stage, counts, code in STAGES:
        values = series.get(code, []) if code else []
        latest = values[-1] if values else None
        previous = values[-2] if len(values) > 1 else None
        records.append(
            {
                "stage": stage,
                "counts": counts,
                "code": code,
                "unit": latest.unit if latest else None,
                "value": latest.value if latest else None,
                "period": latest.period_label if latest else None,
                "previous_value": previous.value if previous else None,
                "previous_period": previous.period_label if previous else None,
                "illustrative": bool(latest.illustrative) if latest else False,
                "source": latest.source if latest else "",
            }
        )
    return records
