"""The pack's self-assessment section: domains whose self-rated risk worsened since the year before,
and the areas for improvement that no open action answers."""

from __future__ import annotations

from dashboard.queries import self_assessment as queries
from dashboard.reports import tables
from dashboard.reports.pack.blocks import INTEGER, YES_NO, Section, Table
from dashboard.reports.tables import TableDefinition

WORSENED = TableDefinition(
    "Self-assessment domains whose rating worsened",
    (
        tables.Column("domain", "Domain"),
        tables.Column("previous_year", "Year before", INTEGER),
        tables.Column("before", "Rating then"),
        tables.Column("year", "Latest year", INTEGER),
        tables.Column("after", "Rating now"),
        tables.Column("illustrative", "Illustrative data", YES_NO),
    ),
)
UNANSWERED = TableDefinition(
    "Self-assessment areas no action answers",
    (
        tables.Column("domain", "Domain"),
        tables.Column("text", "Area for improvement (2016)"),
        tables.Column("recommendation", "Recommendation"),
        tables.Column("source", "Source", tables.SOURCE),
    ),
)


def self_assessment_section() -> Section:
    records = queries.domains()
    worsened = [change for change in queries.changes_since_last(records) if change["change"] == "worse"]
    unanswered = queries.unanswered_areas(records)
    worse_words = (
        f"{len(worsened)} domain{'s' if len(worsened) != 1 else ''} rated worse than the year before"
        if worsened
        else "No domain is rated worse than the year before"
    )
    return Section(
        sheet="Self-assessment",
        heading="Self-assessment",
        intro=[
            f"{worse_words}; {len(unanswered)} area{'s' if len(unanswered) != 1 else ''} for improvement "
            f"{'has' if len(unanswered) == 1 else 'have'} no open action answering {'it' if len(unanswered) == 1 else 'them'}."
        ],
        tables=[
            Table.of(
                WORSENED,
                worsened,
                title="Domains whose rating worsened",
                empty="No domain's rating worsened.",
            ),
            Table.of(
                UNANSWERED,
                unanswered,
                title="Areas for improvement with no action answering them",
                empty="Every area for improvement has an open action answering it.",
            ),
        ],
        illustrative=any(change["illustrative"] for change in worsened),
    )
