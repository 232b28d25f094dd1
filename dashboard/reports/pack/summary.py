"""The pack's summary section: the overview's headlines and each organisation's savings."""

from __future__ import annotations

from dashboard.domain.formatting import financial_year_label
from dashboard.queries import overview as overview_queries
from dashboard.reports import tables
from dashboard.reports.pack.blocks import INTEGER, MONEY, YES_NO, Section, Table
from dashboard.reports.tables import SAVING_LINES, TableDefinition

HEADLINES = TableDefinition(
    "headlines",
    (
        tables.Column("measure", "Measure"),
        tables.Column("number", "Number", INTEGER),
        tables.Column("illustrative", "Illustrative data", YES_NO),
    ),
)
SAVINGS_BY_ORGANISATION = TableDefinition(
    "savings by organisation",
    (
        tables.Column("organisation", "Organisation"),
        SAVING_LINES.column("fy_label"),
        tables.Column("target", "Target", MONEY),
        tables.Column("forecast", "Forecast", MONEY),
        tables.Column("realised", "Realised", MONEY),
        tables.Column("at_risk", "Lines at risk from slippage", INTEGER),
        tables.Column("illustrative", "Illustrative data", YES_NO),
    ),
)


def summary_section(facts: overview_queries.Overview, sentences: list[str], data_title: str) -> Section:
    ms, ac = facts.milestones, facts.actions
    headlines = [
        ("Milestones", ms.total, ms.illustrative),
        ("Milestones still open", ms.open, ms.illustrative),
        ("Open milestones at Red", ms.red, ms.illustrative),
        ("Open milestones at Amber", ms.amber, ms.illustrative),
        ("Open milestones at Green", ms.green, ms.illustrative),
        ("Milestones overdue", ms.overdue, ms.illustrative),
        ("Milestones due in the next four weeks", ms.due_in_4_weeks, ms.illustrative),
        ("Peer challenge actions", ac.total, ac.illustrative),
        ("Actions open", ac.open, ac.illustrative),
        ("Actions overdue", ac.overdue, ac.illustrative),
        ("Actions complete, awaiting sign-off", ac.awaiting_sign_off, ac.illustrative),
        ("KPIs needing attention", facts.kpis.exceptions, facts.kpis.illustrative),
        *[(f"Updates owed: {owner}", count, False) for owner, count in facts.updates_owed],
    ]
    measures = Table.of(
        HEADLINES,
        [{"measure": name, "number": number, "illustrative": flag} for name, number, flag in headlines],
        title="Headlines",
    )
    savings = Table.of(
        SAVINGS_BY_ORGANISATION,
        [
            {
                "organisation": saving.organisation,
                "fy_label": financial_year_label(saving.financial_year)
                if saving.financial_year is not None
                else None,
                "target": saving.target,
                "forecast": saving.forecast,
                "realised": saving.realised,
                "at_risk": saving.at_risk,
                "illustrative": saving.illustrative,
            }
            for saving in facts.savings
        ],
        title="Savings by organisation (councils' savings are never added together)",
        empty="No saving lines are recorded.",
    )
    illustrative = any(
        [ms.illustrative, ac.illustrative, facts.kpis.illustrative, *(s.illustrative for s in facts.savings)]
    )
    return Section(
        sheet="Summary",
        heading=data_title,
        intro=sentences,
        tables=[measures, savings],
        illustrative=illustrative,
    )
