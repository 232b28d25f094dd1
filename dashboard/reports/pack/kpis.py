"""The pack's KPIs section: the exceptions and the latest constituency comparison of each KPI."""

from __future__ import annotations

from dashboard.queries import kpis as kpi_queries
from dashboard.queries.kpis.attention import EXCEPTIONS_PER_PAGE
from dashboard.reports import tables
from dashboard.reports.pack.blocks import INTEGER, NUMBER, PACK_ROWS, YES_NO, Section, Table, more_of
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
# KPIs whose latest constituency comparison the pack lists (each up to eleven areas: the seed's twelve
# KPIs in all); the rest are counted.
COMPARISON_KPIS = 12


def kpi_section(limit: int = PACK_ROWS, comparison_kpis: int = COMPARISON_KPIS) -> Section:
    """The first exceptions (the longest-running Reds first, as the KPIs page lists them), half of
    `limit` as the comparison follows them, counted over all in SQL, and the latest comparison of the
    first `comparison_kpis` KPIs."""
    limit = max(1, limit // 2)
    counts = kpi_queries.exception_counts()
    exceptions = kpi_queries.exceptions(page=1 if limit <= EXCEPTIONS_PER_PAGE else None)
    exception_records = exceptions.head(limit).to_dict("records")
    exception_table = Table.of(
        KPI_EXCEPTIONS,
        exception_records,
        title="Exceptions: red for two periods running or a real (not chance) deterioration",
        empty="No KPI is red twice in a row or showing a real deterioration.",
        more=more_of(len(exception_records), counts.total, "exceptions", "the KPIs page", "/kpis"),
    )
    comparison_records, illustrative = [], counts.illustrative
    options = kpi_queries.constituency_kpi_options()
    listed = kpi_queries.latest_comparisons([option["value"] for option in options[:comparison_kpis]])
    for code, (details, comparison) in listed.items():
        # Only the areas that have a value: transition KPIs are reported for the city alone.
        for row in comparison:
            if row["value"] is None:
                continue
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
        more=more_of(
            min(len(options), comparison_kpis),
            len(options),
            "KPIs",
            "the KPIs page (one KPI at a time)",
            "/kpis",
        ),
    )
    codes, areas = len(counts.kpis), counts.total
    return Section(
        sheet="KPIs",
        heading="KPIs",
        intro=[
            f"{codes:,} KPI{'s' if codes != 1 else ''} {'needs' if codes == 1 else 'need'} attention "
            f"({areas:,} area{'s' if areas != 1 else ''})."
        ],
        tables=[exception_table, comparison_table],
        illustrative=illustrative,
    )
