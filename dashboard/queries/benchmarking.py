"""ASCOF benchmarking reads: Birmingham against its comparator councils, ranked from the values.

The ASCOF measures are the KPIs that have values for comparator councils (002's two benchmarking
tables). Ranks are computed here among the councils only (Birmingham and its comparators); the
national average is a reference, never ranked. The document's own "Birmingham Ranking" row
(PublishedRank) is shown beside the computed rank, never in its place.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select

from dashboard import models as m
from dashboard.db import session_scope
from dashboard.domain.ranking import is_improvement, rank_values, ranked_count
from dashboard.domain.values import is_missing
from dashboard.queries.params import LinkedFilters, QueryParams, ignore, present

CITY_KEY = "birmingham"
RANKED_KINDS = ("city", "comparator")  # the councils ranked; "national" is a reference line
SHOWN_KINDS = (*RANKED_KINDS, "national")


@dataclass(frozen=True)
class BenchmarkFilters(LinkedFilters):
    """The /benchmarking view's filters (an ASCOF measure code and a year); both live in the URL."""

    measure: str | None = None
    year: str | None = None

    @classmethod
    def from_query(cls, query: dict[str, str | list[str] | None]) -> BenchmarkFilters:
        params = QueryParams(query, limit=40)  # a measure code or a year: short
        return cls(measure=params.text("measure"), year=params.text("year"))

    def resolved(self, measures: list[str], years: list[str]) -> BenchmarkFilters:
        """These filters with anything unknown replaced by the defaults: the first measure, the latest year
        (an unknown one given is noted as ignored)."""
        if self.measure is not None and self.measure not in measures:
            ignore("measure", self.measure, "not an ASCOF measure of this page")
        if self.year is not None and self.year not in years:
            ignore("year", self.year, "not a year with benchmarking values")
        measure = self.measure if self.measure in measures else (measures[0] if measures else None)
        year = self.year if self.year in years else (years[-1] if years else None)
        return BenchmarkFilters(measure=measure, year=year)

    def to_query(self) -> dict[str, str]:
        return present({"measure": self.measure, "year": self.year})


def _comparator_area_ids():
    return select(m.Area.id).where(m.Area.kind == "comparator")


def _ascof_kpi_ids():
    """The KPIs of the ASCOF benchmarking tables: those with values for comparator councils.

    Looked up by area through the (area_id, kpi_id) index: the comparators hold a few hundred of the
    values, and read from the values' side the whole table was scanned. Grouped in the index's order
    (a KPI comes once per comparator) rather than DISTINCT, which SQLite answered by scanning the
    values in KPI order.
    """
    return (
        select(m.KpiValue.kpi_id)
        .where(m.KpiValue.area_id.in_(_comparator_area_ids()))
        .group_by(m.KpiValue.area_id, m.KpiValue.kpi_id)
    )


MEASURE_COLUMNS = ["code", "name", "definition", "unit", "polarity", "outcome_area", "source"]


def ascof_measures() -> pd.DataFrame:
    """One row per ASCOF measure, in ASCOF order (domain 1 to 4, then by code)."""
    with session_scope() as db:
        rows = db.execute(
            select(
                m.Kpi.code,
                m.Kpi.name,
                m.Kpi.definition,
                m.Kpi.unit,
                m.Kpi.polarity,
                m.Kpi.outcome_area,
                m.Kpi.source,
            )
            .where(m.Kpi.id.in_(_ascof_kpi_ids()))
            .order_by(m.Kpi.code)
        ).all()
    return pd.DataFrame.from_records([tuple(row) for row in rows], columns=MEASURE_COLUMNS)


def ascof_measure_codes() -> list[str]:
    """The ASCOF measures' codes in ASCOF order (ascof_measures' order), without their details."""
    with session_scope() as db:
        return list(db.scalars(select(m.Kpi.code).where(m.Kpi.id.in_(_ascof_kpi_ids())).order_by(m.Kpi.code)))


def ascof_years() -> list[str]:
    """The years the comparator tables cover, oldest first ('2014/15', '2015/16')."""
    with session_scope() as db:
        # The comparator areas' ids first: joined to areas by kind, PostgreSQL expected a quarter of
        # all values to belong to comparators and read the whole table (60 ms at 500,000 values).
        comparators = list(db.scalars(_comparator_area_ids()))
        # And the ASCOF measures' ids (the KPIs with comparator values, so no value is left out): by
        # area alone PostgreSQL still expected one value in fifty to be a comparator's once the teams'
        # values grew, and read all 5 million (0.5 s) for the few hundred the comparators hold. The
        # measures' few values are found through the KPI index.
        ascof_ids = sorted(set(db.scalars(_ascof_kpi_ids())))
        labels = db.execute(
            select(m.KpiValue.period_label, m.KpiValue.period_start)
            .where(m.KpiValue.kpi_id.in_(ascof_ids), m.KpiValue.area_id.in_(comparators))
            .distinct()
            .order_by(m.KpiValue.period_start)
        ).all()
    years: list[str] = []
    for label, _start in labels:
        if label not in years:
            years.append(label)
    return years


