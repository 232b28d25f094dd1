"""The customer-journey funnel and Birmingham's front-door (ACAP) figures: latest values by area."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from dashboard import models as m
from dashboard.db import session_scope
from dashboard.domain import kpi_rules
from dashboard.queries.kpis.catalogue import CITY

# The customer-journey funnel (003 §7): stages as a share of all contacts.
FUNNEL_STAGES = [
    ("Contacts", "FUNNEL-CONTACTS"),
    ("Resolved at first contact", None),  # 100% less those referred to a social worker
    ("Referred to a social worker", "FUNNEL-REFERRED-SW-PCT"),
    ("Full assessment", "FUNNEL-FULLASSESS-PCT"),
    ("Care package", "FUNNEL-CAREPLAN-PCT"),
]
FUNNEL_COUNTS = {"Full assessment": "FUNNEL-FULL-ASSESSMENTS", "Care package": "FUNNEL-NEW-PACKAGES"}
FUNNEL_COLUMNS = ["stage", "percent_of_contacts", "count", "target_percent", "period", "derived", "source"]


def _latest(db, code: str, area_key: str):
    return db.execute(
        select(m.KpiValue.value, m.KpiValue.period_label, m.KpiValue.source, m.Kpi.target)
        .join(m.Kpi, m.Kpi.id == m.KpiValue.kpi_id)
        .join(m.Area, m.Area.id == m.KpiValue.area_id)
        .where(m.Kpi.code == code, m.Area.key == area_key, m.KpiValue.value.is_not(None))
        .order_by(m.KpiValue.period_end.desc())
        .limit(1)
    ).first()


def funnel(area_key: str = "barnet") -> pd.DataFrame:
    """Contacts → resolved at first contact → referred → assessed → care package, as % of contacts."""
    records = []
    with session_scope() as db:
        contacts = _latest(db, "FUNNEL-CONTACTS", area_key)
        referred = _latest(db, "FUNNEL-REFERRED-SW-PCT", area_key)
        total = contacts.value if contacts else None
        for stage, code in FUNNEL_STAGES:
            derived = False
            count_row = _latest(db, FUNNEL_COUNTS[stage], area_key) if stage in FUNNEL_COUNTS else None
            if stage == "Contacts":
                row = contacts
                percent = 100.0 if contacts else None
            elif code is None:
                row = referred
                percent = None if referred is None else 100.0 - referred.value
                derived = True
            else:
                row = _latest(db, code, area_key)
                percent = row.value if row else None
            if stage == "Contacts":
                count = total
            elif count_row is not None:
                count = count_row.value
            elif percent is not None and total is not None:
                count = round(total * percent / 100)
                derived = True
            else:
                count = None
            records.append(
                {
                    "stage": stage,
                    "percent_of_contacts": percent,
                    "count": count,
                    "target_percent": row.target if row is not None and code else None,
                    "period": row.period_label if row is not None else None,
                    "derived": derived,
                    "source": row.source if row is not None else "",
                }
            )
    return pd.DataFrame.from_records(records, columns=FUNNEL_COLUMNS)


ACCESS_CODES = ("ACAP-CALLS", "ACAP-ABANDON", "ACAP-2ND-RESP", "ACAP-TRANSFER-2WK", "CON-FIRST-CONTACT")


def birmingham_access() -> pd.DataFrame:
    """Birmingham's latest front-door figures (ACAP, 002) and the city's first-contact resolution."""
    records = []
    with session_scope() as db:
        for code in ACCESS_CODES:
            kpi = db.scalars(select(m.Kpi).where(m.Kpi.code == code)).first()
            if kpi is None:
                continue
            row = db.execute(
                select(m.KpiValue.value, m.KpiValue.period_label, m.KpiValue.illustrative, m.KpiValue.source)
                .join(m.Area, m.Area.id == m.KpiValue.area_id)
                .where(m.KpiValue.kpi_id == kpi.id, m.Area.key == CITY, m.KpiValue.value.is_not(None))
                .order_by(m.KpiValue.period_end.desc())
                .limit(1)
            ).first()
            if row is None:
                continue
            records.append(
                {
                    "kpi": code,
                    "measure": kpi.name,
                    "unit": kpi.unit,
                    "value": row.value,
                    "target": kpi.target,
                    "rag": kpi_rules.rag_status(row.value, kpi.target, kpi.tolerance, kpi.polarity),
                    "period": row.period_label,
                    "illustrative": bool(row.illustrative),
                    "source": row.source,
                }
            )
    return pd.DataFrame.from_records(
        records,
        columns=["kpi", "measure", "unit", "value", "target", "rag", "period", "illustrative", "source"],
    )
