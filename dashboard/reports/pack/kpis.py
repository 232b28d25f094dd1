"""The pack's KPIs section: the exceptions and the latest constituency comparison of each KPI."""

from __future__ import annotations

from dashboard.queries import kpis as kpi_queries
from dashboard.reports import tables
from dashboard.reports.pack.blocks import INTEGER, NUMBER, YES_NO, Section, Table
from dashboard.reports.tables import TableDefinition

KPI_EXCEPTIONS = TableDefinition(
    "KPI exceptions",
    (
        tables.Column("kpi", "KPI"),
        tables.Column("kpi_name", "Measure"),
        tables.Column("area", "Area"),
        tables.Column("latest_period", "Latest period"),
        tables.Column("latest_value", "Latest value", NUMBER),
        tables.Column("target", "Target", NUMBER),
        tables.Column("rag", "RAG"),
        tables.Column("red_periods", "Red periods in a row", INTEGER),
        tables.Column("why", "Why it is here"),
        tables.Column("illustrative", "Illustrative data", YES_NO),
    ),
)
KPI_COMPARISON = TableDefinition(
    "KPI constituency comparison",
    (
        tables.Column("kpi", "KPI"),
        tables.Column("kpi_name", "Measure"),
        tables.Column("period_label", "Period"),
        tables.Column("area", "Area"),
        tables.Column("value", "Value", NUMBER),
        tables.Column("target", "Target", NUMBER),
        tables.Column("rag", "RAG"),
        tables.Column("rank", "Rank (1 = best)", INTEGER),
        tables.Column("previous_value", "Previous period", NUMBER),
        tables.Column("change", "Change", NUMBER),
        tables.Column("illustrative", "Illustrative data", YES_NO),
    ),
)


def kpi_section() -> Section:
    exceptions = kpi_queries.exceptions()
    exception_table = Table.of(
        KPI_EXCEPTIONS,
        exceptions.to_dict("records"),
        title="Exceptions: red for two periods running or a real (not chance) deterioration",
        empty="No KPI is red twice in a row or showing a real deterioration.",
    )
    comparison_records, illustrative = (
        [],
        bool(exceptions["illustrative"].any()) if not exceptions.empty else False,
    )
    for option in kpi_queries.constituency_kpi_options():
        code = option["value"]
        details = kpi_queries.kpi_details(code) or {}
        comparison = kpi_queries.constituency_comparison(code, None)
        # Only the areas that have a value: transition KPIs are reported for the city alone.
        comparison = comparison[comparison["value"].notna()] if not comparison.empty else comparison
        for row in comparison.to_dict("records"):
            flagged = bool(row["illustrative"]) or bool(details.get("illustrative"))
            illustrative = illustrative or flagged
            comparison_records.append(
                {**row, "kpi": code, "kpi_name": details.get("name"), "illustrative": flagged}
            )
    comparison_table = Table.of(
        KPI_COMPARISON,
        comparison_records,
        title="Latest constituency comparison, by KPI",
        empty="No constituency values are recorded.",
    )
    codes = len(dict.fromkeys(exceptions["kpi"])) if not exceptions.empty else 0
    return Section(
        sheet="KPIs",
        heading="KPIs",
        intro=[
            f"{codes} KPI{'s' if codes != 1 else ''} {'needs' if codes == 1 else 'need'} attention "
            f"({len(exceptions)} area{'s' if len(exceptions) != 1 else ''})."
        ],
        tables=[exception_table, comparison_table],
        illustrative=illustrative,
    )
