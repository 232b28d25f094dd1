"""A bad-input corpus for every form and import: each case is refused in words or stored exactly.

The issue's promise: dates, numbers, lengths, unicode, markup, SQL-looking strings, formulas, empty and
missing values and wrong types (what a crafted POST can send) never cause a server error, never store
an invalid row, and a refusal always says in words what is wrong. The cases call the service
functions the Dash callbacks call; a refusal is a ValidationError (the callbacks show its messages
next to the fields) or, for the uploads, a report listing the problems.

A value that is odd but valid (unicode, markup or SQL-looking text in a free-text field) must be
stored exactly as given, trimmed: proof that it went in as text.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import json
import os
from decimal import Decimal

import pytest
from sqlalchemy import func, inspect, select

from dashboard import models as m
from dashboard.cli.imports import run_import
from dashboard.db import session_scope
from dashboard.services import (
    SYSTEM,
    ValidationError,
    add_milestone,
    create_user,
    importer,
    rebaseline_project,
)
from dashboard.services import update_milestone as update_milestone_service
from dashboard.services.actions import add_evidence, add_progress_note, update_action
from dashboard.services.board import add_board_meeting
from dashboard.services.kpis import UploadError, add_kpi_value, import_kpi_values
from dashboard.services.savings import update_saving_line
from tests.helpers import callback_request, find_callback, user

TODAY = dt.date(2026, 11, 23)
ON_POSTGRES = bool(os.environ.get("TEST_DATABASE_URL", "").strip())

# Seeded rows (see tests/test_milestone_services.py, test_action_services.py, test_savings_services.py).
TRANSITION_MILESTONE = "tr_joint_market_review"  # In progress, Green, 85%, no actual end
CJ_ACTION = "a5_neighbourhood_networks_review"  # Customer Journey, In progress, Amber
CJ_SAVING = "cj_workforce_2019_20"  # Customer Journey, 2019/20, Delivered, realised recorded
KPI = "CON-FIRST-CONTACT"  # a percentage
AREA = "ladywood"
PERIOD = "Q3 2026/27"


class Refuse:
    """The expected outcome of a case that must be refused with a message."""

    def __repr__(self) -> str:
        return "REFUSE"


REFUSE = Refuse()


# ---------------------------------------------------------------------------------------------
# The corpus
# ---------------------------------------------------------------------------------------------

# Valid though odd free text: stored exactly, trimmed.
ODD_TEXT = {
    "unicode": "Zoë’s “review” – ✔ 日本語 😀",
    "right-to-left": "مراجعة الخدمات \u202eoverride\u202c عربي",
    "zero-width-joiners": "family 👨\u200d👩\u200d👧 and zero\u200bwidth",
    "combining": "Zoe\u0308 cafe\u0301 man\u0303ana",
    "script-tag": "<script>alert(1)</script>",
    "img-onerror": '"><img src=x onerror=alert(1)>',
    "sql-drop": "'; DROP TABLE milestones; --",
    "sql-or": "1 OR 1=1",
    "formula-equals": "=1+1",
    "formula-at": "@SUM(A1)",
    "padded": "   padded with spaces   ",
}
NUL_TEXT = "before\x00after"

BAD_DATES = {
    "feb-30": "2026-02-30",
    "day-first": "30/02/2026",
    "word": "yesterday",
    "zeros": "0000-00-00",
    "month-13": "2026-13-01",
    "number": 12345,
    "sql-or": "1 OR 1=1",
    "markup": "<script>alert(1)</script>",
    "list": ["2026-01-01"],
    "dict": {"date": "2026-01-01"},
    "bool": True,
    # A date must be the whole value, not the start of a longer one (it was cut to 10 characters).
    "trailing-text": "2026-12-01 and more",
    "trailing-junk": "2026-12-01junk",
    "date-and-time": "2026-12-01T10:00:00",
    "compact": "20261201",
    "week-date": "2026-W49-2",
    "float": 2026.12,
    "nan": float("nan"),
}

BAD_PERCENTS = {
    "minus-one": "-1",
    "over-100": "101",
    "1e309": "1e309",
    "nan": "NaN",
    "inf": "inf",
    "fraction": "12.5",
    "commas": "1,2,3",
    "empty": "",
    "none": None,
    "word": "ten",
    "hex": "0x10",
    "bool": True,
    "list": [50],
    "dict": {"value": 50},
    "sql-or": "1 OR 1=1",
}

BAD_MONEY = {
    "minus-one": "-1",
    "1e309": "1e309",
    "nan": "NaN",
    "inf": "inf",
    "float-inf": float("inf"),
    "three-decimals": "12.345",
    "negative-pounds": "£-5",
    "commas-between-digits": "1,2,3",
    "word": "ten",
    "hex": "0x10",
    "bool": True,
    "list": [5],
    "dict": {"value": 5},
    "a-trillion": "1000000000000",
    "sql-or": "1 OR 1=1",
}


# Values a select never sends that Python reads as false: none of them means "none chosen".
FALSY_NOT_EMPTY = {"false": False, "zero": 0, "empty-list": [], "empty-dict": {}}


def trimmed(value: str) -> str:
    return value.replace("\r\n", "\n").strip()


def text_cases(field: str, limit: int, normalise=trimmed, extra=None):
    """Odd-but-valid text (stored as given), too-long text and wrong types (refused)."""
    cases = [
        pytest.param(field, value, normalise(value), id=f"{field}-{name}") for name, value in ODD_TEXT.items()
    ]
    cases.append(pytest.param(field, NUL_TEXT, REFUSE, id=f"{field}-nul-byte"))
    cases.append(pytest.param(field, "x" * (limit + 1), REFUSE, id=f"{field}-{limit + 1}-chars"))
    if limit < 5000:
        cases.append(pytest.param(field, "y" * 10_000, REFUSE, id=f"{field}-10000-chars"))
    for name, value in (
        ("list", ["x"]),
        ("dict", {"text": "x"}),
        ("bool", True),
        ("nan", float("nan")),
        ("infinity", float("inf")),
    ):
        cases.append(pytest.param(field, value, REFUSE, id=f"{field}-{name}"))
    # A crafted POST can send a number where a form sends text: stored as the text typed.
    cases.append(pytest.param(field, 2027, "2027", id=f"{field}-whole-number"))
    cases.append(pytest.param(field, 4.5, "4.5", id=f"{field}-decimal-number"))
    return cases + (extra or [])


def date_cases(field: str, extra=None):
    return [pytest.param(field, value, REFUSE, id=f"{field}-{name}") for name, value in BAD_DATES.items()] + (
        extra or []
    )


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------

COUNTED = (
    m.Milestone,
    m.Baseline,
    m.MilestoneBaseline,
    m.ActionItem,
    m.ProgressNote,
    m.ActionEvidence,
    m.SavingLine,
    m.KpiValue,
    m.User,
    m.BoardMeeting,
    m.AuditEvent,
)


def world() -> dict[str, int]:
    """How many rows each table holds (audit trail included): a refusal must change none."""
    with session_scope() as db:
        return {model.__name__: db.scalar(select(func.count()).select_from(model)) for model in COUNTED}


def row(model, **where):
    with session_scope() as db:
        found = db.scalars(select(model).filter_by(**where)).one()
        return {attr.key: getattr(found, attr.key) for attr in inspect(model).column_attrs}


def newest(model) -> dict:
    with session_scope() as db:
        found = db.scalars(select(model).order_by(model.id.desc()).limit(1)).one()
        return {attr.key: getattr(found, attr.key) for attr in inspect(model).column_attrs}


def assert_clear_messages(errors: dict) -> None:
    assert errors, "a refusal must name at least one field"
    for field, message in errors.items():
        assert isinstance(field, str) and field
        assert isinstance(message, str) and len(message.split()) >= 3, (field, message)


def assert_refused(call, state) -> dict:
    """The call raises ValidationError with clear messages; `state()` and every table are unchanged."""
    before, counts = state(), world()
    with pytest.raises(ValidationError) as caught:
        call()
    assert_clear_messages(caught.value.errors)
    assert state() == before
    assert world() == counts
    return caught.value.errors


# ---------------------------------------------------------------------------------------------
# Milestones: the lead's update form
# ---------------------------------------------------------------------------------------------

MILESTONE_UPDATE_CASES = [
    *date_cases("forecast_start"),
    *date_cases(
        "forecast_end",
        [
            pytest.param("forecast_end", "9999-12-31", dt.date(9999, 12, 31), id="forecast_end-far-future"),
            pytest.param("forecast_end", "2026-12-31", dt.date(2026, 12, 31), id="forecast_end-good"),
            pytest.param("forecast_end", " 2026-12-31 ", dt.date(2026, 12, 31), id="forecast_end-padded"),
        ],
    ),
    *date_cases(
        "actual_start",
        [
            pytest.param("actual_start", "9999-12-31", REFUSE, id="actual_start-future"),
            pytest.param("actual_start", "", None, id="actual_start-empty-clears"),
            pytest.param("actual_start", None, None, id="actual_start-none-clears"),
            pytest.param("actual_start", "   ", None, id="actual_start-blank-clears"),
        ],
    ),
    *date_cases(
        "actual_end",
        [
            pytest.param("actual_end", "9999-12-31", REFUSE, id="actual_end-future"),
            pytest.param("actual_end", "2018-01-01", REFUSE, id="actual_end-before-actual-start"),
            pytest.param("actual_end", "", None, id="actual_end-empty"),
        ],
    ),
    *[
        pytest.param("percent_complete", value, REFUSE, id=f"percent-{name}")
        for name, value in BAD_PERCENTS.items()
    ],
    pytest.param("percent_complete", " 90 ", 90, id="percent-padded"),
    pytest.param("percent_complete", 90.0, 90, id="percent-float-whole"),
    *[
        pytest.param("status", value, REFUSE, id=f"status-{name}")
        for name, value in {
            "empty": "",
            "none": None,
            "unknown": "Done",
            "lower-case": "in progress",
            "markup": "<script>alert(1)</script>",
            "list": ["In progress"],
            "dict": {"status": "In progress"},
        }.items()
    ],
    *[
        pytest.param("rag", value, REFUSE, id=f"rag-{name}")
        for name, value in {
            "unknown": "Purple",
            "lower-case": "red",
            "sql-drop": "'; DROP TABLE milestones; --",
            "list": ["Red"],
            "dict": {"rag": "Red"},
            # Not "no RAG" (that is "" or nothing): these cleared the RAG.
            **FALSY_NOT_EMPTY,
        }.items()
    ],
    *text_cases("commentary", 2000),
    *text_cases("rag_reason", 500, extra=[pytest.param("rag_reason", "", None, id="rag_reason-empty")]),
]


@pytest.mark.parametrize(("field", "value", "expected"), MILESTONE_UPDATE_CASES)
def test_milestone_update(database_url, field, value, expected):
    lead = user("transition.lead")
    before = row(m.Milestone, key=TRANSITION_MILESTONE)

    def call():
        return update_milestone_service(lead, before["id"], {field: value}, before["version"], today=TODAY)

    if expected is REFUSE:
        errors = assert_refused(call, lambda: row(m.Milestone, key=TRANSITION_MILESTONE))
        assert field in errors
    else:
        call()
        after = row(m.Milestone, key=TRANSITION_MILESTONE)
        assert after[field] == expected
        assert type(after[field]) is type(expected)
        assert after["version"] == before["version"] + (after[field] != before[field])


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"title": "Renamed"}, id="unknown-field-title"),
        pytest.param({"version": 99}, id="unknown-field-version"),
        pytest.param({"project_id": 1}, id="unknown-field-project"),
        pytest.param({"status": "Complete"}, id="complete-without-actual-end"),
        pytest.param(
            {"forecast_start": "2027-01-01", "forecast_end": "2026-12-01"}, id="forecast-end-before-start"
        ),
        pytest.param({"forecast_start": "9999-12-31"}, id="forecast-start-after-end"),
        pytest.param({"rag": "Amber"}, id="amber-without-reason"),
    ],
)
def test_milestone_update_refuses_fields_and_combinations(database_url, changes):
    lead = user("transition.lead")
    before = row(m.Milestone, key=TRANSITION_MILESTONE)
    assert_refused(
        lambda: update_milestone_service(lead, before["id"], changes, before["version"], today=TODAY),
        lambda: row(m.Milestone, key=TRANSITION_MILESTONE),
    )


def test_milestone_update_with_no_keys_changes_nothing(database_url):
    lead = user("transition.lead")
    before, counts = row(m.Milestone, key=TRANSITION_MILESTONE), world()
    assert (
        update_milestone_service(lead, before["id"], {}, before["version"], today=TODAY) == before["version"]
    )
    assert row(m.Milestone, key=TRANSITION_MILESTONE) == before
    assert world() == counts


# ---------------------------------------------------------------------------------------------
# Milestones: the admin's add and re-baseline forms
# ---------------------------------------------------------------------------------------------

GOOD_ADD = {"project_key": "transition", "title": "Probe milestone", "owner": "Head of Probes",
            "baseline_start": "2026-11-01", "baseline_end": "2026-12-31"}  # fmt: skip

ADD_MILESTONE_CASES = [
    *text_cases(
        "title",
        300,
        extra=[
            pytest.param("title", "", REFUSE, id="title-empty"),
            pytest.param("title", None, REFUSE, id="title-none"),
            pytest.param("title", "   ", REFUSE, id="title-blank"),
        ],
    ),
    pytest.param("owner", "o" * 121, REFUSE, id="owner-121-chars"),
    pytest.param("owner", "Zoë’s “team” 😀", "Zoë’s “team” 😀", id="owner-unicode"),
    *date_cases(
        "baseline_start",
        [pytest.param("baseline_start", "2027-06-30", REFUSE, id="baseline_start-after-end")],
    ),
    *date_cases(
        "baseline_end",
        [
            pytest.param("baseline_end", "", REFUSE, id="baseline_end-empty"),
            pytest.param("baseline_end", None, REFUSE, id="baseline_end-none"),
        ],
    ),
    *[
        pytest.param("project_key", value, REFUSE, id=f"project-{name}")
        for name, value in {
            "unknown": "nope",
            "empty": "",
            "sql-drop": "'; DROP TABLE milestones; --",
            "sql-or": "transition' OR '1'='1",
            "markup": "<script>alert(1)</script>",
        }.items()
    ],
]


@pytest.mark.parametrize(("field", "value", "expected"), ADD_MILESTONE_CASES)
def test_add_milestone(database_url, field, value, expected):
    admin = user("admin")
    arguments = {**GOOD_ADD, field: value}
    if expected is REFUSE:
        assert_refused(lambda: add_milestone(admin, **arguments, today=TODAY), lambda: None)
    else:
        milestone_id = add_milestone(admin, **arguments, today=TODAY)
        assert row(m.Milestone, id=milestone_id)[field] == expected


REBASELINE_CASES = [
    *[
        pytest.param("name", value, REFUSE, id=f"name-{name}")
        for name, value in {"empty": "", "none": None, "blank": "   ", "201-chars": "n" * 201}.items()
    ],
    pytest.param("name", ["Re-plan"], REFUSE, id="name-list"),
    *[
        pytest.param("name", value, value.strip(), id=f"name-{name}")
        for name, value in ODD_TEXT.items()
        if name in ("unicode", "right-to-left", "script-tag", "sql-drop", "formula-equals", "padded")
    ],
    pytest.param("name", NUL_TEXT, REFUSE, id="name-nul-byte"),
    *date_cases("baseline_date", [pytest.param("baseline_date", "", REFUSE, id="baseline_date-empty")]),
    pytest.param("project_key", "nope", REFUSE, id="project-unknown"),
    pytest.param("project_key", "'; DROP TABLE baselines; --", REFUSE, id="project-sql-drop"),
]


@pytest.mark.parametrize(("field", "value", "expected"), REBASELINE_CASES)
def test_rebaseline_project(database_url, field, value, expected):
    admin = user("admin")
    arguments = {
        "project_key": "transition",
        "name": "Re-plan Nov 2026",
        "baseline_date": "2026-11-23",
        field: value,
    }
    if expected is REFUSE:
        assert_refused(lambda: rebaseline_project(admin, **arguments), lambda: None)
    else:
        baseline_id = rebaseline_project(admin, **arguments)
        assert row(m.Baseline, id=baseline_id)["name"] == expected


# ---------------------------------------------------------------------------------------------
# Actions: the update form, progress notes and evidence
# ---------------------------------------------------------------------------------------------

ACTION_UPDATE_CASES = [
    *text_cases(
        "owner",
        120,
        extra=[
            pytest.param("owner", "", REFUSE, id="owner-empty"),
            pytest.param("owner", None, REFUSE, id="owner-none"),
        ],
    ),
    *date_cases(
        "due_date",
        [
            pytest.param("due_date", "", REFUSE, id="due_date-empty"),
            pytest.param("due_date", None, REFUSE, id="due_date-none"),
            pytest.param("due_date", "2027-03-31", dt.date(2027, 3, 31), id="due_date-good"),
        ],
    ),
    *[
        pytest.param("percent_complete", value, REFUSE, id=f"percent-{name}")
        for name, value in BAD_PERCENTS.items()
    ],
    *[
        pytest.param("status", value, REFUSE, id=f"status-{name}")
        for name, value in {"empty": "", "unknown": "Done", "list": ["Complete"], "dict": {"s": 1}}.items()
    ],
    *[
        pytest.param("rag", value, REFUSE, id=f"rag-{name}")
        for name, value in {
            "unknown": "Purple",
            "sql-or": "1 OR 1=1",
            "list": ["Red"],
            **FALSY_NOT_EMPTY,
        }.items()
    ],
    *[
        pytest.param("areas", value, REFUSE, id=f"areas-{name}")
        for name, value in {
            "words": ["north"],
            "unknown-id": [999999],
            "number": 5,
            "dict": {"a": 1},
            "sql-drop": "'; DROP TABLE areas; --",
            # Not a list of ids: "12" was read as areas 1 and 2, True as area 1, 1.5 as area 1.
            "digits-string": "12",
            "bool-in-list": [True],
            "fraction-in-list": [1.5],
            "dict-of-ids": {"1": "1"},
            "list-in-list": [["1"]],
        }.items()
    ],
    pytest.param("areas", ["1", 2, " 3 "], [1, 2, 3], id="areas-ids-as-text-and-numbers"),
    pytest.param("areas", [], [], id="areas-none-chosen"),
    pytest.param("evidence_summary", "e" * 2001, REFUSE, id="evidence_summary-2001-chars"),
    pytest.param(
        "evidence_summary", ODD_TEXT["img-onerror"], ODD_TEXT["img-onerror"], id="evidence_summary-markup"
    ),
]


@pytest.mark.parametrize(("field", "value", "expected"), ACTION_UPDATE_CASES)
def test_action_update(database_url, field, value, expected):
    lead = user("cj.lead")
    before = row(m.ActionItem, key=CJ_ACTION)

    def call():
        return update_action(lead, before["id"], {field: value}, before["version"])

    if expected is REFUSE:
        errors = assert_refused(call, lambda: row(m.ActionItem, key=CJ_ACTION))
        assert field in errors
    elif field == "areas":
        call()
        with session_scope() as db:
            stored = db.scalars(
                select(m.action_areas.c.consideration_area_id)
                .where(m.action_areas.c.action_item_id == before["id"])
                .order_by(m.action_areas.c.consideration_area_id)
            ).all()
        assert list(stored) == expected
    else:
        call()
        after = row(m.ActionItem, key=CJ_ACTION)
        assert after["evidence" if field == "evidence_summary" else field] == expected
        assert after["version"] == before["version"] + 1


NOTE_CASES = [
    *text_cases(
        "text",
        2000,
        extra=[
            pytest.param("text", "", REFUSE, id="text-empty"),
            pytest.param("text", None, REFUSE, id="text-none"),
            pytest.param("text", " \n ", REFUSE, id="text-blank"),
        ],
    ),
    *date_cases(
        "note_date",
        [
            pytest.param("note_date", "9999-12-31", REFUSE, id="note_date-future"),
            pytest.param("note_date", "", REFUSE, id="note_date-empty"),
            pytest.param("note_date", None, REFUSE, id="note_date-none"),
        ],
    ),
    # The checkbox sends true or false: the string "false" was read as internal, a list as public.
    *[
        pytest.param("internal", value, REFUSE, id=f"internal-{name}")
        for name, value in {"text-false": "false", "one": 1, "list": [], "dict": {"a": 1}}.items()
    ],
    pytest.param("internal", True, "Met the team", id="internal-true"),
    pytest.param("internal", None, "Met the team", id="internal-none"),
]


@pytest.mark.parametrize(("field", "value", "expected"), NOTE_CASES)
def test_add_progress_note(database_url, field, value, expected):
    lead = user("cj.lead")
    action_id = row(m.ActionItem, key=CJ_ACTION)["id"]
    arguments = {"note_date": "2026-11-20", "text": "Met the team", "internal": False, field: value}

    def call():
        return add_progress_note(
            lead, action_id, arguments["note_date"], arguments["text"], arguments["internal"], TODAY
        )

    if expected is REFUSE:
        assert_refused(call, lambda: row(m.ActionItem, key=CJ_ACTION))
    else:
        call()
        note = newest(m.ProgressNote)
        assert (note["action_item_id"], note["text"]) == (action_id, expected)


EVIDENCE_CASES = [
    *text_cases(
        "description",
        1000,
        extra=[
            pytest.param("description", "", REFUSE, id="description-empty"),
            pytest.param("description", None, REFUSE, id="description-none"),
        ],
    ),
    *[
        pytest.param("url", value, REFUSE, id=f"url-{name}")
        for name, value in {
            "javascript": "javascript:alert(1)",
            "javascript-upper-padded": "  JAVASCRIPT:alert(1)",
            "data": "data:text/html,<script>alert(1)</script>",
            "ftp": "ftp://example.org/file",
            "no-scheme": "www.example.org",
            "501-chars": "https://example.org/" + "p" * 481,
            "sql-drop": "'; DROP TABLE action_evidence; --",
        }.items()
    ],
    pytest.param("url", "https://example.org/a?b=1&c=<x>", "https://example.org/a?b=1&c=<x>", id="url-https"),
    pytest.param("url", "", None, id="url-empty"),
    pytest.param("url", None, None, id="url-none"),
]


@pytest.mark.parametrize(("field", "value", "expected"), EVIDENCE_CASES)
def test_add_evidence(database_url, field, value, expected):
    lead = user("cj.lead")
    action_id = row(m.ActionItem, key=CJ_ACTION)["id"]
    arguments = {"description": "Board minutes of 24 Nov 2026", "url": None, field: value}

    def call():
        return add_evidence(lead, action_id, arguments["description"], arguments["url"])

    if expected is REFUSE:
        assert_refused(call, lambda: row(m.ActionItem, key=CJ_ACTION))
    else:
        call()
        evidence = newest(m.ActionEvidence)
        assert evidence["action_item_id"] == action_id
        assert evidence[field] == expected


# ---------------------------------------------------------------------------------------------
# Savings: the line update (lead) and target / financial year (admin)
# ---------------------------------------------------------------------------------------------


def money_cases(field: str, accepted: dict):
    cases = []
    for name, value in BAD_MONEY.items():
        cases.append(pytest.param(field, value, REFUSE, id=f"{field}-{name}"))
    cases += [
        pytest.param(field, value, stored, id=f"{field}-{name}") for name, (value, stored) in accepted.items()
    ]
    return cases


SAVING_LEAD_CASES = [
    *money_cases(
        "forecast",
        {
            "hundred-and-one": ("101", Decimal("101.00")),
            "pounds-and-commas": ("£1,234.50", Decimal("1234.50")),
            "empty": ("", None),
            "none": (None, None),
        },
    ),
    *money_cases(
        "realised",
        {"empty-but-delivered": ("", REFUSE), "two-decimals": ("5450000.5", Decimal("5450000.50"))},
    ),
    *[
        pytest.param("confidence", value, REFUSE, id=f"confidence-{name}")
        for name, value in {
            "unknown": "Certain",
            "lower-case": "high",
            "markup": "<b>High</b>",
            "list": ["High"],
            "dict": {"c": "High"},
            **FALSY_NOT_EMPTY,
        }.items()
    ],
    *text_cases(
        "confidence_reason",
        500,
        extra=[
            pytest.param("confidence_reason", "", REFUSE, id="confidence_reason-empty-with-rating"),
            pytest.param("confidence_reason", None, REFUSE, id="confidence_reason-none-with-rating"),
        ],
    ),
]


@pytest.mark.parametrize(("field", "value", "expected"), SAVING_LEAD_CASES)
def test_saving_line_lead_update(database_url, field, value, expected):
    lead = user("cj.lead")
    before = row(m.SavingLine, key=CJ_SAVING)

    def call():
        return update_saving_line(lead, before["id"], {field: value}, before["version"], today=TODAY)

    if expected is REFUSE:
        errors = assert_refused(call, lambda: row(m.SavingLine, key=CJ_SAVING))
        assert field in errors
    else:
        call()
        after = row(m.SavingLine, key=CJ_SAVING)
        assert after[field] == expected
        assert after["version"] == before["version"] + 1


SAVING_ADMIN_CASES = [
    *money_cases(
        "target",
        {"empty": ("", REFUSE), "none": (None, REFUSE), "padded": (" 7000000 ", Decimal("7000000.00"))},
    ),
    *[
        pytest.param("financial_year", value, REFUSE, id=f"financial_year-{name}")
        for name, value in {
            "not-consecutive": "2019/21",
            "too-early": "1999/00",
            "too-late": "2100/01",
            "word": "next year",
            "empty": "",
            "none": None,
            "bool": True,
            "float": 2019.5,
            "huge": 99999,
            "list": ["2019/20"],
            "dict": {"year": 2019},
            "sql-or": "2019/20 OR 1=1",
        }.items()
    ],
    pytest.param("financial_year", "2020/21", 2020, id="financial_year-good"),
]


@pytest.mark.parametrize(("field", "value", "expected"), SAVING_ADMIN_CASES)
def test_saving_line_admin_update(database_url, field, value, expected):
    admin = user("admin")
    before = row(m.SavingLine, key=CJ_SAVING)

    def call():
        return update_saving_line(admin, before["id"], {field: value}, before["version"], today=TODAY)

    if expected is REFUSE:
        errors = assert_refused(call, lambda: row(m.SavingLine, key=CJ_SAVING))
        assert field in errors
    else:
        call()
        assert row(m.SavingLine, key=CJ_SAVING)[field] == expected


# ---------------------------------------------------------------------------------------------
# KPI values: the entry form and the upload
# ---------------------------------------------------------------------------------------------

KPI_ENTRY_CASES = [
    *[
        pytest.param("value", value, REFUSE, id=f"value-{name}")
        for name, value in {**BAD_PERCENTS, "float-inf": float("inf"), "float-nan": float("nan")}.items()
        if name != "fraction"
    ],
    pytest.param("value", "12.345", 12.345, id="value-three-decimals"),
    pytest.param("value", "57.5%", 57.5, id="value-percent-sign"),
    *[
        pytest.param("kpi_code", value, REFUSE, id=f"kpi-{name}")
        for name, value in {
            "empty": "",
            "none": None,
            "sql-drop": "'; DROP TABLE kpis; --",
            "markup": "<script>alert(1)</script>",
            "list": [KPI],
        }.items()
    ],
    *[
        pytest.param("area", value, REFUSE, id=f"area-{name}")
        for name, value in {
            "empty": "",
            "unknown": "atlantis",
            "sql-or": "ladywood' OR '1'='1",
            "dict": {"a": 1},
        }.items()
    ],
    *[
        pytest.param("period", value, REFUSE, id=f"period-{name}")
        for name, value in {
            "quarter-5": "Q5 2026/27",
            "years-apart": "2026/28",
            "future": "Nov 9999",
            "year-10000": "Q4 9999/00",
            "year-zero": "Nov 0000",
            "iso-feb-30": "2026-02-30",
            "word": "yesterday",
            "empty": "",
            "none": None,
            "number": 12345,
        }.items()
    ],
    *text_cases(
        "note",
        300,
        normalise=str.strip,
        extra=[
            pytest.param("note", "", None, id="note-empty"),
            pytest.param("note", None, None, id="note-none"),
        ],
    ),
]


@pytest.mark.parametrize(("field", "value", "expected"), KPI_ENTRY_CASES)
def test_kpi_value_entry(database_url, field, value, expected):
    lead = user("cj.lead")
    arguments = {"kpi_code": KPI, "area": AREA, "period": PERIOD, "value": "51.5", "note": None, field: value}
    if expected is REFUSE:
        errors = assert_refused(lambda: add_kpi_value(lead, **arguments, today=TODAY), lambda: None)
        assert {"kpi_code": "kpi"}.get(field, field) in errors
    else:
        value_id = add_kpi_value(lead, **arguments, today=TODAY)
        assert row(m.KpiValue, id=value_id)[field] == expected


def csv_bytes(rows: list[list], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    for cells in rows:
        workbook.active.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


UPLOAD_HEADER = ["kpi_code", "area", "period", "value", "note"]


def upload_row(**overrides) -> list:
    values = {"kpi_code": KPI, "area": AREA, "period": PERIOD, "value": "51.5", "note": "", **overrides}
    return [values[column] for column in UPLOAD_HEADER]


KPI_UPLOAD_CASES = [
    *[
        pytest.param("values.csv", csv_bytes([UPLOAD_HEADER, upload_row(value=value)]), REFUSE, id=f"csv-value-{name}")
        for name, value in BAD_PERCENTS.items()
        if isinstance(value, str) and name != "fraction"
    ],
    *[
        pytest.param("values.csv", csv_bytes([UPLOAD_HEADER, upload_row(period=value)]), REFUSE, id=f"csv-period-{name}")
        for name, value in {"quarter-5": "Q5 2026/27", "future": "Nov 9999", "year-10000": "Q4 9999/00", "iso": "2026-11-01"}.items()
    ],
    pytest.param("values.csv", csv_bytes([UPLOAD_HEADER, upload_row(kpi_code="'; DROP TABLE kpis; --")]), REFUSE, id="csv-kpi-sql-drop"),
    pytest.param("values.csv", csv_bytes([UPLOAD_HEADER, upload_row(area="<script>alert(1)</script>")]), REFUSE, id="csv-area-markup"),
    pytest.param("values.csv", csv_bytes([UPLOAD_HEADER, upload_row(note="n" * 301)]), REFUSE, id="csv-note-301-chars"),
    pytest.param("values.csv", csv_bytes([UPLOAD_HEADER, upload_row(), upload_row()]), REFUSE, id="csv-duplicate-rows"),
    pytest.param("values.csv", csv_bytes([UPLOAD_HEADER, upload_row(note="Zoë’s “review”")], "cp1252"), REFUSE, id="csv-not-utf8"),
    pytest.param("values.csv", b"", REFUSE, id="csv-empty-file"),
    pytest.param("values.csv", csv_bytes([UPLOAD_HEADER]), REFUSE, id="csv-header-only"),
    pytest.param("values.csv", csv_bytes([["kpi", "where", "when"], ["x", "y", "z"]]), REFUSE, id="csv-wrong-header"),
    pytest.param("values.txt", csv_bytes([UPLOAD_HEADER, upload_row()]), REFUSE, id="txt-extension"),
    pytest.param("values.xlsx", b"PK\x03\x04 not really a workbook", REFUSE, id="xlsx-damaged"),
    pytest.param("values.xlsx", xlsx_bytes([UPLOAD_HEADER, upload_row(value=True)]), REFUSE, id="xlsx-value-bool"),
    pytest.param("values.xlsx", xlsx_bytes([UPLOAD_HEADER, upload_row(value=dt.datetime(2026, 11, 1))]), REFUSE, id="xlsx-value-date"),
    pytest.param("values.xlsx", xlsx_bytes([UPLOAD_HEADER, upload_row(value=-5)]), REFUSE, id="xlsx-value-negative"),
    pytest.param("values.csv", csv_bytes([UPLOAD_HEADER, upload_row(note="=1+1")]), "=1+1", id="csv-note-formula"),
    pytest.param("values.csv", csv_bytes([UPLOAD_HEADER, upload_row(note=ODD_TEXT["unicode"])]), ODD_TEXT["unicode"], id="csv-note-unicode"),
    pytest.param("values.csv", csv_bytes([UPLOAD_HEADER, upload_row(note=ODD_TEXT["sql-drop"])]), ODD_TEXT["sql-drop"], id="csv-note-sql-drop"),
    pytest.param("values.csv", csv_bytes([UPLOAD_HEADER, upload_row(note=NUL_TEXT)]), REFUSE, id="csv-note-nul-byte"),
    pytest.param("values.csv", csv_bytes([UPLOAD_HEADER, upload_row(area="lady\x00wood")]), REFUSE, id="csv-area-nul-byte"),
]  # fmt: skip


@pytest.mark.parametrize(("filename", "content", "expected"), KPI_UPLOAD_CASES)
def test_kpi_upload(database_url, filename, content, expected):
    lead = user("cj.lead")
    if expected is REFUSE:
        counts = world()
        with pytest.raises(UploadError) as caught:
            import_kpi_values(lead, filename, content, today=TODAY)
        assert caught.value.problems
        for problem in caught.value.problems:
            assert len(problem.message.split()) >= 3, problem
        assert world() == counts
    else:
        assert import_kpi_values(lead, filename, content, today=TODAY) == 1
        assert newest(m.KpiValue)["note"] == expected


# ---------------------------------------------------------------------------------------------
# The spreadsheet import (admin page and `python -m dashboard import`)
# ---------------------------------------------------------------------------------------------

IMPORT_TEMPLATES = {
    "milestones": {
        "Project": "transition",
        "Milestone": "Probe milestone",
        "Owner": "Head of Probes",
        "Baseline start": "01/11/2026",
        "Baseline end": "30/11/2026",
        "Status": "In progress",
        "% complete": "10",
        "Commentary": "",
    },
    "actions": {
        "Recommendation": "1",
        "Action": "Probe action",
        "Owner": "Head of Probes",
        "Due date": "31/03/2027",
        "Status": "In progress",
        "% complete": "10",
        "Evidence": "",
    },
    "savings": {
        "Project": "customer_journey",
        "Financial year": "2026/27",
        "Description": "Probe saving",
        "Target": "£1.2m",
        "Forecast": "",
        "Confidence": "Medium",
        "Confidence reason": "Recruitment on track",
    },
    "kpi_values": {"KPI code": KPI, "Area": AREA, "Period": PERIOD, "Value": "51.5", "Note": ""},
}
IMPORTED_ROW = {
    "milestones": (m.Milestone, "title", "Probe milestone"),
    "actions": (m.ActionItem, "title", "Probe action"),
    "savings": (m.SavingLine, "description", "Probe saving"),
    "kpi_values": (m.KpiValue, None, None),
}
IMPORT_ATTRIBUTE = {"Commentary": "commentary", "Evidence": "evidence", "Confidence reason": "confidence_reason",
                    "Note": "note", "Owner": "owner", "Milestone": "title", "Action": "title", "Description": "description"}  # fmt: skip


def import_file_bytes(kind: str, overrides: dict, xlsx: bool = False) -> tuple[str, bytes]:
    values = {**IMPORT_TEMPLATES[kind], **overrides}
    rows = [list(values), list(values.values())]
    return ("file.xlsx", xlsx_bytes(rows)) if xlsx else ("file.csv", csv_bytes(rows))


def import_cases(kind: str, column: str, values: dict, expected=REFUSE, xlsx: bool = False, marks=()):
    slug = column.lower().replace("% ", "percent-").replace(" ", "-")
    return [
        pytest.param(kind, {column: value}, xlsx, expected, id=f"{kind}-{'xlsx-' if xlsx else ''}{slug}-{name}", marks=marks)
        for name, value in values.items()
    ]  # fmt: skip


# A spreadsheet may hold a date and time as text ("2026-12-01T10:00:00"): the import reads its date.
IMPORT_DATES = {
    name: value for name, value in BAD_DATES.items() if isinstance(value, str) and name != "date-and-time"
}
IMPORT_MONEY = {
    name: value
    for name, value in BAD_MONEY.items()
    if isinstance(value, str) and name != "commas-between-digits"
}
IMPORT_PERCENTS = {name: value for name, value in BAD_PERCENTS.items() if isinstance(value, str) and value}

IMPORT_CASES = [
    # milestones
    *import_cases("milestones", "Actual end", {**IMPORT_DATES, "future": "31/12/9999"}),
    *import_cases("milestones", "Baseline end", {"empty": "", "feb-30": "2026-02-30", "word": "soon", "before-start": "01/01/2026"}),
    *import_cases("milestones", "% complete", IMPORT_PERCENTS),
    *import_cases("milestones", "Status", {"unknown": "Finished-ish", "sql-drop": "'; DROP TABLE milestones; --"}),
    *import_cases("milestones", "Project", {"unknown": "atlantis", "empty": "", "sql-or": "transition' OR '1'='1"}),
    *import_cases("milestones", "Milestone", {"301-chars": "t" * 301, "empty": ""}),
    *import_cases("milestones", "Commentary", {"2001-chars": "c" * 2001}),
    *import_cases("milestones", "Actual end", {"bool": True, "negative": -5}, xlsx=True),
    *import_cases("milestones", "% complete", {"bool": True, "fraction": 10.5}, xlsx=True),
    # actions
    *import_cases("actions", "Due date", {**IMPORT_DATES, "empty": ""}),
    *import_cases("actions", "Recommendation", {"unknown": "99", "empty": "", "sql-drop": "'; DROP TABLE actions; --"}),
    *import_cases("actions", "Owner", {"121-chars": "o" * 121, "empty": ""}),
    *import_cases("actions", "% complete", {"over-100": "101", "word": "ten"}),
    # savings
    *import_cases("savings", "Target", {**IMPORT_MONEY, "empty": ""}),
    *import_cases("savings", "Target", {"commas-between-digits": "1,2,3", "commas-misplaced": "12,34,567"}),
    # PostgreSQL refuses a NUL in text: every column, text or key, is checked before any lookup or write.
    *import_cases("milestones", "Commentary", {"nul-byte": NUL_TEXT}),
    *import_cases("milestones", "Project", {"nul-byte": "transi\x00tion"}),
    *import_cases("actions", "Evidence", {"nul-byte": NUL_TEXT}),
    *import_cases("savings", "Confidence reason", {"nul-byte": NUL_TEXT}),
    *import_cases("kpi_values", "Note", {"nul-byte": NUL_TEXT}),
    *import_cases("savings", "Financial year", {"not-consecutive": "2026/28", "word": "next year", "empty": "", "too-late": "2100/01"}),
    *import_cases("savings", "Confidence", {"unknown": "Certain", "markup": "<b>High</b>"}),
    *import_cases("savings", "Confidence reason", {"501-chars": "r" * 501}),
    # KPI values
    *import_cases("kpi_values", "Value", {name: value for name, value in IMPORT_PERCENTS.items() if name != "fraction"}),
    *import_cases("kpi_values", "Period", {"quarter-5": "Q5 2026/27", "future": "Nov 9999", "empty": ""}),
    *import_cases("kpi_values", "Note", {"301-chars": "n" * 301}),
]  # fmt: skip


def importer_text(value: str) -> str:
    return importer.clean_cell(value)


IMPORT_TEXT_CASES = [
    *[
        pytest.param(kind, column, value, id=f"{kind}-{column.lower().replace(' ', '-')}-{name}")
        for kind, column in (
            ("milestones", "Commentary"),
            ("actions", "Evidence"),
            ("savings", "Confidence reason"),
            ("kpi_values", "Note"),
        )
        for name, value in ODD_TEXT.items()
    ],
]  # fmt: skip


@pytest.mark.parametrize(("kind", "overrides", "xlsx", "expected"), IMPORT_CASES)
def test_import_refuses_bad_cells(database_url, kind, overrides, xlsx, expected):
    filename, content = import_file_bytes(kind, overrides, xlsx)
    counts = world()
    checked = importer.check_file(kind, filename, content, today=TODAY)
    imported = importer.import_file(SYSTEM, kind, filename, content, today=TODAY)
    for report in (checked, imported):
        assert not report.ok, report.lines()
        assert not report.imported
        for problem in report.problems:
            assert len(problem.message.split()) >= 3, problem
    assert world() == counts


@pytest.mark.parametrize(("kind", "column", "value"), IMPORT_TEXT_CASES)
def test_import_stores_odd_text_as_given(database_url, kind, column, value):
    filename, content = import_file_bytes(kind, {column: value})
    assert importer.check_file(kind, filename, content, today=TODAY).ok
    report = importer.import_file(SYSTEM, kind, filename, content, today=TODAY)
    assert report.ok and report.imported, report.lines()
    model, key_field, key = IMPORTED_ROW[kind]
    stored = row(model, **{key_field: key}) if key_field else newest(model)
    assert stored[IMPORT_ATTRIBUTE[column]] == importer_text(value)


@pytest.mark.parametrize(
    ("kind", "path_text", "content", "stderr_words"),
    [
        pytest.param("widgets", None, b"x", "Unknown kind", id="cli-unknown-kind"),
        pytest.param("'; DROP TABLE milestones; --", None, b"x", "Unknown kind", id="cli-sql-kind"),
        pytest.param("milestones", "missing.csv", None, "Could not read", id="cli-missing-file"),
        pytest.param("milestones", None, b"", "Nothing was imported", id="cli-empty-file"),
        pytest.param("kpi", None, b"\xff\xfe\x00garbage", "Nothing was imported", id="cli-binary-file"),
        pytest.param(
            "savings",
            None,
            csv_bytes(
                [
                    ["Project", "Financial year", "Description", "Target"],
                    ["customer_journey", "2026/27", "Probe", "ten"],
                ]
            ),
            "is not an amount",
            id="cli-bad-money",
        ),  # fmt: skip
    ],
)
def test_import_cli_refuses_in_words(database_url, tmp_path, capsys, kind, path_text, content, stderr_words):
    path = tmp_path / (path_text or "file.csv")
    if content is not None:
        path.write_bytes(content)
    counts = world()
    assert run_import(kind, path, dry_run=False) == 1
    assert stderr_words in capsys.readouterr().err
    assert world() == counts


# ---------------------------------------------------------------------------------------------
# Users (command line) and board meetings (overview page)
# ---------------------------------------------------------------------------------------------

GOOD_USER = {
    "username": "new.user",
    "role": "viewer",
    "password": "long-password-1",
    "display_name": "New User",
}

CREATE_USER_CASES = [
    *[
        pytest.param("username", value, REFUSE, id=f"username-{name}")
        for name, value in {
            "empty": "",
            "none": None,
            "blank": "   ",
            "space-inside": "new user",
            "leading-dot": ".hidden",
            "markup": "<script>alert(1)</script>",
            "sql-drop": "'; DROP TABLE users; --",
            "sql-or": "admin' OR '1'='1",
            "unicode": "zoë",
            "nul-byte": "new\x00user",
            "too-long": "u" * 200,
            "taken": "admin",
            "formula": "=1+1",
        }.items()
    ],
    *[
        pytest.param("role", value, REFUSE, id=f"role-{name}")
        for name, value in {"unknown": "superuser", "empty": "", "none": None, "capitalised": "Admin"}.items()
    ],
    *[
        pytest.param("password", value, REFUSE, id=f"password-{name}")
        for name, value in {"short": "short", "empty": "", "none": None}.items()
    ],
    *[
        pytest.param("display_name", value, value.strip(), id=f"display_name-{name}")
        for name, value in ODD_TEXT.items()
    ],
    *[
        pytest.param("display_name", value, REFUSE, id=f"display_name-{name}")
        for name, value in {
            "nul-byte": NUL_TEXT,
            "121-chars": "d" * 121,
            "list": ["x"],
            "dict": {"a": 1},
        }.items()
    ],
    *[
        pytest.param("lead_of", value, REFUSE, id=f"lead_of-{name}")
        for name, value in {"huge-number": 1e308, "number": 7, "object": {"a": 1}, "nested": [["x"]]}.items()
    ],
]


@pytest.mark.parametrize(("field", "value", "expected"), CREATE_USER_CASES)
def test_create_user(database_url, field, value, expected):
    arguments = {**GOOD_USER, field: value}
    if expected is REFUSE:
        errors = assert_refused(lambda: create_user(SYSTEM, **arguments), lambda: None)
        assert field in errors
    else:
        user_id = create_user(SYSTEM, **arguments)
        assert row(m.User, id=user_id)[field] == expected


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        pytest.param({"role": "viewer", "lead_of": ["transition"]}, "lead_of", id="lead_of-for-a-viewer"),
        pytest.param({"role": "lead", "lead_of": ["atlantis"]}, "lead_of", id="lead_of-unknown-project"),
        pytest.param(
            {"role": "lead", "lead_of": ["'; DROP TABLE projects; --"]}, "lead_of", id="lead_of-sql-drop"
        ),
    ],
)
def test_create_user_lead_of(database_url, arguments, field):
    errors = assert_refused(lambda: create_user(SYSTEM, **{**GOOD_USER, **arguments}), lambda: None)
    assert field in errors


BOARD_CASES = [
    *date_cases(
        "meeting_date",
        [
            pytest.param("meeting_date", "", REFUSE, id="meeting_date-empty"),
            pytest.param("meeting_date", None, REFUSE, id="meeting_date-none"),
            pytest.param("meeting_date", "   ", REFUSE, id="meeting_date-blank"),
            pytest.param("meeting_date", "2026-11-24", REFUSE, id="meeting_date-already-a-meeting"),
            pytest.param("meeting_date", "9999-12-31", dt.date(9999, 12, 31), id="meeting_date-far-future"),
        ],
    ),
    *text_cases("title", 200),
]


@pytest.mark.parametrize(("field", "value", "expected"), BOARD_CASES)
def test_add_board_meeting(database_url, field, value, expected):
    admin = user("admin")
    arguments = {"meeting_date": "2026-12-01", "title": "Programme board", field: value}
    if expected is REFUSE:
        errors = assert_refused(lambda: add_board_meeting(admin, **arguments), lambda: None)
        assert field in errors
    else:
        meeting_id = add_board_meeting(admin, **arguments)
        assert row(m.BoardMeeting, id=meeting_id)[field] == expected


# ---------------------------------------------------------------------------------------------
# Crafted POSTs to the write callbacks: a write that committed is answered as saved
# ---------------------------------------------------------------------------------------------

NOTHING_SAVED = "Nothing you entered has been saved"


def post_callback(app, client, outputs: str | tuple, values: dict, triggered: str) -> str:
    """POST the callback with `outputs` ("id.prop") as the browser would, with `values` as crafted;
    returns the response as text."""

    outputs = (outputs,) if isinstance(outputs, str) else outputs
    body = callback_request(app, find_callback(app, *outputs), values=values, triggered=triggered)
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.status_code
    return json.dumps(response.get_json(), ensure_ascii=False)


def test_a_milestone_titled_with_a_number_is_added_and_answered_as_added(app, login_as, database_url):
    counts = world()
    text = post_callback(
        app,
        login_as("admin"),
        "ms-add-message.children",
        {
            ("ms-add-save", "n_clicks"): 1,
            ("ms-add-project", "value"): "transition",
            ("ms-add-title", "value"): 2027,
            ("ms-add-owner", "value"): "Head of Probes",
            ("ms-add-baseline_start", "value"): "2026-11-01",
            ("ms-add-baseline_end", "value"): "2026-12-31",
            ("ms-refresh", "data"): 0,
        },
        "ms-add-save.n_clicks",
    )
    assert NOTHING_SAVED not in text
    assert "Added “2027”." in text
    assert newest(m.Milestone)["title"] == "2027"
    assert world()["Milestone"] == counts["Milestone"] + 1


def test_a_baseline_named_with_a_number_is_recorded_and_answered_as_recorded(app, login_as, database_url):
    text = post_callback(
        app,
        login_as("admin"),
        "ms-rebaseline-message.children",
        {
            ("ms-rebaseline-save", "n_clicks"): 1,
            ("ms-rebaseline-project", "value"): "transition",
            ("ms-rebaseline-name", "value"): 2027,
            ("ms-rebaseline-date", "value"): "2026-11-23",
            ("ms-refresh", "data"): 0,
        },
        "ms-rebaseline-save.n_clicks",
    )
    assert NOTHING_SAVED not in text
    assert "Recorded baseline “2027”." in text
    assert newest(m.Baseline)["name"] == "2027"


@pytest.mark.parametrize(
    "meeting_date",
    ["2026-12-01 and more", "2026-12-01junk", "2026-12-01T10:00:00"],
    ids=["trailing-text", "trailing-junk", "date-and-time"],
)
def test_a_board_meeting_date_with_more_after_it_is_refused_next_to_the_field(
    app, login_as, database_url, meeting_date
):
    counts = world()
    text = post_callback(
        app,
        login_as("admin"),
        "ov-meeting-message.children",
        {
            ("ov-meeting-save", "n_clicks"): 1,
            ("ov-meeting-date", "value"): meeting_date,
            ("ov-meeting-title", "value"): "Programme board",
        },
        "ov-meeting-save.n_clicks",
    )
    assert NOTHING_SAVED not in text
    assert "Meeting date must be a real date" in text
    assert world() == counts


def test_a_kpi_value_is_answered_with_the_kpi_area_and_period_stored(app, login_as, database_url):
    text = post_callback(
        app,
        login_as("cj.lead"),
        "kpi-entry-message.children",
        {
            ("kpi-entry-save", "n_clicks"): 1,
            ("kpi-entry-kpi", "value"): KPI.lower(),
            ("kpi-entry-area", "value"): AREA.upper(),
            ("kpi-entry-period", "value"): "q1   2019/20",
            ("kpi-entry-value", "value"): "51.5",
            ("kpi-entry-note", "value"): None,
            ("kpi-refresh", "data"): 0,
        },
        "kpi-entry-save.n_clicks",
    )
    assert NOTHING_SAVED not in text
    assert f"Saved {KPI} for Ladywood in Q1 2019/20." in text


CRAFTED_STORES = {
    "no-id": {"version": 1},
    "word-id": {"id": "first", "version": 1},
    "list-version": {"id": 1, "version": [1]},
    "dict-version": {"id": 1, "version": {"v": 1}},
    "empty-version": {"id": 1, "version": ""},
    "none-version": {"id": 1, "version": None},
    "bool-id": {"id": True, "version": 1},
}

# Each edit form's save (and the admin's buttons beside it): the callback's first output, what the
# browser sends besides the form's store, the button pressed and the words of the answer.
STORE_FORMS = {
    "milestone-save": (
        ("ms-edit-saved.children", "ms-refresh.data"),
        "ms-edit-version",
        {("ms-edit-save", "n_clicks"): 1, ("ms-edit-status", "value"): "In progress",
         ("ms-edit-percent_complete", "value"): 90, ("ms-refresh", "data"): 0},
        "ms-edit-save.n_clicks",
        "Choose a milestone to update first.",
    ),
    "milestone-retire": (
        "ms-retire-message.children",
        "ms-edit-version",
        {("ms-retire", "n_clicks"): 1, ("ms-refresh", "data"): 0},
        "ms-retire.n_clicks",
        "Choose a milestone in the update form first.",
    ),
    "saving-save": (
        ("sv-edit-saved.children", "sv-refresh.data"),
        "sv-edit-version",
        {("sv-edit-save", "n_clicks"): 1, ("sv-edit-forecast", "value"): "5", ("sv-refresh", "data"): 0},
        "sv-edit-save.n_clicks",
        "Choose a saving line to update first.",
    ),
    "action-save": (
        "act-form-summary.children",
        "act-edit-version",
        {("act-save", "n_clicks"): 1, ("act-edit-owner", "value"): "Someone", ("act-refresh", "data"): 0},
        "act-save.n_clicks",
        "Choose an action first.",
    ),
    "action-sign-off": (
        "act-signoff-error.children",
        "act-edit-version",
        {("act-signoff", "n_clicks"): 1, ("act-refresh", "data"): 0},
        "act-signoff.n_clicks",
        "Choose an action first.",
    ),
}  # fmt: skip


@pytest.mark.parametrize("store", list(CRAFTED_STORES), ids=list(CRAFTED_STORES))
@pytest.mark.parametrize("form", list(STORE_FORMS), ids=list(STORE_FORMS))
def test_a_crafted_form_store_is_answered_in_words_and_changes_nothing(
    app, login_as, database_url, form, store
):
    outputs, store_id, values, triggered, answer = STORE_FORMS[form]
    counts = world()
    values = {**values, (store_id, "data"): CRAFTED_STORES[store]}
    text = post_callback(app, login_as("admin"), outputs, values, triggered)
    assert NOTHING_SAVED not in text
    assert answer in text
    assert world() == counts


def test_a_progress_note_marked_internal_with_text_is_refused_in_words(app, login_as, database_url):
    action = row(m.ActionItem, key=CJ_ACTION)
    counts = world()
    text = post_callback(
        app,
        login_as("cj.lead"),
        "act-note-text-error.children",
        {
            ("act-note-add", "n_clicks"): 1,
            ("act-edit-version", "data"): {"id": action["id"], "version": action["version"]},
            ("act-note-date", "value"): "2026-11-20",
            ("act-note-text", "value"): "Met the team",
            ("act-note-internal", "value"): "false",
            ("act-refresh", "data"): 0,
        },
        "act-note-add.n_clicks",
    )
    assert "Tick the box to keep the note internal, or leave it clear" in text
    assert world() == counts


@pytest.mark.parametrize(
    ("kind", "filename"),
    [
        pytest.param(["milestones"], "plan.csv", id="kind-list"),
        pytest.param({"kind": "milestones"}, "plan.csv", id="kind-dict"),
        pytest.param("milestones", ["plan.csv"], id="filename-list"),
        pytest.param("milestones", 2027, id="filename-number"),
    ],
)
def test_an_import_with_a_crafted_kind_or_file_name_is_answered_in_words(
    app, login_as, database_url, kind, filename
):
    counts = world()
    content = csv_bytes([["Project", "Milestone"], ["transition", "Probe"]])
    text = post_callback(
        app,
        login_as("admin"),
        "import-report.children",
        {
            ("import-upload", "contents"): "data:text/csv;base64," + base64.b64encode(content).decode(),
            ("import-kind", "value"): kind,
            ("import-run", "n_clicks"): 1,
            ("import-upload", "filename"): filename,
        },
        "import-run.n_clicks",
    )
    assert NOTHING_SAVED not in text
    assert "Choose what the file holds." in text or "Nothing was imported" in text
    assert world() == counts


@pytest.mark.parametrize("filename", [["values.csv"], 2027, {"name": "values.csv"}])
def test_a_kpi_upload_with_a_crafted_file_name_is_answered_in_words(app, login_as, database_url, filename):
    counts = world()
    content = csv_bytes([UPLOAD_HEADER, upload_row()])
    text = post_callback(
        app,
        login_as("cj.lead"),
        "kpi-upload-report.children",
        {
            ("kpi-upload", "contents"): "data:text/csv;base64," + base64.b64encode(content).decode(),
            ("kpi-upload", "filename"): filename,
            ("kpi-refresh", "data"): 0,
        },
        "kpi-upload.contents",
    )
    assert NOTHING_SAVED not in text
    assert world() == counts
