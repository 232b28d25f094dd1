"""Keeps kpi_series (each KPI × area series' standing) in step with kpi_values.

The exceptions list asks, for every series, whether it has been Red for the latest two periods or
more, or whether its latest point is a special-cause concern. Answering that from kpi_values means
reading every value ever recorded; instead each series' answer is stored in kpi_series and
recomputed, for the series that changed only, in the same transaction as the change:

- any ORM change to a KpiValue (forms, uploads, the spreadsheet import, the seed) marks its series,
  and a change to a Kpi's target, tolerance or polarity marks all of that KPI's series;
- just before the transaction commits, the marked series are recomputed from their values.

Bulk loads that bypass the ORM (benchmarks/generate.py) call `refresh(connection)` themselves.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, delete, event, insert, select, tuple_
from sqlalchemy.orm import Session

from dashboard import models as m
from dashboard.domain import kpi_rules

_PENDING = "kpi_series_pending"
_ALL = "all"
CHUNK = 500  # series recomputed per round trip


def standing(values: list, target, tolerance, polarity: str) -> dict:
    """One series' standing from its values in time order (None = a missing value)."""
    rags = [kpi_rules.rag_status(value, target, tolerance, polarity) for value in values]
    streak = kpi_rules.red_streak(rags)
    result = kpi_rules.spc(values, polarity)
    concern = len(values) >= 2 and result.latest_variation == kpi_rules.CONCERN
    why = []
    if streak >= 2:
        why.append(f"Red for the last {streak} periods")
    if concern:
        latest = max(i for i, v in enumerate(result.values) if v is not None)
        why.append("special-cause concern: " + "; ".join(kpi_rules.special_cause_reasons(result, latest)))
    return {
        "rag": rags[-1] if rags else None,
        "red_periods": streak,
        "variation": result.latest_variation,
        "why": "; ".join(why),
        "is_exception": streak >= 2 or concern,
    }


def refresh(connection: Connection, series: Iterable[tuple[int, int]] | None = None) -> int:
    """Recompute the standing of these (kpi_id, area_id) series, or of every series; returns how many."""
    kpis = {
        kpi_id: (target, tolerance, polarity)
        for kpi_id, target, tolerance, polarity in connection.execute(
            select(m.Kpi.id, m.Kpi.target, m.Kpi.tolerance, m.Kpi.polarity)
        )
    }
    if series is None:
        connection.execute(delete(m.KpiSeries))
        wanted = [
            tuple(row) for row in connection.execute(select(m.KpiValue.kpi_id, m.KpiValue.area_id).distinct())
        ]
    else:
        wanted = sorted(set(series))
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        key = tuple_(m.KpiValue.kpi_id, m.KpiValue.area_id)
        rows = connection.execute(
            select(
                m.KpiValue.kpi_id,
                m.KpiValue.area_id,
                m.KpiValue.period_label,
                m.KpiValue.value,
                m.KpiValue.illustrative,
            )
            .where(key.in_(chunk))
            .order_by(m.KpiValue.kpi_id, m.KpiValue.area_id, m.KpiValue.period_end, m.KpiValue.period_start)
        )
        grouped: dict[tuple[int, int], list] = {}
        for kpi_id, area_id, label, value, illustrative in rows:
            grouped.setdefault((kpi_id, area_id), []).append((label, value, illustrative))
        if series is not None:
            connection.execute(
                delete(m.KpiSeries).where(tuple_(m.KpiSeries.kpi_id, m.KpiSeries.area_id).in_(chunk))
            )
        records = []
        for (kpi_id, area_id), points in grouped.items():
            target, tolerance, polarity = kpis[kpi_id]
            label, value, _ = points[-1]
            records.append(
                {
                    "kpi_id": kpi_id,
                    "area_id": area_id,
                    "latest_period": label,
                    "latest_value": value,
                    "illustrative": any(flag for _, _, flag in points),
                    **standing([point[1] for point in points], target, tolerance, polarity),
                }
            )
        if records:
            connection.execute(insert(m.KpiSeries), records)
    return len(wanted)


@event.listens_for(Session, "after_flush")
def _note_changed_series(session: Session, _context) -> None:
    pending = session.info.setdefault(_PENDING, set())
    for instance in (*session.new, *session.dirty, *session.deleted):
        if isinstance(instance, m.KpiValue) and instance.kpi_id is not None:
            pending.add((instance.kpi_id, instance.area_id))
        elif isinstance(instance, m.Kpi) and instance.id is not None and session.is_modified(instance):
            pending.add((_ALL, instance.id))


@event.listens_for(Session, "before_commit")
def _refresh_changed_series(session: Session) -> None:
    session.flush()
    pending = session.info.pop(_PENDING, set())
    if not pending:
        return
    connection = session.connection()
    whole_kpis = [kpi_id for marker, kpi_id in pending if marker == _ALL]
    series = {pair for pair in pending if pair[0] != _ALL}
    if whole_kpis:
        series |= {
            tuple(row)
            for row in connection.execute(
                select(m.KpiValue.kpi_id, m.KpiValue.area_id)
                .where(m.KpiValue.kpi_id.in_(whole_kpis))
                .distinct()
            )
        }
    refresh(connection, series)


@event.listens_for(Session, "after_rollback")
def _forget_changed_series(session: Session) -> None:
    session.info.pop(_PENDING, None)
