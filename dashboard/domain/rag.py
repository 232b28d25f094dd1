"""The RAG a milestone's dates suggest (README "Milestones: slippage and the RAG rule")."""

from __future__ import annotations

import datetime as dt

from dashboard.domain.workdays import working_days_between

# A milestone slipped by more than this many working days past its baseline end is Red; slipped by 1
# up to this many is Amber.
RAG_TOLERANCE_WORKING_DAYS = 20


def suggest_rag(
    status: str,
    baseline_end: dt.date | None,
    forecast_end: dt.date | None,
    actual_end: dt.date | None,
    today: dt.date,
    tolerance: int = RAG_TOLERANCE_WORKING_DAYS,
) -> tuple[str | None, str]:
    """The RAG the dates suggest, with the reason in words. See README for the rule."""
    if status == "Cancelled":
        return None, "Cancelled milestones carry no RAG."
    if status == "Complete":
        return "Green", "Complete."
    if status == "Blocked":
        return "Red", "Blocked."
    current_end = actual_end or forecast_end or baseline_end
    if current_end is not None and current_end < today:
        return "Red", "Overdue: the forecast end date has passed and the milestone is not complete."
    if baseline_end is None or current_end is None:
        return "Green", "No baseline to compare against."
    slippage = working_days_between(baseline_end, current_end)
    if slippage > tolerance:
        return (
            "Red",
            f"Forecast to finish {slippage} working days after its baseline (more than {tolerance}).",
        )
    if slippage > 0:
        return "Amber", f"Forecast to finish {slippage} working days after its baseline (within {tolerance})."
    return "Green", "On or ahead of its baseline."
