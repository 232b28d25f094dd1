"""KPI reads: the catalogue, constituency comparison, SPC trends, exceptions and the customer-journey funnel."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Integer, case, func, select

from dashboard import models as m
from dashboard.db import session_scope
from dashboard.domain import kpi_rules
from dashboard.domain.values import is_missing
from dashboard.queries.params import LinkedFilters, QueryParams, present

DEFAULT_KPI = "CON-FIRST-CONTACT"
CITY = "birmingham"
NOT_CHOSEN = "-"  # a form select's "Choose …" entry (an empty value would show a blank select)
UNIT_LABELS = {
    "percent": "%",
    "number": "number",
    "rate_per_100k": "per 100,000",
    "score": "score",
    "days": "days",
}


@dataclass(frozen=True)
class KpiFilters(LinkedFilters):
    """The /kpis view's choices; each one lives in the URL's query string."""

    kpi: str = DEFAULT_KPI
    period: str | None = None  # a period label; None = the latest with values
    outcome_area: str | None = None  # catalogue filter

    @classmethod
    def from_query(cls, query: dict) -> KpiFilters:
        params = QueryParams(query)
        return cls(
            kpi=params.text("kpi") or DEFAULT_KPI,
            period=params.text("period"),
            outcome_area=params.text("outcome"),
        )

    def to_query(self) -> dict[str, str]:
        values = {
            "kpi": None if self.kpi == DEFAULT_KPI else self.kpi,
            "period": self.period,
            "outcome": self.outcome_area,
        }
        return present(values)


CATALOGUE_COLUMNS = [
    "code",
    "name",
    "definition",
    "unit",
    "polarity",
    "target",
    "tolerance",
    "frequency",
    "outcome_area",
    "source",
    "values_source",
    "illustrative",
]


def kpi_catalogue(outcome_area: str | None = None) -> pd.DataFrame:
    return pd.DataFrame.from_records(kpi_catalogue_records(outcome_area), columns=CATALOGUE_COLUMNS)


def kpi_catalogue_records(outcome_area: str | None = None) -> list[dict]:
    """Every KPI (in one outcome area) as plain records, by outcome area and code."""
    statement = select(*(getattr(m.Kpi, column) for column in CATALOGUE_COLUMNS)).order_by(
        m.Kpi.outcome_area, m.Kpi.code
    )
    if outcome_area:
        statement = statement.where(m.Kpi.outcome_area == outcome_area)
    with session_scope() as db:
        rows = db.execute(statement).all()
    return [dict(zip(CATALOGUE_COLUMNS, row, strict=True)) for row in rows]


def kpi_details(code: str) -> dict | None:
    with session_scope() as db:
        kpi = db.scalars(select(m.Kpi).where(m.Kpi.code == code)).first()
        if kpi is None:
            return None
        return {column: getattr(kpi, column) for column in CATALOGUE_COLUMNS} | {"id": kpi.id}


def outcome_areas() -> list[str]:
    with session_scope() as db:
        return list(db.scalars(select(m.Kpi.outcome_area).distinct().order_by(m.Kpi.outcome_area)).all())


def constituency_kpi_options() -> list[dict[str, str]]:
    """KPIs that have values for constituencies or the city over more than one period (for the views)."""
    with session_scope() as db:
        rows = db.execute(
            select(m.Kpi.code, m.Kpi.name, m.Kpi.illustrative)
            .join(m.KpiValue, m.KpiValue.kpi_id == m.Kpi.id)
            .join(m.Area, m.Area.id == m.KpiValue.area_id)
            .where(m.Area.kind == "constituency")
            .distinct()
            .order_by(m.Kpi.code)
        ).all()
        city = db.execute(
            select(m.Kpi.code, m.Kpi.name, m.Kpi.illustrative)
            .join(m.KpiValue, m.KpiValue.kpi_id == m.Kpi.id)
            .join(m.Area, m.Area.id == m.KpiValue.area_id)
            .where(m.Area.key == CITY, m.Kpi.code.like("TR-%"))
            .distinct()
            .order_by(m.Kpi.code)
        ).all()
    seen, options = set(), []
    for code, name, _illustrative in [*rows, *city]:
        if code not in seen:
            seen.add(code)
            options.append({"label": f"{name} ({code})", "value": code})
    return options


def all_kpi_options() -> list[dict[str, str]]:
    with session_scope() as db:
        rows = db.execute(select(m.Kpi.code, m.Kpi.name).order_by(m.Kpi.code)).all()
    return [{"label": f"{code} · {name}", "value": code} for code, name in rows]


def area_options(kinds: tuple[str, ...] = ("constituency", "city", "team")) -> list[dict[str, str]]:
    with session_scope() as db:
        rows = db.execute(
            select(m.Area.key, m.Area.name, m.Area.kind).where(m.Area.kind.in_(kinds)).order_by(m.Area.name)
        ).all()
    return [{"label": name, "value": key} for key, name, _kind in rows]


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
    return pd.DataFrame.from_records(_kpi_value_rows(code, area_kinds, period_labels), columns=VALUE_COLUMNS)


def _kpi_value_rows(
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


def periods(code: str) -> list[str]:
    """Period labels with constituency or city values for one KPI, latest first."""
    with session_scope() as db:
        rows = db.execute(
            select(m.KpiValue.period_label, m.KpiValue.period_end, m.KpiValue.period_start)
            .join(m.Kpi, m.Kpi.id == m.KpiValue.kpi_id)
            .join(m.Area, m.Area.id == m.KpiValue.area_id)
            .where(m.Kpi.code == code, m.Area.kind.in_(("constituency", "city")))
            .distinct()
            .order_by(m.KpiValue.period_end.desc(), m.KpiValue.period_start.desc())
        ).all()
    return list(dict.fromkeys(label for label, _, _ in rows))


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
    chosen = period if period in labels else labels[0]
    position = labels.index(chosen)
    previous = labels[position + 1] if position + 1 < len(labels) else None
    wanted = [label for label in (chosen, previous) if label]
    with session_scope() as db:
        values = db.execute(
            select(
                m.Area.key,
                m.KpiValue.period_label,
                m.KpiValue.value,
                m.KpiValue.note,
                m.KpiValue.source,
                m.KpiValue.illustrative,
            )
            .join(m.Kpi, m.Kpi.id == m.KpiValue.kpi_id)
            .join(m.Area, m.Area.id == m.KpiValue.area_id)
            .where(
                m.Kpi.code == code,
                m.Area.kind.in_(("constituency", "city")),
                m.KpiValue.period_label.in_(wanted),
            )
            .order_by(m.KpiValue.period_end, m.KpiValue.period_start)
        ).all()
        areas = db.execute(
            select(m.Area.key, m.Area.name, m.Area.kind)
            .where(m.Area.kind.in_(("constituency", "city")))
            .order_by(m.Area.kind.desc(), m.Area.name)
        ).all()
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


SPC_COLUMNS = [
    "area_key",
    "area",
    "period_label",
    "period_end",
    "value",
    "mean",
    "upper_limit",
    "lower_limit",
    "target",
    "rag",
    "variation",
    "special_cause",
    "illustrative",
]


def spc_trends(code: str) -> pd.DataFrame:
    """One row per area and period with its XmR statistics (city first, then constituencies by name)."""
    return pd.DataFrame.from_records(spc_trend_records(code), columns=SPC_COLUMNS)


def spc_trend_records(code: str, kpi: dict | None = None) -> list[dict]:
    """spc_trends as plain records (SPC_COLUMNS keys), for the page: `kpi` may be passed when read."""
    kpi = kpi if kpi is not None else kpi_details(code)
    values = _kpi_value_rows(code)
    if kpi is None or not values:
        return []
    # Grouped in plain Python: a KPI has a dozen short series, where pandas' per-group overhead
    # (filter, sort, a frame per area) cost more than the statistics. The rows come oldest first.
    by_area: dict[str, list[dict]] = {}
    for row in values:
        record = dict(zip(VALUE_COLUMNS, row, strict=True))
        by_area.setdefault(record["area_key"], []).append(record)
    rows = []
    for key in [CITY] + sorted(key for key in by_area if key != CITY):
        series = by_area.get(key)
        if not series:
            continue
        result = kpi_rules.spc([record["value"] for record in series], kpi["polarity"])
        for index, record in enumerate(series):
            value = result.values[index]
            rows.append(
                (
                    key,
                    record["area"],
                    record["period_label"],
                    record["period_end"],
                    value,
                    result.mean,
                    result.upper_limit,
                    result.lower_limit,
                    kpi["target"],
                    kpi_rules.rag_status(value, kpi["target"], kpi["tolerance"], kpi["polarity"]),
                    result.variation[index],
                    "; ".join(kpi_rules.special_cause_reasons(result, index)) or None,
                    bool(record["illustrative"]),
                )
            )
    return [dict(zip(SPC_COLUMNS, row, strict=True)) for row in rows]


EXCEPTION_AREA_KINDS = ("constituency", "city", "team", "council")
EXCEPTION_COLUMNS = [
    "kpi",
    "kpi_name",
    "area",
    "latest_period",
    "latest_value",
    "target",
    "rag",
    "red_periods",
    "variation",
    "why",
    "illustrative",
]


EXCEPTIONS_PER_PAGE = 100  # rows the page's exceptions table holds at a time; downloads have them all


def _exception_conditions() -> tuple:
    return (m.KpiSeries.is_exception.is_(True), m.Area.kind.in_(EXCEPTION_AREA_KINDS))


def exceptions(page: int | None = None) -> pd.DataFrame:
    """KPIs Red for the latest two or more periods in a row, or whose latest point is special-cause concern.

    The longest-running Reds first. `page` reads one page of EXCEPTIONS_PER_PAGE rows; without it,
    every row (the board pack and the downloads). Read from kpi_series, which the write path keeps
    in step with every value (dashboard/services/kpi_series.py).
    """
    query = (
        select(
            m.Kpi.code,
            m.Kpi.name,
            m.Area.name,
            m.KpiSeries.latest_period,
            m.KpiSeries.latest_value,
            m.Kpi.target,
            m.KpiSeries.rag,
            m.KpiSeries.red_periods,
            m.KpiSeries.variation,
            m.KpiSeries.why,
            m.KpiSeries.illustrative,
        )
        .join(m.Kpi, m.Kpi.id == m.KpiSeries.kpi_id)
        .join(m.Area, m.Area.id == m.KpiSeries.area_id)
        .where(*_exception_conditions())
        .order_by(m.KpiSeries.red_periods.desc(), m.Kpi.code, m.Area.name)
    )
    if page is not None:
        query = query.limit(EXCEPTIONS_PER_PAGE).offset((max(page, 1) - 1) * EXCEPTIONS_PER_PAGE)
    with session_scope() as db:
        rows = db.execute(query).all()
    return pd.DataFrame.from_records([tuple(row) for row in rows], columns=EXCEPTION_COLUMNS)


@dataclass(frozen=True)
class ExceptionCounts:
    total: int  # KPI and area combinations needing attention
    red: int  # of them, Red for two or more periods in a row
    concern: int  # of them, special-cause concern at the latest point
    kpis: list[str]  # the KPIs concerned, the longest-running Red first
    illustrative: bool  # any of them drawn from illustrative values


def exception_counts() -> ExceptionCounts:
    """The exceptions counted in SQL, over every row, without reading them."""
    red = func.sum(case((m.KpiSeries.red_periods >= 2, 1), else_=0))
    concern = func.sum(case((m.KpiSeries.variation == "concern", 1), else_=0))
    with session_scope() as db:
        by_kpi = db.execute(
            select(
                m.Kpi.code,
                func.count(),
                red,
                concern,
                func.max(m.KpiSeries.illustrative.cast(Integer)),
            )
            .join(m.Kpi, m.Kpi.id == m.KpiSeries.kpi_id)
            .join(m.Area, m.Area.id == m.KpiSeries.area_id)
            .where(*_exception_conditions())
            .group_by(m.Kpi.code)
            .order_by(func.max(m.KpiSeries.red_periods).desc(), m.Kpi.code)
        ).all()
    return ExceptionCounts(
        total=sum(int(row[1]) for row in by_kpi),
        red=sum(int(row[2]) for row in by_kpi),
        concern=sum(int(row[3]) for row in by_kpi),
        kpis=[row[0] for row in by_kpi],
        illustrative=any(int(row[4] or 0) for row in by_kpi),
    )


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


def kpi_value_history(limit: int = 20) -> pd.DataFrame:
    """The latest values entered through the form or upload (not the seed)."""
    with session_scope() as db:
        rows = db.execute(
            select(
                m.Kpi.code,
                m.Area.name,
                m.KpiValue.period_label,
                m.KpiValue.value,
                m.KpiValue.updated_by,
                m.KpiValue.updated_at,
            )
            .join(m.Kpi, m.Kpi.id == m.KpiValue.kpi_id)
            .join(m.Area, m.Area.id == m.KpiValue.area_id)
            .where(m.KpiValue.updated_by != "seed")
            .order_by(m.KpiValue.updated_at.desc(), m.KpiValue.id.desc())
            .limit(limit)
        ).all()
    return pd.DataFrame.from_records(
        [tuple(row) for row in rows], columns=["kpi", "area", "period", "value", "by", "at"]
    )


def kpi_value_label(value_id: int) -> dict | None:
    """What a stored KPI value is for, in the words the page uses: KPI code, area name, period."""
    with session_scope() as db:
        row = db.execute(
            select(m.Kpi.code, m.Area.name, m.KpiValue.period_label)
            .join(m.Kpi, m.Kpi.id == m.KpiValue.kpi_id)
            .join(m.Area, m.Area.id == m.KpiValue.area_id)
            .where(m.KpiValue.id == value_id)
        ).first()
    return None if row is None else {"kpi": row[0], "area": row[1], "period": row[2]}
