"""A KPI's values and periods, and the constituencies and the city compared in one period."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from dashboard import models as m
from dashboard.db import session_scope
from dashboard.domain import kpi_rules
from dashboard.domain.values import is_missing
from dashboard.queries.kpis.catalogue import CITY, kpi_details, kpis_details

VALUE_COLUMNS = [
    "value_id",
    "kpi",
    "area_key",
    "area",
    "area_kind",
    "period_label",
    "period_start",
    "period_end",
    "value",
    "note",
    "source",
    "illustrative",
    "version",
]


def kpi_values(
    code: str, area_kinds: tuple[str, ...] = ("constituency", "city"), period_labels: list[str] | None = None
) -> pd.DataFrame:
    """Every value of one KPI for areas of these kinds (in these periods), oldest period first."""
    return pd.DataFrame.from_records(kpi_value_rows(code, area_kinds, period_labels), columns=VALUE_COLUMNS)


def kpi_value_rows(
    code: str, area_kinds: tuple[str, ...] = ("constituency", "city"), period_labels: list[str] | None = None
) -> list[tuple]:
    """kpi_values' rows as tuples in VALUE_COLUMNS order (oldest period first, then by area name)."""
    conditions = [m.KpiValue.period_label.in_(period_labels)] if period_labels is not None else []
    with session_scope() as db:
        rows = db.execute(
            select(
                m.KpiValue.id,
                m.Kpi.code,
                m.Area.key,
                m.Area.name,
                m.Area.kind,
                m.KpiValue.period_label,
                m.KpiValue.period_start,
                m.KpiValue.period_end,
                m.KpiValue.value,
                m.KpiValue.note,
                m.KpiValue.source,
                m.KpiValue.illustrative,
                m.KpiValue.version,
            )
            .join(m.Kpi, m.Kpi.id == m.KpiValue.kpi_id)
            .join(m.Area, m.Area.id == m.KpiValue.area_id)
            .where(m.Kpi.code == code, m.Area.kind.in_(area_kinds), *conditions)
            .order_by(m.KpiValue.period_end, m.KpiValue.period_start, m.Area.name)
        ).all()
    return [tuple(row) for row in rows]


COMPARED_KINDS = ("constituency", "city")


def _periods_statement(codes: list[str]):
    return (
        select(m.Kpi.code, m.KpiValue.period_label, m.KpiValue.period_end, m.KpiValue.period_start)
        .join(m.Kpi, m.Kpi.id == m.KpiValue.kpi_id)
        .join(m.Area, m.Area.id == m.KpiValue.area_id)
        .where(m.Kpi.code.in_(codes), m.Area.kind.in_(COMPARED_KINDS))
        .distinct()
        .order_by(m.Kpi.code, m.KpiValue.period_end.desc(), m.KpiValue.period_start.desc())
    )


def _labels_by_code(rows) -> dict[str, list[str]]:
    """Each KPI's period labels, latest first, each once (rows as _periods_statement orders them)."""
    labels: dict[str, dict[str, None]] = {}
    for code, label, _end, _start in rows:
        labels.setdefault(code, {})[label] = None
    return {code: list(found) for code, found in labels.items()}


def periods(code: str) -> list[str]:
    """Period labels with constituency or city values for one KPI, latest first."""
    with session_scope() as db:
        rows = db.execute(_periods_statement([code])).all()
    return _labels_by_code(rows).get(code, [])


def _value_or_none(value):
    return None if is_missing(value) else float(value)


COMPARISON_COLUMNS = [
    "area_key",
    "area",
    "area_kind",
    "period_label",
    "value",
    "target",
    "tolerance",
    "rag",
    "rank",
    "previous_value",
    "change",
    "illustrative",
    "source",
    "note",
]


def constituency_comparison(
    code: str, period: str | None, kpi: dict | None = None, labels: list[str] | None = None
) -> pd.DataFrame:
    """The ten constituencies and the city for one KPI and period: value, target, RAG, rank, change.

    `kpi` (kpi_details) and `labels` (periods) may be passed by a caller that has already read them.
    Missing stays None (never NaN or 0) so every reader sees "no value".
    """
    records = constituency_comparison_records(code, period, kpi, labels)
    return pd.DataFrame(records, columns=COMPARISON_COLUMNS, dtype=object)


def _chosen_and_previous(labels: list[str], period: str | None) -> tuple[str, str | None]:
    chosen = period if period in labels else labels[0]
    position = labels.index(chosen)
    return chosen, (labels[position + 1] if position + 1 < len(labels) else None)


