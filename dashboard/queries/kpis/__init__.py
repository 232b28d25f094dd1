"""KPI reads: the catalogue, constituency comparison, SPC trends, exceptions and the customer-journey funnel.

One module per responsibility; the names the pages, callbacks and reports use are re-exported here.
The exceptions' page size lives in `attention` (EXCEPTIONS_PER_PAGE), where `exceptions` reads it.
"""

from dashboard.queries.kpis import attention, catalogue, comparison, filters, history, journey, trends
from dashboard.queries.kpis.attention import ExceptionCounts, exception_counts, exceptions
from dashboard.queries.kpis.catalogue import (
    CITY,
    NOT_CHOSEN,
    UNIT_LABELS,
    all_kpi_options,
    area_options,
    constituency_kpi_options,
    kpi_catalogue,
    kpi_catalogue_records,
    kpi_details,
    outcome_areas,
)
from dashboard.queries.kpis.comparison import (
    constituency_comparison,
    constituency_comparison_records,
    kpi_values,
    latest_comparisons,
    periods,
)
from dashboard.queries.kpis.filters import DEFAULT_KPI, KpiFilters
from dashboard.queries.kpis.history import kpi_value_history, kpi_value_label
from dashboard.queries.kpis.journey import birmingham_access, funnel
from dashboard.queries.kpis.trends import spc_trend_records, spc_trends

__all__ = [
    "CITY",
    "DEFAULT_KPI",
    "NOT_CHOSEN",
    "UNIT_LABELS",
    "ExceptionCounts",
    "KpiFilters",
    "all_kpi_options",
    "area_options",
    "attention",
    "birmingham_access",
    "catalogue",
    "comparison",
    "constituency_comparison",
    "constituency_comparison_records",
    "constituency_kpi_options",
    "exception_counts",
    "exceptions",
    "filters",
    "funnel",
    "history",
    "journey",
    "kpi_catalogue",
    "kpi_catalogue_records",
    "kpi_details",
    "kpi_value_history",
    "kpi_value_label",
    "kpi_values",
    "latest_comparisons",
    "outcome_areas",
    "periods",
    "spc_trend_records",
    "spc_trends",
    "trends",
]
