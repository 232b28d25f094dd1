"""One way to show a value: a stored value, or the audit trail's text of one, as a person reads it.

Each (entity, field) has the label its form gives it and a kind (money, date, percentage, …); the
kind decides how a value reads. The audit trail stores every value as text (ISO dates, plain
decimals such as 5450000.00, "True"), so the same functions read both. A value that was never set
reads "blank", and one a change removed reads "cleared": never nan, None or NaT.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from dashboard.domain.formatting import (
    financial_year_label,
    format_date,
    format_datetime,
    format_money,
)
from dashboard.domain.values import is_missing

TEXT = "text"
MONEY = "money"
DATE = "date"
DATETIME = "datetime"
PERCENT = "percent"
NUMBER = "number"
STATUS = "status"
RAG = "rag"
CONFIDENCE = "confidence"
SIGN_OFF = "sign_off"
YES_NO = "yes_no"
FINANCIAL_YEAR = "financial_year"
NOTE = "note"
AREAS = "areas"
CATEGORY = "category"
ROLE = "role"
PROJECT_REF = "project_ref"

BLANK = "blank"  # a value that was never set
CLEARED = "cleared"  # a value a change removed


@dataclass(frozen=True)
class Field:
    label: str
    kind: str


# Labels as the forms name them (without the "(£)" the money inputs carry: the value shows its £).
FIELDS: dict[tuple[str, str], Field] = {
    ("milestone", "title"): Field("Title", TEXT),
    ("milestone", "owner"): Field("Owner", TEXT),
    ("milestone", "status"): Field("Status", STATUS),
    ("milestone", "rag"): Field("RAG status", RAG),
    ("milestone", "rag_reason"): Field("Reason for the RAG status", TEXT),
    ("milestone", "percent_complete"): Field("Percentage complete", PERCENT),
    ("milestone", "forecast_start"): Field("Forecast start date", DATE),
    ("milestone", "forecast_end"): Field("Forecast end date", DATE),
    ("milestone", "actual_start"): Field("Actual start date", DATE),
    ("milestone", "actual_end"): Field("Actual end date", DATE),
    ("milestone", "commentary"): Field("Commentary", TEXT),
    ("milestone", "retired"): Field("Retired", YES_NO),
    ("milestone", "baseline_start"): Field("Baseline start date", DATE),
    ("milestone", "baseline_end"): Field("Baseline end date", DATE),
    ("action_item", "title"): Field("Action", TEXT),
    ("action_item", "owner"): Field("Owner", TEXT),
    ("action_item", "due_date"): Field("Due date", DATE),
    ("action_item", "status"): Field("Status", STATUS),
    ("action_item", "rag"): Field("RAG status", RAG),
    ("action_item", "percent_complete"): Field("Percentage complete", PERCENT),
    ("action_item", "evidence_summary"): Field("Evidence summary", TEXT),
    ("action_item", "evidence_status"): Field("Evidence sign-off", SIGN_OFF),
    ("action_item", "signed_off_by"): Field("Signed off by", TEXT),
    ("action_item", "signed_off_at"): Field("Signed off at", DATETIME),
    ("action_item", "areas"): Field("Areas of the letter this action answers", AREAS),
    ("action_item", "progress_note"): Field("Progress note", NOTE),
    ("action_item", "evidence"): Field("Evidence", TEXT),
    ("action_item", "project"): Field("Delivering project", PROJECT_REF),
    ("saving_line", "description"): Field("Saving", TEXT),
    ("saving_line", "category"): Field("Kind", CATEGORY),
    ("saving_line", "financial_year"): Field("Financial year", FINANCIAL_YEAR),
    ("saving_line", "target"): Field("Target", MONEY),
    ("saving_line", "forecast"): Field("Forecast", MONEY),
    ("saving_line", "realised"): Field("Realised", MONEY),
    ("saving_line", "confidence"): Field("Confidence", CONFIDENCE),
    ("saving_line", "confidence_reason"): Field("Reason for the confidence rating", TEXT),
    ("saving_line", "fte"): Field("FTE", NUMBER),
    ("project", "baseline"): Field("Baseline", TEXT),
    ("board_meeting", "meeting_date"): Field("Meeting date", DATE),
    ("board_meeting", "updates_due_at"): Field("Updates due", DATETIME),
    ("reminder", "items"): Field("Sent to, for and listing", TEXT),
    ("kpi_value", "kpi"): Field("KPI", TEXT),
    ("kpi_value", "area"): Field("Area", TEXT),
    ("kpi_value", "period"): Field("Period", TEXT),
    ("kpi_value", "value"): Field("Value", NUMBER),
    ("kpi_value", "note"): Field("Note", TEXT),
    ("user", "role"): Field("Role", ROLE),
    ("user", "lead_of"): Field("Leads", TEXT),
    ("user", "display_name"): Field("Display name", TEXT),
    ("user", "email"): Field("Email", TEXT),
    ("user", "password"): Field("Password", TEXT),
    ("user", "active"): Field("Active", YES_NO),
    ("user", "sessions"): Field("Sessions", TEXT),
    ("user", "username"): Field("Username", TEXT),
    ("user", "sign_in"): Field("Signs in with", TEXT),
}

ENTITY_LABELS = {
    "milestone": "Milestone",
    "project": "Project",
    "user": "User",
    "action_item": "Action",
    "saving_line": "Saving line",
    "kpi_value": "KPI value",
    "board_meeting": "Board meeting",
    "reminder": "Reminder",
    "transition_measure": "Transition measure",
    "self_assessment_rating": "Self-assessment rating",
    # Rows only purge-illustrative changes or removes (dashboard/services/illustrative.py).
    "progress_note": "Progress note",
    "benefit": "Benefit",
    "kpi": "KPI",
}

SIGN_OFF_STATES = {
    "none": "Not awaiting sign-off",
    "awaiting": "Awaiting sign-off",
    "accepted": "Evidence accepted",
}

_ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})")
_TRUE = {"true", "1", "yes", "y"}
_FALSE = {"false", "0", "no", "n"}


def field(entity: str, name: str | None) -> Field:
    """The label and kind of a field; one not listed reads as text under its name in words."""
    known = FIELDS.get((entity, name or ""))
    if known is not None:
        return known
    return Field((name or "value").replace("_", " ").capitalize(), TEXT)


def field_label(entity: str, name: str | None) -> str:
    return field(entity, name).label


def is_empty(value) -> bool:
    """A missing value (None, NaN, NaT, pandas' NA) or text with nothing but spaces: nothing to show."""
    if isinstance(value, str):
        return not value.strip()
    return is_missing(value)


def show(value, kind: str = TEXT, empty: str = BLANK) -> str:
    """`value` (a Python value or the audit trail's text of one) as a person reads it."""
    if is_empty(value):
        return empty
    reader = _READERS.get(kind, _text)
    try:
        return reader(value)
    except (ValueError, TypeError, ArithmeticError, InvalidOperation):
        return _text(value)  # text the kind does not read (an old event written another way) as it is


def show_field(entity: str, name: str | None, value, empty: str = BLANK) -> str:
    return show(value, field(entity, name).kind, empty)


def show_change(entity: str, name: str | None, old, new) -> tuple[str, str]:
    """Old and new as a person reads them: "blank" before a first value, "cleared" when removed.

    Two amounts that round to the same short figure (£5.45m → £5.45m) are shown in full instead.
    """
    kind = field(entity, name).kind
    old_text = show(old, kind, BLANK)
    new_text = show(new, kind, BLANK if is_empty(old) else CLEARED)
    if kind == MONEY and old_text == new_text and not is_empty(old) and not is_empty(new):
        old_text, new_text = exact_money(old), exact_money(new)
    return old_text, new_text


def exact_money(amount) -> str:
    """£5,450,000 or £5,450,000.50: every pound (and any pence) of an amount."""
    value = _decimal(amount)
    sign = "−" if value < 0 else ""
    value = abs(value)
    text = f"{value:,.2f}"
    return f"{sign}£{text.removesuffix('.00')}"


def describe_change(entity: str, name: str | None, action: str | None, old, new) -> str:
    """What a change did, in words: "Forecast end date moved", "Milestone retired", "Re-phased"."""
    phrase = _phrase(entity, name or "", action or "", old, new)
    if action == "import":
        phrase += " (imported)"
    return phrase


# Changes whose description says all there is ("Milestone retired"): no "no → yes" after it.
_SAID_IN_FULL = {("milestone", "retired"), ("user", "password"), ("user", "active"), ("user", "sessions")}


def shows_values(entity: str, name: str | None, old) -> bool:
    """Whether old → new says more than the description: not for the name of an item just added, nor
    for a change its description says in full."""
    return (entity, name) not in _SAID_IN_FULL and not (is_empty(old) and (entity, name) in _ITEM_NAMES)


def change_line(entity: str, row) -> str:
    """One change of an item's history: "4 Dec 2026 10:00 · cj.lead · Forecast end date moved: …"."""
    text = f"{show(row.at, DATETIME)} · {row.username} · {describe_change(entity, row.field, row.action, row.old, row.new)}"
    if shows_values(entity, row.field, row.old):
        old, new = show_change(entity, row.field, row.old, row.new)
        text += f": {old} → {new}"
    return text


# -- readers, by kind ---------------------------------------------------------------------------


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _decimal(value) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(str(value).strip().replace(",", "").replace("£", ""))


def _money(value) -> str:
    return format_money(_decimal(value))


def _date(value) -> str:
    if isinstance(value, dt.datetime):
        return format_date(value.date())
    if isinstance(value, dt.date):
        return format_date(value)
    match = _ISO_DATE.match(str(value).strip())
    if not match:
        raise ValueError(value)
    return format_date(dt.date.fromisoformat(match.group(1)))


def _datetime(value) -> str:
    if isinstance(value, dt.datetime):
        moment = value.to_pydatetime() if hasattr(value, "to_pydatetime") else value
    elif isinstance(value, dt.date):
        return format_date(value)
    else:
        moment = dt.datetime.fromisoformat(str(value).strip())
    return format_datetime(moment)


def _number(value) -> str:
    if isinstance(value, bool):
        raise TypeError(value)
    number = _decimal(value)
    if isinstance(value, float):
        number = _decimal(round(value, 6))
    number = number.normalize()
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number:,f}"