def benchmark_options() -> dict[str, list[dict[str, str]]]:
    """Choices for the measure and year selects."""
    measures = ascof_measures()
    return {
        "measures": [
            {"label": f"{row.code} {row.name}", "value": row.code} for row in measures.itertuples(index=False)
        ],
        "years": [{"label": year, "value": year} for year in ascof_years()],
    }


VALUE_COLUMNS = [
    "code",
    "name",
    "unit",
    "polarity",
    "area_key",
    "area",
    "kind",
    "period_label",
    "value",
    "note",
    "source",
    "illustrative",
]


def ascof_value_records(code: str | None = None) -> list[dict]:
    """Every ASCOF value (one measure's when `code` is given) for the councils and the national average,
    as plain records. A missing value ("-" in the document) stays missing (None), never 0."""
    with session_scope() as db:
        # The measures' ids first, then their values by id: with the ids as a subquery PostgreSQL
        # expected most KPIs to match and read every value in the table (100 ms at 500,000 values).
        ascof_ids = sorted(set(db.scalars(_ascof_kpi_ids())))
        statement = (
            select(
                m.Kpi.code,
                m.Kpi.name,
                m.Kpi.unit,
                m.Kpi.polarity,
                m.Area.key,
                m.Area.name,
                m.Area.kind,
                m.KpiValue.period_label,
                m.KpiValue.value,
                m.KpiValue.note,
                m.KpiValue.source,
                m.KpiValue.illustrative,
            )
            .join(m.Kpi, m.Kpi.id == m.KpiValue.kpi_id)
            .join(m.Area, m.Area.id == m.KpiValue.area_id)
            .where(m.KpiValue.kpi_id.in_(ascof_ids), m.Area.kind.in_(SHOWN_KINDS))
            .order_by(m.Kpi.code, m.KpiValue.period_start, m.Area.name)
        )
        if code is not None:
            statement = statement.where(m.Kpi.code == code)
        rows = db.execute(statement).all()
    records = [dict(zip(VALUE_COLUMNS, row, strict=True)) for row in rows]
    for record in records:
        record["value"] = None if is_missing(record["value"]) else float(record["value"])
    return records


def _ranks_by_year(records: list[dict]) -> dict[str, dict[str, int | None]]:
    """{year: {area_key: computed rank}} for the councils of one measure (national excluded)."""
    by_year: dict[str, dict[str, float | None]] = {}
    polarity = None
    for record in records:
        if record["kind"] in RANKED_KINDS:
            by_year.setdefault(record["period_label"], {})[record["area_key"]] = record["value"]
            polarity = polarity or record["polarity"]
    return {year: rank_values(councils, polarity) for year, councils in by_year.items()}


COMPARISON_COLUMNS = [
    "area_key",
    "area",
    "kind",
    "is_city",
    "value",
    "missing",
    "rank",
    "ranked_of",
    "note",
    "value_from",
    "value_to",
    "change",
    "improved",
    "rank_from",
    "rank_to",
    "source",
]


