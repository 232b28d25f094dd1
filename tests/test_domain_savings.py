"""The savings rules (domain/savings.py) and their SQL twins (queries/savings_summary.py), held to one
table of cases: the Python rule for each case, and the database's answer for the same case."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import BigInteger, Date, Integer, String, case, literal, select

from dashboard.db import session_scope
from dashboard.domain import savings as rules
from dashboard.queries import savings_summary as sql

WEIGHTS = [
    ("Delivered", "1000000.00"),
    ("High", "900000.00"),
    ("Medium", "600000.00"),
    ("Low", "300000.00"),
    (None, "300000.00"),  # not rated counts as Low
]

# target, forecast, confidence: pennies that round half up (away from zero), a blank forecast, negatives
AMOUNTS = [
    ("2000000", "1000000", "High"),
    ("700000", "654000.05", "High"),  # 588,600.045 → 588,600.05
    ("654000", None, "Medium"),  # a blank forecast counts at target
    ("0.05", None, "Low"),  # 1.5p → 2p
    ("-0.05", "-0.05", "Low"),  # −1.5p → −2p
    ("33.35", None, None),  # 1000.5p → 1001p
    ("10.15", "10.15", "Medium"),
    ("0", "0", "Delivered"),
]

SLIPPAGE = [
    # milestone end, confidence, at risk, proposed year (for a line of 2019/20)
    (dt.date(2019, 3, 31), "High", False, None),
    (dt.date(2019, 4, 1), "High", False, None),  # on 1 April itself: not at risk
    (dt.date(2019, 4, 2), "High", True, None),  # later in the same year: at risk, no move
    (dt.date(2020, 3, 31), "Low", True, None),
    (dt.date(2020, 4, 1), "Medium", True, 2020),  # lands in 2020/21
    (dt.date(2021, 6, 30), None, True, 2021),
    (dt.date(2021, 6, 30), "Delivered", False, None),  # delivered savings are not at risk
    (None, "High", False, None),
]


@pytest.mark.parametrize(("confidence", "expected"), WEIGHTS)
def test_confidence_weights(confidence, expected):
    assert rules.weighted_forecast(Decimal("2000000"), Decimal("1000000"), confidence) == Decimal(expected)


def test_weighting_rounds_each_line_to_the_penny_and_a_blank_forecast_counts_at_target():
    # 654,000.05 × 90% = 588,600.045 → 588,600.05 (half up)
    assert rules.weighted_forecast(Decimal("700000"), Decimal("654000.05"), "High") == Decimal("588600.05")
    assert rules.weighted_forecast(Decimal("654000"), None, "Medium") == Decimal("392400.00")


@pytest.mark.parametrize(("end", "confidence", "at_risk", "proposed"), SLIPPAGE)
def test_slippage_rule_on_boundary_dates(end, confidence, at_risk, proposed):
    assert rules.at_risk_from_slippage(2019, confidence, end) is at_risk
    assert rules.proposed_financial_year(2019, confidence, end) == proposed


def test_money_is_pounds_and_pence_and_a_missing_amount_is_none():
    assert rules.money("5450000") == Decimal("5450000.00")
    assert rules.money(0.125) == Decimal("0.13")
    for missing in (None, float("nan"), Decimal("NaN"), "not money", float("inf")):
        assert rules.money(missing) is None
    assert rules.total([Decimal("0.10"), None, "0.20", float("nan")]) == Decimal("0.30")


def _pence(amount: str | None):
    return literal(None if amount is None else int(Decimal(amount) * 100), BigInteger)


def test_the_sql_twins_give_the_rules_answers_case_by_case(database_url):
    year = literal(2019, Integer)
    columns = []
    for end, confidence, _at_risk, _proposed in SLIPPAGE:
        milestone_end = literal(end, Date)
        at_risk = sql.at_risk_sql(year, literal(confidence, String), milestone_end)
        columns += [case((at_risk, 1), else_=0), sql.proposed_year_sql(year, at_risk, milestone_end)]
    for target, forecast, confidence in AMOUNTS:
        plain = sql.plain_forecast_sql(_pence(target), _pence(forecast))
        columns += [plain, sql.weighted_forecast_sql(plain, literal(confidence, String))]
    with session_scope() as db:
        answers = list(db.execute(select(*columns)).one())

    for end, confidence, at_risk, proposed in SLIPPAGE:
        risk, year_to = answers[:2]
        del answers[:2]
        assert (bool(risk), year_to) == (at_risk, proposed), (end, confidence)
    for target, forecast, confidence in AMOUNTS:
        plain, weighted = answers[:2]
        del answers[:2]
        python_plain = rules.plain_forecast(target, forecast)
        python_weighted = rules.weighted_forecast(target, forecast, confidence)
        assert (int(plain), int(weighted)) == (int(python_plain * 100), int(python_weighted * 100)), (
            target,
            forecast,
            confidence,
        )
