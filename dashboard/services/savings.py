"""Saving line writes: the leads' forecast/realised/confidence update and the admin's re-phasing.

Who may do what (checked on the database row, never on ids the browser sent):
* a project's lead (or the lead of its parent project, for a work-stream) and admins may record
  forecast, realised, confidence and its reason;
* only admins may change a line's target or financial year, or accept a re-phasing proposal.

Validation: amounts are pounds, not negative, with at most 2 decimal places; a financial year is a
real one like 2019/20; realised savings only for a year that has started (1 April ≤ today); a
Delivered line needs its realised amount; a confidence rating needs its reason.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from dashboard import models as m
from dashboard import policy
from dashboard.auth import AuthorisationError, require_role
from dashboard.domain.formatting import (
    financial_year_label,
    financial_year_start,
    format_date,
    parse_financial_year,
    parse_pounds,
)
from dashboard.domain.savings import money
from dashboard.domain.values import is_missing
from dashboard.queries import savings as saving_queries
from dashboard.services import rows
from dashboard.services.core import (
    ConflictError,
    NotFoundError,
    ValidationError,
    chosen,
    clean_text,
)

LEAD_FIELDS = ("forecast", "realised", "confidence", "confidence_reason")
ADMIN_FIELDS = ("target", "financial_year")
SAVING_FIELDS = (*ADMIN_FIELDS, *LEAD_FIELDS)
REASON_MAX = 500
MONEY_LIMIT = Decimal("1000000000000")  # Numeric(14, 2): below £1 trillion
FIRST_YEAR, LAST_YEAR = 2000, 2099

FIELD_LABELS = {
    "target": "Target",
    "financial_year": "Financial year",
    "forecast": "Forecast",
    "realised": "Realised",
    "confidence": "Confidence",
    "confidence_reason": "Reason for the confidence rating",
}


def parse_money(
    value, label: str, field: str, errors: dict[str, str], required: bool = False
) -> Decimal | None:
    """Pounds from a form ('654000', '654,000', '£5,450,000.50'); records a message on a bad one."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors[field] = f"Enter the {label.lower()} in pounds, for example 654000"
        return None
    if isinstance(value, bool):
        errors[field] = f"{label} must be an amount in pounds, for example 654000 or 654,000.50"
        return None
    try:
        amount = parse_pounds(str(value))  # as the import reads it: 654,000.50, £654k, £1.2m
    except (ValueError, InvalidOperation):
        digits = str(value).strip().lstrip("-−£")
        errors[field] = (
            f"{label} must be an amount in pounds, with commas only between thousands, for example "
            "654000 or 654,000.50"
            if "," in digits
            else f"{label} must be an amount in pounds, for example 654000, 654,000.50 or £1.2m"
        )
        return None
    negative = amount < 0
    amount = abs(amount)
    if negative and amount != 0:
        errors[field] = f"{label} must be £0 or more"
        return None
    if amount.as_tuple().exponent < -2 and amount != amount.quantize(Decimal("0.01")):
        errors[field] = f"{label} must be in pounds and pence, with no more than 2 decimal places"
        return None
    if amount >= MONEY_LIMIT:
        errors[field] = f"{label} must be less than £1,000,000,000,000"
        return None
    return amount.quantize(Decimal("0.01"))


def parse_year(value, errors: dict[str, str]) -> int | None:
    """A financial year from a form ('2019/20' or its start year); records a message on a bad one."""
    message = "Enter a real financial year, like 2019/20"
    if value is None or (isinstance(value, str) and not value.strip()):
        errors["financial_year"] = message
        return None
    try:
        year = (
            value
            if isinstance(value, int) and not isinstance(value, bool)
            else parse_financial_year(str(value))
        )
    except ValueError:
        errors["financial_year"] = message
        return None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        errors["financial_year"] = (
            f"Enter a financial year between {financial_year_label(FIRST_YEAR)} "
            f"and {financial_year_label(LAST_YEAR)}"
        )
        return None
    return year