def measure_comparison_records(filters: BenchmarkFilters, years: list[str] | None = None) -> list[dict]:
    """One record per council and the national average for one measure and year, best rank first
    (keys COMPARISON_COLUMNS; ranks int or None).

    `rank` is computed from the values with the measure's polarity among the councils that have a
    value; ties share the best rank. Beside it: the value and rank in the first and last years and
    the change between them (`improved` is True/False/None with the polarity applied).
    Order: ranked councils (best first, then by name), the national average, councils with no value.
    The page reads these records as they are; measure_comparison gives them as a frame.
    """
    years = years if years is not None else ascof_years()
    if not filters.measure or filters.year not in years:
        return []
    values = ascof_value_records(filters.measure)
    if not values:
        return []
    ranks = _ranks_by_year(values)
    polarity = values[0]["polarity"]
    first, last = years[0], years[-1]
    by_area_year = {(row["area_key"], row["period_label"]): row["value"] for row in values}
    chosen = [row for row in values if row["period_label"] == filters.year]
    ranked_of = ranked_count({row["area_key"]: row["value"] for row in chosen if row["kind"] in RANKED_KINDS})
    records = []
    for row in chosen:
        value_from = by_area_year.get((row["area_key"], first))
        value_to = by_area_year.get((row["area_key"], last))
        missing = row["value"] is None
        change = None if value_from is None or value_to is None else round(value_to - value_from, 6)
        records.append(
            {
                "area_key": row["area_key"],
                "area": row["area"],
                "kind": row["kind"],
                "is_city": row["area_key"] == CITY_KEY,
                "value": row["value"],
                "missing": missing,
                "rank": ranks.get(filters.year, {}).get(row["area_key"]),
                "ranked_of": ranked_of if row["kind"] in RANKED_KINDS else None,
                "note": row["note"],
                "value_from": value_from,
                "value_to": value_to,
                "change": change,
                "improved": is_improvement(value_from, value_to, polarity),
                "rank_from": ranks.get(first, {}).get(row["area_key"]),
                "rank_to": ranks.get(last, {}).get(row["area_key"]),
                "source": row["source"],
            }
        )

    def order(record: dict) -> tuple:
        # Ranked councils (best first, then by name), the national average, councils with no value.
        if record["rank"] is not None:
            return (0, record["rank"], record["area"])
        return (1 if record["kind"] == "national" else 2, 999, record["area"])

    records.sort(key=order)
    return records


def measure_comparison(filters: BenchmarkFilters, years: list[str] | None = None) -> pd.DataFrame:
    """measure_comparison_records as a frame (ranks as nullable integers), for the downloads."""
    records = measure_comparison_records(filters, years)
    frame = pd.DataFrame.from_records(records, columns=COMPARISON_COLUMNS)
    for column in ("rank", "ranked_of", "rank_from", "rank_to"):
        frame[column] = frame[column].astype("Int64")
    # True, False or None (unchanged or not known): kept as Python objects, never coerced to bool.
    frame["improved"] = pd.Series([record["improved"] for record in records], index=frame.index, dtype=object)
    return frame


RANK_COLUMNS = [
    "code",
    "name",
    "unit",
    "polarity",
    "period_label",
    "value",
    "national_value",
    "rank",
    "ranked_of",
    "published_rank",
    "differs",
]


def published_ranks(code: str) -> dict[str, int]:
    """{year: rank} as the document printed Birmingham's rank for one measure."""
    with session_scope() as db:
        rows = db.execute(
            select(m.PublishedRank.period_label, m.PublishedRank.rank)
            .join(m.Kpi, m.Kpi.id == m.PublishedRank.kpi_id)
            .where(m.Kpi.code == code)
        ).all()
    return {label: int(rank) for label, rank in rows}


def birmingham_rank_records() -> list[dict]:
    """Birmingham's computed and published rank for every ASCOF measure and year (the heat-table), as
    plain records (keys RANK_COLUMNS; ranks int or None), by code then year.

    `differs` is True where the rank computed from the document's values is not the rank the
    document printed in its "Birmingham Ranking" row. Grouped in plain Python: a frame per measure
    and year cost more than the ranking itself, and the page reads the records as they are.
    """
    values = ascof_value_records()
    with session_scope() as db:
        published = {
            (code, label): int(rank)
            for code, label, rank in db.execute(
                select(m.Kpi.code, m.PublishedRank.period_label, m.PublishedRank.rank).join(
                    m.Kpi, m.Kpi.id == m.PublishedRank.kpi_id
                )
            ).all()
        }
    by_code: dict[str, list[dict]] = {}
    for record in values:
        by_code.setdefault(record["code"], []).append(record)
    rows = []
    for code in sorted(by_code):
        measure = by_code[code]
        ranks = _ranks_by_year(measure)
        first = measure[0]
        by_year: dict[str, list[dict]] = {}
        for record in measure:
            by_year.setdefault(record["period_label"], []).append(record)
        for year, in_year in by_year.items():
            rank = ranks.get(year, {}).get(CITY_KEY)
            published_rank = published.get((code, year))
            rows.append(
                {
                    "code": code,
                    "name": first["name"],
                    "unit": first["unit"],
                    "polarity": first["polarity"],
                    "period_label": year,
                    "value": next((r["value"] for r in in_year if r["area_key"] == CITY_KEY), None),
                    "national_value": next((r["value"] for r in in_year if r["kind"] == "national"), None),
                    "rank": rank,
                    "ranked_of": ranked_count(
                        {r["area_key"]: r["value"] for r in in_year if r["kind"] in RANKED_KINDS}
                    ),
                    "published_rank": published_rank,
                    "differs": rank is not None and published_rank is not None and rank != published_rank,
                }
            )
    return rows