def _values_statement(codes: list[str], labels: list[str]):
    return (
        select(
            m.Kpi.code,
            m.Area.key,
            m.KpiValue.period_label,
            m.KpiValue.value,
            m.KpiValue.note,
            m.KpiValue.source,
            m.KpiValue.illustrative,
        )
        .join(m.Kpi, m.Kpi.id == m.KpiValue.kpi_id)
        .join(m.Area, m.Area.id == m.KpiValue.area_id)
        .where(m.Kpi.code.in_(codes), m.Area.kind.in_(COMPARED_KINDS), m.KpiValue.period_label.in_(labels))
        .order_by(m.KpiValue.period_end, m.KpiValue.period_start)
    )


def _compared_areas(db) -> list:
    return db.execute(
        select(m.Area.key, m.Area.name, m.Area.kind)
        .where(m.Area.kind.in_(COMPARED_KINDS))
        .order_by(m.Area.kind.desc(), m.Area.name)
    ).all()


def constituency_comparison_records(
    code: str, period: str | None, kpi: dict | None = None, labels: list[str] | None = None
) -> list[dict]:
    """constituency_comparison as plain records (COMPARISON_COLUMNS keys), for the page. Built in plain
    Python from the rows: on eleven areas pandas' indexing was most of the time."""
    kpi = kpi if kpi is not None else kpi_details(code)
    if kpi is None:
        return []
    labels = labels if labels is not None else periods(code)
    if not labels:
        return []
    chosen, previous = _chosen_and_previous(labels, period)
    with session_scope() as db:
        values = db.execute(_values_statement([code], [label for label in (chosen, previous) if label])).all()
        areas = _compared_areas(db)
    return _comparison(kpi, chosen, previous, values, areas)


def latest_comparisons(codes: list[str]) -> dict[str, tuple[dict, list[dict]]]:
    """Each KPI's catalogue entry and its latest comparison (as constituency_comparison_records(code,
    None) reads it), by code, for the KPIs that have compared values: in four reads for them all,
    where reading the board pack's twelve one by one took 48."""
    details = kpis_details(codes)
    with session_scope() as db:
        labels = _labels_by_code(db.execute(_periods_statement(codes)).all())
        chosen = {
            code: _chosen_and_previous(found, None) for code, found in labels.items() if code in details
        }
        wanted = {label for pair in chosen.values() for label in pair if label}
        values = db.execute(_values_statement(list(chosen), sorted(wanted))).all() if chosen else []
        areas = _compared_areas(db)
    by_code: dict[str, list] = {}
    for row in values:
        by_code.setdefault(row.code, []).append(row)
    return {
        code: (details[code], _comparison(details[code], *chosen[code], by_code.get(code, []), areas))
        for code in codes
        if code in chosen
    }


def _comparison(kpi: dict, chosen: str, previous: str | None, values: list, areas: list) -> list[dict]:
    """The compared areas' records for one KPI from its values in the chosen and previous periods."""
    # (kpi, area, period) is unique, so each area has at most one value in each period.
    current = {row.key: row for row in values if row.period_label == chosen}
    before = {row.key: row for row in values if previous and row.period_label == previous}
    records = []
    for key, name, kind in areas:
        if kind == "city" and key != CITY:
            continue
        row = current.get(key)
        value = _value_or_none(row.value) if row is not None else None
        previous_row = before.get(key)
        previous_value = _value_or_none(previous_row.value) if previous_row is not None else None
        records.append(
            {
                "area_key": key,
                "area": name,
                "area_kind": kind,
                "period_label": chosen,
                "value": value,
                "target": kpi["target"],
                "tolerance": kpi["tolerance"],
                "rag": kpi_rules.rag_status(value, kpi["target"], kpi["tolerance"], kpi["polarity"]),
                "rank": None,
                "previous_value": previous_value,
                "change": None
                if value is None or previous_value is None
                else round(value - previous_value, 2),
                "illustrative": bool(row.illustrative) if row is not None else False,
                "source": row.source if row is not None else "",
                "note": row.note if row is not None else None,
            }
        )
    constituencies = [record for record in records if record["area_kind"] == "constituency"]
    ranks = kpi_rules.rank_values([record["value"] for record in constituencies], kpi["polarity"])
    for record, rank in zip(constituencies, ranks, strict=True):
        record["rank"] = rank
    return records
