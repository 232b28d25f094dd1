"""The savings rules, line by line, as pure functions: money, confidence weighting, slippage, re-phasing.

Rules the page applies (README "Savings: forecasts, confidence and slippage"):

* **Money** is Decimal pounds and pence, never floats, so every total equals the sum of its rows.
* **Plain forecast** of a line = its forecast; a line with no forecast yet counts at its target
  (nobody has said otherwise). **Variance** = plain forecast − target (negative = short).
* **Confidence-weighted forecast** = plain forecast × weight, rounded to the penny (half up), per
  line; totals add the rounded line values. Weights (modelled on a delivery confidence rating):
  Delivered 100%, High 90%, Medium 60%, Low 30%; a line with no rating counts as Low.
* **At risk from slippage**: a line that depends on a milestone and is not yet Delivered is at risk
  when that milestone's current end date (actual end, else forecast end, else latest baseline end:
  the milestones page's own dates) is *after* 1 April of the line's financial year. On 1 April
  itself it is not at risk.
* **Re-phasing proposal**: when an at-risk line's milestone now ends in a later financial year than
  the line's, the proposal moves the line to that year.

The database applies the same rules to whole pages of lines: their SQL twins are in
queries/savings_summary.py, each beside the rule's name here, and tests/test_domain_savings.py checks
both forms against one table of cases.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from dashboard.domain.formatting import financial_year_of, financial_year_start

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")
DELIVERED = "Delivered"
CONFIDENCE_WEIGHTS = {
    DELIVERED: Decimal("1.00"),
    "High": Decimal("0.90"),
    "Medium": Decimal("0.60"),
    "Low": Decimal("0.30"),
}
UNRATED_WEIGHT = CONFIDENCE_WEIGHTS["Low"]


def money(value) -> Decimal | None:
    """A stored amount as Decimal pounds and pence; a missing one (NaN, NaT, NA: see domain/values.py)
    or one that is no amount is None. Written without is_missing: it runs for every amount of every line."""
    if value is None:
        return None
    try:
        amount = Decimal(str(value)).quantize(PENNY, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return None  # text that is no amount, infinity, and pandas' NaT and NA
    return None if amount.is_nan() else amount


def total(values) -> Decimal:
    """Exact sum of Decimal amounts, ignoring blanks."""
    result = ZERO
    for value in values:
        amount = money(value)
        if amount is not None:
            result += amount
    return result


def confidence_weight(confidence: str | None) -> Decimal:
    return CONFIDENCE_WEIGHTS.get(confidence or "", UNRATED_WEIGHT)


def plain_forecast(target, forecast) -> Decimal:
    value = money(forecast)
    return value if value is not None else (money(target) or ZERO)


def weighted_forecast(target, forecast, confidence: str | None) -> Decimal:
    return (plain_forecast(target, forecast) * confidence_weight(confidence)).quantize(
        PENNY, rounding=ROUND_HALF_UP
    )


def at_risk_from_slippage(financial_year: int, confidence: str | None, milestone_end: dt.date | None) -> bool:
    """The slippage rule: not Delivered, and the milestone ends after 1 April of the line's year."""
    if milestone_end is None or confidence == DELIVERED:
        return False
    return milestone_end > financial_year_start(financial_year)


def proposed_financial_year(
    financial_year: int, confidence: str | None, milestone_end: dt.date | None
) -> int | None:
    """The year to re-phase the line to: the milestone's year, when it is later than the line's."""
    if not at_risk_from_slippage(financial_year, confidence, milestone_end):
        return None
    landing = financial_year_of(milestone_end)
    return landing if landing > financial_year else None
