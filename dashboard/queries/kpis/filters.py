"""The /kpis view's choices, kept in the URL."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.queries.params import LinkedFilters, QueryParams, present

DEFAULT_KPI = "CON-FIRST-CONTACT"


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