def _percent(value) -> str:
    text = str(value).strip().removesuffix("%")
    return f"{_number(float(text) if not isinstance(value, int | Decimal) else value)}%"


def _yes_no(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value).strip().lower()
    if text in _TRUE:
        return "yes"
    if text in _FALSE:
        return "no"
    raise ValueError(value)


def _financial_year(value) -> str:
    text = str(value).strip()
    if isinstance(value, int) or (text.isdecimal() and text.isascii()):  # not '²', which int() refuses
        return financial_year_label(int(text))
    return text


def _note(value) -> str:
    # Stored as "2026-11-30 (internal): text": the date the note is about, read as a date.
    text = str(value).strip()
    match = _ISO_DATE.match(text)
    if not match:
        return text
    return format_date(dt.date.fromisoformat(match.group(1))) + text[len(match.group(1)) :]


def _areas(value) -> str:
    count = len([key for key in str(value).split(";") if key.strip()])
    return f"{count} area{'s' if count != 1 else ''} of the letter"


def _category(value) -> str:
    return str(value).strip().replace("_", " ").capitalize()


def _role(value) -> str:
    return str(value).strip().capitalize()


def _sign_off(value) -> str:
    text = str(value).strip()
    return SIGN_OFF_STATES.get(text, text)


def _project_ref(value) -> str:
    # Imports once wrote the delivering project's id; they now write its name.
    text = _text(value)
    return f"project no. {text}" if text.isdigit() else text