def validate_saving_values(values: dict, today: dt.date) -> dict:
    """Check a saving line's values as a whole; returns them cleaned, or raises ValidationError."""
    errors: dict[str, str] = {}
    cleaned = dict(values)
    cleaned["target"] = parse_money(values.get("target"), "Target", "target", errors, required=True)
    cleaned["forecast"] = parse_money(values.get("forecast"), "Forecast", "forecast", errors)
    cleaned["realised"] = parse_money(values.get("realised"), "Realised", "realised", errors)
    year = parse_year(values.get("financial_year"), errors)
    cleaned["financial_year"] = year

    if year is not None and cleaned["realised"] is not None and "realised" not in errors:
        starts = financial_year_start(year)
        if starts > today:
            errors["realised"] = (
                f"You can record realised savings only for a year that has started: "
                f"{financial_year_label(year)} starts on {format_date(starts)}. Leave realised blank"
            )

    confidence = chosen(values.get("confidence"))
    if confidence is not None and confidence not in m.CONFIDENCE_LEVELS:
        errors["confidence"] = "Select Delivered, High, Medium or Low"
    cleaned["confidence"] = confidence
    reason = clean_text(
        values.get("confidence_reason"),
        "Reason for the confidence rating",
        "confidence_reason",
        REASON_MAX,
        errors,
    )
    cleaned["confidence_reason"] = reason or None
    if confidence is not None and not reason and "confidence_reason" not in errors:
        errors["confidence_reason"] = f"Enter the reason the confidence is {confidence}"
    if confidence == "Delivered" and cleaned["realised"] is None and "realised" not in errors:
        errors["realised"] = "Enter the realised amount: a Delivered saving needs one"
    if errors:
        raise ValidationError(errors)
    return cleaned


def _snapshot(line: m.SavingLine) -> dict:
    return {
        "target": money(line.target),
        "financial_year": line.financial_year,
        "forecast": money(line.forecast),
        "realised": money(line.realised),
        "confidence": line.confidence,
        "confidence_reason": line.confidence_reason,
    }


def _display(field: str, value) -> str | None:
    if value is None:
        return None
    if field == "financial_year":
        return financial_year_label(int(value))
    return str(value)


SAVING_LINE = rows.Entity(
    m.SavingLine,
    "saving_line",
    "saving line",
    FIELD_LABELS,
    denied="You can only update saving lines of projects you lead.",
    display=_display,
)


def update_saving_line(
    actor, line_id: int, changes: dict, expected_version: int, today: dt.date | None = None
) -> int:
    """A lead's or admin's update of one line; returns the new version. One audit event per field."""
    from dashboard.clock import today as clock_today

    today = today or clock_today()
    require_role(actor, *policy.EDITOR_ROLES)
    rows.refuse_unknown(changes, SAVING_FIELDS)

    def edit(_db, line: m.SavingLine) -> rows.Changes:
        before = _snapshot(line)
        cleaned = validate_saving_values({**before, **changes}, today)
        changed = rows.changes(before, {field: cleaned[field] for field in SAVING_FIELDS})
        if not policy.is_admin(actor) and set(changed) & set(ADMIN_FIELDS):
            raise AuthorisationError("Only the programme office can change a line's target or year.")
        rows.assign(line, changed)
        return changed

    return rows.update_row(actor, SAVING_LINE, line_id, expected_version, edit)


def accept_rephasing(
    actor, line_id: int, expected_version: int, proposed_year: int, today: dt.date | None = None
) -> int:
    """Admin accepts a re-phasing proposal: the line's target and forecast move to the milestone's year.

    The proposal is worked out again here from the database; if it is no longer what the admin saw
    (the milestone moved again, or the line changed), nothing is saved. Returns the new version.
    """
    from dashboard.clock import today as clock_today

    today = today or clock_today()
    require_role(actor, policy.ADMIN)
    current = saving_queries.saving_lines(saving_queries.SavingFilters(), today, ids=[line_id])

    def still_there(_db, _line) -> None:
        if current.empty:
            raise NotFoundError("That saving line no longer exists.")

    def edit(_db, line: m.SavingLine) -> rows.Changes:
        proposal = current.iloc[0]["proposed_year"]
        if is_missing(proposal):
            raise ValidationError(
                {
                    "rephase": "This line no longer needs re-phasing: its milestone is not past the year's start"
                }
            )
        if int(proposal) != int(proposed_year):
            raise ConflictError(
                f"The milestone has moved again: it now lands in {financial_year_label(int(proposal))}, "
                f"not {financial_year_label(int(proposed_year))}. Nothing has been re-phased; "
                "look at the new proposal."
            )
        new_year = int(proposal)
        if line.realised is not None and financial_year_start(new_year) > today:
            raise ValidationError(
                {
                    "rephase": "This line has realised savings recorded, and "
                    f"{financial_year_label(new_year)} has not started: clear or move them first"
                }
            )
        changed = {"financial_year": (line.financial_year, new_year)}
        rows.assign(line, changed)
        return changed

    return rows.update_row(
        actor,
        SAVING_LINE,
        line_id,
        expected_version,
        edit,
        action="rephase",
        before_version_check=still_there,
        conflict="Someone else saved this saving line after the proposal was shown; nothing has been "
        "re-phased. Check their changes, then look at the proposal again.",
        stale="Someone else saved this saving line at the same moment; nothing has been re-phased.",
    )
