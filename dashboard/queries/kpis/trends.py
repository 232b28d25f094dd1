"""A KPI's SPC trends: each area's series with its XmR statistics, RAG and special causes."""

from __future__ import annotations

import pandas as pd

from dashboard.domain import kpi_rules
from dashboard.queries.kpis.catalogue import CITY, kpi_details
from dashboard.queries.kpis.comparison import VALUE_COLUMNS, kpi_value_rows

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
    values = kpi_value_rows(code)
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