_READERS = {
    TEXT: _text,
    STATUS: _text,
    RAG: _text,
    CONFIDENCE: _text,
    MONEY: _money,
    DATE: _date,
    DATETIME: _datetime,
    PERCENT: _percent,
    NUMBER: _number,
    YES_NO: _yes_no,
    FINANCIAL_YEAR: _financial_year,
    NOTE: _note,
    AREAS: _areas,
    CATEGORY: _category,
    ROLE: _role,
    SIGN_OFF: _sign_off,
    PROJECT_REF: _project_ref,
}


# -- what a change did, in words ----------------------------------------------------------------

# The field that names an item: set from blank, it means the item was added.
_ITEM_NAMES = {
    ("milestone", "title"): "New milestone",
    ("action_item", "title"): "New action",
    ("saving_line", "description"): "New saving line",
}


def _phrase(entity: str, name: str, action: str, old, new) -> str:
    was, now = not is_empty(old), not is_empty(new)
    if action == "purge" and name == "removed":
        return "Illustrative data removed"  # purge-illustrative deleted the row; old names it
    if (entity, name) in _ITEM_NAMES and not was:
        return _ITEM_NAMES[(entity, name)]
    special = {
        ("milestone", "retired"): lambda: "Milestone retired" if _truthy(new) else "Milestone restored",
        ("saving_line", "financial_year"): lambda: (
            "Re-phased: financial year moved" if action == "rephase" else "Financial year changed"
        ),
        ("project", "baseline"): lambda: "Re-baselined",
        ("action_item", "progress_note"): lambda: "Progress note added",
        ("action_item", "evidence"): lambda: "Evidence added",
        ("action_item", "evidence_status"): lambda: _sign_off_phrase(old, new),
        ("board_meeting", "meeting_date"): lambda: "Board meeting added" if not was else "Meeting date moved",
        ("kpi_value", "value"): lambda: "KPI value added" if not was else "KPI value corrected",
        ("kpi_value", "note"): lambda: "KPI note added" if not was else "KPI note changed",
        ("user", "role"): lambda: "User added" if action == "create" else "Role changed",
        ("user", "lead_of"): lambda: "Made a project lead" if action == "create" else "Projects led changed",
        ("user", "password"): lambda: "Password reset" if action == "reset-password" else "Password changed",
        ("user", "active"): lambda: "User reactivated" if _truthy(new) else "User deactivated",
        ("user", "sessions"): lambda: "Sessions ended",
        ("reminder", "items"): lambda: "Reminder emailed",
    }.get((entity, name))
    if special is not None:
        return special()
    described = field(entity, name)
    if not was:
        return f"{described.label} set"
    if not now:
        return f"{described.label} cleared"
    if described.kind == DATE:
        return f"{described.label} moved"
    if described.kind in (MONEY, NUMBER, PERCENT):
        return f"{described.label} revised"
    return f"{described.label} changed"


def _truthy(value) -> bool:
    try:
        return _yes_no(value) == "yes"
    except ValueError:
        return bool(value)


def _sign_off_phrase(old, new) -> str:
    state = str(new or "").strip()
    if state == "accepted":
        return "Evidence signed off"
    if state == "awaiting":
        return "Sent for sign-off"
    if str(old or "").strip() == "accepted":
        return "Sign-off withdrawn"
    return "Sign-off request withdrawn"
